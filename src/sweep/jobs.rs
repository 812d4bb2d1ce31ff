//! The jobs a sweep runs on each scenario and the metrics they report.

use super::apply::{Applied, RowIndex};
use super::Kept;
use crate::error::Result;
use crate::model::ResolvedScenario;
use crate::process::national_round::Warehouse;
use crate::process::simulate::{simulate, SimulationOptions};
use crate::process::{round_totals, run_national_round, run_resolved, ItemTotals, NationalPlan, NationalRound, Plan};
use crate::test_capacity::{plan_testing, TestingScenario};

/// What a sweep runs on each scenario.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Job {
    /// The county round ([`crate::process::run_county_round`]).
    #[default]
    CountyRound,
    /// The county round, then the national round on the county requests.
    NationalRound,
    /// The weekly process simulation.
    Simulate,
    /// The weekly testing-capacity plan.
    Testing,
}

crate::names::named_enum!(Job, "job", {
    CountyRound => "county-round": "the county round (redistribution within each county)",
    NationalRound => "national-round": "the county round, then the national round on the requests",
    Simulate => "simulate": "the weekly process simulated day by day",
    Testing => "testing": "the weekly testing-capacity plan",
});

/// The county round's fixed metric columns, in order (then `acute_unmet_<class>` per
/// priority class and `request_<item>` per item).
pub(crate) const COUNTY_METRICS: [&str; 8] = [
    "acute_need",
    "acute_unmet",
    "acute_fill_rate",
    "planning_need",
    "planning_unmet",
    "planning_fill_rate",
    "shipped",
    "transport_unit_km",
];

/// The metric column names of the county round on `resolved`.
pub(crate) fn county_metric_names(resolved: &ResolvedScenario, index: &RowIndex) -> Vec<String> {
    let mut names: Vec<String> = COUNTY_METRICS.iter().map(|s| s.to_string()).collect();
    names.extend(resolved.classes.iter().map(|c| format!("acute_unmet_{}", c.id)));
    names.extend(index.items.iter().map(|i| format!("request_{i}")));
    names
}

/// `1 − unmet / need`, or 1 without need.
fn fill_rate(unmet: f64, need: f64) -> f64 {
    if need > 0.0 {
        1.0 - unmet / need
    } else {
        1.0
    }
}

/// Runs the county round on an applied scenario; its metrics in the order of
/// [`county_metric_names`].
/// Without `keep`, only the round's totals are computed (no plan rows; see
/// [`county_totals_metrics`]): the metrics are the same.
pub(crate) fn county_round(applied: Applied, keep: bool) -> Result<(Vec<f64>, Option<Kept>)> {
    let resolved = applied.scenario.into_resolved()?;
    if !keep {
        let totals = round_totals(&resolved, &applied.round)?;
        return Ok((county_totals_metrics(&resolved, &totals), None));
    }
    let plan = run_resolved(&resolved, &applied.round)?;
    let metrics = county_metrics(&resolved, &plan);
    Ok((metrics, Some(Kept::Plan(Box::new(plan)))))
}

/// The need totals (acute, planning) of `resolved`, summed over items and sites.
fn need_totals(resolved: &ResolvedScenario) -> (f64, f64) {
    let (mut acute_need, mut planning_need) = (0.0, 0.0);
    for item in 0..resolved.item_count() {
        for p in resolved.item_profiles(item) {
            acute_need += p.acute_total() as f64;
            planning_need += p.planning_total() as f64;
        }
    }
    (acute_need, planning_need)
}

/// The metrics of [`county_metrics`] from the round's totals alone, summed in the
/// same order (so equal bit for bit).
pub(crate) fn county_totals_metrics(resolved: &ResolvedScenario, totals: &[ItemTotals]) -> Vec<f64> {
    // `shipped` starts where `Iterator::sum` of f64 does (-0.0: no shipment gives -0).
    let mut shipped = -0.0;
    for q in totals.iter().flat_map(|t| &t.shipped) {
        shipped += *q as f64;
    }
    // The plan's requests come county by county, an item's line once per county.
    let counties = totals.first().map_or(0, |t| t.request.len());
    let mut requests = vec![0.0; totals.len()];
    for county in 0..counties {
        for (r, t) in requests.iter_mut().zip(totals) {
            if t.request[county] != 0 {
                *r += t.request[county] as f64;
            }
        }
    }
    let levels = totals
        .iter()
        .map(|t| (t.acute_unmet.as_slice(), t.planning_unmet, t.transport_unit_hm));
    round_metrics(resolved, levels, shipped, requests)
}

/// The county round's metrics of `plan` (totals summed over items: mixed units).
pub(crate) fn county_metrics(resolved: &ResolvedScenario, plan: &Plan) -> Vec<f64> {
    let shipped: f64 = plan.shipments.iter().map(|s| s.quantity as f64).sum();
    let sc = &resolved.scenario;
    let mut requests = vec![0.0; sc.items.len()];
    for r in &plan.requests {
        for line in &r.items {
            if let Some(i) = sc.items.iter().position(|it| it.id == line.item) {
                requests[i] += line.total as f64;
            }
        }
    }
    let levels = plan
        .objective
        .iter()
        .map(|o| (o.acute_unmet.as_slice(), o.planning_unmet, o.transport_unit_hm));
    round_metrics(resolved, levels, shipped, requests)
}

/// The county round's metric row (the order of [`county_metric_names`]) from each
/// item's `(acute unmet per class, planning unmet, transport in 0.1 km)`, the units
/// shipped and the request per item: the one place both routes sum them, so their
/// rows are equal bit for bit.
fn round_metrics<'a>(
    resolved: &ResolvedScenario,
    levels: impl Iterator<Item = (&'a [i64], i64, i64)>,
    shipped: f64,
    requests: Vec<f64>,
) -> Vec<f64> {
    let (acute_need, planning_need) = need_totals(resolved);
    let mut by_class = vec![0.0; resolved.classes.len()];
    let (mut planning_unmet, mut km) = (0.0, 0.0);
    for (acute, planning, transport_hm) in levels {
        for (c, &u) in by_class.iter_mut().zip(acute) {
            *c += u as f64;
        }
        planning_unmet += planning as f64;
        km += transport_hm as f64;
    }
    let acute_unmet: f64 = by_class.iter().sum();
    let mut out = vec![
        acute_need,
        acute_unmet,
        fill_rate(acute_unmet, acute_need),
        planning_need,
        planning_unmet,
        fill_rate(planning_unmet, planning_need),
        shipped,
        km / crate::model::KM_SCALE as f64,
    ];
    out.extend(by_class);
    out.extend(requests);
    out
}

/// The national round's metric columns after the county round's (then
/// `national_acute_unmet_<class>` per class).
pub(crate) const NATIONAL_METRICS: [&str; 6] = [
    "national_requested",
    "national_approved",
    "national_acute_unmet",
    "national_min_fraction",
    "national_unit_km",
    "last_mile_unit_km",
];

/// The metric column names of the national-round job.
pub(crate) fn national_metric_names(resolved: &ResolvedScenario, index: &RowIndex) -> Vec<String> {
    let mut names = county_metric_names(resolved, index);
    names.extend(NATIONAL_METRICS.iter().map(|s| s.to_string()));
    names.extend(
        resolved
            .classes
            .iter()
            .map(|c| format!("national_acute_unmet_{}", c.id)),
    );
    names
}

/// National warehouses with each item's stock scaled by its multiplier (rounded to
/// whole units).
pub(crate) fn scaled_warehouses(
    warehouses: &[Warehouse],
    items: &[String],
    multipliers: &[f64],
) -> Result<Vec<Warehouse>> {
    let mut out = warehouses.to_vec();
    for w in &mut out {
        for q in &mut w.stock {
            if let Some(i) = items.iter().position(|it| *it == q.item) {
                let y = (q.quantity as f64 * multipliers[i]).round();
                if y.abs() >= 9.0e18 {
                    return Err(crate::Error::Overflow(format!(
                        "national stock of '{}' x {}",
                        q.item,
                        crate::limits::compact(multipliers[i])
                    )));
                }
                q.quantity = y as i64;
            }
        }
    }
    Ok(out)
}

/// The county round, then the national round on its requests with `warehouses`.
pub(crate) fn national_round(
    applied: &Applied,
    warehouses: &[Warehouse],
    keep: bool,
) -> Result<(Vec<f64>, Option<Kept>)> {
    let resolved = applied.scenario.resolve()?;
    let plan = run_resolved(&resolved, &applied.round)?;
    let mut metrics = county_metrics(&resolved, &plan);
    let items: Vec<String> = applied.scenario.items.iter().map(|i| i.id.clone()).collect();
    let warehouses = scaled_warehouses(warehouses, &items, &applied.national_stock)?;
    let round = NationalRound::after_county_round(&applied.scenario, &plan, warehouses)?;
    let national = run_national_round(&round, applied.policy.unwrap_or_default())?;
    metrics.extend(national_metrics(&national, resolved.classes.len()));
    Ok((metrics, keep.then(|| Kept::National(Box::new(national)))))
}

/// The national round's metrics ([`NATIONAL_METRICS`], then the acute need left
/// unmet per priority class) of `national`, whose requests have `classes` classes.
pub(crate) fn national_metrics(national: &NationalPlan, classes: usize) -> Vec<f64> {
    let sum = |f: &dyn Fn(&crate::process::national_round::NationalItemResult) -> f64| -> f64 {
        national.items.iter().map(f).sum()
    };
    let mut by_class = vec![0.0; classes];
    for it in &national.items {
        for (c, &u) in by_class.iter_mut().zip(&it.acute_unmet) {
            *c += u as f64;
        }
    }
    let km = crate::model::KM_SCALE as f64;
    let mut metrics = vec![
        sum(&|i| i.requested as f64),
        sum(&|i| i.approved as f64),
        by_class.iter().sum(),
        national.items.iter().map(|i| i.min_fraction).fold(1.0, f64::min),
        sum(&|i| i.national_unit_hm as f64) / km,
        sum(&|i| i.last_mile_unit_hm as f64) / km,
    ];
    metrics.extend(by_class);
    metrics
}

/// The simulation's metric columns (then `unmet_unit_days_<class>` per class and
/// `national_stock_left_<item>` per item).
pub(crate) const SIMULATION_METRICS: [&str; 6] = [
    "unmet_unit_days",
    "worst_fill_rate",
    "meetings",
    "county_unit_km",
    "national_unit_km",
    "last_mile_unit_km",
];

/// The metric column names of the simulate job.
pub(crate) fn simulation_metric_names(resolved: &ResolvedScenario, index: &RowIndex) -> Vec<String> {
    let mut names: Vec<String> = SIMULATION_METRICS.iter().map(|s| s.to_string()).collect();
    names.extend(resolved.classes.iter().map(|c| format!("unmet_unit_days_{}", c.id)));
    names.extend(index.items.iter().map(|i| format!("national_stock_left_{i}")));
    names
}

/// Simulates an applied scenario with `options` (national warehouses already set).
pub(crate) fn simulation(
    applied: &Applied,
    options: &SimulationOptions,
    keep: bool,
) -> Result<(Vec<f64>, Option<Kept>)> {
    let sim = simulate(&applied.scenario, options, &mut |_| Ok(()))?;
    let s = &sim.summary;
    let mut metrics = vec![
        s.unmet_unit_days.iter().map(|&u| u as f64).sum(),
        s.worst_fill_rate,
        f64::from(s.meetings),
        s.county_unit_km,
        s.national_unit_km,
        s.last_mile_unit_km,
    ];
    metrics.extend(s.unmet_unit_days.iter().map(|&u| u as f64));
    for item in &applied.scenario.items {
        let left = s
            .national_stock_left
            .iter()
            .find(|(i, _)| *i == item.id)
            .map_or(0, |(_, q)| *q);
        metrics.push(left as f64);
    }
    Ok((metrics, keep.then(|| Kept::Simulation(Box::new(sim)))))
}

/// The testing job's metric columns (then `untested_<group>` per group).
pub(crate) const TESTING_METRICS: [&str; 4] = ["demand", "tests", "untested", "tested_share"];

/// The metric column names of the testing job.
pub(crate) fn testing_metric_names(scenario: &TestingScenario) -> Vec<String> {
    let mut names: Vec<String> = TESTING_METRICS.iter().map(|s| s.to_string()).collect();
    names.extend(scenario.groups.iter().map(|g| format!("untested_{}", g.id)));
    names
}

/// Plans a week of testing on an applied testing scenario (kept with its plan when
/// `keep`).
pub(crate) fn testing(scenario: TestingScenario, keep: bool) -> Result<(Vec<f64>, Option<Kept>)> {
    let plan = plan_testing(&scenario)?;
    let demand: f64 = scenario.demand.iter().map(|d| d.tests_per_week as f64).sum();
    let tests = plan.total_tests() as f64;
    let untested = plan.total_untested() as f64;
    let share = if demand > 0.0 { 1.0 - untested / demand } else { 1.0 };
    let mut metrics = vec![demand, tests, untested, share];
    for g in &scenario.groups {
        let u: i64 = plan.unmet.iter().filter(|u| u.group == g.id).map(|u| u.untested).sum();
        metrics.push(u as f64);
    }
    let kept = keep.then(|| Kept::Testing(Box::new(super::KeptTesting { scenario, plan })));
    Ok((metrics, kept))
}
