//! Picks a min-cost flow engine by [`Engine`].
//!
//! The engines live apart — the network simplex in [`crate::flow`], the LP engine in
//! [`crate::lp`] (which builds on `flow`) — and share the [`FlowEngine`] interface.
//! This module is the one place that knows both, so `flow` does not depend on `lp`.

use crate::error::Result;
pub use crate::flow::{Engine, FlowEngine};
use crate::flow::{FlowSolution, Network, NetworkSimplex};
use crate::lp::{solve_flow, LpFlowEngine};

/// A re-runnable solver for `network` of the chosen kind (the network is validated
/// and copied).
///
/// ```
/// use allocnet::engine::{flow_engine, Engine};
/// use allocnet::flow::Network;
/// let mut net = Network::with_nodes(2);
/// net.set_supply(0, 2).unwrap();
/// net.set_supply(1, -2).unwrap();
/// net.add_arc(0, 1, 5, 4);
/// for engine in [Engine::Simplex, Engine::Lp] {
///     let mut solver = flow_engine(&net, engine).unwrap();
///     assert_eq!(solver.solve().unwrap().cost, Some(8));
/// }
/// ```
pub fn flow_engine(network: &Network, engine: Engine) -> Result<Box<dyn FlowEngine>> {
    Ok(match engine {
        Engine::Simplex => Box::new(NetworkSimplex::new(network)?),
        Engine::Lp => Box::new(LpFlowEngine::new(network)?),
    })
}

/// Solves `network` once with the chosen engine: [`crate::flow::solve`] or
/// [`crate::lp::solve_flow`].
pub fn solve_with(network: &Network, engine: Engine) -> Result<FlowSolution> {
    match engine {
        Engine::Simplex => crate::flow::solve(network),
        Engine::Lp => solve_flow(network),
    }
}

/// As [`solve_with`], taking the network over: the network simplex then keeps its
/// arrays instead of copying them ([`NetworkSimplex::from_network`]), the way to solve
/// large problems in the least memory.
pub fn solve_owned(network: Network, engine: Engine) -> Result<FlowSolution> {
    match engine {
        Engine::Simplex => NetworkSimplex::from_network(network)?.solve(),
        Engine::Lp => solve_flow(&network),
    }
}
