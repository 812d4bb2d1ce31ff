//! The audit log: every round (county and national) as one JSON Lines record — its
//! input, options or policy, plan and objective — and [`replay`], which re-runs each
//! record and confirms that its plan is reproduced exactly.
//!
//! A record is one JSON object per line, `"round": "county"` or `"national"`:
//!
//! * county: `day` (or null), `options` ([`RoundOptions`]), `scenario`
//!   ([`Scenario`]), `plan` ([`Plan`]), `objective` (the plan's per-item objective);
//! * national: `day`, `policy` ([`Policy`]), `input` ([`NationalRound`]), `plan`
//!   ([`NationalPlan`]), `objective` (the plan's per-item results).
//!
//! Floats are written so that they read back bit for bit (serde_json
//! `float_roundtrip`), so "reproduced" means the re-run plan serialises to the same
//! JSON value as the logged one.

use super::county_round::{run_county_round, RoundOptions};
use super::national_round::{run_national_round, NationalPlan, NationalRound, Policy};
use super::plan::Plan;
use super::simulate::RoundRecord;
use crate::error::{Error, Result};
use crate::model::Scenario;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::io::Write;

#[derive(Serialize)]
#[serde(tag = "round", rename_all = "kebab-case")]
enum EntryRef<'a> {
    County {
        day: Option<u32>,
        options: &'a RoundOptions,
        scenario: &'a Scenario,
        plan: &'a Plan,
        objective: &'a [super::plan::ItemObjective],
    },
    National {
        day: Option<u32>,
        policy: Policy,
        input: &'a NationalRound,
        plan: &'a NationalPlan,
        objective: &'a [super::national_round::NationalItemResult],
    },
}

#[derive(Deserialize)]
#[serde(tag = "round", rename_all = "kebab-case")]
enum Entry {
    County {
        day: Option<u32>,
        options: RoundOptions,
        scenario: Scenario,
        plan: Value,
    },
    National {
        day: Option<u32>,
        policy: Policy,
        input: NationalRound,
        plan: Value,
    },
}

/// Appends round records to a JSON Lines sink.
pub struct AuditLog<W: Write> {
    out: W,
    records: u64,
}

impl AuditLog<std::io::BufWriter<std::fs::File>> {
    /// Opens `path` for appending (creating it if needed).
    pub fn append_to(path: &std::path::Path) -> Result<Self> {
        let file = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(path)
            .map_err(|source| Error::Io {
                path: path.display().to_string(),
                source,
            })?;
        Ok(AuditLog::new(std::io::BufWriter::new(file)))
    }
}

impl<W: Write> AuditLog<W> {
    /// A log writing to `out`.
    pub fn new(out: W) -> Self {
        AuditLog { out, records: 0 }
    }

    /// Records written so far.
    pub fn records(&self) -> u64 {
        self.records
    }

    /// Appends a county round (`day` is `None` outside a simulation).
    pub fn county(&mut self, day: Option<u32>, scenario: &Scenario, options: &RoundOptions, plan: &Plan) -> Result<()> {
        self.write(&EntryRef::County {
            day,
            options,
            scenario,
            plan,
            objective: &plan.objective,
        })
    }

    /// Appends a national round.
    pub fn national(
        &mut self,
        day: Option<u32>,
        input: &NationalRound,
        policy: Policy,
        plan: &NationalPlan,
    ) -> Result<()> {
        self.write(&EntryRef::National {
            day,
            policy,
            input,
            plan,
            objective: &plan.items,
        })
    }

    /// Appends a round handed out by [`simulate`](super::simulate::simulate).
    pub fn record(&mut self, record: RoundRecord<'_>) -> Result<()> {
        match record {
            RoundRecord::County {
                day,
                scenario,
                options,
                plan,
            } => self.county(Some(day), scenario, options, plan),
            RoundRecord::National {
                day,
                input,
                policy,
                plan,
            } => self.national(Some(day), input, policy, plan),
        }
    }

    fn write(&mut self, entry: &EntryRef<'_>) -> Result<()> {
        let io = |e: std::io::Error| Error::Io {
            path: "audit log".into(),
            source: e,
        };
        serde_json::to_writer(&mut self.out, entry)
            .map_err(|e| Error::Solver(format!("writing the audit log: {e}")))?;
        self.out.write_all(b"\n").map_err(io)?;
        self.records += 1;
        Ok(())
    }

    /// Flushes the sink.
    pub fn flush(&mut self) -> Result<()> {
        self.out.flush().map_err(|source| Error::Io {
            path: "audit log".into(),
            source,
        })
    }
}

/// The outcome of re-running one logged round.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "outcome", rename_all = "kebab-case")]
pub enum ReplayOutcome {
    /// The plan is reproduced exactly.
    Reproduced,
    /// The re-run plan differs: the first differing JSON path and both values.
    Differs {
        /// JSON path, e.g. `plan.shipments[3].quantity`.
        path: String,
        /// The logged value (JSON).
        logged: String,
        /// The re-run value (JSON).
        replayed: String,
    },
    /// The logged input no longer runs: the error.
    Failed {
        /// The error message.
        error: String,
    },
}

/// One replayed log line.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ReplayLine {
    /// Line number in the log (1-based).
    pub line: usize,
    /// `county` or `national`.
    pub round: String,
    /// Simulated day, if any.
    pub day: Option<u32>,
    /// What happened.
    pub outcome: ReplayOutcome,
}

/// Re-runs every round of a JSON Lines audit log (`text`; blank lines are skipped). A
/// line that is not a valid record is an [`Error::Parse`] with its line number.
pub fn replay(text: &str, source_name: &str) -> Result<Vec<ReplayLine>> {
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let entry: Entry = serde_json::from_str(line).map_err(|e| Error::Parse {
            source_name: source_name.to_string(),
            line: i + 1,
            message: e.to_string(),
        })?;
        let (round, day, logged, rerun) = match entry {
            Entry::County {
                day,
                options,
                scenario,
                plan,
            } => (
                "county",
                day,
                plan,
                run_county_round(&scenario, &options).and_then(|p| to_value(&p)),
            ),
            Entry::National {
                day,
                policy,
                input,
                plan,
            } => (
                "national",
                day,
                plan,
                run_national_round(&input, policy).and_then(|p| to_value(&p)),
            ),
        };
        let outcome = match rerun {
            Err(e) => ReplayOutcome::Failed { error: e.to_string() },
            Ok(replayed) => match first_difference(&logged, &replayed, "plan") {
                None => ReplayOutcome::Reproduced,
                Some((path, a, b)) => ReplayOutcome::Differs {
                    path,
                    logged: a,
                    replayed: b,
                },
            },
        };
        out.push(ReplayLine {
            line: i + 1,
            round: round.to_string(),
            day,
            outcome,
        });
    }
    Ok(out)
}

fn to_value<T: Serialize>(x: &T) -> Result<Value> {
    serde_json::to_value(x).map_err(|e| Error::Internal(format!("serialising a plan: {e}")))
}

/// The first path where `a` and `b` differ, with both values as JSON text.
fn first_difference(a: &Value, b: &Value, path: &str) -> Option<(String, String, String)> {
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => {
            for (key, va) in x {
                match y.get(key) {
                    Some(vb) => {
                        if let Some(d) = first_difference(va, vb, &format!("{path}.{key}")) {
                            return Some(d);
                        }
                    }
                    None => return Some((format!("{path}.{key}"), va.to_string(), "(missing)".into())),
                }
            }
            y.iter()
                .find(|(key, _)| !x.contains_key(*key))
                .map(|(key, vb)| (format!("{path}.{key}"), "(missing)".into(), vb.to_string()))
        }
        (Value::Array(x), Value::Array(y)) => {
            for (i, (va, vb)) in x.iter().zip(y).enumerate() {
                if let Some(d) = first_difference(va, vb, &format!("{path}[{i}]")) {
                    return Some(d);
                }
            }
            if x.len() != y.len() {
                return Some((format!("{path}.length"), x.len().to_string(), y.len().to_string()));
            }
            None
        }
        _ if a == b => None,
        _ => Some((path.to_string(), a.to_string(), b.to_string())),
    }
}
