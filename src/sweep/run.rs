//! Running a range of scenarios: batches on rayon, each scenario isolated (an error
//! or a caught panic is its row), progress and cancellation between batches.

use super::apply::{apply, apply_testing, simulation_options};
use super::chunk::{Row, ScenarioStatus, SweepChunk};
use super::compiled::Workspace;
use super::sample::draw_scenario;
use super::{jobs, Job, Kept, Sweep};
use crate::error::{Error, Result};
use rayon::prelude::*;
use std::ops::Range;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::atomic::{AtomicBool, Ordering};

/// Scenarios per batch: progress is reported and cancellation checked between batches.
const BATCH: usize = 256;

impl Sweep {
    /// Runs scenarios `range` (on the current rayon pool: wrap the call in
    /// `ThreadPool::install` to choose the threads) and returns their rows in scenario
    /// order. `keep` lists scenarios whose full result is kept; `progress` is called
    /// with the number of scenarios finished since its last call; when `cancel` is
    /// set, the run stops after the batch under way and returns the rows done so far
    /// (a prefix of the range). A range beyond [`Sweep::len`] is an
    /// [`Error::Invalid`].
    pub fn run_range(
        &self,
        range: Range<usize>,
        keep: &[usize],
        progress: &(dyn Fn(usize) + Sync),
        cancel: &AtomicBool,
    ) -> Result<SweepChunk> {
        if range.start > range.end || range.end > self.len {
            return Err(Error::invalid(
                "range",
                format!(
                    "{}..{} is not within the sweep's 0..{}",
                    range.start, range.end, self.len
                ),
            ));
        }
        let mut rows: Vec<Row> = Vec::with_capacity(range.len());
        let mut start = range.start;
        while start < range.end && !cancel.load(Ordering::Relaxed) {
            let end = (start + BATCH).min(range.end);
            let batch: Vec<Row> = (start..end)
                .into_par_iter()
                .map_init(|| self.workspace(), |ws, k| self.isolated(k, keep.contains(&k), ws))
                .collect();
            rows.extend(batch);
            progress(end - start);
            start = end;
        }
        let ks: Vec<u64> = (range.start..start).map(|k| k as u64).collect();
        let samples = (range.start..start).map(|k| self.layout.sample(k) as u64).collect();
        SweepChunk::from_rows(self.columns.clone(), (ks, samples), rows)
    }

    /// Runs every scenario (see [`Sweep::run_range`]).
    pub fn run(&self, keep: &[usize], progress: &(dyn Fn(usize) + Sync), cancel: &AtomicBool) -> Result<SweepChunk> {
        self.run_range(0..self.len, keep, progress, cancel)
    }

    /// A thread's scratch for the compiled county base (`None` without one).
    fn workspace(&self) -> Option<Workspace> {
        self.prepared.compiled.as_ref().map(|c| c.workspace())
    }

    /// Scenario `k`'s row; a panic is caught and becomes the row's error.
    fn isolated(&self, k: usize, keep: bool, ws: &mut Option<Workspace>) -> Row {
        let draws = draw_scenario(&self.spec, &self.layout, &self.entities, self.seed, k);
        let parameters: Vec<f64> = self
            .spec
            .parameters
            .iter()
            .zip(&draws)
            .map(|(p, d)| {
                if p.target.is_text() || d.len() == 1 {
                    d[0]
                } else {
                    d.iter().sum::<f64>() / d.len() as f64
                }
            })
            .collect();
        let outcome = catch_unwind(AssertUnwindSafe(|| {
            if let (Some(compiled), Some(ws), false) = (&self.prepared.compiled, ws.as_mut(), keep) {
                if let Some(totals) = compiled.round(ws, &self.spec, &self.prepared.index, self.prepared.round, &draws)
                {
                    let metrics = jobs::county_totals_metrics(compiled.resolved(ws), &totals?);
                    return Ok((metrics, None));
                }
            }
            self.evaluate(&draws, self.layout.sample(k), keep)
        }));
        row_of(parameters, outcome)
    }

    fn evaluate(&self, draws: &[Vec<f64>], sample: usize, keep: bool) -> Result<(Vec<f64>, Option<super::Kept>)> {
        let prepared = &*self.prepared;
        if let super::SweepBase::Testing(t) = &prepared.base {
            let applied = apply_testing(t, &self.spec, draws)?;
            return jobs::testing(applied, keep);
        }
        if let super::SweepBase::Round(round) = &prepared.base {
            return super::round::national_round_of(round, &prepared.index, &self.spec, draws, keep);
        }
        let scenario = prepared
            .base
            .scenario()
            .ok_or_else(|| Error::Internal("the job needs a county scenario".into()))?;
        let events = crate::rng::SplitMix64::stream(self.seed, sample as u64 + 1, 0).next_u64();
        let applied = apply(scenario, prepared.round, &prepared.index, &self.spec, draws, events)?;
        match self.job {
            Job::CountyRound => jobs::county_round(applied, keep),
            Job::NationalRound => jobs::national_round(&applied, &prepared.warehouses, keep),
            Job::Simulate => {
                let mut options = simulation_options(&prepared.simulation, &applied);
                let items: Vec<String> = applied.scenario.items.iter().map(|i| i.id.clone()).collect();
                options.warehouses = Some(jobs::scaled_warehouses(
                    &prepared.warehouses,
                    &items,
                    &applied.national_stock,
                )?);
                jobs::simulation(&applied, &options, keep)
            }
            Job::Testing => Err(Error::invalid(
                "job",
                "a testing sweep needs a testing scenario as its base",
            )),
        }
    }
}

/// The row of a scenario from its parameter values and its (caught) outcome.
fn row_of(parameters: Vec<f64>, outcome: std::thread::Result<Result<(Vec<f64>, Option<Kept>)>>) -> Row {
    let (status, error, metrics, kept) = match outcome {
        Ok(Ok((metrics, kept))) => (ScenarioStatus::Ok, None, metrics, kept),
        Ok(Err(Error::Invalid(problems))) => {
            let text: Vec<String> = problems.iter().map(|p| format!("{}: {}", p.path, p.message)).collect();
            (ScenarioStatus::Invalid, Some(text.join("; ")), Vec::new(), None)
        }
        Ok(Err(e)) => (ScenarioStatus::Error, Some(e.to_string()), Vec::new(), None),
        Err(payload) => (
            ScenarioStatus::Panic,
            Some(panic_message(payload.as_ref())),
            Vec::new(),
            None,
        ),
    };
    Row {
        parameters,
        metrics,
        status,
        error,
        kept,
    }
}

/// The text of a panic's payload.
pub(crate) fn panic_message(payload: &(dyn std::any::Any + Send)) -> String {
    let text = payload
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "a panic without a message".into());
    format!("panic (a bug in allocnet, please report it): {text}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_caught_panic_or_an_error_is_a_row_with_its_status() {
        let row = row_of(
            vec![1.0],
            catch_unwind(|| -> Result<(Vec<f64>, Option<Kept>)> { panic!("bad index") }),
        );
        assert_eq!(row.status, ScenarioStatus::Panic);
        assert!(row.error.as_deref().unwrap().ends_with("bad index"));
        assert!(row.metrics.is_empty());
        let row = row_of(vec![1.0], Ok(Err(Error::Solver("no basis".into()))));
        assert_eq!(row.status, ScenarioStatus::Error);
        let row = row_of(vec![1.0], Ok(Err(Error::invalid("x", "bad"))));
        assert_eq!(
            (row.status, row.error.as_deref()),
            (ScenarioStatus::Invalid, Some("x: bad"))
        );
        let row = row_of(vec![1.0], Ok(Ok((vec![2.0], None))));
        assert_eq!((row.status, row.metrics), (ScenarioStatus::Ok, vec![2.0]));
    }

    #[test]
    fn a_panic_becomes_its_message() {
        let payload = catch_unwind(|| panic!("boom {}", 3)).unwrap_err();
        assert!(panic_message(payload.as_ref()).ends_with("boom 3"));
        let payload = catch_unwind(|| std::panic::panic_any(7u8)).unwrap_err();
        assert!(panic_message(payload.as_ref()).contains("without a message"));
    }
}
