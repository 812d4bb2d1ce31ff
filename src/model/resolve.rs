//! From a checked [`Scenario`] to the numbers the round works with: per site and item
//! the needs by class, the giveable stock, and the lanes with integer distances.

use super::distance::haversine_km;
use super::needs::{ceil_units, need_units, shortfall_requirement, split_by_weights, NeedUnits};
use super::scenario::{NeedSplit, PriorityClass, Scenario, SiteKind, SiteStatus};
use super::validate::{check, JsonPaths, Locator, Place, Problems};
use crate::apportion::decimal_weights;
use crate::error::{Error, Result};
use crate::limits::{compact, memory_problem};
use rustc_hash::FxHashMap as HashMap;
use std::borrow::Cow;
use std::sync::Arc;

/// Distances are integers in units of 1/`KM_SCALE` km (0.1 km) inside the round: a
/// lane's cost is `round(km × 10)`. Reported km are these integers ÷ 10.
pub const KM_SCALE: i64 = 10;

/// What one site holds and needs of one item, derived from its status report.
///
/// Signs: every quantity is `>= 0`, in the item's unit.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Profile {
    /// Whether the site reported a status for the item (otherwise all zero).
    pub reported: bool,
    /// Stock on hand before the round.
    pub stock: i64,
    /// Acute need (shortfall within the acute window) per priority class, in class order.
    pub acute: Vec<i64>,
    /// Planning need (shortfall within the horizon, including the acute need) per class.
    pub planning: Vec<i64>,
    /// Weights that split a shortfall created in the round over the classes (the
    /// site's shares, its one class, or its explicit planning quantities).
    pub class_weights: Vec<f64>,
    /// Stock the site keeps if it donates: its acute-window requirement plus its
    /// reserve days of consumption (rounded up).
    pub keep: i64,
    /// Stock it may give: `stock − keep` if positive and the site has no acute need,
    /// else 0.
    pub giveable: i64,
    /// Part of `giveable` the site itself would use within the horizon (giving it away
    /// creates planning need at home).
    pub own_use: i64,
    /// Stock held as reserve: between the acute-window requirement and `keep`.
    pub reserve_units: i64,
}

impl Profile {
    /// Total acute need.
    pub fn acute_total(&self) -> i64 {
        self.acute.iter().sum()
    }

    /// Total planning need (includes the acute need).
    pub fn planning_total(&self) -> i64 {
        self.planning.iter().sum()
    }

    /// Planning need beyond the acute need, summed over classes.
    pub fn planning_extra(&self) -> i64 {
        self.planning_total() - self.acute_total()
    }
}

/// A lane with site indices and its distance.
#[derive(Clone, Debug, PartialEq)]
pub struct ResolvedLane {
    /// Shipping site index.
    pub from: usize,
    /// Receiving site index.
    pub to: usize,
    /// Distance in units of 0.1 km ([`KM_SCALE`]).
    pub cost: i64,
    /// Most units of each item; `None` = no limit.
    pub capacity: Option<i64>,
}

impl ResolvedLane {
    /// Distance in km (0.1 km resolution).
    pub fn km(&self) -> f64 {
        self.cost as f64 / KM_SCALE as f64
    }
}

/// A checked scenario with its derived numbers. Built by [`Scenario::resolve`].
#[derive(Clone, Debug)]
pub struct ResolvedScenario {
    /// The input (shared: a caller that keeps the scenario needs no copy).
    pub scenario: Arc<Scenario>,
    /// Priority classes in force, highest first.
    pub classes: Vec<PriorityClass>,
    /// Acute window in days.
    pub acute_window_days: f64,
    /// Horizon in days.
    pub horizon_days: f64,
    /// The lanes, in input order (default lanes: by shipping site, then receiving site).
    pub lanes: Vec<ResolvedLane>,
    profiles: Vec<Profile>,
}

impl ResolvedScenario {
    /// Number of sites.
    pub fn site_count(&self) -> usize {
        self.scenario.sites.len()
    }

    /// Number of items.
    pub fn item_count(&self) -> usize {
        self.scenario.items.len()
    }

    /// The profile of site `site` and item `item` (indices into the scenario's lists).
    ///
    /// # Panics
    /// If an index is out of range.
    pub fn profile(&self, site: usize, item: usize) -> &Profile {
        &self.profiles[item * self.site_count() + site]
    }

    /// The profiles of all sites for `item`, in site order.
    pub fn item_profiles(&self, item: usize) -> &[Profile] {
        let n = self.site_count();
        &self.profiles[item * n..(item + 1) * n]
    }

    /// Every profile (item-major: `item * sites + site`), to overwrite in place: the
    /// sweep's compiled county base writes a drawn scenario's profiles here.
    pub(crate) fn profiles_mut(&mut self) -> &mut [Profile] {
        &mut self.profiles
    }
}

impl Scenario {
    /// Checks every value and derives needs, giveable stock and lane distances.
    /// All problems are reported at once, with JSON-style paths (`status[12].stock`).
    pub fn resolve(&self) -> Result<ResolvedScenario> {
        resolve_with(Cow::Borrowed(self), &JsonPaths)
    }

    /// [`Scenario::resolve`] on an owned scenario: it moves into the result (no copy).
    pub(crate) fn into_resolved(self) -> Result<ResolvedScenario> {
        resolve_with(Cow::Owned(self), &JsonPaths)
    }

    /// Only the checks of [`Scenario::resolve`].
    pub fn validate(&self) -> Result<()> {
        self.resolve().map(|_| ())
    }
}

/// Checks and derives; an owned `scenario` moves into the result (no copy).
pub(crate) fn resolve_with(input: Cow<'_, Scenario>, locator: &dyn Locator) -> Result<ResolvedScenario> {
    let scenario: &Scenario = &input;
    let mut p = Problems::new(locator);
    let idx = check(scenario, &mut p);
    if !p.list.is_empty() {
        return Err(Error::Invalid(p.list));
    }
    let par = &scenario.parameters;
    let classes = scenario.classes();
    let default_class = match &par.default_priority {
        Some(d) => idx.classes.get(d.as_str()).copied().unwrap_or(classes.len() - 1),
        None => classes.len() - 1,
    };
    let acute_days = par.acute_window_hours / 24.0;
    let (n, m) = (scenario.sites.len(), scenario.items.len());
    let empty = Profile {
        acute: vec![0; classes.len()],
        planning: vec![0; classes.len()],
        class_weights: one_hot(classes.len(), default_class),
        ..Profile::default()
    };
    let mut profiles = vec![empty; n * m];
    for (i, st) in scenario.status.iter().enumerate() {
        let (Some(&s), Some(&it)) = (idx.sites.get(st.site.as_str()), idx.items.get(st.item.as_str())) else {
            continue;
        };
        let mut deliveries = st.deliveries.clone();
        deliveries.sort_by(|a, b| a.day.total_cmp(&b.day));
        let reserve = st.reserve_days.unwrap_or(par.reserve_days);
        let days = Days {
            acute_hours: par.acute_window_hours,
            horizon: par.horizon_days,
            reserve,
        };
        let class_index = ClassIndex {
            ids: &idx.classes,
            default: default_class,
            count: classes.len(),
        };
        if let Some(profile) = derive(&mut p, i, st, &deliveries, &days, &class_index) {
            profiles[it * n + s] = profile;
        }
    }
    for it in 0..m {
        let total = profiles[it * n..(it + 1) * n]
            .iter()
            .try_fold(0i64, |acc, pr| acc.checked_add(pr.giveable));
        if total.is_none() {
            giveable_overflow(scenario, &idx, &profiles[it * n..(it + 1) * n], it, &mut p);
        } else {
            item_total_overflow(scenario, &idx, &profiles[it * n..(it + 1) * n], it, &mut p);
        }
    }
    let lanes = resolve_lanes(scenario, &idx.sites, &mut p);
    if !p.list.is_empty() {
        return Err(Error::Invalid(p.list));
    }
    let horizon_days = par.horizon_days;
    Ok(ResolvedScenario {
        scenario: Arc::new(input.into_owned()),
        classes,
        acute_window_days: acute_days,
        horizon_days,
        lanes,
        profiles,
    })
}

/// The most units of one item (stock plus planning need, over all sites) a round
/// computes with: a quarter of `i64::MAX`, so supplies plus lane capacities and the
/// flows on them stay within `i64`.
pub const MAX_ITEM_UNITS: i64 = i64::MAX / 4;

/// Records that item `it`'s stock plus planning needs over all sites exceed
/// [`MAX_ITEM_UNITS`], at the status row with the largest value (its `stock`,
/// `planning_need` or `acute_need`, whichever is largest and given).
fn item_total_overflow(
    scenario: &Scenario,
    idx: &super::validate::Indexes<'_>,
    profiles: &[Profile],
    it: usize,
    p: &mut Problems<'_>,
) {
    let units = |pr: &Profile| i128::from(pr.stock) + pr.planning.iter().map(|&q| i128::from(q)).sum::<i128>();
    let total: i128 = profiles.iter().map(units).sum();
    if total <= i128::from(MAX_ITEM_UNITS) {
        return;
    }
    let item = &scenario.items[it].id;
    let largest = profiles
        .iter()
        .enumerate()
        .max_by_key(|(_, pr)| units(pr))
        .map_or(0, |(s, _)| s);
    let row = scenario
        .status
        .iter()
        .position(|st| st.item == *item && idx.sites.get(st.site.as_str()) == Some(&largest));
    let place = match row.map(|r| (r, &scenario.status[r])) {
        Some((r, st)) if st.planning_need.is_some_and(|q| q > st.stock) => Place::Row("status", r, "planning_need"),
        Some((r, st)) if st.acute_need.is_some_and(|q| q > st.stock) => Place::Row("status", r, "acute_need"),
        Some((r, _)) => Place::Row("status", r, "stock"),
        None => Place::Table("status"),
    };
    p.push(
        place,
        format!(
            "item '{item}': stock plus planning need over all sites is {total} units, above the {MAX_ITEM_UNITS} a round computes with (this row's is the largest)"
        ),
    );
}

/// Records that item `it`'s giveable stock sums beyond `i64`, at the status row of
/// the site with the largest giveable stock.
fn giveable_overflow(
    scenario: &Scenario,
    idx: &super::validate::Indexes<'_>,
    profiles: &[Profile],
    it: usize,
    p: &mut Problems<'_>,
) {
    let item = &scenario.items[it].id;
    let largest = profiles
        .iter()
        .enumerate()
        .max_by_key(|(_, pr)| pr.giveable)
        .map_or(0, |(s, _)| s);
    let row = scenario
        .status
        .iter()
        .position(|st| st.item == *item && idx.sites.get(st.site.as_str()) == Some(&largest));
    let place = row.map_or(Place::Table("status"), |r| Place::Row("status", r, "stock"));
    p.push(
        place,
        format!("item '{item}': the stock the sites could give sums beyond the i64 range (this row's is the largest)"),
    );
}

fn one_hot(len: usize, at: usize) -> Vec<f64> {
    (0..len).map(|k| if k == at { 1.0 } else { 0.0 }).collect()
}

/// The days a status row's needs are derived over.
struct Days {
    /// The acute window (hours).
    acute_hours: f64,
    /// The planning horizon (days).
    horizon: f64,
    /// The reserve kept when giving (days of consumption: the row's, else the round's).
    reserve: f64,
}

/// The priority classes by id, the default class and their count.
struct ClassIndex<'a> {
    ids: &'a HashMap<String, usize>,
    default: usize,
    count: usize,
}

/// A status row's needs per class, the weights that split a new shortfall over the
/// classes, and the totals.
struct ClassNeeds {
    acute: Vec<i64>,
    planning: Vec<i64>,
    weights: Vec<f64>,
    acute_total: i64,
    planning_total: i64,
}

/// The [`Profile`] of status row `i` (`st`, its deliveries sorted by day); `None`
/// with the problem recorded when a need does not fit in whole units or `i64`.
fn derive(
    p: &mut Problems<'_>,
    i: usize,
    st: &SiteStatus,
    deliveries: &[super::scenario::Delivery],
    days: &Days,
    classes: &ClassIndex<'_>,
) -> Option<Profile> {
    let units = units_or_problem(p, i, st, deliveries, days)?;
    let (ma, mh, keep) = (units.acute, units.horizon, units.keep);
    let s = st.stock;
    let needs = match &st.split {
        Some(NeedSplit::Quantities(rows)) => class_quantities(p, i, rows, classes)?,
        other => split_needs(p, i, st, other.as_ref(), ((ma - s).max(0), (mh - s).max(0)), classes)?,
    };
    let (acute, planning) = (needs.acute_total, needs.planning_total);
    let giveable = if acute > 0 { 0 } else { (s - keep).max(0) };
    let Some(planning_level) = (if planning > 0 {
        s.checked_add(planning)
    } else {
        Some(mh.min(s))
    }) else {
        p.push(
            Place::Row("status", i, "planning_need"),
            "stock + planning need exceeds the i64 range",
        );
        return None;
    };
    let own_use = giveable.min((planning_level - keep).max(0));
    let reserve_units = if acute > 0 { 0 } else { s.min(keep) - s.min(ma) };
    Some(Profile {
        reported: true,
        stock: s,
        acute: needs.acute,
        planning: needs.planning,
        class_weights: needs.weights,
        keep,
        giveable,
        own_use,
        reserve_units,
    })
}

/// The whole units of status row `i`'s requirements (acute window, horizon, keep);
/// `None` with the problem recorded at the field to blame when one is beyond 2^53.
fn units_or_problem(
    p: &mut Problems<'_>,
    i: usize,
    st: &SiteStatus,
    deliveries: &[super::scenario::Delivery],
    days: &Days,
) -> Option<NeedUnits> {
    let c = st.consumption_per_day;
    let units = need_units(c, deliveries, days.acute_hours, days.horizon, days.reserve);
    if units.is_none() {
        let acute_days = days.acute_hours / 24.0;
        let req_acute = shortfall_requirement(c, deliveries, acute_days);
        let req_horizon = shortfall_requirement(c, deliveries, days.horizon);
        let (place, blamed_days) = too_large_need(
            st,
            i,
            c,
            [(req_acute, acute_days), (req_horizon, days.horizon)],
            days.reserve,
        );
        p.push(
            place,
            format!(
                "too large: {} units/day (status[{i}].consumption_per_day) × {} days is beyond whole units (2^53)",
                compact(c),
                compact(blamed_days)
            ),
        );
    }
    units
}

/// The needs of status row `i` without explicit class quantities: the given acute
/// and planning needs, else those `derived` from its status, split over the classes
/// by its shares, its one class or the default class; `None` with the problem
/// recorded when the planning need is below the acute need or the shares do not fit.
fn split_needs(
    p: &mut Problems<'_>,
    i: usize,
    st: &SiteStatus,
    split: Option<&NeedSplit>,
    (derived_acute, derived_planning): (i64, i64),
    classes: &ClassIndex<'_>,
) -> Option<ClassNeeds> {
    let a = st.acute_need.unwrap_or(derived_acute);
    let pl = st.planning_need.unwrap_or(derived_planning);
    if pl < a {
        let (place, what) = if st.planning_need.is_some() {
            (
                Place::Row("status", i, "planning_need"),
                format!("must be >= the acute need ({a}), got {pl}"),
            )
        } else {
            (
                Place::Row("status", i, "acute_need"),
                format!("must be <= the planning need derived from the status ({pl}), got {a}"),
            )
        };
        p.push(place, what);
        return None;
    }
    let weights = split_weights(p, i, split, classes)?;
    let acute = split_by_weights(a, &weights);
    let extra = split_by_weights(pl - a, &weights);
    let planning = acute.iter().zip(&extra).map(|(x, y)| x + y).collect();
    Some(ClassNeeds {
        acute,
        planning,
        weights,
        acute_total: a,
        planning_total: pl,
    })
}

/// The class weights of a shares, one-class or default split (`None` with the
/// problem recorded when the shares' decimals do not share one denominator).
fn split_weights(
    p: &mut Problems<'_>,
    i: usize,
    split: Option<&NeedSplit>,
    classes: &ClassIndex<'_>,
) -> Option<Vec<f64>> {
    Some(match split {
        Some(NeedSplit::Shares(rows)) => {
            let mut w = vec![0.0; classes.count];
            for r in rows {
                w[*classes.ids.get(r.class.as_str())?] = r.share.unwrap_or(0.0);
            }
            if decimal_weights(&w).is_err() {
                p.push(
                    Place::Row("status", i, "split"),
                    "the shares' decimals lie too far apart to share one 128-bit \
                     denominator (e.g. 0.5 and 1e-40): give fewer decimal places",
                );
                return None;
            }
            w
        }
        Some(NeedSplit::Class(cl)) => one_hot(classes.count, *classes.ids.get(cl.as_str())?),
        _ => one_hot(classes.count, classes.default),
    })
}

/// Explicit per-class quantities of status row `i`: per-class acute and planning
/// needs, the class weights (planning, else acute, else the default class), and the
/// totals; `None` (with the problem recorded) when they sum beyond `i64`.
fn class_quantities(
    p: &mut Problems<'_>,
    i: usize,
    rows: &[super::scenario::ClassNeed],
    classes: &ClassIndex<'_>,
) -> Option<ClassNeeds> {
    let mut acute_k = vec![0i64; classes.count];
    let mut planning_k = vec![0i64; classes.count];
    for r in rows {
        let k = *classes.ids.get(r.class.as_str())?;
        let a = r.acute.unwrap_or(0);
        acute_k[k] = a;
        planning_k[k] = r.planning.unwrap_or(a);
    }
    let acute = acute_k.iter().try_fold(0i64, |x, y| x.checked_add(*y));
    let planning = planning_k.iter().try_fold(0i64, |x, y| x.checked_add(*y));
    let (Some(acute), Some(planning)) = (acute, planning) else {
        p.push(
            Place::Row("status", i, "split"),
            "the class quantities sum beyond the i64 range",
        );
        return None;
    };
    let weights = if planning_k.iter().any(|&q| q > 0) {
        planning_k.iter().map(|&q| q as f64).collect()
    } else if acute_k.iter().any(|&q| q > 0) {
        acute_k.iter().map(|&q| q as f64).collect()
    } else {
        one_hot(classes.count, classes.default)
    };
    Some(ClassNeeds {
        acute: acute_k,
        planning: planning_k,
        weights,
        acute_total: acute,
        planning_total: planning,
    })
}

/// The field to blame when a derived need does not fit in whole units: the
/// consumption itself when one day of it is already too large, otherwise the days that
/// multiply it — the acute window, the horizon, or the reserve (the row's own or the
/// round's). Returns the place and the days.
fn too_large_need(
    st: &SiteStatus,
    i: usize,
    c: f64,
    windows: [(f64, f64); 2],
    reserve_days: f64,
) -> (Place<'static>, f64) {
    if ceil_units(c).is_none() {
        return (Place::Row("status", i, "consumption_per_day"), 1.0);
    }
    let [(req_acute, acute_days), (req_horizon, horizon_days)] = windows;
    if ceil_units(req_acute).is_none() {
        (Place::Param("acute_window_hours"), acute_days)
    } else if ceil_units(req_horizon).is_none() {
        (Place::Param("horizon_days"), horizon_days)
    } else if st.reserve_days.is_some() {
        (Place::Row("status", i, "reserve_days"), reserve_days)
    } else {
        (Place::Param("reserve_days"), reserve_days)
    }
}

fn resolve_lanes(scenario: &Scenario, sites: &HashMap<&str, usize>, p: &mut Problems<'_>) -> Vec<ResolvedLane> {
    // Distance rows by site pair: (km, row).
    let mut matrix: HashMap<(usize, usize), (f64, usize)> = HashMap::default();
    for (row, d) in scenario.distances.iter().enumerate() {
        if let (Some(&a), Some(&b)) = (sites.get(d.from.as_str()), sites.get(d.to.as_str())) {
            matrix.insert((a, b), (d.km, row));
        }
    }
    let detour = scenario.parameters.detour_factor;
    // The distance between two sites and the input field it comes from: a
    // `distances` row, or great-circle × `parameters.detour_factor`.
    let km_between = |a: usize, b: usize| -> (f64, Place<'static>) {
        if let Some(&(km, row)) = matrix.get(&(a, b)).or_else(|| matrix.get(&(b, a))) {
            return (km, Place::Row("distances", row, "km"));
        }
        let (x, y) = (&scenario.sites[a], &scenario.sites[b]);
        (
            haversine_km(x.lat, x.lon, y.lat, y.lon) * detour,
            Place::Param("detour_factor"),
        )
    };
    let mut out = Vec::new();
    let mut push = |from: usize, to: usize, km: f64, capacity: Option<i64>, place: Place<'_>, p: &mut Problems<'_>| {
        let scaled = (km * KM_SCALE as f64).round();
        if !(0.0..=1e15).contains(&scaled) {
            p.push(
                place,
                format!(
                    "distance out of range: {} km (expected 0 to {} km)",
                    compact(km),
                    compact(1e15 / KM_SCALE as f64)
                ),
            );
            return;
        }
        out.push(ResolvedLane {
            from,
            to,
            cost: scaled as i64,
            capacity,
        });
    };
    match &scenario.lanes {
        Some(lanes) => {
            for (i, l) in lanes.iter().enumerate() {
                if let (Some(&a), Some(&b)) = (sites.get(l.from.as_str()), sites.get(l.to.as_str())) {
                    let (km, place) = match l.km {
                        Some(km) => (km, Place::Row("lanes", i, "km")),
                        None => km_between(a, b),
                    };
                    push(a, b, km, l.capacity, place, p);
                }
            }
        }
        None => {
            // Sites per county (ascending), so only pairs within a county are visited.
            let eligible = |s: usize| scenario.sites[s].kind != SiteKind::NationalWarehouse;
            let mut by_county: HashMap<&str, Vec<usize>> = HashMap::default();
            for (s, site) in scenario.sites.iter().enumerate() {
                if eligible(s) {
                    by_county.entry(site.county.as_str()).or_default().push(s);
                }
            }
            if !default_lanes_fit(scenario, &by_county, p) {
                return out;
            }
            for a in 0..scenario.sites.len() {
                if !eligible(a) {
                    continue;
                }
                for &b in by_county
                    .get(scenario.sites[a].county.as_str())
                    .map_or(&[][..], Vec::as_slice)
                {
                    if a != b {
                        let (km, place) = km_between(a, b);
                        push(a, b, km, None, place, p);
                    }
                }
            }
        }
    }
    out
}

/// Bytes per default lane: the resolved lane, and an arc per item in the round's
/// network with its solver arrays.
const DEFAULT_LANE_BYTES: u128 = 32;
/// See [`DEFAULT_LANE_BYTES`].
const LANE_ARC_BYTES_PER_ITEM: u128 = 128;

/// Whether the default lanes (every ordered pair of sites in a county) fit the memory
/// limit ([`crate::limits`]); if not, the problem is recorded at `lanes`, naming the
/// largest county.
fn default_lanes_fit(scenario: &Scenario, by_county: &HashMap<&str, Vec<usize>>, p: &mut Problems<'_>) -> bool {
    let pairs: u128 = by_county
        .values()
        .map(|s| (s.len() as u128) * (s.len() as u128 - 1))
        .sum();
    let bytes = pairs * (DEFAULT_LANE_BYTES + LANE_ARC_BYTES_PER_ITEM * scenario.items.len().max(1) as u128);
    let (county, sites) = by_county
        .iter()
        .max_by_key(|(c, s)| (s.len(), std::cmp::Reverse(**c)))
        .map_or(("", 0), |(c, s)| (*c, s.len()));
    let what = format!(
        "{pairs} default lanes (every pair of sites within a county; county '{county}' has {sites} sites) for {} items",
        scenario.items.len()
    );
    match memory_problem(&what, bytes) {
        Ok(None) => true,
        Ok(Some(message)) => {
            p.push(Place::Table("lanes"), format!("{message}; give explicit lanes"));
            false
        }
        Err(e) => {
            p.push(Place::Table("lanes"), e.to_string());
            false
        }
    }
}
