//! Scenario CSV tables (reading, writing, errors with file/line/column) and the
//! `allocnet county-round` / `allocnet demo` commands.

use allocnet::model::synthetic::vastmanland_default;
use allocnet::model::{schema, Scenario};
use allocnet::process::{run_county_round, Plan, RoundOptions};
use allocnet::Error;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn scratch(name: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!("county_{name}"));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn write(dir: &Path, file: &str, text: &str) {
    std::fs::write(dir.join(file), text).unwrap();
}

fn allocnet(args: &[&str], cwd: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_allocnet"))
        .args(args)
        .current_dir(cwd)
        .output()
        .unwrap()
}

fn small_dir(name: &str) -> PathBuf {
    let dir = scratch(name);
    write(
        &dir,
        "sites.csv",
        "id,name,kind,county,lat,lon\nA,Alpha,municipality,19,59.6,16.0\nB,Beta,region,19,59.6,16.2\n",
    );
    write(&dir, "items.csv", "id,name,unit\nmask,Mask,pieces\n");
    write(
        &dir,
        "status.csv",
        "site,item,stock,consumption_per_day,reserve_days,priority\nA,mask,0,10,,home-care\nB,mask,100,10,1,\n",
    );
    dir
}

#[test]
fn csv_directory_reads_and_plans() {
    let dir = small_dir("small");
    let sc = Scenario::from_csv_dir(&dir).unwrap();
    assert_eq!(sc.sites.len(), 2);
    let plan = run_county_round(&sc, &RoundOptions::default()).unwrap();
    assert_eq!(plan.shipments.len(), 1);
    // A: 10/day, no stock: acute need 20, planning need 70 (7 days).
    // B: keeps 20 (48 h) + 10 (1 reserve day) = 30; of the 70 it may give, 40 it would
    // use itself by day 7, so moving those only shifts planning need: B gives 30.
    assert_eq!(plan.shipments[0].quantity, 30);
    assert_eq!(plan.objective[0].planning_unmet, 40);
}

#[test]
fn csv_round_trip_gives_the_same_scenario_and_plan() {
    let sc = vastmanland_default().unwrap();
    let dir = scratch("roundtrip");
    sc.write_csv_dir(&dir).unwrap();
    let back = Scenario::from_csv_dir(&dir).unwrap();
    assert_eq!(back, sc);
}

#[test]
fn csv_errors_name_file_line_and_column_all_at_once() {
    let dir = small_dir("errors");
    write(
        &dir,
        "status.csv",
        "site,item,stock,consumption_per_day\nA,mask,0,10\nB,mask,-5,10\nB,glue,x,1\n",
    );
    write(&dir, "lanes.csv", "from,to,km\nA,B,3\nB,A,\nx,A,1\n");
    write(
        &dir,
        "deliveries.csv",
        "site,item,day,quantity\nA,mask,-1,5\nC,mask,1,1\n",
    );
    let err = Scenario::from_csv_dir(&dir).unwrap_err();
    let Error::Invalid(list) = err else { panic!("{err:?}") };
    let text: Vec<String> = list.iter().map(ToString::to_string).collect();
    for expected in [
        "status.csv line 3, column stock: must be >= 0, got -5",
        "status.csv line 4, column stock: expected a whole number, got 'x'",
        "status.csv line 4, column item: unknown item 'glue'",
        "lanes.csv line 4, column from: unknown site 'x'",
        "deliveries.csv line 2, column day: must be >= 0, got -1",
        "deliveries.csv line 3, column site: no status row for site 'C' and item 'mask'",
    ] {
        assert!(text.iter().any(|t| t == expected), "missing `{expected}` in {text:#?}");
    }
}

/// Windows line endings (CRLF), a quoted cell spanning two lines and a blank line: the
/// reported line is the line a text editor shows for the bad row.
#[test]
fn csv_error_lines_count_like_an_editor_with_crlf_and_multiline_cells() {
    let dir = small_dir("crlf");
    write(
        &dir,
        "status.csv",
        "site,item,stock,consumption_per_day\r\nA,mask,0,10\r\nB,mask,-5,10\r\nB,mask,-6,10\r\nB,mask,7,10\r\n",
    );
    write(
        &dir,
        "sites.csv",
        "id,name,kind,county,lat,lon\nA,\"Alpha\nnorth\",municipality,19,59.6,16.0\n\nB,Beta,region,19,91,16.2\n",
    );
    let err = Scenario::from_csv_dir(&dir).unwrap_err();
    let Error::Invalid(list) = err else { panic!("{err:?}") };
    let text: Vec<String> = list.iter().map(ToString::to_string).collect();
    for expected in [
        "status.csv line 3, column stock: must be >= 0, got -5",
        "status.csv line 4, column stock: must be >= 0, got -6",
        "sites.csv line 5, column lat: must be between -90 and 90, got 91",
        "status.csv line 4, column site: duplicate status for site 'B' and item 'mask' \
         (first at status.csv line 3, column site)",
        "status.csv line 5, column site: duplicate status for site 'B' and item 'mask' \
         (first at status.csv line 3, column site)",
    ] {
        assert!(text.iter().any(|t| t == expected), "missing `{expected}` in {text:#?}");
    }
}

#[test]
fn csv_header_problems_are_reported() {
    let dir = small_dir("header");
    write(&dir, "items.csv", "id,name,unitt\nmask,Mask,pieces\n");
    std::fs::remove_file(dir.join("status.csv")).unwrap();
    let Err(Error::Invalid(list)) = Scenario::from_csv_dir(&dir) else {
        panic!()
    };
    let text: Vec<String> = list.iter().map(ToString::to_string).collect();
    assert!(
        text.iter()
            .any(|t| t.starts_with("items.csv line 1: unknown column 'unitt'")),
        "{text:#?}"
    );
    assert!(
        text.iter()
            .any(|t| t == "items.csv line 1: missing required column 'unit'"),
        "{text:#?}"
    );
    assert!(text.iter().any(|t| t.starts_with("status.csv: missing")), "{text:#?}");
}

#[test]
fn docs_list_every_field_as_the_schema_says() {
    let doc = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/input-formats.md")).unwrap();
    assert!(
        doc.contains(&schema::markdown()),
        "docs/input-formats.md is out of date: paste allocnet::model::schema::markdown()"
    );
}

#[test]
fn cli_county_round_json_and_out_dir() {
    let dir = small_dir("cli");
    let out = dir.join("out");
    let o = allocnet(
        &[
            "county-round",
            dir.to_str().unwrap(),
            "--format",
            "json",
            "--out",
            out.to_str().unwrap(),
        ],
        &dir,
    );
    assert_eq!(o.status.code(), Some(0), "{}", String::from_utf8_lossy(&o.stderr));
    let plan: Plan = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(plan.shipments.len(), 1);
    for f in [
        "plan.json",
        "shipments.csv",
        "unmet.csv",
        "stock_after.csv",
        "objective.csv",
        "dual_prices.csv",
        "county_request.json",
        "county_request.csv",
    ] {
        assert!(out.join(f).is_file(), "{f} not written");
    }
    let shipments = std::fs::read_to_string(out.join("shipments.csv")).unwrap();
    assert_eq!(
        shipments.lines().nth(1),
        Some(format!("mask,B,A,30,{}", plan.shipments[0].km).as_str())
    );
    let from_file: Plan = serde_json::from_str(&std::fs::read_to_string(out.join("plan.json")).unwrap()).unwrap();
    assert_eq!(from_file, plan);
}

#[test]
fn cli_bad_input_exits_2_with_the_errors_on_stderr() {
    let dir = small_dir("cli_bad");
    write(
        &dir,
        "status.csv",
        "site,item,stock,consumption_per_day\nA,mask,-5,10\n",
    );
    let o = allocnet(&["county-round", dir.to_str().unwrap()], &dir);
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("status.csv line 2, column stock: must be >= 0, got -5"),
        "{err}"
    );
    assert!(o.stdout.is_empty());
    let missing = allocnet(&["county-round", "no-such-file.json"], &dir);
    assert_eq!(missing.status.code(), Some(2));
}

#[test]
fn cli_demo_runs_from_any_directory_and_says_synthetic() {
    let o = allocnet(&["demo"], &std::env::temp_dir());
    assert_eq!(o.status.code(), Some(0), "{}", String::from_utf8_lossy(&o.stderr));
    let text = String::from_utf8(o.stdout).unwrap();
    assert!(text.contains("SYNTHETIC DATA"), "{text}");
    assert!(text.contains("Combined county request"), "{text}");
    assert!(text.contains("Köping"), "{text}");
}

#[test]
fn cli_table_output_of_the_embedded_json_matches_demo() {
    let json = concat!(env!("CARGO_MANIFEST_DIR"), "/data/vastmanland.json");
    let a = allocnet(&["county-round", json], &std::env::temp_dir());
    let b = allocnet(&["demo"], &std::env::temp_dir());
    assert_eq!(a.status.code(), Some(0));
    // The demo is the same report, then one line naming `allocnet demo --trips`.
    let (report, demo) = (
        String::from_utf8(a.stdout).unwrap(),
        String::from_utf8(b.stdout).unwrap(),
    );
    let rest = demo
        .strip_prefix(&report)
        .unwrap_or_else(|| panic!("{demo}\nvs\n{report}"));
    assert_eq!(rest.trim().lines().count(), 1, "{rest}");
    assert!(rest.trim().ends_with("allocnet demo --trips"), "{rest}");
}

#[test]
fn the_json_example_in_the_docs_is_valid() {
    let doc = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/input-formats.md")).unwrap();
    let start = doc.find("```json").unwrap() + "```json".len();
    let end = start + doc[start..].find("```").unwrap();
    let sc = Scenario::from_json_str(&doc[start..end], "docs").unwrap();
    sc.resolve().unwrap();
    assert!(run_county_round(&sc, &RoundOptions::default()).is_ok());
}
