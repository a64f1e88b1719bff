//! Why a spec cannot be compiled into a [`Plan`](crate::Plan).
//!
//! The loader refuses every spec these describe, naming file, line and
//! column. Compiling follows the same names again to reach indices and
//! compiled checks; a miss there is an error, never a default index or a
//! dropped check, so a gap in the loader's checks (or a spec built or
//! changed in code) shows as a refused spec instead of a check that
//! silently looks at the wrong thing, which would be a false pass.

use logspec_spec::{LoadError, LoadedSpec, SpecProblem};

/// A name in the spec that does not resolve, at the spec node it is
/// written in.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{problem}")]
pub struct PlanError {
    /// JSON pointer of the node, for locating it in the spec file.
    pub pointer: String,
    pub problem: Unresolved,
}

/// What did not resolve.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Unresolved {
    #[error("severity `{0}` is not one of the levels")]
    Severity(String),
    #[error("emitter `{0}` is not defined in `emitters`")]
    Emitter(String),
    #[error("field `{0}` is not in the glossary (`fields`)")]
    Field(String),
    #[error("event `{event}` names record kind `{kind}`, which is not defined")]
    RecordKind { event: String, kind: String },
    #[error("event `{0}` is not defined in `events`")]
    Event(String),
    #[error("rule `{rule}`: `{reference}` names no event or event/variant")]
    Reference { rule: String, reference: String },
    #[error("rule `{rule}`: state `{state}` does not exist")]
    State { rule: String, state: String },
    #[error("rule `{rule}`: `{label}` is not a participant label")]
    Label { rule: String, label: String },
    #[error("rule `{rule}`: `{part}` is not a part of the key")]
    KeyPart { rule: String, part: String },
    #[error("rule `{rule}`: a key part joined `from` an earlier record names no `field` to take")]
    JoinField { rule: String },
    #[error("rule `{rule}`: parameter `{param}` is not declared in the rule's `params`")]
    Param { rule: String, param: String },
    #[error("rule `{rule}`: `{name}` in a condition does not resolve")]
    Name { rule: String, name: String },
    #[error("rule `{rule}`: window `{window}`: {problem} does not resolve")]
    Window {
        rule: String,
        window: String,
        problem: String,
    },
    /// More states or participants than a key's packed state can name
    /// (the schema's limits; a spec built in code can pass them).
    #[error("rule `{rule}`: {count} {what}, more than the {limit} a rule may have")]
    TooMany {
        rule: String,
        what: &'static str,
        count: usize,
        limit: usize,
    },
    #[error("path pattern `{pattern}` does not compile: {problem}")]
    PathPattern { pattern: String, problem: String },
    #[error("`schema` is not a valid JSON Schema: {0}")]
    Schema(String),
    /// A value type without the setting it cannot do without (an enum's
    /// `values`, a pattern's `pattern`, a list's `item`).
    #[error("a value of type {kind} needs `{setting}`")]
    Incomplete {
        kind: &'static str,
        setting: &'static str,
    },
}

impl PlanError {
    pub(crate) fn at<S: AsRef<str>>(segments: &[S], problem: Unresolved) -> PlanError {
        PlanError {
            pointer: logspec_spec::locate::pointer(segments),
            problem,
        }
    }

    /// The error as a load error of `loaded`, at the line and column of
    /// the node it names, as every spec error is reported.
    pub fn located(self, loaded: &LoadedSpec) -> LoadError {
        LoadError::Invalid {
            origin: loaded.origin.clone(),
            problems: vec![SpecProblem {
                location: loaded.locate(&self.pointer),
                message: self.problem.to_string(),
                pointer: self.pointer,
            }],
        }
    }
}
