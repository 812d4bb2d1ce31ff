//! The DIMACS reader and writer: round trips, every kind of malformed input, the
//! bundled example.

use allocnet::flow::dimacs::{read_dimacs, read_dimacs_file, write_dimacs, write_dimacs_file, write_flow_solution};
use allocnet::flow::generate::{self, Family, NetgenParams, TransportationParams, TransshipmentParams};
use allocnet::flow::{solve, verify_solution, FlowSolution, Network, Status, INFINITE};
use allocnet::Error;
use std::path::PathBuf;

fn example_path() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("data/examples/vastmanland_masks.min")
}

fn round_trip(net: &Network) -> Network {
    let mut text = Vec::new();
    write_dimacs(net, &mut text).unwrap();
    read_dimacs(&text[..], "round trip").unwrap()
}

/// Parses `text`, expects a parse error, returns its line and message.
fn parse_error(text: &str) -> (usize, String) {
    match read_dimacs(text.as_bytes(), "test.min") {
        Err(Error::Parse {
            source_name,
            line,
            message,
        }) => {
            assert_eq!(source_name, "test.min");
            (line, message)
        }
        other => panic!("expected a parse error for {text:?}, got {other:?}"),
    }
}

fn assert_parse_error(text: &str, line: usize, fragment: &str) {
    let (found_line, message) = parse_error(text);
    assert_eq!(found_line, line, "wrong line for {text:?}: {message}");
    assert!(message.contains(fragment), "message {message:?} lacks {fragment:?}");
}

// ---------------------------------------------------------------------------------
// Round trips

#[test]
fn round_trip_keeps_infinite_negative_costs_bounds_parallel_arcs_and_self_loops() {
    let mut net = Network::with_nodes(5);
    net.set_supply(0, 7).unwrap();
    net.set_supply(3, -4).unwrap();
    net.set_supply(4, -i64::MAX).unwrap();
    net.add_arc(0, 1, INFINITE, -3);
    net.add_arc(0, 1, 5, 2); // parallel
    net.add_arc_with_bounds(1, 3, 2, 9, -i64::MAX);
    net.add_arc_with_bounds(2, 2, -6, -1, i64::MAX); // self-loop, negative bounds
    net.add_arc(3, 4, 0, 0);
    let back = round_trip(&net);
    assert_eq!(back, net);
    assert_eq!(back.upper()[0], INFINITE);
}

#[test]
fn round_trip_of_empty_networks() {
    assert_eq!(round_trip(&Network::new()), Network::new());
    assert_eq!(round_trip(&Network::with_nodes(3)), Network::with_nodes(3));
}

#[test]
fn round_trip_of_generated_instances() {
    let families = [
        Family::Transportation(TransportationParams {
            sources: 10,
            sinks: 12,
            ..Default::default()
        }),
        Family::Transshipment(TransshipmentParams {
            nodes: 200,
            arcs: 1500,
            ..Default::default()
        }),
        Family::Netgen(NetgenParams {
            nodes: 200,
            arcs: 1500,
            transshipment_sinks: 3,
            ..Default::default()
        }),
    ];
    for family in families {
        let net = generate::generate(&family, 3).unwrap();
        assert_eq!(round_trip(&net), net, "{family:?}");
    }
}

#[test]
fn round_trip_through_a_file_with_comments() {
    let net = generate::netgen(
        &NetgenParams {
            nodes: 50,
            arcs: 300,
            ..Default::default()
        },
        1,
    )
    .unwrap();
    let path = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("dimacs_round_trip.min");
    write_dimacs_file(&net, &path, &["first comment", "two\nlines"]).unwrap();
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains("\nc first comment\nc two\nc lines\n"), "{text}");
    assert!(text.starts_with("c allocnet min-cost flow problem: 50 nodes, 300 arcs\n"));
    assert_eq!(read_dimacs_file(&path).unwrap(), net);
}

#[test]
fn writer_writes_infinite_as_i64_max_and_skips_zero_supplies() {
    let mut net = Network::with_nodes(3);
    net.set_supply(0, 2).unwrap();
    net.set_supply(2, -2).unwrap();
    net.add_arc(0, 2, INFINITE, 4);
    let mut text = Vec::new();
    write_dimacs(&net, &mut text).unwrap();
    let text = String::from_utf8(text).unwrap();
    let body: Vec<&str> = text.lines().filter(|l| !l.starts_with('c')).collect();
    assert_eq!(body, ["p min 3 1", "n 1 2", "n 3 -2", "a 1 3 0 9223372036854775807 4"]);
}

#[test]
fn reader_accepts_comments_blank_lines_tabs_crlf_and_plus_signs() {
    let text = "c header\r\n\r\np min 3 2\r\n  c indented comment\n\tn 1\t+4\nn 3 -4\n\na 1 2 0 9223372036854775807 -1\na 2 3 1 4 +2";
    let net = read_dimacs(text.as_bytes(), "mixed").unwrap();
    assert_eq!(net.supplies(), &[4, 0, -4]);
    assert_eq!(net.tails(), &[0, 1]);
    assert_eq!(net.heads(), &[1, 2]);
    assert_eq!(net.lower(), &[0, 1]);
    assert_eq!(net.upper(), &[INFINITE, 4]);
    assert_eq!(net.costs(), &[-1, 2]);
}

#[test]
fn node_lines_may_follow_arc_lines() {
    let net = read_dimacs("p min 2 1\na 1 2 0 5 1\nn 1 3\nn 2 -3\n".as_bytes(), "late n").unwrap();
    assert_eq!(net.supplies(), &[3, -3]);
}

#[test]
fn flow_solution_is_written_in_dimacs_style() {
    let mut net = Network::with_nodes(2);
    net.add_arc(0, 1, 5, 3);
    net.add_arc(1, 0, 5, 1);
    let solution = FlowSolution {
        status: Status::Optimal,
        cost: Some(7),
        flows: vec![2, 1],
        potentials: vec![0, 0],
    };
    let mut out = Vec::new();
    write_flow_solution(&net, &solution, &mut out).unwrap();
    let text = String::from_utf8(out).unwrap();
    assert_eq!(
        text,
        "c allocnet min-cost flow solution: optimal\ns 7\nf 1 2 2\nf 2 1 1\n"
    );

    let mut out = Vec::new();
    write_flow_solution(&net, &FlowSolution::without_flow(Status::Infeasible), &mut out).unwrap();
    assert_eq!(
        String::from_utf8(out).unwrap(),
        "c allocnet min-cost flow solution: infeasible\ns infeasible\n"
    );

    let short = FlowSolution {
        flows: vec![1],
        ..solution
    };
    let err = write_flow_solution(&net, &short, Vec::new()).unwrap_err();
    assert_eq!(err.kind(), std::io::ErrorKind::InvalidInput);
}

// ---------------------------------------------------------------------------------
// Malformed input: one test per case, each checking the line and the message

#[test]
fn missing_problem_line_before_arc() {
    assert_parse_error(
        "c no p line\na 1 2 0 5 1\n",
        2,
        "expected the problem line `p min NODES ARCS` before any `a` line, found `a` line",
    );
}

#[test]
fn missing_problem_line_before_node() {
    assert_parse_error("n 1 5\np min 2 0\n", 1, "before any `n` line");
}

#[test]
fn missing_problem_line_at_end_of_input() {
    assert_parse_error(
        "c only comments\n\n",
        3,
        "expected the problem line `p min NODES ARCS`, found end of input",
    );
    assert_parse_error("", 1, "found end of input");
}

#[test]
fn duplicate_problem_line() {
    assert_parse_error(
        "c x\np min 2 0\np min 2 0\n",
        3,
        "duplicate problem line (the first is on line 2)",
    );
}

#[test]
fn wrong_problem_type() {
    assert_parse_error("p max 2 1\n", 1, "expected problem type `min`, found `max`");
}

#[test]
fn problem_line_with_wrong_field_count() {
    assert_parse_error("p min 2\n", 1, "expected `p min NODES ARCS` (4 fields), found 3 fields");
    assert_parse_error("p min 2 1 7\n", 1, "found 5 fields");
}

#[test]
fn negative_node_count() {
    assert_parse_error(
        "p min -2 0\n",
        1,
        "expected NODES as a non-negative integer, found `-2`",
    );
}

#[test]
fn too_many_nodes_for_a_network() {
    assert_parse_error(
        "p min 4294967295 0\n",
        1,
        "expected NODES at most 4294967294, found `4294967295`",
    );
}

#[test]
fn node_line_with_wrong_field_count() {
    assert_parse_error("p min 2 0\nn 1\n", 2, "expected `n ID FLOW` (3 fields), found 2 fields");
}

#[test]
fn arc_line_with_wrong_field_count() {
    assert_parse_error(
        "p min 2 1\na 1 2 0 5\n",
        2,
        "expected `a SRC DST LOW CAP COST` (6 fields), found 5 fields",
    );
    assert_parse_error("p min 2 1\na 1 2 0 5 1 9\n", 2, "found 7 fields");
}

#[test]
fn non_integer_numbers() {
    assert_parse_error("p min two 1\n", 1, "expected NODES as an integer, found `two`");
    assert_parse_error(
        "p min 2 1\na 1 2 0 5 1.5\n",
        2,
        "expected COST as an integer, found `1.5`",
    );
    assert_parse_error("p min 2 1\nn 1 5e3\n", 2, "expected FLOW as an integer, found `5e3`");
    assert_parse_error("p min 2 1\na 1 x 0 5 1\n", 2, "expected DST as an integer, found `x`");
}

#[test]
fn out_of_range_numbers() {
    assert_parse_error(
        "p min 2 1\na 1 2 0 9223372036854775808 1\n",
        2,
        "expected CAP as an integer in -9223372036854775807..=9223372036854775807, found `9223372036854775808` (out of range)",
    );
    // i64::MIN is out of range too: its negation overflows.
    assert_parse_error(
        "p min 2 0\nn 1 -9223372036854775808\n",
        2,
        "expected FLOW as an integer in",
    );
}

#[test]
fn node_id_zero() {
    assert_parse_error(
        "p min 2 1\na 0 2 0 5 1\n",
        2,
        "expected SRC as a node id in 1..=2 (2 nodes declared on line 1), found `0`",
    );
}

#[test]
fn node_id_above_node_count() {
    assert_parse_error(
        "p min 2 0\n\nn 3 1\n",
        3,
        "expected ID as a node id in 1..=2 (2 nodes declared on line 1), found `3`",
    );
    assert_parse_error("p min 2 1\na 1 3 0 5 1\n", 2, "expected DST as a node id in 1..=2");
}

#[test]
fn duplicate_node_line() {
    assert_parse_error(
        "p min 2 0\nn 1 5\nn 2 -5\nn 1 5\n",
        4,
        "duplicate `n` line for node 1 (at most one per node)",
    );
}

#[test]
fn fewer_arcs_than_declared() {
    assert_parse_error(
        "c\np min 2 3\na 1 2 0 5 1\na 2 1 0 5 1\n",
        2,
        "declared 3 arcs, but the input has 2 `a` lines",
    );
}

#[test]
fn more_arcs_than_declared() {
    assert_parse_error(
        "p min 2 1\na 1 2 0 5 1\na 2 1 0 5 1\n",
        3,
        "more `a` lines than the 1 arcs declared on line 1",
    );
}

#[test]
fn unknown_line_type() {
    assert_parse_error(
        "p min 2 0\nx 1 2\n",
        2,
        "expected a line type `c`, `p`, `n` or `a`, found `x`",
    );
    assert_parse_error("p min 2 0\narc 1 2\n", 2, "found `arc`");
}

#[test]
fn lower_bound_above_capacity() {
    assert_parse_error(
        "p min 2 1\na 1 2 6 5 1\n",
        2,
        "lower bound LOW = 6 exceeds capacity CAP = 5",
    );
}

#[test]
fn infinite_lower_bound() {
    assert_parse_error(
        "p min 2 1\na 1 2 9223372036854775807 9223372036854775807 1\n",
        2,
        "expected LOW below 9223372036854775807 (a lower bound must be finite)",
    );
}

#[test]
fn error_display_names_source_and_line() {
    let err = read_dimacs("p min 1 0\nq\n".as_bytes(), "instance.min").unwrap_err();
    assert_eq!(
        err.to_string(),
        "instance.min line 2: expected a line type `c`, `p`, `n` or `a`, found `q`"
    );
}

#[test]
fn missing_file_is_an_io_error_naming_the_path() {
    let path = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("no_such_file.min");
    match read_dimacs_file(&path) {
        Err(Error::Io { path: named, .. }) => assert_eq!(named, path.display().to_string()),
        other => panic!("expected an Io error, got {other:?}"),
    }
}

#[test]
fn parse_error_in_a_file_names_the_file() {
    let path = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("dimacs_malformed.min");
    std::fs::write(&path, "p min 2 1\na 1 2 0 five 1\n").unwrap();
    match read_dimacs_file(&path) {
        Err(Error::Parse { source_name, line, .. }) => {
            assert_eq!(source_name, path.display().to_string());
            assert_eq!(line, 2);
        }
        other => panic!("expected a parse error, got {other:?}"),
    }
}

// ---------------------------------------------------------------------------------
// The bundled example

#[test]
fn bundled_example_reads_as_ten_balanced_municipalities() {
    let net = read_dimacs_file(example_path()).unwrap();
    assert_eq!(net.node_count(), 10);
    assert_eq!(net.arc_count(), 32);
    assert_eq!(net.supply_balance(), 0);
    assert_eq!(net.supplies()[9], 36_000, "Västerås (node 10) supplies");
    let text = std::fs::read_to_string(example_path()).unwrap();
    assert!(text.contains("SYNTHETIC"));
    assert!(text.contains("c node 10: Västerås"));
    // Every link goes both ways with the same capacity and distance.
    for a in (0..32).step_by(2) {
        assert_eq!(
            (net.tails()[a], net.heads()[a]),
            (net.heads()[a + 1], net.tails()[a + 1])
        );
        assert_eq!(
            (net.upper()[a], net.costs()[a]),
            (net.upper()[a + 1], net.costs()[a + 1])
        );
    }
}

#[test]
fn bundled_example_solves_to_a_certified_optimum() {
    // Needs the network simplex; the optimum was cross-checked with networkx
    // network_simplex (2 246 500 mask-km).
    let net = read_dimacs_file(example_path()).unwrap();
    let solution = solve(&net).unwrap();
    assert_eq!(solution.status, Status::Optimal);
    assert_eq!(solution.cost, Some(2_246_500));
    assert!(verify_solution(&net, &solution).is_empty());
}

// ---------------------------------------------------------------------------------
// Speed (release build): cargo test --release --test dimacs -- --ignored --nocapture

#[test]
#[ignore = "timing; run in release with --ignored --nocapture"]
fn speed_one_million_arcs() {
    let params = NetgenParams {
        nodes: 20_000,
        sources: 100,
        sinks: 100,
        arcs: 1_000_000,
        ..Default::default()
    };
    let start = std::time::Instant::now();
    let net = generate::netgen(&params, 1).unwrap();
    let generated = start.elapsed();
    let mut text = Vec::new();
    let start = std::time::Instant::now();
    write_dimacs(&net, &mut text).unwrap();
    let write = start.elapsed();
    let start = std::time::Instant::now();
    let back = read_dimacs(&text[..], "1M arcs").unwrap();
    let read = start.elapsed();
    assert_eq!(back, net);
    println!(
        "1M arcs, {:.1} MB: generate {generated:.3?}, write {write:.3?}, read {read:.3?}",
        text.len() as f64 / 1e6
    );
}
