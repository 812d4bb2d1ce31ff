//! Seeded generators of min-cost flow instances for tests, benchmarks and peer
//! comparisons.
//!
//! Three families:
//!
//! * [`transportation`]: sources → sinks, a bipartite graph (complete by default).
//! * [`transshipment`]: a sparse random graph of sources, transshipment nodes and
//!   sinks, with a backbone of short paths that carries a feasible flow.
//! * [`netgen`]: NETGEN-like instances (the classic NETGEN parameters): skeleton chains
//!   from each source through the transshipment nodes to the sinks, a share of them at
//!   high cost, plus random arcs. "NETGEN-like", not bit-identical to NETGEN.
//!
//! **Guarantees.** Every generated instance is *balanced* (supplies sum to 0), *feasible*
//! and *bounded*: the generator first builds a feasible flow on a backbone (each source
//! ships its whole supply to the sinks along backbone arcs whose capacity is at least
//! the flow they carry; [`generate_with_feasible_flow`] returns it), and every arc
//! has a finite capacity. An "uncapacitated" arc gets the capacity `total_supply`, as in
//! NETGEN: no flow without cycles carries more, so with costs ≥ 0 this is no limit at
//! all. All lower bounds are 0; self-loops are never generated (parallel arcs may be).
//!
//! **Determinism.** Instances depend only on the parameters and the seed: the random
//! numbers come from xoshiro256** seeded through SplitMix64 (the crate's `rng` module),
//! integer arithmetic only, so an instance is identical on every platform and in every
//! version of allocnet (a test pins a checksum of generated instances).
//!
//! **Layout.** Sources come first (node ids `0..sources`), sinks last; arcs are sorted by
//! tail node (stable), as in NETGEN output.
//!
//! ```
//! use allocnet::flow::generate::{netgen, NetgenParams};
//! let params = NetgenParams { nodes: 200, arcs: 1500, ..NetgenParams::default() };
//! let net = netgen(&params, 7).unwrap();
//! assert_eq!((net.node_count(), net.arc_count()), (200, 1500));
//! assert_eq!(net.supply_balance(), 0);
//! assert_eq!(net, netgen(&params, 7).unwrap()); // same seed, same instance
//! ```

use super::network::Network;
use crate::error::{Error, InvalidValue, Result};
use crate::rng::Xoshiro256StarStar;

#[path = "generate_netgen.rs"]
mod classic;
pub use classic::{netgen_classic, ClassicNetgenParams};

#[path = "generate_grid.rs"]
mod grid;
pub use grid::{goto_like, gridgen_like, GridParams};

/// The largest node or arc count a [`Network`] supports.
const MAX_COUNT: usize = (u32::MAX as usize) - 1;

/// The cost, capacity and supply parameters every family shares (one set of defaults).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CommonParams {
    /// Smallest unit cost. Default 1.
    pub min_cost: i64,
    /// Largest unit cost. Default 100.
    pub max_cost: i64,
    /// Total supply (= total demand), split at random: every source and sink gets at
    /// least 1 when it is at least their number. Default 100 000.
    pub total_supply: i64,
    /// Percentage (0–100) of arcs with a capacity from `min_capacity..=max_capacity`
    /// (raised to the backbone flow on backbone arcs); the others get
    /// `total_supply`. Default 50.
    pub capacitated_percent: u32,
    /// Smallest capacity of a capacitated arc (≥ 0). Default 1.
    pub min_capacity: i64,
    /// Largest capacity of a capacitated arc. Default 2000.
    pub max_capacity: i64,
}

impl Default for CommonParams {
    fn default() -> Self {
        Self {
            min_cost: 1,
            max_cost: 100,
            total_supply: 100_000,
            capacitated_percent: 50,
            min_capacity: 1,
            max_capacity: 2000,
        }
    }
}

/// Parameters of a transportation instance: `sources` supply nodes, `sinks` demand
/// nodes, arcs only from sources to sinks.
///
/// Nodes `0..sources` are the sources, `sources..sources + sinks` the sinks.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TransportationParams {
    /// Number of supply nodes (≥ 1). Default 100.
    pub sources: usize,
    /// Number of demand nodes (≥ 1). Default 100.
    pub sinks: usize,
    /// Number of arcs. `None` (default): the complete bipartite graph, one arc per
    /// (source, sink) pair. `Some(m)`: `m ≥ sources + sinks − 1` arcs, the backbone
    /// plus uniformly random (source, sink) arcs (a pair may repeat: parallel arcs).
    pub arcs: Option<usize>,
    /// Costs, capacities and total supply (defaults: [`CommonParams::default`]).
    pub common: CommonParams,
}

impl Default for TransportationParams {
    fn default() -> Self {
        Self {
            sources: 100,
            sinks: 100,
            arcs: None,
            common: CommonParams::default(),
        }
    }
}

/// Parameters of a transshipment instance: a sparse random graph with sources,
/// transshipment nodes and sinks.
///
/// Nodes `0..sources` are the sources, the last `sinks` nodes the sinks, the rest
/// transshipment nodes. The backbone routes the supplies to the sinks (a
/// north-west-corner pairing of sources and sinks) along one path per pair through
/// `backbone_hops` random transshipment nodes. The other arcs are random: tail a source
/// or transshipment node, head a transshipment node or sink.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TransshipmentParams {
    /// Number of nodes (≥ sources + sinks). Default 1000.
    pub nodes: usize,
    /// Number of arcs (≥ (sources + sinks − 1) · (backbone_hops + 1)). Default 10 000.
    pub arcs: usize,
    /// Number of supply nodes (≥ 1). Default 20.
    pub sources: usize,
    /// Number of demand nodes (≥ 1). Default 20.
    pub sinks: usize,
    /// Transshipment nodes on each backbone path (fewer when there are fewer than two
    /// transshipment nodes). Default 3.
    pub backbone_hops: usize,
    /// Costs, capacities and total supply (defaults: [`CommonParams::default`]).
    pub common: CommonParams,
}

impl Default for TransshipmentParams {
    fn default() -> Self {
        Self {
            nodes: 1000,
            arcs: 10_000,
            sources: 20,
            sinks: 20,
            backbone_hops: 3,
            common: CommonParams::default(),
        }
    }
}

/// Parameters of a NETGEN-like instance (the classic NETGEN parameter set).
///
/// Nodes `0..sources` are the sources, of which the *last* `transshipment_sources`
/// may also receive arcs; the last `sinks` nodes are the sinks, of which the *first*
/// `transshipment_sinks` may also send arcs; the rest are transshipment nodes. Pure
/// sources have no incoming and pure sinks no outgoing arcs.
///
/// The skeleton: the transshipment nodes are shuffled and cut into one chain per source
/// (`source → t₁ → t₂ → …`); sources and sinks are paired north-west-corner style and
/// each pair's flow leaves its source's chain at a random chain node by an arc to the
/// sink. `high_cost_percent` of the skeleton arcs cost `max_cost`, so the skeleton is not
/// simply the optimal solution. The remaining arcs are random.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NetgenParams {
    /// Number of nodes (≥ sources + sinks). Default 1000.
    pub nodes: usize,
    /// Number of source nodes, transshipment sources included (≥ 1). Default 20.
    pub sources: usize,
    /// Number of sink nodes, transshipment sinks included (≥ 1). Default 20.
    pub sinks: usize,
    /// Number of arcs (≥ nodes − 1: the skeleton has up to
    /// `nodes − sources − sinks` chain arcs and `sources + sinks − 1` exit arcs).
    /// Default 10 000.
    pub arcs: usize,
    /// Costs, capacities and total supply (defaults: [`CommonParams::default`]).
    pub common: CommonParams,
    /// How many of the sources may also receive flow (≤ sources). Default 0.
    pub transshipment_sources: usize,
    /// How many of the sinks may also send flow (≤ sinks). Default 0.
    pub transshipment_sinks: usize,
    /// Percentage (0–100) of skeleton arcs with cost `max_cost`. Default 30.
    pub high_cost_percent: u32,
}

impl Default for NetgenParams {
    fn default() -> Self {
        Self {
            nodes: 1000,
            sources: 20,
            sinks: 20,
            arcs: 10_000,
            common: CommonParams::default(),
            transshipment_sources: 0,
            transshipment_sinks: 0,
            high_cost_percent: 30,
        }
    }
}

/// An instance family with its parameters.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Family {
    /// See [`TransportationParams`].
    Transportation(TransportationParams),
    /// See [`TransshipmentParams`].
    Transshipment(TransshipmentParams),
    /// See [`NetgenParams`].
    Netgen(NetgenParams),
}

/// Generates an instance of `family` from `seed`.
///
/// Invalid parameters are an [`Error::Invalid`] listing every problem (paths like
/// `netgen.arcs`). Not enough memory for the requested size is an [`Error::Invalid`] too.
pub fn generate(family: &Family, seed: u64) -> Result<Network> {
    generate_with_feasible_flow(family, seed).map(|(network, _)| network)
}

/// Generates an instance (as [`generate`]) together with the feasible flow it was
/// built around: one flow per arc, within the bounds, conserving every supply.
pub fn generate_with_feasible_flow(family: &Family, seed: u64) -> Result<(Network, Vec<i64>)> {
    let mut rng = Xoshiro256StarStar::new(seed);
    match family {
        Family::Transportation(p) => build_transportation(p, &mut rng),
        Family::Transshipment(p) => build_transshipment(p, &mut rng),
        Family::Netgen(p) => build_netgen(p, &mut rng),
    }
}

/// A transportation instance (see [`TransportationParams`]).
pub fn transportation(params: &TransportationParams, seed: u64) -> Result<Network> {
    generate(&Family::Transportation(params.clone()), seed)
}

/// A transshipment instance (see [`TransshipmentParams`]).
pub fn transshipment(params: &TransshipmentParams, seed: u64) -> Result<Network> {
    generate(&Family::Transshipment(params.clone()), seed)
}

/// A NETGEN-like instance (see [`NetgenParams`]).
pub fn netgen(params: &NetgenParams, seed: u64) -> Result<Network> {
    generate(&Family::Netgen(params.clone()), seed)
}

// ---------------------------------------------------------------------------------
// The families

fn build_transportation(p: &TransportationParams, rng: &mut Xoshiro256StarStar) -> Result<(Network, Vec<i64>)> {
    let mut problems = Vec::new();
    check_endpoints("transportation", p.sources, p.sinks, None, &mut problems);
    let style = ArcStyle::checked("transportation", &p.common, &mut problems);
    let (s, t) = (p.sources, p.sinks);
    let arcs = match p.arcs {
        None => s.saturating_mul(t),
        Some(m) => {
            let backbone = (s + t).saturating_sub(1);
            if m < backbone {
                problems.push(InvalidValue::new(
                    "transportation.arcs",
                    format!("expected at least sources + sinks - 1 = {backbone} (the backbone), found {m}"),
                ));
            }
            m
        }
    };
    check_at_most("transportation.arcs", arcs, MAX_COUNT, &mut problems);
    if !problems.is_empty() {
        return Err(Error::Invalid(problems));
    }

    let supplies = split_total(rng, p.common.total_supply, s);
    let demands = split_total(rng, p.common.total_supply, t);
    let pairs = pair_up(rng, &supplies, &demands);
    let mut builder = ArcBuilder::with_capacity(arcs)?;
    let sink = |j: usize| (s + j) as u32;
    match p.arcs {
        None => {
            let mut flow = vec![0i64; arcs];
            for &(i, j, q) in &pairs {
                flow[i * t + j] = q;
            }
            for i in 0..s {
                for j in 0..t {
                    let (cost, upper) = style.arc(rng, flow[i * t + j], false);
                    builder.push(i as u32, sink(j), upper, cost, flow[i * t + j]);
                }
            }
        }
        Some(m) => {
            for &(i, j, q) in &pairs {
                let (cost, upper) = style.arc(rng, q, false);
                builder.push(i as u32, sink(j), upper, cost, q);
            }
            while builder.len() < m {
                let (i, j) = (rng.index(s), rng.index(t));
                let (cost, upper) = style.arc(rng, 0, false);
                builder.push(i as u32, sink(j), upper, cost, 0);
            }
            builder.sort_by_tail(s + t);
        }
    }
    builder.finish(node_supplies(s + t, &supplies, &demands))
}

fn build_transshipment(p: &TransshipmentParams, rng: &mut Xoshiro256StarStar) -> Result<(Network, Vec<i64>)> {
    let mut problems = Vec::new();
    check_endpoints("transshipment", p.sources, p.sinks, Some(p.nodes), &mut problems);
    check_at_most("transshipment.nodes", p.nodes, MAX_COUNT, &mut problems);
    check_at_most("transshipment.arcs", p.arcs, MAX_COUNT, &mut problems);
    let style = ArcStyle::checked("transshipment", &p.common, &mut problems);
    let (n, s, t) = (p.nodes, p.sources, p.sinks);
    let middle = n.saturating_sub(s + t);
    let hops = match middle {
        0 => 0,
        1 => p.backbone_hops.min(1),
        _ => p.backbone_hops,
    };
    let backbone = (s + t).saturating_sub(1).saturating_mul(hops.saturating_add(1));
    if p.arcs < backbone {
        problems.push(InvalidValue::new(
            "transshipment.arcs",
            format!(
                "expected at least (sources + sinks - 1) * (backbone_hops + 1) = {backbone} (the backbone), found {}",
                p.arcs
            ),
        ));
    }
    if !problems.is_empty() {
        return Err(Error::Invalid(problems));
    }

    let supplies = split_total(rng, p.common.total_supply, s);
    let demands = split_total(rng, p.common.total_supply, t);
    let pairs = pair_up(rng, &supplies, &demands);
    let mut builder = ArcBuilder::with_capacity(p.arcs)?;
    for &(i, j, q) in &pairs {
        let mut at = i;
        for _ in 0..hops {
            let mut next = s + rng.index(middle);
            if next == at {
                next = s + (next - s + 1) % middle;
            }
            let (cost, upper) = style.arc(rng, q, false);
            builder.push(at as u32, next as u32, upper, cost, q);
            at = next;
        }
        let (cost, upper) = style.arc(rng, q, false);
        builder.push(at as u32, (n - t + j) as u32, upper, cost, q);
    }
    let tails = 0..n - t;
    let heads = s..n;
    while builder.len() < p.arcs {
        let (tail, head) = random_pair(rng, &tails, &heads);
        let (cost, upper) = style.arc(rng, 0, false);
        builder.push(tail as u32, head as u32, upper, cost, 0);
    }
    builder.sort_by_tail(n);
    builder.finish(node_supplies(n, &supplies, &demands))
}

fn build_netgen(p: &NetgenParams, rng: &mut Xoshiro256StarStar) -> Result<(Network, Vec<i64>)> {
    let mut problems = Vec::new();
    check_endpoints("netgen", p.sources, p.sinks, Some(p.nodes), &mut problems);
    check_at_most("netgen.nodes", p.nodes, MAX_COUNT, &mut problems);
    check_at_most("netgen.arcs", p.arcs, MAX_COUNT, &mut problems);
    check_at_most(
        "netgen.transshipment_sources",
        p.transshipment_sources,
        p.sources,
        &mut problems,
    );
    check_at_most(
        "netgen.transshipment_sinks",
        p.transshipment_sinks,
        p.sinks,
        &mut problems,
    );
    check_at_most(
        "netgen.high_cost_percent",
        p.high_cost_percent as usize,
        100,
        &mut problems,
    );
    let style = ArcStyle::checked("netgen", &p.common, &mut problems);
    let (n, s, t) = (p.nodes, p.sources, p.sinks);
    let middle = n.saturating_sub(s + t);
    let skeleton = middle.saturating_add((s + t).saturating_sub(1));
    if p.arcs < skeleton {
        problems.push(InvalidValue::new(
            "netgen.arcs",
            format!(
                "expected at least (nodes - sources - sinks) + (sources + sinks - 1) = {skeleton} (the skeleton), found {}",
                p.arcs
            ),
        ));
    }
    if !problems.is_empty() {
        return Err(Error::Invalid(problems));
    }

    let supplies = split_total(rng, p.common.total_supply, s);
    let demands = split_total(rng, p.common.total_supply, t);
    let pairs = pair_up(rng, &supplies, &demands);

    // One chain of transshipment nodes per source.
    let mut order: Vec<u32> = (s..n - t).map(|v| v as u32).collect();
    rng.shuffle(&mut order);
    let lengths = split_nonnegative(rng, middle as i64, s);
    let mut chains = Vec::with_capacity(s);
    let mut start = 0;
    for (i, &len) in lengths.iter().enumerate() {
        let len = len as usize;
        let mut chain = Vec::with_capacity(len + 1);
        chain.push(i as u32);
        chain.extend_from_slice(&order[start..start + len]);
        chains.push(chain);
        start += len;
    }

    // Each pair leaves its source's chain at a random chain node; a chain arc carries
    // the flow of the pairs leaving after it.
    let mut builder = ArcBuilder::with_capacity(p.arcs)?;
    let mut exits = Vec::with_capacity(pairs.len());
    let mut leaving: Vec<Vec<i64>> = chains.iter().map(|c| vec![0; c.len()]).collect();
    for &(i, j, q) in &pairs {
        let at = rng.index(chains[i].len());
        leaving[i][at] += q;
        exits.push((chains[i][at], (n - t + j) as u32, q));
    }
    for (chain, leaving) in chains.iter().zip(&leaving) {
        let mut carried: i64 = leaving.iter().sum();
        for (r, pair) in chain.windows(2).enumerate() {
            carried -= leaving[r];
            let high = rng.percent(p.high_cost_percent);
            let (cost, upper) = style.arc(rng, carried, high);
            builder.push(pair[0], pair[1], upper, cost, carried);
        }
    }
    for (tail, head, q) in exits {
        let high = rng.percent(p.high_cost_percent);
        let (cost, upper) = style.arc(rng, q, high);
        builder.push(tail, head, upper, cost, q);
    }

    // Random arcs: pure sources receive nothing, pure sinks send nothing.
    let tails = 0..n - t + p.transshipment_sinks;
    let heads = s - p.transshipment_sources..n;
    while builder.len() < p.arcs {
        let (tail, head) = random_pair(rng, &tails, &heads);
        let (cost, upper) = style.arc(rng, 0, false);
        builder.push(tail as u32, head as u32, upper, cost, 0);
    }
    builder.sort_by_tail(n);
    builder.finish(node_supplies(n, &supplies, &demands))
}

// ---------------------------------------------------------------------------------
// Shared pieces

/// Costs and capacities of generated arcs.
struct ArcStyle {
    min_cost: i64,
    max_cost: i64,
    capacitated_percent: u32,
    min_capacity: i64,
    max_capacity: i64,
    /// The capacity of an uncapacitated arc: the total supply.
    uncapacitated: i64,
}

impl ArcStyle {
    /// Checks `common` (problems at `{family}.common.{field}`) and keeps what arcs need.
    fn checked(family: &str, common: &CommonParams, problems: &mut Vec<InvalidValue>) -> Self {
        let CommonParams {
            min_cost,
            max_cost,
            total_supply,
            capacitated_percent,
            min_capacity,
            max_capacity,
        } = *common;
        let mut problem = |field: &str, message: String| {
            problems.push(InvalidValue::new(format!("{family}.common.{field}"), message))
        };
        if min_cost == i64::MIN {
            problem("min_cost", format!("expected at least -{}, found {min_cost}", i64::MAX));
        }
        if min_cost > max_cost {
            problem(
                "max_cost",
                format!("expected at least min_cost = {min_cost}, found {max_cost}"),
            );
        }
        if total_supply < 0 {
            problem(
                "total_supply",
                format!("expected a non-negative total, found {total_supply}"),
            );
        }
        if capacitated_percent > 100 {
            problem(
                "capacitated_percent",
                format!("expected a percentage in 0..=100, found {capacitated_percent}"),
            );
        }
        if min_capacity < 0 {
            problem(
                "min_capacity",
                format!("expected a non-negative capacity, found {min_capacity}"),
            );
        }
        if min_capacity > max_capacity {
            problem(
                "max_capacity",
                format!("expected at least min_capacity = {min_capacity}, found {max_capacity}"),
            );
        }
        Self {
            min_cost,
            max_cost,
            capacitated_percent,
            min_capacity,
            max_capacity,
            uncapacitated: total_supply,
        }
    }

    /// Cost and capacity of an arc that must carry `flow`; `high` forces `max_cost`.
    fn arc(&self, rng: &mut Xoshiro256StarStar, flow: i64, high: bool) -> (i64, i64) {
        let cost = if high {
            self.max_cost
        } else {
            rng.range(self.min_cost, self.max_cost)
        };
        let upper = if rng.percent(self.capacitated_percent) {
            rng.range(self.min_capacity, self.max_capacity).max(flow)
        } else {
            self.uncapacitated
        };
        (cost, upper)
    }
}

/// Arcs under construction, with the feasible flow they carry.
struct ArcBuilder {
    tails: Vec<u32>,
    heads: Vec<u32>,
    upper: Vec<i64>,
    costs: Vec<i64>,
    flow: Vec<i64>,
}

impl ArcBuilder {
    fn with_capacity(arcs: usize) -> Result<Self> {
        let mut builder = Self {
            tails: Vec::new(),
            heads: Vec::new(),
            upper: Vec::new(),
            costs: Vec::new(),
            flow: Vec::new(),
        };
        let reserved = builder
            .tails
            .try_reserve_exact(arcs)
            .and_then(|()| builder.heads.try_reserve_exact(arcs))
            .and_then(|()| builder.upper.try_reserve_exact(arcs))
            .and_then(|()| builder.costs.try_reserve_exact(arcs))
            .and_then(|()| builder.flow.try_reserve_exact(arcs));
        match reserved {
            Ok(()) => Ok(builder),
            Err(_) => Err(Error::invalid("arcs", format!("not enough memory for {arcs} arcs"))),
        }
    }

    fn len(&self) -> usize {
        self.tails.len()
    }

    fn push(&mut self, tail: u32, head: u32, upper: i64, cost: i64, flow: i64) {
        self.tails.push(tail);
        self.heads.push(head);
        self.upper.push(upper);
        self.costs.push(cost);
        self.flow.push(flow);
    }

    /// Stable counting sort of the arcs by tail node.
    fn sort_by_tail(&mut self, nodes: usize) {
        let mut start = vec![0usize; nodes + 1];
        for &tail in &self.tails {
            start[tail as usize + 1] += 1;
        }
        for v in 0..nodes {
            start[v + 1] += start[v];
        }
        let mut position = vec![0usize; self.tails.len()];
        for (a, &tail) in self.tails.iter().enumerate() {
            position[a] = start[tail as usize];
            start[tail as usize] += 1;
        }
        fn permute<T: Copy + Default>(values: &mut Vec<T>, position: &[usize]) {
            let mut sorted = vec![T::default(); values.len()];
            for (a, &value) in values.iter().enumerate() {
                sorted[position[a]] = value;
            }
            *values = sorted;
        }
        permute(&mut self.tails, &position);
        permute(&mut self.heads, &position);
        permute(&mut self.upper, &position);
        permute(&mut self.costs, &position);
        permute(&mut self.flow, &position);
    }

    fn finish(self, supplies: Vec<i64>) -> Result<(Network, Vec<i64>)> {
        let network = Network::from_arrays(supplies, self.tails, self.heads, None, self.upper, self.costs)?;
        Ok((network, self.flow))
    }
}

/// Problems with the counts of sources and sinks (and nodes, when given).
fn check_endpoints(family: &str, sources: usize, sinks: usize, nodes: Option<usize>, problems: &mut Vec<InvalidValue>) {
    if sources == 0 {
        problems.push(InvalidValue::new(
            format!("{family}.sources"),
            "expected at least 1, found 0",
        ));
    }
    if sinks == 0 {
        problems.push(InvalidValue::new(
            format!("{family}.sinks"),
            "expected at least 1, found 0",
        ));
    }
    match nodes {
        Some(n) if n < sources.saturating_add(sinks) => problems.push(InvalidValue::new(
            format!("{family}.nodes"),
            format!(
                "expected at least sources + sinks = {}, found {n}",
                sources.saturating_add(sinks)
            ),
        )),
        None => check_at_most(
            &format!("{family}.sources + sinks"),
            sources.saturating_add(sinks),
            MAX_COUNT,
            problems,
        ),
        _ => {}
    }
}

fn check_at_most(path: &str, value: usize, max: usize, problems: &mut Vec<InvalidValue>) {
    if value > max {
        problems.push(InvalidValue::new(
            path,
            format!("expected at most {max}, found {value}"),
        ));
    }
}

/// Supplies of `nodes` nodes: the sources first, the sinks (negative) last.
fn node_supplies(nodes: usize, supplies: &[i64], demands: &[i64]) -> Vec<i64> {
    let mut all = vec![0; nodes];
    all[..supplies.len()].copy_from_slice(supplies);
    for (slot, &demand) in all[nodes - demands.len()..].iter_mut().zip(demands) {
        *slot = -demand;
    }
    all
}

/// Splits `total ≥ 0` into `parts ≥ 1` random non-negative parts; each part is at least
/// 1 when `total ≥ parts`.
fn split_total(rng: &mut Xoshiro256StarStar, total: i64, parts: usize) -> Vec<i64> {
    let base = i64::from(total >= parts as i64);
    let mut split = split_nonnegative(rng, total - base * parts as i64, parts);
    for part in &mut split {
        *part += base;
    }
    split
}

/// Splits `total ≥ 0` into `parts ≥ 1` random non-negative parts summing to `total`.
fn split_nonnegative(rng: &mut Xoshiro256StarStar, total: i64, parts: usize) -> Vec<i64> {
    let weights: Vec<u64> = (0..parts).map(|_| 1 + rng.below(1 << 20)).collect();
    let sum: u128 = weights.iter().map(|&w| u128::from(w)).sum();
    let mut split: Vec<i64> = weights
        .iter()
        .map(|&w| (total as u128 * u128::from(w) / sum) as i64)
        .collect();
    let mut left = total - split.iter().sum::<i64>(); // 0 ≤ left < parts
    let mut k = rng.index(parts);
    while left > 0 {
        split[k] += 1;
        left -= 1;
        k = (k + 1) % parts;
    }
    split
}

/// North-west-corner pairing of sources and sinks (each in a random order): triples
/// `(source, sink, amount > 0)` that ship every supply to the sinks and meet every
/// demand. At most `sources + sinks − 1` triples. Both totals must be equal.
fn pair_up(rng: &mut Xoshiro256StarStar, supplies: &[i64], demands: &[i64]) -> Vec<(usize, usize, i64)> {
    let mut sources: Vec<usize> = (0..supplies.len()).collect();
    let mut sinks: Vec<usize> = (0..demands.len()).collect();
    rng.shuffle(&mut sources);
    rng.shuffle(&mut sinks);
    let mut pairs = Vec::with_capacity(supplies.len() + demands.len());
    let (mut i, mut j) = (0, 0);
    let (mut left_supply, mut left_demand) = (0, 0);
    loop {
        while left_supply == 0 && i < sources.len() {
            left_supply = supplies[sources[i]];
            i += 1;
        }
        while left_demand == 0 && j < sinks.len() {
            left_demand = demands[sinks[j]];
            j += 1;
        }
        if left_supply == 0 || left_demand == 0 {
            return pairs;
        }
        let amount = left_supply.min(left_demand);
        pairs.push((sources[i - 1], sinks[j - 1], amount));
        left_supply -= amount;
        left_demand -= amount;
    }
}

/// A random arc `(tail, head)` with the tail in `tails` and the head in `heads`
/// (both non-empty), never a self-loop when another choice exists.
fn random_pair(
    rng: &mut Xoshiro256StarStar,
    tails: &std::ops::Range<usize>,
    heads: &std::ops::Range<usize>,
) -> (usize, usize) {
    let mut tail = tails.start + rng.index(tails.len());
    let mut head = heads.start + rng.index(heads.len());
    if tail == head {
        if heads.len() > 1 {
            head = heads.start + (head - heads.start + 1) % heads.len();
        } else if tails.len() > 1 {
            tail = tails.start + (tail - tails.start + 1) % tails.len();
        }
    }
    (tail, head)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The network's supplies are met and its bounds respected by `flow`.
    fn assert_feasible(net: &Network, flow: &[i64]) {
        assert_eq!(flow.len(), net.arc_count());
        let mut net_out = vec![0i128; net.node_count()];
        for a in 0..net.arc_count() {
            assert!(
                net.lower()[a] <= flow[a] && flow[a] <= net.upper()[a],
                "arc {a} flow {} out of bounds",
                flow[a]
            );
            net_out[net.tails()[a] as usize] += i128::from(flow[a]);
            net_out[net.heads()[a] as usize] -= i128::from(flow[a]);
        }
        for (v, (&out, &supply)) in net_out.iter().zip(net.supplies()).enumerate() {
            assert_eq!(out, i128::from(supply), "node {v} not conserved");
        }
        assert_eq!(net.supply_balance(), 0);
        assert!(
            net.tails().iter().zip(net.heads()).all(|(t, h)| t != h),
            "self-loop generated"
        );
        assert!(net.tails().windows(2).all(|w| w[0] <= w[1]), "arcs not sorted by tail");
        net.validate().unwrap();
    }

    fn families() -> Vec<Family> {
        vec![
            Family::Transportation(TransportationParams {
                sources: 7,
                sinks: 9,
                ..Default::default()
            }),
            Family::Transportation(TransportationParams {
                sources: 30,
                sinks: 20,
                arcs: Some(200),
                ..Default::default()
            }),
            Family::Transshipment(TransshipmentParams {
                nodes: 300,
                arcs: 2000,
                ..Default::default()
            }),
            Family::Netgen(NetgenParams {
                nodes: 300,
                arcs: 2000,
                ..Default::default()
            }),
            Family::Netgen(NetgenParams {
                nodes: 300,
                arcs: 2000,
                transshipment_sources: 5,
                transshipment_sinks: 7,
                high_cost_percent: 100,
                common: CommonParams {
                    capacitated_percent: 100,
                    ..CommonParams::default()
                },
                ..Default::default()
            }),
        ]
    }

    /// FNV-1a over every array of the network.
    fn checksum(net: &Network) -> u64 {
        let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
        let mut eat = |value: i64| {
            for byte in value.to_le_bytes() {
                hash = (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3);
            }
        };
        net.supplies().iter().for_each(|&v| eat(v));
        net.tails().iter().for_each(|&v| eat(i64::from(v)));
        net.heads().iter().for_each(|&v| eat(i64::from(v)));
        net.lower().iter().for_each(|&v| eat(v));
        net.upper().iter().for_each(|&v| eat(v));
        net.costs().iter().for_each(|&v| eat(v));
        hash
    }

    #[test]
    fn instances_never_change_across_versions() {
        // Pinned checksums: a change here changes every benchmark instance; do it only
        // on purpose (and say so in the changelog).
        let checksums: Vec<u64> = families().iter().map(|f| checksum(&generate(f, 1).unwrap())).collect();
        assert_eq!(checksums, PINNED);
    }

    const PINNED: [u64; 5] = [
        7121801528678307382,
        824639947243130601,
        13472648235689186800,
        14077086410498675972,
        1026886394302894837,
    ];

    #[test]
    fn below_and_range_stay_in_bounds() {
        let mut rng = Xoshiro256StarStar::new(1);
        for n in [1u64, 2, 3, 7, 100, u64::MAX] {
            for _ in 0..1000 {
                assert!(rng.below(n) < n);
            }
        }
        for _ in 0..1000 {
            let v = rng.range(-5, 5);
            assert!((-5..=5).contains(&v));
        }
        assert_eq!(rng.range(4, 4), 4);
        let _ = rng.range(i64::MIN + 1, i64::MAX); // the full span must not overflow
    }

    #[test]
    fn split_total_sums_and_respects_minimum() {
        let mut rng = Xoshiro256StarStar::new(3);
        for (total, parts) in [(100, 7), (5, 7), (0, 3), (7, 7), (i64::MAX, 5)] {
            let split = split_total(&mut rng, total, parts);
            assert_eq!(split.len(), parts);
            assert_eq!(split.iter().map(|&x| i128::from(x)).sum::<i128>(), i128::from(total));
            assert!(split.iter().all(|&x| x >= i64::from(total >= parts as i64)));
        }
    }

    #[test]
    fn instances_are_feasible_balanced_and_sized_as_asked() {
        for family in families() {
            for seed in 0..5 {
                let (net, flow) = generate_with_feasible_flow(&family, seed).unwrap();
                assert_feasible(&net, &flow);
                let (nodes, arcs) = match &family {
                    Family::Transportation(p) => (p.sources + p.sinks, p.arcs.unwrap_or(p.sources * p.sinks)),
                    Family::Transshipment(p) => (p.nodes, p.arcs),
                    Family::Netgen(p) => (p.nodes, p.arcs),
                };
                assert_eq!((net.node_count(), net.arc_count()), (nodes, arcs), "{family:?}");
            }
        }
    }

    #[test]
    fn same_seed_same_instance_other_seed_other_instance() {
        for family in families() {
            let a = generate(&family, 11).unwrap();
            assert_eq!(a, generate(&family, 11).unwrap());
            assert_ne!(a, generate(&family, 12).unwrap());
        }
    }

    #[test]
    fn sources_supply_and_sinks_demand() {
        let p = NetgenParams {
            nodes: 100,
            sources: 10,
            sinks: 15,
            arcs: 500,
            common: CommonParams {
                total_supply: 1000,
                ..CommonParams::default()
            },
            ..Default::default()
        };
        let net = netgen(&p, 5).unwrap();
        let supplies = net.supplies();
        assert!(supplies[..10].iter().all(|&s| s > 0));
        assert!(supplies[10..85].iter().all(|&s| s == 0));
        assert!(supplies[85..].iter().all(|&s| s < 0));
        assert_eq!(supplies[..10].iter().sum::<i64>(), 1000);
    }

    #[test]
    fn netgen_pure_sources_receive_and_pure_sinks_send_nothing() {
        let p = NetgenParams {
            nodes: 200,
            sources: 10,
            sinks: 10,
            arcs: 3000,
            transshipment_sources: 3,
            transshipment_sinks: 4,
            ..Default::default()
        };
        let net = netgen(&p, 9).unwrap();
        assert!(net.heads().iter().all(|&h| h >= 7), "an arc enters a pure source");
        assert!(net.tails().iter().all(|&t| t < 194), "an arc leaves a pure sink");
        assert!(
            net.heads().iter().any(|&h| (7..10).contains(&h)),
            "no arc enters a transshipment source"
        );
        assert!(
            net.tails().iter().any(|&t| (190..194).contains(&t)),
            "no arc leaves a transshipment sink"
        );
    }

    #[test]
    fn netgen_high_cost_skeleton_uses_max_cost() {
        let p = NetgenParams {
            nodes: 50,
            sources: 5,
            sinks: 5,
            arcs: 49,
            high_cost_percent: 100,
            ..Default::default()
        };
        let net = netgen(&p, 1).unwrap();
        // arcs = skeleton size: with fewer than sources + sinks - 1 pairs the rest is random.
        let at_max = net.costs().iter().filter(|&&c| c == p.common.max_cost).count();
        assert!(at_max >= 40, "only {at_max} of 49 arcs at max cost");
    }

    #[test]
    fn uncapacitated_arcs_get_the_total_supply() {
        let p = TransshipmentParams {
            common: CommonParams {
                capacitated_percent: 0,
                ..CommonParams::default()
            },
            ..Default::default()
        };
        let net = transshipment(&p, 2).unwrap();
        assert!(net.upper().iter().all(|&u| u == p.common.total_supply));
        let p = TransshipmentParams {
            common: CommonParams {
                capacitated_percent: 100,
                max_capacity: 10,
                ..CommonParams::default()
            },
            ..Default::default()
        };
        let (net, flow) = generate_with_feasible_flow(&Family::Transshipment(p), 2).unwrap();
        assert!(net.upper().iter().zip(&flow).all(|(&u, &f)| u <= 10 || u == f));
    }

    #[test]
    fn invalid_parameters_are_all_reported() {
        let p = NetgenParams {
            nodes: 10,
            sources: 0,
            sinks: 20,
            arcs: 3,
            transshipment_sinks: 30,
            high_cost_percent: 101,
            common: CommonParams {
                min_cost: 5,
                max_cost: 1,
                total_supply: -1,
                capacitated_percent: 200,
                min_capacity: 7,
                max_capacity: 3,
            },
            ..Default::default()
        };
        let Err(Error::Invalid(problems)) = netgen(&p, 0) else {
            panic!("expected Error::Invalid")
        };
        let paths: Vec<&str> = problems.iter().map(|p| p.path.as_str()).collect();
        for path in [
            "netgen.sources",
            "netgen.nodes",
            "netgen.transshipment_sinks",
            "netgen.high_cost_percent",
            "netgen.common.max_cost",
            "netgen.common.total_supply",
            "netgen.common.capacitated_percent",
            "netgen.common.max_capacity",
        ] {
            assert!(paths.contains(&path), "{path} not reported in {paths:?}");
        }
        let p = TransportationParams {
            sources: 5,
            sinks: 5,
            arcs: Some(8),
            ..Default::default()
        };
        let Err(Error::Invalid(problems)) = transportation(&p, 0) else {
            panic!("expected Error::Invalid")
        };
        assert_eq!(problems[0].path, "transportation.arcs");
        assert!(
            problems[0].message.contains("at least sources + sinks - 1 = 9"),
            "{}",
            problems[0].message
        );
    }

    #[test]
    fn tiny_edge_cases_are_valid() {
        let cases = [
            Family::Transportation(TransportationParams {
                sources: 1,
                sinks: 1,
                common: CommonParams {
                    total_supply: 0,
                    ..CommonParams::default()
                },
                ..Default::default()
            }),
            Family::Transshipment(TransshipmentParams {
                nodes: 2,
                sources: 1,
                sinks: 1,
                arcs: 1,
                ..Default::default()
            }),
            Family::Transshipment(TransshipmentParams {
                nodes: 3,
                sources: 1,
                sinks: 1,
                arcs: 5,
                ..Default::default()
            }),
            Family::Netgen(NetgenParams {
                nodes: 2,
                sources: 1,
                sinks: 1,
                arcs: 1,
                ..Default::default()
            }),
            Family::Netgen(NetgenParams {
                nodes: 2,
                sources: 1,
                sinks: 1,
                arcs: 4,
                transshipment_sinks: 1,
                ..Default::default()
            }),
        ];
        for family in cases {
            let (net, flow) = generate_with_feasible_flow(&family, 4).unwrap();
            assert_feasible(&net, &flow);
        }
    }
}
