//! Which documented events and variants the checked inputs exercised.

use crate::plan::Plan;
use crate::record::Classification;
use serde::Serialize;

/// Counts of records per event variant, across all inputs.
#[derive(Debug, Clone)]
pub struct Coverage {
    counts: Vec<Vec<u64>>,
}

/// One documented event/variant and how often it was seen.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct CoverageEntry {
    pub event: String,
    pub variant: Option<String>,
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
}

impl Coverage {
    pub fn new(plan: &Plan) -> Coverage {
        Coverage {
            counts: plan
                .events
                .iter()
                .map(|event| vec![0; event.variants.len()])
                .collect(),
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

    pub fn report(&self, plan: &Plan) -> CoverageReport {
        let mut report = CoverageReport {
            documented: 0,
            seen: Vec::new(),
            not_seen: Vec::new(),
        };
        for (event_index, (event, counts)) in plan.events.iter().zip(&self.counts).enumerate() {
            for (variant_index, &count) in counts.iter().enumerate() {
                report.documented += 1;
                let entry = CoverageEntry {
                    event: event.id.clone(),
                    variant: plan
                        .variant_name(event_index, variant_index)
                        .map(str::to_owned),
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
