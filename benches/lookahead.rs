//! The lookahead round (7 days, meetings Mon/Wed/Fri, default lead times): Västmanland
//! (15 sites, 10 items; target < 20 ms) and Sweden's 290 municipalities (10 items;
//! target < 300 ms); and a 4-week simulation of Sweden with lookahead rounds (target
//! < 5 s). All figures are on SYNTHETIC stock and consumption.
//!
//! Run: `cargo bench --bench lookahead`.

use allocnet::flow::Engine;
use allocnet::lookahead::rolling::RoundMode;
use allocnet::lookahead::{run_lookahead, LookaheadOptions};
use allocnet::model::synthetic::{sweden, vastmanland_default};
use allocnet::process::simulate::{simulate, SimulationOptions};
use criterion::{criterion_group, criterion_main, Criterion};
use std::hint::black_box;
use std::time::Duration;

/// True under `cargo bench` (criterion measures), false under `cargo test` (each
/// benchmark runs once, in debug: the 4-week Sweden simulation is left out there).
fn measuring() -> bool {
    std::env::args().any(|arg| arg == "--bench")
}

fn lookahead(c: &mut Criterion) {
    let options = LookaheadOptions::default();
    let vm = vastmanland_default().expect("embedded scenario");
    let se = sweden(2020).expect("Sweden scenario");
    let mut group = c.benchmark_group("lookahead");
    group.sample_size(20);
    group.bench_function("vastmanland_7_days", |b| {
        b.iter(|| run_lookahead(black_box(&vm), &options, Engine::default()).unwrap())
    });
    group.bench_function("sweden_7_days", |b| {
        b.iter(|| run_lookahead(black_box(&se), &options, Engine::default()).unwrap())
    });
    if !measuring() {
        group.finish();
        return;
    }
    group.sample_size(10).measurement_time(Duration::from_secs(30));
    let sim = SimulationOptions {
        weeks: 4,
        round_mode: RoundMode::Lookahead,
        ..SimulationOptions::default()
    };
    group.bench_function("sweden_simulation_4_weeks_lookahead", |b| {
        b.iter(|| simulate(black_box(&se), &sim, &mut |_| Ok(())).unwrap())
    });
    group.finish();
}

criterion_group!(benches, lookahead);
criterion_main!(benches);
