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
//! circulation (never within one). A fixed pair keeps its place in CSR order; its
//! copies' capacities are overwritten with values `≤ 0` that every scan (which looks
//! for `cap > 0`) leaves out: the copy that held the capacity `c ≥ 1` stores `−c`, the
//! empty copy `W::MIN`. Pushes only use arcs of positive capacity, so fixed arcs never
//! carry a push; the global update skips a fixed copy before reading its head's rank.

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
/// arc is fixed now: when neither can change anything, the scan is skipped.
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
    if !any_fixed && eps0 + (hi - lo) <= threshold {
        return scan;
    }
    for u in 0..g.node_count() {
        let pu = price[u];
        for a in g.out(u) {
            let arc = g.arcs[a];
            let c = arc.cap();
            if c > 0 {
                if arc.reduced(pu, price[arc.target as usize]) > threshold {
                    let r = arc.reverse as usize;
                    // ε-optimality empties the reverse copy; fix only then.
                    if g.arcs[r].cap() == 0 {
                        g.arcs[a].cap = W::of(-c);
                        g.arcs[r].cap = W::MIN;
                        scan.fixed += 1;
                    }
                }
            } else if c < 0 && c != W::MIN.get() && arc.reduced(pu, price[arc.target as usize]) < -eps {
                g.arcs[a].cap = W::of(-c);
                let r = arc.reverse as usize;
                g.arcs[r].cap = W::of(0);
                scan.restored += 1;
            }
        }
    }
    scan
}

/// Restores the capacities of every fixed arc; returns how many were fixed.
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
