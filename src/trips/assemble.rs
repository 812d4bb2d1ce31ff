//! From the MIP's integer decisions to the plan: units per lane, need met per level,
//! and the trips table (packs loaded into vehicles by [`super::vehicle_loads`]).

use super::mip::{PackingCut, Part};
use super::model::ResolvedLogistics;
use super::result::Trip;
use super::solve::PartSolution;
use super::vehicle_loads::{load_lane, separating_weights, LanePacks, Load};
use crate::error::{Error, Result};
use crate::model::ResolvedScenario;
use crate::process::GivenFlows;

/// Weakly connected parts of the lane graph: sites ascending, lanes inside.
pub(crate) fn parts(resolved: &ResolvedScenario) -> Vec<(Vec<usize>, Vec<usize>)> {
    let n = resolved.site_count();
    let mut parent: Vec<usize> = (0..n).collect();
    fn find(parent: &mut [usize], mut x: usize) -> usize {
        while parent[x] != x {
            parent[x] = parent[parent[x]];
            x = parent[x];
        }
        x
    }
    for l in &resolved.lanes {
        let (a, b) = (find(&mut parent, l.from), find(&mut parent, l.to));
        if a != b {
            parent[a.max(b)] = a.min(b);
        }
    }
    let mut root_index = vec![usize::MAX; n];
    let mut out: Vec<(Vec<usize>, Vec<usize>)> = Vec::new();
    for v in 0..n {
        let r = find(&mut parent, v);
        if root_index[r] == usize::MAX {
            root_index[r] = out.len();
            out.push((Vec::new(), Vec::new()));
        }
        out[root_index[r]].0.push(v);
    }
    for (i, l) in resolved.lanes.iter().enumerate() {
        let r = find(&mut parent, l.from);
        out[root_index[r]].1.push(i);
    }
    out
}

/// Per item, the lane flows in units and the need met per site and level, from the
/// solutions of every part (`None`: a part with nothing to plan).
pub(crate) fn given_flows(
    resolved: &ResolvedScenario,
    logistics: &ResolvedLogistics,
    solved: &[(Part<'_>, Option<PartSolution>)],
) -> Result<Vec<GivenFlows>> {
    let items = resolved.item_count();
    let n = resolved.site_count();
    let k = resolved.classes.len();
    let overflow = |w: &str| Error::Overflow(format!("trips: {w}"));
    let mut lane_units = vec![vec![0i64; resolved.lanes.len()]; items];
    // Units each item has at each site for its needs, and substitute units in.
    let mut available = vec![vec![0i64; n]; items];
    let mut sub_in = vec![vec![vec![0i64; k + 1]; n]; items];
    for (i, row) in available.iter_mut().enumerate() {
        for (v, a) in row.iter_mut().enumerate() {
            *a = resolved.profile(v, i).giveable;
        }
    }
    for (part, solution) in solved {
        let Some(sol) = solution else { continue };
        for &(i, li, packs) in &sol.x {
            let l = part.lanes[li];
            let units = packs
                .checked_mul(logistics.pack_size[i])
                .ok_or_else(|| overflow("units"))?;
            lane_units[i][l] = units;
            let lane = &resolved.lanes[l];
            available[i][lane.from] -= units;
            available[i][lane.to] = available[i][lane.to]
                .checked_add(units)
                .ok_or_else(|| overflow("units"))?;
        }
        for &(r, v, level, units) in &sol.s {
            let rule = &logistics.substitutes[r];
            let site = part.sites[v];
            sub_in[rule.item][site][level] += units;
            let drawn = units
                .checked_mul(rule.ratio)
                .ok_or_else(|| overflow("substitute units"))?;
            available[rule.by][site] -= drawn;
        }
    }
    let capped = trip_capped(resolved, logistics, solved);
    let mut out = Vec::with_capacity(items);
    for i in 0..items {
        let mut met = Vec::with_capacity(n);
        for v in 0..n {
            let p = resolved.profile(v, i);
            let mut caps = p.acute.clone();
            caps.push(p.planning_extra() + p.own_use);
            let left: Vec<i64> = caps.iter().zip(&sub_in[i][v]).map(|(c, s)| c - s).collect();
            if left.iter().any(|&x| x < 0) || available[i][v] < 0 {
                return Err(Error::Solver(format!(
                    "trips MIP: item {i} site {v} uses more than it has"
                )));
            }
            let own = super::packs::fill_levels(available[i][v], &left);
            met.push(own.iter().zip(&sub_in[i][v]).map(|(a, b)| a + b).collect());
        }
        out.push(GivenFlows {
            lane_flows: std::mem::take(&mut lane_units[i]),
            met,
            pack: logistics.pack_size[i],
            min_packs: logistics.min_packs[i],
            trip_capped: if logistics.volume_l[i] > 0.0 {
                capped.clone()
            } else {
                Vec::new()
            },
        });
    }
    Ok(out)
}

/// Per site: whether its part's plan uses every trip `vehicle.max_trips` allows
/// (empty without a cap).
fn trip_capped(
    resolved: &ResolvedScenario,
    logistics: &ResolvedLogistics,
    solved: &[(Part<'_>, Option<PartSolution>)],
) -> Vec<bool> {
    let Some(cap) = logistics.vehicle.as_ref().and_then(|v| v.max_trips) else {
        return Vec::new();
    };
    let mut out = vec![false; resolved.site_count()];
    for (part, solution) in solved {
        let used: i64 = solution.iter().flat_map(|s| s.y.iter()).map(|&(_, t)| t).sum();
        if used >= cap {
            for &v in &part.sites {
                out[v] = true;
            }
        }
    }
    out
}

/// Per local lane with trips in `sol`: its trips and the loading of its packs into
/// vehicles ([`load_lane`], at least the trips).
fn loadings(part: &Part<'_>, sol: &PartSolution) -> Vec<(usize, i64, Vec<Load>)> {
    let lg = part.logistics;
    let Some(vehicle) = &lg.vehicle else { return Vec::new() };
    let items = part.resolved.scenario.items.len();
    sol.y
        .iter()
        .map(|&(li, trips)| {
            let on_lane = lane_packs(part, sol, li);
            (
                li,
                trips,
                load_lane(&on_lane, items, vehicle.capacity_l, trips.max(1) as usize),
            )
        })
        .collect()
}

/// The packs of `sol` on local lane `li`, with their litres per pack.
fn lane_packs(part: &Part<'_>, sol: &PartSolution, li: usize) -> Vec<LanePacks> {
    let lg = part.logistics;
    sol.x
        .iter()
        .filter(|&&(_, l, _)| l == li)
        .map(|&(i, _, q)| (lg.volume_l[i] * lg.pack_size[i] as f64, i, q))
        .collect()
}

/// The lanes of `sol` whose packs need more vehicles than their trips: a
/// [`PackingCut`] each where [`separating_weights`] finds one.
pub(crate) fn packing_cuts(part: &Part<'_>, sol: &PartSolution) -> Vec<PackingCut> {
    let Some(vehicle) = &part.logistics.vehicle else {
        return Vec::new();
    };
    loadings(part, sol)
        .into_iter()
        .filter(|(_, trips, loads)| loads.len() as i64 > *trips)
        .filter_map(|(lane, trips, _)| {
            let on_lane = lane_packs(part, sol, lane);
            let weights = separating_weights(&on_lane, vehicle.capacity_l, trips)?;
            Some(PackingCut {
                lane,
                weights: on_lane.iter().zip(weights).map(|(p, w)| (p.1, w)).collect(),
            })
        })
        .collect()
}

/// Vehicles of the trips table beyond the MIP's trips: their count and their vehicle km
/// (×10, as the `vehicle_km` level counts them).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct ExtraVehicles {
    pub vehicles: i64,
    pub vehicle_km: i64,
}

/// The trips of one part: per lane with trips, its packs loaded into the fewest vehicles
/// [`load_lane`] finds (a lane gets at least the MIP's number of trips), and the
/// vehicles beyond the MIP's trips.
pub(crate) fn trips_of(part: &Part<'_>, sol: &PartSolution) -> (Vec<Trip>, ExtraVehicles) {
    let resolved = part.resolved;
    let lg = part.logistics;
    let Some(vehicle) = &lg.vehicle else {
        return (Vec::new(), ExtraVehicles::default());
    };
    let sc = &resolved.scenario;
    let mut out = Vec::new();
    let mut extra = ExtraVehicles::default();
    for (li, trips, loads) in loadings(part, sol) {
        let lane = &resolved.lanes[part.lanes[li]];
        let more = (loads.len() as i64 - trips).max(0);
        extra.vehicles += more;
        extra.vehicle_km += more * lane.cost;
        for (t, (litres, per_item)) in loads.into_iter().enumerate() {
            let list: Vec<String> = per_item
                .iter()
                .enumerate()
                .filter(|(_, &q)| q > 0)
                .map(|(i, &q)| format!("{} {}x{}", sc.items[i].id, q, lg.pack_size[i]))
                .collect();
            out.push(Trip {
                county: sc.sites[lane.from].county.clone(),
                from: sc.sites[lane.from].id.clone(),
                to: sc.sites[lane.to].id.clone(),
                vehicle: t as i64 + 1,
                items: list.join("; "),
                packs: per_item.iter().sum(),
                units: per_item.iter().enumerate().map(|(i, q)| q * lg.pack_size[i]).sum(),
                load_pct: 100.0 * litres / vehicle.capacity_l,
                km: lane.km(),
            });
        }
    }
    (out, extra)
}
