//! The one road every result's tables take to Python: the core's result-table
//! contract (`allocnet::tables`) exported as numpy arrays, text dictionary-encoded and
//! categoricals as codes into their categories. The Python package makes DataFrames
//! from it with one class (`allocnet._tables.ResultTables`).
//!
//! What a table holds, and its schema, is the core's business; this module only moves
//! columns across.

use crate::errors::to_pyerr;
use allocnet::tables::{markdown, Column, Dtype, ResultTables, Table, RESULTS};
use allocnet::Error;
use numpy::PyArray1;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList, PySlice};
use rustc_hash::FxHashMap;

/// What a result's `_tables()` returns: the distinct texts of every text column, every
/// text row's code into them (int64, -1 = missing), and per table its columns as
/// `[(name, dtype, data)]`. A text column's `data` is the slice of its rows in the
/// codes (one block: Python builds every text column with one `take`); `int64`,
/// `float64` and `boolean` columns are numpy arrays; `Int64` is `(values, missing)`
/// and `category` is `(int32 codes, categories)`.
pub type Export<'py> = (Vec<String>, Bound<'py, PyArray1<i64>>, Bound<'py, PyDict>);

/// Text columns gathered into one block: their distinct labels and every row's code.
#[derive(Default)]
struct TextBlock {
    index: FxHashMap<String, i64>,
    labels: Vec<String>,
    codes: Vec<i64>,
}

impl TextBlock {
    /// Appends a column (codes into its own labels, -1 = none); returns its rows.
    fn add(&mut self, codes: &[i32], labels: Vec<String>) -> std::ops::Range<usize> {
        let block_codes: Vec<i64> = labels
            .into_iter()
            .map(|label| match self.index.get(&label) {
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
    isize::try_from(n).map_err(|_| to_pyerr(Error::Overflow(format!("row position {n} exceeds isize"))))
}

/// One column as `(dtype, data)`; text goes into `block`.
fn column<'py>(
    py: Python<'py>,
    dtype: Dtype,
    data: Column,
    block: &mut TextBlock,
) -> PyResult<(&'static str, Bound<'py, PyAny>)> {
    Ok(match data {
        Column::Int(v) => ("int64", PyArray1::from_vec(py, v).into_any()),
        Column::Float(v) => ("float64", PyArray1::from_vec(py, v).into_any()),
        Column::Bool(v) => ("boolean", PyArray1::from_vec(py, v).into_any()),
        Column::OptInt(v) => {
            let missing: Vec<bool> = v.iter().map(Option::is_none).collect();
            let values: Vec<i64> = v.into_iter().map(|x| x.unwrap_or(0)).collect();
            let pair = (PyArray1::from_vec(py, values), PyArray1::from_vec(py, missing));
            ("Int64", pair.into_pyobject(py)?.into_any())
        }
        Column::Text(labels) => match dtype {
            Dtype::Category(_) => {
                let categories = PyList::new(py, &labels.labels)?;
                let pair = (PyArray1::from_vec(py, labels.codes), categories);
                ("category", pair.into_pyobject(py)?.into_any())
            }
            _ => {
                let rows = block.add(&labels.codes, labels.labels);
                let slice = PySlice::new(py, to_isize(rows.start)?, to_isize(rows.end)?, 1);
                ("string", slice.into_any())
            }
        },
    })
}

/// Exports `tables` (see [`Export`]). A table the core could not build is left out:
/// the result's `_table(name)` raises its error.
pub(crate) fn export<'py>(
    py: Python<'py>,
    tables: impl IntoIterator<Item = Result<Table, Error>>,
) -> PyResult<Export<'py>> {
    let mut block = TextBlock::default();
    let out = PyDict::new(py);
    for table in tables.into_iter().flatten() {
        let name = table.name();
        let columns = PyList::empty(py);
        for c in table.columns {
            let (dtype, data) = column(py, c.spec.dtype, c.data, &mut block)?;
            columns.append((c.name, dtype, data))?;
        }
        out.set_item(name, columns)?;
    }
    Ok((block.labels, PyArray1::from_vec(py, block.codes), out))
}

/// Every table of `result` that Python shows as a DataFrame (the schema's tables that
/// are not file-only), in schema order.
pub fn export_all<'py, R: ResultTables>(py: Python<'py>, result: &R) -> PyResult<Export<'py>> {
    let names = R::schema().iter().filter(|t| !t.file_only).map(|t| t.name);
    export(py, names.map(|name| result.table(name)))
}

/// Table `name` of `result` alone, raising the core's error when it cannot be built.
pub fn export_table<'py, R: ResultTables>(py: Python<'py>, result: &R, name: &str) -> PyResult<Export<'py>> {
    let table = result.table(name).map_err(to_pyerr)?;
    export(py, [Ok(table)])
}

/// The schema of every result's tables: `{result: [(table, meaning, file_only,
/// [(column, dtype, unit, meaning)])]}` (dtypes `int64`, `Int64`, `float64`,
/// `boolean`, `string`, `category:<set>`; a column name with `<class>` stands for one
/// column per priority class).
#[pyfunction]
pub fn result_schema(py: Python<'_>) -> PyResult<Bound<'_, PyDict>> {
    let out = PyDict::new(py);
    for (result, _, schema) in RESULTS {
        let tables = PyList::empty(py);
        for t in *schema {
            let columns: Vec<_> = t
                .columns
                .iter()
                .map(|c| (c.name, c.dtype.name(), c.unit, c.meaning))
                .collect();
            tables.append((t.name, t.meaning, t.file_only, columns))?;
        }
        out.set_item(*result, tables)?;
    }
    Ok(out)
}

/// The column tables of `result` as Markdown, as the docs show them (generated from the
/// core's schema).
#[pyfunction]
pub fn _result_markdown(result: &str) -> PyResult<String> {
    match RESULTS.iter().find(|(name, _, _)| *name == result) {
        Some((_, heading, schema)) => Ok(markdown(heading, schema)),
        None => {
            let names: Vec<&str> = RESULTS.iter().map(|r| r.0).collect();
            Err(to_pyerr(Error::invalid(
                "result",
                format!("expected one of {}, got '{result}'", names.join(", ")),
            )))
        }
    }
}
