//! The county round's totals without its plan: the same solves as
//! [`super::run_resolved`], then only the sums a sweep reports (unmet need per level,
//! transport, shipped units, acute request per county). No shipment, unmet, stock,
//! dual-price or request rows are built, so it is cheaper; every figure equals the
//! one read off the full plan, and the same overflows are errors.

use super::county_round::{overflow, solve_parts, solve_parts_into, Flows, RoundOptions};
use super::item_network::planning_capacity;
use super::lexicographic::SolveScratch;
use super::reasons::LaneGraph;
use crate::error::Result;
use crate::model::ResolvedScenario;
use rayon::prelude::*;

/// One item's totals from the county round (units of the item; transport in 0.1 km).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct ItemTotals {
    /// Unmet acute need per priority class (the plan's `objective.acute_unmet`).
    pub acute_unmet: Vec<i64>,
    /// The planning level's unmet need (the plan's `objective.planning_unmet`).
    pub planning_unmet: i64,
    /// Units × 0.1 km shipped (the plan's `objective.transport_unit_hm`).
    pub transport_unit_hm: i64,
    /// Quantity of every shipment, in the plan's shipment order.
    pub shipped: Vec<i64>,
    /// Remaining acute need per county (counties in order of first appearance among
    /// the sites): the `total` of the county request's line for this item.
    pub request: Vec<i64>,
}

/// Runs the county round on `resolved` and returns each item's totals (item order).
pub(crate) fn round_totals(resolved: &ResolvedScenario, options: &RoundOptions) -> Result<Vec<ItemTotals>> {
    round_totals_in(resolved, &RoundFrame::new(resolved), options, None)
}

/// What [`round_totals`] derives from the sites and lanes alone (the lane graph and
/// each site's county): built once for scenarios that share their sites and lanes.
pub(crate) struct RoundFrame {
    graph: LaneGraph,
    county: Vec<usize>,
    counties: usize,
}

impl RoundFrame {
    /// The frame of `resolved`'s sites and lanes.
    pub(crate) fn new(resolved: &ResolvedScenario) -> RoundFrame {
        let county = site_counties(resolved);
        RoundFrame {
            graph: LaneGraph::new(resolved),
            counties: county.iter().map(|&c| c + 1).max().unwrap_or(0),
            county,
        }
    }
}

/// [`round_totals`] with the frame built beforehand; `frame` must be the frame of a
/// scenario with `resolved`'s sites and lanes. Items are solved in parallel without a
/// `scratch`, or one after another in its memory (a caller that already runs many
/// rounds in parallel, one scratch per thread); the totals are the same either way
/// (collected in item order).
pub(crate) fn round_totals_in(
    resolved: &ResolvedScenario,
    frame: &RoundFrame,
    options: &RoundOptions,
    scratch: Option<&mut SolveScratch>,
) -> Result<Vec<ItemTotals>> {
    let (graph, county, counties) = (&frame.graph, &frame.county, frame.counties);
    let one = |item: usize| {
        let flows = solve_parts(resolved, graph, item, options, 1)?;
        item_totals(resolved, item, &flows, county, counties)
    };
    let Some(scratch) = scratch else {
        return (0..resolved.item_count()).into_par_iter().map(one).collect();
    };
    // One item after another: one set of flow vectors serves them all.
    let mut flows = Flows::zeroed(resolved);
    (0..resolved.item_count())
        .map(|item| {
            solve_parts_into(resolved, graph, item, options, 1, &mut flows, scratch)?;
            item_totals(resolved, item, &flows, county, counties)
        })
        .collect()
}

/// Each site's county index (counties numbered in order of first appearance).
fn site_counties(resolved: &ResolvedScenario) -> Vec<usize> {
    let mut ids: Vec<&str> = Vec::new();
    resolved
        .scenario
        .sites
        .iter()
        .map(|s| match ids.iter().position(|c| *c == s.county) {
            Some(i) => i,
            None => {
                ids.push(&s.county);
                ids.len() - 1
            }
        })
        .collect()
}

/// The totals of one item from its flows (the sums `finish_item` reads off its rows,
/// with the same checked arithmetic in the same order).
fn item_totals(
    resolved: &ResolvedScenario,
    item: usize,
    flows: &Flows,
    county: &[usize],
    counties: usize,
) -> Result<ItemTotals> {
    let profiles = resolved.item_profiles(item);
    let n = profiles.len();
    let k = resolved.classes.len();
    let (mut received, mut sent) = (vec![0i64; n], vec![0i64; n]);
    // Sized up front (one allocation, not one per doubling).
    let mut shipped = Vec::with_capacity(flows.lane_flows.iter().filter(|&&q| q > 0).count());
    let mut transport: i128 = 0;
    for (lane, &q) in resolved.lanes.iter().zip(&flows.lane_flows) {
        if q > 0 {
            shipped.push(q);
            received[lane.to] = received[lane.to]
                .checked_add(q)
                .ok_or_else(|| overflow("units received"))?;
            sent[lane.from] = sent[lane.from].checked_add(q).ok_or_else(|| overflow("units sent"))?;
            transport += i128::from(q) * i128::from(lane.cost);
        }
    }
    let transport_unit_hm = i64::try_from(transport).map_err(|_| overflow("transport unit·km exceeds i64"))?;
    let mut out = ItemTotals {
        acute_unmet: vec![0; k],
        planning_unmet: 0,
        transport_unit_hm,
        shipped,
        request: vec![0; counties],
    };
    for (v, p) in profiles.iter().enumerate() {
        let met = &flows.met[v];
        // As `site_unmet`: acute left per class, then the planning level.
        let left_beyond_acute = planning_capacity(p)? - met[k];
        let mut planning = (left_beyond_acute - p.planning_extra()).max(0);
        let mut met_extra = (p.planning_extra() - left_beyond_acute).max(0);
        for (c, &met_c) in met.iter().enumerate().take(k) {
            let acute_left = p.acute[c] - met_c;
            let extra = p.planning[c] - p.acute[c];
            let take = extra.min(met_extra);
            met_extra -= take;
            planning = planning
                .checked_add(acute_left + extra - take)
                .ok_or_else(|| overflow("planning unmet"))?;
            if acute_left > 0 {
                out.request[county[v]] += acute_left;
            }
        }
        for (c, total) in out.acute_unmet.iter_mut().enumerate() {
            *total = total
                .checked_add(p.acute[c] - met[c])
                .ok_or_else(|| overflow("unmet acute need"))?;
        }
        out.planning_unmet = out
            .planning_unmet
            .checked_add(planning)
            .ok_or_else(|| overflow("planning unmet"))?;
    }
    check_stock_after(resolved, item, &received, &sent)?;
    Ok(out)
}

/// The overflow check of the plan's stock-after rows (`before + received − sent`).
fn check_stock_after(resolved: &ResolvedScenario, item: usize, received: &[i64], sent: &[i64]) -> Result<()> {
    for (v, p) in resolved.item_profiles(item).iter().enumerate() {
        if p.reported || received[v] > 0 || sent[v] > 0 {
            p.stock
                .checked_add(received[v])
                .and_then(|x| x.checked_sub(sent[v]))
                .ok_or_else(|| overflow("stock after"))?;
        }
    }
    Ok(())
}
