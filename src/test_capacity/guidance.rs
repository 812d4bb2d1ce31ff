//! The public guidance: for people in municipality M in group G, where to go to be
//! tested (site name, address, kind, opening days in words, distance), nearest site
//! first — as rows, CSV and a printable HTML page, in English or Swedish ([`Lang`]).
//! Notes are plain words for a member of the public (no internal reason codes).

use super::plan::{TestingPlan, UnmetReason};
use super::scenario::{TestType, TestingScenario};
use super::text::html_escape;
pub use super::words::Lang;
use crate::error::Result;
use crate::model::haversine_km;
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
    /// Kind of site, in words (`Drive-in`, `Health centre`, …).
    pub kind: String,
    /// Opening days in words, e.g. `Monday to Friday`.
    pub days: String,
    /// Distance (km, to 0.1 km); `None` on a row without a site.
    pub km: Option<f64>,
    /// Tests planned for this group at this site; `None` on a row without a site.
    pub tests: Option<i64>,
    /// A note for people: what to do when no site is available, or when only some
    /// of the group can be tested this week.
    pub note: String,
}

/// The guidance rows in English; see [`guidance_rows_in`].
pub fn guidance_rows(scenario: &TestingScenario, plan: &TestingPlan) -> Vec<GuidanceRow> {
    guidance_rows_in(scenario, plan, Lang::En)
}

/// The guidance rows: every municipality × group × test type with demand, the sites
/// the plan uses for it, **nearest first** (ties by the scenario's site order), or one
/// row without a site saying what to do. Ordered by municipality, then group and test
/// type as in the scenario.
pub fn guidance_rows_in(scenario: &TestingScenario, plan: &TestingPlan, lang: Lang) -> Vec<GuidanceRow> {
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
    let sites = index(scenario.sites.iter().map(|s| s.id.as_str()));
    let municipality_order = index(scenario.municipalities.iter().map(|m| m.id.as_str()));
    let group_order = index(scenario.groups.iter().map(|g| g.id.as_str()));
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
            km: None,
            tests: None,
            note: String::new(),
        };
        let key = (d.municipality.as_str(), d.group.as_str(), d.test_type);
        let mut assigned: Vec<(usize, usize)> = by_key
            .get(&key)
            .into_iter()
            .flatten()
            .filter_map(|&i| Some((i, *sites.get(plan.assignments[i].site.as_str())?)))
            .collect();
        assigned.sort_by(|&(a, sa), &(b, sb)| {
            plan.assignments[a]
                .km
                .total_cmp(&plan.assignments[b].km)
                .then(sa.cmp(&sb))
        });
        let untested = unmet.get(&key).map(|&i| &plan.unmet[i]);
        if assigned.is_empty() {
            let note = match untested.map(|u| u.reason) {
                Some(UnmetReason::NoSiteInReach) | None => lang.out_of_reach(nearest_site_km(scenario, m, d.test_type)),
                Some(_) => lang.fully_booked(),
            };
            rows.push(GuidanceRow { note, ..base });
            continue;
        }
        let note = untested.map_or(String::new(), |u| lang.partial(u.tested, u.demand));
        for (i, si) in assigned {
            let a = &plan.assignments[i];
            let site = &scenario.sites[si];
            rows.push(GuidanceRow {
                site: site.id.clone(),
                site_name: site.name.clone(),
                address: site.address.clone(),
                kind: lang.kind(site.kind).to_string(),
                days: lang.days(&site.opening_days),
                km: Some((a.km * 10.0).round() / 10.0 + 0.0),
                tests: Some(a.tests),
                note: note.clone(),
                ..base.clone()
            });
        }
    }
    rows
}

/// Id → position.
fn index<'a>(ids: impl Iterator<Item = &'a str>) -> HashMap<&'a str, usize> {
    ids.enumerate().map(|(i, id)| (id, i)).collect()
}

/// The km from municipality `m` to the nearest site offering `t` with capacity, if any.
fn nearest_site_km(scenario: &TestingScenario, m: usize, t: TestType) -> Option<f64> {
    let mu = &scenario.municipalities[m];
    scenario
        .sites
        .iter()
        .filter(|s| s.test_types.contains(&t) && s.capacity_per_day > 0)
        .map(|s| haversine_km(mu.lat, mu.lon, s.lat, s.lon) * scenario.parameters.detour_factor)
        .min_by(f64::total_cmp)
}

/// The guidance as CSV (one row per [`GuidanceRow`]).
pub fn guidance_csv(rows: &[GuidanceRow]) -> Result<String> {
    crate::tables::guidance_table(rows)?.to_csv()
}

/// The guidance as a printable HTML page in English; see [`guidance_html_in`].
pub fn guidance_html(scenario: &TestingScenario, rows: &[GuidanceRow]) -> String {
    guidance_html_in(scenario, rows, Lang::En)
}

/// The page's style: readable on a 375 px phone (each row becomes a block with its
/// labels), printable on A4.
const STYLE: &str = "*{box-sizing:border-box}\
body{font-family:sans-serif;margin:1.5em;line-height:1.4;color:#111}\
h1{font-size:1.6em;overflow-wrap:anywhere}h2{font-size:1.25em;margin-top:1.5em}\
table{border-collapse:collapse;width:100%;margin-bottom:1.5em}\
th,td{border:1px solid #999;padding:4px 8px;text-align:left;vertical-align:top;overflow-wrap:anywhere}\
th{background:#eee}td.km{white-space:nowrap}section{page-break-inside:avoid}.note{color:#8a0000}\
@media screen and (max-width:600px){body{margin:0.75em}table,tbody,tr,td{display:block;width:100%}\
tr.head{display:none}tr{border:1px solid #999;margin-bottom:0.75em}td{border:none;padding:2px 8px}\
td[data-label]::before{content:attr(data-label) \": \";font-weight:bold}}\
@page{size:A4;margin:15mm}@media print{body{margin:0;font-size:10pt}}";

/// The guidance as a printable HTML page in `lang`: a title, what to do, then one
/// section per municipality with a table of group, test, where to go, address, opening
/// days, distance and note. Readable at 375 px (rows stack) and on A4 (`@page`).
pub fn guidance_html_in(scenario: &TestingScenario, rows: &[GuidanceRow], lang: Lang) -> String {
    let title = [lang.title(), scenario.name.trim(), scenario.week.trim()]
        .iter()
        .filter(|s| !s.is_empty())
        .copied()
        .collect::<Vec<_>>();
    let title = match title.split_first() {
        Some((head, rest)) if !rest.is_empty() => format!("{head} — {}", rest.join(" ")),
        _ => lang.title().to_string(),
    };
    let mut h = String::new();
    h.push_str(&format!(
        "<!DOCTYPE html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n",
        lang.as_str()
    ));
    h.push_str(&format!("<title>{}</title>\n", html_escape(&title)));
    h.push_str(&format!("<style>\n{STYLE}\n</style>\n</head>\n<body>\n"));
    h.push_str(&format!("<h1>{}</h1>\n", html_escape(&title)));
    if scenario.synthetic {
        h.push_str(&format!("<p><strong>{}</strong></p>\n", lang.synthetic()));
    }
    h.push_str(&format!("<p>{}</p>\n", html_escape(lang.intro())));
    let labels = lang.headings();
    let mut current = None;
    for r in rows {
        if current != Some(r.municipality.as_str()) {
            if current.is_some() {
                h.push_str("</table>\n</section>\n");
            }
            current = Some(r.municipality.as_str());
            let head: String = labels.iter().map(|l| format!("<th>{l}</th>")).collect();
            h.push_str(&format!(
                "<section>\n<h2>{} ({})</h2>\n<table>\n<tr class=\"head\">{head}</tr>\n",
                html_escape(&r.municipality_name),
                html_escape(&r.county)
            ));
        }
        let where_ = if r.site.is_empty() {
            String::new()
        } else {
            format!("{} ({})", html_escape(&r.site_name), html_escape(&r.kind))
        };
        let cells = [
            html_escape(&r.group_name),
            lang.test(r.test_type).to_string(),
            where_,
            html_escape(&r.address),
            html_escape(&r.days),
            r.km.map_or(String::new(), |km| lang.km(km)),
            html_escape(&r.note),
        ];
        h.push_str("<tr>");
        for (k, (label, cell)) in labels.iter().zip(cells).enumerate() {
            if cell.is_empty() {
                h.push_str("<td></td>");
                continue;
            }
            let class = match k {
                5 => " class=\"km\"",
                6 => " class=\"note\"",
                _ => "",
            };
            h.push_str(&format!("<td{class} data-label=\"{label}\">{cell}</td>"));
        }
        h.push_str("</tr>\n");
    }
    if current.is_some() {
        h.push_str("</table>\n</section>\n");
    }
    h.push_str("</body>\n</html>\n");
    h
}
