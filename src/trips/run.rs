//! One HiGHS solve of a trips model: the model built by good_lp, solved through the
//! `highs` crate so that HiGHS's own dual bound comes back with the plan (good_lp's
//! solution does not carry it). The options and the start are the ones good_lp's HiGHS
//! backend would pass, plus `parallel = off`: one search worker, so the plan does not
//! depend on the machine's number of cores.

use super::result::{SolveStatus, StoppedBy};
use super::solve::MipOptions;
use crate::error::{Error, Result};
use good_lp::{Constraint, Expression, ProblemVariables, Variable};

/// The outcome of one solve.
pub(crate) struct Raw {
    /// One value per variable of `all`, in that order.
    pub values: Vec<f64>,
    /// The objective at `values`.
    pub objective: f64,
    pub status: SolveStatus,
    /// What stopped the solve short of a proof, when `status` is `limit`.
    pub stop: Option<StoppedBy>,
    /// The solver's proven bound on the objective (a MIP stopped by a limit: HiGHS's
    /// dual bound; `None` when it has none).
    pub bound: Option<f64>,
    /// Whether `objective` equals the objective the solver reports (see [`run`]).
    pub consistent: bool,
    /// The MIP's LP iterations at its last limit check (0 for an LP, or without HiGHS).
    pub lp_iterations: i64,
}

/// Solves one model: minimise or maximise `objective` over `rows`, starting from
/// `start` (one value per variable of `all`) when given. `all` lists every variable
/// of `pv` in creation order.
///
/// The plan's objective is evaluated from the columns returned, and must be the
/// objective HiGHS reports for them. When a start was given and they differ, the model
/// is solved again without it: HiGHS 1.x can report a start as optimal at the value it
/// has in the presolved model and then return the start's own columns, whose value
/// is worse (found by tests/trips_mip.rs, an instance kept in its regressions file).
/// A plan whose columns still disagree with HiGHS's objective is never called
/// optimal: its status is `limit`, and its gap is taken to HiGHS's bound.
pub(crate) fn run(
    pv: ProblemVariables,
    all: &[Variable],
    objective: Expression,
    maximise: bool,
    rows: Vec<Constraint>,
    start: Option<&[f64]>,
    options: &MipOptions,
) -> Result<Raw> {
    if all.is_empty() {
        // Nothing to give or nothing needed: the one plan is empty (HiGHS calls the
        // model `ModelEmpty`, not optimal).
        return Ok(Raw {
            values: Vec::new(),
            objective: good_lp::IntoAffineExpression::constant(&objective),
            status: SolveStatus::Optimal,
            stop: None,
            bound: None,
            consistent: true,
            lp_iterations: 0,
        });
    }
    if start.is_none() {
        return run_once(pv, all, &objective, maximise, rows, None, options);
    }
    let raw = run_once(pv.clone(), all, &objective, maximise, rows.clone(), start, options)?;
    if raw.consistent {
        return Ok(raw);
    }
    if std::env::var_os("ALLOCNET_TRIPS_TRACE").is_some() {
        eprintln!("trips MIP: the columns returned from the start are worth {}, not HiGHS's objective: solving again without the start", raw.objective);
    }
    run_once(pv, all, &objective, maximise, rows, None, options)
}

/// One solve of [`run`]; `consistent` says whether the columns' objective is the one
/// the solver reports (always true without HiGHS).
fn run_once(
    pv: ProblemVariables,
    all: &[Variable],
    objective: &Expression,
    maximise: bool,
    rows: Vec<Constraint>,
    start: Option<&[f64]>,
    options: &MipOptions,
) -> Result<Raw> {
    let problem = if maximise {
        pv.maximise(objective.clone())
    } else {
        pv.minimise(objective.clone())
    };
    #[cfg(feature = "highs")]
    let Columns {
        values,
        status,
        stop,
        bound,
        reported,
        lp_iterations,
    } = run_highs(problem, all, rows, start, options)?;
    #[cfg(not(feature = "highs"))]
    let Columns {
        values,
        status,
        stop,
        bound,
        reported,
        lp_iterations,
    } = {
        use good_lp::{Solution, SolverModel};
        let _ = (start, options);
        let solution = problem
            .using(good_lp::microlp)
            .with_all(rows)
            .solve()
            .map_err(|e| Error::Solver(format!("trips MIP: {e}")))?;
        let (status, stop) = match solution.status() {
            good_lp::solvers::SolutionStatus::Optimal => (SolveStatus::Optimal, None),
            _ => (SolveStatus::Limit, Some(StoppedBy::Solver)),
        };
        Columns {
            values: all.iter().map(|&v| solution.value(v)).collect(),
            status,
            stop,
            bound: None,
            reported: None,
            lp_iterations: 0,
        }
    };
    let value = objective.eval_with(&super::mip::values_at(all, &values));
    // good_lp hands HiGHS the objective without its constant.
    let linear = value - good_lp::IntoAffineExpression::constant(objective);
    let consistent = reported.is_none_or(|r| (r - linear).abs() <= OBJECTIVE_TOL * linear.abs().max(1.0));
    Ok(Raw {
        objective: value,
        values,
        status: if consistent { status } else { SolveStatus::Limit },
        stop: if consistent {
            stop
        } else {
            Some(StoppedBy::ObjectiveCheck)
        },
        bound,
        consistent,
        lp_iterations,
    })
}

/// What one solver run returns.
struct Columns {
    /// One value per variable, in creation order.
    values: Vec<f64>,
    status: SolveStatus,
    /// What stopped the solve short of a proof, when `status` is `limit`.
    stop: Option<StoppedBy>,
    /// The solver's proven bound, when it has one.
    bound: Option<f64>,
    /// The objective the solver reports for `values` (without the objective's
    /// constant), when it reports one.
    reported: Option<f64>,
    /// The MIP's LP iterations at its last limit check.
    lp_iterations: i64,
}

/// Relative tolerance between the objective of the columns returned and the one the
/// solver reports for them.
const OBJECTIVE_TOL: f64 = 1e-6;

/// HiGHS with the node, LP work and time limits of `options`, a relative gap of 0, one search
/// worker, the start (when given) and its log under `ALLOCNET_TRIPS_HIGHS_LOG`; the
/// statuses as good_lp's backend maps them (optimal only with no gap left), and the
/// objective HiGHS reports.
#[cfg(feature = "highs")]
fn run_highs(
    problem: good_lp::variable::UnsolvedProblem,
    all: &[Variable],
    rows: Vec<Constraint>,
    start: Option<&[f64]>,
    options: &MipOptions,
) -> Result<Columns> {
    use good_lp::SolverModel;
    use highs::{HighsModelStatus as S, HighsSolutionStatus};
    let solver_error = |what: &str| Error::Solver(format!("trips MIP: {what}"));
    let built = problem.using(good_lp::highs).with_all(rows);
    let mut model = built.try_into_inner().map_err(|e| solver_error(&e.to_string()))?;
    set_option(&mut model, "time_limit", options.time_limit_s)?;
    set_option(&mut model, "mip_max_nodes", options.max_nodes)?;
    set_option(&mut model, "mip_rel_gap", 0.0)?;
    // One search worker: by default HiGHS's MIP runs as many as the machine has cores,
    // so its plan under a node limit depended on the machine. Parts run in parallel.
    set_option(&mut model, "parallel", "off")?;
    if std::env::var_os("ALLOCNET_TRIPS_HIGHS_LOG").is_some() {
        set_option(&mut model, "output_flag", true)?;
        set_option(&mut model, "log_to_console", true)?;
    }
    // `all` lists every variable in creation order, which is HiGHS's column order.
    if all.len() != model.num_cols() {
        return Err(Error::Internal(format!(
            "trips MIP: {} variables listed for {} columns",
            all.len(),
            model.num_cols()
        )));
    }
    // The deterministic work limit, in LP iterations for this model's columns; `work`
    // must outlive the solve (HiGHS points to it).
    let max_iterations = lp_iteration_limit(options.max_lp_work, all.len());
    let work = super::work_limit::install(&mut model, max_iterations).map_err(|e| solver_error(&e))?;
    if let Some(start) = start {
        model
            .try_set_solution(Some(start), None, None, None)
            .map_err(|e| solver_error(&format!("start: {e:?}")))?;
    }
    let solved = model.try_solve().map_err(|e| solver_error(&format!("{e:?}")))?;
    let lp_iterations = work.iterations();
    drop(work);
    let model_status = solved.status();
    let stop = match model_status {
        S::Optimal | S::ObjectiveBound | S::ObjectiveTarget => {
            let gap = solved.mip_gap();
            (gap.is_finite() && gap > 0.0).then_some(StoppedBy::Solver)
        }
        S::ReachedTimeLimit => Some(StoppedBy::TimeLimit),
        S::ReachedSolutionLimit => Some(StoppedBy::NodeLimit),
        S::ReachedInterrupt => Some(StoppedBy::LpWorkLimit),
        S::ReachedIterationLimit | S::ReachedMemoryLimit => Some(StoppedBy::Solver),
        S::Infeasible | S::UnboundedOrInfeasible => return Err(solver_error("infeasible")),
        S::Unbounded => return Err(solver_error("unbounded")),
        other => return Err(solver_error(&format!("{other:?}"))),
    };
    if solved.primal_solution_status() != HighsSolutionStatus::Feasible {
        return Err(solver_error(&match model_status {
            S::ReachedTimeLimit => format!(
                "{TIME_LIMIT_FIRST}{} s per level solve, `time_limit_s`) was reached before a first plan was found; raise it",
                crate::limits::compact(options.time_limit_s)
            ),
            S::ReachedSolutionLimit => format!(
                "{NODE_LIMIT_FIRST}{} nodes per level solve, `max_nodes`) was reached before a first plan was found; raise it",
                options.max_nodes
            ),
            S::ReachedInterrupt => format!(
                "{LP_WORK_LIMIT_FIRST}{} LP iterations x columns per level solve, `max_lp_work`: {max_iterations} LP iterations for {} columns) was reached before a first plan was found; raise it",
                options.max_lp_work,
                all.len()
            ),
            S::ReachedIterationLimit | S::ReachedMemoryLimit => {
                format!("stopped ({model_status:?}) before a first plan was found")
            }
            _ => "no solution found".to_string(),
        }));
    }
    let bound = solved
        .double_info_value(c"mip_dual_bound")
        .ok()
        .filter(|b| b.is_finite() && solved.mip_gap().is_finite());
    let columns = solved.get_solution();
    let columns = columns.columns();
    let values = columns.to_vec();
    let status = if stop.is_some() {
        SolveStatus::Limit
    } else {
        SolveStatus::Optimal
    };
    Ok(Columns {
        values,
        status,
        stop,
        bound,
        reported: Some(solved.objective_value()),
        lp_iterations,
    })
}

/// The limit named by a solver error of a level stopped before it had any plan (the
/// messages of `run_highs`); [`StoppedBy::Solver`] for any other solver error.
pub(crate) fn stop_before_a_plan(message: &str) -> StoppedBy {
    if message.contains(TIME_LIMIT_FIRST) {
        StoppedBy::TimeLimit
    } else if message.contains(NODE_LIMIT_FIRST) {
        StoppedBy::NodeLimit
    } else if message.contains(LP_WORK_LIMIT_FIRST) {
        StoppedBy::LpWorkLimit
    } else {
        StoppedBy::Solver
    }
}

/// How the solver errors of a level stopped before its first plan begin, by limit.
const TIME_LIMIT_FIRST: &str = "the time limit (";
const NODE_LIMIT_FIRST: &str = "the node limit (";
const LP_WORK_LIMIT_FIRST: &str = "the LP work limit (";

/// The LP iterations that [`MipOptions::max_lp_work`] allows a model of `columns`
/// columns: the work divided by the columns, rounded up, at least 1.
#[cfg(feature = "highs")]
fn lp_iteration_limit(max_lp_work: i64, columns: usize) -> i64 {
    let columns = i64::try_from(columns.max(1)).unwrap_or(i64::MAX);
    (max_lp_work / columns + i64::from(max_lp_work % columns != 0)).max(1)
}

#[cfg(feature = "highs")]
fn set_option<V: highs::HighsOptionValue>(model: &mut highs::Model, name: &str, value: V) -> Result<()> {
    model
        .try_set_option(name, value)
        .map_err(|e| Error::Solver(format!("trips MIP: HiGHS option {name}: {e:?}")))
}

#[cfg(all(test, feature = "highs"))]
mod tests {
    use super::*;
    use good_lp::{constraint, variable};

    /// The 117 lines `{a, b, c}` (`a + b + c = 0`) of the affine space AG(3,3): the
    /// Steiner triple system A27 on the 27 points of Z₃³.
    fn lines() -> Vec<[usize; 3]> {
        let digits = |p: usize| [p % 3, p / 3 % 3, p / 9];
        let mut out = Vec::new();
        for a in 0..27 {
            for b in a + 1..27 {
                let (da, db) = (digits(a), digits(b));
                let c = (0..3).rev().fold(0, |acc, k| acc * 3 + (6 - da[k] - db[k]) % 3);
                if c > b {
                    out.push([a, b, c]);
                }
            }
        }
        out
    }

    /// A27's covering problem (the fewest points meeting every line): its optimum is
    /// 18 (Fulkerson, Nemhauser and Trotter 1974), its LP bound 9, and its branch and
    /// bound is long, so one node stops HiGHS short of the optimum.
    #[test]
    fn a_stopped_search_returns_the_solvers_bound_and_it_is_a_bound() {
        let lines = lines();
        assert_eq!(lines.len(), 117);
        for a in 0..27 {
            for b in a + 1..27 {
                let on = lines.iter().filter(|l| l.contains(&a) && l.contains(&b)).count();
                assert_eq!(
                    on, 1,
                    "points {a} and {b}: a Steiner triple system has one line through two points"
                );
            }
        }
        let mut pv = ProblemVariables::new();
        let x: Vec<Variable> = (0..27).map(|_| pv.add(variable().binary())).collect();
        let rows = lines
            .iter()
            .map(|&[a, b, c]| constraint::geq(x[a] + x[b] + x[c], 1.0))
            .collect();
        let objective: Expression = x.iter().sum();
        let options = MipOptions {
            max_nodes: 1,
            ..MipOptions::default()
        };
        let stopped = run(pv, &x, objective, false, rows, None, &options).unwrap();
        let optimum = 18.0;
        assert_eq!(stopped.status, SolveStatus::Limit);
        let bound = stopped.bound.expect("a stopped MIP search has a dual bound");
        assert!(bound <= optimum + 1e-6, "bound {bound} above the optimum {optimum}");
        assert!(bound > 9.0 + 1e-6, "bound {bound} no better than the LP's");
        assert!(stopped.objective >= optimum - 1e-6 && stopped.objective >= bound);
    }
}
