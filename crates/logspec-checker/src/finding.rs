//! Where findings go as they are produced. The finding model itself (codes,
//! severities, [`Finding`]) is the `logspec-finding` crate, shared with lint,
//! shape and the reports; it is re-exported here.

use crate::record::Classification;
pub use logspec_finding::{Code, Excerpt, Finding, Related, Severity};

/// Where findings go as they are produced, so that checking streams.
pub trait FindingSink {
    fn push(&mut self, finding: Finding);

    /// Sees every record classified as a documented event variant, with
    /// its fields (key, value) in the record's order, after its findings.
    /// For tools that look at records rather than findings (`logspec
    /// shape`); a report ignores it.
    fn record<'a>(
        &mut self,
        _classification: Classification,
        _fields: &mut dyn Iterator<Item = (&'a str, &'a str)>,
    ) {
    }

    /// Whether [`FindingSink::record`] does anything with the fields: a
    /// sink that overrides it says so here, so that records checked on
    /// other threads keep their fields for it (see
    /// `CheckOptions::threads`).
    fn wants_records(&self) -> bool {
        false
    }
}

impl FindingSink for Vec<Finding> {
    fn push(&mut self, finding: Finding) {
        Vec::push(self, finding);
    }
}
