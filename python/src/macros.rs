//! [`pymethods_with_getters!`]: a class's `#[pymethods]` block whose read-only
//! properties are declared one per line instead of as five-line `#[getter]` methods.

/// Expands to `#[pymethods] impl Class { ... }`: every line of the `getters |p| { ... }`
/// section becomes a `#[getter]` method (its doc comments kept as the property's
/// docstring) whose body reads the object as `p`; the items after the section are
/// copied into the block as written (methods, `#[staticmethod]`s, `__repr__`, ...).
/// An optional `tables |p| { result }` section after it adds `_tables()` and
/// `_table(name)`, the export of `result`'s tables every result shares
/// (`crate::tables`).
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
            getters |$this:ident| { $($getters:tt)* }
            tables |$result:ident| { $($tables:tt)* }
            $($methods:tt)*
        }
    ) => {
        $crate::macros::pymethods_with_getters! {
            impl $class {
                getters |$this| { $($getters)* }

                /// Every table as every result exports them (see
                /// `allocnet._tables.ResultTables`). A table that cannot be built (e.g. an
                /// overflowing count) is left out: `_table(name)` raises its error.
                fn _tables<'py>(&self, py: Python<'py>) -> PyResult<$crate::tables::Export<'py>> {
                    let $result = self;
                    $crate::tables::export_all(py, $($tables)*)
                }

                /// One table alone; raises the core's error when it cannot be built.
                fn _table<'py>(&self, py: Python<'py>, name: &str) -> PyResult<$crate::tables::Export<'py>> {
                    let $result = self;
                    $crate::tables::export_table(py, $($tables)*, name)
                }

                $($methods)*
            }
        }
    };
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
