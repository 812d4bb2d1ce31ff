//! `allocnet county-round --lookahead DAYS` and the round-mode flags on the command line.

use std::process::Command;

fn allocnet(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_allocnet"))
        .args(args)
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

const VASTMANLAND: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/data/vastmanland.json");

#[test]
fn lookahead_round_prints_json_and_a_report() {
    let (code, json, err) = allocnet(&["county-round", VASTMANLAND, "--lookahead", "7", "--format", "json"]);
    assert_eq!(code, 0, "{err}");
    let plan: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(plan["days"], 7);
    assert_eq!(plan["shipping_days"], serde_json::json!([0, 2, 4]));
    let ships = plan["shipments"].as_array().unwrap();
    assert!(ships.iter().any(|s| s["today"] == true));
    assert!(ships.iter().all(|s| s["today"] == (s["depart_day"] == 0)));
    let (code, text, _) = allocnet(&[
        "county-round",
        VASTMANLAND,
        "--lookahead",
        "3",
        "--meeting-days",
        "every",
    ]);
    assert_eq!(code, 0);
    assert!(
        text.contains("Shipments to decide today") && text.contains("shipping days [0, 1, 2]"),
        "{text}"
    );
}

#[test]
fn bad_lookahead_flags_are_errors_naming_them() {
    let (code, _, err) = allocnet(&["county-round", VASTMANLAND, "--lookahead", "0"]);
    assert_eq!(code, 2);
    assert!(
        err.contains("lookahead.days: must be between 1 and 366, got 0"),
        "{err}"
    );
    let (code, _, err) = allocnet(&["county-round", VASTMANLAND, "--meeting-days", "mon"]);
    assert_eq!(code, 2);
    assert!(err.contains("--lookahead"), "{err}");
    let (code, _, err) = allocnet(&["simulate", "vastmanland", "--round", "sometimes"]);
    assert_eq!(code, 2);
    assert!(
        err.contains("--round: expected myopic or lookahead, got 'sometimes'"),
        "{err}"
    );
    let (code, _, err) = allocnet(&["simulate", "vastmanland", "--forecast-error=-1"]);
    assert_eq!(code, 2);
    assert!(err.contains("--forecast-error: must be a finite number >= 0"), "{err}");
    let (code, _, err) = allocnet(&["simulate", "vastmanland", "--round", "myopic,lookahead"]);
    assert_eq!(code, 2);
    assert!(err.contains("--round"), "{err}");
}
