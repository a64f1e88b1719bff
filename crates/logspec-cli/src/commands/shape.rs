//! `logspec shape record|diff`: the shape of a producer's logs, recorded
//! as a file to commit, and later logs compared with it (the logic is the
//! logspec-shape crate's).
//!
//! Exit status of `diff`: 0 when nothing breaks consumers (additive and
//! compatible changes are listed), 1 on a breaking change, 2 when the run
//! fails (usage, unreadable spec, baseline or input).

use crate::options::{ProgressOption, ReportOptions, SpecOption};
use crate::progress::Progress;
use crate::{inputs, spec_arg, CliError, Verdict};
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
    #[command(flatten)]
    progress: ProgressOption,
    /// Log files to read, as `check` reads them: `-` reads standard input;
    /// a directory reads every file in it that a record kind names by path
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
            let (shapes, records) = record(&plan, &inputs)?;
            if records == 0 {
                // An empty baseline would pass every later diff.
                return Err(CliError::Usage(format!(
                    "no record of {} was recognised in the input: no shape file written",
                    plan.producer
                )));
            }
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
    let loaded = spec_arg::load(inputs.spec.name()?)?;
    Ok(Plan::load(&loaded)?)
}

/// The shapes of every input's records, and how many records were shaped.
fn record(plan: &Plan, inputs: &Inputs) -> Result<(Shapes, u64), CliError> {
    // Which files a directory holds that are not read is check's concern;
    // shapes are of what is read.
    let files = inputs::expand(plan, &inputs.files, &mut Vec::new())?;
    let opened = inputs::open(&files, &[])?;
    opened.pool.borrow_mut().progress = Progress::on_stderr(&inputs.progress, &files);
    let mut recorder = Recorder::new(plan, inputs.max_line_bytes.max(1));
    let mut records = 0;
    for input in opened.inputs {
        let stats = recorder
            .read_named(&input.name, input.reader)
            .map_err(|source| CliError::Input {
                path: input.name.clone(),
                source,
            })?;
        records += stats.records;
    }
    opened.pool.borrow_mut().progress = None;
    let mut damage = Vec::new();
    inputs::report_damage(&opened.pool, &mut damage);
    if let Some(damage) = damage.first() {
        return Err(CliError::Usage(format!(
            "{}:{}: {}",
            damage.file, damage.line, damage.message
        )));
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
