"""The testing-capacity plan: :class:`TestingScenario` in, :func:`testing_plan`,
:class:`TestingPlan` out (``docs/testing.md``).

PCR and serology testing for one week: tests per group and sampling site, sample flows
to labs, kit shipments, untested need with reasons, the value of more capacity, the
public guidance and the county status picture. The plan is Rust (an LP through HiGHS,
GIL released); this module turns every output of ``allocnet testing`` into tidy
DataFrames (columns in :data:`TESTING_COLUMNS`).
"""

from __future__ import annotations

import html
import json
import os
from pathlib import Path
from typing import Any, Dict, List, Union

import pandas as pd

from allocnet import _allocnet
from allocnet._allocnet import TestingScenario
from allocnet._tables import Spec, frame, html_table

__all__ = ["TESTING_COLUMNS", "TEST_TYPES", "TestingScenario", "TestingPlan", "testing_plan"]

PathLike = Union[str, "os.PathLike[str]"]

#: Test types.
TEST_TYPES: List[str] = ["pcr", "serology"]
#: Why demand stays untested (``docs/testing.md``).
UNTESTED_REASONS: List[str] = ["no-site-in-reach", "sites-full", "kits-exhausted", "labs-full"]
#: Capacity resources with a dual value.
RESOURCES: List[str] = ["site-capacity", "lab-capacity", "site-kits", "store-kits"]
#: Kinds of sampling site.
SITE_KINDS: List[str] = ["drive-in", "health-centre", "home-test-pickup"]

_S, _I, _F = "string", "int64", "float64"
_TT = "category:test_type"
_TRANSPORT: Spec = [
    ("from", _S, "from (site or store id)"),
    ("to", _S, "to (lab or site id)"),
    ("test_type", _TT, "pcr or serology"),
    ("quantity", _I, "samples or kits per week"),
    ("km", _F, "great-circle km x detour factor"),
]

#: Columns and dtypes of the testing plan tables. Categories: ``test_type`` (pcr,
#: serology), ``reason`` (:data:`UNTESTED_REASONS`), ``resource`` (:data:`RESOURCES`),
#: ``kind`` (:data:`SITE_KINDS`).
TESTING_COLUMNS: Dict[str, Spec] = {
    "tests": [
        ("municipality", _S, "municipality code"),
        ("municipality_name", _S, "municipality name"),
        ("county", _S, "county name"),
        ("group", _S, "group id"),
        ("priority", _I, "group priority (lower is served first)"),
        ("test_type", _TT, "pcr or serology"),
        ("site", _S, "sampling site id"),
        ("tests", _I, "tests per week"),
        ("km", _F, "travel from the municipality to the site, km"),
    ],
    "unmet": [
        ("municipality", _S, "municipality code"),
        ("county", _S, "county name"),
        ("group", _S, "group id"),
        ("priority", _I, "group priority"),
        ("test_type", _TT, "pcr or serology"),
        ("demand", _I, "tests needed per week"),
        ("tested", _I, "tests planned"),
        ("untested", _I, "demand - tested (> 0)"),
        ("reason", "category:reason", "why it stays untested"),
    ],
    "sites": [
        ("site", _S, "sampling site id"),
        ("name", _S, "site name"),
        ("county", _S, "county name"),
        ("kind", "category:kind", "drive-in, health-centre or home-test-pickup"),
        ("capacity_per_week", _I, "samples per week (capacity per day x opening days)"),
        ("pcr", _I, "PCR tests planned"),
        ("serology", _I, "serology tests planned"),
        ("utilisation", _F, "(pcr + serology) / capacity_per_week"),
    ],
    "labs": [
        ("lab", _S, "laboratory id"),
        ("name", _S, "laboratory name"),
        ("county", _S, "county name"),
        ("test_type", _TT, "pcr or serology"),
        ("samples", _I, "samples received per week"),
        ("analyses", _I, "analyses per week (samples / pooling, rounded up)"),
        ("analyses_capacity", _I, "analyses per week possible"),
        ("pooling", _I, "samples per analysis"),
        ("utilisation", _F, "analyses / analyses_capacity"),
    ],
    "sample_flows": _TRANSPORT,
    "kit_shipments": _TRANSPORT,
    "kits": [
        ("site", _S, "sampling site id"),
        ("test_type", _TT, "pcr or serology"),
        ("on_hand", _I, "kits at the start of the week"),
        ("received", _I, "kits shipped in from stores"),
        ("used", _I, "kits used by planned tests"),
        ("left", _I, "on_hand + received - used"),
    ],
    "capacity_values": [
        ("resource", "category:resource", "site-capacity, lab-capacity, site-kits or store-kits"),
        ("id", _S, "site, lab or store id"),
        ("county", _S, "county name"),
        ("test_type", _S, "pcr, serology, or all (site capacity is shared by both types)"),
        ("level", _S, "first objective level where one more unit is worth something (priority N, travel, transport)"),
        ("level_index", _I, "index of that level (0 = first)"),
        ("value", _F, "value of one more unit at that level (tests, or km)"),
        ("load", _I, "used per week"),
        ("capacity", _I, "available per week"),
    ],
    "untested_by_priority": [
        ("priority", _I, "group priority"),
        ("demand", _I, "tests needed per week"),
        ("untested", _I, "tests not planned"),
    ],
    "objective": [
        ("rank", _I, "1 = minimised first"),
        ("level", _S, "priority N (untested tests), travel (person-km) or transport (sample + kit km)"),
        ("value", _F, "the level's optimum"),
    ],
    "guidance": [
        ("county", _S, "county name"),
        ("municipality", _S, "municipality code"),
        ("municipality_name", _S, "municipality name"),
        ("group", _S, "group id"),
        ("group_name", _S, "group name"),
        ("test_type", _TT, "pcr or serology"),
        ("site", _S, "where to go: site id (empty when no site this week)"),
        ("site_name", _S, "site name"),
        ("address", _S, "site address"),
        ("kind", _S, "site kind"),
        ("days", _S, "opening days in words, e.g. Monday to Friday"),
        ("km", "Float64", "distance from the municipality, km to 0.1 (NA on a row without a site)"),
        ("tests", "Int64", "tests planned there per week (NA on a row without a site)"),
        ("note", _S, "for people: what to do when no site is given or not all can be tested"),
    ],
    "status": [
        ("county", _S, "county name"),
        ("week", _S, "week label"),
        ("test_type", _TT, "pcr or serology"),
        ("demand", _I, "tests needed per week"),
        ("tested", _I, "tests planned"),
        ("untested", _I, "demand - tested"),
        ("sampling_capacity", _I, "sampling capacity per week offering the type"),
        ("lab_capacity", _I, "lab capacity per week for the type, samples"),
        ("capacity_gap", _I, "max(0, demand - min(sampling, lab))"),
        ("grow_at", _S, "where capacity should grow: the highest-valued sites/labs, '; '-separated"),
    ],
}

_CATEGORIES = {"test_type": TEST_TYPES, "reason": UNTESTED_REASONS, "resource": RESOURCES, "kind": SITE_KINDS}

#: The files of ``allocnet testing --out DIR``.
OUT_FILES: List[str] = [
    "plan.json",
    "tests.csv",
    "unmet.csv",
    "sites.csv",
    "labs.csv",
    "sample_flows.csv",
    "kit_shipments.csv",
    "kits.csv",
    "capacity_values.csv",
    "guidance.csv",
    "guidance.html",
    "status.csv",
]


def testing_plan(scenario: TestingScenario) -> "TestingPlan":
    """Plans the testing week (``allocnet testing``; GIL released): lexicographically
    the fewest untested by priority, then people's travel, then sample and kit
    transport."""
    if not isinstance(scenario, TestingScenario):
        raise TypeError(f"testing_plan expects an allocnet.TestingScenario, got {type(scenario).__name__}")
    return TestingPlan(dict(_allocnet._testing_plan(scenario)))


class TestingPlan:
    """A testing week's plan.

    Tables (columns and dtypes in :data:`TESTING_COLUMNS`): :attr:`tests`,
    :attr:`unmet`, :attr:`sites`, :attr:`labs`, :attr:`sample_flows`,
    :attr:`kit_shipments`, :attr:`kits`, :attr:`capacity_values`,
    :attr:`untested_by_priority`, :attr:`objective`, :attr:`guidance` and
    :attr:`status`. :meth:`guidance_html` is the printable public guidance page,
    :meth:`files` / :meth:`write` the files of ``allocnet testing --out``, :attr:`report`
    what it prints.
    """

    __slots__ = ("_outputs", "_plan", "_frames")
    __test__ = False  # not a pytest test class

    def __init__(self, outputs: Dict[str, str]) -> None:
        self._outputs = outputs
        self._plan: Dict[str, Any] = json.loads(outputs["plan.json"])
        self._frames: Dict[str, pd.DataFrame] = {}

    def _rows(self, name: str) -> List[Dict[str, Any]]:
        p = self._plan
        if name == "tests":
            return list(p["assignments"])
        if name == "capacity_values":
            return [dict(v, test_type=v["test_type"] or "all") for v in p["capacity_values"]]
        if name == "untested_by_priority":
            return list(p["objective"]["untested_by_priority"])
        if name == "objective":
            return [dict(level, rank=i + 1) for i, level in enumerate(p["objective"]["levels"])]
        if name == "guidance":
            return list(json.loads(self._outputs["guidance.json"]))
        if name == "status":
            return [dict(r, grow_at="; ".join(r["grow_at"])) for r in json.loads(self._outputs["status.json"])]
        rows: List[Dict[str, Any]] = p[name]
        return rows

    def _table(self, name: str) -> pd.DataFrame:
        if name not in self._frames:
            self._frames[name] = frame(self._rows(name), TESTING_COLUMNS[name], _CATEGORIES)
        return self._frames[name].copy()

    @property
    def tests(self) -> pd.DataFrame:
        """Tests per municipality, group, test type and site."""
        return self._table("tests")

    @property
    def unmet(self) -> pd.DataFrame:
        """Untested demand by municipality, group, priority and type, with the reason."""
        return self._table("unmet")

    @property
    def sites(self) -> pd.DataFrame:
        """Sampling site loads and utilisation."""
        return self._table("sites")

    @property
    def labs(self) -> pd.DataFrame:
        """Lab loads (samples, analyses, pooling) and utilisation per test type."""
        return self._table("labs")

    @property
    def sample_flows(self) -> pd.DataFrame:
        """Samples site -> lab per test type."""
        return self._table("sample_flows")

    @property
    def kit_shipments(self) -> pd.DataFrame:
        """Kits store -> site per test type."""
        return self._table("kit_shipments")

    @property
    def kits(self) -> pd.DataFrame:
        """Kits per site and type: on hand, received, used, left."""
        return self._table("kits")

    @property
    def capacity_values(self) -> pd.DataFrame:
        """The value of one more unit of each binding capacity (dual prices), most important first."""
        return self._table("capacity_values")

    @property
    def untested_by_priority(self) -> pd.DataFrame:
        """Demand and untested tests per priority."""
        return self._table("untested_by_priority")

    @property
    def objective(self) -> pd.DataFrame:
        """The objective levels in the order they are minimised."""
        return self._table("objective")

    @property
    def guidance(self) -> pd.DataFrame:
        """The public guidance: where each municipality's groups go, per test type."""
        return self._table("guidance")

    @property
    def status(self) -> pd.DataFrame:
        """The capacity status picture per county, week and test type."""
        return self._table("status")

    def guidance_html(self) -> str:
        """The public guidance as a printable HTML page (``guidance.html``)."""
        return self._outputs["guidance.html"]

    @property
    def report(self) -> str:
        """The readable report (what ``allocnet testing`` prints)."""
        return self._outputs["report.txt"]

    def to_json(self) -> str:
        """The plan as JSON (``plan.json``)."""
        return self._outputs["plan.json"]

    def files(self) -> Dict[str, str]:
        """The files of ``allocnet testing --out DIR``: name -> text."""
        return {name: self._outputs[name] for name in OUT_FILES}

    def write(self, directory: PathLike) -> List[str]:
        """Writes :meth:`files` into ``directory`` (created if needed); returns the names."""
        path = Path(directory)
        path.mkdir(parents=True, exist_ok=True)
        for name, text in self.files().items():
            (path / name).write_text(text, encoding="utf-8")
        return list(OUT_FILES)

    @property
    def scenario_name(self) -> str:
        """Scenario name."""
        name: str = self._plan["scenario"]
        return name

    @property
    def week(self) -> str:
        """The week planned."""
        week: str = self._plan["week"]
        return week

    @property
    def synthetic(self) -> bool:
        """True when the scenario's figures are synthetic."""
        return bool(self._plan["synthetic"])

    @property
    def duals_available(self) -> bool:
        """True when the LP solver gave dual prices (then :attr:`capacity_values` is filled)."""
        return bool(self._plan["duals_available"])

    def summary(self) -> Dict[str, Any]:
        """The figures: tests, untested, person_km, sample_km, kit_km,
        fractional_rounded_down."""
        o = self._plan["objective"]
        return {
            "tests": sum(a["tests"] for a in self._plan["assignments"]),
            "untested": sum(u["untested"] for u in self._plan["unmet"]),
            "person_km": o["person_km"],
            "sample_km": o["sample_km"],
            "kit_km": o["kit_km"],
            "fractional_rounded_down": o["fractional_rounded_down"],
        }

    def __repr__(self) -> str:
        s = self.summary()
        return (
            f"TestingPlan(scenario={self.scenario_name!r}, week={self.week!r}, tests={s['tests']}, "
            f"untested={s['untested']})"
        )

    def _repr_html_(self) -> str:
        s = self.summary()
        esc = html.escape
        status = self.status
        parts = [
            "<div class='allocnet-testing-plan'>",
            f"<h4>allocnet testing plan: {esc(self.scenario_name)}, week {esc(self.week)}</h4>",
            f"<p><b>Tests planned</b> {s['tests']:,} &middot; <b>untested</b> {s['untested']:,}<br>",
            f"<b>Travel</b> {s['person_km']:,.1f} person-km &middot; <b>samples</b> {s['sample_km']:,.1f} km "
            f"&middot; <b>kits</b> {s['kit_km']:,.1f} km",
        ]
        if self.synthetic:
            parts.append("<br><b>SYNTHETIC</b> capacities and demand")
        parts += [
            "</p><p><b>Untested by priority</b></p>",
            html_table(self.untested_by_priority),
            "<p><b>Where capacity should grow</b></p>",
            html_table(self.capacity_values[["resource", "id", "test_type", "level", "value"]]),
            "<p><b>Counties with a capacity gap</b></p>",
            html_table(status[status["capacity_gap"] > 0]),
            "</div>",
        ]
        return "\n".join(parts)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, TestingPlan) and self._outputs == other._outputs

    __hash__ = None  # type: ignore[assignment]

    def __getstate__(self) -> Dict[str, Any]:
        return {"outputs": self._outputs}

    def __setstate__(self, state: Dict[str, Any]) -> None:
        self.__init__(state["outputs"])  # type: ignore[misc]
