//! The public guidance and the texts a person reads (issue 18 §4): nearest site first,
//! plain notes without internal codes, no "km 0 / tests 0" rows, km with one decimal,
//! opening days in words, no "-0", no trailing space in titles, Swedish labels.

use allocnet::test_capacity::guidance::{guidance_csv, guidance_html_in, guidance_rows, guidance_rows_in, Lang};
use allocnet::test_capacity::output::testing_files;
use allocnet::test_capacity::report::testing_text;
use allocnet::test_capacity::synthetic::vastmanland_testing;
use allocnet::test_capacity::{
    default_groups, plan_testing, Demand, Kits, LabCapacity, Laboratory, SamplingKind, SamplingSite, TestType,
    TestingMunicipality, TestingParameters, TestingScenario, Weekday,
};

/// A PCR site open Monday to Friday at `(0, lon)`.
fn site(id: &str, lon: f64, capacity: i64) -> SamplingSite {
    SamplingSite {
        id: id.into(),
        name: format!("Site {id}"),
        address: format!("Street 1, {id}"),
        kind: SamplingKind::HealthCentre,
        county: "C".into(),
        lat: 0.0,
        lon,
        capacity_per_day: capacity,
        test_types: vec![TestType::Pcr],
        opening_days: Weekday::ALL[..5].to_vec(),
        kits: Kits { pcr: 1000, serology: 0 },
    }
}

/// Town `a` at 0 and town `b` far east; sites at 0.3° and 0.02° from `a` (the far one
/// listed first and with the most room), none near `b`; the public of `b` may
/// travel 50 km.
fn scenario() -> TestingScenario {
    let mut groups = default_groups();
    groups.iter_mut().find(|g| g.id == "public").unwrap().max_travel_km = Some(50.0);
    let town = |id: &str, lon: f64| TestingMunicipality {
        id: id.into(),
        name: format!("Town {id}"),
        county: "C".into(),
        lat: 0.0,
        lon,
    };
    let demand = |m: &str, g: &str, n: i64| Demand {
        municipality: m.into(),
        group: g.into(),
        test_type: TestType::Pcr,
        tests_per_week: n,
    };
    TestingScenario {
        name: "guidance".into(),
        week: String::new(),
        synthetic: false,
        groups,
        municipalities: vec![town("a", 0.0), town("b", 3.0)],
        demand: vec![
            demand("a", "care_home_residents", 12),
            demand("a", "health_elderly_care_staff", 20),
            demand("b", "public", 5),
        ],
        // Weekly capacity 5 × 1 near `a` and 5 × 4 farther.
        sites: vec![site("far", 0.3, 4), site("near", 0.02, 1)],
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
            opening_days: Weekday::ALL.to_vec(),
        }],
        stores: Vec::new(),
        parameters: TestingParameters::default(),
    }
}

#[test]
fn sites_are_listed_nearest_first_with_plain_notes() {
    let s = scenario();
    let plan = plan_testing(&s).unwrap();
    let rows = guidance_rows(&s, &plan);
    // 25 places, 32 people: one of the two groups uses both sites, more of them at
    // the far site (5 near); its near site comes first.
    let spanning: Vec<Vec<_>> = ["care_home_residents", "health_elderly_care_staff"]
        .iter()
        .map(|g| rows.iter().filter(|r| r.group == *g).collect::<Vec<_>>())
        .filter(|rows| rows.len() == 2)
        .collect();
    assert_eq!(spanning.len(), 1, "{rows:?}");
    let both = &spanning[0];
    assert_eq!(
        both.iter().map(|r| r.site.as_str()).collect::<Vec<_>>(),
        ["near", "far"],
        "{both:?}"
    );
    assert!(both[0].tests < both[1].tests, "{both:?}");
    assert_eq!(both[0].days, "Monday to Friday");
    assert_eq!(both[0].kind, "Health centre");
    // Staff: 20 need a test, 25 - 12 = 13 places are left.
    let staff: Vec<_> = rows.iter().filter(|r| r.group == "health_elderly_care_staff").collect();
    assert!(staff[0].note.contains("times for 13 of the 20 people"), "{staff:?}");
    assert!(staff[0].note.contains("call 1177"), "{staff:?}");
    // Town b: the nearest site is about 300 km away, beyond the 50 km the public travels.
    let b: Vec<_> = rows.iter().filter(|r| r.municipality == "b").collect();
    assert_eq!(b.len(), 1);
    assert_eq!((b[0].km, b[0].tests, b[0].site.as_str()), (None, None, ""));
    assert!(b[0].note.contains("the nearest is 300.2 km away"), "{}", b[0].note);
    for r in &rows {
        for code in ["no-site-in-reach", "kits-exhausted", "sites-full", "labs-full"] {
            assert!(!r.note.contains(code), "{}", r.note);
        }
    }
    let csv = guidance_csv(&rows).unwrap();
    let b_line = csv.lines().find(|l| l.contains(",b,")).unwrap();
    assert!(
        b_line.contains(",,,,,,,"),
        "a row without a site shows no km or tests: {b_line}"
    );
    let near_line = csv.lines().find(|l| l.contains(",near,")).unwrap();
    assert!(near_line.contains(",2.2,"), "{near_line}");
}

#[test]
fn no_minus_zero_and_no_trailing_space_without_a_week() {
    // Nobody can be tested: no samples, no kits, no travel.
    let mut s = scenario();
    s.demand.retain(|d| d.municipality == "b");
    let plan = plan_testing(&s).unwrap();
    let files = testing_files(&s, &plan).unwrap();
    let file = |name: &str| &files.iter().find(|(n, _)| *n == name).unwrap().1;
    assert!(!file("plan.json").contains("-0.0"), "{}", file("plan.json"));
    let report = testing_text(&s, &plan);
    assert!(!report.contains("-0"), "{report}");
    assert!(report.starts_with("Testing plan: guidance\n"), "{report}");
    let html = file("guidance.html");
    assert!(html.contains("<title>Where to get tested — guidance</title>"), "{html}");
    assert!(report.lines().all(|l| !l.ends_with(' ')), "{report}");
}

#[test]
fn swedish_labels_with_lang_sv() {
    let s = scenario();
    let plan = plan_testing(&s).unwrap();
    let rows = guidance_rows_in(&s, &plan, Lang::Sv);
    assert_eq!(rows[0].days, "måndag–fredag");
    assert_eq!(rows[0].kind, "Vårdcentral");
    let html = guidance_html_in(&s, &rows, Lang::Sv);
    assert!(html.contains("<html lang=\"sv\">"));
    assert!(html.contains("Här kan du testa dig"));
    assert!(html.contains("Vart du går") && html.contains("2,2 km"), "{html}");
    assert!(html.contains("Ring 1177 Vårdguiden"));
}

#[test]
fn vastmanland_guidance_is_for_people() {
    let s = vastmanland_testing().unwrap();
    let plan = plan_testing(&s).unwrap();
    let rows = guidance_rows(&s, &plan);
    // Within one municipality x group x type the sites are nearest first.
    for w in rows.windows(2) {
        let same =
            (&w[0].municipality, &w[0].group, w[0].test_type) == (&w[1].municipality, &w[1].group, w[1].test_type);
        if same {
            assert!(w[0].km <= w[1].km, "{:?} before {:?}", w[0], w[1]);
        }
    }
    for r in &rows {
        assert_eq!(r.km.is_some(), !r.site.is_empty());
        assert_eq!(r.tests.is_some(), !r.site.is_empty());
        assert!(r.tests != Some(0));
        assert!(!r.days.contains("mon") && !r.note.contains("(kits-exhausted)"), "{r:?}");
    }
    let html = guidance_html_in(&s, &rows, Lang::En);
    assert!(html.contains("@page{size:A4"));
    assert!(html.contains("name=\"viewport\""));
}
