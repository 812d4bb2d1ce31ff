//! What the lookahead round is asked to plan: the horizon, the meeting days, lane lead
//! times and storage capacities — the inputs that are not part of a [`Scenario`]
//! (whose JSON form is fixed), checked with errors that name the field.

use crate::error::{Error, InvalidValue, Result};
use crate::json_path::parse_json;
use crate::model::{ResolvedScenario, KM_SCALE};
use serde::{Deserialize, Serialize};

/// The longest horizon a lookahead round plans (days).
pub const MAX_DAYS: u32 = 366;

/// Default distance up to which a lane without `lead_days` delivers the same day (km).
pub const DEFAULT_SAME_DAY_KM: f64 = 150.0;

/// Weekday names, Monday first.
pub const WEEKDAYS: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

/// Lead time of one lane (`from` → `to`), whole days.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LaneLead {
    /// Shipping site id.
    pub from: String,
    /// Receiving site id.
    pub to: String,
    /// Days on the road: a shipment leaving on day `d` is there on day `d + lead_days`.
    pub lead_days: u32,
}

/// Storage capacity of one site (units of every item, per item).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Storage {
    /// Site id.
    pub site: String,
    /// Most units of each item the site can hold overnight, >= 0.
    pub capacity: i64,
}

/// Options of a lookahead round (see `docs/lookahead.md`).
///
/// ```
/// use allocnet::lookahead::LookaheadOptions;
/// let o = LookaheadOptions { days: 7, ..LookaheadOptions::default() };
/// assert_eq!(o.shipping_days().unwrap(), vec![0, 2, 4]); // Mon, Wed, Fri from a Monday
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct LookaheadOptions {
    /// Planning horizon in whole days, 1..=366 (default 7). Day 0 is the meeting day.
    pub days: u32,
    /// Weekday of day 0 (`mon` .. `sun`, default `mon`).
    pub start: String,
    /// Weekdays on which shipments leave (default `mon`, `wed`, `fri`); `every` (alone)
    /// allows every day.
    pub meeting_days: Vec<String>,
    /// Lanes up to this distance (km, >= 0) without their own lead time arrive the same
    /// day; longer ones the next day (default 150).
    pub same_day_km: f64,
    /// Lead times of particular lanes (they override `same_day_km`).
    pub lead_days: Vec<LaneLead>,
    /// Storage capacities of particular sites (default: none).
    pub storage: Vec<Storage>,
}

impl Default for LookaheadOptions {
    fn default() -> Self {
        Self {
            days: 7,
            start: "mon".into(),
            meeting_days: vec!["mon".into(), "wed".into(), "fri".into()],
            same_day_km: DEFAULT_SAME_DAY_KM,
            lead_days: Vec::new(),
            storage: Vec::new(),
        }
    }
}

/// The weekday `text` names (`mon` or `monday`, any case), Monday = 0.
fn weekday(text: &str) -> Option<usize> {
    const FULL: [&str; 7] = [
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
    ];
    let t = text.trim().to_ascii_lowercase();
    WEEKDAYS
        .iter()
        .position(|w| *w == t)
        .or_else(|| FULL.iter().position(|w| *w == t))
}

impl LookaheadOptions {
    /// Parses options from JSON text (a lookahead options file): an object whose
    /// `lead_days` and `storage` entries are objects too. A syntax error or a value of
    /// the wrong type (`"lead_days": -1`, a list where an object belongs) is an
    /// [`Error::Parse`] naming its path.
    ///
    /// ```
    /// use allocnet::lookahead::LookaheadOptions;
    /// let o = LookaheadOptions::from_json_str(r#"{"start": "wed"}"#, "opts.json").unwrap();
    /// assert_eq!(o.start, "wed");
    /// let err = LookaheadOptions::from_json_str("[]", "opts.json").unwrap_err();
    /// assert!(err.to_string().contains("lookahead: invalid type: sequence, expected struct"), "{err}");
    /// ```
    pub fn from_json_str(text: &str, source_name: &str) -> Result<LookaheadOptions> {
        parse_json(text, source_name, "lookahead")
    }

    /// The days `0..days` on which shipments may leave, ascending. A bad `days`, `start`
    /// or `meeting_days` is an [`Error::Invalid`] naming the field.
    pub fn shipping_days(&self) -> Result<Vec<u32>> {
        let mut problems = Vec::new();
        self.check_calendar(&mut problems);
        if !problems.is_empty() {
            return Err(Error::Invalid(problems));
        }
        let start = weekday(&self.start).unwrap_or(0);
        let every = self.meeting_days.iter().any(|d| d.trim().eq_ignore_ascii_case("every"));
        let meet: Vec<usize> = self.meeting_days.iter().filter_map(|d| weekday(d)).collect();
        Ok((0..self.days)
            .filter(|&d| every || meet.contains(&((start + d as usize) % 7)))
            .collect())
    }

    fn check_calendar(&self, problems: &mut Vec<InvalidValue>) {
        if self.days == 0 || self.days > MAX_DAYS {
            problems.push(InvalidValue::new(
                "lookahead.days",
                format!("must be between 1 and {MAX_DAYS}, got {}", self.days),
            ));
        }
        if weekday(&self.start).is_none() {
            problems.push(InvalidValue::new(
                "lookahead.start",
                format!("expected a weekday (mon, tue, ..., sun), got '{}'", self.start),
            ));
        }
        if self.meeting_days.is_empty() {
            problems.push(InvalidValue::new(
                "lookahead.meeting_days",
                "must name at least one weekday (or 'every')",
            ));
        }
        let every = self.meeting_days.iter().any(|d| d.trim().eq_ignore_ascii_case("every"));
        for (i, d) in self.meeting_days.iter().enumerate() {
            let is_every = d.trim().eq_ignore_ascii_case("every");
            if (is_every && self.meeting_days.len() > 1) || (!is_every && weekday(d).is_none()) {
                let msg = if every {
                    format!("'every' must stand alone, got '{d}' beside it")
                } else {
                    format!("expected a weekday (mon, tue, ..., sun) or 'every', got '{d}'")
                };
                problems.push(InvalidValue::new(format!("lookahead.meeting_days[{i}]"), msg));
            }
        }
    }

    /// Checks every field against `resolved` (site ids, lanes) and returns the lead time
    /// of each resolved lane (whole days) and the storage capacity of each site.
    pub fn resolve(&self, resolved: &ResolvedScenario) -> Result<(Vec<u32>, Vec<Option<i64>>)> {
        let mut problems = Vec::new();
        self.check_calendar(&mut problems);
        if !(self.same_day_km.is_finite() && self.same_day_km >= 0.0) {
            problems.push(InvalidValue::new(
                "lookahead.same_day_km",
                format!("must be a finite number >= 0, got {}", self.same_day_km),
            ));
        }
        let sc = &resolved.scenario;
        let site_index = |id: &str| sc.sites.iter().position(|s| s.id == id);
        let limit = (self.same_day_km * KM_SCALE as f64).round();
        let mut leads: Vec<u32> = resolved
            .lanes
            .iter()
            .map(|l| u32::from(l.cost as f64 > limit))
            .collect();
        for (i, ll) in self.lead_days.iter().enumerate() {
            let (from, to) = (site_index(&ll.from), site_index(&ll.to));
            let path = format!("lookahead.lead_days[{i}]");
            if from.is_none() {
                problems.push(InvalidValue::new(
                    format!("{path}.from"),
                    format!("unknown site '{}'", ll.from),
                ));
            }
            if to.is_none() {
                problems.push(InvalidValue::new(
                    format!("{path}.to"),
                    format!("unknown site '{}'", ll.to),
                ));
            }
            if ll.lead_days > MAX_DAYS {
                problems.push(InvalidValue::new(
                    format!("{path}.lead_days"),
                    format!("must be at most {MAX_DAYS}, got {}", ll.lead_days),
                ));
            }
            let (Some(f), Some(t)) = (from, to) else { continue };
            let mut found = false;
            for (k, lane) in resolved.lanes.iter().enumerate() {
                if lane.from == f && lane.to == t {
                    leads[k] = ll.lead_days;
                    found = true;
                }
            }
            if !found {
                problems.push(InvalidValue::new(
                    path,
                    format!("there is no lane from '{}' to '{}'", ll.from, ll.to),
                ));
            }
        }
        let mut storage = vec![None; sc.sites.len()];
        for (i, s) in self.storage.iter().enumerate() {
            let path = format!("lookahead.storage[{i}]");
            match site_index(&s.site) {
                None => problems.push(InvalidValue::new(
                    format!("{path}.site"),
                    format!("unknown site '{}'", s.site),
                )),
                Some(v) if storage[v].is_some() => problems.push(InvalidValue::new(
                    format!("{path}.site"),
                    format!("site '{}' has a storage capacity already", s.site),
                )),
                Some(v) => storage[v] = Some(s.capacity),
            }
            if s.capacity < 0 {
                problems.push(InvalidValue::new(
                    format!("{path}.capacity"),
                    format!("must be >= 0, got {}", s.capacity),
                ));
            }
        }
        if problems.is_empty() {
            Ok((leads, storage))
        } else {
            Err(Error::Invalid(problems))
        }
    }
}
