//! Streams: sequences of records across a spec's events, as one producer
//! on one host writes them, optionally with broken lines mixed in.
//!
//! Extension point for stream rules. The spec format does not yet say
//! how records relate across lines (lifecycles such as dispatch, then
//! lock-acquire, run and lock-release; REQIDs shared between a dispatcher
//! line and its agent's). Today every line is drawn independently from all
//! variants ([`streams`]'s `lines`), and only what is true of any stream
//! is stitched across lines in [`assemble`]: one host, a clock that moves
//! forward. When rules arrive, a rule becomes a strategy of *runs* (the
//! lifecycle's records in order, sharing a REQID) interleaved with the
//! free lines, and value sharing (REQID pairing) belongs in `assemble`;
//! valid streams must then also satisfy the rules, and mutations gain
//! rule-breaking kinds (a lifecycle step left out, a REQID that pairs with
//! nothing) with the findings the checker's stream rules raise.

use crate::mutate::{Expected, Mutated, Mutation};
use crate::record::Record;
use crate::render::render;
use crate::time::{Instant, EARLIEST, LATEST};
use crate::{value, Framing, RenderError};
use proptest::prelude::*;
use std::ops::RangeInclusive;

/// Which lines of a stream are broken.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Broken {
    /// Every line conforms.
    None,
    /// Every line carries one mutation (`logspec gen --invalid`).
    All,
    /// About one line in four carries one mutation.
    Some,
}

/// What streams to generate.
#[derive(Debug, Clone)]
pub struct StreamOptions {
    /// How many lines.
    pub lines: RangeInclusive<usize>,
    /// The framing every line is written in (mutations depend on it: a
    /// severity cannot be wrong in a format that carries none).
    pub framing: Framing,
    /// Only this event's variants (an index into the spec's events).
    pub event: Option<usize>,
    pub broken: Broken,
}

impl StreamOptions {
    /// Conforming streams of 1 to `max_lines` lines in `framing`.
    pub fn valid(framing: Framing, max_lines: usize) -> StreamOptions {
        StreamOptions {
            lines: 1..=max_lines.max(1),
            framing,
            event: None,
            broken: Broken::None,
        }
    }
}

/// One line of a stream: a record, and how it was broken if it was.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    pub record: Record,
    pub mutation: Option<Mutation>,
}

/// A stream of records in one framing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stream {
    pub framing: Framing,
    pub lines: Vec<Line>,
}

impl Stream {
    /// The stream as text: every line rendered and terminated by `\n`.
    pub fn render(&self) -> Result<String, RenderError> {
        let mut text = String::new();
        for line in &self.lines {
            text.push_str(&render(self.framing, &line.record)?);
            text.push('\n');
        }
        Ok(text)
    }

    /// The findings a checker must raise: 1-based line numbers and what
    /// each broken line must raise, in line order.
    pub fn expected(&self) -> Vec<(u64, &Expected)> {
        self.lines
            .iter()
            .zip(1u64..)
            .filter_map(|(line, number)| {
                line.mutation
                    .as_ref()
                    .map(|mutation| (number, &mutation.expected))
            })
            .collect()
    }
}

/// Largest gap between two consecutive lines' timestamps, in microseconds.
const MAX_GAP: i64 = 5_000_000;

/// Streams of lines from `valid` and `mutated` records, as `options` says.
pub(crate) fn streams(
    valid: BoxedStrategy<Record>,
    mutated: BoxedStrategy<Mutated>,
    options: &StreamOptions,
) -> BoxedStrategy<Stream> {
    let valid = valid.prop_map(|record| Line {
        record,
        mutation: None,
    });
    let mutated = mutated.prop_map(|mutated| Line {
        record: mutated.record,
        mutation: Some(mutated.mutation),
    });
    let line = match options.broken {
        Broken::None => valid.boxed(),
        Broken::All => mutated.boxed(),
        Broken::Some => prop_oneof![3 => valid, 1 => mutated].boxed(),
    };
    let most = i64::try_from(*options.lines.end()).unwrap_or(i64::MAX);
    let latest_start = LATEST.0.saturating_sub(most.saturating_mul(MAX_GAP));
    let lines = proptest::collection::vec((line, 0..=MAX_GAP), options.lines.clone());
    let framing = options.framing;
    (
        lines,
        value::hostname(),
        EARLIEST.0..=latest_start.max(EARLIEST.0),
    )
        .prop_map(move |(lines, hostname, start)| assemble(framing, lines, hostname, start))
        .boxed()
}

/// Puts the lines on one host with a clock that never goes back.
fn assemble(framing: Framing, lines: Vec<(Line, i64)>, hostname: String, start: i64) -> Stream {
    let mut time = start;
    let lines = lines
        .into_iter()
        .map(|(mut line, gap)| {
            time = time.saturating_add(gap);
            line.record.meta.hostname = hostname.clone();
            line.record.meta.time = Instant(time);
            line
        })
        .collect();
    Stream { framing, lines }
}
