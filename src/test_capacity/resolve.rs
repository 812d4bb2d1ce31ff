//! From a checked [`TestingScenario`] to the indexed quantities the plan needs: weekly
//! capacities, the candidate sites of every demand row, and the sample and kit routes
//! with their distances.

use super::scenario::{TestType, TestingScenario};
use crate::error::{Error, Result};
use crate::model::haversine_km;
use std::collections::{BTreeSet, HashMap};

/// One demand row with positive need, resolved.
#[derive(Clone, Debug, PartialEq)]
pub struct DemandEntry {
    /// Index into the scenario's `demand`.
    pub row: usize,
    /// Municipality index.
    pub municipality: usize,
    /// Group index.
    pub group: usize,
    /// Test type.
    pub test_type: TestType,
    /// Tests needed this week.
    pub tests: i64,
    /// Priority level index (0 = served first).
    pub level: usize,
    /// Candidate sites `(site index, km)`, nearest first.
    pub candidates: Vec<(usize, f64)>,
}

/// A route with its distance: samples site → lab, or kits store → site.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Route {
    /// Origin index (site for samples, store for kits).
    pub from: usize,
    /// Destination index (lab for samples, site for kits).
    pub to: usize,
    /// Test type.
    pub test_type: TestType,
    /// Distance (km, great-circle × detour factor).
    pub km: f64,
}

/// The scenario, checked and indexed.
#[derive(Clone, Debug, PartialEq)]
pub struct ResolvedTesting {
    /// The priorities in force, ascending: level `i` is `priorities[i]`.
    pub priorities: Vec<u32>,
    /// Demand rows with positive need.
    pub entries: Vec<DemandEntry>,
    /// Per site: samples per week (capacity per day × opening days).
    pub site_capacity: Vec<i64>,
    /// Per site and test type: whether offered.
    pub site_offers: Vec<[bool; 2]>,
    /// Per lab and test type: samples per week (analyses per day × days × pooling).
    pub lab_capacity: Vec<[i64; 2]>,
    /// Per lab and test type: analyses per week.
    pub lab_analyses: Vec<[i64; 2]>,
    /// Per lab and test type: pooling factor (1 if not given).
    pub lab_pooling: Vec<[i64; 2]>,
    /// Samples site → lab, for every offered type and lab with capacity for it.
    pub sample_routes: Vec<Route>,
    /// Kits store → site (same county unless `kits_across_counties`).
    pub kit_routes: Vec<Route>,
}

fn overflow(what: String) -> Error {
    Error::Overflow(what)
}

/// The largest total (demand, capacity, kits) allowed: 2^50, so every sum stays exact
/// in the LP's `f64` and no `i64` sum of the plan can overflow.
pub const MAX_TOTAL: i64 = 1 << 50;

/// Checks that `values` sum to at most [`MAX_TOTAL`].
fn check_total(values: impl Iterator<Item = i64>, what: &str) -> Result<()> {
    let mut total: i64 = 0;
    for v in values {
        total = total.checked_add(v).filter(|t| *t <= MAX_TOTAL).ok_or_else(|| {
            overflow(format!(
                "the total of {what} exceeds 2^50 (the plan computes in f64 and i64)"
            ))
        })?;
    }
    Ok(())
}

/// The candidate sites of one demand row from all sites offering its type (with
/// capacity, nearest first): those within `max_km`, the nearest `count` — and every
/// further site at exactly the km of the last one, so a tie for the last slot never
/// leaves a site at the same distance idle (ties are admitted, not broken by order).
pub fn candidates(all: &[(usize, f64)], max_km: f64, count: usize) -> Vec<(usize, f64)> {
    let within = all.partition_point(|&(_, km)| km <= max_km);
    let mut end = count.min(within);
    if end > 0 {
        let last = all[end - 1].1;
        end += all[end..within].iter().take_while(|&&(_, km)| km == last).count();
    }
    all[..end].to_vec()
}

/// Per lab and test type: samples per week, analyses per week, pooling factor.
type LabWeek = (Vec<[i64; 2]>, Vec<[i64; 2]>, Vec<[i64; 2]>);

impl TestingScenario {
    /// Validates and indexes the scenario.
    pub fn resolve(&self) -> Result<ResolvedTesting> {
        self.validate()?;
        self.check_totals()?;
        let priorities: Vec<u32> = self
            .groups
            .iter()
            .map(|g| g.priority)
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect();
        let (site_capacity, site_offers) = self.site_week()?;
        let (lab_capacity, lab_analyses, lab_pooling) = self.lab_week()?;
        let entries = self.demand_entries(&priorities, &site_capacity, &site_offers);
        let (sample_routes, kit_routes) = self.routes(&site_offers, &lab_capacity);
        Ok(ResolvedTesting {
            priorities,
            entries,
            site_capacity,
            site_offers,
            lab_capacity,
            lab_analyses,
            lab_pooling,
            sample_routes,
            kit_routes,
        })
    }

    /// Per site: tests per week (capacity per day × opening days) and the test types
    /// offered.
    fn site_week(&self) -> Result<(Vec<i64>, Vec<[bool; 2]>)> {
        let mut site_capacity = Vec::with_capacity(self.sites.len());
        let mut site_offers = Vec::with_capacity(self.sites.len());
        for (i, s) in self.sites.iter().enumerate() {
            let days = s.opening_days.len() as i64;
            site_capacity.push(
                s.capacity_per_day
                    .checked_mul(days)
                    .ok_or_else(|| overflow(format!("sites[{i}]: capacity_per_day × opening days")))?,
            );
            let mut offers = [false; 2];
            for t in &s.test_types {
                offers[t.index()] = true;
            }
            site_offers.push(offers);
        }
        Ok((site_capacity, site_offers))
    }

    /// Per lab and test type: samples and analyses per week, and the pooling factor.
    fn lab_week(&self) -> Result<LabWeek> {
        let (mut lab_capacity, mut lab_analyses, mut lab_pooling) = (Vec::new(), Vec::new(), Vec::new());
        for (i, l) in self.labs.iter().enumerate() {
            let days = l.opening_days.len() as i64;
            let (mut cap, mut analyses, mut pooling) = ([0i64; 2], [0i64; 2], [1i64; 2]);
            for (j, c) in l.capacity.iter().enumerate() {
                let t = c.test_type.index();
                analyses[t] = c
                    .analyses_per_day
                    .checked_mul(days)
                    .ok_or_else(|| overflow(format!("labs[{i}].capacity[{j}]: analyses per week")))?;
                cap[t] = analyses[t]
                    .checked_mul(c.pooling)
                    .ok_or_else(|| overflow(format!("labs[{i}].capacity[{j}]: samples per week")))?;
                pooling[t] = c.pooling;
            }
            lab_capacity.push(cap);
            lab_analyses.push(analyses);
            lab_pooling.push(pooling);
        }
        Ok((lab_capacity, lab_analyses, lab_pooling))
    }

    /// The demand rows with positive need, each with its priority level and candidate
    /// sites: per (municipality, test type) every offering site with capacity, nearest
    /// first (ties by site order), cut per group by max travel and candidate count (see
    /// [`candidates`]).
    fn demand_entries(&self, priorities: &[u32], site_capacity: &[i64], site_offers: &[[bool; 2]]) -> Vec<DemandEntry> {
        let detour = self.parameters.detour_factor;
        let km = |lat1, lon1, lat2, lon2| haversine_km(lat1, lon1, lat2, lon2) * detour;
        let group_index: HashMap<&str, usize> = self
            .groups
            .iter()
            .enumerate()
            .map(|(i, g)| (g.id.as_str(), i))
            .collect();
        let muni_index: HashMap<&str, usize> = self
            .municipalities
            .iter()
            .enumerate()
            .map(|(i, m)| (m.id.as_str(), i))
            .collect();
        let mut by_muni_type: HashMap<(usize, TestType), Vec<(usize, f64)>> = HashMap::new();
        let mut entries = Vec::new();
        for (row, d) in self.demand.iter().enumerate() {
            if d.tests_per_week == 0 {
                continue;
            }
            let (Some(&m), Some(&g)) = (
                muni_index.get(d.municipality.as_str()),
                group_index.get(d.group.as_str()),
            ) else {
                continue; // unreachable after validate()
            };
            let group = &self.groups[g];
            let all = by_muni_type.entry((m, d.test_type)).or_insert_with(|| {
                let mu = &self.municipalities[m];
                let mut v: Vec<(usize, f64)> = self
                    .sites
                    .iter()
                    .enumerate()
                    .filter(|(i, _)| site_offers[*i][d.test_type.index()] && site_capacity[*i] > 0)
                    .map(|(i, s)| (i, km(mu.lat, mu.lon, s.lat, s.lon)))
                    .collect();
                v.sort_by(|a, b| a.1.total_cmp(&b.1).then(a.0.cmp(&b.0)));
                v
            });
            let limit = group.max_travel_km.unwrap_or(f64::INFINITY);
            let candidates = candidates(all, limit, self.parameters.candidate_sites);
            let level = priorities.partition_point(|&p| p < group.priority);
            entries.push(DemandEntry {
                row,
                municipality: m,
                group: g,
                test_type: d.test_type,
                tests: d.tests_per_week,
                level,
                candidates,
            });
        }
        entries
    }

    /// Every total (demand, kits, weekly capacities) within [`MAX_TOTAL`].
    fn check_totals(&self) -> Result<()> {
        check_total(self.demand.iter().map(|d| d.tests_per_week), "demand.tests_per_week")?;
        check_total(self.sites.iter().map(|s| s.kits.pcr), "sites.kits.pcr")?;
        check_total(self.sites.iter().map(|s| s.kits.serology), "sites.kits.serology")?;
        check_total(self.stores.iter().map(|s| s.kits.pcr), "stores.kits.pcr")?;
        check_total(self.stores.iter().map(|s| s.kits.serology), "stores.kits.serology")?;
        check_total(
            self.sites.iter().map(|s| s.capacity_per_day.saturating_mul(7)),
            "sites.capacity_per_day × 7",
        )?;
        check_total(
            self.labs
                .iter()
                .flat_map(|l| l.capacity.iter())
                .map(|c| c.analyses_per_day.saturating_mul(7).saturating_mul(c.pooling)),
            "labs' weekly sample capacity",
        )?;
        Ok(())
    }

    /// The sample routes (every offered type's site → every lab with capacity for it,
    /// any county) and kit routes (store → offering site, same county unless
    /// `kits_across_counties`), with their km.
    fn routes(&self, site_offers: &[[bool; 2]], lab_capacity: &[[i64; 2]]) -> (Vec<Route>, Vec<Route>) {
        let detour = self.parameters.detour_factor;
        let km = |lat1, lon1, lat2, lon2| haversine_km(lat1, lon1, lat2, lon2) * detour;
        let mut sample_routes = Vec::new();
        for (s, site) in self.sites.iter().enumerate() {
            for t in TestType::ALL {
                if !site_offers[s][t.index()] {
                    continue;
                }
                for (l, lab) in self.labs.iter().enumerate() {
                    if lab_capacity[l][t.index()] > 0 {
                        let d = km(site.lat, site.lon, lab.lat, lab.lon);
                        sample_routes.push(Route {
                            from: s,
                            to: l,
                            test_type: t,
                            km: d,
                        });
                    }
                }
            }
        }
        let mut kit_routes = Vec::new();
        for (k, store) in self.stores.iter().enumerate() {
            for t in TestType::ALL {
                if store.kits.of(t) == 0 {
                    continue;
                }
                for (s, site) in self.sites.iter().enumerate() {
                    let allowed = self.parameters.kits_across_counties || site.county == store.county;
                    if allowed && site_offers[s][t.index()] {
                        kit_routes.push(Route {
                            from: k,
                            to: s,
                            test_type: t,
                            km: km(store.lat, store.lon, site.lat, site.lon),
                        });
                    }
                }
            }
        }
        (sample_routes, kit_routes)
    }
}
