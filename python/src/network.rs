//! `Network` (a min-cost flow problem), `min_cost_flow` and `read_dimacs`.

use crate::arrays::{check_len, int64_vec, node_indices, to_numpy};
use crate::engine::parse_engine;
use crate::errors::{no_panic, to_pyerr, to_pyerr_as, ParseKind};
use crate::flow_result::FlowResult;
use allocnet::flow::{check_optimality, dimacs, solve_with};
use allocnet::{Error, InvalidValue};
use numpy::{PyArray1, PyArrayMethods};
use pyo3::prelude::*;
use pyo3::types::PyTuple;
use std::path::PathBuf;

/// A min-cost flow problem (wraps the core `allocnet::flow::Network`).
///
/// Minimise Σ cost·flow subject to lower ≤ flow ≤ capacity on every arc and
/// out − in = supply at every node (positive supply: source, negative: demand).
/// `capacity == INFINITE` (2**63 − 1) means no limit.
#[pyclass(frozen, module = "allocnet._allocnet")]
pub struct Network {
    inner: allocnet::flow::Network,
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

impl Network {
    fn solve_detached(&self, py: Python<'_>, engine: &str) -> PyResult<FlowResult> {
        let engine = parse_engine(engine)?;
        let network = &self.inner;
        let solution = py
            .detach(|| no_panic(|| solve_with(network, engine)))?
            .map_err(to_pyerr)?;
        Ok(FlowResult::from_solution(py, solution, engine))
    }
}

#[pymethods]
impl Network {
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
        let inner = network_from_arrays(tails, heads, capacities, costs, supplies, lower)?;
        Ok(Self { inner })
    }

    /// Number of nodes.
    #[getter]
    fn node_count(&self) -> usize {
        self.inner.node_count()
    }

    /// Number of arcs.
    #[getter]
    fn arc_count(&self) -> usize {
        self.inner.arc_count()
    }

    /// Tail node of each arc (int64 copy).
    #[getter]
    fn tails<'py>(&self, py: Python<'py>) -> Bound<'py, PyArray1<i64>> {
        to_numpy(py, self.inner.tails().iter().map(|&t| i64::from(t)).collect())
    }

    /// Head node of each arc (int64 copy).
    #[getter]
    fn heads<'py>(&self, py: Python<'py>) -> Bound<'py, PyArray1<i64>> {
        to_numpy(py, self.inner.heads().iter().map(|&h| i64::from(h)).collect())
    }

    /// Lower bound of each arc (int64 copy).
    #[getter]
    fn lower<'py>(&self, py: Python<'py>) -> Bound<'py, PyArray1<i64>> {
        to_numpy(py, self.inner.lower().to_vec())
    }

    /// Capacity (upper bound) of each arc; INFINITE means no limit (int64 copy).
    #[getter]
    fn capacities<'py>(&self, py: Python<'py>) -> Bound<'py, PyArray1<i64>> {
        to_numpy(py, self.inner.upper().to_vec())
    }

    /// Unit cost of each arc (int64 copy).
    #[getter]
    fn costs<'py>(&self, py: Python<'py>) -> Bound<'py, PyArray1<i64>> {
        to_numpy(py, self.inner.costs().to_vec())
    }

    /// Supply of each node: positive source, negative demand (int64 copy).
    #[getter]
    fn supplies<'py>(&self, py: Python<'py>) -> Bound<'py, PyArray1<i64>> {
        to_numpy(py, self.inner.supplies().to_vec())
    }

    /// Solves the problem with `engine` (`"simplex"` or `"lp"`), releasing the GIL.
    #[pyo3(signature = (engine="simplex"))]
    fn solve(&self, py: Python<'_>, engine: &str) -> PyResult<FlowResult> {
        self.solve_detached(py, engine)
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
        let mut violations: Vec<String> = check_optimality(&self.inner, &flows, &potentials)
            .iter()
            .map(ToString::to_string)
            .collect();
        let computed = self.inner.cost_of(&flows);
        if flows.len() == self.inner.arc_count() && result.cost_value() != Some(computed) {
            violations.push(format!(
                "reported cost {:?} differs from Σ cost·flow = {computed}",
                result.cost_value()
            ));
        }
        Ok(violations)
    }

    /// Writes the network as a DIMACS min-cost flow file.
    fn write_dimacs(&self, path: PathBuf) -> PyResult<()> {
        dimacs::write_dimacs_file(&self.inner, &path, &["written by allocnet (Python)"]).map_err(to_pyerr)
    }

    fn __repr__(&self) -> String {
        format!(
            "Network(nodes={}, arcs={})",
            self.inner.node_count(),
            self.inner.arc_count()
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

/// Solves a min-cost flow problem given as int64 numpy arrays (see `Network`).
///
/// The GIL is released during the solve. Bad input raises `InvalidInputError` naming
/// the argument or arc; an infeasible or unbounded problem is a status in the result.
#[pyfunction]
#[pyo3(signature = (tails, heads, capacities, costs, supplies, lower=None, engine="simplex"))]
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
    parse_engine(engine)?;
    let network = Network {
        inner: network_from_arrays(tails, heads, capacities, costs, supplies, lower)?,
    };
    network.solve_detached(py, engine)
}

/// Reads a DIMACS min-cost flow file (`p min`, `n`, `a` lines) into a `Network`.
///
/// Malformed text raises `DimacsError` with the file and 1-based line; a missing file
/// raises `FileError`.
#[pyfunction]
pub fn read_dimacs(py: Python<'_>, path: PathBuf) -> PyResult<Network> {
    let inner = py
        .detach(|| no_panic(|| dimacs::read_dimacs_file(&path)))?
        .map_err(|e| to_pyerr_as(e, ParseKind::Dimacs))?;
    Ok(Network { inner })
}

/// Reads an int64 numpy array held by a result.
pub fn array_vec(py: Python<'_>, array: &Py<PyArray1<i64>>) -> Vec<i64> {
    array
        .bind(py)
        .to_vec()
        .unwrap_or_else(|_| array.bind(py).readonly().as_array().to_vec())
}
