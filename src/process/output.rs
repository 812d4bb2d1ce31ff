//! Plan files: the full plan as JSON, tidy CSV tables, and the county request as JSON
//! and CSV.
//!
//! [`write_plan_dir`] writes `plan.json`, `shipments.csv`, `unmet.csv`,
//! `stock_after.csv`, `objective.csv`, `dual_prices.csv`, `county_request.json` and
//! `county_request.csv`.

use super::plan::{CountyRequest, Plan};
use crate::error::Result;
use crate::files::{csv_text, pretty_json, write_files};
use std::path::Path;

/// Shipments as CSV: `item,from,to,quantity,km`.
pub fn shipments_csv(plan: &Plan) -> Result<String> {
    csv_text(
        &["item", "from", "to", "quantity", "km"],
        plan.shipments.iter().map(|s| {
            vec![
                s.item.clone(),
                s.from.clone(),
                s.to.clone(),
                s.quantity.to_string(),
                s.km.to_string(),
            ]
        }),
    )
}

/// Unmet need as CSV: `item,site,priority,window,need,unmet,reason`.
pub fn unmet_csv(plan: &Plan) -> Result<String> {
    csv_text(
        &["item", "site", "priority", "window", "need", "unmet", "reason"],
        plan.unmet.iter().map(|u| {
            vec![
                u.item.clone(),
                u.site.clone(),
                u.priority.clone(),
                u.window.as_str().into(),
                u.need.to_string(),
                u.unmet.to_string(),
                u.reason.as_str().into(),
            ]
        }),
    )
}

/// The county requests as tidy CSV: one row per county, item, site and priority class
/// (`county,item,item_name,unit,site,site_name,kind,priority,quantity`).
pub fn request_csv(requests: &[CountyRequest]) -> Result<String> {
    let mut rows = Vec::new();
    for r in requests {
        for it in &r.items {
            for l in &it.sites {
                for (class, q) in &l.by_priority {
                    rows.push(vec![
                        r.county.clone(),
                        it.item.clone(),
                        it.item_name.clone(),
                        it.unit.clone(),
                        l.site.clone(),
                        l.site_name.clone(),
                        l.kind.clone(),
                        class.clone(),
                        q.to_string(),
                    ]);
                }
            }
        }
    }
    csv_text(
        &[
            "county",
            "item",
            "item_name",
            "unit",
            "site",
            "site_name",
            "kind",
            "priority",
            "quantity",
        ],
        rows.into_iter(),
    )
}

/// The county requests as pretty JSON.
pub fn request_json(requests: &[CountyRequest]) -> Result<String> {
    pretty_json(&requests)
}

/// The full plan as pretty JSON.
pub fn plan_json(plan: &Plan) -> Result<String> {
    pretty_json(plan)
}

/// Writes every plan file into `dir` (created if needed). Returns the file names.
pub fn write_plan_dir(plan: &Plan, dir: &Path) -> Result<Vec<String>> {
    let stock = csv_text(
        &["item", "site", "before", "received", "sent", "after"],
        plan.stock_after.iter().map(|s| {
            vec![
                s.item.clone(),
                s.site.clone(),
                s.before.to_string(),
                s.received.to_string(),
                s.sent.to_string(),
                s.after.to_string(),
            ]
        }),
    )?;
    let mut objective_header = vec!["item".to_string(), "unit".to_string()];
    objective_header.extend(plan.priority_classes.iter().map(|c| format!("acute_unmet_{c}")));
    objective_header.extend(["planning_unmet".into(), "transport_unit_km".into(), "method".into()]);
    let objective = csv_text(
        &objective_header.iter().map(String::as_str).collect::<Vec<_>>(),
        plan.objective.iter().map(|o| {
            let mut r = vec![o.item.clone(), o.unit.clone()];
            r.extend(o.acute_unmet.iter().map(|x| x.to_string()));
            r.extend([
                o.planning_unmet.to_string(),
                o.transport_unit_km.to_string(),
                o.method.as_str().to_string(),
            ]);
            r
        }),
    )?;
    let duals = csv_text(
        &["item", "site", "level", "km", "raw"],
        plan.dual_prices.iter().map(|d| {
            vec![
                d.item.clone(),
                d.site.clone(),
                d.level.clone(),
                d.km.to_string(),
                d.raw.to_string(),
            ]
        }),
    )?;
    let files = [
        ("plan.json", plan_json(plan)?),
        ("shipments.csv", shipments_csv(plan)?),
        ("unmet.csv", unmet_csv(plan)?),
        ("stock_after.csv", stock),
        ("objective.csv", objective),
        ("dual_prices.csv", duals),
        ("county_request.json", request_json(&plan.requests)?),
        ("county_request.csv", request_csv(&plan.requests)?),
    ];
    write_files(dir, files)
}
