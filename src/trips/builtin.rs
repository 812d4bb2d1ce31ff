//! Synthetic logistics data for the built-in scenarios (labelled synthetic).

use super::model::{ItemLogistics, Logistics, Substitute, Vehicle};

/// Synthetic pack sizes (units per pack), litres per unit and minimum packs per
/// shipment of the built-in items. Not from a supplier's catalogue: round figures of
/// the order of common retail packs.
pub const SYNTHETIC_PACKS: [(&str, i64, f64, i64); 10] = [
    ("surgical-mask", 50, 0.02, 1),
    ("ffp2", 20, 0.05, 1),
    ("ffp3", 10, 0.06, 1),
    ("visor", 10, 0.4, 1),
    ("goggles", 10, 0.3, 1),
    ("gloves", 100, 0.01, 1),
    ("gown", 10, 0.3, 1),
    ("apron", 100, 0.02, 1),
    ("hand-sanitiser", 1, 1.0, 2),
    ("surface-disinfectant", 1, 1.0, 2),
];

/// The built-in synthetic logistics data: [`SYNTHETIC_PACKS`], the substitutes FFP3 for
/// FFP2, FFP2 for surgical masks and aprons for gowns (1 for 1, every class), and one
/// van of 1 000 litres per trip (cost 1 per trip, no cap on trips).
///
/// ```
/// let lg = allocnet::trips::builtin_logistics();
/// assert!(lg.synthetic && lg.vehicle.is_some());
/// ```
pub fn builtin_logistics() -> Logistics {
    let sub = |item: &str, by: &str| Substitute {
        item: item.into(),
        by: by.into(),
        ratio: 1,
        classes: None,
    };
    Logistics {
        items: SYNTHETIC_PACKS
            .iter()
            .map(|&(item, pack_size, volume_l, min_packs)| ItemLogistics {
                item: item.into(),
                pack_size,
                volume_l,
                min_packs,
            })
            .collect(),
        substitutes: vec![sub("ffp2", "ffp3"), sub("surgical-mask", "ffp2"), sub("gown", "apron")],
        vehicle: Some(Vehicle {
            capacity_l: 1000.0,
            cost_per_trip: 1,
            max_trips: None,
        }),
        synthetic: true,
        substitutes_rank: None,
    }
}
