//! The residual graph of the cost-scaling engine: every arc twice (forward with its
//! capacity, backward with capacity 0), grouped by the node they leave in CSR order.
//!
//! Within a node the residual arcs keep the input order of their arcs (a forward copy
//! at its tail, a backward copy at its head), so the scan order, and with it the
//! optimum found, depends only on the input.
//!
//! Each residual arc is one record (head, reverse arc, residual capacity, scaled
//! cost), so the scans of the engine read one stream. Capacities and costs are of a
//! [`Word`] type: `i32` when every capacity and scaled cost of the solve fits it
//! (checked in advance; 16-byte records), `i64` otherwise (24 bytes). Every sum of
//! them (reduced costs, excesses) is formed in `i64`.

use crate::error::{Error, Result};
use crate::limits::{check_memory, try_vec};

/// The integer type of residual capacities and scaled costs.
pub(super) trait Word: Copy + Default + std::fmt::Debug + Send + Sync + 'static {
    /// The largest value the type holds, as `i64`.
    const MAX: i64;
    /// The smallest value (marks the empty copy of a fixed arc).
    const MIN: Self;
    /// The value as `i64` (exact).
    fn get(self) -> i64;
    /// `v` as this type; `v` must fit (every caller bounds it in advance).
    fn of(v: i64) -> Self;
}

impl Word for i32 {
    const MAX: i64 = i32::MAX as i64;
    const MIN: Self = i32::MIN;
    #[inline(always)]
    fn get(self) -> i64 {
        i64::from(self)
    }
    #[inline(always)]
    fn of(v: i64) -> Self {
        debug_assert!(i32::try_from(v).is_ok(), "{v} does not fit i32");
        v as i32
    }
}

impl Word for i64 {
    const MAX: i64 = i64::MAX;
    const MIN: Self = i64::MIN;
    #[inline(always)]
    fn get(self) -> i64 {
        self
    }
    #[inline(always)]
    fn of(v: i64) -> Self {
        v
    }
}

/// One residual arc.
#[derive(Clone, Copy, Debug, Default)]
#[repr(C)]
pub(super) struct ResArc<W> {
    /// Its head.
    pub(super) target: u32,
    /// The other copy of the same arc.
    pub(super) reverse: u32,
    /// Residual capacity.
    pub(super) cap: W,
    /// Scaled cost (the backward copy has the negated cost).
    pub(super) cost: W,
}

impl<W: Word> ResArc<W> {
    /// Residual capacity as `i64`.
    #[inline(always)]
    pub(super) fn cap(&self) -> i64 {
        self.cap.get()
    }

    /// Reduced cost for the prices of its tail (`pi_tail`) and head (`pi_head`).
    #[inline(always)]
    pub(super) fn reduced(&self, pi_tail: i64, pi_head: i64) -> i64 {
        self.cost.get() + pi_tail - pi_head
    }
}

/// Bytes the residual graph takes per arc with words of `W` (two residual arcs, the
/// position of the forward copy, and while arcs are fixed the arc of each position).
pub(super) const fn bytes_per_arc<W>() -> u128 {
    2 * std::mem::size_of::<ResArc<W>>() as u128 + 4 + 8
}

/// Bytes the engine takes per node (CSR offset, end of the active arcs, price,
/// excess, current arc, the global update's buckets and ranks, the potentials' work
/// arrays, price refinement's marks, predecessors and order).
pub(super) const BYTES_PER_NODE: u128 = 4 + 4 + 8 + 8 + 4 + 16 + 16 + 9;

/// The residual graph in CSR form. Capacities and costs are filled per solve.
#[derive(Clone, Debug, Default)]
pub(super) struct Residual<W> {
    /// Residual arcs leaving node `v`: `first_out[v]..first_out[v + 1]`.
    pub(super) first_out: Vec<u32>,
    /// The residual arcs.
    pub(super) arcs: Vec<ResArc<W>>,
    /// Where arc `a`'s forward copy sits.
    pub(super) forward: Vec<u32>,
    /// End of the active residual arcs leaving `v`: `first_out[v]..last_out[v]`
    /// are scanned, `last_out[v]..first_out[v + 1]` are fixed (`cost_scaling_fix`).
    pub(super) last_out: Vec<u32>,
    /// While arcs are moved: the arc of each position, `2a` for arc `a`'s forward
    /// copy and `2a + 1` for its backward copy (empty otherwise).
    pub(super) slot_arc: Vec<u32>,
    /// True if copies may have left their input order within a node's range.
    moved: bool,
}

impl<W: Word> Residual<W> {
    /// Builds the structure for arcs `tails[a] → heads[a]` on `node_count` nodes
    /// (indices already validated).
    pub(super) fn new(node_count: usize, tails: &[u32], heads: &[u32]) -> Result<Self> {
        let m = tails.len();
        let slots = 2 * m;
        if slots >= u32::MAX as usize {
            return Err(Error::invalid(
                "network",
                format!(
                    "the cost-scaling engine supports fewer than {} arcs, got {m}",
                    u32::MAX / 2
                ),
            ));
        }
        let bytes = bytes_per_arc::<W>() * m as u128 + BYTES_PER_NODE * (node_count as u128 + 1);
        check_memory("network", "the cost-scaling engine", bytes)?;
        let mut first_out: Vec<u32> = try_vec(node_count + 1, 0, "network (nodes)")?;
        for (&t, &h) in tails.iter().zip(heads) {
            first_out[t as usize + 1] += 1;
            first_out[h as usize + 1] += 1;
        }
        for v in 0..node_count {
            first_out[v + 1] += first_out[v];
        }
        let mut next = first_out.clone();
        let mut arcs: Vec<ResArc<W>> = try_vec(slots, ResArc::default(), "network (arcs)")?;
        let mut forward: Vec<u32> = try_vec(m, 0, "network (arcs)")?;
        for (a, (&t, &h)) in tails.iter().zip(heads).enumerate() {
            let f = next[t as usize];
            next[t as usize] += 1;
            let b = next[h as usize];
            next[h as usize] += 1;
            arcs[f as usize].target = h;
            arcs[b as usize].target = t;
            arcs[f as usize].reverse = b;
            arcs[b as usize].reverse = f;
            forward[a] = f;
        }
        let last_out = first_out[1..].to_vec();
        Ok(Self {
            first_out,
            arcs,
            forward,
            last_out,
            slot_arc: Vec::new(),
            moved: false,
        })
    }

    /// The same structure with words of `V` (capacities and costs 0: they are set
    /// per solve), taking this one's arrays. On `Err` (memory) `self` is unchanged.
    pub(super) fn retype<V: Word>(&mut self) -> Result<Residual<V>> {
        let m = self.forward.len() as u128;
        let bytes = (bytes_per_arc::<W>() + bytes_per_arc::<V>()) * m;
        check_memory("network", "the cost-scaling engine", bytes)?;
        let mut arcs: Vec<ResArc<V>> = try_vec(self.arcs.len(), ResArc::default(), "network (arcs)")?;
        for (new, old) in arcs.iter_mut().zip(&self.arcs) {
            new.target = old.target;
            new.reverse = old.reverse;
        }
        self.arcs = Vec::new();
        Ok(Residual {
            first_out: std::mem::take(&mut self.first_out),
            arcs,
            forward: std::mem::take(&mut self.forward),
            last_out: std::mem::take(&mut self.last_out),
            slot_arc: std::mem::take(&mut self.slot_arc),
            moved: self.moved,
        })
    }

    /// Number of nodes.
    pub(super) fn node_count(&self) -> usize {
        self.first_out.len() - 1
    }

    /// The residual arcs leaving `u`, as positions.
    #[inline(always)]
    pub(super) fn out(&self, u: usize) -> std::ops::Range<usize> {
        self.first_out[u] as usize..self.first_out[u + 1] as usize
    }

    /// The active (unfixed) residual arcs leaving `u`, as positions.
    #[inline(always)]
    pub(super) fn active(&self, u: usize) -> std::ops::Range<usize> {
        self.first_out[u] as usize..self.last_out[u] as usize
    }

    /// Fills [`slot_arc`](Self::slot_arc) from the positions of the copies, so that
    /// copies can be moved within their node's range ([`swap_slots`](Self::swap_slots)).
    pub(super) fn track_slots(&mut self) -> Result<()> {
        if !self.slot_arc.is_empty() {
            return Ok(());
        }
        let mut slot_arc: Vec<u32> = try_vec(self.arcs.len(), 0, "network (arcs)")?;
        for (a, &f) in self.forward.iter().enumerate() {
            slot_arc[f as usize] = 2 * a as u32;
            slot_arc[self.arcs[f as usize].reverse as usize] = 2 * a as u32 + 1;
        }
        self.slot_arc = slot_arc;
        self.moved = true;
        Ok(())
    }

    /// Exchanges the residual arcs at positions `s` and `t` (of one node's range),
    /// keeping every reverse link and [`slot_arc`](Self::slot_arc) (which must be
    /// filled) right; [`forward`](Self::forward) is brought up to date by
    /// [`settle`](Self::settle).
    #[inline]
    pub(super) fn swap_slots(&mut self, s: usize, t: usize) {
        if s == t {
            return;
        }
        self.arcs.swap(s, t);
        self.slot_arc.swap(s, t);
        let moved = |r: usize| {
            if r == s {
                t
            } else if r == t {
                s
            } else {
                r
            }
        };
        // Both sisters first: `s` and `t` may be sisters (a self-loop).
        let (rs, rt) = (
            moved(self.arcs[s].reverse as usize),
            moved(self.arcs[t].reverse as usize),
        );
        for (x, r) in [(s, rs), (t, rt)] {
            self.arcs[x].reverse = r as u32;
            self.arcs[r].reverse = x as u32;
        }
    }

    /// Makes every arc active again, brings [`forward`](Self::forward) up to date
    /// after moves and drops [`slot_arc`](Self::slot_arc); the arcs stay where they
    /// are (see [`restore_order`](Self::restore_order)).
    pub(super) fn settle(&mut self) {
        self.last_out.copy_from_slice(&self.first_out[1..]);
        for (s, &key) in self.slot_arc.iter().enumerate() {
            if key % 2 == 0 {
                self.forward[key as usize / 2] = s as u32;
            }
        }
        self.slot_arc = Vec::new();
    }

    /// Makes every arc active again and puts every node's arcs back in input order
    /// (the layout [`new`](Self::new) built), so that every solve starts from the
    /// same layout. Without the memory to track the positions the arcs stay where
    /// they are (still a valid layout).
    pub(super) fn restore_order(&mut self) {
        let n = self.node_count();
        self.settle();
        if !self.moved || self.track_slots().is_err() {
            return;
        }
        let mut dest: Vec<u32> = Vec::new();
        let mut keys: Vec<(u32, u32)> = Vec::new();
        for u in 0..n {
            let (lo, hi) = (self.first_out[u] as usize, self.first_out[u + 1] as usize);
            if self.slot_arc[lo..hi].windows(2).all(|w| w[0] < w[1]) {
                continue;
            }
            keys.clear();
            keys.extend((lo..hi).map(|p| (self.slot_arc[p], (p - lo) as u32)));
            keys.sort_unstable();
            dest.clear();
            dest.resize(hi - lo, 0);
            for (rank, &(_, p)) in keys.iter().enumerate() {
                dest[p as usize] = rank as u32;
            }
            for i in 0..hi - lo {
                while dest[i] as usize != i {
                    let j = dest[i] as usize;
                    self.swap_slots(lo + i, lo + j);
                    dest.swap(i, j);
                }
            }
        }
        self.settle();
        self.moved = false;
    }

    /// Moves `delta` units along residual arc `a` (which has that much capacity).
    #[inline(always)]
    pub(super) fn push(&mut self, a: usize, delta: i64) {
        let arc = &mut self.arcs[a];
        arc.cap = W::of(arc.cap.get() - delta);
        let r = arc.reverse as usize;
        let back = &mut self.arcs[r];
        back.cap = W::of(back.cap.get() + delta);
    }

    /// Sets arc `a`'s capacity (flow 0) and scaled cost on both copies; both must
    /// fit `W`.
    #[inline]
    pub(super) fn set_arc(&mut self, a: usize, capacity: i64, scaled_cost: i64) {
        let f = self.forward[a] as usize;
        let b = self.arcs[f].reverse as usize;
        self.arcs[f].cap = W::of(capacity);
        self.arcs[b].cap = W::of(0);
        self.arcs[f].cost = W::of(scaled_cost);
        self.arcs[b].cost = W::of(-scaled_cost);
    }

    /// The node arc `a` leaves.
    #[inline]
    pub(super) fn tail(&self, a: usize) -> usize {
        let f = self.forward[a] as usize;
        self.arcs[self.arcs[f].reverse as usize].target as usize
    }

    /// The node arc `a` enters.
    #[inline]
    pub(super) fn head(&self, a: usize) -> usize {
        self.arcs[self.forward[a] as usize].target as usize
    }

    /// The flow on arc `a` (what its backward copy can send back).
    #[inline]
    pub(super) fn flow(&self, a: usize) -> i64 {
        let f = self.forward[a] as usize;
        self.arcs[self.arcs[f].reverse as usize].cap()
    }
}
