//! Unknown keys in a testing scenario's JSON, reported with their path
//! (`labs[0].capacity[0].poling: unknown key (expected: test_type, analyses_per_day,
//! pooling)`), all at once, before the typed parse: a misspelt key must never fall
//! back to a default silently.

use crate::error::InvalidValue;
use serde_json::Value;

const TOP: &[&str] = &[
    "name",
    "week",
    "synthetic",
    "groups",
    "municipalities",
    "demand",
    "sites",
    "labs",
    "stores",
    "parameters",
];
const GROUP: &[&str] = &["id", "name", "priority", "max_travel_km"];
const MUNICIPALITY: &[&str] = &["id", "name", "county", "lat", "lon"];
const DEMAND: &[&str] = &["municipality", "group", "test_type", "tests_per_week"];
const SITE: &[&str] = &[
    "id",
    "name",
    "address",
    "kind",
    "county",
    "lat",
    "lon",
    "capacity_per_day",
    "test_types",
    "opening_days",
    "kits",
];
const KITS: &[&str] = &["pcr", "serology"];
const LAB: &[&str] = &["id", "name", "county", "lat", "lon", "capacity", "opening_days"];
const LAB_CAPACITY: &[&str] = &["test_type", "analyses_per_day", "pooling"];
const STORE: &[&str] = &["id", "name", "county", "lat", "lon", "kits"];
const PARAMETERS: &[&str] = &["detour_factor", "candidate_sites", "kits_across_counties"];

/// Every key of `value` (a parsed testing scenario) that the format does not know,
/// with its path. Values of the wrong shape are left to the typed parse.
pub(crate) fn unknown_keys(value: &Value) -> Vec<InvalidValue> {
    let mut out = Vec::new();
    object(value, "", TOP, &mut out);
    let list = |key: &str| {
        value
            .get(key)
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .enumerate()
    };
    for (i, g) in list("groups") {
        object(g, &format!("groups[{i}]"), GROUP, &mut out);
    }
    for (i, m) in list("municipalities") {
        object(m, &format!("municipalities[{i}]"), MUNICIPALITY, &mut out);
    }
    for (i, d) in list("demand") {
        object(d, &format!("demand[{i}]"), DEMAND, &mut out);
    }
    for (i, s) in list("sites") {
        let path = format!("sites[{i}]");
        object(s, &path, SITE, &mut out);
        if let Some(kits) = s.get("kits") {
            object(kits, &format!("{path}.kits"), KITS, &mut out);
        }
    }
    for (i, l) in list("labs") {
        let path = format!("labs[{i}]");
        object(l, &path, LAB, &mut out);
        let capacity = l.get("capacity").and_then(Value::as_array).into_iter().flatten();
        for (j, c) in capacity.enumerate() {
            object(c, &format!("{path}.capacity[{j}]"), LAB_CAPACITY, &mut out);
        }
    }
    for (i, s) in list("stores") {
        let path = format!("stores[{i}]");
        object(s, &path, STORE, &mut out);
        if let Some(kits) = s.get("kits") {
            object(kits, &format!("{path}.kits"), KITS, &mut out);
        }
    }
    if let Some(p) = value.get("parameters") {
        object(p, "parameters", PARAMETERS, &mut out);
    }
    out
}

/// Pushes the keys of `value` (if an object) not in `known`.
fn object(value: &Value, path: &str, known: &[&str], out: &mut Vec<InvalidValue>) {
    let Some(map) = value.as_object() else {
        return;
    };
    for key in map.keys().filter(|k| !known.contains(&k.as_str())) {
        let at = if path.is_empty() {
            key.clone()
        } else {
            format!("{path}.{key}")
        };
        out.push(InvalidValue::new(
            at,
            format!("unknown key (expected: {})", known.join(", ")),
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_keys_are_named_with_their_path() {
        let v: Value = serde_json::from_str(
            r#"{"name": "x", "nmae": 1, "labs": [{"id": "l", "capacity": [{"test_type": "pcr", "poling": 4}]}],
                "sites": [{"id": "s", "kits": {"pcr": 1, "antigen": 2}}], "parameters": {"detour": 1.2}}"#,
        )
        .unwrap();
        let found: Vec<String> = unknown_keys(&v).iter().map(|p| p.to_string()).collect();
        assert_eq!(found.len(), 4, "{found:?}");
        assert!(
            found[0].starts_with("nmae: unknown key (expected: name, week"),
            "{found:?}"
        );
        assert!(found
            .iter()
            .any(|f| f.starts_with("labs[0].capacity[0].poling: unknown key")));
        assert!(found
            .iter()
            .any(|f| f.starts_with("sites[0].kits.antigen: unknown key")));
        assert!(found.iter().any(|f| f.starts_with("parameters.detour: unknown key")));
    }
}
