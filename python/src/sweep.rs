//! `_Sweep` (wraps `allocnet::sweep::Sweep`): a checked sweep — base, spec, job,
//! samples, seed — whose scenario ranges run with the GIL released (`_run`): the rows'
//! table through the one export of every result (`crate::tables`), the scenario ×
//! metric matrix as a numpy array without a copy, and the kept results. It pickles
//! (as the arguments it was made from), so a Dask client ships it to the workers once
//! and each worker generates its chunks of scenarios itself.

use crate::errors::{detached, invalid, to_pyerr};
use crate::json::{from_json, to_json};
use crate::macros::pymethods_with_getters;
use crate::national::{NationalPlan, NationalRound};
use crate::plan::Plan;
use crate::progress::Progress;
use crate::scenario::Scenario;
use crate::simulation::{Simulation, SimulationOptions};
use crate::tables::{export, Export};
use crate::testing_plan::{TestingPlan, TestingScenario};
use allocnet::process::simulate::{default_warehouses, SimulationOptions as CoreOptions};
use allocnet::process::NationalRound as CoreRound;
use allocnet::sweep::{load_base, Job, Kept, ScenarioStatus, Sweep as CoreSweep, SweepBase, SweepChunk, SweepSpec};
use allocnet::Error;
use numpy::ndarray::Array2;
use numpy::{PyArray2, PyReadonlyArray2};
use pyo3::prelude::*;
use pyo3::types::PyTuple;
use rustc_hash::FxHashMap;
use std::cell::RefCell;
use std::path::Path;
use std::sync::atomic::AtomicBool;
use std::sync::Arc;

/// A sweep's rows for Python: the table export, the metrics matrix and the kept
/// results as `(scenario, compiled result)`.
type Rows<'py> = (Export<'py>, Bound<'py, PyArray2<f64>>, Vec<(u64, Py<PyAny>)>);

/// A checked sweep: `_Sweep(base, job, spec_json, spec_path, samples, seed, options,
/// options_json)`.
///
/// `base`: a compiled `Scenario`, `NationalRound` (job `national-round`, varying
/// `national-stock` and `policy`), `TestingScenario` or a name / path (`sweden`,
/// `vastmanland`, a scenario file); `spec_json` (JSON text) or `spec_path` (a JSON or
/// TOML file); `options` (or `options_json`, its JSON): the `SimulationOptions` of a
/// `simulate` sweep (and the national stock days of a `national-round`). Every problem
/// of the spec is an `InvalidInputError` naming its field.
#[pyclass(frozen, name = "_Sweep", module = "allocnet._allocnet")]
pub struct SweepCore {
    inner: CoreSweep,
    base: SweepBase,
    base_name: String,
    options: Option<CoreOptions>,
}

/// The job named `name`.
fn parse_job(name: &str) -> PyResult<Job> {
    name.parse::<Job>().map_err(to_pyerr)
}

/// The spec from JSON text or a file.
fn read_spec(json: Option<&str>, path: Option<&str>) -> Result<SweepSpec, Error> {
    match (json, path) {
        (Some(text), None) => SweepSpec::from_json(text),
        (None, Some(path)) => SweepSpec::from_path(Path::new(path)),
        _ => Err(Error::invalid("spec", "give a spec as a dict or as a path")),
    }
}

/// Most Rust threads a sweep call may ask for.
const MAX_THREADS: usize = 1024;

/// The calling thread's pool of `threads` Rust threads (made on its first use, then
/// reused by that thread's calls: a Dask worker thread runs all its tasks on one pool,
/// and the worker's other threads have their own, so `n` tasks at once run on `n`
/// pools and never queue behind each other).
fn pool_of(threads: usize) -> PyResult<Arc<rayon::ThreadPool>> {
    if !(1..=MAX_THREADS).contains(&threads) {
        return Err(invalid(
            "threads",
            format!("must be in 1..={MAX_THREADS}, got {threads}"),
        ));
    }
    thread_local! {
        static POOLS: RefCell<FxHashMap<usize, Arc<rayon::ThreadPool>>> = RefCell::default();
    }
    if let Some(pool) = POOLS.with(|p| p.borrow().get(&threads).cloned()) {
        return Ok(pool);
    }
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .thread_name(|i| format!("allocnet-sweep-{i}"))
        .build()
        .map_err(|e| to_pyerr(Error::Internal(format!("starting {threads} sweep threads: {e}"))))?;
    let pool = Arc::new(pool);
    POOLS.with(|p| p.borrow_mut().insert(threads, pool.clone()));
    Ok(pool)
}

/// A national round as a base, and its name.
fn round_base(round: CoreRound) -> (SweepBase, String) {
    let n = round.counties.len();
    let name = format!("national round of {n} {}", if n == 1 { "county" } else { "counties" });
    (SweepBase::Round(round), name)
}

/// The core base for `job` from what Python passed, and its name.
fn core_base(base: &Bound<'_, PyAny>, job: Job, options: Option<&CoreOptions>) -> PyResult<(SweepBase, String)> {
    if let Ok(r) = base.cast::<NationalRound>() {
        return Ok(round_base(r.get().inner.clone()));
    }
    if let Ok(t) = base.cast::<TestingScenario>() {
        let t = t.get().inner.clone();
        let name = t.name.clone();
        return Ok((SweepBase::Testing(t), name));
    }
    let scenario = if let Ok(s) = base.cast::<Scenario>() {
        (*s.get().inner).clone()
    } else if let Ok(name) = base.extract::<String>() {
        // A built-in name, a CSV directory or a JSON file of any kind (the CLI's reader).
        match base.py().detach(|| load_base(&name, job)).map_err(to_pyerr)? {
            SweepBase::County(scenario) => scenario,
            SweepBase::Round(round) => return Ok(round_base(round)),
            SweepBase::Testing(t) => {
                let name = t.name.clone();
                return Ok((SweepBase::Testing(t), name));
            }
            _ => {
                return Err(to_pyerr(Error::Internal(
                    "load_base gave a base of no file kind".into(),
                )))
            }
        }
    } else {
        let kind = base.get_type().name().map(|n| n.to_string()).unwrap_or_default();
        return Err(invalid(
            "base",
            format!("expected a Scenario, NationalRound, TestingScenario, name or path, got {kind}"),
        ));
    };
    let name = scenario.name.clone();
    let opts = options.cloned().unwrap_or_default();
    Ok(match job {
        Job::Simulate => (SweepBase::Simulation(scenario, opts), name),
        Job::NationalRound => {
            let warehouses = default_warehouses(&scenario, opts.national_stock_days);
            (SweepBase::National(scenario, warehouses), name)
        }
        Job::CountyRound | Job::Testing => (SweepBase::County(scenario), name),
    })
}

/// A kept result as its compiled Python class (`Plan`, `NationalPlan`, `Simulation`,
/// `TestingPlan`).
fn kept_object(py: Python<'_>, kept: Kept, base: &SweepBase) -> PyResult<Py<PyAny>> {
    Ok(match kept {
        Kept::Plan(plan) => Plan { inner: *plan }.into_pyobject(py)?.into_any().unbind(),
        Kept::National(plan) => NationalPlan { inner: *plan }.into_pyobject(py)?.into_any().unbind(),
        Kept::Simulation(sim) => {
            let scenario = base
                .scenario()
                .ok_or_else(|| to_pyerr(Error::Internal("a simulation without a scenario".into())))?;
            Simulation::new(*sim, scenario).into_pyobject(py)?.into_any().unbind()
        }
        // With the testing scenario after the draws, which its tables read.
        Kept::Testing(t) => TestingPlan::new(t.scenario, t.plan)
            .into_pyobject(py)?
            .into_any()
            .unbind(),
    })
}

pymethods_with_getters! {
    impl SweepCore {
        getters |p| {
            /// The job (`county-round`, `national-round`, `simulate`, `testing`).
            job -> &'static str { p.inner.job().as_str() }
            /// Parameter column names, in spec order.
            parameters -> Vec<String> { p.inner.schema().parameters.clone() }
            /// Metric column names (the columns of the metrics matrix), in table order.
            metrics -> Vec<String> { p.inner.schema().metrics.clone() }
            /// The base's name.
            base_name -> &str { &p.base_name }
        }

        #[new]
        #[allow(clippy::too_many_arguments)] // Python's keyword arguments
        #[pyo3(signature = (base, job, spec_json=None, spec_path=None, samples=None, seed=0, options=None, options_json=None))]
        fn new(
            py: Python<'_>,
            base: &Bound<'_, PyAny>,
            job: &str,
            spec_json: Option<&str>,
            spec_path: Option<&str>,
            samples: Option<usize>,
            seed: u64,
            options: Option<&Bound<'_, SimulationOptions>>,
            options_json: Option<&str>,
        ) -> PyResult<Self> {
            let job_value = parse_job(job)?;
            let core_options: Option<CoreOptions> = match (options, options_json) {
                (Some(o), _) => Some(o.get().inner.clone()),
                (None, Some(text)) => Some(from_json(text, "<simulation options json>")?),
                (None, None) => None,
            };
            let (base_value, base_name) = core_base(base, job_value, core_options.as_ref())?;
            let inner = detached(py, || {
                let spec = read_spec(spec_json, spec_path)?;
                CoreSweep::new(base_value.clone(), spec, job_value, samples, seed)
            })?;
            Ok(Self {
                inner,
                base: base_value,
                base_name,
                options: core_options,
            })
        }

        /// Number of scenarios.
        fn __len__(&self) -> usize {
            self.inner.len()
        }

        /// Runs scenarios `start..stop` (GIL released), keeping the full results of
        /// `keep`, counting finished scenarios into `progress` (whose `cancel()` stops
        /// the run after the batch under way), on `threads` Rust threads (default: the
        /// global pool, one per core or `RAYON_NUM_THREADS`). Returns the rows' table
        /// export, the scenario × metric matrix (float64, NaN where a scenario failed; no
        /// copy) and the kept results as `(scenario, compiled result)`.
        #[pyo3(signature = (start, stop, keep, progress=None, threads=None))]
        fn _run<'py>(
            &self,
            py: Python<'py>,
            start: usize,
            stop: usize,
            keep: Vec<usize>,
            progress: Option<&Progress>,
            threads: Option<usize>,
        ) -> PyResult<Rows<'py>> {
            let counter = progress.cloned().unwrap_or_default();
            let never = AtomicBool::new(false);
            let cancel = if progress.is_some() { &*counter.cancel } else { &never };
            let pool = threads.map(pool_of).transpose()?;
            let chunk = detached(py, || {
                let run = || self.inner.run_range(start..stop, &keep, &|n| counter.add(n), cancel);
                match &pool {
                    Some(pool) => pool.install(run),
                    None => run(),
                }
            })?;
            let table = detached(py, || chunk.to_table())?;
            let metrics = PyArray2::from_owned_array(py, chunk.metrics);
            let kept = chunk
                .kept
                .into_iter()
                .map(|(k, r)| kept_object(py, r, &self.base).map(|obj| (k, obj)))
                .collect::<PyResult<Vec<_>>>()?;
            Ok((export(py, [Ok(table)])?, metrics, kept))
        }

        /// The summary table (`summary`: per metric the count of ok scenarios, mean and
        /// quantiles 5/25/50/75/95, as `allocnet sweep` writes `summary.csv`) of the rows
        /// whose metrics are `metrics` (scenario × metric) and whose status is ok where
        /// `ok` is true.
        fn _summary<'py>(
            &self,
            py: Python<'py>,
            metrics: PyReadonlyArray2<'py, f64>,
            ok: Vec<bool>,
        ) -> PyResult<Export<'py>> {
            let metrics = metrics.as_array().to_owned();
            let columns = Arc::new(self.inner.schema().clone());
            let (n, p) = (metrics.nrows(), columns.parameters.len());
            if ok.len() != n || metrics.ncols() != columns.metrics.len() {
                return Err(invalid(
                    "metrics",
                    format!("expected {n} x {} values and {n} flags", columns.metrics.len()),
                ));
            }
            let status = ok
                .iter()
                .map(|&ok| if ok { ScenarioStatus::Ok } else { ScenarioStatus::Error })
                .collect();
            let mut chunk = SweepChunk::empty(columns);
            chunk.scenarios = (0..n as u64).collect();
            chunk.samples = vec![0; n];
            chunk.parameters = Array2::zeros((n, p));
            chunk.metrics = metrics;
            chunk.status = status;
            chunk.errors = vec![None; n];
            let table = detached(py, || chunk.summary())?;
            export(py, [Ok(table)])
        }

        fn __repr__(&self) -> String {
            format!(
                "_Sweep(base={:?}, job='{}', scenarios={})",
                self.base_name,
                self.inner.job().as_str(),
                self.inner.len()
            )
        }

        fn __reduce__<'py>(slf: &Bound<'py, Self>) -> PyResult<(Bound<'py, PyAny>, Bound<'py, PyTuple>)> {
            let py = slf.py();
            let class = py.import("allocnet._allocnet")?.getattr("_Sweep")?;
            let this = slf.get();
            // What a worker needs, whatever the caller passed: the base itself (not a name or
            // a path the worker may not have), the checked spec as JSON, the options as JSON.
            let base = match &this.base {
                SweepBase::Testing(t) => TestingScenario { inner: t.clone() }.into_pyobject(py)?.into_any(),
                SweepBase::Round(r) => NationalRound { inner: r.clone() }.into_pyobject(py)?.into_any(),
                other => {
                    let scenario = other
                        .scenario()
                        .ok_or_else(|| to_pyerr(Error::Internal("a sweep base without a scenario".into())))?;
                    Scenario::from(scenario.clone()).into_pyobject(py)?.into_any()
                }
            };
            let spec = this.inner.spec().to_value().to_string();
            let options = this.options.as_ref().map(|o| to_json(o, false)).transpose()?;
            let job = this.inner.job().as_str();
            let none: Option<&str> = None;
            let args = (
                base,
                job,
                spec,
                none,
                this.inner.samples(),
                this.inner.seed(),
                none,
                options,
            );
            Ok((class, args.into_pyobject(py)?))
        }
    }
}
