//! Writes the seed corpus of every fuzz target under the directory given
//! (default `corpus`, relative to `fuzz/`); `fuzz/seed-corpora` runs it.
//!
//! Seeds are what real inputs look like, so the fuzzer starts deep in each
//! parser rather than at its first byte: every built-in spec's text, every
//! example line the specs document, the bundled example streams, and each
//! example's payload rendered in every envelope (with the priority and tag
//! its variant documents), records `logspec-gen` draws for every spec
//! (most for the specs whose documents give no examples); for the record
//! readers, each example and stream as the formats of the record kind it
//! belongs to. A target's old seeds (`seed-*`) are replaced; what the
//! fuzzer added to the corpus is kept.

use arbitrary::{Arbitrary, Unstructured};
use logspec_checker::Plan;
use logspec_fuzz::chunked::Chunking;
use logspec_fuzz::export::ArbitraryExport;
use logspec_fuzz::render::{self, JournalValue, Padding, SdElement};
use logspec_fuzz::spec_model::ArbitrarySpec;
use logspec_fuzz::specs::{self, builtins};
use logspec_gen::{BreakTarget, Broken, Framing, Generator, Hosts, ScenarioOptions, StreamOptions};
use logspec_reader::{
    detect, field_instant, parse_pairs, read_envelope, read_record, Epoch, Format, Priority,
};
use logspec_spec::load_str;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::{fs, io};

/// The longest input `fuzz/run` gives the `spec` target (`-max_len`).
const SPEC_MAX_LEN: usize = 8192;

/// The bundled example streams.
const STREAMS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../spec/examples");

fn main() -> ExitCode {
    let root = PathBuf::from(
        std::env::args()
            .nth(1)
            .unwrap_or_else(|| "corpus".to_owned()),
    );
    match seeds().and_then(|seeds| write(&root, &seeds)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("seed-corpora: {error}");
            ExitCode::FAILURE
        }
    }
}

type Seeds = BTreeMap<String, BTreeSet<Vec<u8>>>;

fn seeds() -> io::Result<Seeds> {
    let mut seeds = Seeds::new();
    let mut add = |target: &str, seed: &[u8]| {
        seeds
            .entry(target.to_owned())
            .or_default()
            .insert(seed.to_vec());
    };
    let examples = example_streams()?;
    record_seeds(&examples, &mut add);
    // Streams for the stream targets, each with the built-in specs (their
    // index in `builtins()`) it is checked against there.
    let mut streams: Vec<(Vec<usize>, Vec<u8>)> = examples
        .iter()
        .map(|(path, bytes)| (specs_of_path(path), bytes.clone()))
        .collect();

    for (spec_index, compiled) in builtins().iter().enumerate() {
        add("spec", compiled.loaded.text.as_bytes());
        let plan = &compiled.plan;
        let spec = specs::selector(spec_index);
        let mut by_format: BTreeMap<&'static str, Vec<String>> = BTreeMap::new();
        for (event_index, event) in compiled.loaded.spec.events.iter().enumerate() {
            for (variant_index, variant) in event.variants.iter().enumerate() {
                for example in &variant.examples {
                    let line = example.line.as_str();
                    add("check", &[&[spec, 0][..], line.as_bytes()].concat());
                    let Some(payload) = payload_of(plan, line) else {
                        continue;
                    };
                    add("keyvalue", payload.as_bytes());
                    for pair in parse_pairs(&payload).unwrap_or_default() {
                        add("values", pair.value.as_bytes());
                    }
                    let compiled_variant = &plan.events[event_index].variants[variant_index];
                    let priority = Priority {
                        facility: plan.facility.map_or(1, |(code, _)| code),
                        severity: compiled_variant.severity.min(7),
                    };
                    let mut tags: Vec<&str> =
                        compiled_variant.tags.iter().map(String::as_str).collect();
                    tags.sort_unstable();
                    let tag = tags.first().copied().unwrap_or(plan.producer.as_str());
                    for (target, format, rendered) in renderings(&payload, priority, tag) {
                        add(target, rendered.as_bytes());
                        add("check", &[&[spec, 0][..], rendered.as_bytes()].concat());
                        by_format.entry(format.name()).or_default().push(rendered);
                    }
                }
            }
        }
        for lines in by_format.values() {
            streams.push((
                vec![spec_index],
                format!("{}\n", lines.join("\n")).into_bytes(),
            ));
        }
        if let Some(lines) = by_format.get(Format::Rfc3164.name()) {
            // Windows line endings, and a last line without its newline.
            streams.push((vec![spec_index], lines.join("\r\n").into_bytes()));
        }
    }

    generated_streams(&mut streams, &mut add);

    for (specs, stream) in &streams {
        for &spec_index in specs {
            let spec = specs::selector(spec_index);
            // Format detected; forced to the spec's first format; both
            // again with the rule parameters set, when the spec has any
            // (`check` reads the second byte so); and as `shape` reads it.
            add("check", &[&[spec, 0][..], stream].concat());
            add("check", &[&[spec, 4][..], stream].concat());
            if !builtins()[spec_index].params.is_empty() {
                add("check", &[&[spec, 2][..], stream].concat());
                add("check", &[&[spec, 6][..], stream].concat());
            }
            add("shape", &[&[spec][..], stream].concat());
        }
        for line in stream.split(|&b| b == b'\n') {
            add("rfc3164", line);
        }
        // Whole, then with short lines, small chunks and failed reads.
        for (limit, plan) in [(0, &[][..]), (40, &[3, 0, 17, 1][..]), (7, &[1][..])] {
            let mut seed = Chunking::header(limit, plan);
            seed.extend_from_slice(stream);
            add("lines", &seed);
            for &spec_index in specs {
                add(
                    "chunks",
                    &[&[specs::selector(spec_index)][..], &seed].concat(),
                );
            }
        }
    }
    // The structure-aware targets take no text; what they make of it
    // seeds the OTLP export reader too.
    for seed in pseudo_random(16) {
        add("roundtrip", &seed);
        add("otlp-export", &seed);
        add("spec-model", &seed);
        add("spec-lint", &seed);
        if let Ok(export) = ArbitraryExport::arbitrary(&mut Unstructured::new(&seed)) {
            let mut line = Chunking::header(0, &[]);
            line.extend_from_slice(export.line().0.as_bytes());
            add(Format::OtlpJson.name(), &line);
        }
    }
    // Whole specs the loader takes, for the `spec` target, whose other
    // seeds (the built-in specs' heads, cut at its 8 KB) all fail to load:
    // specs the model draws, written as the target reads any text.
    let mut whole = 0;
    for seed in pseudo_random(256) {
        let Ok(spec) = ArbitrarySpec::arbitrary_take_rest(Unstructured::new(&seed)) else {
            continue;
        };
        let text = spec.text();
        if text.len() <= SPEC_MAX_LEN && load_str(&text, "seed.yaml").is_ok() {
            add("spec", text.as_bytes());
            whole += 1;
            if whole == 24 {
                break;
            }
        }
    }
    // Each line of the example exports on its own.
    for (_, stream) in &streams {
        for line in stream.split(|&b| b == b'\n') {
            let text = String::from_utf8_lossy(line);
            if detect(&text, &[Format::OtlpJson]).is_some() {
                let mut seed = Chunking::header(0, &[]);
                seed.extend_from_slice(line);
                add(Format::OtlpJson.name(), &seed);
            }
        }
    }
    Ok(seeds)
}

/// Records drawn by `logspec-gen` for every built-in spec, so that the
/// stream targets start deep in every spec, not only in those whose
/// documents give examples (Hexon's catalogue and the RCE event log give
/// none): in each format the spec declares, short conforming streams and
/// streams whose every record is broken in one way; and a short scenario that
/// keeps the stream rules (with every rule parameter set: `check` reads
/// the second byte's bit 1 so) and one that breaks a rule. Kept short,
/// since the stream targets read at most 2 KB of an input. A spec for
/// which nothing can be drawn is reported, not skipped in silence.
fn generated_streams(streams: &mut Vec<(Vec<usize>, Vec<u8>)>, add: &mut impl FnMut(&str, &[u8])) {
    const RECORDS: usize = 4;
    for (spec_index, compiled) in builtins().iter().enumerate() {
        let spec = &compiled.loaded.spec;
        let generator = match Generator::new(spec) {
            Ok(generator) => generator,
            Err(error) => {
                eprintln!(
                    "seed-corpora: {}: no generated seeds: {error}",
                    compiled.name
                );
                continue;
            }
        };
        let mut drawn = 0;
        let framings = Framing::all_for(spec);
        // More draws for a spec of many variants (Hexon's 2,033), so that
        // its seeds spread over them.
        let variants: usize = compiled
            .plan
            .events
            .iter()
            .map(|event| event.variants.len())
            .sum();
        let draws = (variants / 64).clamp(1, 16) as u64;
        let runs = (0..draws).flat_map(|seed| [(seed, Broken::None), (seed, Broken::All)]);
        'framings: for &framing in &framings {
            for (seed, broken) in runs.clone() {
                let options = StreamOptions {
                    broken,
                    ..StreamOptions::valid(framing, RECORDS)
                };
                let lines = generator
                    .sample_stream(&options, seed)
                    .and_then(|lines| lines.collect::<Result<Vec<_>, _>>());
                let rendered: Result<Vec<String>, _> = match lines {
                    Ok(lines) => lines
                        .iter()
                        .map(|line| logspec_gen::render(framing, &line.record))
                        .collect(),
                    // What one draw cannot make in this format, none can.
                    Err(error) => {
                        eprintln!("seed-corpora: {} in {framing}: {error}", compiled.name);
                        continue 'framings;
                    }
                };
                match rendered {
                    Ok(lines) => {
                        streams.push((
                            vec![spec_index],
                            format!("{}\n", lines.join("\n")).into_bytes(),
                        ));
                        drawn += 1;
                    }
                    Err(error) => {
                        eprintln!("seed-corpora: {} in {framing}: {error}", compiled.name)
                    }
                }
            }
        }
        let Some(&framing) = framings.first() else {
            continue;
        };
        // Without rules there is nothing for a scenario to break.
        let breaks: &[bool] = if compiled.plan.rules.is_empty() {
            &[false]
        } else {
            &[false, true]
        };
        for &broken in breaks {
            let options = ScenarioOptions {
                framing,
                records: 2 * RECORDS..=2 * RECORDS,
                broken,
                hosts: Hosts::Written,
                one_input: true,
                params: compiled.params.clone(),
                target: BreakTarget::default(),
            };
            let text = generator
                .sample_scenario(&options, 1)
                .map_err(|error| error.to_string())
                .and_then(|scenario| scenario.render().map_err(|error| error.to_string()));
            match text {
                Ok(inputs) => {
                    for (_, text) in inputs {
                        add(
                            "check",
                            &[&[specs::selector(spec_index), 2][..], text.as_bytes()].concat(),
                        );
                        drawn += 1;
                    }
                }
                Err(error) => eprintln!("seed-corpora: {} scenario: {error}", compiled.name),
            }
        }
        if drawn == 0 {
            eprintln!("seed-corpora: {}: nothing could be drawn", compiled.name);
        }
    }
}

/// The built-in specs (indices in `builtins()`) a bundled example stream
/// is checked against: those named by its first path component or its
/// name, or declaring a record kind for its path; every spec when none is.
fn specs_of_path(path: &str) -> Vec<usize> {
    let stem = path.split(['/', '.']).next().unwrap_or_default();
    let specs: Vec<usize> = builtins()
        .iter()
        .enumerate()
        .filter(|(_, compiled)| {
            stem.starts_with(compiled.name) || compiled.plan.kind_for_path(path).is_some()
        })
        .map(|(index, _)| index)
        .collect();
    if specs.is_empty() {
        (0..builtins().len()).collect()
    } else {
        specs
    }
}

/// The payload of an example line, in whatever envelope it is written.
fn payload_of(plan: &Plan, line: &str) -> Option<String> {
    let format = detect(line, &plan.formats)?;
    let framed = read_envelope(format, line).ok()?;
    Some(framed.payload.into_owned())
}

/// `payload` in every envelope and its common variations: (the reader
/// target it seeds, its format, the line).
fn renderings(payload: &str, priority: Priority, tag: &str) -> Vec<(&'static str, Format, String)> {
    let bsd = render::bsd_timestamp(2, 3, Padding::Space, (12, 0, 1));
    let iso = render::rfc3339(
        (2026, 3, 13),
        (12, 0, 1),
        Some((6, 123_456)),
        Some((true, 0, 0)),
    );
    let rfc3164 = |priority, timestamp: &str, hostname| {
        render::Rfc3164 {
            priority,
            timestamp,
            hostname,
            tag,
            pid: Some("12345"),
        }
        .line(payload)
    };
    let sd = [SdElement {
        id: "origin@48577".to_owned(),
        params: vec![("ip".to_owned(), "10.0.0.1".to_owned())],
    }];
    let rfc5424 = |structured_data: &[SdElement]| {
        render::Rfc5424 {
            priority,
            timestamp: Some("2026-03-13T12:00:01.003Z"),
            hostname: Some("host"),
            app_name: Some(tag),
            procid: Some("12345"),
            msgid: None,
            structured_data,
            bom: false,
        }
        .line(payload)
    };
    let severity = priority.severity.to_string();
    let facility = priority.facility.to_string();
    let journald = |message| {
        render::journald(&[
            (
                "__REALTIME_TIMESTAMP",
                JournalValue::Text("1773403201003000"),
            ),
            ("PRIORITY", JournalValue::Text(&severity)),
            ("SYSLOG_FACILITY", JournalValue::Text(&facility)),
            ("SYSLOG_IDENTIFIER", JournalValue::Text(tag)),
            ("_PID", JournalValue::Text("12345")),
            ("_HOSTNAME", JournalValue::Text("host")),
            ("MESSAGE", message),
        ])
    };
    vec![
        (
            "rfc3164",
            Format::Rfc3164,
            rfc3164(None, &bsd, Some("host")),
        ),
        (
            "rfc3164",
            Format::Rfc3164,
            rfc3164(Some(priority), &bsd, None),
        ),
        (
            "rfc3164",
            Format::Rfc3164,
            rfc3164(None, &iso, Some("host")),
        ),
        ("rfc5424", Format::Rfc5424, rfc5424(&[])),
        ("rfc5424", Format::Rfc5424, rfc5424(&sd)),
        (
            "journald",
            Format::Journald,
            journald(JournalValue::Text(payload)),
        ),
        (
            "journald",
            Format::Journald,
            journald(JournalValue::Bytes(payload)),
        ),
        ("keyvalue", Format::Bare, payload.to_owned()),
    ]
}

/// Every file under `spec/examples`, with its path there, in path order.
fn example_streams() -> io::Result<Vec<(String, Vec<u8>)>> {
    let mut files = Vec::new();
    let mut dirs = vec![PathBuf::from(STREAMS)];
    while let Some(dir) = dirs.pop() {
        for entry in fs::read_dir(&dir)? {
            let path = entry?.path();
            if path.is_dir() {
                dirs.push(path);
            } else {
                let name = path.strip_prefix(STREAMS).unwrap_or(&path);
                files.push((name.to_string_lossy().into_owned(), fs::read(&path)?));
            }
        }
    }
    files.sort();
    Ok(files)
}

/// Seeds of the record readers' targets (named as their formats), of
/// `kinds` and of `instant`: each built-in spec's examples and each
/// example stream, as the formats of the record kind they belong to.
fn record_seeds(examples: &[(String, Vec<u8>)], add: &mut impl FnMut(&str, &[u8])) {
    let mut records: Vec<(Format, Vec<u8>)> = Vec::new();
    for compiled in builtins() {
        let plan = &compiled.plan;
        let formats_of = |kind: usize| plan.kinds.get(kind).map_or(&[][..], |k| &k.formats[..]);
        for (event, planned) in compiled.loaded.spec.events.iter().zip(&plan.events) {
            for example in event.variants.iter().flat_map(|variant| &variant.examples) {
                for &format in formats_of(planned.kind) {
                    records.push((format, example.line.clone().into_bytes()));
                }
            }
        }
        for (path, bytes) in examples {
            // A stream its path does not place is read as its first line
            // is detected.
            let text = String::from_utf8_lossy(bytes);
            let first = text.lines().find(|line| !line.trim().is_empty());
            let formats = match (plan.kind_for_path(path), first) {
                (Some(kind), _) => formats_of(kind).to_vec(),
                (None, Some(first)) => plan
                    .detect(None, first)
                    .map(|(_, f)| f)
                    .into_iter()
                    .collect(),
                (None, None) => Vec::new(),
            };
            for format in formats {
                records.push((format, bytes.clone()));
            }
        }
        for kind in &plan.kinds {
            for pattern in kind.path_patterns() {
                let path = pattern.replace("**", "a/b").replace(['*', '?'], "x");
                for (_, bytes) in examples {
                    let first = bytes.split(|&b| b == b'\n').next().unwrap_or_default();
                    add("kinds", &[path.as_bytes(), b"\n", first].concat());
                }
            }
        }
    }
    for (format, bytes) in &records {
        instant_seeds(*format, bytes, add);
        if format.has_payload() {
            continue;
        }
        // Whole, and with short lines, small chunks and interrupted reads.
        for (limit, plan) in [(0, &[][..]), (40, &[3, 0, 17, 1][..])] {
            let mut seed = Chunking::header(limit, plan);
            seed.extend_from_slice(bytes);
            add(format.name(), &seed);
        }
        add("kinds", &[b"-\n", &bytes[..]].concat());
    }
}

/// The timestamps of the records in `bytes` (read line by line), each
/// after a byte selecting `format` and, for field values, seconds; and
/// the syslog and journald lines themselves, whose envelope it reads.
fn instant_seeds(format: Format, bytes: &[u8], add: &mut impl FnMut(&str, &[u8])) {
    let selector = Format::ALL.iter().position(|&f| f == format).unwrap_or(0) as u8;
    let text = String::from_utf8_lossy(bytes);
    let mut fields = Vec::new();
    for line in text.lines() {
        let Ok(Some(head)) = read_record(format, line, &mut fields) else {
            continue;
        };
        if format.has_payload() {
            add("instant", &[&[selector][..], line.as_bytes()].concat());
        }
        if let Some(timestamp) = head.envelope.timestamp {
            add("instant", &[&[selector][..], timestamp.as_bytes()].concat());
        }
        for field in &fields {
            if field_instant(&field.value, Some(Epoch::Seconds)).is_some() {
                add(
                    "instant",
                    &[&[selector + 16][..], field.value.as_bytes()].concat(),
                );
            }
        }
    }
}

/// Reproducible bytes for the structure-aware target, whose input is no text.
fn pseudo_random(count: usize) -> Vec<Vec<u8>> {
    let mut state: u64 = 0x5EED_1095_5EC0_0001;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    (0..count)
        .map(|index| (0..16 << (index % 6)).map(|_| next() as u8).collect())
        .collect()
}

fn write(root: &Path, seeds: &Seeds) -> io::Result<()> {
    for (target, seeds) in seeds {
        let dir = root.join(target);
        fs::create_dir_all(&dir)?;
        for entry in fs::read_dir(&dir)? {
            let path = entry?.path();
            let stale = path
                .file_name()
                .and_then(|name| name.to_str())
                .is_some_and(|name| name.starts_with("seed-"));
            if stale {
                fs::remove_file(&path)?;
            }
        }
        for seed in seeds {
            fs::write(dir.join(format!("seed-{:016x}", fnv1a(seed))), seed)?;
        }
        println!("{target}: {} seeds", seeds.len());
    }
    Ok(())
}

/// FNV-1a: stable names, so regenerating the seeds changes no file that
/// did not change.
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |hash, &byte| {
        (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3)
    })
}
