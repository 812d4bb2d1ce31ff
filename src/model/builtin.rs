//! The built-in scenarios by name: one place that knows them ([`BUILTIN`],
//! [`builtin`], [`builtin_testing`]), used by the command line and the bindings.

use super::Scenario;
use crate::error::{Error, Result};
use crate::test_capacity::TestingScenario;
use std::path::Path;

/// The names of the built-in scenarios (county-round scenarios and testing scenarios
/// alike): `sweden` (all of Sweden, SYNTHETIC figures, the default seed) and
/// `vastmanland` (real geography, SYNTHETIC stock and needs).
pub const BUILTIN: [&str; 2] = ["sweden", "vastmanland"];

fn unknown(name: &str) -> Error {
    Error::invalid(
        "scenario",
        format!("expected a built-in scenario ({}), got '{name}'", BUILTIN.join(", ")),
    )
}

/// The built-in county-round scenario `name` (one of [`BUILTIN`]).
pub fn builtin(name: &str) -> Result<Scenario> {
    use super::synthetic;
    match name {
        "sweden" => synthetic::sweden(synthetic::DEFAULT_SEED),
        "vastmanland" => synthetic::vastmanland_default(),
        other => Err(unknown(other)),
    }
}

/// The built-in testing scenario `name` (one of [`BUILTIN`]).
pub fn builtin_testing(name: &str) -> Result<TestingScenario> {
    use crate::test_capacity::synthetic;
    match name {
        "sweden" => synthetic::sweden_testing(synthetic::DEFAULT_SEED),
        "vastmanland" => synthetic::vastmanland_testing(),
        other => Err(unknown(other)),
    }
}

/// A county-round scenario by name or path: a [`BUILTIN`] name, else a JSON file or a
/// directory of CSV tables.
pub fn scenario_by_name(spec: &str) -> Result<Scenario> {
    if BUILTIN.contains(&spec) {
        builtin(spec)
    } else {
        Scenario::load(Path::new(spec))
    }
}

/// A testing scenario by name or path: a [`BUILTIN`] name, else a JSON file.
pub fn testing_scenario_by_name(spec: &str) -> Result<TestingScenario> {
    if BUILTIN.contains(&spec) {
        builtin_testing(spec)
    } else {
        TestingScenario::load(Path::new(spec))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_builtin_name_loads_and_others_are_named_errors() {
        for name in BUILTIN {
            assert!(!builtin(name).unwrap().sites.is_empty(), "{name}");
        }
        assert!(!builtin_testing("vastmanland").unwrap().sites.is_empty());
        let err = builtin("narnia").unwrap_err().to_string();
        assert!(
            err.contains("scenario: expected a built-in scenario (sweden, vastmanland), got 'narnia'"),
            "{err}"
        );
        assert!(builtin_testing("narnia").is_err());
    }
}
