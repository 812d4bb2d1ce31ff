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

/// What stopped a level short of a proof of optimality (a `limit` level of the
/// `levels` table). Only [`StoppedBy::TimeLimit`] depends on the machine: every other
/// stop gives the same plan on every machine, at any load.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StoppedBy {
    /// The node limit (`MipOptions::max_nodes`).
    NodeLimit,
    /// The LP work limit (`MipOptions::max_lp_work`).
    LpWorkLimit,
    /// The time limit (`MipOptions::time_limit_s`, `--time-limit`): the plan depends
    /// on the machine's speed and load.
    TimeLimit,
    /// Searched with the trips per lane held at the trips level's plan (a large part's
    /// levels after the trips level).
    HeldTrips,
    /// The columns HiGHS returned were not worth the objective it reported, also when
    /// solved again without the start: the plan is kept, never called optimal.
    ObjectiveCheck,
    /// HiGHS ended with a gap for another reason (its own iteration or memory limit,
    /// or a gap it accepted).
    Solver,
    /// The trips table needs more vehicles than the MIP's trips: a lane's packs did not
    /// fit them even after the part was solved again with packing cuts (the trips and
    /// vehicle km levels count the table's vehicles).
    Packing,
}

crate::names::named_enum!(StoppedBy, "stopped_by", {
    NodeLimit => "node_limit",
    LpWorkLimit => "lp_work_limit",
    TimeLimit => "time_limit",
    HeldTrips => "held_trips",
    ObjectiveCheck => "objective_check",
    Solver => "solver",
    Packing => "packing",
});

impl StoppedBy {
    /// The stop in words, as the county report prints it.
    ///
    /// ```
    /// use allocnet::trips::StoppedBy;
    /// assert!(StoppedBy::TimeLimit.explain().contains("depends on the machine"));
    /// ```
    pub fn explain(self) -> &'static str {
        match self {
            StoppedBy::NodeLimit => "stopped by the node limit",
            StoppedBy::LpWorkLimit => "stopped by the LP work limit",
            StoppedBy::TimeLimit => "stopped by the time limit: this plan depends on the machine's speed",
            StoppedBy::HeldTrips => "searched with the trips held",
            StoppedBy::ObjectiveCheck => "HiGHS's objective disagreed with its plan",
            StoppedBy::Solver => "HiGHS ended with a gap",
            StoppedBy::Packing => "the packs needed more vehicles than the trips counted",
        }
    }
}

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
    /// Unmet units (acute, planning), units met by substitutes, trip cost (trips ×
    /// the vehicle's cost per trip), vehicle km ×10, or unit·km ×10 (transport).
    pub value: i64,
    /// Solve status of this level.
    pub status: SolveStatus,
    /// Relative gap when stopped by a limit (LP iterations, nodes or time), else 0.
    pub gap: f64,
    /// What stopped the level when its status is `limit`, else `None`.
    #[serde(default)]
    pub stopped_by: Option<StoppedBy>,
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
