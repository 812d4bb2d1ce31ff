//! The lookahead round: the county meeting planned over the coming days at once, with
//! stock carried over days, lanes with lead times and shipments only on meeting days.
//!
//! Per item, a time-expanded min-cost flow network (see `network`) over the horizon is
//! solved lexicographically, level by level (see `solve`): unmet consumption in
//! unit-days by priority class — the acute days (the acute window, 48 h = days 0 and 1)
//! as their own levels above the later days, so the lookahead never trades an acute
//! shortage now for a later one — then transport (unit·km), then a tie-breaker that
//! spreads the stock left at the end where it is consumed. Items and the connected
//! parts of the lane graph are independent; items run in parallel (rayon) and are
//! collected in order, so the plan is the same for any thread count.
//!
//! ```
//! use allocnet::lookahead::{run_lookahead, LookaheadOptions};
//! use allocnet::flow::Engine;
//! use allocnet::model::{Scenario, Site, SiteKind, Item, Unit, SiteStatus, Delivery};
//! let site = |id: &str, lon: f64| Site {
//!     id: id.into(), name: id.into(), kind: SiteKind::Municipality,
//!     county: "19".into(), lat: 59.6, lon, hub: false,
//! };
//! let mut short = SiteStatus::new("short", "ffp2", 0, 10.0);
//! short.deliveries = vec![Delivery { day: 2.0, quantity: 100 }]; // covers it from day 2
//! let scenario = Scenario {
//!     sites: vec![site("short", 16.0), site("donor", 16.1)],
//!     items: vec![Item { id: "ffp2".into(), name: "FFP2".into(), unit: Unit::Pieces }],
//!     status: vec![short, SiteStatus::new("donor", "ffp2", 200, 10.0)],
//!     ..Scenario::default()
//! };
//! let options = LookaheadOptions { meeting_days: vec!["every".into()], ..Default::default() };
//! let plan = run_lookahead(&scenario, &options, Engine::default()).unwrap();
//! // Only days 0 and 1 need a shipment: 20 units, none planned after the delivery.
//! assert_eq!(plan.shipments.iter().map(|s| s.quantity).sum::<i64>(), 20);
//! assert_eq!(plan.objective[0].acute_unmet.iter().sum::<i64>(), 0);
//! ```

mod horizon;
mod network;
mod options;
mod plan;
pub mod rolling;
mod solve;

pub use options::{LaneLead, LookaheadOptions, Storage, DEFAULT_SAME_DAY_KM, MAX_DAYS, WEEKDAYS};
pub use plan::{DayDual, DueRequest, ItemDuals, LookaheadObjective, LookaheadPlan, PlannedShipment, SiteDay};

use crate::error::{Error, Result};
use crate::flow::Engine;
use crate::model::{ResolvedScenario, Scenario, KM_SCALE};
use horizon::{item_days, without_plan, SiteDays};
use ndarray::Array2;
use network::{build, PartInput, TimeNetwork};
use rayon::prelude::*;

/// Most tie-breaker rungs (days of cover rewarded at the end of the horizon).
const MAX_RUNGS: usize = 28;

/// Runs the lookahead round on `scenario` (checked first).
pub fn run_lookahead(scenario: &Scenario, options: &LookaheadOptions, engine: Engine) -> Result<LookaheadPlan> {
    let resolved = scenario.resolve()?;
    run_lookahead_resolved(&resolved, options, engine)
}

/// The number of acute days: the acute window rounded up to whole days (48 h → 2).
pub fn acute_days(resolved: &ResolvedScenario) -> usize {
    (resolved.acute_window_days - 1e-9).ceil().max(0.0) as usize
}

/// Runs the lookahead round on an already resolved scenario.
pub fn run_lookahead_resolved(
    resolved: &ResolvedScenario,
    options: &LookaheadOptions,
    engine: Engine,
) -> Result<LookaheadPlan> {
    let (leads, storage) = options.resolve(resolved)?;
    let shipping = options.shipping_days()?;
    let h = options.days as usize;
    let cells = (resolved.site_count() as u128) * (h as u128) * (resolved.item_count() as u128);
    crate::limits::check_memory("lookahead.days", "the lookahead projection", cells.saturating_mul(256))?;
    let parts = lane_parts(resolved);
    let setup = Setup {
        resolved,
        leads: &leads,
        storage: &storage,
        shipping: &shipping,
        parts: &parts,
        acute_days: acute_days(resolved),
        days: h,
        engine,
    };
    let items: Vec<ItemResult> = (0..resolved.item_count())
        .into_par_iter()
        .map(|item| plan_item(&setup, item))
        .collect::<Result<Vec<_>>>()?;
    let sc = &resolved.scenario;
    let mut plan = LookaheadPlan {
        scenario: sc.name.clone(),
        synthetic: sc.synthetic,
        days: options.days,
        shipping_days: shipping.clone(),
        acute_days: setup.acute_days as u32,
        priority_classes: resolved.classes.iter().map(|c| c.id.clone()).collect(),
        shipments: Vec::new(),
        site_days: Vec::new(),
        objective: Vec::new(),
        requests: Vec::new(),
        dual_prices: Vec::new(),
        duals: Vec::new(),
    };
    for it in items {
        plan.shipments.extend(it.shipments);
        plan.site_days.extend(it.site_days);
        plan.objective.push(it.objective);
        plan.requests.extend(it.requests);
        plan.dual_prices.extend(it.dual_rows);
        plan.duals.push(it.duals);
    }
    plan.requests.sort_by(|a, b| {
        (county_rank(sc, &a.county), &a.item, a.due_day).cmp(&(county_rank(sc, &b.county), &b.item, b.due_day))
    });
    Ok(plan)
}

fn county_rank(sc: &Scenario, county: &str) -> usize {
    sc.sites.iter().position(|s| s.county == county).unwrap_or(usize::MAX)
}

struct Setup<'a> {
    resolved: &'a ResolvedScenario,
    leads: &'a [u32],
    storage: &'a [Option<i64>],
    shipping: &'a [u32],
    parts: &'a [(Vec<usize>, Vec<usize>)],
    acute_days: usize,
    days: usize,
    engine: Engine,
}

struct ItemResult {
    shipments: Vec<PlannedShipment>,
    site_days: Vec<SiteDay>,
    objective: LookaheadObjective,
    requests: Vec<DueRequest>,
    dual_rows: Vec<DayDual>,
    duals: ItemDuals,
}

/// The connected parts of the lane graph (lanes in either direction): sites ascending,
/// lanes ascending; a site without lanes is a part of its own.
fn lane_parts(resolved: &ResolvedScenario) -> Vec<(Vec<usize>, Vec<usize>)> {
    let n = resolved.site_count();
    let mut parent: Vec<usize> = (0..n).collect();
    fn root(parent: &mut [usize], mut x: usize) -> usize {
        while parent[x] != x {
            parent[x] = parent[parent[x]];
            x = parent[x];
        }
        x
    }
    for lane in &resolved.lanes {
        let (a, b) = (root(&mut parent, lane.from), root(&mut parent, lane.to));
        if a != b {
            parent[a.max(b)] = a.min(b);
        }
    }
    let mut index = vec![usize::MAX; n];
    let mut parts: Vec<(Vec<usize>, Vec<usize>)> = Vec::new();
    for v in 0..n {
        let r = root(&mut parent, v);
        if index[r] == usize::MAX {
            index[r] = parts.len();
            parts.push((Vec::new(), Vec::new()));
        }
        parts[index[r]].0.push(v);
    }
    for (l, lane) in resolved.lanes.iter().enumerate() {
        let r = root(&mut parent, lane.from);
        parts[index[r]].1.push(l);
    }
    parts
}

/// Flows of one item scattered to global sites: per site and day.
struct Scatter {
    served: Vec<Vec<i64>>,
    short_by_class: Vec<Vec<Vec<i64>>>,
    received: Vec<Vec<i64>>,
    sent: Vec<Vec<i64>>,
    stock_end: Vec<Vec<i64>>,
    shipments: Vec<(usize, usize, usize, i64)>, // (lane, depart, arrive, quantity)
    level: Array2<i32>,
    value: Array2<i64>,
    km: Array2<f64>,
    unmet: Vec<i64>,
    solves: usize,
}

fn plan_item(setup: &Setup<'_>, item: usize) -> Result<ItemResult> {
    let resolved = setup.resolved;
    let days = item_days(resolved, item, setup.days)?;
    let n = resolved.site_count();
    let h = setup.days;
    let k = resolved.classes.len();
    let mut sc = Scatter {
        served: vec![vec![0; h]; n],
        short_by_class: vec![vec![vec![0; k]; h]; n],
        received: vec![vec![0; h]; n],
        sent: vec![vec![0; h]; n],
        stock_end: vec![vec![0; h]; n],
        shipments: Vec::new(),
        level: Array2::from_elem((n, h), -1),
        value: Array2::zeros((n, h)),
        km: Array2::zeros((n, h)),
        unmet: vec![0; 2 * k],
        solves: 0,
    };
    for (sites, lanes) in setup.parts {
        let part = PartInput {
            sites,
            lanes,
            leads: setup.leads,
            storage: setup.storage,
            shipping: setup.shipping,
            acute_days: setup.acute_days,
            rung_count: h.min(MAX_RUNGS),
        };
        let tn = build(resolved, &part, &days)?;
        let arrival: Vec<u32> = (0..sites.len())
            .flat_map(|v| (0..h).map(move |t| (v, t)))
            .map(|(v, t)| tn.arrival(resolved, v, t))
            .collect();
        let solved = solve::solve(&tn, &arrival, setup.engine)?;
        scatter(&tn, &solved, &days, &mut sc)?;
    }
    sc.shipments.sort_by_key(|&(lane, depart, _, _)| (depart, lane));
    finish(setup, item, &days, sc)
}

fn scatter(tn: &TimeNetwork, solved: &solve::Solved, days: &[SiteDays], sc: &mut Scatter) -> Result<()> {
    let f = |arc: u32| solved.flows[arc as usize];
    let h = tn.days;
    for c in &tn.consume {
        let g = tn.sites[c.site];
        let q = f(c.arc);
        sc.served[g][c.day] += q;
        let cap = days[g].demand[c.day][c.class];
        sc.short_by_class[g][c.day][c.class] += cap - q;
        sc.unmet[c.level] = sc.unmet[c.level]
            .checked_add(cap - q)
            .ok_or_else(|| Error::Overflow("lookahead: unmet unit-days exceed i64".into()))?;
    }
    for (v, &g) in tn.sites.iter().enumerate() {
        for t in 0..h {
            sc.stock_end[g][t] = if t + 1 < h {
                f(tn.hold_home[v][t]) + f(tn.hold_free[v][t])
            } else {
                f(tn.end_arcs[v].0) + f(tn.end_arcs[v].1)
            };
            let d = solved.duals[v * h + t];
            if let Some(l) = d.level {
                sc.level[[g, t]] = i32::try_from(l).unwrap_or(i32::MAX);
                sc.value[[g, t]] = d.value;
            }
            sc.km[[g, t]] = d.km_tenths as f64 / KM_SCALE as f64;
        }
    }
    for la in &tn.lanes {
        let q = f(la.arc);
        if q > 0 {
            sc.shipments.push((la.lane, la.depart, la.arrive, q));
        }
    }
    sc.solves += solved.solves;
    Ok(())
}

/// The planned shipments of `item` from the scattered `(lane, depart, arrive,
/// quantity)` rows, added to `received` and `sent` per site and day; with the
/// transport in unit·hectometres.
fn planned_shipments(
    setup: &Setup<'_>,
    item_id: &str,
    rows: &[(usize, usize, usize, i64)],
    received: &mut [Vec<i64>],
    sent: &mut [Vec<i64>],
) -> Result<(Vec<PlannedShipment>, i64)> {
    let resolved = setup.resolved;
    let s = &resolved.scenario;
    let mut shipments = Vec::with_capacity(rows.len());
    let mut transport: i128 = 0;
    for &(l, depart, arrive, q) in rows {
        let lane = &resolved.lanes[l];
        received[lane.to][arrive] += q;
        sent[lane.from][depart] += q;
        transport += i128::from(q) * i128::from(lane.cost);
        shipments.push(PlannedShipment {
            item: item_id.to_string(),
            from: s.sites[lane.from].id.clone(),
            to: s.sites[lane.to].id.clone(),
            depart_day: depart as u32,
            arrive_day: arrive as u32,
            quantity: q,
            km: lane.km(),
            today: depart == 0,
        });
    }
    let transport_unit_hm =
        i64::try_from(transport).map_err(|_| Error::Overflow("lookahead: transport unit·km exceeds i64".into()))?;
    Ok((shipments, transport_unit_hm))
}

fn finish(setup: &Setup<'_>, item: usize, days: &[SiteDays], sc: Scatter) -> Result<ItemResult> {
    let resolved = setup.resolved;
    let s = &resolved.scenario;
    let k = resolved.classes.len();
    let item_id = &s.items[item].id;
    let mut received = sc.received;
    let mut sent = sc.sent;
    let (shipments, transport_unit_hm) = planned_shipments(setup, item_id, &sc.shipments, &mut received, &mut sent)?;
    let profiles = resolved.item_profiles(item);
    let mut site_days = Vec::new();
    let mut requests = Vec::new();
    let mut dual_rows = Vec::new();
    let level_name = |l: i32| -> String {
        match usize::try_from(l) {
            Ok(l) if l < k => format!("acute:{}", resolved.classes[l].id),
            Ok(l) if l < 2 * k => format!("later:{}", resolved.classes[l - k].id),
            _ => "none".into(),
        }
    };
    for (v, site) in s.sites.iter().enumerate() {
        let active = profiles[v].reported || received[v].iter().any(|&x| x > 0) || sent[v].iter().any(|&x| x > 0);
        if !active {
            continue;
        }
        let without = without_plan(&days[v])?;
        for t in 0..setup.days {
            let consumption = days[v].demand_total(t);
            site_days.push(SiteDay {
                item: item_id.clone(),
                site: site.id.clone(),
                day: t as u32,
                consumption,
                deliveries: days[v].arrivals[t],
                received: received[v][t],
                sent: sent[v][t],
                served: sc.served[v][t],
                shortage: consumption - sc.served[v][t],
                stock_end: sc.stock_end[v][t],
                served_without: without[t].0,
                shortage_without: consumption - without[t].0,
                stock_end_without: without[t].1,
            });
            dual_rows.push(DayDual {
                item: item_id.clone(),
                site: site.id.clone(),
                day: t as u32,
                level: level_name(sc.level[[v, t]]),
                value: sc.value[[v, t]],
                km: sc.km[[v, t]],
            });
            if t < setup.acute_days {
                for (c, &q) in sc.short_by_class[v][t].iter().enumerate() {
                    if q > 0 {
                        requests.push(DueRequest {
                            county: site.county.clone(),
                            item: item_id.clone(),
                            site: site.id.clone(),
                            priority: resolved.classes[c].id.clone(),
                            due_day: t as u32,
                            quantity: q,
                        });
                    }
                }
            }
        }
    }
    Ok(ItemResult {
        shipments,
        site_days,
        objective: LookaheadObjective {
            item: item_id.clone(),
            acute_unmet: sc.unmet[..k].to_vec(),
            later_unmet: sc.unmet[k..].to_vec(),
            transport_unit_km: transport_unit_hm as f64 / KM_SCALE as f64,
            transport_unit_hm,
            solves: sc.solves,
        },
        requests,
        dual_rows,
        duals: ItemDuals {
            item: item_id.clone(),
            level: sc.level,
            value: sc.value,
            km: sc.km,
        },
    })
}
