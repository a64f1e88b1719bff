//! The gate's requirements beyond findings, and what the report says about
//! them: a baseline's use, a share of documented variants that must be
//! seen (`--require-coverage`), events that must be seen
//! (`--require-events`). An unmet requirement is an error finding, so every
//! format shows it and `--fail-on` treats it like any other.

use crate::baseline::Fingerprint;
use crate::Report;
use logspec_finding::{Code, Finding};
use serde::Serialize;
use std::sync::Arc;

/// What the report says about the gate beyond its findings.
#[derive(Debug, Default, Serialize)]
pub struct GateReport {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub baseline: Option<BaselineUse>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub required_coverage: Option<RequiredCoverage>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub required_events: Option<RequiredEvents>,
}

/// How the baseline was used.
#[derive(Debug, Serialize)]
pub struct BaselineUse {
    pub file: String,
    /// Findings it accepted (left out of the findings and counts).
    pub matched: u64,
    /// Its entries no finding matched: remove them.
    pub stale: Vec<Fingerprint>,
}

#[derive(Debug, Serialize)]
pub struct RequiredCoverage {
    pub percent: f64,
    pub seen_percent: f64,
    pub met: bool,
}

#[derive(Debug, Serialize)]
pub struct RequiredEvents {
    pub events: Vec<String>,
    pub not_seen: Vec<String>,
}

/// Requires `percent` of the documented variants to have been seen; a
/// shortfall is a `coverage-below` finding about the spec (`origin`).
pub fn require_coverage(report: &mut Report, percent: f64, origin: &str) {
    let coverage = &report.coverage;
    let seen_percent = if coverage.documented == 0 {
        100.0
    } else {
        coverage.seen.len() as f64 * 100.0 / coverage.documented as f64
    };
    let met = seen_percent >= percent;
    if !met {
        let message = format!(
            "{} of {} documented event variants seen ({seen_percent:.1}%), below the required \
             {percent}%",
            coverage.seen.len(),
            coverage.documented
        );
        report.add_finding(Finding::new(
            Code::CoverageBelow,
            &Arc::from(origin),
            0,
            message,
        ));
    }
    report.gate.required_coverage = Some(RequiredCoverage {
        percent,
        seen_percent,
        met,
    });
}

/// Requires every one of `events` (documented event ids) to have been seen;
/// each one that was not is a `required-event-not-seen` finding.
pub fn require_events(report: &mut Report, events: &[String], origin: &str) {
    let not_seen: Vec<String> = events
        .iter()
        .filter(|event| {
            !report
                .coverage
                .seen
                .iter()
                .any(|seen| *seen.event == **event)
        })
        .cloned()
        .collect();
    let file: Arc<str> = Arc::from(origin);
    for event in &not_seen {
        let mut finding = Finding::new(
            Code::RequiredEventNotSeen,
            &file,
            0,
            format!("{event} is a required event, and no record of it was seen"),
        );
        finding.event = Some(event.clone());
        report.add_finding(finding);
    }
    report.gate.required_events = Some(RequiredEvents {
        events: events.to_vec(),
        not_seen,
    });
}
