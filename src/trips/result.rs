//! The result of a round with logistics data: the plan in units plus shipments in
//! packs, trips and the solve status of each county.

use crate::process::Plan;
use serde::{Deserialize, Serialize};

/// One shipment counted in whole packs.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PackShipment {
    /// Item id.
    pub item: String,
    /// Shipping site id.
    pub from: String,
    /// Receiving site id.
    pub to: String,
    /// Whole packs (> 0).
    pub packs: i64,
    /// Units per pack.
    pub pack_size: i64,
    /// `packs · pack_size`.
    pub units: i64,
    /// Lane distance, km.
    pub km: f64,
}

/// One vehicle on one lane at the meeting, carrying any items.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Trip {
    /// County code of the shipping site.
    pub county: String,
    /// Shipping site id.
    pub from: String,
    /// Receiving site id.
    pub to: String,
    /// Vehicle number on this lane (1, 2, ...).
    pub vehicle: i64,
    /// What it carries: `item packs×pack_size` entries joined by `; `.
    pub items: String,
    /// Packs carried.
    pub packs: i64,
    /// Units carried.
    pub units: i64,
    /// Load as a percentage of the vehicle capacity (litres).
    pub load_pct: f64,
    /// Lane distance, km.
    pub km: f64,
}

/// How the solve of one county ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum SolveStatus {
    /// Every level was solved to optimality.
    Optimal,
    /// Not proven optimal: a node, LP work or time limit stopped the level, or it was searched
    /// with the trips held (a large part's levels after the trips level). The plan
    /// is feasible, the gap to the best proven bound (the LP relaxation's, or HiGHS's own
    /// dual bound of the search) is reported.
    Limit,
    /// Packs alone: the network simplex, exact.
    Flow,
}

crate::names::named_enum!(SolveStatus, "status", {
    Optimal => "optimal",
    Limit => "limit",
    Flow => "flow",
});

/// One objective level of one county (or part), in the order minimised.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TripsLevel {
    /// County code.
    pub county: String,
    /// 1 = minimised first (the substitutes level's place follows the logistics data's
    /// `substitutes_rank`).
    pub rank: i64,
    /// `acute:<class>`, `planning`, `substitutes`, `trips`, `vehicle_km` or `transport`.
    pub level: String,
    /// Unmet units, trip cost, or pack·km ×10 for transport.
    pub value: i64,
    /// Solve status of this level.
    pub status: SolveStatus,
    /// Relative gap when stopped by a limit (LP iterations, nodes or time), else 0.
    pub gap: f64,
}

/// A county round with logistics data.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TripsPlan {
    /// The plan in units (shipments, unmet need with reasons, stock after, ...).
    pub plan: Plan,
    /// The shipments in whole packs.
    pub pack_shipments: Vec<PackShipment>,
    /// The trips (empty without a vehicle).
    pub trips: Vec<Trip>,
    /// The objective levels per county solved as a MIP (empty for packs alone).
    pub levels: Vec<TripsLevel>,
    /// True when the logistics figures are synthetic.
    pub synthetic: bool,
}
