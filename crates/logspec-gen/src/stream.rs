//! Streams: sequences of records across a spec's events, as one producer
//! on one host writes them, optionally with broken lines mixed in.
//!
//! Not yet walked: the spec's stream rules (`rules:`, lifecycles per
//! correlation key). Every line is drawn independently from all variants
//! (`steps`), and only what is true of any stream is stitched across lines
//! by `Place`: one host, a clock that never goes back. Generated streams
//! therefore conform record by record, and are checked with stream rules
//! off (`logspec check --no-stream-rules`). The extension: a rule becomes a
//! strategy of *runs* (a walk through its automaton from the start to an
//! accepting state, one record per transition, key and agreed values
//! stitched in `Place`) interleaved with the free lines; records that play
//! parts in several rules must then keep every rule they touch, and
//! mutations gain rule-breaking kinds (a step left out, a key reused) with
//! the findings the engine raises.

use crate::mutate::{Expected, Mutated, Mutation};
use crate::record::Record;
use crate::render::render;
use crate::time::{Instant, EARLIEST, LATEST};
use crate::{value, Framing, GenError, RenderError, Sampler};
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

/// One line and the time since the previous one, in microseconds.
pub(crate) type Step = (Line, i64);

/// Lines from `valid` and `mutated` records, each with its gap, as
/// `broken` says.
pub(crate) fn steps(
    valid: BoxedStrategy<Record>,
    mutated: BoxedStrategy<Mutated>,
    broken: Broken,
) -> BoxedStrategy<Step> {
    let valid = valid.prop_map(|record| Line {
        record,
        mutation: None,
    });
    let mutated = mutated.prop_map(|mutated| Line {
        record: mutated.record,
        mutation: Some(mutated.mutation),
    });
    let line = match broken {
        Broken::None => valid.boxed(),
        Broken::All => mutated.boxed(),
        Broken::Some => prop_oneof![3 => valid, 1 => mutated].boxed(),
    };
    (line, 0..=MAX_GAP).boxed()
}

/// Streams of `steps`, as `options` says.
pub(crate) fn streams(
    steps: BoxedStrategy<Step>,
    options: &StreamOptions,
) -> BoxedStrategy<Stream> {
    let framing = options.framing;
    (
        proptest::collection::vec(steps, options.lines.clone()),
        start(*options.lines.end()),
    )
        .prop_map(move |(steps, mut place)| Stream {
            framing,
            lines: steps.into_iter().map(|step| place.put(step)).collect(),
        })
        .boxed()
}

/// Where a stream starts: one host, and a first time early enough that
/// `lines` lines fit before [`LATEST`].
pub(crate) fn start(lines: usize) -> BoxedStrategy<Place> {
    let most = i64::try_from(lines).unwrap_or(i64::MAX);
    let latest_start = LATEST.0.saturating_sub(most.saturating_mul(MAX_GAP));
    (value::hostname(), EARLIEST.0..=latest_start.max(EARLIEST.0))
        .prop_map(|(hostname, time)| Place { hostname, time })
        .boxed()
}

/// What is stitched across lines: one host, a clock that never goes back.
#[derive(Debug, Clone)]
pub(crate) struct Place {
    hostname: String,
    time: i64,
}

impl Place {
    pub(crate) fn put(&mut self, (mut line, gap): Step) -> Line {
        self.time = self.time.saturating_add(gap);
        line.record.meta.hostname = self.hostname.clone();
        line.record.meta.time = Instant(self.time);
        line
    }
}

/// A stream drawn line by line from a seeded [`Sampler`], in constant
/// memory: what `logspec gen` writes. The same seed and options give the
/// same lines.
pub struct SampledLines {
    sampler: Sampler,
    steps: BoxedStrategy<Step>,
    place: Place,
    remaining: usize,
}

impl SampledLines {
    pub(crate) fn new(
        steps: BoxedStrategy<Step>,
        options: &StreamOptions,
        seed: u64,
    ) -> Result<SampledLines, GenError> {
        let mut sampler = Sampler::new(seed);
        let remaining = sampler.sample(&options.lines)?;
        let place = sampler.sample(&start(remaining))?;
        Ok(SampledLines {
            sampler,
            steps,
            place,
            remaining,
        })
    }
}

impl Iterator for SampledLines {
    type Item = Result<Line, GenError>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.remaining == 0 {
            return None;
        }
        self.remaining -= 1;
        Some(
            self.sampler
                .sample(&self.steps)
                .map(|step| self.place.put(step)),
        )
    }
}
