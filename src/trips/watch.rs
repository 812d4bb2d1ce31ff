//! Progress and cancellation of a round with logistics data: the round counts its
//! finished parts (the connected parts of the lane graph, one per county; the whole
//! round is one part when it needs no MIP) and reads a cancel flag between them.

use super::assemble::parts;
use super::model::{Logistics, ResolvedLogistics};
use crate::error::{Error, Result};
use crate::model::{ResolvedScenario, Scenario};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

/// The number of parts [`run_trips_round_with`](super::run_trips_round_with) counts on
/// `scenario` with `logistics`: the total of its progress bar. Cheap: the parts are
/// known before any solve (the scenario and the logistics data are checked, as the
/// round checks them).
///
/// ```
/// use allocnet::model::synthetic::vastmanland_default;
/// use allocnet::trips::{builtin_logistics, trips_round_parts, Logistics};
/// let scenario = vastmanland_default().unwrap();
/// assert_eq!(trips_round_parts(&scenario, &builtin_logistics()).unwrap(), 1);
/// assert_eq!(trips_round_parts(&scenario, &Logistics::default()).unwrap(), 1);
/// ```
pub fn trips_round_parts(scenario: &Scenario, logistics: &Logistics) -> Result<usize> {
    let resolved = scenario.resolve()?;
    let classes: Vec<String> = resolved.classes.iter().map(|c| c.id.clone()).collect();
    let rl = logistics.resolve(scenario, &classes)?;
    Ok(resolved_trips_parts(&resolved, &rl))
}

/// [`trips_round_parts`] on a resolved scenario and resolved logistics data: the
/// connected parts of the lane graph when the round needs the MIP, else 1 (one solve).
pub fn resolved_trips_parts(resolved: &ResolvedScenario, logistics: &ResolvedLogistics) -> usize {
    if logistics.needs_mip() {
        parts(resolved).len()
    } else {
        1
    }
}

/// A running round's progress callback (called with 1 per finished part), cancel flag
/// and count of finished parts.
pub(crate) struct Watch<'a> {
    progress: &'a (dyn Fn(usize) + Sync),
    cancel: &'a AtomicBool,
    done: AtomicUsize,
}

impl<'a> Watch<'a> {
    pub(crate) fn new(progress: &'a (dyn Fn(usize) + Sync), cancel: &'a AtomicBool) -> Self {
        Watch {
            progress,
            cancel,
            done: AtomicUsize::new(0),
        }
    }

    /// True once the caller asked the round to stop.
    pub(crate) fn cancelled(&self) -> bool {
        self.cancel.load(Ordering::Relaxed)
    }

    /// Counts one finished part.
    pub(crate) fn finished(&self) {
        self.done.fetch_add(1, Ordering::Relaxed);
        (self.progress)(1);
    }

    /// The error of a round stopped by its cancel flag before all `total` parts were
    /// solved.
    pub(crate) fn cancelled_error(&self, total: usize) -> Error {
        Error::Cancelled(format!(
            "the trips round after {} of {total} parts; no plan was made",
            self.done.load(Ordering::Relaxed)
        ))
    }
}
