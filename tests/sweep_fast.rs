//! The sweep's fast county-round route (totals only, no plan rows) against the plain
//! route (the full plan, kept): the same metrics bit for bit, and the same failures,
//! on many random draws of Västmanland and a few of Sweden.

use allocnet::model::synthetic::{sweden, vastmanland_default};
use allocnet::model::{ClassNeed, NeedSplit, Scenario};
use allocnet::sweep::{Job, Sweep, SweepBase, SweepChunk, SweepSpec};
use std::sync::atomic::AtomicBool;

fn sweep(base: Scenario, spec: &str, samples: usize, seed: u64) -> Sweep {
    let spec = SweepSpec::from_json(spec).unwrap();
    Sweep::new(SweepBase::County(base), spec, Job::CountyRound, Some(samples), seed).unwrap()
}

/// Runs `s` twice: keeping no scenario (the fast route) and keeping every one (each
/// scenario's plan is built, and its metrics read off the plan).
fn fast_and_plain(s: &Sweep) -> (SweepChunk, SweepChunk) {
    let none = AtomicBool::new(false);
    let fast = s.run(&[], &|_| {}, &none).unwrap();
    let all: Vec<usize> = (0..s.len()).collect();
    let plain = s.run(&all, &|_| {}, &none).unwrap();
    assert!(fast.kept.is_empty());
    assert_eq!(plain.kept.len(), plain.failures().len().abs_diff(s.len()));
    (fast, plain)
}

fn assert_same(s: &Sweep) {
    let (fast, plain) = fast_and_plain(s);
    assert_eq!(
        fast.to_table().unwrap().to_csv().unwrap(),
        plain.to_table().unwrap().to_csv().unwrap()
    );
}

/// Draws at site, county and item level, stock shocks, the horizon and reserve, with and without redistribution, both flow engines.
const WIDE: &str = r#"{"parameters": [
    {"name": "consumption", "target": "consumption", "per": "county", "distribution": "lognormal", "mu": 0, "sigma": 0.5},
    {"name": "site_consumption", "target": "consumption", "per": "site", "distribution": "triangular", "low": 0.3, "mode": 1.0, "high": 2.5},
    {"name": "stock", "target": "stock", "per": "item", "distribution": "uniform", "low": 0.0, "high": 2.0},
    {"name": "shock", "target": "stock-shock", "per": "site", "distribution": "bernoulli", "p": 0.3, "value": 0.9},
    {"name": "horizon", "target": "horizon-days", "distribution": "uniform", "low": 1, "high": 21},
    {"name": "reserve", "target": "reserve-days", "distribution": "uniform", "low": 0, "high": 5},
    {"name": "redistribution", "target": "redistribution", "values": [true, false]}]}"#;

#[test]
fn the_fast_route_equals_the_plan_on_many_vastmanland_draws() {
    let s = sweep(vastmanland_default().unwrap(), WIDE, 150, 7);
    let (fast, _) = fast_and_plain(&s);
    // Some draws fail the scenario's checks (a horizon under the acute window): the
    // same rows fail on both routes, and most succeed.
    assert!(fast.failures().len() < s.len() / 2, "{:?}", fast.failures());
    assert_same(&s);
}

#[test]
fn the_fast_route_equals_the_plan_with_either_engine() {
    let spec = r#"{"parameters": [
        {"name": "engine", "target": "engine", "values": ["simplex", "cost-scaling", "lp"]},
        {"name": "consumption", "target": "consumption", "per": "site", "distribution": "lognormal", "mu": 0, "sigma": 0.4},
        {"name": "stock", "target": "stock", "per": "item", "distribution": "uniform", "low": 0.3, "high": 1.5}]}"#;
    assert_same(&sweep(vastmanland_default().unwrap(), spec, 8, 3));
}

#[test]
fn the_fast_route_equals_the_plan_on_sweden_draws() {
    let spec = r#"{"parameters": [
        {"name": "consumption", "target": "consumption", "per": "county", "distribution": "lognormal", "mu": 0.0, "sigma": 0.4},
        {"name": "stock", "target": "stock", "per": "item", "distribution": "uniform", "low": 0.4, "high": 1.2}]}"#;
    assert_same(&sweep(sweden(1).unwrap(), spec, 3, 11));
}

/// Västmanland with rows the compiled base must treat like `resolve`: explicit acute
/// and planning needs (an explicit planning need that a drawn acute need can pass, an
/// invalid row), explicit class quantities, a row's own reserve days, and a
/// delivery at the end of the acute window.
fn varied_vastmanland() -> Scenario {
    let mut base = vastmanland_default().unwrap();
    let classes: Vec<String> = base.classes().iter().map(|c| c.id.clone()).collect();
    for (r, st) in base.status.iter_mut().enumerate() {
        match r % 7 {
            0 => st.planning_need = Some((st.consumption_per_day * 12.0) as i64 + 5),
            1 => {
                st.acute_need = Some(3);
                st.planning_need = Some(30);
            }
            2 => st.reserve_days = Some(1.5),
            3 => {
                st.acute_need = None;
                st.planning_need = None;
                st.split = Some(NeedSplit::Quantities(vec![ClassNeed {
                    class: classes[0].clone(),
                    share: None,
                    acute: Some(4),
                    planning: Some(9),
                }]));
            }
            4 => st.deliveries.push(allocnet::model::Delivery { day: 2.0, quantity: 17 }),
            _ => {}
        }
    }
    base
}

/// Only stock and consumption draws (and the engine): the compiled county base's
/// route, at every level, with an item filter and draws that fail their range (a
/// normal multiplier below 0) or the scenario's checks.
const COMPILED: &str = r#"{"parameters": [
    {"name": "consumption", "target": "consumption", "per": "county", "distribution": "normal", "mean": 1.0, "sd": 0.5},
    {"name": "site_consumption", "target": "consumption", "per": "site", "distribution": "triangular", "low": 0.3, "mode": 1.0, "high": 2.5},
    {"name": "item_consumption", "target": "consumption", "per": "item", "distribution": "lognormal", "mu": 0, "sigma": 0.6},
    {"name": "stock", "target": "stock", "per": "item", "distribution": "uniform", "low": 0.0, "high": 2.0},
    {"name": "site_stock", "target": "stock", "per": "site", "distribution": "uniform", "low": 0.5, "high": 1.5},
    {"name": "shock", "target": "stock-shock", "per": "site", "distribution": "bernoulli", "p": 0.3, "value": 0.9},
    {"name": "global", "target": "consumption", "distribution": "uniform", "low": 0.5, "high": 1.5}]}"#;

#[test]
fn the_compiled_base_equals_the_plan_on_random_draws() {
    for (seed, base) in [(5, vastmanland_default().unwrap()), (6, varied_vastmanland())] {
        let s = sweep(base, COMPILED, 120, seed);
        let (fast, _) = fast_and_plain(&s);
        // Some draws fall below 0 (`consumption` is normal) or make rows invalid:
        // the same rows fail on both routes, and many succeed.
        assert!(fast.failures().len() < s.len() * 3 / 4, "{:?}", fast.failures());
        assert_same(&s);
    }
    let with_items = COMPILED.replace(
        r#""target": "stock", "per": "item","#,
        r#""target": "stock", "per": "item", "items": ["ffp2"],"#,
    );
    assert_same(&sweep(varied_vastmanland(), &with_items, 40, 8));
}

#[test]
fn the_varied_base_fails_some_draws() {
    // The explicit planning needs of `varied_vastmanland` make some drawn scenarios
    // invalid (planning need below the derived acute need): the compiled route hands
    // them to the plain route, which names the row.
    let s = sweep(varied_vastmanland(), COMPILED, 60, 9);
    let fast = s.run(&[], &|_| {}, &AtomicBool::new(false)).unwrap();
    let failures = fast.failures();
    assert!(
        failures
            .iter()
            .any(|(_, _, e)| e.contains("status[") && e.contains("planning_need")),
        "{failures:?}"
    );
    assert!(
        failures.iter().any(|(_, _, e)| e.contains("consumption must be")),
        "{failures:?}"
    );
}

#[test]
fn the_compiled_route_is_the_same_for_any_thread_count_and_chunking() {
    let s = sweep(varied_vastmanland(), COMPILED, 30, 12);
    let none = AtomicBool::new(false);
    let csv = |c: SweepChunk| c.to_table().unwrap().to_csv().unwrap();
    let whole = csv(s.run(&[], &|_| {}, &none).unwrap());
    for threads in [1, 3] {
        let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build().unwrap();
        assert_eq!(
            pool.install(|| csv(s.run(&[], &|_| {}, &none).unwrap())),
            whole,
            "{threads} threads"
        );
    }
    let pieces: Vec<SweepChunk> = (0..s.len())
        .step_by(7)
        .map(|a| s.run_range(a..(a + 7).min(s.len()), &[], &|_| {}, &none).unwrap())
        .collect();
    assert_eq!(csv(SweepChunk::concat(pieces).unwrap()), whole);
}

/// The county-round rows of the fast route come from one weighted solve per item
/// network; the levels it reaches must be those of the level-by-level solves (one
/// solve per level, then transport), on random stock and consumption of every row of
/// Västmanland and of the varied base.
mod weighted_levels {
    use super::*;
    use allocnet::flow::Engine;
    use allocnet::process::{run_county_round, Method, Plan, RoundOptions, Strategy};
    use proptest::prelude::*;

    fn levels(plan: &Plan) -> Vec<(Vec<i64>, i64, i64)> {
        plan.objective
            .iter()
            .map(|o| (o.acute_unmet.clone(), o.planning_unmet, o.transport_unit_hm))
            .collect()
    }

    fn drawn(varied: bool, stock: &[f64], consumption: &[f64]) -> Scenario {
        let mut sc = if varied {
            varied_vastmanland()
        } else {
            vastmanland_default().unwrap()
        };
        for (r, st) in sc.status.iter_mut().enumerate() {
            st.stock = (st.stock as f64 * stock[r % stock.len()]).round() as i64;
            st.consumption_per_day *= consumption[r % consumption.len()];
        }
        sc
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

        #[test]
        fn one_weighted_solve_reaches_the_levels_of_level_by_level(
            varied in any::<bool>(),
            stock in prop::collection::vec(0.0f64..3.0, 1..400),
            consumption in prop::collection::vec(0.0f64..3.0, 1..400),
            engine in prop::sample::select(vec![Engine::Simplex, Engine::CostScaling]),
        ) {
            let sc = drawn(varied, &stock, &consumption);
            let run = |strategy| run_county_round(&sc, &RoundOptions { engine, strategy });
            let (Ok(auto), Ok(levelled)) = (run(Strategy::Auto), run(Strategy::LevelByLevel)) else {
                // A draw the scenario's checks refuse fails on both routes alike.
                prop_assert!(run(Strategy::Auto).is_err() && run(Strategy::LevelByLevel).is_err());
                return Ok(());
            };
            prop_assert_eq!(levels(&auto), levels(&levelled));
            // Every item of these bases now takes the single weighted solve.
            prop_assert!(auto.objective.iter().all(|o| o.method == Method::Weighted));
        }
    }
}
