//! A readable text report of a county round: shipments, unmet acute need by site and
//! priority, the county request, the objective levels, and a line saying whether the
//! figures are synthetic.

use super::plan::{Plan, Window};
use crate::model::Scenario;
use std::collections::HashMap;
use std::fmt::Write;

/// A plain text table with columns aligned (right-aligned when `numeric[i]`).
fn table(header: &[&str], numeric: &[bool], rows: &[Vec<String>]) -> String {
    let width = |s: &str| s.chars().count();
    let mut widths: Vec<usize> = header.iter().map(|h| width(h)).collect();
    for r in rows {
        for (i, c) in r.iter().enumerate() {
            if i < widths.len() {
                widths[i] = widths[i].max(width(c));
            }
        }
    }
    let line = |cells: Vec<&str>| -> String {
        let mut out = String::from("  ");
        for (i, c) in cells.iter().enumerate() {
            let pad = widths[i].saturating_sub(width(c));
            if numeric.get(i).copied().unwrap_or(false) {
                out.push_str(&" ".repeat(pad));
                out.push_str(c);
            } else {
                out.push_str(c);
                if i + 1 < cells.len() {
                    out.push_str(&" ".repeat(pad));
                }
            }
            if i + 1 < cells.len() {
                out.push_str("  ");
            }
        }
        out.trim_end().to_string() + "\n"
    };
    let mut out = line(header.to_vec());
    out.push_str(&line(
        widths
            .iter()
            .map(|w| "-".repeat(*w))
            .collect::<Vec<_>>()
            .iter()
            .map(String::as_str)
            .collect(),
    ));
    for r in rows {
        out.push_str(&line(r.iter().map(String::as_str).collect()));
    }
    out
}

fn fmt_km(x: f64) -> String {
    format!("{x:.1}")
}

/// Display names looked up from the scenario.
struct Names<'a> {
    site: HashMap<&'a str, &'a str>,
    unit: HashMap<&'a str, &'a str>,
    class: HashMap<String, String>,
}

impl Names<'_> {
    fn new(scenario: &Scenario) -> Names<'_> {
        Names {
            site: scenario
                .sites
                .iter()
                .map(|s| (s.id.as_str(), s.name.as_str()))
                .collect(),
            unit: scenario
                .items
                .iter()
                .map(|i| (i.id.as_str(), i.unit.as_str()))
                .collect(),
            class: scenario.classes().into_iter().map(|c| (c.id, c.name)).collect(),
        }
    }

    fn site(&self, id: &str) -> String {
        self.site.get(id).copied().unwrap_or(id).to_string()
    }

    fn unit(&self, item: &str) -> String {
        self.unit.get(item).copied().unwrap_or("").to_string()
    }

    fn class(&self, id: &str) -> String {
        self.class.get(id).cloned().unwrap_or_else(|| id.to_string())
    }
}

/// The report of `plan` for `scenario` (names come from the scenario).
pub fn county_round_text(scenario: &Scenario, plan: &Plan) -> String {
    let names = Names::new(scenario);
    let mut out = String::new();
    write_header(&mut out, scenario, plan);
    write_shipments(&mut out, &names, plan);
    write_unmet_acute(&mut out, &names, plan);
    write_given_beyond_horizon(&mut out, &names, plan);
    write_requests(&mut out, plan);
    write_objective(&mut out, plan);
    if plan.synthetic {
        let _ = writeln!(out, "\n(synthetic data)");
    }
    out
}

/// Title, the synthetic-data notice, the note and the round's parameters.
fn write_header(out: &mut String, scenario: &Scenario, plan: &Plan) {
    let title = if plan.scenario.is_empty() {
        "County round"
    } else {
        plan.scenario.as_str()
    };
    let _ = writeln!(out, "{title}");
    let _ = writeln!(out, "{}", "=".repeat(title.chars().count()));
    if plan.synthetic {
        let _ = writeln!(
            out,
            "SYNTHETIC DATA: stock, consumption and needs in this scenario are synthetic, not real reports."
        );
    } else {
        let _ = writeln!(out, "Data: as given in the scenario (not marked synthetic).");
    }
    if let Some(note) = &scenario.note {
        let _ = writeln!(out, "Note: {note}");
    }
    let _ = writeln!(
        out,
        "Acute window {} h, planning horizon {} days, engine {}. Sites {}, items {}.\n",
        plan.acute_window_hours,
        plan.horizon_days,
        plan.engine,
        scenario.sites.len(),
        scenario.items.len()
    );
}

/// The shipments decided at the meeting.
fn write_shipments(out: &mut String, names: &Names<'_>, plan: &Plan) {
    let _ = writeln!(out, "Shipments decided at the meeting ({})", plan.shipments.len());
    if plan.shipments.is_empty() {
        let _ = writeln!(out, "  none");
        return;
    }
    let rows: Vec<Vec<String>> = plan
        .shipments
        .iter()
        .map(|s| {
            vec![
                s.item.clone(),
                names.site(&s.from),
                names.site(&s.to),
                s.quantity.to_string(),
                names.unit(&s.item),
                fmt_km(s.km),
            ]
        })
        .collect();
    out.push_str(&table(
        &["item", "from", "to", "quantity", "unit", "km"],
        &[false, false, false, true, false, true],
        &rows,
    ));
}

/// Unmet acute need by site and priority, with reasons.
fn write_unmet_acute(out: &mut String, names: &Names<'_>, plan: &Plan) {
    let acute: Vec<_> = plan.unmet.iter().filter(|u| u.window == Window::Acute).collect();
    let _ = writeln!(
        out,
        "\nUnmet acute need (within {} h) by site and priority ({} rows)",
        plan.acute_window_hours,
        acute.len()
    );
    if acute.is_empty() {
        let _ = writeln!(out, "  none: every acute need is covered within the county");
        return;
    }
    let rows: Vec<Vec<String>> = acute
        .iter()
        .map(|u| {
            vec![
                names.site(&u.site),
                u.item.clone(),
                names.class(&u.priority),
                u.need.to_string(),
                u.unmet.to_string(),
                u.reason.describe().to_string(),
            ]
        })
        .collect();
    out.push_str(&table(
        &["site", "item", "priority", "need", "unmet", "reason"],
        &[false, false, false, true, true, false],
        &rows,
    ));
}

/// Donors that gave stock they will themselves use within the horizon (only when any
/// did).
fn write_given_beyond_horizon(out: &mut String, names: &Names<'_>, plan: &Plan) {
    let given: Vec<_> = plan
        .unmet
        .iter()
        .filter(|u| u.window == Window::GivenBeyondHorizon)
        .collect();
    if given.is_empty() {
        return;
    }
    let _ = writeln!(
        out,
        "\nGiven beyond the horizon surplus: donors that gave stock they would themselves use \
         within {} days, for needs of higher priority elsewhere ({} rows)",
        plan.horizon_days,
        given.len()
    );
    let rows: Vec<Vec<String>> = given
        .iter()
        .map(|u| {
            vec![
                names.site(&u.site),
                u.item.clone(),
                names.class(&u.priority),
                u.need.to_string(),
                u.unmet.to_string(),
            ]
        })
        .collect();
    out.push_str(&table(
        &["site", "item", "priority", "own use", "given away"],
        &[false, false, false, true, true],
        &rows,
    ));
}

/// The combined request of each county to the national agency.
fn write_requests(out: &mut String, plan: &Plan) {
    let _ = writeln!(
        out,
        "\nCombined county request to the national agency (remaining acute need)"
    );
    if plan.requests.is_empty() {
        let _ = writeln!(out, "  none");
    }
    for r in &plan.requests {
        let _ = writeln!(out, "  County {}:", r.county);
        let rows: Vec<Vec<String>> = r
            .items
            .iter()
            .map(|it| {
                let breakdown = it
                    .sites
                    .iter()
                    .map(|l| format!("{} {}", l.site_name, l.quantity))
                    .collect::<Vec<_>>()
                    .join(", ");
                vec![it.item_name.clone(), it.total.to_string(), it.unit.clone(), breakdown]
            })
            .collect();
        out.push_str(&table(
            &["item", "total", "unit", "per site"],
            &[false, true, false, false],
            &rows,
        ));
    }
}

/// The objective levels per item.
fn write_objective(out: &mut String, plan: &Plan) {
    let _ = writeln!(out, "\nObjective by level (minimised in this order, left to right)");
    let mut header: Vec<String> = vec!["item".into()];
    header.extend(plan.priority_classes.iter().map(|c| format!("acute {c}")));
    header.extend(["planning".into(), "transport unit·km".into(), "method".into()]);
    let mut numeric = vec![false];
    numeric.extend(std::iter::repeat_n(true, plan.priority_classes.len() + 2));
    numeric.push(false);
    let rows: Vec<Vec<String>> = plan
        .objective
        .iter()
        .map(|o| {
            let mut r = vec![o.item.clone()];
            r.extend(o.acute_unmet.iter().map(|x| x.to_string()));
            r.push(o.planning_unmet.to_string());
            r.push(fmt_km(o.transport_unit_km));
            r.push(o.method.as_str().to_string());
            r
        })
        .collect();
    out.push_str(&table(
        &header.iter().map(String::as_str).collect::<Vec<_>>(),
        &numeric,
        &rows,
    ));
}
