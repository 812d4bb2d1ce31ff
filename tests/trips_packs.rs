//! Whole packs on the network simplex: without logistics data nothing changes; with
//! packs every shipment is whole packs, stock is conserved, no donor falls below what
//! it keeps, and packs never meet more top-priority need than units.

mod common;
mod trips_support;

use allocnet::model::synthetic::vastmanland_default;
use allocnet::process::{run_county_round, Reason, RoundOptions, Strategy as Solve};
use allocnet::tables::ResultTables;
use allocnet::trips::{run_trips_round, ItemLogistics, Logistics, Substitute, TripsOptions, Vehicle};
use allocnet::Error;
use proptest::prelude::*;
use trips_support::{build, logistics, logistics_spec, scenario_spec};

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    /// No pack, trip or substitution data: every plan is today's, bit for bit (both
    /// strategies), whether the logistics data is empty or lists packs of 1 with volumes.
    #[test]
    fn no_logistics_data_changes_no_plan(spec in scenario_spec(7), values in logistics_spec(3), level in any::<bool>()) {
        let sc = build(&spec);
        let options = RoundOptions { strategy: if level { Solve::LevelByLevel } else { Solve::Auto }, ..RoundOptions::default() };
        let today = run_county_round(&sc, &options).unwrap();
        let empty = run_trips_round(&sc, &Logistics::default(), &TripsOptions { round: options, ..TripsOptions::default() }).unwrap();
        prop_assert_eq!(&empty.plan, &today);
        let mut ones = logistics(&values[..sc.items.len().min(values.len())], false);
        for il in &mut ones.items {
            il.pack_size = 1;
        }
        let with_ones = run_trips_round(&sc, &ones, &TripsOptions { round: options, ..TripsOptions::default() }).unwrap();
        prop_assert_eq!(&with_ones.plan, &today);
        prop_assert!(with_ones.trips.is_empty() && with_ones.levels.is_empty());
        prop_assert_eq!(with_ones.pack_shipments.len(), today.shipments.len());
    }

    /// Packs: whole packs only, totals conserved, no donor below its acute requirement
    /// plus reserve, unmet rows consistent with the stock received, and the
    /// highest-priority acute need met never exceeds the unit round's (whose feasible
    /// set contains every plan in packs).
    #[test]
    fn packs_are_whole_and_never_beat_units(spec in scenario_spec(7), values in logistics_spec(3)) {
        let sc = build(&spec);
        let resolved = sc.resolve().unwrap();
        let lg = logistics(&values[..sc.items.len()], false);
        let out = run_trips_round(&sc, &lg, &TripsOptions::default()).unwrap();
        let units = run_county_round(&sc, &RoundOptions::default()).unwrap();
        for (it, item) in sc.items.iter().enumerate() {
            let pack = values[it].0;
            for s in out.plan.shipments.iter().filter(|s| s.item == item.id) {
                prop_assert!(s.quantity > 0 && s.quantity % pack == 0, "{s:?} pack {pack}");
            }
            let rows: Vec<_> = out.plan.stock_after.iter().filter(|r| r.item == item.id).collect();
            prop_assert_eq!(rows.iter().map(|r| r.sent).sum::<i64>(), rows.iter().map(|r| r.received).sum::<i64>());
            for r in &rows {
                let v = sc.sites.iter().position(|s| s.id == r.site).unwrap();
                let p = resolved.profile(v, it);
                prop_assert!(r.after >= r.before.min(p.keep), "{r:?} keep {}", p.keep);
                // Unmet acute need is what the units received leave of the need.
                let acute_unmet: i64 = out.plan.unmet.iter()
                    .filter(|u| u.item == item.id && u.site == r.site && u.window == allocnet::process::Window::Acute)
                    .map(|u| u.unmet).sum();
                if p.giveable == 0 && !sc.sites[v].forwards() {
                    prop_assert_eq!(acute_unmet, (p.acute_total() - r.received).max(0), "{:?}", r);
                }
            }
            let a = &out.plan.objective[it].acute_unmet;
            let b = &units.objective[it].acute_unmet;
            prop_assert!(a[0] >= b[0], "packs met more top-priority need than units: {a:?} vs {b:?}");
        }
        for (p, s) in out.pack_shipments.iter().zip(&out.plan.shipments) {
            prop_assert_eq!(p.units, s.quantity);
            prop_assert_eq!(p.packs * p.pack_size, p.units);
        }
        // The result is the same for any thread count.
        let one = rayon::ThreadPoolBuilder::new().num_threads(1).build().unwrap();
        let again = one.install(|| run_trips_round(&sc, &lg, &TripsOptions::default()).unwrap());
        prop_assert_eq!(again, out);
    }
}

#[test]
fn a_pack_larger_than_the_loose_stock_is_the_reason() {
    use allocnet::model::{Item, NeedSplit, Parameters, Scenario, Site, SiteKind, SiteStatus, Unit};
    let site = |id: &str, lon: f64| Site {
        id: id.into(),
        name: id.into(),
        kind: SiteKind::Municipality,
        county: "19".into(),
        lat: 59.6,
        lon,
        hub: false,
    };
    let mut short = SiteStatus::new("short", "ffp2", 0, 3.0);
    short.split = Some(NeedSplit::Class("health-care".into()));
    let sc = Scenario {
        sites: vec![site("short", 16.0), site("donor", 16.1)],
        items: vec![Item {
            id: "ffp2".into(),
            name: "FFP2".into(),
            unit: Unit::Pieces,
        }],
        status: vec![short, SiteStatus::new("donor", "ffp2", 30, 5.0)],
        parameters: Parameters {
            horizon_days: 2.0,
            ..Parameters::default()
        },
        ..Scenario::default()
    };
    let today = run_county_round(&sc, &RoundOptions::default()).unwrap();
    assert_eq!(today.shipments[0].quantity, 6); // the donor may give 30 - 10 = 20
    let lg = Logistics {
        items: vec![ItemLogistics {
            item: "ffp2".into(),
            pack_size: 50,
            volume_l: 0.1,
            min_packs: 0,
        }],
        ..Logistics::default()
    };
    let out = run_trips_round(&sc, &lg, &TripsOptions::default()).unwrap();
    assert!(out.plan.shipments.is_empty());
    let row = out.plan.unmet.iter().find(|u| u.site == "short").unwrap();
    assert_eq!((row.unmet, row.reason), (6, Reason::PackLargerThanNeed));
    // A pack of 4: two packs (8 units) meet the need of 6.
    let lg4 = Logistics {
        items: vec![ItemLogistics {
            item: "ffp2".into(),
            pack_size: 4,
            volume_l: 0.1,
            min_packs: 0,
        }],
        ..Logistics::default()
    };
    let out = run_trips_round(&sc, &lg4, &TripsOptions::default()).unwrap();
    assert_eq!(out.pack_shipments.len(), 1);
    assert_eq!((out.pack_shipments[0].packs, out.pack_shipments[0].units), (2, 8));
    assert!(out.plan.unmet.iter().all(|u| u.site != "short"));
    assert_eq!(
        out.table("pack_shipments").unwrap().to_csv().unwrap(),
        "item,from,to,packs,pack_size,units,km\nffp2,donor,short,2,4,8,7.3\n"
    );
}

#[test]
fn bad_logistics_data_names_the_field() {
    let sc = vastmanland_default().unwrap();
    let lg = Logistics {
        items: vec![
            ItemLogistics {
                item: "ffp2".into(),
                pack_size: 0,
                volume_l: -1.0,
                min_packs: -2,
            },
            ItemLogistics {
                item: "nope".into(),
                pack_size: 1,
                volume_l: 0.0,
                min_packs: 0,
            },
            ItemLogistics {
                item: "gloves".into(),
                pack_size: 100,
                volume_l: f64::NAN,
                min_packs: 0,
            },
        ],
        substitutes: vec![Substitute {
            item: "ffp2".into(),
            by: "ffp2".into(),
            ratio: 0,
            classes: Some(vec!["x".into()]),
        }],
        vehicle: Some(Vehicle {
            capacity_l: 0.0,
            cost_per_trip: 0,
            max_trips: Some(-1),
        }),
        synthetic: true,
        substitutes_rank: None,
    };
    let err = run_trips_round(&sc, &lg, &TripsOptions::default()).unwrap_err();
    assert!(matches!(err, Error::Invalid(_)), "{err}");
    let text = err.to_string();
    for expected in [
        "logistics.items[0].pack_size: must be >= 1, got 0",
        "logistics.items[0].volume_l: must be a finite number >= 0, got -1",
        "logistics.items[0].min_packs: must be >= 0",
        "logistics.items[1].item: no item 'nope'",
        "logistics.items[2].volume_l: must be a finite number >= 0, got NaN",
        "logistics.substitutes[0].by: an item cannot substitute itself",
        "logistics.substitutes[0].ratio: must be >= 1",
        "logistics.substitutes[0].classes[0]: no priority class 'x'",
        "logistics.vehicle.capacity_l: must be a finite number > 0, got 0",
        "logistics.vehicle.cost_per_trip: must be >= 1",
        "logistics.vehicle.max_trips: must be >= 0",
    ] {
        assert!(text.contains(expected), "missing «{expected}» in {text}");
    }
    let err = Logistics::from_json_str("{\"items\": [{\"item\": \"ffp2\", \"pack\": 3}]}", "l.json").unwrap_err();
    assert!(err.to_string().contains("unknown field"), "{err}");
}
