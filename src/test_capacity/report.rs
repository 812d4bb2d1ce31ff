//! The readable summary of a testing plan (what `allocnet testing` prints).

use super::plan::TestingPlan;
use super::scenario::TestingScenario;
use super::status::county_status;
use std::fmt::Write;

/// `": <scenario> <week>"` without empty parts (no dangling space), or nothing.
fn title_suffix(plan: &TestingPlan) -> String {
    let parts: Vec<&str> = [plan.scenario.trim(), plan.week.trim()]
        .into_iter()
        .filter(|s| !s.is_empty())
        .collect();
    if parts.is_empty() {
        String::new()
    } else {
        format!(": {}", parts.join(" "))
    }
}

/// A readable summary: totals and untested by priority, the busiest sites and labs,
/// the capacities worth most, and the county status picture.
pub fn testing_text(scenario: &TestingScenario, plan: &TestingPlan) -> String {
    let mut t = String::new();
    let _ = writeln!(t, "Testing plan{}", title_suffix(plan));
    if plan.synthetic {
        let _ = writeln!(t, "SYNTHETIC capacities and demand (real geography), not real figures.");
    }
    let demand: i64 = plan.objective.untested_by_priority.iter().map(|p| p.demand).sum();
    let _ = writeln!(
        t,
        "{} municipalities, {} sampling sites, {} labs, {} kit stores; demand {} tests/week, planned {}, untested {}.",
        scenario.municipalities.len(),
        scenario.sites.len(),
        scenario.labs.len(),
        scenario.stores.len(),
        demand,
        plan.total_tests(),
        plan.total_untested()
    );
    let _ = writeln!(t, "\nUntested by priority:");
    for p in &plan.objective.untested_by_priority {
        let groups: Vec<&str> = scenario
            .groups
            .iter()
            .filter(|g| g.priority == p.priority)
            .map(|g| g.id.as_str())
            .collect();
        let _ = writeln!(
            t,
            "  priority {} ({}): demand {}, untested {}",
            p.priority,
            groups.join(", "),
            p.demand,
            p.untested
        );
    }
    let _ = writeln!(
        t,
        "Travel {:.0} person-km; samples {:.0} km; kits {:.0} km; fractional LP values rounded down: {}.",
        plan.objective.person_km.max(0.0) + 0.0,
        plan.objective.sample_km.max(0.0) + 0.0,
        plan.objective.kit_km.max(0.0) + 0.0,
        plan.objective.fractional_rounded_down
    );
    loads_text(&mut t, plan);
    let _ = writeln!(t, "\nKit shipments: {}", plan.kit_shipments.len());
    for k in plan.kit_shipments.iter().take(10) {
        let _ = writeln!(
            t,
            "  {} -> {}: {} {} kits ({:.1} km)",
            k.from,
            k.to,
            k.quantity,
            k.test_type.as_str(),
            k.km
        );
    }
    if !plan.duals_available {
        let _ = writeln!(t, "\nCapacity values: the LP backend gives no duals.");
    } else {
        let _ = writeln!(t, "\nWhere one more unit of capacity helps most (up to 10):");
        for v in plan.capacity_values.iter().take(10) {
            let _ = writeln!(
                t,
                "  {:<14} {:<24} {:<9} {}: {:.3} per unit (load {} of {})",
                v.resource.as_str(),
                v.id,
                v.test_type.map_or("all", |t| t.as_str()),
                v.level,
                v.value,
                v.load,
                v.capacity
            );
        }
    }
    if !plan.unmet.is_empty() {
        let _ = writeln!(t, "\nUntested (highest priority first, up to 10):");
        for u in plan.unmet.iter().take(10) {
            let _ = writeln!(
                t,
                "  {} {} {}: {} of {} untested ({})",
                u.municipality,
                u.group,
                u.test_type.as_str(),
                u.untested,
                u.demand,
                u.reason.as_str()
            );
        }
    }
    status_text(&mut t, scenario, plan);
    t
}

/// The busiest sampling sites and labs (up to 10 each).
fn loads_text(t: &mut String, plan: &TestingPlan) {
    let mut sites: Vec<_> = plan.sites.iter().collect();
    sites.sort_by(|a, b| b.utilisation.total_cmp(&a.utilisation).then(a.site.cmp(&b.site)));
    let _ = writeln!(t, "\nSampling sites (busiest first, up to 10):");
    for s in sites.iter().take(10) {
        let _ = writeln!(
            t,
            "  {:<28} {:>6} of {:>6}/week  ({:>5.1} %)  pcr {}, serology {}",
            s.name,
            s.pcr + s.serology,
            s.capacity_per_week,
            s.utilisation * 100.0,
            s.pcr,
            s.serology
        );
    }
    let mut labs: Vec<_> = plan.labs.iter().collect();
    labs.sort_by(|a, b| b.utilisation.total_cmp(&a.utilisation).then(a.lab.cmp(&b.lab)));
    let _ = writeln!(t, "\nLabs (busiest first, up to 10):");
    for l in labs.iter().take(10) {
        let _ = writeln!(
            t,
            "  {:<28} {:<8} {:>6} samples, {:>6} of {:>6} analyses/week ({:>5.1} %), pooling {}",
            l.name,
            l.test_type.as_str(),
            l.samples,
            l.analyses,
            l.analyses_capacity,
            l.utilisation * 100.0,
            l.pooling
        );
    }
}

/// The capacity status picture per county and test type.
fn status_text(t: &mut String, scenario: &TestingScenario, plan: &TestingPlan) {
    let _ = writeln!(t, "\nCapacity status per county (tests/week):");
    let _ = writeln!(
        t,
        "  {:<24} {:<8} {:>8} {:>8} {:>8} {:>9} {:>8} {:>8}",
        "county", "type", "demand", "tested", "untested", "sampling", "lab", "gap"
    );
    for c in county_status(scenario, plan) {
        let _ = writeln!(
            t,
            "  {:<24} {:<8} {:>8} {:>8} {:>8} {:>9} {:>8} {:>8}",
            c.county,
            c.test_type.as_str(),
            c.demand,
            c.tested,
            c.untested,
            c.sampling_capacity,
            c.lab_capacity,
            c.capacity_gap
        );
    }
}
