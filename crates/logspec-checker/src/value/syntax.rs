//! The syntax of the spec's scalar value types: integers, numbers, hex,
//! durations, hostnames, hosts, `host:port` and ISO 8601 timestamps.
//!
//! Written here rather than taken from a date or network crate because a
//! finding must say which part of a value is wrong ("port 70000 is out of
//! range", "month 13") and must accept exactly what the spec format
//! promises, no more: a lenient parser is a false pass. Which dates exist
//! is the reader's calendar (jiff), not ours.

use logspec_spec::{DurationUnit, HexCase};
use std::net::{Ipv4Addr, Ipv6Addr};

/// A decimal number, `-?[0-9]+(.[0-9]+)?`, with an exponent as JSON
/// allows; leading zeros are tolerated (`007`), signs other than a leading
/// minus are not.
pub(super) fn parse_number(value: &str) -> Result<f64, String> {
    let unsigned = value.strip_prefix('-').unwrap_or(value);
    let (mantissa, exponent) = match unsigned.find(['e', 'E']) {
        Some(at) => (&unsigned[..at], Some(&unsigned[at + 1..])),
        None => (unsigned, None),
    };
    let (whole, fraction) = match mantissa.split_once('.') {
        Some((whole, fraction)) => (whole, Some(fraction)),
        None => (mantissa, None),
    };
    let digits = |part: &str| !part.is_empty() && part.bytes().all(|b| b.is_ascii_digit());
    let exponent_ok = exponent
        .is_none_or(|exponent| digits(exponent.strip_prefix(['+', '-']).unwrap_or(exponent)));
    if !digits(whole) || !fraction.is_none_or(digits) || !exponent_ok {
        return Err("not a number".to_owned());
    }
    value
        .parse::<f64>()
        .ok()
        .filter(|number| number.is_finite())
        .ok_or_else(|| "a number too large to represent".to_owned())
}

pub(super) fn parse_integer(value: &str) -> Result<i64, String> {
    let digits = value.strip_prefix('-').unwrap_or(value);
    if digits.is_empty() || !digits.bytes().all(|byte| byte.is_ascii_digit()) {
        return Err("not an integer".to_owned());
    }
    value
        .parse::<i64>()
        .map_err(|_| "an integer too large to represent".to_owned())
}

pub(super) fn check_hex(
    value: &str,
    min_len: usize,
    max_len: Option<usize>,
    case: HexCase,
) -> Result<(), String> {
    if let Some(position) = value.find(|c: char| !c.is_ascii_hexdigit()) {
        return Err(format!(
            "not hex: {:?} at position {}",
            &value[position..].chars().next().unwrap_or('?'),
            position + 1
        ));
    }
    match case {
        HexCase::Lower if value.bytes().any(|byte| byte.is_ascii_uppercase()) => {
            return Err("hex digits must be lowercase".to_owned())
        }
        HexCase::Upper if value.bytes().any(|byte| byte.is_ascii_lowercase()) => {
            return Err("hex digits must be uppercase".to_owned())
        }
        _ => {}
    }
    let length = value.len();
    match max_len {
        Some(max) if max == min_len && length != max => {
            Err(format!("{length} hex digits, expected {max}"))
        }
        Some(max) if length > max => Err(format!("{length} hex digits, more than {max}")),
        _ if length < min_len => Err(format!("{length} hex digits, fewer than {min_len}")),
        _ => Ok(()),
    }
}

pub(super) fn check_duration(value: &str, units: &[DurationUnit]) -> Result<(), String> {
    let number_end = value
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(value.len());
    let (number, unit) = value.split_at(number_end);
    let well_formed = !number.is_empty()
        && !number.starts_with('.')
        && !number.ends_with('.')
        && number.matches('.').count() <= 1;
    if !well_formed {
        return Err("not a duration: expected a number followed by a unit".to_owned());
    }
    if units.iter().any(|allowed| allowed.suffix() == unit) {
        Ok(())
    } else {
        let allowed: Vec<&str> = units.iter().map(|unit| unit.suffix()).collect();
        if unit.is_empty() {
            Err(format!(
                "the duration has no unit (expected {})",
                allowed.join(", ")
            ))
        } else {
            Err(format!(
                "unit {unit:?} is not one of {}",
                allowed.join(", ")
            ))
        }
    }
}

pub(super) fn check_hostname(value: &str) -> Result<(), String> {
    if value.len() > 253 {
        return Err(format!("{} characters, more than 253", value.len()));
    }
    for label in value.strip_suffix('.').unwrap_or(value).split('.') {
        if label.is_empty() {
            return Err("empty label in hostname".to_owned());
        }
        if label.len() > 63 {
            return Err(format!("label {label:?} is longer than 63 characters"));
        }
        if let Some(bad) = label
            .chars()
            .find(|c| !(c.is_ascii_alphanumeric() || *c == '-' || *c == '_'))
        {
            return Err(format!("character {bad:?} is not allowed in a hostname"));
        }
        if label.starts_with('-') || label.ends_with('-') {
            return Err(format!("label {label:?} starts or ends with '-'"));
        }
    }
    Ok(())
}

/// Whether `value` is an IPv4 or IPv6 address, as `IpAddr` reads them:
/// only IPv6 text has a colon, so a value is tried as one of them, not as
/// IPv4 and then IPv6 (every hostname went through both parsers).
pub(super) fn is_ip(value: &str) -> bool {
    if value.contains(':') {
        value.parse::<Ipv6Addr>().is_ok()
    } else {
        value.parse::<Ipv4Addr>().is_ok()
    }
}

/// A hostname, an IP address, or a bracketed IPv6 address.
pub(super) fn check_host(value: &str) -> Result<(), String> {
    let unbracketed = value
        .strip_prefix('[')
        .and_then(|rest| rest.strip_suffix(']'));
    if let Some(inner) = unbracketed {
        return inner
            .parse::<Ipv6Addr>()
            .map(|_| ())
            .map_err(|_| format!("{inner:?} is not an IPv6 address"));
    }
    if is_ip(value) {
        return Ok(());
    }
    check_hostname(value)
}

pub(super) fn check_host_port(value: &str) -> Result<(), String> {
    let (host, port) = if let Some(rest) = value.strip_prefix('[') {
        let (host, after) = rest
            .split_once(']')
            .ok_or_else(|| "unclosed '[' in host:port".to_owned())?;
        let port = after
            .strip_prefix(':')
            .ok_or_else(|| "no :port after the bracketed address".to_owned())?;
        host.parse::<Ipv6Addr>()
            .map_err(|_| format!("{host:?} is not an IPv6 address"))?;
        (None, port)
    } else {
        let (host, port) = value
            .rsplit_once(':')
            .ok_or_else(|| "no port: expected host:port".to_owned())?;
        if host.contains(':') {
            return Err("an IPv6 address must be bracketed: [addr]:port".to_owned());
        }
        (Some(host), port)
    };
    if let Some(host) = host {
        if !is_ip(host) {
            check_hostname(host).map_err(|why| format!("host {host:?}: {why}"))?;
        }
    }
    match parse_integer(port) {
        Ok(number) if (1..=65535).contains(&number) => Ok(()),
        Ok(number) => Err(format!("port {number} is out of range 1-65535")),
        Err(_) => Err(format!("port {port:?} is not a number")),
    }
}

/// ISO 8601 calendar date with optional time and zone, the profile RFC 3339
/// and `date -Iseconds` produce: `2026-04-13`, `2026-04-13T14:30:00Z`,
/// `2026-04-13T14:30:00.123+02:00`.
pub(super) fn check_timestamp(value: &str) -> Result<(), String> {
    let bytes = value.as_bytes();
    let digits = |range: std::ops::Range<usize>, what: &str| -> Result<u32, String> {
        let part = value
            .get(range)
            .filter(|part| !part.is_empty() && part.bytes().all(|b| b.is_ascii_digit()))
            .ok_or_else(|| format!("expected {what}"))?;
        part.parse::<u32>().map_err(|_| format!("expected {what}"))
    };
    let separator = |at: usize, expected: u8, what: &str| -> Result<(), String> {
        if bytes.get(at) == Some(&expected) {
            Ok(())
        } else {
            Err(format!("expected {what} at position {}", at + 1))
        }
    };
    let year = digits(0..4, "a four-digit year")?;
    separator(4, b'-', "'-'")?;
    let month = digits(5..7, "a two-digit month")?;
    separator(7, b'-', "'-'")?;
    let day = digits(8..10, "a two-digit day")?;
    if !(1..=12).contains(&month) {
        return Err(format!("month {month} is out of range"));
    }
    if !logspec_reader::instant::date_exists(year, month, day) {
        return Err(format!("day {day} does not exist in {year}-{month:02}"));
    }
    if bytes.len() == 10 {
        return Ok(());
    }
    if !matches!(bytes.get(10), Some(b'T') | Some(b't') | Some(b' ')) {
        return Err("expected 'T' between date and time".to_owned());
    }
    let hour = digits(11..13, "a two-digit hour")?;
    separator(13, b':', "':'")?;
    let minute = digits(14..16, "two-digit minutes")?;
    let mut at = 16;
    let mut second = 0;
    if bytes.get(at) == Some(&b':') {
        second = digits(17..19, "two-digit seconds")?;
        at = 19;
        if bytes.get(at) == Some(&b'.') || bytes.get(at) == Some(&b',') {
            let fraction = bytes[at + 1..]
                .iter()
                .take_while(|b| b.is_ascii_digit())
                .count();
            if fraction == 0 {
                return Err("expected digits after the decimal point".to_owned());
            }
            at += 1 + fraction;
        }
    }
    // 24:00:00 and leap second 60 are valid ISO 8601.
    if hour > 24 || minute > 59 || second > 60 || (hour == 24 && (minute, second) != (0, 0)) {
        return Err(format!(
            "time {hour:02}:{minute:02}:{second:02} is out of range"
        ));
    }
    match &value[at..] {
        "" | "Z" | "z" => Ok(()),
        zone => {
            let sign = zone.as_bytes()[0];
            // A non-ASCII first character leaves no char boundary at 1.
            let offset = zone.get(1..).unwrap_or_default();
            let valid = (sign == b'+' || sign == b'-')
                && match offset.len() {
                    2 => offset.bytes().all(|b| b.is_ascii_digit()),
                    4 => offset.bytes().all(|b| b.is_ascii_digit()),
                    5 => {
                        offset.as_bytes()[2] == b':'
                            && offset
                                .bytes()
                                .enumerate()
                                .all(|(i, b)| i == 2 || b.is_ascii_digit())
                    }
                    _ => false,
                };
            if valid {
                Ok(())
            } else {
                Err(format!("zone {zone:?} is not Z or ±hh:mm"))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::is_ip;
    use std::net::IpAddr;

    #[test]
    fn an_address_is_one_exactly_when_ip_addr_reads_it() {
        let tried = [
            "1.2.3.4",
            "255.255.255.255",
            "256.1.1.1",
            "01.2.3.4",
            "1.2.3",
            "1.2.3.4.",
            "::1",
            "::",
            "::ffff:1.2.3.4",
            "2001:db8::1",
            "2001:db8:::1",
            "fe80::1%eth0",
            "::FFFF:1.2.3.4",
            "[::1]",
            "1.2.3.4:80",
            "a:b",
            "host.example",
            "1e3",
            "",
            " 1.2.3.4",
        ];
        for value in tried {
            assert_eq!(is_ip(value), value.parse::<IpAddr>().is_ok(), "{value:?}");
        }
    }
}
