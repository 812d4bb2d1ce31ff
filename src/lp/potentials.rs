//! Exact integer node potentials for a feasible flow, from shortest paths in its
//! residual graph (Bellman–Ford). A flow is optimal exactly when its residual graph has
//! no negative-cost cycle; then shortest-path distances from a virtual source (an arc
//! of cost 0 to every node) satisfy complementary slackness. Used when the LP backend
//! gives no duals, or its duals do not certify the flow.

use crate::error::{Error, Result};
use crate::flow::Network;

/// One arc of the residual graph: `from → to` with `cost`, a copy of network arc `arc`
/// (forward: room to increase its flow) or its reverse (room to decrease it).
struct ResidualArc {
    from: usize,
    to: usize,
    cost: i128,
    arc: usize,
}

/// Potentials `p` with `cost(a) + p(tail) − p(head) ≥ 0` where `flow < upper` and
/// `≤ 0` where `flow > lower` (the [`FlowSolution`](crate::flow::FlowSolution)
/// convention), computed exactly in `i128`. A negative residual cycle (the flow is not
/// optimal) is an [`Error::Solver`] naming its arcs; a potential beyond `i64` an
/// [`Error::Overflow`]. `flows` must have one entry per arc.
pub(crate) fn residual_potentials(network: &Network, flows: &[i64]) -> Result<Vec<i64>> {
    let n = network.node_count();
    let residual = residual_arcs(network, flows);
    // dist = 0 everywhere is the first pass from the virtual source.
    let mut dist = vec![0i128; n];
    let mut pred: Vec<Option<usize>> = vec![None; n];
    for pass in 0..n {
        let mut last_relaxed = None;
        for (e, r) in residual.iter().enumerate() {
            let candidate = dist[r.from] + r.cost;
            if candidate < dist[r.to] {
                dist[r.to] = candidate;
                pred[r.to] = Some(e);
                last_relaxed = Some(r.to);
            }
        }
        match last_relaxed {
            None => break,
            // Shortest simple paths have at most n − 1 arcs: a change in pass n means a
            // negative cycle.
            Some(node) if pass + 1 == n => return Err(negative_cycle(&residual, &pred, node, n)),
            Some(_) => {}
        }
    }
    dist.iter()
        .enumerate()
        .map(|(v, &d)| {
            i64::try_from(d).map_err(|_| Error::Overflow(format!("node {v} (potential): {d} does not fit in i64")))
        })
        .collect()
}

fn residual_arcs(network: &Network, flows: &[i64]) -> Vec<ResidualArc> {
    let (tails, heads, costs) = (network.tails(), network.heads(), network.costs());
    let (lower, upper) = (network.lower(), network.upper());
    let mut residual = Vec::with_capacity(network.arc_count());
    for (a, &f) in flows.iter().enumerate() {
        let (t, h, c) = (tails[a] as usize, heads[a] as usize, i128::from(costs[a]));
        if f < upper[a] {
            residual.push(ResidualArc {
                from: t,
                to: h,
                cost: c,
                arc: a,
            });
        }
        if f > lower[a] {
            residual.push(ResidualArc {
                from: h,
                to: t,
                cost: -c,
                arc: a,
            });
        }
    }
    residual
}

/// The error for a negative residual cycle reached from `node` (relaxed in pass n):
/// walking `n` predecessors back lands on the cycle.
fn negative_cycle(residual: &[ResidualArc], pred: &[Option<usize>], node: usize, n: usize) -> Error {
    let mut on_cycle = node;
    for _ in 0..n {
        match pred[on_cycle] {
            Some(e) => on_cycle = residual[e].from,
            None => return not_optimal("its residual graph has a negative-cost cycle"),
        }
    }
    let (mut arcs, mut cost, mut v) = (Vec::new(), 0i128, on_cycle);
    loop {
        let Some(e) = pred[v] else {
            return not_optimal("its residual graph has a negative-cost cycle");
        };
        arcs.push(residual[e].arc);
        cost += residual[e].cost;
        v = residual[e].from;
        if v == on_cycle || arcs.len() > n {
            break;
        }
    }
    arcs.reverse();
    not_optimal(&format!(
        "its residual graph has a cycle of cost {cost} through arcs {arcs:?}"
    ))
}

fn not_optimal(reason: &str) -> Error {
    Error::Solver(format!("the LP's flow is not optimal: {reason}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::flow::{check_optimality, INFINITE};

    fn two_routes() -> Network {
        // 0 → 1 directly (cost 5) or via 2 (cost 1 + 1), capacities 10.
        let mut net = Network::with_nodes(3);
        net.set_supply(0, 4).unwrap();
        net.set_supply(1, -4).unwrap();
        net.add_arc(0, 1, 10, 5);
        net.add_arc(0, 2, 10, 1);
        net.add_arc(2, 1, 10, 1);
        net
    }

    #[test]
    fn potentials_certify_an_optimal_flow() {
        let net = two_routes();
        let flows = [0, 4, 4];
        let potentials = residual_potentials(&net, &flows).unwrap();
        assert!(check_optimality(&net, &flows, &potentials).is_empty());
        assert_eq!(potentials[1] - potentials[0], 2);
    }

    #[test]
    fn a_suboptimal_flow_is_rejected_with_its_improving_cycle() {
        // Direct route used: the residual cycle 0 → 2 → 1 → 0 costs 1 + 1 − 5 = −3.
        let net = two_routes();
        let message = residual_potentials(&net, &[4, 0, 0]).unwrap_err().to_string();
        assert!(message.contains("cost -3"), "{message}");
        assert!(
            message.contains("arcs [") && message.contains('0') && message.contains('1'),
            "{message}"
        );
    }

    #[test]
    fn a_negative_self_loop_below_capacity_is_rejected() {
        let mut net = Network::with_nodes(1);
        net.add_arc(0, 0, INFINITE, -1);
        let message = residual_potentials(&net, &[5]).unwrap_err().to_string();
        assert!(message.contains("cost -1 through arcs [0]"), "{message}");
    }
}
