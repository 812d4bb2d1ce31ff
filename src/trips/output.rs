//! Files of a round with logistics data, and the command-line entry.

use super::builtin::builtin_logistics;
use super::model::Logistics;
use super::report::trips_report;
use super::result::TripsPlan;
use super::round::{run_trips_round_with, TripsOptions};
use crate::error::Result;
use crate::model::Scenario;
use crate::process::run_county_round;
use crate::tables::ResultTables;
use std::path::Path;
use std::sync::atomic::AtomicBool;

/// The files [`write_trips_dir`] writes besides the plan files.
pub const TRIPS_FILES: [&str; 4] = ["trips_plan.json", "pack_shipments.csv", "trips.csv", "levels.csv"];

/// Writes the plan files ([`write_plan_dir`](crate::process::output::write_plan_dir)) and
/// [`TRIPS_FILES`] into `dir`. Returns the file names.
pub fn write_trips_dir(out: &TripsPlan, dir: &Path) -> Result<Vec<String>> {
    let mut names = crate::process::output::write_plan_dir(&out.plan, dir)?;
    let csv = |name: &str| out.table(name).and_then(|t| t.to_csv());
    let texts = [
        crate::files::pretty_json(out)?,
        csv("pack_shipments")?,
        csv("trips")?,
        csv("levels")?,
    ];
    names.extend(crate::files::write_files(dir, TRIPS_FILES.into_iter().zip(texts))?);
    Ok(names)
}

/// Reads logistics data from a JSON file.
pub fn load_logistics(path: &Path) -> Result<Logistics> {
    let text = crate::limits::read_text_file(path)?;
    Logistics::from_json_str(&text, &path.display().to_string())
}

/// What the CLI runs for `demo --trips` and `county-round --trips/--logistics`: the
/// round with `logistics` (the built-in synthetic data when `None`), its report (or the
/// result as JSON), and the files in `out`. Returns the text to print.
pub fn trips_command(
    scenario: &Scenario,
    logistics: Option<&Path>,
    options: &TripsOptions,
    json: bool,
    out: Option<&Path>,
) -> Result<String> {
    let lg = match logistics {
        Some(path) => load_logistics(path)?,
        None => builtin_logistics(),
    };
    trips_command_with(scenario, &lg, options, json, out, &|_| {}, &AtomicBool::new(false))
}

/// [`trips_command`] on logistics data already read, with the progress callback and
/// cancel flag of [`run_trips_round_with`] (a progress bar over
/// [`trips_round_parts`](super::trips_round_parts) parts).
pub fn trips_command_with(
    scenario: &Scenario,
    logistics: &Logistics,
    options: &TripsOptions,
    json: bool,
    out: Option<&Path>,
    progress: &(dyn Fn(usize) + Sync),
    cancel: &AtomicBool,
) -> Result<String> {
    let result = run_trips_round_with(scenario, logistics, options, progress, cancel)?;
    if let Some(dir) = out {
        write_trips_dir(&result, dir)?;
    }
    if json {
        return crate::files::pretty_json(&result).map(|s| s + "\n");
    }
    let today = run_county_round(scenario, &options.round)?;
    Ok(trips_report(scenario, &result, &today))
}
