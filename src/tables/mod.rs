//! The result-table contract: every result ([`Plan`](crate::process::Plan),
//! [`NationalPlan`](crate::process::NationalPlan), [`Simulation`](crate::process::simulate::Simulation),
//! the policy comparison, the replay report, the testing plan) shows its tables as named,
//! typed columns with a static schema — name, dtype, unit, meaning — the way
//! [`model::schema::FIELDS`](crate::model::schema::FIELDS) describes the inputs.
//!
//! One [`Column`] type (typed vectors; text dictionary-encoded as codes into labels)
//! serves the CSV writer ([`Table::to_csv`]), the bindings and the generated docs
//! ([`markdown`]).
//!
//! ```
//! use allocnet::model::synthetic::vastmanland_default;
//! use allocnet::process::{run_county_round, RoundOptions};
//! use allocnet::tables::ResultTables;
//! let plan = run_county_round(&vastmanland_default().unwrap(), &RoundOptions::default()).unwrap();
//! let shipments = plan.table("shipments").unwrap();
//! assert_eq!(shipments.column_names()[..2], ["item", "from"]);
//! assert!(shipments.to_csv().unwrap().starts_with("item,from,to,quantity,km\n"));
//! ```

mod column;
mod docs;
mod lookahead;
mod national;
mod plan;
mod simulation;
mod sweep;
mod testing;
mod trips;

pub use column::{Column, Labels};
pub use docs::{dtype_doc, markdown, markdown_all, markdown_of, RESULTS};
pub use plan::county_request_table;
pub use simulation::{ComparisonRuns, ReplayLines};
pub use sweep::{sweep_results_spec, sweep_summary_spec, sweep_table};
pub use testing::{guidance_table, status_table, TestingResult};

use crate::error::{Error, Result};

/// The type of a column's values (the same for every row).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Dtype {
    /// Whole numbers (`i64`).
    Int,
    /// Whole numbers, some missing (`Option<i64>`).
    OptInt,
    /// Real numbers (`f64`).
    Float,
    /// true / false.
    Bool,
    /// Text (dictionary-encoded; a missing value is an empty CSV cell).
    Text,
    /// Text from a closed, ordered set named here (e.g. `priority`: the result's
    /// priority classes, highest first); the column's labels are the whole set in order.
    Category(&'static str),
}

impl Dtype {
    /// The name used in the docs and by the bindings: `int64`, `Int64` (with missing
    /// values), `float64`, `boolean`, `string` or `category:<set>`.
    pub fn name(self) -> String {
        match self {
            Dtype::Int => "int64".into(),
            Dtype::OptInt => "Int64".into(),
            Dtype::Float => "float64".into(),
            Dtype::Bool => "boolean".into(),
            Dtype::Text => "string".into(),
            Dtype::Category(set) => format!("category:{set}"),
        }
    }
}

/// One column of a table's schema.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ColumnSpec {
    /// Column name. A name with `<class>` stands for one column per priority class
    /// (e.g. `acute_unmet_<class>`).
    pub name: &'static str,
    /// Type of the values.
    pub dtype: Dtype,
    /// Unit of the values (`units`, `km`, `unit-km`, `day`, ...); empty for ids and labels.
    pub unit: &'static str,
    /// What the column means.
    pub meaning: &'static str,
    /// Decimals of a float in CSV text; `None`: the shortest text that reads back exactly.
    pub decimals: Option<u8>,
}

impl ColumnSpec {
    /// A column without fixed decimals.
    pub const fn new(name: &'static str, dtype: Dtype, unit: &'static str, meaning: &'static str) -> Self {
        Self {
            name,
            dtype,
            unit,
            meaning,
            decimals: None,
        }
    }

    /// A float column written with `decimals` decimals in CSV.
    pub const fn fixed(name: &'static str, decimals: u8, unit: &'static str, meaning: &'static str) -> Self {
        Self {
            name,
            dtype: Dtype::Float,
            unit,
            meaning,
            decimals: Some(decimals),
        }
    }

    /// True when this spec stands for one column per priority class.
    pub fn per_class(&self) -> bool {
        self.name.contains("<class>")
    }

    /// The name of this column for priority class `class` (the name itself if the
    /// column is not per class).
    pub fn name_for(&self, class: &str) -> String {
        self.name.replace("<class>", class)
    }
}

/// One table of a result's schema.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TableSpec {
    /// Table name (unique within its result).
    pub name: &'static str,
    /// What one row is.
    pub meaning: &'static str,
    /// The columns, in order.
    pub columns: &'static [ColumnSpec],
    /// True for a table shown only as a file (e.g. the wide `objective.csv`); the
    /// bindings show the other tables as DataFrames.
    pub file_only: bool,
}

impl TableSpec {
    /// The spec of column `name` (a per-class column matches any expansion of it).
    pub fn column(&self, name: &str) -> Option<&'static ColumnSpec> {
        self.columns.iter().find(|c| c.name == name).or_else(|| {
            self.columns.iter().find(|c| {
                c.per_class() && {
                    let (head, tail) = c.name.split_once("<class>").unwrap_or((c.name, ""));
                    name.len() > head.len() + tail.len() && name.starts_with(head) && name.ends_with(tail)
                }
            })
        })
    }
}

/// The spec named `name` in `schema`, or an [`Error::Invalid`] at `table` listing the
/// names expected.
pub fn find_spec(schema: &'static [TableSpec], name: &str) -> Result<&'static TableSpec> {
    schema.iter().find(|t| t.name == name).ok_or_else(|| {
        let names: Vec<&str> = schema.iter().map(|t| t.name).collect();
        Error::invalid("table", format!("expected one of {}, got '{name}'", names.join(", ")))
    })
}

/// One named column of a [`Table`] with its spec.
#[derive(Clone, Debug, PartialEq)]
pub struct NamedColumn {
    /// The column's name (a per-class spec expanded, e.g. `acute_unmet_P1`).
    pub name: String,
    /// Its spec.
    pub spec: &'static ColumnSpec,
    /// The values.
    pub data: Column,
}

/// A result table: its spec and its columns (all of one length).
#[derive(Clone, Debug, PartialEq)]
pub struct Table {
    /// The table's spec.
    pub spec: &'static TableSpec,
    /// The columns, in order.
    pub columns: Vec<NamedColumn>,
}

impl Table {
    /// A table whose columns are exactly the spec's, in order. A count, name or length
    /// that does not match the spec is an [`Error::Internal`].
    pub fn new(spec: &'static TableSpec, data: Vec<Column>) -> Result<Table> {
        let named = spec
            .columns
            .iter()
            .map(|c| c.name.to_string())
            .zip(data)
            .collect::<Vec<_>>();
        if named.len() != spec.columns.len() {
            return Err(Error::Internal(format!(
                "table {}: {} columns built, the schema has {}",
                spec.name,
                named.len(),
                spec.columns.len()
            )));
        }
        Table::with_names(spec, named)
    }

    /// A table from named columns (per-class specs expanded by the caller). Every name
    /// must match a column of the spec, and every column must have the same length;
    /// else an [`Error::Internal`].
    pub fn with_names(spec: &'static TableSpec, data: Vec<(String, Column)>) -> Result<Table> {
        let rows = data.first().map_or(0, |(_, c)| c.len());
        let mut columns = Vec::with_capacity(data.len());
        for (name, column) in data {
            let Some(column_spec) = spec.column(&name) else {
                return Err(Error::Internal(format!(
                    "table {}: column {name} is not in the schema",
                    spec.name
                )));
            };
            if column.len() != rows {
                return Err(Error::Internal(format!(
                    "table {}: column {name} has {} rows, the first column {rows}",
                    spec.name,
                    column.len()
                )));
            }
            columns.push(NamedColumn {
                name,
                spec: column_spec,
                data: column,
            });
        }
        Ok(Table { spec, columns })
    }

    /// The table's name.
    pub fn name(&self) -> &'static str {
        self.spec.name
    }

    /// Number of rows.
    pub fn rows(&self) -> usize {
        self.columns.first().map_or(0, |c| c.data.len())
    }

    /// The column names, in order.
    pub fn column_names(&self) -> Vec<&str> {
        self.columns.iter().map(|c| c.name.as_str()).collect()
    }

    /// The column named `name`.
    pub fn column(&self, name: &str) -> Option<&NamedColumn> {
        self.columns.iter().find(|c| c.name == name)
    }

    /// The table without the columns named in `names`.
    pub fn without(mut self, names: &[&str]) -> Table {
        self.columns.retain(|c| !names.contains(&c.name.as_str()));
        self
    }

    /// The table as CSV text: a header of the column names, one line per row, `\n`
    /// line ends. Numbers as [`Column::cell`] writes them, missing values empty.
    pub fn to_csv(&self) -> Result<String> {
        let err = |e: String| Error::Internal(format!("writing {}.csv: {e}", self.spec.name));
        let mut w = csv::Writer::from_writer(Vec::new());
        w.write_record(self.columns.iter().map(|c| c.name.as_str()))
            .map_err(|e| err(e.to_string()))?;
        let mut record: Vec<String> = Vec::with_capacity(self.columns.len());
        for row in 0..self.rows() {
            record.clear();
            record.extend(self.columns.iter().map(|c| c.data.cell(row, c.spec.decimals)));
            w.write_record(&record).map_err(|e| err(e.to_string()))?;
        }
        let bytes = w.into_inner().map_err(|e| err(e.to_string()))?;
        String::from_utf8(bytes).map_err(|e| err(e.to_string()))
    }
}

/// A result that shows its tables through the contract.
pub trait ResultTables {
    /// The schema: every table this result has, in order.
    fn schema() -> &'static [TableSpec]
    where
        Self: Sized;

    /// The table named `name`. An unknown name is an [`Error::Invalid`] at `table`
    /// listing the names expected; a count that overflows is an [`Error::Overflow`].
    fn table(&self, name: &str) -> Result<Table>;

    /// The names of the tables, in schema order.
    fn table_names() -> Vec<&'static str>
    where
        Self: Sized,
    {
        Self::schema().iter().map(|t| t.name).collect()
    }

    /// Every table, in schema order.
    fn tables(&self) -> Result<Vec<Table>>
    where
        Self: Sized,
    {
        Self::schema().iter().map(|t| self.table(t.name)).collect()
    }
}

/// Shorthand for the schema's column lists.
const fn col(name: &'static str, dtype: Dtype, unit: &'static str, meaning: &'static str) -> ColumnSpec {
    ColumnSpec::new(name, dtype, unit, meaning)
}

use Dtype::{Bool, Category, Float, Int, OptInt, Text};

/// `priority`: the result's priority classes, highest first.
const PRIORITY: Dtype = Category("priority");

/// Columns many tables share.
const ITEM: ColumnSpec = col("item", Text, "", "item id");
const SITE: ColumnSpec = col("site", Text, "", "site id");
const COUNTY: ColumnSpec = col("county", Text, "", "county code");
const COUNTY_NAME: ColumnSpec = col("county", Text, "", "county name");

/// A table shown as a DataFrame (not only as a file).
const fn table(name: &'static str, meaning: &'static str, columns: &'static [ColumnSpec]) -> TableSpec {
    TableSpec {
        name,
        meaning,
        columns,
        file_only: false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SPEC: TableSpec = TableSpec {
        name: "t",
        meaning: "test",
        columns: &[col("id", Text, "", "id"), col("n_<class>", Int, "units", "per class")],
        file_only: false,
    };

    #[test]
    fn a_table_that_breaks_its_schema_is_an_internal_error() {
        let err = Table::new(&SPEC, vec![Column::text(["a"].into_iter())]).unwrap_err();
        assert!(
            matches!(err, Error::Internal(ref m) if m.contains("1 columns built, the schema has 2")),
            "{err}"
        );
        let err = Table::with_names(&SPEC, vec![("other".into(), Column::ints([1].into_iter()))]).unwrap_err();
        assert!(
            matches!(err, Error::Internal(ref m) if m.contains("column other is not in the schema")),
            "{err}"
        );
        let columns = vec![
            ("id".into(), Column::text(["a", "b"].into_iter())),
            ("n_P1".into(), Column::ints([1].into_iter())),
        ];
        let err = Table::with_names(&SPEC, columns).unwrap_err();
        assert!(
            matches!(err, Error::Internal(ref m) if m.contains("column n_P1 has 1 rows")),
            "{err}"
        );
        assert!(err.to_string().starts_with("internal error"), "{err}");
    }

    #[test]
    fn per_class_columns_expand_and_csv_quotes_like_the_csv_crate() {
        let columns = vec![
            ("id".into(), Column::opt_text([Some("a,b"), None].into_iter())),
            ("n_P1".into(), Column::ints([1, 2].into_iter())),
            ("n_P2".into(), Column::OptInt(vec![None, Some(-3)])),
        ];
        let table = Table::with_names(&SPEC, columns).unwrap();
        assert_eq!(table.column("n_P2").unwrap().spec.name, "n_<class>");
        assert_eq!(table.to_csv().unwrap(), "id,n_P1,n_P2\n\"a,b\",1,\n,2,-3\n");
        assert_eq!(table.without(&["n_P1"]).to_csv().unwrap(), "id,n_P2\n\"a,b\",\n,-3\n");
        assert!(SPEC.column("n_").is_none());
    }

    #[test]
    fn unknown_table_lists_the_names() {
        let err = find_spec(&[SPEC], "x").unwrap_err().to_string();
        assert!(err.contains("table: expected one of t, got 'x'"), "{err}");
    }
}
