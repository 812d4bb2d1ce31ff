//! The lexicographic objective by level-by-level solves.
//!
//! Levels, in order: untested demand of each priority (1 first), then people's travel
//! (person·km to the sampling sites), then transport (sample km site → lab plus kit km
//! store → site). Each level is solved to optimality with only its own objective; its
//! optimum `v` is then fixed before the next level: exactly (`level ≤ round(v)`) when
//! `v` is a whole number within `1e-6·max(1, v)` (untested tests always are, in
//! practice), else by `level ≤ v + 1e-7·max(1, v)`; when it is 0, by upper bounds 0
//! on the level's variables. A looser tolerance would let the travel level trade a
//! fraction of a test for km. After the travel level the tests are made whole and
//! fixed, so the transport level only routes samples and kits (ties in travel are not
//! broken by transport: a documented simplification).
//!
//! Why not weights: a single weighted objective would need weights whose ratio exceeds
//! the largest possible lower-level value (millions of person·km per untested test),
//! which pushes coefficients past what a floating-point LP solves reliably. The levels
//! cost a few more solves but every level is exact up to the solver tolerance, and
//! every solve is checked by [`LinearProgram::solve`](crate::lp::LinearProgram::solve).

use super::integral::whole_tests;
use super::program::TestingProgram;
use super::resolve::ResolvedTesting;
use crate::error::{Error, Result};
use crate::lp::{LpStatus, Var};

/// One level's result.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct LevelOutcome {
    /// `priority 1`, …, `travel`, `transport`.
    pub level: String,
    /// The level's optimal value (tests, person·km or km).
    pub value: f64,
    /// The row duals of the level's solve (sign convention of
    /// [`LpSolution::row_duals`](crate::lp::LpSolution::row_duals)), if the backend gives them.
    #[serde(skip)]
    pub row_duals: Option<Vec<f64>>,
}

/// The outcome of all levels.
#[derive(Clone, Debug, PartialEq)]
pub struct Lexicographic {
    /// Whole-number tests per entry and candidate (from the travel level).
    pub tests: Vec<Vec<i64>>,
    /// Fractional test values rounded down.
    pub fractional_rounded_down: usize,
    /// The levels solved.
    pub levels: Vec<LevelOutcome>,
}

/// Solves all levels. After the travel level the tests are made whole
/// ([`whole_tests`]) and fixed; the transport level then only routes samples and
/// kits, so it cannot trade tests for km, and its duals price lab and kit capacity in
/// km.
pub fn solve_lexicographic(r: &ResolvedTesting, p: &mut TestingProgram) -> Result<Lexicographic> {
    let n = p.lp.variable_count();
    let mut levels = Vec::new();
    let mut values = vec![0.0; n];
    for (level, &priority) in r.priorities.iter().enumerate() {
        let terms: Vec<(Var, f64)> = r
            .entries
            .iter()
            .enumerate()
            .filter(|(_, e)| e.level == level)
            .map(|(i, _)| (p.unmet[i], 1.0))
            .collect();
        if terms.is_empty() {
            continue;
        }
        let (v, duals, point) = solve_level(p, &terms, &format!("priority {priority}"))?;
        fix_level(p, &terms, v, &format!("fix priority {priority}"))?;
        levels.push(LevelOutcome {
            level: format!("priority {priority}"),
            value: v,
            row_duals: duals,
        });
        values = point;
    }
    let travel: Vec<(Var, f64)> = r
        .entries
        .iter()
        .zip(&p.x)
        .flat_map(|(e, vars)| e.candidates.iter().zip(vars).map(|(&(_, km), &v)| (v, km)))
        .collect();
    let transport: Vec<(Var, f64)> = r
        .sample_routes
        .iter()
        .zip(&p.y)
        .map(|(route, &v)| (v, route.km))
        .chain(r.kit_routes.iter().zip(&p.z).map(|(route, &v)| (v, route.km)))
        .collect();
    if travel.is_empty() {
        let (tests, fractional_rounded_down) = whole_tests(r, p, &values);
        return Ok(Lexicographic {
            tests,
            fractional_rounded_down,
            levels,
        });
    }
    let (v, duals, point) = solve_level(p, &travel, "travel")?;
    levels.push(LevelOutcome {
        level: "travel".into(),
        value: v,
        row_duals: duals,
    });
    let (tests, fractional_rounded_down) = whole_tests(r, p, &point);
    for (vars, row) in p.x.iter().zip(&tests) {
        for (&var, &n) in vars.iter().zip(row) {
            p.lp.set_bounds(var, n as f64, n as f64)?;
        }
    }
    let (v, duals, _) = solve_level(p, &transport, "transport")?;
    levels.push(LevelOutcome {
        level: "transport".into(),
        value: v,
        row_duals: duals,
    });
    Ok(Lexicographic {
        tests,
        fractional_rounded_down,
        levels,
    })
}

type LevelSolve = (f64, Option<Vec<f64>>, Vec<f64>);

fn solve_level(p: &mut TestingProgram, terms: &[(Var, f64)], name: &str) -> Result<LevelSolve> {
    for j in 0..p.lp.variable_count() {
        p.lp.set_cost(Var(j), 0.0)?;
    }
    for &(v, c) in terms {
        p.lp.set_cost(v, c)?;
    }
    let solution = p.lp.solve()?;
    if solution.status != LpStatus::Optimal {
        // x = 0, u = demand, y = z = 0 is feasible and every cost is >= 0 on >= 0
        // variables: anything but optimal is a solver failure.
        return Err(Error::Solver(format!(
            "testing plan level '{name}': the LP is {:?}, but it is feasible and bounded by construction",
            solution.status
        )));
    }
    let value = solution.objective.unwrap_or(0.0).max(0.0);
    Ok((value, solution.row_duals, solution.values))
}

fn fix_level(p: &mut TestingProgram, terms: &[(Var, f64)], value: f64, name: &str) -> Result<()> {
    let tol = 1e-7 * value.max(1.0);
    let nearest = value.round();
    // A whole-number optimum (untested tests) is fixed exactly: any slack would let the
    // travel level trade tests for km.
    let bound = if (value - nearest).abs() <= 1e-6 * value.max(1.0) {
        nearest
    } else {
        value + tol
    };
    if bound <= 0.0 {
        for &(v, c) in terms {
            if c > 0.0 {
                p.lp.set_bounds(v, 0.0, 0.0)?;
            }
        }
    } else {
        p.lp.add_row(name, f64::NEG_INFINITY, bound, terms.iter().copied());
    }
    Ok(())
}
