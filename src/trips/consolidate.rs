//! A trips-level start of our own: the previous level's plan with each item's packs
//! re-routed onto few lanes by dynamic slope scaling (Kim & Pardalos 1999, for
//! fixed-charge network flows), each item a min-cost flow on the network simplex.
//!
//! Every need and substitute column keeps its value, so every need level and the
//! substitutes level keep theirs: only the packs per lane, the minimum-load switches
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
//! start (and the lanes it broke cost more in the next round). Then lane moves, in
//! passes until one saves nothing (at most two): each lane in use, the emptiest last
//! van first, is closed, or loses its last van, when the items it carries can be
//! routed so (each item in turn, the room left in the other lanes' vans costing only
//! km) for fewer trips in all; each receiving site's lanes are merged whole onto one
//! lane in (in use or new) whose donor has the packs to spare; and a receiving site is
//! served through one lane in from a donor of the items of two or more of its lanes,
//! those closed and the items routed again. The plan is used only when it has fewer
//! trips than the start and every row of the level's model holds at it.

use super::mip::{values_at, Part, Vars};
use crate::error::Result;
use crate::flow::{Network, NetworkSimplex, Status};
use good_lp::{Constraint, Expression, Variable};
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

/// A start for the trips level found by [`consolidate`].
pub(crate) struct Consolidated {
    /// One value per column of `vars.all`.
    pub values: Vec<f64>,
    /// Its trip cost (the trips level's value).
    pub trips: f64,
    /// The trip cost of the start it was made from.
    pub before: f64,
    /// Slope-scaling rounds run.
    pub rounds: usize,
}

/// One item's flow problem: the columns of `vars.x` that carry it, and per local
/// site the packs it may give (net) and the packs it must receive (net) for the need
/// and substitute columns of the start.
struct ItemFlow {
    item: usize,
    /// Indices into `vars.x`.
    cols: Vec<usize>,
    give: Vec<i64>,
    take: Vec<i64>,
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
    let Some(vehicle) = part.logistics.vehicle.as_ref() else {
        return Ok(None);
    };
    let Some(packs) = whole_packs(vars, start) else {
        return Ok(None);
    };
    let flows = item_flows(part, vars, start);
    let capacity = vehicle.capacity_l;
    let before = start_trips(vars, start);
    let mut best = packs.clone();
    let mut best_trips = trips_of(part, vars, &packs, capacity);
    let mut rounds = 0;
    for unused in [Unused::Keep, Unused::Dearest] {
        let (plan, trips, ran) = slope_scaling(part, vars, &flows, &packs, capacity, unused)?;
        rounds += ran;
        trace_variant(unused, trips, ran);
        if trips < best_trips {
            best_trips = trips;
            best = plan;
        }
    }
    let clock = std::time::Instant::now();
    (best, best_trips) = improve_lanes(part, vars, &flows, best, capacity)?;
    if std::env::var_os("ALLOCNET_TRIPS_TRACE").is_some() {
        eprintln!(
            "trips MIP: lane moves: {best_trips} trips ({:.3} s)",
            clock.elapsed().as_secs_f64()
        );
    }
    if best_trips >= before {
        return Ok(None);
    }
    let cost = vehicle.cost_per_trip as f64;
    let values = plan_values(part, vars, start, &best, capacity);
    if !rows_hold(rows, &vars.all, &values, start) {
        if std::env::var_os("ALLOCNET_TRIPS_TRACE").is_some() {
            eprintln!("trips MIP: the slope-scaling plan breaks a row of the trips model: not used");
        }
        return Ok(None);
    }
    Ok(Some(Consolidated {
        values,
        trips: best_trips as f64 * cost,
        before: before as f64 * cost,
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

/// The trips of `start` (its trips columns, rounded to whole numbers).
fn start_trips(vars: &Vars, start: &[f64]) -> i64 {
    let index = column_index(&vars.all);
    vars.y
        .iter()
        .flatten()
        .filter_map(|y| start.get(index[y]))
        .map(|&t| t.round() as i64)
        .sum()
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
struct Arc {
    pos: usize,
    a: usize,
    b: usize,
    upper: i64,
    cost: i64,
}

/// The ends of `vars.x[k]` when `f`'s flow may use it: a site that does not forward
/// only sends (a net outflow) or only receives (a net inflow).
fn eligible(part: &Part<'_>, vars: &Vars, f: &ItemFlow, k: usize) -> Option<(usize, usize)> {
    let (a, b) = part.ends(vars.x[k].1)?;
    let sends = part.forwards(a) || f.give[a] > 0;
    let takes = part.forwards(b) || f.take[b] > 0;
    (sends && takes).then_some((a, b))
}

/// The integer flow cost of `trips` trips (at most [`MAX_PACK_COST`]).
fn pack_cost(trips: f64) -> i64 {
    (TRIP_SCALE * trips).round().min(MAX_PACK_COST) as i64
}

/// Local lane `li`'s km ×10 (the tie-break between lanes of equal price).
fn km(part: &Part<'_>, li: usize) -> i64 {
    part.resolved.lanes[part.lanes[li]].cost.clamp(0, 1_000_000_000)
}

/// `f`'s min-cost flow on `arcs` (packs per entry of `f.cols`), or `None` when it
/// has none.
fn solve_arcs(part: &Part<'_>, f: &ItemFlow, arcs: &[Arc]) -> Result<Option<Vec<i64>>> {
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

/// Most passes of lane moves over the lanes in use ([`improve_lanes`]).
const MAX_PASSES: usize = 2;

/// A lane move: the items on the capped lanes routed again with at most `cap[l]`
/// litres on lane `l` (0 closes it; one van fewer drops a trip), a lane not in use
/// costing a whole trip per pack, except `favour`, priced as a lane in use.
struct Move {
    /// Per local lane its most litres (infinite: no cap).
    cap: Vec<f64>,
    favour: Option<usize>,
}

impl Move {
    /// No lane capped.
    fn new(lanes: usize) -> Self {
        Move {
            cap: vec![f64::INFINITY; lanes],
            favour: None,
        }
    }
}

/// Lane moves after slope scaling, in passes until one finds nothing (at most
/// [`MAX_PASSES`]): each lane in use, the emptiest last van first, is closed, or
/// loses its last van, when every item it carries can be routed so for fewer trips
/// in all (each item in turn, priced by the room left in the other lanes' vans).
fn improve_lanes(
    part: &Part<'_>,
    vars: &Vars,
    flows: &[ItemFlow],
    plan: Vec<i64>,
    capacity: f64,
) -> Result<(Vec<i64>, i64)> {
    let mut plan = plan;
    let mut trips = trips_of(part, vars, &plan, capacity);
    for _ in 0..MAX_PASSES {
        let before = trips;
        for lane in emptiest_first(part, vars, &plan, capacity) {
            let litres = lane_litres(part, vars, &plan)[lane];
            if litres > 0.0 {
                let tried = moves(part.lanes.len(), lane, litres, capacity);
                first_better(part, vars, flows, &mut plan, &mut trips, tried, capacity)?;
            }
        }
        merge_lanes(part, vars, flows, &mut plan, capacity);
        trips = trips_of(part, vars, &plan, capacity);
        for site in (0..part.sites.len()).filter(|&v| !part.forwards(v)) {
            let tried = cover_moves(part, vars, flows, &plan, site);
            first_better(part, vars, flows, &mut plan, &mut trips, tried, capacity)?;
        }
        if trips == before {
            break;
        }
    }
    Ok((plan, trips))
}

/// Applies the first of `tried` that lowers `trips` to `plan`.
fn first_better(
    part: &Part<'_>,
    vars: &Vars,
    flows: &[ItemFlow],
    plan: &mut Vec<i64>,
    trips: &mut i64,
    tried: Vec<Move>,
    capacity: f64,
) -> Result<()> {
    for mv in tried {
        let mut trial = plan.clone();
        if !reroute(part, vars, flows, &mut trial, &mv, capacity)? {
            continue;
        }
        let t = trips_of(part, vars, &trial, capacity);
        if t < *trips {
            *plan = trial;
            *trips = t;
            return Ok(());
        }
    }
    Ok(())
}

/// Most donors tried per receiving site in [`cover_moves`].
const COVER_TRIES: usize = 3;

/// Moves that serve local site `site` through one lane `o` (in use or not, priced
/// as in use) in place of the lanes into it whose items `o`'s donor can give: those
/// lanes closed. The donors that close the most lanes first (then the nearest), at
/// most [`COVER_TRIES`], when they close two lanes or more (one when `o` is in use).
fn cover_moves(part: &Part<'_>, vars: &Vars, flows: &[ItemFlow], plan: &[i64], site: usize) -> Vec<Move> {
    let litres = lane_litres(part, vars, plan);
    let mut carried: HashMap<usize, Vec<usize>> = HashMap::new();
    for f in flows {
        for &k in f.cols.iter().filter(|&&k| plan[k] > 0) {
            carried.entry(vars.x[k].1).or_default().push(f.item);
        }
    }
    let give: HashMap<usize, &ItemFlow> = flows.iter().map(|f| (f.item, f)).collect();
    let into: Vec<(usize, usize)> = (0..part.lanes.len())
        .filter_map(|l| part.ends(l).filter(|&(_, b)| b == site).map(|(a, _)| (l, a)))
        .collect();
    let used: Vec<usize> = into.iter().map(|&(l, _)| l).filter(|&l| litres[l] > 0.0).collect();
    if used.len() < 2 {
        return Vec::new();
    }
    let mut options: Vec<(usize, i64, usize, Vec<usize>)> = Vec::new();
    for &(o, c) in &into {
        let covers = |l: usize| {
            carried
                .get(&l)
                .is_some_and(|items| items.iter().all(|i| give[i].give[c] > 0))
        };
        let closed: Vec<usize> = used.iter().copied().filter(|&l| l != o && covers(l)).collect();
        let need = if litres[o] > 0.0 { 1 } else { 2 };
        if closed.len() >= need {
            options.push((closed.len(), km(part, o), o, closed));
        }
    }
    options.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2)));
    options
        .into_iter()
        .take(COVER_TRIES)
        .map(|(_, _, o, closed)| {
            let mut mv = Move::new(part.lanes.len());
            for l in closed {
                mv.cap[l] = 0.0;
            }
            mv.favour = Some(o);
            mv
        })
        .collect()
}

/// The lanes in use in `plan`, the emptiest last van first.
fn emptiest_first(part: &Part<'_>, vars: &Vars, plan: &[i64], capacity: f64) -> Vec<usize> {
    let litres = lane_litres(part, vars, plan);
    let fill = |l: f64| l / capacity - ((l / capacity).ceil() - 1.0);
    let mut order: Vec<usize> = (0..part.lanes.len()).filter(|&l| litres[l] > 0.0).collect();
    order.sort_by(|&a, &b| fill(litres[a]).total_cmp(&fill(litres[b])).then(a.cmp(&b)));
    order
}

/// The moves tried on a lane with `litres` litres: closing it, then (with more than
/// one van) one van fewer.
fn moves(lanes: usize, lane: usize, litres: f64, capacity: f64) -> Vec<Move> {
    let vans = (litres / capacity).ceil();
    let mut caps = vec![0.0];
    if vans > 1.0 {
        caps.push((vans - 1.0) * capacity);
    }
    caps.into_iter()
        .map(|c| {
            let mut mv = Move::new(lanes);
            mv.cap[lane] = c;
            mv
        })
        .collect()
}

/// Routes every item that `plan` ships on a lane the move caps again, each in turn,
/// within the caps; false when one has no such flow or breaks
/// its minimum load.
fn reroute(
    part: &Part<'_>,
    vars: &Vars,
    flows: &[ItemFlow],
    plan: &mut [i64],
    mv: &Move,
    capacity: f64,
) -> Result<bool> {
    for f in flows {
        if !f.cols.iter().any(|&k| mv.cap[vars.x[k].1].is_finite() && plan[k] > 0) {
            continue;
        }
        let Some(routed) = route_by_room(part, vars, f, plan, mv, capacity)? else {
            return Ok(false);
        };
        let q = part.logistics.min_packs[f.item];
        if routed.iter().any(|&x| x > 0 && x < q) {
            return Ok(false);
        }
        for (&k, &x) in f.cols.iter().zip(&routed) {
            plan[k] = x;
        }
    }
    Ok(true)
}

/// `f`'s flow with at most `mv.cap[l]` litres on lane `l` (with the other items'),
/// priced by the other items' litres in `plan`: the room left in a lane's vans costs
/// only km, more vans on a lane in use (or `mv.favour`) one van per `C` litres, and
/// a lane not in use a whole trip per pack.
fn route_by_room(
    part: &Part<'_>,
    vars: &Vars,
    f: &ItemFlow,
    plan: &[i64],
    mv: &Move,
    capacity: f64,
) -> Result<Option<Vec<i64>>> {
    let lg = part.logistics;
    let pack_litres = lg.volume_l[f.item] * lg.pack_size[f.item] as f64;
    let total = part.packs_total(f.item);
    let mut others = lane_litres(part, vars, plan);
    for &k in &f.cols {
        others[vars.x[k].1] -= pack_litres * plan[k] as f64;
    }
    let mut arcs = Vec::with_capacity(2 * f.cols.len());
    for (pos, &k) in f.cols.iter().enumerate() {
        let li = vars.x[k].1;
        let Some((a, b)) = eligible(part, vars, f, k) else {
            continue;
        };
        let upper = part.lane_packs(f.item, li, total);
        let other = others[li].max(0.0);
        if mv.cap[li].is_finite() {
            let room = ((mv.cap[li] - other) / pack_litres + 1e-9).floor() as i64;
            if room > 0 {
                arcs.push(Arc {
                    pos,
                    a,
                    b,
                    upper: room.min(upper),
                    cost: 1 + km(part, li),
                });
            }
            continue;
        }
        let room = if other > 1e-9 {
            (((other / capacity).ceil() * capacity - other) / pack_litres + 1e-9).floor() as i64
        } else {
            0
        };
        let room = room.clamp(0, upper);
        if room > 0 {
            arcs.push(Arc {
                pos,
                a,
                b,
                upper: room,
                cost: 1 + km(part, li),
            });
        }
        let extra = if other > 1e-9 || mv.favour == Some(li) {
            pack_litres / capacity
        } else {
            1.0
        };
        arcs.push(Arc {
            pos,
            a,
            b,
            upper: upper - room,
            cost: pack_cost(extra) + km(part, li),
        });
    }
    solve_arcs(part, f, &arcs)
}

/// Receivers served by fewer lanes: for a site that receives on two or more lanes,
/// the lane from one donor (in use or not) that takes over the most of the other
/// lanes into it whole, within the donor's spare packs (its giveable packs of each
/// item less what it gives in `plan`), when that saves trips; repeated per site and
/// in passes (at most [`MAX_PASSES`]) until none saves one. Sites that forward are
/// left as they are (their balance holds packs passed on).
fn merge_lanes(part: &Part<'_>, vars: &Vars, flows: &[ItemFlow], plan: &mut [i64], capacity: f64) {
    let mut lanes = LaneBook::new(part, vars, flows, plan);
    for _ in 0..MAX_PASSES {
        let mut saved = false;
        for b in (0..part.sites.len()).filter(|&b| !part.forwards(b)) {
            while let Some((keep, moved)) = lanes.best_merge(part, b, capacity) {
                lanes.apply(part, plan, keep, &moved);
                saved = true;
            }
        }
        if !saved {
            break;
        }
    }
}

/// The plan's packs by lane and by donor, for [`merge_lanes`].
struct LaneBook {
    /// Per local lane: `(flow, entry of vars.x, packs)` of each item with packs on it.
    on_lane: Vec<Vec<(usize, usize, i64)>>,
    /// Per (local lane, flow): its entry of `vars.x` where the flow may use it.
    col: HashMap<(usize, usize), usize>,
    /// Per flow and local site: the packs it may still give.
    spare: Vec<Vec<i64>>,
    litres: Vec<f64>,
    /// Per local lane: whether it has a trips column.
    counted: Vec<bool>,
    /// Per flow: its item.
    item: Vec<usize>,
}

impl LaneBook {
    fn new(part: &Part<'_>, vars: &Vars, flows: &[ItemFlow], plan: &[i64]) -> Self {
        let mut book = LaneBook {
            on_lane: vec![Vec::new(); part.lanes.len()],
            col: HashMap::new(),
            spare: flows.iter().map(|f| f.give.clone()).collect(),
            litres: lane_litres(part, vars, plan),
            counted: vars.y.iter().map(Option::is_some).collect(),
            item: flows.iter().map(|f| f.item).collect(),
        };
        for (fi, f) in flows.iter().enumerate() {
            for &k in &f.cols {
                let li = vars.x[k].1;
                if eligible(part, vars, f, k).is_some() {
                    book.col.insert((li, fi), k);
                }
                if plan[k] > 0 {
                    book.on_lane[li].push((fi, k, plan[k]));
                    if let Some((a, _)) = part.ends(li) {
                        book.spare[fi][a] -= plan[k];
                    }
                }
            }
        }
        book
    }

    /// The lane into `b` that takes over the most trips of the other lanes into `b`,
    /// and the lanes it takes over, when that saves a trip.
    fn best_merge(&self, part: &Part<'_>, b: usize, capacity: f64) -> Option<(usize, Vec<usize>)> {
        let into: Vec<usize> = (0..part.lanes.len())
            .filter(|&l| part.ends(l).is_some_and(|(a, to)| to == b && !part.forwards(a)))
            .collect();
        let used: Vec<usize> = into.iter().copied().filter(|&l| self.litres[l] > 0.0).collect();
        if used.len() < 2 {
            return None;
        }
        let mut best: Option<(i64, usize, Vec<usize>)> = None;
        for &keep in &into {
            let (saved, moved) = self.take_over(part, keep, &used, capacity);
            if saved > 0 && best.as_ref().is_none_or(|(s, _, _)| saved > *s) {
                best = Some((saved, keep, moved));
            }
        }
        best.map(|(_, keep, moved)| (keep, moved))
    }

    /// The lanes of `used` that lane `keep` can take over whole (its donor's spare
    /// packs, the lane's capacity), emptiest first, and the trips that saves.
    fn take_over(&self, part: &Part<'_>, keep: usize, used: &[usize], capacity: f64) -> (i64, Vec<usize>) {
        let Some((c, _)) = part.ends(keep).filter(|_| self.counted[keep]) else {
            return (0, Vec::new());
        };
        let vans = |l: f64| (l / capacity).ceil() as i64;
        let mut spare: HashMap<usize, i64> = HashMap::new();
        let mut litres = self.litres[keep];
        let (mut saved, mut moved) = (0, Vec::new());
        let mut order: Vec<usize> = used.iter().copied().filter(|&l| l != keep && self.counted[l]).collect();
        order.sort_by(|&a, &b| self.litres[a].total_cmp(&self.litres[b]).then(a.cmp(&b)));
        for l in order {
            let mut trial = spare.clone();
            let fits = self.on_lane[l].iter().all(|&(fi, _, p)| {
                let left = trial.entry(fi).or_insert(self.spare[fi][c]);
                *left -= p;
                *left >= 0 && self.fits_lane(part, keep, fi, l)
            });
            let more = litres + self.litres[l];
            let cost = vans(more) - vans(litres);
            if fits && cost <= vans(self.litres[l]) {
                saved += vans(self.litres[l]) - cost;
                litres = more;
                spare = trial;
                moved.push(l);
            }
        }
        (saved, moved)
    }

    /// The packs of flow `fi` on lane `l`.
    fn packs_on(&self, l: usize, fi: usize) -> i64 {
        self.on_lane[l].iter().filter(|e| e.0 == fi).map(|e| e.2).sum()
    }

    /// Whether lane `keep` may carry flow `fi`'s packs of lanes `keep` and `l`
    /// together (a column the flow may use, within the lane's capacity).
    fn fits_lane(&self, part: &Part<'_>, keep: usize, fi: usize, l: usize) -> bool {
        if !self.col.contains_key(&(keep, fi)) {
            return false;
        }
        let item = self.item[fi];
        let both = self.packs_on(keep, fi) + self.packs_on(l, fi);
        both <= part.lane_packs(item, keep, part.packs_total(item))
    }

    /// Moves every pack of the lanes `moved` onto lane `keep`.
    fn apply(&mut self, part: &Part<'_>, plan: &mut [i64], keep: usize, moved: &[usize]) {
        let c = part.ends(keep).map(|(a, _)| a);
        for &l in moved {
            let a = part.ends(l).map(|(a, _)| a);
            for (fi, k, p) in std::mem::take(&mut self.on_lane[l]) {
                plan[k] = 0;
                let to = self.col[&(keep, fi)];
                plan[to] += p;
                if let (Some(a), Some(c)) = (a, c) {
                    self.spare[fi][a] += p;
                    self.spare[fi][c] -= p;
                }
                match self.on_lane[keep].iter_mut().find(|e| e.0 == fi) {
                    Some(e) => e.2 += p,
                    None => self.on_lane[keep].push((fi, to, p)),
                }
            }
            self.litres[keep] += self.litres[l];
            self.litres[l] = 0.0;
        }
    }
}

/// Litres per local lane of the plan `packs` (one entry per `vars.x`).
fn lane_litres(part: &Part<'_>, vars: &Vars, packs: &[i64]) -> Vec<f64> {
    let lg = part.logistics;
    let mut litres = vec![0.0; part.lanes.len()];
    for (&(i, li, _), &x) in vars.x.iter().zip(packs) {
        litres[li] += lg.volume_l[i] * lg.pack_size[i] as f64 * x as f64;
    }
    litres
}

/// The fewest trips of the plan `packs`: `Σ_l ⌈L_l / C⌉` over the lanes with a trips
/// column.
fn trips_of(part: &Part<'_>, vars: &Vars, packs: &[i64], capacity: f64) -> i64 {
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

/// True when every row holds at `values` (within [`ROW_TOL`], or as well as it holds
/// at `start`, whose need and substitute columns it shares).
fn rows_hold(rows: &[Constraint], all: &[Variable], values: &[f64], start: &[f64]) -> bool {
    let (new, old) = (values_at(all, values), values_at(all, start));
    rows.iter().all(|row| {
        let e: &Expression = row.expression();
        let (now, then) = (e.eval_with(&new), e.eval_with(&old));
        let slack = ROW_TOL.max(if row.is_equality() { then.abs() } else { then });
        let holds = if row.is_equality() {
            now.abs() <= slack
        } else {
            now <= slack
        };
        if !holds && std::env::var_os("ALLOCNET_TRIPS_TRACE").is_some() {
            eprintln!("trips MIP: row {row:?} is {now} at the plan, {then} at the start");
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
        assert_eq!(trips, found.trips);
        assert!(
            found.trips < found.before,
            "{} trips, {} before",
            found.trips,
            found.before
        );
        assert!(
            found.trips >= 21.0,
            "{} trips, below the proven optimum of 21",
            found.trips
        );
    }
}
