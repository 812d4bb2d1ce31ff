//! [`Column`]: the values of one result column, typed; text dictionary-encoded.

use crate::limits::compact;
use rustc_hash::FxHashMap;

/// Text dictionary-encoded: row `r` is `labels[codes[r]]`; a code of -1 is a missing
/// value.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Labels {
    /// One code per row, an index into `labels`, or -1.
    pub codes: Vec<i32>,
    /// The distinct texts: in order of first appearance for a text column, the whole
    /// ordered set for a category column.
    pub labels: Vec<String>,
}

impl Labels {
    /// The text of row `row`, `None` when missing.
    pub fn get(&self, row: usize) -> Option<&str> {
        let code = usize::try_from(*self.codes.get(row)?).ok()?;
        self.labels.get(code).map(String::as_str)
    }
}

/// The values of one column.
#[derive(Clone, Debug, PartialEq)]
pub enum Column {
    /// Whole numbers.
    Int(Vec<i64>),
    /// Whole numbers, some missing.
    OptInt(Vec<Option<i64>>),
    /// Real numbers; NaN is a missing value.
    Float(Vec<f64>),
    /// true / false.
    Bool(Vec<bool>),
    /// Text, dictionary-encoded.
    Text(Labels),
}

impl Column {
    /// Number of rows.
    pub fn len(&self) -> usize {
        match self {
            Column::Int(v) => v.len(),
            Column::OptInt(v) => v.len(),
            Column::Float(v) => v.len(),
            Column::Bool(v) => v.len(),
            Column::Text(l) => l.codes.len(),
        }
    }

    /// True when the column has no rows.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Whole numbers.
    pub fn ints(values: impl Iterator<Item = i64>) -> Column {
        Column::Int(values.collect())
    }

    /// Real numbers.
    pub fn floats(values: impl Iterator<Item = f64>) -> Column {
        Column::Float(values.collect())
    }

    /// Text, encoded with labels in order of first appearance.
    pub fn text<'s>(values: impl Iterator<Item = &'s str>) -> Column {
        Column::opt_text(values.map(Some))
    }

    /// Text with missing values, encoded with labels in order of first appearance.
    pub fn opt_text<'s>(values: impl Iterator<Item = Option<&'s str>>) -> Column {
        let mut index: FxHashMap<&str, i32> = FxHashMap::default();
        let mut labels: Vec<&str> = Vec::new();
        let mut previous: Option<(&str, i32)> = None; // rows often come in runs of one label
        let codes = values
            .map(|v| match (v, previous) {
                (None, _) => -1,
                (Some(label), Some((last, code))) if label == last => code,
                (Some(label), _) => {
                    let code = *index.entry(label).or_insert_with(|| {
                        labels.push(label);
                        (labels.len() - 1) as i32
                    });
                    previous = Some((label, code));
                    code
                }
            })
            .collect();
        Column::Text(Labels {
            codes,
            labels: labels.into_iter().map(str::to_string).collect(),
        })
    }

    /// A column over a closed, ordered set of `labels`, given each row's position in
    /// it (`None`, or a position outside the set: missing).
    pub fn closed<S: ToString>(labels: &[S], positions: impl Iterator<Item = Option<usize>>) -> Column {
        let n = labels.len();
        let codes = positions
            .map(|p| p.filter(|&p| p < n).and_then(|p| i32::try_from(p).ok()).unwrap_or(-1))
            .collect();
        Column::Text(Labels {
            codes,
            labels: labels.iter().map(ToString::to_string).collect(),
        })
    }

    /// A column over a closed set given each row's label (linear search: the sets are
    /// small).
    pub fn closed_by_label<'s, S: AsRef<str> + ToString>(
        labels: &[S],
        values: impl Iterator<Item = Option<&'s str>>,
    ) -> Column {
        Column::closed(
            labels,
            values.map(|v| v.and_then(|v| labels.iter().position(|l| l.as_ref() == v))),
        )
    }

    /// Row `row` as CSV text: integers in full, floats with `decimals` decimals or
    /// else the shortest text that reads back exactly (`12` for 12.0), booleans as
    /// `true`/`false`, missing values (NaN for floats, and rows out of range) empty.
    /// A float of magnitude 1e16 or more, or a float without decimals below 1e-6 (not
    /// 0), is the shortest exact text in exponent notation ([`compact`]: `1e300`,
    /// `2.5e-7`) instead of hundreds of digits.
    ///
    /// ```
    /// use allocnet::tables::Column;
    /// let c = Column::Float(vec![0.25, 1e300, 2.5e-7]);
    /// assert_eq!(c.cell(0, None), "0.25");
    /// assert_eq!(c.cell(1, Some(2)), "1e300");
    /// assert_eq!(c.cell(2, None), "2.5e-7");
    /// assert_eq!(c.cell(2, Some(2)), "0.00");
    /// ```
    pub fn cell(&self, row: usize, decimals: Option<u8>) -> String {
        match self {
            Column::Int(v) => v.get(row).map(ToString::to_string).unwrap_or_default(),
            Column::OptInt(v) => v.get(row).copied().flatten().map(|x| x.to_string()).unwrap_or_default(),
            Column::Float(v) => match (v.get(row), decimals) {
                (Some(x), _) if x.is_nan() => String::new(),
                (Some(x), Some(d)) if x.abs() < 1e16 => format!("{x:.*}", usize::from(d)),
                (Some(x), _) => compact(*x),
                (None, _) => String::new(),
            },
            Column::Bool(v) => v.get(row).map(ToString::to_string).unwrap_or_default(),
            Column::Text(l) => l.get(row).unwrap_or_default().to_string(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_coded_in_order_of_first_appearance() {
        let Column::Text(l) = Column::opt_text(["b", "b", "a", "b"].into_iter().map(Some).chain([None])) else {
            panic!("not text")
        };
        assert_eq!(l.labels, ["b", "a"]);
        assert_eq!(l.codes, [0, 0, 1, 0, -1]);
        assert_eq!(l.get(2), Some("a"));
        assert_eq!(l.get(4), None);
    }

    #[test]
    fn closed_set_keeps_its_order_and_marks_unknown_missing() {
        let c = Column::closed_by_label(
            &["acute", "planning"],
            [Some("planning"), Some("other"), None].into_iter(),
        );
        assert_eq!(c.cell(0, None), "planning");
        assert_eq!(c.cell(1, None), "");
        let Column::Text(l) = c else { panic!("not text") };
        assert_eq!(l.codes, [1, -1, -1]);
    }

    #[test]
    fn cells_follow_the_dtype() {
        assert_eq!(Column::Float(vec![12.0, 0.26]).cell(0, None), "12");
        assert_eq!(Column::Float(vec![12.0, 0.26]).cell(1, Some(1)), "0.3");
        assert_eq!(Column::Float(vec![1.0 / 3.0]).cell(0, Some(4)), "0.3333");
        assert_eq!(Column::OptInt(vec![None, Some(-3)]).cell(1, None), "-3");
        assert_eq!(Column::OptInt(vec![None]).cell(0, None), "");
        assert_eq!(Column::Bool(vec![true]).cell(0, None), "true");
    }

    #[test]
    fn extreme_floats_are_short_and_read_back_exactly() {
        let extreme = [
            1e300,
            -1e300,
            f64::MAX,
            f64::MIN_POSITIVE,
            5e-324,
            1e-300,
            2.5e-7,
            1e16,
            -123_456_789_012_345_680.0,
        ];
        let column = Column::Float(extreme.to_vec());
        for (row, &x) in extreme.iter().enumerate() {
            let text = column.cell(row, None);
            assert!(text.contains('e') && text.len() <= 24, "{x}: {text}");
            assert_eq!(text.parse::<f64>().unwrap().to_bits(), x.to_bits(), "{text}");
            if x.abs() >= 1e16 {
                assert_eq!(column.cell(row, Some(2)), text); // whole numbers: no decimals to show
            }
        }
        let special = Column::Float(vec![f64::INFINITY, f64::NEG_INFINITY, 0.0, -0.0, 1e-7]);
        let cells: Vec<String> = (0..5).map(|r| special.cell(r, Some(1))).collect();
        assert_eq!(cells, ["inf", "-inf", "0.0", "-0.0", "0.0"]);
        assert_eq!(special.cell(0, None), "inf");
        assert_eq!(special.cell(2, None), "0");
    }

    proptest::proptest! {
        /// Ordinary figures (magnitude in [1e-6, 1e16)) are written as before: Rust's
        /// shortest plain text, or fixed decimals.
        #[test]
        fn ordinary_floats_are_written_as_plain_decimals(
            mantissa in 1.0f64..10.0,
            exponent in -6i32..16,
            negative: bool,
            decimals in 0u8..7,
        ) {
            let x = mantissa * 10f64.powi(exponent) * if negative { -1.0 } else { 1.0 };
            proptest::prop_assume!((1e-6..1e16).contains(&x.abs()));
            let column = Column::Float(vec![x]);
            proptest::prop_assert_eq!(column.cell(0, None), x.to_string());
            proptest::prop_assert_eq!(column.cell(0, Some(decimals)), format!("{x:.*}", usize::from(decimals)));
        }
    }
}
