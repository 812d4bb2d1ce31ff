//! Limits on what input may make allocnet allocate, and reading input text.
//!
//! A small file can declare a huge size (`p min 100000000 0`, `weeks: 100000`, a
//! horizon of 10⁶ days, thousands of sites in one county). Before building anything
//! whose size comes from input, allocnet estimates the memory it needs and refuses
//! with an [`Error::Invalid`] naming the field and the estimate when it is above the
//! **memory limit**: 2 GiB by default, raised (or lowered) with the environment
//! variable `ALLOCNET_MEMORY_LIMIT` (bytes, or with a suffix `K`, `M`, `G`, `T`:
//! `ALLOCNET_MEMORY_LIMIT=8G`), the CLI flag `--memory-limit`, or
//! [`set_memory_limit`]. Large vectors are then allocated fallibly, so a machine with
//! less memory than the limit gives an error too, not an abort.

use crate::error::{Error, Result};
use std::sync::atomic::{AtomicU64, Ordering};

/// The default memory limit, bytes (2 GiB).
pub const DEFAULT_MEMORY_LIMIT: u64 = 2 << 30;

/// The environment variable that sets the memory limit.
pub const MEMORY_LIMIT_VAR: &str = "ALLOCNET_MEMORY_LIMIT";

/// 0: not set by [`set_memory_limit`].
static MEMORY_LIMIT: AtomicU64 = AtomicU64::new(0);

/// Sets the memory limit for this process (bytes, > 0); it takes precedence over
/// `ALLOCNET_MEMORY_LIMIT`.
pub fn set_memory_limit(bytes: u64) {
    MEMORY_LIMIT.store(bytes.max(1), Ordering::Relaxed);
}

/// The memory limit in force: [`set_memory_limit`], else `ALLOCNET_MEMORY_LIMIT`,
/// else [`DEFAULT_MEMORY_LIMIT`]. A malformed variable is an [`Error::Invalid`]
/// naming it.
pub fn memory_limit() -> Result<u64> {
    match MEMORY_LIMIT.load(Ordering::Relaxed) {
        0 => match std::env::var(MEMORY_LIMIT_VAR) {
            Ok(text) => parse_bytes(&text).map_err(|m| Error::invalid(MEMORY_LIMIT_VAR, m)),
            Err(_) => Ok(DEFAULT_MEMORY_LIMIT),
        },
        set => Ok(set),
    }
}

/// Parses a byte count: digits with an optional suffix `K`, `M`, `G` or `T` (powers
/// of 1024, any case, an optional trailing `B`/`iB`).
///
/// ```
/// use allocnet::limits::parse_bytes;
/// assert_eq!(parse_bytes("8G"), Ok(8 << 30));
/// assert_eq!(parse_bytes("1500000"), Ok(1_500_000));
/// assert!(parse_bytes("lots").is_err());
/// assert!(parse_bytes("0").is_err());
/// ```
pub fn parse_bytes(text: &str) -> std::result::Result<u64, String> {
    let t = text.trim();
    let upper = t.to_ascii_uppercase();
    let body = upper
        .strip_suffix("IB")
        .or_else(|| upper.strip_suffix('B'))
        .unwrap_or(&upper);
    let (digits, shift) = match body.chars().last() {
        Some('K') => (&body[..body.len() - 1], 10),
        Some('M') => (&body[..body.len() - 1], 20),
        Some('G') => (&body[..body.len() - 1], 30),
        Some('T') => (&body[..body.len() - 1], 40),
        _ => (body, 0),
    };
    let expected = || format!("expected a byte count such as 4000000000 or 4G (> 0), got '{t}'");
    let n: u64 = digits.trim().parse().map_err(|_| expected())?;
    match n.checked_mul(1 << shift) {
        Some(bytes) if bytes > 0 => Ok(bytes),
        _ => Err(expected()),
    }
}

/// Refuses an estimate of `bytes` above the memory limit: an [`Error::Invalid`] at
/// `field` saying what would be built (`what`), the estimate and the limit.
pub fn check_memory(field: &str, what: &str, bytes: u128) -> Result<()> {
    match memory_problem(what, bytes)? {
        None => Ok(()),
        Some(message) => Err(Error::invalid(field, message)),
    }
}

/// The message refusing an estimate of `bytes` for `what` when it is above the memory
/// limit (`None` when it fits), for callers that report places their own way.
pub fn memory_problem(what: &str, bytes: u128) -> Result<Option<String>> {
    let limit = memory_limit()?;
    Ok((bytes > u128::from(limit)).then(|| {
        format!(
            "{what} would need about {} of memory, above the limit of {} (raise it with --memory-limit or {MEMORY_LIMIT_VAR})",
            human_bytes(bytes),
            human_bytes(u128::from(limit))
        )
    }))
}

/// A byte count for a person: `3.2 GB`, `512 MB`, `900 bytes` (decimal units).
pub fn human_bytes(bytes: u128) -> String {
    const UNITS: [(&str, f64); 5] = [("PB", 1e15), ("TB", 1e12), ("GB", 1e9), ("MB", 1e6), ("kB", 1e3)];
    let b = bytes as f64;
    UNITS.iter().find(|(_, size)| b >= *size).map_or_else(
        || format!("{bytes} bytes"),
        |(unit, size)| format!("{:.1} {unit}", b / size),
    )
}

/// A vector of `len` copies of `value`, or an [`Error::Invalid`] at `field` when the
/// memory is not available (instead of an abort).
pub fn try_vec<T: Clone>(len: usize, value: T, field: &str) -> Result<Vec<T>> {
    let mut v = Vec::new();
    v.try_reserve_exact(len).map_err(|_| {
        Error::invalid(
            field,
            format!(
                "not enough memory for {len} entries ({})",
                human_bytes(len as u128 * std::mem::size_of::<T>() as u128)
            ),
        )
    })?;
    v.resize(len, value);
    Ok(v)
}

/// A number for an error message: plain when short (`12.5`, `-3`), in scientific
/// notation when it would be long (`1e300`, `2.5e-12`).
///
/// ```
/// use allocnet::limits::compact;
/// assert_eq!(compact(1e300), "1e300");
/// assert_eq!(compact(12.5), "12.5");
/// assert_eq!(compact(f64::INFINITY), "inf");
/// ```
pub fn compact(x: f64) -> String {
    let a = x.abs();
    if x.is_finite() && a != 0.0 && !(1e-6..1e16).contains(&a) {
        format!("{x:e}")
    } else {
        format!("{x}")
    }
}

/// Input text from bytes: a leading UTF-8 byte order mark is skipped; invalid UTF-8 is
/// an [`Error::Parse`] naming the line and column (1-based, in characters) of the
/// first bad byte.
pub fn text_from_bytes(bytes: &[u8], source_name: &str) -> Result<String> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        Ok(text) => Ok(text.to_string()),
        Err(e) => {
            let good = &bytes[..e.valid_up_to()];
            let line = 1 + good.iter().filter(|&&b| b == b'\n').count();
            let line_start = good.iter().rposition(|&b| b == b'\n').map_or(0, |p| p + 1);
            let column = 1 + String::from_utf8_lossy(&good[line_start..]).chars().count();
            Err(Error::Parse {
                source_name: source_name.to_string(),
                line,
                message: format!(
                    "column {column}: invalid UTF-8 (byte 0x{:02X}); save the file as UTF-8",
                    bytes[e.valid_up_to()]
                ),
            })
        }
    }
}

/// Reads a text file (see [`text_from_bytes`]); errors name the file.
pub fn read_text_file(path: &std::path::Path) -> Result<String> {
    let bytes = std::fs::read(path).map_err(|source| Error::Io {
        path: path.display().to_string(),
        source,
    })?;
    text_from_bytes(&bytes, &path.display().to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invalid_utf8_names_line_and_column() {
        let err = text_from_bytes(b"ab\ncd\xFFe", "f.json").unwrap_err().to_string();
        assert_eq!(
            err,
            "f.json line 2: column 3: invalid UTF-8 (byte 0xFF); save the file as UTF-8"
        );
        assert_eq!(text_from_bytes(b"\xEF\xBB\xBF{}", "f").unwrap(), "{}");
    }

    #[test]
    fn estimates_above_the_limit_are_refused() {
        let err = check_memory("weeks", "the stock table", 1 << 50)
            .unwrap_err()
            .to_string();
        assert!(err.contains("weeks: the stock table would need about 1.1 PB"), "{err}");
        assert!(check_memory("weeks", "x", 1000).is_ok());
        assert!(try_vec(usize::MAX / 2, 0u64, "nodes").is_err());
    }
}
