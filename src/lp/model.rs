//! The linear program itself: variables with bounds and costs, linear rows with lower
//! and upper bounds. Building never fails; [`LinearProgram::validate`] (called by
//! [`LinearProgram::solve`](crate::lp::LinearProgram::solve)) reports every invalid value
//! at once.

use crate::error::{Error, InvalidValue, Result};

/// A variable of a [`LinearProgram`]: its index, `0..variable_count`, in the order added.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Var(pub usize);

/// A row (linear constraint) of a [`LinearProgram`]: its index, `0..row_count`, in the
/// order added.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Row(pub usize);

impl Var {
    /// The index as `usize`.
    #[inline]
    pub fn index(self) -> usize {
        self.0
    }
}

impl Row {
    /// The index as `usize`.
    #[inline]
    pub fn index(self) -> usize {
        self.0
    }
}

/// A linear program in minimisation form:
///
/// minimise `Σ_j cost[j]·x[j]` subject to
/// `lower[j] ≤ x[j] ≤ upper[j]` for every variable and
/// `row_lower[i] ≤ Σ_j a[i][j]·x[j] ≤ row_upper[i]` for every row.
///
/// Infinite bounds (`f64::NEG_INFINITY`, `f64::INFINITY`) mean "no bound". An equality
/// row has `row_lower == row_upper`. Repeated terms of one variable in a row are summed
/// and zero coefficients dropped when the row is added (the same linear function).
///
/// Rows and variables carry a name that error messages use; an empty name is shown as
/// `row i` / `variable j`.
///
/// ```
/// use allocnet::lp::{LinearProgram, LpStatus};
/// // minimise x + 2y  subject to  x + y ≥ 3,  0 ≤ x ≤ 1,  y ≥ 0
/// let mut lp = LinearProgram::new();
/// let x = lp.add_variable("x", 0.0, 1.0, 1.0);
/// let y = lp.add_variable("y", 0.0, f64::INFINITY, 2.0);
/// let demand = lp.add_row("demand", 3.0, f64::INFINITY, [(x, 1.0), (y, 1.0)]);
/// let solution = lp.solve().unwrap();
/// assert_eq!(solution.status, LpStatus::Optimal);
/// assert!((solution.objective.unwrap() - 5.0).abs() < 1e-9); // x = 1, y = 2
/// assert!((solution.value(y) - 2.0).abs() < 1e-9);
/// // One more unit of demand costs 2 (the price of y): the row dual, when the backend
/// // gives duals (HiGHS does, microlp does not).
/// if let Some(duals) = &solution.row_duals {
///     assert!((duals[demand.index()] - 2.0).abs() < 1e-9);
/// }
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct LinearProgram {
    var_names: Vec<String>,
    var_lower: Vec<f64>,
    var_upper: Vec<f64>,
    costs: Vec<f64>,
    row_names: Vec<String>,
    row_lower: Vec<f64>,
    row_upper: Vec<f64>,
    /// Row `i`'s terms are `row_vars/row_coefs[row_start[i]..row_start[i + 1]]`, sorted
    /// by variable, one per variable, no zero coefficient.
    row_start: Vec<usize>,
    row_vars: Vec<usize>,
    row_coefs: Vec<f64>,
}

impl LinearProgram {
    /// An empty program (no variables, no rows).
    pub fn new() -> Self {
        Self::with_capacity(0, 0, 0)
    }

    /// An empty program with room for `variables` variables, `rows` rows and `terms`
    /// row coefficients in total.
    pub fn with_capacity(variables: usize, rows: usize, terms: usize) -> Self {
        let mut row_start = Vec::with_capacity(rows + 1);
        row_start.push(0);
        Self {
            var_names: Vec::with_capacity(variables),
            var_lower: Vec::with_capacity(variables),
            var_upper: Vec::with_capacity(variables),
            costs: Vec::with_capacity(variables),
            row_names: Vec::with_capacity(rows),
            row_lower: Vec::with_capacity(rows),
            row_upper: Vec::with_capacity(rows),
            row_start,
            row_vars: Vec::with_capacity(terms),
            row_coefs: Vec::with_capacity(terms),
        }
    }

    /// Adds a variable `lower ≤ x ≤ upper` with objective coefficient `cost`. Use
    /// `f64::NEG_INFINITY` / `f64::INFINITY` for a missing bound.
    pub fn add_variable(&mut self, name: impl Into<String>, lower: f64, upper: f64, cost: f64) -> Var {
        self.var_names.push(name.into());
        self.var_lower.push(lower);
        self.var_upper.push(upper);
        self.costs.push(cost);
        Var(self.costs.len() - 1)
    }

    /// Adds the row `lower ≤ Σ coefficient·variable ≤ upper`. Use `lower == upper` for
    /// an equality, an infinite bound for a one-sided row.
    pub fn add_row(
        &mut self,
        name: impl Into<String>,
        lower: f64,
        upper: f64,
        terms: impl IntoIterator<Item = (Var, f64)>,
    ) -> Row {
        let start = self.row_vars.len();
        for (var, coef) in terms {
            self.row_vars.push(var.0);
            self.row_coefs.push(coef);
        }
        self.canonicalise_last_row(start);
        self.row_start.push(self.row_vars.len());
        self.row_names.push(name.into());
        self.row_lower.push(lower);
        self.row_upper.push(upper);
        Row(self.row_lower.len() - 1)
    }

    /// Sorts the terms from `start` on by variable, sums repeated variables and drops
    /// zero sums.
    fn canonicalise_last_row(&mut self, start: usize) {
        let is_canonical =
            self.row_vars[start..].windows(2).all(|w| w[0] < w[1]) && self.row_coefs[start..].iter().all(|&c| c != 0.0);
        if is_canonical {
            return;
        }
        let mut terms: Vec<(usize, f64)> = self
            .row_vars
            .drain(start..)
            .zip(self.row_coefs.drain(start..))
            .collect();
        terms.sort_by_key(|&(var, _)| var); // stable: sums in input order
        let mut merged: Vec<(usize, f64)> = Vec::with_capacity(terms.len());
        for (var, coef) in terms {
            match merged.last_mut() {
                Some(last) if last.0 == var => last.1 += coef,
                _ => merged.push((var, coef)),
            }
        }
        for (var, coef) in merged {
            // NaN != 0.0, so a NaN coefficient stays and validate() reports it.
            if coef != 0.0 {
                self.row_vars.push(var);
                self.row_coefs.push(coef);
            }
        }
    }

    /// Sets the objective coefficient of `var`.
    pub fn set_cost(&mut self, var: Var, cost: f64) -> Result<()> {
        let n = self.costs.len();
        let slot = self.costs.get_mut(var.0).ok_or_else(|| no_such_variable(var, n))?;
        *slot = cost;
        Ok(())
    }

    /// Sets the bounds of `var`.
    pub fn set_bounds(&mut self, var: Var, lower: f64, upper: f64) -> Result<()> {
        let n = self.costs.len();
        if var.0 >= n {
            return Err(no_such_variable(var, n));
        }
        self.var_lower[var.0] = lower;
        self.var_upper[var.0] = upper;
        Ok(())
    }

    /// Number of variables.
    pub fn variable_count(&self) -> usize {
        self.costs.len()
    }

    /// Number of rows.
    pub fn row_count(&self) -> usize {
        self.row_lower.len()
    }

    /// Objective coefficient per variable.
    pub fn costs(&self) -> &[f64] {
        &self.costs
    }

    /// Lower bound per variable.
    pub fn variable_lower(&self) -> &[f64] {
        &self.var_lower
    }

    /// Upper bound per variable.
    pub fn variable_upper(&self) -> &[f64] {
        &self.var_upper
    }

    /// Lower bound per row.
    pub fn row_lower(&self) -> &[f64] {
        &self.row_lower
    }

    /// Upper bound per row.
    pub fn row_upper(&self) -> &[f64] {
        &self.row_upper
    }

    /// The terms `(variable index, coefficient)` of row `i` (sorted by variable, no
    /// repeats, no zeros). `i` must be `< row_count()`.
    pub(crate) fn row_terms(&self, i: usize) -> impl Iterator<Item = (usize, f64)> + '_ {
        let range = self.row_start[i]..self.row_start[i + 1];
        self.row_vars[range.clone()]
            .iter()
            .copied()
            .zip(self.row_coefs[range].iter().copied())
    }

    /// `Σ cost·x` for one value per variable.
    pub fn objective_of(&self, values: &[f64]) -> f64 {
        self.costs.iter().zip(values).map(|(c, x)| c * x).sum()
    }

    /// A label for error messages: `variable j 'name'` or `variable j`.
    pub fn variable_label(&self, j: usize) -> String {
        label("variable", j, self.var_names.get(j).map_or("", String::as_str))
    }

    /// A label for error messages: `row i 'name'` or `row i`.
    pub fn row_label(&self, i: usize) -> String {
        label("row", i, self.row_names.get(i).map_or("", String::as_str))
    }

    /// Checks every value: bounds not NaN, `lower ≤ upper`, a lower bound below `+∞`
    /// and an upper bound above `−∞`; costs and coefficients finite; every row term
    /// refers to an existing variable. Reports all problems at once.
    pub fn validate(&self) -> Result<()> {
        let n = self.costs.len();
        let mut problems = Vec::new();
        for j in 0..n {
            let what = || self.variable_label(j);
            if let Some(message) = bounds_problem(self.var_lower[j], self.var_upper[j]) {
                problems.push(InvalidValue::new(format!("{} (bounds)", what()), message));
            }
            if !self.costs[j].is_finite() {
                problems.push(InvalidValue::new(
                    format!("{} (cost)", what()),
                    format!("must be finite, got {}", self.costs[j]),
                ));
            }
        }
        for i in 0..self.row_count() {
            let what = || self.row_label(i);
            if let Some(message) = bounds_problem(self.row_lower[i], self.row_upper[i]) {
                problems.push(InvalidValue::new(format!("{} (bounds)", what()), message));
            }
            for (var, coef) in self.row_terms(i) {
                if var >= n {
                    problems.push(InvalidValue::new(
                        what(),
                        format!("variable {var} does not exist (the program has {n})"),
                    ));
                } else if !coef.is_finite() {
                    problems.push(InvalidValue::new(
                        what(),
                        format!("coefficient of {} must be finite, got {coef}", self.variable_label(var)),
                    ));
                }
            }
        }
        if problems.is_empty() {
            Ok(())
        } else {
            Err(Error::Invalid(problems))
        }
    }
}

impl Default for LinearProgram {
    fn default() -> Self {
        Self::new()
    }
}

fn label(kind: &str, index: usize, name: &str) -> String {
    if name.is_empty() {
        format!("{kind} {index}")
    } else {
        format!("{kind} {index} '{name}'")
    }
}

fn no_such_variable(var: Var, n: usize) -> Error {
    Error::invalid(
        format!("variable {}", var.0),
        format!("no such variable (the program has {n})"),
    )
}

/// What is wrong with the bound pair `[lower, upper]`, if anything.
fn bounds_problem(lower: f64, upper: f64) -> Option<String> {
    if lower.is_nan() || upper.is_nan() {
        Some(format!("bounds must not be NaN, got [{lower}, {upper}]"))
    } else if lower == f64::INFINITY {
        Some("lower bound must be below +inf".to_string())
    } else if upper == f64::NEG_INFINITY {
        Some("upper bound must be above -inf".to_string())
    } else if lower > upper {
        Some(format!("lower bound {lower} exceeds upper bound {upper}"))
    } else {
        None
    }
}
