//! `NationalRound` (wraps `allocnet::process::NationalRound`): the input of one
//! national round, and `_national_round`, which runs it (the Python package turns the
//! plan's JSON into DataFrames).

use crate::errors::{invalid, no_panic, to_pyerr};
use crate::json::{from_json, to_json};
use crate::scenario::Scenario;
use allocnet::model::synthetic;
use allocnet::process::simulate::default_warehouses;
use allocnet::process::{run_county_round, run_national_round, NationalRound as CoreRound, Policy, RoundOptions};
use allocnet::Error;
use pyo3::prelude::*;
use pyo3::types::PyTuple;
use std::path::PathBuf;

/// Parses a national policy name: `optimal`, `proportional`, `max-min`, `population`.
pub fn parse_policy(name: &str) -> PyResult<Policy> {
    Policy::parse(name).ok_or_else(|| {
        let names: Vec<&str> = Policy::ALL.iter().map(|p| p.as_str()).collect();
        invalid("policy", format!("expected one of {}, got '{name}'", names.join(", ")))
    })
}

/// One national round's input: priority classes, the counties with their
/// transshipment points, national warehouses with stock, the counties' requests and
/// the requesting sites.
///
/// Build it with `from_json`/`load` (the `input` of a national record of the audit
/// log), `after_county_round` (a scenario's county round and synthetic warehouses) or
/// `sweden`. Every value is checked when it is made.
#[pyclass(frozen, eq, module = "allocnet._allocnet")]
#[derive(PartialEq)]
pub struct NationalRound {
    pub(crate) inner: CoreRound,
}

impl NationalRound {
    fn checked(py: Python<'_>, inner: CoreRound) -> PyResult<Self> {
        py.detach(|| no_panic(|| inner.validate()))?.map_err(to_pyerr)?;
        Ok(Self { inner })
    }

    fn after(py: Python<'_>, scenario: &allocnet::model::Scenario, national_stock_days: f64) -> PyResult<Self> {
        if !(national_stock_days.is_finite() && national_stock_days >= 0.0) {
            return Err(invalid(
                "national_stock_days",
                format!("must be a finite number >= 0, got {national_stock_days}"),
            ));
        }
        let inner = py
            .detach(|| {
                no_panic(|| {
                    let plan = run_county_round(scenario, &RoundOptions::default())?;
                    let warehouses = default_warehouses(scenario, national_stock_days);
                    CoreRound::after_county_round(scenario, &plan, warehouses)
                })
            })?
            .map_err(to_pyerr)?;
        Self::checked(py, inner)
    }
}

#[pymethods]
impl NationalRound {
    /// Parses a national round from JSON text and checks it (`source_name` labels errors).
    #[staticmethod]
    #[pyo3(signature = (text, source_name="<json>"))]
    fn from_json(py: Python<'_>, text: &str, source_name: &str) -> PyResult<Self> {
        let inner: CoreRound = from_json(text, source_name)?;
        Self::checked(py, inner)
    }

    /// Reads a national round from a JSON file and checks it.
    #[staticmethod]
    fn load(py: Python<'_>, path: PathBuf) -> PyResult<Self> {
        let text = std::fs::read_to_string(&path).map_err(|source| {
            to_pyerr(Error::Io {
                path: path.display().to_string(),
                source,
            })
        })?;
        Self::from_json(py, &text, &path.display().to_string())
    }

    /// The national round after `scenario`'s county round (default engine and
    /// strategy): its county requests, the counties' default transshipment points, and
    /// the two SYNTHETIC default national warehouses holding `national_stock_days` days
    /// of the scenario's base consumption.
    #[staticmethod]
    #[pyo3(signature = (scenario, national_stock_days=2.0))]
    fn after_county_round(py: Python<'_>, scenario: &Scenario, national_stock_days: f64) -> PyResult<Self> {
        Self::after(py, &scenario.inner, national_stock_days)
    }

    /// `after_county_round` on all of Sweden (290 municipalities, 21 counties,
    /// SYNTHETIC status from `seed`).
    #[staticmethod]
    #[pyo3(signature = (seed=2020, national_stock_days=2.0))]
    fn sweden(py: Python<'_>, seed: u64, national_stock_days: f64) -> PyResult<Self> {
        let scenario = py.detach(|| no_panic(|| synthetic::sweden(seed)))?.map_err(to_pyerr)?;
        Self::after(py, &scenario, national_stock_days)
    }

    /// The round as pretty JSON (the format `from_json` reads).
    fn to_json(&self) -> PyResult<String> {
        to_json(&self.inner, true)
    }

    /// Priority class ids, highest first.
    #[getter]
    fn priority_classes(&self) -> Vec<String> {
        self.inner.priority_classes.clone()
    }

    /// County codes that may request, in input order.
    #[getter]
    fn counties(&self) -> Vec<String> {
        self.inner.counties.iter().map(|c| c.county.clone()).collect()
    }

    /// Warehouse site ids.
    #[getter]
    fn warehouses(&self) -> Vec<String> {
        self.inner.warehouses.iter().map(|w| w.site.id.clone()).collect()
    }

    /// Number of county requests.
    #[getter]
    fn request_count(&self) -> usize {
        self.inner.requests.len()
    }

    /// Road km ÷ great-circle km.
    #[getter]
    fn detour_factor(&self) -> f64 {
        self.inner.detour_factor
    }

    fn __repr__(&self) -> String {
        format!(
            "NationalRound(counties={}, warehouses={}, requests={}, classes={})",
            self.inner.counties.len(),
            self.inner.warehouses.len(),
            self.inner.requests.len(),
            self.inner.priority_classes.len()
        )
    }

    fn __reduce__<'py>(slf: &Bound<'py, Self>) -> PyResult<(Bound<'py, PyAny>, Bound<'py, PyTuple>)> {
        let py = slf.py();
        let json = slf.get().to_json()?;
        let rebuild = py.import("allocnet._allocnet")?.getattr("_national_round_from_json")?;
        Ok((rebuild, PyTuple::new(py, [json])?))
    }
}

/// Rebuilds a national round from `to_json` output (pickle support).
#[pyfunction]
pub fn _national_round_from_json(py: Python<'_>, text: &str) -> PyResult<NationalRound> {
    NationalRound::from_json(py, text, "<pickle>")
}

/// Runs the national round under `policy` (GIL released); returns the plan as JSON
/// (the `plan` of a national record of the audit log).
#[pyfunction]
pub fn _national_round(py: Python<'_>, round: &NationalRound, policy: &str) -> PyResult<String> {
    let policy = parse_policy(policy)?;
    let input = &round.inner;
    let plan = py
        .detach(|| no_panic(|| run_national_round(input, policy)))?
        .map_err(to_pyerr)?;
    to_json(&plan, false)
}
