//! GitHub Actions workflow commands: one `::error file=…,line=…::message`
//! annotation per finding, which the Actions runner turns into annotations
//! on the run and, for files in the repository, on the changed lines.
//!
//! Written by hand: a workflow command is one line with a documented
//! escaping of `%`, CR and LF (and, in properties, `:` and `,`); no crate
//! adds anything over these few lines.

use crate::Report;
use logspec_finding::{Finding, Severity};
use std::io::{self, Write};

/// Writes one annotation per finding of `report`, and a warning when the
/// finding limit left some out.
pub fn render(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    render_findings(&report.findings, out)?;
    if report.omitted > 0 {
        writeln!(
            out,
            "::warning title=logspec::{}",
            escape_data(&format!(
                "{} findings were counted but not annotated (finding limit reached)",
                report.omitted
            ))
        )?;
    }
    Ok(())
}

/// Writes one annotation per finding.
pub fn render_findings(findings: &[Finding], out: &mut dyn Write) -> io::Result<()> {
    for finding in findings {
        let command = match finding.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "notice",
        };
        let mut properties = format!("file={}", escape_property(&finding.file));
        if finding.line > 0 {
            properties.push_str(&format!(",line={}", finding.line));
            if let Some(column) = finding.column {
                properties.push_str(&format!(",col={column}"));
            }
        }
        properties.push_str(&format!(
            ",title={}",
            escape_property(&format!("logspec {}", finding.code.as_str()))
        ));
        writeln!(
            out,
            "::{command} {properties}::{}",
            escape_data(&finding.message)
        )?;
    }
    Ok(())
}

/// Escapes a workflow command's message.
fn escape_data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escapes a workflow command's property value.
fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;
    use logspec_finding::Code;
    use std::sync::Arc;

    fn rendered(finding: Finding) -> String {
        let mut out = Vec::new();
        if let Err(error) = render_findings(&[finding], &mut out) {
            panic!("render failed: {error}");
        }
        String::from_utf8_lossy(&out).into_owned()
    }

    #[test]
    fn annotation_carries_location_and_code() {
        let mut finding = Finding::new(
            Code::MissingField,
            &Arc::from("logs/app.log"),
            7,
            "no SCRIPT".to_owned(),
        );
        finding.column = Some(12);
        assert_eq!(
            rendered(finding),
            "::error file=logs/app.log,line=7,col=12,title=logspec missing-field::no SCRIPT\n"
        );
    }

    #[test]
    fn logged_text_cannot_open_another_command() {
        let finding = Finding::new(
            Code::FieldOrder,
            &Arc::from("a,b:c.log"),
            1,
            "value 100%\n::error::forged".to_owned(),
        );
        assert_eq!(
            rendered(finding),
            "::warning file=a%2Cb%3Ac.log,line=1,title=logspec field-order::value 100%25%0A::error::forged\n"
        );
    }

    #[test]
    fn infos_are_notices_and_line_zero_is_left_out() {
        let finding = Finding::new(
            Code::FileSkipped,
            &Arc::from("runtime/token"),
            0,
            "not read".to_owned(),
        );
        assert_eq!(
            rendered(finding),
            "::notice file=runtime/token,title=logspec file-skipped::not read\n"
        );
    }
}
