//! What to do about a finding of each code: the help text reports show
//! beside the summary (SARIF rules, `logspec explain`). An exhaustive match,
//! so a new code does not compile without its help.

use crate::Code;

impl Code {
    /// How to fix, or decide about, a finding of this code.
    pub fn help(self) -> &'static str {
        match self {
            Code::ParseError => {
                "Check that the input is in a format the spec declares (or name it with --format), \
                 that lines are valid UTF-8 without NUL bytes, and that no line exceeds \
                 --max-line-bytes. The message names what could not be read."
            }
            Code::EmptyLine => {
                "Remove the empty line at the producer, or strip blank lines from the capture \
                 before checking it."
            }
            Code::EmptyInput => {
                "Make sure the tests actually exercised the service and its log was captured to \
                 this file; pass --allow-empty when an empty input is expected."
            }
            Code::FileSkipped => {
                "The file was not read. Give it explicitly if it holds records, or add its path \
                 to a record kind's `paths` in the spec."
            }
            Code::ByteOrderMark => {
                "Nothing to fix for the check; a producer that writes UTF-8 need not write a BOM, \
                 and some consumers take it for part of the first record."
            }
            Code::FormatsDisagree => {
                "The lines named before the first record are read in the input's format and \
                 reported on their own; remove them at the producer, or capture them apart."
            }
            Code::ForeignProgram => {
                "Nothing to fix when the input is a shared log: these programs are not the \
                 producer. If one of them is, give its tag to an emitter in the spec; pass \
                 --strict-foreign when the input must hold the producer's lines only."
            }
            Code::ForeignLine => {
                "The input should hold only the producer's lines: filter the capture by program \
                 (journalctl -t TAG, an rsyslog filter), or drop --strict-foreign for a shared log."
            }
            Code::CaptureSummary => {
                "Nothing to fix: the counts add up to the messages received. Messages reported \
                 unreadable have their own findings; --save keeps what was received."
            }
            Code::ConnectionRefused => {
                "Raise --max-connections, or have senders reuse one connection; messages on a \
                 refused connection were never received."
            }
            Code::DatagramsDropped => {
                "Send more slowly, send over TCP, or raise the socket receive buffer \
                 (net.core.rmem_default on Linux); dropped datagrams were never received."
            }
            Code::UnknownEvent => {
                "Document the event in the logging reference and the spec, or stop emitting it. \
                 A misspelt event name is the usual cause."
            }
            Code::UnknownEventTolerated => {
                "Readers tolerate new events, so this does not fail the check; document the event \
                 so consumers know what it carries."
            }
            Code::UnknownMessage => {
                "Use one of the documented messages for this event (the closest are named), or \
                 document the new message."
            }
            Code::AuditMismatch => {
                "Mark every entry the document lists as audited, and only those: consumers build \
                 the audit trail from the mark."
            }
            Code::ConsoleLine => {
                "Send console output to stdout/stderr, not to the structured log, or capture the \
                 two streams separately."
            }
            Code::MissingField => {
                "Emit the field in every record of this variant, or document it as optional if it \
                 may be left out."
            }
            Code::UnexpectedField => {
                "Remove the field, or document it for this variant so consumers know it exists."
            }
            Code::InvalidValue => {
                "Emit a value of the documented type, pattern or allowed values (the message says \
                 which), or correct the documentation."
            }
            Code::StricterReading => {
                "The document allows the value; the spec expects less for the reason it gives. \
                 Keep the value if it is intended, or tell the spec's authors the reading is wrong."
            }
            Code::DuplicateField => {
                "Write each key once per record: consumers keep either the first or the last \
                 value, and disagree on which."
            }
            Code::SeverityMismatch => {
                "Log the variant at its documented priority or level; alerting rules select on it."
            }
            Code::FacilityMismatch => {
                "Log with the documented syslog facility; routing rules select on it."
            }
            Code::EmitterMismatch => {
                "Log under one of the syslog tags (program names) the document gives this \
                 variant's emitters."
            }
            Code::EventKeyNotFirst => {
                "Write the event key as the first field, as the document promises consumers."
            }
            Code::FieldOrder => {
                "Write fields in the documented order; consumers that split on position depend \
                 on it."
            }
            Code::SequenceViolation => {
                "The record came in a lifecycle state that does not allow it: check the order in \
                 which the producer logs this key's events (related locations show the earlier \
                 records)."
            }
            Code::ExclusiveViolation => {
                "A key may end in only one of these outcomes: make the producer log exactly one."
            }
            Code::Unpaired => {
                "Check that every stream and host of the exchange was captured (several inputs \
                 are checked together); if they were, the producer failed to log the other side."
            }
            Code::Mismatch => {
                "Correlated records must carry the same value: find which side logs it wrong."
            }
            Code::ConditionViolation => {
                "The record breaks a relation the document states (the message names the \
                 condition and the values it read): fix the producer, or the spec if it misreads \
                 the document."
            }
            Code::ConditionError => {
                "The condition reads a value this record lacks or writes malformed: fix the \
                 record (see its per-record findings), or guard the condition with has()."
            }
            Code::RuleUnchecked => {
                "The rule needs a value the document leaves to configuration: give it with \
                 --param NAME=VALUE to have the rule checked."
            }
            Code::DuplicateKey => {
                "The key must be unique: make the producer generate a fresh one each time."
            }
            Code::Incomplete => {
                "The lifecycle never finished. If the capture is a window of a longer stream, \
                 pass --partial; otherwise the producer failed to log its end."
            }
            Code::TimestampRegression => {
                "Timestamps went backwards: check clock adjustments, or inputs concatenated out \
                 of order."
            }
            Code::StateEvicted => {
                "Some lifecycles went unchecked: raise --max-open-keys if memory allows."
            }
            Code::Unkeyed => {
                "A key part was missing, so the stream rule could not follow the record; for \
                 inputs without host names, name the host with --host FILE=HOST."
            }
            Code::CoverageBelow => {
                "The tests exercised too few of the documented events: extend the integration \
                 tests (the report lists the variants never seen), or lower --require-coverage."
            }
            Code::RequiredEventNotSeen => {
                "The tests never made the service log this event: add a test that exercises it, \
                 or check that its records reach the captured log."
            }
            Code::SpecInvalid => "Fix the spec at the location given (YAML, schema or reference).",
            Code::TableSeverityConflict => {
                "The document contradicts itself: the event's own section is encoded; correct \
                 the summary table or the section."
            }
            Code::EmitterTagConflict => {
                "The document gives one program several syslog tags: correct the document, or \
                 confirm both are used."
            }
            Code::GlossaryValueUnused => {
                "Remove the value from the glossary, or allow it in the events that carry it."
            }
            Code::GlossaryUsageMismatch => {
                "Update the glossary's list of events using the field to match the events' own \
                 sections."
            }
            Code::ExampleFinding => {
                "The document's example does not conform to its own field tables: correct the \
                 example or the tables."
            }
            Code::ExampleMisclassified => {
                "The example is recognised as another event or variant: make the variants \
                 distinguishable, or move the example."
            }
            Code::ExampleExpectationStale => {
                "Update the example's `expect` list in the spec to what checking it now produces."
            }
            Code::IndistinguishableVariants => {
                "Give the variants a field, value or emitter that tells them apart, or merge them."
            }
            Code::EntryConflict => {
                "The document lists the same entry twice, differently: correct one of them."
            }
            Code::PolicyViolation => {
                "The entry departs from a document-wide policy: correct the entry or the policy."
            }
            Code::FieldNotInGlossary => "Add the field to the document's glossary.",
            Code::FieldUnused => {
                "Remove the field from the glossary, or document the events that use it."
            }
            Code::NotInSummaryTable => "Add the variant to the document's summary table.",
            Code::UncheckedStatement => {
                "Nothing to fix in the spec: no check covers this statement; verify it another way."
            }
        }
    }
}
