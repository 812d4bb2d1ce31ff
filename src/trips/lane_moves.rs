//! Lane moves on a trips-level start (after [`super::consolidate`]'s slope scaling),
//! in passes until one saves nothing (at most two): each lane in use, the emptiest
//! last van first, is closed, or loses its last van, when the items it carries can be
//! routed so (each item in turn, the room left in the other lanes' vans costing only
//! km) for fewer trips in all; each receiving site's lanes are merged whole onto one
//! lane in (in use or new) whose donor has the packs to spare; and a receiving site is
//! served through one lane in from a donor of the items of two or more of its lanes,
//! those closed and the items routed again.

use super::consolidate::{eligible, km, lane_litres, pack_cost, solve_arcs, trips_of, Arc, ItemFlow};
use super::mip::{Part, Vars};
use crate::error::Result;
use std::collections::HashMap;

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
pub(super) fn improve_lanes(
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
