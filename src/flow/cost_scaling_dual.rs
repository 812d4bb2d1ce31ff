//! Exact node potentials for the flow the cost-scaling phases end with.
//!
//! The last phase leaves prices that are 1-optimal for costs scaled by `n + 1`;
//! divided back they are off by at most one per arc. Starting from them, a
//! queue-based Bellman–Ford on the residual graph (original costs) lowers each
//! potential until no residual arc has a negative reduced cost (as LEMON's
//! `CostScaling` does). The flow is optimal, so the residual graph has no negative
//! cycle and this ends; a node entering the queue more than `n` times would prove
//! otherwise, and is reported as an internal error rather than looping.

use super::cost_scaling_graph::{Residual, Word};
use crate::error::{Error, Result};
use std::collections::VecDeque;

/// Potentials `π` (original units) with `cost + π[tail] − π[head] ≥ 0` on every
/// residual arc, from scaled `prices` and the cost `scale`.
pub(super) fn exact_potentials<W: Word>(g: &Residual<W>, prices: &[i64], scale: i64) -> Result<Vec<i64>> {
    let n = g.node_count();
    let mut pi: Vec<i64> = prices.iter().map(|&p| p.div_euclid(scale)).collect();
    let mut queued = vec![true; n];
    let mut visits = vec![0u32; n];
    let mut queue: VecDeque<u32> = (0..n as u32).collect();
    while let Some(u) = queue.pop_front() {
        let u = u as usize;
        queued[u] = false;
        visits[u] += 1;
        if visits[u] as usize > n + 1 {
            return Err(Error::Solver(
                "cost scaling: the final flow has a negative residual cycle (internal error)".into(),
            ));
        }
        let pu = pi[u];
        for arc in &g.arcs[g.out(u)] {
            if arc.cap() > 0 {
                let v = arc.target as usize;
                // Exact: scaled costs are multiples of `scale`.
                let bound = pu + arc.cost.get() / scale;
                if pi[v] > bound {
                    pi[v] = bound;
                    if !queued[v] {
                        queued[v] = true;
                        queue.push_back(v as u32);
                    }
                }
            }
        }
    }
    Ok(pi)
}
