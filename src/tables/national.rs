//! The national round's [`NationalPlan`] as tables.

use super::{
    col, find_spec, table, Column, ColumnSpec, Float, Int, ResultTables, Table, TableSpec, Text, COUNTY, ITEM,
    PRIORITY, SITE,
};
use crate::error::Result;
use crate::process::NationalPlan;
use crate::process::Shipment;

const ITEMS: &[ColumnSpec] = &[
    ITEM,
    col(
        "stock",
        Int,
        "units",
        "national stock before the round (all warehouses), units",
    ),
    col("requested", Int, "units", "requested by all counties, units"),
    col("approved", Int, "units", "approved to all counties, units"),
    col(
        "min_fraction",
        Float,
        "",
        "smallest fraction of its request any requesting county receives (1 if none requests)",
    ),
    col("acute_unmet", Int, "units", "acute need left unmet, all classes, units"),
    col(
        "national_unit_km",
        Float,
        "unit-km",
        "national leg warehouse -> transshipment point, unit-km",
    ),
    col(
        "last_mile_unit_km",
        Float,
        "unit-km",
        "last mile transshipment point -> site, unit-km",
    ),
];

const ACUTE_UNMET: &[ColumnSpec] = &[
    ITEM,
    col("priority", PRIORITY, "", "priority class id"),
    col("unmet", Int, "units", "acute need left unmet in the class, units"),
];

const ALLOCATIONS: &[ColumnSpec] = &[
    COUNTY,
    ITEM,
    col("requested", Int, "units", "requested (remaining acute need), units"),
    col("approved", Int, "units", "approved, units (<= requested)"),
    col("fraction", Float, "", "approved / requested"),
];

const ALLOCATIONS_BY_PRIORITY: &[ColumnSpec] = &[
    COUNTY,
    ITEM,
    col(
        "priority",
        PRIORITY,
        "",
        "priority class id (classes with approved > 0)",
    ),
    col("approved", Int, "units", "approved for the class, units"),
];

const NATIONAL_SHIPMENTS: &[ColumnSpec] = &[
    ITEM,
    col("from", Text, "", "national warehouse site id"),
    col("to", Text, "", "county transshipment point site id"),
    col("quantity", Int, "units", "units (> 0)"),
    col("km", Float, "km", "great-circle km x detour factor (0.1 km resolution)"),
];

const LAST_MILE: &[ColumnSpec] = &[
    ITEM,
    col("from", Text, "", "county transshipment point site id"),
    col("to", Text, "", "receiving site id"),
    col("quantity", Int, "units", "units (> 0)"),
    col("km", Float, "km", "great-circle km x detour factor (0.1 km resolution)"),
];

const UNMET: &[ColumnSpec] = &[
    COUNTY,
    SITE,
    ITEM,
    col("priority", PRIORITY, "", "priority class id"),
    col("requested", Int, "units", "requested in the class, units"),
    col("unmet", Int, "units", "left unmet, units (> 0)"),
];

const STOCK_AFTER: &[ColumnSpec] = &[
    col("warehouse", Text, "", "national warehouse site id"),
    ITEM,
    col("before", Int, "units", "stock before the round, units"),
    col("sent", Int, "units", "sent to counties, units"),
    col("after", Int, "units", "before - sent, units"),
];

/// The national round's tables.
pub(super) const NATIONAL_TABLES: &[TableSpec] = &[
    table("items", "one item over all counties", ITEMS),
    table(
        "acute_unmet",
        "acute need left unmet of one item and class",
        ACUTE_UNMET,
    ),
    table("allocations", "what one county is approved for one item", ALLOCATIONS),
    table(
        "allocations_by_priority",
        "what one county is approved for one item and class",
        ALLOCATIONS_BY_PRIORITY,
    ),
    table(
        "national_shipments",
        "one shipment warehouse -> transshipment point",
        NATIONAL_SHIPMENTS,
    ),
    table("last_mile", "one shipment transshipment point -> site", LAST_MILE),
    table("unmet", "acute need of one site, item and class left unmet", UNMET),
    table(
        "stock_after",
        "stock of one item at one national warehouse",
        STOCK_AFTER,
    ),
];

fn shipments(s: &[Shipment]) -> Vec<Column> {
    vec![
        Column::text(s.iter().map(|r| r.item.as_str())),
        Column::text(s.iter().map(|r| r.from.as_str())),
        Column::text(s.iter().map(|r| r.to.as_str())),
        Column::ints(s.iter().map(|r| r.quantity)),
        Column::floats(s.iter().map(|r| r.km)),
    ]
}

/// A sum of unit-hm as unit-km (tenths of a unit-km).
fn unit_km(hm: i64) -> f64 {
    hm as f64 / 10.0
}

impl ResultTables for NationalPlan {
    fn schema() -> &'static [TableSpec] {
        NATIONAL_TABLES
    }

    fn table(&self, name: &str) -> Result<Table> {
        let spec = find_spec(NATIONAL_TABLES, name)?;
        let classes = &self.priority_classes;
        let columns = match spec.name {
            "items" => {
                let it = &self.items;
                let acute = it
                    .iter()
                    .map(|r| {
                        r.acute_unmet
                            .iter()
                            .try_fold(0i64, |a, &b| a.checked_add(b))
                            .ok_or_else(|| {
                                crate::Error::Overflow(format!("acute unmet of item {} exceeds i64", r.item))
                            })
                    })
                    .collect::<Result<Vec<_>>>()?;
                vec![
                    Column::text(it.iter().map(|r| r.item.as_str())),
                    Column::ints(it.iter().map(|r| r.stock)),
                    Column::ints(it.iter().map(|r| r.requested)),
                    Column::ints(it.iter().map(|r| r.approved)),
                    Column::floats(it.iter().map(|r| r.min_fraction)),
                    Column::Int(acute),
                    Column::floats(it.iter().map(|r| unit_km(r.national_unit_hm))),
                    Column::floats(it.iter().map(|r| unit_km(r.last_mile_unit_hm))),
                ]
            }
            "acute_unmet" => {
                let rows: Vec<(&str, usize, i64)> = self
                    .items
                    .iter()
                    .flat_map(|it| {
                        it.acute_unmet
                            .iter()
                            .take(classes.len())
                            .enumerate()
                            .map(|(k, &u)| (it.item.as_str(), k, u))
                    })
                    .collect();
                vec![
                    Column::text(rows.iter().map(|r| r.0)),
                    Column::closed(classes, rows.iter().map(|r| Some(r.1))),
                    Column::ints(rows.iter().map(|r| r.2)),
                ]
            }
            "allocations" => {
                let a = &self.allocations;
                vec![
                    Column::text(a.iter().map(|r| r.county.as_str())),
                    Column::text(a.iter().map(|r| r.item.as_str())),
                    Column::ints(a.iter().map(|r| r.requested)),
                    Column::ints(a.iter().map(|r| r.approved)),
                    Column::floats(a.iter().map(|r| r.fraction)),
                ]
            }
            "allocations_by_priority" => {
                let rows: Vec<(&str, &str, &str, i64)> = self
                    .allocations
                    .iter()
                    .flat_map(|a| {
                        a.by_priority
                            .iter()
                            .map(|(c, q)| (a.county.as_str(), a.item.as_str(), c.as_str(), *q))
                    })
                    .collect();
                vec![
                    Column::text(rows.iter().map(|r| r.0)),
                    Column::text(rows.iter().map(|r| r.1)),
                    Column::closed_by_label(classes, rows.iter().map(|r| Some(r.2))),
                    Column::ints(rows.iter().map(|r| r.3)),
                ]
            }
            "national_shipments" => shipments(&self.national_shipments),
            "last_mile" => shipments(&self.last_mile),
            "unmet" => {
                let u = &self.unmet;
                vec![
                    Column::text(u.iter().map(|r| r.county.as_str())),
                    Column::text(u.iter().map(|r| r.site.as_str())),
                    Column::text(u.iter().map(|r| r.item.as_str())),
                    Column::closed_by_label(classes, u.iter().map(|r| Some(r.priority.as_str()))),
                    Column::ints(u.iter().map(|r| r.requested)),
                    Column::ints(u.iter().map(|r| r.unmet)),
                ]
            }
            _ => {
                let s = &self.stock_after;
                vec![
                    Column::text(s.iter().map(|r| r.warehouse.as_str())),
                    Column::text(s.iter().map(|r| r.item.as_str())),
                    Column::ints(s.iter().map(|r| r.before)),
                    Column::ints(s.iter().map(|r| r.sent)),
                    Column::ints(s.iter().map(|r| r.after)),
                ]
            }
        };
        Table::new(spec, columns)
    }
}
