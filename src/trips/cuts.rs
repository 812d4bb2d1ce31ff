//! Valid inequalities for the trips level: the fewest trips into and out of each site
//! that every plan meeting the fixed levels needs.
//!
//! The LP relaxation of a fixed charge per lane is weak: a lane's trips `y` need only
//! cover its litres, `C·y ≥ litres`, so the LP spreads fractions of a van over many
//! lanes (Västmanland: a bound of 2 trips against 21–22). With the need levels fixed,
//! some sites must receive (their need at a fully met level exceeds their own stock)
//! and some must give. For each site `v`, the LP relaxation with the levels fixed gives
//! the least litres that can arrive at `v` (`L_in`) and leave it (`L_out`); every
//! integer plan meeting the levels is feasible for that LP, and its trips are whole
//! numbers with `C·Σ y ≥ litres`, so
//!
//! ```text
//! Σ_{lanes into v} y ≥ ⌈L_in(v) / C⌉,     Σ_{lanes out of v} y ≥ ⌈L_out(v) / C⌉.
//! ```
//!
//! Both are implied by the fixed levels and integrality, so they change no optimum;
//! they only raise the LP bound, which lets branch and bound prune.

use super::mip::{Level, Part, Vars};
use super::solve::{fixed_rows, run, LevelOutcome, MipOptions};
use crate::error::Result;
use good_lp::{constraint, Constraint, Expression};

/// Slack on `L / C` before rounding up: the LP's own tolerances may overstate `L` by
/// a hair; a bound within this of a whole number is that whole number.
const ROUND_SLACK: f64 = 1e-6;

/// Least trips into and out of each local site of a part, and the items each site
/// must receive.
#[derive(Clone, Debug, Default, PartialEq)]
pub(crate) struct TripCuts {
    /// Per local site: least trips on its lanes in.
    pub into: Vec<i64>,
    /// Per local site: least trips on its lanes out.
    pub out_of: Vec<i64>,
    /// `(local site, items)`: the site must receive at least one of the items (see
    /// [`must_receive`]); every item has litres per pack > 0.
    pub receive: Vec<(usize, Vec<usize>)>,
}

impl TripCuts {
    /// Total of the per-site bounds (a quick look at their strength).
    pub fn total(&self) -> (i64, i64, usize) {
        (self.into.iter().sum(), self.out_of.iter().sum(), self.receive.len())
    }

    /// The rows `Σ_{lanes into v} y ≥ into[v]` and `Σ_{lanes out of v} y ≥ out_of[v]`
    /// for the sites with a bound > 0.
    pub fn rows(&self, part: &Part<'_>, vars: &Vars) -> Vec<Constraint> {
        let n = part.sites.len();
        let mut ins = vec![Expression::from(0.0); n];
        let mut outs = vec![Expression::from(0.0); n];
        for (li, y) in vars.y.iter().enumerate() {
            let Some(y) = y else { continue };
            let Some((a, b)) = part.ends(li) else { continue };
            outs[a].add_mul(1.0, *y);
            ins[b].add_mul(1.0, *y);
        }
        let mut rows = Vec::new();
        for (v, items) in &self.receive {
            // Lanes into v that may carry one of the items, each once.
            let mut lanes: Vec<usize> = vars
                .x
                .iter()
                .filter(|&&(i, li, _)| items.contains(&i) && part.ends(li).is_some_and(|(_, b)| b == *v))
                .map(|&(_, li, _)| li)
                .collect();
            lanes.sort_unstable();
            lanes.dedup();
            let mut e = Expression::from(0.0);
            let mut any = false;
            for li in lanes {
                if let Some(y) = vars.y[li] {
                    e.add_mul(1.0, y);
                    any = true;
                }
            }
            if any {
                rows.push(constraint::geq(e, 1.0));
            }
        }
        for (v, (e_in, e_out)) in ins.into_iter().zip(outs).enumerate() {
            if self.into[v] > 0 {
                rows.push(constraint::geq(e_in, self.into[v] as f64));
            }
            if self.out_of[v] > 0 {
                rows.push(constraint::geq(e_out, self.out_of[v] as f64));
            }
        }
        rows
    }
}

/// The bounds of [`TripCuts`] with the levels of `fixed` held (two LPs per site).
pub(crate) fn trip_cuts(part: &Part<'_>, fixed: &[LevelOutcome], options: &MipOptions) -> Result<TripCuts> {
    let n = part.sites.len();
    let Some(vehicle) = &part.logistics.vehicle else {
        return Ok(TripCuts::default());
    };
    let mut cuts = TripCuts {
        into: vec![0; n],
        out_of: vec![0; n],
        receive: must_receive(part, fixed)?,
    };
    for v in 0..n {
        for inbound in [true, false] {
            let (pv, vars, mut rows) = part.build(false)?;
            rows.extend(fixed_rows(part, &vars, fixed));
            let mut litres = Expression::from(0.0);
            let mut any = false;
            for &(i, li, x) in &vars.x {
                let Some((a, b)) = part.ends(li) else { continue };
                if (inbound && b == v) || (!inbound && a == v) {
                    let w = part.logistics.volume_l[i] * part.logistics.pack_size[i] as f64;
                    if w > 0.0 {
                        litres.add_mul(w, x);
                        any = true;
                    }
                }
            }
            if !any {
                continue;
            }
            let least = run(pv, &vars.all, litres, false, rows, None, options)?.objective;
            let trips = (least / vehicle.capacity_l - ROUND_SLACK).ceil().max(0.0) as i64;
            if inbound {
                cuts.into[v] = trips;
            } else {
                cuts.out_of[v] = trips;
            }
        }
    }
    Ok(cuts)
}

/// The sites that must receive one of a set of items: with every need level of
/// `fixed` met in full (its value is all its need), each site's need of item `A` at
/// those levels is met. Units of `A` at a site are its giveable stock plus what
/// arrives, and a rule `B` for `A` (allowed at one of those levels) draws `ratio` units
/// of `B` per unit; so when the need exceeds `g_A + Σ ⌊g_B / ratio⌋` (the site's own
/// stock, all of it spent on `A`), `A` or one of those `B` must arrive on a lane in.
/// A lane carrying an item of 0 litres needs no trip: such sets are left out.
pub(crate) fn must_receive(part: &Part<'_>, fixed: &[LevelOutcome]) -> Result<Vec<(usize, Vec<usize>)>> {
    let resolved = part.resolved;
    let lg = part.logistics;
    let k = resolved.classes.len();
    let mut full = vec![false; k + 1];
    for f in fixed {
        let l = match f.level {
            Level::Acute(c) => c,
            Level::Planning => k,
            _ => continue,
        };
        full[l] = (f.value - need_of_level(part, l)? as f64).abs() <= 0.5;
    }
    let mut out = Vec::new();
    for v in 0..part.sites.len() {
        for a in 0..resolved.item_count() {
            let caps = part.caps(a, v)?;
            let need: i64 = caps.iter().zip(&full).filter(|(_, &f)| f).map(|(c, _)| *c).sum();
            if need <= 0 {
                continue;
            }
            let mut own = part.giveable(a, v);
            let mut items = vec![a];
            for rule in lg.substitutes.iter().filter(|r| r.item == a) {
                let serves = (0..=k).any(|l| full[l] && caps[l] > 0 && rule_allows(rule, l, k));
                if serves {
                    own = own.saturating_add(part.giveable(rule.by, v) / rule.ratio);
                    items.push(rule.by);
                }
            }
            let litres = |i: usize| lg.volume_l[i] * lg.pack_size[i] as f64;
            if need > own && items.iter().all(|&i| litres(i) > 0.0) {
                out.push((v, items));
            }
        }
    }
    Ok(out)
}

/// May `rule` serve level `l` (an acute class, or planning `l == k` when it allows
/// every class)? The same test as the MIP's substitute columns.
fn rule_allows(rule: &super::model::ResolvedSubstitute, l: usize, k: usize) -> bool {
    if l < k {
        rule.classes[l]
    } else {
        rule.classes.iter().all(|&a| a)
    }
}

/// Total need of level `l` in the part (units).
fn need_of_level(part: &Part<'_>, l: usize) -> Result<i64> {
    let mut total: i64 = 0;
    for i in 0..part.resolved.item_count() {
        for v in 0..part.sites.len() {
            total = total.saturating_add(part.caps(i, v)?[l]);
        }
    }
    Ok(total)
}
