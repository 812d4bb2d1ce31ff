//! Västmanland with the built-in SYNTHETIC logistics data under each
//! `substitutes_rank`: the levels (value, status, gap), the trips, vehicle km,
//! substitute units and unmet need, and the time of one round.
//! `cargo run --release --example substitutes_rank -- DIR` also writes the logistics
//! JSON of each rank to `DIR/logistics_<rank>.json` (for `county-round --logistics`).
use allocnet::model::synthetic::vastmanland_default;
use allocnet::trips::{builtin_logistics, run_trips_round, SubstitutesRank, TripsOptions};
use std::time::Instant;

fn main() {
    let sc = vastmanland_default().unwrap();
    let dir = std::env::args().nth(1);
    for rank in SubstitutesRank::NAMES {
        let lg = allocnet::trips::Logistics {
            substitutes_rank: Some(rank.to_string()),
            ..builtin_logistics()
        };
        if let Some(dir) = &dir {
            let path = std::path::Path::new(dir).join(format!("logistics_{rank}.json"));
            std::fs::write(&path, serde_json::to_string_pretty(&lg).unwrap()).unwrap();
        }
        let clock = Instant::now();
        let out = run_trips_round(&sc, &lg, &TripsOptions::default()).unwrap();
        let seconds = clock.elapsed().as_secs_f64();
        let acute: i64 = out
            .plan
            .objective
            .iter()
            .map(|o| o.acute_unmet.iter().sum::<i64>())
            .sum();
        let planning: i64 = out.plan.objective.iter().map(|o| o.planning_unmet).sum();
        let km: f64 = out.trips.iter().map(|t| t.km).sum();
        println!(
            "{rank}: {} trips, {km:.1} vehicle km, acute unmet {acute}, planning unmet {planning} ({seconds:.2} s)",
            out.trips.len()
        );
        for l in &out.levels {
            println!(
                "  {} {:<22} {:>10} {:?} gap {:.4}",
                l.rank, l.level, l.value, l.status, l.gap
            );
        }
    }
}
