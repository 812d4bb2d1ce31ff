//! Exact largest-remainder apportionment: the one routine every whole-unit split in
//! allocnet uses (the county round's class shares, the national round's population and
//! proportional policies, the simulator's class split). Later callers use it too.
//!
//! The rule (Hamilton's method): part `i` of `total` has the exact quota
//! `total · wᵢ / Σw`; it gets the whole part of its quota, and the units left over go one
//! each to the largest remainders. **Equal remainders go to the earlier entry** (the
//! higher priority class, the earlier county in request order). Everything is integer
//! arithmetic on a common denominator (`u128`, with a 256-bit product where needed), so
//! equal remainders compare equal; a value that does not fit is an error, never a wrap.
//!
//! Weights read as floating point (shares from JSON or CSV) are taken as the decimal
//! they were written as: Rust's shortest round-trip formatting of the `f64` gives the
//! digits ([`Decimal::from_f64`]), and the decimals are scaled to integers over one
//! power of ten ([`decimal_weights`]). So `0.1 / 0.5 / 0.3 / 0.1` of 5 has the quotas
//! `0.5 / 2.5 / 1.5 / 0.5` exactly, and the tie rule gives `(1, 3, 1, 0)`.

use std::fmt;

/// Why a split could not be made.
#[derive(Clone, Debug, PartialEq)]
pub enum ApportionError {
    /// The total is negative.
    NegativeTotal(i64),
    /// Every weight is zero: there is nothing to split by.
    AllZero,
    /// Weight `index` is negative, NaN or infinite.
    BadWeight {
        /// Position of the weight.
        index: usize,
        /// The weight.
        value: f64,
    },
    /// Weight `index` cannot be scaled to the weights' common integer denominator in
    /// 128 bits (its decimal digits lie too far from the others', e.g. 0.5 and 1e-40).
    TooManyDigits {
        /// Position of the weight.
        index: usize,
        /// The weight.
        value: f64,
    },
}

impl fmt::Display for ApportionError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ApportionError::NegativeTotal(t) => write!(f, "the total to split must be >= 0, got {t}"),
            ApportionError::AllZero => write!(f, "every weight is zero: nothing to split by"),
            ApportionError::BadWeight { index, value } => {
                write!(f, "weight {index} must be a finite number >= 0, got {value}")
            }
            ApportionError::TooManyDigits { index, value } => write!(
                f,
                "weight {index} ({value}) and the other weights lie too far apart to share one \
                 128-bit denominator (e.g. 0.5 and 1e-40)"
            ),
        }
    }
}

impl std::error::Error for ApportionError {}

/// A finite `f64` as the exact decimal `mantissa × 10^exponent` that Rust's shortest
/// round-trip formatting prints for it: the number as it was written in JSON or CSV
/// (up to 17 significant digits).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Decimal {
    /// Signed digits, at most 17 of them.
    pub mantissa: i64,
    /// Power of ten.
    pub exponent: i32,
}

impl Decimal {
    /// The decimal of `x`; `None` for NaN or an infinity.
    ///
    /// ```
    /// use allocnet::apportion::Decimal;
    /// assert_eq!(Decimal::from_f64(0.1), Some(Decimal { mantissa: 1, exponent: -1 }));
    /// assert_eq!(Decimal::from_f64(1e9), Some(Decimal { mantissa: 1, exponent: 9 }));
    /// assert_eq!(Decimal::from_f64(-2.75), Some(Decimal { mantissa: -275, exponent: -2 }));
    /// ```
    pub fn from_f64(x: f64) -> Option<Decimal> {
        if !x.is_finite() {
            return None;
        }
        if x == 0.0 {
            return Some(Decimal {
                mantissa: 0,
                exponent: 0,
            });
        }
        short_decimal(x).or_else(|| formatted_decimal(x))
    }
}

/// `10^k` for `k` in `0..=22`: every one is exact in `f64`.
const POW10_F64: [f64; 23] = [
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20,
    1e21, 1e22,
];

/// The fast route of [`Decimal::from_f64`], without formatting: the fewest decimal
/// places `k <= 17` at which an integer `m < 2^53` has `m / 10^k == x` (both exact in
/// `f64`, so the division rounds as parsing `"m e-k"` does). It answers only when that
/// `m` is the one integer at scale `k` that reads back as `x`: then it is the shortest
/// round-trip decimal, the one formatting prints. Otherwise `None` (the caller formats).
///
/// A scale is passed over without dividing when `y = x·10^k` (rounded) lies more than
/// two units in its last place from the nearest integer `m`, for a normal `x`: no
/// integer then reads back as `x`, so the divisions would find none. (An integer `c`
/// with `c / 10^k == x` has `|c − x·10^k| <= 10^k · ulp(x) / 2 < ulp(x·10^k)`, and
/// `|x·10^k − y| <= ulp(y) / 2`, so `|c − y| < 1.5 · ulp(y)`; `|y − m|` is exact, and
/// every other integer lies farther from `y` than `m`.)
fn short_decimal(x: f64) -> Option<Decimal> {
    const EXACT: f64 = 9_007_199_254_740_992.0; // 2^53
    let normal = x.is_normal();
    for (k, &p) in POW10_F64.iter().enumerate().take(18) {
        let y = x * p;
        let m = y.round();
        if m.abs() + 1.0 >= EXACT {
            return None;
        }
        if normal && (y - m).abs() > 2.0 * ulp(y) {
            continue;
        }
        let mut found = [m - 1.0, m, m + 1.0].into_iter().filter(|&c| c / p == x);
        match (found.next(), found.next()) {
            (None, _) => continue,
            (Some(m), None) => {
                let (mut mantissa, mut exponent) = (m as i64, -(k as i32));
                while mantissa % 10 == 0 {
                    mantissa /= 10;
                    exponent += 1;
                }
                return Some(Decimal { mantissa, exponent });
            }
            (Some(_), Some(_)) => return None,
        }
    }
    None
}

/// The distance from the finite normal `y` to the next larger `f64` in magnitude:
/// `2^(e − 52)` for `y` in `[2^e, 2^(e+1))`, a power of two (exact).
fn ulp(y: f64) -> f64 {
    const EXPONENT: u64 = 0x7ff0_0000_0000_0000;
    // 2^e times 2^-52 (exact: a power of two, at least 2^-1074 for a normal `y`).
    f64::from_bits(y.to_bits() & EXPONENT) * f64::EPSILON
}

/// The route of [`Decimal::from_f64`] for every `f64`: Rust's shortest round-trip
/// formatting (`{:e}`, e.g. `"-1.2345e-7"`), written into a buffer on the stack (no
/// allocation) and read back as digits and exponent.
fn formatted_decimal(x: f64) -> Option<Decimal> {
    use std::fmt::Write as _;
    let mut buf = StackText::default();
    write!(buf, "{x:e}").ok()?;
    let text = std::str::from_utf8(&buf.bytes[..buf.len]).ok()?;
    let (digits, exp) = text.split_once('e')?;
    let exp: i32 = exp.parse().ok()?;
    let (negative, digits) = match digits.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, digits),
    };
    let (int, frac) = digits.split_once('.').unwrap_or((digits, ""));
    let mut mantissa: i64 = 0;
    for b in int.bytes().chain(frac.bytes()) {
        if !b.is_ascii_digit() {
            return None;
        }
        mantissa = mantissa.checked_mul(10)?.checked_add(i64::from(b - b'0'))?;
    }
    if negative {
        mantissa = -mantissa;
    }
    let exponent = exp.checked_sub(i32::try_from(frac.len()).ok()?)?;
    Some(Decimal { mantissa, exponent })
}

/// A short text written on the stack: `{:e}` of an `f64` is at most 24 bytes
/// (`"-2.2250738585072014e-308"`); longer text is an error.
#[derive(Default)]
struct StackText {
    bytes: [u8; 32],
    len: usize,
}

impl std::fmt::Write for StackText {
    fn write_str(&mut self, s: &str) -> std::fmt::Result {
        let end = self.len + s.len();
        let slot = self.bytes.get_mut(self.len..end).ok_or(std::fmt::Error)?;
        slot.copy_from_slice(s.as_bytes());
        self.len = end;
        Ok(())
    }
}

/// `10^k` in `u128`, if it fits (`k <= 38`).
pub(crate) fn pow10(k: u32) -> Option<u128> {
    10u128.checked_pow(k)
}

/// Non-negative `f64` weights as integers over one common power of ten, each the exact
/// decimal it was written as ([`Decimal::from_f64`]): `[0.1, 0.25]` → `[10, 25]`.
///
/// ```
/// use allocnet::apportion::decimal_weights;
/// assert_eq!(decimal_weights(&[0.1, 0.25, 2.0]).unwrap(), vec![10, 25, 200]);
/// assert!(decimal_weights(&[0.5, 1e-300]).is_err()); // too many digits apart
/// ```
pub fn decimal_weights(weights: &[f64]) -> Result<Vec<u128>, ApportionError> {
    let mut decimals = Vec::with_capacity(weights.len());
    for (index, &value) in weights.iter().enumerate() {
        match Decimal::from_f64(value) {
            Some(d) if d.mantissa >= 0 && value >= 0.0 => decimals.push(d),
            _ => return Err(ApportionError::BadWeight { index, value }),
        }
    }
    let base = decimals
        .iter()
        .filter(|d| d.mantissa > 0)
        .map(|d| d.exponent)
        .min()
        .unwrap_or(0);
    let mut sum: u128 = 0;
    let mut out = Vec::with_capacity(weights.len());
    for (index, d) in decimals.iter().enumerate() {
        let scaled = if d.mantissa == 0 {
            Some(0)
        } else {
            u32::try_from(d.exponent - base)
                .ok()
                .and_then(pow10)
                .and_then(|p| p.checked_mul(d.mantissa as u128))
        };
        match scaled.and_then(|s| sum.checked_add(s).map(|t| (s, t))) {
            Some((s, t)) => {
                out.push(s);
                sum = t;
            }
            None => {
                return Err(ApportionError::TooManyDigits {
                    index,
                    value: weights[index],
                })
            }
        }
    }
    Ok(out)
}

/// `(a·b / d, a·b mod d)` for `a < 2^64` and `b <= d`, exact (a 256-bit product when
/// `a·b` does not fit in `u128`). The quotient is at most `a`.
fn mul_div_rem(a: u128, b: u128, d: u128) -> (u128, u128) {
    if let Some(p) = a.checked_mul(b) {
        return (p / d, p % d);
    }
    const LOW: u128 = (1 << 64) - 1;
    let (p_lo, p_hi) = (a * (b & LOW), a * (b >> 64));
    let (lo, carry) = p_lo.overflowing_add(p_hi << 64);
    let hi = (p_hi >> 64) + u128::from(carry);
    let (mut q, mut rem) = (0u128, 0u128);
    for i in (0..256u32).rev() {
        let bit = if i >= 128 { (hi >> (i - 128)) & 1 } else { (lo >> i) & 1 };
        let top = rem >> 127;
        rem = (rem << 1) | bit;
        q <<= 1;
        if top == 1 || rem >= d {
            rem = rem.wrapping_sub(d);
            q |= 1;
        }
    }
    (q, rem)
}

/// Splits `total` whole units in proportion to the integer `weights` by the largest
/// remainder, exactly; equal remainders go to the earlier entry. The parts sum to
/// `total`.
///
/// ```
/// use allocnet::apportion::largest_remainder;
/// // Populations 400 000, 400 000, 100 000 and 3 units: quotas 4/3, 4/3, 1/3 — a
/// // three-way tie for the last unit, which goes to the earliest entry.
/// assert_eq!(largest_remainder(3, &[400_000, 400_000, 100_000]).unwrap(), vec![2, 1, 0]);
/// assert_eq!(largest_remainder(10, &[5, 3, 2]).unwrap(), vec![5, 3, 2]);
/// assert!(largest_remainder(1, &[0, 0]).is_err());
/// ```
pub fn largest_remainder(total: i64, weights: &[u128]) -> Result<Vec<i64>, ApportionError> {
    let mut parts = vec![0i64; weights.len()];
    largest_remainder_into(total, weights, &mut parts)?;
    Ok(parts)
}

/// Remainders sorted on the stack up to this many weights (a round's priority
/// classes); more go to the heap.
const STACK_WEIGHTS: usize = 8;

/// [`largest_remainder`] written into `parts` (one per weight; every entry is
/// overwritten when it returns `Ok`), without allocating for up to
/// [`STACK_WEIGHTS`] weights. On an error `parts` is left unspecified.
pub(crate) fn largest_remainder_into(total: i64, weights: &[u128], parts: &mut [i64]) -> Result<(), ApportionError> {
    debug_assert_eq!(parts.len(), weights.len());
    if total < 0 {
        return Err(ApportionError::NegativeTotal(total));
    }
    let mut sum: u128 = 0;
    for (index, &w) in weights.iter().enumerate() {
        sum = sum
            .checked_add(w)
            .ok_or(ApportionError::TooManyDigits { index, value: w as f64 })?;
    }
    if sum == 0 {
        return if total == 0 {
            parts.fill(0);
            Ok(())
        } else {
            Err(ApportionError::AllZero)
        };
    }
    let t = total as u128;
    let mut on_stack = [(0u128, 0usize); STACK_WEIGHTS];
    let mut on_heap = Vec::new();
    let order: &mut [(u128, usize)] = if weights.len() <= STACK_WEIGHTS {
        &mut on_stack[..weights.len()]
    } else {
        on_heap.resize(weights.len(), (0u128, 0usize));
        &mut on_heap
    };
    let mut assigned: u128 = 0;
    for (i, &w) in weights.iter().enumerate() {
        let (q, r) = mul_div_rem(t, w, sum);
        assigned += q;
        parts[i] = q as i64;
        order[i] = (r, i);
    }
    // Largest remainder first; equal remainders to the earlier entry (the entries are
    // distinct, so the order is total and any sort gives the same one).
    order.sort_unstable_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    let left = (t - assigned) as usize;
    for &(_, i) in order.iter().take(left) {
        parts[i] += 1;
    }
    Ok(())
}

/// [`largest_remainder`] with `f64` weights taken as the decimals they were written as
/// ([`decimal_weights`]).
///
/// ```
/// use allocnet::apportion::largest_remainder_decimal;
/// // Quotas 0.5 / 2.5 / 1.5 / 0.5: every remainder ties, the earlier entries win.
/// assert_eq!(largest_remainder_decimal(5, &[0.1, 0.5, 0.3, 0.1]).unwrap(), vec![1, 3, 1, 0]);
/// ```
pub fn largest_remainder_decimal(total: i64, weights: &[f64]) -> Result<Vec<i64>, ApportionError> {
    largest_remainder(total, &decimal_weights(weights)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The fast route answers exactly as formatting does, or not at all: written
    /// decimals of every scale, whole numbers, and arbitrary bit patterns.
    #[test]
    fn short_decimal_agrees_with_formatting() {
        let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
        let mut next = || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        let mut answered = 0;
        for n in 0..200_000 {
            let r = next();
            let x = match n % 4 {
                0 => (r % 1_000_000_007) as f64 / POW10_F64[(r >> 40) as usize % 18],
                1 => -((r % 10_000) as f64) / POW10_F64[(r >> 40) as usize % 6],
                2 => (r >> 11) as f64,
                _ => f64::from_bits(r),
            };
            if !x.is_finite() || x == 0.0 {
                continue;
            }
            if let Some(d) = short_decimal(x) {
                answered += 1;
                assert_eq!(Some(d), formatted_decimal(x), "{x:e}");
            }
        }
        assert!(answered > 100_000, "the fast route answered only {answered} times");
    }

    /// `short_decimal` before it passed over scales without dividing.
    fn short_decimal_dividing_every_scale(x: f64) -> Option<Decimal> {
        const EXACT: f64 = 9_007_199_254_740_992.0;
        for (k, &p) in POW10_F64.iter().enumerate().take(18) {
            let m = (x * p).round();
            if m.abs() + 1.0 >= EXACT {
                return None;
            }
            let mut found = [m - 1.0, m, m + 1.0].into_iter().filter(|&c| c / p == x);
            match (found.next(), found.next()) {
                (None, _) => continue,
                (Some(m), None) => {
                    let (mut mantissa, mut exponent) = (m as i64, -(k as i32));
                    while mantissa % 10 == 0 {
                        mantissa /= 10;
                        exponent += 1;
                    }
                    return Some(Decimal { mantissa, exponent });
                }
                (Some(_), Some(_)) => return None,
            }
        }
        None
    }

    /// Passing over scales far from an integer changes no answer: written decimals
    /// of every scale, products of drawn multipliers (a sweep's consumption), whole
    /// numbers, extremes and arbitrary bit patterns.
    #[test]
    fn passing_over_scales_changes_no_answer() {
        let mut state: u64 = 0x2545_f491_4f6c_dd1d;
        let mut next = || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        let unit = |r: u64| (r >> 11) as f64 / (1u64 << 53) as f64;
        for n in 0..400_000 {
            let r = next();
            let x = match n % 5 {
                0 => (r % 1_000_000_007) as f64 / POW10_F64[(r >> 40) as usize % 18],
                1 => -((r % 10_000) as f64) / POW10_F64[(r >> 40) as usize % 6],
                2 => (r % 100_000) as f64 / 10.0 * (0.5 + unit(r.rotate_left(17))) * (0.8 + unit(r.rotate_left(31))),
                3 => (r >> 11) as f64,
                _ => f64::from_bits(r),
            };
            // Zero is `from_f64`'s own case (both routes would loop on its mantissa).
            if x.is_finite() && x != 0.0 {
                assert_eq!(short_decimal(x), short_decimal_dividing_every_scale(x), "{x:e}");
            }
        }
        for x in [
            f64::MIN_POSITIVE,
            5e-324,
            f64::MAX,
            0.1,
            0.3,
            118.6,
            1e22,
            9_007_199_254_740_991.0,
            0.1 + 0.2,
        ] {
            assert_eq!(short_decimal(x), short_decimal_dividing_every_scale(x), "{x:e}");
            assert_eq!(short_decimal(-x), short_decimal_dividing_every_scale(-x), "{x:e}");
        }
    }

    /// The route before the stack buffer: format, concatenate, parse.
    fn formatted_by_strings(x: f64) -> Option<Decimal> {
        let text = format!("{x:e}");
        let (digits, exp) = text.split_once('e')?;
        let exp: i32 = exp.parse().ok()?;
        let (int, frac) = digits.split_once('.').unwrap_or((digits, ""));
        let mantissa: i64 = format!("{int}{frac}").parse().ok()?;
        let exponent = exp.checked_sub(i32::try_from(frac.len()).ok()?)?;
        Some(Decimal { mantissa, exponent })
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig { cases: 20_000, ..Default::default() })]
        /// Reading `{:e}` from the stack gives the decimal the string route gives, for
        /// any bit pattern (subnormals, extremes, negative zero included).
        #[test]
        fn stack_formatting_agrees_with_strings(bits in proptest::prelude::any::<u64>()) {
            let x = f64::from_bits(bits);
            if x.is_finite() {
                proptest::prop_assert_eq!(formatted_decimal(x), formatted_by_strings(x));
            }
        }
    }

    #[test]
    fn stack_formatting_of_extremes() {
        for x in [
            f64::MIN_POSITIVE,
            -f64::MIN_POSITIVE,
            5e-324,
            -5e-324,
            f64::MAX,
            f64::MIN,
            -0.0,
            1.0,
            -2.5e-7,
        ] {
            assert_eq!(formatted_decimal(x), formatted_by_strings(x), "{x:e}");
        }
    }

    #[test]
    fn wide_product_is_exact() {
        // 2^63 · 2^127 = (2^63 − 1)(2^127 + 1) + (2^127 − 2^63 + 1).
        let (a, b, d) = (1u128 << 63, 1u128 << 127, (1u128 << 127) + 1);
        assert_eq!(mul_div_rem(a, b, d), ((1 << 63) - 1, (1 << 127) - (1 << 63) + 1));
        assert_eq!(
            mul_div_rem(u64::MAX as u128, u128::MAX, u128::MAX),
            (u64::MAX as u128, 0)
        );
        assert_eq!(mul_div_rem(3, u128::MAX - 1, u128::MAX), (2, u128::MAX - 3));
    }

    #[test]
    fn decimal_of_written_numbers() {
        let d = |m, e| {
            Some(Decimal {
                mantissa: m,
                exponent: e,
            })
        };
        assert_eq!(Decimal::from_f64(0.3), d(3, -1));
        assert_eq!(Decimal::from_f64(0.1 + 0.2), d(30000000000000004, -17));
        assert_eq!(Decimal::from_f64(12.5), d(125, -1));
        assert_eq!(Decimal::from_f64(1e-300), d(1, -300));
        assert_eq!(Decimal::from_f64(f64::NAN), None);
    }

    #[test]
    fn huge_totals_do_not_wrap() {
        let parts = largest_remainder(i64::MAX, &[u128::MAX / 4, u128::MAX / 4, 1]).unwrap();
        assert_eq!(parts.iter().map(|&p| p as i128).sum::<i128>(), i64::MAX as i128);
        assert_eq!(parts[0], parts[1] + 1); // an exact tie, to the earlier entry
    }
}
