//! One ε-scaling phase of the cost-scaling engine ("refine" in Goldberg & Tarjan):
//! saturate every residual arc of negative reduced cost, then move the excesses with
//! partial augment–relabel (Goldberg 1997, as in CS2 and LEMON's `CostScaling`):
//! from an active node, follow admissible arcs (reduced cost < 0) for up to
//! [`MAX_PATH`] arcs or until a node with a deficit, relabelling (lowering the price
//! of) a tip without admissible arcs and stepping back, then push along the path.
//!
//! Active nodes are served first in, first out. Prices only decrease. Every value is
//! bounded in advance by the caller (see `cost_scaling::Bounds`): a price below
//! `floor` ends the phase with [`PhaseEnd::PriceFloor`] before it is stored.

use super::cost_scaling_graph::{Residual, Word};
use super::cost_scaling_price::{price_refinement, PriceWork};
use super::cost_scaling_update::{global_update, Buckets};
use std::collections::VecDeque;

/// Longest path followed before pushing. LEMON and CS2 take 4; 8 took 0.83–0.96× the
/// CPU time of 4 on NETGEN 131k–1M and GOTO-like 98k–393k arcs (`BENCHMARKS.md`,
/// "Longer augmenting paths"), 12 and 16 no less than 8.
pub(super) const MAX_PATH: usize = 8;

/// How a phase ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum PhaseEnd {
    /// No excess left: the flow is feasible and ε-optimal.
    Done,
    /// A node has excess and no residual arc leaving it: no feasible flow exists
    /// (all its arcs out are saturated and all its arcs in empty, and its supply is
    /// still not shipped).
    NoExit,
    /// A price would fall below the floor (which feasible problems never reach).
    PriceFloor,
    /// The phase used up its relabel budget (only with one given; the pseudoflow is
    /// left as it is, a valid state to resume from).
    OverBudget,
}

/// Per-node state of the engine, kept across phases.
#[derive(Clone, Debug, Default)]
pub(super) struct NodeState {
    /// Price per node (scaled units; reduced cost `cost + price[tail] − price[head]`).
    pub(super) price: Vec<i64>,
    /// Supply not yet shipped (positive) or demand not yet met (negative).
    pub(super) excess: Vec<i64>,
    /// Current arc per node: where the search for an admissible arc resumes.
    pub(super) next_out: Vec<u32>,
    active: VecDeque<u32>,
    path: Vec<u32>,
    /// Relabel operations so far (a measure of the work).
    pub(super) relabels: u64,
    /// Relabels between two global price updates (0: none).
    update_every: u64,
    /// Relabel count at which the next global update runs.
    next_update: u64,
    buckets: Buckets,
    /// Global price updates so far.
    pub(super) updates: u64,
    /// Work arrays of price refinement (empty when it is off).
    price_work: Option<PriceWork>,
    /// Phases skipped by price refinement so far.
    pub(super) refined: u32,
}

impl NodeState {
    /// State for a solve: prices 0, excess = the supplies.
    /// `update_every` relabels trigger a global price update (0: never); ranks of
    /// the update and of price refinement (on if `refine_prices`) go up to `max_rank`.
    pub(super) fn new(excess: Vec<i64>, update_every: u64, max_rank: usize, refine_prices: bool) -> Self {
        let n = excess.len();
        let buckets = if update_every > 0 || refine_prices {
            Buckets::new(n, max_rank)
        } else {
            Buckets::default()
        };
        Self {
            price: vec![0; n],
            excess,
            next_out: vec![0; n],
            active: VecDeque::new(),
            path: Vec::with_capacity(MAX_PATH),
            relabels: 0,
            update_every,
            next_update: update_every,
            buckets,
            updates: 0,
            price_work: refine_prices.then(|| PriceWork::new(n)),
            refined: 0,
        }
    }

    /// Runs price refinement at `eps` if it is on (see `cost_scaling_price`); `true`
    /// if the current flow is now ε-optimal and the phase can be skipped.
    pub(super) fn refine_prices<W: Word>(&mut self, g: &mut Residual<W>, eps: i64, floor: i64) -> bool {
        let Some(mut work) = self.price_work.take() else {
            return false;
        };
        let mut buckets = std::mem::take(&mut self.buckets);
        let done = price_refinement(g, self, &mut buckets, &mut work, eps, floor);
        self.buckets = buckets;
        self.price_work = Some(work);
        self.refined += u32::from(done);
        done
    }

    /// Restarts node `u`'s search for an admissible arc at its first arc.
    pub(super) fn reset_current_arc<W: Word>(&mut self, g: &Residual<W>, u: usize) {
        self.next_out[u] = g.first_out[u];
    }
}

/// Runs one phase at `eps` (≥ 1) from the current prices and pseudoflow; stops with
/// [`PhaseEnd::OverBudget`] after more than `budget` relabels.
pub(super) fn refine<W: Word>(g: &mut Residual<W>, s: &mut NodeState, eps: i64, floor: i64, budget: u64) -> PhaseEnd {
    let limit = s.relabels.saturating_add(budget);
    saturate_negative(g, s);
    s.next_out.copy_from_slice(&g.first_out[..g.node_count()]);
    s.active.clear();
    for (v, &e) in s.excess.iter().enumerate() {
        if e > 0 {
            s.active.push_back(v as u32);
        }
    }
    while let Some(&start) = s.active.front() {
        if s.excess[start as usize] <= 0 {
            s.active.pop_front();
            continue;
        }
        let end = search_path(g, s, start as usize, eps, floor);
        if end != PhaseEnd::Done {
            return end;
        }
        push_along_path(g, s, start as usize);
        if s.relabels > limit {
            return PhaseEnd::OverBudget;
        }
        if s.update_every > 0 && s.relabels >= s.next_update {
            let mut buckets = std::mem::take(&mut s.buckets);
            let ok = global_update(g, s, &mut buckets, eps, floor);
            s.buckets = buckets;
            if !ok {
                return PhaseEnd::PriceFloor;
            }
            s.updates += 1;
            s.next_update = s.relabels + s.update_every;
        }
    }
    PhaseEnd::Done
}

/// Saturates every residual arc with a negative reduced cost, so that the
/// pseudoflow is 0-optimal for the current prices.
fn saturate_negative<W: Word>(g: &mut Residual<W>, s: &mut NodeState) {
    for u in 0..g.node_count() {
        let pu = s.price[u];
        for a in g.active(u) {
            let arc = g.arcs[a];
            let delta = arc.cap();
            if delta > 0 {
                let v = arc.target as usize;
                if arc.reduced(pu, s.price[v]) < 0 {
                    s.excess[u] -= delta;
                    s.excess[v] += delta;
                    g.push(a, delta);
                }
            }
        }
    }
}

/// Builds the admissible path from `start` into `s.path` (relabelling on the way).
/// Ends `Done` with a path (possibly empty after relabelling `start`) to push along.
fn search_path<W: Word>(g: &Residual<W>, s: &mut NodeState, start: usize, eps: i64, floor: i64) -> PhaseEnd {
    s.path.clear();
    let mut tip = start;
    'search: while s.path.len() < MAX_PATH && s.excess[tip] >= 0 {
        let pi_tip = s.price[tip];
        let (first, last) = (s.next_out[tip] as usize, g.last_out[tip] as usize);
        let mut min_rc = i64::MAX;
        for (i, arc) in g.arcs[first..last].iter().enumerate() {
            if arc.cap() > 0 {
                let v = arc.target as usize;
                let rc = arc.reduced(pi_tip, s.price[v]);
                if rc < 0 {
                    let a = (first + i) as u32;
                    s.path.push(a);
                    s.next_out[tip] = a;
                    tip = v;
                    continue 'search;
                }
                min_rc = min_rc.min(rc);
            }
        }
        // Relabel the tip: lower its price as far as ε-optimality allows, so that its
        // cheapest residual arc becomes admissible. The arc back along the path is
        // admissible in reverse, so it counts even while still empty.
        if let Some(&pa) = s.path.last() {
            let back = &g.arcs[g.arcs[pa as usize].reverse as usize];
            min_rc = min_rc.min(back.reduced(pi_tip, s.price[back.target as usize]));
        }
        for arc in &g.arcs[g.first_out[tip] as usize..first] {
            if arc.cap() > 0 {
                min_rc = min_rc.min(arc.reduced(pi_tip, s.price[arc.target as usize]));
            }
        }
        if min_rc == i64::MAX {
            // Only the start can have no residual arc at all (others have the way back).
            return PhaseEnd::NoExit;
        }
        let price = pi_tip - (min_rc + eps);
        if price < floor {
            return PhaseEnd::PriceFloor;
        }
        s.price[tip] = price;
        s.next_out[tip] = g.first_out[tip];
        s.relabels += 1;
        if let Some(pa) = s.path.pop() {
            tip = g.arcs[g.arcs[pa as usize].reverse as usize].target as usize;
        }
    }
    PhaseEnd::Done
}

/// Pushes as much as possible along `s.path` from `start`; nodes that gain an
/// excess join the active queue.
fn push_along_path<W: Word>(g: &mut Residual<W>, s: &mut NodeState, start: usize) {
    let mut u = start;
    for &pa in &s.path {
        let pa = pa as usize;
        let v = g.arcs[pa].target as usize;
        let delta = g.arcs[pa].cap().min(s.excess[u]);
        g.push(pa, delta);
        s.excess[u] -= delta;
        s.excess[v] += delta;
        if s.excess[v] > 0 && s.excess[v] <= delta {
            s.active.push_back(v as u32);
        }
        u = v;
    }
}
