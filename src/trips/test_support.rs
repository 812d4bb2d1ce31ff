//! Test set-up shared by the trips modules' unit tests: Västmanland's meeting with the
//! built-in (synthetic) logistics, and its levels proven one by one up to substitutes.

use super::bound_first::{applies, bound_first, BoundFirst};
use super::mip::{Level, Part};
use super::model::ResolvedLogistics;
use super::solve::{own_bound, LevelOutcome, MipOptions};
use crate::model::synthetic::vastmanland_default;
use crate::model::ResolvedScenario;

/// Västmanland's scenario and logistics, resolved, and its largest part of the lane
/// graph (the whole county).
pub(super) struct Vastmanland {
    resolved: ResolvedScenario,
    logistics: ResolvedLogistics,
    sites: Vec<usize>,
    lanes: Vec<usize>,
}

impl Vastmanland {
    /// The built-in scenario with [`super::builtin_logistics`].
    pub(super) fn new() -> Self {
        let scenario = vastmanland_default().unwrap();
        let resolved = scenario.resolve().unwrap();
        let classes: Vec<String> = resolved.classes.iter().map(|c| c.id.clone()).collect();
        let logistics = super::builtin_logistics().resolve(&scenario, &classes).unwrap();
        let (sites, lanes) = super::assemble::parts(&resolved)
            .into_iter()
            .max_by_key(|(s, _)| s.len())
            .unwrap();
        Vastmanland {
            resolved,
            logistics,
            sites,
            lanes,
        }
    }

    /// The county's part.
    pub(super) fn part(&self) -> Part<'_> {
        Part {
            resolved: &self.resolved,
            logistics: &self.logistics,
            sites: self.sites.clone(),
            lanes: self.lanes.clone(),
            packing_cuts: Vec::new(),
        }
    }
}

/// The acute classes at their own bounds (every acute need met, as the acute start
/// finds on Västmanland), then each level [`bound_first`] applies to (planning and
/// substitutes), each required to be proven at its LP bound: the fixed levels and the
/// last level's plan (one value per column of `part.build`). Panics when a level is
/// not proven there.
pub(super) fn proven_through_bound_first(part: &Part<'_>) -> (Vec<LevelOutcome>, Vec<f64>) {
    let (_, vars, _) = part.build(true).unwrap();
    let classes = part.resolved.classes.len();
    let mut fixed: Vec<LevelOutcome> = (0..classes)
        .map(|c| LevelOutcome::optimal(Level::Acute(c), own_bound(part, &vars, Level::Acute(c)).unwrap()))
        .collect();
    let mut start = None;
    for level in part.levels().into_iter().filter(|&l| applies(l)) {
        let BoundFirst::Optimal { values, value } =
            bound_first(part, &fixed, level, start.take(), &MipOptions::default()).unwrap()
        else {
            panic!("level {level:?} not proven at its LP bound");
        };
        fixed.push(LevelOutcome::optimal(level, value));
        start = Some(values);
    }
    (fixed, start.expect("planning and substitutes levels"))
}
