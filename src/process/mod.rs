//! The planning processes.
//!
//! * [`run_county_round`]: the county's resource-coordination meeting — redistribute
//!   within the county, report what stays unmet and why, and the combined county
//!   request to the national agency.
//! * [`national_round`]: the national agency allocates its stock among the county
//!   requests by a [`Policy`], delivered via each county's transshipment point.
//! * [`simulate`]: the weekly process over N weeks, day by day.
//! * [`report`]: readable text reports; [`output`]: plan files (JSON, CSV).

pub mod audit;
mod county_round;
mod item_network;
#[doc(hidden)]
pub mod item_networks;
mod lexicographic;
mod national_check;
pub mod national_round;
pub mod output;
mod plan;
mod reasons;
pub mod report;
mod round_totals;
pub mod sim_report;
pub mod simulate;

pub(crate) use county_round::{plan_from_flows, run_resolved_packed, GivenFlows};
pub use county_round::{run_county_round, run_resolved, RoundOptions};
pub(crate) use lexicographic::SolveScratch;
pub use lexicographic::Strategy;
pub use national_round::{run_national_round, NationalPlan, NationalRound, Policy};
pub use plan::{
    CountyRequest, DualPrice, ItemObjective, Method, Plan, Reason, ReasonCount, RequestItem, RequestLine, Shipment,
    StockAfter, UnmetNeed, Window,
};
pub(crate) use round_totals::{round_totals, round_totals_in, ItemTotals, RoundFrame};
