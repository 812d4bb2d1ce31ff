//! Random county scenarios for property tests (`county_properties.rs` and the trips
//! tests): sites in two counties with stock, consumption, reserves, deliveries,
//! priority classes (one class, or explicit acute/planning need per class), optional
//! hubs and explicit lanes with capacities. All figures SYNTHETIC.

use allocnet::model::{
    ClassNeed, Delivery, Item, Lane, NeedSplit, Parameters, Scenario, Site, SiteKind, SiteStatus, Unit,
};
use proptest::prelude::*;

/// The priority classes of the built-in defaults, highest first.
pub const CLASSES: [&str; 5] = [
    "covid-elderly-care",
    "elderly-care",
    "home-care",
    "disability-services",
    "health-care",
];

/// What random scenarios look like.
#[derive(Clone, Copy, Debug)]
pub struct Shape {
    /// Sites: 2 up to (not including) this.
    pub max_sites: usize,
    /// Items: 1 up to (not including) this.
    pub max_items: usize,
    /// Probability that a site lists explicit need per class (`None`: never).
    pub explicit: Option<f64>,
    /// Whether some sites (15 %) are hubs.
    pub hubs: bool,
}

#[derive(Clone, Debug)]
pub struct SiteSpec {
    pub county: bool,
    pub hub: bool,
    pub lat: f64,
    pub lon: f64,
    pub stock: i64,
    pub consumption_halves: u32,
    pub reserve_days: u32,
    pub delivery: Option<(u32, i64)>,
    pub class: usize,
    /// Explicit acute need per class.
    pub explicit: Option<Vec<i64>>,
}

fn site_spec(shape: Shape) -> impl Strategy<Value = SiteSpec> {
    // Without hubs the county flag is the only draw (the same random stream as a
    // plain boolean, so saved proptest cases replay unchanged).
    let county_hub = if shape.hubs {
        (any::<bool>(), proptest::bool::weighted(0.15)).boxed()
    } else {
        any::<bool>().prop_map(|c| (c, false)).boxed()
    };
    let explicit = match shape.explicit {
        Some(p) => proptest::option::weighted(p, proptest::collection::vec(0i64..30, 5)).boxed(),
        None => Just(None).boxed(),
    };
    (
        county_hub,
        59.0f64..60.5,
        15.5f64..17.0,
        0i64..300,
        0u32..40,
        0u32..4,
        proptest::option::of((0u32..6, 0i64..100)),
        0usize..5,
        explicit,
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
    pub sites: Vec<SiteSpec>,
    pub items: usize,
    pub horizon_days: u32,
    /// Explicit lanes: (from, to, capacity) by site index; None = default lanes.
    pub lanes: Option<Vec<(usize, usize, Option<i64>)>>,
}

/// Random scenario specifications of `shape`; [`build`] makes the scenario.
pub fn scenario_spec(shape: Shape) -> impl Strategy<Value = ScenarioSpec> {
    (
        proptest::collection::vec(site_spec(shape), 2..shape.max_sites),
        1usize..shape.max_items,
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

/// The scenario of `spec`.
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
            hub: s.hub,
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
