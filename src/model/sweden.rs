//! Sweden's 290 municipalities and 21 counties (real reference data, embedded from
//! `data/sweden_municipalities.csv` and `data/sweden_counties.csv`; sources in
//! `data/SOURCES.md`).

use crate::error::{Error, Result};

/// A hospital: name and approximate WGS84 location.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct Hospital {
    /// Its name.
    pub name: &'static str,
    /// Latitude (approximate).
    pub lat: f64,
    /// Longitude (approximate).
    pub lon: f64,
}

/// Region Västmanland's four hospitals, in Västerås, Köping, Sala and Fagersta (names
/// real, coordinates approximate): shared by the county-round and testing scenarios.
pub(crate) const VASTMANLAND_HOSPITALS: [Hospital; 4] = [
    Hospital {
        name: "Västmanlands sjukhus Västerås",
        lat: 59.6175,
        lon: 16.5580,
    },
    Hospital {
        name: "Köpings lasarett",
        lat: 59.5110,
        lon: 15.9990,
    },
    Hospital {
        name: "Sala lasarett",
        lat: 59.9210,
        lon: 16.5990,
    },
    Hospital {
        name: "Fagersta lasarett",
        lat: 60.0010,
        lon: 15.7940,
    },
];

const MUNICIPALITIES_CSV: &str = include_str!("../../data/sweden_municipalities.csv");
const COUNTIES_CSV: &str = include_str!("../../data/sweden_counties.csv");

/// A Swedish municipality (kommun).
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Municipality {
    /// Four-digit SCB code, e.g. `"1980"`.
    pub municipality_code: String,
    /// Name, e.g. `"Västerås"`.
    pub municipality_name: String,
    /// Two-digit county code, e.g. `"19"`.
    pub county_code: String,
    /// County name, e.g. `"Västmanlands län"`.
    pub county_name: String,
    /// Latitude (WGS84) of the municipal seat, or of the polygon centroid.
    pub latitude: f64,
    /// Longitude (WGS84).
    pub longitude: f64,
    /// `seat:NAME` or `centroid`: what the coordinates are.
    pub location: String,
    /// Registered population, 31 December 2025.
    pub population: u64,
}

/// A Swedish county (län).
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct County {
    /// Two-digit code.
    pub county_code: String,
    /// Name.
    pub county_name: String,
    /// Residence city.
    pub seat: String,
    /// Latitude of the seat (WGS84).
    pub seat_latitude: f64,
    /// Longitude of the seat (WGS84).
    pub seat_longitude: f64,
    /// Population (sum over its municipalities).
    pub population: u64,
    /// Number of municipalities.
    pub municipalities: u32,
}

fn parse<T: serde::de::DeserializeOwned>(text: &str, name: &str) -> Result<Vec<T>> {
    let mut reader = csv::ReaderBuilder::new().from_reader(text.as_bytes());
    reader
        .deserialize()
        .map(|r| {
            r.map_err(|e: csv::Error| Error::Parse {
                source_name: name.to_string(),
                line: e.position().map_or(0, |p| p.line() as usize),
                message: e.to_string(),
            })
        })
        .collect()
}

/// All 290 municipalities, in code order.
///
/// ```
/// let all = allocnet::model::sweden::municipalities().unwrap();
/// assert_eq!(all.len(), 290);
/// let vm: Vec<_> = all.iter().filter(|m| m.county_code == "19").collect();
/// assert_eq!(vm.len(), 10);
/// ```
pub fn municipalities() -> Result<Vec<Municipality>> {
    parse(MUNICIPALITIES_CSV, "data/sweden_municipalities.csv")
}

/// All 21 counties, in code order.
pub fn counties() -> Result<Vec<County>> {
    parse(COUNTIES_CSV, "data/sweden_counties.csv")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reference_data_holds_its_documented_checks() {
        let m = municipalities().unwrap();
        let c = counties().unwrap();
        assert_eq!(m.len(), 290);
        assert_eq!(c.len(), 21);
        for x in &m {
            assert!(
                (55.3..=69.1).contains(&x.latitude) && (10.9..=24.2).contains(&x.longitude),
                "{x:?}"
            );
            assert!(x.municipality_code.starts_with(&x.county_code));
        }
        let vm: u64 = m.iter().filter(|x| x.county_code == "19").map(|x| x.population).sum();
        assert_eq!(vm, 280_762);
        assert_eq!(m.iter().map(|x| x.population).sum::<u64>(), 10_605_520);
    }
}
