//! SARIF 2.1.0, the static-analysis results format GitHub code scanning
//! (and other dashboards) accept: one result per finding, located at the
//! log's file, line and column, and one rule per finding code carrying the
//! code's summary and help text from the codes table.
//!
//! Built with serde-sarif's types (generated from the SARIF schema), so the
//! output has the schema's shape by construction; a test validates it
//! against the schema itself.

use crate::Report;
use logspec_finding::{Code, Finding, Severity};
use serde_sarif::sarif::{
    ArtifactLocation, Location, Message, MultiformatMessageString, PhysicalLocation, Region,
    ReportingConfiguration, ReportingDescriptor, Result as SarifResult, ResultLevel, Run, Sarif,
    Tool, ToolComponent,
};
use std::io::{self, Write};

/// The SARIF schema the output follows.
const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";

/// Writes `report` as a SARIF log with one run.
pub fn render(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    render_findings(&report.findings, out)
}

/// Writes findings (a check's or lint's) as a SARIF log with one run.
pub fn render_findings(findings: &[Finding], out: &mut dyn Write) -> io::Result<()> {
    let driver = ToolComponent::builder()
        .name("logspec")
        .version(env!("CARGO_PKG_VERSION"))
        .information_uri(env!("CARGO_PKG_REPOSITORY"))
        .rules(Code::ALL.iter().map(|code| rule(*code)).collect::<Vec<_>>())
        .build();
    let run = Run::builder()
        .tool(Tool::builder().driver(driver).build())
        .results(findings.iter().map(result).collect::<Vec<_>>())
        .build();
    let log = Sarif::builder()
        .version(serde_json::json!("2.1.0"))
        .schema(SCHEMA)
        .runs(vec![run])
        .build();
    crate::write_json(&log, out)
}

fn rule(code: Code) -> ReportingDescriptor {
    ReportingDescriptor::builder()
        .id(code.as_str())
        .name(rule_name(code))
        .short_description(text(code.summary()))
        .full_description(text(code.summary()))
        .help(text(code.help()))
        .default_configuration(
            ReportingConfiguration::builder()
                .level(serde_json::json!(level(code.severity())))
                .build(),
        )
        .build()
}

/// The rule's name in the PascalCase SARIF viewers expect (`ParseError`).
fn rule_name(code: Code) -> String {
    code.as_str()
        .split('-')
        .map(|word| {
            let mut chars = word.chars();
            match chars.next() {
                Some(first) => first.to_ascii_uppercase().to_string() + chars.as_str(),
                None => String::new(),
            }
        })
        .collect()
}

fn text(text: &str) -> MultiformatMessageString {
    MultiformatMessageString::builder().text(text).build()
}

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

fn result_level(severity: Severity) -> ResultLevel {
    match severity {
        Severity::Error => ResultLevel::Error,
        Severity::Warning => ResultLevel::Warning,
        Severity::Info => ResultLevel::Note,
    }
}

fn result(finding: &Finding) -> SarifResult {
    let rule_index = Code::ALL
        .iter()
        .position(|code| *code == finding.code)
        .unwrap_or_default();
    let artifact = ArtifactLocation::builder().uri(uri(&finding.file)).build();
    // Line 0 is "the input as a whole" (an empty input, a skipped file):
    // no region rather than an invented one.
    let physical = if finding.line > 0 {
        let region = match finding.column {
            Some(column) => Region::builder()
                .start_line(finding.line as i64)
                .start_column(column as i64)
                .build(),
            None => Region::builder().start_line(finding.line as i64).build(),
        };
        PhysicalLocation::builder()
            .artifact_location(artifact)
            .region(region)
            .build()
    } else {
        PhysicalLocation::builder()
            .artifact_location(artifact)
            .build()
    };
    SarifResult::builder()
        .rule_id(finding.code.as_str())
        .rule_index(rule_index as i64)
        .level(result_level(finding.severity))
        .message(Message::builder().text(&finding.message).build())
        .locations(vec![Location::builder()
            .physical_location(physical)
            .build()])
        .build()
}

/// A URI reference for a file name: relative names stay relative (code
/// scanning resolves them against the repository), absolute ones become
/// `file://` URIs; characters a URI cannot hold are percent-encoded.
fn uri(file: &str) -> String {
    let mut encoded = String::with_capacity(file.len());
    for byte in file.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'/' => {
                encoded.push(byte as char)
            }
            other => encoded.push_str(&format!("%{other:02X}")),
        }
    }
    if file.starts_with('/') {
        format!("file://{encoded}")
    } else {
        encoded
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uris_keep_relative_paths_and_encode_the_rest() {
        assert_eq!(uri("logs/app.log"), "logs/app.log");
        assert_eq!(uri("/tmp/my logs/a.log"), "file:///tmp/my%20logs/a.log");
        assert_eq!(uri("<stdin>"), "%3Cstdin%3E");
    }

    #[test]
    fn rule_names_are_pascal_case() {
        assert_eq!(rule_name(Code::ParseError), "ParseError");
        assert_eq!(
            rule_name(Code::UnknownEventTolerated),
            "UnknownEventTolerated"
        );
    }
}
