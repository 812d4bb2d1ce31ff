//! The transport level of the testing plan (issue 18 §1–§2): transport km are
//! minimised with the priority and travel levels at their optima (tests free to move
//! between sites tied in travel), the whole-number routing uses the km the plan
//! reports, and a separately written transport-only LP over the plan's tests agrees.

use allocnet::lp::{LinearProgram, LpStatus, Var};
use allocnet::model::haversine_km;
use allocnet::test_capacity::lexicographic::travel_terms;
use allocnet::test_capacity::program::{build_program, TestingProgram};
use allocnet::test_capacity::synthetic::vastmanland_testing;
use allocnet::test_capacity::{
    default_groups, plan_testing, Demand, KitStore, Kits, LabCapacity, Laboratory, SamplingKind, SamplingSite,
    TestType, TestingMunicipality, TestingParameters, TestingPlan, TestingScenario, Weekday,
};
use proptest::prelude::*;
use std::collections::HashMap;

/// One degree of longitude at the equator, km (haversine, mean Earth radius).
const DEG_KM: f64 = 111.195;

fn muni(id: &str, lon: f64) -> TestingMunicipality {
    TestingMunicipality {
        id: id.into(),
        name: format!("Town {id}"),
        county: "C".into(),
        lat: 0.0,
        lon,
    }
}

/// A PCR site open one day a week at `(0, lon)`.
fn site(id: &str, lon: f64, capacity: i64, kits: i64) -> SamplingSite {
    SamplingSite {
        id: id.into(),
        name: format!("Site {id}"),
        address: format!("Street 1, {id}"),
        kind: SamplingKind::DriveIn,
        county: "C".into(),
        lat: 0.0,
        lon,
        capacity_per_day: capacity,
        test_types: vec![TestType::Pcr],
        opening_days: vec![Weekday::Mon],
        kits: Kits { pcr: kits, serology: 0 },
    }
}

/// A PCR lab open one day a week at `(0, lon)`.
fn lab(id: &str, lon: f64, analyses: i64) -> Laboratory {
    Laboratory {
        id: id.into(),
        name: format!("Lab {id}"),
        county: "C".into(),
        lat: 0.0,
        lon,
        capacity: vec![LabCapacity {
            test_type: TestType::Pcr,
            analyses_per_day: analyses,
            pooling: 1,
        }],
        opening_days: vec![Weekday::Mon],
    }
}

fn scenario(
    municipalities: Vec<TestingMunicipality>,
    demand: Vec<(&str, &str, i64)>,
    sites: Vec<SamplingSite>,
    labs: Vec<Laboratory>,
) -> TestingScenario {
    TestingScenario {
        name: "transport".into(),
        week: "W1".into(),
        synthetic: true,
        groups: default_groups(),
        municipalities,
        demand: demand
            .into_iter()
            .map(|(m, g, n)| Demand {
                municipality: m.into(),
                group: g.into(),
                test_type: TestType::Pcr,
                tests_per_week: n,
            })
            .collect(),
        sites,
        labs,
        stores: Vec::new(),
        parameters: TestingParameters::default(),
    }
}

fn level(plan: &TestingPlan, name: &str) -> f64 {
    plan.objective
        .levels
        .iter()
        .find(|l| l.level == name)
        .map(|l| l.value)
        .unwrap_or_else(|| panic!("no level {name}: {:?}", plan.objective.levels))
}

fn tests_at(plan: &TestingPlan, site: &str) -> i64 {
    plan.assignments
        .iter()
        .filter(|a| a.site == site)
        .map(|a| a.tests)
        .sum()
}

#[test]
fn ties_in_travel_are_broken_by_transport() {
    // Each town sits halfway between two sites 1° apart (equal travel); the lab is
    // next to the eastern sites. Every test must go east, where the samples travel
    // 0.1° instead of 1.1°.
    let mut munis = Vec::new();
    let mut sites = Vec::new();
    let mut demand = Vec::new();
    let ids: Vec<String> = (0..6).map(|i| format!("m{i}")).collect();
    for (i, id) in ids.iter().enumerate() {
        let lat = i as f64 * 0.01;
        munis.push(TestingMunicipality { lat, ..muni(id, 0.0) });
        let west = SamplingSite {
            lat,
            ..site(&format!("west{i}"), -0.5, 100, 100)
        };
        let east = SamplingSite {
            lat,
            ..site(&format!("east{i}"), 0.5, 100, 100)
        };
        // Both listing orders, so no tie rule by order can pass by luck.
        if i % 2 == 0 {
            sites.extend([west, east]);
        } else {
            sites.extend([east, west]);
        }
        demand.push((id.as_str(), "public", 10 + i as i64));
    }
    let s = scenario(munis, demand, sites, vec![lab("l", 0.6, 1000)]);
    let plan = plan_testing(&s).unwrap();
    for i in 0..6 {
        assert_eq!(
            tests_at(&plan, &format!("west{i}")),
            0,
            "west{i}: {:?}",
            plan.assignments
        );
        assert_eq!(tests_at(&plan, &format!("east{i}")), 10 + i as i64);
    }
    let transport = level(&plan, "transport");
    let reported = plan.objective.sample_km + plan.objective.kit_km;
    assert!(
        (transport - reported).abs() <= 1e-6 * reported.max(1.0),
        "{transport} vs {reported}"
    );
    // 75 samples, each about 0.1° from the lab.
    assert!(reported < 75.0 * 0.11 * DEG_KM, "{reported}");
}

#[test]
fn samples_go_to_the_nearer_lab_even_when_the_km_differ_below_0_1() {
    // Labs 97.3477 km and 97.2670 km from the site (0.1 km rounding ties them);
    // either is listed first. Every sample goes to the nearer lab.
    let far = lab("far", -97.3477 / DEG_KM, 1000);
    let near = lab("near", 97.2670 / DEG_KM, 1000);
    for labs in [vec![far.clone(), near.clone()], vec![near, far]] {
        let s = scenario(
            vec![muni("a", 0.0)],
            vec![("a", "public", 525)],
            vec![site("s", 0.0, 1000, 1000)],
            labs,
        );
        assert_nearer_lab_used(&s);
    }
}

fn assert_nearer_lab_used(s: &TestingScenario) {
    let plan = plan_testing(s).unwrap();
    let to = |lab: &str| -> i64 {
        plan.sample_flows
            .iter()
            .filter(|f| f.to == lab)
            .map(|f| f.quantity)
            .sum()
    };
    assert_eq!((to("far"), to("near")), (0, 525), "{:?}", plan.sample_flows);
    let transport = level(&plan, "transport");
    let reported = plan.objective.sample_km + plan.objective.kit_km;
    assert!(
        (transport - reported).abs() <= 1e-6 * reported.max(1.0),
        "{transport} vs {reported}"
    );
}

#[test]
fn vastmanland_transport_level_equals_the_plans_km() {
    let s = vastmanland_testing().unwrap();
    let plan = plan_testing(&s).unwrap();
    let transport = level(&plan, "transport");
    let reported = plan.objective.sample_km + plan.objective.kit_km;
    assert!(
        (transport - reported).abs() <= 1e-6 * reported.max(1.0),
        "{transport} vs {reported}"
    );
    let reference = transport_only_lp(&s, &plan).unwrap();
    assert!(
        (reference - reported).abs() <= 1e-3 + 1e-7 * reported,
        "{reference} vs {reported}"
    );
}

/// The plan's whole-number tests per (site index, type).
fn plan_tests(s: &TestingScenario, plan: &TestingPlan) -> Vec<[i64; 2]> {
    let index: HashMap<&str, usize> = s.sites.iter().enumerate().map(|(i, x)| (x.id.as_str(), i)).collect();
    let mut per_site = vec![[0i64; 2]; s.sites.len()];
    for a in &plan.assignments {
        per_site[index[a.site.as_str()]][a.test_type.index()] += a.tests;
    }
    per_site
}

/// A separately written transport-only LP: with the plan's tests per site and type
/// fixed, route every sample to a lab with capacity for its type and ship from the
/// stores the kits each site lacks, at least km (great-circle × detour, computed
/// here). Returns the optimum rounded to 0.001 km, or `None` if infeasible.
fn transport_only_lp(s: &TestingScenario, plan: &TestingPlan) -> Option<f64> {
    let detour = s.parameters.detour_factor;
    let km = |a: (f64, f64), b: (f64, f64)| haversine_km(a.0, a.1, b.0, b.1) * detour;
    let tests = plan_tests(s, plan);
    let mut lp = LinearProgram::new();
    for t in TestType::ALL {
        let ti = t.index();
        // Samples: site -> lab.
        let mut into_lab: Vec<Vec<(Var, f64)>> = vec![Vec::new(); s.labs.len()];
        for (i, site) in s.sites.iter().enumerate() {
            if tests[i][ti] == 0 {
                continue;
            }
            let mut out = Vec::new();
            for (l, lab) in s.labs.iter().enumerate() {
                if lab.capacity.iter().any(|c| c.test_type == t && c.analyses_per_day > 0) {
                    let d = km((site.lat, site.lon), (lab.lat, lab.lon));
                    let v = lp.add_variable(format!("y{i}_{l}_{ti}"), 0.0, f64::INFINITY, d);
                    out.push((v, 1.0));
                    into_lab[l].push((v, 1.0));
                }
            }
            let n = tests[i][ti] as f64;
            lp.add_row(format!("sent{i}_{ti}"), n, n, out);
        }
        for (l, lab) in s.labs.iter().enumerate() {
            let cap: i64 = lab
                .capacity
                .iter()
                .filter(|c| c.test_type == t)
                .map(|c| c.analyses_per_day * lab.opening_days.len() as i64 * c.pooling)
                .sum();
            if !into_lab[l].is_empty() {
                lp.add_row(
                    format!("lab{l}_{ti}"),
                    f64::NEG_INFINITY,
                    cap as f64,
                    into_lab[l].clone(),
                );
            }
        }
        // Kits: store -> site, for what the site lacks.
        let mut from_store: Vec<Vec<(Var, f64)>> = vec![Vec::new(); s.stores.len()];
        for (i, site) in s.sites.iter().enumerate() {
            let lack = tests[i][ti] - site.kits.of(t);
            if lack <= 0 {
                continue;
            }
            let mut into = Vec::new();
            for (k, store) in s.stores.iter().enumerate() {
                if s.parameters.kits_across_counties || store.county == site.county {
                    let d = km((store.lat, store.lon), (site.lat, site.lon));
                    let v = lp.add_variable(format!("z{k}_{i}_{ti}"), 0.0, f64::INFINITY, d);
                    into.push((v, 1.0));
                    from_store[k].push((v, 1.0));
                }
            }
            lp.add_row(format!("lack{i}_{ti}"), lack as f64, f64::INFINITY, into);
        }
        for (k, store) in s.stores.iter().enumerate() {
            if !from_store[k].is_empty() {
                lp.add_row(
                    format!("store{k}_{ti}"),
                    f64::NEG_INFINITY,
                    store.kits.of(t) as f64,
                    from_store[k].clone(),
                );
            }
        }
    }
    let solution = lp.solve().unwrap();
    (solution.status == LpStatus::Optimal).then(|| (solution.objective.unwrap_or(0.0) * 1e3).round() / 1e3)
}

/// The lexicographic reference, written here: every priority level, then travel,
/// then transport, each solved alone with the tests free and its optimum `v` fixed by
/// a row with a small slack `δ·max(v, 1)` before the next. Returns the transport
/// optimum extrapolated to no slack, and the slack used.
///
/// The slack lets the reference buy transport with travel: the transport optimum
/// `T(δ)` falls as `δ` grows, by up to (δ × travel) × (transport km saved per travel
/// km), and that rate has no bound (a test moved between two sites 7 m apart in
/// travel can save 95 km of transport). `T` is convex and piecewise linear in `δ`
/// (an LP's optimum in its right-hand side), so the secant through `T(δ)` and
/// `T(10δ)` extended to `δ = 0` is a lower bound on `T(0)`, and exact when no
/// breakpoint lies below `10δ`. `δ` is the first of 1e-9, 1e-8, … at which both
/// solves are feasible within HiGHS's tolerances (or do not fail numerically); the
/// slack returned is `10δ`.
fn reference_transport(s: &TestingScenario) -> (f64, f64) {
    let ladder = [1e-9, 1e-8, 1e-7, 1e-6, 1e-5, 1e-4];
    ladder
        .windows(2)
        .find_map(|w| {
            let near = reference_transport_with(s, w[0])?;
            let far = reference_transport_with(s, w[1])?;
            // The secant's value at δ = 0: near + (near − far)·δ_near / (δ_far − δ_near).
            Some((near + (near - far).max(0.0) * w[0] / (w[1] - w[0]), w[1]))
        })
        .expect("the reference is feasible with a slack of at most 1e-4")
}

/// [`reference_transport`] with one slack; `None` when a level is infeasible.
fn reference_transport_with(s: &TestingScenario, slack: f64) -> Option<f64> {
    let r = s.resolve().unwrap();
    let site_kits: Vec<[i64; 2]> = s.sites.iter().map(|x| [x.kits.pcr, x.kits.serology]).collect();
    let store_kits: Vec<[i64; 2]> = s.stores.iter().map(|x| [x.kits.pcr, x.kits.serology]).collect();
    let mut p = build_program(&r, &site_kits, &store_kits);
    let solve = |p: &mut TestingProgram, terms: &[(Var, f64)]| {
        for j in 0..p.lp.variable_count() {
            p.lp.set_cost(Var(j), 0.0).unwrap();
        }
        for &(v, c) in terms {
            p.lp.set_cost(v, c).unwrap();
        }
        // A numerical failure of HiGHS on the fixed rows counts as infeasible within
        // this slack: the next, larger slack is tried.
        let solution = p.lp.solve().ok()?;
        (solution.status == LpStatus::Optimal).then(|| solution.objective.unwrap().max(0.0))
    };
    let mut levels: Vec<Vec<(Var, f64)>> = (0..r.priorities.len())
        .map(|level| {
            (0..r.entries.len())
                .filter(|&i| r.entries[i].level == level)
                .map(|i| (p.unmet[i], 1.0))
                .collect()
        })
        .collect();
    levels.push(travel_terms(&r, &p));
    for terms in levels.iter().filter(|t| !t.is_empty()) {
        let v = solve(&mut p, terms)?;
        p.lp.add_row("fix", f64::NEG_INFINITY, v + slack * v.max(1.0), terms.iter().copied());
    }
    let transport: Vec<(Var, f64)> = r
        .sample_routes
        .iter()
        .zip(&p.y)
        .map(|(route, &v)| (v, route.km))
        .chain(r.kit_routes.iter().zip(&p.z).map(|(route, &v)| (v, route.km)))
        .collect();
    solve(&mut p, &transport)
}

/// Small random scenarios: 1–3 counties, 2–8 sites (some at the same spot), 1–4 labs,
/// 0–2 stores, pooling, scarce kits.
fn arb_scenario() -> impl Strategy<Value = TestingScenario> {
    let munis = prop::collection::vec((0usize..3, 0.0f64..1.0, 0.0f64..1.0), 1..5);
    let sites = prop::collection::vec(
        (0usize..3, 0usize..4, 1i64..60, 0i64..60, 0usize..3, any::<bool>()),
        2..9,
    );
    let labs = prop::collection::vec((0.0f64..1.0, 0.0f64..1.0, 1i64..60, 1i64..4, 0i64..30), 1..5);
    let stores = prop::collection::vec((0usize..3, 0.0f64..1.0, 0i64..80, 0i64..80), 0..3);
    let demand = prop::collection::vec((0usize..6, 0i64..40, 0i64..20), 1..8);
    (munis, sites, labs, stores, demand, 1usize..4).prop_map(|(munis, sites, labs, stores, demand, candidates)| {
        let groups = default_groups();
        let mut s = scenario(Vec::new(), Vec::new(), Vec::new(), Vec::new());
        s.parameters.candidate_sites = candidates;
        for (i, &(county, lat, lon)) in munis.iter().enumerate() {
            s.municipalities.push(TestingMunicipality {
                county: format!("C{county}"),
                lat,
                ..muni(&format!("m{i}"), lon)
            });
        }
        // Sites sit at one of four spots, so travel ties are common.
        let spots = [(0.0, 0.0), (0.5, 0.5), (1.0, 0.0), (0.0, 1.0)];
        for (i, &(county, spot, cap, kits, types, ser_kits)) in sites.iter().enumerate() {
            let (lat, lon) = spots[spot];
            let mut x = SamplingSite {
                county: format!("C{county}"),
                lat,
                ..site(&format!("s{i}"), lon, cap, kits)
            };
            x.test_types = match types {
                0 => vec![TestType::Pcr],
                1 => vec![TestType::Serology],
                _ => vec![TestType::Pcr, TestType::Serology],
            };
            x.kits = Kits {
                pcr: if x.test_types.contains(&TestType::Pcr) { kits } else { 0 },
                serology: if x.test_types.contains(&TestType::Serology) && ser_kits {
                    kits
                } else {
                    0
                },
            };
            s.sites.push(x);
        }
        for (i, &(lat, lon, pcr, pooling, ser)) in labs.iter().enumerate() {
            let mut l = Laboratory {
                lat,
                ..lab(&format!("l{i}"), lon, pcr)
            };
            l.capacity[0].pooling = pooling;
            l.capacity.push(LabCapacity {
                test_type: TestType::Serology,
                analyses_per_day: ser,
                pooling: 1,
            });
            s.labs.push(l);
        }
        for (i, &(county, lon, pcr, ser)) in stores.iter().enumerate() {
            s.stores.push(KitStore {
                id: format!("k{i}"),
                name: "Store".into(),
                county: format!("C{county}"),
                lat: 0.5,
                lon,
                kits: Kits { pcr, serology: ser },
            });
        }
        for (j, &(g, pcr, ser)) in demand.iter().enumerate() {
            let m = format!("m{}", j % s.municipalities.len());
            for (t, n) in [(TestType::Pcr, pcr), (TestType::Serology, ser)] {
                let dup = s
                    .demand
                    .iter()
                    .any(|d| d.municipality == m && d.group == groups[g].id && d.test_type == t);
                if !dup {
                    s.demand.push(Demand {
                        municipality: m.clone(),
                        group: groups[g].id.clone(),
                        test_type: t,
                        tests_per_week: n,
                    });
                }
            }
        }
        s
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    /// The plan's transport km equal the optimum of a separately written
    /// transport-only LP over the plan's tests, and the transport level.
    #[test]
    fn transport_equals_a_transport_only_lp_over_the_plans_tests(s in arb_scenario()) {
        let plan = plan_testing(&s).unwrap();
        let reported = plan.objective.sample_km + plan.objective.kit_km;
        if plan.objective.levels.iter().any(|l| l.level == "transport") {
            let (lexicographic, slack) = reference_transport(&s);
            // The extrapolation takes out the travel the slack bought; what is left
            // is HiGHS's precision on the two solves.
            let tolerance = 1e-3 + slack * lexicographic;
            prop_assert!(reported <= lexicographic + tolerance, "plan {} vs lexicographic reference {} (slack {})", reported, lexicographic, slack);
        }
        let reference = transport_only_lp(&s, &plan);
        prop_assert!(reference.is_some(), "the plan's tests cannot be routed");
        let reference = reference.unwrap();
        prop_assert!((reported - reference).abs() <= 1e-3 + 1e-7 * reference, "plan {} vs LP {}", reported, reference);
        if let Some(l) = plan.objective.levels.iter().find(|l| l.level == "transport") {
            if plan.objective.fractional_rounded_down == 0 {
                prop_assert!((l.value - reported).abs() <= 1e-3 + 1e-6 * reported, "level {} vs plan {}", l.value, reported);
            }
        }
    }
}
