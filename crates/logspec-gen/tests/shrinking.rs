//! Shrinking gives minimal counterexamples: a deliberately broken checker,
//! one that chokes on any value holding a space, must be shown the
//! shortest stream with the plainest values that breaks it.

mod common;

use common::config;
use logspec_gen::{Framing, Generator, StreamOptions};
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
        "ACTION=dispatch SCRIPT=\" \" HOSTS=0 REQID=0000000000000000\n"
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
