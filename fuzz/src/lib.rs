//! Shared pieces of the logspec fuzz targets (`fuzz_targets/`): the models
//! the structure-aware targets derive with `arbitrary` (a syslog or journal
//! record in `record`, an OTLP export in `export`), the small renderer they
//! need, a chunking reader, the readers' promises as assertions (line
//! readers in `promises`, record readers in `records`, OTLP exports in
//! `otlp`, timestamps in `instants`, the spec loader in `loading`, a checked
//! stream's findings in `checked`), a spec
//! built from the spec model (`spec_model`), and the built-in specs
//! compiled once.
//!
//! The targets themselves stay a few lines each, so that what a target
//! asserts is readable at a glance and a crash reproduces with one call.

pub mod checked;
pub mod chunked;
pub mod export;
pub mod instants;
pub mod loading;
pub mod otlp;
pub mod promises;
pub mod record;
pub mod records;
pub mod render;
pub mod spec_model;
pub mod specs;
