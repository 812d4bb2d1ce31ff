//! How [`Engine::Auto`] chooses between the network simplex and cost scaling.
//!
//! The network simplex wins on small and dense networks, cost scaling on large
//! sparse ones (Kovács 2015). Measured for allocnet (`BENCHMARKS.md`, "Price
//! refinement" and "Auto on one source and one sink"), Auto takes cost scaling when
//! the network has at most [`AUTO_MAX_ARCS_PER_NODE`] arcs per node, cost scaling can
//! represent its numbers ([`CostScaling::fits`]), and either
//!
//! * it has at least [`AUTO_MIN_ARCS`] arcs: on real NETGEN (8 arcs per node) cost
//!   scaling's time over the simplex's was 2.0× at 131k arcs, 0.88× at 524k and
//!   0.52× at 1M; on GRIDGEN-like grids 2.5× at 131k. From 2¹⁸ arcs on no measured
//!   sparse instance loses by taking cost scaling, below it NETGEN and GRIDGEN lose
//!   2×; or
//! * it has at least [`AUTO_MIN_ARCS_ONE_PAIR`] arcs and exactly **one source and one
//!   sink** (one node of positive supply, one of negative supply, as given). GOTO-like
//!   grids, the classic hard case for simplex codes, are of this kind; on them and on
//!   single-pair NETGEN the simplex needs 11–16 pivots per node instead of 2–4. From
//!   2¹⁵ arcs on, cost scaling's time over the simplex's on single-pair networks was
//!   0.04–0.09× (GOTO-like, 98k–131k arcs), 0.02–0.23× (NETGEN, 33k–131k), 0.87×
//!   (NETGEN-like, 33k), 0.22–0.63× (transshipment, 33k–98k) and 0.66–0.86×
//!   (GRIDGEN-like, 32k–131k); below 2¹⁵ arcs the simplex can win (transshipment 1.2×
//!   at 25k arcs, 2.9× at 12k; GOTO-like 1.3× at 6k, though 0.36× at 25k). With four sources and four sinks the GRIDGEN-like and
//!   transshipment families go back to the simplex (cost scaling 1.9–2.7× at 98k–131k
//!   arcs), so the rule is kept to the single pair.
//!
//! Otherwise Auto is the network simplex. The choice reads only the network (sizes
//! and supplies), never a clock: the same network always runs the same engine. Every
//! network the county and national processes build is far below both size
//! thresholds, so their results (including which of several optima is found) are
//! those of the network simplex.

use super::cost_scaling::CostScaling;
use super::network::Network;
use super::Engine;

/// Fewest arcs for which [`Engine::Auto`] considers cost scaling on any sparse
/// network (2¹⁸; see the module docs).
pub const AUTO_MIN_ARCS: usize = 1 << 18;

/// Fewest arcs for which [`Engine::Auto`] considers cost scaling on a sparse network
/// with exactly one source and one sink (2¹⁵; see the module docs).
pub const AUTO_MIN_ARCS_ONE_PAIR: usize = 1 << 15;

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
        let sparse = m <= AUTO_MAX_ARCS_PER_NODE.saturating_mul(n);
        let large = m >= AUTO_MIN_ARCS || (m >= AUTO_MIN_ARCS_ONE_PAIR && one_source_one_sink(network));
        if sparse && large && network.validate().is_ok() && CostScaling::fits(network) {
            Engine::CostScaling
        } else {
            Engine::Simplex
        }
    }
}

/// True when exactly one node has a positive supply and exactly one a negative one.
fn one_source_one_sink(network: &Network) -> bool {
    let (mut sources, mut sinks) = (0usize, 0usize);
    for &s in network.supplies() {
        sources += usize::from(s > 0);
        sinks += usize::from(s < 0);
        if sources > 1 || sinks > 1 {
            return false;
        }
    }
    sources == 1 && sinks == 1
}
