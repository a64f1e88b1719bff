//! Shrinking gives minimal counterexamples: a deliberately broken checker,
//! one that chokes on any value holding a space, must be shown the
//! shortest stream with the plainest values that breaks it; one that
//! chokes on API requests must be shown the shortest scenario holding one,
//! its lifecycle kept whole.

mod common;

use common::config;
use logspec_checker::{CheckOptions, Checker, Finding, Plan};
use logspec_gen::{Framing, Generator, Hosts, Scenario, ScenarioOptions, StreamOptions};
use logspec_reader::parse_pairs;
use logspec_spec::builtin;
use proptest::prelude::*;
use proptest::test_runner::{TestError, TestRunner};

/// The broken checker: it reads the pairs, then fails on any value with a
/// space in it (as a consumer that splits values on spaces would).
fn broken_checker_accepts(line: &str) -> bool {
    parse_pairs(line).is_ok_and(|pairs| pairs.iter().all(|pair| !pair.value.contains(' ')))
}

fn shrunk_counterexample(event: Option<&str>) -> String {
    let spec = builtin("ctrl-exec")
        .expect("a built-in spec")
        .load()
        .expect("built-in specs load")
        .spec;
    let generator = Generator::new(&spec).expect("built-in specs generate");
    let options = StreamOptions {
        event: event.map(|id| generator.event_index(id).expect("a documented event")),
        ..StreamOptions::valid(Framing::Bare, 20)
    };
    let streams = generator.stream(&options).expect("an event or none");
    let mut config = config("shrinking", file!(), 256);
    // The failure is the point of the test, not a regression to keep.
    config.failure_persistence = None;
    let result = TestRunner::new(config).run(&streams, |stream| {
        let text = stream.render().expect("generated records render");
        for line in text.lines() {
            prop_assert!(broken_checker_accepts(line), "{}", line);
        }
        Ok(())
    });
    match result {
        Err(TestError::Fail(_, stream)) => stream.render().expect("generated records render"),
        other => panic!("the broken checker was never caught: {other:?}"),
    }
}

#[test]
fn shrinks_to_one_line_with_one_space() {
    // dispatch has one free-text field, SCRIPT: the minimal stream is one
    // line whose SCRIPT is a single space and whose other values are the
    // simplest of their types.
    assert_eq!(
        shrunk_counterexample(Some("dispatch")),
        "ACTION=dispatch SCRIPT=\" \" HOSTS=_ REQID=0000000000000000\n"
    );
}

#[test]
fn shrinks_across_events_to_one_line_with_one_spaced_value() {
    // Across events, shrinking may settle on a variant whose spaced value
    // is a literal the spec fixes (a REASON text); otherwise the value
    // shrinks to a single space.
    let text = shrunk_counterexample(None);
    assert_eq!(text.lines().count(), 1, "{text}");
    let pairs = parse_pairs(text.trim_end()).expect("rendered payloads read back");
    let spaced: Vec<&str> = pairs
        .iter()
        .map(|pair| pair.value.as_ref())
        .filter(|value| value.contains(' '))
        .collect();
    assert_eq!(spaced.len(), 1, "{text}");
    let spec = builtin("ctrl-exec")
        .expect("a built-in spec")
        .load()
        .expect("built-in specs load")
        .spec;
    let literal = spec
        .events
        .iter()
        .flat_map(|event| &event.variants)
        .any(|variant| {
            variant
                .fields
                .iter()
                .filter_map(|field| field.values.as_ref())
                .any(|values| values.iter().any(|value| value == spaced[0]))
        });
    assert!(spaced[0] == " " || literal, "{text}");
}

/// The shrunk scenario a broken consumer, one that fails on any API
/// request, is shown.
fn shrunk_scenario(broken: bool) -> Scenario {
    let spec = builtin("ctrl-exec")
        .expect("a built-in spec")
        .load()
        .expect("built-in specs load")
        .spec;
    let generator = Generator::new(&spec).expect("built-in specs generate");
    let scenarios = generator
        .scenario(&ScenarioOptions {
            framing: Framing::Bare,
            records: 4..=12,
            broken,
            hosts: Hosts::Told,
            one_input: true,
            params: Vec::new(),
            target: Default::default(),
        })
        .expect("a framing ctrl-exec declares");
    let mut config = config("shrinking_scenarios", file!(), 256);
    config.failure_persistence = None;
    let result = TestRunner::new(config).run(&scenarios, |scenario| {
        let texts = scenario.render().expect("generated records render");
        for (_, text) in &texts {
            prop_assert!(!text.contains("ACTION=api-request "), "{}", text);
        }
        Ok(())
    });
    match result {
        Err(TestError::Fail(_, scenario)) => scenario,
        other => panic!("the broken consumer was never caught: {other:?}"),
    }
}

/// The lines of a one-input scenario's actions.
fn actions(scenario: &Scenario) -> Vec<String> {
    let texts = scenario.render().expect("generated records render");
    assert_eq!(texts.len(), 1, "{texts:?}");
    texts[0]
        .1
        .lines()
        .map(|line| {
            parse_pairs(line).expect("rendered payloads read back")[0]
                .value
                .to_string()
        })
        .collect()
}

#[test]
fn scenarios_shrink_to_one_whole_lifecycle() {
    // A request needs the API started: the fewest records that keep the
    // rules and hold a request are the start and the request.
    let scenario = shrunk_scenario(false);
    assert_eq!(actions(&scenario), ["api-start", "api-request"]);
    assert_eq!(checked(&scenario), vec![]);
}

/// (line, code) of what the checker, stream rules on, finds in a
/// one-input scenario.
fn checked(scenario: &Scenario) -> Vec<(u64, logspec_checker::Code)> {
    let spec = builtin("ctrl-exec")
        .expect("a built-in spec")
        .load()
        .expect("built-in specs load")
        .spec;
    let texts = scenario.render().expect("generated records render");
    let mut findings: Vec<Finding> = Vec::new();
    Checker::new(
        &Plan::new(&spec).expect("spec compiles"),
        CheckOptions::default(),
    )
    .check_input("-", texts[0].1.as_bytes(), &mut findings)
    .expect("read from memory");
    findings.iter().map(|f| (f.line, f.code)).collect()
}

#[test]
fn broken_scenarios_shrink_keeping_their_one_finding() {
    // Broken, the fewest records that hold a request and raise one finding:
    // a stray request alone, raising its violation; or, when the walk broke
    // another rule, the request kept whole (the API's start and the
    // request) and the one broken record. Which rule the broken scenario
    // breaks depends on the spec's rules, the seed fixed.
    let scenario = shrunk_scenario(true);
    let expected = scenario.expected.as_ref().expect("still broken");
    let actions = actions(&scenario);
    assert!(
        actions.iter().any(|action| action == "api-request"),
        "{actions:?}"
    );
    if expected.rule == "api-requests-while-running" {
        assert_eq!(actions, ["api-request"], "{expected:?}");
    } else {
        // The broken record may come before or after the request.
        assert_eq!(actions.len(), 3, "{expected:?} {actions:?}");
        let mut kept = actions.clone();
        let broken = usize::try_from(expected.line)
            .ok()
            .and_then(|line| line.checked_sub(1))
            .unwrap_or(usize::MAX);
        assert!(broken < kept.len(), "{expected:?} {actions:?}");
        kept.remove(broken);
        assert_eq!(kept, ["api-start", "api-request"], "{expected:?}");
    }
    assert_eq!(checked(&scenario), vec![(expected.line, expected.code)]);
}
