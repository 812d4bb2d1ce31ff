//! Solving a [`LinearProgram`]: the backend's answer, checked, and its status resolved.

use super::backend::{self, Presolve, RawOutcome};
use super::check::{check_duals, check_primal, OPTIMALITY_TOLERANCE};
use super::model::{LinearProgram, Var};
use crate::error::{Error, Result};

/// Outcome of an LP solve. Not an error: an infeasible scenario is a result.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LpStatus {
    /// An optimal solution was found and passed the checks.
    Optimal,
    /// No point satisfies all bounds and rows.
    Infeasible,
    /// The program is feasible and the objective decreases without limit along a
    /// direction (ray) that allocnet found and checked.
    Unbounded,
}

/// The checked result of [`LinearProgram::solve`].
#[derive(Clone, Debug, PartialEq)]
pub struct LpSolution {
    /// Optimal, infeasible or unbounded.
    pub status: LpStatus,
    /// `Σ cost·x`, recomputed from `values`, when optimal.
    pub objective: Option<f64>,
    /// One value per variable (in the order added) when optimal; empty otherwise.
    pub values: Vec<f64>,
    /// One dual per row (in the order added) when optimal and the backend gives duals
    /// (HiGHS: yes, microlp: no; see [`backend_gives_duals`](crate::lp::backend_gives_duals)).
    ///
    /// **Sign convention**: `row_duals[i]` is the rate of change of the optimal
    /// objective per unit increase of row `i`'s binding bound, i.e. the Lagrange
    /// multiplier with `cost = Aᵀ·row_duals + reduced_costs`. In this minimisation form a
    /// row held at its **lower** bound has a dual `≥ 0`, a row held at its **upper**
    /// bound a dual `≤ 0`, a slack row 0. (This is HiGHS's own convention; allocnet
    /// passes it through unchanged and checks it: the duals must close the duality gap.)
    pub row_duals: Option<Vec<f64>>,
}

impl LpSolution {
    fn without_point(status: LpStatus) -> Self {
        Self {
            status,
            objective: None,
            values: Vec::new(),
            row_duals: None,
        }
    }

    /// The value of `var`, or `NaN` if there is no such value (not optimal, or `var`
    /// out of range).
    pub fn value(&self, var: Var) -> f64 {
        self.values.get(var.0).copied().unwrap_or(f64::NAN)
    }
}

impl LinearProgram {
    /// Validates the program, solves it with the compiled-in backend
    /// ([`backend_name`](crate::lp::backend_name)) and checks the answer before
    /// returning it:
    ///
    /// * **Optimal**: every bound and row is re-evaluated with the returned values
    ///   ([`FEASIBILITY_TOLERANCE`](crate::lp::FEASIBILITY_TOLERANCE)) and the objective
    ///   recomputed; with duals, dual feasibility and a zero duality gap are checked
    ///   too ([`OPTIMALITY_TOLERANCE`](crate::lp::OPTIMALITY_TOLERANCE)), which proves
    ///   optimality. Without duals (microlp) only feasibility is checked.
    /// * **Unbounded**: a feasible point is found and checked, and an improving ray
    ///   (a direction that keeps every row and bound and lowers the objective) is found
    ///   and checked.
    /// * **Infeasible**: a backend "infeasible" (which HiGHS through good_lp also says
    ///   for "infeasible or unbounded") is confirmed by solving the feasibility problem
    ///   (zero objective), and a second time without presolve if that says infeasible
    ///   (HiGHS 1.16's presolve has called a feasible flow program infeasible); if
    ///   either finds a point, the program is shown unbounded as above. A row without terms whose bounds exclude 0 is infeasible outright.
    ///
    /// An answer that fails a check is an [`Error::Solver`] naming the row or variable.
    pub fn solve(&self) -> Result<LpSolution> {
        self.validate()?;
        // A row without terms whose bounds exclude 0: nothing can satisfy it.
        if (0..self.row_count()).any(|i| self.is_empty_row(i) && !self.row_allows_zero(i)) {
            return Ok(LpSolution::without_point(LpStatus::Infeasible));
        }
        match self.solve_checked_raw(self.costs(), Presolve::On)? {
            RawOutcome::Optimal { values, row_duals } => self.certified_optimum(values, row_duals),
            RawOutcome::Infeasible | RawOutcome::Unbounded => self.resolve_status(),
        }
    }

    /// Checks a claimed answer the way [`LinearProgram::solve`] checks the backend's:
    /// `values` (one per variable) must satisfy every bound and row, and `row_duals`
    /// (one per row, sign convention of [`LpSolution::row_duals`]), when given, must
    /// prove it optimal. Returns the objective `Σ cost·x`; a failure is an
    /// [`Error::Solver`] naming the first failing row or variable.
    ///
    /// ```
    /// use allocnet::lp::LinearProgram;
    /// let mut lp = LinearProgram::new();
    /// let x = lp.add_variable("x", 0.0, f64::INFINITY, 1.0);
    /// lp.add_row("at least 2", 2.0, f64::INFINITY, [(x, 1.0)]);
    /// assert_eq!(lp.verify(&[2.0], Some(&[1.0])).unwrap(), 2.0); // optimal, dual 1
    /// assert!(lp.verify(&[3.0], Some(&[1.0])).is_err()); // feasible, not optimal
    /// assert!(lp.verify(&[1.0], None).unwrap_err().to_string().contains("at least 2"));
    /// ```
    pub fn verify(&self, values: &[f64], row_duals: Option<&[f64]>) -> Result<f64> {
        self.validate()?;
        let fail = |message: String| Error::Solver(format!("the answer fails allocnet's check: {message}"));
        let primal = check_primal(self, self.costs(), values).map_err(fail)?;
        if let Some(duals) = row_duals {
            check_duals(self, self.costs(), values, &primal, duals).map_err(fail)?;
        }
        Ok(primal.objective)
    }

    /// [`backend::solve_raw`], except that a program without variables is solved here
    /// (the backends reject empty models): all its rows are empty and allow 0.
    fn solve_checked_raw(&self, costs: &[f64], presolve: Presolve) -> Result<RawOutcome> {
        if self.variable_count() == 0 {
            let row_duals = backend::backend_gives_duals().then(|| vec![0.0; self.row_count()]);
            return Ok(RawOutcome::Optimal {
                values: Vec::new(),
                row_duals,
            });
        }
        backend::solve_raw(self, costs, presolve)
    }

    fn is_empty_row(&self, i: usize) -> bool {
        self.row_terms(i).next().is_none()
    }

    fn row_allows_zero(&self, i: usize) -> bool {
        self.row_lower()[i] <= 0.0 && 0.0 <= self.row_upper()[i]
    }

    fn certified_optimum(&self, values: Vec<f64>, row_duals: Option<Vec<f64>>) -> Result<LpSolution> {
        let primal = check_primal(self, self.costs(), &values).map_err(|m| rejected("optimal", &m))?;
        if let Some(duals) = &row_duals {
            check_duals(self, self.costs(), &values, &primal, duals).map_err(|m| rejected("optimal", &m))?;
        }
        Ok(LpSolution {
            status: LpStatus::Optimal,
            objective: Some(primal.objective),
            values,
            row_duals,
        })
    }

    /// The backend did not return an optimum: decide between infeasible and unbounded
    /// with a feasibility solve, and back "unbounded" by a checked point and ray.
    fn resolve_status(&self) -> Result<LpSolution> {
        let zero = vec![0.0; self.variable_count()];
        let point = match self.feasible_point(&zero, Presolve::On)? {
            Some(point) => point,
            // Only a second route without presolve that agrees makes it infeasible.
            None => match self.feasible_point(&zero, Presolve::Off)? {
                Some(point) => point,
                None => return Ok(LpSolution::without_point(LpStatus::Infeasible)),
            },
        };
        check_primal(self, &zero, &point).map_err(|m| rejected("feasible", &m))?;
        if self.has_improving_ray()? {
            Ok(LpSolution::without_point(LpStatus::Unbounded))
        } else {
            Err(Error::Solver(format!(
                "{} found no optimum, but the program is feasible and has no improving ray (so it is bounded)",
                backend::backend_name()
            )))
        }
    }

    /// A point of the feasibility problem (objective `zero`) as the backend gives it
    /// (unchecked), or `None` when the backend says infeasible.
    fn feasible_point(&self, zero: &[f64], presolve: Presolve) -> Result<Option<Vec<f64>>> {
        match self.solve_checked_raw(zero, presolve)? {
            RawOutcome::Infeasible => Ok(None),
            RawOutcome::Unbounded => Err(Error::Solver(format!(
                "{} called the feasibility problem (zero objective) unbounded",
                backend::backend_name()
            ))),
            RawOutcome::Optimal { values, .. } => Ok(Some(values)),
        }
    }

    /// Whether a direction `r` exists with `cost·r < 0` that keeps every row and bound
    /// from any feasible point: `r_j ≥ 0` where `x_j` has a finite lower bound, `≤ 0`
    /// where a finite upper bound, likewise for rows. Found by an LP over the box
    /// `−1 ≤ r ≤ 1` (always feasible and bounded), whose answer is checked.
    fn has_improving_ray(&self) -> Result<bool> {
        let mut ray = LinearProgram::with_capacity(self.variable_count(), self.row_count(), 0);
        let (lower, upper) = (self.variable_lower(), self.variable_upper());
        for j in 0..self.variable_count() {
            let lo = if lower[j].is_finite() { 0.0 } else { -1.0 };
            let hi = if upper[j].is_finite() { 0.0 } else { 1.0 };
            ray.add_variable("", lo, hi, self.costs()[j]);
        }
        for i in 0..self.row_count() {
            let lo = if self.row_lower()[i].is_finite() {
                0.0
            } else {
                f64::NEG_INFINITY
            };
            let hi = if self.row_upper()[i].is_finite() {
                0.0
            } else {
                f64::INFINITY
            };
            ray.add_row("", lo, hi, self.row_terms(i).map(|(j, a)| (Var(j), a)));
        }
        let direction = match ray.solve_checked_raw(ray.costs(), Presolve::On)? {
            RawOutcome::Optimal { values, .. } => values,
            _ => {
                return Err(Error::Solver(format!(
                    "{} did not solve the ray problem (feasible and bounded by construction)",
                    backend::backend_name()
                )))
            }
        };
        let checked = check_primal(&ray, ray.costs(), &direction).map_err(|m| rejected("ray", &m))?;
        let magnitude: f64 = ray.costs().iter().zip(&direction).map(|(c, r)| (c * r).abs()).sum();
        Ok(checked.objective < -OPTIMALITY_TOLERANCE * 1f64.max(magnitude))
    }
}

fn rejected(what: &str, message: &str) -> Error {
    Error::Solver(format!(
        "{} returned a {what} point that fails allocnet's check: {message}",
        backend::backend_name()
    ))
}
