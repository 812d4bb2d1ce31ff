//! The `allocnet` command line, run as a separate process.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn allocnet(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_allocnet"))
        .args(args)
        .output()
        .expect("the allocnet binary runs")
}

fn stdout(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).unwrap()
}

fn stderr(output: &Output) -> String {
    String::from_utf8(output.stderr.clone()).unwrap()
}

/// A fresh path in the test scratch directory.
fn scratch(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!("cli_{name}"))
}

fn write(name: &str, text: &str) -> PathBuf {
    let path = scratch(name);
    std::fs::write(&path, text).unwrap();
    path
}

fn example() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("data/examples/vastmanland_masks.min")
}

/// Runs `allocnet flow` with `args` after the file, expects exit 0 and one JSON object.
fn flow_json(file: &Path, args: &[&str]) -> serde_json::Value {
    let mut all = vec!["flow", file.to_str().unwrap()];
    all.extend_from_slice(args);
    let output = allocnet(&all);
    assert_eq!(output.status.code(), Some(0), "stderr: {}", stderr(&output));
    let text = stdout(&output);
    assert_eq!(text.lines().count(), 1, "expected one line of JSON, got {text:?}");
    serde_json::from_str(&text).unwrap()
}

#[test]
fn flow_prints_one_json_object_with_typed_fields() {
    let json = flow_json(&example(), &[]);
    let object = json.as_object().unwrap();
    let mut keys: Vec<&str> = object.keys().map(String::as_str).collect();
    keys.sort_unstable();
    assert_eq!(keys, ["arcs", "cost", "nodes", "seconds", "status"]);
    assert_eq!(json["status"], "optimal");
    assert_eq!(json["cost"].as_i64(), Some(2_246_500));
    assert_eq!(json["nodes"].as_u64(), Some(10));
    assert_eq!(json["arcs"].as_u64(), Some(32));
    assert!(json["seconds"].is_f64() && json["seconds"].as_f64().unwrap() >= 0.0);
}

#[test]
fn flow_with_flows_lists_one_flow_per_arc_matching_the_cost() {
    let json = flow_json(&example(), &["--flows"]);
    let flows: Vec<i64> = json["flows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f.as_i64().unwrap())
        .collect();
    assert_eq!(flows.len(), 32);
    let net = allocnet::flow::dimacs::read_dimacs_file(example()).unwrap();
    assert_eq!(net.cost_of(&flows), 2_246_500);
}

#[test]
fn flow_reports_infeasible_with_null_cost_and_exit_0() {
    // Supplies do not balance: infeasible is a result, not an error.
    let file = write("unbalanced.min", "p min 2 1\nn 1 5\nn 2 -3\na 1 2 0 10 1\n");
    let json = flow_json(&file, &[]);
    assert_eq!(json["status"], "infeasible");
    assert!(json["cost"].is_null());
}

#[test]
fn flow_reports_unbounded() {
    let file = write(
        "unbounded.min",
        "p min 2 2\na 1 2 0 9223372036854775807 -1\na 2 1 0 9223372036854775807 0\n",
    );
    let json = flow_json(&file, &[]);
    assert_eq!(json["status"], "unbounded");
    assert!(json["cost"].is_null());
}

#[test]
fn flow_with_the_lp_engine_agrees_with_the_simplex() {
    let json = flow_json(&example(), &["--engine", "lp"]);
    assert_eq!(json["status"], "optimal");
    assert_eq!(json["cost"].as_i64(), Some(2_246_500));
}

#[test]
fn malformed_file_exits_2_naming_the_line() {
    let file = write("malformed.min", "c fine\np min 3 1\na 1 4 0 5 1\n");
    let output = allocnet(&["flow", file.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(2));
    assert!(output.stdout.is_empty());
    let message = stderr(&output);
    assert!(message.contains("line 3"), "{message}");
    assert!(message.contains("expected DST as a node id in 1..=3"), "{message}");
    assert!(message.contains("malformed.min"), "{message}");
}

#[test]
fn missing_file_exits_2_naming_the_file() {
    let file = scratch("does_not_exist.min");
    let output = allocnet(&["flow", file.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(2));
    assert!(output.stdout.is_empty());
    assert!(stderr(&output).contains("does_not_exist.min"), "{}", stderr(&output));
}

#[test]
fn unknown_engine_exits_2() {
    let output = allocnet(&["flow", example().to_str().unwrap(), "--engine", "magic"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("magic"));
}

#[test]
fn generate_is_deterministic_per_seed() {
    let run = |name: &str, seed: &str| {
        let path = scratch(name);
        let args = [
            "generate",
            "netgen",
            "--seed",
            seed,
            "--nodes",
            "300",
            "--arcs",
            "2000",
            "-o",
            path.to_str().unwrap(),
        ];
        let output = allocnet(&args);
        assert_eq!(output.status.code(), Some(0), "stderr: {}", stderr(&output));
        std::fs::read(path).unwrap()
    };
    let first = run("det_a.min", "5");
    assert_eq!(first, run("det_b.min", "5"));
    assert_ne!(first, run("det_c.min", "6"));
    let text = String::from_utf8(first).unwrap();
    assert!(text.contains("seed 5"), "the header records the seed");
    assert!(text.contains("\np min 300 2000\n"));
}

#[test]
fn generate_rejects_invalid_parameters_with_exit_2() {
    let path = scratch("invalid.min");
    let output = allocnet(&[
        "generate",
        "transshipment",
        "--seed",
        "1",
        "--nodes",
        "10",
        "--arcs",
        "5",
        "-o",
        path.to_str().unwrap(),
    ]);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("transshipment.arcs"), "{}", stderr(&output));
}

#[test]
fn generate_then_flow_round_trip_for_every_family() {
    let families: [(&str, &[&str]); 3] = [
        ("transportation", &["--sources", "15", "--sinks", "20"]),
        ("transshipment", &["--nodes", "400", "--arcs", "3000"]),
        (
            "netgen",
            &[
                "--nodes",
                "400",
                "--arcs",
                "3000",
                "--transshipment-sources",
                "2",
                "--min-cost",
                "-5",
            ],
        ),
    ];
    for (family, extra) in families {
        let path = scratch(&format!("round_trip_{family}.min"));
        let mut args = vec!["generate", family, "--seed", "42", "-o", path.to_str().unwrap()];
        args.extend_from_slice(extra);
        let output = allocnet(&args);
        assert_eq!(output.status.code(), Some(0), "{family}: {}", stderr(&output));
        let net = allocnet::flow::dimacs::read_dimacs_file(&path).unwrap();
        assert_eq!(net.supply_balance(), 0);

        let json = flow_json(&path, &["--flows"]);
        assert_eq!(
            json["status"], "optimal",
            "{family}: generated instances are feasible and bounded"
        );
        assert_eq!(json["nodes"].as_u64(), Some(net.node_count() as u64));
        assert_eq!(json["arcs"].as_u64(), Some(net.arc_count() as u64));
        let flows: Vec<i64> = json["flows"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f.as_i64().unwrap())
            .collect();
        assert_eq!(i128::from(json["cost"].as_i64().unwrap()), net.cost_of(&flows));
    }
}

#[test]
fn demo_prints_a_readable_report() {
    let output = allocnet(&["demo"]);
    assert_eq!(output.status.code(), Some(0), "stderr: {}", stderr(&output));
    let text = stdout(&output);
    assert!(text.contains("SYNTHETIC"), "{text}");
    assert!(text.contains("Shipments decided at the meeting"), "{text}");
    assert!(text.contains("Combined county request"), "{text}");
    assert!(text.contains("Objective by level"), "{text}");
    assert!(text.contains("Västerås"), "{text}");
    // Names as the CLI and tables spell them, not Rust's Debug names.
    assert!(text.contains("engine auto."), "{text}");
    // The trips version of the meeting is named (tests/trips_cli.rs runs it).
    assert!(text.trim_end().ends_with("allocnet demo --trips"), "{text}");
}

#[test]
fn help_lists_the_commands() {
    let output = allocnet(&["--help"]);
    assert_eq!(output.status.code(), Some(0));
    let text = stdout(&output);
    for command in ["flow", "generate", "demo", "county-round"] {
        assert!(text.contains(command), "{text}");
    }
}
