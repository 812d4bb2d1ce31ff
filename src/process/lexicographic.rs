//! Solving one item's network with the strictly lexicographic objective: unmet acute
//! need by priority class (highest first), then unmet planning need, then transport.
//!
//! # Weights (the single-solve path)
//!
//! Let `c_max` be the largest lane cost (0.1 km) and `D = min(m − 1, lanes) · c_max`
//! the cost of the longest possible simple path (`m` site nodes: receive nodes plus the
//! send nodes of sites that do not forward, see `item_network`). The `k` levels with
//! any need (acute classes highest first, planning last) get the weights
//! `W_i = (k − i) · (2D + 1)`, `i = 0..k`: each level outweighs the next by `2D + 1`,
//! the last outweighs unused stock (weight 0) by as much. A level arc of level `l`
//! costs `−W_l`, lanes cost their km, so the flow cost is `transport − Σ_l W_l · met_l`.
//!
//! **Claim.** A min-cost flow `x` for these costs is lexicographically optimal.
//! **Proof.** Let `y` be any feasible flow. `y − x` is a circulation in the residual
//! network of `x`, a sum of simple cycles of it with positive multiples; each has a
//! cost `≥ 0`, since `x` is optimal. Only collector arcs change a level's `met`, and
//! they all end at the sink `Z`, which a simple cycle passes at most once: entering
//! `Z` through the collector of level `l` (or a surplus arc) and leaving backwards
//! through the collector of level `h` (or a surplus arc), the cycle changes `met` by
//! `e_l − e_h` (or `e_l`, `−e_h`, 0), and it costs `W_h − W_l + t` (weight 0 for a
//! surplus arc; level arcs into and out of one collector cancel), where `t` is the
//! cost of its lanes: they join consecutive site nodes of a simple path, so
//! `|t| ≤ D`. If `l` is above `h` (or the cycle only gains), `W_h − W_l ≤ −(2D + 1)`
//! and the cost is negative: impossible. So every cycle's change of the level vector
//! is zero or lexicographically negative (it loses at a level and gains only below),
//! and so is their sum `met(y) − met(x)` (the lexicographic order is compatible with
//! addition): no `y` meets more need lexicographically. If `met(y) = met(x)`, every
//! cycle changes nothing (a sum of negative and zero vectors is zero only if all are
//! zero), so each cycle costs its lanes' km, `≥ 0`: `transport(y) ≥ transport(x)`. ∎
//! The weights do not depend on the quantities, only on the number of levels and `D`.
//!
//! All weights are computed in `i128`; if `64 · (largest weight + 1) · (nodes + 2)` does
//! not fit in `i64` (headroom so that no potential or reduced cost can overflow), or
//! `64 · G · (W_0 + D)` does not (the weighted objective's bound with the same
//! headroom; `G = Σ g_v`, the item's total giveable stock), the single weighted solve
//! is refused and the round solves **in sequence**: the levels are cut into *chunks* of consecutive levels, highest first;
//! each chunk is one solve with the same construction restricted to the chunk (lanes
//! cost 0 and `D = 0` when the chunk does not carry transport: nothing below it is
//! rewarded then), after which every level of the chunk is fixed at its optimum by
//! bounds `[met, met]` on its collector arc; transport is minimised last with every
//! level fixed (folded into the last chunk when its weights still fit). The same proof
//! applies chunk by chunk (fixed levels cannot change, unweighted levels below weigh
//! 0), so the result is lexicographically optimal. For the LP engine (f64) weights
//! are also kept at most 2^31 and the objective's bound at most 2^53.
//! [`Strategy::LevelByLevel`] uses one level per chunk; [`Strategy::Auto`] the longest
//! chunks that fit. Once the giveable stock is used up by the levels fixed so far, the
//! remaining levels are fixed at 0 without a solve.
//!
//! # Dual prices
//!
//! `V(v) = π(v) − π(Z)` is the value of one more unit at `v` (in cost units; see
//! [`crate::flow::FlowSolution`] for the sign convention). Along the spanning-tree path
//! from `v` to the sink, every level arc that is entered is left again through an arc of
//! the same collector except the last one, so `V = W_l + κ` (or `V = κ` if the path
//! ends in a surplus arc) with `|κ| ≤ D` km·10. Because consecutive weights differ by
//! more than `2D`, `l` and `κ` are read back exactly. In a sequence of chunks, a site's
//! level is the first one decoded in chunk order, and the km part comes from the chunk
//! that carries transport (with the levels above fixed).

use super::item_network::ItemNetwork;
use super::plan::Method;
use crate::engine::flow_engine;
use crate::error::{Error, Result};
use crate::flow::{Certified, Engine, FlowEngine, FlowSolution, Network, NetworkSimplex, Status};

/// Memory one thread's solves pass on to the next: the item network (refilled by
/// [`ItemNetwork::refill_from`]), the network simplex (refilled in place,
/// [`NetworkSimplex::refill`], the same state as a new one) and the copy of the
/// network the certificate checks against. Only memory: a solve with a used
/// scratch returns what it returns with a new one.
#[derive(Default)]
pub(crate) struct SolveScratch {
    simplex: Option<NetworkSimplex>,
    network: Network,
    item_network: ItemNetwork,
}

impl SolveScratch {
    /// The kept item network, to refill ([`ItemNetwork::refill_from`]).
    pub(crate) fn take_item_network(&mut self) -> ItemNetwork {
        std::mem::take(&mut self.item_network)
    }

    /// Keeps `inet`'s memory for the next item network.
    pub(crate) fn keep_item_network(&mut self, inet: ItemNetwork) {
        self.item_network = inet;
    }

    /// A network simplex for `net`: the kept one refilled, else a new one.
    fn simplex(&mut self, net: &Network) -> Result<NetworkSimplex> {
        match self.simplex.take() {
            Some(mut simplex) => {
                simplex.refill(net)?;
                Ok(simplex)
            }
            None => NetworkSimplex::new(net),
        }
    }

    /// The certificate's copy of `net`, in the kept memory.
    fn network_copy(&mut self, net: &Network) -> Network {
        let mut copy = std::mem::take(&mut self.network);
        copy.copy_from(net);
        copy
    }
}

/// Which way to solve the lexicographic objective.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Strategy {
    /// One weighted solve when the weights fit in `i64`, else the longest chunks of
    /// levels that fit, in sequence.
    #[default]
    Auto,
    /// One weighted solve; an [`Error::Overflow`] if the weights do not fit.
    Weighted,
    /// One solve per level, then one for transport.
    LevelByLevel,
}

crate::names::named_enum!(Strategy, "strategy", {
    Auto => "auto",
    Weighted => "weighted",
    LevelByLevel => "level-by-level",
});

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

/// Weights of a chunk of levels `levels` (ascending; every level below the chunk is
/// unweighted, every level above is already fixed), with transport at the bottom when
/// `with_transport`. Returns the weight per level of the chunk and `D` (0 without
/// transport), or `None` when they do not fit (see the module doc).
pub(crate) fn chunk_weights(
    inet: &ItemNetwork,
    levels: &[usize],
    with_transport: bool,
    engine: Engine,
) -> Option<(Vec<i64>, i64)> {
    let g = i128::from(inet.supply_total);
    let d = if with_transport {
        let c_max = inet.lane_costs.iter().copied().max().unwrap_or(0);
        // A simple path over site nodes (a cycle through the sink, or a tree path of
        // the dual decoding) uses at most `site_nodes − 1` lanes.
        let hops = inet.site_nodes.saturating_sub(1).min(inet.lane_count) as i128;
        hops.checked_mul(i128::from(c_max))?
    } else {
        // Lanes cost 0 in this solve: nothing below the chunk is rewarded.
        0
    };
    // W = (k − i) · (2D + 1) for the i-th of the chunk's k levels, highest first.
    let step = d.checked_mul(2)?.checked_add(1)?;
    let k = levels.len() as i128;
    let w: Vec<i128> = (0..k).map(|i| (k - i).checked_mul(step)).collect::<Option<_>>()?;
    let max = w.first().copied().unwrap_or(0).max(d);
    // Headroom for the solvers: the network simplex needs (max |cost| + 1)·(nodes + 1)·12
    // to fit in i64 (its artificial arcs, potentials and reduced costs); keep a factor 64.
    let nodes = inet.net.node_count() as i128 + 2;
    if max.checked_add(1)?.checked_mul(nodes)?.checked_mul(HEADROOM)? > i128::from(i64::MAX) {
        return None;
    }
    // The weighted objective `transport − Σ W_l · met_l` stays within ±G · (W + D):
    // keep it an i64, with the same headroom.
    if g.checked_mul(max.checked_add(d)?)?.checked_mul(HEADROOM)? > i128::from(i64::MAX) {
        return None;
    }
    // The LP engine works in f64: keep its costs small (well within 2^53 and the
    // solver's tolerances) by cutting the levels into more chunks.
    if engine == Engine::Lp && (max > LP_MAX_WEIGHT || g * (max + d) > LP_MAX_OBJECTIVE) {
        return None;
    }
    Some((w.into_iter().map(|x| x as i64).collect(), d as i64))
}

/// Safety factor between `(largest cost + 1) · (nodes + 2)` and `i64::MAX`.
const HEADROOM: i128 = 64;

/// Largest level weight given to the LP engine (2^31).
const LP_MAX_WEIGHT: i128 = 1 << 31;

/// Largest bound `G · (W_0 + D)` of the weighted objective given to the LP engine (2^53:
/// every value of it exact in f64).
const LP_MAX_OBJECTIVE: i128 = 1 << 53;

/// One solve of the sequence: these levels (weighted) and maybe transport.
struct Chunk {
    levels: Vec<usize>,
    weights: Vec<i64>,
    with_transport: bool,
    d: i64,
}

/// The chunks of the levels that have any need, highest first: one chunk with all
/// levels and transport if it fits (or if `Weighted` is asked), single levels and a
/// final transport solve for `LevelByLevel`, and for `Auto` the longest runs of levels
/// whose weights fit.
fn plan_chunks(inet: &ItemNetwork, strategy: Strategy, engine: Engine) -> Result<Vec<Chunk>> {
    let active: Vec<usize> = (0..inet.level_count()).filter(|&l| inet.level_caps[l] > 0).collect();
    let single = |levels: &[usize], t: bool| chunk_weights(inet, levels, t, engine);
    let whole = single(&active, true);
    match (strategy, whole) {
        (Strategy::Weighted | Strategy::Auto, Some((weights, d))) => {
            return Ok(vec![Chunk {
                levels: active,
                weights,
                with_transport: true,
                d,
            }]);
        }
        (Strategy::Weighted, None) => {
            return Err(Error::Overflow(
                "the lexicographic weights of this item do not fit in i64; use level-by-level".into(),
            ))
        }
        _ => {}
    }
    let mut chunks = Vec::new();
    let mut i = 0;
    while i < active.len() {
        let mut j = i + 1; // chunk = active[i..j]
        if strategy == Strategy::Auto {
            while j < active.len() && single(&active[i..=j], false).is_some() {
                j += 1;
            }
        }
        let levels = active[i..j].to_vec();
        let (weights, _) = single(&levels, false).unwrap_or_else(|| (vec![1; levels.len()], 0));
        chunks.push(Chunk {
            levels,
            weights,
            with_transport: false,
            d: 0,
        });
        i = j;
    }
    // Fold transport into the last chunk if that still fits, else solve it alone.
    if strategy == Strategy::Auto {
        if let Some(last) = chunks.last_mut() {
            if let Some((weights, d)) = single(&last.levels, true) {
                *last = Chunk {
                    levels: std::mem::take(&mut last.levels),
                    weights,
                    with_transport: true,
                    d,
                };
                return Ok(chunks);
            }
        }
    }
    chunks.push(Chunk {
        levels: Vec::new(),
        weights: Vec::new(),
        with_transport: true,
        d: 0,
    });
    Ok(chunks)
}

/// Solves and checks: the status must be optimal (the round's network always is
/// feasible); the [`Certified`] engine has checked the optimality certificate.
fn solve_optimal(runner: &mut impl FlowEngine) -> Result<FlowSolution> {
    let solution = runner.solve()?;
    if solution.status != Status::Optimal {
        return Err(Error::Solver(format!(
            "county round network came back {} (it is always feasible)",
            solution.status
        )));
    }
    Ok(solution)
}

fn potential_gap(sol: &FlowSolution, v: u32, sink: u32) -> i128 {
    let pv = sol.potentials.get(v as usize).copied().unwrap_or(0);
    let pz = sol.potentials.get(sink as usize).copied().unwrap_or(0);
    i128::from(pv) - i128::from(pz)
}

fn clamp_i64(x: i128) -> i64 {
    x.clamp(i128::from(i64::MIN), i128::from(i64::MAX)) as i64
}

/// Solves the item network lexicographically: the chunks of [`plan_chunks`] in order,
/// each level's optimum fixed (bounds on its collector arc) before the next chunk. The
/// costs of `inet.net` are left as the first solve's.
/// `scratch` lends its memory (see [`SolveScratch`]).
pub(crate) fn solve(
    inet: &mut ItemNetwork,
    site_count: usize,
    engine: Engine,
    strategy: Strategy,
    scratch: &mut SolveScratch,
) -> Result<Solved> {
    match solve_chunks(inet, site_count, engine, strategy, scratch) {
        // A solver may have stricter limits than the headroom above: Auto then falls
        // back to unit weights, which cannot overflow.
        Err(Error::Overflow(_)) if strategy == Strategy::Auto => {
            solve_chunks(inet, site_count, engine, Strategy::LevelByLevel, scratch)
        }
        other => other,
    }
}

/// Writes the costs of `chunk` into `inet`'s network: lanes their km when the chunk
/// carries transport (else 0), level arcs minus their weight (0 outside the chunk).
fn set_chunk_costs(inet: &mut ItemNetwork, chunk: &Chunk) -> Result<()> {
    let ItemNetwork {
        net,
        lane_costs,
        level_arcs,
        ..
    } = inet;
    for (arc, &cost) in lane_costs.iter().enumerate() {
        net.set_cost(arc as u32, if chunk.with_transport { cost } else { 0 })?;
    }
    for la in level_arcs.iter() {
        net.set_cost(la.arc, -chunk_weight(chunk, la.level))?;
    }
    Ok(())
}

/// The weight of `level` in `chunk` (0 outside it).
fn chunk_weight(chunk: &Chunk, level: usize) -> i64 {
    chunk
        .levels
        .iter()
        .position(|&l| l == level)
        .map_or(0, |i| chunk.weights[i])
}

fn solve_chunks(
    inet: &mut ItemNetwork,
    site_count: usize,
    engine: Engine,
    strategy: Strategy,
    scratch: &mut SolveScratch,
) -> Result<Solved> {
    let chunks = plan_chunks(inet, strategy, engine)?;
    // The first chunk's costs go into the network before the solver is built (the
    // same arrays, so the same pivots, as setting them on the solver, without the
    // checked calls arc by arc); later chunks set theirs on the solver.
    if let Some(first) = chunks.first() {
        set_chunk_costs(inet, first)?;
    }
    let inet = &*inet;
    match engine.resolve(&inet.net) {
        Engine::Simplex | Engine::Auto => {
            let simplex = scratch.simplex(&inet.net)?;
            let mut runner = Certified::owning(scratch.network_copy(&inet.net), simplex)?;
            let solved = run_chunks(&mut runner, inet, &chunks, site_count);
            (scratch.network, scratch.simplex) = {
                let (network, simplex) = runner.into_parts();
                (network, Some(simplex))
            };
            solved
        }
        _ => {
            let other = flow_engine(&inet.net, engine)?;
            let mut runner = Certified::owning(scratch.network_copy(&inet.net), other)?;
            let solved = run_chunks(&mut runner, inet, &chunks, site_count);
            scratch.network = runner.into_parts().0;
            solved
        }
    }
}

/// The solves of `chunks` in order on `runner` (built for `inet`'s network with the
/// first chunk's costs), each chunk's levels fixed before the next, and the sites'
/// dual prices decoded.
fn run_chunks<E: FlowEngine>(
    runner: &mut Certified<E>,
    inet: &ItemNetwork,
    chunks: &[Chunk],
    site_count: usize,
) -> Result<Solved> {
    let method = if chunks.len() == 1 {
        Method::Weighted
    } else {
        Method::LevelByLevel
    };
    let mut site_level: Vec<Option<(usize, Option<i64>)>> = vec![None; site_count];
    let mut met_so_far: i64 = 0;
    let mut last = None;
    for (c, chunk) in chunks.iter().enumerate() {
        let is_last = c + 1 == chunks.len();
        if !chunk.with_transport && met_so_far >= inet.supply_total && !is_last {
            // All giveable stock already serves higher levels: these levels get nothing.
            for &l in &chunk.levels {
                runner.set_bounds(inet.collector_arcs[l], 0, 0)?;
            }
            continue;
        }
        if c > 0 {
            for (arc, &cost) in inet.lane_costs.iter().enumerate() {
                runner.set_cost(arc as u32, if chunk.with_transport { cost } else { 0 })?;
            }
            for la in &inet.level_arcs {
                runner.set_cost(la.arc, -chunk_weight(chunk, la.level))?;
            }
        }
        let sol = solve_optimal(runner)?;
        for &l in &chunk.levels {
            let met = sol.flows.get(inet.collector_arcs[l] as usize).copied().unwrap_or(0);
            runner.set_bounds(inet.collector_arcs[l], met, met)?;
            met_so_far = met_so_far.saturating_add(met);
        }
        for (v, slot) in site_level.iter_mut().enumerate() {
            if slot.is_some() {
                continue;
            }
            let gap = potential_gap(&sol, inet.dual_nodes[v], inet.sink);
            let d = i128::from(chunk.d);
            if let Some(i) = (0..chunk.levels.len()).find(|&i| (gap - i128::from(chunk.weights[i])).abs() <= d) {
                let km = chunk
                    .with_transport
                    .then(|| clamp_i64(gap - i128::from(chunk.weights[i])));
                *slot = Some((chunk.levels[i], km));
            }
        }
        last = Some(sol);
    }
    let Some(sol) = last else {
        return Err(Error::Solver("no solve was run for the item".into()));
    };
    let duals = (0..site_count)
        .map(|v| {
            let gap = potential_gap(&sol, inet.dual_nodes[v], inet.sink);
            let raw = clamp_i64(gap);
            match site_level[v] {
                Some((l, km)) => SiteDual {
                    level: DualLevel::Level(l),
                    km_tenths: km.unwrap_or(raw),
                    raw,
                },
                None if gap == 0 => SiteDual {
                    level: DualLevel::Nothing,
                    km_tenths: 0,
                    raw,
                },
                None => SiteDual {
                    level: DualLevel::Transport,
                    km_tenths: raw,
                    raw,
                },
            }
        })
        .collect();
    Ok(Solved {
        flows: sol.flows,
        method,
        duals,
    })
}
