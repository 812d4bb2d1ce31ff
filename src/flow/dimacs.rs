//! The DIMACS min-cost flow format: a fast reader and a writer.
//!
//! The format (from the first DIMACS implementation challenge) is line based:
//!
//! ```text
//! c any comment
//! p min NODES ARCS
//! n ID FLOW
//! a SRC DST LOW CAP COST
//! ```
//!
//! * `c` lines are comments (any line whose first non-blank character is `c`); blank
//!   lines are allowed anywhere.
//! * Exactly one `p min NODES ARCS` line, before any `n` or `a` line.
//! * `n ID FLOW`: node `ID` (1-based, `1..=NODES`) has supply `FLOW` — positive for a
//!   source, negative for a demand. At most one `n` line per node; nodes without one have
//!   supply 0.
//! * `a SRC DST LOW CAP COST`: an arc from `SRC` to `DST` (1-based) with lower bound
//!   `LOW`, capacity `CAP` and unit cost `COST`. Exactly `ARCS` of them; their order is
//!   the arc order of the [`Network`] (arc `k` is the `k+1`-th `a` line).
//! * Every number is a decimal integer in `-9223372036854775807..=9223372036854775807`
//!   (`i64` without `i64::MIN`, whose negation overflows). A capacity of
//!   `9223372036854775807` (`i64::MAX`) means **no limit**: it is read as
//!   [`INFINITE`], and the writer writes [`INFINITE`] that way.
//!
//! Every malformed input is an [`Error::Parse`] naming the 1-based line and what was
//! expected and found. Node ids are converted to 0-based indices.
//!
//! ```
//! use allocnet::flow::dimacs::{read_dimacs, write_dimacs};
//! let text = "c two nodes\np min 2 1\nn 1 5\nn 2 -5\na 1 2 0 10 3\n";
//! let net = read_dimacs(text.as_bytes(), "example.min").unwrap();
//! assert_eq!(net.supplies(), &[5, -5]);
//! assert_eq!((net.tails()[0], net.heads()[0], net.upper()[0], net.costs()[0]), (0, 1, 10, 3));
//!
//! let mut out = Vec::new();
//! write_dimacs(&net, &mut out).unwrap();
//! assert_eq!(read_dimacs(&out[..], "again").unwrap(), net);
//!
//! let err = read_dimacs("p min 2 1\na 1 3 0 10 3\n".as_bytes(), "bad.min").unwrap_err();
//! assert_eq!(err.to_string(), "bad.min line 2: expected DST as a node id in 1..=2 (2 nodes declared on line 1), found `3`");
//! ```

use super::network::{Network, INFINITE};
use super::solution::{FlowSolution, Status};
use crate::error::{Error, Result};
use crate::limits::memory_problem;
use std::fs::File;
use std::io::{self, BufRead, BufReader, BufWriter, Write};
use std::path::Path;

/// The largest number of nodes or arcs a [`Network`] supports.
const MAX_COUNT: usize = (u32::MAX as usize) - 1;

/// Bytes per declared node and per declared arc while a problem is read and solved
/// (the parsed arrays and the network simplex's, which briefly coexist): what the `p`
/// line is checked against before anything is allocated (see [`crate::limits`]).
const NODE_BYTES: u128 = 96;
/// See [`NODE_BYTES`].
const ARC_BYTES: u128 = 96;

/// Reads a DIMACS min-cost flow problem from `reader`.
///
/// `source_name` (a file name or other label) is used in error messages. A read error
/// is an [`Error::Io`] with `source_name` as its path; malformed content is an
/// [`Error::Parse`] naming the line. The result passes [`Network::validate`].
///
/// Parsing works on bytes without allocating per line: a 1M-arc file (about 25 MB)
/// reads in well under a second in a release build.
pub fn read_dimacs<R: BufRead>(mut reader: R, source_name: &str) -> Result<Network> {
    let mut parser = Parser::new(source_name);
    let mut buf = Vec::with_capacity(128);
    loop {
        buf.clear();
        let read = reader.read_until(b'\n', &mut buf).map_err(|source| Error::Io {
            path: source_name.to_string(),
            source,
        })?;
        if read == 0 {
            break;
        }
        parser.line(&buf)?;
    }
    parser.finish()
}

/// Reads a DIMACS min-cost flow file; errors name the file (see [`read_dimacs`]).
pub fn read_dimacs_file(path: impl AsRef<Path>) -> Result<Network> {
    let path = path.as_ref();
    let name = path.display().to_string();
    let file = File::open(path).map_err(|source| Error::Io {
        path: name.clone(),
        source,
    })?;
    read_dimacs(BufReader::with_capacity(1 << 16, file), &name)
}

/// An engine's error about a network read from the DIMACS file `path`, told in the
/// file's terms: an arc or node the error names by its 0-based index (`arc 3`,
/// `node 0 (supply)`) becomes the 1-based number as written, with the line of that
/// `a` line (the `n` line of the node, else the `p` line); an error about the largest
/// cost points at the first `a` line with that cost. Other errors are returned as they
/// are.
pub fn locate_error(error: Error, path: &Path) -> Error {
    let (prefix, message) = match &error {
        Error::Overflow(m) => ("integer overflow: ", m.clone()),
        Error::Invalid(values) if values.len() == 1 => ("", values[0].to_string()),
        _ => return error,
    };
    let Ok(text) = std::fs::read(path) else {
        return error;
    };
    let place = leading_index(&message, "arc ")
        .map(|(a, rest)| (Target::Arc(a), format!("arc {}{rest}", a + 1)))
        .or_else(|| {
            leading_index(&message, "node ").map(|(v, rest)| (Target::Node(v), format!("node {}{rest}", v + 1)))
        })
        .or_else(|| leading_index(&message, "costs up to ").map(|(c, _)| (Target::Cost(c), message.clone())));
    let Some((target, told)) = place else {
        return error;
    };
    match find_line(&text, target) {
        Some(line) => Error::Parse {
            source_name: path.display().to_string(),
            line,
            message: format!("{prefix}{told}"),
        },
        None => error,
    }
}

/// What [`locate_error`] looks for.
#[derive(Clone, Copy)]
enum Target {
    /// The `a` line of 0-based arc k.
    Arc(u64),
    /// The `n` line of 0-based node v (else the `p` line).
    Node(u64),
    /// The first `a` line whose |COST| is this.
    Cost(u64),
}

/// `message` starting with `word` and a number: the number and what follows it.
fn leading_index<'m>(message: &'m str, word: &str) -> Option<(u64, &'m str)> {
    let rest = message.strip_prefix(word)?;
    let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
    Some((rest[..digits].parse().ok()?, &rest[digits..]))
}

/// The 1-based line of `target` in the DIMACS text.
fn find_line(text: &[u8], target: Target) -> Option<usize> {
    let mut arcs = 0u64;
    let mut problem_line = None;
    for (i, line) in text.split(|&b| b == b'\n').enumerate() {
        let mut fields = line.split(u8::is_ascii_whitespace).filter(|f| !f.is_empty());
        let kind = fields.next().map(|f| f.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(f));
        let number = |f: Option<&[u8]>| f.and_then(|f| parse_i64(f).ok());
        match (kind, target) {
            (Some(b"p"), _) => problem_line = Some(i + 1),
            (Some(b"a"), Target::Arc(k)) => {
                if arcs == k {
                    return Some(i + 1);
                }
                arcs += 1;
            }
            (Some(b"a"), Target::Cost(c)) if number(fields.nth(4)).map(i64::unsigned_abs) == Some(c) => {
                return Some(i + 1);
            }
            (Some(b"n"), Target::Node(v)) if number(fields.next()) == i64::try_from(v + 1).ok() => {
                return Some(i + 1);
            }
            _ => {}
        }
    }
    match target {
        Target::Node(_) => problem_line,
        _ => None,
    }
}

/// Writes `network` in DIMACS format with a short comment header.
///
/// Nodes with supply 0 get no `n` line; arcs are written in arc order; an [`INFINITE`]
/// capacity is written as `9223372036854775807`. [`read_dimacs`] reads the text back
/// into an identical network for every network that passes [`Network::validate`].
/// The writer is buffered internally.
pub fn write_dimacs<W: Write>(network: &Network, writer: W) -> io::Result<()> {
    write_dimacs_with_comments(network, &[], writer)
}

/// Writes `network` in DIMACS format (see [`write_dimacs`]) with `comments` as extra
/// `c` lines after the standard header (one `c` line per line of each comment).
pub fn write_dimacs_with_comments<W: Write>(network: &Network, comments: &[&str], writer: W) -> io::Result<()> {
    let mut out = BufWriter::with_capacity(1 << 16, writer);
    let (n, m) = (network.node_count(), network.arc_count());
    writeln!(out, "c allocnet min-cost flow problem: {n} nodes, {m} arcs")?;
    writeln!(
        out,
        "c n ID SUPPLY (positive: source, negative: demand); a SRC DST LOW CAP COST"
    )?;
    writeln!(out, "c CAP {INFINITE} (i64::MAX) means no capacity limit")?;
    for comment in comments {
        for line in comment.lines() {
            writeln!(out, "c {line}")?;
        }
    }
    writeln!(out, "p min {n} {m}")?;
    let mut line = Vec::with_capacity(128);
    for (v, &supply) in network.supplies().iter().enumerate() {
        if supply != 0 {
            line.clear();
            line.extend_from_slice(b"n ");
            push_int(&mut line, v as i128 + 1);
            line.push(b' ');
            push_int(&mut line, i128::from(supply));
            line.push(b'\n');
            out.write_all(&line)?;
        }
    }
    let arcs = network
        .tails()
        .iter()
        .zip(network.heads())
        .zip(network.lower())
        .zip(network.upper())
        .zip(network.costs());
    for ((((&tail, &head), &lower), &upper), &cost) in arcs {
        line.clear();
        line.extend_from_slice(b"a ");
        push_int(&mut line, i128::from(tail) + 1);
        line.push(b' ');
        push_int(&mut line, i128::from(head) + 1);
        for value in [lower, upper, cost] {
            line.push(b' ');
            push_int(&mut line, i128::from(value));
        }
        line.push(b'\n');
        out.write_all(&line)?;
    }
    out.flush()
}

/// Writes `network` to the file at `path` in DIMACS format, with `comments` as extra
/// `c` lines (see [`write_dimacs_with_comments`]). Errors name the file.
pub fn write_dimacs_file(network: &Network, path: impl AsRef<Path>, comments: &[&str]) -> Result<()> {
    let path = path.as_ref();
    let io_error = |source| Error::Io {
        path: path.display().to_string(),
        source,
    };
    let file = File::create(path).map_err(io_error)?;
    write_dimacs_with_comments(network, comments, file).map_err(io_error)
}

/// Writes `solution` of `network` in the DIMACS solution style.
///
/// ```text
/// c allocnet min-cost flow solution: optimal
/// s COST
/// f SRC DST FLOW
/// ```
///
/// When optimal: `s` gives the total cost and there is one `f` line per arc in arc
/// order (zero flows included, so parallel arcs stay distinguishable), node ids
/// 1-based. When infeasible or unbounded: a single `s infeasible` or `s unbounded`
/// line and no `f` lines. A solution whose flow count differs from the arc count is an
/// [`io::ErrorKind::InvalidInput`] error and nothing is written.
pub fn write_flow_solution<W: Write>(network: &Network, solution: &FlowSolution, writer: W) -> io::Result<()> {
    let optimal = solution.status == Status::Optimal;
    if optimal && solution.flows.len() != network.arc_count() {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            format!(
                "the solution has {} flows, the network {} arcs",
                solution.flows.len(),
                network.arc_count()
            ),
        ));
    }
    let mut out = BufWriter::with_capacity(1 << 16, writer);
    writeln!(out, "c allocnet min-cost flow solution: {}", solution.status)?;
    match (optimal, solution.cost) {
        (true, Some(cost)) => writeln!(out, "s {cost}")?,
        (true, None) => writeln!(out, "s {}", network.cost_of(&solution.flows))?,
        (false, _) => writeln!(out, "s {}", solution.status)?,
    }
    if optimal {
        let mut line = Vec::with_capacity(64);
        for ((&tail, &head), &flow) in network.tails().iter().zip(network.heads()).zip(&solution.flows) {
            line.clear();
            line.extend_from_slice(b"f ");
            push_int(&mut line, i128::from(tail) + 1);
            line.push(b' ');
            push_int(&mut line, i128::from(head) + 1);
            line.push(b' ');
            push_int(&mut line, i128::from(flow));
            line.push(b'\n');
            out.write_all(&line)?;
        }
    }
    out.flush()
}

/// Appends the decimal digits of `value` to `out`.
fn push_int(out: &mut Vec<u8>, value: i128) {
    if value < 0 {
        out.push(b'-');
    }
    let mut magnitude = value.unsigned_abs();
    let mut digits = [0u8; 40];
    let mut start = digits.len();
    loop {
        start -= 1;
        digits[start] = b'0' + (magnitude % 10) as u8;
        magnitude /= 10;
        if magnitude == 0 {
            break;
        }
    }
    out.extend_from_slice(&digits[start..]);
}

/// What the `p` line declared.
struct Problem {
    nodes: usize,
    arcs: usize,
    line: usize,
}

/// The parser state between lines.
struct Parser<'a> {
    source_name: &'a str,
    line: usize,
    problem: Option<Problem>,
    supplies: Vec<i64>,
    /// One bit per node: has it had an `n` line?
    node_seen: Vec<u64>,
    tails: Vec<u32>,
    heads: Vec<u32>,
    lower: Vec<i64>,
    upper: Vec<i64>,
    costs: Vec<i64>,
}

/// Why a token is not an acceptable integer.
enum NumberError {
    NotInteger,
    OutOfRange,
}

/// At most this many fields of a line are kept; more are only counted.
const MAX_FIELDS: usize = 6;

impl<'a> Parser<'a> {
    fn new(source_name: &'a str) -> Self {
        Self {
            source_name,
            line: 0,
            problem: None,
            supplies: Vec::new(),
            node_seen: Vec::new(),
            tails: Vec::new(),
            heads: Vec::new(),
            lower: Vec::new(),
            upper: Vec::new(),
            costs: Vec::new(),
        }
    }

    fn error(&self, message: String) -> Error {
        Error::Parse {
            source_name: self.source_name.to_string(),
            line: self.line,
            message,
        }
    }

    /// Parses one line (with or without its line break).
    fn line(&mut self, text: &[u8]) -> Result<()> {
        self.line += 1;
        // A UTF-8 byte order mark before the first line is skipped.
        let text = match (self.line, text.strip_prefix(b"\xEF\xBB\xBF")) {
            (1, Some(rest)) => rest,
            _ => text,
        };
        let mut fields: [&[u8]; MAX_FIELDS] = [&[]; MAX_FIELDS];
        let mut count = 0;
        for field in text.split(u8::is_ascii_whitespace).filter(|f| !f.is_empty()) {
            if let Some(slot) = fields.get_mut(count) {
                *slot = field;
            }
            count += 1;
        }
        if count == 0 || fields[0].first() == Some(&b'c') {
            return Ok(());
        }
        match fields[0] {
            b"p" => self.problem_line(&fields, count),
            b"n" => self.node_line(&fields, count),
            b"a" => self.arc_line(&fields, count),
            other => Err(self.error(format!(
                "expected a line type `c`, `p`, `n` or `a`, found `{}`",
                show(other)
            ))),
        }
    }

    fn problem_line(&mut self, fields: &[&[u8]; MAX_FIELDS], count: usize) -> Result<()> {
        if let Some(problem) = &self.problem {
            return Err(self.error(format!(
                "duplicate problem line (the first is on line {})",
                problem.line
            )));
        }
        if count != 4 {
            return Err(self.error(format!("expected `p min NODES ARCS` (4 fields), found {count} fields")));
        }
        if fields[1] != b"min" {
            return Err(self.error(format!("expected problem type `min`, found `{}`", show(fields[1]))));
        }
        let nodes = self.count_field(fields[2], "NODES")?;
        let arcs = self.count_field(fields[3], "ARCS")?;
        let estimate = nodes as u128 * NODE_BYTES + arcs as u128 * ARC_BYTES;
        if let Some(message) = memory_problem(&format!("{nodes} nodes and {arcs} arcs"), estimate)? {
            return Err(self.error(message));
        }
        let reserved = try_filled(&mut self.supplies, nodes)
            .and_then(|()| try_filled(&mut self.node_seen, nodes.div_ceil(64)))
            .and_then(|()| self.tails.try_reserve_exact(arcs))
            .and_then(|()| self.heads.try_reserve_exact(arcs))
            .and_then(|()| self.lower.try_reserve_exact(arcs))
            .and_then(|()| self.upper.try_reserve_exact(arcs))
            .and_then(|()| self.costs.try_reserve_exact(arcs));
        if reserved.is_err() {
            return Err(self.error(format!("not enough memory for {nodes} nodes and {arcs} arcs")));
        }
        self.problem = Some(Problem {
            nodes,
            arcs,
            line: self.line,
        });
        Ok(())
    }

    fn node_line(&mut self, fields: &[&[u8]; MAX_FIELDS], count: usize) -> Result<()> {
        self.require_problem("n")?;
        if count != 3 {
            return Err(self.error(format!("expected `n ID FLOW` (3 fields), found {count} fields")));
        }
        let node = self.node_field(fields[1], "ID")?;
        let supply = self.int_field(fields[2], "FLOW")?;
        let (word, bit) = (node / 64, 1u64 << (node % 64));
        if self.node_seen[word] & bit != 0 {
            return Err(self.error(format!(
                "duplicate `n` line for node {} (at most one per node)",
                node + 1
            )));
        }
        self.node_seen[word] |= bit;
        self.supplies[node] = supply;
        Ok(())
    }

    fn arc_line(&mut self, fields: &[&[u8]; MAX_FIELDS], count: usize) -> Result<()> {
        let declared = self.require_problem("a")?.arcs;
        if count != 6 {
            return Err(self.error(format!(
                "expected `a SRC DST LOW CAP COST` (6 fields), found {count} fields"
            )));
        }
        if self.tails.len() == declared {
            let line = self.problem.as_ref().map_or(0, |p| p.line);
            return Err(self.error(format!(
                "more `a` lines than the {declared} arcs declared on line {line}"
            )));
        }
        let tail = self.node_field(fields[1], "SRC")?;
        let head = self.node_field(fields[2], "DST")?;
        let lower = self.int_field(fields[3], "LOW")?;
        let upper = self.int_field(fields[4], "CAP")?;
        let cost = self.int_field(fields[5], "COST")?;
        if lower == INFINITE {
            return Err(self.error(format!(
                "expected LOW below {INFINITE} (a lower bound must be finite), found `{lower}`"
            )));
        }
        if lower > upper {
            return Err(self.error(format!("lower bound LOW = {lower} exceeds capacity CAP = {upper}")));
        }
        // Node ids were checked against NODES, which is at most u32::MAX - 1.
        self.tails.push(tail as u32);
        self.heads.push(head as u32);
        self.lower.push(lower);
        self.upper.push(upper);
        self.costs.push(cost);
        Ok(())
    }

    fn require_problem(&self, kind: &str) -> Result<&Problem> {
        self.problem.as_ref().ok_or_else(|| {
            self.error(format!(
                "expected the problem line `p min NODES ARCS` before any `{kind}` line, found `{kind}` line"
            ))
        })
    }

    /// An `i64` in `-i64::MAX..=i64::MAX`.
    fn int_field(&self, token: &[u8], name: &str) -> Result<i64> {
        parse_i64(token).map_err(|e| match e {
            NumberError::NotInteger => self.error(format!("expected {name} as an integer, found `{}`", show(token))),
            NumberError::OutOfRange => self.error(format!(
                "expected {name} as an integer in -{max}..={max}, found `{}` (out of range)",
                show(token),
                max = i64::MAX
            )),
        })
    }

    /// A node or arc count from the `p` line.
    fn count_field(&self, token: &[u8], name: &str) -> Result<usize> {
        let value = self.int_field(token, name)?;
        match usize::try_from(value) {
            Ok(count) if count <= MAX_COUNT => Ok(count),
            Ok(_) => Err(self.error(format!("expected {name} at most {MAX_COUNT}, found `{value}`"))),
            Err(_) => Err(self.error(format!("expected {name} as a non-negative integer, found `{value}`"))),
        }
    }

    /// A 1-based node id, returned 0-based.
    fn node_field(&self, token: &[u8], name: &str) -> Result<usize> {
        let Problem { nodes, line, .. } = *self
            .problem
            .as_ref()
            .ok_or_else(|| self.error("no problem line".into()))?;
        let value = self.int_field(token, name)?;
        match usize::try_from(value) {
            Ok(id) if (1..=nodes).contains(&id) => Ok(id - 1),
            _ => Err(self.error(format!(
                "expected {name} as a node id in 1..={nodes} ({nodes} nodes declared on line {line}), found `{value}`"
            ))),
        }
    }

    fn finish(self) -> Result<Network> {
        let Some(problem) = &self.problem else {
            return Err(Error::Parse {
                source_name: self.source_name.to_string(),
                line: self.line + 1,
                message: "expected the problem line `p min NODES ARCS`, found end of input".into(),
            });
        };
        if self.tails.len() != problem.arcs {
            return Err(Error::Parse {
                source_name: self.source_name.to_string(),
                line: problem.line,
                message: format!(
                    "declared {} arcs, but the input has {} `a` lines",
                    problem.arcs,
                    self.tails.len()
                ),
            });
        }
        Network::from_arrays(
            self.supplies,
            self.tails,
            self.heads,
            Some(self.lower),
            self.upper,
            self.costs,
        )
    }
}

/// Makes `vec` hold `len` zeros, or reports that the memory is not available.
fn try_filled<T: Copy + Default>(
    vec: &mut Vec<T>,
    len: usize,
) -> std::result::Result<(), std::collections::TryReserveError> {
    vec.try_reserve_exact(len)?;
    vec.resize(len, T::default());
    Ok(())
}

/// Parses an optionally signed decimal integer in `-i64::MAX..=i64::MAX`.
fn parse_i64(token: &[u8]) -> std::result::Result<i64, NumberError> {
    let (negative, digits) = match token.split_first() {
        Some((b'-', rest)) => (true, rest),
        Some((b'+', rest)) => (false, rest),
        _ => (false, token),
    };
    if digits.is_empty() || !digits.iter().all(u8::is_ascii_digit) {
        return Err(NumberError::NotInteger);
    }
    let mut value: i64 = 0;
    for &digit in digits {
        value = value
            .checked_mul(10)
            .and_then(|v| v.checked_add(i64::from(digit - b'0')))
            .ok_or(NumberError::OutOfRange)?;
    }
    Ok(if negative { -value } else { value })
}

/// A token for an error message: lossy UTF-8, at most 40 characters.
fn show(token: &[u8]) -> String {
    let text = String::from_utf8_lossy(token);
    if text.chars().count() > 40 {
        format!("{}…", text.chars().take(40).collect::<String>())
    } else {
        text.into_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn push_int_writes_extremes() {
        let mut out = Vec::new();
        for v in [
            0,
            -1,
            7,
            i128::from(i64::MAX),
            -i128::from(i64::MAX),
            i128::from(i64::MIN),
        ] {
            out.clear();
            push_int(&mut out, v);
            assert_eq!(String::from_utf8(out.clone()).unwrap(), v.to_string());
        }
    }

    #[test]
    fn parse_i64_accepts_signs_and_rejects_overflow() {
        assert!(matches!(parse_i64(b"+12"), Ok(12)));
        assert!(matches!(parse_i64(b"-9223372036854775807"), Ok(v) if v == -i64::MAX));
        assert!(matches!(parse_i64(b"9223372036854775807"), Ok(i64::MAX)));
        assert!(matches!(
            parse_i64(b"-9223372036854775808"),
            Err(NumberError::OutOfRange)
        ));
        assert!(matches!(
            parse_i64(b"99999999999999999999x"),
            Err(NumberError::NotInteger)
        ));
        assert!(matches!(parse_i64(b"-"), Err(NumberError::NotInteger)));
        assert!(matches!(parse_i64(b"1e3"), Err(NumberError::NotInteger)));
    }
}
