//! `logspec check`: read inputs (see `inputs` for directories and
//! compressed files), check every record, render the reports. What is
//! shared with `listen` (how records are checked, the gate and the reports
//! after checking) is here too, defined once.

use crate::commands::explain;
use crate::inputs::follow::Follow;
use crate::live::{self, LiveSink};
use crate::options::{FailOnOption, GateOptions, ProgressOption, ReportOptions, SpecOption};
use crate::progress::Progress;
use crate::{inputs, spec_arg, suggest, CliError, Verdict};
use clap::ValueEnum;
use logspec_checker::rules::hosts::HostNames;
use logspec_checker::rules::EngineOptions;
use logspec_checker::stream::Alignment;
use logspec_checker::stream::Input;
use logspec_checker::{
    CheckOptions, Checker, CoverageReport, FindingSink, InputSummary, Plan, DEFAULT_MAX_LINE_BYTES,
};
use logspec_finding::{Code, Finding, Severity};
use logspec_reader::Format;
use logspec_report::baseline::{self, Baseline};
use logspec_report::gate::{self, BaselineUse};
use logspec_report::{Collector, Report, ReportFormat, DEFAULT_FINDING_LIMIT};
use logspec_spec::{LoadedSpec, Overlay};
use std::path::{Path, PathBuf};
use std::rc::Rc;

#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    spec: SpecOption,
    #[command(flatten)]
    reports: ReportOptions,
    #[command(flatten)]
    fail_on: FailOnOption,
    #[command(flatten)]
    gate: GateOptions,
    #[command(flatten)]
    checking: Checking,
    #[command(flatten)]
    progress: ProgressOption,
    /// The host an input's records come from when its lines name none
    /// (bare payloads, journald without _HOSTNAME): FILE=HOST, repeatable
    #[arg(long = "host", value_name = "FILE=HOST")]
    hosts: Vec<String>,
    /// Read one file as it grows, through rotations, showing findings as
    /// they are found; the reports come at SIGINT or SIGTERM
    #[arg(long)]
    follow: bool,
    /// Threads that check records while this one reads the inputs and
    /// applies the findings in input order (the same report whatever the
    /// number); 1 checks on the reading thread. Default: the cores
    /// available (1 where the system does not say). --follow checks on one
    /// thread, so a line is checked as soon as it is written
    #[arg(long, short = 'j', value_name = "N", value_parser = clap::value_parser!(u16).range(1..))]
    threads: Option<u16>,
    /// Log files to check; `-` reads standard input; a directory checks
    /// every file in it that a record kind of the spec names by path
    #[arg(required = true)]
    files: Vec<String>,
}

/// How records are checked: the options `check` and `listen` share.
#[derive(clap::Args)]
pub struct Checking {
    /// Input format; `auto` detects it per input among those the spec declares
    #[arg(long, default_value = "auto")]
    format: FormatArg,
    /// Lines of programs that are none of the spec's emitters (in a shared
    /// syslog or journal) are errors, not skipped and counted
    #[arg(long)]
    strict_foreign: bool,
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
    /// Open correlation keys kept by all stream rules together (what bounds
    /// their memory); beyond it the rule holding the most drops its oldest
    #[arg(long, default_value_t = EngineOptions::default().max_open_keys_total)]
    max_open_keys_total: usize,
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
}

impl Checking {
    /// The checker's options for `plan`; a format it does not declare, a
    /// parameter no rule has and a malformed host alias are usage errors.
    pub fn options(
        &self,
        plan: &Plan,
        overlay: Option<&Overlay>,
    ) -> Result<CheckOptions, CliError> {
        let format = match self.format {
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
        Ok(CheckOptions {
            format,
            max_line_bytes: self.max_line_bytes.max(1),
            stream_rules: !self.no_stream_rules,
            rules: EngineOptions {
                partial: self.partial,
                max_open_keys: self.max_open_keys.max(1),
                max_open_keys_total: self.max_open_keys_total.max(1),
                params: rule_params(plan, overlay, &self.params)?,
                hosts: host_names(&self.host_aliases, self.hosts_file.as_deref())?,
            },
            kind: None,
            strict_foreign: self.strict_foreign,
            // `check` sets its own; `listen` checks messages as they come.
            threads: 1,
            chunk_records: logspec_checker::stream::DEFAULT_CHUNK_RECORDS,
        })
    }
}

#[derive(Clone, Copy)]
enum FormatArg {
    Auto,
    Fixed(Format),
}

/// `auto` and every format of the one table, [`Format::ALL`].
const FORMAT_ARGS: [FormatArg; Format::ALL.len() + 1] = {
    let mut args = [FormatArg::Auto; Format::ALL.len() + 1];
    let mut index = 0;
    while index < Format::ALL.len() {
        args[index + 1] = FormatArg::Fixed(Format::ALL[index]);
        index += 1;
    }
    args
};

impl ValueEnum for FormatArg {
    fn value_variants<'a>() -> &'a [Self] {
        &FORMAT_ARGS
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
    let spec_name = args.spec.name()?;
    let (loaded, overlay) = spec_arg::load_overlaid(spec_name)?;
    let plan = Plan::load(&loaded)?;
    let mut options = args.checking.options(&plan, overlay.as_ref())?;
    options.threads = threads(args.threads, args.follow)?;
    let mut collector = collector(spec_name, &args.gate, &args.checking, &loaded, &plan)?;
    let files = inputs::expand(&plan, &args.files, &mut collector)?;
    let mut hosts: Vec<(String, String)> = Vec::new();
    for assignment in &args.hosts {
        let Some((file, host)) = assignment.split_once('=') else {
            return Err(CliError::Usage(format!(
                "--host takes FILE=HOST, not {assignment:?}"
            )));
        };
        if !files.iter().any(|input| input == file) {
            return Err(CliError::Usage(format!(
                "--host names {file:?}, which is not one of the inputs{}",
                suggest::did_you_mean(file, files.iter().map(String::as_str))
            )));
        }
        hosts.push((file.to_owned(), host.to_owned()));
    }
    let followed = match files.as_slice() {
        _ if !args.follow => None,
        [file] if file != "-" && args.files.len() == 1 => Some(file.clone()),
        _ => {
            return Err(CliError::Usage(
                "--follow reads one file (not standard input or a directory)".to_owned(),
            ))
        }
    };
    let mut checker = Checker::new(&plan, options);
    let failed = |source| CliError::Input {
        path: args.files.join(", "),
        source,
    };
    let (summaries, alignment) = {
        let mut sink = Gate {
            inner: &mut collector,
            allow_empty: args.gate.allow_empty,
        };
        match followed {
            Some(file) => {
                let stop = live::stop_on_signals()?;
                let reader =
                    Follow::open(file.clone().into(), stop).map_err(|source| CliError::Input {
                        path: file.clone(),
                        source,
                    })?;
                let input = Input {
                    name: file,
                    reader,
                    host: hosts.first().map(|(_, host)| host.clone()),
                };
                let mut live = LiveSink::new(&mut sink, Rc::default());
                let checked = checker
                    .check_inputs(vec![input], &mut live)
                    .map_err(failed)?;
                live.flush();
                checked
            }
            None => {
                let inputs::Opened { pool, inputs } = inputs::open(&files, &hosts)?;
                pool.borrow_mut().progress = Progress::on_stderr(&args.progress, &files);
                let checked = checker.check_inputs(inputs, &mut sink).map_err(failed)?;
                // Cleared before anything else is written.
                pool.borrow_mut().progress = None;
                inputs::report_damage(&pool, &mut sink);
                checked
            }
        }
    };
    let coverage = checker.coverage().report(&plan);
    conclude(
        Checked {
            loaded: &loaded,
            plan: &plan,
            summaries,
            alignment,
            collector,
            coverage,
        },
        &args.gate,
        &args.fail_on,
        &args.reports,
    )
}

/// The threads that check records: `--threads`, else the cores available
/// (one where the system cannot tell: the report is the same either way).
/// A followed file is checked on one: with more, a line would wait for the
/// chunk of lines it goes to the workers with.
fn threads(given: Option<u16>, follow: bool) -> Result<usize, CliError> {
    match (given, follow) {
        (Some(threads), true) if threads > 1 => Err(CliError::Usage(
            "--follow checks each line as it is written, on one thread: --threads does not \
             apply"
                .to_owned(),
        )),
        (_, true) => Ok(1),
        (Some(threads), false) => Ok(usize::from(threads)),
        (None, false) => Ok(std::thread::available_parallelism().map_or(1, usize::from)),
    }
}

/// The collector findings go to, with the gate's baseline loaded and
/// `--require-events` validated.
pub fn collector(
    spec_name: &str,
    gate: &GateOptions,
    checking: &Checking,
    loaded: &LoadedSpec,
    plan: &Plan,
) -> Result<Collector, CliError> {
    for event in &gate.require_events {
        if loaded.spec.event(event).is_none() {
            return Err(explain::unknown_event(
                &loaded.spec,
                spec_name,
                "--require-events",
                event,
            ));
        }
    }
    let mut collector = Collector::new(checking.max_findings);
    if let Some(path) = &gate.baseline {
        let text = std::fs::read_to_string(path).map_err(|source| CliError::Input {
            path: path.clone(),
            source,
        })?;
        collector.baseline = Some(
            Baseline::parse(&text, &plan.producer)
                .map_err(|error| CliError::Usage(format!("{path}: {error}")))?,
        );
    }
    if gate.write_baseline.is_some() {
        collector.recorder = Some(baseline::Recorder::default());
    }
    Ok(collector)
}

/// What a check run produced, before the gate and the reports.
pub struct Checked<'a> {
    pub loaded: &'a LoadedSpec,
    pub plan: &'a Plan,
    pub summaries: Vec<InputSummary>,
    pub alignment: Alignment,
    pub collector: Collector,
    pub coverage: CoverageReport,
}

/// Applies the gate (baseline, required coverage and events), writes the
/// reports, and says whether the run fails.
pub fn conclude(
    checked: Checked<'_>,
    gate: &GateOptions,
    fail_on: &FailOnOption,
    reports: &ReportOptions,
) -> Result<Verdict, CliError> {
    let Checked {
        loaded,
        plan,
        summaries,
        alignment,
        mut collector,
        coverage,
    } = checked;
    let baseline_used = collector.baseline.take();
    let recorded = collector.recorder.take();
    let mut report = Report::new(
        plan.producer.clone(),
        summaries,
        alignment,
        collector,
        coverage,
    );
    report.fail_on = fail_on.fail_on.into();
    if let (Some(baseline), Some(file)) = (baseline_used, &gate.baseline) {
        report.gate.baseline = Some(BaselineUse {
            file: file.clone(),
            matched: baseline.matched,
            stale: baseline.stale(),
        });
    }
    if let Some(percent) = gate.require_coverage {
        gate::require_coverage(&mut report, percent, &loaded.origin);
    }
    if !gate.require_events.is_empty() {
        gate::require_events(&mut report, &gate.require_events, &loaded.origin);
    }
    if let (Some(recorded), Some(path)) = (recorded, &gate.write_baseline) {
        std::fs::write(path, recorded.to_json(&plan.producer)).map_err(|source| {
            CliError::Write {
                path: path.clone(),
                source,
            }
        })?;
    }
    reports.write_all(|format, human, out| logspec_report::render(format, &report, human, out))?;
    Ok(if report.failed() {
        Verdict::Fail
    } else {
        Verdict::Pass
    })
}

/// The gating policy applied to findings as they stream in: with
/// `--allow-empty`, an input with no records is a note.
pub struct Gate<'a> {
    pub inner: &'a mut dyn FindingSink,
    pub allow_empty: bool,
}

impl FindingSink for Gate<'_> {
    fn push(&mut self, mut finding: Finding) {
        if self.allow_empty && finding.code == Code::EmptyInput {
            finding.severity = Severity::Info;
        }
        self.inner.push(finding);
    }

    fn record<'a>(
        &mut self,
        classification: logspec_checker::record::Classification,
        fields: &mut dyn Iterator<Item = (&'a str, &'a str)>,
    ) {
        self.inner.record(classification, fields);
    }

    fn wants_records(&self) -> bool {
        self.inner.wants_records()
    }
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

/// Rule parameter values: an overlay's, then `--param NAME=VALUE`
/// assignments (the later given wins), each naming a parameter some rule
/// declares and holding a value of its type.
pub(crate) fn rule_params(
    plan: &Plan,
    overlay: Option<&Overlay>,
    given: &[String],
) -> Result<Vec<(String, String)>, CliError> {
    let mut params = Vec::new();
    for param in overlay.iter().flat_map(|overlay| &overlay.params) {
        let place = overlay.map_or(String::new(), |overlay| {
            format!(
                "{}:{}:{}: parameter",
                overlay.origin, param.location.line, param.location.column
            )
        });
        params.push(param_checked(plan, &param.name, &param.value, &place)?);
    }
    for assignment in given {
        let Some((name, value)) = assignment.split_once('=') else {
            return Err(CliError::Usage(format!(
                "--param takes NAME=VALUE, not {assignment:?}"
            )));
        };
        params.push(param_checked(plan, name, value, "--param")?);
    }
    Ok(params)
}

/// `name`'s `value`, if some rule declares the parameter and the value is
/// of its type; `place` says where it was given, for the message.
fn param_checked(
    plan: &Plan,
    name: &str,
    value: &str,
    place: &str,
) -> Result<(String, String), CliError> {
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
            "{place} {name}: no rule of {} has this parameter ({}){}",
            plan.producer,
            if names.is_empty() {
                "it has none".to_owned()
            } else {
                format!("it has {}", names.join(", "))
            },
            suggest::did_you_mean(name, names.iter().copied())
        )));
    }
    for (_, kind) in declared {
        logspec_checker::rules::params::param_value(name, *kind, value)
            .map_err(|error| CliError::Usage(format!("{place} {error}")))?;
    }
    Ok((name.to_owned(), value.to_owned()))
}
