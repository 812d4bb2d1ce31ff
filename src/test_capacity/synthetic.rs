//! Built-in testing scenarios on real Swedish geography with **synthetic** capacities
//! and demand (labelled `synthetic: true`).
//!
//! Real: municipality codes, names, seat coordinates and population
//! (`data/sweden_municipalities.csv`); approximate: the coordinates of Region
//! Västmanland's hospitals in Västerås, Köping, Sala and Fagersta. Synthetic: every
//! site capacity, opening day, lab capacity, pooling factor, kit stock, address and
//! every demand figure.
//!
//! Demand per week = population / 1000 × the group's rate ([`RATES`]) × a seeded factor
//! in [0.8, 1.2], rounded.

use super::scenario::{
    default_groups, Demand, Group, KitStore, Kits, LabCapacity, Laboratory, SamplingKind, SamplingSite, TestType,
    TestingMunicipality, TestingParameters, TestingScenario, Weekday,
};
use crate::error::{Error, Result};
use crate::model::sweden::{municipalities, County, Municipality, VASTMANLAND_HOSPITALS};
use crate::rng::SplitMix64;

/// The seed of the embedded scenarios.
pub const DEFAULT_SEED: u64 = 2020;

/// Synthetic tests per 1000 inhabitants per week: group id, PCR, serology.
pub const RATES: [(&str, f64, f64); 6] = [
    ("care_home_residents", 1.0, 0.0),
    ("health_elderly_care_staff", 3.0, 2.0),
    ("disability_services_staff", 1.0, 0.5),
    ("critical_services_staff", 2.0, 1.0),
    ("other_services_staff", 2.0, 1.0),
    ("public", 6.0, 2.0),
];

fn weekdays() -> Vec<Weekday> {
    Weekday::ALL[..5].to_vec()
}

fn every_day() -> Vec<Weekday> {
    Weekday::ALL.to_vec()
}

fn testing_municipality(m: &Municipality) -> TestingMunicipality {
    TestingMunicipality {
        id: m.municipality_code.clone(),
        name: m.municipality_name.clone(),
        county: m.county_name.clone(),
        lat: m.latitude,
        lon: m.longitude,
    }
}

/// Demand rows for the municipalities: every group × test type with a positive rate.
fn synthetic_demand(munis: &[Municipality], groups: &[Group], seed: u64) -> Vec<Demand> {
    let mut rng = SplitMix64::stream(seed, 1, 0);
    let mut out = Vec::new();
    for m in munis {
        for g in groups {
            let Some(&(_, pcr, serology)) = RATES.iter().find(|r| r.0 == g.id) else {
                continue;
            };
            for (t, rate) in [(TestType::Pcr, pcr), (TestType::Serology, serology)] {
                if rate > 0.0 {
                    let n = (m.population as f64 / 1000.0 * rate * rng.uniform(0.8, 1.2)).round() as i64;
                    out.push(Demand {
                        municipality: m.municipality_code.clone(),
                        group: g.id.clone(),
                        test_type: t,
                        tests_per_week: n,
                    });
                }
            }
        }
    }
    out
}

/// Weekly demand of a set of municipalities by type (expected value, rates only).
fn expected_demand(population: u64) -> [f64; 2] {
    let p = population as f64 / 1000.0;
    [RATES.iter().map(|r| r.1 * p).sum(), RATES.iter().map(|r| r.2 * p).sum()]
}

fn find<'a>(munis: &'a [Municipality], name: &str) -> Result<&'a Municipality> {
    munis.iter().find(|m| m.municipality_name == name).ok_or_else(|| {
        Error::invalid(
            "data/sweden_municipalities.csv",
            format!("no municipality named '{name}'"),
        )
    })
}

/// Where a built-in sampling site stands.
enum At {
    /// At one of [`VASTMANLAND_HOSPITALS`] (by index); its name is the hospital's
    /// followed by ", provtagning".
    Hospital(usize),
    /// At these coordinates (latitude, longitude).
    Point(f64, f64),
    /// At the seat of this municipality.
    Seat(&'static str),
}

/// One built-in sampling site of Västmanland (SYNTHETIC capacities and kits).
struct SiteRow {
    id: &'static str,
    /// Ignored for [`At::Hospital`] (named after the hospital).
    name: &'static str,
    address: &'static str,
    kind: SamplingKind,
    at: At,
    capacity_per_day: i64,
    /// PCR and serology (else PCR only).
    serology: bool,
    days: &'static [Weekday],
    /// PCR and serology kits on site.
    kits: (i64, i64),
}

const WEEKDAYS: &[Weekday] = &[Weekday::Mon, Weekday::Tue, Weekday::Wed, Weekday::Thu, Weekday::Fri];

/// Västmanland's sampling sites, in the scenario's order.
const VASTMANLAND_SITES: [SiteRow; 9] = {
    use SamplingKind::{DriveIn, HealthCentre, HomeTestPickup};
    const fn hospital(
        id: &'static str,
        address: &'static str,
        hospital: usize,
        capacity_per_day: i64,
        kits: (i64, i64),
    ) -> SiteRow {
        SiteRow {
            id,
            name: "",
            address,
            kind: HealthCentre,
            at: At::Hospital(hospital),
            capacity_per_day,
            serology: true,
            days: WEEKDAYS,
            kits,
        }
    }
    [
        hospital(
            "vasteras-hospital",
            "Sjukhusområdet, Västerås (synthetic)",
            0,
            300,
            (1500, 800),
        ),
        SiteRow {
            id: "vasteras-drive-in",
            name: "Drive-in Västerås Mälarenergi Arena",
            address: "Arenavägen, Västerås (synthetic)",
            kind: DriveIn,
            at: At::Point(59.6050, 16.5660),
            capacity_per_day: 250,
            serology: false,
            days: &Weekday::ALL,
            kits: (1200, 0),
        },
        SiteRow {
            id: "vasteras-home-test",
            name: "Hemtest Västerås, utlämning",
            address: "Stora torget, Västerås (synthetic)",
            kind: HomeTestPickup,
            at: At::Point(59.6110, 16.5460),
            capacity_per_day: 120,
            serology: true,
            days: WEEKDAYS,
            kits: (300, 200),
        },
        hospital("koping-hospital", "Lasarettet, Köping (synthetic)", 1, 110, (400, 200)),
        hospital("sala-hospital", "Lasarettet, Sala (synthetic)", 2, 80, (300, 150)),
        hospital(
            "fagersta-hospital",
            "Lasarettet, Fagersta (synthetic)",
            3,
            90,
            (300, 150),
        ),
        SiteRow {
            id: "arboga-vc",
            name: "Arboga vårdcentral",
            address: "Centrum, Arboga (synthetic)",
            kind: HealthCentre,
            at: At::Seat("Arboga"),
            capacity_per_day: 40,
            serology: false,
            days: WEEKDAYS,
            kits: (150, 0),
        },
        SiteRow {
            id: "hallstahammar-vc",
            name: "Hallstahammar vårdcentral",
            address: "Centrum, Hallstahammar (synthetic)",
            kind: HealthCentre,
            at: At::Seat("Hallstahammar"),
            capacity_per_day: 40,
            serology: true,
            days: WEEKDAYS,
            kits: (100, 50),
        },
        SiteRow {
            id: "norberg-drive-in",
            name: "Drive-in Norberg",
            address: "Centrum, Norberg (synthetic)",
            kind: DriveIn,
            at: At::Seat("Norberg"),
            capacity_per_day: 30,
            serology: false,
            days: &[Weekday::Mon, Weekday::Wed, Weekday::Fri],
            kits: (60, 0),
        },
    ]
};

/// The sampling sites of [`VASTMANLAND_SITES`] in `county`, seats looked up in `munis`.
fn vastmanland_sites(munis: &[Municipality], county: &str) -> Result<Vec<SamplingSite>> {
    VASTMANLAND_SITES
        .iter()
        .map(|row| {
            let (name, lat, lon) = match row.at {
                At::Hospital(h) => {
                    let h = &VASTMANLAND_HOSPITALS[h];
                    (format!("{}, provtagning", h.name), h.lat, h.lon)
                }
                At::Point(lat, lon) => (row.name.to_string(), lat, lon),
                At::Seat(town) => {
                    let m = find(munis, town)?;
                    (row.name.to_string(), m.latitude, m.longitude)
                }
            };
            let test_types = if row.serology {
                vec![TestType::Pcr, TestType::Serology]
            } else {
                vec![TestType::Pcr]
            };
            Ok(SamplingSite {
                id: row.id.into(),
                name,
                address: row.address.into(),
                kind: row.kind,
                county: county.to_string(),
                lat,
                lon,
                capacity_per_day: row.capacity_per_day,
                test_types,
                opening_days: row.days.to_vec(),
                kits: Kits {
                    pcr: row.kits.0,
                    serology: row.kits.1,
                },
            })
        })
        .collect()
}

/// Västmanland's own laboratory and the Uppsala laboratory it sends overflow to.
fn vastmanland_labs(county: &str) -> Vec<Laboratory> {
    let lab = |test_type, analyses_per_day, pooling| LabCapacity {
        test_type,
        analyses_per_day,
        pooling,
    };
    vec![
        Laboratory {
            id: "vasteras-lab".into(),
            name: "Klinisk mikrobiologi Västerås".into(),
            county: county.to_string(),
            lat: 59.6175,
            lon: 16.5580,
            capacity: vec![lab(TestType::Pcr, 400, 1), lab(TestType::Serology, 150, 1)],
            opening_days: every_day(),
        },
        Laboratory {
            id: "uppsala-lab".into(),
            name: "Akademiska sjukhuset, mikrobiologi (Uppsala)".into(),
            county: "Uppsala län".into(),
            lat: 59.8480,
            lon: 17.6390,
            capacity: vec![lab(TestType::Pcr, 60, 2)],
            opening_days: weekdays(),
        },
    ]
}

/// Region Västmanland's testing for one week: the county's 10 real municipalities, the
/// hospital towns Västerås, Köping, Sala and Fagersta, synthetic sites, labs, kits and
/// demand. Sampling capacity is below demand, so the public is partly untested and
/// the capacity values show where to grow.
pub fn vastmanland_testing() -> Result<TestingScenario> {
    let all = municipalities()?;
    let munis: Vec<Municipality> = all.into_iter().filter(|m| m.county_code == "19").collect();
    let county = "Västmanlands län";
    let groups = default_groups();
    let stores = vec![KitStore {
        id: "region-store".into(),
        name: "Region Västmanland, regional store Västerås".into(),
        county: county.to_string(),
        lat: 59.6230,
        lon: 16.5900,
        kits: Kits {
            pcr: 2500,
            serology: 600,
        },
    }];
    Ok(TestingScenario {
        name: "Västmanland testing (synthetic capacities and demand)".into(),
        week: "2020-W40".into(),
        synthetic: true,
        demand: synthetic_demand(&munis, &groups, DEFAULT_SEED),
        groups,
        municipalities: munis.iter().map(testing_municipality).collect(),
        sites: vastmanland_sites(&munis, county)?,
        labs: vastmanland_labs(county),
        stores,
        parameters: TestingParameters::default(),
    })
}

/// All of Sweden for one week (seeded): 290 municipalities × 6 groups × both test
/// types, about 100 sampling sites (a drive-in at each county seat and a health centre
/// in the 79 most populous other municipalities), 25 labs (one per county plus four
/// national ones) and a kit store per county. Sampling and lab capacity are drawn
/// around 80–110 % of the expected demand, so some counties fall short.
pub fn sweden_testing(seed: u64) -> Result<TestingScenario> {
    let munis = municipalities()?;
    let counties = crate::model::sweden::counties()?;
    let groups = default_groups();
    let mut rng = SplitMix64::stream(seed, 2, 0);
    let mut sites = Vec::new();
    let mut labs = Vec::new();
    let mut stores = Vec::new();
    for c in &counties {
        let in_county: Vec<&Municipality> = munis.iter().filter(|m| m.county_code == c.county_code).collect();
        let demand = expected_demand(in_county.iter().map(|m| m.population).sum());
        let cap = ((demand[0] + demand[1]) * rng.uniform(0.35, 0.5) / 7.0).round() as i64;
        sites.push(SamplingSite {
            id: format!("drive-in-{}", c.county_code),
            name: format!("Drive-in {}", c.seat),
            address: format!("{} (synthetic)", c.seat),
            kind: SamplingKind::DriveIn,
            county: c.county_name.clone(),
            lat: c.seat_latitude,
            lon: c.seat_longitude,
            capacity_per_day: cap,
            test_types: vec![TestType::Pcr, TestType::Serology],
            opening_days: every_day(),
            kits: Kits {
                pcr: cap * 3,
                serology: cap,
            },
        });
        let pcr_per_day = demand[0] * rng.uniform(0.75, 1.05) / 7.0;
        let pooling = if rng.uniform(0.0, 1.0) < 0.3 { 2 } else { 1 };
        labs.push(Laboratory {
            id: format!("lab-{}", c.county_code),
            name: format!("Clinical microbiology {}", c.seat),
            county: c.county_name.clone(),
            lat: c.seat_latitude + 0.01,
            lon: c.seat_longitude + 0.01,
            capacity: vec![
                LabCapacity {
                    test_type: TestType::Pcr,
                    analyses_per_day: (pcr_per_day / pooling as f64).round() as i64,
                    pooling,
                },
                LabCapacity {
                    test_type: TestType::Serology,
                    analyses_per_day: (demand[1] * rng.uniform(0.7, 1.1) / 7.0).round() as i64,
                    pooling: 1,
                },
            ],
            opening_days: every_day(),
        });
        stores.push(KitStore {
            id: format!("store-{}", c.county_code),
            name: format!("Regional store {}", c.seat),
            county: c.county_name.clone(),
            lat: c.seat_latitude - 0.01,
            lon: c.seat_longitude - 0.01,
            kits: Kits {
                pcr: (demand[0] * rng.uniform(0.3, 0.6)).round() as i64,
                serology: (demand[1] * rng.uniform(0.3, 0.6)).round() as i64,
            },
        });
    }
    sites.extend(health_centres(&munis, &counties, &mut rng));
    labs.extend(national_labs(&counties, &mut rng));
    Ok(TestingScenario {
        name: format!("Sweden testing (synthetic, seed {seed})"),
        week: "2020-W40".into(),
        synthetic: true,
        demand: synthetic_demand(&munis, &groups, seed),
        groups,
        municipalities: munis.iter().map(testing_municipality).collect(),
        sites,
        labs,
        stores,
        parameters: TestingParameters::default(),
    })
}

/// A health centre in each of the 79 most populous municipalities that are not a
/// county seat (ties by code), capacity drawn from `rng`.
fn health_centres(munis: &[Municipality], counties: &[County], rng: &mut SplitMix64) -> Vec<SamplingSite> {
    let mut sites = Vec::new();
    let mut others: Vec<&Municipality> = munis
        .iter()
        .filter(|m| {
            !counties
                .iter()
                .any(|c| c.county_code == m.county_code && m.location == format!("seat:{}", c.seat))
        })
        .collect();
    others.sort_by(|a, b| {
        b.population
            .cmp(&a.population)
            .then(a.municipality_code.cmp(&b.municipality_code))
    });
    for m in others.iter().take(79) {
        let demand = expected_demand(m.population);
        let cap = ((demand[0] + demand[1]) * rng.uniform(0.5, 0.8) / 5.0).round() as i64;
        sites.push(SamplingSite {
            id: format!("vc-{}", m.municipality_code),
            name: format!("{} vårdcentral", m.municipality_name),
            address: format!("Centrum, {} (synthetic)", m.municipality_name),
            kind: SamplingKind::HealthCentre,
            county: m.county_name.clone(),
            lat: m.latitude,
            lon: m.longitude,
            capacity_per_day: cap,
            test_types: vec![TestType::Pcr, TestType::Serology],
            opening_days: weekdays(),
            kits: Kits {
                pcr: cap * 3,
                serology: cap,
            },
        });
    }
    sites
}

/// Four national PCR labs (pooling 4), capacity drawn from `rng`, each in the county
/// whose seat is nearest.
fn national_labs(counties: &[County], rng: &mut SplitMix64) -> Vec<Laboratory> {
    let mut labs = Vec::new();
    for (i, (name, lat, lon)) in [
        ("Stockholm", 59.35, 18.03),
        ("Göteborg", 57.70, 11.97),
        ("Malmö", 55.60, 13.00),
        ("Umeå", 63.83, 20.26),
    ]
    .into_iter()
    .enumerate()
    {
        labs.push(Laboratory {
            id: format!("national-lab-{}", i + 1),
            name: format!("National lab {name} (synthetic)"),
            county: counties
                .iter()
                .min_by(|a, b| {
                    let da = (a.seat_latitude - lat).powi(2) + (a.seat_longitude - lon).powi(2);
                    let db = (b.seat_latitude - lat).powi(2) + (b.seat_longitude - lon).powi(2);
                    da.total_cmp(&db)
                })
                .map_or(String::new(), |c| c.county_name.clone()),
            lat,
            lon,
            capacity: vec![LabCapacity {
                test_type: TestType::Pcr,
                analyses_per_day: (rng.uniform(1000.0, 2000.0)).round() as i64,
                pooling: 4,
            }],
            opening_days: weekdays(),
        });
    }
    labs
}

/// A scenario by name or path: `vastmanland` ([`vastmanland_testing`]), `sweden`
/// ([`sweden_testing`] with [`DEFAULT_SEED`]), or a JSON file.
pub fn load_scenario(spec: &str) -> Result<TestingScenario> {
    crate::model::builtin::testing_scenario_by_name(spec)
}
