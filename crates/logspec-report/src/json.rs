//! The JSON report: one object, the shape CI scripts and `logspec gen
//! --expect` rely on. Keys are only ever added, never renamed.

use crate::Report;
use logspec_checker::stream::Alignment;
use logspec_checker::{CoverageReport, InputSummary};
use logspec_finding::Finding;
use serde::Serialize;
use std::io::{self, Write};

#[derive(Serialize)]
struct JsonReport<'a> {
    spec: &'a str,
    summary: Summary,
    inputs: &'a [InputSummary],
    alignment: &'a Alignment,
    findings: &'a [Finding],
    coverage: &'a CoverageReport,
    gate: Gate<'a>,
}

#[derive(Serialize)]
struct Gate<'a> {
    fail_on: &'static str,
    passed: bool,
    #[serde(flatten)]
    requirements: &'a crate::gate::GateReport,
}

#[derive(Serialize)]
struct Summary {
    lines: u64,
    records: u64,
    errors: u64,
    warnings: u64,
    infos: u64,
    /// Findings counted in the totals but left out of `findings`.
    findings_omitted: u64,
    /// Records whose priority the input format does not carry.
    severity_unchecked: u64,
    /// Records whose syslog tag the input format does not carry.
    emitter_unchecked: u64,
}

/// Writes `report` as pretty-printed JSON followed by a newline.
pub fn render(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    let json = JsonReport {
        spec: &report.spec,
        summary: Summary {
            lines: report.lines(),
            records: report.records(),
            errors: report.counts.errors,
            warnings: report.counts.warnings,
            infos: report.counts.infos,
            findings_omitted: report.omitted,
            severity_unchecked: report.inputs.iter().map(|i| i.severity_unchecked).sum(),
            emitter_unchecked: report.inputs.iter().map(|i| i.emitter_unchecked).sum(),
        },
        inputs: &report.inputs,
        alignment: &report.alignment,
        findings: &report.findings,
        coverage: &report.coverage,
        gate: Gate {
            fail_on: report.fail_on.name(),
            passed: !report.failed(),
            requirements: &report.gate,
        },
    };
    crate::write_json(&json, out)
}

#[derive(Serialize)]
struct JsonFindings<'a> {
    spec: &'a str,
    summary: crate::Counts,
    findings: &'a [Finding],
}

/// Writes findings that come without a check run (lint's) as JSON.
pub fn render_findings(spec: &str, findings: &[Finding], out: &mut dyn Write) -> io::Result<()> {
    let json = JsonFindings {
        spec,
        summary: crate::Counts::of(findings),
        findings,
    };
    crate::write_json(&json, out)
}
