//! What a lookahead round returns.

use ndarray::Array2;
use serde::Serialize;

/// One shipment of the plan: leaving `from` on `depart_day`, there on `arrive_day`.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PlannedShipment {
    /// Item id.
    pub item: String,
    /// Shipping site id.
    pub from: String,
    /// Receiving site id.
    pub to: String,
    /// Day it leaves (0 = today's meeting).
    pub depart_day: u32,
    /// Day it is there (`depart_day` + the lane's lead time).
    pub arrive_day: u32,
    /// Whole units (> 0).
    pub quantity: i64,
    /// Lane distance, km.
    pub km: f64,
    /// True for the shipments to decide today; false for planned later ones.
    pub today: bool,
}

/// One site, item and day of the projection, with the plan and without it (no
/// shipments: the site consumes its own stock and deliveries).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct SiteDay {
    /// Item id.
    pub item: String,
    /// Site id.
    pub site: String,
    /// Day (0 = today).
    pub day: u32,
    /// Consumption of the day, units (all classes).
    pub consumption: i64,
    /// Expected deliveries arriving that day, units.
    pub deliveries: i64,
    /// Units arriving by shipments of the plan.
    pub received: i64,
    /// Units leaving by shipments of the plan.
    pub sent: i64,
    /// Consumption served with the plan.
    pub served: i64,
    /// Consumption not served with the plan (`consumption − served`).
    pub shortage: i64,
    /// Stock at the end of the day with the plan.
    pub stock_end: i64,
    /// Consumption served without the plan.
    pub served_without: i64,
    /// Shortage without the plan.
    pub shortage_without: i64,
    /// Stock at the end of the day without the plan.
    pub stock_end_without: i64,
}

/// The objective levels of one item, in the order they are minimised.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct LookaheadObjective {
    /// Item id.
    pub item: String,
    /// Unit-days of shortage on the acute days, per class (highest first).
    pub acute_unmet: Vec<i64>,
    /// Unit-days of shortage after the acute days, per class.
    pub later_unmet: Vec<i64>,
    /// Transport of all planned shipments, unit·km.
    pub transport_unit_km: f64,
    /// The same in unit·0.1 km (exact).
    pub transport_unit_hm: i64,
    /// Number of network solves (over the item's parts).
    pub solves: usize,
}

/// One line of the county request: a class's acute shortage at a site on the day it
/// falls due.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct DueRequest {
    /// County code.
    pub county: String,
    /// Item id.
    pub item: String,
    /// Site id.
    pub site: String,
    /// Priority class id.
    pub priority: String,
    /// Day the need falls due (0 = today).
    pub due_day: u32,
    /// Units short that day after the plan.
    pub quantity: i64,
}

/// The value of one more unit at a site on a day, for one item.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct DayDual {
    /// Item id.
    pub item: String,
    /// Site id.
    pub site: String,
    /// Day.
    pub day: u32,
    /// Highest level it would improve: `acute:<class>`, `later:<class>` or `none`.
    pub level: String,
    /// Unit-days of that level gained (0 for `none`).
    pub value: i64,
    /// km it saves (> 0) or costs (< 0) at the least-transport plan.
    pub km: f64,
}

/// Dual prices of one item as site × day arrays (site order of the scenario).
#[derive(Clone, Debug, PartialEq)]
pub struct ItemDuals {
    /// Item id.
    pub item: String,
    /// Index of the highest need level one more unit improves (`0..K` acute classes,
    /// `K..2K` later classes), −1 for none.
    pub level: Array2<i32>,
    /// Unit-days of that level gained.
    pub value: Array2<i64>,
    /// km saved (> 0) or spent (< 0) by one more unit there.
    pub km: Array2<f64>,
}

/// A lookahead round: the shipments of today's meeting and the planned later ones, the
/// projection per site and day, the objective and the county request with due days.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct LookaheadPlan {
    /// Scenario name.
    pub scenario: String,
    /// True when the scenario's figures are synthetic.
    pub synthetic: bool,
    /// Horizon in days.
    pub days: u32,
    /// Days on which shipments may leave.
    pub shipping_days: Vec<u32>,
    /// Days `0..acute_days` count as acute.
    pub acute_days: u32,
    /// Priority classes, highest first.
    pub priority_classes: Vec<String>,
    /// Shipments, by item, departure day, then lane order.
    pub shipments: Vec<PlannedShipment>,
    /// Projection per item, site (with a status row) and day.
    pub site_days: Vec<SiteDay>,
    /// Objective levels per item.
    pub objective: Vec<LookaheadObjective>,
    /// County request lines (acute shortage by due day).
    pub requests: Vec<DueRequest>,
    /// Dual prices per item, site and day (rows of sites with a status row).
    pub dual_prices: Vec<DayDual>,
    /// The same per item as site × day arrays (every site).
    #[serde(skip)]
    pub duals: Vec<ItemDuals>,
}
