//! What the county round returns.

use crate::flow::Engine;
use serde::{Deserialize, Serialize};

/// A shipment decided at the meeting.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Shipment {
    /// Shipping site id.
    pub from: String,
    /// Receiving site id.
    pub to: String,
    /// Item id.
    pub item: String,
    /// Quantity, whole units of the item (> 0).
    pub quantity: i64,
    /// Lane distance in km (0.1 km resolution).
    pub km: f64,
}

/// The kind of an unmet row: the two need windows, and the shortfall a donor takes on
/// by giving.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Window {
    /// Shortfall within the acute window (default 48 h).
    Acute,
    /// Shortfall within the planning horizon (default 7 days); includes the acute
    /// shortfall. Never above the need.
    Planning,
    /// A donor gave stock it would itself use within the horizon (its stock above what it
    /// keeps): `need` is that own use, `unmet` the part of it given away — the planning
    /// shortfall the donor takes on so that needs of higher priority elsewhere are met.
    GivenBeyondHorizon,
}

crate::names::named_enum!(Window, "window", {
    Acute => "acute",
    Planning => "planning",
    GivenBeyondHorizon => "given-beyond-horizon",
});

/// Why a need stays unmet after the round.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Reason {
    /// No site that can ship here has (or had) stock beyond its own acute need and
    /// reserve, and none holds reserves.
    NoSurplus,
    /// The only stock that could reach the site is held in donors' reserves.
    HeldByReserves,
    /// Surplus could reach the site, but all of it went to needs of higher (or the
    /// same) priority — or, for a donor, its own stock went there.
    UsedForHigherPriority,
    /// The county has surplus that is free for this need, but no lane (or no lane
    /// capacity) leads from it to the site — a route through a site that does not
    /// forward (see `Site::hub`) does not count.
    NoLane,
    /// Whole packs only: the stock donors could still give is less than one pack each
    /// (with logistics data; see `trips`).
    PackLargerThanNeed,
    /// The need could be met only by a shipment below the minimum load of its lane
    /// (with logistics data; see `trips`).
    BelowMinimumLoad,
    /// Donors still hold whole packs, but the meeting's trips are capped and every
    /// allowed trip is in use (`vehicle.max_trips`, with logistics data; see `trips`).
    TripCap,
}

// `ALL` is in declaration order: the order of reports and reason counts.
crate::names::named_enum!(Reason, "reason", {
    NoSurplus => "no-surplus",
    HeldByReserves => "held-by-reserves",
    UsedForHigherPriority => "used-for-higher-priority",
    NoLane => "no-lane",
    PackLargerThanNeed => "pack-larger-than-need",
    BelowMinimumLoad => "below-minimum-load",
    TripCap => "trip-cap",
});

impl Reason {
    /// One sentence for reports.
    pub fn describe(self) -> &'static str {
        match self {
            Reason::NoSurplus => "no surplus anywhere in the county that can reach it",
            Reason::HeldByReserves => "the remaining stock is held by donors' reserves",
            Reason::UsedForHigherPriority => "the surplus went to needs of higher priority",
            Reason::NoLane => "surplus exists, but no lane (or lane capacity) leads here",
            Reason::PackLargerThanNeed => {
                "the smallest pack is larger than the need that stock could still meet: donors give whole packs only"
            }
            Reason::BelowMinimumLoad => "meeting it would take a shipment below the minimum load",
            Reason::TripCap => "donors still hold packs, but every trip the meeting allows (max_trips) is in use",
        }
    }
}

/// A need left (partly) unmet after the round, per site, item, priority class and
/// window.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct UnmetNeed {
    /// Site id.
    pub site: String,
    /// Item id.
    pub item: String,
    /// Priority class id.
    pub priority: String,
    /// Acute or planning window, or `given-beyond-horizon` (see [`Window`]).
    pub window: Window,
    /// Need before the round, whole units.
    pub need: i64,
    /// Need left after the round (> 0), never above `need`.
    pub unmet: i64,
    /// Why it stays unmet.
    pub reason: Reason,
}

/// Stock of one item at one site before and after the round.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StockAfter {
    /// Site id.
    pub site: String,
    /// Item id.
    pub item: String,
    /// Stock before the round.
    pub before: i64,
    /// Units received at the meeting.
    pub received: i64,
    /// Units sent at the meeting.
    pub sent: i64,
    /// `before + received − sent`.
    pub after: i64,
}

/// How an item's lexicographic objective was solved.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Method {
    /// One min-cost flow solve with weights that make each level outweigh all below.
    Weighted,
    /// Several solves in sequence (one level, or a chunk of levels, at a time), each
    /// optimum fixed before the next.
    LevelByLevel,
    /// The trips MIP (HiGHS through good_lp), level by level; see `trips`.
    Mip,
}

crate::names::named_enum!(Method, "method", { Weighted => "weighted", LevelByLevel => "level-by-level", Mip => "mip" });

/// The objective of one item, level by level (each level is minimised before the
/// next).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ItemObjective {
    /// Item id.
    pub item: String,
    /// Unit of the need levels (`pieces` or `litres`).
    pub unit: String,
    /// Unmet acute need per priority class, in class order (highest first), whole units.
    pub acute_unmet: Vec<i64>,
    /// Unmet planning need (shortfall within the horizon after the round; includes
    /// the unmet acute need and the shortfall donors took on by giving: the sum of the
    /// `planning` and `given-beyond-horizon` rows), whole units.
    pub planning_unmet: i64,
    /// Transport in unit·km (0.1 km resolution).
    pub transport_unit_km: f64,
    /// Transport exactly, in unit·0.1 km.
    pub transport_unit_hm: i64,
    /// How it was solved (`LevelByLevel` if any connected part of the lane graph needed
    /// it).
    pub method: Method,
}

/// The marginal value of one more unit of an item at a site, read from the dual
/// prices (node potentials) of the solve. At a donor (a site with giveable stock) it is
/// one more giveable unit, which it may also send on; elsewhere it is one more unit
/// arriving there, which a site that does not forward can only use itself.
///
/// Sign: a positive `level` entry means one more unit *there* would cover one more
/// unit of that level's need; `km` is the transport it would take (negative = km
/// spent to bring it to the need, positive = km saved elsewhere). It is a shadow
/// price: exact for small changes, and not unique when the plan is degenerate.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DualPrice {
    /// Site id.
    pub site: String,
    /// Item id.
    pub item: String,
    /// The highest objective level one more unit would improve: `acute:<class id>`,
    /// `planning`, or `transport` (only distance), or `none`.
    pub level: String,
    /// km part of the value (0.1 km resolution), see the type's doc.
    pub km: f64,
    /// Raw potential difference `π(site) − π(sink)` of the solve it comes from, in that
    /// solve's cost units (weighted: level weights and 0.1 km; level by level: the
    /// transport step's 0.1 km).
    pub raw: i64,
}

/// One line of the county request: a site's remaining acute need of an item.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RequestLine {
    /// Site id.
    pub site: String,
    /// Site name.
    pub site_name: String,
    /// Site kind (`municipality`, `region`, ...).
    pub kind: String,
    /// Remaining acute need, whole units.
    pub quantity: i64,
    /// The same, per priority class id (classes with a positive quantity, highest first).
    pub by_priority: Vec<(String, i64)>,
}

/// The county's request for one item.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RequestItem {
    /// Item id.
    pub item: String,
    /// Item name.
    pub item_name: String,
    /// Unit.
    pub unit: String,
    /// Total remaining acute need in the county.
    pub total: i64,
    /// Per-site breakdown, in site order.
    pub sites: Vec<RequestLine>,
}

/// The one combined request a county sends to the national agency after the meeting:
/// remaining acute need per item, with the per-site breakdown.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CountyRequest {
    /// County code.
    pub county: String,
    /// True when the scenario's figures are synthetic (then so is the request).
    pub synthetic: bool,
    /// Items with remaining acute need, in item order.
    pub items: Vec<RequestItem>,
}

/// The result of a county round (the coordination meeting).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Plan {
    /// Scenario name.
    pub scenario: String,
    /// True when the scenario's figures are synthetic.
    pub synthetic: bool,
    /// Engine used.
    pub engine: Engine,
    /// Priority class ids, highest first (the order of `acute_unmet`).
    pub priority_classes: Vec<String>,
    /// Acute window in hours.
    pub acute_window_hours: f64,
    /// Planning horizon in days.
    pub horizon_days: f64,
    /// Shipments, by item, then lane order.
    pub shipments: Vec<Shipment>,
    /// Needs left unmet (unmet > 0), by item, site, window, class.
    pub unmet: Vec<UnmetNeed>,
    /// Stock before and after, for every site and item with a status or a shipment.
    pub stock_after: Vec<StockAfter>,
    /// The objective, per item and level.
    pub objective: Vec<ItemObjective>,
    /// Marginal value of one more unit, per site and item.
    pub dual_prices: Vec<DualPrice>,
    /// The combined request of each county with remaining acute need.
    pub requests: Vec<CountyRequest>,
}

/// Unmet need of one item and window with one reason, summed over sites and classes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReasonCount {
    /// Item id.
    pub item: String,
    /// Acute or planning window, or `given-beyond-horizon` (see [`Window`]).
    pub window: Window,
    /// The reason.
    pub reason: Reason,
    /// Number of unmet (site, class) needs with this reason.
    pub needs: i64,
    /// Number of distinct sites among them.
    pub sites: i64,
    /// Their total unmet units.
    pub unmet: i64,
}

impl Plan {
    /// Total unmet acute need over all items (mixed units: use per item where it
    /// matters).
    pub fn total_acute_unmet(&self) -> i64 {
        self.objective.iter().flat_map(|o| o.acute_unmet.iter()).sum()
    }

    /// The unmet need summed by item, window and reason, sorted by item id, then window
    /// (acute first), then reason (in [`Reason`]'s order). An overflowing sum is an
    /// [`Error::Overflow`](crate::Error::Overflow).
    ///
    /// ```
    /// let plan = allocnet::process::run_county_round(
    ///     &allocnet::model::synthetic::vastmanland_default().unwrap(),
    ///     &Default::default(),
    /// ).unwrap();
    /// let counts = plan.reason_counts().unwrap();
    /// let total: i64 = counts.iter().map(|c| c.unmet).sum();
    /// assert_eq!(total, plan.unmet.iter().map(|u| u.unmet).sum::<i64>());
    /// ```
    pub fn reason_counts(&self) -> crate::Result<Vec<ReasonCount>> {
        use rustc_hash::{FxHashMap, FxHashSet};
        // One group per (item, window, reason order), numbered as first met; sites
        // counted through a set of (group, site). Then the few groups sorted by key.
        type Key<'a> = (&'a str, Window, u8);
        let mut group_of: FxHashMap<Key<'_>, usize> = FxHashMap::default();
        let mut groups: Vec<(Key<'_>, ReasonCount)> = Vec::new();
        let mut seen: FxHashSet<(usize, &str)> = FxHashSet::default();
        for u in &self.unmet {
            let key = (u.item.as_str(), u.window, u.reason as u8);
            let g = *group_of.entry(key).or_insert_with(|| {
                let count = ReasonCount {
                    item: u.item.clone(),
                    window: u.window,
                    reason: u.reason,
                    needs: 0,
                    sites: 0,
                    unmet: 0,
                };
                groups.push((key, count));
                groups.len() - 1
            });
            let count = &mut groups[g].1;
            count.needs += 1;
            count.unmet = count.unmet.checked_add(u.unmet).ok_or_else(|| {
                crate::Error::Overflow(format!("unmet need of item '{}' exceeds the i64 range", u.item))
            })?;
            if seen.insert((g, u.site.as_str())) {
                count.sites += 1;
            }
        }
        groups.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        Ok(groups.into_iter().map(|(_, count)| count).collect())
    }
}
