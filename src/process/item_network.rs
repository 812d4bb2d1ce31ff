//! The min-cost flow network of one item in one connected part of the lane graph
//! (sites joined by lanes, in either direction; with default lanes: one county).
//! Parts share nothing, so solving them apart is exact and much faster.
//!
//! Nodes (local indices): one *receive* node per site of the part (`0..n`), one
//! *collector* per need level (`n..n+L`; levels `0..K` are the acute needs of priority
//! classes `0..K`, level `K` is planning need), the sink `Z = n + L`, and after it one
//! *send* node per site that does not forward. A site that forwards (a transshipment
//! point or a site marked `hub`) has one node that both receives and sends.
//!
//! * Supply of site `v` (at its send node): its giveable stock `g_v` (stock above acute
//!   requirement + reserve, 0 for a site with acute need). Supply of `Z`: `−Σ g`. Stock
//!   a site must keep never enters the network, so no donor can fall below acute need +
//!   reserve.
//! * Lane arcs `send(u) → receive(v)` (arc `i` = lane `lanes[i]`): capacity = lane
//!   capacity, cost = km in 0.1 km. Nothing leaves a receive node but level arcs, so
//!   stock cannot pass through a site that does not forward: A → B → C is impossible by
//!   construction unless B forwards. A lane out of a site that neither forwards nor
//!   has giveable stock is left out: its send node has no supply and no arc into it,
//!   so the lane could only carry 0 (and the send node's potential is not reported).
//! * Own-use arcs `send(v) → receive(v)` (sites that do not forward, with `g_v > 0`):
//!   capacity `g_v`, cost 0 — a donor's giveable stock may serve its own need.
//! * Level arcs `receive(v) → C_k`: capacity = acute need of class `k` at `v`;
//!   `receive(v) → C_K`: capacity = planning need beyond the acute need + the site's own
//!   use of its giveable stock. Their cost is set by the strategy (weighted:
//!   `−W_level`).
//! * Surplus arcs `send(v) → Z` (sites with `g_v > 0`): capacity `g_v`, cost 0 (unused
//!   stock stays home).
//! * Collector arcs `C_l → Z`: no capacity; their flow is the need met at level `l`,
//!   and the level-by-level strategy fixes it with bounds.
//!
//! The network is always feasible (every donor can keep its stock) and bounded (no
//! arc leaves `Z`, lane costs are >= 0).

use crate::error::{Error, Result};
use crate::flow::{Network, INFINITE};
use crate::model::{Profile, ResolvedScenario};

/// A level arc: site, level, arc index.
#[derive(Clone, Copy, Debug)]
pub(crate) struct LevelArc {
    pub site: usize,
    pub level: usize,
    pub arc: u32,
}

#[derive(Default)]
pub(crate) struct ItemNetwork {
    /// Global site index of each local site node.
    pub sites: Vec<usize>,
    /// Global lane index of each lane arc (arc `i` = `lanes[i]`): the part's lanes
    /// except those out of a site that can send nothing (see the module doc).
    pub lanes: Vec<usize>,
    pub net: Network,
    pub lane_count: usize,
    pub level_arcs: Vec<LevelArc>,
    pub surplus_arcs: Vec<(usize, u32)>,
    /// Own-use arcs `send(v) → receive(v)`: local site, arc index.
    pub own_arcs: Vec<(usize, u32)>,
    pub collector_arcs: Vec<u32>,
    pub sink: u32,
    /// Number of site nodes (receive nodes plus the send nodes of sites that do not
    /// forward).
    pub site_nodes: usize,
    /// Per local site: the node whose potential gives its dual price (the send node of
    /// a donor, else the receive node).
    pub dual_nodes: Vec<u32>,
    /// Total capacity of each level's arcs (`N_l`).
    pub level_caps: Vec<i64>,
    /// Total supply `G = Σ g_v`.
    pub supply_total: i64,
    /// Lane cost per lane (0.1 km), kept to restore costs.
    pub lane_costs: Vec<i64>,
    /// Scratch of [`refill_from`](Self::refill_from): the local index of each global
    /// site, the send node of each local site.
    local_of: Vec<usize>,
    send: Vec<u32>,
}

impl ItemNetwork {
    pub fn level_count(&self) -> usize {
        self.collector_arcs.len()
    }

    /// The network of `item` over the sites `sites` (global indices, ascending) and the
    /// lanes `lanes` (global indices) among them.
    pub fn build(resolved: &ResolvedScenario, item: usize, sites: &[usize], lanes: &[usize]) -> Result<ItemNetwork> {
        Self::build_from(resolved, resolved.item_profiles(item), 1, sites, lanes)
    }

    /// The same network from the profiles `all` (one per global site), with lane
    /// capacities divided by `pack` (rounded down): the network of an item counted in
    /// packs when `all` are its profiles in packs (see `trips::packs`).
    pub fn build_from(
        resolved: &ResolvedScenario,
        all: &[Profile],
        pack: i64,
        sites: &[usize],
        lanes: &[usize],
    ) -> Result<ItemNetwork> {
        let mut inet = ItemNetwork::default();
        inet.refill_from(resolved, all, pack, sites, lanes)?;
        Ok(inet)
    }

    /// Makes this the network [`build_from`](Self::build_from) builds (the same
    /// arrays in the same order), reusing its memory.
    pub fn refill_from(
        &mut self,
        resolved: &ResolvedScenario,
        all: &[Profile],
        pack: i64,
        sites: &[usize],
        lanes: &[usize],
    ) -> Result<()> {
        let ItemNetwork {
            sites: my_sites,
            lanes: kept,
            net,
            lane_count,
            level_arcs,
            surplus_arcs,
            own_arcs,
            collector_arcs,
            sink: my_sink,
            site_nodes,
            dual_nodes,
            level_caps,
            supply_total: my_supply_total,
            lane_costs,
            local_of,
            send,
        } = self;
        let profile = |v: usize| &all[sites[v]];
        let n = sites.len();
        local_index_table(all.len(), sites, local_of);
        let local_of = &*local_of;
        let local = |v: usize| local_of.get(v).copied().filter(|&i| i != usize::MAX);
        let k = resolved.classes.len();
        let levels = k + 1;
        let node = node_id;
        let sink = node(n + levels)?;
        let next = send_nodes(resolved, sites, n + levels + 1, send)?;
        net.reset_with_nodes(next);
        // At most: the lanes, an own-use and a surplus arc per site, a level arc per
        // site and level, a collector per level.
        net.reserve_arcs(lanes.len() + n * (2 + levels) + levels);
        let mut supply_total: i64 = 0;
        for (v, p) in (0..n).map(|v| (v, profile(v))) {
            net.set_supply(send[v], p.giveable)?;
            supply_total = supply_total
                .checked_add(p.giveable)
                .ok_or_else(|| Error::Overflow("total giveable stock of an item exceeds i64".into()))?;
        }
        net.set_supply(sink, -supply_total)?;
        lane_costs.clear();
        kept.clear();
        for &l in lanes {
            let lane = &resolved.lanes[l];
            let (Some(a), Some(b)) = (local(lane.from), local(lane.to)) else {
                return Err(Error::Internal(format!("lane {l} leaves its part of the lane graph")));
            };
            if profile(a).giveable == 0 && send[a] != node(a)? {
                continue; // nothing can leave this send node (see the module doc)
            }
            kept.push(l);
            net.add_arc(
                send[a],
                node(b)?,
                lane.capacity.map_or(INFINITE, |c| c / pack),
                lane.cost,
            );
            lane_costs.push(lane.cost);
        }
        own_arcs.clear();
        for (v, p) in (0..n).map(|v| (v, profile(v))) {
            if p.giveable > 0 && send[v] != node(v)? {
                own_arcs.push((v, net.add_arc(send[v], node(v)?, p.giveable, 0).0));
            }
        }
        level_arcs.clear();
        level_caps.clear();
        level_caps.resize(levels, 0);
        let mut add_level = |net: &mut Network, v: usize, level: usize, cap: i64| -> Result<()> {
            if cap > 0 {
                let arc = net.add_arc(node(v)?, node(n + level)?, cap, 0).0;
                level_arcs.push(LevelArc { site: v, level, arc });
                level_caps[level] = level_caps[level]
                    .checked_add(cap)
                    .ok_or_else(|| Error::Overflow("total need of a level exceeds i64".into()))?;
            }
            Ok(())
        };
        for (v, p) in (0..n).map(|v| (v, profile(v))) {
            for (class, &a) in p.acute.iter().enumerate() {
                add_level(net, v, class, a)?;
            }
            add_level(net, v, k, planning_capacity(p)?)?;
        }
        surplus_arcs.clear();
        for (v, p) in (0..n).map(|v| (v, profile(v))) {
            if p.giveable > 0 {
                surplus_arcs.push((v, net.add_arc(send[v], sink, p.giveable, 0).0));
            }
        }
        dual_nodes.clear();
        for (v, p) in (0..n).map(|v| (v, profile(v))) {
            dual_nodes.push(if p.giveable > 0 { send[v] } else { node(v)? });
        }
        collector_arcs.clear();
        for l in 0..levels {
            collector_arcs.push(net.add_arc(node(n + l)?, sink, INFINITE, 0).0);
        }
        refill(my_sites, sites);
        *lane_count = kept.len();
        *my_sink = sink;
        *site_nodes = next - levels - 1;
        *my_supply_total = supply_total;
        Ok(())
    }
}

/// The local index of each global site below `site_count` (and below the largest of
/// `sites`, ascending), `usize::MAX` where a site is not in `sites`: one look-up per
/// lane end instead of a binary search each (the lanes outnumber the sites).
fn local_index_table(site_count: usize, sites: &[usize], local_of: &mut Vec<usize>) {
    debug_assert!(sites.windows(2).all(|w| w[0] < w[1]), "sites must ascend");
    local_of.clear();
    local_of.resize(site_count.max(sites.last().map_or(0, |&v| v + 1)), usize::MAX);
    for (i, &v) in sites.iter().enumerate() {
        local_of[v] = i;
    }
}

/// Node `i` as a `u32` (an overflow error beyond).
fn node_id(i: usize) -> Result<u32> {
    u32::try_from(i).map_err(|_| Error::Overflow(format!("network of {i} nodes exceeds u32")))
}

/// Writes into `send` the send node of each local site: its own node if it forwards,
/// else a new one, numbered from `first_new`. Returns the node count after them.
fn send_nodes(resolved: &ResolvedScenario, sites: &[usize], first_new: usize, send: &mut Vec<u32>) -> Result<usize> {
    send.clear();
    let mut next = first_new;
    for &v in sites {
        if resolved.scenario.sites[v].forwards() {
            send.push(node_id(send.len())?);
        } else {
            send.push(node_id(next)?);
            next += 1;
        }
    }
    Ok(next)
}

/// `v` made a copy of `values`, in its own memory.
fn refill<T: Copy>(v: &mut Vec<T>, values: &[T]) {
    v.clear();
    v.extend_from_slice(values);
}

/// Capacity of a site's planning arc: its planning need beyond the acute need plus the
/// part of its giveable stock it would itself use within the horizon.
pub(crate) fn planning_capacity(p: &Profile) -> Result<i64> {
    p.planning_extra()
        .checked_add(p.own_use)
        .ok_or_else(|| Error::Overflow("planning need + own use exceeds i64".into()))
}
