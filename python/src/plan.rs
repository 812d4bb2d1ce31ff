//! `Plan` (wraps `allocnet::process::Plan`): the county round's result, handed to
//! Python as plain columns (the package turns them into DataFrames).

use crate::engine::engine_name;
use crate::errors::{invalid, to_pyerr};
use allocnet::process::output::plan_json;
use allocnet::process::Plan as CorePlan;
use allocnet::Error;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyTuple};

/// The result of a county round: shipments, unmet need with reasons, stock after,
/// objective levels, dual prices and the county request.
///
/// Tables come out as columns (`_columns(name)`, a dict of lists); `allocnet.Plan`
/// turns them into pandas DataFrames.
#[pyclass(frozen, eq, module = "allocnet._allocnet")]
#[derive(PartialEq)]
pub struct Plan {
    pub(crate) inner: CorePlan,
}

/// The table names `_columns` knows.
const TABLES: &[&str] = &[
    "shipments",
    "unmet",
    "stock_after",
    "dual_prices",
    "objective",
    "county_request",
];

fn strings<T>(rows: &[T], f: impl Fn(&T) -> &str) -> Vec<&str> {
    rows.iter().map(f).collect()
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

    /// `"simplex"` or `"lp"`.
    #[getter]
    fn engine(&self) -> &str {
        engine_name(self.inner.engine)
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

    /// One table as a dict of equal-length lists: `shipments`, `unmet`,
    /// `stock_after`, `dual_prices`, `objective` (one row per item, `acute_unmet` a
    /// list per class) or `county_request` (one row per county, item, site and class).
    fn _columns<'py>(&self, py: Python<'py>, table: &str) -> PyResult<Bound<'py, PyDict>> {
        let p = &self.inner;
        let d = PyDict::new(py);
        match table {
            "shipments" => {
                let s = &p.shipments;
                d.set_item("item", strings(s, |r| &r.item))?;
                d.set_item("from", strings(s, |r| &r.from))?;
                d.set_item("to", strings(s, |r| &r.to))?;
                d.set_item("quantity", s.iter().map(|r| r.quantity).collect::<Vec<_>>())?;
                d.set_item("km", s.iter().map(|r| r.km).collect::<Vec<_>>())?;
            }
            "unmet" => {
                let u = &p.unmet;
                d.set_item("item", strings(u, |r| &r.item))?;
                d.set_item("site", strings(u, |r| &r.site))?;
                d.set_item("priority", strings(u, |r| &r.priority))?;
                d.set_item("window", strings(u, |r| r.window.as_str()))?;
                d.set_item("need", u.iter().map(|r| r.need).collect::<Vec<_>>())?;
                d.set_item("unmet", u.iter().map(|r| r.unmet).collect::<Vec<_>>())?;
                d.set_item("reason", strings(u, |r| r.reason.as_str()))?;
                d.set_item("explanation", strings(u, |r| r.reason.describe()))?;
            }
            "stock_after" => {
                let s = &p.stock_after;
                d.set_item("item", strings(s, |r| &r.item))?;
                d.set_item("site", strings(s, |r| &r.site))?;
                d.set_item("before", s.iter().map(|r| r.before).collect::<Vec<_>>())?;
                d.set_item("received", s.iter().map(|r| r.received).collect::<Vec<_>>())?;
                d.set_item("sent", s.iter().map(|r| r.sent).collect::<Vec<_>>())?;
                d.set_item("after", s.iter().map(|r| r.after).collect::<Vec<_>>())?;
            }
            "dual_prices" => {
                let s = &p.dual_prices;
                d.set_item("item", strings(s, |r| &r.item))?;
                d.set_item("site", strings(s, |r| &r.site))?;
                d.set_item("level", strings(s, |r| &r.level))?;
                d.set_item("km", s.iter().map(|r| r.km).collect::<Vec<_>>())?;
                d.set_item("raw", s.iter().map(|r| r.raw).collect::<Vec<_>>())?;
            }
            "objective" => {
                let o = &p.objective;
                d.set_item("item", strings(o, |r| &r.item))?;
                d.set_item("unit", strings(o, |r| &r.unit))?;
                d.set_item(
                    "acute_unmet",
                    o.iter().map(|r| r.acute_unmet.clone()).collect::<Vec<_>>(),
                )?;
                d.set_item("planning_unmet", o.iter().map(|r| r.planning_unmet).collect::<Vec<_>>())?;
                d.set_item(
                    "transport_unit_km",
                    o.iter().map(|r| r.transport_unit_km).collect::<Vec<_>>(),
                )?;
                d.set_item("method", strings(o, |r| r.method.as_str()))?;
            }
            "county_request" => {
                let mut cols: [Vec<&str>; 8] = Default::default();
                let mut quantity: Vec<i64> = Vec::new();
                for r in &p.requests {
                    for it in &r.items {
                        for line in &it.sites {
                            for (class, q) in &line.by_priority {
                                let row = [
                                    r.county.as_str(),
                                    it.item.as_str(),
                                    it.item_name.as_str(),
                                    it.unit.as_str(),
                                    line.site.as_str(),
                                    line.site_name.as_str(),
                                    line.kind.as_str(),
                                    class.as_str(),
                                ];
                                for (col, value) in cols.iter_mut().zip(row) {
                                    col.push(value);
                                }
                                quantity.push(*q);
                            }
                        }
                    }
                }
                let names = [
                    "county",
                    "item",
                    "item_name",
                    "unit",
                    "site",
                    "site_name",
                    "kind",
                    "priority",
                ];
                for (name, col) in names.into_iter().zip(cols) {
                    d.set_item(name, col)?;
                }
                d.set_item("quantity", quantity)?;
            }
            other => {
                return Err(invalid(
                    "table",
                    format!("expected one of {}, got '{other}'", TABLES.join(", ")),
                ))
            }
        }
        Ok(d)
    }

    fn __repr__(&self) -> String {
        format!(
            "Plan(scenario={:?}, engine='{}', shipments={}, unmet_rows={}, acute_unmet_total={})",
            self.inner.scenario,
            engine_name(self.inner.engine),
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
