//! [`plan_testing`]: resolve, build the LP, solve it level by level, make it whole,
//! check every limit, and assemble the [`TestingPlan`].

use super::integral::{integral_plan, IntegralPlan};
use super::lexicographic::{solve_lexicographic, LevelOutcome};
use super::plan::{
    Assignment, CapacityValue, KitUse, LabUse, PriorityUntested, Resource, SiteUse, TestingObjective, TestingPlan,
    Transport, UnmetReason, UnmetTesting,
};
use super::program::{build_program, TestingProgram};
use super::resolve::{DemandEntry, ResolvedTesting, Route};
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
    let loads = Loads::new(&r, &whole, store_kits.len());
    check_limits(scenario, &r, &whole, &loads, (&site_kits, &store_kits))?;
    Ok(assemble(scenario, &r, &program, &whole, levels, (&site_kits, &loads)))
}

/// The whole-number plan's sums per (owner, test type).
struct Loads {
    /// Tests per site.
    per_site: Vec<[i64; 2]>,
    /// Samples sent per site.
    sent: Vec<[i64; 2]>,
    /// Samples received per lab.
    lab_in: Vec<[i64; 2]>,
    /// Kits received per site.
    received: Vec<[i64; 2]>,
    /// Kits shipped per store.
    shipped: Vec<[i64; 2]>,
}

impl Loads {
    fn new(r: &ResolvedTesting, whole: &IntegralPlan, stores: usize) -> Self {
        let sites = r.site_capacity.len();
        let mut per_site = vec![[0i64; 2]; sites];
        for (entry, tests) in r.entries.iter().zip(&whole.tests) {
            for (&(s, _), &n) in entry.candidates.iter().zip(tests) {
                per_site[s][entry.test_type.index()] += n;
            }
        }
        let (sent, lab_in) = route_sums(&r.sample_routes, &whole.samples, sites, r.lab_capacity.len());
        let (shipped, received) = route_sums(&r.kit_routes, &whole.kits, stores, sites);
        Loads {
            per_site,
            sent,
            lab_in,
            received,
            shipped,
        }
    }
}

/// The amounts on `routes` summed per (origin, type) and per (destination, type).
fn route_sums(
    routes: &[Route],
    amounts: &[i64],
    origins: usize,
    destinations: usize,
) -> (Vec<[i64; 2]>, Vec<[i64; 2]>) {
    let mut out = vec![[0i64; 2]; origins];
    let mut into = vec![[0i64; 2]; destinations];
    for (route, &n) in routes.iter().zip(amounts) {
        out[route.from][route.test_type.index()] += n;
        into[route.to][route.test_type.index()] += n;
    }
    (out, into)
}

/// Re-checks every limit of the whole-number plan; a failure is a solver error.
fn check_limits(
    s: &TestingScenario,
    r: &ResolvedTesting,
    whole: &IntegralPlan,
    loads: &Loads,
    (site_kits, store_kits): (&[[i64; 2]], &[[i64; 2]]),
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
    let Loads {
        per_site,
        sent,
        lab_in,
        received,
        shipped,
    } = loads;
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
    for ((lab, load), cap) in s.labs.iter().zip(lab_in).zip(&r.lab_capacity) {
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

/// Analyses needed for `samples` samples pooled `pooling` to an analysis.
fn analyses(samples: i64, pooling: i64) -> i64 {
    (samples + pooling - 1) / pooling
}

fn assemble(
    s: &TestingScenario,
    r: &ResolvedTesting,
    p: &TestingProgram,
    whole: &IntegralPlan,
    levels: Vec<LevelOutcome>,
    (site_kits, loads): (&[[i64; 2]], &Loads),
) -> TestingPlan {
    let (assignments, mut unmet, person_km) = assignments_and_unmet(s, r, whole, site_kits, loads);
    unmet.sort_by(|a, b| a.priority.cmp(&b.priority).then(b.untested.cmp(&a.untested)));
    let site_id = |i: usize| s.sites[i].id.clone();
    let sample_flows = transports(&r.sample_routes, &whole.samples, &site_id, &|l| s.labs[l].id.clone());
    let kit_shipments = transports(&r.kit_routes, &whole.kits, &|k| s.stores[k].id.clone(), &site_id);
    // Folded from +0.0 (an empty f64 `sum()` is -0.0, shown as "-0").
    let sample_km = sample_flows.iter().fold(0.0, |a, t| a + t.quantity as f64 * t.km);
    let kit_km = kit_shipments.iter().fold(0.0, |a, t| a + t.quantity as f64 * t.km);
    let duals_available = levels.iter().any(|l| l.row_duals.is_some());
    let capacity_values = capacity_values(s, r, p, &levels, loads);
    TestingPlan {
        scenario: s.name.clone(),
        week: s.week.clone(),
        synthetic: s.synthetic,
        assignments,
        unmet,
        sites: site_uses(s, r, &loads.per_site),
        labs: lab_uses(s, r, &loads.lab_in),
        sample_flows,
        kit_shipments,
        kits: kit_uses(s, r, site_kits, loads),
        objective: TestingObjective {
            untested_by_priority: untested_by_priority(r, whole),
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

/// Demand and untested tests per priority level.
fn untested_by_priority(r: &ResolvedTesting, whole: &IntegralPlan) -> Vec<PriorityUntested> {
    r.priorities
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
        .collect()
}

/// Tests and utilisation per sampling site.
fn site_uses(s: &TestingScenario, r: &ResolvedTesting, per_site: &[[i64; 2]]) -> Vec<SiteUse> {
    s.sites
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
        .collect()
}

/// The routes that carry something, as [`Transport`]s named by `from` and `to`.
fn transports(
    routes: &[Route],
    amounts: &[i64],
    from: &dyn Fn(usize) -> String,
    to: &dyn Fn(usize) -> String,
) -> Vec<Transport> {
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
        .collect()
}

/// Kits on hand, received, used and left per site and test type it offers.
fn kit_uses(s: &TestingScenario, r: &ResolvedTesting, site_kits: &[[i64; 2]], loads: &Loads) -> Vec<KitUse> {
    let mut kits = Vec::new();
    for (i, site) in s.sites.iter().enumerate() {
        for t in TestType::ALL {
            let ti = t.index();
            if r.site_offers[i][ti] {
                kits.push(KitUse {
                    site: site.id.clone(),
                    test_type: t,
                    on_hand: site_kits[i][ti],
                    received: loads.received[i][ti],
                    used: loads.per_site[i][ti],
                    left: site_kits[i][ti] + loads.received[i][ti] - loads.per_site[i][ti],
                });
            }
        }
    }
    kits
}

/// The tests per demand row and site as [`Assignment`]s, the untested demand with its
/// reason, and the person·km.
fn assignments_and_unmet(
    s: &TestingScenario,
    r: &ResolvedTesting,
    whole: &IntegralPlan,
    site_kits: &[[i64; 2]],
    loads: &Loads,
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
            let reason = unmet_reason(entry, r, site_kits, loads);
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

/// Why demand entry `entry` is not fully tested: no candidate site, all its sites
/// full, kits used up at every open site, or else the labs full.
fn unmet_reason(entry: &DemandEntry, r: &ResolvedTesting, site_kits: &[[i64; 2]], loads: &Loads) -> UnmetReason {
    let (per_site, received) = (&loads.per_site, &loads.received);
    let t = entry.test_type.index();
    if entry.candidates.is_empty() {
        return UnmetReason::NoSiteInReach;
    }
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
            let analyses = analyses(lab_in[l][ti], pooling);
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

/// The capacity values found so far.
struct Values<'a> {
    levels: &'a [LevelOutcome],
    out: Vec<CapacityValue>,
}

impl Values<'_> {
    /// Adds the value of capacity row `row` (its first non-zero `−dual` × `scale`) of
    /// `(resource, id, county, test type)`, if a level prices it.
    fn add(
        &mut self,
        (resource, id, county, test_type): (Resource, &str, &str, Option<TestType>),
        row: Row,
        scale: f64,
        (load, capacity): (i64, i64),
    ) {
        if let Some((i, v)) = first_value(self.levels, row) {
            self.out.push(CapacityValue {
                resource,
                id: id.to_string(),
                county: county.to_string(),
                test_type,
                level: self.levels[i].level.clone(),
                level_index: i,
                value: v * scale,
                load,
                capacity,
            });
        }
    }
}

/// The value of every capacity a level prices: site capacity and kits, lab
/// capacity (per analysis: the row's value × pooling), store kits; by level, then
/// value (largest first), then id.
fn capacity_values(
    s: &TestingScenario,
    r: &ResolvedTesting,
    p: &TestingProgram,
    levels: &[LevelOutcome],
    loads: &Loads,
) -> Vec<CapacityValue> {
    let mut values = Values {
        levels,
        out: Vec::new(),
    };
    for (i, site) in s.sites.iter().enumerate() {
        let key = |resource, t| (resource, site.id.as_str(), site.county.as_str(), t);
        let load = loads.per_site[i][0] + loads.per_site[i][1];
        values.add(
            key(Resource::SiteCapacity, None),
            p.site_rows[i],
            1.0,
            (load, r.site_capacity[i]),
        );
        for t in TestType::ALL {
            if let Some(row) = p.kit_rows[i][t.index()] {
                let (used, stock) = (
                    loads.per_site[i][t.index()],
                    site.kits.of(t) + loads.received[i][t.index()],
                );
                values.add(key(Resource::SiteKits, Some(t)), row, 1.0, (used, stock));
            }
        }
    }
    for (l, lab) in s.labs.iter().enumerate() {
        for t in TestType::ALL {
            if let Some(row) = p.lab_rows[l][t.index()] {
                let pooling = r.lab_pooling[l][t.index()];
                let load = analyses(loads.lab_in[l][t.index()], pooling);
                let key = (Resource::LabCapacity, lab.id.as_str(), lab.county.as_str(), Some(t));
                values.add(key, row, pooling as f64, (load, r.lab_analyses[l][t.index()]));
            }
        }
    }
    for (k, store) in s.stores.iter().enumerate() {
        for t in TestType::ALL {
            if let Some(row) = p.store_rows[k][t.index()] {
                let key = (Resource::StoreKits, store.id.as_str(), store.county.as_str(), Some(t));
                values.add(key, row, 1.0, (loads.shipped[k][t.index()], store.kits.of(t)));
            }
        }
    }
    let mut out = values.out;
    out.sort_by(|a, b| {
        a.level_index
            .cmp(&b.level_index)
            .then(b.value.total_cmp(&a.value))
            .then(a.id.cmp(&b.id))
    });
    out
}
