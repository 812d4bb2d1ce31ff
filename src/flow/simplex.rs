//! Primal network simplex (placeholder body; the implementation lands in this file).

use super::network::Network;
use super::solution::FlowSolution;
use crate::error::{Error, Result};

/// A re-runnable primal network simplex solver for one [`Network`].
#[derive(Clone, Debug)]
pub struct NetworkSimplex {
    network: Network,
}

impl NetworkSimplex {
    /// Validates `network` and prepares a solver for it.
    pub fn new(network: &Network) -> Result<Self> {
        network.validate()?;
        Ok(Self { network: network.clone() })
    }

    /// The problem as it stands (after any `set_*` calls).
    pub fn network(&self) -> &Network {
        &self.network
    }

    /// Changes the unit cost of `arc`; the next [`solve`](Self::solve) starts from the
    /// previous basis.
    pub fn set_cost(&mut self, arc: u32, cost: i64) -> Result<()> {
        self.network.set_cost(arc, cost)
    }

    /// Changes the bounds of `arc`.
    pub fn set_bounds(&mut self, arc: u32, lower: i64, upper: i64) -> Result<()> {
        self.network.set_bounds(arc, lower, upper)
    }

    /// Changes the supply of `node`.
    pub fn set_supply(&mut self, node: u32, supply: i64) -> Result<()> {
        self.network.set_supply(node, supply)
    }

    /// Solves the current problem.
    pub fn solve(&mut self) -> Result<FlowSolution> {
        Err(Error::Solver("network simplex not yet implemented".into()))
    }
}
