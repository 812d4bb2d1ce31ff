//! The weekly simulator: `SimulationOptions` (the parameters of `allocnet simulate`,
//! with the core's defaults), `_simulate` and its result `Simulation`,
//! `_compare_policies` and `_replay`. Tables go to Python through the one export of
//! every result (`crate::tables`).

use crate::errors::{detached, invalid, to_pyerr};
use crate::json::{from_json, to_json};
use crate::macros::pymethods_with_getters;
use crate::national::parse_policy;
use crate::progress::Progress;
use crate::scenario::Scenario;
use crate::tables::{export_table, Export};
use allocnet::process::audit::{replay, AuditLog};
use allocnet::process::sim_report::{comparison_text, replay_text, simulation_text};
use allocnet::process::simulate::{
    compare_policies, simulate, weekday_numbers, RoundRecord, Simulation as CoreSimulation,
    SimulationOptions as CoreOptions,
};
use allocnet::tables::{ComparisonRuns, ReplayLines};
use allocnet::test_capacity::Weekday;
use allocnet::Error;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyTuple};
use std::path::PathBuf;

/// The parameters of a simulation, with the core's defaults (those of `allocnet
/// simulate`).
///
/// `meeting_days`: weekday names (`mon` … `sun`); `policy`: `optimal`, `proportional`,
/// `max-min` or `population`; `redistribution=False` is `--no-redistribution`; `seed`
/// draws the epidemic wave's per-site variation. Values are checked when a simulation
/// runs (errors name the core field, e.g. `wave.amplitude`).
#[pyclass(frozen, eq, module = "allocnet._allocnet")]
#[derive(PartialEq)]
pub struct SimulationOptions {
    pub(crate) inner: CoreOptions,
}

fn whole(path: &str, value: i64) -> PyResult<u32> {
    u32::try_from(value).map_err(|_| invalid(path, format!("must be a whole number in 0..=4294967295, got {value}")))
}

#[pymethods]
impl SimulationOptions {
    /// Every keyword left out (None) takes the core's default
    /// (`SimulationOptions::default()`, listed in `_SIMULATION_DEFAULTS`).
    #[new]
    #[allow(clippy::too_many_arguments)]
    #[pyo3(signature = (
        *,
        weeks=None,
        meeting_days=None,
        acute_window_hours=None,
        reserve_days=None,
        policy=None,
        national_lead_days=None,
        last_mile_lead_days=None,
        redistribution=None,
        national_stock_days=None,
        weekly_supply_days=None,
        wave_amplitude=None,
        seed=None,
        round=None,
        lookahead_days=None,
        forecast_error=None,
    ))]
    fn new(
        weeks: Option<i64>,
        meeting_days: Option<Vec<String>>,
        acute_window_hours: Option<f64>,
        reserve_days: Option<f64>,
        policy: Option<&str>,
        national_lead_days: Option<i64>,
        last_mile_lead_days: Option<i64>,
        redistribution: Option<bool>,
        national_stock_days: Option<f64>,
        weekly_supply_days: Option<f64>,
        wave_amplitude: Option<f64>,
        seed: Option<u64>,
        round: Option<&str>,
        lookahead_days: Option<i64>,
        forecast_error: Option<f64>,
    ) -> PyResult<Self> {
        let mut o = CoreOptions::default();
        if let Some(weeks) = weeks {
            o.weeks = whole("weeks", weeks)?;
        }
        if let Some(days) = meeting_days {
            o.meeting_weekdays = weekday_numbers(&days, "meeting_days").map_err(to_pyerr)?;
        }
        o.acute_window_hours = acute_window_hours.unwrap_or(o.acute_window_hours);
        o.reserve_days = reserve_days.unwrap_or(o.reserve_days);
        if let Some(policy) = policy {
            o.policy = parse_policy(policy)?;
        }
        if let Some(days) = national_lead_days {
            o.national_lead_days = whole("national_lead_days", days)?;
        }
        if let Some(days) = last_mile_lead_days {
            o.last_mile_lead_days = whole("last_mile_lead_days", days)?;
        }
        o.county_redistribution = redistribution.unwrap_or(o.county_redistribution);
        o.national_stock_days = national_stock_days.unwrap_or(o.national_stock_days);
        o.weekly_supply_days = weekly_supply_days.unwrap_or(o.weekly_supply_days);
        o.wave.amplitude = wave_amplitude.unwrap_or(o.wave.amplitude);
        o.wave.seed = seed.unwrap_or(o.wave.seed);
        if let Some(round) = round {
            o.round_mode = round.parse().map_err(to_pyerr)?;
        }
        if let Some(days) = lookahead_days {
            o.lookahead_days = whole("lookahead_days", days)?;
        }
        o.forecast_error = forecast_error.unwrap_or(o.forecast_error);
        Ok(Self { inner: o })
    }

    /// The options as JSON (the `SimulationOptions` of the core, as in the audit log).
    fn to_json(&self) -> PyResult<String> {
        to_json(&self.inner, true)
    }

    fn __repr__(&self) -> String {
        format!(
            "SimulationOptions(weeks={}, policy='{}', redistribution={})",
            self.inner.weeks,
            self.inner.policy.as_str(),
            if self.inner.county_redistribution {
                "True"
            } else {
                "False"
            }
        )
    }
}

/// A simulation's result (wraps `allocnet::process::simulate::Simulation`) with its
/// readable summary and the scenario's name.
///
/// Tables come out through the one export of every result (`_tables()`);
/// `allocnet.Simulation` turns them into DataFrames.
#[pyclass(frozen, eq, module = "allocnet._allocnet")]
#[derive(PartialEq)]
pub struct Simulation {
    inner: CoreSimulation,
    text: String,
    scenario_name: String,
    synthetic: bool,
}

impl Simulation {
    /// Wraps a core simulation of `scenario` with its readable summary.
    pub(crate) fn new(sim: CoreSimulation, scenario: &allocnet::model::Scenario) -> Self {
        let text = simulation_text(&scenario.name, scenario.synthetic, &sim);
        Simulation {
            inner: sim,
            text,
            scenario_name: scenario.name.clone(),
            synthetic: scenario.synthetic,
        }
    }
}

pymethods_with_getters! {
    impl Simulation {
        getters |p| {
            /// The readable summary (what `allocnet simulate` prints).
            text -> &str { &p.text }
            /// Scenario name.
            scenario_name -> &str { &p.scenario_name }
            /// True when the scenario's figures are synthetic.
            synthetic -> bool { p.synthetic }
            /// Priority class ids, highest first.
            priority_classes -> Vec<String> { p.inner.summary.priority_classes.clone() }
        }
        tables |p| { &p.inner }

        /// The whole simulation as compact JSON (the text of `allocnet simulate --format
        /// json`).
        fn to_json(&self) -> PyResult<String> {
            to_json(&self.inner, false)
        }

        /// The figures: policy, county_redistribution, days, meetings,
        /// unmet_unit_days_total, worst_fill_rate and unit-km per leg (county_unit_km,
        /// national_unit_km, last_mile_unit_km).
        fn summary<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
            let s = &self.inner.summary;
            let d = PyDict::new(py);
            d.set_item("policy", s.policy.as_str())?;
            d.set_item("county_redistribution", s.county_redistribution)?;
            d.set_item("days", s.days)?;
            d.set_item("meetings", s.meetings)?;
            d.set_item(
                "unmet_unit_days_total",
                s.unmet_unit_days.iter().map(|&u| i128::from(u)).sum::<i128>(),
            )?;
            d.set_item("worst_fill_rate", s.worst_fill_rate)?;
            d.set_item("county_unit_km", s.county_unit_km)?;
            d.set_item("national_unit_km", s.national_unit_km)?;
            d.set_item("last_mile_unit_km", s.last_mile_unit_km)?;
            Ok(d)
        }

        fn __repr__(&self) -> String {
            format!(
                "Simulation(scenario={:?}, policy='{}', days={})",
                self.scenario_name,
                self.inner.summary.policy.as_str(),
                self.inner.summary.days
            )
        }

        fn __reduce__<'py>(slf: &Bound<'py, Self>) -> PyResult<(Bound<'py, PyAny>, Bound<'py, PyTuple>)> {
            let py = slf.py();
            let this = slf.get();
            let rebuild = py.import("allocnet._allocnet")?.getattr("_simulation_from_json")?;
            let args = (
                this.to_json()?,
                this.text.clone(),
                this.scenario_name.clone(),
                this.synthetic,
            );
            Ok((rebuild, args.into_pyobject(py)?))
        }
    }
}

/// Rebuilds a simulation from `to_json` output, its summary text, scenario name and
/// synthetic flag (pickle support).
#[pyfunction]
pub fn _simulation_from_json(
    text: &str,
    summary: String,
    scenario_name: String,
    synthetic: bool,
) -> PyResult<Simulation> {
    Ok(Simulation {
        inner: from_json(text, "<simulation json>")?,
        text: summary,
        scenario_name,
        synthetic,
    })
}

/// Simulates the weekly process on `scenario` (GIL released), appending every round to
/// the JSON Lines audit log `audit` if given and counting the county meetings held
/// into `progress` (for a progress bar; its cancel flag stops the simulation at the
/// next meeting with a `CancelledError`).
#[pyfunction]
#[pyo3(signature = (scenario, options, audit=None, progress=None))]
pub fn _simulate(
    py: Python<'_>,
    scenario: &Scenario,
    options: &SimulationOptions,
    audit: Option<PathBuf>,
    progress: Option<&Progress>,
) -> PyResult<Simulation> {
    let (scenario, options) = (&scenario.inner, &options.inner);
    let count = |r: &RoundRecord<'_>| -> allocnet::Result<()> {
        if let (Some(p), RoundRecord::County { .. }) = (progress, r) {
            if p.cancelled() {
                return Err(Error::Cancelled("the simulation before its next county meeting".into()));
            }
            p.add(1);
        }
        Ok(())
    };
    let sim = detached(py, || match &audit {
        Some(path) => {
            let mut log = AuditLog::append_to(path)?;
            let sim = simulate(scenario, options, &mut |r| {
                count(&r)?;
                log.record(r)
            })?;
            log.flush()?;
            Ok(sim)
        }
        None => simulate(scenario, options, &mut |r| count(&r)),
    })?;
    Ok(Simulation::new(sim, scenario))
}

/// Every policy with and without county redistribution on `scenario` (the other
/// options as given; GIL released). Returns the comparison table (exported as every
/// result's tables) and the table of `allocnet compare-policies` (without its heading
/// lines).
#[pyfunction]
pub fn _compare_policies<'py>(
    py: Python<'py>,
    scenario: &Scenario,
    options: &SimulationOptions,
) -> PyResult<(Export<'py>, String)> {
    let (scenario, options) = (&scenario.inner, &options.inner);
    let runs = detached(py, || compare_policies(scenario, options))?;
    let table = export_table(py, &ComparisonRuns(&runs), "comparison")?;
    Ok((table, comparison_text(&runs)))
}

/// Re-runs every round of the JSON Lines audit log at `path` (GIL released). Returns
/// the lines' table (exported as every result's tables) and the text of `allocnet
/// replay`.
#[pyfunction]
pub fn _replay(py: Python<'_>, path: PathBuf) -> PyResult<(Export<'_>, String)> {
    let lines = detached(py, || {
        let text = std::fs::read_to_string(&path).map_err(|source| Error::Io {
            path: path.display().to_string(),
            source,
        })?;
        replay(&text, &path.display().to_string())
    })?;
    Ok((export_table(py, &ReplayLines(&lines), "lines")?, replay_text(&lines)))
}

/// `_SIMULATION_DEFAULTS`: the keyword defaults of `SimulationOptions` (and of
/// `allocnet.simulate`), read from the core's `SimulationOptions::default()`.
pub fn defaults(py: Python<'_>) -> PyResult<Bound<'_, PyDict>> {
    let o = CoreOptions::default();
    let days: Vec<&str> = o
        .meeting_weekdays
        .iter()
        .filter_map(|&d| Weekday::ALL.get(usize::from(d)).map(|w| w.as_str()))
        .collect();
    let d = PyDict::new(py);
    d.set_item("weeks", o.weeks)?;
    d.set_item("meeting_days", days)?;
    d.set_item("acute_window_hours", o.acute_window_hours)?;
    d.set_item("reserve_days", o.reserve_days)?;
    d.set_item("policy", o.policy.as_str())?;
    d.set_item("national_lead_days", o.national_lead_days)?;
    d.set_item("last_mile_lead_days", o.last_mile_lead_days)?;
    d.set_item("redistribution", o.county_redistribution)?;
    d.set_item("national_stock_days", o.national_stock_days)?;
    d.set_item("weekly_supply_days", o.weekly_supply_days)?;
    d.set_item("wave_amplitude", o.wave.amplitude)?;
    d.set_item("seed", o.wave.seed)?;
    d.set_item("round", o.round_mode.as_str())?;
    d.set_item("lookahead_days", o.lookahead_days)?;
    d.set_item("forecast_error", o.forecast_error)?;
    Ok(d)
}
