//! Scenarios on real Swedish geography with **synthetic** status figures.
//!
//! Real: municipality codes, names, seat coordinates and population
//! (`data/sweden_municipalities.csv`, see `data/SOURCES.md`). Approximate: the
//! coordinates of Region Västmanland's four hospitals (in Västerås, Köping, Sala and
//! Fagersta). Assumed: the county transshipment point (in Västerås). Synthetic: every
//! stock, consumption, delivery and need figure, generated as follows (seeded, so the
//! same seed gives the same scenario):
//!
//! * consumption per day = population/1000 × the item's base rate (table [`ITEMS`]) ×
//!   a factor in [0.8, 1.2]; hospitals use 40 % of the county's population split by
//!   hospital size;
//! * stock = consumption × days of cover, where the site/item pair is *short* (cover
//!   0.1–1.2 days, so it has an acute need), *in surplus* (8–16 days; 4.5–6 days for
//!   the scarce items FFP3, gowns and hand sanitiser) or *normal* (2.5–6 days), in the
//!   rotation short, surplus, normal, normal, so every item has short and surplus sites;
//! * one site in three expects a delivery on day 3–5 of 1–3 days' consumption;
//! * reserve 3 days (parameter); municipalities split their need over the four
//!   municipal priority classes by seeded shares; hospitals' need is health care.

use super::scenario::{ClassNeed, Delivery, Item, NeedSplit, Parameters, Scenario, Site, SiteKind, SiteStatus, Unit};
use super::sweden::{municipalities, Municipality, VASTMANLAND_HOSPITALS};
use crate::error::{Error, Result};
use crate::rng::SplitMix64;

/// The seed of the embedded Västmanland scenario.
pub const DEFAULT_SEED: u64 = 2020;

/// The ten items: id, name, unit, base consumption per 1000 inhabitants per day.
pub const ITEMS: [(&str, &str, Unit, f64); 10] = [
    ("surgical-mask", "Surgical mask (IIR)", Unit::Pieces, 30.0),
    ("ffp2", "FFP2 respirator", Unit::Pieces, 3.0),
    ("ffp3", "FFP3 respirator", Unit::Pieces, 0.8),
    ("visor", "Visor", Unit::Pieces, 2.0),
    ("goggles", "Protective goggles", Unit::Pieces, 0.5),
    ("gloves", "Examination gloves", Unit::Pieces, 120.0),
    ("gown", "Long-sleeved protective gown", Unit::Pieces, 6.0),
    ("apron", "Plastic apron", Unit::Pieces, 20.0),
    ("hand-sanitiser", "Hand sanitiser", Unit::Litres, 0.4),
    ("surface-disinfectant", "Surface disinfectant", Unit::Litres, 0.2),
];

/// Items that are scarce county-wide: their surplus sites hold only 4.5–6 days.
const SCARCE: [&str; 3] = ["ffp3", "gown", "hand-sanitiser"];

/// Region Västmanland's hospitals as sites: id and share of the region's consumption,
/// in the order of [`VASTMANLAND_HOSPITALS`] (names and locations).
const HOSPITAL_SITES: [(&str, f64); 4] = [
    ("region-vasteras", 0.6),
    ("region-koping", 0.15),
    ("region-sala", 0.1),
    ("region-fagersta", 0.15),
];

fn round1(x: f64) -> f64 {
    (x * 10.0).round() / 10.0
}

fn items() -> Vec<Item> {
    ITEMS
        .iter()
        .map(|(id, name, unit, _)| Item {
            id: (*id).into(),
            name: (*name).into(),
            unit: *unit,
        })
        .collect()
}

/// A demand-bearing site with the population its consumption scales with.
struct Demand {
    site: usize,
    population: f64,
    municipal: bool,
}

fn synthetic_status(seed: u64, sites: &[Site], demands: &[Demand]) -> Vec<SiteStatus> {
    let mut out = Vec::new();
    for (it, (item_id, _, _, base)) in ITEMS.iter().enumerate() {
        for (k, d) in demands.iter().enumerate() {
            let mut rng = SplitMix64::stream(seed, d.site as u64 + 1, it as u64 + 1);
            let consumption = round1(d.population / 1000.0 * base * rng.uniform(0.8, 1.2)).max(0.1);
            let scarce = SCARCE.contains(item_id);
            let cover = match (k + it) % 4 {
                0 => rng.uniform(0.1, 1.2),
                1 if scarce => rng.uniform(4.5, 6.0),
                1 => rng.uniform(8.0, 16.0),
                _ => rng.uniform(2.5, 6.0),
            };
            let mut st = SiteStatus::new(
                sites[d.site].id.clone(),
                *item_id,
                (consumption * cover).round() as i64,
                consumption,
            );
            if rng.next_u64() % 3 == 0 {
                let day = (rng.uniform(3.0, 5.0) * 2.0).round() / 2.0;
                st.deliveries.push(Delivery {
                    day,
                    quantity: (consumption * rng.uniform(1.0, 3.0)).round() as i64,
                });
            }
            st.split = Some(if d.municipal {
                let w: Vec<f64> = (0..4).map(|_| rng.uniform(0.5, 1.5)).collect();
                let sum: f64 = w.iter().sum();
                let mut shares: Vec<f64> = w.iter().map(|x| (x / sum * 100.0).round() / 100.0).collect();
                let rest = 1.0 - shares[1..].iter().sum::<f64>();
                shares[0] = (rest * 100.0).round() / 100.0;
                let classes = ["covid-elderly-care", "elderly-care", "home-care", "disability-services"];
                NeedSplit::Shares(
                    classes
                        .iter()
                        .zip(shares)
                        .map(|(c, s)| ClassNeed {
                            class: (*c).into(),
                            share: Some(s),
                            acute: None,
                            planning: None,
                        })
                        .collect(),
                )
            } else {
                NeedSplit::Class("health-care".into())
            });
            out.push(st);
        }
    }
    out
}

fn municipality_site(m: &Municipality) -> Site {
    Site {
        id: m.municipality_code.clone(),
        name: m.municipality_name.clone(),
        kind: SiteKind::Municipality,
        county: m.county_code.clone(),
        lat: m.latitude,
        lon: m.longitude,
        hub: false,
    }
}

const SYNTHETIC_NOTE: &str = "SYNTHETIC status figures: stock, consumption, deliveries and needs are generated \
(allocnet::model::synthetic, seed {seed}), scaled by real population. Real: municipality codes, names, seat \
coordinates and population (SCB, 31 Dec 2025; data/SOURCES.md).";

/// Västmanland (county 19): its 10 municipalities, Region Västmanland's 4 hospitals,
/// and the county transshipment point (assumed in Västerås), 10 items, synthetic
/// status from `seed`.
pub fn vastmanland(seed: u64) -> Result<Scenario> {
    let all = municipalities()?;
    let munis: Vec<&Municipality> = all.iter().filter(|m| m.county_code == "19").collect();
    if munis.len() != 10 {
        return Err(Error::invalid(
            "data/sweden_municipalities.csv",
            format!("expected 10 municipalities in county 19, found {}", munis.len()),
        ));
    }
    let mut sites: Vec<Site> = munis.iter().map(|m| municipality_site(m)).collect();
    let mut demands: Vec<Demand> = munis
        .iter()
        .enumerate()
        .map(|(i, m)| Demand {
            site: i,
            population: m.population as f64,
            municipal: true,
        })
        .collect();
    let county_population: f64 = munis.iter().map(|m| m.population as f64).sum();
    for ((id, share), hospital) in HOSPITAL_SITES.into_iter().zip(VASTMANLAND_HOSPITALS) {
        demands.push(Demand {
            site: sites.len(),
            population: 0.4 * county_population * share,
            municipal: false,
        });
        sites.push(Site {
            id: id.into(),
            name: hospital.name.into(),
            kind: SiteKind::Region,
            county: "19".into(),
            lat: hospital.lat,
            lon: hospital.lon,
            hub: false,
        });
    }
    sites.push(Site {
        id: "omlastning-vasteras".into(),
        name: "Transshipment point Västerås (assumed location)".into(),
        kind: SiteKind::TransshipmentPoint,
        county: "19".into(),
        lat: 59.6050,
        lon: 16.4700,
        hub: false,
    });
    Ok(Scenario {
        name: "Västmanland resource coordination (U-Sam), synthetic status".into(),
        synthetic: true,
        note: Some(format!(
            "{} Hospital coordinates approximate; the transshipment point's location is an assumption.",
            SYNTHETIC_NOTE.replace("{seed}", &seed.to_string())
        )),
        parameters: Parameters {
            reserve_days: 3.0,
            ..Parameters::default()
        },
        priority_classes: None,
        status: synthetic_status(seed, &sites, &demands),
        sites,
        items: items(),
        lanes: None,
        distances: Vec::new(),
    })
}

/// All of Sweden: the 290 municipalities (one site each, lanes within each county),
/// 10 items, synthetic status from `seed`. The size of the national round.
pub fn sweden(seed: u64) -> Result<Scenario> {
    let all = municipalities()?;
    let sites: Vec<Site> = all.iter().map(municipality_site).collect();
    let demands: Vec<Demand> = all
        .iter()
        .enumerate()
        .map(|(i, m)| Demand {
            site: i,
            population: m.population as f64,
            municipal: true,
        })
        .collect();
    Ok(Scenario {
        name: "Sweden, 290 municipalities, synthetic status".into(),
        synthetic: true,
        note: Some(SYNTHETIC_NOTE.replace("{seed}", &seed.to_string())),
        parameters: Parameters {
            reserve_days: 3.0,
            ..Parameters::default()
        },
        priority_classes: None,
        status: synthetic_status(seed, &sites, &demands),
        sites,
        items: items(),
        lanes: None,
        distances: Vec::new(),
    })
}

const VASTMANLAND_JSON: &str = include_str!("../../data/vastmanland.json");

/// The embedded default scenario (`data/vastmanland.json`, = [`vastmanland`] with
/// [`DEFAULT_SEED`]): works from any directory.
///
/// ```
/// let s = allocnet::model::synthetic::vastmanland_default().unwrap();
/// assert!(s.synthetic);
/// assert_eq!(s.sites.len(), 15);
/// assert_eq!(s.items.len(), 10);
/// ```
pub fn vastmanland_default() -> Result<Scenario> {
    Scenario::from_json_str(VASTMANLAND_JSON, "data/vastmanland.json")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_vastmanland_is_the_builder_output() {
        let built = vastmanland(DEFAULT_SEED).unwrap();
        if std::env::var_os("ALLOCNET_WRITE_DATA").is_some() {
            let path = concat!(env!("CARGO_MANIFEST_DIR"), "/data/vastmanland.json");
            std::fs::write(path, built.to_json_string().unwrap() + "\n").unwrap();
        }
        assert_eq!(
            vastmanland_default().unwrap(),
            built,
            "regenerate with ALLOCNET_WRITE_DATA=1 cargo test --lib synthetic"
        );
    }

    #[test]
    fn scenarios_are_valid_and_have_short_and_surplus_sites() {
        for s in [vastmanland(DEFAULT_SEED).unwrap(), sweden(7).unwrap()] {
            let r = s.resolve().unwrap();
            for it in 0..r.item_count() {
                let p = r.item_profiles(it);
                assert!(
                    p.iter().any(|x| x.acute_total() > 0),
                    "{} item {it}: no short site",
                    s.name
                );
                assert!(p.iter().any(|x| x.giveable > 0), "{} item {it}: no donor", s.name);
            }
        }
    }

    #[test]
    fn same_seed_same_scenario() {
        assert_eq!(vastmanland(1).unwrap(), vastmanland(1).unwrap());
        assert_ne!(vastmanland(1).unwrap(), vastmanland(2).unwrap());
    }
}
