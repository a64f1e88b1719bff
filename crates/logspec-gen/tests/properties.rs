//! The properties logspec is held to, on every built-in spec (and the
//! test specs) in every framing it declares: conforming streams raise nothing, each mutation
//! raises exactly its predicted finding on its line, every record survives
//! a round trip through its wire format, and the checker never panics.

mod common;

use common::{check_property, config, framings, run_checker, subjects, Subject};
use logspec_gen::render::keyvalue::needs_quotes;
use logspec_gen::{envelope_of, render, Broken, Framing, Record, Stream, StreamOptions};
use logspec_reader::{parse_pairs, read_envelope, Format};
use proptest::prelude::*;
use proptest::strategy::Union;
use proptest::test_runner::TestCaseError;

fn streams(
    subjects: &[Subject],
    broken: Broken,
    max_lines: usize,
) -> impl Strategy<Value = (usize, Stream)> {
    Union::new(framings(subjects).into_iter().map(|(index, framing)| {
        let options = StreamOptions {
            broken,
            ..StreamOptions::valid(framing, max_lines)
        };
        subjects[index]
            .generator
            .stream(&options)
            .expect("the specs under test generate streams")
            .prop_map(move |stream| (index, stream))
    }))
}

fn rendered(stream: &Stream) -> Result<String, TestCaseError> {
    stream
        .render()
        .map_err(|error| TestCaseError::fail(format!("cannot render: {error}")))
}

#[test]
fn conforming_streams_raise_no_finding() {
    let subjects = subjects();
    check_property(
        config("conforming_streams_raise_no_finding", file!(), 256),
        streams(&subjects, Broken::None, 8),
        |(index, stream)| {
            let text = rendered(&stream)?;
            let (summary, findings) = run_checker(&subjects[index].plan, &text, None);
            prop_assert!(findings.is_empty(), "{text}\n{findings:#?}");
            prop_assert_eq!(summary.records, stream.lines.len() as u64);
            prop_assert_eq!(summary.format, Some(stream.framing.format()));
            Ok(())
        },
    );
}

/// Streams draw variants at random; this makes sure each one of every
/// spec under test is exercised, in every framing.
#[test]
fn every_variant_generates_conforming_records() {
    let subjects = subjects();
    for subject in &subjects {
        let framings = Framing::all_for(&subject.spec);
        for (event, variant) in subject.generator.variants() {
            let records = subject.generator.record(event, variant).expect("a variant");
            let strategy = (records, proptest::sample::select(framings.clone()));
            check_property(
                config("every_variant_generates_conforming_records", file!(), 12),
                strategy,
                |(record, framing)| {
                    let line = render(framing, &record)
                        .map_err(|error| TestCaseError::fail(error.to_string()))?;
                    let (_, findings) = run_checker(&subject.plan, &line, None);
                    prop_assert!(
                        findings.is_empty(),
                        "{} {}/{}: {line}\n{findings:#?}",
                        subject.name,
                        subject.spec.events[event].id,
                        subject.spec.events[event].variants[variant].name
                    );
                    Ok(())
                },
            );
        }
    }
}

#[test]
fn each_mutation_raises_exactly_its_finding_on_its_line() {
    let subjects = subjects();
    check_property(
        config(
            "each_mutation_raises_exactly_its_finding_on_its_line",
            file!(),
            256,
        ),
        streams(&subjects, Broken::Some, 8),
        |(index, stream)| {
            let text = rendered(&stream)?;
            let (_, findings) = run_checker(&subjects[index].plan, &text, None);
            let mut raised: Vec<_> = findings
                .iter()
                .map(|f| (f.line, f.code, f.event.clone(), f.field.clone()))
                .collect();
            let mut expected: Vec<_> = stream
                .expected()
                .into_iter()
                .map(|(line, e)| (line, e.code, e.event.clone(), e.field.clone()))
                .collect();
            raised.sort();
            expected.sort();
            prop_assert_eq!(raised, expected, "{}\n{:#?}", text, findings);
            Ok(())
        },
    );
}

/// Streams draw variants and mutations at random; this holds every
/// mutation of records of each variant of every spec under test to its
/// prediction, in a framing of each kind (tag only, tag and priority, none,
/// and each other format), where siblings that could claim a broken record
/// are found if they exist.
#[test]
fn every_mutation_of_every_variant_is_exact() {
    let subjects = subjects();
    for subject in &subjects {
        let framings: Vec<Framing> = [
            "rfc3164",
            "rfc3164+pri+nohost",
            "rfc5424",
            "journald",
            "bare",
        ]
        .iter()
        .map(|name| name.parse::<Framing>().expect("a framing"))
        .filter(|framing| Framing::all_for(&subject.spec).contains(framing))
        .collect();
        for (event, variant) in subject.generator.variants() {
            let records = subject.generator.record(event, variant).expect("a variant");
            check_property(
                config("every_mutation_of_every_variant_is_exact", file!(), 6),
                (records, proptest::sample::select(framings.clone())),
                |(record, framing)| {
                    // All of them at once, one per line, as a stream.
                    let mutations = subject.generator.mutations(&record, framing);
                    let mut text = String::new();
                    for mutated in &mutations {
                        text.push_str(
                            &render(framing, &mutated.record)
                                .map_err(|error| TestCaseError::fail(error.to_string()))?,
                        );
                        text.push('\n');
                    }
                    let (_, findings) = run_checker(&subject.plan, &text, Some(framing.format()));
                    let raised: Vec<_> = findings
                        .iter()
                        .map(|f| (f.line, f.code, f.event.clone(), f.field.clone()))
                        .collect();
                    let expected: Vec<_> = mutations
                        .iter()
                        .zip(1u64..)
                        .map(|(mutated, line)| {
                            let e = &mutated.mutation.expected;
                            (line, e.code, e.event.clone(), e.field.clone())
                        })
                        .collect();
                    let what: Vec<String> = mutations
                        .iter()
                        .zip(1..)
                        .map(|(mutated, line)| format!("{line}: {}", mutated.mutation))
                        .collect();
                    prop_assert_eq!(raised, expected, "in {}:\n{}{:#?}", framing, text, what);
                    Ok(())
                },
            );
        }
    }
}

/// Conforming and mutated records (which carry duplicate keys, empty and
/// odd values) in every framing.
fn records_in_framings(subjects: &[Subject]) -> impl Strategy<Value = (Framing, Record)> {
    Union::new(framings(subjects).into_iter().map(|(index, framing)| {
        let generator = &subjects[index].generator;
        let valid = generator.any_record(None).expect("records");
        let mutated = generator
            .any_mutated(None, framing)
            .expect("mutations")
            .prop_map(|mutated| mutated.record);
        prop_oneof![valid, mutated].prop_map(move |record| (framing, record))
    }))
}

#[test]
fn records_round_trip_through_every_format() {
    let subjects = subjects();
    check_property(
        config("records_round_trip_through_every_format", file!(), 512),
        records_in_framings(&subjects),
        |(framing, record)| {
            let line =
                render(framing, &record).map_err(|error| TestCaseError::fail(error.to_string()))?;
            let framed = read_envelope(framing.format(), &line)
                .map_err(|error| TestCaseError::fail(format!("{line}: {error}")))?;
            prop_assert_eq!(
                &framed.envelope,
                &envelope_of(framing, &record.meta),
                "{}",
                line
            );
            let pairs = parse_pairs(&framed.payload)
                .map_err(|error| TestCaseError::fail(format!("{line}: {error}")))?;
            let read: Vec<(&str, &str)> = pairs.iter().map(|p| (p.key, p.value.as_ref())).collect();
            let written: Vec<(&str, &str)> = record
                .fields
                .iter()
                .map(|f| (f.key.as_str(), f.value.as_str()))
                .collect();
            prop_assert_eq!(read, written, "{}", line);
            for pair in &pairs {
                prop_assert_eq!(pair.quoted, needs_quotes(&pair.value), "{}", line);
            }
            Ok(())
        },
    );
}

/// Generated and mutated streams read in every format, the right one or
/// not: whatever comes out, the checker reports it and goes on.
#[test]
fn the_checker_never_panics_on_generated_input() {
    let subjects = subjects();
    check_property(
        config("the_checker_never_panics_on_generated_input", file!(), 128),
        streams(&subjects, Broken::Some, 6),
        |(index, stream)| {
            let text = rendered(&stream)?;
            for format in Format::ALL {
                let (summary, _) = run_checker(&subjects[index].plan, &text, Some(format));
                prop_assert_eq!(summary.lines, stream.lines.len() as u64);
            }
            Ok(())
        },
    );
}

/// Which built-in specs the generators cover, so that a spec left out is a
/// visible decision: the others' records are JSON or text layouts, which
/// have no renderers yet.
#[test]
fn generated_built_in_specs() {
    let covered: Vec<String> = common::subjects()
        .into_iter()
        .map(|subject| subject.name)
        .filter(|name| logspec_spec::builtin(name).is_some())
        .collect();
    assert_eq!(covered, vec!["ctrl-exec".to_owned()]);
}
