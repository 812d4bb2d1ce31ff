//! Warm re-solves of the network simplex: any sequence of `set_supply`, `set_bounds`
//! and `set_cost` followed by `solve` gives the status and cost of a fresh solver on
//! the changed network, passes the optimality certificate, and is deterministic (the
//! same sequence of calls gives the same flows and potentials). Supply and bound
//! changes alone repair the old basis (`Start::Repair`); the random networks include
//! infeasible changes, lower bounds, zero and unlimited capacities, parallel arcs,
//! self-loops and negative costs.

use allocnet::flow::generate::{generate, CommonParams, Family, TransshipmentParams};
use allocnet::flow::{verify_solution, FlowSolution, Network, NetworkSimplex, Start, Status, INFINITE};
use proptest::prelude::*;

mod common;
use common::networks::network;

/// One change to the problem between solves.
#[derive(Clone, Debug)]
enum Change {
    /// Moves `amount` of supply from node `from` to node `to` (stays balanced).
    Shift {
        from: u32,
        to: u32,
        amount: i64,
    },
    /// Sets a node's supply outright (may unbalance the problem).
    Supply {
        node: u32,
        supply: i64,
    },
    /// New bounds of an arc; `upper = None` for no limit.
    Bounds {
        arc: u32,
        lower: i64,
        upper: Option<i64>,
    },
    Cost {
        arc: u32,
        cost: i64,
    },
}

fn change() -> impl Strategy<Value = Change> {
    prop_oneof![
        4 => (0u32..10, 0u32..10, -8i64..9).prop_map(|(from, to, amount)| Change::Shift { from, to, amount }),
        1 => (0u32..10, -8i64..9).prop_map(|(node, supply)| Change::Supply { node, supply }),
        4 => (0u32..40, prop::option::weighted(0.3, 0i64..4), prop::option::weighted(0.85, 0i64..15)).prop_map(
            |(arc, lower, span)| {
                let lower = lower.unwrap_or(0);
                Change::Bounds { arc, lower, upper: span.map(|s| lower + s) }
            }
        ),
        1 => (0u32..40, -8i64..20).prop_map(|(arc, cost)| Change::Cost { arc, cost }),
    ]
}

/// Applies `change` to the solver and to the network that mirrors it (ignoring the
/// parts that name no node or arc of this network). Returns whether it changed a cost.
fn apply(solver: &mut NetworkSimplex, net: &mut Network, change: &Change) -> bool {
    let (n, m) = (net.node_count() as u32, net.arc_count() as u32);
    match *change {
        Change::Shift { from, to, amount } => {
            let (from, to) = (from % n, to % n);
            let (sf, st) = (
                net.supplies()[from as usize] - amount,
                net.supplies()[to as usize] + amount,
            );
            for (node, supply) in [(from, sf), (to, st)] {
                solver.set_supply(node, supply).unwrap();
                net.set_supply(node, supply).unwrap();
            }
        }
        Change::Supply { node, supply } => {
            solver.set_supply(node % n, supply).unwrap();
            net.set_supply(node % n, supply).unwrap();
        }
        Change::Bounds { arc, lower, upper } if arc < m => {
            let upper = upper.unwrap_or(INFINITE);
            solver.set_bounds(arc, lower, upper).unwrap();
            net.set_bounds(arc, lower, upper).unwrap();
        }
        Change::Cost { arc, cost } if arc < m => {
            let changed = net.costs()[arc as usize] != cost;
            solver.set_cost(arc, cost).unwrap();
            net.set_cost(arc, cost).unwrap();
            return changed;
        }
        _ => {}
    }
    false
}

/// `warm` has a fresh solver's status and cost on `net`, and passes the certificate.
fn matches_cold(net: &Network, warm: &FlowSolution) -> Result<(), TestCaseError> {
    let cold = NetworkSimplex::new(net).unwrap().solve().unwrap();
    prop_assert_eq!(warm.status, cold.status);
    prop_assert_eq!(warm.cost, cold.cost);
    if warm.status == Status::Optimal {
        let violations = verify_solution(net, warm);
        prop_assert!(violations.is_empty(), "certificate: {:?}", violations);
    } else {
        prop_assert!(warm.flows.is_empty() && warm.cost.is_none());
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 600, ..ProptestConfig::default() })]

    /// Batches of changes, each followed by a solve: every solve matches a cold one,
    /// and a replay of the same calls on a fresh solver gives identical solutions.
    #[test]
    fn any_sequence_of_changes_resolves_like_a_cold_solve(
        net in network(),
        batches in prop::collection::vec(prop::collection::vec(change(), 1..5), 1..6),
    ) {
        let mut solver = NetworkSimplex::new(&net).unwrap();
        let mut mirror = net.clone();
        let mut answers = vec![solver.solve().unwrap()];
        // Whether the solver holds a basis: after an optimal solve surely; an
        // unbalanced problem returns before touching it.
        let mut had_basis = answers[0].status == Status::Optimal;
        // A cost change counts until a balanced solve (an unbalanced one returns early).
        let mut cost_changed = false;
        for batch in &batches {
            for c in batch {
                cost_changed |= apply(&mut solver, &mut mirror, c);
            }
            let balanced = mirror.supplies().iter().sum::<i64>() == 0;
            let warm = solver.solve().unwrap();
            matches_cold(&mirror, &warm)?;
            if had_basis && !cost_changed && balanced {
                prop_assert_eq!(solver.last_start(), Start::Repair);
            }
            if cost_changed {
                prop_assert_ne!(solver.last_start(), Start::Repair);
            }
            if balanced {
                had_basis = warm.status == Status::Optimal;
                cost_changed = false;
            }
            answers.push(warm);
        }
        // Determinism: the same calls again give the same answers, bit for bit.
        let mut replay = NetworkSimplex::new(&net).unwrap();
        let mut mirror = net.clone();
        prop_assert_eq!(&replay.solve().unwrap(), &answers[0]);
        for (batch, answer) in batches.iter().zip(&answers[1..]) {
            for c in batch {
                apply(&mut replay, &mut mirror, c);
            }
            prop_assert_eq!(&replay.solve().unwrap(), answer);
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    /// A solver built from a borrowed network (`new`, which reads the arc ends and
    /// costs straight into its own layout) and one that takes the network over
    /// (`from_network`) take the same pivots: identical solutions and pivot counts
    /// through any sequence of changes, with 32-bit costs and with a cost that needs
    /// 64 bits (`wide`).
    #[test]
    fn borrowed_and_owned_networks_solve_alike(
        net in network(),
        wide in any::<bool>(),
        batches in prop::collection::vec(prop::collection::vec(change(), 1..5), 1..4),
    ) {
        let mut net = net;
        if wide && net.arc_count() > 0 {
            net.set_cost(0, 1 << 40).unwrap();
        }
        let mut borrowed = NetworkSimplex::new(&net).unwrap();
        let mut owned = NetworkSimplex::from_network(net.clone()).unwrap();
        let (mut mirror_a, mut mirror_b) = (net.clone(), net.clone());
        prop_assert_eq!(borrowed.solve().unwrap(), owned.solve().unwrap());
        for batch in &batches {
            for c in batch {
                apply(&mut borrowed, &mut mirror_a, c);
                apply(&mut owned, &mut mirror_b, c);
            }
            prop_assert_eq!(borrowed.solve().unwrap(), owned.solve().unwrap());
            prop_assert_eq!(borrowed.pivots(), owned.pivots());
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    /// A solver refilled in place (`refill`) after solving another network through
    /// its own changes (a basis kept, lower bounds, maybe 64-bit costs) takes the same
    /// pivots as a new solver: identical solutions and pivot counts through any
    /// sequence of changes, whatever the widths of the two networks' costs.
    #[test]
    fn a_refilled_solver_solves_like_a_new_one(
        used_on in network(),
        net in network(),
        wide in any::<(bool, bool)>(),
        before in prop::collection::vec(change(), 0..5),
        batches in prop::collection::vec(prop::collection::vec(change(), 1..5), 1..4),
    ) {
        let (mut used_on, mut net) = (used_on, net);
        if wide.0 && used_on.arc_count() > 0 {
            used_on.set_cost(0, 1 << 40).unwrap();
        }
        if wide.1 && net.arc_count() > 0 {
            net.set_cost(0, 1 << 40).unwrap();
        }
        let mut refilled = NetworkSimplex::new(&used_on).unwrap();
        let mut mirror = used_on.clone();
        refilled.solve().unwrap();
        for c in &before {
            apply(&mut refilled, &mut mirror, c);
        }
        refilled.solve().unwrap();
        refilled.refill(&net).unwrap();
        let mut fresh = NetworkSimplex::new(&net).unwrap();
        prop_assert_eq!((refilled.node_count(), refilled.arc_count()), (fresh.node_count(), fresh.arc_count()));
        let (mut mirror_a, mut mirror_b) = (net.clone(), net.clone());
        prop_assert_eq!(refilled.solve().unwrap(), fresh.solve().unwrap());
        prop_assert_eq!(refilled.pivots(), fresh.pivots());
        for batch in &batches {
            for c in batch {
                apply(&mut refilled, &mut mirror_a, c);
                apply(&mut fresh, &mut mirror_b, c);
            }
            prop_assert_eq!(refilled.solve().unwrap(), fresh.solve().unwrap());
            prop_assert_eq!(refilled.pivots(), fresh.pivots());
            prop_assert_eq!(refilled.last_start(), fresh.last_start());
        }
    }
}

/// A refill with an invalid network is an error, like `new`.
#[test]
fn refilling_with_an_invalid_network_is_an_error() {
    let mut net = Network::with_nodes(2);
    net.add_arc(0, 1, 5, 1);
    let mut solver = NetworkSimplex::new(&net).unwrap();
    let mut bad = Network::with_nodes(2);
    bad.add_arc_with_bounds(0, 1, 3, 1, 1);
    assert_eq!(
        solver.refill(&bad).unwrap_err().to_string(),
        NetworkSimplex::new(&bad).unwrap_err().to_string()
    );
}

/// A generated transshipment network of about `nodes` nodes and `arcs` arcs.
fn transshipment(nodes: usize, arcs: usize, seed: u64) -> Network {
    let params = TransshipmentParams {
        nodes,
        arcs,
        sources: nodes / 20,
        sinks: nodes / 20,
        common: CommonParams::default(),
        ..TransshipmentParams::default()
    };
    generate(&Family::Transshipment(params), seed).unwrap()
}

/// Scales every supply by a factor per node (in percent), then puts the imbalance on
/// the largest sink so the problem stays balanced.
fn scaled_supplies(net: &Network, percent: impl Fn(usize) -> i64) -> Vec<i64> {
    let mut s: Vec<i64> = net
        .supplies()
        .iter()
        .enumerate()
        .map(|(v, &x)| x * percent(v) / 100)
        .collect();
    let sink = (0..s.len()).min_by_key(|&v| (net.supplies()[v], v)).unwrap();
    let total: i64 = s.iter().sum();
    s[sink] -= total;
    s
}

#[test]
fn supply_changes_repair_the_basis_with_far_fewer_pivots() {
    let net = transshipment(2_000, 10_000, 7);
    let mut solver = NetworkSimplex::new(&net).unwrap();
    assert_eq!(solver.solve().unwrap().status, Status::Optimal);
    assert_eq!(solver.last_start(), Start::Cold);
    for round in 0..5u64 {
        let supplies = scaled_supplies(&net, |v| 70 + ((v as u64 * 37 + round * 11) % 31) as i64);
        let mut changed = net.clone();
        for (v, &s) in supplies.iter().enumerate() {
            solver.set_supply(v as u32, s).unwrap();
            changed.set_supply(v as u32, s).unwrap();
        }
        let warm = solver.solve().unwrap();
        assert_eq!(solver.last_start(), Start::Repair);
        let warm_pivots = solver.pivots();
        let mut fresh = NetworkSimplex::new(&changed).unwrap();
        let cold = fresh.solve().unwrap();
        assert_eq!((warm.status, warm.cost), (cold.status, cold.cost));
        assert!(verify_solution(&changed, &warm).is_empty());
        assert!(
            warm_pivots * 2 < fresh.pivots(),
            "warm {warm_pivots} vs cold {} pivots",
            fresh.pivots()
        );
    }
}

#[test]
fn an_infeasible_change_and_back() {
    let mut net = Network::with_nodes(3);
    net.set_supply(0, 5).unwrap();
    net.set_supply(2, -5).unwrap();
    net.add_arc(0, 1, 10, 1);
    net.add_arc(1, 2, 10, 1);
    let mut solver = NetworkSimplex::new(&net).unwrap();
    assert_eq!(solver.solve().unwrap().cost, Some(10));
    // The cut {0} can send at most 3: infeasible.
    solver.set_bounds(0, 0, 3).unwrap();
    assert_eq!(solver.solve().unwrap().status, Status::Infeasible);
    assert_eq!(solver.last_start(), Start::Repair);
    // Back to feasible, with a lower bound that forces flow round a self-loop-free path.
    solver.set_bounds(0, 4, 10).unwrap();
    let sol = solver.solve().unwrap();
    assert_eq!(solver.last_start(), Start::Repair);
    assert_eq!((sol.status, sol.cost), (Status::Optimal, Some(10)));
    // Lower bounds above the supply: no feasible flow.
    solver.set_bounds(1, 6, 10).unwrap();
    assert_eq!(solver.solve().unwrap().status, Status::Infeasible);
}

#[test]
fn an_arc_that_loses_its_limit_at_its_upper_bound() {
    // Arc 0 is cheap and full; unlimited, it takes everything.
    let mut net = Network::with_nodes(2);
    net.set_supply(0, 6).unwrap();
    net.set_supply(1, -6).unwrap();
    net.add_arc(0, 1, 2, 1);
    net.add_arc(0, 1, INFINITE, 3);
    let mut solver = NetworkSimplex::new(&net).unwrap();
    assert_eq!(solver.solve().unwrap().cost, Some(2 + 12));
    solver.set_bounds(0, 0, INFINITE).unwrap();
    net.set_bounds(0, 0, INFINITE).unwrap();
    let sol = solver.solve().unwrap();
    assert_eq!(sol.cost, Some(6));
    assert!(verify_solution(&net, &sol).is_empty());
}

#[test]
fn a_resolve_without_changes_returns_the_same_solution_without_pivots() {
    let net = transshipment(500, 4_000, 3);
    let mut solver = NetworkSimplex::new(&net).unwrap();
    let first = solver.solve().unwrap();
    let again = solver.solve().unwrap();
    assert_eq!(solver.last_start(), Start::Repair);
    assert_eq!(solver.pivots(), 0);
    assert_eq!(first, again);
}
