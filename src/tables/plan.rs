//! The county round's [`Plan`] as tables.

use super::Dtype::Category;
use super::{
    col, find_spec, table, Column, ColumnSpec, Float, Int, ResultTables, Table, TableSpec, Text, COUNTY, ITEM,
    PRIORITY, SITE,
};
use crate::error::Result;
use crate::process::{CountyRequest, Plan, Reason, Window};

const WINDOW: super::Dtype = Category("window");
const REASON: super::Dtype = Category("reason");

const SHIPMENTS: &[ColumnSpec] = &[
    ITEM,
    col("from", Text, "", "shipping site id"),
    col("to", Text, "", "receiving site id"),
    col("quantity", Int, "units", "whole units of the item (> 0)"),
    col("km", Float, "km", "lane distance, km (0.1 km resolution)"),
];

const UNMET: &[ColumnSpec] = &[
    ITEM,
    SITE,
    col("priority", PRIORITY, "", "priority class id"),
    col(
        "window",
        WINDOW,
        "",
        "acute (within the acute window) or planning (within the horizon)",
    ),
    col("need", Int, "units", "need before the round, units"),
    col("unmet", Int, "units", "need left after the round, units (> 0)"),
    col("reason", REASON, "", "why it stays unmet (a reason code)"),
    col("explanation", Text, "", "the reason in one sentence"),
];

const STOCK_AFTER: &[ColumnSpec] = &[
    ITEM,
    SITE,
    col("before", Int, "units", "stock before the round, units"),
    col("received", Int, "units", "units received at the meeting"),
    col("sent", Int, "units", "units sent at the meeting"),
    col("after", Int, "units", "before + received - sent, units"),
];

const DUAL_PRICES: &[ColumnSpec] = &[
    ITEM,
    SITE,
    col(
        "level",
        Text,
        "",
        "highest objective level one more unit there would improve: acute:<class>, planning, transport or none",
    ),
    col(
        "km",
        Float,
        "km",
        "km part of the value (negative: km spent to bring it to the need)",
    ),
    col(
        "raw",
        Int,
        "",
        "raw potential difference of the solve, in its cost units",
    ),
];

const OBJECTIVE: &[ColumnSpec] = &[
    ITEM,
    col("unit", Text, "", "pieces or litres"),
    col("rank", Int, "", "1 = minimised first"),
    col("level", Text, "", "acute:<class id>, planning or transport"),
    col("priority", PRIORITY, "", "the class of an acute level, else missing"),
    col(
        "value",
        Float,
        "",
        "unmet units (acute, planning) or unit-km (transport)",
    ),
    col("method", Text, "", "weighted or level-by-level"),
];

const OBJECTIVE_WIDE: &[ColumnSpec] = &[
    ITEM,
    col("unit", Text, "", "pieces or litres"),
    col(
        "acute_unmet_<class>",
        Int,
        "units",
        "unmet acute need of the class, units (one column per class, highest first)",
    ),
    col(
        "planning_unmet",
        Int,
        "units",
        "unmet need within the planning horizon, units",
    ),
    col("transport_unit_km", Float, "unit-km", "transport, unit-km"),
    col("method", Text, "", "weighted or level-by-level"),
];

const COUNTY_REQUEST: &[ColumnSpec] = &[
    COUNTY,
    ITEM,
    col("item_name", Text, "", "item name"),
    col("unit", Text, "", "pieces or litres"),
    SITE,
    col("site_name", Text, "", "site name"),
    col("kind", Text, "", "site kind"),
    col("priority", PRIORITY, "", "priority class id"),
    col("quantity", Int, "units", "remaining acute need requested, units"),
];

const REASONS: &[ColumnSpec] = &[
    ITEM,
    col("window", WINDOW, "", "acute or planning"),
    col("reason", REASON, "", "reason code"),
    col("explanation", Text, "", "the reason in one sentence"),
    col("needs", Int, "", "number of unmet (site, class) needs with this reason"),
    col("sites", Int, "", "number of distinct sites among them"),
    col("unmet", Int, "units", "their total unmet units"),
];

/// The county round's tables.
pub(super) const PLAN_TABLES: &[TableSpec] = &[
    table("shipments", "one shipment decided at the meeting", SHIPMENTS),
    table(
        "unmet",
        "one need left (partly) unmet, per item, site, class and window",
        UNMET,
    ),
    table(
        "stock_after",
        "stock of one item at one site before and after the round",
        STOCK_AFTER,
    ),
    table(
        "dual_prices",
        "the value of one more unit of an item at a site",
        DUAL_PRICES,
    ),
    table(
        "objective",
        "one objective level of one item, in the order they are minimised",
        OBJECTIVE,
    ),
    table(
        "county_request",
        "one line of the county request: county, item, site and class",
        COUNTY_REQUEST,
    ),
    table("reasons", "unmet need by item, window and reason", REASONS),
    TableSpec {
        name: "objective_wide",
        meaning: "the objective of one item, one column per level (objective.csv)",
        columns: OBJECTIVE_WIDE,
        file_only: true,
    },
];

fn window_position(w: Window) -> Option<usize> {
    Window::ALL.iter().position(|&x| x == w)
}

fn reason_position(r: Reason) -> Option<usize> {
    Reason::ALL.iter().position(|&x| x == r)
}

fn window_column(rows: impl Iterator<Item = Window>) -> Column {
    let labels: Vec<&str> = Window::ALL.iter().map(|w| w.as_str()).collect();
    Column::closed(&labels, rows.map(window_position))
}

/// The reason codes (or, with `describe`, their sentences) of `rows`, over every reason.
fn reason_column(rows: impl Iterator<Item = Reason>, describe: bool) -> Column {
    let labels: Vec<&str> = Reason::ALL
        .iter()
        .map(|r| if describe { r.describe() } else { r.as_str() })
        .collect();
    Column::closed(&labels, rows.map(reason_position))
}

impl ResultTables for Plan {
    fn schema() -> &'static [TableSpec] {
        PLAN_TABLES
    }

    fn table(&self, name: &str) -> Result<Table> {
        let spec = find_spec(PLAN_TABLES, name)?;
        let classes = &self.priority_classes;
        let priority = |ids: &mut dyn Iterator<Item = Option<&str>>| Column::closed_by_label(classes, ids);
        let columns = match spec.name {
            "shipments" => {
                let s = &self.shipments;
                vec![
                    Column::text(s.iter().map(|r| r.item.as_str())),
                    Column::text(s.iter().map(|r| r.from.as_str())),
                    Column::text(s.iter().map(|r| r.to.as_str())),
                    Column::ints(s.iter().map(|r| r.quantity)),
                    Column::floats(s.iter().map(|r| r.km)),
                ]
            }
            "unmet" => {
                let u = &self.unmet;
                vec![
                    Column::text(u.iter().map(|r| r.item.as_str())),
                    Column::text(u.iter().map(|r| r.site.as_str())),
                    priority(&mut u.iter().map(|r| Some(r.priority.as_str()))),
                    window_column(u.iter().map(|r| r.window)),
                    Column::ints(u.iter().map(|r| r.need)),
                    Column::ints(u.iter().map(|r| r.unmet)),
                    reason_column(u.iter().map(|r| r.reason), false),
                    reason_column(u.iter().map(|r| r.reason), true),
                ]
            }
            "stock_after" => {
                let s = &self.stock_after;
                vec![
                    Column::text(s.iter().map(|r| r.item.as_str())),
                    Column::text(s.iter().map(|r| r.site.as_str())),
                    Column::ints(s.iter().map(|r| r.before)),
                    Column::ints(s.iter().map(|r| r.received)),
                    Column::ints(s.iter().map(|r| r.sent)),
                    Column::ints(s.iter().map(|r| r.after)),
                ]
            }
            "dual_prices" => {
                let d = &self.dual_prices;
                vec![
                    Column::text(d.iter().map(|r| r.item.as_str())),
                    Column::text(d.iter().map(|r| r.site.as_str())),
                    Column::text(d.iter().map(|r| r.level.as_str())),
                    Column::floats(d.iter().map(|r| r.km)),
                    Column::ints(d.iter().map(|r| r.raw)),
                ]
            }
            "objective" => objective(self),
            "county_request" => return county_request_table(&self.requests, Some(&self.priority_classes)),
            "reasons" => {
                let rows = self.reason_counts()?;
                vec![
                    Column::text(rows.iter().map(|r| r.item.as_str())),
                    window_column(rows.iter().map(|r| r.window)),
                    reason_column(rows.iter().map(|r| r.reason), false),
                    reason_column(rows.iter().map(|r| r.reason), true),
                    Column::ints(rows.iter().map(|r| r.needs)),
                    Column::ints(rows.iter().map(|r| r.sites)),
                    Column::ints(rows.iter().map(|r| r.unmet)),
                ]
            }
            _ => return objective_wide(self, spec),
        };
        Table::new(spec, columns)
    }
}

/// One row per item and level, in the order they are minimised: acute per class,
/// planning, transport.
fn objective(p: &Plan) -> Vec<Column> {
    // (objective index, rank, level index, class index, value)
    let mut rows: Vec<(usize, i64, usize, Option<usize>, f64)> = Vec::new();
    let k = p.priority_classes.len();
    for (i, o) in p.objective.iter().enumerate() {
        for (rank, &v) in o.acute_unmet.iter().enumerate().take(k) {
            rows.push((i, rank as i64 + 1, rank, Some(rank), v as f64));
        }
        let n = o.acute_unmet.len() as i64;
        rows.push((i, n + 1, k, None, o.planning_unmet as f64));
        rows.push((i, n + 2, k + 1, None, o.transport_unit_km));
    }
    let mut levels: Vec<String> = p.priority_classes.iter().map(|id| format!("acute:{id}")).collect();
    levels.extend(["planning".to_string(), "transport".to_string()]);
    let o = &p.objective;
    vec![
        Column::text(rows.iter().map(|r| o[r.0].item.as_str())),
        Column::text(rows.iter().map(|r| o[r.0].unit.as_str())),
        Column::ints(rows.iter().map(|r| r.1)),
        Column::closed(&levels, rows.iter().map(|r| Some(r.2))),
        Column::closed(&p.priority_classes, rows.iter().map(|r| r.3)),
        Column::floats(rows.iter().map(|r| r.4)),
        Column::text(rows.iter().map(|r| o[r.0].method.as_str())),
    ]
}

/// One row per item, one `acute_unmet_<class>` column per class (objective.csv).
fn objective_wide(p: &Plan, spec: &'static TableSpec) -> Result<Table> {
    let o = &p.objective;
    let mut columns = vec![
        ("item".to_string(), Column::text(o.iter().map(|r| r.item.as_str()))),
        ("unit".to_string(), Column::text(o.iter().map(|r| r.unit.as_str()))),
    ];
    for (k, class) in p.priority_classes.iter().enumerate() {
        let values = o.iter().map(|r| r.acute_unmet.get(k).copied());
        columns.push((format!("acute_unmet_{class}"), Column::OptInt(values.collect())));
    }
    columns.extend([
        (
            "planning_unmet".to_string(),
            Column::ints(o.iter().map(|r| r.planning_unmet)),
        ),
        (
            "transport_unit_km".to_string(),
            Column::floats(o.iter().map(|r| r.transport_unit_km)),
        ),
        ("method".to_string(), Column::text(o.iter().map(|r| r.method.as_str()))),
    ]);
    Table::with_names(spec, columns)
}

/// The `county_request` table of a plan's requests: one row per county, item, site
/// and class. The `priority` categories are `classes` (highest first) or, without
/// them, the classes of the requests in order of first appearance.
pub fn county_request_table(requests: &[CountyRequest], classes: Option<&[String]>) -> Result<Table> {
    let spec = find_spec(PLAN_TABLES, "county_request")?;
    let mut rows = Vec::new();
    for r in requests {
        for it in &r.items {
            for line in &it.sites {
                for (class, q) in &line.by_priority {
                    rows.push((r, it, line, class.as_str(), *q));
                }
            }
        }
    }
    let seen: Vec<String>;
    let classes = match classes {
        Some(classes) => classes,
        None => {
            let mut first: Vec<String> = Vec::new();
            for r in &rows {
                if !first.iter().any(|c| c == r.3) {
                    first.push(r.3.to_string());
                }
            }
            seen = first;
            &seen
        }
    };
    let columns = vec![
        Column::text(rows.iter().map(|r| r.0.county.as_str())),
        Column::text(rows.iter().map(|r| r.1.item.as_str())),
        Column::text(rows.iter().map(|r| r.1.item_name.as_str())),
        Column::text(rows.iter().map(|r| r.1.unit.as_str())),
        Column::text(rows.iter().map(|r| r.2.site.as_str())),
        Column::text(rows.iter().map(|r| r.2.site_name.as_str())),
        Column::text(rows.iter().map(|r| r.2.kind.as_str())),
        Column::closed_by_label(classes, rows.iter().map(|r| Some(r.3))),
        Column::ints(rows.iter().map(|r| r.4)),
    ];
    Table::new(spec, columns)
}
