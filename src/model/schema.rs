//! The input schema as data: one row per field with its type, unit, default, range
//! and description. The same table drives the value checks in validation, the CSV
//! column checks and the field reference in `docs/input-formats.md` (a test keeps the
//! document in step with [`markdown`]).

/// The value type of a field.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum FieldKind {
    /// Free text.
    Text,
    /// A unique, non-empty identifier without surrounding spaces.
    Id,
    /// The id of a row of another table (the table's name).
    Reference(&'static str),
    /// A whole number (`i64`).
    Integer,
    /// A number (`f64`, finite).
    Number,
    /// One of a fixed list of words.
    Choice(&'static [&'static str]),
    /// `true` or `false`.
    Boolean,
}

/// The allowed range of a number.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Range {
    /// Any finite value.
    Any,
    /// `>= 0`.
    NonNegative,
    /// `> 0`.
    Positive,
    /// `>= the bound`.
    AtLeast(f64),
    /// `lo <= value <= hi`.
    Between(f64, f64),
}

impl Range {
    /// The problem with `value`, if any, as `must be >= 0, got -5`.
    pub fn check_f64(self, value: f64) -> Option<String> {
        if !value.is_finite() {
            return Some(format!(
                "must be a finite number, got {}",
                crate::limits::compact(value)
            ));
        }
        let ok = match self {
            Range::Any => true,
            Range::NonNegative => value >= 0.0,
            Range::Positive => value > 0.0,
            Range::AtLeast(lo) => value >= lo,
            Range::Between(lo, hi) => (lo..=hi).contains(&value),
        };
        (!ok).then(|| format!("{}, got {}", self.describe(), crate::limits::compact(value)))
    }

    /// The problem with a whole-number `value`, if any.
    pub fn check_i64(self, value: i64) -> Option<String> {
        let ok = match self {
            Range::Any => true,
            Range::NonNegative => value >= 0,
            Range::Positive => value > 0,
            Range::AtLeast(lo) => value as f64 >= lo,
            Range::Between(lo, hi) => (lo..=hi).contains(&(value as f64)),
        };
        (!ok).then(|| format!("{}, got {value}", self.describe()))
    }

    /// `must be >= 0` and so on.
    pub fn describe(self) -> String {
        match self {
            Range::Any => "must be a finite number".into(),
            Range::NonNegative => "must be >= 0".into(),
            Range::Positive => "must be > 0".into(),
            Range::AtLeast(lo) => format!("must be >= {lo}"),
            Range::Between(lo, hi) => format!("must be between {lo} and {hi}"),
        }
    }

    fn doc(self) -> String {
        match self {
            Range::Any => String::new(),
            Range::NonNegative => "≥ 0".into(),
            Range::Positive => "> 0".into(),
            Range::AtLeast(lo) => format!("≥ {lo}"),
            Range::Between(lo, hi) => format!("{lo} … {hi}"),
        }
    }
}

/// One field of one input table.
#[derive(Clone, Copy, Debug)]
pub struct FieldSpec {
    /// Table: `parameters`, `priority_classes`, `sites`, `items`, `status`,
    /// `deliveries`, `need_split`, `lanes`, `distances`.
    pub table: &'static str,
    /// Field (JSON key and CSV column).
    pub field: &'static str,
    /// Value type.
    pub kind: FieldKind,
    /// Unit of measure (empty for none).
    pub unit: &'static str,
    /// Default when absent or empty; `None` = required.
    pub default: Option<&'static str>,
    /// Allowed range of numbers.
    pub range: Range,
    /// What the field means.
    pub description: &'static str,
}

const KINDS: &[&str] = &[
    "municipality",
    "region",
    "private-provider",
    "transshipment-point",
    "national-warehouse",
];

macro_rules! f {
    ($t:expr, $f:expr, $k:expr, $u:expr, $d:expr, $r:expr, $desc:expr) => {
        FieldSpec {
            table: $t,
            field: $f,
            kind: $k,
            unit: $u,
            default: $d,
            range: $r,
            description: $desc,
        }
    };
}

use FieldKind::*;
use Range::*;

/// Every input field. Order within a table is the CSV column order of the writer.
pub const FIELDS: &[FieldSpec] = &[
    f!("scenario", "name", Text, "", Some("empty"), Any, "Name shown in reports (CSV: a row of parameters.csv)."),
    f!("scenario", "synthetic", Boolean, "", Some("false"), Any, "True when stock, consumption or needs are synthetic; reports say so (CSV: a row of parameters.csv)."),
    f!("scenario", "note", Text, "", Some("none"), Any, "Sources and assumptions (CSV: a row of parameters.csv)."),
    f!("parameters", "acute_window_hours", Number, "h", Some("48"), Positive, "Acute window: acute need is the shortfall within it."),
    f!("parameters", "horizon_days", Number, "days", Some("7"), Positive, "Planning horizon: planning need is the shortfall within it (includes the acute need). Must be at least the acute window."),
    f!("parameters", "detour_factor", Number, "", Some("1.3"), AtLeast(1.0), "Road distance ÷ great-circle distance, for lanes without a given distance."),
    f!("parameters", "reserve_days", Number, "days", Some("0"), NonNegative, "Reserve for status rows without their own `reserve_days`."),
    f!("parameters", "default_priority", Reference("priority_classes"), "", Some("the lowest class"), Any, "Priority class of needs without a split."),
    f!("priority_classes", "id", Id, "", None, Any, "Class id. Classes are listed highest priority first (CSV: row order)."),
    f!("priority_classes", "name", Text, "", None, Any, "Display name."),
    f!("sites", "id", Id, "", None, Any, "Site id, e.g. the municipality code `1980`."),
    f!("sites", "name", Text, "", None, Any, "Display name."),
    f!("sites", "kind", Choice(KINDS), "", None, Any, "Kind of actor. National warehouses are not in the default lanes."),
    f!("sites", "county", Text, "", None, Any, "County code, e.g. `19`; default lanes join the sites of one county."),
    f!("sites", "lat", Number, "degrees (WGS84)", None, Between(-90.0, 90.0), "Latitude."),
    f!("sites", "lon", Number, "degrees (WGS84)", None, Between(-180.0, 180.0), "Longitude."),
    f!("sites", "hub", Boolean, "", Some("false"), Any, "Whether stock may pass through the site in the county round (received, then sent on). Transshipment points always forward; other sites only when this is true."),
    f!("items", "id", Id, "", None, Any, "Item id, e.g. `ffp2`."),
    f!("items", "name", Text, "", None, Any, "Display name."),
    f!("items", "unit", Choice(&["pieces", "litres"]), "", None, Any, "Unit; all quantities of the item are whole units."),
    f!("status", "site", Reference("sites"), "", None, Any, "Reporting site. One row per site and item at most; a missing pair means no stock and no need."),
    f!("status", "item", Reference("items"), "", None, Any, "Item."),
    f!("status", "stock", Integer, "units", None, NonNegative, "Stock on hand now."),
    f!("status", "consumption_per_day", Number, "units/day", None, NonNegative, "Own consumption (may be fractional)."),
    f!("status", "reserve_days", Number, "days", Some("parameters.reserve_days"), NonNegative, "Days of own consumption the site keeps when it donates: a donor is never taken below its acute-window requirement plus this reserve."),
    f!("status", "acute_need", Integer, "units", Some("derived"), NonNegative, "Explicit acute need. Derived: shortfall within the acute window from stock, consumption and deliveries, rounded up."),
    f!("status", "planning_need", Integer, "units", Some("derived"), NonNegative, "Explicit planning need (within the horizon, includes the acute need). Derived like the acute need. Must be >= the acute need."),
    f!("status", "priority", Reference("priority_classes"), "", Some("parameters.default_priority"), Any, "The one class of the whole need (CSV; JSON: `split: {\"class\": ID}`). Not together with need_split rows."),
    f!("deliveries", "site", Reference("sites"), "", None, Any, "Receiving site (must have a status row for the item)."),
    f!("deliveries", "item", Reference("items"), "", None, Any, "Item."),
    f!("deliveries", "day", Number, "days from now", None, NonNegative, "Arrival; 0 = now. A delivery only covers consumption after it arrives."),
    f!("deliveries", "quantity", Integer, "units", None, NonNegative, "Quantity expected."),
    f!("need_split", "site", Reference("sites"), "", None, Any, "Site (must have a status row for the item)."),
    f!("need_split", "item", Reference("items"), "", None, Any, "Item."),
    f!("need_split", "class", Reference("priority_classes"), "", None, Any, "Priority class."),
    f!("need_split", "share", Number, "fraction", Some("none"), Between(0.0, 1.0), "Share of the need in this class; the shares of one site and item sum to 1. Give either shares or acute/planning quantities for all rows of a site and item."),
    f!("need_split", "acute", Integer, "units", Some("none"), NonNegative, "Explicit acute need of this class."),
    f!("need_split", "planning", Integer, "units", Some("none"), NonNegative, "Explicit planning need of this class (includes its acute need)."),
    f!("lanes", "from", Reference("sites"), "", None, Any, "Shipping site. Without any lanes (no lanes.csv, no `lanes` key) every ordered pair of distinct sites of one county is a lane, national warehouses excepted."),
    f!("lanes", "to", Reference("sites"), "", None, Any, "Receiving site (not `from`)."),
    f!("lanes", "km", Number, "km", Some("distances, else great-circle × detour_factor"), NonNegative, "Distance of the lane."),
    f!("lanes", "capacity", Integer, "units per item", Some("no limit"), NonNegative, "Most units of each item over the lane in this round."),
    f!("distances", "from", Reference("sites"), "", None, Any, "Site."),
    f!("distances", "to", Reference("sites"), "", None, Any, "Site (not `from`). An entry holds for both directions unless the reverse pair has its own."),
    f!("distances", "km", Number, "km", None, NonNegative, "Distance (e.g. by road)."),
];

/// The spec of `table.field`, if it exists.
pub fn field(table: &str, name: &str) -> Option<&'static FieldSpec> {
    FIELDS.iter().find(|f| f.table == table && f.field == name)
}

/// The fields of `table`, in order.
pub fn table_fields(table: &str) -> impl Iterator<Item = &'static FieldSpec> + '_ {
    FIELDS.iter().filter(move |f| f.table == table)
}

/// The range of `table.field` (`Range::Any` for unknown fields).
pub fn range(table: &str, name: &str) -> Range {
    field(table, name).map_or(Range::Any, |f| f.range)
}

fn kind_doc(kind: FieldKind) -> String {
    match kind {
        Text => "text".into(),
        Id => "id".into(),
        Reference(t) => format!("id of {t}"),
        Integer => "integer".into(),
        Number => "number".into(),
        Choice(words) => words.iter().map(|w| format!("`{w}`")).collect::<Vec<_>>().join(" \\| "),
        Boolean => "true/false".into(),
    }
}

/// The field reference as Markdown tables, one per input table (this is the generated
/// part of `docs/input-formats.md`).
pub fn markdown() -> String {
    let mut out = String::new();
    let mut tables: Vec<&str> = Vec::new();
    for f in FIELDS {
        if !tables.contains(&f.table) {
            tables.push(f.table);
        }
    }
    for table in tables {
        out.push_str(&format!("### `{table}`\n\n"));
        out.push_str("| field | type | unit | default | range | meaning |\n|---|---|---|---|---|---|\n");
        for f in table_fields(table) {
            out.push_str(&format!(
                "| `{}` | {} | {} | {} | {} | {} |\n",
                f.field,
                kind_doc(f.kind),
                f.unit,
                f.default.unwrap_or("**required**"),
                f.range.doc(),
                f.description
            ));
        }
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_name_the_bound_and_the_value() {
        assert_eq!(
            Range::NonNegative.check_i64(-5).as_deref(),
            Some("must be >= 0, got -5")
        );
        assert_eq!(Range::Positive.check_f64(0.0).as_deref(), Some("must be > 0, got 0"));
        assert_eq!(
            Range::Between(-90.0, 90.0).check_f64(91.0).as_deref(),
            Some("must be between -90 and 90, got 91")
        );
        assert_eq!(
            Range::Any.check_f64(f64::NAN).as_deref(),
            Some("must be a finite number, got NaN")
        );
        assert_eq!(Range::NonNegative.check_i64(0), None);
    }

    #[test]
    fn fields_are_unique() {
        for (i, a) in FIELDS.iter().enumerate() {
            for b in &FIELDS[i + 1..] {
                assert!(
                    !(a.table == b.table && a.field == b.field),
                    "{}.{} twice",
                    a.table,
                    a.field
                );
            }
        }
    }
}
