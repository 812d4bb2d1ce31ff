//! Every typed JSON reader names the path of a value of the wrong type (nested in an
//! array, not the first element), keeps the line, and says what was expected.

use allocnet::lookahead::LookaheadOptions;
use allocnet::model::synthetic::vastmanland_default;
use allocnet::model::Scenario;
use allocnet::process::simulate::default_warehouses;
use allocnet::process::{run_county_round, NationalRound, RoundOptions};
use allocnet::sweep::SweepSpec;
use allocnet::test_capacity::synthetic::vastmanland_testing;
use allocnet::test_capacity::TestingScenario;
use allocnet::trips::{builtin_logistics, Logistics};
use allocnet::Error;
use serde_json::{json, Value};

/// `document` pretty-printed with the value at `pointer` (a JSON pointer) replaced by
/// `wrong`, and the 1-based line where the new value stands.
fn with_wrong_value(document: &Value, pointer: &str, wrong: Value) -> (String, usize) {
    const MARK: &str = "\"__wrong_value_here__\"";
    let mut document = document.clone();
    *document.pointer_mut(pointer).unwrap_or_else(|| panic!("no {pointer}")) = json!("__wrong_value_here__");
    let text = serde_json::to_string_pretty(&document).unwrap();
    let at = text.find(MARK).unwrap();
    let line = 1 + text[..at].matches('\n').count();
    (text.replacen(MARK, &wrong.to_string(), 1), line)
}

/// Checks that `result` is a parse error of `source` on `line` whose message starts
/// with `path` and then says what was expected.
fn assert_names<T: std::fmt::Debug>(result: Result<T, Error>, source: &str, line: usize, path: &str) {
    match result {
        Err(Error::Parse {
            source_name,
            line: got_line,
            message,
        }) => {
            assert_eq!(source_name, source);
            assert_eq!(got_line, line, "{message}");
            assert!(message.starts_with(&format!("{path}: invalid type")), "{message}");
            assert!(message.contains("expected"), "{message}");
            assert!(message.contains(&format!("at line {line} column")), "{message}");
        }
        other => panic!("expected a parse error at {path}, got {other:?}"),
    }
}

fn scenario_json() -> Value {
    serde_json::from_str(&vastmanland_default().unwrap().to_json_string().unwrap()).unwrap()
}

#[test]
fn scenario_type_errors_name_the_field() {
    let (text, line) = with_wrong_value(&scenario_json(), "/status/1/stock", json!("x"));
    assert_names(
        Scenario::from_json_str(&text, "s.json"),
        "s.json",
        line,
        "status[1].stock",
    );
    let (text, line) = with_wrong_value(&scenario_json(), "/sites/2/lat", json!([1]));
    assert_names(Scenario::from_json_str(&text, "s.json"), "s.json", line, "sites[2].lat");
    // The same with a byte order mark in front.
    let bom = format!("\u{feff}{text}");
    assert_names(Scenario::from_json_str(&bom, "s.json"), "s.json", line, "sites[2].lat");
}

#[test]
fn a_document_of_the_wrong_shape_is_named_as_the_top_level() {
    let err = Scenario::from_json_str("3", "s.json").unwrap_err().to_string();
    assert!(
        err.starts_with("s.json line 1: (top level): invalid type: integer `3`"),
        "{err}"
    );
}

#[test]
fn logistics_type_errors_name_the_field() {
    let err = Logistics::from_json_str(r#"{"items":[{"item":"ffp2","pack_size":"x"}]}"#, "<logistics>")
        .unwrap_err()
        .to_string();
    assert!(
        err.starts_with("<logistics> line 1: logistics.items[0].pack_size: invalid type: string \"x\", expected i64"),
        "{err}"
    );
    let base = serde_json::to_value(builtin_logistics()).unwrap();
    let (text, line) = with_wrong_value(&base, "/items/1/pack_size", json!("3"));
    assert_names(
        Logistics::from_json_str(&text, "l.json"),
        "l.json",
        line,
        "logistics.items[1].pack_size",
    );
}

#[test]
fn national_round_type_errors_name_the_field() {
    let scenario = vastmanland_default().unwrap();
    let plan = run_county_round(&scenario, &RoundOptions::default()).unwrap();
    let round = NationalRound::after_county_round(&scenario, &plan, default_warehouses(&scenario, 2.0)).unwrap();
    let base = serde_json::to_value(&round).unwrap();
    assert!(base["warehouses"].as_array().unwrap().len() >= 2);
    let (text, line) = with_wrong_value(&base, "/warehouses/1/site/lat", json!("north"));
    assert_names(
        NationalRound::from_json_str(&text, "round.json"),
        "round.json",
        line,
        "warehouses[1].site.lat",
    );
}

#[test]
fn lookahead_type_errors_name_the_field() {
    let text = "{\"lead_days\": [{\"from\": \"a\", \"to\": \"b\", \"lead_days\": 1},\n {\"from\": \"a\", \"to\": \"c\", \"lead_days\": \"2\"}]}";
    assert_names(
        LookaheadOptions::from_json_str(text, "o.json"),
        "o.json",
        2,
        "lookahead.lead_days[1].lead_days",
    );
}

#[test]
fn testing_scenario_type_errors_name_the_field() {
    let base: Value = serde_json::from_str(&vastmanland_testing().unwrap().to_json_string().unwrap()).unwrap();
    let (text, line) = with_wrong_value(&base, "/sites/1/capacity_per_day", json!("many"));
    assert_names(
        TestingScenario::from_json_str(&text, "t.json"),
        "t.json",
        line,
        "sites[1].capacity_per_day",
    );
    let (text, line) = with_wrong_value(&base, "/labs/1/capacity/0/analyses_per_day", json!(true));
    assert_names(
        TestingScenario::from_json_str(&text, "t.json"),
        "t.json",
        line,
        "labs[1].capacity[0].analyses_per_day",
    );
}

#[test]
fn sweep_spec_syntax_errors_name_the_place() {
    let err = SweepSpec::from_json("{\"parameters\": [\n {\"name\": \"x\",, }]}")
        .unwrap_err()
        .to_string();
    assert!(err.starts_with("sweep spec line 2: parameters[0]"), "{err}");
}

/// The values of a JSON object in its order, as an array: what serde's derived readers
/// would take as the struct's fields in order.
fn fields_in_order(value: &Value) -> Value {
    Value::Array(value.as_object().expect("an object").values().cloned().collect())
}

#[test]
fn a_struct_given_as_an_array_of_its_fields_is_refused_by_every_reader() {
    type Reader = fn(&str, &str) -> Result<(), Error>;
    let readers: [(&str, &str, Reader); 5] = [
        ("s.json", "(top level)", |t, s| Scenario::from_json_str(t, s).map(drop)),
        ("l.json", "logistics", |t, s| Logistics::from_json_str(t, s).map(drop)),
        ("r.json", "(top level)", |t, s| {
            NationalRound::from_json_str(t, s).map(drop)
        }),
        ("o.json", "lookahead", |t, s| {
            LookaheadOptions::from_json_str(t, s).map(drop)
        }),
        ("t.json", "(top level)", |t, s| {
            TestingScenario::from_json_str(t, s).map(drop)
        }),
    ];
    for (source, path, read) in readers {
        assert_names(read("[]", source), source, 1, path);
    }
    let lead = r#"{"lead_days": [{"from": "a", "to": "b", "lead_days": 1}, ["a", "c", 2]]}"#;
    assert_names(
        LookaheadOptions::from_json_str(lead, "o.json"),
        "o.json",
        1,
        "lookahead.lead_days[1]",
    );
    // Nested: one site of the Västmanland scenario written as its values in order.
    let scenario = scenario_json();
    let (text, line) = with_wrong_value(&scenario, "/sites/2", fields_in_order(&scenario["sites"][2]));
    assert_names(Scenario::from_json_str(&text, "s.json"), "s.json", line, "sites[2]");
    let logistics = serde_json::to_value(builtin_logistics()).unwrap();
    let (text, line) = with_wrong_value(&logistics, "/items/1", fields_in_order(&logistics["items"][1]));
    assert_names(
        Logistics::from_json_str(&text, "l.json"),
        "l.json",
        line,
        "logistics.items[1]",
    );
    let testing: Value = serde_json::from_str(&vastmanland_testing().unwrap().to_json_string().unwrap()).unwrap();
    let (text, line) = with_wrong_value(&testing, "/labs/0", fields_in_order(&testing["labs"][0]));
    assert_names(
        TestingScenario::from_json_str(&text, "t.json"),
        "t.json",
        line,
        "labs[0]",
    );
}
