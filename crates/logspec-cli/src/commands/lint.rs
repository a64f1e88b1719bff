//! `logspec lint`: validate a spec and report the document's contradictions.

use crate::options::{FailOnOption, ReportOptions, SpecOption};
use crate::{spec_arg, CliError, Verdict};
use logspec_finding::{Code, Finding};
use logspec_report::{FailOn, ReportFormat};
use logspec_spec::LoadError;
use std::sync::Arc;

#[derive(clap::Args)]
#[command(mut_arg("spec", |arg| arg
    .required(false)
    .required_unless_present("spec_path")
    .conflicts_with("spec_path")))]
pub struct Args {
    #[command(flatten)]
    spec: SpecOption,
    /// The spec, as with --spec (the older form)
    #[arg(value_name = "NAME|PATH")]
    spec_path: Option<String>,
    #[command(flatten)]
    reports: ReportOptions,
    #[command(flatten)]
    fail_on: FailOnOption,
}

/// The report formats `lint` writes.
const REPORTS: &[ReportFormat] = ReportFormat::ALL;

pub fn run(args: Args) -> Result<Verdict, CliError> {
    args.reports.validate("lint", REPORTS)?;
    let name = match &args.spec_path {
        Some(path) => path.as_str(),
        None => args.spec.name()?,
    };
    let (origin, findings) = match spec_arg::load(name) {
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
    let fail_on = FailOn::from(args.fail_on.fail_on);
    args.reports.write_all(|format, human, out| {
        logspec_report::render_findings(format, &origin, &findings, fail_on, human, out)
    })?;
    let failed = findings
        .iter()
        .any(|finding| fail_on.fails(finding.severity));
    Ok(if failed { Verdict::Fail } else { Verdict::Pass })
}
