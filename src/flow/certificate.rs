//! An independent optimality check for min-cost flow solutions.
//!
//! Linear programming duality gives a certificate that needs no solver to check: a
//! flow is optimal if it is feasible (bounds and conservation) and some node
//! potentials make every reduced cost consistent with the arc's flow
//! (complementary slackness). This module checks exactly that, in `i128` so no value
//! can overflow, and says what fails.

use super::network::{Network, INFINITE};
use super::solution::{FlowSolution, Status};
use std::fmt;

/// One way in which a claimed optimal solution fails.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Violation {
    /// A vector has the wrong number of entries.
    Length {
        /// `"flows"` or `"potentials"`.
        what: &'static str,
        /// Entries expected (arcs or nodes).
        expected: usize,
        /// Entries found.
        found: usize,
    },
    /// `flow < lower` or `flow > upper`.
    Bounds {
        /// Arc index.
        arc: usize,
        /// Its flow.
        flow: i64,
        /// Its lower bound.
        lower: i64,
        /// Its upper bound.
        upper: i64,
    },
    /// Outflow − inflow differs from the node's supply.
    Conservation {
        /// Node index.
        node: usize,
        /// Its supply.
        supply: i64,
        /// Σ flow out − Σ flow in.
        net_outflow: i128,
    },
    /// The reduced cost contradicts the flow: positive with `flow > lower`, or
    /// negative with `flow < upper`.
    ReducedCost {
        /// Arc index.
        arc: usize,
        /// `cost + potential(tail) − potential(head)`.
        reduced_cost: i128,
        /// Its flow.
        flow: i64,
    },
    /// The reported cost differs from `Σ cost·flow`.
    Cost {
        /// The cost the solution reports.
        reported: Option<i128>,
        /// `Σ cost·flow`.
        computed: i128,
    },
    /// The solution's status is not optimal, so there is nothing to certify.
    NotOptimal(Status),
}

impl fmt::Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Violation::Length { what, expected, found } => {
                write!(f, "{what}: expected {expected} entries, found {found}")
            }
            Violation::Bounds {
                arc,
                flow,
                lower,
                upper,
            } => {
                let upper = if *upper == INFINITE {
                    "inf".to_string()
                } else {
                    upper.to_string()
                };
                write!(f, "arc {arc}: flow {flow} outside its bounds [{lower}, {upper}]")
            }
            Violation::Conservation {
                node,
                supply,
                net_outflow,
            } => {
                write!(
                    f,
                    "node {node}: net outflow {net_outflow} differs from its supply {supply}"
                )
            }
            Violation::ReducedCost {
                arc,
                reduced_cost,
                flow,
            } => {
                write!(
                    f,
                    "arc {arc}: reduced cost {reduced_cost} is inconsistent with flow {flow} (complementary slackness)"
                )
            }
            Violation::Cost { reported, computed } => {
                write!(f, "reported cost {reported:?} differs from sum of cost*flow {computed}")
            }
            Violation::NotOptimal(status) => write!(f, "status is {status}, not optimal"),
        }
    }
}

/// Checks that `flows` is a feasible flow of `network` and that `potentials` prove it
/// optimal (see [`FlowSolution`] for the sign convention). Returns every violation
/// found; an empty list means the flow is optimal.
///
/// ```
/// use allocnet::flow::{check_optimality, Network};
/// let mut net = Network::with_nodes(2);
/// net.set_supply(0, 3).unwrap();
/// net.set_supply(1, -3).unwrap();
/// net.add_arc(0, 1, 10, 2);
/// assert!(check_optimality(&net, &[3], &[0, 2]).is_empty());
/// assert_eq!(check_optimality(&net, &[2], &[0, 2]).len(), 2); // node 0 and node 1
/// ```
pub fn check_optimality(network: &Network, flows: &[i64], potentials: &[i64]) -> Vec<Violation> {
    let (n, m) = (network.node_count(), network.arc_count());
    let mut violations = Vec::new();
    if flows.len() != m {
        violations.push(Violation::Length {
            what: "flows",
            expected: m,
            found: flows.len(),
        });
    }
    if potentials.len() != n {
        violations.push(Violation::Length {
            what: "potentials",
            expected: n,
            found: potentials.len(),
        });
    }
    if !violations.is_empty() {
        return violations;
    }
    let (tails, heads) = (network.tails(), network.heads());
    let (lower, upper, costs) = (network.lower(), network.upper(), network.costs());
    let mut net_outflow = vec![0i128; n];
    for a in 0..m {
        let f = flows[a];
        let (t, h) = (tails[a] as usize, heads[a] as usize);
        if f < lower[a] || f > upper[a] {
            violations.push(Violation::Bounds {
                arc: a,
                flow: f,
                lower: lower[a],
                upper: upper[a],
            });
        }
        net_outflow[t] += i128::from(f);
        net_outflow[h] -= i128::from(f);
        let rc = i128::from(costs[a]) + i128::from(potentials[t]) - i128::from(potentials[h]);
        if (rc > 0 && f > lower[a]) || (rc < 0 && f < upper[a]) {
            violations.push(Violation::ReducedCost {
                arc: a,
                reduced_cost: rc,
                flow: f,
            });
        }
    }
    for (v, &out) in net_outflow.iter().enumerate() {
        let supply = network.supplies()[v];
        if out != i128::from(supply) {
            violations.push(Violation::Conservation {
                node: v,
                supply,
                net_outflow: out,
            });
        }
    }
    violations
}

/// Checks a whole [`FlowSolution`]: it must be optimal, pass [`check_optimality`], and
/// report the cost `Σ cost·flow`.
pub fn verify_solution(network: &Network, solution: &FlowSolution) -> Vec<Violation> {
    if solution.status != Status::Optimal {
        return vec![Violation::NotOptimal(solution.status)];
    }
    let mut violations = check_optimality(network, &solution.flows, &solution.potentials);
    if solution.flows.len() == network.arc_count() {
        let computed = network.cost_of(&solution.flows);
        if solution.cost != Some(computed) {
            violations.push(Violation::Cost {
                reported: solution.cost,
                computed,
            });
        }
    }
    violations
}
