//! The county round: the resource-coordination meeting.
//!
//! Per item, the round builds a min-cost flow network (see `item_network`), solves it
//! with the strictly lexicographic objective (see [`Strategy`]) and reads the plan off
//! the flows: shipments, unmet need with reasons, stock after, objective levels, dual
//! prices, and the combined county request. Items are independent, so they are solved
//! in parallel (rayon) and collected in item order: the plan is the same for any
//! thread count.

use super::item_network::planning_capacity;
use super::lexicographic::{self, DualLevel, SiteDual, SolveScratch, Strategy};
use super::plan::{
    CountyRequest, DualPrice, ItemObjective, Method, Plan, RequestItem, RequestLine, Shipment, StockAfter, UnmetNeed,
    Window,
};
use super::reasons::{LaneGraph, Reasons};
use crate::error::{Error, Result};
use crate::flow::Engine;
use crate::model::{split_by_weights, ResolvedScenario, Scenario, KM_SCALE};
use crate::process::plan::Reason;
use rayon::prelude::*;
use std::collections::{BTreeMap, HashMap};

/// How to run the round.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct RoundOptions {
    /// Network simplex (default) or LP.
    pub engine: Engine,
    /// Weighted single solve or level by level (default: weighted when it fits).
    pub strategy: Strategy,
}

/// Runs the county round on `scenario`: checks it, then plans every item.
///
/// ```
/// use allocnet::model::{Parameters, Scenario, Site, SiteKind, Item, Unit, SiteStatus};
/// use allocnet::process::{run_county_round, RoundOptions};
/// let site = |id: &str, lon: f64| Site {
///     id: id.into(), name: id.into(), kind: SiteKind::Municipality,
///     county: "19".into(), lat: 59.6, lon, hub: false,
/// };
/// let scenario = Scenario {
///     sites: vec![site("short", 16.0), site("near", 16.1), site("far", 17.0)],
///     items: vec![Item { id: "ffp2".into(), name: "FFP2".into(), unit: Unit::Pieces }],
///     status: vec![
///         SiteStatus::new("short", "ffp2", 0, 10.0),   // needs 20 within 48 h
///         SiteStatus::new("near", "ffp2", 100, 10.0),  // may give 100 - 20 = 80
///         SiteStatus::new("far", "ffp2", 100, 10.0),
///     ],
///     // Horizon = acute window, so the planning need equals the acute need here.
///     parameters: Parameters { horizon_days: 2.0, ..Parameters::default() },
///     ..Scenario::default()
/// };
/// let plan = run_county_round(&scenario, &RoundOptions::default()).unwrap();
/// assert_eq!(plan.shipments.len(), 1);
/// assert_eq!((plan.shipments[0].from.as_str(), plan.shipments[0].quantity), ("near", 20));
/// assert_eq!(plan.objective[0].acute_unmet.iter().sum::<i64>(), 0);
/// ```
pub fn run_county_round(scenario: &Scenario, options: &RoundOptions) -> Result<Plan> {
    let resolved = scenario.resolve()?;
    run_resolved(&resolved, options)
}

/// Runs the round on an already resolved scenario.
pub fn run_resolved(resolved: &ResolvedScenario, options: &RoundOptions) -> Result<Plan> {
    run_resolved_packed(resolved, options, None)
}

/// Runs the round with shipments in whole packs of `packs[item]` units (`None`: packs
/// of 1, today's round; see `trips::packs`).
pub(crate) fn run_resolved_packed(
    resolved: &ResolvedScenario,
    options: &RoundOptions,
    packs: Option<&[i64]>,
) -> Result<Plan> {
    let graph = LaneGraph::new(resolved);
    let items: Vec<ItemPlan> = (0..resolved.item_count())
        .into_par_iter()
        .map(|item| {
            let pack = packs.and_then(|p| p.get(item).copied()).unwrap_or(1);
            plan_item(resolved, &graph, item, options, pack)
        })
        .collect::<Result<Vec<_>>>()?;
    Ok(assemble(resolved, items, options.engine))
}

/// Per item, what a solve outside the round (the trips MIP) decided, in units: the
/// flow on every lane and the need met per site and level (substitutes included).
pub(crate) struct GivenFlows {
    /// Units per lane (global lane order).
    pub lane_flows: Vec<i64>,
    /// Need met per site and level (acute classes, then planning), units.
    pub met: Vec<Vec<i64>>,
    /// Units per pack.
    pub pack: i64,
    /// Minimum packs per shipment (0: none).
    pub min_packs: i64,
    /// Per site: its part used every trip the meeting allows and the item takes room
    /// in the vehicle (empty: no cap).
    pub trip_capped: Vec<bool>,
}

/// The plan of flows decided outside the round (one [`GivenFlows`] per item): the same
/// shipments, unmet rows with reasons, stock after, objective and requests as a round;
/// no dual prices.
pub(crate) fn plan_from_flows(resolved: &ResolvedScenario, given: Vec<GivenFlows>, engine: Engine) -> Result<Plan> {
    let graph = LaneGraph::new(resolved);
    let items: Vec<ItemPlan> = given
        .into_iter()
        .enumerate()
        .map(|(item, g)| {
            let flows = given_flows(resolved, item, g.lane_flows, g.met)?;
            finish_item(resolved, &graph, item, flows, (g.pack, g.min_packs), &g.trip_capped)
        })
        .collect::<Result<Vec<_>>>()?;
    let mut plan = assemble(resolved, items, engine);
    plan.dual_prices.clear();
    Ok(plan)
}

fn given_flows(resolved: &ResolvedScenario, item: usize, lane_flows: Vec<i64>, met: Vec<Vec<i64>>) -> Result<Flows> {
    let profiles = resolved.item_profiles(item);
    let n = profiles.len();
    let mut sent = vec![0i64; n];
    let mut received = vec![0i64; n];
    for (lane, &q) in resolved.lanes.iter().zip(&lane_flows) {
        sent[lane.from] = sent[lane.from].checked_add(q).ok_or_else(|| overflow("units sent"))?;
        received[lane.to] = received[lane.to]
            .checked_add(q)
            .ok_or_else(|| overflow("units received"))?;
    }
    let nothing = SiteDual {
        level: DualLevel::Nothing,
        km_tenths: 0,
        raw: 0,
    };
    let mut out = Flows {
        lane_flows,
        met,
        surplus_left: vec![false; n],
        own_flows: vec![0; n],
        site_duals: vec![nothing; n],
        method: Method::Mip,
    };
    for (v, p) in profiles.iter().enumerate() {
        let used: i64 = out.met[v].iter().sum();
        let available = received[v] - sent[v] + p.giveable;
        if p.giveable > 0 && !resolved.scenario.sites[v].forwards() {
            out.own_flows[v] = (p.giveable - sent[v]).clamp(0, used);
        }
        out.surplus_left[v] = p.giveable > 0 && available > used;
    }
    Ok(out)
}

fn assemble(resolved: &ResolvedScenario, items: Vec<ItemPlan>, engine: Engine) -> Plan {
    let sc = &resolved.scenario;
    let mut plan = Plan {
        scenario: sc.name.clone(),
        synthetic: sc.synthetic,
        engine,
        priority_classes: resolved.classes.iter().map(|c| c.id.clone()).collect(),
        acute_window_hours: sc.parameters.acute_window_hours,
        horizon_days: sc.parameters.horizon_days,
        shipments: Vec::new(),
        unmet: Vec::new(),
        stock_after: Vec::new(),
        objective: Vec::new(),
        dual_prices: Vec::new(),
        requests: Vec::new(),
    };
    for ip in items {
        plan.shipments.extend(ip.shipments);
        plan.unmet.extend(ip.unmet);
        plan.stock_after.extend(ip.stock_after);
        plan.objective.push(ip.objective);
        plan.dual_prices.extend(ip.duals);
    }
    plan.requests = county_requests(resolved, &plan);
    plan
}

struct ItemPlan {
    shipments: Vec<Shipment>,
    unmet: Vec<UnmetNeed>,
    stock_after: Vec<StockAfter>,
    objective: ItemObjective,
    duals: Vec<DualPrice>,
}

pub(super) fn overflow(what: &str) -> Error {
    Error::Overflow(what.to_string())
}

/// The flows of one item's solve, scattered back to global site and lane indices.
pub(super) struct Flows {
    pub(super) lane_flows: Vec<i64>,
    /// Need met per site and level.
    pub(super) met: Vec<Vec<i64>>,
    surplus_left: Vec<bool>,
    /// Giveable stock a site used for its own need (own-use arc).
    own_flows: Vec<i64>,
    site_duals: Vec<SiteDual>,
    method: Method,
}

/// Shipments of one item and the units each site received and sent.
struct Moves {
    shipments: Vec<Shipment>,
    received: Vec<i64>,
    sent: Vec<i64>,
    transport_unit_hm: i64,
}

fn plan_item(
    resolved: &ResolvedScenario,
    graph: &LaneGraph,
    item: usize,
    options: &RoundOptions,
    pack: i64,
) -> Result<ItemPlan> {
    let flows = solve_parts(resolved, graph, item, options, pack)?;
    finish_item(resolved, graph, item, flows, (pack, 0), &[])
}

/// The plan of one item from its flows: shipments, unmet need with reasons, stock
/// after, objective and dual prices. `(pack, min_packs)`: units per pack and the
/// minimum load in packs; `trip_capped`: per site, whether its part used every trip
/// the meeting allows (empty: no cap).
fn finish_item(
    resolved: &ResolvedScenario,
    graph: &LaneGraph,
    item: usize,
    flows: Flows,
    (pack, min_packs): (i64, i64),
    trip_capped: &[bool],
) -> Result<ItemPlan> {
    let sc = &resolved.scenario;
    let item_id = &sc.items[item].id;
    let profiles = resolved.item_profiles(item);
    let moves = ship(resolved, item, &flows.lane_flows)?;
    let loose = if pack > 1 || min_packs > 0 || trip_capped.contains(&true) {
        let sizes = (pack, min_packs);
        crate::trips::packs::loose_parts(
            &graph.parts,
            profiles,
            &moves.sent,
            &flows.own_flows,
            sizes,
            trip_capped,
        )
    } else {
        Vec::new()
    };
    let mut reasons = Reasons::new(
        graph,
        profiles,
        &flows.lane_flows,
        flows.own_flows.clone(),
        flows.surplus_left.clone(),
        &flows.met,
    );
    let mut unmet = Vec::new();
    let mut acute_unmet = vec![0i64; resolved.classes.len()];
    let mut planning_unmet: i64 = 0;
    for v in 0..profiles.len() {
        let mut left = site_unmet(resolved, item, v, &flows.met[v], moves.sent[v] > 0, &mut reasons)?;
        if let Some(&Some(reason)) = loose.get(v) {
            crate::trips::packs::mark_pack_reasons(&mut left.rows, reason);
        }
        for (total, part) in acute_unmet.iter_mut().zip(&left.acute) {
            *total = total.checked_add(*part).ok_or_else(|| overflow("unmet acute need"))?;
        }
        planning_unmet = planning_unmet
            .checked_add(left.planning)
            .ok_or_else(|| overflow("planning unmet"))?;
        unmet.extend(left.rows);
    }
    Ok(ItemPlan {
        stock_after: stock_after(resolved, item, &moves)?,
        duals: dual_prices(resolved, item, &flows.site_duals),
        shipments: moves.shipments,
        unmet,
        objective: ItemObjective {
            item: item_id.clone(),
            unit: sc.items[item].unit.as_str().to_string(),
            acute_unmet,
            planning_unmet,
            transport_unit_km: moves.transport_unit_hm as f64 / KM_SCALE as f64,
            transport_unit_hm: moves.transport_unit_hm,
            method: flows.method,
        },
    })
}

/// Solves each connected part of the lane graph on its own and scatters the results
/// back to global site and lane indices.
pub(super) fn solve_parts(
    resolved: &ResolvedScenario,
    graph: &LaneGraph,
    item: usize,
    options: &RoundOptions,
    pack: i64,
) -> Result<Flows> {
    let mut out = Flows::zeroed(resolved);
    let mut scratch = SolveScratch::default();
    solve_parts_into(resolved, graph, item, options, pack, &mut out, &mut scratch)?;
    Ok(out)
}

impl Flows {
    /// Flows of nothing: no lane flow, no need met, every dual value 0.
    pub(super) fn zeroed(resolved: &ResolvedScenario) -> Flows {
        let (n, k) = (resolved.site_count(), resolved.classes.len());
        Flows {
            lane_flows: vec![0i64; resolved.lanes.len()],
            met: vec![vec![0i64; k + 1]; n],
            surplus_left: vec![false; n],
            own_flows: vec![0i64; n],
            site_duals: vec![NO_DUAL; n],
            method: Method::Weighted,
        }
    }

    /// Sets every entry back to [`Flows::zeroed`]'s, in place (no allocation when
    /// the shape is `resolved`'s already).
    fn reset(&mut self, resolved: &ResolvedScenario) {
        let (n, k) = (resolved.site_count(), resolved.classes.len());
        if self.lane_flows.len() != resolved.lanes.len()
            || self.met.len() != n
            || self.met.iter().any(|m| m.len() != k + 1)
            || self.surplus_left.len() != n
            || self.own_flows.len() != n
            || self.site_duals.len() != n
        {
            *self = Flows::zeroed(resolved);
            return;
        }
        self.lane_flows.fill(0);
        for m in &mut self.met {
            m.fill(0);
        }
        self.surplus_left.fill(false);
        self.own_flows.fill(0);
        self.site_duals.fill(NO_DUAL);
        self.method = Method::Weighted;
    }
}

/// The dual of a site with nothing to plan.
const NO_DUAL: SiteDual = SiteDual {
    level: DualLevel::Nothing,
    km_tenths: 0,
    raw: 0,
};

/// [`solve_parts`] into `out`, whose earlier contents are overwritten (its vectors
/// are reused: a caller solving many items keeps one [`Flows`]). The flows are
/// exactly [`solve_parts`]'s.
pub(super) fn solve_parts_into(
    resolved: &ResolvedScenario,
    graph: &LaneGraph,
    item: usize,
    options: &RoundOptions,
    pack: i64,
    out: &mut Flows,
    scratch: &mut SolveScratch,
) -> Result<()> {
    let profiles = resolved.item_profiles(item);
    let packed = if pack > 1 {
        Some(crate::trips::packs::pack_profiles(profiles, pack)?)
    } else {
        None
    };
    out.reset(resolved);
    for (sites, lanes) in &graph.parts {
        // A part with neither giveable stock nor need has nothing to plan (and every
        // dual value there is 0).
        let mut idle = true;
        for &v in sites {
            let p = &profiles[v];
            idle &= p.giveable == 0 && p.acute_total() == 0 && planning_capacity(p)? == 0;
        }
        if idle {
            continue;
        }
        // The network in the scratch's memory (`build_from`'s arrays, refilled).
        let mut inet = scratch.take_item_network();
        match &packed {
            Some(pp) => inet.refill_from(resolved, pp, pack, sites, lanes)?,
            None => inet.refill_from(resolved, profiles, 1, sites, lanes)?,
        }
        let solved = lexicographic::solve(&mut inet, sites.len(), options.engine, options.strategy, scratch)?;
        let flow = |arc: u32| solved.flows.get(arc as usize).copied().unwrap_or(0);
        for (i, &l) in inet.lanes.iter().enumerate() {
            out.lane_flows[l] = flow(i as u32);
        }
        for la in &inet.level_arcs {
            out.met[inet.sites[la.site]][la.level] += flow(la.arc);
        }
        for &(v, arc) in &inet.surplus_arcs {
            out.surplus_left[inet.sites[v]] = flow(arc) > 0;
        }
        for &(v, arc) in &inet.own_arcs {
            out.own_flows[inet.sites[v]] = flow(arc);
        }
        for (i, d) in solved.duals.iter().enumerate() {
            out.site_duals[inet.sites[i]] = *d;
        }
        if solved.method == Method::LevelByLevel {
            out.method = Method::LevelByLevel;
        }
        scratch.keep_item_network(inet);
    }
    if pack > 1 {
        units_from_packs(resolved, item, pack, out)?;
    }
    Ok(())
}

/// Turns the flows of a solve in packs into units: lane flows times `pack`, then the
/// need met per level, own use and surplus counted from the units each site has
/// (`received − sent + giveable`, filling its levels in order; see `trips::packs`).
fn units_from_packs(resolved: &ResolvedScenario, item: usize, pack: i64, out: &mut Flows) -> Result<()> {
    let profiles = resolved.item_profiles(item);
    let n = profiles.len();
    let mut received = vec![0i64; n];
    let mut sent = vec![0i64; n];
    for (lane, q) in resolved.lanes.iter().zip(out.lane_flows.iter_mut()) {
        *q = q.checked_mul(pack).ok_or_else(|| overflow("units shipped"))?;
        received[lane.to] = received[lane.to]
            .checked_add(*q)
            .ok_or_else(|| overflow("units received"))?;
        sent[lane.from] = sent[lane.from].checked_add(*q).ok_or_else(|| overflow("units sent"))?;
    }
    for (v, p) in profiles.iter().enumerate() {
        let available = received[v]
            .checked_sub(sent[v])
            .and_then(|x| x.checked_add(p.giveable))
            .ok_or_else(|| overflow("units available"))?;
        let mut caps = p.acute.clone();
        caps.push(planning_capacity(p)?);
        out.met[v] = crate::trips::packs::fill_levels(available, &caps);
        let used: i64 = out.met[v].iter().sum();
        let forwards = resolved.scenario.sites[v].forwards();
        out.own_flows[v] = if p.giveable > 0 && !forwards {
            (p.giveable - sent[v]).clamp(0, used)
        } else {
            0
        };
        out.surplus_left[v] = p.giveable > 0 && available > used;
    }
    Ok(())
}

/// Shipments (one per lane with flow) and the units each site received and sent.
fn ship(resolved: &ResolvedScenario, item: usize, lane_flows: &[i64]) -> Result<Moves> {
    let sc = &resolved.scenario;
    let n = sc.sites.len();
    let mut moves = Moves {
        shipments: Vec::new(),
        received: vec![0i64; n],
        sent: vec![0i64; n],
        transport_unit_hm: 0,
    };
    let mut transport: i128 = 0;
    for (lane, &q) in resolved.lanes.iter().zip(lane_flows) {
        if q > 0 {
            moves.shipments.push(Shipment {
                from: sc.sites[lane.from].id.clone(),
                to: sc.sites[lane.to].id.clone(),
                item: sc.items[item].id.clone(),
                quantity: q,
                km: lane.km(),
            });
            moves.received[lane.to] = moves.received[lane.to]
                .checked_add(q)
                .ok_or_else(|| overflow("units received"))?;
            moves.sent[lane.from] = moves.sent[lane.from]
                .checked_add(q)
                .ok_or_else(|| overflow("units sent"))?;
            transport += i128::from(q) * i128::from(lane.cost);
        }
    }
    moves.transport_unit_hm = i64::try_from(transport).map_err(|_| overflow("transport unit·km exceeds i64"))?;
    Ok(moves)
}

/// What is left of one site's needs after the round.
struct SiteUnmet {
    /// Unmet acute need per class.
    acute: Vec<i64>,
    /// Unmet planning need plus the shortfall its giving created (the objective level).
    planning: i64,
    rows: Vec<UnmetNeed>,
}

/// The unmet rows of site `v`: acute per class, planning per class (never above the
/// class's planning need), and — for a donor that gave stock it would itself use within
/// the horizon — `given-beyond-horizon` rows (see [`Window::GivenBeyondHorizon`]).
fn site_unmet(
    resolved: &ResolvedScenario,
    item: usize,
    v: usize,
    met: &[i64],
    sent: bool,
    reasons: &mut Reasons<'_>,
) -> Result<SiteUnmet> {
    let p = &resolved.item_profiles(item)[v];
    let k = resolved.classes.len();
    let acute_left: Vec<i64> = (0..k).map(|c| p.acute[c] - met[c]).collect();
    let extras: Vec<i64> = (0..k).map(|c| p.planning[c] - p.acute[c]).collect();
    // Units of the planning arc (need beyond acute + own use of giveable stock) left
    // unserved; beyond the need itself, they are own use given away.
    let left_beyond_acute = planning_capacity(p)? - met[k];
    let created = (left_beyond_acute - p.planning_extra()).max(0);
    // The met part of the extras goes to the classes in priority order.
    let mut met_extra = (p.planning_extra() - left_beyond_acute).max(0);
    let mut out = SiteUnmet {
        acute: acute_left.clone(),
        planning: created,
        rows: Vec::new(),
    };
    let row = |c: usize, window: Window, need: i64, unmet: i64, reason: Reason| UnmetNeed {
        site: resolved.scenario.sites[v].id.clone(),
        item: resolved.scenario.items[item].id.clone(),
        priority: resolved.classes[c].id.clone(),
        window,
        need,
        unmet,
        reason,
    };
    for (c, &left) in acute_left.iter().enumerate() {
        if left > 0 {
            out.rows
                .push(row(c, Window::Acute, p.acute[c], left, reasons.reason(v, c)));
        }
    }
    let mut planning_reason = None;
    for c in 0..k {
        let take = extras[c].min(met_extra);
        met_extra -= take;
        let left = acute_left[c] + extras[c] - take;
        out.planning = out
            .planning
            .checked_add(left)
            .ok_or_else(|| overflow("planning unmet"))?;
        if left > 0 {
            let reason = *planning_reason.get_or_insert_with(|| {
                if created > 0 && sent {
                    Reason::UsedForHigherPriority
                } else {
                    reasons.reason(v, k)
                }
            });
            out.rows.push(row(c, Window::Planning, p.planning[c], left, reason));
        }
    }
    if created > 0 {
        let own = split_by_weights(p.own_use, &p.class_weights);
        let given = split_proportionally(created, &own);
        for c in 0..k {
            if given[c] > 0 {
                out.rows.push(row(
                    c,
                    Window::GivenBeyondHorizon,
                    own[c],
                    given[c],
                    Reason::UsedForHigherPriority,
                ));
            }
        }
    }
    Ok(out)
}

/// Splits `total` over the entries in proportion to the whole numbers `parts` by the
/// largest remainder, exactly (integer arithmetic), ties to the earlier entry. With
/// `0 <= total <= Σ parts` no entry gets more than its part.
fn split_proportionally(total: i64, parts: &[i64]) -> Vec<i64> {
    let sum: i128 = parts.iter().map(|&x| i128::from(x.max(0))).sum();
    if sum == 0 {
        return vec![0; parts.len()];
    }
    let quota = |x: i64| i128::from(total) * i128::from(x.max(0));
    let mut out: Vec<i64> = parts.iter().map(|&x| (quota(x) / sum) as i64).collect();
    let mut order: Vec<usize> = (0..parts.len()).collect();
    order.sort_by_key(|&i| (std::cmp::Reverse(quota(parts[i]) % sum), i));
    let left = total - out.iter().sum::<i64>();
    for &i in order.iter().take(usize::try_from(left).unwrap_or(0)) {
        out[i] += 1;
    }
    out
}

/// Stock before and after for every site with a status row or a shipment.
fn stock_after(resolved: &ResolvedScenario, item: usize, moves: &Moves) -> Result<Vec<StockAfter>> {
    let sc = &resolved.scenario;
    let profiles = resolved.item_profiles(item);
    (0..profiles.len())
        .filter(|&v| profiles[v].reported || moves.received[v] > 0 || moves.sent[v] > 0)
        .map(|v| {
            let before = profiles[v].stock;
            let after = before
                .checked_add(moves.received[v])
                .and_then(|x| x.checked_sub(moves.sent[v]))
                .ok_or_else(|| overflow("stock after"))?;
            Ok(StockAfter {
                site: sc.sites[v].id.clone(),
                item: sc.items[item].id.clone(),
                before,
                received: moves.received[v],
                sent: moves.sent[v],
                after,
            })
        })
        .collect()
}

/// The dual price rows of one item, in site order.
fn dual_prices(resolved: &ResolvedScenario, item: usize, site_duals: &[SiteDual]) -> Vec<DualPrice> {
    let sc = &resolved.scenario;
    let k = resolved.classes.len();
    site_duals
        .iter()
        .enumerate()
        .map(|(v, d)| DualPrice {
            site: sc.sites[v].id.clone(),
            item: sc.items[item].id.clone(),
            level: match d.level {
                DualLevel::Level(l) if l < k => format!("acute:{}", resolved.classes[l].id),
                DualLevel::Level(_) => "planning".to_string(),
                DualLevel::Transport => "transport".to_string(),
                DualLevel::Nothing => "none".to_string(),
            },
            km: d.km_tenths as f64 / KM_SCALE as f64,
            raw: d.raw,
        })
        .collect()
}

/// The combined request of each county: remaining acute need per item, per site.
fn county_requests(resolved: &ResolvedScenario, plan: &Plan) -> Vec<CountyRequest> {
    let sc = &resolved.scenario;
    let mut counties: Vec<&str> = Vec::new();
    for s in &sc.sites {
        if !counties.contains(&s.county.as_str()) {
            counties.push(&s.county);
        }
    }
    let sites: HashMap<&str, usize> = sc.sites.iter().enumerate().map(|(i, s)| (s.id.as_str(), i)).collect();
    let items: HashMap<&str, usize> = sc.items.iter().enumerate().map(|(i, s)| (s.id.as_str(), i)).collect();
    let classes: HashMap<&str, usize> = resolved
        .classes
        .iter()
        .enumerate()
        .map(|(i, c)| (c.id.as_str(), i))
        .collect();
    // (county index, item, site) -> unmet acute need per class
    let mut acc: BTreeMap<(usize, usize, usize), Vec<i64>> = BTreeMap::new();
    for u in plan.unmet.iter().filter(|u| u.window == Window::Acute) {
        let (Some(&v), Some(&it), Some(&c)) = (
            sites.get(u.site.as_str()),
            items.get(u.item.as_str()),
            classes.get(u.priority.as_str()),
        ) else {
            continue;
        };
        let county = counties.iter().position(|&x| x == sc.sites[v].county).unwrap_or(0);
        acc.entry((county, it, v)).or_insert_with(|| vec![0; classes.len()])[c] += u.unmet;
    }
    let mut out: Vec<CountyRequest> = Vec::new();
    for ((county, it, v), per_class) in acc {
        let site = &sc.sites[v];
        let by_priority: Vec<(String, i64)> = per_class
            .iter()
            .enumerate()
            .filter(|(_, &q)| q > 0)
            .map(|(c, &q)| (resolved.classes[c].id.clone(), q))
            .collect();
        let line = RequestLine {
            site: site.id.clone(),
            site_name: site.name.clone(),
            kind: site.kind.as_str().to_string(),
            quantity: per_class.iter().sum(),
            by_priority,
        };
        if out.last().is_none_or(|r| r.county != counties[county]) {
            out.push(CountyRequest {
                county: counties[county].to_string(),
                synthetic: sc.synthetic,
                items: Vec::new(),
            });
        }
        let Some(request) = out.last_mut() else { continue };
        let item = &sc.items[it];
        if request.items.last().is_none_or(|i| i.item != item.id) {
            request.items.push(RequestItem {
                item: item.id.clone(),
                item_name: item.name.clone(),
                unit: item.unit.as_str().to_string(),
                total: 0,
                sites: Vec::new(),
            });
        }
        if let Some(ri) = request.items.last_mut() {
            ri.total += line.quantity;
            ri.sites.push(line);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::split_proportionally;

    #[test]
    fn proportional_split_never_exceeds_a_part() {
        assert_eq!(split_proportionally(3, &[1, 1, 1, 1]), vec![1, 1, 1, 0]);
        assert_eq!(split_proportionally(5, &[0, 10, 0, 0, 10]), vec![0, 3, 0, 0, 2]);
        assert_eq!(split_proportionally(0, &[0, 0]), vec![0, 0]);
        for parts in [vec![3, 0, 7, 1], vec![1, 1, 1], vec![5, 2], vec![0, 0, 9]] {
            let sum: i64 = parts.iter().sum();
            for total in 0..=sum {
                let split = split_proportionally(total, &parts);
                assert_eq!(split.iter().sum::<i64>(), total, "{parts:?} {total}");
                assert!(
                    split.iter().zip(&parts).all(|(s, p)| s <= p),
                    "{parts:?} {total}: {split:?}"
                );
            }
        }
    }
}
