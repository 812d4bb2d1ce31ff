//! Min-cost flow: the problem, the network simplex, the optimality certificate and
//! the DIMACS format.
//!
//! Every engine implements [`FlowEngine`] (set costs, bounds and supplies; solve for
//! flows and potentials): the [`NetworkSimplex`] here (exact, integral, fast) and the
//! LP engine in [`crate::lp`] (good_lp with HiGHS), which cross-checks it and carries
//! coupled models. [`crate::engine`] picks one by [`Engine`]; this module does not
//! depend on `lp` (only the deprecated [`solve_with`] forwards to `crate::engine`).

mod arc_order;
mod certificate;
mod cost_column;
mod cost_scaling;
mod cost_scaling_auto;
mod cost_scaling_dual;
mod cost_scaling_fix;
mod cost_scaling_graph;
mod cost_scaling_price;
mod cost_scaling_problem;
mod cost_scaling_refine;
mod cost_scaling_update;
pub mod dimacs;
mod engine;
pub mod generate;
mod network;
mod node_pairs;
mod potentials;
mod simplex;
mod solution;

pub use certificate::{check_optimality, verify_solution, Violation};
pub use cost_scaling::{CostScaling, ALPHA as COST_SCALING_ALPHA};
pub use cost_scaling_auto::{AUTO_MAX_ARCS_PER_NODE, AUTO_MIN_ARCS, AUTO_MIN_ARCS_ONE_PAIR};
pub(crate) use engine::{checked_set_bounds, checked_set_cost, checked_set_supply};
pub use engine::{Certified, FlowEngine};
pub use network::{ArcId, Network, NodeId, INFINITE};
pub use simplex::{NetworkSimplex, Start};
pub use solution::{FlowSolution, Status};

use crate::error::Result;

/// Which solver to use for a min-cost flow problem.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Engine {
    /// The primal network simplex ([`NetworkSimplex`]): exact, fastest on small and
    /// dense networks.
    Simplex,
    /// The problem as a linear program through good_lp (HiGHS by default), checked
    /// before it is returned.
    Lp,
    /// Cost scaling ([`CostScaling`]): exact, fastest on large sparse networks.
    CostScaling,
    /// The default: the network simplex or cost scaling, chosen from the network alone
    /// ([`Engine::resolve`]): cost scaling on networks of at most 16 arcs per node with
    /// at least 2¹⁸ arcs, or at least 2¹⁵ arcs and exactly one source and one sink
    /// (GOTO-like grids and other single-pair problems, where cost scaling was faster
    /// on every family measured: `BENCHMARKS.md`, "Auto on one source and one
    /// sink"); the network simplex otherwise.
    #[default]
    Auto,
}

crate::names::named_enum!(Engine, "engine", {
    Auto => "auto": "The network simplex or cost scaling, chosen by the network's size, density and sources and sinks (default)",
    Simplex => "simplex": "The network simplex (exact, fast)",
    CostScaling => "cost-scaling": "Cost scaling (exact; fastest on large sparse networks)",
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

/// Solves `network` with the engine [`Engine::Auto`] picks for it (the network
/// simplex or cost scaling; both exact, so the cost is the same, though on ties the
/// flows may differ).
pub fn solve_auto(network: &Network) -> Result<FlowSolution> {
    match Engine::Auto.resolve(network) {
        Engine::CostScaling => CostScaling::new(network)?.solve(),
        _ => solve(network),
    }
}

/// Solves `network` with the chosen engine.
///
/// Moved to [`crate::engine::solve_with`], where both engines are visible; this
/// forwarding shim keeps the old path working until the next breaking release and is
/// the only place in `flow` that reaches the LP engine.
#[deprecated(note = "use `allocnet::engine::solve_with`")]
pub fn solve_with(network: &Network, engine: Engine) -> Result<FlowSolution> {
    crate::engine::solve_with(network, engine)
}
