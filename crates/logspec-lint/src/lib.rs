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
use std::cell::RefCell;
use std::sync::Arc;

/// Runs every lint rule over `loaded`; findings come sorted by spec line.
pub fn lint(loaded: &LoadedSpec) -> Vec<Finding> {
    let context = Context {
        loaded,
        file: Arc::from(loaded.origin.as_str()),
        pointers: RefCell::new(Vec::new()),
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
    context.locate(&mut findings);
    findings.sort_by_key(|finding| (finding.line, finding.column, finding.code));
    findings
}

/// The spec being linted and how to point into it.
struct Context<'a> {
    loaded: &'a LoadedSpec,
    file: Arc<str>,
    /// The spec node of every finding and related location made so far.
    /// Their nodes are located together once every rule has run, which
    /// walks the YAML only as far as the last of them: until then, a
    /// finding's or related location's `line` is its node's index here.
    pointers: RefCell<Vec<String>>,
}

impl Context<'_> {
    /// A finding at the spec node `pointer`, located by [`Context::locate`].
    fn finding(&self, code: Code, pointer: &str, message: String) -> Finding {
        Finding::new(code, &self.file, self.ticket(pointer), message)
    }

    /// A second location for a finding, at the spec node `pointer`.
    fn related(&self, pointer: &str, note: String) -> Related {
        Related {
            file: Arc::clone(&self.file),
            line: self.ticket(pointer),
            column: None,
            note,
        }
    }

    /// Records `pointer`, answering the index it is located under.
    fn ticket(&self, pointer: &str) -> u64 {
        let mut pointers = self.pointers.borrow_mut();
        pointers.push(pointer.to_owned());
        (pointers.len() - 1) as u64
    }

    /// Replaces each ticket in `findings` by its node's line and column,
    /// and quotes each finding's line.
    fn locate(self, findings: &mut [Finding]) {
        let located = self.loaded.locate_all(&self.pointers.into_inner());
        // Every ticket is an index of `located`: both come from `ticket`.
        let at = |ticket: u64| located[ticket as usize];
        for finding in findings {
            let Location { line, column } = at(finding.line);
            finding.line = line as u64;
            finding.column = Some(column);
            finding.excerpt = self.loaded.line_text(line).map(|text| Excerpt {
                text: text.to_owned(),
                span: None,
            });
            for related in &mut finding.related {
                let Location { line, column } = at(related.line);
                related.line = line as u64;
                related.column = Some(column);
            }
        }
    }
}

/// The pointer to variant `variant` of event `event`.
fn variant_pointer(event: usize, variant: usize) -> String {
    format!("/events/{event}/variants/{variant}")
}
