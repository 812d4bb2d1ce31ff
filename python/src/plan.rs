//! `Plan` (wraps `allocnet::process::Plan`): the county round's result, handed to
//! Python as plain columns (the package turns them into DataFrames).

use crate::engine::engine_name;
use crate::errors::{invalid, to_pyerr};
use allocnet::process::output::plan_json;
use allocnet::process::{CountyRequest, ItemObjective, Plan as CorePlan, RequestItem, RequestLine};
use allocnet::Error;
use numpy::PyArray1;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyTuple};
use rustc_hash::FxHashMap;

/// The result of a county round: shipments, unmet need with reasons, stock after,
/// objective levels, dual prices and the county request.
///
/// Tables come out as columns (`_columns(name)`: numpy arrays and dictionary-encoded
/// labels); `allocnet.Plan` turns them into pandas DataFrames.
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
    "reasons",
];

/// Labels dictionary-encoded: `(codes, labels)` with `codes` an int32 numpy array
/// indexing `labels` (the distinct values in order of first appearance), -1 for none.
fn labels<'py, 'a>(py: Python<'py>, values: impl Iterator<Item = Option<&'a str>>) -> PyResult<Bound<'py, PyTuple>> {
    let mut index: FxHashMap<&str, i32> = FxHashMap::default();
    let mut distinct: Vec<&str> = Vec::new();
    let mut previous: Option<(&str, i32)> = None; // rows come in runs of one label
    let codes: Vec<i32> = values
        .map(|v| match (v, previous) {
            (None, _) => -1,
            (Some(label), Some((last, code))) if label == last => code,
            (Some(label), _) => {
                let code = *index.entry(label).or_insert_with(|| {
                    distinct.push(label);
                    (distinct.len() - 1) as i32
                });
                previous = Some((label, code));
                code
            }
        })
        .collect();
    (PyArray1::from_vec(py, codes), distinct).into_pyobject(py)
}

/// A table as a dict of columns: labels through [`labels`], numbers as numpy arrays.
struct Columns<'py> {
    py: Python<'py>,
    dict: Bound<'py, PyDict>,
}

impl<'py> Columns<'py> {
    fn text<'a, T: 'a>(&self, name: &str, rows: &'a [T], f: impl Fn(&'a T) -> &'a str) -> PyResult<()> {
        self.dict
            .set_item(name, labels(self.py, rows.iter().map(|r| Some(f(r))))?)
    }

    fn numbers<T: numpy::Element, R>(&self, name: &str, rows: &[R], f: impl Fn(&R) -> T) -> PyResult<()> {
        self.dict
            .set_item(name, PyArray1::from_vec(self.py, rows.iter().map(f).collect()))
    }
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

    /// One table as a dict of columns: numbers as int64/float64 numpy arrays, labels
    /// as `(codes, labels)` (int32 codes into the distinct labels, -1 = none). Tables:
    /// `shipments`, `unmet`, `stock_after`, `dual_prices`, `objective` (one row per item
    /// and level, in the order they are minimised), `county_request` (one row per
    /// county, item, site and class) and `reasons` (unmet need by item, window, reason).
    fn _columns<'py>(&self, py: Python<'py>, table: &str) -> PyResult<Bound<'py, PyDict>> {
        let p = &self.inner;
        let c = Columns {
            py,
            dict: PyDict::new(py),
        };
        match table {
            "shipments" => {
                let s = &p.shipments;
                c.text("item", s, |r| &r.item)?;
                c.text("from", s, |r| &r.from)?;
                c.text("to", s, |r| &r.to)?;
                c.numbers("quantity", s, |r| r.quantity)?;
                c.numbers("km", s, |r| r.km)?;
            }
            "unmet" => {
                let u = &p.unmet;
                c.text("item", u, |r| &r.item)?;
                c.text("site", u, |r| &r.site)?;
                c.text("priority", u, |r| &r.priority)?;
                c.text("window", u, |r| r.window.as_str())?;
                c.numbers("need", u, |r| r.need)?;
                c.numbers("unmet", u, |r| r.unmet)?;
                c.text("reason", u, |r| r.reason.as_str())?;
                c.text("explanation", u, |r| r.reason.describe())?;
            }
            "stock_after" => {
                let s = &p.stock_after;
                c.text("item", s, |r| &r.item)?;
                c.text("site", s, |r| &r.site)?;
                c.numbers("before", s, |r| r.before)?;
                c.numbers("received", s, |r| r.received)?;
                c.numbers("sent", s, |r| r.sent)?;
                c.numbers("after", s, |r| r.after)?;
            }
            "dual_prices" => {
                let s = &p.dual_prices;
                c.text("item", s, |r| &r.item)?;
                c.text("site", s, |r| &r.site)?;
                c.text("level", s, |r| &r.level)?;
                c.numbers("km", s, |r| r.km)?;
                c.numbers("raw", s, |r| r.raw)?;
            }
            "objective" => {
                // One row per item and level: acute per class, planning, transport.
                let classes = &p.priority_classes;
                let acute: Vec<String> = classes.iter().map(|id| format!("acute:{id}")).collect();
                let mut rows: Vec<(&ItemObjective, i64, &str, Option<&str>, f64)> = Vec::new();
                for o in &p.objective {
                    for (k, (id, &v)) in classes.iter().zip(&o.acute_unmet).enumerate() {
                        rows.push((o, k as i64 + 1, &acute[k], Some(id), v as f64));
                    }
                    let k = o.acute_unmet.len() as i64;
                    rows.push((o, k + 1, "planning", None, o.planning_unmet as f64));
                    rows.push((o, k + 2, "transport", None, o.transport_unit_km));
                }
                c.text("item", &rows, |r| &r.0.item)?;
                c.text("unit", &rows, |r| &r.0.unit)?;
                c.numbers("rank", &rows, |r| r.1)?;
                c.text("level", &rows, |r| r.2)?;
                c.dict.set_item("priority", labels(py, rows.iter().map(|r| r.3))?)?;
                c.numbers("value", &rows, |r| r.4)?;
                c.text("method", &rows, |r| r.0.method.as_str())?;
            }
            "county_request" => {
                let mut rows: Vec<(&CountyRequest, &RequestItem, &RequestLine, &str, i64)> = Vec::new();
                for r in &p.requests {
                    for it in &r.items {
                        for line in &it.sites {
                            for (class, q) in &line.by_priority {
                                rows.push((r, it, line, class, *q));
                            }
                        }
                    }
                }
                c.text("county", &rows, |r| &r.0.county)?;
                c.text("item", &rows, |r| &r.1.item)?;
                c.text("item_name", &rows, |r| &r.1.item_name)?;
                c.text("unit", &rows, |r| &r.1.unit)?;
                c.text("site", &rows, |r| &r.2.site)?;
                c.text("site_name", &rows, |r| &r.2.site_name)?;
                c.text("kind", &rows, |r| &r.2.kind)?;
                c.text("priority", &rows, |r| r.3)?;
                c.numbers("quantity", &rows, |r| r.4)?;
            }
            "reasons" => {
                let rows = p.reason_counts().map_err(to_pyerr)?;
                c.text("item", &rows, |r| &r.item)?;
                c.text("window", &rows, |r| r.window.as_str())?;
                c.text("reason", &rows, |r| r.reason.as_str())?;
                c.text("explanation", &rows, |r| r.reason.describe())?;
                c.numbers("needs", &rows, |r| r.needs)?;
                c.numbers("sites", &rows, |r| r.sites)?;
                c.numbers("unmet", &rows, |r| r.unmet)?;
            }
            other => {
                return Err(invalid(
                    "table",
                    format!("expected one of {}, got '{other}'", TABLES.join(", ")),
                ))
            }
        }
        Ok(c.dict)
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
