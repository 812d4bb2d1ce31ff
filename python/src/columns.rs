//! Table columns from Python (numpy arrays and lists of str, as `allocnet.frames` makes
//! them from DataFrames) as the core's [`Column`]s. Only conversion: what the values
//! mean and how they are checked is the core's `Scenario::from_columns`.

use allocnet::model::{Column, ColumnTable};
use allocnet::InvalidValue;
use numpy::{PyArray1, PyArrayMethods};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyFloat, PyList, PyString};
use rustc_hash::FxHashMap;

/// The values of a 1-D numpy array (copied; any memory layout).
fn array_vec<T: numpy::Element + Copy>(array: &Bound<'_, PyArray1<T>>) -> Vec<T> {
    let readonly = array.readonly();
    match readonly.as_slice() {
        Ok(contiguous) => contiguous.to_vec(),
        Err(_) => readonly.as_array().to_vec(),
    }
}

/// One column: a float64 array (NaN = missing), an int64 array, an object array of str
/// (None, NaN, `pd.NA` = missing), a list of str/None, or dictionary-encoded text
/// `(codes, labels)` (int64 codes into a list of str, -1 = missing); `missing` (a bool
/// array, optional) marks further missing values.
fn column(
    values: &Bound<'_, PyAny>,
    missing: Option<&Bound<'_, PyAny>>,
    at: &str,
    problems: &mut Vec<InvalidValue>,
) -> Option<Column> {
    let mask = match missing {
        None => None,
        Some(m) => match m.cast::<PyArray1<bool>>() {
            Ok(m) => Some(array_vec(m)),
            Err(_) => {
                problems.push(InvalidValue::new(
                    at,
                    "the missing-value mask must be a 1-D numpy bool array",
                ));
                return None;
            }
        },
    };
    let is_missing = |i: usize| mask.as_ref().is_some_and(|m| m.get(i).copied().unwrap_or(false));
    if let Some(len) = mask.as_ref().map(Vec::len) {
        if values.len().ok() != Some(len) {
            problems.push(InvalidValue::new(
                at,
                "the missing-value mask must have one entry per value",
            ));
            return None;
        }
    }
    if let Ok(array) = values.cast::<PyArray1<f64>>() {
        let mut v = array_vec(array);
        for (i, x) in v.iter_mut().enumerate() {
            if is_missing(i) {
                *x = f64::NAN;
            }
        }
        return Some(Column::Number(v));
    }
    if let Ok(array) = values.cast::<PyArray1<i64>>() {
        let v = array_vec(array);
        return Some(Column::Integer(
            v.into_iter()
                .enumerate()
                .map(|(i, x)| (!is_missing(i)).then_some(x))
                .collect(),
        ));
    }
    if let Ok(list) = values.cast::<PyList>() {
        let mut text = texts(list, at, problems)?;
        for (i, t) in text.iter_mut().enumerate() {
            if is_missing(i) {
                *t = None;
            }
        }
        return Some(Column::Text(text));
    }
    if let Ok(array) = values.cast::<PyArray1<Py<PyAny>>>() {
        return interned(array, &is_missing, at, problems);
    }
    if let Ok((codes, labels)) = values.extract::<(Bound<'_, PyArray1<i64>>, Bound<'_, PyList>)>() {
        let labels = texts(&labels, &format!("{at} labels"), problems)?;
        let mut codes = array_vec(&codes);
        for (i, code) in codes.iter_mut().enumerate() {
            if is_missing(i) {
                *code = -1;
            }
        }
        // A None label is an empty text: missing, as in a CSV cell.
        let labels = labels.into_iter().map(Option::unwrap_or_default).collect();
        return Some(Column::Coded { codes, labels });
    }
    let type_name = values.get_type().name().map(|n| n.to_string()).unwrap_or_default();
    problems.push(InvalidValue::new(
        at,
        format!(
            "expected a 1-D float64, int64 or object (str) numpy array, a list of str, or (int64 codes, list of str), got {type_name}"
        ),
    ));
    None
}

/// An object array of str as dictionary-encoded text: each distinct text is copied
/// once, the rows become codes into the labels; masked entries and missing values
/// ([`is_missing_object`]) are missing. A str object met before is recognised by its
/// address (DataFrames often share one object per id, e.g. after `read_csv`) without
/// reading its text again.
fn interned(
    array: &Bound<'_, PyArray1<Py<PyAny>>>,
    is_missing: &dyn Fn(usize) -> bool,
    at: &str,
    problems: &mut Vec<InvalidValue>,
) -> Option<Column> {
    let py = array.py();
    let readonly = array.readonly();
    let values = readonly.as_array();
    // The array holds a reference to every object for the whole loop, so an address
    // cannot be reused by another object meanwhile.
    let mut by_object: FxHashMap<usize, i64> = FxHashMap::default();
    let mut by_text: FxHashMap<String, i64> = FxHashMap::default();
    let mut last: Option<(usize, i64)> = None;
    let mut labels = Vec::new();
    let mut codes = Vec::with_capacity(values.len());
    for (i, item) in values.iter().enumerate() {
        if is_missing(i) {
            codes.push(-1);
            continue;
        }
        let address = item.as_ptr() as usize;
        // Ids come in runs (a site's rows together): check the previous object first.
        if let Some((_, code)) = last.filter(|&(a, _)| a == address) {
            codes.push(code);
            continue;
        }
        if let Some(&code) = by_object.get(&address) {
            last = Some((address, code));
            codes.push(code);
            continue;
        }
        let item = item.bind(py);
        let Ok(text) = item.cast::<PyString>() else {
            if is_missing_object(item) {
                by_object.insert(address, -1);
                codes.push(-1);
                continue;
            }
            let type_name = item.get_type().name().map(|n| n.to_string()).unwrap_or_default();
            problems.push(InvalidValue::new(
                format!("{at}[{i}]"),
                format!("expected str (or a missing value), got {type_name}"),
            ));
            return None;
        };
        let text = utf8(text, at, i, problems)?;
        let code = match by_text.get(text.as_ref()) {
            Some(&code) => code,
            None => {
                let code = labels.len() as i64;
                labels.push(text.to_string());
                by_text.insert(text.into_owned(), code);
                code
            }
        };
        by_object.insert(address, code);
        last = Some((address, code));
        codes.push(code);
    }
    Some(Column::Coded { codes, labels })
}

/// A missing value of a text column as pandas' `isna` sees one: None, a float NaN (how
/// numpy object columns hold a hole), `pd.NA` or `pd.NaT`.
fn is_missing_object(item: &Bound<'_, PyAny>) -> bool {
    item.is_none()
        || item.cast::<PyFloat>().is_ok_and(|x| x.value().is_nan())
        || item
            .get_type()
            .name()
            .is_ok_and(|name| name == "NAType" || name == "NaTType")
}

/// The text of a str, or a problem at `at[i]` when it cannot be UTF-8 (a lone
/// surrogate).
fn utf8<'a>(
    text: &'a Bound<'_, PyString>,
    at: &str,
    i: usize,
    problems: &mut Vec<InvalidValue>,
) -> Option<std::borrow::Cow<'a, str>> {
    match text.to_cow() {
        Ok(text) => Some(text),
        Err(_) => {
            problems.push(InvalidValue::new(
                format!("{at}[{i}]"),
                "expected text that UTF-8 can encode, got a str with a lone surrogate",
            ));
            None
        }
    }
}

/// A list of str or None.
fn texts(list: &Bound<'_, PyList>, at: &str, problems: &mut Vec<InvalidValue>) -> Option<Vec<Option<String>>> {
    let mut text = Vec::with_capacity(list.len());
    for (i, item) in list.iter().enumerate() {
        if item.is_none() {
            text.push(None);
        } else if let Ok(s) = item.cast::<PyString>() {
            text.push(Some(utf8(s, at, i, problems)?.into_owned()));
        } else {
            let type_name = item.get_type().name().map(|n| n.to_string()).unwrap_or_default();
            problems.push(InvalidValue::new(
                format!("{at}[{i}]"),
                format!("expected str or None, got {type_name}"),
            ));
            return None;
        }
    }
    Some(text)
}

/// The tables of `Scenario.from_columns`: `{table: [(column name, values, missing or
/// None), ...]}`.
pub fn tables(tables: &Bound<'_, PyDict>, problems: &mut Vec<InvalidValue>) -> PyResult<Vec<(String, ColumnTable)>> {
    let mut out = Vec::with_capacity(tables.len());
    for (key, columns) in tables.iter() {
        let key: String = key.extract()?;
        let mut table = ColumnTable::new();
        for entry in columns.try_iter()? {
            let (name, values, missing): (String, Bound<'_, PyAny>, Option<Bound<'_, PyAny>>) = entry?.extract()?;
            let at = format!("{key}.{name}");
            if let Some(c) = column(&values, missing.as_ref(), &at, problems) {
                table.push((name, c));
            }
        }
        out.push((key, table));
    }
    Ok(out)
}
