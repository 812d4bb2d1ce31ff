//! criterion benchmark "warm vs cold": the network simplex re-solving after the stock
//! and need changes of a sweep scenario, from the previous basis (`warm`, the repair
//! route) against a fresh solver on the same changed network (`cold`).
//!
//! Run with `cargo bench --bench flow_warm`; figures and their reading in
//! `BENCHMARKS.md`. Instances:
//!
//! * `vastmanland`, `sweden`: every item network of the county round
//!   (`allocnet::process::item_networks`, weighted costs) — one scenario re-solves all
//!   of them;
//! * `transshipment/10k`, `transshipment/100k`: generated networks (`flow::generate`).
//!
//! A scenario draws, per site (per node of the generated networks), a consumption
//! multiplier ~ lognormal(0, 0.25) and a stock shock (with probability 0.1 half of the
//! stock is lost): need capacities scale by the multiplier, giveable stock (donor
//! supply, its surplus and own-use arcs) by shock / multiplier, the sink takes the
//! balance. Generated networks: sources scale by the shock, sinks by the multiplier,
//! then the sinks are rescaled to balance. Synthetic draws from a fixed seed.
//!
//! Timed: `warm` = the `set_supply`/`set_bounds` calls of the next scenario + `solve()`
//! on solvers that solved the previous one (scenarios in turn); `cold` = `solve()` on
//! fresh solvers of the changed networks (their construction is untimed set-up).
//! Before timing, every scenario is solved both ways and must agree in status and cost,
//! with the warm answer passing the certificate; the pivots of both are printed.
//! Under `cargo test` (no `--bench`) each benchmark runs once and the 100k instance is
//! skipped.

use allocnet::flow::generate::{generate, Family, TransshipmentParams};
use allocnet::flow::{solve, verify_solution, Network, NetworkSimplex, Start, Status};
use allocnet::model::synthetic::{sweden, vastmanland_default};
use allocnet::process::item_networks::{round_networks, RoundNetwork};
use criterion::{criterion_group, criterion_main, BatchSize, Criterion};
use std::time::Duration;

/// Scenarios per instance (re-solved in turn).
const SCENARIOS: usize = 16;

fn measuring() -> bool {
    std::env::args().any(|arg| arg == "--bench")
}

/// The changes of one scenario to one network: new supplies and new upper bounds.
#[derive(Clone, Default)]
struct Changes {
    supplies: Vec<(u32, i64)>,
    uppers: Vec<(u32, i64)>,
}

impl Changes {
    fn apply_to_solver(&self, solver: &mut NetworkSimplex) {
        for &(v, s) in &self.supplies {
            solver.set_supply(v, s).unwrap();
        }
        for &(a, u) in &self.uppers {
            solver.set_bounds(a, 0, u).unwrap();
        }
    }

    fn apply_to_network(&self, net: &mut Network) {
        for &(v, s) in &self.supplies {
            net.set_supply(v, s).unwrap();
        }
        for &(a, u) in &self.uppers {
            net.set_bounds(a, 0, u).unwrap();
        }
    }
}

/// SplitMix64: a small seeded generator for the synthetic draws.
struct Draws(u64);

impl Draws {
    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in (0, 1).
    fn unit(&mut self) -> f64 {
        ((self.next_u64() >> 11) as f64 + 0.5) / (1u64 << 53) as f64
    }

    /// Lognormal(0, sigma) by Box–Muller.
    fn lognormal(&mut self, sigma: f64) -> f64 {
        let z = (-2.0 * self.unit().ln()).sqrt() * (std::f64::consts::TAU * self.unit()).cos();
        (sigma * z).exp()
    }

    /// (consumption multiplier, stock factor) of one site.
    fn site(&mut self) -> (f64, f64) {
        let consumption = self.lognormal(0.25);
        let stock = if self.unit() < 0.1 { 0.5 } else { 1.0 };
        (consumption, stock)
    }
}

fn scale(x: i64, factor: f64) -> i64 {
    (x as f64 * factor).round() as i64
}

/// One scenario's changes to a round network (see the module docs).
fn round_changes(rn: &RoundNetwork, draws: &mut Draws) -> Changes {
    let sites = rn
        .need_arcs
        .iter()
        .map(|&(_, s)| s + 1)
        .chain(rn.donors.iter().map(|d| d.site + 1))
        .max()
        .unwrap_or(0);
    let factors: Vec<(f64, f64)> = (0..sites).map(|_| draws.site()).collect();
    let net = &rn.network;
    let mut ch = Changes::default();
    for &(arc, site) in &rn.need_arcs {
        ch.uppers.push((arc, scale(net.upper()[arc as usize], factors[site].0)));
    }
    let mut total = 0;
    for d in &rn.donors {
        let (consumption, stock) = factors[d.site];
        let g = scale(net.supplies()[d.node as usize], stock / consumption);
        total += g;
        ch.supplies.push((d.node, g));
        ch.uppers.extend(d.stock_arcs.iter().map(|&a| (a, g)));
    }
    ch.supplies.push((rn.sink, -total));
    ch
}

/// One scenario's changes to a generated network (see the module docs).
fn generated_changes(net: &Network, draws: &mut Draws) -> Changes {
    let mut ch = Changes::default();
    let mut sinks = Vec::new();
    let (mut supply, mut demand) = (0i64, 0i64);
    for (v, &s) in net.supplies().iter().enumerate() {
        let (consumption, stock) = draws.site();
        if s > 0 {
            let x = scale(s, stock);
            supply += x;
            ch.supplies.push((v as u32, x));
        } else if s < 0 {
            let x = scale(-s, consumption).max(1);
            demand += x;
            sinks.push((v as u32, x));
        }
    }
    // Sinks rescaled to the supply; the rounding rest goes to the last sink.
    let mut placed = 0;
    for (i, &(v, x)) in sinks.iter().enumerate() {
        let d = if i + 1 == sinks.len() {
            supply - placed
        } else {
            (i128::from(x) * i128::from(supply) / i128::from(demand)) as i64
        };
        placed += d;
        ch.supplies.push((v, -d));
    }
    ch
}

/// An instance: its networks and, per scenario, the changes to each network.
struct Instance {
    label: &'static str,
    networks: Vec<Network>,
    scenarios: Vec<Vec<Changes>>,
    samples: usize,
}

fn round_instance(label: &'static str, networks: Vec<RoundNetwork>, samples: usize) -> Instance {
    let mut draws = Draws(11);
    let scenarios = (0..SCENARIOS)
        .map(|_| networks.iter().map(|rn| round_changes(rn, &mut draws)).collect())
        .collect();
    Instance {
        label,
        networks: networks.into_iter().map(|rn| rn.network).collect(),
        scenarios,
        samples,
    }
}

fn generated_instance(label: &'static str, nodes: usize, arcs: usize, samples: usize) -> Instance {
    let family = Family::Transshipment(TransshipmentParams {
        nodes,
        arcs,
        sources: (nodes / 100).max(10),
        sinks: (nodes / 100).max(10),
        ..TransshipmentParams::default()
    });
    let net = generate(&family, 1).unwrap();
    let mut draws = Draws(12);
    let scenarios = (0..SCENARIOS)
        .map(|_| vec![generated_changes(&net, &mut draws)])
        .collect();
    Instance {
        label,
        networks: vec![net],
        scenarios,
        samples,
    }
}

fn instances() -> Vec<Instance> {
    let vm = round_networks(&vastmanland_default().unwrap()).unwrap();
    let se = round_networks(&sweden(2020).unwrap()).unwrap();
    let mut out = vec![
        round_instance("vastmanland", vm, 50),
        round_instance("sweden", se, 20),
        generated_instance("transshipment/10k", 1_000, 10_000, 20),
    ];
    if measuring() {
        out.push(generated_instance("transshipment/100k", 5_000, 100_000, 10));
    }
    out
}

/// The changed networks of scenario `k`.
fn changed(instance: &Instance, k: usize) -> Vec<Network> {
    let mut nets = instance.networks.clone();
    for (net, ch) in nets.iter_mut().zip(&instance.scenarios[k]) {
        ch.apply_to_network(net);
    }
    nets
}

/// Solvers that have solved the base networks.
fn solved(instance: &Instance) -> Vec<NetworkSimplex> {
    instance
        .networks
        .iter()
        .map(|net| {
            let mut s = NetworkSimplex::new(net).unwrap();
            assert_eq!(s.solve().unwrap().status, Status::Optimal);
            s
        })
        .collect()
}

fn median(mut xs: Vec<u64>) -> u64 {
    xs.sort_unstable();
    xs[xs.len() / 2]
}

/// Untimed: every scenario warm (in turn) and cold agree, warm answers are certified;
/// prints the median pivots per scenario both ways and how the warm solves started.
fn check(instance: &Instance) {
    let mut warm = solved(instance);
    let (mut warm_pivots, mut cold_pivots, mut repaired) = (Vec::new(), Vec::new(), 0);
    for k in 0..SCENARIOS {
        let nets = changed(instance, k);
        let (mut wp, mut cp) = (0, 0);
        for ((solver, ch), net) in warm.iter_mut().zip(&instance.scenarios[k]).zip(&nets) {
            ch.apply_to_solver(solver);
            let w = solver.solve().unwrap();
            wp += solver.pivots();
            repaired += usize::from(solver.last_start() == Start::Repair);
            let mut fresh = NetworkSimplex::new(net).unwrap();
            let c = fresh.solve().unwrap();
            cp += fresh.pivots();
            assert_eq!(
                (w.status, w.cost),
                (c.status, c.cost),
                "{}: scenario {k}",
                instance.label
            );
            if w.status == Status::Optimal {
                assert!(verify_solution(net, &w).is_empty(), "{}: scenario {k}", instance.label);
            }
        }
        warm_pivots.push(wp);
        cold_pivots.push(cp);
    }
    eprintln!(
        "warm_vs_cold/{}: {} networks, {} nodes, {} arcs; median pivots per scenario warm {} vs cold {}; {} of {} warm solves repaired",
        instance.label,
        instance.networks.len(),
        instance.networks.iter().map(Network::node_count).sum::<usize>(),
        instance.networks.iter().map(Network::arc_count).sum::<usize>(),
        median(warm_pivots),
        median(cold_pivots),
        repaired,
        SCENARIOS * instance.networks.len(),
    );
}

fn bench_warm_vs_cold(c: &mut Criterion) {
    let mut group = c.benchmark_group("warm_vs_cold");
    for instance in instances() {
        check(&instance);
        group.sample_size(instance.samples.max(10));
        if !measuring() {
            group
                .warm_up_time(Duration::from_millis(1))
                .measurement_time(Duration::from_millis(1));
        }
        let label = instance.label;
        let mut warm = solved(&instance);
        let mut k = 0;
        group.bench_function(format!("{label}/warm"), |b| {
            b.iter(|| {
                k = (k + 1) % SCENARIOS;
                for (solver, ch) in warm.iter_mut().zip(&instance.scenarios[k]) {
                    ch.apply_to_solver(solver);
                    std::hint::black_box(solver.solve().unwrap());
                }
            })
        });
        let changed_all: Vec<Vec<Network>> = (0..SCENARIOS).map(|k| changed(&instance, k)).collect();
        let mut k = 0;
        group.bench_function(format!("{label}/cold"), |b| {
            b.iter_batched_ref(
                || {
                    k = (k + 1) % SCENARIOS;
                    changed_all[k]
                        .iter()
                        .map(|n| NetworkSimplex::new(n).unwrap())
                        .collect::<Vec<_>>()
                },
                |solvers| {
                    for s in solvers.iter_mut() {
                        std::hint::black_box(s.solve().unwrap());
                    }
                },
                BatchSize::SmallInput,
            )
        });
    }
    group.finish();
}

/// `cold_with_build`: [`flow::solve`] of each changed network, i.e. building the solver
/// too — what a sweep pays per scenario without re-solves.
fn bench_cold_with_build(c: &mut Criterion) {
    let mut group = c.benchmark_group("warm_vs_cold");
    for instance in instances() {
        group.sample_size(instance.samples.max(10));
        if !measuring() {
            group
                .warm_up_time(Duration::from_millis(1))
                .measurement_time(Duration::from_millis(1));
        }
        let changed_all: Vec<Vec<Network>> = (0..SCENARIOS).map(|k| changed(&instance, k)).collect();
        let mut k = 0;
        group.bench_function(format!("{}/cold_with_build", instance.label), |b| {
            b.iter(|| {
                k = (k + 1) % SCENARIOS;
                for net in &changed_all[k] {
                    std::hint::black_box(solve(net).unwrap());
                }
            })
        });
    }
    group.finish();
}

criterion_group!(benches, bench_warm_vs_cold, bench_cold_with_build);
criterion_main!(benches);
