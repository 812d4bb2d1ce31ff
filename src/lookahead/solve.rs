//! The lexicographic solve of one time-expanded network, level by level on the network
//! simplex (or the LP engine), every answer checked against the optimality certificate
//! ([`Certified`]).
//!
//! 1. **Need levels**, highest first: acute consumption of class 0, 1, ..., `K−1` (days
//!    inside the acute window), then the later days of class 0, ..., `K−1`. Level `l`
//!    is solved with cost −1 on its consumption arcs and 0 elsewhere, so it maximises
//!    the unit-days served at that level (equivalently minimises the unit-days of
//!    shortage); the result is then fixed by bounds `[met, met]` on its collector arc,
//!    as `process::lexicographic` does level by level. A level that the previous
//!    solution already serves in full is fixed without a solve.
//! 2. **Transport**: lane arcs cost their km (0.1 km), every need level fixed.
//! 3. **Tie-breaker**: among the plans with the least transport, the one whose stock
//!    at the end of the horizon covers the most days of consumption where it is
//!    consumed, filled evenly: the `j`-th rung (one day of a site's consumption) of
//!    `end(v) → Z` costs `−(J − j)`, so every site's first day of cover comes before any
//!    site's second. Transport is kept at its optimum exactly: after step 2 every arc
//!    whose reduced cost is not 0 is fixed at its flow (complementary slackness: the
//!    flows that keep those arcs there are exactly the optimal ones).

use super::network::TimeNetwork;
use crate::engine::flow_engine;
use crate::error::{Error, Result};
use crate::flow::{Certified, Engine, FlowEngine, FlowSolution, Status};

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
    let mut runner = Certified::new(&tn.net, flow_engine(&tn.net, engine)?)?;
    let levels = tn.collectors.len();
    let mut duals = vec![
        NodeDual {
            level: None,
            value: 0,
            km_tenths: 0
        };
        arrival.len()
    ];
    let mut solves = 0;
    let mut last: Option<FlowSolution> = None;
    for l in 0..levels {
        if tn.level_caps[l] == 0 {
            continue;
        }
        // A level the last solution already serves in full is at its optimum (no plan
        // serves more than all of it), and one more unit cannot improve it: fix it
        // without a solve.
        let full = tn.level_caps[l];
        if last
            .as_ref()
            .is_some_and(|s| s.flows[tn.collectors[l] as usize] == full)
        {
            runner.set_bounds(tn.collectors[l], full, full)?;
            continue;
        }
        for c in &tn.consume {
            runner.set_cost(c.arc, if c.level == l { -1 } else { 0 })?;
        }
        let sol = optimal(&mut runner)?;
        solves += 1;
        let met = sol.flows[tn.collectors[l] as usize];
        runner.set_bounds(tn.collectors[l], met, met)?;
        for (d, &node) in duals.iter_mut().zip(arrival) {
            let g = gap(&sol, node, tn.sink);
            if d.level.is_none() && g > 0 {
                *d = NodeDual {
                    level: Some(l),
                    value: g,
                    km_tenths: 0,
                };
            }
        }
        last = Some(sol);
    }
    for c in &tn.consume {
        runner.set_cost(c.arc, 0)?;
    }
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
    if tn.rungs.iter().any(|r| !r.is_empty()) {
        for rungs in &tn.rungs {
            for (j, &arc) in rungs.iter().enumerate() {
                runner.set_cost(arc, -((tn.rung_count - j) as i64))?;
            }
        }
        last = Some(optimal(&mut runner)?);
        solves += 1;
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
