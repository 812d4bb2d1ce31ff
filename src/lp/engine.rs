//! The LP engine as a [`FlowEngine`]: the problem kept as a [`Network`], each solve a
//! fresh [`solve_flow`].

use super::flow_lp::solve_flow;
use crate::error::Result;
use crate::flow::{checked_set_bounds, checked_set_cost, checked_set_supply, FlowEngine, FlowSolution, Network};

/// Min-cost flow through the LP backend ([`solve_flow`]), behind the [`FlowEngine`]
/// interface. Nothing is kept between solves: each [`solve`](FlowEngine::solve) builds
/// and solves the LP of the current problem, so the answer is exactly
/// `solve_flow(&network)`.
///
/// ```
/// use allocnet::flow::{FlowEngine, Network};
/// use allocnet::lp::LpFlowEngine;
/// let mut net = Network::with_nodes(2);
/// net.set_supply(0, 3).unwrap();
/// net.set_supply(1, -3).unwrap();
/// net.add_arc(0, 1, 10, 2);
/// let mut engine = LpFlowEngine::new(&net).unwrap();
/// assert_eq!(engine.solve().unwrap().flows, vec![3]);
/// ```
#[derive(Clone, Debug)]
pub struct LpFlowEngine {
    network: Network,
}

impl LpFlowEngine {
    /// Validates `network` ([`Network::validate`]) and keeps a copy of it.
    pub fn new(network: &Network) -> Result<Self> {
        network.validate()?;
        Ok(Self {
            network: network.clone(),
        })
    }

    /// The problem as it stands after the changes made so far.
    pub fn network(&self) -> &Network {
        &self.network
    }
}

impl FlowEngine for LpFlowEngine {
    fn name(&self) -> &'static str {
        "lp"
    }

    fn node_count(&self) -> usize {
        self.network.node_count()
    }

    fn arc_count(&self) -> usize {
        self.network.arc_count()
    }

    fn set_cost(&mut self, arc: u32, cost: i64) -> Result<()> {
        checked_set_cost(&mut self.network, arc, cost)
    }

    fn set_bounds(&mut self, arc: u32, lower: i64, upper: i64) -> Result<()> {
        checked_set_bounds(&mut self.network, arc, lower, upper)
    }

    fn set_supply(&mut self, node: u32, supply: i64) -> Result<()> {
        checked_set_supply(&mut self.network, node, supply)
    }

    fn solve(&mut self) -> Result<FlowSolution> {
        solve_flow(&self.network)
    }
}
