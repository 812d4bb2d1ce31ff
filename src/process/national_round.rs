//! The national round: the national agency allocates its stock among the counties'
//! combined requests, then the goods travel national warehouse → county transshipment
//! point → the sites with remaining acute need.
//!
//! Per item, every [`Policy`] first fixes bounds `[low, high]` on each county's approved
//! total; one min-cost flow network then settles, level by level, which priority
//! classes are served (highest first) and the national leg's unit·km (see
//! [`run_national_round`]). The last mile inside a county serves the highest class
//! first, nearest site first. Quantities are whole units; distances in km
//! (great-circle × detour factor, 0.1 km resolution).
//!
//! Model assumptions (documented in `docs/national.md`): every national warehouse may
//! ship to every county; the warehouses' stock is the only limit (no lane capacities).

use super::national_check::{check, km_tenths, Demand, ItemInput};
use super::plan::{CountyRequest, Shipment};
use crate::apportion::largest_remainder;
use crate::error::{Error, Result};
use crate::flow::{self, verify_solution, Network, Status, INFINITE};
use crate::lp::{LinearProgram, LpStatus};
use crate::model::{Site, KM_SCALE};
use serde::{Deserialize, Serialize};

/// How the national agency divides scarce stock among the counties.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Policy {
    /// Lexicographic: first minimise unmet acute need class by class (highest priority
    /// first, over all counties together), then the national leg's unit·km.
    #[default]
    Optimal,
    /// Every county receives the same fraction `min(1, stock / requested)` of its
    /// request; whole units by largest remainder (ties to the earlier county in
    /// request order). Then priority classes and km as in `Optimal`.
    Proportional,
    /// Maximise the smallest fraction any county receives (an LP through
    /// [`crate::lp`]); every county gets at least `floor(t*·request)`, the rest is
    /// allocated as in `Optimal`.
    MaxMin,
    /// Baseline: the stock is split by county population (largest remainder), capped
    /// at each request, the excess split again among the others.
    Population,
}

crate::names::named_enum!(Policy, "policy", {
    Optimal => "optimal": "Lexicographic: unmet acute need by priority, then km",
    Proportional => "proportional": "The same fraction of its request for every county",
    MaxMin => "max-min": "Maximise the smallest fraction, then optimal",
    Population => "population": "Split by population (baseline)",
});

impl Policy {
    /// Parses the name used in JSON and on the command line (`None` for an unknown
    /// name; [`str::parse`] says which names are expected).
    pub fn parse(text: &str) -> Option<Policy> {
        text.parse().ok()
    }
}

/// A county as the national agency sees it: where its goods are delivered.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CountyDepot {
    /// County code (as in [`Site::county`]).
    pub county: String,
    /// County name.
    pub name: String,
    /// Population, >= 0 (for [`Policy::Population`]).
    pub population: i64,
    /// The county's transshipment point (omlastningsplats).
    pub transshipment: Site,
}

/// A quantity of one item.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ItemQuantity {
    /// Item id.
    pub item: String,
    /// Whole units, >= 0.
    pub quantity: i64,
}

/// A national warehouse and its stock.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Warehouse {
    /// The warehouse (kind [`SiteKind::NationalWarehouse`](crate::model::SiteKind)).
    pub site: Site,
    /// Stock per item.
    pub stock: Vec<ItemQuantity>,
}

/// The input of one national round.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NationalRound {
    /// Priority class ids, highest first (the classes of the requests' `by_priority`).
    pub priority_classes: Vec<String>,
    /// Every county that may request, with its transshipment point.
    pub counties: Vec<CountyDepot>,
    /// National warehouses and their stock.
    pub warehouses: Vec<Warehouse>,
    /// The counties' combined requests of the day.
    pub requests: Vec<CountyRequest>,
    /// Locations of the requesting sites (for the last mile).
    pub sites: Vec<Site>,
    /// Road distance ÷ great-circle distance, >= 1.
    pub detour_factor: f64,
}

/// What one county is approved for one item.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CountyAllocation {
    /// County code.
    pub county: String,
    /// Item id.
    pub item: String,
    /// Requested (remaining acute need), whole units.
    pub requested: i64,
    /// Approved, whole units (<= requested).
    pub approved: i64,
    /// `approved / requested`.
    pub fraction: f64,
    /// Approved per priority class id (classes with a positive quantity, highest first).
    pub by_priority: Vec<(String, i64)>,
}

/// Acute need left unmet after the national round.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct NationalUnmet {
    /// County code.
    pub county: String,
    /// Site id.
    pub site: String,
    /// Item id.
    pub item: String,
    /// Priority class id.
    pub priority: String,
    /// Requested in this class.
    pub requested: i64,
    /// Left unmet (> 0).
    pub unmet: i64,
}

/// One item's result.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct NationalItemResult {
    /// Item id.
    pub item: String,
    /// National stock before the round (all warehouses).
    pub stock: i64,
    /// Requested by all counties.
    pub requested: i64,
    /// Approved to all counties.
    pub approved: i64,
    /// Smallest fraction of its request any requesting county receives (1 if none
    /// requests).
    pub min_fraction: f64,
    /// Unmet acute need per priority class (order of `priority_classes`).
    pub acute_unmet: Vec<i64>,
    /// National leg, warehouse → transshipment point, unit·0.1 km (exact).
    pub national_unit_hm: i64,
    /// Last mile, transshipment point → site, unit·0.1 km (exact).
    pub last_mile_unit_hm: i64,
}

/// Stock of a national warehouse before and after the round.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct WarehouseStockAfter {
    /// Warehouse site id.
    pub warehouse: String,
    /// Item id.
    pub item: String,
    /// Before the round.
    pub before: i64,
    /// Sent to counties.
    pub sent: i64,
    /// `before − sent`.
    pub after: i64,
}

/// The national decision and its delivery.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct NationalPlan {
    /// The policy used.
    pub policy: Policy,
    /// Priority class ids, highest first.
    pub priority_classes: Vec<String>,
    /// Per item: totals, fairness and transport.
    pub items: Vec<NationalItemResult>,
    /// Approved quantities, per item then county (request order).
    pub allocations: Vec<CountyAllocation>,
    /// Warehouse → county transshipment point.
    pub national_shipments: Vec<Shipment>,
    /// Transshipment point → site.
    pub last_mile: Vec<Shipment>,
    /// Acute need left unmet, per item, county, site, class.
    pub unmet: Vec<NationalUnmet>,
    /// Warehouse stock before and after.
    pub stock_after: Vec<WarehouseStockAfter>,
}

impl NationalRound {
    /// The national round that follows a county round: `plan`'s county requests and
    /// priority classes, the [`default_depots`] of `scenario`, its sites and detour
    /// factor, and the given national `warehouses`.
    ///
    /// ```
    /// use allocnet::model::synthetic::vastmanland_default;
    /// use allocnet::process::simulate::default_warehouses;
    /// use allocnet::process::{run_county_round, run_national_round, NationalRound, Policy, RoundOptions};
    /// let scenario = vastmanland_default().unwrap();
    /// let plan = run_county_round(&scenario, &RoundOptions::default()).unwrap();
    /// let round = NationalRound::after_county_round(&scenario, &plan, default_warehouses(&scenario, 2.0)).unwrap();
    /// assert_eq!(round.counties.len(), 1); // Västmanland only
    /// run_national_round(&round, Policy::Optimal).unwrap();
    /// ```
    pub fn after_county_round(
        scenario: &crate::model::Scenario,
        plan: &super::Plan,
        warehouses: Vec<Warehouse>,
    ) -> Result<NationalRound> {
        Ok(NationalRound {
            priority_classes: plan.priority_classes.clone(),
            counties: default_depots(scenario)?,
            warehouses,
            requests: plan.requests.clone(),
            sites: scenario.sites.clone(),
            detour_factor: scenario.parameters.detour_factor,
        })
    }

    /// Checks every value (the checks [`run_national_round`] makes first); all
    /// problems at once as [`Error::Invalid`] with paths such as `requests[1].county`.
    pub fn validate(&self) -> Result<()> {
        check(self).map(|_| ())
    }

    /// Parses a national round from JSON text (a leading byte order mark skipped) and
    /// checks it ([`NationalRound::validate`]); a syntax or type error is an
    /// [`Error::Parse`] naming `source_name`, the line and the path of the value
    /// (`requests[1].items[0].total: invalid type: ...`).
    ///
    /// ```
    /// use allocnet::process::NationalRound;
    /// let err = NationalRound::from_json_str("{\n  \"counties\": 1}", "round.json").unwrap_err();
    /// assert!(err.to_string().starts_with("round.json line 2"), "{err}");
    /// ```
    pub fn from_json_str(text: &str, source_name: &str) -> Result<NationalRound> {
        let round: NationalRound = crate::json_path::parse_json(text, source_name, "")?;
        round.validate()?;
        Ok(round)
    }

    /// Reads a national round from a JSON file and checks it; errors name the file
    /// (invalid UTF-8 with its line and column).
    pub fn load(path: &std::path::Path) -> Result<NationalRound> {
        let text = crate::limits::read_text_file(path)?;
        Self::from_json_str(&text, &path.display().to_string())
    }
}

impl NationalPlan {
    /// Total unmet acute need over all items (mixed units).
    pub fn total_acute_unmet(&self) -> i64 {
        self.items.iter().flat_map(|i| i.acute_unmet.iter()).sum()
    }
}

fn overflow(what: &str) -> Error {
    Error::Overflow(what.to_string())
}

/// Runs the national round: allocates every item's national stock among the county
/// requests by `policy`, and plans both delivery legs.
///
/// ```
/// use allocnet::model::{Site, SiteKind};
/// use allocnet::process::{CountyRequest, RequestItem, RequestLine};
/// use allocnet::process::national_round::{run_national_round, CountyDepot, ItemQuantity, NationalRound, Policy, Warehouse};
/// let site = |id: &str, county: &str, kind, lat: f64| Site {
///     id: id.into(), name: id.into(), kind, county: county.into(), lat, lon: 16.0, hub: false,
/// };
/// let depot = |c: &str, lat| CountyDepot {
///     county: c.into(), name: c.into(), population: 100,
///     transshipment: site(&format!("tp{c}"), c, SiteKind::TransshipmentPoint, lat),
/// };
/// let request = |c: &str, s: &str, q: i64| CountyRequest {
///     county: c.into(), synthetic: true,
///     items: vec![RequestItem { item: "ffp2".into(), item_name: "FFP2".into(), unit: "pieces".into(), total: q,
///         sites: vec![RequestLine { site: s.into(), site_name: s.into(), kind: "municipality".into(),
///             quantity: q, by_priority: vec![("care".into(), q)] }] }],
/// };
/// let round = NationalRound {
///     priority_classes: vec!["care".into()],
///     counties: vec![depot("A", 59.0), depot("B", 60.0)],
///     warehouses: vec![Warehouse { site: site("nat", "00", SiteKind::NationalWarehouse, 59.5),
///         stock: vec![ItemQuantity { item: "ffp2".into(), quantity: 60 }] }],
///     requests: vec![request("A", "a", 100), request("B", "b", 20)],
///     sites: vec![site("a", "A", SiteKind::Municipality, 59.1), site("b", "B", SiteKind::Municipality, 60.1)],
///     detour_factor: 1.3,
/// };
/// let plan = run_national_round(&round, Policy::Proportional).unwrap();
/// let approved: Vec<i64> = plan.allocations.iter().map(|a| a.approved).collect();
/// assert_eq!(approved, vec![50, 10]); // both half of their request
/// ```
pub fn run_national_round(input: &NationalRound, policy: Policy) -> Result<NationalPlan> {
    let checked = check(input)?;
    let k = input.priority_classes.len();
    let mut plan = NationalPlan {
        policy,
        priority_classes: input.priority_classes.clone(),
        items: Vec::new(),
        allocations: Vec::new(),
        national_shipments: Vec::new(),
        last_mile: Vec::new(),
        unmet: Vec::new(),
        stock_after: Vec::new(),
    };
    for item in &checked.items {
        let stock: i64 = item.stock.iter().sum();
        let requested: i64 = item.demands.iter().map(|d| d.total).sum();
        let (low, high) = bounds(input, item, stock, requested, policy)?;
        let flows = solve_item(item, &checked.tp_km, &low, &high, k)?;
        // Allocations and the national leg.
        let mut approved_total = 0i64;
        let mut min_fraction = 1.0f64;
        let mut national_hm: i128 = 0;
        let mut sent = vec![0i64; item.stock.len()];
        for (di, d) in item.demands.iter().enumerate() {
            let approved: i64 = flows.served[di].iter().sum();
            approved_total += approved;
            let fraction = approved as f64 / d.total as f64;
            min_fraction = min_fraction.min(fraction);
            plan.allocations.push(CountyAllocation {
                county: input.counties[d.county].county.clone(),
                item: item.id.clone(),
                requested: d.total,
                approved,
                fraction,
                by_priority: (0..k)
                    .filter(|&c| flows.served[di][c] > 0)
                    .map(|c| (input.priority_classes[c].clone(), flows.served[di][c]))
                    .collect(),
            });
        }
        for (wi, per_demand) in flows.shipped.iter().enumerate() {
            for (di, &q) in per_demand.iter().enumerate() {
                if q == 0 {
                    continue;
                }
                let county = item.demands[di].county;
                let tenths = checked.tp_km[wi][county];
                national_hm += i128::from(q) * i128::from(tenths);
                sent[wi] += q;
                plan.national_shipments.push(Shipment {
                    from: input.warehouses[wi].site.id.clone(),
                    to: input.counties[county].transshipment.id.clone(),
                    item: item.id.clone(),
                    quantity: q,
                    km: tenths as f64 / KM_SCALE as f64,
                });
            }
        }
        for (wi, wh) in input.warehouses.iter().enumerate() {
            if item.stock[wi] > 0 || sent[wi] > 0 {
                plan.stock_after.push(WarehouseStockAfter {
                    warehouse: wh.site.id.clone(),
                    item: item.id.clone(),
                    before: item.stock[wi],
                    sent: sent[wi],
                    after: item.stock[wi] - sent[wi],
                });
            }
        }
        // The last mile.
        let mut acute_unmet = vec![0i64; k];
        let mut last_mile_hm: i128 = 0;
        for (di, d) in item.demands.iter().enumerate() {
            let depot = &input.counties[d.county];
            let (shipments, unmet, hm) = last_mile(input, depot, &item.id, d, &flows.served[di]);
            last_mile_hm += hm;
            for u in unmet {
                if let Some(c) = input.priority_classes.iter().position(|p| *p == u.priority) {
                    acute_unmet[c] += u.unmet;
                }
                plan.unmet.push(u);
            }
            plan.last_mile.extend(shipments);
        }
        plan.items.push(NationalItemResult {
            item: item.id.clone(),
            stock,
            requested,
            approved: approved_total,
            min_fraction,
            acute_unmet,
            national_unit_hm: i64::try_from(national_hm).map_err(|_| overflow("national unit·km"))?,
            last_mile_unit_hm: i64::try_from(last_mile_hm).map_err(|_| overflow("last-mile unit·km"))?,
        });
    }
    Ok(plan)
}

/// Bounds on each county's approved total (per demand of the item).
fn bounds(
    input: &NationalRound,
    item: &ItemInput,
    stock: i64,
    requested: i64,
    policy: Policy,
) -> Result<(Vec<i64>, Vec<i64>)> {
    let totals: Vec<i64> = item.demands.iter().map(|d| d.total).collect();
    let available = stock.min(requested);
    Ok(match policy {
        Policy::Optimal => (vec![0; totals.len()], totals),
        Policy::Proportional => {
            let shares = proportional_shares(available, &totals);
            (shares.clone(), shares)
        }
        Policy::Population => {
            let populations: Vec<i64> = item
                .demands
                .iter()
                .map(|d| input.counties[d.county].population)
                .collect();
            let shares = population_shares(available, &totals, &populations);
            (shares.clone(), shares)
        }
        Policy::MaxMin => (max_min_floors(stock, &totals)?, totals),
    })
}

/// `available` split in proportion to `requests` by the exact largest remainder
/// ([`crate::apportion::largest_remainder`]; ties to the earlier entry). An
/// `available` above `Σ requests` is capped there; every share is at most its request.
///
/// ```
/// use allocnet::process::national_round::proportional_shares;
/// assert_eq!(proportional_shares(10, &[10, 5, 5]), vec![5, 3, 2]);
/// ```
pub fn proportional_shares(available: i64, requests: &[i64]) -> Vec<i64> {
    let weights: Vec<u128> = requests.iter().map(|&r| r.max(0) as u128).collect();
    let total: u128 = weights.iter().sum();
    let a = (available.max(0) as u128).min(total) as i64;
    // Cannot fail: `a >= 0`, and `a > 0` only when some request is positive.
    largest_remainder(a, &weights).unwrap_or_else(|_| vec![0; requests.len()])
}

/// `available` split by population by the exact largest remainder
/// ([`crate::apportion::largest_remainder`]: quotas `left · pᵢ / Σp` over the counties
/// still open, equal remainders to the earlier county in request order), capped at each
/// request; what a cap frees is split again the same way among the counties below
/// their request. When every open county has population 0 (or is negative, which
/// [`run_national_round`] rejects), the rest is split equally by the same rule. Every
/// share is at most its request.
///
/// ```
/// use allocnet::process::national_round::population_shares;
/// // B's population share would be 75, but it only asks for 20.
/// assert_eq!(population_shares(100, &[200, 20], &[1000, 3000]), vec![80, 20]);
/// // Quotas 4/3, 4/3, 1/3: a three-way tie for the last unit, to the earliest county.
/// assert_eq!(population_shares(3, &[5, 2, 2], &[400_000, 400_000, 100_000]), vec![2, 1, 0]);
/// ```
pub fn population_shares(available: i64, requests: &[i64], populations: &[i64]) -> Vec<i64> {
    let n = requests.len();
    let mut shares = vec![0i64; n];
    let requested: i128 = requests.iter().map(|&r| i128::from(r.max(0))).sum();
    let mut left = i128::from(available.max(0)).min(requested) as i64;
    while left > 0 {
        let open: Vec<usize> = (0..n).filter(|&i| shares[i] < requests[i]).collect();
        if open.is_empty() {
            break;
        }
        let mut weights: Vec<u128> = open
            .iter()
            .map(|&i| populations.get(i).copied().unwrap_or(0).max(0) as u128)
            .collect();
        if weights.iter().all(|&w| w == 0) {
            weights = vec![1; open.len()];
        }
        // Cannot fail: `left > 0` and some weight is positive.
        let Ok(split) = largest_remainder(left, &weights) else {
            break;
        };
        for (j, &i) in open.iter().enumerate() {
            let give = split[j].min(requests[i] - shares[i]);
            shares[i] += give;
            left -= give;
        }
    }
    shares
}

/// The max-min fraction `t*` by LP (maximise t with x_c >= t·request_c, x_c <=
/// request_c, Σ x_c <= stock), checked against its closed form, and the integral floors
/// `floor(t*·request_c)`.
fn max_min_floors(stock: i64, requests: &[i64]) -> Result<Vec<i64>> {
    if requests.is_empty() {
        return Ok(Vec::new());
    }
    let mut lp = LinearProgram::new();
    let t = lp.add_variable("t", 0.0, 1.0, -1.0);
    let xs: Vec<_> = requests
        .iter()
        .enumerate()
        .map(|(i, &r)| lp.add_variable(format!("x{i}"), 0.0, r as f64, 0.0))
        .collect();
    for (i, (&x, &r)) in xs.iter().zip(requests).enumerate() {
        lp.add_row(format!("fair{i}"), 0.0, f64::INFINITY, [(x, 1.0), (t, -(r as f64))]);
    }
    lp.add_row("stock", f64::NEG_INFINITY, stock as f64, xs.iter().map(|&x| (x, 1.0)));
    let solution = lp.solve()?;
    if solution.status != LpStatus::Optimal {
        return Err(Error::Solver(format!(
            "max-min LP: {:?} (expected optimal)",
            solution.status
        )));
    }
    let t_star = solution.value(t);
    let total: i64 = requests.iter().sum();
    let expected = (stock as f64 / total as f64).min(1.0);
    if !(t_star - expected).abs().le(&1e-7) {
        return Err(Error::Solver(format!(
            "max-min LP gave t = {t_star}, expected {expected}"
        )));
    }
    // Exact floors of expected·r = stock·r/total (or r when stock >= total).
    let floors: Vec<i64> = requests
        .iter()
        .map(|&r| {
            if stock >= total {
                r
            } else {
                (i128::from(stock) * i128::from(r) / i128::from(total)) as i64
            }
        })
        .collect();
    Ok(floors)
}

struct ItemFlows {
    /// Per demand, per class.
    served: Vec<Vec<i64>>,
    /// Per warehouse, per demand.
    shipped: Vec<Vec<i64>>,
}

/// The lexicographic network of one item: warehouses → county gates `[low, high]` →
/// county → class nodes (capacity = request of the class) → sink; unused stock goes
/// warehouse → sink. Class by class (highest first) the served total is maximised and
/// fixed, then the national leg's unit·km is minimised.
fn solve_item(item: &ItemInput, tp_km: &[Vec<i64>], low: &[i64], high: &[i64], k: usize) -> Result<ItemFlows> {
    let w = item.stock.len();
    let m = item.demands.len();
    let stock: i64 = item.stock.iter().sum();
    if m == 0 {
        return Ok(ItemFlows {
            served: Vec::new(),
            shipped: vec![Vec::new(); w],
        });
    }
    // Node layout.
    let gate = |d: usize| (w + d) as u32;
    let county = |d: usize| (w + m + d) as u32;
    let class = |c: usize| (w + 2 * m + c) as u32;
    let sink = (w + 2 * m + k) as u32;
    let mut net = Network::with_nodes(w + 2 * m + k + 1);
    for (wi, &s) in item.stock.iter().enumerate() {
        net.set_supply(wi as u32, s)?;
    }
    net.set_supply(sink, -stock)?;
    let mut ship_arcs = vec![vec![0u32; m]; w];
    for (wi, row) in ship_arcs.iter_mut().enumerate() {
        for (d, slot) in row.iter_mut().enumerate() {
            *slot = net.add_arc(wi as u32, gate(d), INFINITE, 0).index() as u32;
        }
        net.add_arc(wi as u32, sink, INFINITE, 0);
    }
    for d in 0..m {
        net.add_arc_with_bounds(gate(d), county(d), low[d], high[d], 0);
    }
    let mut class_arcs = vec![vec![0u32; k]; m];
    for (d, demand) in item.demands.iter().enumerate() {
        for (c, slot) in class_arcs[d].iter_mut().enumerate() {
            *slot = net.add_arc(county(d), class(c), demand.by_class[c], 0).index() as u32;
        }
    }
    let level_arcs: Vec<u32> = (0..k)
        .map(|c| net.add_arc(class(c), sink, INFINITE, 0).index() as u32)
        .collect();
    let mut flows = Vec::new();
    for c in 0..=k {
        if let Some(&arc) = level_arcs.get(c) {
            net.set_cost(arc, -1)?;
        } else {
            for (wi, row) in ship_arcs.iter().enumerate() {
                for (d, &a) in row.iter().enumerate() {
                    net.set_cost(a, tp_km[wi][item.demands[d].county])?;
                }
            }
        }
        let solution = flow::solve(&net)?;
        if solution.status != Status::Optimal {
            return Err(Error::Solver(format!(
                "national round, item '{}': flow {} at level {c} (expected optimal)",
                item.id,
                solution.status.as_str()
            )));
        }
        let violations = verify_solution(&net, &solution);
        if !violations.is_empty() {
            return Err(Error::Solver(format!(
                "national round, item '{}': solution not certified at level {c}: {:?}",
                item.id,
                violations.first()
            )));
        }
        if let Some(&arc) = level_arcs.get(c) {
            let served = solution.flows[arc as usize];
            net.set_cost(arc, 0)?;
            net.set_bounds(arc, served, served)?;
        }
        flows = solution.flows;
    }
    let served = (0..m)
        .map(|d| (0..k).map(|c| flows[class_arcs[d][c] as usize]).collect())
        .collect();
    let shipped = ship_arcs
        .iter()
        .map(|row| row.iter().map(|&a| flows[a as usize]).collect())
        .collect();
    Ok(ItemFlows { served, shipped })
}

/// Distributes a county's approved quantities (per class) from its transshipment
/// point: highest class first, nearest site first (ties: request order).
fn last_mile(
    input: &NationalRound,
    depot: &CountyDepot,
    item: &str,
    demand: &Demand,
    approved: &[i64],
) -> (Vec<Shipment>, Vec<NationalUnmet>, i128) {
    let tp = &depot.transshipment;
    let mut order: Vec<(i64, usize)> = demand
        .lines
        .iter()
        .enumerate()
        .map(|(li, (site, _))| (km_tenths(tp, &input.sites[*site], input.detour_factor), li))
        .collect();
    order.sort();
    let mut given = vec![0i64; demand.lines.len()];
    let mut unmet = Vec::new();
    for (c, &left_start) in approved.iter().enumerate() {
        let mut left = left_start;
        for &(_, li) in &order {
            let need = demand.lines[li].1[c];
            let give = need.min(left);
            left -= give;
            given[li] += give;
            if need > give {
                let site = &input.sites[demand.lines[li].0];
                unmet.push((
                    li,
                    NationalUnmet {
                        county: depot.county.clone(),
                        site: site.id.clone(),
                        item: item.to_string(),
                        priority: input.priority_classes[c].clone(),
                        requested: need,
                        unmet: need - give,
                    },
                ));
            }
        }
    }
    unmet.sort_by_key(|(li, _)| *li); // site order, then class order (stable)
    let mut hm: i128 = 0;
    let mut shipments = Vec::new();
    for (li, &q) in given.iter().enumerate() {
        if q > 0 {
            let site = &input.sites[demand.lines[li].0];
            let tenths = km_tenths(tp, site, input.detour_factor);
            hm += i128::from(q) * i128::from(tenths);
            shipments.push(Shipment {
                from: tp.id.clone(),
                to: site.id.clone(),
                item: item.to_string(),
                quantity: q,
                km: tenths as f64 / KM_SCALE as f64,
            });
        }
    }
    (shipments, unmet.into_iter().map(|(_, u)| u).collect(), hm)
}

/// The default depots of the counties that have sites in `scenario`: the transshipment
/// point is the scenario's [`SiteKind::TransshipmentPoint`](crate::model::SiteKind::TransshipmentPoint) site of the county if it has
/// one, else a point at the county seat (`data/sweden_counties.csv`, id `tp-<code>`);
/// population from that file (0 for a county not in it).
///
/// An error names a county that has neither a transshipment point nor a row in the file.
pub fn default_depots(scenario: &crate::model::Scenario) -> Result<Vec<CountyDepot>> {
    use crate::model::SiteKind;
    let reference = crate::model::sweden::counties()?;
    let mut out: Vec<CountyDepot> = Vec::new();
    for site in &scenario.sites {
        if site.kind == SiteKind::NationalWarehouse || out.iter().any(|d| d.county == site.county) {
            continue;
        }
        let row = reference.iter().find(|c| c.county_code == site.county);
        let own_tp = scenario
            .sites
            .iter()
            .find(|s| s.kind == SiteKind::TransshipmentPoint && s.county == site.county);
        let transshipment = match (own_tp, row) {
            (Some(tp), _) => tp.clone(),
            (None, Some(c)) => Site {
                id: format!("tp-{}", c.county_code),
                name: format!("Transshipment point {} (county seat)", c.seat),
                kind: SiteKind::TransshipmentPoint,
                county: c.county_code.clone(),
                lat: c.seat_latitude,
                lon: c.seat_longitude,
                hub: false,
            },
            (None, None) => {
                return Err(Error::invalid(
                    format!("sites: county '{}'", site.county),
                    "has no transshipment-point site and is not a county of data/sweden_counties.csv",
                ))
            }
        };
        out.push(CountyDepot {
            county: site.county.clone(),
            name: row.map_or_else(|| site.county.clone(), |c| c.county_name.clone()),
            population: row.map_or(0, |c| i64::try_from(c.population).unwrap_or(i64::MAX)),
            transshipment,
        });
    }
    Ok(out)
}
