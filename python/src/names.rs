//! The core's closed sets of names (`Engine`, `Strategy`, `Policy`, `Reason`,
//! `Window`, `Method`, ...) as Python takes and shows them: parsed with the core's
//! `FromStr`, listed from its `ALL` (module constant `_NAMES`). No name is written here.

use crate::errors::invalid;
use allocnet::flow::Engine;
use allocnet::process::simulate::Leg;
use allocnet::process::{Method, Policy, Reason, Strategy, Window};
use allocnet::test_capacity::{Resource, SamplingKind, TestType, UnmetReason};
use pyo3::prelude::*;
use pyo3::types::PyDict;
use std::str::FromStr;

/// A closed set of names of the core: every value (`ALL`) and its name (`as_str`).
pub trait Named: FromStr + Copy + 'static {
    /// Every value, in the core's order.
    fn all() -> &'static [Self];
    /// The value's name.
    fn name(self) -> &'static str;
}

macro_rules! named {
    ($($ty:ty),+) => {
        $(impl Named for $ty {
            fn all() -> &'static [Self] {
                &<$ty>::ALL
            }

            fn name(self) -> &'static str {
                self.as_str()
            }
        })+
    };
}

named!(
    Engine,
    Strategy,
    Policy,
    Reason,
    Window,
    Method,
    Leg,
    TestType,
    UnmetReason,
    SamplingKind,
    Resource
);

/// The names of `T`, in the core's order.
pub fn names<T: Named>() -> Vec<&'static str> {
    T::all().iter().map(|v| v.name()).collect()
}

/// Parses the name `text` of argument `what`; an unknown name is an
/// `InvalidInputError` at `what` listing the names (e.g. "expected 'simplex' or 'lp',
/// got 'cplex'").
pub fn parse_name<T: Named>(text: &str, what: &str) -> PyResult<T> {
    text.parse::<T>().map_err(|_| {
        let quoted: Vec<String> = names::<T>().iter().map(|n| format!("'{n}'")).collect();
        let expected = match quoted.split_last() {
            Some((last, [])) => last.clone(),
            Some((last, rest)) => format!("{} or {last}", rest.join(", ")),
            None => "no value".to_string(),
        };
        invalid(what, format!("expected {expected}, got '{text}'"))
    })
}

/// `_NAMES`: every closed set of names by its label (`engine`, `strategy`, `policy`,
/// `reason`, `window`, `method`, `leg`, `test_type`, `untested_reason`, `site_kind`,
/// `resource`), each a tuple in the core's order.
pub fn names_dict(py: Python<'_>) -> PyResult<Bound<'_, PyDict>> {
    let d = PyDict::new(py);
    d.set_item("engine", names::<Engine>())?;
    d.set_item("strategy", names::<Strategy>())?;
    d.set_item("policy", names::<Policy>())?;
    d.set_item("reason", names::<Reason>())?;
    d.set_item("window", names::<Window>())?;
    d.set_item("method", names::<Method>())?;
    d.set_item("leg", names::<Leg>())?;
    d.set_item("test_type", names::<TestType>())?;
    d.set_item("untested_reason", names::<UnmetReason>())?;
    d.set_item("site_kind", names::<SamplingKind>())?;
    d.set_item("resource", names::<Resource>())?;
    Ok(d)
}
