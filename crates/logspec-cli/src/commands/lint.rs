//! `logspec lint`: validate a spec and report the document's contradictions.

use crate::{spec_arg, CliError, Verdict};
use logspec_finding::{Code, Finding};
use logspec_report::{human, json};
use logspec_spec::LoadError;
use std::io::{self, IsTerminal, Write};
use std::sync::Arc;

#[derive(clap::Args)]
pub struct Args {
    /// Built-in spec name or path to a spec file
    spec: String,
    /// Report format
    #[arg(long, value_enum, default_value_t = LintReport::Human)]
    report: LintReport,
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum LintReport {
    Human,
    Json,
}

pub fn run(args: Args) -> Result<Verdict, CliError> {
    let (origin, findings) = match spec_arg::load(&args.spec) {
        Ok(loaded) => (loaded.origin.clone(), logspec_lint::lint(&loaded)),
        // An invalid spec is lint's finding, not a failure to run.
        Err(CliError::Spec(LoadError::Invalid { origin, problems })) => {
            let file: Arc<str> = Arc::from(origin.as_str());
            let findings = problems
                .into_iter()
                .map(|problem| {
                    let mut finding = Finding::new(
                        Code::SpecInvalid,
                        &file,
                        problem.location.line as u64,
                        problem.message,
                    );
                    finding.column = Some(problem.location.column);
                    finding
                })
                .collect();
            (origin, findings)
        }
        Err(error) => return Err(error),
    };
    let stdout = io::stdout();
    let mut out = io::BufWriter::new(stdout.lock());
    match args.report {
        LintReport::Json => json::render_findings(&origin, &findings, &mut out),
        LintReport::Human => human::render_findings(
            &findings,
            human::HumanOptions {
                color: io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none(),
                ..Default::default()
            },
            &mut out,
        ),
    }
    .and_then(|()| out.flush())
    .map_err(CliError::Output)?;
    let failed = findings
        .iter()
        .any(|finding| finding.severity == logspec_finding::Severity::Error);
    Ok(if failed { Verdict::Fail } else { Verdict::Pass })
}
