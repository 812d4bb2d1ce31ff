//! Sweeps of the national-round and simulate jobs: metrics against the rounds run by
//! hand, grids of policies and national stock, delivery changes.

use allocnet::model::synthetic::vastmanland_default;
use allocnet::process::national_round::Warehouse;
use allocnet::process::simulate::{default_warehouses, simulate, SimulationOptions};
use allocnet::process::{run_county_round, run_national_round, NationalRound, Policy, RoundOptions};
use allocnet::sweep::{Job, ScenarioStatus, Sweep, SweepBase, SweepChunk, SweepSpec};
use std::sync::atomic::AtomicBool;

fn run(base: SweepBase, spec: &str, job: Job, samples: Option<usize>) -> SweepChunk {
    let spec = SweepSpec::from_json(spec).unwrap();
    let sweep = Sweep::new(base, spec, job, samples, 5).unwrap();
    sweep.run(&[], &|_| {}, &AtomicBool::new(false)).unwrap()
}

fn metric(chunk: &SweepChunk, row: usize, name: &str) -> f64 {
    let j = chunk
        .columns
        .metrics
        .iter()
        .position(|m| m == name)
        .unwrap_or_else(|| panic!("no {name}"));
    chunk.metrics[[row, j]]
}

#[test]
fn national_round_metrics_match_the_rounds_run_by_hand() {
    let scenario = vastmanland_default().unwrap();
    let warehouses = default_warehouses(&scenario, 1.0);
    let spec = r#"{"parameters": [
        {"name": "policy", "target": "policy", "values": ["optimal", "proportional", "population"]},
        {"name": "national", "target": "national-stock", "values": [0.25, 3]}]}"#;
    let chunk = run(
        SweepBase::National(scenario.clone(), warehouses.clone()),
        spec,
        Job::NationalRound,
        None,
    );
    assert_eq!(chunk.rows(), 6);
    let plan = run_county_round(&scenario, &RoundOptions::default()).unwrap();
    for (row, (policy, m)) in [Policy::Optimal, Policy::Proportional, Policy::Population]
        .into_iter()
        .flat_map(|p| [(p, 0.25), (p, 3.0)])
        .enumerate()
    {
        assert_eq!(chunk.status[row], ScenarioStatus::Ok, "{:?}", chunk.errors[row]);
        let scaled: Vec<Warehouse> = warehouses
            .iter()
            .cloned()
            .map(|mut w| {
                for q in &mut w.stock {
                    q.quantity = (q.quantity as f64 * m).round() as i64;
                }
                w
            })
            .collect();
        let round = NationalRound::after_county_round(&scenario, &plan, scaled).unwrap();
        let national = run_national_round(&round, policy).unwrap();
        assert_eq!(
            metric(&chunk, row, "national_acute_unmet"),
            national.total_acute_unmet() as f64
        );
        let approved: i64 = national.items.iter().map(|i| i.approved).sum();
        assert_eq!(metric(&chunk, row, "national_approved"), approved as f64);
        assert_eq!(metric(&chunk, row, "acute_unmet"), plan.total_acute_unmet() as f64);
    }
    // More national stock never leaves more acute need unmet under the optimal policy.
    assert!(metric(&chunk, 1, "national_acute_unmet") <= metric(&chunk, 0, "national_acute_unmet"));
}

#[test]
fn simulation_sweeps_match_simulate_and_delays_and_cancellations_apply() {
    let scenario = vastmanland_default().unwrap();
    let options = SimulationOptions::default();
    let spec = r#"{"parameters": [
        {"name": "redistribution", "target": "redistribution", "values": [1, 0]},
        {"name": "delay", "target": "delivery-delay", "values": [0, 3]}]}"#;
    let chunk = run(
        SweepBase::Simulation(scenario.clone(), options.clone()),
        spec,
        Job::Simulate,
        None,
    );
    for (row, (on, delay)) in [(true, 0.0), (true, 3.0), (false, 0.0), (false, 3.0)]
        .into_iter()
        .enumerate()
    {
        assert_eq!(chunk.status[row], ScenarioStatus::Ok, "{:?}", chunk.errors[row]);
        let mut sc = scenario.clone();
        for d in sc.status.iter_mut().flat_map(|r| r.deliveries.iter_mut()) {
            d.day += delay;
        }
        let mut o = options.clone();
        o.county_redistribution = on;
        let sim = simulate(&sc, &o, &mut |_| Ok(())).unwrap();
        let unmet: i64 = sim.summary.unmet_unit_days.iter().sum();
        assert_eq!(metric(&chunk, row, "unmet_unit_days"), unmet as f64, "row {row}");
        assert_eq!(metric(&chunk, row, "worst_fill_rate"), sim.summary.worst_fill_rate);
    }
    // Cancelling every delivery equals a scenario without deliveries.
    let spec = r#"{"parameters": [{"name": "cancel", "target": "cancellation", "values": [1]}]}"#;
    let chunk = run(
        SweepBase::Simulation(scenario.clone(), options.clone()),
        spec,
        Job::Simulate,
        None,
    );
    let mut sc = scenario.clone();
    for r in &mut sc.status {
        r.deliveries.clear();
    }
    let sim = simulate(&sc, &options, &mut |_| Ok(())).unwrap();
    let unmet: i64 = sim.summary.unmet_unit_days.iter().sum();
    assert_eq!(metric(&chunk, 0, "unmet_unit_days"), unmet as f64);
}

#[test]
fn sampled_simulations_are_deterministic_and_weeks_are_whole() {
    let scenario = vastmanland_default().unwrap();
    let spec = r#"{"parameters": [
        {"name": "consumption", "target": "consumption", "per": "site", "distribution": "lognormal", "mu": 0, "sigma": 0.2},
        {"name": "cancel", "target": "cancellation", "distribution": "uniform", "low": 0, "high": 0.5},
        {"name": "weeks", "target": "weeks", "values": [1, 2]}]}"#;
    let a = run(SweepBase::County(scenario.clone()), spec, Job::Simulate, Some(3));
    let pool = rayon::ThreadPoolBuilder::new().num_threads(3).build().unwrap();
    let b = pool.install(|| run(SweepBase::County(scenario.clone()), spec, Job::Simulate, Some(3)));
    assert_eq!(
        a.to_table().unwrap().to_csv().unwrap(),
        b.to_table().unwrap().to_csv().unwrap()
    );
    assert!(a.status.iter().all(|s| *s == ScenarioStatus::Ok), "{:?}", a.errors);
    assert!(metric(&a, 3, "meetings") > metric(&a, 0, "meetings"));
    let bad = r#"{"parameters": [{"name": "weeks", "target": "weeks", "values": [1.5]}]}"#;
    let err = SweepSpec::from_json(bad).unwrap_err().to_string();
    assert!(
        err.contains("parameters[0].values[0]: must be a whole number of weeks, got 1.5"),
        "{err}"
    );
    let spec =
        SweepSpec::from_json(r#"{"parameters": [{"name": "p", "target": "policy", "values": ["optimal"]}]}"#).unwrap();
    let err = Sweep::new(SweepBase::County(scenario), spec, Job::CountyRound, None, 0)
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("parameters[0].target: policy applies to job national-round, simulate, not county-round"),
        "{err}"
    );
}

/// `base` with its demand times `d` and its lab capacities times `l` (whole units),
/// written apart from the sweep's apply.
fn scaled_testing(
    base: &allocnet::test_capacity::TestingScenario,
    d: f64,
    l: f64,
) -> allocnet::test_capacity::TestingScenario {
    let mut t = base.clone();
    for x in &mut t.demand {
        x.tests_per_week = (x.tests_per_week as f64 * d).round() as i64;
    }
    for c in t.labs.iter_mut().flat_map(|l| l.capacity.iter_mut()) {
        c.analyses_per_day = (c.analyses_per_day as f64 * l).round() as i64;
    }
    t
}

#[test]
fn testing_sweeps_match_the_plan_on_the_modified_scenario() {
    use allocnet::model::builtin::builtin_testing;
    use allocnet::test_capacity::plan_testing;
    let base = builtin_testing("vastmanland").unwrap();
    let spec = r#"{"parameters": [
        {"name": "demand_factor", "target": "testing-demand", "values": [0.5, 3]},
        {"name": "labs", "target": "lab-capacity", "distribution": "uniform", "low": 0.3, "high": 1.0}]}"#;
    let chunk = run(SweepBase::Testing(base.clone()), spec, Job::Testing, Some(2));
    let table = chunk.to_table().unwrap();
    assert!(table
        .to_csv()
        .unwrap()
        .starts_with("scenario,sample,demand_factor,labs,demand,tests,untested,tested_share,untested_"));
    for row in 0..chunk.rows() {
        assert_eq!(chunk.status[row], ScenarioStatus::Ok, "{:?}", chunk.errors[row]);
        let (d, l) = (chunk.parameters[[row, 0]], chunk.parameters[[row, 1]]);
        let t = scaled_testing(&base, d, l);
        let plan = plan_testing(&t).unwrap();
        assert_eq!(metric(&chunk, row, "tests"), plan.total_tests() as f64);
        assert_eq!(metric(&chunk, row, "untested"), plan.total_untested() as f64);
        let by_group: f64 = t
            .groups
            .iter()
            .map(|g| metric(&chunk, row, &format!("untested_{}", g.id)))
            .sum();
        assert_eq!(by_group, plan.total_untested() as f64);
    }
}

#[test]
fn testing_sweeps_keep_the_plan_and_the_modified_scenario_asked_for() {
    use allocnet::model::builtin::builtin_testing;
    use allocnet::sweep::Kept;
    use allocnet::test_capacity::plan_testing;
    let base = builtin_testing("vastmanland").unwrap();
    let spec = r#"{"parameters": [
        {"name": "demand_factor", "target": "testing-demand", "values": [0.5, 3]},
        {"name": "labs", "target": "lab-capacity", "values": [0.4, 1]}]}"#;
    let sweep = Sweep::new(
        SweepBase::Testing(base.clone()),
        SweepSpec::from_json(spec).unwrap(),
        Job::Testing,
        None,
        5,
    )
    .unwrap();
    let chunk = sweep.run(&[1, 2], &|_| {}, &AtomicBool::new(false)).unwrap();
    let kept: Vec<u64> = chunk.kept.iter().map(|(k, _)| *k).collect();
    assert_eq!(kept, vec![1, 2]);
    for (k, kept) in &chunk.kept {
        let Kept::Testing(t) = kept else {
            panic!("scenario {k} kept {kept:?}, not a testing plan")
        };
        let row = *k as usize;
        let (d, l) = (chunk.parameters[[row, 0]], chunk.parameters[[row, 1]]);
        let expected = scaled_testing(&base, d, l);
        assert_eq!(t.scenario, expected, "scenario {k}");
        assert_eq!(t.plan, plan_testing(&expected).unwrap(), "scenario {k}");
        assert_eq!(metric(&chunk, row, "tests"), t.plan.total_tests() as f64);
    }
}
