//! The order in which the simplex stores its arcs: LEMON's *arc mixing*.
//!
//! Generated and real networks usually list their arcs grouped by tail node, so a
//! block of the entering-arc search (about 1.3·√m consecutive arcs) sees the arcs of
//! a few nodes only. Like LEMON's `NetworkSimplex`, a large, dense network's arcs are
//! stored interleaved instead: input arcs `0, 1, 2, …` go to positions `0, skip, 2·skip, …`,
//! then `1, 1 + skip, …`, with `skip = max(m / n, 3)`. Each block then samples the
//! whole network, and the search finds better entering arcs (fewer pivots: 13 029
//! instead of 18 341 on netgen-100k, see `BENCHMARKS.md`). The order is fixed by the
//! node and arc counts alone; flows, errors and the arc ids of the public calls are
//! translated at the solver's boundary, so callers only ever see input order.

/// Fewest arcs for which the arcs are mixed. Smaller networks (the county round's)
/// keep the input order, and with it their pivots and results bit for bit.
pub(crate) const MIX_MIN_ARCS: usize = 1 << 16;

/// Fewest arcs per node (exclusive) for which the arcs are mixed. Measured on the
/// solve: 11–40 % less time at 20 arcs per node (12 NETGEN-like and transshipment
/// instances of 100k arcs) and 12–16 % at 50 (1M arcs); at 6–8 arcs per node mixing
/// helped GRIDGEN (7 %) but cost classic NETGEN 4 % and GOTO 29 % (`BENCHMARKS.md`).
pub(crate) const MIX_MIN_ARCS_PER_NODE: usize = 16;

/// Arcs of one stride placed together by [`ArcOrder::place`] (1 024: measured faster
/// than 64 at 1M arcs, the same at 100k).
const TILE: usize = 1024;

/// Where each input arc is stored: `skip == 1` is the input order itself.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct ArcOrder {
    skip: usize,
    /// `m = quotient · skip + rest`: the first `rest` strides hold `quotient + 1`
    /// arcs, the others `quotient`.
    quotient: usize,
    rest: usize,
}

impl ArcOrder {
    /// The order of `m` arcs on `n` nodes: mixed from [`MIX_MIN_ARCS`] arcs and more
    /// than [`MIX_MIN_ARCS_PER_NODE`] arcs per node on.
    pub(crate) fn new(n: usize, m: usize) -> Self {
        let dense = m > MIX_MIN_ARCS_PER_NODE.saturating_mul(n);
        let skip = if m >= MIX_MIN_ARCS && n > 1 && dense {
            (m / n).max(3)
        } else {
            1
        };
        ArcOrder {
            skip,
            quotient: m / skip,
            rest: m % skip,
        }
    }

    /// True when arcs are stored in input order.
    pub(crate) fn is_identity(&self) -> bool {
        self.skip == 1
    }

    /// The first input arc of stride `j` (the arcs at positions `j, j + skip, …`).
    #[inline]
    fn stride_start(&self, j: usize) -> usize {
        j * self.quotient + j.min(self.rest)
    }

    /// The position of input arc `k` (`k < m`).
    pub(crate) fn position(&self, k: usize) -> usize {
        let long = self.rest * (self.quotient + 1);
        let (j, t) = if k < long {
            (k / (self.quotient + 1), k % (self.quotient + 1))
        } else {
            let k = k - long;
            (self.rest + k / self.quotient, k % self.quotient)
        };
        j + t * self.skip
    }

    /// The input arc stored at position `p` (`p < m`).
    pub(crate) fn input(&self, p: usize) -> usize {
        self.stride_start(p % self.skip) + p / self.skip
    }

    /// The input arcs of positions `0..m`, in position order (no division per arc).
    pub(crate) fn inputs(&self, m: usize) -> impl Iterator<Item = usize> + '_ {
        let (mut j, mut t) = (0, 0);
        (0..m).map(move |_| {
            let k = self.stride_start(j) + t;
            j += 1;
            if j == self.skip {
                (j, t) = (0, t + 1);
            }
            k
        })
    }

    /// Fills `out` (positions `0..out.len()`) with `value(k)` of the input arc `k`
    /// stored there. Works in tiles of [`TILE`] arcs per stride: a tile's positions are
    /// a few hundred kilobytes of `out` (cache-resident), written while each stride's
    /// inputs are read in order
    /// (a plain gather or scatter misses the cache or the TLB at nearly every arc at
    /// 1M arcs).
    #[inline]
    pub(crate) fn place<T>(&self, out: &mut [T], mut value: impl FnMut(usize) -> T) {
        let m = out.len();
        if self.is_identity() {
            for (k, slot) in out.iter_mut().enumerate() {
                *slot = value(k);
            }
            return;
        }
        for t0 in (0..=self.quotient).step_by(TILE) {
            for j in 0..self.skip.min(m) {
                let (start, end) = (self.stride_start(j), self.stride_start(j + 1));
                for t in t0..(t0 + TILE).min(end - start) {
                    out[j + t * self.skip] = value(start + t);
                }
            }
        }
    }

    /// `values` (in input order) in position order.
    pub(crate) fn gather<T: Copy + Default>(&self, values: &[T]) -> Vec<T> {
        if self.is_identity() {
            return values.to_vec();
        }
        // Zeroed memory straight from the allocator (no pass writing defaults first).
        let mut out = vec![T::default(); values.len()];
        self.place(&mut out, |k| values[k]);
        out
    }

    /// [`gather`](Self::gather) written over `out`, reusing its memory.
    pub(crate) fn gather_into<T: Copy + Default>(&self, out: &mut Vec<T>, values: &[T]) {
        out.clear();
        if self.is_identity() {
            out.extend_from_slice(values);
        } else {
            out.resize(values.len(), T::default());
            self.place(out, |k| values[k]);
        }
    }

    /// [`gather`](Self::gather) of an owned column, freeing it once reordered (no copy
    /// at all in input order).
    pub(crate) fn reorder<T: Copy + Default>(&self, values: Vec<T>) -> Vec<T> {
        if self.is_identity() {
            return values;
        }
        self.gather(&values)
    }
}

#[cfg(test)]
mod tests {
    use super::{ArcOrder, MIX_MIN_ARCS};

    #[test]
    fn a_permutation_whose_maps_agree() {
        for (n, m) in [
            (5_000, 100_000),
            (7, MIX_MIN_ARCS + 5),
            (4_000, MIX_MIN_ARCS + 1),
            (3, 10),
        ] {
            let order = ArcOrder::new(n, m);
            let inputs: Vec<usize> = order.inputs(m).collect();
            let mut seen = vec![false; m];
            for (p, &k) in inputs.iter().enumerate() {
                assert!(!seen[k], "input arc {k} stored twice");
                seen[k] = true;
                assert_eq!(order.input(p), k);
                assert_eq!(order.position(k), p);
            }
            let values: Vec<usize> = (0..m).collect();
            assert_eq!(order.gather(&values), inputs);
            assert_eq!(order.reorder(values), inputs);
            let mut placed = vec![0; m];
            order.place(&mut placed, |k| k);
            assert_eq!(placed, inputs);
        }
    }

    #[test]
    fn lemons_order_on_large_networks_input_order_on_small_ones() {
        let order = ArcOrder::new(2, MIX_MIN_ARCS);
        assert!(!order.is_identity());
        // skip = m / n: input arcs 0, 1, 2 go to positions 0, skip, 2 · skip.
        assert_eq!(order.position(1), MIX_MIN_ARCS / 2);
        assert_eq!(order.position(2), 1);
        let small = ArcOrder::new(10, MIX_MIN_ARCS - 1);
        assert!(small.is_identity());
        // Sparse: 16 arcs per node or fewer.
        assert!(ArcOrder::new(MIX_MIN_ARCS / 16, MIX_MIN_ARCS).is_identity());
        assert!(!ArcOrder::new(MIX_MIN_ARCS / 16 - 1, MIX_MIN_ARCS).is_identity());
        assert_eq!(small.position(123), 123);
        assert_eq!(small.input(123), 123);
    }
}
