//! `TripsPlan` (wraps `allocnet::trips::TripsPlan`): the county round with logistics
//! data (whole packs, trips, minimum loads, substitutes); its tables go to Python
//! through the one export of every result.

use crate::errors::{detached, to_pyerr};
use crate::macros::pymethods_with_getters;
use crate::names::parse_name;
use crate::plan::Plan;
use crate::progress::Progress;
use crate::scenario::Scenario;
use allocnet::process::{RoundOptions, Strategy};
use allocnet::trips::{
    builtin_logistics, load_logistics, run_trips_round_with, trips_round_parts, Logistics, MipOptions, TripsOptions,
    TripsPlan as CorePlan,
};
use allocnet::{Error, InvalidValue};
use pyo3::prelude::*;
use pyo3::types::PyTuple;
use std::path::PathBuf;

/// The result of a county round with logistics data: the plan in units, the shipments
/// in whole packs, the trips and the MIP's objective levels per county.
#[pyclass(frozen, eq, module = "allocnet._allocnet")]
#[derive(PartialEq)]
pub struct TripsPlan {
    pub(crate) inner: CorePlan,
}

pymethods_with_getters! {
    impl TripsPlan {
        getters |p| {
            /// True when the logistics figures are synthetic.
            synthetic -> bool { p.inner.synthetic }
        }
        tables |p| { &p.inner }

        /// The full result as pretty JSON (`allocnet county-round --logistics FILE --format json`).
        fn to_json(&self) -> PyResult<String> {
            serde_json::to_string_pretty(&self.inner)
                .map_err(|e| to_pyerr(Error::Internal(format!("trips plan as JSON: {e}"))))
        }

        /// The plan in units (the ordinary county-round plan of the same round).
        fn _plan(&self) -> Plan {
            Plan {
                inner: self.inner.plan.clone(),
            }
        }

        fn __repr__(&self) -> String {
            format!(
                "TripsPlan(scenario={:?}, pack_shipments={}, trips={}, levels={}, synthetic={})",
                self.inner.plan.scenario,
                self.inner.pack_shipments.len(),
                self.inner.trips.len(),
                self.inner.levels.len(),
                if self.inner.synthetic { "True" } else { "False" }
            )
        }

        fn __reduce__<'py>(slf: &Bound<'py, Self>) -> PyResult<(Bound<'py, PyAny>, Bound<'py, PyTuple>)> {
            let py = slf.py();
            let json = slf.get().to_json()?;
            let rebuild = py.import("allocnet._allocnet")?.getattr("_trips_plan_from_json")?;
            Ok((rebuild, PyTuple::new(py, [json])?))
        }
    }
}

/// Rebuilds a trips plan from `to_json` output (pickle support).
#[pyfunction]
pub fn _trips_plan_from_json(text: &str) -> PyResult<TripsPlan> {
    Ok(TripsPlan {
        inner: crate::json::from_json(text, "<pickle>")?,
    })
}

/// The built-in SYNTHETIC logistics data (Västmanland's items) as JSON.
#[pyfunction]
pub fn _logistics_builtin() -> PyResult<String> {
    serde_json::to_string_pretty(&builtin_logistics())
        .map_err(|e| to_pyerr(Error::Internal(format!("built-in logistics as JSON: {e}"))))
}

/// Runs the county round on `scenario` with logistics data: `logistics_json` (JSON
/// text), else the file `logistics_path`, else the built-in synthetic data;
/// `time_limit` seconds, `max_nodes` nodes and `max_lp_work` LP work per objective
/// level (the CLI's defaults where `None`; GIL released). Finished parts (counties;
/// out of `_trips_round_parts`) are counted into `progress`, whose `cancel()` stops the
/// round before the next part with a `CancelledError`.
#[pyfunction]
#[pyo3(signature = (scenario, logistics_json=None, logistics_path=None, engine="auto", strategy="auto", time_limit=None, progress=None, max_nodes=None, max_lp_work=None))]
#[allow(clippy::too_many_arguments)]
pub fn _trips_round(
    py: Python<'_>,
    scenario: &Scenario,
    logistics_json: Option<&str>,
    logistics_path: Option<PathBuf>,
    engine: &str,
    strategy: &str,
    time_limit: Option<f64>,
    progress: Option<&Progress>,
    max_nodes: Option<i64>,
    max_lp_work: Option<i64>,
) -> PyResult<TripsPlan> {
    let round = RoundOptions {
        engine: parse_name(engine, "engine")?,
        strategy: parse_name::<Strategy>(strategy, "strategy")?,
    };
    let mip = mip_options(time_limit, max_nodes, max_lp_work)?;
    let logistics = logistics_from(logistics_json, logistics_path)?;
    let options = TripsOptions { round, mip };
    let core = scenario.inner.clone();
    let counter = progress.cloned().unwrap_or_default();
    let plan = detached(py, || {
        run_trips_round_with(&core, &logistics, &options, &|n| counter.add(n), &counter.cancel)
    })?;
    Ok(TripsPlan { inner: plan })
}

/// The MIP options of `_trips_round`, checked and named as Python's keywords.
fn mip_options(time_limit: Option<f64>, max_nodes: Option<i64>, max_lp_work: Option<i64>) -> PyResult<MipOptions> {
    let default = MipOptions::default();
    let max_nodes = match max_nodes.map(i32::try_from) {
        None => default.max_nodes,
        Some(Ok(n)) => n,
        Some(Err(_)) => {
            let n = max_nodes.unwrap_or_default();
            let what = format!("must be >= 1 (the root node) and <= {}, got {n}", i32::MAX);
            return Err(to_pyerr(Error::Invalid(vec![InvalidValue::new("max_nodes", what)])));
        }
    };
    let mip = MipOptions {
        time_limit_s: time_limit.unwrap_or(default.time_limit_s),
        max_nodes,
        max_lp_work: max_lp_work.unwrap_or(default.max_lp_work),
        ..default
    };
    mip.validate_named(["time_limit", "max_nodes", "max_lp_work"])
        .map_err(to_pyerr)?;
    Ok(mip)
}

/// The number of parts `_trips_round` counts on `scenario` with the same logistics
/// arguments (the total of its progress bar).
#[pyfunction]
#[pyo3(signature = (scenario, logistics_json=None, logistics_path=None))]
pub fn _trips_round_parts(
    scenario: &Scenario,
    logistics_json: Option<&str>,
    logistics_path: Option<PathBuf>,
) -> PyResult<usize> {
    let logistics = logistics_from(logistics_json, logistics_path)?;
    trips_round_parts(&scenario.inner, &logistics).map_err(to_pyerr)
}

/// The logistics data of `_trips_round`: JSON text, else a file, else the built-in data.
fn logistics_from(json: Option<&str>, path: Option<PathBuf>) -> PyResult<Logistics> {
    match (json, path) {
        (Some(text), _) => Logistics::from_json_str(text, "<logistics>").map_err(to_pyerr),
        (None, Some(path)) => load_logistics(&path).map_err(to_pyerr),
        (None, None) => Ok(builtin_logistics()),
    }
}
