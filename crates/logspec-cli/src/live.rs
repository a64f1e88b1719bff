//! What the live modes (`listen`, `check --follow`) share: findings shown
//! on standard error as they are found (the reports come at the end, on
//! standard output or in files), and the end of a run on SIGINT or SIGTERM.

use crate::CliError;
use anstream::{AutoStream, ColorChoice};
use logspec_checker::FindingSink;
use logspec_finding::{Code, Finding};
use logspec_report::human;
use std::cell::RefCell;
use std::io::{self, Write};
use std::rc::Rc;
use std::sync::atomic::AtomicBool;
use std::sync::Arc;

/// A flag set by the first SIGINT or SIGTERM; a second one ends the
/// process at once (exit 1), for a run that does not stop.
pub fn stop_on_signals() -> Result<Arc<AtomicBool>, CliError> {
    let stop = Arc::new(AtomicBool::new(false));
    for signal in [signal_hook::consts::SIGINT, signal_hook::consts::SIGTERM] {
        // The shutdown is registered first: it acts only once the flag is set.
        signal_hook::flag::register_conditional_shutdown(signal, 1, Arc::clone(&stop))
            .and_then(|_| signal_hook::flag::register(signal, Arc::clone(&stop)))
            .map_err(|error| CliError::Usage(format!("cannot handle signals: {error}")))?;
    }
    Ok(stop)
}

/// What the live reader knows about the lines it feeds the checker.
#[derive(Default)]
pub struct Tally {
    /// A finding of the reader's own about the line it fed last, given in
    /// place of the checker's `empty-line` for the empty line fed instead.
    pub pending: Option<Finding>,
    /// Lines the checker or the reader reported as unreadable, empty or
    /// console output: each counted once.
    pub unreadable: u64,
    last_unreadable: Option<u64>,
}

/// Shows each finding on standard error, then passes it on.
pub struct LiveSink<'s> {
    pub inner: &'s mut dyn FindingSink,
    pub tally: Rc<RefCell<Tally>>,
    /// Whether findings are shown in colour (anstream's choice for
    /// standard error).
    color: ColorChoice,
}

impl<'s> LiveSink<'s> {
    pub fn new(inner: &'s mut dyn FindingSink, tally: Rc<RefCell<Tally>>) -> LiveSink<'s> {
        LiveSink {
            inner,
            tally,
            // A terminal, and NO_COLOR, CLICOLOR and CLICOLOR_FORCE heeded.
            color: AutoStream::choice(&io::stderr()),
        }
    }

    fn show(&mut self, finding: Finding) {
        if matches!(
            finding.code,
            Code::ParseError | Code::EmptyLine | Code::ConsoleLine
        ) {
            let mut tally = self.tally.borrow_mut();
            if tally.last_unreadable != Some(finding.line) {
                tally.last_unreadable = Some(finding.line);
                tally.unreadable += 1;
            }
        }
        let mut out = AutoStream::new(io::stderr().lock(), self.color);
        let color = out.current_choice() != ColorChoice::Never;
        // Standard error gone (a closed terminal) must not stop the check.
        let _ = human::render_one(&finding, color, &mut out).and_then(|()| out.flush());
        self.inner.push(finding);
    }

    /// Passes on a reader's finding the checker did not claim.
    pub fn flush(&mut self) {
        let pending = self.tally.borrow_mut().pending.take();
        if let Some(pending) = pending {
            self.show(pending);
        }
    }
}

impl FindingSink for LiveSink<'_> {
    fn push(&mut self, finding: Finding) {
        let pending = self.tally.borrow_mut().pending.take();
        match pending {
            Some(pending) if finding.code == Code::EmptyLine && finding.line == pending.line => {
                self.show(pending);
                return;
            }
            Some(pending) => self.show(pending),
            None => {}
        }
        self.show(finding);
    }

    fn record<'a>(
        &mut self,
        classification: logspec_checker::record::Classification,
        fields: &mut dyn Iterator<Item = (&'a str, &'a str)>,
    ) {
        self.inner.record(classification, fields);
    }

    fn wants_records(&self) -> bool {
        self.inner.wants_records()
    }
}
