//! Before a part's MIP is built: bounds, from the input, on every quantity it computes.
//!
//! HiGHS computes in doubles. A level is read as a whole number when its value is
//! within 1e-3 of one, and so is every column; a double resolves whole numbers that
//! finely only up to about 2^40. Stock in the trillions of units (or litres, or
//! unit·km) would let the solver return values that no longer round to the plan it
//! found, and trips in the millions would make the trips table (one row per vehicle)
//! take gigabytes. Both are refused here, naming the field that makes them large.

use super::mip::Part;
use crate::error::{Error, InvalidValue, Result};
use crate::limits::{check_memory, compact};

/// Largest value any column or objective level of the trips MIP may reach, as
/// bounded from the input (2^40 ≈ 1.1·10¹²): a double resolves 2.4·10⁻⁴ there, below
/// the 1e-3 within which a solver value is read as a whole number.
pub const MAX_MIP_MAGNITUDE: f64 = (1u64 << 40) as f64;

/// [`MAX_MIP_MAGNITUDE`] as messages print it.
const LIMIT_TEXT: &str = "2^40 (1.10e12)";

/// A bound as messages print it: three significant digits (`4.40e17`).
fn sci(value: f64) -> String {
    format!("{value:.2e}")
}

/// Memory of one row of the trips table (its strings included), bytes: the estimate
/// checked against the memory limit.
const TRIP_ROW_BYTES: u128 = 256;

/// Checks the bounds of `part` (see the module doc); `Ok` when every quantity stays
/// at most [`MAX_MIP_MAGNITUDE`] and the trips table fits in the memory limit.
pub(crate) fn check_part(part: &Part<'_>) -> Result<()> {
    let resolved = part.resolved;
    let lg = part.logistics;
    let county = &resolved.scenario.sites[part.sites[0]].county;
    // A unit passes every site that forwards at most once on its way.
    let hops = 1.0 + (0..part.sites.len()).filter(|&v| part.forwards(v)).count() as f64;
    let max_cost = part.lanes.iter().map(|&l| resolved.lanes[l].cost).max().unwrap_or(0) as f64;
    let mut litres = 0.0;
    let mut errors = Vec::new();
    for i in 0..resolved.item_count() {
        let given: f64 = (0..part.sites.len()).map(|v| part.giveable(i, v) as f64).sum();
        let need: f64 = (0..part.sites.len())
            .map(|v| part.caps(i, v).map(|c| c.iter().map(|&u| u as f64).sum::<f64>()))
            .sum::<Result<f64>>()?;
        let moved = given * hops;
        litres += moved * lg.volume_l[i];
        let item = &resolved.scenario.items[i].id;
        let at = || status_path(part, i);
        for (what, value) in [
            ("units of need", need),
            ("units of giveable stock", given),
            ("unit·0.1 km of transport", moved * max_cost),
            ("litres moved", moved * lg.volume_l[i]),
        ] {
            if value > MAX_MIP_MAGNITUDE {
                errors.push(too_large(at(), county, item, what, value));
            }
        }
    }
    if let Some(vehicle) = &lg.vehicle {
        check_trips(part, county, litres / vehicle.capacity_l, max_cost, &mut errors)?;
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(Error::Invalid(errors))
    }
}

/// The trips a plan may need (`trips`: litres moved over the capacity, plus one per
/// lane), their cost and vehicle km, and the trips table's memory.
fn check_trips(part: &Part<'_>, county: &str, trips: f64, max_cost: f64, errors: &mut Vec<InvalidValue>) -> Result<()> {
    let Some(vehicle) = &part.logistics.vehicle else {
        return Ok(());
    };
    let mut trips = trips.ceil() + part.lanes.len() as f64;
    if let Some(cap) = vehicle.max_trips {
        trips = trips.min(cap as f64);
    }
    let field = "logistics.vehicle.capacity_l";
    for (what, value) in [
        ("trips", trips),
        (
            "trip cost (trips × cost_per_trip)",
            trips * vehicle.cost_per_trip as f64,
        ),
        ("vehicle km (trips × 0.1 km)", trips * max_cost),
    ] {
        if value > MAX_MIP_MAGNITUDE {
            errors.push(InvalidValue::new(
                field,
                format!(
                    "county {county}: the plan could reach {} {what} (the litres of stock that can move over \
                     the vehicle's {} l); at most {} keeps the MIP's values whole numbers: use a larger \
                     vehicle or fewer, larger units",
                    sci(value),
                    compact(vehicle.capacity_l),
                    LIMIT_TEXT
                ),
            ));
        }
    }
    if errors.is_empty() {
        let what = format!("the trips table of county {county} (up to {} trips)", sci(trips));
        check_memory(field, &what, trips as u128 * TRIP_ROW_BYTES)?;
    }
    Ok(())
}

/// The status row of `item` with the most giveable stock in the part (`status[r].stock`).
fn status_path(part: &Part<'_>, item: usize) -> String {
    let sc = &part.resolved.scenario;
    let largest = (0..part.sites.len()).max_by_key(|&v| (part.giveable(item, v), std::cmp::Reverse(v)));
    let row = largest.and_then(|v| {
        let site = &sc.sites[part.sites[v]].id;
        let item = &sc.items[item].id;
        sc.status.iter().position(|s| &s.site == site && &s.item == item)
    });
    match row {
        Some(r) => format!("status[{r}].stock"),
        None => format!("status (item '{}')", sc.items[item].id),
    }
}

fn too_large(path: String, county: &str, item: &str, what: &str, value: f64) -> InvalidValue {
    InvalidValue::new(
        path,
        format!(
            "county {county}, item '{item}': the trips MIP could reach {} {what}; at most {} keeps \
             its values whole numbers (plan in larger units, or without logistics data)",
            sci(value),
            LIMIT_TEXT
        ),
    )
}
