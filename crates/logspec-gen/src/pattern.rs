//! Values for `pattern` types (and `pattern` narrowings), generated from
//! the regex itself with proptest's regex generator, so that a spec's
//! pattern needs no hand-written twin.
//!
//! A regex's classes range over all of Unicode (`[^,:]` includes a line
//! feed and NUL), but a value must fit in one log line, so every class is
//! first intersected with the printable characters. Look-arounds, which
//! proptest cannot generate, are dropped: the caller filters values through
//! the spec's own check, which still holds the real pattern.

use proptest::strategy::{BoxedStrategy, Strategy};
use regex_syntax::hir::{Class, ClassBytes, ClassBytesRange, ClassUnicode, ClassUnicodeRange};
use regex_syntax::hir::{Hir, HirKind};

/// A strategy of strings matching `source` (unanchored syntax, as in specs).
pub(crate) fn strategy(source: &str) -> Result<BoxedStrategy<String>, String> {
    let hir = regex_syntax::ParserBuilder::new()
        .build()
        .parse(source)
        .map_err(|error| format!("/{source}/: {error}"))?;
    let hir = writable(&hir)
        .ok_or_else(|| format!("/{source}/: no text it matches can be written on one log line"))?;
    proptest::string::string_regex_parsed(&hir)
        .map(|strategy| strategy.boxed())
        .map_err(|error| format!("/{source}/: {error}"))
}

/// `hir` limited to printable text on one line; `None` when it then
/// matches nothing.
fn writable(hir: &Hir) -> Option<Hir> {
    match hir.kind() {
        HirKind::Empty | HirKind::Look(_) => Some(Hir::empty()),
        HirKind::Literal(literal) => {
            (!literal.0.iter().any(|&b| b == b'\n' || b == 0)).then(|| hir.clone())
        }
        HirKind::Class(Class::Unicode(class)) => {
            let mut class = class.clone();
            class.intersect(&printable());
            (!class.ranges().is_empty()).then(|| Hir::class(Class::Unicode(class)))
        }
        HirKind::Class(Class::Bytes(class)) => {
            let mut class = class.clone();
            class.intersect(&ClassBytes::new([ClassBytesRange::new(b' ', b'~')]));
            (!class.ranges().is_empty()).then(|| Hir::class(Class::Bytes(class)))
        }
        HirKind::Repetition(repetition) => match writable(&repetition.sub) {
            Some(sub) => Some(Hir::repetition(repetition.with(sub))),
            None if repetition.min == 0 => Some(Hir::empty()),
            None => None,
        },
        HirKind::Capture(capture) => writable(&capture.sub).map(|sub| {
            let mut capture = capture.clone();
            capture.sub = Box::new(sub);
            Hir::capture(capture)
        }),
        HirKind::Concat(subs) => subs
            .iter()
            .map(writable)
            .collect::<Option<Vec<_>>>()
            .map(Hir::concat),
        HirKind::Alternation(subs) => {
            let kept: Vec<Hir> = subs.iter().filter_map(writable).collect();
            (!kept.is_empty()).then(|| Hir::alternation(kept))
        }
    }
}

/// Printable characters: no C0/C1 controls (so no line breaks, tabs or
/// NULs) and no surrogates or noncharacters at the end of the BMP.
fn printable() -> ClassUnicode {
    ClassUnicode::new([
        ClassUnicodeRange::new(' ', '~'),
        ClassUnicodeRange::new('\u{A0}', '\u{D7FF}'),
        ClassUnicodeRange::new('\u{E000}', '\u{FFFD}'),
        ClassUnicodeRange::new('\u{10000}', '\u{10FFFF}'),
    ])
}

#[cfg(test)]
mod tests {
    use super::*;
    use logspec_spec::Pattern;
    use proptest::strategy::ValueTree;
    use proptest::test_runner::TestRunner;

    fn samples(source: &str) -> Vec<String> {
        let strategy = strategy(source).unwrap();
        let mut runner = TestRunner::deterministic();
        (0..200)
            .map(|_| strategy.new_tree(&mut runner).unwrap().current())
            .collect()
    }

    #[test]
    fn values_match_and_fit_on_a_line() {
        for source in [
            "[^,:]+:[^,:]+",
            "(?:denied|bad credentials|hook exited [0-9]+)",
            r"\w+\s\d{2}",
            "(?s).{1,5}",
            r"\bword\b",
        ] {
            let pattern = Pattern::new(source).unwrap();
            for value in samples(source) {
                assert!(!value.contains(['\n', '\0', '\t']), "{source}: {value:?}");
                if !source.contains(r"\b") {
                    assert!(pattern.is_match(&value), "{source}: {value:?}");
                }
            }
        }
    }

    #[test]
    fn patterns_that_need_a_line_break_are_refused() {
        assert!(strategy("a\nb").is_err());
        assert!(strategy("[\n\r]+").is_err());
        assert!(strategy("(").is_err());
        assert!(strategy("a(\n)?").is_ok());
    }
}
