"""The national round: :class:`NationalRound` in, :func:`national_round`,
:class:`NationalPlan` out.

The national agency divides its warehouses' stock among the counties' requests under
a policy (``docs/national.md``), then the goods travel warehouse → county
transshipment point → sites. The round itself is Rust (GIL released); this module
turns the plan into tidy DataFrames (columns in :data:`NATIONAL_COLUMNS`).
"""

from __future__ import annotations

import html
import os
from typing import Any, Dict, List, Union

import pandas as pd

from allocnet import _allocnet
from allocnet.result_base import CoreWrapper, FramesTables
from allocnet._tables import Frames, Spec, html_table, specs
from allocnet.model import Scenario

__all__ = ["POLICIES", "NATIONAL_COLUMNS", "NationalRound", "NationalPlan", "national_round"]

PathLike = Union[str, "os.PathLike[str]"]

#: The national policies, as ``policy=`` takes them (the CLI's and JSON's names; the
#: core's ``Policy::ALL``).
POLICIES: List[str] = list(_allocnet._NAMES["policy"])

#: Columns and dtypes of the national plan tables, read from the core's schema
#: (``category:priority``: the plan's priority classes, highest first).
NATIONAL_COLUMNS: Dict[str, Spec] = specs("national_plan")


class NationalRound(CoreWrapper):
    """One national round's input: priority classes, counties with their
    transshipment points, national warehouses with stock, the counties' requests and
    the requesting sites (``docs/national.md``).

    Make it with :meth:`sweden`, :meth:`after_county_round` (a scenario's county
    round plus the SYNTHETIC default warehouses), :meth:`from_json` or :meth:`load`
    (the ``input`` of a national record of an audit log). Every value is checked when
    it is made (:class:`~allocnet.InvalidInputError` with paths such as
    ``requests[1].county``).
    """

    __slots__ = ("_core",)

    def __init__(self, core: _allocnet.NationalRound) -> None:
        if not isinstance(core, _allocnet.NationalRound):
            raise TypeError("use NationalRound.sweden / after_county_round / from_json / load")
        self._core = core

    @classmethod
    def sweden(cls, seed: int = 2020, national_stock_days: float = 2.0) -> "NationalRound":
        """All of Sweden: the county round of :meth:`Scenario.sweden(seed)
        <allocnet.Scenario.sweden>` gives the 21 counties' requests; two SYNTHETIC
        national warehouses hold ``national_stock_days`` days of base consumption."""
        return cls(_allocnet.NationalRound.sweden(seed, national_stock_days))

    @classmethod
    def after_county_round(cls, scenario: Scenario, national_stock_days: float = 2.0) -> "NationalRound":
        """The round after ``scenario``'s county round (default engine): its county
        requests, the counties' default transshipment points, and the SYNTHETIC
        default warehouses with ``national_stock_days`` days of base consumption."""
        if not isinstance(scenario, Scenario):
            raise TypeError(f"after_county_round expects an allocnet.Scenario, got {type(scenario).__name__}")
        return cls(_allocnet.NationalRound.after_county_round(scenario.core, national_stock_days))

    @classmethod
    def from_json(cls, text: str, source_name: str = "<json>") -> "NationalRound":
        """A round from JSON text (the format of :meth:`to_json`)."""
        return cls(_allocnet.NationalRound.from_json(text, source_name))

    @classmethod
    def load(cls, path: PathLike) -> "NationalRound":
        """A round from a JSON file."""
        return cls(_allocnet.NationalRound.load(path))

    def to_json(self) -> str:
        """The round as JSON text (what :meth:`from_json` reads)."""
        return self._core.to_json()

    @property
    def priority_classes(self) -> List[str]:
        """Priority class ids, highest first."""
        return self._core.priority_classes

    @property
    def counties(self) -> List[str]:
        """County codes that may request."""
        return self._core.counties

    @property
    def warehouses(self) -> List[str]:
        """National warehouse site ids."""
        return self._core.warehouses

    @property
    def core(self) -> _allocnet.NationalRound:
        """The compiled round object."""
        return self._core

    def solve(self, policy: str = "optimal") -> "NationalPlan":
        """:func:`national_round` on this round."""
        return national_round(self, policy=policy)

    def __repr__(self) -> str:
        return repr(self._core)


def national_round(round: NationalRound, *, policy: str = "optimal") -> "NationalPlan":
    """Allocates the national stock among the counties' requests under ``policy``
    (one of :data:`POLICIES`; see ``docs/national.md``), item by item, and delivers it
    to the transshipment points and on to the sites. The GIL is released while it runs.
    """
    if not isinstance(round, NationalRound):
        raise TypeError(f"national_round expects an allocnet.NationalRound, got {type(round).__name__}")
    return NationalPlan(_allocnet._national_round(round.core, policy))


class NationalPlan(FramesTables, CoreWrapper):
    """The national decision and its delivery.

    Tables (pandas DataFrames, columns and dtypes in :data:`NATIONAL_COLUMNS`):
    :attr:`items`, :attr:`acute_unmet`, :attr:`allocations`,
    :attr:`allocations_by_priority`, :attr:`national_shipments`, :attr:`last_mile`,
    :attr:`unmet`, :attr:`stock_after`. Figures: :attr:`total_acute_unmet`,
    :attr:`national_unit_km`, :attr:`last_mile_unit_km`, :meth:`summary`.
    """

    __slots__ = ("_core", "_frames")

    def __init__(self, core: Union[_allocnet.NationalPlan, str]) -> None:
        if isinstance(core, str):  # JSON text, as before the plan was a compiled object
            core = _allocnet.NationalPlan.from_json(core)
        if not isinstance(core, _allocnet.NationalPlan):
            raise TypeError("use national_round(...) or NationalPlan.from_json(text)")
        self._core = core
        self._frames = Frames(core)

    @classmethod
    def from_json(cls, text: str) -> "NationalPlan":
        """A plan from :meth:`to_json` text."""
        return cls(_allocnet.NationalPlan.from_json(text))

    def to_json(self) -> str:
        """The plan as JSON (the ``plan`` of a national record of the audit log)."""
        return self._core.to_json()

    @property
    def core(self) -> _allocnet.NationalPlan:
        """The compiled plan object."""
        return self._core

    @property
    def items(self) -> pd.DataFrame:
        """Per item: stock, requested, approved, smallest county fraction, acute unmet, unit-km per leg."""
        return self._table("items")

    @property
    def acute_unmet(self) -> pd.DataFrame:
        """Acute need left unmet per item and priority class."""
        return self._table("acute_unmet")

    @property
    def allocations(self) -> pd.DataFrame:
        """Approved quantity per county and item, with the fraction of the request."""
        return self._table("allocations")

    @property
    def allocations_by_priority(self) -> pd.DataFrame:
        """Approved quantity per county, item and priority class."""
        return self._table("allocations_by_priority")

    @property
    def national_shipments(self) -> pd.DataFrame:
        """Warehouse -> county transshipment point: item, from, to, quantity, km."""
        return self._table("national_shipments")

    @property
    def last_mile(self) -> pd.DataFrame:
        """Transshipment point -> site: item, from, to, quantity, km."""
        return self._table("last_mile")

    @property
    def unmet(self) -> pd.DataFrame:
        """Acute need left unmet per county, site, item and class."""
        return self._table("unmet")

    @property
    def stock_after(self) -> pd.DataFrame:
        """Warehouse stock before and after the round."""
        return self._table("stock_after")

    @property
    def policy(self) -> str:
        """The policy used."""
        return self._core.policy

    @property
    def priority_classes(self) -> List[str]:
        """Priority class ids, highest first."""
        return self._core.priority_classes

    @property
    def total_acute_unmet(self) -> int:
        """Acute need left unmet over all items and classes (mixed units)."""
        return int(self.summary()["total_acute_unmet"])

    @property
    def national_unit_km(self) -> float:
        """National leg, unit-km over all items."""
        return float(self.summary()["national_unit_km"])

    @property
    def last_mile_unit_km(self) -> float:
        """Last mile, unit-km over all items."""
        return float(self.summary()["last_mile_unit_km"])

    def summary(self) -> Dict[str, Any]:
        """The plan's figures: policy, stock, requested, approved, smallest county
        fraction, acute unmet, unit-km per leg."""
        return self._core.summary()

    def __repr__(self) -> str:
        s = self.summary()
        return (
            f"NationalPlan(policy={s['policy']!r}, approved={s['approved']} of {s['requested']} requested, "
            f"acute_unmet={s['total_acute_unmet']})"
        )

    def _repr_html_(self) -> str:
        s = self.summary()
        allocations = self.allocations.sort_values(["fraction", "county", "item"])
        parts = [
            "<div class='allocnet-national-plan'>",
            f"<h4>allocnet national round: policy {html.escape(s['policy'])}</h4>",
            f"<p><b>Approved</b> {s['approved']:,} of {s['requested']:,} units requested "
            f"(national stock {s['stock']:,}); smallest county fraction {s['min_fraction']:.3f}<br>",
            f"<b>Acute need unmet</b> {s['total_acute_unmet']:,} units &middot; <b>national leg</b> "
            f"{s['national_unit_km']:,.1f} unit-km &middot; <b>last mile</b> {s['last_mile_unit_km']:,.1f} unit-km</p>",
            "<p><b>Per item</b></p>",
            html_table(self.items, limit=50),
            "<p><b>Lowest county fractions</b></p>",
            html_table(allocations),
            "</div>",
        ]
        return "\n".join(parts)

