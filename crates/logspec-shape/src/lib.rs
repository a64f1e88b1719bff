//! `logspec shape`: snapshot regression of a producer's log format, for
//! the teams that consume it.
//!
//! A log format drifts silently: a field disappears, a duration gains a
//! unit, an ID loses digits, and the alert built on it stops firing.
//! `check` catches what contradicts the spec; shape catches what changed
//! *within* it. [`Recorder`] reads logs the way `check` does and records,
//! per event variant the checker classifies a record as, which fields
//! occur, in which order, how often, and what kind of value each carries
//! ([`classify`]: classes derived from the value alone, the same for every
//! producer). The result, [`Shapes`], is a sorted, run-independent JSON
//! file meant to be committed; [`diff()`] compares a later recording with it
//! and marks each [`Change`] as breaking consumers or not, and [`report`]
//! renders the changes.
//!
//! One module per concern: value classes, the file model, recording,
//! comparing, rendering.

pub mod class;
pub mod diff;
pub mod error;
pub mod model;
pub mod record;
pub mod report;

pub use class::classify;
pub use diff::{diff, Change, ChangeKind, Impact};
pub use error::ShapeError;
pub use model::{FieldShape, Presence, Shapes, VariantShape, FORMAT_VERSION};
pub use record::{InputStats, Recorder};
