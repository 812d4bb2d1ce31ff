//! The planning and substitutes levels solved bound first: the LP relaxation's
//! bound, then an integer plan searched only on the lanes the LP's plan uses (a small
//! MIP at its root node only: the other lanes' packs and trips fixed at 0). Every level is a whole
//! number at an integer plan, so a plan at the LP bound rounded to a whole number is
//! optimal with no branch and bound over the whole model; otherwise the level's full
//! solve runs, started from the better of the two plans.
//!
//! The levels fixed before the substitutes level may include the trips, vehicle km and
//! transport levels (the logistics data's `substitutes_rank`): their rows hold at every
//! integer plan of the level, so the LP relaxation with them is still a bound.
//!
//! On the built-in Västmanland data the planning and substitutes levels' LP bound is
//! their optimum (HiGHS's own log: the full MIP spends its time in root heuristics
//! looking for an integer plan at a bound the first LP already has).

use super::kept::improves;
use super::mip::{value_at, values_at, Level, Part};
use super::result::SolveStatus;
use super::run::run;
use super::solve::{fixed_rows, settle, whole_bound, LevelOutcome, MipOptions};
use crate::error::Result;
use good_lp::{constraint, Constraint, Expression};

/// What the bound-first step found for one level.
pub(crate) enum BoundFirst {
    /// An integer plan (one value per column) whose level value, evaluated from its
    /// columns, is the LP bound rounded to a whole number: the level's optimum.
    Optimal { values: Vec<f64>, value: f64 },
    /// No proof; the better integer plan found (or the start) for the full solve.
    Start(Option<Vec<f64>>),
}

/// True for the levels this step handles: planning and substitutes. The acute levels
/// are not: the acute start meets them in full where stock allows (then they need no
/// solve), and where it does not, the small MIP on the LP's lanes failed in 42 of the
/// 21 counties' acute levels (each failure a wasted solve before the full one).
pub(crate) fn applies(level: Level) -> bool {
    matches!(level, Level::Planning | Level::Substitutes)
}

/// Solves `level` of `part` bound first (the levels of `fixed` held), see the module
/// doc. `start` is the previous level's plan, kept when nothing better is found.
pub(crate) fn bound_first(
    part: &Part<'_>,
    fixed: &[LevelOutcome],
    level: Level,
    start: Option<Vec<f64>>,
    options: &MipOptions,
) -> Result<BoundFirst> {
    let clock = std::time::Instant::now();
    let (pv, vars, mut rows) = part.build(false)?;
    rows.extend(fixed_rows(part, &vars, fixed));
    let (objective, maximise) = part.objective(&vars, level);
    // An LP that fails or stops gives no bound: the full solve decides (and reports).
    let lp = match run(pv, &vars.all, objective.clone(), maximise, rows, None, options) {
        Ok(lp) if lp.status == SolveStatus::Optimal => lp,
        _ => {
            trace(part, level, clock, "no LP bound: full solve");
            return Ok(BoundFirst::Start(start));
        }
    };
    // The LP relaxation bounds the level at every integer plan; the level is a whole
    // number there, so the bound rounds down (maximised) or up (minimised).
    let bound = whole_bound(lp.objective, maximise);
    if let Some(s) = start.as_deref() {
        if reaches(value_at(&objective, &vars.all, s), bound, maximise) {
            trace(part, level, clock, "the start is at the LP bound");
            return Ok(BoundFirst::Optimal {
                values: s.to_vec(),
                value: bound,
            });
        }
    }
    let (pv, ivars, mut rows) = part.build(true)?;
    rows.extend(fixed_rows(part, &ivars, fixed));
    rows.extend(lp_lanes_only(&ivars, &lp.values));
    let (iobjective, _) = part.objective(&ivars, level);
    // The LP's lanes may hold no integer plan (HiGHS: infeasible): no proof, the full
    // solve decides.
    // The root node only: on Västmanland both levels reach the bound there, and a
    // failure (a bound the LP's lanes cannot reach) then costs no branch and bound.
    let root_only = MipOptions {
        max_nodes: 1,
        ..*options
    };
    let Ok(near) = run(pv, &ivars.all, iobjective.clone(), maximise, rows, None, &root_only) else {
        trace(part, level, clock, "no integer plan on the LP's lanes: full solve");
        return Ok(BoundFirst::Start(start));
    };
    // The plan's value is evaluated from its columns (`run` checks it against HiGHS's).
    let value = value_at(&iobjective, &ivars.all, &near.values);
    if near.consistent && reaches(value, bound, maximise) {
        trace(part, level, clock, "an integer plan at the LP bound: optimal");
        return Ok(BoundFirst::Optimal {
            values: near.values,
            value: bound,
        });
    }
    trace(part, level, clock, "short of the bound on the LP's lanes: full solve");
    let better = match start {
        Some(s) if !near.consistent || !improves(value, value_at(&iobjective, &ivars.all, &s), maximise) => s,
        _ => near.values,
    };
    Ok(BoundFirst::Start(Some(better)))
}

/// True when `value` (a level's value at an integer plan, whole up to the columns'
/// tolerances) is the whole-number `bound`: no integer plan does better.
fn reaches(value: f64, bound: f64, maximise: bool) -> bool {
    let whole = settle(value, maximise);
    (value - whole).abs() <= 1e-3 && whole == bound
}

/// Rows fixing at 0 the packs and trips of every lane the LP's plan (`lp`, one value
/// per column of the same build order) ships nothing on: the integer plan is searched
/// on the LP's lanes only (all their packs, trips and minimum-load switches free, and
/// every substitute). Bounding each column between the floor and the ceiling of its LP
/// value instead (RENS proper) left no integer plan on Västmanland: the LP splits packs
/// (11.8 packs meet a need exactly) and fixes the other levels' need at values the
/// rounded flows cannot all keep.
fn lp_lanes_only(vars: &super::mip::Vars, lp: &[f64]) -> Vec<Constraint> {
    let at = values_at(&vars.all, lp);
    let mut used = vec![false; vars.y.len()];
    for &(_, li, x) in &vars.x {
        used[li] |= at.get(&x).is_some_and(|&v| v > 1e-6);
    }
    let mut rows = Vec::new();
    for &(_, li, x) in vars.x.iter().filter(|&&(_, li, _)| !used[li]) {
        rows.push(constraint::eq(Expression::from(x), 0.0));
        if let Some(y) = vars.y[li] {
            rows.push(constraint::eq(Expression::from(y), 0.0));
        }
    }
    rows
}

fn trace(part: &Part<'_>, level: Level, clock: std::time::Instant, what: &str) {
    if std::env::var_os("ALLOCNET_TRIPS_TRACE").is_some() {
        eprintln!(
            "trips MIP: part of {} sites, level {level:?}, bound first: {what} ({:.3} s)",
            part.sites.len(),
            clock.elapsed().as_secs_f64()
        );
    }
}

#[cfg(all(test, feature = "highs"))]
mod tests {
    use crate::trips::test_support::{proven_through_bound_first, Vastmanland};

    /// Västmanland with the built-in data, every acute class met in full (as the
    /// acute start finds): the planning and substitutes levels are proven at their LP
    /// bounds by the plan on the LP's lanes at its root node, with no full MIP (the
    /// full solves took 0.6 s and 1.4 s in HiGHS's root heuristics); the values are the
    /// full MIP's optima (52 236 planning units met, 929 units by substitutes).
    #[test]
    fn vastmanland_planning_and_substitutes_are_proven_at_the_lp_bound() {
        let county = Vastmanland::new();
        let part = county.part();
        let (fixed, _) = proven_through_bound_first(&part);
        let classes = part.resolved.classes.len();
        let values: Vec<f64> = fixed[classes..].iter().map(|f| f.value).collect();
        assert_eq!(values, [52236.0, 929.0]);
    }
}
