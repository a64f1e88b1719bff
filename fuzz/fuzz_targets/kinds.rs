//! Record kinds, for every built-in spec: the kind a path names
//! (`Plan::kind_for_path`, against a reference glob matcher), the kind and
//! format a first line is (`Plan::detect`, agreeing with the reader's
//! `detect` among the kind's formats), and the event its record is
//! (`identify`: one of the kind's events, or an unknown one placed in the
//! line). Input: a path, a newline, the line.
#![no_main]

use libfuzzer_sys::fuzz_target;
use logspec_checker::record::{identify, Identity};
use logspec_checker::Plan;
use logspec_fuzz::specs::builtins;
use logspec_reader::otlp::log_records;
use logspec_reader::{detect, read_record, Format};

fuzz_target!(|input: &[u8]| {
    let text = String::from_utf8_lossy(input);
    let (path, line) = text.split_once('\n').unwrap_or(("", &text));
    for compiled in builtins() {
        let plan = &compiled.plan;
        let expected = plan.kinds.iter().position(|kind| {
            kind.path_patterns()
                .any(|pattern| glob_matches_end(pattern, path))
        });
        assert_eq!(
            plan.kind_for_path(path),
            expected,
            "{}: {path:?}",
            compiled.name
        );
        for given in std::iter::once(None).chain((0..plan.kinds.len()).map(Some)) {
            match plan.detect(given, line) {
                None => {
                    for (index, kind) in plan.kinds.iter().enumerate() {
                        assert!(
                            given.is_some_and(|given| given != index)
                                || detect(line, &kind.formats).is_none(),
                            "{}: {line:?} fits {} but no kind was detected",
                            compiled.name,
                            kind.name
                        );
                    }
                }
                Some((kind, format)) => {
                    assert!(given.is_none_or(|given| given == kind), "{line:?}");
                    assert_eq!(
                        detect(line, &plan.kinds[kind].formats),
                        Some(format),
                        "{}: {line:?} detected as {format} of {}",
                        compiled.name,
                        plan.kinds[kind].name
                    );
                    if format == Format::OtlpJson {
                        // An export line: each of its log records is one.
                        for range in log_records(line).unwrap_or_default() {
                            check_identity(plan, kind, format, &line[range]);
                        }
                    } else {
                        check_identity(plan, kind, format, line);
                    }
                }
            }
        }
    }
});

/// The event `identify` finds for the record `line` (for OTLP/JSON, a
/// log record of the line) holds is one of the
/// kind's, or an unknown one placed in the line, or missing only when the
/// record names none.
fn check_identity(plan: &Plan, kind: usize, format: Format, line: &str) {
    let mut fields = Vec::new();
    let Ok(Some(head)) = read_record(format, line, &mut fields) else {
        return;
    };
    let kind_plan = &plan.kinds[kind];
    match identify(plan, kind, format, head.event.as_ref(), &mut fields) {
        Identity::Event(index) => {
            let event = plan.events.get(index);
            assert_eq!(event.map(|event| event.kind), Some(kind), "{line:?}");
        }
        Identity::Unknown { id, span } => {
            if let Some(span) = span {
                assert!(
                    line.get(span.clone()).is_some(),
                    "{line:?}: {id:?} placed at {span:?}"
                );
            }
            let known = match &head.event {
                Some(_) => kind_plan.event_by_title(format, &id),
                None => kind_plan.event(&id),
            };
            assert_eq!(known, None, "{line:?}: {id:?} is known");
        }
        Identity::Missing => assert!(
            head.event.is_none()
                && (kind_plan.event_key.is_some() || kind_plan.constant_event.is_none()),
            "{line:?}: no event found"
        ),
    }
}

/// Whether `pattern` (`/`-separated segments, `*` any run of bytes in a
/// segment, `**` any run of segments) matches the end of `path`: a
/// reference for `KindPlan::holds`, written by recursion over bytes.
fn glob_matches_end(pattern: &str, path: &str) -> bool {
    let segments = |text: &str| -> Vec<String> {
        text.split(['/', '\\'])
            .filter(|part| !part.is_empty() && *part != ".")
            .map(str::to_owned)
            .collect()
    };
    let pattern = segments(pattern);
    let parts = segments(path);
    (0..=parts.len()).any(|start| segments_match(&pattern, &parts[start..]))
}

fn segments_match(pattern: &[String], parts: &[String]) -> bool {
    match (pattern.split_first(), parts.split_first()) {
        (None, _) => parts.is_empty(),
        (Some((first, rest)), _) if first == "**" => {
            (0..=parts.len()).any(|skip| segments_match(rest, &parts[skip..]))
        }
        (Some(_), None) => false,
        (Some((first, rest)), Some((part, remaining))) => {
            segment_matches(first.as_bytes(), part.as_bytes()) && segments_match(rest, remaining)
        }
    }
}

/// `*` any run of bytes, `?` one byte (globset's, so one character of an
/// ASCII name), anything else itself.
fn segment_matches(pattern: &[u8], text: &[u8]) -> bool {
    match pattern.split_first() {
        None => text.is_empty(),
        Some((b'*', rest)) => (0..=text.len()).any(|skip| segment_matches(rest, &text[skip..])),
        Some((&c, rest)) => text.split_first().is_some_and(|(&t, remaining)| {
            (c == b'?' || c == t) && segment_matches(rest, remaining)
        }),
    }
}
