//! The cost-scaling engine against the network simplex and the LP engine (an
//! independent route through HiGHS): on random networks (infeasible, unbounded, lower
//! bounds, parallel arcs, self-loops, negative costs, infinite capacities) all agree
//! on status and optimal cost, and every optimal answer passes the certificate.

use allocnet::engine::{flow_engine, solve_with};
use allocnet::flow::{verify_solution, CostScaling, Engine, FlowSolution, Network, NetworkSimplex, Status, INFINITE};
use allocnet::Error;
use proptest::prelude::*;

mod common;
use common::networks::network;

fn check(net: &Network, s: &FlowSolution) -> Result<(), TestCaseError> {
    if s.status == Status::Optimal {
        let violations = verify_solution(net, s);
        prop_assert!(violations.is_empty(), "certificate: {:?}", violations);
    } else {
        prop_assert_eq!(s.cost, None);
        prop_assert!(s.flows.is_empty() && s.potentials.is_empty());
    }
    Ok(())
}

/// A network of `supplies.len()` nodes whose supplies are made to balance (node 0
/// takes the difference) and whose arcs are `(tail, head, upper, cost)`.
fn balanced(mut supplies: Vec<i64>, arcs: impl Iterator<Item = (u32, u32, i64, i64)>) -> Network {
    let sum: i64 = supplies.iter().sum();
    supplies[0] -= sum;
    let mut net = Network::with_nodes(supplies.len());
    for (v, s) in supplies.into_iter().enumerate() {
        net.set_supply(v as u32, s).unwrap();
    }
    for (t, h, upper, cost) in arcs {
        net.add_arc(t, h, upper, cost);
    }
    net
}

/// A larger random network than `network()`: up to 60 nodes, wider costs and
/// capacities, so that several scaling phases run.
fn wide_network() -> impl Strategy<Value = Network> {
    (2usize..60).prop_flat_map(|n| {
        let arc = (
            0..n as u32,
            0..n as u32,
            -50i64..1000,
            0i64..40,
            prop::bool::weighted(0.1),
        );
        let arcs = prop::collection::vec(arc, n..=6 * n);
        let supplies = prop::collection::vec(-30i64..31, n);
        (arcs, supplies).prop_map(move |(arcs, supplies)| {
            // Infinite arcs only with non-negative cost here: mostly bounded.
            balanced(
                supplies,
                arcs.into_iter().map(|(t, h, cost, cap, infinite)| {
                    (t, h, if infinite && cost >= 0 { INFINITE } else { cap }, cost)
                }),
            )
        })
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 600, ..ProptestConfig::default() })]

    #[test]
    fn cost_scaling_agrees_with_simplex_and_lp(net in network()) {
        let mut cs = CostScaling::new(&net).unwrap();
        let scaled = cs.solve().unwrap();
        check(&net, &scaled)?;
        let simplex = NetworkSimplex::new(&net).unwrap().solve().unwrap();
        prop_assert_eq!(scaled.status, simplex.status);
        prop_assert_eq!(scaled.cost, simplex.cost);
        let lp = solve_with(&net, Engine::Lp).unwrap();
        prop_assert_eq!(scaled.status, lp.status);
        prop_assert_eq!(scaled.cost, lp.cost);
        // The price floor is reached only on infeasible problems.
        prop_assert!(!cs.fell_back() || scaled.status == Status::Infeasible);
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    #[test]
    fn cost_scaling_agrees_on_wider_networks(net in wide_network()) {
        let mut cs = CostScaling::new(&net).unwrap();
        let scaled = cs.solve().unwrap();
        check(&net, &scaled)?;
        let simplex = NetworkSimplex::new(&net).unwrap().solve().unwrap();
        prop_assert_eq!(scaled.status, simplex.status);
        prop_assert_eq!(scaled.cost, simplex.cost);
        prop_assert!(!cs.fell_back() || scaled.status == Status::Infeasible);
        // Deterministic: a second solve gives the same answer, bit for bit.
        prop_assert_eq!(&cs.solve().unwrap(), &scaled);
        // These numbers fit 32-bit arc records; 64-bit ones give the same answer, bit
        // for bit (the same steps in another width).
        prop_assert!(cs.compact_arcs());
        let mut wide = CostScaling::new(&net).unwrap();
        wide.set_compact_arcs(false);
        prop_assert_eq!(&wide.solve().unwrap(), &scaled);
        prop_assert!(!wide.compact_arcs());
        // Without price refinement, or without global updates, or neither: the same
        // status and cost (the flow may be another optimum), and the certificate.
        for (refine, update) in [(false, true), (true, false), (false, false)] {
            let mut other = CostScaling::new(&net).unwrap();
            other.set_price_refinement(refine);
            other.set_global_update(update);
            let s = other.solve().unwrap();
            check(&net, &s)?;
            prop_assert_eq!(s.status, scaled.status);
            prop_assert_eq!(s.cost, scaled.cost);
            prop_assert!(!other.fell_back() || s.status == Status::Infeasible);
            prop_assert!(refine || other.refined_phases() == 0);
        }
    }
}

/// Like `wide_network()` but with numbers around the 32-bit limits: scaled costs
/// (`|cost| · (n + 1)`) and capacities on both sides of `i32::MAX`, so that solves
/// run in either width of arc record.
fn big_number_network() -> impl Strategy<Value = Network> {
    (2usize..30).prop_flat_map(|n| {
        let big = 1i64 << 31;
        let arc = (
            0..n as u32,
            0..n as u32,
            -big / 8..big / 8,
            0..2 * big,
            prop::bool::weighted(0.1),
        );
        let arcs = prop::collection::vec(arc, n..=5 * n);
        let supplies = prop::collection::vec(-big..big, n);
        (arcs, supplies, prop::bool::ANY).prop_map(move |(arcs, supplies, small)| {
            let supplies: Vec<i64> = supplies.into_iter().map(|s| if small { s >> 12 } else { s }).collect();
            balanced(
                supplies,
                arcs.into_iter().map(|(t, h, cost, cap, infinite)| {
                    let upper = if infinite && cost >= 0 { INFINITE } else { cap };
                    if small && upper != INFINITE {
                        (t, h, upper >> 12, cost / (n as i64 + 1))
                    } else {
                        (t, h, upper, cost)
                    }
                }),
            )
        })
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 150, ..ProptestConfig::default() })]

    #[test]
    fn cost_scaling_agrees_with_big_numbers_in_either_width(net in big_number_network()) {
        let mut cs = CostScaling::new(&net).unwrap();
        let scaled = cs.solve().unwrap();
        check(&net, &scaled)?;
        let simplex = NetworkSimplex::new(&net).unwrap().solve().unwrap();
        prop_assert_eq!(scaled.status, simplex.status);
        prop_assert_eq!(scaled.cost, simplex.cost);
        prop_assert!(!cs.fell_back() || scaled.status == Status::Infeasible);
        let mut wide = CostScaling::new(&net).unwrap();
        wide.set_compact_arcs(false);
        prop_assert_eq!(&wide.solve().unwrap(), &scaled);
        prop_assert!(!wide.compact_arcs());
    }
}

/// The width of the arc records follows the numbers of each solve: 32-bit while every
/// capacity and scaled cost fits, 64-bit from one past the limit on, and back.
#[test]
fn arc_records_switch_width_with_the_numbers() {
    // 3 nodes: scale 4; a cost of 2^29 scales to 2^31, one past i32::MAX.
    let mut net = Network::with_nodes(3);
    net.set_supply(0, 10).unwrap();
    net.set_supply(2, -10).unwrap();
    net.add_arc(0, 2, 6, 5);
    net.add_arc(0, 1, 20, 1);
    net.add_arc(1, 2, 20, 1);
    let mut cs = CostScaling::new(&net).unwrap();
    let limit = i64::from(i32::MAX) / 4;
    let steps: [(u32, i64, i64, bool); 5] = [
        (0, 6, 5, true),
        (0, 6, limit, true),
        (0, 6, limit + 1, false),
        (0, i64::from(i32::MAX) + 1, 5, false),
        (0, i64::from(i32::MAX), -limit, true),
    ];
    for (arc, upper, cost, compact) in steps {
        use allocnet::flow::FlowEngine;
        cs.set_bounds(arc, 0, upper).unwrap();
        cs.set_cost(arc, cost).unwrap();
        net.set_bounds(arc, 0, upper).unwrap();
        net.set_cost(arc, cost).unwrap();
        let s = cs.solve().unwrap();
        assert_eq!(cs.compact_arcs(), compact, "capacity {upper}, cost {cost}");
        let simplex = NetworkSimplex::new(&net).unwrap().solve().unwrap();
        assert_eq!(s.cost, simplex.cost, "capacity {upper}, cost {cost}");
        assert!(verify_solution(&net, &s).is_empty());
    }
}

/// Price refinement skips phases on real NETGEN and GOTO-like instances (so the
/// property test above exercises it), and the answers stay exact.
#[test]
fn price_refinement_skips_phases_and_stays_exact() {
    use allocnet::flow::generate::{goto_like, netgen_classic, ClassicNetgenParams, GridParams};
    let grid = GridParams {
        rows: 24,
        cols: 24,
        extra_arcs_per_node: 4,
        ..GridParams::default()
    };
    let instances = [
        netgen_classic(&ClassicNetgenParams::sparse(400), 13502460).unwrap(),
        goto_like(&grid, 3).unwrap(),
    ];
    for net in instances {
        let simplex = NetworkSimplex::new(&net).unwrap().solve().unwrap();
        assert_eq!(simplex.status, Status::Optimal);
        let mut with = CostScaling::new(&net).unwrap();
        let refined = with.solve().unwrap();
        assert!(with.refined_phases() > 0, "no phase skipped");
        assert!(verify_solution(&net, &refined).is_empty());
        assert_eq!(refined.cost, simplex.cost);
        let mut without = CostScaling::new(&net).unwrap();
        without.set_price_refinement(false);
        let plain = without.solve().unwrap();
        assert_eq!(without.refined_phases(), 0);
        assert_eq!(plain.cost, simplex.cost);
        assert!(
            with.relabels() < without.relabels(),
            "{} vs {}",
            with.relabels(),
            without.relabels()
        );
    }
}

#[test]
fn grid_families_are_feasible_deterministic_and_engines_agree() {
    use allocnet::flow::generate::{goto_like, gridgen_like, GridParams};
    for (rows, cols, extra) in [(2, 2, 0), (5, 7, 2), (20, 30, 4)] {
        let p = GridParams {
            rows,
            cols,
            extra_arcs_per_node: extra,
            sources: 2,
            sinks: 2,
            ..GridParams::default()
        };
        for (net, again) in [
            (gridgen_like(&p, 11).unwrap(), gridgen_like(&p, 11).unwrap()),
            (goto_like(&p, 11).unwrap(), goto_like(&p, 11).unwrap()),
        ] {
            assert_eq!(net, again);
            assert_eq!(net.supply_balance(), 0);
            let simplex = NetworkSimplex::new(&net).unwrap().solve().unwrap();
            assert_eq!(simplex.status, Status::Optimal);
            let scaled = CostScaling::new(&net).unwrap().solve().unwrap();
            assert!(verify_solution(&net, &scaled).is_empty());
            assert_eq!(scaled.cost, simplex.cost);
        }
    }
    let bad = GridParams {
        rows: 1,
        max_cost: -1,
        ..GridParams::default()
    };
    let err = gridgen_like(&bad, 1).unwrap_err().to_string();
    assert!(
        err.contains("gridgen.rows") && err.contains("gridgen.max_cost"),
        "{err}"
    );
}

#[test]
fn every_engine_name_parses_and_solves() {
    let mut net = Network::with_nodes(3);
    net.set_supply(0, 4).unwrap();
    net.set_supply(2, -4).unwrap();
    net.add_arc(0, 1, 3, 1);
    net.add_arc(1, 2, 10, 1);
    net.add_arc(0, 2, 10, 5);
    for name in ["auto", "simplex", "cost-scaling", "lp"] {
        let engine: Engine = name.parse().unwrap();
        assert_eq!(engine.as_str(), name);
        let s = solve_with(&net, engine).unwrap();
        assert_eq!(s.cost, Some(3 * 2 + 5), "{name}");
        let mut e = flow_engine(&net, engine).unwrap();
        assert_eq!(e.solve().unwrap().cost, Some(11), "{name}");
    }
    assert_eq!(Engine::default(), Engine::Auto);
    let err = "costscaling".parse::<Engine>().unwrap_err().to_string();
    assert!(err.contains("cost-scaling"), "{err}");
}

#[test]
fn unbounded_infeasible_and_empty() {
    // A negative cycle of infinite arcs on a feasible problem: unbounded.
    let mut net = Network::with_nodes(2);
    net.add_arc(0, 1, INFINITE, -1);
    net.add_arc(1, 0, INFINITE, 0);
    assert_eq!(
        CostScaling::new(&net).unwrap().solve().unwrap().status,
        Status::Unbounded
    );
    // The same cycle with a finite arc: bounded.
    net.set_bounds(1, 0, 7).unwrap();
    let s = CostScaling::new(&net).unwrap().solve().unwrap();
    assert_eq!(s.cost, Some(-7));
    // Infeasible with the cycle present: infeasible, not unbounded.
    let mut bad = net.clone();
    bad.set_bounds(1, 0, INFINITE).unwrap();
    bad.set_supply(0, 5).unwrap();
    bad.set_supply(1, -4).unwrap();
    assert_eq!(
        CostScaling::new(&bad).unwrap().solve().unwrap().status,
        Status::Infeasible
    );
    // Balanced supplies that cannot be shipped: infeasible.
    let mut cut = Network::with_nodes(3);
    cut.set_supply(0, 5).unwrap();
    cut.set_supply(2, -5).unwrap();
    cut.add_arc(0, 1, 10, 1);
    cut.add_arc(1, 0, 10, 1);
    let mut cs = CostScaling::new(&cut).unwrap();
    assert_eq!(cs.solve().unwrap().status, Status::Infeasible);
    let empty = Network::new();
    assert_eq!(CostScaling::new(&empty).unwrap().solve().unwrap().cost, Some(0));
}

#[test]
fn overflow_is_an_error_and_auto_falls_back_to_the_simplex() {
    let mut net = Network::with_nodes(2);
    net.set_supply(0, 1).unwrap();
    net.set_supply(1, -1).unwrap();
    net.add_arc(0, 1, 1, CostScaling::max_cost(2) + 1);
    let err = CostScaling::new(&net).unwrap().solve().unwrap_err();
    assert!(matches!(err, Error::Overflow(_)), "{err}");
    assert!(!CostScaling::fits(&net));
    assert_eq!(Engine::Auto.resolve(&net), Engine::Simplex);
    let mut wide = Network::with_nodes(2);
    wide.set_supply(0, i64::MAX / 2).unwrap();
    wide.set_supply(1, -(i64::MAX / 2)).unwrap();
    wide.add_arc(0, 1, INFINITE, 1);
    wide.add_arc(1, 0, INFINITE, 1);
    assert!(matches!(
        CostScaling::new(&wide).unwrap().solve(),
        Err(Error::Overflow(_))
    ));
}

#[test]
fn bad_input_is_refused_with_its_place() {
    let mut net = Network::with_nodes(2);
    net.add_arc(0, 5, 1, 1);
    let err = CostScaling::new(&net).unwrap_err().to_string();
    assert!(err.contains("arc 0 (head)"), "{err}");
    let mut ok = Network::with_nodes(2);
    ok.add_arc(0, 1, 1, 1);
    let mut cs = CostScaling::new(&ok).unwrap();
    use allocnet::flow::FlowEngine;
    assert!(cs.set_bounds(0, 3, 1).is_err());
    assert!(cs.set_cost(4, 1).is_err());
    assert!(cs.set_supply(0, i64::MIN).is_err());
}

#[test]
fn auto_picks_cost_scaling_only_for_large_sparse_networks() {
    let n = 300_000u32;
    let mut sparse = Network::with_nodes(n as usize);
    for v in 0..n {
        for k in 1..=7 {
            sparse.add_arc(v, (v + k) % n, 10, i64::from(k));
        }
    }
    assert!(sparse.arc_count() >= allocnet::flow::AUTO_MIN_ARCS);
    assert_eq!(Engine::Auto.resolve(&sparse), Engine::CostScaling);
    let mut smaller = Network::with_nodes(20_000);
    for v in 0..20_000u32 {
        for k in 1..=6 {
            smaller.add_arc(v, (v + k) % 20_000, 10, i64::from(k));
        }
    }
    assert_eq!(Engine::Auto.resolve(&smaller), Engine::Simplex);
    let mut dense = Network::with_nodes(2_000);
    for v in 0..2_000u32 {
        for k in 1..=60 {
            dense.add_arc(v, (v + k) % 2_000, 10, i64::from(k));
        }
    }
    assert_eq!(Engine::Auto.resolve(&dense), Engine::Simplex);
    assert_eq!(Engine::CostScaling.resolve(&dense), Engine::CostScaling);
}

#[test]
fn auto_takes_cost_scaling_on_one_source_one_sink() {
    use allocnet::engine::solve_owned;
    use allocnet::flow::generate::{goto_like, GridParams};
    use allocnet::flow::AUTO_MIN_ARCS_ONE_PAIR;
    // A GOTO-like torus of 80 × 80 nodes: 38 400 arcs, one source and one sink.
    let grid = |side| GridParams {
        rows: side,
        cols: side,
        ..GridParams::default()
    };
    let net = goto_like(&grid(80), 1).unwrap();
    assert!(net.arc_count() >= AUTO_MIN_ARCS_ONE_PAIR && net.arc_count() < allocnet::flow::AUTO_MIN_ARCS);
    assert_eq!(Engine::Auto.resolve(&net), Engine::CostScaling);
    assert_eq!(flow_engine(&net, Engine::Auto).unwrap().name(), "cost-scaling");
    let auto = solve_with(&net, Engine::Auto).unwrap();
    assert_eq!(auto.status, Status::Optimal);
    assert!(verify_solution(&net, &auto).is_empty());
    assert_eq!(auto, CostScaling::new(&net).unwrap().solve().unwrap());
    // The same answer, bit for bit, from every route and thread.
    let answers: Vec<FlowSolution> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..3)
            .map(|_| s.spawn(|| solve_owned(net.clone(), Engine::Auto).unwrap()))
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    assert!(answers.iter().all(|a| *a == auto));

    // A second source, a smaller torus, or a denser network: the simplex.
    let mut two_sources = net.clone();
    let total = two_sources.supplies()[0];
    two_sources.set_supply(0, total - 1).unwrap();
    two_sources.set_supply(1, 1).unwrap();
    assert_eq!(Engine::Auto.resolve(&two_sources), Engine::Simplex);
    let small = goto_like(&grid(64), 1).unwrap();
    assert!(small.arc_count() < AUTO_MIN_ARCS_ONE_PAIR);
    assert_eq!(Engine::Auto.resolve(&small), Engine::Simplex);
    let dense = goto_like(
        &GridParams {
            extra_arcs_per_node: 16,
            ..grid(50)
        },
        1,
    )
    .unwrap();
    assert!(dense.arc_count() >= AUTO_MIN_ARCS_ONE_PAIR);
    assert_eq!(Engine::Auto.resolve(&dense), Engine::Simplex);
    let mut circulation = net.clone();
    circulation.set_supply(0, 0).unwrap();
    let sink = circulation.supplies().iter().position(|&s| s < 0).unwrap();
    circulation.set_supply(sink as u32, 0).unwrap();
    assert_eq!(Engine::Auto.resolve(&circulation), Engine::Simplex);
}

/// Arc fixing fixes arcs on NETGEN and GOTO-like instances; with factors far below the
/// default some fixed arcs must be restored (or every arc unfixed), and every answer
/// stays exact: the simplex's cost and the certificate on all arcs.
#[test]
fn arc_fixing_stays_exact_with_any_factor() {
    use allocnet::flow::generate::{goto_like, netgen_classic, ClassicNetgenParams, GridParams};
    let grid = GridParams {
        rows: 24,
        cols: 24,
        extra_arcs_per_node: 4,
        ..GridParams::default()
    };
    let instances = [
        netgen_classic(&ClassicNetgenParams::sparse(1024), 13502460).unwrap(),
        netgen_classic(&ClassicNetgenParams::sparse(400), 7).unwrap(),
        goto_like(&grid, 3).unwrap(),
    ];
    let mut restored = 0;
    for net in instances {
        let simplex = NetworkSimplex::new(&net).unwrap().solve().unwrap();
        assert_eq!(simplex.status, Status::Optimal);
        for factor in [1, 2, 4, 16, 256, i64::MAX] {
            let mut solver = CostScaling::new(&net).unwrap();
            solver.set_arc_fixing_factor(factor).unwrap();
            let s = solver.solve().unwrap();
            assert_eq!(s.cost, simplex.cost, "factor {factor}");
            assert!(verify_solution(&net, &s).is_empty(), "factor {factor}");
            assert!(solver.fixed_arcs() > 0, "factor {factor}: nothing fixed");
            restored += solver.restored_arcs() + u64::from(solver.unfixed_all());
        }
        let mut off = CostScaling::new(&net).unwrap();
        off.set_arc_fixing(false);
        assert_eq!(off.solve().unwrap().cost, simplex.cost);
        assert_eq!(off.fixed_arcs(), 0);
    }
    assert!(restored > 0, "no factor made the engine restore an arc");
    let mut solver = CostScaling::new(&Network::with_nodes(2)).unwrap();
    assert!(solver.set_arc_fixing_factor(0).is_err());
}

/// Arc fixing moves fixed arcs behind the active ones of their nodes (self-loops
/// included, whose two copies share a node); flows still come back in input order,
/// and a second solve on the same solver (which first restores the input layout), a
/// fresh solver and the 64-bit records give the same answer bit for bit.
#[test]
fn arc_fixing_moves_arcs_yet_every_solve_gives_the_same_bits() {
    use allocnet::flow::generate::{netgen_classic, ClassicNetgenParams};
    let mut net = netgen_classic(&ClassicNetgenParams::sparse(1024), 13502460).unwrap();
    for v in 0..40u32 {
        // Dear self-loops are fixed early; cheap ones are saturated.
        let cost = if v % 2 == 0 { 9_000 } else { -3 };
        net.add_arc(v, v, 5 + i64::from(v), cost);
    }
    let simplex = NetworkSimplex::new(&net).unwrap().solve().unwrap();
    for factor in [1, 16, 256] {
        let mut solver = CostScaling::new(&net).unwrap();
        solver.set_arc_fixing_factor(factor).unwrap();
        let first = solver.solve().unwrap();
        assert!(solver.fixed_arcs() > 0, "factor {factor}: nothing fixed");
        assert_eq!(first.cost, simplex.cost, "factor {factor}");
        assert!(verify_solution(&net, &first).is_empty(), "factor {factor}");
        assert_eq!(solver.solve().unwrap(), first, "factor {factor}: second solve");
        let mut fresh = CostScaling::new(&net).unwrap();
        fresh.set_arc_fixing_factor(factor).unwrap();
        assert_eq!(fresh.solve().unwrap(), first, "factor {factor}: fresh solver");
        solver.set_compact_arcs(false);
        assert_eq!(solver.solve().unwrap(), first, "factor {factor}: 64-bit records");
        assert!(!solver.compact_arcs());
    }
}
