//! Sweeps: determinism across threads and chunkings, failure isolation, grids and
//! samples, the metrics against a county round run by hand, and spec errors.

use allocnet::model::synthetic::vastmanland_default;
use allocnet::model::Scenario;
use allocnet::process::{run_county_round, RoundOptions};
use allocnet::sweep::{Job, ScenarioStatus, Sweep, SweepBase, SweepChunk, SweepSpec};
use allocnet::tables::Column;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

fn sweep(spec: &str, samples: Option<usize>, seed: u64) -> Sweep {
    let spec = SweepSpec::from_json(spec).unwrap();
    Sweep::new(
        SweepBase::County(vastmanland_default().unwrap()),
        spec,
        Job::CountyRound,
        samples,
        seed,
    )
    .unwrap()
}

fn run(s: &Sweep) -> SweepChunk {
    s.run(&[], &|_| {}, &AtomicBool::new(false)).unwrap()
}

const UNCERTAIN: &str = r#"{"parameters": [
    {"name": "consumption", "target": "consumption", "per": "county", "distribution": "lognormal", "mu": 0, "sigma": 0.3},
    {"name": "site_consumption", "target": "consumption", "per": "site", "distribution": "triangular", "low": 0.8, "mode": 1.0, "high": 1.3},
    {"name": "stock", "target": "stock", "per": "item", "distribution": "uniform", "low": 0.6, "high": 1.2},
    {"name": "shock", "target": "stock-shock", "per": "site", "distribution": "bernoulli", "p": 0.2, "value": 0.5},
    {"name": "redistribution", "target": "redistribution", "values": [true, false]}]}"#;

#[test]
fn the_table_is_the_same_for_any_thread_count_and_chunking() {
    let s = sweep(UNCERTAIN, Some(20), 42);
    assert_eq!(s.len(), 40);
    let whole = run(&s).to_table().unwrap().to_csv().unwrap();
    for threads in [1, 4] {
        let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build().unwrap();
        let csv = pool.install(|| run(&s).to_table().unwrap().to_csv().unwrap());
        assert_eq!(csv, whole, "{threads} threads");
    }
    for size in [1, 7, 40] {
        let pieces: Vec<SweepChunk> = (0..s.len())
            .step_by(size)
            .map(|a| {
                s.run_range(a..(a + size).min(s.len()), &[], &|_| {}, &AtomicBool::new(false))
                    .unwrap()
            })
            .collect();
        let csv = SweepChunk::concat(pieces)
            .unwrap()
            .to_table()
            .unwrap()
            .to_csv()
            .unwrap();
        assert_eq!(csv, whole, "chunks of {size}");
    }
    // Another seed draws other values; the same seed in a new sweep the same ones.
    assert_ne!(
        run(&sweep(UNCERTAIN, Some(20), 43))
            .to_table()
            .unwrap()
            .to_csv()
            .unwrap(),
        whole
    );
    assert_eq!(
        run(&sweep(UNCERTAIN, Some(20), 42))
            .to_table()
            .unwrap()
            .to_csv()
            .unwrap(),
        whole
    );
}

fn floats(chunk: &SweepChunk, name: &str) -> Vec<f64> {
    match &chunk.to_table().unwrap().column(name).unwrap().data {
        Column::Float(v) => v.clone(),
        other => panic!("{name} is {other:?}"),
    }
}

/// The metrics of a global consumption × stock sweep equal the county round run by
/// hand on the scenario with the drawn multipliers applied.
#[test]
fn metrics_match_the_county_round_on_the_modified_scenario() {
    let s = sweep(
        r#"{"parameters": [
        {"name": "c", "target": "consumption", "distribution": "normal", "mean": 1.2, "sd": 0.2},
        {"name": "s", "target": "stock", "values": [0.5, 1.5]}]}"#,
        Some(4),
        9,
    );
    let chunk = run(&s);
    let (c, st) = (floats(&chunk, "c"), floats(&chunk, "s"));
    assert_eq!(st, [0.5, 0.5, 0.5, 0.5, 1.5, 1.5, 1.5, 1.5]);
    assert_eq!(c[..4], c[4..], "grid points share the draws of a sample");
    let names = &chunk.columns.metrics;
    for row in 0..chunk.rows() {
        assert_eq!(chunk.status[row], ScenarioStatus::Ok);
        let mut scenario: Scenario = vastmanland_default().unwrap();
        for r in &mut scenario.status {
            r.consumption_per_day *= c[row];
            r.stock = (r.stock as f64 * st[row]).round() as i64;
        }
        let plan = run_county_round(&scenario, &RoundOptions::default()).unwrap();
        let get = |m: &str| chunk.metrics[[row, names.iter().position(|n| n == m).unwrap()]];
        assert_eq!(get("acute_unmet"), plan.total_acute_unmet() as f64);
        let planning: i64 = plan.objective.iter().map(|o| o.planning_unmet).sum();
        assert_eq!(get("planning_unmet"), planning as f64);
        let shipped: i64 = plan.shipments.iter().map(|x| x.quantity).sum();
        assert_eq!(get("shipped"), shipped as f64);
        let km: f64 = plan.shipments.iter().map(|x| x.quantity as f64 * x.km).sum();
        assert!((get("transport_unit_km") - km).abs() < 1e-6 * (1.0 + km));
        for item in &scenario.items {
            let request: i64 = plan
                .requests
                .iter()
                .flat_map(|r| &r.items)
                .filter(|i| i.item == item.id)
                .map(|i| i.total)
                .sum();
            assert_eq!(get(&format!("request_{}", item.id)), request as f64);
        }
        let rate = get("acute_fill_rate");
        assert!((0.0..=1.0).contains(&rate));
    }
    // Less stock never leaves less acute need unmet (same consumption draw).
    let unmet = floats(&chunk, "acute_unmet");
    for s in 0..4 {
        assert!(unmet[s] >= unmet[s + 4], "sample {s}: {} < {}", unmet[s], unmet[s + 4]);
    }
}

#[test]
fn invalid_draws_are_rows_with_their_error_and_the_others_complete() {
    // A normal multiplier around 0 is negative in about half the scenarios.
    let s = sweep(
        r#"{"parameters": [{"name": "c", "target": "consumption", "distribution": "normal", "mean": 0.05, "sd": 1}]}"#,
        Some(30),
        1,
    );
    let chunk = run(&s);
    let c = floats(&chunk, "c");
    let mut failed = 0;
    for (row, &value) in c.iter().enumerate() {
        if value < 0.0 {
            failed += 1;
            assert_eq!(chunk.status[row], ScenarioStatus::Invalid);
            let e = chunk.errors[row].as_deref().unwrap();
            assert!(e.contains("parameters[0] (c): consumption must be >= 0, got -"), "{e}");
            assert!(chunk.metrics.row(row).iter().all(|x| x.is_nan()));
        } else {
            assert_eq!(chunk.status[row], ScenarioStatus::Ok, "{:?}", chunk.errors[row]);
            assert!(chunk.metrics.row(row).iter().all(|x| x.is_finite()));
        }
    }
    assert!(failed > 5 && failed < 25, "{failed}");
    assert_eq!(chunk.failures().len(), failed);
    let summary = chunk.summary().unwrap();
    let Column::Int(counts) = &summary.column("count").unwrap().data else {
        panic!()
    };
    assert!(counts.iter().all(|&n| n == (30 - failed) as i64));
    // A drawn horizon shorter than the acute window fails the scenario's own checks.
    let s = sweep(
        r#"{"parameters": [{"name": "h", "target": "horizon-days", "values": [1, 7]}]}"#,
        None,
        0,
    );
    let chunk = run(&s);
    assert_eq!(chunk.status, [ScenarioStatus::Invalid, ScenarioStatus::Ok]);
    assert!(
        chunk.errors[0].as_deref().unwrap().contains("horizon"),
        "{:?}",
        chunk.errors[0]
    );
}

#[test]
fn grids_are_a_cartesian_product_and_names_are_labels() {
    let s = sweep(
        r#"{"parameters": [
        {"name": "engine", "target": "engine", "values": ["simplex", "lp"]},
        {"name": "reserve", "target": "reserve-days", "values": [0, 2, 5]}]}"#,
        None,
        0,
    );
    assert_eq!(s.len(), 6);
    let chunk = s.run(&[0, 5], &|_| {}, &AtomicBool::new(false)).unwrap();
    let table = chunk.to_table().unwrap();
    let engine = &table.column("engine").unwrap().data;
    let names: Vec<String> = (0..6).map(|r| engine.cell(r, None)).collect();
    assert_eq!(names, ["simplex", "simplex", "simplex", "lp", "lp", "lp"]);
    assert_eq!(floats(&chunk, "reserve"), [0.0, 2.0, 5.0, 0.0, 2.0, 5.0]);
    // Both engines reach the same optimum.
    let unmet = floats(&chunk, "acute_unmet");
    assert_eq!(unmet[..3], unmet[3..]);
    let kept: Vec<u64> = chunk.kept.iter().map(|(k, _)| *k).collect();
    assert_eq!(kept, [0, 5]);
    assert!(table
        .to_csv()
        .unwrap()
        .starts_with("scenario,sample,engine,reserve,acute_need,"));
}

#[test]
fn progress_counts_every_scenario_and_cancel_stops_early() {
    let s = sweep(UNCERTAIN, Some(300), 3);
    let done = AtomicUsize::new(0);
    let cancel = AtomicBool::new(false);
    let chunk = s
        .run(
            &[],
            &|n| {
                done.fetch_add(n, Ordering::Relaxed);
                cancel.store(true, Ordering::Relaxed);
            },
            &cancel,
        )
        .unwrap();
    assert!(chunk.rows() > 0 && chunk.rows() < s.len(), "{}", chunk.rows());
    assert_eq!(done.load(Ordering::Relaxed), chunk.rows());
    assert_eq!(chunk.scenarios, (0..chunk.rows() as u64).collect::<Vec<_>>());
    let err = s
        .run_range(5..s.len() + 1, &[], &|_| {}, &AtomicBool::new(false))
        .unwrap_err();
    assert!(
        err.to_string()
            .contains("range: 5..601 is not within the sweep's 0..600"),
        "{err}"
    );
}

fn spec_error(text: &str) -> String {
    SweepSpec::from_json(text).unwrap_err().to_string()
}

#[test]
fn spec_errors_name_the_field() {
    let cases = [
        (
            r#"{"parameters": [{"name": "a", "target": "stock", "values": [1]}, {"name": "b", "target": "stock", "values": [1]},
               {"name": "c", "target": "consumption", "distribution": "normal", "mean": 1, "sd": -1}]}"#,
            "parameters[2].sd: must be >= 0, got -1",
        ),
        (r#"{"parameters": [], "extra": 1}"#, "extra: unknown key"),
        (
            r#"{"parameters": [{"name": "a", "target": "consumption", "values": [1, true]}]}"#,
            "parameters[0].values[1]: consumption takes numbers, got true",
        ),
        (
            r#"{"parameters": [{"name": "a", "target": "stock", "distribution": "choice", "choices": [false]}]}"#,
            "parameters[0].choices[0]: stock takes numbers, got false",
        ),
        (r#"{"parameters": []}"#, "parameters: must list at least one parameter"),
        (
            r#"{"parameters": [{"name": "a", "target": "stock", "values": [1], "colour": "red"}]}"#,
            "parameters[0].colour: unknown key",
        ),
        (
            r#"{"parameters": [{"name": "a", "target": "stok", "values": [1]}]}"#,
            "parameters[0].target: expected one of consumption, stock",
        ),
        (
            r#"{"parameters": [{"name": "a", "target": "stock", "distribution": "uniform", "low": 2, "high": 1}]}"#,
            "parameters[0].high: must be > low (2), got 1",
        ),
        (
            r#"{"parameters": [{"name": "a", "target": "stock", "distribution": "uniform", "low": 0, "high": 1, "sd": 1}]}"#,
            "parameters[0].sd: not used by a uniform distribution",
        ),
        (
            r#"{"parameters": [{"name": "a", "target": "stock", "distribution": "normal", "mean": 1}]}"#,
            "parameters[0].sd: missing",
        ),
        (
            r#"{"parameters": [{"name": "a", "target": "stock-shock", "distribution": "bernoulli", "p": 1.5}]}"#,
            "parameters[0].p: must be in [0, 1], got 1.5",
        ),
        (
            r#"{"parameters": [{"name": "a", "target": "engine", "values": ["simplex", "fast"]}]}"#,
            "parameters[0].values[1]: expected one of auto, simplex, cost-scaling, lp, got 'fast'",
        ),
        (
            r#"{"parameters": [{"name": "a", "target": "stock", "values": [-1]}]}"#,
            "parameters[0].values[0]: stock must be >= 0, got -1",
        ),
        (
            r#"{"parameters": [{"name": "a", "target": "reserve-days", "per": "site", "distribution": "uniform", "low": 0, "high": 1}]}"#,
            "parameters[0].per: reserve-days is drawn per global, got 'site'",
        ),
        (
            r#"{"parameters": [{"name": "a b", "target": "stock", "values": [1]}]}"#,
            "parameters[0].name: must be letters, digits and _",
        ),
        (
            r#"{"parameters": [{"name": "a", "target": "stock", "values": [1]}, {"name": "a", "target": "consumption", "values": [1]}]}"#,
            "parameters[1].name: 'a' is used twice",
        ),
        (
            r#"{"parameters": [{"name": "a", "target": "stock", "distribution": "choice", "choices": [1, 2], "weights": [1]}]}"#,
            "parameters[0].weights: must have one weight per choice (2), got 1",
        ),
        (
            r#"{"samples": 0, "parameters": [{"name": "a", "target": "stock", "values": [1]}]}"#,
            "samples: must be a whole number >= 1, got 0",
        ),
    ];
    for (text, expected) in cases {
        let err = spec_error(text);
        assert!(err.contains(expected), "expected '{expected}' in: {err}");
    }
    let err = SweepSpec::from_json("{\"parameters\": [\n  {\"name\": }]}")
        .unwrap_err()
        .to_string();
    assert!(err.contains("line 2"), "{err}");
}

#[test]
fn specs_are_checked_against_the_base_and_the_size_limit() {
    let base = || SweepBase::County(vastmanland_default().unwrap());
    let spec = |t: &str| SweepSpec::from_json(t).unwrap();
    let new = |t: &str, samples| {
        Sweep::new(base(), spec(t), Job::CountyRound, samples, 0)
            .map(|_| ())
            .unwrap_err()
            .to_string()
    };
    let sampled =
        r#"{"parameters": [{"name": "a", "target": "stock", "distribution": "uniform", "low": 0, "high": 1}]}"#;
    assert!(new(sampled, None).contains("samples: missing"));
    let grid = r#"{"parameters": [{"name": "a", "target": "stock", "values": [1, 2]}]}"#;
    assert!(new(grid, Some(5)).contains("5 identical copies"));
    let unknown = r#"{"parameters": [{"name": "a", "target": "stock", "items": ["gloves", "nope"], "values": [1]}]}"#;
    assert!(new(unknown, None).contains("parameters[0].items[1]: unknown item 'nope'"));
    let wrong_job = r#"{"parameters": [{"name": "a", "target": "delivery-delay", "values": [1]}]}"#;
    assert!(
        new(wrong_job, None).contains("parameters[0].target: delivery-delay applies to job simulate, not county-round")
    );
    let clash = r#"{"parameters": [{"name": "acute_unmet", "target": "stock", "values": [1]}]}"#;
    assert!(new(clash, None).contains("parameters[0].name: 'acute_unmet' is a column of the results already"));
    let err = new(sampled, Some(usize::MAX / 2));
    assert!(
        err.contains("samples: a sweep of") && err.contains("above the limit"),
        "{err}"
    );
}

#[test]
fn specs_read_from_toml_and_json_agree_and_round_trip() {
    let toml = r#"
name = "t"
[[parameters]]
name = "consumption"
target = "consumption"
per = "county"
distribution = "lognormal"
mu = 0.0
sigma = 0.2
[[parameters]]
name = "stock"
target = "stock"
values = [0.5, 1.0]
"#;
    let json = r#"{"name": "t", "parameters": [
        {"name": "consumption", "target": "consumption", "per": "county", "distribution": "lognormal", "mu": 0, "sigma": 0.2},
        {"name": "stock", "target": "stock", "values": [0.5, 1.0]}]}"#;
    let a = SweepSpec::from_toml(toml).unwrap();
    assert_eq!(a, SweepSpec::from_json(json).unwrap());
    let text = serde_json::to_string(&a).unwrap();
    assert_eq!(serde_json::from_str::<SweepSpec>(&text).unwrap(), a);
    let err =
        SweepSpec::from_toml("[[parameters]]\nname = \"a\"\ntarget = \"stock\"\nvalues = [1]\nsd = -1\n").unwrap_err();
    assert!(
        err.to_string().contains("parameters[0].sd: not used by a grid"),
        "{err}"
    );
}

#[test]
fn summary_means_of_whole_numbers_are_exact() {
    // Whole-number metrics (units, counts): the mean is the exact sum over the count,
    // rounded once, whatever order a float sum would have taken.
    let chunk = run(&sweep(UNCERTAIN, Some(40), 3));
    let summary = chunk.summary().unwrap();
    let Column::Float(means) = &summary.column("mean").unwrap().data else {
        panic!()
    };
    let mut checked = 0;
    for (j, &mean) in means.iter().enumerate() {
        let col = chunk.metrics.column(j);
        if col.iter().all(|x| x.is_finite() && x.fract() == 0.0) {
            let sum: i128 = col.iter().map(|&x| x as i128).sum();
            assert_eq!(mean, sum as f64 / col.len() as f64, "{}", chunk.columns.metrics[j]);
            checked += 1;
        }
    }
    assert!(checked > 5, "{checked}");
}
