//! The lexicographic solve of one time-expanded network, level by level on the network
//! simplex (or the LP engine), every answer checked against the optimality certificate
//! ([`Certified`]).
//!
//! 1. **Need levels**, highest first: acute consumption of class 0, 1, ..., `K−1` (days
//!    inside the acute window), then the later days of class 0, ..., `K−1`. A run of
//!    consecutive levels is solved at once with weighted costs −`W_l` on its
//!    consumption arcs and 0 elsewhere, so it maximises the unit-days served level by
//!    level (equivalently minimises the unit-days of shortage); the run is as long as
//!    its weights stay exact in `i64` (see [`run_weights`]; one level, weight 1, at
//!    least). Every level of the run is then fixed by bounds `[met, met]` on its
//!    collector arc, as `process::lexicographic` does with its chunks. A level that the
//!    previous solution already serves in full is fixed without a solve. The solver
//!    keeps its basis from one solve to the next (only costs and bounds change).
//! 2. **Transport**: lane arcs cost their km (0.1 km), every need level fixed.
//! 3. **Tie-breaker**: among the plans with the least transport, the one whose stock
//!    at the end of the horizon covers the most days of consumption where it is
//!    consumed, filled evenly: the `j`-th rung (one day of a site's consumption) of
//!    `end(v) → Z` costs `−(J − j)`, so every site's first day of cover comes before any
//!    site's second. Transport is kept at its optimum exactly: after step 2 every arc
//!    whose reduced cost is not 0 is fixed at its flow (complementary slackness: the
//!    flows that keep those arcs there are exactly the optimal ones). When its weight
//!    fits, steps 2 and 3 are one solve instead, lanes costing `w · km` with `w` above
//!    any tie-breaker gain (see [`transport_weight`]).

use super::network::TimeNetwork;
use crate::engine::flow_engine;
use crate::error::{Error, Result};
use crate::flow::{Certified, CostScaling, Engine, FlowEngine, FlowSolution, Status};

/// The value of one more unit at a (site, day): the first level it would improve.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct NodeDual {
    /// Need level (0-based) whose solve valued it, or `None`.
    pub level: Option<usize>,
    /// Unit-days of that level one more unit gains (0 without a level).
    pub value: i64,
    /// km part (0.1 km) from the transport solve: km saved (> 0) or spent (< 0).
    pub km_tenths: i64,
}

pub(crate) struct Solved {
    pub flows: Vec<i64>,
    /// Per local site and day (`v * H + t`).
    pub duals: Vec<NodeDual>,
    /// Number of solves run.
    pub solves: usize,
}

fn optimal(runner: &mut impl FlowEngine) -> Result<FlowSolution> {
    let sol = runner.solve()?;
    if sol.status != Status::Optimal {
        return Err(Error::Solver(format!(
            "lookahead network came back {} (it is always feasible)",
            sol.status
        )));
    }
    Ok(sol)
}

fn gap(sol: &FlowSolution, v: u32, sink: u32) -> i64 {
    let p = |x: u32| i128::from(sol.potentials.get(x as usize).copied().unwrap_or(0));
    (p(v) - p(sink)).clamp(i128::from(i64::MIN), i128::from(i64::MAX)) as i64
}

/// Solves `tn` lexicographically (see the module doc). `arrival[v*H+t]` is the node
/// whose potential prices one more unit for site `v` on day `t`.
pub(crate) fn solve(tn: &TimeNetwork, arrival: &[u32], engine: Engine) -> Result<Solved> {
    // The engine that runs (`Auto` resolved), so that weights respect its cost limit.
    let engine = engine.resolve(&tn.net);
    let mut runner = Certified::new(&tn.net, flow_engine(&tn.net, engine)?)?;
    let mut duals = vec![
        NodeDual {
            level: None,
            value: 0,
            km_tenths: 0
        };
        arrival.len()
    ];
    let (mut last, mut solves) = solve_need_levels(tn, &mut runner, arrival, engine, &mut duals)?;
    for c in &tn.consume {
        runner.set_cost(c.arc, 0)?;
    }
    let has_rungs = tn.rungs.iter().any(|r| !r.is_empty());
    let together = if tn.lanes.is_empty() || !has_rungs {
        None
    } else {
        transport_weight(tn, engine)
    };
    if let Some(w) = together {
        // Transport and tie-breaker in one solve (see `transport_weight`).
        for la in &tn.lanes {
            runner.set_cost(la.arc, la.cost * w)?;
        }
        set_rung_costs(&mut runner, tn)?;
        let sol = optimal(&mut runner)?;
        solves += 1;
        for (d, &node) in duals.iter_mut().zip(arrival) {
            // gap = w·(transport gap) + (tie-breaker part, |·| <= J < w/2)
            d.km_tenths = -(gap(&sol, node, tn.sink) + w / 2).div_euclid(w);
        }
        last = Some(sol);
    } else {
        if !tn.lanes.is_empty() {
            for la in &tn.lanes {
                runner.set_cost(la.arc, la.cost)?;
            }
            let sol = optimal(&mut runner)?;
            solves += 1;
            for (d, &node) in duals.iter_mut().zip(arrival) {
                d.km_tenths = -gap(&sol, node, tn.sink);
            }
            fix_nonzero_reduced_costs(&mut runner, &sol)?;
            for la in &tn.lanes {
                runner.set_cost(la.arc, 0)?;
            }
            last = Some(sol);
        }
        if has_rungs {
            set_rung_costs(&mut runner, tn)?;
            last = Some(optimal(&mut runner)?);
            solves += 1;
        }
    }
    let flows = match last {
        Some(sol) => sol.flows,
        None => {
            solves += 1;
            optimal(&mut runner)?.flows
        }
    };
    Ok(Solved { flows, duals, solves })
}

/// The tie-breaker's costs: rung `j` of `end(v) → Z` costs `−(J − j)`.
fn set_rung_costs<E: FlowEngine>(runner: &mut Certified<E>, tn: &TimeNetwork) -> Result<()> {
    for rungs in &tn.rungs {
        for (j, &arc) in rungs.iter().enumerate() {
            runner.set_cost(arc, -((tn.rung_count - j) as i64))?;
        }
    }
    Ok(())
}

/// The weight `w = J · G + 1` (`J` rungs, `G` the total supply) that solves transport
/// and the tie-breaker in one solve, lanes costing `w · km`: the tie-breaker's cost
/// lies in `[−J·G, 0]`, so two plans whose transport differs by at least 0.1 km differ
/// by more than any tie-breaker gain, and the solve keeps transport at its optimum
/// exactly. One more unit's tree path to the sink crosses at most one rung, so a gap is
/// `w · (km part) + r` with `|r| <= J < w/2` and the km part decodes exactly. `None`
/// (two solves then) when `w · (largest km)` does not fit as `run_weights` requires.
fn transport_weight(tn: &TimeNetwork, engine: Engine) -> Option<i64> {
    let total = -i128::from(tn.net.supplies()[tn.sink as usize]);
    let w = (tn.rung_count as i128)
        .checked_mul(total)?
        .checked_add(1)?
        .max(2 * tn.rung_count as i128 + 1);
    let c_max = i128::from(tn.lanes.iter().map(|la| la.cost).max().unwrap_or(0));
    let max = c_max.checked_mul(w)?.max(w);
    let nodes = tn.net.node_count() as i128 + 2;
    if max.checked_add(1)?.checked_mul(nodes)?.checked_mul(64)? > i128::from(i64::MAX) {
        return None;
    }
    if !fits_engine(max, tn, engine) {
        return None;
    }
    i64::try_from(w).ok()
}

/// The need levels, highest first, in runs of consecutive levels solved together
/// (see [`run_weights`]); after each run every level of it is fixed at its optimum.
/// A level the last solution already serves in full is at its optimum (no plan serves
/// more than all of it) and one more unit cannot improve it: it is fixed without a
/// solve. Records each node's first improvable level in `duals`. Returns the last
/// solution and the number of solves.
fn solve_need_levels<E: FlowEngine>(
    tn: &TimeNetwork,
    runner: &mut Certified<E>,
    arrival: &[u32],
    engine: Engine,
    duals: &mut [NodeDual],
) -> Result<(Option<FlowSolution>, usize)> {
    let active: Vec<usize> = (0..tn.collectors.len()).filter(|&l| tn.level_caps[l] > 0).collect();
    let total = -i128::from(tn.net.supplies()[tn.sink as usize]);
    let mut solves = 0;
    let mut last: Option<FlowSolution> = None;
    let mut i = 0;
    while i < active.len() {
        let full = tn.level_caps[active[i]];
        if last
            .as_ref()
            .is_some_and(|s| s.flows[tn.collectors[active[i]] as usize] == full)
        {
            runner.set_bounds(tn.collectors[active[i]], full, full)?;
            i += 1;
            continue;
        }
        let mut j = i + 1; // the run is active[i..j]
        while j < active.len() && run_weights(tn, &active[i..=j], total, engine).is_some() {
            j += 1;
        }
        let run = &active[i..j];
        // A single level always fits (weight 1).
        let weights = run_weights(tn, run, total, engine).unwrap_or_else(|| vec![1; run.len()]);
        for c in &tn.consume {
            let w = run.iter().position(|&l| l == c.level).map_or(0, |p| weights[p]);
            runner.set_cost(c.arc, -w)?;
        }
        let sol = optimal(runner)?;
        solves += 1;
        for &l in run {
            let met = sol.flows[tn.collectors[l] as usize];
            runner.set_bounds(tn.collectors[l], met, met)?;
        }
        for (d, &node) in duals.iter_mut().zip(arrival) {
            let g = gap(&sol, node, tn.sink);
            // The highest level of the run whose weight the gap reaches.
            if let (None, Some(p)) = (d.level, weights.iter().position(|&w| g >= w)) {
                *d = NodeDual {
                    level: Some(run[p]),
                    value: g / weights[p],
                    km_tenths: 0,
                };
            }
        }
        last = Some(sol);
        i = j;
    }
    Ok((last, solves))
}

/// Weights of a run of need levels `run` (ascending), every level above it fixed and
/// every level below it unrewarded: `W_last = 1`, `W_l = Σ_{m > l in run} W_m ·
/// min(N_m, G) + 1`, with `N_m` the level's consumption in unit-days and `G` the total
/// supply of the network. A consumption arc of level `l` costs `−W_l`, every other arc
/// 0, so the flow cost is `−Σ W_l · met_l`.
///
/// **Claim.** A min-cost flow `x` for these costs is lexicographically optimal over the
/// run. **Proof.** If a feasible `y` had `met_m(y) = met_m(x)` for the run's levels
/// `m < l` and `met_l(y) ≥ met_l(x) + 1`, then, as no level meets more than `min(N_m,
/// G)` units, `cost(y) − cost(x) ≤ −W_l + Σ_{m > l} W_m · min(N_m, G) = −1 < 0`,
/// against the optimality of `x`. ∎
///
/// One more unit at a node changes the flow along one tree path to the sink, which
/// enters and leaves any collector but the last one it reaches: its value is one
/// level's weight (or 0), so the dual decodes exactly.
///
/// `None` when the weights do not fit: all in `i128`, and `64 · (W + 1) · (nodes + 2)`
/// must fit in `i64` (as `process::lexicographic` checks, headroom for the simplex's
/// potentials and reduced costs); and the engine's own limit ([`fits_engine`]).
fn run_weights(tn: &TimeNetwork, run: &[usize], total: i128, engine: Engine) -> Option<Vec<i64>> {
    let mut w = vec![0i128; run.len()];
    let mut below: i128 = 0;
    for (p, &l) in run.iter().enumerate().rev() {
        w[p] = below.checked_add(1)?;
        below = below.checked_add(w[p].checked_mul(i128::from(tn.level_caps[l]).min(total))?)?;
    }
    let max = w.first().copied().unwrap_or(1);
    let nodes = tn.net.node_count() as i128 + 2;
    if max.checked_add(1)?.checked_mul(nodes)?.checked_mul(64)? > i128::from(i64::MAX) {
        return None;
    }
    if !fits_engine(max, tn, engine) {
        return None;
    }
    Some(w.into_iter().map(|x| x as i64).collect())
}

/// True when costs up to `max` in absolute value suit `engine` beyond the simplex's
/// headroom: the LP engine (f64) takes at most 2^31, cost scaling at most
/// [`CostScaling::max_cost`] of the network's node count.
fn fits_engine(max: i128, tn: &TimeNetwork, engine: Engine) -> bool {
    match engine {
        Engine::Lp => max <= 1 << 31,
        Engine::CostScaling => max <= i128::from(CostScaling::max_cost(tn.net.node_count())),
        Engine::Simplex | Engine::Auto => true,
    }
}

/// Fixes every arc with a non-zero reduced cost in `sol` at its flow: what is left
/// feasible is exactly the set of optimal flows of the problem `sol` solved.
fn fix_nonzero_reduced_costs<E: FlowEngine>(runner: &mut Certified<E>, sol: &FlowSolution) -> Result<()> {
    let net = runner.network();
    let (tails, heads, costs) = (net.tails().to_vec(), net.heads().to_vec(), net.costs().to_vec());
    for a in 0..costs.len() {
        let rc = i128::from(costs[a]) + i128::from(sol.potentials[tails[a] as usize])
            - i128::from(sol.potentials[heads[a] as usize]);
        if rc != 0 {
            runner.set_bounds(a as u32, sol.flows[a], sol.flows[a])?;
        }
    }
    Ok(())
}
