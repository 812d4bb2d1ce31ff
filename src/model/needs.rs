//! Needs derived from a status report, and whole-unit splits.

use super::scenario::Delivery;

/// Stock (fractional units) a site must hold *now* so that it does not run out within
/// `window_days`, given its consumption per day and expected deliveries.
///
/// It is `max(0, max over τ of (consumption·τ − Σ deliveries arriving before τ))`, with
/// τ running over the delivery days in `(0, window_days]` and `window_days` itself: a
/// delivery on day 3 does not help on days 0–3. A delivery on day 0 counts as arriving
/// now. The shortfall within the window is `max(0, requirement − stock)`.
///
/// ```
/// use allocnet::model::{shortfall_requirement, Delivery};
/// // 10 per day for 2 days, 15 arriving at day 1: must hold 10 (for day 0–1), and
/// // 20 − 15 = 5 for the whole window; the larger is 10.
/// let d = [Delivery { day: 1.0, quantity: 15 }];
/// assert_eq!(shortfall_requirement(10.0, &d, 2.0), 10.0);
/// ```
pub fn shortfall_requirement(consumption_per_day: f64, deliveries: &[Delivery], window_days: f64) -> f64 {
    let delivered_before = |tau: f64| -> f64 {
        deliveries
            .iter()
            .filter(|d| d.day < tau)
            .map(|d| d.quantity as f64)
            .sum::<f64>()
    };
    let mut worst = 0.0f64;
    let candidates = deliveries
        .iter()
        .map(|d| d.day)
        .filter(|&day| day > 0.0 && day <= window_days);
    for tau in candidates.chain(std::iter::once(window_days)) {
        worst = worst.max(consumption_per_day * tau - delivered_before(tau));
    }
    worst
}

/// Rounds a non-negative fractional quantity up to whole units; values within 1e-9
/// (relative) of an integer count as that integer, so `0.1 × 70` is 7, not 8. `None`
/// when the result does not fit comfortably in `i64` (above 2^53).
pub(crate) fn ceil_units(x: f64) -> Option<i64> {
    if !x.is_finite() {
        return None;
    }
    let y = (x - 1e-9 * x.abs().max(1.0)).ceil().max(0.0);
    if y > 9_007_199_254_740_992.0 {
        None
    } else {
        Some(y as i64)
    }
}

/// Splits `total` whole units in proportion to `weights` by the largest-remainder
/// method; ties go to the earlier entry (the higher priority class). If every weight is
/// zero, everything goes to the last entry. The parts sum to `total`.
///
/// ```
/// assert_eq!(allocnet::model::split_by_weights(10, &[0.5, 0.25, 0.25]), vec![5, 3, 2]);
/// assert_eq!(allocnet::model::split_by_weights(1, &[0.5, 0.5]), vec![1, 0]);
/// ```
pub fn split_by_weights(total: i64, weights: &[f64]) -> Vec<i64> {
    let n = weights.len();
    let mut parts = vec![0i64; n];
    if n == 0 {
        return parts;
    }
    let sum: f64 = weights.iter().filter(|w| w.is_finite() && **w > 0.0).sum();
    if sum <= 0.0 || total <= 0 {
        if let Some(last) = parts.last_mut() {
            *last = total;
        }
        return parts;
    }
    let mut remainders = Vec::with_capacity(n);
    let mut assigned: i64 = 0;
    for (i, &w) in weights.iter().enumerate() {
        let w = if w.is_finite() && w > 0.0 { w } else { 0.0 };
        let quota = total as f64 * w / sum;
        let whole = (quota.floor() as i64).clamp(0, total - assigned);
        parts[i] = whole;
        assigned += whole;
        remainders.push((quota - quota.floor(), i));
    }
    // Largest fraction first; equal fractions to the earlier (higher) class.
    remainders.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
    let mut left = total - assigned;
    let mut k = 0;
    while left > 0 {
        let i = remainders[k % n].1;
        parts[i] += 1;
        left -= 1;
        k += 1;
    }
    parts
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn requirement_without_deliveries_is_consumption_times_window() {
        assert_eq!(shortfall_requirement(12.5, &[], 2.0), 25.0);
        assert_eq!(shortfall_requirement(0.0, &[], 7.0), 0.0);
    }

    #[test]
    fn late_delivery_does_not_cover_early_days() {
        let d = [Delivery {
            day: 5.0,
            quantity: 1000,
        }];
        assert_eq!(shortfall_requirement(10.0, &d, 7.0), 50.0);
        let now = [Delivery {
            day: 0.0,
            quantity: 1000,
        }];
        assert_eq!(shortfall_requirement(10.0, &now, 7.0), 0.0);
    }

    #[test]
    fn ceil_tolerates_float_noise() {
        assert_eq!(ceil_units(0.1 * 70.0), Some(7));
        assert_eq!(ceil_units(7.2), Some(8));
        assert_eq!(ceil_units(0.0), Some(0));
        assert_eq!(ceil_units(f64::NAN), None);
        assert_eq!(ceil_units(1e300), None);
    }

    #[test]
    fn split_sums_to_total() {
        for total in 0..50 {
            let parts = split_by_weights(total, &[0.3, 0.3, 0.4]);
            assert_eq!(parts.iter().sum::<i64>(), total);
        }
        assert_eq!(split_by_weights(7, &[0.0, 0.0]), vec![0, 7]);
        assert_eq!(split_by_weights(3, &[1.0, 1.0, 1.0]), vec![1, 1, 1]);
    }
}
