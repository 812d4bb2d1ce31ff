//! The public guidance table: for people in municipality M in group G, where to go to
//! be tested (site name, address, test type, opening days) — as rows, CSV and a
//! printable HTML page.

use super::plan::TestingPlan;
use super::scenario::{days_text, TestType, TestingScenario};
use super::text::html_escape;
use crate::error::Result;
use std::collections::HashMap;

/// One line of the guidance.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct GuidanceRow {
    /// County of the municipality.
    pub county: String,
    /// Municipality id.
    pub municipality: String,
    /// Municipality name.
    pub municipality_name: String,
    /// Group id.
    pub group: String,
    /// Group name.
    pub group_name: String,
    /// Test type.
    pub test_type: TestType,
    /// Site id (empty when no site has room this week).
    pub site: String,
    /// Site name.
    pub site_name: String,
    /// Site address.
    pub address: String,
    /// Kind of site.
    pub kind: String,
    /// Opening days, e.g. `mon-fri`.
    pub days: String,
    /// Distance (km).
    pub km: f64,
    /// Tests planned for this group at this site.
    pub tests: i64,
    /// A note (e.g. why no site is given).
    pub note: String,
}

/// The guidance rows: every municipality × group × test type with demand, the sites
/// the plan uses for it (most tests first), or one row without a site saying why.
/// Ordered by municipality, then group and test type as in the scenario.
pub fn guidance_rows(scenario: &TestingScenario, plan: &TestingPlan) -> Vec<GuidanceRow> {
    let mut by_key: HashMap<(&str, &str, TestType), Vec<usize>> = HashMap::new();
    for (i, a) in plan.assignments.iter().enumerate() {
        by_key
            .entry((a.municipality.as_str(), a.group.as_str(), a.test_type))
            .or_default()
            .push(i);
    }
    let unmet: HashMap<(&str, &str, TestType), usize> = plan
        .unmet
        .iter()
        .enumerate()
        .map(|(i, u)| ((u.municipality.as_str(), u.group.as_str(), u.test_type), i))
        .collect();
    let sites: HashMap<&str, usize> = scenario
        .sites
        .iter()
        .enumerate()
        .map(|(i, s)| (s.id.as_str(), i))
        .collect();
    let municipality_order: HashMap<&str, usize> = scenario
        .municipalities
        .iter()
        .enumerate()
        .map(|(i, m)| (m.id.as_str(), i))
        .collect();
    let group_order: HashMap<&str, usize> = scenario
        .groups
        .iter()
        .enumerate()
        .map(|(i, g)| (g.id.as_str(), i))
        .collect();
    let mut demand: Vec<_> = scenario.demand.iter().filter(|d| d.tests_per_week > 0).collect();
    demand.sort_by_key(|d| {
        (
            municipality_order.get(d.municipality.as_str()).copied(),
            group_order.get(d.group.as_str()).copied(),
            d.test_type,
        )
    });
    let mut rows = Vec::new();
    for d in demand {
        let (Some(&m), Some(&g)) = (
            municipality_order.get(d.municipality.as_str()),
            group_order.get(d.group.as_str()),
        ) else {
            continue;
        };
        let (muni, group) = (&scenario.municipalities[m], &scenario.groups[g]);
        let base = GuidanceRow {
            county: muni.county.clone(),
            municipality: muni.id.clone(),
            municipality_name: muni.name.clone(),
            group: group.id.clone(),
            group_name: group.name.clone(),
            test_type: d.test_type,
            site: String::new(),
            site_name: String::new(),
            address: String::new(),
            kind: String::new(),
            days: String::new(),
            km: 0.0,
            tests: 0,
            note: String::new(),
        };
        let key = (d.municipality.as_str(), d.group.as_str(), d.test_type);
        let mut assigned = by_key.get(&key).cloned().unwrap_or_default();
        assigned.sort_by(|&a, &b| {
            plan.assignments[b]
                .tests
                .cmp(&plan.assignments[a].tests)
                .then(a.cmp(&b))
        });
        let untested = unmet.get(&key).map(|&i| &plan.unmet[i]);
        if assigned.is_empty() {
            let note = match untested {
                Some(u) => format!("no test capacity for this group this week ({})", u.reason.as_str()),
                None => "no test capacity for this group this week".to_string(),
            };
            rows.push(GuidanceRow { note, ..base });
            continue;
        }
        for i in assigned {
            let a = &plan.assignments[i];
            let Some(&si) = sites.get(a.site.as_str()) else {
                continue;
            };
            let site = &scenario.sites[si];
            let note = match untested {
                Some(u) => format!("{} of {} can be tested this week", u.tested, u.demand),
                None => String::new(),
            };
            rows.push(GuidanceRow {
                site: site.id.clone(),
                site_name: site.name.clone(),
                address: site.address.clone(),
                kind: site.kind.as_str().to_string(),
                days: days_text(&site.opening_days),
                km: (a.km * 10.0).round() / 10.0,
                tests: a.tests,
                note,
                ..base.clone()
            });
        }
    }
    rows
}

/// The guidance as CSV (one row per [`GuidanceRow`]).
pub fn guidance_csv(rows: &[GuidanceRow]) -> Result<String> {
    crate::tables::guidance_table(rows)?.to_csv()
}

/// The guidance as a printable HTML page: one section per municipality, a table of
/// group, test, where to go, address and days.
pub fn guidance_html(scenario: &TestingScenario, rows: &[GuidanceRow]) -> String {
    let title = format!("Where to get tested — {} {}", scenario.name, scenario.week);
    let mut h = String::new();
    h.push_str("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
    h.push_str(&format!("<title>{}</title>\n", html_escape(&title)));
    h.push_str(
        "<style>\nbody{font-family:sans-serif;margin:2em}table{border-collapse:collapse;width:100%;margin-bottom:1.5em}\
         th,td{border:1px solid #999;padding:4px 8px;text-align:left}th{background:#eee}\
         section{page-break-inside:avoid}.note{color:#a00}@media print{body{margin:0}}\n</style>\n</head>\n<body>\n",
    );
    h.push_str(&format!("<h1>{}</h1>\n", html_escape(&title)));
    if scenario.synthetic {
        h.push_str("<p><strong>SYNTHETIC example data — not real testing sites or capacities.</strong></p>\n");
    }
    let mut current = None;
    for r in rows {
        if current != Some(r.municipality.as_str()) {
            if current.is_some() {
                h.push_str("</table>\n</section>\n");
            }
            current = Some(r.municipality.as_str());
            h.push_str(&format!(
                "<section>\n<h2>{} ({})</h2>\n<table>\n<tr><th>Group</th><th>Test</th><th>Where</th><th>Address</th><th>Days</th><th>km</th><th>Note</th></tr>\n",
                html_escape(&r.municipality_name),
                html_escape(&r.county)
            ));
        }
        h.push_str(&format!(
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td class=\"note\">{}</td></tr>\n",
            html_escape(&r.group_name),
            r.test_type.as_str().to_uppercase(),
            html_escape(&r.site_name),
            html_escape(&r.address),
            html_escape(&r.days),
            if r.site.is_empty() {
                String::new()
            } else {
                r.km.to_string()
            },
            html_escape(&r.note)
        ));
    }
    if current.is_some() {
        h.push_str("</table>\n</section>\n");
    }
    h.push_str("</body>\n</html>\n");
    h
}
