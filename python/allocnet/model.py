"""The model API: :class:`Scenario` in, :func:`county_round`, :class:`Plan` out.

Both classes are thin Python wrappers of the compiled ``allocnet._allocnet.Scenario``
and ``Plan``: the model logic (validation, the round, reasons, dual prices, the county
request) is Rust; this layer adds DataFrames (:mod:`allocnet.frames`), notebook
summaries and plots (:mod:`allocnet.plot`). Both pickle (through their JSON form), so
sweeps can ship them to worker processes.
"""

from __future__ import annotations

import html
import os
from typing import TYPE_CHECKING, Any, Dict, List, Optional, Union

import pandas as pd

from allocnet import _allocnet, frames
from allocnet.result_base import CoreWrapper

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes

__all__ = ["Scenario", "Plan", "county_round"]

PathLike = Union[str, "os.PathLike[str]"]


class Scenario(CoreWrapper):
    """One planning round's input: sites, items, priority classes, status reports,
    lanes and parameters (see ``docs/input-formats.md`` for every field and unit).

    Create it with :meth:`from_frames` (pandas or polars DataFrames, the tables of the
    CSV format), :meth:`from_json`, :meth:`load` (a JSON file or a CSV directory) or a
    built-in (:meth:`vastmanland`, :meth:`sweden`). Every value is checked when the
    scenario is created; all problems are reported at once as
    :class:`~allocnet.InvalidInputError`.
    """

    __slots__ = ("_core", "_tables")

    def __init__(self, core: _allocnet.Scenario) -> None:
        if not isinstance(core, _allocnet.Scenario):
            raise TypeError("use Scenario.from_frames / from_json / load / vastmanland / sweden")
        self._core = core
        self._tables: Optional[Dict[str, pd.DataFrame]] = None

    # -- creating -----------------------------------------------------------------

    @classmethod
    def from_frames(
        cls,
        sites: Any,
        items: Any,
        status: Any,
        *,
        lanes: Any = None,
        deliveries: Any = None,
        need_split: Any = None,
        distances: Any = None,
        priorities: Any = None,
        parameters: Any = None,
    ) -> "Scenario":
        """A scenario from DataFrames with the columns of the CSV tables.

        Required: ``sites`` (id, name, kind, county, lat, lon), ``items`` (id, name,
        unit), ``status`` (site, item, stock, consumption_per_day, and optionally
        reserve_days, acute_need, planning_need, priority). Optional: ``lanes`` (from,
        to, km, capacity), ``deliveries`` (site, item, day, quantity), ``need_split``
        (site, item, class, share | acute, planning), ``distances`` (from, to, km),
        ``priorities`` (id, name; highest first) and ``parameters`` (a dict or a
        name/value DataFrame: acute_window_hours, horizon_days, detour_factor,
        reserve_days, default_priority, name, synthetic, note).

        An empty cell (NaN/None) means the field's default. Errors name the table as
        its CSV file: ``status.csv line 13, column stock`` is row position 11 of the
        ``status`` DataFrame.
        """
        tables = {
            "sites": sites,
            "items": items,
            "status": status,
            "lanes": lanes,
            "deliveries": deliveries,
            "need_split": need_split,
            "distances": distances,
            "priorities": priorities,
            "parameters": parameters,
        }
        return cls(frames.scenario_from_tables({k: v for k, v in tables.items() if v is not None}))

    @classmethod
    def from_json(cls, text: str, source_name: str = "<json>") -> "Scenario":
        """A scenario from JSON text (the format of :meth:`to_json`)."""
        return cls(_allocnet.Scenario.from_json(text, source_name))

    @classmethod
    def load(cls, path: PathLike) -> "Scenario":
        """A scenario from a JSON file or a directory of CSV tables."""
        return cls(_allocnet.Scenario.load(path))

    @classmethod
    def from_csv_dir(cls, path: PathLike) -> "Scenario":
        """A scenario from a directory of CSV tables (sites.csv, items.csv, ...)."""
        return cls(_allocnet.Scenario.from_csv_dir(path))

    @classmethod
    def vastmanland(cls, seed: Optional[int] = None) -> "Scenario":
        """Västmanland (county 19): real geography, SYNTHETIC status. ``seed=None`` is
        the embedded default scenario."""
        return cls(_allocnet.Scenario.vastmanland(seed))

    @classmethod
    def sweden(cls, seed: int = 2020) -> "Scenario":
        """All of Sweden's 290 municipalities: real geography, SYNTHETIC status."""
        return cls(_allocnet.Scenario.sweden(seed))

    # -- out ------------------------------------------------------------------------

    def to_json(self) -> str:
        """The scenario as JSON text (what :meth:`from_json` and the CLI read)."""
        return self._core.to_json()

    def write_csv_dir(self, path: PathLike) -> None:
        """Writes the scenario as CSV tables into ``path`` (created if needed)."""
        self._core.write_csv_dir(path)

    def to_frames(self) -> Dict[str, pd.DataFrame]:
        """The input tables as DataFrames, keyed like :meth:`from_frames`'s arguments
        (optional tables only when present). ``from_frames(**s.to_frames())`` gives
        back an equal scenario."""
        if self._tables is None:
            self._tables = frames.scenario_tables(self._core)
        return {k: v.copy() for k, v in self._tables.items()}

    @property
    def sites(self) -> pd.DataFrame:
        """Sites: id, name, kind, county, lat, lon (degrees WGS84)."""
        return self.to_frames()["sites"]

    @property
    def items(self) -> pd.DataFrame:
        """Items: id, name, unit."""
        return self.to_frames()["items"]

    @property
    def status(self) -> pd.DataFrame:
        """Status reports: one row per site and item."""
        return self.to_frames()["status"]

    @property
    def name(self) -> str:
        """Scenario name."""
        return self._core.name

    @property
    def synthetic(self) -> bool:
        """True when stock, consumption or needs are synthetic."""
        return self._core.synthetic

    @property
    def note(self) -> Optional[str]:
        """Sources and assumptions."""
        return self._core.note

    @property
    def priority_classes(self) -> List[str]:
        """Priority class ids in force, highest first."""
        return self._core.priority_classes

    @property
    def core(self) -> _allocnet.Scenario:
        """The compiled scenario object."""
        return self._core

    # -- solving --------------------------------------------------------------------

    def county_round(self, engine: str = "auto", strategy: str = "auto") -> "Plan":
        """Runs the county round on this scenario (see :func:`county_round`)."""
        return county_round(self, engine=engine, strategy=strategy)

    # -- Python protocols -----------------------------------------------------------

    def __repr__(self) -> str:
        return repr(self._core)


def county_round(
    scenario: Scenario,
    *,
    engine: str = "auto",
    strategy: str = "auto",
    lookahead: Optional[int] = None,
    logistics: Any = None,
    time_limit: Optional[float] = None,
    max_nodes: Optional[int] = None,
    max_lp_work: Optional[int] = None,
) -> Any:
    """The county's resource-coordination meeting on ``scenario``.

    Redistributes within the county to minimise, in this order, unmet acute need
    priority class by priority class, unmet planning need, and transport (unit-km),
    never taking a donor below its own acute requirement plus reserve. ``engine`` is
    ``"auto"`` (default: the network simplex, or cost scaling on large sparse networks; a county
    round's networks are far below that size),
    ``"simplex"`` (network simplex), ``"cost-scaling"`` or ``"lp"`` (HiGHS); ``strategy`` is ``"auto"``,
    ``"weighted"`` or ``"level-by-level"``. The GIL is released while it runs.
    ``lookahead=DAYS``: the lookahead round over the coming days instead
    (:func:`allocnet.lookahead.lookahead_round`, a :class:`~allocnet.lookahead.LookaheadPlan`).
    ``logistics=``: a dict, a JSON file path or ``"builtin"`` (SYNTHETIC): the round
    in whole packs, trips, minimum loads and substitutes
    (:func:`allocnet.trips.trips_round`, a :class:`~allocnet.trips.TripsPlan`);
    ``time_limit``, ``max_nodes``, ``max_lp_work``: the limits per objective level of
    its MIP (see :func:`allocnet.trips.trips_round`).
    """
    if not isinstance(scenario, Scenario):
        raise TypeError(f"county_round expects an allocnet.Scenario, got {type(scenario).__name__}")
    if logistics is not None and lookahead is not None:
        raise ValueError("the lookahead round does not plan packs and trips; pass lookahead or logistics, not both")
    limits = {"time_limit": time_limit, "max_nodes": max_nodes, "max_lp_work": max_lp_work}
    for name, value in limits.items():
        if value is not None and logistics is None:
            raise ValueError(f"{name} applies to the round with logistics data; pass logistics= too")
    if logistics is not None:  # packs, trips, minimum loads, substitutes (docs/trips.md)
        from allocnet.trips import trips_round

        return trips_round(scenario, logistics, engine=engine, strategy=strategy, **limits)
    if lookahead is not None:  # the lookahead round over `lookahead` days (docs/lookahead.md)
        from allocnet.lookahead import lookahead_round

        return lookahead_round(scenario, lookahead, engine=engine)
    return Plan(scenario._core.county_round(engine, strategy), scenario)


class Plan(CoreWrapper):
    """The result of a county round.

    Tables (pandas DataFrames, tidy, columns and dtypes in
    :data:`allocnet.frames.PLAN_COLUMNS`): :attr:`shipments`, :attr:`unmet`,
    :attr:`stock_after`, :attr:`dual_prices`, :attr:`objective` (the levels, in the
    order they are minimised), :attr:`reasons` and :attr:`county_request`.
    In Jupyter a plan shows a summary; :meth:`plot_map` and :meth:`plot_unmet` draw it.
    """

    __slots__ = ("_core", "_scenario", "_frames", "_columns")
    _pickled = ("_scenario",)

    def __init__(self, core: _allocnet.Plan, scenario: Optional[Scenario] = None) -> None:
        self._core = core
        self._scenario = scenario
        self._frames: Dict[str, pd.DataFrame] = {}
        self._columns: Optional[frames.PlanColumns] = None

    @classmethod
    def from_json(cls, text: str, scenario: Optional[Scenario] = None) -> "Plan":
        """A plan from :meth:`to_json` text (``scenario`` is needed for maps)."""
        return cls(_allocnet.Plan.from_json(text), scenario)

    def to_json(self) -> str:
        """The full plan as JSON: the same text as ``allocnet county-round --format json``."""
        return self._core.to_json()

    def _table(self, name: str) -> pd.DataFrame:
        if name not in self._frames:
            if self._columns is None:  # every table's columns at once
                self._columns = frames.PlanColumns(self._core)
            self._frames[name] = frames.plan_table(self._core, name, self._columns)
        # The caller gets its own frame: a shallow copy where pandas copies on write.
        return self._frames[name].copy(deep=not frames.COPY_ON_WRITE)

    @property
    def shipments(self) -> pd.DataFrame:
        """Shipments decided at the meeting: item, from, to, quantity, km."""
        return self._table("shipments")

    @property
    def unmet(self) -> pd.DataFrame:
        """Needs left unmet: item, site, priority, window, need, unmet, reason, explanation."""
        return self._table("unmet")

    @property
    def stock_after(self) -> pd.DataFrame:
        """Stock per site and item: before, received, sent, after."""
        return self._table("stock_after")

    @property
    def dual_prices(self) -> pd.DataFrame:
        """Marginal value of one more unit per site and item: level, km, raw."""
        return self._table("dual_prices")

    @property
    def objective(self) -> pd.DataFrame:
        """The objective levels per item, in the order they are minimised."""
        return self._table("objective")

    @property
    def reasons(self) -> pd.DataFrame:
        """Unmet need summed by item, window and reason."""
        return self._table("reasons")

    @property
    def county_request(self) -> pd.DataFrame:
        """The combined county request: remaining acute need per county, item, site and class."""
        return self._table("county_request")

    @property
    def scenario(self) -> Optional[Scenario]:
        """The scenario the plan was made from (None when read from JSON alone)."""
        return self._scenario

    @property
    def scenario_name(self) -> str:
        """Scenario name."""
        return self._core.scenario_name

    @property
    def synthetic(self) -> bool:
        """True when the scenario's figures are synthetic (then so is the plan)."""
        return self._core.synthetic

    @property
    def engine(self) -> str:
        """``"auto"``, ``"simplex"``, ``"cost-scaling"`` or ``"lp"`` (as asked)."""
        return self._core.engine

    @property
    def priority_classes(self) -> List[str]:
        """Priority class ids, highest first."""
        return self._core.priority_classes

    @property
    def acute_window_hours(self) -> float:
        """Acute window in hours."""
        return self._core.acute_window_hours

    @property
    def horizon_days(self) -> float:
        """Planning horizon in days."""
        return self._core.horizon_days

    @property
    def core(self) -> _allocnet.Plan:
        """The compiled plan object."""
        return self._core

    def objective_levels(self) -> pd.DataFrame:
        """The objective as one row per item and one column per level (acute levels by
        class, planning, transport_unit_km) — the wide view of :attr:`objective`."""
        long = self.objective
        wide = long.pivot(index="item", columns="level", values="value")
        order = [lvl for lvl in long["level"].drop_duplicates()]
        return wide[order].loc[long["item"].drop_duplicates()]

    def plot_map(self, item: Optional[str] = None, ax: "Optional[Axes]" = None, **kwargs: Any) -> "Axes":
        """Sites on their coordinates, shipments as arrows (width by quantity), unmet
        acute need highlighted. See :func:`allocnet.plot.plot_map`."""
        from allocnet.plot import plot_map

        return plot_map(self, item=item, ax=ax, **kwargs)

    def plot_unmet(self, window: str = "acute", ax: "Optional[Axes]" = None) -> "Axes":
        """Bar chart of unmet need by site and priority class. See
        :func:`allocnet.plot.plot_unmet`."""
        from allocnet.plot import plot_unmet

        return plot_unmet(self, window=window, ax=ax)

    plot = plot_map

    # -- summaries ------------------------------------------------------------------

    def _acute_by_class(self) -> pd.Series:
        unmet = self.unmet
        acute = unmet[unmet["window"] == "acute"]
        return acute.groupby("priority", observed=False)["unmet"].sum()

    def status_line(self) -> str:
        """One line: whether all acute need is covered."""
        acute = self._acute_by_class()
        total = int(acute.sum())
        if total == 0:
            return "all acute need covered within the county"
        sites = self.unmet.query("window == 'acute'")["site"].nunique()
        return f"acute need unmet: {total} units at {sites} sites (goes to the county request)"

    def __repr__(self) -> str:
        return (
            f"Plan(scenario={self.scenario_name!r}, engine={self.engine!r}, "
            f"shipments={len(self.shipments)}, {self.status_line()})"
        )

    def _repr_html_(self) -> str:
        esc = html.escape
        shipments = self.shipments
        objective = self.objective_levels()
        unmet = self.unmet
        acute = unmet[unmet["window"] == "acute"].sort_values(["unmet", "item", "site"], ascending=[False, True, True])
        names: Dict[str, str] = {}
        if self._scenario is not None:
            sites = self._scenario.sites
            names = dict(zip(sites["id"], sites["name"]))
        parts = [
            "<div class='allocnet-plan'>",
            f"<h4>allocnet plan: {esc(self.scenario_name)}</h4>",
            "<p>",
            f"<b>Status:</b> {esc(self.status_line())}<br>",
            f"<b>Engine:</b> {esc(self.engine)} &middot; <b>acute window</b> {self.acute_window_hours:g} h &middot; "
            f"<b>horizon</b> {self.horizon_days:g} days<br>",
            f"<b>Shipments:</b> {len(shipments)} ({int(shipments['quantity'].sum())} units in total)",
        ]
        if self.synthetic:
            parts.append("<br><b>SYNTHETIC</b> figures (stock, consumption and needs are generated)")
        parts.append("</p><p><b>Objective levels</b> (minimised left to right)</p>")
        parts.append(objective.to_html(float_format=lambda v: f"{v:g}", border=0))
        parts.append("<p><b>Top acute shortfalls</b></p>")
        if acute.empty:
            parts.append("<p>none</p>")
        else:
            top = acute.head(10).copy()
            top.insert(2, "site_name", [names.get(s, "") for s in top["site"]])
            top = top[["item", "site", "site_name", "priority", "unmet", "reason"]]
            parts.append(top.to_html(index=False, border=0))
        parts.append("</div>")
        return "\n".join(parts)
