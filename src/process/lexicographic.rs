//! Solving one item's network with the strictly lexicographic objective: unmet acute
//! need by priority class (highest first), then unmet planning need, then transport.
//!
//! # Weights (the single-solve path)
//!
//! Let `G = Σ g_v` be the item's total giveable stock, `c_max` the largest lane cost
//! (0.1 km), `D = min(n − 1, lanes) · c_max` the cost of the longest possible simple
//! path, and `T = G · D`. Level `l` (acute classes `0..K`, planning `K`) has total
//! capacity `N_l`; no plan meets more than `min(N_l, G)` units of it.
//!
//! Weights, from the lowest level up (`S = T + 2D + 1`):
//! `W_K = S`, `W_l = Σ_{m > l} W_m · min(N_m, G) + S`. A level arc of level `l` costs
//! `−W_l`, lanes cost their km, so the flow cost is `transport − Σ_l W_l · met_l`.
//!
//! **Claim.** A min-cost flow `x` for these costs is lexicographically optimal.
//! **Proof.** Suppose a feasible `y` is lexicographically better: `met_m(y) = met_m(x)`
//! for `m < l` and `met_l(y) ≥ met_l(x) + 1` (integers). Cancel the positive-cost
//! cycles of `y` (they use lanes only, since no arc leaves the sink, so every `met`
//! stays): the result `y'` is acyclic, so each of its at most `G` units travels a
//! simple path and `transport(y') ≤ G·D = T`, while `transport(x) ≥ 0`. Then
//! `cost(y') − cost(x) ≤ T − W_l + Σ_{m > l} W_m · |met_m(x) − met_m(y')|
//!  ≤ T − W_l + Σ_{m > l} W_m · min(N_m, G) = T − S < 0`, contradicting the optimality
//! of `x`. ∎ (The extra `2D` in `S` makes the dual prices decodable, see below.)
//!
//! All weights are computed in `i128`; if `8 · (largest weight + 1) · (nodes + 2)` does
//! not fit in `i64` (headroom so that no potential or reduced cost can overflow), the
//! weighted path is refused and the round solves **level by level**: maximise the need
//! met at level 0 (costs −1 on its arcs, 0 elsewhere), fix it with bounds on the
//! level's collector arc, go on to the next level, and finally minimise transport with
//! every level fixed.
//!
//! # Dual prices
//!
//! `V(v) = π(v) − π(Z)` is the value of one more unit at `v` (in cost units; see
//! [`crate::flow::FlowSolution`] for the sign convention). Along the spanning-tree path
//! from `v` to the sink, every level arc that is entered is left again through an arc of
//! the same collector except the last one, so `V = W_l + κ` (or `V = κ` if the path
//! ends in a surplus arc) with `|κ| ≤ D` km·10. Because consecutive weights differ by
//! more than `2D`, `l` and `κ` are read back exactly.

use super::item_network::ItemNetwork;
use super::plan::Method;
use crate::error::{Error, Result};
use crate::flow::{verify_solution, Engine, FlowSolution, Network, NetworkSimplex, Status};

/// Which way to solve the lexicographic objective.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Strategy {
    /// Weighted when the weights fit in `i64`, else level by level.
    #[default]
    Auto,
    /// One weighted solve; an [`Error::Overflow`] if the weights do not fit.
    Weighted,
    /// One solve per level.
    LevelByLevel,
}

/// What the value of one more unit at a site serves.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum DualLevel {
    Level(usize),
    Transport,
    Nothing,
}

/// Dual information for one site.
#[derive(Clone, Copy, Debug)]
pub(crate) struct SiteDual {
    pub level: DualLevel,
    /// km part in 0.1 km (negative: spent).
    pub km_tenths: i64,
    pub raw: i64,
}

pub(crate) struct Solved {
    pub flows: Vec<i64>,
    pub method: Method,
    pub duals: Vec<SiteDual>,
}

/// The weights of the levels (see the module doc), or `None` if they do not fit.
pub(crate) fn weights(inet: &ItemNetwork, site_count: usize) -> Option<(Vec<i64>, i64)> {
    let c_max = inet.lane_costs.iter().copied().max().unwrap_or(0);
    let hops = site_count.saturating_sub(1).min(inet.lane_count) as i128;
    let d = hops.checked_mul(i128::from(c_max))?;
    let g = i128::from(inet.supply_total);
    let t = g.checked_mul(d)?;
    let slack = t.checked_add(d.checked_mul(2)?)?.checked_add(1)?;
    let levels = inet.level_count();
    let mut w = vec![0i128; levels];
    let mut below: i128 = 0; // Σ_{m > l} W_m · min(N_m, G)
    for l in (0..levels).rev() {
        w[l] = below.checked_add(slack)?;
        let n_l = i128::from(inet.level_caps[l]).min(g);
        below = below.checked_add(w[l].checked_mul(n_l)?)?;
    }
    // Headroom for the solvers: the network simplex needs (max |cost| + 1)·(nodes + 1)·6
    // to fit in i64 (its artificial arcs and potentials); keep a factor 8.
    let nodes = inet.net.node_count() as i128 + 2;
    let max = w.iter().copied().max().unwrap_or(0);
    if max.checked_add(1)?.checked_mul(nodes)?.checked_mul(8)? > i128::from(i64::MAX) {
        return None;
    }
    let w: Vec<i64> = w.into_iter().map(|x| x as i64).collect();
    Some((w, d as i64))
}

/// A re-runnable solver over either engine. It keeps its own copy of the network for
/// the certificate check.
struct Runner {
    net: Network,
    simplex: Option<Box<NetworkSimplex>>,
}

impl Runner {
    fn new(net: &Network, engine: Engine) -> Result<Runner> {
        let simplex = match engine {
            Engine::Simplex => Some(Box::new(NetworkSimplex::new(net)?)),
            Engine::Lp => None,
        };
        Ok(Runner { net: net.clone(), simplex })
    }

    fn set_cost(&mut self, arc: u32, cost: i64) -> Result<()> {
        if let Some(s) = &mut self.simplex {
            s.set_cost(arc, cost)?;
        }
        self.net.set_cost(arc, cost)
    }

    fn set_bounds(&mut self, arc: u32, lower: i64, upper: i64) -> Result<()> {
        if let Some(s) = &mut self.simplex {
            s.set_bounds(arc, lower, upper)?;
        }
        self.net.set_bounds(arc, lower, upper)
    }

    /// Solves and checks: the status must be optimal and the solution must pass the
    /// independent optimality certificate.
    fn solve(&mut self) -> Result<FlowSolution> {
        let solution = match &mut self.simplex {
            Some(s) => s.solve()?,
            None => crate::lp::solve_flow(&self.net)?,
        };
        if solution.status != Status::Optimal {
            return Err(Error::Solver(format!("county round network came back {} (it is always feasible)", solution.status)));
        }
        let violations = verify_solution(&self.net, &solution);
        if let Some(v) = violations.first() {
            return Err(Error::Solver(format!("solution fails its optimality certificate: {v} ({} violations)", violations.len())));
        }
        Ok(solution)
    }
}

fn potential_gap(sol: &FlowSolution, v: usize, sink: u32) -> i128 {
    let pv = sol.potentials.get(v).copied().unwrap_or(0);
    let pz = sol.potentials.get(sink as usize).copied().unwrap_or(0);
    i128::from(pv) - i128::from(pz)
}

fn clamp_i64(x: i128) -> i64 {
    x.clamp(i128::from(i64::MIN), i128::from(i64::MAX)) as i64
}

/// Solves the item network lexicographically.
pub(crate) fn solve(inet: &ItemNetwork, site_count: usize, engine: Engine, strategy: Strategy) -> Result<Solved> {
    let weighted = match strategy {
        Strategy::LevelByLevel => None,
        Strategy::Auto => weights(inet, site_count),
        Strategy::Weighted => Some(weights(inet, site_count).ok_or_else(|| {
            Error::Overflow("the lexicographic weights of this item do not fit in i64; use level-by-level".into())
        })?),
    };
    match weighted {
        Some((w, d)) => solve_weighted(inet, site_count, engine, &w, d),
        None => solve_level_by_level(inet, site_count, engine),
    }
}

fn solve_weighted(inet: &ItemNetwork, site_count: usize, engine: Engine, w: &[i64], d: i64) -> Result<Solved> {
    let mut net = inet.net.clone();
    for la in &inet.level_arcs {
        net.set_cost(la.arc, -w[la.level])?;
    }
    let sol = Runner::new(&net, engine)?.solve()?;
    let duals = (0..site_count)
        .map(|v| {
            let gap = potential_gap(&sol, v, inet.sink);
            let d = i128::from(d);
            let found = (0..w.len())
                .filter(|&l| inet.level_caps[l] > 0)
                .find(|&l| (gap - i128::from(w[l])).abs() <= d);
            let (level, km) = match found {
                Some(l) => (DualLevel::Level(l), gap - i128::from(w[l])),
                None if gap == 0 => (DualLevel::Nothing, 0),
                None => (DualLevel::Transport, gap),
            };
            SiteDual { level, km_tenths: clamp_i64(km), raw: clamp_i64(gap) }
        })
        .collect();
    Ok(Solved { flows: sol.flows, method: Method::Weighted, duals })
}

fn solve_level_by_level(inet: &ItemNetwork, site_count: usize, engine: Engine) -> Result<Solved> {
    let mut runner = Runner::new(&inet.net, engine)?;
    for arc in 0..inet.lane_count {
        runner.set_cost(arc as u32, 0)?;
    }
    let mut first_level: Vec<Option<usize>> = vec![None; site_count];
    for level in 0..inet.level_count() {
        if inet.level_caps[level] == 0 {
            continue;
        }
        for la in &inet.level_arcs {
            runner.set_cost(la.arc, if la.level == level { -1 } else { 0 })?;
        }
        let sol = runner.solve()?;
        let met = sol.flows.get(inet.collector_arcs[level] as usize).copied().unwrap_or(0);
        runner.set_bounds(inet.collector_arcs[level], met, met)?;
        for (v, first) in first_level.iter_mut().enumerate() {
            if first.is_none() && potential_gap(&sol, v, inet.sink) >= 1 {
                *first = Some(level);
            }
        }
    }
    for la in &inet.level_arcs {
        runner.set_cost(la.arc, 0)?;
    }
    for (arc, &cost) in inet.lane_costs.iter().enumerate() {
        runner.set_cost(arc as u32, cost)?;
    }
    let sol = runner.solve()?;
    let duals = (0..site_count)
        .map(|v| {
            let gap = potential_gap(&sol, v, inet.sink);
            let level = match first_level[v] {
                Some(l) => DualLevel::Level(l),
                None if gap == 0 => DualLevel::Nothing,
                None => DualLevel::Transport,
            };
            SiteDual { level, km_tenths: clamp_i64(gap), raw: clamp_i64(gap) }
        })
        .collect();
    Ok(Solved { flows: sol.flows, method: Method::LevelByLevel, duals })
}
