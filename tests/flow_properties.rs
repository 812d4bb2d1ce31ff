//! Property tests of the min-cost flow engines on random networks: both engines agree
//! on status and optimal cost, every optimal answer passes the independent
//! certificate, flows are integral and within bounds, warm starts agree with cold
//! solves, and results are identical across repeated and concurrent runs.

use allocnet::engine::solve_with;
use allocnet::flow::{verify_solution, Engine, FlowSolution, Network, NetworkSimplex, Status};
use proptest::prelude::*;

mod common;
use common::networks::network;

const ENGINES: [Engine; 2] = [Engine::Simplex, Engine::Lp];

/// A warm solve of `changed` passes the checks and matches a fresh solver's status
/// and cost.
fn matches_cold(changed: &Network, warm: &FlowSolution) -> Result<(), TestCaseError> {
    check_flow(changed, warm)?;
    let cold = NetworkSimplex::new(changed).unwrap().solve().unwrap();
    prop_assert_eq!(warm.status, cold.status);
    prop_assert_eq!(warm.cost, cold.cost);
    Ok(())
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
                matches_cold(&changed, &solver.solve().unwrap())?;
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
        matches_cold(&changed, &solver.solve().unwrap())?;
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
