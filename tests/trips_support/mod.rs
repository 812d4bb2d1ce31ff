//! Random logistics data for the trips tests; random scenarios (with hubs and lane
//! capacities) come from `tests/common/scenarios.rs`.
#![allow(dead_code)]

use allocnet::trips::{ItemLogistics, Logistics};
use proptest::prelude::*;

pub use crate::common::scenarios::{build, ScenarioSpec, Shape};

/// Random scenarios of the trips tests: up to `max_sites - 1` sites, 1-3 items, hubs,
/// explicit need per class at half the sites.
pub fn scenario_spec(max_sites: usize) -> impl Strategy<Value = ScenarioSpec> {
    crate::common::scenarios::scenario_spec(Shape {
        max_sites,
        max_items: 4,
        explicit: Some(0.5),
        hubs: true,
    })
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
