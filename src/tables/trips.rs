//! The tables of a round with logistics data ([`TripsPlan`]).

use super::Dtype::Category;
use super::{
    col, find_spec, table, Column, ColumnSpec, Float, Int, ResultTables, Table, TableSpec, Text, COUNTY, ITEM,
};
use crate::error::Result;
use crate::trips::{SolveStatus, StoppedBy, TripsPlan};

const PACK_SHIPMENTS: &[ColumnSpec] = &[
    ITEM,
    col("from", Text, "", "shipping site id"),
    col("to", Text, "", "receiving site id"),
    col("packs", Int, "packs", "whole packs (> 0)"),
    col("pack_size", Int, "units", "units per pack"),
    col("units", Int, "units", "packs × pack_size"),
    col("km", Float, "km", "lane distance, km (0.1 km resolution)"),
];

const TRIPS: &[ColumnSpec] = &[
    COUNTY,
    col("from", Text, "", "shipping site id"),
    col("to", Text, "", "receiving site id"),
    col("vehicle", Int, "", "vehicle number on the lane (1, 2, ...)"),
    col(
        "items",
        Text,
        "",
        "what it carries: `item packs×pack_size`, joined by `; `",
    ),
    col("packs", Int, "packs", "packs carried"),
    col("units", Int, "units", "units carried"),
    col("load_pct", Float, "%", "load, % of the vehicle capacity in litres"),
    col("km", Float, "km", "lane distance, km"),
];

const STATUS: super::Dtype = Category("solve_status");

const LEVELS: &[ColumnSpec] = &[
    COUNTY,
    col("rank", Int, "", "1 = minimised first"),
    col(
        "level",
        Text,
        "",
        "acute:<class id>, planning, substitutes, trips, vehicle_km or transport",
    ),
    col(
        "value",
        Int,
        "",
        "unmet units (acute, planning), units met by substitutes, trip cost (trips × cost per trip), vehicle km × 10 or unit·km × 10 (transport)",
    ),
    col(
        "status",
        STATUS,
        "",
        "optimal, limit (not proven optimal: a node, LP work or time limit, or a search on held trips; gap reported) or flow",
    ),
    col(
        "gap",
        Float,
        "",
        "relative gap to the best proven bound (LP relaxation or HiGHS's own) when a limit stopped the level, else 0",
    ),
    col(
        "stopped_by",
        Category("stopped_by"),
        "",
        "what stopped a limit level (only time_limit depends on the machine), else empty",
    ),
];

/// The tables of a round with logistics data.
pub(super) const TRIPS_TABLES: &[TableSpec] = &[
    table("pack_shipments", "one shipment in whole packs", PACK_SHIPMENTS),
    table("trips", "one vehicle on one lane at the meeting", TRIPS),
    table("levels", "one objective level of one county's MIP", LEVELS),
];

impl ResultTables for TripsPlan {
    fn schema() -> &'static [TableSpec] {
        TRIPS_TABLES
    }

    fn table(&self, name: &str) -> Result<Table> {
        let spec = find_spec(TRIPS_TABLES, name)?;
        let columns = match spec.name {
            "pack_shipments" => {
                let s = &self.pack_shipments;
                vec![
                    Column::text(s.iter().map(|r| r.item.as_str())),
                    Column::text(s.iter().map(|r| r.from.as_str())),
                    Column::text(s.iter().map(|r| r.to.as_str())),
                    Column::ints(s.iter().map(|r| r.packs)),
                    Column::ints(s.iter().map(|r| r.pack_size)),
                    Column::ints(s.iter().map(|r| r.units)),
                    Column::floats(s.iter().map(|r| r.km)),
                ]
            }
            "trips" => {
                let t = &self.trips;
                vec![
                    Column::text(t.iter().map(|r| r.county.as_str())),
                    Column::text(t.iter().map(|r| r.from.as_str())),
                    Column::text(t.iter().map(|r| r.to.as_str())),
                    Column::ints(t.iter().map(|r| r.vehicle)),
                    Column::text(t.iter().map(|r| r.items.as_str())),
                    Column::ints(t.iter().map(|r| r.packs)),
                    Column::ints(t.iter().map(|r| r.units)),
                    Column::floats(t.iter().map(|r| r.load_pct)),
                    Column::floats(t.iter().map(|r| r.km)),
                ]
            }
            _ => {
                let l = &self.levels;
                let labels: Vec<&str> = SolveStatus::ALL.iter().map(|s| s.as_str()).collect();
                let stops: Vec<&str> = StoppedBy::ALL.iter().map(|s| s.as_str()).collect();
                vec![
                    Column::text(l.iter().map(|r| r.county.as_str())),
                    Column::ints(l.iter().map(|r| r.rank)),
                    Column::text(l.iter().map(|r| r.level.as_str())),
                    Column::ints(l.iter().map(|r| r.value)),
                    Column::closed(
                        &labels,
                        l.iter().map(|r| SolveStatus::ALL.iter().position(|&s| s == r.status)),
                    ),
                    Column::floats(l.iter().map(|r| r.gap)),
                    Column::closed(
                        &stops,
                        l.iter()
                            .map(|r| r.stopped_by.and_then(|s| StoppedBy::ALL.iter().position(|&a| a == s))),
                    ),
                ]
            }
        };
        Table::new(spec, columns)
    }
}
