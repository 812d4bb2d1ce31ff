//! Arc fixing for the cost-scaling engine (Goldberg & Tarjan 1990; Goldberg 1997,
//! CS2's `price_out`/`price_in`): residual arcs whose reduced cost is high enough that
//! they will not carry flow again leave the scans of the phases, the global update and
//! price refinement.
//!
//! **The safe bound.** Let the flow `f` be a circulation that is ε-optimal for prices
//! `p` (every residual arc with capacity has scaled reduced cost `≥ −ε`), and let the
//! residual arc `a` have `c_p(a) > (2n − 1) ε`. Then `c_p(ā) < −ε`, so `ā` is empty: `a`
//! holds all of its arc's capacity. If a circulation `f'` that is ε'-optimal (any
//! prices, `ε' ≤ ε`) moved flow along `a`, `f' − f` would contain a simple cycle
//! `Γ ∋ a` of residual arcs of `f` (`|Γ| ≤ n`) whose reverse is residual for `f'`. A
//! cycle's cost does not depend on prices: `c(Γ) ≥ c_p(a) − (|Γ| − 1) ε > |Γ| ε`, so
//! `c(Γ̄) < −|Γ| ε'`, which ε'-optimality of `f'` forbids. So every optimal flow and
//! every flow of a later phase has `f`'s flow on that arc (0, or its capacity for a
//! backward copy). In scaled units (costs × `(n + 1)`) the bound is `(2n − 1) ε` with
//! the ε of the scaled phase; it fits `i64` (`ε ≤ ε₀`, and the module docs of
//! `cost_scaling` reserve `10 (n + 1)(ε₀ + 1)`).
//!
//! **The threshold used and why it stays exact.** That bound fixes nothing on NETGEN
//! until the phases price refinement already skips, so the engine fixes from
//! `factor · ε` (`FIX_FACTOR`, capped at `2n − 1`) and does not rely on the theorem: at
//! the end of every phase ([`fix_and_check`], one scan) each fixed arc is checked
//! against ε-optimality, and any fixed arc with reduced cost `< −ε` on the copy that
//! holds the capacity is restored and the phase run again (raising the factor
//! fourfold). So every phase ends, as without fixing, with a circulation that is
//! ε-optimal on **all** arcs, and the last (ε = 1) with an optimal one. A phase on the
//! remaining arcs is a phase of the problem with the fixed flows frozen, which is
//! feasible (the phase's starting circulation is in it), so it ends; should it spend
//! more than `FIX_BUDGET` relabels per node (a badly fixed arc makes prices fall far),
//! every arc is unfixed and the phase resumes on all of them. After the last phase
//! [`unfix_arcs`] and [`violations`] check once more on all arcs (one more phase at
//! ε = 1 if one failed), and the exact potentials are computed on all arcs, fixed ones
//! included, so the optimality certificate covers them.
//!
//! **When and how.** Arcs are checked and fixed between phases, when the flow is a
//! circulation (never within one). As in CS2, a fixed pair leaves the scans: each
//! copy is swapped to the end of its node's range, behind `last_out[node]`, which
//! every scan of the phases, the global update and price refinement stops at (the
//! residual graph tracks which input arc each position holds, so reverse links and
//! the forward positions follow every swap). Its copies' capacities are also
//! overwritten with values `≤ 0`: the copy that held the capacity `c ≥ 1` stores `−c`,
//! the empty copy `W::MIN`, so the check at the end of a phase knows which copy to
//! restore. Restoring swaps both copies back among the active arcs; [`unfix_arcs`]
//! restores the capacities and makes every arc active where it is, and the next solve
//! first puts every node's arcs back in input order (so every solve starts from the
//! same layout, and the answer depends only on the input).

use super::cost_scaling_graph::{Residual, Word};

/// What one [`fix_and_check`] scan did.
#[derive(Clone, Copy, Debug, Default)]
pub(super) struct Scan {
    /// Arcs fixed by the scan.
    pub(super) fixed: u64,
    /// Fixed arcs whose reduced cost had fallen below `−ε`, restored.
    pub(super) restored: u64,
}

/// At the end of a phase at `eps` (the flow a circulation, `eps`-optimal for `price` on
/// every unfixed arc): restores every fixed arc that violates `eps`-optimality (reduced
/// cost `< −eps` on the copy that holds the capacity), and fixes every unfixed residual
/// arc with capacity and reduced cost `> threshold` whose reverse copy is empty.
/// `eps0` is the largest scaled cost in absolute value and `any_fixed` says whether an
/// arc is fixed now: when neither can change anything, the scan is skipped (and so it
/// is, fixing nothing, when the positions of the arcs cannot be tracked for memory).
pub(super) fn fix_and_check<W: Word>(
    g: &mut Residual<W>,
    price: &[i64],
    eps: i64,
    threshold: i64,
    eps0: i64,
    any_fixed: bool,
) -> Scan {
    let mut scan = Scan::default();
    let (lo, hi) = price.iter().fold((0i64, 0i64), |(lo, hi), &p| (lo.min(p), hi.max(p)));
    // Prices lie in [floor, 0], so the spread and the sum fit i64 (module docs).
    if (!any_fixed && eps0 + (hi - lo) <= threshold) || g.track_slots().is_err() {
        return scan;
    }
    for u in 0..g.node_count() {
        scan.restored += restore_violators(g, price, u, eps);
        scan.fixed += fix_node(g, price, u, threshold);
    }
    scan
}

/// Moves the copy at position `s` of `u`'s fixed arcs to the end of its active arcs;
/// returns its new position.
fn activate<W: Word>(g: &mut Residual<W>, u: usize, s: usize) -> usize {
    let l = g.last_out[u] as usize;
    g.swap_slots(s, l);
    g.last_out[u] += 1;
    l
}

/// Moves the copy at position `s` of `u`'s active arcs to the start of its fixed
/// arcs; returns its new position.
fn suspend<W: Word>(g: &mut Residual<W>, u: usize, s: usize) -> usize {
    g.last_out[u] -= 1;
    let l = g.last_out[u] as usize;
    g.swap_slots(s, l);
    l
}

/// Restores the fixed arcs of `u` with reduced cost `< −eps` on the copy that holds
/// the capacity (both copies back among the active arcs); returns how many.
fn restore_violators<W: Word>(g: &mut Residual<W>, price: &[i64], u: usize, eps: i64) -> u64 {
    let pu = price[u];
    let mut restored = 0;
    let mut j = g.last_out[u] as usize;
    while j < g.first_out[u + 1] as usize {
        let arc = g.arcs[j];
        let c = arc.cap();
        if c == W::MIN.get() || arc.reduced(pu, price[arc.target as usize]) >= -eps {
            j += 1;
            continue;
        }
        g.arcs[j].cap = W::of(-c);
        g.arcs[arc.reverse as usize].cap = W::of(0);
        let p = activate(g, u, j);
        let r = g.arcs[p].reverse as usize;
        activate(g, arc.target as usize, r);
        restored += 1;
        // Rare: start over from the new end of the active arcs (the moves may have
        // brought a copy not yet seen before `j`; a second look changes nothing).
        j = g.last_out[u] as usize;
    }
    restored
}

/// Fixes the active arcs of `u` with capacity and reduced cost `> threshold` whose
/// reverse copy is empty (both copies after the active arcs of their nodes); returns
/// how many.
fn fix_node<W: Word>(g: &mut Residual<W>, price: &[i64], u: usize, threshold: i64) -> u64 {
    let pu = price[u];
    let mut fixed = 0;
    let mut i = g.first_out[u] as usize;
    while i < g.last_out[u] as usize {
        let arc = g.arcs[i];
        let c = arc.cap();
        let r = arc.reverse as usize;
        // ε-optimality empties the reverse copy; fix only then.
        if c <= 0 || arc.reduced(pu, price[arc.target as usize]) <= threshold || g.arcs[r].cap() != 0 {
            i += 1;
            continue;
        }
        g.arcs[i].cap = W::of(-c);
        g.arcs[r].cap = W::MIN;
        let p = suspend(g, u, i);
        let r = g.arcs[p].reverse as usize;
        suspend(g, arc.target as usize, r);
        fixed += 1;
        // The copy now at `i` came from the end of the active arcs: look at it next.
        // (A self-loop's sister may have taken the place of one already passed,
        // which only leaves that one unfixed until the next scan.)
    }
    fixed
}

/// Restores the capacities of every fixed arc and makes it active again (where it is:
/// the next solve restores the input order); returns how many were fixed.
pub(super) fn unfix_arcs<W: Word>(g: &mut Residual<W>) -> u64 {
    let mut fixed = 0;
    for arc in &mut g.arcs {
        let c = arc.cap();
        if c < 0 {
            if c == W::MIN.get() {
                arc.cap = W::of(0);
            } else {
                arc.cap = W::of(-c);
                fixed += 1;
            }
        }
    }
    g.settle();
    fixed
}

/// Residual arcs with capacity whose reduced cost for `price` is below `−eps` (after
/// [`unfix_arcs`]: 0 means the flow is `eps`-optimal on every arc, fixed ones included,
/// when it was so on the others).
pub(super) fn violations<W: Word>(g: &Residual<W>, price: &[i64], eps: i64) -> u64 {
    let mut count = 0;
    for u in 0..g.node_count() {
        let pu = price[u];
        for arc in &g.arcs[g.out(u)] {
            if arc.cap() > 0 && arc.reduced(pu, price[arc.target as usize]) < -eps {
                count += 1;
            }
        }
    }
    count
}
