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
    #[arg(required_unless_present = "rules")]
    event: Option<String>,
    /// Explain the spec's stream rules instead of an event
    #[arg(long, conflicts_with = "event")]
    rules: bool,
    /// Output format for --rules: text, or mermaid state diagrams
    #[arg(long, value_enum, default_value_t = RulesFormat::Text, requires = "rules")]
    format: RulesFormat,
}

#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum RulesFormat {
    Text,
    Mermaid,
}

pub fn run(args: Args) -> Result<Verdict, CliError> {
    let loaded = spec_arg::load(&args.spec)?;
    let spec = &loaded.spec;
    if args.rules {
        print!(
            "{}",
            match args.format {
                RulesFormat::Text => rules_text(spec),
                RulesFormat::Mermaid => rules_mermaid(spec),
            }
        );
        return Ok(Verdict::Pass);
    }
    let Some(wanted) = args.event else {
        return Err(CliError::Usage("name an event, or pass --rules".to_owned()));
    };
    let args_event = wanted;
    let plan = Plan::new(spec);
    let (Some(event), Some(event_index)) = (spec.event(&args_event), plan.event_index(&args_event))
    else {
        let mut near: Vec<&str> = spec
            .events
            .iter()
            .map(|event| event.id.as_str())
            .filter(|id| id.contains(args_event.as_str()) || args_event.contains(id))
            .collect();
        near.truncate(8);
        let hint = if near.is_empty() {
            String::new()
        } else {
            format!(" (similar: {})", near.join(", "))
        };
        return Err(CliError::Usage(format!(
            "{} documents no event {:?}{hint}",
            spec.producer.name, args_event
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
    let kind = &plan.kinds[plan.events[event_index].kind];
    match &kind.event_key {
        Some(key) => {
            let _ = writeln!(out, "{key}={}", event.id);
        }
        None => {
            let _ = writeln!(out, "{} (every {} record)", event.id, kind.name);
        }
    }
    if plan.kinds.len() > 1 {
        let formats: Vec<&str> = kind.formats.iter().map(|format| format.name()).collect();
        let _ = writeln!(out, "  record kind: {} ({})", kind.name, formats.join(", "));
    }
    for (format, title) in &event.names {
        let _ = writeln!(out, "  written as: {title:?} in {}", format.name());
    }
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
        if !variant.severities.is_empty() {
            let _ = writeln!(out, "  also at:  {}", variant.severities.join(", "));
        }
        match variant.audit {
            Some(true) => {
                let _ = writeln!(
                    out,
                    "  audit:    AUDIT (security-auditable; must carry the mark)"
                );
            }
            Some(false) => {
                let _ = writeln!(out, "  audit:    not marked");
            }
            None => {}
        }
        if let Some(class) = &variant.class {
            let _ = writeln!(out, "  policy class: {class}");
        }
        for (index, message) in variant.messages.iter().enumerate() {
            let lead = if index == 0 { "message: " } else { "      or:" };
            let _ = writeln!(out, "  {lead} {}", message.display());
        }
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
            let glossary_names = spec
                .fields
                .get(&field.name)
                .map(|definition| &definition.names);
            let mut written: Vec<(&str, &str)> = field
                .names
                .iter()
                .map(|(format, name)| (format.name(), name.as_str()))
                .collect();
            for (format, name) in glossary_names.into_iter().flatten() {
                if !field.names.contains_key(format) {
                    written.push((format.name(), name.as_str()));
                }
            }
            for (format, name) in written {
                let _ = writeln!(
                    out,
                    "    {:<width$}            written {name:?} in {format}",
                    ""
                );
            }
            for (format, check) in &check.by_format {
                let _ = writeln!(
                    out,
                    "    {:<width$}            in {}: {}",
                    "",
                    format.name(),
                    check.describe()
                );
            }
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
        if let Some((pattern, check)) = &compiled.extra_fields {
            let _ = writeln!(
                out,
                "  other fields named /{}/ are accepted: {}",
                pattern.source(),
                check.describe()
            );
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

fn rules_text(spec: &logspec_spec::Spec) -> String {
    let mut out = String::new();
    if spec.rules.is_empty() {
        let _ = writeln!(out, "{} has no stream rules", spec.producer.name);
    }
    for (index, rule) in spec.rules.iter().enumerate() {
        if index > 0 {
            let _ = writeln!(out);
        }
        let _ = writeln!(out, "rule {}", rule.id);
        let _ = writeln!(out, "  {}", rule.description);
        if let Some(section) = &rule.section {
            let _ = writeln!(out, "  document section: {section}");
        }
        let _ = writeln!(
            out,
            "  key: {}",
            if rule.key.is_empty() {
                "none (one lifecycle for the whole stream)".to_owned()
            } else {
                rule.key.join(", ")
            }
        );
        for (name, param) in &rule.params {
            let _ = writeln!(
                out,
                "  parameter {name} ({}): {} (set with --param {name}=VALUE)",
                param_type(param.kind),
                param.description
            );
        }
        for participant in &rule.participants {
            let parts: Vec<String> = participant.key.iter().map(describe_part).collect();
            let _ = writeln!(
                out,
                "  {:<20} {}{}",
                participant.label,
                participant
                    .matches
                    .iter()
                    .map(|reference| match reference.as_str() {
                        logspec_spec::WILDCARD => "every other event",
                        other => other,
                    })
                    .collect::<Vec<_>>()
                    .join(", "),
                if parts.is_empty() {
                    String::new()
                } else {
                    format!(" keyed by {}", parts.join(", "))
                }
            );
            if let Some(condition) = &participant.require {
                let _ = writeln!(out, "  {:<20} requires {}", "", condition.source);
            }
        }
        match &rule.lifecycle {
            Some(lifecycle) => {
                let _ = writeln!(out, "  lifecycle (starts in {}):", lifecycle.start);
                for (name, state) in &lifecycle.states {
                    let moves: Vec<String> = state
                        .on
                        .iter()
                        .map(|(label, target)| format!("{label} → {target}"))
                        .collect();
                    let _ = writeln!(
                        out,
                        "    {name}{}: {}",
                        if state.accepting {
                            " (may end here)"
                        } else {
                            ""
                        },
                        if moves.is_empty() {
                            "nothing more".to_owned()
                        } else {
                            moves.join(", ")
                        }
                    );
                }
            }
            None => {
                let _ = writeln!(out, "  no lifecycle: records may come in any order");
            }
        }
        let agreed: Vec<String> = rule
            .agree
            .iter()
            .cloned()
            .chain(
                rule.agree_truncated
                    .iter()
                    .map(|(field, chars)| format!("{field} (first {chars} characters)")),
            )
            .collect();
        if !agreed.is_empty() {
            let _ = writeln!(out, "  records of one key agree on: {}", agreed.join(", "));
        }
        if let Some(scope) = &rule.scope {
            let _ = writeln!(
                out,
                "  unfinished keys judged only where their {scope} was seen on the awaited side"
            );
        }
        if let Some(fan_out) = &rule.fan_out {
            let side = |side: &logspec_spec::FanOutSide| describe_part(&side.key_part(false));
            let _ = writeln!(
                out,
                "  each {} names members in {}; each {} answers for one, named by {}: \
                 once per member, every member, none outside the list{}",
                fan_out.list.label,
                side(&fan_out.list),
                fan_out.member.label,
                side(&fan_out.member),
                if fan_out.list.part.is_some() || fan_out.member.part.is_some() {
                    " (hosts matched by name where names can be matched)"
                } else {
                    ""
                }
            );
        }
        if !rule.reset_on.is_empty() {
            let _ = writeln!(
                out,
                "  every lifecycle ends at: {}",
                rule.reset_on.join(", ")
            );
        }
    }
    out
}

fn param_type(kind: logspec_spec::ParamType) -> &'static str {
    match kind {
        logspec_spec::ParamType::Duration => "duration",
        logspec_spec::ParamType::Integer => "integer",
        logspec_spec::ParamType::Number => "number",
        logspec_spec::ParamType::String => "string",
    }
}

fn describe_part(part: &logspec_spec::KeyPart) -> String {
    let base = match (&part.field, part.envelope) {
        (Some(field), _) => field.clone(),
        (None, Some(logspec_spec::EnvelopeValue::Host)) => "the line's host".to_owned(),
        (None, Some(logspec_spec::EnvelopeValue::Tag)) => "the line's tag".to_owned(),
        (None, Some(logspec_spec::EnvelopeValue::Pid)) => "the line's process id".to_owned(),
        (None, Some(logspec_spec::EnvelopeValue::File)) => "the input's path".to_owned(),
        (None, None) => "?".to_owned(),
    };
    let base = match &part.capture {
        Some(capture) => format!("{base} matched by {}", capture.0.as_str()),
        None => base,
    };
    let base = match part.part {
        Some(logspec_spec::FieldPart::Host) => format!("host of {base}"),
        None => base,
    };
    if part.each {
        format!("each of {base}")
    } else {
        base
    }
}

/// One mermaid `stateDiagram-v2` per rule; final states point to `[*]`.
fn rules_mermaid(spec: &logspec_spec::Spec) -> String {
    let mut out = String::new();
    for (index, rule) in spec.rules.iter().enumerate() {
        if index > 0 {
            let _ = writeln!(out);
        }
        let _ = writeln!(out, "%% {}: {}", rule.id, rule.description);
        if let Some(fan_out) = &rule.fan_out {
            let _ = writeln!(
                out,
                "%% fan-out: each {} lists members; each {} answers for one, once",
                fan_out.list.label, fan_out.member.label
            );
        }
        let _ = writeln!(out, "stateDiagram-v2");
        let id = |name: &str| name.replace(|c: char| !c.is_ascii_alphanumeric(), "_");
        // A label with a condition carries it on every transition it takes.
        let edge = |label: &str| match rule
            .participants
            .iter()
            .find(|participant| participant.label == label)
            .and_then(|participant| participant.require.as_ref())
        {
            Some(condition) => format!("{label} [{}]", mermaid_text(&condition.source)),
            None => label.to_owned(),
        };
        match &rule.lifecycle {
            Some(lifecycle) => {
                let _ = writeln!(out, "    [*] --> {}", id(&lifecycle.start));
                for (name, state) in &lifecycle.states {
                    for (label, target) in &state.on {
                        let _ =
                            writeln!(out, "    {} --> {}: {}", id(name), id(target), edge(label));
                    }
                    if state.accepting {
                        let _ = writeln!(out, "    {} --> [*]", id(name));
                    }
                }
            }
            None => {
                let _ = writeln!(out, "    [*] --> any");
                for participant in &rule.participants {
                    let _ = writeln!(out, "    any --> any: {}", edge(&participant.label));
                }
                let _ = writeln!(out, "    any --> [*]");
            }
        }
    }
    out
}

/// Text mermaid shows as written inside a transition label: its own
/// delimiters (`:`, `;`, `#`, quotes) as entity codes.
fn mermaid_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            ':' => out.push_str("#58;"),
            ';' => out.push_str("#59;"),
            '#' => out.push_str("#35;"),
            '"' => out.push_str("#quot;"),
            c => out.push(c),
        }
    }
    out
}
