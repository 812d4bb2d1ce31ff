//! Arc costs held in 32 bits while every value fits, in 64 bits otherwise.

use super::arc_order::ArcOrder;

/// The unit costs of a solver's arcs: `i32` while every value fits (4 bytes per arc
/// for the entering-arc search to stream instead of 8), widened to `i64` for good the
/// first time a value does not. Values read back are always exactly those set.
#[derive(Clone, Debug)]
pub(crate) enum CostColumn {
    /// Every cost fits `i32`.
    Narrow(Vec<i32>),
    /// Some cost did not fit `i32`.
    Wide(Vec<i64>),
}

impl CostColumn {
    /// Stores `costs` followed by zeros up to `len` values, narrow if they all fit.
    pub(crate) fn new(mut costs: Vec<i64>, len: usize) -> Self {
        Self::narrow(&costs, len).unwrap_or_else(|| {
            costs.resize(len, 0);
            CostColumn::Wide(costs)
        })
    }

    /// [`CostColumn::new`] of a borrowed column: the wide values are copied only when
    /// some cost does not fit 32 bits.
    pub(crate) fn from_slice(costs: &[i64], len: usize) -> Self {
        Self::narrow(costs, len).unwrap_or_else(|| {
            let mut wide = Vec::with_capacity(len.max(costs.len()));
            wide.extend_from_slice(costs);
            wide.resize(len, 0);
            CostColumn::Wide(wide)
        })
    }

    /// [`CostColumn::from_slice`] with the costs stored in `order` (see [`ArcOrder`]).
    pub(crate) fn ordered(costs: &[i64], order: &ArcOrder, len: usize) -> Self {
        let m = costs.len();
        if costs.iter().all(|&c| i32::try_from(c).is_ok()) {
            let mut narrow = vec![0i32; len.max(m)];
            order.place(&mut narrow[..m], |k| costs[k] as i32);
            narrow.truncate(len);
            CostColumn::Narrow(narrow)
        } else {
            let mut wide = vec![0i64; len.max(m)];
            order.place(&mut wide[..m], |k| costs[k]);
            wide.truncate(len);
            CostColumn::Wide(wide)
        }
    }

    /// [`CostColumn::from_slice`] written over `self`, reusing its memory when the
    /// width stays (the width is chosen from `costs` alone, as there).
    pub(crate) fn refill(&mut self, costs: &[i64], len: usize) {
        let narrow = costs.iter().all(|&c| i32::try_from(c).is_ok());
        match self {
            CostColumn::Narrow(column) if narrow => {
                column.clear();
                column.extend(costs.iter().map(|&c| c as i32));
                column.resize(len, 0);
            }
            CostColumn::Wide(column) if !narrow => {
                column.clear();
                column.extend_from_slice(costs);
                column.resize(len, 0);
            }
            _ => *self = Self::from_slice(costs, len),
        }
    }

    /// The narrow column of `costs` padded with zeros to `len`, if every cost fits
    /// `i32` (one allocation of the final size).
    fn narrow(costs: &[i64], len: usize) -> Option<Self> {
        if !costs.iter().all(|&c| i32::try_from(c).is_ok()) {
            return None;
        }
        let mut narrow = Vec::with_capacity(len.max(costs.len()));
        narrow.extend(costs.iter().map(|&c| c as i32));
        narrow.resize(len, 0);
        Some(CostColumn::Narrow(narrow))
    }

    /// The cost of arc `a`.
    #[inline]
    pub(crate) fn get(&self, a: usize) -> i64 {
        match self {
            CostColumn::Narrow(costs) => i64::from(costs[a]),
            CostColumn::Wide(costs) => costs[a],
        }
    }

    /// The largest `|cost|` of arcs `0..len` (0 if none): one tight pass.
    pub(crate) fn max_abs(&self, len: usize) -> u64 {
        match self {
            CostColumn::Narrow(costs) => costs[..len].iter().map(|&c| u64::from(c.unsigned_abs())).max(),
            CostColumn::Wide(costs) => costs[..len].iter().map(|&c| c.unsigned_abs()).max(),
        }
        .unwrap_or(0)
    }

    /// Sets the cost of arc `a`, widening the column if `cost` does not fit `i32`.
    #[inline]
    pub(crate) fn set(&mut self, a: usize, cost: i64) {
        if let CostColumn::Narrow(costs) = self {
            if let Ok(narrow) = i32::try_from(cost) {
                costs[a] = narrow;
                return;
            }
            *self = CostColumn::Wide(costs.iter().map(|&c| i64::from(c)).collect());
        }
        if let CostColumn::Wide(costs) = self {
            costs[a] = cost;
        }
    }

    /// True while the costs are held in 32 bits.
    #[cfg(test)]
    pub(crate) fn is_narrow(&self) -> bool {
        matches!(self, CostColumn::Narrow(_))
    }
}

#[cfg(test)]
mod tests {
    use super::CostColumn;

    #[test]
    fn padded_with_zeros() {
        let costs = CostColumn::new(vec![7, -2], 4);
        assert!(costs.is_narrow());
        let read: Vec<i64> = (0..4).map(|a| costs.get(a)).collect();
        assert_eq!(read, vec![7, -2, 0, 0]);
        assert_eq!(costs.max_abs(4), 7);
        assert_eq!(CostColumn::new(vec![3, i64::from(i32::MIN)], 2).max_abs(2), 1 << 31);
    }

    #[test]
    fn a_borrowed_column_is_stored_as_an_owned_one() {
        for costs in [vec![7, -2], vec![1, -(1 << 40)], vec![]] {
            let owned = CostColumn::new(costs.clone(), 3);
            let borrowed = CostColumn::from_slice(&costs, 3);
            assert_eq!(owned.is_narrow(), borrowed.is_narrow());
            assert!((0..3).all(|a| owned.get(a) == borrowed.get(a)));
        }
    }

    #[test]
    fn narrow_until_a_value_does_not_fit() {
        let mut costs = CostColumn::new(vec![3, -4, i64::from(i32::MIN)], 3);
        assert!(costs.is_narrow());
        costs.set(0, i64::from(i32::MAX));
        assert!(costs.is_narrow());
        costs.set(1, i64::from(i32::MAX) + 1);
        assert!(!costs.is_narrow());
        let read: Vec<i64> = (0..3).map(|a| costs.get(a)).collect();
        assert_eq!(read, vec![i64::from(i32::MAX), 1 << 31, i64::from(i32::MIN)]);
        costs.set(1, 5);
        assert_eq!(costs.get(1), 5);
        assert_eq!(costs.max_abs(3), 1 << 31);
        assert_eq!(costs.max_abs(2), i32::MAX as u64);
        assert_eq!(costs.max_abs(0), 0);
    }

    #[test]
    fn wide_from_the_start_when_a_value_does_not_fit() {
        let costs = CostColumn::new(vec![1, -(1 << 40)], 3);
        assert!(!costs.is_narrow());
        assert_eq!(costs.get(1), -(1 << 40));
        assert_eq!(costs.get(2), 0);
    }
}
