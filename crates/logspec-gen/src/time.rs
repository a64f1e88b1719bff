//! Timestamps for envelopes: one instant, written the way each format
//! writes it. Hand-written (civil-from-days) because a date crate would be
//! a dependency for three formatting functions.

use logspec_reader::Format;
use logspec_spec::EpochUnit;

/// An instant, in microseconds since the Unix epoch (UTC).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Instant(pub i64);

/// 2000-01-01T00:00:00Z and 2099-12-31T23:59:59Z: a range every format
/// here can write (four-digit years, after the epoch).
pub const EARLIEST: Instant = Instant(946_684_800_000_000);
pub const LATEST: Instant = Instant(4_102_444_799_000_000);

const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// An instant split into calendar fields.
struct Civil {
    year: i64,
    month: u32,
    day: u32,
    hour: u32,
    minute: u32,
    second: u32,
    micros: u32,
}

impl Instant {
    fn civil(self) -> Civil {
        let micros = self.0.rem_euclid(1_000_000) as u32;
        let seconds = self.0.div_euclid(1_000_000);
        let days = seconds.div_euclid(86_400);
        let of_day = seconds.rem_euclid(86_400) as u32;
        let (year, month, day) = civil_from_days(days);
        Civil {
            year,
            month,
            day,
            hour: of_day / 3600,
            minute: of_day / 60 % 60,
            second: of_day % 60,
            micros,
        }
    }

    /// The month, 1 to 12.
    pub fn month(self) -> u32 {
        self.civil().month
    }

    /// BSD syslog's `Mar  3 12:00:01` (day space-padded, no year).
    pub fn bsd(self) -> String {
        let c = self.civil();
        let month = MONTHS[(c.month as usize).saturating_sub(1) % 12];
        format!(
            "{month} {:>2} {:02}:{:02}:{:02}",
            c.day, c.hour, c.minute, c.second
        )
    }

    /// RFC 3339 with microseconds and a `Z` zone, as RFC 5424 writes it.
    pub fn rfc3339_utc(self) -> String {
        let c = self.civil();
        format!(
            "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:06}Z",
            c.year, c.month, c.day, c.hour, c.minute, c.second, c.micros
        )
    }

    /// RFC 3339 with microseconds and a numeric zone, as rsyslog's
    /// `RSYSLOG_FileFormat` writes it.
    pub fn rfc3339_offset(self) -> String {
        let c = self.civil();
        format!(
            "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:06}+00:00",
            c.year, c.month, c.day, c.hour, c.minute, c.second, c.micros
        )
    }

    /// journald's `__REALTIME_TIMESTAMP`: microseconds as decimal digits.
    pub fn micros(self) -> String {
        self.0.to_string()
    }

    /// The ways a record's own time field may write the instant, the
    /// likeliest for `format` first: epoch numbers in the spec's unit when
    /// it gives one, then ISO 8601 with milliseconds and `Z` (the one
    /// spelling of a canonical Extended JSON `$date`), local time (RCE's
    /// readable log), and Python's `2025-01-15 14:30:22` (first for
    /// pipe-separated lines).
    pub(crate) fn field_forms(self, epoch: Option<EpochUnit>, format: Format) -> Vec<String> {
        let millis = self.0.div_euclid(1000);
        let mut forms = Vec::with_capacity(6);
        if let Some(unit) = epoch {
            let whole = match unit {
                EpochUnit::Seconds => self.0.div_euclid(1_000_000),
                EpochUnit::Milliseconds => millis,
                EpochUnit::Microseconds => self.0,
                EpochUnit::Nanoseconds => self.0.saturating_mul(1000),
            };
            if unit == EpochUnit::Seconds {
                forms.push(format!("{whole}.{:03}", millis.rem_euclid(1000)));
            }
            forms.push(whole.to_string());
        }
        let c = self.civil();
        let date = format!("{:04}-{:02}-{:02}", c.year, c.month, c.day);
        let time = format!("{:02}:{:02}:{:02}", c.hour, c.minute, c.second);
        let fraction = format!("{:03}", c.micros / 1000);
        let mut iso = [
            format!("{date}T{time}.{fraction}Z"),
            format!("{date}T{time}.{fraction}"),
            format!("{date}T{time}"),
            format!("{date} {time}"),
        ];
        if format == Format::PipeSeparated {
            iso.rotate_right(1);
        }
        forms.extend(iso);
        forms
    }
}

/// Howard Hinnant's `civil_from_days`: days since 1970-01-01 to
/// (year, month, day) in the proleptic Gregorian calendar.
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_instants() {
        // 2026-03-13T12:00:01.003Z
        let instant = Instant(1_773_403_201_003_000);
        assert_eq!(instant.bsd(), "Mar 13 12:00:01");
        assert_eq!(instant.rfc3339_utc(), "2026-03-13T12:00:01.003000Z");
        assert_eq!(instant.rfc3339_offset(), "2026-03-13T12:00:01.003000+00:00");
        assert_eq!(instant.micros(), "1773403201003000");
        assert_eq!(EARLIEST.rfc3339_utc(), "2000-01-01T00:00:00.000000Z");
        assert_eq!(LATEST.rfc3339_utc(), "2099-12-31T23:59:59.000000Z");
        // Leap day, and a day padded with a space.
        assert_eq!(Instant(951_782_400_000_000).bsd(), "Feb 29 00:00:00");
        assert_eq!(Instant(952_041_600_000_000).bsd(), "Mar  3 00:00:00");
    }

    #[test]
    fn field_forms() {
        let instant = Instant(1_705_329_082_456_789);
        assert_eq!(
            instant.field_forms(Some(EpochUnit::Seconds), Format::JsonDocument)[..2],
            ["1705329082.456", "1705329082"]
        );
        assert_eq!(
            instant.field_forms(Some(EpochUnit::Milliseconds), Format::RceReadable)[..3],
            [
                "1705329082456",
                "2024-01-15T14:31:22.456Z",
                "2024-01-15T14:31:22.456"
            ]
        );
        assert_eq!(
            instant.field_forms(None, Format::PipeSeparated)[0],
            "2024-01-15 14:31:22"
        );
        assert_eq!(
            instant.field_forms(None, Format::Logback)[..3],
            [
                "2024-01-15T14:31:22.456Z",
                "2024-01-15T14:31:22.456",
                "2024-01-15T14:31:22"
            ]
        );
    }
}
