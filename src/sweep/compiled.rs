//! The compiled county base: a county-round sweep whose parameters change only status
//! rows' stock and consumption (and the engine) resolves its base once — checks, lanes
//! and their distances, the lane graph, each row's sorted deliveries — and per
//! scenario only writes the drawn numbers into a per-thread [`Workspace`], derives the
//! changed profiles and solves.
//!
//! Equal to the plain route (apply the draws to a copy of the base, resolve it, run
//! [`round_totals`](crate::process::round_totals)) bit for bit: the draws are applied
//! with the same arithmetic in the same order, each profile is derived as
//! `model::resolve` derives it, and the solves see the same arrays. Anything the fast
//! route does not handle — a drawn value out of range, a row that fails its checks, an
//! item beyond the round's units — returns `None`, and the caller runs the plain route,
//! which reports it exactly as before.

use super::apply::{label, RowIndex};
use super::sample::Draw;
use super::spec::{check_drawn, Per, SweepSpec, Target};
use crate::error::Result;
use crate::model::{
    need_units_sorted, Delivery, NeedSplit, Profile, ResolvedScenario, Scenario, SplitWeights, MAX_ITEM_UNITS,
};
use crate::process::{round_totals_in, RoundFrame, RoundOptions, SolveScratch};

/// A status row as the compiled base keeps it.
#[derive(Debug)]
struct RowPlan {
    /// Index of its profile (`item * sites + site`).
    slot: usize,
    /// Item index.
    item: usize,
    stock: i64,
    consumption: f64,
    /// Its reserve days (its own, else the round's).
    reserve: f64,
    /// Deliveries sorted by day (as `resolve` sorts them).
    deliveries: Vec<Delivery>,
    acute_need: Option<i64>,
    planning_need: Option<i64>,
    /// Explicit class quantities: its needs do not depend on stock or consumption.
    quantities: bool,
    /// Its class weights (the base profile's) in integer form.
    weights: SplitWeights,
}

/// A county-round base resolved once (see the module doc).
pub(crate) struct CompiledCounty {
    base: ResolvedScenario,
    frame: RoundFrame,
    rows: Vec<RowPlan>,
    /// Per parameter, per item: whether the parameter applies to the item's rows.
    applies: Vec<Vec<bool>>,
    acute_window_hours: f64,
    horizon_days: f64,
}

impl std::fmt::Debug for CompiledCounty {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CompiledCounty")
            .field("rows", &self.rows.len())
            .finish()
    }
}

/// One thread's scratch: the resolved scenario whose profiles each scenario
/// overwrites, and the drawn stock and consumption per status row.
pub(crate) struct Workspace {
    resolved: ResolvedScenario,
    stock: Vec<i64>,
    consumption: Vec<f64>,
    /// The solvers' memory, passed from scenario to scenario.
    scratch: SolveScratch,
}

/// Whether `target` is one the compiled base applies.
fn compiled_target(target: Target) -> bool {
    matches!(
        target,
        Target::Consumption | Target::Stock | Target::StockShock | Target::Engine
    )
}

impl CompiledCounty {
    /// The compiled form of `scenario` for `spec`, or `None` when a parameter changes
    /// more than status rows' stock and consumption (or the engine), or the base does
    /// not resolve.
    pub(crate) fn new(scenario: &Scenario, spec: &SweepSpec, index: &RowIndex) -> Option<CompiledCounty> {
        if !spec.parameters.iter().all(|p| compiled_target(p.target)) {
            return None;
        }
        let base = scenario.resolve().ok()?;
        let n = base.site_count();
        let par = &scenario.parameters;
        let mut rows = Vec::with_capacity(scenario.status.len());
        for (r, st) in scenario.status.iter().enumerate() {
            let (site, item) = index.row(r);
            let mut deliveries = st.deliveries.clone();
            deliveries.sort_by(|a, b| a.day.total_cmp(&b.day));
            rows.push(RowPlan {
                slot: item * n + site,
                item,
                stock: st.stock,
                consumption: st.consumption_per_day,
                reserve: st.reserve_days.unwrap_or(par.reserve_days),
                deliveries,
                acute_need: st.acute_need,
                planning_need: st.planning_need,
                quantities: matches!(st.split, Some(NeedSplit::Quantities(_))),
                weights: SplitWeights::new(&base.profile(site, item).class_weights),
            });
        }
        let applies = spec
            .parameters
            .iter()
            .map(|p| {
                index
                    .items
                    .iter()
                    .map(|it| p.items.as_ref().is_none_or(|list| list.contains(it)))
                    .collect()
            })
            .collect();
        Some(CompiledCounty {
            frame: RoundFrame::new(&base),
            base,
            rows,
            applies,
            acute_window_hours: par.acute_window_hours,
            horizon_days: par.horizon_days,
        })
    }

    /// A fresh workspace (a copy of the base's profiles).
    pub(crate) fn workspace(&self) -> Workspace {
        Workspace {
            resolved: self.base.clone(),
            stock: Vec::with_capacity(self.rows.len()),
            consumption: Vec::with_capacity(self.rows.len()),
            scratch: SolveScratch::default(),
        }
    }

    /// The county round's totals of the scenario `draws` make, in `ws`: `None` when
    /// the plain route must run it (see the module doc).
    pub(crate) fn round(
        &self,
        ws: &mut Workspace,
        spec: &SweepSpec,
        index: &RowIndex,
        round: RoundOptions,
        draws: &[Draw],
    ) -> Option<Result<Vec<crate::process::ItemTotals>>> {
        let round = self.apply(ws, spec, index, round, draws)?;
        self.derive_profiles(ws)?;
        // The sweep runs its scenarios in parallel: one scenario's items in turn.
        Some(round_totals_in(
            &ws.resolved,
            &self.frame,
            &round,
            Some(&mut ws.scratch),
        ))
    }

    /// The resolved scenario of the workspace's last scenario.
    pub(crate) fn resolved<'a>(&self, ws: &'a Workspace) -> &'a ResolvedScenario {
        &ws.resolved
    }

    /// Writes the drawn stock and consumption of every row into `ws` (as
    /// `apply::apply` changes the scenario's rows) and returns the round's options.
    fn apply(
        &self,
        ws: &mut Workspace,
        spec: &SweepSpec,
        index: &RowIndex,
        mut round: RoundOptions,
        draws: &[Draw],
    ) -> Option<RoundOptions> {
        ws.stock.clear();
        ws.stock.extend(self.rows.iter().map(|r| r.stock));
        ws.consumption.clear();
        ws.consumption.extend(self.rows.iter().map(|r| r.consumption));
        for ((p, draw), applies) in spec.parameters.iter().zip(draws).zip(&self.applies) {
            if p.target == Target::Engine {
                round.engine = label(p, draw.first().copied()?).parse().ok()?;
                continue;
            }
            if draw.iter().any(|&x| check_drawn(p.target, x).is_err()) {
                return None;
            }
            for (r, row) in self.rows.iter().enumerate() {
                if !applies[row.item] {
                    continue;
                }
                let x = draw[if p.per == Per::Global {
                    0
                } else {
                    index.entity(p.per, r)
                }];
                match p.target {
                    Target::Consumption => ws.consumption[r] *= x,
                    Target::Stock => ws.stock[r] = scaled(ws.stock[r], x)?,
                    _ => ws.stock[r] -= scaled(ws.stock[r], x)?,
                }
            }
        }
        Some(round)
    }

    /// Derives every row's profile from the drawn numbers in `ws`; `None` if a row or
    /// an item fails a check of `resolve`.
    fn derive_profiles(&self, ws: &mut Workspace) -> Option<()> {
        let Workspace {
            resolved,
            stock,
            consumption,
            ..
        } = ws;
        let profiles = resolved.profiles_mut();
        for (r, row) in self.rows.iter().enumerate() {
            let (s, c) = (stock[r], consumption[r]);
            if s < 0 || !c.is_finite() || c < 0.0 {
                return None; // the checks of `status[r].stock` / `.consumption_per_day`
            }
            self.derive(row, s, c, &mut profiles[row.slot])?;
        }
        let n = resolved.site_count();
        for item in 0..resolved.item_count() {
            let all = &resolved.item_profiles(item)[..n];
            all.iter().try_fold(0i64, |acc, p| acc.checked_add(p.giveable))?;
            let units: i128 = all
                .iter()
                .map(|p| i128::from(p.stock) + p.planning.iter().map(|&q| i128::from(q)).sum::<i128>())
                .sum();
            if units > i128::from(MAX_ITEM_UNITS) {
                return None;
            }
        }
        Some(())
    }

    /// `model::resolve`'s profile of `row` with stock `s` and consumption `c`, written
    /// into `out` (whose class weights, and for explicit quantities class needs, are
    /// the base's: they do not depend on stock or consumption).
    fn derive(&self, row: &RowPlan, s: i64, c: f64, out: &mut Profile) -> Option<()> {
        let units = need_units_sorted(
            c,
            &row.deliveries,
            self.acute_window_hours,
            self.horizon_days,
            row.reserve,
        )?;
        let (ma, mh, keep) = (units.acute, units.horizon, units.keep);
        let (acute, planning) = if row.quantities {
            (out.acute.iter().sum::<i64>(), out.planning.iter().sum::<i64>())
        } else {
            let a = row.acute_need.unwrap_or((ma - s).max(0));
            let pl = row.planning_need.unwrap_or((mh - s).max(0));
            if pl < a {
                return None;
            }
            // The splits written in place (the same parts as `split`, without a
            // vector per split for a round's few classes).
            let k = row.weights.len();
            if out.acute.len() == k {
                row.weights.split_into(a, &mut out.acute);
            } else {
                out.acute = row.weights.split(a);
            }
            let mut on_stack = [0i64; 8];
            let mut on_heap = Vec::new();
            let extra: &mut [i64] = if k <= on_stack.len() {
                &mut on_stack[..k]
            } else {
                on_heap.resize(k, 0);
                &mut on_heap
            };
            row.weights.split_into(pl - a, extra);
            for (p, (x, y)) in out.planning.iter_mut().zip(out.acute.iter().zip(extra.iter())) {
                *p = x + y;
            }
            (a, pl)
        };
        let giveable = if acute > 0 { 0 } else { (s - keep).max(0) };
        let planning_level = if planning > 0 {
            s.checked_add(planning)?
        } else {
            mh.min(s)
        };
        out.reported = true;
        out.stock = s;
        out.keep = keep;
        out.giveable = giveable;
        out.own_use = giveable.min((planning_level - keep).max(0));
        out.reserve_units = if acute > 0 { 0 } else { s.min(keep) - s.min(ma) };
        Some(())
    }
}

/// `round(stock × x)` as `apply` scales it; `None` beyond the i64 range.
fn scaled(stock: i64, x: f64) -> Option<i64> {
    let y = (stock as f64 * x).round();
    (y.abs() < 9.0e18).then_some(y as i64)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::synthetic::vastmanland_default;

    fn spec(json: &str) -> SweepSpec {
        SweepSpec::from_json(json).unwrap()
    }

    #[test]
    fn only_stock_consumption_and_engine_draws_compile() {
        let base = vastmanland_default().unwrap();
        let index = RowIndex::new(&base).unwrap();
        let ok = spec(
            r#"{"parameters": [
            {"name": "c", "target": "consumption", "per": "site", "distribution": "uniform", "low": 0.5, "high": 1.5},
            {"name": "e", "target": "engine", "values": ["simplex", "lp"]}]}"#,
        );
        let compiled = CompiledCounty::new(&base, &ok, &index).expect("compiles");
        let mut ws = compiled.workspace();
        let draws = vec![vec![1.0; index.sites], vec![0.0]];
        let totals = compiled.round(&mut ws, &ok, &index, RoundOptions::default(), &draws);
        // Multipliers of 1 give the base's own round.
        let plain = crate::process::round_totals(&base.resolve().unwrap(), &RoundOptions::default()).unwrap();
        assert_eq!(totals.expect("the fast route runs it").unwrap(), plain);
        // A multiplier below 0 is handed to the plain route (which names the parameter).
        let bad = vec![vec![-1.0; index.sites], vec![0.0]];
        assert!(compiled
            .round(&mut ws, &ok, &index, RoundOptions::default(), &bad)
            .is_none());
        let horizon = spec(r#"{"parameters": [{"name": "h", "target": "horizon-days", "values": [7, 14]}]}"#);
        assert!(CompiledCounty::new(&base, &horizon, &index).is_none());
    }

    /// The Sweden spec of `benches/sweep_targets.sh` (consumption per county, stock per
    /// item) takes the compiled route, not the plain one.
    #[test]
    fn the_sweden_benchmark_spec_compiles() {
        let base = crate::model::builtin::builtin("sweden").unwrap();
        let index = RowIndex::new(&base).unwrap();
        let sweden = spec(
            r#"{"parameters": [
            {"name": "consumption", "target": "consumption", "per": "county", "distribution": "lognormal", "mu": 0.0, "sigma": 0.25},
            {"name": "stock", "target": "stock", "per": "item", "distribution": "uniform", "low": 0.7, "high": 1.2}]}"#,
        );
        assert!(CompiledCounty::new(&base, &sweden, &index).is_some());
    }
}
