//! Readable text for simulations: one run, and several runs side by side.

use super::audit::{ReplayLine, ReplayOutcome};
use super::simulate::{Simulation, SimulationSummary};
use std::fmt::Write;

/// A short report of one simulation: the summary and the shortage per class.
pub fn simulation_text(name: &str, synthetic: bool, sim: &Simulation) -> String {
    let s = &sim.summary;
    let mut out = String::new();
    let _ = writeln!(out, "Simulation: {name}");
    if synthetic {
        let _ = writeln!(out, "NOTE: the scenario's stock and consumption figures are SYNTHETIC.");
    }
    let _ = writeln!(
        out,
        "{} days, {} meetings, national policy {}, county redistribution {}",
        s.days,
        s.meetings,
        s.policy.as_str(),
        if s.county_redistribution { "on" } else { "off" }
    );
    let _ = writeln!(out, "\nUnmet acute need (shortage), unit-days by priority class:");
    for (class, units) in s.priority_classes.iter().zip(&s.unmet_unit_days) {
        let _ = writeln!(out, "  {class:<24} {units:>12}");
    }
    let _ = writeln!(out, "\nWorst county fill rate: {:.4}", s.worst_fill_rate);
    if let Some((county, rate)) = s.county_fill_rates.iter().min_by(|a, b| a.1.total_cmp(&b.1)) {
        let _ = writeln!(out, "  (county {county}: {rate:.4})");
    }
    let _ = writeln!(
        out,
        "Transport, unit·km: county {:.1}, national {:.1}, last mile {:.1}",
        s.county_unit_km, s.national_unit_km, s.last_mile_unit_km
    );
    let count = |leg| sim.shipments.iter().filter(|x| x.leg == leg).count();
    use super::simulate::Leg;
    let _ = writeln!(
        out,
        "Shipments: {} county, {} national, {} last mile",
        count(Leg::County),
        count(Leg::National),
        count(Leg::LastMile)
    );
    out
}

/// Several runs side by side: one row per run (`label`, summary).
pub fn comparison_text(runs: &[(String, SimulationSummary)]) -> String {
    let mut out = String::new();
    let classes = runs.first().map(|r| r.1.priority_classes.clone()).unwrap_or_default();
    let _ = write!(out, "{:<28} {:>12}", "variant", "unmet total");
    for c in &classes {
        let _ = write!(out, " {:>14}", truncate(c, 14));
    }
    let _ = writeln!(
        out,
        " {:>10} {:>14} {:>14}",
        "worst fill", "national u·km", "total u·km"
    );
    for (label, s) in runs {
        let total: i64 = s.unmet_unit_days.iter().sum();
        let _ = write!(out, "{label:<28} {total:>12}");
        for u in &s.unmet_unit_days {
            let _ = write!(out, " {u:>14}");
        }
        let _ = writeln!(
            out,
            " {:>10.4} {:>14.1} {:>14.1}",
            s.worst_fill_rate,
            s.national_unit_km,
            s.county_unit_km + s.national_unit_km + s.last_mile_unit_km
        );
    }
    out
}

fn truncate(s: &str, n: usize) -> String {
    s.chars().take(n).collect()
}

/// The result of a replay, one line per record, and a last line with the verdict.
pub fn replay_text(lines: &[ReplayLine]) -> String {
    let mut out = String::new();
    let mut bad = 0;
    for l in lines {
        let day = l.day.map_or_else(|| "-".to_string(), |d| d.to_string());
        let verdict = match &l.outcome {
            ReplayOutcome::Reproduced => "reproduced".to_string(),
            ReplayOutcome::Differs { path, logged, replayed } => {
                bad += 1;
                format!("DIFFERS at {path}: logged {logged}, replayed {replayed}")
            }
            ReplayOutcome::Failed { error } => {
                bad += 1;
                format!("FAILED: {error}")
            }
        };
        let _ = writeln!(out, "line {:>5}  {:<8} day {:>3}  {verdict}", l.line, l.round, day);
    }
    let _ = writeln!(
        out,
        "{} of {} rounds reproduced exactly{}",
        lines.len() - bad,
        lines.len(),
        if bad == 0 { "." } else { "; see the lines above." }
    );
    out
}
