//! The national round on all of Sweden: the county round's requests of 21 counties,
//! the synthetic national warehouses, every policy, and how the policies compare.

use allocnet::model::synthetic::sweden;
use allocnet::process::national_round::default_depots;
use allocnet::process::simulate::default_warehouses;
use allocnet::process::{run_county_round, run_national_round, NationalRound, Policy, RoundOptions};

#[test]
fn policies_on_all_of_sweden() {
    let scenario = sweden(7).unwrap();
    let plan = run_county_round(&scenario, &RoundOptions::default()).unwrap();
    assert!(plan.requests.len() > 10, "{} counties request", plan.requests.len());
    let depots = default_depots(&scenario).unwrap();
    assert_eq!(depots.len(), 21);
    assert!(depots.iter().all(|d| d.transshipment.id == format!("tp-{}", d.county)));
    let round = NationalRound {
        priority_classes: plan.priority_classes.clone(),
        counties: depots,
        warehouses: default_warehouses(&scenario, 0.2), // scarce: 0.2 days of consumption
        requests: plan.requests.clone(),
        sites: scenario.sites.clone(),
        detour_factor: scenario.parameters.detour_factor,
    };
    let plans: Vec<_> = Policy::ALL
        .iter()
        .map(|&p| run_national_round(&round, p).unwrap())
        .collect();
    let [optimal, proportional, max_min, population] = &plans[..] else {
        unreachable!()
    };
    for (i, item) in optimal.items.iter().enumerate() {
        assert!(item.approved <= item.stock && item.approved <= item.requested);
        // Every policy hands out as much as it can.
        for p in &plans {
            assert_eq!(p.items[i].approved, item.stock.min(item.requested), "{:?}", p.policy);
        }
        // Optimal is lexicographically best on unmet acute need by class.
        for p in &plans {
            assert!(
                item.acute_unmet <= p.items[i].acute_unmet,
                "{:?} item {}",
                p.policy,
                item.item
            );
        }
        // Proportional: every county within one unit of the same fraction.
        let fraction = item.approved as f64 / item.requested as f64;
        for a in proportional.allocations.iter().filter(|a| a.item == item.item) {
            assert!((a.approved as f64 - fraction * a.requested as f64).abs() < 1.0, "{a:?}");
        }
        // Max-min: its smallest fraction is at least the proportional floor.
        for a in max_min.allocations.iter().filter(|a| a.item == item.item) {
            assert!(
                a.approved >= (fraction * a.requested as f64 - 1e-9).floor() as i64,
                "{a:?}"
            );
        }
        assert!(max_min.items[i].min_fraction >= population.items[i].min_fraction - 1e-12);
    }
    // National shipments go to transshipment points, the last mile to municipalities.
    assert!(optimal.national_shipments.iter().all(|s| s.to.starts_with("tp-")));
    assert!(optimal
        .last_mile
        .iter()
        .all(|s| s.from.starts_with("tp-") && s.to.len() == 4));
}
