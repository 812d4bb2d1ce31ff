//! The compiled-in LP backend, reached through good_lp: HiGHS (cargo feature `highs`,
//! the default) or the pure-Rust microlp. This module only translates; the answer is
//! checked by the caller ([`crate::lp::LinearProgram::solve`]).

use super::model::LinearProgram;
use crate::error::{Error, Result};
use good_lp::constraint::ConstraintReference;
use good_lp::{variable, Expression, ProblemVariables, ResolutionError, SolverModel, Variable};

/// What the backend says, unchecked.
pub(crate) enum RawOutcome {
    /// A claimed optimum: one value per variable, and one dual per row when the backend
    /// gives duals (rows the backend never saw have dual 0).
    Optimal {
        values: Vec<f64>,
        row_duals: Option<Vec<f64>>,
    },
    /// The backend says infeasible (HiGHS through good_lp also says this for
    /// "infeasible or unbounded").
    Infeasible,
    /// The backend says unbounded.
    Unbounded,
}

/// The name of the compiled-in LP backend: `"highs"` (cargo feature `highs`, the
/// default) or `"microlp"`.
///
/// ```
/// let name = allocnet::lp::backend_name();
/// assert!(name == "highs" || name == "microlp");
/// ```
pub fn backend_name() -> &'static str {
    if cfg!(feature = "highs") {
        "highs"
    } else {
        "microlp"
    }
}

/// Whether the compiled-in backend returns row duals (HiGHS does, microlp does not).
pub fn backend_gives_duals() -> bool {
    cfg!(feature = "highs")
}

/// The variables of `lp` for good_lp, and the objective `Σ costs·x`.
fn variables(lp: &LinearProgram, costs: &[f64]) -> (ProblemVariables, Vec<Variable>, Expression) {
    let mut vars = ProblemVariables::new();
    let (lower, upper) = (lp.variable_lower(), lp.variable_upper());
    let columns: Vec<Variable> = (0..lp.variable_count())
        .map(|j| vars.add(variable().min(lower[j]).max(upper[j])))
        .collect();
    let mut objective = Expression::with_capacity(costs.iter().filter(|&&c| c != 0.0).count());
    for (&column, &cost) in columns.iter().zip(costs) {
        if cost != 0.0 {
            objective.add_mul(cost, column);
        }
    }
    (vars, columns, objective)
}

/// Adds every row of `lp` with at least one term and at least one finite bound to
/// `model` (empty and free rows cannot bind: their dual is 0). A ranged row becomes a
/// `≥` and a `≤` constraint; both keep the row's orientation, so its dual is their sum.
fn add_rows<M: SolverModel>(
    model: &mut M,
    lp: &LinearProgram,
    columns: &[Variable],
) -> Vec<(usize, ConstraintReference)> {
    let mut references = Vec::with_capacity(lp.row_count());
    for i in 0..lp.row_count() {
        let (lo, hi) = (lp.row_lower()[i], lp.row_upper()[i]);
        let terms = lp.row_terms(i);
        let (count, _) = terms.size_hint();
        if count == 0 || (lo == f64::NEG_INFINITY && hi == f64::INFINITY) {
            continue;
        }
        let mut expression = Expression::with_capacity(count);
        for (j, a) in terms {
            expression.add_mul(a, columns[j]);
        }
        if lo == hi {
            references.push((i, model.add_constraint(expression.eq(lo))));
            continue;
        }
        if lo.is_finite() && hi.is_finite() {
            references.push((
                i,
                model.add_constraint(good_lp::constraint::geq(expression.clone(), lo)),
            ));
            references.push((i, model.add_constraint(expression.leq(hi))));
        } else if lo.is_finite() {
            references.push((i, model.add_constraint(good_lp::constraint::geq(expression, lo))));
        } else {
            references.push((i, model.add_constraint(expression.leq(hi))));
        }
    }
    references
}

fn solver_error(error: ResolutionError) -> Result<RawOutcome> {
    match error {
        ResolutionError::Infeasible => Ok(RawOutcome::Infeasible),
        ResolutionError::Unbounded => Ok(RawOutcome::Unbounded),
        other => Err(Error::Solver(format!("{}: {other}", backend_name()))),
    }
}

fn require_optimal(status: good_lp::SolutionStatus) -> Result<()> {
    match status {
        good_lp::SolutionStatus::Optimal => Ok(()),
        other => Err(Error::Solver(format!(
            "{} stopped before optimality: {other:?}",
            backend_name()
        ))),
    }
}

/// Whether the backend may presolve the program first (HiGHS; microlp has no presolve).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Presolve {
    /// The backend's default: presolve on.
    On,
    /// Presolve off: a second route to confirm an "infeasible".
    Off,
}

/// Solves `lp` with objective `costs` (one per variable) by the compiled-in backend.
/// `lp` must be valid and have at least one variable.
#[cfg(feature = "highs")]
pub(crate) fn solve_raw(lp: &LinearProgram, costs: &[f64], presolve: Presolve) -> Result<RawOutcome> {
    use good_lp::solvers::highs::{HighsPresolveType, HighsSolverType};
    use good_lp::{DualValues, Solution, SolutionWithDual};
    let (vars, columns, objective) = variables(lp, costs);
    // The simplex returns a basic (vertex) solution: integral for network matrices.
    let mut model = vars
        .minimise(objective)
        .using(good_lp::highs)
        .set_solver(HighsSolverType::Simplex);
    if presolve == Presolve::Off {
        model = model.set_presolve(HighsPresolveType::Off);
    }
    model.set_verbose(false); // HiGHS output is off unless this is true
    let references = add_rows(&mut model, lp, &columns);
    let mut solution = match model.solve() {
        Ok(solution) => solution,
        Err(error) => return solver_error(error),
    };
    require_optimal(solution.status())?;
    let values = columns.iter().map(|&column| solution.value(column)).collect();
    let duals = solution.compute_dual();
    let mut row_duals = vec![0.0; lp.row_count()];
    for (i, reference) in references {
        row_duals[i] += duals.dual(reference);
    }
    Ok(RawOutcome::Optimal {
        values,
        row_duals: Some(row_duals),
    })
}

/// Solves `lp` with objective `costs` (one per variable) by the compiled-in backend.
/// `lp` must be valid and have at least one variable.
#[cfg(not(feature = "highs"))]
pub(crate) fn solve_raw(lp: &LinearProgram, costs: &[f64], _presolve: Presolve) -> Result<RawOutcome> {
    use good_lp::Solution;
    let (vars, columns, objective) = variables(lp, costs);
    let mut model = vars.minimise(objective).using(good_lp::microlp);
    add_rows(&mut model, lp, &columns);
    let solution = match model.solve() {
        Ok(solution) => solution,
        Err(error) => return solver_error(error),
    };
    require_optimal(solution.status())?;
    let values = columns.iter().map(|&column| solution.value(column)).collect();
    Ok(RawOutcome::Optimal {
        values,
        row_duals: None,
    })
}
