//! The result-table contract: every result's tables follow their schema, the CSV writer
//! writes them, the names of the closed sets round-trip, and the docs' column tables
//! are the ones generated from the schema.

use allocnet::flow::Engine;
use allocnet::model::synthetic::vastmanland_default;
use allocnet::process::audit::{replay, AuditLog};
use allocnet::process::simulate::{compare_policies, simulate, Leg, Simulation, SimulationOptions};
use allocnet::process::{run_county_round, Method, NationalPlan, Plan, Policy, Reason, RoundOptions, Strategy, Window};
use allocnet::tables::{markdown_of, ComparisonRuns, ReplayLines, ResultTables, Table, TestingResult, RESULTS};
use allocnet::testing::{plan_testing, synthetic::vastmanland_testing};
use std::str::FromStr;

/// Every table of a result: its columns are its schema's (per-class columns expanded),
/// all of one length, and its CSV has their names as header and one line per row.
fn check_tables<R: ResultTables>(result: &R) -> Vec<Table> {
    let tables = result.tables().unwrap();
    assert_eq!(tables.len(), R::schema().len());
    for (table, spec) in tables.iter().zip(R::schema()) {
        assert_eq!(table.name(), spec.name);
        let fixed: Vec<&str> = spec.columns.iter().filter(|c| !c.per_class()).map(|c| c.name).collect();
        let names = table.column_names();
        let without_class: Vec<&str> = names
            .iter()
            .copied()
            .filter(|n| spec.columns.iter().any(|c| !c.per_class() && c.name == *n))
            .collect();
        assert_eq!(without_class, fixed, "table {}", spec.name);
        for c in &table.columns {
            assert_eq!(c.data.len(), table.rows(), "{}.{}", spec.name, c.name);
        }
        let csv = table.to_csv().unwrap();
        let mut lines = csv.lines();
        assert_eq!(lines.next().unwrap(), names.join(","), "table {}", spec.name);
        if !names
            .iter()
            .any(|n| n.contains("explanation") || n == &"grow_at" || n == &"note")
        {
            assert_eq!(lines.count(), table.rows(), "table {}", spec.name);
        }
    }
    tables
}

fn plan() -> (allocnet::model::Scenario, Plan) {
    let scenario = vastmanland_default().unwrap();
    let plan = run_county_round(&scenario, &RoundOptions::default()).unwrap();
    (scenario, plan)
}

#[test]
fn plan_tables_follow_the_schema_and_match_the_plan() {
    let (_, plan) = plan();
    let tables = check_tables(&plan);
    let shipments = &tables[0];
    assert_eq!(shipments.rows(), plan.shipments.len());
    assert!(shipments.rows() > 0);
    assert_eq!(
        shipments.column("from").unwrap().data.cell(0, None),
        plan.shipments[0].from
    );
    let wide = plan.table("objective_wide").unwrap();
    let expected: Vec<String> = plan
        .priority_classes
        .iter()
        .map(|c| format!("acute_unmet_{c}"))
        .collect();
    for name in &expected {
        assert!(wide.column(name).is_some(), "{name}");
    }
    // the long objective has one row per item and level
    let levels = plan.priority_classes.len() + 2;
    assert_eq!(plan.table("objective").unwrap().rows(), plan.objective.len() * levels);
}

#[test]
fn unknown_table_names_the_tables_expected() {
    let (_, plan) = plan();
    let err = plan.table("shipment").unwrap_err().to_string();
    assert!(
        err.contains("table: expected one of shipments, unmet, stock_after,") && err.contains("got 'shipment'"),
        "{err}"
    );
}

#[test]
fn simulation_national_comparison_and_replay_tables_follow_the_schema() {
    let (scenario, _) = plan();
    let options = SimulationOptions::default();
    let log_path = std::env::temp_dir().join(format!("allocnet-result-tables-{}.jsonl", std::process::id()));
    let _ = std::fs::remove_file(&log_path);
    let mut log = AuditLog::append_to(&log_path).unwrap();
    let sim: Simulation = simulate(&scenario, &options, &mut |r| log.record(r)).unwrap();
    log.flush().unwrap();
    drop(log);
    let tables = check_tables(&sim);
    // daily sums over sites: the first day's start is the sum of the sites' starts
    let daily = &tables[1];
    let first_item = &sim.stock[0].item;
    let start: i64 = sim
        .stock
        .iter()
        .filter(|s| s.day == 0 && &s.item == first_item)
        .map(|s| s.start)
        .sum();
    assert_eq!(daily.column("start").unwrap().data.cell(0, None), start.to_string());
    let weekly = &tables[2];
    assert_eq!(weekly.column("start").unwrap().data.cell(0, None), start.to_string());

    let runs = compare_policies(&scenario, &options).unwrap();
    let comparison = check_tables(&ComparisonRuns(&runs));
    assert_eq!(comparison[0].rows(), runs.len());

    let text = std::fs::read_to_string(&log_path).unwrap();
    let _ = std::fs::remove_file(&log_path);
    let lines = replay(&text, "log").unwrap();
    let replayed = check_tables(&ReplayLines(&lines));
    assert_eq!(replayed[0].rows(), lines.len());
    assert!(replayed[0].to_csv().unwrap().contains(",reproduced,"));

    let national: NationalPlan = {
        let (_, plan) = plan();
        let warehouses = allocnet::process::simulate::default_warehouses(&scenario, 2.0);
        let round = allocnet::process::NationalRound::after_county_round(&scenario, &plan, warehouses).unwrap();
        allocnet::process::run_national_round(&round, Policy::Optimal).unwrap()
    };
    check_tables(&national);
}

#[test]
fn testing_tables_follow_the_schema() {
    let scenario = vastmanland_testing().unwrap();
    let plan = plan_testing(&scenario).unwrap();
    let tables = check_tables(&TestingResult {
        scenario: &scenario,
        plan: &plan,
    });
    assert_eq!(tables[0].rows(), plan.assignments.len());
}

/// `FromStr` inverts `as_str` over `ALL`; an unknown name is an error at `what`.
macro_rules! round_trip {
    ($ty:ty, $what:literal) => {
        for v in <$ty>::ALL {
            assert_eq!(<$ty>::from_str(v.as_str()).unwrap(), v);
            assert_eq!(v.to_string(), v.as_str());
        }
        let err = <$ty>::from_str("no-such-name").unwrap_err().to_string();
        assert!(err.contains(concat!($what, ": expected one of ")), "{err}");
        assert!(err.contains("got 'no-such-name'"), "{err}");
    };
}

#[test]
fn names_round_trip_and_unknown_names_are_errors() {
    round_trip!(Engine, "engine");
    round_trip!(Strategy, "strategy");
    round_trip!(Policy, "policy");
    round_trip!(Reason, "reason");
    round_trip!(Window, "window");
    round_trip!(Method, "method");
    round_trip!(Leg, "leg");
    assert_eq!(Policy::parse("max-min"), Some(Policy::MaxMin));
    assert_eq!(Policy::parse("maxmin"), None);
    let names: Vec<&str> = Policy::ALL.iter().map(|p| p.as_str()).collect();
    assert_eq!(names, ["optimal", "proportional", "max-min", "population"]);
}

/// The generated blocks of a document: (result names, text between the markers).
fn generated_blocks(doc: &str) -> Vec<(Vec<String>, String)> {
    const START: &str = "<!-- generated by allocnet schema ";
    const END: &str = "<!-- end generated -->";
    let mut blocks = Vec::new();
    let mut rest = doc;
    while let Some(i) = rest.find(START) {
        let after = &rest[i + START.len()..];
        let close = after
            .find(" -->\n")
            .expect("a generated block's first line ends with ' -->'");
        let names = after[..close].split_whitespace().map(str::to_string).collect();
        let body = &after[close + 5..];
        let end = body
            .find(END)
            .expect("a generated block ends with <!-- end generated -->");
        blocks.push((names, body[..end].to_string()));
        rest = &body[end..];
    }
    blocks
}

#[test]
fn docs_column_tables_are_generated_from_the_schema() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/docs/python.md");
    let doc = std::fs::read_to_string(path).unwrap();
    let blocks = generated_blocks(&doc);
    let mut covered: Vec<String> = Vec::new();
    for (names, text) in &blocks {
        let expected = markdown_of(names).unwrap();
        if *text != expected {
            let diff: Vec<String> = expected
                .lines()
                .zip(text.lines().chain(std::iter::repeat("<missing>")))
                .filter(|(e, d)| e != d)
                .take(5)
                .map(|(e, d)| format!("  generated: {e}\n  docs:      {d}"))
                .collect();
            panic!(
                "docs/python.md block `{}` differs from the schema; regenerate it with `allocnet schema {}`:\n{}",
                names.join(" "),
                names.join(" "),
                diff.join("\n")
            );
        }
        covered.extend(names.iter().cloned());
    }
    for (name, _, _) in RESULTS {
        assert!(
            covered.iter().any(|c| c == name),
            "docs/python.md has no generated block for {name}"
        );
    }
}
