//! Edge cases of the min-cost flow engine, each solved and certified.

use allocnet::flow::{solve, verify_solution, FlowSolution, Network, NetworkSimplex, Status, INFINITE};
use allocnet::Error;

/// Solves with the network simplex and certifies an optimal answer.
fn solve_checked(net: &Network) -> FlowSolution {
    let solution = solve(net).expect("valid input");
    if solution.status == Status::Optimal {
        let violations = verify_solution(net, &solution);
        assert!(violations.is_empty(), "certificate failed: {violations:?}");
    }
    solution
}

#[test]
fn empty_graph_is_optimal_at_zero() {
    let s = solve_checked(&Network::new());
    assert_eq!((s.status, s.cost), (Status::Optimal, Some(0)));
    assert!(s.flows.is_empty() && s.potentials.is_empty());
}

#[test]
fn nodes_without_arcs_and_zero_supplies() {
    let s = solve_checked(&Network::with_nodes(4));
    assert_eq!((s.status, s.cost), (Status::Optimal, Some(0)));
    assert_eq!(s.potentials.len(), 4);
}

#[test]
fn zero_supplies_with_arcs_carry_no_flow() {
    let mut net = Network::with_nodes(3);
    net.add_arc(0, 1, 5, 3);
    net.add_arc(1, 2, 5, 0);
    let s = solve_checked(&net);
    assert_eq!(s.flows, vec![0, 0]);
}

#[test]
fn disconnected_supply_and_demand_is_infeasible() {
    let mut net = Network::with_nodes(4);
    net.set_supply(0, 3).unwrap();
    net.set_supply(3, -3).unwrap();
    net.add_arc(0, 1, 10, 1);
    net.add_arc(2, 3, 10, 1);
    assert_eq!(solve_checked(&net).status, Status::Infeasible);
}

#[test]
fn too_little_capacity_is_infeasible() {
    let mut net = Network::with_nodes(2);
    net.set_supply(0, 3).unwrap();
    net.set_supply(1, -3).unwrap();
    net.add_arc(0, 1, 2, 1);
    let s = solve_checked(&net);
    assert_eq!(s.status, Status::Infeasible);
    assert_eq!(s.cost, None);
}

#[test]
fn unbalanced_supplies_are_infeasible() {
    let mut net = Network::with_nodes(2);
    net.set_supply(0, 5).unwrap();
    net.set_supply(1, -3).unwrap();
    net.add_arc(0, 1, INFINITE, 1);
    assert_eq!(solve_checked(&net).status, Status::Infeasible);
}

#[test]
fn negative_cycle_with_infinite_capacity_is_unbounded() {
    let mut net = Network::with_nodes(3);
    net.add_arc(0, 1, INFINITE, -2);
    net.add_arc(1, 2, INFINITE, 1);
    net.add_arc(2, 0, INFINITE, 0);
    assert_eq!(solve_checked(&net).status, Status::Unbounded);
}

#[test]
fn negative_cycle_with_finite_capacity_saturates() {
    let mut net = Network::with_nodes(3);
    net.add_arc(0, 1, 4, -2);
    net.add_arc(1, 2, INFINITE, 1);
    net.add_arc(2, 0, INFINITE, 0);
    let s = solve_checked(&net);
    assert_eq!(s.cost, Some(-4));
    assert_eq!(s.flows, vec![4, 4, 4]);
}

#[test]
fn self_loops() {
    let mut net = Network::with_nodes(2);
    net.set_supply(0, 1).unwrap();
    net.set_supply(1, -1).unwrap();
    net.add_arc(0, 0, 7, -3); // negative self-loop with a limit: runs full
    net.add_arc(1, 1, 7, 2); // positive self-loop: stays empty
    net.add_arc(0, 1, 1, 1);
    let s = solve_checked(&net);
    assert_eq!(s.flows, vec![7, 0, 1]);
    assert_eq!(s.cost, Some(-21 + 1));

    let mut unbounded = Network::with_nodes(1);
    unbounded.add_arc(0, 0, INFINITE, -1);
    assert_eq!(solve_checked(&unbounded).status, Status::Unbounded);
}

#[test]
fn parallel_arcs_fill_the_cheapest_first() {
    let mut net = Network::with_nodes(2);
    net.set_supply(0, 10).unwrap();
    net.set_supply(1, -10).unwrap();
    net.add_arc(0, 1, 4, 3);
    net.add_arc(0, 1, 4, 1);
    net.add_arc(0, 1, 4, 2);
    let s = solve_checked(&net);
    assert_eq!(s.flows, vec![2, 4, 4]);
    assert_eq!(s.cost, Some(6 + 4 + 8));
}

#[test]
fn lower_bounds_are_honoured() {
    let mut net = Network::with_nodes(3);
    net.set_supply(0, 5).unwrap();
    net.set_supply(2, -5).unwrap();
    net.add_arc_with_bounds(0, 2, 0, 10, 1);
    net.add_arc_with_bounds(0, 1, 3, 10, 2); // must carry at least 3
    net.add_arc_with_bounds(1, 2, -2, 10, 2); // may even run backwards
    let s = solve_checked(&net);
    assert_eq!(s.flows, vec![2, 3, 3]);
    assert_eq!(s.cost, Some(2 + 6 + 6));
}

#[test]
fn lower_bound_above_what_supply_allows_is_infeasible() {
    let mut net = Network::with_nodes(2);
    net.add_arc_with_bounds(0, 1, 1, 5, 1);
    assert_eq!(solve_checked(&net).status, Status::Infeasible);
}

#[test]
fn huge_capacities_and_supplies() {
    let big = i64::MAX / 4;
    let mut net = Network::with_nodes(3);
    net.set_supply(0, big).unwrap();
    net.set_supply(2, -big).unwrap();
    net.add_arc(0, 1, INFINITE, 1_000);
    net.add_arc(1, 2, INFINITE, 1_000);
    net.add_arc(0, 2, big, 3_000);
    let s = solve_checked(&net);
    assert_eq!(s.flows, vec![big, big, 0]);
    assert_eq!(s.cost, Some(i128::from(big) * 2_000));
}

#[test]
fn values_that_could_overflow_are_an_error() {
    let mut net = Network::with_nodes(2);
    net.set_supply(0, i64::MAX - 1).unwrap();
    net.set_supply(1, -(i64::MAX - 1)).unwrap();
    net.add_arc(0, 1, i64::MAX - 1, 1);
    assert!(matches!(solve(&net), Err(Error::Overflow(_))));

    let mut costly = Network::with_nodes(3);
    costly.add_arc(0, 1, 1, i64::MAX / 2);
    assert!(matches!(solve(&costly), Err(Error::Overflow(_))));
}

#[test]
fn invalid_input_names_every_problem() {
    let mut net = Network::with_nodes(2);
    net.add_arc(0, 5, 1, 1);
    net.add_arc_with_bounds(0, 1, 3, 2, 1);
    let Err(Error::Invalid(problems)) = solve(&net) else {
        panic!("expected Invalid")
    };
    let text: Vec<String> = problems.iter().map(ToString::to_string).collect();
    assert_eq!(
        text,
        vec![
            "arc 0 (head): node 5 does not exist (the network has 2 nodes)".to_string(),
            "arc 1 (lower, upper): lower bound 3 exceeds upper bound 2".to_string(),
        ]
    );
}

#[test]
fn potentials_price_the_route() {
    // 0 -> 1 -> 2 at cost 2 + 3; a unit more at 2 is worth 5 more than at 0.
    let mut net = Network::with_nodes(3);
    net.set_supply(0, 4).unwrap();
    net.set_supply(2, -4).unwrap();
    net.add_arc(0, 1, 10, 2);
    net.add_arc(1, 2, 10, 3);
    let s = solve_checked(&net);
    assert_eq!(s.potentials[2] - s.potentials[0], 5);
    assert_eq!(s.potentials[1] - s.potentials[0], 2);
}

#[test]
fn warm_start_after_changes_matches_a_cold_solve() {
    let mut net = Network::with_nodes(4);
    net.set_supply(0, 6).unwrap();
    net.set_supply(3, -6).unwrap();
    net.add_arc(0, 1, 4, 1);
    net.add_arc(0, 2, 4, 2);
    net.add_arc(1, 3, 4, 1);
    net.add_arc(2, 3, 4, 1);
    net.add_arc(1, 2, 2, 0);
    let mut solver = NetworkSimplex::new(&net).unwrap();
    solver.solve().unwrap();
    for (arc, cost) in [(0u32, 5i64), (3, -1), (4, 3)] {
        solver.set_cost(arc, cost).unwrap();
        net.set_cost(arc, cost).unwrap();
        let warm = solver.solve().unwrap();
        assert_eq!(warm.cost, solve_checked(&net).cost);
        assert!(verify_solution(&net, &warm).is_empty());
    }
    solver.set_supply(0, 8).unwrap();
    solver.set_supply(3, -8).unwrap();
    net.set_supply(0, 8).unwrap();
    net.set_supply(3, -8).unwrap();
    let warm = solver.solve().unwrap();
    assert_eq!(warm.cost, solve_checked(&net).cost);
    assert!(verify_solution(&net, &warm).is_empty());
    solver.set_bounds(1, 1, 2).unwrap();
    net.set_bounds(1, 1, 2).unwrap();
    let warm = solver.solve().unwrap();
    assert_eq!(warm.status, solve_checked(&net).status);
}

#[test]
fn warm_start_re_prices_an_arc_at_its_upper_bound() {
    // Arc 0 is cheap and full (at its upper bound 4), arc 1 takes the rest.
    let mut net = Network::with_nodes(2);
    net.set_supply(0, 10).unwrap();
    net.set_supply(1, -10).unwrap();
    net.add_arc(0, 1, 4, 1);
    net.add_arc(0, 1, INFINITE, 5);
    let mut solver = NetworkSimplex::new(&net).unwrap();
    let cold = solver.solve().unwrap();
    assert_eq!((cold.flows.clone(), cold.cost), (vec![4, 6], Some(34)));
    // Dearer than the other arc: it empties; cheaper again, negative: full again; then
    // without a limit it carries everything.
    let steps: [(i64, i64, Vec<i64>, i128); 3] = [
        (7, 4, vec![0, 10], 50),
        (-2, 4, vec![4, 6], 22),
        (-2, INFINITE, vec![10, 0], -20),
    ];
    for (cost, upper, flows, total) in steps {
        solver.set_cost(0, cost).unwrap();
        solver.set_bounds(0, 0, upper).unwrap();
        net.set_cost(0, cost).unwrap();
        net.set_bounds(0, 0, upper).unwrap();
        let warm = solver.solve().unwrap();
        assert_eq!((warm.flows.clone(), warm.cost), (flows, Some(total)));
        assert_eq!(warm.cost, solve_checked(&net).cost);
        assert!(verify_solution(&net, &warm).is_empty());
    }
}

#[test]
fn costs_at_the_edges_of_32_bits_solve_exactly() {
    // The solver holds costs in 32 bits while they fit: here the artificial costs do
    // not, and the saturated arc of cost i32::MIN is negated at its upper bound.
    let big = i64::from(i32::MAX);
    let mut net = Network::with_nodes(3);
    net.set_supply(0, 5).unwrap();
    net.set_supply(2, -5).unwrap();
    net.add_arc(0, 1, INFINITE, 1 << 30);
    net.add_arc(1, 2, INFINITE, 1 << 30);
    net.add_arc(0, 2, 3, big);
    net.add_arc(0, 2, 2, i64::from(i32::MIN));
    let s = solve_checked(&net);
    assert_eq!(s.flows, vec![0, 0, 3, 2]);
    assert_eq!(s.cost, Some(3 * i128::from(big) + 2 * i128::from(i32::MIN)));
}

#[test]
fn infeasible_wins_over_a_negative_cycle_of_infinite_capacity() {
    // The supply cannot reach the demand, so no flow exists at all, although the
    // self-loop could lower the cost without limit.
    let mut net = Network::with_nodes(2);
    net.set_supply(0, 1).unwrap();
    net.set_supply(1, -1).unwrap();
    net.add_arc(0, 0, INFINITE, -1);
    assert_eq!(solve_checked(&net).status, Status::Infeasible);
    // With a lane to the demand the same cycle makes it unbounded.
    net.add_arc(0, 1, 1, 1);
    assert_eq!(solve_checked(&net).status, Status::Unbounded);
}

#[test]
fn max_cost_is_the_exact_limit() {
    for n in [1usize, 2, 7, 1000] {
        let limit = NetworkSimplex::max_cost(n);
        let mut net = Network::with_nodes(n);
        net.add_arc(0, (n - 1) as u32, 1, -limit);
        assert_eq!(solve_checked(&net).status, Status::Optimal, "n = {n}");
        net.set_cost(0, limit + 1).unwrap();
        assert!(matches!(solve(&net), Err(Error::Overflow(_))), "n = {n}");
    }
}

#[test]
fn potentials_beyond_32_bits_give_the_same_optimum() {
    // Costs up to 100 on 1000 nodes keep the potentials in 32 bits; scaled by 1070 they
    // are at the edge of 32 bits (20 · art_cost just below i32::MAX), scaled by 10^6
    // they need 64. The optimal cost scales with them.
    use allocnet::flow::generate::{transshipment, TransshipmentParams};
    let net = transshipment(&TransshipmentParams::default(), 7).unwrap();
    let base = solve_checked(&net);
    assert_eq!(base.status, Status::Optimal);
    for scale in [1070, 1_000_000] {
        let mut scaled = net.clone();
        for (a, &c) in net.costs().iter().enumerate() {
            scaled.set_cost(a as u32, c * scale).unwrap();
        }
        let solution = solve_checked(&scaled);
        assert_eq!(solution.cost, base.cost.map(|c| c * i128::from(scale)), "scale {scale}");
    }
}

#[test]
fn more_nodes_than_16_bit_indices_hold() {
    // Above 65 536 nodes (root included) the arcs' ends are stored in 32 bits.
    use allocnet::flow::generate::{transshipment, TransshipmentParams};
    let params = TransshipmentParams {
        nodes: 70_000,
        arcs: 140_000,
        ..TransshipmentParams::default()
    };
    let net = transshipment(&params, 3).unwrap();
    // Certified optimal (conservation, bounds, reduced costs).
    assert_eq!(solve_checked(&net).status, Status::Optimal);
}
