//! Whole packs in whole vehicles: the packing rows and cuts of the trips MIP, and the
//! loading of each lane's packs into its vehicles for the `trips` table.
//!
//! The MIP counts a lane's trips by volume and by [`packing_rows`] (Fekete and
//! Schepers' dual feasible functions); a plan whose packs still do not fit gets a cut
//! from [`separating_weights`]. The table loads a lane first-fit decreasing and, where
//! that takes more vehicles than the trips, finds the fewest by Gilmore and Gomory's
//! integer program over the loadings of one vehicle (HiGHS, at most [`MAX_PATTERNS`]
//! loadings), else by a bounded search over the splits of each item's packs.
//!
//! First-fit decreasing can miss a loading that exists: packs of 0.4, 0.4 and four of
//! 0.3 vehicles fill two vehicles exactly (0.4 + 0.3 + 0.3 twice), while first-fit
//! decreasing puts both 0.4 packs together and needs a third vehicle.

/// The packs of one item on a lane: litres per pack, item index, packs.
pub(super) type LanePacks = (f64, usize, i64);

/// One vehicle's load: litres, and packs per item index.
pub(super) type Load = (f64, Vec<i64>);

/// Most nodes of the exact search for one vehicle count on one lane.
pub(super) const MAX_SEARCH_NODES: usize = 100_000;

/// Most vehicles on one lane for which the exact search runs (beyond it, first-fit
/// decreasing alone).
pub(super) const MAX_SEARCH_VEHICLES: usize = 64;

/// Relative room a load may exceed the capacity by (rounding of litres).
const CAPACITY_TOL: f64 = 1e-9;

/// Items whose packs fit at most this many to a vehicle get packing rows
/// ([`packing_rows`]); smaller packs are counted by volume alone.
pub(super) const PACKING_ROW_PACKS: usize = 10;

/// Rows that count a lane's vehicles where the volume count is short: per `k` in
/// `1..=`[`PACKING_ROW_PACKS`], the coefficients `u_k` (one per entry of `litres`, the
/// litres per pack of the lane's items) of a row `Σ u_k · packs ≤ vehicles`, kept when
/// some item's `u_k` exceeds its volume share `litres / capacity`.
///
/// `u_k` is Fekete and Schepers' dual feasible function: a pack filling `s` of a
/// vehicle counts `⌊(k+1)·s⌋ / k` (or `s` when `(k+1)·s` is whole), and the packs of
/// any one vehicle count at most 1 in all; so every loading respects the row. With
/// `k = 1` a pack larger than half a vehicle counts 1 (two never share one), and an
/// item of which `k` packs fit a vehicle, but not `k + 1`, counts `1/k` per pack.
/// Values at the edges of its steps are taken slightly low: a coefficient lowered
/// keeps the row valid.
///
/// ```text
/// litres [600, 300] in 1000 l: k = 1: [1, 0]; k = 3: [2/3, 1/3]
/// ```
pub(super) fn packing_rows(litres: &[f64], capacity: f64) -> Vec<Vec<f64>> {
    let share: Vec<f64> = litres.iter().map(|&l| l / capacity).collect();
    (1..=PACKING_ROW_PACKS)
        .map(|k| share.iter().map(|&s| dual_feasible(s, k as f64)).collect::<Vec<f64>>())
        .filter(|u| u.iter().zip(&share).any(|(&u, &a)| u > a * (1.0 + 1e-9)))
        .collect()
}

/// Fekete and Schepers' `u_k` at a pack filling `share` of a vehicle. At a step
/// (`(k+1)·share` whole, within rounding) it is `share`, lowered by 2e-9; elsewhere
/// the size is taken `1 + 1e-9` times smaller (a load may exceed the capacity by that
/// much), so a value lowered at an edge keeps the row valid.
fn dual_feasible(share: f64, k: f64) -> f64 {
    if share <= 0.0 {
        return 0.0;
    }
    let t = (k + 1.0) * share.min(1.0);
    let step = t.round();
    if step >= 1.0 && (t - step).abs() <= 1e-9 * step {
        share.min(1.0) * (1.0 - 2e-9)
    } else {
        (t / (1.0 + CAPACITY_TOL)).floor() / k
    }
}

/// Most packs of one item per vehicle for which the second try of a packing cut weighs
/// it (smaller packs weigh 0 there; the volume row counts them).
pub(super) const CUT_PACKS: usize = 64;

/// Most loadings of one vehicle enumerated for one packing cut.
pub(super) const MAX_PATTERNS: usize = 2_000;

/// Weights per entry of `packs` (a lane's loading that needs more vehicles than its
/// `trips`) of a row `Σ weight · packs ≤ vehicles` that holds at every plan and that
/// this loading breaks, or `None` when none is found this way.
///
/// The weights solve Gilmore and Gomory's LP dual over the loadings of one vehicle: the
/// largest `Σ weight · packs` with every loading `p` of the lane's items (any counts,
/// not only this lane's) weighing `Σ weight · p ≤ 1`; where those loadings are more
/// than [`MAX_PATTERNS`], or the row does not cut, the items of at most [`CUT_PACKS`]
/// packs per vehicle alone. Otherwise one item alone: `1/n` per pack where `n` of them
/// fit a vehicle. Weights are scaled by `1 − 1e-6` against the LP's tolerance; a row is
/// kept when it exceeds `trips` by more than 1e-4 (then the next whole number of
/// vehicles is forced).
pub(super) fn separating_weights(packs: &[LanePacks], capacity: f64, trips: i64) -> Option<Vec<f64>> {
    loadings_dual(packs, capacity, trips, f64::INFINITY)
        .or_else(|| loadings_dual(packs, capacity, trips, (CUT_PACKS + 1) as f64))
        .or_else(|| one_item(packs, capacity, trips))
}

/// The weights of [`separating_weights`] from the loadings' LP dual, over the items of
/// which fewer than `fewer` packs fit a vehicle.
fn loadings_dual(packs: &[LanePacks], capacity: f64, trips: i64, fewer: f64) -> Option<Vec<f64>> {
    let cap = capacity * (1.0 + CAPACITY_TOL);
    let large: Vec<usize> = (0..packs.len())
        .filter(|&e| packs[e].0 > 0.0 && packs[e].2 > 0 && cap / packs[e].0 < fewer)
        .collect();
    if large.is_empty() {
        return None;
    }
    let litres: Vec<f64> = large.iter().map(|&e| packs[e].0).collect();
    let mut patterns = Vec::new();
    let mut counts = vec![0i64; large.len()];
    if !maximal_loads(&litres, None, 0, cap, &mut counts, &mut patterns) {
        return None;
    }
    use good_lp::{constraint, variable, Expression, ProblemVariables, Solution, SolverModel};
    let mut pv = ProblemVariables::new();
    let w: Vec<good_lp::Variable> = large.iter().map(|_| pv.add(variable().min(0.0).max(1.0))).collect();
    let mut objective = Expression::from(0.0);
    for (&e, &v) in large.iter().zip(&w) {
        objective.add_mul(packs[e].2 as f64, v);
    }
    let mut model = pv.maximise(objective).using(good_lp::microlp);
    for p in &patterns {
        let mut load = Expression::from(0.0);
        for (&c, &v) in p.iter().zip(&w) {
            load.add_mul(c as f64, v);
        }
        model = model.with(constraint::leq(load, 1.0));
    }
    let solution = model.solve().ok()?;
    let mut weights = vec![0.0; packs.len()];
    for (&e, &v) in large.iter().zip(&w) {
        weights[e] = solution.value(v).max(0.0) * (1.0 - 1e-6);
    }
    let counted: f64 = weights.iter().zip(packs).map(|(w, p)| w * p.2 as f64).sum();
    (counted > trips as f64 + 1e-4).then_some(weights)
}

/// A single item's weight `1/n` (`n` of its packs fit one vehicle; every other item
/// weighs 0) where its packs alone need more than `trips` vehicles.
fn one_item(packs: &[LanePacks], capacity: f64, trips: i64) -> Option<Vec<f64>> {
    let cap = capacity * (1.0 + CAPACITY_TOL);
    packs.iter().enumerate().find_map(|(e, &(litres, _, q))| {
        let fit = (cap / litres).floor();
        (litres > 0.0 && fit >= 1.0 && q as f64 / fit > trips as f64 + 1e-4).then(|| {
            let mut weights = vec![0.0; packs.len()];
            weights[e] = (1.0 - 1e-6) / fit;
            weights
        })
    })
}

/// Appends to `out` every loading of one vehicle (packs per entry of `litres`, at most
/// `most[k]` of entry `k` when given, `room` litres left, entries `k..` still open) that
/// no further pack fits; false when they exceed [`MAX_PATTERNS`].
fn maximal_loads(
    litres: &[f64],
    most: Option<&[i64]>,
    k: usize,
    room: f64,
    counts: &mut Vec<i64>,
    out: &mut Vec<Vec<i64>>,
) -> bool {
    if k == litres.len() {
        let full = |e: usize| litres[e] > room || most.is_some_and(|m| counts[e] >= m[e]);
        if (0..litres.len()).all(full) {
            out.push(counts.clone());
        }
        return out.len() <= MAX_PATTERNS;
    }
    let mut fit = (room / litres[k]).floor().max(0.0) as i64;
    if let Some(m) = most {
        fit = fit.min(m[k]);
    }
    for c in (0..=fit).rev() {
        counts[k] = c;
        if !maximal_loads(litres, most, k + 1, room - c as f64 * litres[k], counts, out) {
            counts[k] = 0;
            return false;
        }
    }
    counts[k] = 0;
    true
}

/// The fewest vehicles for `sized` (largest packs first) by Gilmore and Gomory's
/// integer program over the loadings of one vehicle (each at most the lane's packs of
/// each item), solved by HiGHS within 1 000 nodes: the loads when it beats `than`
/// vehicles, padded to `least`; `None` beyond [`MAX_PATTERNS`] loadings.
fn by_patterns(sized: &[LanePacks], items: usize, cap: f64, least: usize, than: usize) -> Option<Vec<Load>> {
    use good_lp::{constraint, variable, Expression, ProblemVariables};
    let litres: Vec<f64> = sized.iter().map(|p| p.0).collect();
    let most: Vec<i64> = sized.iter().map(|p| p.2).collect();
    let mut patterns = Vec::new();
    let mut counts = vec![0i64; sized.len()];
    if !maximal_loads(&litres, Some(&most), 0, cap, &mut counts, &mut patterns) {
        return None;
    }
    let mut pv = ProblemVariables::new();
    let z: Vec<good_lp::Variable> = patterns
        .iter()
        .map(|_| pv.add(variable().integer().min(0.0).max(than as f64)))
        .collect();
    let mut objective = Expression::from(0.0);
    for &v in &z {
        objective.add_mul(1.0, v);
    }
    let rows: Vec<good_lp::Constraint> = (0..sized.len())
        .map(|k| {
            let mut carried = Expression::from(0.0);
            for (p, &v) in patterns.iter().zip(&z) {
                carried.add_mul(p[k] as f64, v);
            }
            constraint::geq(carried, most[k] as f64)
        })
        .collect();
    let options = super::solve::MipOptions {
        max_nodes: 1_000,
        ..super::solve::MipOptions::default()
    };
    let raw = super::run::run(pv, &z, objective, false, rows, None, &options).ok()?;
    let uses: Vec<i64> = raw.values.iter().map(|v| v.round().max(0.0) as i64).collect();
    if uses.iter().sum::<i64>() as usize >= than {
        return None;
    }
    let mut left = most;
    let mut loads = Vec::new();
    for (p, &n) in patterns.iter().zip(&uses) {
        for _ in 0..n {
            let mut load: Load = (0.0, vec![0; items]);
            for (k, &(l, i, _)) in sized.iter().enumerate() {
                let c = p[k].min(left[k]);
                left[k] -= c;
                load.0 += l * c as f64;
                load.1[i] += c;
            }
            if load.1.iter().any(|&c| c > 0) {
                loads.push(load);
            }
        }
    }
    if left.iter().any(|&l| l > 0) {
        return None;
    }
    while loads.len() < least {
        loads.push((0.0, vec![0; items]));
    }
    Some(loads)
}

/// `packs` (of `items` item indices in all) loaded into vehicles of `capacity` litres,
/// at least `least` of them (the MIP's trips on the lane; extra ones stay empty): the
/// fewest vehicles the search finds, every load within the capacity.
///
/// Packs of 0 litres ride in the first vehicle.
pub(super) fn load_lane(packs: &[LanePacks], items: usize, capacity: f64, least: usize) -> Vec<Load> {
    let mut sized: Vec<LanePacks> = packs.iter().copied().filter(|p| p.0 > 0.0 && p.2 > 0).collect();
    sized.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
    let cap = capacity * (1.0 + CAPACITY_TOL);
    let litres: f64 = sized.iter().map(|p| p.0 * p.2 as f64).sum();
    let volume_count = ((litres / capacity) * (1.0 - CAPACITY_TOL)).ceil() as usize;
    let mut loads = first_fit(&sized, items, cap, least.max(1));
    if loads.len() > least.max(1) {
        let found = by_patterns(&sized, items, cap, least.max(1), loads.len()).or_else(|| {
            (loads.len() <= MAX_SEARCH_VEHICLES)
                .then(|| (volume_count.max(least).max(1)..loads.len()).find_map(|v| exact(&sized, items, cap, v)))
                .flatten()
        });
        if let Some(found) = found {
            loads = found;
        }
    }
    for &(_, i, q) in packs.iter().filter(|p| p.0 <= 0.0 && p.2 > 0) {
        loads[0].1[i] += q;
    }
    loads
}

/// First-fit decreasing (`sized`: largest packs first) into at least `least` vehicles.
fn first_fit(sized: &[LanePacks], items: usize, cap: f64, least: usize) -> Vec<Load> {
    let mut loads: Vec<Load> = vec![(0.0, vec![0; items]); least];
    for &(litres, i, mut q) in sized {
        let mut slot = 0;
        while q > 0 {
            if slot == loads.len() {
                loads.push((0.0, vec![0; items]));
            }
            let fit = (((cap - loads[slot].0) / litres).floor() as i64).clamp(0, q);
            loads[slot].0 += litres * fit as f64;
            loads[slot].1[i] += fit;
            q -= fit;
            slot += 1;
        }
    }
    loads
}

/// A loading of `sized` into exactly `vehicles` vehicles, if the search finds one
/// within [`MAX_SEARCH_NODES`].
fn exact(sized: &[LanePacks], items: usize, cap: f64, vehicles: usize) -> Option<Vec<Load>> {
    let mut rest = vec![0.0; sized.len() + 1];
    for k in (0..sized.len()).rev() {
        rest[k] = rest[k + 1] + sized[k].0 * sized[k].2 as f64;
    }
    let mut search = Search {
        sized,
        cap,
        rest,
        room: vec![cap; vehicles],
        start_room: vec![vec![cap; vehicles]; sized.len()],
        counts: vec![vec![0; sized.len()]; vehicles],
        nodes: 0,
    };
    let first = sized.first().map_or(0, |p| p.2);
    if search.place(0, 0, first) != Some(true) {
        return None;
    }
    let loads = search
        .counts
        .iter()
        .map(|per_type| {
            let mut packs = vec![0; items];
            let mut litres = 0.0;
            for (&(l, i, _), &c) in sized.iter().zip(per_type) {
                packs[i] += c;
                litres += l * c as f64;
            }
            (litres, packs)
        })
        .collect();
    Some(loads)
}

/// The state of [`exact`]'s depth-first search.
struct Search<'a> {
    sized: &'a [LanePacks],
    cap: f64,
    /// Litres of the packs of types `k..`, per `k`.
    rest: Vec<f64>,
    /// Room left per vehicle.
    room: Vec<f64>,
    /// Room per vehicle when type `k`'s packs started being placed.
    start_room: Vec<Vec<f64>>,
    /// Packs per vehicle and type.
    counts: Vec<Vec<i64>>,
    nodes: usize,
}

impl Search<'_> {
    /// Places `left` packs of type `k` into vehicles `j..`, then every later type:
    /// `Some(true)` when all fit, `Some(false)` when they cannot, `None` past the budget.
    fn place(&mut self, k: usize, j: usize, left: i64) -> Option<bool> {
        self.nodes += 1;
        if self.nodes > MAX_SEARCH_NODES {
            return None;
        }
        let Some(&(litres, _, _)) = self.sized.get(k) else {
            return Some(true);
        };
        if left == 0 {
            let next = self.sized.get(k + 1).map_or(0, |p| p.2);
            if k + 1 < self.sized.len() {
                self.start_room[k + 1].clone_from(&self.room);
            }
            return self.place(k + 1, 0, next);
        }
        if j == self.room.len() {
            return Some(false);
        }
        let room: f64 = self.room[j..].iter().sum();
        let spare: f64 = self.room[..j].iter().sum();
        // Type k's packs go to vehicles j.. only; later types may use every vehicle.
        if left as f64 * litres > room + self.cap * CAPACITY_TOL
            || left as f64 * litres + self.rest[k + 1] > room + spare + self.cap * CAPACITY_TOL
        {
            return Some(false);
        }
        let mut most = ((self.room[j] / litres).floor() as i64).clamp(0, left);
        // Vehicles that had the same room when type k started are interchangeable.
        if j > 0 && self.start_room[k][j] == self.start_room[k][j - 1] {
            most = most.min(self.counts[j - 1][k]);
        }
        for c in (0..=most).rev() {
            self.room[j] -= litres * c as f64;
            self.counts[j][k] = c;
            let found = self.place(k, j + 1, left - c);
            if found != Some(false) {
                return found;
            }
            self.room[j] += litres * c as f64;
            self.counts[j][k] = 0;
        }
        Some(false)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vehicles_and_check(packs: &[LanePacks], items: usize, capacity: f64, least: usize) -> usize {
        let loads = load_lane(packs, items, capacity, least);
        for (litres, per_item) in &loads {
            let from_packs: f64 = packs
                .iter()
                .map(|&(l, i, _)| if per_item[i] > 0 { l * per_item[i] as f64 } else { 0.0 })
                .sum();
            assert!((litres - from_packs).abs() < 1e-9, "{litres} vs {from_packs}");
            assert!(*litres <= capacity * (1.0 + 1e-9), "{litres} > {capacity}");
        }
        for &(_, i, q) in packs {
            assert_eq!(loads.iter().map(|l| l.1[i]).sum::<i64>(), q, "item {i}");
        }
        assert!(loads.len() >= least);
        loads.len()
    }

    /// A fixed pseudo-random sequence (xorshift from `seed`), so the cases are the same
    /// each run: each call gives a number below its argument.
    fn xorshift(seed: u64) -> impl FnMut(u64) -> u64 {
        let mut state = seed;
        move |m| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state % m
        }
    }

    #[test]
    fn packing_rows_count_large_packs() {
        let rows = packing_rows(&[600.0, 300.0], 1000.0);
        assert!(rows.contains(&vec![1.0, 0.0]), "{rows:?}");
        assert!(rows
            .iter()
            .any(|u| (u[0] - 2.0 / 3.0).abs() < 1e-12 && (u[1] - 1.0 / 3.0).abs() < 1e-12));
        // Packs of exactly half a vehicle: two share one, so no row counts one as 1.
        assert!(packing_rows(&[500.0], 1000.0).iter().all(|u| u[0] <= 0.5));
        // Small packs: the volume row says it all.
        assert!(packing_rows(&[4.0, 1.0], 1000.0).is_empty());
    }

    /// Every loading of every lane of the random cases respects every packing row.
    #[test]
    fn packing_rows_hold_at_every_loading() {
        let mut next = xorshift(0x19);
        for _ in 0..2000 {
            let types = 1 + next(4) as usize;
            let litres: Vec<f64> = (0..types).map(|_| (1 + next(100)) as f64).collect();
            // One vehicle's load: packs added while they fit 100 litres.
            let mut load = vec![0i64; types];
            let mut used = 0.0;
            for _ in 0..12 {
                let i = next(types as u64) as usize;
                if used + litres[i] <= 100.0 {
                    used += litres[i];
                    load[i] += 1;
                }
            }
            for u in packing_rows(&litres, 100.0) {
                let counted: f64 = u.iter().zip(&load).map(|(u, &q)| u * q as f64).sum();
                assert!(counted <= 1.0 + 1e-9, "{litres:?} {load:?} {u:?}: {counted}");
            }
        }
    }

    /// Packs of 27 and 24 l in 100 l: no Fekete-Schepers row needs 3 vehicles for 5 + 2
    /// of them, but the loadings' LP dual weighs them 1/3 and 2/9 (2.11 in all).
    #[test]
    fn separating_weights_cut_a_loading_the_rows_miss() {
        let packs = [(27.0, 0, 5), (24.0, 1, 2)];
        assert!(packing_rows(&[27.0, 24.0], 100.0)
            .iter()
            .all(|u| u[0] * 5.0 + u[1] * 2.0 <= 2.0 + 1e-9));
        assert_eq!(load_lane(&packs, 2, 100.0, 2).len(), 3);
        let w = separating_weights(&packs, 100.0, 2).expect("a cut");
        assert!(
            (w[0] - 1.0 / 3.0).abs() < 1e-5 && (w[1] - 2.0 / 9.0).abs() < 1e-5,
            "{w:?}"
        );
        // Every loading of one vehicle weighs at most 1.
        for a in 0..=3 {
            for b in 0..=4 {
                if 27.0 * a as f64 + 24.0 * b as f64 <= 100.0 {
                    assert!(w[0] * a as f64 + w[1] * b as f64 <= 1.0 + 1e-9, "{a} {b}");
                }
            }
        }
        // A loading that fits its trips is not cut.
        assert!(separating_weights(&packs, 100.0, 3).is_none());
        // Small packs of one item: 33 to a vehicle, so 100 of them need 4.
        let w = separating_weights(&[(3.0, 0, 100)], 100.0, 3).expect("a cut");
        assert!((w[0] - 1.0 / 33.0).abs() < 1e-6, "{w:?}");
        assert!(separating_weights(&[(3.0, 0, 99)], 100.0, 3).is_none());
    }

    #[test]
    fn a_loading_first_fit_misses_is_found() {
        // 0.4 + 0.4 + 4 × 0.3 = 2.0: two vehicles of 0.4 + 0.3 + 0.3.
        let packs = [(0.4, 0, 2), (0.3, 1, 4)];
        assert_eq!(first_fit(&packs, 2, 1.0 + 1e-9, 1).len(), 3);
        assert_eq!(vehicles_and_check(&packs, 2, 1.0, 2), 2);
    }

    #[test]
    fn packs_larger_than_half_a_vehicle_ride_alone() {
        assert_eq!(vehicles_and_check(&[(600.0, 0, 3)], 1, 1000.0, 2), 3);
    }

    #[test]
    fn zero_litre_packs_ride_in_the_first_vehicle_and_extra_vehicles_stay() {
        let loads = load_lane(&[(0.0, 1, 5), (1.0, 0, 2)], 2, 10.0, 3);
        assert_eq!(loads.len(), 3);
        assert_eq!(loads[0].1, vec![2, 5]);
        assert_eq!(loads[2].1, vec![0, 0]);
    }

    /// The fewest bins for `sizes` (one entry per pack) by trying every assignment.
    fn fewest_by_enumeration(sizes: &[f64], capacity: f64) -> usize {
        let n = sizes.len();
        (1..=n.max(1))
            .find(|&bins| {
                let mut bin_of = vec![0usize; n];
                loop {
                    let mut load = vec![0.0; bins];
                    for (p, &b) in bin_of.iter().enumerate() {
                        load[b] += sizes[p];
                    }
                    if load.iter().all(|&l| l <= capacity * (1.0 + 1e-9)) {
                        return true;
                    }
                    let mut p = 0;
                    loop {
                        if p == n {
                            return false;
                        }
                        bin_of[p] += 1;
                        if bin_of[p] < bins {
                            break;
                        }
                        bin_of[p] = 0;
                        p += 1;
                    }
                }
            })
            .unwrap_or(0)
    }

    #[test]
    fn the_fewest_vehicles_on_small_random_lanes() {
        let mut next = xorshift(0x2020);
        for _ in 0..300 {
            let types = 1 + next(3) as usize;
            let packs: Vec<LanePacks> = (0..types)
                .map(|i| ((1 + next(10)) as f64 / 10.0, i, 1 + next(2) as i64))
                .collect();
            let sizes: Vec<f64> = packs
                .iter()
                .flat_map(|&(l, _, q)| std::iter::repeat_n(l, q as usize))
                .collect();
            let fewest = fewest_by_enumeration(&sizes, 1.0);
            assert_eq!(vehicles_and_check(&packs, types, 1.0, 1), fewest, "{packs:?}");
        }
    }
}
