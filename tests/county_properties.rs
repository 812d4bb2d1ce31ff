//! Properties of the county round on random scenarios: totals conserved, no donor below
//! its acute requirement + reserve, strictly lexicographic order, both strategies and
//! both engines agree on every level, and the plan does not depend on the thread count.

use allocnet::flow::{solve, Engine, Network, INFINITE};
mod common;

use allocnet::model::{Delivery, Lane, NeedSplit, Scenario};
use allocnet::process::{run_county_round, Plan, RoundOptions, Strategy as Solve};
use common::scenarios::{self, build, ScenarioSpec, Shape, CLASSES};
use proptest::prelude::*;

/// Random scenarios as this file has always drawn them (no hubs).
fn scenario_spec(explicit: bool) -> impl Strategy<Value = ScenarioSpec> {
    scenarios::scenario_spec(Shape {
        max_sites: 7,
        max_items: 3,
        explicit: explicit.then_some(0.6),
        hubs: false,
    })
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
