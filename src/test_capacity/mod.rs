//! The testing-capacity plan: PCR and serology tests for priority groups, sampling
//! sites, laboratories and test kits — and where the public goes to be tested.
//!
//! The Swedish 2020 testing assignment (county boards help regions scale PCR and
//! serology testing, plan testing of staff in critical services, health and elderly
//! care, disability services and other services, and tell the public where to go) as a
//! weekly linear program:
//!
//! * [`TestingScenario`]: demand groups (municipality × group × test type, tests per
//!   week, priorities from [`default_groups`] or your own), sampling sites, labs (with
//!   pooling), kit stores. JSON via serde; [`TestingScenario::validate`] reports every
//!   problem with its path.
//! * [`plan_testing`]: the plan ([`program`] rows, [`lexicographic`] levels, whole
//!   numbers by [`integral`]) as a [`TestingPlan`] with tests per group and site, site
//!   and lab loads, sample flows, kit shipments, untested demand with reasons and the
//!   value of more capacity (dual prices).
//! * [`guidance`]: the public guidance table (CSV, printable HTML); [`status`]: the
//!   capacity status picture per county; [`report`] and [`output`]: text and files.
//! * [`synthetic`]: Västmanland and whole-Sweden scenarios (real geography, synthetic
//!   figures).
//!
//! Units: tests, samples, analyses and kits per week (capacities are given per day and
//! multiplied by the opening days); distances in km (great-circle × detour factor).

mod assemble;
pub mod guidance;
pub mod integral;
mod keys;
pub mod lexicographic;
pub mod output;
pub mod plan;
pub mod program;
pub mod report;
pub mod resolve;
mod scenario;
pub mod status;
pub mod synthetic;
mod text;
mod validate;
mod words;

pub use assemble::plan_testing;
pub use plan::{
    Assignment, CapacityValue, KitUse, LabUse, PriorityUntested, Resource, SiteUse, TestingObjective, TestingPlan,
    Transport, UnmetReason, UnmetTesting,
};
pub use scenario::{
    days_text, default_groups, Demand, Group, KitStore, Kits, LabCapacity, Laboratory, SamplingKind, SamplingSite,
    TestType, TestingMunicipality, TestingParameters, TestingScenario, Weekday,
};
pub use text::html_escape;
pub use validate::{max_route_km, MAX_DETOUR_FACTOR};
