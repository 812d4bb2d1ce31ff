//! `Network` (a min-cost flow problem), `min_cost_flow` and `read_dimacs`.

use crate::arrays::{check_len, int64_vec, node_indices, to_numpy};
use crate::errors::{detached, detached_as, to_pyerr, ParseKind};
use crate::flow_result::FlowResult;
use crate::macros::pymethods_with_getters;
use crate::names::parse_name;
use allocnet::engine::solve_with;
use allocnet::flow::{check_optimality, dimacs, Engine, NetworkSimplex};
use allocnet::{Error, InvalidValue};
use numpy::{PyArray1, PyArrayMethods};
use pyo3::prelude::*;
use pyo3::types::PyTuple;
use std::path::PathBuf;
use std::sync::{Mutex, MutexGuard, PoisonError};

/// A min-cost flow problem (wraps the core `allocnet::flow::Network`).
///
/// Minimise Σ cost·flow subject to lower ≤ flow ≤ capacity on every arc and
/// out − in = supply at every node (positive supply: source, negative: demand).
/// `capacity == INFINITE` (2**63 − 1) means no limit.
///
/// Re-solving is warm: `set_costs`, `set_capacities` and `set_supplies` change the
/// problem in place and the next `solve()` (simplex engine) starts from the basis of the
/// previous one (the core `NetworkSimplex`), which takes far fewer pivots after small
/// changes (`last_pivots`). The optimum is the same as a cold solve's; when it is not
/// unique, the flows may be another optimal flow.
#[pyclass(frozen, module = "allocnet._allocnet")]
pub struct Network {
    state: Mutex<State>,
}

/// The problem, and the network simplex that solved it last (its basis is the warm
/// start of the next solve).
struct State {
    network: allocnet::flow::Network,
    solver: Option<NetworkSimplex>,
    /// Counts changes, so that a solver that ran during a change is not kept.
    version: u64,
    pivots: Option<u64>,
}

impl State {
    fn new(network: allocnet::flow::Network) -> Self {
        Self {
            network,
            solver: None,
            version: 0,
            pivots: None,
        }
    }
}

/// Builds and validates a core network from the Python arguments, reporting every
/// invalid argument and value at once.
fn network_from_arrays(
    tails: &Bound<'_, PyAny>,
    heads: &Bound<'_, PyAny>,
    capacities: &Bound<'_, PyAny>,
    costs: &Bound<'_, PyAny>,
    supplies: &Bound<'_, PyAny>,
    lower: Option<&Bound<'_, PyAny>>,
) -> PyResult<allocnet::flow::Network> {
    let mut problems: Vec<InvalidValue> = Vec::new();
    let tails = int64_vec(tails, "tails", &mut problems);
    let heads = int64_vec(heads, "heads", &mut problems);
    let capacities = int64_vec(capacities, "capacities", &mut problems);
    let costs = int64_vec(costs, "costs", &mut problems);
    let supplies = int64_vec(supplies, "supplies", &mut problems);
    let lower = lower.map(|l| int64_vec(l, "lower", &mut problems));
    let (Some(tails), Some(heads), Some(capacities), Some(costs), Some(supplies)) =
        (tails, heads, capacities, costs, supplies)
    else {
        return Err(to_pyerr(Error::Invalid(problems)));
    };
    let lower = match lower {
        None => None,
        Some(Some(lower)) => Some(lower),
        Some(None) => return Err(to_pyerr(Error::Invalid(problems))),
    };
    let arcs = tails.len();
    check_len("heads", heads.len(), arcs, &mut problems);
    check_len("capacities", capacities.len(), arcs, &mut problems);
    check_len("costs", costs.len(), arcs, &mut problems);
    if let Some(lower) = &lower {
        check_len("lower", lower.len(), arcs, &mut problems);
    }
    if !problems.is_empty() {
        return Err(to_pyerr(Error::Invalid(problems)));
    }
    let tails = node_indices(&tails, "tail", &mut problems);
    let heads = node_indices(&heads, "head", &mut problems);
    if !problems.is_empty() {
        return Err(to_pyerr(Error::Invalid(problems)));
    }
    allocnet::flow::Network::from_arrays(supplies, tails, heads, lower, capacities, costs).map_err(to_pyerr)
}

/// Solves `network` with `engine`, releasing the GIL.
fn solve_detached(py: Python<'_>, network: &allocnet::flow::Network, engine: Engine) -> PyResult<FlowResult> {
    let solution = detached(py, || solve_with(network, engine))?;
    Ok(FlowResult::from_solution(py, solution, engine))
}

/// `(index, value)` pairs of a vectorised change: `values` for every arc (or node)
/// when `indices` is None, else `values[i]` for `indices[i]`.
fn changes(
    values: &Bound<'_, PyAny>,
    indices: Option<&Bound<'_, PyAny>>,
    (values_name, indices_name, what): (&str, &str, &str),
    count: usize,
) -> PyResult<Vec<(u32, i64)>> {
    let mut problems = Vec::new();
    let values = int64_vec(values, values_name, &mut problems);
    let indices = indices.map(|i| int64_vec(i, indices_name, &mut problems));
    let (Some(values), None | Some(Some(_))) = (values, &indices) else {
        return Err(to_pyerr(Error::Invalid(problems)));
    };
    let indices: Vec<i64> = match indices.flatten() {
        None => {
            check_len(values_name, values.len(), count, &mut problems);
            (0..count as i64).collect()
        }
        Some(indices) => {
            if indices.len() != values.len() {
                problems.push(InvalidValue::new(
                    values_name,
                    format!(
                        "expected {} entries (one per {indices_name}), got {}",
                        indices.len(),
                        values.len()
                    ),
                ));
            }
            indices
        }
    };
    let mut out = Vec::with_capacity(indices.len());
    for (i, (&index, &value)) in indices.iter().zip(&values).enumerate() {
        match u32::try_from(index).ok().filter(|&k| (k as usize) < count) {
            Some(k) => out.push((k, value)),
            None => problems.push(InvalidValue::new(
                format!("{indices_name}[{i}]"),
                format!("no {what} {index} (the network has {count})"),
            )),
        }
    }
    if !problems.is_empty() {
        return Err(to_pyerr(Error::Invalid(problems)));
    }
    Ok(out)
}

impl Network {
    fn from_core(network: allocnet::flow::Network) -> Self {
        Self {
            state: Mutex::new(State::new(network)),
        }
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Applies a change to the problem and to the kept solver (whose basis survives it):
    /// all or nothing, every invalid value reported.
    fn change(
        &self,
        apply: impl Fn(&mut allocnet::flow::Network) -> allocnet::Result<()>,
        warm: impl Fn(&mut NetworkSimplex) -> allocnet::Result<()>,
    ) -> PyResult<()> {
        let mut state = self.lock();
        let mut network = state.network.clone();
        apply(&mut network).map_err(to_pyerr)?;
        network.validate().map_err(to_pyerr)?;
        if let Some(solver) = state.solver.as_mut() {
            if warm(solver).is_err() {
                state.solver = None; // not expected (the values are checked): solve cold
            }
        }
        state.network = network;
        state.version += 1;
        Ok(())
    }
}

pymethods_with_getters! {
    impl Network {
        getters |p| {
            /// Number of nodes.
            node_count -> usize { p.lock().network.node_count() }
            /// Number of arcs.
            arc_count -> usize { p.lock().network.arc_count() }
            /// Pivots of this network's last simplex solve (None before the first): a measure
            /// of its work, small for a warm re-solve after a small change.
            last_pivots -> Option<u64> { p.lock().pivots }
        }

        /// A network from int64 numpy arrays: one entry per arc for `tails`, `heads`,
        /// `capacities`, `costs` (and `lower`, default 0), one per node for `supplies`.
        #[new]
        #[pyo3(signature = (tails, heads, capacities, costs, supplies, lower=None))]
        fn new(
            tails: &Bound<'_, PyAny>,
            heads: &Bound<'_, PyAny>,
            capacities: &Bound<'_, PyAny>,
            costs: &Bound<'_, PyAny>,
            supplies: &Bound<'_, PyAny>,
            lower: Option<&Bound<'_, PyAny>>,
        ) -> PyResult<Self> {
            let network = network_from_arrays(tails, heads, capacities, costs, supplies, lower)?;
            Ok(Self::from_core(network))
        }

        /// Tail node of each arc (int64 copy).
        #[getter]
        fn tails<'py>(&self, py: Python<'py>) -> Bound<'py, PyArray1<i64>> {
            to_numpy(py, self.lock().network.tails().iter().map(|&t| i64::from(t)).collect())
        }

        /// Head node of each arc (int64 copy).
        #[getter]
        fn heads<'py>(&self, py: Python<'py>) -> Bound<'py, PyArray1<i64>> {
            to_numpy(py, self.lock().network.heads().iter().map(|&h| i64::from(h)).collect())
        }

        /// Lower bound of each arc (int64 copy).
        #[getter]
        fn lower<'py>(&self, py: Python<'py>) -> Bound<'py, PyArray1<i64>> {
            to_numpy(py, self.lock().network.lower().to_vec())
        }

        /// Capacity (upper bound) of each arc; INFINITE means no limit (int64 copy).
        #[getter]
        fn capacities<'py>(&self, py: Python<'py>) -> Bound<'py, PyArray1<i64>> {
            to_numpy(py, self.lock().network.upper().to_vec())
        }

        /// Unit cost of each arc (int64 copy).
        #[getter]
        fn costs<'py>(&self, py: Python<'py>) -> Bound<'py, PyArray1<i64>> {
            to_numpy(py, self.lock().network.costs().to_vec())
        }

        /// Supply of each node: positive source, negative demand (int64 copy).
        #[getter]
        fn supplies<'py>(&self, py: Python<'py>) -> Bound<'py, PyArray1<i64>> {
            to_numpy(py, self.lock().network.supplies().to_vec())
        }

        /// Solves the problem with `engine` (`"auto"`, `"simplex"`, `"cost-scaling"` or
        /// `"lp"`), releasing the GIL. `"auto"` takes cost scaling for large sparse
        /// networks and for sparse ones with one source and one sink from 2^15 arcs, and
        /// the network simplex otherwise (docs/flow-engines.md).
        /// The simplex engine starts from the basis of this network's previous simplex
        /// solve, if any (warm start after `set_costs`, `set_capacities`, `set_supplies`).
        #[pyo3(signature = (engine="auto"))]
        fn solve(&self, py: Python<'_>, engine: &str) -> PyResult<FlowResult> {
            let engine: Engine = parse_name(engine, "engine")?;
            let engine = engine.resolve(&self.lock().network);
            if engine != Engine::Simplex {
                let network = self.lock().network.clone();
                return solve_detached(py, &network, engine);
            }
            // The kept solver is taken out (so that the lock is not held without the GIL);
            // without one, a copy of the network is solved cold.
            let (kept, network, version) = {
                let mut state = self.lock();
                let network = state.solver.is_none().then(|| state.network.clone());
                (state.solver.take(), network, state.version)
            };
            let (solver, solution) = detached(py, || {
                let mut solver = match (kept, network) {
                    (Some(solver), _) => solver,
                    (None, Some(network)) => NetworkSimplex::from_network(network)?,
                    (None, None) => unreachable!("a network is cloned whenever no solver is kept"),
                };
                let solution = solver.solve()?;
                Ok((solver, solution))
            })?;
            let mut state = self.lock();
            if state.version == version {
                state.pivots = Some(solver.pivots());
                state.solver = Some(solver);
            }
            Ok(FlowResult::from_solution(py, solution, engine))
        }

        /// Changes unit costs: `costs` (int64) one per arc, or with `arcs` (int64 arc
        /// indices) the costs of those arcs. The next `solve()` starts warm.
        #[pyo3(signature = (costs, arcs=None))]
        fn set_costs(&self, costs: &Bound<'_, PyAny>, arcs: Option<&Bound<'_, PyAny>>) -> PyResult<()> {
            let count = self.lock().network.arc_count();
            let changes = changes(costs, arcs, ("costs", "arcs", "arc"), count)?;
            self.change(
                |n| changes.iter().try_for_each(|&(a, c)| n.set_cost(a, c)),
                |s| changes.iter().try_for_each(|&(a, c)| s.set_cost(a, c)),
            )
        }

        /// Changes capacities (upper bounds; INFINITE = none), lower bounds unchanged:
        /// `capacities` one per arc, or with `arcs` those arcs'. The next `solve()` starts
        /// warm from the previous basis if it is still feasible.
        #[pyo3(signature = (capacities, arcs=None))]
        fn set_capacities(&self, capacities: &Bound<'_, PyAny>, arcs: Option<&Bound<'_, PyAny>>) -> PyResult<()> {
            let (count, lower) = {
                let state = self.lock();
                (state.network.arc_count(), state.network.lower().to_vec())
            };
            let changes = changes(capacities, arcs, ("capacities", "arcs", "arc"), count)?;
            self.change(
                |n| {
                    changes
                        .iter()
                        .try_for_each(|&(a, u)| n.set_bounds(a, lower[a as usize], u))
                },
                |s| {
                    changes
                        .iter()
                        .try_for_each(|&(a, u)| s.set_bounds(a, lower[a as usize], u))
                },
            )
        }

        /// Changes supplies (positive: source, negative: demand): `supplies` one per node,
        /// or with `nodes` those nodes'. The next `solve()` starts warm from the previous
        /// basis if it is still feasible.
        #[pyo3(signature = (supplies, nodes=None))]
        fn set_supplies(&self, supplies: &Bound<'_, PyAny>, nodes: Option<&Bound<'_, PyAny>>) -> PyResult<()> {
            let count = self.lock().network.node_count();
            let changes = changes(supplies, nodes, ("supplies", "nodes", "node"), count)?;
            self.change(
                |n| changes.iter().try_for_each(|&(v, b)| n.set_supply(v, b)),
                |s| changes.iter().try_for_each(|&(v, b)| s.set_supply(v, b)),
            )
        }

        /// Checks `result` against this network with allocnet's exact optimality
        /// certificate (bounds, conservation, reduced costs, cost). Returns the violations
        /// as readable strings: an empty list means certified optimal.
        fn verify(&self, py: Python<'_>, result: &Bound<'_, FlowResult>) -> PyResult<Vec<String>> {
            let result = result.get();
            if let Some(status) = result.not_optimal() {
                return Ok(vec![format!("status is {status}, not optimal: nothing to certify")]);
            }
            let flows = result.flows_vec(py);
            let potentials = result.potentials_vec(py);
            let state = self.lock();
            let network = &state.network;
            let mut violations: Vec<String> = check_optimality(network, &flows, &potentials)
                .iter()
                .map(ToString::to_string)
                .collect();
            let computed = network.cost_of(&flows);
            if flows.len() == network.arc_count() && result.cost_value() != Some(computed) {
                violations.push(format!(
                    "reported cost {:?} differs from Σ cost·flow = {computed}",
                    result.cost_value()
                ));
            }
            Ok(violations)
        }

        /// Writes the network as a DIMACS min-cost flow file.
        fn write_dimacs(&self, path: PathBuf) -> PyResult<()> {
            dimacs::write_dimacs_file(&self.lock().network, &path, &["written by allocnet (Python)"]).map_err(to_pyerr)
        }

        fn __repr__(&self) -> String {
            let state = self.lock();
            format!(
                "Network(nodes={}, arcs={})",
                state.network.node_count(),
                state.network.arc_count()
            )
        }

        fn __reduce__<'py>(slf: &Bound<'py, Self>) -> PyResult<(Bound<'py, PyAny>, Bound<'py, PyTuple>)> {
            let py = slf.py();
            let this = slf.get();
            let args = PyTuple::new(
                py,
                [
                    this.tails(py).into_any(),
                    this.heads(py).into_any(),
                    this.capacities(py).into_any(),
                    this.costs(py).into_any(),
                    this.supplies(py).into_any(),
                    this.lower(py).into_any(),
                ],
            )?;
            Ok((slf.get_type().into_any(), args))
        }
    }
}

/// Solves a min-cost flow problem given as int64 numpy arrays (see `Network`).
///
/// The GIL is released during the solve. Bad input raises `InvalidInputError` naming
/// the argument or arc; an infeasible or unbounded problem is a status in the result.
#[pyfunction]
#[pyo3(signature = (tails, heads, capacities, costs, supplies, lower=None, engine="auto"))]
#[allow(clippy::too_many_arguments)]
pub fn min_cost_flow(
    py: Python<'_>,
    tails: &Bound<'_, PyAny>,
    heads: &Bound<'_, PyAny>,
    capacities: &Bound<'_, PyAny>,
    costs: &Bound<'_, PyAny>,
    supplies: &Bound<'_, PyAny>,
    lower: Option<&Bound<'_, PyAny>>,
    engine: &str,
) -> PyResult<FlowResult> {
    let engine: Engine = parse_name(engine, "engine")?;
    let network = network_from_arrays(tails, heads, capacities, costs, supplies, lower)?;
    let engine = engine.resolve(&network);
    solve_detached(py, &network, engine)
}

/// Reads a DIMACS min-cost flow file (`p min`, `n`, `a` lines) into a `Network`.
///
/// Malformed text raises `DimacsError` with the file and 1-based line; a missing file
/// raises `FileError`.
#[pyfunction]
pub fn read_dimacs(py: Python<'_>, path: PathBuf) -> PyResult<Network> {
    let network = detached_as(py, ParseKind::Dimacs, || dimacs::read_dimacs_file(&path))?;
    Ok(Network::from_core(network))
}

/// Reads an int64 numpy array held by a result.
pub fn array_vec(py: Python<'_>, array: &Py<PyArray1<i64>>) -> Vec<i64> {
    array
        .bind(py)
        .to_vec()
        .unwrap_or_else(|_| array.bind(py).readonly().as_array().to_vec())
}
