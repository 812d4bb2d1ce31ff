//! Picks a min-cost flow engine by [`Engine`].
//!
//! The engines live apart — the network simplex in [`crate::flow`], the LP engine in
//! [`crate::lp`] (which builds on `flow`) — and share the [`FlowEngine`] interface.
//! This module is the one place that knows both, so `flow` does not depend on `lp`.

use crate::error::Result;
use crate::flow::{CostScaling, FlowSolution, Network, NetworkSimplex};
pub use crate::flow::{Engine, FlowEngine};
use crate::lp::{solve_flow, LpFlowEngine};

/// A re-runnable solver for `network` of the chosen kind (the network is validated
/// and copied). [`Engine::Auto`] is resolved once, for `network` as given
/// ([`Engine::resolve`]).
///
/// ```
/// use allocnet::engine::{flow_engine, Engine};
/// use allocnet::flow::Network;
/// let mut net = Network::with_nodes(2);
/// net.set_supply(0, 2).unwrap();
/// net.set_supply(1, -2).unwrap();
/// net.add_arc(0, 1, 5, 4);
/// for engine in [Engine::Auto, Engine::Simplex, Engine::CostScaling, Engine::Lp] {
///     let mut solver = flow_engine(&net, engine).unwrap();
///     assert_eq!(solver.solve().unwrap().cost, Some(8));
/// }
/// ```
pub fn flow_engine(network: &Network, engine: Engine) -> Result<Box<dyn FlowEngine>> {
    Ok(match engine.resolve(network) {
        Engine::CostScaling => Box::new(CostScaling::new(network)?),
        Engine::Lp => Box::new(LpFlowEngine::new(network)?),
        Engine::Simplex | Engine::Auto => Box::new(NetworkSimplex::new(network)?),
    })
}

/// Solves `network` once with the chosen engine: [`crate::flow::solve`],
/// [`CostScaling`] or [`crate::lp::solve_flow`] ([`Engine::Auto`] resolved by
/// [`Engine::resolve`]).
pub fn solve_with(network: &Network, engine: Engine) -> Result<FlowSolution> {
    match engine.resolve(network) {
        Engine::CostScaling => CostScaling::new(network)?.solve(),
        Engine::Lp => solve_flow(network),
        Engine::Simplex | Engine::Auto => crate::flow::solve(network),
    }
}

/// As [`solve_with`], taking the network over: the network simplex and cost scaling
/// then keep its arrays instead of copying them ([`NetworkSimplex::from_network`],
/// [`CostScaling::from_network`]), the way to solve large problems in the least
/// memory.
pub fn solve_owned(network: Network, engine: Engine) -> Result<FlowSolution> {
    match engine.resolve(&network) {
        Engine::CostScaling => CostScaling::from_network(network)?.solve(),
        Engine::Lp => solve_flow(&network),
        Engine::Simplex | Engine::Auto => NetworkSimplex::from_network(network)?.solve(),
    }
}
