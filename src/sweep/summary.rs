//! The summary of a sweep: per metric the mean and quantiles over the ok scenarios.

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

/// The quantiles the summary reports.
const QUANTILES: [f64; 5] = [0.05, 0.25, 0.5, 0.75, 0.95];

pub(crate) fn summary_table(chunk: &SweepChunk) -> Result<Table> {
    let m = chunk.columns.metrics.len();
    let mut counts = Vec::with_capacity(m);
    let mut means = Vec::with_capacity(m);
    let mut qs: Vec<Vec<f64>> = vec![Vec::with_capacity(m); QUANTILES.len()];
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
        // Summed in sorted order: the same mean for any chunking.
        means.push(if values.is_empty() {
            f64::NAN
        } else {
            values.iter().sum::<f64>() / values.len() as f64
        });
        for (out, &q) in qs.iter_mut().zip(&QUANTILES) {
            out.push(quantile(&values, q));
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
