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

#[test]
fn write_scenario_exports_vastmanland_as_json_that_reads_back_to_the_same_plan() {
    let dir = scratch("export");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("vastmanland.json");
    let out = allocnet(&[
        "testing",
        "vastmanland",
        "--write-scenario",
        file.to_str().unwrap(),
        "--out",
        dir.join("built_in").to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let again = allocnet(&[
        "testing",
        file.to_str().unwrap(),
        "--out",
        dir.join("from_file").to_str().unwrap(),
    ]);
    assert!(again.status.success(), "{}", String::from_utf8_lossy(&again.stderr));
    assert_eq!(out.stdout, again.stdout);
    for name in ["plan.json", "tests.csv", "guidance.html"] {
        let a = std::fs::read(dir.join("built_in").join(name)).unwrap();
        let b = std::fs::read(dir.join("from_file").join(name)).unwrap();
        assert!(a == b, "{name} differs");
    }
}

#[test]
fn lang_sv_writes_swedish_guidance_and_other_languages_exit_2() {
    let dir = scratch("sv");
    let _ = std::fs::remove_dir_all(&dir);
    let out = allocnet(&["testing", "vastmanland", "--lang", "sv", "--out", dir.to_str().unwrap()]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let html = std::fs::read_to_string(dir.join("guidance.html")).unwrap();
    assert!(html.contains("<html lang=\"sv\">") && html.contains("Här kan du testa dig"));
    let out = allocnet(&["testing", "vastmanland", "--lang", "de"]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("--lang: must be 'en' or 'sv', got 'de'"), "{err}");
}

#[test]
fn huge_detour_factors_and_unknown_keys_exit_2_naming_the_field() {
    let built_in = scratch("detour_base.json");
    let out = allocnet(&["testing", "vastmanland", "--write-scenario", built_in.to_str().unwrap()]);
    assert!(out.status.success());
    let text = std::fs::read_to_string(&built_in).unwrap();
    for detour in [1e14, 1e20, 1.7e308] {
        let mut json: serde_json::Value = serde_json::from_str(&text).unwrap();
        json["parameters"]["detour_factor"] = serde_json::json!(detour);
        let path = scratch(&format!("detour_{detour:e}.json"));
        std::fs::write(&path, json.to_string()).unwrap();
        let out = allocnet(&["testing", path.to_str().unwrap()]);
        let err = String::from_utf8(out.stderr).unwrap();
        assert_eq!(out.status.code(), Some(2), "{detour}: {err}");
        assert!(
            err.contains("parameters.detour_factor: must be a number in [1, 10]"),
            "{err}"
        );
    }
    let path = scratch("poling.json");
    std::fs::write(&path, text.replacen("\"pooling\"", "\"poling\"", 1)).unwrap();
    let out = allocnet(&["testing", path.to_str().unwrap()]);
    let err = String::from_utf8(out.stderr).unwrap();
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("labs[0].capacity[0].poling: unknown key"), "{err}");
}
