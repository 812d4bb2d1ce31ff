//! Valid inequalities for the trips level: item covers of the sites that must
//! receive.
//!
//! The LP relaxation of a fixed charge per lane is weak: a lane's trips `y` need only
//! cover its litres, `C·y ≥ litres`, so the LP spreads fractions of a van over many
//! lanes (Västmanland: a bound of 2 trips against 21–22). With a need level fixed at
//! all its need, every site's need at that level is met; a site whose need of item
//! `A` there exceeds what its own stock can serve must receive `A` or an item allowed
//! to substitute it, on a lane in, and a lane carrying packs of litres > 0 carries
//! them on at least one whole trip:
//!
//! ```text
//! Σ_{lanes into v that may carry A or a substitute of A} y ≥ 1.
//! ```
//!
//! The rows are implied by the fixed levels and integrality (derived in whole numbers,
//! with no solver tolerance), so they change no optimum; they raise the LP bound
//! behind the gaps of the trips, vehicle km and transport levels (Västmanland's trips
//! level: 2 → 15), and with [`MipOptions::trip_cuts_in_search`](super::MipOptions)
//! they also enter the branch and bound.

use super::mip::{Level, Part, Vars};
use super::solve::LevelOutcome;
use crate::error::Result;
use good_lp::{constraint, Constraint, Expression};

/// The sites of a part that must receive, and what.
#[derive(Clone, Debug, Default, PartialEq)]
pub(crate) struct TripCuts {
    /// `(local site, items)`: the site must receive at least one of the items (see
    /// [`must_receive`]); every item has litres per pack > 0.
    pub receive: Vec<(usize, Vec<usize>)>,
}

impl TripCuts {
    /// The cover rows for the variables of one build.
    pub fn rows(&self, part: &Part<'_>, vars: &Vars) -> Vec<Constraint> {
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
        rows
    }
}

/// The item covers of a part with the levels of `fixed` held (no covers without a
/// vehicle).
pub(crate) fn trip_cuts(part: &Part<'_>, fixed: &[LevelOutcome]) -> Result<TripCuts> {
    if part.logistics.vehicle.is_none() {
        return Ok(TripCuts::default());
    }
    Ok(TripCuts {
        receive: must_receive(part, fixed)?,
    })
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
