//! `_raise_core_error`: raises one core error variant (or panics) through the normal
//! conversion path, so the tests can check the exception mapping variant by variant,
//! including variants no public call triggers on valid builds (`Solver`, `Internal`,
//! a panic).

use crate::errors::detached;
use allocnet::{Error, InvalidValue};
use pyo3::prelude::*;

/// Raises the exception for the core error `kind`: `"invalid"`, `"parse"`,
/// `"overflow"`, `"io"`, `"solver"`, `"cancelled"`, `"internal"` or `"panic"` (a Rust
/// panic, caught).
#[pyfunction]
pub fn _raise_core_error(py: Python<'_>, kind: &str) -> PyResult<()> {
    let kind = kind.to_string();
    detached(py, || {
        Err(match kind.as_str() {
            "invalid" => Error::Invalid(vec![
                InvalidValue::new("status[2].stock", "must be >= 0, got -5"),
                InvalidValue::new("lanes.csv line 8, column from", "unknown site 'x'"),
            ]),
            "parse" => Error::Parse {
                source_name: "sites.csv".into(),
                line: 7,
                message: "expected 5 columns, found 4".into(),
            },
            "overflow" => Error::Overflow("node 3: supply does not fit in i64".into()),
            "io" => Error::Io {
                path: "missing.json".into(),
                source: std::io::Error::from(std::io::ErrorKind::NotFound),
            },
            "solver" => Error::Solver("HiGHS returned an infeasible basis".into()),
            "cancelled" => Error::Cancelled("the trips round after 3 of 21 parts; no plan was made".into()),
            "internal" => Error::Internal("table shipments: 4 columns built, the schema has 5".into()),
            "panic" => panic!("deliberate panic for the exception-mapping test"),
            other => Error::invalid("kind", format!("unknown error kind '{other}'")),
        })
    })
}
