//! `logspec check`: read inputs (see `inputs` for directories and
//! compressed files), check every record, render one report.

use crate::{inputs, spec_arg, CliError, Verdict};
use clap::ValueEnum;
use logspec_checker::rules::EngineOptions;
use logspec_checker::{CheckOptions, Checker, Plan, DEFAULT_MAX_LINE_BYTES};
use logspec_reader::Format;
use logspec_report::{human, json, Collector, Report, DEFAULT_FINDING_LIMIT};
use std::io::{self, IsTerminal, Write};

#[derive(clap::Args)]
pub struct Args {
    /// Built-in spec name (see `logspec specs`) or path to a spec file
    #[arg(long)]
    spec: String,
    /// Input format; `auto` detects it per input among those the spec declares
    #[arg(long, default_value = "auto")]
    format: FormatArg,
    /// Report format
    #[arg(long, value_enum, default_value_t = ReportArg::Human)]
    report: ReportArg,
    /// Colour in the human report
    #[arg(long, value_enum, default_value_t = ColorArg::Auto)]
    color: ColorArg,
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

#[derive(Clone, Copy, ValueEnum)]
enum ReportArg {
    Human,
    Json,
}

#[derive(Clone, Copy, ValueEnum)]
enum ColorArg {
    Auto,
    Always,
    Never,
}

pub fn run(args: Args) -> Result<Verdict, CliError> {
    let loaded = spec_arg::load(&args.spec)?;
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
    let mut collector = Collector::new(args.max_findings);
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
                "--host names {file:?}, which is not one of the inputs"
            )));
        }
        hosts.push((file.to_owned(), host.to_owned()));
    }
    let inputs::Opened { pool, inputs } = inputs::open(&files, &hosts)?;

    let mut checker = Checker::new(
        &plan,
        CheckOptions {
            format,
            max_line_bytes: args.max_line_bytes.max(1),
            stream_rules: !args.no_stream_rules,
            rules: EngineOptions {
                partial: args.partial,
                max_open_keys: args.max_open_keys.max(1),
            },
            kind: None,
        },
    );
    let (summaries, alignment) =
        checker
            .check_inputs(inputs, &mut collector)
            .map_err(|source| CliError::Input {
                path: args.files.join(", "),
                source,
            })?;
    inputs::report_damage(&pool, &mut collector);
    let coverage = checker.coverage().report(&plan);
    let report = Report::new(
        plan.producer.clone(),
        summaries,
        alignment,
        collector,
        coverage,
    );

    let stdout = io::stdout();
    let mut out = io::BufWriter::new(stdout.lock());
    match args.report {
        ReportArg::Json => json::render(&report, &mut out),
        ReportArg::Human => {
            let color = match args.color {
                ColorArg::Always => true,
                ColorArg::Never => false,
                ColorArg::Auto => {
                    io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none()
                }
            };
            human::render(
                &report,
                human::HumanOptions {
                    color,
                    ..Default::default()
                },
                &mut out,
            )
        }
    }
    .and_then(|()| out.flush())
    .map_err(CliError::Output)?;
    Ok(if report.failed() {
        Verdict::Fail
    } else {
        Verdict::Pass
    })
}
