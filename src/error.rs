//! The one error type of the crate.
//!
//! Bad input is an [`Error`] that names where it is (a field path, an arc, a line) and
//! what was expected. An infeasible or unbounded problem is *not* an error: it is a
//! [`Status`](crate::flow::Status) in the result, so one bad scenario does not abort a
//! sweep.

use std::fmt;

/// One invalid value: where it is and what is wrong with it.
///
/// `path` follows the input's own structure, e.g. `arc 3 (upper)`, `node 7 (supply)`,
/// `status[12].stock`, `lanes.csv line 8`.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct InvalidValue {
    /// Where the value is.
    pub path: String,
    /// What was expected, and what was found.
    pub message: String,
}

impl InvalidValue {
    /// An invalid value at `path` with the explanation `message`.
    pub fn new(path: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            path: path.into(),
            message: message.into(),
        }
    }
}

impl fmt::Display for InvalidValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.path, self.message)
    }
}

/// Everything that can go wrong in allocnet, by kind.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The input holds one or more invalid values; all of them are listed.
    #[error("invalid input ({} problem{}):\n  {}", .0.len(), if .0.len() == 1 { "" } else { "s" }, join_lines(.0))]
    Invalid(Vec<InvalidValue>),

    /// A text file (DIMACS, CSV, JSON) could not be parsed.
    #[error("{source_name} line {line}: {message}")]
    Parse {
        /// File name or other label of the text.
        source_name: String,
        /// 1-based line number.
        line: usize,
        /// What was expected and what was found.
        message: String,
    },

    /// A value or an intermediate result would not fit the integer type it is computed
    /// in. Nothing is wrapped silently.
    #[error("integer overflow: {0}")]
    Overflow(String),

    /// Reading or writing a file failed.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: String,
        /// The operating system's error.
        #[source]
        source: std::io::Error,
    },

    /// The LP solver failed or returned an answer that does not pass allocnet's own
    /// feasibility and objective checks.
    #[error("LP solver: {0}")]
    Solver(String),

    /// The caller's cancel flag stopped a long call (a trips round between its parts, a
    /// simulation between its meetings) before it finished. No partial result is
    /// returned; the message says what was stopped and how far it got.
    #[error("cancelled: {0}")]
    Cancelled(String),

    /// A broken invariant of allocnet itself, or a result that could not be
    /// serialised: a bug, not bad input. The message says what failed.
    #[error("internal error (please report it): {0}")]
    Internal(String),
}

fn join_lines(values: &[InvalidValue]) -> String {
    values.iter().map(ToString::to_string).collect::<Vec<_>>().join("\n  ")
}

impl Error {
    /// A single invalid value as an error.
    pub fn invalid(path: impl Into<String>, message: impl Into<String>) -> Self {
        Error::Invalid(vec![InvalidValue::new(path, message)])
    }
}

/// The crate's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;
