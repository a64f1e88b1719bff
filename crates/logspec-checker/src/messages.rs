//! Which variants of an event a record's message fits, found at once.
//!
//! An event's variants each list the messages they are logged with, and a
//! record is held to the variants its message fits. Trying every variant's
//! messages in turn compared the message with every literal the event
//! lists (Hexon's busiest events list 20 to 55). The literals, nearly all
//! of the messages, are looked up in one map instead (3.6% fewer
//! instructions on Hexon's JSON lines); the patterns are few and tried in
//! turn. The verdict per variant is [`VariantPlan::message_fit`]'s, which
//! a test holds it to.

use crate::plan::{MessageFit, VariantPlan};
use foldhash::fast::RandomState;
use logspec_spec::{MessageMatch, Pattern};
use std::collections::HashMap;

#[derive(Debug, Default)]
pub struct MessageIndex {
    /// A literal message → the variants that list it, in order.
    literal: HashMap<String, Vec<usize>, RandomState>,
    /// Every listed pattern with its variant, in variant order.
    patterns: Vec<(usize, Pattern)>,
    /// Per variant, its fit when no literal or pattern it lists matches
    /// ([`VariantPlan::unquoted_fit`]).
    unquoted: Vec<MessageFit>,
    /// Some variant lists a described message (any message).
    describes: bool,
}

impl MessageIndex {
    pub fn new(variants: &[VariantPlan]) -> MessageIndex {
        let mut index = MessageIndex::default();
        for (at, variant) in variants.iter().enumerate() {
            for known in &variant.messages {
                match known {
                    MessageMatch::Literal(text) => {
                        let listing = index.literal.entry(text.clone()).or_default();
                        if listing.last() != Some(&at) {
                            listing.push(at);
                        }
                    }
                    MessageMatch::Pattern(pattern) => index.patterns.push((at, pattern.clone())),
                    MessageMatch::Any => index.describes = true,
                }
            }
            index.unquoted.push(variant.unquoted_fit());
        }
        index
    }

    /// Whether a variant that lists messages takes `message`: by a
    /// literal or pattern it lists, or because it lists a described one.
    /// How a record without an event key is told by its message.
    pub fn listed(&self, message: &str) -> bool {
        self.describes
            || self.literal.contains_key(message)
            || self
                .patterns
                .iter()
                .any(|(_, pattern)| pattern.is_match(message))
    }

    /// Each variant's fit for `message`, in variant order, into `fits`.
    pub fn fits(&self, message: &str, fits: &mut Vec<MessageFit>) {
        fits.clear();
        fits.extend_from_slice(&self.unquoted);
        if let Some(listing) = self.literal.get(message) {
            for &at in listing {
                fits[at] = MessageFit::Specific;
            }
        }
        for (at, pattern) in &self.patterns {
            if fits[*at] != MessageFit::Specific && pattern.is_match(message) {
                fits[*at] = MessageFit::Specific;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan::Plan;

    /// Messages to try on an event: every message any variant of the spec
    /// lists (literals as written, patterns by their text), and near
    /// misses of them.
    fn tried(plan: &Plan) -> Vec<String> {
        let mut tried = vec![String::new(), "nothing documented".to_owned()];
        for variant in plan.events.iter().flat_map(|event| &event.variants) {
            for known in &variant.messages {
                let text = match known {
                    MessageMatch::Literal(text) => text.clone(),
                    MessageMatch::Pattern(pattern) => pattern.source().to_owned(),
                    MessageMatch::Any => continue,
                };
                tried.push(format!("{text} "));
                tried.push(text.to_uppercase());
                tried.push(text);
            }
        }
        tried
    }

    fn agrees_with_each_variant(plan: &Plan, messages: &[String]) -> usize {
        let mut fits = Vec::new();
        let mut specific = 0;
        for event in &plan.events {
            for message in messages {
                event.messages.fits(message, &mut fits);
                let one_by_one: Vec<MessageFit> = event
                    .variants
                    .iter()
                    .map(|variant| variant.message_fit(message))
                    .collect();
                assert_eq!(fits, one_by_one, "{} with {message:?}", event.id);
                let listed = event
                    .variants
                    .iter()
                    .any(|variant| !variant.messages.is_empty() && variant.logs_message(message));
                assert_eq!(
                    event.messages.listed(message),
                    listed,
                    "{} with {message:?}",
                    event.id
                );
                specific += fits
                    .iter()
                    .filter(|&&fit| fit == MessageFit::Specific)
                    .count();
            }
        }
        specific
    }

    #[test]
    fn every_builtin_event_fits_as_its_variants_do_one_by_one() {
        for builtin in logspec_spec::BUILTINS {
            let plan = match builtin.load().map(|loaded| Plan::new(&loaded.spec)) {
                Ok(Ok(plan)) => plan,
                _ => panic!("{} does not compile", builtin.name),
            };
            let messages = tried(&plan);
            // Only events of specs that list messages meet a specific one.
            let specific = agrees_with_each_variant(&plan, &messages);
            let listed = plan
                .events
                .iter()
                .any(|event| event.variants.iter().any(|v| !v.messages.is_empty()));
            assert_eq!(specific > 0, listed, "{}", builtin.name);
        }
    }

    /// Two variants listing one literal, a pattern, a described message,
    /// and a variant listing none.
    const SHARED: &str = r#"logspec: 1
producer: {name: demo, summary: A demo producer.}
document: {title: Demo logging reference}
wire:
  envelopes: [json-lines]
  event_key: event
  message: {field: msg}
severity:
  levels:
    - {name: INFO, syslog: 6}
fields:
  event: {type: string, description: Event name.}
  msg: {type: string, description: Message.}
events:
  - id: pool
    section: Events › pool
    variants:
      - name: created
        severity: INFO
        fields: [event, msg]
        messages: ["pool created", {pattern: "cert .+ renewed in [0-9]+s"}]
      - name: again
        severity: INFO
        fields: [event, msg]
        messages: ["pool created", "pool removed", {pattern: "cert .*"}]
      - name: described
        severity: INFO
        fields: [event, msg]
        messages: ["relay started", {any: true}]
      - name: unlisted
        severity: INFO
        fields: [event, msg]
"#;

    #[test]
    fn patterns_catch_alls_and_shared_literals_fit_as_one_by_one() {
        let loaded = logspec_spec::load_str(SHARED, "messages.yaml")
            .unwrap_or_else(|error| panic!("{error}"));
        let plan = Plan::new(&loaded.spec).unwrap_or_else(|error| panic!("{error}"));
        let messages: Vec<String> = [
            "pool created",
            "pool removed",
            "cert example.org renewed in 3s",
            "cert renewed",
            "relay started",
            "something else",
            "",
        ]
        .map(str::to_owned)
        .to_vec();
        assert!(agrees_with_each_variant(&plan, &messages) >= 5);
    }
}
