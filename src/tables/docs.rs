//! The column tables of the docs, generated from the schema (`allocnet schema
//! --markdown` prints them; a test keeps `docs/python.md` equal).

use super::national::NATIONAL_TABLES;
use super::plan::PLAN_TABLES;
use super::simulation::{COMPARISON_TABLES, REPLAY_TABLES, SIMULATION_TABLES};
use super::testing::TESTING_TABLES;
use super::{Dtype, TableSpec};
use crate::process::simulate::Leg;
use crate::process::{Reason, Window};
use crate::testing::plan::{Resource, UnmetReason};
use crate::testing::{SamplingKind, TestType};

/// Every result with tables: its name, the heading of a table (`{table}` stands for
/// the table's name) and its schema.
pub const RESULTS: &[(&str, &str, &[TableSpec])] = &[
    ("plan", "plan.{table}", PLAN_TABLES),
    ("national_plan", "national_plan.{table}", NATIONAL_TABLES),
    ("simulation", "simulation.{table}", SIMULATION_TABLES),
    ("comparison", "allocnet.compare_policies(...)", COMPARISON_TABLES),
    ("replay", "replay.{table}", REPLAY_TABLES),
    ("testing_plan", "testing_plan.{table}", TESTING_TABLES),
];

/// How the docs name a dtype: a category lists its values (or says where they come from).
pub fn dtype_doc(dtype: Dtype) -> String {
    fn list(names: impl Iterator<Item = &'static str>) -> String {
        format!("category ({})", names.collect::<Vec<_>>().join(", "))
    }
    match dtype {
        Dtype::Category("priority") => "category (ordered: the priority classes, highest first)".into(),
        Dtype::Category("window") => list(Window::ALL.iter().map(|w| w.as_str())),
        Dtype::Category("reason") => list(Reason::ALL.iter().map(|r| r.as_str())),
        Dtype::Category("leg") => list(Leg::ALL.iter().map(|l| l.as_str())),
        Dtype::Category("outcome") => list(super::simulation::OUTCOMES.into_iter()),
        Dtype::Category("test_type") => list(TestType::ALL.iter().map(|t| t.as_str())),
        Dtype::Category("untested_reason") => list(UnmetReason::ALL.iter().map(|r| r.as_str())),
        Dtype::Category("site_kind") => list(SamplingKind::ALL.iter().map(|k| k.as_str())),
        Dtype::Category("resource") => list(Resource::ALL.iter().map(|r| r.as_str())),
        other => other.name(),
    }
}

/// The tables of one schema as Markdown: per table a `####` heading (`heading` with
/// `{table}` replaced) and a table of column, dtype, unit and meaning. Tables shown only
/// as files are left out.
pub fn markdown(heading: &str, schema: &[TableSpec]) -> String {
    let mut out = String::new();
    for table in schema.iter().filter(|t| !t.file_only) {
        out.push_str(&format!("#### `{}`\n\n", heading.replace("{table}", table.name)));
        out.push_str("| column | dtype | unit | meaning |\n|---|---|---|---|\n");
        for c in table.columns {
            let meaning = c.meaning.replace('|', "\\|");
            out.push_str(&format!(
                "| `{}` | {} | {} | {meaning} |\n",
                c.name,
                dtype_doc(c.dtype),
                c.unit
            ));
        }
        out.push('\n');
    }
    out
}

/// Every result's tables as Markdown ([`markdown`] over [`RESULTS`]), the text of the
/// generated block of `docs/python.md`.
pub fn markdown_all() -> String {
    RESULTS
        .iter()
        .map(|(_, heading, schema)| markdown(heading, schema))
        .collect()
}
