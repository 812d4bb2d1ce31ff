//! The JSON path (`lookahead.lead_days[0].lead_days`) of the place where serde_json
//! stopped, so that a parse error of a typed reader names the field, not only the
//! line and column. [`parse_json`] is the one typed JSON reader of the crate.

use crate::error::{Error, Result};

/// The path of an error at the top of a document whose reader has no root name.
const TOP_LEVEL: &str = "(top level)";

/// Parses `text` (a leading byte order mark skipped) as a `T`. A syntax error or a
/// value of the wrong type is an [`Error::Parse`] naming `source_name` and the line,
/// whose message starts with the path of the value under `root` (`""`: paths such as
/// `sites[1].lat`, as the reader's value checks name them; `"logistics"`:
/// `logistics.items[0].pack_size`), then serde's own message with the column. A struct
/// is read only from a JSON object: an array of its fields in order, which serde's
/// derived readers would take, is a type error too.
///
/// ```
/// use allocnet::json_path::parse_json;
/// #[derive(serde::Deserialize)]
/// struct Item { pack_size: u32 }
/// #[derive(serde::Deserialize)]
/// struct Data { items: Vec<Item> }
/// let text = "{\"items\": [{\"pack_size\": 1},\n {\"pack_size\": \"x\"}]}";
/// let err = parse_json::<Data>(text, "data.json", "data").err().unwrap();
/// assert!(err.to_string().starts_with("data.json line 2: data.items[1].pack_size: invalid type"), "{err}");
/// let err = parse_json::<Data>("{\"items\": [[1]]}", "data.json", "data").err().unwrap();
/// assert!(err.to_string().contains("data.items[0]: invalid type: sequence, expected struct Item"), "{err}");
/// ```
pub fn parse_json<T: serde::de::DeserializeOwned>(text: &str, source_name: &str, root: &str) -> Result<T> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    crate::json_objects::from_str(text).map_err(|e| Error::Parse {
        source_name: source_name.to_string(),
        line: e.line(),
        message: format!("{}: {e}", error_path(text, &e, root)),
    })
}

/// The path of `error`, serde_json's error reading `text`, under `root` (`(top level)`
/// for an error at the top of a document whose reader has no root name).
pub(crate) fn error_path(text: &str, error: &serde_json::Error, root: &str) -> String {
    let path = path_at(text, error.line(), error.column(), root);
    if path.is_empty() {
        TOP_LEVEL.to_string()
    } else {
        path
    }
}

/// One open object or array on the way to the error.
enum Frame {
    /// An object: the key of the member being read, and whether a key comes next.
    Object { key: Option<String>, expect_key: bool },
    /// An array: the index of the element being read.
    Array(usize),
}

/// The path, under `root`, of the value serde_json was reading when it reported an
/// error at 1-based `line` and `column` (bytes) of `text`: the member or element
/// whose key or value ends there, or the object or array that just closed there
/// (a missing field). `root` alone when the error is at the top. An empty `root` gives
/// paths without a leading dot (`sites[1].lat`).
pub(crate) fn path_at(text: &str, line: usize, column: usize, root: &str) -> String {
    let start = if line <= 1 {
        0
    } else {
        text.match_indices('\n')
            .nth(line - 2)
            .map_or(text.len(), |(i, _)| i + 1)
    };
    let end = (start + column).min(text.len());
    let mut stack: Vec<Frame> = Vec::new();
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < end {
        match bytes[i] {
            b'{' => stack.push(Frame::Object {
                key: None,
                expect_key: true,
            }),
            b'[' => stack.push(Frame::Array(0)),
            b'}' | b']' => {
                stack.pop();
            }
            b',' => match stack.last_mut() {
                Some(Frame::Array(index)) => *index += 1,
                Some(Frame::Object { expect_key, .. }) => *expect_key = true,
                None => {}
            },
            b'"' => {
                let (string, next) = read_string(bytes, i + 1, end);
                if let Some(Frame::Object { key, expect_key }) = stack.last_mut() {
                    if *expect_key {
                        *key = Some(string);
                        *expect_key = false;
                    }
                }
                i = next;
                continue;
            }
            _ => {}
        }
        i += 1;
    }
    let mut path = root.to_string();
    for frame in &stack {
        match frame {
            Frame::Object { key: Some(key), .. } => {
                if !path.is_empty() {
                    path.push('.');
                }
                path.push_str(key);
            }
            Frame::Object { key: None, .. } => {}
            Frame::Array(index) => path.push_str(&format!("[{index}]")),
        }
    }
    path
}

/// The string whose text starts at `from` (after its opening quote), read up to its
/// closing quote or `end`, and the index after it. Escapes are kept as written but
/// for `\"` and `\\`.
fn read_string(bytes: &[u8], from: usize, end: usize) -> (String, usize) {
    let mut out = Vec::new();
    let mut i = from;
    while i < end {
        match bytes[i] {
            b'"' => return (String::from_utf8_lossy(&out).into_owned(), i + 1),
            b'\\' if i + 1 < end => {
                out.push(bytes[i + 1]);
                i += 2;
            }
            b => {
                out.push(b);
                i += 1;
            }
        }
    }
    (String::from_utf8_lossy(&out).into_owned(), end)
}

#[cfg(test)]
mod tests {
    use super::path_at;

    /// The path serde_json's own error position leads to, for a typed read.
    fn path_of_error<T: serde::de::DeserializeOwned + std::fmt::Debug>(text: &str) -> String {
        let err = serde_json::from_str::<T>(text).unwrap_err();
        path_at(text, err.line(), err.column(), "root")
    }

    #[derive(Debug, serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Lead {
        from: String,
        lead_days: u32,
    }

    #[derive(Debug, serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Options {
        #[serde(default)]
        start: String,
        #[serde(default)]
        lead_days: Vec<Lead>,
    }

    #[test]
    fn serde_errors_are_placed_at_the_field() {
        let cases = [
            (r#"{"lead_days": [{"from": "a", "lead_days": -1}]}"#, "root.lead_days[0].lead_days"),
            (
                "{\"start\": \"x\",\n \"lead_days\": [{\"from\": \"a\", \"lead_days\": 1},\n  {\"from\": 2, \"lead_days\": 1}]}",
                "root.lead_days[1].from",
            ),
            (r#"{"lead_days": [{"from": "a"}]}"#, "root.lead_days[0]"),
            (r#"{"start": 3}"#, "root.start"),
            (r#"{"bogus": 1}"#, "root.bogus"),
            (r#"{"lead_days": 3}"#, "root.lead_days"),
            (r#"{"start": "a\"b\\", "lead_days": [{"from": "a", "lead_days": 1.5}]}"#, "root.lead_days[0].lead_days"),
            (r#"{"lead_days": [{"from": "a", "lead_days": NaN}]}"#, "root.lead_days[0].lead_days"),
            ("3", "root"),
        ];
        for (text, path) in cases {
            assert_eq!(path_of_error::<Options>(text), path, "{text}");
        }
    }

    #[test]
    fn an_empty_root_gives_paths_without_a_leading_dot() {
        let text = r#"{"lead_days": [{"from": "a", "lead_days": -1}]}"#;
        let err = serde_json::from_str::<Options>(text).unwrap_err();
        assert_eq!(path_at(text, err.line(), err.column(), ""), "lead_days[0].lead_days");
        let err = serde_json::from_str::<Options>("3").unwrap_err();
        assert_eq!(super::error_path("3", &err, ""), "(top level)");
    }

    #[test]
    fn parse_json_names_the_path_and_keeps_line_and_column() {
        let text = "\u{feff}{\"start\": \"x\",\n \"lead_days\": [{\"from\": \"a\", \"lead_days\": 1},\n  {\"from\": \"b\", \"lead_days\": \"x\"}]}";
        let err = super::parse_json::<Options>(text, "o.json", "root").unwrap_err();
        let crate::Error::Parse {
            source_name,
            line,
            message,
        } = err
        else {
            panic!("not a parse error: {err}")
        };
        assert_eq!((source_name.as_str(), line), ("o.json", 3));
        assert!(
            message
                .starts_with("root.lead_days[1].lead_days: invalid type: string \"x\", expected u32 at line 3 column"),
            "{message}"
        );
    }

    #[test]
    fn positions_beyond_the_text_are_cut_to_it() {
        assert_eq!(path_at("{\"a\": [1", 9, 900, "r"), "r.a[0]");
        assert_eq!(path_at("", 1, 1, "r"), "r");
    }
}
