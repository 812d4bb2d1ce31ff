//! Plan files: [`write_testing_dir`] writes the files of [`TESTING_FILES`]. The CSV
//! files are tables of the result-table contract ([`crate::tables::TestingResult`])
//! written by its one CSV writer ([`Table::to_csv`](crate::tables::Table::to_csv)).

use super::guidance::{guidance_html_in, guidance_rows_in, Lang};
use super::plan::TestingPlan;
use super::scenario::TestingScenario;
use crate::error::Result;
use crate::files::{pretty_json, write_files};
use crate::tables::{guidance_table, ResultTables, TestingResult};
use std::path::Path;

/// The files [`write_testing_dir`] writes, in order.
pub const TESTING_FILES: [&str; 12] = [
    "plan.json",
    "tests.csv",
    "unmet.csv",
    "sites.csv",
    "labs.csv",
    "sample_flows.csv",
    "kit_shipments.csv",
    "kits.csv",
    "capacity_values.csv",
    "guidance.csv",
    "guidance.html",
    "status.csv",
];

/// The plan as pretty JSON.
pub fn testing_plan_json(plan: &TestingPlan) -> Result<String> {
    pretty_json(plan)
}

/// Every output file name ([`TESTING_FILES`]) with its text (guidance in English).
pub fn testing_files(scenario: &TestingScenario, plan: &TestingPlan) -> Result<Vec<(&'static str, String)>> {
    testing_files_in(scenario, plan, Lang::En)
}

/// Every output file name ([`TESTING_FILES`]) with its text, the public guidance in
/// `lang`.
pub fn testing_files_in(
    scenario: &TestingScenario,
    plan: &TestingPlan,
    lang: Lang,
) -> Result<Vec<(&'static str, String)>> {
    let result = TestingResult { scenario, plan };
    let csv = |name: &str| result.table(name).and_then(|t| t.to_csv());
    let guidance = guidance_rows_in(scenario, plan, lang);
    let texts = [
        testing_plan_json(plan)?,
        csv("tests")?,
        csv("unmet")?,
        csv("sites")?,
        csv("labs")?,
        csv("sample_flows")?,
        csv("kit_shipments")?,
        csv("kits")?,
        result.table("capacity_values")?.without(&["level_index"]).to_csv()?,
        guidance_table(&guidance)?.to_csv()?,
        guidance_html_in(scenario, &guidance, lang),
        csv("status")?,
    ];
    Ok(TESTING_FILES.into_iter().zip(texts).collect())
}


/// Writes every output file into `dir` (created if needed), guidance in English.
/// Returns the file names.
pub fn write_testing_dir(scenario: &TestingScenario, plan: &TestingPlan, dir: &Path) -> Result<Vec<String>> {
    write_testing_dir_in(scenario, plan, dir, Lang::En)
}

/// Writes every output file into `dir` (created if needed), the public guidance in
/// `lang`. Returns the file names.
pub fn write_testing_dir_in(
    scenario: &TestingScenario,
    plan: &TestingPlan,
    dir: &Path,
    lang: Lang,
) -> Result<Vec<String>> {
    write_files(dir, testing_files_in(scenario, plan, lang)?)
}
