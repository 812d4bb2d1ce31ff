//! Linear programs through good_lp, checked before they are trusted.
//!
//! * [`LinearProgram`]: variables with bounds and costs, named rows with lower and
//!   upper bounds, minimised by [`LinearProgram::solve`] into an [`LpSolution`]
//!   (status, objective, values, row duals). Every answer is re-checked: feasibility,
//!   the recomputed objective and, with duals, the duality gap.
//! * [`solve_flow`]: a min-cost flow [`Network`](crate::flow::Network) as an LP, with
//!   an exact, integral, certified [`FlowSolution`](crate::flow::FlowSolution). It
//!   cross-checks the network simplex and is the base of the coupled models.
//! * [`LpFlowEngine`]: the same behind the [`FlowEngine`](crate::flow::FlowEngine)
//!   interface the network simplex shares.
//!
//! The backend is chosen at compile time ([`backend_name`]): HiGHS (cargo feature
//! `highs`, the default; its output is silenced) or, without it, the pure-Rust microlp
//! (slower, no duals). good_lp's Clarabel backend is never used: it reported "optimal"
//! for wrong answers on large flow problems.

mod backend;
mod check;
mod engine;
mod flow_lp;
mod model;
mod potentials;
mod solve;

pub use backend::{backend_gives_duals, backend_name};
pub use check::{FEASIBILITY_TOLERANCE, OPTIMALITY_TOLERANCE};
pub use engine::LpFlowEngine;
pub use flow_lp::{flow_program, solve_flow, INTEGRALITY_TOLERANCE, MAX_EXACT_MAGNITUDE};
pub use model::{LinearProgram, Row, Var};
pub use solve::{LpSolution, LpStatus};
