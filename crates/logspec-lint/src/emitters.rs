//! One emitter given several syslog tags by different parts of the document.

use crate::Context;
use logspec_finding::{Code, Finding};

pub(crate) fn check(context: &Context<'_>, findings: &mut Vec<Finding>) {
    for (index, emitter) in context.loaded.spec.emitters.iter().enumerate() {
        let mut distinct: Vec<&str> = Vec::new();
        for tag in &emitter.tags {
            if !distinct.contains(&tag.tag.as_str()) {
                distinct.push(&tag.tag);
            }
        }
        if distinct.len() < 2 {
            continue;
        }
        let stated: Vec<String> = emitter
            .tags
            .iter()
            .map(|tag| format!("{} ({})", tag.tag, tag.source))
            .collect();
        let mut finding = context.finding(
            Code::EmitterTagConflict,
            &format!("/emitters/{index}/tags/0"),
            format!(
                "the document gives emitter {} several syslog tags: {}; each is accepted",
                emitter.name,
                stated.join(", ")
            ),
        );
        for (tag_index, tag) in emitter.tags.iter().enumerate().skip(1) {
            finding.related.push(context.related(
                &format!("/emitters/{index}/tags/{tag_index}"),
                format!("{}: tag {}", tag.source, tag.tag),
            ));
        }
        findings.push(finding);
    }
}
