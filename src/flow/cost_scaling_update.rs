//! The global price update of the cost-scaling engine (Goldberg 1997; LEMON's
//! `globalUpdate`): a Dial-style shortest-path search backwards from the deficit
//! nodes over residual arcs, with arc lengths `⌊reduced cost / ε⌋ + 1`, ranks every
//! node by how many ε its price can drop while keeping ε-optimality and the paths to
//! the deficits admissible; each node then drops by `ε · min(rank, r)` where `r` is the
//! rank at which every excess was reached. It is a sequence of valid relabels done at
//! once, so the phase's result is still ε-optimal; it only saves work.

use super::cost_scaling_graph::{Residual, Word};
use super::cost_scaling_refine::NodeState;

/// Bucket lists of the update (and of price refinement), kept between calls (sized
/// once per solve). Bucket lists end at node index `n`.
#[derive(Clone, Debug, Default)]
pub(super) struct Buckets {
    head: Vec<u32>,
    next: Vec<u32>,
    prev: Vec<u32>,
    /// Rank per node.
    pub(super) rank: Vec<u32>,
}

impl Buckets {
    /// Buckets for `node_count` nodes and ranks below `max_rank`.
    pub(super) fn new(node_count: usize, max_rank: usize) -> Self {
        Self {
            head: vec![0; max_rank + 1],
            next: vec![0; node_count + 1],
            prev: vec![0; node_count + 1],
            rank: vec![0; node_count],
        }
    }

    /// The highest rank a bucket exists for.
    pub(super) fn max_rank(&self) -> usize {
        self.head.len() - 1
    }

    /// Empties buckets `0..=max_rank`.
    pub(super) fn clear(&mut self, max_rank: usize) {
        let end = self.rank.len() as u32;
        self.head[..=max_rank].fill(end);
    }

    /// Takes the first node out of bucket `r`, if any.
    pub(super) fn pop(&mut self, r: usize) -> Option<usize> {
        let u = self.head[r];
        if u as usize == self.rank.len() {
            return None;
        }
        self.head[r] = self.next[u as usize];
        Some(u as usize)
    }

    /// Takes `v` out of bucket `r`.
    pub(super) fn unlink(&mut self, v: usize, r: usize) {
        if self.head[r] as usize == v {
            self.head[r] = self.next[v];
        } else {
            let (p, n) = (self.prev[v] as usize, self.next[v]);
            self.next[p] = n;
            self.prev[n as usize] = p as u32;
        }
    }

    /// Puts `v` first in bucket `r`.
    pub(super) fn link(&mut self, v: usize, r: usize) {
        let n = self.head[r];
        self.next[v] = n;
        self.prev[n as usize] = v as u32;
        self.head[r] = v as u32;
    }
}

/// Runs the update at `eps`. Returns `false` (and changes nothing) if a price would
/// fall below `floor`.
pub(super) fn global_update<W: Word>(
    g: &Residual<W>,
    s: &mut NodeState,
    b: &mut Buckets,
    eps: i64,
    floor: i64,
) -> bool {
    let n = g.node_count();
    let end = n as u32;
    let max_rank = b.head.len() - 1;
    b.head.fill(end);
    let mut total_excess: i128 = 0;
    for v in 0..n {
        if s.excess[v] < 0 {
            b.rank[v] = 0;
            b.link(v, 0);
        } else {
            total_excess += i128::from(s.excess[v]);
            b.rank[v] = max_rank as u32;
        }
    }
    if total_excess == 0 {
        return true;
    }
    let mut r = 0;
    'search: while r < max_rank {
        while b.head[r] != end {
            let u = b.head[r] as usize;
            b.head[r] = b.next[u];
            let pu = s.price[u];
            // Only active arcs: a fixed pair sits after `last_out` at both ends.
            for arc in &g.arcs[g.active(u)] {
                // The rank first: it rules out most arcs late in the search without
                // reading the reverse arc (elsewhere in memory), whose capacity
                // decides whether `v` reaches `u`.
                let v = arc.target as usize;
                let old = b.rank[v] as usize;
                if r >= old || g.arcs[arc.reverse as usize].cap() <= 0 {
                    continue;
                }
                // The new rank is `r + 1 + ⌊rc / ε⌋` (ε-optimality: `rc ≥ −ε`, so the
                // quotient is ≥ −1); it is lower than `old` only if `rc < k ε`, so the
                // division runs only then. Fits: `k ≤ n`, `ε ≤ ε₀`. The reverse arc's
                // cost is `−cost`.
                let rc = s.price[v] - pu - arc.cost.get();
                let k = (old - r - 1) as i64;
                if rc >= k * eps {
                    continue;
                }
                let new = (r as i64 + 1 + rc / eps) as usize;
                if new < old {
                    b.rank[v] = new as u32;
                    if old < max_rank {
                        b.unlink(v, old);
                    }
                    b.link(v, new);
                }
            }
            if s.excess[u] > 0 {
                total_excess -= i128::from(s.excess[u]);
                if total_excess <= 0 {
                    break 'search;
                }
            }
        }
        r += 1;
    }
    let drop = |u: usize| i128::from(eps) * i128::from(b.rank[u].min(r as u32));
    if (0..n).any(|u| i128::from(s.price[u]) - drop(u) < i128::from(floor)) {
        return false;
    }
    for u in 0..n {
        let k = drop(u);
        if k > 0 {
            // Fits: checked against the floor above.
            s.price[u] -= k as i64;
            s.reset_current_arc(g, u);
        }
    }
    true
}
