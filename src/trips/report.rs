//! The county report of a round with logistics data: the usual report, then the
//! meeting as trips, and the comparison with the round without logistics data.

use super::result::TripsPlan;
use crate::model::Scenario;
use crate::process::report::county_round_text;
use crate::process::Plan;
use std::fmt::Write;

/// Totals of a plan for the comparison: shipments, km driven (one drive per shipment),
/// unmet acute need and unmet planning need beyond it (units).
fn totals(plan: &Plan) -> (usize, f64, i64, i64) {
    let acute = plan.objective.iter().map(|o| o.acute_unmet.iter().sum::<i64>()).sum();
    let planning = plan
        .objective
        .iter()
        .map(|o| o.planning_unmet - o.acute_unmet.iter().sum::<i64>())
        .sum();
    // `+ 0.0`: an empty sum is -0.0, printed "-0.0".
    let km = plan.shipments.iter().map(|s| s.km).sum::<f64>() + 0.0;
    (plan.shipments.len(), km, acute, planning)
}

/// The report: the county report of `out.plan`, the trips, the solve status of each
/// level, and a comparison with `today` (the round without logistics data; km driven:
/// one drive per shipment today, one per trip with a vehicle).
///
/// ```
/// use allocnet::model::synthetic::vastmanland_default;
/// use allocnet::process::{run_county_round, RoundOptions};
/// use allocnet::trips::{run_trips_round, trips_report, ItemLogistics, Logistics, TripsOptions};
/// let sc = vastmanland_default().unwrap();
/// let today = run_county_round(&sc, &RoundOptions::default()).unwrap();
/// let lg = Logistics {
///     items: vec![ItemLogistics { item: "ffp2".into(), pack_size: 20, volume_l: 0.05, min_packs: 0 }],
///     synthetic: true,
///     ..Logistics::default()
/// };
/// let out = run_trips_round(&sc, &lg, &TripsOptions::default()).unwrap();
/// assert!(trips_report(&sc, &out, &today).contains("Today vs with packs"));
/// ```
pub fn trips_report(scenario: &Scenario, out: &TripsPlan, today: &Plan) -> String {
    let mut s = county_round_text(scenario, &out.plan);
    let label = if out.synthetic {
        " (SYNTHETIC pack sizes, volumes and vehicle)"
    } else {
        ""
    };
    let _ = writeln!(s, "\nThe meeting as trips{label}");
    if out.trips.is_empty() {
        let _ = writeln!(
            s,
            "  no vehicle given: {} shipments in whole packs",
            out.pack_shipments.len()
        );
    }
    let name = |id: &str| {
        scenario
            .sites
            .iter()
            .find(|x| x.id == id)
            .map_or(id.to_string(), |x| x.name.clone())
    };
    for t in &out.trips {
        let _ = writeln!(
            s,
            "  {} -> {} (vehicle {}, {:.1} km, load {:.1} %): {}",
            name(&t.from),
            name(&t.to),
            t.vehicle,
            t.km,
            t.load_pct,
            t.items
        );
    }
    for l in out.levels.iter().filter(|l| l.status != super::SolveStatus::Optimal) {
        let _ = writeln!(
            s,
            "  note: county {} level {} is not proven optimal ({}; gap to the bound {:.2} %)",
            l.county,
            l.level,
            l.stopped_by.map_or("a limit", super::StoppedBy::explain),
            100.0 * l.gap
        );
    }
    let (n0, km0, a0, p0) = totals(today);
    let (n1, mut km1, a1, p1) = totals(&out.plan);
    if !out.trips.is_empty() {
        km1 = out.trips.iter().map(|t| t.km).sum();
    }
    let _ = writeln!(
        s,
        "\nToday vs with packs{}:",
        if out.trips.is_empty() { "" } else { " and trips" }
    );
    let _ = writeln!(s, "  shipments            {n0:>8} {n1:>8}");
    let _ = writeln!(s, "  trips                {:>8} {:>8}", "-", out.trips.len());
    let _ = writeln!(s, "  km driven            {km0:>8.1} {km1:>8.1}");
    let _ = writeln!(s, "  unmet acute need     {a0:>8} {a1:>8}");
    let _ = writeln!(s, "  unmet planning need  {p0:>8} {p1:>8}");
    s
}
