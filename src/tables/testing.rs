//! The testing plan as tables ([`TestingResult`]: the plan with its scenario, which
//! the guidance and the status picture need).

use super::Dtype::Category;
use super::{
    col, find_spec, table, Column, ColumnSpec, Dtype, Float, Int, ResultTables, Table, TableSpec, Text, COUNTY_NAME,
};
use crate::error::Result;
use crate::testing::guidance::{guidance_rows, GuidanceRow};
use crate::testing::plan::{Resource, Transport, UnmetReason};
use crate::testing::status::{county_status, CountyStatus};
use crate::testing::{SamplingKind, TestType};
use crate::testing::{TestingPlan, TestingScenario};

/// A testing plan with the scenario it was made for: the tables of `allocnet testing`.
#[derive(Clone, Copy, Debug)]
pub struct TestingResult<'a> {
    /// The scenario.
    pub scenario: &'a TestingScenario,
    /// Its plan.
    pub plan: &'a TestingPlan,
}

const TEST_TYPE: Dtype = Category("test_type");

const TESTS: &[ColumnSpec] = &[
    col("municipality", Text, "", "municipality code"),
    col("municipality_name", Text, "", "municipality name"),
    COUNTY_NAME,
    col("group", Text, "", "group id"),
    col("priority", Int, "", "group priority (lower is served first)"),
    col("test_type", TEST_TYPE, "", "pcr or serology"),
    col("site", Text, "", "sampling site id"),
    col("tests", Int, "tests/week", "tests per week"),
    ColumnSpec::fixed("km", 1, "km", "travel from the municipality to the site, km"),
];

const UNMET: &[ColumnSpec] = &[
    col("municipality", Text, "", "municipality code"),
    COUNTY_NAME,
    col("group", Text, "", "group id"),
    col("priority", Int, "", "group priority"),
    col("test_type", TEST_TYPE, "", "pcr or serology"),
    col("demand", Int, "tests/week", "tests needed per week"),
    col("tested", Int, "tests/week", "tests planned"),
    col("untested", Int, "tests/week", "demand - tested (> 0)"),
    col("reason", Category("untested_reason"), "", "why it stays untested"),
];

const SITES: &[ColumnSpec] = &[
    col("site", Text, "", "sampling site id"),
    col("name", Text, "", "site name"),
    COUNTY_NAME,
    col(
        "kind",
        Category("site_kind"),
        "",
        "drive-in, health-centre or home-test-pickup",
    ),
    col(
        "capacity_per_week",
        Int,
        "samples/week",
        "samples per week (capacity per day x opening days)",
    ),
    col("pcr", Int, "tests/week", "PCR tests planned"),
    col("serology", Int, "tests/week", "serology tests planned"),
    ColumnSpec::fixed("utilisation", 4, "", "(pcr + serology) / capacity_per_week"),
];

const LABS: &[ColumnSpec] = &[
    col("lab", Text, "", "laboratory id"),
    col("name", Text, "", "laboratory name"),
    COUNTY_NAME,
    col("test_type", TEST_TYPE, "", "pcr or serology"),
    col("samples", Int, "samples/week", "samples received per week"),
    col(
        "analyses",
        Int,
        "analyses/week",
        "analyses per week (samples / pooling, rounded up)",
    ),
    col("analyses_capacity", Int, "analyses/week", "analyses per week possible"),
    col("pooling", Int, "", "samples per analysis"),
    ColumnSpec::fixed("utilisation", 4, "", "analyses / analyses_capacity"),
];

const TRANSPORT: &[ColumnSpec] = &[
    col("from", Text, "", "from (site or store id)"),
    col("to", Text, "", "to (lab or site id)"),
    col("test_type", TEST_TYPE, "", "pcr or serology"),
    col("quantity", Int, "per week", "samples or kits per week"),
    ColumnSpec::fixed("km", 1, "km", "great-circle km x detour factor"),
];

const KITS: &[ColumnSpec] = &[
    col("site", Text, "", "sampling site id"),
    col("test_type", TEST_TYPE, "", "pcr or serology"),
    col("on_hand", Int, "kits", "kits at the start of the week"),
    col("received", Int, "kits", "kits shipped in from stores"),
    col("used", Int, "kits", "kits used by planned tests"),
    col("left", Int, "kits", "on_hand + received - used"),
];

const CAPACITY_VALUES: &[ColumnSpec] = &[
    col(
        "resource",
        Category("resource"),
        "",
        "site-capacity, lab-capacity, site-kits or store-kits",
    ),
    col("id", Text, "", "site, lab or store id"),
    COUNTY_NAME,
    col(
        "test_type",
        Text,
        "",
        "pcr, serology, or all (site capacity is shared by both types)",
    ),
    col(
        "level",
        Text,
        "",
        "first objective level where one more unit is worth something (priority N, travel, transport)",
    ),
    col("level_index", Int, "", "index of that level (0 = first)"),
    ColumnSpec::fixed("value", 6, "", "value of one more unit at that level (tests, or km)"),
    col("load", Int, "per week", "used per week"),
    col("capacity", Int, "per week", "available per week"),
];

const UNTESTED_BY_PRIORITY: &[ColumnSpec] = &[
    col("priority", Int, "", "group priority"),
    col("demand", Int, "tests/week", "tests needed per week"),
    col("untested", Int, "tests/week", "tests not planned"),
];

const OBJECTIVE: &[ColumnSpec] = &[
    col("rank", Int, "", "1 = minimised first"),
    col(
        "level",
        Text,
        "",
        "priority N (untested tests), travel (person-km) or transport (sample + kit km)",
    ),
    col("value", Float, "", "the level's optimum"),
];

const GUIDANCE: &[ColumnSpec] = &[
    COUNTY_NAME,
    col("municipality", Text, "", "municipality code"),
    col("municipality_name", Text, "", "municipality name"),
    col("group", Text, "", "group id"),
    col("group_name", Text, "", "group name"),
    col("test_type", TEST_TYPE, "", "pcr or serology"),
    col("site", Text, "", "where to go: site id (empty when no site this week)"),
    col("site_name", Text, "", "site name"),
    col("address", Text, "", "site address"),
    col("kind", Text, "", "site kind"),
    col("days", Text, "", "opening days, e.g. mon-fri"),
    col("km", Float, "km", "distance from the municipality, km"),
    col("tests", Int, "tests/week", "tests planned there per week"),
    col("note", Text, "", "e.g. why no site is given"),
];

const STATUS: &[ColumnSpec] = &[
    COUNTY_NAME,
    col("week", Text, "", "week label"),
    col("test_type", TEST_TYPE, "", "pcr or serology"),
    col("demand", Int, "tests/week", "tests needed per week"),
    col("tested", Int, "tests/week", "tests planned"),
    col("untested", Int, "tests/week", "demand - tested"),
    col(
        "sampling_capacity",
        Int,
        "samples/week",
        "sampling capacity per week offering the type",
    ),
    col(
        "lab_capacity",
        Int,
        "samples/week",
        "lab capacity per week for the type, samples",
    ),
    col("capacity_gap", Int, "tests/week", "max(0, demand - min(sampling, lab))"),
    col(
        "grow_at",
        Text,
        "",
        "where capacity should grow: the highest-valued sites/labs, '; '-separated",
    ),
];

/// The testing plan's tables.
pub(super) const TESTING_TABLES: &[TableSpec] = &[
    table("tests", "tests of one group in one municipality at one site", TESTS),
    table("unmet", "demand of one group that stays untested", UNMET),
    table("sites", "one sampling site's use", SITES),
    table("labs", "one lab's use for one test type", LABS),
    table("sample_flows", "samples sent from a site to a lab", TRANSPORT),
    table("kit_shipments", "kits sent from a store to a site", TRANSPORT),
    table("kits", "kits of one type at one site", KITS),
    table(
        "capacity_values",
        "the value of one more unit of a capacity",
        CAPACITY_VALUES,
    ),
    table(
        "untested_by_priority",
        "demand and untested tests of one priority",
        UNTESTED_BY_PRIORITY,
    ),
    table(
        "objective",
        "one objective level, in the order they are minimised",
        OBJECTIVE,
    ),
    table("guidance", "where one group of one municipality gets tested", GUIDANCE),
    table("status", "the status picture of one county and test type", STATUS),
];

fn test_types(values: impl Iterator<Item = TestType>) -> Column {
    let labels: Vec<&str> = TestType::ALL.iter().map(|t| t.as_str()).collect();
    Column::closed(&labels, values.map(|t| TestType::ALL.iter().position(|&x| x == t)))
}

fn transport(rows: &[Transport]) -> Vec<Column> {
    vec![
        Column::text(rows.iter().map(|t| t.from.as_str())),
        Column::text(rows.iter().map(|t| t.to.as_str())),
        test_types(rows.iter().map(|t| t.test_type)),
        Column::ints(rows.iter().map(|t| t.quantity)),
        Column::floats(rows.iter().map(|t| t.km)),
    ]
}

impl ResultTables for TestingResult<'_> {
    fn schema() -> &'static [TableSpec] {
        TESTING_TABLES
    }

    fn table(&self, name: &str) -> Result<Table> {
        let spec = find_spec(TESTING_TABLES, name)?;
        let p = self.plan;
        let columns = match spec.name {
            "tests" => {
                let a = &p.assignments;
                vec![
                    Column::text(a.iter().map(|r| r.municipality.as_str())),
                    Column::text(a.iter().map(|r| r.municipality_name.as_str())),
                    Column::text(a.iter().map(|r| r.county.as_str())),
                    Column::text(a.iter().map(|r| r.group.as_str())),
                    Column::ints(a.iter().map(|r| i64::from(r.priority))),
                    test_types(a.iter().map(|r| r.test_type)),
                    Column::text(a.iter().map(|r| r.site.as_str())),
                    Column::ints(a.iter().map(|r| r.tests)),
                    Column::floats(a.iter().map(|r| r.km)),
                ]
            }
            "unmet" => {
                let u = &p.unmet;
                let reasons: Vec<&str> = UnmetReason::ALL.iter().map(|r| r.as_str()).collect();
                vec![
                    Column::text(u.iter().map(|r| r.municipality.as_str())),
                    Column::text(u.iter().map(|r| r.county.as_str())),
                    Column::text(u.iter().map(|r| r.group.as_str())),
                    Column::ints(u.iter().map(|r| i64::from(r.priority))),
                    test_types(u.iter().map(|r| r.test_type)),
                    Column::ints(u.iter().map(|r| r.demand)),
                    Column::ints(u.iter().map(|r| r.tested)),
                    Column::ints(u.iter().map(|r| r.untested)),
                    Column::closed_by_label(&reasons, u.iter().map(|r| Some(r.reason.as_str()))),
                ]
            }
            "sites" => {
                let s = &p.sites;
                let kinds: Vec<&str> = SamplingKind::ALL.iter().map(|k| k.as_str()).collect();
                vec![
                    Column::text(s.iter().map(|r| r.site.as_str())),
                    Column::text(s.iter().map(|r| r.name.as_str())),
                    Column::text(s.iter().map(|r| r.county.as_str())),
                    Column::closed_by_label(&kinds, s.iter().map(|r| Some(r.kind.as_str()))),
                    Column::ints(s.iter().map(|r| r.capacity_per_week)),
                    Column::ints(s.iter().map(|r| r.pcr)),
                    Column::ints(s.iter().map(|r| r.serology)),
                    Column::floats(s.iter().map(|r| r.utilisation)),
                ]
            }
            "labs" => {
                let l = &p.labs;
                vec![
                    Column::text(l.iter().map(|r| r.lab.as_str())),
                    Column::text(l.iter().map(|r| r.name.as_str())),
                    Column::text(l.iter().map(|r| r.county.as_str())),
                    test_types(l.iter().map(|r| r.test_type)),
                    Column::ints(l.iter().map(|r| r.samples)),
                    Column::ints(l.iter().map(|r| r.analyses)),
                    Column::ints(l.iter().map(|r| r.analyses_capacity)),
                    Column::ints(l.iter().map(|r| r.pooling)),
                    Column::floats(l.iter().map(|r| r.utilisation)),
                ]
            }
            "sample_flows" => transport(&p.sample_flows),
            "kit_shipments" => transport(&p.kit_shipments),
            "kits" => {
                let k = &p.kits;
                vec![
                    Column::text(k.iter().map(|r| r.site.as_str())),
                    test_types(k.iter().map(|r| r.test_type)),
                    Column::ints(k.iter().map(|r| r.on_hand)),
                    Column::ints(k.iter().map(|r| r.received)),
                    Column::ints(k.iter().map(|r| r.used)),
                    Column::ints(k.iter().map(|r| r.left)),
                ]
            }
            "capacity_values" => capacity_values(p)?,
            "untested_by_priority" => {
                let u = &p.objective.untested_by_priority;
                vec![
                    Column::ints(u.iter().map(|r| i64::from(r.priority))),
                    Column::ints(u.iter().map(|r| r.demand)),
                    Column::ints(u.iter().map(|r| r.untested)),
                ]
            }
            "objective" => {
                let l = &p.objective.levels;
                vec![
                    Column::ints(1..=l.len() as i64),
                    Column::text(l.iter().map(|r| r.level.as_str())),
                    Column::floats(l.iter().map(|r| r.value)),
                ]
            }
            "guidance" => return guidance_table(&guidance_rows(self.scenario, p)),
            _ => return status_table(&county_status(self.scenario, p)),
        };
        Table::new(spec, columns)
    }
}

fn capacity_values(p: &TestingPlan) -> Result<Vec<Column>> {
    let v = &p.capacity_values;
    let resources: Vec<&str> = Resource::ALL.iter().map(|r| r.as_str()).collect();
    let level_index = v
        .iter()
        .map(|r| {
            i64::try_from(r.level_index)
                .map_err(|_| crate::Error::Overflow(format!("level index {} exceeds i64", r.level_index)))
        })
        .collect::<Result<Vec<_>>>()?;
    Ok(vec![
        Column::closed_by_label(&resources, v.iter().map(|r| Some(r.resource.as_str()))),
        Column::text(v.iter().map(|r| r.id.as_str())),
        Column::text(v.iter().map(|r| r.county.as_str())),
        Column::text(v.iter().map(|r| r.test_type.map_or("all", |t| t.as_str()))),
        Column::text(v.iter().map(|r| r.level.as_str())),
        Column::Int(level_index),
        Column::floats(v.iter().map(|r| r.value)),
        Column::ints(v.iter().map(|r| r.load)),
        Column::ints(v.iter().map(|r| r.capacity)),
    ])
}

/// The `guidance` table of guidance rows.
pub fn guidance_table(g: &[GuidanceRow]) -> Result<Table> {
    let spec = find_spec(TESTING_TABLES, "guidance")?;
    let columns = vec![
        Column::text(g.iter().map(|r| r.county.as_str())),
        Column::text(g.iter().map(|r| r.municipality.as_str())),
        Column::text(g.iter().map(|r| r.municipality_name.as_str())),
        Column::text(g.iter().map(|r| r.group.as_str())),
        Column::text(g.iter().map(|r| r.group_name.as_str())),
        test_types(g.iter().map(|r| r.test_type)),
        Column::text(g.iter().map(|r| r.site.as_str())),
        Column::text(g.iter().map(|r| r.site_name.as_str())),
        Column::text(g.iter().map(|r| r.address.as_str())),
        Column::text(g.iter().map(|r| r.kind.as_str())),
        Column::text(g.iter().map(|r| r.days.as_str())),
        Column::floats(g.iter().map(|r| r.km)),
        Column::ints(g.iter().map(|r| r.tests)),
        Column::text(g.iter().map(|r| r.note.as_str())),
    ];
    Table::new(spec, columns)
}

/// The `status` table of county status rows (`grow_at` joined with `; `).
pub fn status_table(s: &[CountyStatus]) -> Result<Table> {
    let spec = find_spec(TESTING_TABLES, "status")?;
    let grow_at: Vec<String> = s.iter().map(|r| r.grow_at.join("; ")).collect();
    let columns = vec![
        Column::text(s.iter().map(|r| r.county.as_str())),
        Column::text(s.iter().map(|r| r.week.as_str())),
        test_types(s.iter().map(|r| r.test_type)),
        Column::ints(s.iter().map(|r| r.demand)),
        Column::ints(s.iter().map(|r| r.tested)),
        Column::ints(s.iter().map(|r| r.untested)),
        Column::ints(s.iter().map(|r| r.sampling_capacity)),
        Column::ints(s.iter().map(|r| r.lab_capacity)),
        Column::ints(s.iter().map(|r| r.capacity_gap)),
        Column::text(grow_at.iter().map(String::as_str)),
    ];
    Table::new(spec, columns)
}
