//! The testing plan: what a result carries. Quantities are tests, samples, analyses
//! or kits per week; distances km (great-circle × detour factor).

use super::lexicographic::LevelOutcome;
use super::scenario::{SamplingKind, TestType};
use serde::Serialize;

/// Tests of one group in one municipality at one site.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Assignment {
    /// Municipality id.
    pub municipality: String,
    /// Municipality name.
    pub municipality_name: String,
    /// The municipality's county.
    pub county: String,
    /// Group id.
    pub group: String,
    /// The group's priority.
    pub priority: u32,
    /// Test type.
    pub test_type: TestType,
    /// Site id.
    pub site: String,
    /// Tests per week.
    pub tests: i64,
    /// Travel distance municipality → site (km).
    pub km: f64,
}

/// Why demand stays untested.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum UnmetReason {
    /// No site offering the test type within the group's max travel distance.
    NoSiteInReach,
    /// Every site within reach is at its sampling capacity.
    SitesFull,
    /// The sites within reach with room have no kits left (and no store can ship).
    KitsExhausted,
    /// Sites have room and kits, but no lab can analyse more samples.
    LabsFull,
}

crate::names::named_enum!(UnmetReason, "reason", {
    NoSiteInReach => "no-site-in-reach",
    SitesFull => "sites-full",
    KitsExhausted => "kits-exhausted",
    LabsFull => "labs-full",
});

/// Demand that stays untested this week.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct UnmetTesting {
    /// Municipality id.
    pub municipality: String,
    /// The municipality's county.
    pub county: String,
    /// Group id.
    pub group: String,
    /// The group's priority.
    pub priority: u32,
    /// Test type.
    pub test_type: TestType,
    /// Tests needed.
    pub demand: i64,
    /// Tests planned.
    pub tested: i64,
    /// `demand − tested`, `> 0`.
    pub untested: i64,
    /// Why.
    pub reason: UnmetReason,
}

/// Load of one sampling site.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SiteUse {
    /// Site id.
    pub site: String,
    /// Name.
    pub name: String,
    /// County.
    pub county: String,
    /// Kind.
    pub kind: SamplingKind,
    /// Samples per week it can take.
    pub capacity_per_week: i64,
    /// PCR tests planned.
    pub pcr: i64,
    /// Serology tests planned.
    pub serology: i64,
    /// `used / capacity` (0 when the capacity is 0).
    pub utilisation: f64,
}

/// Load of one laboratory for one test type.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct LabUse {
    /// Lab id.
    pub lab: String,
    /// Name.
    pub name: String,
    /// County.
    pub county: String,
    /// Test type.
    pub test_type: TestType,
    /// Samples received.
    pub samples: i64,
    /// Analyses run: `ceil(samples / pooling)`.
    pub analyses: i64,
    /// Analyses per week it can run.
    pub analyses_capacity: i64,
    /// Samples per analysis.
    pub pooling: i64,
    /// `analyses / analyses_capacity` (0 when the capacity is 0).
    pub utilisation: f64,
}

/// A movement of samples or kits.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Transport {
    /// From (site for samples, store for kits).
    pub from: String,
    /// To (lab for samples, site for kits).
    pub to: String,
    /// Test type.
    pub test_type: TestType,
    /// Samples or kits.
    pub quantity: i64,
    /// Distance (km).
    pub km: f64,
}

/// Kits of one type at one site.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct KitUse {
    /// Site id.
    pub site: String,
    /// Test type.
    pub test_type: TestType,
    /// Kits on hand before.
    pub on_hand: i64,
    /// Kits shipped in.
    pub received: i64,
    /// Kits used (= tests).
    pub used: i64,
    /// `on_hand + received − used`, `>= 0`.
    pub left: i64,
}

/// Untested demand of one priority.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PriorityUntested {
    /// The priority.
    pub priority: u32,
    /// Tests needed.
    pub demand: i64,
    /// Tests not planned.
    pub untested: i64,
}

/// The objective, level by level.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct TestingObjective {
    /// Untested demand per priority (whole-number plan).
    pub untested_by_priority: Vec<PriorityUntested>,
    /// Σ tests × km to the site.
    pub person_km: f64,
    /// Σ samples × km site → lab.
    pub sample_km: f64,
    /// Σ kits × km store → site.
    pub kit_km: f64,
    /// The LP's optimum per level (before rounding).
    pub levels: Vec<LevelOutcome>,
    /// Fractional LP test values rounded down (0 when the LP was integral).
    pub fractional_rounded_down: usize,
}

/// What kind of capacity a [`CapacityValue`] prices.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Resource {
    /// Sampling capacity of a site (per test per week).
    SiteCapacity,
    /// Analysis capacity of a lab for a type (per analysis per week).
    LabCapacity,
    /// Kits on hand at a site (per kit).
    SiteKits,
    /// Kits in a regional store (per kit).
    StoreKits,
}

crate::names::named_enum!(Resource, "resource", {
    SiteCapacity => "site-capacity",
    LabCapacity => "lab-capacity",
    SiteKits => "site-kits",
    StoreKits => "store-kits",
});

/// The value of one more unit of a capacity: the dual price of its row at the first
/// objective level where it is non-zero (lexicographic dual). E.g. `level = priority
/// 2`, `value = 1.0`: one more test per week at this site tests one more person of
/// priority 2. Duals of degenerate LPs are not unique; this is the solver's.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct CapacityValue {
    /// Kind of capacity.
    pub resource: Resource,
    /// Site, lab or store id.
    pub id: String,
    /// Its county.
    pub county: String,
    /// The test type (all types share a site's sampling capacity: `None`).
    pub test_type: Option<TestType>,
    /// The objective level the value is in (`priority 1`, …, `travel`, `transport`).
    pub level: String,
    /// Index of that level (0 = first): lower is more important.
    pub level_index: usize,
    /// Improvement of that level per extra unit (tests, person·km or km).
    pub value: f64,
    /// Used.
    pub load: i64,
    /// Capacity.
    pub capacity: i64,
}

/// The testing-capacity plan of one week.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct TestingPlan {
    /// Scenario name.
    pub scenario: String,
    /// Week label.
    pub week: String,
    /// Whether the input figures are synthetic.
    pub synthetic: bool,
    /// Tests per group, municipality and site.
    pub assignments: Vec<Assignment>,
    /// Untested demand with reasons, priority order.
    pub unmet: Vec<UnmetTesting>,
    /// Site loads.
    pub sites: Vec<SiteUse>,
    /// Lab loads per type.
    pub labs: Vec<LabUse>,
    /// Samples site → lab.
    pub sample_flows: Vec<Transport>,
    /// Kits store → site.
    pub kit_shipments: Vec<Transport>,
    /// Kits per site and type.
    pub kits: Vec<KitUse>,
    /// The objective.
    pub objective: TestingObjective,
    /// Capacities worth growing, most valuable first (empty without duals).
    pub capacity_values: Vec<CapacityValue>,
    /// Whether the LP backend gave duals.
    pub duals_available: bool,
}

impl TestingPlan {
    /// Total tests planned.
    pub fn total_tests(&self) -> i64 {
        self.assignments.iter().map(|a| a.tests).sum()
    }

    /// Total untested demand.
    pub fn total_untested(&self) -> i64 {
        self.unmet.iter().map(|u| u.untested).sum()
    }
}
