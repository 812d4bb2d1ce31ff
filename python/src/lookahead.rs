//! `LookaheadPlan` (wraps `allocnet::lookahead::LookaheadPlan`): the lookahead round's
//! result; its tables go to Python through the one export of every result, its dual
//! prices per site and day as numpy arrays (moved, not copied).

use crate::errors::{detached, invalid, to_pyerr};
use crate::macros::pymethods_with_getters;
use crate::scenario::Scenario;
use allocnet::flow::Engine;
use allocnet::lookahead::{run_lookahead, LookaheadOptions, LookaheadPlan as CorePlan, MAX_DAYS};
use allocnet::Error;
use numpy::{IntoPyArray, PyArray2};
use pyo3::exceptions::PyOverflowError;
use pyo3::prelude::*;

/// The result of a lookahead round: today's and the planned later shipments, the
/// projection per site and day with and without the plan, the objective, the county
/// request by due day and the dual prices per site and day.
#[pyclass(frozen, module = "allocnet._allocnet")]
pub struct LookaheadPlan {
    pub(crate) inner: CorePlan,
}

pymethods_with_getters! {
    impl LookaheadPlan {
        getters |p| {
            /// Scenario name.
            scenario_name -> &str { &p.inner.scenario }
            /// True when the scenario's figures are synthetic.
            synthetic -> bool { p.inner.synthetic }
            /// Horizon in days.
            days -> u32 { p.inner.days }
            /// Days on which shipments may leave.
            shipping_days -> Vec<u32> { p.inner.shipping_days.clone() }
            /// Priority class ids, highest first.
            priority_classes -> Vec<String> { p.inner.priority_classes.clone() }
            /// Item ids, in the order of `duals`.
            items -> Vec<String> { p.inner.duals.iter().map(|d| d.item.clone()).collect() }
        }
        tables |p| { &p.inner }

        /// The full plan as pretty JSON (`allocnet county-round --lookahead DAYS --format json`).
        fn to_json(&self) -> PyResult<String> {
            serde_json::to_string_pretty(&self.inner)
                .map_err(|e| to_pyerr(Error::Internal(format!("lookahead plan as JSON: {e}"))))
        }

        /// The dual prices of item `item` (its index) as site × day arrays: the level
        /// index (−1 none), the unit-days gained, the km saved (< 0: spent).
        #[allow(clippy::type_complexity)]
        fn _duals<'py>(
            &self,
            py: Python<'py>,
            item: i64,
        ) -> PyResult<(
            Bound<'py, PyArray2<i32>>,
            Bound<'py, PyArray2<i64>>,
            Bound<'py, PyArray2<f64>>,
        )> {
            let d = self
                .inner
                .duals
                .get(usize::try_from(item).unwrap_or(usize::MAX))
                .ok_or_else(|| to_pyerr(Error::invalid("item", format!("no item {item}"))))?
                .clone();
            Ok((
                d.level.into_pyarray(py),
                d.value.into_pyarray(py),
                d.km.into_pyarray(py),
            ))
        }

        fn __repr__(&self) -> String {
            format!(
                "LookaheadPlan(scenario={:?}, days={}, shipments={}, today={})",
                self.inner.scenario,
                self.inner.days,
                self.inner.shipments.len(),
                self.inner.shipments.iter().filter(|s| s.today).count()
            )
        }
    }
}

/// Runs the lookahead round on `scenario` over `days` days (GIL released).
/// `options_json`: a JSON object of further lookahead options (see docs/lookahead.md);
/// `meeting_days` overrides its meeting days.
#[pyfunction]
#[pyo3(signature = (scenario, days, meeting_days=None, options_json=None, engine="simplex"))]
pub fn _lookahead_round(
    py: Python<'_>,
    scenario: &Scenario,
    days: &Bound<'_, PyAny>,
    meeting_days: Option<Vec<String>>,
    options_json: Option<&str>,
    engine: &str,
) -> PyResult<LookaheadPlan> {
    let days = horizon_days(days)?;
    let engine: Engine = engine.parse().map_err(to_pyerr)?;
    let mut options = match options_json {
        Some(text) => LookaheadOptions::from_json_str(text, "<lookahead options>").map_err(to_pyerr)?,
        None => LookaheadOptions::default(),
    };
    options.days = days;
    if let Some(m) = meeting_days {
        options.meeting_days = m;
    }
    let core = scenario.inner.clone();
    let plan = detached(py, || run_lookahead(&core, &options, engine))?;
    Ok(LookaheadPlan { inner: plan })
}

/// `days` as the core's whole number of days: an int out of its range (negative,
/// beyond 2^32) is refused as the core refuses 0 or 367, by path; not an int: the
/// `TypeError` of the conversion.
fn horizon_days(days: &Bound<'_, PyAny>) -> PyResult<u32> {
    match days.extract::<u32>() {
        Err(e) if e.is_instance_of::<PyOverflowError>(days.py()) => Err(invalid(
            "lookahead.days",
            format!("must be between 1 and {MAX_DAYS}, got {}", days.str()?),
        )),
        other => other,
    }
}
