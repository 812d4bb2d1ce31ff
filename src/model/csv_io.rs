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
    let bytes = std::fs::read(&path).map_err(|source| Error::Io {
        path: path.display().to_string(),
        source,
    })?;
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

fn csv_error(path: &Path, bytes: &[u8], e: csv::Error) -> Error {
    let line = e.position().map_or(0, |p| editor_line(bytes, p.byte()));
    match e.into_kind() {
        csv::ErrorKind::Io(source) => Error::Io {
            path: path.display().to_string(),
            source,
        },
        kind => Error::Parse {
            source_name: path.display().to_string(),
            line,
            message: format!("{kind:?}"),
        },
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
    let opt = |v: Option<String>| v.unwrap_or_default();
    let mut files: Vec<(&'static str, String)> = Vec::new();
    let mut write = |file: &'static str, header: &[&str], rows: Vec<Vec<String>>| -> Result<()> {
        let internal = |e: String| Error::Internal(format!("writing {file}: {e}"));
        let mut w = csv::Writer::from_writer(Vec::new());
        w.write_record(header).map_err(|e| internal(e.to_string()))?;
        for r in rows {
            w.write_record(&r).map_err(|e| internal(e.to_string()))?;
        }
        let bytes = w.into_inner().map_err(|e| internal(e.to_string()))?;
        files.push((file, String::from_utf8(bytes).map_err(|e| internal(e.to_string()))?));
        Ok(())
    };
    let par = &scenario.parameters;
    let mut prows = vec![
        vec!["name".to_string(), scenario.name.clone()],
        vec!["synthetic".into(), scenario.synthetic.to_string()],
        vec!["acute_window_hours".into(), par.acute_window_hours.to_string()],
        vec!["horizon_days".into(), par.horizon_days.to_string()],
        vec!["detour_factor".into(), par.detour_factor.to_string()],
        vec!["reserve_days".into(), par.reserve_days.to_string()],
    ];
    if let Some(n) = &scenario.note {
        prows.push(vec!["note".into(), n.clone()]);
    }
    if let Some(d) = &par.default_priority {
        prows.push(vec!["default_priority".into(), d.clone()]);
    }
    write("parameters.csv", &["name", "value"], prows)?;
    if let Some(classes) = &scenario.priority_classes {
        write(
            "priorities.csv",
            &["id", "name"],
            classes.iter().map(|c| vec![c.id.clone(), c.name.clone()]).collect(),
        )?;
    }
    write(
        "sites.csv",
        &["id", "name", "kind", "county", "lat", "lon"],
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
    /// assert!(sites.1.starts_with("id,name,kind,county,lat,lon\n"));
    /// ```
    pub fn csv_texts(&self) -> Result<Vec<(&'static str, String)>> {
        csv_texts(self)
    }
}
