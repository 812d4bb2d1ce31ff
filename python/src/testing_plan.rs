//! `TestingScenario` (wraps `allocnet::testing::TestingScenario`) and `_testing_plan`,
//! which plans the week and hands every output of `allocnet testing` to Python as
//! text: the files of `--out` (plan.json, the CSVs, guidance.html), the guidance and
//! status rows as JSON, and the printed report.

use crate::errors::{no_panic, to_pyerr};
use crate::json::{from_json, to_json};
use allocnet::testing::guidance::guidance_rows;
use allocnet::testing::output::testing_files;
use allocnet::testing::report::testing_text;
use allocnet::testing::status::county_status;
use allocnet::testing::synthetic::{sweden_testing, vastmanland_testing};
use allocnet::testing::{plan_testing, TestingScenario as CoreScenario};
use allocnet::Error;
use pyo3::prelude::*;
use pyo3::types::PyTuple;
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
        py.detach(|| no_panic(|| inner.validate()))?.map_err(to_pyerr)?;
        Ok(Self { inner })
    }
}

#[pymethods]
impl TestingScenario {
    /// Parses a testing scenario from JSON text and checks it (`source_name` labels errors).
    #[staticmethod]
    #[pyo3(signature = (text, source_name="<json>"))]
    fn from_json(py: Python<'_>, text: &str, source_name: &str) -> PyResult<Self> {
        let inner: CoreScenario = from_json(text, source_name)?;
        Self::checked(py, inner)
    }

    /// Reads a testing scenario from a JSON file and checks it.
    #[staticmethod]
    fn load(py: Python<'_>, path: PathBuf) -> PyResult<Self> {
        let inner = py
            .detach(|| no_panic(|| CoreScenario::load(&path)))?
            .map_err(to_pyerr)?;
        Self::checked(py, inner)
    }

    /// Region Västmanland's testing week: real municipalities and hospital towns,
    /// SYNTHETIC capacities, kits and demand (`allocnet testing vastmanland`).
    #[staticmethod]
    fn vastmanland(py: Python<'_>) -> PyResult<Self> {
        let inner = py.detach(|| no_panic(vastmanland_testing))?.map_err(to_pyerr)?;
        Self::checked(py, inner)
    }

    /// All of Sweden's testing week (290 municipalities × 6 groups, ~100 sites, 25
    /// labs), SYNTHETIC figures drawn from `seed` (`allocnet testing sweden` uses 2020).
    #[staticmethod]
    #[pyo3(signature = (seed=2020))]
    fn sweden(py: Python<'_>, seed: u64) -> PyResult<Self> {
        let inner = py.detach(|| no_panic(|| sweden_testing(seed)))?.map_err(to_pyerr)?;
        Self::checked(py, inner)
    }

    /// The scenario as pretty JSON (the format `from_json` reads).
    fn to_json(&self) -> PyResult<String> {
        self.inner.to_json_string().map_err(to_pyerr)
    }

    /// Scenario name.
    #[getter]
    fn name(&self) -> &str {
        &self.inner.name
    }

    /// The week planned (free text, e.g. `2020-W20`).
    #[getter]
    fn week(&self) -> &str {
        &self.inner.week
    }

    /// True when capacities, kits or demand are synthetic.
    #[getter]
    fn synthetic(&self) -> bool {
        self.inner.synthetic
    }

    /// Group ids in the scenario's order.
    #[getter]
    fn groups(&self) -> Vec<String> {
        self.inner.groups.iter().map(|g| g.id.clone()).collect()
    }

    /// Number of municipalities.
    #[getter]
    fn municipality_count(&self) -> usize {
        self.inner.municipalities.len()
    }

    /// Number of sampling sites.
    #[getter]
    fn site_count(&self) -> usize {
        self.inner.sites.len()
    }

    /// Number of laboratories.
    #[getter]
    fn lab_count(&self) -> usize {
        self.inner.labs.len()
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

/// Rebuilds a testing scenario from `to_json` output (pickle support).
#[pyfunction]
pub fn _testing_scenario_from_json(py: Python<'_>, text: &str) -> PyResult<TestingScenario> {
    TestingScenario::from_json(py, text, "<pickle>")
}

/// Plans the testing week (GIL released). Returns every output as `(name, text)`: the
/// files of `allocnet testing --out` (`plan.json`, `tests.csv`, …, `guidance.html`,
/// `status.csv`), then `guidance.json` and `status.json` (the rows at full precision)
/// and `report.txt` (what `allocnet testing` prints).
#[pyfunction]
pub fn _testing_plan(py: Python<'_>, scenario: &TestingScenario) -> PyResult<Vec<(String, String)>> {
    let scenario = &scenario.inner;
    let outputs = py.detach(|| {
        no_panic(|| -> Result<_, Error> {
            let plan = plan_testing(scenario)?;
            let files = testing_files(scenario, &plan)?;
            Ok((plan, files))
        })
    })?;
    let (plan, files) = outputs.map_err(to_pyerr)?;
    let mut out: Vec<(String, String)> = files.into_iter().map(|(n, t)| (n.to_string(), t)).collect();
    out.push(("guidance.json".into(), to_json(&guidance_rows(scenario, &plan), false)?));
    out.push(("status.json".into(), to_json(&county_status(scenario, &plan), false)?));
    out.push(("report.txt".into(), testing_text(scenario, &plan)));
    Ok(out)
}
