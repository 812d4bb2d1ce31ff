"""The weekly simulator: :func:`simulate`, :func:`compare_policies`, :func:`replay`.

Day by day: arrivals, the weekly status report, county meetings (the county round) and
national rounds on the meeting days, deliveries after their lead times, consumption
under an epidemic wave (``docs/national.md``). The simulation is Rust (GIL released);
this module turns it into tidy DataFrames (columns in :data:`SIMULATION_COLUMNS`). The
keyword arguments are those of ``allocnet simulate`` with the same defaults.
"""

from __future__ import annotations

import html
import json
import os
from typing import Any, Dict, List, Optional, Sequence, Union

import pandas as pd

from allocnet import _allocnet
from allocnet._tables import Spec, frame, html_table
from allocnet.model import Scenario

__all__ = [
    "SIMULATION_COLUMNS",
    "COMPARISON_COLUMNS",
    "REPLAY_COLUMNS",
    "Simulation",
    "Replay",
    "simulate",
    "compare_policies",
    "replay",
]

PathLike = Union[str, "os.PathLike[str]"]
ScenarioLike = Union[Scenario, str, "os.PathLike[str]"]

_S, _I, _F = "string", "int64", "float64"
_FLOWS = ["normal_in", "national_in", "county_in", "county_out", "consumed", "shortage"]
_FLOW_MEANINGS = {
    "normal_in": "arrived through the normal channel, units",
    "national_in": "arrived from the national round (last mile), units",
    "county_in": "received in county redistribution, units",
    "county_out": "sent in county redistribution, units",
    "consumed": "consumed, units",
    "shortage": "demand stock could not cover, units",
}

#: Legs of a simulated shipment.
LEGS: List[str] = ["county", "national", "last-mile"]

#: Columns and dtypes of the simulation tables (``category:priority``: the priority
#: classes, highest first; ``category:leg``: :data:`LEGS`).
SIMULATION_COLUMNS: Dict[str, Spec] = {
    "stock": [
        ("day", _I, "simulation day (0 = a Monday)"),
        ("week", _I, "day // 7 (0 = the first week)"),
        ("site", _S, "site id"),
        ("item", _S, "item id"),
        ("start", _I, "stock at the start of the day, units"),
        *[(c, _I, _FLOW_MEANINGS[c]) for c in _FLOWS],
        ("end", _I, "start + normal_in + national_in + county_in - county_out - consumed, units"),
    ],
    "daily": [
        ("day", _I, "simulation day"),
        ("item", _S, "item id"),
        ("start", _I, "stock at all sites at the start of the day, units"),
        *[(c, _I, _FLOW_MEANINGS[c] + ", all sites") for c in _FLOWS],
        ("end", _I, "stock at all sites at the end of the day, units"),
    ],
    "weekly": [
        ("week", _I, "week (0 = days 0-6)"),
        ("item", _S, "item id"),
        ("start", _I, "stock at all sites at the start of the week, units"),
        *[(c, _I, _FLOW_MEANINGS[c] + ", all sites, the week's sum") for c in _FLOWS],
        ("end", _I, "stock at all sites at the end of the week, units"),
    ],
    "shortages": [
        ("day", _I, "simulation day"),
        ("site", _S, "site id"),
        ("item", _S, "item id"),
        ("priority", "category:priority", "priority class bearing the shortage (lowest first)"),
        ("units", _I, "units short"),
    ],
    "shipments": [
        ("day", _I, "day decided"),
        ("arrives", _I, "day it arrives"),
        ("leg", "category:leg", "county (redistribution), national (warehouse -> transshipment point) or last-mile"),
        ("from", _S, "shipping site id"),
        ("to", _S, "receiving site id"),
        ("item", _S, "item id"),
        ("quantity", _I, "units"),
        ("km", _F, "distance, km"),
    ],
    "unmet_unit_days": [
        ("priority", "category:priority", "priority class id"),
        ("unit_days", _I, "unmet acute need: shortage units summed over the days"),
    ],
    "county_fill_rates": [
        ("county", _S, "county code"),
        ("fill_rate", _F, "mean over items of consumed / demanded"),
    ],
    "national_stock_left": [
        ("item", _S, "item id"),
        ("quantity", _I, "national warehouse stock at the end, units"),
    ],
}

#: Columns of :func:`compare_policies`; after ``unmet_total`` comes one int64 column
#: ``unmet:<class>`` per priority class (unmet acute unit-days), highest first.
COMPARISON_COLUMNS: Spec = [
    ("variant", _S, "policy and +county / no-county, as the CLI labels it"),
    ("policy", _S, "national policy"),
    ("redistribution", "boolean", "county redistribution at the meetings"),
    ("unmet_total", _I, "unmet acute unit-days, all classes"),
    ("worst_fill_rate", _F, "the worst county's fill rate"),
    ("county_unit_km", _F, "county redistribution, unit-km"),
    ("national_unit_km", _F, "national leg, unit-km"),
    ("last_mile_unit_km", _F, "last mile, unit-km"),
    ("total_unit_km", _F, "all legs, unit-km"),
]

#: Replay outcomes.
OUTCOMES: List[str] = ["reproduced", "differs", "failed"]

#: Columns of :attr:`Replay.lines`.
REPLAY_COLUMNS: Spec = [
    ("line", _I, "line of the audit log (1-based)"),
    ("round", _S, "county or national"),
    ("day", "Int64", "simulation day (<NA> for a round outside a simulation)"),
    ("outcome", "category:outcome", "reproduced, differs or failed"),
    ("path", _S, "differs: the first differing JSON path"),
    ("logged", _S, "differs: the logged value (JSON)"),
    ("replayed", _S, "differs: the re-run value (JSON)"),
    ("error", _S, "failed: the error"),
]


def _scenario(scenario: ScenarioLike) -> Scenario:
    """As ``allocnet simulate SCENARIO``: ``"sweden"``, ``"vastmanland"``, a path, or a Scenario."""
    if isinstance(scenario, Scenario):
        return scenario
    if scenario == "sweden":
        return Scenario.sweden()
    if scenario == "vastmanland":
        return Scenario.vastmanland()
    if isinstance(scenario, (str, os.PathLike)):
        return Scenario.load(scenario)
    raise TypeError(f"scenario must be an allocnet.Scenario, 'sweden', 'vastmanland' or a path, got {type(scenario).__name__}")


def _options(meeting_days: Union[str, Sequence[str]], **kwargs: Any) -> _allocnet.SimulationOptions:
    if isinstance(meeting_days, str):
        meeting_days = [d for d in (p.strip() for p in meeting_days.split(",")) if d]
    return _allocnet.SimulationOptions(meeting_days=list(meeting_days), **kwargs)


def simulate(
    scenario: ScenarioLike,
    *,
    weeks: int = 1,
    policy: str = "optimal",
    redistribution: bool = True,
    meeting_days: Union[str, Sequence[str]] = "mon,wed,fri",
    acute_window_hours: float = 48.0,
    reserve_days: float = 3.0,
    national_lead_days: int = 1,
    last_mile_lead_days: int = 0,
    national_stock_days: float = 2.0,
    weekly_supply_days: float = 5.0,
    wave_amplitude: float = 1.0,
    seed: int = 2020,
    audit: Optional[PathLike] = None,
) -> "Simulation":
    """Simulates the weekly process day by day (``allocnet simulate``; GIL released).

    ``scenario``: a :class:`~allocnet.Scenario`, ``"sweden"`` (seed 2020),
    ``"vastmanland"`` or a scenario file/directory. ``weeks``: number of weeks.
    ``policy``: the national policy (``optimal``, ``proportional``, ``max-min``,
    ``population``). ``redistribution=False``: the county meetings only form the
    requests (``--no-redistribution``). ``meeting_days``: weekday names, a list or
    comma-separated. ``acute_window_hours``, ``reserve_days`` (a donor's reserve, days
    of its consumption), ``national_lead_days`` (decision -> transshipment point),
    ``last_mile_lead_days`` (transshipment point -> site), ``national_stock_days``
    (SYNTHETIC national stock, days of base consumption), ``weekly_supply_days``
    (SYNTHETIC weekly normal-channel supply, days of base consumption),
    ``wave_amplitude`` (peak extra consumption; 0 = flat), ``seed`` (the wave's
    per-site variation). ``audit``: append every round to this JSON Lines log (see
    :func:`replay`).
    """
    s = _scenario(scenario)
    options = _options(
        meeting_days,
        weeks=weeks,
        acute_window_hours=acute_window_hours,
        reserve_days=reserve_days,
        policy=policy,
        national_lead_days=national_lead_days,
        last_mile_lead_days=last_mile_lead_days,
        redistribution=redistribution,
        national_stock_days=national_stock_days,
        weekly_supply_days=weekly_supply_days,
        wave_amplitude=wave_amplitude,
        seed=seed,
    )
    text, summary = _allocnet._simulate(s.core, options, None if audit is None else os.fspath(audit))
    return Simulation(text, summary, s.name, s.synthetic)


def compare_policies(
    scenario: ScenarioLike,
    *,
    weeks: int = 1,
    meeting_days: Union[str, Sequence[str]] = "mon,wed,fri",
    acute_window_hours: float = 48.0,
    reserve_days: float = 3.0,
    national_lead_days: int = 1,
    last_mile_lead_days: int = 0,
    national_stock_days: float = 2.0,
    weekly_supply_days: float = 5.0,
    wave_amplitude: float = 1.0,
    seed: int = 2020,
) -> pd.DataFrame:
    """Every national policy with and without county redistribution on the same
    scenario (``allocnet compare-policies``): one row per run, columns
    :data:`COMPARISON_COLUMNS` plus ``unmet:<class>`` per priority class. The CLI's
    table text is in ``df.attrs["text"]``. Arguments as :func:`simulate`.
    """
    s = _scenario(scenario)
    options = _options(
        meeting_days,
        weeks=weeks,
        acute_window_hours=acute_window_hours,
        reserve_days=reserve_days,
        national_lead_days=national_lead_days,
        last_mile_lead_days=last_mile_lead_days,
        national_stock_days=national_stock_days,
        weekly_supply_days=weekly_supply_days,
        wave_amplitude=wave_amplitude,
        seed=seed,
    )
    runs, text = _allocnet._compare_policies(s.core, options)
    rows = []
    classes: List[str] = []
    for label, summary_json in runs:
        summary = json.loads(summary_json)
        classes = summary["priority_classes"]
        km = [summary["county_unit_km"], summary["national_unit_km"], summary["last_mile_unit_km"]]
        row: Dict[str, Any] = {
            "variant": label,
            "policy": summary["policy"],
            "redistribution": summary["county_redistribution"],
            "unmet_total": sum(summary["unmet_unit_days"]),
            "worst_fill_rate": summary["worst_fill_rate"],
            "county_unit_km": km[0],
            "national_unit_km": km[1],
            "last_mile_unit_km": km[2],
            "total_unit_km": km[0] + km[1] + km[2],
        }
        row.update({f"unmet:{c}": u for c, u in zip(classes, summary["unmet_unit_days"])})
        rows.append(row)
    spec = list(COMPARISON_COLUMNS)
    spec[4:4] = [(f"unmet:{c}", _I, "") for c in classes]
    df = frame(rows, spec, {})
    df.attrs["text"] = text
    return df


def replay(log: PathLike) -> "Replay":
    """Re-runs every round of a JSON Lines audit log (``allocnet replay``; GIL
    released) and reports per line whether the plan is reproduced exactly. A line that
    is not a record raises :class:`~allocnet.ParseError` with its line number."""
    text, report = _allocnet._replay(os.fspath(log))
    return Replay(text, report)


class Simulation:
    """A simulation's result.

    Tables (columns and dtypes in :data:`SIMULATION_COLUMNS`): :attr:`stock` (per day,
    site and item), the series :attr:`daily` and :attr:`weekly` (per item, all sites),
    :attr:`shortages`, :attr:`shipments`, :attr:`unmet_unit_days` (unmet acute
    unit-days by class), :attr:`county_fill_rates`, :attr:`national_stock_left`.
    Figures: :meth:`summary`; :attr:`text` is what ``allocnet simulate`` prints.
    """

    __slots__ = ("_json", "_text", "_name", "_synthetic", "_data", "_frames")

    def __init__(self, text: str, summary_text: str, scenario_name: str, synthetic: bool) -> None:
        self._json = text
        self._text = summary_text
        self._name = scenario_name
        self._synthetic = synthetic
        self._data: Dict[str, Any] = json.loads(text)
        self._frames: Dict[str, pd.DataFrame] = {}

    def to_json(self) -> str:
        """The whole simulation as JSON: the text of ``allocnet simulate --format json``."""
        return self._json

    @property
    def text(self) -> str:
        """The readable summary (what ``allocnet simulate`` prints)."""
        return self._text

    @property
    def scenario_name(self) -> str:
        """Scenario name."""
        return self._name

    @property
    def synthetic(self) -> bool:
        """True when the scenario's figures are synthetic."""
        return self._synthetic

    @property
    def priority_classes(self) -> List[str]:
        """Priority class ids, highest first."""
        return list(self._data["summary"]["priority_classes"])

    def _rows(self, name: str) -> List[Dict[str, Any]]:
        d = self._data
        s = d["summary"]
        if name == "stock":
            return [dict(r, week=r["day"] // 7) for r in d["stock"]]
        if name == "unmet_unit_days":
            return [{"priority": c, "unit_days": u} for c, u in zip(s["priority_classes"], s["unmet_unit_days"])]
        if name == "county_fill_rates":
            return [{"county": c, "fill_rate": f} for c, f in s["county_fill_rates"]]
        if name == "national_stock_left":
            return [{"item": i, "quantity": q} for i, q in s["national_stock_left"]]
        rows: List[Dict[str, Any]] = d[name]
        return rows

    def _series(self, by: str) -> pd.DataFrame:
        stock = self._table("stock")
        keys = [by, "item"]
        grouped = stock.groupby(keys, sort=False)
        sums = grouped[_FLOWS].sum()
        if by == "day":
            ends = grouped[["start", "end"]].sum()
        else:  # a week starts with its first day's stock and ends with its last day's
            days = stock.groupby(["day", "item"], sort=False)[["start", "end"]].sum().reset_index()
            days["week"] = days["day"] // 7
            per_week = days.groupby(keys, sort=False)
            ends = pd.concat([per_week["start"].first(), per_week["end"].last()], axis=1)
        out = pd.concat([ends, sums], axis=1).reset_index()  # days/weeks in order, items as in the scenario
        out["item"] = out["item"].astype("string")
        columns = [c for c, _, _ in SIMULATION_COLUMNS["daily" if by == "day" else "weekly"]]
        return out[columns].astype({c: "int64" for c in columns if c not in ("item",)})

    def _table(self, name: str) -> pd.DataFrame:
        if name not in self._frames:
            if name in ("daily", "weekly"):
                self._frames[name] = self._series("day" if name == "daily" else "week")
            else:
                categories = {"priority": self.priority_classes, "leg": LEGS}
                self._frames[name] = frame(self._rows(name), SIMULATION_COLUMNS[name], categories)
        return self._frames[name].copy()

    @property
    def stock(self) -> pd.DataFrame:
        """Per day, site and item: start, inflows, outflows, consumption, shortage, end."""
        return self._table("stock")

    @property
    def daily(self) -> pd.DataFrame:
        """Daily series per item, summed over all sites."""
        return self._table("daily")

    @property
    def weekly(self) -> pd.DataFrame:
        """Weekly series per item, summed over all sites."""
        return self._table("weekly")

    @property
    def shortages(self) -> pd.DataFrame:
        """Shortages per day, site, item and the class bearing them."""
        return self._table("shortages")

    @property
    def shipments(self) -> pd.DataFrame:
        """Every shipment: day decided, day arriving, leg, from, to, item, quantity, km."""
        return self._table("shipments")

    @property
    def unmet_unit_days(self) -> pd.DataFrame:
        """Unmet acute unit-days per priority class (shortage summed over days)."""
        return self._table("unmet_unit_days")

    @property
    def county_fill_rates(self) -> pd.DataFrame:
        """Fill rate per county: mean over items of consumed / demanded."""
        return self._table("county_fill_rates")

    @property
    def national_stock_left(self) -> pd.DataFrame:
        """National warehouse stock at the end, per item."""
        return self._table("national_stock_left")

    def summary(self) -> Dict[str, Any]:
        """The figures: policy, county_redistribution, days, meetings,
        unmet_unit_days_total, worst_fill_rate and unit-km per leg (county, national,
        last mile)."""
        s = self._data["summary"]
        return {
            "policy": s["policy"],
            "county_redistribution": s["county_redistribution"],
            "days": s["days"],
            "meetings": s["meetings"],
            "unmet_unit_days_total": sum(s["unmet_unit_days"]),
            "worst_fill_rate": s["worst_fill_rate"],
            "county_unit_km": s["county_unit_km"],
            "national_unit_km": s["national_unit_km"],
            "last_mile_unit_km": s["last_mile_unit_km"],
        }

    def __repr__(self) -> str:
        s = self.summary()
        return (
            f"Simulation(scenario={self._name!r}, policy={s['policy']!r}, days={s['days']}, "
            f"unmet_unit_days={s['unmet_unit_days_total']}, worst_fill_rate={s['worst_fill_rate']:.4f})"
        )

    def _repr_html_(self) -> str:
        s = self.summary()
        parts = [
            "<div class='allocnet-simulation'>",
            f"<h4>allocnet simulation: {html.escape(self._name)}</h4>",
            f"<p><b>Policy</b> {html.escape(s['policy'])} &middot; <b>county redistribution</b> "
            f"{'on' if s['county_redistribution'] else 'off'} &middot; {s['days']} days, {s['meetings']} meetings<br>",
            f"<b>Unmet acute unit-days</b> {s['unmet_unit_days_total']:,} &middot; <b>worst county fill rate</b> "
            f"{s['worst_fill_rate']:.4f}<br>",
            f"<b>Unit-km</b> county {s['county_unit_km']:,.1f}, national {s['national_unit_km']:,.1f}, "
            f"last mile {s['last_mile_unit_km']:,.1f}",
        ]
        if self._synthetic:
            parts.append("<br><b>SYNTHETIC</b> stock and consumption figures")
        parts += ["</p>", html_table(self.unmet_unit_days), "</div>"]
        return "\n".join(parts)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Simulation) and self._data == other._data and self._name == other._name

    __hash__ = None  # type: ignore[assignment]

    def __getstate__(self) -> Dict[str, Any]:
        return {"json": self._json, "text": self._text, "name": self._name, "synthetic": self._synthetic}

    def __setstate__(self, state: Dict[str, Any]) -> None:
        self.__init__(state["json"], state["text"], state["name"], state["synthetic"])  # type: ignore[misc]


class Replay:
    """The result of :func:`replay`: :attr:`lines` (one row per logged round, columns
    :data:`REPLAY_COLUMNS`), :attr:`all_reproduced` and :attr:`text` (what
    ``allocnet replay`` prints)."""

    __slots__ = ("_json", "_text", "_lines")

    def __init__(self, text: str, report: str) -> None:
        self._json = text
        self._text = report
        rows = []
        for line in json.loads(text):
            outcome = line["outcome"]
            rows.append(
                {
                    "line": line["line"],
                    "round": line["round"],
                    "day": line["day"],
                    "outcome": outcome["outcome"],
                    "path": outcome.get("path"),
                    "logged": outcome.get("logged"),
                    "replayed": outcome.get("replayed"),
                    "error": outcome.get("error"),
                }
            )
        self._lines = frame(rows, REPLAY_COLUMNS, {"outcome": OUTCOMES})

    @property
    def lines(self) -> pd.DataFrame:
        """One row per replayed round."""
        return self._lines.copy()

    @property
    def all_reproduced(self) -> bool:
        """True when every round was reproduced exactly (``allocnet replay`` exits 0)."""
        return bool((self._lines["outcome"] == "reproduced").all())

    @property
    def text(self) -> str:
        """What ``allocnet replay`` prints."""
        return self._text

    def __repr__(self) -> str:
        ok = int((self._lines["outcome"] == "reproduced").sum())
        return f"Replay({ok} of {len(self._lines)} rounds reproduced)"

    def __getstate__(self) -> Dict[str, Any]:
        return {"json": self._json, "text": self._text}

    def __setstate__(self, state: Dict[str, Any]) -> None:
        self.__init__(state["json"], state["text"])  # type: ignore[misc]
