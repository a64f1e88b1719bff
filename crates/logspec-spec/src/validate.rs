//! Checks the schema cannot express: names must be unique and every
//! reference (field, severity, emitter, summary item) must resolve.

use crate::condition::{
    duration_seconds, margin_seconds, Condition, Name, FUNCTIONS, SOURCE_NAMES,
};
use crate::locate::pointer;
use crate::model::{ParamType, Spec, ValueKind, ValueSpec, WILDCARD};
use std::collections::HashSet;

/// A broken reference: the node it is in, and for a name inside an
/// expression, the scalar's text and the name's byte offset in it.
pub struct Problem {
    pub pointer: String,
    pub message: String,
    pub within: Option<(String, usize)>,
}

/// Broken references found so far.
#[derive(Default)]
struct Problems(Vec<Problem>);

impl Problems {
    fn add<S: AsRef<str>>(&mut self, segments: &[S], message: String) {
        self.0.push(Problem {
            pointer: pointer(segments),
            message,
            within: None,
        });
    }
}

/// Every broken reference in `spec`.
pub fn references(spec: &Spec) -> Vec<Problem> {
    let mut problems = Problems::default();
    let level_names: Vec<&str> = spec
        .severity
        .levels
        .iter()
        .map(|l| l.name.as_str())
        .collect();

    for index in duplicates(level_names.iter().copied()) {
        problems.add(
            &["severity", "levels", &index.to_string(), "name"],
            format!("severity level `{}` is defined twice", level_names[index]),
        );
    }
    for index in duplicates(spec.emitters.iter().map(|emitter| emitter.name.as_str())) {
        problems.add(
            &["emitters", &index.to_string(), "name"],
            format!("emitter `{}` is defined twice", spec.emitters[index].name),
        );
    }
    for index in duplicates(spec.events.iter().map(|event| event.id.as_str())) {
        problems.add(
            &["events", &index.to_string(), "id"],
            format!("event `{}` is defined twice", spec.events[index].id),
        );
    }
    for (name, definition) in &spec.fields {
        if let Some(message) = value_spec_problem(&definition.value) {
            problems.add(&["fields", name], format!("field `{name}`: {message}"));
        }
        for (format, value) in &definition.types {
            if let Some(message) = value_spec_problem(value) {
                problems.add(
                    &["fields", name, "types", format.name()],
                    format!("field `{name}` in {}: {message}", format.name()),
                );
            }
        }
    }
    kind_references(spec, &mut problems);

    for (event_index, event) in spec.events.iter().enumerate() {
        let at_event = event_index.to_string();
        let kind = spec
            .event_kind(event)
            .and_then(|index| spec.kinds().nth(index));
        if let (Some(record), None) = (&event.record, kind) {
            problems.add(
                &["events", &at_event, "record"],
                format!(
                    "event `{}` names record kind `{record}`, which is not defined",
                    event.id
                ),
            );
        }
        // No kind to hold the event to when it is undefined (reported above).
        let event_key = kind.map_or("", |kind| kind.event_key.as_str());
        for format in event.names.keys() {
            if let Some(kind) = kind.filter(|kind| !kind.envelopes.contains(format)) {
                problems.add(
                    &["events", &at_event, "names", format.name()],
                    format!(
                        "event `{}`: {} is not one of the formats of record kind `{}`",
                        event.id,
                        format.name(),
                        kind.kind_name()
                    ),
                );
            }
        }
        for index in duplicates(event.variants.iter().map(|variant| variant.name.as_str())) {
            problems.add(
                &["events", &at_event, "variants", &index.to_string(), "name"],
                format!(
                    "event `{}` has two variants named `{}`",
                    event.id, event.variants[index].name
                ),
            );
        }
        for (variant_index, variant) in event.variants.iter().enumerate() {
            let at_variant = variant_index.to_string();
            let base = ["events", at_event.as_str(), "variants", at_variant.as_str()];
            let at = |tail: &[&str]| -> Vec<String> {
                base.iter().chain(tail).map(|s| (*s).to_owned()).collect()
            };
            let mut add = |tail: &[&str], message: String| {
                let segments = at(tail);
                let segments: Vec<&str> = segments.iter().map(String::as_str).collect();
                problems.add(&segments, message);
            };
            if spec.severity.level(&variant.severity).is_none() {
                add(
                    &["severity"],
                    format!(
                        "severity `{}` is not one of the levels ({})",
                        variant.severity,
                        level_names.join(", ")
                    ),
                );
            }
            for (index, level) in variant.severities.iter().enumerate() {
                if spec.severity.level(level).is_none() {
                    add(
                        &["severities", &index.to_string()],
                        format!(
                            "severity `{level}` is not one of the levels ({})",
                            level_names.join(", ")
                        ),
                    );
                }
            }
            for (index, emitter) in variant.emitters.iter().enumerate() {
                if spec.emitter(emitter).is_none() {
                    add(
                        &["emitters", &index.to_string()],
                        format!("emitter `{emitter}` is not defined in `emitters`"),
                    );
                }
            }
            let mut listed = HashSet::new();
            for (index, field) in variant.fields.iter().enumerate() {
                let here = ["fields", &index.to_string()].map(str::to_owned);
                let here = [here[0].as_str(), here[1].as_str()];
                if !spec.fields.contains_key(&field.name) {
                    add(
                        &here,
                        format!("field `{}` is not in the glossary (`fields`)", field.name),
                    );
                }
                if !listed.insert(field.name.as_str()) {
                    add(&here, format!("field `{}` is listed twice", field.name));
                }
            }
            if !event_key.is_empty() && !event.by_message && !listed.contains(event_key) {
                add(
                    &["fields"],
                    format!("the event key `{event_key}` must be one of the variant's fields"),
                );
            }
            for (index, name) in variant.forbidden.iter().enumerate() {
                if listed.contains(name.as_str()) {
                    add(
                        &["forbidden", &index.to_string()],
                        format!("field `{name}` is both listed and forbidden"),
                    );
                }
            }
        }
    }

    for (table_index, table) in spec.summary_tables.iter().enumerate() {
        for (row_index, row) in table.rows.iter().enumerate() {
            let (at_table, at_row) = (table_index.to_string(), row_index.to_string());
            let base = ["summary_tables", at_table.as_str(), "rows", at_row.as_str()];
            if spec.severity.level(&row.severity).is_none() {
                problems.add(
                    &[&base[..], &["severity"]].concat(),
                    format!("severity `{}` is not one of the levels", row.severity),
                );
            }
            for (item_index, item) in row.items.iter().enumerate() {
                let at_item = item_index.to_string();
                for reference in &item.refers {
                    if spec.resolve(reference).is_none() {
                        problems.add(
                            &[&base[..], &["items", at_item.as_str()]].concat(),
                            format!(
                                "`{}` in table `{}` names no event or event/variant \
                                 (`{reference}`); map it with `refers`",
                                item.item, table.title
                            ),
                        );
                    }
                }
            }
        }
    }
    for (rule_index, rule) in spec.rules.iter().enumerate() {
        rule_references(spec, rule_index, rule, &mut problems);
    }
    problems.0
}

fn rule_references(spec: &Spec, index: usize, rule: &crate::model::Rule, problems: &mut Problems) {
    let at_rule = index.to_string();
    let within = std::cell::RefCell::new(Vec::new());
    let mut add = |tail: &[&str], message: String| {
        let mut segments = vec!["rules", at_rule.as_str()];
        segments.extend_from_slice(tail);
        problems.add(&segments, format!("rule `{}`: {message}", rule.id));
    };
    let add_within = |tail: &[&str], scalar: String, offset: usize, message: String| {
        let mut segments = vec!["rules", at_rule.as_str()];
        segments.extend_from_slice(tail);
        within.borrow_mut().push(Problem {
            pointer: pointer(&segments),
            message: format!("rule `{}`: {message}", rule.id),
            within: Some((scalar, offset)),
        });
    };
    let labels: Vec<&str> = rule.participants.iter().map(|p| p.label.as_str()).collect();
    for index in duplicates(labels.iter().copied()) {
        add(
            &["participants", &index.to_string(), "label"],
            format!("label `{}` is used twice", labels[index]),
        );
    }
    if let Some(lifecycle) = &rule.lifecycle {
        let states = &lifecycle.states;
        if !states.contains_key(&lifecycle.start) {
            add(
                &["lifecycle", "start"],
                format!("start state `{}` is not among the states", lifecycle.start),
            );
        }
        for (state_name, state) in states {
            for (label, target) in &state.on {
                if !labels.contains(&label.as_str()) {
                    add(
                        &["lifecycle", "states", state_name, "on", label],
                        format!(
                            "`{label}` is not a participant label ({})",
                            labels.join(", ")
                        ),
                    );
                }
                if !states.contains_key(target) {
                    add(
                        &["lifecycle", "states", state_name, "on", label],
                        format!("state `{target}` does not exist"),
                    );
                }
            }
        }
    }
    let wildcards = rule
        .participants
        .iter()
        .filter(|participant| participant.matches.iter().any(|m| m == WILDCARD))
        .count();
    if wildcards > 1 {
        add(
            &["participants"],
            "only one participant may match `*` (every other event)".to_owned(),
        );
    }
    for (participant_index, participant) in rule.participants.iter().enumerate() {
        let at = participant_index.to_string();
        for (match_index, reference) in participant.matches.iter().enumerate() {
            if reference != WILDCARD && spec.resolve(reference).is_none() {
                add(
                    &["participants", &at, "match", &match_index.to_string()],
                    format!("`{reference}` names no event or event/variant"),
                );
            }
        }
        if participant.key.len() != rule.key.len() {
            add(
                &["participants", &at, "key"],
                format!(
                    "{} key parts, but the rule's key has {} ({})",
                    participant.key.len(),
                    rule.key.len(),
                    rule.key.join(", ")
                ),
            );
        }
        // Parts taking `each` of one list read the same element; two lists
        // would give a record as many keys as the product of their
        // lengths, which input controls.
        let listed: Vec<(usize, &str)> = participant
            .key
            .iter()
            .enumerate()
            .filter(|(_, part)| part.each)
            .filter_map(|(index, part)| Some((index, part.field.as_deref()?)))
            .collect();
        if let Some((second, field)) = listed
            .iter()
            .find(|(_, field)| Some(field) != listed.first().map(|(_, first)| first))
        {
            add(
                &["participants", &at, "key", &second.to_string()],
                format!(
                    "key parts take `each` element of two lists ({} and {field}): a record \
                     would be keyed under every combination of their elements; parts taking \
                     `each` must read one list",
                    listed[0].1
                ),
            );
        }
        for (part_index, part) in participant.key.iter().enumerate() {
            let at_part = part_index.to_string();
            if let Some(field) = &part.field {
                if !spec.fields.contains_key(field) {
                    add(
                        &["participants", &at, "key", &at_part],
                        format!("key field `{field}` is not in the glossary"),
                    );
                }
            }
            if let Some(from) = &part.from {
                if !labels.contains(&from.label.as_str()) {
                    add(
                        &["participants", &at, "key", &at_part, "from", "label"],
                        format!(
                            "`{}` is not a participant label ({})",
                            from.label,
                            labels.join(", ")
                        ),
                    );
                }
                for (earlier, here) in &from.on {
                    for field in [earlier, here] {
                        if !spec.fields.contains_key(field) {
                            add(
                                &["participants", &at, "key", &at_part, "from", "on", earlier],
                                format!("join field `{field}` is not in the glossary"),
                            );
                        }
                    }
                }
            }
        }
        if let Some(condition) = &participant.require {
            for (offset, message) in condition_problems(spec, rule, participant, condition) {
                add_within(
                    &["participants", &at, "require"],
                    condition.source.clone(),
                    offset,
                    format!("in `{}`: {message}", condition.source),
                );
            }
        }
    }
    for (agree_index, field) in rule.agree.iter().enumerate() {
        if !spec.fields.contains_key(field) {
            add(
                &["agree", &agree_index.to_string()],
                format!("field `{field}` is not in the glossary"),
            );
        }
    }
    for field in rule.agree_truncated.keys() {
        if !spec.fields.contains_key(field) {
            add(
                &["agree_truncated", field],
                format!("field `{field}` is not in the glossary"),
            );
        }
    }
    for (name, window) in &rule.windows {
        for problem in window_problems(rule, window) {
            add(&["windows", name], problem);
        }
    }
    for (scope_index, scope) in rule.scope.iter().enumerate() {
        let at_scope = scope_index.to_string();
        if !rule.key.contains(scope) {
            add(
                &["scope", &at_scope],
                format!(
                    "`{scope}` is not a part of the key ({})",
                    rule.key.join(", ")
                ),
            );
        } else if rule.scope[..scope_index].contains(scope) {
            add(&["scope", &at_scope], format!("`{scope}` is named twice"));
        }
    }
    for (reset_index, event) in rule.reset_on.iter().enumerate() {
        if spec.resolve(event).is_none() {
            add(
                &["reset_on", &reset_index.to_string()],
                format!("`{event}` names no event"),
            );
        }
    }
    if let Some(fan_out) = &rule.fan_out {
        for (side, name) in [(&fan_out.list, "list"), (&fan_out.member, "member")] {
            if !labels.contains(&side.label.as_str()) {
                add(
                    &["fan_out", name, "label"],
                    format!(
                        "`{}` is not a participant label ({})",
                        side.label,
                        labels.join(", ")
                    ),
                );
            }
            if let Some(field) = &side.field {
                match spec.fields.get(field) {
                    None => add(
                        &["fan_out", name, "field"],
                        format!("field `{field}` is not in the glossary"),
                    ),
                    Some(definition)
                        if name == "list" && definition.value.kind != ValueKind::List =>
                    {
                        add(
                            &["fan_out", name, "field"],
                            format!(
                                "field `{field}` is a {}, not a list",
                                definition.value.kind.name()
                            ),
                        )
                    }
                    Some(_) => {}
                }
            }
        }
    }
    problems.0.extend(within.into_inner());
}

/// Fields a participant's records may carry: its variants' and the glossary.
fn participant_fields<'s>(
    spec: &'s Spec,
    participant: &crate::model::Participant,
) -> HashSet<&'s str> {
    let mut fields: HashSet<&str> = spec.fields.keys().map(String::as_str).collect();
    for reference in &participant.matches {
        if reference == WILDCARD {
            for event in &spec.events {
                for variant in &event.variants {
                    fields.extend(variant.fields.iter().map(|field| field.name.as_str()));
                }
            }
            continue;
        }
        for (event, variant) in spec.resolve(reference).unwrap_or_default() {
            let variant = &spec.events[event].variants[variant];
            fields.extend(variant.fields.iter().map(|field| field.name.as_str()));
        }
    }
    fields
}

/// What is wrong with a window's length and margin.
fn window_problems(rule: &crate::model::Rule, window: &crate::model::Window) -> Vec<String> {
    let mut problems = Vec::new();
    match (&window.length, &window.param) {
        (Some(_), Some(_)) | (None, None) => problems.push(
            "a window gives its length either as `length` (10m) or as `param` (a duration \
             parameter of the rule), one of the two"
                .to_owned(),
        ),
        (Some(length), None) if duration_seconds(length).is_none() => problems.push(format!(
            "length `{length}` is not a duration such as 90s, 10m, 1.5h, 2d or 250ms"
        )),
        (None, Some(param)) => match rule.params.get(param) {
            None => problems.push(format!(
                "parameter `{param}` is not declared in the rule's `params`"
            )),
            Some(declared) if declared.kind != ParamType::Duration => {
                problems.push(format!("parameter `{param}` is not a duration"))
            }
            Some(_) => {}
        },
        (Some(_), None) => {}
    }
    if let Some(margin) = &window.margin {
        match (
            margin_seconds(margin),
            window.length.as_deref().and_then(duration_seconds),
        ) {
            (None, _) => problems.push(format!(
                "margin `{margin}` is not a duration such as 2s or -1s"
            )),
            (Some(margin_seconds), Some(length)) if length + margin_seconds < 0.0 => problems.push(
                format!("margin `{margin}` makes the window shorter than nothing"),
            ),
            _ => {}
        }
    }
    problems
}

/// Names in a condition that do not resolve, at their byte offsets.
fn condition_problems(
    spec: &Spec,
    rule: &crate::model::Rule,
    participant: &crate::model::Participant,
    condition: &Condition,
) -> Vec<(usize, String)> {
    let mut problems = Vec::new();
    let labels: Vec<&str> = rule.participants.iter().map(|p| p.label.as_str()).collect();
    let label = |name: &str| {
        (!labels.contains(&name)).then(|| {
            format!(
                "`{name}` is not a participant label of the rule ({})",
                labels.join(", ")
            )
        })
    };
    let window_declared = |name: &str| {
        (!rule.windows.contains_key(name)).then(|| {
            format!(
                "`{name}` is not a window of the rule's `windows` ({})",
                rule.windows.keys().cloned().collect::<Vec<_>>().join(", ")
            )
        })
    };
    for used in &condition.uses {
        let problem = match &used.name {
            None => Some(format!(
                "`{}` does not resolve: a name is record.FIELD, earlier.LABEL.FIELD, \
                 since.LABEL, count.LABEL, within.WINDOW.LABEL, covered.WINDOW, \
                 state.STATE, source.ITEM, params.NAME or key.PART \
                 (a field or label with `-` or `.` in it is written record['a.b'])",
                used.written
            )),
            Some(Name::Record(field)) => {
                (!participant_fields(spec, participant).contains(field.as_str())).then(|| {
                    format!(
                        "`{field}` is not a field of {} nor of the glossary",
                        participant.matches.join(", ")
                    )
                })
            }
            Some(Name::Earlier(name, field)) => label(name).or_else(|| {
                let field = field.as_ref()?;
                let other = rule.participants.iter().find(|p| &p.label == name)?;
                (!participant_fields(spec, other).contains(field.as_str())).then(|| {
                    format!(
                        "`{field}` is not a field of {} ({name}) nor of the glossary",
                        other.matches.join(", ")
                    )
                })
            }),
            Some(Name::Since(name) | Name::Count(name) | Name::Span(name)) => label(name),
            Some(Name::Within(window, name)) => window_declared(window).or_else(|| label(name)),
            Some(Name::Covered(window)) => window_declared(window),
            Some(Name::State(state)) => match &rule.lifecycle {
                Some(lifecycle) => (!lifecycle.states.contains_key(state)).then(|| {
                    format!(
                        "`{state}` is not a state of the rule's lifecycle ({})",
                        lifecycle
                            .states
                            .keys()
                            .cloned()
                            .collect::<Vec<_>>()
                            .join(", ")
                    )
                }),
                None => Some(format!(
                    "`state.{state}`: the rule has no lifecycle, so no states"
                )),
            },
            Some(Name::Source(item)) => (!SOURCE_NAMES.contains(&item.as_str())).then(|| {
                format!(
                    "`source.{item}` does not exist (source offers {})",
                    SOURCE_NAMES.join(", ")
                )
            }),
            Some(Name::Param(name)) => (!rule.params.contains_key(name))
                .then(|| format!("parameter `{name}` is not declared in the rule's `params`")),
            Some(Name::Key(part)) => (!rule.key.contains(part)).then(|| {
                format!(
                    "`{part}` is not a part of the rule's key ({})",
                    rule.key.join(", ")
                )
            }),
        };
        if let Some(problem) = problem {
            problems.push((used.offset, problem));
        }
    }
    for (function, offset) in &condition.unknown_functions {
        problems.push((
            *offset,
            format!(
                "`{function}` is not a function conditions offer ({})",
                FUNCTIONS.join(", ")
            ),
        ));
    }
    problems
}

/// Record kinds: unique names, and every field and event they name defined.
fn kind_references(spec: &Spec, problems: &mut Problems) {
    let names: Vec<&str> = spec.kinds().map(|kind| kind.kind_name()).collect();
    for index in duplicates(names.iter().copied()) {
        problems.add(
            &kind_pointer(index, &["name"]),
            format!("record kind `{}` is defined twice", names[index]),
        );
    }
    for (index, kind) in spec.kinds().enumerate() {
        let mut add = |tail: &[&str], message: String| {
            problems.add(&kind_pointer(index, tail), message);
        };
        if !kind.event_key.is_empty() && !spec.fields.contains_key(&kind.event_key) {
            add(
                &["event_key"],
                format!("event key `{}` is not in `fields`", kind.event_key),
            );
        }
        let console_only = kind
            .envelopes
            .iter()
            .all(|envelope| *envelope == crate::model::Envelope::PlainText);
        let by_message = spec
            .events
            .iter()
            .any(|event| event.by_message && spec.event_kind(event) == Some(index));
        if kind.event_key.is_empty() && kind.event.is_none() && !console_only && !by_message {
            add(
                &[],
                "a record kind needs `event_key` or `event` to tell which event a record is \
                 (only plain-text console kinds go without)"
                    .to_owned(),
            );
        }
        if let Some(event) = &kind.event {
            match spec.event(event) {
                None => add(
                    &["event"],
                    format!("event `{event}` is not defined in `events`"),
                ),
                Some(found) if spec.event_kind(found) != Some(index) => add(
                    &["event"],
                    format!(
                        "event `{event}` belongs to another record kind; give it `record: {}`",
                        kind.kind_name()
                    ),
                ),
                Some(_) => {}
            }
        }
        for (at, pattern) in kind.paths.iter().enumerate() {
            if crate::model::path_segments(pattern).next().is_none() {
                add(
                    &["paths", &at.to_string()],
                    format!(
                        "path pattern `{pattern}` names no file or folder, only separators: \
                         it would match every input"
                    ),
                );
            }
        }
        // Only a multi-line layout has lines that continue a record.
        let multi_line = |envelope: &crate::model::Envelope| {
            envelope.framing() == logspec_reader::Framing::Continuation
        };
        if !kind.continuation_lines.is_empty() && !kind.envelopes.iter().any(multi_line) {
            add(
                &["continuation_lines"],
                format!(
                    "record kind `{}` has continuation lines, but none of its formats ({}) \
                     continues a record on the lines after it (only logback and \
                     pipe-separated do)",
                    kind.kind_name(),
                    kind.envelopes
                        .iter()
                        .map(|envelope| envelope.name())
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            );
        }
        let sources = [
            (
                "timestamp",
                kind.timestamp.as_ref().map(|source| &source.field),
            ),
            ("level", kind.level.as_ref().map(|source| &source.field)),
        ];
        for (what, field) in sources {
            if let Some(field) = field.filter(|field| !spec.fields.contains_key(*field)) {
                add(
                    &[what, "field"],
                    format!("{what} field `{field}` is not in `fields`"),
                );
            }
        }
    }
}

/// The pointer to record kind `index` ([`Spec::kinds`] order) or below it.
fn kind_pointer(index: usize, tail: &[&str]) -> Vec<String> {
    let mut segments = match index {
        0 => vec!["wire".to_owned()],
        _ => vec!["records".to_owned(), (index - 1).to_string()],
    };
    segments.extend(tail.iter().map(|segment| (*segment).to_owned()));
    segments
}

/// Indices of names that repeat an earlier one.
fn duplicates<'a>(names: impl Iterator<Item = &'a str>) -> Vec<usize> {
    let mut seen = HashSet::new();
    names
        .enumerate()
        .filter(|(_, name)| !seen.insert(*name))
        .map(|(index, _)| index)
        .collect()
}

fn value_spec_problem(value: &ValueSpec) -> Option<String> {
    if let (Some(min), Some(max)) = (value.min, value.max) {
        if min > max {
            return Some(format!("min {min} is greater than max {max}"));
        }
    }
    if let (Some(min), Some(max)) = (value.min_length, value.max_length) {
        if min > max {
            return Some(format!("min_length {min} is greater than max_length {max}"));
        }
    }
    if let Some(schema) = &value.schema {
        if let Err(error) = jsonschema::validator_for(schema) {
            return Some(format!("`schema` is not a valid JSON Schema: {error}"));
        }
    }
    match (value.kind, &value.item) {
        (ValueKind::List, Some(item)) => value_spec_problem(item),
        (ValueKind::List, None) => Some("a list needs `item`".to_owned()),
        _ => None,
    }
}
