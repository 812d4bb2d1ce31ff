//! `FlowResult`: what a min-cost flow solve returns to Python.

use crate::arrays::to_numpy;
use crate::macros::pymethods_with_getters;
use crate::network::array_vec;
use allocnet::flow::{Engine, FlowSolution};
use numpy::{PyArray1, PyUntypedArrayMethods};
use pyo3::prelude::*;
use pyo3::types::PyTuple;

/// The result of a min-cost flow solve.
///
/// `status` is `"optimal"`, `"infeasible"` or `"unbounded"` (a status, not an error).
/// When optimal, `cost` is the exact total cost `Σ cost·flow` as a Python int, `flows`
/// (int64, one per arc, input order) and `potentials` (int64, one per node) are numpy
/// arrays; otherwise `cost` is None and both arrays are empty. Potentials follow
/// `reduced_cost = cost + potential[tail] - potential[head]`.
#[pyclass(frozen, module = "allocnet._allocnet")]
pub struct FlowResult {
    status: String,
    cost: Option<i128>,
    flows: Py<PyArray1<i64>>,
    potentials: Py<PyArray1<i64>>,
    engine: String,
}

impl FlowResult {
    /// Wraps a core solution; the vectors move into numpy without a copy.
    pub fn from_solution(py: Python<'_>, solution: FlowSolution, engine: Engine) -> Self {
        Self {
            status: solution.status.as_str().to_string(),
            cost: solution.cost,
            flows: to_numpy(py, solution.flows).unbind(),
            potentials: to_numpy(py, solution.potentials).unbind(),
            engine: engine.as_str().to_string(),
        }
    }

    /// The status when it is not optimal.
    pub fn not_optimal(&self) -> Option<&str> {
        (self.status != "optimal").then_some(self.status.as_str())
    }

    /// The exact cost, when optimal.
    pub fn cost_value(&self) -> Option<i128> {
        self.cost
    }

    /// The flows as a `Vec` (read from the numpy array).
    pub fn flows_vec(&self, py: Python<'_>) -> Vec<i64> {
        array_vec(py, &self.flows)
    }

    /// The potentials as a `Vec` (read from the numpy array).
    pub fn potentials_vec(&self, py: Python<'_>) -> Vec<i64> {
        array_vec(py, &self.potentials)
    }
}

pymethods_with_getters! {
    impl FlowResult {
        getters |p| {
            /// `"optimal"`, `"infeasible"` or `"unbounded"`.
            status -> &str { &p.status }
            /// Total cost Σ cost·flow (exact), or None when not optimal.
            cost -> Option<i128> { p.cost }
            /// The engine that solved it: `"simplex"`, `"cost-scaling"` or `"lp"`.
            engine -> &str { &p.engine }
            /// True when the status is optimal.
            is_optimal -> bool { p.status == "optimal" }
        }

        /// Rebuilds a result from its parts (used by pickle).
        #[new]
        fn new(
            status: String,
            cost: Option<i128>,
            flows: Bound<'_, PyArray1<i64>>,
            potentials: Bound<'_, PyArray1<i64>>,
            engine: String,
        ) -> Self {
            Self {
                status,
                cost,
                flows: flows.unbind(),
                potentials: potentials.unbind(),
                engine,
            }
        }

        /// Flow per arc (int64, input order); empty when not optimal.
        #[getter]
        fn flows(&self, py: Python<'_>) -> Py<PyArray1<i64>> {
            self.flows.clone_ref(py)
        }

        /// Potential (dual price) per node (int64); empty when not optimal.
        #[getter]
        fn potentials(&self, py: Python<'_>) -> Py<PyArray1<i64>> {
            self.potentials.clone_ref(py)
        }

        fn __repr__(&self, py: Python<'_>) -> String {
            let cost = self.cost.map_or_else(|| "None".to_string(), |c| c.to_string());
            format!(
                "FlowResult(status='{}', cost={cost}, arcs={}, nodes={}, engine='{}')",
                self.status,
                PyUntypedArrayMethods::len(self.flows.bind(py)),
                PyUntypedArrayMethods::len(self.potentials.bind(py)),
                self.engine
            )
        }

        fn __reduce__<'py>(slf: &Bound<'py, Self>) -> PyResult<(Bound<'py, PyAny>, Bound<'py, PyTuple>)> {
            let py = slf.py();
            let this = slf.get();
            let args = PyTuple::new(
                py,
                [
                    this.status.clone().into_pyobject(py)?.into_any(),
                    this.cost.into_pyobject(py)?.into_any(),
                    this.flows.bind(py).clone().into_any(),
                    this.potentials.bind(py).clone().into_any(),
                    this.engine.clone().into_pyobject(py)?.into_any(),
                ],
            )?;
            Ok((slf.get_type().into_any(), args))
        }
    }
}
