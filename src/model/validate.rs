//! Value checks of a [`Scenario`]: every problem is collected with its place, none is
//! fixed silently.

use super::scenario::{NeedSplit, Scenario};
use super::schema::{self, Range};
use crate::error::InvalidValue;
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

/// Where a value sits, in the shape of the JSON document. A [`Locator`] turns it into
/// the text of an error path.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Place<'a> {
    /// A whole table (`sites`).
    Table(&'static str),
    /// A field of a table row (`status[3].stock`).
    Row(&'static str, usize, &'a str),
    /// A field of a nested row of status row `index` (`status[3].deliveries[1].day`,
    /// `status[3].split[0].share`).
    Nested(usize, &'static str, usize, &'a str),
    /// A round parameter (`parameters.horizon_days`).
    Param(&'a str),
}

/// Turns a [`Place`] into an error path (JSON paths or CSV file lines).
pub(crate) trait Locator {
    fn path(&self, place: Place<'_>) -> String;
}

/// JSON-style paths: `status[12].stock`.
pub(crate) struct JsonPaths;

impl Locator for JsonPaths {
    fn path(&self, place: Place<'_>) -> String {
        match place {
            Place::Table(t) => t.to_string(),
            Place::Row(t, i, f) => format!("{t}[{i}].{f}"),
            Place::Nested(i, sub, j, f) => format!("status[{i}].{sub}[{j}].{f}"),
            Place::Param(f) => format!("parameters.{f}"),
        }
    }
}

/// Collects problems with their places.
pub(crate) struct Problems<'l> {
    pub(crate) locator: &'l dyn Locator,
    pub(crate) list: Vec<InvalidValue>,
}

impl<'l> Problems<'l> {
    pub(crate) fn new(locator: &'l dyn Locator) -> Self {
        Self {
            locator,
            list: Vec::new(),
        }
    }

    pub(crate) fn push(&mut self, place: Place<'_>, message: impl Into<String>) {
        self.list.push(InvalidValue::new(self.locator.path(place), message));
    }

    /// Where an earlier row that a later one repeats was given, in the same terms as
    /// error paths (`status.csv line 3, column site` or `status[1].site`).
    fn earlier(&self, place: Place<'_>) -> String {
        self.locator.path(place)
    }

    fn number(&mut self, range: Range, place: Place<'_>, value: f64) {
        if let Some(m) = range.check_f64(value) {
            self.push(place, m);
        }
    }

    fn integer(&mut self, range: Range, place: Place<'_>, value: i64) {
        if let Some(m) = range.check_i64(value) {
            self.push(place, m);
        }
    }
}

/// Checks ids of one table: non-empty, no surrounding spaces, unique. Returns id → index.
fn check_ids<'a>(
    p: &mut Problems<'_>,
    table: &'static str,
    ids: impl Iterator<Item = &'a str>,
) -> HashMap<&'a str, usize> {
    let mut map = HashMap::default();
    for (i, id) in ids.enumerate() {
        if id.is_empty() {
            p.push(Place::Row(table, i, "id"), "must not be empty");
        } else if id.trim() != id {
            p.push(
                Place::Row(table, i, "id"),
                format!("must not start or end with spaces, got '{id}'"),
            );
        }
        if let Some(&first) = map.get(id) {
            p.push(
                Place::Row(table, i, "id"),
                format!(
                    "duplicate id '{id}' (first at {})",
                    p.earlier(Place::Row(table, first, "id"))
                ),
            );
        } else {
            map.insert(id, i);
        }
    }
    map
}

/// All checks that need no derived values. `site_index`/`item_index`/`class_index` are
/// returned for the resolver.
pub(crate) struct Indexes<'a> {
    pub(crate) sites: HashMap<&'a str, usize>,
    pub(crate) items: HashMap<&'a str, usize>,
    pub(crate) classes: HashMap<String, usize>,
}

/// The ranges of the numeric fields, looked up in the schema once per check.
struct Ranges(Vec<(&'static str, &'static str, Range)>);

impl Ranges {
    fn new() -> Ranges {
        Ranges(schema::FIELDS.iter().map(|f| (f.table, f.field, f.range)).collect())
    }

    fn get(&self, table: &str, field: &str) -> Range {
        self.0
            .iter()
            .find(|(t, f, _)| *t == table && *f == field)
            .map_or(Range::Any, |x| x.2)
    }
}

pub(crate) fn check<'s>(scenario: &'s Scenario, p: &mut Problems<'_>) -> Indexes<'s> {
    let ranges = Ranges::new();
    check_parameters(scenario, &ranges, p);
    let classes = scenario.classes();
    if classes.is_empty() {
        p.push(Place::Table("priority_classes"), "must list at least one class");
    }
    let class_ids = check_ids(p, "priority_classes", classes.iter().map(|c| c.id.as_str()));
    let class_map: HashMap<String, usize> = class_ids.iter().map(|(k, v)| (k.to_string(), *v)).collect();
    if let Some(d) = &scenario.parameters.default_priority {
        if !class_map.contains_key(d.as_str()) {
            p.push(
                Place::Param("default_priority"),
                format!("unknown priority class '{d}'"),
            );
        }
    }

    let sites = check_ids(p, "sites", scenario.sites.iter().map(|s| s.id.as_str()));
    let (r_lat, r_lon) = (ranges.get("sites", "lat"), ranges.get("sites", "lon"));
    for (i, s) in scenario.sites.iter().enumerate() {
        if s.county.trim().is_empty() {
            p.push(Place::Row("sites", i, "county"), "must not be empty");
        }
        p.number(r_lat, Place::Row("sites", i, "lat"), s.lat);
        p.number(r_lon, Place::Row("sites", i, "lon"), s.lon);
    }
    let items = check_ids(p, "items", scenario.items.iter().map(|s| s.id.as_str()));
    check_status(scenario, &ranges, &sites, &items, &class_map, p);
    check_lanes(scenario, &ranges, &sites, p);
    check_distances(scenario, &ranges, &sites, p);
    Indexes {
        sites,
        items,
        classes: class_map,
    }
}

/// The round parameters: each in its range, the horizon at least the acute window.
fn check_parameters(scenario: &Scenario, ranges: &Ranges, p: &mut Problems<'_>) {
    let par = &scenario.parameters;
    for (field, value) in [
        ("acute_window_hours", par.acute_window_hours),
        ("horizon_days", par.horizon_days),
        ("detour_factor", par.detour_factor),
        ("reserve_days", par.reserve_days),
    ] {
        p.number(ranges.get("parameters", field), Place::Param(field), value);
    }
    if par.acute_window_hours.is_finite()
        && par.horizon_days.is_finite()
        && par.acute_window_hours > 0.0
        && par.horizon_days * 24.0 < par.acute_window_hours
    {
        p.push(
            Place::Param("horizon_days"),
            format!(
                "must be at least the acute window ({} h = {} days), got {}",
                par.acute_window_hours,
                par.acute_window_hours / 24.0,
                par.horizon_days
            ),
        );
    }
}

/// The status rows: known site and item, one row per pair, values in range,
/// deliveries and the need split.
fn check_status(
    scenario: &Scenario,
    ranges: &Ranges,
    sites: &HashMap<&str, usize>,
    items: &HashMap<&str, usize>,
    class_map: &HashMap<String, usize>,
    p: &mut Problems<'_>,
) {
    let split_ranges = [
        ranges.get("need_split", "share"),
        ranges.get("need_split", "acute"),
        ranges.get("need_split", "planning"),
    ];
    let r_deliveries_day = ranges.get("deliveries", "day");
    let r_deliveries_quantity = ranges.get("deliveries", "quantity");
    let r_status_acute_need = ranges.get("status", "acute_need");
    let r_status_consumption_per_day = ranges.get("status", "consumption_per_day");
    let r_status_planning_need = ranges.get("status", "planning_need");
    let r_status_reserve_days = ranges.get("status", "reserve_days");
    let r_status_stock = ranges.get("status", "stock");
    let mut seen_pairs: HashMap<(usize, usize), usize> = HashMap::default();
    for (i, st) in scenario.status.iter().enumerate() {
        let site = sites.get(st.site.as_str()).copied();
        let item = items.get(st.item.as_str()).copied();
        if site.is_none() {
            p.push(Place::Row("status", i, "site"), format!("unknown site '{}'", st.site));
        }
        if item.is_none() {
            p.push(Place::Row("status", i, "item"), format!("unknown item '{}'", st.item));
        }
        if let (Some(s), Some(it)) = (site, item) {
            if let Some(first) = first_seen(&mut seen_pairs, (s, it), i) {
                p.push(
                    Place::Row("status", i, "site"),
                    format!(
                        "duplicate status for site '{}' and item '{}' (first at {})",
                        st.site,
                        st.item,
                        p.earlier(Place::Row("status", first, "site"))
                    ),
                );
            }
        }
        p.integer(r_status_stock, Place::Row("status", i, "stock"), st.stock);
        p.number(
            r_status_consumption_per_day,
            Place::Row("status", i, "consumption_per_day"),
            st.consumption_per_day,
        );
        if let Some(r) = st.reserve_days {
            p.number(r_status_reserve_days, Place::Row("status", i, "reserve_days"), r);
        }
        if let Some(a) = st.acute_need {
            p.integer(r_status_acute_need, Place::Row("status", i, "acute_need"), a);
        }
        if let Some(a) = st.planning_need {
            p.integer(r_status_planning_need, Place::Row("status", i, "planning_need"), a);
        }
        for (j, d) in st.deliveries.iter().enumerate() {
            p.number(r_deliveries_day, Place::Nested(i, "deliveries", j, "day"), d.day);
            p.integer(
                r_deliveries_quantity,
                Place::Nested(i, "deliveries", j, "quantity"),
                d.quantity,
            );
        }
        check_split(p, i, st, class_map, &split_ranges);
    }
}

/// Explicit lanes: two different known sites, no duplicates, values in range.
fn check_lanes(scenario: &Scenario, ranges: &Ranges, sites: &HashMap<&str, usize>, p: &mut Problems<'_>) {
    let r_lanes_capacity = ranges.get("lanes", "capacity");
    let r_lanes_km = ranges.get("lanes", "km");
    if let Some(lanes) = &scenario.lanes {
        let mut seen: HashMap<(usize, usize), usize> = HashMap::default();
        for (i, l) in lanes.iter().enumerate() {
            let from = sites.get(l.from.as_str()).copied();
            let to = sites.get(l.to.as_str()).copied();
            if from.is_none() {
                p.push(Place::Row("lanes", i, "from"), format!("unknown site '{}'", l.from));
            }
            if to.is_none() {
                p.push(Place::Row("lanes", i, "to"), format!("unknown site '{}'", l.to));
            }
            if let (Some(a), Some(b)) = (from, to) {
                if a == b {
                    p.push(
                        Place::Row("lanes", i, "to"),
                        format!("a lane must join two different sites, got '{}' twice", l.to),
                    );
                } else if let Some(first) = first_seen(&mut seen, (a, b), i) {
                    p.push(
                        Place::Row("lanes", i, "to"),
                        format!(
                            "duplicate lane '{}' -> '{}' (first at {})",
                            l.from,
                            l.to,
                            p.earlier(Place::Row("lanes", first, "to"))
                        ),
                    );
                }
            }
            if let Some(km) = l.km {
                p.number(r_lanes_km, Place::Row("lanes", i, "km"), km);
            }
            if let Some(c) = l.capacity {
                p.integer(r_lanes_capacity, Place::Row("lanes", i, "capacity"), c);
            }
        }
    }
}

/// Distance rows: two different known sites, no duplicates, km in range.
fn check_distances(scenario: &Scenario, ranges: &Ranges, sites: &HashMap<&str, usize>, p: &mut Problems<'_>) {
    let r_distances_km = ranges.get("distances", "km");
    let mut seen: HashMap<(usize, usize), usize> = HashMap::default();
    for (i, d) in scenario.distances.iter().enumerate() {
        let from = sites.get(d.from.as_str()).copied();
        let to = sites.get(d.to.as_str()).copied();
        if from.is_none() {
            p.push(Place::Row("distances", i, "from"), format!("unknown site '{}'", d.from));
        }
        if to.is_none() {
            p.push(Place::Row("distances", i, "to"), format!("unknown site '{}'", d.to));
        }
        if let (Some(a), Some(b)) = (from, to) {
            if a == b {
                p.push(
                    Place::Row("distances", i, "to"),
                    format!("a distance must join two different sites, got '{}' twice", d.to),
                );
            } else if let Some(first) = first_seen(&mut seen, (a, b), i) {
                p.push(
                    Place::Row("distances", i, "to"),
                    format!(
                        "duplicate distance '{}' -> '{}' (first at {})",
                        d.from,
                        d.to,
                        p.earlier(Place::Row("distances", first, "to"))
                    ),
                );
            }
        }
        p.number(r_distances_km, Place::Row("distances", i, "km"), d.km);
    }
}

/// `ranges`: of `need_split.share`, `.acute`, `.planning`.
fn check_split(
    p: &mut Problems<'_>,
    i: usize,
    st: &super::scenario::SiteStatus,
    classes: &HashMap<String, usize>,
    ranges: &[Range; 3],
) {
    let Some(split) = &st.split else { return };
    match split {
        NeedSplit::Class(c) => {
            if !classes.contains_key(c.as_str()) {
                p.push(
                    Place::Row("status", i, "split.class"),
                    format!("unknown priority class '{c}'"),
                );
            }
        }
        NeedSplit::Shares(rows) | NeedSplit::Quantities(rows) => {
            let by_shares = matches!(split, NeedSplit::Shares(_));
            if rows.is_empty() {
                p.push(Place::Row("status", i, "split"), "must list at least one class");
            }
            let mut seen: HashSet<&str> = HashSet::default();
            let mut sum = 0.0;
            for (j, r) in rows.iter().enumerate() {
                if !classes.contains_key(r.class.as_str()) {
                    p.push(
                        Place::Nested(i, "split", j, "class"),
                        format!("unknown priority class '{}'", r.class),
                    );
                }
                if !seen.insert(r.class.as_str()) {
                    p.push(
                        Place::Nested(i, "split", j, "class"),
                        format!("class '{}' listed twice", r.class),
                    );
                }
                if by_shares {
                    match r.share {
                        Some(s) => {
                            sum += s;
                            if let Some(m) = ranges[0].check_f64(s) {
                                p.push(Place::Nested(i, "split", j, "share"), m);
                            }
                        }
                        None => p.push(
                            Place::Nested(i, "split", j, "share"),
                            "missing (a split by shares needs a share per class)",
                        ),
                    }
                    if r.acute.is_some() || r.planning.is_some() {
                        p.push(
                            Place::Nested(i, "split", j, "acute"),
                            "a split by shares takes no acute/planning quantities",
                        );
                    }
                } else {
                    if r.share.is_some() {
                        p.push(
                            Place::Nested(i, "split", j, "share"),
                            "a split by quantities takes no share",
                        );
                    }
                    let acute = r.acute.unwrap_or(0);
                    let planning = r.planning.unwrap_or(acute);
                    if r.acute.is_none() && r.planning.is_none() {
                        p.push(
                            Place::Nested(i, "split", j, "acute"),
                            "missing (give acute and/or planning)",
                        );
                    }
                    if let Some(m) = ranges[1].check_i64(acute) {
                        p.push(Place::Nested(i, "split", j, "acute"), m);
                    }
                    if let Some(m) = ranges[2].check_i64(planning) {
                        p.push(Place::Nested(i, "split", j, "planning"), m);
                    } else if planning < acute {
                        p.push(
                            Place::Nested(i, "split", j, "planning"),
                            format!("must be >= the class's acute need ({acute}), got {planning}"),
                        );
                    }
                }
            }
            if by_shares && sum.is_finite() && rows.iter().all(|r| r.share.is_some()) && (sum - 1.0).abs() > 1e-6 {
                p.push(
                    Place::Row("status", i, "split"),
                    format!("shares must sum to 1, got {sum}"),
                );
            }
            if !by_shares && (st.acute_need.is_some() || st.planning_need.is_some()) {
                p.push(
                    Place::Row("status", i, "split"),
                    "explicit class quantities replace acute_need/planning_need: give one or the other",
                );
            }
        }
    }
}

/// Records that `key` was seen at row `row` unless it was seen before; returns the row
/// where it was seen first (the first, not the latest, when it repeats several times).
fn first_seen<K: std::hash::Hash + Eq>(seen: &mut HashMap<K, usize>, key: K, row: usize) -> Option<usize> {
    match seen.entry(key) {
        std::collections::hash_map::Entry::Occupied(e) => Some(*e.get()),
        std::collections::hash_map::Entry::Vacant(v) => {
            v.insert(row);
            None
        }
    }
}
