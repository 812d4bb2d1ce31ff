//! Hostile logistics input: every bad value is an `Invalid` error naming the field,
//! sizes the MIP cannot count exactly are refused before anything is built, and
//! need left unmet by the trips cap says so.

use allocnet::model::Scenario;
use allocnet::process::Reason;
use allocnet::trips::{run_trips_round, Logistics, TripsOptions, MAX_MIP_MAGNITUDE};
use allocnet::Error;
use std::process::Command;

/// Three sites in one county: `a` holds `stock` of x (and y), `b` and `c` need them.
fn scenario(stock: i64, need_b: f64) -> Scenario {
    let text = format!(
        r#"{{"name": "hostile", "sites": [
            {{"id": "a", "name": "A", "kind": "municipality", "county": "19", "lat": 59.6, "lon": 16.5}},
            {{"id": "b", "name": "B", "kind": "municipality", "county": "19", "lat": 59.7, "lon": 16.2}},
            {{"id": "c", "name": "C", "kind": "municipality", "county": "19", "lat": 59.9, "lon": 16.6}}],
          "items": [{{"id": "x", "name": "X", "unit": "pieces"}}, {{"id": "y", "name": "Y", "unit": "pieces"}}],
          "status": [
            {{"site": "a", "item": "x", "stock": {stock}, "consumption_per_day": 10}},
            {{"site": "b", "item": "x", "stock": 0, "consumption_per_day": {need_b}}},
            {{"site": "c", "item": "x", "stock": 10, "consumption_per_day": 50}},
            {{"site": "a", "item": "y", "stock": 3000, "consumption_per_day": 10}},
            {{"site": "b", "item": "y", "stock": 0, "consumption_per_day": 30}}]}}"#
    );
    serde_json::from_str(&text).unwrap()
}

fn logistics(json: &str) -> Logistics {
    Logistics::from_json_str(json, "logistics.json").unwrap()
}

fn problems(result: allocnet::Result<allocnet::trips::TripsPlan>) -> Vec<(String, String)> {
    match result {
        Err(Error::Invalid(list)) => list.into_iter().map(|p| (p.path, p.message)).collect(),
        Err(e) => panic!("expected Invalid, got {e}"),
        Ok(_) => panic!("expected Invalid, got a plan"),
    }
}

#[test]
fn substitute_classes_must_name_each_class_once() {
    let sc = scenario(5000, 100.0);
    let empty = logistics(r#"{"substitutes": [{"item": "x", "by": "y", "classes": []}]}"#);
    let p = problems(run_trips_round(&sc, &empty, &TripsOptions::default()));
    assert_eq!(p.len(), 1, "{p:?}");
    assert_eq!(p[0].0, "logistics.substitutes[0].classes");
    assert!(p[0].1.contains("empty list allows no class"), "{p:?}");
    let twice = logistics(r#"{"substitutes": [{"item": "x", "by": "y", "classes": ["health-care", "health-care"]}]}"#);
    let p = problems(run_trips_round(&sc, &twice, &TripsOptions::default()));
    assert_eq!(p.len(), 1, "{p:?}");
    assert_eq!(p[0].0, "logistics.substitutes[0].classes[1]");
    assert!(p[0].1.contains("'health-care' is listed twice"), "{p:?}");
}

#[test]
fn stock_too_large_for_the_mip_is_refused_naming_the_status_row() {
    // 10^15 units of 1 000 l: 10^18 litres, 10^9 van trips of 10^9 l.
    let sc = scenario(1_000_000_000_000_000, 1e13);
    let lg = logistics(r#"{"items": [{"item": "x", "volume_l": 1000}], "vehicle": {"capacity_l": 1e9}}"#);
    let p = problems(run_trips_round(&sc, &lg, &TripsOptions::default()));
    assert!(
        p.iter()
            .all(|(path, _)| path == "status[0].stock" || path == "logistics.vehicle.capacity_l"),
        "{p:?}"
    );
    assert!(
        p.iter().any(|(path, m)| path == "status[0].stock"
            && m.contains("county 19, item 'x'")
            && m.contains("litres moved")),
        "{p:?}"
    );
    // Without a vehicle (minimum loads alone: still the MIP) the units themselves.
    let lg = logistics(r#"{"items": [{"item": "x", "pack_size": 7, "min_packs": 3}]}"#);
    let p = problems(run_trips_round(&sc, &lg, &TripsOptions::default()));
    assert!(
        p.iter()
            .any(|(path, m)| path == "status[0].stock" && m.contains("giveable stock")),
        "{p:?}"
    );
    // Packs alone are exact integers on the network simplex: no bound.
    let lg = logistics(r#"{"items": [{"item": "x", "pack_size": 7}]}"#);
    let plan = run_trips_round(&sc, &lg, &TripsOptions::default()).unwrap();
    assert!(plan.pack_shipments.iter().all(|s| s.units % 7 == 0 || s.item != "x"));
}

#[test]
fn trips_beyond_the_bounds_name_the_vehicle() {
    // 10^8 units of 1 l in a van of 10 l: 10^7 trips, at 10^6 each 10^13 of trip cost.
    let sc = scenario(100_000_000, 1e6);
    let lg = logistics(
        r#"{"items": [{"item": "x", "volume_l": 1}], "vehicle": {"capacity_l": 10, "cost_per_trip": 1000000}}"#,
    );
    let p = problems(run_trips_round(&sc, &lg, &TripsOptions::default()));
    assert_eq!(p.len(), 1, "{p:?}");
    assert_eq!(p[0].0, "logistics.vehicle.capacity_l");
    assert!(p[0].1.contains("trip cost (trips × cost_per_trip)"), "{p:?}");
    // 10^9 units: 10^8 trips, every value within the bound, but a trips table of
    // 10^8 rows is over the memory limit.
    let sc = scenario(1_000_000_000, 1e7);
    let lg = logistics(r#"{"items": [{"item": "x", "volume_l": 1}], "vehicle": {"capacity_l": 10}}"#);
    let p = problems(run_trips_round(&sc, &lg, &TripsOptions::default()));
    assert_eq!(p.len(), 1, "{p:?}");
    assert_eq!(p[0].0, "logistics.vehicle.capacity_l");
    assert!(p[0].1.contains("the trips table of county 19"), "{p:?}");
    assert!(MAX_MIP_MAGNITUDE < 2f64.powi(53));
}

#[test]
fn a_large_valid_mip_stays_exact() {
    // 10^9 units, 10^7 a day needed: within every bound; the plan's units are whole
    // packs and the need is met in full.
    let sc = scenario(1_000_000_000, 1e7);
    let lg = logistics(
        r#"{"items": [{"item": "x", "volume_l": 1000}], "vehicle": {"capacity_l": 1e9, "cost_per_trip": 1000000}}"#,
    );
    let plan = run_trips_round(&sc, &lg, &TripsOptions::default()).unwrap();
    assert!(plan.plan.unmet.iter().all(|u| u.item != "x"), "{:?}", plan.plan.unmet);
    let trips = plan.levels.iter().find(|l| l.level == "trips").unwrap();
    assert_eq!(trips.value % 1_000_000, 0, "{trips:?}");
    assert_eq!(trips.value / 1_000_000, plan.trips.len() as i64, "{:?}", plan.levels);
}

#[test]
fn need_left_by_the_trips_cap_has_its_reason() {
    let sc = scenario(5000, 100.0);
    for cap in [0, 1] {
        let lg = logistics(&format!(
            r#"{{"items": [{{"item": "x", "pack_size": 20, "volume_l": 0.5}}], "vehicle": {{"capacity_l": 100, "max_trips": {cap}}}}}"#
        ));
        let plan = run_trips_round(&sc, &lg, &TripsOptions::default()).unwrap();
        assert_eq!(plan.trips.len(), cap, "{:?}", plan.trips);
        let x: Vec<_> = plan.plan.unmet.iter().filter(|u| u.item == "x").collect();
        assert!(!x.is_empty());
        assert!(x.iter().all(|u| u.reason == Reason::TripCap), "cap {cap}: {x:?}");
        // y takes no room in the van: it moves without trips, and none of it is unmet.
        assert!(plan.plan.unmet.iter().all(|u| u.item != "y"));
    }
    // With room to spare the cap is not the reason (and nothing of x is unmet).
    let lg = logistics(
        r#"{"items": [{"item": "x", "pack_size": 20, "volume_l": 0.5}], "vehicle": {"capacity_l": 100, "max_trips": 100}}"#,
    );
    let plan = run_trips_round(&sc, &lg, &TripsOptions::default()).unwrap();
    assert!(plan.plan.unmet.iter().all(|u| u.reason != Reason::TripCap));
}

fn allocnet(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_allocnet"))
        .args(args)
        .output()
        .unwrap()
}

#[test]
fn cli_refuses_two_logistics_sources_and_a_stray_time_limit() {
    let dir = std::env::temp_dir().join(format!("allocnet-hostile-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let sc = dir.join("scenario.json");
    std::fs::write(&sc, serde_json::to_string(&scenario(5000, 100.0)).unwrap()).unwrap();
    let lg = dir.join("logistics.json");
    std::fs::write(&lg, r#"{"items": [{"item": "x", "pack_size": 20}]}"#).unwrap();
    let (sc, lg) = (sc.to_str().unwrap(), lg.to_str().unwrap());
    let o = allocnet(&["county-round", sc, "--trips", "--logistics", lg]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        !o.status.success() && err.contains("--logistics") && err.contains("--trips"),
        "{err}"
    );
    let o = allocnet(&["county-round", sc, "--time-limit", "5"]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        !o.status.success() && err.contains("--logistics") && err.contains("--trips"),
        "{err}"
    );
    // --engine reaches the packs-alone path: the same plan from every exact engine.
    let json = |engine: &str| {
        let o = allocnet(&[
            "county-round",
            sc,
            "--logistics",
            lg,
            "--engine",
            engine,
            "--format",
            "json",
        ]);
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
        v["pack_shipments"].clone()
    };
    assert_eq!(json("simplex"), json("auto"));
    assert_eq!(json("cost-scaling"), json("auto"));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn counties_with_nothing_to_plan_give_an_empty_plan() {
    let lg = logistics(
        r#"{"items": [{"item": "x", "pack_size": 20, "volume_l": 0.5, "min_packs": 2}],
            "substitutes": [{"item": "y", "by": "x"}], "vehicle": {"capacity_l": 100}}"#,
    );
    // No need anywhere (HiGHS's model has no column: was a solver error `ModelEmpty`),
    // and no stock anywhere.
    let mut no_need = scenario(5000, 0.0);
    let mut no_stock = scenario(0, 100.0);
    for row in &mut no_need.status {
        row.consumption_per_day = 0.0;
    }
    for row in &mut no_stock.status {
        row.stock = 0;
    }
    for sc in [&no_need, &no_stock] {
        let plan = run_trips_round(sc, &lg, &TripsOptions::default()).unwrap();
        assert!(plan.plan.shipments.is_empty() && plan.trips.is_empty());
        let today = allocnet::process::run_county_round(sc, &Default::default()).unwrap();
        let report = allocnet::trips::trips_report(sc, &plan, &today);
        assert!(report.contains("km driven                 0.0      0.0"), "{report}");
    }
}
