//! Seeded pseudo-random numbers for the synthetic generators (no dependency): the same
//! seed gives the same numbers on every platform and version, so every generated
//! scenario and instance is reproducible bit for bit.
//!
//! * [`SplitMix64`]: small and well mixed; the synthetic scenarios draw one stream per
//!   purpose ([`SplitMix64::stream`]).
//! * [`Xoshiro256StarStar`]: the long-period generator of the DIMACS instance
//!   generator ([`crate::flow::generate`]), seeded through SplitMix64.

/// The golden-ratio increment of SplitMix64 (also used to spread stream numbers).
const GOLDEN_GAMMA: u64 = 0x9E37_79B9_7F4A_7C15;

/// SplitMix64 (Steele, Lea and Flood; Vigna's reference code).
#[derive(Clone, Debug)]
pub(crate) struct SplitMix64(u64);

impl SplitMix64 {
    /// The generator with state `state`.
    pub(crate) fn new(state: u64) -> Self {
        Self(state)
    }

    /// The stream `(a, b)` of `seed`: state `seed ^ a·γ ^ b·c` (γ the golden-ratio
    /// increment, `c` = 0xC2B2AE3D27D4EB4F), so that streams of one seed differ.
    pub(crate) fn stream(seed: u64, a: u64, b: u64) -> Self {
        Self(seed ^ a.wrapping_mul(GOLDEN_GAMMA) ^ b.wrapping_mul(0xC2B2_AE3D_27D4_EB4F))
    }

    /// The next 64 random bits.
    pub(crate) fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(GOLDEN_GAMMA);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `[0, 1)` (53 random bits).
    pub(crate) fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    /// Uniform in `[lo, hi)`: `lo + (hi − lo)·unit`.
    pub(crate) fn uniform(&mut self, lo: f64, hi: f64) -> f64 {
        lo + (hi - lo) * self.unit()
    }
}

/// xoshiro256** (Blackman and Vigna), its state seeded by four SplitMix64 outputs.
#[derive(Clone, Debug)]
pub(crate) struct Xoshiro256StarStar {
    state: [u64; 4],
}

impl Xoshiro256StarStar {
    /// The generator seeded with `seed` (through SplitMix64).
    pub(crate) fn new(seed: u64) -> Self {
        let mut splitmix = SplitMix64::new(seed);
        Self {
            state: [
                splitmix.next_u64(),
                splitmix.next_u64(),
                splitmix.next_u64(),
                splitmix.next_u64(),
            ],
        }
    }

    /// The next 64 random bits.
    pub(crate) fn next_u64(&mut self) -> u64 {
        let s = &mut self.state;
        let result = s[1].wrapping_mul(5).rotate_left(7).wrapping_mul(9);
        let t = s[1] << 17;
        s[2] ^= s[0];
        s[3] ^= s[1];
        s[1] ^= s[2];
        s[0] ^= s[3];
        s[2] ^= t;
        s[3] = s[3].rotate_left(45);
        result
    }

    /// Uniform in `0..n` (`n ≥ 1`), unbiased (Lemire's multiply-and-reject).
    pub(crate) fn below(&mut self, n: u64) -> u64 {
        let mut product = u128::from(self.next_u64()) * u128::from(n);
        if (product as u64) < n {
            let threshold = n.wrapping_neg() % n;
            while (product as u64) < threshold {
                product = u128::from(self.next_u64()) * u128::from(n);
            }
        }
        (product >> 64) as u64
    }

    /// Uniform in `0..n` (`n ≥ 1`).
    pub(crate) fn index(&mut self, n: usize) -> usize {
        self.below(n as u64) as usize
    }

    /// Uniform in `lo..=hi` (`lo ≤ hi`).
    pub(crate) fn range(&mut self, lo: i64, hi: i64) -> i64 {
        let span = (i128::from(hi) - i128::from(lo)) as u128 + 1;
        if span > u128::from(u64::MAX) {
            return self.next_u64() as i64; // the whole i64 range
        }
        (i128::from(lo) + i128::from(self.below(span as u64))) as i64
    }

    /// True with probability `percent`/100.
    pub(crate) fn percent(&mut self, percent: u32) -> bool {
        self.below(100) < u64::from(percent)
    }

    /// Fisher–Yates shuffle.
    pub(crate) fn shuffle<T>(&mut self, values: &mut [T]) {
        for i in (1..values.len()).rev() {
            values.swap(i, self.index(i + 1));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splitmix64_matches_reference_values() {
        // First outputs of SplitMix64 seeded with 0 (as in Vigna's reference code).
        let mut rng = SplitMix64::new(0);
        assert_eq!(rng.next_u64(), 0xE220_A839_7B1D_CDAF);
        assert_eq!(rng.next_u64(), 0x6E78_9E6A_A1B9_65F4);
        assert_eq!(rng.next_u64(), 0x06C4_5D18_8009_454F);
    }

    #[test]
    fn xoshiro256starstar_matches_reference_values() {
        // The reference implementation's first outputs from the state [1, 2, 3, 4].
        let mut rng = Xoshiro256StarStar { state: [1, 2, 3, 4] };
        let expected = [
            11520,
            0,
            1509978240,
            1215971899390074240,
            1216172134540287360,
            607988272756665600,
        ];
        for value in expected {
            assert_eq!(rng.next_u64(), value);
        }
    }

    #[test]
    fn streams_of_one_seed_differ_and_repeat() {
        let draw = |a, b| SplitMix64::stream(7, a, b).next_u64();
        assert_ne!(draw(1, 0), draw(2, 0));
        assert_ne!(draw(1, 1), draw(1, 2));
        assert_eq!(draw(3, 4), draw(3, 4));
        let u = SplitMix64::new(1).uniform(2.0, 3.0);
        assert!((2.0..3.0).contains(&u));
    }
}
