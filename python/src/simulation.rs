//! The weekly simulator: `SimulationOptions` (the parameters of `allocnet simulate`),
//! `_simulate`, `_compare_policies` and `_replay`. Results go to Python as JSON and
//! text (the package turns them into DataFrames).

use crate::errors::{invalid, no_panic, to_pyerr};
use crate::json::to_json;
use crate::national::parse_policy;
use crate::scenario::Scenario;
use allocnet::process::audit::{replay, AuditLog};
use allocnet::process::sim_report::{comparison_text, replay_text, simulation_text};
use allocnet::process::simulate::{
    compare_policies, simulate, weekday_numbers, SimulationOptions as CoreOptions, Wave,
};
use allocnet::Error;
use pyo3::prelude::*;
use std::path::PathBuf;

/// The parameters of a simulation, with the defaults of `allocnet simulate`.
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
    #[new]
    #[allow(clippy::too_many_arguments)]
    #[pyo3(signature = (
        *,
        weeks=1,
        meeting_days=vec!["mon".to_string(), "wed".to_string(), "fri".to_string()],
        acute_window_hours=48.0,
        reserve_days=3.0,
        policy="optimal",
        national_lead_days=1,
        last_mile_lead_days=0,
        redistribution=true,
        national_stock_days=2.0,
        weekly_supply_days=5.0,
        wave_amplitude=1.0,
        seed=2020,
    ))]
    fn new(
        weeks: i64,
        meeting_days: Vec<String>,
        acute_window_hours: f64,
        reserve_days: f64,
        policy: &str,
        national_lead_days: i64,
        last_mile_lead_days: i64,
        redistribution: bool,
        national_stock_days: f64,
        weekly_supply_days: f64,
        wave_amplitude: f64,
        seed: u64,
    ) -> PyResult<Self> {
        let inner = CoreOptions {
            weeks: whole("weeks", weeks)?,
            meeting_weekdays: weekday_numbers(&meeting_days, "meeting_days").map_err(to_pyerr)?,
            acute_window_hours,
            reserve_days,
            policy: parse_policy(policy)?,
            national_lead_days: whole("national_lead_days", national_lead_days)?,
            last_mile_lead_days: whole("last_mile_lead_days", last_mile_lead_days)?,
            county_redistribution: redistribution,
            national_stock_days,
            weekly_supply_days,
            wave: Wave {
                amplitude: wave_amplitude,
                seed,
                ..Wave::default()
            },
            ..CoreOptions::default()
        };
        Ok(Self { inner })
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

/// Simulates the weekly process on `scenario` (GIL released), appending every round to
/// the JSON Lines audit log `audit` if given. Returns the simulation as JSON (the text
/// of `allocnet simulate --format json`) and the readable summary (its table output).
#[pyfunction]
#[pyo3(signature = (scenario, options, audit=None))]
pub fn _simulate(
    py: Python<'_>,
    scenario: &Scenario,
    options: &SimulationOptions,
    audit: Option<PathBuf>,
) -> PyResult<(String, String)> {
    let (scenario, options) = (&scenario.inner, &options.inner);
    let sim = py
        .detach(|| {
            no_panic(|| match &audit {
                Some(path) => {
                    let mut log = AuditLog::append_to(path)?;
                    let sim = simulate(scenario, options, &mut |r| log.record(r))?;
                    log.flush()?;
                    Ok(sim)
                }
                None => simulate(scenario, options, &mut |_| Ok(())),
            })
        })?
        .map_err(to_pyerr)?;
    let text = simulation_text(&scenario.name, scenario.synthetic, &sim);
    Ok((to_json(&sim, false)?, text))
}

/// Every policy with and without county redistribution on `scenario` (the other
/// options as given; GIL released). Returns `[(label, summary JSON)]` and the table of
/// `allocnet compare-policies` (without its heading lines).
#[pyfunction]
pub fn _compare_policies(
    py: Python<'_>,
    scenario: &Scenario,
    options: &SimulationOptions,
) -> PyResult<(Vec<(String, String)>, String)> {
    let (scenario, options) = (&scenario.inner, &options.inner);
    let runs = py
        .detach(|| no_panic(|| compare_policies(scenario, options)))?
        .map_err(to_pyerr)?;
    let text = comparison_text(&runs);
    let rows = runs
        .iter()
        .map(|(label, summary)| Ok((label.clone(), to_json(summary, false)?)))
        .collect::<PyResult<Vec<_>>>()?;
    Ok((rows, text))
}

/// Re-runs every round of the JSON Lines audit log at `path` (GIL released). Returns
/// the lines as JSON and the text of `allocnet replay`.
#[pyfunction]
pub fn _replay(py: Python<'_>, path: PathBuf) -> PyResult<(String, String)> {
    let lines = py
        .detach(|| {
            no_panic(|| {
                let text = std::fs::read_to_string(&path).map_err(|source| Error::Io {
                    path: path.display().to_string(),
                    source,
                })?;
                replay(&text, &path.display().to_string())
            })
        })?
        .map_err(to_pyerr)?;
    Ok((to_json(&lines, false)?, replay_text(&lines)))
}
