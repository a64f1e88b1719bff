//! Structure-aware input for the round-trip target: a record (envelope and
//! key/value pairs) that `arbitrary` builds from fuzzer bytes.
//!
//! The fuzzer's strings can hold anything, so [`ArbitraryRecord::line`]
//! first makes them representable in the chosen format (drops the bytes a
//! field cannot carry, brings numbers into range), and returns the line
//! together with exactly what a reader must read back from it.

use crate::render::{self, JournalValue, Padding, SdElement};
use arbitrary::Arbitrary;
use logspec_reader::{Envelope, Format, Priority};

#[derive(Debug, Arbitrary)]
pub struct ArbitraryRecord {
    pub framing: Framing,
    pub pairs: Vec<(String, String)>,
}

#[derive(Debug, Arbitrary)]
pub enum Framing {
    Rfc3164 {
        priority: Option<(u8, u8)>,
        timestamp: Timestamp3164,
        hostname: Option<String>,
        tag: String,
        pid: Option<String>,
    },
    Rfc5424 {
        priority: (u8, u8),
        timestamp: Option<Rfc3339>,
        hostname: Option<String>,
        app_name: Option<String>,
        procid: Option<String>,
        msgid: Option<String>,
        structured_data: Vec<(String, Vec<(String, String)>)>,
        bom: bool,
    },
    Journald {
        message_as_bytes: bool,
        severity: Option<u8>,
        facility: Option<u8>,
        identifier: Option<(String, bool)>,
        hostname: Option<(String, bool)>,
        realtime: Option<u64>,
        pid: Option<(String, bool)>,
        syslog_pid: Option<(String, bool)>,
        /// Fields the reader ignores, as journalctl writes dozens of.
        others: Vec<(String, String)>,
        /// Sort keys placing the fields in an arbitrary order.
        ranks: Vec<u8>,
    },
    Bare,
}

#[derive(Debug, Arbitrary)]
pub enum Timestamp3164 {
    Bsd {
        month: u8,
        day: u8,
        padding: Padding,
        time: (u8, u8, u8),
    },
    Iso(Rfc3339),
}

#[derive(Debug, Arbitrary)]
pub struct Rfc3339 {
    date: (u16, u8, u8),
    time: (u8, u8, u8),
    fraction: Option<(u8, u32)>,
    offset: Option<(bool, u8, u8)>,
}

/// The formats records are rendered in, in detection order.
pub const FORMATS: [Format; 4] = [
    Format::Rfc3164,
    Format::Rfc5424,
    Format::Journald,
    Format::Bare,
];

/// What a reader must get back from a rendered line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Expected {
    pub envelope: Envelope<'static>,
    /// (key, value, quoted)
    pub pairs: Vec<(String, String, bool)>,
}

/// The journal fields the reader interprets; any other name is ignored.
const JOURNAL_FIELDS: [&str; 8] = [
    "MESSAGE",
    "PRIORITY",
    "SYSLOG_FACILITY",
    "SYSLOG_IDENTIFIER",
    "_HOSTNAME",
    "__REALTIME_TIMESTAMP",
    "_PID",
    "SYSLOG_PID",
];

impl ArbitraryRecord {
    /// The format the record is framed in.
    pub fn format(&self) -> Format {
        match self.framing {
            Framing::Rfc3164 { .. } => Format::Rfc3164,
            Framing::Rfc5424 { .. } => Format::Rfc5424,
            Framing::Journald { .. } => Format::Journald,
            Framing::Bare => Format::Bare,
        }
    }

    /// The rendered line (without its newline) and what reading it must give.
    pub fn line(&self) -> (String, Expected) {
        // A journal entry escapes everything in JSON; every other format
        // is one line of text, which holds no newline and no NUL.
        let in_line = !matches!(self.framing, Framing::Journald { .. });
        let pairs: Vec<(String, String, bool)> = self
            .pairs
            .iter()
            .map(|(key, value)| {
                let key = keep(key, |c| {
                    let splits = matches!(c, ' ' | '\t' | '=' | '"');
                    !(splits || in_line && matches!(c, '\n' | '\0'))
                });
                let key = if key.is_empty() { "K".to_owned() } else { key };
                let value = keep(value, |c| !(in_line && matches!(c, '\n' | '\0')));
                let quoted = render::needs_quotes(&value);
                (key, value, quoted)
            })
            .collect();
        let kv: Vec<(&str, &str)> = pairs
            .iter()
            .map(|(key, value, _)| (key.as_str(), value.as_str()))
            .collect();
        let payload = render::payload(&kv);
        let (line, envelope) = self.frame(&payload);
        (line, Expected { envelope, pairs })
    }

    fn frame(&self, payload: &str) -> (String, Envelope<'static>) {
        match &self.framing {
            Framing::Rfc3164 {
                priority,
                timestamp,
                hostname,
                tag,
                pid,
            } => {
                let priority = priority.map(priority_of);
                let timestamp = match timestamp {
                    Timestamp3164::Bsd {
                        month,
                        day,
                        padding,
                        time,
                    } => render::bsd_timestamp(
                        usize::from(*month),
                        // No year: any day the month has in some year
                        // (2000 is a leap year, so Feb 29 too).
                        day % days_in_month(2000, month % 12 + 1) + 1,
                        *padding,
                        clock(*time),
                    ),
                    Timestamp3164::Iso(timestamp) => timestamp.render(),
                };
                let word = |text: &str, also: &[char]| {
                    keep(text, |c| {
                        !matches!(c, ' ' | '\n' | '\0') && !also.contains(&c)
                    })
                };
                // A hostname never ends in ':' nor holds "]:", which is how
                // a tag is told from it (hostnames hold no brackets); a tag name holds no '[', which opens its pid, and
                // neither tag nor pid holds ':', whose first one ends the tag
                // (the message may follow it without a space).
                let hostname = hostname
                    .as_deref()
                    .map(|text| word(text, &['[', ']']).trim_end_matches(':').to_owned())
                    .filter(|text| !text.is_empty());
                let tag = non_empty(word(tag, &['[', ':']), "tag");
                let pid = pid
                    .as_deref()
                    .map(|text| word(text, &['[', ']', ':']))
                    .filter(|text| !text.is_empty());
                let line = render::Rfc3164 {
                    priority,
                    timestamp: &timestamp,
                    hostname: hostname.as_deref(),
                    tag: &tag,
                    pid: pid.as_deref(),
                }
                .line(payload);
                let envelope = Envelope {
                    facility: priority.map(|p| p.facility),
                    severity: priority.map(|p| p.severity),
                    timestamp: Some(timestamp.into()),
                    hostname: hostname.map(Into::into),
                    tag: Some(tag.into()),
                    pid: pid.map(Into::into),
                };
                (line, envelope)
            }
            Framing::Rfc5424 {
                priority,
                timestamp,
                hostname,
                app_name,
                procid,
                msgid,
                structured_data,
                bom,
            } => {
                let priority = priority_of(*priority);
                let timestamp = timestamp.as_ref().map(Rfc3339::render);
                let header = |text: &Option<String>, max: usize| {
                    text.as_deref()
                        .map(|text| {
                            let text = keep(text, |c| ('!'..='~').contains(&c));
                            text.chars().take(max).collect::<String>()
                        })
                        .filter(|text| !text.is_empty() && text != "-")
                };
                let hostname = header(hostname, 255);
                let app_name = header(app_name, 48);
                let procid = header(procid, 128);
                let msgid = header(msgid, 32);
                let sd_name = |text: &str| {
                    let name = keep(text, |c| {
                        ('!'..='~').contains(&c) && !matches!(c, '=' | ']' | '"')
                    });
                    non_empty(name.chars().take(32).collect(), "x")
                };
                // An SD-ID names one element per message (RFC 5424
                // §6.3.2): a repeated one is a record the reader refuses.
                let mut ids = std::collections::HashSet::new();
                let structured_data: Vec<SdElement> = structured_data
                    .iter()
                    .filter(|(id, _)| ids.insert(sd_name(id)))
                    .map(|(id, params)| SdElement {
                        id: sd_name(id),
                        params: params
                            .iter()
                            .map(|(name, value)| {
                                (sd_name(name), keep(value, |c| !matches!(c, '\n' | '\0')))
                            })
                            .collect(),
                    })
                    .collect();
                // The reader removes one BOM before the message: a payload
                // that starts with one needs another in front.
                let bom = *bom || payload.starts_with('\u{FEFF}');
                let line = render::Rfc5424 {
                    priority,
                    timestamp: timestamp.as_deref(),
                    hostname: hostname.as_deref(),
                    app_name: app_name.as_deref(),
                    procid: procid.as_deref(),
                    msgid: msgid.as_deref(),
                    structured_data: &structured_data,
                    bom,
                }
                .line(payload);
                let envelope = Envelope {
                    facility: Some(priority.facility),
                    severity: Some(priority.severity),
                    timestamp: timestamp.map(Into::into),
                    hostname: hostname.map(Into::into),
                    tag: app_name.map(Into::into),
                    pid: procid.map(Into::into),
                };
                (line, envelope)
            }
            Framing::Journald {
                message_as_bytes,
                severity,
                facility,
                identifier,
                hostname,
                realtime,
                pid,
                syslog_pid,
                others,
                ranks,
            } => {
                let severity = severity.map(|s| s % 8);
                let facility = facility.map(|f| f % 24);
                let severity_text = severity.map(|s| s.to_string());
                let facility_text = facility.map(|f| f.to_string());
                let realtime_text = realtime.map(|r| r.to_string());
                let mut fields: Vec<(&str, JournalValue<'_>)> =
                    vec![("MESSAGE", journal_value(payload, *message_as_bytes))];
                let texts = [
                    ("PRIORITY", severity_text.as_deref().map(|t| (t, false))),
                    (
                        "SYSLOG_FACILITY",
                        facility_text.as_deref().map(|t| (t, false)),
                    ),
                    (
                        "SYSLOG_IDENTIFIER",
                        identifier.as_ref().map(|(t, b)| (t.as_str(), *b)),
                    ),
                    (
                        "_HOSTNAME",
                        hostname.as_ref().map(|(t, b)| (t.as_str(), *b)),
                    ),
                    (
                        "__REALTIME_TIMESTAMP",
                        realtime_text.as_deref().map(|t| (t, false)),
                    ),
                    ("_PID", pid.as_ref().map(|(t, b)| (t.as_str(), *b))),
                    (
                        "SYSLOG_PID",
                        syslog_pid.as_ref().map(|(t, b)| (t.as_str(), *b)),
                    ),
                ];
                for (name, text) in texts {
                    if let Some((text, as_bytes)) = text {
                        fields.push((name, journal_value(text, as_bytes)));
                    }
                }
                let other_names: Vec<String> = others
                    .iter()
                    .map(|(name, _)| {
                        if JOURNAL_FIELDS.contains(&name.as_str()) {
                            format!("X{name}")
                        } else {
                            name.clone()
                        }
                    })
                    .collect();
                for (name, (_, value)) in other_names.iter().zip(others) {
                    fields.push((name, JournalValue::Text(value)));
                }
                let mut ranked: Vec<(u8, (&str, JournalValue<'_>))> = fields
                    .into_iter()
                    .enumerate()
                    .map(|(index, field)| (ranks.get(index).copied().unwrap_or(0), field))
                    .collect();
                ranked.sort_by_key(|(rank, _)| *rank);
                let fields: Vec<(&str, JournalValue<'_>)> =
                    ranked.into_iter().map(|(_, field)| field).collect();
                let line = render::journald(&fields);
                let text = |field: &Option<(String, bool)>| field.as_ref().map(|(t, _)| t.clone());
                let envelope = Envelope {
                    facility,
                    severity,
                    timestamp: realtime_text.map(Into::into),
                    hostname: text(hostname).map(Into::into),
                    tag: text(identifier).map(Into::into),
                    // journalctl prefers the kernel-attested _PID.
                    pid: text(pid).or_else(|| text(syslog_pid)).map(Into::into),
                };
                (line, envelope)
            }
            Framing::Bare => (payload.to_owned(), Envelope::default()),
        }
    }
}

impl Rfc3339 {
    fn render(&self) -> String {
        let (year, month, day) = self.date;
        let year = year % 10_000;
        let month = month % 12 + 1;
        let day = day % days_in_month(year, month) + 1;
        render::rfc3339(
            (year, month, day),
            clock(self.time),
            self.fraction
                .map(|(digits, value)| (usize::from(digits % 9) + 1, value)),
            self.offset
                .map(|(ahead, hours, minutes)| (ahead, hours % 24, minutes % 60)),
        )
    }
}

fn days_in_month(year: u16, month: u8) -> u8 {
    match month {
        2 if year.is_multiple_of(4) && (!year.is_multiple_of(100) || year.is_multiple_of(400)) => {
            29
        }
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// `hh:mm:ss` parts in range, a leap second included.
fn clock((hour, minute, second): (u8, u8, u8)) -> (u8, u8, u8) {
    (hour % 24, minute % 60, second % 61)
}

fn priority_of((facility, severity): (u8, u8)) -> Priority {
    Priority {
        facility: facility % 24,
        severity: severity % 8,
    }
}

/// Text as bytes when asked and possible: journalctl's byte arrays never
/// hold NUL, which a reader rejects in text.
fn journal_value(text: &str, as_bytes: bool) -> JournalValue<'_> {
    if as_bytes && !text.contains('\0') {
        JournalValue::Bytes(text)
    } else {
        JournalValue::Text(text)
    }
}

fn keep(text: &str, allowed: impl Fn(char) -> bool) -> String {
    text.chars().filter(|&c| allowed(c)).collect()
}

fn non_empty(text: String, fallback: &str) -> String {
    if text.is_empty() {
        fallback.to_owned()
    } else {
        text
    }
}
