//! `logspec explain`: one event as the spec encodes it, for a person
//! writing an alert rule or fixing a finding; without an event, the list
//! of the spec's events.

use crate::options::SpecOption;
use crate::{spec_arg, suggest, CliError, Verdict};
use logspec_checker::Plan;
use std::fmt::Write as _;

#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    spec: SpecOption,
    /// The event id (the value of the spec's event key, e.g. ACTION);
    /// without one, the spec's events are listed
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
    let name = args.spec.name()?;
    let loaded = spec_arg::load(name)?;
    let spec = &loaded.spec;
    if args.rules {
        let text = match args.format {
            RulesFormat::Text => rules_text(spec),
            RulesFormat::Mermaid => rules_mermaid(spec),
        };
        crate::write_stdout(text.as_bytes())?;
        return Ok(Verdict::Pass);
    }
    let Some(wanted) = args.event else {
        crate::write_stdout(events_list(spec, name).as_bytes())?;
        return Ok(Verdict::Pass);
    };
    let plan = Plan::load(&loaded)?;
    let (Some(event), Some(event_index)) = (spec.event(&wanted), plan.event_index(&wanted)) else {
        return Err(unknown_event(spec, name, "", &wanted));
    };
    crate::write_stdout(explain(spec, &plan, event_index, event).as_bytes())?;
    Ok(Verdict::Pass)
}

/// The usage error for an event id `spec` does not document, with the
/// closest one it does; `spec_name` is the spec as the user named it,
/// `option` the option that named the event, if any.
pub fn unknown_event(
    spec: &logspec_spec::Spec,
    spec_name: &str,
    option: &str,
    wanted: &str,
) -> CliError {
    let ids = spec.events.iter().map(|event| event.id.as_str());
    let named = if option.is_empty() {
        String::new()
    } else {
        format!("{option}: ")
    };
    CliError::Usage(format!(
        "{named}{} documents no event {wanted:?}{} (`logspec explain --spec {spec_name}` lists them)",
        spec.producer.name,
        suggest::did_you_mean(wanted, ids)
    ))
}

/// Descriptions in the list are cut to this many characters.
const SHORT_DESCRIPTION: usize = 72;

/// Every event of `spec`, one per line: id, variants, the levels they are
/// logged at, and what the event is, in short.
fn events_list(spec: &logspec_spec::Spec, name: &str) -> String {
    let mut out = String::new();
    let events = &spec.events;
    let _ = writeln!(
        out,
        "{} documents {} (`logspec explain --spec {name} EVENT` shows one):",
        spec.producer.name,
        count(events.len(), "event")
    );
    let rows: Vec<[String; 4]> = events
        .iter()
        .map(|event| {
            let mut levels: Vec<&str> = Vec::new();
            for variant in &event.variants {
                let all = std::iter::once(variant.severity.as_str())
                    .chain(variant.severities.iter().map(String::as_str));
                for level in all {
                    if !levels.contains(&level) {
                        levels.push(level);
                    }
                }
            }
            let about = event.description.as_deref().unwrap_or(&event.section);
            [
                event.id.clone(),
                count(event.variants.len(), "variant"),
                levels.join(", "),
                shorten(about, SHORT_DESCRIPTION),
            ]
        })
        .collect();
    let width = |column: usize| {
        rows.iter()
            .map(|row| row[column].chars().count())
            .max()
            .unwrap_or(0)
    };
    let widths = [width(0), width(1), width(2)];
    for [id, variants, levels, about] in &rows {
        let _ = writeln!(
            out,
            "  {id:<w0$}  {variants:<w1$}  {levels:<w2$}  {about}",
            w0 = widths[0],
            w1 = widths[1],
            w2 = widths[2]
        );
    }
    out
}

fn count(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

/// `text`'s first line, cut at a word boundary to at most `max`
/// characters, with `…` where it was cut.
fn shorten(text: &str, max: usize) -> String {
    let line = text.lines().next().unwrap_or("").trim();
    if line.chars().count() <= max {
        return line.to_owned();
    }
    let cut: String = line.chars().take(max - 1).collect();
    let cut = match cut.rfind(' ') {
        Some(space) if space > max / 2 => &cut[..space],
        _ => cut.as_str(),
    };
    format!("{}…", cut.trim_end_matches([' ', ',', ';', ':']))
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
    for format in &kind.formats {
        if let Some(continuation) = format.continuation() {
            let _ = writeln!(out, "  after a record in {format}: {continuation}");
        }
    }
    if let Some(wire) = spec.kinds().nth(plan.events[event_index].kind) {
        for pattern in &wire.continuation_lines {
            let _ = writeln!(
                out,
                "  continued by lines matching /{}/ (part of the record before them)",
                pattern.source()
            );
        }
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
            if let Some(expected) = &check.expected {
                let _ = writeln!(
                    out,
                    "    {:<width$}            expected: {} (else a warning: {})",
                    "",
                    expected.check.describe(),
                    expected.reason
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
        for (name, window) in &rule.windows {
            let _ = writeln!(
                out,
                "  window {name}: {} (within.{name}.LABEL counts a key's earlier LABEL records \
                 in it; covered.{name}: the input reaches back over it)",
                describe_window(window)
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
        if !rule.scope.is_empty() {
            let _ = writeln!(
                out,
                "  unfinished keys judged only where the side they wait for was seen with \
                 their {}",
                rule.scope.join(" and their ")
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

/// A window's length as explain shows it: `10m`, `parameter probe_window
/// plus 2s`.
fn describe_window(window: &logspec_spec::Window) -> String {
    let length = match (&window.length, &window.param) {
        (Some(length), _) => length.clone(),
        (None, Some(param)) => format!("parameter {param}"),
        (None, None) => "?".to_owned(),
    };
    match window.margin.as_deref() {
        Some(margin) => match margin.strip_prefix('-') {
            Some(less) => format!("{length} minus {less}"),
            None => format!("{length} plus {margin}"),
        },
        None => length,
    }
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
    let base = match (&part.field, part.envelope, &part.from) {
        (Some(field), _, Some(from)) => format!(
            "{field} of the latest {} with {}",
            from.label,
            from.on
                .iter()
                .map(|(earlier, here)| if earlier == here {
                    format!("the same {here}")
                } else {
                    format!("{earlier} = this line's {here}")
                })
                .collect::<Vec<_>>()
                .join(" and ")
        ),
        (Some(field), _, None) => field.clone(),
        (None, Some(logspec_spec::EnvelopeValue::Host), _) => "the line's host".to_owned(),
        (None, Some(logspec_spec::EnvelopeValue::Tag), _) => "the line's tag".to_owned(),
        (None, Some(logspec_spec::EnvelopeValue::Pid), _) => "the line's process id".to_owned(),
        (None, Some(logspec_spec::EnvelopeValue::File), _) => "the input's path".to_owned(),
        (None, None, _) => "?".to_owned(),
    };
    // In the order the engine shapes a value: element, capture, split, host.
    let mut text = if part.each {
        format!("each element of {base}")
    } else {
        base
    };
    if let Some(capture) = &part.capture {
        text = format!("{text}, its group in /{}/", capture.0.as_str());
    }
    if let Some(split) = &part.split {
        let side = match split.side {
            logspec_spec::Side::Left => "left",
            logspec_spec::Side::Right => "right",
        };
        text = format!("{text}, the part {side} of its last {:?}", split.at);
    }
    let text = match part.part {
        Some(logspec_spec::FieldPart::Host) => format!("host of {text}"),
        None => text,
    };
    // Parts are listed with commas between them.
    if text.contains(", ") {
        format!("({text})")
    } else {
        text
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
        for participant in &rule.participants {
            for part in participant.key.iter().filter(|part| part.from.is_some()) {
                let _ = writeln!(
                    out,
                    "%% {} is keyed by {}",
                    participant.label,
                    describe_part(part)
                );
            }
        }
        if !rule.scope.is_empty() {
            let _ = writeln!(
                out,
                "%% scope: unfinished keys judged only where the awaited side showed their {}",
                rule.scope.join(" and their ")
            );
        }
        for (name, window) in &rule.windows {
            let _ = writeln!(
                out,
                "%% window {name}: {} (within.{name}.LABEL, covered.{name})",
                describe_window(window)
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_descriptions_are_cut_at_a_word() {
        assert_eq!(shorten("A user logged in.", 72), "A user logged in.");
        assert_eq!(shorten("first line\nsecond", 72), "first line");
        assert_eq!(
            shorten("one two three four five six seven", 20),
            "one two three four…"
        );
        let long = "x".repeat(100);
        assert_eq!(shorten(&long, 10).chars().count(), 10);
    }

    #[test]
    fn key_parts_are_described_in_the_order_values_are_shaped() {
        let part = |json: &str| -> logspec_spec::KeyPart {
            serde_json::from_str(json).unwrap_or_else(|error| panic!("{json}: {error}"))
        };
        assert_eq!(describe_part(&part(r#"{"field":"REQID"}"#)), "REQID");
        assert_eq!(
            describe_part(&part(r#"{"field":"HOSTS","each":true,"part":"host"}"#)),
            "host of each element of HOSTS"
        );
        assert_eq!(
            describe_part(&part(
                r#"{"field":"CONFLICTS","each":true,"split":{"at":":","side":"left"},"part":"host"}"#
            )),
            "(host of each element of CONFLICTS, the part left of its last \":\")"
        );
    }

    #[test]
    fn counts_agree_with_their_noun() {
        assert_eq!(count(1, "variant"), "1 variant");
        assert_eq!(count(3, "variant"), "3 variants");
        assert_eq!(count(0, "event"), "0 events");
    }
}
