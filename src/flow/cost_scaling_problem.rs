//! The problem as the cost-scaling engine keeps it: supplies, bounds and costs, without
//! the arc ends (the residual graph has them) and without lower bounds while all are
//! zero, to keep memory per arc low; and the checks of every bound before a solve.

use super::cost_scaling_graph::{Residual, Word};
use super::network::{arc_index, bounds_problem, cost_problem, supply_problem, Network, NetworkParts, INFINITE};
use super::simplex::reject;
use crate::error::{Error, Result};

/// Supplies, bounds and costs of the arcs of a [`Residual`] graph.
#[derive(Clone, Debug)]
pub(super) struct Problem {
    pub(super) supply: Vec<i64>,
    /// Lower bound per arc; empty while all are zero.
    lower: Vec<i64>,
    pub(super) upper: Vec<i64>,
    pub(super) costs: Vec<i64>,
}

/// What the solve needs after the lower-bound transformation.
pub(super) struct Prepared {
    /// Supply per node after moving lower bounds.
    pub(super) supply: Vec<i64>,
    /// The capacity `B` of arcs with infinite capacity.
    pub(super) cap: i64,
    /// The largest capacity of an arc after the transformation (`B` for infinite
    /// ones; 0 without arcs).
    pub(super) max_capacity: i64,
    /// Cost scale `n + 1`.
    pub(super) scale: i64,
    /// `max |cost| · scale`.
    pub(super) eps0: i64,
    /// Lowest price allowed.
    pub(super) floor: i64,
}

impl Problem {
    /// Takes the parts of a validated network (the arc ends are dropped by the caller).
    pub(super) fn new(parts: NetworkParts) -> (Self, Vec<u32>, Vec<u32>) {
        let lower = if parts.lower.iter().any(|&l| l != 0) {
            parts.lower
        } else {
            Vec::new()
        };
        let problem = Self {
            supply: parts.supplies,
            lower,
            upper: parts.upper,
            costs: parts.costs,
        };
        (problem, parts.tails, parts.heads)
    }

    /// Lower bound of arc `a`.
    #[inline]
    pub(super) fn lower(&self, a: usize) -> i64 {
        if self.lower.is_empty() {
            0
        } else {
            self.lower[a]
        }
    }

    pub(super) fn set_cost(&mut self, arc: u32, cost: i64) -> Result<()> {
        let a = arc_index(arc, self.costs.len())?;
        reject(cost_problem(a, cost))?;
        self.costs[a] = cost;
        Ok(())
    }

    pub(super) fn set_bounds(&mut self, arc: u32, lower: i64, upper: i64) -> Result<()> {
        let a = arc_index(arc, self.costs.len())?;
        reject(bounds_problem(a, lower, upper))?;
        if lower != 0 && self.lower.is_empty() {
            self.lower = vec![0; self.costs.len()];
        }
        if !self.lower.is_empty() {
            self.lower[a] = lower;
        }
        self.upper[a] = upper;
        Ok(())
    }

    pub(super) fn set_supply(&mut self, node: u32, supply: i64) -> Result<()> {
        let n = self.supply.len();
        if node as usize >= n {
            return Err(Error::invalid(
                format!("node {node}"),
                format!("no such node (the network has {n})"),
            ));
        }
        reject(supply_problem(node as usize, supply))?;
        self.supply[node as usize] = supply;
        Ok(())
    }

    /// The problem as a [`Network`] again (for the network simplex).
    pub(super) fn to_network<W: Word>(&self, g: &Residual<W>) -> Result<Network> {
        let m = self.costs.len();
        let tails = (0..m).map(|a| g.tail(a) as u32).collect();
        let heads = (0..m).map(|a| g.head(a) as u32).collect();
        let lower = (0..m).map(|a| self.lower(a)).collect();
        Network::from_arrays(
            self.supply.clone(),
            tails,
            heads,
            Some(lower),
            self.upper.clone(),
            self.costs.clone(),
        )
    }

    /// Moves lower bounds, caps infinite capacities and checks every bound of the
    /// `cost_scaling` module docs, or says which one fails ([`Error::Overflow`]).
    pub(super) fn prepare<W: Word>(&self, g: &Residual<W>) -> Result<Prepared> {
        prepare(
            &self.supply,
            |a| (g.tail(a), g.head(a)),
            |a| self.lower(a),
            &self.upper,
            &self.costs,
        )
    }
}

/// [`Problem::prepare`] for a valid [`Network`].
pub(super) fn prepare_network(net: &Network) -> Result<Prepared> {
    let (tails, heads, lower) = (net.tails(), net.heads(), net.lower());
    let ends = |a: usize| (tails[a] as usize, heads[a] as usize);
    prepare(net.supplies(), ends, |a| lower[a], net.upper(), net.costs())
}

fn prepare(
    supplies: &[i64],
    ends: impl Fn(usize) -> (usize, usize),
    lower: impl Fn(usize) -> i64,
    upper: &[i64],
    costs: &[i64],
) -> Result<Prepared> {
    let n = supplies.len();
    let mut supply: Vec<i128> = supplies.iter().map(|&s| i128::from(s)).collect();
    let mut finite: i128 = 0;
    let mut infinite_arcs: i128 = 0;
    let mut max_finite: i128 = 0;
    for (a, &up) in upper.iter().enumerate() {
        let lo = i128::from(lower(a));
        if up == INFINITE {
            infinite_arcs += 1;
        } else {
            finite += i128::from(up) - lo;
            max_finite = max_finite.max(i128::from(up) - lo);
        }
        if lo != 0 {
            let (t, h) = ends(a);
            supply[t] -= lo;
            supply[h] += lo;
        }
    }
    let total = finite + supply.iter().map(|s| s.abs()).sum::<i128>();
    let cap = total + 1;
    let excess_bound = total + infinite_arcs * cap;
    if excess_bound >= i128::from(i64::MAX) {
        return Err(Error::Overflow(format!(
            "cost scaling: supplies plus capacities (infinite ones counted as {cap}) reach {excess_bound}, beyond i64::MAX; excesses could overflow"
        )));
    }
    let max_cost = costs.iter().map(|c| c.unsigned_abs()).max().unwrap_or(0);
    let limit = super::cost_scaling::CostScaling::max_cost(n);
    if max_cost > limit.unsigned_abs() {
        return Err(Error::Overflow(format!(
            "cost scaling: costs up to {max_cost} on {n} nodes: prices could exceed i64 (the limit is {limit})"
        )));
    }
    let scale = n as i64 + 1;
    let eps0 = max_cost as i64 * scale;
    Ok(Prepared {
        // Each fits: |supply| ≤ total < i64::MAX.
        supply: supply.into_iter().map(|s| s as i64).collect(),
        cap: cap as i64,
        // Fits: at most `cap`.
        max_capacity: (if infinite_arcs > 0 { cap } else { max_finite }) as i64,
        scale,
        eps0,
        floor: -4 * scale * (eps0 + 1),
    })
}

impl Prepared {
    /// True if every residual capacity and scaled cost of the solve fits `W`: a
    /// residual capacity never exceeds its arc's capacity, and a scaled cost is at
    /// most `eps0` in absolute value.
    pub(super) fn fits<W: Word>(&self) -> bool {
        self.max_capacity <= W::MAX && self.eps0 <= W::MAX
    }
}
