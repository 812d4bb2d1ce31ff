//! [`SweepChunk`]: the rows of a range of scenarios, and its table.

use super::spec::SweepSpec;
use super::Job;
use crate::error::{Error, Result};
use crate::process::simulate::Simulation;
use crate::process::{NationalPlan, Plan};
use crate::tables::{Column, Table};
use ndarray::Array2;
use std::sync::Arc;

/// How a scenario ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ScenarioStatus {
    /// Solved; its metrics are in the row.
    Ok,
    /// Invalid after its draw (a value out of range, a scenario that fails its checks).
    Invalid,
    /// Another error (a solver failure, an overflow).
    Error,
    /// A panic, caught: a bug in allocnet; the message is in the row.
    Panic,
}

crate::names::named_enum!(ScenarioStatus, "status", {
    Ok => "ok", Invalid => "invalid", Error => "error", Panic => "panic",
});

/// A full result kept for a scenario asked for (`keep`).
#[derive(Clone, Debug)]
pub enum Kept {
    /// A county round's plan.
    Plan(Box<Plan>),
    /// A national round's plan.
    National(Box<NationalPlan>),
    /// A simulation.
    Simulation(Box<Simulation>),
    /// A testing plan, with the testing scenario it was planned on (the base after the
    /// scenario's draws: its tables read the demand and capacities from it).
    Testing(Box<KeptTesting>),
}

/// A kept testing plan and the scenario (after the draws) it was planned on.
#[derive(Clone, Debug)]
pub struct KeptTesting {
    /// The base testing scenario with the scenario's draws applied.
    pub scenario: crate::test_capacity::TestingScenario,
    /// Its plan.
    pub plan: crate::test_capacity::TestingPlan,
}

/// The result columns of a sweep.
#[derive(Clone, Debug, PartialEq)]
pub struct SweepColumns {
    /// The job.
    pub job: Job,
    /// Parameter column names, in spec order.
    pub parameters: Vec<String>,
    /// For a parameter of names (engine, policy): its names, which the parameter
    /// values index; `None` for numbers.
    pub labels: Vec<Option<Vec<String>>>,
    /// Metric column names.
    pub metrics: Vec<String>,
}

impl SweepColumns {
    pub(crate) fn new(spec: &SweepSpec, metrics: Vec<String>, job: Job) -> SweepColumns {
        let labels = spec
            .parameters
            .iter()
            .map(|p| {
                p.target.is_text().then(|| match &p.source {
                    super::Source::Grid(v) | super::Source::Choice { values: v, .. } => v
                        .iter()
                        .map(|x| match x {
                            super::Value::Text(s) => s.clone(),
                            super::Value::Number(n) => n.to_string(),
                        })
                        .collect(),
                    _ => Vec::new(),
                })
            })
            .collect();
        SweepColumns {
            job,
            parameters: spec.parameters.iter().map(|p| p.name.clone()).collect(),
            labels,
            metrics,
        }
    }
}

/// The rows of a range of scenarios, in scenario order.
#[derive(Clone, Debug)]
pub struct SweepChunk {
    /// The columns.
    pub columns: Arc<SweepColumns>,
    /// Scenario index of each row.
    pub scenarios: Vec<u64>,
    /// Sample index of each row.
    pub samples: Vec<u64>,
    /// Parameter values, scenario × parameter: the drawn value (the mean of the draws
    /// for a parameter drawn per item, county or site), or for names the index into
    /// [`SweepColumns::labels`].
    pub parameters: Array2<f64>,
    /// Metrics, scenario × metric; NaN where the scenario failed.
    pub metrics: Array2<f64>,
    /// How each scenario ended.
    pub status: Vec<ScenarioStatus>,
    /// The error of each failed scenario.
    pub errors: Vec<Option<String>>,
    /// Full results of the scenarios asked for: (scenario index, result).
    pub kept: Vec<(u64, Kept)>,
}

/// One scenario's row while it is built.
pub(crate) struct Row {
    pub parameters: Vec<f64>,
    pub metrics: Vec<f64>,
    pub status: ScenarioStatus,
    pub error: Option<String>,
    pub kept: Option<Kept>,
}

impl SweepChunk {
    /// A chunk of no rows.
    pub fn empty(columns: Arc<SweepColumns>) -> SweepChunk {
        let (p, m) = (columns.parameters.len(), columns.metrics.len());
        SweepChunk {
            columns,
            scenarios: Vec::new(),
            samples: Vec::new(),
            parameters: Array2::zeros((0, p)),
            metrics: Array2::zeros((0, m)),
            status: Vec::new(),
            errors: Vec::new(),
            kept: Vec::new(),
        }
    }

    pub(crate) fn from_rows(columns: Arc<SweepColumns>, first: (Vec<u64>, Vec<u64>), rows: Vec<Row>) -> Result<Self> {
        let (p, m, n) = (columns.parameters.len(), columns.metrics.len(), rows.len());
        let mut params = Vec::with_capacity(n * p);
        let mut metrics = Vec::with_capacity(n * m);
        let mut chunk = SweepChunk::empty(columns);
        chunk.scenarios = first.0;
        chunk.samples = first.1;
        for (row, &k) in rows.into_iter().zip(&chunk.scenarios) {
            params.extend(row.parameters);
            if row.metrics.len() == m {
                metrics.extend(row.metrics);
            } else {
                metrics.extend(std::iter::repeat_n(f64::NAN, m));
            }
            chunk.status.push(row.status);
            chunk.errors.push(row.error);
            if let Some(kept) = row.kept {
                chunk.kept.push((k, kept));
            }
        }
        let shape = |e: ndarray::ShapeError| Error::Internal(format!("sweep rows: {e}"));
        chunk.parameters = Array2::from_shape_vec((n, p), params).map_err(shape)?;
        chunk.metrics = Array2::from_shape_vec((n, m), metrics).map_err(shape)?;
        Ok(chunk)
    }

    /// Number of rows.
    pub fn rows(&self) -> usize {
        self.scenarios.len()
    }

    /// The chunks' rows one after another (in the order given: the pieces of
    /// [`Sweep::run_range`](super::Sweep::run_range) in order give the table of the
    /// whole range). Chunks of different sweeps (other columns) are an
    /// [`Error::Invalid`].
    pub fn concat(chunks: Vec<SweepChunk>) -> Result<SweepChunk> {
        let mut iter = chunks.into_iter();
        let Some(mut out) = iter.next() else {
            return Err(Error::invalid("chunks", "nothing to concatenate"));
        };
        for (i, c) in iter.enumerate() {
            if c.columns != out.columns {
                return Err(Error::invalid(
                    format!("chunks[{}]", i + 1),
                    "has other columns than chunks[0]",
                ));
            }
            let stack = |a: &Array2<f64>, b: &Array2<f64>| {
                ndarray::concatenate(ndarray::Axis(0), &[a.view(), b.view()])
                    .map_err(|e| Error::Internal(format!("concatenating sweep chunks: {e}")))
            };
            out.parameters = stack(&out.parameters, &c.parameters)?;
            out.metrics = stack(&out.metrics, &c.metrics)?;
            out.scenarios.extend(c.scenarios);
            out.samples.extend(c.samples);
            out.status.extend(c.status);
            out.errors.extend(c.errors);
            out.kept.extend(c.kept);
        }
        Ok(out)
    }

    /// The rows of failed scenarios: (scenario, status, error).
    pub fn failures(&self) -> Vec<(u64, ScenarioStatus, &str)> {
        (0..self.rows())
            .filter(|&r| self.status[r] != ScenarioStatus::Ok)
            .map(|r| {
                (
                    self.scenarios[r],
                    self.status[r],
                    self.errors[r].as_deref().unwrap_or(""),
                )
            })
            .collect()
    }

    /// The result table (`results`): `scenario`, `sample`, the parameters, the
    /// metrics, `status`, `error`.
    pub fn to_table(&self) -> Result<Table> {
        let spec = crate::tables::sweep_results_spec(self.columns.job);
        let mut data: Vec<(String, Column)> = vec![
            (
                "scenario".into(),
                Column::ints(self.scenarios.iter().map(|&k| k as i64)),
            ),
            ("sample".into(), Column::ints(self.samples.iter().map(|&k| k as i64))),
        ];
        for (j, name) in self.columns.parameters.iter().enumerate() {
            let values = self.parameters.column(j);
            let column = match &self.columns.labels[j] {
                Some(labels) => Column::closed(labels, values.iter().map(|&x| Some(x as usize))),
                None => Column::floats(values.iter().copied()),
            };
            data.push((name.clone(), column));
        }
        for (j, name) in self.columns.metrics.iter().enumerate() {
            data.push((name.clone(), Column::floats(self.metrics.column(j).iter().copied())));
        }
        let statuses: Vec<&str> = ScenarioStatus::ALL.iter().map(|s| s.as_str()).collect();
        data.push((
            "status".into(),
            Column::closed(&statuses, self.status.iter().map(|s| Some(*s as usize))),
        ));
        data.push((
            "error".into(),
            Column::opt_text(self.errors.iter().map(|e| e.as_deref())),
        ));
        crate::tables::sweep_table(spec, &self.columns, data)
    }

    /// The summary table (`summary`): per metric the count of scenarios solved, mean,
    /// and quantiles 5/25/50/75/95 over them (see [`super::quantile`]).
    pub fn summary(&self) -> Result<Table> {
        super::summary::summary_table(self)
    }
}
