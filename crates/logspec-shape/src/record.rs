//! Reading logs into shapes.
//!
//! Records are read the way `logspec check` reads them (line reader,
//! format detected per input among the spec's, envelope, key=value pairs)
//! and classified by the checker's own `check_record`, so a record counts
//! as the event variant `check` would judge it against. Lines that are not
//! records of a documented event are skipped: saying what is wrong with
//! them is `check`'s job, and its findings are discarded here.

use crate::class::classify;
use crate::model::{FieldShape, Presence, Shapes, VariantShape};
use logspec_checker::record::{check_record, Classification, RecordInput, Scratch};
use logspec_checker::{Finding, FindingSink, Plan};
use logspec_reader::{decode, detect, parse_pairs, read_envelope, Format, LineReader, Pair};
use std::collections::{BTreeMap, BTreeSet};
use std::io::{self, BufRead};
use std::sync::Arc;

/// Accumulates the shapes of every record of every input it reads.
pub struct Recorder<'p> {
    plan: &'p Plan,
    max_line_bytes: usize,
    /// By (event, variant) index in the plan.
    tallies: BTreeMap<(usize, usize), Tally>,
    scratch: Scratch,
}

/// What one input held.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct InputStats {
    pub lines: u64,
    /// Records classified as a documented event variant (the shaped ones).
    pub records: u64,
}

#[derive(Default)]
struct Tally {
    records: u64,
    fields: BTreeMap<String, FieldTally>,
}

#[derive(Default)]
struct FieldTally {
    /// Records carrying the field.
    seen: u64,
    classes: BTreeSet<String>,
    preceded_by: BTreeSet<String>,
}

/// Findings are `check`'s business; shaping only needs the classification.
struct Discard;

impl FindingSink for Discard {
    fn push(&mut self, _finding: Finding) {}
}

impl<'p> Recorder<'p> {
    /// A recorder for records of `plan`'s spec, reading lines of at most
    /// `max_line_bytes` (longer ones are skipped, as `check` does).
    pub fn new(plan: &'p Plan, max_line_bytes: usize) -> Recorder<'p> {
        Recorder {
            plan,
            max_line_bytes,
            tallies: BTreeMap::new(),
            scratch: Scratch::default(),
        }
    }

    /// Reads every line of `input` and adds its records' shapes.
    pub fn read<R: BufRead>(&mut self, input: R) -> io::Result<InputStats> {
        let plan = self.plan;
        let no_file: Arc<str> = Arc::from("");
        let mut stats = InputStats::default();
        let mut format: Option<Format> = None;
        let mut lines = LineReader::new(input, self.max_line_bytes);
        while let Some(raw) = lines.next_line()? {
            stats.lines += 1;
            if raw.skipped_bytes > 0 {
                continue;
            }
            let Ok(line) = decode(raw.bytes) else {
                continue;
            };
            if line.trim().is_empty() {
                continue;
            }
            let Some(line_format) = format.or_else(|| detect(line, &plan.formats)) else {
                continue;
            };
            format = Some(line_format);
            let Ok(framed) = read_envelope(line_format, line) else {
                continue;
            };
            let Ok(pairs) = parse_pairs(&framed.payload) else {
                continue;
            };
            let outcome = check_record(
                plan,
                &RecordInput {
                    file: &no_file,
                    line_number: raw.number,
                    line,
                    envelope: &framed.envelope,
                    pairs: &pairs,
                    payload_offset: framed.payload_offset,
                },
                &mut self.scratch,
                &mut Discard,
            );
            if let Some(classification) = outcome.classification {
                stats.records += 1;
                self.tally(classification, &pairs);
            }
        }
        Ok(stats)
    }

    fn tally(&mut self, classification: Classification, pairs: &[Pair<'_>]) {
        let tally = self
            .tallies
            .entry((classification.event, classification.variant))
            .or_default();
        tally.records += 1;
        let mut before: Vec<&str> = Vec::with_capacity(pairs.len());
        for pair in pairs {
            // A repeated key is the checker's duplicate-field finding;
            // its first occurrence is the one that counts.
            if before.contains(&pair.key) {
                continue;
            }
            let field = tally.fields.entry(pair.key.to_owned()).or_default();
            field.seen += 1;
            field.classes.insert(classify(&pair.value));
            for earlier in &before {
                if !field.preceded_by.contains(*earlier) {
                    field.preceded_by.insert((*earlier).to_owned());
                }
            }
            before.push(pair.key);
        }
    }

    /// The shapes of everything read.
    pub fn finish(self) -> Shapes {
        let mut shapes = Shapes::new(&self.plan.producer);
        for ((event, variant), tally) in self.tallies {
            let Some(event) = self.plan.events.get(event) else {
                continue;
            };
            let Some(variant) = event.variants.get(variant) else {
                continue;
            };
            let fields: BTreeMap<String, FieldShape> = tally
                .fields
                .into_iter()
                .map(|(name, field)| {
                    let presence = if field.seen == tally.records {
                        Presence::Always
                    } else {
                        Presence::Sometimes
                    };
                    let shape = FieldShape {
                        presence,
                        classes: field.classes,
                        preceded_by: field.preceded_by,
                    };
                    (name, shape)
                })
                .collect();
            let shape = VariantShape {
                order: order_of(&fields),
                fields,
            };
            shapes
                .events
                .entry(event.id.clone())
                .or_default()
                .insert(variant.name.clone(), shape);
        }
        shapes
    }
}

/// Fields by how many others came before them (then by name): the order
/// records carry them in when they agree, optional fields in their place.
pub(crate) fn order_of(fields: &BTreeMap<String, FieldShape>) -> Vec<String> {
    let mut order: Vec<(usize, &String)> = fields
        .iter()
        .map(|(name, field)| (field.preceded_by.len(), name))
        .collect();
    order.sort();
    order.into_iter().map(|(_, name)| name.clone()).collect()
}
