//! `Scenario` (wraps `allocnet::model::Scenario`), the built-ins, the county round
//! entry point, and the input schema as data.

use crate::columns;
use crate::errors::{detached, to_pyerr};
use crate::macros::pymethods_with_getters;
use crate::names::parse_name;
use crate::plan::Plan;
use allocnet::model::builtin::scenario_by_name;
use allocnet::model::{schema, synthetic, ResolvedScenario, Scenario as CoreScenario};
use allocnet::process::{run_county_round, run_resolved, RoundOptions, Strategy};
use allocnet::Error;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyTuple};
use std::path::PathBuf;
use std::sync::{Arc, OnceLock};

/// One planning round's input: sites, items, priority classes, status reports, lanes.
///
/// Build it with `from_json`, `load` (a JSON file or a directory of CSV tables) or a
/// built-in (`vastmanland`, `sweden`); the Python package adds DataFrames in and out.
/// Loading checks every value and reports all problems at once.
#[pyclass(frozen, eq, module = "allocnet._allocnet")]
pub struct Scenario {
    /// The scenario (shared with `resolved` when there is one).
    pub(crate) inner: Arc<CoreScenario>,
    /// The derived numbers, when the constructor's check computed them: a round
    /// reuses them instead of checking again.
    resolved: OnceLock<ResolvedScenario>,
}

impl PartialEq for Scenario {
    fn eq(&self, other: &Self) -> bool {
        self.inner == other.inner
    }
}

impl From<CoreScenario> for Scenario {
    fn from(inner: CoreScenario) -> Self {
        Self {
            inner: Arc::new(inner),
            resolved: OnceLock::new(),
        }
    }
}

impl Scenario {
    fn checked(py: Python<'_>, inner: CoreScenario) -> PyResult<Self> {
        let inner = detached(py, || inner.validate().map(|()| inner))?;
        Ok(Self::from(inner))
    }
}

pymethods_with_getters! {
    impl Scenario {
        getters |p| {
            /// Scenario name.
            name -> &str { &p.inner.name }
            /// True when stock, consumption or needs are synthetic.
            synthetic -> bool { p.inner.synthetic }
            /// Sources and assumptions, if given.
            note -> Option<&str> { p.inner.note.as_deref() }
            /// Number of sites.
            site_count -> usize { p.inner.sites.len() }
            /// Number of items.
            item_count -> usize { p.inner.items.len() }
            /// Priority class ids in force, highest first.
            priority_classes -> Vec<String> { p.inner.classes().into_iter().map(|c| c.id).collect() }
        }

        /// Parses a scenario from JSON text and checks it (`source_name` labels errors).
        #[staticmethod]
        #[pyo3(signature = (text, source_name="<json>"))]
        fn from_json(py: Python<'_>, text: &str, source_name: &str) -> PyResult<Self> {
            let inner = CoreScenario::from_json_str(text, source_name).map_err(to_pyerr)?;
            Self::checked(py, inner)
        }

        /// Reads a scenario from a JSON file or a directory of CSV tables and checks it.
        #[staticmethod]
        fn load(py: Python<'_>, path: PathBuf) -> PyResult<Self> {
            let inner = detached(py, || CoreScenario::load(&path))?;
            if path.is_dir() {
                return Ok(Self::from(inner)); // from_csv_dir has checked it, naming file and line
            }
            Self::checked(py, inner)
        }

        /// A scenario as the command line names it (the core's `scenario_by_name`): a
        /// built-in (`sweden`, `vastmanland`), else a JSON file or a CSV directory.
        #[staticmethod]
        fn _by_name(py: Python<'_>, spec: &str) -> PyResult<Self> {
            let inner = detached(py, || scenario_by_name(spec))?;
            Self::checked(py, inner)
        }

        /// Reads a directory of CSV tables (sites.csv, items.csv, status.csv, ...); errors
        /// name the file, line and column.
        #[staticmethod]
        fn from_csv_dir(py: Python<'_>, path: PathBuf) -> PyResult<Self> {
            let inner = detached(py, || CoreScenario::from_csv_dir(&path))?;
            Ok(Self::from(inner)) // from_csv_dir checks every value, naming file, line and column
        }

        /// A scenario from its input tables as columns, checked exactly like the CSV
        /// tables they stand for (`allocnet.frames` builds the argument from DataFrames):
        /// `{table: [(column, values, missing), ...]}` with tables named like the CSV files
        /// (`sites`, `items`, `status`, `deliveries`, `need_split`, `lanes`, `distances`,
        /// `priorities`, `parameters`), values a float64 numpy array (NaN = missing), an
        /// int64 numpy array, an object array of str (None, NaN, `pd.NA` = missing), a list
        /// of str/None or `(int64 codes, list of str)`, and `missing` None or a bool array.
        /// Errors name row `r` as line `r + 2` of the table's CSV file.
        #[staticmethod]
        fn from_columns(py: Python<'_>, tables: &Bound<'_, PyDict>) -> PyResult<Self> {
            let mut problems = Vec::new();
            let tables = columns::tables(tables, &mut problems)?;
            if !problems.is_empty() {
                return Err(to_pyerr(Error::Invalid(problems)));
            }
            let resolved = detached(py, || ResolvedScenario::from_columns(tables))?;
            // from_columns checks every value, naming table, line and column
            Ok(Self {
                inner: Arc::clone(&resolved.scenario),
                resolved: OnceLock::from(resolved),
            })
        }

        /// Västmanland (county 19): 10 municipalities, 4 hospitals, the transshipment
        /// point, 10 items. Real geography, SYNTHETIC status. `seed=None` is the embedded
        /// default scenario (data/vastmanland.json, seed 2020).
        #[staticmethod]
        #[pyo3(signature = (seed=None))]
        fn vastmanland(py: Python<'_>, seed: Option<u64>) -> PyResult<Self> {
            let inner = match seed {
                None => synthetic::vastmanland_default(),
                Some(seed) => synthetic::vastmanland(seed),
            }
            .map_err(to_pyerr)?;
            Self::checked(py, inner)
        }

        /// All of Sweden: 290 municipalities, lanes within each county, 10 items, SYNTHETIC
        /// status from `seed`.
        #[staticmethod]
        #[pyo3(signature = (seed=2020))]
        fn sweden(py: Python<'_>, seed: u64) -> PyResult<Self> {
            let inner = synthetic::sweden(seed).map_err(to_pyerr)?;
            Self::checked(py, inner)
        }

        /// The scenario as pretty-printed JSON (the format `from_json` reads).
        fn to_json(&self) -> PyResult<String> {
            self.inner.to_json_string().map_err(to_pyerr)
        }

        /// Writes the scenario as CSV tables into `path` (created if needed).
        fn write_csv_dir(&self, py: Python<'_>, path: PathBuf) -> PyResult<()> {
            let inner = &self.inner;
            detached(py, || inner.write_csv_dir(&path))
        }

        /// The CSV tables of `write_csv_dir` in memory: `[(file name, text)]`.
        fn _csv_texts(&self) -> PyResult<Vec<(&'static str, String)>> {
            self.inner.csv_texts().map_err(to_pyerr)
        }

        /// Runs the county round (the resource-coordination meeting), releasing the GIL.
        ///
        /// `engine`: `"auto"` (default), `"simplex"`, `"cost-scaling"` or `"lp"`; `strategy`: `"auto"`, `"weighted"` or
        /// `"level-by-level"` (how the lexicographic objective is solved).
        #[pyo3(signature = (engine="auto", strategy="auto"))]
        fn county_round(&self, py: Python<'_>, engine: &str, strategy: &str) -> PyResult<Plan> {
            let options = RoundOptions {
                engine: parse_name(engine, "engine")?,
                strategy: parse_name::<Strategy>(strategy, "strategy")?,
            };
            let (scenario, resolved) = (&self.inner, self.resolved.get());
            let plan = detached(py, || match resolved {
                Some(resolved) => run_resolved(resolved, &options),
                None => run_county_round(scenario, &options),
            })?;
            Ok(Plan { inner: plan })
        }

        /// Sites as columns: id, name, kind, county, lat, lon.
        fn _site_columns<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
            let sites = &self.inner.sites;
            let d = PyDict::new(py);
            d.set_item("id", sites.iter().map(|s| s.id.as_str()).collect::<Vec<_>>())?;
            d.set_item("name", sites.iter().map(|s| s.name.as_str()).collect::<Vec<_>>())?;
            d.set_item("kind", sites.iter().map(|s| s.kind.as_str()).collect::<Vec<_>>())?;
            d.set_item("county", sites.iter().map(|s| s.county.as_str()).collect::<Vec<_>>())?;
            d.set_item("lat", sites.iter().map(|s| s.lat).collect::<Vec<_>>())?;
            d.set_item("lon", sites.iter().map(|s| s.lon).collect::<Vec<_>>())?;
            Ok(d)
        }

        fn __repr__(&self) -> String {
            format!(
                "Scenario(name={:?}, sites={}, items={}, status_rows={}, synthetic={})",
                self.inner.name,
                self.inner.sites.len(),
                self.inner.items.len(),
                self.inner.status.len(),
                if self.inner.synthetic { "True" } else { "False" }
            )
        }

        fn __reduce__<'py>(slf: &Bound<'py, Self>) -> PyResult<(Bound<'py, PyAny>, Bound<'py, PyTuple>)> {
            let py = slf.py();
            let json = slf.get().to_json()?;
            let rebuild = py.import("allocnet._allocnet")?.getattr("_scenario_from_json")?;
            Ok((rebuild, PyTuple::new(py, [json])?))
        }
    }
}

/// Rebuilds a scenario from `to_json` output (pickle support).
#[pyfunction]
pub fn _scenario_from_json(py: Python<'_>, text: &str) -> PyResult<Scenario> {
    Scenario::from_json(py, text, "<pickle>")
}

/// The input schema as data: one dict per field with `table`, `field`, `kind`
/// (text, id, reference, integer, number, choice, boolean), `references` (for a
/// reference), `choices`, `unit`, `default` (None = required), `range` and
/// `description`. It drives the CSV columns and their checks.
#[pyfunction]
pub fn schema_fields<'py>(py: Python<'py>) -> PyResult<Vec<Bound<'py, PyDict>>> {
    use schema::FieldKind;
    schema::FIELDS
        .iter()
        .map(|f| {
            let d = PyDict::new(py);
            let (kind, references, choices): (&str, Option<&str>, Vec<&str>) = match f.kind {
                FieldKind::Text => ("text", None, vec![]),
                FieldKind::Id => ("id", None, vec![]),
                FieldKind::Reference(t) => ("reference", Some(t), vec![]),
                FieldKind::Integer => ("integer", None, vec![]),
                FieldKind::Number => ("number", None, vec![]),
                FieldKind::Choice(words) => ("choice", None, words.to_vec()),
                FieldKind::Boolean => ("boolean", None, vec![]),
            };
            d.set_item("table", f.table)?;
            d.set_item("field", f.field)?;
            d.set_item("kind", kind)?;
            d.set_item("references", references)?;
            d.set_item("choices", choices)?;
            d.set_item("unit", f.unit)?;
            d.set_item("default", f.default)?;
            d.set_item("range", f.range.describe())?;
            d.set_item("description", f.description)?;
            Ok(d)
        })
        .collect()
}
