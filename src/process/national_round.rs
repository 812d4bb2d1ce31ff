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

use super::plan::{CountyRequest, Shipment};
use crate::error::{Error, InvalidValue, Result};
use crate::flow::{self, verify_solution, Network, Status, INFINITE};
use crate::lp::{LinearProgram, LpStatus};
use crate::model::{haversine_km, split_by_weights, Site, KM_SCALE};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

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

impl Policy {
    /// All policies, in declaration order.
    pub const ALL: [Policy; 4] = [
        Policy::Optimal,
        Policy::Proportional,
        Policy::MaxMin,
        Policy::Population,
    ];

    /// The name used in JSON and on the command line (`optimal`, `proportional`,
    /// `max-min`, `population`).
    pub fn as_str(self) -> &'static str {
        match self {
            Policy::Optimal => "optimal",
            Policy::Proportional => "proportional",
            Policy::MaxMin => "max-min",
            Policy::Population => "population",
        }
    }

    /// Parses the name used in JSON and on the command line.
    pub fn parse(text: &str) -> Option<Policy> {
        Policy::ALL.into_iter().find(|p| p.as_str() == text)
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
    /// Population (for [`Policy::Population`]).
    pub population: u64,
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

fn km_tenths(a: &Site, b: &Site, detour: f64) -> i64 {
    let km = haversine_km(a.lat, a.lon, b.lat, b.lon) * detour;
    (km * KM_SCALE as f64).round() as i64
}

/// One county's request for one item, checked.
struct Demand {
    county: usize,
    /// Per priority class.
    by_class: Vec<i64>,
    total: i64,
    /// (site index into `NationalRound::sites`, per-class quantities)
    lines: Vec<(usize, Vec<i64>)>,
}

struct ItemInput {
    id: String,
    /// Per warehouse.
    stock: Vec<i64>,
    demands: Vec<Demand>,
}

struct Checked {
    items: Vec<ItemInput>,
    tp_km: Vec<Vec<i64>>,
}

fn check_site(site: &Site, path: &str, errors: &mut Vec<InvalidValue>) {
    if !(-90.0..=90.0).contains(&site.lat) {
        errors.push(InvalidValue::new(
            format!("{path}.lat"),
            format!("must be in [-90, 90], got {}", site.lat),
        ));
    }
    if !(-180.0..=180.0).contains(&site.lon) {
        errors.push(InvalidValue::new(
            format!("{path}.lon"),
            format!("must be in [-180, 180], got {}", site.lon),
        ));
    }
}

fn check(input: &NationalRound) -> Result<Checked> {
    let mut errors = Vec::new();
    if !(input.detour_factor.is_finite() && input.detour_factor >= 1.0) {
        errors.push(InvalidValue::new(
            "detour_factor",
            format!("must be a finite number >= 1, got {}", input.detour_factor),
        ));
    }
    let counties: HashMap<&str, usize> = input
        .counties
        .iter()
        .enumerate()
        .map(|(i, c)| (c.county.as_str(), i))
        .collect();
    if counties.len() != input.counties.len() {
        errors.push(InvalidValue::new("counties", "county codes must be unique"));
    }
    for (i, c) in input.counties.iter().enumerate() {
        check_site(&c.transshipment, &format!("counties[{i}].transshipment"), &mut errors);
    }
    let classes: HashMap<&str, usize> = input
        .priority_classes
        .iter()
        .enumerate()
        .map(|(i, c)| (c.as_str(), i))
        .collect();
    let k = input.priority_classes.len();
    let sites: HashMap<&str, usize> = input
        .sites
        .iter()
        .enumerate()
        .map(|(i, s)| (s.id.as_str(), i))
        .collect();
    for (i, s) in input.sites.iter().enumerate() {
        check_site(s, &format!("sites[{i}]"), &mut errors);
    }
    let mut items: Vec<ItemInput> = Vec::new();
    let mut item_index: HashMap<String, usize> = HashMap::new();
    let w = input.warehouses.len();
    let mut item_slot = |id: &str, items: &mut Vec<ItemInput>| -> usize {
        *item_index.entry(id.to_string()).or_insert_with(|| {
            items.push(ItemInput {
                id: id.to_string(),
                stock: vec![0; w],
                demands: Vec::new(),
            });
            items.len() - 1
        })
    };
    for (wi, wh) in input.warehouses.iter().enumerate() {
        check_site(&wh.site, &format!("warehouses[{wi}].site"), &mut errors);
        for (si, s) in wh.stock.iter().enumerate() {
            let path = format!("warehouses[{wi}].stock[{si}].quantity");
            if s.quantity < 0 {
                errors.push(InvalidValue::new(path, format!("must be >= 0, got {}", s.quantity)));
                continue;
            }
            let it = item_slot(&s.item, &mut items);
            match items[it].stock[wi].checked_add(s.quantity) {
                Some(q) => items[it].stock[wi] = q,
                None => return Err(overflow(&path)),
            }
        }
    }
    for (ri, req) in input.requests.iter().enumerate() {
        let Some(&county) = counties.get(req.county.as_str()) else {
            errors.push(InvalidValue::new(
                format!("requests[{ri}].county"),
                format!("unknown county '{}' (not in counties)", req.county),
            ));
            continue;
        };
        for (ii, ri_item) in req.items.iter().enumerate() {
            let it = item_slot(&ri_item.item, &mut items);
            let mut demand = Demand {
                county,
                by_class: vec![0; k],
                total: 0,
                lines: Vec::new(),
            };
            for (li, line) in ri_item.sites.iter().enumerate() {
                let path = format!("requests[{ri}].items[{ii}].sites[{li}]");
                let Some(&site) = sites.get(line.site.as_str()) else {
                    errors.push(InvalidValue::new(
                        format!("{path}.site"),
                        format!("unknown site '{}'", line.site),
                    ));
                    continue;
                };
                let mut per_class = vec![0i64; k];
                let mut sum: i64 = 0;
                for (class, q) in &line.by_priority {
                    let Some(&c) = classes.get(class.as_str()) else {
                        errors.push(InvalidValue::new(
                            format!("{path}.by_priority"),
                            format!("unknown priority class '{class}'"),
                        ));
                        continue;
                    };
                    if *q < 0 {
                        errors.push(InvalidValue::new(
                            format!("{path}.by_priority"),
                            format!("must be >= 0, got {q}"),
                        ));
                        continue;
                    }
                    per_class[c] = per_class[c].checked_add(*q).ok_or_else(|| overflow(&path))?;
                    sum = sum.checked_add(*q).ok_or_else(|| overflow(&path))?;
                }
                if sum != line.quantity {
                    errors.push(InvalidValue::new(
                        format!("{path}.quantity"),
                        format!("must equal the sum of by_priority ({sum}), got {}", line.quantity),
                    ));
                }
                for (total, &q) in demand.by_class.iter_mut().zip(&per_class) {
                    *total = total.checked_add(q).ok_or_else(|| overflow(&path))?;
                }
                demand.total = demand.total.checked_add(sum).ok_or_else(|| overflow(&path))?;
                demand.lines.push((site, per_class));
            }
            if items[it].demands.iter().any(|d| d.county == county) {
                errors.push(InvalidValue::new(
                    format!("requests[{ri}].items[{ii}]"),
                    format!("county '{}' requests item '{}' twice", req.county, ri_item.item),
                ));
                continue;
            }
            if demand.total > 0 {
                items[it].demands.push(demand);
            }
        }
    }
    if !errors.is_empty() {
        return Err(Error::Invalid(errors));
    }
    for item in &items {
        item.stock
            .iter()
            .try_fold(0i64, |a, &b| a.checked_add(b))
            .ok_or_else(|| overflow("national stock of an item"))?;
        item.demands
            .iter()
            .try_fold(0i64, |a, d| a.checked_add(d.total))
            .ok_or_else(|| overflow("requested total of an item"))?;
    }
    let tp_km = input
        .warehouses
        .iter()
        .map(|wh| {
            input
                .counties
                .iter()
                .map(|c| km_tenths(&wh.site, &c.transshipment, input.detour_factor))
                .collect()
        })
        .collect();
    Ok(Checked { items, tp_km })
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
            let populations: Vec<u64> = item
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

/// `available` split in proportion to `requests` (largest remainder, exact integer
/// arithmetic; ties to the earlier entry). Needs `available <= Σ requests`; every share
/// is at most its request.
///
/// ```
/// use allocnet::process::national_round::proportional_shares;
/// assert_eq!(proportional_shares(10, &[10, 5, 5]), vec![5, 3, 2]);
/// ```
pub fn proportional_shares(available: i64, requests: &[i64]) -> Vec<i64> {
    let total: i128 = requests.iter().map(|&r| i128::from(r)).sum();
    if total <= 0 || available <= 0 {
        return vec![0; requests.len()];
    }
    let a = i128::from(available.min(i64::try_from(total).unwrap_or(i64::MAX)));
    let mut shares: Vec<i64> = Vec::with_capacity(requests.len());
    let mut remainders: Vec<(i128, usize)> = Vec::with_capacity(requests.len());
    for (i, &r) in requests.iter().enumerate() {
        let num = a * i128::from(r);
        shares.push((num / total) as i64);
        remainders.push((num % total, i));
    }
    let mut left = a - shares.iter().map(|&s| i128::from(s)).sum::<i128>();
    remainders.sort_by(|x, y| y.0.cmp(&x.0).then(x.1.cmp(&y.1)));
    for &(rem, i) in &remainders {
        if left == 0 || rem == 0 {
            break;
        }
        shares[i] += 1;
        left -= 1;
    }
    shares
}

/// `available` split by population (largest remainder), capped at each request; what
/// a cap frees is split again among the others. Every share is at most its request.
///
/// ```
/// use allocnet::process::national_round::population_shares;
/// // B's population share would be 75, but it only asks for 20.
/// assert_eq!(population_shares(100, &[200, 20], &[1000, 3000]), vec![80, 20]);
/// ```
pub fn population_shares(available: i64, requests: &[i64], populations: &[u64]) -> Vec<i64> {
    let n = requests.len();
    let mut shares = vec![0i64; n];
    let mut left = available.min(requests.iter().sum());
    while left > 0 {
        let open: Vec<usize> = (0..n).filter(|&i| shares[i] < requests[i]).collect();
        if open.is_empty() {
            break;
        }
        let mut weights: Vec<f64> = open
            .iter()
            .map(|&i| populations.get(i).copied().unwrap_or(0) as f64)
            .collect();
        if weights.iter().all(|&w| w <= 0.0) {
            weights = vec![1.0; open.len()];
        }
        let split = split_by_weights(left, &weights);
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
            population: row.map_or(0, |c| c.population),
            transshipment,
        });
    }
    Ok(out)
}
