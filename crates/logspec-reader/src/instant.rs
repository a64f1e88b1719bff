//! Envelope timestamps as points in time, so streams can be ordered and
//! merged.
//!
//! BSD syslog timestamps carry no year and no zone; they compare with each
//! other (within a year) but not with RFC 3339 or journald times. ISO 8601
//! times without a zone are the writer's local time: they compare with
//! each other, not with absolute ones. The kinds are kept apart in the type
//! so nothing compares them by accident.

use crate::format::{Envelope, Format};
use std::cmp::Ordering;

/// A timestamp in microseconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Instant {
    /// Since 1970-01-01T00:00:00Z (RFC 3339 with a zone, journald).
    Absolute(i64),
    /// Since January 1st 00:00 of an unknown year, in the writer's local
    /// time (`Mar 13 12:00:01`).
    Yearless(i64),
    /// Since 1970-01-01T00:00:00 in the writer's local time, zone unknown
    /// (`2025-01-15T14:31:22`).
    Local(i64),
}

/// The unit of a time written as a number.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Epoch {
    Seconds,
    Milliseconds,
    Microseconds,
    Nanoseconds,
}

impl Instant {
    /// The order of two instants of the same kind; `None` across kinds.
    pub fn compare(self, other: Instant) -> Option<Ordering> {
        match (self, other) {
            (Instant::Absolute(a), Instant::Absolute(b))
            | (Instant::Yearless(a), Instant::Yearless(b))
            | (Instant::Local(a), Instant::Local(b)) => Some(a.cmp(&b)),
            _ => None,
        }
    }

    /// Microseconds from `earlier` to `self`, when comparable (saturating:
    /// field times reach ±9·10¹⁸ µs, whose difference no `i64` holds).
    pub fn since(self, earlier: Instant) -> Option<i64> {
        match (self, earlier) {
            (Instant::Absolute(a), Instant::Absolute(b))
            | (Instant::Yearless(a), Instant::Yearless(b))
            | (Instant::Local(a), Instant::Local(b)) => Some(a.saturating_sub(b)),
            _ => None,
        }
    }
}

/// The instant of a framed record, when its format carries a timestamp.
pub fn instant(format: Format, envelope: &Envelope) -> Option<Instant> {
    let raw = envelope.timestamp.as_deref()?;
    match format {
        Format::Journald => raw.parse::<i64>().ok().map(Instant::Absolute),
        Format::Rfc3164 if !raw.starts_with(|c: char| c.is_ascii_digit()) => bsd(raw),
        Format::Rfc3164 | Format::Rfc5424 => rfc3339(raw),
        Format::Logback | Format::PipeSeparated => iso8601(raw),
        Format::Bare
        | Format::JsonLines
        | Format::JsonDocument
        | Format::ExtendedJson
        | Format::RceReadable
        | Format::Sse
        | Format::OtlpJson
        | Format::PlainText => None,
    }
}

/// The instant a field's value denotes: a number of `epoch` units since
/// 1970 (fractions allowed), or an ISO 8601 date-time, absolute with a
/// zone and local without one. `None` for anything else.
pub fn field_instant(value: &str, epoch: Option<Epoch>) -> Option<Instant> {
    if value.starts_with(|c: char| c.is_ascii_digit() || c == '-') && !value.contains([':', 'T']) {
        let per_unit = match epoch? {
            Epoch::Seconds => 1_000_000.0,
            Epoch::Milliseconds => 1_000.0,
            Epoch::Microseconds => 1.0,
            // Whole nanoseconds overflow f64's precision: divide exactly.
            Epoch::Nanoseconds => match value.parse::<i64>() {
                Ok(nanos) => return Some(Instant::Absolute(nanos.div_euclid(1_000))),
                Err(_) => 0.001,
            },
        };
        let number: f64 = value.parse().ok().filter(|n: &f64| n.is_finite())?;
        let micros = number * per_unit;
        return (micros.abs() < 9.0e18).then(|| Instant::Absolute(micros.round() as i64));
    }
    iso8601(value)
}

/// `2026-03-13T12:00:01.003+01:00` (absolute) or `2025-01-15 14:31:22`
/// (local: no zone).
fn iso8601(raw: &str) -> Option<Instant> {
    let (micros, zoned) = date_time(raw)?;
    Some(if zoned {
        Instant::Absolute(micros)
    } else {
        Instant::Local(micros)
    })
}

/// `2026-05-10T14:02:11.453Z` for a count of milliseconds since 1970 (UTC),
/// `None` outside years 0-9999.
pub fn format_epoch_millis(millis: i64) -> Option<String> {
    let days = millis.div_euclid(86_400_000);
    let rest = millis.rem_euclid(86_400_000);
    let (year, month, day) = civil_from_days(days);
    if !(0..=9999).contains(&year) {
        return None;
    }
    let (hours, minutes) = (rest / 3_600_000, rest / 60_000 % 60);
    let (seconds, millis) = (rest / 1000 % 60, rest % 1000);
    Some(format!(
        "{year:04}-{month:02}-{day:02}T{hours:02}:{minutes:02}:{seconds:02}.{millis:03}Z"
    ))
}

const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];
/// Days before each month in a leap year: the year is unknown, so Feb 29
/// must have a place.
const DAYS_BEFORE: [i64; 12] = [0, 31, 60, 91, 121, 152, 182, 213, 244, 274, 305, 335];

/// `Mar 13 12:00:01` or `Mar  3 12:00:01`.
fn bsd(raw: &str) -> Option<Instant> {
    let mut parts = raw.split_ascii_whitespace();
    let month_name = parts.next()?;
    let month = MONTHS.iter().position(|name| *name == month_name)?;
    let day: i64 = parts
        .next()?
        .parse()
        .ok()
        .filter(|day| (1..=31).contains(day))?;
    let seconds = clock(parts.next()?.as_bytes())?;
    if parts.next().is_some() {
        return None;
    }
    let days = DAYS_BEFORE[month] + day - 1;
    Some(Instant::Yearless((days * 86_400 + seconds) * 1_000_000))
}

/// The number written by the ASCII digits at `range` of `bytes`, if all
/// of them are.
fn digits(bytes: &[u8], range: std::ops::Range<usize>) -> Option<i64> {
    let digits = bytes.get(range)?;
    digits
        .iter()
        .all(u8::is_ascii_digit)
        .then(|| digits.iter().fold(0, |n, d| n * 10 + i64::from(d - b'0')))
}

/// Seconds since midnight of `hh:mm:ss` (hour 00-23, minute 00-59, second
/// 00-60: a leap second is the next minute's first).
fn clock(text: &[u8]) -> Option<i64> {
    if text.len() != 8 || text[2] != b':' || text[5] != b':' {
        return None;
    }
    let hours = digits(text, 0..2).filter(|hours| *hours < 24)?;
    let minutes = digits(text, 3..5).filter(|minutes| *minutes < 60)?;
    let seconds = digits(text, 6..8).filter(|seconds| *seconds <= 60)?;
    Some(hours * 3600 + minutes * 60 + seconds)
}

/// `2026-03-13T12:00:01.003+01:00`; a time without a zone is taken as UTC.
fn rfc3339(raw: &str) -> Option<Instant> {
    date_time(raw).map(|(micros, _)| Instant::Absolute(micros))
}

/// Microseconds since 1970 (UTC when zoned, else in the zone unknown) of
/// `YYYY-MM-DD[T ]hh:mm:ss`, an optional fraction of one or more digits
/// (microseconds kept), and an optional zone: `Z`, or `+`/`-` and `hh`,
/// `hhmm` or `hh:mm`; and whether it has a zone. `None` unless every part
/// is there and in range (the day in its month).
fn date_time(raw: &str) -> Option<(i64, bool)> {
    let bytes = raw.as_bytes();
    if bytes.get(4) != Some(&b'-')
        || bytes.get(7) != Some(&b'-')
        || !matches!(bytes.get(10), Some(b'T' | b't' | b' '))
    {
        return None;
    }
    let year = digits(bytes, 0..4)?;
    let month = digits(bytes, 5..7).filter(|month| (1..=12).contains(month))?;
    let day = digits(bytes, 8..10).filter(|day| (1..=days_in_month(year, month)).contains(day))?;
    let seconds = clock(bytes.get(11..19)?)?;
    let mut rest = bytes.get(19..)?;
    let mut micros = 0;
    if let Some(fraction) = rest.strip_prefix(b".") {
        let length = fraction.iter().take_while(|b| b.is_ascii_digit()).count();
        if length == 0 {
            return None;
        }
        micros = (0..6).fold(0, |n, at| {
            n * 10
                + fraction
                    .get(at)
                    .filter(|_| at < length)
                    .map_or(0, |d| i64::from(d - b'0'))
        });
        rest = &fraction[length..];
    }
    let offset = match rest {
        [] | [b'Z' | b'z'] => 0,
        [sign @ (b'+' | b'-'), zone @ ..] => {
            let (hours, minutes) = match zone {
                [_, _] => (digits(zone, 0..2)?, 0),
                [_, _, _, _] => (digits(zone, 0..2)?, digits(zone, 2..4)?),
                [_, _, b':', _, _] => (digits(zone, 0..2)?, digits(zone, 3..5)?),
                _ => return None,
            };
            if hours > 23 || minutes > 59 {
                return None;
            }
            let sign = if *sign == b'-' { -1 } else { 1 };
            sign * (hours * 3600 + minutes * 60)
        }
        _ => return None,
    };
    let days = days_from_civil(year, month, day);
    Some((
        (days * 86_400 + seconds - offset) * 1_000_000 + micros,
        !rest.is_empty(),
    ))
}

fn days_in_month(year: i64, month: i64) -> i64 {
    match month {
        2 if year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's
/// algorithm).
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let year_of_era = year - era * 400;
    let month_index = (month + 9) % 12;
    let day_of_year = (153 * month_index + 2) / 5 + day - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

/// The date of a day count since 1970-01-01 (the inverse of
/// [`days_from_civil`]).
fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let days = days + 719_468;
    let era = days.div_euclid(146_097);
    let day_of_era = days - era * 146_097;
    let year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let month_index = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * month_index + 2) / 5 + 1;
    let month = if month_index < 10 {
        month_index + 3
    } else {
        month_index - 9
    };
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn envelope(timestamp: &str) -> Envelope {
        Envelope {
            timestamp: Some(timestamp.to_owned()),
            ..Envelope::default()
        }
    }

    #[test]
    fn rfc3339_is_absolute_and_honours_zones() {
        let utc = instant(Format::Rfc5424, &envelope("2026-03-13T12:00:01Z"));
        assert_eq!(utc, Some(Instant::Absolute(1_773_403_201_000_000)));
        let plus_one = instant(Format::Rfc5424, &envelope("2026-03-13T13:00:01.5+01:00"));
        assert_eq!(plus_one, Some(Instant::Absolute(1_773_403_201_500_000)));
        assert_eq!(
            instant(
                Format::Rfc3164,
                &envelope("1970-01-01T00:00:00.000001-00:00")
            ),
            Some(Instant::Absolute(1))
        );
    }

    #[test]
    fn bsd_is_yearless_and_ordered() {
        let early = instant(Format::Rfc3164, &envelope("Mar  3 12:00:01"));
        let late = instant(Format::Rfc3164, &envelope("Mar 13 12:00:00"));
        let (Some(early), Some(late)) = (early, late) else {
            panic!("both parse")
        };
        assert_eq!(late.compare(early), Some(Ordering::Greater));
        assert_eq!(late.since(early), Some((10 * 86_400 - 1) * 1_000_000));
    }

    #[test]
    fn journald_and_kinds_do_not_mix() {
        let journal = instant(Format::Journald, &envelope("1773403201000000"));
        assert_eq!(journal, Some(Instant::Absolute(1_773_403_201_000_000)));
        let bsd = instant(Format::Rfc3164, &envelope("Mar 13 12:00:01"));
        assert_eq!(journal.and_then(|j| bsd.and_then(|b| j.compare(b))), None);
        assert_eq!(instant(Format::Bare, &envelope("x")), None);
    }

    #[test]
    fn fields_in_epoch_units_and_iso() {
        let at = Instant::Absolute(1_705_329_082_456_000);
        assert_eq!(
            field_instant("1705329082.456", Some(Epoch::Seconds)),
            Some(at)
        );
        assert_eq!(
            field_instant("1705329082456", Some(Epoch::Milliseconds)),
            Some(at)
        );
        assert_eq!(
            field_instant("1705329082456000", Some(Epoch::Microseconds)),
            Some(at)
        );
        assert_eq!(field_instant("1705329082", None), None);
        assert_eq!(field_instant("1e999", Some(Epoch::Seconds)), None);
        assert_eq!(
            field_instant("2024-01-15T14:31:22.456Z", None),
            Some(Instant::Absolute(1_705_329_082_456_000))
        );
        assert_eq!(
            field_instant("2024-01-15T14:31:22.456", None),
            Some(Instant::Local(1_705_329_082_456_000))
        );
        assert_eq!(
            field_instant("2024-01-15 14:31:22", None),
            Some(Instant::Local(1_705_329_082_000_000))
        );
        assert_eq!(
            field_instant("2024-01-15T15:31:22+01:00", None),
            Some(Instant::Absolute(1_705_329_082_000_000))
        );
        assert_eq!(field_instant("yesterday", None), None);
        let local = field_instant("2024-01-15 14:31:22", None);
        assert_eq!(local.and_then(|l| l.compare(at)), None);
    }

    /// Found while writing the `instant` fuzz target, whose order check
    /// fails on these two values without the fix: `since` subtracted without
    /// bounds, and epoch field times reach ±9·10¹⁸ µs, so two of them far
    /// apart overflowed (a panic in debug builds, a wrapped and so reversed
    /// order in release builds, misplacing records on the timeline).
    #[test]
    fn far_apart_instants_have_a_difference_of_the_right_sign() {
        let late = field_instant("8.9e12", Some(Epoch::Seconds));
        let early = field_instant("-8.9e12", Some(Epoch::Seconds));
        let (Some(late), Some(early)) = (late, early) else {
            panic!("both are times")
        };
        assert_eq!(late.since(early), Some(i64::MAX));
        assert_eq!(early.since(late), Some(i64::MIN));
        assert_eq!(late.compare(early), Some(Ordering::Greater));
    }

    /// Found by the `instant` fuzz target: the parser read any digits
    /// between the colons and took whatever followed the seconds for a
    /// zone, so `2024-04-01T10:000:0:05.1000` was a local time; nor did it
    /// check that months, days and times were in range.
    #[test]
    fn only_well_formed_date_times_are_instants() {
        for value in [
            "2024-04-01T10:000:0:05.1000",
            "2024-13-01T00:00:00",
            "2024-00-01T00:00:00",
            "2024-02-30T00:00:00",
            "2023-02-29 00:00:00",
            "2024-01-15T24:00:00",
            "2024-01-15T12:60:00",
            "2024-01-15T12:00:01.Z",
            "2024-01-15T12:00:01.",
            "+024-01-15T12:00:00",
            "2024-+1-15T12:00:00",
            "2024-01-15T12:00:00+1",
            "2024-01-15T12:00:00+24:00",
            "2024-01-15T12:00:00+01:60",
            "2024-01-15T12:00:00+01:0",
            "2024-01-15T12:00:00 Z",
        ] {
            assert_eq!(field_instant(value, None), None, "{value}");
        }
        let at = Some(Instant::Absolute(1_705_320_000_000_000));
        for zoned in [
            "2024-01-15T13:00:00+01:00",
            "2024-01-15T13:00:00+0100",
            "2024-01-15T13:00:00+01",
            "2024-01-15t12:00:00z",
        ] {
            assert_eq!(field_instant(zoned, None), at, "{zoned}");
        }
        assert!(field_instant("2024-02-29T23:59:60.9999999", None).is_some());
        assert_eq!(
            instant(Format::Rfc3164, &envelope("Mar 13 99999999999:00:00")),
            None
        );
        assert_eq!(
            instant(Format::Rfc3164, &envelope("Mar 99999999999999 12:00:00")),
            None
        );
    }

    #[test]
    fn epoch_millis_format_and_round_trip() {
        assert_eq!(
            format_epoch_millis(1_778_421_731_453).as_deref(),
            Some("2026-05-10T14:02:11.453Z")
        );
        assert_eq!(
            format_epoch_millis(0).as_deref(),
            Some("1970-01-01T00:00:00.000Z")
        );
        assert_eq!(
            format_epoch_millis(-1).as_deref(),
            Some("1969-12-31T23:59:59.999Z")
        );
        assert_eq!(format_epoch_millis(i64::MAX), None);
        for days in [-800_000_i64, -1, 0, 59, 60, 10_000, 2_000_000] {
            let (y, m, d) = civil_from_days(days);
            assert_eq!(days_from_civil(y, m, d), days);
        }
    }
}
