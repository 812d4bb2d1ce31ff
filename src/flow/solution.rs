//! What a min-cost flow solver returns.

use serde::{Deserialize, Serialize};

/// Outcome of a solve. Not an error: an infeasible scenario is a result.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// An optimal flow was found.
    Optimal,
    /// No flow satisfies the bounds and supplies (including supplies that do not
    /// balance).
    Infeasible,
    /// The cost can decrease without limit (a negative-cost cycle of infinite
    /// capacity).
    Unbounded,
}

impl Status {
    /// `"optimal"`, `"infeasible"` or `"unbounded"`.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Optimal => "optimal",
            Status::Infeasible => "infeasible",
            Status::Unbounded => "unbounded",
        }
    }
}

impl std::fmt::Display for Status {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The result of a min-cost flow solve.
///
/// When `status` is [`Status::Optimal`]: `cost` is `Some(Σ cost·flow)`, `flows` has one
/// entry per arc in input order, and `potentials` one per node.
/// Otherwise `cost` is `None` and both vectors are empty.
///
/// **Potentials** (dual prices) follow the convention
/// `reduced_cost(a) = cost(a) + potential(tail) − potential(head)`: an optimal flow has
/// `flow = lower` where the reduced cost is positive and `flow = upper` where it is
/// negative. `potential(v)` is the price of one unit at `v`: shipping along an arc with
/// flow strictly between its bounds raises the price by exactly its cost. Potentials
/// are unique only up to an additive constant per connected component; compare
/// differences. (The LP dual of node `v`'s conservation row is `−potential(v)`.)
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FlowSolution {
    /// Optimal, infeasible or unbounded.
    pub status: Status,
    /// Total cost `Σ cost·flow` (exact, `i128`), when optimal.
    pub cost: Option<i128>,
    /// Flow per arc, in input order, when optimal.
    pub flows: Vec<i64>,
    /// Potential (dual price) per node, when optimal.
    pub potentials: Vec<i64>,
}

impl FlowSolution {
    /// A result without a flow (infeasible or unbounded).
    pub fn without_flow(status: Status) -> Self {
        Self {
            status,
            cost: None,
            flows: Vec::new(),
            potentials: Vec::new(),
        }
    }
}
