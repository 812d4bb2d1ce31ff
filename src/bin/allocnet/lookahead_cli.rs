//! `allocnet county-round SCENARIO --lookahead DAYS`: the lookahead round on the command
//! line (table report or JSON, CSV tables with `--out`).

use allocnet::flow::Engine;
use allocnet::lookahead::rolling::RoundMode;
use allocnet::lookahead::{run_lookahead, LookaheadOptions, LookaheadPlan};
use allocnet::model::Scenario;
use allocnet::process::simulate::{compare_policies, SimulationOptions, SimulationSummary};
use allocnet::tables::ResultTables;
use allocnet::Error;
use clap::Args;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// The lookahead flags of `county-round`.
#[derive(Args, Debug, Clone, Default)]
pub struct LookaheadArgs {
    /// Plan the coming DAYS days at once (time-expanded network, lead times, meeting
    /// days; see docs/lookahead.md) instead of today's one-round plan.
    #[arg(long, value_name = "DAYS")]
    pub lookahead: Option<u32>,
    /// With --lookahead: weekdays on which shipments leave, comma-separated
    /// (default mon,wed,fri), or `every`.
    #[arg(long, value_name = "DAYS", value_delimiter = ',')]
    pub meeting_days: Option<Vec<String>>,
    /// With --lookahead: a JSON file of lookahead options (start weekday, meeting_days,
    /// same_day_km, lead_days per lane, storage per site); the flags above override it.
    #[arg(long, value_name = "FILE")]
    pub lookahead_options: Option<PathBuf>,
}

impl LookaheadArgs {
    /// The options the flags ask for, or `None` without `--lookahead`.
    pub fn options(&self) -> Result<Option<LookaheadOptions>, Error> {
        let Some(days) = self.lookahead else {
            if self.meeting_days.is_some() || self.lookahead_options.is_some() {
                return Err(Error::invalid(
                    "--lookahead",
                    "--meeting-days and --lookahead-options need --lookahead DAYS",
                ));
            }
            return Ok(None);
        };
        let mut options = match &self.lookahead_options {
            Some(path) => {
                let text = allocnet::limits::read_text_file(path)?;
                LookaheadOptions::from_json_str(&text, &path.display().to_string())?
            }
            None => LookaheadOptions::default(),
        };
        options.days = days;
        if let Some(m) = &self.meeting_days {
            options.meeting_days = m.clone();
        }
        Ok(Some(options))
    }
}

/// Runs the lookahead round and prints it (`json`: the whole plan as JSON).
pub fn run(
    scenario: &Scenario,
    options: &LookaheadOptions,
    engine: Engine,
    json: bool,
    out: Option<&Path>,
) -> Result<String, Error> {
    let plan = run_lookahead(scenario, options, engine)?;
    if let Some(dir) = out {
        write_tables(&plan, dir)?;
    }
    if json {
        let text = serde_json::to_string_pretty(&plan).map_err(|e| Error::Internal(format!("plan as JSON: {e}")))?;
        return Ok(text + "\n");
    }
    Ok(text_report(&plan))
}

/// Writes `lookahead_<table>.csv` for every table and `lookahead_plan.json` into `dir`.
fn write_tables(plan: &LookaheadPlan, dir: &Path) -> Result<(), Error> {
    let io = |p: &Path, source: std::io::Error| Error::Io {
        path: p.display().to_string(),
        source,
    };
    std::fs::create_dir_all(dir).map_err(|e| io(dir, e))?;
    for table in plan.tables()? {
        let path = dir.join(format!("lookahead_{}.csv", table.name()));
        std::fs::write(&path, table.to_csv()?).map_err(|e| io(&path, e))?;
    }
    let path = dir.join("lookahead_plan.json");
    let text = serde_json::to_string_pretty(plan).map_err(|e| Error::Internal(format!("plan as JSON: {e}")))?;
    std::fs::write(&path, text + "\n").map_err(|e| io(&path, e))
}

/// The readable report: objective per item, today's shipments, the planned ones, the
/// county request by due day.
pub fn text_report(plan: &LookaheadPlan) -> String {
    let mut s = String::new();
    let synthetic = if plan.synthetic { " (SYNTHETIC figures)" } else { "" };
    let _ = writeln!(s, "Lookahead round: {}{synthetic}", plan.scenario);
    let _ = writeln!(
        s,
        "Horizon {} days, shipping days {:?}, acute days 0..{}",
        plan.days, plan.shipping_days, plan.acute_days
    );
    let _ = writeln!(
        s,
        "\nObjective (unit-days of shortage by class: acute | later; transport unit-km)"
    );
    for o in &plan.objective {
        let _ = writeln!(
            s,
            "  {:<12} acute {:?} | later {:?} | {:.1} unit-km",
            o.item, o.acute_unmet, o.later_unmet, o.transport_unit_km
        );
    }
    for (title, today) in [
        ("Shipments to decide today", true),
        ("Planned for later meetings", false),
    ] {
        let _ = writeln!(s, "\n{title}");
        let rows: Vec<_> = plan.shipments.iter().filter(|x| x.today == today).collect();
        if rows.is_empty() {
            let _ = writeln!(s, "  (none)");
        }
        for x in rows {
            let _ = writeln!(
                s,
                "  day {:>2} -> {:>2}  {:<12} {:>8} {} -> {} ({:.1} km)",
                x.depart_day, x.arrive_day, x.item, x.quantity, x.from, x.to, x.km
            );
        }
    }
    let _ = writeln!(s, "\nCounty request (acute shortage left, by the day it falls due)");
    if plan.requests.is_empty() {
        let _ = writeln!(s, "  (none)");
    }
    for r in &plan.requests {
        let _ = writeln!(
            s,
            "  county {} {:<12} {:<10} {:<20} due day {} : {}",
            r.county, r.item, r.site, r.priority, r.due_day, r.quantity
        );
    }
    s
}

/// The round-mode flags of `simulate` and `compare-policies`.
#[derive(Args, Debug, Clone)]
pub struct RoundArgs {
    /// County round at the meetings: myopic (today's round) or lookahead (rolling
    /// horizon). compare-policies takes a comma-separated list and runs each.
    #[arg(long = "round", value_name = "MODE", value_delimiter = ',', default_value = "myopic")]
    pub round: Vec<String>,
    /// Days the lookahead round plans.
    #[arg(long, default_value_t = allocnet::process::simulate::SimulationOptions::default().lookahead_days)]
    pub lookahead_days: u32,
    /// Forecast error: realised consumption = reported × max(0, 1 + X·z), z standard
    /// normal, seeded per site, item and day (the same in every round mode).
    #[arg(long, value_name = "X", default_value_t = 0.0)]
    pub forecast_error: f64,
}

impl RoundArgs {
    /// The round modes asked for, in order (an unknown name is an error at `--round`).
    pub fn modes(&self) -> Result<Vec<RoundMode>, Error> {
        let mut out = Vec::new();
        for name in &self.round {
            let mode: RoundMode = name
                .trim()
                .parse()
                .map_err(|_| Error::invalid("--round", format!("expected myopic or lookahead, got '{name}'")))?;
            if !out.contains(&mode) {
                out.push(mode);
            }
        }
        if out.is_empty() {
            return Err(Error::invalid("--round", "expected myopic or lookahead"));
        }
        Ok(out)
    }

    /// Sets the round options of `options` (the first mode); bad values are errors
    /// naming the flag.
    pub fn apply(&self, options: &mut SimulationOptions) -> Result<(), Error> {
        let modes = self.modes()?;
        let mut problems = Vec::new();
        if self.lookahead_days == 0 || self.lookahead_days > allocnet::lookahead::MAX_DAYS {
            problems.push(allocnet::InvalidValue::new(
                "--lookahead-days",
                format!(
                    "must be between 1 and {}, got {}",
                    allocnet::lookahead::MAX_DAYS,
                    self.lookahead_days
                ),
            ));
        }
        if !(self.forecast_error.is_finite() && self.forecast_error >= 0.0) {
            problems.push(allocnet::InvalidValue::new(
                "--forecast-error",
                format!("must be a finite number >= 0, got {}", self.forecast_error),
            ));
        }
        if !problems.is_empty() {
            return Err(Error::Invalid(problems));
        }
        options.round_mode = modes[0];
        options.lookahead_days = self.lookahead_days;
        options.forecast_error = self.forecast_error;
        Ok(())
    }
}

/// Every policy with and without county redistribution, once per round mode; a
/// lookahead run's label ends in ` lookahead` (myopic labels stay as they were).
pub fn compare(
    scenario: &Scenario,
    options: &SimulationOptions,
    modes: &[RoundMode],
) -> Result<Vec<(String, SimulationSummary)>, Error> {
    let mut runs = Vec::new();
    for &mode in modes {
        let options = SimulationOptions {
            round_mode: mode,
            ..options.clone()
        };
        for (label, summary) in compare_policies(scenario, &options)? {
            let label = match mode {
                RoundMode::Myopic => label,
                RoundMode::Lookahead => format!("{label} lookahead"),
            };
            runs.push((label, summary));
        }
    }
    Ok(runs)
}
