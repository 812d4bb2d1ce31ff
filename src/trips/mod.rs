//! Plans a coordinator can carry out: whole packs, trips that carry many items,
//! minimum loads and substitutes.
//!
//! * [`Logistics`]: the optional input (pack size, volume and minimum load per item,
//!   substitution rules, the vehicle), checked against a scenario.
//! * Packs alone keep each item a min-cost flow counted in packs (see `packs`).
//! * [`run_trips_round_with`]: the round with a progress callback (one call per part
//!   solved, out of [`trips_round_parts`]) and a cancel flag read between parts.

mod assemble;
mod bound_first;
mod builtin;
mod consolidate;
mod cuts;
#[cfg(feature = "highs")]
mod fixed_takes;
mod kept;
mod lane_moves;
mod magnitude;
mod mip;
mod model;
mod output;
pub(crate) mod packs;
mod reference;
mod report;
mod result;
mod round;
mod run;
mod solve;
#[cfg(all(test, feature = "highs"))]
mod test_support;
mod vehicle_loads;
mod watch;
#[cfg(feature = "highs")]
mod work_limit;

pub use builtin::{builtin_logistics, SYNTHETIC_PACKS};
pub use magnitude::MAX_MIP_MAGNITUDE;
pub use model::{
    ItemLogistics, Logistics, ResolvedLogistics, ResolvedSubstitute, Substitute, SubstitutesRank, Vehicle,
    MAX_PACK_SIZE,
};
pub use output::{load_logistics, trips_command, trips_command_with, write_trips_dir, TRIPS_FILES};
pub use report::trips_report;
pub use result::{PackShipment, SolveStatus, StoppedBy, Trip, TripsLevel, TripsPlan};
pub use round::{run_resolved_trips, run_trips_round, run_trips_round_with, TripsOptions};
pub use solve::{MipOptions, FULL_SEARCH_LANES, MAX_LP_WORK, MIN_TIME_LIMIT_S};
pub use watch::{resolved_trips_parts, trips_round_parts};
