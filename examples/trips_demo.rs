//! Prints Västmanland today vs with packs, trips and substitutes (synthetic data).
//! `cargo run --release --example trips_demo -- sweden`: all 21 counties with the
//! built-in logistics data instead (the time and the levels that are not proven optimal);
//! `-- sweden 2000000` with that LP work limit per level (`MipOptions::max_lp_work`)
//! instead of the default.
use allocnet::model::synthetic::{sweden, vastmanland_default};
use allocnet::process::{run_county_round, RoundOptions};
use allocnet::trips::{builtin_logistics, run_trips_round, Logistics, TripsOptions};
use std::time::Instant;

fn summary(name: &str, plan: &allocnet::process::Plan, trips: usize, ms: f64) {
    let acute: i64 = plan.objective.iter().map(|o| o.acute_unmet.iter().sum::<i64>()).sum();
    let planning: i64 = plan.objective.iter().map(|o| o.planning_unmet).sum();
    let km: f64 = plan.shipments.iter().map(|s| s.km).sum();
    println!("{name}: shipments {} trips {trips} shipment-km {km:.1} acute unmet {acute} planning unmet {planning} ({ms:.1} ms)", plan.shipments.len());
    let per_item: Vec<String> = plan
        .objective
        .iter()
        .map(|o| format!("{}={}", o.item, o.acute_unmet.iter().sum::<i64>()))
        .collect();
    println!("  acute unmet per item: {}", per_item.join(" "));
}

fn main() {
    if std::env::args().nth(1).as_deref() == Some("sweden") {
        let mut options = TripsOptions::default();
        if let Some(work) = std::env::args().nth(2) {
            match work.parse() {
                Ok(w) if w >= 1 => options.mip.max_lp_work = w,
                _ => {
                    eprintln!("error: the LP work limit: expected a whole number >= 1, got {work:?}");
                    std::process::exit(2);
                }
            }
        }
        sweden_counties(&options);
        return;
    }
    let sc = vastmanland_default().unwrap();
    let t = Instant::now();
    let today = run_county_round(&sc, &RoundOptions::default()).unwrap();
    summary("today", &today, 0, t.elapsed().as_secs_f64() * 1e3);
    let full = builtin_logistics();
    let packs_only = Logistics {
        substitutes: vec![],
        vehicle: None,
        items: full
            .items
            .iter()
            .cloned()
            .map(|mut i| {
                i.min_packs = 0;
                i
            })
            .collect(),
        synthetic: true,
        substitutes_rank: None,
    };
    let t = Instant::now();
    let p = run_trips_round(&sc, &packs_only, &TripsOptions::default()).unwrap();
    summary("packs", &p.plan, 0, t.elapsed().as_secs_f64() * 1e3);
    let t = Instant::now();
    let f = run_trips_round(&sc, &full, &TripsOptions::default()).unwrap();
    summary(
        "packs+trips+substitutes",
        &f.plan,
        f.trips.len(),
        t.elapsed().as_secs_f64() * 1e3,
    );
    for l in &f.levels {
        println!(
            "  {} {} {} {:?} {} gap {:.4}",
            l.county, l.rank, l.level, l.status, l.value, l.gap
        );
    }
    let km: f64 = f.trips.iter().map(|t| t.km).sum();
    println!("  vehicle km {km:.1}");
    for t in &f.trips {
        println!(
            "  {} -> {} #{} {} ({:.1}%, {} km)",
            t.from, t.to, t.vehicle, t.items, t.load_pct, t.km
        );
    }
}

/// All 21 counties (synthetic Sweden) with the built-in logistics data.
fn sweden_counties(options: &TripsOptions) {
    let sc = sweden(2020).unwrap();
    let t = Instant::now();
    let f = run_trips_round(&sc, &builtin_logistics(), options).unwrap();
    let ms = t.elapsed().as_secs_f64() * 1e3;
    summary("sweden packs+trips+substitutes", &f.plan, f.trips.len(), ms);
    for l in f
        .levels
        .iter()
        .filter(|l| l.status != allocnet::trips::SolveStatus::Optimal)
    {
        let stop = l.stopped_by.map_or("-", |s| s.as_str());
        println!(
            "  {} {} {:?} ({stop}) {} gap {:.4}",
            l.county, l.level, l.status, l.value, l.gap
        );
    }
}
