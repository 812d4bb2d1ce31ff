//! `Plan` (wraps `allocnet::process::Plan`): the county round's result; its tables go
//! to Python through the one export of every result (`crate::tables`).

use crate::errors::to_pyerr;
use crate::json::from_json;
use crate::macros::pymethods_with_getters;
use allocnet::process::output::plan_json;
use allocnet::process::Plan as CorePlan;
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

pymethods_with_getters! {
    impl Plan {
        getters |p| {
            /// Scenario name.
            scenario_name -> &str { &p.inner.scenario }
            /// True when the scenario's figures are synthetic (then so is the plan).
            synthetic -> bool { p.inner.synthetic }
            /// The engine asked for: `"auto"`, `"simplex"`, `"cost-scaling"` or `"lp"`.
            engine -> &str { p.inner.engine.as_str() }
            /// Priority class ids, highest first.
            priority_classes -> Vec<String> { p.inner.priority_classes.clone() }
            /// Acute window in hours.
            acute_window_hours -> f64 { p.inner.acute_window_hours }
            /// Planning horizon in days.
            horizon_days -> f64 { p.inner.horizon_days }
            /// Total unmet acute need over all items (mixed units).
            total_acute_unmet -> i64 { p.inner.total_acute_unmet() }
        }
        tables |p| { &p.inner }

        /// Parses a plan from `to_json` output.
        #[staticmethod]
        fn from_json(text: &str) -> PyResult<Self> {
            Ok(Self {
                inner: from_json(text, "<plan json>")?,
            })
        }

        /// The full plan as pretty JSON (the same text as `allocnet county-round
        /// --format json`).
        fn to_json(&self) -> PyResult<String> {
            plan_json(&self.inner).map_err(to_pyerr)
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
}

/// Rebuilds a plan from `to_json` output (pickle support).
#[pyfunction]
pub fn _plan_from_json(text: &str) -> PyResult<Plan> {
    Plan::from_json(text)
}
