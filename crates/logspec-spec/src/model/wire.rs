//! Record kinds: how records travel (envelopes, payload), where their
//! time and level are, the severity vocabulary, and the programs that
//! write them.

use serde::Deserialize;

use super::Pattern;

/// A wire format, as a record kind's `envelopes` names it: the reader's
/// one table of formats ([`logspec_reader::Format::ALL`]), so a spec can
/// declare exactly the formats there are readers for, under the same names
/// the command line takes. The first four frame a text payload (read as
/// `payload` says); the others are whole records that carry their fields.
pub use logspec_reader::Format as Envelope;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Payload {
    #[default]
    KeyValue,
}

/// The non-empty `/`- or `\\`-separated parts of a path or of a path
/// pattern (`paths`), `.` left out: what a pattern is matched by, and what
/// the loader requires a pattern to have at least one of (a pattern of only
/// separators would match the end of every path).
pub fn path_segments(path: &str) -> impl Iterator<Item = &str> {
    path.split(['/', '\\'])
        .filter(|part| !part.is_empty() && *part != ".")
}

/// A record kind: how its records travel, which field names the event,
/// and where its time and level are. A spec's `wire` is its first kind.
#[derive(Debug, Clone, Deserialize)]
pub struct Wire {
    /// The kind's name (required in `records`; `wire` defaults to `records`).
    pub name: Option<String>,
    pub description: Option<String>,
    pub envelopes: Vec<Envelope>,
    /// How the text payload of the first four envelopes is read.
    #[serde(default)]
    pub payload: Payload,
    /// The field whose value names the event; empty when `event` is set.
    #[serde(default)]
    pub event_key: String,
    #[serde(default)]
    pub event_key_first: bool,
    /// The event every record of this kind is, for records without an
    /// event key (a process log line).
    pub event: Option<String>,
    /// Path patterns of the files holding this kind (`runs/*/record.json`).
    #[serde(default)]
    pub paths: Vec<String>,
    /// The field holding the record's time.
    pub timestamp: Option<TimestampSource>,
    /// The field holding the record's level, as a word of `severity.levels`.
    pub level: Option<LevelSource>,
    /// The field holding the record's message, for variants that list
    /// their messages (the whole line in `plain-text`).
    pub message: Option<LevelSource>,
    /// The field holding the record's audit mark (`true` when marked),
    /// for variants that say whether they are audit records.
    pub audit: Option<LevelSource>,
    /// What an event the spec does not document is.
    #[serde(default)]
    pub unknown_events: UnknownEvents,
    /// Lines the document says may follow a record of a multi-line layout
    /// (logback, pipe-separated) besides the stack trace the layout prints:
    /// each matched against the whole line.
    #[serde(default)]
    pub continuation_lines: Vec<Pattern>,
}

impl Wire {
    /// The kind's name.
    pub fn kind_name(&self) -> &str {
        self.name.as_deref().unwrap_or("records")
    }
}

/// Where a record's time is and how epoch numbers count.
#[derive(Debug, Clone, Deserialize)]
pub struct TimestampSource {
    pub field: String,
    /// The unit of a value written as a number; ISO 8601 values need none.
    pub epoch: Option<EpochUnit>,
    /// Whether an input holds its records in time order.
    #[serde(default)]
    pub order: TimeOrder,
}

/// The order of an input's records in time.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum TimeOrder {
    /// Oldest first, as a log is appended: a time going back is reported.
    #[default]
    Ascending,
    /// Any order (a database export sorted by a query): nothing to report.
    Any,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum EpochUnit {
    Seconds,
    Milliseconds,
    Microseconds,
    Nanoseconds,
}

/// The field a record kind keeps something in (its level, message, audit mark).
#[derive(Debug, Clone, Deserialize)]
pub struct LevelSource {
    pub field: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum UnknownEvents {
    /// `unknown-event`, an error on every record.
    #[default]
    Error,
    /// `unknown-event-tolerated`, a warning once per event id: for producers
    /// whose document says readers must accept event types it does not list.
    Tolerate,
}

#[derive(Debug, Clone, Deserialize)]
pub struct SeverityVocabulary {
    pub facility: Option<Facility>,
    pub levels: Vec<SeverityLevel>,
}

impl SeverityVocabulary {
    pub fn level(&self, name: &str) -> Option<&SeverityLevel> {
        self.levels.iter().find(|level| level.name == name)
    }
}

#[derive(Debug, Clone, Deserialize)]
pub struct SeverityLevel {
    pub name: String,
    /// Syslog severity number, 0 (emerg) to 7 (debug).
    pub syslog: u8,
}

/// Syslog facilities by their conventional names (RFC 5424 table 1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Facility {
    Kern,
    User,
    Mail,
    Daemon,
    Auth,
    Syslog,
    Lpr,
    News,
    Uucp,
    Cron,
    Authpriv,
    Ftp,
    Ntp,
    Security,
    Console,
    SolarisCron,
    Local0,
    Local1,
    Local2,
    Local3,
    Local4,
    Local5,
    Local6,
    Local7,
}

impl Facility {
    /// Every facility, indexed by its number.
    pub const ALL: [Facility; 24] = [
        Facility::Kern,
        Facility::User,
        Facility::Mail,
        Facility::Daemon,
        Facility::Auth,
        Facility::Syslog,
        Facility::Lpr,
        Facility::News,
        Facility::Uucp,
        Facility::Cron,
        Facility::Authpriv,
        Facility::Ftp,
        Facility::Ntp,
        Facility::Security,
        Facility::Console,
        Facility::SolarisCron,
        Facility::Local0,
        Facility::Local1,
        Facility::Local2,
        Facility::Local3,
        Facility::Local4,
        Facility::Local5,
        Facility::Local6,
        Facility::Local7,
    ];

    /// The facility's number, as carried in a syslog PRI.
    pub fn code(self) -> u8 {
        self as u8
    }

    pub fn from_code(code: u8) -> Option<Facility> {
        Facility::ALL.get(usize::from(code)).copied()
    }

    pub fn name(self) -> &'static str {
        const NAMES: [&str; 24] = [
            "kern",
            "user",
            "mail",
            "daemon",
            "auth",
            "syslog",
            "lpr",
            "news",
            "uucp",
            "cron",
            "authpriv",
            "ftp",
            "ntp",
            "security",
            "console",
            "solaris-cron",
            "local0",
            "local1",
            "local2",
            "local3",
            "local4",
            "local5",
            "local6",
            "local7",
        ];
        NAMES[self as usize]
    }
}

/// A program (or role) that writes records, and the syslog tags it uses.
#[derive(Debug, Clone, Deserialize)]
pub struct Emitter {
    pub name: String,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub tags: Vec<EmitterTag>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct EmitterTag {
    pub tag: String,
    /// Where the document states this tag.
    pub source: String,
}
