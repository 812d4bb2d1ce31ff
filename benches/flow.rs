//! criterion benchmarks of the min-cost flow engines on generated instances.
//!
//! Run with `cargo bench --bench flow` (or `make bench`); results and their reading are
//! in `BENCHMARKS.md`. Groups:
//!
//! * `simplex`: [`flow::solve`] (network simplex, construction included, as the CLI
//!   times it) on transshipment and NETGEN-like instances of ~1k, ~100k and ~1M arcs.
//! * `lp`: [`engine::solve_with`]`(.., Engine::Lp)` (good_lp + HiGHS) on ~1k and ~20k arcs.
//! * `warm_start`: a [`NetworkSimplex`] that has solved an instance re-solves after 1% of
//!   the arc costs changed (`warm`), against a fresh solver on the same changed instance
//!   (`cold`). Only `solve()` is timed in both: the clone of the solved solver and the
//!   cost changes (warm) and the construction of the fresh solver (cold) are set-up.
//!
//! Every instance is generated outside the timed closure, and every benchmark first
//! solves once, untimed, and asserts that the status is optimal and that the solution
//! passes the independent certificate ([`verify_solution`]), so a broken engine cannot
//! produce a fast number. Warm and cold must also reach the same optimal cost.
//!
//! * `cost_scaling`: [`CostScaling`] (construction included) against the network
//!   simplex and against itself without price refinement, on real NETGEN (8 arcs per
//!   node, the `netgen-classic` instances of `benches/compare_peers.py`) with 131k arcs
//!   and a GOTO-like grid with 98k arcs (test mode: 8k and 3.5k arcs).
//!
//! **Test mode.** `cargo test --all-targets` runs this binary without `--bench`; criterion
//! then runs every benchmark once, in a debug build. To keep that quick, without
//! `--bench` the ~100k instances shrink to ~10k arcs, the ~1M instances are skipped, and
//! the LP engine runs on the ~1k instances only.
//! The checks above run in both modes.

use allocnet::engine::solve_with;
use allocnet::flow::generate::{generate, Family, NetgenParams, TransshipmentParams};
use allocnet::flow::generate::{goto_like, netgen_classic, ClassicNetgenParams, GridParams};
use allocnet::flow::{solve, verify_solution, CostScaling, Engine, FlowSolution, Network, NetworkSimplex, Status};
use criterion::{criterion_group, criterion_main, BatchSize, Criterion};
use std::time::Duration;

/// Seed of every generated instance (the same as in `benches/compare_peers.py`).
const SEED: u64 = 1;

/// True under `cargo bench` (criterion measures), false under `cargo test` (each
/// benchmark runs once, in debug: see the module docs).
fn measuring() -> bool {
    std::env::args().any(|arg| arg == "--bench")
}

/// Sources and sinks of an instance with `nodes` nodes: 1% of the nodes each, at
/// least 10 (the same rule as `benches/compare_peers.py`).
fn terminals(nodes: usize) -> usize {
    (nodes / 100).max(10)
}

/// A benchmark instance: a label, the generated network and criterion's sample size.
struct Instance {
    label: String,
    network: Network,
    samples: usize,
}

/// One size class: label, nodes, arcs, criterion samples.
struct Size {
    label: &'static str,
    nodes: usize,
    arcs: usize,
    samples: usize,
}

/// The sizes of the `simplex` group in this mode (see the module docs).
fn simplex_sizes() -> Vec<Size> {
    let size = |label, nodes, arcs, samples| Size {
        label,
        nodes,
        arcs,
        samples,
    };
    if measuring() {
        vec![
            size("1k", 100, 1_000, 100),
            size("100k", 5_000, 100_000, 20),
            size("1M", 20_000, 1_000_000, 10),
        ]
    } else {
        vec![size("1k", 100, 1_000, 10), size("10k-test-mode", 1_000, 10_000, 10)]
    }
}

fn transshipment_family(nodes: usize, arcs: usize) -> Family {
    Family::Transshipment(TransshipmentParams {
        nodes,
        arcs,
        sources: terminals(nodes),
        sinks: terminals(nodes),
        ..TransshipmentParams::default()
    })
}

fn netgen_family(nodes: usize, arcs: usize) -> Family {
    Family::Netgen(NetgenParams {
        nodes,
        arcs,
        sources: terminals(nodes),
        sinks: terminals(nodes),
        ..NetgenParams::default()
    })
}

/// Both families at every size in `sizes`.
fn instances(sizes: &[Size]) -> Vec<Instance> {
    let mut out = Vec::new();
    for size in sizes {
        for (name, family) in [
            ("transshipment", transshipment_family(size.nodes, size.arcs)),
            ("netgen", netgen_family(size.nodes, size.arcs)),
        ] {
            let network = generate(&family, SEED).unwrap_or_else(|e| panic!("generating {name}/{}: {e}", size.label));
            out.push(Instance {
                label: format!("{name}/{}", size.label),
                network,
                samples: size.samples,
            });
        }
    }
    out
}

/// Panics unless `solution` is optimal and certified for `network`.
fn assert_certified_optimal(what: &str, network: &Network, solution: &FlowSolution) {
    assert_eq!(solution.status, Status::Optimal, "{what}: not optimal");
    let violations = verify_solution(network, solution);
    assert!(
        violations.is_empty(),
        "{what}: certificate fails: {:?}",
        &violations[..violations.len().min(5)]
    );
}

fn bench_simplex(c: &mut Criterion) {
    let mut group = c.benchmark_group("simplex");
    for instance in instances(&simplex_sizes()) {
        let network = &instance.network;
        let solution = solve(network).unwrap_or_else(|e| panic!("{}: {e}", instance.label));
        assert_certified_optimal(&instance.label, network, &solution);
        group.sample_size(instance.samples);
        group.bench_function(&instance.label, |b| b.iter(|| solve(network).unwrap()));
    }
    group.finish();
}

fn bench_lp(c: &mut Criterion) {
    let mut sizes = vec![Size {
        label: "1k",
        nodes: 100,
        arcs: 1_000,
        samples: 20,
    }];
    if measuring() {
        sizes.push(Size {
            label: "20k",
            nodes: 1_000,
            arcs: 20_000,
            samples: 10,
        });
    }
    let mut group = c.benchmark_group("lp");
    group.measurement_time(Duration::from_secs(10));
    for instance in instances(&sizes) {
        let network = &instance.network;
        let solution = solve_with(network, Engine::Lp).unwrap_or_else(|e| panic!("{} (LP): {e}", instance.label));
        assert_certified_optimal(&format!("{} (LP)", instance.label), network, &solution);
        let simplex = solve(network).unwrap_or_else(|e| panic!("{}: {e}", instance.label));
        assert_eq!(
            solution.cost, simplex.cost,
            "{}: LP and simplex disagree",
            instance.label
        );
        group.sample_size(instance.samples);
        group.bench_function(&instance.label, |b| b.iter(|| solve_with(network, Engine::Lp).unwrap()));
    }
    group.finish();
}

/// The cost changes of the warm-start benchmark: `percent`% of the arcs, spread evenly
/// (every `100 / percent`-th arc), get a new cost drawn deterministically from the
/// instance's cost range 1..=100 (the generator's default), different from the old one.
fn cost_changes(network: &Network, percent: usize) -> Vec<(u32, i64)> {
    let step = 100 / percent;
    let mut state: u64 = 0x2545_F491_4F6C_DD1D;
    (0..network.arc_count())
        .step_by(step)
        .map(|arc| {
            // xorshift64: a fixed, reproducible sequence.
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            let old = network.costs()[arc];
            let mut new = 1 + (state % 100) as i64;
            if new == old {
                new = if old < 100 { old + 1 } else { old - 1 };
            }
            (arc as u32, new)
        })
        .collect()
}

/// Solves and hands the solver back, so that criterion drops it outside the timing.
fn solve_keeping_solver(mut solver: NetworkSimplex) -> (NetworkSimplex, FlowSolution) {
    let solution = solver.solve().unwrap();
    (solver, solution)
}

fn bench_warm_start(c: &mut Criterion) {
    let sizes = if measuring() {
        vec![
            Size {
                label: "100k",
                nodes: 5_000,
                arcs: 100_000,
                samples: 20,
            },
            Size {
                label: "1M",
                nodes: 20_000,
                arcs: 1_000_000,
                samples: 10,
            },
        ]
    } else {
        vec![Size {
            label: "10k-test-mode",
            nodes: 1_000,
            arcs: 10_000,
            samples: 10,
        }]
    };
    let mut group = c.benchmark_group("warm_start");
    for instance in instances(&sizes) {
        let label = &instance.label;
        let mut solved = NetworkSimplex::new(&instance.network).unwrap();
        let first = solved.solve().unwrap();
        assert_certified_optimal(label, &instance.network, &first);

        let changes = cost_changes(&instance.network, 1);
        let mut changed = instance.network.clone();
        for &(arc, cost) in &changes {
            changed.set_cost(arc, cost).unwrap();
        }
        let warm_solver = || {
            let mut solver = solved.clone();
            for &(arc, cost) in &changes {
                solver.set_cost(arc, cost).unwrap();
            }
            solver
        };
        let cold_solver = || NetworkSimplex::new(&changed).unwrap();

        // Untimed checks: both reach the same certified optimum.
        let (mut warm, mut cold) = (warm_solver(), cold_solver());
        let (warm_solution, cold_solution) = (warm.solve().unwrap(), cold.solve().unwrap());
        assert_certified_optimal(&format!("{label} warm"), &changed, &warm_solution);
        assert_certified_optimal(&format!("{label} cold"), &changed, &cold_solution);
        assert_eq!(
            warm_solution.cost, cold_solution.cost,
            "{label}: warm and cold disagree"
        );
        eprintln!(
            "warm_start/{label}: {} arc costs changed; pivots warm {} vs cold {} (first solve {})",
            changes.len(),
            warm.pivots(),
            cold.pivots(),
            solved.pivots()
        );

        group.sample_size(instance.samples);
        group.bench_function(format!("{label}/warm"), |b| {
            b.iter_batched(warm_solver, solve_keeping_solver, BatchSize::PerIteration)
        });
        group.bench_function(format!("{label}/cold"), |b| {
            b.iter_batched(cold_solver, solve_keeping_solver, BatchSize::PerIteration)
        });
    }
    group.finish();
}

/// The `cost_scaling` group's instances: real NETGEN and a GOTO-like grid (the seeds
/// of `benches/compare_peers.py`).
fn cost_scaling_instances() -> Vec<(String, Network)> {
    let (nodes, side) = if measuring() { (16_384, 128) } else { (1_024, 24) };
    let grid = GridParams {
        rows: side,
        cols: side,
        ..GridParams::default()
    };
    let netgen = netgen_classic(&ClassicNetgenParams::sparse(nodes), 13_502_460).unwrap();
    let goto = goto_like(&grid, SEED).unwrap();
    [("netgen-classic", netgen), ("goto", goto)]
        .into_iter()
        .map(|(name, net)| (format!("{name}/{}", net.arc_count()), net))
        .collect()
}

/// Cost scaling from a [`Network`] to its solution, price refinement on or off.
fn cost_scaling(network: &Network, price_refinement: bool) -> FlowSolution {
    let mut solver = CostScaling::new(network).unwrap();
    solver.set_price_refinement(price_refinement);
    solver.solve().unwrap()
}

fn bench_cost_scaling(c: &mut Criterion) {
    let mut group = c.benchmark_group("cost_scaling");
    group.sample_size(10);
    for (label, network) in cost_scaling_instances() {
        let network = &network;
        let scaled = cost_scaling(network, true);
        assert_certified_optimal(&format!("{label} (cost scaling)"), network, &scaled);
        let plain = cost_scaling(network, false);
        assert_certified_optimal(&format!("{label} (no price refinement)"), network, &plain);
        let simplex = solve(network).unwrap();
        assert_eq!(scaled.cost, simplex.cost, "{label}: engines disagree");
        assert_eq!(plain.cost, simplex.cost, "{label}: engines disagree");
        group.bench_function(format!("{label}/cost-scaling"), |b| {
            b.iter(|| cost_scaling(network, true))
        });
        group.bench_function(format!("{label}/no-price-refinement"), |b| {
            b.iter(|| cost_scaling(network, false))
        });
        group.bench_function(format!("{label}/simplex"), |b| b.iter(|| solve(network).unwrap()));
    }
    group.finish();
}

criterion_group!(benches, bench_simplex, bench_lp, bench_warm_start, bench_cost_scaling);
criterion_main!(benches);
