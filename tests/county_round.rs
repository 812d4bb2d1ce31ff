//! The county round on small hand-checkable scenarios with known optimal plans, the
//! embedded Västmanland scenario, and input validation.

use allocnet::flow::Engine;
use allocnet::model::synthetic::vastmanland_default;
use allocnet::model::{
    ClassNeed, Delivery, Item, Lane, NeedSplit, Parameters, PriorityClass, Scenario, Site, SiteKind, SiteStatus, Unit,
};
use allocnet::process::output::{request_csv, request_json};
use allocnet::process::{report, run_county_round, Method, Plan, Reason, RoundOptions, Strategy, Window};
use allocnet::{Error, InvalidValue};

mod common;
use common::site;

// ---------------------------------------------------------------- builders

fn mask() -> Item {
    Item {
        id: "mask".into(),
        name: "Mask".into(),
        unit: Unit::Pieces,
    }
}

fn lane(from: &str, to: &str, km: f64) -> Lane {
    Lane {
        from: from.into(),
        to: to.into(),
        km: Some(km),
        capacity: None,
    }
}

/// A status with explicit needs per class (`(class, acute)`; planning = acute) and a
/// stock that is all giveable (no consumption).
fn needs(site: &str, stock: i64, classes: &[(&str, i64)]) -> SiteStatus {
    let mut st = SiteStatus::new(site, "mask", stock, 0.0);
    if !classes.is_empty() {
        st.split = Some(NeedSplit::Quantities(
            classes
                .iter()
                .map(|(c, a)| ClassNeed {
                    class: (*c).into(),
                    share: None,
                    acute: Some(*a),
                    planning: Some(*a),
                })
                .collect(),
        ));
    }
    st
}

/// Horizon = acute window: planning need equals acute need unless given explicitly.
fn two_day_params() -> Parameters {
    Parameters {
        horizon_days: 2.0,
        ..Parameters::default()
    }
}

fn scenario(sites: Vec<Site>, status: Vec<SiteStatus>, lanes: Option<Vec<Lane>>) -> Scenario {
    Scenario {
        sites,
        items: vec![mask()],
        status,
        lanes,
        parameters: two_day_params(),
        ..Scenario::default()
    }
}

fn run(s: &Scenario) -> Plan {
    run_county_round(s, &RoundOptions::default()).unwrap()
}

/// The round with the given engine and strategy (the result, so overflow can be tested).
fn run_with(s: &Scenario, engine: Engine, strategy: Strategy) -> Result<Plan, Error> {
    run_county_round(s, &RoundOptions { engine, strategy })
}

/// A short (10/day, no stock), B and C with 100 each (10/day), on one parallel of
/// latitude: A at 16.0°E, B at 16.2°E, C at 16.6°E.
fn one_short_two_donors(lanes: Option<Vec<Lane>>) -> Scenario {
    scenario(
        vec![
            site("A").county("19").at(59.6, 16.0).build(),
            site("B").county("19").at(59.6, 16.2).build(),
            site("C").county("19").at(59.6, 16.6).build(),
        ],
        vec![
            SiteStatus::new("A", "mask", 0, 10.0),
            SiteStatus::new("B", "mask", 100, 10.0),
            SiteStatus::new("C", "mask", 100, 10.0),
        ],
        lanes,
    )
}

/// Donor D with `stock` units, a class-1 need of `x_need` at X (lane 50 km) and a
/// class-2 need of `y_need` at Y (lane 5 km): priority against distance.
fn priority_vs_distance(stock: i64, x_need: i64, y_need: i64) -> Scenario {
    scenario(
        vec![
            site("D").county("19").at(59.6, 16.0).build(),
            site("X").county("19").at(59.6, 16.5).build(),
            site("Y").county("19").at(59.6, 16.1).build(),
        ],
        vec![
            needs("D", stock, &[]),
            needs("X", 0, &[("covid-elderly-care", x_need)]),
            needs("Y", 0, &[("elderly-care", y_need)]),
        ],
        Some(vec![lane("D", "X", 50.0), lane("D", "Y", 5.0)]),
    )
}

fn shipments(plan: &Plan) -> Vec<(String, String, i64, f64)> {
    plan.shipments
        .iter()
        .map(|s| (s.from.clone(), s.to.clone(), s.quantity, s.km))
        .collect()
}

fn stock_after(plan: &Plan, site: &str) -> i64 {
    plan.stock_after
        .iter()
        .find(|s| s.site == site)
        .map(|s| s.after)
        .unwrap()
}

fn acute_rows(plan: &Plan) -> Vec<(String, String, i64, Reason)> {
    plan.unmet
        .iter()
        .filter(|u| u.window == Window::Acute)
        .map(|u| (u.site.clone(), u.priority.clone(), u.unmet, u.reason))
        .collect()
}

fn s(x: &str) -> String {
    x.to_string()
}

// ---------------------------------------------------------------- known plans

/// Three municipalities: A is short 20 (10/day for 48 h, no stock), B (10 km away) and
/// C (30 km away) each may give 80. The optimum ships 20 from B.
#[test]
fn nearest_donor_covers_the_shortfall() {
    let sc = one_short_two_donors(Some(vec![
        lane("B", "A", 10.0),
        lane("C", "A", 30.0),
        lane("C", "B", 20.0),
    ]));
    for strategy in [Strategy::Weighted, Strategy::LevelByLevel] {
        let plan = run_with(&sc, Engine::Simplex, strategy).unwrap();
        assert_eq!(shipments(&plan), vec![(s("B"), s("A"), 20, 10.0)], "{strategy:?}");
        assert!(plan.unmet.is_empty());
        assert_eq!(
            (
                stock_after(&plan, "A"),
                stock_after(&plan, "B"),
                stock_after(&plan, "C")
            ),
            (20, 80, 100)
        );
        assert_eq!(plan.objective[0].acute_unmet, vec![0; 5]);
        assert_eq!(plan.objective[0].planning_unmet, 0);
        assert_eq!(plan.objective[0].transport_unit_km, 200.0);
        assert_eq!(plan.objective[0].transport_unit_hm, 2000);
        let method = if strategy == Strategy::Weighted {
            Method::Weighted
        } else {
            Method::LevelByLevel
        };
        assert_eq!(plan.objective[0].method, method);
        assert!(plan.requests.is_empty());
    }
}

/// Default lanes (great-circle × 1.3): the nearer donor still wins, and the km are the
/// documented haversine distance × detour factor, rounded to 0.1 km.
#[test]
fn default_lanes_use_great_circle_times_detour() {
    let sc = one_short_two_donors(None);
    let plan = run(&sc);
    let km = (allocnet::model::haversine_km(59.6, 16.2, 59.6, 16.0) * 1.3 * 10.0).round() / 10.0;
    assert_eq!(shipments(&plan), vec![(s("B"), s("A"), 20, km)]);
    assert!((km - 14.6).abs() < 0.2, "{km}");
}

/// Priority beats distance: the donor's 10 units go first to the class-1 need 50 km
/// away (8), the rest (2) to the class-2 need 5 km away, which stays 6 short.
#[test]
fn higher_priority_wins_over_distance() {
    let sc = priority_vs_distance(10, 8, 8);
    for strategy in [Strategy::Weighted, Strategy::LevelByLevel] {
        let plan = run_with(&sc, Engine::Simplex, strategy).unwrap();
        assert_eq!(
            shipments(&plan),
            vec![(s("D"), s("X"), 8, 50.0), (s("D"), s("Y"), 2, 5.0)]
        );
        assert_eq!(
            acute_rows(&plan),
            vec![(s("Y"), s("elderly-care"), 6, Reason::UsedForHigherPriority)]
        );
        assert_eq!(plan.objective[0].acute_unmet, vec![0, 6, 0, 0, 0]);
        // The county request: 6 for Y, class elderly-care.
        let r = &plan.requests[0];
        assert_eq!((r.county.as_str(), r.items[0].total), ("19", 6));
        assert_eq!(r.items[0].sites[0].by_priority, vec![(s("elderly-care"), 6)]);
    }
}

/// Within one site, the higher class is served first.
#[test]
fn classes_within_a_site_are_served_in_order() {
    let sc = scenario(
        vec![
            site("D").county("19").at(59.6, 16.0).build(),
            site("Z").county("19").at(59.6, 16.1).build(),
        ],
        vec![
            needs("D", 5, &[]),
            needs("Z", 0, &[("covid-elderly-care", 4), ("home-care", 4)]),
        ],
        Some(vec![lane("D", "Z", 5.0)]),
    );
    let plan = run(&sc);
    assert_eq!(
        acute_rows(&plan),
        vec![(s("Z"), s("home-care"), 3, Reason::UsedForHigherPriority)]
    );
}

/// User-defined classes: the order given is the priority; swapping it swaps the winner.
#[test]
fn user_defined_priority_order_decides() {
    let classes = |a: &str, b: &str| {
        Some(vec![
            PriorityClass {
                id: a.into(),
                name: a.into(),
            },
            PriorityClass {
                id: b.into(),
                name: b.into(),
            },
        ])
    };
    let mut sc = scenario(
        vec![
            site("D").county("19").at(59.6, 16.0).build(),
            site("X").county("19").at(59.6, 16.5).build(),
            site("Y").county("19").at(59.6, 16.1).build(),
        ],
        vec![
            needs("D", 5, &[]),
            needs("X", 0, &[("icu", 5)]),
            needs("Y", 0, &[("testing", 5)]),
        ],
        Some(vec![lane("D", "X", 50.0), lane("D", "Y", 5.0)]),
    );
    sc.priority_classes = classes("icu", "testing");
    assert_eq!(shipments(&run(&sc)), vec![(s("D"), s("X"), 5, 50.0)]);
    sc.priority_classes = classes("testing", "icu");
    assert_eq!(shipments(&run(&sc)), vec![(s("D"), s("Y"), 5, 5.0)]);
}

/// A reserve that binds: the donor (100 in stock, 10/day, 5 reserve days) keeps
/// 20 (48 h) + 50 (reserve) = 70 and gives 30; the short site (25/day) stays 20 short,
/// because of the reserve.
#[test]
fn reserve_binds() {
    let mut donor = SiteStatus::new("D", "mask", 100, 10.0);
    donor.reserve_days = Some(5.0);
    let sc = scenario(
        vec![
            site("D").county("19").at(59.6, 16.0).build(),
            site("S").county("19").at(59.6, 16.1).build(),
        ],
        vec![donor, SiteStatus::new("S", "mask", 0, 25.0)],
        None,
    );
    let plan = run(&sc);
    assert_eq!(plan.shipments.len(), 1);
    assert_eq!(plan.shipments[0].quantity, 30);
    assert_eq!(stock_after(&plan, "D"), 70);
    assert_eq!(
        acute_rows(&plan),
        vec![(s("S"), s("health-care"), 20, Reason::HeldByReserves)]
    );
    assert_eq!(plan.requests[0].items[0].total, 20);
}

/// No lane from the donor to the short site: nothing moves, the reason is the lane.
#[test]
fn no_lane_is_the_reason() {
    let sc = scenario(
        vec![
            site("D").county("19").at(59.6, 16.0).build(),
            site("S").county("19").at(59.6, 16.1).build(),
        ],
        vec![needs("D", 50, &[]), needs("S", 0, &[("home-care", 10)])],
        Some(vec![lane("S", "D", 5.0)]),
    );
    let plan = run(&sc);
    assert!(plan.shipments.is_empty());
    assert_eq!(acute_rows(&plan), vec![(s("S"), s("home-care"), 10, Reason::NoLane)]);
}

/// A lane with too little capacity: 5 move, 15 stay unmet for lack of lane capacity.
#[test]
fn lane_capacity_limits_and_is_the_reason() {
    let mut l = lane("D", "S", 5.0);
    l.capacity = Some(5);
    let sc = scenario(
        vec![
            site("D").county("19").at(59.6, 16.0).build(),
            site("S").county("19").at(59.6, 16.1).build(),
        ],
        vec![needs("D", 50, &[]), needs("S", 0, &[("home-care", 20)])],
        Some(vec![l]),
    );
    let plan = run(&sc);
    assert_eq!(shipments(&plan), vec![(s("D"), s("S"), 5, 5.0)]);
    assert_eq!(acute_rows(&plan), vec![(s("S"), s("home-care"), 15, Reason::NoLane)]);
}

/// Nobody has anything to give: no surplus anywhere in the county. A donor in another
/// county does not count (default lanes stay within a county).
#[test]
fn no_surplus_in_the_county() {
    let sc = scenario(
        vec![
            site("S").county("19").at(59.6, 16.1).build(),
            site("T").county("19").at(59.7, 16.2).build(),
            site("O").county("01").at(59.3, 18.0).build(),
        ],
        vec![
            needs("S", 0, &[("home-care", 7)]),
            needs("T", 0, &[("covid-elderly-care", 3)]),
            needs("O", 1000, &[]),
        ],
        None,
    );
    let plan = run(&sc);
    assert!(plan.shipments.is_empty());
    let rows = acute_rows(&plan);
    assert_eq!(rows.len(), 2);
    assert!(rows.iter().all(|r| r.3 == Reason::NoSurplus), "{rows:?}");
    assert_eq!(plan.requests.len(), 1);
    let item = &plan.requests[0].items[0];
    assert_eq!((item.total, item.sites.len()), (10, 2));
    let csv = request_csv(&plan.requests).unwrap();
    assert_eq!(
        csv,
        "county,item,item_name,unit,site,site_name,kind,priority,quantity\n\
         19,mask,Mask,pieces,S,Site S,municipality,home-care,7\n\
         19,mask,Mask,pieces,T,Site T,municipality,covid-elderly-care,3\n"
    );
    let json: serde_json::Value = serde_json::from_str(&request_json(&plan.requests).unwrap()).unwrap();
    assert_eq!(json[0]["items"][0]["total"], 10);
    assert_eq!(
        json[0]["items"][0]["sites"][1]["by_priority"][0][0],
        "covid-elderly-care"
    );
}

/// A donor that is itself short within the horizon still gives for an acute need
/// elsewhere (acute outranks planning), and its own planning shortfall is reported as
/// caused by that.
#[test]
fn acute_elsewhere_outranks_own_planning_need() {
    // D: 40 in stock, 10/day → keeps 20 for 48 h, needs 70 within 7 days.
    // S: 0 in stock, 10/day → acute 20.
    let sc = Scenario {
        parameters: Parameters::default(),
        ..scenario(
            vec![
                site("D").county("19").at(59.6, 16.0).build(),
                site("S").county("19").at(59.6, 16.1).build(),
            ],
            vec![
                SiteStatus::new("D", "mask", 40, 10.0),
                SiteStatus::new("S", "mask", 0, 10.0),
            ],
            None,
        )
    };
    let plan = run(&sc);
    assert_eq!(plan.shipments[0].quantity, 20);
    assert_eq!(plan.objective[0].acute_unmet, vec![0; 5]);
    let d_planning: Vec<_> = plan
        .unmet
        .iter()
        .filter(|u| u.site == "D" && u.window == Window::Planning)
        .collect();
    assert_eq!(d_planning.len(), 1);
    // Issue 12 item 3: the planning row shows D's own need only (it read 30 / 50); the
    // 20 units D gave from its own use within the horizon are a row of their own.
    assert_eq!((d_planning[0].need, d_planning[0].unmet), (30, 30));
    assert_eq!(d_planning[0].reason, Reason::UsedForHigherPriority);
    let d_given: Vec<_> = plan
        .unmet
        .iter()
        .filter(|u| u.site == "D" && u.window == Window::GivenBeyondHorizon)
        .map(|u| (u.need, u.unmet, u.reason))
        .collect();
    assert_eq!(d_given, vec![(20, 20, Reason::UsedForHigherPriority)]);
    // Planning: D short 50 (30 + 20 given), S short 50 (70 − 20).
    assert_eq!(plan.objective[0].planning_unmet, 100);
}

/// A delivery on day 3 does not cover the first 48 hours; one arriving now does.
#[test]
fn deliveries_count_only_from_their_day() {
    let mut late = SiteStatus::new("S", "mask", 0, 10.0);
    late.deliveries.push(Delivery {
        day: 3.0,
        quantity: 1000,
    });
    let mut now = SiteStatus::new("T", "mask", 0, 10.0);
    now.deliveries.push(Delivery {
        day: 0.0,
        quantity: 1000,
    });
    let sc = scenario(
        vec![
            site("S").county("19").at(59.6, 16.1).build(),
            site("T").county("19").at(59.6, 16.2).build(),
        ],
        vec![late, now],
        None,
    );
    let resolved = sc.resolve().unwrap();
    assert_eq!(resolved.profile(0, 0).acute_total(), 20);
    assert_eq!(resolved.profile(1, 0).acute_total(), 0);
}

/// Shares split the need by largest remainder; the split is what the plan reports.
#[test]
fn shares_split_the_need() {
    let mut st = SiteStatus::new("S", "mask", 0, 5.0); // acute 10
    st.split = Some(NeedSplit::Shares(vec![
        ClassNeed {
            class: "covid-elderly-care".into(),
            share: Some(0.35),
            acute: None,
            planning: None,
        },
        ClassNeed {
            class: "home-care".into(),
            share: Some(0.65),
            acute: None,
            planning: None,
        },
    ]));
    let plan = run(&scenario(
        vec![site("S").county("19").at(59.6, 16.1).build()],
        vec![st],
        None,
    ));
    let rows = acute_rows(&plan);
    assert_eq!(
        rows,
        vec![
            (s("S"), s("covid-elderly-care"), 4, Reason::NoSurplus),
            (s("S"), s("home-care"), 6, Reason::NoSurplus)
        ]
    );
}

/// Dual prices (weighted path): one more unit at the short site Y covers class-2 need
/// there (0 km); at the donor it would also reach Y, 5 km away; X is fully served.
#[test]
fn dual_prices_say_where_a_unit_helps() {
    let sc = priority_vs_distance(10, 8, 8);
    let plan = run_with(&sc, Engine::Simplex, Strategy::Weighted).unwrap();
    let dual = |site: &str| plan.dual_prices.iter().find(|d| d.site == site).unwrap().clone();
    assert_eq!((dual("Y").level.as_str(), dual("Y").km), ("acute:elderly-care", 0.0));
    assert_eq!((dual("D").level.as_str(), dual("D").km), ("acute:elderly-care", -5.0));
    // At X (fully served, no lane out) one more unit would replace one of D's units
    // there, which then goes to Y instead: class-2 need, and 50 − 5 = 45 km saved.
    assert_eq!((dual("X").level.as_str(), dual("X").km), ("acute:elderly-care", 45.0));
    // Level by level: the same levels are found (the km part then comes from the
    // transport solve with every level fixed).
    let levelled = run_with(&sc, Engine::Simplex, Strategy::LevelByLevel).unwrap();
    let level = |site: &str| {
        levelled
            .dual_prices
            .iter()
            .find(|d| d.site == site)
            .unwrap()
            .level
            .clone()
    };
    assert_eq!(
        (level("Y"), level("D")),
        (s("acute:elderly-care"), s("acute:elderly-care"))
    );
}

/// Quantities so large that the weights overflow i64: Auto falls back to level by level,
/// Weighted refuses with an overflow error, and the plan is still right.
#[test]
fn huge_quantities_fall_back_to_level_by_level() {
    let big = 1_000_000_000_000_000i64;
    let sc = priority_vs_distance(big, big / 2, big);
    let plan = run(&sc);
    assert_eq!(plan.objective[0].method, Method::LevelByLevel);
    assert_eq!(
        shipments(&plan),
        vec![(s("D"), s("X"), big / 2, 50.0), (s("D"), s("Y"), big / 2, 5.0)]
    );
    assert_eq!(plan.objective[0].acute_unmet, vec![0, big / 2, 0, 0, 0]);
    let weighted = run_with(&sc, Engine::Simplex, Strategy::Weighted);
    assert!(matches!(weighted, Err(Error::Overflow(_))), "{weighted:?}");
}

/// The LP engine gives a plan with the same objective at every level.
#[test]
fn lp_engine_agrees_on_every_level() {
    let sc = priority_vs_distance(10, 8, 8);
    let simplex = run(&sc);
    for strategy in [Strategy::Weighted, Strategy::LevelByLevel] {
        let lp = run_with(&sc, Engine::Lp, strategy).unwrap();
        assert_eq!(lp.objective[0].acute_unmet, simplex.objective[0].acute_unmet);
        assert_eq!(lp.objective[0].planning_unmet, simplex.objective[0].planning_unmet);
        assert_eq!(
            lp.objective[0].transport_unit_hm,
            simplex.objective[0].transport_unit_hm
        );
    }
}

// ---------------------------------------------------------------- Västmanland

#[test]
fn vastmanland_meeting() {
    let sc = vastmanland_default().unwrap();
    let plan = run(&sc);
    assert!(plan.synthetic);
    assert_eq!(plan.objective.len(), 10);
    // Conservation per item: total stock before = total after.
    for item in &sc.items {
        let rows: Vec<_> = plan.stock_after.iter().filter(|r| r.item == item.id).collect();
        let before: i64 = rows.iter().map(|r| r.before).sum();
        let after: i64 = rows.iter().map(|r| r.after).sum();
        assert_eq!(before, after, "{}", item.id);
    }
    // Every unmet acute row is in the request, and vice versa.
    let unmet: i64 = plan
        .unmet
        .iter()
        .filter(|u| u.window == Window::Acute)
        .map(|u| u.unmet)
        .sum();
    let requested: i64 = plan.requests.iter().flat_map(|r| &r.items).map(|i| i.total).sum();
    assert_eq!(unmet, requested);
    assert!(
        requested > 0,
        "the synthetic scenario is meant to leave some acute need for the national request"
    );
    let text = report::county_round_text(&sc, &plan);
    for needle in [
        "SYNTHETIC",
        "Shipments decided",
        "Unmet acute need",
        "Combined county request",
        "Objective by level",
        "Västerås",
    ] {
        assert!(text.contains(needle), "{needle} missing:\n{text}");
    }
    // The Plan survives a JSON round trip.
    let json = serde_json::to_string(&plan).unwrap();
    let back: Plan = serde_json::from_str(&json).unwrap();
    assert_eq!(back, plan);
}

/// The 290-municipality round (the bench's scenario) runs, conserves stock and leaves
/// no site with acute need worse off.
#[test]
fn sweden_round_runs() {
    let sc = allocnet::model::synthetic::sweden(2020).unwrap();
    let plan = run(&sc);
    assert_eq!(plan.objective.len(), 10);
    let before: i64 = plan.stock_after.iter().map(|r| r.before).sum();
    let after: i64 = plan.stock_after.iter().map(|r| r.after).sum();
    assert_eq!(before, after);
    assert_eq!(
        plan.requests.len(),
        21,
        "every county has some remaining acute need in this synthetic scenario"
    );
    // Default lanes stay within a county.
    let county: std::collections::HashMap<&str, &str> =
        sc.sites.iter().map(|s| (s.id.as_str(), s.county.as_str())).collect();
    assert!(plan
        .shipments
        .iter()
        .all(|s| county[s.from.as_str()] == county[s.to.as_str()]));
}

/// Västmanland with the LP engine: every level of every item agrees with the simplex
/// (the LP engine gets smaller weights, so it solves more chunks).
#[test]
fn vastmanland_lp_agrees_with_simplex() {
    let sc = vastmanland_default().unwrap();
    let simplex = run(&sc);
    let lp = run_with(&sc, Engine::Lp, RoundOptions::default().strategy).unwrap();
    for (a, b) in simplex.objective.iter().zip(&lp.objective) {
        assert_eq!(
            (&a.acute_unmet, a.planning_unmet, a.transport_unit_hm),
            (&b.acute_unmet, b.planning_unmet, b.transport_unit_hm),
            "{}",
            a.item
        );
    }
}

// ---------------------------------------------------------------- validation

fn invalid(result: Result<impl std::fmt::Debug, Error>) -> Vec<InvalidValue> {
    match result {
        Err(Error::Invalid(list)) => list,
        other => panic!("expected Error::Invalid, got {other:?}"),
    }
}

fn has(list: &[InvalidValue], text: &str) -> bool {
    list.iter().any(|v| v.to_string() == text)
}

#[test]
fn negative_stock_is_reported_with_its_path() {
    let sc = scenario(
        vec![site("A").county("19").at(59.6, 16.0).build()],
        vec![
            SiteStatus::new("A", "mask", 1, 1.0),
            SiteStatus {
                stock: -5,
                ..SiteStatus::new("A", "mask", 0, 1.0)
            },
        ],
        None,
    );
    let list = invalid(sc.resolve());
    assert!(has(&list, "status[1].stock: must be >= 0, got -5"), "{list:?}");
    assert!(
        has(
            &list,
            "status[1].site: duplicate status for site 'A' and item 'mask' (first at status[0].site)"
        ),
        "{list:?}"
    );
}

#[test]
fn all_problems_are_reported_at_once() {
    let mut sc = scenario(
        vec![
            site("A").county("19").at(59.6, 16.0).build(),
            site("A").county("19").at(f64::NAN, 200.0).build(),
        ],
        vec![
            SiteStatus::new("A", "nothing", 1, -1.0),
            SiteStatus {
                deliveries: vec![Delivery {
                    day: -1.0,
                    quantity: -2,
                }],
                ..SiteStatus::new("zz", "mask", 0, 1.0)
            },
        ],
        Some(vec![lane("A", "x", 1.0), lane("A", "A", -3.0)]),
    );
    sc.parameters.acute_window_hours = 0.0;
    sc.parameters.detour_factor = 0.5;
    sc.status[0].split = Some(NeedSplit::Shares(vec![
        ClassNeed {
            class: "home-care".into(),
            share: Some(0.5),
            acute: None,
            planning: None,
        },
        ClassNeed {
            class: "nope".into(),
            share: Some(0.2),
            acute: None,
            planning: None,
        },
    ]));
    let list = invalid(sc.resolve());
    for expected in [
        "parameters.acute_window_hours: must be > 0, got 0",
        "parameters.detour_factor: must be >= 1, got 0.5",
        "sites[1].id: duplicate id 'A' (first at sites[0].id)",
        "sites[1].lat: must be a finite number, got NaN",
        "sites[1].lon: must be between -180 and 180, got 200",
        "status[0].item: unknown item 'nothing'",
        "status[0].consumption_per_day: must be >= 0, got -1",
        "status[0].split[1].class: unknown priority class 'nope'",
        "status[0].split: shares must sum to 1, got 0.7",
        "status[1].site: unknown site 'zz'",
        "status[1].deliveries[0].day: must be >= 0, got -1",
        "status[1].deliveries[0].quantity: must be >= 0, got -2",
        "lanes[0].to: unknown site 'x'",
        "lanes[1].to: a lane must join two different sites, got 'A' twice",
        "lanes[1].km: must be >= 0, got -3",
    ] {
        assert!(
            has(&list, expected),
            "missing `{expected}` in:\n{}",
            Error::Invalid(list.clone())
        );
    }
    // The error's text lists every problem, one per line.
    let text = Error::Invalid(list.clone()).to_string();
    assert!(
        text.starts_with(&format!("invalid input ({} problems)", list.len())),
        "{text}"
    );
}

#[test]
fn planning_need_below_acute_need_is_an_error() {
    let mut st = SiteStatus::new("A", "mask", 0, 1.0);
    st.acute_need = Some(10);
    st.planning_need = Some(4);
    let list = invalid(scenario(vec![site("A").county("19").at(59.6, 16.0).build()], vec![st], None).resolve());
    assert!(
        has(&list, "status[0].planning_need: must be >= the acute need (10), got 4"),
        "{list:?}"
    );
}

#[test]
fn horizon_shorter_than_acute_window_is_an_error() {
    let mut sc = scenario(vec![site("A").county("19").at(59.6, 16.0).build()], vec![], None);
    sc.parameters.horizon_days = 1.0;
    let list = invalid(sc.resolve());
    assert!(
        has(
            &list,
            "parameters.horizon_days: must be at least the acute window (48 h = 2 days), got 1"
        ),
        "{list:?}"
    );
}

#[test]
fn json_errors_name_the_line() {
    let err = Scenario::from_json_str(
        "{\n \"sites\": [],\n \"items\": [],\n \"status\": [], \"bogus\": 1 }",
        "x.json",
    )
    .unwrap_err();
    match err {
        Error::Parse {
            source_name,
            line,
            message,
        } => {
            assert_eq!((source_name.as_str(), line), ("x.json", 4));
            assert!(message.contains("bogus"), "{message}");
        }
        other => panic!("{other:?}"),
    }
    // Round run on invalid input: an Err, never a panic.
    let sc = scenario(vec![site("").county("19").at(99.0, 16.0).build()], vec![], None);
    assert!(matches!(
        run_county_round(&sc, &RoundOptions::default()),
        Err(Error::Invalid(_))
    ));
}

#[test]
fn reason_counts_sum_the_unmet_rows_per_item_window_and_reason() {
    let scenario = allocnet::model::synthetic::sweden(2020).unwrap();
    let plan = run(&scenario);
    // The reference: the same sums straight from the unmet rows, in key order.
    use std::collections::{BTreeMap, BTreeSet};
    type Sums = (Reason, i64, BTreeSet<String>, i64); // reason, needs, sites, unmet
    let mut expected: BTreeMap<(String, Window, u8), Sums> = BTreeMap::new();
    for u in &plan.unmet {
        let e = expected
            .entry((u.item.clone(), u.window, u.reason as u8))
            .or_insert((u.reason, 0, BTreeSet::new(), 0));
        e.1 += 1;
        e.2.insert(u.site.clone());
        e.3 += u.unmet;
    }
    let counts = plan.reason_counts().unwrap();
    assert!(counts.len() > 10, "Sweden has shortfalls of several kinds");
    let got: Vec<_> = counts
        .iter()
        .map(|c| (c.item.clone(), c.window, c.reason, c.needs, c.sites, c.unmet))
        .collect();
    let want: Vec<_> = expected
        .into_iter()
        .map(|((item, window, _), (reason, needs, sites, unmet))| {
            (item, window, reason, needs, sites.len() as i64, unmet)
        })
        .collect();
    assert_eq!(got, want);
}

// ---------------------------------------------------------------- issue 12 items 3-5

fn hub(id: &str, kind: SiteKind, hub: bool) -> Site {
    Site {
        kind,
        hub,
        ..site(id).county("19").at(59.6, 16.1).build()
    }
}

fn explicit_acute(site: &str, stock: i64, acute: i64) -> SiteStatus {
    let mut st = SiteStatus::new(site, "mask", stock, 0.0);
    st.acute_need = Some(acute);
    st.planning_need = Some(acute);
    st
}

/// Every unmet row, whatever its kind, has unmet <= need.
fn assert_unmet_within_need(plan: &Plan) {
    for u in &plan.unmet {
        assert!(u.unmet <= u.need, "unmet above need: {u:?}");
    }
}

/// A donor with no planning need of its own gives 30 units it would itself use within
/// the horizon, for an acute need elsewhere: no "need 0, unmet 30" planning row, but a
/// `given-beyond-horizon` row (own use 50, given 30).
#[test]
fn a_donor_giving_its_own_use_gets_a_row_of_its_own() {
    // D: 100 in stock, 10/day, 7-day horizon: keeps 20, may give 80, uses 70 − 20 = 50
    // of that itself within the horizon. S needs 60 now.
    let sc = Scenario {
        parameters: Parameters::default(),
        ..scenario(
            vec![
                site("D").county("19").at(59.6, 16.0).build(),
                site("S").county("19").at(59.6, 16.1).build(),
            ],
            vec![SiteStatus::new("D", "mask", 100, 10.0), explicit_acute("S", 0, 60)],
            None,
        )
    };
    let plan = run(&sc);
    assert_eq!(shipments(&plan), vec![(s("D"), s("S"), 60, plan.shipments[0].km)]);
    let d_rows: Vec<_> = plan
        .unmet
        .iter()
        .filter(|u| u.site == "D")
        .map(|u| (u.window, u.need, u.unmet))
        .collect();
    assert_eq!(d_rows, vec![(Window::GivenBeyondHorizon, 50, 30)]);
    assert_eq!(plan.objective[0].planning_unmet, 30);
    assert_unmet_within_need(&plan);
    let text = report::county_round_text(&sc, &plan);
    assert!(text.contains("Given beyond the horizon surplus"), "{text}");
}

/// A → B → C where B does not forward: nothing reaches C (reason `no-lane`) on either
/// engine and strategy; with B a hub or a transshipment point, the stock passes through.
#[test]
fn stock_passes_only_through_hubs_and_transshipment_points() {
    for (kind, is_hub, passes) in [
        (SiteKind::Municipality, false, false),
        (SiteKind::Region, false, false),
        (SiteKind::Municipality, true, true),
        (SiteKind::TransshipmentPoint, false, true),
    ] {
        let sc = scenario(
            vec![
                site("A").county("19").at(59.6, 16.0).build(),
                hub("B", kind, is_hub),
                site("C").county("19").at(59.6, 16.2).build(),
            ],
            vec![needs("A", 100, &[]), explicit_acute("C", 0, 20)],
            Some(vec![lane("A", "B", 1.0), lane("B", "C", 1.0)]),
        );
        for engine in [Engine::Simplex, Engine::Lp] {
            for strategy in [Strategy::Auto, Strategy::LevelByLevel] {
                let plan = run_with(&sc, engine, strategy).unwrap();
                let what = format!("{kind:?} hub={is_hub} {engine:?} {strategy:?}");
                if passes {
                    assert_eq!(
                        shipments(&plan),
                        vec![(s("A"), s("B"), 20, 1.0), (s("B"), s("C"), 20, 1.0)],
                        "{what}"
                    );
                    assert!(acute_rows(&plan).is_empty(), "{what}");
                } else {
                    assert!(plan.shipments.is_empty(), "{what}");
                    assert_eq!(
                        acute_rows(&plan),
                        vec![(s("C"), s("health-care"), 20, Reason::NoLane)],
                        "{what}"
                    );
                }
            }
        }
    }
}

/// Short lanes through a municipality B (1 km + 1 km) against a direct lane of 50 km:
/// the round takes the direct lane unless B is a hub. B with an acute need of its own
/// keeps what it receives.
#[test]
fn a_shorter_route_through_a_municipality_is_not_taken() {
    let lanes = Some(vec![lane("A", "B", 1.0), lane("B", "C", 1.0), lane("A", "C", 50.0)]);
    let build = |b_hub: bool, b_need: i64| {
        scenario(
            vec![
                site("A").county("19").at(59.6, 16.0).build(),
                hub("B", SiteKind::Municipality, b_hub),
                site("C").county("19").at(59.6, 16.2).build(),
            ],
            vec![
                needs("A", 30, &[]),
                explicit_acute("B", 0, b_need),
                explicit_acute("C", 0, 20),
            ],
            lanes.clone(),
        )
    };
    for engine in [Engine::Simplex, Engine::Lp] {
        let plan = run_with(&build(false, 0), engine, Strategy::Auto).unwrap();
        assert_eq!(shipments(&plan), vec![(s("A"), s("C"), 20, 50.0)], "{engine:?}");
        let plan = run_with(&build(true, 0), engine, Strategy::Auto).unwrap();
        assert_eq!(
            shipments(&plan),
            vec![(s("A"), s("B"), 20, 1.0), (s("B"), s("C"), 20, 1.0)],
            "{engine:?}"
        );
        // B short 10 itself: A sends 10 to B and 20 straight to C.
        let plan = run_with(&build(false, 10), engine, Strategy::Auto).unwrap();
        assert_eq!(
            shipments(&plan),
            vec![(s("A"), s("B"), 10, 1.0), (s("A"), s("C"), 20, 50.0)],
            "{engine:?}"
        );
    }
}

/// `hub` in JSON and CSV; absent means false and is not written back.
#[test]
fn hub_is_read_from_json_and_csv() {
    let json = r#"{"sites": [{"id": "A", "name": "A", "kind": "municipality", "county": "19",
        "lat": 59.6, "lon": 16.0, "hub": true},
        {"id": "B", "name": "B", "kind": "municipality", "county": "19", "lat": 59.6, "lon": 16.1}],
        "items": [{"id": "mask", "name": "Mask", "unit": "pieces"}], "status": []}"#;
    let sc = Scenario::from_json_str(json, "hub.json").unwrap();
    assert_eq!((sc.sites[0].hub, sc.sites[1].hub), (true, false));
    let text = serde_json::to_string(&sc).unwrap();
    assert_eq!(text.matches("\"hub\"").count(), 1, "{text}");
    let bad = json.replace("\"hub\": true", "\"hub\": \"yes\"");
    assert!(Scenario::from_json_str(&bad, "hub.json").is_err());

    let dir = std::path::PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("county_round_hub_csv");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let write = |name: &str, text: &str| std::fs::write(dir.join(name), text).unwrap();
    write("items.csv", "id,name,unit\nmask,Mask,pieces\n");
    write("status.csv", "site,item,stock,consumption_per_day\nA,mask,10,0\n");
    write(
        "sites.csv",
        "id,name,kind,county,lat,lon,hub\nA,A,municipality,19,59.6,16.0,true\nB,B,municipality,19,59.6,16.1,\n",
    );
    let sc = Scenario::from_csv_dir(&dir).unwrap();
    assert_eq!((sc.sites[0].hub, sc.sites[1].hub), (true, false));
    write(
        "sites.csv",
        "id,name,kind,county,lat,lon,hub\nA,A,municipality,19,59.6,16.0,yes\nB,B,municipality,19,59.6,16.1,\n",
    );
    let problems = invalid(Scenario::from_csv_dir(&dir));
    assert!(
        has(
            &problems,
            "sites.csv line 2, column hub: expected true or false, got 'yes'"
        ),
        "{problems:?}"
    );
}

/// Distances are rounded to the nearest 0.1 km with ties upwards, as documented.
#[test]
fn distance_ties_round_up_to_the_next_tenth() {
    let kms = [0.05, 1.45, 2.25, 1.449, 0.04];
    let sites: Vec<Site> = std::iter::once(site("D").county("19").at(59.6, 16.0).build())
        .chain((0..kms.len()).map(|i| site(&format!("X{i}")).county("19").at(59.6, 16.1).build()))
        .collect();
    let mut status = vec![needs("D", 100, &[])];
    status.extend((0..kms.len()).map(|i| explicit_acute(&format!("X{i}"), 0, 1)));
    let lanes = kms
        .iter()
        .enumerate()
        .map(|(i, &km)| lane("D", &format!("X{i}"), km))
        .collect();
    let plan = run(&scenario(sites, status, Some(lanes)));
    let got: Vec<f64> = plan.shipments.iter().map(|s| s.km).collect();
    assert_eq!(got, vec![0.1, 1.5, 2.3, 1.4, 0.0]);
    assert_eq!(plan.objective[0].transport_unit_hm, 1 + 15 + 23 + 14);
}

/// An explicit lane between two counties carries stock; the receiving site's remaining
/// need goes into its own county's request.
#[test]
fn explicit_lanes_join_counties() {
    let sc = scenario(
        vec![
            site("A").county("19").at(59.6, 16.0).build(),
            site("B").county("03").at(59.9, 17.6).build(),
        ],
        vec![needs("A", 30, &[]), explicit_acute("B", 0, 50)],
        Some(vec![lane("A", "B", 120.0)]),
    );
    let plan = run(&sc);
    assert_eq!(shipments(&plan), vec![(s("A"), s("B"), 30, 120.0)]);
    assert_eq!(plan.requests.len(), 1);
    assert_eq!(
        (plan.requests[0].county.as_str(), plan.requests[0].items[0].total),
        ("03", 20)
    );
}

/// A national warehouse's own need: derived as for any site; no default lane reaches
/// it, so it stays unmet and goes into the request of its county code.
#[test]
fn a_national_warehouses_own_need_stays_unmet_with_default_lanes() {
    let mut warehouse = site("W").county("00").at(59.6, 16.05).build();
    warehouse.kind = SiteKind::NationalWarehouse;
    let sc = scenario(
        vec![
            site("D").county("19").at(59.6, 16.0).build(),
            warehouse,
            site("E").county("19").at(59.6, 16.1).build(),
        ],
        vec![
            needs("D", 500, &[]),
            SiteStatus::new("W", "mask", 0, 10.0),
            SiteStatus::new("E", "mask", 100, 0.0),
        ],
        None,
    );
    let plan = run(&sc);
    assert!(plan.shipments.iter().all(|s| s.to != "W" && s.from != "W"));
    assert_eq!(
        acute_rows(&plan),
        vec![(s("W"), s("health-care"), 20, Reason::NoSurplus)]
    );
    assert_eq!(
        (plan.requests[0].county.as_str(), plan.requests[0].items[0].total),
        ("00", 20)
    );
}

/// An explicit planning_need on a site that could give: it still gives, and all of its
/// giveable stock counts as its own use, so what it gives is `given-beyond-horizon`.
#[test]
fn explicit_planning_need_on_a_donor() {
    // D: 100 in stock, 10/day: keeps 20, may give 80; planning need given as 10.
    let mut d = SiteStatus::new("D", "mask", 100, 10.0);
    d.planning_need = Some(10);
    let sc = Scenario {
        parameters: Parameters::default(),
        ..scenario(
            vec![
                site("D").county("19").at(59.6, 16.0).build(),
                site("S").county("19").at(59.6, 16.1).build(),
            ],
            vec![d, explicit_acute("S", 0, 30)],
            None,
        )
    };
    let resolved = sc.resolve().unwrap();
    assert_eq!(
        (resolved.profile(0, 0).giveable, resolved.profile(0, 0).own_use),
        (80, 80)
    );
    let plan = run(&sc);
    assert_eq!(plan.shipments[0].quantity, 30);
    let d_rows: Vec<_> = plan
        .unmet
        .iter()
        .filter(|u| u.site == "D")
        .map(|u| (u.window, u.need, u.unmet))
        .collect();
    assert_eq!(
        d_rows,
        vec![(Window::Planning, 10, 10), (Window::GivenBeyondHorizon, 80, 30)]
    );
    assert_unmet_within_need(&plan);
}

/// Quantities together with acute_need or planning_need on the same status row: an
/// error naming the row's split.
#[test]
fn quantities_together_with_acute_need_are_an_error() {
    let mut st = needs("S", 0, &[("home-care", 5)]);
    st.acute_need = Some(5);
    let sc = scenario(vec![site("S").county("19").at(59.6, 16.0).build()], vec![st], None);
    let problems = invalid(sc.resolve());
    assert!(
        has(
            &problems,
            "status[0].split: explicit class quantities replace acute_need/planning_need: give one or the other"
        ),
        "{problems:?}"
    );
}

/// In the Västmanland demo, forwarding only through the transshipment point costs
/// nothing: with every site a hub (the network before issue 12 item 4, where any site
/// could pass stock on) every level and every unmet row is the same. One route differs
/// at equal cost: 51 units 1981 → region-sala → region-fagersta (0.5 + 59.4 km) are now
/// sent 1981 → region-fagersta (59.9 km) directly.
#[test]
fn vastmanland_plan_does_not_depend_on_forwarding_through_municipalities() {
    let sc = vastmanland_default().unwrap();
    let mut all_hubs = sc.clone();
    for s in &mut all_hubs.sites {
        s.hub = true;
    }
    let (plan, open) = (run(&sc), run(&all_hubs));
    assert_eq!(plan.objective, open.objective);
    assert_eq!(plan.unmet, open.unmet);
    assert!(shipments(&plan).contains(&(s("1981"), s("region-fagersta"), 51, 59.9)));
    assert!(shipments(&open).contains(&(s("region-sala"), s("region-fagersta"), 51, 59.4)));
}
