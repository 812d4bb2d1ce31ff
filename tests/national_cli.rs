//! The command line of the weekly process: simulate with an audit log, replay it,
//! catch a tampered line, compare policies, reject a bad weekday.

use std::process::Command;

fn allocnet(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_allocnet"))
        .args(args)
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn simulate_audit_replay_and_tamper() {
    let dir = std::env::temp_dir().join(format!("allocnet-national-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let log = dir.join("audit.jsonl");
    let _ = std::fs::remove_file(&log);
    let log_str = log.to_str().unwrap();
    let (code, out, err) = allocnet(&[
        "simulate",
        "vastmanland",
        "--weeks",
        "3",
        "--policy",
        "proportional",
        "--audit",
        log_str,
    ]);
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains("21 days, 9 meetings, national policy proportional"),
        "{out}"
    );
    assert!(out.contains("SYNTHETIC"));
    let (code, out, err) = allocnet(&["replay", log_str]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains("18 of 18 rounds reproduced exactly."), "{out}");

    let text = std::fs::read_to_string(&log).unwrap();
    let mut lines: Vec<String> = text.lines().map(String::from).collect();
    // The first national round with an allocation: change an approved quantity.
    let target = lines
        .iter()
        .position(|l| {
            let r: serde_json::Value = serde_json::from_str(l).unwrap();
            r["round"] == "national" && r["plan"]["allocations"][0]["approved"].is_i64()
        })
        .expect("a national round with an allocation");
    let mut record: serde_json::Value = serde_json::from_str(&lines[target]).unwrap();
    let q = record["plan"]["allocations"][0]["approved"].as_i64().unwrap();
    record["plan"]["allocations"][0]["approved"] = serde_json::json!(q + 5);
    lines[target] = record.to_string();
    std::fs::write(&log, lines.join("\n") + "\n").unwrap();
    let (code, out, _) = allocnet(&["replay", log_str]);
    assert_eq!(code, 2);
    let expected = format!("line {:>5}  national", target + 1);
    let differs: Vec<&str> = out.lines().filter(|l| l.contains("DIFFERS")).collect();
    assert_eq!(differs.len(), 1, "{out}");
    assert!(differs[0].starts_with(&expected), "{out}");
    assert!(differs[0].contains("DIFFERS at plan.allocations[0].approved"), "{out}");
    assert!(out.contains("17 of 18 rounds reproduced exactly"), "{out}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn compare_policies_prints_every_variant() {
    let (code, out, err) = allocnet(&["compare-policies", "vastmanland", "--weeks", "1"]);
    assert_eq!(code, 0, "{err}");
    for policy in ["optimal", "proportional", "max-min", "population"] {
        for variant in ["+county", "no-county"] {
            assert!(out.contains(&format!("{policy} {variant}")), "{out}");
        }
    }
}

#[test]
fn bad_meeting_day_is_an_error() {
    let (code, _, err) = allocnet(&["simulate", "vastmanland", "--meeting-days", "mon,xyz"]);
    assert_eq!(code, 2);
    assert!(err.contains("--meeting-days") && err.contains("xyz"), "{err}");
}
