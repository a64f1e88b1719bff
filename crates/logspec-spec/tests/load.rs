//! Loading: a valid spec loads; every kind of mistake is reported with the
//! file, line and column it sits at, and says what is wrong.

use logspec_spec::{load_str, LoadError, SpecProblem};

const MINIMAL: &str = r#"logspec: 1
producer:
  name: demo
  summary: A demo producer.
document:
  title: Demo logging reference
wire:
  envelopes: [rfc3164, bare]
  payload: key-value
  event_key: EVENT
severity:
  facility: daemon
  levels:
    - {name: INFO, syslog: 6}
emitters:
  - name: app
    tags: [{tag: demo, source: Overview}]
fields:
  EVENT:
    type: string
    description: Event name.
  PORT:
    type: integer
    min: 1
    max: 65535
    description: Listening port.
events:
  - id: start
    section: Events › start
    variants:
      - name: default
        severity: INFO
        emitters: [app]
        fields: [EVENT, PORT]
"#;

fn problems(text: &str) -> Vec<SpecProblem> {
    match load_str(text, "demo.yaml") {
        Ok(_) => panic!("expected the spec to be rejected:\n{text}"),
        Err(LoadError::Invalid { origin, problems }) => {
            assert_eq!(origin, "demo.yaml");
            problems
        }
        Err(error) => panic!("unexpected error kind: {error}"),
    }
}

fn only_problem(text: &str) -> (usize, usize, String) {
    let problems = problems(text);
    assert_eq!(problems.len(), 1, "{problems:#?}");
    let problem = &problems[0];
    (
        problem.location.line,
        problem.location.column,
        problem.message.clone(),
    )
}

#[test]
fn minimal_spec_loads() {
    let loaded = match load_str(MINIMAL, "demo.yaml") {
        Ok(loaded) => loaded,
        Err(error) => panic!("{error}"),
    };
    assert_eq!(loaded.spec.producer.name, "demo");
    assert_eq!(loaded.spec.events[0].variants[0].fields.len(), 2);
    assert_eq!(loaded.line_text(2), Some("producer:"));
}

#[test]
fn yaml_syntax_errors_are_located() {
    let text = MINIMAL.replace("  summary: A demo producer.", "  summary: [unclosed");
    let (line, _, message) = only_problem(&text);
    assert_eq!(message, "invalid YAML: illegal placement of ':' indicator");
    assert!((4..=5).contains(&line), "line {line}: {message}");
}

#[test]
fn yaml_error_messages_escape_control_characters() {
    let text = MINIMAL.replace("  summary: A demo producer.", "  summary: \"a\u{7}\x01");
    let (_, _, message) = only_problem(&text);
    assert_eq!(message, "invalid YAML: unexpected character: `\\u{7}'");
}

#[test]
fn unknown_keys_are_located_at_their_mapping() {
    let text = MINIMAL.replace(
        "  title: Demo logging reference",
        "  title: Demo logging reference\n  autor: me",
    );
    let (line, column, message) = only_problem(&text);
    assert_eq!((line, column), (5, 1));
    assert!(message.contains("autor"), "{message}");
}

#[test]
fn wrong_types_point_at_the_value() {
    let text = MINIMAL.replace(
        "    - {name: INFO, syslog: 6}",
        "    - {name: INFO, syslog: 9}",
    );
    let (line, column, message) = only_problem(&text);
    assert_eq!((line, column), (14, 28));
    assert!(message.contains('9'), "{message}");
}

#[test]
fn unquoted_yes_is_rejected_with_a_hint() {
    let text = MINIMAL.replace(
        "    type: string\n    description: Event name.",
        "    type: enum\n    values: [yes, no]\n    description: Event name.",
    );
    // serde-saphyr follows YAML 1.1 here and reads them as booleans: the
    // schema must reject them at the value and say why.
    let problems = problems(&text);
    assert_eq!(problems.len(), 2, "{problems:#?}");
    assert_eq!(problems[0].location.line, 21);
    assert!(
        problems[0].message.contains("quote the value"),
        "{}",
        problems[0].message
    );
}

/// A condition naming a field the glossary lacks is placed at that name
/// inside the condition, on its line, not at the condition's start.
#[test]
fn a_condition_problem_points_inside_the_condition() {
    let rule = "rules:\n  - id: one-start\n    description: One start per port.\n    key: [PORT]\n    participants:\n      - label: start\n        match: [start]\n        key: [{field: PORT}]\n        require: \"record.PORT > 0 && record.NOPE == 'x'\"\n";
    let text = format!("{MINIMAL}{rule}");
    let (line, column, message) = only_problem(&text);
    let require_line = text
        .lines()
        .position(|line| line.contains("require:"))
        .map(|at| at + 1);
    assert_eq!(Some(line), require_line, "{message}");
    let quoted = text.lines().nth(line - 1).unwrap_or_default();
    let name_at = quoted.find("record.NOPE").map(|at| at + 1);
    assert_eq!(Some(column), name_at, "{message}");
    assert!(message.contains("NOPE"), "{message}");
}

/// A message pattern that does not compile says so, at its line, rather
/// than that the message matches none of the forms a message may take.
#[test]
fn a_bad_message_pattern_says_why() {
    let text = MINIMAL.replace(
        "        fields: [EVENT, PORT]\n",
        "        fields: [EVENT, PORT]\n        messages: [started, {pattern: \"([0-9]\"}]\n",
    );
    let (line, column, message) = only_problem(&text);
    assert_eq!((line, column), (35, 29));
    assert!(message.contains("invalid regular expression"), "{message}");
    assert!(message.contains("unclosed group"), "{message}");
    let fine = MINIMAL.replace(
        "        fields: [EVENT, PORT]\n",
        "        fields: [EVENT, PORT]\n        messages: [started, {pattern: \"up on [0-9]+\"}, {any: true}]\n",
    );
    assert!(load_str(&fine, "demo.yaml").is_ok());
}

#[test]
fn bad_regular_expressions_are_located() {
    let text = MINIMAL.replace(
        "fields: [EVENT, PORT]",
        "fields: [EVENT, {name: PORT, pattern: \"[0-9\"}]",
    );
    let (line, _, message) = only_problem(&text);
    assert_eq!(line, 34);
    assert!(message.contains("invalid regular expression"), "{message}");
}

#[test]
fn references_must_resolve() {
    let text = MINIMAL
        .replace("        severity: INFO", "        severity: NOTICE")
        .replace("        emitters: [app]", "        emitters: [worker]")
        .replace("fields: [EVENT, PORT]", "fields: [EVENT, PORT, HOST]");
    let problems = problems(&text);
    let messages: Vec<(usize, &str)> = problems
        .iter()
        .map(|problem| (problem.location.line, problem.message.as_str()))
        .collect();
    assert_eq!(messages.len(), 3, "{messages:#?}");
    assert!(messages
        .iter()
        .any(|(line, m)| *line == 32 && m.contains("NOTICE")));
    assert!(messages
        .iter()
        .any(|(line, m)| *line == 33 && m.contains("worker")));
    assert!(messages
        .iter()
        .any(|(line, m)| *line == 34 && m.contains("HOST")));
}

#[test]
fn duplicate_events_and_missing_event_key() {
    let duplicated = format!(
        "{MINIMAL}  - id: start\n    section: again\n    variants:\n      - name: default\n        severity: INFO\n        fields: [EVENT]\n"
    );
    let (line, _, message) = only_problem(&duplicated);
    assert_eq!(line, 35);
    assert!(message.contains("defined twice"), "{message}");

    let keyless = MINIMAL.replace("fields: [EVENT, PORT]", "fields: [PORT]");
    let (_, _, message) = only_problem(&keyless);
    assert!(message.contains("event key"), "{message}");
}

#[test]
fn summary_items_must_resolve() {
    let text = format!(
        "{MINIMAL}summary_tables:\n  - title: Levels\n    kind: severity\n    rows:\n      - severity: INFO\n        items: [start, stop]\n"
    );
    let (line, _, message) = only_problem(&text);
    assert_eq!(line, 40);
    assert!(message.contains("stop"), "{message}");
}

#[test]
fn errors_render_as_file_line_column() {
    let text = MINIMAL.replace(
        "    - {name: INFO, syslog: 6}",
        "    - {name: INFO, syslog: 9}",
    );
    let rendered = match load_str(&text, "demo.yaml") {
        Err(error) => error.to_string(),
        Ok(_) => panic!("should fail"),
    };
    assert!(rendered.starts_with("demo.yaml:14:28: "), "{rendered}");
}

/// MINIMAL with a second record kind whose records have no event key.
fn with_kinds(kinds: &str, extra_events: &str) -> String {
    MINIMAL.replace(
        "severity:\n  facility",
        &format!("{kinds}severity:\n  facility"),
    ) + extra_events
}

const PROCESS_KIND: &str = "records:\n  - name: process\n    envelopes: [logback]\n    event: line\n    level: {field: LEVEL}\n";
const LINE_EVENT: &str = "  - id: line\n    record: process\n    section: Process\n    variants:\n      - {name: default, severity: INFO, fields: [PORT]}\n";

#[test]
fn record_kinds_load_and_name_their_events() {
    let text = with_kinds(PROCESS_KIND, LINE_EVENT).replace(
        "fields:\n  EVENT:",
        "fields:\n  LEVEL: {type: string, description: Level.}\n  EVENT:",
    );
    let loaded = match load_str(&text, "demo.yaml") {
        Ok(loaded) => loaded,
        Err(error) => panic!("{error}"),
    };
    let spec = &loaded.spec;
    assert_eq!(spec.kinds().count(), 2);
    assert_eq!(spec.kind_index("process"), Some(1));
    assert_eq!(spec.event_kind(&spec.events[1]), Some(1));
    assert_eq!(spec.event_kind(&spec.events[0]), Some(0));
}

#[test]
fn record_kind_references_must_resolve() {
    let level = "fields:\n  LEVEL: {type: string, description: Level.}\n  EVENT:";
    // The level field is not in the glossary.
    let (_, _, message) = only_problem(&with_kinds(PROCESS_KIND, LINE_EVENT));
    assert!(
        message.contains("level field `LEVEL` is not in `fields`"),
        "{message}"
    );
    // An event naming a kind that does not exist.
    let text = with_kinds(
        PROCESS_KIND,
        &LINE_EVENT.replace("record: process", "record: procss"),
    )
    .replace("fields:\n  EVENT:", level);
    let found = problems(&text);
    assert!(
        found.iter().any(|p| p
            .message
            .contains("names record kind `procss`, which is not defined")),
        "{found:#?}"
    );
    // A constant event that belongs to another kind.
    let text = with_kinds(
        &PROCESS_KIND.replace("event: line", "event: start"),
        LINE_EVENT,
    )
    .replace("fields:\n  EVENT:", level);
    let (_, _, message) = only_problem(&text);
    assert!(
        message.contains("belongs to another record kind"),
        "{message}"
    );
    // Two kinds with one name.
    let text = with_kinds(
        &PROCESS_KIND.replace("name: process", "name: records"),
        &LINE_EVENT.replace("record: process", "record: records"),
    )
    .replace("fields:\n  EVENT:", level);
    let found = problems(&text);
    assert!(
        found
            .iter()
            .any(|p| p.message.contains("record kind `records` is defined twice")),
        "{found:#?}"
    );
    // A title for a format the event's kind does not use.
    let text = MINIMAL.replace(
        "    section: Events › start\n",
        "    section: Events › start\n    names: {rce-readable: Start}\n",
    );
    let (_, _, message) = only_problem(&text);
    assert!(
        message.contains("rce-readable is not one of the formats"),
        "{message}"
    );
    // A level the vocabulary lacks.
    let text = MINIMAL.replace(
        "severity: INFO\n",
        "severity: INFO\n        severities: [TRACE]\n",
    );
    let (_, _, message) = only_problem(&text);
    assert!(
        message.contains("severity `TRACE` is not one of the levels"),
        "{message}"
    );
    // A kind with neither an event key nor an event.
    let text = MINIMAL.replace("  event_key: EVENT\n", "");
    assert!(!problems(&text).is_empty());
}

#[test]
fn continuation_lines_compile_and_belong_to_a_multi_line_layout() {
    let level = "fields:\n  LEVEL: {type: string, description: Level.}\n  EVENT:";
    let with_lines = |kind: &str, lines: &str| {
        with_kinds(
            &format!("{kind}    continuation_lines: [{lines}]\n"),
            LINE_EVENT,
        )
        .replace("fields:\n  EVENT:", level)
    };
    let loaded = match load_str(&with_lines(PROCESS_KIND, "'  \\| .*'"), "demo.yaml") {
        Ok(loaded) => loaded,
        Err(error) => panic!("{error}"),
    };
    let process = loaded.spec.kinds().nth(1).expect("the process kind");
    assert_eq!(process.continuation_lines.len(), 1);
    assert!(process.continuation_lines[0].is_match("  | detail"));
    assert!(!process.continuation_lines[0].is_match("x  | detail"));

    // A pattern that does not compile is a load error on its line.
    let text = with_lines(PROCESS_KIND, "'(unclosed'");
    let (line, _, message) = only_problem(&text);
    let declared_at = text
        .lines()
        .position(|line| line.contains("continuation_lines"))
        .expect("the declaration");
    assert_eq!(line, declared_at + 1, "{message}");
    assert!(message.contains("invalid regular expression"), "{message}");

    // A format whose records are single lines has nothing to continue.
    let (_, _, message) = only_problem(&with_lines(
        &PROCESS_KIND.replace("[logback]", "[json-lines]"),
        "'x'",
    ));
    assert!(
        message.contains("none of its formats (json-lines) continues a record"),
        "{message}"
    );
}

/// A participant's key takes `each` element of at most one list: two
/// would key one record under every pair of their elements. Parts taking
/// `each` of the same list read one element together.
#[test]
fn two_list_key_parts_are_refused() {
    let spec = MINIMAL.replace("  PORT:\n", "  HOSTS:\n    type: list\n    item: {type: string}\n    description: Hosts.\n  PEERS:\n    type: list\n    item: {type: string}\n    description: Peers.\n  PORT:\n")
        + r#"rules:
  - id: pairs
    description: Each host and peer once.
    section: Events › start
    key: [HOSTS, PEERS]
    participants:
      - label: start
        match: [start]
        key: [{field: HOSTS, each: true}, {field: PEERS, each: true}]
"#;
    let (line, _, message) = only_problem(&spec);
    assert!(
        message.contains("key parts take `each` element of two lists (HOSTS and PEERS)"),
        "{message}"
    );
    assert_eq!(
        spec.lines().nth(line - 1).map(str::trim_start),
        Some("key: [{field: HOSTS, each: true}, {field: PEERS, each: true}]"),
        "{message}"
    );
    // One list part is fine.
    let one = spec.replace("{field: PEERS, each: true}", "{field: PEERS}");
    assert!(load_str(&one, "demo.yaml").is_ok());
    // Two sides of one list's elements are one list.
    let sides = spec.replace(
        "{field: PEERS, each: true}",
        "{field: HOSTS, each: true, split: {at: ':', side: right}}",
    );
    assert!(load_str(&sides, "demo.yaml").is_ok());
    let unknown_side = sides.replace("side: right", "side: middle");
    let (_, _, message) = only_problem(&unknown_side);
    assert!(message.contains("middle"), "{message}");
}

/// The schema editors validate against names the same formats as the one
/// table the readers and the command line use.
#[test]
fn the_schema_lists_exactly_the_formats_there_are_readers_for() {
    let schema: serde_json::Value = match serde_json::from_str(logspec_spec::SCHEMA) {
        Ok(schema) => schema,
        Err(error) => panic!("{error}"),
    };
    let listed: Vec<&str> = schema["$defs"]["format"]["enum"]
        .as_array()
        .unwrap_or_else(|| panic!("no format enum in the schema"))
        .iter()
        .map(|name| name.as_str().unwrap_or_else(|| panic!("{name} is no name")))
        .collect();
    let table: Vec<&str> = logspec_spec::Envelope::ALL
        .iter()
        .map(|format| format.name())
        .collect();
    assert_eq!(listed, table);
}

/// A key packs its lifecycle state into 13 bits: a lifecycle of more than
/// 8,192 states is refused where it is written, not wrapped into another
/// state by the engine.
#[test]
fn a_lifecycle_of_more_states_than_a_key_can_name_is_refused() {
    let with_states = |count: usize| {
        let mut spec = MINIMAL.to_owned()
            + r#"rules:
  - id: many
    description: A long lifecycle.
    section: Events › start
    key: [PORT]
    participants:
      - {label: start, match: [start], key: [{field: PORT}]}
    lifecycle:
      start: s0
      states:
"#;
        for n in 0..count {
            spec.push_str(&format!("        s{n}: {{accepting: true}}\n"));
        }
        spec
    };
    assert!(load_str(&with_states(8192), "demo.yaml").is_ok());
    let spec = with_states(8193);
    let (line, _, message) = only_problem(&spec);
    assert!(message.contains("8192"), "{message}");
    assert_eq!(
        spec.lines().nth(line - 1).map(str::trim_start),
        Some("states:"),
        "{message}"
    );
}

/// Locating many nodes at once answers, in order and repeats included,
/// what locating each alone does: the node's own line, the entry a
/// generated event came from, the nearest ancestor the text has.
#[test]
fn locating_nodes_together_finds_what_locating_each_finds() {
    let text = format!(
        "{MINIMAL}sections:\n  - section: Catalogue › Pool\n    entries:\n      \
         - {{event: pool, level: INFO, message: backend added, fields: [PORT]}}\n      \
         - {{event: pool, level: INFO, message: backend gone}}\n"
    );
    let loaded = load_str(&text, "demo.yaml").unwrap_or_else(|error| panic!("{error}"));
    let line_of = |start: &str| {
        let at = text
            .lines()
            .position(|line| line.trim_start().starts_with(start));
        at.map_or(0, |at| at + 1)
    };
    let (added, gone) = (
        line_of("- {event: pool, level: INFO, message: backend added"),
        line_of("- {event: pool, level: INFO, message: backend gone"),
    );
    let cases = [
        ("/events/1/variants/1/fields/0", gone),
        ("", 1),
        ("/fields/PORT/max", line_of("max: 65535")),
        ("/events/1", added),
        (
            "/events/0/variants/0/fields/1",
            line_of("fields: [EVENT, PORT]"),
        ),
        ("/fields/absent/deeper", line_of("fields:")),
        ("/events/9", line_of("events:")),
        ("/fields/PORT/max", line_of("max: 65535")),
    ];
    let pointers: Vec<String> = cases
        .iter()
        .map(|(pointer, _)| pointer.to_string())
        .collect();
    let together = loaded.locate_all(&pointers);
    for ((pointer, line), at) in cases.iter().zip(&together) {
        assert_eq!(at.line, *line, "{pointer}");
        assert_eq!(*at, loaded.locate(pointer), "{pointer}");
    }
    assert_eq!(together.len(), cases.len());
}

/// A refusal the model makes itself (a condition that does not parse) is
/// located at its node, the text read again to find it; and data that is
/// not its text's (a broken promise of the caller of `load_parsed`) is
/// still refused, at the top of the text, with the same message.
#[test]
fn a_refusal_of_the_model_is_located_at_its_node() {
    let rule = "rules:\n  - id: one-start\n    description: One start per port.\n    key: [PORT]\n    participants:\n      - label: start\n        match: [start]\n        key: [{field: PORT}]\n        require: \"record.PORT >\"\n";
    let text = format!("{MINIMAL}{rule}");
    let (line, column, message) = only_problem(&text);
    let require_line = text.lines().position(|l| l.contains("require:"));
    assert_eq!(Some(line), require_line.map(|at| at + 1), "{message}");
    assert!(column > 1, "{message}");

    let data = logspec_spec::parse_yaml(&text).unwrap_or_default();
    match logspec_spec::load_parsed(MINIMAL, "demo.yaml", data) {
        Err(LoadError::Invalid { problems, .. }) => {
            assert_eq!(problems.len(), 1, "{problems:#?}");
            assert_eq!(problems[0].pointer, "");
            assert_eq!(
                (problems[0].location.line, problems[0].location.column),
                (1, 1)
            );
            assert_eq!(problems[0].message, message);
        }
        other => panic!("expected a refusal, got {other:?}"),
    }
}
