//! Drawing the parameters of scenario `k`.
//!
//! Scenario `k` is grid point `k / samples` and sample `k % samples` (the grids' values
//! in mixed radix, the first grid parameter slowest). Parameter `i` of sample `s` is
//! drawn from its own random stream, seeded by a hash of `(seed, s, i)` (SplitMix64),
//! so a draw depends only on the seed and the scenario, never on which scenarios ran
//! before or on which thread: any chunking or thread count gives the same table. Every
//! grid point sees the same draws of sample `s` (common random numbers), so grid
//! points are compared on the same demand scenarios.

use super::spec::{Parameter, Source, SweepSpec, Value};
use crate::rng::SplitMix64;

/// The values of one parameter in one scenario: one number per entity of its level
/// (one for `global`, one per item, county or site), or for a name the index into
/// its list of values.
pub(crate) type Draw = Vec<f64>;

/// The grid and sampling layout of a sweep.
#[derive(Clone, Debug)]
pub(crate) struct Layout {
    /// Samples per grid point (>= 1).
    pub samples: usize,
    /// Value count of each parameter's grid (0 for a sampled parameter).
    radix: Vec<usize>,
}

impl Layout {
    pub(crate) fn new(spec: &SweepSpec, samples: usize) -> Layout {
        let radix = spec
            .parameters
            .iter()
            .map(|p| match &p.source {
                Source::Grid(v) => v.len(),
                _ => 0,
            })
            .collect();
        Layout { samples, radix }
    }

    /// Sample index of scenario `k`.
    pub(crate) fn sample(&self, k: usize) -> usize {
        k % self.samples
    }

    /// The grid value index of each grid parameter for scenario `k` (0 for sampled
    /// parameters).
    pub(crate) fn grid_indices(&self, k: usize) -> Vec<usize> {
        let mut g = k / self.samples;
        let mut out = vec![0; self.radix.len()];
        for (i, &r) in self.radix.iter().enumerate().rev() {
            if r > 0 {
                out[i] = g % r;
                g /= r;
            }
        }
        out
    }
}

/// The random stream of parameter `param` in sample `sample`.
fn stream(seed: u64, sample: usize, param: usize) -> SplitMix64 {
    let hashed = SplitMix64::stream(seed, sample as u64 + 1, param as u64 + 1).next_u64();
    SplitMix64::new(hashed)
}

/// Draws every parameter of scenario `k`; `entities[i]` is the number of draws
/// parameter `i` needs (1 for `global`).
pub(crate) fn draw_scenario(spec: &SweepSpec, layout: &Layout, entities: &[usize], seed: u64, k: usize) -> Vec<Draw> {
    let grid = layout.grid_indices(k);
    let sample = layout.sample(k);
    spec.parameters
        .iter()
        .enumerate()
        .map(|(i, p)| match &p.source {
            Source::Grid(values) => vec![grid_value(p, values, grid[i])],
            source => {
                let mut rng = stream(seed, sample, i);
                (0..entities[i]).map(|_| draw(source, &mut rng)).collect()
            }
        })
        .collect()
}

/// A grid value as a number: the value itself, or the index of a name.
fn grid_value(p: &Parameter, values: &[Value], index: usize) -> f64 {
    match &values[index] {
        Value::Number(x) if !p.target.is_text() => *x,
        _ => index as f64,
    }
}

/// A standard normal draw (Box–Muller, the cosine branch; two uniforms per draw).
fn standard_normal(rng: &mut SplitMix64) -> f64 {
    let u1 = 1.0 - rng.unit(); // in (0, 1]
    let u2 = rng.unit();
    (-2.0 * u1.ln()).sqrt() * (std::f64::consts::TAU * u2).cos()
}

/// One draw of `source` (not a grid). A choice gives the index of its value for a
/// name, else the value.
pub(crate) fn draw(source: &Source, rng: &mut SplitMix64) -> f64 {
    match *source {
        Source::Grid(_) => f64::NAN,
        Source::Uniform { low, high } => rng.uniform(low, high),
        Source::Normal { mean, sd } => mean + sd * standard_normal(rng),
        Source::LogNormal { mu, sigma } => (mu + sigma * standard_normal(rng)).exp(),
        Source::Triangular { low, mode, high } => {
            let u = rng.unit();
            let cut = (mode - low) / (high - low);
            if u < cut {
                low + (u * (high - low) * (mode - low)).sqrt()
            } else {
                high - ((1.0 - u) * (high - low) * (high - mode)).sqrt()
            }
        }
        Source::Choice {
            ref values,
            ref weights,
        } => {
            let index = choose(values.len(), weights.as_deref(), rng.unit());
            match &values[index] {
                Value::Number(x) => *x,
                Value::Text(_) => index as f64,
            }
        }
        Source::Bernoulli { p, value } => {
            if rng.unit() < p {
                value
            } else {
                0.0
            }
        }
    }
}

/// The index picked by uniform `u` in [0, 1) with probabilities proportional to
/// `weights` (equal without).
fn choose(n: usize, weights: Option<&[f64]>, u: f64) -> usize {
    let Some(w) = weights else {
        return ((u * n as f64) as usize).min(n - 1);
    };
    let total: f64 = w.iter().sum();
    let mut acc = 0.0;
    let target = u * total;
    for (i, &x) in w.iter().enumerate() {
        acc += x;
        if target < acc && x > 0.0 {
            return i;
        }
    }
    w.iter().rposition(|&x| x > 0.0).unwrap_or(n - 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn moments(source: &Source, n: usize) -> (f64, f64) {
        let mut rng = stream(1, 0, 0);
        let xs: Vec<f64> = (0..n).map(|_| draw(source, &mut rng)).collect();
        let mean = xs.iter().sum::<f64>() / n as f64;
        let var = xs.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1) as f64;
        (mean, var)
    }

    #[test]
    fn distributions_have_their_moments() {
        let n = 200_000;
        let close = |(m, v): (f64, f64), (em, ev): (f64, f64)| {
            assert!((m - em).abs() < 0.01 * (1.0 + em.abs()), "mean {m} vs {em}");
            assert!((v - ev).abs() < 0.02 * (1.0 + ev), "variance {v} vs {ev}");
        };
        close(moments(&Source::Uniform { low: 2.0, high: 4.0 }, n), (3.0, 4.0 / 12.0));
        close(moments(&Source::Normal { mean: 1.0, sd: 0.5 }, n), (1.0, 0.25));
        let (mu, s): (f64, f64) = (0.1, 0.3);
        let lmean = (mu + s * s / 2.0).exp();
        let lvar = ((s * s).exp() - 1.0) * (2.0 * mu + s * s).exp();
        close(moments(&Source::LogNormal { mu, sigma: s }, n), (lmean, lvar));
        let (a, c, b) = (0.0, 1.0, 4.0);
        let tvar = (a * a + b * b + c * c - a * b - a * c - b * c) / 18.0;
        close(
            moments(
                &Source::Triangular {
                    low: a,
                    mode: c,
                    high: b,
                },
                n,
            ),
            ((a + b + c) / 3.0, tvar),
        );
        close(
            moments(&Source::Bernoulli { p: 0.2, value: 0.5 }, n),
            (0.1, 0.25 * 0.16),
        );
        let choice = Source::Choice {
            values: vec![Value::Number(1.0), Value::Number(2.0), Value::Number(3.0)],
            weights: Some(vec![1.0, 0.0, 3.0]),
        };
        close(moments(&choice, n), (2.5, 0.75));
    }

    #[test]
    fn zero_weights_are_never_chosen() {
        for i in 0..1000 {
            let u = f64::from(i) / 1000.0;
            assert_ne!(choose(3, Some(&[0.0, 1.0, 0.0]), u), 0);
            assert_eq!(choose(3, Some(&[0.0, 1.0, 0.0]), u), 1);
            assert!(choose(4, None, u) < 4);
        }
    }

    proptest::proptest! {
        /// Every (grid point, sample) pair is exactly one scenario.
        #[test]
        fn scenarios_cover_each_grid_point_and_sample_once(
            radix in proptest::collection::vec(0usize..4, 1..5),
            samples in 1usize..5,
        ) {
            let layout = Layout { samples, radix: radix.clone() };
            let points: usize = radix.iter().filter(|&&r| r > 0).product();
            let mut seen = std::collections::HashSet::new();
            for k in 0..points * samples {
                let g = layout.grid_indices(k);
                for (i, &r) in radix.iter().enumerate() {
                    let within = g[i] < r.max(1);
                    proptest::prop_assert!(within);
                }
                proptest::prop_assert!(seen.insert((g, layout.sample(k))));
            }
        }
    }

    #[test]
    fn the_grid_is_a_mixed_radix_with_the_first_parameter_slowest() {
        let layout = Layout {
            samples: 2,
            radix: vec![3, 0, 2],
        };
        assert_eq!(layout.grid_indices(0), [0, 0, 0]);
        assert_eq!(layout.grid_indices(2), [0, 0, 1]);
        assert_eq!(layout.grid_indices(4), [1, 0, 0]);
        assert_eq!(layout.grid_indices(11), [2, 0, 1]);
        assert_eq!(layout.sample(11), 1);
    }
}
