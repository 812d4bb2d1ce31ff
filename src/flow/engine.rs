//! The interface every min-cost flow engine implements, and a wrapper that checks
//! each answer against the independent optimality certificate.
//!
//! The shape follows LEMON's `NetworkSimplex` / `CostScaling`: an engine is built for
//! one [`Network`], its costs, bounds and supplies can be changed in place, and
//! [`solve`](FlowEngine::solve) runs it on the current problem and returns the flows
//! and potentials ([`FlowSolution`]). An engine may keep work from one solve to the
//! next (the network simplex keeps its basis); the answer never depends on it.

use super::certificate::verify_solution;
use super::network::{arc_index, bounds_problem, cost_problem, supply_problem, Network};
use super::simplex::{reject, NetworkSimplex};
use super::solution::{FlowSolution, Status};
use crate::error::{Error, Result};

/// A re-runnable min-cost flow solver for one [`Network`].
///
/// Every engine validates a change when it is made: an arc or node that does not exist,
/// a cost or supply of `i64::MIN`, or `lower > upper` (or an infinite lower bound) is an
/// [`Error::Invalid`] naming the arc or node, and the problem is left unchanged.
/// [`solve`](Self::solve) returns `Err` only for problems the engine cannot represent
/// (values that could overflow its arithmetic); infeasible and unbounded problems are
/// `Ok` with that [`Status`].
///
/// ```
/// use allocnet::flow::{FlowEngine, Network, NetworkSimplex};
/// let mut net = Network::with_nodes(2);
/// net.set_supply(0, 3).unwrap();
/// net.set_supply(1, -3).unwrap();
/// net.add_arc(0, 1, 10, 2);
/// let mut engine: Box<dyn FlowEngine> = Box::new(NetworkSimplex::new(&net).unwrap());
/// assert_eq!(engine.solve().unwrap().cost, Some(6));
/// engine.set_cost(0, 5).unwrap();
/// assert_eq!(engine.solve().unwrap().cost, Some(15));
/// assert!(engine.set_bounds(0, 4, 1).is_err());
/// ```
pub trait FlowEngine: Send {
    /// A short name of the engine, e.g. `"simplex"`.
    fn name(&self) -> &'static str;
    /// Number of nodes.
    fn node_count(&self) -> usize;
    /// Number of arcs.
    fn arc_count(&self) -> usize;
    /// Changes the unit cost of `arc`.
    fn set_cost(&mut self, arc: u32, cost: i64) -> Result<()>;
    /// Changes the bounds of `arc` (`upper` = [`INFINITE`](super::INFINITE) for none).
    fn set_bounds(&mut self, arc: u32, lower: i64, upper: i64) -> Result<()>;
    /// Changes the supply of `node` (positive: source, negative: demand).
    fn set_supply(&mut self, node: u32, supply: i64) -> Result<()>;
    /// Solves the current problem: status, cost, flow per arc, potential per node.
    fn solve(&mut self) -> Result<FlowSolution>;
}

impl FlowEngine for NetworkSimplex {
    fn name(&self) -> &'static str {
        "simplex"
    }

    fn node_count(&self) -> usize {
        NetworkSimplex::node_count(self)
    }

    fn arc_count(&self) -> usize {
        NetworkSimplex::arc_count(self)
    }

    fn set_cost(&mut self, arc: u32, cost: i64) -> Result<()> {
        NetworkSimplex::set_cost(self, arc, cost)
    }

    fn set_bounds(&mut self, arc: u32, lower: i64, upper: i64) -> Result<()> {
        NetworkSimplex::set_bounds(self, arc, lower, upper)
    }

    fn set_supply(&mut self, node: u32, supply: i64) -> Result<()> {
        NetworkSimplex::set_supply(self, node, supply)
    }

    fn solve(&mut self) -> Result<FlowSolution> {
        NetworkSimplex::solve(self)
    }
}

/// Sets the cost of `arc` in `network` after the checks every [`FlowEngine`] makes
/// (for engines that keep the problem as a [`Network`]).
pub(crate) fn checked_set_cost(network: &mut Network, arc: u32, cost: i64) -> Result<()> {
    let a = arc_index(arc, network.arc_count())?;
    reject(cost_problem(a, cost))?;
    network.set_cost(arc, cost)
}

/// Sets the bounds of `arc` in `network` after the checks every [`FlowEngine`] makes.
pub(crate) fn checked_set_bounds(network: &mut Network, arc: u32, lower: i64, upper: i64) -> Result<()> {
    let a = arc_index(arc, network.arc_count())?;
    reject(bounds_problem(a, lower, upper))?;
    network.set_bounds(arc, lower, upper)
}

/// Sets the supply of `node` in `network` after the checks every [`FlowEngine`] makes.
pub(crate) fn checked_set_supply(network: &mut Network, node: u32, supply: i64) -> Result<()> {
    if (node as usize) < network.node_count() {
        reject(supply_problem(node as usize, supply))?;
    }
    // Names a node out of range and the node count.
    network.set_supply(node, supply)
}

/// An engine whose every optimal answer is checked against the exact optimality
/// certificate ([`verify_solution`]) on its own copy of the problem, so that a wrong
/// answer is an error rather than a plan.
pub struct Certified<E> {
    network: Network,
    engine: E,
}

impl<E: FlowEngine> Certified<E> {
    /// Wraps `engine`, which must have been built for `network`.
    pub fn new(network: &Network, engine: E) -> Result<Self> {
        if engine.node_count() != network.node_count() || engine.arc_count() != network.arc_count() {
            return Err(Error::Solver(format!(
                "engine {} has {} nodes and {} arcs, the network {} and {}",
                engine.name(),
                engine.node_count(),
                engine.arc_count(),
                network.node_count(),
                network.arc_count()
            )));
        }
        Ok(Self {
            network: network.clone(),
            engine,
        })
    }

    /// Wraps `engine`, which must have been built for `network`, taking `network` over
    /// as the copy the answers are checked against (no clone made).
    pub fn owning(network: Network, engine: E) -> Result<Self> {
        if engine.node_count() != network.node_count() || engine.arc_count() != network.arc_count() {
            return Self::new(&network, engine);
        }
        Ok(Self { network, engine })
    }

    /// The network (with the changes made so far) and the engine, taken apart: their
    /// memory can serve the next problem.
    pub fn into_parts(self) -> (Network, E) {
        (self.network, self.engine)
    }

    /// The problem as it stands after the changes made so far.
    pub fn network(&self) -> &Network {
        &self.network
    }
}

impl<E: FlowEngine> FlowEngine for Certified<E> {
    fn name(&self) -> &'static str {
        self.engine.name()
    }

    fn node_count(&self) -> usize {
        self.network.node_count()
    }

    fn arc_count(&self) -> usize {
        self.network.arc_count()
    }

    fn set_cost(&mut self, arc: u32, cost: i64) -> Result<()> {
        self.engine.set_cost(arc, cost)?;
        self.network.set_cost(arc, cost)
    }

    fn set_bounds(&mut self, arc: u32, lower: i64, upper: i64) -> Result<()> {
        self.engine.set_bounds(arc, lower, upper)?;
        self.network.set_bounds(arc, lower, upper)
    }

    fn set_supply(&mut self, node: u32, supply: i64) -> Result<()> {
        self.engine.set_supply(node, supply)?;
        self.network.set_supply(node, supply)
    }

    /// Solves; an optimal answer that fails the certificate is an [`Error::Solver`]
    /// naming the first violation.
    fn solve(&mut self) -> Result<FlowSolution> {
        let solution = self.engine.solve()?;
        if solution.status == Status::Optimal {
            let violations = verify_solution(&self.network, &solution);
            if let Some(v) = violations.first() {
                return Err(Error::Solver(format!(
                    "solution fails its optimality certificate: {v} ({} violations)",
                    violations.len()
                )));
            }
        }
        Ok(solution)
    }
}

impl<E: FlowEngine + ?Sized> FlowEngine for Box<E> {
    fn name(&self) -> &'static str {
        (**self).name()
    }

    fn node_count(&self) -> usize {
        (**self).node_count()
    }

    fn arc_count(&self) -> usize {
        (**self).arc_count()
    }

    fn set_cost(&mut self, arc: u32, cost: i64) -> Result<()> {
        (**self).set_cost(arc, cost)
    }

    fn set_bounds(&mut self, arc: u32, lower: i64, upper: i64) -> Result<()> {
        (**self).set_bounds(arc, lower, upper)
    }

    fn set_supply(&mut self, node: u32, supply: i64) -> Result<()> {
        (**self).set_supply(node, supply)
    }

    fn solve(&mut self) -> Result<FlowSolution> {
        (**self).solve()
    }
}
