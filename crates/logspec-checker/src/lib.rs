//! The checking engine of logspec: holds records to a spec and says, in one
//! finding model, every way they depart from it.
//!
//! The crate sits between the readers (which turn bytes into envelopes and
//! key=value pairs) and the reports (which render findings). It is split by
//! the questions it answers: [`plan`] compiles a spec once so the per-line
//! path only looks things up, with each record kind's formats, names and
//! files in [`kind`]; [`value`] knows what each field type accepts;
//! [`record`] judges one record; [`stream`] drives one pass over an input
//! with constant memory per line; [`coverage`] counts what was exercised.
//! The finding model is the `logspec-finding` crate, re-exported here;
//! [`finding`] adds the sink findings stream into.

pub mod coverage;
pub mod error;
pub mod finding;
pub mod kind;
mod messages;
pub mod plan;
pub mod record;
pub mod rules;
pub mod stream;
pub mod value;

pub use coverage::{Coverage, CoverageEntry, CoverageReport};
pub use error::{PlanError, Unresolved};
pub use finding::{Code, Excerpt, Finding, FindingSink, Related, Severity};
pub use plan::Plan;
pub use stream::{CheckOptions, Checker, InputSummary, DEFAULT_MAX_LINE_BYTES};
