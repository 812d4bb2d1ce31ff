//! The time-expanded min-cost flow network of one item over one connected part of the
//! lane graph.
//!
//! Nodes (local site `v`, day `t` in `0..H`):
//! * `home(v,t)`: stock kept for the site's own consumption, what it received (a site
//!   that does not forward) and its expected deliveries (at every site, hubs and
//!   transshipment points too: a delivery serves the site it is addressed to, as in
//!   today's round, where it only lowers that site's own needs). It feeds the day's consumption
//!   and is carried to `home(v,t+1)` (capacity: the storage capacity, never below what
//!   the site holds with no shipments at all, so "no plan" stays feasible).
//! * `free(v,t)`: stock the site may ship, carried to `free(v,t+1)` without limit; it
//!   may move to `home(v,t)` (own use, cost 0). At a site that forwards (transshipment
//!   point or hub) goods received over lanes arrive here, so they can be sent on.
//! * `end(v)`: stock left at the end of the horizon; `C_l`: one collector per need
//!   level; `Z`: the sink.
//!
//! Arcs: lane `u → w` with lead `L`, for each shipping day `t` with `t + L < H`:
//! `free(u,t) → home(w,t+L)` (or `free(w,t+L)` when `w` forwards), capacity = the
//! lane's capacity per departure. Consumption: `home(v,t) → C_l`, capacity = the
//! consumption of class `c` on day `t`, with level `l = c` on the acute days
//! (`t < A`) and `l = K + c` after them. `C_l → Z` without limit: its flow is the
//! consumption served at level `l`, in unit-days. `end(v) → Z`: `J` rungs of one day
//! of consumption each (the tie-breaker, see `solve`) and one unlimited arc.
//!
//! Supplies: `home(v,0)` the kept stock, `free(v,0)` the free stock, deliveries on
//! their day, `Z` minus the total. Every cost starts at 0 (`solve` sets them per
//! level). The network is always feasible (every unit can stay where it is and reach
//! `Z` through `end`) and has no cycle through a negative cost.

use super::horizon::{home_baseline, SiteDays};
use crate::error::{Error, Result};
use crate::flow::{Network, INFINITE};
use crate::model::ResolvedScenario;

/// A consumption arc.
#[derive(Clone, Copy, Debug)]
pub(crate) struct ConsumeArc {
    pub site: usize,
    pub day: usize,
    pub class: usize,
    pub level: usize,
    pub arc: u32,
}

/// A lane arc: global lane index, departure and arrival day.
#[derive(Clone, Copy, Debug)]
pub(crate) struct LaneArc {
    pub lane: usize,
    pub depart: usize,
    pub arrive: usize,
    pub arc: u32,
    pub cost: i64,
}

pub(crate) struct TimeNetwork {
    /// Global site index of each local site.
    pub sites: Vec<usize>,
    pub days: usize,
    pub net: Network,
    pub consume: Vec<ConsumeArc>,
    pub lanes: Vec<LaneArc>,
    /// Per local site and day `t < H−1`: the home and free holdover arcs.
    pub hold_home: Vec<Vec<u32>>,
    pub hold_free: Vec<Vec<u32>>,
    /// Per local site: arcs `home(v,H−1) → end(v)` and `free(v,H−1) → end(v)`.
    pub end_arcs: Vec<(u32, u32)>,
    /// Per local site: the tie-breaker rungs `end(v) → Z` (first = first day of cover).
    pub rungs: Vec<Vec<u32>>,
    pub rung_count: usize,
    /// One collector arc per level.
    pub collectors: Vec<u32>,
    /// Total consumption capacity per level.
    pub level_caps: Vec<i64>,
    pub sink: u32,
}

impl TimeNetwork {
    pub fn home(&self, v: usize, t: usize) -> u32 {
        (2 * (v * self.days + t)) as u32
    }

    pub fn free(&self, v: usize, t: usize) -> u32 {
        self.home(v, t) + 1
    }

    /// `end(v)`: local site `v`'s stock at the end of the horizon (below the sink,
    /// which `build` checked fits in `u32`).
    fn end(&self, v: usize) -> u32 {
        (2 * self.sites.len() * self.days + v) as u32
    }

    /// `C_l`: the collector of need level `l`.
    fn collector(&self, l: usize) -> u32 {
        (2 * self.sites.len() * self.days + self.sites.len() + l) as u32
    }

    /// The node where one more unit for site `v` on day `t` would arrive: `free` at a
    /// site that forwards, else `home`.
    pub fn arrival(&self, resolved: &ResolvedScenario, v: usize, t: usize) -> u32 {
        if resolved.scenario.sites[self.sites[v]].forwards() {
            self.free(v, t)
        } else {
            self.home(v, t)
        }
    }
}

/// Inputs of one part: its sites and lanes (global indices), lead time per global lane,
/// storage per global site, the shipping days and the number of acute days.
pub(crate) struct PartInput<'a> {
    pub sites: &'a [usize],
    pub lanes: &'a [usize],
    pub leads: &'a [u32],
    pub storage: &'a [Option<i64>],
    pub shipping: &'a [u32],
    pub acute_days: usize,
    pub rung_count: usize,
}

fn node(i: usize) -> Result<u32> {
    u32::try_from(i).map_err(|_| Error::Overflow(format!("lookahead network of {i} nodes exceeds u32")))
}

/// Builds the network of one part (see the module doc); `days[v]` is the data of global
/// site `v`.
pub(crate) fn build(resolved: &ResolvedScenario, part: &PartInput<'_>, days: &[SiteDays]) -> Result<TimeNetwork> {
    let n = part.sites.len();
    let h = days.first().map_or(0, |d| d.arrivals.len());
    let k = resolved.classes.len();
    let levels = 2 * k;
    let sink = node(2 * n * h + n + levels)?;
    // Nodes, and arcs: lanes per shipping day, plus per site and day holdover, own
    // use and one consumption arc per class (about 64 bytes each in the solver).
    let arcs = (part.lanes.len() as u128) * (part.shipping.len() as u128) + (n as u128) * (h as u128) * (k as u128 + 4);
    crate::limits::check_memory(
        "lookahead.days",
        "the lookahead network",
        (sink as u128 + 1 + arcs) * 64,
    )?;
    let mut tn = TimeNetwork {
        sites: part.sites.to_vec(),
        days: h,
        net: Network::with_nodes(sink as usize + 1),
        consume: Vec::new(),
        lanes: Vec::new(),
        hold_home: Vec::with_capacity(n),
        hold_free: Vec::with_capacity(n),
        end_arcs: Vec::with_capacity(n),
        rungs: Vec::with_capacity(n),
        rung_count: part.rung_count,
        collectors: Vec::with_capacity(levels),
        level_caps: vec![0; levels],
        sink,
    };
    let mut local = rustc_hash::FxHashMap::default();
    let mut total: i64 = 0;
    for (v, &g) in part.sites.iter().enumerate() {
        local.insert(g, v);
        let supplied = add_site(&mut tn, part, v, &days[g], k)?;
        total = total
            .checked_add(supplied)
            .ok_or_else(|| Error::Overflow("lookahead: total stock of an item exceeds i64".into()))?;
    }
    tn.net.set_supply(sink, -total)?;
    add_lanes(&mut tn, resolved, part, &local)?;
    for l in 0..levels {
        let c = tn.collector(l);
        tn.collectors.push(tn.net.add_arc(c, sink, INFINITE, 0).0);
    }
    Ok(tn)
}

/// Adds local site `v` (data `s`): its supplies (kept and free stock on day 0,
/// deliveries at *home* on their day), its days (see [`add_days`]), its end arcs and the
/// tie-breaker rungs. Returns the units it supplies.
fn add_site(tn: &mut TimeNetwork, part: &PartInput<'_>, v: usize, s: &SiteDays, k: usize) -> Result<i64> {
    let h = tn.days;
    let mut supplied: i64 = 0;
    let supplies = std::iter::once((tn.home(v, 0), s.home))
        .chain(std::iter::once((tn.free(v, 0), s.free)))
        .chain(s.arrivals.iter().enumerate().map(|(t, &a)| (tn.home(v, t), a)));
    let overflow = || Error::Overflow("lookahead supply".into());
    for (nd, x) in supplies.collect::<Vec<_>>() {
        let now = tn.net.supplies()[nd as usize];
        tn.net.set_supply(nd, now.checked_add(x).ok_or_else(overflow)?)?;
        supplied = supplied
            .checked_add(x)
            .ok_or_else(|| Error::Overflow("lookahead: total stock of an item exceeds i64".into()))?;
    }
    let base = home_baseline(s);
    let caps: Vec<i64> = (0..h)
        .map(|t| part.storage[tn.sites[v]].map_or(INFINITE, |c| c.max(base[t])))
        .collect();
    add_days(tn, part.acute_days, v, s, &caps, k)?;
    let e = tn.end(v);
    if h > 0 {
        let a = tn.net.add_arc(tn.home(v, h - 1), e, caps[h - 1], 0).0;
        let b = tn.net.add_arc(tn.free(v, h - 1), e, INFINITE, 0).0;
        tn.end_arcs.push((a, b));
    }
    let rungs = if s.daily > 0 { part.rung_count } else { 0 };
    let sink = tn.sink;
    let arcs = (0..rungs).map(|_| tn.net.add_arc(e, sink, s.daily, 0).0).collect();
    tn.rungs.push(arcs);
    tn.net.add_arc(e, sink, INFINITE, 0);
    Ok(supplied)
}

/// Adds local site `v`'s arcs of every day: own use `free → home`, the holdover arcs
/// (home capped by `caps[t]`) and one consumption arc per class with need.
fn add_days(tn: &mut TimeNetwork, acute_days: usize, v: usize, s: &SiteDays, caps: &[i64], k: usize) -> Result<()> {
    let h = tn.days;
    let mut hh = Vec::with_capacity(h);
    let mut hf = Vec::with_capacity(h);
    for (t, &cap) in caps.iter().enumerate() {
        tn.net.add_arc(tn.free(v, t), tn.home(v, t), INFINITE, 0);
        if t + 1 < h {
            hh.push(tn.net.add_arc(tn.home(v, t), tn.home(v, t + 1), cap, 0).0);
            hf.push(tn.net.add_arc(tn.free(v, t), tn.free(v, t + 1), INFINITE, 0).0);
        }
        for (c, &q) in s.demand[t].iter().enumerate() {
            if q > 0 {
                let level = if t < acute_days { c } else { k + c };
                let arc = tn.net.add_arc(tn.home(v, t), tn.collector(level), q, 0).0;
                tn.consume.push(ConsumeArc {
                    site: v,
                    day: t,
                    class: c,
                    level,
                    arc,
                });
                tn.level_caps[level] = tn.level_caps[level]
                    .checked_add(q)
                    .ok_or_else(|| Error::Overflow("lookahead: consumption of a level exceeds i64".into()))?;
            }
        }
    }
    tn.hold_home.push(hh);
    tn.hold_free.push(hf);
    Ok(())
}

/// Adds the lane arcs of the part: per lane and shipping day whose arrival falls in
/// the horizon, `free(u,t) → home(w,t+L)` (`free` when `w` forwards).
fn add_lanes(
    tn: &mut TimeNetwork,
    resolved: &ResolvedScenario,
    part: &PartInput<'_>,
    local: &rustc_hash::FxHashMap<usize, usize>,
) -> Result<()> {
    let h = tn.days;
    for &l in part.lanes {
        let lane = &resolved.lanes[l];
        let (Some(&u), Some(&w)) = (local.get(&lane.from), local.get(&lane.to)) else {
            return Err(Error::Internal(format!("lane {l} leaves its part of the lane graph")));
        };
        let lead = part.leads[l] as usize;
        let forwards = resolved.scenario.sites[part.sites[w]].forwards();
        for &t in part.shipping {
            let t = t as usize;
            if t + lead >= h {
                continue;
            }
            let head = if forwards {
                tn.free(w, t + lead)
            } else {
                tn.home(w, t + lead)
            };
            let arc = tn
                .net
                .add_arc(tn.free(u, t), head, lane.capacity.unwrap_or(INFINITE), 0)
                .0;
            tn.lanes.push(LaneArc {
                lane: l,
                depart: t,
                arrive: t + lead,
                arc,
                cost: lane.cost,
            });
        }
    }
    Ok(())
}
