//! Streams: sequences of records across a spec's events, as one producer
//! on one host writes them, optionally with broken lines mixed in.
//!
//! Every line is drawn independently from all variants of one record kind
//! (`steps`), and only what is true of any stream is stitched across lines
//! by `Place`: one host, a clock that never goes back (written into the
//! kind's own time field where it has one). These streams conform record
//! by record and are checked with stream rules off; streams that keep the
//! stream rules are [`scenario`](crate::scenario)s.

use crate::framing::is_json;
use crate::generator::Compiled;
use crate::mutate::{Expected, Mutated, Mutation};
use crate::record::Record;
use crate::render::{blank_lines_after, is_json_number, render};
use crate::time::{Instant, EARLIEST, LATEST};
use crate::{value, Framing, GenError, RenderError, Sampler};
use logspec_checker::Code;
use logspec_reader::{Format, JsonKind};
use logspec_spec::{EpochUnit, TimestampSource};
use proptest::prelude::*;
use std::collections::HashSet;
use std::ops::RangeInclusive;
use std::rc::Rc;

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
    /// Conforming streams of 1 to `max_lines` lines in `framing` (one
    /// record, for a format whose input is one document).
    pub fn valid(framing: Framing, max_lines: usize) -> StreamOptions {
        let most = if one_record(framing) { 1 } else { max_lines };
        StreamOptions {
            lines: 1..=most.max(1),
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

impl From<Mutated> for Line {
    fn from(mutated: Mutated) -> Line {
        Line {
            record: mutated.record,
            mutation: Some(mutated.mutation),
        }
    }
}

/// A stream of records in one framing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stream {
    pub framing: Framing,
    pub lines: Vec<Line>,
}

impl Stream {
    /// The stream as text: every record rendered and terminated by `\n`
    /// (and an empty line after each block of the block formats).
    pub fn render(&self) -> Result<String, RenderError> {
        Ok(self.rendered()?.0)
    }

    /// The text, and the line each record starts on (1-based).
    pub(crate) fn rendered(&self) -> Result<(String, Vec<u64>), RenderError> {
        let mut text = String::new();
        let mut starts = Vec::with_capacity(self.lines.len());
        let mut next = 1u64;
        for line in &self.lines {
            let record = render(self.framing, &line.record)?;
            starts.push(next);
            next += record.lines().count().max(1) as u64 + blank_lines_after(self.framing) as u64;
            text.push_str(&record);
            text.push('\n');
            for _ in 0..blank_lines_after(self.framing) {
                text.push('\n');
            }
        }
        Ok((text, starts))
    }

    /// The findings a checker must raise: the line each broken record
    /// starts on and what it must raise, in stream order.
    pub fn expected(&self) -> Result<Vec<(u64, &Expected)>, RenderError> {
        let (_, starts) = self.rendered()?;
        let mut once = ReportedOnce::default();
        Ok(self
            .lines
            .iter()
            .zip(starts)
            .filter_map(|(line, number)| {
                line.mutation
                    .as_ref()
                    .filter(|mutation| once.keeps(&mutation.expected))
                    .map(|mutation| (number, &mutation.expected))
            })
            .collect())
    }
}

/// Findings the checker reports once per check: an unknown event (tolerated
/// or not) is reported the first time its id is seen only.
#[derive(Debug, Default)]
pub struct ReportedOnce {
    seen: HashSet<String>,
}

impl ReportedOnce {
    /// Whether `expected` is reported where it occurs (false for a repeat).
    pub fn keeps(&mut self, expected: &Expected) -> bool {
        !matches!(
            expected.code,
            Code::UnknownEventTolerated | Code::UnknownEvent
        ) || self.seen.insert(expected.event.clone().unwrap_or_default())
    }
}

/// Whether an input of `framing` holds one record (a JSON document).
pub fn one_record(framing: Framing) -> bool {
    framing.format().framing() == logspec_reader::Framing::Document
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
    let mutated = mutated.prop_map(Line::from);
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
    clock: Clock,
    options: &StreamOptions,
) -> BoxedStrategy<Stream> {
    let framing = options.framing;
    (
        proptest::collection::vec(steps, options.lines.clone()),
        start(*options.lines.end(), clock),
    )
        .prop_map(move |(steps, mut place)| Stream {
            framing,
            lines: steps.into_iter().map(|step| place.put(step)).collect(),
        })
        .boxed()
}

/// Where a stream starts: one host, and a first time early enough that
/// `lines` lines fit before [`LATEST`].
pub(crate) fn start(lines: usize, clock: Clock) -> BoxedStrategy<Place> {
    let most = i64::try_from(lines).unwrap_or(i64::MAX);
    let latest_start = LATEST.0.saturating_sub(most.saturating_mul(MAX_GAP));
    let clock = Rc::new(clock);
    (value::hostname(), EARLIEST.0..=latest_start.max(EARLIEST.0))
        .prop_map(move |(hostname, time)| Place {
            hostname,
            time,
            clock: Rc::clone(&clock),
        })
        .boxed()
}

/// Where a stream's record kind writes its records' time, so the stream's
/// clock can be written there.
pub(crate) struct Clock {
    compiled: Rc<Compiled>,
    /// The time field and its epoch unit.
    field: Option<(String, Option<EpochUnit>)>,
    format: Format,
}

impl Clock {
    pub(crate) fn new(
        compiled: Rc<Compiled>,
        source: Option<&TimestampSource>,
        format: Format,
    ) -> Clock {
        Clock {
            compiled,
            field: source.map(|source| (source.field.clone(), source.epoch)),
            format,
        }
    }

    /// Writes `time` into the record's time field ([`stamp_field`]).
    pub(crate) fn stamp(&self, record: &mut Record, time: Instant) {
        if let Some((name, epoch)) = &self.field {
            stamp_field(&self.compiled, record, name, *epoch, self.format, time);
        }
    }
}

/// Writes `time` into `record`'s time field `name`, in the first spelling
/// the field accepts in `format`. A value the field rejects (a
/// mutation's) is left alone.
pub(crate) fn stamp_field(
    compiled: &Compiled,
    record: &mut Record,
    name: &str,
    epoch: Option<EpochUnit>,
    format: Format,
    time: Instant,
) {
    // The variant's use of the field, else the kind keeps it and the
    // glossary types it.
    let listed = compiled
        .plan
        .events
        .get(record.event)
        .and_then(|event| event.variants.get(record.variant))
        .and_then(|variant| variant.fields.iter().find(|field| field.name == name))
        .map(|field| field.check_in(format).clone());
    let Some(check) = listed.or_else(|| {
        let field = compiled.plan.field(name)?;
        Some(field.check_in(format).clone())
    }) else {
        return;
    };
    let json = |field_json: JsonKind| is_json(format).then_some(field_json);
    for field in record.fields.iter_mut().filter(|field| field.key == name) {
        if check.check_typed(&field.value, json(field.json)).is_err() {
            continue;
        }
        let forms = time.field_forms(epoch, format);
        // A `$date` has one spelling, the first.
        let tried = if field.json == JsonKind::Date {
            1
        } else {
            forms.len()
        };
        let stamped = forms.into_iter().take(tried).find(|form| {
            check.check_typed(form, json(field.json)).is_ok()
                && (field.json != JsonKind::Number || is_json_number(form))
        });
        if let Some(form) = stamped {
            field.value = form;
        }
    }
}

/// What is stitched across lines: one host, a clock that never goes back.
#[derive(Clone)]
pub(crate) struct Place {
    hostname: String,
    time: i64,
    clock: Rc<Clock>,
}

impl std::fmt::Debug for Place {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Place")
            .field("hostname", &self.hostname)
            .field("time", &self.time)
            .finish()
    }
}

impl Place {
    pub(crate) fn put(&mut self, (mut line, gap): Step) -> Line {
        self.time = self.time.saturating_add(gap);
        line.record.meta.hostname = self.hostname.clone();
        line.record.meta.time = Instant(self.time);
        self.clock.stamp(&mut line.record, Instant(self.time));
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
        clock: Clock,
        options: &StreamOptions,
        seed: u64,
    ) -> Result<SampledLines, GenError> {
        let mut sampler = Sampler::new(seed);
        let remaining = sampler.sample(&options.lines)?;
        let place = sampler.sample(&start(remaining, clock))?;
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
