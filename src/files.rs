//! Output helpers shared by the plan writers ([`crate::process::output`],
//! [`crate::test_capacity::output`]): CSV text, pretty JSON, and a directory of files.

use crate::error::{Error, Result};
use std::path::Path;

/// A CSV table from a header and rows of fields.
pub(crate) fn csv_text(header: &[&str], rows: impl Iterator<Item = Vec<String>>) -> Result<String> {
    let err = |e: String| Error::Solver(format!("writing CSV: {e}"));
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(header).map_err(|e| err(e.to_string()))?;
    for r in rows {
        w.write_record(&r).map_err(|e| err(e.to_string()))?;
    }
    let bytes = w.into_inner().map_err(|e| err(e.to_string()))?;
    String::from_utf8(bytes).map_err(|e| err(e.to_string()))
}

/// `value` as pretty JSON.
pub(crate) fn pretty_json<T: serde::Serialize>(value: &T) -> Result<String> {
    serde_json::to_string_pretty(value).map_err(|e| Error::Solver(format!("writing JSON: {e}")))
}

/// Writes each `(file name, text)` into `dir` (created if needed). Returns the names.
pub(crate) fn write_files(dir: &Path, files: impl IntoIterator<Item = (&'static str, String)>) -> Result<Vec<String>> {
    std::fs::create_dir_all(dir).map_err(|source| Error::Io {
        path: dir.display().to_string(),
        source,
    })?;
    let mut names = Vec::new();
    for (name, text) in files {
        let path = dir.join(name);
        std::fs::write(&path, text).map_err(|source| Error::Io {
            path: path.display().to_string(),
            source,
        })?;
        names.push(name.to_string());
    }
    Ok(names)
}
