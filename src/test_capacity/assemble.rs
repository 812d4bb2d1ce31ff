//! [`plan_testing`]: resolve, build the LP, solve it level by level, make it whole,
//! check every limit, and assemble the [`TestingPlan`].

use super::integral::{integral_plan, IntegralPlan};
use super::lexicographic::{solve_lexicographic, LevelOutcome};
use super::plan::{
    Assignment, CapacityValue, KitUse, LabUse, PriorityUntested, Resource, SiteUse, TestingObjective, TestingPlan,
    Transport, UnmetReason, UnmetTesting,
};
use super::program::{build_program, TestingProgram};
use super::resolve::ResolvedTesting;
use super::scenario::{TestType, TestingScenario};
use crate::error::{Error, Result};
use crate::lp::Row;

/// Plans one week of testing: which group is tested where, where samples are
/// analysed, which kits move, what stays untested and which capacities are worth most.
///
/// ```
/// use allocnet::test_capacity::{plan_testing, synthetic::vastmanland_testing};
/// let scenario = vastmanland_testing().unwrap();
/// let plan = plan_testing(&scenario).unwrap();
/// assert!(plan.synthetic);
/// assert!(plan.total_tests() > 0);
/// ```
pub fn plan_testing(scenario: &TestingScenario) -> Result<TestingPlan> {
    let r = scenario.resolve()?;
    let site_kits: Vec<[i64; 2]> = scenario.sites.iter().map(|s| [s.kits.pcr, s.kits.serology]).collect();
    let store_kits: Vec<[i64; 2]> = scenario.stores.iter().map(|s| [s.kits.pcr, s.kits.serology]).collect();
    let mut program = build_program(&r, &site_kits, &store_kits);
    let lex = solve_lexicographic(&r, &mut program)?;
    let levels = lex.levels;
    let whole = integral_plan(&r, lex.tests, lex.fractional_rounded_down, &site_kits, &store_kits)?;
    check_limits(scenario, &r, &whole, &site_kits, &store_kits)?;
    Ok(assemble(scenario, &r, &program, &whole, levels, &site_kits))
}

/// Tests per (site, type) of the whole-number plan.
fn tests_per_site(r: &ResolvedTesting, whole: &IntegralPlan) -> Vec<[i64; 2]> {
    let mut per_site = vec![[0i64; 2]; r.site_capacity.len()];
    for (entry, tests) in r.entries.iter().zip(&whole.tests) {
        for (&(s, _), &n) in entry.candidates.iter().zip(tests) {
            per_site[s][entry.test_type.index()] += n;
        }
    }
    per_site
}

/// Re-checks every limit of the whole-number plan; a failure is a solver error.
fn check_limits(
    s: &TestingScenario,
    r: &ResolvedTesting,
    whole: &IntegralPlan,
    site_kits: &[[i64; 2]],
    store_kits: &[[i64; 2]],
) -> Result<()> {
    let fail = |m: String| {
        Err(Error::Solver(format!(
            "the whole-number testing plan fails a check: {m}"
        )))
    };
    for (entry, tests) in r.entries.iter().zip(&whole.tests) {
        let total: i64 = tests.iter().sum();
        if tests.iter().any(|&n| n < 0) || total > entry.tests {
            return fail(format!(
                "demand[{}]: {total} tests for a need of {}",
                entry.row, entry.tests
            ));
        }
    }
    let per_site = tests_per_site(r, whole);
    let mut sent = vec![[0i64; 2]; per_site.len()];
    let mut lab_in = vec![[0i64; 2]; r.lab_capacity.len()];
    for (route, &n) in r.sample_routes.iter().zip(&whole.samples) {
        sent[route.from][route.test_type.index()] += n;
        lab_in[route.to][route.test_type.index()] += n;
    }
    let mut received = vec![[0i64; 2]; per_site.len()];
    let mut shipped = vec![[0i64; 2]; store_kits.len()];
    for (route, &n) in r.kit_routes.iter().zip(&whole.kits) {
        received[route.to][route.test_type.index()] += n;
        shipped[route.from][route.test_type.index()] += n;
    }
    for (i, site) in s.sites.iter().enumerate() {
        let used = per_site[i][0] + per_site[i][1];
        if used > r.site_capacity[i] {
            return fail(format!(
                "site '{}': {used} tests > capacity {}",
                site.id, r.site_capacity[i]
            ));
        }
        for t in 0..2 {
            if per_site[i][t] > site_kits[i][t] + received[i][t] {
                return fail(format!("site '{}': more tests than kits", site.id));
            }
            if per_site[i][t] != sent[i][t] {
                return fail(format!("site '{}': samples sent != tests", site.id));
            }
        }
    }
    for ((lab, load), cap) in s.labs.iter().zip(&lab_in).zip(&r.lab_capacity) {
        if load[0] > cap[0] || load[1] > cap[1] {
            return fail(format!("lab '{}': samples over capacity", lab.id));
        }
    }
    for (k, store) in s.stores.iter().enumerate() {
        for t in 0..2 {
            if shipped[k][t] > store_kits[k][t] {
                return fail(format!("store '{}': shipped more kits than held", store.id));
            }
        }
    }
    Ok(())
}

fn ratio(a: i64, b: i64) -> f64 {
    if b > 0 {
        a as f64 / b as f64
    } else {
        0.0
    }
}

fn assemble(
    s: &TestingScenario,
    r: &ResolvedTesting,
    p: &TestingProgram,
    whole: &IntegralPlan,
    levels: Vec<LevelOutcome>,
    site_kits: &[[i64; 2]],
) -> TestingPlan {
    let per_site = tests_per_site(r, whole);
    let mut received = vec![[0i64; 2]; s.sites.len()];
    for (route, &n) in r.kit_routes.iter().zip(&whole.kits) {
        received[route.to][route.test_type.index()] += n;
    }
    let mut lab_in = vec![[0i64; 2]; s.labs.len()];
    for (route, &n) in r.sample_routes.iter().zip(&whole.samples) {
        lab_in[route.to][route.test_type.index()] += n;
    }
    let (assignments, mut unmet, person_km) = assignments_and_unmet(s, r, whole, &per_site, site_kits, &received);
    unmet.sort_by(|a, b| a.priority.cmp(&b.priority).then(b.untested.cmp(&a.untested)));
    let untested_by_priority = r
        .priorities
        .iter()
        .enumerate()
        .map(|(level, &priority)| {
            let of_level = || r.entries.iter().zip(&whole.tests).filter(|(e, _)| e.level == level);
            let demand = of_level().map(|(e, _)| e.tests).sum();
            let tested: i64 = of_level().map(|(_, t)| t.iter().sum::<i64>()).sum();
            PriorityUntested {
                priority,
                demand,
                untested: demand - tested,
            }
        })
        .collect();
    let sites = s
        .sites
        .iter()
        .enumerate()
        .map(|(i, site)| SiteUse {
            site: site.id.clone(),
            name: site.name.clone(),
            county: site.county.clone(),
            kind: site.kind,
            capacity_per_week: r.site_capacity[i],
            pcr: per_site[i][0],
            serology: per_site[i][1],
            utilisation: ratio(per_site[i][0] + per_site[i][1], r.site_capacity[i]),
        })
        .collect();
    let labs = lab_uses(s, r, &lab_in);
    let transports = |routes: &[super::resolve::Route],
                      amounts: &[i64],
                      from: &dyn Fn(usize) -> String,
                      to: &dyn Fn(usize) -> String| {
        routes
            .iter()
            .zip(amounts)
            .filter(|&(_, &n)| n > 0)
            .map(|(route, &n)| Transport {
                from: from(route.from),
                to: to(route.to),
                test_type: route.test_type,
                quantity: n,
                km: route.km,
            })
            .collect::<Vec<_>>()
    };
    let site_id = |i: usize| s.sites[i].id.clone();
    let sample_flows = transports(&r.sample_routes, &whole.samples, &site_id, &|l| s.labs[l].id.clone());
    let kit_shipments = transports(&r.kit_routes, &whole.kits, &|k| s.stores[k].id.clone(), &site_id);
    // Folded from +0.0 (an empty f64 `sum()` is -0.0, shown as "-0").
    let sample_km = sample_flows.iter().fold(0.0, |a, t| a + t.quantity as f64 * t.km);
    let kit_km = kit_shipments.iter().fold(0.0, |a, t| a + t.quantity as f64 * t.km);
    let mut kits = Vec::new();
    for (i, site) in s.sites.iter().enumerate() {
        for t in TestType::ALL {
            let ti = t.index();
            if r.site_offers[i][ti] {
                kits.push(KitUse {
                    site: site.id.clone(),
                    test_type: t,
                    on_hand: site_kits[i][ti],
                    received: received[i][ti],
                    used: per_site[i][ti],
                    left: site_kits[i][ti] + received[i][ti] - per_site[i][ti],
                });
            }
        }
    }
    let duals_available = levels.iter().any(|l| l.row_duals.is_some());
    let capacity_values = capacity_values(s, r, p, &levels, &per_site, &lab_in, &received, whole);
    TestingPlan {
        scenario: s.name.clone(),
        week: s.week.clone(),
        synthetic: s.synthetic,
        assignments,
        unmet,
        sites,
        labs,
        sample_flows,
        kit_shipments,
        kits,
        objective: TestingObjective {
            untested_by_priority,
            person_km,
            sample_km,
            kit_km,
            levels,
            fractional_rounded_down: whole.fractional_rounded_down,
        },
        capacity_values,
        duals_available,
    }
}

/// The tests per demand row and site as [`Assignment`]s, the untested demand with its
/// reason, and the person·km.
fn assignments_and_unmet(
    s: &TestingScenario,
    r: &ResolvedTesting,
    whole: &IntegralPlan,
    per_site: &[[i64; 2]],
    site_kits: &[[i64; 2]],
    received: &[[i64; 2]],
) -> (Vec<Assignment>, Vec<UnmetTesting>, f64) {
    let mut assignments = Vec::new();
    let mut unmet = Vec::new();
    let mut person_km = 0.0;
    for (entry, tests) in r.entries.iter().zip(&whole.tests) {
        let m = &s.municipalities[entry.municipality];
        let g = &s.groups[entry.group];
        let mut tested = 0;
        for (&(site, km), &n) in entry.candidates.iter().zip(tests) {
            if n > 0 {
                tested += n;
                person_km += n as f64 * km;
                assignments.push(Assignment {
                    municipality: m.id.clone(),
                    municipality_name: m.name.clone(),
                    county: m.county.clone(),
                    group: g.id.clone(),
                    priority: g.priority,
                    test_type: entry.test_type,
                    site: s.sites[site].id.clone(),
                    tests: n,
                    km,
                });
            }
        }
        if tested < entry.tests {
            let t = entry.test_type.index();
            let reason = if entry.candidates.is_empty() {
                UnmetReason::NoSiteInReach
            } else {
                let open: Vec<usize> = entry
                    .candidates
                    .iter()
                    .map(|c| c.0)
                    .filter(|&i| per_site[i][0] + per_site[i][1] < r.site_capacity[i])
                    .collect();
                if open.is_empty() {
                    UnmetReason::SitesFull
                } else if open.iter().all(|&i| per_site[i][t] >= site_kits[i][t] + received[i][t]) {
                    UnmetReason::KitsExhausted
                } else {
                    UnmetReason::LabsFull
                }
            };
            unmet.push(UnmetTesting {
                municipality: m.id.clone(),
                county: m.county.clone(),
                group: g.id.clone(),
                priority: g.priority,
                test_type: entry.test_type,
                demand: entry.tests,
                tested,
                untested: entry.tests - tested,
                reason,
            });
        }
    }
    (assignments, unmet, person_km)
}

/// Lab loads per lab and test type it analyses.
fn lab_uses(s: &TestingScenario, r: &ResolvedTesting, lab_in: &[[i64; 2]]) -> Vec<LabUse> {
    let mut labs = Vec::new();
    for (l, lab) in s.labs.iter().enumerate() {
        for t in TestType::ALL {
            let ti = t.index();
            if r.lab_capacity[l][ti] == 0 {
                continue;
            }
            let pooling = r.lab_pooling[l][ti];
            let analyses = (lab_in[l][ti] + pooling - 1) / pooling;
            labs.push(LabUse {
                lab: lab.id.clone(),
                name: lab.name.clone(),
                county: lab.county.clone(),
                test_type: t,
                samples: lab_in[l][ti],
                analyses,
                analyses_capacity: r.lab_analyses[l][ti],
                pooling,
                utilisation: ratio(analyses, r.lab_analyses[l][ti]),
            });
        }
    }
    labs
}

/// The first non-zero `−dual` of `row` over the levels: `(level index, value)`.
fn first_value(levels: &[LevelOutcome], row: Row) -> Option<(usize, f64)> {
    levels.iter().enumerate().find_map(|(i, level)| {
        let dual = level.row_duals.as_ref()?.get(row.index()).copied()?;
        (-dual > 1e-9).then_some((i, -dual))
    })
}

#[allow(clippy::too_many_arguments)]
fn capacity_values(
    s: &TestingScenario,
    r: &ResolvedTesting,
    p: &TestingProgram,
    levels: &[LevelOutcome],
    per_site: &[[i64; 2]],
    lab_in: &[[i64; 2]],
    received: &[[i64; 2]],
    whole: &IntegralPlan,
) -> Vec<CapacityValue> {
    let mut out = Vec::new();
    let mut push = |resource, id: &str, county: &str, test_type, row, scale: f64, load, capacity| {
        if let Some((i, v)) = first_value(levels, row) {
            out.push(CapacityValue {
                resource,
                id: id.to_string(),
                county: county.to_string(),
                test_type,
                level: levels[i].level.clone(),
                level_index: i,
                value: v * scale,
                load,
                capacity,
            });
        }
    };
    for (i, site) in s.sites.iter().enumerate() {
        let load = per_site[i][0] + per_site[i][1];
        push(
            Resource::SiteCapacity,
            &site.id,
            &site.county,
            None,
            p.site_rows[i],
            1.0,
            load,
            r.site_capacity[i],
        );
        for t in TestType::ALL {
            if let Some(row) = p.kit_rows[i][t.index()] {
                let (used, stock) = (per_site[i][t.index()], site.kits.of(t) + received[i][t.index()]);
                push(
                    Resource::SiteKits,
                    &site.id,
                    &site.county,
                    Some(t),
                    row,
                    1.0,
                    used,
                    stock,
                );
            }
        }
    }
    for (l, lab) in s.labs.iter().enumerate() {
        for t in TestType::ALL {
            if let Some(row) = p.lab_rows[l][t.index()] {
                let pooling = r.lab_pooling[l][t.index()];
                let analyses = (lab_in[l][t.index()] + pooling - 1) / pooling;
                let cap = r.lab_analyses[l][t.index()];
                push(
                    Resource::LabCapacity,
                    &lab.id,
                    &lab.county,
                    Some(t),
                    row,
                    pooling as f64,
                    analyses,
                    cap,
                );
            }
        }
    }
    let mut shipped = vec![[0i64; 2]; s.stores.len()];
    for (route, &n) in r.kit_routes.iter().zip(&whole.kits) {
        shipped[route.from][route.test_type.index()] += n;
    }
    for (k, store) in s.stores.iter().enumerate() {
        for t in TestType::ALL {
            if let Some(row) = p.store_rows[k][t.index()] {
                let cap = store.kits.of(t);
                push(
                    Resource::StoreKits,
                    &store.id,
                    &store.county,
                    Some(t),
                    row,
                    1.0,
                    shipped[k][t.index()],
                    cap,
                );
            }
        }
    }
    out.sort_by(|a, b| {
        a.level_index
            .cmp(&b.level_index)
            .then(b.value.total_cmp(&a.value))
            .then(a.id.cmp(&b.id))
    });
    out
}
