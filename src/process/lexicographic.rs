//! Solving one item's network with the strictly lexicographic objective: unmet acute
//! need by priority class (highest first), then unmet planning need, then transport.
//!
//! # Weights (the single-solve path)
//!
//! Let `G = Σ g_v` be the item's total giveable stock, `c_max` the largest lane cost
//! (0.1 km), `D = min(m − 1, lanes) · c_max` the cost of the longest possible simple
//! path (`m` site nodes: receive nodes plus the send nodes of sites that do not forward,
//! see `item_network`), and `T = G · D`. Level `l` (acute classes `0..K`, planning `K`) has total
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
//! All weights are computed in `i128`; if `64 · (largest weight + 1) · (nodes + 2)` does
//! not fit in `i64` (headroom so that no potential or reduced cost can overflow), the
//! single weighted solve is refused and the round solves **in sequence**: the levels
//! are cut into *chunks* of consecutive levels, highest first; each chunk is one solve
//! with the same construction restricted to the chunk (lanes cost 0 and `S = 1` when the
//! chunk does not carry transport, since nothing below it is rewarded then), after
//! which every level of the chunk is fixed at its optimum by bounds `[met, met]` on its
//! collector arc; transport is minimised last with every level fixed (folded into the
//! last chunk when its weights still fit). The same proof applies chunk by chunk, so the
//! result is lexicographically optimal. For the LP engine (f64) weights are also kept
//! at most 2^31. [`Strategy::LevelByLevel`] uses one level per
//! chunk; [`Strategy::Auto`] the longest chunks that fit. Once the giveable stock is
//! used up by the levels fixed so far, the remaining levels are fixed at 0 without a
//! solve.
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
use crate::flow::{Certified, Engine, FlowEngine, FlowSolution, Status};

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
    let (d, slack) = if with_transport {
        let c_max = inet.lane_costs.iter().copied().max().unwrap_or(0);
        // A tree path of the dual decoding may cross every site node once (send and
        // receive nodes), so it uses at most `site_nodes − 1` lanes.
        let hops = inet.site_nodes.saturating_sub(1).min(inet.lane_count) as i128;
        let d = hops.checked_mul(i128::from(c_max))?;
        let t = g.checked_mul(d)?;
        (d, t.checked_add(d.checked_mul(2)?)?.checked_add(1)?)
    } else {
        // Lanes cost 0 in this solve: nothing below the chunk is rewarded.
        (0, 1)
    };
    let mut w = vec![0i128; levels.len()];
    let mut below: i128 = 0; // Σ over the chunk's lower levels m of W_m · min(N_m, G)
    for (i, &l) in levels.iter().enumerate().rev() {
        w[i] = below.checked_add(slack)?;
        let n_l = i128::from(inet.level_caps[l]).min(g);
        below = below.checked_add(w[i].checked_mul(n_l)?)?;
    }
    // Headroom for the solvers: the network simplex needs (max |cost| + 1)·(nodes + 1)·12
    // to fit in i64 (its artificial arcs, potentials and reduced costs); keep a factor 64.
    let nodes = inet.net.node_count() as i128 + 2;
    let max = w.iter().copied().max().unwrap_or(0).max(d);
    if max.checked_add(1)?.checked_mul(nodes)?.checked_mul(HEADROOM)? > i128::from(i64::MAX) {
        return None;
    }
    // The LP engine works in f64: keep its costs small (well within 2^53 and the
    // solver's tolerances) by cutting the levels into more chunks.
    if engine == Engine::Lp && max > LP_MAX_WEIGHT {
        return None;
    }
    Some((w.into_iter().map(|x| x as i64).collect(), d as i64))
}

/// Safety factor between `(largest cost + 1) · (nodes + 2)` and `i64::MAX`.
const HEADROOM: i128 = 64;

/// Largest level weight given to the LP engine (2^31).
const LP_MAX_WEIGHT: i128 = 1 << 31;

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
/// each level's optimum fixed (bounds on its collector arc) before the next chunk.
pub(crate) fn solve(inet: &ItemNetwork, site_count: usize, engine: Engine, strategy: Strategy) -> Result<Solved> {
    match solve_chunks(inet, site_count, engine, strategy) {
        // A solver may have stricter limits than the headroom above: Auto then falls
        // back to unit weights, which cannot overflow.
        Err(Error::Overflow(_)) if strategy == Strategy::Auto => {
            solve_chunks(inet, site_count, engine, Strategy::LevelByLevel)
        }
        other => other,
    }
}

fn solve_chunks(inet: &ItemNetwork, site_count: usize, engine: Engine, strategy: Strategy) -> Result<Solved> {
    let chunks = plan_chunks(inet, strategy, engine)?;
    let method = if chunks.len() == 1 {
        Method::Weighted
    } else {
        Method::LevelByLevel
    };
    let mut runner = Certified::new(&inet.net, flow_engine(&inet.net, engine)?)?;
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
        for (arc, &cost) in inet.lane_costs.iter().enumerate() {
            runner.set_cost(arc as u32, if chunk.with_transport { cost } else { 0 })?;
        }
        for la in &inet.level_arcs {
            let w = chunk
                .levels
                .iter()
                .position(|&l| l == la.level)
                .map_or(0, |i| chunk.weights[i]);
            runner.set_cost(la.arc, -w)?;
        }
        let sol = solve_optimal(&mut runner)?;
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
