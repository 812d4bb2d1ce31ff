//! `SimulationOptions::default()` is the one place of the simulation defaults: the
//! docs state them and the command line's `--help` shows them.

use allocnet::process::simulate::{weekday_names, SimulationOptions};
use serde_json::Value;
use std::process::Command;

/// A JSON number or other scalar as the docs write it (48.0 as `48`).
fn text(value: &Value) -> String {
    match value {
        Value::Number(n) => match n.as_f64() {
            Some(x) if x.fract() == 0.0 && x.abs() < 1e15 => format!("{}", x as i64),
            _ => n.to_string(),
        },
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

#[test]
fn docs_state_the_simulation_defaults() {
    let doc = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/national.md")).unwrap();
    let doc = doc.split_whitespace().collect::<Vec<_>>().join(" ");
    let options = serde_json::to_value(SimulationOptions::default()).unwrap();
    let Value::Object(fields) = &options else {
        panic!("options are not an object")
    };
    let mut checked = 0;
    for (key, value) in fields {
        let expected = match value {
            Value::Array(days) => format!("`{key}` [{}]", days.iter().map(text).collect::<Vec<_>>().join(", ")),
            Value::Object(_) | Value::Null => continue, // round, wave, warehouses: described in words
            scalar => format!("`{key}` {}", text(scalar)),
        };
        assert!(
            doc.contains(&expected),
            "docs/national.md should state the default {expected}"
        );
        checked += 1;
    }
    assert!(checked >= 11, "{checked}");
    let amplitude = text(&options["wave"]["amplitude"]);
    assert!(
        doc.contains(&format!("(amplitude {amplitude},")),
        "wave amplitude {amplitude}"
    );
}

#[test]
fn cli_help_shows_the_simulation_defaults() {
    let out = Command::new(env!("CARGO_BIN_EXE_allocnet"))
        .args(["simulate", "--help"])
        .output()
        .unwrap();
    let help = String::from_utf8(out.stdout).unwrap();
    let d = SimulationOptions::default();
    let flags = [
        ("--weeks", d.weeks.to_string()),
        ("--meeting-days", weekday_names(&d.meeting_weekdays)),
        ("--acute-window-hours", d.acute_window_hours.to_string()),
        ("--reserve-days", d.reserve_days.to_string()),
        ("--national-lead-days", d.national_lead_days.to_string()),
        ("--last-mile-lead-days", d.last_mile_lead_days.to_string()),
        ("--national-stock-days", d.national_stock_days.to_string()),
        ("--weekly-supply-days", d.weekly_supply_days.to_string()),
        ("--wave-amplitude", d.wave.amplitude.to_string()),
        ("--policy", d.policy.as_str().to_string()),
    ];
    for (flag, default) in flags {
        let at = help
            .find(&format!("{flag} <"))
            .unwrap_or_else(|| panic!("{flag} missing:\n{help}"));
        let rest = &help[at..];
        let next = rest[2..].find("\n  -").map_or(rest.len(), |i| i + 2);
        assert!(
            rest[..next].contains(&format!("[default: {default}]")),
            "{flag} should default to {default}:\n{}",
            &rest[..next]
        );
    }
    assert_eq!(weekday_names(&[0, 2, 4]), "mon,wed,fri");
}
