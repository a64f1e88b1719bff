//! Property-test generators driven by logspec specs.
//!
//! A spec is the single source of truth about what a producer logs, so the
//! test data for logspec (and for anyone holding a producer to its spec)
//! is generated from it rather than written by hand: a new spec, or a new
//! field in one, is covered without touching a fixture. The crate is built
//! on [proptest], so every strategy shrinks: a failing stream comes back as
//! the shortest stream with the plainest values that still fails.
//!
//! The pieces, one concern each:
//! - [`Generator`] compiles a spec once (reusing the checker's [`Plan`] and
//!   value checks, so a generated value is exactly one the checker accepts)
//!   and hands out strategies;
//! - `value` and `pattern`: values per field type, `pattern` types through
//!   proptest's regex generator;
//! - [`record`]: conforming records of one variant in one format (a spec
//!   may name and type a field differently per format);
//! - [`mutate`] (with `exact`): records broken in exactly one way, with the
//!   one finding the checker must raise, enumerated so the prediction is
//!   exact even when a sibling variant could claim the broken record;
//! - [`stream`]: sequences of records across events, each conforming on
//!   its own;
//! - [`scenario`]: inputs whose records keep the spec's stream rules,
//!   walked through each rule's lifecycle automaton, and the same broken
//!   in one place with the stream finding it must raise;
//! - [`render`](mod@render) and [`Framing`]: any record written in every wire
//!   format the readers accept, one module per format;
//! - [`Sampler`]: seeded, reproducible draws for `logspec gen`.
//!
//! ```
//! use logspec_gen::{render, Framing, Generator};
//! use logspec_reader::Format;
//! use proptest::prelude::*;
//! use proptest::test_runner::TestRunner;
//!
//! let spec = logspec_spec::builtin("ctrl-exec").unwrap().load().unwrap().spec;
//! let generator = Generator::new(&spec).unwrap();
//! let ping = generator.event_index("ping").unwrap();
//! let records = generator.record(ping, 0, Format::Rfc3164).unwrap();
//!
//! // Every ping (success) record has the documented fields, in order.
//! TestRunner::deterministic()
//!     .run(&records, |record| {
//!         let keys: Vec<&str> = record.fields.iter().map(|f| f.key.as_str()).collect();
//!         prop_assert_eq!(keys, ["ACTION", "TARGET", "RESULT", "RTT", "REQID"]);
//!         let line = render(Framing::SYSLOG_FILE, &record).unwrap();
//!         prop_assert!(line.contains(": ACTION=ping TARGET="));
//!         Ok(())
//!     })
//!     .unwrap();
//! ```
//!
//! [`Plan`]: logspec_checker::Plan

mod error;
mod exact;
mod framing;
mod generator;
pub mod mutate;
mod pattern;
pub mod record;
pub mod render;
mod sample;
pub mod scenario;
pub mod stream;
pub mod time;
mod value;

pub use error::{GenError, RenderError};
pub use framing::Framing;
pub use generator::{Generator, AIMED_WALKS, SCENARIO_WALKS};
pub use mutate::{Expected, Mutated, Mutation, MutationKind};
pub use record::{Field, Meta, Record};
pub use render::{envelope_of, render};
pub use sample::Sampler;
pub use scenario::{
    BreakTarget, Hosts, Scenario, ScenarioInput, ScenarioOptions, StreamExpected,
    StreamMutationKind,
};
pub use stream::{Broken, Line, ReportedOnce, SampledLines, Stream, StreamOptions};
