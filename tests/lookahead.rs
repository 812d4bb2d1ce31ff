//! The lookahead round: a one-day horizon with zero lead times gives today's round's
//! objective levels; an independently built LP of the time-expanded model (through
//! `allocnet::lp`, written here straight from the scenario) agrees level by level on
//! random scenarios; both engines agree; bad options are errors naming the field.

use allocnet::flow::Engine;
use allocnet::lookahead::{run_lookahead, LaneLead, LookaheadOptions, LookaheadPlan, Storage};
use allocnet::lp::{LinearProgram, LpStatus, Var};
use allocnet::model::{
    split_by_weights, Delivery, Item, NeedSplit, Parameters, Scenario, Site, SiteKind, SiteStatus, Unit,
};
use allocnet::process::{run_county_round, RoundOptions};
use allocnet::tables::ResultTables;
use allocnet::Error;
use proptest::prelude::*;

const CLASSES: [&str; 5] = [
    "covid-elderly-care",
    "elderly-care",
    "home-care",
    "disability-services",
    "health-care",
];

#[derive(Clone, Debug)]
struct SiteSpec {
    lon: f64,
    stock: i64,
    consumption_tenths: u32,
    reserve_days: u32,
    delivery: Option<(u32, i64)>,
    class: usize,
    hub: bool,
}

fn site_spec() -> impl Strategy<Value = SiteSpec> {
    (
        15.0f64..18.5,
        0i64..120,
        0u32..150,
        0u32..3,
        prop::option::of((0u32..6, 0i64..60)),
        0usize..3,
        prop::bool::weighted(0.2),
    )
        .prop_map(
            |(lon, stock, consumption_tenths, reserve_days, delivery, class, hub)| SiteSpec {
                lon,
                stock,
                consumption_tenths,
                reserve_days,
                delivery,
                class,
                hub,
            },
        )
}

/// A one-county scenario: one item, each site's need in one class.
fn scenario(specs: &[SiteSpec], delivery_day_zero: bool) -> Scenario {
    let sites = specs
        .iter()
        .enumerate()
        .map(|(i, s)| Site {
            id: format!("s{i}"),
            name: format!("s{i}"),
            kind: SiteKind::Municipality,
            county: "19".into(),
            lat: 59.6,
            lon: s.lon,
            hub: s.hub,
        })
        .collect();
    let status = specs
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let mut st = SiteStatus::new(format!("s{i}"), "ffp2", s.stock, f64::from(s.consumption_tenths) / 10.0);
            st.reserve_days = Some(f64::from(s.reserve_days));
            st.split = Some(NeedSplit::Class(CLASSES[s.class].into()));
            if let Some((day, q)) = s.delivery {
                let day = if delivery_day_zero { 0 } else { day };
                st.deliveries = vec![Delivery {
                    day: f64::from(day),
                    quantity: q,
                }];
            }
            st
        })
        .collect();
    Scenario {
        name: "lookahead-test".into(),
        synthetic: true,
        sites,
        items: vec![Item {
            id: "ffp2".into(),
            name: "FFP2".into(),
            unit: Unit::Pieces,
        }],
        status,
        ..Scenario::default()
    }
}

fn every_day(days: u32) -> LookaheadOptions {
    LookaheadOptions {
        days,
        meeting_days: vec!["every".into()],
        same_day_km: 1e9,
        ..LookaheadOptions::default()
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    /// One day, zero lead times, every site's need in one class: the lookahead's levels
    /// are today's round's (acute per class, the planning level = all unmet need in
    /// the horizon, the same unit·km).
    #[test]
    fn one_day_horizon_is_todays_round(
        specs in prop::collection::vec(site_spec(), 1..7),
        day_zero in prop::bool::weighted(0.75),
    ) {
        // Hubs with deliveries included: a delivery serves the site it is addressed to
        // in both (today's round: it lowers that site's needs; the lookahead: it is
        // home stock), so a hub never forwards it. Deliveries on later days lie beyond
        // the one-day window and horizon in both.
        let mut sc = scenario(&specs, day_zero);
        sc.parameters = Parameters { acute_window_hours: 24.0, horizon_days: 1.0, ..Parameters::default() };
        let today = run_county_round(&sc, &RoundOptions::default()).unwrap();
        let ahead = run_lookahead(&sc, &every_day(1), Engine::default()).unwrap();
        let (t, a) = (&today.objective[0], &ahead.objective[0]);
        prop_assert_eq!(&t.acute_unmet, &a.acute_unmet);
        // Today's planning level counts all unmet need within the horizon (here: the
        // acute window); the lookahead has no later days.
        prop_assert!(a.later_unmet.iter().all(|&x| x == 0));
        prop_assert_eq!(t.planning_unmet, a.acute_unmet.iter().sum::<i64>());
        prop_assert_eq!(t.transport_unit_hm, a.transport_unit_hm);
    }

    /// An LP of the same model, written here from the scenario, agrees level by level;
    /// the LP engine behind the same network agrees too.
    #[test]
    fn independent_lp_agrees_level_by_level(
        specs in prop::collection::vec(site_spec(), 1..5),
        days in 1u32..6,
        start in 0usize..7,
        every in any::<bool>(),
        same_day_km in prop::sample::select(vec![0.0, 60.0, 1e9]),
        lead in prop::option::of((0usize..5, 0usize..5, 0u32..3)),
        storage in prop::option::of((0usize..5, 0i64..40)),
    ) {
        let sc = scenario(&specs, false);
        let n = specs.len();
        let mut options = LookaheadOptions {
            days,
            start: allocnet::lookahead::WEEKDAYS[start].into(),
            same_day_km,
            ..LookaheadOptions::default()
        };
        if every {
            options.meeting_days = vec!["every".into()];
        }
        if let Some((a, b, d)) = lead {
            if a % n != b % n {
                options.lead_days.push(LaneLead { from: format!("s{}", a % n), to: format!("s{}", b % n), lead_days: d });
            }
        }
        if let Some((v, c)) = storage {
            options.storage.push(Storage { site: format!("s{}", v % n), capacity: c });
        }
        let plan = run_lookahead(&sc, &options, Engine::default()).unwrap();
        let reference = reference_levels(&sc, &options);
        let o = &plan.objective[0];
        let mut got: Vec<i64> = o.acute_unmet.clone();
        got.extend(&o.later_unmet);
        prop_assert_eq!(&got, &reference.0, "need levels");
        prop_assert_eq!(o.transport_unit_hm, reference.1, "transport");
        let lp = run_lookahead(&sc, &options, Engine::Lp).unwrap();
        prop_assert_eq!(&lp.objective[0].acute_unmet, &o.acute_unmet);
        prop_assert_eq!(&lp.objective[0].later_unmet, &o.later_unmet);
        prop_assert_eq!(lp.objective[0].transport_unit_hm, o.transport_unit_hm);
        check_projection(&plan);
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    /// Whole-unit consumption and every quantity times 10^12: the weights of long runs
    /// of levels and of transport with the tie-breaker no longer fit in i64, so the
    /// solve falls back to shorter runs (down to level by level) and a transport solve
    /// of its own. The problem is the same LP scaled, so every level and the transport
    /// scale exactly.
    #[test]
    fn huge_quantities_fall_back_and_scale_exactly(
        specs in prop::collection::vec(site_spec(), 1..6),
        days in 1u32..8,
    ) {
        const M: i64 = 1_000_000_000_000;
        let specs: Vec<SiteSpec> = specs
            .into_iter()
            .map(|s| SiteSpec { consumption_tenths: s.consumption_tenths / 10 * 10, ..s })
            .collect();
        let small = scenario(&specs, false);
        let mut large = small.clone();
        for st in &mut large.status {
            st.stock *= M;
            st.consumption_per_day = (st.consumption_per_day.round() as i64 * M) as f64;
            for d in &mut st.deliveries {
                d.quantity *= M;
            }
        }
        let options = LookaheadOptions { same_day_km: 60.0, ..every_day(days) };
        let (a, b) = (
            run_lookahead(&small, &options, Engine::default()).unwrap(),
            run_lookahead(&large, &options, Engine::default()).unwrap(),
        );
        let (a, b) = (&a.objective[0], &b.objective[0]);
        let scaled = |v: &[i64]| v.iter().map(|x| x * M).collect::<Vec<_>>();
        prop_assert_eq!(scaled(&a.acute_unmet), b.acute_unmet.clone());
        prop_assert_eq!(scaled(&a.later_unmet), b.later_unmet.clone());
        prop_assert_eq!(a.transport_unit_hm * M, b.transport_unit_hm);
    }
}

/// Stock balances day by day at every site, and shortage = consumption − served.
fn check_projection(plan: &LookaheadPlan) {
    let mut prev: std::collections::HashMap<&str, i64> = Default::default();
    for r in &plan.site_days {
        assert_eq!(r.shortage, r.consumption - r.served, "{r:?}");
        assert!(r.served >= 0 && r.shortage >= 0 && r.stock_end >= 0, "{r:?}");
        if r.day > 0 {
            let before = prev[r.site.as_str()];
            assert_eq!(
                before + r.deliveries + r.received - r.sent - r.served,
                r.stock_end,
                "{r:?}"
            );
        }
        prev.insert(&r.site, r.stock_end);
    }
}

/// The reference: per level the least unit-days of shortage, then the least transport
/// (0.1 km), from an LP written straight from the scenario (no code shared with the
/// round but the scenario's own resolution: giveable stock and distances).
fn reference_levels(sc: &Scenario, o: &LookaheadOptions) -> (Vec<i64>, i64) {
    let resolved = sc.resolve().unwrap();
    let h = o.days as usize;
    let n = sc.sites.len();
    let k = resolved.classes.len();
    let acute = 2usize; // 48 h
    let weekday = |t: usize| {
        (["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
            .iter()
            .position(|w| *w == o.start)
            .unwrap()
            + t)
            % 7
    };
    let ships_on = |t: usize| o.meeting_days.iter().any(|m| m == "every") || [0, 2, 4].contains(&weekday(t));
    let mut lp = LinearProgram::new();
    let ceil = |x: f64| (x - 1e-6).ceil().max(0.0) as i64;
    // variables: served per (site, day, class), home / free stock and own use per (site, day)
    let mut all: Vec<(Var, usize)> = Vec::new(); // (served variable, level)
    let mut level_of_demand = vec![0i64; 2 * k];
    let mut home_rows: Vec<Vec<Vec<(Var, f64)>>> = vec![vec![Vec::new(); h]; n];
    let mut free_rows: Vec<Vec<Vec<(Var, f64)>>> = vec![vec![Vec::new(); h]; n];
    let mut home_rhs = vec![vec![0.0; h]; n];
    let mut free_rhs = vec![vec![0.0; h]; n];
    for v in 0..n {
        let p = resolved.profile(v, 0);
        let st = &sc.status[v];
        let c = st.consumption_per_day;
        home_rhs[v][0] += (p.stock - p.giveable) as f64;
        free_rhs[v][0] += p.giveable as f64;
        let mut home_only = p.stock - p.giveable;
        for d in &st.deliveries {
            let day = d.day.ceil() as usize;
            if day < h {
                // A delivery serves its own site, hub or not (never forwarded).
                home_rhs[v][day] += d.quantity as f64
            }
        }
        let cap = o.storage.iter().find(|s| s.site == sc.sites[v].id).map(|s| s.capacity);
        for t in 0..h {
            let demand = ceil(c * (t + 1) as f64) - ceil(c * t as f64);
            let split = split_by_weights(demand, &p.class_weights);
            for (cl, &q) in split.iter().enumerate() {
                if q > 0 {
                    let level = if t < acute { cl } else { k + cl };
                    let x = lp.add_variable(format!("served_{v}_{t}_{cl}"), 0.0, q as f64, 0.0);
                    all.push((x, level));
                    level_of_demand[level] += q;
                    home_rows[v][t].push((x, -1.0));
                }
            }
            // home-only baseline (no shipments): the storage cap never goes below it
            for d in &st.deliveries {
                if d.day.ceil() as usize == t {
                    home_only += d.quantity;
                }
            }
            home_only -= demand.min(home_only);
            let hcap = cap.map_or(f64::INFINITY, |cc| cc.max(home_only) as f64);
            let hold_h = lp.add_variable(format!("home_{v}_{t}"), 0.0, hcap, 0.0);
            let hold_f = lp.add_variable(format!("free_{v}_{t}"), 0.0, f64::INFINITY, 0.0);
            let own = lp.add_variable(format!("own_{v}_{t}"), 0.0, f64::INFINITY, 0.0);
            home_rows[v][t].push((hold_h, -1.0));
            home_rows[v][t].push((own, 1.0));
            free_rows[v][t].push((hold_f, -1.0));
            free_rows[v][t].push((own, -1.0));
            if t + 1 < h {
                home_rows[v][t + 1].push((hold_h, 1.0));
                free_rows[v][t + 1].push((hold_f, 1.0));
            }
        }
    }
    let mut ships: Vec<(Var, i64)> = Vec::new();
    for lane in &resolved.lanes {
        let lead = o
            .lead_days
            .iter()
            .find(|l| l.from == sc.sites[lane.from].id && l.to == sc.sites[lane.to].id)
            .map_or(usize::from(lane.cost as f64 > (o.same_day_km * 10.0).round()), |l| {
                l.lead_days as usize
            });
        for t in (0..h).filter(|&t| ships_on(t) && t + lead < h) {
            let x = lp.add_variable(
                format!("ship_{}_{}_{t}", lane.from, lane.to),
                0.0,
                lane.capacity.map_or(f64::INFINITY, |c| c as f64),
                0.0,
            );
            free_rows[lane.from][t].push((x, -1.0));
            if sc.sites[lane.to].hub {
                free_rows[lane.to][t + lead].push((x, 1.0));
            } else {
                home_rows[lane.to][t + lead].push((x, 1.0));
            }
            ships.push((x, lane.cost));
        }
    }
    for v in 0..n {
        for t in 0..h {
            let (a, b) = (home_rhs[v][t], free_rhs[v][t]);
            lp.add_row(format!("home_{v}_{t}"), -a, -a, home_rows[v][t].clone());
            lp.add_row(format!("free_{v}_{t}"), -b, -b, free_rows[v][t].clone());
        }
    }
    let mut unmet = vec![0i64; 2 * k];
    for l in 0..2 * k {
        let terms: Vec<(Var, f64)> = all.iter().filter(|x| x.1 == l).map(|x| (x.0, 1.0)).collect();
        if terms.is_empty() {
            continue;
        }
        for &(x, lv) in &all {
            lp.set_cost(x, if lv == l { -1.0 } else { 0.0 }).unwrap();
        }
        let sol = lp.solve().unwrap();
        assert_eq!(sol.status, LpStatus::Optimal);
        let met = (-sol.objective.unwrap()).round();
        unmet[l] = level_of_demand[l] - met as i64;
        // Integral data: the level optimum is a whole number; keep it up to a millionth.
        lp.add_row(format!("level_{l}"), met - 1e-6, f64::INFINITY, terms);
    }
    for &(x, _) in &all {
        lp.set_cost(x, 0.0).unwrap();
    }
    for &(x, cost) in &ships {
        lp.set_cost(x, cost as f64).unwrap();
    }
    let sol = lp.solve().unwrap();
    assert_eq!(sol.status, LpStatus::Optimal);
    (unmet, sol.objective.unwrap().round() as i64)
}

#[test]
fn a_shortage_ahead_is_served_before_it_happens() {
    // "short" runs out on day 1; "donor" is far (1 day on the road); meetings Mon/Wed/Fri.
    let specs = [
        SiteSpec {
            lon: 16.0,
            stock: 10,
            consumption_tenths: 100,
            reserve_days: 0,
            delivery: None,
            class: 0,
            hub: false,
        },
        SiteSpec {
            lon: 18.4,
            stock: 500,
            consumption_tenths: 100,
            reserve_days: 0,
            delivery: None,
            class: 0,
            hub: false,
        },
    ];
    let sc = scenario(&specs, false);
    let plan = run_lookahead(&sc, &LookaheadOptions::default(), Engine::default()).unwrap();
    let o = &plan.objective[0];
    assert_eq!(o.acute_unmet.iter().sum::<i64>(), 0, "{plan:#?}");
    assert_eq!(o.later_unmet.iter().sum::<i64>(), 0, "{plan:#?}");
    assert!(plan
        .shipments
        .iter()
        .all(|s| s.arrive_day == s.depart_day + 1 && [0, 2, 4].contains(&s.depart_day)));
    // Days 1 and 2 can only be served by a shipment leaving today (the next meeting's
    // arrives on day 3); exactly the 60 units of days 1..6 travel, no more.
    assert!(plan.shipments.iter().any(|s| s.today));
    assert_eq!(plan.shipments.iter().map(|s| s.quantity).sum::<i64>(), 60);
    let without: i64 = plan.site_days.iter().map(|r| r.shortage_without).sum();
    assert!(without > 0);
    assert_eq!(plan.duals[0].level.dim(), (2, 7));
    for name in LookaheadPlan::table_names() {
        let t = plan.table(name).unwrap();
        assert!(t.to_csv().unwrap().lines().count() >= 1);
    }
}

#[test]
fn bad_options_name_the_field() {
    let specs = [SiteSpec {
        lon: 16.0,
        stock: 1,
        consumption_tenths: 10,
        reserve_days: 0,
        delivery: None,
        class: 0,
        hub: false,
    }];
    let sc = scenario(&specs, false);
    let bad = LookaheadOptions {
        days: 0,
        start: "åäö".into(),
        meeting_days: vec!["every".into(), "mon".into()],
        same_day_km: -1.0,
        lead_days: vec![LaneLead {
            from: "s0".into(),
            to: "nowhere".into(),
            lead_days: 1,
        }],
        storage: vec![Storage {
            site: "s0".into(),
            capacity: -3,
        }],
    };
    let Err(Error::Invalid(problems)) = run_lookahead(&sc, &bad, Engine::default()) else {
        panic!("accepted")
    };
    let text: Vec<String> = problems.iter().map(ToString::to_string).collect();
    let text = text.join("\n");
    for path in [
        "lookahead.days: must be between 1 and 366, got 0",
        "lookahead.start",
        "lookahead.meeting_days[0]",
        "lookahead.same_day_km",
        "lookahead.lead_days[0].to: unknown site 'nowhere'",
        "lookahead.storage[0].capacity: must be >= 0, got -3",
    ] {
        assert!(text.contains(path), "{path} missing in\n{text}");
    }
}
