//! The testing-capacity plan end to end (validate, resolve, build the LP, solve every
//! lexicographic level with HiGHS, make it whole, check, assemble): Västmanland and
//! the whole-Sweden synthetic scenario (290 municipalities × 6 groups × 2 test types,
//! 100 sampling sites, 25 labs, 21 kit stores; target < 2 s).
//!
//! Run: `cargo bench --bench testing`.

use allocnet::test_capacity::plan_testing;
use allocnet::test_capacity::synthetic::{sweden_testing, vastmanland_testing, DEFAULT_SEED};
use criterion::{criterion_group, criterion_main, Criterion};
use std::hint::black_box;

fn testing(c: &mut Criterion) {
    let vm = vastmanland_testing().expect("embedded scenario");
    let se = sweden_testing(DEFAULT_SEED).expect("Sweden scenario");
    let mut group = c.benchmark_group("testing_plan");
    group.sample_size(10);
    group.bench_function("vastmanland", |b| b.iter(|| plan_testing(black_box(&vm)).unwrap()));
    group.bench_function("sweden_290_municipalities_100_sites_25_labs", |b| {
        b.iter(|| plan_testing(black_box(&se)).unwrap())
    });
    group.finish();
}

criterion_group!(benches, testing);
criterion_main!(benches);
