//! The county round with logistics data (issue 16), built-in SYNTHETIC packs, volumes,
//! minimum loads, substitutes and a 1 000 l van:
//! Västmanland with packs alone (network simplex), with packs + trips + substitutes
//! (the MIP; target < 200 ms), and all 21 Swedish counties with the MIP (target < 3 s
//! on 2 cores).
//!
//! Run: `cargo bench --bench trips`. `TRIPS_BENCH_SWEDEN=1` adds Sweden (minutes).

use allocnet::model::synthetic::{sweden, vastmanland_default};
use allocnet::trips::{builtin_logistics, run_trips_round, Logistics, TripsOptions};
use criterion::{criterion_group, criterion_main, Criterion};
use std::hint::black_box;

fn packs_only(full: &Logistics) -> Logistics {
    let mut items = full.items.clone();
    for i in &mut items {
        i.min_packs = 0;
    }
    Logistics {
        items,
        substitutes: Vec::new(),
        vehicle: None,
        synthetic: true,
        substitutes_rank: None,
    }
}

/// True under `cargo bench` (criterion measures), false under `cargo test` (each
/// benchmark runs once, in debug: the MIP cases are left out there; `tests/trips_mip.rs`
/// covers them).
fn measuring() -> bool {
    std::env::args().any(|arg| arg == "--bench")
}

fn trips(c: &mut Criterion) {
    let options = TripsOptions::default();
    let vm = vastmanland_default().expect("embedded scenario");
    let full = builtin_logistics();
    let packs = packs_only(&full);
    let mut group = c.benchmark_group("trips");
    group.sample_size(10);
    group.bench_function("vastmanland_packs", |b| {
        b.iter(|| run_trips_round(black_box(&vm), &packs, &options).unwrap())
    });
    if !measuring() {
        group.finish();
        return;
    }
    group.bench_function("vastmanland_packs_trips_substitutes", |b| {
        b.iter(|| run_trips_round(black_box(&vm), &full, &options).unwrap())
    });
    if std::env::var("TRIPS_BENCH_SWEDEN").as_deref() == Ok("1") {
        let se = sweden(2020).expect("Sweden scenario");
        group.bench_function("sweden_21_counties_packs_trips_substitutes", |b| {
            b.iter(|| run_trips_round(black_box(&se), &full, &options).unwrap())
        });
    }
    group.finish();
}

criterion_group!(benches, trips);
criterion_main!(benches);
