//! A sweep whose base is a national round itself ([`SweepBase::Round`]): the
//! counties' requests are fixed, so only what the national agency holds and decides
//! varies — `national-stock` (global or per item) and `policy`. The job is
//! `national-round`; its metrics are the national round's ([`NATIONAL_METRICS`], then
//! `national_acute_unmet_<class>`).
//!
//! [`SweepBase::Round`]: super::SweepBase::Round
//! [`NATIONAL_METRICS`]: super::jobs::NATIONAL_METRICS

use super::apply::{label, place, RowIndex};
use super::jobs::{national_metrics, scaled_warehouses, Job, NATIONAL_METRICS};
use super::sample::Draw;
use super::spec::{check_drawn, Per, SweepSpec, Target};
use super::Kept;
use crate::error::{Error, InvalidValue, Result};
use crate::process::{run_national_round, NationalRound, Policy};

/// The targets a national-round base can vary.
const ROUND_TARGETS: [Target; 2] = [Target::NationalStock, Target::Policy];

/// Checks a national-round base for `job` and returns its row index (the round's
/// items, for `per: item` draws) and metric names.
pub(crate) fn check_round_base(round: &NationalRound, job: Job) -> Result<(RowIndex, Vec<String>)> {
    if job != Job::NationalRound {
        return Err(Error::invalid(
            "job",
            format!(
                "a national round base runs job national-round only, got {job}; \
                 for {job}, pass the county scenario the round came from"
            ),
        ));
    }
    round.validate()?;
    let mut index = RowIndex::empty();
    index.items = round_items(round);
    index.counties = round.counties.len();
    let mut names: Vec<String> = NATIONAL_METRICS.iter().map(|s| s.to_string()).collect();
    names.extend(
        round
            .priority_classes
            .iter()
            .map(|c| format!("national_acute_unmet_{c}")),
    );
    Ok((index, names))
}

/// The round's item ids in order of first appearance: the requests', then the
/// warehouses' stock.
fn round_items(round: &NationalRound) -> Vec<String> {
    let requested = round.requests.iter().flat_map(|r| r.items.iter().map(|i| &i.item));
    let stocked = round.warehouses.iter().flat_map(|w| w.stock.iter().map(|q| &q.item));
    let mut items: Vec<String> = Vec::new();
    for item in requested.chain(stocked) {
        if !items.contains(item) {
            items.push(item.clone());
        }
    }
    items
}

/// Every parameter of `spec` must vary what a national round holds: problems at
/// `parameters[i].target` (all at once) name the targets allowed.
pub(crate) fn check_round_spec(spec: &SweepSpec) -> Result<()> {
    let problems: Vec<InvalidValue> = spec
        .parameters
        .iter()
        .enumerate()
        .filter(|(_, p)| !ROUND_TARGETS.contains(&p.target))
        .map(|(i, p)| {
            InvalidValue::new(
                format!("parameters[{i}].target"),
                format!(
                    "{} changes the county scenario, which a national round base does not have: \
                     a national round base varies national-stock and policy (pass the county \
                     scenario with job national-round to vary {})",
                    p.target, p.target
                ),
            )
        })
        .collect();
    if problems.is_empty() {
        Ok(())
    } else {
        Err(Error::Invalid(problems))
    }
}

/// One scenario of a national-round base: the warehouses' stock scaled by the drawn
/// `national-stock` multipliers (rounded to whole units), the round under the drawn
/// policy (else the default), its metrics.
pub(crate) fn national_round_of(
    round: &NationalRound,
    index: &RowIndex,
    spec: &SweepSpec,
    draws: &[Draw],
    keep: bool,
) -> Result<(Vec<f64>, Option<Kept>)> {
    let mut multipliers = vec![1.0; index.items.len()];
    let mut policy = Policy::default();
    for (i, (p, draw)) in spec.parameters.iter().zip(draws).enumerate() {
        match p.target {
            Target::NationalStock => {
                for (k, (item, m)) in index.items.iter().zip(multipliers.iter_mut()).enumerate() {
                    if p.items.as_ref().is_some_and(|list| !list.contains(item)) {
                        continue;
                    }
                    let x = draw[if p.per == Per::Item { k } else { 0 }];
                    check_drawn(p.target, x).map_err(|m| Error::invalid(place(i, p), m))?;
                    *m *= x;
                }
            }
            Target::Policy => {
                policy = label(p, draw[0])
                    .parse()
                    .map_err(|e: Error| Error::invalid(place(i, p), e.to_string()))?;
            }
            other => return Err(Error::Internal(format!("{other} does not apply to a national round"))),
        }
    }
    let mut input = round.clone();
    input.warehouses = scaled_warehouses(&round.warehouses, &index.items, &multipliers)?;
    let national = run_national_round(&input, policy)?;
    let metrics = national_metrics(&national, round.priority_classes.len());
    Ok((metrics, keep.then(|| Kept::National(Box::new(national)))))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::synthetic::vastmanland_default;
    use crate::process::simulate::default_warehouses;
    use crate::process::{run_county_round, RoundOptions};
    use crate::sweep::{Sweep, SweepBase};
    use std::sync::atomic::AtomicBool;

    fn round() -> NationalRound {
        let scenario = vastmanland_default().unwrap();
        let plan = run_county_round(&scenario, &RoundOptions::default()).unwrap();
        NationalRound::after_county_round(&scenario, &plan, default_warehouses(&scenario, 0.5)).unwrap()
    }

    #[test]
    fn a_grid_of_stock_and_policy_equals_the_rounds_run_by_hand() {
        let spec = SweepSpec::from_json(
            r#"{"parameters": [
                {"name": "stock", "target": "national-stock", "values": [0.0, 0.5, 2.0]},
                {"name": "policy", "target": "policy", "values": ["optimal", "proportional"]}]}"#,
        )
        .unwrap();
        let base = round();
        let sweep = Sweep::new(SweepBase::Round(base.clone()), spec, Job::NationalRound, None, 3).unwrap();
        let chunk = sweep.run(&[], &|_| {}, &AtomicBool::new(false)).unwrap();
        assert_eq!(chunk.metrics.nrows(), 6);
        let mut k = 0;
        for stock in [0.0, 0.5, 2.0] {
            for policy in [Policy::Optimal, Policy::Proportional] {
                let mut input = base.clone();
                for q in input.warehouses.iter_mut().flat_map(|w| w.stock.iter_mut()) {
                    q.quantity = (q.quantity as f64 * stock).round() as i64;
                }
                let plan = run_national_round(&input, policy).unwrap();
                let approved: i64 = plan.items.iter().map(|i| i.approved).sum();
                let unmet: i64 = plan.items.iter().flat_map(|i| i.acute_unmet.iter()).sum();
                assert_eq!(chunk.metrics[[k, 1]], approved as f64, "scenario {k}");
                assert_eq!(chunk.metrics[[k, 2]], unmet as f64, "scenario {k}");
                k += 1;
            }
        }
        // No stock: nothing approved; more stock never approves less.
        assert_eq!(chunk.metrics[[0, 1]], 0.0);
        assert!(chunk.metrics[[4, 1]] >= chunk.metrics[[2, 1]]);
    }

    #[test]
    fn county_targets_and_other_jobs_are_refused_with_their_path() {
        let spec = SweepSpec::from_json(
            r#"{"parameters": [
                {"name": "stock", "target": "national-stock", "values": [1.0]},
                {"name": "use", "target": "consumption", "values": [1.0, 2.0]}]}"#,
        )
        .unwrap();
        let err = Sweep::new(SweepBase::Round(round()), spec.clone(), Job::NationalRound, None, 0)
            .unwrap_err()
            .to_string();
        assert!(err.contains("parameters[1].target"), "{err}");
        assert!(!err.contains("parameters[0]"), "{err}");
        let err = Sweep::new(SweepBase::Round(round()), spec, Job::CountyRound, None, 0)
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("job: a national round base runs job national-round only"),
            "{err}"
        );
    }

    #[test]
    fn a_per_item_draw_scales_only_its_item() {
        let base = round();
        let items = round_items(&base);
        assert!(items.len() >= 2, "{items:?}");
        let spec = SweepSpec::from_value(&serde_json::json!({"parameters": [
            {"name": "s", "target": "national-stock", "values": [0.0], "items": [items[0]]}]}))
        .unwrap();
        let sweep = Sweep::new(SweepBase::Round(base.clone()), spec, Job::NationalRound, None, 0).unwrap();
        let chunk = sweep.run(&[0], &|_| {}, &AtomicBool::new(false)).unwrap();
        let Some((_, Kept::National(plan))) = chunk.kept.first() else {
            panic!("scenario 0 not kept")
        };
        for it in &plan.items {
            if it.item == items[0] {
                assert_eq!(it.approved, 0, "{}", it.item);
            }
        }
        let full = run_national_round(&base, Policy::default()).unwrap();
        let first: i64 = full
            .items
            .iter()
            .filter(|i| i.item == items[0])
            .map(|i| i.approved)
            .sum();
        assert!(first > 0, "the base approves some {}", items[0]);
        let other = |p: &crate::process::NationalPlan| {
            p.items
                .iter()
                .filter(|i| i.item != items[0])
                .map(|i| i.approved)
                .sum::<i64>()
        };
        assert_eq!(other(plan), other(&full));
    }
}
