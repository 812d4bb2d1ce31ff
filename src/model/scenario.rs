//! The scenario data types: what a user writes (JSON or CSV) and what the round reads.

use crate::error::{Error, Result};
use serde::{Deserialize, Serialize};

/// What kind of actor a site is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum SiteKind {
    /// A municipality (kommun): its own care and the private providers in its area.
    Municipality,
    /// The region (hospitals, primary care).
    Region,
    /// A private care provider reported separately.
    PrivateProvider,
    /// The county's transshipment point (omlastningsplats).
    TransshipmentPoint,
    /// A national warehouse. Not part of the default county lanes (national stock is
    /// allocated by the national round).
    NationalWarehouse,
}

impl SiteKind {
    /// All kinds, in declaration order.
    pub const ALL: [SiteKind; 5] = [
        SiteKind::Municipality,
        SiteKind::Region,
        SiteKind::PrivateProvider,
        SiteKind::TransshipmentPoint,
        SiteKind::NationalWarehouse,
    ];

    /// The name used in JSON and CSV (`municipality`, `region`, `private-provider`,
    /// `transshipment-point`, `national-warehouse`).
    pub fn as_str(self) -> &'static str {
        match self {
            SiteKind::Municipality => "municipality",
            SiteKind::Region => "region",
            SiteKind::PrivateProvider => "private-provider",
            SiteKind::TransshipmentPoint => "transshipment-point",
            SiteKind::NationalWarehouse => "national-warehouse",
        }
    }

    /// Parses the name used in JSON and CSV.
    pub fn parse(text: &str) -> Option<SiteKind> {
        SiteKind::ALL.into_iter().find(|k| k.as_str() == text)
    }
}

/// The unit an item is counted in. Quantities are whole units.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Unit {
    /// Pieces (masks, gloves, gowns, test kits, ...).
    Pieces,
    /// Litres (hand sanitiser, ...).
    Litres,
}

impl Unit {
    /// `"pieces"` or `"litres"`.
    pub fn as_str(self) -> &'static str {
        match self {
            Unit::Pieces => "pieces",
            Unit::Litres => "litres",
        }
    }

    /// Parses `"pieces"` or `"litres"`.
    pub fn parse(text: &str) -> Option<Unit> {
        match text {
            "pieces" => Some(Unit::Pieces),
            "litres" => Some(Unit::Litres),
            _ => None,
        }
    }
}

/// A site of the supply network.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Site {
    /// Unique id, e.g. the municipality code `"1980"`.
    pub id: String,
    /// Display name, e.g. `"Västerås"`.
    pub name: String,
    /// What kind of actor it is.
    pub kind: SiteKind,
    /// County code (two digits, `"19"` for Västmanland). Default lanes join the sites
    /// of one county.
    pub county: String,
    /// Latitude, WGS84 degrees, in [-90, 90].
    pub lat: f64,
    /// Longitude, WGS84 degrees, in [-180, 180].
    pub lon: f64,
    /// Whether the site forwards stock in the county round: stock it receives may go on
    /// to other sites. Transshipment points always forward; other sites only when this
    /// is true (default false).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub hub: bool,
}

impl Site {
    /// Whether stock may pass through this site in the county round: transshipment
    /// points and sites marked as hubs.
    pub fn forwards(&self) -> bool {
        self.hub || self.kind == SiteKind::TransshipmentPoint
    }
}

/// A commodity.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Item {
    /// Unique id, e.g. `"ffp2"`.
    pub id: String,
    /// Display name, e.g. `"FFP2 respirator"`.
    pub name: String,
    /// Pieces or litres.
    pub unit: Unit,
}

/// A priority class of need. Classes are listed highest priority first.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PriorityClass {
    /// Unique id, e.g. `"covid-elderly-care"`.
    pub id: String,
    /// Display name.
    pub name: String,
}

/// The default priority classes, highest first: COVID-19 care in elderly care, other
/// elderly care, home care, disability services (LSS/SoL), health care.
///
/// ```
/// let classes = allocnet::model::default_priority_classes();
/// assert_eq!(classes[0].id, "covid-elderly-care");
/// assert_eq!(classes.len(), 5);
/// ```
pub fn default_priority_classes() -> Vec<PriorityClass> {
    [
        ("covid-elderly-care", "COVID-19 care in elderly care"),
        ("elderly-care", "Other elderly care"),
        ("home-care", "Home care"),
        ("disability-services", "Disability services (LSS/SoL)"),
        ("health-care", "Health care"),
    ]
    .into_iter()
    .map(|(id, name)| PriorityClass {
        id: id.into(),
        name: name.into(),
    })
    .collect()
}

/// An expected delivery through the site's normal channels.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Delivery {
    /// Days from now (0 = arrives now), >= 0.
    pub day: f64,
    /// Quantity in the item's unit, >= 0.
    pub quantity: i64,
}

/// One priority class's share of a site's need, or its explicit quantities.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ClassNeed {
    /// Priority class id.
    pub class: String,
    /// Share of the site's need in this class, in [0, 1] (with [`NeedSplit::Shares`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub share: Option<f64>,
    /// Acute need of this class, whole units (with [`NeedSplit::Quantities`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub acute: Option<i64>,
    /// Planning need of this class (horizon, includes the acute need), whole units
    /// (with [`NeedSplit::Quantities`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub planning: Option<i64>,
}

/// How a site's need of one item is divided over priority classes.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase", deny_unknown_fields)]
pub enum NeedSplit {
    /// All of it in one class.
    Class(String),
    /// Split by shares that sum to 1 (whole units by largest remainder, ties to the
    /// higher class).
    Shares(Vec<ClassNeed>),
    /// Explicit acute and planning quantities per class (the site's totals are their
    /// sums; do not also give `acute_need` / `planning_need`).
    Quantities(Vec<ClassNeed>),
}

/// A site's status report for one item (lägesbild).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SiteStatus {
    /// Site id.
    pub site: String,
    /// Item id.
    pub item: String,
    /// Stock on hand now, whole units, >= 0.
    pub stock: i64,
    /// Consumption per day, units/day, >= 0 (may be fractional).
    pub consumption_per_day: f64,
    /// Expected deliveries through normal channels.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub deliveries: Vec<Delivery>,
    /// Days of its own consumption a donor keeps as reserve, >= 0. Default:
    /// [`Parameters::reserve_days`].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reserve_days: Option<f64>,
    /// Explicit acute need (shortfall within the acute window), whole units. Default:
    /// derived from stock, consumption and deliveries.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub acute_need: Option<i64>,
    /// Explicit planning need (shortfall within the horizon, includes the acute need),
    /// whole units. Default: derived.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub planning_need: Option<i64>,
    /// Division of the need over priority classes. Default: all of it in
    /// [`Parameters::default_priority`].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub split: Option<NeedSplit>,
}

impl SiteStatus {
    /// A status with the given stock and consumption, no deliveries, defaults elsewhere.
    pub fn new(site: impl Into<String>, item: impl Into<String>, stock: i64, consumption_per_day: f64) -> Self {
        Self {
            site: site.into(),
            item: item.into(),
            stock,
            consumption_per_day,
            deliveries: Vec::new(),
            reserve_days: None,
            acute_need: None,
            planning_need: None,
            split: None,
        }
    }
}

/// A directed lane: `from` may ship to `to`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Lane {
    /// Shipping site id.
    pub from: String,
    /// Receiving site id.
    pub to: String,
    /// Distance in km, >= 0. Default: the distance matrix, else great-circle × detour
    /// factor.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub km: Option<f64>,
    /// Most units of each item the lane carries in this round, >= 0. Default: no limit.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub capacity: Option<i64>,
}

/// One entry of a distance matrix (e.g. road distances). Applies to both directions
/// unless the reverse pair has its own entry.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Distance {
    /// Site id.
    pub from: String,
    /// Site id.
    pub to: String,
    /// Distance in km, >= 0.
    pub km: f64,
}

/// Round parameters. Every field has a documented default.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Parameters {
    /// Acute window in hours (default 48): acute need is what falls short within it.
    pub acute_window_hours: f64,
    /// Planning horizon in days (default 7): planning need is what falls short within
    /// it. Must be at least the acute window.
    pub horizon_days: f64,
    /// Road distance ÷ great-circle distance (default 1.3), >= 1.
    pub detour_factor: f64,
    /// Reserve days for status rows that give none (default 0).
    pub reserve_days: f64,
    /// Priority class of needs without a split. Default: the lowest class (the last).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub default_priority: Option<String>,
}

impl Default for Parameters {
    fn default() -> Self {
        Self {
            acute_window_hours: 48.0,
            horizon_days: 7.0,
            detour_factor: 1.3,
            reserve_days: 0.0,
            default_priority: None,
        }
    }
}

/// One planning round's input: the whole county (or several counties) and its status.
///
/// ```
/// use allocnet::model::{Scenario, Site, SiteKind, Item, Unit, SiteStatus};
/// let site = |id: &str, lat: f64| Site {
///     id: id.into(), name: id.into(), kind: SiteKind::Municipality,
///     county: "19".into(), lat, lon: 16.5, hub: false,
/// };
/// let scenario = Scenario {
///     sites: vec![site("a", 59.6), site("b", 59.7)],
///     items: vec![Item { id: "ffp2".into(), name: "FFP2".into(), unit: Unit::Pieces }],
///     status: vec![SiteStatus::new("a", "ffp2", 0, 10.0), SiteStatus::new("b", "ffp2", 500, 10.0)],
///     ..Scenario::default()
/// };
/// let resolved = scenario.resolve().unwrap();
/// assert_eq!(resolved.profile(0, 0).acute_total(), 20); // 48 h of 10/day, nothing in stock
/// ```
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scenario {
    /// Name shown in reports.
    #[serde(default)]
    pub name: String,
    /// True when stock, consumption or needs are synthetic (reports say so).
    #[serde(default)]
    pub synthetic: bool,
    /// Free text: sources, assumptions.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// Round parameters.
    #[serde(default)]
    pub parameters: Parameters,
    /// Priority classes, highest first. Default: [`default_priority_classes`].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub priority_classes: Option<Vec<PriorityClass>>,
    /// The sites.
    pub sites: Vec<Site>,
    /// The items.
    pub items: Vec<Item>,
    /// Status per site and item. A missing pair means no stock and no need.
    pub status: Vec<SiteStatus>,
    /// Explicit lanes. Default (absent): every ordered pair of distinct sites in the
    /// same county, national warehouses excepted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lanes: Option<Vec<Lane>>,
    /// Distance matrix entries (km) that replace great-circle × detour.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub distances: Vec<Distance>,
}

impl Scenario {
    /// Parses a scenario from JSON text (a leading byte order mark is skipped). Syntax
    /// and type errors are [`Error::Parse`] with the line and the path of the value
    /// (`status[1].stock: invalid type: ...`); values are checked by
    /// [`Scenario::resolve`].
    pub fn from_json_str(text: &str, source_name: &str) -> Result<Scenario> {
        crate::json_path::parse_json(text, source_name, "")
    }

    /// The scenario as pretty-printed JSON.
    pub fn to_json_string(&self) -> Result<String> {
        serde_json::to_string_pretty(self).map_err(|e| Error::Internal(format!("serialising the scenario: {e}")))
    }

    /// Reads a scenario from a JSON file or from a directory of CSV tables.
    pub fn load(path: &std::path::Path) -> Result<Scenario> {
        if path.is_dir() {
            return Scenario::from_csv_dir(path);
        }
        let text = crate::limits::read_text_file(path)?;
        Scenario::from_json_str(&text, &path.display().to_string())
    }

    /// The priority classes in force: the scenario's own or the defaults.
    pub fn classes(&self) -> Vec<PriorityClass> {
        self.priority_classes.clone().unwrap_or_else(default_priority_classes)
    }
}
