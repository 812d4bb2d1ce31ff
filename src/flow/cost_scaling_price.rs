//! The price refinement heuristic of the cost-scaling engine (Goldberg 1997; LEMON's
//! `priceRefinement`, run from the second phase on, before a phase's pushes).
//!
//! At the start of a phase the flow is feasible (no excess) and optimal for the
//! previous ε. Price refinement looks for prices that make that same flow ε-optimal
//! for the new ε, so the phase has nothing to push and is skipped:
//!
//! 1. a depth-first search orders the admissible graph (residual arcs with negative
//!    reduced cost) topologically; if it meets a cycle it cancels it (sends the
//!    cycle's least residual capacity round it, which keeps the flow feasible and
//!    lowers its cost) and gives up;
//! 2. in topological order every node gets a rank: the longest path into it, an
//!    admissible arc of reduced cost `rc` counting `⌊(−rc − 1) / ε⌋`; rank 0
//!    everywhere means the flow is already ε-optimal;
//! 3. from the top rank down, each node's price drops by `rank · ε` and the ranks
//!    of its residual successors rise so that no arc gets a reduced cost below `−ε`;
//!    then back to 1.
//!
//! Prices only decrease and never below the engine's price floor (the refinement
//! gives up instead), so every bound of the `cost_scaling` module docs holds. Giving
//! up is always safe: the phase then runs as usual from the current prices and flow.

use super::cost_scaling_graph::{Residual, Word};
use super::cost_scaling_refine::NodeState;
use super::cost_scaling_update::Buckets;

/// DFS marks of the topological sort.
const UNSEEN: u8 = 0;
const ON_PATH: u8 = 1;
const DONE: u8 = 2;
/// No predecessor (a DFS root).
const NONE: u32 = u32::MAX;

/// Rounds of sort, rank and lower before giving up. Each round lowers some price by
/// at least ε, so without a cap the loop ends only at the price floor; the cap bounds
/// the work per phase at this many scans of the arcs (LEMON has no cap).
pub(super) const MAX_ROUNDS: usize = 64;

/// Work arrays of the refinement, sized once per solve (9 bytes per node).
#[derive(Clone, Debug, Default)]
pub(super) struct PriceWork {
    mark: Vec<u8>,
    pred: Vec<u32>,
    /// Nodes in DFS post-order (reverse topological order).
    order: Vec<u32>,
}

impl PriceWork {
    /// Work arrays for `node_count` nodes.
    pub(super) fn new(node_count: usize) -> Self {
        Self {
            mark: vec![UNSEEN; node_count],
            pred: vec![NONE; node_count],
            order: Vec::with_capacity(node_count),
        }
    }
}

/// Tries to make the current (feasible) flow ε-optimal by changing prices only.
/// Returns `true` on success (the phase at `eps` can be skipped); `false` if it gave
/// up (a cycle was cancelled, a rank or price left its bounds, or [`MAX_ROUNDS`]
/// rounds did not suffice), after which the phase must run.
pub(super) fn price_refinement<W: Word>(
    g: &mut Residual<W>,
    s: &mut NodeState,
    b: &mut Buckets,
    w: &mut PriceWork,
    eps: i64,
    floor: i64,
) -> bool {
    for _ in 0..MAX_ROUNDS {
        if !topological_sort(g, s, w) {
            return false;
        }
        let Some(top_rank) = rank_nodes(g, s, b, w, eps) else {
            return false;
        };
        if top_rank == 0 {
            return true;
        }
        if !lower_prices(g, s, b, top_rank, eps, floor) {
            return false;
        }
    }
    false
}

/// Orders the admissible graph by DFS (post-order into `w.order`). On meeting a
/// cycle, cancels it and returns `false`.
fn topological_sort<W: Word>(g: &mut Residual<W>, s: &mut NodeState, w: &mut PriceWork) -> bool {
    let n = g.node_count();
    s.next_out.copy_from_slice(&g.first_out[..n]);
    w.mark.fill(UNSEEN);
    w.order.clear();
    for start in 0..n {
        if w.mark[start] != UNSEEN {
            continue;
        }
        w.pred[start] = NONE;
        w.mark[start] = ON_PATH;
        let mut tip = start;
        loop {
            match next_admissible(g, s, w, tip) {
                Step::Descend(v) => {
                    w.mark[v] = ON_PATH;
                    w.pred[v] = tip as u32;
                    tip = v;
                }
                Step::Cycle(a) => {
                    cancel_cycle(g, s, w, tip, a);
                    return false;
                }
                Step::Finished => {
                    w.mark[tip] = DONE;
                    w.order.push(tip as u32);
                    let p = w.pred[tip];
                    if p == NONE {
                        break;
                    }
                    tip = p as usize;
                    s.next_out[tip] += 1;
                }
            }
        }
    }
    true
}

/// What the DFS does next from a node.
enum Step {
    /// Go down to this unseen node (the current arc points to it).
    Descend(usize),
    /// This admissible arc closes a cycle with the DFS path.
    Cycle(usize),
    /// No admissible arc left.
    Finished,
}

/// Scans `tip`'s arcs from its current arc for an admissible arc to an unseen node or
/// to a node on the DFS path; the current arc is left on it.
fn next_admissible<W: Word>(g: &Residual<W>, s: &mut NodeState, w: &PriceWork, tip: usize) -> Step {
    let pi = s.price[tip];
    let last = g.last_out[tip] as usize;
    for a in s.next_out[tip] as usize..last {
        let arc = &g.arcs[a];
        if arc.cap() > 0 {
            let v = arc.target as usize;
            if w.mark[v] != DONE && arc.reduced(pi, s.price[v]) < 0 {
                s.next_out[tip] = a as u32;
                return if w.mark[v] == UNSEEN {
                    Step::Descend(v)
                } else {
                    Step::Cycle(a)
                };
            }
        }
    }
    s.next_out[tip] = last as u32;
    Step::Finished
}

/// Sends the least residual capacity round the cycle closed by arc `a` (from `tip`
/// back to a node on the DFS path; each path node's current arc leads on).
fn cancel_cycle<W: Word>(g: &mut Residual<W>, s: &NodeState, w: &PriceWork, tip: usize, a: usize) {
    let v = g.arcs[a].target as usize;
    let mut delta = g.arcs[a].cap();
    let mut u = tip;
    while u != v {
        u = w.pred[u] as usize;
        delta = delta.min(g.arcs[s.next_out[u] as usize].cap());
    }
    g.push(a, delta);
    let mut u = tip;
    while u != v {
        u = w.pred[u] as usize;
        g.push(s.next_out[u] as usize, delta);
    }
}

/// Ranks the nodes along the topological order (longest admissible path, in ε) and
/// files those of rank > 0 in the buckets. Returns the top rank, or `None` if a rank
/// would exceed the buckets (`n`, where LEMON has `α n`).
fn rank_nodes<W: Word>(g: &Residual<W>, s: &NodeState, b: &mut Buckets, w: &PriceWork, eps: i64) -> Option<usize> {
    let max_rank = b.max_rank();
    b.clear(max_rank);
    b.rank.fill(0);
    let mut top_rank = 0;
    for &u in w.order.iter().rev() {
        let u = u as usize;
        let rank_u = b.rank[u] as usize;
        let pi = s.price[u];
        for arc in &g.arcs[g.active(u)] {
            if arc.cap() > 0 {
                let v = arc.target as usize;
                let rc = arc.reduced(pi, s.price[v]);
                if rc < 0 {
                    // ⌊(−rc − 0.5) / ε⌋ in LEMON's words, for integers.
                    // (LEMON ignores an arc with `steps ≥ max_rank`, safe with its
                    // `max_rank = α n`; with the smaller buckets here it gives up.)
                    // Most admissible arcs are short of one ε: no division then.
                    let d = -rc - 1;
                    let steps = if d < eps { 0 } else { d / eps };
                    let new = rank_u as i64 + steps;
                    if new > max_rank as i64 {
                        return None;
                    }
                    if new > i64::from(b.rank[v]) {
                        b.rank[v] = new as u32;
                    }
                }
            }
        }
        if rank_u > 0 {
            top_rank = top_rank.max(rank_u);
            b.link(u, rank_u);
        }
    }
    Some(top_rank)
}

/// From `top_rank` down: lowers each node's price by `rank · ε` and raises its
/// successors' ranks so that their arcs stay ε-optimal. `false` if a price would
/// fall below `floor`.
fn lower_prices<W: Word>(
    g: &Residual<W>,
    s: &mut NodeState,
    b: &mut Buckets,
    top_rank: usize,
    eps: i64,
    floor: i64,
) -> bool {
    for rank in (1..=top_rank).rev() {
        while let Some(u) = b.pop(rank) {
            let pi = s.price[u];
            for arc in &g.arcs[g.active(u)] {
                if arc.cap() <= 0 {
                    continue;
                }
                let v = arc.target as usize;
                let old = b.rank[v] as usize;
                if old >= rank {
                    continue;
                }
                let rc = arc.reduced(pi, s.price[v]);
                let new = if rc < 0 {
                    rank as i64
                } else {
                    // `rank − 1 − ⌊rc / ε⌋` beats `old` only if `rc < k ε`: the division
                    // runs only then. Fits: `k ≤ n`, `ε ≤ ε₀`.
                    let k = (rank - 1 - old) as i64;
                    if rc >= k * eps {
                        continue;
                    }
                    rank as i64 - 1 - rc / eps
                };
                if new > old as i64 {
                    b.rank[v] = new as u32;
                    if old > 0 {
                        b.unlink(v, old);
                    }
                    b.link(v, new as usize);
                }
            }
            // Fits: rank ≤ n and ε ≤ ε₀, and the price is checked against the floor.
            let price = pi - rank as i64 * eps;
            if price < floor {
                return false;
            }
            s.price[u] = price;
        }
    }
    true
}
