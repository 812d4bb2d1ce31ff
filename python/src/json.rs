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

/// Parses JSON text into `T` (the core's one typed JSON reader); a syntax or type
/// error is a `ParseError` naming `source_name`, the line and the path of the value.
pub fn from_json<T: serde::de::DeserializeOwned>(text: &str, source_name: &str) -> PyResult<T> {
    allocnet::json_path::parse_json(text, source_name, "").map_err(to_pyerr)
}
