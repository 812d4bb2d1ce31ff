//! Output helpers shared by the plan writers ([`crate::process::output`],
//! [`crate::test_capacity::output`]): pretty JSON and a directory of files (CSV text is
//! [`Table::to_csv`](crate::tables::Table::to_csv)).

use crate::error::{Error, Result};
use std::path::Path;

/// `value` as pretty JSON.
pub(crate) fn pretty_json<T: serde::Serialize>(value: &T) -> Result<String> {
    serde_json::to_string_pretty(value).map_err(|e| Error::Internal(format!("writing JSON: {e}")))
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
