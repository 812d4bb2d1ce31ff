//! The plan a level keeps: no level ends worse than the best plan it was offered, and
//! no limit makes a round fail.
//!
//! Each level is offered its start (the previous level's plan, or a better one from
//! the trips start or the `after_need` reference, see [`super::reference`]); the first
//! solve of a part, which has none, is offered the empty plan (nothing shipped, no
//! need met), which keeps every row of a model without fixed levels. Of those offered
//! plans that keep every row of the level's model ([`rows_hold_at`]), the best by the
//! level's objective is the *kept plan*. When the search stops by a limit before it
//! has a plan of its own, or ends worse than the kept plan (a stopped search; one
//! solved again without its start, see [`super::run::run`]), the level keeps that
//! plan with the status `limit` and the limit that stopped it. By induction the whole
//! plan is lexicographically no worse than every plan offered along the way.

use super::consolidate::rows_hold_at;
use super::mip::{value_at, Vars};
use super::result::{SolveStatus, StoppedBy};
use super::run::{stop_before_a_plan, Raw};
use super::solve::settle;
use crate::error::{Error, Result};
use good_lp::{Constraint, Expression};

/// The kept plan of a level (see the module doc): the best of `offered` (in order of
/// preference on ties) by `objective` among those that keep every row of `rows`; when
/// nothing is offered, the empty plan if it keeps them.
pub(crate) fn kept_plan(
    offered: &[Option<&[f64]>],
    vars: &Vars,
    rows: &[Constraint],
    objective: &Expression,
    maximise: bool,
) -> Option<Vec<f64>> {
    let empty = vec![0.0; vars.all.len()];
    let candidates: Vec<&[f64]> = if offered.iter().all(Option::is_none) {
        vec![&empty]
    } else {
        offered.iter().flatten().copied().collect()
    };
    let value = |p: &[f64]| settle(value_at(objective, &vars.all, p), maximise);
    let mut best: Option<(&[f64], f64)> = None;
    for plan in candidates.into_iter().filter(|p| rows_hold_at(rows, &vars.all, p)) {
        let v = value(plan);
        if best.is_none_or(|(_, b)| improves(v, b, maximise)) {
            best = Some((plan, v));
        }
    }
    best.map(|(plan, _)| plan.to_vec())
}

/// The level's solve `raw`, or the kept plan `kept` (see [`kept_plan`]) when the
/// solve failed with a solver error (a limit reached before HiGHS had any plan, or a
/// start HiGHS did not take): the kept plan with the status `limit`, the limit named
/// by the error and no solver bound. Without a kept plan the error stands.
pub(crate) fn instead_of_error(
    raw: Result<Raw>,
    kept: Option<&[f64]>,
    vars: &Vars,
    objective: &Expression,
) -> Result<Raw> {
    match (raw, kept) {
        (Err(Error::Solver(message)), Some(p)) => {
            trace(&format!("{message}; the plan offered to the level is kept"));
            Ok(Raw {
                values: p.to_vec(),
                objective: value_at(objective, &vars.all, p),
                status: SolveStatus::Limit,
                stop: Some(stop_before_a_plan(&message)),
                bound: None,
                consistent: true,
                lp_iterations: 0,
            })
        }
        (raw, _) => raw,
    }
}

/// The level's solve `raw`, or the kept plan `kept` when that is strictly better by the
/// level's `objective`; it then has the status `limit` and the search's stop (its gap
/// is the caller's).
pub(crate) fn no_worse(raw: Raw, kept: Option<&[f64]>, vars: &Vars, objective: &Expression, maximise: bool) -> Raw {
    let Some(p) = kept else { return raw };
    let value = value_at(objective, &vars.all, p);
    if !improves(settle(value, maximise), settle(raw.objective, maximise), maximise) {
        return raw;
    }
    trace(&format!(
        "the level ended at {}, the plan offered to it is at {value}: kept",
        raw.objective
    ));
    Raw {
        values: p.to_vec(),
        objective: value,
        status: SolveStatus::Limit,
        stop: raw.stop.or(Some(StoppedBy::Solver)),
        consistent: true,
        ..raw
    }
}

/// True when the whole-number level value `a` is strictly better than `b`.
pub(crate) fn improves(a: f64, b: f64, maximise: bool) -> bool {
    if maximise {
        a > b + 0.5
    } else {
        a < b - 0.5
    }
}

fn trace(what: &str) {
    if std::env::var_os("ALLOCNET_TRIPS_TRACE").is_some() {
        eprintln!("trips MIP: {what}");
    }
}
