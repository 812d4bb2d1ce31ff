//! Plan files: [`write_testing_dir`] writes `plan.json`, `tests.csv`, `unmet.csv`,
//! `sites.csv`, `labs.csv`, `sample_flows.csv`, `kit_shipments.csv`, `kits.csv`,
//! `capacity_values.csv`, `guidance.csv`, `guidance.html` and `status.csv`.

use super::guidance::{guidance_csv, guidance_html_in, guidance_rows_in, Lang};
use super::plan::{TestingPlan, Transport};
use super::scenario::TestingScenario;
use super::status::{county_status, county_status_csv};
use crate::error::Result;
use crate::files::{csv_text, pretty_json, write_files};
use std::path::Path;

/// The plan as pretty JSON.
pub fn testing_plan_json(plan: &TestingPlan) -> Result<String> {
    pretty_json(plan)
}

fn transport_csv(rows: &[Transport]) -> Result<String> {
    csv_text(
        &["from", "to", "test_type", "quantity", "km"],
        rows.iter().map(|t| {
            vec![
                t.from.clone(),
                t.to.clone(),
                t.test_type.as_str().into(),
                t.quantity.to_string(),
                format!("{:.1}", t.km),
            ]
        }),
    )
}

/// Every output file name with its text (guidance in English).
pub fn testing_files(scenario: &TestingScenario, plan: &TestingPlan) -> Result<Vec<(&'static str, String)>> {
    testing_files_in(scenario, plan, Lang::En)
}

/// Every output file name with its text, the public guidance in `lang`.
pub fn testing_files_in(
    scenario: &TestingScenario,
    plan: &TestingPlan,
    lang: Lang,
) -> Result<Vec<(&'static str, String)>> {
    let tests = csv_text(
        &[
            "municipality",
            "municipality_name",
            "county",
            "group",
            "priority",
            "test_type",
            "site",
            "tests",
            "km",
        ],
        plan.assignments.iter().map(|a| {
            vec![
                a.municipality.clone(),
                a.municipality_name.clone(),
                a.county.clone(),
                a.group.clone(),
                a.priority.to_string(),
                a.test_type.as_str().into(),
                a.site.clone(),
                a.tests.to_string(),
                format!("{:.1}", a.km),
            ]
        }),
    )?;
    let unmet = csv_text(
        &[
            "municipality",
            "county",
            "group",
            "priority",
            "test_type",
            "demand",
            "tested",
            "untested",
            "reason",
        ],
        plan.unmet.iter().map(|u| {
            vec![
                u.municipality.clone(),
                u.county.clone(),
                u.group.clone(),
                u.priority.to_string(),
                u.test_type.as_str().into(),
                u.demand.to_string(),
                u.tested.to_string(),
                u.untested.to_string(),
                u.reason.as_str().into(),
            ]
        }),
    )?;
    let sites = csv_text(
        &[
            "site",
            "name",
            "county",
            "kind",
            "capacity_per_week",
            "pcr",
            "serology",
            "utilisation",
        ],
        plan.sites.iter().map(|s| {
            vec![
                s.site.clone(),
                s.name.clone(),
                s.county.clone(),
                s.kind.as_str().into(),
                s.capacity_per_week.to_string(),
                s.pcr.to_string(),
                s.serology.to_string(),
                format!("{:.4}", s.utilisation),
            ]
        }),
    )?;
    let labs = csv_text(
        &[
            "lab",
            "name",
            "county",
            "test_type",
            "samples",
            "analyses",
            "analyses_capacity",
            "pooling",
            "utilisation",
        ],
        plan.labs.iter().map(|l| {
            vec![
                l.lab.clone(),
                l.name.clone(),
                l.county.clone(),
                l.test_type.as_str().into(),
                l.samples.to_string(),
                l.analyses.to_string(),
                l.analyses_capacity.to_string(),
                l.pooling.to_string(),
                format!("{:.4}", l.utilisation),
            ]
        }),
    )?;
    let kits = csv_text(
        &["site", "test_type", "on_hand", "received", "used", "left"],
        plan.kits.iter().map(|k| {
            vec![
                k.site.clone(),
                k.test_type.as_str().into(),
                k.on_hand.to_string(),
                k.received.to_string(),
                k.used.to_string(),
                k.left.to_string(),
            ]
        }),
    )?;
    let values = csv_text(
        &[
            "resource",
            "id",
            "county",
            "test_type",
            "level",
            "value",
            "load",
            "capacity",
        ],
        plan.capacity_values.iter().map(|v| {
            vec![
                v.resource.as_str().into(),
                v.id.clone(),
                v.county.clone(),
                v.test_type.map_or("all", |t| t.as_str()).into(),
                v.level.clone(),
                format!("{:.6}", v.value),
                v.load.to_string(),
                v.capacity.to_string(),
            ]
        }),
    )?;
    let guidance = guidance_rows_in(scenario, plan, lang);
    Ok(vec![
        ("plan.json", testing_plan_json(plan)?),
        ("tests.csv", tests),
        ("unmet.csv", unmet),
        ("sites.csv", sites),
        ("labs.csv", labs),
        ("sample_flows.csv", transport_csv(&plan.sample_flows)?),
        ("kit_shipments.csv", transport_csv(&plan.kit_shipments)?),
        ("kits.csv", kits),
        ("capacity_values.csv", values),
        ("guidance.csv", guidance_csv(&guidance)?),
        ("guidance.html", guidance_html_in(scenario, &guidance, lang)),
        ("status.csv", county_status_csv(&county_status(scenario, plan))?),
    ])
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
