//! The input check of the national round: every value of a [`NationalRound`] in range,
//! every reference resolved, and the figures that must add up adding up. All problems
//! are collected and returned at once as [`Error::Invalid`], each with its path
//! (`requests[3].items[0].total`).

use super::national_round::{CountyDepot, NationalRound};
use super::plan::{RequestItem, RequestLine};
use crate::error::{Error, InvalidValue, Result};
use crate::model::{haversine_km, Site, KM_SCALE};
use std::collections::HashMap;

/// One county's request for one item, checked.
pub(super) struct Demand {
    /// Index into `NationalRound::counties`.
    pub county: usize,
    /// Requested per priority class.
    pub by_class: Vec<i64>,
    /// Requested in all classes.
    pub total: i64,
    /// Per request line: site index into `NationalRound::sites`, per-class quantities.
    pub lines: Vec<(usize, Vec<i64>)>,
}

/// One item: its stock per warehouse and the counties' demands (request order).
pub(super) struct ItemInput {
    pub id: String,
    /// Per warehouse.
    pub stock: Vec<i64>,
    pub demands: Vec<Demand>,
}

/// The checked input: items (first seen in the warehouses, then in the requests) and
/// the national leg's distances per warehouse and county, in 0.1 km.
pub(super) struct Checked {
    pub items: Vec<ItemInput>,
    pub tp_km: Vec<Vec<i64>>,
}

/// Great-circle distance × detour, in whole 0.1 km (rounded half away from zero).
pub(super) fn km_tenths(a: &Site, b: &Site, detour: f64) -> i64 {
    let km = haversine_km(a.lat, a.lon, b.lat, b.lon) * detour;
    (km * KM_SCALE as f64).round() as i64
}

fn overflow(what: &str) -> Error {
    Error::Overflow(what.to_string())
}

/// Indices of the input's lists by id, and the problems found so far.
struct Ctx<'a> {
    input: &'a NationalRound,
    errors: Vec<InvalidValue>,
    counties: HashMap<&'a str, usize>,
    classes: HashMap<&'a str, usize>,
    sites: HashMap<&'a str, usize>,
    items: Vec<ItemInput>,
    item_index: HashMap<String, usize>,
}

impl Ctx<'_> {
    fn push(&mut self, path: impl Into<String>, message: impl Into<String>) {
        self.errors.push(InvalidValue::new(path, message));
    }

    /// The slot of item `id`, created on first sight.
    fn item_slot(&mut self, id: &str) -> usize {
        if let Some(&i) = self.item_index.get(id) {
            return i;
        }
        self.items.push(ItemInput {
            id: id.to_string(),
            stock: vec![0; self.input.warehouses.len()],
            demands: Vec::new(),
        });
        self.item_index.insert(id.to_string(), self.items.len() - 1);
        self.items.len() - 1
    }
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

/// Map of `ids` to their first index; every later repeat is a problem at
/// `{list}[i]{field}`.
fn unique_ids<'a>(
    ids: impl Iterator<Item = &'a str>,
    list: &str,
    field: &str,
    what: &str,
    errors: &mut Vec<InvalidValue>,
) -> HashMap<&'a str, usize> {
    let mut map = HashMap::new();
    for (i, id) in ids.enumerate() {
        if let Some(&first) = map.get(id) {
            errors.push(InvalidValue::new(
                format!("{list}[{i}]{field}"),
                format!("duplicate {what} '{id}' (also {list}[{first}])"),
            ));
        } else {
            map.insert(id, i);
        }
    }
    map
}

/// Checks the whole input; see the module documentation.
pub(super) fn check(input: &NationalRound) -> Result<Checked> {
    let mut errors = Vec::new();
    if !(input.detour_factor.is_finite() && input.detour_factor >= 1.0) {
        errors.push(InvalidValue::new(
            "detour_factor",
            format!("must be a finite number >= 1, got {}", input.detour_factor),
        ));
    }
    let (counties, sites) = check_places(input, &mut errors);
    let classes = input
        .priority_classes
        .iter()
        .enumerate()
        .map(|(i, c)| (c.as_str(), i))
        .collect();
    let mut ctx = Ctx {
        input,
        errors,
        counties,
        classes,
        sites,
        items: Vec::new(),
        item_index: HashMap::new(),
    };
    check_warehouses(&mut ctx)?;
    for ri in 0..input.requests.len() {
        check_request(&mut ctx, ri)?;
    }
    if !ctx.errors.is_empty() {
        return Err(Error::Invalid(ctx.errors));
    }
    for item in &ctx.items {
        item.stock
            .iter()
            .try_fold(0i64, |a, &b| a.checked_add(b))
            .ok_or_else(|| overflow(&format!("national stock of item '{}'", item.id)))?;
        item.demands
            .iter()
            .try_fold(0i64, |a, d| a.checked_add(d.total))
            .ok_or_else(|| overflow(&format!("requested total of item '{}'", item.id)))?;
    }
    let tp_km = input
        .warehouses
        .iter()
        .map(|wh| {
            let km = |c: &CountyDepot| km_tenths(&wh.site, &c.transshipment, input.detour_factor);
            input.counties.iter().map(km).collect()
        })
        .collect();
    Ok(Checked {
        items: ctx.items,
        tp_km,
    })
}

/// Counties (unique codes, population >= 0, transshipment point in range) and sites
/// (unique ids, in range); their indices by code and id.
fn check_places<'a>(
    input: &'a NationalRound,
    errors: &mut Vec<InvalidValue>,
) -> (HashMap<&'a str, usize>, HashMap<&'a str, usize>) {
    let codes = input.counties.iter().map(|c| c.county.as_str());
    let counties = unique_ids(codes, "counties", ".county", "county code", errors);
    for (i, c) in input.counties.iter().enumerate() {
        if c.population < 0 {
            errors.push(InvalidValue::new(
                format!("counties[{i}].population"),
                format!("must be >= 0, got {}", c.population),
            ));
        }
        check_site(&c.transshipment, &format!("counties[{i}].transshipment"), errors);
    }
    let sites = unique_ids(
        input.sites.iter().map(|s| s.id.as_str()),
        "sites",
        ".id",
        "site id",
        errors,
    );
    for (i, s) in input.sites.iter().enumerate() {
        check_site(s, &format!("sites[{i}]"), errors);
    }
    (counties, sites)
}

/// Warehouse sites and stock: unique warehouse ids, each item once per warehouse,
/// quantities >= 0.
fn check_warehouses(ctx: &mut Ctx<'_>) -> Result<()> {
    let input = ctx.input;
    let ids = input.warehouses.iter().map(|w| w.site.id.as_str());
    unique_ids(ids, "warehouses", ".site.id", "warehouse id", &mut ctx.errors);
    for (wi, wh) in input.warehouses.iter().enumerate() {
        check_site(&wh.site, &format!("warehouses[{wi}].site"), &mut ctx.errors);
        let list = format!("warehouses[{wi}].stock");
        unique_ids(
            wh.stock.iter().map(|s| s.item.as_str()),
            &list,
            ".item",
            "stock entry of item",
            &mut ctx.errors,
        );
        for (si, s) in wh.stock.iter().enumerate() {
            let path = format!("{list}[{si}].quantity");
            if s.quantity < 0 {
                ctx.push(path, format!("must be >= 0, got {}", s.quantity));
                continue;
            }
            let it = ctx.item_slot(&s.item);
            let slot = &mut ctx.items[it].stock[wi];
            *slot = slot.checked_add(s.quantity).ok_or_else(|| overflow(&path))?;
        }
    }
    Ok(())
}

/// One county request: a known county, and per item the checked demand.
fn check_request(ctx: &mut Ctx<'_>, ri: usize) -> Result<()> {
    let req = &ctx.input.requests[ri];
    let Some(&county) = ctx.counties.get(req.county.as_str()) else {
        ctx.push(
            format!("requests[{ri}].county"),
            format!("unknown county '{}' (not in counties)", req.county),
        );
        return Ok(());
    };
    for (ii, item) in req.items.iter().enumerate() {
        let path = format!("requests[{ri}].items[{ii}]");
        let Some(demand) = check_request_item(ctx, county, item, &path)? else {
            continue;
        };
        let it = ctx.item_slot(&item.item);
        if ctx.items[it].demands.iter().any(|d| d.county == county) {
            ctx.push(
                path,
                format!("county '{}' requests item '{}' twice", req.county, item.item),
            );
            continue;
        }
        if demand.total > 0 {
            ctx.items[it].demands.push(demand);
        }
    }
    Ok(())
}

/// The lines of one request item: each site known, of the requesting county and listed
/// once; the item's `total` the sum of its sites. `None` if a line was rejected.
fn check_request_item(ctx: &mut Ctx<'_>, county: usize, item: &RequestItem, path: &str) -> Result<Option<Demand>> {
    let k = ctx.input.priority_classes.len();
    let mut demand = Demand {
        county,
        by_class: vec![0; k],
        total: 0,
        lines: Vec::new(),
    };
    let mut listed: HashMap<usize, usize> = HashMap::new();
    let mut complete = true;
    for (li, line) in item.sites.iter().enumerate() {
        let line_path = format!("{path}.sites[{li}]");
        let Some(site) = check_line_site(ctx, county, line, &line_path) else {
            complete = false;
            continue;
        };
        if let Some(first) = listed.insert(site, li) {
            ctx.push(
                format!("{line_path}.site"),
                format!(
                    "site '{}' is listed twice in this request (also sites[{first}])",
                    line.site
                ),
            );
            complete = false;
            continue;
        }
        let Some(per_class) = check_line_classes(ctx, line, &line_path)? else {
            complete = false;
            continue;
        };
        for (total, &q) in demand.by_class.iter_mut().zip(&per_class) {
            *total = total.checked_add(q).ok_or_else(|| overflow(&line_path))?;
        }
        demand.total = demand
            .total
            .checked_add(line.quantity)
            .ok_or_else(|| overflow(&line_path))?;
        demand.lines.push((site, per_class));
    }
    if complete && demand.total != item.total {
        ctx.push(
            format!("{path}.total"),
            format!("{} expected (the sum of its sites), got {}", demand.total, item.total),
        );
    }
    Ok(complete.then_some(demand))
}

/// The site of a request line: known, and of the requesting county.
fn check_line_site(ctx: &mut Ctx<'_>, county: usize, line: &RequestLine, path: &str) -> Option<usize> {
    let Some(&site) = ctx.sites.get(line.site.as_str()) else {
        ctx.push(format!("{path}.site"), format!("unknown site '{}'", line.site));
        return None;
    };
    let code = &ctx.input.counties[county].county;
    let site_county = &ctx.input.sites[site].county;
    if site_county != code {
        ctx.push(
            format!("{path}.site"),
            format!(
                "site '{}' belongs to county '{site_county}', not to the requesting county '{code}'",
                line.site
            ),
        );
        return None;
    }
    Some(site)
}

/// The per-class quantities of a request line: known classes, >= 0, summing to the
/// line's `quantity`. `None` if any is wrong.
fn check_line_classes(ctx: &mut Ctx<'_>, line: &RequestLine, path: &str) -> Result<Option<Vec<i64>>> {
    let mut per_class = vec![0i64; ctx.input.priority_classes.len()];
    let mut sum: i64 = 0;
    let mut ok = true;
    for (class, q) in &line.by_priority {
        let Some(&c) = ctx.classes.get(class.as_str()) else {
            ctx.push(
                format!("{path}.by_priority"),
                format!("unknown priority class '{class}'"),
            );
            ok = false;
            continue;
        };
        if *q < 0 {
            ctx.push(format!("{path}.by_priority"), format!("must be >= 0, got {q}"));
            ok = false;
            continue;
        }
        per_class[c] = per_class[c].checked_add(*q).ok_or_else(|| overflow(path))?;
        sum = sum.checked_add(*q).ok_or_else(|| overflow(path))?;
    }
    if sum != line.quantity {
        ctx.push(
            format!("{path}.quantity"),
            format!("must equal the sum of by_priority ({sum}), got {}", line.quantity),
        );
        ok = false;
    }
    Ok(ok.then_some(per_class))
}
