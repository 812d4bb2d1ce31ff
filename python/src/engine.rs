//! The `engine=` argument: `"simplex"` (network simplex) or `"lp"` (LP through HiGHS).

use crate::errors::invalid;
use allocnet::flow::Engine;
use pyo3::PyResult;

/// Parses an engine name as Python passes it.
pub fn parse_engine(name: &str) -> PyResult<Engine> {
    match name {
        "simplex" => Ok(Engine::Simplex),
        "lp" => Ok(Engine::Lp),
        other => Err(invalid("engine", format!("expected 'simplex' or 'lp', got '{other}'"))),
    }
}

/// The name Python shows for an engine.
pub fn engine_name(engine: Engine) -> &'static str {
    match engine {
        Engine::Simplex => "simplex",
        Engine::Lp => "lp",
    }
}
