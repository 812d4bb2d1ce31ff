//! A sweep's tables ([`crate::sweep::SweepChunk`]): the results (one row per scenario,
//! its columns named by the spec's parameters and the job's metrics) and the summary.

use super::{col, table, Column, ColumnSpec, Float, Int, NamedColumn, Table, TableSpec, Text};
use crate::error::{Error, Result};
use crate::sweep::{Job, SweepColumns};

const STATUS: super::Dtype = super::Dtype::Category("sweep_status");

const SCENARIO: ColumnSpec = col(
    "scenario",
    Int,
    "",
    "scenario index k (its draws depend only on seed and k)",
);
const SAMPLE: ColumnSpec = col(
    "sample",
    Int,
    "",
    "sample index k mod samples (grid points share the draws of a sample)",
);
const PARAMETER: ColumnSpec = col(
    "<parameter>",
    Float,
    "",
    "a numeric parameter, named as in the spec: its value (the mean of its draws when drawn per item, county or site)",
);
const NAMED_PARAMETER: ColumnSpec = col(
    "<parameter:name>",
    Text,
    "",
    "a parameter of names (engine, policy), named as in the spec: the name drawn",
);
const STATUS_COLUMN: ColumnSpec = col(
    "status",
    STATUS,
    "",
    "ok, invalid (after its draw), error (solver, overflow) or panic (caught; a bug)",
);
const ERROR: ColumnSpec = col("error", Text, "", "the error of a failed scenario (empty when ok)");

const ACUTE_NEED: ColumnSpec = col(
    "acute_need",
    Float,
    "units",
    "acute need before the round, all sites and items",
);
const ACUTE_UNMET: ColumnSpec = col(
    "acute_unmet",
    Float,
    "units",
    "acute need left unmet, all sites, items and classes",
);
const ACUTE_FILL: ColumnSpec = col(
    "acute_fill_rate",
    Float,
    "",
    "1 - acute_unmet / acute_need (1 without need)",
);
const PLANNING_NEED: ColumnSpec = col(
    "planning_need",
    Float,
    "units",
    "planning need before the round (includes acute)",
);
const PLANNING_UNMET: ColumnSpec = col(
    "planning_unmet",
    Float,
    "units",
    "planning need left unmet (includes acute)",
);
const PLANNING_FILL: ColumnSpec = col(
    "planning_fill_rate",
    Float,
    "",
    "1 - planning_unmet / planning_need (1 without need)",
);
const SHIPPED: ColumnSpec = col(
    "shipped",
    Float,
    "units",
    "units shipped between sites in the county round",
);
const TRANSPORT: ColumnSpec = col(
    "transport_unit_km",
    Float,
    "unit-km",
    "county round transport, unit-km (0.1 km resolution)",
);
const ACUTE_CLASS: ColumnSpec = col(
    "acute_unmet_<class>",
    Float,
    "units",
    "acute need left unmet in the class",
);
const REQUEST: ColumnSpec = col(
    "request_<item>",
    Float,
    "units",
    "the counties' request to the national agency for the item (remaining acute need)",
);

const COUNTY_RESULTS: &[ColumnSpec] = &[
    SCENARIO,
    SAMPLE,
    PARAMETER,
    NAMED_PARAMETER,
    ACUTE_NEED,
    ACUTE_UNMET,
    ACUTE_FILL,
    PLANNING_NEED,
    PLANNING_UNMET,
    PLANNING_FILL,
    SHIPPED,
    TRANSPORT,
    ACUTE_CLASS,
    REQUEST,
    STATUS_COLUMN,
    ERROR,
];

const NATIONAL_RESULTS: &[ColumnSpec] = &[
    SCENARIO,
    SAMPLE,
    PARAMETER,
    NAMED_PARAMETER,
    ACUTE_NEED,
    ACUTE_UNMET,
    ACUTE_FILL,
    PLANNING_NEED,
    PLANNING_UNMET,
    PLANNING_FILL,
    SHIPPED,
    TRANSPORT,
    ACUTE_CLASS,
    REQUEST,
    col(
        "national_requested",
        Float,
        "units",
        "requested from the national agency, all items",
    ),
    col(
        "national_approved",
        Float,
        "units",
        "approved by the national round, all items",
    ),
    col(
        "national_acute_unmet",
        Float,
        "units",
        "acute need left unmet after the national round",
    ),
    col(
        "national_min_fraction",
        Float,
        "",
        "smallest fraction of its request any county receives, over items (1 if none requests)",
    ),
    col(
        "national_unit_km",
        Float,
        "unit-km",
        "national leg warehouse -> transshipment point",
    ),
    col(
        "last_mile_unit_km",
        Float,
        "unit-km",
        "last mile transshipment point -> site",
    ),
    col(
        "national_acute_unmet_<class>",
        Float,
        "units",
        "acute need left unmet in the class after the national round",
    ),
    STATUS_COLUMN,
    ERROR,
];

const SIMULATION_RESULTS: &[ColumnSpec] = &[
    SCENARIO,
    SAMPLE,
    PARAMETER,
    NAMED_PARAMETER,
    col(
        "unmet_unit_days",
        Float,
        "unit-days",
        "daily consumption not covered, summed over sites, items, classes and days",
    ),
    col(
        "worst_fill_rate",
        Float,
        "",
        "the worst county's fill rate (consumed / demanded)",
    ),
    col("meetings", Float, "", "county meetings held"),
    col("county_unit_km", Float, "unit-km", "county redistribution"),
    col("national_unit_km", Float, "unit-km", "national leg"),
    col("last_mile_unit_km", Float, "unit-km", "last mile"),
    col(
        "unmet_unit_days_<class>",
        Float,
        "unit-days",
        "unmet unit-days of the class",
    ),
    col(
        "national_stock_left_<item>",
        Float,
        "units",
        "national stock of the item left at the end",
    ),
    STATUS_COLUMN,
    ERROR,
];

const TESTING_RESULTS: &[ColumnSpec] = &[
    SCENARIO,
    SAMPLE,
    PARAMETER,
    NAMED_PARAMETER,
    col(
        "demand",
        Float,
        "tests",
        "tests needed in the week, all groups and test types",
    ),
    col("tests", Float, "tests", "tests planned"),
    col("untested", Float, "tests", "demand left untested"),
    col("tested_share", Float, "", "1 - untested / demand (1 without demand)"),
    col("untested_<group>", Float, "tests", "demand of the group left untested"),
    STATUS_COLUMN,
    ERROR,
];

const SUMMARY: &[ColumnSpec] = &[
    col("metric", Text, "", "metric column of the results"),
    col("count", Int, "", "scenarios with status ok and a value"),
    col("mean", Float, "", "mean over them (the metric's unit)"),
    col(
        "p5",
        Float,
        "",
        "5 % quantile (linear interpolation between order statistics)",
    ),
    col("p25", Float, "", "25 % quantile"),
    col("p50", Float, "", "median"),
    col("p75", Float, "", "75 % quantile"),
    col("p95", Float, "", "95 % quantile"),
];

/// A sweep's tables: the results of each job, the summary.
pub(super) const SWEEP_TABLES: &[TableSpec] = &[
    table(
        "results_county_round",
        "one scenario of a county-round sweep",
        COUNTY_RESULTS,
    ),
    table(
        "results_national_round",
        "one scenario of a national-round sweep (county round, then national round)",
        NATIONAL_RESULTS,
    ),
    table(
        "results_simulate",
        "one scenario of a simulation sweep",
        SIMULATION_RESULTS,
    ),
    table(
        "results_testing",
        "one scenario of a testing-plan sweep",
        TESTING_RESULTS,
    ),
    table("summary", "one metric of a sweep over its ok scenarios", SUMMARY),
];

/// The results spec of a job's sweep.
pub fn sweep_results_spec(job: Job) -> &'static TableSpec {
    match job {
        Job::NationalRound => &SWEEP_TABLES[1],
        Job::Simulate => &SWEEP_TABLES[2],
        Job::Testing => &SWEEP_TABLES[3],
        Job::CountyRound => &SWEEP_TABLES[0],
    }
}

/// The summary spec of every sweep.
pub fn sweep_summary_spec() -> &'static TableSpec {
    &SWEEP_TABLES[4]
}

/// The spec of column `name` in `spec`: exact, else a pattern (`acute_unmet_<class>`).
fn pattern(spec: &'static TableSpec, name: &str) -> Option<&'static ColumnSpec> {
    spec.columns.iter().find(|c| c.name == name).or_else(|| {
        spec.columns.iter().find(|c| {
            let (Some(open), Some(close)) = (c.name.find('<'), c.name.find('>')) else {
                return false;
            };
            let (head, tail) = (&c.name[..open], &c.name[close + 1..]);
            !head.is_empty() && name.len() > head.len() + tail.len() && name.starts_with(head) && name.ends_with(tail)
        })
    })
}

/// A sweep's table from named columns: parameter columns take the parameter specs,
/// the others their own (or a pattern's). A name without a spec is an
/// [`Error::Internal`].
pub fn sweep_table(spec: &'static TableSpec, columns: &SweepColumns, data: Vec<(String, Column)>) -> Result<Table> {
    let mut out = Vec::with_capacity(data.len());
    for (name, column) in data {
        let parameter = columns.parameters.iter().position(|p| *p == name);
        let column_spec = match parameter {
            Some(j) if columns.labels[j].is_some() => Some(&NAMED_PARAMETER),
            Some(_) => Some(&PARAMETER),
            None => pattern(spec, &name),
        };
        let Some(column_spec) = column_spec else {
            return Err(Error::Internal(format!(
                "table {}: column {name} is not in the schema",
                spec.name
            )));
        };
        out.push(NamedColumn {
            name,
            spec: column_spec,
            data: column,
        });
    }
    let rows = out.first().map_or(0, |c| c.data.len());
    if let Some(c) = out.iter().find(|c| c.data.len() != rows) {
        return Err(Error::Internal(format!(
            "table {}: column {} has {} rows, not {rows}",
            spec.name,
            c.name,
            c.data.len()
        )));
    }
    Ok(Table { spec, columns: out })
}
