//! `allocnet sweep`: files written, the same tables for any thread count, bad specs.

use std::path::Path;
use std::process::{Command, Output};

fn allocnet(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_allocnet"))
        .args(args)
        .output()
        .unwrap()
}

fn spec_path() -> String {
    concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/examples/sweeps/vastmanland_uncertainty.json"
    )
    .to_string()
}

fn run_into(dir: &Path, threads: &str) -> (String, String) {
    let out = allocnet(&[
        "sweep",
        "vastmanland",
        "--spec",
        &spec_path(),
        "--samples",
        "40",
        "--seed",
        "3",
        "--threads",
        threads,
        "--out",
        dir.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("40 of 40 scenarios"), "{stdout}");
    // No progress bar when stderr is not a terminal.
    assert!(out.stderr.is_empty(), "{}", String::from_utf8_lossy(&out.stderr));
    (
        std::fs::read_to_string(dir.join("results.csv")).unwrap(),
        std::fs::read_to_string(dir.join("summary.csv")).unwrap(),
    )
}

#[test]
fn sweep_writes_the_same_tables_for_any_thread_count() {
    let base = std::env::temp_dir().join(format!("allocnet-sweep-cli-{}", std::process::id()));
    let (a, sa) = run_into(&base.join("one"), "1");
    let (b, sb) = run_into(&base.join("two"), "2");
    assert_eq!(a, b);
    assert_eq!(sa, sb);
    assert!(
        a.starts_with("scenario,sample,consumption,site_consumption,stock,stock_shock,acute_need,"),
        "{a}"
    );
    assert_eq!(a.lines().count(), 41);
    assert!(
        sa.starts_with("metric,count,mean,p5,p25,p50,p75,p95\nacute_need,40,"),
        "{sa}"
    );
    std::fs::remove_dir_all(&base).ok();
}

#[test]
fn a_bad_spec_is_exit_2_with_the_field() {
    let dir = std::env::temp_dir().join(format!("allocnet-sweep-bad-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let spec = dir.join("bad.toml");
    std::fs::write(
        &spec,
        "[[parameters]]\nname = \"c\"\ntarget = \"consumption\"\ndistribution = \"normal\"\nmean = 1.0\nsd = -1.0\n",
    )
    .unwrap();
    let out = allocnet(&[
        "sweep",
        "vastmanland",
        "--spec",
        spec.to_str().unwrap(),
        "--samples",
        "2",
    ]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("parameters[0].sd: must be >= 0, got -1"), "{err}");
    let out = allocnet(&["sweep", "vastmanland", "--spec", &spec_path(), "--samples", "0"]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("samples: must be >= 1, got 0"), "{err}");
    std::fs::remove_dir_all(&dir).ok();
}

/// Ctrl-C (SIGINT) stops the sweep after the batch under way; the files hold the
/// scenarios done and the exit status is 130.
#[cfg(unix)]
#[test]
fn an_interrupt_writes_what_is_done() {
    let dir = std::env::temp_dir().join(format!("allocnet-sweep-int-{}", std::process::id()));
    let child = Command::new(env!("CARGO_BIN_EXE_allocnet"))
        .args([
            "sweep",
            "vastmanland",
            "--spec",
            &spec_path(),
            "--samples",
            "1000000",
            "--threads",
            "1",
        ])
        .args(["--out", dir.to_str().unwrap()])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    std::thread::sleep(std::time::Duration::from_secs(3));
    let status = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(130), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stderr).contains("interrupted"));
    let results = std::fs::read_to_string(dir.join("results.csv")).unwrap();
    let rows = results.lines().count() - 1;
    assert!(rows > 0 && rows < 1_000_000 && rows % 256 == 0, "{rows}");
    assert!(dir.join("summary.csv").exists());
    std::fs::remove_dir_all(&dir).ok();
}

/// A national round file as `BASE` (`--job national-round`): the table equals the
/// library's sweep of the same round, its first row a round run by hand; the file
/// under another job, or a county target in the spec, is exit 2 naming the file or
/// the field.
#[test]
fn a_national_round_file_is_a_base_for_its_job_only() {
    use allocnet::model::synthetic::vastmanland_default;
    use allocnet::process::simulate::default_warehouses;
    use allocnet::process::{run_county_round, run_national_round, NationalRound, Policy, RoundOptions};
    use allocnet::sweep::{Job, Sweep, SweepBase, SweepSpec};

    let dir = std::env::temp_dir().join(format!("allocnet-sweep-round-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let scenario = vastmanland_default().unwrap();
    let plan = run_county_round(&scenario, &RoundOptions::default()).unwrap();
    let round = NationalRound::after_county_round(&scenario, &plan, default_warehouses(&scenario, 0.5)).unwrap();
    let round_file = dir.join("round.json");
    std::fs::write(&round_file, serde_json::to_string_pretty(&round).unwrap()).unwrap();
    let spec_text = r#"{"parameters": [
        {"name": "stock", "target": "national-stock", "values": [1.0, 0.25, 3.0]},
        {"name": "policy", "target": "policy", "values": ["optimal", "max-min"]}]}"#;
    let spec_file = dir.join("spec.json");
    std::fs::write(&spec_file, spec_text).unwrap();
    let (r, s, o) = (
        round_file.to_str().unwrap(),
        spec_file.to_str().unwrap(),
        dir.join("out"),
    );
    let out = allocnet(&[
        "sweep",
        r,
        "--job",
        "national-round",
        "--spec",
        s,
        "--quiet",
        "--out",
        o.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let results = std::fs::read_to_string(o.join("results.csv")).unwrap();
    let sweep = Sweep::new(
        SweepBase::Round(round.clone()),
        SweepSpec::from_json(spec_text).unwrap(),
        Job::NationalRound,
        None,
        0,
    )
    .unwrap();
    let chunk = sweep
        .run(&[], &|_| {}, &std::sync::atomic::AtomicBool::new(false))
        .unwrap();
    assert_eq!(results, chunk.to_table().unwrap().to_csv().unwrap());
    assert_eq!(results.lines().count(), 7);
    let header: Vec<&str> = results.lines().next().unwrap().split(',').collect();
    let first: Vec<&str> = results.lines().nth(1).unwrap().split(',').collect();
    let column = |name: &str| first[header.iter().position(|h| *h == name).unwrap()];
    let by_hand = run_national_round(&round, Policy::Optimal).unwrap();
    let approved: i64 = by_hand.items.iter().map(|i| i.approved).sum();
    assert_eq!(column("national_approved").parse::<f64>().unwrap(), approved as f64);
    assert_eq!(column("status"), "ok");

    for job in ["county-round", "simulate", "testing"] {
        let out = allocnet(&[
            "sweep",
            r,
            "--job",
            job,
            "--spec",
            s,
            "--quiet",
            "--out",
            o.to_str().unwrap(),
        ]);
        assert_eq!(out.status.code(), Some(2), "{job}");
        let err = String::from_utf8_lossy(&out.stderr);
        let want = format!("{r}: the file holds a national round (requests, warehouses), but job {job} needs");
        assert!(err.contains(&want), "{err}");
    }
    let county_spec = dir.join("county.json");
    std::fs::write(
        &county_spec,
        r#"{"parameters": [{"name": "c", "target": "consumption", "values": [1.0, 2.0]}]}"#,
    )
    .unwrap();
    let out = allocnet(&[
        "sweep",
        r,
        "--job",
        "national-round",
        "--spec",
        county_spec.to_str().unwrap(),
        "--quiet",
        "--out",
        o.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("parameters[0].target: consumption changes the county scenario"),
        "{err}"
    );
    std::fs::remove_dir_all(&dir).ok();
}
