//! `allocnet testing`, run as a separate process.

use std::path::PathBuf;
use std::process::{Command, Output};

fn allocnet(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_allocnet"))
        .args(args)
        .output()
        .expect("the allocnet binary runs")
}

fn scratch(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!("testing_cli_{name}"))
}

#[test]
fn vastmanland_prints_a_summary_and_writes_every_file() {
    let dir = scratch("vm");
    let _ = std::fs::remove_dir_all(&dir);
    let out = allocnet(&["testing", "vastmanland", "--out", dir.to_str().unwrap()]);
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(text.contains("SYNTHETIC"), "{text}");
    assert!(text.contains("Untested by priority"), "{text}");
    assert!(text.contains("Västmanlands län"), "{text}");
    for name in [
        "plan.json",
        "tests.csv",
        "unmet.csv",
        "sites.csv",
        "labs.csv",
        "sample_flows.csv",
        "kit_shipments.csv",
        "kits.csv",
        "capacity_values.csv",
        "guidance.csv",
        "guidance.html",
        "status.csv",
    ] {
        assert!(dir.join(name).is_file(), "{name} missing");
    }
    let guidance = std::fs::read_to_string(dir.join("guidance.csv")).unwrap();
    // Every one of the county's 10 municipalities has guidance.
    for name in [
        "Västerås",
        "Köping",
        "Sala",
        "Fagersta",
        "Skinnskatteberg",
        "Surahammar",
    ] {
        assert!(guidance.contains(name), "{name} missing from the guidance");
    }
    let html = std::fs::read_to_string(dir.join("guidance.html")).unwrap();
    assert!(html.starts_with("<!DOCTYPE html>") && html.contains("<table>") && html.contains("SYNTHETIC"));
    let plan: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("plan.json")).unwrap()).unwrap();
    assert_eq!(plan["synthetic"], true);
}

#[test]
fn a_json_scenario_with_bad_values_exits_2_naming_the_paths() {
    let path = scratch("bad.json");
    std::fs::write(
        &path,
        r#"{"name": "x", "municipalities": [], "demand": [{"municipality": "m", "group": "public", "test_type": "pcr", "tests_per_week": 1}],
            "sites": [], "labs": []}"#,
    )
    .unwrap();
    let out = allocnet(&["testing", path.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(
        err.contains("demand[0].municipality: unknown municipality 'm'"),
        "{err}"
    );
}

#[test]
fn a_missing_file_exits_2() {
    let out = allocnet(&["testing", "/nonexistent/scenario.json"]);
    assert_eq!(out.status.code(), Some(2));
}
