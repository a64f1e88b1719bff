//! Streams checked with the stream rules on: scenarios walked through
//! every rule's lifecycle raise nothing, a scenario broken in one place
//! raises exactly the stream finding predicted for it, and every rule of
//! every built-in spec is walked.

mod common;

use common::{check_property, config, subjects, Subject};
use logspec_checker::rules::EngineOptions;
use logspec_checker::stream::Input;
use logspec_checker::{CheckOptions, Checker, Finding};
use logspec_gen::{Framing, Hosts, Scenario, ScenarioOptions, StreamMutationKind};
use logspec_spec::ParamType;
use proptest::prelude::*;
use proptest::test_runner::TestCaseError;
use std::cell::RefCell;
use std::collections::BTreeSet;

/// A scenario and how it was asked for.
#[derive(Debug, Clone)]
struct Made {
    hosts: Hosts,
    one_input: bool,
    scenario: Scenario,
}

/// The checker, stream rules on, on every input of a scenario, told each
/// input's host when the scenario was made for that.
fn check(
    subject: &Subject,
    Made {
        hosts, scenario, ..
    }: &Made,
) -> Result<Vec<Finding>, TestCaseError> {
    let texts = scenario
        .render()
        .map_err(|error| TestCaseError::fail(error.to_string()))?;
    let inputs: Vec<Input<&[u8]>> = texts
        .iter()
        .zip(&scenario.inputs)
        .map(|((name, text), input)| Input {
            name: name.clone(),
            reader: text.as_bytes(),
            host: (*hosts == Hosts::Told).then(|| input.host.clone()),
        })
        .collect();
    let mut findings = Vec::new();
    let options = CheckOptions {
        rules: EngineOptions {
            params: params(subject),
            ..EngineOptions::default()
        },
        ..CheckOptions::default()
    };
    Checker::new(&subject.plan, options)
        .check_inputs(inputs, &mut findings)
        .map_err(|error| TestCaseError::fail(error.to_string()))?;
    Ok(findings)
}

/// A value for every rule parameter of the subject's spec (a window of
/// an hour), given to the scenario and the checker alike, so that rules
/// with parameters are walked and run.
fn params(subject: &Subject) -> Vec<(String, String)> {
    subject
        .spec
        .rules
        .iter()
        .flat_map(|rule| &rule.params)
        .map(|(name, param)| {
            let value = match param.kind {
                ParamType::Duration => "1h",
                ParamType::Integer | ParamType::Number => "3",
                ParamType::String => "x",
            };
            (name.clone(), value.to_owned())
        })
        .collect()
}

fn shown(scenario: &Scenario) -> String {
    scenario
        .render()
        .map(|texts| {
            texts
                .into_iter()
                .map(|(name, text)| format!("== {name}\n{text}"))
                .collect()
        })
        .unwrap_or_default()
}

/// Scenarios whose hosts are told to the checker, or left to what the
/// lines write; of several inputs, or one.
fn scenarios(subject: &Subject, framing: Framing, broken: bool) -> BoxedStrategy<Made> {
    let most = 10;
    let made = |hosts: Hosts, one_input: bool| {
        let scenarios = subject
            .generator
            .scenario(&ScenarioOptions {
                framing,
                records: 1..=most,
                broken,
                hosts,
                one_input,
                params: params(subject),
            })
            .expect("a framing the spec declares");
        scenarios.prop_map(move |scenario| Made {
            hosts,
            one_input,
            scenario,
        })
    };
    if logspec_gen::stream::one_record(framing) {
        // One record per input: never one input.
        prop_oneof![made(Hosts::Told, false), made(Hosts::Written, false)].boxed()
    } else {
        prop_oneof![
            2 => made(Hosts::Told, false),
            1 => made(Hosts::Written, false),
            1 => made(Hosts::Written, true),
        ]
        .boxed()
    }
}

#[test]
fn conforming_scenarios_raise_no_finding_with_stream_rules() {
    for subject in &subjects() {
        for framing in Framing::all_for(&subject.spec) {
            check_property(
                config("conforming_scenarios_raise_no_finding", file!(), 24),
                scenarios(subject, framing, false),
                |made| {
                    let findings = check(subject, &made)?;
                    let Made {
                        hosts,
                        one_input,
                        scenario,
                    } = &made;
                    if *one_input {
                        prop_assert!(scenario.inputs.len() <= 1);
                    }
                    prop_assert!(
                        findings.is_empty(),
                        "{} in {framing} ({hosts:?}):\n{}{findings:#?}",
                        subject.name,
                        shown(scenario)
                    );
                    Ok(())
                },
            );
        }
    }
}

#[test]
fn each_stream_mutation_raises_exactly_its_finding() {
    for subject in &subjects() {
        if subject.spec.rules.is_empty() {
            continue;
        }
        for framing in Framing::all_for(&subject.spec) {
            check_property(
                config(
                    "each_stream_mutation_raises_exactly_its_finding",
                    file!(),
                    24,
                ),
                scenarios(subject, framing, true),
                |made| {
                    let findings = check(subject, &made)?;
                    let scenario = &made.scenario;
                    let raised: Vec<_> = findings
                        .iter()
                        .map(|f| (f.file.to_string(), f.line, f.code, f.key.clone()))
                        .collect();
                    let expected = scenario.expected.as_ref().map(|e| {
                        (
                            scenario.inputs[e.input].name.clone(),
                            e.line,
                            e.code,
                            Some(e.key.clone()),
                        )
                    });
                    prop_assert_eq!(
                        raised,
                        expected.into_iter().collect::<Vec<_>>(),
                        "{} in {}: {:?}\n{}",
                        subject.name,
                        framing,
                        scenario.expected,
                        shown(scenario)
                    );
                    Ok(())
                },
            );
        }
    }
}

/// Which rules the walks step and which stream mutations they break them
/// with, across every framing of each spec with rules (built-in, and the
/// test specs): every rule is walked, and broken at least one way; a rule
/// with a condition is broken by making a record fail it.
#[test]
fn every_rule_of_every_built_in_spec_is_walked_and_broken() {
    for subject in subjects().iter().filter(|s| !s.spec.rules.is_empty()) {
        let walked: RefCell<BTreeSet<String>> = RefCell::default();
        let broken: RefCell<BTreeSet<(String, StreamMutationKind)>> = RefCell::default();
        for framing in Framing::all_for(&subject.spec) {
            for broken_too in [false, true] {
                check_property(
                    // Enough walks that rules few walks reach (RCE's Uplink
                    // rules among a dozen others on one connection, ctrl-exec's
                    // pairing) are broken in some of them.
                    config("every_rule_is_walked", file!(), 192),
                    scenarios(subject, framing, broken_too),
                    |Made { scenario, .. }| {
                        for line in scenario.inputs.iter().flat_map(|input| &input.stream.lines) {
                            let variant = (line.record.event, line.record.variant);
                            for rule in &subject.plan.rules {
                                if rule.roles.contains_key(&variant) {
                                    walked.borrow_mut().insert(rule.id.clone());
                                }
                            }
                        }
                        if let Some(expected) = &scenario.expected {
                            broken
                                .borrow_mut()
                                .insert((expected.rule.clone(), expected.kind));
                        }
                        Ok(())
                    },
                );
            }
        }
        let rules: BTreeSet<String> = subject
            .spec
            .rules
            .iter()
            .map(|rule| rule.id.clone())
            .collect();
        let (walked, broken) = (walked.into_inner(), broken.into_inner());
        let unwalkable: BTreeSet<String> = NOT_YET_WALKED
            .iter()
            .filter(|(spec, _, _)| *spec == subject.name)
            .map(|(_, rule, _)| (*rule).to_owned())
            .collect();
        let walkable: BTreeSet<String> = rules.difference(&unwalkable).cloned().collect();
        assert_eq!(walked, walkable, "{}: rules walked", subject.name);
        let broken_rules: BTreeSet<String> = broken.iter().map(|(rule, _)| rule.clone()).collect();
        let unbroken: BTreeSet<&str> = rules
            .difference(&broken_rules)
            .map(String::as_str)
            .collect();
        let allowed: BTreeSet<&str> = NOT_YET_BROKEN
            .iter()
            .chain(NOT_YET_WALKED)
            .filter(|(spec, _, _)| *spec == subject.name)
            .map(|(_, rule, _)| *rule)
            .collect();
        assert!(
            unbroken.is_subset(&allowed),
            "{}: rules never broken {unbroken:?}, of which not known gaps {:?} ({broken:?})",
            subject.name,
            unbroken.difference(&allowed).collect::<Vec<_>>()
        );
        let conditions_unbroken: Vec<&str> = subject
            .spec
            .rules
            .iter()
            .filter(|rule| rule.participants.iter().any(|p| p.require.is_some()))
            .map(|rule| rule.id.as_str())
            .filter(|rule| {
                !broken.contains(&((*rule).to_owned(), StreamMutationKind::FailCondition))
                    && !allowed.contains(rule)
            })
            .collect();
        assert!(
            conditions_unbroken.is_empty(),
            "{}: conditions never failed {conditions_unbroken:?} ({broken:?})",
            subject.name
        );
    }
}

/// Rules of the built-in specs the scenario walks do not break yet, each
/// with why (issue 11, part 4: gen --scenario breaks every rule). Checked
/// as a ceiling: a rule not listed here must be broken.
const NOT_YET_BROKEN: &[(&str, &str, &str)] = &[
    (
        "rce-eventlog",
        "auth-failure-resolved",
        "broken only on connections, which walks now write rarely: each connection \
         record must also keep the conditions on its connection (auth-failure-count-counts-failures, \
         connection-events-agree, refusal-names-last-failure); relations_rce.rs breaks it by hand",
    ),
    (
        "rce-eventlog",
        "closed-next-after-uplink-refused",
        "broken only on connections, which walks now write rarely: each connection \
         record must also keep the conditions on its connection (auth-failure-count-counts-failures, \
         connection-events-agree, refusal-names-last-failure); relations_rce.rs breaks it by hand",
    ),
    (
        "rce-eventlog",
        "connection-outcome-exclusive",
        "broken only on connections, which walks now write rarely: each connection \
         record must also keep the conditions on its connection (auth-failure-count-counts-failures, \
         connection-events-agree, refusal-names-last-failure); relations_rce.rs breaks it by hand",
    ),
    (
        "rce-eventlog",
        "components-only-from-initialised-controller",
        "walk does not yet satisfy/break require conditions",
    ),
    (
        "rce-eventlog",
        "connection-events-agree",
        "walk does not yet satisfy/break require conditions",
    ),
    (
        "rce-eventlog",
        "local-node-ids-within-session",
        "walk does not yet satisfy/break require conditions",
    ),
    (
        "rce-eventlog",
        "local-workflow-requested-here",
        "walk does not yet satisfy/break require conditions",
    ),
    (
        "rce-eventlog",
        "refusal-names-last-failure",
        "walk does not yet satisfy/break require conditions",
    ),
    (
        "rce-eventlog",
        "run-ends-agree",
        "walk does not yet satisfy/break require conditions",
    ),
    (
        "rce-eventlog",
        "uplink-original-names-omitted-if-equal",
        "walk does not yet satisfy/break require conditions",
    ),
    (
        "rce-eventlog",
        "workflow-start-ts-only-on-success",
        "walk does not yet satisfy/break require conditions",
    ),
    (
        "rce-eventlog",
        "uplink-closed-on-termination",
        "broken only by leaving out an Uplink close after its connection's close, a path the \
         walk rarely takes",
    ),
    (
        "ctrl-exec",
        "dispatch-reaches-every-host",
        "reached rarely since the conditions added with issue 12 (renewal-starts-from-its-check, broadcast-carries-the-rotation) make walks redraw many records; relations_ctrl_exec.rs breaks it by hand",
    ),
    (
        "ctrl-exec",
        "pairing-resolved-once",
        "reached rarely since the conditions added with issue 12 make walks redraw many records; relations_ctrl_exec.rs breaks it by hand",
    ),
    (
        "ctrl-exec",
        "rotation-attempt-ends",
        "a renewal start must now follow a check with its DAYS_LEFT within THRESHOLD (renewal-starts-from-its-check), which walks meet rarely by redrawing; relations_ctrl_exec.rs breaks it by hand",
    ),
    (
        "ctrl-exec",
        "renewal-starts-from-its-check",
        "broken only when a walk redraws a cert-check within its THRESHOLD and then a \
         cert-renewal-start with another DAYS_LEFT, which walks meet rarely (the fixed-seed run \
         stopped meeting it when RTT and METHOD lost their example-only patterns and drew \
         other values); relations_ctrl_exec.rs breaks it by hand",
    ),
    (
        "ctrl-exec",
        "broadcast-carries-the-rotation",
        "walk does not yet satisfy/break require conditions",
    ),
    (
        "ctrl-exec",
        "result-deny-names-another-owner",
        "walk does not yet satisfy/break require conditions",
    ),
    (
        "agent-hub",
        "blocked-command-never-runs",
        "a run record or run event given a blocked command's id also leaves its own audit \
         entry or run_started unpaired, so no mutation raises this finding alone",
    ),
    (
        "agent-hub",
        "finished-run-audited",
        "broken only by leaving out the command_executed entry of a run whose events were \
         captured, which also unpairs its record.json when the walk wrote one",
    ),
];

/// Rules of the built-in specs the scenario walks write no record of, each
/// with why; checked as a ceiling (a rule not listed here must be walked),
/// and a rule listed here need not be broken either.
const NOT_YET_WALKED: &[(&str, &str, &str)] = &[(
    "ctrl-exec",
    "rate-block-once-per-window",
    "has parameters (the block lengths), so a check without --param reports it unchecked \
         at its first record and the walk writes none of its records; relations_ctrl_exec.rs \
         walks and breaks it with them",
)];
