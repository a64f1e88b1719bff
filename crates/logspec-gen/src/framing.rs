//! Framings: a wire format together with the options a producer's syslog
//! setup picks within it, since one [`Format`] covers several line shapes
//! (RFC 3164 with or without `<PRI>`, hostname, ISO timestamp) and what a
//! line carries decides which findings it can raise.

use crate::GenError;
use logspec_checker::plan::format_of;
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
}

impl Framing {
    /// The `/var/log/syslog` form of RFC 3164.
    pub const SYSLOG_FILE: Framing = Framing::Rfc3164 {
        pri: false,
        hostname: true,
        iso_timestamp: false,
    };

    /// Every framing of `format`: none for the formats records cannot be
    /// rendered in yet (the JSON and text-layout formats).
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
            other => Framing::default_of(other).into_iter().collect(),
        }
    }

    /// Every framing of every envelope `spec` declares, in its order.
    pub fn all_for(spec: &Spec) -> Vec<Framing> {
        spec.wire
            .envelopes
            .iter()
            .flat_map(|envelope| Framing::all_of(format_of(*envelope)))
            .collect()
    }

    /// The plain framing of `format`: `/var/log/syslog` for RFC 3164;
    /// `None` for a format records cannot be rendered in yet.
    pub fn default_of(format: Format) -> Option<Framing> {
        match format {
            Format::Rfc3164 => Some(Framing::SYSLOG_FILE),
            Format::Rfc5424 => Some(Framing::Rfc5424),
            Format::Journald => Some(Framing::Journald),
            Format::Bare => Some(Framing::Bare),
            Format::JsonLines
            | Format::JsonDocument
            | Format::ExtendedJson
            | Format::Logback
            | Format::PipeSeparated
            | Format::RceReadable
            | Format::Sse
            | Format::OtlpJson
            | Format::PlainText => None,
        }
    }

    /// The reader format that reads this framing.
    pub fn format(self) -> Format {
        match self {
            Framing::Rfc3164 { .. } => Format::Rfc3164,
            Framing::Rfc5424 => Format::Rfc5424,
            Framing::Journald => Format::Journald,
            Framing::Bare => Format::Bare,
        }
    }

    /// Whether lines carry a syslog severity (so `severity-mismatch` can be raised).
    pub fn carries_severity(self) -> bool {
        match self {
            Framing::Rfc3164 { pri, .. } => pri,
            Framing::Rfc5424 | Framing::Journald => true,
            Framing::Bare => false,
        }
    }

    /// Whether lines carry a facility (so `facility-mismatch` can be raised).
    pub fn carries_facility(self) -> bool {
        self.carries_severity()
    }

    /// Whether lines carry a tag (so `emitter-mismatch` can be raised).
    pub fn carries_tag(self) -> bool {
        !matches!(self, Framing::Bare)
    }
}

/// `rfc3164`, `rfc3164+pri+nohost` (syslog(3)), `rfc3164+iso`, `rfc5424`, ...
impl fmt::Display for Framing {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.format().name())?;
        if let Framing::Rfc3164 {
            pri,
            hostname,
            iso_timestamp,
        } = *self
        {
            for (on, option) in [
                (pri, "+pri"),
                (!hostname, "+nohost"),
                (iso_timestamp, "+iso"),
            ] {
                if on {
                    f.write_str(option)?;
                }
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
        let mut framing = Framing::default_of(format).ok_or_else(unknown)?;
        for option in parts {
            let Framing::Rfc3164 {
                pri,
                hostname,
                iso_timestamp,
            } = &mut framing
            else {
                return Err(unknown());
            };
            let flag = match option {
                "pri" => pri,
                "iso" => iso_timestamp,
                // `nohost` turns the default hostname off.
                "nohost" if *hostname => {
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
        ] {
            assert!(bad.parse::<Framing>().is_err(), "{bad}");
        }
    }
}
