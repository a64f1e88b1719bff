//! The mutation engine itself: every kind is produced where the framing
//! allows it, and mutations a sibling variant would claim are not.

use logspec_gen::{Framing, Generator, Mutated, MutationKind, Sampler};
use logspec_spec::builtin;
use std::collections::BTreeSet;

fn generator(name: &str) -> Generator {
    let spec = builtin(name)
        .expect("a built-in spec")
        .load()
        .expect("built-in specs load")
        .spec;
    Generator::new(&spec).expect("built-in specs generate")
}

fn ctrl_exec() -> Generator {
    generator("ctrl-exec")
}

/// The kinds that need messages and audit marks, which ctrl-exec lacks.
const MESSAGE_KINDS: [MutationKind; 2] =
    [MutationKind::ReplaceMessage, MutationKind::DropAuditMark];

fn draws(
    generator: &Generator,
    event: Option<&str>,
    variant: Option<usize>,
    framing: Framing,
    count: usize,
) -> Vec<Mutated> {
    let event = event.map(|id| generator.event_index(id).expect("a documented event"));
    let strategy = match (event, variant) {
        (Some(event), Some(variant)) => generator
            .mutated(event, variant, framing)
            .expect("a documented variant"),
        _ => generator
            .any_mutated(event, framing)
            .expect("an event or none"),
    };
    let mut sampler = Sampler::new(6);
    (0..count)
        .map(|_| sampler.sample(&strategy).expect("mutations are exact"))
        .collect()
}

fn kinds(mutations: &[Mutated]) -> BTreeSet<MutationKind> {
    mutations
        .iter()
        .map(|mutated| mutated.mutation.kind)
        .collect()
}

#[test]
fn every_kind_is_produced_where_the_framing_carries_it() {
    let generator = ctrl_exec();
    let all: BTreeSet<MutationKind> = MutationKind::ALL
        .into_iter()
        .filter(|kind| !MESSAGE_KINDS.contains(kind))
        .collect();
    assert_eq!(
        kinds(&draws(&generator, None, None, Framing::Rfc5424, 200)),
        all
    );
    // A bare payload carries no priority and no tag.
    let payload_only: BTreeSet<MutationKind> = all
        .iter()
        .copied()
        .filter(|kind| {
            !matches!(
                kind,
                MutationKind::SwapSeverity | MutationKind::SwapFacility | MutationKind::WrongTag
            )
        })
        .collect();
    assert_eq!(
        kinds(&draws(&generator, None, None, Framing::Bare, 200)),
        payload_only
    );
    // /var/log/syslog lines carry a tag but no priority.
    let with_tag: BTreeSet<MutationKind> = payload_only
        .iter()
        .copied()
        .chain([MutationKind::WrongTag])
        .collect();
    assert_eq!(
        kinds(&draws(&generator, None, None, Framing::SYSLOG_FILE, 200)),
        with_tag
    );
}

#[test]
fn messages_and_audit_marks_are_broken_where_a_spec_has_them() {
    let hexon = generator("hexon");
    for framing in [Framing::JsonLines, Framing::OtlpJson] {
        // jit2fa.handoff.mint: every entry is AUDIT and lists its message.
        let drawn = kinds(&draws(
            &hexon,
            Some("jit2fa.handoff.mint"),
            None,
            framing,
            200,
        ));
        for kind in MESSAGE_KINDS {
            assert!(drawn.contains(&kind), "{kind:?} in {framing}: {drawn:?}");
        }
    }
}

#[test]
fn mutations_a_sibling_would_claim_are_left_out() {
    let generator = ctrl_exec();
    // A hook denial without REASON is an allowlist denial: no finding.
    let hook = draws(&generator, Some("deny"), Some(0), Framing::Bare, 150);
    assert!(hook
        .iter()
        .any(|m| m.mutation.kind == MutationKind::DropField));
    assert!(!hook
        .iter()
        .any(|m| m.mutation.kind == MutationKind::DropField
            && m.mutation.expected.field.as_deref() == Some("REASON")));
    // An allowlist denial with REASON is a hook denial.
    let allowlist = draws(&generator, Some("deny"), Some(1), Framing::Bare, 150);
    assert!(!allowlist
        .iter()
        .any(|m| m.mutation.kind == MutationKind::AddField
            && m.mutation.expected.field.as_deref() == Some("REASON")));
    // A dispatcher-side pair-timeout without a tag to tell it apart ties
    // with the agent side, declared first, which raises the same finding:
    // the prediction holds, so the mutation is kept.
    let timeout = draws(
        &generator,
        Some("pair-timeout"),
        Some(1),
        Framing::Bare,
        300,
    );
    assert!(timeout
        .iter()
        .any(|m| m.mutation.kind == MutationKind::DropField
            && m.mutation.expected.field.as_deref() == Some("REQID")));
    // With a tag, the dispatcher side cannot be given the agent's tag.
    let tagged = draws(
        &generator,
        Some("pair-timeout"),
        Some(1),
        Framing::Rfc5424,
        300,
    );
    assert!(!tagged.iter().any(
        |m| m.mutation.kind == MutationKind::WrongTag && m.record.meta.tag == "ctrl-exec-agent"
    ));
    assert!(tagged
        .iter()
        .any(|m| m.mutation.kind == MutationKind::WrongTag));
}
