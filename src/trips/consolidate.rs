//! A trips-level start of our own: the previous level's plan with each item's packs
//! re-routed onto few lanes by dynamic slope scaling (Kim & Pardalos 1999, for
//! fixed-charge network flows), each item a min-cost flow on the network simplex.
//!
//! Every need and substitute column keeps its value, so every need level and the
//! substitutes level keep theirs (with substitutes ranked after trips the start is the
//! planning level's plan, whose substitute columns the trips level, with no
//! substitutes row yet, takes as they are): only the packs per lane, the minimum-load switches
//! and the trips change. A site uses `u` units of an item at the start (its own need
//! met from the item and the substitutes the item serves there); it must receive the
//! packs its own stock lacks for them, net, and may give what it can spare, at most
//! its giveable packs (donors do not open packs). A site that does not forward either
//! gives or receives; sites that forward may pass packs on. Each round prices a pack of item `i` on lane
//! `l` at `litres_i · ⌈L_l/C⌉ / L_l` trips (`L_l`: the lane's litres in the round
//! before, the vehicle's capacity `C`; a lane unused keeps its price, first `1/C` per
//! litre), plus the lane's km as a tie-break, so flows gather on lanes that are
//! already loaded. Two runs of rounds differ in the price of a lane not in use: its
//! last price (Kim and Pardalos), or the dearest lane's in use. The best round by
//! trips is kept; an item whose flow breaks a minimum load keeps its packs of the
//! start (and the lanes it broke cost more in the next round). Then the lane moves of
//! [`super::lane_moves`] (closing lanes, merging and covering a receiver's lanes).
//! The plan is used only when it has fewer trips than the start and every row of the
//! level's model holds at it.

use super::mip::{value_at, values_at, Level, Part, Vars};
use crate::error::Result;
use crate::flow::{Network, NetworkSimplex, Status};
use good_lp::{Constraint, Variable};
use std::collections::HashMap;

/// Most slope-scaling rounds.
const MAX_ROUNDS: usize = 20;

/// The flow problems' integer cost of one whole trip.
const TRIP_SCALE: f64 = 1e7;

/// Largest integer cost of one pack on one lane (keeps the network simplex's
/// potentials far from overflow on any input).
const MAX_PACK_COST: f64 = 1e12;

/// Extra cost, in trips, of a pack of an item on a lane where the item's flow broke
/// its minimum load in an earlier round.
const MIN_LOAD_PENALTY: f64 = 10.0;

/// Tolerance of a row's value at the plan (beyond its value at the start).
const ROW_TOL: f64 = 1e-6;

/// A plan re-routed by [`consolidate`] (a start for the trips level) or by
/// [`super::fixed_takes::polish`].
pub(crate) struct Consolidated {
    /// One value per column of `vars.all`.
    pub values: Vec<f64>,
    /// The level's value at `values` (the trips level's: its trip cost).
    pub value: f64,
    /// The level's value at the plan it was made from.
    pub before: f64,
    /// Slope-scaling rounds run (1 for the polish).
    pub rounds: usize,
}

/// One item's flow problem: the columns of `vars.x` that carry it, and per local
/// site the packs it may give (net) and the packs it must receive (net) for the need
/// and substitute columns of the start.
pub(super) struct ItemFlow {
    pub(super) item: usize,
    /// Indices into `vars.x`.
    pub(super) cols: Vec<usize>,
    pub(super) give: Vec<i64>,
    pub(super) take: Vec<i64>,
}

/// The start's plan re-routed by slope scaling, when it has fewer trips than `start`
/// (one value per column of `vars.all`, the previous level's plan) and every row of
/// `rows` (the level's model, the levels before it fixed) holds at it as well as at
/// the start; otherwise `None`.
pub(crate) fn consolidate(
    part: &Part<'_>,
    vars: &Vars,
    rows: &[Constraint],
    start: &[f64],
) -> Result<Option<Consolidated>> {
    rerouted(part, vars, rows, start, Level::Trips, |flows, packs, capacity| {
        let mut best = packs.clone();
        let mut best_trips = trips_of(part, vars, &packs, capacity);
        let mut rounds = 0;
        for unused in [Unused::Keep, Unused::Dearest] {
            let (plan, trips, ran) = slope_scaling(part, vars, flows, &packs, capacity, unused)?;
            rounds += ran;
            trace_variant(unused, trips, ran);
            if trips < best_trips {
                best_trips = trips;
                best = plan;
            }
        }
        let clock = std::time::Instant::now();
        (best, best_trips) = super::lane_moves::improve_lanes(part, vars, flows, best, capacity)?;
        if std::env::var_os("ALLOCNET_TRIPS_TRACE").is_some() {
            eprintln!(
                "trips MIP: lane moves: {best_trips} trips ({:.3} s)",
                clock.elapsed().as_secs_f64()
            );
        }
        Ok((best, rounds))
    })
}

/// `start` (one value per column of `vars.all`) with its packs re-routed by `reroute`
/// (given the items' flow problems at `start`'s need and substitute columns, its packs
/// per entry of `vars.x` and the vehicle's capacity; it returns packs and the rounds
/// it ran), with the fewest trips per lane for them, when that lowers `level`'s
/// objective (trips or vehicle km, whole numbers) below its value at `start` and every
/// row of `rows` holds at it as well as at `start`; otherwise `None`.
pub(super) fn rerouted(
    part: &Part<'_>,
    vars: &Vars,
    rows: &[Constraint],
    start: &[f64],
    level: Level,
    reroute: impl FnOnce(&[ItemFlow], Vec<i64>, f64) -> Result<(Vec<i64>, usize)>,
) -> Result<Option<Consolidated>> {
    let Some(vehicle) = part.logistics.vehicle.as_ref() else {
        return Ok(None);
    };
    let Some(packs) = whole_packs(vars, start) else {
        return Ok(None);
    };
    let flows = item_flows(part, vars, start);
    let capacity = vehicle.capacity_l;
    let (objective, _) = part.objective(vars, level);
    let before = value_at(&objective, &vars.all, start).round();
    let (best, rounds) = reroute(&flows, packs, capacity)?;
    let values = plan_values(part, vars, start, &best, capacity);
    let value = value_at(&objective, &vars.all, &values);
    if value >= before {
        return Ok(None);
    }
    if !rows_hold(rows, &vars.all, &values, start) {
        if std::env::var_os("ALLOCNET_TRIPS_TRACE").is_some() {
            eprintln!("trips MIP: the re-routed plan breaks a row of the trips model: not used");
        }
        return Ok(None);
    }
    Ok(Some(Consolidated {
        values,
        value,
        before,
        rounds,
    }))
}

/// The price of a lane no round has used yet.
#[derive(Clone, Copy, Debug)]
enum Unused {
    /// Its price so far (first `1/C` per litre), as Kim and Pardalos.
    Keep,
    /// The dearest price of a lane used in the round before: new lanes open only where
    /// they beat the lanes in use.
    Dearest,
}

/// Slope-scaling rounds from `packs` (the start's): the best plan found, its trips
/// and the rounds run. Stops when the lanes in use repeat, or after [`MAX_ROUNDS`].
fn slope_scaling(
    part: &Part<'_>,
    vars: &Vars,
    flows: &[ItemFlow],
    packs: &[i64],
    capacity: f64,
    unused: Unused,
) -> Result<(Vec<i64>, i64, usize)> {
    let mut slope = vec![1.0 / capacity; part.lanes.len()];
    let mut broke = vec![false; vars.x.len()];
    let mut best = (packs.to_vec(), trips_of(part, vars, packs, capacity));
    let mut used: Vec<bool> = Vec::new();
    let mut rounds = 0;
    while rounds < MAX_ROUNDS {
        rounds += 1;
        let plan = route_all(part, vars, flows, packs, &slope, &mut broke)?;
        let litres = lane_litres(part, vars, &plan);
        let trips = trips_of(part, vars, &plan, capacity);
        let now: Vec<bool> = litres.iter().map(|&l| l > 0.0).collect();
        if trips < best.1 {
            best = (plan, trips);
        }
        if now == used {
            break;
        }
        update_slopes(&mut slope, &litres, capacity, unused);
        used = now;
    }
    Ok((best.0, best.1, rounds))
}

fn trace_variant(unused: Unused, trips: i64, rounds: usize) {
    if std::env::var_os("ALLOCNET_TRIPS_TRACE").is_some() {
        eprintln!("trips MIP: slope scaling, unused lanes {unused:?}: {trips} trips after {rounds} rounds");
    }
}

/// The packs of every entry of `vars.x` at `start`, or `None` when one is not a whole
/// number >= 0.
fn whole_packs(vars: &Vars, start: &[f64]) -> Option<Vec<i64>> {
    let index = column_index(&vars.all);
    vars.x
        .iter()
        .map(|&(_, _, x)| {
            let v = *start.get(*index.get(&x)?)?;
            let r = v.round();
            ((v - r).abs() <= 1e-6 && r >= 0.0).then_some(r as i64)
        })
        .collect()
}

fn column_index(all: &[Variable]) -> HashMap<Variable, usize> {
    all.iter().enumerate().map(|(k, &v)| (v, k)).collect()
}

/// One flow problem per item with litres > 0 (items without volume take no room in
/// a vehicle and keep their packs). A site uses `u` units of the item at `start` (its
/// need columns and the substitute columns it serves, all kept), and has `p·(in − out)
/// + g` (pack size `p`, giveable units `g`): it must receive `⌈(u − g)/p⌉` packs net,
/// or may give `⌊(g − u)/p⌋` net, at most its giveable packs `⌊g/p⌋`.
fn item_flows(part: &Part<'_>, vars: &Vars, start: &[f64]) -> Vec<ItemFlow> {
    let lg = part.logistics;
    let index = column_index(&vars.all);
    let n = part.sites.len();
    let items = lg.pack_size.len();
    let mut used = vec![vec![0.0; n]; items];
    for &(i, v, _, m) in &vars.m {
        used[i][v] += start[index[&m]];
    }
    for &(r, v, _, s) in &vars.s {
        let rule = &lg.substitutes[r];
        used[rule.by][v] += rule.ratio as f64 * start[index[&s]];
    }
    let mut flows: Vec<ItemFlow> = (0..items)
        .map(|item| {
            let p = lg.pack_size[item];
            let (mut give, mut take) = (vec![0; n], vec![0; n]);
            for v in 0..n {
                let g = part.giveable(item, v);
                // Units as the solver left them (a need column may sit a tolerance
                // above a whole number): the packs are rounded to keep the row.
                let u = used[item][v];
                let short = (u - g as f64) / p as f64;
                if short > 0.0 {
                    take[v] = short.ceil() as i64;
                } else {
                    give[v] = ((-short).floor() as i64).min(g / p);
                }
            }
            ItemFlow {
                item,
                cols: Vec::new(),
                give,
                take,
            }
        })
        .collect();
    for (k, &(i, _, _)) in vars.x.iter().enumerate() {
        flows[i].cols.push(k);
    }
    flows.retain(|f| !f.cols.is_empty() && lg.volume_l[f.item] > 0.0);
    flows
}

/// Every item routed at the lane prices `slope` (trips per litre); an item whose flow
/// fails or breaks a minimum load keeps `packs` (the start's), and the entries where
/// it broke one are marked in `broke`.
fn route_all(
    part: &Part<'_>,
    vars: &Vars,
    flows: &[ItemFlow],
    packs: &[i64],
    slope: &[f64],
    broke: &mut [bool],
) -> Result<Vec<i64>> {
    let mut plan = packs.to_vec();
    for f in flows {
        let Some(routed) = route(part, vars, f, slope, broke)? else {
            continue;
        };
        let q = part.logistics.min_packs[f.item];
        let mut ok = true;
        for (&k, &x) in f.cols.iter().zip(&routed) {
            if x > 0 && x < q {
                broke[k] = true;
                ok = false;
            }
        }
        if ok {
            for (&k, &x) in f.cols.iter().zip(&routed) {
                plan[k] = x;
            }
        }
    }
    Ok(plan)
}

/// One item's min-cost flow (packs per entry of `f.cols`) at the lane prices `slope`,
/// or `None` when it has no feasible flow on the lanes it may use.
fn route(part: &Part<'_>, vars: &Vars, f: &ItemFlow, slope: &[f64], broke: &[bool]) -> Result<Option<Vec<i64>>> {
    let lg = part.logistics;
    let pack_litres = lg.volume_l[f.item] * lg.pack_size[f.item] as f64;
    let total = part.packs_total(f.item);
    let mut arcs = Vec::with_capacity(f.cols.len());
    for (pos, &k) in f.cols.iter().enumerate() {
        let Some((a, b)) = eligible(part, vars, f, k) else {
            continue;
        };
        let li = vars.x[k].1;
        let mut trips = pack_litres * slope[li];
        if broke[k] {
            trips += MIN_LOAD_PENALTY;
        }
        let cost = pack_cost(trips) + km(part, li);
        arcs.push(Arc {
            pos,
            a,
            b,
            upper: part.lane_packs(f.item, li, total),
            cost,
        });
    }
    solve_arcs(part, f, &arcs)
}

/// One arc of an item's flow problem: entry `pos` of `f.cols`, from local site `a`
/// to `b`.
pub(super) struct Arc {
    pub(super) pos: usize,
    pub(super) a: usize,
    pub(super) b: usize,
    pub(super) upper: i64,
    pub(super) cost: i64,
}

/// The ends of `vars.x[k]` when `f`'s flow may use it: a site that does not forward
/// only sends (a net outflow) or only receives (a net inflow).
pub(super) fn eligible(part: &Part<'_>, vars: &Vars, f: &ItemFlow, k: usize) -> Option<(usize, usize)> {
    let (a, b) = part.ends(vars.x[k].1)?;
    let sends = part.forwards(a) || f.give[a] > 0;
    let takes = part.forwards(b) || f.take[b] > 0;
    (sends && takes).then_some((a, b))
}

/// The integer flow cost of `trips` trips (at most [`MAX_PACK_COST`]).
pub(super) fn pack_cost(trips: f64) -> i64 {
    (TRIP_SCALE * trips).round().min(MAX_PACK_COST) as i64
}

/// Local lane `li`'s km ×10 (the tie-break between lanes of equal price).
pub(super) fn km(part: &Part<'_>, li: usize) -> i64 {
    part.resolved.lanes[part.lanes[li]].cost.clamp(0, 1_000_000_000)
}

/// `f`'s min-cost flow on `arcs` (packs per entry of `f.cols`), or `None` when it
/// has none.
pub(super) fn solve_arcs(part: &Part<'_>, f: &ItemFlow, arcs: &[Arc]) -> Result<Option<Vec<i64>>> {
    let n = part.sites.len();
    // Nodes 0..n the sites, n a source of every site's give, n + 1 the sink of every
    // site's take (all of it must arrive).
    let (source, sink) = (n as u32, n as u32 + 1);
    let mut net = Network::with_nodes(n + 2);
    let takes: i64 = f.take.iter().sum();
    net.set_supply(source, takes)?;
    net.set_supply(sink, -takes)?;
    for arc in arcs {
        net.add_arc(arc.a as u32, arc.b as u32, arc.upper, arc.cost);
    }
    for v in 0..n {
        if f.give[v] > 0 {
            net.add_arc(source, v as u32, f.give[v], 0);
        }
        if f.take[v] > 0 {
            net.add_arc(v as u32, sink, f.take[v], 0);
        }
    }
    let solution = NetworkSimplex::new(&net)?.solve()?;
    if solution.status != Status::Optimal {
        return Ok(None);
    }
    let mut packs = vec![0; f.cols.len()];
    for (arc, &x) in arcs.iter().zip(&solution.flows) {
        packs[arc.pos] += x;
    }
    Ok(Some(packs))
}

/// Litres per local lane of the plan `packs` (one entry per `vars.x`).
pub(super) fn lane_litres(part: &Part<'_>, vars: &Vars, packs: &[i64]) -> Vec<f64> {
    let lg = part.logistics;
    let mut litres = vec![0.0; part.lanes.len()];
    for (&(i, li, _), &x) in vars.x.iter().zip(packs) {
        litres[li] += lg.volume_l[i] * lg.pack_size[i] as f64 * x as f64;
    }
    litres
}

/// The fewest trips of the plan `packs`: `Σ_l ⌈L_l / C⌉` over the lanes with a trips
/// column.
pub(super) fn trips_of(part: &Part<'_>, vars: &Vars, packs: &[i64], capacity: f64) -> i64 {
    lane_litres(part, vars, packs)
        .iter()
        .zip(&vars.y)
        .filter(|(_, y)| y.is_some())
        .map(|(&l, _)| (l / capacity).ceil() as i64)
        .sum()
}

/// The next round's prices: a lane that carried `L > 0` litres costs `⌈L/C⌉ / L`
/// trips per litre (what its litres cost it); an unused lane as `unused` says.
fn update_slopes(slope: &mut [f64], litres: &[f64], capacity: f64, unused: Unused) {
    let mut dearest = 1.0 / capacity;
    for (s, &l) in slope.iter_mut().zip(litres) {
        if l > 0.0 {
            *s = (l / capacity).ceil() / l;
            dearest = f64::max(dearest, *s);
        }
    }
    if let Unused::Dearest = unused {
        for (s, &l) in slope.iter_mut().zip(litres) {
            if l <= 0.0 {
                *s = dearest;
            }
        }
    }
}

/// `start` with the packs of `packs`, the minimum-load switches on where packs ship,
/// and the fewest trips per lane.
fn plan_values(part: &Part<'_>, vars: &Vars, start: &[f64], packs: &[i64], capacity: f64) -> Vec<f64> {
    let index = column_index(&vars.all);
    let mut values = start.to_vec();
    for ((&(_, _, x), b), &q) in vars.x.iter().zip(&vars.b).zip(packs) {
        values[index[&x]] = q as f64;
        if let Some(b) = b {
            values[index[b]] = if q > 0 { 1.0 } else { 0.0 };
        }
    }
    for (y, l) in vars.y.iter().zip(lane_litres(part, vars, packs)) {
        if let Some(y) = y {
            values[index[y]] = (l / capacity).ceil();
        }
    }
    values
}

/// True when every row holds at `values` within its slack at the plan
/// ([`row_slack`]), or as well as it holds at `start`, whose need and substitute
/// columns it shares.
fn rows_hold(rows: &[Constraint], all: &[Variable], values: &[f64], start: &[f64]) -> bool {
    let old = values_at(all, start);
    let at = values_at(all, values);
    rows_hold_with(rows, &at, |row| {
        let then = row.expression().eval_with(&old);
        row_slack(row, &at).max(if row.is_equality() { then.abs() } else { then })
    })
}

/// True when every row of `rows` holds at `values` (one per column of `all`) within
/// its slack there ([`row_slack`]).
pub(super) fn rows_hold_at(rows: &[Constraint], all: &[Variable], values: &[f64]) -> bool {
    let at = values_at(all, values);
    rows_hold_with(rows, &at, |row| row_slack(row, &at))
}

/// The slack of `row` at the plan `at`: the row tolerance of the trips start
/// (`ROW_TOL`, 1e-6) times the row's size there (at least 1: the sum of its terms'
/// magnitudes and its constant's). A plan HiGHS returned keeps its rows only within its
/// tolerances per column, so a row of many columns can be off by more than 1e-6 (in a
/// test: three met-need columns together 1e-6 short of a fixed level of 8 units; in
/// synthetic Sweden: a site's balance of 248 units 2.7e-6 over, with its packs
/// re-routed to exactly what its met-need columns take).
fn row_slack(row: &Constraint, at: &HashMap<Variable, f64>) -> f64 {
    let e = row.expression();
    let terms: f64 = good_lp::IntoAffineExpression::linear_coefficients(e)
        .map(|(v, c)| (c * at.get(&v).copied().unwrap_or(0.0)).abs())
        .sum();
    ROW_TOL * (terms + good_lp::IntoAffineExpression::constant(&e).abs()).max(1.0)
}

/// True when every row of `rows` holds at the plan `at` (its value per column) within
/// the row's `slack`.
fn rows_hold_with(rows: &[Constraint], at: &HashMap<Variable, f64>, slack: impl Fn(&Constraint) -> f64) -> bool {
    rows.iter().all(|row| {
        let now = row.expression().eval_with(at);
        let slack = slack(row);
        let holds = if row.is_equality() {
            now.abs() <= slack
        } else {
            now <= slack
        };
        if !holds && std::env::var_os("ALLOCNET_TRIPS_TRACE").is_some() {
            eprintln!("trips MIP: row {row:?} is {now} at the plan, beyond its slack {slack}");
        }
        holds
    })
}

#[cfg(all(test, feature = "highs"))]
mod tests {
    use super::*;
    use crate::trips::mip::Level;
    use crate::trips::solve::fixed_rows;
    use crate::trips::test_support::{proven_through_bound_first, Vastmanland};

    /// Västmanland with the built-in data, from the substitutes level's plan: the
    /// start keeps every need level and the substitutes level at their optima
    /// (evaluated from its own columns), has fewer trips than the plan it came from,
    /// and no fewer than the trips level's proven optimum (21).
    #[test]
    fn vastmanland_start_keeps_the_levels_and_has_fewer_trips() {
        let county = Vastmanland::new();
        let part = county.part();
        let (fixed, start) = proven_through_bound_first(&part);
        let (_, vars, mut rows) = part.build(true).unwrap();
        rows.extend(fixed_rows(&part, &vars, &fixed));
        let found = consolidate(&part, &vars, &rows, &start)
            .unwrap()
            .expect("a start with fewer trips");
        let at = values_at(&vars.all, &found.values);
        let then = values_at(&vars.all, &start);
        for f in &fixed {
            // The same value as the start's (the same need and substitute columns), which
            // is the level's optimum within the solver's tolerance on the fixed row.
            let value = part.objective(&vars, f.level).0.eval_with(&at);
            assert_eq!(
                value,
                part.objective(&vars, f.level).0.eval_with(&then),
                "{:?}",
                f.level
            );
            assert!((value - f.value).abs() <= 1e-5, "{:?}: {value} != {}", f.level, f.value);
        }
        let trips = part.objective(&vars, Level::Trips).0.eval_with(&at);
        assert_eq!(trips, found.value);
        assert!(
            found.value < found.before,
            "{} trips, {} before",
            found.value,
            found.before
        );
        assert!(
            found.value >= 21.0,
            "{} trips, below the proven optimum of 21",
            found.value
        );
    }
}
