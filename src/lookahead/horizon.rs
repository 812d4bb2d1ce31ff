//! The day-by-day data of one item over the horizon, derived from the scenario:
//! consumption per day and class, stock kept at home and stock free to ship, expected
//! deliveries per day.
//!
//! * Consumption on day `t` (whole units) is `ceil(c·(t+1)) − ceil(c·t)` for a
//!   consumption of `c` per day (cumulative consumption rounded up, as the round's
//!   needs are), split over the priority classes by the site's class weights (largest
//!   remainder, ties to the higher class).
//! * A delivery `day` days from now arrives at the start of day `ceil(day)` (a delivery
//!   at 2.5 helps from day 3); deliveries from day `days` on fall outside the horizon.
//! * Stock free to ship is the round's giveable stock (stock above the acute-window
//!   requirement plus reserve, 0 for a site with acute need); the rest is kept at home
//!   for the site's own consumption and never shipped, so donors keep their reserve.
//!
//! Explicit `acute_need` / `planning_need` of a status row are the one-round summary
//! of the same consumption; the lookahead plans from the consumption itself.

use crate::error::{Error, Result};
use crate::model::{split_by_weights, ResolvedScenario};

/// One site's data for one item.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct SiteDays {
    /// Stock kept for the site's own consumption (`stock − free`).
    pub home: i64,
    /// Stock the site may ship (the round's giveable stock).
    pub free: i64,
    /// Consumption per day and class: `demand[t][c]`.
    pub demand: Vec<Vec<i64>>,
    /// Expected deliveries arriving on each day.
    pub arrivals: Vec<i64>,
    /// Whole units of one day's consumption, `ceil(c)` (the tie-breaker's rung size).
    pub daily: i64,
}

impl SiteDays {
    /// Consumption on day `t`, all classes.
    pub fn demand_total(&self, t: usize) -> i64 {
        self.demand[t].iter().sum()
    }
}

fn overflow(what: &str) -> Error {
    Error::Overflow(format!("lookahead: {what} exceeds i64"))
}

/// Cumulative consumption `c · t` rounded up to whole units (a millionth of a unit of
/// tolerance for binary fractions such as `0.1 × 3`).
pub(crate) fn cumulative(c: f64, t: usize) -> Result<i64> {
    let x = c * t as f64;
    let y = (x - 1e-6).ceil().max(0.0);
    if !y.is_finite() || y > crate::model::MAX_DERIVED_UNITS as f64 {
        return Err(overflow("cumulative consumption"));
    }
    Ok(y as i64)
}

/// The [`SiteDays`] of every site for `item` over `days` days.
pub(crate) fn item_days(resolved: &ResolvedScenario, item: usize, days: usize) -> Result<Vec<SiteDays>> {
    let sc = &resolved.scenario;
    let n = sc.sites.len();
    let k = resolved.classes.len();
    let mut status: Vec<Option<usize>> = vec![None; n];
    let item_id = &sc.items[item].id;
    let site_of: rustc_hash::FxHashMap<&str, usize> =
        sc.sites.iter().enumerate().map(|(i, s)| (s.id.as_str(), i)).collect();
    for (r, row) in sc.status.iter().enumerate() {
        if &row.item == item_id {
            if let Some(&v) = site_of.get(row.site.as_str()) {
                status[v] = Some(r);
            }
        }
    }
    let profiles = resolved.item_profiles(item);
    (0..n)
        .map(|v| {
            let p = &profiles[v];
            let mut out = SiteDays {
                home: p.stock - p.giveable,
                free: p.giveable,
                demand: vec![vec![0; k]; days],
                arrivals: vec![0; days],
                daily: 0,
            };
            let Some(r) = status[v] else { return Ok(out) };
            let row = &sc.status[r];
            let c = row.consumption_per_day;
            out.daily = cumulative(c, 1)?;
            let mut before = 0;
            for t in 0..days {
                let upto = cumulative(c, t + 1)?;
                out.demand[t] = split_by_weights(upto - before, &p.class_weights);
                before = upto;
            }
            for d in &row.deliveries {
                let day = d.day.ceil().max(0.0);
                if day < days as f64 {
                    let slot = &mut out.arrivals[day as usize];
                    *slot = slot
                        .checked_add(d.quantity)
                        .ok_or_else(|| overflow("deliveries of a day"))?;
                }
            }
            Ok(out)
        })
        .collect()
}

/// The stock a site would hold at the end of each day with no shipments at all: it
/// consumes its own stock and deliveries, and a day's consumption it cannot cover is
/// lost (not carried over). Returns `(served, end stock)` per day.
pub(crate) fn without_plan(s: &SiteDays) -> Result<Vec<(i64, i64)>> {
    let mut stock = s.home.checked_add(s.free).ok_or_else(|| overflow("stock"))?;
    let mut out = Vec::with_capacity(s.arrivals.len());
    for (t, &a) in s.arrivals.iter().enumerate() {
        stock = stock.checked_add(a).ok_or_else(|| overflow("stock"))?;
        let served = s.demand_total(t).min(stock);
        stock -= served;
        out.push((served, stock));
    }
    Ok(out)
}

/// The end-of-day stock of the home chain alone with no shipments (kept stock and
/// deliveries, consumed first): the least overnight capacity that keeps "no plan"
/// feasible under a storage cap.
pub(crate) fn home_baseline(s: &SiteDays) -> Vec<i64> {
    let mut stock = s.home;
    s.arrivals
        .iter()
        .enumerate()
        .map(|(t, &a)| {
            stock = stock.saturating_add(a);
            stock -= s.demand_total(t).min(stock);
            stock
        })
        .collect()
}
