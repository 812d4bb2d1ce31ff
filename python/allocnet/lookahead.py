"""The lookahead round: the county meeting planned over the coming days at once (stock
carried over, lead times, meeting days; see docs/lookahead.md)."""

from __future__ import annotations

import numbers
from typing import Any, Dict, Optional, Sequence, Tuple

import numpy as np
import pandas as pd

from allocnet import _allocnet
from allocnet.json_input import json_text
from allocnet.result_base import ExportedTables
from allocnet._tables import ResultTables
from allocnet.model import Scenario

__all__ = ["LookaheadPlan", "lookahead_round"]


def lookahead_round(
    scenario: Scenario,
    days: int = 7,
    *,
    meeting_days: Optional[Sequence[str]] = None,
    options: Optional[Dict[str, Any]] = None,
    engine: str = "simplex",
) -> "LookaheadPlan":
    """Plans the coming ``days`` days of ``scenario``'s county meetings at once.

    ``meeting_days``: weekday names on which shipments leave (default mon, wed, fri;
    ``["every"]`` for every day). ``options``: further lookahead options as in
    ``--lookahead-options`` (``start``, ``same_day_km``, ``lead_days``, ``storage``).
    The GIL is released while it runs.
    """
    if not isinstance(scenario, Scenario):
        raise TypeError(f"lookahead_round expects an allocnet.Scenario, got {type(scenario).__name__}")
    if isinstance(days, bool) or not isinstance(days, numbers.Integral):
        raise TypeError(f"days must be a whole number of days, got {type(days).__name__}")
    if isinstance(meeting_days, str):
        raise TypeError("meeting_days must be a list of weekday names, got str")
    text = json_text(options, "lookahead") if options is not None else None
    days_list = list(meeting_days) if meeting_days is not None else None
    return LookaheadPlan(_allocnet._lookahead_round(scenario._core, days, days_list, text, engine))


class LookaheadPlan(ExportedTables):
    """The result of a lookahead round. Tables (pandas DataFrames): :attr:`shipments`
    (``today`` marks the ones to decide now), :attr:`site_days` (projection with and
    without the plan), :attr:`objective`, :attr:`county_request` (with ``due_day``) and
    :attr:`dual_prices`; :meth:`duals` gives the dual prices of one item as site × day
    numpy arrays."""

    __slots__ = ("_core", "_columns")

    def __init__(self, core: _allocnet.LookaheadPlan) -> None:
        self._core = core
        self._columns: Optional[ResultTables] = None

    @property
    def shipments(self) -> pd.DataFrame:
        """Planned shipments: item, from, to, depart_day, arrive_day, quantity, km, today."""
        return self._table("shipments")

    @property
    def site_days(self) -> pd.DataFrame:
        """Per item, site and day: consumption, deliveries, received, sent, served,
        shortage, stock_end, and the same without the plan."""
        return self._table("site_days")

    @property
    def objective(self) -> pd.DataFrame:
        """The levels per item in the order they are minimised (unit-days, unit-km)."""
        return self._table("objective")

    @property
    def county_request(self) -> pd.DataFrame:
        """Acute shortage left per county, item, site and class, with its due day."""
        return self._table("county_request")

    @property
    def dual_prices(self) -> pd.DataFrame:
        """Per item, site and day: the level one more unit improves, value, km."""
        return self._table("dual_prices")

    def duals(self, item: str) -> Tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The dual prices of ``item`` as site × day arrays (scenario site order): level
        index (-1 none), unit-days gained, km saved (negative: spent)."""
        items = self._core.items
        if item not in items:
            raise KeyError(f"unknown item {item!r}; expected one of {', '.join(items)}")
        return self._core._duals(items.index(item))

    @property
    def days(self) -> int:
        """Horizon in days."""
        return self._core.days

    @property
    def shipping_days(self) -> list:
        """Days on which shipments may leave."""
        return self._core.shipping_days

    @property
    def synthetic(self) -> bool:
        """True when the scenario's figures are synthetic."""
        return self._core.synthetic

    def plot_stock(self, item: str, sites: Optional[Sequence[str]] = None, ax: Any = None) -> Any:
        """Stock trajectories of ``item`` (end-of-day stock per site, with the plan as
        solid lines, without it dashed), shortage days with the plan highlighted with
        red markers. ``sites``: the sites to draw (default: every site with a
        shortage without the plan). Needs matplotlib; returns the axes."""
        import matplotlib.pyplot as plt

        days = self.site_days
        days = days[days["item"] == item]
        if days.empty:
            raise KeyError(f"no rows for item {item!r}")
        if sites is None:
            short = days.groupby("site", observed=True)["shortage_without"].sum()
            sites = [s for s in short.index if short[s] > 0] or list(short.index[:5])
        if ax is None:
            _, ax = plt.subplots(figsize=(8, 4.5))
        for site in sites:
            rows = days[days["site"] == site]
            (line,) = ax.plot(rows["day"], rows["stock_end"], marker=".", label=f"{site}")
            ax.plot(rows["day"], rows["stock_end_without"], linestyle="--", color=line.get_color())
            short = rows[rows["shortage"] > 0]
            ax.scatter(short["day"], short["stock_end"], color="red", zorder=3, s=40)
        ax.set_xlabel("day")
        ax.set_ylabel(f"stock of {item} at the end of the day")
        ax.set_title("with the plan (solid), without (dashed); red: shortage days with the plan")
        ax.legend(fontsize="small", ncol=2)
        return ax

    def to_json(self) -> str:
        """The whole plan as JSON (as ``allocnet county-round --lookahead DAYS --format json``)."""
        return self._core.to_json()

    def __repr__(self) -> str:
        return repr(self._core)
