"""The weekly simulator: :func:`simulate`, :func:`compare_policies`, :func:`replay`.

Day by day: arrivals, the weekly status report, county meetings (the county round) and
national rounds on the meeting days, deliveries after their lead times, consumption
under an epidemic wave (``docs/national.md``). The simulation is Rust (GIL released);
this module turns it into tidy DataFrames (columns in :data:`SIMULATION_COLUMNS`). The
keyword arguments are those of ``allocnet simulate`` with the same defaults.
"""

from __future__ import annotations

import html
import os
from typing import Any, Dict, List, Optional, Sequence, Union

import pandas as pd

from allocnet import _allocnet
from allocnet.result_base import CoreWrapper, FramesTables
from allocnet.progress import run_with_bar
from allocnet._tables import Frames, Spec, exported_frame, html_table, specs
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

#: Legs of a simulated shipment (the core's ``Leg::ALL``).
LEGS: List[str] = list(_allocnet._NAMES["leg"])

#: Columns and dtypes of the simulation tables, read from the core's schema
#: (``category:priority``: the priority classes, highest first; ``category:leg``:
#: :data:`LEGS`).
SIMULATION_COLUMNS: Dict[str, Spec] = specs("simulation")

#: Columns of :func:`compare_policies`; after ``unmet_total`` comes one column
#: ``unmet:<class>`` per priority class (unmet acute unit-days), highest first.
COMPARISON_COLUMNS: Spec = specs("comparison")["comparison"]

#: Replay outcomes.
OUTCOMES: List[str] = ["reproduced", "differs", "failed"]

#: Columns of :attr:`Replay.lines`.
REPLAY_COLUMNS: Spec = specs("replay")["lines"]

#: The defaults of :func:`simulate` and :func:`compare_policies`: the core's
#: ``SimulationOptions::default()`` (the CLI's defaults too).
DEFAULTS: Dict[str, Any] = dict(_allocnet._SIMULATION_DEFAULTS)
_D = DEFAULTS


def _scenario(scenario: ScenarioLike) -> Scenario:
    """As ``allocnet simulate SCENARIO``: ``"sweden"``, ``"vastmanland"``, a path, or a Scenario."""
    if isinstance(scenario, Scenario):
        return scenario
    if isinstance(scenario, (str, os.PathLike)):  # the core finds built-ins and paths alike
        return Scenario(_allocnet.Scenario._by_name(os.fspath(scenario)))
    raise TypeError(f"scenario must be an allocnet.Scenario, 'sweden', 'vastmanland' or a path, got {type(scenario).__name__}")


def options_meeting_days(meeting_days: Union[str, Sequence[str]]) -> List[str]:
    """Meeting days as a list (a comma-separated string is split)."""
    if isinstance(meeting_days, str):
        return [d for d in (p.strip() for p in meeting_days.split(",")) if d]
    return list(meeting_days)


def _options(meeting_days: Union[str, Sequence[str]], **kwargs: Any) -> _allocnet.SimulationOptions:
    return _allocnet.SimulationOptions(meeting_days=options_meeting_days(meeting_days), **kwargs)


def simulate(
    scenario: ScenarioLike,
    *,
    weeks: int = _D["weeks"],
    policy: str = _D["policy"],
    redistribution: bool = _D["redistribution"],
    meeting_days: Union[str, Sequence[str]] = ",".join(_D["meeting_days"]),
    acute_window_hours: float = _D["acute_window_hours"],
    reserve_days: float = _D["reserve_days"],
    national_lead_days: int = _D["national_lead_days"],
    last_mile_lead_days: int = _D["last_mile_lead_days"],
    national_stock_days: float = _D["national_stock_days"],
    weekly_supply_days: float = _D["weekly_supply_days"],
    wave_amplitude: float = _D["wave_amplitude"],
    seed: int = _D["seed"],
    audit: Optional[PathLike] = None,
    progress: bool = False,
    round: str = _D["round"],
    lookahead_days: int = _D["lookahead_days"],
    forecast_error: float = _D["forecast_error"],
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
    :func:`replay`). ``progress``: a tqdm bar of the county meetings held (on stderr, a
    widget in notebooks); Ctrl-C stops the simulation. ``round``: ``"myopic"`` (today's round) or ``"lookahead"`` (a
    rolling horizon of ``lookahead_days`` days, docs/lookahead.md);
    ``forecast_error``: realised consumption = reported × max(0, 1 + X·z), seeded.
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
        round=round,
        lookahead_days=lookahead_days,
        forecast_error=forecast_error,
    )
    log = None if audit is None else os.fspath(audit)
    if not progress:
        return Simulation(_allocnet._simulate(s.core, options, log))
    meetings = weeks * len(set(options_meeting_days(meeting_days)))

    def run(counter: Any) -> Any:
        return _allocnet._simulate(s.core, options, log, counter)

    return Simulation(run_with_bar(run, meetings, "simulate", "meeting"))


def compare_policies(
    scenario: ScenarioLike,
    *,
    weeks: int = _D["weeks"],
    meeting_days: Union[str, Sequence[str]] = ",".join(_D["meeting_days"]),
    acute_window_hours: float = _D["acute_window_hours"],
    reserve_days: float = _D["reserve_days"],
    national_lead_days: int = _D["national_lead_days"],
    last_mile_lead_days: int = _D["last_mile_lead_days"],
    national_stock_days: float = _D["national_stock_days"],
    weekly_supply_days: float = _D["weekly_supply_days"],
    wave_amplitude: float = _D["wave_amplitude"],
    seed: int = _D["seed"],
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
    export, text = _allocnet._compare_policies(s.core, options)
    df = exported_frame(export, "comparison")
    df.attrs["text"] = text
    return df


def replay(log: PathLike) -> "Replay":
    """Re-runs every round of a JSON Lines audit log (``allocnet replay``; GIL
    released) and reports per line whether the plan is reproduced exactly. A line that
    is not a record raises :class:`~allocnet.ParseError` with its line number."""
    export, report = _allocnet._replay(os.fspath(log))
    return Replay(exported_frame(export, "lines"), report)


class Simulation(FramesTables, CoreWrapper):
    """A simulation's result.

    Tables (columns and dtypes in :data:`SIMULATION_COLUMNS`): :attr:`stock` (per day,
    site and item), the series :attr:`daily` and :attr:`weekly` (per item, all sites),
    :attr:`shortages`, :attr:`shipments`, :attr:`unmet_unit_days` (unmet acute
    unit-days by class), :attr:`county_fill_rates`, :attr:`national_stock_left`.
    Figures: :meth:`summary`; :attr:`text` is what ``allocnet simulate`` prints.
    """

    __slots__ = ("_core", "_frames")

    def __init__(self, core: _allocnet.Simulation) -> None:
        if not isinstance(core, _allocnet.Simulation):
            raise TypeError(f"use allocnet.simulate(...), not Simulation({type(core).__name__})")
        self._core = core
        self._frames = Frames(core)

    def to_json(self) -> str:
        """The whole simulation as JSON: the text of ``allocnet simulate --format json``."""
        return self._core.to_json()

    @property
    def core(self) -> _allocnet.Simulation:
        """The compiled simulation object."""
        return self._core

    @property
    def text(self) -> str:
        """The readable summary (what ``allocnet simulate`` prints)."""
        return self._core.text

    @property
    def scenario_name(self) -> str:
        """Scenario name."""
        return self._core.scenario_name

    @property
    def synthetic(self) -> bool:
        """True when the scenario's figures are synthetic."""
        return self._core.synthetic

    @property
    def priority_classes(self) -> List[str]:
        """Priority class ids, highest first."""
        return self._core.priority_classes

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
        return self._core.summary()

    def __repr__(self) -> str:
        s = self.summary()
        return (
            f"Simulation(scenario={self.scenario_name!r}, policy={s['policy']!r}, days={s['days']}, "
            f"unmet_unit_days={s['unmet_unit_days_total']}, worst_fill_rate={s['worst_fill_rate']:.4f})"
        )

    def _repr_html_(self) -> str:
        s = self.summary()
        parts = [
            "<div class='allocnet-simulation'>",
            f"<h4>allocnet simulation: {html.escape(self.scenario_name)}</h4>",
            f"<p><b>Policy</b> {html.escape(s['policy'])} &middot; <b>county redistribution</b> "
            f"{'on' if s['county_redistribution'] else 'off'} &middot; {s['days']} days, {s['meetings']} meetings<br>",
            f"<b>Unmet acute unit-days</b> {s['unmet_unit_days_total']:,} &middot; <b>worst county fill rate</b> "
            f"{s['worst_fill_rate']:.4f}<br>",
            f"<b>Unit-km</b> county {s['county_unit_km']:,.1f}, national {s['national_unit_km']:,.1f}, "
            f"last mile {s['last_mile_unit_km']:,.1f}",
        ]
        if self.synthetic:
            parts.append("<br><b>SYNTHETIC</b> stock and consumption figures")
        parts += ["</p>", html_table(self.unmet_unit_days), "</div>"]
        return "\n".join(parts)



class Replay:
    """The result of :func:`replay`: :attr:`lines` (one row per logged round, columns
    :data:`REPLAY_COLUMNS`), :attr:`all_reproduced` and :attr:`text` (what
    ``allocnet replay`` prints)."""

    __slots__ = ("_lines", "_text")

    def __init__(self, lines: pd.DataFrame, report: str) -> None:
        self._lines = lines
        self._text = report

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
        return {"lines": self._lines, "text": self._text}

    def __setstate__(self, state: Dict[str, Any]) -> None:
        self.__init__(state["lines"], state["text"])  # type: ignore[misc]
