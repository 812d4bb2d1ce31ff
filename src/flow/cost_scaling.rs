//! Cost scaling (push–relabel with ε-scaling) for min-cost flow.
//!
//! Goldberg's design as in CS2 and LEMON's `CostScaling`: costs are multiplied by
//! `n + 1`; from `ε = max |scaled cost|` each phase divides ε by [`ALPHA`] and
//! restores ε-optimality with partial augment–relabel (`cost_scaling_refine`) on a
//! residual graph in CSR order (`cost_scaling_graph`). From the second phase on, price
//! refinement (`cost_scaling_price`) first tries to make the flow ε-optimal by
//! changing prices only, and skips the phase when it can. The last phase runs at
//! `ε = 1`: every residual cycle then has scaled cost `> −(n + 1)`, i.e. original cost
//! `> −1`, so `≥ 0` on integers, and the flow is optimal. Exact potentials are then
//! computed from the prices (`cost_scaling_dual`).
//!
//! * **Arc fixing** (`cost_scaling_fix`): between phases, residual arcs whose reduced
//!   cost exceeds `FIX_FACTOR · ε` leave the scans; every fixed arc is checked at
//!   the end of each phase and restored (the phase repeated) if it would break
//!   ε-optimality, so each phase still ends ε-optimal on all arcs.
//! * **Lower bounds** are removed by the usual transformation (flow − lower, supplies
//!   adjusted) and added back.
//! * **Infinite capacities** are replaced by `B = Σ|supply| + Σ finite capacity + 1`
//!   (after the transformation). A bounded feasible problem has an optimal tree
//!   solution with every flow `≤ B − 1`, so the capped problem has the same optimum
//!   and, by complementary slackness (which every optimal primal–dual pair
//!   satisfies), no optimal potentials of the capped problem give an uncapped arc a
//!   negative reduced cost. So: **unbounded** exactly when the capped problem is
//!   optimal and an arc of infinite capacity has a negative reduced cost under the
//!   exact potentials; otherwise those potentials certify the flow for the original
//!   problem.
//! * **Infeasible**: supplies that do not sum to zero; a node with excess and no
//!   residual arc out (its supply cannot leave); or a price below the floor that a
//!   feasible problem never reaches (Goldberg & Tarjan: within a phase, a node with
//!   excess drops by at most `(n − 1)(ε + ε_prev)`), in which case the problem is
//!   handed to the network simplex, which decides (and answers) exactly. (The
//!   bound is proven for the push–relabel phases; price refinement also keeps every
//!   price above the floor, giving up before it would cross it, but its total drop is
//!   not covered by the proof: the fallback stays exact should a feasible problem
//!   ever reach the floor.)
//! * **Bounds**: prices stay in `[floor, 0]` with `floor = −4(n + 1)(ε₀ + 1)`, and
//!   every reduced cost and relabel below `10(n + 1)(ε₀ + 1)`, checked to fit `i64`
//!   before the solve ([`CostScaling::max_cost`]); excesses stay below
//!   `Σ|supply| + Σ capacity`, checked too. Otherwise [`Error::Overflow`](crate::Error::Overflow).
//! * **Width**: a residual capacity never exceeds its arc's capacity and a scaled
//!   cost is at most `ε₀` in absolute value, so when every capacity (infinite ones as
//!   `B`) and `ε₀` fit `i32`, checked before each solve, the arc records hold them in
//!   32 bits (16 bytes a record instead of 24); prices, excesses and every sum stay
//!   64-bit. The steps, and so the answer, are the same in either width.

use super::cost_scaling_dual::exact_potentials;
use super::cost_scaling_fix::{fix_and_check, unfix_arcs, violations};
use super::cost_scaling_graph::{Residual, Word};
use super::cost_scaling_problem::{prepare_network, Prepared, Problem};
use super::cost_scaling_refine::{refine, NodeState, PhaseEnd};
use super::engine::FlowEngine;
use super::network::{Network, INFINITE};
use super::simplex::NetworkSimplex;
use super::solution::{FlowSolution, Status};
use crate::error::Result;

/// Factor by which ε shrinks from one phase to the next (LEMON's default).
pub const ALPHA: i64 = 16;

/// Arcs are fixed when their reduced cost exceeds this many times the ε the flow is
/// optimal for (capped at the provably safe `2n − 1`; raised fourfold after a fixed
/// arc had to be restored). CS2 starts at `1.5 n^0.44` (198 at 65 536 nodes); 107 and
/// below restored arcs on NETGEN 131k–1M, 256 on none of the instances measured
/// (`BENCHMARKS.md`, "Arc fixing").
const FIX_FACTOR: i64 = 256;

/// Relabels per node a phase may spend with fixed arcs; past it every arc is unfixed
/// and the phase resumes on all of them (a normal phase takes about 10 per node).
const FIX_BUDGET: u64 = 32;

/// A re-runnable cost-scaling min-cost flow solver for one [`Network`] (exact on
/// integers; see the module docs for how bounds, infeasibility and unboundedness
/// are handled). Each [`solve`](Self::solve) starts afresh.
///
/// ```
/// use allocnet::flow::{CostScaling, Network, Status};
/// let mut net = Network::with_nodes(3);
/// net.set_supply(0, 10).unwrap();
/// net.set_supply(2, -10).unwrap();
/// net.add_arc(0, 2, 6, 5); // direct, dearer
/// net.add_arc(0, 1, 20, 1);
/// net.add_arc(1, 2, 20, 1);
/// let mut solver = CostScaling::new(&net).unwrap();
/// let solution = solver.solve().unwrap();
/// assert_eq!(solution.status, Status::Optimal);
/// assert_eq!(solution.cost, Some(20));
/// assert_eq!(solution.flows, vec![0, 10, 10]);
/// ```
#[derive(Clone, Debug)]
pub struct CostScaling {
    problem: Problem,
    graph: Graph,
    settings: Settings,
    stats: Stats,
}

/// The residual graph with 32-bit capacities and costs when the numbers of the solve
/// fit them (checked in advance), 64-bit otherwise.
#[derive(Clone, Debug)]
enum Graph {
    Narrow(Residual<i32>),
    Wide(Residual<i64>),
}

/// What the user turned on or off.
#[derive(Clone, Copy, Debug)]
struct Settings {
    global_update: bool,
    price_refinement: bool,
    compact: bool,
    arc_fixing: bool,
    fix_factor: i64,
}

/// Counts of the last solve.
#[derive(Clone, Copy, Debug, Default)]
struct Stats {
    relabels: u64,
    phases: u32,
    fell_back: bool,
    refined: u32,
    fixed: u64,
    restored: u64,
    unfixed_all: bool,
}

impl CostScaling {
    /// Validates `network` and prepares a solver for it (copying the network).
    pub fn new(network: &Network) -> Result<Self> {
        Self::from_network(network.clone())
    }

    /// Validates `network` and prepares a solver for it, taking the network over.
    pub fn from_network(network: Network) -> Result<Self> {
        network.validate()?;
        let n = network.node_count();
        let narrow = prepare_network(&network).is_ok_and(|p| p.fits::<i32>());
        let (problem, tails, heads) = Problem::new(network.into_parts());
        let graph = if narrow {
            Graph::Narrow(Residual::new(n, &tails, &heads)?)
        } else {
            Graph::Wide(Residual::new(n, &tails, &heads)?)
        };
        // Free the arc ends: the residual graph has them.
        drop((tails, heads));
        Ok(Self {
            problem,
            graph,
            settings: Settings {
                global_update: true,
                price_refinement: true,
                compact: true,
                arc_fixing: true,
                fix_factor: FIX_FACTOR,
            },
            stats: Stats::default(),
        })
    }

    /// The largest `|cost|` the engine accepts on `node_count` nodes:
    /// `⌊(i64::MAX / (10 (n + 1)) − 1) / (n + 1)⌋ − 1`, so that every price and reduced
    /// cost fits `i64` (see the module docs).
    ///
    /// ```
    /// use allocnet::flow::CostScaling;
    /// assert!(CostScaling::max_cost(1_000_000) > 900_000);
    /// assert!(CostScaling::max_cost(1_000) > 9_000_000_000);
    /// ```
    pub fn max_cost(node_count: usize) -> i64 {
        let n1 = node_count as i128 + 1;
        let per_phase = i128::from(i64::MAX) / (10 * n1) - 1;
        i64::try_from((per_phase / n1 - 1).max(0)).unwrap_or(i64::MAX)
    }

    /// True if the engine can represent `network` (costs within [`max_cost`](Self::max_cost),
    /// capacities and supplies within the excess bound): then [`solve`](Self::solve)
    /// does not return [`Error::Overflow`](crate::Error::Overflow). `network` must be valid.
    pub fn fits(network: &Network) -> bool {
        prepare_network(network).is_ok()
    }

    /// Turns the global price update heuristic (after every `n` relabels) on (the
    /// default) or off. The optimum's cost is the same either way; the flow found
    /// where several are optimal may differ.
    pub fn set_global_update(&mut self, on: bool) {
        self.settings.global_update = on;
    }

    /// Turns price refinement (from the second phase on, try to make the flow
    /// ε-optimal by changing prices only and skip the phase; LEMON's default) on (the
    /// default) or off. The optimum's cost is the same either way; the flow found
    /// where several are optimal may differ.
    pub fn set_price_refinement(&mut self, on: bool) {
        self.settings.price_refinement = on;
    }

    /// Turns arc fixing (from the second phase on, residual arcs whose reduced cost
    /// proves their flow final leave the scans; Goldberg 1997, see the module docs) on
    /// (the default) or off. The optimum's cost is the same either way; the flow found
    /// where several are optimal may differ.
    pub fn set_arc_fixing(&mut self, on: bool) {
        self.settings.arc_fixing = on;
    }

    /// Sets the factor of arc fixing: an arc is fixed when its reduced cost exceeds
    /// `factor · ε` for the ε its flow is optimal for (default 256; capped at the
    /// provably safe `2n − 1`). Lower factors fix more arcs and may have to restore
    /// some; the answer is exact either way. `Err` names `factor` if it is below 1.
    pub fn set_arc_fixing_factor(&mut self, factor: i64) -> Result<()> {
        if factor < 1 {
            return Err(crate::Error::invalid(
                "factor",
                format!("must be at least 1, got {factor}"),
            ));
        }
        self.settings.fix_factor = factor;
        Ok(())
    }

    /// Arcs fixed in the last solve (over all its phases).
    pub fn fixed_arcs(&self) -> u64 {
        self.stats.fixed
    }

    /// Fixed arcs the last solve had to restore because their reduced cost fell
    /// below `−ε` (each costs a repeat of the phase on the arcs so far).
    pub fn restored_arcs(&self) -> u64 {
        self.stats.restored
    }

    /// True if the last solve unfixed every arc because a phase ran past its relabel
    /// budget with fixed arcs, or the final check found a fixed arc not 1-optimal.
    pub fn unfixed_all(&self) -> bool {
        self.stats.unfixed_all
    }

    /// Turns compact arc records (32-bit residual capacities and scaled costs, used
    /// when every capacity and scaled cost of the solve fits them; the default) on or
    /// off (always 64-bit). The answer is the same bit for bit either way; compact
    /// records take less memory and time.
    pub fn set_compact_arcs(&mut self, on: bool) {
        self.settings.compact = on;
    }

    /// True if the arc records are compact (32-bit) now; after a solve, whether that
    /// solve used them ([`set_compact_arcs`](Self::set_compact_arcs)).
    pub fn compact_arcs(&self) -> bool {
        matches!(self.graph, Graph::Narrow(_))
    }

    /// Phases of the last solve that price refinement made unnecessary.
    pub fn refined_phases(&self) -> u32 {
        self.stats.refined
    }

    /// Relabel operations in the last solve (a measure of its work).
    pub fn relabels(&self) -> u64 {
        self.stats.relabels
    }

    /// Scaling phases in the last solve.
    pub fn phases(&self) -> u32 {
        self.stats.phases
    }

    /// True if the last solve reached the price floor and was answered by the network
    /// simplex (infeasible problems; see the module docs).
    pub fn fell_back(&self) -> bool {
        self.stats.fell_back
    }

    /// Solves the current problem: `Err` only when the numbers could overflow
    /// ([`Error::Overflow`](crate::Error::Overflow)); infeasible and unbounded problems are `Ok` with that
    /// [`Status`].
    pub fn solve(&mut self) -> Result<FlowSolution> {
        self.stats = Stats::default();
        let n = self.node_count();
        if n == 0 {
            return Ok(FlowSolution {
                status: Status::Optimal,
                cost: Some(0),
                flows: Vec::new(),
                potentials: Vec::new(),
            });
        }
        if self.problem.supply.iter().map(|&s| i128::from(s)).sum::<i128>() != 0 {
            return Ok(FlowSolution::without_flow(Status::Infeasible));
        }
        let prep = match &self.graph {
            Graph::Narrow(g) => self.problem.prepare(g)?,
            Graph::Wide(g) => self.problem.prepare(g)?,
        };
        let narrow = self.settings.compact && prep.fits::<i32>();
        let retyped = match &mut self.graph {
            Graph::Narrow(g) if !narrow => Some(Graph::Wide(g.retype()?)),
            Graph::Wide(g) if narrow => Some(Graph::Narrow(g.retype()?)),
            _ => None,
        };
        if let Some(graph) = retyped {
            self.graph = graph;
        }
        self.solve_in_place(prep)
    }

    /// [`solve`](Self::solve) on the graph as it is, after the checks.
    fn solve_in_place(&mut self, prep: Prepared) -> Result<FlowSolution> {
        let (p, settings, stats) = (&self.problem, self.settings, &mut self.stats);
        match &mut self.graph {
            Graph::Narrow(g) => solve_on(p, g, prep, settings, stats),
            Graph::Wide(g) => solve_on(p, g, prep, settings, stats),
        }
    }

    fn node_count(&self) -> usize {
        match &self.graph {
            Graph::Narrow(g) => g.node_count(),
            Graph::Wide(g) => g.node_count(),
        }
    }
}

/// Fills `g` with the capacities and scaled costs of `p` and runs the phases (all
/// of them fit `W`: checked by the caller through [`Prepared::fits`]).
fn solve_on<W: Word>(
    p: &Problem,
    g: &mut Residual<W>,
    prep: Prepared,
    settings: Settings,
    stats: &mut Stats,
) -> Result<FlowSolution> {
    let n = g.node_count();
    for a in 0..p.costs.len() {
        // Fits (checked by `prepare`): upper − lower ≤ the cap, and
        // |cost| · scale ≤ eps0.
        let capacity = if p.upper[a] == INFINITE {
            prep.cap
        } else {
            p.upper[a] - p.lower(a)
        };
        g.set_arc(a, capacity, p.costs[a] * prep.scale);
    }
    // LEMON's interval: n + (sources)² relabels between global updates.
    let sources = p.supply.iter().filter(|&&s| s > 0).count() as u64;
    let update_every = if settings.global_update {
        n as u64 + sources * sources
    } else {
        0
    };
    // Every arc active, in input order (as `unfix_arcs` leaves it).
    g.restore_order();
    let mut state = NodeState::new(prep.supply, update_every, n, settings.price_refinement);
    let fix_factor = settings.arc_fixing.then_some(settings.fix_factor);
    let mut end = run_phases(g, &mut state, stats, prep.eps0, prep.floor, fix_factor);
    if settings.arc_fixing {
        unfix_arcs(g);
        if end == PhaseEnd::Done && violations(g, &state.price, 1) > 0 {
            // Never expected (module docs of `cost_scaling_fix`); one more phase on all
            // arcs restores 1-optimality, or falls back to the simplex.
            stats.unfixed_all = true;
            end = refine(g, &mut state, 1, prep.floor, u64::MAX);
        }
    }
    match end {
        PhaseEnd::Done => solution(p, g, &state, prep.scale),
        PhaseEnd::NoExit => Ok(FlowSolution::without_flow(Status::Infeasible)),
        // Not returned without a budget.
        PhaseEnd::OverBudget => Err(crate::Error::Solver(
            "cost scaling: a phase without budget ran out of it".into(),
        )),
        PhaseEnd::PriceFloor => {
            stats.fell_back = true;
            NetworkSimplex::from_network(p.to_network(g)?)?.solve()
        }
    }
}

/// The ε-scaling loop: ε from `eps0 / ALPHA` down to 1, one refine each; with a
/// `fix_factor`, arcs are fixed and checked between phases (left fixed at the end:
/// the caller unfixes them; see `cost_scaling_fix`).
fn run_phases<W: Word>(
    g: &mut Residual<W>,
    state: &mut NodeState,
    stats: &mut Stats,
    eps0: i64,
    floor: i64,
    fix_factor: Option<i64>,
) -> PhaseEnd {
    let mut eps = (eps0 / ALPHA).max(1);
    let mut prev_eps = eps0;
    let n = g.node_count() as i64;
    let safe = 2 * n - 1;
    let mut factor = fix_factor.unwrap_or(safe).min(safe);
    let mut fixing = fix_factor.is_some();
    let budget = FIX_BUDGET * n as u64;
    let mut any_fixed = false;
    loop {
        stats.phases += 1;
        // The flow is a circulation, `prev_eps`-optimal for the current prices on the
        // unfixed arcs: check the fixed ones, fix more.
        while fixing && stats.phases >= 2 {
            let scan = fix_and_check(
                g,
                &state.price,
                prev_eps,
                factor.saturating_mul(prev_eps),
                eps0,
                any_fixed,
            );
            stats.fixed += scan.fixed;
            any_fixed |= scan.fixed > 0;
            if scan.restored == 0 {
                break;
            }
            stats.restored += scan.restored;
            factor = factor.saturating_mul(4).min(safe);
            let end = refine_guarded(g, state, prev_eps, floor, &mut fixing, budget, stats);
            if end != PhaseEnd::Done {
                return end;
            }
        }
        prev_eps = eps;
        // From the second phase on the flow is feasible and ε_prev-optimal.
        if stats.phases >= 2 && state.refine_prices(g, eps, floor) {
            stats.refined = state.refined;
            if eps == 1 {
                return PhaseEnd::Done;
            }
            eps = (eps / ALPHA).max(1);
            continue;
        }
        // Without a fixed arc there is nothing to guard.
        let was_guarded = fixing && any_fixed;
        let mut guarded = was_guarded;
        let end = refine_guarded(g, state, eps, floor, &mut guarded, budget, stats);
        if was_guarded && !guarded {
            fixing = false;
        }
        stats.relabels = state.relabels;
        if end != PhaseEnd::Done || eps == 1 {
            return end;
        }
        eps = (eps / ALPHA).max(1);
    }
}

/// One phase at `eps` with fixed arcs while `fixing` and within `budget` relabels;
/// past the budget every arc is unfixed, fixing turned off, and the phase resumed on
/// all arcs (after saturating the restored arcs of negative reduced cost, `refine`'s
/// first step, so the pseudoflow is ε-optimal again).
fn refine_guarded<W: Word>(
    g: &mut Residual<W>,
    state: &mut NodeState,
    eps: i64,
    floor: i64,
    fixing: &mut bool,
    budget: u64,
    stats: &mut Stats,
) -> PhaseEnd {
    let end = refine(g, state, eps, floor, if *fixing { budget } else { u64::MAX });
    if end != PhaseEnd::OverBudget {
        return end;
    }
    unfix_arcs(g);
    *fixing = false;
    stats.unfixed_all = true;
    refine(g, state, eps, floor, u64::MAX)
}

/// Flows in input order (lower bounds added back), exact potentials, and the
/// unboundedness test on arcs of infinite capacity.
fn solution<W: Word>(p: &Problem, g: &Residual<W>, state: &NodeState, scale: i64) -> Result<FlowSolution> {
    let potentials = exact_potentials(g, &state.price, scale)?;
    for (a, &upper) in p.upper.iter().enumerate() {
        if upper == INFINITE {
            let rc = i128::from(p.costs[a]) + i128::from(potentials[g.tail(a)]) - i128::from(potentials[g.head(a)]);
            if rc < 0 {
                return Ok(FlowSolution::without_flow(Status::Unbounded));
            }
        }
    }
    let flows: Vec<i64> = (0..p.costs.len()).map(|a| g.flow(a) + p.lower(a)).collect();
    let cost = p
        .costs
        .iter()
        .zip(&flows)
        .map(|(&c, &f)| i128::from(c) * i128::from(f))
        .sum();
    Ok(FlowSolution {
        status: Status::Optimal,
        cost: Some(cost),
        flows,
        potentials,
    })
}

impl FlowEngine for CostScaling {
    fn name(&self) -> &'static str {
        "cost-scaling"
    }

    fn node_count(&self) -> usize {
        CostScaling::node_count(self)
    }

    fn arc_count(&self) -> usize {
        self.problem.costs.len()
    }

    fn set_cost(&mut self, arc: u32, cost: i64) -> Result<()> {
        self.problem.set_cost(arc, cost)
    }

    fn set_bounds(&mut self, arc: u32, lower: i64, upper: i64) -> Result<()> {
        self.problem.set_bounds(arc, lower, upper)
    }

    fn set_supply(&mut self, node: u32, supply: i64) -> Result<()> {
        self.problem.set_supply(node, supply)
    }

    fn solve(&mut self) -> Result<FlowSolution> {
        CostScaling::solve(self)
    }
}
