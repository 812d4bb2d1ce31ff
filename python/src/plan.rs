//! `Plan` (wraps `allocnet::process::Plan`): the county round's result, handed to
//! Python as plain columns (the package turns them into DataFrames).

use crate::engine::engine_name;
use crate::errors::to_pyerr;
use allocnet::process::output::plan_json;
use allocnet::process::{CountyRequest, ItemObjective, Plan as CorePlan, Reason, RequestItem, RequestLine, Window};
use allocnet::{Error, InvalidValue};
use numpy::PyArray1;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PySlice, PyTuple};
use rustc_hash::FxHashMap;
use std::borrow::Cow;

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

/// The table names `_columns` knows, in the order `_tables` returns them.
const TABLES: &[&str] = &[
    "shipments",
    "unmet",
    "stock_after",
    "dual_prices",
    "objective",
    "county_request",
    "reasons",
];

/// One column of a plan table, as the bindings build it from the plan.
enum Data<'a> {
    Int(Vec<i64>),
    Float(Vec<f64>),
    /// Row `r` is `labels[codes[r]]`; -1 = none.
    Labels {
        codes: Vec<i32>,
        labels: Vec<Cow<'a, str>>,
    },
}

/// A plan table as named columns.
type TableData<'a> = Vec<(&'static str, Data<'a>)>;

/// Labels dictionary-encoded: codes index the distinct values in order of first
/// appearance, -1 for none.
fn encode<'s>(values: impl Iterator<Item = Option<&'s str>>) -> (Vec<i32>, Vec<&'s str>) {
    let mut index: FxHashMap<&str, i32> = FxHashMap::default();
    let mut labels: Vec<&str> = Vec::new();
    let mut previous: Option<(&str, i32)> = None; // rows come in runs of one label
    let codes = values
        .map(|v| match (v, previous) {
            (None, _) => -1,
            (Some(label), Some((last, code))) if label == last => code,
            (Some(label), _) => {
                let code = *index.entry(label).or_insert_with(|| {
                    labels.push(label);
                    (labels.len() - 1) as i32
                });
                previous = Some((label, code));
                code
            }
        })
        .collect();
    (codes, labels)
}

/// A text column whose texts live as long as the plan.
fn text<'a>(values: impl Iterator<Item = &'a str>) -> Data<'a> {
    let (codes, labels) = encode(values.map(Some));
    Data::Labels {
        codes,
        labels: labels.into_iter().map(Cow::Borrowed).collect(),
    }
}

/// A column over a closed set of labels (all of them, in their fixed order), given
/// each row's position in it (None: no label): no hashing.
fn closed<'a>(labels: Vec<Cow<'a, str>>, positions: impl Iterator<Item = Option<usize>>) -> Data<'a> {
    let codes = positions
        .map(|p| p.and_then(|p| i32::try_from(p).ok()).unwrap_or(-1))
        .collect();
    Data::Labels { codes, labels }
}

fn ints(values: impl Iterator<Item = i64>) -> Data<'static> {
    Data::Int(values.collect())
}

fn floats(values: impl Iterator<Item = f64>) -> Data<'static> {
    Data::Float(values.collect())
}

/// The windows in [`Window::ALL`]'s order (the categories of a `window` column).
fn windows<'a>() -> Vec<Cow<'a, str>> {
    Window::ALL.iter().map(|w| Cow::Borrowed(w.as_str())).collect()
}

fn window_position(w: Window) -> Option<usize> {
    Window::ALL.iter().position(|&x| x == w)
}

/// The reason codes, or their explanations, in [`Reason::ALL`]'s order.
fn reasons<'a>(describe: bool) -> Vec<Cow<'a, str>> {
    Reason::ALL
        .iter()
        .map(|r| Cow::Borrowed(if describe { r.describe() } else { r.as_str() }))
        .collect()
}

fn reason_position(r: Reason) -> Option<usize> {
    Reason::ALL.iter().position(|&x| x == r)
}

/// The plan's priority classes, highest first (the categories of a `priority` column).
struct Classes<'a>(Vec<&'a str>);

impl<'a> Classes<'a> {
    fn new(plan: &'a CorePlan) -> Self {
        Classes(plan.priority_classes.iter().map(String::as_str).collect())
    }

    /// A `priority` column: each row's class (None: no class).
    fn column<'r>(&self, ids: impl Iterator<Item = Option<&'r str>>) -> Data<'a> {
        // a handful of classes: a linear search beats hashing
        let positions = ids.map(|id| id.and_then(|id| self.0.iter().position(|&c| c == id)));
        closed(self.0.iter().map(|&c| Cow::Borrowed(c)).collect(), positions)
    }
}

/// One plan table as columns (see `Plan::_columns` for the tables). Only an
/// overflowing reason count fails.
fn table_data<'a>(p: &'a CorePlan, table: &str) -> Result<TableData<'a>, Error> {
    let classes = Classes::new(p);
    Ok(match table {
        "shipments" => {
            let s = &p.shipments;
            vec![
                ("item", text(s.iter().map(|r| r.item.as_str()))),
                ("from", text(s.iter().map(|r| r.from.as_str()))),
                ("to", text(s.iter().map(|r| r.to.as_str()))),
                ("quantity", ints(s.iter().map(|r| r.quantity))),
                ("km", floats(s.iter().map(|r| r.km))),
            ]
        }
        "unmet" => {
            let u = &p.unmet;
            vec![
                ("item", text(u.iter().map(|r| r.item.as_str()))),
                ("site", text(u.iter().map(|r| r.site.as_str()))),
                ("priority", classes.column(u.iter().map(|r| Some(r.priority.as_str())))),
                ("window", closed(windows(), u.iter().map(|r| window_position(r.window)))),
                ("need", ints(u.iter().map(|r| r.need))),
                ("unmet", ints(u.iter().map(|r| r.unmet))),
                (
                    "reason",
                    closed(reasons(false), u.iter().map(|r| reason_position(r.reason))),
                ),
                (
                    "explanation",
                    closed(reasons(true), u.iter().map(|r| reason_position(r.reason))),
                ),
            ]
        }
        "stock_after" => {
            let s = &p.stock_after;
            vec![
                ("item", text(s.iter().map(|r| r.item.as_str()))),
                ("site", text(s.iter().map(|r| r.site.as_str()))),
                ("before", ints(s.iter().map(|r| r.before))),
                ("received", ints(s.iter().map(|r| r.received))),
                ("sent", ints(s.iter().map(|r| r.sent))),
                ("after", ints(s.iter().map(|r| r.after))),
            ]
        }
        "dual_prices" => {
            let s = &p.dual_prices;
            vec![
                ("item", text(s.iter().map(|r| r.item.as_str()))),
                ("site", text(s.iter().map(|r| r.site.as_str()))),
                ("level", text(s.iter().map(|r| r.level.as_str()))),
                ("km", floats(s.iter().map(|r| r.km))),
                ("raw", ints(s.iter().map(|r| r.raw))),
            ]
        }
        "objective" => objective(p, &classes),
        "county_request" => county_request(p, &classes),
        "reasons" => {
            let rows = p.reason_counts()?;
            let (codes, labels) = encode(rows.iter().map(|r| Some(r.item.as_str())));
            let item = Data::Labels {
                codes,
                labels: labels.into_iter().map(|l| Cow::Owned(l.to_string())).collect(),
            };
            vec![
                ("item", item),
                (
                    "window",
                    closed(windows(), rows.iter().map(|r| window_position(r.window))),
                ),
                (
                    "reason",
                    closed(reasons(false), rows.iter().map(|r| reason_position(r.reason))),
                ),
                (
                    "explanation",
                    closed(reasons(true), rows.iter().map(|r| reason_position(r.reason))),
                ),
                ("needs", ints(rows.iter().map(|r| r.needs))),
                ("sites", ints(rows.iter().map(|r| r.sites))),
                ("unmet", ints(rows.iter().map(|r| r.unmet))),
            ]
        }
        other => {
            return Err(Error::Invalid(vec![InvalidValue::new(
                "table",
                format!("expected one of {}, got '{other}'", TABLES.join(", ")),
            )]))
        }
    })
}

/// One row per item and level, in the order they are minimised: acute per class,
/// planning, transport.
fn objective<'a>(p: &'a CorePlan, classes: &Classes<'a>) -> TableData<'a> {
    // (item, rank, level: index into `levels`, class, value)
    let mut rows: Vec<(&ItemObjective, i64, usize, Option<&str>, f64)> = Vec::new();
    let k = p.priority_classes.len();
    for o in &p.objective {
        for (rank, (id, &v)) in p.priority_classes.iter().zip(&o.acute_unmet).enumerate() {
            rows.push((o, rank as i64 + 1, rank, Some(id), v as f64));
        }
        let n = o.acute_unmet.len() as i64;
        rows.push((o, n + 1, k, None, o.planning_unmet as f64));
        rows.push((o, n + 2, k + 1, None, o.transport_unit_km));
    }
    let mut levels: Vec<Cow<'a, str>> = p
        .priority_classes
        .iter()
        .map(|id| Cow::Owned(format!("acute:{id}")))
        .collect();
    levels.extend([Cow::Borrowed("planning"), Cow::Borrowed("transport")]);
    vec![
        ("item", text(rows.iter().map(|r| r.0.item.as_str()))),
        ("unit", text(rows.iter().map(|r| r.0.unit.as_str()))),
        ("rank", ints(rows.iter().map(|r| r.1))),
        ("level", closed(levels, rows.iter().map(|r| Some(r.2)))),
        ("priority", classes.column(rows.iter().map(|r| r.3))),
        ("value", floats(rows.iter().map(|r| r.4))),
        ("method", text(rows.iter().map(|r| r.0.method.as_str()))),
    ]
}

/// One row per county, item, site and class.
fn county_request<'a>(p: &'a CorePlan, classes: &Classes<'a>) -> TableData<'a> {
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
    vec![
        ("county", text(rows.iter().map(|r| r.0.county.as_str()))),
        ("item", text(rows.iter().map(|r| r.1.item.as_str()))),
        ("item_name", text(rows.iter().map(|r| r.1.item_name.as_str()))),
        ("unit", text(rows.iter().map(|r| r.1.unit.as_str()))),
        ("site", text(rows.iter().map(|r| r.2.site.as_str()))),
        ("site_name", text(rows.iter().map(|r| r.2.site_name.as_str()))),
        ("kind", text(rows.iter().map(|r| r.2.kind.as_str()))),
        ("priority", classes.column(rows.iter().map(|r| Some(r.3)))),
        ("quantity", ints(rows.iter().map(|r| r.4))),
    ]
}

/// What `Plan._tables` returns: the text block's labels and codes, and the tables.
type Tables<'py> = (Vec<String>, Bound<'py, PyArray1<i64>>, Bound<'py, PyDict>);

/// Text columns gathered into one block: their distinct labels and every row's code.
#[derive(Default)]
struct TextBlock<'a> {
    index: FxHashMap<Cow<'a, str>, i64>,
    labels: Vec<Cow<'a, str>>,
    codes: Vec<i64>,
}

impl<'a> TextBlock<'a> {
    /// Appends a column (codes into its own labels, -1 = none); returns its rows.
    fn add(&mut self, codes: &[i32], labels: Vec<Cow<'a, str>>) -> std::ops::Range<usize> {
        let block_codes: Vec<i64> = labels
            .into_iter()
            .map(|label| match self.index.get(label.as_ref()) {
                Some(&code) => code,
                None => {
                    let code = self.labels.len() as i64;
                    self.labels.push(label.clone());
                    self.index.insert(label, code);
                    code
                }
            })
            .collect();
        let start = self.codes.len();
        let remap = |c: i32| usize::try_from(c).ok().and_then(|c| block_codes.get(c)).copied();
        self.codes.extend(codes.iter().map(|&c| remap(c).unwrap_or(-1)));
        start..self.codes.len()
    }
}

/// A row position as a slice bound.
fn to_isize(n: usize) -> PyResult<isize> {
    isize::try_from(n)
        .map_err(|_| Error::Overflow(format!("row position {n} exceeds isize")))
        .map_err(to_pyerr)
}

/// A table's columns as a dict: numbers as numpy arrays, labels as `(codes, labels)`.
fn to_dict<'py>(py: Python<'py>, table: TableData<'_>) -> PyResult<Bound<'py, PyDict>> {
    let dict = PyDict::new(py);
    for (name, data) in table {
        set_column(py, &dict, name, data)?;
    }
    Ok(dict)
}

/// One column into `dict`: numbers as a numpy array, labels as `(codes, labels)`.
fn set_column(py: Python<'_>, dict: &Bound<'_, PyDict>, name: &str, data: Data<'_>) -> PyResult<()> {
    match data {
        Data::Int(v) => dict.set_item(name, PyArray1::from_vec(py, v)),
        Data::Float(v) => dict.set_item(name, PyArray1::from_vec(py, v)),
        Data::Labels { codes, labels } => {
            let labels: Vec<&str> = labels.iter().map(AsRef::as_ref).collect();
            dict.set_item(name, (PyArray1::from_vec(py, codes), labels))
        }
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
    /// as `(codes, labels)` (int32 codes into the labels, -1 = none). Tables:
    /// `shipments`, `unmet`, `stock_after`, `dual_prices`, `objective` (one row per item
    /// and level, in the order they are minimised), `county_request` (one row per
    /// county, item, site and class) and `reasons` (unmet need by item, window, reason).
    /// Text columns list their distinct values in order of first appearance; the
    /// columns of a closed set (`priority`: the plan's classes, highest first;
    /// `window`; `reason` and `explanation`: every reason in the core's order; the
    /// objective's `level`) list all of its values in their order.
    fn _columns<'py>(&self, py: Python<'py>, table: &str) -> PyResult<Bound<'py, PyDict>> {
        let data = table_data(&self.inner, table).map_err(to_pyerr)?;
        to_dict(py, data)
    }

    /// Every table at once, with the text columns named in `text` (`(table, column)`
    /// pairs) gathered into one block: returns `(labels, codes, tables)` where `labels`
    /// are the distinct texts of those columns, `codes` (int64, -1 = none) index them,
    /// and in `tables[name]` such a column is the `slice` of its rows in `codes`; every
    /// other column is as in `_columns`. One block lets Python build every text column
    /// with one `take`. A table that cannot be built (an overflowing reason count) is
    /// left out: `_columns(name)` raises its error.
    fn _tables<'py>(&self, py: Python<'py>, text: Vec<(String, String)>) -> PyResult<Tables<'py>> {
        let is_text = |table: &str, column: &str| text.iter().any(|(t, c)| t == table && c == column);
        let mut block = TextBlock::default();
        let tables = PyDict::new(py);
        for &name in TABLES {
            let Ok(data) = table_data(&self.inner, name) else {
                continue;
            };
            let dict = PyDict::new(py);
            for (column, values) in data {
                match values {
                    Data::Labels { codes, labels } if is_text(name, column) => {
                        let rows = block.add(&codes, labels);
                        let rows = PySlice::new(py, to_isize(rows.start)?, to_isize(rows.end)?, 1);
                        dict.set_item(column, rows)?;
                    }
                    other => set_column(py, &dict, column, other)?,
                }
            }
            tables.set_item(name, dict)?;
        }
        let labels = block.labels.into_iter().map(Cow::into_owned).collect();
        Ok((labels, PyArray1::from_vec(py, block.codes), tables))
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
