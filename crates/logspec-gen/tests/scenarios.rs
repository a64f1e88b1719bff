//! Streams checked with the stream rules on: scenarios walked through
//! every rule's lifecycle raise nothing, a scenario broken in one place
//! raises exactly the stream finding predicted for it, and every rule of
//! every built-in spec is walked.

mod common;

use common::{check_property, config, subjects, Subject};
use logspec_checker::stream::Input;
use logspec_checker::{CheckOptions, Checker, Finding};
use logspec_gen::{Framing, Hosts, Scenario, ScenarioOptions, StreamMutationKind};
use proptest::prelude::*;
use proptest::test_runner::TestCaseError;
use std::cell::RefCell;
use std::collections::BTreeSet;

/// The checker, stream rules on, on every input of `scenario`.
fn check(subject: &Subject, scenario: &Scenario) -> Result<Vec<Finding>, TestCaseError> {
    let texts = scenario
        .render()
        .map_err(|error| TestCaseError::fail(error.to_string()))?;
    let inputs: Vec<Input<&[u8]>> = texts
        .iter()
        .zip(&scenario.inputs)
        .map(|((name, text), input)| Input {
            name: name.clone(),
            reader: text.as_bytes(),
            host: Some(input.host.clone()),
        })
        .collect();
    let mut findings = Vec::new();
    Checker::new(&subject.plan, CheckOptions::default())
        .check_inputs(inputs, &mut findings)
        .map_err(|error| TestCaseError::fail(error.to_string()))?;
    Ok(findings)
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

fn scenarios(subject: &Subject, framing: Framing, broken: bool) -> BoxedStrategy<Scenario> {
    // Broken scenarios try every mutation of every record: kept shorter.
    let most = if broken { 6 } else { 10 };
    subject
        .generator
        .scenario(&ScenarioOptions {
            framing,
            records: 1..=most,
            broken,
            hosts: Hosts::Told,
            one_input: false,
        })
        .expect("a framing the spec declares")
}

#[test]
fn conforming_scenarios_raise_no_finding_with_stream_rules() {
    for subject in &subjects() {
        for framing in Framing::all_for(&subject.spec) {
            check_property(
                config("conforming_scenarios_raise_no_finding", file!(), 24),
                scenarios(subject, framing, false),
                |scenario| {
                    let findings = check(subject, &scenario)?;
                    prop_assert!(
                        findings.is_empty(),
                        "{} in {framing}:\n{}{findings:#?}",
                        subject.name,
                        shown(&scenario)
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
                |scenario| {
                    let findings = check(subject, &scenario)?;
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
                        shown(&scenario)
                    );
                    Ok(())
                },
            );
        }
    }
}

/// Which rules the walks step and which stream mutations they break them
/// with, across every framing of each built-in spec: every rule is walked,
/// and broken at least one way.
#[test]
fn every_rule_of_every_built_in_spec_is_walked_and_broken() {
    for subject in subjects()
        .iter()
        .filter(|s| logspec_spec::builtin(&s.name).is_some())
    {
        let walked: RefCell<BTreeSet<String>> = RefCell::default();
        let broken: RefCell<BTreeSet<(String, StreamMutationKind)>> = RefCell::default();
        for framing in Framing::all_for(&subject.spec) {
            for broken_too in [false, true] {
                check_property(
                    config("every_rule_is_walked", file!(), 96),
                    scenarios(subject, framing, broken_too),
                    |scenario| {
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
        assert_eq!(walked, rules, "{}: rules walked", subject.name);
        let broken_rules: BTreeSet<String> = broken.iter().map(|(rule, _)| rule.clone()).collect();
        assert_eq!(
            broken_rules, rules,
            "{}: rules broken ({broken:?})",
            subject.name
        );
    }
}
