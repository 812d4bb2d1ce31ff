"""The county round with logistics data: whole packs, trips that carry many items,
minimum loads and substitutes (see docs/trips.md)."""

from __future__ import annotations

import html
import json
import numbers
import os
from typing import TYPE_CHECKING, Any, Dict, Optional, Union

import numpy as np
import pandas as pd

from allocnet import _allocnet
from allocnet.json_input import invalid, json_text
from allocnet.result_base import CoreWrapper, ExportedTables
from allocnet._tables import ResultTables
from allocnet.model import Plan, Scenario
from allocnet.progress import run_with_bar

if TYPE_CHECKING:
    from matplotlib.axes import Axes

__all__ = ["TripsPlan", "logistics_builtin", "trips_round"]

#: What ``logistics=`` takes: a dict (the JSON object), a path to a JSON file, or
#: ``"builtin"`` (the SYNTHETIC built-in data).
LogisticsInput = Union[Dict[str, Any], str, "os.PathLike[str]"]


def logistics_builtin() -> Dict[str, Any]:
    """The built-in SYNTHETIC logistics data (Västmanland's items: pack sizes, volumes,
    minimum loads, substitutes and one 1 000 l van) as a dict to edit and pass back as
    ``logistics=``."""
    data: Dict[str, Any] = json.loads(_allocnet._logistics_builtin())
    return data


def trips_round(
    scenario: Scenario,
    logistics: LogisticsInput = "builtin",
    *,
    engine: str = "auto",
    strategy: str = "auto",
    time_limit: Optional[float] = None,
    max_nodes: Optional[int] = None,
    max_lp_work: Optional[int] = None,
    progress: bool = False,
) -> "TripsPlan":
    """The county round on ``scenario`` with logistics data ``logistics``: a dict, a
    path to a JSON file (as ``--logistics FILE``) or ``"builtin"`` (as ``--trips``).
    ``time_limit``: seconds per objective level of the MIP (as ``--time-limit``;
    default the CLI's; a finite number >= 0.001). ``max_nodes`` (branch-and-bound nodes
    per level, >= 1) and ``max_lp_work`` (LP iterations times columns per level of the
    trips, vehicle km and transport, >= 1) are the deterministic limits (as
    ``--max-nodes`` and ``--max-lp-work``; default the CLI's): the same plan on every
    machine. A level a limit stops is ``limit`` in :attr:`TripsPlan.levels`, with
    ``stopped_by`` and its gap; there is always a plan. Bad logistics data raise
    :class:`~allocnet.exceptions.InvalidInputError` naming the field
    (``logistics.items[0].pack_size: ...``). The GIL is released while it runs.
    ``progress``: a tqdm bar of the parts solved (one per county; on stderr, a widget
    in notebooks); Ctrl-C stops the round after the parts under way and is re-raised
    (no plan is returned).
    """
    if not isinstance(scenario, Scenario):
        raise TypeError(f"trips_round expects an allocnet.Scenario, got {type(scenario).__name__}")
    limits = {
        "time_limit": _time_limit(time_limit),
        "max_nodes": _whole(max_nodes, "max_nodes"),
        "max_lp_work": _whole(max_lp_work, "max_lp_work"),
    }
    text: Optional[str] = None
    path: Optional[str] = None
    if isinstance(logistics, dict):
        text = json_text(logistics, "logistics")
    elif isinstance(logistics, (str, os.PathLike)):
        if isinstance(logistics, str) and logistics == "builtin":
            pass
        else:
            path = os.fspath(logistics)
    else:
        raise TypeError(f"logistics must be a dict, a JSON file path or 'builtin', got {type(logistics).__name__}")
    if not progress:
        core = _allocnet._trips_round(scenario._core, text, path, engine, strategy, **limits)
        return TripsPlan(core, scenario)
    parts = _allocnet._trips_round_parts(scenario._core, text, path)

    def run(counter: Any) -> Any:
        return _allocnet._trips_round(scenario._core, text, path, engine, strategy, progress=counter, **limits)

    return TripsPlan(run_with_bar(run, parts, "trips round", "part"), scenario)


def _time_limit(time_limit: Any) -> Optional[float]:
    """``time_limit`` as seconds (a real number, numpy's too; not a bool); the core
    checks its range. An integer too large for a float is invalid input."""
    if time_limit is None:
        return None
    if isinstance(time_limit, (bool, np.bool_)) or not isinstance(time_limit, numbers.Real):
        raise TypeError(f"time_limit must be a number of seconds, got {type(time_limit).__name__}")
    try:
        return float(time_limit)
    except OverflowError:
        raise invalid(
            "time_limit", "must be a finite number of seconds >= 0.001, got an integer too large for a float"
        ) from None


def _whole(value: Any, name: str) -> Optional[int]:
    """``value`` as a whole number (numpy's too; not a bool or a float); the core checks
    its range. One beyond a 64-bit integer is invalid input naming ``name``."""
    if value is None:
        return None
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} must be a whole number, got {type(value).__name__}")
    number = int(value)
    if not -(2**63) <= number < 2**63:
        raise invalid(name, f"must be >= 1 and a 64-bit integer, got {number}")
    return number


class TripsPlan(ExportedTables, CoreWrapper):
    """The result of a county round with logistics data. :attr:`plan` is the plan in
    units (a :class:`~allocnet.Plan`); the tables (pandas DataFrames, columns as in
    the docs' ``trips_plan`` reference): :attr:`pack_shipments` (the shipments in whole
    packs), :attr:`trips` (one vehicle on one lane; empty without a vehicle) and
    :attr:`levels` (the MIP's objective levels per county; empty for packs alone)."""

    __slots__ = ("_core", "_scenario", "_columns", "_plan")
    _pickled = ("_scenario",)

    def __init__(self, core: _allocnet.TripsPlan, scenario: Optional[Scenario] = None) -> None:
        self._core = core
        self._scenario = scenario
        self._columns: Optional[ResultTables] = None
        self._plan: Optional[Plan] = None

    @property
    def plan(self) -> Plan:
        """The plan in units: shipments, unmet need with reasons, stock after, ..."""
        if self._plan is None:
            self._plan = Plan(self._core._plan(), self._scenario)
        return self._plan

    @property
    def pack_shipments(self) -> pd.DataFrame:
        """Shipments in whole packs: item, from, to, packs, pack_size, units, km."""
        return self._table("pack_shipments")

    @property
    def trips(self) -> pd.DataFrame:
        """Trips: county, from, to, vehicle, items, packs, units, load_pct, km."""
        return self._table("trips")

    @property
    def levels(self) -> pd.DataFrame:
        """The MIP's objective levels per county: county, rank, level, value, status, gap."""
        return self._table("levels")

    @property
    def synthetic(self) -> bool:
        """True when the logistics figures are synthetic."""
        return self._core.synthetic

    def to_json(self) -> str:
        """The whole result as JSON (as ``allocnet county-round --logistics FILE --format json``)."""
        return self._core.to_json()

    def plot(self, ax: "Optional[Axes]" = None) -> "Axes":
        """Load (% of the vehicle capacity) per trip, one bar per trip labelled
        ``from→to #vehicle``. Needs matplotlib; returns the axes."""
        import matplotlib.pyplot as plt

        trips = self.trips
        if ax is None:
            _, ax = plt.subplots(figsize=(8, 0.3 * max(len(trips), 4) + 1))
        labels = [f"{f}→{t} #{v}" for f, t, v in zip(trips["from"], trips["to"], trips["vehicle"])]
        ax.barh(range(len(trips)), trips["load_pct"], tick_label=labels)
        ax.axvline(100.0, color="grey", linestyle="--", linewidth=1)
        ax.invert_yaxis()
        ax.set_xlabel("load, % of the vehicle capacity (litres)")
        ax.set_title(f"{len(trips)} trips" if len(trips) else "no trips (no vehicle in the logistics data)")
        return ax

    def __repr__(self) -> str:
        return repr(self._core)

    def _repr_html_(self) -> str:
        trips = self.trips
        packs = self.pack_shipments
        parts = [
            "<div class='allocnet-trips-plan'>",
            f"<h4>allocnet trips plan: {html.escape(self.plan.scenario_name)}</h4>",
            f"<p><b>Shipments:</b> {len(packs)} ({int(packs['packs'].sum())} packs, "
            f"{int(packs['units'].sum())} units) &middot; <b>trips:</b> {len(trips)}",
        ]
        if len(trips):
            parts.append(f" (mean load {float(trips['load_pct'].mean()):.1f} %)")
        if self.synthetic:
            parts.append("<br><b>SYNTHETIC</b> logistics figures")
        parts.append("</p>")
        if len(self.levels):
            parts.append("<p><b>Objective levels</b> (per county, minimised in rank order)</p>")
            parts.append(self.levels.to_html(index=False, border=0))
        parts.append("</div>")
        return "\n".join(parts)
