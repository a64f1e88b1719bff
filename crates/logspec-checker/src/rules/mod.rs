//! Stream rules: what must hold across the records that share a correlation
//! key, checked in one pass with bounded memory.
//!
//! Every rule is data from the spec, compiled by [`plan`] and run by one
//! engine ([`engine`]): a lifecycle automaton per key, whose missing
//! transitions are violations and whose non-accepting states at the end are
//! unfinished lifecycles, plus value agreement between a key's records.
//! [`key`] derives keys from fields and envelopes. Nothing here knows any
//! producer.

pub mod condition;
pub mod engine;
pub mod fan_out;
pub mod hosts;
pub mod join;
pub mod key;
pub mod open_keys;
pub mod params;
pub mod plan;
pub mod state;
pub mod text_set;
pub mod window;
pub mod witness;

pub use engine::{Engine, EngineOptions};
pub use plan::RulePlan;

use compact_str::CompactString;
use std::sync::Arc;

/// What the engine keeps of one classified record: enough to key it, to
/// compare values, and to cite it. Its texts are copies (a record crosses
/// from the checking threads to the engine's) held inline up to 24 bytes:
/// hosts, tags, process ids and most key values need no allocation.
#[derive(Debug, Clone, Default)]
pub struct StreamRecord {
    pub file: Arc<str>,
    pub line: u64,
    pub event: usize,
    pub variant: usize,
    /// The envelope host, or the host given for the input.
    pub host: Option<CompactString>,
    pub tag: Option<CompactString>,
    /// The process id the envelope names.
    pub pid: Option<CompactString>,
    /// When it was written, if its format says.
    pub at: Option<logspec_reader::Instant>,
    /// The record's values of the fields any rule reads, first occurrence.
    pub values: Vec<(Arc<str>, CompactString)>,
}

impl StreamRecord {
    pub fn value(&self, field: &str) -> Option<&str> {
        self.values
            .iter()
            .find(|(name, _)| &**name == field)
            .map(|(_, value)| value.as_str())
    }
}
