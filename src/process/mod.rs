//! The planning processes.
//!
//! * [`run_county_round`]: the county's resource-coordination meeting — redistribute
//!   within the county, report what stays unmet and why, and the combined county
//!   request to the national agency.
//! * [`report`]: readable text reports; [`output`]: plan files (JSON, CSV).

mod county_round;
mod item_network;
mod lexicographic;
pub mod output;
mod plan;
mod reasons;
pub mod report;

pub use county_round::{run_county_round, run_resolved, RoundOptions};
pub use lexicographic::Strategy;
pub use plan::{
    CountyRequest, DualPrice, ItemObjective, Method, Plan, Reason, RequestItem, RequestLine, Shipment, StockAfter,
    UnmetNeed, Window,
};
