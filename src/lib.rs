//! # allocnet
//!
//! Allocation of scarce medical supplies — PPE and COVID-19 test capacity — across a
//! county and national supply network, modelled as min-cost flow and linear programs.
//!
//! * [`flow`]: the min-cost flow problem, a primal network simplex, an independent
//!   optimality certificate, and the DIMACS format.
//! * [`test_capacity`]: the weekly testing-capacity plan (PCR, serology) and public guidance.
//! * [`lp`]: the same problems (and coupled ones) as linear programs through good_lp,
//!   with HiGHS as the default backend (cargo feature `highs`).
//! * [`model`]: the supply network of one planning round — sites, items, priority
//!   classes, status reports, needs, lanes — read from JSON or CSV and validated with
//!   every problem named by its place.
//! * [`process`]: the county resource-coordination meeting (the county round), its
//!   [`Plan`](process::Plan) and the combined county request to the national agency;
//!   the national round (allocation policies, delivery via the transshipment points),
//!   the weekly process simulator and the audit log with replay.
//! * [`apportion`]: the exact largest-remainder split every whole-unit division uses.
//! * [`sweep`]: sweeps under uncertainty — a base plus a spec of grids and seeded
//!   distributions, run as many scenarios on rayon, one row of metrics per scenario.
//! * [`tables`]: the result-table contract — every result's tables as typed columns
//!   with a schema (name, dtype, unit, meaning), one CSV writer, the docs' column tables.
//!
//! ```
//! use allocnet::model::synthetic::vastmanland_default;
//! use allocnet::process::{run_county_round, RoundOptions};
//! let scenario = vastmanland_default().unwrap(); // real geography, synthetic stock
//! let plan = run_county_round(&scenario, &RoundOptions::default()).unwrap();
//! assert!(!plan.shipments.is_empty());
//! ```
//!
//! Quantities are integers (pieces or litres), distances in km, costs in unit·km unless
//! a function says otherwise.

#![warn(missing_docs)]

pub mod apportion;
pub mod engine;
pub mod error;
mod files;
pub mod flow;
mod json_objects;
pub mod json_path;
pub mod limits;
pub mod lookahead;
pub mod lp;
pub mod model;
mod names;
pub mod process;
mod rng;
pub mod sweep;
pub mod tables;
pub mod test_capacity;
pub mod trips;

/// The former name of [`test_capacity`], kept so existing paths still compile.
#[deprecated(note = "renamed: use `allocnet::test_capacity`")]
pub mod testing {
    pub use crate::test_capacity::*;
}

pub use error::{Error, InvalidValue, Result};
