//! Reports: one [`Report`] of findings, rendered by several reporters.
//!
//! The checker streams findings into a [`Collector`], which counts every
//! finding but keeps only the first `limit` of them, so a log where every
//! line is wrong cannot exhaust memory; the report says how many it left out.
//! Each output format is one module with one `render` function over the
//! same [`Report`], so a new format cannot drift from the others' data.

pub mod human;
pub mod json;

use logspec_checker::stream::Alignment;
use logspec_checker::{CoverageReport, FindingSink, InputSummary};
use logspec_finding::{Finding, Severity};

/// Findings kept by default before the rest are only counted.
pub const DEFAULT_FINDING_LIMIT: usize = 10_000;

/// Collects findings up to a limit and counts all of them.
#[derive(Debug)]
pub struct Collector {
    limit: usize,
    pub findings: Vec<Finding>,
    pub omitted: u64,
    pub counts: Counts,
}

/// Findings by severity.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct Counts {
    pub errors: u64,
    pub warnings: u64,
    pub infos: u64,
}

impl Counts {
    pub fn add(&mut self, severity: Severity) {
        match severity {
            Severity::Error => self.errors += 1,
            Severity::Warning => self.warnings += 1,
            Severity::Info => self.infos += 1,
        }
    }

    pub fn of(findings: &[Finding]) -> Counts {
        let mut counts = Counts::default();
        for finding in findings {
            counts.add(finding.severity);
        }
        counts
    }
}

impl Collector {
    pub fn new(limit: usize) -> Collector {
        Collector {
            limit,
            findings: Vec::new(),
            omitted: 0,
            counts: Counts::default(),
        }
    }
}

impl FindingSink for Collector {
    fn push(&mut self, finding: Finding) {
        self.counts.add(finding.severity);
        if self.findings.len() < self.limit {
            self.findings.push(finding);
        } else {
            self.omitted += 1;
        }
    }
}

/// Everything a check run found, ready to render.
#[derive(Debug)]
pub struct Report {
    /// The spec's producer name.
    pub spec: String,
    pub inputs: Vec<InputSummary>,
    /// How the inputs' records were ordered for the stream rules.
    pub alignment: Alignment,
    pub findings: Vec<Finding>,
    /// Findings counted but not kept (over the collector's limit).
    pub omitted: u64,
    pub counts: Counts,
    pub coverage: CoverageReport,
}

impl Report {
    pub fn new(
        spec: String,
        inputs: Vec<InputSummary>,
        alignment: Alignment,
        collector: Collector,
        coverage: CoverageReport,
    ) -> Report {
        let mut findings = collector.findings;
        // Inputs are checked in order; sorting by file position keeps each
        // input's findings in line order however they were produced.
        findings.sort_by(|a, b| {
            let file_rank = |file: &str| inputs.iter().position(|input| &*input.file == file);
            (file_rank(&a.file), a.line).cmp(&(file_rank(&b.file), b.line))
        });
        Report {
            spec,
            inputs,
            alignment,
            findings,
            omitted: collector.omitted,
            counts: collector.counts,
            coverage,
        }
    }

    pub fn lines(&self) -> u64 {
        self.inputs.iter().map(|input| input.lines).sum()
    }

    pub fn records(&self) -> u64 {
        self.inputs.iter().map(|input| input.records).sum()
    }

    /// Whether a CI gate should fail: any finding of severity error.
    pub fn failed(&self) -> bool {
        self.counts.errors > 0
    }
}
