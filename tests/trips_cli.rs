//! `allocnet county-round --logistics FILE` / `--trips` and `demo --trips`.

use allocnet::model::synthetic::vastmanland_default;
use std::path::Path;
use std::process::Command;

fn allocnet(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_allocnet"))
        .args(args)
        .output()
        .unwrap()
}

fn temp(name: &str, text: &str) -> std::path::PathBuf {
    let path = std::env::temp_dir().join(format!("allocnet-trips-{}-{name}", std::process::id()));
    std::fs::write(&path, text).unwrap();
    path
}

/// The built-in Västmanland scenario as a JSON file named `name`.
fn vastmanland_file(name: &str) -> std::path::PathBuf {
    temp(name, &serde_json::to_string(&vastmanland_default().unwrap()).unwrap())
}

/// `county-round SCENARIO --logistics LOGISTICS [--out OUT]`.
fn county_round(scenario: &Path, logistics: &Path, out: Option<&Path>) -> std::process::Output {
    let mut args = vec!["county-round", path_str(scenario), "--logistics", path_str(logistics)];
    if let Some(out) = out {
        args.extend(["--out", path_str(out)]);
    }
    allocnet(&args)
}

fn path_str(path: &Path) -> &str {
    path.to_str().unwrap()
}

/// `county-round` on `scenario` with the logistics file `text` fails, and its error
/// says `message`.
fn assert_refuses(scenario: &Path, name: &str, text: &str, message: &str) {
    let bad = temp(name, text);
    let o = county_round(scenario, &bad, None);
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(!o.status.success() && err.contains(message), "{err}");
    let _ = std::fs::remove_file(bad);
}

#[test]
fn logistics_file_packs_and_errors() {
    let sc = vastmanland_file("scenario.json");
    let lg = temp(
        "logistics.json",
        r#"{"synthetic": true, "items": [{"item": "ffp2", "pack_size": 20, "volume_l": 0.05}]}"#,
    );
    let out_dir = std::env::temp_dir().join(format!("allocnet-trips-out-{}", std::process::id()));
    let o = county_round(&sc, &lg, Some(&out_dir));
    let text = String::from_utf8_lossy(&o.stdout);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(
        text.contains("The meeting as trips (SYNTHETIC") && text.contains("Today vs with packs:"),
        "{text}"
    );
    let packs = std::fs::read_to_string(out_dir.join("pack_shipments.csv")).unwrap();
    assert!(packs.starts_with("item,from,to,packs,pack_size,units,km\n"));
    for line in packs.lines().skip(1).filter(|l| l.starts_with("ffp2,")) {
        let f: Vec<&str> = line.split(',').collect();
        assert_eq!(f[4], "20", "{line}");
    }
    assert!(out_dir.join("shipments.csv").exists() && out_dir.join("levels.csv").exists());
    assert_refuses(
        &sc,
        "bad.json",
        r#"{"items": [{"item": "ffp2", "pack_size": -3}]}"#,
        "logistics.items[0].pack_size: must be >= 1, got -3",
    );
    for p in [sc, lg] {
        let _ = std::fs::remove_file(p);
    }
    let _ = std::fs::remove_dir_all(out_dir);
}

#[test]
fn a_time_limit_too_small_for_the_solver_is_refused_naming_the_option() {
    let sc = vastmanland_file("limit-scenario.json");
    for (limit, shown) in [
        ("1e-300", "1e-300"),
        ("0", "0"),
        ("-2", "-2"),
        ("inf", "inf"),
        ("NaN", "NaN"),
    ] {
        let option = format!("--time-limit={limit}");
        let o = allocnet(&["county-round", path_str(&sc), "--trips", &option]);
        assert!(!o.status.success());
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(
            err.contains(&format!(
                "--time-limit: must be a finite number of seconds >= 0.001, got {shown}"
            )),
            "{limit}: {err}"
        );
    }
    let _ = std::fs::remove_file(sc);
}

/// `--max-nodes` and `--max-lp-work` set the deterministic limits: one LP iteration per
/// level stops the trips searches at once, and the round still writes a plan whose
/// levels say which limit stopped them, the same on a second run. Values below 1 are
/// refused naming the option.
#[test]
fn the_deterministic_limits_are_options_and_stopped_levels_keep_a_plan() {
    let sc = vastmanland_file("work-scenario.json");
    let run = |name: &str| {
        let out = std::env::temp_dir().join(format!("allocnet-trips-{}-{name}", std::process::id()));
        let args = [
            "county-round",
            path_str(&sc),
            "--trips",
            "--max-lp-work",
            "1",
            "--max-nodes",
            "1",
        ];
        let o = allocnet(&[&args[..], &["--out", path_str(&out)]].concat());
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        let read = |file: &str| std::fs::read_to_string(out.join(file)).unwrap();
        let tables = (read("levels.csv"), read("trips.csv"), read("pack_shipments.csv"));
        let _ = std::fs::remove_dir_all(&out);
        tables
    };
    let (levels, trips, packs) = run("work-a");
    let header: Vec<&str> = levels.lines().next().unwrap().split(',').collect();
    let column = |name: &str| header.iter().position(|&h| h == name).unwrap();
    let (level, status, stop) = (column("level"), column("status"), column("stopped_by"));
    let trips_row: Vec<&str> = levels
        .lines()
        .map(|l| l.split(',').collect::<Vec<_>>())
        .find(|f| f[level] == "trips")
        .expect("a trips level")
        .into_iter()
        .collect();
    assert_eq!(trips_row[status], "limit", "{levels}");
    assert!(["lp_work_limit", "node_limit"].contains(&trips_row[stop]), "{levels}");
    assert!(trips.lines().count() > 1 && packs.lines().count() > 1, "{trips}");
    assert_eq!((levels, trips, packs), run("work-b"));
    for (option, value, message) in [
        ("--max-nodes", "0", "--max-nodes: must be >= 1 (the root node), got 0"),
        ("--max-lp-work", "-5", "--max-lp-work: must be >= 1, got -5"),
    ] {
        let o = allocnet(&["county-round", path_str(&sc), "--trips", &format!("{option}={value}")]);
        let err = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(2), "{err}");
        assert!(err.contains(message), "{err}");
    }
    let o = allocnet(&["county-round", path_str(&sc), "--max-nodes", "5"]);
    assert!(!o.status.success(), "--max-nodes without logistics data is refused");
    let _ = std::fs::remove_file(sc);
}

/// `substitutes_rank` in the logistics file orders the levels table; a bad value is
/// refused naming the field and the accepted values.
#[test]
fn substitutes_rank_from_the_logistics_file() {
    let sc = vastmanland_file("rank-scenario.json");
    let lg = temp(
        "rank-logistics.json",
        r#"{"items": [{"item": "ffp2", "pack_size": 20}, {"item": "ffp3", "pack_size": 10}],
            "substitutes": [{"item": "ffp2", "by": "ffp3"}], "substitutes_rank": "last"}"#,
    );
    let out_dir = std::env::temp_dir().join(format!("allocnet-trips-rank-{}", std::process::id()));
    let o = county_round(&sc, &lg, Some(&out_dir));
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let levels = std::fs::read_to_string(out_dir.join("levels.csv")).unwrap();
    let names: Vec<&str> = levels
        .lines()
        .skip(1)
        .filter_map(|l| l.split(',').nth(2))
        .filter(|n| !n.starts_with("acute:") && *n != "planning")
        .collect();
    assert_eq!(names, ["transport", "substitutes"], "{levels}");
    assert_refuses(
        &sc,
        "rank-bad.json",
        r#"{"substitutes_rank": "after_km"}"#,
        "logistics.substitutes_rank: must be one of 'after_need', 'after_trips', 'last', got 'after_km'",
    );
    for p in [sc, lg] {
        let _ = std::fs::remove_file(p);
    }
    let _ = std::fs::remove_dir_all(out_dir);
}

/// `allocnet demo --trips`: the built-in meeting as trips, labelled synthetic, next
/// to today's plan; the trips plan leaves no more acute need unmet and drives less.
#[test]
fn demo_trips_prints_the_meeting_as_trips_next_to_today() {
    let o = allocnet(&["demo", "--trips"]);
    assert_eq!(o.status.code(), Some(0), "{}", String::from_utf8_lossy(&o.stderr));
    let text = String::from_utf8(o.stdout).unwrap();
    assert!(text.contains("The meeting as trips (SYNTHETIC"), "{text}");
    assert!(text.contains("(vehicle 1, "), "{text}");
    let compared = text
        .split("Today vs with packs and trips:")
        .nth(1)
        .expect("the comparison");
    let row = |name: &str| -> Vec<String> {
        let line = compared.lines().find(|l| l.trim_start().starts_with(name)).expect(name);
        line[line.find(name).unwrap() + name.len()..]
            .split_whitespace()
            .map(str::to_string)
            .collect()
    };
    let number = |s: &str| s.parse::<f64>().unwrap_or_else(|_| panic!("{s} in {compared}"));
    let trips = row("trips");
    assert_eq!(trips[0], "-", "today has no trips: {compared}");
    assert!(number(&trips[1]) >= 1.0, "{compared}");
    let acute = row("unmet acute need");
    assert!(number(&acute[1]) <= number(&acute[0]), "{compared}");
    let km = row("km driven");
    assert!(number(&km[1]) < number(&km[0]), "{compared}");
}
