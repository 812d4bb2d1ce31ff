//! Applying one scenario's draws to the base: spec → modified scenario and options.

use super::sample::Draw;
use super::spec::{check_drawn, Parameter, Per, Source, SweepSpec, Target, Value};
use crate::error::{Error, Result};
use crate::model::Scenario;
use crate::process::simulate::SimulationOptions;
use crate::process::{Policy, RoundOptions};
use crate::rng::SplitMix64;
use crate::test_capacity::TestingScenario;

/// Where each status row of the base belongs: its item, county and site index.
#[derive(Clone, Debug)]
pub(crate) struct RowIndex {
    row_item: Vec<usize>,
    row_site: Vec<usize>,
    row_county: Vec<usize>,
    /// Item ids in scenario order.
    pub items: Vec<String>,
    /// Number of counties (in order of first appearance among the sites).
    pub counties: usize,
    /// Number of sites.
    pub sites: usize,
}

impl RowIndex {
    /// The index of a resolved (checked) scenario: every status row names a known
    /// site and item.
    pub(crate) fn new(scenario: &Scenario) -> Result<RowIndex> {
        let mut county_ids: Vec<&str> = Vec::new();
        let site_county: Vec<usize> = scenario
            .sites
            .iter()
            .map(|s| match county_ids.iter().position(|c| *c == s.county) {
                Some(i) => i,
                None => {
                    county_ids.push(&s.county);
                    county_ids.len() - 1
                }
            })
            .collect();
        let site_of: rustc_hash::FxHashMap<&str, usize> = scenario
            .sites
            .iter()
            .enumerate()
            .map(|(i, s)| (s.id.as_str(), i))
            .collect();
        let item_of: rustc_hash::FxHashMap<&str, usize> = scenario
            .items
            .iter()
            .enumerate()
            .map(|(i, s)| (s.id.as_str(), i))
            .collect();
        let mut index = RowIndex {
            row_item: Vec::with_capacity(scenario.status.len()),
            row_site: Vec::with_capacity(scenario.status.len()),
            row_county: Vec::with_capacity(scenario.status.len()),
            items: scenario.items.iter().map(|i| i.id.clone()).collect(),
            counties: county_ids.len(),
            sites: scenario.sites.len(),
        };
        for (r, row) in scenario.status.iter().enumerate() {
            let (Some(&site), Some(&item)) = (site_of.get(row.site.as_str()), item_of.get(row.item.as_str())) else {
                return Err(Error::Internal(format!(
                    "status[{r}] names an unknown site or item after resolve"
                )));
            };
            index.row_item.push(item);
            index.row_site.push(site);
            index.row_county.push(site_county[site]);
        }
        Ok(index)
    }

    /// The index of a base without status rows (a testing scenario): only global draws.
    pub(crate) fn empty() -> RowIndex {
        RowIndex {
            row_item: Vec::new(),
            row_site: Vec::new(),
            row_county: Vec::new(),
            items: Vec::new(),
            counties: 0,
            sites: 0,
        }
    }

    /// Number of draws a parameter at level `per` needs.
    pub(crate) fn entities(&self, per: Per) -> usize {
        match per {
            Per::Global => 1,
            Per::Item => self.items.len(),
            Per::County => self.counties,
            Per::Site => self.sites,
        }
    }

    /// The site and item index of status row `row`.
    pub(super) fn row(&self, row: usize) -> (usize, usize) {
        (self.row_site[row], self.row_item[row])
    }

    /// The draw of status row `row` at level `per`.
    pub(super) fn entity(&self, per: Per, row: usize) -> usize {
        match per {
            Per::Global => 0,
            Per::Item => self.row_item[row],
            Per::County => self.row_county[row],
            Per::Site => self.row_site[row],
        }
    }
}

/// The place an error of parameter `i` is reported at.
pub(crate) fn place(i: usize, p: &Parameter) -> String {
    format!("parameters[{i}] ({})", p.name)
}

/// The name a drawn index stands for (a text parameter's grid or choice value).
pub(crate) fn label(p: &Parameter, index: f64) -> &str {
    let values = match &p.source {
        Source::Grid(v) | Source::Choice { values: v, .. } => v.as_slice(),
        _ => &[],
    };
    match values.get(index as usize) {
        Some(Value::Text(s)) => s,
        _ => "",
    }
}

/// The changes a scenario's draws make to the base's scenario and options.
#[derive(Clone, Debug)]
pub(crate) struct Applied {
    pub scenario: Scenario,
    pub round: RoundOptions,
    pub policy: Option<Policy>,
    /// Multiplier of national stock per item (scenario item order).
    pub national_stock: Vec<f64>,
    pub weeks: Option<u32>,
    /// Set by `reserve-days`, `acute-window-hours`, `redistribution` (the simulation
    /// reads them from its options).
    pub reserve_days: Option<f64>,
    pub acute_window_hours: Option<f64>,
    pub redistribution: Option<bool>,
}

/// Applies `draws` to a copy of `base`. A drawn value outside its target's range is
/// an [`Error::Invalid`] at the parameter (`parameters[0] (consumption): consumption
/// must be >= 0, got -0.2`); the scenario's own checks come after.
pub(crate) fn apply(
    base: &Scenario,
    round: RoundOptions,
    index: &RowIndex,
    spec: &SweepSpec,
    draws: &[Draw],
    events: u64,
) -> Result<Applied> {
    let mut out = Applied {
        scenario: base.clone(),
        round,
        policy: None,
        national_stock: vec![1.0; index.items.len()],
        weeks: None,
        reserve_days: None,
        acute_window_hours: None,
        redistribution: None,
    };
    for (i, (p, draw)) in spec.parameters.iter().zip(draws).enumerate() {
        if !p.target.is_text() {
            if let Some(&bad) = draw.iter().find(|&&x| check_drawn(p.target, x).is_err()) {
                let message = check_drawn(p.target, bad).err().unwrap_or_default();
                return Err(Error::invalid(place(i, p), message));
            }
        }
        apply_one(&mut out, index, i, p, draw, events)?;
    }
    Ok(out)
}

fn applies_to(p: &Parameter, item: &str) -> bool {
    p.items.as_ref().is_none_or(|list| list.iter().any(|i| i == item))
}

fn apply_one(out: &mut Applied, index: &RowIndex, i: usize, p: &Parameter, draw: &[f64], events: u64) -> Result<()> {
    let sc = &mut out.scenario;
    let first = draw.first().copied().unwrap_or(f64::NAN);
    match p.target {
        Target::Consumption | Target::Stock | Target::StockShock => {
            for (r, row) in sc.status.iter_mut().enumerate() {
                if !applies_to(p, &row.item) {
                    continue;
                }
                let x = draw[index.entity(p.per, r)];
                match p.target {
                    Target::Consumption => row.consumption_per_day *= x,
                    Target::Stock => row.stock = scaled(row.stock, x, i, p)?,
                    _ => row.stock -= scaled(row.stock, x, i, p)?,
                }
            }
        }
        Target::ReserveDays => {
            sc.parameters.reserve_days = first;
            out.reserve_days = Some(first);
        }
        Target::AcuteWindowHours => {
            sc.parameters.acute_window_hours = first;
            out.acute_window_hours = Some(first);
        }
        Target::HorizonDays => sc.parameters.horizon_days = first,
        Target::Redistribution => {
            if first == 0.0 {
                sc.lanes = Some(Vec::new());
            } else if first != 1.0 {
                return Err(Error::invalid(
                    place(i, p),
                    format!("redistribution must be 0 or 1, got {first}"),
                ));
            }
            out.redistribution = Some(first == 1.0);
        }
        Target::Engine => out.round.engine = label(p, first).parse().map_err(|e: Error| reword(e, i, p))?,
        Target::Policy => out.policy = Some(label(p, first).parse().map_err(|e: Error| reword(e, i, p))?),
        Target::NationalStock => {
            for (item, m) in index.items.iter().zip(out.national_stock.iter_mut()) {
                if applies_to(p, item) {
                    let x = draw[if p.per == Per::Item {
                        index.items.iter().position(|s| s == item).unwrap_or(0)
                    } else {
                        0
                    }];
                    *m *= x;
                }
            }
        }
        Target::DeliveryDelay => {
            for d in sc.status.iter_mut().flat_map(|r| r.deliveries.iter_mut()) {
                d.day += first;
            }
        }
        Target::Cancellation => {
            // One event per delivery, from a stream of its own (seeded by the sample).
            let mut rng = SplitMix64::new(SplitMix64::stream(events, i as u64 + 1, 0xCA).next_u64());
            for row in &mut sc.status {
                row.deliveries.retain(|_| rng.unit() >= first);
            }
        }
        Target::Weeks => out.weeks = Some(first as u32),
        Target::TestingDemand | Target::LabCapacity | Target::SiteCapacity => {
            return Err(Error::Internal(format!("{} applies to a testing scenario", p.target)));
        }
    }
    Ok(())
}

/// `round(stock × x)` as whole units; a result beyond the i64 range is an error.
fn scaled(stock: i64, x: f64, i: usize, p: &Parameter) -> Result<i64> {
    let y = (stock as f64 * x).round();
    if y.abs() < 9.0e18 {
        Ok(y as i64)
    } else {
        Err(Error::Overflow(format!(
            "{}: stock {stock} x {} exceeds the i64 range",
            place(i, p),
            crate::limits::compact(x)
        )))
    }
}

fn reword(e: Error, i: usize, p: &Parameter) -> Error {
    Error::invalid(place(i, p), e.to_string())
}

/// Simulation options with the draws applied (the national warehouses are set by the
/// caller).
pub(crate) fn simulation_options(base: &SimulationOptions, applied: &Applied) -> SimulationOptions {
    let mut o = base.clone();
    o.round = applied.round;
    if let Some(policy) = applied.policy {
        o.policy = policy;
    }
    if let Some(weeks) = applied.weeks {
        o.weeks = weeks;
    }
    if let Some(days) = applied.reserve_days {
        o.reserve_days = days;
    }
    if let Some(hours) = applied.acute_window_hours {
        o.acute_window_hours = hours;
    }
    if let Some(on) = applied.redistribution {
        o.county_redistribution = on;
    }
    o
}

/// Applies `draws` to a copy of the testing scenario `base` (multipliers rounded to
/// whole tests and analyses).
pub(crate) fn apply_testing(base: &TestingScenario, spec: &SweepSpec, draws: &[Draw]) -> Result<TestingScenario> {
    let mut t = base.clone();
    for (i, (p, draw)) in spec.parameters.iter().zip(draws).enumerate() {
        let x = draw.first().copied().unwrap_or(f64::NAN);
        check_drawn(p.target, x).map_err(|m| Error::invalid(place(i, p), m))?;
        match p.target {
            Target::TestingDemand => {
                for d in &mut t.demand {
                    d.tests_per_week = scaled(d.tests_per_week, x, i, p)?;
                }
            }
            Target::LabCapacity => {
                for c in t.labs.iter_mut().flat_map(|l| l.capacity.iter_mut()) {
                    c.analyses_per_day = scaled(c.analyses_per_day, x, i, p)?;
                }
            }
            Target::SiteCapacity => {
                for s in &mut t.sites {
                    s.capacity_per_day = scaled(s.capacity_per_day, x, i, p)?;
                }
            }
            other => return Err(Error::Internal(format!("{other} does not apply to a testing scenario"))),
        }
    }
    Ok(t)
}
