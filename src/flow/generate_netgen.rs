//! NETGEN (Klingman, Napier & Stutz 1974), ported from its published description and
//! the reference C version by N. Schlenker (1989, with the Cheriyan patches of the
//! DIMACS distribution) so that a seed and the 13 classic parameters give exactly
//! the network the published generator prints: same random stream (the
//! congruential `x ← 16807·x mod (2³¹ − 1)`), same skeleton chains and Shell sort,
//! same rubbish-arc rule and its `pseudo_size` quirk, same arc order.
//!
//! Checked by compiling the published C generator and comparing its DIMACS output
//! with [`netgen_classic`]'s, arc for arc, on the parameter sets of the DIMACS
//! challenge families (`tests/flow_generate_netgen.rs` pins checksums of those
//! outputs).

use crate::error::{Error, InvalidValue, Result};
use crate::flow::Network;
use crate::limits::check_memory;

/// The 13 parameters of NETGEN, in its order (node numbers are 1-based there:
/// sources `1..=sources`, sinks the last `sinks` nodes).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ClassicNetgenParams {
    /// Number of nodes.
    pub nodes: i64,
    /// Number of sources (transshipment sources included).
    pub sources: i64,
    /// Number of sinks (transshipment sinks included).
    pub sinks: i64,
    /// Number of arcs requested ("density").
    pub arcs: i64,
    /// Smallest arc cost.
    pub min_cost: i64,
    /// Largest arc cost.
    pub max_cost: i64,
    /// Total supply.
    pub supply: i64,
    /// Sources that are also transshipment nodes.
    pub transshipment_sources: i64,
    /// Sinks that are also transshipment nodes.
    pub transshipment_sinks: i64,
    /// Percentage of skeleton arcs given the maximum cost.
    pub high_cost_percent: i64,
    /// Percentage of arcs that are capacitated.
    pub capacitated_percent: i64,
    /// Smallest capacity of a capacitated arc.
    pub min_capacity: i64,
    /// Largest capacity of a capacitated arc.
    pub max_capacity: i64,
}

impl ClassicNetgenParams {
    /// The DIMACS-challenge style sparse family used in `BENCHMARKS.md`: `nodes`
    /// nodes, `8 · nodes` arcs, √nodes sources and sinks, costs 1–10 000,
    /// supply 1000 · √nodes, 30 % high-cost skeleton arcs, every arc capacitated
    /// 1–1000.
    ///
    /// ```
    /// use allocnet::flow::generate::{netgen_classic, ClassicNetgenParams};
    /// let net = netgen_classic(&ClassicNetgenParams::sparse(1024), 13502460).unwrap();
    /// assert_eq!(net.node_count(), 1024);
    /// assert_eq!(net.supply_balance(), 0);
    /// ```
    pub fn sparse(nodes: i64) -> Self {
        let side = (nodes as f64).sqrt() as i64;
        Self {
            nodes,
            sources: side.max(1),
            sinks: side.max(1),
            arcs: 8 * nodes,
            min_cost: 1,
            max_cost: 10_000,
            supply: 1000 * side.max(1),
            transshipment_sources: 0,
            transshipment_sinks: 0,
            high_cost_percent: 30,
            capacitated_percent: 100,
            min_capacity: 1,
            max_capacity: 1000,
        }
    }

    fn problems(&self, seed: i64) -> Vec<InvalidValue> {
        let p = self;
        let mut out = Vec::new();
        let mut check = |ok: bool, path: &str, what: String| {
            if !ok {
                out.push(InvalidValue::new(format!("netgen.{path}"), what));
            }
        };
        check(
            seed > 0 && seed < 2_147_483_647,
            "seed",
            format!("must be in 1..2147483647, got {seed}"),
        );
        check(
            p.nodes > 0 && p.nodes <= p.arcs,
            "nodes",
            format!("must be in 1..=arcs ({}), got {}", p.arcs, p.nodes),
        );
        check(
            p.arcs < i64::from(u32::MAX),
            "arcs",
            format!("at most {}, got {}", u32::MAX - 1, p.arcs),
        );
        check(p.sources > 0, "sources", format!("must be >= 1, got {}", p.sources));
        check(p.sinks > 0, "sinks", format!("must be >= 1, got {}", p.sinks));
        check(
            p.sources.saturating_add(p.sinks) <= p.nodes,
            "sinks",
            format!(
                "sources + sinks must be <= nodes ({}), got {} + {}",
                p.nodes, p.sources, p.sinks
            ),
        );
        check(
            p.min_cost <= p.max_cost,
            "max_cost",
            format!("must be >= min_cost ({}), got {}", p.min_cost, p.max_cost),
        );
        check(
            p.min_cost > -2_147_483_647 && p.max_cost < 2_147_483_647,
            "min_cost",
            format!("costs must be within ±2147483646, got {}..{}", p.min_cost, p.max_cost),
        );
        check(
            p.supply >= p.sources && p.supply < 2_147_483_647,
            "supply",
            format!("must be in sources ({})..2147483647, got {}", p.sources, p.supply),
        );
        check(
            (0..=p.sources).contains(&p.transshipment_sources),
            "transshipment_sources",
            format!("must be in 0..=sources, got {}", p.transshipment_sources),
        );
        check(
            (0..=p.sinks).contains(&p.transshipment_sinks),
            "transshipment_sinks",
            format!("must be in 0..=sinks, got {}", p.transshipment_sinks),
        );
        check(
            (0..=100).contains(&p.high_cost_percent),
            "high_cost_percent",
            format!("must be in 0..=100, got {}", p.high_cost_percent),
        );
        check(
            (0..=100).contains(&p.capacitated_percent),
            "capacitated_percent",
            format!("must be in 0..=100, got {}", p.capacitated_percent),
        );
        check(
            p.min_capacity >= 0 && p.min_capacity <= p.max_capacity && p.max_capacity < 2_147_483_647,
            "max_capacity",
            format!(
                "capacities must satisfy 0 <= min_capacity <= max_capacity < 2147483647, got {}..{}",
                p.min_capacity, p.max_capacity
            ),
        );
        out
    }
}

/// NETGEN's random stream: `x ← 16807·x mod (2³¹ − 1)`, computed as the C code does.
struct NgRandom(i64);

impl NgRandom {
    /// A number in `a..=b` (`b` itself when `b <= a`); the stream advances either way.
    fn next(&mut self, a: i64, b: i64) -> i64 {
        const MULTIPLIER: i64 = 16807;
        const MODULUS: i64 = 2_147_483_647;
        let mut hi = MULTIPLIER * (self.0 >> 16);
        let mut lo = MULTIPLIER * (self.0 & 0xffff);
        hi += lo >> 16;
        lo &= 0xffff;
        lo += hi >> 15;
        hi &= 0x7fff;
        lo -= MODULUS;
        self.0 = (hi << 16) + lo;
        if self.0 < 0 {
            self.0 += MODULUS;
        }
        if b <= a {
            b
        } else {
            a + self.0 % (b - a + 1)
        }
    }
}

/// NETGEN's "index list": the integers `from..=to` minus those removed, with the
/// k-th smallest chosen (and removed), and a `pseudo_size` that also counts failed
/// removals (a quirk of the original kept for identical output).
struct IndexList {
    from: i64,
    to: i64,
    /// Removed integers, ascending.
    removed: Vec<i64>,
    pseudo: i64,
}

impl IndexList {
    fn new(from: i64, to: i64) -> Self {
        Self {
            from,
            to,
            removed: Vec::new(),
            pseudo: to - from + 1,
        }
    }

    fn size(&self) -> i64 {
        self.to - self.from + 1 - self.removed.len() as i64
    }

    /// Removes and returns the `k`-th smallest (1-based), or 0 if there is none.
    fn choose(&mut self, k: i64) -> i64 {
        if k < 1 || k > self.size() {
            return 0;
        }
        // The first removed value with at least k kept values below it: removed[i]
        // has removed[i] − from − i kept values below it, non-decreasing in i.
        let (mut lo, mut hi) = (0usize, self.removed.len());
        while lo < hi {
            let mid = (lo + hi) / 2;
            if self.removed[mid] - self.from - (mid as i64) < k {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        let value = self.from + k - 1 + lo as i64;
        self.removed.insert(lo, value);
        self.pseudo -= 1;
        value
    }

    fn remove(&mut self, value: i64) {
        self.pseudo -= 1;
        if value < self.from || value > self.to {
            return;
        }
        if let Err(i) = self.removed.binary_search(&value) {
            self.removed.insert(i, value);
        }
    }

    /// Removes and returns every remaining integer, ascending (as repeated `choose(1)`).
    fn drain(&mut self) -> Vec<i64> {
        let mut out = Vec::with_capacity(self.size().max(0) as usize);
        let mut r = self.removed.iter().peekable();
        for v in self.from..=self.to {
            if r.peek() == Some(&&v) {
                r.next();
            } else {
                out.push(v);
            }
        }
        self.pseudo -= out.len() as i64;
        self.removed.clear();
        self.from = 1;
        self.to = 0;
        out
    }
}

/// The generator's state (the C version's globals).
struct Netgen<'p> {
    p: &'p ClassicNetgenParams,
    rng: NgRandom,
    nodes_left: i64,
    /// Supply per node, 0-based (`B` in the C code).
    b: Vec<i64>,
    from: Vec<u32>,
    to: Vec<u32>,
    cost: Vec<i64>,
    cap: Vec<i64>,
}

/// Generates the network NETGEN generates for `params` and `seed` (1-based node
/// numbers there become 0-based here; arcs in NETGEN's order, lower bounds 0).
/// Assignment problems (`sources + sinks = nodes`, `sources = sinks = supply`) come
/// out as min-cost flow problems with supplies ±1 and capacities 1.
pub fn netgen_classic(params: &ClassicNetgenParams, seed: i64) -> Result<Network> {
    let problems = params.problems(seed);
    if !problems.is_empty() {
        return Err(Error::Invalid(problems));
    }
    check_memory(
        "netgen.arcs",
        "the NETGEN instance",
        params.arcs as u128 * 48 + params.nodes as u128 * 16,
    )?;
    let mut g = Netgen {
        p: params,
        rng: NgRandom(seed),
        nodes_left: params.nodes - params.sinks + params.transshipment_sinks,
        b: vec![0; params.nodes as usize],
        from: Vec::with_capacity(params.arcs as usize),
        to: Vec::with_capacity(params.arcs as usize),
        cost: Vec::with_capacity(params.arcs as usize),
        cap: Vec::with_capacity(params.arcs as usize),
    };
    let p = params;
    if (p.sources - p.transshipment_sources) + (p.sinks - p.transshipment_sinks) == p.nodes
        && p.sources - p.transshipment_sources == p.sinks - p.transshipment_sinks
        && p.sources == p.supply
    {
        g.assignment();
        // The DIMACS assignment file NETGEN prints has no capacities: every arc is 1.
        g.cap.fill(1);
    } else {
        g.create_supply();
        let pred = g.chains();
        for source in 1..=p.sources {
            g.source_skeleton(source, &pred);
        }
        for i in p.nodes - p.sinks + 1..=p.nodes - p.sinks + p.transshipment_sinks {
            let mut handle = IndexList::new(p.sources - p.transshipment_sources + 1, p.nodes);
            handle.remove(i);
            g.pick_head(&mut handle, i);
        }
    }
    let upper = g.cap;
    Network::from_arrays(g.b, g.from, g.to, None, upper, g.cost)
}

impl Netgen<'_> {
    fn save_arc(&mut self, tail: i64, head: i64, cost: i64, cap: i64) {
        self.from.push((tail - 1) as u32);
        self.to.push((head - 1) as u32);
        self.cost.push(cost);
        self.cap.push(cap);
    }

    fn create_supply(&mut self) {
        let (sources, supply) = (self.p.sources, self.p.supply);
        let per_source = supply / sources;
        for i in 0..sources {
            let partial = self.rng.next(1, per_source);
            self.b[i as usize] += partial;
            let j = self.rng.next(0, sources - 1);
            self.b[j as usize] += per_source - partial;
        }
        let j = self.rng.next(0, sources - 1);
        self.b[j as usize] += supply % sources;
    }

    /// Divides the transshipment nodes among the sources' chains (`pred`, 1-based).
    fn chains(&mut self) -> Vec<i64> {
        let p = self.p;
        let mut pred: Vec<i64> = (0..=p.nodes).collect();
        let mut handle = IndexList::new(p.sources + 1, p.nodes - p.sinks);
        let mut source = 1;
        let trans = p.nodes - p.sources - p.sinks;
        let mut i = trans;
        while i > (4 * trans + 9) / 10 {
            let node = handle.choose(self.rng.next(1, handle.size()));
            pred[node as usize] = pred[source as usize];
            pred[source as usize] = node;
            source += 1;
            if source > p.sources {
                source = 1;
            }
            i -= 1;
        }
        while i > 0 {
            let node = handle.choose(self.rng.next(1, handle.size()));
            let source = self.rng.next(1, p.sources);
            pred[node as usize] = pred[source as usize];
            pred[source as usize] = node;
            i -= 1;
        }
        pred
    }

    /// The skeleton of one source: its chain, its arcs to sinks, then rubbish arcs
    /// out of every chain node.
    fn source_skeleton(&mut self, source: i64, pred: &[i64]) {
        let p = self.p;
        // 1-based arrays as in the C code (index 0 unused).
        let mut tail: Vec<i64> = vec![0];
        let mut head: Vec<i64> = vec![0];
        let mut node = pred[source as usize];
        while node != source {
            head.push(node);
            node = pred[node as usize];
            tail.push(node);
        }
        let chain_length = (tail.len() - 1) as i64;
        let sinks = self.pick_sinks(source, chain_length);
        let sinks_per_source = sinks.len() as i64;
        let supply_per_sink = self.b[(source - 1) as usize] / sinks_per_source;
        let mut k = pred[source as usize];
        for i in 0..sinks_per_source {
            let partial = self.rng.next(1, supply_per_sink);
            let j = self.rng.next(0, sinks_per_source - 1);
            tail.push(k);
            head.push(sinks[i as usize] + 1);
            self.b[sinks[i as usize] as usize] -= partial;
            self.b[sinks[j as usize] as usize] -= supply_per_sink - partial;
            k = source;
            for _ in 0..self.rng.next(1, chain_length) {
                k = pred[k as usize];
            }
        }
        self.b[sinks[0] as usize] -= self.b[(source - 1) as usize] % sinks_per_source;
        shell_sort(&mut tail, &mut head);
        tail.push(0);
        let count = tail.len() - 2;
        let mut i = 1;
        while i <= count {
            let mut handle = IndexList::new(p.sources - p.transshipment_sources + 1, p.nodes);
            handle.remove(tail[i]);
            let it = tail[i];
            while tail[i] == it {
                handle.remove(head[i]);
                let mut cap = p.supply;
                if self.rng.next(1, 100) <= p.capacitated_percent {
                    cap = self.b[(source - 1) as usize].max(p.min_capacity);
                }
                let mut cost = p.max_cost;
                if self.rng.next(1, 100) > p.high_cost_percent {
                    cost = self.rng.next(p.min_cost, p.max_cost);
                }
                self.save_arc(it, head[i], cost, cap);
                i += 1;
            }
            self.pick_head(&mut handle, it);
        }
    }

    /// The sinks (0-based) a source's chain feeds; the last source also takes every
    /// sink no source has fed yet.
    fn pick_sinks(&mut self, source: i64, chain_length: i64) -> Vec<i64> {
        let p = self.p;
        let trans = p.nodes - p.sources - p.sinks;
        let per_source = if trans == 0 {
            p.sinks / p.sources + 1
        } else {
            ((2 * chain_length) as f64 * p.sinks as f64 / (p.nodes as f64 - p.sources as f64 - p.sinks as f64)) as i64
        };
        let per_source = per_source.min(p.sinks).max(2);
        let mut handle = IndexList::new(p.nodes - p.sinks, p.nodes - 1);
        let mut sinks = Vec::with_capacity(per_source as usize);
        for _ in 0..per_source {
            let k = self.rng.next(1, handle.size());
            sinks.push(handle.choose(k));
        }
        if source == p.sources && handle.size() > 0 {
            for j in handle.drain() {
                if self.b[j as usize] == 0 {
                    sinks.push(j);
                }
            }
        }
        sinks
    }

    /// Adds rubbish arcs out of `desired_tail` to random heads from `handle`.
    fn pick_head(&mut self, handle: &mut IndexList, desired_tail: i64) {
        let p = self.p;
        let non_sources = p.nodes - p.sources + p.transshipment_sources;
        let remaining = p.arcs - self.from.len() as i64;
        self.nodes_left -= 1;
        if 2 * self.nodes_left >= remaining {
            return;
        }
        let mut limit;
        if (remaining + non_sources - handle.pseudo - 1) / (self.nodes_left + 1) >= non_sources - 1 {
            limit = non_sources;
        } else {
            let upper_bound = 2 * (remaining / (self.nodes_left + 1) - 1);
            loop {
                limit = self.rng.next(1, upper_bound);
                if self.nodes_left == 0 {
                    limit = remaining;
                }
                if (self.nodes_left as f64) * ((non_sources - 1) as f64) >= (remaining - limit) as f64 {
                    break;
                }
            }
        }
        while limit > 0 {
            let index = handle.choose(self.rng.next(1, handle.pseudo));
            let mut cap = p.supply;
            if self.rng.next(1, 100) <= p.capacitated_percent {
                cap = self.rng.next(p.min_capacity, p.max_capacity);
            }
            let cost = self.rng.next(p.min_cost, p.max_cost);
            if (1..=p.nodes).contains(&index) {
                self.save_arc(desired_tail, index, cost, cap);
            }
            limit -= 1;
        }
    }

    fn assignment(&mut self) {
        let p = self.p;
        let half = p.nodes / 2;
        for v in 0..p.nodes {
            self.b[v as usize] = if v < half { 1 } else { -1 };
        }
        let mut skeleton = IndexList::new(p.sources + 1, p.nodes);
        for source in 1..=half {
            let index = skeleton.choose(self.rng.next(1, skeleton.size()));
            let cost = self.rng.next(p.min_cost, p.max_cost);
            self.save_arc(source, index, cost, 1);
            let mut handle = IndexList::new(p.sources + 1, p.nodes);
            handle.remove(index);
            self.pick_head(&mut handle, source);
        }
    }
}

/// NETGEN's Shell sort of the skeleton arcs by tail (1-based, not stable; kept for
/// the identical arc order).
fn shell_sort(tail: &mut [i64], head: &mut [i64]) {
    let count = tail.len() as i64 - 1;
    let mut m = count;
    loop {
        m /= 2;
        if m == 0 {
            break;
        }
        for j in 1..=count - m {
            let mut i = j;
            while i >= 1 && tail[i as usize] > tail[(i + m) as usize] {
                tail.swap(i as usize, (i + m) as usize);
                head.swap(i as usize, (i + m) as usize);
                i -= m;
            }
        }
    }
}
