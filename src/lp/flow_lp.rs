//! A min-cost flow [`Network`] solved as a linear program, with an exact, integral,
//! certified answer.

use super::model::{LinearProgram, Var};
use super::potentials::residual_potentials;
use super::solve::{LpSolution, LpStatus};
use crate::error::{Error, Result};
use crate::flow::{check_optimality, verify_solution, FlowSolution, Network, Status, Violation, INFINITE};

/// The largest magnitude the LP engine accepts for a supply, bound or cost: `2^53`,
/// beyond which `f64` (the LP's number type) no longer represents every integer.
pub const MAX_EXACT_MAGNITUDE: i64 = 1 << 53;

/// How far an LP flow or dual may lie from the nearest integer before it is rejected.
pub const INTEGRALITY_TOLERANCE: f64 = 1e-6;

/// Solves a min-cost flow problem as a linear program with the compiled-in backend
/// ([`backend_name`](crate::lp::backend_name)): one variable per arc (its bounds,
/// [`INFINITE`] meaning no upper bound; its cost), one equality row per node
/// (`outflow − inflow = supply`). LP variable `j` is arc `j`, LP row `i` is node `i`.
///
/// The answer is exact and certified, whatever the backend: flows must lie within
/// [`INTEGRALITY_TOLERANCE`] of integers (the network matrix is totally unimodular,
/// so a basic solution is integral) and are then rounded; potentials are the negated
/// row duals, rounded likewise, or — when the backend gives no duals or they do not
/// certify the flow — exact shortest-path distances in the flow's residual graph.
/// Finally [`verify_solution`] (exact, in integers) must pass. Anything else is an
/// [`Error::Solver`] saying what failed; nothing is rounded silently.
///
/// Status: supplies that do not sum to 0 are [`Status::Infeasible`] at once; otherwise
/// the LP's status (infeasible / unbounded resolved and checked by
/// [`LinearProgram::solve`]).
///
/// Errors: an invalid network ([`Network::validate`]) is [`Error::Invalid`]; a supply,
/// finite bound or cost beyond [`MAX_EXACT_MAGNITUDE`], or an LP flow beyond it, is
/// [`Error::Overflow`] naming the node or arc and the field. The total cost needs no
/// such limit: it is computed exactly, in `i128`, from the integral flows (the LP's
/// `f64` objective only serves the LP-level checks).
///
/// ```
/// use allocnet::flow::{Network, Status};
/// let mut net = Network::with_nodes(3);
/// net.set_supply(0, 5).unwrap();
/// net.set_supply(2, -5).unwrap();
/// net.add_arc(0, 1, 4, 1); // tail, head, upper, cost
/// net.add_arc(1, 2, 10, 1);
/// net.add_arc(0, 2, 10, 3);
/// let solution = allocnet::lp::solve_flow(&net).unwrap();
/// assert_eq!(solution.status, Status::Optimal);
/// assert_eq!(solution.cost, Some(4 * 2 + 1 * 3));
/// assert_eq!(solution.flows, vec![4, 4, 1]);
/// assert!(allocnet::flow::verify_solution(&net, &solution).is_empty());
/// ```
pub fn solve_flow(network: &Network) -> Result<FlowSolution> {
    check_network(network)?;
    if network.supply_balance() != 0 {
        return Ok(FlowSolution::without_flow(Status::Infeasible));
    }
    let lp = build_program(network);
    let solution = lp.solve().map_err(in_flow_terms)?;
    match solution.status {
        LpStatus::Infeasible => Ok(FlowSolution::without_flow(Status::Infeasible)),
        LpStatus::Unbounded => Ok(FlowSolution::without_flow(Status::Unbounded)),
        LpStatus::Optimal => certified_flow(network, &solution),
    }
}

/// [`Network::validate`], then rejects any supply, finite bound or cost whose magnitude
/// exceeds [`MAX_EXACT_MAGNITUDE`], naming the first one.
fn check_network(network: &Network) -> Result<()> {
    network.validate()?;
    let too_big = |value: i64| value.unsigned_abs() > MAX_EXACT_MAGNITUDE.unsigned_abs();
    let overflow = |what: String, value: i64| {
        Error::Overflow(format!(
            "{what}: |{value}| exceeds 2^53 = {MAX_EXACT_MAGNITUDE}, the largest integer the LP engine (f64) represents exactly"
        ))
    };
    for (v, &supply) in network.supplies().iter().enumerate() {
        if too_big(supply) {
            return Err(overflow(format!("node {v} (supply)"), supply));
        }
    }
    for a in 0..network.arc_count() {
        let (lower, upper, cost) = (network.lower()[a], network.upper()[a], network.costs()[a]);
        if too_big(lower) {
            return Err(overflow(format!("arc {a} (lower)"), lower));
        }
        if upper != INFINITE && too_big(upper) {
            return Err(overflow(format!("arc {a} (upper)"), upper));
        }
        if too_big(cost) {
            return Err(overflow(format!("arc {a} (cost)"), cost));
        }
    }
    Ok(())
}

/// The LP of a min-cost flow `network`, for models that add their own variables and
/// rows to it (coupled capacities, fairness): variable `j` is arc `j` (bounds
/// `[lower, upper]`, [`INFINITE`] → `+∞`; objective coefficient = its cost), row `i` is
/// node `i`'s conservation `Σ_{a leaves i} x_a − Σ_{a enters i} x_a = supply_i` (a
/// self-loop leaves and enters, so it has no entry). Built in one linear pass.
///
/// Errors as [`solve_flow`]: an invalid network, or a value beyond
/// [`MAX_EXACT_MAGNITUDE`].
///
/// ```
/// use allocnet::flow::Network;
/// use allocnet::lp::{flow_program, Var};
/// let mut net = Network::with_nodes(2);
/// net.set_supply(0, 4).unwrap();
/// net.set_supply(1, -4).unwrap();
/// net.add_arc(0, 1, 10, 3);
/// net.add_arc(0, 1, 10, 5);
/// let mut lp = flow_program(&net).unwrap();
/// // A shared truck: both arcs together carry at most 3.
/// lp.add_row("truck", f64::NEG_INFINITY, 3.0, [(Var(0), 1.0), (Var(1), 1.0)]);
/// assert_eq!(lp.solve().unwrap().status, allocnet::lp::LpStatus::Infeasible);
/// ```
pub fn flow_program(network: &Network) -> Result<LinearProgram> {
    check_network(network)?;
    Ok(build_program(network))
}

/// The LP of a checked network (see [`flow_program`]), in one linear pass.
fn build_program(network: &Network) -> LinearProgram {
    let (n, m) = (network.node_count(), network.arc_count());
    let (tails, heads) = (network.tails(), network.heads());
    let mut lp = LinearProgram::with_capacity(m, n, 2 * m);
    for a in 0..m {
        let upper = network.upper()[a];
        let upper = if upper == INFINITE { f64::INFINITY } else { upper as f64 };
        lp.add_variable("", network.lower()[a] as f64, upper, network.costs()[a] as f64);
    }
    // Incidence lists by node (counting sort), arcs in increasing order per node.
    let mut start = vec![0usize; n + 1];
    for a in 0..m {
        if tails[a] != heads[a] {
            start[tails[a] as usize + 1] += 1;
            start[heads[a] as usize + 1] += 1;
        }
    }
    for v in 0..n {
        start[v + 1] += start[v];
    }
    let mut next = start.clone();
    let mut entries = vec![(Var(0), 0.0); start[n]];
    for a in 0..m {
        let (t, h) = (tails[a] as usize, heads[a] as usize);
        if t != h {
            entries[next[t]] = (Var(a), 1.0);
            next[t] += 1;
            entries[next[h]] = (Var(a), -1.0);
            next[h] += 1;
        }
    }
    for (v, &supply) in network.supplies().iter().enumerate() {
        let supply = supply as f64;
        lp.add_row("", supply, supply, entries[start[v]..start[v + 1]].iter().copied());
    }
    lp
}

/// Says which network item an LP error's `variable j` / `row i` is.
fn in_flow_terms(error: Error) -> Error {
    match error {
        Error::Solver(message) => {
            Error::Solver(format!("flow LP (LP variable j = arc j, LP row i = node i): {message}"))
        }
        other => other,
    }
}

/// Rounds the LP's optimum to integers, finds certifying potentials (the duals, else
/// residual shortest paths) and verifies the result exactly.
fn certified_flow(network: &Network, solution: &LpSolution) -> Result<FlowSolution> {
    let flows = integral_flows(&solution.values)?;
    let from_duals = solution
        .row_duals
        .as_deref()
        .and_then(potentials_from_duals)
        .filter(|potentials| check_optimality(network, &flows, potentials).is_empty());
    let potentials = match from_duals {
        Some(potentials) => potentials,
        None => {
            // Bounds and conservation first (reduced costs need potentials).
            let infeasible: Vec<Violation> = check_optimality(network, &flows, &vec![0; network.node_count()])
                .into_iter()
                .filter(|v| !matches!(v, Violation::ReducedCost { .. }))
                .collect();
            if !infeasible.is_empty() {
                return Err(failed_certificate("flow", &infeasible));
            }
            residual_potentials(network, &flows)?
        }
    };
    let solution = FlowSolution {
        status: Status::Optimal,
        cost: Some(network.cost_of(&flows)),
        flows,
        potentials,
    };
    let violations = verify_solution(network, &solution);
    if violations.is_empty() {
        Ok(solution)
    } else {
        Err(failed_certificate("solution", &violations))
    }
}

/// The LP values as integers: each must lie within [`INTEGRALITY_TOLERANCE`] of one,
/// with magnitude at most [`MAX_EXACT_MAGNITUDE`].
fn integral_flows(values: &[f64]) -> Result<Vec<i64>> {
    values
        .iter()
        .enumerate()
        .map(|(a, &x)| {
            let rounded = x.round();
            if !rounded.is_finite() || rounded.abs() > MAX_EXACT_MAGNITUDE as f64 {
                return Err(Error::Overflow(format!(
                    "arc {a} (flow): the LP's value {x} exceeds 2^53 in magnitude"
                )));
            }
            if (x - rounded).abs() > INTEGRALITY_TOLERANCE {
                return Err(Error::Solver(format!(
                    "arc {a} (flow): the LP's value {x} is not integral (a basic solution of a network LP is)"
                )));
            }
            Ok(rounded as i64)
        })
        .collect()
}

/// Potentials `−dual`, if every dual lies within [`INTEGRALITY_TOLERANCE`] of an
/// integer of magnitude at most [`MAX_EXACT_MAGNITUDE`].
fn potentials_from_duals(row_duals: &[f64]) -> Option<Vec<i64>> {
    row_duals
        .iter()
        .map(|&y| {
            let rounded = (-y).round();
            let usable = rounded.abs() <= MAX_EXACT_MAGNITUDE as f64 && (-y - rounded).abs() <= INTEGRALITY_TOLERANCE;
            usable.then_some(rounded as i64)
        })
        .collect()
}

fn failed_certificate(what: &str, violations: &[Violation]) -> Error {
    const SHOWN: usize = 5;
    let mut message = format!("the LP's {what} fails the exact optimality check: ");
    let listed: Vec<String> = violations.iter().take(SHOWN).map(ToString::to_string).collect();
    message.push_str(&listed.join("; "));
    if violations.len() > SHOWN {
        message.push_str(&format!("; and {} more", violations.len() - SHOWN));
    }
    Error::Solver(message)
}
