//! The weekly process on all of Sweden: one simulated week (290 municipalities, 10
//! items, 3 meetings = 3 county rounds + 3 national rounds, consumption and deliveries
//! every day; target < 1 s), and one national round on its own.
//!
//! Run: `cargo bench --bench national`.

use allocnet::model::synthetic::sweden;
use allocnet::process::national_round::default_depots;
use allocnet::process::simulate::{default_warehouses, simulate, SimulationOptions};
use allocnet::process::{run_county_round, run_national_round, NationalRound, Policy, RoundOptions};
use criterion::{criterion_group, criterion_main, Criterion};
use std::hint::black_box;

fn national(c: &mut Criterion) {
    let se = sweden(2020).expect("Sweden scenario");
    let mut group = c.benchmark_group("national");
    group.sample_size(10);
    for policy in [Policy::Optimal, Policy::MaxMin] {
        let options = SimulationOptions {
            weeks: 1,
            policy,
            ..SimulationOptions::default()
        };
        group.bench_function(format!("sweden_week_{}", policy.as_str()), |b| {
            b.iter(|| simulate(black_box(&se), &options, &mut |_| Ok(())).unwrap())
        });
    }
    let plan = run_county_round(&se, &RoundOptions::default()).expect("county round");
    let round = NationalRound {
        priority_classes: plan.priority_classes.clone(),
        counties: default_depots(&se).expect("depots"),
        warehouses: default_warehouses(&se, 0.5),
        requests: plan.requests.clone(),
        sites: se.sites.clone(),
        detour_factor: se.parameters.detour_factor,
    };
    for policy in Policy::ALL {
        group.bench_function(format!("national_round_{}", policy.as_str()), |b| {
            b.iter(|| run_national_round(black_box(&round), policy).unwrap())
        });
    }
    group.finish();
}

criterion_group!(benches, national);
criterion_main!(benches);
