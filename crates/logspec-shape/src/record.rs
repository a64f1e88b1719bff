//! Reading logs into shapes.
//!
//! The checker reads the logs, exactly as `logspec check` does, and hands
//! every record it classifies as a documented event variant to its sink's
//! [`FindingSink::record`] with the record's fields: the recorder is that
//! sink. So a record counts as the variant `check` judges it against, and
//! shape follows every format and record kind the checker reads. Lines
//! that are not records of a documented event have no shape; saying what
//! is wrong with them is `check`'s job, and its findings are discarded.

use crate::class::classify;
use crate::model::{FieldShape, Presence, Shapes, VariantShape};
use logspec_checker::record::Classification;
use logspec_checker::{CheckOptions, Checker, FindingSink, Plan};
use logspec_finding::Finding;
use std::collections::{BTreeMap, BTreeSet};
use std::io::{self, BufRead};

/// Accumulates the shapes of every record of every input it reads.
pub struct Recorder<'p> {
    plan: &'p Plan,
    max_line_bytes: usize,
    /// By (event, variant) index in the plan.
    tallies: BTreeMap<(usize, usize), Tally>,
    /// Records shaped so far.
    records: u64,
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

impl<'p> Recorder<'p> {
    /// A recorder for records of `plan`'s spec, reading lines of at most
    /// `max_line_bytes` (longer ones are skipped, as `check` does).
    pub fn new(plan: &'p Plan, max_line_bytes: usize) -> Recorder<'p> {
        Recorder {
            plan,
            max_line_bytes,
            tallies: BTreeMap::new(),
            records: 0,
        }
    }

    /// Reads every line of `input` and adds its records' shapes.
    pub fn read<R: BufRead>(&mut self, input: R) -> io::Result<InputStats> {
        self.read_named("", input)
    }

    /// Like [`read`](Recorder::read), for an input whose path (`name`)
    /// tells its record kind, as files of a runtime folder do.
    pub fn read_named<R: BufRead>(&mut self, name: &str, input: R) -> io::Result<InputStats> {
        let options = CheckOptions {
            max_line_bytes: self.max_line_bytes,
            // Shapes are per record; stream rules would only cost time.
            stream_rules: false,
            ..CheckOptions::default()
        };
        let mut checker = Checker::new(self.plan, options);
        let before = self.records;
        let summary = checker.check_input(name, input, self)?;
        Ok(InputStats {
            lines: summary.lines,
            records: self.records - before,
        })
    }

    fn tally<'a>(
        &mut self,
        classification: Classification,
        fields: &mut dyn Iterator<Item = (&'a str, &'a str)>,
    ) {
        self.records += 1;
        let tally = self
            .tallies
            .entry((classification.event, classification.variant))
            .or_default();
        tally.records += 1;
        let mut before: Vec<&str> = Vec::new();
        for (key, value) in fields {
            // A repeated key is the checker's duplicate-field finding;
            // its first occurrence is the one that counts.
            if before.contains(&key) {
                continue;
            }
            let field = tally.fields.entry(key.to_owned()).or_default();
            field.seen += 1;
            field.classes.insert(classify(value));
            for earlier in &before {
                if !field.preceded_by.contains(*earlier) {
                    field.preceded_by.insert((*earlier).to_owned());
                }
            }
            before.push(key);
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
                .entry(event.id.to_string())
                .or_default()
                .insert(variant.name.to_string(), shape);
        }
        shapes
    }
}

/// The recorder is the checker's sink: findings are dropped, records kept.
impl FindingSink for Recorder<'_> {
    fn push(&mut self, _finding: Finding) {}

    fn record<'a>(
        &mut self,
        classification: Classification,
        fields: &mut dyn Iterator<Item = (&'a str, &'a str)>,
    ) {
        self.tally(classification, fields);
    }

    fn wants_records(&self) -> bool {
        true
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
