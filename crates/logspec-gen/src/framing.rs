//! Framings: a wire format together with the options a producer's setup
//! picks within it, since one [`Format`] covers several shapes (RFC 3164
//! with or without `<PRI>`, hostname, ISO timestamp; relaxed or canonical
//! Extended JSON) and what a line carries decides which findings it can
//! raise.

use crate::GenError;
use logspec_reader::Format;
use logspec_spec::Spec;
use std::fmt;
use std::str::FromStr;

/// How a record is written on the wire.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Framing {
    /// BSD syslog. The default (no option) is a `/var/log/syslog` line:
    /// `Mar 13 12:00:01 host tag[pid]: payload`.
    Rfc3164 {
        /// A leading `<PRI>` (what syslog(3) sends to `/dev/log`).
        pri: bool,
        /// The hostname after the timestamp (absent on `/dev/log`).
        hostname: bool,
        /// rsyslog's RFC 3339 timestamp instead of `Mar 13 12:00:01`.
        iso_timestamp: bool,
    },
    /// `<PRI>1 TIMESTAMP HOST APP PROCID - - payload`.
    Rfc5424,
    /// One `journalctl -o json` object per line.
    Journald,
    /// The payload alone.
    Bare,
    /// One JSON object per line.
    JsonLines,
    /// One pretty-printed JSON object per input.
    JsonDocument,
    /// One MongoDB document per line as `mongoexport` writes it: relaxed
    /// Extended JSON by default, canonical with `+canonical`.
    ExtendedJson {
        /// Dates as `{"$numberLong": …}` milliseconds, numbers wrapped.
        canonical: bool,
    },
    /// `TIME LEVEL [thread] [key=value]… logger -- message`.
    Logback,
    /// `TIME | LEVEL | logger | message`.
    PipeSeparated,
    /// A title line and indented `Title: value` lines, up to an empty line.
    RceReadable,
    /// `event:` and `data:` lines up to an empty line.
    Sse,
    /// One OTLP/JSON logs export per line, holding the record.
    OtlpJson,
    /// The record's message alone, as console output.
    PlainText,
}

impl Framing {
    /// The `/var/log/syslog` form of RFC 3164.
    pub const SYSLOG_FILE: Framing = Framing::Rfc3164 {
        pri: false,
        hostname: true,
        iso_timestamp: false,
    };

    /// Every framing of `format`.
    pub fn all_of(format: Format) -> Vec<Framing> {
        match format {
            Format::Rfc3164 => {
                let mut all = Vec::with_capacity(8);
                for pri in [false, true] {
                    for hostname in [true, false] {
                        for iso_timestamp in [false, true] {
                            all.push(Framing::Rfc3164 {
                                pri,
                                hostname,
                                iso_timestamp,
                            });
                        }
                    }
                }
                all
            }
            Format::ExtendedJson => vec![
                Framing::ExtendedJson { canonical: false },
                Framing::ExtendedJson { canonical: true },
            ],
            other => vec![Framing::default_of(other)],
        }
    }

    /// Every framing of every format `spec` declares (all its record
    /// kinds'), each once, in its order.
    pub fn all_for(spec: &Spec) -> Vec<Framing> {
        let mut all: Vec<Framing> = Vec::new();
        for envelope in spec.kinds().flat_map(|kind| &kind.envelopes) {
            for framing in Framing::all_of(*envelope) {
                if !all.contains(&framing) {
                    all.push(framing);
                }
            }
        }
        all
    }

    /// The plain framing of `format`: `/var/log/syslog` for RFC 3164,
    /// relaxed Extended JSON.
    pub fn default_of(format: Format) -> Framing {
        match format {
            Format::Rfc3164 => Framing::SYSLOG_FILE,
            Format::Rfc5424 => Framing::Rfc5424,
            Format::Journald => Framing::Journald,
            Format::Bare => Framing::Bare,
            Format::JsonLines => Framing::JsonLines,
            Format::JsonDocument => Framing::JsonDocument,
            Format::ExtendedJson => Framing::ExtendedJson { canonical: false },
            Format::Logback => Framing::Logback,
            Format::PipeSeparated => Framing::PipeSeparated,
            Format::RceReadable => Framing::RceReadable,
            Format::Sse => Framing::Sse,
            Format::OtlpJson => Framing::OtlpJson,
            Format::PlainText => Framing::PlainText,
        }
    }

    /// The reader format that reads this framing.
    pub fn format(self) -> Format {
        match self {
            Framing::Rfc3164 { .. } => Format::Rfc3164,
            Framing::Rfc5424 => Format::Rfc5424,
            Framing::Journald => Format::Journald,
            Framing::Bare => Format::Bare,
            Framing::JsonLines => Format::JsonLines,
            Framing::JsonDocument => Format::JsonDocument,
            Framing::ExtendedJson { .. } => Format::ExtendedJson,
            Framing::Logback => Format::Logback,
            Framing::PipeSeparated => Format::PipeSeparated,
            Framing::RceReadable => Format::RceReadable,
            Framing::Sse => Format::Sse,
            Framing::OtlpJson => Format::OtlpJson,
            Framing::PlainText => Format::PlainText,
        }
    }

    /// Whether lines carry a syslog severity (so `severity-mismatch` can be raised).
    pub fn carries_severity(self) -> bool {
        match self {
            Framing::Rfc3164 { pri, .. } => pri,
            Framing::Rfc5424 | Framing::Journald => true,
            _ => false,
        }
    }

    /// Whether lines carry a facility (so `facility-mismatch` can be raised).
    pub fn carries_facility(self) -> bool {
        self.carries_severity()
    }

    /// Whether values are written with JSON types (so a JSON type can be
    /// wrong, and `null` written).
    pub fn json_typed(self) -> bool {
        is_json(self.format())
    }

    /// Whether lines name the host they come from.
    pub fn carries_host(self) -> bool {
        match self {
            Framing::Rfc3164 { hostname, .. } => hostname,
            Framing::Rfc5424 | Framing::Journald => true,
            _ => false,
        }
    }

    /// Whether lines carry the writer's process id (`tag[pid]`, PROCID,
    /// `_PID`).
    pub fn carries_pid(self) -> bool {
        self.carries_tag()
    }

    /// Whether lines carry a tag (so `emitter-mismatch` can be raised).
    pub fn carries_tag(self) -> bool {
        matches!(
            self,
            Framing::Rfc3164 { .. } | Framing::Rfc5424 | Framing::Journald
        )
    }
}

/// Whether values of `format` have JSON types (the checker then checks
/// them with the type, and `null` can be written).
pub(crate) fn is_json(format: Format) -> bool {
    matches!(
        format,
        Format::JsonLines
            | Format::JsonDocument
            | Format::ExtendedJson
            | Format::Sse
            | Format::OtlpJson
    )
}

/// Whether `format`'s layout names the event itself (a title, an
/// `event:` line) rather than through the event key.
pub(crate) fn names_event(format: Format) -> bool {
    matches!(format, Format::RceReadable | Format::Sse)
}

/// Whether `format` writes the event key as a field: not where a title
/// names the event instead (RCE readable; an SSE `event:` line comes with
/// the key in its data).
pub(crate) fn writes_event_key(format: Format) -> bool {
    format != Format::RceReadable
}

/// `rfc3164+pri+nohost` (syslog(3)), `extended-json+canonical`, `rfc5424`, ...
impl fmt::Display for Framing {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.format().name())?;
        let options: &[(bool, &str)] = match *self {
            Framing::Rfc3164 {
                pri,
                hostname,
                iso_timestamp,
            } => &[
                (pri, "+pri"),
                (!hostname, "+nohost"),
                (iso_timestamp, "+iso"),
            ],
            Framing::ExtendedJson { canonical } => &[(canonical, "+canonical")],
            _ => &[],
        };
        for (on, option) in options {
            if *on {
                f.write_str(option)?;
            }
        }
        Ok(())
    }
}

impl FromStr for Framing {
    type Err = GenError;

    fn from_str(name: &str) -> Result<Framing, GenError> {
        let unknown = || GenError::UnknownFraming {
            name: name.to_owned(),
        };
        let mut parts = name.split('+');
        let format = parts
            .next()
            .and_then(Format::from_name)
            .ok_or_else(unknown)?;
        let mut framing = Framing::default_of(format);
        for option in parts {
            let flag = match (&mut framing, option) {
                (Framing::Rfc3164 { pri, .. }, "pri") => pri,
                (Framing::Rfc3164 { iso_timestamp, .. }, "iso") => iso_timestamp,
                (Framing::ExtendedJson { canonical }, "canonical") => canonical,
                // `nohost` turns the default hostname off.
                (Framing::Rfc3164 { hostname, .. }, "nohost") if *hostname => {
                    *hostname = false;
                    continue;
                }
                _ => return Err(unknown()),
            };
            if *flag {
                return Err(unknown());
            }
            *flag = true;
        }
        Ok(framing)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for format in Format::ALL {
            for framing in Framing::all_of(format) {
                assert_eq!(framing.to_string().parse::<Framing>(), Ok(framing));
            }
        }
        assert_eq!("rfc3164".parse::<Framing>(), Ok(Framing::SYSLOG_FILE));
        assert_eq!(
            "rfc3164+pri+nohost".parse::<Framing>(),
            Ok(Framing::Rfc3164 {
                pri: true,
                hostname: false,
                iso_timestamp: false
            })
        );
        for bad in [
            "",
            "syslog",
            "rfc5424+pri",
            "rfc3164+pri+pri",
            "rfc3164+nohost+nohost",
            "rfc3164+",
            "extended-json+canonical+canonical",
            "json-lines+pri",
        ] {
            assert!(bad.parse::<Framing>().is_err(), "{bad}");
        }
    }
}
