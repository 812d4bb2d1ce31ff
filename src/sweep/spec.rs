//! The sweep spec: named parameters, each a grid of values or a seeded distribution,
//! read from JSON or TOML and checked with every bad field named by its path
//! (`parameters[2].sd: must be >= 0, got -1`).

use super::Job;
use crate::error::{Error, InvalidValue, Result};
use crate::limits::compact;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value as Json};

/// What a parameter changes in the base.
///
/// Multipliers (`consumption`, `stock`, `national-stock`) scale the base's figures;
/// `stock-shock` is the share of stock a site (or item, county) loses; the others set
/// a value of the round or the simulation.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Target {
    /// Multiplier of consumption per day (status rows), >= 0.
    Consumption,
    /// Multiplier of stock on hand (status rows; rounded to whole units), >= 0.
    Stock,
    /// Share of stock lost, in [0, 1] (use a `bernoulli` distribution for events).
    StockShock,
    /// Default reserve days (`parameters.reserve_days`), >= 0.
    ReserveDays,
    /// Acute window, hours (`parameters.acute_window_hours`).
    AcuteWindowHours,
    /// Planning horizon, days (`parameters.horizon_days`).
    HorizonDays,
    /// County redistribution on (1) or off (0: the round has no lanes).
    Redistribution,
    /// The engine (`simplex` or `lp`).
    Engine,
    /// Multiplier of national stock (national round and simulation), >= 0.
    NationalStock,
    /// The national allocation policy (national round and simulation).
    Policy,
    /// Days added to every expected delivery (simulation), >= 0.
    DeliveryDelay,
    /// Probability that an expected delivery is cancelled (simulation), in [0, 1].
    Cancellation,
    /// Weeks simulated (simulation), a whole number >= 1.
    Weeks,
    /// Multiplier of the tests needed per week (testing; rounded to whole tests), >= 0.
    TestingDemand,
    /// Multiplier of the laboratories' analyses per day (testing; rounded), >= 0.
    LabCapacity,
    /// Multiplier of the sampling sites' capacity per day (testing; rounded), >= 0.
    SiteCapacity,
}

crate::names::named_enum!(Target, "target", {
    Consumption => "consumption",
    Stock => "stock",
    StockShock => "stock-shock",
    ReserveDays => "reserve-days",
    AcuteWindowHours => "acute-window-hours",
    HorizonDays => "horizon-days",
    Redistribution => "redistribution",
    Engine => "engine",
    NationalStock => "national-stock",
    Policy => "policy",
    DeliveryDelay => "delivery-delay",
    Cancellation => "cancellation",
    Weeks => "weeks",
    TestingDemand => "testing-demand",
    LabCapacity => "lab-capacity",
    SiteCapacity => "site-capacity",
});

impl Target {
    /// True when the values are names (engine, policy), not numbers.
    pub fn is_text(self) -> bool {
        matches!(self, Target::Engine | Target::Policy)
    }

    /// The levels a draw may be made per: multipliers and shocks of status rows at any
    /// level, national stock globally or per item, everything else globally.
    pub fn levels(self) -> &'static [Per] {
        match self {
            Target::Consumption | Target::Stock | Target::StockShock => &Per::ALL,
            Target::NationalStock => &[Per::Global, Per::Item],
            _ => &[Per::Global],
        }
    }

    /// The jobs this target applies to.
    pub fn jobs(self) -> &'static [Job] {
        use Job::*;
        match self {
            Target::Consumption
            | Target::Stock
            | Target::StockShock
            | Target::ReserveDays
            | Target::AcuteWindowHours
            | Target::Redistribution
            | Target::Engine => &[CountyRound, NationalRound, Simulate],
            Target::HorizonDays => &[CountyRound, NationalRound],
            Target::NationalStock | Target::Policy => &[NationalRound, Simulate],
            Target::DeliveryDelay | Target::Cancellation | Target::Weeks => &[Simulate],
            Target::TestingDemand | Target::LabCapacity | Target::SiteCapacity => &[Testing],
        }
    }

    /// The smallest and largest value allowed (inclusive); `None` for names.
    fn range(self) -> Option<(f64, f64)> {
        match self {
            Target::Engine | Target::Policy => None,
            Target::StockShock | Target::Cancellation | Target::Redistribution => Some((0.0, 1.0)),
            Target::AcuteWindowHours | Target::HorizonDays => Some((f64::MIN_POSITIVE, f64::MAX)),
            Target::Weeks => Some((1.0, 1040.0)),
            _ => Some((0.0, f64::MAX)),
        }
    }
}

/// The level a distribution is drawn at: one draw for the whole scenario, or one per
/// item, county or site (applied to all the status rows of that item, county, site).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Per {
    /// One draw per scenario (default).
    #[default]
    Global,
    /// One draw per item.
    Item,
    /// One draw per county (all its sites share it).
    County,
    /// One draw per site.
    Site,
}

crate::names::named_enum!(Per, "per", { Global => "global", Item => "item", County => "county", Site => "site" });

/// A value of a grid or a discrete choice: a number (booleans read as 1 and 0) or a
/// name (an engine, a policy).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Value {
    /// A number.
    Number(f64),
    /// A name.
    Text(String),
}

/// Where a parameter's values come from.
#[derive(Clone, Debug, PartialEq)]
pub enum Source {
    /// A list of values: the spec's grids form a Cartesian product.
    Grid(Vec<Value>),
    /// Uniform in `[low, high)`.
    Uniform {
        /// Lower end.
        low: f64,
        /// Upper end (> low).
        high: f64,
    },
    /// Normal with mean `mean` and standard deviation `sd` (>= 0).
    Normal {
        /// Mean.
        mean: f64,
        /// Standard deviation, >= 0.
        sd: f64,
    },
    /// `exp(N(mu, sigma))`: median `exp(mu)`; `mu = 0` gives a multiplier around 1.
    LogNormal {
        /// Mean of the logarithm.
        mu: f64,
        /// Standard deviation of the logarithm, >= 0.
        sigma: f64,
    },
    /// Triangular on `[low, high]` with its peak at `mode`.
    Triangular {
        /// Lower end.
        low: f64,
        /// Peak, in [low, high].
        mode: f64,
        /// Upper end (> low).
        high: f64,
    },
    /// One of `values`, with probabilities proportional to `weights` (equal without).
    Choice {
        /// The values.
        values: Vec<Value>,
        /// Weights (>= 0, some > 0), one per value.
        weights: Option<Vec<f64>>,
    },
    /// An event: `value` with probability `p`, else 0.
    Bernoulli {
        /// Probability, in [0, 1].
        p: f64,
        /// The value when the event happens (default 1).
        value: f64,
    },
}

impl Source {
    /// True for a grid (the others are sampled).
    pub fn is_grid(&self) -> bool {
        matches!(self, Source::Grid(_))
    }

    fn kind(&self) -> &'static str {
        match self {
            Source::Grid(_) => "grid",
            Source::Uniform { .. } => "uniform",
            Source::Normal { .. } => "normal",
            Source::LogNormal { .. } => "lognormal",
            Source::Triangular { .. } => "triangular",
            Source::Choice { .. } => "choice",
            Source::Bernoulli { .. } => "bernoulli",
        }
    }
}

/// One parameter of a sweep.
#[derive(Clone, Debug, PartialEq)]
pub struct Parameter {
    /// Column name in the result table (letters, digits, `_`; unique).
    pub name: String,
    /// What it changes.
    pub target: Target,
    /// The level of a draw (default global).
    pub per: Per,
    /// Only these items' status rows (multipliers, shocks) or national stock; `None`:
    /// all items.
    pub items: Option<Vec<String>>,
    /// Its values.
    pub source: Source,
}

/// A sweep spec: the parameters, optionally a name and a default sample count.
///
/// ```
/// use allocnet::sweep::SweepSpec;
/// let spec = SweepSpec::from_json(r#"{"parameters": [
///     {"name": "consumption", "target": "consumption", "per": "county",
///      "distribution": "lognormal", "mu": 0, "sigma": 0.2},
///     {"name": "stock", "target": "stock", "values": [0.8, 1.0, 1.2]}]}"#).unwrap();
/// assert_eq!(spec.grid_size(), 3);
/// let err = SweepSpec::from_json(r#"{"parameters": [
///     {"name": "c", "target": "consumption", "distribution": "normal", "mean": 1, "sd": -1}]}"#)
///     .unwrap_err();
/// assert!(err.to_string().contains("parameters[0].sd: must be >= 0, got -1"), "{err}");
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "Json", into = "Json")]
pub struct SweepSpec {
    /// Name shown in reports.
    pub name: String,
    /// Samples per grid point when the caller gives none.
    pub samples: Option<usize>,
    /// The parameters, in column order.
    pub parameters: Vec<Parameter>,
}

/// Most parameters a spec may list (each is a column of the result table; a draw per
/// item, county or site is one parameter with `per`).
pub const MAX_PARAMETERS: usize = 1000;

const SPEC_KEYS: [&str; 4] = ["name", "note", "samples", "parameters"];
const PARAMETER_KEYS: [&str; 17] = [
    "name",
    "target",
    "per",
    "items",
    "values",
    "distribution",
    "low",
    "high",
    "mode",
    "mean",
    "sd",
    "mu",
    "sigma",
    "p",
    "value",
    "choices",
    "weights",
];

/// Distribution names and the keys each takes (besides the common ones).
const DISTRIBUTIONS: [(&str, &[&str]); 6] = [
    ("uniform", &["low", "high"]),
    ("normal", &["mean", "sd"]),
    ("lognormal", &["mu", "sigma"]),
    ("triangular", &["low", "mode", "high"]),
    ("choice", &["choices", "weights"]),
    ("bernoulli", &["p", "value"]),
];

/// Collects problems with their paths.
#[derive(Default)]
struct Problems(Vec<InvalidValue>);

impl Problems {
    fn add(&mut self, path: impl Into<String>, message: impl Into<String>) {
        self.0.push(InvalidValue::new(path, message));
    }

    fn finish(self) -> Result<()> {
        if self.0.is_empty() {
            Ok(())
        } else {
            Err(Error::Invalid(self.0))
        }
    }
}

impl SweepSpec {
    /// Parses and checks a spec from JSON text.
    pub fn from_json(text: &str) -> Result<SweepSpec> {
        let json: Json = crate::json_path::parse_json(text, "sweep spec", "")?;
        SweepSpec::from_value(&json)
    }

    /// Parses and checks a spec from TOML text (`[[parameters]]` tables).
    pub fn from_toml(text: &str) -> Result<SweepSpec> {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let json: Json = toml::from_str(text).map_err(|e: toml::de::Error| Error::Parse {
            source_name: "sweep spec".into(),
            line: e
                .span()
                .map_or(0, |s| 1 + text[..s.start.min(text.len())].matches('\n').count()),
            message: e.message().to_string(),
        })?;
        SweepSpec::from_value(&json)
    }

    /// Reads a spec file: TOML when the name ends in `.toml`, else JSON.
    pub fn from_path(path: &std::path::Path) -> Result<SweepSpec> {
        let text = crate::limits::read_text_file(path)?;
        let name = path.display().to_string();
        let rename = |e: Error| match e {
            Error::Parse { line, message, .. } => Error::Parse {
                source_name: name.clone(),
                line,
                message,
            },
            other => other,
        };
        if path.extension().is_some_and(|e| e.eq_ignore_ascii_case("toml")) {
            SweepSpec::from_toml(&text).map_err(rename)
        } else {
            SweepSpec::from_json(&text).map_err(rename)
        }
    }

    /// Checks a spec given as a JSON value (a parsed dict from Python, say).
    pub fn from_value(json: &Json) -> Result<SweepSpec> {
        let mut problems = Problems::default();
        let Some(obj) = json.as_object() else {
            return Err(Error::invalid(
                "spec",
                format!("expected an object, got {}", kind_of(json)),
            ));
        };
        unknown_keys(obj, &SPEC_KEYS, "", &mut problems);
        let name = match obj.get("name") {
            None => String::new(),
            Some(Json::String(s)) => s.clone(),
            Some(other) => {
                problems.add("name", format!("expected text, got {}", kind_of(other)));
                String::new()
            }
        };
        if let Some(Json::String(_)) | None = obj.get("note") {
        } else {
            problems.add("note", "expected text");
        }
        let samples = match obj.get("samples") {
            None | Some(Json::Null) => None,
            Some(v) => match v.as_u64() {
                Some(n) if n >= 1 => Some(n as usize),
                _ => {
                    problems.add("samples", format!("must be a whole number >= 1, got {v}"));
                    None
                }
            },
        };
        let mut parameters = Vec::new();
        match obj.get("parameters") {
            Some(Json::Array(list)) => {
                if list.is_empty() {
                    problems.add("parameters", "must list at least one parameter");
                }
                if list.len() > MAX_PARAMETERS {
                    return Err(Error::invalid(
                        "parameters",
                        format!(
                            "at most {MAX_PARAMETERS} parameters (each is a column of the results), got {}",
                            list.len()
                        ),
                    ));
                }
                for (i, p) in list.iter().enumerate() {
                    if let Some(p) = parameter(p, &format!("parameters[{i}]"), &mut problems) {
                        parameters.push(p);
                    }
                }
            }
            Some(other) => problems.add("parameters", format!("expected a list, got {}", kind_of(other))),
            None => problems.add("parameters", "missing: list the parameters to sweep"),
        }
        let mut names = std::collections::HashSet::with_capacity(parameters.len());
        for (i, p) in parameters.iter().enumerate() {
            if !names.insert(p.name.as_str()) {
                problems.add(format!("parameters[{i}].name"), format!("'{}' is used twice", p.name));
            }
        }
        check_grid_product(&parameters, &mut problems);
        problems.finish()?;
        let spec = SweepSpec {
            name,
            samples,
            parameters,
        };
        Ok(spec)
    }

    /// The spec as JSON (the form [`SweepSpec::from_value`] reads).
    pub fn to_value(&self) -> Json {
        Json::from(self.clone())
    }

    /// Number of grid points: the product of the grid parameters' value counts (1
    /// without grids), saturating at `usize::MAX`.
    pub fn grid_size(&self) -> usize {
        self.parameters
            .iter()
            .filter_map(|p| match &p.source {
                Source::Grid(v) => Some(v.len()),
                _ => None,
            })
            .fold(1usize, |a, b| a.saturating_mul(b))
    }

    /// True when some parameter is drawn from a distribution.
    pub fn is_sampled(&self) -> bool {
        self.parameters.iter().any(|p| !p.source.is_grid())
    }
}

/// The grids' Cartesian product must be countable (fit `usize`): a spec of many long
/// grids is refused here, naming the grid that makes it overflow.
fn check_grid_product(parameters: &[Parameter], problems: &mut Problems) {
    let mut product: usize = 1;
    for (i, p) in parameters.iter().enumerate() {
        if let Source::Grid(values) = &p.source {
            match product.checked_mul(values.len()) {
                Some(n) => product = n,
                None => {
                    problems.add(
                        format!("parameters[{i}].values"),
                        format!(
                            "the grids' Cartesian product overflows: {product} grid points before this grid of {} values",
                            values.len()
                        ),
                    );
                    return;
                }
            }
        }
    }
}

fn kind_of(v: &Json) -> &'static str {
    match v {
        Json::Null => "null",
        Json::Bool(_) => "a boolean",
        Json::Number(_) => "a number",
        Json::String(_) => "text",
        Json::Array(_) => "a list",
        Json::Object(_) => "an object",
    }
}

fn unknown_keys(obj: &Map<String, Json>, known: &[&str], path: &str, problems: &mut Problems) {
    for key in obj.keys().filter(|k| !known.contains(&k.as_str())) {
        let at = if path.is_empty() {
            key.clone()
        } else {
            format!("{path}.{key}")
        };
        problems.add(at, format!("unknown key; expected one of {}", known.join(", ")));
    }
}

/// A number at `path`, or a problem.
fn number(obj: &Map<String, Json>, key: &str, path: &str, problems: &mut Problems) -> Option<f64> {
    let v = obj.get(key)?;
    match v.as_f64() {
        Some(x) if x.is_finite() => Some(x),
        _ => {
            problems.add(
                format!("{path}.{key}"),
                format!("expected a finite number, got {}", kind_of(v)),
            );
            None
        }
    }
}

fn required(obj: &Map<String, Json>, key: &str, path: &str, what: &str, problems: &mut Problems) -> Option<f64> {
    if !obj.contains_key(key) {
        problems.add(
            format!("{path}.{key}"),
            format!("missing: a {what} distribution needs it"),
        );
        return None;
    }
    number(obj, key, path, problems)
}

fn value_list(v: &Json, path: &str, problems: &mut Problems) -> Option<Vec<Value>> {
    let Json::Array(list) = v else {
        problems.add(path, format!("expected a list of values, got {}", kind_of(v)));
        return None;
    };
    if list.is_empty() {
        problems.add(path, "must hold at least one value");
        return None;
    }
    let mut out = Vec::with_capacity(list.len());
    for (j, x) in list.iter().enumerate() {
        match x {
            Json::Number(n) if n.as_f64().is_some_and(f64::is_finite) => out.push(Value::Number(n.as_f64()?)),
            Json::Bool(b) => out.push(Value::Number(f64::from(u8::from(*b)))),
            Json::String(s) => out.push(Value::Text(s.clone())),
            other => problems.add(
                format!("{path}[{j}]"),
                format!("expected a number or a name, got {}", kind_of(other)),
            ),
        }
    }
    (out.len() == list.len()).then_some(out)
}

fn parameter(json: &Json, path: &str, problems: &mut Problems) -> Option<Parameter> {
    let Some(obj) = json.as_object() else {
        problems.add(path, format!("expected an object, got {}", kind_of(json)));
        return None;
    };
    let before = problems.0.len();
    unknown_keys(obj, &PARAMETER_KEYS, path, problems);
    let name = match obj.get("name") {
        Some(Json::String(s)) if valid_name(s) => Some(s.clone()),
        Some(Json::String(s)) => {
            problems.add(
                format!("{path}.name"),
                format!("must be letters, digits and _ (starting with a letter), got '{s}'"),
            );
            None
        }
        Some(other) => {
            problems.add(format!("{path}.name"), format!("expected text, got {}", kind_of(other)));
            None
        }
        None => {
            problems.add(format!("{path}.name"), "missing: the parameter's column name");
            None
        }
    };
    let target = match obj.get("target") {
        Some(Json::String(s)) => named::<Target>(s, &format!("{path}.target"), problems),
        Some(other) => {
            problems.add(
                format!("{path}.target"),
                format!("expected text, got {}", kind_of(other)),
            );
            None
        }
        None => {
            problems.add(format!("{path}.target"), "missing: what the parameter changes");
            None
        }
    };
    let per = match obj.get("per") {
        None => Some(Per::Global),
        Some(Json::String(s)) => named::<Per>(s, &format!("{path}.per"), problems),
        Some(other) => {
            problems.add(format!("{path}.per"), format!("expected text, got {}", kind_of(other)));
            None
        }
    };
    let items = match obj.get("items") {
        None => None,
        Some(Json::Array(list)) if !list.is_empty() && list.iter().all(Json::is_string) => {
            Some(list.iter().filter_map(|s| s.as_str().map(str::to_string)).collect())
        }
        Some(_) => {
            problems.add(format!("{path}.items"), "expected a non-empty list of item ids");
            None
        }
    };
    let source = source(obj, path, problems);
    let (name, target, per, source) = (name?, target?, per?, source?);
    check_parameter(target, per, items.as_ref(), &source, path, problems);
    check_no_booleans(target, obj, path, problems);
    (problems.0.len() == before).then_some(Parameter {
        name,
        target,
        per,
        items,
        source,
    })
}

fn named<T: std::str::FromStr<Err = Error>>(text: &str, path: &str, problems: &mut Problems) -> Option<T> {
    match text.parse::<T>() {
        Ok(v) => Some(v),
        Err(Error::Invalid(list)) => {
            for p in list {
                problems.add(path, p.message);
            }
            None
        }
        Err(other) => {
            problems.add(path, other.to_string());
            None
        }
    }
}

fn valid_name(s: &str) -> bool {
    s.len() <= 64
        && s.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
        && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// The parameter's source: `values` (a grid) or `distribution` with its keys.
fn source(obj: &Map<String, Json>, path: &str, problems: &mut Problems) -> Option<Source> {
    let dist = obj.get("distribution");
    let all_keys: Vec<&str> = DISTRIBUTIONS.iter().flat_map(|(_, k)| k.iter().copied()).collect();
    let used: &[&str] = match (obj.get("values"), dist) {
        (Some(_), Some(_)) => {
            problems.add(path, "give either values (a grid) or a distribution, not both");
            return None;
        }
        (None, None) => {
            problems.add(path, "missing: give values (a grid) or a distribution");
            return None;
        }
        (Some(values), None) => {
            let grid = value_list(values, &format!("{path}.values"), problems).map(Source::Grid);
            for key in all_keys.iter().filter(|k| obj.contains_key(**k)) {
                problems.add(format!("{path}.{key}"), "not used by a grid (values); remove it");
            }
            return grid;
        }
        (None, Some(Json::String(d))) => match DISTRIBUTIONS.iter().find(|(n, _)| n == d) {
            Some((_, keys)) => keys,
            None => {
                let names: Vec<&str> = DISTRIBUTIONS.iter().map(|(n, _)| *n).collect();
                problems.add(
                    format!("{path}.distribution"),
                    format!("expected one of {}, got '{d}'", names.join(", ")),
                );
                return None;
            }
        },
        (None, Some(other)) => {
            problems.add(
                format!("{path}.distribution"),
                format!("expected text, got {}", kind_of(other)),
            );
            return None;
        }
    };
    let d = dist.and_then(Json::as_str).unwrap_or_default();
    for key in all_keys.iter().filter(|k| obj.contains_key(**k) && !used.contains(k)) {
        problems.add(
            format!("{path}.{key}"),
            format!("not used by a {d} distribution; remove it"),
        );
    }
    let need = |key: &str, problems: &mut Problems| required(obj, key, path, d, problems);
    Some(match d {
        "uniform" => Source::Uniform {
            low: need("low", problems)?,
            high: need("high", problems)?,
        },
        "normal" => Source::Normal {
            mean: need("mean", problems)?,
            sd: need("sd", problems)?,
        },
        "lognormal" => Source::LogNormal {
            mu: need("mu", problems)?,
            sigma: need("sigma", problems)?,
        },
        "triangular" => Source::Triangular {
            low: need("low", problems)?,
            mode: need("mode", problems)?,
            high: need("high", problems)?,
        },
        "choice" => {
            let Some(choices) = obj.get("choices") else {
                problems.add(format!("{path}.choices"), "missing: a choice distribution needs it");
                return None;
            };
            let values = value_list(choices, &format!("{path}.choices"), problems)?;
            let weights = match obj.get("weights") {
                None => None,
                Some(Json::Array(w)) => {
                    let mut out = Vec::with_capacity(w.len());
                    for (j, x) in w.iter().enumerate() {
                        match x.as_f64() {
                            Some(x) if x.is_finite() => out.push(x),
                            _ => problems.add(format!("{path}.weights[{j}]"), "expected a finite number"),
                        }
                    }
                    Some(out)
                }
                Some(other) => {
                    problems.add(
                        format!("{path}.weights"),
                        format!("expected a list, got {}", kind_of(other)),
                    );
                    return None;
                }
            };
            Source::Choice { values, weights }
        }
        _ => Source::Bernoulli {
            p: need("p", problems)?,
            value: number(obj, "value", path, problems).unwrap_or(1.0),
        },
    })
}

fn check_parameter(
    target: Target,
    per: Per,
    items: Option<&Vec<String>>,
    source: &Source,
    path: &str,
    problems: &mut Problems,
) {
    if !target.levels().contains(&per) {
        let levels: Vec<&str> = target.levels().iter().map(|l| l.as_str()).collect();
        problems.add(
            format!("{path}.per"),
            format!("{} is drawn per {}, got '{per}'", target, levels.join(" or ")),
        );
    }
    if per != Per::Global && source.is_grid() {
        problems.add(
            format!("{path}.per"),
            "a grid gives one value per scenario; per applies to distributions",
        );
    }
    if items.is_some()
        && !matches!(
            target,
            Target::Consumption | Target::Stock | Target::StockShock | Target::NationalStock
        )
    {
        problems.add(
            format!("{path}.items"),
            format!("{target} does not apply per item; remove items"),
        );
    }
    let ge = |problems: &mut Problems, key: &str, x: f64, min: f64| {
        if x < min {
            problems.add(
                format!("{path}.{key}"),
                format!("must be >= {}, got {}", compact(min), compact(x)),
            );
        }
    };
    match *source {
        Source::Uniform { low, high } | Source::Triangular { low, high, .. } if high <= low => problems.add(
            format!("{path}.high"),
            format!("must be > low ({}), got {}", compact(low), compact(high)),
        ),
        Source::Triangular { low, mode, high } if !(low..=high).contains(&mode) => problems.add(
            format!("{path}.mode"),
            format!(
                "must be in [low, high] = [{}, {}], got {}",
                compact(low),
                compact(high),
                compact(mode)
            ),
        ),
        Source::Normal { sd, .. } => ge(problems, "sd", sd, 0.0),
        Source::LogNormal { sigma, .. } => ge(problems, "sigma", sigma, 0.0),
        Source::Bernoulli { p, .. } if !(0.0..=1.0).contains(&p) => {
            problems.add(format!("{path}.p"), format!("must be in [0, 1], got {}", compact(p)));
        }
        Source::Choice {
            ref values,
            weights: Some(ref w),
        } => {
            if w.len() != values.len() {
                problems.add(
                    format!("{path}.weights"),
                    format!("must have one weight per choice ({}), got {}", values.len(), w.len()),
                );
            }
            for (j, &x) in w.iter().enumerate() {
                ge(problems, &format!("weights[{j}]"), x, 0.0);
            }
            if w.iter().all(|&x| x <= 0.0) {
                problems.add(format!("{path}.weights"), "some weight must be > 0");
            }
        }
        _ => {}
    }
    check_values(target, source, path, problems);
}

/// `true`/`false` stand for 1/0 only where the target is a switch (`redistribution`);
/// for any other target a boolean is refused, never read as a number.
fn check_no_booleans(target: Target, obj: &Map<String, Json>, path: &str, problems: &mut Problems) {
    if target == Target::Redistribution {
        return;
    }
    for key in ["values", "choices"] {
        let Some(Json::Array(list)) = obj.get(key) else {
            continue;
        };
        for (j, x) in list.iter().enumerate() {
            if let Json::Bool(b) = x {
                problems.add(
                    format!("{path}.{key}[{j}]"),
                    format!("{target} takes numbers, got {b} (true/false only for redistribution)"),
                );
            }
        }
    }
}

/// Grid and choice values must be of the target's kind and in its range; a
/// distribution of numbers must not be drawn for a name.
fn check_values(target: Target, source: &Source, path: &str, problems: &mut Problems) {
    let (key, values) = match source {
        Source::Grid(v) => ("values", v),
        Source::Choice { values, .. } => ("choices", values),
        other => {
            if target.is_text() {
                problems.add(
                    format!("{path}.distribution"),
                    format!(
                        "{target} takes names: use values or a choice distribution, got {}",
                        other.kind()
                    ),
                );
            }
            return;
        }
    };
    for (j, v) in values.iter().enumerate() {
        let at = format!("{path}.{key}[{j}]");
        match (v, target.range()) {
            (Value::Number(x), Some((lo, hi))) => {
                if *x < lo || *x > hi {
                    problems.add(at, range_message(target, *x));
                } else if target == Target::Weeks && x.fract() != 0.0 {
                    problems.add(at, format!("must be a whole number of weeks, got {}", compact(*x)));
                }
            }
            (Value::Text(s), None) => {
                let ok = match target {
                    Target::Engine => named::<crate::flow::Engine>(s, &at, problems).is_some(),
                    _ => named::<crate::process::Policy>(s, &at, problems).is_some(),
                };
                let _ = ok;
            }
            (Value::Text(s), Some(_)) => problems.add(at, format!("{target} takes numbers, got '{s}'")),
            (Value::Number(x), None) => problems.add(at, format!("{target} takes names, got {}", compact(*x))),
        }
    }
}

/// The message for a value of `target` out of its range.
pub(crate) fn range_message(target: Target, x: f64) -> String {
    match target.range() {
        Some((lo, _)) if lo > 0.0 && lo < 1e-300 => format!("{target} must be > 0, got {}", compact(x)),
        Some((lo, hi)) if hi == f64::MAX => format!("{target} must be >= {}, got {}", compact(lo), compact(x)),
        Some((lo, hi)) => format!(
            "{target} must be in [{}, {}], got {}",
            compact(lo),
            compact(hi),
            compact(x)
        ),
        None => format!("{target} takes names, got {}", compact(x)),
    }
}

/// Checks a drawn number against the target's range (a normal draw may fall outside).
pub(crate) fn check_drawn(target: Target, x: f64) -> std::result::Result<(), String> {
    if target == Target::Weeks && x.fract() != 0.0 {
        return Err(format!("weeks must be a whole number, got {}", compact(x)));
    }
    match target.range() {
        Some((lo, hi)) if x.is_finite() && x >= lo && x <= hi => Ok(()),
        Some(_) => Err(range_message(target, x)),
        None => Ok(()),
    }
}

impl TryFrom<Json> for SweepSpec {
    type Error = Error;

    fn try_from(json: Json) -> Result<SweepSpec> {
        SweepSpec::from_value(&json)
    }
}

impl From<SweepSpec> for Json {
    fn from(spec: SweepSpec) -> Json {
        let mut obj = Map::new();
        if !spec.name.is_empty() {
            obj.insert("name".into(), spec.name.into());
        }
        if let Some(n) = spec.samples {
            obj.insert("samples".into(), n.into());
        }
        let params = spec.parameters.iter().map(parameter_json).collect();
        obj.insert("parameters".into(), Json::Array(params));
        Json::Object(obj)
    }
}

fn parameter_json(p: &Parameter) -> Json {
    let mut o = Map::new();
    o.insert("name".into(), p.name.clone().into());
    o.insert("target".into(), p.target.as_str().into());
    if p.per != Per::Global {
        o.insert("per".into(), p.per.as_str().into());
    }
    if let Some(items) = &p.items {
        o.insert("items".into(), items.clone().into());
    }
    let values = |v: &[Value]| serde_json::to_value(v).unwrap_or(Json::Null);
    let mut put = |k: &str, v: Json| {
        o.insert(k.into(), v);
    };
    if !p.source.is_grid() {
        put("distribution", p.source.kind().into());
    }
    match &p.source {
        Source::Grid(v) => put("values", values(v)),
        Source::Uniform { low, high } => {
            put("low", (*low).into());
            put("high", (*high).into());
        }
        Source::Normal { mean, sd } => {
            put("mean", (*mean).into());
            put("sd", (*sd).into());
        }
        Source::LogNormal { mu, sigma } => {
            put("mu", (*mu).into());
            put("sigma", (*sigma).into());
        }
        Source::Triangular { low, mode, high } => {
            put("low", (*low).into());
            put("mode", (*mode).into());
            put("high", (*high).into());
        }
        Source::Choice { values: v, weights } => {
            put("choices", values(v));
            if let Some(w) = weights {
                put("weights", w.clone().into());
            }
        }
        Source::Bernoulli { p, value } => {
            put("p", (*p).into());
            put("value", (*value).into());
        }
    }
    Json::Object(o)
}
