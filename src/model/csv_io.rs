//! A scenario as a directory of CSV tables.
//!
//! Required: `sites.csv`, `items.csv`, `status.csv`. Optional: `parameters.csv`
//! (`name,value` rows), `priorities.csv`, `deliveries.csv`, `need_split.csv`,
//! `lanes.csv`, `distances.csv`. Columns are the fields of [`super::schema::FIELDS`];
//! an empty cell means the field's default. Errors name the file, line and column:
//! `status.csv line 13, column stock: must be >= 0, got -5`.

use super::scenario::{NeedSplit, Scenario};
use super::tables::{scenario_from_tables, Column, Table, INPUT_TABLES, STATUS_COLUMNS};
use crate::error::{Error, InvalidValue, Result};
use rustc_hash::FxHashMap as HashMap;
use std::path::Path;
use std::sync::Arc;

/// Reads one CSV file as a table of text columns (`None` when it does not exist; a
/// required file is then reported missing).
fn read_table(
    dir: &Path,
    file: &'static str,
    table: &str,
    required: bool,
    problems: &mut Vec<InvalidValue>,
) -> Result<Option<Table>> {
    let path = dir.join(file);
    if !path.exists() {
        if required {
            problems.push(InvalidValue::new(
                file,
                format!("missing: the scenario directory {} needs it", dir.display()),
            ));
        }
        return Ok(None);
    }
    // A BOM is skipped and invalid UTF-8 reported with its line and column first, so
    // the CSV reader only sees text.
    let text = crate::limits::read_text_file(&path)?;
    let bytes = text.into_bytes();
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(false)
        .from_reader(bytes.as_slice());
    let header = reader.headers().map_err(|e| csv_error(&path, &bytes, e))?.clone();
    let mut cells: Vec<Vec<Option<String>>> = vec![Vec::new(); header.len()];
    let mut lines = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| csv_error(&path, &bytes, e))?;
        lines.push(record.position().map_or(0, |p| editor_line(&bytes, p.byte())));
        for (column, value) in cells.iter_mut().zip(record.iter()) {
            column.push((!value.is_empty()).then(|| value.to_string()));
        }
    }
    let columns = header
        .iter()
        .zip(cells)
        .map(|(name, values)| (name.to_string(), Column::Text(values)))
        .collect();
    Ok(Some(Table::new(file, table, columns, lines, problems)))
}

/// The 1-based line a text editor shows for a record the csv crate says starts at byte
/// offset `byte`: one more than the line feeds before its first character (CRLF counts
/// once, cells spanning lines are counted). The csv crate's `Position::line` drifts on
/// CRLF files and multi-line cells, and its offset may point at the line ending or
/// blank lines before the record, so those are skipped first.
fn editor_line(bytes: &[u8], byte: u64) -> usize {
    let mut start = usize::try_from(byte).map_or(bytes.len(), |b| b.min(bytes.len()));
    while start < bytes.len() && matches!(bytes[start], b'\r' | b'\n') {
        start += 1;
    }
    1 + bytes[..start].iter().filter(|&&b| b == b'\n').count()
}

/// A CSV syntax error in words, with the line where its record starts.
fn csv_error(path: &Path, bytes: &[u8], e: csv::Error) -> Error {
    let start = e.position().map(|p| p.byte());
    let line = start.map_or(0, |b| editor_line(bytes, b));
    let text = e.to_string();
    let message = match e.into_kind() {
        csv::ErrorKind::Io(source) => {
            return Error::Io {
                path: path.display().to_string(),
                source,
            }
        }
        csv::ErrorKind::UnequalLengths { expected_len, len, .. } => {
            let rest = start.map_or(&[][..], |b| &bytes[usize::try_from(b).unwrap_or(0).min(bytes.len())..]);
            let open_quote = rest.iter().filter(|&&b| b == b'"').count() % 2 == 1;
            format!(
                "expected {expected_len} fields (as in the header line), found {len}{}",
                if open_quote {
                    "; a quote `\"` is not closed, so the rest of the file reads as one field"
                } else {
                    ""
                }
            )
        }
        csv::ErrorKind::Utf8 { err, .. } => format!("field {}: invalid UTF-8", err.field() + 1),
        _ => text,
    };
    Error::Parse {
        source_name: path.display().to_string(),
        line,
        message,
    }
}

impl Scenario {
    /// Reads a scenario from a directory of CSV tables and checks it; every problem is
    /// reported at once with its file, line and column. See `docs/input-formats.md`.
    pub fn from_csv_dir(dir: &Path) -> Result<Scenario> {
        if !dir.is_dir() {
            return Err(Error::Io {
                path: dir.display().to_string(),
                source: std::io::Error::new(std::io::ErrorKind::NotFound, "not a directory"),
            });
        }
        let mut problems = Vec::new();
        let mut tables = HashMap::default();
        for &(_, file, table, required) in INPUT_TABLES {
            if let Some(t) = read_table(dir, file, table, required, &mut problems)? {
                tables.insert(table, t);
            }
        }
        if !problems.is_empty() {
            return Err(Error::Invalid(problems));
        }
        scenario_from_tables(&tables).map(|resolved| Arc::unwrap_or_clone(resolved.scenario))
    }
}

/// Writes `scenario` as CSV tables into `dir` (created if needed), in the layout that
/// [`Scenario::from_csv_dir`] reads (the files of [`Scenario::csv_texts`]).
pub fn write_csv_dir(scenario: &Scenario, dir: &Path) -> Result<()> {
    std::fs::create_dir_all(dir).map_err(|source| Error::Io {
        path: dir.display().to_string(),
        source,
    })?;
    for (file, text) in csv_texts(scenario)? {
        let path = dir.join(file);
        std::fs::write(&path, text).map_err(|source| Error::Io {
            path: path.display().to_string(),
            source,
        })?;
    }
    Ok(())
}

/// The CSV tables of `scenario` as `(file name, text)`, in the layout that
/// [`Scenario::from_csv_dir`] reads: `parameters.csv`, `priorities.csv` (when the
/// scenario lists classes), `sites.csv`, `items.csv`, `status.csv`, then
/// `deliveries.csv`, `need_split.csv`, `lanes.csv`, `distances.csv` when they have rows.
fn csv_texts(scenario: &Scenario) -> Result<Vec<(&'static str, String)>> {
    let mut files: Vec<(&'static str, String)> = Vec::new();
    let mut write = |file: &'static str, header: &[&str], rows: Vec<Vec<String>>| -> Result<()> {
        files.push((file, csv_text(file, header, rows)?));
        Ok(())
    };
    write("parameters.csv", &["name", "value"], parameter_rows(scenario))?;
    if let Some(classes) = &scenario.priority_classes {
        write(
            "priorities.csv",
            &["id", "name"],
            classes.iter().map(|c| vec![c.id.clone(), c.name.clone()]).collect(),
        )?;
    }
    write(
        "sites.csv",
        &["id", "name", "kind", "county", "lat", "lon", "hub"],
        scenario
            .sites
            .iter()
            .map(|s| {
                vec![
                    s.id.clone(),
                    s.name.clone(),
                    s.kind.as_str().into(),
                    s.county.clone(),
                    s.lat.to_string(),
                    s.lon.to_string(),
                    if s.hub { "true".into() } else { String::new() },
                ]
            })
            .collect(),
    )?;
    write(
        "items.csv",
        &["id", "name", "unit"],
        scenario
            .items
            .iter()
            .map(|i| vec![i.id.clone(), i.name.clone(), i.unit.as_str().into()])
            .collect(),
    )?;
    let (status, deliveries, splits) = status_rows(scenario);
    write("status.csv", &STATUS_COLUMNS, status)?;
    if !deliveries.is_empty() {
        write("deliveries.csv", &["site", "item", "day", "quantity"], deliveries)?;
    }
    if !splits.is_empty() {
        write(
            "need_split.csv",
            &["site", "item", "class", "share", "acute", "planning"],
            splits,
        )?;
    }
    if let Some(lanes) = &scenario.lanes {
        write(
            "lanes.csv",
            &["from", "to", "km", "capacity"],
            lanes
                .iter()
                .map(|l| {
                    vec![
                        l.from.clone(),
                        l.to.clone(),
                        opt(l.km.map(|v| v.to_string())),
                        opt(l.capacity.map(|v| v.to_string())),
                    ]
                })
                .collect(),
        )?;
    }
    if !scenario.distances.is_empty() {
        write(
            "distances.csv",
            &["from", "to", "km"],
            scenario
                .distances
                .iter()
                .map(|d| vec![d.from.clone(), d.to.clone(), d.km.to_string()])
                .collect(),
        )?;
    }
    Ok(files)
}

fn opt(v: Option<String>) -> String {
    v.unwrap_or_default()
}

/// One CSV text; a failure (which only a broken writer can cause) is an internal error
/// naming the file.
fn csv_text(file: &str, header: &[&str], rows: Vec<Vec<String>>) -> Result<String> {
    let internal = |e: String| Error::Internal(format!("writing {file}: {e}"));
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(header).map_err(|e| internal(e.to_string()))?;
    for r in rows {
        w.write_record(&r).map_err(|e| internal(e.to_string()))?;
    }
    let bytes = w.into_inner().map_err(|e| internal(e.to_string()))?;
    String::from_utf8(bytes).map_err(|e| internal(e.to_string()))
}

/// The `name,value` rows of `parameters.csv`.
fn parameter_rows(scenario: &Scenario) -> Vec<Vec<String>> {
    let par = &scenario.parameters;
    let mut rows = vec![
        vec!["name".to_string(), scenario.name.clone()],
        vec!["synthetic".into(), scenario.synthetic.to_string()],
        vec!["acute_window_hours".into(), par.acute_window_hours.to_string()],
        vec!["horizon_days".into(), par.horizon_days.to_string()],
        vec!["detour_factor".into(), par.detour_factor.to_string()],
        vec!["reserve_days".into(), par.reserve_days.to_string()],
    ];
    if let Some(n) = &scenario.note {
        rows.push(vec!["note".into(), n.clone()]);
    }
    if let Some(d) = &par.default_priority {
        rows.push(vec!["default_priority".into(), d.clone()]);
    }
    rows
}

/// The rows of `status.csv`, `deliveries.csv` and `need_split.csv`.
type StatusRows = (Vec<Vec<String>>, Vec<Vec<String>>, Vec<Vec<String>>);

fn status_rows(scenario: &Scenario) -> StatusRows {
    let mut status = Vec::new();
    let mut deliveries = Vec::new();
    let mut splits = Vec::new();
    for st in &scenario.status {
        let priority = match &st.split {
            Some(NeedSplit::Class(c)) => c.clone(),
            _ => String::new(),
        };
        status.push(vec![
            st.site.clone(),
            st.item.clone(),
            st.stock.to_string(),
            st.consumption_per_day.to_string(),
            opt(st.reserve_days.map(|v| v.to_string())),
            opt(st.acute_need.map(|v| v.to_string())),
            opt(st.planning_need.map(|v| v.to_string())),
            priority,
        ]);
        for d in &st.deliveries {
            deliveries.push(vec![
                st.site.clone(),
                st.item.clone(),
                d.day.to_string(),
                d.quantity.to_string(),
            ]);
        }
        if let Some(NeedSplit::Shares(rows) | NeedSplit::Quantities(rows)) = &st.split {
            for r in rows {
                splits.push(vec![
                    st.site.clone(),
                    st.item.clone(),
                    r.class.clone(),
                    opt(r.share.map(|v| v.to_string())),
                    opt(r.acute.map(|v| v.to_string())),
                    opt(r.planning.map(|v| v.to_string())),
                ]);
            }
        }
    }
    (status, deliveries, splits)
}

impl Scenario {
    /// Writes the scenario as CSV tables into `dir` (see [`Scenario::from_csv_dir`]).
    pub fn write_csv_dir(&self, dir: &Path) -> Result<()> {
        write_csv_dir(self, dir)
    }

    /// The CSV tables that [`Scenario::write_csv_dir`] writes, as `(file name, text)`
    /// in memory.
    ///
    /// ```
    /// let scenario = allocnet::model::synthetic::vastmanland_default().unwrap();
    /// let files = scenario.csv_texts().unwrap();
    /// let sites = files.iter().find(|(name, _)| *name == "sites.csv").unwrap();
    /// assert!(sites.1.starts_with("id,name,kind,county,lat,lon,hub\n"));
    /// ```
    pub fn csv_texts(&self) -> Result<Vec<(&'static str, String)>> {
        csv_texts(self)
    }
}
