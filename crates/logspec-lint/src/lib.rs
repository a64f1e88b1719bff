//! `logspec lint`: what a spec says about its document.
//!
//! A logging reference is written by people, and its summary tables,
//! glossary, examples and per-event sections drift apart. A spec encodes
//! each event's own section and keeps the rest as written; lint then puts
//! the pieces side by side and reports every disagreement with both
//! locations, so the document's authors can fix it and the spec's users know
//! which statement logspec enforces. Each rule kind is one module; all of
//! them produce the checker's [`Finding`]s, located in the spec file.

mod emitters;
mod examples;
mod glossary;
mod messages;
mod policies;
mod tables;
mod unchecked;
mod variants;

use logspec_finding::{Code, Excerpt, Finding, Related};
use logspec_spec::{LoadedSpec, Location};
use std::sync::Arc;

/// Runs every lint rule over `loaded`; findings come sorted by spec line.
pub fn lint(loaded: &LoadedSpec) -> Vec<Finding> {
    let context = Context {
        loaded,
        file: Arc::from(loaded.origin.as_str()),
    };
    let mut findings = Vec::new();
    tables::check(&context, &mut findings);
    emitters::check(&context, &mut findings);
    glossary::check(&context, &mut findings);
    variants::check(&context, &mut findings);
    policies::check(&context, &mut findings);
    messages::check(&context, &mut findings);
    examples::check(&context, &mut findings);
    unchecked::check(&context, &mut findings);
    findings.sort_by_key(|finding| (finding.line, finding.column, finding.code));
    findings
}

/// The spec being linted and how to point into it.
struct Context<'a> {
    loaded: &'a LoadedSpec,
    file: Arc<str>,
}

impl Context<'_> {
    /// A finding located at the spec node `pointer`, quoting its line.
    fn finding(&self, code: Code, pointer: &str, message: String) -> Finding {
        let Location { line, column } = self.loaded.locate(pointer);
        let mut finding = Finding::new(code, &self.file, line as u64, message);
        finding.column = Some(column);
        finding.excerpt = self.loaded.line_text(line).map(|text| Excerpt {
            text: text.to_owned(),
            span: None,
        });
        finding
    }

    /// A second location for a finding, at the spec node `pointer`.
    fn related(&self, pointer: &str, note: String) -> Related {
        let Location { line, column } = self.loaded.locate(pointer);
        Related {
            file: Arc::clone(&self.file),
            line: line as u64,
            column: Some(column),
            note,
        }
    }
}

/// The pointer to variant `variant` of event `event`.
fn variant_pointer(event: usize, variant: usize) -> String {
    format!("/events/{event}/variants/{variant}")
}
