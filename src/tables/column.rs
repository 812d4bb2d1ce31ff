//! [`Column`]: the values of one result column, typed; text dictionary-encoded.

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
    pub fn cell(&self, row: usize, decimals: Option<u8>) -> String {
        match self {
            Column::Int(v) => v.get(row).map(ToString::to_string).unwrap_or_default(),
            Column::OptInt(v) => v.get(row).copied().flatten().map(|x| x.to_string()).unwrap_or_default(),
            Column::Float(v) => match (v.get(row), decimals) {
                (Some(x), _) if x.is_nan() => String::new(),
                (Some(x), Some(d)) => format!("{x:.*}", usize::from(d)),
                (Some(x), None) => x.to_string(),
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
}
