//! The core's [`Error`] as Python exceptions, variant by variant ([`CoreError`] and its
//! `From` into `PyErr`), and [`detached`], the one road every core call takes: the GIL
//! released, a panic turned into `InternalError`, a core error into its exception.
//!
//! The exception classes are defined in Python (`allocnet/exceptions.py`) so that they
//! can also derive from the matching built-in (`ValueError`, `OSError`, ...); they are
//! looked up when an error is raised.

use allocnet::Error;
use pyo3::exceptions::PyRuntimeError;
use pyo3::prelude::*;
use pyo3::types::PyType;
use pyo3::PyErrArguments;
use std::panic::{catch_unwind, AssertUnwindSafe};

/// Which exception a [`Error::Parse`] becomes: DIMACS text has its own subclass.
#[derive(Clone, Copy)]
pub enum ParseKind {
    /// CSV, JSON or any other text: `ParseError`.
    General,
    /// A DIMACS file: `DimacsError` (a `ParseError`).
    Dimacs,
}

/// A core error on its way to Python. (The orphan rule keeps `From<allocnet::Error>
/// for PyErr` out of this crate, so the error is wrapped: `PyErr::from(CoreError(e))`,
/// or [`to_pyerr`] as a `map_err` argument.)
pub struct CoreError(pub Error);

impl From<Error> for CoreError {
    fn from(err: Error) -> Self {
        CoreError(err)
    }
}

/// Variant by variant: `Invalid` -> `InvalidInputError`, `Parse` -> `ParseError`,
/// `Overflow` -> `IntegerOverflowError`, `Io` -> `FileError`, `Solver` ->
/// `SolverError`, `Cancelled` -> `CancelledError`, `Internal` -> `InternalError`,
/// anything else -> `AllocnetError`.
impl From<CoreError> for PyErr {
    fn from(CoreError(err): CoreError) -> Self {
        to_pyerr_as(err, ParseKind::General)
    }
}

/// Converts a core error into the matching `allocnet.exceptions` class.
pub fn to_pyerr(err: Error) -> PyErr {
    PyErr::from(CoreError(err))
}

/// Runs the core call `work` with the GIL released (other Python threads run
/// meanwhile); a core error becomes its exception, a panic `InternalError`.
pub fn detached<T, F>(py: Python<'_>, work: F) -> PyResult<T>
where
    F: Send + FnOnce() -> Result<T, Error>,
    T: Send,
{
    detached_as(py, ParseKind::General, work)
}

/// [`detached`], raising parse errors as `kind`.
pub fn detached_as<T, F>(py: Python<'_>, kind: ParseKind, work: F) -> PyResult<T>
where
    F: Send + FnOnce() -> Result<T, Error>,
    T: Send,
{
    py.detach(|| no_panic(work))?.map_err(|e| to_pyerr_as(e, kind))
}

/// Converts a core error, raising parse errors as `kind`.
fn to_pyerr_as(err: Error, kind: ParseKind) -> PyErr {
    let message = err.to_string();
    match err {
        Error::Invalid(values) => {
            let problems: Vec<(String, String)> = values.into_iter().map(|v| (v.path, v.message)).collect();
            raise("InvalidInputError", (message, problems))
        }
        Error::Parse {
            source_name,
            line,
            message: detail,
        } => {
            let class = match kind {
                ParseKind::General => "ParseError",
                ParseKind::Dimacs => "DimacsError",
            };
            raise(class, (message, source_name, line, detail))
        }
        Error::Overflow(detail) => raise("IntegerOverflowError", (message, detail)),
        Error::Io { path, source } => match source.raw_os_error() {
            Some(errno) => {
                // std appends " (os error N)"; Python shows the errno itself.
                let text = source.to_string();
                let strerror = text.split(" (os error").next().unwrap_or(&text).to_string();
                raise("FileError", (errno, strerror, path))
            }
            None => raise("FileError", (message,)),
        },
        Error::Solver(detail) => raise("SolverError", (message, detail)),
        Error::Cancelled(_) => raise("CancelledError", (message,)),
        Error::Internal(_) => raise("InternalError", (message,)),
        // `Error` is non-exhaustive: a variant added later is still an AllocnetError.
        _ => raise("AllocnetError", (message,)),
    }
}

/// An invalid argument of a Python call, as the core's `Error::Invalid`.
pub fn invalid(path: impl Into<String>, message: impl Into<String>) -> PyErr {
    to_pyerr(Error::invalid(path, message))
}

fn raise<A>(class: &str, args: A) -> PyErr
where
    A: PyErrArguments + Send + Sync + 'static,
{
    Python::attach(|py| match exception_class(py, class) {
        Ok(class) => PyErr::from_type(class, args),
        Err(lookup_failed) => lookup_failed,
    })
}

fn exception_class<'py>(py: Python<'py>, name: &str) -> PyResult<Bound<'py, PyType>> {
    let class = py.import("allocnet.exceptions")?.getattr(name)?;
    Ok(class.cast_into::<PyType>()?)
}

/// Runs `work` and turns a panic into `allocnet.exceptions.InternalError` instead of
/// letting it unwind into Python.
fn no_panic<T>(work: impl FnOnce() -> T) -> PyResult<T> {
    catch_unwind(AssertUnwindSafe(work)).map_err(|payload| {
        let what = payload
            .downcast_ref::<&str>()
            .map(ToString::to_string)
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "unknown panic".to_string());
        let message = format!("internal error in allocnet (please report it): {what}");
        Python::attach(|py| match exception_class(py, "InternalError") {
            Ok(class) => PyErr::from_type(class, (message,)),
            Err(_) => PyRuntimeError::new_err(message),
        })
    })
}
