//! `logspec check`: read inputs, check every record, render one report.
//!
//! An input may be a directory (a producer's runtime folder): every file
//! below it that one of the spec's record kinds names by path is checked
//! as that kind, in path order; the others are listed as skipped, never
//! read (such a folder can hold secrets, like a token file).

use crate::options::{FailOnOption, GateOptions, ReportOptions, SpecOption};
use crate::{spec_arg, CliError, Verdict};
use clap::ValueEnum;
use logspec_checker::rules::hosts::HostNames;
use logspec_checker::rules::EngineOptions;
use logspec_checker::stream::Input;
use logspec_checker::{CheckOptions, Checker, FindingSink, Plan, DEFAULT_MAX_LINE_BYTES};
use logspec_finding::{Code, Finding, Severity};
use logspec_reader::Format;
use logspec_report::baseline::{self, Baseline};
use logspec_report::gate::{self, BaselineUse};
use logspec_report::{Collector, Report, ReportFormat, DEFAULT_FINDING_LIMIT};
use std::fs::File;
use std::io::{self, BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::sync::Arc;

#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    spec: SpecOption,
    /// Input format; `auto` detects it per input among those the spec declares
    #[arg(long, default_value = "auto")]
    format: FormatArg,
    #[command(flatten)]
    reports: ReportOptions,
    #[command(flatten)]
    fail_on: FailOnOption,
    #[command(flatten)]
    gate: GateOptions,
    /// Lines longer than this many bytes are reported, not checked
    #[arg(long, default_value_t = DEFAULT_MAX_LINE_BYTES)]
    max_line_bytes: usize,
    /// Findings kept for the report; further ones are only counted
    #[arg(long, default_value_t = DEFAULT_FINDING_LIMIT)]
    max_findings: usize,
    /// The inputs are windows of longer streams: lifecycles left open at the
    /// end are warnings (`incomplete`), and keys may join a lifecycle midway
    #[arg(long)]
    partial: bool,
    /// Per-record checks only: skip the spec's stream rules (for samples
    /// whose records are unrelated, such as `logspec gen` output)
    #[arg(long)]
    no_stream_rules: bool,
    /// Open correlation keys kept per stream rule before the oldest are dropped
    #[arg(long, default_value_t = EngineOptions::default().max_open_keys)]
    max_open_keys: usize,
    /// The host an input's records come from when its lines name none
    /// (bare payloads, journald without _HOSTNAME): FILE=HOST, repeatable
    #[arg(long = "host", value_name = "FILE=HOST")]
    hosts: Vec<String>,
    /// A stream-rule parameter the document leaves to configuration (a
    /// window's length): NAME=VALUE, repeatable; a rule whose parameter is
    /// not set is reported unchecked
    #[arg(long = "param", value_name = "NAME=VALUE")]
    params: Vec<String>,
    /// Two names of one host, for rules that correlate by host (a
    /// dispatcher that addresses an agent by IP): NAME=ADDRESS, repeatable.
    /// Names the mapping covers are compared strictly
    #[arg(long = "host-alias", value_name = "NAME=ADDRESS")]
    host_aliases: Vec<String>,
    /// A hosts file (`ADDRESS NAME [ALIAS]...` per line, as /etc/hosts):
    /// each line's names and address are one host, as with --host-alias
    #[arg(long = "hosts-file", value_name = "FILE")]
    hosts_file: Option<PathBuf>,
    /// Log files to check; `-` reads standard input; a directory checks
    /// every file in it that a record kind of the spec names by path
    #[arg(required = true)]
    files: Vec<String>,
}

#[derive(Clone, Copy)]
enum FormatArg {
    Auto,
    Fixed(Format),
}

impl ValueEnum for FormatArg {
    fn value_variants<'a>() -> &'a [Self] {
        &[
            FormatArg::Auto,
            FormatArg::Fixed(Format::Rfc3164),
            FormatArg::Fixed(Format::Rfc5424),
            FormatArg::Fixed(Format::Journald),
            FormatArg::Fixed(Format::Bare),
            FormatArg::Fixed(Format::JsonLines),
            FormatArg::Fixed(Format::JsonDocument),
            FormatArg::Fixed(Format::ExtendedJson),
            FormatArg::Fixed(Format::Logback),
            FormatArg::Fixed(Format::PipeSeparated),
            FormatArg::Fixed(Format::RceReadable),
            FormatArg::Fixed(Format::Sse),
        ]
    }

    fn to_possible_value(&self) -> Option<clap::builder::PossibleValue> {
        Some(clap::builder::PossibleValue::new(match self {
            FormatArg::Auto => "auto",
            FormatArg::Fixed(format) => format.name(),
        }))
    }
}

/// The report formats `check` writes.
const REPORTS: &[ReportFormat] = ReportFormat::ALL;

pub fn run(args: Args) -> Result<Verdict, CliError> {
    args.reports.validate("check", REPORTS)?;
    let loaded = spec_arg::load(args.spec.name()?)?;
    let plan = Plan::new(&loaded.spec);
    let format = match args.format {
        FormatArg::Auto => None,
        FormatArg::Fixed(format) if plan.formats.contains(&format) => Some(format),
        FormatArg::Fixed(format) => {
            return Err(CliError::Usage(format!(
                "spec {} does not declare the {} format (it declares {})",
                plan.producer,
                format.name(),
                plan.formats
                    .iter()
                    .map(|format| format.name())
                    .collect::<Vec<_>>()
                    .join(", ")
            )))
        }
    };
    if args.files.iter().filter(|file| *file == "-").count() > 1 {
        return Err(CliError::Usage(
            "standard input (`-`) can be read only once".to_owned(),
        ));
    }
    let params = rule_params(&plan, &args.params)?;
    let host_names = host_names(&args.host_aliases, args.hosts_file.as_deref())?;
    for event in &args.gate.require_events {
        if loaded.spec.event(event).is_none() {
            return Err(CliError::Usage(format!(
                "--require-events names {event:?}, which {} does not document",
                plan.producer
            )));
        }
    }
    let mut collector = Collector::new(args.max_findings);
    if let Some(path) = &args.gate.baseline {
        let text = std::fs::read_to_string(path).map_err(|source| CliError::Input {
            path: path.clone(),
            source,
        })?;
        collector.baseline = Some(
            Baseline::parse(&text, &plan.producer)
                .map_err(|error| CliError::Usage(format!("{path}: {error}")))?,
        );
    }
    if args.gate.write_baseline.is_some() {
        collector.recorder = Some(baseline::Recorder::default());
    }
    let files = expand(&plan, &args.files, &mut collector)?;
    let mut hosts: Vec<(String, String)> = Vec::new();
    for assignment in &args.hosts {
        let Some((file, host)) = assignment.split_once('=') else {
            return Err(CliError::Usage(format!(
                "--host takes FILE=HOST, not {assignment:?}"
            )));
        };
        if !files.iter().any(|input| input == file) {
            return Err(CliError::Usage(format!(
                "--host names {file:?}, which is not one of the inputs"
            )));
        }
        hosts.push((file.to_owned(), host.to_owned()));
    }
    // Open everything first: an unreadable input fails the run before any
    // report is written, rather than after a partial one.
    let inputs = files
        .iter()
        .map(|path| {
            open(path).map(|reader| Input {
                name: if path == "-" {
                    "<stdin>".to_owned()
                } else {
                    path.clone()
                },
                reader,
                host: hosts
                    .iter()
                    .find(|(file, _)| file == path)
                    .map(|(_, host)| host.clone()),
            })
        })
        .collect::<Result<Vec<_>, _>>()?;

    let mut checker = Checker::new(
        &plan,
        CheckOptions {
            format,
            max_line_bytes: args.max_line_bytes.max(1),
            stream_rules: !args.no_stream_rules,
            rules: EngineOptions {
                partial: args.partial,
                max_open_keys: args.max_open_keys.max(1),
                params,
                hosts: host_names,
            },
            kind: None,
        },
    );
    let (summaries, alignment) = {
        let mut sink = Gate {
            inner: &mut collector,
            allow_empty: args.gate.allow_empty,
        };
        checker
            .check_inputs(inputs, &mut sink)
            .map_err(|source| CliError::Input {
                path: args.files.join(", "),
                source,
            })?
    };
    let coverage = checker.coverage().report(&plan);
    let baseline_used = collector.baseline.take();
    let recorded = collector.recorder.take();
    let mut report = Report::new(
        plan.producer.clone(),
        summaries,
        alignment,
        collector,
        coverage,
    );
    report.fail_on = args.fail_on.fail_on.into();
    if let (Some(baseline), Some(file)) = (baseline_used, &args.gate.baseline) {
        report.gate.baseline = Some(BaselineUse {
            file: file.clone(),
            matched: baseline.matched,
            stale: baseline.stale(),
        });
    }
    if let Some(percent) = args.gate.require_coverage {
        gate::require_coverage(&mut report, percent, &loaded.origin);
    }
    if !args.gate.require_events.is_empty() {
        gate::require_events(&mut report, &args.gate.require_events, &loaded.origin);
    }
    if let (Some(recorded), Some(path)) = (recorded, &args.gate.write_baseline) {
        std::fs::write(path, recorded.to_json(&plan.producer)).map_err(|source| {
            CliError::Write {
                path: path.clone(),
                source,
            }
        })?;
    }
    args.reports
        .write_all(|format, human, out| logspec_report::render(format, &report, human, out))?;
    Ok(if report.failed() {
        Verdict::Fail
    } else {
        Verdict::Pass
    })
}

/// The gating policy applied to findings as they stream in: with
/// `--allow-empty`, an input with no records is a note.
struct Gate<'a> {
    inner: &'a mut dyn FindingSink,
    allow_empty: bool,
}

impl FindingSink for Gate<'_> {
    fn push(&mut self, mut finding: Finding) {
        if self.allow_empty && finding.code == Code::EmptyInput {
            finding.severity = Severity::Info;
        }
        self.inner.push(finding);
    }
}

/// The inputs to read: files as given, and in place of each directory the
/// files below it that a record kind names, in path order. Files a
/// directory holds that no kind names are reported as skipped.
fn expand(
    plan: &Plan,
    given: &[String],
    sink: &mut dyn FindingSink,
) -> Result<Vec<String>, CliError> {
    let mut inputs = Vec::new();
    for path in given {
        if path == "-" || !Path::new(path).is_dir() {
            inputs.push(path.clone());
            continue;
        }
        let mut found = Vec::new();
        walk(Path::new(path), &mut found).map_err(|source| CliError::Input {
            path: path.clone(),
            source,
        })?;
        found.sort();
        let before = inputs.len();
        for file in found {
            let name = file.to_string_lossy().into_owned();
            if plan.kind_for_path(&name).is_some() {
                inputs.push(name);
            } else {
                sink.push(Finding::new(
                    Code::FileSkipped,
                    &Arc::from(name.as_str()),
                    0,
                    format!(
                        "not read: none of the record kinds of {} names this file by path",
                        plan.producer
                    ),
                ));
            }
        }
        if inputs.len() == before {
            let patterns: Vec<String> = plan
                .kinds
                .iter()
                .flat_map(|kind| kind.path_patterns().map(str::to_owned))
                .collect();
            return Err(CliError::Usage(format!(
                "directory {path} holds no file that {} names by path ({})",
                plan.producer,
                if patterns.is_empty() {
                    "the spec names none: give the files".to_owned()
                } else {
                    patterns.join(", ")
                }
            )));
        }
    }
    Ok(inputs)
}

/// Every regular file below `dir`; symbolic links are not followed.
fn walk(dir: &Path, out: &mut Vec<PathBuf>) -> io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        let kind = entry.file_type()?;
        if kind.is_dir() {
            walk(&entry.path(), out)?;
        } else if kind.is_file() {
            out.push(entry.path());
        }
    }
    Ok(())
}

/// Opens a file to read, or stdin for `-`.
pub(crate) fn open(path: &str) -> Result<Box<dyn BufRead>, CliError> {
    if path == "-" {
        return Ok(Box::new(BufReader::with_capacity(1 << 16, io::stdin())));
    }
    let file = File::open(path).map_err(|source| CliError::Input {
        path: path.to_owned(),
        source,
    })?;
    if file.metadata().is_ok_and(|metadata| metadata.is_dir()) {
        return Err(CliError::Input {
            path: path.to_owned(),
            source: io::Error::other("is a directory"),
        });
    }
    Ok(Box::new(BufReader::with_capacity(1 << 16, file)))
}

/// The host names `--host-alias` and `--hosts-file` say are one host.
fn host_names(aliases: &[String], file: Option<&Path>) -> Result<HostNames, CliError> {
    let mut names = HostNames::default();
    if let Some(path) = file {
        let text = std::fs::read_to_string(path).map_err(|source| CliError::Input {
            path: path.display().to_string(),
            source,
        })?;
        names.read_hosts_file(&text).map_err(|error| {
            CliError::Usage(format!("--hosts-file {}: {error}", path.display()))
        })?;
    }
    for alias in aliases {
        match alias.split_once('=') {
            Some((name, address)) if !name.is_empty() && !address.is_empty() => {
                names.alias(name, address)
            }
            _ => {
                return Err(CliError::Usage(format!(
                    "--host-alias takes NAME=ADDRESS, not {alias:?}"
                )))
            }
        }
    }
    Ok(names)
}

/// `--param NAME=VALUE` assignments, each naming a parameter some rule
/// declares and holding a value of its type.
fn rule_params(plan: &Plan, given: &[String]) -> Result<Vec<(String, String)>, CliError> {
    let mut params = Vec::new();
    for assignment in given {
        let Some((name, value)) = assignment.split_once('=') else {
            return Err(CliError::Usage(format!(
                "--param takes NAME=VALUE, not {assignment:?}"
            )));
        };
        let declared: Vec<_> = plan
            .rules
            .iter()
            .flat_map(|rule| rule.params.iter())
            .filter(|(known, _)| known == name)
            .collect();
        if declared.is_empty() {
            let mut names: Vec<&str> = plan
                .rules
                .iter()
                .flat_map(|rule| rule.params.iter().map(|(known, _)| known.as_str()))
                .collect();
            names.sort_unstable();
            names.dedup();
            return Err(CliError::Usage(format!(
                "--param {name}: no rule of {} has this parameter ({})",
                plan.producer,
                if names.is_empty() {
                    "it has none".to_owned()
                } else {
                    format!("it has {}", names.join(", "))
                }
            )));
        }
        for (_, kind) in declared {
            logspec_checker::rules::condition::param_value(name, *kind, value)
                .map_err(|error| CliError::Usage(format!("--param {error}")))?;
        }
        params.push((name.to_owned(), value.to_owned()));
    }
    Ok(params)
}
