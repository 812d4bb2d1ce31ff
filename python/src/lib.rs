//! The compiled module `allocnet._allocnet`: thin pyo3 bindings over the allocnet core.
//!
//! This file only registers the module. Each wrapped type lives in its own file; the
//! Python package `allocnet` (python/allocnet/) re-exports everything and adds the
//! DataFrame conversions and plots. Errors become the classes of
//! `allocnet.exceptions` (see [`errors`]); every solve runs with the GIL released
//! ([`errors::detached`]); every result's tables cross through [`tables`].

mod arrays;
mod columns;
mod errors;
mod flow_result;
mod json;
mod lookahead;
mod macros;
mod names;
mod national;
mod network;
mod plan;
mod progress;
mod scenario;
mod simulation;
mod sweep;
mod tables;
mod testing;
mod testing_plan;
mod trips;

use pyo3::prelude::*;

/// Every Rust allocation of the extension goes through mimalloc (Python's own objects
/// do not).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// allocnet's compiled core (private: import from `allocnet`).
#[pymodule]
fn _allocnet(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("INFINITE", allocnet::flow::INFINITE)?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    m.add_class::<flow_result::FlowResult>()?;
    m.add_class::<network::Network>()?;
    m.add_function(wrap_pyfunction!(network::min_cost_flow, m)?)?;
    m.add_function(wrap_pyfunction!(network::read_dimacs, m)?)?;
    m.add_class::<scenario::Scenario>()?;
    m.add_class::<plan::Plan>()?;
    m.add_function(wrap_pyfunction!(scenario::schema_fields, m)?)?;
    m.add_function(wrap_pyfunction!(scenario::_scenario_from_json, m)?)?;
    m.add_function(wrap_pyfunction!(plan::_plan_from_json, m)?)?;
    m.add_function(wrap_pyfunction!(testing::_raise_core_error, m)?)?;
    m.add_class::<national::NationalRound>()?;
    m.add_function(wrap_pyfunction!(national::_national_round, m)?)?;
    m.add_function(wrap_pyfunction!(national::_national_round_from_json, m)?)?;
    m.add_class::<simulation::SimulationOptions>()?;
    m.add_function(wrap_pyfunction!(simulation::_simulate, m)?)?;
    m.add_function(wrap_pyfunction!(simulation::_compare_policies, m)?)?;
    m.add_function(wrap_pyfunction!(simulation::_replay, m)?)?;
    m.add_class::<national::NationalPlan>()?;
    m.add_function(wrap_pyfunction!(national::_national_plan_from_json, m)?)?;
    m.add_class::<simulation::Simulation>()?;
    m.add_function(wrap_pyfunction!(simulation::_simulation_from_json, m)?)?;
    m.add("_SIMULATION_DEFAULTS", simulation::defaults(m.py())?)?;
    m.add_class::<testing_plan::TestingScenario>()?;
    m.add_class::<testing_plan::TestingPlan>()?;
    m.add(
        "_TESTING_FILES",
        allocnet::test_capacity::output::TESTING_FILES.to_vec(),
    )?;
    m.add("_NAMES", names::names_dict(m.py())?)?;
    let explanations: Vec<&str> = allocnet::process::Reason::ALL.iter().map(|r| r.describe()).collect();
    m.add("_REASON_EXPLANATIONS", explanations)?;
    m.add_function(wrap_pyfunction!(tables::result_schema, m)?)?;
    m.add_function(wrap_pyfunction!(tables::_result_markdown, m)?)?;
    m.add_function(wrap_pyfunction!(testing_plan::_testing_plan, m)?)?;
    m.add_function(wrap_pyfunction!(testing_plan::_testing_scenario_from_json, m)?)?;
    m.add_class::<progress::Progress>()?;
    m.add_class::<sweep::SweepCore>()?;
    m.add_class::<lookahead::LookaheadPlan>()?;
    m.add_function(wrap_pyfunction!(lookahead::_lookahead_round, m)?)?;
    m.add_class::<trips::TripsPlan>()?;
    m.add_function(wrap_pyfunction!(trips::_trips_round, m)?)?;
    m.add_function(wrap_pyfunction!(trips::_trips_round_parts, m)?)?;
    m.add_function(wrap_pyfunction!(trips::_trips_plan_from_json, m)?)?;
    m.add_function(wrap_pyfunction!(trips::_logistics_builtin, m)?)?;
    Ok(())
}
