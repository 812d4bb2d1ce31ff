//! The lexicographic objective by level-by-level solves.
//!
//! Levels, in order: untested demand of each priority (1 first), then people's travel
//! (person·km to the sampling sites), then transport (sample km site → lab plus kit km
//! store → site). Each level is solved to optimality with only its own objective; its
//! optimum `v` is then fixed before the next level: a priority level exactly
//! (`level ≤ round(v)`) when `v` is a whole number within `1e-6·max(1, v)` (untested
//! tests always are, in practice), else by `level ≤ v + 1e-7·max(1, v)`; the travel
//! level as below; a level at 0 by upper bounds 0 on its costed variables. A looser tolerance would let the travel level trade a
//! fraction of a test for km. Priority levels are often 0 (everyone of the group is
//! tested), which two exact shortcuts exploit (whole Sweden: 3 solves instead of 7,
//! the same optima; the plan is bit-for-bit the one of 7 solves):
//!
//! * **Zero levels**: a level whose untested demand is 0 (within `1e-6`) in *any*
//!   feasible point is optimal at 0, its lower bound; so after every solve, the
//!   unsolved levels that follow the solved one and are 0 in its point are fixed at 0
//!   without a solve of their own (their duals: all 0, a valid dual certificate of an
//!   optimum 0 when every cost is `>= 0` on variables `>= 0`).
//! * **Merged solve**: while it pays, the remaining levels are first solved together
//!   (Σ weight·untested, weight = levels left from it on, the last 1). Its point fixes
//!   the leading zero levels as above; if only the last level is then non-zero, that
//!   point is optimal for it too (every point with the leading levels at 0 has the
//!   merged objective equal to its untested demand), and its duals certify it.
//!   Otherwise the first non-zero level is solved alone next. The merged solve is
//!   tried again only if the last one fixed at least one level. Its small weights
//!   only steer it towards points with the leading levels at 0; no optimum is read
//!   from a weighted value.
//!
//! After the travel level the program is restricted to the travel-optimal points by
//! complementary slackness with the level's duals (variables with a positive reduced
//! cost fixed at 0, rows with a non-zero dual held at their bound; without duals, by
//! a row `travel ≤ v + 1e-7·max(1, v)`), and the transport level (sample km site → lab plus
//! kit km store → site) is minimised with the tests per group and site still free to
//! move within the fixed priority and travel levels: ties in travel (e.g. two sites
//! at the same distance) are broken by transport. The tests of the transport level's
//! point are then made whole ([`whole_tests`]); [`crate::test_capacity::integral`] re-routes
//! samples and kits exactly for them.
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
use crate::lp::{backend_gives_duals, LpStatus, Var};

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

/// Solves all levels: the priority levels with the exact shortcuts (zero levels and a
/// merged solve), then travel, then transport with the tests free within the fixed
/// priority and travel levels. The tests of the last point are made whole
/// ([`whole_tests`]); the transport level's duals price site, kit and lab capacity in km.
pub fn solve_lexicographic(r: &ResolvedTesting, p: &mut TestingProgram) -> Result<Lexicographic> {
    let (mut levels, values) = solve_priorities(r, p)?;
    let travel = travel_terms(r, p);
    if travel.is_empty() {
        let (tests, fractional_rounded_down) = whole_tests(r, p, &values);
        return Ok(Lexicographic {
            tests,
            fractional_rounded_down,
            levels,
        });
    }
    let (v, duals, _) = solve_level(p, &travel, "travel")?;
    match &duals {
        Some(y) => fix_optimal_face(p, y),
        None => fix_km_level(p, &travel, v, "fix travel"),
    }?;
    levels.push(LevelOutcome {
        level: "travel".into(),
        value: v,
        row_duals: duals,
    });
    let transport = transport_terms(r, p);
    let (v, duals, point) = solve_level(p, &transport, "transport")?;
    levels.push(LevelOutcome {
        level: "transport".into(),
        value: v,
        row_duals: duals,
    });
    let (tests, fractional_rounded_down) = whole_tests(r, p, &point);
    Ok(Lexicographic {
        tests,
        fractional_rounded_down,
        levels,
    })
}

/// The transport level's objective: samples × km site → lab plus kits × km store → site.
pub fn transport_terms(r: &ResolvedTesting, p: &TestingProgram) -> Vec<(Var, f64)> {
    r.sample_routes
        .iter()
        .zip(&p.y)
        .map(|(route, &v)| (v, route.km))
        .chain(r.kit_routes.iter().zip(&p.z).map(|(route, &v)| (v, route.km)))
        .collect()
}

/// The untested-demand levels (one per priority with demand), solved in order; returns
/// their outcomes and the last point. The outcome of every level is what solving it
/// alone would give (optimum and a valid dual certificate), by the shortcuts of the
/// module documentation.
///
fn solve_priorities(r: &ResolvedTesting, p: &mut TestingProgram) -> Result<(Vec<LevelOutcome>, Vec<f64>)> {
    let priority_levels: Vec<(u32, Vec<(Var, f64)>)> = r
        .priorities
        .iter()
        .enumerate()
        .map(|(level, &priority)| {
            let terms = r
                .entries
                .iter()
                .enumerate()
                .filter(|(_, e)| e.level == level)
                .map(|(i, _)| (p.unmet[i], 1.0))
                .collect();
            (priority, terms)
        })
        .filter(|(_, terms): &(u32, Vec<(Var, f64)>)| !terms.is_empty())
        .collect();
    let mut outcomes = Vec::with_capacity(priority_levels.len());
    let mut values = vec![0.0; p.lp.variable_count()];
    let (mut merge_pays, mut just_merged) = (true, false);
    while outcomes.len() < priority_levels.len() {
        let rest = &priority_levels[outcomes.len()..];
        if merge_pays && !just_merged && rest.len() >= 2 {
            let weighted: Vec<(Var, f64)> = rest
                .iter()
                .enumerate()
                .flat_map(|(k, (_, terms))| {
                    let weight = (rest.len() - k) as f64;
                    terms.iter().map(move |&(v, _)| (v, weight))
                })
                .collect();
            let name = format!("priorities {} to {} merged", rest[0].0, rest[rest.len() - 1].0);
            let (_, duals, point) = solve_level(p, &weighted, &name)?;
            let zeros = fix_zero_levels(p, rest, &point, &mut outcomes)?;
            values = point;
            (merge_pays, just_merged) = (zeros > 0, true);
            if zeros + 1 == rest.len() {
                let (priority, terms) = &rest[zeros];
                let v = level_value(terms, &values);
                fix_level(p, terms, v, &format!("fix priority {priority}"))?;
                outcomes.push(LevelOutcome {
                    level: format!("priority {priority}"),
                    value: v,
                    row_duals: duals,
                });
            }
            continue;
        }
        let (priority, terms) = &rest[0];
        let (v, duals, point) = solve_level(p, terms, &format!("priority {priority}"))?;
        fix_level(p, terms, v, &format!("fix priority {priority}"))?;
        outcomes.push(LevelOutcome {
            level: format!("priority {priority}"),
            value: v,
            row_duals: duals,
        });
        fix_zero_levels(p, &rest[1..], &point, &mut outcomes)?;
        values = point;
        just_merged = false;
    }
    Ok((outcomes, values))
}

/// Untested demand at or below this in a feasible point proves a level optimal at 0.
const ZERO_LEVEL: f64 = 1e-6;

/// `Σ untested` of a level at `point`.
fn level_value(terms: &[(Var, f64)], point: &[f64]) -> f64 {
    terms.iter().fold(0.0, |a, &(v, _)| a + point[v.index()]).max(0.0) + 0.0
}

/// Fixes at 0 the leading levels of `levels` that are 0 at the feasible `point` (see
/// [`solve_priorities`]), pushing their outcomes; returns how many.
fn fix_zero_levels(
    p: &mut TestingProgram,
    levels: &[(u32, Vec<(Var, f64)>)],
    point: &[f64],
    outcomes: &mut Vec<LevelOutcome>,
) -> Result<usize> {
    let zeros = levels
        .iter()
        .take_while(|(_, terms)| level_value(terms, point) <= ZERO_LEVEL)
        .count();
    for (priority, terms) in &levels[..zeros] {
        fix_level(p, terms, 0.0, &format!("fix priority {priority}"))?;
        outcomes.push(LevelOutcome {
            level: format!("priority {priority}"),
            value: 0.0,
            row_duals: backend_gives_duals().then(|| vec![0.0; p.lp.row_count()]),
        });
    }
    Ok(zeros)
}

/// The travel level's objective: every test variable with its km (person·km).
pub fn travel_terms(r: &ResolvedTesting, p: &TestingProgram) -> Vec<(Var, f64)> {
    r.entries
        .iter()
        .zip(&p.x)
        .flat_map(|(e, vars)| e.candidates.iter().zip(vars).map(|(&(_, km), &v)| (v, km)))
        .collect()
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
    // `+ 0.0` turns a -0.0 into 0.0 (never "-0" in plan.json).
    let value = solution.objective.unwrap_or(0.0).max(0.0) + 0.0;
    Ok((value, solution.row_duals, solution.values))
}

/// Reduced costs below this (relative to the largest cost) count as 0.
const REDUCED_COST_TOLERANCE: f64 = 1e-9;

/// Restricts the program to the optimal face of the level just solved (its costs are
/// still set), by complementary slackness with the level's row duals `y`: a variable
/// with reduced cost `c − Aᵀy > 0` is fixed at its lower bound (`< 0`: at its upper
/// bound), and a row with a non-zero dual is held at the bound it binds (a copy of
/// the row with both bounds there). Every point of the restricted program is optimal
/// for the level and every optimal point is in it (up to reduced costs within
/// [`REDUCED_COST_TOLERANCE`]), with no slack: its vertices are vertices of the
/// unrestricted program, so the next level cannot make tests fractional by trading a
/// tolerance's worth of this level.
fn fix_optimal_face(p: &mut TestingProgram, y: &[f64]) -> Result<()> {
    let n = p.lp.variable_count();
    let mut reduced: Vec<f64> = p.lp.costs().to_vec();
    let scale = reduced.iter().fold(1.0f64, |m, c| m.max(c.abs()));
    let tol = REDUCED_COST_TOLERANCE * scale;
    let mut tight = Vec::new();
    for (i, &dual) in y.iter().enumerate().take(p.lp.row_count()) {
        if dual == 0.0 {
            continue;
        }
        for (j, a) in p.lp.row_terms(i) {
            reduced[j] -= a * dual;
        }
        let (lower, upper) = (p.lp.row_lower()[i], p.lp.row_upper()[i]);
        if dual.abs() > tol && lower != upper {
            let bound = if dual > 0.0 { lower } else { upper };
            if bound.is_finite() {
                tight.push((i, bound));
            }
        }
    }
    for (i, bound) in tight {
        let terms: Vec<(Var, f64)> = p.lp.row_terms(i).map(|(j, a)| (Var(j), a)).collect();
        p.lp.add_row(format!("travel-optimal: row {i} held"), bound, bound, terms);
    }
    for (j, &d) in reduced.iter().enumerate().take(n) {
        let (lower, upper) = (p.lp.variable_lower()[j], p.lp.variable_upper()[j]);
        if d > tol && lower.is_finite() {
            p.lp.set_bounds(Var(j), lower, lower)?;
        } else if d < -tol && upper.is_finite() {
            p.lp.set_bounds(Var(j), upper, upper)?;
        }
    }
    Ok(())
}

/// Fixes a km level (not a whole number) at its optimum `value`: `level ≤ value +
/// 1e-7·max(1, value)`, or zero upper bounds on its costed variables when it is 0.
fn fix_km_level(p: &mut TestingProgram, terms: &[(Var, f64)], value: f64, name: &str) -> Result<()> {
    if value <= 0.0 {
        for &(v, c) in terms {
            if c > 0.0 {
                p.lp.set_bounds(v, 0.0, 0.0)?;
            }
        }
    } else {
        let bound = value + 1e-7 * value.max(1.0);
        p.lp.add_row(name, f64::NEG_INFINITY, bound, terms.iter().copied());
    }
    Ok(())
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
