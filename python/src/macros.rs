//! [`pymethods_with_getters!`]: a class's `#[pymethods]` block whose read-only
//! properties are declared one per line instead of as five-line `#[getter]` methods.

/// Expands to `#[pymethods] impl Class { ... }`: every line of the `getters |p| { ... }`
/// section becomes a `#[getter]` method (its doc comments kept as the property's
/// docstring) whose body reads the object as `p`; the items after the section are
/// copied into the block as written (methods, `#[staticmethod]`s, `__repr__`, ...).
///
/// ```ignore
/// pymethods_with_getters! {
///     impl Plan {
///         getters |p| {
///             /// Scenario name.
///             scenario_name -> &str { &p.inner.scenario }
///             /// True when the scenario's figures are synthetic.
///             synthetic -> bool { p.inner.synthetic }
///         }
///
///         fn to_json(&self) -> PyResult<String> { plan_json(&self.inner).map_err(to_pyerr) }
///     }
/// }
/// ```
///
/// is the `#[pymethods]` block with `#[getter] fn scenario_name(&self) -> &str {
/// &self.inner.scenario }`, the same for `synthetic`, and `to_json`. A property that
/// needs `py` or another name than its method is written as an ordinary `#[getter]`
/// method after the section.
macro_rules! pymethods_with_getters {
    (
        impl $class:ident {
            getters |$this:ident| {
                $( $(#[$doc:meta])* $name:ident -> $ret:ty { $($body:tt)* } )*
            }
            $($methods:tt)*
        }
    ) => {
        #[pymethods]
        impl $class {
            $(
                $(#[$doc])*
                #[getter]
                fn $name(&self) -> $ret {
                    let $this = self;
                    $($body)*
                }
            )*
            $($methods)*
        }
    };
}

pub(crate) use pymethods_with_getters;
