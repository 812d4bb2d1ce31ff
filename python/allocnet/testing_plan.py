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
import os
from pathlib import Path
from typing import Any, Dict, List, Union

import pandas as pd

from allocnet import _allocnet
from allocnet.result_base import CoreWrapper, FramesTables
from allocnet._allocnet import TestingScenario
from allocnet._tables import Frames, Spec, html_table, specs

__all__ = ["TESTING_COLUMNS", "TEST_TYPES", "TestingScenario", "TestingPlan", "testing_plan"]

PathLike = Union[str, "os.PathLike[str]"]

#: Test types (the core's ``TestType::ALL``).
TEST_TYPES: List[str] = list(_allocnet._NAMES["test_type"])
#: Why demand stays untested (``docs/testing.md``; the core's ``UnmetReason::ALL``).
UNTESTED_REASONS: List[str] = list(_allocnet._NAMES["untested_reason"])
#: Capacity resources with a dual value (the core's ``Resource::ALL``).
RESOURCES: List[str] = list(_allocnet._NAMES["resource"])
#: Kinds of sampling site (the core's ``SamplingKind::ALL``).
SITE_KINDS: List[str] = list(_allocnet._NAMES["site_kind"])

#: Columns and dtypes of the testing plan tables, read from the core's schema.
#: Categories: ``test_type`` (:data:`TEST_TYPES`), ``reason``
#: (:data:`UNTESTED_REASONS`), ``resource`` (:data:`RESOURCES`), ``kind``
#: (:data:`SITE_KINDS`).
TESTING_COLUMNS: Dict[str, Spec] = specs(
    "testing_plan", {"category:untested_reason": "category:reason", "category:site_kind": "category:kind"}
)

#: The files of ``allocnet testing --out DIR`` (the core's list).
OUT_FILES: List[str] = list(_allocnet._TESTING_FILES)


def testing_plan(scenario: TestingScenario, progress: bool = False) -> "TestingPlan":
    """Plans the testing week (``allocnet testing``; GIL released): lexicographically
    the fewest untested by priority, then people's travel, then sample and kit
    transport. ``progress``: a tqdm bar on stderr showing the time the solve has
    taken (the plan is one LP solve, so there is no count to show; a widget in
    notebooks)."""
    if not isinstance(scenario, TestingScenario):
        raise TypeError(f"testing_plan expects an allocnet.TestingScenario, got {type(scenario).__name__}")
    if not isinstance(progress, bool):
        raise TypeError(f"progress must be True or False, got {type(progress).__name__}")
    if progress:
        from allocnet.progress import run_with_timer

        return TestingPlan(run_with_timer(lambda: _allocnet._testing_plan(scenario), "testing plan"))
    return TestingPlan(_allocnet._testing_plan(scenario))


class TestingPlan(FramesTables, CoreWrapper):
    """A testing week's plan.

    Tables (columns and dtypes in :data:`TESTING_COLUMNS`): :attr:`tests`,
    :attr:`unmet`, :attr:`sites`, :attr:`labs`, :attr:`sample_flows`,
    :attr:`kit_shipments`, :attr:`kits`, :attr:`capacity_values`,
    :attr:`untested_by_priority`, :attr:`objective`, :attr:`guidance` and
    :attr:`status`. :meth:`guidance_html` is the printable public guidance page,
    :meth:`files` / :meth:`write` the files of ``allocnet testing --out``, :attr:`report`
    what it prints.
    """

    __slots__ = ("_core", "_frames")
    __test__ = False  # not a pytest test class

    def __init__(self, core: _allocnet.TestingPlan) -> None:
        if not isinstance(core, _allocnet.TestingPlan):
            raise TypeError(f"use allocnet.testing_plan(...), not TestingPlan({type(core).__name__})")
        self._core = core
        self._frames = Frames(core)

    @property
    def core(self) -> _allocnet.TestingPlan:
        """The compiled plan object (with its scenario)."""
        return self._core

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
        return self._core.file("guidance.html")

    @property
    def report(self) -> str:
        """The readable report (what ``allocnet testing`` prints)."""
        return self._core.report()

    def to_json(self) -> str:
        """The plan as JSON (``plan.json``)."""
        return self._core.file("plan.json")

    def files(self) -> Dict[str, str]:
        """The files of ``allocnet testing --out DIR``: name -> text."""
        return dict(self._core.files())

    def write(self, directory: PathLike) -> List[str]:
        """Writes :meth:`files` into ``directory`` (created if needed); returns the names."""
        path = Path(directory)
        path.mkdir(parents=True, exist_ok=True)
        files = self.files()
        for name, text in files.items():
            (path / name).write_text(text, encoding="utf-8")
        return list(files)

    @property
    def scenario_name(self) -> str:
        """Scenario name."""
        return self._core.scenario_name

    @property
    def week(self) -> str:
        """The week planned."""
        return self._core.week

    @property
    def synthetic(self) -> bool:
        """True when the scenario's figures are synthetic."""
        return self._core.synthetic

    @property
    def duals_available(self) -> bool:
        """True when the LP solver gave dual prices (then :attr:`capacity_values` is filled)."""
        return self._core.duals_available

    def summary(self) -> Dict[str, Any]:
        """The figures: tests, untested, person_km, sample_km, kit_km,
        fractional_rounded_down."""
        return self._core.summary()

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

