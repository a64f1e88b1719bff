//! The properties logspec is held to, on every built-in spec (and the
//! test specs) in every framing it declares: conforming streams raise nothing, each mutation
//! raises exactly its predicted finding on its line, every record survives
//! a round trip through its wire format, and the checker never panics.

mod common;

use common::{check_property, config, framings, run_checker, subjects, Subject};
use logspec_gen::render::keyvalue::needs_quotes;
use logspec_gen::{
    envelope_of, render, Broken, Framing, Line, Mutated, Record, Stream, StreamOptions,
};
use logspec_reader::{parse_pairs, read_envelope, read_record, Format};
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

fn fail(error: impl std::fmt::Display) -> TestCaseError {
    TestCaseError::fail(error.to_string())
}

#[test]
fn conforming_streams_raise_no_finding() {
    let subjects = subjects();
    check_property(
        config("conforming_streams_raise_no_finding", file!(), 256),
        streams(&subjects, Broken::None, 8),
        |(index, stream)| {
            let text = rendered(&stream)?;
            let subject = &subjects[index];
            let kind = subject.kind(None, stream.framing);
            let (summary, findings) = run_checker(&subject.plan, &text, None, Some(kind));
            prop_assert!(findings.is_empty(), "{text}\n{findings:#?}");
            prop_assert_eq!(summary.records, stream.lines.len() as u64);
            prop_assert_eq!(summary.format, Some(stream.framing.format()));
            Ok(())
        },
    );
}

/// Conforming records of one variant of a subject in the framings of its
/// record kind, with the framing.
fn records_of(subject: &Subject, event: usize, variant: usize) -> BoxedStrategy<(Framing, Record)> {
    let generator = subject.generator.clone();
    proptest::sample::select(subject.framings_of(event))
        .prop_flat_map(move |framing| {
            generator
                .record(event, variant, framing.format())
                .expect("a variant in a format of its kind")
                .prop_map(move |record| (framing, record))
        })
        .boxed()
}

/// Streams draw variants at random; this makes sure each one of every
/// spec under test is exercised, in every framing of its record kind.
#[test]
fn every_variant_generates_conforming_records() {
    let subjects = subjects();
    for subject in &subjects {
        for (event, variant) in subject.generator.variants() {
            check_property(
                config("every_variant_generates_conforming_records", file!(), 12),
                records_of(subject, event, variant),
                |(framing, record)| {
                    let text = render(framing, &record).map_err(fail)?;
                    let kind = subject.kind(Some(event), framing);
                    let (_, findings) = run_checker(&subject.plan, &text, None, Some(kind));
                    prop_assert!(
                        findings.is_empty(),
                        "{} {}/{} in {framing}: {text}\n{findings:#?}",
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
            let subject = &subjects[index];
            let kind = subject.kind(None, stream.framing);
            let (_, findings) = run_checker(&subject.plan, &text, None, Some(kind));
            let mut raised: Vec<_> = findings
                .iter()
                .map(|f| (f.line, f.code, f.event.clone(), f.field.clone()))
                .collect();
            let mut expected: Vec<_> = stream
                .expected()
                .map_err(fail)?
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

/// Holds `mutations` (of one record, read in `framing`) to their
/// predictions: as one stream, one record after another, or one input
/// each in a format whose input is one record.
fn check_mutations(
    subject: &Subject,
    kind: &str,
    framing: Framing,
    mutations: Vec<Mutated>,
) -> Result<(), TestCaseError> {
    // Some records cannot be broken in one exact way (a nameless entry
    // that tolerates any field and any level has nothing to break).
    if mutations.is_empty() {
        return Ok(());
    }
    let streams: Vec<Stream> = if logspec_gen::stream::one_record(framing) {
        mutations
            .into_iter()
            .map(|mutated| Stream {
                framing,
                lines: vec![Line::from(mutated)],
            })
            .collect()
    } else {
        vec![Stream {
            framing,
            lines: mutations.into_iter().map(Line::from).collect(),
        }]
    };
    for stream in streams {
        let text = rendered(&stream)?;
        let (_, findings) = run_checker(
            &subject.plan,
            &text,
            Some(framing.format()),
            Some(kind.to_owned()),
        );
        let mut raised: Vec<_> = findings
            .iter()
            .map(|f| (f.line, f.code, f.event.clone(), f.field.clone()))
            .collect();
        // In line order, as reports show them: undocumented events are
        // reported when the input ends (once each, with their count).
        raised.sort_by_key(|raised| raised.0);
        let expected: Vec<_> = stream
            .expected()
            .map_err(fail)?
            .into_iter()
            .map(|(line, e)| (line, e.code, e.event.clone(), e.field.clone()))
            .collect();
        let what: Vec<String> = stream
            .lines
            .iter()
            .filter_map(|line| line.mutation.as_ref().map(ToString::to_string))
            .collect();
        prop_assert_eq!(raised, expected, "in {}:\n{}{:#?}", framing, text, what);
    }
    Ok(())
}

/// Streams draw variants and mutations at random; this holds every
/// mutation of records of each variant of every spec under test to its
/// prediction, in every framing of its record kind (of RFC 3164: one with
/// a tag only, one with a tag and a priority), where siblings that could
/// claim a broken record are found if they exist.
#[test]
fn every_mutation_of_every_variant_is_exact() {
    let subjects = subjects();
    let kept = |framing: &Framing| match framing {
        Framing::Rfc3164 { .. } => {
            ["rfc3164", "rfc3164+pri+nohost"].contains(&framing.to_string().as_str())
        }
        _ => true,
    };
    for subject in &subjects {
        for (event, variant) in subject.generator.variants() {
            let framings: Vec<Framing> = subject
                .framings_of(event)
                .into_iter()
                .filter(kept)
                .collect();
            let generator = subject.generator.clone();
            let strategy = proptest::sample::select(framings).prop_flat_map(move |framing| {
                generator
                    .record(event, variant, framing.format())
                    .expect("a variant in a format of its kind")
                    .prop_map(move |record| (framing, record))
            });
            check_property(
                config("every_mutation_of_every_variant_is_exact", file!(), 6),
                strategy,
                |(framing, record)| {
                    let mutations = subject.generator.mutations(&record, framing);
                    check_mutations(
                        subject,
                        &subject.kind(Some(event), framing),
                        framing,
                        mutations,
                    )
                },
            );
        }
    }
}

/// Reads `text` back in `framing`'s format and compares it with `record`:
/// envelope, the event's name where the layout writes one, and every field
/// with its name, value and (in the JSON formats) JSON type.
fn reads_back_as(framing: Framing, text: &str, record: &Record) -> Result<(), TestCaseError> {
    let format = framing.format();
    let mut fields = Vec::new();
    // An OTLP export line holds log records; this one holds the record.
    let text = match format {
        Format::OtlpJson => match logspec_reader::otlp::log_records(text)
            .map_err(fail)?
            .as_slice()
        {
            [only] => &text[only.clone()],
            other => return Err(fail(format!("{text}: {} log records", other.len()))),
        },
        _ => text,
    };
    let head = read_record(format, text, &mut fields)
        .map_err(|error| fail(format!("{text}: {error}")))?
        .ok_or_else(|| fail(format!("{text}: no record")))?;
    prop_assert_eq!(&head.envelope, &envelope_of(framing, record), "{}", text);
    let title = head.event.as_ref().map(|event| event.value.as_ref());
    prop_assert_eq!(title, record.title.as_deref(), "{}", text);
    let read: Vec<_> = fields
        .iter()
        .map(|f| (f.key.as_ref(), f.value.as_ref(), f.json))
        .collect();
    let typed = framing.json_typed();
    let written: Vec<_> = record
        .fields
        .iter()
        .map(|f| (f.written_key(), f.value.as_str(), typed.then_some(f.json)))
        .collect();
    prop_assert_eq!(read, written, "{}", text);
    if format.has_payload() {
        // Values are quoted exactly when they need it.
        let framed = read_envelope(format, text).map_err(fail)?;
        for pair in parse_pairs(&framed.payload).map_err(fail)? {
            prop_assert_eq!(pair.quoted, needs_quotes(&pair.value), "{}", text);
        }
    }
    Ok(())
}

/// Conforming and mutated records (which carry duplicate keys, empty and
/// odd values, nulls) of every variant, in every framing of its kind, read
/// back as written.
#[test]
fn records_round_trip_through_every_format() {
    let subjects = subjects();
    for subject in &subjects {
        for (event, variant) in subject.generator.variants() {
            let generator = subject.generator.clone();
            let records =
                records_of(subject, event, variant).prop_flat_map(move |(framing, record)| {
                    let mutations = generator.mutations(&record, framing);
                    let chosen = if mutations.is_empty() {
                        Just(record).boxed()
                    } else {
                        let mutated = mutations.into_iter().map(|m| m.record).collect::<Vec<_>>();
                        prop_oneof![Just(record), proptest::sample::select(mutated)].boxed()
                    };
                    chosen.prop_map(move |record| (framing, record))
                });
            check_property(
                config("records_round_trip_through_every_format", file!(), 8),
                records,
                |(framing, record)| {
                    let text = render(framing, &record).map_err(fail)?;
                    reads_back_as(framing, &text, &record)
                },
            );
        }
    }
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
                let (summary, _) = run_checker(&subjects[index].plan, &text, Some(format), None);
                prop_assert_eq!(summary.lines, text.lines().count() as u64);
            }
            Ok(())
        },
    );
}

/// Which built-in specs the generators cover, so that a spec left out is a
/// visible decision.
#[test]
fn generated_built_in_specs() {
    let covered: Vec<String> = common::subjects()
        .into_iter()
        .map(|subject| subject.name)
        .filter(|name| logspec_spec::builtin(name).is_some())
        .collect();
    assert_eq!(
        covered,
        [
            "ctrl-exec",
            "rce-eventlog",
            "prexorcloud",
            "agent-hub",
            "hexon"
        ]
        .map(str::to_owned)
    );
}
