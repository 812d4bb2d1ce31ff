//! `Plan` (wraps `allocnet::process::Plan`): the county round's result; its tables go
//! to Python through the one export of every result (`crate::tables`).

use crate::errors::to_pyerr;
use crate::tables::{export_all, export_table, Export};
use allocnet::process::output::plan_json;
use allocnet::process::Plan as CorePlan;
use allocnet::Error;
use pyo3::prelude::*;
use pyo3::types::PyTuple;

/// The result of a county round: shipments, unmet need with reasons, stock after,
/// objective levels, dual prices and the county request.
///
/// Tables come out as columns (`_tables()`, the export every result shares);
/// `allocnet.Plan` turns them into pandas DataFrames.
#[pyclass(frozen, eq, module = "allocnet._allocnet")]
#[derive(PartialEq)]
pub struct Plan {
    pub(crate) inner: CorePlan,
}

#[pymethods]
impl Plan {
    /// Parses a plan from `to_json` output.
    #[staticmethod]
    fn from_json(text: &str) -> PyResult<Self> {
        let inner: CorePlan = serde_json::from_str(text).map_err(|e| {
            to_pyerr(Error::Parse {
                source_name: "<plan json>".into(),
                line: e.line(),
                message: e.to_string(),
            })
        })?;
        Ok(Self { inner })
    }

    /// The full plan as pretty JSON (the same text as `allocnet county-round
    /// --format json`).
    fn to_json(&self) -> PyResult<String> {
        plan_json(&self.inner).map_err(to_pyerr)
    }

    /// Scenario name.
    #[getter]
    fn scenario_name(&self) -> &str {
        &self.inner.scenario
    }

    /// True when the scenario's figures are synthetic (then so is the plan).
    #[getter]
    fn synthetic(&self) -> bool {
        self.inner.synthetic
    }

    /// The engine asked for: `"auto"`, `"simplex"`, `"cost-scaling"` or `"lp"`.
    #[getter]
    fn engine(&self) -> &str {
        self.inner.engine.as_str()
    }

    /// Priority class ids, highest first.
    #[getter]
    fn priority_classes(&self) -> Vec<String> {
        self.inner.priority_classes.clone()
    }

    /// Acute window in hours.
    #[getter]
    fn acute_window_hours(&self) -> f64 {
        self.inner.acute_window_hours
    }

    /// Planning horizon in days.
    #[getter]
    fn horizon_days(&self) -> f64 {
        self.inner.horizon_days
    }

    /// Total unmet acute need over all items (mixed units).
    #[getter]
    fn total_acute_unmet(&self) -> i64 {
        self.inner.total_acute_unmet()
    }

    /// Every table (`shipments`, `unmet`, `stock_after`, `dual_prices`, `objective`:
    /// one row per item and level in the order they are minimised, `reasons`: unmet
    /// need by item, window and reason, `county_request`: one row per county, item,
    /// site and class) as every result exports them (see
    /// `allocnet._tables.ResultTables`). A table that cannot be built (an overflowing
    /// reason count) is left out: `_table(name)` raises its error.
    fn _tables<'py>(&self, py: Python<'py>) -> PyResult<Export<'py>> {
        export_all(py, &self.inner)
    }

    /// One table alone; raises the core's error when it cannot be built.
    fn _table<'py>(&self, py: Python<'py>, name: &str) -> PyResult<Export<'py>> {
        export_table(py, &self.inner, name)
    }

    fn __repr__(&self) -> String {
        format!(
            "Plan(scenario={:?}, engine='{}', shipments={}, unmet_rows={}, acute_unmet_total={})",
            self.inner.scenario,
            self.inner.engine.as_str(),
            self.inner.shipments.len(),
            self.inner.unmet.len(),
            self.inner.total_acute_unmet()
        )
    }

    fn __reduce__<'py>(slf: &Bound<'py, Self>) -> PyResult<(Bound<'py, PyAny>, Bound<'py, PyTuple>)> {
        let py = slf.py();
        let json = slf.get().to_json()?;
        let rebuild = py.import("allocnet._allocnet")?.getattr("_plan_from_json")?;
        Ok((rebuild, PyTuple::new(py, [json])?))
    }
}

/// Rebuilds a plan from `to_json` output (pickle support).
#[pyfunction]
pub fn _plan_from_json(text: &str) -> PyResult<Plan> {
    Plan::from_json(text)
}
