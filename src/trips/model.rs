//! The logistics input: packs, volumes, substitutes and the vehicle of a county round.
//!
//! All of it is optional and separate from the [`Scenario`]: a round run without
//! [`Logistics`] (or with [`Logistics::default`]) is today's round, bit for bit.

use crate::error::{Error, InvalidValue, Result};
use crate::limits::compact;
use crate::model::Scenario;
use serde::{Deserialize, Serialize};

/// Largest pack size accepted (units per pack).
pub const MAX_PACK_SIZE: i64 = 1_000_000;

/// Largest vehicle capacity and unit volume accepted, litres (a million cubic metres):
/// the MIP's coefficients stay in the range the solver takes.
pub const MAX_LITRES: f64 = 1e9;

/// Smallest non-zero unit volume accepted, litres (one cubic millimetre): smaller
/// volumes would be dropped by the solver as zero.
pub const MIN_VOLUME_L: f64 = 1e-6;

/// Pack size, volume and minimum load of one item.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ItemLogistics {
    /// The item's id (must name an item of the scenario).
    pub item: String,
    /// Units per pack (>= 1): shipments are whole packs. Default 1.
    #[serde(default = "one")]
    pub pack_size: i64,
    /// Volume of one unit, litres: 0, or from 1e-6 to 1e9. Default 0.
    #[serde(default)]
    pub volume_l: f64,
    /// Minimum packs of this item in one shipment on a lane (0 or at least this).
    /// Default 0 (no minimum).
    #[serde(default)]
    pub min_packs: i64,
}

fn one() -> i64 {
    1
}

fn ratio_one() -> i64 {
    1
}

/// Item `by` may serve the need of item `item`: `ratio` units of `by` per unit of
/// `item`, only for the listed priority classes (all classes when absent). Never the
/// reverse unless stated.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Substitute {
    /// The item whose need is served.
    pub item: String,
    /// The item that serves it.
    pub by: String,
    /// Units of `by` per unit of `item` (>= 1). Default 1.
    #[serde(default = "ratio_one")]
    pub ratio: i64,
    /// Priority classes it may serve (at least one, each once); absent: every class.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub classes: Option<Vec<String>>,
}

/// The vehicle of a county meeting: one trip = one vehicle on one lane.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Vehicle {
    /// Load capacity, litres (> 0 and at most 1e9).
    pub capacity_l: f64,
    /// Cost of one trip, in trips (an integer weight >= 1; the `trips` objective level
    /// is Σ cost per trip). Default 1.
    #[serde(default = "one")]
    pub cost_per_trip: i64,
    /// Most trips at one meeting (per county); absent: no cap.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_trips: Option<i64>,
}

/// Logistics data of a county round. Every field is optional.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Logistics {
    /// Per item: pack size, volume, minimum load (an item not listed: packs of 1,
    /// volume 0, no minimum).
    #[serde(default)]
    pub items: Vec<ItemLogistics>,
    /// Substitution rules.
    #[serde(default)]
    pub substitutes: Vec<Substitute>,
    /// The vehicle; absent: shipments are not grouped into trips.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vehicle: Option<Vehicle>,
    /// True when the figures are synthetic (reports say so).
    #[serde(default)]
    pub synthetic: bool,
    /// What a substitute may be used to lower: where the substitutes level sits in the
    /// lexicographic order, one of [`SubstitutesRank::NAMES`] (see [`SubstitutesRank`]);
    /// absent: `after_need`, today's order.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub substitutes_rank: Option<String>,
}

/// Where the substitutes level (units of need met by substitutes, minimised) sits in
/// the lexicographic order, i.e. what a substitute may be used to lower. Without
/// substitution rules it changes nothing.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum SubstitutesRank {
    /// `after_need`: right after the need levels (today's order): a substitute is used
    /// only where it lowers unmet need.
    #[default]
    AfterNeed,
    /// `after_trips`: after the trips and vehicle km levels: a substitute may also save
    /// trips and vehicle km. Without a vehicle there are no such levels, and it is the
    /// same order as `after_need`.
    AfterTrips,
    /// `last`: after the transport level: a substitute may also lower transport
    /// (unit·km).
    Last,
}

impl SubstitutesRank {
    /// The names accepted in `logistics.substitutes_rank`, in the order of the enum.
    pub const NAMES: [&'static str; 3] = ["after_need", "after_trips", "last"];

    /// The rank named `name` (one of [`SubstitutesRank::NAMES`]).
    ///
    /// ```
    /// use allocnet::trips::SubstitutesRank;
    /// assert_eq!(SubstitutesRank::from_name("after_trips"), Some(SubstitutesRank::AfterTrips));
    /// assert_eq!(SubstitutesRank::from_name("first"), None);
    /// ```
    pub fn from_name(name: &str) -> Option<Self> {
        let all = [Self::AfterNeed, Self::AfterTrips, Self::Last];
        Self::NAMES.iter().position(|&n| n == name).map(|k| all[k])
    }

    /// The rank's name in the logistics data.
    pub fn name(self) -> &'static str {
        match self {
            Self::AfterNeed => Self::NAMES[0],
            Self::AfterTrips => Self::NAMES[1],
            Self::Last => Self::NAMES[2],
        }
    }
}

/// [`Logistics`] checked against a scenario, indexed by item.
#[derive(Clone, Debug, PartialEq)]
pub struct ResolvedLogistics {
    /// Units per pack, per item.
    pub pack_size: Vec<i64>,
    /// Litres per unit, per item.
    pub volume_l: Vec<f64>,
    /// Minimum packs per shipment, per item (0: none).
    pub min_packs: Vec<i64>,
    /// Substitutes: (item served, serving item, ratio, allowed per class).
    pub substitutes: Vec<ResolvedSubstitute>,
    /// The vehicle, if any.
    pub vehicle: Option<Vehicle>,
    /// Where the substitutes level sits in the objective's order.
    pub substitutes_rank: SubstitutesRank,
}

/// A checked [`Substitute`].
#[derive(Clone, Debug, PartialEq)]
pub struct ResolvedSubstitute {
    /// Index of the item served.
    pub item: usize,
    /// Index of the serving item.
    pub by: usize,
    /// Units of `by` per unit of `item`.
    pub ratio: i64,
    /// Per priority class (in force order): may it serve that class?
    pub classes: Vec<bool>,
}

impl ResolvedLogistics {
    /// True when nothing differs from today's round: packs of 1, no minimum, no
    /// substitutes, no vehicle.
    pub fn is_plain(&self) -> bool {
        self.pack_size.iter().all(|&p| p == 1)
            && self.min_packs.iter().all(|&m| m == 0)
            && self.substitutes.is_empty()
            && self.vehicle.is_none()
    }

    /// True when the round needs the MIP (trips, minimum loads or substitutes).
    pub fn needs_mip(&self) -> bool {
        self.vehicle.is_some() || self.min_packs.iter().any(|&m| m > 0) || !self.substitutes.is_empty()
    }
}

impl Logistics {
    /// Parses logistics data from JSON text (a leading byte order mark skipped); a
    /// syntax or type error is an [`Error::Parse`] with the line and the path of the
    /// value (`logistics.items[0].pack_size: invalid type: ...`).
    pub fn from_json_str(text: &str, source_name: &str) -> Result<Logistics> {
        crate::json_path::parse_json(text, source_name, "logistics")
    }

    /// Checks the data against `scenario` (with `classes` the priority classes in
    /// force); every problem is named by its path, e.g.
    /// `logistics.items[2].pack_size: must be >= 1, got 0`.
    ///
    /// ```
    /// use allocnet::model::synthetic::vastmanland_default;
    /// use allocnet::trips::{ItemLogistics, Logistics};
    /// let scenario = vastmanland_default().unwrap();
    /// let classes: Vec<String> = scenario.resolve().unwrap().classes.iter().map(|c| c.id.clone()).collect();
    /// let bad = Logistics {
    ///     items: vec![ItemLogistics { item: "ffp2".into(), pack_size: 0, volume_l: 0.1, min_packs: 0 }],
    ///     ..Logistics::default()
    /// };
    /// let err = bad.resolve(&scenario, &classes).unwrap_err().to_string();
    /// assert!(err.contains("logistics.items[0].pack_size: must be >= 1, got 0"), "{err}");
    /// let bad = Logistics { substitutes_rank: Some("first".into()), ..Logistics::default() };
    /// let err = bad.resolve(&scenario, &classes).unwrap_err().to_string();
    /// assert!(
    ///     err.contains("logistics.substitutes_rank: must be one of 'after_need', 'after_trips', 'last', got 'first'"),
    ///     "{err}"
    /// );
    /// ```
    pub fn resolve(&self, scenario: &Scenario, classes: &[String]) -> Result<ResolvedLogistics> {
        let n = scenario.items.len();
        let mut errors: Vec<InvalidValue> = Vec::new();
        let mut out = ResolvedLogistics {
            pack_size: vec![1; n],
            volume_l: vec![0.0; n],
            min_packs: vec![0; n],
            substitutes: Vec::new(),
            vehicle: None,
            substitutes_rank: SubstitutesRank::AfterNeed,
        };
        self.resolve_items(scenario, &mut out, &mut errors);
        if let Some(name) = &self.substitutes_rank {
            match SubstitutesRank::from_name(name) {
                Some(rank) => out.substitutes_rank = rank,
                None => errors.push(InvalidValue::new(
                    "logistics.substitutes_rank",
                    format!(
                        "must be one of {}, got '{name}'",
                        SubstitutesRank::NAMES.map(|n| format!("'{n}'")).join(", ")
                    ),
                )),
            }
        }
        self.resolve_substitutes(scenario, classes, &mut out, &mut errors);
        if let Some(v) = &self.vehicle {
            self.check_vehicle(v, &mut errors);
            out.vehicle = Some(v.clone());
        }
        if errors.is_empty() {
            Ok(out)
        } else {
            Err(Error::Invalid(errors))
        }
    }

    /// Pack size, volume and minimum load per item (`logistics.items[k]`).
    fn resolve_items(&self, scenario: &Scenario, out: &mut ResolvedLogistics, errors: &mut Vec<InvalidValue>) {
        let mut bad = |path: String, msg: String| errors.push(InvalidValue::new(path, msg));
        let mut seen = vec![false; scenario.items.len()];
        let ids = item_ids(scenario);
        for (k, il) in self.items.iter().enumerate() {
            let at = |f: &str| format!("logistics.items[{k}].{f}");
            let Some(&i) = ids.get(il.item.as_str()) else {
                bad(at("item"), format!("no item '{}' in the scenario", il.item));
                continue;
            };
            if std::mem::replace(&mut seen[i], true) {
                bad(at("item"), format!("item '{}' is listed twice", il.item));
            }
            if !(1..=MAX_PACK_SIZE).contains(&il.pack_size) {
                let msg = if il.pack_size < 1 {
                    format!("must be >= 1, got {}", il.pack_size)
                } else {
                    format!("must be <= {MAX_PACK_SIZE}, got {}", il.pack_size)
                };
                bad(at("pack_size"), msg);
            }
            if !(il.volume_l.is_finite() && il.volume_l >= 0.0) {
                bad(
                    at("volume_l"),
                    format!("must be a finite number >= 0, got {}", il.volume_l),
                );
            } else if il.volume_l != 0.0 && !(MIN_VOLUME_L..=MAX_LITRES).contains(&il.volume_l) {
                bad(
                    at("volume_l"),
                    format!(
                        "must be 0 or between {MIN_VOLUME_L:e} and {MAX_LITRES:e} litres, got {}",
                        compact(il.volume_l)
                    ),
                );
            }
            if !(0..=MAX_PACK_SIZE).contains(&il.min_packs) {
                bad(
                    at("min_packs"),
                    format!("must be >= 0 and <= {MAX_PACK_SIZE}, got {}", il.min_packs),
                );
            }
            out.pack_size[i] = il.pack_size.clamp(1, MAX_PACK_SIZE);
            out.volume_l[i] = if il.volume_l.is_finite() {
                il.volume_l.max(0.0)
            } else {
                0.0
            };
            out.min_packs[i] = il.min_packs.clamp(0, MAX_PACK_SIZE);
        }
    }

    /// Substitution rules (`logistics.substitutes[k]`).
    fn resolve_substitutes(
        &self,
        scenario: &Scenario,
        classes: &[String],
        out: &mut ResolvedLogistics,
        errors: &mut Vec<InvalidValue>,
    ) {
        let ids = item_ids(scenario);
        let index = |id: &str| ids.get(id).copied();
        let mut pairs = std::collections::HashSet::new();
        let mut bad = |path: String, msg: String| errors.push(InvalidValue::new(path, msg));
        for (k, s) in self.substitutes.iter().enumerate() {
            let at = |f: &str| format!("logistics.substitutes[{k}].{f}");
            let item = index(&s.item);
            let by = index(&s.by);
            if item.is_none() {
                bad(at("item"), format!("no item '{}' in the scenario", s.item));
            }
            if by.is_none() {
                bad(at("by"), format!("no item '{}' in the scenario", s.by));
            }
            if item.is_some() && item == by {
                bad(at("by"), format!("an item cannot substitute itself ('{}')", s.by));
            }
            if !(1..=MAX_PACK_SIZE).contains(&s.ratio) {
                bad(
                    at("ratio"),
                    format!("must be >= 1 and <= {MAX_PACK_SIZE}, got {}", s.ratio),
                );
            }
            let mut allowed = vec![s.classes.is_none(); classes.len()];
            if s.classes.as_ref().is_some_and(|c| c.is_empty()) {
                bad(
                    at("classes"),
                    "an empty list allows no class; list at least one, or leave the field out for every class".into(),
                );
            }
            for (j, c) in s.classes.iter().flatten().enumerate() {
                match classes.iter().position(|x| x == c) {
                    Some(ci) if allowed[ci] => bad(
                        format!("logistics.substitutes[{k}].classes[{j}]"),
                        format!("priority class '{c}' is listed twice"),
                    ),
                    Some(ci) => allowed[ci] = true,
                    None => bad(
                        format!("logistics.substitutes[{k}].classes[{j}]"),
                        format!("no priority class '{c}'"),
                    ),
                }
            }
            if let (Some(item), Some(by)) = (item, by) {
                if !pairs.insert((item, by)) {
                    bad(at("by"), format!("'{}' for '{}' is listed twice", s.by, s.item));
                }
                out.substitutes.push(ResolvedSubstitute {
                    item,
                    by,
                    ratio: s.ratio.clamp(1, MAX_PACK_SIZE),
                    classes: allowed,
                });
            }
        }
    }

    /// The vehicle, and every pack against its capacity (`logistics.vehicle`).
    fn check_vehicle(&self, v: &Vehicle, errors: &mut Vec<InvalidValue>) {
        let mut bad = |path: String, msg: String| errors.push(InvalidValue::new(path, msg));
        if !(v.capacity_l.is_finite() && v.capacity_l > 0.0) {
            bad(
                "logistics.vehicle.capacity_l".into(),
                format!("must be a finite number > 0, got {}", v.capacity_l),
            );
        } else if v.capacity_l > MAX_LITRES {
            bad(
                "logistics.vehicle.capacity_l".into(),
                format!("must be <= {MAX_LITRES:e} litres, got {}", compact(v.capacity_l)),
            );
        }
        if !(1..=1_000_000).contains(&v.cost_per_trip) {
            bad(
                "logistics.vehicle.cost_per_trip".into(),
                format!("must be >= 1 and <= 1000000, got {}", v.cost_per_trip),
            );
        }
        if let Some(m) = v.max_trips {
            if !(0..=1_000_000).contains(&m) {
                bad(
                    "logistics.vehicle.max_trips".into(),
                    format!("must be >= 0 and <= 1000000, got {m}"),
                );
            }
        }
        for (k, il) in self.items.iter().enumerate() {
            let pack_l = il.volume_l * il.pack_size as f64;
            let volume_ok = il.volume_l <= MAX_LITRES;
            if volume_ok && pack_l.is_finite() && v.capacity_l.is_finite() && pack_l > v.capacity_l {
                bad(
                    format!("logistics.items[{k}].volume_l"),
                    format!(
                        "one pack ({} l) does not fit the vehicle ({} l)",
                        compact(pack_l),
                        compact(v.capacity_l)
                    ),
                );
            }
        }
    }
}

/// The scenario's items by id: their index.
fn item_ids(scenario: &Scenario) -> std::collections::HashMap<&str, usize> {
    scenario
        .items
        .iter()
        .enumerate()
        .map(|(i, it)| (it.id.as_str(), i))
        .collect()
}
