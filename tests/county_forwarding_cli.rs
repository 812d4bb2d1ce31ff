//! Issue 12 item 4 through the command line: the county round and the simulator agree
//! on forwarding. Stock passes only through transshipment points and hubs — also when
//! they have no status row for the item — and never through a municipality without
//! one (the round used to route through it, and `simulate` / `compare-policies` then
//! failed with "county plan ships between untracked sites").

use std::path::PathBuf;
use std::process::Command;

fn allocnet(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_allocnet"))
        .args(args)
        .output()
        .expect("the allocnet binary runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// A donor A and a short site C; between them M (a municipality without a status row
/// for the item, on the shortest route: 0.5 + 0.5 km) and T (a transshipment point
/// without one: 1 + 1 km), and a direct lane of 40 km. C is short 100 within the
/// 2-day horizon. `t_kind` is T's kind, `m_hub`
/// marks M as a hub.
fn scenario_file(name: &str, t_kind: &str, m_hub: bool) -> PathBuf {
    let path = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!("forwarding_{name}.json"));
    let text = format!(
        r#"{{
  "name": "forwarding", "synthetic": true, "parameters": {{"horizon_days": 2}},
  "sites": [
    {{"id": "A", "name": "A", "kind": "municipality", "county": "19", "lat": 59.6, "lon": 16.0}},
    {{"id": "M", "name": "M", "kind": "municipality", "county": "19", "lat": 59.6, "lon": 16.1, "hub": {m_hub}}},
    {{"id": "T", "name": "T", "kind": "{t_kind}", "county": "19", "lat": 59.6, "lon": 16.1}},
    {{"id": "C", "name": "C", "kind": "municipality", "county": "19", "lat": 59.6, "lon": 16.2}}
  ],
  "items": [{{"id": "ffp2", "name": "FFP2", "unit": "pieces"}}],
  "status": [
    {{"site": "A", "item": "ffp2", "stock": 2000, "consumption_per_day": 10}},
    {{"site": "C", "item": "ffp2", "stock": 0, "consumption_per_day": 50}}
  ],
  "lanes": [
    {{"from": "A", "to": "M", "km": 0.5}}, {{"from": "M", "to": "C", "km": 0.5}},
    {{"from": "A", "to": "T", "km": 1}}, {{"from": "T", "to": "C", "km": 1}},
    {{"from": "A", "to": "C", "km": 40}}
  ]
}}"#
    );
    std::fs::write(&path, text).unwrap();
    path
}

/// The shipments of `county-round FILE --format json` as (from, to, quantity).
fn round_shipments(file: &str) -> Vec<(String, String, i64)> {
    let (code, out, err) = allocnet(&["county-round", file, "--format", "json"]);
    assert_eq!(code, 0, "{err}");
    let plan: serde_json::Value = serde_json::from_str(&out).unwrap();
    plan["shipments"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            (
                s["from"].as_str().unwrap().to_string(),
                s["to"].as_str().unwrap().to_string(),
                s["quantity"].as_i64().unwrap(),
            )
        })
        .collect()
}

fn s(x: &str) -> String {
    x.to_string()
}

#[test]
fn round_and_simulator_agree_on_forwarding_through_sites_without_status() {
    // T forwards (no status row needed); M does not.
    let file = scenario_file("tp", "transshipment-point", false);
    let file = file.to_str().unwrap();
    assert_eq!(
        round_shipments(file),
        vec![(s("A"), s("T"), 100), (s("T"), s("C"), 100)]
    );
    for command in ["simulate", "compare-policies"] {
        let (code, out, err) = allocnet(&[command, file, "--weeks", "1"]);
        assert_eq!(code, 0, "{command}: {err}");
        assert!(!out.is_empty(), "{command}");
    }

    // Neither forwards: the direct lane.
    let file = scenario_file("none", "region", false);
    let file = file.to_str().unwrap();
    assert_eq!(round_shipments(file), vec![(s("A"), s("C"), 100)]);
    for command in ["simulate", "compare-policies"] {
        let (code, _, err) = allocnet(&[command, file, "--weeks", "1"]);
        assert_eq!(code, 0, "{command}: {err}");
    }

    // M marked as a hub, without a status row: the shortest route, in both.
    let file = scenario_file("hub", "region", true);
    let file = file.to_str().unwrap();
    assert_eq!(
        round_shipments(file),
        vec![(s("A"), s("M"), 100), (s("M"), s("C"), 100)]
    );
    for command in ["simulate", "compare-policies"] {
        let (code, _, err) = allocnet(&[command, file, "--weeks", "1"]);
        assert_eq!(code, 0, "{command}: {err}");
    }
}
