//! Checks a backend's answer before it is trusted: primal feasibility (every bound and
//! row re-evaluated with the returned values), the objective recomputed, and — when the
//! backend gives row duals — dual feasibility and a zero duality gap, which together
//! prove the answer optimal.

use super::model::LinearProgram;

/// Relative feasibility tolerance: a row `lower ≤ a·x ≤ upper` passes when it is
/// violated by at most `FEASIBILITY_TOLERANCE · max(1, |bound|, Σ_j |a_j·x_j|)`; a bound
/// `lower ≤ x ≤ upper` when violated by at most `FEASIBILITY_TOLERANCE · max(1, |bound|)`.
pub const FEASIBILITY_TOLERANCE: f64 = 1e-6;

/// Relative optimality tolerance: with row duals `y` and reduced costs
/// `d = cost − Aᵀy`, the duality gap `Σ_i y_i·(a_i·x − bound_i) + Σ_j d_j·(x_j − bound_j)`
/// (each term at the bound the dual's sign selects) must be at most
/// `OPTIMALITY_TOLERANCE · S` with `S = max(1, Σ_j |cost_j|·max(1, |x_j|))`; a dual that
/// points at a missing (infinite) bound is tolerated only while its
/// `|dual|·max(1, |activity|)` stays below the same amount.
pub const OPTIMALITY_TOLERANCE: f64 = 1e-6;

/// Row activities and the recomputed objective of a feasible point.
pub(crate) struct PrimalCheck {
    pub objective: f64,
    pub activities: Vec<f64>,
}

/// Checks `values` against every variable bound and row of `lp` (objective `costs`)
/// and recomputes the objective. The error names the first failing variable or row.
pub(crate) fn check_primal(lp: &LinearProgram, costs: &[f64], values: &[f64]) -> Result<PrimalCheck, String> {
    if values.len() != lp.variable_count() {
        return Err(format!(
            "returned {} values for {} variables",
            values.len(),
            lp.variable_count()
        ));
    }
    let (lower, upper) = (lp.variable_lower(), lp.variable_upper());
    for (j, &x) in values.iter().enumerate() {
        if !x.is_finite() {
            return Err(format!("{}: value {x} is not finite", lp.variable_label(j)));
        }
        let below = lower[j] - x > FEASIBILITY_TOLERANCE * 1f64.max(lower[j].abs());
        let above = x - upper[j] > FEASIBILITY_TOLERANCE * 1f64.max(upper[j].abs());
        if below || above {
            return Err(format!(
                "{}: value {x} outside its bounds [{}, {}] (relative tolerance {FEASIBILITY_TOLERANCE:e})",
                lp.variable_label(j),
                lower[j],
                upper[j]
            ));
        }
    }
    let (row_lower, row_upper) = (lp.row_lower(), lp.row_upper());
    let mut activities = Vec::with_capacity(lp.row_count());
    for i in 0..lp.row_count() {
        let (mut activity, mut magnitude) = (0.0, 0.0);
        for (j, a) in lp.row_terms(i) {
            activity += a * values[j];
            magnitude += (a * values[j]).abs();
        }
        let (lo, hi) = (row_lower[i], row_upper[i]);
        let (violation, bound) = if lo - activity > activity - hi {
            (lo - activity, lo)
        } else {
            (activity - hi, hi)
        };
        let slack = FEASIBILITY_TOLERANCE * 1f64.max(bound.abs()).max(magnitude);
        if violation.is_nan() || violation > slack {
            return Err(format!(
                "{}: activity {activity} outside its bounds [{lo}, {hi}] (tolerance {slack:e})",
                lp.row_label(i)
            ));
        }
        activities.push(activity);
    }
    let objective: f64 = costs.iter().zip(values).map(|(c, x)| c * x).sum();
    if !objective.is_finite() {
        return Err(format!("objective {objective} is not finite"));
    }
    Ok(PrimalCheck { objective, activities })
}

/// Checks that the row duals `row_duals` prove the feasible point `values` (with
/// `primal` from [`check_primal`]) optimal: dual feasibility and a zero duality gap, up
/// to [`OPTIMALITY_TOLERANCE`]. Sign convention as in
/// [`LpSolution::row_duals`](crate::lp::LpSolution::row_duals).
pub(crate) fn check_duals(
    lp: &LinearProgram,
    costs: &[f64],
    values: &[f64],
    primal: &PrimalCheck,
    row_duals: &[f64],
) -> Result<(), String> {
    if row_duals.len() != lp.row_count() {
        return Err(format!(
            "returned {} row duals for {} rows",
            row_duals.len(),
            lp.row_count()
        ));
    }
    let scale = 1f64.max(costs.iter().zip(values).map(|(c, x)| c.abs() * 1f64.max(x.abs())).sum());
    let tolerance = OPTIMALITY_TOLERANCE * scale;
    // Reduced costs d = cost − Aᵀy.
    let mut reduced = costs.to_vec();
    for (i, &y) in row_duals.iter().enumerate() {
        if !y.is_finite() {
            return Err(format!("{}: dual {y} is not finite", lp.row_label(i)));
        }
        if y != 0.0 {
            for (j, a) in lp.row_terms(i) {
                reduced[j] -= a * y;
            }
        }
    }
    let mut gap = 0.0;
    for (i, &y) in row_duals.iter().enumerate() {
        let activity = primal.activities[i];
        let bound = if y > 0.0 { lp.row_lower()[i] } else { lp.row_upper()[i] };
        gap += gap_term(y, activity, bound, tolerance).map_err(|side| {
            format!(
                "{}: dual {y} prices its {side} bound, which is infinite",
                lp.row_label(i)
            )
        })?;
    }
    for (j, &d) in reduced.iter().enumerate() {
        let bound = if d > 0.0 {
            lp.variable_lower()[j]
        } else {
            lp.variable_upper()[j]
        };
        gap += gap_term(d, values[j], bound, tolerance).map_err(|side| {
            format!(
                "{}: reduced cost {d} prices its {side} bound, which is infinite",
                lp.variable_label(j)
            )
        })?;
    }
    if gap.is_nan() || gap.abs() > tolerance {
        return Err(format!(
            "duality gap {gap:e} exceeds the tolerance {tolerance:e} (objective {}): the answer is not optimal",
            primal.objective
        ));
    }
    Ok(())
}

/// The duality-gap contribution `dual·(value − bound)` of one row or variable, where
/// `bound` is the bound the dual's sign selects (lower for a positive dual). A dual on
/// an infinite bound is an error naming the side, unless it is negligible.
fn gap_term(dual: f64, value: f64, bound: f64, tolerance: f64) -> Result<f64, &'static str> {
    if dual == 0.0 {
        Ok(0.0)
    } else if bound.is_finite() {
        Ok(dual * (value - bound))
    } else if dual.abs() * 1f64.max(value.abs()) <= tolerance {
        Ok(0.0)
    } else if dual > 0.0 {
        Err("lower")
    } else {
        Err("upper")
    }
}
