//! Hand-checkable national rounds: each policy on two counties with scarce stock,
//! delivery legs, conservation and input errors.

use allocnet::model::SiteKind;
use allocnet::process::national_round::{CountyDepot, ItemQuantity, Warehouse};
use allocnet::process::{
    run_national_round, CountyRequest, NationalPlan, NationalRound, Policy, RequestItem, RequestLine,
};
use allocnet::Error;

mod common;
use common::site;

fn depot(county: &str, population: i64, lat: f64) -> CountyDepot {
    CountyDepot {
        county: county.into(),
        name: format!("County {county}"),
        population,
        transshipment: site(&format!("tp{county}"))
            .county(county)
            .kind(SiteKind::TransshipmentPoint)
            .at(lat, 16.0)
            .build(),
    }
}

fn line(site: &str, classes: &[(&str, i64)]) -> RequestLine {
    RequestLine {
        site: site.into(),
        site_name: site.into(),
        kind: "municipality".into(),
        quantity: classes.iter().map(|c| c.1).sum(),
        by_priority: classes.iter().map(|(c, q)| ((*c).to_string(), *q)).collect(),
    }
}

fn request(county: &str, lines: Vec<RequestLine>) -> CountyRequest {
    CountyRequest {
        county: county.into(),
        synthetic: true,
        items: vec![RequestItem {
            item: "mask".into(),
            item_name: "Mask".into(),
            unit: "pieces".into(),
            total: lines.iter().map(|l| l.quantity).sum(),
            sites: lines,
        }],
    }
}

fn warehouse(id: &str, lat: f64, stock: i64) -> Warehouse {
    Warehouse {
        site: site(id)
            .county("00")
            .kind(SiteKind::NationalWarehouse)
            .at(lat, 16.0)
            .build(),
        stock: vec![ItemQuantity {
            item: "mask".into(),
            quantity: stock,
        }],
    }
}

/// County A (population 1000) asks 100 in class `a_class`, county B (population 3000)
/// asks 50 in class `b_class`; one warehouse holds `stock`.
fn two_counties(stock: i64, a_class: &str, b_class: &str) -> NationalRound {
    NationalRound {
        priority_classes: vec!["hi".into(), "lo".into()],
        counties: vec![depot("A", 1000, 59.0), depot("B", 3000, 61.0)],
        warehouses: vec![warehouse("nat", 60.0, stock)],
        requests: vec![
            request("A", vec![line("a1", &[(a_class, 100)])]),
            request("B", vec![line("b1", &[(b_class, 50)])]),
        ],
        sites: vec![
            site("a1")
                .county("A")
                .kind(SiteKind::Municipality)
                .at(59.1, 16.0)
                .build(),
            site("b1")
                .county("B")
                .kind(SiteKind::Municipality)
                .at(61.1, 16.0)
                .build(),
        ],
        detour_factor: 1.0,
    }
}

fn approved(plan: &NationalPlan) -> Vec<(String, i64)> {
    plan.allocations
        .iter()
        .map(|a| (a.county.clone(), a.approved))
        .collect()
}

fn pairs(v: &[(&str, i64)]) -> Vec<(String, i64)> {
    v.iter().map(|(c, q)| ((*c).to_string(), *q)).collect()
}

#[test]
fn proportional_gives_equal_fractions() {
    let plan = run_national_round(&two_counties(60, "hi", "lo"), Policy::Proportional).unwrap();
    assert_eq!(approved(&plan), pairs(&[("A", 40), ("B", 20)]));
    assert!(plan.allocations.iter().all(|a| (a.fraction - 0.4).abs() < 1e-12));
    // 61 units: 40.67 and 20.33 -> the larger remainder (A) gets the extra unit, even
    // though B's need has the higher priority.
    let plan = run_national_round(&two_counties(61, "lo", "hi"), Policy::Proportional).unwrap();
    assert_eq!(approved(&plan), pairs(&[("A", 41), ("B", 20)]));
}

#[test]
fn max_min_equalises_then_follows_priority() {
    let plan = run_national_round(&two_counties(60, "hi", "lo"), Policy::MaxMin).unwrap();
    assert_eq!(approved(&plan), pairs(&[("A", 40), ("B", 20)]));
    assert!((plan.items[0].min_fraction - 0.4).abs() < 1e-12);
    // floors 40 and 20; the extra unit goes to the higher priority (B).
    let plan = run_national_round(&two_counties(61, "lo", "hi"), Policy::MaxMin).unwrap();
    assert_eq!(approved(&plan), pairs(&[("A", 40), ("B", 21)]));
    // Enough for all: everyone gets everything.
    let plan = run_national_round(&two_counties(500, "lo", "hi"), Policy::MaxMin).unwrap();
    assert_eq!(approved(&plan), pairs(&[("A", 100), ("B", 50)]));
    assert_eq!(plan.stock_after[0].after, 350);
}

#[test]
fn optimal_follows_priority() {
    let plan = run_national_round(&two_counties(60, "lo", "hi"), Policy::Optimal).unwrap();
    assert_eq!(approved(&plan), pairs(&[("A", 10), ("B", 50)]));
    assert_eq!(plan.items[0].acute_unmet, vec![0, 90]);
    let plan = run_national_round(&two_counties(60, "hi", "lo"), Policy::Optimal).unwrap();
    assert_eq!(approved(&plan), pairs(&[("A", 60), ("B", 0)]));
    assert_eq!(plan.items[0].acute_unmet, vec![40, 50]);
    assert_eq!(plan.items[0].min_fraction, 0.0);
}

#[test]
fn optimal_within_one_class_takes_the_nearer_county() {
    // Both in the same class; the warehouse is at 59.5: A's depot (59.0) is nearer than
    // B's (61.0), so the scarce 60 units go to A.
    let mut round = two_counties(60, "hi", "hi");
    round.warehouses = vec![warehouse("nat", 59.5, 60)];
    let plan = run_national_round(&round, Policy::Optimal).unwrap();
    assert_eq!(approved(&plan), pairs(&[("A", 60), ("B", 0)]));
}

#[test]
fn population_follows_population() {
    let plan = run_national_round(&two_counties(60, "hi", "lo"), Policy::Population).unwrap();
    assert_eq!(approved(&plan), pairs(&[("A", 15), ("B", 45)]));
    // B's share (75 of 100) is capped at its request 50; A gets the rest.
    let plan = run_national_round(&two_counties(100, "hi", "lo"), Policy::Population).unwrap();
    assert_eq!(approved(&plan), pairs(&[("A", 50), ("B", 50)]));
}

#[test]
fn each_county_is_served_from_the_nearer_warehouse() {
    let mut round = two_counties(1000, "hi", "hi");
    round.warehouses = vec![warehouse("north", 61.2, 1000), warehouse("south", 58.8, 1000)];
    let plan = run_national_round(&round, Policy::Optimal).unwrap();
    let legs: Vec<(&str, &str, i64)> = plan
        .national_shipments
        .iter()
        .map(|s| (s.from.as_str(), s.to.as_str(), s.quantity))
        .collect();
    assert_eq!(legs, vec![("north", "tpB", 50), ("south", "tpA", 100)]);
    // 0.2 degrees of latitude ≈ 22.2 km.
    assert!(
        plan.national_shipments.iter().all(|s| (s.km - 22.2).abs() < 0.11),
        "{plan:?}"
    );
}

#[test]
fn last_mile_serves_higher_class_first_then_nearest_site() {
    let round = NationalRound {
        priority_classes: vec!["hi".into(), "lo".into()],
        counties: vec![depot("A", 1000, 59.0)],
        warehouses: vec![warehouse("nat", 60.0, 25)],
        requests: vec![request(
            "A",
            vec![
                line("far", &[("hi", 10), ("lo", 10)]),
                line("near", &[("lo", 10)]),
                line("mid", &[("lo", 10)]),
            ],
        )],
        sites: vec![
            site("far")
                .county("A")
                .kind(SiteKind::Municipality)
                .at(59.5, 16.0)
                .build(),
            site("near")
                .county("A")
                .kind(SiteKind::Municipality)
                .at(59.1, 16.0)
                .build(),
            site("mid")
                .county("A")
                .kind(SiteKind::Municipality)
                .at(59.2, 16.0)
                .build(),
        ],
        detour_factor: 1.3,
    };
    for policy in Policy::ALL {
        let plan = run_national_round(&round, policy).unwrap();
        let miles: Vec<(&str, i64)> = plan.last_mile.iter().map(|s| (s.to.as_str(), s.quantity)).collect();
        // 10 for far's "hi", then "lo" nearest first: near 10, mid 5.
        assert_eq!(miles, vec![("far", 10), ("near", 10), ("mid", 5)], "{policy:?}");
        assert!(plan.last_mile.iter().all(|s| s.from == "tpA"));
        let unmet: Vec<(&str, &str, i64)> = plan
            .unmet
            .iter()
            .map(|u| (u.site.as_str(), u.priority.as_str(), u.unmet))
            .collect();
        assert_eq!(unmet, vec![("far", "lo", 10), ("mid", "lo", 5)]);
    }
}

#[test]
fn conservation_for_every_policy() {
    // Three counties, several sites and classes, two warehouses, many stock levels.
    for stock in [0, 1, 7, 33, 60, 99, 150, 1000] {
        let mut round = two_counties(stock, "hi", "lo");
        round.counties.push(depot("C", 500, 63.0));
        round.sites.push(
            site("c1")
                .county("C")
                .kind(SiteKind::Municipality)
                .at(63.2, 16.5)
                .build(),
        );
        round.sites.push(
            site("c2")
                .county("C")
                .kind(SiteKind::Municipality)
                .at(62.9, 15.5)
                .build(),
        );
        round.requests.push(request(
            "C",
            vec![line("c1", &[("hi", 7), ("lo", 3)]), line("c2", &[("lo", 13)])],
        ));
        round.warehouses.push(warehouse("w2", 62.0, stock / 3));
        let total_stock = stock + stock / 3;
        for policy in Policy::ALL {
            let plan = run_national_round(&round, policy).unwrap();
            let approved: i64 = plan.allocations.iter().map(|a| a.approved).sum();
            assert!(approved <= total_stock, "{policy:?} {stock}");
            assert_eq!(approved, total_stock.min(173), "{policy:?} uses all it can");
            for a in &plan.allocations {
                assert!(a.approved >= 0 && a.approved <= a.requested, "{a:?}");
                let shipped: i64 = plan
                    .national_shipments
                    .iter()
                    .filter(|s| s.to == format!("tp{}", a.county))
                    .map(|s| s.quantity)
                    .sum();
                let delivered: i64 = plan
                    .last_mile
                    .iter()
                    .filter(|s| s.from == format!("tp{}", a.county))
                    .map(|s| s.quantity)
                    .sum();
                assert_eq!((shipped, delivered), (a.approved, a.approved), "{policy:?} {a:?}");
            }
            let unmet: i64 = plan.unmet.iter().map(|u| u.unmet).sum();
            assert_eq!(unmet + approved, 173);
            for s in &plan.stock_after {
                assert_eq!(s.after, s.before - s.sent);
                assert!(s.after >= 0);
            }
            assert_eq!(plan.items[0].acute_unmet.iter().sum::<i64>(), unmet);
            // Deterministic.
            assert_eq!(run_national_round(&round, policy).unwrap(), plan);
        }
    }
}

#[test]
fn bad_input_is_an_error_naming_the_place() {
    let mut round = two_counties(60, "hi", "lo");
    round.requests[1].county = "Z".into();
    round.requests[0].items[0].sites[0].by_priority[0].0 = "nope".into();
    round.warehouses[0].stock[0].quantity = -1;
    let Err(Error::Invalid(errors)) = run_national_round(&round, Policy::Optimal) else {
        panic!("expected Invalid");
    };
    let text: Vec<String> = errors.iter().map(|e| e.to_string()).collect();
    let joined = text.join("\n");
    assert!(joined.contains("requests[1].county"), "{joined}");
    assert!(joined.contains("requests[0].items[0].sites[0].by_priority"), "{joined}");
    assert!(joined.contains("warehouses[0].stock[0].quantity"), "{joined}");
}

/// The problems of `round` as `path: message` lines.
fn problems(round: &NationalRound) -> String {
    match run_national_round(round, Policy::Optimal) {
        Err(Error::Invalid(errors)) => errors.iter().map(|e| e.to_string()).collect::<Vec<_>>().join("\n"),
        other => panic!("expected Invalid, got {other:?}"),
    }
}

#[test]
fn population_ties_go_to_the_earlier_county_in_request_order() {
    // Quotas 4/3, 4/3, 1/3 of 3 units: an exact three-way tie for the unit left after
    // the whole parts; it goes to the first county of the requests array. In floating
    // point 4/3 − 1 < 1/3 and the unit went to C.
    let mut round = two_counties(3, "hi", "hi");
    round.counties = vec![
        depot("A", 400_000, 59.0),
        depot("B", 400_000, 61.0),
        depot("C", 100_000, 63.0),
    ];
    round.sites.push(
        site("c1")
            .county("C")
            .kind(SiteKind::Municipality)
            .at(63.1, 16.0)
            .build(),
    );
    round.requests = vec![
        request("A", vec![line("a1", &[("hi", 5)])]),
        request("B", vec![line("b1", &[("hi", 2)])]),
        request("C", vec![line("c1", &[("hi", 2)])]),
    ];
    let plan = run_national_round(&round, Policy::Population).unwrap();
    assert_eq!(approved(&plan), pairs(&[("A", 2), ("B", 1), ("C", 0)]));
    // Request order, not county order: B first now gets the tied unit.
    round.requests.swap(0, 1);
    let plan = run_national_round(&round, Policy::Population).unwrap();
    assert_eq!(approved(&plan), pairs(&[("B", 2), ("A", 1), ("C", 0)]));
}

#[test]
fn population_all_zero_splits_equally() {
    let mut round = two_counties(61, "hi", "lo");
    round.counties = vec![depot("A", 0, 59.0), depot("B", 0, 61.0)];
    let plan = run_national_round(&round, Policy::Population).unwrap();
    assert_eq!(approved(&plan), pairs(&[("A", 31), ("B", 30)]));
}

#[test]
fn request_total_must_be_the_sum_of_its_sites() {
    let mut round = two_counties(60, "hi", "lo");
    round.requests[1].items[0].total = 2050;
    let text = problems(&round);
    assert_eq!(
        text,
        "requests[1].items[0].total: 50 expected (the sum of its sites), got 2050"
    );
}

#[test]
fn a_site_twice_in_one_request_is_an_error() {
    let mut round = two_counties(60, "hi", "lo");
    round.requests[0] = request("A", vec![line("a1", &[("hi", 60)]), line("a1", &[("lo", 40)])]);
    let text = problems(&round);
    assert_eq!(
        text,
        "requests[0].items[0].sites[1].site: site 'a1' is listed twice in this request (also sites[0])"
    );
}

#[test]
fn a_site_of_another_county_is_an_error() {
    let mut round = two_counties(60, "hi", "lo");
    round.requests[0] = request("A", vec![line("b1", &[("hi", 100)])]);
    let text = problems(&round);
    assert_eq!(
        text,
        "requests[0].items[0].sites[0].site: site 'b1' belongs to county 'B', not to the requesting county 'A'"
    );
}

#[test]
fn duplicate_warehouses_and_stock_entries_are_errors() {
    let mut round = two_counties(60, "hi", "lo");
    round.warehouses.push(warehouse("nat", 62.0, 5));
    let mut second = round.warehouses[0].stock[0].clone();
    second.quantity = 7;
    round.warehouses[0].stock.push(second);
    let text = problems(&round);
    assert_eq!(
        text,
        "warehouses[1].site.id: duplicate warehouse id 'nat' (also warehouses[0])\n\
         warehouses[0].stock[1].item: duplicate stock entry of item 'mask' (also warehouses[0].stock[0])"
    );
}

#[test]
fn negative_population_is_an_invalid_value() {
    let mut round = two_counties(60, "hi", "lo");
    let mut json = serde_json::to_value(&round).unwrap();
    json["counties"][1]["population"] = serde_json::json!(-5);
    round = serde_json::from_value(json).unwrap();
    let text = problems(&round);
    assert_eq!(text, "counties[1].population: must be >= 0, got -5");
    assert!(matches!(round.validate(), Err(Error::Invalid(_))));
}

#[test]
fn duplicate_county_codes_and_site_ids_are_errors() {
    let mut round = two_counties(60, "hi", "lo");
    round.counties.push(depot("A", 10, 62.0));
    round.sites.push(
        site("b1")
            .county("B")
            .kind(SiteKind::Municipality)
            .at(61.2, 16.0)
            .build(),
    );
    let text = problems(&round);
    assert_eq!(
        text,
        "counties[2].county: duplicate county code 'A' (also counties[0])\n\
         sites[2].id: duplicate site id 'b1' (also sites[1])"
    );
}
