//! The summary of a sweep: per metric the mean and quantiles over the ok scenarios.
//!
//! Both are computed so that no float noise appears where the data are whole numbers:
//! the mean is the exact sum (Shewchuk's error-free partials, as Python's
//! `math.fsum`) rounded once, then divided by the count; a quantile interpolates at
//! an exact position (`(n − 1) · p / 100` as an integer and a remainder) and, for
//! whole-number neighbours, divides the exact numerator by 100 once. The mean of
//! 10 000 values of 32 370 is 32 370, not 32 370.000000000004.

use super::chunk::{ScenarioStatus, SweepChunk};
use crate::error::Result;
use crate::tables::{sweep_summary_spec, Column, Table};

/// The `q` quantile (0 ≤ q ≤ 1) of sorted values by linear interpolation between
/// order statistics (numpy's default, Hyndman–Fan type 7); NaN when empty.
///
/// ```
/// use allocnet::sweep::quantile;
/// assert_eq!(quantile(&[1.0, 2.0, 3.0, 4.0], 0.5), 2.5);
/// assert_eq!(quantile(&[1.0, 2.0, 3.0, 4.0], 0.25), 1.75);
/// assert!(quantile(&[], 0.5).is_nan());
/// ```
pub fn quantile(sorted: &[f64], q: f64) -> f64 {
    match sorted.len() {
        0 => f64::NAN,
        n => {
            let h = (n - 1) as f64 * q;
            let lo = h.floor() as usize;
            let hi = (lo + 1).min(n - 1);
            sorted[lo] + (h - lo as f64) * (sorted[hi] - sorted[lo])
        }
    }
}

/// The quantiles the summary reports, in percent.
const PERCENTS: [u32; 5] = [5, 25, 50, 75, 95];

/// The `p` % quantile of sorted values, type 7 as [`quantile`], at the exact position
/// `(n − 1) · p / 100`; between two whole numbers (below 2^45 in magnitude) the
/// result is the exact value rounded once (e.g. 1.95 for 1 and 2 at 95 %).
fn quantile_percent(sorted: &[f64], p: u32) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let h = (sorted.len() as u128 - 1) * u128::from(p);
    let (lo, rest) = ((h / 100) as usize, (h % 100) as f64);
    let a = sorted[lo];
    if rest == 0.0 {
        return a;
    }
    let b = sorted[(lo + 1).min(sorted.len() - 1)];
    const WHOLE: f64 = (1u64 << 45) as f64;
    if a.fract() == 0.0 && b.fract() == 0.0 && a.abs() < WHOLE && b.abs() < WHOLE {
        // a·100 + rest·(b − a) is a whole number below 2^53: exact.
        (a * 100.0 + rest * (b - a)) / 100.0
    } else {
        a + rest * (b - a) / 100.0
    }
}

/// The sum of `values` rounded once (to nearest, ties to even) from the exact sum:
/// Shewchuk's partials (as Python's `math.fsum`). A sum beyond the f64 range gives the
/// plain sum (±infinity).
fn exact_sum(values: &[f64]) -> f64 {
    let mut partials: Vec<f64> = Vec::new();
    for &v in values {
        let mut x = v;
        let mut i = 0;
        for j in 0..partials.len() {
            let mut y = partials[j];
            if x.abs() < y.abs() {
                std::mem::swap(&mut x, &mut y);
            }
            let hi = x + y;
            let lo = y - (hi - x);
            if lo != 0.0 {
                partials[i] = lo;
                i += 1;
            }
            x = hi;
        }
        if !x.is_finite() {
            return values.iter().sum();
        }
        partials.truncate(i);
        partials.push(x);
    }
    round_partials(&partials)
}

/// The f64 nearest the exact sum of non-overlapping `partials` (ascending magnitude).
fn round_partials(partials: &[f64]) -> f64 {
    let Some((&top, rest)) = partials.split_last() else {
        return 0.0;
    };
    let (mut hi, mut lo) = (top, 0.0);
    let mut n = rest.len();
    while n > 0 {
        let (x, y) = (hi, rest[n - 1]);
        n -= 1;
        hi = x + y;
        lo = y - (hi - x);
        if lo != 0.0 {
            break;
        }
    }
    // Half-way case: the partials below decide the rounding direction.
    if n > 0 && ((lo < 0.0 && rest[n - 1] < 0.0) || (lo > 0.0 && rest[n - 1] > 0.0)) {
        let y = lo * 2.0;
        let x = hi + y;
        if y == x - hi {
            hi = x;
        }
    }
    hi
}

pub(crate) fn summary_table(chunk: &SweepChunk) -> Result<Table> {
    let m = chunk.columns.metrics.len();
    let mut counts = Vec::with_capacity(m);
    let mut means = Vec::with_capacity(m);
    let mut qs: Vec<Vec<f64>> = vec![Vec::with_capacity(m); PERCENTS.len()];
    for j in 0..m {
        let mut values: Vec<f64> = chunk
            .metrics
            .column(j)
            .iter()
            .zip(&chunk.status)
            .filter(|(x, s)| **s == ScenarioStatus::Ok && x.is_finite())
            .map(|(x, _)| *x)
            .collect();
        values.sort_by(f64::total_cmp);
        counts.push(values.len() as i64);
        // The exact sum: the same mean for any order or chunking.
        means.push(if values.is_empty() {
            f64::NAN
        } else {
            exact_sum(&values) / values.len() as f64
        });
        for (out, &p) in qs.iter_mut().zip(&PERCENTS) {
            out.push(quantile_percent(&values, p));
        }
    }
    let mut columns = vec![
        Column::text(chunk.columns.metrics.iter().map(String::as_str)),
        Column::Int(counts),
        Column::Float(means),
    ];
    columns.extend(qs.into_iter().map(Column::Float));
    Table::new(sweep_summary_spec(), columns)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn whole_numbers_give_no_float_noise() {
        let values = vec![32370.0; 10_000];
        assert_eq!(exact_sum(&values) / 10_000.0, 32370.0);
        // The plain sum of 0.1 ten times is 0.9999999999999999; the exact sum rounds once.
        assert_eq!(exact_sum(&[0.1; 10]), 1.0);
        assert_eq!(exact_sum(&[1e16, 1.0, -1e16]), 1.0);
        assert_eq!(exact_sum(&[]), 0.0);
        let xs: Vec<f64> = (0..21).map(f64::from).collect();
        assert_eq!(quantile_percent(&xs, 5), 1.0);
        assert_eq!(quantile_percent(&xs, 95), 19.0);
        assert_eq!(quantile_percent(&[1.0, 2.0], 95), 1.95);
        assert_eq!(quantile_percent(&[1.0, 2.0, 3.0, 4.0], 25), 1.75);
        assert!(quantile_percent(&[], 50).is_nan());
    }

    #[test]
    fn quantiles_agree_with_type_7_and_the_sum_is_exact() {
        // Against the f64 formula of `quantile` (within one rounding) and an i128 sum.
        let mut rng = crate::rng::SplitMix64::stream(5, 0, 0);
        for n in 1..60usize {
            let mut xs: Vec<f64> = (0..n).map(|_| (rng.next_u64() % 2001) as f64 - 1000.0).collect();
            xs.sort_by(f64::total_cmp);
            for p in PERCENTS {
                let (a, b) = (quantile_percent(&xs, p), quantile(&xs, f64::from(p) / 100.0));
                assert!((a - b).abs() <= 1e-9, "{n} {p}: {a} vs {b}");
            }
            let exact: i128 = xs.iter().map(|&x| x as i128).sum();
            assert_eq!(exact_sum(&xs), exact as f64);
        }
    }
}
