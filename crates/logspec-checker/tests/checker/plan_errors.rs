//! No silent fallbacks: every name the plan follows (severity, emitter,
//! glossary field, schema, record kind, rule state (in a lifecycle or a
//! condition's `state.S`), label, event reference, key part, parameter)
//! must resolve. For each, a spec written with the miss is refused by the
//! loader at its line and column, and a spec that has it anyway (built or
//! changed in code, past the loader) is refused by `Plan::new` naming the
//! node, never compiled with a default in its place.

use logspec_checker::{Plan, PlanError};
use logspec_spec::condition::Name;
use logspec_spec::{load_str, LoadError, LoadedSpec, Spec};

const SPEC: &str = r#"logspec: 1
producer: {name: demo, summary: Demo.}
document: {title: Demo}
wire: {envelopes: [rfc3164], payload: key-value, event_key: EVENT}
records:
  - name: process
    envelopes: [logback]
    event: line
    level: {field: LEVEL}
severity: {levels: [{name: INFO, syslog: 6}]}
emitters: [{name: app, tags: [{tag: demo, source: here}]}]
fields:
  EVENT: {type: string, description: Event.}
  LEVEL: {type: string, description: Level.}
  REQ: {type: string, description: Request id.}
  HOSTS: {type: list, item: {type: hostname}, separator: ";", description: Hosts.}
  HOST: {type: hostname, description: Host.}
  STATUS: {type: enum, values: [ok, failed], description: Outcome.}
  CODE: {type: pattern, pattern: "[A-Z]+", description: Code.}
  DATA: {type: string, schema: {type: array}, description: Data.}
events:
  - {id: boot, section: s, variants: [{name: default, severity: INFO, fields: [EVENT]}]}
  - {id: request, section: s, variants: [{name: default, severity: INFO, emitters: [app], fields: [EVENT, REQ, HOSTS, DATA, CODE]}]}
  - {id: reply, section: s, variants: [{name: default, severity: INFO, fields: [EVENT, REQ, HOST, STATUS]}]}
  - {id: line, record: process, section: s, variants: [{name: default, severity: INFO, fields: [LEVEL]}]}
rules:
  - id: hosts-reply
    description: Each host a request names replies.
    key: [REQ]
    scope: REQ
    params:
      window: {type: duration, description: Reply window.}
    participants:
      - {label: request, match: [request], key: [{field: REQ}]}
      - label: reply
        match: [reply/default]
        key: [{field: RQ2}]
        require: "record.HOST in earlier.request.HOSTS && count.request >= 1 && key.REQ != '' && since.request <= params.window && state.open"
    lifecycle:
      start: new
      states:
        new: {on: {request: open}}
        open: {accepting: true, on: {reply: open}}
    fan_out:
      list: {label: request, field: HOSTS}
      member: {label: reply, field: HOST}
    reset_on: [boot]
"#;

/// The spec as written: `RQ2` stands for the reply's key field, so that
/// one text edit can break it alone.
fn text() -> String {
    SPEC.replace("RQ2", "REQ")
}

fn loaded(text: &str) -> Result<LoadedSpec, LoadError> {
    load_str(text, "demo.yaml")
}

/// One fallback the plan no longer takes: the text edit that makes the
/// loader refuse the spec and what it says, and the same miss made in the
/// model past the loader, with the node and message the plan names.
struct Case {
    edit: (&'static str, &'static str),
    loader_says: &'static str,
    break_model: fn(&mut Spec),
    pointer: &'static str,
    plan_says: &'static str,
}

fn require_uses(spec: &mut Spec) -> &mut Vec<logspec_spec::condition::Use> {
    &mut spec.rules[0].participants[1]
        .require
        .as_mut()
        .expect("the reply participant has a condition")
        .uses
}

fn rename_in_condition(spec: &mut Spec, rename: fn(&mut Name)) {
    for used in require_uses(spec) {
        if let Some(name) = &mut used.name {
            rename(name);
        }
    }
}

fn lifecycle(spec: &mut Spec) -> &mut logspec_spec::Lifecycle {
    spec.rules[0]
        .lifecycle
        .as_mut()
        .expect("the rule has a lifecycle")
}

const CASES: &[Case] = &[
    Case {
        edit: (
            "id: reply, section: s, variants: [{name: default, severity: INFO",
            "id: reply, section: s, variants: [{name: default, severity: LOUD",
        ),
        loader_says: "severity `LOUD` is not one of the levels",
        break_model: |spec| spec.events[2].variants[0].severity = "LOUD".to_owned(),
        pointer: "/events/2/variants/0/severity",
        plan_says: "severity `LOUD` is not one of the levels",
    },
    Case {
        edit: ("emitters: [app]", "emitters: [web]"),
        loader_says: "emitter `web` is not defined",
        break_model: |spec| spec.events[1].variants[0].emitters[0] = "web".to_owned(),
        pointer: "/events/1/variants/0/emitters/0",
        plan_says: "emitter `web` is not defined",
    },
    Case {
        edit: ("REQ, HOST, STATUS", "REQ, NOPE, STATUS"),
        loader_says: "field `NOPE` is not in the glossary",
        break_model: |spec| spec.events[2].variants[0].fields[2].name = "NOPE".to_owned(),
        pointer: "/events/2/variants/0/fields/2",
        plan_says: "field `NOPE` is not in the glossary",
    },
    Case {
        edit: ("schema: {type: array}", "schema: {type: arrays}"),
        loader_says: "not a valid JSON Schema",
        break_model: |spec| {
            spec.fields["DATA"].value.schema = Some(serde_json::json!({"type": "arrays"}));
        },
        pointer: "/fields/DATA",
        plan_says: "not a valid JSON Schema",
    },
    Case {
        edit: ("item: {type: hostname}, ", ""),
        loader_says: "\"item\" is a required property",
        break_model: |spec| spec.fields["HOSTS"].value.item = None,
        pointer: "/fields/HOSTS",
        plan_says: "a value of type list needs `item`",
    },
    Case {
        edit: ("values: [ok, failed], ", ""),
        loader_says: "\"values\" is a required property",
        break_model: |spec| spec.fields["STATUS"].value.values = None,
        pointer: "/fields/STATUS",
        plan_says: "needs `values`",
    },
    Case {
        edit: ("pattern: \"[A-Z]+\", ", ""),
        loader_says: "\"pattern\" is a required property",
        break_model: |spec| spec.fields["CODE"].value.pattern = None,
        pointer: "/fields/CODE",
        plan_says: "needs `pattern`",
    },
    Case {
        edit: ("record: process", "record: audit"),
        loader_says: "names record kind `audit`, which is not defined",
        break_model: |spec| spec.events[3].record = Some("audit".to_owned()),
        pointer: "/events/3/record",
        plan_says: "event `line` names record kind `audit`, which is not defined",
    },
    Case {
        edit: ("level: {field: LEVEL}", "level: {field: LEVELS}"),
        loader_says: "level field `LEVELS` is not in `fields`",
        break_model: |spec| {
            if let Some(level) = &mut spec.records[0].level {
                level.field = "LEVELS".to_owned();
            }
        },
        pointer: "/records/0/level/field",
        plan_says: "field `LEVELS` is not in the glossary",
    },
    Case {
        edit: ("event: line", "event: lines"),
        loader_says: "event `lines` is not defined in `events`",
        break_model: |spec| spec.records[0].event = Some("lines".to_owned()),
        pointer: "/records/0/event",
        plan_says: "event `lines` is not defined in `events`",
    },
    Case {
        edit: ("new: {on: {request: open}}", "new: {on: {request: opened}}"),
        loader_says: "state `opened` does not exist",
        break_model: |spec| lifecycle(spec).states["new"].on["request"] = "opened".to_owned(),
        pointer: "/rules/0/lifecycle/states/new/on/request",
        plan_says: "rule `hosts-reply`: state `opened` does not exist",
    },
    Case {
        edit: ("start: new", "start: fresh"),
        loader_says: "start state `fresh` is not among the states",
        break_model: |spec| lifecycle(spec).start = "fresh".to_owned(),
        pointer: "/rules/0/lifecycle/start",
        plan_says: "rule `hosts-reply`: state `fresh` does not exist",
    },
    Case {
        edit: ("on: {reply: open}", "on: {answer: open}"),
        loader_says: "`answer` is not a participant label",
        break_model: |spec| {
            let on = &mut lifecycle(spec).states["open"].on;
            on.shift_remove("reply");
            on.insert("answer".to_owned(), "open".to_owned());
        },
        pointer: "/rules/0/lifecycle/states/open/on/answer",
        plan_says: "rule `hosts-reply`: `answer` is not a participant label",
    },
    Case {
        edit: ("match: [reply/default]", "match: [reply/other]"),
        loader_says: "`reply/other` names no event or event/variant",
        break_model: |spec| {
            spec.rules[0].participants[1].matches[0] = "reply/other".to_owned();
        },
        pointer: "/rules/0/participants/1/match/0",
        plan_says: "rule `hosts-reply`: `reply/other` names no event or event/variant",
    },
    Case {
        edit: ("reset_on: [boot]", "reset_on: [reboot]"),
        loader_says: "`reboot` names no event",
        break_model: |spec| spec.rules[0].reset_on[0] = "reboot".to_owned(),
        pointer: "/rules/0/reset_on/0",
        plan_says: "rule `hosts-reply`: `reboot` names no event or event/variant",
    },
    Case {
        edit: ("earlier.request.HOSTS", "earlier.ask.HOSTS"),
        loader_says: "`ask` is not a participant label",
        break_model: |spec| {
            rename_in_condition(spec, |name| {
                if let Name::Earlier(label, _) = name {
                    *label = "ask".to_owned();
                }
            });
        },
        pointer: "/rules/0/participants/1/require",
        plan_says: "rule `hosts-reply`: `ask` is not a participant label",
    },
    Case {
        edit: ("count.request", "count.ask"),
        loader_says: "`ask` is not a participant label",
        break_model: |spec| {
            rename_in_condition(spec, |name| {
                if let Name::Count(label) = name {
                    *label = "ask".to_owned();
                }
            });
        },
        pointer: "/rules/0/participants/1/require",
        plan_says: "rule `hosts-reply`: `ask` is not a participant label",
    },
    Case {
        edit: ("key.REQ", "key.ID"),
        loader_says: "`ID` is not a part of the rule's key",
        break_model: |spec| {
            rename_in_condition(spec, |name| {
                if let Name::Key(part) = name {
                    *part = "ID".to_owned();
                }
            });
        },
        pointer: "/rules/0/participants/1/require",
        plan_says: "rule `hosts-reply`: `ID` is not a part of the key",
    },
    Case {
        edit: ("params.window", "params.delay"),
        loader_says: "parameter `delay` is not declared",
        break_model: |spec| {
            rename_in_condition(spec, |name| {
                if let Name::Param(param) = name {
                    *param = "delay".to_owned();
                }
            });
        },
        pointer: "/rules/0/participants/1/require",
        plan_says: "rule `hosts-reply`: parameter `delay` is not declared",
    },
    Case {
        edit: ("count.request >= 1", "counts.request >= 1"),
        loader_says: "`counts.request` does not resolve",
        break_model: |spec| {
            for used in require_uses(spec) {
                if matches!(used.name, Some(Name::Count(_))) {
                    used.name = None;
                    used.written = "counts.request".to_owned();
                }
            }
        },
        pointer: "/rules/0/participants/1/require",
        plan_says: "rule `hosts-reply`: `counts.request` in a condition does not resolve",
    },
    Case {
        edit: ("&& state.open", "&& state.opened"),
        loader_says: "`opened` is not a state of the rule's lifecycle",
        break_model: |spec| {
            rename_in_condition(spec, |name| {
                if let Name::State(state) = name {
                    *state = "opened".to_owned();
                }
            });
        },
        pointer: "/rules/0/participants/1/require",
        plan_says: "rule `hosts-reply`: state `opened` does not exist",
    },
    Case {
        edit: (
            "    lifecycle:\n      start: new\n      states:\n        new: {on: {request: open}}\n        open: {accepting: true, on: {reply: open}}\n",
            "",
        ),
        loader_says: "`state.open`: the rule has no lifecycle, so no states",
        break_model: |spec| spec.rules[0].lifecycle = None,
        pointer: "/rules/0/participants/1/require",
        plan_says: "rule `hosts-reply`: state `open` does not exist",
    },
    Case {
        edit: ("list: {label: request", "list: {label: ask"),
        loader_says: "`ask` is not a participant label",
        break_model: |spec| {
            if let Some(fan_out) = &mut spec.rules[0].fan_out {
                fan_out.list.label = "ask".to_owned();
            }
        },
        pointer: "/rules/0/fan_out/list/label",
        plan_says: "rule `hosts-reply`: `ask` is not a participant label",
    },
    Case {
        edit: ("field: HOST}", "field: HOSTNAME}"),
        loader_says: "field `HOSTNAME` is not in the glossary",
        break_model: |spec| {
            if let Some(fan_out) = &mut spec.rules[0].fan_out {
                fan_out.member.field = Some("HOSTNAME".to_owned());
            }
        },
        pointer: "/rules/0/fan_out/member/field",
        plan_says: "field `HOSTNAME` is not in the glossary",
    },
    Case {
        edit: ("scope: REQ", "scope: ID"),
        loader_says: "`ID` is not a part of the key",
        break_model: |spec| spec.rules[0].scope = vec!["ID".to_owned()],
        pointer: "/rules/0/scope/0",
        plan_says: "rule `hosts-reply`: `ID` is not a part of the key",
    },
    Case {
        edit: ("key: [{field: RQ2}]", "key: [{field: RQ}]"),
        loader_says: "key field `RQ` is not in the glossary",
        break_model: |spec| {
            spec.rules[0].participants[1].key[0].field = Some("RQ".to_owned());
        },
        pointer: "/rules/0/participants/1/key/0",
        plan_says: "field `RQ` is not in the glossary",
    },
];

#[test]
fn the_spec_as_written_compiles() {
    let loaded = loaded(&text()).unwrap_or_else(|error| panic!("{error}"));
    let plan = Plan::load(&loaded).unwrap_or_else(|error| panic!("{error}"));
    assert_eq!(plan.rules.len(), 1);
    assert!(plan.rules[0].fan_out.is_some());
    assert_eq!(plan.rules[0].scope, vec![0]);
}

#[test]
fn a_spec_written_with_the_miss_fails_to_load_at_its_line() {
    for case in CASES {
        let (from, to) = case.edit;
        let written = SPEC.replacen(from, to, 1).replace("RQ2", "REQ");
        assert_ne!(written, text(), "edit {from:?} changed nothing");
        let rendered = match loaded(&written) {
            Ok(_) => panic!("{to:?}: the loader accepted the spec"),
            Err(error) => error.to_string(),
        };
        assert!(
            rendered.contains(case.loader_says),
            "{to:?}: {rendered}\nshould say {:?}",
            case.loader_says
        );
        assert!(rendered.starts_with("demo.yaml:"), "{rendered}");
    }
}

#[test]
fn a_miss_past_the_loader_is_a_plan_error_never_a_default() {
    for case in CASES {
        let mut loaded = loaded(&text()).unwrap_or_else(|error| panic!("{error}"));
        (case.break_model)(&mut loaded.spec);
        let error: PlanError = match Plan::new(&loaded.spec) {
            Ok(_) => panic!("{}: compiled with a fallback", case.pointer),
            Err(error) => error,
        };
        assert_eq!(error.pointer, case.pointer, "{error}");
        assert!(
            error.to_string().contains(case.plan_says),
            "{}: {error}\nshould say {:?}",
            case.pointer,
            case.plan_says
        );
        // Reported like every spec error: file, line and column of the node.
        let location = loaded.locate(case.pointer);
        let rendered = error.clone().located(&loaded).to_string();
        assert_eq!(
            rendered,
            format!(
                "demo.yaml:{}:{}: {}",
                location.line, location.column, error.problem
            )
        );
        assert!(location.line > 1, "{}: not located", case.pointer);
    }
}

/// A kind's path pattern is compiled when the spec is planned: one globset
/// cannot build (here, too large) refuses the spec at the pattern's line,
/// never a kind that matches nothing or everything.
#[test]
fn a_path_pattern_that_does_not_compile_is_refused_at_its_line() {
    let pattern = "*a".repeat(100_000);
    let written = text().replace(
        "    event: line\n",
        &format!("    event: line\n    paths: [process.log, \"{pattern}\"]\n"),
    );
    let loaded = loaded(&written).unwrap_or_else(|error| panic!("{error}"));
    let error = match Plan::load(&loaded) {
        Ok(_) => panic!("a pattern globset cannot build was planned"),
        Err(error) => error.to_string(),
    };
    let location = loaded.locate("/records/0/paths/1");
    assert!(location.line > 1, "not located");
    assert_eq!(
        error,
        format!(
            "demo.yaml:{}:{}: path pattern `{}…` does not compile: error building NFA",
            location.line,
            location.column,
            "*a".repeat(20)
        )
    );
    // Only separators would match the end of every path: the loader
    // refuses such a pattern at its line, and the plan refuses one put in
    // the model past the loader.
    for nothing in ["/", "./", "\\\\", "//./"] {
        let written = text().replace(
            "    event: line\n",
            &format!("    event: line\n    paths: [process.log, \"{nothing}\"]\n"),
        );
        let problems = match self::loaded(&written) {
            Ok(_) => panic!("a pattern of only separators ({nothing}) was loaded"),
            Err(LoadError::Invalid { problems, .. }) => problems,
            Err(error) => panic!("{error}"),
        };
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert_eq!(problems[0].pointer, "/records/0/paths/1");
        assert!(problems[0].location.line > 1, "not located");
        assert!(
            problems[0].message.contains("only separators"),
            "{}",
            problems[0].message
        );
        let mut past_the_loader = self::loaded(&text()).unwrap_or_else(|error| panic!("{error}"));
        past_the_loader.spec.records[0].paths = vec![nothing.replace("\\\\", "\\")];
        match Plan::new(&past_the_loader.spec) {
            Ok(_) => panic!("a pattern of only separators ({nothing}) was planned"),
            Err(error) => assert!(
                error
                    .to_string()
                    .ends_with("does not compile: it names no file or folder, only separators"),
                "{error}"
            ),
        }
    }
    let fine = text().replace(
        "    event: line\n",
        "    event: line\n    paths: [process.log]\n",
    );
    let fine = self::loaded(&fine).unwrap_or_else(|error| panic!("{error}"));
    assert!(Plan::load(&fine).is_ok());
}
