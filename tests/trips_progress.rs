//! Progress and cancellation of the county round with logistics data
//! (`run_trips_round_with`): one call per finished part, the total known up front, a
//! cancel flag that stops the round with an error, and the same plan as
//! `run_trips_round`.

use allocnet::model::synthetic::sweden;
use allocnet::model::Scenario;
use allocnet::trips::{
    builtin_logistics, run_trips_round, run_trips_round_with, trips_round_parts, Logistics, TripsOptions,
};
use allocnet::Error;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Mutex;

/// The built-in Sweden scenario restricted to two small counties, Blekinge (10, five
/// municipalities) and Halland (13, six): two parts of the lane graph.
fn two_counties() -> Scenario {
    let mut scenario = sweden(2020).unwrap();
    scenario.sites.retain(|s| s.county == "10" || s.county == "13");
    let kept: Vec<String> = scenario.sites.iter().map(|s| s.id.clone()).collect();
    scenario.status.retain(|s| kept.contains(&s.site));
    scenario.name = "Blekinge and Halland, synthetic status".into();
    scenario
}

#[test]
fn progress_is_called_once_per_part_out_of_the_total_and_the_plan_is_unchanged() {
    let scenario = two_counties();
    let logistics = builtin_logistics();
    let total = trips_round_parts(&scenario, &logistics).unwrap();
    assert_eq!(total, 2, "two counties, two parts");
    let calls = Mutex::new(Vec::new());
    let never = AtomicBool::new(false);
    let options = TripsOptions::default();
    let watched = run_trips_round_with(
        &scenario,
        &logistics,
        &options,
        &|n| calls.lock().unwrap().push(n),
        &never,
    )
    .unwrap();
    assert_eq!(calls.into_inner().unwrap(), vec![1; total]);
    let plain = run_trips_round(&scenario, &logistics, &options).unwrap();
    assert_eq!(watched, plain);
    let counties: Vec<&str> = watched.levels.iter().map(|l| l.county.as_str()).collect();
    assert!(counties.contains(&"10") && counties.contains(&"13"), "{counties:?}");
}

#[test]
fn a_round_without_the_mip_is_one_part() {
    let scenario = two_counties();
    let logistics = Logistics::default();
    assert_eq!(trips_round_parts(&scenario, &logistics).unwrap(), 1);
    let calls = AtomicUsize::new(0);
    let never = AtomicBool::new(false);
    let options = TripsOptions::default();
    let watched = run_trips_round_with(
        &scenario,
        &logistics,
        &options,
        &|n| {
            calls.fetch_add(n, Ordering::Relaxed);
        },
        &never,
    )
    .unwrap();
    assert_eq!(calls.load(Ordering::Relaxed), 1);
    assert_eq!(watched, run_trips_round(&scenario, &logistics, &options).unwrap());
}

#[test]
fn a_cancel_flag_set_before_the_round_gives_the_cancelled_error() {
    let scenario = two_counties();
    let stop = AtomicBool::new(true);
    for logistics in [builtin_logistics(), Logistics::default()] {
        let calls = AtomicUsize::new(0);
        let out = run_trips_round_with(
            &scenario,
            &logistics,
            &TripsOptions::default(),
            &|n| {
                calls.fetch_add(n, Ordering::Relaxed);
            },
            &stop,
        );
        match out {
            Err(Error::Cancelled(message)) => {
                assert!(message.contains("after 0 of"), "{message}");
            }
            other => panic!("expected the cancelled error, got {other:?}"),
        }
        assert_eq!(calls.load(Ordering::Relaxed), 0, "no part was solved");
    }
}

#[test]
fn a_cancel_during_the_round_stops_it_with_an_error_not_a_partial_plan() {
    let scenario = two_counties();
    let stop = AtomicBool::new(false);
    let pool = rayon::ThreadPoolBuilder::new().num_threads(1).build().unwrap();
    // One thread: the parts run one after the other; the first one finished sets the flag.
    let out = pool.install(|| {
        run_trips_round_with(
            &scenario,
            &builtin_logistics(),
            &TripsOptions::default(),
            &|_| stop.store(true, Ordering::Relaxed),
            &stop,
        )
    });
    let err = out.expect_err("a cancelled round has no plan");
    assert!(matches!(err, Error::Cancelled(_)), "{err:?}");
    assert_eq!(
        err.to_string(),
        "cancelled: the trips round after 1 of 2 parts; no plan was made"
    );
}

#[test]
fn the_parts_of_bad_logistics_data_are_the_rounds_error() {
    let scenario = two_counties();
    let mut logistics = builtin_logistics();
    logistics.items[0].pack_size = 0;
    let err = trips_round_parts(&scenario, &logistics).unwrap_err();
    let round = run_trips_round(&scenario, &logistics, &TripsOptions::default()).unwrap_err();
    assert_eq!(err.to_string(), round.to_string());
    assert!(err.to_string().contains("pack_size"), "{err}");
}
