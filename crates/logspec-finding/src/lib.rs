//! The one finding model: every check and every lint produces [`Finding`]s,
//! and every report format renders them.
//!
//! A crate of its own because the codes table is the vocabulary the checker,
//! lint, shape and every report share: a reporter needs each code's name,
//! severity, summary and help text, not the checking engine that raises it.
//! Where findings go as they are made (`FindingSink`) stays with the checker,
//! which defines what a record is.

mod help;

use serde::Serialize;
use std::ops::Range;
use std::sync::Arc;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
    Info,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
        }
    }
}

macro_rules! codes {
    ($( $(#[doc = $doc:literal])* $variant:ident = $name:literal, $severity:ident; )*) => {
        /// Stable finding codes. Users' CI scripts match on these names:
        /// add codes, never rename one.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Code {
            $( $(#[doc = $doc])* $variant, )*
        }

        impl Code {
            pub const ALL: &'static [Code] = &[$(Code::$variant),*];

            /// The code's stable name.
            pub fn as_str(self) -> &'static str {
                match self { $(Code::$variant => $name,)* }
            }

            /// The severity a finding of this code has.
            pub fn severity(self) -> Severity {
                match self { $(Code::$variant => Severity::$severity,)* }
            }

            /// A one-line explanation of the code.
            pub fn summary(self) -> &'static str {
                match self { $(Code::$variant => concat!($($doc),*).trim_ascii(),)* }
            }

            pub fn from_name(name: &str) -> Option<Code> {
                Code::ALL.iter().copied().find(|code| code.as_str() == name)
            }
        }
    };
}

codes! {
    /// A line that cannot be read as a record: bad encoding, an over-long line, a broken envelope or payload.
    ParseError = "parse-error", Error;
    /// An empty line where a record was expected.
    EmptyLine = "empty-line", Warning;
    /// An input with no records at all, which a CI gate must not take as a pass.
    EmptyInput = "empty-input", Error;
    /// A file in a directory input that no record kind's paths name, left unread.
    FileSkipped = "file-skipped", Info;
    /// A UTF-8 byte order mark at the start of an input, skipped.
    ByteOrderMark = "byte-order-mark", Info;
    /// The first lines of an input fit only a catch-all format, later ones a declared format: the input is read as the latter.
    FormatsDisagree = "formats-disagree", Info;
    /// The event key names an event the spec does not document.
    UnknownEvent = "unknown-event", Error;
    /// An event the spec does not document, from a producer whose readers must tolerate new events; reported once per event.
    UnknownEventTolerated = "unknown-event-tolerated", Warning;
    /// The event is documented, but not with this message; the closest documented messages are named.
    UnknownMessage = "unknown-message", Error;
    /// The AUDIT mark is missing from an audit entry (an error: a gap in the audit trail) or present on an entry the document does not mark (a warning).
    AuditMismatch = "audit-mismatch", Error;
    /// A line the document lists as console or stderr output, found in the structured stream.
    ConsoleLine = "console-line", Error;
    /// A field the event's variant requires is absent.
    MissingField = "missing-field", Error;
    /// A field the event's variant does not document is present.
    UnexpectedField = "unexpected-field", Error;
    /// A value that does not have the field's type, pattern or allowed values.
    InvalidValue = "invalid-value", Error;
    /// A value the document allows but the spec's stricter reading (its stated reason) does not expect.
    StricterReading = "stricter-reading", Warning;
    /// The same key appears twice in one record.
    DuplicateField = "duplicate-field", Error;
    /// The record's priority is not the documented severity of its variant.
    SeverityMismatch = "severity-mismatch", Error;
    /// The record's syslog facility is not the documented one.
    FacilityMismatch = "facility-mismatch", Error;
    /// The syslog tag is not one the variant's emitters use.
    EmitterMismatch = "emitter-mismatch", Error;
    /// The event key is not the first field although the document says it always is.
    EventKeyNotFirst = "event-key-not-first", Error;
    /// Fields appear in a different order from the document's.
    FieldOrder = "field-order", Warning;
    /// A record its key's lifecycle state does not allow.
    SequenceViolation = "sequence-violation", Error;
    /// A record of an outcome that excludes one already seen for its key.
    ExclusiveViolation = "exclusive-violation", Error;
    /// A record whose other side (another stream, another host) never appeared.
    Unpaired = "unpaired", Error;
    /// Correlated records disagree on a value they must share.
    Mismatch = "mismatch", Error;
    /// A key that must be unique appeared again.
    DuplicateKey = "duplicate-key", Error;
    /// A lifecycle left unfinished at the end of the input.
    Incomplete = "incomplete", Error;
    /// A record does not meet a stream rule's condition (a value it must relate to, in itself or to an earlier record of its key).
    ConditionViolation = "condition-violation", Error;
    /// A stream rule's condition could not be evaluated on a record (a field it reads is absent, or has another type, or a time window it counts cannot be placed).
    ConditionError = "condition-error", Warning;
    /// A stream rule was not run: a parameter it needs (a window's length) is not set; reported once.
    RuleUnchecked = "rule-unchecked", Info;
    /// Timestamps went backwards within one input.
    TimestampRegression = "timestamp-regression", Warning;
    /// Open keys (or record times a window counts) were dropped at a memory cap, so some lifecycles or counts went unchecked.
    StateEvicted = "state-evicted", Warning;
    /// Records a stream rule could not key (a key part was absent).
    Unkeyed = "unkeyed", Info;
    /// Fewer of the spec's documented event variants were seen than `--require-coverage` asks.
    CoverageBelow = "coverage-below", Error;
    /// An event `--require-events` names was never seen in the inputs.
    RequiredEventNotSeen = "required-event-not-seen", Error;
    /// The spec file itself is invalid: YAML, schema or references.
    SpecInvalid = "spec-invalid", Error;
    /// The spec's summary table gives a variant another severity than its own section.
    TableSeverityConflict = "table-severity-conflict", Warning;
    /// The document gives one emitter several syslog tags in different places.
    EmitterTagConflict = "emitter-tag-conflict", Warning;
    /// The glossary allows a value that no event's own section allows.
    GlossaryValueUnused = "glossary-value-unused", Warning;
    /// The glossary's list of events using a field differs from the events that do.
    GlossaryUsageMismatch = "glossary-usage-mismatch", Warning;
    /// A document example does not conform to the spec.
    ExampleFinding = "example-finding", Warning;
    /// A document example is classified to another event or variant than the one it illustrates.
    ExampleMisclassified = "example-misclassified", Error;
    /// An example's `expect` list differs from what checking it produces.
    ExampleExpectationStale = "example-expectation-stale", Error;
    /// Two variants of one event cannot be told apart by fields, values or emitters.
    IndistinguishableVariants = "indistinguishable-variants", Warning;
    /// The document lists one event with the same message twice, at different levels or with different AUDIT marks.
    EntryConflict = "entry-conflict", Warning;
    /// An entry's written level or AUDIT mark differs from what a document-wide policy gives its class.
    PolicyViolation = "policy-violation", Warning;
    /// A field the events use is missing from the document's glossary.
    FieldNotInGlossary = "field-not-in-glossary", Info;
    /// A glossary field that no event uses.
    FieldUnused = "field-unused", Info;
    /// A variant no row of a summary table mentions.
    NotInSummaryTable = "not-in-summary-table", Info;
    /// A statement of the document that the spec lists as unchecked: logs cannot show it.
    UncheckedStatement = "unchecked-statement", Info;
    /// Lines of a shared log (syslog, the journal) from programs that are none of the spec's emitters, skipped; reported once per program with their count.
    ForeignProgram = "foreign-program", Info;
    /// A line from a program that is none of the spec's emitters, with --strict-foreign.
    ForeignLine = "foreign-line", Error;
    /// What a live capture received and what became of each message: checked, reported unreadable, or another program's.
    CaptureSummary = "capture-summary", Info;
    /// TCP connections a live capture closed unread because --max-connections were open.
    ConnectionRefused = "connection-refused", Warning;
    /// UDP datagrams the kernel dropped, its receive buffer full, before a live capture could read them.
    DatagramsDropped = "datagrams-dropped", Warning;
}

impl Serialize for Code {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

/// The offending line, kept for people: its text (cut to a readable length)
/// and the byte range of the part at fault.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Excerpt {
    pub text: String,
    pub span: Option<Range<usize>>,
}

/// Another place a finding concerns, e.g. the second side of a contradiction.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Related {
    pub file: Arc<str>,
    pub line: u64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub column: Option<usize>,
    pub note: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    pub code: Code,
    pub severity: Severity,
    pub file: Arc<str>,
    pub line: u64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub column: Option<usize>,
    pub event: Option<String>,
    pub variant: Option<String>,
    pub field: Option<String>,
    /// The correlation key of a stream-rule finding.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub key: Option<String>,
    /// The stream rule that raised the finding.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rule: Option<String>,
    pub message: String,
    #[serde(skip)]
    pub excerpt: Option<Excerpt>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub related: Vec<Related>,
}

impl Finding {
    /// A finding of `code` at `file:line`, with the code's severity.
    pub fn new(code: Code, file: &Arc<str>, line: u64, message: String) -> Finding {
        Finding {
            code,
            severity: code.severity(),
            file: Arc::clone(file),
            line,
            column: None,
            event: None,
            variant: None,
            field: None,
            key: None,
            rule: None,
            message,
            excerpt: None,
            related: Vec::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_have_unique_names_and_round_trip() {
        let mut names: Vec<&str> = Code::ALL.iter().map(|code| code.as_str()).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), Code::ALL.len());
        for code in Code::ALL {
            assert_eq!(Code::from_name(code.as_str()), Some(*code));
            assert!(!code.summary().is_empty());
            assert!(!code.help().is_empty());
        }
    }

    #[test]
    fn contract_codes_keep_their_names() {
        let contract = [
            "parse-error",
            "unknown-event",
            "missing-field",
            "unexpected-field",
            "invalid-value",
            "severity-mismatch",
            "emitter-mismatch",
            "field-order",
        ];
        for name in contract {
            assert!(Code::from_name(name).is_some(), "{name} disappeared");
        }
    }
}
