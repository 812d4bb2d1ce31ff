//! The weekly simulator: stock conservation day by day, determinism, the meeting
//! calendar, lead times, and the audit log's replay.

use allocnet::model::synthetic::vastmanland_default;
use allocnet::process::audit::{replay, AuditLog, ReplayOutcome};
use allocnet::process::simulate::{simulate, Leg, Simulation, SimulationOptions};
use allocnet::process::Policy;
use std::collections::HashMap;

fn run(options: &SimulationOptions) -> Simulation {
    simulate(&vastmanland_default().unwrap(), options, &mut |_| Ok(())).unwrap()
}

fn options(weeks: u32, policy: Policy) -> SimulationOptions {
    SimulationOptions {
        weeks,
        policy,
        ..SimulationOptions::default()
    }
}

#[test]
fn stock_is_conserved_day_by_day() {
    for redistribution in [true, false] {
        let sim = run(&SimulationOptions {
            county_redistribution: redistribution,
            national_lead_days: 2,
            last_mile_lead_days: 1,
            ..options(2, Policy::Proportional)
        });
        let mut yesterday: HashMap<(String, String), i64> = HashMap::new();
        // Independent tallies from the shipment list.
        let mut county_in: HashMap<(u32, &str, &str), i64> = HashMap::new();
        let mut county_out: HashMap<(u32, &str, &str), i64> = HashMap::new();
        let mut national_in: HashMap<(u32, &str, &str), i64> = HashMap::new();
        for s in &sim.shipments {
            match s.leg {
                Leg::County => {
                    assert_eq!(s.arrives, s.day);
                    *county_in.entry((s.day, &s.to, &s.item)).or_default() += s.quantity;
                    *county_out.entry((s.day, &s.from, &s.item)).or_default() += s.quantity;
                }
                Leg::LastMile => {
                    assert_eq!(s.arrives, s.day + 3);
                    *national_in.entry((s.arrives, &s.to, &s.item)).or_default() += s.quantity;
                }
                Leg::National => assert_eq!(s.arrives, s.day + 2),
            }
        }
        if !redistribution {
            assert!(county_in.is_empty());
        }
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
            assert!(r.end >= 0 && r.consumed >= 0 && r.shortage >= 0);
            let k = (r.day, r.site.as_str(), r.item.as_str());
            assert_eq!(r.county_in, county_in.get(&k).copied().unwrap_or(0), "{r:?}");
            assert_eq!(r.county_out, county_out.get(&k).copied().unwrap_or(0), "{r:?}");
            assert_eq!(r.national_in, national_in.get(&k).copied().unwrap_or(0), "{r:?}");
            if r.shortage > 0 {
                assert_eq!(r.end, 0, "a shortage only when the stock runs out: {r:?}");
            }
            yesterday.insert(key, r.end);
        }
        // Every national unit leaves a warehouse once and reaches a site (or is still
        // on its way at the end).
        let national: i64 = sim
            .shipments
            .iter()
            .filter(|s| s.leg == Leg::National)
            .map(|s| s.quantity)
            .sum();
        let last_mile: i64 = sim
            .shipments
            .iter()
            .filter(|s| s.leg == Leg::LastMile)
            .map(|s| s.quantity)
            .sum();
        assert_eq!(national, last_mile);
        let arrived: i64 = sim.stock.iter().map(|r| r.national_in).sum();
        let in_transit: i64 = sim
            .shipments
            .iter()
            .filter(|s| s.leg == Leg::LastMile && s.arrives >= sim.summary.days)
            .map(|s| s.quantity)
            .sum();
        assert_eq!(arrived + in_transit, last_mile);
        // Shortages add up.
        let short: i64 = sim.stock.iter().map(|r| r.shortage).sum();
        assert_eq!(short, sim.summary.unmet_unit_days.iter().sum::<i64>());
        assert_eq!(short, sim.shortages.iter().map(|s| s.units).sum::<i64>());
    }
}

#[test]
fn meetings_follow_the_calendar_and_national_goods_flow() {
    let sim = run(&options(2, Policy::Optimal));
    assert_eq!(sim.summary.days, 14);
    assert_eq!(sim.summary.meetings, 6);
    let mut decision_days: Vec<u32> = sim.shipments.iter().map(|s| s.day).collect();
    decision_days.dedup();
    assert!(
        decision_days.iter().all(|d| [0, 2, 4].contains(&(d % 7))),
        "{decision_days:?}"
    );
    assert!(sim.shipments.iter().any(|s| s.leg == Leg::County));
    assert!(sim.shipments.iter().any(|s| s.leg == Leg::National));
    // National shipments go to the county's transshipment point.
    assert!(sim
        .shipments
        .iter()
        .filter(|s| s.leg == Leg::National)
        .all(|s| s.to == "omlastning-vasteras"));
    let one_meeting = run(&SimulationOptions {
        meeting_weekdays: vec![2],
        ..options(2, Policy::Optimal)
    });
    assert_eq!(one_meeting.summary.meetings, 2);
}

#[test]
fn same_input_same_simulation() {
    for policy in Policy::ALL {
        let a = run(&options(1, policy));
        let b = run(&options(1, policy));
        assert_eq!(a, b, "{policy:?}");
        assert!(a.summary.worst_fill_rate > 0.0 && a.summary.worst_fill_rate <= 1.0);
    }
}

#[test]
fn redistribution_and_national_stock_reduce_shortage() {
    let none = run(&SimulationOptions {
        county_redistribution: false,
        national_stock_days: 0.0,
        ..options(2, Policy::Optimal)
    });
    let both = run(&options(2, Policy::Optimal));
    let total = |s: &Simulation| s.summary.unmet_unit_days.iter().sum::<i64>();
    assert!(total(&both) < total(&none), "{} vs {}", total(&both), total(&none));
    assert!(none.shipments.is_empty());
}

#[test]
fn audit_log_replays_and_reports_a_tampered_line() {
    let mut buffer = Vec::new();
    let mut log = AuditLog::new(&mut buffer);
    let sim = simulate(&vastmanland_default().unwrap(), &options(1, Policy::MaxMin), &mut |r| {
        log.record(r)
    })
    .unwrap();
    assert_eq!(log.records(), 2 * u64::from(sim.summary.meetings));
    let text = String::from_utf8(buffer).unwrap();
    let lines = replay(&text, "log").unwrap();
    assert_eq!(lines.len(), 6);
    assert!(
        lines.iter().all(|l| l.outcome == ReplayOutcome::Reproduced),
        "{lines:?}"
    );
    assert_eq!(lines[1].round, "national");
    assert_eq!(lines[2].day, Some(2));

    // Tamper with the quantity of the first county shipment on line 3.
    let mut tampered: Vec<String> = text.lines().map(String::from).collect();
    let mut record: serde_json::Value = serde_json::from_str(&tampered[2]).unwrap();
    let q = record["plan"]["shipments"][0]["quantity"].as_i64().unwrap();
    record["plan"]["shipments"][0]["quantity"] = serde_json::json!(q + 1);
    tampered[2] = record.to_string();
    let lines = replay(&tampered.join("\n"), "log").unwrap();
    let differing: Vec<usize> = lines
        .iter()
        .filter(|l| l.outcome != ReplayOutcome::Reproduced)
        .map(|l| l.line)
        .collect();
    assert_eq!(differing, vec![3]);
    let ReplayOutcome::Differs { path, .. } = &lines[2].outcome else {
        panic!("{:?}", lines[2]);
    };
    assert_eq!(path, "plan.shipments[0].quantity");

    // A line that is not a record is a parse error with its line number.
    tampered[4] = "{not json".into();
    let err = replay(&tampered.join("\n"), "log").unwrap_err();
    assert!(err.to_string().contains('5'), "{err}");
}
