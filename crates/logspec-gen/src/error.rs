//! What can go wrong building generators from a spec or rendering a record.

/// A spec from which no conforming value or record can be generated.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum GenError {
    /// A field with no value to generate: an enum without values, a
    /// pattern that proptest cannot generate from or whose matches cannot
    /// be written on one line, a minimum length above the maximum.
    #[error("field {field}: cannot generate values: {reason}")]
    Field { field: String, reason: String },
    /// An event id the spec does not document.
    #[error("the spec documents no event {0:?}")]
    UnknownEvent(String),
    /// Indices that name no variant of the spec.
    #[error("the spec has no variant {variant} of event {event}")]
    NoSuchVariant { event: usize, variant: usize },
    /// A format the record kind does not declare.
    #[error("{kind} records are not written in {format}")]
    FormatNotDeclared {
        kind: String,
        format: logspec_reader::Format,
    },
    /// A stream of more than one record in a format whose input is one.
    #[error("an input in {0} holds one record: generate one at a time")]
    OneRecordPerInput(logspec_reader::Format),
    /// The spec has no events at all, so there is nothing to generate.
    #[error("the spec documents no events")]
    NoEvents,
    /// A record kind with no events to generate (console lines are not
    /// events).
    #[error("{kind} records document no events to generate in {format}")]
    KindWithoutEvents {
        kind: String,
        format: logspec_reader::Format,
    },
    /// A framing name that is not one of the known ones.
    #[error("unknown framing {name:?}: expected a format name ({}), rfc3164 optionally with +pri, +nohost and +iso, extended-json optionally with +canonical", logspec_reader::Format::ALL.map(logspec_reader::Format::name).join(", "))]
    UnknownFraming { name: String },
    /// No walk made a scenario: the spec's stream rules cannot be kept
    /// (or, broken, broken predictably) by records in this framing.
    #[error("no scenario in {framing} within {walks} walks: the spec's stream rules cannot be kept (or broken predictably) by records in it")]
    NoScenario { framing: String, walks: u64 },
    /// A rule to break that the spec does not have.
    #[error("the spec has no stream rule {rule:?}")]
    UnknownRule { rule: String },
    /// A name in the spec that does not resolve (the loader refuses such
    /// specs; one built in code can still have it).
    #[error("the spec cannot be compiled: {0}")]
    Plan(#[from] logspec_checker::PlanError),
    /// Sampling a strategy failed (its filters rejected every attempt).
    #[error("no sample could be generated: {0}")]
    Sample(String),
}

/// A record that its framing cannot carry.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RenderError {
    /// A field a fixed layout has no place for, or a place the record
    /// leaves empty (a Logback line without a thread).
    #[error("{framing} has no place for {what}")]
    Layout { what: String, framing: String },
    /// A value written as a JSON type it cannot be (a number that is not
    /// a JSON number, a `$date` that is not a canonical time).
    #[error("{key}: {value:?} cannot be written as {json} in {framing}")]
    Json {
        key: String,
        value: String,
        json: &'static str,
        framing: String,
    },
    /// A field name that cannot be written as a key (empty, or with
    /// whitespace, `=` or `"`).
    #[error("{key:?} cannot be written as a key=value key")]
    Key { key: String },
    /// A value that a line format cannot hold: a line break would split
    /// the line, a NUL byte makes it unreadable.
    #[error("{key}: a value with {what} cannot be written in {framing}")]
    Value {
        key: String,
        what: &'static str,
        framing: String,
    },
    /// A header part (tag, hostname) that the format cannot represent.
    #[error("{what} {text:?} cannot be written in {framing}")]
    Header {
        what: &'static str,
        text: String,
        framing: String,
    },
}
