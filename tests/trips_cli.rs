//! `allocnet county-round --logistics FILE` / `--trips` and `demo --trips`.

use allocnet::model::synthetic::vastmanland_default;
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

#[test]
fn logistics_file_packs_and_errors() {
    let scenario = serde_json::to_string(&vastmanland_default().unwrap()).unwrap();
    let sc = temp("scenario.json", &scenario);
    let lg = temp(
        "logistics.json",
        r#"{"synthetic": true, "items": [{"item": "ffp2", "pack_size": 20, "volume_l": 0.05}]}"#,
    );
    let out_dir = std::env::temp_dir().join(format!("allocnet-trips-out-{}", std::process::id()));
    let o = allocnet(&[
        "county-round",
        sc.to_str().unwrap(),
        "--logistics",
        lg.to_str().unwrap(),
        "--out",
        out_dir.to_str().unwrap(),
    ]);
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
    let bad = temp("bad.json", r#"{"items": [{"item": "ffp2", "pack_size": -3}]}"#);
    let o = allocnet(&[
        "county-round",
        sc.to_str().unwrap(),
        "--logistics",
        bad.to_str().unwrap(),
    ]);
    assert!(!o.status.success());
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("logistics.items[0].pack_size: must be >= 1, got -3"),
        "{err}"
    );
    for p in [sc, lg, bad] {
        let _ = std::fs::remove_file(p);
    }
    let _ = std::fs::remove_dir_all(out_dir);
}

#[test]
fn a_time_limit_too_small_for_the_solver_is_refused_naming_the_option() {
    let scenario = serde_json::to_string(&vastmanland_default().unwrap()).unwrap();
    let sc = temp("limit-scenario.json", &scenario);
    for (limit, shown) in [
        ("1e-300", "1e-300"),
        ("0", "0"),
        ("-2", "-2"),
        ("inf", "inf"),
        ("NaN", "NaN"),
    ] {
        let option = format!("--time-limit={limit}");
        let o = allocnet(&["county-round", sc.to_str().unwrap(), "--trips", &option]);
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

/// `substitutes_rank` in the logistics file orders the levels table; a bad value is
/// refused naming the field and the accepted values.
#[test]
fn substitutes_rank_from_the_logistics_file() {
    let scenario = serde_json::to_string(&vastmanland_default().unwrap()).unwrap();
    let sc = temp("rank-scenario.json", &scenario);
    let lg = temp(
        "rank-logistics.json",
        r#"{"items": [{"item": "ffp2", "pack_size": 20}, {"item": "ffp3", "pack_size": 10}],
            "substitutes": [{"item": "ffp2", "by": "ffp3"}], "substitutes_rank": "last"}"#,
    );
    let out_dir = std::env::temp_dir().join(format!("allocnet-trips-rank-{}", std::process::id()));
    let o = allocnet(&[
        "county-round",
        sc.to_str().unwrap(),
        "--logistics",
        lg.to_str().unwrap(),
        "--out",
        out_dir.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let levels = std::fs::read_to_string(out_dir.join("levels.csv")).unwrap();
    let names: Vec<&str> = levels
        .lines()
        .skip(1)
        .filter_map(|l| l.split(',').nth(2))
        .filter(|n| !n.starts_with("acute:") && *n != "planning")
        .collect();
    assert_eq!(names, ["transport", "substitutes"], "{levels}");
    let bad = temp("rank-bad.json", r#"{"substitutes_rank": "after_km"}"#);
    let o = allocnet(&[
        "county-round",
        sc.to_str().unwrap(),
        "--logistics",
        bad.to_str().unwrap(),
    ]);
    assert!(!o.status.success());
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("logistics.substitutes_rank: must be one of 'after_need', 'after_trips', 'last', got 'after_km'"),
        "{err}"
    );
    for p in [sc, lg, bad] {
        let _ = std::fs::remove_file(p);
    }
    let _ = std::fs::remove_dir_all(out_dir);
}
