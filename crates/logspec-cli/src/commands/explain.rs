//! `logspec explain`: one event as the spec encodes it, for a person
//! writing an alert rule or fixing a finding.

use crate::{spec_arg, CliError, Verdict};
use logspec_checker::Plan;
use std::fmt::Write as _;

#[derive(clap::Args)]
pub struct Args {
    /// Built-in spec name or path to a spec file
    #[arg(long)]
    spec: String,
    /// The event id (the value of the spec's event key, e.g. ACTION)
    event: String,
}

pub fn run(args: Args) -> Result<Verdict, CliError> {
    let loaded = spec_arg::load(&args.spec)?;
    let spec = &loaded.spec;
    let plan = Plan::new(spec);
    let (Some(event), Some(event_index)) = (spec.event(&args.event), plan.event_index(&args.event))
    else {
        let mut near: Vec<&str> = spec
            .events
            .iter()
            .map(|event| event.id.as_str())
            .filter(|id| id.contains(args.event.as_str()) || args.event.contains(id))
            .collect();
        near.truncate(8);
        let hint = if near.is_empty() {
            String::new()
        } else {
            format!(" (similar: {})", near.join(", "))
        };
        return Err(CliError::Usage(format!(
            "{} documents no event {:?}{hint}",
            spec.producer.name, args.event
        )));
    };
    print!("{}", explain(spec, &plan, event_index, event));
    Ok(Verdict::Pass)
}

fn explain(
    spec: &logspec_spec::Spec,
    plan: &Plan,
    event_index: usize,
    event: &logspec_spec::Event,
) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{}={}", spec.wire.event_key, event.id);
    let _ = writeln!(out, "  section: {}", event.section);
    if let Some(description) = &event.description {
        let _ = writeln!(out, "  {description}");
    }
    for (variant, compiled) in event
        .variants
        .iter()
        .zip(&plan.events[event_index].variants)
    {
        let _ = writeln!(out);
        let _ = writeln!(out, "variant {} ({})", variant.name, compiled.label);
        if let Some(section) = &variant.section {
            let _ = writeln!(out, "  section:  {section}");
        }
        if let Some(description) = &variant.description {
            let _ = writeln!(out, "  {description}");
        }
        let _ = writeln!(
            out,
            "  severity: {} (syslog {})",
            variant.severity, compiled.severity
        );
        if !variant.emitters.is_empty() {
            let mut tags: Vec<&str> = compiled.tags.iter().map(String::as_str).collect();
            tags.sort_unstable();
            let _ = writeln!(
                out,
                "  emitters: {} (tags {})",
                variant.emitters.join(", "),
                tags.join(", ")
            );
        }
        let _ = writeln!(
            out,
            "  fields{}:",
            if variant.ordered {
                " (in documented order)"
            } else {
                ""
            }
        );
        let width = variant
            .fields
            .iter()
            .map(|field| field.name.len())
            .max()
            .unwrap_or(0);
        for (field, check) in variant.fields.iter().zip(&compiled.fields) {
            let _ = writeln!(
                out,
                "    {:<width$}  {:<8}  {}",
                field.name,
                if field.optional {
                    "optional"
                } else {
                    "required"
                },
                check.check.describe()
            );
            if let Some(note) = &field.note {
                let _ = writeln!(out, "    {:<width$}            {note}", "");
            }
        }
        if !variant.forbidden.is_empty() {
            let _ = writeln!(out, "  never: {}", variant.forbidden.join(", "));
        }
        if variant.additional_fields {
            let _ = writeln!(out, "  other fields are tolerated");
        }
        for note in &variant.notes {
            let _ = writeln!(out, "  note: {note}");
        }
        if !variant.examples.is_empty() {
            let _ = writeln!(out, "  examples:");
            for example in &variant.examples {
                let _ = writeln!(out, "    {}", example.line);
                if !example.expect.is_empty() {
                    let _ = writeln!(
                        out,
                        "      (the document contradicts itself here: raises {})",
                        example.expect.join(", ")
                    );
                }
            }
        }
    }
    out
}
