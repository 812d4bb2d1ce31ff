//! numpy arguments in, numpy arrays out.
//!
//! Arguments must be 1-dimensional numpy arrays of dtype int64; anything else is an
//! `InvalidInputError` naming the argument (no silent casts of floats or booleans).

use allocnet::InvalidValue;
use numpy::{PyArray1, PyArrayMethods, PyUntypedArray, PyUntypedArrayMethods};
use pyo3::prelude::*;

/// Copies a 1-D int64 numpy array into a `Vec`, or records why `value` is not one.
pub fn int64_vec(value: &Bound<'_, PyAny>, name: &str, problems: &mut Vec<InvalidValue>) -> Option<Vec<i64>> {
    if let Ok(array) = value.cast::<PyArray1<i64>>() {
        let readonly = array.readonly();
        return Some(match readonly.as_slice() {
            Ok(contiguous) => contiguous.to_vec(),
            Err(_) => readonly.as_array().to_vec(),
        });
    }
    let found = match value.cast::<PyUntypedArray>() {
        Ok(array) => {
            let dtype = array
                .dtype()
                .str()
                .map(|s| s.to_string())
                .unwrap_or_else(|_| "?".to_string());
            format!("a {}-dimensional array of dtype {dtype}", array.ndim())
        }
        Err(_) => value
            .get_type()
            .name()
            .map(|s| s.to_string())
            .unwrap_or_else(|_| "?".to_string()),
    };
    problems.push(InvalidValue::new(
        name,
        format!("expected a 1-dimensional numpy array of dtype int64 (np.asarray(x, dtype=np.int64)), got {found}"),
    ));
    None
}

/// Node indices: int64 values that must fit the core's `u32` node ids.
pub fn node_indices(values: &[i64], side: &str, problems: &mut Vec<InvalidValue>) -> Vec<u32> {
    let mut out = Vec::with_capacity(values.len());
    for (arc, &v) in values.iter().enumerate() {
        match u32::try_from(v) {
            Ok(node) => out.push(node),
            Err(_) => {
                problems.push(InvalidValue::new(
                    format!("arc {arc} ({side})"),
                    format!("node index must be in 0..{}, got {v}", u32::MAX),
                ));
                out.push(0);
            }
        }
    }
    out
}

/// Checks that an argument has one entry per arc.
pub fn check_len(name: &str, len: usize, arcs: usize, problems: &mut Vec<InvalidValue>) {
    if len != arcs {
        problems.push(InvalidValue::new(
            name,
            format!("expected {arcs} entries (one per arc, as tails), got {len}"),
        ));
    }
}

/// A `Vec` as a numpy array, without copying the data.
pub fn to_numpy<'py>(py: Python<'py>, values: Vec<i64>) -> Bound<'py, PyArray1<i64>> {
    PyArray1::from_vec(py, values)
}
