//! `TestingScenario` (wraps `allocnet::test_capacity::TestingScenario`), `_testing_plan`,
//! which plans the week, and its result `TestingPlan`: tables through the one export
//! of every result, the files of `allocnet testing --out` and the printed report.

use crate::errors::{detached, invalid, to_pyerr};
use crate::macros::pymethods_with_getters;
use allocnet::tables::TestingResult;
use allocnet::test_capacity::output::{testing_files, TESTING_FILES};
use allocnet::test_capacity::report::testing_text;
use allocnet::test_capacity::synthetic::{sweden_testing, vastmanland_testing};
use allocnet::test_capacity::{plan_testing, TestingPlan as CorePlan, TestingScenario as CoreScenario};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyTuple};
use std::path::PathBuf;

/// One week's testing-capacity problem: priority groups, municipalities, demand per
/// group and test type, sampling sites, laboratories, kit stores and parameters
/// (`docs/testing.md`).
///
/// Build it with `from_json`/`load` (the JSON `allocnet testing` reads) or a built-in
/// (`vastmanland`, `sweden`; real geography, SYNTHETIC figures). Every value is checked
/// when it is made; all problems are reported at once with their paths.
#[pyclass(frozen, eq, module = "allocnet._allocnet")]
#[derive(PartialEq)]
pub struct TestingScenario {
    pub(crate) inner: CoreScenario,
}

impl TestingScenario {
    fn checked(py: Python<'_>, inner: CoreScenario) -> PyResult<Self> {
        detached(py, || inner.validate())?;
        Ok(Self { inner })
    }
}

pymethods_with_getters! {
    impl TestingScenario {
        getters |p| {
            /// Scenario name.
            name -> &str { &p.inner.name }
            /// The week planned (free text, e.g. `2020-W20`).
            week -> &str { &p.inner.week }
            /// True when capacities, kits or demand are synthetic.
            synthetic -> bool { p.inner.synthetic }
            /// Group ids in the scenario's order.
            groups -> Vec<String> { p.inner.groups.iter().map(|g| g.id.clone()).collect() }
            /// Number of municipalities.
            municipality_count -> usize { p.inner.municipalities.len() }
            /// Number of sampling sites.
            site_count -> usize { p.inner.sites.len() }
            /// Number of laboratories.
            lab_count -> usize { p.inner.labs.len() }
        }

        /// Parses a testing scenario from JSON text and checks it (`source_name` labels errors).
        #[staticmethod]
        #[pyo3(signature = (text, source_name="<json>"))]
        fn from_json(py: Python<'_>, text: &str, source_name: &str) -> PyResult<Self> {
            // The core's reader: unknown keys are refused too, with their paths.
            let inner = CoreScenario::from_json_str(text, source_name).map_err(to_pyerr)?;
            Self::checked(py, inner)
        }

        /// Reads a testing scenario from a JSON file and checks it.
        #[staticmethod]
        fn load(py: Python<'_>, path: PathBuf) -> PyResult<Self> {
            let inner = detached(py, || CoreScenario::load(&path))?;
            Self::checked(py, inner)
        }

        /// Region Västmanland's testing week: real municipalities and hospital towns,
        /// SYNTHETIC capacities, kits and demand (`allocnet testing vastmanland`).
        #[staticmethod]
        fn vastmanland(py: Python<'_>) -> PyResult<Self> {
            let inner = detached(py, vastmanland_testing)?;
            Self::checked(py, inner)
        }

        /// All of Sweden's testing week (290 municipalities × 6 groups, ~100 sites, 25
        /// labs), SYNTHETIC figures drawn from `seed` (`allocnet testing sweden` uses 2020).
        #[staticmethod]
        #[pyo3(signature = (seed=2020))]
        fn sweden(py: Python<'_>, seed: u64) -> PyResult<Self> {
            let inner = detached(py, || sweden_testing(seed))?;
            Self::checked(py, inner)
        }

        /// The scenario as pretty JSON (the format `from_json` reads).
        fn to_json(&self) -> PyResult<String> {
            self.inner.to_json_string().map_err(to_pyerr)
        }

        fn __repr__(&self) -> String {
            format!(
                "TestingScenario(name={:?}, week={:?}, municipalities={}, sites={}, labs={}, synthetic={})",
                self.inner.name,
                self.inner.week,
                self.inner.municipalities.len(),
                self.inner.sites.len(),
                self.inner.labs.len(),
                if self.inner.synthetic { "True" } else { "False" }
            )
        }

        fn __reduce__<'py>(slf: &Bound<'py, Self>) -> PyResult<(Bound<'py, PyAny>, Bound<'py, PyTuple>)> {
            let py = slf.py();
            let json = slf.get().to_json()?;
            let rebuild = py
                .import("allocnet._allocnet")?
                .getattr("_testing_scenario_from_json")?;
            Ok((rebuild, PyTuple::new(py, [json])?))
        }
    }
}

/// Rebuilds a testing scenario from `to_json` output (pickle support).
#[pyfunction]
pub fn _testing_scenario_from_json(py: Python<'_>, text: &str) -> PyResult<TestingScenario> {
    TestingScenario::from_json(py, text, "<pickle>")
}

/// A testing week's plan (wraps `allocnet::test_capacity::TestingPlan`) with the scenario
/// it was made for (the guidance and status tables and the files need it).
///
/// Tables come out through the one export of every result (`_tables()`);
/// `allocnet.TestingPlan` turns them into DataFrames.
#[pyclass(frozen, eq, module = "allocnet._allocnet")]
#[derive(PartialEq)]
pub struct TestingPlan {
    scenario: CoreScenario,
    plan: CorePlan,
}

impl TestingPlan {
    /// The plan of `scenario` (a sweep's kept testing plan, with its modified scenario).
    pub(crate) fn new(scenario: CoreScenario, plan: CorePlan) -> Self {
        TestingPlan { scenario, plan }
    }

    fn result(&self) -> TestingResult<'_> {
        TestingResult {
            scenario: &self.scenario,
            plan: &self.plan,
        }
    }
}

pymethods_with_getters! {
    impl TestingPlan {
        getters |p| {
            /// Scenario name.
            scenario_name -> &str { &p.plan.scenario }
            /// The week planned.
            week -> &str { &p.plan.week }
            /// True when the scenario's figures are synthetic.
            synthetic -> bool { p.plan.synthetic }
            /// True when the LP solver gave dual prices.
            duals_available -> bool { p.plan.duals_available }
        }
        tables |p| { &p.result() }

        /// The figures: tests, untested, person_km, sample_km, kit_km,
        /// fractional_rounded_down.
        fn summary<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
            let p = &self.plan;
            let o = &p.objective;
            let d = PyDict::new(py);
            d.set_item("tests", p.assignments.iter().map(|a| i128::from(a.tests)).sum::<i128>())?;
            d.set_item("untested", p.unmet.iter().map(|u| i128::from(u.untested)).sum::<i128>())?;
            d.set_item("person_km", o.person_km)?;
            d.set_item("sample_km", o.sample_km)?;
            d.set_item("kit_km", o.kit_km)?;
            d.set_item("fractional_rounded_down", o.fractional_rounded_down)?;
            Ok(d)
        }

        /// The files of `allocnet testing --out DIR` as `[(name, text)]`, in
        /// `TESTING_FILES` order.
        fn files(&self) -> PyResult<Vec<(&'static str, String)>> {
            testing_files(&self.scenario, &self.plan).map_err(to_pyerr)
        }

        /// The text of output file `name` (one of `TESTING_FILES`).
        fn file(&self, name: &str) -> PyResult<String> {
            let files = self.files()?;
            match files.into_iter().find(|(n, _)| *n == name) {
                Some((_, text)) => Ok(text),
                None => Err(invalid(
                    "name",
                    format!("expected one of {}, got '{name}'", TESTING_FILES.join(", ")),
                )),
            }
        }

        /// The readable report (what `allocnet testing` prints).
        fn report(&self) -> String {
            testing_text(&self.scenario, &self.plan)
        }

        fn __repr__(&self) -> String {
            format!(
                "TestingPlan(scenario={:?}, week={:?}, tests={})",
                self.plan.scenario,
                self.plan.week,
                self.plan.assignments.len()
            )
        }

        /// Pickles as its scenario: unpickling plans the week again (deterministic).
        fn __reduce__<'py>(slf: &Bound<'py, Self>) -> PyResult<(Bound<'py, PyAny>, Bound<'py, PyTuple>)> {
            let py = slf.py();
            let scenario = TestingScenario {
                inner: slf.get().scenario.clone(),
            };
            let rebuild = py.import("allocnet._allocnet")?.getattr("_testing_plan")?;
            Ok((rebuild, PyTuple::new(py, [Bound::new(py, scenario)?])?))
        }
    }
}

/// Plans the testing week (GIL released).
#[pyfunction]
pub fn _testing_plan(py: Python<'_>, scenario: &TestingScenario) -> PyResult<TestingPlan> {
    let scenario = &scenario.inner;
    let plan = detached(py, || plan_testing(scenario))?;
    Ok(TestingPlan {
        scenario: scenario.clone(),
        plan,
    })
}
