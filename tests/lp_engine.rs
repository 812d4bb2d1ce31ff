//! The LP engine (`allocnet::lp`): the checked `LinearProgram` layer and `solve_flow`
//! on hand-checkable cases. Passes with the default backend (HiGHS) and with
//! `--no-default-features` (microlp).

use allocnet::flow::{verify_solution, FlowSolution, Network, Status, INFINITE};
use allocnet::lp::{backend_gives_duals, backend_name, solve_flow, LinearProgram, LpStatus, MAX_EXACT_MAGNITUDE};
use allocnet::Error;

const INF: f64 = f64::INFINITY;

/// Solves with the LP engine; when optimal, checks the exact certificate; and
/// cross-checks status and optimal cost with the network simplex.
fn lp_solve(net: &Network) -> FlowSolution {
    let solution = solve_flow(net).unwrap_or_else(|e| panic!("solve_flow failed: {e}"));
    let simplex = allocnet::flow::solve(net).unwrap_or_else(|e| panic!("simplex failed: {e}"));
    assert_eq!(
        (solution.status, solution.cost),
        (simplex.status, simplex.cost),
        "LP vs network simplex"
    );
    if solution.status == Status::Optimal {
        let violations = verify_solution(net, &solution);
        assert!(violations.is_empty(), "certificate fails: {violations:?}");
    } else {
        assert_eq!(solution.cost, None);
        assert!(solution.flows.is_empty() && solution.potentials.is_empty());
    }
    solution
}

fn network(supplies: &[i64], arcs: &[(u32, u32, i64, i64, i64)]) -> Network {
    let mut net = Network::new();
    for &s in supplies {
        net.add_node(s);
    }
    for &(t, h, lower, upper, cost) in arcs {
        net.add_arc_with_bounds(t, h, lower, upper, cost);
    }
    net
}

fn assert_close(actual: f64, expected: f64) {
    assert!(
        (actual - expected).abs() <= 1e-7 * expected.abs().max(1.0),
        "got {actual}, expected {expected}"
    );
}

// ---------------------------------------------------------------- backend

#[test]
fn backend_is_the_compiled_in_one() {
    let expected = if cfg!(feature = "highs") { "highs" } else { "microlp" };
    assert_eq!(backend_name(), expected);
    assert_eq!(backend_gives_duals(), cfg!(feature = "highs"));
}

// ---------------------------------------------------------------- LinearProgram

#[test]
fn lp_known_optimum_with_values_and_objective() {
    // maximise 3x + 5y (minimise −3x − 5y) s.t. x ≤ 4, 2y ≤ 12, 3x + 2y ≤ 18, x, y ≥ 0:
    // the textbook optimum x = 2, y = 6, value 36.
    let mut lp = LinearProgram::new();
    let x = lp.add_variable("x", 0.0, INF, -3.0);
    let y = lp.add_variable("y", 0.0, INF, -5.0);
    lp.add_row("plant 1", -INF, 4.0, [(x, 1.0)]);
    lp.add_row("plant 2", -INF, 12.0, [(y, 2.0)]);
    let plant3 = lp.add_row("plant 3", -INF, 18.0, [(x, 3.0), (y, 2.0)]);
    let solution = lp.solve().unwrap();
    assert_eq!(solution.status, LpStatus::Optimal);
    assert_close(solution.objective.unwrap(), -36.0);
    assert_close(solution.value(x), 2.0);
    assert_close(solution.value(y), 6.0);
    if let Some(duals) = &solution.row_duals {
        // Shadow prices of the textbook example: 0, 1.5, 1 (for the maximisation);
        // negated here, ≤ 0 on the binding ≤ rows.
        assert_close(duals[0], 0.0);
        assert_close(duals[1], -1.5);
        assert_close(duals[plant3.index()], -1.0);
    }
}

#[test]
fn lp_dual_sign_convention_by_hand() {
    // minimise −x − y s.t. r1: x + 2y ≤ 4, r2: 3x + y ≤ 6, r3: x − y ≥ −10 (slack),
    // r4: x + y + z = 5 (equality), z ∈ [0, 10] with cost 1.
    // Optimum x = 8/5, y = 6/5, z = 11/5, objective −14/5 + 11/5 = −3/5.
    // Duals (cost = Aᵀy + d): the equality row prices z: y4 = 1; then
    // (−1 − 1, −1 − 1) = y1·(1, 2) + y2·(3, 1) ⇒ y1 = −4/5, y2 = −2/5 (≤ 0: upper
    // bounds bind; raising r1's bound by 1 lowers the objective by 4/5).
    let mut lp = LinearProgram::new();
    let x = lp.add_variable("x", 0.0, INF, -1.0);
    let y = lp.add_variable("y", 0.0, INF, -1.0);
    let z = lp.add_variable("z", 0.0, 10.0, 1.0);
    lp.add_row("r1", -INF, 4.0, [(x, 1.0), (y, 2.0)]);
    lp.add_row("r2", -INF, 6.0, [(x, 3.0), (y, 1.0)]);
    lp.add_row("r3", -10.0, INF, [(x, 1.0), (y, -1.0)]);
    lp.add_row("r4", 5.0, 5.0, [(x, 1.0), (y, 1.0), (z, 1.0)]);
    let solution = lp.solve().unwrap();
    assert_eq!(solution.status, LpStatus::Optimal);
    assert_close(solution.objective.unwrap(), -0.6);
    assert_close(solution.value(x), 1.6);
    assert_close(solution.value(y), 1.2);
    assert_close(solution.value(z), 2.2);
    match &solution.row_duals {
        Some(duals) => {
            assert_close(duals[0], -0.8);
            assert_close(duals[1], -0.4);
            assert_close(duals[2], 0.0);
            assert_close(duals[3], 1.0);
        }
        None => assert!(!backend_gives_duals()),
    }

    // A row held at its lower bound has a dual ≥ 0: minimise x + 2y, x + y ≥ 3, x ≤ 1.
    let mut lp = LinearProgram::new();
    let x = lp.add_variable("x", 0.0, 1.0, 1.0);
    let y = lp.add_variable("y", 0.0, INF, 2.0);
    lp.add_row("demand", 3.0, INF, [(x, 1.0), (y, 1.0)]);
    let solution = lp.solve().unwrap();
    assert_close(solution.objective.unwrap(), 5.0);
    if let Some(duals) = &solution.row_duals {
        assert_close(duals[0], 2.0);
    }
}

#[test]
fn lp_dual_of_a_ranged_row() {
    // minimise x with 2 ≤ x + 0 ≤ 5 as one ranged row: binds at its lower bound, dual 1.
    // maximise x (minimise −x) with the same row: binds at its upper bound, dual −1.
    for (cost, value, dual) in [(1.0, 2.0, 1.0), (-1.0, 5.0, -1.0)] {
        let mut lp = LinearProgram::new();
        let x = lp.add_variable("x", -INF, INF, cost);
        lp.add_row("range", 2.0, 5.0, [(x, 1.0)]);
        let solution = lp.solve().unwrap();
        assert_close(solution.value(x), value);
        if let Some(duals) = &solution.row_duals {
            assert_close(duals[0], dual);
        }
    }
}

#[test]
fn lp_repeated_terms_are_summed() {
    // x + x ≥ 4 is 2x ≥ 4; a term cancelling to zero (y − y) vanishes.
    let mut lp = LinearProgram::new();
    let x = lp.add_variable("x", 0.0, INF, 1.0);
    let y = lp.add_variable("y", 0.0, 7.0, -1.0);
    lp.add_row("twice", 4.0, INF, [(x, 1.0), (y, 1.0), (x, 1.0), (y, -1.0)]);
    let solution = lp.solve().unwrap();
    assert_close(solution.value(x), 2.0);
    assert_close(solution.value(y), 7.0);
    assert_close(solution.objective.unwrap(), -5.0);
}

#[test]
fn lp_verify_names_the_failing_row_and_rejects_suboptimal_points() {
    let mut lp = LinearProgram::new();
    let x = lp.add_variable("x", 0.0, 1.0, 1.0);
    let y = lp.add_variable("y", 0.0, INF, 2.0);
    lp.add_row("demand", 3.0, INF, [(x, 1.0), (y, 1.0)]);
    // The optimum with its dual passes.
    assert_close(lp.verify(&[1.0, 2.0], Some(&[2.0])).unwrap(), 5.0);
    // Infeasible: the row is named.
    let error = lp.verify(&[1.0, 1.0], None).unwrap_err().to_string();
    assert!(error.contains("demand"), "{error}");
    // Outside a variable bound: the variable is named.
    let error = lp.verify(&[1.5, 1.5], None).unwrap_err().to_string();
    assert!(error.contains("'x'"), "{error}");
    // Feasible but not optimal (x = 0, y = 3 costs 6): no dual closes the gap.
    assert_close(lp.verify(&[0.0, 3.0], None).unwrap(), 6.0);
    for dual in [2.0, 1.0, 0.0] {
        assert!(lp.verify(&[0.0, 3.0], Some(&[dual])).is_err(), "dual {dual}");
    }
    // A dual of the wrong sign (a ≥ row priced as if its upper bound bound) fails.
    assert!(lp.verify(&[1.0, 2.0], Some(&[-2.0])).is_err());
    // Wrong lengths fail.
    assert!(lp.verify(&[1.0], None).is_err());
    assert!(lp.verify(&[1.0, 2.0], Some(&[])).is_err());
}

#[test]
fn lp_infeasible() {
    let mut lp = LinearProgram::new();
    let x = lp.add_variable("x", 0.0, 1.0, 1.0);
    let y = lp.add_variable("y", 0.0, 1.0, 1.0);
    lp.add_row("too much", 3.0, INF, [(x, 1.0), (y, 1.0)]);
    let solution = lp.solve().unwrap();
    assert_eq!(solution.status, LpStatus::Infeasible);
    assert!(solution.objective.is_none() && solution.values.is_empty() && solution.row_duals.is_none());
}

#[test]
fn lp_unbounded_and_infeasible_unbounded() {
    // minimise −x − y, x − y = 0: feasible, ray (1, 1).
    let mut lp = LinearProgram::new();
    let x = lp.add_variable("x", 0.0, INF, -1.0);
    let y = lp.add_variable("y", 0.0, INF, -1.0);
    lp.add_row("equal", 0.0, 0.0, [(x, 1.0), (y, -1.0)]);
    assert_eq!(lp.solve().unwrap().status, LpStatus::Unbounded);
    // Adding an infeasible row makes it infeasible, though the ray remains.
    lp.add_row("impossible", -INF, -1.0, [(x, 1.0), (y, 1.0)]);
    assert_eq!(lp.solve().unwrap().status, LpStatus::Infeasible);
    // A free variable with a cost and no row is unbounded.
    let mut lp = LinearProgram::new();
    lp.add_variable("free", -INF, INF, 1.0);
    assert_eq!(lp.solve().unwrap().status, LpStatus::Unbounded);
}

#[test]
fn lp_empty_programs_and_empty_rows() {
    let solution = LinearProgram::new().solve().unwrap();
    assert_eq!(solution.status, LpStatus::Optimal);
    assert_eq!(solution.objective, Some(0.0));
    // Rows without terms: feasible when their bounds allow 0.
    let mut lp = LinearProgram::new();
    lp.add_row("zero", 0.0, 0.0, []);
    lp.add_row("at most 1", -INF, 1.0, []);
    let solution = lp.solve().unwrap();
    assert_eq!(solution.status, LpStatus::Optimal);
    assert_eq!(solution.row_duals.map(|d| d.len()), backend_gives_duals().then_some(2));
    lp.add_row("at least 1", 1.0, INF, []);
    assert_eq!(lp.solve().unwrap().status, LpStatus::Infeasible);
    // An empty row next to a real one gets dual 0.
    let mut lp = LinearProgram::new();
    let x = lp.add_variable("x", 0.0, INF, 1.0);
    lp.add_row("empty", 0.0, 0.0, []);
    lp.add_row("x ≥ 1", 1.0, INF, [(x, 1.0)]);
    let solution = lp.solve().unwrap();
    assert_close(solution.objective.unwrap(), 1.0);
    if let Some(duals) = solution.row_duals {
        assert_eq!(duals[0], 0.0);
        assert_close(duals[1], 1.0);
    }
}

#[test]
fn lp_invalid_input_is_reported_in_full() {
    let mut lp = LinearProgram::new();
    let x = lp.add_variable("x", 2.0, 1.0, 1.0);
    lp.add_variable("y", 0.0, 1.0, f64::NAN);
    lp.add_variable("z", INF, INF, 0.0);
    lp.add_row("bad coefficient", 0.0, 1.0, [(x, f64::INFINITY)]);
    lp.add_row("no such variable", 0.0, 1.0, [(allocnet::lp::Var(9), 1.0)]);
    lp.add_row("crossed", 1.0, 0.0, [(x, 1.0)]);
    match lp.solve() {
        Err(Error::Invalid(problems)) => {
            let text: Vec<String> = problems.iter().map(ToString::to_string).collect();
            assert_eq!(problems.len(), 6, "{text:#?}");
            for name in [
                "'x' (bounds)",
                "'y' (cost)",
                "'z' (bounds)",
                "bad coefficient",
                "no such variable",
                "crossed",
            ] {
                assert!(text.iter().any(|t| t.contains(name)), "{name} missing from {text:#?}");
            }
        }
        other => panic!("expected Error::Invalid, got {other:?}"),
    }
    assert!(lp.set_cost(allocnet::lp::Var(3), 1.0).is_err());
    assert!(lp.set_bounds(allocnet::lp::Var(3), 0.0, 1.0).is_err());
}

// ---------------------------------------------------------------- solve_flow: optimal

#[test]
fn flow_transshipment_with_capacity() {
    // 0 → 1 → 2 is cheap (1 + 1) but carries at most 4; the rest goes 0 → 2 at 3.
    let net = network(&[5, 0, -5], &[(0, 1, 0, 4, 1), (1, 2, 0, 10, 1), (0, 2, 0, 10, 3)]);
    let solution = lp_solve(&net);
    assert_eq!(solution.status, Status::Optimal);
    assert_eq!(solution.flows, vec![4, 4, 1]);
    assert_eq!(solution.cost, Some(11));
}

#[test]
fn flow_transportation_problem() {
    // Sources 0 (20), 1 (30); sinks 2 (−10), 3 (−25), 4 (−15). Costs:
    //        2  3  4
    //   0 [  8  6 10 ]
    //   1 [  9 12 13 ]
    // Optimum (checked by enumerating the basic solutions): 0→3 20, 1→2 10, 1→3 5,
    // 1→4 15, cost 120 + 90 + 60 + 195 = 465.
    let costs = [[8, 6, 10], [9, 12, 13]];
    let mut arcs = Vec::new();
    for (s, row) in costs.iter().enumerate() {
        for (k, &c) in row.iter().enumerate() {
            arcs.push((s as u32, 2 + k as u32, 0, INFINITE, c));
        }
    }
    let net = network(&[20, 30, -10, -25, -15], &arcs);
    let solution = lp_solve(&net);
    assert_eq!(solution.cost, Some(465));
    assert_eq!(solution.flows, vec![0, 20, 0, 10, 5, 15]);
}

#[test]
fn flow_potentials_are_negated_row_duals() {
    // One arc 0 → 1 of cost 2 carrying 3: the price at the sink is 2 above the source.
    let net = network(&[3, -3], &[(0, 1, 0, 10, 2)]);
    let solution = lp_solve(&net);
    assert_eq!(solution.flows, vec![3]);
    assert_eq!(solution.potentials[1] - solution.potentials[0], 2);
    // And through the LP layer directly: the dual of node 1's row is 2 below node 0's,
    // i.e. potential = −dual.
    let mut lp = LinearProgram::new();
    let arc = lp.add_variable("arc 0→1", 0.0, 10.0, 2.0);
    lp.add_row("node 0", 3.0, 3.0, [(arc, 1.0)]);
    lp.add_row("node 1", -3.0, -3.0, [(arc, -1.0)]);
    let lp_solution = lp.solve().unwrap();
    if let Some(duals) = lp_solution.row_duals {
        assert_close(duals[0] - duals[1], 2.0);
    }
}

#[test]
fn flow_empty_and_zero_arc_networks() {
    let solution = lp_solve(&Network::new());
    assert_eq!((solution.status, solution.cost), (Status::Optimal, Some(0)));
    assert!(solution.flows.is_empty() && solution.potentials.is_empty());

    let solution = lp_solve(&Network::with_nodes(3));
    assert_eq!((solution.status, solution.cost), (Status::Optimal, Some(0)));
    assert_eq!(solution.potentials.len(), 3);

    // Balanced supplies but no arc to move them.
    assert_eq!(lp_solve(&network(&[2, -2], &[])).status, Status::Infeasible);
}

#[test]
fn flow_zero_supplies_with_arcs() {
    // Nothing to ship and no negative cycle: all flows at their lower bound 0.
    let net = network(&[0, 0, 0], &[(0, 1, 0, 5, 3), (1, 2, 0, 5, -1), (2, 0, 0, 5, 1)]);
    let solution = lp_solve(&net);
    assert_eq!(solution.flows, vec![0, 0, 0]);
    assert_eq!(solution.cost, Some(0));
}

#[test]
fn flow_parallel_arcs() {
    // Two arcs 0 → 1: the cheap one (cost 1) fills to 3, the dear one (cost 2) takes 2.
    let net = network(&[5, -5], &[(0, 1, 0, 10, 2), (0, 1, 0, 3, 1)]);
    let solution = lp_solve(&net);
    assert_eq!(solution.flows, vec![2, 3]);
    assert_eq!(solution.cost, Some(7));
}

#[test]
fn flow_lower_bounds() {
    // Arc 0 must carry at least 4 although arc 1 is free: flows 4 and 1, cost 4.
    let net = network(&[5, -5], &[(0, 1, 4, 10, 1), (0, 1, 0, 10, 0)]);
    let solution = lp_solve(&net);
    assert_eq!(solution.flows, vec![4, 1]);
    assert_eq!(solution.cost, Some(4));
    // A circulation forced by a lower bound: 0 → 1 (≥ 3, cost 2), 1 → 0 (cost 5) or
    // 1 → 2 → 0 (cost 1 + 1): 3 units around the cheaper way, cost 3·(2 + 2) = 12.
    let net = network(
        &[0, 0, 0],
        &[(0, 1, 3, 10, 2), (1, 0, 0, 10, 5), (1, 2, 0, 10, 1), (2, 0, 0, 10, 1)],
    );
    let solution = lp_solve(&net);
    assert_eq!(solution.flows, vec![3, 0, 3, 3]);
    assert_eq!(solution.cost, Some(12));
    // Lower bounds that exceed what the supplies allow: infeasible.
    let net = network(&[1, -1], &[(0, 1, 2, 10, 1)]);
    assert_eq!(lp_solve(&net).status, Status::Infeasible);
}

#[test]
fn flow_negative_costs_and_finite_negative_cycle() {
    // Cycle 0 → 1 (cost −2, cap 5), 1 → 0 (cost 1, cap 3): 3 units around, cost −3.
    let net = network(&[0, 0], &[(0, 1, 0, 5, -2), (1, 0, 0, 3, 1)]);
    let solution = lp_solve(&net);
    assert_eq!(solution.flows, vec![3, 3]);
    assert_eq!(solution.cost, Some(-3));
    // A negative arc on a supply path is used fully first: 0 → 1 cost −1 cap 2.
    let net = network(&[4, -4], &[(0, 1, 0, 2, -1), (0, 1, 0, 10, 1)]);
    let solution = lp_solve(&net);
    assert_eq!(solution.flows, vec![2, 2]);
    assert_eq!(solution.cost, Some(0));
}

#[test]
fn flow_self_loops() {
    // Negative self-loop with finite capacity runs at its upper bound: −3·7 = −21.
    let net = network(&[2, -2], &[(0, 0, 0, 7, -3), (0, 1, 0, 5, 1)]);
    let solution = lp_solve(&net);
    assert_eq!(solution.flows, vec![7, 2]);
    assert_eq!(solution.cost, Some(-21 + 2));
    // Positive self-loop with a lower bound stays at its lower bound: 5·2 = 10.
    let net = network(&[0], &[(0, 0, 2, 9, 5)]);
    let solution = lp_solve(&net);
    assert_eq!(solution.flows, vec![2]);
    assert_eq!(solution.cost, Some(10));
    // Negative self-loop with infinite capacity: unbounded.
    let net = network(&[0, 0], &[(0, 0, 0, INFINITE, -1), (0, 1, 0, 5, 1)]);
    assert_eq!(lp_solve(&net).status, Status::Unbounded);
    // Zero-cost self-loop with infinite capacity: optimal (any flow on it is).
    let net = network(&[1, -1], &[(1, 1, 0, INFINITE, 0), (0, 1, 0, 5, 1)]);
    let solution = lp_solve(&net);
    assert_eq!(solution.cost, Some(1));
    assert_eq!(solution.flows[1], 1);
}

#[test]
fn flow_huge_capacities_are_exact() {
    // Capacities and supplies up to 2^53 are exact.
    let big = MAX_EXACT_MAGNITUDE;
    let net = network(&[big, -big], &[(0, 1, 0, big, 3), (0, 1, 0, INFINITE, 4)]);
    let solution = lp_solve(&net);
    assert_eq!(solution.flows, vec![big, 0]);
    assert_eq!(solution.cost, Some(3 * i128::from(big)));
}

// ---------------------------------------------------------------- solve_flow: statuses

#[test]
fn flow_unbalanced_supplies_are_infeasible() {
    let net = network(&[5, -4], &[(0, 1, 0, 10, 1)]);
    assert_eq!(lp_solve(&net).status, Status::Infeasible);
    // Even with an unbounded negative cycle: no feasible flow exists.
    let net = network(&[1, 0], &[(0, 1, 0, INFINITE, -1), (1, 0, 0, INFINITE, -1)]);
    assert_eq!(lp_solve(&net).status, Status::Infeasible);
}

#[test]
fn flow_disconnected_supply_and_demand_is_infeasible() {
    // Supply at 0, demand at 3, arcs only 0 → 1 and 2 → 3.
    let net = network(&[5, 0, 0, -5], &[(0, 1, 0, 10, 1), (2, 3, 0, 10, 1)]);
    assert_eq!(lp_solve(&net).status, Status::Infeasible);
    // Capacity too small.
    let net = network(&[5, -5], &[(0, 1, 0, 4, 1)]);
    assert_eq!(lp_solve(&net).status, Status::Infeasible);
}

#[test]
fn flow_negative_cycle_with_infinite_capacity_is_unbounded() {
    let net = network(
        &[3, 0, -3],
        &[(0, 1, 0, 10, 1), (1, 2, 0, INFINITE, -2), (2, 1, 0, INFINITE, 1)],
    );
    assert_eq!(lp_solve(&net).status, Status::Unbounded);
    // The same cycle with one finite arc is bounded: 3 + 3·(−2) ... plus 10 around.
    let net = network(
        &[3, 0, -3],
        &[(0, 1, 0, 10, 1), (1, 2, 0, INFINITE, -2), (2, 1, 0, 10, 1)],
    );
    let solution = lp_solve(&net);
    assert_eq!(solution.flows, vec![3, 13, 10]);
    assert_eq!(solution.cost, Some(3 - 26 + 10));
}

#[test]
fn flow_infeasible_wins_over_an_unbounded_cycle() {
    // Supply at 0 cannot reach the demand at 1, and node 0 has a negative self-loop of
    // infinite capacity: no flow exists, so the problem is infeasible, not unbounded
    // (unbounded needs a feasible flow to improve). Likewise for a negative cycle
    // 2 → 3 → 2 away from the stranded supply.
    let cases = [
        network(&[1, -1], &[(0, 0, 0, INFINITE, -1)]),
        network(&[1, -1, 0, 0], &[(2, 3, 0, INFINITE, -1), (3, 2, 0, INFINITE, -1)]),
    ];
    for net in cases {
        let solution = solve_flow(&net).unwrap();
        assert_eq!(solution.status, Status::Infeasible, "{net:?}");
        // Independent confirmation: with every cost 0 there is no cycle to exploit,
        // and the network simplex finds no feasible flow either.
        let mut zero_cost = net.clone();
        for a in 0..net.arc_count() as u32 {
            zero_cost.set_cost(a, 0).unwrap();
        }
        assert_eq!(allocnet::flow::solve(&zero_cost).unwrap().status, Status::Infeasible);
    }
}

// ---------------------------------------------------------------- solve_flow: errors

#[test]
fn flow_values_beyond_2_pow_53_are_overflow_errors_naming_the_field() {
    let too_big = MAX_EXACT_MAGNITUDE + 1;
    let cases = [
        (
            network(&[too_big, -too_big], &[(0, 1, 0, INFINITE, 1)]),
            "node 0 (supply)",
        ),
        (
            network(&[0, 0], &[(0, 1, 0, 5, 1), (0, 1, 0, 5, -too_big)]),
            "arc 1 (cost)",
        ),
        (network(&[0, 0], &[(0, 1, 0, too_big, 1)]), "arc 0 (upper)"),
        (network(&[0, 0], &[(0, 1, -too_big, 5, 1)]), "arc 0 (lower)"),
    ];
    for (net, field) in cases {
        match solve_flow(&net) {
            Err(Error::Overflow(message)) => assert!(message.contains(field), "{message}"),
            other => panic!("{field}: expected Error::Overflow, got {other:?}"),
        }
    }
}

#[test]
fn flow_invalid_network_is_an_error() {
    let net = network(&[0, 0], &[(0, 5, 0, 5, 1)]);
    match solve_flow(&net) {
        Err(Error::Invalid(problems)) => assert!(problems[0].path.contains("arc 0 (head)")),
        other => panic!("expected Error::Invalid, got {other:?}"),
    }
}

#[test]
fn flow_solve_with_engine_lp_is_solve_flow() {
    let net = network(&[5, 0, -5], &[(0, 1, 0, 4, 1), (1, 2, 0, 10, 1), (0, 2, 0, 10, 3)]);
    let via_engine = allocnet::engine::solve_with(&net, allocnet::flow::Engine::Lp).unwrap();
    assert_eq!(via_engine, solve_flow(&net).unwrap());
    // The old path, kept as a deprecated shim, gives the same answer.
    #[allow(deprecated)]
    let via_shim = allocnet::flow::solve_with(&net, allocnet::flow::Engine::Lp).unwrap();
    assert_eq!(via_shim, via_engine);
}

#[test]
fn flow_is_deterministic() {
    let net = network(
        &[20, 30, -10, -25, -15],
        &[
            (0, 2, 0, INFINITE, 8),
            (0, 3, 0, INFINITE, 6),
            (0, 4, 0, INFINITE, 10),
            (1, 2, 0, INFINITE, 9),
            (1, 3, 0, INFINITE, 12),
            (1, 4, 0, INFINITE, 13),
        ],
    );
    let first = lp_solve(&net);
    let runs: Vec<FlowSolution> = std::thread::scope(|s| {
        (0..4)
            .map(|_| s.spawn(|| lp_solve(&net)))
            .collect::<Vec<_>>()
            .into_iter()
            .map(|h| h.join().unwrap())
            .collect()
    });
    for run in runs {
        assert_eq!(run, first);
    }
}

// ---------------------------------------------------------------- random cross-check

/// A small deterministic generator (xorshift64*), so the test needs no dependency.
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        (self.0.wrapping_mul(0x2545_f491_4f6c_dd1d) >> 33) % n
    }

    fn range(&mut self, lo: i64, hi: i64) -> i64 {
        lo + self.below((hi - lo + 1) as u64) as i64
    }
}

/// The optimal cost by enumerating every integral flow within the (finite) bounds, or
/// `None` when no flow satisfies conservation.
fn brute_force_cost(net: &Network) -> Option<i128> {
    let m = net.arc_count();
    let mut flows: Vec<i64> = net.lower().to_vec();
    let mut best: Option<i128> = None;
    loop {
        let mut balance = vec![0i64; net.node_count()];
        for a in 0..m {
            balance[net.tails()[a] as usize] += flows[a];
            balance[net.heads()[a] as usize] -= flows[a];
        }
        if balance == net.supplies() {
            let cost = net.cost_of(&flows);
            best = Some(best.map_or(cost, |b: i128| b.min(cost)));
        }
        // Next flow vector (odometer).
        let mut a = 0;
        loop {
            if a == m {
                return best;
            }
            if flows[a] < net.upper()[a] {
                flows[a] += 1;
                break;
            }
            flows[a] = net.lower()[a];
            a += 1;
        }
    }
}

#[test]
fn flow_random_small_networks_match_brute_force() {
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let (mut optimal, mut infeasible) = (0, 0);
    for case in 0..300 {
        let n = rng.range(1, 4) as u32;
        let m = rng.range(0, 6);
        let mut net = Network::with_nodes(n as usize);
        for _ in 0..m {
            let (t, h) = (rng.below(u64::from(n)) as u32, rng.below(u64::from(n)) as u32);
            let lower = rng.range(0, 1);
            let upper = rng.range(lower, 3);
            net.add_arc_with_bounds(t, h, lower, upper, rng.range(-3, 5));
        }
        let mut total = 0;
        for v in 0..n - 1 {
            let s = rng.range(-2, 2);
            net.set_supply(v, s).unwrap();
            total += s;
        }
        // Mostly balanced, sometimes not.
        let last = if rng.below(5) == 0 { rng.range(-2, 2) } else { -total };
        net.set_supply(n - 1, last).unwrap();

        let solution = lp_solve(&net);
        match brute_force_cost(&net) {
            Some(cost) => {
                assert_eq!(solution.status, Status::Optimal, "case {case}: {net:?}");
                assert_eq!(solution.cost, Some(cost), "case {case}: {net:?}");
                optimal += 1;
            }
            None => {
                assert_eq!(solution.status, Status::Infeasible, "case {case}: {net:?}");
                infeasible += 1;
            }
        }
    }
    // The generator exercises both outcomes.
    assert!(
        optimal > 50 && infeasible > 50,
        "optimal {optimal}, infeasible {infeasible}"
    );
}

// ---------------------------------------------------------------- timing (run by hand)

/// A feasible transshipment network: a cycle of dear, uncapacitated backbone arcs
/// through all nodes, random cheaper capacitated arcs, and `sources` nodes of supply
/// 500 balanced by as many of demand 500.
fn transshipment(nodes: u32, arcs: usize, sources: u32, seed: u64) -> Network {
    let mut rng = Rng(seed);
    let mut net = Network::with_nodes(nodes as usize);
    for v in 0..nodes {
        net.add_arc(v, (v + 1) % nodes, INFINITE, 1000);
    }
    while net.arc_count() < arcs {
        let (t, h) = (rng.below(u64::from(nodes)) as u32, rng.below(u64::from(nodes)) as u32);
        net.add_arc(t, h, rng.range(1, 1000), rng.range(1, 100));
    }
    for k in 0..sources {
        net.set_supply(2 * k, 500).unwrap();
        net.set_supply(2 * k + 1, -500).unwrap();
    }
    net
}

/// Prints how long building and solving the LP of a generated network take.
fn time_flow_lp(nodes: u32, arcs: usize, sources: u32, seed: u64) {
    use std::time::Instant;
    let net = transshipment(nodes, arcs, sources, seed);
    let start = Instant::now();
    let lp = allocnet::lp::flow_program(&net).unwrap();
    let build = start.elapsed();
    let start = Instant::now();
    let lp_solution = lp.solve().unwrap();
    let solve = start.elapsed();
    let start = Instant::now();
    let solution = solve_flow(&net).unwrap();
    let total = start.elapsed();
    let start = Instant::now();
    let simplex = allocnet::flow::solve(&net).unwrap();
    let simplex_time = start.elapsed();
    assert!(verify_solution(&net, &solution).is_empty());
    assert_eq!((solution.status, solution.cost), (Status::Optimal, simplex.cost));
    assert_close(lp_solution.objective.unwrap(), solution.cost.unwrap() as f64);
    println!(
        "{} nodes, {} arcs ({}): flow_program {build:?}, LinearProgram::solve {solve:?}, solve_flow {total:?} \
         (network simplex {simplex_time:?}), cost {:?}",
        net.node_count(),
        net.arc_count(),
        backend_name(),
        solution.cost
    );
}

/// `cargo test --release --test lp_engine -- --ignored --nocapture`.
#[test]
#[ignore = "timing, run by hand in release mode"]
fn flow_lp_timing_10k_arcs() {
    time_flow_lp(1_000, 10_000, 50, 6);
}

/// `cargo test --release --test lp_engine -- --ignored --nocapture`: also builds (does
/// not solve) the LP of a 1M-arc network.
#[test]
#[ignore = "timing, run by hand in release mode (HiGHS: tens of seconds)"]
fn flow_lp_timing_100k_arcs() {
    time_flow_lp(10_000, 100_000, 200, 7);
    let net = transshipment(200_000, 1_000_000, 2_000, 8);
    let start = std::time::Instant::now();
    let lp = allocnet::lp::flow_program(&net).unwrap();
    println!(
        "{} arcs: flow_program {:?} ({} rows)",
        net.arc_count(),
        start.elapsed(),
        lp.row_count()
    );
}
