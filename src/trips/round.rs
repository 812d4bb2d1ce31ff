//! The county round with logistics data.

use super::model::{Logistics, ResolvedLogistics};
use super::result::{PackShipment, TripsPlan};
use crate::error::Result;
use crate::model::{ResolvedScenario, Scenario};
use crate::process::{run_resolved, Plan, RoundOptions};

/// Runs the county round on `scenario` with the logistics data `logistics`.
///
/// Without pack, trip or substitution data (every pack of 1, no minimum load, no
/// substitute, no vehicle) the plan is exactly [`run_county_round`](crate::process::run_county_round)'s.
/// With packs alone each item stays a min-cost flow, counted in packs (network simplex).
///
/// ```
/// use allocnet::model::synthetic::vastmanland_default;
/// use allocnet::process::RoundOptions;
/// use allocnet::trips::{run_trips_round, ItemLogistics, Logistics};
/// let scenario = vastmanland_default().unwrap();
/// let logistics = Logistics {
///     items: vec![ItemLogistics { item: "ffp2".into(), pack_size: 20, volume_l: 0.1, min_packs: 0 }],
///     ..Logistics::default()
/// };
/// let out = run_trips_round(&scenario, &logistics, &RoundOptions::default()).unwrap();
/// assert!(out.pack_shipments.iter().filter(|s| s.item == "ffp2").all(|s| s.units % 20 == 0));
/// ```
pub fn run_trips_round(scenario: &Scenario, logistics: &Logistics, options: &RoundOptions) -> Result<TripsPlan> {
    let resolved = scenario.resolve()?;
    let classes: Vec<String> = resolved.classes.iter().map(|c| c.id.clone()).collect();
    let rl = logistics.resolve(scenario, &classes)?;
    run_resolved_trips(&resolved, &rl, logistics.synthetic, options)
}

/// [`run_trips_round`] on a resolved scenario and resolved logistics data.
pub fn run_resolved_trips(
    resolved: &ResolvedScenario,
    logistics: &ResolvedLogistics,
    synthetic: bool,
    options: &RoundOptions,
) -> Result<TripsPlan> {
    let plan = if logistics.is_plain() {
        run_resolved(resolved, options)?
    } else {
        crate::process::run_resolved_packed(resolved, options, Some(&logistics.pack_size))?
    };
    let pack_shipments = pack_shipments(resolved, logistics, &plan);
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
