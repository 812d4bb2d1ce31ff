//! A trips plan re-solved as a small MIP at fixed takes: each site's packs to give
//! and to receive held at the plan's ([`ItemFlow`], netted against the plan's packs),
//! the packs per lane and the trips free. That is a fixed-charge transportation problem, and with the takes held
//! each pack column has a tight upper bound `u` (the least of the lane's packs, what
//! its origin may give and what its destination must receive), so the linking rows
//! `x ≤ u·y` give an LP bound close to the optimum (county 14 of synthetic Sweden: 120
//! against the full trips model's 57), where the full model, whose takes are free up
//! to every need, cannot tell its lanes apart.
//!
//! The LP relaxation is solved first; the MIP then keeps the lanes the LP uses and the
//! lanes of the plan (its start), under the level's deterministic node and LP work
//! limits. Every need and substitute column keeps its value, so the plan keeps every
//! level before the trips level, and every row of the level's model is checked at it
//! before it is used ([`super::consolidate::rerouted`]).
//!
//! It polishes the plan of a trips level whose search stopped at a limit (fewest
//! trips), and the plan of a vehicle km level searched with the trips held or stopped
//! at a limit (fewest km on at most the plan's trips, at the root node only). It is
//! not a start for the trips level's search: on Västmanland a start of 25 trips
//! (instead of slope scaling's 37) sent HiGHS's search another way, which stopped at
//! the LP work limit at 22 trips where it proves 21 from 37.

use super::consolidate::{eligible, lane_litres, rerouted, trips_of, Consolidated, ItemFlow};
use super::mip::{values_at, Level, Part, Vars};
use super::run::run;
use super::solve::MipOptions;
use crate::error::Result;
use good_lp::{constraint, variable, Constraint, Expression, ProblemVariables, Variable};

/// A column of the fixed-takes model: entry `k` of `vars.x` (flow `fi`), its upper
/// bound in packs, and its variable.
struct Column {
    k: usize,
    fi: usize,
    lane: usize,
    upper: i64,
    x: Variable,
}

/// The fixed-takes model over the lanes `allowed` (all when `None`).
struct Model {
    pv: ProblemVariables,
    all: Vec<Variable>,
    columns: Vec<Column>,
    /// Per local lane its trips variable (lanes with a column only).
    y: Vec<Option<Variable>>,
    /// Per column its minimum-load switch (items with a minimum load above one pack).
    b: Vec<Option<Variable>>,
    rows: Vec<Constraint>,
    objective: Expression,
}

/// A plan of the trips level (or of the vehicle km level) with a lower value of that
/// level at its own takes (see the module doc), when the fixed-takes MIP finds one and
/// every row of `rows` (the level's model, the levels before it fixed) holds at it.
/// `plan` has one value per column of `vars.all`; `level` is [`Level::Trips`] (fewer
/// trips) or [`Level::VehicleKm`] (fewer vehicle km on at most the plan's trips: a plan
/// with fewer trips lowers the trips level's value too).
pub(crate) fn polish(
    part: &Part<'_>,
    vars: &Vars,
    rows: &[Constraint],
    plan: &[f64],
    level: Level,
    options: &MipOptions,
) -> Result<Option<Consolidated>> {
    let options = if level == Level::VehicleKm {
        MipOptions {
            max_nodes: options.max_nodes.min(VEHICLE_KM_NODES),
            ..*options
        }
    } else {
        *options
    };
    rerouted(part, vars, rows, plan, level, |flows, packs, capacity| {
        let goal = Goal::new(part, vars, level, &packs, capacity);
        Ok((improve_at_fixed_takes(part, vars, flows, packs, &goal, &options)?, 1))
    })
}

/// Most branch-and-bound nodes of the vehicle km polish: the root only (its cuts and
/// heuristics). In synthetic Sweden it finds county 12's 37 847 (×0.1 km, from 63 956)
/// in 1.8 s, where 50 nodes reach 37 840 in 3.0 s, and on county 14, where 41 nodes
/// found nothing in 5.2 s, it stops after the root.
const VEHICLE_KM_NODES: i32 = 1;

/// What the fixed-takes MIP minimises: `Σ weight[lane] · trips[lane]`, on at most
/// `most_trips` trips when given.
struct Goal {
    weight: Vec<f64>,
    most_trips: Option<i64>,
    capacity: f64,
}

impl Goal {
    /// The goal of `level` (trips: one per trip; vehicle km: the lane's km ×10, on at
    /// most the trips of `plan`, packs per entry of `vars.x`).
    fn new(part: &Part<'_>, vars: &Vars, level: Level, plan: &[i64], capacity: f64) -> Self {
        let km = level == Level::VehicleKm;
        let weight = (0..part.lanes.len())
            .map(|l| {
                if km {
                    super::consolidate::km(part, l) as f64
                } else {
                    1.0
                }
            })
            .collect();
        let most_trips = km.then(|| trips_of(part, vars, plan, capacity));
        Goal {
            weight,
            most_trips,
            capacity,
        }
    }

    /// The goal's value at `packs` (packs per entry of `vars.x`) with the fewest trips
    /// per lane for them.
    fn value(&self, part: &Part<'_>, vars: &Vars, packs: &[i64]) -> f64 {
        let litres = lane_litres(part, vars, packs);
        (0..litres.len())
            .filter(|&l| vars.y[l].is_some())
            .map(|l| (litres[l] / self.capacity).ceil() * self.weight[l])
            .sum()
    }
}

/// What the fixed-takes model is built from.
struct Input<'a, 'p> {
    part: &'a Part<'p>,
    vars: &'a Vars,
    flows: &'a [ItemFlow],
    /// Packs per entry of `vars.x`.
    plan: &'a [i64],
    goal: &'a Goal,
}

/// `plan` (packs per entry of `vars.x`) improved for `goal` by the fixed-takes MIP
/// (see the module doc); `plan` as it is when the MIP finds nothing better.
fn improve_at_fixed_takes(
    part: &Part<'_>,
    vars: &Vars,
    flows: &[ItemFlow],
    plan: Vec<i64>,
    goal: &Goal,
    options: &MipOptions,
) -> Result<Vec<i64>> {
    let flows: Vec<ItemFlow> = flows.iter().map(|f| at_plan(part, vars, f, &plan)).collect();
    let input = Input {
        part,
        vars,
        flows: &flows,
        plan: &plan,
        goal,
    };
    let lp = build(&input, None, false);
    if lp.columns.is_empty() {
        return Ok(plan);
    }
    let Ok(relaxed) = run(lp.pv, &lp.all, lp.objective, false, lp.rows, None, options) else {
        return Ok(plan);
    };
    let at = values_at(&lp.all, &relaxed.values);
    let in_use = lane_litres(part, vars, &plan);
    let allowed: Vec<bool> = (0..part.lanes.len())
        .map(|l| in_use[l] > 0.0 || lp.y[l].is_some_and(|y| at.get(&y).is_some_and(|&v| v > 1e-6)))
        .collect();
    let mip = build(&input, Some(&allowed), true);
    let start = start_values(&mip, &input);
    let Ok(raw) = run(mip.pv, &mip.all, mip.objective, false, mip.rows, Some(&start), options) else {
        return Ok(plan);
    };
    if !raw.consistent {
        return Ok(plan);
    }
    let at = values_at(&mip.all, &raw.values);
    let mut found = plan.clone();
    for f in &flows {
        for &k in &f.cols {
            found[k] = 0;
        }
    }
    for c in &mip.columns {
        found[c.k] = at[&c.x].round().max(0.0) as i64;
    }
    let lower = goal.value(part, vars, &found) < goal.value(part, vars, &plan);
    let within = goal
        .most_trips
        .is_none_or(|most| trips_of(part, vars, &found, goal.capacity) <= most);
    Ok(if lower && within { found } else { plan })
}

/// `f` with each site's take and give netted against `plan`: a site takes no more
/// than the plan brings it net (a take rounded up past it comes from need columns a
/// solver tolerance above a whole number) and may give what the plan sends out net,
/// if more than its give.
fn at_plan(part: &Part<'_>, vars: &Vars, f: &ItemFlow, plan: &[i64]) -> ItemFlow {
    let mut net_in = vec![0i64; f.take.len()];
    for &k in f.cols.iter().filter(|&&k| plan[k] > 0) {
        if let Some((a, b)) = part.ends(vars.x[k].1) {
            net_in[a] -= plan[k];
            net_in[b] += plan[k];
        }
    }
    let take = f.take.iter().zip(&net_in).map(|(&t, &n)| t.min(n.max(0))).collect();
    let give = f.give.iter().zip(&net_in).map(|(&g, &n)| g.max(-n)).collect();
    ItemFlow {
        item: f.item,
        cols: f.cols.clone(),
        give,
        take,
    }
}

/// The upper bound of `f`'s column `k` (a lane from `a` to `b`) in the fixed-takes
/// model: the lane's packs, what `a` may give and what `b` must take (or the
/// minimum load, if more), for sites that do not forward.
fn upper(part: &Part<'_>, f: &ItemFlow, lane: usize, a: usize, b: usize) -> i64 {
    let q = part.logistics.min_packs[f.item];
    let mut upper = part.lane_packs(f.item, lane, part.packs_total(f.item));
    if !part.forwards(a) {
        upper = upper.min(f.give[a]);
    }
    if !part.forwards(b) {
        // A shipment of the minimum load may bring more than the take.
        upper = upper.min(f.take[b].max(q));
    }
    upper
}

/// Builds the fixed-takes model (integer columns when `integer`; the lanes of
/// `allowed` only, when given).
fn build(input: &Input<'_, '_>, allowed: Option<&[bool]>, integer: bool) -> Model {
    let Input { part, vars, .. } = *input;
    let lg = part.logistics;
    let n = part.sites.len();
    let lanes = part.lanes.len();
    let mut m = Model {
        pv: ProblemVariables::new(),
        all: Vec::new(),
        columns: Vec::new(),
        y: vec![None; lanes],
        b: Vec::new(),
        rows: Vec::new(),
        objective: Expression::from(0.0),
    };
    let mut litres: Vec<Expression> = vec![Expression::from(0.0); lanes];
    let mut used = vec![false; lanes];
    // Per lane the most litres it can carry in the model: its vans' bound.
    let mut most = vec![0.0; lanes];
    for (fi, f) in input.flows.iter().enumerate() {
        let pack_litres = lg.volume_l[f.item] * lg.pack_size[f.item] as f64;
        let (mut out, mut into) = (vec![Expression::from(0.0); n], vec![Expression::from(0.0); n]);
        let q = lg.min_packs[f.item];
        for &k in &f.cols {
            let lane = vars.x[k].1;
            let Some((a, b)) = eligible(part, vars, f, k) else {
                continue;
            };
            // At least the plan's packs, so that the plan is a start of the MIP.
            let upper = upper(part, f, lane, a, b).max(input.plan[k]);
            if allowed.is_some_and(|ok| !ok[lane]) || vars.y[lane].is_none() || upper <= 0 || (q > 1 && upper < q) {
                continue;
            }
            let def = variable().min(0.0).max(upper as f64);
            let x = m.pv.add(if integer { def.integer() } else { def });
            m.all.push(x);
            out[a].add_mul(1.0, x);
            into[b].add_mul(1.0, x);
            litres[lane].add_mul(pack_litres, x);
            most[lane] += pack_litres * upper as f64;
            used[lane] = true;
            m.columns.push(Column { k, fi, lane, upper, x });
        }
        // A site sends at most its `give` packs and keeps at least its `take`:
        // out − in <= give − take. Packs kept beyond the take stay in its stock (a
        // minimum load can bring more than a site needs), as in the trips model.
        for v in 0..n {
            let net = out[v].clone() - into[v].clone();
            m.rows.push(constraint::leq(net, (f.give[v] - f.take[v]) as f64));
        }
    }
    let (goal, mut trips) = (input.goal, Expression::from(0.0));
    for (lane, litres) in litres.into_iter().enumerate().filter(|&(lane, _)| used[lane]) {
        let def = variable().min(0.0).max((most[lane] / goal.capacity).ceil());
        let y = m.pv.add(if integer { def.integer() } else { def });
        m.all.push(y);
        m.y[lane] = Some(y);
        m.rows.push(constraint::leq(litres, goal.capacity * y));
        m.objective.add_mul(goal.weight[lane], y);
        trips.add_mul(1.0, y);
    }
    if let Some(most) = goal.most_trips {
        m.rows.push(constraint::leq(trips, most as f64));
    }
    link(&mut m, part, input.flows, integer);
    m
}

/// The linking rows: `x ≤ u·y`, and for an item with a minimum load `q` above one
/// pack a switch `s` with `q·s ≤ x ≤ u·s` and `s ≤ y`.
fn link(m: &mut Model, part: &Part<'_>, flows: &[ItemFlow], integer: bool) {
    let lg = part.logistics;
    for c in &m.columns {
        let Some(y) = m.y[c.lane] else {
            m.b.push(None);
            continue;
        };
        let q = lg.min_packs[flows[c.fi].item];
        let u = c.upper as f64;
        if q > 1 {
            let def = variable().min(0.0).max(1.0);
            let s = m.pv.add(if integer { def.integer() } else { def });
            m.all.push(s);
            m.rows.push(constraint::geq(Expression::from(c.x), q as f64 * s));
            m.rows.push(constraint::leq(Expression::from(c.x), u * s));
            m.rows.push(constraint::leq(Expression::from(s), Expression::from(y)));
            m.b.push(Some(s));
        } else {
            m.rows.push(constraint::leq(Expression::from(c.x), u * y));
            m.b.push(None);
        }
    }
}

/// The plan as a start of the fixed-takes MIP `m` (one value per variable of `m.all`).
fn start_values(m: &Model, input: &Input<'_, '_>) -> Vec<f64> {
    let plan = input.plan;
    let index: std::collections::HashMap<Variable, usize> = m.all.iter().enumerate().map(|(k, &v)| (v, k)).collect();
    let mut values = vec![0.0; m.all.len()];
    for (c, b) in m.columns.iter().zip(&m.b) {
        let packs = plan[c.k] as f64;
        values[index[&c.x]] = packs;
        if let Some(b) = b {
            values[index[b]] = if packs > 0.0 { 1.0 } else { 0.0 };
        }
    }
    let litres = lane_litres(input.part, input.vars, plan);
    for (lane, y) in m.y.iter().enumerate() {
        if let Some(y) = y {
            values[index[y]] = (litres[lane] / input.goal.capacity).ceil();
        }
    }
    values
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::trips::consolidate::rows_hold_at;
    use crate::trips::mip::{value_at, Level};
    use crate::trips::solve::{fixed_rows, LevelOutcome};
    use crate::trips::test_support::{proven_through_bound_first, Vastmanland};

    /// Västmanland with the built-in data, the substitutes level's plan polished at
    /// its own takes: every row of the trips model (the levels before it fixed) holds
    /// at the polished columns, each fixed level keeps its optimum evaluated from
    /// them, the trips are fewer than the plan's (46), whole vans for every lane's
    /// litres, and no fewer than the trips level's proven optimum (21).
    #[test]
    fn vastmanland_polished_plan_keeps_every_row_and_has_fewer_trips() {
        let county = Vastmanland::new();
        let part = county.part();
        let (fixed, plan) = proven_through_bound_first(&part);
        let (_, vars, mut rows) = part.build(true).unwrap();
        rows.extend(fixed_rows(&part, &vars, &fixed));
        let found = polish(&part, &vars, &rows, &plan, Level::Trips, &MipOptions::default())
            .unwrap()
            .expect("a plan with fewer trips");
        assert!(rows_hold_at(&rows, &vars.all, &found.values));
        for f in &fixed {
            let value = value_at(&part.objective(&vars, f.level).0, &vars.all, &found.values);
            assert!((value - f.value).abs() <= 1e-5, "{:?}: {value} != {}", f.level, f.value);
        }
        let trips = value_at(&part.objective(&vars, Level::Trips).0, &vars.all, &found.values);
        assert_eq!(trips, found.value);
        assert_eq!(found.before, 46.0);
        assert!((21.0..46.0).contains(&trips), "{trips} trips");
        let at = values_at(&vars.all, &found.values);
        let capacity = part.logistics.vehicle.as_ref().unwrap().capacity_l;
        let mut litres = vec![0.0; part.lanes.len()];
        for &(i, lane, x) in &vars.x {
            let lg = part.logistics;
            litres[lane] += at[&x] * lg.pack_size[i] as f64 * lg.volume_l[i];
        }
        for (lane, y) in vars.y.iter().enumerate() {
            let vans = y.map_or(0.0, |y| at[&y]);
            assert!(
                vans * capacity >= litres[lane] - 1e-6,
                "lane {lane}: {vans} vans, {} l",
                litres[lane]
            );
        }
    }

    /// Västmanland, the substitutes level's plan (46 trips) polished for vehicle km
    /// with the trips level held at most at its 46 trips: every row holds, the plan
    /// keeps each need level's optimum, has at most 46 trips (27 here: fewer km on
    /// fewer lanes) and drives fewer km than before.
    #[test]
    fn vastmanland_vehicle_km_polish_keeps_the_trips_and_drives_less() {
        let county = Vastmanland::new();
        let part = county.part();
        let (mut fixed, plan) = proven_through_bound_first(&part);
        fixed.push(LevelOutcome::optimal(Level::Trips, 46.0));
        let (_, vars, mut rows) = part.build(true).unwrap();
        rows.extend(fixed_rows(&part, &vars, &fixed));
        let trips_at = |values: &[f64]| value_at(&part.objective(&vars, Level::Trips).0, &vars.all, values);
        let km_at = |values: &[f64]| value_at(&part.objective(&vars, Level::VehicleKm).0, &vars.all, values);
        assert_eq!(trips_at(&plan).round(), 46.0);
        let found = polish(&part, &vars, &rows, &plan, Level::VehicleKm, &MipOptions::default())
            .unwrap()
            .expect("a plan with fewer vehicle km");
        assert!(rows_hold_at(&rows, &vars.all, &found.values));
        for f in fixed.iter().filter(|f| f.level != Level::Trips) {
            let value = value_at(&part.objective(&vars, f.level).0, &vars.all, &found.values);
            assert!((value - f.value).abs() <= 1e-5, "{:?}: {value} != {}", f.level, f.value);
        }
        let trips = trips_at(&found.values);
        assert!((21.0..=46.0).contains(&trips), "{trips} trips");
        assert_eq!(km_at(&found.values), found.value);
        assert_eq!(km_at(&plan).round(), found.before);
        assert!(
            found.value < found.before,
            "{} km×10 from {}",
            found.value,
            found.before
        );
    }
}
