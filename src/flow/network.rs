//! The min-cost flow problem: a directed graph with supplies, bounds and costs.

use crate::error::{Error, InvalidValue, Result};
use serde::{Deserialize, Serialize};

/// Upper bound meaning "no capacity limit" (`i64::MAX`).
///
/// An arc with this upper bound has infinite capacity: a negative-cost cycle of such
/// arcs makes the problem [`Status::Unbounded`](crate::flow::Status::Unbounded).
pub const INFINITE: i64 = i64::MAX;

/// Index of a node, `0..node_count`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct NodeId(pub u32);

/// Index of an arc, `0..arc_count`, in the order the arcs were added.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct ArcId(pub u32);

impl NodeId {
    /// The index as `usize`.
    #[inline]
    pub fn index(self) -> usize {
        self.0 as usize
    }
}

impl ArcId {
    /// The index as `usize`.
    #[inline]
    pub fn index(self) -> usize {
        self.0 as usize
    }
}

/// A min-cost flow problem.
///
/// Minimise `Σ cost[a]·flow[a]` subject to
/// `lower[a] ≤ flow[a] ≤ upper[a]` for every arc and
/// `Σ_{a leaves v} flow[a] − Σ_{a enters v} flow[a] = supply[v]` for every node.
///
/// Signs: a **positive supply** is a source, a **negative supply** is a demand (the
/// DIMACS convention). Supplies that do not sum to zero make the problem infeasible.
/// Parallel arcs, self-loops and negative costs are allowed; [`INFINITE`] as upper
/// bound means no capacity limit. Arcs are stored in input order, so flows come back
/// in the order the arcs were added.
///
/// The builder methods do not check anything; [`Network::validate`] (called by every
/// solver) reports all invalid values at once.
///
/// ```
/// use allocnet::flow::{Network, Status};
/// let mut net = Network::with_nodes(3);
/// net.set_supply(0, 5).unwrap();
/// net.set_supply(2, -5).unwrap();
/// net.add_arc(0, 1, 4, 1); // tail, head, upper, cost
/// net.add_arc(1, 2, 10, 1);
/// net.add_arc(0, 2, 10, 3);
/// let solution = allocnet::flow::solve(&net).unwrap();
/// assert_eq!(solution.status, Status::Optimal);
/// assert_eq!(solution.cost, Some(4 * 2 + 1 * 3));
/// assert_eq!(solution.flows, vec![4, 4, 1]);
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Network {
    supplies: Vec<i64>,
    tails: Vec<u32>,
    heads: Vec<u32>,
    lower: Vec<i64>,
    upper: Vec<i64>,
    costs: Vec<i64>,
}

impl Network {
    /// An empty network.
    pub fn new() -> Self {
        Self::default()
    }

    /// Makes `self` a copy of `other`, reusing its memory (`clone_from` field by
    /// field: no allocation once the arrays are large enough).
    pub fn copy_from(&mut self, other: &Network) {
        // Every field named: a field added later must be copied here too.
        let Network {
            supplies,
            tails,
            heads,
            lower,
            upper,
            costs,
        } = self;
        supplies.clone_from(&other.supplies);
        tails.clone_from(&other.tails);
        heads.clone_from(&other.heads);
        lower.clone_from(&other.lower);
        upper.clone_from(&other.upper);
        costs.clone_from(&other.costs);
    }

    /// A network with `node_count` nodes of supply 0 and no arcs.
    pub fn with_nodes(node_count: usize) -> Self {
        Self {
            supplies: vec![0; node_count],
            ..Self::default()
        }
    }

    /// Makes this network [`Network::with_nodes`]`(node_count)` again (no arcs, every
    /// supply 0), keeping its memory for the arcs to come.
    pub fn reset_with_nodes(&mut self, node_count: usize) {
        let Network {
            supplies,
            tails,
            heads,
            lower,
            upper,
            costs,
        } = self;
        supplies.clear();
        supplies.resize(node_count, 0);
        tails.clear();
        heads.clear();
        lower.clear();
        upper.clear();
        costs.clear();
    }

    /// Builds a network from parallel arrays (one entry per arc, one supply per node)
    /// and validates it, reporting every invalid value at once.
    ///
    /// `lower = None` means all lower bounds are 0.
    pub fn from_arrays(
        supplies: Vec<i64>,
        tails: Vec<u32>,
        heads: Vec<u32>,
        lower: Option<Vec<i64>>,
        upper: Vec<i64>,
        costs: Vec<i64>,
    ) -> Result<Self> {
        let m = tails.len();
        let mut problems = Vec::new();
        for (name, len) in [("heads", heads.len()), ("upper", upper.len()), ("costs", costs.len())] {
            if len != m {
                problems.push(InvalidValue::new(
                    name,
                    format!("expected {m} entries (one per arc, as tails), got {len}"),
                ));
            }
        }
        let lower = match lower {
            Some(l) => {
                if l.len() != m {
                    problems.push(InvalidValue::new(
                        "lower",
                        format!("expected {m} entries (one per arc, as tails), got {}", l.len()),
                    ));
                }
                l
            }
            None => vec![0; m],
        };
        if !problems.is_empty() {
            return Err(Error::Invalid(problems));
        }
        let net = Self {
            supplies,
            tails,
            heads,
            lower,
            upper,
            costs,
        };
        net.validate()?;
        Ok(net)
    }

    /// Reserves room for `additional` more arcs (no reallocation while they are
    /// added).
    ///
    /// ```
    /// use allocnet::flow::Network;
    /// let mut net = Network::with_nodes(2);
    /// net.reserve_arcs(1);
    /// net.add_arc(0, 1, 5, 1);
    /// assert_eq!(net.arc_count(), 1);
    /// ```
    pub fn reserve_arcs(&mut self, additional: usize) {
        self.tails.reserve_exact(additional);
        self.heads.reserve_exact(additional);
        self.lower.reserve_exact(additional);
        self.upper.reserve_exact(additional);
        self.costs.reserve_exact(additional);
    }

    /// Adds a node with the given supply (positive: source, negative: demand).
    pub fn add_node(&mut self, supply: i64) -> NodeId {
        self.supplies.push(supply);
        NodeId(u32::try_from(self.supplies.len() - 1).unwrap_or(u32::MAX))
    }

    /// Adds an arc `tail → head` with lower bound 0, the given upper bound (capacity;
    /// [`INFINITE`] for none) and unit cost. Returns its id (input order).
    pub fn add_arc(&mut self, tail: u32, head: u32, upper: i64, cost: i64) -> ArcId {
        self.add_arc_with_bounds(tail, head, 0, upper, cost)
    }

    /// Adds an arc `tail → head` with lower and upper bounds and unit cost.
    pub fn add_arc_with_bounds(&mut self, tail: u32, head: u32, lower: i64, upper: i64, cost: i64) -> ArcId {
        self.tails.push(tail);
        self.heads.push(head);
        self.lower.push(lower);
        self.upper.push(upper);
        self.costs.push(cost);
        ArcId(u32::try_from(self.tails.len() - 1).unwrap_or(u32::MAX))
    }

    /// Sets the supply of `node` (positive: source, negative: demand).
    pub fn set_supply(&mut self, node: u32, supply: i64) -> Result<()> {
        let n = self.supplies.len();
        let slot = self
            .supplies
            .get_mut(node as usize)
            .ok_or_else(|| Error::invalid(format!("node {node}"), format!("no such node (the network has {n})")))?;
        *slot = supply;
        Ok(())
    }

    /// Sets the unit cost of `arc`.
    pub fn set_cost(&mut self, arc: u32, cost: i64) -> Result<()> {
        let i = self.arc_index(arc)?;
        self.costs[i] = cost;
        Ok(())
    }

    /// Sets the lower and upper bound of `arc`.
    pub fn set_bounds(&mut self, arc: u32, lower: i64, upper: i64) -> Result<()> {
        let i = self.arc_index(arc)?;
        self.lower[i] = lower;
        self.upper[i] = upper;
        Ok(())
    }

    fn arc_index(&self, arc: u32) -> Result<usize> {
        arc_index(arc, self.tails.len())
    }

    /// Takes the network apart into its arrays, without copying.
    pub(crate) fn into_parts(self) -> NetworkParts {
        NetworkParts {
            supplies: self.supplies,
            tails: self.tails,
            heads: self.heads,
            lower: self.lower,
            upper: self.upper,
            costs: self.costs,
        }
    }

    /// Number of nodes.
    pub fn node_count(&self) -> usize {
        self.supplies.len()
    }

    /// Number of arcs.
    pub fn arc_count(&self) -> usize {
        self.tails.len()
    }

    /// Supply per node (positive: source, negative: demand).
    pub fn supplies(&self) -> &[i64] {
        &self.supplies
    }

    /// Tail (start node) per arc.
    pub fn tails(&self) -> &[u32] {
        &self.tails
    }

    /// Head (end node) per arc.
    pub fn heads(&self) -> &[u32] {
        &self.heads
    }

    /// Lower bound per arc.
    pub fn lower(&self) -> &[i64] {
        &self.lower
    }

    /// Upper bound per arc ([`INFINITE`] for none).
    pub fn upper(&self) -> &[i64] {
        &self.upper
    }

    /// Unit cost per arc.
    pub fn costs(&self) -> &[i64] {
        &self.costs
    }

    /// Sum of the supplies (0 for a balanced problem), computed without overflow.
    pub fn supply_balance(&self) -> i128 {
        self.supplies.iter().map(|&s| i128::from(s)).sum()
    }

    /// Objective value `Σ cost·flow` of `flows`, in `i128` (cannot overflow for up to
    /// 2^64 arcs). `flows` must have one entry per arc.
    pub fn cost_of(&self, flows: &[i64]) -> i128 {
        self.costs
            .iter()
            .zip(flows)
            .map(|(&c, &f)| i128::from(c) * i128::from(f))
            .sum()
    }

    /// Checks every value: node indices in range, `lower ≤ upper`, `lower` finite,
    /// no `i64::MIN` anywhere (its negation overflows). Reports all problems at once.
    pub fn validate(&self) -> Result<()> {
        let n = self.supplies.len();
        let mut problems = Vec::new();
        if n > (u32::MAX as usize) - 1 {
            problems.push(InvalidValue::new(
                "nodes",
                format!("at most {} nodes are supported, got {n}", u32::MAX - 1),
            ));
        }
        if self.tails.len() > (u32::MAX as usize) - 1 {
            problems.push(InvalidValue::new(
                "arcs",
                format!("at most {} arcs are supported, got {}", u32::MAX - 1, self.tails.len()),
            ));
        }
        for (v, &s) in self.supplies.iter().enumerate() {
            problems.extend(supply_problem(v, s));
        }
        let arcs = self
            .tails
            .iter()
            .zip(&self.heads)
            .zip(&self.lower)
            .zip(&self.upper)
            .zip(&self.costs);
        for (a, ((((&t, &h), &l), &u), &c)) in arcs.enumerate() {
            // Fast path: the same conditions as below, without building messages.
            let valid =
                (t as usize) < n && (h as usize) < n && l != i64::MIN && l != INFINITE && l <= u && c != i64::MIN;
            if valid {
                continue;
            }
            if t as usize >= n {
                problems.push(InvalidValue::new(
                    format!("arc {a} (tail)"),
                    format!("node {t} does not exist (the network has {n} nodes)"),
                ));
            }
            if h as usize >= n {
                problems.push(InvalidValue::new(
                    format!("arc {a} (head)"),
                    format!("node {h} does not exist (the network has {n} nodes)"),
                ));
            }
            problems.extend(bounds_problem(a, l, u));
            problems.extend(cost_problem(a, c));
        }
        if problems.is_empty() {
            Ok(())
        } else {
            Err(Error::Invalid(problems))
        }
    }
}

/// The arrays of a [`Network`], taken apart (see [`Network::into_parts`]).
pub(crate) struct NetworkParts {
    pub(crate) supplies: Vec<i64>,
    pub(crate) tails: Vec<u32>,
    pub(crate) heads: Vec<u32>,
    pub(crate) lower: Vec<i64>,
    pub(crate) upper: Vec<i64>,
    pub(crate) costs: Vec<i64>,
}

/// `arc` as an index into `arc_count` arcs, or the error naming it.
pub(crate) fn arc_index(arc: u32, arc_count: usize) -> Result<usize> {
    if (arc as usize) < arc_count {
        Ok(arc as usize)
    } else {
        Err(Error::invalid(
            format!("arc {arc}"),
            format!("no such arc (the network has {arc_count})"),
        ))
    }
}

/// What is wrong with a node's supply, if anything (`i64::MIN` cannot be negated).
pub(crate) fn supply_problem(node: usize, supply: i64) -> Option<InvalidValue> {
    (supply == i64::MIN).then(|| InvalidValue::new(format!("node {node} (supply)"), "must be greater than i64::MIN"))
}

/// What is wrong with an arc's cost, if anything (`i64::MIN` cannot be negated).
pub(crate) fn cost_problem(arc: usize, cost: i64) -> Option<InvalidValue> {
    (cost == i64::MIN).then(|| InvalidValue::new(format!("arc {arc} (cost)"), "must be greater than i64::MIN"))
}

/// What is wrong with an arc's bounds, if anything: `lower` must be finite and at
/// most `upper`.
pub(crate) fn bounds_problem(arc: usize, lower: i64, upper: i64) -> Option<InvalidValue> {
    if lower == i64::MIN || lower == INFINITE {
        Some(InvalidValue::new(
            format!("arc {arc} (lower)"),
            format!("must be finite, got {lower}"),
        ))
    } else if lower > upper {
        Some(InvalidValue::new(
            format!("arc {arc} (lower, upper)"),
            format!("lower bound {lower} exceeds upper bound {upper}"),
        ))
    } else {
        None
    }
}
