//! The simulation's tables ([`Simulation`]), the policy comparison ([`ComparisonRuns`])
//! and the replay report ([`ReplayLines`]).

use super::Dtype::Category;
use super::{
    col, find_spec, table, Bool, Column, ColumnSpec, Float, Int, OptInt, ResultTables, Table, TableSpec, Text, COUNTY,
    ITEM, PRIORITY, SITE,
};
use crate::error::Result;
use crate::process::audit::{ReplayLine, ReplayOutcome};
use crate::process::simulate::{Leg, Simulation, SimulationSummary, StockDay};
use rustc_hash::FxHashMap;

const FLOWS: [&str; 6] = [
    "normal_in",
    "national_in",
    "county_in",
    "county_out",
    "consumed",
    "shortage",
];

/// The flow columns of a stock table, `what` appended to each meaning.
macro_rules! flows {
    ($what:literal) => {
        [
            col(
                "normal_in",
                Int,
                "units",
                concat!("arrived through the normal channel, units", $what),
            ),
            col(
                "national_in",
                Int,
                "units",
                concat!("arrived from the national round (last mile), units", $what),
            ),
            col(
                "county_in",
                Int,
                "units",
                concat!("received in county redistribution, units", $what),
            ),
            col(
                "county_out",
                Int,
                "units",
                concat!("sent in county redistribution, units", $what),
            ),
            col("consumed", Int, "units", concat!("consumed, units", $what)),
            col(
                "shortage",
                Int,
                "units",
                concat!("demand stock could not cover, units", $what),
            ),
        ]
    };
}

/// The columns of a stock series: `head`, the six flows, `end` (`N = H + 7`).
const fn with_flows<const H: usize, const N: usize>(
    head: [ColumnSpec; H],
    flows: [ColumnSpec; 6],
    end: ColumnSpec,
) -> [ColumnSpec; N] {
    assert!(N == H + 7, "a series has its head, six flows and end");
    let mut out = [end; N];
    let mut i = 0;
    while i < H {
        out[i] = head[i];
        i += 1;
    }
    let mut k = 0;
    while k < 6 {
        out[H + k] = flows[k];
        k += 1;
    }
    out
}

const STOCK: &[ColumnSpec] = &with_flows::<5, 12>(
    [
        col("day", Int, "day", "simulation day (0 = a Monday)"),
        col("week", Int, "week", "day // 7 (0 = the first week)"),
        SITE,
        ITEM,
        col("start", Int, "units", "stock at the start of the day, units"),
    ],
    flows!(""),
    col(
        "end",
        Int,
        "units",
        "start + normal_in + national_in + county_in - county_out - consumed, units",
    ),
);

const DAILY: &[ColumnSpec] = &with_flows::<3, 10>(
    [
        col("day", Int, "day", "simulation day"),
        ITEM,
        col(
            "start",
            Int,
            "units",
            "stock at all sites at the start of the day, units",
        ),
    ],
    flows!(", all sites"),
    col("end", Int, "units", "stock at all sites at the end of the day, units"),
);

const WEEKLY: &[ColumnSpec] = &with_flows::<3, 10>(
    [
        col("week", Int, "week", "week (0 = days 0-6)"),
        ITEM,
        col(
            "start",
            Int,
            "units",
            "stock at all sites at the start of the week, units",
        ),
    ],
    flows!(", all sites, the week's sum"),
    col("end", Int, "units", "stock at all sites at the end of the week, units"),
);

const SHORTAGES: &[ColumnSpec] = &[
    col("day", Int, "day", "simulation day"),
    SITE,
    ITEM,
    col(
        "priority",
        PRIORITY,
        "",
        "priority class bearing the shortage (lowest first)",
    ),
    col("units", Int, "units", "units short"),
];

const SHIPMENTS: &[ColumnSpec] = &[
    col("day", Int, "day", "day decided"),
    col("arrives", Int, "day", "day it arrives"),
    col(
        "leg",
        Category("leg"),
        "",
        "county (redistribution), national (warehouse -> transshipment point) or last-mile",
    ),
    col("from", Text, "", "shipping site id"),
    col("to", Text, "", "receiving site id"),
    ITEM,
    col("quantity", Int, "units", "units"),
    col("km", Float, "km", "distance, km"),
];

const UNMET_UNIT_DAYS: &[ColumnSpec] = &[
    col("priority", PRIORITY, "", "priority class id"),
    col(
        "unit_days",
        Int,
        "unit-days",
        "unmet acute need: shortage units summed over the days",
    ),
];

const COUNTY_FILL_RATES: &[ColumnSpec] = &[
    COUNTY,
    col("fill_rate", Float, "", "mean over items of consumed / demanded"),
];

const NATIONAL_STOCK_LEFT: &[ColumnSpec] = &[
    ITEM,
    col("quantity", Int, "units", "national warehouse stock at the end, units"),
];

/// The simulation's tables.
pub(super) const SIMULATION_TABLES: &[TableSpec] = &[
    table("stock", "one site and item on one day", STOCK),
    table("daily", "one item on one day, all sites", DAILY),
    table("weekly", "one item in one week, all sites", WEEKLY),
    table(
        "shortages",
        "shortage of one site, item and class on one day",
        SHORTAGES,
    ),
    table("shipments", "one shipment of any leg", SHIPMENTS),
    table(
        "unmet_unit_days",
        "unmet acute unit-days of one priority class",
        UNMET_UNIT_DAYS,
    ),
    table("county_fill_rates", "the fill rate of one county", COUNTY_FILL_RATES),
    table(
        "national_stock_left",
        "national stock of one item at the end",
        NATIONAL_STOCK_LEFT,
    ),
];

fn flows(s: &StockDay) -> [i64; 6] {
    [
        s.normal_in,
        s.national_in,
        s.county_in,
        s.county_out,
        s.consumed,
        s.shortage,
    ]
}

/// The stock of one item over all sites in one period (a day or a week).
struct Period<'a> {
    period: u32,
    item: &'a str,
    first_day: u32,
    /// Stock at the start of the first day.
    start: i64,
    flows: [i64; 6],
    last_day: u32,
    /// Stock at the end of the last day.
    end: i64,
}

/// Sums of the stock rows per (period, item), in order of first appearance. A period
/// starts with the start of its first day and ends with the end of its last day.
fn series(stock: &[StockDay], period_of: impl Fn(u32) -> u32) -> Result<Vec<Period<'_>>> {
    let overflow = || crate::Error::Overflow("a stock sum over all sites exceeds i64".into());
    let add = |a: i64, b: i64| a.checked_add(b).ok_or_else(overflow);
    let mut index: FxHashMap<(u32, &str), usize> = FxHashMap::default();
    let mut groups: Vec<Period<'_>> = Vec::new();
    for s in stock {
        let key = (period_of(s.day), s.item.as_str());
        let g = *index.entry(key).or_insert_with(|| {
            groups.push(Period {
                period: key.0,
                item: key.1,
                first_day: s.day,
                start: 0,
                flows: [0; 6],
                last_day: s.day,
                end: 0,
            });
            groups.len() - 1
        });
        let g = &mut groups[g];
        if s.day < g.first_day {
            (g.first_day, g.start) = (s.day, 0);
        }
        if s.day == g.first_day {
            g.start = add(g.start, s.start)?;
        }
        if s.day > g.last_day {
            (g.last_day, g.end) = (s.day, 0);
        }
        if s.day == g.last_day {
            g.end = add(g.end, s.end)?;
        }
        for (sum, x) in g.flows.iter_mut().zip(flows(s)) {
            *sum = add(*sum, x)?;
        }
    }
    Ok(groups)
}

fn series_columns(rows: &[Period<'_>]) -> Vec<Column> {
    let mut columns = vec![
        Column::ints(rows.iter().map(|r| i64::from(r.period))),
        Column::text(rows.iter().map(|r| r.item)),
        Column::ints(rows.iter().map(|r| r.start)),
    ];
    columns.extend((0..FLOWS.len()).map(|k| Column::ints(rows.iter().map(|r| r.flows[k]))));
    columns.push(Column::ints(rows.iter().map(|r| r.end)));
    columns
}

impl ResultTables for Simulation {
    fn schema() -> &'static [TableSpec] {
        SIMULATION_TABLES
    }

    fn table(&self, name: &str) -> Result<Table> {
        let spec = find_spec(SIMULATION_TABLES, name)?;
        let summary = &self.summary;
        let classes = &summary.priority_classes;
        let columns = match spec.name {
            "stock" => {
                let s = &self.stock;
                let mut columns = vec![
                    Column::ints(s.iter().map(|r| i64::from(r.day))),
                    Column::ints(s.iter().map(|r| i64::from(r.day / 7))),
                    Column::text(s.iter().map(|r| r.site.as_str())),
                    Column::text(s.iter().map(|r| r.item.as_str())),
                    Column::ints(s.iter().map(|r| r.start)),
                ];
                columns.extend((0..FLOWS.len()).map(|k| Column::ints(s.iter().map(|r| flows(r)[k]))));
                columns.push(Column::ints(s.iter().map(|r| r.end)));
                columns
            }
            "daily" => series_columns(&series(&self.stock, |d| d)?),
            "weekly" => series_columns(&series(&self.stock, |d| d / 7)?),
            "shortages" => {
                let s = &self.shortages;
                vec![
                    Column::ints(s.iter().map(|r| i64::from(r.day))),
                    Column::text(s.iter().map(|r| r.site.as_str())),
                    Column::text(s.iter().map(|r| r.item.as_str())),
                    Column::closed_by_label(classes, s.iter().map(|r| Some(r.priority.as_str()))),
                    Column::ints(s.iter().map(|r| r.units)),
                ]
            }
            "shipments" => {
                let s = &self.shipments;
                let legs: Vec<&str> = Leg::ALL.iter().map(|l| l.as_str()).collect();
                vec![
                    Column::ints(s.iter().map(|r| i64::from(r.day))),
                    Column::ints(s.iter().map(|r| i64::from(r.arrives))),
                    Column::closed(&legs, s.iter().map(|r| Leg::ALL.iter().position(|&l| l == r.leg))),
                    Column::text(s.iter().map(|r| r.from.as_str())),
                    Column::text(s.iter().map(|r| r.to.as_str())),
                    Column::text(s.iter().map(|r| r.item.as_str())),
                    Column::ints(s.iter().map(|r| r.quantity)),
                    Column::floats(s.iter().map(|r| r.km)),
                ]
            }
            "unmet_unit_days" => {
                let n = classes.len().min(summary.unmet_unit_days.len());
                vec![
                    Column::closed(classes, (0..n).map(Some)),
                    Column::ints(summary.unmet_unit_days.iter().take(n).copied()),
                ]
            }
            "county_fill_rates" => {
                let f = &summary.county_fill_rates;
                vec![
                    Column::text(f.iter().map(|r| r.0.as_str())),
                    Column::floats(f.iter().map(|r| r.1)),
                ]
            }
            _ => {
                let s = &summary.national_stock_left;
                vec![
                    Column::text(s.iter().map(|r| r.0.as_str())),
                    Column::ints(s.iter().map(|r| r.1)),
                ]
            }
        };
        Table::new(spec, columns)
    }
}

/// The runs of [`compare_policies`](crate::process::simulate::compare_policies): one
/// `(label, summary)` per policy and redistribution setting.
#[derive(Clone, Copy, Debug)]
pub struct ComparisonRuns<'a>(pub &'a [(String, SimulationSummary)]);

const COMPARISON: &[ColumnSpec] = &[
    col(
        "variant",
        Text,
        "",
        "policy and +county / no-county, as the CLI labels it",
    ),
    col("policy", Text, "", "national policy"),
    col("redistribution", Bool, "", "county redistribution at the meetings"),
    col("unmet_total", Int, "unit-days", "unmet acute unit-days, all classes"),
    col(
        "unmet:<class>",
        Int,
        "unit-days",
        "unmet acute unit-days of the class (one column per class, highest first)",
    ),
    col("worst_fill_rate", Float, "", "the worst county's fill rate"),
    col("county_unit_km", Float, "unit-km", "county redistribution, unit-km"),
    col("national_unit_km", Float, "unit-km", "national leg, unit-km"),
    col("last_mile_unit_km", Float, "unit-km", "last mile, unit-km"),
    col("total_unit_km", Float, "unit-km", "all legs, unit-km"),
];

/// The policy comparison's table.
pub(super) const COMPARISON_TABLES: &[TableSpec] = &[table(
    "comparison",
    "one simulation run: a policy with or without county redistribution",
    COMPARISON,
)];

impl ResultTables for ComparisonRuns<'_> {
    fn schema() -> &'static [TableSpec] {
        COMPARISON_TABLES
    }

    fn table(&self, name: &str) -> Result<Table> {
        let spec = find_spec(COMPARISON_TABLES, name)?;
        let runs = self.0;
        let classes: &[String] = runs.last().map_or(&[], |(_, s)| &s.priority_classes);
        let totals = runs
            .iter()
            .map(|(_, s)| {
                s.unmet_unit_days
                    .iter()
                    .try_fold(0i64, |a, &b| a.checked_add(b))
                    .ok_or_else(|| crate::Error::Overflow("unmet unit-days, all classes, exceed i64".into()))
            })
            .collect::<Result<Vec<_>>>()?;
        let km = |f: fn(&SimulationSummary) -> f64| Column::floats(runs.iter().map(|(_, s)| f(s)));
        let mut columns = vec![
            ("variant".to_string(), Column::text(runs.iter().map(|r| r.0.as_str()))),
            (
                "policy".to_string(),
                Column::text(runs.iter().map(|r| r.1.policy.as_str())),
            ),
            (
                "redistribution".to_string(),
                Column::Bool(runs.iter().map(|r| r.1.county_redistribution).collect()),
            ),
            ("unmet_total".to_string(), Column::Int(totals)),
        ];
        for (k, class) in classes.iter().enumerate() {
            let values = runs.iter().map(|(_, s)| s.unmet_unit_days.get(k).copied());
            columns.push((format!("unmet:{class}"), Column::OptInt(values.collect())));
        }
        columns.extend([
            ("worst_fill_rate".to_string(), km(|s| s.worst_fill_rate)),
            ("county_unit_km".to_string(), km(|s| s.county_unit_km)),
            ("national_unit_km".to_string(), km(|s| s.national_unit_km)),
            ("last_mile_unit_km".to_string(), km(|s| s.last_mile_unit_km)),
            (
                "total_unit_km".to_string(),
                km(|s| s.county_unit_km + s.national_unit_km + s.last_mile_unit_km),
            ),
        ]);
        Table::with_names(spec, columns)
    }
}

/// The lines of a [`replay`](crate::process::audit::replay).
#[derive(Clone, Copy, Debug)]
pub struct ReplayLines<'a>(pub &'a [ReplayLine]);

/// Replay outcomes, in the order of [`ReplayOutcome`]'s variants.
pub(super) const OUTCOMES: [&str; 3] = ["reproduced", "differs", "failed"];

const REPLAY: &[ColumnSpec] = &[
    col("line", Int, "", "line of the audit log (1-based)"),
    col("round", Text, "", "county or national"),
    col(
        "day",
        OptInt,
        "day",
        "simulation day (missing for a round outside a simulation)",
    ),
    col("outcome", Category("outcome"), "", "reproduced, differs or failed"),
    col("path", Text, "", "differs: the first differing JSON path"),
    col("logged", Text, "", "differs: the logged value (JSON)"),
    col("replayed", Text, "", "differs: the re-run value (JSON)"),
    col("error", Text, "", "failed: the error"),
];

/// The replay report's table.
pub(super) const REPLAY_TABLES: &[TableSpec] = &[table("lines", "one replayed round of the audit log", REPLAY)];

/// The outcome's position in [`OUTCOMES`] and its path, logged, replayed and error texts.
fn outcome(o: &ReplayOutcome) -> (usize, [Option<&str>; 4]) {
    match o {
        ReplayOutcome::Reproduced => (0, [None; 4]),
        ReplayOutcome::Differs { path, logged, replayed } => (1, [Some(path), Some(logged), Some(replayed), None]),
        ReplayOutcome::Failed { error } => (2, [None, None, None, Some(error)]),
    }
}

impl ResultTables for ReplayLines<'_> {
    fn schema() -> &'static [TableSpec] {
        REPLAY_TABLES
    }

    fn table(&self, name: &str) -> Result<Table> {
        let spec = find_spec(REPLAY_TABLES, name)?;
        let l = self.0;
        let lines = l
            .iter()
            .map(|r| i64::try_from(r.line).map_err(|_| crate::Error::Overflow(format!("line {} exceeds i64", r.line))))
            .collect::<Result<Vec<_>>>()?;
        let texts = |k: usize| Column::opt_text(l.iter().map(move |r| outcome(&r.outcome).1[k]));
        let columns = vec![
            Column::Int(lines),
            Column::text(l.iter().map(|r| r.round.as_str())),
            Column::OptInt(l.iter().map(|r| r.day.map(i64::from)).collect()),
            Column::closed(&OUTCOMES, l.iter().map(|r| Some(outcome(&r.outcome).0))),
            texts(0),
            texts(1),
            texts(2),
            texts(3),
        ];
        Table::new(spec, columns)
    }
}
