//! Fixture builders shared by the integration tests: one way to write a site, and
//! random flow networks ([`networks`]) and random county scenarios ([`scenarios`]).
//!
//! Each test file that uses them declares `mod common;`. Not every file uses every
//! builder, hence the `dead_code` allowance.
#![allow(dead_code)]

pub mod networks;
pub mod scenarios;

use allocnet::model::{Site, SiteKind};
use allocnet::test_capacity::{Kits, SamplingKind, SamplingSite, TestType, Weekday};

/// Starts a site with id `id`: by default a municipality named `"Site {id}"` in
/// county `"C"` at latitude 0, longitude 0.
pub fn site(id: &str) -> SiteBuilder {
    SiteBuilder {
        id: id.into(),
        name: format!("Site {id}"),
        kind: SiteKind::Municipality,
        county: "C".into(),
        lat: 0.0,
        lon: 0.0,
        hub: false,
    }
}

/// A site under construction; finish it with [`build`](Self::build) (a supply-network
/// [`Site`]) or [`sampling`](Self::sampling) (a testing [`SamplingSite`]).
#[derive(Clone, Debug)]
pub struct SiteBuilder {
    id: String,
    name: String,
    kind: SiteKind,
    county: String,
    lat: f64,
    lon: f64,
    hub: bool,
}

impl SiteBuilder {
    /// Sets the county code.
    pub fn county(mut self, county: &str) -> Self {
        self.county = county.into();
        self
    }

    /// Sets the kind of actor (supply-network sites only).
    pub fn kind(mut self, kind: SiteKind) -> Self {
        self.kind = kind;
        self
    }

    /// Sets the coordinates (WGS84 degrees).
    pub fn at(mut self, lat: f64, lon: f64) -> Self {
        self.lat = lat;
        self.lon = lon;
        self
    }

    /// Marks the site as a hub that may forward stock (supply-network sites only).
    pub fn hub(mut self) -> Self {
        self.hub = true;
        self
    }

    /// Sets the display name.
    pub fn named(mut self, name: &str) -> Self {
        self.name = name.into();
        self
    }

    /// The supply-network site.
    pub fn build(self) -> Site {
        Site {
            id: self.id,
            name: self.name,
            kind: self.kind,
            county: self.county,
            lat: self.lat,
            lon: self.lon,
            hub: self.hub,
        }
    }

    /// A PCR drive-in sampling site open on Mondays only (so its weekly capacity is
    /// `capacity_per_day`), holding `pcr_kits` PCR kits and no serology kits; its
    /// address is `"Street 1, {id}"`.
    pub fn sampling(self, capacity_per_day: i64, pcr_kits: i64) -> SamplingSite {
        SamplingSite {
            address: format!("Street 1, {}", self.id),
            id: self.id,
            name: self.name,
            kind: SamplingKind::DriveIn,
            county: self.county,
            lat: self.lat,
            lon: self.lon,
            capacity_per_day,
            test_types: vec![TestType::Pcr],
            opening_days: vec![Weekday::Mon],
            kits: Kits {
                pcr: pcr_kits,
                serology: 0,
            },
        }
    }
}
