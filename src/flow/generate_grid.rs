//! Grid families for the engine comparison (seeded, deterministic):
//!
//! * **GRIDGEN-like** ([`gridgen_like`], after Lee & Orlin's GRIDGEN): a
//!   `rows × cols` grid, each node with arcs to its (up to four) grid neighbours in both
//!   directions, plus `extra_arcs_per_node` arcs to random nodes; `sources` and `sinks`
//!   random distinct nodes share the total supply. Costs uniform in
//!   `min_cost..=max_cost`. Every instance is feasible: the arcs to the left, up and
//!   down, and to the right in the first row, have the total supply as capacity (every
//!   node reaches node 0 and node 0 every node through them); the other arcs (to the
//!   right below the first row, and the random ones) have a capacity uniform in
//!   `min_capacity..=max_capacity` half of the time, the total supply otherwise.
//! * **GOTO-like** ([`goto_like`], after Goldberg's "grid on torus" generator, hard
//!   for simplex codes): a `rows × cols` torus, each node with arcs to its right and
//!   lower neighbour (wrapping) at the total supply as capacity and the maximum cost
//!   (the feasible backbone), and `extra_arcs_per_node` arcs to nodes a random short
//!   offset away on the torus with random capacity and cost; one source (node 0) and
//!   one sink (the node farthest from it) carry the total supply.
//!
//! Not the original programs: "-like" families with their shape, labelled so.

use crate::error::{Error, InvalidValue, Result};
use crate::flow::Network;
use crate::limits::check_memory;
use crate::rng::Xoshiro256StarStar;

/// Parameters of both grid families.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GridParams {
    /// Grid rows (≥ 2).
    pub rows: usize,
    /// Grid columns (≥ 2).
    pub cols: usize,
    /// Random arcs per node besides the grid arcs.
    pub extra_arcs_per_node: usize,
    /// Supply nodes (GRIDGEN-like only; GOTO-like has one source).
    pub sources: usize,
    /// Demand nodes (GRIDGEN-like only; GOTO-like has one sink).
    pub sinks: usize,
    /// Smallest cost (≥ 0).
    pub min_cost: i64,
    /// Largest cost.
    pub max_cost: i64,
    /// Total supply (≥ sources and sinks).
    pub total_supply: i64,
    /// Smallest capacity of a capacitated arc (≥ 0).
    pub min_capacity: i64,
    /// Largest capacity of a capacitated arc.
    pub max_capacity: i64,
}

impl Default for GridParams {
    fn default() -> Self {
        Self {
            rows: 100,
            cols: 100,
            extra_arcs_per_node: 4,
            sources: 10,
            sinks: 10,
            min_cost: 1,
            max_cost: 10_000,
            total_supply: 100_000,
            min_capacity: 1,
            max_capacity: 1_000,
        }
    }
}

impl GridParams {
    fn check(&self, family: &str) -> Result<()> {
        let mut problems = Vec::new();
        let mut need = |ok: bool, field: &str, what: String| {
            if !ok {
                problems.push(InvalidValue::new(format!("{family}.{field}"), what));
            }
        };
        let n = self.rows.saturating_mul(self.cols);
        need(self.rows >= 2, "rows", format!("must be >= 2, got {}", self.rows));
        need(self.cols >= 2, "cols", format!("must be >= 2, got {}", self.cols));
        need(
            n < u32::MAX as usize / 16,
            "rows",
            format!("rows * cols must be below {}, got {n}", u32::MAX / 16),
        );
        need(
            self.extra_arcs_per_node <= 64,
            "extra_arcs_per_node",
            format!("must be <= 64, got {}", self.extra_arcs_per_node),
        );
        need(
            self.sources >= 1 && self.sinks >= 1 && self.sources + self.sinks <= n,
            "sources",
            format!(
                "sources and sinks must be >= 1 and fit the {n} nodes, got {} and {}",
                self.sources, self.sinks
            ),
        );
        need(
            self.min_cost >= 0 && self.min_cost <= self.max_cost && self.max_cost <= 1 << 40,
            "max_cost",
            format!(
                "need 0 <= min_cost <= max_cost <= 2^40, got {}..{}",
                self.min_cost, self.max_cost
            ),
        );
        need(
            self.total_supply >= self.sources.max(self.sinks) as i64 && self.total_supply <= 1 << 50,
            "total_supply",
            format!("must be in max(sources, sinks)..=2^50, got {}", self.total_supply),
        );
        need(
            self.min_capacity >= 0 && self.min_capacity <= self.max_capacity && self.max_capacity <= 1 << 50,
            "max_capacity",
            format!(
                "need 0 <= min_capacity <= max_capacity <= 2^50, got {}..{}",
                self.min_capacity, self.max_capacity
            ),
        );
        if problems.is_empty() {
            let arcs = n as u128 * (4 + self.extra_arcs_per_node as u128);
            check_memory(&format!("{family}.rows"), "the grid instance", arcs * 40)
        } else {
            Err(Error::Invalid(problems))
        }
    }
}

/// A GRIDGEN-like instance (see the module docs).
///
/// ```
/// use allocnet::flow::generate::{gridgen_like, GridParams};
/// let p = GridParams { rows: 10, cols: 12, ..GridParams::default() };
/// let net = gridgen_like(&p, 3).unwrap();
/// assert_eq!(net.node_count(), 120);
/// assert_eq!(net.supply_balance(), 0);
/// ```
pub fn gridgen_like(p: &GridParams, seed: u64) -> Result<Network> {
    p.check("gridgen")?;
    let (r, c) = (p.rows, p.cols);
    let n = r * c;
    let mut rng = Xoshiro256StarStar::new(seed);
    let mut net = Network::with_nodes(n);
    let mut order: Vec<usize> = (0..n).collect();
    rng.shuffle(&mut order);
    split(&mut rng, &mut net, &order[..p.sources], p.total_supply, 1)?;
    split(
        &mut rng,
        &mut net,
        &order[p.sources..p.sources + p.sinks],
        p.total_supply,
        -1,
    )?;
    for v in 0..n {
        let (i, j) = (v / c, v % c);
        // (head, on the feasible backbone)
        let mut neighbours = Vec::with_capacity(4);
        if j + 1 < c {
            neighbours.push((v + 1, i == 0));
        }
        if i + 1 < r {
            neighbours.push((v + c, true));
        }
        if j > 0 {
            neighbours.push((v - 1, true));
        }
        if i > 0 {
            neighbours.push((v - c, true));
        }
        for (w, backbone) in neighbours {
            let capped = !backbone && rng.percent(50);
            add(&mut rng, &mut net, p, v, w, capped);
        }
        for _ in 0..p.extra_arcs_per_node {
            let w = rng.index(n);
            let capped = rng.percent(50);
            add(&mut rng, &mut net, p, v, w, capped);
        }
    }
    Ok(net)
}

/// A GOTO-like instance (see the module docs).
///
/// ```
/// use allocnet::flow::generate::{goto_like, GridParams};
/// let p = GridParams { rows: 8, cols: 8, ..GridParams::default() };
/// let net = goto_like(&p, 5).unwrap();
/// assert_eq!(net.arc_count(), 64 * (2 + 4));
/// assert_eq!(net.supplies()[0], 100_000);
/// ```
pub fn goto_like(p: &GridParams, seed: u64) -> Result<Network> {
    p.check("goto")?;
    let (r, c) = (p.rows, p.cols);
    let n = r * c;
    let mut rng = Xoshiro256StarStar::new(seed);
    let mut net = Network::with_nodes(n);
    net.set_supply(0, p.total_supply)?;
    net.set_supply(((r / 2) * c + c / 2) as u32, -p.total_supply)?;
    let reach = 1 + (r.min(c) / 4).max(1);
    for v in 0..n {
        let (i, j) = (v / c, v % c);
        let right = i * c + (j + 1) % c;
        let down = ((i + 1) % r) * c + j;
        for w in [right, down] {
            net.add_arc(v as u32, w as u32, p.total_supply, p.max_cost);
        }
        for _ in 0..p.extra_arcs_per_node {
            let di = rng.index(2 * reach + 1) + r - reach;
            let dj = rng.index(2 * reach + 1) + c - reach;
            let w = ((i + di) % r) * c + (j + dj) % c;
            add(&mut rng, &mut net, p, v, w, true);
        }
    }
    Ok(net)
}

/// Adds `v → w` with a random cost and, if `capped`, a random capacity (else the
/// total supply).
fn add(rng: &mut Xoshiro256StarStar, net: &mut Network, p: &GridParams, v: usize, w: usize, capped: bool) {
    let cost = rng.range(p.min_cost, p.max_cost);
    let upper = if capped {
        rng.range(p.min_capacity, p.max_capacity)
    } else {
        p.total_supply
    };
    net.add_arc(v as u32, w as u32, upper, cost);
}

/// Splits `total` among `nodes` (each at least 1), with sign `sign`.
fn split(rng: &mut Xoshiro256StarStar, net: &mut Network, nodes: &[usize], total: i64, sign: i64) -> Result<()> {
    let k = nodes.len() as i64;
    let mut left = total - k;
    for (idx, &v) in nodes.iter().enumerate() {
        let extra = if idx + 1 == nodes.len() {
            left
        } else {
            rng.range(0, left / (k - idx as i64))
        };
        left -= extra;
        net.set_supply(v as u32, sign * (1 + extra))?;
    }
    Ok(())
}
