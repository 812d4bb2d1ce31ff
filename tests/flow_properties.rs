//! Property tests of the min-cost flow engines on random networks: both engines agree
//! on status and optimal cost, every optimal answer passes the independent
//! certificate, flows are integral and within bounds, warm starts agree with cold
//! solves, and results are identical across repeated and concurrent runs.

use allocnet::flow::{solve_with, verify_solution, Engine, FlowSolution, Network, NetworkSimplex, Status, INFINITE};
use proptest::prelude::*;

const ENGINES: [Engine; 2] = [Engine::Simplex, Engine::Lp];

/// A random network: up to 9 nodes and 4 arcs per node, parallel arcs and self-loops
/// possible, negative costs, some lower bounds, some infinite capacities, supplies
/// that usually balance, and half the time an expensive uncapacitated ring.
fn network() -> impl Strategy<Value = Network> {
    (1usize..10).prop_flat_map(|n| {
        let arc = (
            0..n as u32,
            0..n as u32,
            -3i64..4,
            0i64..20,
            prop::bool::weighted(0.2),
            -3i64..20,
        );
        let arcs = prop::collection::vec(arc, 0..=4 * n);
        let supplies = prop::collection::vec(-6i64..7, n);
        (arcs, supplies, prop::bool::weighted(0.9), prop::bool::weighted(0.5)).prop_map(
            move |(arcs, mut supplies, balanced, ring)| {
                if balanced {
                    let sum: i64 = supplies.iter().sum();
                    supplies[0] -= sum;
                }
                let mut net = Network::with_nodes(n);
                for (v, s) in supplies.into_iter().enumerate() {
                    net.set_supply(v as u32, s).unwrap();
                }
                for (t, h, lo, span, infinite, cost) in arcs {
                    let lower = if lo > 0 { lo } else { 0 };
                    let upper = if infinite { INFINITE } else { lower + span };
                    net.add_arc_with_bounds(t, h, lower, upper, cost);
                }
                if ring {
                    // An expensive uncapacitated ring makes every balanced instance
                    // without lower-bound conflicts feasible.
                    for v in 0..n as u32 {
                        net.add_arc(v, (v + 1) % n as u32, INFINITE, 25);
                    }
                }
                net
            },
        )
    })
}

fn check_flow(net: &Network, s: &FlowSolution) -> Result<(), TestCaseError> {
    if s.status == Status::Optimal {
        let violations = verify_solution(net, s);
        prop_assert!(violations.is_empty(), "certificate: {:?}", violations);
        for (a, &f) in s.flows.iter().enumerate() {
            prop_assert!(net.lower()[a] <= f && f <= net.upper()[a]);
        }
    } else {
        prop_assert_eq!(s.cost, None);
        prop_assert!(s.flows.is_empty());
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

    #[test]
    fn engines_agree_and_answers_are_certified(net in network()) {
        let simplex = solve_with(&net, Engine::Simplex).unwrap();
        check_flow(&net, &simplex)?;
        let lp = solve_with(&net, Engine::Lp).unwrap();
        check_flow(&net, &lp)?;
        prop_assert_eq!(simplex.status, lp.status);
        prop_assert_eq!(simplex.cost, lp.cost);
    }

    #[test]
    fn warm_start_after_cost_changes_matches_cold(net in network(), changes in prop::collection::vec((0u32..30, -8i64..20), 1..6)) {
        let mut solver = NetworkSimplex::new(&net).unwrap();
        solver.solve().unwrap();
        let mut changed = net.clone();
        for (arc, cost) in changes {
            if (arc as usize) < net.arc_count() {
                solver.set_cost(arc, cost).unwrap();
                changed.set_cost(arc, cost).unwrap();
                let warm = solver.solve().unwrap();
                check_flow(&changed, &warm)?;
                let cold = NetworkSimplex::new(&changed).unwrap().solve().unwrap();
                prop_assert_eq!(warm.status, cold.status);
                prop_assert_eq!(warm.cost, cold.cost);
            }
        }
    }

    #[test]
    fn warm_start_after_supply_and_bound_changes_matches_cold(net in network(), node in 0u32..10, delta in -5i64..5, arc in 0u32..30, upper in 0i64..15) {
        let mut solver = NetworkSimplex::new(&net).unwrap();
        solver.solve().unwrap();
        let mut changed = net.clone();
        let n = net.node_count() as u32;
        let (a, b) = (node % n, (node + 1) % n);
        let (sa, sb) = (net.supplies()[a as usize] + delta, net.supplies()[b as usize] - delta);
        solver.set_supply(a, sa).unwrap();
        changed.set_supply(a, sa).unwrap();
        if a != b {
            solver.set_supply(b, sb).unwrap();
            changed.set_supply(b, sb).unwrap();
        }
        if (arc as usize) < net.arc_count() {
            let lower = net.lower()[arc as usize];
            solver.set_bounds(arc, lower, lower + upper).unwrap();
            changed.set_bounds(arc, lower, lower + upper).unwrap();
        }
        let warm = solver.solve().unwrap();
        check_flow(&changed, &warm)?;
        let cold = NetworkSimplex::new(&changed).unwrap().solve().unwrap();
        prop_assert_eq!(warm.status, cold.status);
        prop_assert_eq!(warm.cost, cold.cost);
    }

    #[test]
    fn same_input_same_flows_on_every_thread(net in network()) {
        for engine in ENGINES {
            let first = solve_with(&net, engine).unwrap();
            let again = solve_with(&net, engine).unwrap();
            prop_assert_eq!(&first, &again);
            let concurrent: Vec<FlowSolution> = std::thread::scope(|scope| {
                let handles: Vec<_> = (0..4).map(|_| scope.spawn(|| solve_with(&net, engine).unwrap())).collect();
                handles.into_iter().map(|h| h.join().unwrap()).collect()
            });
            for s in &concurrent {
                prop_assert_eq!(s, &first);
            }
        }
    }
}
