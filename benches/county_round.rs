//! The county round end to end (resolve + plan every item + reasons + request):
//! Västmanland (15 sites, 10 items; target < 10 ms) and all of Sweden's 290
//! municipalities with lanes within each county (10 items; target < 100 ms).
//!
//! Run: `cargo bench --bench county_round`.

use allocnet::model::synthetic::{sweden, vastmanland_default};
use allocnet::process::{run_county_round, run_resolved, RoundOptions};
use criterion::{criterion_group, criterion_main, Criterion};
use std::hint::black_box;

fn county_round(c: &mut Criterion) {
    let options = RoundOptions::default();
    let vm = vastmanland_default().expect("embedded scenario");
    let se = sweden(2020).expect("Sweden scenario");
    let se_resolved = se.resolve().expect("valid");
    let mut group = c.benchmark_group("county_round");
    group.sample_size(30);
    group.bench_function("vastmanland_10_items", |b| {
        b.iter(|| run_county_round(black_box(&vm), &options).unwrap())
    });
    group.bench_function("sweden_290_sites_10_items", |b| {
        b.iter(|| run_county_round(black_box(&se), &options).unwrap())
    });
    group.bench_function("sweden_290_sites_10_items_resolved", |b| {
        b.iter(|| run_resolved(black_box(&se_resolved), &options).unwrap())
    });
    group.bench_function("sweden_resolve_only", |b| b.iter(|| black_box(&se).resolve().unwrap()));
    group.finish();
}

criterion_group!(benches, county_round);
criterion_main!(benches);
