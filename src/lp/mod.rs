//! Linear programs through good_lp (HiGHS by default).

use crate::error::{Error, Result};
use crate::flow::{FlowSolution, Network};

/// Solves a min-cost flow problem as an LP (placeholder body).
pub fn solve_flow(network: &Network) -> Result<FlowSolution> {
    network.validate()?;
    Err(Error::Solver("LP engine not yet implemented".into()))
}
