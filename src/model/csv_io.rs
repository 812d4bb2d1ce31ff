//! A scenario as a directory of CSV tables.
//!
//! Required: `sites.csv`, `items.csv`, `status.csv`. Optional: `parameters.csv`
//! (`name,value` rows), `priorities.csv`, `deliveries.csv`, `need_split.csv`,
//! `lanes.csv`, `distances.csv`. Columns are the fields of [`super::schema::FIELDS`];
//! an empty cell means the field's default. Errors name the file, line and column:
//! `status.csv line 13, column stock: must be >= 0, got -5`.

use super::resolve::resolve_with;
use super::scenario::{
    ClassNeed, Delivery, Distance, Item, Lane, NeedSplit, Parameters, PriorityClass, Scenario, Site, SiteKind,
    SiteStatus, Unit,
};
use super::schema::{self, FieldKind};
use super::validate::{Locator, Place};
use crate::error::{Error, InvalidValue, Result};
use std::collections::HashMap;
use std::path::Path;

/// One CSV table: its file name, header and rows with their 1-based line numbers.
struct Table {
    file: &'static str,
    columns: HashMap<String, usize>,
    rows: Vec<(usize, csv::StringRecord)>,
}

impl Table {
    fn cell<'r>(&self, row: &'r csv::StringRecord, column: &str) -> Option<&'r str> {
        self.columns
            .get(column)
            .and_then(|&i| row.get(i))
            .filter(|s| !s.is_empty())
    }
}

/// Parse problems, collected.
struct Cells<'a> {
    problems: &'a mut Vec<InvalidValue>,
}

impl Cells<'_> {
    fn bad(&mut self, file: &str, line: usize, column: &str, message: String) {
        self.problems.push(InvalidValue::new(
            format!("{file} line {line}, column {column}"),
            message,
        ));
    }

    fn text(&mut self, t: &Table, line: usize, row: &csv::StringRecord, col: &str) -> String {
        match t.cell(row, col) {
            Some(s) => s.to_string(),
            None => {
                self.bad(t.file, line, col, "missing value (required)".into());
                String::new()
            }
        }
    }

    fn opt_f64(&mut self, t: &Table, line: usize, row: &csv::StringRecord, col: &str) -> Option<f64> {
        let s = t.cell(row, col)?;
        match s.parse::<f64>() {
            Ok(v) => Some(v),
            Err(_) => {
                self.bad(t.file, line, col, format!("expected a number, got '{s}'"));
                None
            }
        }
    }

    fn opt_i64(&mut self, t: &Table, line: usize, row: &csv::StringRecord, col: &str) -> Option<i64> {
        let s = t.cell(row, col)?;
        match s.parse::<i64>() {
            Ok(v) => Some(v),
            Err(_) => {
                self.bad(t.file, line, col, format!("expected a whole number, got '{s}'"));
                None
            }
        }
    }

    fn f64(&mut self, t: &Table, line: usize, row: &csv::StringRecord, col: &str) -> f64 {
        if t.cell(row, col).is_none() {
            self.bad(t.file, line, col, "missing value (required)".into());
        }
        self.opt_f64(t, line, row, col).unwrap_or(0.0)
    }

    fn i64(&mut self, t: &Table, line: usize, row: &csv::StringRecord, col: &str) -> i64 {
        if t.cell(row, col).is_none() {
            self.bad(t.file, line, col, "missing value (required)".into());
        }
        self.opt_i64(t, line, row, col).unwrap_or(0)
    }
}

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
    let mut columns = HashMap::new();
    let known: Vec<&str> = if table == "parameters" {
        vec!["name", "value"]
    } else {
        schema::table_fields(table).map(|f| f.field).collect()
    };
    for (i, name) in header.iter().enumerate() {
        if !known.contains(&name) {
            problems.push(InvalidValue::new(
                format!("{file} line 1"),
                format!("unknown column '{name}' (expected: {})", known.join(", ")),
            ));
        } else if columns.insert(name.to_string(), i).is_some() {
            problems.push(InvalidValue::new(
                format!("{file} line 1"),
                format!("column '{name}' appears twice"),
            ));
        }
    }
    let required_columns: Vec<&str> = if table == "parameters" {
        vec!["name", "value"]
    } else {
        schema::table_fields(table)
            .filter(|f| f.default.is_none())
            .map(|f| f.field)
            .collect()
    };
    for c in required_columns {
        if !columns.contains_key(c) {
            problems.push(InvalidValue::new(
                format!("{file} line 1"),
                format!("missing required column '{c}'"),
            ));
        }
    }
    let mut rows = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| csv_error(&path, &bytes, e))?;
        let line = record.position().map_or(0, |p| editor_line(&bytes, p.byte()));
        rows.push((line, record));
    }
    Ok(Some(Table { file, columns, rows }))
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

/// Where each row of a CSV-read scenario came from.
#[derive(Default)]
struct CsvPaths {
    lines: HashMap<&'static str, Vec<usize>>,
    deliveries: HashMap<(usize, usize), usize>,
    splits: HashMap<(usize, usize), usize>,
    params: HashMap<String, usize>,
}

const FILES: &[(&str, &str)] = &[
    ("sites", "sites.csv"),
    ("items", "items.csv"),
    ("status", "status.csv"),
    ("lanes", "lanes.csv"),
    ("distances", "distances.csv"),
    ("priority_classes", "priorities.csv"),
    ("parameters", "parameters.csv"),
];

fn file_of(table: &str) -> &'static str {
    FILES.iter().find(|(t, _)| *t == table).map_or("scenario", |(_, f)| f)
}

impl Locator for CsvPaths {
    fn path(&self, place: Place<'_>) -> String {
        let line_of = |table: &str, i: usize| self.lines.get(table).and_then(|v| v.get(i)).copied();
        match place {
            Place::Table(t) => file_of(t).to_string(),
            Place::Row("status", i, "split") => match self.splits.get(&(i, 0)) {
                Some(l) => format!("need_split.csv line {l}"),
                None => format!("status.csv line {}", line_of("status", i).unwrap_or(0)),
            },
            Place::Row(t, i, f) => {
                let col = if f == "split.class" { "priority" } else { f };
                match line_of(t, i) {
                    Some(l) => format!("{} line {l}, column {col}", file_of(t)),
                    None => format!("{}[{i}].{f}", t),
                }
            }
            Place::Nested(i, "deliveries", j, f) => match self.deliveries.get(&(i, j)) {
                Some(l) => format!("deliveries.csv line {l}, column {f}"),
                None => format!("status[{i}].deliveries[{j}].{f}"),
            },
            Place::Nested(i, sub, j, f) => match self.splits.get(&(i, j)) {
                Some(l) => format!("need_split.csv line {l}, column {f}"),
                None => format!("status[{i}].{sub}[{j}].{f}"),
            },
            Place::Param(f) => match self.params.get(f) {
                Some(l) => format!("parameters.csv line {l}, column value"),
                None => format!("parameters.{f} (default)"),
            },
        }
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
        let mut paths = CsvPaths::default();
        let mut scenario = Scenario::default();

        let tables: HashMap<&str, Table> = {
            let mut m = HashMap::new();
            for (table, file, required) in [
                ("sites", "sites.csv", true),
                ("items", "items.csv", true),
                ("status", "status.csv", true),
                ("deliveries", "deliveries.csv", false),
                ("need_split", "need_split.csv", false),
                ("lanes", "lanes.csv", false),
                ("distances", "distances.csv", false),
                ("priority_classes", "priorities.csv", false),
                ("parameters", "parameters.csv", false),
            ] {
                if let Some(t) = read_table(dir, file, table, required, &mut problems)? {
                    m.insert(table, t);
                }
            }
            m
        };
        if !problems.is_empty() {
            return Err(Error::Invalid(problems));
        }
        let mut c = Cells {
            problems: &mut problems,
        };

        if let Some(t) = tables.get("parameters") {
            read_parameters(t, &mut c, &mut scenario, &mut paths);
        }
        if let Some(t) = tables.get("priority_classes") {
            let mut classes = Vec::new();
            for (line, row) in &t.rows {
                classes.push(PriorityClass {
                    id: c.text(t, *line, row, "id"),
                    name: c.text(t, *line, row, "name"),
                });
                paths.lines.entry("priority_classes").or_default().push(*line);
            }
            scenario.priority_classes = Some(classes);
        }
        if let Some(t) = tables.get("sites") {
            for (line, row) in &t.rows {
                let kind_text = c.text(t, *line, row, "kind");
                let kind = SiteKind::parse(&kind_text).unwrap_or_else(|| {
                    if !kind_text.is_empty() {
                        c.bad(
                            t.file,
                            *line,
                            "kind",
                            format!("expected one of {}, got '{kind_text}'", choices("sites", "kind")),
                        );
                    }
                    SiteKind::Municipality
                });
                scenario.sites.push(Site {
                    id: c.text(t, *line, row, "id"),
                    name: c.text(t, *line, row, "name"),
                    kind,
                    county: c.text(t, *line, row, "county"),
                    lat: c.f64(t, *line, row, "lat"),
                    lon: c.f64(t, *line, row, "lon"),
                });
                paths.lines.entry("sites").or_default().push(*line);
            }
        }
        if let Some(t) = tables.get("items") {
            for (line, row) in &t.rows {
                let unit_text = c.text(t, *line, row, "unit");
                let unit = Unit::parse(&unit_text).unwrap_or_else(|| {
                    if !unit_text.is_empty() {
                        c.bad(
                            t.file,
                            *line,
                            "unit",
                            format!("expected one of {}, got '{unit_text}'", choices("items", "unit")),
                        );
                    }
                    Unit::Pieces
                });
                scenario.items.push(Item {
                    id: c.text(t, *line, row, "id"),
                    name: c.text(t, *line, row, "name"),
                    unit,
                });
                paths.lines.entry("items").or_default().push(*line);
            }
        }
        let mut status_index: HashMap<(String, String), usize> = HashMap::new();
        if let Some(t) = tables.get("status") {
            for (line, row) in &t.rows {
                let mut st = SiteStatus::new(
                    c.text(t, *line, row, "site"),
                    c.text(t, *line, row, "item"),
                    c.i64(t, *line, row, "stock"),
                    c.f64(t, *line, row, "consumption_per_day"),
                );
                st.reserve_days = c.opt_f64(t, *line, row, "reserve_days");
                st.acute_need = c.opt_i64(t, *line, row, "acute_need");
                st.planning_need = c.opt_i64(t, *line, row, "planning_need");
                st.split = t.cell(row, "priority").map(|p| NeedSplit::Class(p.to_string()));
                status_index
                    .entry((st.site.clone(), st.item.clone()))
                    .or_insert(scenario.status.len());
                scenario.status.push(st);
                paths.lines.entry("status").or_default().push(*line);
            }
        }
        if let Some(t) = tables.get("deliveries") {
            for (line, row) in &t.rows {
                let (site, item) = (c.text(t, *line, row, "site"), c.text(t, *line, row, "item"));
                let d = Delivery {
                    day: c.f64(t, *line, row, "day"),
                    quantity: c.i64(t, *line, row, "quantity"),
                };
                match status_index.get(&(site.clone(), item.clone())) {
                    Some(&i) => {
                        paths.deliveries.insert((i, scenario.status[i].deliveries.len()), *line);
                        scenario.status[i].deliveries.push(d);
                    }
                    None => c.bad(
                        t.file,
                        *line,
                        "site",
                        format!("no status row for site '{site}' and item '{item}'"),
                    ),
                }
            }
        }
        if let Some(t) = tables.get("need_split") {
            read_need_split(t, &mut c, &mut scenario, &status_index, &mut paths);
        }
        if let Some(t) = tables.get("lanes") {
            let mut lanes = Vec::new();
            for (line, row) in &t.rows {
                lanes.push(Lane {
                    from: c.text(t, *line, row, "from"),
                    to: c.text(t, *line, row, "to"),
                    km: c.opt_f64(t, *line, row, "km"),
                    capacity: c.opt_i64(t, *line, row, "capacity"),
                });
                paths.lines.entry("lanes").or_default().push(*line);
            }
            scenario.lanes = Some(lanes);
        }
        if let Some(t) = tables.get("distances") {
            for (line, row) in &t.rows {
                scenario.distances.push(Distance {
                    from: c.text(t, *line, row, "from"),
                    to: c.text(t, *line, row, "to"),
                    km: c.f64(t, *line, row, "km"),
                });
                paths.lines.entry("distances").or_default().push(*line);
            }
        }
        match resolve_with(&scenario, &paths) {
            Ok(_) if problems.is_empty() => Ok(scenario),
            Ok(_) => Err(Error::Invalid(problems)),
            Err(Error::Invalid(more)) => {
                problems.extend(more);
                Err(Error::Invalid(problems))
            }
            Err(e) => Err(e),
        }
    }
}

fn choices(table: &str, field: &str) -> String {
    match schema::field(table, field).map(|f| f.kind) {
        Some(FieldKind::Choice(words)) => words.iter().map(|w| format!("'{w}'")).collect::<Vec<_>>().join(", "),
        _ => String::new(),
    }
}

fn read_parameters(t: &Table, c: &mut Cells<'_>, scenario: &mut Scenario, paths: &mut CsvPaths) {
    let mut seen: HashMap<String, usize> = HashMap::new();
    let par: &mut Parameters = &mut scenario.parameters;
    for (line, row) in &t.rows {
        let name = c.text(t, *line, row, "name");
        let value = t.cell(row, "value").unwrap_or("").to_string();
        if let Some(first) = seen.insert(name.clone(), *line) {
            c.bad(
                t.file,
                *line,
                "name",
                format!("parameter '{name}' given twice (first at line {first})"),
            );
            continue;
        }
        paths.params.insert(name.clone(), *line);
        let number = |c: &mut Cells<'_>| -> Option<f64> {
            match value.parse::<f64>() {
                Ok(v) => Some(v),
                Err(_) => {
                    c.bad(
                        t.file,
                        *line,
                        "value",
                        format!("expected a number for '{name}', got '{value}'"),
                    );
                    None
                }
            }
        };
        match name.as_str() {
            "acute_window_hours" => par.acute_window_hours = number(c).unwrap_or(par.acute_window_hours),
            "horizon_days" => par.horizon_days = number(c).unwrap_or(par.horizon_days),
            "detour_factor" => par.detour_factor = number(c).unwrap_or(par.detour_factor),
            "reserve_days" => par.reserve_days = number(c).unwrap_or(par.reserve_days),
            "default_priority" => par.default_priority = Some(value.clone()),
            "name" => scenario.name = value.clone(),
            "note" => scenario.note = Some(value.clone()),
            "synthetic" => match value.as_str() {
                "true" => scenario.synthetic = true,
                "false" => scenario.synthetic = false,
                _ => c.bad(
                    t.file,
                    *line,
                    "value",
                    format!("expected true or false for 'synthetic', got '{value}'"),
                ),
            },
            "" => {}
            other => c.bad(
                t.file,
                *line,
                "name",
                format!(
                    "unknown parameter '{other}' (expected: {})",
                    schema::table_fields("parameters")
                        .chain(schema::table_fields("scenario"))
                        .map(|f| f.field)
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            ),
        }
    }
}

fn read_need_split(
    t: &Table,
    c: &mut Cells<'_>,
    scenario: &mut Scenario,
    status_index: &HashMap<(String, String), usize>,
    paths: &mut CsvPaths,
) {
    let mut groups: Vec<(usize, Vec<(usize, ClassNeed)>)> = Vec::new();
    for (line, row) in &t.rows {
        let (site, item) = (c.text(t, *line, row, "site"), c.text(t, *line, row, "item"));
        let need = ClassNeed {
            class: c.text(t, *line, row, "class"),
            share: c.opt_f64(t, *line, row, "share"),
            acute: c.opt_i64(t, *line, row, "acute"),
            planning: c.opt_i64(t, *line, row, "planning"),
        };
        match status_index.get(&(site.clone(), item.clone())) {
            Some(&i) => match groups.iter_mut().find(|(s, _)| *s == i) {
                Some((_, v)) => v.push((*line, need)),
                None => groups.push((i, vec![(*line, need)])),
            },
            None => c.bad(
                t.file,
                *line,
                "site",
                format!("no status row for site '{site}' and item '{item}'"),
            ),
        }
    }
    for (i, rows) in groups {
        if scenario.status[i].split.is_some() {
            c.bad(
                t.file,
                rows[0].0,
                "class",
                "the status row already gives a priority: use one or the other".into(),
            );
            continue;
        }
        let by_shares = rows[0].1.share.is_some();
        for (j, (line, _)) in rows.iter().enumerate() {
            paths.splits.insert((i, j), *line);
        }
        let needs: Vec<ClassNeed> = rows.into_iter().map(|(_, n)| n).collect();
        scenario.status[i].split = Some(if by_shares {
            NeedSplit::Shares(needs)
        } else {
            NeedSplit::Quantities(needs)
        });
    }
}

/// Writes `scenario` as CSV tables into `dir` (created if needed), in the layout that
/// [`Scenario::from_csv_dir`] reads.
pub fn write_csv_dir(scenario: &Scenario, dir: &Path) -> Result<()> {
    std::fs::create_dir_all(dir).map_err(|source| Error::Io {
        path: dir.display().to_string(),
        source,
    })?;
    let opt = |v: Option<String>| v.unwrap_or_default();
    let write = |file: &str, header: &[&str], rows: Vec<Vec<String>>| -> Result<()> {
        let path = dir.join(file);
        let io = |e: csv::Error| Error::Io {
            path: path.display().to_string(),
            source: std::io::Error::other(e.to_string()),
        };
        let mut w = csv::Writer::from_path(&path).map_err(io)?;
        w.write_record(header).map_err(io)?;
        for r in rows {
            w.write_record(&r).map_err(io)?;
        }
        w.flush().map_err(|source| Error::Io {
            path: path.display().to_string(),
            source,
        })
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
    write(
        "status.csv",
        &[
            "site",
            "item",
            "stock",
            "consumption_per_day",
            "reserve_days",
            "acute_need",
            "planning_need",
            "priority",
        ],
        status,
    )?;
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
    Ok(())
}

impl Scenario {
    /// Writes the scenario as CSV tables into `dir` (see [`Scenario::from_csv_dir`]).
    pub fn write_csv_dir(&self, dir: &Path) -> Result<()> {
        write_csv_dir(self, dir)
    }
}
