//! Why a need stays unmet: reachability over the lanes before and after the round.
//!
//! For an unmet need of level `l` at site `v`:
//! 1. `v`'s county has donors (giveable stock) but none can reach `v` over lanes →
//!    [`Reason::NoLane`];
//! 2. some site that reaches `v` holds stock that is free for level `l` (unused surplus,
//!    or stock serving a lower level), yet no path with spare lane capacity (the residual
//!    network of the plan) leads from it to `v` → [`Reason::NoLane`] (capacity);
//! 3. else, if a site that reaches `v` holds stock in its reserve →
//!    [`Reason::HeldByReserves`];
//! 4. else, if a donor reaches `v` (its surplus went to higher-priority needs) →
//!    [`Reason::UsedForHigherPriority`];
//! 5. else [`Reason::NoSurplus`].
//!
//! A donor's own planning shortfall created by giving is
//! [`Reason::UsedForHigherPriority`].
//!
//! Paths follow the network of the round: stock passes through a site only if it
//! forwards (a transshipment point or a hub), and a site's own giveable stock reaches
//! its own needs through its own-use arc (see `item_network`).

use super::plan::Reason;
use crate::model::{Profile, ResolvedScenario};
use std::collections::HashMap;

/// Lanes by node, for reverse searches.
pub(crate) struct LaneGraph {
    incoming: Vec<Vec<usize>>,
    outgoing: Vec<Vec<usize>>,
    from: Vec<usize>,
    to: Vec<usize>,
    capacity: Vec<i64>,
    /// Per site: whether stock may pass through it.
    forwards: Vec<bool>,
    /// County index per site.
    county: Vec<usize>,
    /// Connected parts (sites joined by lanes in either direction): sites ascending,
    /// and the lanes inside each part.
    pub parts: Vec<(Vec<usize>, Vec<usize>)>,
}

/// Weakly connected components of the lane graph, in order of their first site.
fn parts(n: usize, from: &[usize], to: &[usize]) -> Vec<(Vec<usize>, Vec<usize>)> {
    fn find(parent: &mut [usize], mut x: usize) -> usize {
        while parent[x] != x {
            parent[x] = parent[parent[x]];
            x = parent[x];
        }
        x
    }
    let mut parent: Vec<usize> = (0..n).collect();
    for (&a, &b) in from.iter().zip(to) {
        let (ra, rb) = (find(&mut parent, a), find(&mut parent, b));
        if ra != rb {
            parent[ra.max(rb)] = ra.min(rb);
        }
    }
    let mut index_of_root = vec![usize::MAX; n];
    let mut out: Vec<(Vec<usize>, Vec<usize>)> = Vec::new();
    for v in 0..n {
        let r = find(&mut parent, v);
        if index_of_root[r] == usize::MAX {
            index_of_root[r] = out.len();
            out.push((Vec::new(), Vec::new()));
        }
        out[index_of_root[r]].0.push(v);
    }
    for (l, &a) in from.iter().enumerate() {
        let r = find(&mut parent, a);
        out[index_of_root[r]].1.push(l);
    }
    out
}

impl LaneGraph {
    pub fn new(resolved: &ResolvedScenario) -> LaneGraph {
        let n = resolved.site_count();
        let mut incoming = vec![Vec::new(); n];
        let mut outgoing = vec![Vec::new(); n];
        for (i, l) in resolved.lanes.iter().enumerate() {
            incoming[l.to].push(i);
            outgoing[l.from].push(i);
        }
        let mut codes: Vec<&str> = Vec::new();
        let county = resolved
            .scenario
            .sites
            .iter()
            .map(|s| match codes.iter().position(|&c| c == s.county) {
                Some(i) => i,
                None => {
                    codes.push(&s.county);
                    codes.len() - 1
                }
            })
            .collect();
        let from: Vec<usize> = resolved.lanes.iter().map(|l| l.from).collect();
        let to: Vec<usize> = resolved.lanes.iter().map(|l| l.to).collect();
        LaneGraph {
            parts: parts(n, &from, &to),
            county,
            incoming,
            outgoing,
            from: resolved.lanes.iter().map(|l| l.from).collect(),
            to: resolved.lanes.iter().map(|l| l.to).collect(),
            capacity: resolved.lanes.iter().map(|l| l.capacity.unwrap_or(i64::MAX)).collect(),
            forwards: resolved.scenario.sites.iter().map(|s| s.forwards()).collect(),
        }
    }

    /// Sites from which some lane path leads to `target` through forwarding sites only
    /// (lanes of capacity 0 do not count), `target` included.
    fn static_reach(&self, target: usize) -> Vec<bool> {
        let mut seen = vec![false; self.incoming.len()];
        let mut stack = vec![target];
        seen[target] = true;
        while let Some(h) = stack.pop() {
            if h != target && !self.forwards[h] {
                continue; // reached, but stock does not pass through it
            }
            for &lane in &self.incoming[h] {
                let t = self.from[lane];
                if !seen[t] && self.capacity[lane] > 0 {
                    seen[t] = true;
                    stack.push(t);
                }
            }
        }
        seen
    }

    /// Node of the residual search: the receive side of `v` (`v`) or its send side
    /// (`v` itself when it forwards, else `n + v`).
    fn send_node(&self, v: usize) -> usize {
        if self.forwards[v] {
            v
        } else {
            self.incoming.len() + v
        }
    }

    /// Which nodes (receive `0..n`, send `n..2n`, see [`send_node`](Self::send_node))
    /// could still bring a unit to the receive side of `target` in the residual network
    /// of the plan: spare lane capacity forward, cancelling a shipment backward, and
    /// each site's own-use arc (`own[v]` used of `giveable[v]`).
    fn residual_reach(&self, target: usize, flows: &[i64], own: &[i64], giveable: &[i64]) -> Vec<bool> {
        let n = self.incoming.len();
        let mut seen = vec![false; 2 * n];
        let mut stack = vec![target];
        seen[target] = true;
        let mut visit = |x: usize, stack: &mut Vec<usize>| {
            if !seen[x] {
                seen[x] = true;
                stack.push(x);
            }
        };
        while let Some(h) = stack.pop() {
            let v = if h < n { h } else { h - n };
            let (is_receive, is_send) = (h < n, h >= n || self.forwards[v]);
            if is_receive {
                for &lane in &self.incoming[v] {
                    if flows.get(lane).copied().unwrap_or(0) < self.capacity[lane] {
                        visit(self.send_node(self.from[lane]), &mut stack);
                    }
                }
                if !self.forwards[v] && own[v] < giveable[v] {
                    visit(n + v, &mut stack);
                }
            }
            if is_send {
                for &lane in &self.outgoing[v] {
                    if flows.get(lane).copied().unwrap_or(0) > 0 {
                        visit(self.to[lane], &mut stack);
                    }
                }
                if !self.forwards[v] && own[v] > 0 {
                    visit(v, &mut stack);
                }
            }
        }
        seen
    }
}

/// Reason finder for one item's solved network.
pub(crate) struct Reasons<'a> {
    graph: &'a LaneGraph,
    profiles: &'a [Profile],
    lane_flows: &'a [i64],
    /// Per site: units of its giveable stock used for its own need (own-use arc).
    own_flows: Vec<i64>,
    /// Per site: the lowest-priority level (largest index) it serves with positive flow,
    /// and whether it keeps unused surplus.
    surplus_left: Vec<bool>,
    lowest_served: Vec<Option<usize>>,
    /// Per county index: whether it has a donor.
    county_has_donor: Vec<bool>,
    /// Per target site: the sites that reach it over lanes.
    static_cache: HashMap<usize, Vec<usize>>,
    residual_cache: HashMap<usize, Vec<bool>>,
    reason_cache: HashMap<(usize, usize), Reason>,
}

impl<'a> Reasons<'a> {
    /// `lane_flows`: flow per lane; `own_flows`: per site, its giveable stock used for
    /// its own need; `surplus_left`: per site, whether it keeps unused giveable stock;
    /// `met`: per site and level, the need met.
    pub fn new(
        graph: &'a LaneGraph,
        profiles: &'a [Profile],
        lane_flows: &'a [i64],
        own_flows: Vec<i64>,
        surplus_left: Vec<bool>,
        met: &[Vec<i64>],
    ) -> Reasons<'a> {
        let lowest_served = met.iter().map(|levels| levels.iter().rposition(|&m| m > 0)).collect();
        let counties = graph.county.iter().copied().max().map_or(0, |c| c + 1);
        let mut county_has_donor = vec![false; counties];
        for (x, p) in profiles.iter().enumerate() {
            if p.giveable > 0 {
                county_has_donor[graph.county[x]] = true;
            }
        }
        Reasons {
            county_has_donor,
            reason_cache: HashMap::new(),
            graph,
            profiles,
            lane_flows,
            own_flows,
            surplus_left,
            lowest_served,
            static_cache: HashMap::new(),
            residual_cache: HashMap::new(),
        }
    }

    /// The reason for an unmet need of `level` at `site`.
    pub fn reason(&mut self, site: usize, level: usize) -> Reason {
        if let Some(&r) = self.reason_cache.get(&(site, level)) {
            return r;
        }
        let r = self.find_reason(site, level);
        self.reason_cache.insert((site, level), r);
        r
    }

    fn find_reason(&mut self, site: usize, level: usize) -> Reason {
        let graph = self.graph;
        let reached = self
            .static_cache
            .entry(site)
            .or_insert_with(|| {
                let mask = graph.static_reach(site);
                (0..mask.len()).filter(|&x| mask[x]).collect()
            })
            .clone();
        let donors_in_county = self.county_has_donor[graph.county[site]];
        let donor_reaches = reached.iter().any(|&x| self.profiles[x].giveable > 0);
        if donors_in_county && !donor_reaches {
            return Reason::NoLane;
        }
        // Stock free for this level: unused surplus (on the send side) or stock serving
        // a lower level (on the receive side).
        let surplus_free = |x: usize| x != site && self.surplus_left[x];
        let level_free = |x: usize| x != site && self.lowest_served[x].is_some_and(|l| l > level);
        if reached.iter().any(|&x| surplus_free(x) || level_free(x)) {
            if !self.residual_cache.contains_key(&site) {
                let giveable: Vec<i64> = self.profiles.iter().map(|p| p.giveable).collect();
                let r = graph.residual_reach(site, self.lane_flows, &self.own_flows, &giveable);
                self.residual_cache.insert(site, r);
            }
            let residual = &self.residual_cache[&site];
            let reachable =
                |x: usize| (surplus_free(x) && residual[graph.send_node(x)]) || (level_free(x) && residual[x]);
            if !reached.iter().any(|&x| reachable(x)) {
                return Reason::NoLane;
            }
        }
        if reached.iter().any(|&x| self.profiles[x].reserve_units > 0) {
            return Reason::HeldByReserves;
        }
        if donor_reaches {
            return Reason::UsedForHigherPriority;
        }
        Reason::NoSurplus
    }
}
