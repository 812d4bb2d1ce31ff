//! Dual network simplex: the warm re-solve after supply and bound changes.
//!
//! After [`set_supply`](NetworkSimplex::set_supply) and
//! [`set_bounds`](NetworkSimplex::set_bounds) (no cost change) the previous optimal
//! spanning tree is still *dual* feasible: its potentials give every arc outside the
//! tree a reduced cost of the right sign for the bound it sits at. Only the tree flows
//! change, and some may leave their bounds. The dual simplex keeps the tree dual
//! feasible and repairs the flows one tree arc at a time (the textbook bounded dual
//! simplex on the network basis; Ahuja, Magnanti & Orlin, *Network Flows*, §11.8):
//!
//! 1. the **leaving arc** is the tree arc with the largest bound violation (lowest node
//!    on ties); it moves to the bound it violates;
//! 2. removing it cuts the tree in two; the side below it now has too much or too
//!    little outflow. The **entering arc** is the arc outside the tree that crosses the
//!    cut in the direction that fixes this and has the least reduced cost (lowest arc
//!    on ties), which keeps every reduced cost's sign. No such arc: no feasible flow
//!    exists (the cut cannot carry the supply on its side);
//! 3. the violation is pushed around the cycle the entering arc closes, the tree is
//!    re-hung and the potentials of the cut-off side shift by that reduced cost (the
//!    same update as a primal pivot).
//!
//! The arcs crossing the cut are found from the smaller side's incidence lists, so a
//! pivot costs about the degree sum of the smaller side, not a scan of every arc.
//! Artificial arcs that left the tree in an earlier solve stay out (as in the primal
//! phase, they never re-enter); the big-M argument of the primal phase applies
//! unchanged, so flow left on an artificial tree arc at the end means infeasible.
//!
//! Degenerate dual pivots could in principle cycle: past [`pivot_limit`] pivots the
//! solve gives up and starts cold, so every solve terminates.

use super::{NetworkSimplex, DIR_DOWN, DIR_UP, INFINITE, STATE_LOWER, STATE_TREE, STATE_UPPER};
use crate::limits::try_vec;

/// How a dual re-solve ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum DualEnd {
    /// The tree is primal and dual feasible: optimal (for the artificial problem).
    Optimal,
    /// A cut cannot carry its side's supply: the problem has no feasible flow. The
    /// tree stays a valid dual feasible basis for the next re-solve.
    Infeasible,
    /// The old basis cannot serve (an arc at its upper bound lost its capacity limit
    /// with a non-zero reduced cost, a flow does not fit, memory) or the pivot limit
    /// was reached: start cold. The arrays hold a valid tree but not a basis.
    GiveUp,
}

/// Scratch memory of the dual re-solve, built on its first use and kept.
#[derive(Clone, Debug, Default)]
pub(super) struct DualScratch {
    /// Real arcs at each node (both ends), compressed: node `v`'s arcs are
    /// `incident[start[v]..start[v + 1]]`.
    start: Vec<u32>,
    incident: Vec<u32>,
    /// Nodes whose tree arc may violate a bound (a superset), and a flag per node.
    queue: Vec<u32>,
    queued: Vec<bool>,
    /// `side[v] == stamp` marks the nodes below the leaving arc in this pivot.
    side: Vec<u32>,
    stamp: u32,
}

/// Most dual pivots one re-solve may take before it starts cold instead (a guard
/// against cycling on degenerate pivots; far above what re-solves take, see
/// `BENCHMARKS.md`).
fn pivot_limit(nodes: usize) -> u64 {
    4 * nodes as u64 + 100
}

/// How far a tree arc's flow is outside `0..=cap` (0 inside).
#[inline]
fn violation(flow: i64, cap: i64) -> i64 {
    if flow < 0 {
        -flow
    } else if cap != INFINITE && flow > cap {
        flow - cap
    } else {
        0
    }
}

impl NetworkSimplex {
    /// Re-solves from the previous basis with the dual simplex (costs unchanged since
    /// the basis was optimal). Counts its pivots in `pivots`.
    pub(super) fn dual_resolve(&mut self) -> DualEnd {
        if !self.prepare_dual() {
            return DualEnd::GiveUp;
        }
        let limit = pivot_limit(self.node_count);
        loop {
            let Some(u) = self.most_violated() else {
                return DualEnd::Optimal;
            };
            if self.pivots >= limit {
                return DualEnd::GiveUp;
            }
            if !self.dual_pivot(u) {
                return DualEnd::Infeasible;
            }
        }
    }

    /// Sets the old tree up for the dual phase: potentials from the tree, non-tree
    /// arcs at their (new) bounds, tree flows from the new supplies, the queue of
    /// violated tree arcs. `false` when the basis cannot serve.
    fn prepare_dual(&mut self) -> bool {
        if !self.ensure_scratch() {
            return false;
        }
        self.compute_potentials();
        let (n, m) = (self.node_count, self.arc_count);
        for a in 0..m {
            if self.state[a] == STATE_UPPER && self.capacity(a) == INFINITE {
                // No upper bound any more: the arc must sit at its lower bound, which
                // keeps dual feasibility only if its reduced cost is 0.
                if self.signed_reduced_cost(a) != 0 {
                    return false;
                }
                self.set_state(a, STATE_LOWER);
            }
        }
        if !self.tree_flows_from_supplies() {
            return false;
        }
        let scratch = &mut self.dual;
        scratch.queue.clear();
        for u in 0..n {
            let bad = violation(self.tree[u].flow, self.tree[u].cap) != 0;
            scratch.queued[u] = bad;
            if bad {
                scratch.queue.push(u as u32);
            }
        }
        true
    }

    /// Builds the incidence lists and flags once (sizes from the network, allocated
    /// fallibly). `false` if memory is short.
    fn ensure_scratch(&mut self) -> bool {
        let (n, m) = (self.node_count, self.arc_count);
        if self.dual.start.len() == n + 2 {
            return true;
        }
        let (Ok(mut start), Ok(mut incident), Ok(queued), Ok(side)) = (
            try_vec(n + 2, 0u32, "network (nodes)"),
            try_vec(2 * m, 0u32, "network (arcs)"),
            try_vec(n + 1, false, "network (nodes)"),
            try_vec(n + 1, 0u32, "network (nodes)"),
        ) else {
            return false;
        };
        for a in 0..m {
            let (s, t) = self.ends.get(a);
            start[s + 2] += 1;
            start[t + 2] += 1;
        }
        for v in 2..n + 2 {
            start[v] += start[v - 1];
        }
        // start[v + 1] is now where node v's arcs begin; fill moves it to their end.
        for a in 0..m {
            let (s, t) = self.ends.get(a);
            for v in [s, t] {
                incident[start[v + 1] as usize] = a as u32;
                start[v + 1] += 1;
            }
        }
        self.dual = super::dual::DualScratch {
            start,
            incident,
            queue: Vec::new(),
            queued,
            side,
            stamp: 0,
        };
        true
    }

    /// Tree flows that meet the current supplies with every non-tree arc at its
    /// bound, whatever their sign (the dual phase repairs them); tree arcs take their
    /// current capacities. `false` if a flow does not fit `i64`.
    fn tree_flows_from_supplies(&mut self) -> bool {
        let (n, m) = (self.node_count, self.arc_count);
        let root = n;
        let mut excess: Vec<i128> = self.tsupply.iter().map(|&s| i128::from(s)).collect();
        for a in 0..m {
            if self.state[a] != STATE_TREE {
                let f = i128::from(self.bound_flow(a));
                excess[self.tail(a)] -= f;
                excess[self.head(a)] += f;
            }
        }
        // Reverse preorder visits every node after all of its descendants.
        let mut u = self.rev_thread[root] as usize;
        while u != root {
            let ex = excess[u];
            excess[self.tree[u].parent as usize] += ex;
            let needed = if self.tree[u].dir == DIR_UP { ex } else { -ex };
            let Ok(flow) = i64::try_from(needed) else { return false };
            self.tree[u].flow = flow;
            self.tree[u].cap = self.capacity(self.tree[u].pred as usize);
            u = self.rev_thread[u] as usize;
        }
        true
    }

    /// The queued node whose tree arc violates its bounds most (lowest node on
    /// ties), dropping queued nodes that no longer violate any.
    fn most_violated(&mut self) -> Option<usize> {
        let mut best: Option<(i64, u32)> = None;
        let mut i = 0;
        while i < self.dual.queue.len() {
            let u = self.dual.queue[i];
            let t = &self.tree[u as usize];
            let v = violation(t.flow, t.cap);
            if v == 0 {
                self.dual.queued[u as usize] = false;
                self.dual.queue.swap_remove(i);
                continue;
            }
            if best.is_none_or(|(bv, bu)| v > bv || (v == bv && u < bu)) {
                best = Some((v, u));
            }
            i += 1;
        }
        best.map(|(_, u)| u as usize)
    }

    /// One dual pivot on the tree arc of `u_out` (which violates a bound). Returns
    /// `false` when no arc can enter: the problem is infeasible.
    fn dual_pivot(&mut self, u_out: usize) -> bool {
        let t = self.tree[u_out];
        // `send_out`: the subtree of u_out must send more across the cut than its
        // tree arc may now carry (or receive less).
        let (send_out, theta, to_upper) = if t.flow < 0 {
            (t.dir == DIR_DOWN, -t.flow, false)
        } else {
            (t.dir == DIR_UP, t.flow - t.cap, true)
        };
        let Some(e_in) = self.entering_across_cut(u_out, send_out) else {
            return false;
        };
        self.pivots += 1;
        let (s, t_end) = self.ends.get(e_in);
        // The entering arc in its priced orientation leaves the subtree if send_out.
        let (u_in, v_in) = if send_out { (s, t_end) } else { (t_end, s) };
        self.in_arc = e_in;
        self.u_in = u_in;
        self.v_in = v_in;
        self.u_out = u_out;
        self.join = self.find_join(u_in, v_in);
        self.push_around_cycle(theta);
        debug_assert!(self.tree[u_out].flow == if to_upper { t.cap } else { 0 });
        self.set_state(e_in, STATE_TREE);
        let out = self.tree[u_out].pred as usize;
        self.set_state(out, if to_upper { STATE_UPPER } else { STATE_LOWER });
        self.update_tree_structure();
        self.update_potentials();
        true
    }

    /// The arc outside the tree with the least reduced cost (lowest index on ties)
    /// that crosses the cut below `u_out` outwards (`send_out`) or inwards, in its
    /// priced orientation. Artificial arcs are not candidates.
    fn entering_across_cut(&mut self, u_out: usize, send_out: bool) -> Option<usize> {
        let n = self.node_count;
        let size = self.tree[u_out].succ_num as usize;
        self.dual.stamp = self.dual.stamp.wrapping_add(1);
        if self.dual.stamp == 0 {
            self.dual.side.fill(0);
            self.dual.stamp = 1;
        }
        let stamp = self.dual.stamp;
        let mut v = u_out;
        for _ in 0..size {
            self.dual.side[v] = stamp;
            v = self.thread[v] as usize;
        }
        let mut best: Option<(i64, usize)> = None;
        let mut consider = |this: &Self, node: usize| {
            let d = &this.dual;
            for &a in &d.incident[d.start[node] as usize..d.start[node + 1] as usize] {
                let a = a as usize;
                if this.state[a] == STATE_TREE {
                    continue;
                }
                let (s, t) = this.ends.get(a);
                if (d.side[s] == stamp) != send_out || (d.side[t] == stamp) == send_out {
                    continue;
                }
                let rc = this.signed_reduced_cost(a);
                debug_assert!(rc >= 0, "arc {a} outside the tree has reduced cost {rc}");
                if best.is_none_or(|(br, ba)| rc < br || (rc == br && a < ba)) {
                    best = Some((rc, a));
                }
            }
        };
        if 2 * size <= n + 1 {
            let mut v = u_out;
            for _ in 0..size {
                consider(self, v);
                v = self.thread[v] as usize;
            }
        } else {
            for v in 0..n {
                if self.dual.side[v] != stamp {
                    consider(self, v);
                }
            }
        }
        best.map(|(_, a)| a)
    }

    /// The deepest common ancestor of `u` and `v` in the tree.
    fn find_join(&self, mut u: usize, mut v: usize) -> usize {
        while u != v {
            if self.tree[u].succ_num < self.tree[v].succ_num {
                u = self.tree[u].parent as usize;
            } else {
                v = self.tree[v].parent as usize;
            }
        }
        u
    }

    /// Pushes `theta` along the entering arc (in its priced orientation) and back
    /// along the tree path, sets `in_flow`, and queues every node on the path (their
    /// tree arcs' flows change, and the re-hanging moves tree arcs among them).
    fn push_around_cycle(&mut self, theta: i64) {
        let e_in = self.in_arc;
        let val = i64::from(self.state[e_in]) * theta;
        self.in_flow = self.bound_flow(e_in) + val;
        for (start, sign) in [(self.tail(e_in), -1), (self.head(e_in), 1)] {
            let mut u = start;
            while u != self.join {
                self.tree[u].flow += sign * i64::from(self.tree[u].dir) * val;
                if !self.dual.queued[u] {
                    self.dual.queued[u] = true;
                    self.dual.queue.push(u as u32);
                }
                u = self.tree[u].parent as usize;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::violation;
    use crate::flow::INFINITE;

    #[test]
    fn violation_measures_the_distance_to_the_bounds() {
        assert_eq!(violation(-3, 5), 3);
        assert_eq!(violation(0, 5), 0);
        assert_eq!(violation(5, 5), 0);
        assert_eq!(violation(8, 5), 3);
        assert_eq!(violation(8, INFINITE), 0);
        assert_eq!(violation(1, 0), 1);
    }
}
