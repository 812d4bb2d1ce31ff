//! The capacity status picture per county and week: demand vs. sampling and lab
//! capacity per test type, the gap, and where capacity should grow (the county's
//! capacities with the highest dual prices) — the input to the national status report.

use super::plan::TestingPlan;
use super::scenario::{TestType, TestingScenario};
use crate::error::Result;
use std::collections::BTreeMap;

/// One county's picture for one test type (per week).
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct CountyStatus {
    /// County.
    pub county: String,
    /// Week label.
    pub week: String,
    /// Test type.
    pub test_type: TestType,
    /// Tests needed by the county's residents.
    pub demand: i64,
    /// Tests planned for them (at any site).
    pub tested: i64,
    /// `demand − tested`.
    pub untested: i64,
    /// Sampling capacity of the county's sites that offer the type (shared with the
    /// other type at sites that offer both).
    pub sampling_capacity: i64,
    /// Samples of the type the county's labs can take (analyses × pooling).
    pub lab_capacity: i64,
    /// `max(0, demand − min(sampling_capacity, lab_capacity))`: the shortfall the
    /// county's own capacity leaves even if perfectly used.
    pub capacity_gap: i64,
    /// Where capacity should grow: up to three of the county's capacities with the
    /// highest value (`id (resource, level, value)`), most valuable first.
    pub grow_at: Vec<String>,
}

/// The status picture: one row per county (sorted) and test type with demand or capacity.
pub fn county_status(scenario: &TestingScenario, plan: &TestingPlan) -> Vec<CountyStatus> {
    let mut rows: BTreeMap<(String, TestType), CountyStatus> = BTreeMap::new();
    let week = scenario.week.as_str();
    let county_of: BTreeMap<&str, &str> = scenario
        .municipalities
        .iter()
        .map(|m| (m.id.as_str(), m.county.as_str()))
        .collect();
    for d in &scenario.demand {
        if let Some(c) = county_of.get(d.municipality.as_str()) {
            row(&mut rows, week, c, d.test_type).demand += d.tests_per_week;
        }
    }
    for a in &plan.assignments {
        row(&mut rows, week, &a.county, a.test_type).tested += a.tests;
    }
    for (site, used) in scenario.sites.iter().zip(&plan.sites) {
        for &t in &site.test_types {
            row(&mut rows, week, &site.county, t).sampling_capacity += used.capacity_per_week;
        }
    }
    for l in &plan.labs {
        row(&mut rows, week, &l.county, l.test_type).lab_capacity += l.analyses_capacity * l.pooling;
    }
    for v in &plan.capacity_values {
        let types: Vec<TestType> = match v.test_type {
            Some(t) => vec![t],
            None => TestType::ALL.to_vec(),
        };
        for t in types {
            if let Some(r) = rows.get_mut(&(v.county.clone(), t)) {
                if r.grow_at.len() < 3 {
                    r.grow_at.push(format!(
                        "{} ({}, {}, {:.3})",
                        v.id,
                        v.resource.as_str(),
                        v.level,
                        v.value
                    ));
                }
            }
        }
    }
    rows.into_values()
        .map(|mut r| {
            r.untested = r.demand - r.tested;
            r.capacity_gap = (r.demand - r.sampling_capacity.min(r.lab_capacity)).max(0);
            r
        })
        .collect()
}

/// The row of `(county, t)`, created empty if new.
fn row<'a>(
    rows: &'a mut BTreeMap<(String, TestType), CountyStatus>,
    week: &str,
    county: &str,
    t: TestType,
) -> &'a mut CountyStatus {
    rows.entry((county.to_string(), t)).or_insert_with(|| CountyStatus {
        county: county.to_string(),
        week: week.to_string(),
        test_type: t,
        demand: 0,
        tested: 0,
        untested: 0,
        sampling_capacity: 0,
        lab_capacity: 0,
        capacity_gap: 0,
        grow_at: Vec::new(),
    })
}

/// The status picture as CSV.
pub fn county_status_csv(rows: &[CountyStatus]) -> Result<String> {
    crate::tables::status_table(rows)?.to_csv()
}
