//! Sweeps under uncertainty: one base (a county scenario, a national round, a
//! simulation, a testing scenario) plus a [`SweepSpec`] of parameters — grids (their
//! Cartesian product) and seeded distributions — run as many scenarios on rayon,
//! one row of metrics per scenario.
//!
//! * [`spec`]: the spec, from JSON, TOML or a JSON value, checked with paths.
//! * Scenario `k` depends only on `(seed, k)` (see the sampling notes on
//!   [`Sweep`]): the same table for any thread count or chunking, bit for bit.
//! * A scenario that fails (invalid after its draw, a solver error, a caught panic)
//!   is a row with its [`ScenarioStatus`] and error; the others complete.
//!
//! ```
//! use allocnet::model::synthetic::vastmanland_default;
//! use allocnet::sweep::{Job, Sweep, SweepBase, SweepSpec};
//! use std::sync::atomic::AtomicBool;
//! let spec = SweepSpec::from_json(r#"{"parameters": [
//!     {"name": "consumption", "target": "consumption", "distribution": "uniform", "low": 0.8, "high": 1.2},
//!     {"name": "stock", "target": "stock", "values": [0.5, 1.0]}]}"#).unwrap();
//! let base = SweepBase::County(vastmanland_default().unwrap());
//! let sweep = Sweep::new(base, spec, Job::CountyRound, Some(3), 7).unwrap();
//! assert_eq!(sweep.len(), 6); // 2 grid points x 3 samples
//! let chunk = sweep.run(&[], &|_| {}, &AtomicBool::new(false)).unwrap();
//! let table = chunk.to_table().unwrap();
//! assert_eq!(table.rows(), 6);
//! assert_eq!(table.column_names()[..4], ["scenario", "sample", "consumption", "stock"]);
//! ```

mod apply;
mod base_file;
mod chunk;
mod compiled;
mod jobs;
mod round;
mod run;
mod sample;
pub mod spec;
mod summary;

pub use base_file::{load_base, national_round_from_json, BaseFile};
pub use chunk::{Kept, KeptTesting, ScenarioStatus, SweepChunk, SweepColumns};
pub use jobs::Job;
pub use spec::{Parameter, Per, Source, SweepSpec, Target, Value};
pub use summary::quantile;

use crate::error::{Error, InvalidValue, Result};
use crate::model::Scenario;
use crate::process::national_round::Warehouse;
use crate::process::simulate::{default_warehouses, SimulationOptions};
use crate::process::{NationalRound, RoundOptions};
use crate::test_capacity::TestingScenario;
use apply::RowIndex;
use sample::Layout;
use std::sync::Arc;

/// Bytes of result per scenario and column the size check assumes (a float, plus
/// room for status, error and the parameter draws).
const BYTES_PER_CELL: u128 = 16;

/// What a sweep varies.
#[derive(Clone, Debug)]
pub enum SweepBase {
    /// A county scenario (county round; national round with the default warehouses;
    /// simulation with default options).
    County(Scenario),
    /// A county scenario and the national warehouses (county round, then national round).
    National(Scenario, Vec<Warehouse>),
    /// A scenario and simulation options.
    Simulation(Scenario, SimulationOptions),
    /// A testing scenario.
    Testing(TestingScenario),
    /// A national round as it is (its requests fixed): the `national-round` job varying
    /// `national-stock` and `policy` only.
    Round(NationalRound),
}

impl SweepBase {
    /// The county scenario of the base (`None` for testing).
    pub fn scenario(&self) -> Option<&Scenario> {
        match self {
            SweepBase::County(s) | SweepBase::National(s, _) | SweepBase::Simulation(s, _) => Some(s),
            SweepBase::Testing(_) | SweepBase::Round(_) => None,
        }
    }
}

/// The base, checked, with what every scenario reuses.
#[derive(Debug)]
struct Prepared {
    base: SweepBase,
    round: RoundOptions,
    index: RowIndex,
    /// National warehouses at the base's stock (national round, simulation).
    warehouses: Vec<Warehouse>,
    /// Simulation options (simulate).
    simulation: SimulationOptions,
    /// The base compiled for the county round's fast route, when the spec allows it.
    compiled: Option<compiled::CompiledCounty>,
}

/// A validated sweep: base, spec, job, sample count and seed. Cheap to share between
/// threads; [`Sweep::run_range`] runs any range of its scenarios.
///
/// Scenario `k` is grid point `k / samples`, sample `k % samples` (grids in mixed
/// radix, the first grid parameter slowest). Each parameter of sample `s` is drawn
/// from its own random stream seeded by a hash of `(seed, s, parameter)`; grid points
/// share the draws of a sample (common random numbers).
#[derive(Clone, Debug)]
pub struct Sweep {
    prepared: Arc<Prepared>,
    spec: Arc<SweepSpec>,
    job: Job,
    layout: Layout,
    seed: u64,
    len: usize,
    entities: Vec<usize>,
    columns: Arc<SweepColumns>,
}

impl Sweep {
    /// Checks the base, the spec against the base and the job, and the size: the
    /// scenario count (grid points × samples) and the memory of its result table
    /// against [`crate::limits`]. `samples` overrides the spec's `samples`; a spec
    /// with distributions needs one, a spec of grids only takes none (or 1).
    pub fn new(base: SweepBase, spec: SweepSpec, job: Job, samples: Option<usize>, seed: u64) -> Result<Sweep> {
        let samples = check_samples(&spec, samples)?;
        let (index, metric_names) = check_base(&base, job)?;
        let (warehouses, simulation) = job_inputs(&base);
        if matches!(base, SweepBase::Round(_)) {
            round::check_round_spec(&spec)?;
        }
        check_against_base(&spec, job, &index)?;
        let len = spec
            .grid_size()
            .checked_mul(samples)
            .ok_or_else(|| Error::invalid("samples", "grid points x samples overflows"))?;
        check_names(&spec, &metric_names)?;
        let columns = SweepColumns::new(&spec, metric_names, job);
        let width = (columns.parameters.len() + columns.metrics.len() + 4) as u128;
        crate::limits::check_memory(
            "samples",
            &format!("a sweep of {len} scenarios"),
            len as u128 * width * BYTES_PER_CELL,
        )?;
        let entities = spec.parameters.iter().map(|p| index.entities(p.per)).collect();
        let layout = Layout::new(&spec, samples);
        let compiled = match (job, base.scenario()) {
            (Job::CountyRound, Some(scenario)) if !matches!(base, SweepBase::Round(_)) => {
                compiled::CompiledCounty::new(scenario, &spec, &index)
            }
            _ => None,
        };
        Ok(Sweep {
            prepared: Arc::new(Prepared {
                base,
                round: RoundOptions::default(),
                index,
                warehouses,
                simulation,
                compiled,
            }),
            spec: Arc::new(spec),
            job,
            layout,
            seed,
            len,
            entities,
            columns: Arc::new(columns),
        })
    }

    /// Number of scenarios.
    pub fn len(&self) -> usize {
        self.len
    }

    /// True when the sweep has no scenario (never: a spec has a parameter).
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The job.
    pub fn job(&self) -> Job {
        self.job
    }

    /// The spec.
    pub fn spec(&self) -> &SweepSpec {
        &self.spec
    }

    /// Samples per grid point.
    pub fn samples(&self) -> usize {
        self.layout.samples
    }

    /// The seed.
    pub fn seed(&self) -> u64 {
        self.seed
    }

    /// The result columns: parameters, metrics (the table adds `scenario`, `sample`,
    /// `status` and `error`).
    pub fn schema(&self) -> &SweepColumns {
        &self.columns
    }
}

fn check_samples(spec: &SweepSpec, samples: Option<usize>) -> Result<usize> {
    match (spec.is_sampled(), samples.or(spec.samples)) {
        (_, Some(0)) => Err(Error::invalid("samples", "must be >= 1, got 0")),
        (true, Some(n)) => Ok(n),
        (true, None) => Err(Error::invalid(
            "samples",
            "missing: the spec has distributions; give the number of samples (--samples or \"samples\")",
        )),
        (false, None | Some(1)) => Ok(1),
        (false, Some(n)) => Err(Error::invalid(
            "samples",
            format!("the spec has only grids (no distribution), so {n} samples would be {n} identical copies; leave samples out"),
        )),
    }
}

/// Checks the base for `job`: its row index and the job's metric names.
fn check_base(base: &SweepBase, job: Job) -> Result<(RowIndex, Vec<String>)> {
    if let SweepBase::Round(round) = base {
        return round::check_round_base(round, job);
    }
    let fits = match base {
        SweepBase::Testing(_) => job == Job::Testing,
        SweepBase::County(_) => job != Job::Testing,
        SweepBase::National(..) => matches!(job, Job::CountyRound | Job::NationalRound),
        SweepBase::Simulation(..) => matches!(job, Job::CountyRound | Job::Simulate),
        SweepBase::Round(_) => job == Job::NationalRound,
    };
    if !fits {
        return Err(Error::invalid(
            "job",
            format!("a {} base cannot run job {job}", base_kind(base)),
        ));
    }
    let scenario = match base {
        SweepBase::Testing(t) => {
            t.resolve()?;
            return Ok((RowIndex::empty(), jobs::testing_metric_names(t)));
        }
        _ => base.scenario().ok_or_else(|| Error::Internal("no scenario".into()))?,
    };
    let resolved = scenario.resolve()?;
    let index = RowIndex::new(scenario)?;
    let metrics = match job {
        Job::NationalRound => jobs::national_metric_names(&resolved, &index),
        Job::Simulate => jobs::simulation_metric_names(&resolved, &index),
        _ => jobs::county_metric_names(&resolved, &index),
    };
    Ok((index, metrics))
}

/// The national warehouses and simulation options of the base: its own, else the
/// defaults (the simulation's default warehouses hold `national_stock_days` of the
/// base's consumption).
fn job_inputs(base: &SweepBase) -> (Vec<Warehouse>, SimulationOptions) {
    let simulation = match base {
        SweepBase::Simulation(_, o) => o.clone(),
        _ => SimulationOptions::default(),
    };
    let warehouses = match base {
        SweepBase::National(_, w) => w.clone(),
        SweepBase::Simulation(s, o) => o
            .warehouses
            .clone()
            .unwrap_or_else(|| default_warehouses(s, o.national_stock_days)),
        SweepBase::County(s) => default_warehouses(s, simulation.national_stock_days),
        SweepBase::Testing(_) => Vec::new(),
        SweepBase::Round(r) => r.warehouses.clone(),
    };
    (warehouses, simulation)
}

fn base_kind(base: &SweepBase) -> &'static str {
    match base {
        SweepBase::County(_) => "county",
        SweepBase::National(..) => "national",
        SweepBase::Simulation(..) => "simulation",
        SweepBase::Testing(_) => "testing",
        SweepBase::Round(_) => "national round",
    }
}

/// Parameter names must not repeat a column of the table.
fn check_names(spec: &SweepSpec, metrics: &[String]) -> Result<()> {
    let fixed = ["scenario", "sample", "status", "error"];
    for (i, p) in spec.parameters.iter().enumerate() {
        if fixed.contains(&p.name.as_str()) || metrics.contains(&p.name) {
            return Err(Error::invalid(
                format!("parameters[{i}].name"),
                format!("'{}' is a column of the results already; choose another name", p.name),
            ));
        }
    }
    Ok(())
}

/// Targets that fit the job, items that exist in the base.
fn check_against_base(spec: &SweepSpec, job: Job, index: &RowIndex) -> Result<()> {
    let mut problems = Vec::new();
    for (i, p) in spec.parameters.iter().enumerate() {
        if !p.target.jobs().contains(&job) {
            let jobs: Vec<&str> = p.target.jobs().iter().map(|j| j.as_str()).collect();
            problems.push(InvalidValue::new(
                format!("parameters[{i}].target"),
                format!("{} applies to job {}, not {job}", p.target, jobs.join(", ")),
            ));
        }
        for (j, item) in p.items.iter().flatten().enumerate() {
            if !index.items.contains(item) {
                problems.push(InvalidValue::new(
                    format!("parameters[{i}].items[{j}]"),
                    format!("unknown item '{item}'; the base has {}", index.items.join(", ")),
                ));
            }
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(Error::Invalid(problems))
    }
}
