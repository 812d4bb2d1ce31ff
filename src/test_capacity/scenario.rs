//! The testing scenario as plain data (serde): demand groups, sampling sites,
//! laboratories, kit stores and parameters. Checked by
//! [`TestingScenario::validate`](crate::test_capacity::TestingScenario::validate).

use crate::error::{Error, Result};
use serde::{Deserialize, Serialize};

/// A test type.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum TestType {
    /// PCR: current infection.
    Pcr,
    /// Serology: antibodies.
    Serology,
}

// `ALL` is in index order.
crate::names::named_enum!(TestType, "test_type", { Pcr => "pcr", Serology => "serology" });

impl TestType {
    /// 0 for PCR, 1 for serology.
    pub fn index(self) -> usize {
        match self {
            TestType::Pcr => 0,
            TestType::Serology => 1,
        }
    }
}

/// A day of the week.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
#[allow(missing_docs)]
pub enum Weekday {
    Mon,
    Tue,
    Wed,
    Thu,
    Fri,
    Sat,
    Sun,
}

impl Weekday {
    /// Monday to Sunday.
    pub const ALL: [Weekday; 7] = [
        Weekday::Mon,
        Weekday::Tue,
        Weekday::Wed,
        Weekday::Thu,
        Weekday::Fri,
        Weekday::Sat,
        Weekday::Sun,
    ];

    /// The name used in JSON: `mon` … `sun`.
    pub fn as_str(self) -> &'static str {
        match self {
            Weekday::Mon => "mon",
            Weekday::Tue => "tue",
            Weekday::Wed => "wed",
            Weekday::Thu => "thu",
            Weekday::Fri => "fri",
            Weekday::Sat => "sat",
            Weekday::Sun => "sun",
        }
    }
}

/// Opening days as text for people: `mon-fri`, `mon-sun`, or a list `mon, wed, fri`.
pub fn days_text(days: &[Weekday]) -> String {
    let mut sorted = days.to_vec();
    sorted.sort();
    sorted.dedup();
    let indexes: Vec<usize> = sorted.iter().map(|d| *d as usize).collect();
    let contiguous = indexes.windows(2).all(|w| w[1] == w[0] + 1);
    match (sorted.first(), sorted.last()) {
        (Some(first), Some(last)) if contiguous && sorted.len() > 2 => {
            format!("{}-{}", first.as_str(), last.as_str())
        }
        _ => sorted.iter().map(|d| d.as_str()).collect::<Vec<_>>().join(", "),
    }
}

/// What kind of sampling site.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum SamplingKind {
    /// Drive-in sampling.
    DriveIn,
    /// A health centre (vårdcentral).
    HealthCentre,
    /// Home test: pick up a kit, return the sample.
    HomeTestPickup,
}

crate::names::named_enum!(SamplingKind, "kind", {
    DriveIn => "drive-in",
    HealthCentre => "health-centre",
    HomeTestPickup => "home-test-pickup",
});

/// A demand group kind with its priority. Lower `priority` is served first; groups
/// with equal priority share a level.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Group {
    /// Identifier used by demand rows, e.g. `care_home_residents`.
    pub id: String,
    /// Name for people.
    pub name: String,
    /// Priority: 1 first, then 2, …
    pub priority: u32,
    /// Farthest a person of this group is sent (km, great-circle × detour factor);
    /// `None` = no limit.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_travel_km: Option<f64>,
}

/// The six groups with the default priorities from the Swedish 2020 practice: patients
/// and care first (care-home residents), then care and elderly-care staff (health and
/// elderly care, disability services), then other critical services, then others
/// (other services staff, then the public).
pub fn default_groups() -> Vec<Group> {
    let g = |id: &str, name: &str, priority| Group {
        id: id.into(),
        name: name.into(),
        priority,
        max_travel_km: None,
    };
    vec![
        g("care_home_residents", "Residents of care homes", 1),
        g("health_elderly_care_staff", "Staff in health and elderly care", 2),
        g("disability_services_staff", "Staff in disability services", 2),
        g(
            "critical_services_staff",
            "Staff of critical (societally important) services",
            3,
        ),
        g("other_services_staff", "Staff of other services", 4),
        g("public", "The public", 5),
    ]
}

/// Where demand comes from: a municipality (its seat or centroid).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TestingMunicipality {
    /// Identifier, e.g. the SCB code `1980`.
    pub id: String,
    /// Name, e.g. `Västerås`.
    pub name: String,
    /// County name or code.
    pub county: String,
    /// Latitude (WGS84).
    pub lat: f64,
    /// Longitude (WGS84).
    pub lon: f64,
}

/// Tests needed per week by one group in one municipality, of one test type.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Demand {
    /// Municipality id.
    pub municipality: String,
    /// Group id.
    pub group: String,
    /// PCR or serology.
    pub test_type: TestType,
    /// Tests needed this week (persons), `>= 0`.
    pub tests_per_week: i64,
}

/// Test kits of each type (pieces).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Kits {
    /// PCR kits.
    #[serde(default)]
    pub pcr: i64,
    /// Serology kits.
    #[serde(default)]
    pub serology: i64,
}

impl Kits {
    /// The count of one type.
    pub fn of(&self, t: TestType) -> i64 {
        match t {
            TestType::Pcr => self.pcr,
            TestType::Serology => self.serology,
        }
    }
}

/// A sampling site.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SamplingSite {
    /// Identifier.
    pub id: String,
    /// Name for the public guidance.
    pub name: String,
    /// Address for the public guidance (free text).
    #[serde(default)]
    pub address: String,
    /// Drive-in, health centre or home-test pick-up.
    pub kind: SamplingKind,
    /// County name or code (for the status picture and kit stores).
    pub county: String,
    /// Latitude (WGS84).
    pub lat: f64,
    /// Longitude (WGS84).
    pub lon: f64,
    /// Samples taken per opening day, all test types together, `>= 0`.
    pub capacity_per_day: i64,
    /// Test types sampled here (at least one).
    pub test_types: Vec<TestType>,
    /// Opening days (at least one; no repeats).
    pub opening_days: Vec<Weekday>,
    /// Kits on hand at the site.
    #[serde(default)]
    pub kits: Kits,
}

/// A laboratory's capacity for one test type.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LabCapacity {
    /// PCR or serology.
    pub test_type: TestType,
    /// Analyses per opening day, `>= 0`.
    pub analyses_per_day: i64,
    /// Samples per analysis (pool size), `>= 1`; 1 = no pooling.
    #[serde(default = "one")]
    pub pooling: i64,
}

fn one() -> i64 {
    1
}

fn all_days() -> Vec<Weekday> {
    Weekday::ALL.to_vec()
}

/// A laboratory.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Laboratory {
    /// Identifier.
    pub id: String,
    /// Name.
    pub name: String,
    /// County name or code.
    pub county: String,
    /// Latitude (WGS84).
    pub lat: f64,
    /// Longitude (WGS84).
    pub lon: f64,
    /// Capacity per test type (at most one entry per type).
    pub capacity: Vec<LabCapacity>,
    /// Opening days; default every day.
    #[serde(default = "all_days")]
    pub opening_days: Vec<Weekday>,
}

/// A regional kit store: ships kits to sampling sites in its county.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct KitStore {
    /// Identifier.
    pub id: String,
    /// Name.
    pub name: String,
    /// County name or code.
    pub county: String,
    /// Latitude (WGS84).
    pub lat: f64,
    /// Longitude (WGS84).
    pub lon: f64,
    /// Kits in store.
    pub kits: Kits,
}

/// Parameters of the plan.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TestingParameters {
    /// Road km = great-circle km × this factor, `>= 1`.
    #[serde(default = "default_detour")]
    pub detour_factor: f64,
    /// People of a municipality are sent only to the nearest this many sites offering
    /// the test type (within the group's max travel distance), `>= 1`. Keeps the LP
    /// small; raise it to widen the choice.
    #[serde(default = "default_candidates")]
    pub candidate_sites: usize,
    /// Whether a kit store may ship to sites in other counties (default: only its own).
    #[serde(default)]
    pub kits_across_counties: bool,
}

fn default_detour() -> f64 {
    1.0
}

fn default_candidates() -> usize {
    8
}

impl Default for TestingParameters {
    fn default() -> Self {
        Self {
            detour_factor: default_detour(),
            candidate_sites: default_candidates(),
            kits_across_counties: false,
        }
    }
}

/// One week's testing-capacity planning problem.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TestingScenario {
    /// Name of the scenario.
    pub name: String,
    /// The week planned, e.g. `2020-W40` (a label).
    #[serde(default)]
    pub week: String,
    /// Whether the figures are synthetic (shown in every output).
    #[serde(default)]
    pub synthetic: bool,
    /// Group kinds and priorities; default [`default_groups`].
    #[serde(default = "default_groups")]
    pub groups: Vec<Group>,
    /// Municipalities where demand lives.
    pub municipalities: Vec<TestingMunicipality>,
    /// Tests needed per week.
    pub demand: Vec<Demand>,
    /// Sampling sites.
    pub sites: Vec<SamplingSite>,
    /// Laboratories.
    pub labs: Vec<Laboratory>,
    /// Regional kit stores.
    #[serde(default)]
    pub stores: Vec<KitStore>,
    /// Parameters.
    #[serde(default)]
    pub parameters: TestingParameters,
}

impl TestingScenario {
    /// Parses a scenario from JSON (a leading byte order mark skipped); syntax and type
    /// errors are [`Error::Parse`] with the line and the path of the value
    /// (`sites[1].capacity_per_day: invalid type: ...`), unknown keys
    /// [`Error::Invalid`] with their paths (all of them). Values are checked by
    /// [`TestingScenario::validate`].
    pub fn from_json_str(text: &str, source_name: &str) -> Result<TestingScenario> {
        let value: serde_json::Value = crate::json_path::parse_json(text, source_name, "")?;
        let unknown = super::keys::unknown_keys(&value);
        if !unknown.is_empty() {
            return Err(Error::Invalid(unknown));
        }
        crate::json_path::parse_json(text, source_name, "")
    }

    /// Reads a scenario from a JSON file.
    pub fn load(path: &std::path::Path) -> Result<TestingScenario> {
        // A BOM is skipped; invalid UTF-8 is reported with its line (crate::limits).
        let text = crate::limits::read_text_file(path)?;
        Self::from_json_str(&text, &path.display().to_string())
    }

    /// The scenario as pretty JSON.
    pub fn to_json_string(&self) -> Result<String> {
        serde_json::to_string_pretty(self).map_err(|e| Error::Solver(format!("serialising the scenario: {e}")))
    }
}
