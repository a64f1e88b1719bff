//! The report for a person at a terminal: findings grouped by code and
//! counted, each with its line quoted and the offending part underlined,
//! then what was read and what was covered. Colour (anstyle's styles)
//! only when asked for: the CLI asks when anstream lets the stream it
//! writes to take colour (`--color`, NO_COLOR, CLICOLOR, CLICOLOR_FORCE,
//! and whether it is a terminal).

use crate::{counted, Report};
use anstyle::{AnsiColor, Style};
use logspec_checker::stream::Alignment;
use logspec_finding::{Code, Finding, Severity};
use std::collections::BTreeMap;
use std::io::{self, Write};

#[derive(Debug, Clone, Copy)]
pub struct HumanOptions {
    pub color: bool,
    /// Occurrences shown per finding code before the rest are only counted.
    pub per_code: usize,
}

impl Default for HumanOptions {
    fn default() -> Self {
        HumanOptions {
            color: false,
            per_code: 20,
        }
    }
}

struct Paint {
    color: bool,
}

const ERROR: Style = AnsiColor::Red.on_default().bold();
const WARNING: Style = AnsiColor::Yellow.on_default().bold();
const INFO: Style = AnsiColor::Cyan.on_default().bold();
const PASS: Style = AnsiColor::Green.on_default().bold();
const DIM: Style = Style::new().dimmed();
const BOLD: Style = Style::new().bold();

impl Paint {
    fn wrap(&self, style: Style, text: &str) -> String {
        if self.color {
            format!("{style}{text}{style:#}")
        } else {
            text.to_owned()
        }
    }

    fn severity(&self, severity: Severity, text: &str) -> String {
        let style = match severity {
            Severity::Error => ERROR,
            Severity::Warning => WARNING,
            Severity::Info => INFO,
        };
        self.wrap(style, text)
    }

    fn dim(&self, text: &str) -> String {
        self.wrap(DIM, text)
    }

    fn bold(&self, text: &str) -> String {
        self.wrap(BOLD, text)
    }
}

/// Writes `report` for a person.
pub fn render(report: &Report, options: HumanOptions, out: &mut dyn Write) -> io::Result<()> {
    let paint = Paint {
        color: options.color,
    };
    render_groups(&report.findings, options, &paint, out)?;
    if report.omitted > 0 {
        writeln!(
            out,
            "{}",
            paint.dim(&format!(
                "{} counted but not kept (finding limit reached)",
                counted(
                    report.omitted,
                    "further finding was",
                    "further findings were"
                )
            ))
        )?;
    }
    let window_sensitive = report.findings.iter().any(|finding| {
        finding.severity == Severity::Error
            && matches!(
                finding.code,
                Code::Incomplete | Code::Unpaired | Code::SequenceViolation
            )
    });
    if window_sensitive {
        writeln!(
            out,
            "{}",
            paint.dim(
                "hint: if these inputs are windows of longer streams (a rotated file, a time \
                 range), --partial reports lifecycles cut at the edges as warnings"
            )
        )?;
    }
    render_inputs(report, &paint, out)?;
    render_alignment(report, &paint, out)?;
    render_coverage(report, &paint, out)?;
    render_gate(report, &paint, out)?;
    render_verdict(report, &paint, out)
}

/// Writes one finding as it is found (the live modes): its code, where,
/// and the line quoted.
pub fn render_one(finding: &Finding, color: bool, out: &mut dyn Write) -> io::Result<()> {
    let paint = Paint { color };
    writeln!(
        out,
        "{}",
        paint.severity(
            finding.severity,
            &format!("{}[{}]", finding.severity.as_str(), finding.code.as_str())
        )
    )?;
    render_finding(finding, &paint, out)
}

/// Writes findings that come without a check run (lint's), grouped the
/// same way, followed by their counts.
pub fn render_findings(
    findings: &[Finding],
    options: HumanOptions,
    out: &mut dyn Write,
) -> io::Result<()> {
    let paint = Paint {
        color: options.color,
    };
    render_groups(findings, options, &paint, out)?;
    let counts = crate::Counts::of(findings);
    writeln!(
        out,
        "{}, {}, {}",
        counted(counts.errors, "error", "errors"),
        counted(counts.warnings, "warning", "warnings"),
        counted(counts.infos, "note", "notes")
    )
}

fn render_groups(
    findings: &[Finding],
    options: HumanOptions,
    paint: &Paint,
    out: &mut dyn Write,
) -> io::Result<()> {
    let mut groups: BTreeMap<(Severity, Code), Vec<&Finding>> = BTreeMap::new();
    for finding in findings {
        groups
            .entry((finding.severity, finding.code))
            .or_default()
            .push(finding);
    }
    for ((severity, code), findings) in &groups {
        writeln!(
            out,
            "{} {}",
            paint.severity(
                *severity,
                &format!("{}[{}]", severity.as_str(), code.as_str())
            ),
            paint.bold(&format!(
                "{} × {}",
                findings.len(),
                code.summary().trim_end_matches('.')
            ))
        )?;
        for finding in findings.iter().take(options.per_code) {
            render_finding(finding, paint, out)?;
        }
        if findings.len() > options.per_code {
            writeln!(
                out,
                "  {}",
                paint.dim(&format!(
                    "… and {} more {} {} (see --report json)",
                    findings.len() - options.per_code,
                    code.as_str(),
                    if findings.len() - options.per_code == 1 {
                        "finding"
                    } else {
                        "findings"
                    }
                ))
            )?;
        }
        writeln!(out)?;
    }
    Ok(())
}

fn render_finding(finding: &Finding, paint: &Paint, out: &mut dyn Write) -> io::Result<()> {
    let column = finding
        .column
        .map(|column| format!(":{column}"))
        .unwrap_or_default();
    // Messages quote values from the log: shown as safely as the excerpt.
    writeln!(
        out,
        "  {} {}{}: {}",
        paint.dim("-->"),
        finding.file,
        paint.dim(&format!(":{}{column}", finding.line)),
        display_line(&finding.message, None).0
    )?;
    if let Some(excerpt) = &finding.excerpt {
        let (text, underline) = display_line(&excerpt.text, excerpt.span.clone());
        let gutter = finding.line.to_string();
        let pad = " ".repeat(gutter.len());
        writeln!(out, "  {} {} {}", paint.dim(&gutter), paint.dim("|"), text)?;
        if let Some((start, width)) = underline {
            writeln!(
                out,
                "  {pad} {} {}{}",
                paint.dim("|"),
                " ".repeat(start),
                paint.severity(finding.severity, &"^".repeat(width.max(1)))
            )?;
        }
    }
    for related in &finding.related {
        let column = related
            .column
            .map(|column| format!(":{column}"))
            .unwrap_or_default();
        writeln!(
            out,
            "      {} {}:{}{column}: {}",
            paint.dim("also"),
            related.file,
            related.line,
            related.note
        )?;
    }
    Ok(())
}

/// The line made safe for a terminal (control characters shown as
/// symbols, so logged escape sequences cannot drive it) and the underline's
/// start column and width in displayed characters.
fn display_line(
    text: &str,
    span: Option<std::ops::Range<usize>>,
) -> (String, Option<(usize, usize)>) {
    let mut shown = String::with_capacity(text.len());
    let (mut start, mut end) = (None, None);
    for (count, (offset, character)) in text.char_indices().enumerate() {
        if let Some(span) = &span {
            if offset >= span.start && start.is_none() {
                start = Some(count);
            }
            if offset >= span.end && end.is_none() {
                end = Some(count);
            }
        }
        shown.push(match character {
            '\t' => ' ',
            c if (c as u32) < 0x20 => char::from_u32(0x2400 + c as u32).unwrap_or('?'),
            '\u{7f}' => '\u{2421}',
            c if c.is_control() => '\u{fffd}',
            c => c,
        });
    }
    let total = text.chars().count();
    let underline = span.map(|_| {
        let start = start.unwrap_or(total);
        let end = end.unwrap_or(total);
        (start, end.saturating_sub(start))
    });
    (shown, underline)
}

fn render_inputs(report: &Report, paint: &Paint, out: &mut dyn Write) -> io::Result<()> {
    for input in &report.inputs {
        let format = match (input.format, input.detected) {
            (Some(format), true) => format!("{} (detected)", format.name()),
            (Some(format), false) => format.name().to_owned(),
            (None, _) => "no format recognised".to_owned(),
        };
        let format = match &input.kind {
            Some(kind) => format!("{kind} records, {format}"),
            None => format,
        };
        writeln!(
            out,
            "{} {}: {format}, {}, {}",
            paint.dim("read"),
            input.file,
            counted(input.lines, "line", "lines"),
            counted(input.records, "record", "records")
        )?;
        if input.severity_unchecked > 0 {
            writeln!(
                out,
                "     {}",
                paint.dim(&format!(
                    "severity not checked on {}: the format carries no priority",
                    counted(input.severity_unchecked, "record", "records")
                ))
            )?;
        }
        if input.emitter_unchecked > 0 {
            writeln!(
                out,
                "     {}",
                paint.dim(&format!(
                    "emitter not checked on {}: the format carries no syslog tag",
                    counted(input.emitter_unchecked, "record", "records")
                ))
            )?;
        }
    }
    Ok(())
}

fn render_alignment(report: &Report, paint: &Paint, out: &mut dyn Write) -> io::Result<()> {
    let text = match &report.alignment {
        Alignment::Single => return Ok(()),
        Alignment::MergedByTimestamp => {
            "inputs merged by timestamp for the stream rules".to_owned()
        }
        Alignment::Sequential(reason) => {
            format!("inputs read one after another for the stream rules: {reason}")
        }
    };
    writeln!(out, "{} {text}", paint.dim("streams"))
}

fn render_coverage(report: &Report, paint: &Paint, out: &mut dyn Write) -> io::Result<()> {
    let coverage = &report.coverage;
    writeln!(
        out,
        "{} {} of {} documented event variants seen",
        paint.dim("coverage"),
        coverage.seen.len(),
        coverage.documented
    )?;
    // A long list would bury the findings; JSON always has it.
    if !coverage.not_seen.is_empty() && coverage.not_seen.len() <= 12 {
        let names: Vec<String> = coverage
            .not_seen
            .iter()
            .map(|entry| match &entry.variant {
                Some(variant) => format!("{}/{variant}", entry.event),
                None => entry.event.to_string(),
            })
            .collect();
        writeln!(
            out,
            "     {}",
            paint.dim(&format!("not seen: {}", names.join(", ")))
        )?;
    }
    if !coverage.sections.is_empty() {
        let exercised: Vec<_> = coverage
            .sections
            .iter()
            .filter(|section| section.seen > 0)
            .collect();
        writeln!(
            out,
            "{} {} of {} document sections exercised",
            paint.dim("sections"),
            exercised.len(),
            coverage.sections.len()
        )?;
        // Only the sections something reached: the rest is every other one.
        for section in exercised.iter().take(SECTIONS_SHOWN) {
            writeln!(
                out,
                "     {}: {} of {} entries exercised",
                section.section, section.seen, section.documented
            )?;
        }
        if exercised.len() > SECTIONS_SHOWN {
            writeln!(
                out,
                "     {}",
                paint.dim(&format!(
                    "… and {} more (see --report json)",
                    exercised.len() - SECTIONS_SHOWN
                ))
            )?;
        }
    }
    Ok(())
}

fn render_gate(report: &Report, paint: &Paint, out: &mut dyn Write) -> io::Result<()> {
    let gate = &report.gate;
    if let Some(required) = &gate.required_coverage {
        writeln!(
            out,
            "{} {:.1}% of documented event variants seen, {}% required{}",
            paint.dim("required"),
            required.seen_percent,
            required.percent,
            if required.met { "" } else { ": not met" }
        )?;
    }
    if let Some(required) = &gate.required_events {
        if required.not_seen.is_empty() {
            writeln!(
                out,
                "{} all {} seen",
                paint.dim("required"),
                counted(
                    required.events.len() as u64,
                    "required event",
                    "required events"
                )
            )?;
        } else {
            writeln!(
                out,
                "{} required events never seen: {}",
                paint.dim("required"),
                required.not_seen.join(", ")
            )?;
        }
    }
    if let Some(baseline) = &gate.baseline {
        writeln!(
            out,
            "{} {}: {} accepted",
            paint.dim("baseline"),
            baseline.file,
            counted(baseline.matched, "finding", "findings")
        )?;
        if !baseline.stale.is_empty() {
            writeln!(
                out,
                "         {} no longer {}: remove {} from the baseline (or write it anew)",
                counted(baseline.stale.len() as u64, "entry", "entries"),
                if baseline.stale.len() == 1 {
                    "occurs"
                } else {
                    "occur"
                },
                if baseline.stale.len() == 1 {
                    "it"
                } else {
                    "them"
                },
            )?;
            for entry in &baseline.stale {
                let mut what = entry.code.clone();
                for part in [&entry.event, &entry.variant, &entry.field, &entry.rule]
                    .into_iter()
                    .flatten()
                {
                    what.push(' ');
                    what.push_str(part);
                }
                writeln!(out, "         {}", paint.dim(&what))?;
            }
        }
    }
    Ok(())
}

/// Exercised sections listed in the human report.
const SECTIONS_SHOWN: usize = 20;

fn render_verdict(report: &Report, paint: &Paint, out: &mut dyn Write) -> io::Result<()> {
    let counts = report.counts;
    let verdict = if report.failed() {
        paint.severity(Severity::Error, "FAIL")
    } else {
        paint.wrap(PASS, "PASS")
    };
    writeln!(
        out,
        "{verdict} {}: {}, {}, {}, {}{}",
        report.spec,
        counted(report.lines(), "line", "lines"),
        counted(report.records(), "record", "records"),
        counted(counts.errors, "error", "errors"),
        counted(counts.warnings, "warning", "warnings"),
        if counts.infos > 0 {
            format!(", {}", counted(counts.infos, "note", "notes"))
        } else {
            String::new()
        }
    )
}

#[cfg(test)]
mod tests {
    use super::{display_line, Paint};
    use logspec_finding::Severity;

    #[test]
    fn styles_only_in_colour() {
        let plain = Paint { color: false };
        assert_eq!(plain.severity(Severity::Warning, "warning"), "warning");
        assert_eq!(plain.dim("-->"), "-->");
        let colour = Paint { color: true };
        assert_eq!(
            colour.severity(Severity::Warning, "warning"),
            "\u{1b}[1m\u{1b}[33mwarning\u{1b}[0m"
        );
        assert_eq!(colour.dim("-->"), "\u{1b}[2m-->\u{1b}[0m");
    }

    #[test]
    fn control_characters_are_shown_not_sent() {
        let (shown, _) = display_line("a\u{1b}[31mb\tc\u{0}", None);
        assert_eq!(shown, "a\u{241b}[31mb c\u{2400}");
    }

    #[test]
    fn underline_counts_characters_not_bytes() {
        let (_, underline) = display_line("é KEY=value", Some(3..12));
        assert_eq!(underline, Some((2, 9)));
    }

    #[test]
    fn empty_span_at_end_still_points() {
        let (_, underline) = display_line("abc", Some(3..3));
        assert_eq!(underline, Some((3, 0)));
    }
}
