//! The checking side of a capture: messages as lines for the checker, one
//! line per message, so that a finding's line number is the message's
//! number (and its line in the `--save` file).
//!
//! A message that cannot be checked as it is (cut, over the limit, empty,
//! or holding a line break, which would make it several lines) is fed as
//! an empty line, and the reader's own `parse-error` for it takes the place
//! of the checker's `empty-line` (see `live::LiveSink`): every message is
//! either checked or reported, and the numbering holds.

use super::{Capture, Event, Message, POLL};
use crate::live::Tally;
use logspec_finding::{Code, Excerpt, Finding};
use std::cell::RefCell;
use std::fs::File;
use std::io::{self, BufRead, BufWriter, Read, Write};
use std::rc::Rc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::RecvTimeoutError;
use std::sync::Arc;
use std::time::Instant;

/// The name findings give the capture.
pub const NAME: &str = "<listen>";

/// Counts of what was received, for the report's accounting.
#[derive(Debug, Default, Clone, Copy)]
pub struct Received {
    pub messages: u64,
    pub udp: u64,
    pub tcp: u64,
    pub refused_connections: u64,
    /// UDP datagrams the kernel dropped (a full receive buffer) before
    /// they could be read: `Some` once UDP receiving has ended on a
    /// platform that tells.
    pub kernel_dropped: Option<u64>,
}

/// Reads a capture as the checker's input.
pub struct Feed {
    capture: Capture,
    signalled: Arc<AtomicBool>,
    deadline: Option<Instant>,
    save: Option<(String, BufWriter<File>)>,
    tally: Rc<RefCell<Tally>>,
    pub received: Rc<RefCell<Received>>,
    line: Vec<u8>,
    start: usize,
    file: Arc<str>,
}

impl Feed {
    pub fn new(
        capture: Capture,
        signalled: Arc<AtomicBool>,
        deadline: Option<Instant>,
        save: Option<(String, BufWriter<File>)>,
        tally: Rc<RefCell<Tally>>,
    ) -> Feed {
        Feed {
            capture,
            signalled,
            deadline,
            save,
            tally,
            received: Rc::default(),
            line: Vec::new(),
            start: 0,
            file: Arc::from(NAME),
        }
    }

    fn stop_when_due(&self) {
        let due = self.signalled.load(Ordering::Relaxed)
            || self
                .deadline
                .is_some_and(|deadline| Instant::now() >= deadline);
        if due {
            self.capture.stop.store(true, Ordering::Relaxed);
        }
    }

    fn flush_save(&mut self) -> io::Result<()> {
        match &mut self.save {
            Some((path, out)) => out
                .flush()
                .map_err(|error| io::Error::other(format!("cannot write {path}: {error}"))),
            None => Ok(()),
        }
    }

    /// Takes one message as the next line.
    fn take(&mut self, message: Message) -> io::Result<()> {
        let mut received = self.received.borrow_mut();
        received.messages += 1;
        if message.source.starts_with("udp") {
            received.udp += 1;
        } else {
            received.tcp += 1;
        }
        let number = received.messages;
        drop(received);
        let mut bytes = message.bytes;
        // A line end after the message is framing, not content.
        while matches!(bytes.last(), Some(b'\n' | b'\r')) {
            bytes.pop();
        }
        if let Some((path, out)) = &mut self.save {
            out.write_all(&bytes)
                .and_then(|()| out.write_all(b"\n"))
                .map_err(|error| io::Error::other(format!("cannot write {path}: {error}")))?;
        }
        let problem = message.problem.or_else(|| {
            if bytes.is_empty() {
                Some("empty message".to_owned())
            } else {
                memchr::memchr(b'\n', &bytes).map(|at| {
                    format!(
                        "the message holds a line break (byte {}): a syslog record is one \
                         line; not checked",
                        at + 1
                    )
                })
            }
        });
        self.line.clear();
        self.start = 0;
        match problem {
            Some(problem) => {
                let mut finding = Finding::new(
                    Code::ParseError,
                    &self.file,
                    number,
                    format!("message from {}: {problem}", message.source),
                );
                let shown = &bytes[..bytes.len().min(200)];
                let text = String::from_utf8_lossy(shown).replace(['\n', '\r'], " ");
                finding.excerpt = Some(Excerpt { text, span: None });
                self.tally.borrow_mut().pending = Some(finding);
            }
            None => self.line.extend_from_slice(&bytes),
        }
        self.line.push(b'\n');
        Ok(())
    }
}

impl Read for Feed {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        let available = self.fill_buf()?;
        let n = available.len().min(out.len());
        out[..n].copy_from_slice(&available[..n]);
        self.consume(n);
        Ok(n)
    }
}

impl BufRead for Feed {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        if self.start >= self.line.len() {
            loop {
                self.stop_when_due();
                match self.capture.next(POLL) {
                    Ok(Event::Message(message)) => {
                        self.take(message)?;
                        break;
                    }
                    Ok(Event::Refused) => self.received.borrow_mut().refused_connections += 1,
                    Ok(Event::Dropped(count)) => self.received.borrow_mut().kernel_dropped = count,
                    Err(RecvTimeoutError::Timeout) => self.flush_save()?,
                    Err(RecvTimeoutError::Disconnected) => {
                        self.flush_save()?;
                        self.line.clear();
                        self.start = 0;
                        break;
                    }
                }
            }
        }
        Ok(&self.line[self.start..])
    }

    fn consume(&mut self, amount: usize) {
        self.start = (self.start + amount).min(self.line.len());
    }
}
