//! Envelope timestamps as points in time, so streams can be ordered and
//! merged.
//!
//! BSD syslog timestamps carry no year and no zone; they compare with each
//! other (within a year) but not with RFC 3339 or journald times. ISO 8601
//! times without a zone are the writer's local time: they compare with
//! each other, not with absolute ones. The kinds are kept apart in the type
//! so nothing compares them by accident.
//!
//! The parsing is ours (each format's exact shape and ranges); the calendar
//! (which dates exist, days since 1970) is jiff's.

use crate::format::{Envelope, Format};
use jiff::civil::{Date, DateTime};
use jiff::SignedDuration;
use std::cmp::Ordering;

/// 1970-01-01, the day epoch times count from.
const EPOCH_DAY: Date = jiff::civil::date(1970, 1, 1);

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
    // A civil date-time, not a `jiff::Timestamp`: a timestamp stops a day
    // short of 9999-12-31 (room for any zone offset), and UTC needs none.
    let at = EPOCH_DAY
        .to_datetime(jiff::civil::Time::midnight())
        .checked_add(SignedDuration::from_millis(millis))
        .ok()
        .filter(|at: &DateTime| (0..=9999).contains(&at.year()))?;
    Some(format!("{at:.3}Z"))
}

/// The year whose calendar yearless times are placed in: a leap year, as
/// the year is unknown and Feb 29 must have a place.
const SOME_LEAP_YEAR: i16 = 2000;

/// Whether a year-less date, month `month_index` (0 for January) and
/// `day`, exists in some year: Feb 29 does, Feb 30 never. The reader and
/// [`instant`] ask the same calendar.
pub(crate) fn yearless_date_exists(month_index: usize, day: u8) -> bool {
    yearless_date(month_index, day).is_some()
}

fn yearless_date(month_index: usize, day: u8) -> Option<Date> {
    let month = i8::try_from(month_index + 1).ok()?;
    Date::new(SOME_LEAP_YEAR, month, i8::try_from(day).ok()?).ok()
}

/// `Mar 13 12:00:01` or `Mar  3 12:00:01`.
fn bsd(raw: &str) -> Option<Instant> {
    let mut parts = raw.split_ascii_whitespace();
    let month = crate::syslog::month_index(parts.next()?.as_bytes())?;
    let date = yearless_date(month, parts.next()?.parse().ok()?)?;
    let seconds = clock(parts.next()?.as_bytes())?;
    if parts.next().is_some() {
        return None;
    }
    let days = i64::from(date.day_of_year()) - 1;
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
    let date = civil_date(
        digits(bytes, 0..4)?,
        digits(bytes, 5..7)?,
        digits(bytes, 8..10)?,
    )?;
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
    let midnight = date.duration_since(EPOCH_DAY).as_secs();
    Some((
        (midnight + seconds - offset) * 1_000_000 + micros,
        !rest.is_empty(),
    ))
}

/// Whether the Gregorian calendar has day `day` in `month` of `year`
/// (years 0-9999): what every reader and value check of dates asks.
pub fn date_exists(year: u32, month: u32, day: u32) -> bool {
    civil_date(year.into(), month.into(), day.into()).is_some()
}

/// The date `year-month-day`, when it exists (years 0-9999).
fn civil_date(year: i64, month: i64, day: i64) -> Option<Date> {
    if !(0..=9999).contains(&year) {
        return None;
    }
    Date::new(
        i16::try_from(year).ok()?,
        i8::try_from(month).ok()?,
        i8::try_from(day).ok()?,
    )
    .ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn envelope(timestamp: &str) -> Envelope<'_> {
        Envelope {
            timestamp: Some(timestamp.into()),
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

    /// Yearless times are placed in a leap year: Feb 29 lies between Feb 28
    /// and Mar 1, and Dec 31 is the year's 366th day.
    #[test]
    fn bsd_months_are_placed_in_a_leap_year() {
        let day_of = |timestamp: &str| match instant(Format::Rfc3164, &envelope(timestamp)) {
            Some(Instant::Yearless(micros)) => micros / 86_400_000_000,
            other => panic!("{timestamp}: {other:?}"),
        };
        assert_eq!(day_of("Jan  1 00:00:00"), 0);
        assert_eq!(day_of("Feb 28 00:00:00"), 58);
        assert_eq!(day_of("Feb 29 00:00:00"), 59);
        assert_eq!(day_of("Mar  1 00:00:00"), 60);
        assert_eq!(day_of("Dec 31 23:59:59"), 365);
        // A day its month never has is no time, as the reader refuses it.
        assert_eq!(instant(Format::Rfc3164, &envelope("Apr 31 00:00:00")), None);
        assert_eq!(instant(Format::Rfc3164, &envelope("Feb 30 00:00:00")), None);
        assert_eq!(instant(Format::Rfc3164, &envelope("Feb 32 00:00:00")), None);
        assert_eq!(instant(Format::Rfc3164, &envelope("Foo  1 00:00:00")), None);
    }

    #[test]
    fn dates_exist_by_the_gregorian_calendar() {
        let seconds = |value: &str| match field_instant(value, None) {
            Some(Instant::Absolute(micros)) => Some(micros / 1_000_000),
            _ => None,
        };
        assert_eq!(seconds("0000-01-01T00:00:00Z"), Some(-62_167_219_200));
        assert_eq!(seconds("9999-12-31T23:59:59Z"), Some(253_402_300_799));
        assert_eq!(seconds("1969-12-31T23:59:59Z"), Some(-1));
        assert_eq!(seconds("2000-02-29T00:00:00Z"), Some(951_782_400));
        assert_eq!(seconds("1900-02-29T00:00:00Z"), None);
        assert_eq!(seconds("2100-02-29T00:00:00Z"), None);
        assert_eq!(seconds("2024-04-31T00:00:00Z"), None);
        assert_eq!(seconds("2024-12-32T00:00:00Z"), None);
        assert_eq!(seconds("2024-01-00T00:00:00Z"), None);
        // A leap second is the next minute's first.
        assert_eq!(
            seconds("2016-12-31T23:59:60Z"),
            seconds("2017-01-01T00:00:00Z")
        );
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
        // The first and last milliseconds of years 0-9999, and one beyond.
        let first = -62_167_219_200_000;
        let last = 253_402_300_799_999;
        assert_eq!(
            format_epoch_millis(first).as_deref(),
            Some("0000-01-01T00:00:00.000Z")
        );
        assert_eq!(format_epoch_millis(first - 1), None);
        assert_eq!(
            format_epoch_millis(last).as_deref(),
            Some("9999-12-31T23:59:59.999Z")
        );
        assert_eq!(format_epoch_millis(last + 1), None);
        assert_eq!(
            format_epoch_millis(951_782_400_000).as_deref(),
            Some("2000-02-29T00:00:00.000Z")
        );
    }
}
