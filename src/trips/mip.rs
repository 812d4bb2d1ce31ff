//! The trips MIP of one connected part of the lane graph (with default lanes: one
//! county), built for one objective level at a time.
//!
//! Variables (items `i`, lanes `l`, sites `v`, levels `k`: acute classes highest first,
//! then planning):
//!
//! * `x[i,l]` integer packs of item `i` on lane `l` (at most the lane capacity in whole
//!   packs and the part's giveable packs);
//! * `b[i,l]` binary, with a minimum load `q_i > 1`: `q_i·b ≤ x ≤ U·b`;
//! * `y[l]` integer trips (with a vehicle): `Σ_i litres_per_pack_i · x[i,l] ≤ C·y[l]`,
//!   for packs that fit at most a few to a vehicle the packing rows
//!   `Σ_i u_k(i) · x[i,l] ≤ y[l]` ([`packing_rows`]), and `Σ_l y[l] ≤` the cap on trips
//!   per meeting;
//! * `m[i,v,k] ∈ [0, need]` units of need met from the item itself;
//! * `s[r,v,k]` integer units of need of item `A` met by substitute rule `r` (`B` for
//!   `A`, `ratio` units of `B` each), for the classes the rule allows (the planning
//!   level only when it allows every class).
//!
//! Rows: a site that does not forward sends at most its giveable packs `⌊g/p⌋`, one
//! that forwards at most what it receives plus those; the units a site has,
//! `p·(in − out) + g`, cover `Σ_k m[i,v,k] + Σ_r ratio_r·s[r,v,k]` for the rules where
//! `i` serves; `m[A,v,k] + Σ_r s[r,v,k] ≤ need[A,v,k]`.
//!
//! Levels, each solved with every level before it fixed at its optimum: met acute need
//! per class, met planning need (maximised), units met by substitutes (minimised: a
//! substitute is used only where it lowers unmet need), trips (cost), vehicle km
//! (`Σ y·km`), then transport (unit·km). The logistics data's `substitutes_rank`
//! moves the substitutes level after vehicle km or after transport
//! ([`Part::levels`]).

use super::model::{ResolvedLogistics, SubstitutesRank};
use super::vehicle_loads::packing_rows;
use crate::error::{Error, Result};
use crate::model::{Profile, ResolvedScenario};
use good_lp::{constraint, variable, Constraint, Expression, ProblemVariables, Variable};
use std::collections::HashMap;

/// One objective level of the MIP.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Level {
    /// Met acute need of class `k` (maximised).
    Acute(usize),
    /// Met planning need (maximised).
    Planning,
    /// Units of need met by substitutes (minimised).
    Substitutes,
    /// Trip cost (minimised).
    Trips,
    /// Vehicle km ×10 (minimised).
    VehicleKm,
    /// Transport, unit·km ×10 (minimised).
    Transport,
}

impl Level {
    /// The level as results name it: `acute:<class>`, `planning`, `substitutes`,
    /// `trips`, `vehicle_km` or `transport`.
    pub(crate) fn name(self, resolved: &ResolvedScenario) -> String {
        match self {
            Level::Acute(c) => format!("acute:{}", resolved.classes[c].id),
            Level::Planning => "planning".into(),
            Level::Substitutes => "substitutes".into(),
            Level::Trips => "trips".into(),
            Level::VehicleKm => "vehicle_km".into(),
            Level::Transport => "transport".into(),
        }
    }
}

/// The data of one part.
pub(crate) struct Part<'a> {
    pub resolved: &'a ResolvedScenario,
    pub logistics: &'a ResolvedLogistics,
    /// Global site indices, ascending.
    pub sites: Vec<usize>,
    /// Global lane indices.
    pub lanes: Vec<usize>,
    /// Packing rows for lanes whose packs did not fit the trips of an earlier solve
    /// ([`PackingCut`]); empty at first.
    pub packing_cuts: Vec<PackingCut>,
}

/// The variables of one build.
pub(crate) struct Vars {
    /// `(item, local lane, var)`.
    pub x: Vec<(usize, usize, Variable)>,
    /// Per entry of `x`: its minimum-load switch `b` (items with a minimum load > 1).
    pub b: Vec<Option<Variable>>,
    /// Per local lane: the trips variable.
    pub y: Vec<Option<Variable>>,
    /// `(item, local site, level, var)`.
    pub m: Vec<(usize, usize, usize, Variable)>,
    /// `(rule, local site, level, var)`.
    pub s: Vec<(usize, usize, usize, Variable)>,
    /// Every variable in creation order (for start solutions).
    pub all: Vec<Variable>,
}

/// A packing row found for a lane whose packs did not fit its trips in an earlier solve:
/// `Σ_i weight_i · x[i,l] ≤ y[l]`, the weights dual feasible (the packs any one vehicle
/// can carry weigh at most 1 in all), so it holds at every plan.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct PackingCut {
    /// Local lane.
    pub lane: usize,
    /// `(item, weight per pack)`.
    pub weights: Vec<(usize, f64)>,
}

/// The row `Σ weight · x[item, lane] ≤ y` of local lane `lane` (trips `y`), `weights`
/// as `(item, weight per pack)`; items without packs on the lane drop out.
fn lane_row(vars: &Vars, lane: usize, weights: &[(usize, f64)], y: Variable) -> Constraint {
    let mut counted = Expression::from(0.0);
    for &(item, weight) in weights.iter().filter(|w| w.1 > 0.0) {
        if let Some(&(_, _, x)) = vars.x.iter().find(|&&(i, l, _)| i == item && l == lane) {
            counted.add_mul(weight, x);
        }
    }
    constraint::leq(counted, y)
}

impl Part<'_> {
    /// The objective levels in solve order: the acute classes, planning, then trips and
    /// vehicle km (with a vehicle) and transport, with the substitutes level (with
    /// substitution rules) where [`SubstitutesRank`] puts it.
    pub fn levels(&self) -> Vec<Level> {
        let k = self.resolved.classes.len();
        let mut out: Vec<Level> = (0..k).map(Level::Acute).collect();
        out.push(Level::Planning);
        let rank = if self.logistics.substitutes.is_empty() {
            None
        } else {
            Some(self.logistics.substitutes_rank)
        };
        let vehicle = self.logistics.vehicle.is_some();
        // Without a vehicle there are no trips levels: `after_trips` is `after_need`.
        if rank == Some(SubstitutesRank::AfterNeed) || (rank == Some(SubstitutesRank::AfterTrips) && !vehicle) {
            out.push(Level::Substitutes);
        }
        if vehicle {
            out.push(Level::Trips);
            out.push(Level::VehicleKm);
            if rank == Some(SubstitutesRank::AfterTrips) {
                out.push(Level::Substitutes);
            }
        }
        out.push(Level::Transport);
        if rank == Some(SubstitutesRank::Last) {
            out.push(Level::Substitutes);
        }
        out
    }

    fn profile(&self, item: usize, local: usize) -> &Profile {
        &self.resolved.item_profiles(item)[self.sites[local]]
    }

    /// Need of `item` at local site `v` per level (acute classes, then planning), units.
    pub fn caps(&self, item: usize, v: usize) -> Result<Vec<i64>> {
        let p = self.profile(item, v);
        let mut caps = p.acute.clone();
        caps.push(
            p.planning_extra()
                .checked_add(p.own_use)
                .ok_or_else(|| Error::Overflow("planning need + own use exceeds i64".into()))?,
        );
        Ok(caps)
    }

    /// Can packs of `item` on a lane from local site `a` to `b` serve anything? Only if
    /// `a` has some to give or forwards, and `b` needs the item (or an item it
    /// substitutes) or forwards. Other lanes carry nothing in any optimum (a shipment
    /// that serves no need only adds trips and km), so they get no variable.
    fn useful(&self, item: usize, a: usize, b: usize) -> Result<bool> {
        let sc = &self.resolved.scenario;
        let forwards = |v: usize| sc.sites[self.sites[v]].forwards();
        if self.profile(item, a).giveable == 0 && !forwards(a) {
            return Ok(false);
        }
        if forwards(b) || self.caps(item, b)?.iter().any(|&c| c > 0) {
            return Ok(true);
        }
        for rule in self.logistics.substitutes.iter().filter(|r| r.by == item) {
            if self.caps(rule.item, b)?.iter().any(|&c| c > 0) {
                return Ok(true);
            }
        }
        Ok(false)
    }

    /// Giveable packs of `item` in the whole part (`Σ ⌊g/p⌋`).
    pub fn packs_total(&self, item: usize) -> i64 {
        let pack = self.logistics.pack_size[item];
        (0..self.sites.len())
            .map(|v| self.profile(item, v).giveable / pack)
            .sum()
    }

    /// Most packs of `item` on local lane `li`: the lane's capacity in whole packs, at
    /// most `packs_total` (the part's giveable packs, [`Part::packs_total`]).
    pub fn lane_packs(&self, item: usize, li: usize, packs_total: i64) -> i64 {
        let pack = self.logistics.pack_size[item];
        let lane = &self.resolved.lanes[self.lanes[li]];
        lane.capacity.map_or(packs_total, |c| (c / pack).min(packs_total))
    }

    /// Whether local site `v` may pass stock on (a transshipment point or a hub).
    pub fn forwards(&self, v: usize) -> bool {
        self.resolved.scenario.sites[self.sites[v]].forwards()
    }

    fn local(&self, global: usize) -> Option<usize> {
        self.sites.binary_search(&global).ok()
    }

    /// Giveable units of `item` at local site `v`.
    pub fn giveable(&self, item: usize, v: usize) -> i64 {
        self.profile(item, v).giveable
    }

    /// The local sites at the ends of local lane `li` (`None` for a lane that leaves the
    /// part, which [`Part::build`] rejects).
    pub fn ends(&self, li: usize) -> Option<(usize, usize)> {
        let lane = &self.resolved.lanes[*self.lanes.get(li)?];
        Some((self.local(lane.from)?, self.local(lane.to)?))
    }

    /// Builds the variables and rows (`integer`: false gives the LP relaxation).
    pub fn build(&self, integer: bool) -> Result<(ProblemVariables, Vars, Vec<Constraint>)> {
        let sc = &self.resolved.scenario;
        let lg = self.logistics;
        let items = sc.items.len();
        let n = self.sites.len();
        let mut pv = ProblemVariables::new();
        let mut vars = Vars {
            x: Vec::new(),
            b: Vec::new(),
            y: vec![None; self.lanes.len()],
            m: Vec::new(),
            s: Vec::new(),
            all: Vec::new(),
        };
        let mut rows: Vec<Constraint> = Vec::new();
        let int = |v: good_lp::VariableDefinition| if integer { v.integer() } else { v };
        // Sends and receipts in packs per (item, local site).
        let mut out_x: Vec<Vec<Expression>> = vec![vec![Expression::from(0.0); n]; items];
        let mut in_x: Vec<Vec<Expression>> = vec![vec![Expression::from(0.0); n]; items];
        let mut lane_litres: Vec<Expression> = vec![Expression::from(0.0); self.lanes.len()];
        for i in 0..items {
            let pack = lg.pack_size[i];
            let packs_total = self.packs_total(i);
            if packs_total == 0 {
                continue;
            }
            for (li, &l) in self.lanes.iter().enumerate() {
                let lane = &self.resolved.lanes[l];
                let ub = self.lane_packs(i, li, packs_total);
                let (Some(a), Some(b)) = (self.local(lane.from), self.local(lane.to)) else {
                    return Err(Error::Internal(format!("lane {l} leaves its part")));
                };
                if ub == 0 || !self.useful(i, a, b)? {
                    continue;
                }
                let x = pv.add(int(variable().min(0.0).max(ub as f64)));
                vars.all.push(x);
                vars.x.push((i, li, x));
                out_x[i][a].add_mul(1.0, x);
                in_x[i][b].add_mul(1.0, x);
                lane_litres[li].add_mul(lg.volume_l[i] * pack as f64, x);
                let q = lg.min_packs[i];
                if q > 1 {
                    let bin = pv.add(if integer {
                        variable().binary()
                    } else {
                        variable().min(0.0).max(1.0)
                    });
                    vars.all.push(bin);
                    vars.b.push(Some(bin));
                    rows.push(constraint::geq(Expression::from(x), (q as f64) * bin));
                    rows.push(constraint::leq(Expression::from(x), (ub as f64) * bin));
                } else {
                    vars.b.push(None);
                }
            }
        }
        self.vehicle_rows(&mut pv, &mut vars, &mut rows, lane_litres, integer);
        self.need_rows(&mut pv, &mut vars, &mut rows, &out_x, &in_x, integer)?;
        Ok((pv, vars, rows))
    }

    fn vehicle_rows(
        &self,
        pv: &mut ProblemVariables,
        vars: &mut Vars,
        rows: &mut Vec<Constraint>,
        lane_litres: Vec<Expression>,
        integer: bool,
    ) {
        let Some(vehicle) = &self.logistics.vehicle else { return };
        let mut total = Expression::from(0.0);
        for (li, litres) in lane_litres.into_iter().enumerate() {
            if !vars.x.iter().any(|&(_, l, _)| l == li) {
                continue;
            }
            let y = pv.add(if integer {
                variable().integer().min(0.0)
            } else {
                variable().min(0.0)
            });
            vars.all.push(y);
            vars.y[li] = Some(y);
            rows.push(constraint::leq(litres, vehicle.capacity_l * y));
            rows.extend(self.packing_rows(vars, li, y, vehicle.capacity_l));
            for cut in self.packing_cuts.iter().filter(|c| c.lane == li) {
                rows.push(lane_row(vars, li, &cut.weights, y));
            }
            total.add_mul(1.0, y);
        }
        if let Some(cap) = vehicle.max_trips {
            rows.push(constraint::leq(total, cap as f64));
        }
    }

    /// The rows of local lane `li` (trips `y`) that count vehicles where packs too large
    /// for the volume count leave room unused ([`packing_rows`]).
    fn packing_rows(&self, vars: &Vars, li: usize, y: Variable, capacity: f64) -> Vec<Constraint> {
        let lg = self.logistics;
        let items: Vec<usize> = vars
            .x
            .iter()
            .filter(|&&(_, l, _)| l == li)
            .map(|&(i, _, _)| i)
            .collect();
        let litres: Vec<f64> = items.iter().map(|&i| lg.volume_l[i] * lg.pack_size[i] as f64).collect();
        packing_rows(&litres, capacity)
            .into_iter()
            .map(|u| {
                let weights: Vec<(usize, f64)> = items.iter().copied().zip(u).collect();
                lane_row(vars, li, &weights, y)
            })
            .collect()
    }

    fn need_rows(
        &self,
        pv: &mut ProblemVariables,
        vars: &mut Vars,
        rows: &mut Vec<Constraint>,
        out_x: &[Vec<Expression>],
        in_x: &[Vec<Expression>],
        integer: bool,
    ) -> Result<()> {
        let sc = &self.resolved.scenario;
        let lg = self.logistics;
        let k = self.resolved.classes.len();
        let n = self.sites.len();
        let mut used: Vec<Vec<Expression>> = vec![vec![Expression::from(0.0); n]; sc.items.len()];
        for i in 0..sc.items.len() {
            for v in 0..n {
                let p = self.profile(i, v);
                let giveable_packs = (p.giveable / lg.pack_size[i]) as f64;
                let forwards = sc.sites[self.sites[v]].forwards();
                let limit = if forwards {
                    in_x[i][v].clone() + giveable_packs
                } else {
                    Expression::from(giveable_packs)
                };
                rows.push(constraint::leq(out_x[i][v].clone(), limit));
                for (level, &cap) in self.caps(i, v)?.iter().enumerate() {
                    if cap <= 0 {
                        continue;
                    }
                    let mut served = Expression::from(0.0);
                    let m = pv.add(variable().min(0.0).max(cap as f64));
                    vars.all.push(m);
                    vars.m.push((i, v, level, m));
                    used[i][v].add_mul(1.0, m);
                    served.add_mul(1.0, m);
                    for (r, rule) in lg.substitutes.iter().enumerate().filter(|(_, r)| r.item == i) {
                        let allowed = if level < k {
                            rule.classes[level]
                        } else {
                            rule.classes.iter().all(|&a| a)
                        };
                        if allowed {
                            let def = if integer { variable().integer() } else { variable() };
                            let s = pv.add(def.min(0.0).max(cap as f64));
                            vars.all.push(s);
                            vars.s.push((r, v, level, s));
                            served.add_mul(1.0, s);
                            used[rule.by][v].add_mul(rule.ratio as f64, s);
                        }
                    }
                    rows.push(constraint::leq(served, cap as f64));
                }
            }
        }
        for (i, per_site) in used.into_iter().enumerate() {
            let pack = lg.pack_size[i] as f64;
            for (v, u) in per_site.into_iter().enumerate() {
                let net = in_x[i][v].clone() - out_x[i][v].clone();
                let available = net * pack + self.profile(i, v).giveable as f64;
                rows.push(constraint::leq(u, available));
            }
        }
        Ok(())
    }

    /// The expression of `level` and whether it is maximised.
    pub fn objective(&self, vars: &Vars, level: Level) -> (Expression, bool) {
        let lg = self.logistics;
        let k = self.resolved.classes.len();
        let mut e = Expression::from(0.0);
        let met = |e: &mut Expression, want: usize| {
            for &(_, _, l, m) in &vars.m {
                if l == want {
                    e.add_mul(1.0, m);
                }
            }
            for &(_, _, l, s) in &vars.s {
                if l == want {
                    e.add_mul(1.0, s);
                }
            }
        };
        match level {
            Level::Acute(c) => {
                met(&mut e, c);
                (e, true)
            }
            Level::Planning => {
                met(&mut e, k);
                (e, true)
            }
            Level::Substitutes => {
                for &(_, _, _, s) in &vars.s {
                    e.add_mul(1.0, s);
                }
                (e, false)
            }
            Level::Trips | Level::VehicleKm => {
                let cost = lg.vehicle.as_ref().map_or(1, |v| v.cost_per_trip) as f64;
                for (li, y) in vars.y.iter().enumerate() {
                    if let Some(y) = y {
                        let w = if level == Level::Trips {
                            cost
                        } else {
                            self.resolved.lanes[self.lanes[li]].cost as f64
                        };
                        e.add_mul(w, *y);
                    }
                }
                (e, false)
            }
            Level::Transport => {
                for &(i, li, x) in &vars.x {
                    let w = (lg.pack_size[i] * self.resolved.lanes[self.lanes[li]].cost) as f64;
                    e.add_mul(w, x);
                }
                (e, false)
            }
        }
    }
}

/// The columns `all` paired with their `values` (one per column, in the same order),
/// the map [`Expression::eval_with`] reads an objective or a row at.
pub(crate) fn values_at(all: &[Variable], values: &[f64]) -> HashMap<Variable, f64> {
    all.iter().copied().zip(values.iter().copied()).collect()
}

/// `objective` at the columns `values` (one per column of `all`, in that order).
pub(crate) fn value_at(objective: &Expression, all: &[Variable], values: &[f64]) -> f64 {
    objective.eval_with(&values_at(all, values))
}
