//! The supply network of one planning round: sites, items, priority classes, status
//! reports, lanes — and the checks that turn user input into a [`ResolvedScenario`].
//!
//! A [`Scenario`] is plain data (serde): read it from JSON ([`Scenario::from_json_str`]),
//! from a directory of CSV tables ([`Scenario::from_csv_dir`]), from the same tables as
//! columns ([`Scenario::from_columns`]), or build it in code.
//! [`Scenario::resolve`] checks every value, reports **all** problems at once as
//! [`Error::Invalid`](crate::Error::Invalid) (`status[12].stock: must be >= 0, got -5`,
//! `lanes.csv line 8, column from: unknown site 'x'`), and derives the needs, the donors'
//! giveable stock and the lane distances. The field-by-field reference (units,
//! defaults) is generated from [`schema::FIELDS`] into `docs/input-formats.md`.
//!
//! Units: quantities are whole pieces or whole litres (`i64`), consumption is per day,
//! time in days (the acute window in hours), distances in km.

pub mod builtin;
mod csv_io;
mod distance;
mod needs;
mod resolve;
mod scenario;
pub mod schema;
pub mod sweden;
pub mod synthetic;
mod tables;
mod validate;

pub use distance::{haversine_km, EARTH_RADIUS_KM};
pub use needs::{need_units, shortfall_requirement, split_by_weights, NeedUnits, MAX_DERIVED_UNITS};
pub(crate) use needs::{need_units_sorted, SplitWeights};
pub(crate) use resolve::MAX_ITEM_UNITS;
pub use resolve::{Profile, ResolvedLane, ResolvedScenario, KM_SCALE};
pub use scenario::{
    default_priority_classes, ClassNeed, Delivery, Distance, Item, Lane, NeedSplit, Parameters, PriorityClass,
    Scenario, Site, SiteKind, SiteStatus, Unit,
};
pub use tables::{Column, ColumnTable};
