//! The two end nodes of every arc: 16 bits each while every node index fits, 32 bits
//! otherwise.

use super::arc_order::ArcOrder;

/// A node index as stored: `u16` or `u32`.
pub(crate) trait NodeIndex: Copy {
    /// The index as a `usize`.
    fn index(self) -> usize;
}

impl NodeIndex for u16 {
    #[inline]
    fn index(self) -> usize {
        usize::from(self)
    }
}

impl NodeIndex for u32 {
    #[inline]
    fn index(self) -> usize {
        self as usize
    }
}

/// `[first, second]` node of each arc, packed: 4 bytes per arc while every node index
/// is below 2^16 (half what the entering-arc search streams), 8 otherwise. The width
/// is fixed by the node count at construction; every stored index is below it.
#[derive(Clone, Debug)]
pub(crate) enum NodePairs {
    /// Every node index fits `u16`.
    Narrow(Vec<[u16; 2]>),
    /// Node indices need `u32`.
    Wide(Vec<[u32; 2]>),
}

impl NodePairs {
    /// The pairs `[firsts[a], seconds[a]]`, then `[0, 0]` up to `len` pairs; narrow when
    /// `node_count` (a bound on every index ever stored) is at most 2^16.
    pub(crate) fn new(firsts: &[u32], seconds: &[u32], len: usize, node_count: usize) -> Self {
        if node_count <= 1 << 16 {
            let mut pairs = Vec::with_capacity(len.max(firsts.len()));
            pairs.extend(firsts.iter().zip(seconds).map(|(&s, &t)| [s as u16, t as u16]));
            pairs.resize(len, [0, 0]);
            NodePairs::Narrow(pairs)
        } else {
            let mut pairs = Vec::with_capacity(len.max(firsts.len()));
            pairs.extend(firsts.iter().zip(seconds).map(|(&s, &t)| [s, t]));
            pairs.resize(len, [0, 0]);
            NodePairs::Wide(pairs)
        }
    }

    /// [`NodePairs::new`] with the pairs stored in `order` (see [`ArcOrder`]).
    pub(crate) fn ordered(firsts: &[u32], seconds: &[u32], order: &ArcOrder, len: usize, node_count: usize) -> Self {
        let m = firsts.len();
        if node_count <= 1 << 16 {
            let mut pairs = vec![[0u16; 2]; len.max(m)];
            order.place(&mut pairs[..m], |k| [firsts[k] as u16, seconds[k] as u16]);
            pairs.truncate(len);
            NodePairs::Narrow(pairs)
        } else {
            let mut pairs = vec![[0u32; 2]; len.max(m)];
            order.place(&mut pairs[..m], |k| [firsts[k], seconds[k]]);
            pairs.truncate(len);
            NodePairs::Wide(pairs)
        }
    }

    /// [`NodePairs::new`] written over `self`, reusing its memory when the width stays.
    pub(crate) fn refill(&mut self, firsts: &[u32], seconds: &[u32], len: usize, node_count: usize) {
        match self {
            NodePairs::Narrow(pairs) if node_count <= 1 << 16 => {
                pairs.clear();
                pairs.extend(firsts.iter().zip(seconds).map(|(&s, &t)| [s as u16, t as u16]));
                pairs.resize(len, [0, 0]);
            }
            NodePairs::Wide(pairs) if node_count > 1 << 16 => {
                pairs.clear();
                pairs.extend(firsts.iter().zip(seconds).map(|(&s, &t)| [s, t]));
                pairs.resize(len, [0, 0]);
            }
            _ => *self = NodePairs::new(firsts, seconds, len, node_count),
        }
    }

    #[inline]
    pub(crate) fn get(&self, a: usize) -> (usize, usize) {
        match self {
            NodePairs::Narrow(pairs) => (pairs[a][0].index(), pairs[a][1].index()),
            NodePairs::Wide(pairs) => (pairs[a][0].index(), pairs[a][1].index()),
        }
    }

    /// Sets the pair of arc `a` (both below the node count given to `new`, checked in
    /// debug builds).
    #[inline]
    pub(crate) fn set(&mut self, a: usize, first: usize, second: usize) {
        match self {
            NodePairs::Narrow(pairs) => {
                debug_assert!(first <= usize::from(u16::MAX) && second <= usize::from(u16::MAX));
                pairs[a] = [first as u16, second as u16];
            }
            NodePairs::Wide(pairs) => pairs[a] = [first as u32, second as u32],
        }
    }
}

#[cfg(test)]
mod tests {
    use super::NodePairs;

    #[test]
    fn narrow_up_to_two_to_the_sixteen_nodes() {
        let mut pairs = NodePairs::new(&[0, 65_535], &[65_535, 7], 3, 1 << 16);
        assert!(matches!(pairs, NodePairs::Narrow(_)));
        assert_eq!(
            (pairs.get(0), pairs.get(1), pairs.get(2)),
            ((0, 65_535), (65_535, 7), (0, 0))
        );
        pairs.set(2, 9, 65_535);
        assert_eq!(pairs.get(2), (9, 65_535));

        let mut pairs = NodePairs::new(&[65_536], &[3], 2, (1 << 16) + 1);
        assert!(matches!(pairs, NodePairs::Wide(_)));
        assert_eq!(pairs.get(0), (65_536, 3));
        pairs.set(1, 70_000, 1);
        assert_eq!(pairs.get(1), (70_000, 1));
    }
}
