//! The options several subcommands share, defined once and flattened into
//! each (`#[command(flatten)]`), so `--spec`, `--report`, `--color` and
//! `--fail-on` read and behave the same everywhere.

use crate::{suggest, CliError};
use anstream::{AutoStream, ColorChoice};
use logspec_report::{human::HumanOptions, FailOn, ReportFormat};
use std::collections::HashSet;
use std::fs::File;
use std::io::{self, Write};

/// `--spec NAME|PATH`.
#[derive(clap::Args, Debug)]
pub struct SpecOption {
    /// Built-in spec name (see `logspec specs`) or path to a spec file
    // Optional in the type only so that `lint` can also take the spec as
    // its positional argument (it relaxes `required` with `mut_arg`);
    // everywhere else clap requires it.
    #[arg(long, value_name = "NAME|PATH", required = true)]
    pub spec: Option<String>,
}

impl SpecOption {
    /// The spec named, or a usage error if none was.
    pub fn name(&self) -> Result<&str, CliError> {
        self.spec
            .as_deref()
            .ok_or_else(|| CliError::Usage("name a spec with --spec NAME|PATH".to_owned()))
    }
}

/// `--report FORMAT[=FILE]` (repeatable) and `--color`.
#[derive(clap::Args, Debug)]
pub struct ReportOptions {
    /// Report format, and the file to write it to (standard output without
    /// one, or with `-`); repeat to write several reports in one run:
    /// human, json, github
    #[arg(
        long = "report",
        value_name = "FORMAT[=FILE]",
        default_value = "human",
        value_parser = parse_report_target
    )]
    pub reports: Vec<ReportTarget>,
    /// Colour in the human report on standard output (`auto`: when it is a
    /// terminal and the environment allows: NO_COLOR, CLICOLOR,
    /// CLICOLOR_FORCE)
    #[arg(long, value_enum, default_value_t = ColorArg::Auto)]
    pub color: ColorArg,
}

/// `--no-progress`, for the commands that read inputs.
#[derive(clap::Args, Debug)]
pub struct ProgressOption {
    /// No progress line on standard error (it is shown only when standard
    /// error is a terminal and the run takes more than a second)
    #[arg(long)]
    pub no_progress: bool,
}

/// `--fail-on error|warning|never`.
#[derive(clap::Args, Debug)]
pub struct FailOnOption {
    /// The least severity that fails the run (exit 1): error, warning, or
    /// never (report only)
    #[arg(long, value_enum, default_value_t = FailOnArg::Error)]
    pub fail_on: FailOnArg,
}

/// The gating policy of a check run beyond `--fail-on`.
#[derive(clap::Args, Debug)]
pub struct GateOptions {
    /// An input with no records is a note, not an error (by default it
    /// fails the run: a gate must not pass on logs that were never captured)
    #[arg(long)]
    pub allow_empty: bool,
    /// Accept the findings this baseline records (by fingerprint: code,
    /// event, variant, field, rule, key shape); fail only on new ones
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<String>,
    /// Write today's findings as a baseline to FILE
    #[arg(long, value_name = "FILE")]
    pub write_baseline: Option<String>,
    /// Fail unless at least N% of the spec's documented event variants
    /// were seen
    #[arg(long, value_name = "N%", value_parser = parse_percent)]
    pub require_coverage: Option<f64>,
    /// Fail unless each of these events was seen (comma-separated event ids)
    #[arg(long, value_name = "EVENT,...", value_delimiter = ',')]
    pub require_events: Vec<String>,
}

fn parse_percent(value: &str) -> Result<f64, String> {
    let number = value.strip_suffix('%').unwrap_or(value);
    match number.trim().parse::<f64>() {
        Ok(percent) if (0.0..=100.0).contains(&percent) => Ok(percent),
        _ => Err(format!("{value:?} is not a percentage from 0 to 100")),
    }
}

#[derive(Clone, Copy, Debug, clap::ValueEnum)]
pub enum FailOnArg {
    Error,
    Warning,
    Never,
}

impl From<FailOnArg> for FailOn {
    fn from(arg: FailOnArg) -> FailOn {
        match arg {
            FailOnArg::Error => FailOn::Error,
            FailOnArg::Warning => FailOn::Warning,
            FailOnArg::Never => FailOn::Never,
        }
    }
}

#[derive(Clone, Copy, Debug, clap::ValueEnum)]
pub enum ColorArg {
    Auto,
    Always,
    Never,
}

impl ColorArg {
    /// What anstream is told: `auto` leaves it to the environment
    /// (NO_COLOR, CLICOLOR_FORCE, CLICOLOR, TERM) and the terminal.
    fn choice(self) -> ColorChoice {
        match self {
            ColorArg::Auto => ColorChoice::Auto,
            ColorArg::Always => ColorChoice::Always,
            ColorArg::Never => ColorChoice::Never,
        }
    }
}

/// One `--report` value: a format and where it goes.
#[derive(Clone, Debug)]
pub struct ReportTarget {
    pub format: ReportFormat,
    /// `None` for standard output.
    pub file: Option<String>,
}

fn parse_report_target(value: &str) -> Result<ReportTarget, String> {
    let (name, file) = match value.split_once('=') {
        Some((name, "")) => {
            return Err(format!(
                "{name}= names no file (drop the `=` for standard output)"
            ))
        }
        Some((name, "-")) => (name, None),
        Some((name, file)) => (name, Some(file.to_owned())),
        None => (value, None),
    };
    let format = ReportFormat::from_name(name).ok_or_else(|| {
        let names: Vec<&str> = ReportFormat::ALL.iter().map(|f| f.name()).collect();
        format!(
            "unknown report format {name:?} (one of {}){}",
            names.join(", "),
            suggest::did_you_mean(name, names.iter().copied())
        )
    })?;
    Ok(ReportTarget { format, file })
}

impl ReportOptions {
    /// Checks the targets before any work: each file named once, and
    /// standard output shared only by console formats (a JSON report mixed
    /// with another would not parse). `allowed` are the formats the command
    /// can write.
    pub fn validate(&self, command: &str, allowed: &[ReportFormat]) -> Result<(), CliError> {
        let mut files = HashSet::new();
        for target in &self.reports {
            if !allowed.contains(&target.format) {
                let names: Vec<&str> = allowed.iter().map(|f| f.name()).collect();
                return Err(CliError::Usage(format!(
                    "{command} writes no {} report (it writes {})",
                    target.format.name(),
                    names.join(", ")
                )));
            }
            if let Some(file) = &target.file {
                if !files.insert(file.as_str()) {
                    return Err(CliError::Usage(format!(
                        "--report names {file} twice: give each report its own file"
                    )));
                }
            }
        }
        let on_stdout: Vec<ReportFormat> = self
            .reports
            .iter()
            .filter(|target| target.file.is_none())
            .map(|target| target.format)
            .collect();
        if on_stdout.len() > 1 && on_stdout.iter().any(|format| !format.is_console()) {
            let names: Vec<&str> = on_stdout.iter().map(|f| f.name()).collect();
            return Err(CliError::Usage(format!(
                "several reports on standard output ({}): write all but one to a file \
                 with --report FORMAT=FILE",
                names.join(", ")
            )));
        }
        Ok(())
    }

    /// Writes every report: `render` writes one format to one writer.
    /// Reports to files are written whole; a file that cannot be created
    /// fails the run (exit 2).
    pub fn write_all(
        &self,
        mut render: impl FnMut(ReportFormat, HumanOptions, &mut dyn Write) -> io::Result<()>,
    ) -> Result<(), CliError> {
        for target in &self.reports {
            match &target.file {
                None => {
                    // The human report goes through anstream, which decides
                    // whether colour reaches standard output; the others
                    // pass through as written.
                    let stdout = io::stdout().lock();
                    let stdout = match target.format {
                        ReportFormat::Human => AutoStream::new(stdout, self.color.choice()),
                        _ => AutoStream::always_ansi(stdout),
                    };
                    let human = HumanOptions {
                        color: stdout.current_choice() != ColorChoice::Never,
                        ..Default::default()
                    };
                    let mut out = io::BufWriter::new(stdout);
                    render(target.format, human, &mut out)
                        .and_then(|()| out.flush())
                        .map_err(CliError::Output)?;
                }
                Some(path) => {
                    let write_error = |source| CliError::Write {
                        path: path.clone(),
                        source,
                    };
                    let file = File::create(path).map_err(write_error)?;
                    let mut out = io::BufWriter::new(file);
                    let human = HumanOptions {
                        color: matches!(self.color, ColorArg::Always),
                        ..Default::default()
                    };
                    render(target.format, human, &mut out)
                        .and_then(|()| out.flush())
                        .map_err(write_error)?;
                }
            }
        }
        Ok(())
    }
}
