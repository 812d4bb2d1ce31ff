//! The residual graph of the cost-scaling engine: every arc twice (forward with its
//! capacity, backward with capacity 0), grouped by the node they leave in CSR order.
//!
//! Within a node the residual arcs keep the input order of their arcs (a forward copy
//! at its tail, a backward copy at its head), so the scan order, and with it the
//! optimum found, depends only on the input.

use crate::error::{Error, Result};
use crate::limits::{check_memory, try_vec};

/// Bytes the residual graph takes per arc (two residual arcs of target, reverse,
/// capacity and cost, plus the position of the forward copy).
pub(super) const BYTES_PER_ARC: u128 = 2 * (4 + 4 + 8 + 8) + 4;

/// Bytes the engine takes per node (CSR offset, price, excess, current arc, the
/// global update's buckets and ranks, the potentials' work arrays, price refinement's
/// marks, predecessors and order).
pub(super) const BYTES_PER_NODE: u128 = 4 + 8 + 8 + 4 + 16 + 16 + 9;

/// The residual graph in CSR form. Capacities and costs are filled per solve.
#[derive(Clone, Debug)]
pub(super) struct Residual {
    /// Residual arcs leaving node `v`: `first_out[v]..first_out[v + 1]`.
    pub(super) first_out: Vec<u32>,
    /// Head of each residual arc.
    pub(super) target: Vec<u32>,
    /// The other copy of the same arc.
    pub(super) reverse: Vec<u32>,
    /// Where arc `a`'s forward copy sits.
    pub(super) forward: Vec<u32>,
    /// Residual capacity of each residual arc.
    pub(super) res_cap: Vec<i64>,
    /// Scaled cost of each residual arc (the backward copy has the negated cost).
    pub(super) cost: Vec<i64>,
}

impl Residual {
    /// Builds the structure for arcs `tails[a] → heads[a]` on `node_count` nodes
    /// (indices already validated).
    pub(super) fn new(node_count: usize, tails: &[u32], heads: &[u32]) -> Result<Self> {
        let m = tails.len();
        let slots = 2 * m;
        if slots >= u32::MAX as usize {
            return Err(Error::invalid(
                "network",
                format!(
                    "the cost-scaling engine supports fewer than {} arcs, got {m}",
                    u32::MAX / 2
                ),
            ));
        }
        let bytes = BYTES_PER_ARC * m as u128 + BYTES_PER_NODE * (node_count as u128 + 1);
        check_memory("network", "the cost-scaling engine", bytes)?;
        let mut first_out: Vec<u32> = try_vec(node_count + 1, 0, "network (nodes)")?;
        for (&t, &h) in tails.iter().zip(heads) {
            first_out[t as usize + 1] += 1;
            first_out[h as usize + 1] += 1;
        }
        for v in 0..node_count {
            first_out[v + 1] += first_out[v];
        }
        let mut next = first_out.clone();
        let mut target: Vec<u32> = try_vec(slots, 0, "network (arcs)")?;
        let mut reverse: Vec<u32> = try_vec(slots, 0, "network (arcs)")?;
        let mut forward: Vec<u32> = try_vec(m, 0, "network (arcs)")?;
        for (a, (&t, &h)) in tails.iter().zip(heads).enumerate() {
            let f = next[t as usize];
            next[t as usize] += 1;
            let b = next[h as usize];
            next[h as usize] += 1;
            target[f as usize] = h;
            target[b as usize] = t;
            reverse[f as usize] = b;
            reverse[b as usize] = f;
            forward[a] = f;
        }
        Ok(Self {
            first_out,
            target,
            reverse,
            forward,
            res_cap: try_vec(slots, 0, "network (arcs)")?,
            cost: try_vec(slots, 0, "network (arcs)")?,
        })
    }

    /// Number of nodes.
    pub(super) fn node_count(&self) -> usize {
        self.first_out.len() - 1
    }

    /// Sets arc `a`'s capacity (flow 0) and scaled cost on both copies.
    #[inline]
    pub(super) fn set_arc(&mut self, a: usize, capacity: i64, scaled_cost: i64) {
        let f = self.forward[a] as usize;
        let b = self.reverse[f] as usize;
        self.res_cap[f] = capacity;
        self.res_cap[b] = 0;
        self.cost[f] = scaled_cost;
        self.cost[b] = -scaled_cost;
    }

    /// The node arc `a` leaves.
    #[inline]
    pub(super) fn tail(&self, a: usize) -> usize {
        self.target[self.reverse[self.forward[a] as usize] as usize] as usize
    }

    /// The node arc `a` enters.
    #[inline]
    pub(super) fn head(&self, a: usize) -> usize {
        self.target[self.forward[a] as usize] as usize
    }

    /// The flow on arc `a` (what its backward copy can send back).
    #[inline]
    pub(super) fn flow(&self, a: usize) -> i64 {
        self.res_cap[self.reverse[self.forward[a] as usize] as usize]
    }
}
