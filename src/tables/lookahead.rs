//! The lookahead round's [`LookaheadPlan`] as tables.

use super::Dtype::Bool;
use super::{
    col, find_spec, table, Column, ColumnSpec, Float, Int, ResultTables, Table, TableSpec, Text, COUNTY, ITEM,
    PRIORITY, SITE,
};
use crate::error::Result;
use crate::lookahead::LookaheadPlan;

const DAY: ColumnSpec = col("day", Int, "day", "day of the horizon (0 = the meeting day)");

const SHIPMENTS: &[ColumnSpec] = &[
    ITEM,
    col("from", Text, "", "shipping site id"),
    col("to", Text, "", "receiving site id"),
    col(
        "depart_day",
        Int,
        "day",
        "day the shipment leaves (0 = today's meeting)",
    ),
    col(
        "arrive_day",
        Int,
        "day",
        "day it arrives: depart_day + the lane's lead time",
    ),
    col("quantity", Int, "units", "whole units of the item (> 0)"),
    col("km", Float, "km", "lane distance, km (0.1 km resolution)"),
    col(
        "today",
        Bool,
        "",
        "true: to decide at today's meeting; false: planned for a later meeting",
    ),
];

const SITE_DAYS: &[ColumnSpec] = &[
    ITEM,
    SITE,
    DAY,
    col(
        "consumption",
        Int,
        "units",
        "consumption of the day (all classes), units",
    ),
    col(
        "deliveries",
        Int,
        "units",
        "expected deliveries arriving that day, units",
    ),
    col("received", Int, "units", "units arriving that day by planned shipments"),
    col("sent", Int, "units", "units leaving that day by planned shipments"),
    col("served", Int, "units", "consumption served with the plan, units"),
    col("shortage", Int, "units", "consumption not served with the plan, units"),
    col(
        "stock_end",
        Int,
        "units",
        "stock at the end of the day with the plan, units",
    ),
    col(
        "served_without",
        Int,
        "units",
        "consumption served without any shipment, units",
    ),
    col(
        "shortage_without",
        Int,
        "units",
        "consumption not served without any shipment, units",
    ),
    col(
        "stock_end_without",
        Int,
        "units",
        "stock at the end of the day without any shipment, units",
    ),
];

const OBJECTIVE: &[ColumnSpec] = &[
    ITEM,
    col("rank", Int, "", "1 = minimised first"),
    col("level", Text, "", "acute:<class id>, later:<class id>, transport"),
    col("priority", PRIORITY, "", "the class of a need level, else missing"),
    col(
        "value",
        Float,
        "",
        "unit-days of shortage (need levels) or unit-km (transport)",
    ),
];

const COUNTY_REQUEST: &[ColumnSpec] = &[
    COUNTY,
    ITEM,
    SITE,
    col("priority", PRIORITY, "", "priority class id"),
    col("due_day", Int, "day", "day the acute need falls due (0 = today)"),
    col("quantity", Int, "units", "units short that day after the plan"),
];

const DUAL_PRICES: &[ColumnSpec] = &[
    ITEM,
    SITE,
    DAY,
    col(
        "level",
        Text,
        "",
        "highest level one more unit there on that day would improve: acute:<class>, later:<class> or none",
    ),
    col("value", Int, "unit-days", "unit-days of that level one more unit gains"),
    col(
        "km",
        Float,
        "km",
        "km one more unit there saves (> 0) or costs (< 0) in the least-transport plan",
    ),
];

/// The lookahead round's tables.
pub(super) const LOOKAHEAD_TABLES: &[TableSpec] = &[
    table(
        "shipments",
        "one shipment of the plan: today's and the planned later ones",
        SHIPMENTS,
    ),
    table(
        "site_days",
        "one item, site and day of the projection, with and without the plan",
        SITE_DAYS,
    ),
    table(
        "objective",
        "one objective level of one item, in the order they are minimised",
        OBJECTIVE,
    ),
    table(
        "county_request",
        "one acute shortage left after the plan: county, item, site, class and due day",
        COUNTY_REQUEST,
    ),
    table(
        "dual_prices",
        "the value of one more unit of an item at a site on a day",
        DUAL_PRICES,
    ),
];

impl ResultTables for LookaheadPlan {
    fn schema() -> &'static [TableSpec] {
        LOOKAHEAD_TABLES
    }

    fn table(&self, name: &str) -> Result<Table> {
        let spec = find_spec(LOOKAHEAD_TABLES, name)?;
        let classes = &self.priority_classes;
        let day = |d: u32| i64::from(d);
        let columns = match spec.name {
            "shipments" => {
                let s = &self.shipments;
                vec![
                    Column::text(s.iter().map(|r| r.item.as_str())),
                    Column::text(s.iter().map(|r| r.from.as_str())),
                    Column::text(s.iter().map(|r| r.to.as_str())),
                    Column::ints(s.iter().map(|r| day(r.depart_day))),
                    Column::ints(s.iter().map(|r| day(r.arrive_day))),
                    Column::ints(s.iter().map(|r| r.quantity)),
                    Column::floats(s.iter().map(|r| r.km)),
                    Column::Bool(s.iter().map(|r| r.today).collect()),
                ]
            }
            "site_days" => {
                let s = &self.site_days;
                vec![
                    Column::text(s.iter().map(|r| r.item.as_str())),
                    Column::text(s.iter().map(|r| r.site.as_str())),
                    Column::ints(s.iter().map(|r| day(r.day))),
                    Column::ints(s.iter().map(|r| r.consumption)),
                    Column::ints(s.iter().map(|r| r.deliveries)),
                    Column::ints(s.iter().map(|r| r.received)),
                    Column::ints(s.iter().map(|r| r.sent)),
                    Column::ints(s.iter().map(|r| r.served)),
                    Column::ints(s.iter().map(|r| r.shortage)),
                    Column::ints(s.iter().map(|r| r.stock_end)),
                    Column::ints(s.iter().map(|r| r.served_without)),
                    Column::ints(s.iter().map(|r| r.shortage_without)),
                    Column::ints(s.iter().map(|r| r.stock_end_without)),
                ]
            }
            "objective" => objective(self),
            "county_request" => {
                let r = &self.requests;
                vec![
                    Column::text(r.iter().map(|x| x.county.as_str())),
                    Column::text(r.iter().map(|x| x.item.as_str())),
                    Column::text(r.iter().map(|x| x.site.as_str())),
                    Column::closed_by_label(classes, r.iter().map(|x| Some(x.priority.as_str()))),
                    Column::ints(r.iter().map(|x| day(x.due_day))),
                    Column::ints(r.iter().map(|x| x.quantity)),
                ]
            }
            _ => {
                let d = &self.dual_prices;
                vec![
                    Column::text(d.iter().map(|r| r.item.as_str())),
                    Column::text(d.iter().map(|r| r.site.as_str())),
                    Column::ints(d.iter().map(|r| day(r.day))),
                    Column::text(d.iter().map(|r| r.level.as_str())),
                    Column::ints(d.iter().map(|r| r.value)),
                    Column::floats(d.iter().map(|r| r.km)),
                ]
            }
        };
        Table::new(spec, columns)
    }
}

/// One row per item and level: acute per class, later per class, transport.
fn objective(p: &LookaheadPlan) -> Vec<Column> {
    let k = p.priority_classes.len();
    // (objective index, level index, class, value)
    let mut rows: Vec<(usize, usize, Option<usize>, f64)> = Vec::new();
    for (i, o) in p.objective.iter().enumerate() {
        for (c, &v) in o.acute_unmet.iter().enumerate() {
            rows.push((i, c, Some(c), v as f64));
        }
        for (c, &v) in o.later_unmet.iter().enumerate() {
            rows.push((i, k + c, Some(c), v as f64));
        }
        rows.push((i, 2 * k, None, o.transport_unit_km));
    }
    let mut levels: Vec<String> = p.priority_classes.iter().map(|c| format!("acute:{c}")).collect();
    levels.extend(p.priority_classes.iter().map(|c| format!("later:{c}")));
    levels.push("transport".into());
    let o = &p.objective;
    vec![
        Column::text(rows.iter().map(|r| o[r.0].item.as_str())),
        Column::ints(rows.iter().map(|r| r.1 as i64 + 1)),
        Column::closed(&levels, rows.iter().map(|r| Some(r.1))),
        Column::closed(&p.priority_classes, rows.iter().map(|r| r.2)),
        Column::floats(rows.iter().map(|r| r.3)),
    ]
}
