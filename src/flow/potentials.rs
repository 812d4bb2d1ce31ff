//! Node potentials held in 32 bits while their bound fits, in 64 bits otherwise.

/// A potential's storage type: `i32` or `i64`.
pub(crate) trait Potential: Copy + Into<i64> + std::ops::AddAssign {
    /// `value` in this type. The caller guarantees that it fits (checked in debug
    /// builds): the solver picks `i32` only when every potential provably does.
    fn narrowed(value: i64) -> Self;

    /// The reduced cost `cost + pi_s − pi_t`, computed in this type: the solver picks
    /// `i32` only when it provably holds the result (checked in debug builds).
    fn reduced_cost(cost: i64, pi_s: Self, pi_t: Self) -> i64;
}

impl Potential for i32 {
    #[inline]
    fn narrowed(value: i64) -> Self {
        debug_assert!(i32::try_from(value).is_ok(), "potential {value} does not fit i32");
        value as i32
    }

    #[inline]
    fn reduced_cost(cost: i64, pi_s: Self, pi_t: Self) -> i64 {
        i64::from(i32::narrowed(cost) + pi_s - pi_t)
    }
}

impl Potential for i64 {
    #[inline]
    fn narrowed(value: i64) -> Self {
        value
    }

    #[inline]
    fn reduced_cost(cost: i64, pi_s: Self, pi_t: Self) -> i64 {
        cost + pi_s - pi_t
    }
}

/// The potential of every node: `i32` (half the bytes for the entering-arc search's
/// random reads and for the potential updates) while the solver's bound on every
/// potential fits, `i64` otherwise. The width is chosen per solve by
/// [`with_bound`](Self::with_bound); values are never wrapped.
#[derive(Clone, Debug)]
pub(crate) enum Potentials {
    /// Every potential fits `i32`.
    Narrow(Vec<i32>),
    /// Potentials may need 64 bits.
    Wide(Vec<i64>),
}

impl Potentials {
    /// `len` zero potentials, wide.
    pub(crate) fn new(len: usize) -> Self {
        Potentials::Wide(vec![0; len])
    }

    /// `len` zero potentials in the width they have (as good as [`Potentials::new`]:
    /// [`with_bound`](Self::with_bound) then picks the width, and either way every
    /// value is zero), reusing the memory.
    pub(crate) fn reset_zeroed(&mut self, len: usize) {
        match self {
            Potentials::Narrow(pi) => {
                pi.clear();
                pi.resize(len, 0);
            }
            Potentials::Wide(pi) => {
                pi.clear();
                pi.resize(len, 0);
            }
        }
    }

    /// Switches to the narrowest width holding every value up to `bound` in absolute
    /// value. The values are kept only if the width stays; otherwise they are zeros
    /// (the solver sets every potential before reading one).
    pub(crate) fn with_bound(&mut self, bound: u64) {
        let narrow = bound <= i32::MAX as u64;
        let len = self.len();
        match self {
            Potentials::Narrow(_) if !narrow => *self = Potentials::Wide(vec![0; len]),
            Potentials::Wide(_) if narrow => *self = Potentials::Narrow(vec![0; len]),
            _ => {}
        }
    }

    /// Number of nodes.
    pub(crate) fn len(&self) -> usize {
        match self {
            Potentials::Narrow(pi) => pi.len(),
            Potentials::Wide(pi) => pi.len(),
        }
    }

    /// The potential of node `u`.
    #[inline]
    pub(crate) fn get(&self, u: usize) -> i64 {
        match self {
            Potentials::Narrow(pi) => i64::from(pi[u]),
            Potentials::Wide(pi) => pi[u],
        }
    }

    /// Sets the potential of node `u` (within the bound given to `with_bound`).
    #[inline]
    pub(crate) fn set(&mut self, u: usize, value: i64) {
        match self {
            Potentials::Narrow(pi) => pi[u] = i32::narrowed(value),
            Potentials::Wide(pi) => pi[u] = value,
        }
    }

    /// Adds `shift` to the potentials of the nodes from `from` (included) to `to`
    /// (excluded) along `thread` (the next node of each node). Each result must be
    /// within the bound given to `with_bound`.
    #[inline]
    pub(crate) fn shift_along(&mut self, thread: &[u32], from: usize, to: usize, shift: i64) {
        match self {
            Potentials::Narrow(pi) => shift_along(pi, thread, from, to, i32::narrowed(shift)),
            Potentials::Wide(pi) => shift_along(pi, thread, from, to, shift),
        }
    }

    /// Subtracts `value` from every potential (each result within the bound).
    pub(crate) fn subtract_from_all(&mut self, value: i64) {
        match self {
            Potentials::Narrow(pi) => pi.iter_mut().for_each(|p| *p = i32::narrowed(i64::from(*p) - value)),
            Potentials::Wide(pi) => pi.iter_mut().for_each(|p| *p -= value),
        }
    }
}

/// [`Potentials::shift_along`] on one width. A walk of dependent loads (each node's
/// successor is read from the thread): the loop does nothing else.
#[inline]
fn shift_along<P: Potential>(pi: &mut [P], thread: &[u32], from: usize, to: usize, shift: P) {
    let thread = &thread[..pi.len()];
    let mut u = from;
    while u != to {
        pi[u] += shift;
        u = thread[u] as usize;
    }
}

#[cfg(test)]
mod tests {
    use super::Potentials;

    #[test]
    fn narrow_while_the_bound_fits_and_exact_either_way() {
        let mut pi = Potentials::new(3);
        pi.with_bound(i32::MAX as u64);
        assert!(matches!(pi, Potentials::Narrow(_)));
        pi.set(0, -7);
        pi.set(1, i64::from(i32::MAX) - 10);
        pi.shift_along(&[1, 2, 0], 0, 2, 5);
        assert_eq!((pi.get(0), pi.get(1), pi.get(2)), (-2, i64::from(i32::MAX) - 5, 0));
        pi.subtract_from_all(3);
        assert_eq!((pi.get(0), pi.get(1), pi.get(2)), (-5, i64::from(i32::MAX) - 8, -3));

        pi.with_bound(i32::MAX as u64 + 1);
        assert!(matches!(pi, Potentials::Wide(_)));
        pi.set(2, 1 << 40);
        pi.shift_along(&[1, 2, 0], 2, 0, -1);
        assert_eq!(pi.get(2), (1 << 40) - 1);
    }
}
