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
        }
    }

    /// Sites from which some lane path leads to `target` (lanes of capacity 0 do not
    /// count), `target` included.
    fn static_reach(&self, target: usize) -> Vec<bool> {
        self.reverse_search(target, |lane, _forward| self.capacity[lane] > 0, false)
    }

    /// Sites from which a unit could still be brought to `target` in the residual
    /// network of `flows` (spare capacity forward, or cancelling an existing shipment).
    fn residual_reach(&self, target: usize, flows: &[i64]) -> Vec<bool> {
        self.reverse_search(
            target,
            |lane, forward| {
                let f = flows.get(lane).copied().unwrap_or(0);
                if forward {
                    f < self.capacity[lane]
                } else {
                    f > 0
                }
            },
            true,
        )
    }

    fn reverse_search(&self, target: usize, usable: impl Fn(usize, bool) -> bool, backward_arcs: bool) -> Vec<bool> {
        let n = self.incoming.len();
        let mut seen = vec![false; n];
        let mut stack = vec![target];
        seen[target] = true;
        while let Some(h) = stack.pop() {
            for &lane in &self.incoming[h] {
                let t = self.from[lane];
                if !seen[t] && usable(lane, true) {
                    seen[t] = true;
                    stack.push(t);
                }
            }
            if backward_arcs {
                for &lane in &self.outgoing[h] {
                    let t = self.to[lane];
                    if !seen[t] && usable(lane, false) {
                        seen[t] = true;
                        stack.push(t);
                    }
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
    /// `lane_flows`: flow per lane; `surplus_left`: per site, whether it keeps unused
    /// giveable stock; `met`: per site and level, the need met.
    pub fn new(
        graph: &'a LaneGraph,
        profiles: &'a [Profile],
        lane_flows: &'a [i64],
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
        let free_for = |x: usize| -> bool { self.surplus_left[x] || self.lowest_served[x].is_some_and(|l| l > level) };
        let candidates: Vec<usize> = reached.iter().copied().filter(|&x| x != site && free_for(x)).collect();
        if !candidates.is_empty() {
            let flows = self.lane_flows;
            let residual = self
                .residual_cache
                .entry(site)
                .or_insert_with(|| graph.residual_reach(site, flows));
            if candidates.iter().all(|&x| !residual[x]) {
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
