//! The document's own example lines, checked like any log line.
//!
//! An example that raises findings is a place where the document disagrees
//! with itself (the example against its section); an example classified to
//! another variant means the spec filed it wrongly or cannot tell the two
//! apart; an `expect` list that no longer matches is stale.

use crate::{tables::display, Context};
use logspec_checker::{CheckOptions, Checker, Plan};
use logspec_finding::{Code, Finding};
use std::collections::BTreeSet;

pub(crate) fn check(context: &Context<'_>, findings: &mut Vec<Finding>) {
    let spec = &context.loaded.spec;
    let plan = match Plan::new(spec) {
        Ok(plan) => plan,
        // A name that does not resolve: the spec is invalid, as the loader
        // would have said; its examples cannot be checked.
        Err(error) => {
            findings.push(context.finding(
                Code::SpecInvalid,
                &error.pointer,
                error.problem.to_string(),
            ));
            return;
        }
    };
    for (event_index, event) in spec.events.iter().enumerate() {
        for (variant_index, variant) in event.variants.iter().enumerate() {
            for (example_index, example) in variant.examples.iter().enumerate() {
                let pointer = format!(
                    "/events/{event_index}/variants/{variant_index}/examples/{example_index}"
                );
                let here = display(&event.id, &variant.name, event.variants.len());
                // One line alone: its stream rules would only say it is alone.
                // Checked as the record kind its event belongs to.
                let options = CheckOptions {
                    stream_rules: false,
                    kind: Some(plan.kinds[plan.events[event_index].kind].name.clone()),
                    ..CheckOptions::default()
                };
                let mut checker = Checker::new(&plan, options);
                let mut raised: Vec<Finding> = Vec::new();
                if let Err(error) =
                    checker.check_input("example", example.line.as_bytes(), &mut raised)
                {
                    // Reading from memory cannot fail; say so if it ever does.
                    findings.push(context.finding(
                        Code::ExampleFinding,
                        &pointer,
                        format!("example could not be read: {error}"),
                    ));
                    continue;
                }
                let classified = checker.coverage().first_seen().map(|(seen, form)| {
                    let form = plan.variant_name(seen, form).unwrap_or(&variant.name);
                    (plan.events[seen].id.to_string(), form.to_owned())
                });
                // An example the document prints in a shape its format does
                // not allow is expected to be no record at all.
                let unreadable = classified.is_none()
                    && example
                        .expect
                        .iter()
                        .any(|code| code == Code::ParseError.as_str());
                if !unreadable
                    && classified.as_ref() != Some(&(event.id.clone(), variant.name.clone()))
                {
                    let got = match &classified {
                        Some((event, variant)) => format!("{event}/{variant}"),
                        None => "nothing (not a record)".to_owned(),
                    };
                    let mut finding = context.finding(
                        Code::ExampleMisclassified,
                        &pointer,
                        format!("this example of {here} is recognised as {got}"),
                    );
                    finding.event = Some(event.id.clone());
                    finding.variant = Some(variant.name.clone());
                    findings.push(finding);
                }
                for (index, found) in raised.iter().enumerate() {
                    // One finding per code and example: a multi-line example
                    // that cannot be read fails on every line alike.
                    let same = raised
                        .iter()
                        .filter(|other| other.code == found.code)
                        .count();
                    if raised[..index]
                        .iter()
                        .any(|earlier| earlier.code == found.code)
                    {
                        continue;
                    }
                    let more = match same {
                        1 => String::new(),
                        _ => format!(" (and {} more like it)", same - 1),
                    };
                    let mut finding = context.finding(
                        Code::ExampleFinding,
                        &pointer,
                        format!(
                            "the document's example of {here} contradicts its section: {} ({}){more}",
                            found.message,
                            found.code.as_str()
                        ),
                    );
                    finding.event = Some(event.id.clone());
                    finding.variant = Some(variant.name.clone());
                    finding.field = found.field.clone();
                    finding.related.push(context.related(
                        &format!("/events/{event_index}/variants/{variant_index}/fields"),
                        format!(
                            "{}: the fields the section documents",
                            variant.section.as_deref().unwrap_or(&event.section)
                        ),
                    ));
                    findings.push(finding);
                }
                let expected: BTreeSet<&str> = example.expect.iter().map(String::as_str).collect();
                let actual: BTreeSet<&str> = raised.iter().map(|f| f.code.as_str()).collect();
                if expected != actual {
                    let list = |codes: &BTreeSet<&str>| {
                        if codes.is_empty() {
                            "nothing".to_owned()
                        } else {
                            codes.iter().copied().collect::<Vec<_>>().join(", ")
                        }
                    };
                    findings.push(context.finding(
                        Code::ExampleExpectationStale,
                        &pointer,
                        format!(
                            "example of {here} is expected to raise {} but raises {}",
                            list(&expected),
                            list(&actual)
                        ),
                    ));
                }
            }
        }
    }
}
