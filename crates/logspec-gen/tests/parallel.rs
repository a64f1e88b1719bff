//! Checking on several threads (`CheckOptions::threads`) gives what one
//! thread gives: the same findings in the same order, the same summaries,
//! the same coverage and order of inputs. On every built-in spec (and the
//! test specs) in every framing it declares, multi-line ones included;
//! with streams broken here and there and lines no reader can take
//! (invalid UTF-8, NUL bytes, a line over the limit); split into several
//! inputs; with stream rules on and off; and in chunks of a few records,
//! so that chunk boundaries fall everywhere, between the lines of one
//! record too. Scenarios of several inputs (merged by time) run the
//! stream rules the same way.

mod common;

use common::{check_property, config, framings, params, subjects, Subject};
use logspec_checker::rules::EngineOptions;
use logspec_checker::stream::{Alignment, Input};
use logspec_checker::{CheckOptions, Checker, CoverageReport, Finding, InputSummary};
use logspec_gen::{Broken, Framing, Hosts, ScenarioOptions, Stream, StreamOptions};
use proptest::prelude::*;
use proptest::strategy::Union;
use proptest::test_runner::TestCaseError;

/// Lines longer than this are reported, not checked; the hostile line
/// below is longer.
const MAX_LINE_BYTES: usize = 2048;

/// What a check produced, all of it.
#[derive(Debug, PartialEq)]
struct Outcome {
    findings: Vec<Finding>,
    summaries: Vec<InputSummary>,
    alignment: Alignment,
    coverage: CoverageReport,
}

/// How a check runs, beyond its inputs.
#[derive(Debug, Clone, Copy)]
struct Run {
    threads: usize,
    chunk_records: usize,
    stream_rules: bool,
    partial: bool,
}

fn check(
    subject: &Subject,
    inputs: &[(String, Vec<u8>, Option<String>)],
    run: Run,
) -> Result<Outcome, TestCaseError> {
    let options = CheckOptions {
        max_line_bytes: MAX_LINE_BYTES,
        stream_rules: run.stream_rules,
        threads: run.threads,
        chunk_records: run.chunk_records,
        rules: EngineOptions {
            partial: run.partial,
            params: params(subject),
            ..EngineOptions::default()
        },
        ..CheckOptions::default()
    };
    let mut checker = Checker::new(&subject.plan, options);
    let inputs = inputs
        .iter()
        .map(|(name, bytes, host)| Input {
            name: name.clone(),
            reader: bytes.as_slice(),
            host: host.clone(),
        })
        .collect();
    let mut findings = Vec::new();
    let (summaries, alignment) = checker
        .check_inputs(inputs, &mut findings)
        .map_err(|error| TestCaseError::fail(error.to_string()))?;
    Ok(Outcome {
        findings,
        summaries,
        alignment,
        coverage: checker.coverage().report(&subject.plan),
    })
}

/// One thread, then `parallel`: the same outcome.
fn same_outcome(
    subject: &Subject,
    inputs: &[(String, Vec<u8>, Option<String>)],
    parallel: Run,
) -> Result<(), TestCaseError> {
    let one = check(
        subject,
        inputs,
        Run {
            threads: 1,
            ..parallel
        },
    )?;
    let many = check(subject, inputs, parallel)?;
    prop_assert_eq!(one, many, "{:?} on {}", parallel, subject.name);
    Ok(())
}

/// Lines no reader takes, one of which goes somewhere in the stream.
fn hostile_lines() -> Vec<Vec<u8>> {
    vec![
        b"\xff\xfe not UTF-8 \xc3\x28".to_vec(),
        b"a NUL \x00 in the middle".to_vec(),
        vec![b'x'; MAX_LINE_BYTES * 3],
        Vec::new(),
        "\u{feff}a byte order mark, not on line 1"
            .as_bytes()
            .to_vec(),
    ]
}

/// A stream's text with a hostile line put in at `at` (a line number,
/// wrapped), split into `parts` inputs at line boundaries.
fn inputs_of(
    text: &str,
    hostile: &[u8],
    at: usize,
    parts: usize,
) -> Vec<(String, Vec<u8>, Option<String>)> {
    let mut lines: Vec<&[u8]> = text.as_bytes().split(|&byte| byte == b'\n').collect();
    // The text ends with a newline: its last piece is empty.
    lines.pop();
    lines.insert(at % (lines.len() + 1), hostile);
    let per_part = lines.len().div_ceil(parts.max(1)).max(1);
    lines
        .chunks(per_part)
        .enumerate()
        .map(|(index, chunk)| {
            let mut bytes = chunk.join(&b'\n');
            bytes.push(b'\n');
            (format!("part-{index}.log"), bytes, None)
        })
        .collect()
}

fn streams(subjects: &[Subject]) -> impl Strategy<Value = (usize, Stream)> {
    Union::new(framings(subjects).into_iter().map(|(index, framing)| {
        let options = StreamOptions {
            broken: Broken::Some,
            ..StreamOptions::valid(framing, 24)
        };
        subjects[index]
            .generator
            .stream(&options)
            .expect("the specs under test generate streams")
            .prop_map(move |stream| (index, stream))
    }))
}

fn runs() -> impl Strategy<Value = Run> {
    (2..=4usize, 1..=5usize, any::<bool>(), any::<bool>()).prop_map(
        |(threads, chunk_records, stream_rules, partial)| Run {
            threads,
            chunk_records,
            stream_rules,
            partial,
        },
    )
}

#[test]
fn several_threads_check_streams_as_one_does() {
    let subjects = subjects();
    let hostile = hostile_lines();
    check_property(
        config("several_threads_check_streams_as_one_does", file!(), 96),
        (
            streams(&subjects),
            runs(),
            0..hostile.len(),
            any::<usize>(),
            1..=3usize,
        ),
        |((index, stream), run, which, at, parts)| {
            let text = stream
                .render()
                .map_err(|error| TestCaseError::fail(error.to_string()))?;
            let inputs = inputs_of(&text, &hostile[which], at, parts);
            same_outcome(&subjects[index], &inputs, run)
        },
    );
}

/// Scenarios: records of several hosts and kinds in several inputs, which
/// the checker merges by time, with the stream rules on.
#[test]
fn several_threads_check_scenarios_as_one_does() {
    let subjects = subjects();
    let scenarios = Union::new(framings(&subjects).into_iter().map(|(index, framing)| {
        scenario_options(&subjects[index], framing)
            .prop_map(move |scenario| (index, scenario))
            .boxed()
    }));
    check_property(
        config("several_threads_check_scenarios_as_one_does", file!(), 48),
        (scenarios, runs()),
        |((index, (hosts, scenario)), run)| {
            let texts = scenario
                .render()
                .map_err(|error| TestCaseError::fail(error.to_string()))?;
            let inputs: Vec<_> = texts
                .into_iter()
                .zip(&scenario.inputs)
                .map(|((name, text), input)| {
                    let host = (hosts == Hosts::Told).then(|| input.host.clone());
                    (name, text.into_bytes(), host)
                })
                .collect();
            let run = Run {
                stream_rules: true,
                ..run
            };
            same_outcome(&subjects[index], &inputs, run)
        },
    );
}

fn scenario_options(
    subject: &Subject,
    framing: Framing,
) -> BoxedStrategy<(Hosts, logspec_gen::Scenario)> {
    let made = move |hosts: Hosts, broken: bool| {
        subject
            .generator
            .scenario(&ScenarioOptions {
                framing,
                records: 1..=12,
                broken,
                hosts,
                one_input: false,
                params: params(subject),
                target: Default::default(),
            })
            .expect("a framing the spec declares")
            .prop_map(move |scenario| (hosts, scenario))
    };
    prop_oneof![
        made(Hosts::Told, false),
        made(Hosts::Told, true),
        made(Hosts::Written, true),
    ]
    .boxed()
}
