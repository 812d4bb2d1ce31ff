//! Results handed to Python as JSON text (the package parses it into DataFrames), and
//! JSON input parse errors as `ParseError`s.

use crate::errors::to_pyerr;
use allocnet::Error;
use pyo3::PyResult;
use serde::Serialize;

/// `value` as compact JSON (`pretty`: indented, as the CLI writes files).
pub fn to_json<T: Serialize>(value: &T, pretty: bool) -> PyResult<String> {
    let text = if pretty {
        serde_json::to_string_pretty(value)
    } else {
        serde_json::to_string(value)
    };
    text.map_err(|e| to_pyerr(Error::Internal(format!("writing JSON: {e}"))))
}

/// Parses JSON text into `T`; a syntax or type error is a `ParseError` naming
/// `source_name` and the line.
pub fn from_json<T: serde::de::DeserializeOwned>(text: &str, source_name: &str) -> PyResult<T> {
    serde_json::from_str(text).map_err(|e| {
        to_pyerr(Error::Parse {
            source_name: source_name.to_string(),
            line: e.line(),
            message: e.to_string(),
        })
    })
}
