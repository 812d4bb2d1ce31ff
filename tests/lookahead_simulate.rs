//! The rolling-horizon simulator: the lookahead mode conserves stock day by day and is
//! deterministic; without the new options the simulation is unchanged; the forecast
//! error is seeded and the same in both modes.

use allocnet::lookahead::rolling::{forecast_noise, RoundMode};
use allocnet::model::synthetic::vastmanland_default;
use allocnet::process::simulate::{simulate, Leg, Simulation, SimulationOptions};
use std::collections::HashMap;

fn run(options: &SimulationOptions) -> Simulation {
    simulate(&vastmanland_default().unwrap(), options, &mut |_| Ok(())).unwrap()
}

fn lookahead(weeks: u32, error: f64) -> SimulationOptions {
    SimulationOptions {
        weeks,
        round_mode: RoundMode::Lookahead,
        forecast_error: error,
        weekly_supply_days: 3.0,
        ..SimulationOptions::default()
    }
}

#[test]
fn lookahead_mode_conserves_stock_and_is_deterministic() {
    let sim = run(&lookahead(2, 0.3));
    let mut county_in: HashMap<(u32, &str, &str), i64> = HashMap::new();
    let mut county_out: HashMap<(u32, &str, &str), i64> = HashMap::new();
    for s in sim.shipments.iter().filter(|s| s.leg == Leg::County) {
        assert_eq!(s.arrives, s.day);
        *county_in.entry((s.day, &s.to, &s.item)).or_default() += s.quantity;
        *county_out.entry((s.day, &s.from, &s.item)).or_default() += s.quantity;
    }
    assert!(!county_in.is_empty(), "the lookahead rounds ship something");
    let mut yesterday: HashMap<(String, String), i64> = HashMap::new();
    for r in &sim.stock {
        let key = (r.site.clone(), r.item.clone());
        if let Some(&prev) = yesterday.get(&key) {
            assert_eq!(r.start, prev, "{r:?}");
        }
        assert_eq!(
            r.end,
            r.start + r.normal_in + r.national_in + r.county_in - r.county_out - r.consumed,
            "{r:?}"
        );
        let k = (r.day, r.site.as_str(), r.item.as_str());
        assert_eq!(r.county_in, county_in.get(&k).copied().unwrap_or(0), "{r:?}");
        assert_eq!(r.county_out, county_out.get(&k).copied().unwrap_or(0), "{r:?}");
        assert!(r.end >= 0 && r.consumed >= 0 && r.shortage >= 0);
        yesterday.insert(key, r.end);
    }
    let again = run(&lookahead(2, 0.3));
    assert_eq!(sim.shipments, again.shipments);
    assert_eq!(sim.summary.unmet_unit_days, again.summary.unmet_unit_days);
}

#[test]
fn forecast_error_is_seeded_and_zero_means_none() {
    assert_eq!(forecast_noise(1, 0.0, 3, 4), 1.0);
    let a: Vec<f64> = (0..2000).map(|d| forecast_noise(7, 0.2, 1, d)).collect();
    let b: Vec<f64> = (0..2000).map(|d| forecast_noise(7, 0.2, 1, d)).collect();
    assert_eq!(a, b);
    assert!(a.iter().all(|&x| x >= 0.0));
    let mean = a.iter().sum::<f64>() / a.len() as f64;
    let sd = (a.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / a.len() as f64).sqrt();
    assert!((mean - 1.0).abs() < 0.03 && (sd - 0.2).abs() < 0.03, "{mean} {sd}");
    // The error changes what is consumed; myopic and lookahead see the same demand:
    // with no county lanes in either, the two modes give the same simulation.
    let myopic = SimulationOptions {
        county_redistribution: false,
        ..lookahead(1, 0.3)
    };
    let no_lanes_lookahead = run(&myopic);
    let no_lanes_myopic = run(&SimulationOptions {
        round_mode: RoundMode::Myopic,
        ..myopic.clone()
    });
    assert_eq!(no_lanes_lookahead.stock, no_lanes_myopic.stock);
    let exact = run(&SimulationOptions {
        forecast_error: 0.0,
        ..myopic
    });
    assert_ne!(exact.stock, no_lanes_myopic.stock);
}

#[test]
fn bad_simulation_options_name_the_field() {
    let options = SimulationOptions {
        lookahead_days: 0,
        forecast_error: -0.5,
        ..SimulationOptions::default()
    };
    let err = options.check().unwrap_err().to_string();
    assert!(
        err.contains("lookahead_days: must be between 1 and 366, got 0"),
        "{err}"
    );
    assert!(
        err.contains("forecast_error: must be a finite number >= 0, got -0.5"),
        "{err}"
    );
}
