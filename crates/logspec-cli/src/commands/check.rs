//! `logspec check`: read inputs, check every record, render one report.

use crate::{spec_arg, CliError, Verdict};
use clap::ValueEnum;
use logspec_checker::{CheckOptions, Checker, Plan, DEFAULT_MAX_LINE_BYTES};
use logspec_reader::Format;
use logspec_report::{human, json, Collector, Report, DEFAULT_FINDING_LIMIT};
use std::fs::File;
use std::io::{self, BufRead, BufReader, IsTerminal, Write};

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
    /// Log files to check; `-` reads standard input
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
    if args.files.iter().filter(|file| *file == "-").count() > 1 {
        return Err(CliError::Usage(
            "standard input (`-`) can be read only once".to_owned(),
        ));
    }
    // Open everything first: an unreadable input fails the run before any
    // report is written, rather than after a partial one.
    let inputs = args
        .files
        .iter()
        .map(|path| open(path).map(|reader| (path.as_str(), reader)))
        .collect::<Result<Vec<_>, _>>()?;

    let mut checker = Checker::new(
        &plan,
        CheckOptions {
            format,
            max_line_bytes: args.max_line_bytes.max(1),
        },
    );
    let mut collector = Collector::new(args.max_findings);
    let mut summaries = Vec::new();
    for (path, reader) in inputs {
        let name = if path == "-" { "<stdin>" } else { path };
        let summary = checker
            .check_input(name, reader, &mut collector)
            .map_err(|source| CliError::Input {
                path: name.to_owned(),
                source,
            })?;
        summaries.push(summary);
    }
    let coverage = checker.coverage().report(&plan);
    let report = Report::new(plan.producer.clone(), summaries, collector, coverage);

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
