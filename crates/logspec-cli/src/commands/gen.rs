//! `logspec gen`: sample streams generated from a spec, for trying a
//! consumer (an alert rule, a SIEM parser) on every documented form of
//! every event, or on lines broken in known ways.
//!
//! Records are drawn one at a time from a seeded RNG, so any count runs in
//! constant memory and the same seed gives the same bytes. Every format the
//! spec declares can be written; a spec with several record kinds writes
//! the kind `--event` belongs to, or the first that declares the format.
//! With `--invalid`, every record carries one mutation and `--expect`
//! writes the findings `logspec check` must raise, in the check report's
//! JSON shape, so the two can be compared mechanically.

use crate::{spec_arg, CliError, Verdict};
use logspec_checker::Finding;
use logspec_gen::render::blank_lines_after;
use logspec_gen::{render, Broken, Framing, Generator, ReportedOnce, StreamOptions};
use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::PathBuf;
use std::sync::Arc;

#[derive(clap::Args)]
pub struct Args {
    /// Built-in spec name (see `logspec specs`) or path to a spec file
    #[arg(long)]
    spec: String,
    /// Only this event's variants (the value of the spec's event key)
    #[arg(long)]
    event: Option<String>,
    /// Number of records (1 for json-document, whose input is one record)
    #[arg(long)]
    count: Option<usize>,
    /// Seed of the generator: the same seed gives the same output
    #[arg(long, default_value_t = 0)]
    seed: u64,
    /// Wire format, among those the spec declares (default: the first of
    /// the event's record kind, or the spec's first); rfc3164 takes +pri,
    /// +nohost and +iso (e.g. rfc3164+pri+nohost), extended-json +canonical
    #[arg(long)]
    format: Option<String>,
    /// Break every line in exactly one way
    #[arg(long)]
    invalid: bool,
    /// With --invalid: write the findings `logspec check` must raise to
    /// FILE, as JSON in the shape of the check report
    #[arg(long, value_name = "FILE", requires = "invalid")]
    expect: Option<PathBuf>,
}

pub fn run(args: Args) -> Result<Verdict, CliError> {
    let loaded = spec_arg::load(&args.spec)?;
    let spec = &loaded.spec;
    let generator = Generator::new(spec)?;
    let event = args
        .event
        .as_deref()
        .map(|id| generator.event_index(id))
        .transpose()?;
    let declared = Framing::all_for(spec);
    let framing = match &args.format {
        None => {
            let plan = generator.plan();
            let kind = event.map_or(0, |event| plan.events[event].kind);
            let format = plan.kinds[kind].formats.first().ok_or_else(|| {
                CliError::Usage(format!("spec {} declares no format", spec.producer.name))
            })?;
            Framing::default_of(*format)
        }
        Some(name) => {
            let framing: Framing = name.parse()?;
            if !declared.contains(&framing) {
                return Err(CliError::Usage(format!(
                    "spec {} does not declare the {} format (it declares {})",
                    spec.producer.name,
                    framing.format(),
                    format_names(&declared)
                )));
            }
            framing
        }
    };
    generator
        .kind_of(event, framing.format())
        .map_err(|error| {
            CliError::Usage(format!("{error}: pick a format of the event's record kind"))
        })?;
    let count = args
        .count
        .unwrap_or(if logspec_gen::stream::one_record(framing) {
            1
        } else {
            20
        });
    if count == 0 {
        return Err(CliError::Usage("--count must be at least 1".to_owned()));
    }
    if count > 1 && logspec_gen::stream::one_record(framing) {
        return Err(CliError::Usage(format!(
            "an input in {} holds one record: use --count 1",
            framing.format()
        )));
    }
    let options = StreamOptions {
        lines: count..=count,
        framing,
        event,
        broken: if args.invalid {
            Broken::All
        } else {
            Broken::None
        },
    };

    // Opened first: a path that cannot be written fails the run before any
    // line is.
    let mut expect_file = args
        .expect
        .as_ref()
        .map(|path| {
            File::create(path).map_err(|source| CliError::Input {
                path: path.display().to_string(),
                source,
            })
        })
        .transpose()?;
    let file: Arc<str> = Arc::from("<generated>");
    let mut expected = Vec::new();
    let stdout = io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    let mut once = ReportedOnce::default();
    // Findings are reported at the line a record starts on.
    let mut number = 1u64;
    for line in generator.sample_stream(&options, args.seed)? {
        let line = line?;
        let text = render(framing, &line.record)?;
        writeln!(out, "{text}").map_err(CliError::Output)?;
        for _ in 0..blank_lines_after(framing) {
            writeln!(out).map_err(CliError::Output)?;
        }
        let first = number;
        number += (text.lines().count().max(1) + blank_lines_after(framing)) as u64;
        if let Some(mutation) = line
            .mutation
            .filter(|mutation| once.keeps(&mutation.expected))
        {
            let mut finding = Finding::new(
                mutation.expected.code,
                &file,
                first,
                mutation.description.clone(),
            );
            finding.event = mutation.expected.event;
            finding.field = mutation.expected.field;
            expected.push(finding);
        }
    }
    out.flush().map_err(CliError::Output)?;
    if let Some(file) = &mut expect_file {
        logspec_report::json::render_findings(&spec.producer.name, &expected, file)
            .map_err(CliError::Output)?;
    }
    Ok(Verdict::Pass)
}

fn format_names(framings: &[Framing]) -> String {
    let mut names: Vec<&str> = framings.iter().map(|f| f.format().name()).collect();
    names.dedup();
    names.join(", ")
}
