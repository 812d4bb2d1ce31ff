//! Random scenarios for the trips tests (the generator of `county_properties.rs`,
//! with hubs and lane capacities), and random logistics data.
#![allow(dead_code)]

use allocnet::model::{
    ClassNeed, Delivery, Item, Lane, NeedSplit, Parameters, Scenario, Site, SiteKind, SiteStatus, Unit,
};
use allocnet::trips::{ItemLogistics, Logistics};
use proptest::prelude::*;

pub const CLASSES: [&str; 5] = [
    "covid-elderly-care",
    "elderly-care",
    "home-care",
    "disability-services",
    "health-care",
];

#[derive(Clone, Debug)]
pub struct SiteSpec {
    county: bool,
    hub: bool,
    lat: f64,
    lon: f64,
    stock: i64,
    consumption_halves: u32,
    reserve_days: u32,
    delivery: Option<(u32, i64)>,
    class: usize,
    explicit: Option<Vec<i64>>,
}

fn site_spec() -> impl Strategy<Value = SiteSpec> {
    (
        (any::<bool>(), proptest::bool::weighted(0.15)),
        59.0f64..60.5,
        15.5f64..17.0,
        0i64..300,
        0u32..40,
        0u32..4,
        proptest::option::of((0u32..6, 0i64..100)),
        0usize..5,
        proptest::option::weighted(0.5, proptest::collection::vec(0i64..30, 5)),
    )
        .prop_map(
            |((county, hub), lat, lon, stock, consumption_halves, reserve_days, delivery, class, explicit)| SiteSpec {
                county,
                hub,
                lat,
                lon,
                stock,
                consumption_halves,
                reserve_days,
                delivery,
                class,
                explicit,
            },
        )
}

#[derive(Clone, Debug)]
pub struct ScenarioSpec {
    sites: Vec<SiteSpec>,
    items: usize,
    horizon_days: u32,
    lanes: Option<Vec<(usize, usize, Option<i64>)>>,
}

pub fn scenario_spec(max_sites: usize) -> impl Strategy<Value = ScenarioSpec> {
    (
        proptest::collection::vec(site_spec(), 2..max_sites),
        1usize..4,
        2u32..8,
        proptest::option::of(proptest::collection::vec(
            (0usize..7, 0usize..7, proptest::option::of(0i64..60)),
            0..14,
        )),
    )
        .prop_map(|(sites, items, horizon_days, lanes)| ScenarioSpec {
            sites,
            items,
            horizon_days,
            lanes,
        })
}
pub fn build(spec: &ScenarioSpec) -> Scenario {
    let n = spec.sites.len();
    let sites: Vec<Site> = spec
        .sites
        .iter()
        .enumerate()
        .map(|(i, s)| Site {
            id: format!("s{i}"),
            name: format!("Site {i}"),
            kind: SiteKind::Municipality,
            county: if s.county { "19".into() } else { "03".into() },
            lat: s.lat,
            lon: s.lon,
            hub: spec.sites[i].hub,
        })
        .collect();
    let items: Vec<Item> = (0..spec.items)
        .map(|k| Item {
            id: format!("i{k}"),
            name: format!("Item {k}"),
            unit: Unit::Pieces,
        })
        .collect();
    let mut status = Vec::new();
    for it in 0..spec.items {
        for (i, s) in spec.sites.iter().enumerate() {
            // Vary the figures per item so items differ.
            let stock = (s.stock + 37 * it as i64) % 300;
            let mut st = SiteStatus::new(
                format!("s{i}"),
                format!("i{it}"),
                stock,
                f64::from(s.consumption_halves) / 2.0,
            );
            st.reserve_days = Some(f64::from(s.reserve_days));
            if let Some((day, q)) = s.delivery {
                st.deliveries.push(Delivery {
                    day: f64::from(day),
                    quantity: q,
                });
            }
            st.split = Some(match &s.explicit {
                Some(q) if q.iter().any(|&x| x > 0) => NeedSplit::Quantities(
                    CLASSES
                        .iter()
                        .zip(q)
                        .filter(|(_, &a)| a > 0)
                        .map(|(c, &a)| ClassNeed {
                            class: (*c).into(),
                            share: None,
                            acute: Some(a),
                            planning: Some(a + a / 2),
                        })
                        .collect(),
                ),
                _ => NeedSplit::Class(CLASSES[s.class].into()),
            });
            status.push(st);
        }
    }
    let lanes = spec.lanes.as_ref().map(|ls| {
        let mut out: Vec<Lane> = Vec::new();
        for &(a, b, cap) in ls {
            let (a, b) = (a % n, b % n);
            if a != b && !out.iter().any(|l| l.from == format!("s{a}") && l.to == format!("s{b}")) {
                out.push(Lane {
                    from: format!("s{a}"),
                    to: format!("s{b}"),
                    km: None,
                    capacity: cap,
                });
            }
        }
        out
    });
    Scenario {
        name: "random".into(),
        synthetic: true,
        parameters: Parameters {
            horizon_days: f64::from(spec.horizon_days),
            ..Parameters::default()
        },
        sites,
        items,
        status,
        lanes,
        ..Scenario::default()
    }
}

/// Random logistics data for `items` items: pack sizes, volumes, minimum loads.
pub fn logistics_spec(items: usize) -> impl Strategy<Value = Vec<(i64, u32, i64)>> {
    proptest::collection::vec((1i64..25, 1u32..40, 0i64..3), items..=items)
}

/// Logistics data from [`logistics_spec`] values (volume in 0.1 l per unit).
pub fn logistics(values: &[(i64, u32, i64)], with_min: bool) -> Logistics {
    Logistics {
        items: values
            .iter()
            .enumerate()
            .map(|(k, &(pack, vol, min))| ItemLogistics {
                item: format!("i{k}"),
                pack_size: pack,
                volume_l: f64::from(vol) / 10.0,
                min_packs: if with_min { min } else { 0 },
            })
            .collect(),
        ..Logistics::default()
    }
}
