//! Primal network simplex for min-cost flow.
//!
//! The design follows LEMON's `NetworkSimplex` (Kiraly & Kovacs, "Efficient
//! implementations of minimum-cost flow algorithms", 2012): a strongly feasible spanning
//! tree rooted at an artificial node, stored as a per-node record (parent, predecessor
//! arc with its direction, flow and capacity, subtree size) plus thread (preorder) /
//! reverse thread / last successor arrays; the entering arc
//! is chosen by *block search* (the most negative reduced cost within a block of
//! about 1.3·√m arcs, scanning cyclically); the leaving arc is the last blocking arc in the
//! cycle's orientation (Cunningham's rule), which keeps the tree strongly feasible and
//! prevents cycling.
//!
//! Lower bounds are removed by the usual transformation (flow − lower, supplies
//! adjusted) and added back in the result. Every value that the algorithm can produce
//! is bounded up front, so the `i64` arithmetic inside cannot overflow: problems whose
//! bounds do not fit are an [`Error::Overflow`].

use super::arc_order::ArcOrder;
use super::cost_column::CostColumn;
use super::network::{arc_index, bounds_problem, cost_problem, supply_problem, Network, INFINITE};
use super::node_pairs::{NodeIndex, NodePairs};
use super::potentials::{Potential, Potentials};
use super::solution::{FlowSolution, Status};
use crate::error::{Error, InvalidValue, Result};
use crate::limits::try_vec;

mod repair;

/// Marks "no node / no arc" (the root's parent and predecessor).
const NONE: u32 = u32::MAX;

/// Arc at its upper bound (outside the tree).
const STATE_UPPER: i8 = -1;
/// Arc in the spanning tree.
const STATE_TREE: i8 = 0;
/// Arc at its lower bound (outside the tree).
const STATE_LOWER: i8 = 1;

/// The tree arc of a node points from the node up to its parent.
const DIR_UP: i8 = 1;
/// The tree arc of a node points from its parent down to the node.
const DIR_DOWN: i8 = -1;

/// Arcs per block of the entering-arc search, as a multiple of √m. LEMON uses 1.0;
/// with this implementation's pivots 1.3 needs fewer pivots and less time on the
/// generated 1M-arc instances and is neutral at 100k arcs (`BENCHMARKS.md`).
const BLOCK_SIZE_FACTOR: f64 = 1.3;

/// Arcs whose reduced costs the scan computes before comparing their least with the
/// best so far (independent work for the CPU instead of one chain of comparisons).
const SCAN_CHUNK: usize = 8;

/// Smallest block of arcs scanned for an entering arc.
const MIN_BLOCK_SIZE: usize = 10;

/// How a [`NetworkSimplex::solve`] started (see [`NetworkSimplex::last_start`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Start {
    /// From scratch: every node hangs from an artificial root.
    Cold,
    /// From the previous tree, still (strongly) feasible, by primal pivots.
    Primal,
    /// From the previous tree, repaired (supplies or bounds changed, no cost): tree
    /// arcs whose flows left their bounds are cut and their subtrees hang from the
    /// root by artificial arcs, then primal pivots.
    Repair,
}

/// A re-runnable primal network simplex solver for one [`Network`].
///
/// Like LEMON's `NetworkSimplex`, the solver keeps its spanning-tree basis between
/// calls, and the next [`solve`](Self::solve) starts from it ([`last_start`](Self::last_start)
/// tells which way):
///
/// * only [`set_supply`](Self::set_supply) / [`set_bounds`](Self::set_bounds) since the
///   last solve (no cost changed): the old tree is **repaired** — tree arcs whose
///   recomputed flows leave their bounds are cut, their subtrees hang from the root by
///   artificial arcs — and primal pivots continue from there ([`Start::Repair`]): a
///   fraction of the pivots of a cold solve;
/// * a cost changed ([`set_cost`](Self::set_cost) to a different value): the old tree
///   is reused if its recomputed flows are still (strongly) feasible
///   ([`Start::Primal`]), otherwise the solve starts afresh ([`Start::Cold`]).
///
/// Every route returns an optimum of the current problem: the same status and cost as
/// a fresh solver, the same result for the same sequence of calls (deterministic),
/// but where several flows are optimal a warm solve may return another of them than a
/// cold one (and other optimal potentials).
///
/// ```
/// use allocnet::flow::{Network, NetworkSimplex, Status};
/// let mut net = Network::with_nodes(3);
/// net.set_supply(0, 10).unwrap();
/// net.set_supply(2, -10).unwrap();
/// net.add_arc(0, 2, 6, 5);  // direct, dearer
/// net.add_arc(0, 1, 20, 1);
/// net.add_arc(1, 2, 20, 1);
/// let mut solver = NetworkSimplex::new(&net).unwrap();
/// assert_eq!(solver.solve().unwrap().cost, Some(20));
/// solver.set_cost(0, 1).unwrap(); // the direct lane becomes cheaper
/// let again = solver.solve().unwrap();
/// assert_eq!(again.flows, vec![6, 4, 4]);
/// assert_eq!(again.cost, Some(6 + 8));
/// ```
#[derive(Clone, Debug)]
pub struct NetworkSimplex {
    node_count: usize,
    arc_count: usize,
    /// Where each input arc is stored (LEMON's arc mixing on large networks): every
    /// arc array below is in this order; the public calls translate arc ids.
    order: ArcOrder,
    /// Original supply per node.
    supply: Vec<i64>,
    /// Original lower bound per real arc (empty while all are zero).
    lower: Vec<i64>,
    /// Original upper bound per real arc.
    upper: Vec<i64>,

    // Arc arrays: the real arcs, then one artificial arc per node. `ends` (source and
    // target) and `cost` hold each arc in its *priced orientation*: as given while the
    // arc is in the tree or at its lower bound, reversed with its cost negated while it
    // sits at its upper bound (see `set_state`). Then `cost + pi[source] − pi[target]`
    // is negative exactly when the arc can enter the basis with profit (tree arcs have
    // reduced cost 0), so the entering-arc search needs no per-arc state. Read an arc
    // as given through `tail`, `head` and `unit_cost`.
    ends: NodePairs,
    cost: CostColumn,
    /// Capacity of each real arc after the lower-bound transformation (`INFINITE` =
    /// none). Empty while no arc has a lower bound: the capacities are then `upper`
    /// itself, and no copy is made. Read through `capacity`.
    cap: Vec<i64>,
    /// Where an arc outside the tree sits (its flow is 0 or `cap`), or that it is in
    /// the tree (its flow is then the `flow` of the [`TreeNode`] it hangs). Changed
    /// only by `set_state`, which keeps the priced orientation in step.
    state: Vec<i8>,

    // Node arrays: the real nodes, then the root.
    /// Supply after the lower-bound transformation.
    tsupply: Vec<i64>,
    /// Node potentials, in 32 bits while `12 · art_cost` fits (see `artificial_cost`).
    pi: Potentials,
    /// What the cycle walks of a pivot read and write per node, in one record.
    tree: Vec<TreeNode>,
    thread: Vec<u32>,
    rev_thread: Vec<u32>,
    last_succ: Vec<u32>,
    dirty_revs: Vec<u32>,

    /// Cost of an artificial arc leaving the root: more than any path of real arcs.
    art_cost: i64,
    /// True when the arrays hold a spanning tree from a finished solve.
    has_basis: bool,
    /// True when a cost changed since the last solve: the next solve then reuses the
    /// old tree only if it stays feasible (the route before repairs existed, which
    /// the county round's level-by-level solves keep bit for bit).
    costs_changed: bool,
    /// How the last solve started.
    last_start: Start,
    block_size: usize,
    next_arc: usize,
    pivots: u64,

    // The pivot under way.
    in_arc: usize,
    join: usize,
    u_in: usize,
    v_in: usize,
    u_out: usize,
    delta: i64,
    /// Flow of the entering arc after the flow change.
    in_flow: i64,
}

impl NetworkSimplex {
    /// Validates `network` and prepares a solver for it, copying from the borrowed
    /// network only the columns the solver keeps as they are (supplies, bounds); arc
    /// ends and costs are read straight into the solver's own layout.
    pub fn new(network: &Network) -> Result<Self> {
        network.validate()?;
        let (n, m) = (network.node_count(), network.arc_count());
        check_size(n, m)?;
        let all = m + n;
        let order = ArcOrder::new(n, m);
        let (ends, cost) = if order.is_identity() {
            (
                NodePairs::new(network.tails(), network.heads(), all, n + 1),
                CostColumn::from_slice(network.costs(), all),
            )
        } else {
            (
                NodePairs::ordered(network.tails(), network.heads(), &order, all, n + 1),
                CostColumn::ordered(network.costs(), &order, all),
            )
        };
        let columns = Columns {
            order,
            ends,
            cost,
            supply: network.supplies().to_vec(),
            lower: if network.lower().iter().any(|&l| l != 0) {
                order.gather(network.lower())
            } else {
                Vec::new()
            },
            upper: order.gather(network.upper()),
        };
        Self::from_columns(n, m, columns)
    }

    /// Makes this solver the one [`new`](Self::new) builds for `network`, reusing its
    /// arrays: every field as `new` sets it (so the same pivots and the same solution
    /// as a fresh solver); only the memory is recycled. On an error the solver is left
    /// as it was if `network` is invalid, else holds no basis.
    pub fn refill(&mut self, network: &Network) -> Result<()> {
        network.validate()?;
        let (n, m) = (network.node_count(), network.arc_count());
        check_size(n, m)?;
        let all = m + n;
        // Every field named: a field added later must be reset here too.
        let Self {
            node_count,
            arc_count,
            order,
            supply,
            lower,
            upper,
            ends,
            cost,
            cap,
            state,
            tsupply,
            pi,
            tree,
            thread,
            rev_thread,
            last_succ,
            dirty_revs,
            art_cost,
            has_basis,
            costs_changed,
            last_start,
            block_size,
            next_arc,
            pivots,
            in_arc,
            join,
            u_in,
            v_in,
            u_out,
            delta,
            in_flow,
        } = self;
        *has_basis = false;
        *order = ArcOrder::new(n, m);
        if order.is_identity() {
            ends.refill(network.tails(), network.heads(), all, n + 1);
            cost.refill(network.costs(), all);
        } else {
            ends.refill(
                &order.gather(network.tails()),
                &order.gather(network.heads()),
                all,
                n + 1,
            );
            cost.refill(&order.gather(network.costs()), all);
        }
        refill_from(supply, network.supplies());
        if network.lower().iter().any(|&l| l != 0) {
            order.gather_into(lower, network.lower());
        } else {
            lower.clear();
        }
        order.gather_into(upper, network.upper());
        cap.clear();
        refill_with(state, all, STATE_LOWER, "network (arcs)")?;
        refill_with(tsupply, n + 1, 0, "network (nodes)")?;
        pi.reset_zeroed(n + 1);
        refill_with(tree, n + 1, TreeNode::DETACHED, "network (nodes)")?;
        refill_with(thread, n + 1, 0, "network (nodes)")?;
        refill_with(rev_thread, n + 1, 0, "network (nodes)")?;
        refill_with(last_succ, n + 1, 0, "network (nodes)")?;
        dirty_revs.clear();
        (*node_count, *arc_count) = (n, m);
        (*art_cost, *costs_changed, *last_start) = (0, false, Start::Cold);
        *block_size = block_size_of(m);
        (*next_arc, *pivots) = (0, 0);
        (*in_arc, *join, *u_in, *v_in, *u_out) = (0, 0, 0, 0, 0);
        (*delta, *in_flow) = (0, 0);
        Ok(())
    }

    /// Validates `network` and prepares a solver for it, taking the network's arrays
    /// over instead of copying them: the way to solve large problems in the least
    /// memory (about 27 bytes per arc while there are fewer than 65 536 nodes, the
    /// costs fit 32 bits and no arc has a lower bound, solution included; 4 more for
    /// more nodes, 4 more for wider costs, 16 more with lower bounds).
    pub fn from_network(network: Network) -> Result<Self> {
        network.validate()?;
        Self::from_valid(network)
    }

    fn from_valid(network: Network) -> Result<Self> {
        let (n, m) = (network.node_count(), network.arc_count());
        check_size(n, m)?;
        let all = m + n;
        let order = ArcOrder::new(n, m);
        let parts = network.into_parts();
        // Free each of the network's arrays once copied (or reordered): the ends are
        // the peak of memory, and no reordering needs more than they do.
        let ends = if order.is_identity() {
            NodePairs::new(&parts.tails, &parts.heads, all, n + 1)
        } else {
            NodePairs::ordered(&parts.tails, &parts.heads, &order, all, n + 1)
        };
        drop((parts.tails, parts.heads));
        let lower = if parts.lower.iter().any(|&l| l != 0) {
            order.reorder(parts.lower)
        } else {
            drop(parts.lower);
            Vec::new()
        };
        let columns = Columns {
            order,
            ends,
            cost: if order.is_identity() {
                CostColumn::new(parts.costs, all)
            } else {
                CostColumn::ordered(&parts.costs, &order, all)
            },
            supply: parts.supplies,
            lower,
            upper: order.reorder(parts.upper),
        };
        Self::from_columns(n, m, columns)
    }

    /// The solver of a valid network of `n` nodes and `m` arcs given its columns.
    fn from_columns(n: usize, m: usize, columns: Columns) -> Result<Self> {
        let all = m + n;
        let Columns {
            order,
            ends,
            cost,
            supply,
            lower,
            upper,
        } = columns;
        Ok(Self {
            node_count: n,
            arc_count: m,
            order,
            supply,
            lower,
            upper,
            ends,
            cost,
            cap: Vec::new(),
            // Sizes come from input: allocate fallibly (an error, not an abort).
            state: try_vec(all, STATE_LOWER, "network (arcs)")?,
            tsupply: try_vec(n + 1, 0, "network (nodes)")?,
            pi: Potentials::new(n + 1),
            tree: try_vec(n + 1, TreeNode::DETACHED, "network (nodes)")?,
            thread: try_vec(n + 1, 0, "network (nodes)")?,
            rev_thread: try_vec(n + 1, 0, "network (nodes)")?,
            last_succ: try_vec(n + 1, 0, "network (nodes)")?,
            dirty_revs: Vec::new(),
            art_cost: 0,
            has_basis: false,
            costs_changed: false,
            last_start: Start::Cold,
            block_size: block_size_of(m),
            next_arc: 0,
            pivots: 0,
            in_arc: 0,
            join: 0,
            u_in: 0,
            v_in: 0,
            u_out: 0,
            delta: 0,
            in_flow: 0,
        })
    }

    /// The largest `|cost|` the simplex accepts on a network of `node_count` nodes:
    /// `i64::MAX / (12 · (node_count + 1)) − 1`. Above it, node potentials could
    /// overflow `i64` and [`solve`](Self::solve) returns [`Error::Overflow`]. Callers
    /// that build weighted costs (lexicographic objectives) can size them with this.
    ///
    /// ```
    /// use allocnet::flow::NetworkSimplex;
    /// assert_eq!(NetworkSimplex::max_cost(0), i64::MAX / 12 - 1);
    /// assert!(NetworkSimplex::max_cost(20_000) > 38_000_000_000_000);
    /// ```
    pub fn max_cost(node_count: usize) -> i64 {
        let nodes = i64::try_from(node_count).unwrap_or(i64::MAX - 1).saturating_add(1);
        (i64::MAX / 12 / nodes).saturating_sub(1)
    }

    /// Number of nodes.
    pub fn node_count(&self) -> usize {
        self.node_count
    }

    /// Number of arcs.
    pub fn arc_count(&self) -> usize {
        self.arc_count
    }

    /// Pivots performed by the last [`solve`](Self::solve) (a measure of its work).
    pub fn pivots(&self) -> u64 {
        self.pivots
    }

    /// How the last [`solve`](Self::solve) started: from scratch, from the previous
    /// tree (still feasible), or from the previous tree repaired.
    ///
    /// ```
    /// use allocnet::flow::{Network, NetworkSimplex, Start};
    /// let mut net = Network::with_nodes(3);
    /// net.set_supply(0, 4).unwrap();
    /// net.set_supply(2, -4).unwrap();
    /// net.add_arc(0, 1, 3, 1);
    /// net.add_arc(1, 2, 10, 1);
    /// net.add_arc(0, 2, 10, 5);
    /// let mut solver = NetworkSimplex::new(&net).unwrap();
    /// assert_eq!(solver.solve().unwrap().cost, Some(3 * 2 + 5));
    /// assert_eq!(solver.last_start(), Start::Cold);
    /// solver.set_supply(0, 2).unwrap();
    /// solver.set_supply(2, -2).unwrap();
    /// assert_eq!(solver.solve().unwrap().cost, Some(2 * 2));
    /// assert_eq!(solver.last_start(), Start::Repair);
    /// ```
    pub fn last_start(&self) -> Start {
        self.last_start
    }

    /// Changes the unit cost of `arc`. The next [`solve`](Self::solve) starts from the
    /// previous basis, which stays primal feasible.
    pub fn set_cost(&mut self, arc: u32, cost: i64) -> Result<()> {
        let a = arc_index(arc, self.arc_count)?;
        reject(cost_problem(a, cost))?;
        let a = self.order.position(a);
        if self.unit_cost(a) != cost {
            self.costs_changed = true;
        }
        // Cannot overflow: `cost_problem` rejects i64::MIN.
        self.cost
            .set(a, if self.state[a] == STATE_UPPER { -cost } else { cost });
        Ok(())
    }

    /// Changes the bounds of `arc` (`upper` = [`INFINITE`] for none).
    pub fn set_bounds(&mut self, arc: u32, lower: i64, upper: i64) -> Result<()> {
        let a = arc_index(arc, self.arc_count)?;
        reject(bounds_problem(a, lower, upper))?;
        let a = self.order.position(a);
        if lower != 0 && self.lower.is_empty() {
            self.lower = vec![0; self.arc_count];
        }
        if !self.lower.is_empty() {
            self.lower[a] = lower;
        }
        self.upper[a] = upper;
        Ok(())
    }

    /// Changes the supply of `node` (positive: source, negative: demand).
    pub fn set_supply(&mut self, node: u32, supply: i64) -> Result<()> {
        let n = self.node_count;
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

    /// Solves the current problem.
    ///
    /// Returns `Err` only for problems whose numbers could overflow the `i64`
    /// arithmetic (see the module docs); infeasible and unbounded problems are `Ok`
    /// with that [`Status`].
    pub fn solve(&mut self) -> Result<FlowSolution> {
        self.pivots = 0;
        self.last_start = Start::Cold;
        let n = self.node_count;
        if n == 0 {
            return Ok(FlowSolution {
                status: Status::Optimal,
                cost: Some(0),
                flows: Vec::new(),
                potentials: Vec::new(),
            });
        }
        if self.supply.iter().map(|&s| i128::from(s)).sum::<i128>() != 0 {
            return Ok(FlowSolution::without_flow(Status::Infeasible));
        }
        self.transform_bounds()?;
        if !self.has_basis || self.costs_changed {
            // Unchanged costs keep the last solve's artificial cost (checked then).
            self.art_cost = self.artificial_cost()?;
        }
        // Every potential and every reduced cost is within 20 · art_cost (see
        // `artificial_cost`).
        self.pi.with_bound(self.art_cost.unsigned_abs().saturating_mul(20));

        let costs_changed = std::mem::take(&mut self.costs_changed);
        self.last_start = Start::Cold;
        if self.has_basis && !costs_changed {
            if self.repair_basis() {
                self.last_start = Start::Repair;
            }
        } else if self.has_basis && self.restore_basis() {
            self.last_start = Start::Primal;
        }
        self.has_basis = false;
        if self.last_start == Start::Cold {
            self.init_tree();
            if !self.initial_pivots() {
                return Ok(self.unbounded_if_feasible());
            }
        }
        if !self.run_pivots() {
            return Ok(self.unbounded_if_feasible());
        }
        self.has_basis = true;
        if self.artificial_flow_left() {
            return Ok(FlowSolution::without_flow(Status::Infeasible));
        }
        self.solution()
    }

    /// Called when a pivot found a negative-cost cycle of unlimited capacity. The
    /// problem is unbounded only if some flow is feasible at all: decide that by
    /// solving again with every cost zero (no cycle can then be improving).
    fn unbounded_if_feasible(&mut self) -> FlowSolution {
        let m = self.arc_count;
        self.reset_real_arcs();
        let costs = self.cost.clone();
        for a in 0..m {
            self.cost.set(a, 0);
        }
        self.init_tree();
        let feasible = self.run_pivots() && !self.artificial_flow_left();
        self.reset_real_arcs();
        self.cost = costs;
        self.has_basis = false;
        FlowSolution::without_flow(if feasible {
            Status::Unbounded
        } else {
            Status::Infeasible
        })
    }

    /// True if an artificial arc still carries flow (then no feasible flow exists once
    /// the pivots are done). Artificial arcs outside the tree are at their lower bound
    /// 0: their capacity is unlimited, so none can reach an upper bound.
    fn artificial_flow_left(&self) -> bool {
        let m = self.arc_count;
        (0..self.node_count).any(|u| self.tree[u].pred as usize >= m && self.tree[u].flow != 0)
    }

    /// Moves arc `a` to `state`, reversing its priced orientation when it moves to or
    /// from its upper bound.
    #[inline]
    fn set_state(&mut self, a: usize, state: i8) {
        if (self.state[a] == STATE_UPPER) != (state == STATE_UPPER) {
            self.reverse(a);
        }
        self.state[a] = state;
    }

    /// Reverses the priced orientation of arc `a`: swaps its ends, negates its cost.
    #[inline]
    fn reverse(&mut self, a: usize) {
        let (s, t) = self.ends.get(a);
        self.ends.set(a, t, s);
        // Cannot overflow: costs are never i64::MIN (`cost_problem`), artificial costs
        // are positive.
        self.cost.set(a, -self.cost.get(a));
    }

    /// Puts every real arc at its lower bound in its given orientation.
    fn reset_real_arcs(&mut self) {
        let m = self.arc_count;
        for a in 0..m {
            if self.state[a] == STATE_UPPER {
                self.reverse(a);
            }
        }
        self.state[..m].fill(STATE_LOWER);
    }

    /// The node arc `a` leaves, as given.
    #[inline]
    fn tail(&self, a: usize) -> usize {
        let (s, t) = self.ends.get(a);
        if self.state[a] == STATE_UPPER {
            t
        } else {
            s
        }
    }

    /// The node arc `a` enters, as given.
    #[inline]
    fn head(&self, a: usize) -> usize {
        let (s, t) = self.ends.get(a);
        if self.state[a] == STATE_UPPER {
            s
        } else {
            t
        }
    }

    /// The unit cost of arc `a`, as given.
    #[inline]
    fn unit_cost(&self, a: usize) -> i64 {
        if self.state[a] == STATE_UPPER {
            -self.cost.get(a)
        } else {
            self.cost.get(a)
        }
    }

    /// Flow of arc `a` while it is outside the tree: 0 at its lower bound, its
    /// capacity at its upper bound.
    #[inline]
    fn bound_flow(&self, a: usize) -> i64 {
        if self.state[a] == STATE_UPPER {
            self.capacity(a)
        } else {
            0
        }
    }

    /// Capacity of arc `a` after the lower-bound transformation (`INFINITE` = none;
    /// always so for an artificial arc).
    #[inline]
    fn capacity(&self, a: usize) -> i64 {
        if a >= self.arc_count {
            INFINITE
        } else if self.cap.is_empty() {
            self.upper[a]
        } else {
            self.cap[a]
        }
    }

    /// Asks the CPU to fetch what a pivot on arc `a` reads first: its state and
    /// capacity.
    #[inline]
    fn prefetch_arc(&self, a: usize) {
        prefetch(&self.state[a]);
        if a < self.arc_count {
            prefetch(if self.cap.is_empty() {
                &self.upper[a]
            } else {
                &self.cap[a]
            });
        }
    }

    /// Computes the transformed supplies and capacities (lower bounds removed) and
    /// checks that every flow value the algorithm can produce fits in `i64`.
    fn transform_bounds(&mut self) -> Result<()> {
        let (n, m) = (self.node_count, self.arc_count);
        self.tsupply[..n].copy_from_slice(&self.supply);
        self.tsupply[n] = 0;
        let mut finite_caps: i128 = 0;
        if self.lower.is_empty() {
            // The capacities are the upper bounds (`0..INFINITE` or `INFINITE`), the
            // supplies stay as they are (already in `tsupply`).
            self.cap = Vec::new();
            for &upper in &self.upper {
                if upper != INFINITE {
                    finite_caps += i128::from(upper);
                }
            }
            let supplies: i128 = self.supply.iter().map(|&s| i128::from(s).abs()).sum();
            return check_flow_bound(finite_caps + supplies);
        }
        let mut tsupply: Vec<i128> = self.supply.iter().map(|&s| i128::from(s)).collect();
        self.cap.resize(m, 0);
        for a in 0..m {
            let lower = self.lower[a];
            let upper = self.upper[a];
            self.cap[a] = if upper == INFINITE {
                INFINITE
            } else {
                let cap = i128::from(upper) - i128::from(lower);
                finite_caps += cap;
                i64::try_from(cap).ok().filter(|&c| c < INFINITE).ok_or_else(|| {
                    Error::Overflow(format!(
                        "arc {}: upper − lower = {upper} − {lower} does not fit in i64",
                        self.order.input(a)
                    ))
                })?
            };
            if lower != 0 {
                tsupply[self.tail(a)] -= i128::from(lower);
                tsupply[self.head(a)] += i128::from(lower);
            }
        }
        let mut total: i128 = finite_caps;
        for (v, &s) in tsupply.iter().enumerate() {
            total += s.abs();
            self.tsupply[v] = i64::try_from(s).map_err(|_| {
                Error::Overflow(format!(
                    "node {v}: supply after moving lower bounds ({s}) does not fit in i64"
                ))
            })?;
        }
        check_flow_bound(total)
    }

    /// The cost of an artificial arc leaving the root: `(max |cost| + 1) · (n + 1)`,
    /// more than any simple path of real arcs. Potentials relative to the root stay
    /// within `2 · art_cost`, the root's own potential drifts by at most
    /// `2 · art_cost + |sigma|` before it is reset, and reduced costs stay within
    /// `5 · art_cost`; so every intermediate value is below `12 · art_cost`, which is
    /// checked to fit `i64`. The potentials themselves stay within
    /// `2 · art_cost + (2 · art_cost + 5 · art_cost) = 9 · art_cost`, so a priced
    /// arc's `cost + pi[source] − pi[target]` within `19 · art_cost` (costs are at most
    /// `art_cost`): potentials are held in `i32`, and the entering-arc search sums in
    /// `i32`, when `20 · art_cost` fits `i32` (see [`Potentials::with_bound`]).
    fn artificial_cost(&self) -> Result<i64> {
        let max_cost = self.cost.max_abs(self.arc_count);
        let limit = Self::max_cost(self.node_count);
        if max_cost > limit.unsigned_abs() {
            return Err(Error::Overflow(format!(
                "costs up to {max_cost} on {} nodes: node potentials could exceed i64 (the limit is {limit})",
                self.node_count
            )));
        }
        // Cannot overflow: (limit + 1) · (n + 1) · 12 ≤ i64::MAX.
        Ok((max_cost as i64 + 1) * (self.node_count as i64 + 1))
    }

    /// The initial basis: every node hangs from the root by an artificial arc that
    /// carries its supply (node → root, cost 0) or its demand (root → node, cost
    /// `art_cost`). Every real arc is at its lower bound.
    fn init_tree(&mut self) {
        let (n, m) = (self.node_count, self.arc_count);
        let root = n;
        self.reset_real_arcs();
        self.next_arc = 0;
        self.tree[root].parent = NONE;
        self.tree[root].pred = NONE;
        self.thread[root] = 0;
        self.rev_thread[0] = root as u32;
        self.tree[root].succ_num = (n + 1) as u32;
        self.last_succ[root] = (root - 1) as u32;
        self.tsupply[root] = 0;
        self.pi.set(root, 0);
        for u in 0..n {
            let e = m + u;
            self.thread[u] = (u + 1) as u32;
            self.rev_thread[u + 1] = u as u32;
            self.last_succ[u] = u as u32;
            self.state[e] = STATE_TREE;
            let s = self.tsupply[u];
            let dir = if s >= 0 {
                self.pi.set(u, 0);
                self.ends.set(e, u, root);
                self.cost.set(e, 0);
                DIR_UP
            } else {
                self.pi.set(u, self.art_cost);
                self.ends.set(e, root, u);
                self.cost.set(e, self.art_cost);
                DIR_DOWN
            };
            self.tree[u] = TreeNode {
                flow: s.abs(),
                cap: INFINITE,
                parent: root as u32,
                pred: e as u32,
                succ_num: 1,
                dir,
            };
        }
    }

    /// Puts the tree of the previous solve back to work for the current data: keeps
    /// every non-tree arc at its bound, recomputes the tree flows, re-orients
    /// artificial arcs as needed, and recomputes the potentials. Returns `false`
    /// (start afresh) when a real tree arc would leave its bounds or the tree would
    /// not be strongly feasible.
    fn restore_basis(&mut self) -> bool {
        let (n, m) = (self.node_count, self.arc_count);
        let root = n;
        for e in m..m + n {
            let cost = if self.ends.get(e).0 == root { self.art_cost } else { 0 };
            self.cost.set(e, cost);
        }
        let mut excess: Vec<i128> = self.tsupply.iter().map(|&s| i128::from(s)).collect();
        for a in 0..m {
            match self.state[a] {
                STATE_TREE => continue,
                STATE_UPPER if self.capacity(a) == INFINITE => self.set_state(a, STATE_LOWER),
                _ => {}
            }
            let f = i128::from(self.bound_flow(a));
            excess[self.tail(a)] -= f;
            excess[self.head(a)] += f;
        }
        // Reverse preorder visits every node after all of its descendants.
        let mut u = self.rev_thread[root] as usize;
        while u != root {
            let p = self.tree[u].parent as usize;
            let e = self.tree[u].pred as usize;
            let ex = excess[u];
            excess[p] += ex;
            let needed = if self.tree[u].dir == DIR_UP { ex } else { -ex };
            if e >= m {
                // Artificial arc: orient it so that it carries a non-negative flow and
                // lets flow go up to the root (strong feasibility).
                let up = ex >= 0;
                let Ok(f) = i64::try_from(ex.abs()) else { return false };
                self.tree[u].flow = f;
                self.tree[u].cap = INFINITE;
                if up {
                    self.tree[u].dir = DIR_UP;
                    self.ends.set(e, u, root);
                    self.cost.set(e, 0);
                } else {
                    self.tree[u].dir = DIR_DOWN;
                    self.ends.set(e, root, u);
                    self.cost.set(e, self.art_cost);
                }
            } else {
                let Ok(f) = i64::try_from(needed) else { return false };
                let cap = self.capacity(e);
                if f < 0 || f > cap {
                    return false;
                }
                // Strongly feasible: a positive amount can move from u up to the root.
                let can_move_up = if self.tree[u].dir == DIR_UP { f < cap } else { f > 0 };
                if !can_move_up {
                    return false;
                }
                self.tree[u].flow = f;
                self.tree[u].cap = cap;
            }
            u = self.rev_thread[u] as usize;
        }
        self.compute_potentials();
        true
    }

    /// Potentials from the tree: zero at the root, and zero reduced cost on every
    /// tree arc (tree arcs are in their given orientation).
    fn compute_potentials(&mut self) {
        let root = self.node_count;
        self.pi.set(root, 0);
        let mut u = self.thread[root] as usize;
        while u != root {
            let p = self.tree[u].parent as usize;
            let c = self.cost.get(self.tree[u].pred as usize);
            let pi = if self.tree[u].dir == DIR_UP {
                self.pi.get(p) - c
            } else {
                self.pi.get(p) + c
            };
            self.pi.set(u, pi);
            u = self.thread[u] as usize;
        }
    }

    /// Reduced cost of arc `e` in its priced orientation: negative means that moving
    /// the arc off its bound lowers the cost; 0 for tree arcs.
    #[inline]
    fn signed_reduced_cost(&self, e: usize) -> i64 {
        let (s, t) = self.ends.get(e);
        let rc = self.cost.get(e) + self.pi.get(s) - self.pi.get(t);
        debug_assert!(
            self.state[e] != STATE_TREE || rc == 0,
            "tree arc {e} has reduced cost {rc}"
        );
        rc
    }

    /// LEMON's heuristic initial pivots: for each demand node the cheapest arc into
    /// it (or, with a single source and a single sink, a path of arcs able to carry
    /// the whole supply). Returns `false` if the problem is unbounded.
    fn initial_pivots(&mut self) -> bool {
        let (n, m) = (self.node_count, self.arc_count);
        let total: i64 = self.tsupply[..n].iter().filter(|&&s| s > 0).sum();
        if total <= 0 || m == 0 {
            return true;
        }
        // The first source and sink, and whether they are the only ones.
        let (mut source, mut sink, mut sources, mut sinks) = (0, 0, 0usize, 0usize);
        for (v, &s) in self.tsupply[..n].iter().enumerate() {
            if s > 0 {
                source = if sources == 0 { v } else { source };
                sources += 1;
            } else if s < 0 {
                sink = if sinks == 0 { v } else { sink };
                sinks += 1;
            }
        }
        let candidates = if sources == 1 && sinks == 1 {
            self.path_arcs_able_to_carry(source, sink, total)
        } else {
            self.cheapest_arc_into_each_sink()
        };
        for e in candidates {
            self.in_arc = e;
            if self.signed_reduced_cost(e) >= 0 {
                continue;
            }
            if !self.pivot() {
                return false;
            }
        }
        true
    }

    /// For every demand node, its cheapest incoming arc (lowest index on ties). Called
    /// right after `init_tree`, when every real arc is in its given orientation.
    fn cheapest_arc_into_each_sink(&self) -> Vec<usize> {
        let n = self.node_count;
        let mut best: Vec<u32> = vec![NONE; n];
        for e in 0..self.arc_count {
            let t = self.ends.get(e).1;
            if self.tsupply[t] < 0 && (best[t] == NONE || self.cost.get(e) < self.cost.get(best[t] as usize)) {
                best[t] = e as u32;
            }
        }
        best.into_iter().filter(|&e| e != NONE).map(|e| e as usize).collect()
    }

    /// Arcs of a reverse search from `sink` towards `source` over arcs whose capacity
    /// can carry `total`. Called right after `init_tree`, like the above.
    fn path_arcs_able_to_carry(&self, source: usize, sink: usize, total: i64) -> Vec<usize> {
        let (n, m) = (self.node_count, self.arc_count);
        // Incoming arcs per node, in compressed form.
        let mut start = vec![0u32; n + 1];
        for e in 0..m {
            start[self.ends.get(e).1 + 1] += 1;
        }
        for v in 0..n {
            start[v + 1] += start[v];
        }
        let mut fill = start.clone();
        let mut in_arcs = vec![0u32; m];
        for e in 0..m {
            let t = self.ends.get(e).1;
            in_arcs[fill[t] as usize] = e as u32;
            fill[t] += 1;
        }
        let mut reached = vec![false; n];
        let mut arcs = Vec::new();
        let mut stack = vec![sink];
        reached[sink] = true;
        while let Some(v) = stack.pop() {
            if v == source {
                break;
            }
            for &e in &in_arcs[start[v] as usize..start[v + 1] as usize] {
                let u = self.ends.get(e as usize).0;
                if !reached[u] && self.capacity(e as usize) >= total {
                    arcs.push(e as usize);
                    reached[u] = true;
                    stack.push(u);
                }
            }
        }
        arcs
    }

    /// Pivots until no arc has a negative reduced cost. Returns `false` if the
    /// problem is unbounded.
    fn run_pivots(&mut self) -> bool {
        while let Some(e) = self.find_entering_arc() {
            self.in_arc = e;
            if !self.pivot() {
                return false;
            }
        }
        true
    }

    /// One pivot on `self.in_arc`. Returns `false` if the cycle it closes can carry
    /// unlimited flow at negative cost (unbounded).
    fn pivot(&mut self) -> bool {
        self.pivots += 1;
        // Load the entering arc's capacity first: it usually misses the cache, and the
        // miss can then overlap the walk to the join node.
        let cap_in = self.capacity(self.in_arc);
        let change = self.find_join_and_leaving_arc(cap_in);
        if self.delta == INFINITE {
            return false;
        }
        self.change_flow(change);
        if change {
            self.update_tree_structure();
            self.update_potentials();
        }
        true
    }

    /// Block search: scan blocks of `block_size` arcs cyclically from where the last
    /// search stopped and return the arc with the most negative signed reduced cost
    /// in the first block that has one (the earliest such arc in scan order on ties).
    fn find_entering_arc(&mut self) -> Option<usize> {
        let m = self.arc_count;
        let mut pos = self.next_arc.min(m);
        let mut remaining = m;
        while remaining > 0 {
            let len = self.block_size.min(remaining);
            let mut best = BlockMin { value: 0, arc: 0 };
            // The block may wrap around the end of the arcs.
            let end = pos + len;
            self.block_min(pos, end.min(m), &mut best);
            if end > m {
                self.block_min(0, end - m, &mut best);
            }
            pos = if end >= m { end - m } else { end };
            remaining -= len;
            if best.value < 0 {
                self.next_arc = pos;
                return Some(best.arc);
            }
        }
        None
    }

    /// Lowers `best` to the most negative signed reduced cost among arcs `lo..hi`
    /// (the first one on ties).
    #[inline]
    fn block_min(&self, lo: usize, hi: usize, best: &mut BlockMin) {
        match &self.ends {
            NodePairs::Narrow(ends) => self.block_min_with(&ends[lo..hi], lo, best),
            NodePairs::Wide(ends) => self.block_min_with(&ends[lo..hi], lo, best),
        }
    }

    /// [`block_min`](Self::block_min) with the arcs' `ends` of one width.
    #[inline]
    fn block_min_with<N: NodeIndex>(&self, ends: &[[N; 2]], lo: usize, best: &mut BlockMin) {
        let hi = lo + ends.len();
        match (&self.cost, &self.pi) {
            (CostColumn::Narrow(cost), Potentials::Narrow(pi)) => self.block_min_of(ends, &cost[lo..hi], pi, lo, best),
            (CostColumn::Narrow(cost), Potentials::Wide(pi)) => self.block_min_of(ends, &cost[lo..hi], pi, lo, best),
            (CostColumn::Wide(cost), Potentials::Narrow(pi)) => self.block_min_of(ends, &cost[lo..hi], pi, lo, best),
            (CostColumn::Wide(cost), Potentials::Wide(pi)) => self.block_min_of(ends, &cost[lo..hi], pi, lo, best),
        }
    }

    /// [`block_min`](Self::block_min) over arcs `lo..lo + cost.len()`, whose ends and
    /// costs are `ends` and `cost`, with potentials `pi`. The hot loop of the solver: thanks to the priced orientation no per-arc
    /// state (tree arcs have reduced cost 0 and never win); the reduced costs of
    /// `SCAN_CHUNK` arcs are compared with the best so far independently of each other,
    /// and only a chunk holding a better one is searched for it (the first on ties).
    #[inline]
    fn block_min_of<N: NodeIndex, C: Copy + Into<i64>, P: Potential>(
        &self,
        ends: &[[N; 2]],
        cost: &[C],
        pi: &[P],
        lo: usize,
        best: &mut BlockMin,
    ) {
        let rc_of = |[s, t]: [N; 2], c: C| {
            let (s, t) = (s.index(), t.index());
            debug_assert!(s < pi.len() && t < pi.len());
            // SAFETY: every arc's ends are nodes `0..=n` (real arcs are validated in
            // `new`, artificial arcs end at the root `n`), and `pi` has `n + 1` entries.
            let (pi_s, pi_t) = unsafe { (*pi.get_unchecked(s), *pi.get_unchecked(t)) };
            P::reduced_cost(c.into(), pi_s, pi_t)
        };
        let ends = &ends[..cost.len()];
        let (mut value, mut arc) = (best.value, best.arc);
        let chunks = ends.chunks_exact(SCAN_CHUNK).zip(cost.chunks_exact(SCAN_CHUNK));
        for (k, (e, c)) in chunks.enumerate() {
            let mut rc = [0i64; SCAN_CHUNK];
            let mut better = false;
            for j in 0..SCAN_CHUNK {
                rc[j] = rc_of(e[j], c[j]);
                better |= rc[j] < value;
            }
            if better {
                for (j, &r) in rc.iter().enumerate() {
                    if r < value {
                        value = r;
                        arc = lo + k * SCAN_CHUNK + j;
                    }
                }
                // The pivot on the winner starts with its state and capacity, which the
                // scan does not read: fetch them while the scan goes on.
                self.prefetch_arc(arc);
            }
        }
        let done = cost.len() - cost.len() % SCAN_CHUNK;
        for i in done..cost.len() {
            let rc = rc_of(ends[i], cost[i]);
            if rc < value {
                value = rc;
                arc = lo + i;
            }
        }
        *best = BlockMin { value, arc };
    }

    /// Walks up the tree from both ends of the entering arc to the join node (where
    /// the two paths meet) and, on the way, finds the leaving arc: the last arc that
    /// blocks the flow change along the cycle, in the cycle's orientation (Cunningham's
    /// rule). Sets `join`, `delta` (`INFINITE` if nothing blocks) and `u_in`, `v_in`,
    /// `u_out`. Returns `false` when the entering arc itself blocks (it just moves to
    /// its other bound).
    ///
    /// The cycle runs from `first` over the entering arc to `second`, then up to the
    /// join node and down again to `first`: on the `first` side flow moves down the
    /// tree, on the `second` side up. Of the arcs allowing the least change, the rule
    /// takes the one nearest to `first` on its side, the one nearest to the join node
    /// on the `second` side, and prefers the `second` side on ties.
    fn find_join_and_leaving_arc(&mut self, cap_in: i64) -> bool {
        let e_in = self.in_arc;
        let (source, target) = (self.tail(e_in), self.head(e_in));
        let source_first = self.state[e_in] == STATE_LOWER;
        let mut first_side = PathMin::default();
        let mut second_side = PathMin::default();
        let (mut u, mut v) = (source, target);
        while u != v {
            let (node, side_first) = if self.tree[u].succ_num < self.tree[v].succ_num {
                let node = u;
                u = self.tree[u].parent as usize;
                (node, source_first)
            } else {
                let node = v;
                v = self.tree[v].parent as usize;
                (node, !source_first)
            };
            let t = &self.tree[node];
            if side_first {
                // Flow moves down the tree arc: keep the first of the least.
                let d = if t.dir == DIR_DOWN {
                    residual(t.cap, t.flow)
                } else {
                    t.flow
                };
                if d < first_side.value {
                    first_side = PathMin { value: d, node };
                }
            } else {
                // Flow moves up the tree arc: keep the last of the least.
                let d = if t.dir == DIR_UP {
                    residual(t.cap, t.flow)
                } else {
                    t.flow
                };
                if d <= second_side.value {
                    second_side = PathMin { value: d, node };
                }
            }
        }
        self.join = u;
        let (first, second) = if source_first {
            (source, target)
        } else {
            (target, source)
        };
        self.delta = cap_in;
        let mut result = 0;
        if first_side.node != NONE as usize && first_side.value < self.delta {
            self.delta = first_side.value;
            self.u_out = first_side.node;
            result = 1;
        }
        if second_side.node != NONE as usize && second_side.value <= self.delta {
            self.delta = second_side.value;
            self.u_out = second_side.node;
            result = 2;
        }
        if result != 0 {
            // `change_flow` moves the leaving arc to a bound: fetch its state during
            // the flow change along the cycle.
            prefetch(&self.state[self.tree[self.u_out].pred as usize]);
        }
        if result == 1 {
            self.u_in = first;
            self.v_in = second;
        } else {
            self.u_in = second;
            self.v_in = first;
        }
        result != 0
    }

    /// Augments `delta` along the cycle and updates the states of the entering and
    /// leaving arcs.
    fn change_flow(&mut self, change: bool) {
        let e_in = self.in_arc;
        let val = i64::from(self.state[e_in]) * self.delta;
        self.in_flow = self.bound_flow(e_in) + val;
        if val != 0 {
            let mut u = self.tail(e_in);
            while u != self.join {
                self.tree[u].flow -= i64::from(self.tree[u].dir) * val;
                u = self.tree[u].parent as usize;
            }
            let mut u = self.head(e_in);
            while u != self.join {
                self.tree[u].flow += i64::from(self.tree[u].dir) * val;
                u = self.tree[u].parent as usize;
            }
        }
        if change {
            self.set_state(e_in, STATE_TREE);
            let out = self.tree[self.u_out].pred as usize;
            let out_state = if self.tree[self.u_out].flow == 0 {
                STATE_LOWER
            } else {
                STATE_UPPER
            };
            self.set_state(out, out_state);
        } else {
            self.set_state(e_in, -self.state[e_in]);
        }
    }

    /// Replaces the leaving arc by the entering arc in the tree: re-hangs the subtree
    /// below the leaving arc from `v_in` and updates parent, predecessor, thread,
    /// reverse thread, subtree sizes and last successors (LEMON's update).
    fn update_tree_structure(&mut self) {
        let (u_in, v_in, u_out) = (self.u_in, self.v_in, self.u_out);
        let old_rev_thread = self.rev_thread[u_out] as usize;
        let old_succ_num = self.tree[u_out].succ_num;
        let old_last_succ = self.last_succ[u_out] as usize;
        let v_out = self.tree[u_out].parent as usize;

        if u_in == u_out {
            self.tree[u_in].parent = v_in as u32;
            self.hang_by_entering_arc(u_in);
            if self.thread[v_in] as usize != u_out {
                let mut after = self.thread[old_last_succ] as usize;
                self.thread[old_rev_thread] = after as u32;
                self.rev_thread[after] = old_rev_thread as u32;
                after = self.thread[v_in] as usize;
                self.thread[v_in] = u_out as u32;
                self.rev_thread[u_out] = v_in as u32;
                self.thread[old_last_succ] = after as u32;
                self.rev_thread[after] = old_last_succ as u32;
            }
        } else {
            self.reverse_stem(old_rev_thread, old_succ_num);
        }
        self.update_last_successors(v_out, old_rev_thread, old_last_succ);
        self.update_subtree_sizes(v_out, old_succ_num);
    }

    /// The part of [`update_tree_structure`](Self::update_tree_structure) when the
    /// leaving arc is not `u_in`'s own: re-hangs the stem nodes between `u_in` and
    /// `u_out` under `v_in`, reversing their order (thread, reverse thread, parents),
    /// then moves predecessor arcs, directions, flows, capacities, subtree sizes and
    /// last successors along the stem.
    #[inline(always)]
    fn reverse_stem(&mut self, old_rev_thread: usize, old_succ_num: u32) {
        let (u_in, v_in, u_out) = (self.u_in, self.v_in, self.u_out);
        let old_last_succ = self.last_succ[u_out] as usize;
        // When old_rev_thread is v_in, join and v_out coincide.
        let thread_continue = if old_rev_thread == v_in {
            self.thread[old_last_succ]
        } else {
            self.thread[v_in]
        } as usize;
        // Re-hang the stem nodes between u_in and u_out, reversing their order.
        let mut stem = u_in;
        let mut par_stem = v_in;
        let mut last = self.last_succ[u_in] as usize;
        let mut after = self.thread[last] as usize;
        self.thread[v_in] = u_in as u32;
        self.dirty_revs.clear();
        self.dirty_revs.push(v_in as u32);
        while stem != u_out {
            let next_stem = self.tree[stem].parent as usize;
            self.thread[last] = next_stem as u32;
            self.dirty_revs.push(last as u32);
            let before = self.rev_thread[stem] as usize;
            self.thread[before] = after as u32;
            self.rev_thread[after] = before as u32;
            self.tree[stem].parent = par_stem as u32;
            par_stem = stem;
            stem = next_stem;
            last = if self.last_succ[stem] == self.last_succ[par_stem] {
                self.rev_thread[par_stem] as usize
            } else {
                self.last_succ[stem] as usize
            };
            after = self.thread[last] as usize;
        }
        self.tree[u_out].parent = par_stem as u32;
        self.thread[last] = thread_continue as u32;
        self.rev_thread[thread_continue] = last as u32;
        self.last_succ[u_out] = last as u32;
        if old_rev_thread != v_in {
            self.thread[old_rev_thread] = after as u32;
            self.rev_thread[after] = old_rev_thread as u32;
        }
        for i in 0..self.dirty_revs.len() {
            let u = self.dirty_revs[i] as usize;
            let t = self.thread[u] as usize;
            self.rev_thread[t] = u as u32;
        }
        // Predecessor arcs, directions, subtree sizes and last successors along the
        // stem, from u_out down to u_in.
        let mut tmp_sc: i64 = 0;
        let tmp_ls = self.last_succ[u_out];
        let mut u = u_out;
        while u != u_in {
            let p = self.tree[u].parent as usize;
            self.tree[u].pred = self.tree[p].pred;
            self.tree[u].dir = -self.tree[p].dir;
            self.tree[u].flow = self.tree[p].flow;
            self.tree[u].cap = self.tree[p].cap;
            tmp_sc += i64::from(self.tree[u].succ_num) - i64::from(self.tree[p].succ_num);
            self.tree[u].succ_num = tmp_sc as u32;
            self.last_succ[p] = tmp_ls;
            u = p;
        }
        self.hang_by_entering_arc(u_in);
        self.tree[u_in].succ_num = old_succ_num;
    }

    /// Last successors after the pivot, on the paths from `v_in` and from `v_out`
    /// towards the root.
    #[inline(always)]
    fn update_last_successors(&mut self, v_out: usize, old_rev_thread: usize, old_last_succ: usize) {
        let (v_in, u_out, join) = (self.v_in, self.u_out, self.join);
        let up_limit_out = if self.last_succ[join] as usize == v_in {
            join as u32
        } else {
            NONE
        };
        // From v_in towards the root.
        let last_succ_out = self.last_succ[u_out];
        let mut u = v_in as u32;
        while u != NONE && self.last_succ[u as usize] as usize == v_in {
            self.last_succ[u as usize] = last_succ_out;
            u = self.tree[u as usize].parent;
        }
        // From v_out towards the root.
        let replacement = if join != old_rev_thread && v_in != old_rev_thread {
            Some(old_rev_thread as u32)
        } else if last_succ_out as usize != old_last_succ {
            Some(last_succ_out)
        } else {
            None
        };
        if let Some(replacement) = replacement {
            let mut u = v_out as u32;
            while u != up_limit_out && self.last_succ[u as usize] as usize == old_last_succ {
                self.last_succ[u as usize] = replacement;
                u = self.tree[u as usize].parent;
            }
        }
    }

    /// Subtree sizes after the pivot: `u_out`'s old subtree moves from the path
    /// `v_out .. join` to the path `v_in .. join`.
    #[inline(always)]
    fn update_subtree_sizes(&mut self, v_out: usize, old_succ_num: u32) {
        let (v_in, join) = (self.v_in, self.join);
        let mut u = v_in;
        while u != join {
            self.tree[u].succ_num += old_succ_num;
            u = self.tree[u].parent as usize;
        }
        let mut u = v_out;
        while u != join {
            self.tree[u].succ_num -= old_succ_num;
            u = self.tree[u].parent as usize;
        }
    }

    /// Makes the entering arc the tree arc of `u_in`.
    fn hang_by_entering_arc(&mut self, u_in: usize) {
        let e_in = self.in_arc;
        self.tree[u_in].pred = e_in as u32;
        self.tree[u_in].dir = if u_in == self.tail(e_in) { DIR_UP } else { DIR_DOWN };
        self.tree[u_in].flow = self.in_flow;
        self.tree[u_in].cap = self.capacity(e_in);
    }

    /// Shifts the potentials so the entering arc has zero reduced cost: the re-hung
    /// subtree by `sigma`, or, when it holds more than half of the nodes, every other
    /// node by `−sigma` (only differences of potentials matter). The root's potential
    /// then drifts; it is brought back to zero once it exceeds `2 · art_cost`.
    fn update_potentials(&mut self) {
        let (u_in, v_in) = (self.u_in, self.v_in);
        let c = self.cost.get(self.in_arc);
        let sigma = self.pi.get(v_in) - self.pi.get(u_in) - i64::from(self.tree[u_in].dir) * c;
        let end = self.thread[self.last_succ[u_in] as usize] as usize;
        let subtree = self.tree[u_in].succ_num as usize;
        let (from, to, shift) = if 2 * subtree <= self.node_count + 1 {
            (u_in, end, sigma)
        } else {
            (end, u_in, -sigma)
        };
        self.pi.shift_along(&self.thread, from, to, shift);
        let root = self.node_count;
        let drift = self.pi.get(root);
        if drift.unsigned_abs() > 2 * self.art_cost.unsigned_abs() {
            self.pi.subtract_from_all(drift);
        }
    }

    /// The optimal solution in terms of the original problem.
    fn solution(&self) -> Result<FlowSolution> {
        let m = self.arc_count;
        // Flows in input order (`order`), read from the arcs' positions.
        let mut flows = vec![0; m];
        for (p, k) in self.order.inputs(m).enumerate() {
            flows[k] = self.bound_flow(p);
        }
        for u in 0..self.node_count {
            let e = self.tree[u].pred as usize;
            if e < m {
                flows[self.order.input(e)] = self.tree[u].flow;
            }
        }
        if !self.lower.is_empty() {
            for (p, k) in self.order.inputs(m).enumerate() {
                let (f, l) = (flows[k], self.lower[p]);
                flows[k] = f.checked_add(l).ok_or_else(|| {
                    Error::Overflow(format!(
                        "arc {k}: flow {f} above its lower bound {l} does not fit in i64"
                    ))
                })?;
            }
        }
        let cost = self
            .order
            .inputs(m)
            .enumerate()
            .map(|(p, k)| i128::from(self.unit_cost(p)) * i128::from(flows[k]))
            .sum();
        Ok(FlowSolution {
            status: Status::Optimal,
            cost: Some(cost),
            flows,
            potentials: (0..self.node_count)
                .map(|u| self.pi.get(u) - self.pi.get(self.node_count))
                .collect(),
        })
    }
}

/// Checks that `total` (supplies plus finite capacities: a bound on every flow value
/// of the algorithm) stays below [`INFINITE`].
fn check_flow_bound(total: i128) -> Result<()> {
    if total >= i128::from(INFINITE) {
        return Err(Error::Overflow(format!(
            "total supply plus finite arc capacities is {total}, beyond i64::MAX − 1; flows could overflow (use INFINITE for unlimited arcs)"
        )));
    }
    Ok(())
}

/// A node's place in the spanning tree and its tree arc (the arc to its parent).
///
/// The walks of a pivot (to the join node, for the leaving arc, for the flow change)
/// read these fields for node after node up the tree; kept in one record, each step
/// touches one cache line instead of one per array. The flow of a tree arc lives here,
/// not per arc, for the same reason: the arc arrays are large and would be hit at
/// random.
/// The columns a solver keeps of its network: arc ends and costs in the solver's own
/// layout (artificial arcs appended), supplies and bounds as given (`lower` empty while
/// all are zero).
struct Columns {
    order: ArcOrder,
    ends: NodePairs,
    cost: CostColumn,
    supply: Vec<i64>,
    lower: Vec<i64>,
    upper: Vec<i64>,
}

/// Arcs per block of the entering-arc search on `m` arcs.
fn block_size_of(m: usize) -> usize {
    MIN_BLOCK_SIZE.max((BLOCK_SIZE_FACTOR * (m as f64).sqrt()) as usize)
}

/// `v` made a copy of `values`, in its own memory.
fn refill_from<T: Copy>(v: &mut Vec<T>, values: &[T]) {
    v.clear();
    v.extend_from_slice(values);
}

/// `v` made `len` copies of `value` (as `try_vec`, reusing its memory): an error
/// naming `field` when the memory cannot be had.
fn refill_with<T: Clone>(v: &mut Vec<T>, len: usize, value: T, field: &str) -> Result<()> {
    v.clear();
    if v.try_reserve_exact(len).is_err() {
        *v = try_vec(len, value, field)?;
        return Ok(());
    }
    v.resize(len, value);
    Ok(())
}

/// Rejects a network too large for the solver's 32-bit node and arc indices.
fn check_size(n: usize, m: usize) -> Result<()> {
    if n + m + 1 >= NONE as usize {
        return Err(Error::invalid(
            "network",
            format!("nodes + arcs must be below {}, got {n} + {m}", NONE - 1),
        ));
    }
    Ok(())
}

#[derive(Clone, Copy, Debug)]
struct TreeNode {
    /// Flow on the tree arc (after the lower-bound transformation).
    flow: i64,
    /// Capacity of the tree arc (a copy of its `cap`).
    cap: i64,
    /// Parent node (`NONE` for the root).
    parent: u32,
    /// The tree arc (`NONE` for the root).
    pred: u32,
    /// Number of nodes in the subtree of this node, itself included.
    succ_num: u32,
    /// [`DIR_UP`] or [`DIR_DOWN`]: the orientation of the tree arc.
    dir: i8,
}

impl TreeNode {
    /// A node not yet placed in a tree.
    const DETACHED: TreeNode = TreeNode {
        flow: 0,
        cap: INFINITE,
        parent: NONE,
        pred: NONE,
        succ_num: 0,
        dir: DIR_UP,
    };
}

/// The least change a path of the cycle allows so far, and the node whose tree arc
/// allows it (`NONE` while the path is empty).
struct PathMin {
    value: i64,
    node: usize,
}

impl Default for PathMin {
    fn default() -> Self {
        PathMin {
            value: INFINITE,
            node: NONE as usize,
        }
    }
}

/// The best entering candidate of a block so far: its signed reduced cost (0 = none
/// yet) and its arc.
struct BlockMin {
    value: i64,
    arc: usize,
}

/// Remaining capacity of an arc: `INFINITE` for an arc without limit.
#[inline]
fn residual(cap: i64, flow: i64) -> i64 {
    if cap == INFINITE {
        INFINITE
    } else {
        cap - flow
    }
}

/// Asks the CPU to start loading the cache line of `value` (a hint that changes no
/// result, only when the data arrives).
#[inline(always)]
fn prefetch<T>(value: &T) {
    #[cfg(target_arch = "x86_64")]
    // SAFETY: a prefetch reads nothing into the program and cannot fault; the pointer
    // comes from a reference anyway.
    unsafe {
        use std::arch::x86_64::{_mm_prefetch, _MM_HINT_T0};
        _mm_prefetch::<_MM_HINT_T0>((value as *const T).cast());
    }
    #[cfg(not(target_arch = "x86_64"))]
    let _ = value;
}

/// `Err` for a problem found by one of the network's value checks.
pub(super) fn reject(problem: Option<InvalidValue>) -> Result<()> {
    problem.map_or(Ok(()), |p| Err(Error::Invalid(vec![p])))
}
