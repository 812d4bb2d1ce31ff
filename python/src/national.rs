//! `NationalRound` (wraps `allocnet::process::NationalRound`): the input of one
//! national round; `_national_round`, which runs it; `NationalPlan`, its result.

use crate::errors::{detached, invalid};
use crate::json::{from_json, to_json};
use crate::macros::pymethods_with_getters;
use crate::names::parse_name;
use crate::scenario::Scenario;
use allocnet::model::synthetic;
use allocnet::process::national_round::NationalItemResult;
use allocnet::process::simulate::default_warehouses;
use allocnet::process::{
    run_county_round, run_national_round, NationalPlan as CorePlan, NationalRound as CoreRound, Policy, RoundOptions,
};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyTuple};
use std::path::PathBuf;

/// Parses a national policy name (`Policy::ALL`: `optimal`, `proportional`,
/// `max-min`, `population`).
pub fn parse_policy(name: &str) -> PyResult<Policy> {
    parse_name(name, "policy")
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
        detached(py, || inner.validate())?;
        Ok(Self { inner })
    }

    fn after(py: Python<'_>, scenario: &allocnet::model::Scenario, national_stock_days: f64) -> PyResult<Self> {
        if !(national_stock_days.is_finite() && national_stock_days >= 0.0) {
            return Err(invalid(
                "national_stock_days",
                format!("must be a finite number >= 0, got {national_stock_days}"),
            ));
        }
        let inner = detached(py, || {
            let plan = run_county_round(scenario, &RoundOptions::default())?;
            let warehouses = default_warehouses(scenario, national_stock_days);
            CoreRound::after_county_round(scenario, &plan, warehouses)
        })?;
        Self::checked(py, inner)
    }
}

pymethods_with_getters! {
    impl NationalRound {
        getters |p| {
            /// Priority class ids, highest first.
            priority_classes -> Vec<String> { p.inner.priority_classes.clone() }
            /// County codes that may request, in input order.
            counties -> Vec<String> { p.inner.counties.iter().map(|c| c.county.clone()).collect() }
            /// Warehouse site ids.
            warehouses -> Vec<String> { p.inner.warehouses.iter().map(|w| w.site.id.clone()).collect() }
            /// Number of county requests.
            request_count -> usize { p.inner.requests.len() }
            /// Road km ÷ great-circle km.
            detour_factor -> f64 { p.inner.detour_factor }
        }

        /// Parses a national round from JSON text and checks it (`source_name` labels errors).
        #[staticmethod]
        #[pyo3(signature = (text, source_name="<json>"))]
        fn from_json(py: Python<'_>, text: &str, source_name: &str) -> PyResult<Self> {
            let inner = detached(py, || CoreRound::from_json_str(text, source_name))?;
            Ok(Self { inner })
        }

        /// Reads a national round from a JSON file and checks it.
        #[staticmethod]
        fn load(py: Python<'_>, path: PathBuf) -> PyResult<Self> {
            let inner = detached(py, || CoreRound::load(&path))?;
            Ok(Self { inner })
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
            let scenario = detached(py, || synthetic::sweden(seed))?;
            Self::after(py, &scenario, national_stock_days)
        }

        /// The round as pretty JSON (the format `from_json` reads).
        fn to_json(&self) -> PyResult<String> {
            to_json(&self.inner, true)
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
}

/// Rebuilds a national round from `to_json` output (pickle support).
#[pyfunction]
pub fn _national_round_from_json(py: Python<'_>, text: &str) -> PyResult<NationalRound> {
    NationalRound::from_json(py, text, "<pickle>")
}

/// Runs the national round under `policy` (GIL released).
#[pyfunction]
pub fn _national_round(py: Python<'_>, round: &NationalRound, policy: &str) -> PyResult<NationalPlan> {
    let policy = parse_policy(policy)?;
    let input = &round.inner;
    let inner = detached(py, || run_national_round(input, policy))?;
    Ok(NationalPlan { inner })
}

/// The national decision and its delivery (wraps `allocnet::process::NationalPlan`).
///
/// Tables come out through the one export of every result (`_tables()`);
/// `allocnet.NationalPlan` turns them into DataFrames.
#[pyclass(frozen, eq, module = "allocnet._allocnet")]
#[derive(PartialEq)]
pub struct NationalPlan {
    pub(crate) inner: CorePlan,
}

pymethods_with_getters! {
    impl NationalPlan {
        getters |p| {
            /// The policy used.
            policy -> &'static str { p.inner.policy.as_str() }
            /// Priority class ids, highest first.
            priority_classes -> Vec<String> { p.inner.priority_classes.clone() }
        }
        tables |p| { &p.inner }

        /// Parses a plan from `to_json` output.
        #[staticmethod]
        fn from_json(text: &str) -> PyResult<Self> {
            Ok(Self {
                inner: from_json(text, "<national plan json>")?,
            })
        }

        /// The plan as compact JSON (the `plan` of a national record of the audit log).
        fn to_json(&self) -> PyResult<String> {
            to_json(&self.inner, false)
        }

        /// The figures: policy, stock, requested, approved, min_fraction (smallest county
        /// fraction; 1 if no item), total_acute_unmet, national_unit_km, last_mile_unit_km
        /// (sums over the items).
        fn summary<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
            let items = &self.inner.items;
            let sum = |f: fn(&NationalItemResult) -> i64| items.iter().map(|i| i128::from(f(i))).sum::<i128>();
            let acute: i128 = items.iter().flat_map(|i| &i.acute_unmet).map(|&u| i128::from(u)).sum();
            let d = PyDict::new(py);
            d.set_item("policy", self.inner.policy.as_str())?;
            d.set_item("stock", sum(|i| i.stock))?;
            d.set_item("requested", sum(|i| i.requested))?;
            d.set_item("approved", sum(|i| i.approved))?;
            d.set_item(
                "min_fraction",
                items.iter().map(|i| i.min_fraction).reduce(f64::min).unwrap_or(1.0),
            )?;
            d.set_item("total_acute_unmet", acute)?;
            d.set_item("national_unit_km", sum(|i| i.national_unit_hm) as f64 / 10.0)?;
            d.set_item("last_mile_unit_km", sum(|i| i.last_mile_unit_hm) as f64 / 10.0)?;
            Ok(d)
        }

        fn __repr__(&self) -> String {
            format!(
                "NationalPlan(policy='{}', items={}, allocations={})",
                self.inner.policy.as_str(),
                self.inner.items.len(),
                self.inner.allocations.len()
            )
        }

        fn __reduce__<'py>(slf: &Bound<'py, Self>) -> PyResult<(Bound<'py, PyAny>, Bound<'py, PyTuple>)> {
            let py = slf.py();
            let json = slf.get().to_json()?;
            let rebuild = py.import("allocnet._allocnet")?.getattr("_national_plan_from_json")?;
            Ok((rebuild, PyTuple::new(py, [json])?))
        }
    }
}

/// Rebuilds a national plan from `to_json` output (pickle support).
#[pyfunction]
pub fn _national_plan_from_json(text: &str) -> PyResult<NationalPlan> {
    NationalPlan::from_json(text)
}
