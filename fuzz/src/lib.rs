//! Shared pieces of the logspec fuzz targets (`fuzz_targets/`): the record
//! model the structure-aware target derives with `arbitrary`, the small
//! renderer it needs, a chunking reader, the readers' promises as
//! assertions (line readers in `promises`, record readers in `records`,
//! timestamps in `instants`), and the built-in specs compiled once.
//!
//! The targets themselves stay a few lines each, so that what a target
//! asserts is readable at a glance and a crash reproduces with one call.

pub mod chunked;
pub mod instants;
pub mod promises;
pub mod record;
pub mod records;
pub mod render;
pub mod specs;
