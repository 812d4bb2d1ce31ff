//! A scenario from its input tables held as named columns: the one reader behind the
//! CSV directory ([`Scenario::from_csv_dir`]) and columnar input
//! ([`Scenario::from_columns`], which the Python bindings use for DataFrames).
//!
//! Both routes see the same tables, fields, defaults and checks, and report problems
//! with the same paths: row `r` (0-based) of a columnar table is line `r + 2` of its CSV
//! file (line 1 is the header), e.g. `status.csv line 13, column stock: must be >= 0,
//! got -5` for row 11 of the status table.

use super::resolve::{resolve_with, ResolvedScenario};
use super::scenario::{
    ClassNeed, Delivery, Distance, Item, Lane, NeedSplit, Parameters, PriorityClass, Scenario, Site, SiteKind,
    SiteStatus, Unit,
};
use super::schema::{self, FieldKind};
use super::validate::{Locator, Place};
use crate::error::{Error, InvalidValue, Result};
use rustc_hash::FxHashMap as HashMap;
use std::borrow::Cow;
use std::cell::OnceCell;
use std::sync::Arc;

/// One column of an input table. A missing value means the field's default (or is
/// reported when the field is required); an empty text counts as missing, like an empty
/// CSV cell.
#[derive(Clone, Debug, PartialEq)]
pub enum Column {
    /// Text cells, read as CSV cells are (numbers in them are parsed); `None` = missing.
    Text(Vec<Option<String>>),
    /// Whole numbers; `None` = missing.
    Integer(Vec<Option<i64>>),
    /// Numbers; NaN = missing. In an integer field a number must be whole.
    Number(Vec<f64>),
    /// Dictionary-encoded text: row `r` is `labels[codes[r]]`, code -1 = missing.
    /// Repeated ids cost one label.
    Coded {
        /// Index into `labels` per row, or -1.
        codes: Vec<i64>,
        /// The distinct texts.
        labels: Vec<String>,
    },
}

impl Column {
    /// Number of values.
    pub fn len(&self) -> usize {
        match self {
            Column::Text(v) => v.len(),
            Column::Integer(v) => v.len(),
            Column::Number(v) => v.len(),
            Column::Coded { codes, .. } => codes.len(),
        }
    }

    /// True when the column has no values.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// One input table as named columns, in the order given.
pub type ColumnTable = Vec<(String, Column)>;

/// The input tables: name, CSV file, schema table, required. The name is the CSV file's
/// stem and the key of [`Scenario::from_columns`].
pub(crate) const INPUT_TABLES: &[(&str, &str, &str, bool)] = &[
    ("sites", "sites.csv", "sites", true),
    ("items", "items.csv", "items", true),
    ("status", "status.csv", "status", true),
    ("deliveries", "deliveries.csv", "deliveries", false),
    ("need_split", "need_split.csv", "need_split", false),
    ("lanes", "lanes.csv", "lanes", false),
    ("distances", "distances.csv", "distances", false),
    ("priorities", "priorities.csv", "priority_classes", false),
    ("parameters", "parameters.csv", "parameters", false),
];

/// The columns of `status.csv`, in the order the CSV writer puts them.
pub(crate) const STATUS_COLUMNS: [&str; 8] = [
    "site",
    "item",
    "stock",
    "consumption_per_day",
    "reserve_days",
    "acute_need",
    "planning_need",
    "priority",
];

/// 2^63: whole numbers below it in magnitude fit `i64`.
const TWO_POW_63: f64 = 9_223_372_036_854_775_808.0;

/// One value of a table.
#[derive(Clone, Copy)]
enum Cell<'a> {
    Text(&'a str),
    Integer(i64),
    Number(f64),
}

impl Cell<'_> {
    /// The value as the text of a CSV cell.
    fn text(self) -> String {
        match self {
            Cell::Text(s) => s.to_string(),
            Cell::Integer(i) => i.to_string(),
            Cell::Number(x) => format!("{x:?}"),
        }
    }
}

/// One input table: its CSV file name, its columns by name and the line of each row.
pub(crate) struct Table {
    file: &'static str,
    /// By name (a few columns: a linear search is faster than hashing per cell).
    columns: Vec<(String, Column)>,
    lines: Vec<usize>,
}

impl Table {
    /// A table of `file` from its columns (`header`: every column name in order, for
    /// the header checks) and the line of each row; header problems go to `problems`.
    pub(crate) fn new(
        file: &'static str,
        table: &str,
        columns: Vec<(String, Column)>,
        lines: Vec<usize>,
        problems: &mut Vec<InvalidValue>,
    ) -> Table {
        let known: Vec<&str> = if table == "parameters" {
            vec!["name", "value"]
        } else {
            schema::table_fields(table).map(|f| f.field).collect()
        };
        let mut by_name: Vec<(String, Column)> = Vec::new();
        for (name, column) in columns {
            if let Column::Coded { codes, labels } = &column {
                if let Some((row, code)) = codes
                    .iter()
                    .enumerate()
                    .find(|&(_, &c)| c < -1 || c >= labels.len() as i64)
                {
                    problems.push(InvalidValue::new(
                        format!("{file} line {}, column {name}", row + 2),
                        format!(
                            "code {code} is neither -1 nor the index of one of the {} labels",
                            labels.len()
                        ),
                    ));
                }
            }
            if !known.contains(&name.as_str()) {
                problems.push(InvalidValue::new(
                    format!("{file} line 1"),
                    format!("unknown column '{name}' (expected: {})", known.join(", ")),
                ));
            } else if column.len() != lines.len() {
                problems.push(InvalidValue::new(
                    format!("{file}, column {name}"),
                    format!("has {} values, expected {} (one per row)", column.len(), lines.len()),
                ));
            } else if by_name.iter().any(|(n, _)| *n == name) {
                problems.push(InvalidValue::new(
                    format!("{file} line 1"),
                    format!("column '{name}' appears twice"),
                ));
            } else {
                by_name.push((name, column));
            }
        }
        let required: Vec<&str> = if table == "parameters" {
            vec!["name", "value"]
        } else {
            schema::table_fields(table)
                .filter(|f| f.default.is_none())
                .map(|f| f.field)
                .collect()
        };
        for c in required {
            if !by_name.iter().any(|(n, _)| n == c) {
                problems.push(InvalidValue::new(
                    format!("{file} line 1"),
                    format!("missing required column '{c}'"),
                ));
            }
        }
        Table {
            file,
            columns: by_name,
            lines,
        }
    }

    /// The column `name`, looked up once (a column the table lacks reads as missing).
    fn field(&self, name: &'static str) -> Field<'_> {
        let column = self.columns.iter().find(|(n, _)| n == name).map(|(_, c)| c);
        Field { name, column }
    }

    fn rows(&self) -> impl Iterator<Item = (usize, usize)> + '_ {
        self.lines.iter().copied().enumerate()
    }
}

/// One column of a [`Table`], looked up by name once per table rather than per cell.
#[derive(Clone, Copy)]
struct Field<'t> {
    name: &'static str,
    column: Option<&'t Column>,
}

impl<'t> Field<'t> {
    /// The value in `row`; `None` when missing (or the table has no such column).
    #[inline]
    fn cell(self, row: usize) -> Option<Cell<'t>> {
        match self.column? {
            Column::Coded { codes, labels } => {
                // -1 (missing) is no index; Table::new has checked the others
                let label = usize::try_from(codes[row]).ok().and_then(|c| labels.get(c))?;
                (!label.is_empty()).then_some(Cell::Text(label))
            }
            Column::Number(v) => Some(v[row]).filter(|x| !x.is_nan()).map(Cell::Number),
            Column::Integer(v) => v[row].map(Cell::Integer),
            Column::Text(v) => v[row].as_deref().filter(|s| !s.is_empty()).map(Cell::Text),
        }
    }
}

/// Reads typed values out of tables, collecting every problem with its file, line and
/// column.
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

    fn opt_text(f: Field<'_>, row: usize) -> Option<String> {
        f.cell(row).map(Cell::text)
    }

    fn text(&mut self, t: &Table, (row, line): (usize, usize), f: Field<'_>) -> String {
        match f.cell(row) {
            Some(c) => c.text(),
            None => {
                self.bad(t.file, line, f.name, "missing value (required)".into());
                String::new()
            }
        }
    }

    fn opt_f64(&mut self, t: &Table, (row, line): (usize, usize), f: Field<'_>) -> Option<f64> {
        match f.cell(row)? {
            Cell::Text(s) => match s.parse::<f64>() {
                Ok(v) => Some(v),
                Err(_) => {
                    self.bad(t.file, line, f.name, format!("expected a number, got '{s}'"));
                    None
                }
            },
            Cell::Integer(i) => Some(i as f64),
            Cell::Number(x) => Some(x),
        }
    }

    /// An optional `true`/`false` cell; anything else is reported.
    fn opt_bool(&mut self, t: &Table, (row, line): (usize, usize), f: Field<'_>) -> Option<bool> {
        let cell = f.cell(row)?;
        match cell {
            Cell::Text("true") => Some(true),
            Cell::Text("false") => Some(false),
            _ => {
                let got = cell.text();
                self.bad(t.file, line, f.name, format!("expected true or false, got '{got}'"));
                None
            }
        }
    }

    fn opt_i64(&mut self, t: &Table, (row, line): (usize, usize), f: Field<'_>) -> Option<i64> {
        let cell = f.cell(row)?;
        let value = match cell {
            Cell::Text(s) => s.parse::<i64>().ok(),
            Cell::Integer(i) => Some(i),
            // Whole and inside the i64 range (|x| < 2^63, as the CSV route writes it).
            Cell::Number(x) if x.fract() == 0.0 && x.abs() < TWO_POW_63 => Some(x as i64),
            Cell::Number(_) => None,
        };
        if value.is_none() {
            let got = cell.text();
            self.bad(t.file, line, f.name, format!("expected a whole number, got '{got}'"));
        }
        value
    }

    /// A required field whose value is one of the words of `table.field` in the schema:
    /// `parse` reads the word; an unknown word is reported and `fallback` returned (a
    /// missing one is reported by [`text`](Self::text)).
    fn choice<T>(
        &mut self,
        t: &Table,
        at: (usize, usize),
        f: Field<'_>,
        table: &str,
        parse: fn(&str) -> Option<T>,
        fallback: T,
    ) -> T {
        let text = self.text(t, at, f);
        parse(&text).unwrap_or_else(|| {
            if !text.is_empty() {
                let expected = choices(table, f.name);
                self.bad(
                    t.file,
                    at.1,
                    f.name,
                    format!("expected one of {expected}, got '{text}'"),
                );
            }
            fallback
        })
    }

    fn f64(&mut self, t: &Table, at: (usize, usize), f: Field<'_>) -> f64 {
        if f.cell(at.0).is_none() {
            self.bad(t.file, at.1, f.name, "missing value (required)".into());
        }
        self.opt_f64(t, at, f).unwrap_or(0.0)
    }

    fn i64(&mut self, t: &Table, at: (usize, usize), f: Field<'_>) -> i64 {
        if f.cell(at.0).is_none() {
            self.bad(t.file, at.1, f.name, "missing value (required)".into());
        }
        self.opt_i64(t, at, f).unwrap_or(0)
    }
}

/// Where each row of a scenario read from tables came from, for the error paths of the
/// checks.
#[derive(Default)]
struct TablePaths {
    lines: HashMap<&'static str, Vec<usize>>,
    /// The line of each delivery and of each split row, by status row.
    deliveries: NestedLines,
    splits: NestedLines,
    params: HashMap<String, usize>,
}

/// CSV file of each table of the JSON shape (as the checks name them).
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

/// The lines of the rows nested in status rows (deliveries, need_split rows), in the
/// order they were attached. Only an error path needs a lookup: the index by status row
/// is built then, once.
#[derive(Default)]
struct NestedLines {
    /// (status row, line) per nested row.
    rows: Vec<(usize, usize)>,
    by_status_row: OnceCell<HashMap<usize, Vec<usize>>>,
}

impl NestedLines {
    fn push(&mut self, status_row: usize, line: usize) {
        self.rows.push((status_row, line));
    }

    /// Line of nested row `j` of status row `i`.
    fn line(&self, i: usize, j: usize) -> Option<usize> {
        let index = self.by_status_row.get_or_init(|| {
            let mut index: HashMap<usize, Vec<usize>> = HashMap::default();
            for &(row, line) in &self.rows {
                index.entry(row).or_default().push(line);
            }
            index
        });
        index.get(&i).and_then(|lines| lines.get(j)).copied()
    }
}

impl Locator for TablePaths {
    fn path(&self, place: Place<'_>) -> String {
        let line_of = |table: &str, i: usize| self.lines.get(table).and_then(|v| v.get(i)).copied();
        match place {
            Place::Table(t) => file_of(t).to_string(),
            Place::Row("status", i, "split") => match self.splits.line(i, 0) {
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
            Place::Nested(i, "deliveries", j, f) => match self.deliveries.line(i, j) {
                Some(l) => format!("deliveries.csv line {l}, column {f}"),
                None => format!("status[{i}].deliveries[{j}].{f}"),
            },
            Place::Nested(i, sub, j, f) => match self.splits.line(i, j) {
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
    /// Builds a scenario from its input tables given as columns and checks it, exactly
    /// as [`Scenario::from_csv_dir`] reads the same tables: keys are the CSV files'
    /// stems (`sites`, `items`, `status` required; `deliveries`, `need_split`, `lanes`,
    /// `distances`, `priorities`, `parameters` optional), columns the fields of
    /// `docs/input-formats.md`. Every problem is reported at once; row `r` of a table is
    /// named as line `r + 2` of its CSV file.
    ///
    /// ```
    /// use allocnet::model::{Column, Scenario};
    /// let text = |v: &[&str]| Column::Text(v.iter().map(|s| Some(s.to_string())).collect());
    /// let tables = vec![
    ///     ("sites".to_string(), vec![
    ///         ("id".to_string(), text(&["a", "b"])),
    ///         ("name".to_string(), text(&["A", "B"])),
    ///         ("kind".to_string(), text(&["municipality", "region"])),
    ///         ("county".to_string(), text(&["19", "19"])),
    ///         ("lat".to_string(), Column::Number(vec![59.6, 59.7])),
    ///         ("lon".to_string(), Column::Number(vec![16.5, 16.6])),
    ///     ]),
    ///     ("items".to_string(), vec![
    ///         ("id".to_string(), text(&["ffp2"])),
    ///         ("name".to_string(), text(&["FFP2"])),
    ///         ("unit".to_string(), text(&["pieces"])),
    ///     ]),
    ///     ("status".to_string(), vec![
    ///         ("site".to_string(), text(&["a", "b"])),
    ///         ("item".to_string(), text(&["ffp2", "ffp2"])),
    ///         ("stock".to_string(), Column::Integer(vec![Some(0), Some(-5)])),
    ///         ("consumption_per_day".to_string(), Column::Number(vec![10.0, f64::NAN])),
    ///     ]),
    /// ];
    /// let err = Scenario::from_columns(tables).unwrap_err().to_string();
    /// assert!(err.contains("status.csv line 3, column stock: must be >= 0, got -5"));
    /// assert!(err.contains("status.csv line 3, column consumption_per_day: missing value (required)"));
    /// ```
    pub fn from_columns(tables: Vec<(String, ColumnTable)>) -> Result<Scenario> {
        ResolvedScenario::from_columns(tables).map(|resolved| Arc::unwrap_or_clone(resolved.scenario))
    }
}

impl ResolvedScenario {
    /// [`Scenario::from_columns`], keeping the derived numbers that the check computes
    /// (what a round needs: see [`run_resolved`](crate::process::run_resolved)).
    pub fn from_columns(tables: Vec<(String, ColumnTable)>) -> Result<ResolvedScenario> {
        let mut problems = Vec::new();
        let mut read: HashMap<&'static str, Table> = HashMap::default();
        for (key, columns) in tables {
            let Some(&(_, file, table, _)) = INPUT_TABLES.iter().find(|t| t.0 == key) else {
                let names: Vec<&str> = INPUT_TABLES.iter().map(|t| t.0).collect();
                problems.push(InvalidValue::new(
                    key,
                    format!("unknown table (expected: {})", names.join(", ")),
                ));
                continue;
            };
            if read.contains_key(table) {
                problems.push(InvalidValue::new(key, "table given twice"));
                continue;
            }
            let rows = columns.first().map_or(0, |(_, c)| c.len());
            let lines = (2..rows + 2).collect();
            read.insert(table, Table::new(file, table, columns, lines, &mut problems));
        }
        for &(_, file, table, required) in INPUT_TABLES {
            if required && !read.contains_key(table) {
                problems.push(InvalidValue::new(file, "missing: a scenario needs this table"));
            }
        }
        if !problems.is_empty() {
            return Err(Error::Invalid(problems));
        }
        scenario_from_tables(&read)
    }
}

/// Builds and checks a scenario from its tables (keyed by schema table name), whose
/// header problems are already reported.
pub(crate) fn scenario_from_tables(tables: &HashMap<&'static str, Table>) -> Result<ResolvedScenario> {
    let mut problems = Vec::new();
    let mut paths = TablePaths::default();
    let mut scenario = Scenario::default();
    let mut c = Cells {
        problems: &mut problems,
    };

    if let Some(t) = tables.get("parameters") {
        read_parameters(t, &mut c, &mut scenario, &mut paths);
    }
    read_places(tables, &mut c, &mut scenario, &mut paths);
    let mut status_index = StatusIndex::default();
    if let Some(t) = tables.get("status") {
        let [site, item, stock, consumption, reserve_days, acute_need, planning_need, priority] =
            STATUS_COLUMNS.map(|f| t.field(f));
        scenario.status.reserve_exact(t.lines.len());
        status_index.rows.reserve(t.lines.len());
        for at in t.rows() {
            let mut st = SiteStatus::new(
                c.text(t, at, site),
                c.text(t, at, item),
                c.i64(t, at, stock),
                c.f64(t, at, consumption),
            );
            st.reserve_days = c.opt_f64(t, at, reserve_days);
            st.acute_need = c.opt_i64(t, at, acute_need);
            st.planning_need = c.opt_i64(t, at, planning_need);
            st.split = Cells::opt_text(priority, at.0).map(NeedSplit::Class);
            status_index.insert(site.cell(at.0), item.cell(at.0), at.0, scenario.items.len());
            scenario.status.push(st);
        }
        paths.lines.insert("status", t.lines.clone());
    }
    if let Some(t) = tables.get("deliveries") {
        read_deliveries(t, &mut c, &mut scenario, &status_index, &mut paths);
    }
    if let Some(t) = tables.get("need_split") {
        read_need_split(t, &mut c, &mut scenario, &status_index, &mut paths);
    }
    read_lanes(tables, &mut c, &mut scenario, &mut paths);
    if !problems.is_empty() {
        // Report the checks' problems too (with their table paths), all at once.
        return match resolve_with(Cow::Borrowed(&scenario), &paths) {
            Ok(_) => Err(Error::Invalid(problems)),
            Err(Error::Invalid(more)) => {
                problems.extend(more);
                Err(Error::Invalid(problems))
            }
            Err(e) => Err(e),
        };
    }
    resolve_with(Cow::Owned(scenario), &paths)
}

/// `deliveries.csv`: each row joins its status row (a row without one is reported).
fn read_deliveries(
    t: &Table,
    c: &mut Cells<'_>,
    scenario: &mut Scenario,
    status_index: &StatusIndex<'_>,
    paths: &mut TablePaths,
) {
    let [site, item, day, quantity] = ["site", "item", "day", "quantity"].map(|f| t.field(f));
    let mut last = None;
    for at in t.rows() {
        let row = status_index.row(&mut last, c, t, at, site, item);
        let d = Delivery {
            day: c.f64(t, at, day),
            quantity: c.i64(t, at, quantity),
        };
        match row {
            Some(i) => {
                paths.deliveries.push(i, at.1);
                scenario.status[i].deliveries.push(d);
            }
            None => no_status_row(c, t, at, site, item),
        }
    }
}

/// `priorities.csv`, `sites.csv` and `items.csv`.
fn read_places(
    tables: &HashMap<&'static str, Table>,
    c: &mut Cells<'_>,
    scenario: &mut Scenario,
    paths: &mut TablePaths,
) {
    if let Some(t) = tables.get("priority_classes") {
        let [id, name] = ["id", "name"].map(|f| t.field(f));
        let classes = t
            .rows()
            .map(|at| PriorityClass {
                id: c.text(t, at, id),
                name: c.text(t, at, name),
            })
            .collect();
        paths.lines.insert("priority_classes", t.lines.clone());
        scenario.priority_classes = Some(classes);
    }
    if let Some(t) = tables.get("sites") {
        let [id, name, kind, county, lat, lon, hub] =
            ["id", "name", "kind", "county", "lat", "lon", "hub"].map(|f| t.field(f));
        scenario.sites.reserve_exact(t.lines.len());
        for at in t.rows() {
            let kind = c.choice(t, at, kind, "sites", SiteKind::parse, SiteKind::Municipality);
            scenario.sites.push(Site {
                id: c.text(t, at, id),
                name: c.text(t, at, name),
                kind,
                county: c.text(t, at, county),
                lat: c.f64(t, at, lat),
                lon: c.f64(t, at, lon),
                hub: c.opt_bool(t, at, hub).unwrap_or(false),
            });
        }
        paths.lines.insert("sites", t.lines.clone());
    }
    if let Some(t) = tables.get("items") {
        let [id, name, unit] = ["id", "name", "unit"].map(|f| t.field(f));
        for at in t.rows() {
            let unit = c.choice(t, at, unit, "items", Unit::parse, Unit::Pieces);
            scenario.items.push(Item {
                id: c.text(t, at, id),
                name: c.text(t, at, name),
                unit,
            });
        }
        paths.lines.insert("items", t.lines.clone());
    }
}

/// `lanes.csv` and `distances.csv`.
fn read_lanes(
    tables: &HashMap<&'static str, Table>,
    c: &mut Cells<'_>,
    scenario: &mut Scenario,
    paths: &mut TablePaths,
) {
    if let Some(t) = tables.get("lanes") {
        let [from, to, km, capacity] = ["from", "to", "km", "capacity"].map(|f| t.field(f));
        let lanes = t
            .rows()
            .map(|at| Lane {
                from: c.text(t, at, from),
                to: c.text(t, at, to),
                km: c.opt_f64(t, at, km),
                capacity: c.opt_i64(t, at, capacity),
            })
            .collect();
        paths.lines.insert("lanes", t.lines.clone());
        scenario.lanes = Some(lanes);
    }
    if let Some(t) = tables.get("distances") {
        let [from, to, km] = ["from", "to", "km"].map(|f| t.field(f));
        for at in t.rows() {
            scenario.distances.push(Distance {
                from: c.text(t, at, from),
                to: c.text(t, at, to),
                km: c.f64(t, at, km),
            });
        }
        paths.lines.insert("distances", t.lines.clone());
    }
}

/// The status row of each site and item (site -> item -> row), keyed by the status
/// table's own cells (nothing copied).
#[derive(Default)]
struct StatusIndex<'t> {
    rows: HashMap<Cow<'t, str>, HashMap<Cow<'t, str>, usize>>,
}

/// The last lookup in a [`StatusIndex`], by the addresses of its two texts: rows of a
/// deliveries or need_split table come in runs of one site and item, and a coded column
/// holds one text per id, so a run hashes its texts once. One per reader.
type LastLookup = Option<(TextAddress, TextAddress, Option<usize>)>;

/// Where a text lies in memory (same address and length: same text).
type TextAddress = (usize, usize);

fn text_address(text: &str) -> TextAddress {
    (text.as_ptr() as usize, text.len())
}

impl<'t> StatusIndex<'t> {
    /// Records `row` as the status row of `site` and `item` unless the pair has one
    /// already (the check reports the duplicate).
    /// `items`: how many items a site may have (sizes each site's map once).
    fn insert(&mut self, site: Option<Cell<'t>>, item: Option<Cell<'t>>, row: usize, items: usize) {
        self.rows
            .entry(key_text(site))
            .or_insert_with(|| HashMap::with_capacity_and_hasher(items, Default::default()))
            .entry(key_text(item))
            .or_insert(row);
    }

    /// The status row of the site and item of row `at` of `t` (a deliveries or
    /// need_split table); a missing site or item is reported (an unknown pair is left to
    /// the caller).
    fn row(
        &self,
        last: &mut LastLookup,
        c: &mut Cells<'_>,
        t: &Table,
        at: (usize, usize),
        site: Field<'_>,
        item: Field<'_>,
    ) -> Option<usize> {
        let cells = [site, item].map(|f| {
            let cell = f.cell(at.0);
            if cell.is_none() {
                c.bad(t.file, at.1, f.name, "missing value (required)".into());
            }
            key_text(cell)
        });
        let [site, item] = cells.each_ref().map(|s| text_address(s));
        if let Some((last_site, last_item, row)) = *last {
            if (last_site, last_item) == (site, item) {
                return row;
            }
        }
        let row = self
            .rows
            .get(cells[0].as_ref())
            .and_then(|items| items.get(cells[1].as_ref()))
            .copied();
        // Only texts borrowed from a table keep their address; an owned one is dropped here.
        if cells.iter().all(|t| matches!(t, Cow::Borrowed(_))) {
            *last = Some((site, item, row));
        }
        row
    }
}

/// A cell as text without copying it when it is text ("" when missing).
fn key_text(cell: Option<Cell<'_>>) -> Cow<'_, str> {
    match cell {
        Some(Cell::Text(s)) => Cow::Borrowed(s),
        Some(other) => Cow::Owned(other.text()),
        None => Cow::Borrowed(""),
    }
}

/// Reports a row of `t` whose site and item have no status row.
fn no_status_row(c: &mut Cells<'_>, t: &Table, (row, line): (usize, usize), site: Field<'_>, item: Field<'_>) {
    let [site_text, item_text] = [site, item].map(|f| f.cell(row).map(Cell::text).unwrap_or_default());
    c.bad(
        t.file,
        line,
        site.name,
        format!("no status row for site '{site_text}' and item '{item_text}'"),
    );
}

fn choices(table: &str, field: &str) -> String {
    match schema::field(table, field).map(|f| f.kind) {
        Some(FieldKind::Choice(words)) => words.iter().map(|w| format!("'{w}'")).collect::<Vec<_>>().join(", "),
        _ => String::new(),
    }
}

fn read_parameters(t: &Table, c: &mut Cells<'_>, scenario: &mut Scenario, paths: &mut TablePaths) {
    let mut seen: HashMap<String, usize> = HashMap::default();
    let par: &mut Parameters = &mut scenario.parameters;
    let [name_field, value_field] = ["name", "value"].map(|f| t.field(f));
    for at in t.rows() {
        let line = at.1;
        let name = c.text(t, at, name_field);
        let value = Cells::opt_text(value_field, at.0).unwrap_or_default();
        if let Some(first) = seen.insert(name.clone(), line) {
            c.bad(
                t.file,
                line,
                "name",
                format!("parameter '{name}' given twice (first at line {first})"),
            );
            continue;
        }
        paths.params.insert(name.clone(), line);
        let number = |c: &mut Cells<'_>| -> Option<f64> {
            match value.parse::<f64>() {
                Ok(v) => Some(v),
                Err(_) => {
                    c.bad(
                        t.file,
                        line,
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
                    line,
                    "value",
                    format!("expected true or false for 'synthetic', got '{value}'"),
                ),
            },
            "" => {}
            other => c.bad(
                t.file,
                line,
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
    status_index: &StatusIndex<'_>,
    paths: &mut TablePaths,
) {
    let [site, item, class, share, acute, planning] =
        ["site", "item", "class", "share", "acute", "planning"].map(|f| t.field(f));
    // Each row with its status row and line; rows without one are reported here.
    let mut rows: Vec<(usize, usize, ClassNeed)> = Vec::with_capacity(t.lines.len());
    let mut last = None;
    for at in t.rows() {
        let row = status_index.row(&mut last, c, t, at, site, item);
        let need = ClassNeed {
            class: c.text(t, at, class),
            share: c.opt_f64(t, at, share),
            acute: c.opt_i64(t, at, acute),
            planning: c.opt_i64(t, at, planning),
        };
        match row {
            Some(i) => rows.push((i, at.1, need)),
            None => no_status_row(c, t, at, site, item),
        }
    }
    let mut count = vec![0usize; scenario.status.len()];
    for &(i, _, _) in &rows {
        count[i] += 1;
    }
    // Each status row's split: its rows in table order. A status row that gives a
    // priority itself is reported at its first split row (in order of those rows).
    let mut splits: Vec<Option<Vec<ClassNeed>>> = vec![None; scenario.status.len()];
    let mut rejected = vec![false; scenario.status.len()];
    for (i, line, need) in rows {
        if rejected[i] {
            continue;
        }
        let split = match &mut splits[i] {
            Some(split) => split,
            empty => {
                if scenario.status[i].split.is_some() {
                    c.bad(
                        t.file,
                        line,
                        "class",
                        "the status row already gives a priority: use one or the other".into(),
                    );
                    rejected[i] = true;
                    continue;
                }
                empty.insert(Vec::with_capacity(count[i]))
            }
        };
        paths.splits.push(i, line);
        split.push(need);
    }
    for (status, split) in scenario.status.iter_mut().zip(splits) {
        if let Some(needs) = split {
            let by_shares = needs[0].share.is_some();
            status.split = Some(if by_shares {
                NeedSplit::Shares(needs)
            } else {
                NeedSplit::Quantities(needs)
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(values: &[&str]) -> Column {
        Column::Text(values.iter().map(|s| Some(s.to_string())).collect())
    }

    fn toy(status_site: Column, stock: Column) -> Vec<(String, ColumnTable)> {
        vec![
            (
                "sites".into(),
                vec![
                    ("id".into(), text(&["a", "b"])),
                    ("name".into(), text(&["A", "B"])),
                    ("kind".into(), text(&["municipality", "region"])),
                    ("county".into(), Column::Integer(vec![Some(19), Some(19)])),
                    ("lat".into(), Column::Number(vec![59.6, 59.7])),
                    ("lon".into(), Column::Number(vec![16.5, 16.6])),
                ],
            ),
            (
                "items".into(),
                vec![
                    ("id".into(), text(&["ffp2"])),
                    ("name".into(), text(&["FFP2"])),
                    ("unit".into(), text(&["pieces"])),
                ],
            ),
            (
                "status".into(),
                vec![
                    ("site".into(), status_site),
                    (
                        "item".into(),
                        Column::Coded {
                            codes: vec![0, 0],
                            labels: vec!["ffp2".into()],
                        },
                    ),
                    ("stock".into(), stock),
                    ("consumption_per_day".into(), Column::Number(vec![10.0, 5.0])),
                ],
            ),
        ]
    }

    fn paths(err: Error) -> Vec<String> {
        match err {
            Error::Invalid(problems) => problems
                .into_iter()
                .map(|p| format!("{}: {}", p.path, p.message))
                .collect(),
            other => panic!("expected Invalid, got {other}"),
        }
    }

    #[test]
    fn split_rows_are_named_by_their_own_lines_when_interleaved() {
        // need_split rows of the two status rows interleaved; row 3 (line 5) has a bad
        // share, and the second status row's shares do not sum to 1.
        let mut tables = toy(text(&["a", "b"]), Column::Integer(vec![Some(1), Some(2)]));
        tables.push((
            "need_split".into(),
            vec![
                ("site".into(), text(&["a", "b", "a", "b"])),
                ("item".into(), text(&["ffp2"; 4])),
                (
                    "class".into(),
                    text(&["home-care", "home-care", "health-care", "health-care"]),
                ),
                ("share".into(), Column::Number(vec![0.5, 0.25, 0.5, 1.5])),
            ],
        ));
        let err = Scenario::from_columns(tables).unwrap_err();
        assert_eq!(
            paths(err),
            [
                "need_split.csv line 5, column share: must be between 0 and 1, got 1.5",
                "need_split.csv line 3: shares must sum to 1, got 1.75",
            ]
        );
    }

    #[test]
    fn coded_text_and_whole_numbers_read_like_csv_cells() {
        let site = Column::Coded {
            codes: vec![1, 0],
            labels: vec!["a".into(), "b".into()],
        };
        let s = Scenario::from_columns(toy(site, Column::Number(vec![0.0, 500.0]))).unwrap();
        assert_eq!((s.status[0].site.as_str(), s.status[0].stock), ("b", 0));
        assert_eq!((s.status[1].site.as_str(), s.status[1].stock), ("a", 500));
        assert_eq!(s.sites[0].county, "19");
    }

    #[test]
    fn bad_values_are_named_by_csv_file_line_and_column() {
        let site = Column::Coded {
            codes: vec![0, -1],
            labels: vec!["a".into()],
        };
        let err = Scenario::from_columns(toy(site, Column::Number(vec![2.5, f64::NAN]))).unwrap_err();
        assert_eq!(
            paths(err),
            [
                "status.csv line 2, column stock: expected a whole number, got '2.5'",
                "status.csv line 3, column site: missing value (required)",
                "status.csv line 3, column stock: missing value (required)",
                "status.csv line 3, column site: unknown site ''",
            ]
        );
        let site = Column::Coded {
            codes: vec![0, 3],
            labels: vec!["a".into()],
        };
        let err = Scenario::from_columns(toy(site, Column::Integer(vec![Some(1), Some(2)]))).unwrap_err();
        assert_eq!(
            paths(err),
            ["status.csv line 3, column site: code 3 is neither -1 nor the index of one of the 1 labels"]
        );
    }
}
