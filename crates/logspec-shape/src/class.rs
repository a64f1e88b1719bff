//! Value classes: what kind of value a field carries, judged from the value
//! alone, the same way for every producer.
//!
//! A class is what a consumer's parser depends on (an integer, an IP, a
//! host:port), not what the spec allows: a spec says `string` for half its
//! fields, and drift hides exactly there. The classes are tried from the
//! most specific to the least, so every value gets exactly one.

use std::net::{Ipv4Addr, Ipv6Addr};

/// The class of `value`: `empty`, `integer`, `decimal`, `duration`, `uuid`,
/// `hexN` / `HEXN` (N hex digits, lower / upper case), `ipv4`, `ipv6`,
/// `date`, `timestamp`, `time`, `host:port`, `url`, `path`, `list<C>`
/// (comma-separated, every item of class C; `list<mixed>` otherwise),
/// `word` (letters, digits, `-`, `_`, `.`), or `text`.
pub fn classify(value: &str) -> String {
    if let Some(class) = scalar(value) {
        return class;
    }
    if let Some(class) = list(value) {
        return class;
    }
    if is_word(value) {
        "word".to_owned()
    } else {
        "text".to_owned()
    }
}

/// Every class but the composite `list`, `word` and `text`.
fn scalar(value: &str) -> Option<String> {
    let fixed = if value.is_empty() {
        "empty"
    } else if is_integer(value) {
        "integer"
    } else if is_decimal(value) {
        "decimal"
    } else if is_duration(value) {
        "duration"
    } else if is_uuid(value) {
        "uuid"
    } else if let Some(class) = hex(value) {
        return Some(class);
    } else if value.parse::<Ipv4Addr>().is_ok() {
        "ipv4"
    } else if value.parse::<Ipv6Addr>().is_ok() {
        "ipv6"
    } else if is_date(value) {
        "date"
    } else if is_timestamp(value) {
        "timestamp"
    } else if is_time(value) {
        "time"
    } else if is_host_port(value) {
        "host:port"
    } else if is_url(value) {
        "url"
    } else if is_path(value) {
        "path"
    } else {
        return None;
    };
    Some(fixed.to_owned())
}

fn digits(text: &str) -> bool {
    !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit())
}

fn is_integer(value: &str) -> bool {
    digits(value.strip_prefix('-').unwrap_or(value))
}

fn is_decimal(value: &str) -> bool {
    let unsigned = value.strip_prefix('-').unwrap_or(value);
    unsigned
        .split_once('.')
        .is_some_and(|(whole, fraction)| digits(whole) && digits(fraction))
}

/// A number and a time unit: `42ms`, `1.5s`, `7d`.
fn is_duration(value: &str) -> bool {
    const UNITS: [&str; 8] = ["ns", "us", "µs", "ms", "s", "m", "h", "d"];
    let split = value
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(value.len());
    let (number, unit) = value.split_at(split);
    (digits(number) || is_decimal(number)) && UNITS.contains(&unit)
}

fn is_uuid(value: &str) -> bool {
    let groups: Vec<&str> = value.split('-').collect();
    groups.len() == 5
        && groups
            .iter()
            .zip([8, 4, 4, 4, 12])
            .all(|(group, len)| group.len() == len && group.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// An identifier in hex: at least 8 hex digits, with both a digit and a
/// letter (so neither a number nor a word), in one case.
fn hex(value: &str) -> Option<String> {
    let bytes = value.as_bytes();
    let hex = bytes.len() >= 8 && bytes.iter().all(u8::is_ascii_hexdigit);
    let letter = |b: &u8| b.is_ascii_alphabetic();
    if !hex || !bytes.iter().any(u8::is_ascii_digit) || !bytes.iter().any(letter) {
        return None;
    }
    let lower = bytes.iter().any(u8::is_ascii_lowercase);
    let upper = bytes.iter().any(u8::is_ascii_uppercase);
    match (lower, upper) {
        (true, false) => Some(format!("hex{}", bytes.len())),
        (false, true) => Some(format!("HEX{}", bytes.len())),
        _ => None,
    }
}

/// `YYYY-MM-DD`, shape only.
fn is_date(value: &str) -> bool {
    let bytes = value.as_bytes();
    bytes.len() == 10 && date_shape(bytes)
}

fn date_shape(bytes: &[u8]) -> bool {
    let digit = |i: usize| bytes.get(i).is_some_and(u8::is_ascii_digit);
    (0..4).all(digit)
        && bytes.get(4) == Some(&b'-')
        && (5..7).all(digit)
        && bytes.get(7) == Some(&b'-')
        && (8..10).all(digit)
}

/// A date, `T` (or a space), then a time: ISO 8601 and RFC 3339 alike.
fn is_timestamp(value: &str) -> bool {
    let bytes = value.as_bytes();
    date_shape(bytes)
        && matches!(bytes.get(10), Some(b'T' | b't' | b' '))
        && value.get(11..).is_some_and(|rest| {
            let time_end = rest.find(['Z', 'z', '+', '-']).unwrap_or(rest.len());
            rest.get(..time_end).is_some_and(is_time)
        })
}

/// `hh:mm`, `hh:mm:ss` or `hh:mm:ss.fraction`, in range.
fn is_time(value: &str) -> bool {
    let (clock, fraction) = match value.split_once('.') {
        Some((clock, fraction)) => (clock, Some(fraction)),
        None => (value, None),
    };
    let parts: Vec<&str> = clock.split(':').collect();
    let in_range = |part: &str, max: u32| {
        part.len() == 2 && digits(part) && part.parse::<u32>().is_ok_and(|n| n <= max)
    };
    let clock_ok = match parts.as_slice() {
        [hours, minutes] => fraction.is_none() && in_range(hours, 23) && in_range(minutes, 59),
        [hours, minutes, seconds] => {
            in_range(hours, 23) && in_range(minutes, 59) && in_range(seconds, 60)
        }
        _ => false,
    };
    clock_ok && fraction.is_none_or(digits)
}

/// `host:port` with a hostname or IPv4 host, or `[ipv6]:port`; port 1-65535.
fn is_host_port(value: &str) -> bool {
    let Some((host, port)) = value.rsplit_once(':') else {
        return false;
    };
    let port_ok = digits(port) && port.parse::<u16>().is_ok_and(|port| port > 0);
    let host_ok = match host.strip_prefix('[').and_then(|h| h.strip_suffix(']')) {
        Some(v6) => v6.parse::<Ipv6Addr>().is_ok(),
        None => is_word(host),
    };
    port_ok && host_ok
}

/// `scheme://rest`, without whitespace.
fn is_url(value: &str) -> bool {
    let Some((scheme, rest)) = value.split_once("://") else {
        return false;
    };
    let mut chars = scheme.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
        && !rest.is_empty()
        && !rest.contains(char::is_whitespace)
}

/// An absolute path, without whitespace.
fn is_path(value: &str) -> bool {
    value.starts_with('/') && !value.contains(char::is_whitespace)
}

/// Letters, digits, `-`, `_` and `.`: identifiers, hostnames, enum values.
fn is_word(value: &str) -> bool {
    !value.is_empty()
        && value
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
}

/// Comma-separated items without whitespace: `list<class of every item>`.
fn list(value: &str) -> Option<String> {
    if !value.contains(',') || value.contains(char::is_whitespace) {
        return None;
    }
    let mut classes = value.split(',').map(|item| {
        scalar(item).unwrap_or_else(|| if is_word(item) { "word" } else { "text" }.to_owned())
    });
    let first = classes.next()?;
    let item = if classes.all(|class| class == first) {
        first
    } else {
        "mixed".to_owned()
    };
    Some(format!("list<{item}>"))
}

#[cfg(test)]
mod tests {
    use super::classify;

    #[test]
    fn every_class_has_its_values() {
        for (value, class) in [
            ("", "empty"),
            ("0", "integer"),
            ("-42", "integer"),
            ("007", "integer"),
            ("1.5", "decimal"),
            ("-0.25", "decimal"),
            ("42ms", "duration"),
            ("1.5s", "duration"),
            ("60001ms", "duration"),
            ("7d", "duration"),
            ("123e4567-e89b-12d3-a456-426614174000", "uuid"),
            ("a1b2c3d4e5f60001", "hex16"),
            ("00c9845e0001", "hex12"),
            ("A1B2C3D4", "HEX8"),
            ("10.0.0.1", "ipv4"),
            ("::1", "ipv6"),
            ("fe80::1", "ipv6"),
            ("2026-04-13", "date"),
            ("2026-04-13T14:30:00Z", "timestamp"),
            ("2026-03-13T12:00:01.123456+00:00", "timestamp"),
            ("2026-04-13 14:30", "timestamp"),
            ("12:00:01", "time"),
            ("23:59", "time"),
            ("12:00:01.5", "time"),
            ("web-01:7443", "host:port"),
            ("10.0.0.1:7443", "host:port"),
            ("[::1]:7443", "host:port"),
            ("https://example.com/a?b=c", "url"),
            ("/etc/ctrl-exec-agent/revoked-serials", "path"),
            ("db-01,db-02", "list<word>"),
            ("1,2,3", "list<integer>"),
            ("web-01:7443,[::1]:80", "list<host:port>"),
            ("db-01,7", "list<mixed>"),
            ("a,,b", "list<mixed>"),
            ("backup", "word"),
            ("ctrl-exec-primary", "word"),
            ("no-hook-allow", "word"),
            ("1.2.3", "word"),
            ("-", "word"),
            ("read timeout after 60s", "text"),
            ("(none)", "text"),
            ("caf\u{e9}", "text"),
        ] {
            assert_eq!(classify(value), class, "{value:?}");
        }
    }

    #[test]
    fn near_misses_fall_to_a_wider_class() {
        for (value, class) in [
            // Hex without a letter is a number, without a digit a word.
            ("1234567890123456", "integer"),
            ("deadbeefcafebabe", "word"),
            ("a1b2c3", "word"),
            ("A1b2C3d4", "word"),
            ("999.0.0.1", "word"),
            ("24:00", "text"),
            ("12:60:00", "text"),
            ("web-01:0", "text"),
            ("web-01:65536", "text"),
            ("2026-04-13T", "word"),
            ("42 ms", "text"),
            ("42kb", "word"),
            ("/a path", "text"),
            ("a, b", "text"),
        ] {
            assert_eq!(classify(value), class, "{value:?}");
        }
    }
}
