//! Which documented events and variants the checked inputs exercised.

use crate::plan::Plan;
use crate::record::Classification;
use serde::Serialize;
use std::sync::Arc;

/// Counts of records per event variant, across all inputs. Two equal
/// counts make equal reports: comparing them is the cheap way to compare
/// what two runs exercised.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Coverage {
    counts: Vec<Vec<u64>>,
    /// Per console line the document lists.
    console: Vec<u64>,
}

/// One documented event/variant and how often it was seen.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct CoverageEntry {
    /// Shared with the plan: a report lists every documented variant, and
    /// the check fuzz target builds one per input.
    pub event: Arc<str>,
    pub variant: Option<Arc<str>>,
    pub count: u64,
}

/// The coverage part of a report.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct CoverageReport {
    /// Number of documented event variants.
    pub documented: usize,
    /// Seen variants, in spec order, with their counts.
    pub seen: Vec<CoverageEntry>,
    /// Documented variants no record matched, in spec order.
    pub not_seen: Vec<CoverageEntry>,
    /// Per document section (catalogue specs), in document order: how many
    /// of its entries were exercised.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub sections: Vec<SectionCoverage>,
}

/// One document section's share of the coverage.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct SectionCoverage {
    pub section: String,
    pub documented: usize,
    pub seen: usize,
}

impl Coverage {
    pub fn new(plan: &Plan) -> Coverage {
        Coverage {
            counts: plan
                .events
                .iter()
                .map(|event| vec![0; event.variants.len()])
                .collect(),
            console: vec![0; plan.console.len()],
        }
    }

    /// Counts a console line (index into [`Plan::console`]).
    pub fn count_console(&mut self, index: usize) {
        if let Some(count) = self.console.get_mut(index) {
            *count += 1;
        }
    }

    pub fn count(&mut self, classification: Classification) {
        if let Some(count) = self
            .counts
            .get_mut(classification.event)
            .and_then(|variants| variants.get_mut(classification.variant))
        {
            *count += 1;
        }
    }

    /// The first variant, in spec order, a record was counted for, as
    /// (event, variant) indices: what one record was classified as,
    /// without building a report of every documented variant.
    pub fn first_seen(&self) -> Option<(usize, usize)> {
        self.counts.iter().enumerate().find_map(|(event, counts)| {
            let variant = counts.iter().position(|&count| count > 0)?;
            Some((event, variant))
        })
    }

    pub fn report(&self, plan: &Plan) -> CoverageReport {
        let mut report = CoverageReport {
            documented: 0,
            seen: Vec::new(),
            not_seen: Vec::new(),
            sections: plan
                .sections
                .iter()
                .map(|section| SectionCoverage {
                    section: section.clone(),
                    documented: 0,
                    seen: 0,
                })
                .collect(),
        };
        // The plan resolved each entry's section to its index.
        let mut tally = |section: Option<usize>, count: u64| {
            if let Some(entry) = section.and_then(|index| report.sections.get_mut(index)) {
                entry.documented += 1;
                entry.seen += usize::from(count > 0);
            }
        };
        for (line, &count) in plan.console.iter().zip(&self.console) {
            tally(Some(line.section), count);
        }
        for (event_index, (event, counts)) in plan.events.iter().zip(&self.counts).enumerate() {
            for (variant_index, &count) in counts.iter().enumerate() {
                tally(event.variants[variant_index].section, count);
                report.documented += 1;
                let entry = CoverageEntry {
                    event: event.id.clone(),
                    variant: plan
                        .shared_variant_name(event_index, variant_index)
                        .cloned(),
                    count,
                };
                if count > 0 {
                    report.seen.push(entry);
                } else {
                    report.not_seen.push(entry);
                }
            }
        }
        report
    }
}
