//! Exact whole-unit arithmetic, checked against separately written references:
//! largest-remainder splits with ties built on purpose (every policy that rounds), and
//! need derivation against the quadratic definition and exact rationals.

use allocnet::apportion::{largest_remainder, largest_remainder_decimal};
use allocnet::model::{need_units, shortfall_requirement, split_by_weights, Delivery, Scenario};
use allocnet::process::national_round::{population_shares, proportional_shares};
use proptest::prelude::*;

/// Hamilton's method by brute force: among all ways to give the `left` extra units to
/// distinct entries, keep those where no entry left out has a larger remainder than one
/// chosen (remainders compared as exact fractions over the same denominator), and of
/// those the one whose chosen indices are lexicographically smallest (the earlier
/// entry wins a tie).
fn reference_split(total: i64, weights: &[u64]) -> Vec<i64> {
    let n = weights.len();
    let sum: u128 = weights.iter().map(|&w| u128::from(w)).sum();
    let t = total as u128;
    let floors: Vec<u128> = weights.iter().map(|&w| t * u128::from(w) / sum).collect();
    let rems: Vec<u128> = weights.iter().map(|&w| t * u128::from(w) % sum).collect();
    let left = (t - floors.iter().sum::<u128>()) as u32;
    let mut best: Option<Vec<usize>> = None;
    for mask in 0u32..(1 << n) {
        if mask.count_ones() != left {
            continue;
        }
        let chosen: Vec<usize> = (0..n).filter(|i| mask & (1 << i) != 0).collect();
        let fair = chosen
            .iter()
            .all(|&i| (0..n).filter(|j| mask & (1 << j) == 0).all(|j| rems[j] <= rems[i]));
        if fair && best.as_ref().is_none_or(|b| chosen < *b) {
            best = Some(chosen);
        }
    }
    let mut parts: Vec<i64> = floors.iter().map(|&f| f as i64).collect();
    for i in best.expect("some fair choice exists") {
        parts[i] += 1;
    }
    parts
}

/// Weights with chosen remainders: entry i's quota is `aᵢ + rᵢ/den` with `rᵢ` drawn
/// from a few values (so remainders tie often), the last `r` adjusted so the quotas add
/// up to a whole total. Returns (total, weights).
fn tied_case(whole: &[u64], rem_pick: &[usize], den: u64) -> (i64, Vec<u64>) {
    let choices = [0, den / 2, den / 3, den / 4, 1];
    let mut rems: Vec<u64> = rem_pick.iter().map(|&k| choices[k % choices.len()]).collect();
    let n = rems.len();
    let partial: u64 = rems[..n - 1].iter().sum();
    rems[n - 1] = (den - partial % den) % den;
    let weights: Vec<u64> = whole.iter().zip(&rems).map(|(&a, &r)| a * den + r).collect();
    let total = weights.iter().sum::<u64>() / den;
    (total as i64, weights)
}

fn tied_strategy() -> impl Strategy<Value = (i64, Vec<u64>)> {
    (2usize..7, 2u64..13).prop_flat_map(|(n, den)| {
        (
            prop::collection::vec(0u64..6, n),
            prop::collection::vec(0usize..5, n),
            Just(den),
        )
            .prop_map(|(whole, picks, den)| tied_case(&whole, &picks, den))
            .prop_filter("something to split", |(_, w)| w.iter().any(|&x| x > 0))
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn apportion_matches_brute_force_on_built_ties((total, weights) in tied_strategy()) {
        let wide: Vec<u128> = weights.iter().map(|&w| u128::from(w)).collect();
        prop_assert_eq!(largest_remainder(total, &wide).unwrap(), reference_split(total, &weights));
    }

    #[test]
    fn population_policy_follows_the_tie_rule((total, weights) in tied_strategy()) {
        // Requests above every share: one round of the split, no caps.
        let requests = vec![total + 1; weights.len()];
        let populations: Vec<i64> = weights.iter().map(|&w| w as i64).collect();
        prop_assert_eq!(
            population_shares(total, &requests, &populations),
            reference_split(total, &weights)
        );
    }

    #[test]
    fn proportional_policy_follows_the_tie_rule((total, weights) in tied_strategy()) {
        let requests: Vec<i64> = weights.iter().map(|&w| w as i64).collect();
        prop_assert_eq!(proportional_shares(total, &requests), reference_split(total, &weights));
    }

    #[test]
    fn share_split_follows_the_tie_rule((total, weights) in tied_strategy(), places in 1u32..4) {
        // The same weights written as decimal shares with `places` decimals (e.g.
        // 0.25), as a JSON file would give them.
        let scale = 10f64.powi(places as i32);
        let shares: Vec<f64> = weights.iter().map(|&w| w as f64 / scale).collect();
        let expected = reference_split(total, &weights);
        prop_assert_eq!(largest_remainder_decimal(total, &shares).unwrap(), expected.clone());
        prop_assert_eq!(split_by_weights(total, &shares), expected);
    }
}

/// The population policy as documented: split what is left over the counties below
/// their request (equally when their populations are all 0), cap, repeat.
fn reference_population(available: i64, requests: &[i64], populations: &[u64]) -> Vec<i64> {
    let mut shares = vec![0i64; requests.len()];
    let mut left = available.min(requests.iter().sum());
    while left > 0 {
        let open: Vec<usize> = (0..requests.len()).filter(|&i| shares[i] < requests[i]).collect();
        let mut weights: Vec<u64> = open.iter().map(|&i| populations[i]).collect();
        if weights.iter().all(|&w| w == 0) {
            weights = vec![1; open.len()];
        }
        let split = reference_split(left, &weights);
        for (j, &i) in open.iter().enumerate() {
            let give = split[j].min(requests[i] - shares[i]);
            shares[i] += give;
            left -= give;
        }
    }
    shares
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn capped_population_policy_matches_the_documented_loop(
        (total, weights) in tied_strategy(),
        caps in prop::collection::vec(0i64..8, 6),
    ) {
        let requests: Vec<i64> = caps[..weights.len()].to_vec();
        let populations: Vec<i64> = weights.iter().map(|&w| w as i64).collect();
        prop_assert_eq!(
            population_shares(total, &requests, &populations),
            reference_population(total, &requests, &weights)
        );
    }
}

#[test]
fn county_share_split_in_a_scenario_breaks_ties_to_the_higher_class() {
    // Acute need 5 split 0.1 / 0.5 / 0.3 / 0.1 over four classes -> (1, 3, 1, 0).
    let text = r#"{
      "name": "ties", "synthetic": true,
      "priority_classes": [{"id": "a", "name": "A"}, {"id": "b", "name": "B"},
                           {"id": "c", "name": "C"}, {"id": "d", "name": "D"}],
      "items": [{"id": "mask", "name": "Mask", "unit": "pieces"}],
      "sites": [{"id": "s", "name": "S", "kind": "municipality", "county": "19",
                 "lat": 59.6, "lon": 16.5}],
      "status": [{"site": "s", "item": "mask", "stock": 0, "consumption_per_day": 0,
                  "acute_need": 5, "planning_need": 5,
                  "split": {"shares": [{"class": "a", "share": 0.1}, {"class": "b", "share": 0.5},
                                       {"class": "c", "share": 0.3}, {"class": "d", "share": 0.1}]}}]
    }"#;
    let scenario: Scenario = serde_json::from_str(text).unwrap();
    let resolved = scenario.resolve().unwrap();
    assert_eq!(resolved.profile(0, 0).acute, vec![1, 3, 1, 0]);
}

/// The requirement as first defined: for every candidate day, sum the deliveries before
/// it again (quadratic).
fn quadratic_requirement(c: f64, deliveries: &[Delivery], window: f64) -> f64 {
    let mut worst = 0.0f64;
    let mut candidates: Vec<f64> = deliveries
        .iter()
        .map(|d| d.day)
        .filter(|&d| d > 0.0 && d <= window)
        .collect();
    candidates.push(window);
    for tau in candidates {
        let before: i64 = deliveries.iter().filter(|d| d.day < tau).map(|d| d.quantity).sum();
        worst = worst.max(c * tau - before as f64);
    }
    worst
}

/// The needs in exact integers: consumption `ci/10` per day, delivery days `ti/4`,
/// acute window `hours`, horizon `days`, reserve `half_days/2`. Everything in hours
/// over the denominator 240 (10 × 24): `c·τ = ci·τ_hours / 240`.
fn reference_units(ci: i64, deliveries: &[(i64, i64)], hours: i64, days: i64, half_days: i64) -> [i64; 3] {
    let req = |window_h: i64| -> i64 {
        // Numerator over 240 of max(0, max_τ c·τ − D(τ)).
        let mut taus: Vec<i64> = deliveries
            .iter()
            .map(|&(ti, _)| ti * 6)
            .filter(|&h| h > 0 && h <= window_h)
            .collect();
        taus.push(window_h);
        taus.iter()
            .map(|&h| {
                let before: i64 = deliveries.iter().filter(|&&(ti, _)| ti * 6 < h).map(|d| d.1).sum();
                ci * h - 240 * before
            })
            .fold(0, i64::max)
    };
    let ceil240 = |num: i64| (num + 239).div_euclid(240);
    let acute = req(hours);
    [
        ceil240(acute),
        ceil240(req(days * 24)),
        ceil240(acute + ci * half_days * 12),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn sorted_requirement_equals_the_quadratic_definition(
        c in 0u32..2000,
        raw in prop::collection::vec((0u32..40, 0i64..500), 0..30),
        window in 1u32..20,
    ) {
        // Integer days and consumption: every value is exact in f64, so the two
        // definitions must agree to the bit.
        let deliveries: Vec<Delivery> = raw.iter().map(|&(d, q)| Delivery { day: f64::from(d), quantity: q }).collect();
        prop_assert_eq!(
            shortfall_requirement(f64::from(c), &deliveries, f64::from(window)),
            quadratic_requirement(f64::from(c), &deliveries, f64::from(window))
        );
    }

    #[test]
    fn need_units_are_the_exact_ceilings(
        ci in 0i64..100_000,
        raw in prop::collection::vec((0i64..60, 0i64..3000), 0..20),
        hours in 1i64..100,
        extra_days in 0i64..10,
        half_days in 0i64..10,
    ) {
        let days = (hours + 23) / 24 + extra_days;
        let deliveries: Vec<Delivery> = raw
            .iter()
            .map(|&(ti, q)| Delivery { day: ti as f64 / 4.0, quantity: q })
            .collect();
        let u = need_units(ci as f64 / 10.0, &deliveries, hours as f64, days as f64, half_days as f64 / 2.0).unwrap();
        prop_assert_eq!([u.acute, u.horizon, u.keep], reference_units(ci, &raw, hours, days, half_days));
    }
}

#[test]
fn huge_consumption_is_exact() {
    // 1e9 .. 1e12 units per day, no stock: exactly 2 and 7 days' worth.
    let mut c = 1e9;
    while c <= 1e12 {
        let u = need_units(c, &[], 48.0, 7.0, 0.0).unwrap();
        assert_eq!(i128::from(u.acute), 2 * c as i128, "{c}");
        assert_eq!(i128::from(u.horizon), 7 * c as i128, "{c}");
        c *= 10.0;
    }
    // 0.1/day for 70 days is 7, not 8.
    assert_eq!(need_units(0.1, &[], 48.0, 70.0, 0.0).unwrap().horizon, 7);
}

#[test]
fn one_hundred_fifty_thousand_deliveries_on_one_row() {
    // Used to take 78 s (quadratic). A day's delivery of 10 every 0.01 days covers
    // 1000/day, but each arrives just after it is needed.
    let n = 150_000;
    let deliveries: Vec<Delivery> = (0..n)
        .rev()
        .map(|i| Delivery {
            day: (i + 1) as f64 / 100.0,
            quantity: 10,
        })
        .collect();
    let horizon = 1500.0;
    let started = std::time::Instant::now();
    let u = need_units(1000.0, &deliveries, 48.0, horizon, 0.0).unwrap();
    let r = shortfall_requirement(1000.0, &deliveries, horizon);
    eprintln!("150 000 deliveries: {:?}", started.elapsed());
    // At τ = k/100 the consumption is 10k and k − 1 deliveries of 10 arrived: 10.
    assert_eq!((u.acute, u.horizon), (10, 10));
    // In f64, 1000 × 0.07 is 70.00000000000001: the float requirement is only close.
    assert!((r - 10.0).abs() < 1e-6, "{r}");
}
