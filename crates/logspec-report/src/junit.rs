//! JUnit XML, the test report every CI system shows in its test tab:
//! one test case per documented event variant the logs exercised (or the
//! gate required), failed with the findings that fail the gate, so the tab
//! lists which events broke. An undocumented event is a failed case of its
//! own; findings that concern no event (an unreadable line, an empty input)
//! go to one test case per input file.
//!
//! Written with quick-xml, which escapes text and attributes; characters
//! XML 1.0 cannot hold at all (most control characters, which logs can
//! carry) are replaced first, as no escaping can represent them.

use crate::Report;
use logspec_finding::{Code, Finding};
use quick_xml::events::{BytesDecl, BytesText, Event};
use quick_xml::Writer;
use std::collections::BTreeMap;
use std::io::{self, Write};

/// One JUnit test case: its name and the findings about it.
struct Case<'a> {
    name: String,
    findings: Vec<&'a Finding>,
}

/// Writes `report` as JUnit XML.
pub fn render(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    let fails = |finding: &Finding| report.fail_on.fails(finding.severity);
    // Cases keyed by (event, variant); `None` events are per-file cases.
    let mut events: BTreeMap<(String, Option<String>), Vec<&Finding>> = BTreeMap::new();
    for entry in &report.coverage.seen {
        events.insert(
            (
                entry.event.to_string(),
                entry.variant.as_deref().map(str::to_owned),
            ),
            Vec::new(),
        );
    }
    let mut files: Vec<Case> = report
        .inputs
        .iter()
        .map(|input| Case {
            name: format!("input {}", input.file),
            findings: Vec::new(),
        })
        .collect();
    for finding in &report.findings {
        match &finding.event {
            Some(event) => events
                .entry((event.clone(), finding.variant.clone()))
                .or_default()
                .push(finding),
            None => {
                let name = format!("input {}", finding.file);
                match files.iter_mut().find(|case| case.name == name) {
                    Some(case) => case.findings.push(finding),
                    None => files.push(Case {
                        name,
                        findings: vec![finding],
                    }),
                }
            }
        }
    }
    let cases: Vec<Case> = events
        .into_iter()
        .map(|((event, variant), findings)| {
            let undocumented = findings.iter().any(|finding| {
                matches!(
                    finding.code,
                    Code::UnknownEvent | Code::UnknownEventTolerated
                )
            });
            Case {
                name: match (variant, undocumented) {
                    (_, true) => format!("{event} (undocumented)"),
                    (Some(variant), false) => format!("{event} ({variant})"),
                    (None, false) => event,
                },
                findings,
            }
        })
        .chain(files)
        .collect();
    write_suite(
        &format!("logspec check {}", report.spec),
        &report.spec,
        &cases,
        &fails,
        out,
    )
}

/// Writes findings that come without a check run (lint's): one test case
/// per finding code raised, or one passing case when there is none.
pub fn render_findings(
    origin: &str,
    findings: &[Finding],
    fail_on: crate::FailOn,
    out: &mut dyn Write,
) -> io::Result<()> {
    let mut by_code: BTreeMap<&str, Vec<&Finding>> = BTreeMap::new();
    for finding in findings {
        by_code
            .entry(finding.code.as_str())
            .or_default()
            .push(finding);
    }
    let mut cases: Vec<Case> = by_code
        .into_iter()
        .map(|(code, findings)| Case {
            name: code.to_owned(),
            findings,
        })
        .collect();
    if cases.is_empty() {
        cases.push(Case {
            name: "consistent".to_owned(),
            findings: Vec::new(),
        });
    }
    let fails = |finding: &Finding| fail_on.fails(finding.severity);
    write_suite(
        &format!("logspec lint {origin}"),
        origin,
        &cases,
        &fails,
        out,
    )
}

fn write_suite(
    suite: &str,
    class: &str,
    cases: &[Case],
    fails: &dyn Fn(&Finding) -> bool,
    out: &mut dyn Write,
) -> io::Result<()> {
    let failures = cases
        .iter()
        .filter(|case| case.findings.iter().any(|finding| fails(finding)))
        .count()
        .to_string();
    let tests = cases.len().to_string();
    let mut writer = Writer::new_with_indent(out, b' ', 2);
    writer.write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))?;
    writer
        .create_element("testsuites")
        .with_attributes([
            ("name", "logspec"),
            ("tests", tests.as_str()),
            ("failures", failures.as_str()),
        ])
        .write_inner_content(|writer| {
            writer
                .create_element("testsuite")
                .with_attributes([
                    ("name", xml_safe(suite).as_str()),
                    ("tests", tests.as_str()),
                    ("failures", failures.as_str()),
                    ("errors", "0"),
                    ("skipped", "0"),
                ])
                .write_inner_content(|writer| {
                    for case in cases {
                        write_case(writer, class, case, fails)?;
                    }
                    Ok(())
                })?;
            Ok(())
        })?;
    writer.get_mut().write_all(b"\n")
}

fn write_case<W: Write>(
    writer: &mut Writer<W>,
    class: &str,
    case: &Case,
    fails: &dyn Fn(&Finding) -> bool,
) -> io::Result<()> {
    let element = writer.create_element("testcase").with_attributes([
        ("classname", xml_safe(class).as_str()),
        ("name", xml_safe(&case.name).as_str()),
    ]);
    if case.findings.is_empty() {
        element.write_empty()?;
        return Ok(());
    }
    let (failing, other): (Vec<&Finding>, Vec<&Finding>) =
        case.findings.iter().partition(|finding| fails(finding));
    element.write_inner_content(|writer| {
        if let Some(first) = failing.first() {
            let mut codes: Vec<&str> = failing.iter().map(|f| f.code.as_str()).collect();
            codes.dedup();
            let message = format!(
                "{}: {}",
                crate::counted(failing.len() as u64, "finding", "findings"),
                codes.join(", ")
            );
            writer
                .create_element("failure")
                .with_attributes([
                    ("message", xml_safe(&message).as_str()),
                    ("type", first.code.as_str()),
                ])
                .write_text_content(BytesText::new(&xml_safe(&listing(&failing))))?;
        }
        if !other.is_empty() {
            writer
                .create_element("system-out")
                .write_text_content(BytesText::new(&xml_safe(&listing(&other))))?;
        }
        Ok(())
    })?;
    Ok(())
}

/// One line per finding: location, severity, code, message.
fn listing(findings: &[&Finding]) -> String {
    let mut text = String::new();
    for finding in findings {
        let column = finding
            .column
            .map(|column| format!(":{column}"))
            .unwrap_or_default();
        text.push_str(&format!(
            "{}:{}{column}: {}[{}] {}\n",
            finding.file,
            finding.line,
            finding.severity.as_str(),
            finding.code.as_str(),
            finding.message
        ));
    }
    text
}

/// `text` with the characters XML 1.0 cannot hold (control characters
/// other than tab, newline and carriage return; U+FFFE, U+FFFF) replaced
/// by U+FFFD.
fn xml_safe(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '\t' | '\n' | '\r' => c,
            c if (c as u32) < 0x20 => '\u{fffd}',
            '\u{fffe}' | '\u{ffff}' => '\u{fffd}',
            c => c,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn characters_xml_cannot_hold_are_replaced() {
        assert_eq!(xml_safe("a\u{1b}[31m\tb\u{0}"), "a\u{fffd}[31m\tb\u{fffd}");
    }
}
