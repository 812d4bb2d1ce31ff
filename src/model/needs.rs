//! Needs derived from a status report, and whole-unit splits.

use super::scenario::Delivery;
use crate::apportion::{decimal_weights, largest_remainder_into, pow10, Decimal};
use std::cmp::Ordering;

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
    let mut sorted: Vec<(f64, i64)> = deliveries.iter().map(|d| (d.day, d.quantity)).collect();
    sorted.sort_by(|a, b| a.0.total_cmp(&b.0));
    let mut worst = 0.0f64;
    // Σ quantities arriving strictly before the current day (sorted once: O(n log n)).
    let mut before: i128 = 0;
    let mut i = 0;
    while i < sorted.len() {
        let day = sorted[i].0;
        if day >= window_days {
            break;
        }
        if day > 0.0 {
            worst = worst.max(consumption_per_day * day - before as f64);
        }
        while i < sorted.len() && sorted[i].0 == day {
            before += i128::from(sorted[i].1);
            i += 1;
        }
    }
    worst.max(consumption_per_day * window_days - before as f64)
}

/// The whole units one status row implies, each rounded up: what the site must hold now
/// for the acute window and for the horizon, and what it keeps when it donates.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct NeedUnits {
    /// `ceil(R(acute window))`, with `R` the [`shortfall_requirement`].
    pub acute: i64,
    /// `ceil(R(horizon))`.
    pub horizon: i64,
    /// `ceil(R(acute window) + reserve_days · consumption)`.
    pub keep: i64,
}

/// The largest whole quantity a derived need may have (2^53).
pub const MAX_DERIVED_UNITS: i64 = 1 << 53;

/// The [`NeedUnits`] of consumption `consumption_per_day`, `deliveries`, an acute window
/// of `acute_window_hours` (÷ 24 days), a horizon of `horizon_days` and `reserve_days`.
///
/// Exact: every input is taken as the decimal it was written as (the shortest
/// round-trip digits of the `f64`), the requirement is a rational in `i128` and rounded
/// up exactly, so 1e9/day over 48 h is exactly 2 000 000 000 and `0.1 × 70` is 7. Only
/// when a value does not fit the rational arithmetic (decimal exponents far apart, e.g.
/// 1e-30 days) is it computed in `f64`, rounding `x − 1e-6` up (a tolerance of a
/// millionth of a unit). `None` when a result exceeds [`MAX_DERIVED_UNITS`] or an input
/// is not finite. Sorting the deliveries once makes it O(n log n).
///
/// ```
/// use allocnet::model::need_units;
/// let u = need_units(1e9, &[], 48.0, 7.0, 0.5).unwrap();
/// assert_eq!((u.acute, u.horizon, u.keep), (2_000_000_000, 7_000_000_000, 2_500_000_000));
/// ```
pub fn need_units(
    consumption_per_day: f64,
    deliveries: &[Delivery],
    acute_window_hours: f64,
    horizon_days: f64,
    reserve_days: f64,
) -> Option<NeedUnits> {
    let mut sorted = deliveries.to_vec();
    sorted.sort_by(|a, b| a.day.total_cmp(&b.day));
    let c = consumption_per_day;
    let raw = match exact_units(c, &sorted, acute_window_hours, horizon_days, reserve_days) {
        Some(units) => units.map(Some),
        None => {
            let acute_days = acute_window_hours / 24.0;
            let req_acute = shortfall_requirement(c, &sorted, acute_days);
            let req_horizon = shortfall_requirement(c, &sorted, horizon_days);
            [
                ceil_units(req_acute).map(i128::from),
                ceil_units(req_horizon).map(i128::from),
                ceil_units(req_acute + reserve_days * c).map(i128::from),
            ]
        }
    };
    let fit = |x: Option<i128>| {
        x.filter(|&v| (0..=i128::from(MAX_DERIVED_UNITS)).contains(&v))
            .map(|v| v as i64)
    };
    Some(NeedUnits {
        acute: fit(raw[0])?,
        horizon: fit(raw[1])?,
        keep: fit(raw[2])?,
    })
}

/// [`need_units`] for deliveries already sorted by day (as [`need_units`] sorts them;
/// the result is the same). It first tries [`quick_units`], the same exact arithmetic on
/// fractions that are never reduced (no gcd, two 128-bit divisions per ceiling), and
/// calls [`need_units`] only when a value does not fit there.
///
/// Equal to [`need_units`]: every intermediate of the reduced route (`Ratio`) is at
/// most the matching one here in magnitude (a reduced numerator or denominator
/// divides the unreduced one; sums and products follow), so when this route fits, so
/// does [`exact_units`], and both compute the exact ceilings.
pub(crate) fn need_units_sorted(
    consumption_per_day: f64,
    sorted: &[Delivery],
    acute_window_hours: f64,
    horizon_days: f64,
    reserve_days: f64,
) -> Option<NeedUnits> {
    let Some(raw) = quick_units(
        consumption_per_day,
        sorted,
        acute_window_hours,
        horizon_days,
        reserve_days,
    ) else {
        return need_units(
            consumption_per_day,
            sorted,
            acute_window_hours,
            horizon_days,
            reserve_days,
        );
    };
    let fit = |v: i128| (0..=i128::from(MAX_DERIVED_UNITS)).contains(&v).then_some(v as i64);
    Some(NeedUnits {
        acute: fit(raw[0])?,
        horizon: fit(raw[1])?,
        keep: fit(raw[2])?,
    })
}

/// [`exact_units`] on unreduced fractions (`num / den`, `den > 0`); `None` when a value
/// does not fit `i128`.
fn quick_units(c: f64, sorted: &[Delivery], hours: f64, horizon_days: f64, reserve_days: f64) -> Option<[i128; 3]> {
    let c = Frac::from_f64(c)?;
    let h = Frac::from_f64(hours)?;
    let acute = Frac {
        num: h.num,
        den: h.den.checked_mul(24)?,
    };
    let horizon = Frac::from_f64(horizon_days)?;
    let reserve = Frac::from_f64(reserve_days)?;
    // `exact_units` converts every day, also those past the windows: so does this.
    for d in sorted {
        Frac::from_f64(d.day)?;
    }
    let zero = Frac { num: 0, den: 1 };
    Some([
        quick_requirement(c, sorted, acute, zero)?,
        quick_requirement(c, sorted, horizon, zero)?,
        quick_requirement(c, sorted, acute, reserve)?,
    ])
}

/// [`ceil_requirement`] on unreduced fractions, reading the sorted deliveries directly
/// (a run of equal days sums its quantities, as [`exact_units`] merges them).
fn quick_requirement(c: Frac, sorted: &[Delivery], window: Frac, extra: Frac) -> Option<i128> {
    let mut worst = c.mul(extra)?.ceil();
    let mut before: i128 = 0;
    let mut i = 0;
    while i < sorted.len() {
        let day_f = sorted[i].day;
        let day = Frac::from_f64(day_f)?;
        if day.cmp(window)? != Ordering::Less {
            break;
        }
        if day.num > 0 {
            worst = worst.max(c.mul(day.add(extra)?)?.ceil().checked_sub(before)?);
        }
        while i < sorted.len() && sorted[i].day == day_f {
            before = before.checked_add(i128::from(sorted[i].quantity))?;
            i += 1;
        }
    }
    Some(worst.max(c.mul(window.add(extra)?)?.ceil().checked_sub(before)?))
}

/// An unreduced fraction `num / den` (`den > 0`) for [`quick_units`].
#[derive(Clone, Copy, Debug)]
struct Frac {
    num: i128,
    den: i128,
}

impl Frac {
    /// The decimal `x` was written as, over a power of ten (as `Ratio::from_f64`).
    fn from_f64(x: f64) -> Option<Frac> {
        if x.fract() == 0.0 && x.abs() < 9.0e18 {
            return Some(Frac { num: x as i128, den: 1 });
        }
        let d = Decimal::from_f64(x)?;
        let p = i128::try_from(pow10(d.exponent.unsigned_abs())?).ok()?;
        if d.exponent >= 0 {
            Some(Frac {
                num: i128::from(d.mantissa).checked_mul(p)?,
                den: 1,
            })
        } else {
            Some(Frac {
                num: i128::from(d.mantissa),
                den: p,
            })
        }
    }

    fn add(self, o: Frac) -> Option<Frac> {
        if o.num == 0 {
            return Some(self);
        }
        if self.den == o.den {
            return Some(Frac {
                num: self.num.checked_add(o.num)?,
                den: self.den,
            });
        }
        Some(Frac {
            num: self.num.checked_mul(o.den)?.checked_add(o.num.checked_mul(self.den)?)?,
            den: self.den.checked_mul(o.den)?,
        })
    }

    fn mul(self, o: Frac) -> Option<Frac> {
        Some(Frac {
            num: self.num.checked_mul(o.num)?,
            den: self.den.checked_mul(o.den)?,
        })
    }

    fn ceil(self) -> i128 {
        if self.den == 1 {
            return self.num;
        }
        let q = self.num.div_euclid(self.den);
        if self.num.rem_euclid(self.den) == 0 {
            q
        } else {
            q + 1
        }
    }

    fn cmp(self, o: Frac) -> Option<Ordering> {
        Some(self.num.checked_mul(o.den)?.cmp(&o.num.checked_mul(self.den)?))
    }
}

/// The three ceilings in exact rational arithmetic; `None` when a value does not fit.
fn exact_units(c: f64, sorted: &[Delivery], hours: f64, horizon_days: f64, reserve_days: f64) -> Option<[i128; 3]> {
    let c = Ratio::from_f64(c)?;
    let acute = Ratio::from_f64(hours)?.mul(Ratio::new(1, 24)?)?;
    let horizon = Ratio::from_f64(horizon_days)?;
    let reserve = Ratio::from_f64(reserve_days)?;
    let mut days: Vec<(Ratio, i128)> = Vec::new();
    let mut last = f64::NAN;
    for d in sorted {
        if d.day == last {
            let slot = days.last_mut()?;
            slot.1 = slot.1.checked_add(i128::from(d.quantity))?;
        } else {
            days.push((Ratio::from_f64(d.day)?, i128::from(d.quantity)));
            last = d.day;
        }
    }
    let zero = Ratio::int(0);
    Some([
        ceil_requirement(c, &days, acute, zero)?,
        ceil_requirement(c, &days, horizon, zero)?,
        ceil_requirement(c, &days, acute, reserve)?,
    ])
}

/// `ceil(max(0, max over τ of (c·τ − D(τ))) + c·extra)` exactly, with τ the delivery
/// days in `(0, window]` and `window`, `D(τ)` the quantity arriving before τ; `days`
/// are distinct and sorted, with their summed quantities. As `ceil(x − D) = ceil(x) − D`
/// for whole `D` and a ceiling is monotone, it is the largest per-candidate ceiling.
fn ceil_requirement(c: Ratio, days: &[(Ratio, i128)], window: Ratio, extra: Ratio) -> Option<i128> {
    let mut worst = c.mul(extra)?.ceil();
    let mut before: i128 = 0;
    for &(day, quantity) in days {
        if day.cmp(window)? != Ordering::Less {
            break;
        }
        if day.num > 0 {
            worst = worst.max(c.mul(day.add(extra)?)?.ceil().checked_sub(before)?);
        }
        before = before.checked_add(quantity)?;
    }
    Some(worst.max(c.mul(window.add(extra)?)?.ceil().checked_sub(before)?))
}

/// An exact rational `num / den` (`den > 0`, lowest terms); every operation is checked.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Ratio {
    num: i128,
    den: i128,
}

fn gcd(a: i128, b: i128) -> i128 {
    let (mut a, mut b) = (a.unsigned_abs(), b.unsigned_abs());
    while b != 0 {
        (a, b) = (b, a % b);
    }
    a as i128
}

impl Ratio {
    fn new(num: i128, den: i128) -> Option<Ratio> {
        if den <= 0 {
            return None;
        }
        let g = gcd(num, den).max(1);
        Some(Ratio {
            num: num / g,
            den: den / g,
        })
    }

    fn int(v: i128) -> Ratio {
        Ratio { num: v, den: 1 }
    }

    /// The decimal `x` was written as ([`Decimal::from_f64`]).
    fn from_f64(x: f64) -> Option<Ratio> {
        if x.fract() == 0.0 && x.abs() < 9.0e18 {
            return Some(Ratio::int(x as i128)); // whole numbers (most days and hours)
        }
        let d = Decimal::from_f64(x)?;
        let p = i128::try_from(pow10(d.exponent.unsigned_abs())?).ok()?;
        if d.exponent >= 0 {
            Some(Ratio::int(i128::from(d.mantissa).checked_mul(p)?))
        } else {
            Ratio::new(i128::from(d.mantissa), p)
        }
    }

    fn add(self, o: Ratio) -> Option<Ratio> {
        if o.num == 0 {
            return Some(self);
        }
        let g = gcd(self.den, o.den);
        let den = (self.den / g).checked_mul(o.den)?;
        let a = self.num.checked_mul(o.den / g)?;
        let b = o.num.checked_mul(self.den / g)?;
        Ratio::new(a.checked_add(b)?, den)
    }

    fn mul(self, o: Ratio) -> Option<Ratio> {
        let g1 = gcd(self.num, o.den).max(1);
        let g2 = gcd(o.num, self.den).max(1);
        let num = (self.num / g1).checked_mul(o.num / g2)?;
        let den = (self.den / g2).checked_mul(o.den / g1)?;
        Ratio::new(num, den)
    }

    fn ceil(self) -> i128 {
        let q = self.num.div_euclid(self.den);
        if self.num.rem_euclid(self.den) == 0 {
            q
        } else {
            q + 1
        }
    }

    fn cmp(self, o: Ratio) -> Option<Ordering> {
        Some(self.num.checked_mul(o.den)?.cmp(&o.num.checked_mul(self.den)?))
    }
}

/// Rounds a non-negative fractional quantity up to whole units, treating values within
/// 1e-6 (absolute) above an integer as that integer: the fallback of [`need_units`]
/// where exact arithmetic does not fit. `None` above 2^53 or for NaN/infinity.
pub(crate) fn ceil_units(x: f64) -> Option<i64> {
    if !x.is_finite() {
        return None;
    }
    let y = (x - 1e-6).ceil().max(0.0);
    if y > MAX_DERIVED_UNITS as f64 {
        None
    } else {
        Some(y as i64)
    }
}

/// Splits `total` whole units in proportion to `weights` by the largest-remainder
/// method in exact arithmetic ([`crate::apportion`]: each weight is the decimal it was
/// written as); ties go to the earlier entry (the higher priority class). Weights that
/// are negative, NaN or infinite count as 0. If every weight is zero, or `total <= 0`,
/// everything goes to the last entry. The parts sum to `total`.
///
/// Weights whose decimal digits lie more than 30 places below the largest weight's
/// cannot share a 128-bit denominator; for them (only) the digits beyond are dropped.
/// The county round never sees such weights: [`Scenario::resolve`](super::Scenario::resolve)
/// rejects those shares.
///
/// ```
/// assert_eq!(allocnet::model::split_by_weights(10, &[0.5, 0.25, 0.25]), vec![5, 3, 2]);
/// assert_eq!(allocnet::model::split_by_weights(1, &[0.5, 0.5]), vec![1, 0]);
/// assert_eq!(allocnet::model::split_by_weights(5, &[0.1, 0.5, 0.3, 0.1]), vec![1, 3, 1, 0]);
/// ```
pub fn split_by_weights(total: i64, weights: &[f64]) -> Vec<i64> {
    SplitWeights::new(weights).split(total)
}

/// The weights of [`split_by_weights`] turned into integers once, for splitting many
/// totals by the same weights (a status row's class weights in a sweep): `split`
/// gives exactly what [`split_by_weights`] gives, which is this route.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct SplitWeights {
    /// Number of entries.
    len: usize,
    /// The weights over one power of ten; `None` when no weight is positive.
    scaled: Option<Vec<u128>>,
    /// The entry of the one non-zero scaled weight, if only one is non-zero: the
    /// largest-remainder split gives it the whole total (quota `t·w/w = t`, no
    /// remainder), so `split` does that without dividing.
    single: Option<usize>,
}

impl SplitWeights {
    /// The integer form of `weights` (negative, NaN and infinite ones count as 0).
    pub(crate) fn new(weights: &[f64]) -> SplitWeights {
        let clean: Vec<f64> = weights
            .iter()
            .map(|&w| if w.is_finite() && w > 0.0 { w } else { 0.0 })
            .collect();
        let scaled = clean
            .iter()
            .any(|&w| w > 0.0)
            .then(|| decimal_weights(&clean).unwrap_or_else(|_| truncated_weights(&clean)));
        let single = scaled.as_ref().and_then(|w| {
            let mut nonzero = w.iter().enumerate().filter(|(_, &x)| x > 0).map(|(i, _)| i);
            match (nonzero.next(), nonzero.next()) {
                (Some(i), None) => Some(i),
                _ => None,
            }
        });
        SplitWeights {
            len: weights.len(),
            scaled,
            single,
        }
    }

    /// `total` split as [`split_by_weights`] splits it.
    pub(crate) fn split(&self, total: i64) -> Vec<i64> {
        let mut parts = vec![0i64; self.len];
        self.split_into(total, &mut parts);
        parts
    }

    /// Number of entries (the length of a split).
    pub(crate) fn len(&self) -> usize {
        self.len
    }

    /// [`split`](Self::split) written into `parts`, which must have [`len`](Self::len)
    /// entries: the same parts, without allocating.
    pub(crate) fn split_into(&self, total: i64, parts: &mut [i64]) {
        debug_assert_eq!(parts.len(), self.len);
        parts.fill(0);
        if self.len == 0 {
            return;
        }
        if let (true, Some(i)) = (total > 0, self.single) {
            parts[i] = total;
            return;
        }
        if let (true, Some(scaled)) = (total > 0, &self.scaled) {
            if largest_remainder_into(total, scaled, parts).is_ok() {
                return;
            }
            parts.fill(0);
        }
        parts[self.len - 1] = total;
    }
}

/// Positive weights over a common power of ten that keeps the largest weight's top
/// digits (at most 10^30 each), dropping digits below that.
fn truncated_weights(weights: &[f64]) -> Vec<u128> {
    let decimals: Vec<Decimal> = weights
        .iter()
        .map(|&w| {
            Decimal::from_f64(w).unwrap_or(Decimal {
                mantissa: 0,
                exponent: 0,
            })
        })
        .collect();
    // Top of each weight: exponent + number of digits.
    let top = |d: &Decimal| d.exponent + d.mantissa.to_string().len() as i32;
    let base = decimals.iter().filter(|d| d.mantissa > 0).map(top).max().unwrap_or(0) - 30;
    decimals
        .iter()
        .map(|d| {
            let m = d.mantissa.max(0) as u128;
            let shift = d.exponent - base;
            match pow10(shift.unsigned_abs()) {
                Some(p) if shift >= 0 => m * p,
                Some(p) => m / p,
                None => 0,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::apportion::largest_remainder;

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

    #[test]
    fn split_ties_go_to_the_earlier_class() {
        // Exact quotas 0.5 / 2.5 / 1.5 / 0.5; the float sum of the shares is
        // 0.9999999999999999, which used to break the ties: (0, 3, 2, 0).
        assert_eq!(split_by_weights(5, &[0.1, 0.5, 0.3, 0.1]), vec![1, 3, 1, 0]);
        assert_eq!(split_by_weights(1, &[1.0 / 3.0, 1.0 / 3.0, 1.0 / 3.0]), vec![1, 0, 0]);
        // Negative, NaN and infinite weights count as 0; a non-positive total goes last.
        assert_eq!(
            split_by_weights(3, &[-1.0, f64::NAN, 2.0, f64::INFINITY]),
            vec![0, 0, 3, 0]
        );
        assert_eq!(split_by_weights(-2, &[0.5, 0.5]), vec![0, -2]);
    }

    #[test]
    fn split_with_digits_too_far_apart_keeps_the_large_weights_exact() {
        // 1e-300 cannot share a 128-bit denominator with 0.5: it is dropped, the rest
        // is the exact split of 0.5 : 0.5.
        assert_eq!(split_by_weights(3, &[0.5, 1e-300, 0.5]), vec![2, 0, 1]);
    }

    #[test]
    fn exact_need_at_scale() {
        for c in [1e9, 2.5e9, 123_456_789_012.0, 1e12] {
            let u = need_units(c, &[], 48.0, 7.0, 0.0).unwrap();
            assert_eq!(u.acute as f64, 2.0 * c);
            assert_eq!(u.horizon as f64, 7.0 * c);
            assert_eq!(u.keep, u.acute);
        }
        // One unit beyond a whole number still rounds up, at any scale.
        let u = need_units(1e12 + 0.5, &[], 24.0, 1.0, 0.0).unwrap();
        assert_eq!(u.acute, 1_000_000_000_001);
        let u = need_units(0.1, &[], 48.0, 70.0, 0.0).unwrap();
        assert_eq!((u.acute, u.horizon), (1, 7));
        // 1/3 per day over 3 days, as written (0.3333333333333333), is just below 1.
        assert_eq!(need_units(1.0 / 3.0, &[], 72.0, 3.0, 0.0).unwrap().acute, 1);
        assert_eq!(need_units(1e300, &[], 48.0, 7.0, 0.0), None);
        assert_eq!(need_units(f64::NAN, &[], 48.0, 7.0, 0.0), None);
    }

    #[test]
    fn exact_need_with_deliveries_and_reserve() {
        let d = [
            Delivery { day: 0.5, quantity: 3 },
            Delivery { day: 0.5, quantity: 2 },
            Delivery {
                day: 2.0,
                quantity: 100,
            },
        ];
        // 0.7/day: acute window 36 h = 1.5 days -> max(0.35, 1.05 − 5) -> 1.
        // Horizon 7 days: max(0.35, 1.4 − 5, 4.9 − 105) -> 1. Keep: 0.35 + 0.7·2 = 1.75 -> 2.
        let u = need_units(0.7, &d, 36.0, 7.0, 2.0).unwrap();
        assert_eq!((u.acute, u.horizon, u.keep), (1, 1, 2));
        // A delivery exactly at the window's end does not help within it.
        let at_end = [Delivery { day: 2.0, quantity: 10 }];
        assert_eq!(need_units(3.0, &at_end, 48.0, 2.0, 0.0).unwrap().acute, 6);
    }

    /// A consumption as a sweep draws it: a base figure times a random multiplier
    /// (17 significant digits), or an awkward value (tiny, huge, whole).
    fn consumption() -> impl proptest::strategy::Strategy<Value = f64> {
        use proptest::prelude::*;
        prop_oneof![
            (0.0f64..500.0, 0.2f64..3.0).prop_map(|(c, m)| c * m),
            (0u32..2000).prop_map(|c| f64::from(c) / 10.0),
            prop_oneof![Just(1e-30), Just(3e-7), Just(1e15 / 7.0), Just(4.5e15), Just(0.0)],
        ]
    }

    fn days() -> impl proptest::strategy::Strategy<Value = f64> {
        use proptest::prelude::*;
        prop_oneof![
            (0u32..30).prop_map(f64::from),
            (0.0f64..20.0),
            (0u32..80).prop_map(|d| f64::from(d) / 4.0),
            Just(1e-40),
            Just(1e30),
        ]
    }

    fn hours() -> impl proptest::strategy::Strategy<Value = f64> {
        use proptest::prelude::*;
        prop_oneof![Just(48.0), 1.0f64..200.0, (1u32..200).prop_map(f64::from)]
    }

    proptest::proptest! {
        /// The unreduced route gives exactly what `need_units` gives (itself exact or,
        /// where the exact route does not fit, its f64 fallback).
        #[test]
        fn quick_route_equals_need_units(
            c in consumption(),
            raw in proptest::collection::vec((days(), 0i64..1000), 0..5),
            hours in hours(),
            horizon in proptest::prop_oneof![proptest::strategy::Just(7.0), 0.5f64..30.0],
            reserve in proptest::prop_oneof![proptest::strategy::Just(3.0), 0.0f64..10.0, proptest::strategy::Just(0.0)],
        ) {
            let mut d: Vec<Delivery> = raw.iter().map(|&(day, quantity)| Delivery { day, quantity }).collect();
            d.sort_by(|a, b| a.day.total_cmp(&b.day));
            proptest::prop_assert_eq!(
                need_units_sorted(c, &d, hours, horizon, reserve),
                need_units(c, &d, hours, horizon, reserve)
            );
        }
    }

    #[test]
    fn quick_route_equals_need_units_where_values_do_not_fit() {
        let d = [
            Delivery {
                day: 1e-40,
                quantity: 1,
            },
            Delivery { day: 2.0, quantity: 5 },
        ];
        for c in [10.0, 1e-30, 12.345678901234567, 4.5e15, 1e300, f64::NAN] {
            for hours in [48.0, 1e-35, 36.5] {
                assert_eq!(
                    need_units_sorted(c, &d, hours, 7.0, 3.0),
                    need_units(c, &d, hours, 7.0, 3.0),
                    "{c} {hours}"
                );
                assert_eq!(
                    need_units_sorted(c, &[], hours, 7.0, 0.1),
                    need_units(c, &[], hours, 7.0, 0.1)
                );
            }
        }
    }

    fn weights() -> impl proptest::strategy::Strategy<Value = Vec<f64>> {
        use proptest::prelude::*;
        let one = prop_oneof![
            Just(0.0),
            Just(1.0),
            0.0f64..1.0,
            (0u32..100).prop_map(|x| f64::from(x) / 100.0),
            Just(1e-300),
            Just(-1.0),
            Just(f64::NAN),
        ];
        proptest::collection::vec(one, 0..5)
    }

    proptest::proptest! {
        /// `SplitWeights::split` (with its one-weight short cut) equals the
        /// largest-remainder split of the weights' exact decimals.
        #[test]
        fn split_weights_equal_the_largest_remainder_split(w in weights(), total in -3i64..1_000_000) {
            let clean: Vec<f64> = w.iter().map(|&x| if x.is_finite() && x > 0.0 { x } else { 0.0 }).collect();
            let mut expected = vec![0i64; w.len()];
            let scaled = decimal_weights(&clean).unwrap_or_else(|_| truncated_weights(&clean));
            match largest_remainder(total, &scaled) {
                Ok(split) if total > 0 && clean.iter().any(|&x| x > 0.0) => expected = split,
                _ => {
                    if let Some(last) = expected.last_mut() {
                        *last = total;
                    }
                }
            }
            proptest::prop_assert_eq!(SplitWeights::new(&w).split(total), expected);
        }
    }

    #[test]
    fn fallback_when_exact_arithmetic_does_not_fit() {
        // 1e-40 days is no rational in i128 (denominator 10^40): the f64 path, which
        // gives the same whole units here (the delivery arrives before day 2 and 7).
        let d = [Delivery {
            day: 1e-40,
            quantity: 1,
        }];
        let u = need_units(10.0, &d, 48.0, 7.0, 0.0).unwrap();
        assert_eq!((u.acute, u.horizon), (19, 69));
    }
}
