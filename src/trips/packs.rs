//! Whole packs on the network simplex.
//!
//! With a pack size `p > 1` an item's network is the round's network (see
//! `process::item_network`) counted in packs; needs and stock stay in units:
//!
//! * a donor gives at most `⌊g/p⌋` packs of its giveable stock `g`; the `g mod p` loose
//!   units stay home and serve its own needs first (donors do not open packs);
//! * a site's levels (acute classes highest first, then planning) get the capacities in
//!   packs `⌈U_l/p⌉ − ⌈U_{l−1}/p⌉`, where `U_l` is its need in units up to and including
//!   level `l` less its loose units: a partial need is served by one whole pack, and the
//!   units beyond the need stay in the receiver's stock;
//! * a lane of capacity `c` units carries at most `⌊c/p⌋` packs; a lane costs its km per
//!   pack, so the transport level is pack·km (reported in unit·km, `p` times that).
//!
//! The flow is solved with the same lexicographic objective, in packs. **Unmet units**
//! are then counted from the units that arrive: a site has `received − sent + g` units
//! for its needs, which fill its levels in order (acute classes, then planning); what
//! is left of each level is unmet. Whole packs can therefore leave need unmet that the
//! unit round meets: where donors hold less than one pack of giveable stock, and where
//! a whole pack sent to cover a partial need takes units another site needed.

use crate::error::{Error, Result};
use crate::model::Profile;
use crate::process::{Reason, UnmetNeed, Window};

/// `⌈a / p⌉` for `a >= 0`, `p >= 1`.
fn ceil_div(a: i64, p: i64) -> i64 {
    a / p + i64::from(a % p != 0)
}

/// The profile of one site counted in packs of `pack` units (see the module doc). Only
/// the fields the item network reads are meaningful: `giveable`, `acute`, the planning
/// capacity (`planning_extra() + own_use`).
pub(crate) fn pack_profile(p: &Profile, pack: i64) -> Result<Profile> {
    let loose = p.giveable % pack;
    let plan_cap = p
        .planning_extra()
        .checked_add(p.own_use)
        .ok_or_else(|| Error::Overflow("planning need + own use exceeds i64".into()))?;
    let mut cum: i64 = 0;
    let mut prev_packs: i64 = 0;
    let mut caps = Vec::with_capacity(p.acute.len() + 1);
    for &need in p.acute.iter().chain(std::iter::once(&plan_cap)) {
        cum = cum
            .checked_add(need)
            .ok_or_else(|| Error::Overflow("need of a site exceeds i64".into()))?;
        let packs = ceil_div((cum - loose).max(0), pack);
        caps.push(packs - prev_packs);
        prev_packs = packs;
    }
    let planning_packs = caps.pop().unwrap_or(0);
    let mut planning = caps.clone();
    if let Some(first) = planning.first_mut() {
        *first += planning_packs;
    }
    Ok(Profile {
        reported: p.reported,
        stock: p.stock / pack,
        acute: caps,
        planning,
        class_weights: p.class_weights.clone(),
        keep: 0,
        giveable: p.giveable / pack,
        own_use: 0,
        reserve_units: 0,
    })
}

/// Need met per level (acute classes, then planning) in units when `available` units
/// serve the site's levels in order; `caps` are the levels' needs in units.
pub(crate) fn fill_levels(available: i64, caps: &[i64]) -> Vec<i64> {
    let mut left = available.max(0);
    caps.iter()
        .map(|&cap| {
            let take = cap.min(left);
            left -= take;
            take
        })
        .collect()
}

/// [`pack_profile`] for every site.
pub(crate) fn pack_profiles(profiles: &[Profile], pack: i64) -> Result<Vec<Profile>> {
    profiles.iter().map(|p| pack_profile(p, pack)).collect()
}

/// Per site: the reason its unmet need is put down to, if any. In a connected part
/// where donors still hold giveable stock (`giveable − sent − own use > 0`) but each
/// less than one pack: [`Reason::PackLargerThanNeed`]; else, with a minimum load, where
/// some donor holds less than the minimum load but at least one pack:
/// [`Reason::BelowMinimumLoad`]. Before both: in a part whose trips cap is used up
/// (`trip_capped[site]`; empty: none) where some donor still holds a whole pack,
/// [`Reason::TripCap`].
pub(crate) fn loose_parts(
    parts: &[(Vec<usize>, Vec<usize>)],
    profiles: &[Profile],
    sent: &[i64],
    own_use: &[i64],
    (pack, min_packs): (i64, i64),
    trip_capped: &[bool],
) -> Vec<Option<Reason>> {
    let mut out = vec![None; profiles.len()];
    let min_units = pack.saturating_mul(min_packs);
    for (sites, _) in parts {
        let free: Vec<i64> = sites
            .iter()
            .map(|&u| profiles[u].giveable - sent[u] - own_use[u])
            .collect();
        let capped = sites.iter().any(|&u| trip_capped.get(u).copied().unwrap_or(false));
        let reason = if capped && free.iter().any(|&f| f >= pack) {
            Some(Reason::TripCap)
        } else if free.iter().any(|&f| f > 0) && free.iter().all(|&f| f < pack) {
            Some(Reason::PackLargerThanNeed)
        } else if min_packs > 1 && free.iter().any(|&f| f >= pack) && free.iter().all(|&f| f < min_units) {
            Some(Reason::BelowMinimumLoad)
        } else {
            None
        };
        for &u in sites {
            out[u] = reason;
        }
    }
    out
}

/// Puts unmet need (acute and planning rows whose reason says the stock went elsewhere
/// or was not there) down to `reason`.
pub(crate) fn mark_pack_reasons(rows: &mut [UnmetNeed], reason: Reason) {
    for row in rows {
        if matches!(row.window, Window::Acute | Window::Planning)
            && matches!(row.reason, Reason::NoSurplus | Reason::UsedForHigherPriority)
        {
            row.reason = reason;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn profile(acute: Vec<i64>, planning: Vec<i64>, giveable: i64, own_use: i64) -> Profile {
        Profile {
            reported: true,
            stock: 0,
            class_weights: vec![1.0; acute.len()],
            acute,
            planning,
            keep: 0,
            giveable,
            own_use,
            reserve_units: 0,
        }
    }

    #[test]
    fn levels_in_packs_round_the_cumulative_need_up() {
        // acute 3 + 5, planning beyond acute 10, pack 4: cumulative 3, 8, 18 -> 1, 2, 5.
        let p = pack_profile(&profile(vec![3, 5], vec![3, 15], 0, 0), 4).unwrap();
        assert_eq!(p.acute, vec![1, 1]);
        assert_eq!(p.planning_total() - p.acute_total(), 3);
        assert_eq!(p.giveable, 0);
    }

    #[test]
    fn a_donor_keeps_its_loose_units_for_its_own_use() {
        // giveable 11 in packs of 4: 2 packs, 3 loose units serve its own use of 5.
        let p = pack_profile(&profile(vec![0], vec![0], 11, 5), 4).unwrap();
        assert_eq!(p.giveable, 2);
        assert_eq!(p.planning_total() - p.acute_total(), 1);
    }

    #[test]
    fn fill_serves_levels_in_order() {
        assert_eq!(fill_levels(7, &[3, 2, 10]), vec![3, 2, 2]);
        assert_eq!(fill_levels(-1, &[3]), vec![0]);
    }
}
