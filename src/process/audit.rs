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
//! Every record ends with `chain`: 16 hex digits of FNV-1a (64 bit) over the previous
//! record's `chain` (empty for the first record) followed by this record's text up to
//! the `chain` key. It makes edits of what replay cannot recompute (`day`, a deleted
//! or reordered record, a changed key order) visible; it is a checksum, not a
//! signature: whoever can write the log can recompute it.
//!
//! Floats are written so that they read back bit for bit (serde_json
//! `float_roundtrip`), so "reproduced" means the re-run plan and its objective
//! serialise to the same JSON values as the logged ones, the chain matches, and the
//! national input is consistent (each request's `total` is the sum of its sites, no
//! warehouse lists an item twice).
//!
//! Each record is written as one whole line with a single write and flushed, so a
//! writer killed in the middle leaves complete lines that replay and at most one
//! incomplete last line, which replay reports as such. Appending to a log whose last
//! line is incomplete is refused.

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
#[serde(tag = "round", rename_all = "kebab-case", deny_unknown_fields)]
enum Entry {
    County {
        day: Option<u32>,
        options: RoundOptions,
        scenario: Scenario,
        plan: Value,
        objective: Value,
        chain: String,
    },
    National {
        day: Option<u32>,
        policy: Policy,
        input: NationalRound,
        plan: Value,
        objective: Value,
        chain: String,
    },
}

/// Appends round records to a JSON Lines sink.
pub struct AuditLog<W: Write> {
    out: W,
    records: u64,
    /// The `chain` of the last record written (empty before the first).
    chain: String,
}

/// FNV-1a, 64 bit, over `parts` in order, as 16 hex digits.
fn fnv1a(parts: &[&[u8]]) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for part in parts {
        for &b in *part {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0000_0100_0000_01b3);
        }
    }
    format!("{h:016x}")
}

/// The text before `,"chain":"…"}` at the end of a record line, and the chain, if the
/// line ends that way.
fn split_chain(line: &str) -> Option<(&str, &str)> {
    let body = line.strip_suffix("\"}")?;
    let (head, chain) = body.rsplit_once(",\"chain\":\"")?;
    (chain.len() == 16 && chain.bytes().all(|b| b.is_ascii_hexdigit())).then_some((head, chain))
}

impl AuditLog<std::io::BufWriter<std::fs::File>> {
    /// Opens `path` for appending (creating it if needed); the chain continues from
    /// the last record. A log whose last line is incomplete (a writer was interrupted)
    /// is refused: repair it first.
    pub fn append_to(path: &std::path::Path) -> Result<Self> {
        let io = |source| Error::Io {
            path: path.display().to_string(),
            source,
        };
        let mut file = std::fs::OpenOptions::new()
            .create(true)
            .read(true)
            .append(true)
            .open(path)
            .map_err(io)?;
        let chain = last_chain(&mut file, path)?;
        let mut log = AuditLog::new(std::io::BufWriter::new(file));
        log.chain = chain;
        Ok(log)
    }
}

impl<W: Write> AuditLog<W> {
    /// A log writing to `out`.
    pub fn new(out: W) -> Self {
        AuditLog {
            out,
            records: 0,
            chain: String::new(),
        }
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

    /// Writes the record as one whole line (one write, then a flush).
    fn write(&mut self, entry: &EntryRef<'_>) -> Result<()> {
        let io = |e: std::io::Error| Error::Io {
            path: "audit log".into(),
            source: e,
        };
        let mut line = serde_json::to_vec(entry).map_err(|e| Error::Solver(format!("writing the audit log: {e}")))?;
        line.pop(); // the closing brace; the chain goes before it
        let chain = fnv1a(&[self.chain.as_bytes(), &line]);
        line.extend_from_slice(format!(",\"chain\":\"{chain}\"}}\n").as_bytes());
        self.out.write_all(&line).map_err(io)?;
        self.out.flush().map_err(io)?;
        self.chain = chain;
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

/// Re-runs every round of a JSON Lines audit log (`text`; blank lines are skipped)
/// and checks each record (see the module documentation). A line that is not a valid
/// record is an [`Error::Parse`] with its line number, except an incomplete last line
/// (no line end, not a whole record: its writer was interrupted), which is reported
/// as [`ReplayOutcome::Failed`] after the complete lines. A log without records is an
/// [`Error::Invalid`].
pub fn replay(text: &str, source_name: &str) -> Result<Vec<ReplayLine>> {
    let mut out = Vec::new();
    let mut previous_chain = String::new();
    let count = text.lines().count();
    for (i, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let entry: Entry = match crate::json_objects::from_str(line) {
            Ok(entry) => entry,
            Err(_) if i + 1 == count && !text.ends_with('\n') => {
                out.push(ReplayLine {
                    line: i + 1,
                    round: "incomplete".into(),
                    day: None,
                    outcome: ReplayOutcome::Failed {
                        error: "incomplete last record (no line end): its writer was interrupted; the lines before it are complete".into(),
                    },
                });
                continue;
            }
            Err(e) => {
                return Err(Error::Parse {
                    source_name: source_name.to_string(),
                    line: i + 1,
                    message: format!("{}: {e}", crate::json_path::error_path(line, &e, "")),
                })
            }
        };
        let (round, day, outcome, chain) = replay_entry(entry, line, &previous_chain);
        previous_chain = chain;
        out.push(ReplayLine {
            line: i + 1,
            round: round.to_string(),
            day,
            outcome,
        });
    }
    if out.is_empty() {
        return Err(Error::invalid(
            source_name,
            "the audit log holds no records: nothing to replay",
        ));
    }
    Ok(out)
}

/// Re-runs one record and checks it: plan, objective, chain (after `previous_chain`),
/// then the national input's consistency. Returns the round, day, outcome and the
/// record's logged chain.
fn replay_entry(entry: Entry, line: &str, previous_chain: &str) -> (&'static str, Option<u32>, ReplayOutcome, String) {
    let (round, day, logged_plan, logged_objective, chain, rerun, input_problem) = match entry {
        Entry::County {
            day,
            options,
            scenario,
            plan,
            objective,
            chain,
        } => {
            let rerun =
                run_county_round(&scenario, &options).and_then(|p| Ok((to_value(&p)?, to_value(&p.objective)?)));
            ("county", day, plan, objective, chain, rerun, None)
        }
        Entry::National {
            day,
            policy,
            input,
            plan,
            objective,
            chain,
        } => {
            let problem = national_input_problem(&input);
            let rerun = run_national_round(&input, policy).and_then(|p| Ok((to_value(&p)?, to_value(&p.items)?)));
            ("national", day, plan, objective, chain, rerun, problem)
        }
    };
    let outcome = match rerun {
        Err(e) => ReplayOutcome::Failed { error: e.to_string() },
        Ok((plan, objective)) => {
            let difference = first_difference(&logged_plan, &plan, "plan")
                .or_else(|| first_difference(&logged_objective, &objective, "objective"));
            match (difference, input_problem) {
                (Some(d), _) => differs(d),
                (None, Some(error)) => ReplayOutcome::Failed { error },
                (None, None) => {
                    chain_difference(line, previous_chain, &chain).map_or(ReplayOutcome::Reproduced, differs)
                }
            }
        }
    };
    (round, day, outcome, chain)
}

fn differs((path, logged, replayed): (String, String, String)) -> ReplayOutcome {
    ReplayOutcome::Differs { path, logged, replayed }
}

/// The difference between a record's logged `chain` and the one recomputed from its
/// text, if any.
fn chain_difference(line: &str, previous_chain: &str, logged: &str) -> Option<(String, String, String)> {
    let recomputed = match split_chain(line.trim_end()) {
        Some((head, _)) => fnv1a(&[previous_chain.as_bytes(), head.as_bytes()]),
        None => "(the record does not end with its chain)".into(),
    };
    (recomputed != logged).then(|| ("chain".into(), format!("\"{logged}\""), format!("\"{recomputed}\"")))
}

/// What makes a logged national input inconsistent: a request whose `total` is not
/// the sum of its sites, a warehouse listing an item twice.
fn national_input_problem(input: &NationalRound) -> Option<String> {
    for (r, request) in input.requests.iter().enumerate() {
        for (k, item) in request.items.iter().enumerate() {
            let sum = item.sites.iter().try_fold(0i64, |a, s| a.checked_add(s.quantity));
            if sum != Some(item.total) {
                return Some(format!(
                    "input.requests[{r}].items[{k}].total: {} is not the sum of its sites ({})",
                    item.total,
                    sum.map_or("beyond the i64 range".into(), |s| s.to_string())
                ));
            }
        }
    }
    for (w, warehouse) in input.warehouses.iter().enumerate() {
        for (j, s) in warehouse.stock.iter().enumerate() {
            if let Some(first) = warehouse.stock[..j].iter().position(|t| t.item == s.item) {
                return Some(format!(
                    "input.warehouses[{w}].stock[{j}].item: '{}' is listed twice (first at stock[{first}])",
                    s.item
                ));
            }
        }
    }
    None
}

/// The `chain` at the end of the file's last line (empty for an empty file); an error
/// if the last line is incomplete.
fn last_chain(file: &mut std::fs::File, path: &std::path::Path) -> Result<String> {
    use std::io::{Read, Seek, SeekFrom};
    let io = |source| Error::Io {
        path: path.display().to_string(),
        source,
    };
    let len = file.seek(SeekFrom::End(0)).map_err(io)?;
    if len == 0 {
        return Ok(String::new());
    }
    let tail_len = len.min(64);
    file.seek(SeekFrom::End(-(tail_len as i64))).map_err(io)?;
    let mut tail = Vec::new();
    file.read_to_end(&mut tail).map_err(io)?;
    let text = String::from_utf8_lossy(&tail);
    let complete = text.ends_with('\n');
    match (complete, text.trim_end().rsplit('\n').next().and_then(split_chain)) {
        (true, Some((_, chain))) => Ok(chain.to_string()),
        _ => Err(Error::invalid(
            path.display().to_string(),
            "the audit log's last line is not a complete record (a writer was interrupted?): repair the log before appending",
        )),
    }
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
