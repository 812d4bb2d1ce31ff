//! The county round with logistics data.

use super::assemble::{given_flows, packing_cuts, parts, trips_of, ExtraVehicles};
use super::mip::{Level, Part};
use super::model::{Logistics, ResolvedLogistics};
use super::result::{PackShipment, StoppedBy, TripsLevel, TripsPlan};
use super::solve::{solve_part, LevelOutcome, MipOptions, PartSolution};
use super::watch::Watch;
use crate::error::Result;
use crate::model::{ResolvedScenario, Scenario};
use crate::process::{run_resolved, Plan, RoundOptions};
use rayon::prelude::*;
use std::sync::atomic::AtomicBool;

/// How to run a round with logistics data.
#[derive(Clone, Copy, Debug, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct TripsOptions {
    /// The round's engine and strategy (packs alone: the network simplex path).
    pub round: RoundOptions,
    /// The MIP's time limit (trips, minimum loads, substitutes).
    pub mip: MipOptions,
}

/// Runs the county round on `scenario` with the logistics data `logistics`.
///
/// Without pack, trip or substitution data (every pack of 1, no minimum load, no
/// substitute, no vehicle) the plan is exactly [`run_county_round`](crate::process::run_county_round)'s.
/// With packs alone each item stays a min-cost flow, counted in packs (network simplex).
///
/// ```
/// use allocnet::model::synthetic::vastmanland_default;
/// use allocnet::trips::{run_trips_round, ItemLogistics, Logistics, TripsOptions};
/// let scenario = vastmanland_default().unwrap();
/// let logistics = Logistics {
///     items: vec![ItemLogistics { item: "ffp2".into(), pack_size: 20, volume_l: 0.1, min_packs: 0 }],
///     ..Logistics::default()
/// };
/// let out = run_trips_round(&scenario, &logistics, &TripsOptions::default()).unwrap();
/// assert!(out.pack_shipments.iter().filter(|s| s.item == "ffp2").all(|s| s.units % 20 == 0));
/// ```
pub fn run_trips_round(scenario: &Scenario, logistics: &Logistics, options: &TripsOptions) -> Result<TripsPlan> {
    run_trips_round_with(scenario, logistics, options, &|_| {}, &AtomicBool::new(false))
}

/// [`run_trips_round`], calling `progress` with 1 as each part finishes (out of
/// [`trips_round_parts`](super::trips_round_parts); from the solving threads, in any
/// order) and reading `cancel` before each part starts: a part under way finishes, and
/// a round with parts left unsolved returns [`Error::Cancelled`](crate::Error::Cancelled),
/// never a partial plan. The plan is [`run_trips_round`]'s.
///
/// ```
/// use allocnet::model::synthetic::vastmanland_default;
/// use allocnet::trips::{builtin_logistics, run_trips_round_with, TripsOptions};
/// use std::sync::atomic::AtomicBool;
/// let scenario = vastmanland_default().unwrap();
/// let stop = AtomicBool::new(true);
/// let out = run_trips_round_with(&scenario, &builtin_logistics(), &TripsOptions::default(), &|_| {}, &stop);
/// assert!(matches!(out, Err(allocnet::Error::Cancelled(_))));
/// ```
pub fn run_trips_round_with(
    scenario: &Scenario,
    logistics: &Logistics,
    options: &TripsOptions,
    progress: &(dyn Fn(usize) + Sync),
    cancel: &AtomicBool,
) -> Result<TripsPlan> {
    let resolved = scenario.resolve()?;
    let classes: Vec<String> = resolved.classes.iter().map(|c| c.id.clone()).collect();
    let rl = logistics.resolve(scenario, &classes)?;
    run_watched(
        &resolved,
        &rl,
        logistics.synthetic,
        options,
        &Watch::new(progress, cancel),
    )
}

/// [`run_trips_round`] on a resolved scenario and resolved logistics data.
pub fn run_resolved_trips(
    resolved: &ResolvedScenario,
    logistics: &ResolvedLogistics,
    synthetic: bool,
    options: &TripsOptions,
) -> Result<TripsPlan> {
    let never = AtomicBool::new(false);
    run_watched(resolved, logistics, synthetic, options, &Watch::new(&|_| {}, &never))
}

/// [`run_resolved_trips`] counting finished parts into `watch` and stopping when it
/// is cancelled.
fn run_watched(
    resolved: &ResolvedScenario,
    logistics: &ResolvedLogistics,
    synthetic: bool,
    options: &TripsOptions,
    watch: &Watch<'_>,
) -> Result<TripsPlan> {
    options.mip.validate()?;
    if logistics.needs_mip() {
        return run_mip(resolved, logistics, synthetic, options, watch);
    }
    if watch.cancelled() {
        return Err(watch.cancelled_error(1));
    }
    let plan = if logistics.is_plain() {
        run_resolved(resolved, &options.round)?
    } else {
        crate::process::run_resolved_packed(resolved, &options.round, Some(&logistics.pack_size))?
    };
    let pack_shipments = pack_shipments(resolved, logistics, &plan);
    watch.finished();
    Ok(TripsPlan {
        plan,
        pack_shipments,
        trips: Vec::new(),
        levels: Vec::new(),
        synthetic,
    })
}

/// The plan's shipments counted in packs (every quantity is a whole number of packs).
pub(crate) fn pack_shipments(
    resolved: &ResolvedScenario,
    logistics: &ResolvedLogistics,
    plan: &Plan,
) -> Vec<PackShipment> {
    let items = &resolved.scenario.items;
    plan.shipments
        .iter()
        .map(|s| {
            let pack = items
                .iter()
                .position(|i| i.id == s.item)
                .map_or(1, |i| logistics.pack_size[i]);
            PackShipment {
                item: s.item.clone(),
                from: s.from.clone(),
                to: s.to.clone(),
                packs: s.quantity / pack,
                pack_size: pack,
                units: s.quantity,
                km: s.km,
            }
        })
        .collect()
}

/// The MIP path: every connected part solved apart, in parallel, level by level.
fn run_mip(
    resolved: &ResolvedScenario,
    logistics: &ResolvedLogistics,
    synthetic: bool,
    options: &TripsOptions,
    watch: &Watch<'_>,
) -> Result<TripsPlan> {
    let parts: Vec<Part<'_>> = parts(resolved)
        .into_iter()
        .map(|(sites, lanes)| Part {
            resolved,
            logistics,
            sites,
            lanes,
            packing_cuts: Vec::new(),
        })
        .collect();
    for part in parts.iter().filter(|p| is_active(p)) {
        super::magnitude::check_part(part)?;
    }
    // `None`: a part not started because the round was cancelled.
    let solutions: Vec<Option<Option<PartSolution>>> = parts
        .par_iter()
        .map(|part| {
            if watch.cancelled() {
                return Ok(None);
            }
            let solved = solve_active(part, &options.mip)?;
            watch.finished();
            Ok(Some(solved))
        })
        .collect::<Result<Vec<_>>>()?;
    let Some(solutions) = solutions.into_iter().collect::<Option<Vec<_>>>() else {
        return Err(watch.cancelled_error(parts.len()));
    };
    let solved: Vec<(Part<'_>, Option<PartSolution>)> = parts.into_iter().zip(solutions).collect();
    let given = given_flows(resolved, logistics, &solved)?;
    let plan = crate::process::plan_from_flows(resolved, given, options.round.engine)?;
    let mut trips = Vec::new();
    let mut levels = Vec::new();
    for (part, sol) in &solved {
        let Some(sol) = sol else { continue };
        let (part_trips, extra) = trips_of(part, sol);
        trips.extend(part_trips);
        levels.extend(level_rows(part, sol, extra)?);
    }
    Ok(TripsPlan {
        pack_shipments: pack_shipments(resolved, logistics, &plan),
        plan,
        trips,
        levels,
        synthetic,
    })
}

/// Most solves of one part: each after the first adds the [`PackingCut`]s of the lanes
/// whose packs did not fit the trips of the solve before.
const MAX_PACKING_SOLVES: usize = 8;

/// One part's solution, `None` when no site of the part has anything to give.
///
/// The trips count vehicles by volume and by packing rows, which a loading of large
/// packs can still exceed: then the part is solved again with a [`PackingCut`] for
/// each such lane, so that its plan's packs fit its trips (at most
/// [`MAX_PACKING_SOLVES`] solves; vehicles still beyond the trips then show in the
/// levels as `packing`).
fn solve_active(part: &Part<'_>, options: &MipOptions) -> Result<Option<PartSolution>> {
    if !is_active(part) {
        return Ok(None);
    }
    let mut with_cuts = Part {
        resolved: part.resolved,
        logistics: part.logistics,
        sites: part.sites.clone(),
        lanes: part.lanes.clone(),
        packing_cuts: part.packing_cuts.clone(),
    };
    for _ in 1..MAX_PACKING_SOLVES {
        let solution = solve_part(&with_cuts, options)?;
        let cuts = packing_cuts(&with_cuts, &solution);
        if cuts.is_empty() {
            return Ok(Some(solution));
        }
        if std::env::var_os("ALLOCNET_TRIPS_TRACE").is_some() {
            eprintln!(
                "trips MIP: {} lanes need more vehicles than their trips: solved again",
                cuts.len()
            );
        }
        with_cuts.packing_cuts.extend(cuts);
    }
    solve_part(&with_cuts, options).map(Some)
}

/// True when some site of `part` has stock to give: otherwise nothing can move and
/// the part needs no MIP.
fn is_active(part: &Part<'_>) -> bool {
    let resolved = part.resolved;
    (0..resolved.item_count()).any(|i| part.sites.iter().any(|&v| resolved.profile(v, i).giveable > 0))
}

/// The levels table rows of one part: unmet units for the need levels; the trips and
/// vehicle km levels count the `extra` vehicles of the trips table too, as `limit`
/// levels stopped by `packing` ([`StoppedBy::Packing`]).
fn level_rows(part: &Part<'_>, sol: &PartSolution, extra: ExtraVehicles) -> Result<Vec<TripsLevel>> {
    let resolved = part.resolved;
    let k = resolved.classes.len();
    let mut need = vec![0i64; k + 1];
    for i in 0..resolved.item_count() {
        for v in 0..part.sites.len() {
            for (total, cap) in need.iter_mut().zip(part.caps(i, v)?) {
                *total += cap;
            }
        }
    }
    let county = resolved.scenario.sites[part.sites[0]].county.clone();
    let cost = part.logistics.vehicle.as_ref().map_or(1, |v| v.cost_per_trip);
    Ok(sol
        .levels
        .iter()
        .enumerate()
        .map(|(rank, o)| {
            let o = with_extra(o, extra, cost);
            let value = match o.level {
                Level::Acute(c) => need[c] - o.value.round() as i64,
                Level::Planning => need[k] - o.value.round() as i64,
                _ => o.value.round() as i64,
            };
            let name = o.level.name(resolved);
            TripsLevel {
                county: county.clone(),
                rank: rank as i64 + 1,
                level: name,
                value,
                status: o.status,
                gap: o.gap,
                stopped_by: o.stop,
            }
        })
        .collect())
}

/// `o` with the `extra` vehicles of the trips table (trip cost `cost` each) counted, for
/// the trips and vehicle km levels: its value raised, `limit` stopped by `packing`,
/// its gap taken to the same bound.
fn with_extra(o: &LevelOutcome, extra: ExtraVehicles, cost: i64) -> LevelOutcome {
    let more = match o.level {
        Level::Trips => extra.vehicles * cost,
        Level::VehicleKm => extra.vehicle_km,
        _ => 0,
    };
    if more == 0 {
        return *o;
    }
    let bound = o.value - o.gap * o.value.abs().max(1.0);
    let value = o.value + more as f64;
    LevelOutcome::searched(
        o.level,
        value,
        ((value - bound) / value.abs().max(1.0)).max(0.0),
        Some(StoppedBy::Packing),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vehicles_beyond_the_trips_show_in_the_trips_and_vehicle_km_levels() {
        let extra = ExtraVehicles {
            vehicles: 1,
            vehicle_km: 120,
        };
        let trips = with_extra(&LevelOutcome::optimal(Level::Trips, 3.0), extra, 2);
        assert_eq!((trips.value, trips.status), (5.0, crate::trips::SolveStatus::Limit));
        assert_eq!(trips.stop, Some(StoppedBy::Packing));
        assert!((trips.gap - 0.4).abs() < 1e-12, "{trips:?}");
        let km = with_extra(&LevelOutcome::optimal(Level::VehicleKm, 240.0), extra, 2);
        assert_eq!(km.value, 360.0);
        let planning = LevelOutcome::optimal(Level::Planning, 7.0);
        assert_eq!(with_extra(&planning, extra, 2), planning);
        assert_eq!(
            with_extra(&LevelOutcome::optimal(Level::Trips, 3.0), ExtraVehicles::default(), 2),
            LevelOutcome::optimal(Level::Trips, 3.0)
        );
    }
}
