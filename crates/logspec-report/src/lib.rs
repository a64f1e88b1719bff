//! Reports: one [`Report`] of findings, rendered by several reporters.
//!
//! The checker streams findings into a [`Collector`], which counts every
//! finding but keeps only the first `limit` of them, so a log where every
//! line is wrong cannot exhaust memory; the report says how many it left out.
//! Each output format is one module with one `render` function over the
//! same [`Report`], so a new format cannot drift from the others' data.

pub mod baseline;
pub mod gate;
pub mod github;
pub mod human;
pub mod json;
pub mod junit;
pub mod sarif;

use logspec_checker::stream::Alignment;
use logspec_checker::{CoverageReport, FindingSink, InputSummary};
use logspec_finding::{Finding, Severity};
use std::io::{self, Write};

/// The report formats: the one table the CLI's `--report` and every
/// command that renders findings take their names from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ReportFormat {
    /// For a person at a terminal.
    Human,
    /// One JSON object (schema: `crates/logspec-report/report.schema.json`).
    Json,
    /// GitHub Actions workflow commands: one annotation per finding.
    Github,
    /// JUnit XML: one test case per event variant, for CI test tabs.
    Junit,
    /// SARIF 2.1.0, for code-scanning dashboards.
    Sarif,
}

impl ReportFormat {
    pub const ALL: &'static [ReportFormat] = &[
        ReportFormat::Human,
        ReportFormat::Json,
        ReportFormat::Github,
        ReportFormat::Junit,
        ReportFormat::Sarif,
    ];

    pub fn name(self) -> &'static str {
        match self {
            ReportFormat::Human => "human",
            ReportFormat::Json => "json",
            ReportFormat::Github => "github",
            ReportFormat::Junit => "junit",
            ReportFormat::Sarif => "sarif",
        }
    }

    pub fn from_name(name: &str) -> Option<ReportFormat> {
        ReportFormat::ALL
            .iter()
            .copied()
            .find(|format| format.name() == name)
    }

    /// Whether the format is read line by line on a console, so that it
    /// can share standard output with another such format (a CI log shows
    /// the human summary and takes the annotations from the same stream).
    pub fn is_console(self) -> bool {
        matches!(self, ReportFormat::Human | ReportFormat::Github)
    }
}

/// Writes `report` in `format`; `human` says how the human format looks.
pub fn render(
    format: ReportFormat,
    report: &Report,
    human: human::HumanOptions,
    out: &mut dyn Write,
) -> io::Result<()> {
    match format {
        ReportFormat::Human => human::render(report, human, out),
        ReportFormat::Json => json::render(report, out),
        ReportFormat::Github => github::render(report, out),
        ReportFormat::Junit => junit::render(report, out),
        ReportFormat::Sarif => sarif::render(report, out),
    }
}

/// Writes `value` as pretty-printed JSON followed by a newline (the JSON
/// and SARIF reports). serde_json hands its writer every token on its own;
/// through `dyn Write` each is a call that cannot be inlined, which cost
/// as much as building the findings, so the tokens go to a buffer of a
/// known type first.
fn write_json(value: &impl serde::Serialize, out: &mut dyn Write) -> io::Result<()> {
    let mut buffered = io::BufWriter::with_capacity(1 << 16, out);
    serde_json::to_writer_pretty(&mut buffered, value)?;
    buffered.write_all(b"\n")?;
    buffered.flush()
}

/// Writes findings that come without a check run (lint's) in `format`;
/// `origin` names what they are about (the spec), `fail_on` which of them
/// fail (JUnit marks those test cases failed).
pub fn render_findings(
    format: ReportFormat,
    origin: &str,
    findings: &[Finding],
    fail_on: FailOn,
    human: human::HumanOptions,
    out: &mut dyn Write,
) -> io::Result<()> {
    match format {
        ReportFormat::Human => human::render_findings(findings, human, out),
        ReportFormat::Json => json::render_findings(origin, findings, out),
        ReportFormat::Github => github::render_findings(findings, out),
        ReportFormat::Junit => junit::render_findings(origin, findings, fail_on, out),
        ReportFormat::Sarif => sarif::render_findings(findings, out),
    }
}

/// Which findings fail the gate (`--fail-on`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum FailOn {
    /// Any error finding (the default).
    #[default]
    Error,
    /// Any error or warning finding.
    Warning,
    /// Nothing: report only.
    Never,
}

impl FailOn {
    /// Whether a finding of `severity` fails the gate.
    pub fn name(self) -> &'static str {
        match self {
            FailOn::Error => "error",
            FailOn::Warning => "warning",
            FailOn::Never => "never",
        }
    }

    pub fn fails(self, severity: Severity) -> bool {
        match self {
            FailOn::Error => severity == Severity::Error,
            FailOn::Warning => severity <= Severity::Warning,
            FailOn::Never => false,
        }
    }

    /// Whether findings counted as `counts` fail the gate.
    pub fn fails_counts(self, counts: Counts) -> bool {
        (counts.errors > 0 && self.fails(Severity::Error))
            || (counts.warnings > 0 && self.fails(Severity::Warning))
            || (counts.infos > 0 && self.fails(Severity::Info))
    }
}

/// `count` with its noun, in the singular for one: "1 warning", "2 warnings".
pub fn counted(count: u64, singular: &str, plural: &str) -> String {
    if count == 1 {
        format!("1 {singular}")
    } else {
        format!("{count} {plural}")
    }
}

/// Findings kept by default before the rest are only counted.
pub const DEFAULT_FINDING_LIMIT: usize = 10_000;

/// Collects findings up to a limit and counts all of them.
#[derive(Debug)]
pub struct Collector {
    limit: usize,
    pub findings: Vec<Finding>,
    pub omitted: u64,
    pub counts: Counts,
    /// With a baseline: the findings it accepts are only counted there.
    pub baseline: Option<baseline::Baseline>,
    /// When writing a baseline: every finding's fingerprint, accepted or not.
    pub recorder: Option<baseline::Recorder>,
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
            baseline: None,
            recorder: None,
        }
    }
}

impl Collector {
    /// Takes a finding about the run itself (what a capture received, what
    /// it lost), which the report must show however many findings the log
    /// had: kept beyond the limit.
    pub fn keep(&mut self, finding: Finding) {
        self.take(finding, true);
    }

    fn take(&mut self, finding: Finding, beyond_limit: bool) {
        if let Some(recorder) = &mut self.recorder {
            recorder.add(&finding);
        }
        if let Some(baseline) = &mut self.baseline {
            if baseline.accepts(&finding) {
                return;
            }
        }
        self.counts.add(finding.severity);
        if beyond_limit || self.findings.len() < self.limit {
            self.findings.push(finding);
        } else {
            self.omitted += 1;
        }
    }
}

impl FindingSink for Collector {
    fn push(&mut self, finding: Finding) {
        self.take(finding, false);
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
    /// Which findings fail the gate.
    pub fail_on: FailOn,
    /// The gate's requirements beyond findings.
    pub gate: gate::GateReport,
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
            fail_on: FailOn::default(),
            gate: gate::GateReport::default(),
        }
    }

    pub fn lines(&self) -> u64 {
        self.inputs.iter().map(|input| input.lines).sum()
    }

    pub fn records(&self) -> u64 {
        self.inputs.iter().map(|input| input.records).sum()
    }

    /// Adds a finding made after the check (a gate requirement not met).
    pub fn add_finding(&mut self, finding: Finding) {
        self.counts.add(finding.severity);
        self.findings.push(finding);
    }

    /// Whether the CI gate fails: a finding of a severity `fail_on` names.
    pub fn failed(&self) -> bool {
        self.fail_on.fails_counts(self.counts)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn format_names_round_trip() {
        for format in ReportFormat::ALL {
            assert_eq!(ReportFormat::from_name(format.name()), Some(*format));
        }
        assert_eq!(ReportFormat::from_name("xml"), None);
    }

    #[test]
    fn fail_on_thresholds() {
        let warnings = Counts {
            errors: 0,
            warnings: 2,
            infos: 1,
        };
        assert!(!FailOn::Error.fails_counts(warnings));
        assert!(FailOn::Warning.fails_counts(warnings));
        let errors = Counts {
            errors: 1,
            ..Counts::default()
        };
        assert!(FailOn::Error.fails_counts(errors));
        assert!(FailOn::Warning.fails_counts(errors));
        assert!(!FailOn::Never.fails_counts(errors));
        let notes = Counts {
            infos: 3,
            ..Counts::default()
        };
        assert!(!FailOn::Warning.fails_counts(notes));
    }

    #[test]
    fn counts_agree_in_number() {
        assert_eq!(counted(1, "warning", "warnings"), "1 warning");
        assert_eq!(counted(0, "warning", "warnings"), "0 warnings");
        assert_eq!(counted(2, "error", "errors"), "2 errors");
    }
}
