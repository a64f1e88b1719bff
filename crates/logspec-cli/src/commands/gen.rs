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
//!
//! These records are unrelated to each other, so their output is checked
//! with `--no-stream-rules`. `--scenario` writes records that keep the
//! spec's stream rules instead (lifecycles walked to their end, keys
//! paired across records, hosts and record kinds), broken with
//! `--invalid` in one place with the one stream finding that must follow;
//! its output is checked with the stream rules on; `--break-rule` and
//! `--break-kind` choose the rule broken and how (to try an alert on one
//! relation). A scenario is built whole in memory before it is written.

use crate::commands::explain;
use crate::{spec_arg, suggest, CliError, Verdict};
use logspec_checker::Finding;
use logspec_gen::render::blank_lines_after;
use logspec_gen::stream::one_record;
use logspec_gen::{
    render, BreakTarget, Broken, Framing, Generator, Hosts, ReportedOnce, ScenarioOptions,
    StreamMutationKind, StreamOptions,
};
use logspec_spec::{Overlay, Spec};
use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// The file name `--expect` gives findings in output on standard output.
const GENERATED: &str = "<generated>";

#[derive(clap::Args)]
pub struct Args {
    /// Built-in spec name (see `logspec specs`) or path to a spec file
    #[arg(long)]
    spec: String,
    /// Only this event's variants (the value of the spec's event key)
    #[arg(long)]
    event: Option<String>,
    /// Number of records (1 for json-document, whose input is one record);
    /// with --scenario, the records drawn before the lifecycles left open
    /// are closed (default 20)
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
    /// Break every line in exactly one way; with --scenario, break the
    /// stream rules in one place (a record left out, repeated, swapped,
    /// given an earlier key, or out of its lifecycle)
    #[arg(long)]
    invalid: bool,
    /// With --invalid: write the findings `logspec check` must raise to
    /// FILE, as JSON in the shape of the check report
    #[arg(long, value_name = "FILE", requires = "invalid")]
    expect: Option<PathBuf>,
    /// Write a scenario: records that keep the spec's stream rules, to be
    /// checked with them on (without it, records are independent: check
    /// them with --no-stream-rules). Without --out it is one input on one
    /// host, written to standard output
    #[arg(long, conflicts_with = "event")]
    scenario: bool,
    /// With --scenario: write the scenario's inputs below DIR (absent or
    /// empty), one file per host and record kind, records from several
    /// hosts and kinds; `logspec check --spec SPEC DIR` reads each file as
    /// its record kind (when the spec's kinds name no paths, give the
    /// files: DIR/*.log)
    #[arg(long, value_name = "DIR", requires = "scenario")]
    out: Option<PathBuf>,
    /// With --scenario: a stream-rule parameter the scenario will be
    /// checked with (give `logspec check` the same --param): NAME=VALUE,
    /// repeatable; records of a rule whose parameter is not given are not
    /// written, since check does not run that rule
    #[arg(long = "param", value_name = "NAME=VALUE", requires = "scenario")]
    params: Vec<String>,
    /// With --scenario --invalid: break this stream rule (its id, as
    /// `logspec explain --rules` lists them), not whichever one a draw picks
    #[arg(long, value_name = "RULE", requires = "invalid")]
    break_rule: Option<String>,
    /// With --scenario --invalid: break a rule this way: drop-closing,
    /// duplicate-terminal, reorder-pair, reuse-key, stray, fail-condition,
    /// disagree
    #[arg(long, value_name = "KIND", requires = "invalid")]
    break_kind: Option<String>,
}

pub fn run(args: Args) -> Result<Verdict, CliError> {
    let (loaded, overlay) = spec_arg::load_overlaid(&args.spec)?;
    let spec = &loaded.spec;
    if let Some(id) = args.event.as_deref().filter(|id| spec.event(id).is_none()) {
        return Err(explain::unknown_event(spec, &args.spec, "--event", id));
    }
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
            let framing: Framing = name.parse().map_err(|error| {
                // The spec's own framings are the likely meant ones.
                let names: Vec<String> = declared.iter().map(Framing::to_string).collect();
                CliError::Usage(format!(
                    "{error}{}",
                    suggest::did_you_mean(name, names.iter().map(String::as_str))
                ))
            })?;
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
        .unwrap_or(if one_record(framing) && !args.scenario {
            1
        } else {
            20
        });
    if count == 0 {
        return Err(CliError::Usage("--count must be at least 1".to_owned()));
    }
    if one_record(framing) {
        let fix = if args.scenario {
            "a scenario in it needs --out DIR"
        } else {
            "use --count 1"
        };
        if args.scenario && args.out.is_none() || !args.scenario && count > 1 {
            return Err(CliError::Usage(format!(
                "an input in {} holds one record: {fix}",
                framing.format()
            )));
        }
    }
    // Opened first: a path that cannot be written fails the run before any
    // line is.
    let expect_file = args
        .expect
        .as_ref()
        .map(|path| {
            File::create(path).map_err(|source| CliError::Write {
                path: path.display().to_string(),
                source,
            })
        })
        .transpose()?;
    if !args.scenario && (args.break_rule.is_some() || args.break_kind.is_some()) {
        return Err(CliError::Usage(
            "--break-rule and --break-kind aim a scenario's break: add --scenario".to_owned(),
        ));
    }
    if args.scenario {
        return scenario(
            &args,
            &generator,
            overlay.as_ref(),
            framing,
            count,
            expect_file,
        );
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
    let file: Arc<str> = Arc::from(GENERATED);
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
    write_expected(spec, &expected, expect_file)
}

/// Writes a scenario: its one input to standard output, or every input
/// below `--out`; and the finding its break must raise to `expect_file`.
fn scenario(
    args: &Args,
    generator: &Generator,
    overlay: Option<&Overlay>,
    framing: Framing,
    count: usize,
    expect_file: Option<File>,
) -> Result<Verdict, CliError> {
    if let Some(dir) = &args.out {
        prepare(dir)?;
    }
    let options = ScenarioOptions {
        framing,
        records: count..=count,
        broken: args.invalid,
        // What `logspec check` learns without --host.
        hosts: Hosts::Written,
        one_input: args.out.is_none(),
        params: super::check::rule_params(generator.plan(), overlay, &args.params)?,
        target: break_target(generator, args)?,
    };
    let scenario = generator.sample_scenario(&options, args.seed)?;
    let mut names = Vec::with_capacity(scenario.inputs.len());
    for (name, text) in scenario.render()? {
        match &args.out {
            None => {
                let stdout = io::stdout();
                let mut out = stdout.lock();
                out.write_all(text.as_bytes())
                    .and_then(|()| out.flush())
                    .map_err(CliError::Output)?;
                names.push(GENERATED.to_owned());
            }
            Some(dir) => {
                let path = dir.join(name);
                write_file(&path, &text)?;
                names.push(path.display().to_string());
            }
        }
    }
    let expected: Vec<Finding> = scenario
        .expected
        .iter()
        .map(|expected| {
            let file: Arc<str> = names
                .get(expected.input)
                .map_or(Arc::from(GENERATED), |name| Arc::from(name.as_str()));
            let mut finding = Finding::new(
                expected.code,
                &file,
                expected.line,
                format!("{}: {}", expected.rule, expected.kind),
            );
            finding.key = Some(expected.key.clone());
            finding
        })
        .collect();
    write_expected(generator.spec(), &expected, expect_file)
}

/// The rule and way `--break-rule` and `--break-kind` name, each a known
/// one.
fn break_target(generator: &Generator, args: &Args) -> Result<BreakTarget, CliError> {
    let rules = &generator.plan().rules;
    if let Some(id) = args
        .break_rule
        .as_deref()
        .filter(|id| !rules.iter().any(|rule| rule.id == *id))
    {
        return Err(CliError::Usage(format!(
            "spec {} has no stream rule {id:?}{}",
            generator.spec().producer.name,
            suggest::did_you_mean(id, rules.iter().map(|rule| rule.id.as_str()))
        )));
    }
    let kind = args
        .break_kind
        .as_deref()
        .map(|name| {
            StreamMutationKind::from_name(name).ok_or_else(|| {
                let names = StreamMutationKind::ALL.map(StreamMutationKind::name);
                CliError::Usage(format!(
                    "unknown --break-kind {name:?}: expected one of {}{}",
                    names.join(", "),
                    suggest::did_you_mean(name, names)
                ))
            })
        })
        .transpose()?;
    Ok(BreakTarget {
        rule: args.break_rule.clone(),
        kind,
    })
}

/// Creates `dir`, which must be absent or empty: files left from another
/// run would be checked with this one's.
fn prepare(dir: &Path) -> Result<(), CliError> {
    let error = |source| CliError::Write {
        path: dir.display().to_string(),
        source,
    };
    match std::fs::read_dir(dir) {
        Ok(mut entries) => {
            if entries.next().is_some() {
                return Err(CliError::Usage(format!(
                    "--out {} is not empty: give a new or empty directory",
                    dir.display()
                )));
            }
            Ok(())
        }
        Err(source) if source.kind() == io::ErrorKind::NotFound => {
            std::fs::create_dir_all(dir).map_err(error)
        }
        Err(source) => Err(error(source)),
    }
}

fn write_file(path: &Path, text: &str) -> Result<(), CliError> {
    let error = |source| CliError::Write {
        path: path.display().to_string(),
        source,
    };
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(error)?;
    }
    std::fs::write(path, text).map_err(error)
}

fn write_expected(
    spec: &Spec,
    expected: &[Finding],
    expect_file: Option<File>,
) -> Result<Verdict, CliError> {
    if let Some(mut file) = expect_file {
        logspec_report::json::render_findings(&spec.producer.name, expected, &mut file)
            .map_err(CliError::Output)?;
    }
    Ok(Verdict::Pass)
}

fn format_names(framings: &[Framing]) -> String {
    let mut names: Vec<&str> = framings.iter().map(|f| f.format().name()).collect();
    names.dedup();
    names.join(", ")
}
