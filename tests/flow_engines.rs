//! One property suite run against every flow engine through the [`FlowEngine`]
//! interface: answers are certified, a changed problem re-solved matches a fresh
//! engine on the changed network, bad changes are refused without effect, and the
//! engines agree with each other.

use allocnet::engine::{flow_engine, Engine};
use allocnet::flow::{verify_solution, Certified, FlowEngine, FlowSolution, Network, NetworkSimplex, Status, INFINITE};
use allocnet::lp::LpFlowEngine;
use allocnet::Error;
use proptest::prelude::*;

mod common;
use common::networks::network;

/// An optimal answer passes the certificate on `net` and its cost is `Σ cost·flow`;
/// any other answer carries no flow.
fn check_answer(net: &Network, s: &FlowSolution) -> Result<(), TestCaseError> {
    if s.status == Status::Optimal {
        let violations = verify_solution(net, s);
        prop_assert!(violations.is_empty(), "certificate: {:?}", violations);
        prop_assert_eq!(s.cost, Some(net.cost_of(&s.flows)));
    } else {
        prop_assert_eq!(s.cost, None);
        prop_assert!(s.flows.is_empty() && s.potentials.is_empty());
    }
    Ok(())
}

/// A change to a problem: `(kind, index, a, b)` with kind 0 cost, 1 bounds, 2 supply.
fn changes() -> impl Strategy<Value = Vec<(u8, usize, i64, i64)>> {
    prop::collection::vec((0u8..3, 0usize..64, -4i64..6, 0i64..12), 1..6)
}

/// Applies `changes` to the engine and to `net` alike (indices wrap to the problem's
/// size; supply changes keep the total by moving the amount from node 0).
fn apply<E: FlowEngine>(engine: &mut E, net: &mut Network, changes: &[(u8, usize, i64, i64)]) {
    let (n, m) = (net.node_count(), net.arc_count());
    for &(kind, i, a, b) in changes {
        match kind {
            0 if m > 0 => {
                let arc = (i % m) as u32;
                engine.set_cost(arc, a * 3).unwrap();
                net.set_cost(arc, a * 3).unwrap();
            }
            1 if m > 0 => {
                let arc = (i % m) as u32;
                let (lower, upper) = (a.max(0), if b == 11 { INFINITE } else { a.max(0) + b });
                engine.set_bounds(arc, lower, upper).unwrap();
                net.set_bounds(arc, lower, upper).unwrap();
            }
            2 if n > 1 => {
                let v = 1 + i % (n - 1);
                let (s0, sv) = (net.supplies()[0] - a, net.supplies()[v] + a);
                for (node, supply) in [(0, s0), (v as u32, sv)] {
                    engine.set_supply(node, supply).unwrap();
                    net.set_supply(node, supply).unwrap();
                }
            }
            _ => {}
        }
    }
}

/// The suite, for an engine built by `make`.
fn solves_certified<E: FlowEngine>(make: fn(&Network) -> E, net: &Network) -> Result<(), TestCaseError> {
    let mut engine = make(net);
    prop_assert_eq!(
        (engine.node_count(), engine.arc_count()),
        (net.node_count(), net.arc_count())
    );
    let first = engine.solve().unwrap();
    check_answer(net, &first)?;
    // Solving again without a change gives the same answer.
    prop_assert_eq!(&engine.solve().unwrap(), &first);
    Ok(())
}

fn changes_match_fresh_engine<E: FlowEngine>(
    make: fn(&Network) -> E,
    net: &Network,
    changes: &[(u8, usize, i64, i64)],
) -> Result<(), TestCaseError> {
    let mut engine = make(net);
    engine.solve().unwrap();
    let mut changed = net.clone();
    apply(&mut engine, &mut changed, changes);
    let warm = engine.solve().unwrap();
    check_answer(&changed, &warm)?;
    let cold = make(&changed).solve().unwrap();
    prop_assert_eq!(warm.status, cold.status);
    prop_assert_eq!(warm.cost, cold.cost);
    Ok(())
}

fn bad_changes_are_refused<E: FlowEngine>(make: fn(&Network) -> E, net: &Network) -> Result<(), TestCaseError> {
    let mut engine = make(net);
    let before = engine.solve().unwrap();
    let (n, m) = (net.node_count() as u32, net.arc_count() as u32);
    let mut refused = vec![
        engine.set_cost(m, 1).unwrap_err(),
        engine.set_bounds(m, 0, 1).unwrap_err(),
        engine.set_supply(n, 1).unwrap_err(),
        engine.set_supply(0, i64::MIN).unwrap_err(),
    ];
    if m > 0 {
        refused.push(engine.set_cost(0, i64::MIN).unwrap_err());
        refused.push(engine.set_bounds(0, 5, 4).unwrap_err());
        refused.push(engine.set_bounds(0, INFINITE, INFINITE).unwrap_err());
    }
    for e in &refused {
        let Error::Invalid(list) = e else {
            return Err(TestCaseError::fail(format!("expected Error::Invalid, got {e:?}")));
        };
        prop_assert!(
            list[0].path.starts_with("arc ") || list[0].path.starts_with("node "),
            "{:?}",
            list
        );
    }
    // Nothing changed.
    prop_assert_eq!(engine.solve().unwrap(), before);
    Ok(())
}

/// Runs the suite against one engine, in a module named after it.
macro_rules! engine_suite {
    ($name:ident, $make:expr) => {
        mod $name {
            use super::*;

            fn make(net: &Network) -> impl FlowEngine {
                ($make)(net)
            }

            proptest! {
                #![proptest_config(ProptestConfig::with_cases(96))]

                #[test]
                fn solves_certified(net in network()) {
                    super::solves_certified(make, &net)?;
                }

                #[test]
                fn changes_match_fresh_engine(net in network(), changes in changes()) {
                    super::changes_match_fresh_engine(make, &net, &changes)?;
                }

                #[test]
                fn bad_changes_are_refused(net in network()) {
                    super::bad_changes_are_refused(make, &net)?;
                }
            }
        }
    };
}

engine_suite!(simplex, |net: &Network| NetworkSimplex::new(net).unwrap());
engine_suite!(lp, |net: &Network| LpFlowEngine::new(net).unwrap());
engine_suite!(certified_simplex, |net: &Network| {
    Certified::new(net, NetworkSimplex::new(net).unwrap()).unwrap()
});
engine_suite!(boxed_by_engine, |net: &Network| flow_engine(net, Engine::Lp).unwrap());
engine_suite!(cost_scaling, |net: &Network| allocnet::flow::CostScaling::new(net)
    .unwrap());
engine_suite!(certified_cost_scaling, |net: &Network| {
    Certified::new(net, allocnet::flow::CostScaling::new(net).unwrap()).unwrap()
});

proptest! {
    #![proptest_config(ProptestConfig::with_cases(96))]

    /// The engines agree on status and optimal cost, before and after changes.
    #[test]
    fn engines_agree(net in network(), changes in changes()) {
        let mut engines: Vec<Box<dyn FlowEngine>> =
            [Engine::Simplex, Engine::Lp, Engine::CostScaling].into_iter().map(|e| flow_engine(&net, e).unwrap()).collect();
        let mut answers = Vec::new();
        for engine in &mut engines {
            let before = engine.solve().unwrap();
            let mut changed = net.clone();
            apply(engine, &mut changed, &changes);
            let after = engine.solve().unwrap();
            answers.push(((before.status, before.cost), (after.status, after.cost)));
        }
        prop_assert_eq!(answers[0], answers[1], "{} vs {}", engines[0].name(), engines[1].name());
        prop_assert_eq!(answers[0], answers[2], "{} vs {}", engines[0].name(), engines[2].name());
    }
}

#[test]
fn certified_refuses_an_engine_for_another_network() {
    let mut small = Network::with_nodes(2);
    small.add_arc(0, 1, 1, 1);
    let big = Network::with_nodes(3);
    let engine = NetworkSimplex::new(&small).unwrap();
    let err = Certified::new(&big, engine).err().expect("a size mismatch is refused");
    assert!(err.to_string().contains("2 nodes and 1 arcs"), "{err}");
}

/// An engine that claims a zero flow is optimal, whatever the problem.
struct ClaimsZeroFlow {
    nodes: usize,
    arcs: usize,
}

impl FlowEngine for ClaimsZeroFlow {
    fn name(&self) -> &'static str {
        "claims-zero-flow"
    }
    fn node_count(&self) -> usize {
        self.nodes
    }
    fn arc_count(&self) -> usize {
        self.arcs
    }
    fn set_cost(&mut self, _: u32, _: i64) -> allocnet::Result<()> {
        Ok(())
    }
    fn set_bounds(&mut self, _: u32, _: i64, _: i64) -> allocnet::Result<()> {
        Ok(())
    }
    fn set_supply(&mut self, _: u32, _: i64) -> allocnet::Result<()> {
        Ok(())
    }
    fn solve(&mut self) -> allocnet::Result<FlowSolution> {
        Ok(FlowSolution {
            status: Status::Optimal,
            cost: Some(0),
            flows: vec![0; self.arcs],
            potentials: vec![0; self.nodes],
        })
    }
}

#[test]
fn certified_turns_a_wrong_answer_into_an_error() {
    let mut net = Network::with_nodes(2);
    net.add_arc(0, 1, 10, 1);
    let mut engine = Certified::new(&net, ClaimsZeroFlow { nodes: 2, arcs: 1 }).unwrap();
    // Without supplies the zero flow is right.
    assert_eq!(engine.solve().unwrap().flows, vec![0]);
    // With them it breaks conservation, and the certificate says so.
    engine.set_supply(0, 4).unwrap();
    engine.set_supply(1, -4).unwrap();
    match engine.solve() {
        Err(Error::Solver(message)) => assert!(message.contains("optimality certificate"), "{message}"),
        other => panic!("expected Error::Solver, got {other:?}"),
    }
}

/// HiGHS 1.16's presolve calls this feasible program's feasibility problem (zero
/// objective) infeasible; the LP engine confirms an "infeasible" without presolve, so
/// all engines say unbounded (the cycle 2 → 6 → 2 costs −1 and has no capacity limit).
#[test]
fn a_presolve_infeasible_on_a_feasible_program_is_not_believed() {
    let mut net = Network::with_nodes(7);
    for (v, supply) in [(0, -5), (2, 4), (4, 1)] {
        net.set_supply(v, supply).unwrap();
    }
    let arcs = [
        (1, 3, INFINITE, 0),
        (3, 5, INFINITE, 0),
        (2, 6, INFINITE, -1),
        (4, 2, INFINITE, 0),
    ];
    let more = [(1, 4, 6, 0), (1, 5, 6, 0), (6, 2, INFINITE, 0)];
    let ring = (0..7).map(|v| (v, (v + 1) % 7, INFINITE, 25));
    for (tail, head, upper, cost) in arcs.into_iter().chain(more).chain(ring) {
        net.add_arc(tail, head, upper, cost);
    }
    for engine in [Engine::Lp, Engine::Simplex, Engine::CostScaling, Engine::Auto] {
        let solution = allocnet::engine::solve_with(&net, engine).unwrap();
        assert_eq!(solution.status, Status::Unbounded, "{engine:?}");
    }
}
