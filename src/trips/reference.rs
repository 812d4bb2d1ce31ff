//! The `after_need` plan as a reference for the other substitutes ranks: a part whose
//! substitutes level is ranked `after_trips` or `last` is first solved under
//! `after_need`, and that plan `P` is offered to every level of the configured order
//! whose model (the levels before it fixed) it keeps.
//!
//! Every need level comes first under every rank, so `P` keeps the need levels at
//! `after_need`'s values. At each level where `P` keeps the rows, the level starts
//! from the better of `P` and its usual start, and ends no worse than `P`
//! ([`super::kept`]). By induction the configured order's plan is lexicographically no
//! worse than `P` in that order: a level that ends strictly better decides, and one
//! that ends at `P`'s value leaves `P` feasible for the next. Under the node and LP
//! work limits a larger search (substitutes free at the trips level) could otherwise
//! end worse than `after_need` (Västmanland: 22 trips instead of 21).

use super::consolidate::rows_hold_at;
use super::kept::improves;
use super::mip::{value_at, Part, Vars};
use super::model::{ResolvedLogistics, SubstitutesRank};
use super::solve::{settle, solve_levels, MipOptions};
use crate::error::Result;
use good_lp::{Constraint, Expression};

/// The part's plan under `after_need` (one value per column of [`Part::build`], whose
/// columns do not depend on the rank), when the part's order of levels differs from
/// `after_need`'s; else `None` (the default rank, no substitutes, or `after_trips`
/// without a vehicle).
pub(crate) fn after_need_plan(part: &Part<'_>, options: &MipOptions) -> Result<Option<Vec<f64>>> {
    let lg = part.logistics;
    if lg.substitutes.is_empty() || lg.substitutes_rank == SubstitutesRank::AfterNeed {
        return Ok(None);
    }
    let logistics = ResolvedLogistics {
        substitutes_rank: SubstitutesRank::AfterNeed,
        ..part.logistics.clone()
    };
    let after_need = Part {
        resolved: part.resolved,
        logistics: &logistics,
        sites: part.sites.clone(),
        lanes: part.lanes.clone(),
        packing_cuts: part.packing_cuts.clone(),
    };
    if after_need.levels() == part.levels() {
        return Ok(None);
    }
    let clock = std::time::Instant::now();
    let (_, values, _) = solve_levels(&after_need, options, None)?;
    if std::env::var_os("ALLOCNET_TRIPS_TRACE").is_some() {
        eprintln!(
            "trips MIP: part of {} sites, the after_need reference plan: {:.3} s",
            part.sites.len(),
            clock.elapsed().as_secs_f64()
        );
    }
    Ok(Some(values))
}

/// The reference plan at one level: `reference` when every row of the level's model
/// (`rows`, the levels before it fixed) holds at it within the row tolerance of the
/// trips start (see [`rows_hold_at`]); else `None`.
pub(crate) fn at_level<'r>(reference: Option<&'r [f64]>, vars: &Vars, rows: &[Constraint]) -> Option<&'r [f64]> {
    let held = reference.filter(|p| rows_hold_at(rows, &vars.all, p));
    if reference.is_some() && held.is_none() && std::env::var_os("ALLOCNET_TRIPS_TRACE").is_some() {
        eprintln!("trips MIP: the after_need reference plan breaks a row of this level: not offered");
    }
    held
}

/// The level's start: the reference plan (`reference`, checked by [`at_level`]) when
/// it is strictly better than `start` by the level's `objective`, else `start`.
pub(crate) fn better_start(
    reference: Option<&[f64]>,
    vars: &Vars,
    objective: &Expression,
    maximise: bool,
    start: Option<Vec<f64>>,
) -> Option<Vec<f64>> {
    let Some(p) = reference else { return start };
    let value = |v: &[f64]| settle(value_at(objective, &vars.all, v), maximise);
    match start {
        Some(s) if !improves(value(p), value(&s), maximise) => Some(s),
        _ => Some(p.to_vec()),
    }
}
