//! Value checks of a [`TestingScenario`]: every problem with its JSON path
//! (`sites[3].capacity_per_day: must be >= 0, got -5`), all at once, none fixed
//! silently.

use super::scenario::{Demand, Laboratory, SamplingSite, TestType, TestingParameters, TestingScenario, Weekday};
use crate::error::{Error, InvalidValue, Result};
use crate::limits::compact;
use crate::model::EARTH_RADIUS_KM;
use std::collections::{HashMap, HashSet};

/// The largest `parameters.detour_factor`: road km are at most this many times the
/// great-circle km. It bounds every distance (and so every cost of the plan) at
/// [`max_route_km`]`(MAX_DETOUR_FACTOR)` ≈ 200 000 km, checked before anything is
/// built.
pub const MAX_DETOUR_FACTOR: f64 = 10.0;

/// The longest possible route (km) with `detour`: half the Earth's circumference
/// (radius [`EARTH_RADIUS_KM`]) × `detour`.
pub fn max_route_km(detour: f64) -> f64 {
    std::f64::consts::PI * EARTH_RADIUS_KM * detour
}

/// Collects problems.
#[derive(Default)]
struct Problems(Vec<InvalidValue>);

impl Problems {
    fn push(&mut self, path: String, message: impl Into<String>) {
        self.0.push(InvalidValue::new(path, message));
    }

    fn non_negative(&mut self, path: impl FnOnce() -> String, value: i64) {
        if value < 0 {
            self.push(path(), format!("must be >= 0, got {value}"));
        }
    }

    fn coordinates(&mut self, table: &str, i: usize, lat: f64, lon: f64) {
        if !(-90.0..=90.0).contains(&lat) {
            self.push(
                format!("{table}[{i}].lat"),
                format!("must be in [-90, 90], got {}", compact(lat)),
            );
        }
        if !(-180.0..=180.0).contains(&lon) {
            self.push(
                format!("{table}[{i}].lon"),
                format!("must be in [-180, 180], got {}", compact(lon)),
            );
        }
    }

    /// Ids of one table: non-empty, no surrounding spaces, unique. Returns id → index.
    fn ids<'a>(&mut self, table: &str, ids: impl Iterator<Item = &'a str>) -> HashMap<&'a str, usize> {
        let mut map = HashMap::new();
        for (i, id) in ids.enumerate() {
            if id.is_empty() {
                self.push(format!("{table}[{i}].id"), "must not be empty");
            } else if id.trim() != id {
                self.push(
                    format!("{table}[{i}].id"),
                    format!("must not start or end with spaces, got '{id}'"),
                );
            }
            if let Some(&first) = map.get(id) {
                self.push(
                    format!("{table}[{i}].id"),
                    format!("duplicate id '{id}' (first at {table}[{first}])"),
                );
            } else {
                map.insert(id, i);
            }
        }
        map
    }

    /// A site's kits: `>= 0`, and none of a type the site does not offer.
    fn site_kits(&mut self, i: usize, s: &SamplingSite) {
        for t in TestType::ALL {
            let kits = s.kits.of(t);
            let path = || format!("sites[{i}].kits.{}", t.as_str());
            self.non_negative(path, kits);
            if kits > 0 && !s.test_types.is_empty() && !s.test_types.contains(&t) {
                self.push(
                    path(),
                    format!(
                        "the site does not offer {} (test_types), so it cannot use {kits} kits for it; \
                         add the type to test_types or keep the kits in a store",
                        t.as_str()
                    ),
                );
            }
        }
    }

    fn days(&mut self, path: String, days: &[Weekday]) {
        if days.is_empty() {
            self.push(path, "must list at least one day");
        } else if days.iter().collect::<HashSet<_>>().len() != days.len() {
            self.push(path, "must not repeat a day");
        }
    }
}

impl TestingScenario {
    /// Checks every value and reports **all** problems at once as
    /// [`Error::Invalid`], each with its JSON path.
    ///
    /// ```
    /// use allocnet::test_capacity::synthetic::vastmanland_testing;
    /// let mut s = vastmanland_testing().unwrap();
    /// assert!(s.validate().is_ok());
    /// s.sites[0].capacity_per_day = -5;
    /// let e = s.validate().unwrap_err().to_string();
    /// assert!(e.contains("sites[0].capacity_per_day: must be >= 0, got -5"), "{e}");
    /// ```
    pub fn validate(&self) -> Result<()> {
        let problems = self.problems();
        if problems.is_empty() {
            Ok(())
        } else {
            Err(Error::Invalid(problems))
        }
    }

    fn problems(&self) -> Vec<InvalidValue> {
        let mut p = Problems::default();
        p.parameters(&self.parameters);
        if self.groups.is_empty() {
            p.push("groups".into(), "must list at least one group");
        }
        let groups = p.ids("groups", self.groups.iter().map(|g| g.id.as_str()));
        for (i, g) in self.groups.iter().enumerate() {
            if let Some(km) = g.max_travel_km {
                if !(km.is_finite() && km >= 0.0) {
                    p.push(
                        format!("groups[{i}].max_travel_km"),
                        format!("must be a number >= 0, got {}", compact(km)),
                    );
                }
            }
        }
        let municipalities = p.ids("municipalities", self.municipalities.iter().map(|m| m.id.as_str()));
        for (i, m) in self.municipalities.iter().enumerate() {
            p.coordinates("municipalities", i, m.lat, m.lon);
        }
        p.demand(&self.demand, &municipalities, &groups);
        p.sites(&self.sites);
        p.labs(&self.labs);
        p.ids("stores", self.stores.iter().map(|s| s.id.as_str()));
        for (i, s) in self.stores.iter().enumerate() {
            p.coordinates("stores", i, s.lat, s.lon);
            p.non_negative(|| format!("stores[{i}].kits.pcr"), s.kits.pcr);
            p.non_negative(|| format!("stores[{i}].kits.serology"), s.kits.serology);
        }
        p.0
    }
}

impl Problems {
    fn parameters(&mut self, par: &TestingParameters) {
        if !(par.detour_factor.is_finite() && (1.0..=MAX_DETOUR_FACTOR).contains(&par.detour_factor)) {
            self.push(
                "parameters.detour_factor".into(),
                format!(
                    "must be a number in [1, {MAX_DETOUR_FACTOR}] (road km = great-circle km × detour factor), got {}",
                    compact(par.detour_factor)
                ),
            );
        }
        if par.candidate_sites == 0 {
            self.push("parameters.candidate_sites".into(), "must be >= 1, got 0");
        }
    }

    /// Demand rows: known municipality and group, tests `>= 0`, no repeated
    /// (municipality, group, test type).
    fn demand(&mut self, demand: &[Demand], municipalities: &HashMap<&str, usize>, groups: &HashMap<&str, usize>) {
        let mut seen = HashMap::new();
        for (i, d) in demand.iter().enumerate() {
            if !municipalities.contains_key(d.municipality.as_str()) {
                self.push(
                    format!("demand[{i}].municipality"),
                    format!("unknown municipality '{}'", d.municipality),
                );
            }
            if !groups.contains_key(d.group.as_str()) {
                self.push(format!("demand[{i}].group"), format!("unknown group '{}'", d.group));
            }
            self.non_negative(|| format!("demand[{i}].tests_per_week"), d.tests_per_week);
            let key = (d.municipality.as_str(), d.group.as_str(), d.test_type);
            if let Some(first) = seen.insert(key, i) {
                self.push(
                    format!("demand[{i}]"),
                    format!(
                        "repeats municipality '{}', group '{}', test type {} (first at demand[{first}])",
                        d.municipality,
                        d.group,
                        d.test_type.as_str()
                    ),
                );
            }
        }
    }

    fn sites(&mut self, sites: &[SamplingSite]) {
        self.ids("sites", sites.iter().map(|s| s.id.as_str()));
        for (i, s) in sites.iter().enumerate() {
            self.coordinates("sites", i, s.lat, s.lon);
            self.non_negative(|| format!("sites[{i}].capacity_per_day"), s.capacity_per_day);
            self.site_kits(i, s);
            if s.test_types.is_empty() {
                self.push(format!("sites[{i}].test_types"), "must list at least one test type");
            } else if s.test_types.iter().collect::<HashSet<_>>().len() != s.test_types.len() {
                self.push(format!("sites[{i}].test_types"), "must not repeat a test type");
            }
            self.days(format!("sites[{i}].opening_days"), &s.opening_days);
            if s.name.trim().is_empty() {
                self.push(
                    format!("sites[{i}].name"),
                    "must not be empty (the public guidance shows it)",
                );
            }
        }
    }

    fn labs(&mut self, labs: &[Laboratory]) {
        self.ids("labs", labs.iter().map(|l| l.id.as_str()));
        for (i, l) in labs.iter().enumerate() {
            self.coordinates("labs", i, l.lat, l.lon);
            self.days(format!("labs[{i}].opening_days"), &l.opening_days);
            let mut types = HashSet::new();
            for (j, c) in l.capacity.iter().enumerate() {
                self.non_negative(
                    || format!("labs[{i}].capacity[{j}].analyses_per_day"),
                    c.analyses_per_day,
                );
                if c.pooling < 1 {
                    self.push(
                        format!("labs[{i}].capacity[{j}].pooling"),
                        format!("must be >= 1 (samples per analysis), got {}", c.pooling),
                    );
                }
                if !types.insert(c.test_type) {
                    self.push(
                        format!("labs[{i}].capacity[{j}].test_type"),
                        format!("repeats test type {}", c.test_type.as_str()),
                    );
                }
            }
        }
    }
}
