//! How [`Engine::Auto`] chooses between the network simplex and cost scaling.
//!
//! The network simplex wins on small and dense networks, cost scaling on large
//! sparse ones (Kovács 2015). Measured for allocnet with price refinement
//! (`BENCHMARKS.md`, "Price refinement"): on real NETGEN (8 arcs per node) cost
//! scaling's time over the simplex's was 2.0× at 131k arcs, 0.88× at 524k and 0.52× at
//! 1M; on GOTO-like grids (6 arcs per node) 0.14× at 98k arcs and 0.04× at 393k; on
//! GRIDGEN-like grids 2.5× at 131k. From 2¹⁸ arcs on no measured sparse instance loses
//! by taking cost scaling, below it NETGEN and GRIDGEN lose 2×, so Auto
//! takes cost scaling when the network has at least [`AUTO_MIN_ARCS`] arcs, at most
//! [`AUTO_MAX_ARCS_PER_NODE`] arcs per node, and cost scaling can represent its
//! numbers ([`CostScaling::fits`]); otherwise the network simplex. Every network the
//! county and national processes build is far below the size threshold, so their
//! results (including which of several optima is found) are those of the network
//! simplex.

use super::cost_scaling::CostScaling;
use super::network::Network;
use super::Engine;

/// Fewest arcs for which [`Engine::Auto`] considers cost scaling (2¹⁸; see the
/// module docs).
pub const AUTO_MIN_ARCS: usize = 1 << 18;

/// Most arcs per node for which [`Engine::Auto`] takes cost scaling (denser networks
/// go to the network simplex).
pub const AUTO_MAX_ARCS_PER_NODE: usize = 16;

impl Engine {
    /// The engine that runs for `self` on `network`: `Auto` becomes
    /// [`Engine::Simplex`] or [`Engine::CostScaling`] (see the module docs of
    /// `cost_scaling_auto`); every other engine is itself.
    ///
    /// ```
    /// use allocnet::flow::{Engine, Network};
    /// let net = Network::with_nodes(10);
    /// assert_eq!(Engine::Auto.resolve(&net), Engine::Simplex);
    /// assert_eq!(Engine::Lp.resolve(&net), Engine::Lp);
    /// ```
    pub fn resolve(self, network: &Network) -> Engine {
        if self != Engine::Auto {
            return self;
        }
        let (n, m) = (network.node_count(), network.arc_count());
        let sparse = m >= AUTO_MIN_ARCS && m <= AUTO_MAX_ARCS_PER_NODE.saturating_mul(n);
        if sparse && network.validate().is_ok() && CostScaling::fits(network) {
            Engine::CostScaling
        } else {
            Engine::Simplex
        }
    }
}
