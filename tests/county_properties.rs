//! Properties of the county round on random scenarios: totals conserved, no donor below
//! its acute requirement + reserve, strictly lexicographic order, both strategies and
//! both engines agree on every level, and the plan does not depend on the thread count.

use allocnet::flow::{solve, Engine, Network, INFINITE};
use allocnet::model::{
    ClassNeed, Delivery, Item, Lane, NeedSplit, Parameters, Scenario, Site, SiteKind, SiteStatus, Unit,
};
use allocnet::process::{run_county_round, Plan, RoundOptions, Strategy as Solve};
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
    county: bool,
    lat: f64,
    lon: f64,
    stock: i64,
    consumption_halves: u32,
    reserve_days: u32,
    delivery: Option<(u32, i64)>,
    class: usize,
    /// Explicit acute need per class (used by the "explicit" scenarios).
    explicit: Option<Vec<i64>>,
}

fn site_spec(explicit: bool) -> impl Strategy<Value = SiteSpec> {
    (
        any::<bool>(),
        59.0f64..60.5,
        15.5f64..17.0,
        0i64..300,
        0u32..40,
        0u32..4,
        proptest::option::of((0u32..6, 0i64..100)),
        0usize..5,
        if explicit {
            proptest::option::weighted(0.6, proptest::collection::vec(0i64..30, 5)).boxed()
        } else {
            Just(None).boxed()
        },
    )
        .prop_map(
            |(county, lat, lon, stock, consumption_halves, reserve_days, delivery, class, explicit)| SiteSpec {
                county,
                lat,
                lon,
                stock,
                consumption_halves,
                reserve_days,
                delivery,
                class,
                explicit,
            },
        )
}

#[derive(Clone, Debug)]
struct ScenarioSpec {
    sites: Vec<SiteSpec>,
    items: usize,
    horizon_days: u32,
    /// Explicit lanes: (from, to, capacity) by site index; None = default lanes.
    lanes: Option<Vec<(usize, usize, Option<i64>)>>,
}

fn scenario_spec(explicit: bool) -> impl Strategy<Value = ScenarioSpec> {
    (
        proptest::collection::vec(site_spec(explicit), 2..7),
        1usize..3,
        2u32..8,
        proptest::option::of(proptest::collection::vec(
            (0usize..7, 0usize..7, proptest::option::of(0i64..60)),
            0..14,
        )),
    )
        .prop_map(|(sites, items, horizon_days, lanes)| ScenarioSpec {
            sites,
            items,
            horizon_days,
            lanes,
        })
}

fn build(spec: &ScenarioSpec) -> Scenario {
    let n = spec.sites.len();
    let sites: Vec<Site> = spec
        .sites
        .iter()
        .enumerate()
        .map(|(i, s)| Site {
            id: format!("s{i}"),
            name: format!("Site {i}"),
            kind: SiteKind::Municipality,
            county: if s.county { "19".into() } else { "03".into() },
            lat: s.lat,
            lon: s.lon,
            hub: false,
        })
        .collect();
    let items: Vec<Item> = (0..spec.items)
        .map(|k| Item {
            id: format!("i{k}"),
            name: format!("Item {k}"),
            unit: Unit::Pieces,
        })
        .collect();
    let mut status = Vec::new();
    for it in 0..spec.items {
        for (i, s) in spec.sites.iter().enumerate() {
            // Vary the figures per item so items differ.
            let stock = (s.stock + 37 * it as i64) % 300;
            let mut st = SiteStatus::new(
                format!("s{i}"),
                format!("i{it}"),
                stock,
                f64::from(s.consumption_halves) / 2.0,
            );
            st.reserve_days = Some(f64::from(s.reserve_days));
            if let Some((day, q)) = s.delivery {
                st.deliveries.push(Delivery {
                    day: f64::from(day),
                    quantity: q,
                });
            }
            st.split = Some(match &s.explicit {
                Some(q) if q.iter().any(|&x| x > 0) => NeedSplit::Quantities(
                    CLASSES
                        .iter()
                        .zip(q)
                        .filter(|(_, &a)| a > 0)
                        .map(|(c, &a)| ClassNeed {
                            class: (*c).into(),
                            share: None,
                            acute: Some(a),
                            planning: Some(a + a / 2),
                        })
                        .collect(),
                ),
                _ => NeedSplit::Class(CLASSES[s.class].into()),
            });
            status.push(st);
        }
    }
    let lanes = spec.lanes.as_ref().map(|ls| {
        let mut out: Vec<Lane> = Vec::new();
        for &(a, b, cap) in ls {
            let (a, b) = (a % n, b % n);
            if a != b && !out.iter().any(|l| l.from == format!("s{a}") && l.to == format!("s{b}")) {
                out.push(Lane {
                    from: format!("s{a}"),
                    to: format!("s{b}"),
                    km: None,
                    capacity: cap,
                });
            }
        }
        out
    });
    Scenario {
        name: "random".into(),
        synthetic: true,
        parameters: Parameters {
            horizon_days: f64::from(spec.horizon_days),
            ..Parameters::default()
        },
        sites,
        items,
        status,
        lanes,
        ..Scenario::default()
    }
}

fn levels(plan: &Plan) -> Vec<(Vec<i64>, i64, i64)> {
    plan.objective
        .iter()
        .map(|o| (o.acute_unmet.clone(), o.planning_unmet, o.transport_unit_hm))
        .collect()
}

fn run(sc: &Scenario, engine: Engine, strategy: Solve) -> Plan {
    run_county_round(sc, &RoundOptions { engine, strategy }).unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]

    /// Stock is only moved: per item the totals before and after agree, what is sent is
    /// what is received, no stock goes negative, and the transport level is Σ q·km.
    #[test]
    fn totals_are_conserved(spec in scenario_spec(true)) {
        let sc = build(&spec);
        let plan = run(&sc, Engine::Simplex, Solve::Auto);
        for item in &sc.items {
            let rows: Vec<_> = plan.stock_after.iter().filter(|r| r.item == item.id).collect();
            prop_assert_eq!(rows.iter().map(|r| r.before).sum::<i64>(), rows.iter().map(|r| r.after).sum::<i64>());
            prop_assert_eq!(rows.iter().map(|r| r.sent).sum::<i64>(), rows.iter().map(|r| r.received).sum::<i64>());
            prop_assert!(rows.iter().all(|r| r.after >= 0 && r.after == r.before + r.received - r.sent));
            let hm: i64 = plan.shipments.iter().filter(|s| s.item == item.id).map(|s| s.quantity * (s.km * 10.0).round() as i64).sum();
            let o = plan.objective.iter().find(|o| o.item == item.id).unwrap();
            prop_assert_eq!(o.transport_unit_hm, hm);
        }
        prop_assert!(plan.shipments.iter().all(|s| s.quantity > 0));
    }

    /// No site ends below its acute-window requirement plus reserve unless it started
    /// there (then it gave nothing net).
    #[test]
    fn no_donor_below_acute_need_plus_reserve(spec in scenario_spec(false)) {
        let sc = build(&spec);
        let resolved = sc.resolve().unwrap();
        let plan = run(&sc, Engine::Simplex, Solve::Auto);
        for row in &plan.stock_after {
            let v = sc.sites.iter().position(|s| s.id == row.site).unwrap();
            let it = sc.items.iter().position(|s| s.id == row.item).unwrap();
            let keep = resolved.profile(v, it).keep;
            prop_assert!(row.after >= row.before.min(keep), "{row:?} keep {keep}");
            if resolved.profile(v, it).acute_total() > 0 {
                prop_assert!(row.after >= row.before, "a site with acute need gave stock away: {row:?}");
            }
        }
    }

    /// Lexicographic order: for every class l, the plan meets as much acute need of
    /// classes 0..=l together as is possible at all — checked against an independent
    /// max-flow built here from the sites' giveable stock, needs and lanes, where stock
    /// does not pass through a site (none of these sites forwards) (the flows
    /// that reach needs form a polymatroid, so the lexicographic optimum maximises every
    /// prefix). So no unit of higher-priority need is left unmet for a lower one or to
    /// save distance; and stretching all distances changes no need level.
    #[test]
    fn lexicographic_order_holds(spec in scenario_spec(true)) {
        let sc = build(&spec);
        let plan = run(&sc, Engine::Simplex, Solve::Auto);
        let resolved = sc.resolve().unwrap();
        let n = resolved.site_count();
        for (it, objective) in plan.objective.iter().enumerate() {
            for l in 0..CLASSES.len() {
                // Site v receives at node v and sends from node n + v (no site here
                // forwards, issue 12 item 4: received stock is not sent on).
                let mut net = Network::with_nodes(2 * n + 1);
                let sink = 2 * n as u32;
                let send = |v: usize| (n + v) as u32;
                let mut supply = 0;
                for v in 0..n {
                    let p = resolved.profile(v, it);
                    net.set_supply(send(v), p.giveable).unwrap();
                    supply += p.giveable;
                    net.add_arc(v as u32, sink, p.acute[..=l].iter().sum(), -1);
                    net.add_arc(send(v), v as u32, p.giveable, 0);
                    net.add_arc(send(v), sink, p.giveable, 0);
                }
                net.set_supply(sink, -supply).unwrap();
                for lane in &resolved.lanes {
                    net.add_arc(send(lane.from), lane.to as u32, lane.capacity.unwrap_or(INFINITE), 0);
                }
                let best_met = -solve(&net).unwrap().cost.unwrap();
                let need: i64 = (0..n).map(|v| resolved.profile(v, it).acute[..=l].iter().sum::<i64>()).sum();
                let unmet: i64 = objective.acute_unmet[..=l].iter().sum();
                prop_assert_eq!(i128::from(need - unmet), best_met, "item {} classes 0..={}", objective.item, l);
            }
        }
        let mut far = sc.clone();
        far.parameters.detour_factor = 7.5;
        let far_plan = run(&far, Engine::Simplex, Solve::Auto);
        for (a, b) in plan.objective.iter().zip(&far_plan.objective) {
            prop_assert_eq!(&a.acute_unmet, &b.acute_unmet);
            prop_assert_eq!(a.planning_unmet, b.planning_unmet);
        }
    }

    /// The weighted single solve and the level-by-level solves agree on every level.
    #[test]
    fn weighted_and_level_by_level_agree(spec in scenario_spec(true)) {
        let sc = build(&spec);
        let weighted = run_county_round(&sc, &RoundOptions { engine: Engine::Simplex, strategy: Solve::Weighted });
        let levelled = run(&sc, Engine::Simplex, Solve::LevelByLevel);
        match weighted {
            Ok(weighted) => prop_assert_eq!(levels(&weighted), levels(&levelled)),
            Err(e) => prop_assert!(matches!(e, allocnet::Error::Overflow(_)), "{e}"),
        }
    }

    /// With quantities so large that one weighted solve cannot hold all levels, `Auto`
    /// solves runs of levels together (chunks); it agrees with one level at a time.
    #[test]
    fn chunked_levels_agree_with_level_by_level(spec in scenario_spec(true), scale in 1_000i64..1_000_000_000) {
        let mut sc = build(&spec);
        for st in &mut sc.status {
            st.stock *= scale;
            st.consumption_per_day *= scale as f64;
            for d in &mut st.deliveries { d.quantity *= scale; }
            if let Some(NeedSplit::Quantities(rows)) = &mut st.split {
                for r in rows.iter_mut() {
                    r.acute = r.acute.map(|a| a * scale);
                    r.planning = r.planning.map(|a| a * scale);
                }
            }
        }
        let auto = run(&sc, Engine::Simplex, Solve::Auto);
        let levelled = run(&sc, Engine::Simplex, Solve::LevelByLevel);
        prop_assert_eq!(levels(&auto), levels(&levelled));
    }

    /// The plan is the same with 1 and with 4 rayon threads (bit for bit, via PartialEq).
    #[test]
    fn same_plan_with_1_and_4_threads(spec in scenario_spec(true)) {
        let sc = build(&spec);
        let with = |threads: usize| {
            rayon::ThreadPoolBuilder::new().num_threads(threads).build().unwrap().install(|| run(&sc, Engine::Simplex, Solve::Auto))
        };
        let one = with(1);
        prop_assert_eq!(serde_json::to_string(&one).unwrap(), serde_json::to_string(&with(4)).unwrap());
    }
}

fn wild_f64() -> impl Strategy<Value = f64> {
    prop_oneof![
        Just(f64::NAN),
        Just(f64::INFINITY),
        Just(-1.0),
        Just(0.0),
        Just(1e300),
        Just(-1e-300),
        -1e6f64..1e6,
    ]
}

fn wild_i64() -> impl Strategy<Value = i64> {
    prop_oneof![
        Just(i64::MIN),
        Just(i64::MAX),
        Just(-1i64),
        Just(0i64),
        Just(i64::MAX / 3),
        -1_000_000i64..1_000_000
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 128, ..ProptestConfig::default() })]

    /// Wild values anywhere (NaN, infinities, negatives, extremes): the round returns a
    /// plan or an error, never panics, and an error that is `Invalid` names a place.
    #[test]
    fn wild_values_never_panic(
        spec in scenario_spec(true),
        f in proptest::collection::vec(wild_f64(), 8),
        q in proptest::collection::vec(wild_i64(), 6),
        which in 0usize..8,
    ) {
        let mut sc = build(&spec);
        match which {
            0 => { sc.status[0].stock = q[0]; sc.status[0].consumption_per_day = f[0]; }
            1 => { sc.sites[0].lat = f[1]; sc.sites[0].lon = f[2]; }
            2 => { sc.parameters.acute_window_hours = f[3]; sc.parameters.horizon_days = f[4]; }
            3 => { sc.parameters.detour_factor = f[5]; sc.parameters.reserve_days = f[6]; }
            4 => sc.status[0].deliveries.push(Delivery { day: f[7], quantity: q[1] }),
            5 => { sc.status[0].acute_need = Some(q[2]); sc.status[0].planning_need = Some(q[3]); }
            6 => sc.lanes = Some(vec![Lane { from: "s0".into(), to: "s1".into(), km: Some(f[0]), capacity: Some(q[4]) }]),
            _ => { for st in &mut sc.status { st.stock = q[5].max(0); } }
        }
        for strategy in [Solve::Auto, Solve::LevelByLevel] {
            match run_county_round(&sc, &RoundOptions { engine: Engine::Simplex, strategy }) {
                Ok(plan) => prop_assert_eq!(plan.objective.len(), sc.items.len()),
                Err(allocnet::Error::Invalid(list)) => prop_assert!(list.iter().all(|v| !v.path.is_empty() && !v.message.is_empty())),
                Err(_) => {}
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    /// The LP engine gives a plan that agrees with the network simplex in every level.
    #[test]
    fn simplex_and_lp_agree_on_every_level(spec in scenario_spec(true)) {
        let sc = build(&spec);
        let simplex = run(&sc, Engine::Simplex, Solve::Auto);
        for strategy in [Solve::Auto, Solve::LevelByLevel] {
            let lp = run(&sc, Engine::Lp, strategy);
            prop_assert_eq!(levels(&lp), levels(&simplex), "{:?}", strategy);
        }
    }
}
