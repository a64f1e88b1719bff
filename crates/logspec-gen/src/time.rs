//! Timestamps for envelopes: one instant, written the way each format
//! writes it. The calendar is jiff's; the writing is ours, each format's
//! exact spelling.

use jiff::civil::DateTime;
use jiff::tz::Offset;
use jiff::Timestamp;
use logspec_reader::Format;
use logspec_spec::EpochUnit;

/// An instant, in microseconds since the Unix epoch (UTC).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Instant(pub i64);

/// 2000-01-01T00:00:00Z and 2099-12-31T23:59:59Z: a range every format
/// here can write (four-digit years, after the epoch).
pub const EARLIEST: Instant = Instant(946_684_800_000_000);
pub const LATEST: Instant = Instant(4_102_444_799_000_000);

impl Instant {
    /// The instant's date and time of day in UTC. Instants are drawn
    /// between [`EARLIEST`] and [`LATEST`] (a scenario's gaps add a few
    /// weeks at most), far inside jiff's range of years -9999 to 9999;
    /// one outside it would be written at the range's end.
    fn civil(self) -> DateTime {
        let at = Timestamp::from_microsecond(self.0).unwrap_or(if self.0 < 0 {
            Timestamp::MIN
        } else {
            Timestamp::MAX
        });
        Offset::UTC.to_datetime(at)
    }

    /// The month, 1 to 12.
    pub fn month(self) -> u32 {
        self.civil().month().unsigned_abs().into()
    }

    /// BSD syslog's `Mar  3 12:00:01` (day space-padded, no year).
    pub fn bsd(self) -> String {
        let c = self.civil();
        format!(
            "{} {:>2} {:02}:{:02}:{:02}",
            c.strftime("%b"),
            c.day(),
            c.hour(),
            c.minute(),
            c.second()
        )
    }

    /// RFC 3339 with microseconds and a `Z` zone, as RFC 5424 writes it.
    pub fn rfc3339_utc(self) -> String {
        format!("{}Z", self.rfc3339_bare())
    }

    /// RFC 3339 with microseconds and a numeric zone, as rsyslog's
    /// `RSYSLOG_FileFormat` writes it.
    pub fn rfc3339_offset(self) -> String {
        format!("{}+00:00", self.rfc3339_bare())
    }

    /// `2026-03-13T12:00:01.003000`: the date and time RFC 3339 writes,
    /// to the microsecond, without a zone.
    fn rfc3339_bare(self) -> String {
        let c = self.civil();
        format!(
            "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:06}",
            c.year(),
            c.month(),
            c.day(),
            c.hour(),
            c.minute(),
            c.second(),
            c.subsec_nanosecond() / 1000
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
        let date = format!("{:04}-{:02}-{:02}", c.year(), c.month(), c.day());
        let time = format!("{:02}:{:02}:{:02}", c.hour(), c.minute(), c.second());
        let fraction = format!("{:03}", c.subsec_nanosecond() / 1_000_000);
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
