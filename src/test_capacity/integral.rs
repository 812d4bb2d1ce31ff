//! From the LP's values to a whole-number plan.
//!
//! * Tests: a value within [`WHOLE_TOLERANCE`] of a whole number is taken as that
//!   number (the LP is integral in the common case; the tolerance absorbs the solver's
//!   feasibility tolerance: a row of fewer than 10^4 terms with an integral bound
//!   cannot be pushed past that bound by these roundings); any other value is rounded
//!   **down** and counted in `fractional_rounded_down`, so no limit can be exceeded by
//!   rounding.
//! * Samples and kits: given the whole-number tests per site and type, the sample
//!   routing (sites → labs within lab capacity) and the kit shipments (stores → sites
//!   to cover kits used beyond stock) are transportation problems with integer data,
//!   solved exactly by the network simplex ([`crate::flow::solve`]) at least cost in
//!   the km the plan reports, scaled to whole micro-km ([`KM_SCALE`]; a coarser
//!   power of ten only where the network simplex's cost bound requires it, never
//!   coarser than 1 km: [`km_scale`]). The LP's fractional routing proves them feasible (the tests only went
//!   down), so their optimum is integral and no worse than the LP's transport level.
//!
//! [`plan_testing`](crate::test_capacity::plan_testing) re-checks every limit of the
//! whole-number plan afterwards.

use super::program::TestingProgram;
use super::resolve::{ResolvedTesting, Route};
use crate::error::{Error, Result};
use crate::flow::{self, Network, Status, INFINITE};

/// Largest distance from a whole number that still counts as that number.
pub const WHOLE_TOLERANCE: f64 = 1e-4;

/// Whole-number tests, samples and kits.
#[derive(Clone, Debug, PartialEq)]
pub struct IntegralPlan {
    /// Per entry, per candidate.
    pub tests: Vec<Vec<i64>>,
    /// Per sample route.
    pub samples: Vec<i64>,
    /// Per kit route.
    pub kits: Vec<i64>,
    /// How many test values were fractional and rounded down.
    pub fractional_rounded_down: usize,
}

/// The LP's tests as whole numbers: `(tests per entry and candidate, how many were
/// fractional and rounded down)`.
pub fn whole_tests(r: &ResolvedTesting, p: &TestingProgram, values: &[f64]) -> (Vec<Vec<i64>>, usize) {
    let mut fractional = 0;
    let mut tests = Vec::with_capacity(p.x.len());
    for (e, vars) in p.x.iter().enumerate() {
        let entry = &r.entries[e];
        let mut row = Vec::with_capacity(vars.len());
        for v in vars {
            let value = values.get(v.index()).copied().unwrap_or(0.0).max(0.0);
            let nearest = value.round();
            let whole = if (value - nearest).abs() <= WHOLE_TOLERANCE {
                nearest
            } else {
                fractional += 1;
                value.floor()
            };
            row.push((whole as i64).min(entry.tests));
        }
        tests.push(row);
    }
    (tests, fractional)
}

/// Routes the samples and kits of whole-number `tests` exactly.
pub fn integral_plan(
    r: &ResolvedTesting,
    tests: Vec<Vec<i64>>,
    fractional: usize,
    site_kits: &[[i64; 2]],
    store_kits: &[[i64; 2]],
) -> Result<IntegralPlan> {
    let mut per_site = vec![[0i64; 2]; r.site_capacity.len()];
    for (entry, row) in r.entries.iter().zip(&tests) {
        for (&(site, _), &n) in entry.candidates.iter().zip(row) {
            per_site[site][entry.test_type.index()] += n;
        }
    }
    let mut samples = vec![0i64; r.sample_routes.len()];
    let mut kits = vec![0i64; r.kit_routes.len()];
    for t in 0..2 {
        let supply: Vec<i64> = per_site.iter().map(|s| s[t]).collect();
        let caps: Vec<i64> = r.lab_capacity.iter().map(|c| c[t]).collect();
        route(&r.sample_routes, t, &supply, &caps, &mut samples, "samples")?;
        let need: Vec<i64> = per_site
            .iter()
            .zip(site_kits)
            .map(|(used, stock)| (used[t] - stock[t]).max(0))
            .collect();
        let stock: Vec<i64> = store_kits.iter().map(|k| k[t]).collect();
        route(&r.kit_routes, t, &need, &stock, &mut kits, "kits")?;
    }
    Ok(IntegralPlan {
        tests,
        samples,
        kits,
        fractional_rounded_down: fractional,
    })
}

/// Route costs are km × this (whole micro-km) unless the cost bound needs a coarser scale.
pub const KM_SCALE: f64 = 1e6;

/// The scale of route costs (km × scale, rounded to whole numbers): [`KM_SCALE`], or
/// the largest smaller power of ten for which `max_km × scale` stays within the
/// network simplex's cost bound on `nodes` nodes
/// ([`NetworkSimplex::max_cost`](crate::flow::NetworkSimplex::max_cost)). Below 1
/// (whole km) it is an [`Error::Overflow`].
pub fn km_scale(max_km: f64, nodes: usize, what: &str) -> Result<f64> {
    let bound = crate::flow::NetworkSimplex::max_cost(nodes) as f64;
    let mut scale = KM_SCALE;
    while max_km * scale > bound && scale >= 1.0 {
        scale /= 10.0;
    }
    if !max_km.is_finite() || scale < 1.0 {
        return Err(Error::Overflow(format!(
            "routing {what}: a route of {max_km} km on {nodes} nodes exceeds the network simplex's cost bound {bound} even in whole km"
        )));
    }
    Ok(scale)
}

/// Moves, for test type `t`, exactly `amount[i]` units along the routes of type `t`
/// within the limits `limit[j]`, at least cost, writing the flow per route into `out`.
/// Samples: routes run site → lab, `amount` per site (sent), `limit` per lab.
/// Kits: routes run store → site, `limit` per store (stock), `amount` per site (received).
fn route(routes: &[Route], t: usize, amount: &[i64], limit: &[i64], out: &mut [i64], what: &str) -> Result<()> {
    let total: i64 = amount
        .iter()
        .try_fold(0i64, |a, &b| a.checked_add(b))
        .ok_or_else(|| Error::Overflow(format!("total {what}")))?;
    if total == 0 {
        return Ok(());
    }
    let samples = what == "samples";
    let (n_amount, n_limit) = (amount.len(), limit.len());
    // Nodes: amount holders 0..n_amount, limit holders n_amount.., one hub last.
    let hub = (n_amount + n_limit) as u32;
    let mut net = Network::with_nodes(n_amount + n_limit + 1);
    for (i, &a) in amount.iter().enumerate() {
        net.set_supply(i as u32, if samples { a } else { -a })?;
    }
    net.set_supply(hub, if samples { -total } else { total })?;
    for (j, &cap) in limit.iter().enumerate() {
        let node = (n_amount + j) as u32;
        if samples {
            net.add_arc(node, hub, cap, 0);
        } else {
            net.add_arc(hub, node, cap, 0);
        }
    }
    let max_km = routes
        .iter()
        .filter(|r| r.test_type.index() == t)
        .fold(0.0f64, |m, r| m.max(r.km));
    let scale = km_scale(max_km, n_amount + n_limit + 1, what)?;
    let mut arc_of_route = Vec::new();
    for (i, route) in routes.iter().enumerate() {
        if route.test_type.index() != t {
            continue;
        }
        let cost = (route.km * scale).round() as i64;
        let arc = if samples {
            net.add_arc(route.from as u32, (n_amount + route.to) as u32, INFINITE, cost)
        } else {
            net.add_arc((n_amount + route.from) as u32, route.to as u32, INFINITE, cost)
        };
        arc_of_route.push((i, arc.index()));
    }
    let solution = flow::solve(&net)?;
    if solution.status != Status::Optimal {
        return Err(Error::Solver(format!(
            "routing whole-number {what} ({}) is {:?}, though the LP routed them",
            if t == 0 { "pcr" } else { "serology" },
            solution.status
        )));
    }
    for (i, arc) in arc_of_route {
        out[i] = solution.flows[arc];
    }
    Ok(())
}
