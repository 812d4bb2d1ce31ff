//! Min-cost flow: the problem, the network simplex, the optimality certificate and
//! the DIMACS format.
//!
//! Two engines solve the same [`Network`]: the [`NetworkSimplex`] (exact, integral,
//! fast) and the LP engine ([`crate::lp`], good_lp with HiGHS) that cross-checks it and
//! carries coupled models. [`solve_with`] picks one by [`Engine`].

mod certificate;
mod cost_column;
pub mod dimacs;
pub mod generate;
mod network;
mod node_pairs;
mod potentials;
mod simplex;
mod solution;

pub use certificate::{check_optimality, verify_solution, Violation};
pub use network::{ArcId, Network, NodeId, INFINITE};
pub use simplex::NetworkSimplex;
pub use solution::{FlowSolution, Status};

use crate::error::Result;

/// Which solver to use for a min-cost flow problem.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Engine {
    /// The primal network simplex ([`NetworkSimplex`]): the fast, exact default.
    #[default]
    Simplex,
    /// The problem as a linear program through good_lp (HiGHS by default), checked
    /// before it is returned.
    Lp,
}

crate::names::named_enum!(Engine, "engine", {
    Simplex => "simplex": "The network simplex (exact, fast)",
    Lp => "lp": "The LP engine (good_lp with HiGHS by default)",
});

/// Solves `network` with the network simplex.
///
/// Bad input (a node index out of range, `lower > upper`, values that could
/// overflow) is an `Err`; an infeasible or unbounded problem is `Ok` with that
/// [`Status`].
pub fn solve(network: &Network) -> Result<FlowSolution> {
    NetworkSimplex::new(network)?.solve()
}

/// Solves `network` with the chosen engine.
pub fn solve_with(network: &Network, engine: Engine) -> Result<FlowSolution> {
    match engine {
        Engine::Simplex => solve(network),
        Engine::Lp => crate::lp::solve_flow(network),
    }
}
