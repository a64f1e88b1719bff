//! What the timestamp parsers (`logspec_reader::instant`) promise: an
//! instant for what they document, `None` for anything else, and an
//! instant that denotes the time written.

use logspec_reader::instant::format_epoch_millis;
use logspec_reader::{field_instant, instant, Envelope, Epoch, Format, Instant};

/// Checks `field_instant(value, epoch)` and returns it. A number is an
/// absolute instant, and only with an epoch; an ISO 8601 date-time is
/// absolute with a zone and local without, and denotes the date, time and
/// fraction written: formatted back, the instant gives them again.
pub fn check_field_instant(value: &str, epoch: Option<Epoch>) -> Option<Instant> {
    let got = field_instant(value, epoch);
    assert_eq!(got, field_instant(value, epoch), "{value:?}: asked twice");
    let numeric =
        value.starts_with(|c: char| c.is_ascii_digit() || c == '-') && !value.contains([':', 'T']);
    match got {
        None => {}
        Some(Instant::Absolute(_)) if numeric => {
            assert!(epoch.is_some(), "{value:?}: a number read without a unit")
        }
        Some(Instant::Yearless(_)) => panic!("{value:?}: a field read as a yearless time"),
        Some(Instant::Absolute(micros) | Instant::Local(micros)) => {
            let (written, offset) = iso_parts(value)
                .unwrap_or_else(|| panic!("{value:?} read as {got:?} but is no ISO date-time"));
            assert_eq!(
                matches!(got, Some(Instant::Absolute(_))),
                offset.is_some(),
                "{value:?}: read as {got:?}"
            );
            // A leap second is the next minute's first.
            let leap = written.get(17..19) == Some("60");
            let local = micros + offset.unwrap_or(0) * 1_000_000 - i64::from(leap) * 1_000_000;
            let denoted = format_epoch_millis(local.div_euclid(1000))
                .unwrap_or_else(|| panic!("{value:?}: {got:?} is no time of years 0-9999"));
            // Microseconds: the millisecond format drops the last three.
            let mut denoted = format!("{}{:03}", &denoted[..23], local.rem_euclid(1000));
            if leap {
                denoted.replace_range(17..19, "60");
            }
            assert_eq!(written, denoted, "{value:?} read as {got:?}");
        }
    }
    got
}

/// The date, time and fraction of an ISO 8601 date-time, written as
/// `YYYY-MM-DDTHH:MM:SS.ffffff` (fraction cut or padded to six digits),
/// and its zone offset in seconds when it has one. `None` when the value
/// is not one.
fn iso_parts(value: &str) -> Option<(String, Option<i64>)> {
    let bytes = value.as_bytes();
    let digits = |range: std::ops::Range<usize>| {
        bytes
            .get(range)
            .is_some_and(|part| part.iter().all(u8::is_ascii_digit))
    };
    let shape = digits(0..4)
        && bytes.get(4) == Some(&b'-')
        && digits(5..7)
        && bytes.get(7) == Some(&b'-')
        && digits(8..10)
        && matches!(bytes.get(10), Some(b'T' | b't' | b' '))
        && digits(11..13)
        && bytes.get(13) == Some(&b':')
        && digits(14..16)
        && bytes.get(16) == Some(&b':')
        && digits(17..19);
    if !shape {
        return None;
    }
    let mut rest = value.get(19..)?;
    let mut fraction = String::new();
    if let Some(after) = rest.strip_prefix('.') {
        let length = after.bytes().take_while(u8::is_ascii_digit).count();
        if length == 0 {
            return None;
        }
        fraction = after[..length].chars().take(6).collect();
        rest = &after[length..];
    }
    let offset = match rest {
        "" => None,
        "Z" | "z" => Some(0),
        zone => {
            let sign = match zone.as_bytes().first() {
                Some(b'+') => 1,
                Some(b'-') => -1,
                _ => return None,
            };
            // hh, hhmm or hh:mm
            let (hours, minutes) = match zone.get(1..)? {
                hours if hours.len() == 2 => (hours, "00"),
                both if both.len() == 4 => (both.get(..2)?, both.get(2..)?),
                both if both.len() == 5 && both.as_bytes()[2] == b':' => {
                    (both.get(..2)?, both.get(3..)?)
                }
                _ => return None,
            };
            if !hours
                .bytes()
                .chain(minutes.bytes())
                .all(|b| b.is_ascii_digit())
            {
                return None;
            }
            let (hours, minutes): (i64, i64) = (hours.parse().ok()?, minutes.parse().ok()?);
            Some(sign * (hours * 3600 + minutes * 60))
        }
    };
    Some((
        format!("{}T{}.{fraction:0<6}", &value[..10], &value[11..19]),
        offset,
    ))
}

/// Checks `instant(format, envelope)`: no panic on any timestamp, and an
/// instant only for the formats whose envelope carries a time.
pub fn check_envelope_instant(format: Format, envelope: &Envelope) -> Option<Instant> {
    let got = instant(format, envelope);
    let timed = matches!(
        format,
        Format::Rfc3164
            | Format::Rfc5424
            | Format::Journald
            | Format::Logback
            | Format::PipeSeparated
    );
    assert!(
        got.is_none() || (timed && envelope.timestamp.is_some()),
        "{format} {:?}: read as {got:?}",
        envelope.timestamp
    );
    got
}

/// Two instants compare as their difference says, when they compare.
pub fn check_order(earlier: Instant, later: Instant) {
    let order = later.compare(earlier);
    let since = later.since(earlier);
    assert_eq!(order.is_some(), since.is_some(), "{earlier:?} {later:?}");
    if let (Some(order), Some(since)) = (order, since) {
        assert_eq!(order, since.cmp(&0), "{earlier:?} {later:?}");
    }
}
