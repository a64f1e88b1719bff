//! `logspec shape record|diff`: the shape of a producer's logs, recorded
//! as a file to commit, and later logs compared with it (the logic is the
//! logspec-shape crate's).
//!
//! Exit status of `diff`: 0 when nothing breaks consumers (additive and
//! compatible changes are listed), 1 on a breaking change, 2 when the run
//! fails (usage, unreadable spec, baseline or input).

use crate::commands::check::open;
use crate::options::{ReportOptions, SpecOption};
use crate::{spec_arg, CliError, Verdict};
use logspec_checker::{Plan, DEFAULT_MAX_LINE_BYTES};
use logspec_report::ReportFormat;
use logspec_shape::{diff, report, Recorder, Shapes};
use std::io::{self, Write};

#[derive(clap::Args)]
pub struct Args {
    #[command(subcommand)]
    action: Action,
}

#[derive(clap::Subcommand)]
enum Action {
    /// Write the fields, their order and value classes of every event variant seen, as JSON
    Record(Inputs),
    /// Compare logs with a recorded shape file; exit 1 if a change breaks consumers
    Diff {
        /// The shape file `logspec shape record` wrote
        baseline: String,
        #[command(flatten)]
        reports: ReportOptions,
        #[command(flatten)]
        inputs: Inputs,
    },
}

#[derive(clap::Args)]
struct Inputs {
    #[command(flatten)]
    spec: SpecOption,
    /// Lines longer than this many bytes are skipped
    #[arg(long, default_value_t = DEFAULT_MAX_LINE_BYTES)]
    max_line_bytes: usize,
    /// Log files to read; `-` reads standard input
    #[arg(required = true)]
    files: Vec<String>,
}

/// The report formats `shape diff` writes: its changes carry no log
/// location for the annotation and code-scanning formats to point at.
const DIFF_REPORTS: &[ReportFormat] = &[ReportFormat::Human, ReportFormat::Json];

pub fn run(args: Args) -> Result<Verdict, CliError> {
    match args.action {
        Action::Record(inputs) => {
            let plan = plan_of(&inputs)?;
            let (shapes, _) = record(&plan, &inputs)?;
            write(|out| out.write_all(shapes.to_json().as_bytes()))?;
            Ok(Verdict::Pass)
        }
        Action::Diff {
            baseline,
            reports,
            inputs,
        } => {
            reports.validate("shape diff", DIFF_REPORTS)?;
            let plan = plan_of(&inputs)?;
            let text = std::fs::read_to_string(&baseline).map_err(|source| CliError::Input {
                path: baseline.clone(),
                source,
            })?;
            let recorded = Shapes::from_json(&text, &plan.producer)
                .map_err(|error| CliError::Usage(format!("{baseline}: {error}")))?;
            let (current, records) = record(&plan, &inputs)?;
            let changes = diff(&recorded, &current, &plan);
            reports.write_all(|format, _human, out| match format {
                ReportFormat::Json => report::json(&plan.producer, &changes, records, out),
                ReportFormat::Human => report::human(&plan.producer, &changes, records, out),
                // Refused by `validate` above.
                other => Err(io::Error::other(format!(
                    "shape diff writes no {} report",
                    other.name()
                ))),
            })?;
            let breaking = changes
                .iter()
                .any(|change| change.impact == logspec_shape::Impact::Breaking);
            Ok(if breaking {
                Verdict::Fail
            } else {
                Verdict::Pass
            })
        }
    }
}

fn plan_of(inputs: &Inputs) -> Result<Plan, CliError> {
    if inputs.files.iter().filter(|file| *file == "-").count() > 1 {
        return Err(CliError::Usage(
            "standard input (`-`) can be read only once".to_owned(),
        ));
    }
    let loaded = spec_arg::load(inputs.spec.name()?)?;
    Ok(Plan::new(&loaded.spec))
}

/// The shapes of every input's records, and how many records were shaped.
fn record(plan: &Plan, inputs: &Inputs) -> Result<(Shapes, u64), CliError> {
    // Open everything first: an unreadable input fails before any reading.
    let readers = inputs
        .files
        .iter()
        .map(|path| open(path).map(|reader| (path, reader)))
        .collect::<Result<Vec<_>, _>>()?;
    let mut recorder = Recorder::new(plan, inputs.max_line_bytes.max(1));
    let mut records = 0;
    for (path, reader) in readers {
        let stats = recorder.read(reader).map_err(|source| CliError::Input {
            path: path.clone(),
            source,
        })?;
        records += stats.records;
    }
    Ok((recorder.finish(), records))
}

fn write(render: impl FnOnce(&mut dyn Write) -> io::Result<()>) -> Result<(), CliError> {
    let stdout = io::stdout();
    let mut out = io::BufWriter::new(stdout.lock());
    render(&mut out)
        .and_then(|()| out.flush())
        .map_err(CliError::Output)
}
