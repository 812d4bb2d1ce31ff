//! What the testing plan accepts and how it reads it (issue 18 §3, issue 12): unknown
//! keys, the detour factor's range, kits for a test type the site does not offer,
//! zero-capacity sites and ties for the last candidate slot.

use allocnet::test_capacity::synthetic::vastmanland_testing;
use allocnet::test_capacity::{
    default_groups, plan_testing, Demand, Kits, LabCapacity, Laboratory, SamplingKind, SamplingSite, TestType,
    TestingMunicipality, TestingParameters, TestingScenario, UnmetReason, Weekday,
};
use allocnet::Error;

fn muni(id: &str, lon: f64) -> TestingMunicipality {
    TestingMunicipality {
        id: id.into(),
        name: format!("Town {id}"),
        county: "C".into(),
        lat: 0.0,
        lon,
    }
}

/// A PCR site open one day a week at `(0, lon)`.
fn site(id: &str, lon: f64, capacity: i64, kits: i64) -> SamplingSite {
    SamplingSite {
        id: id.into(),
        name: format!("Site {id}"),
        address: format!("Street 1, {id}"),
        kind: SamplingKind::DriveIn,
        county: "C".into(),
        lat: 0.0,
        lon,
        capacity_per_day: capacity,
        test_types: vec![TestType::Pcr],
        opening_days: vec![Weekday::Mon],
        kits: Kits { pcr: kits, serology: 0 },
    }
}

fn one_town(sites: Vec<SamplingSite>, tests: i64, candidates: usize) -> TestingScenario {
    TestingScenario {
        name: "input".into(),
        week: String::new(),
        synthetic: true,
        groups: default_groups(),
        municipalities: vec![muni("a", 0.0)],
        demand: vec![Demand {
            municipality: "a".into(),
            group: "public".into(),
            test_type: TestType::Pcr,
            tests_per_week: tests,
        }],
        sites,
        labs: vec![Laboratory {
            id: "l".into(),
            name: "Lab".into(),
            county: "C".into(),
            lat: 0.0,
            lon: 0.0,
            capacity: vec![LabCapacity {
                test_type: TestType::Pcr,
                analyses_per_day: 1000,
                pooling: 1,
            }],
            opening_days: vec![Weekday::Mon],
        }],
        stores: Vec::new(),
        parameters: TestingParameters {
            candidate_sites: candidates,
            ..TestingParameters::default()
        },
    }
}

fn tested(plan: &allocnet::test_capacity::TestingPlan) -> i64 {
    plan.assignments.iter().map(|a| a.tests).sum()
}

#[test]
fn unknown_keys_are_rejected_with_their_path() {
    let json = vastmanland_testing().unwrap().to_json_string().unwrap();
    let misspelt = json.replacen("\"pooling\"", "\"poling\"", 1);
    assert_ne!(json, misspelt);
    let e = TestingScenario::from_json_str(&misspelt, "s.json").unwrap_err();
    assert!(matches!(e, Error::Invalid(_)), "{e:?}");
    let text = e.to_string();
    assert!(
        text.contains("labs[0].capacity[0].poling: unknown key (expected: test_type, analyses_per_day, pooling)"),
        "{text}"
    );
    let top = json.replacen("\"week\"", "\"wek\"", 1);
    let text = TestingScenario::from_json_str(&top, "s.json").unwrap_err().to_string();
    assert!(text.contains("wek: unknown key"), "{text}");
}

#[test]
fn the_built_in_scenario_reads_back_to_the_same_plan() {
    let s = vastmanland_testing().unwrap();
    let back = TestingScenario::from_json_str(&s.to_json_string().unwrap(), "vm.json").unwrap();
    assert_eq!(back, s);
    assert_eq!(plan_testing(&back).unwrap(), plan_testing(&s).unwrap());
}

#[test]
fn a_huge_detour_factor_is_rejected_naming_the_field() {
    for detour in [10.5, 1e14, 1e20, 1.7e308] {
        let mut s = one_town(vec![site("s", 0.1, 10, 10)], 5, 8);
        s.parameters.detour_factor = detour;
        let e = plan_testing(&s).unwrap_err();
        assert!(matches!(e, Error::Invalid(_)), "{detour}: {e:?}");
        let text = e.to_string();
        assert!(
            text.contains("parameters.detour_factor: must be a number in [1, 10]"),
            "{text}"
        );
        assert!(!text.contains("000000000000000000"), "a number printed in full: {text}");
    }
    let mut s = one_town(vec![site("s", 0.1, 10, 10)], 5, 8);
    s.parameters.detour_factor = 10.0;
    assert_eq!(tested(&plan_testing(&s).unwrap()), 5);
}

#[test]
fn kits_for_a_test_type_the_site_does_not_offer_are_rejected() {
    let mut s = one_town(vec![site("s", 0.1, 10, 10)], 5, 8);
    s.sites[0].kits.serology = 50;
    let text = s.validate().unwrap_err().to_string();
    assert!(
        text.contains("sites[0].kits.serology: the site does not offer serology (test_types)"),
        "{text}"
    );
}

#[test]
fn zero_capacity_sites_take_no_candidate_slot() {
    // The nearest site has no capacity; with one candidate slot it used to take the
    // slot and leave everyone untested.
    let s = one_town(vec![site("closed", 0.0, 0, 100), site("open", 0.1, 10, 100)], 8, 1);
    let plan = plan_testing(&s).unwrap();
    assert_eq!(tested(&plan), 8, "{:?}", plan.unmet);
    assert!(plan.assignments.iter().all(|a| a.site == "open"));
}

#[test]
fn sites_tied_for_the_last_candidate_slot_are_all_admitted() {
    // Two sites at the same spot; the first listed has no kits. With one slot the
    // first used to win the tie and people went untested as kits-exhausted.
    let s = one_town(vec![site("first", 0.1, 10, 0), site("second", 0.1, 10, 10)], 10, 1);
    let plan = plan_testing(&s).unwrap();
    assert_eq!(tested(&plan), 10, "{:?}", plan.unmet);
    assert!(plan.assignments.iter().all(|a| a.site == "second"));
    // A site farther away than the tie is not admitted by it.
    let s = one_town(
        vec![
            site("near", 0.1, 4, 100),
            site("tied", 0.1, 3, 100),
            site("far", 0.2, 10, 100),
        ],
        10,
        1,
    );
    let plan = plan_testing(&s).unwrap();
    assert_eq!(tested(&plan), 7);
    assert_eq!(plan.unmet[0].reason, UnmetReason::SitesFull);
}
