//! Plan files: the full plan as JSON, tidy CSV tables, and the county request as JSON
//! and CSV.
//!
//! [`write_plan_dir`] writes the files of [`PLAN_FILES`]. The CSV files are tables of
//! the result-table contract ([`crate::tables`]) written by its one CSV writer
//! ([`Table::to_csv`]).

use super::plan::{CountyRequest, Plan};
use crate::error::Result;
use crate::files::{pretty_json, write_files};
use crate::tables::{ResultTables, Table};
use std::path::Path;

/// The files [`write_plan_dir`] writes, in order.
pub const PLAN_FILES: [&str; 8] = [
    "plan.json",
    "shipments.csv",
    "unmet.csv",
    "stock_after.csv",
    "objective.csv",
    "dual_prices.csv",
    "county_request.json",
    "county_request.csv",
];

/// Shipments as CSV: `item,from,to,quantity,km`.
pub fn shipments_csv(plan: &Plan) -> Result<String> {
    plan.table("shipments")?.to_csv()
}

/// Unmet need as CSV: `item,site,priority,window,need,unmet,reason` (the `unmet`
/// table without its `explanation`).
pub fn unmet_csv(plan: &Plan) -> Result<String> {
    plan.table("unmet")?.without(&["explanation"]).to_csv()
}

/// The county requests as tidy CSV: one row per county, item, site and priority class
/// (`county,item,item_name,unit,site,site_name,kind,priority,quantity`).
pub fn request_csv(requests: &[CountyRequest]) -> Result<String> {
    crate::tables::county_request_table(requests, None)?.to_csv()
}

/// The county requests as pretty JSON.
pub fn request_json(requests: &[CountyRequest]) -> Result<String> {
    pretty_json(&requests)
}

/// The full plan as pretty JSON.
pub fn plan_json(plan: &Plan) -> Result<String> {
    pretty_json(plan)
}

/// Writes every plan file ([`PLAN_FILES`]) into `dir` (created if needed). Returns the
/// file names.
pub fn write_plan_dir(plan: &Plan, dir: &Path) -> Result<Vec<String>> {
    let csv = |name: &str| -> Result<String> { plan.table(name).and_then(|t: Table| t.to_csv()) };
    let texts = [
        plan_json(plan)?,
        shipments_csv(plan)?,
        unmet_csv(plan)?,
        csv("stock_after")?,
        csv("objective_wide")?,
        csv("dual_prices")?,
        request_json(&plan.requests)?,
        csv("county_request")?,
    ];
    write_files(dir, PLAN_FILES.into_iter().zip(texts))
}
