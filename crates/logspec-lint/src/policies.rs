//! Document-wide level policies against the entries they govern: an entry
//! the spec puts in a policy class must have the class's level and audit
//! mark, and one outside every class of a policy's sections is noted, so
//! a reviewer sees what the policy leaves unclassified.

use crate::{tables::display, variant_pointer, Context};
use logspec_finding::{Code, Finding};

pub(crate) fn check(context: &Context<'_>, findings: &mut Vec<Finding>) {
    let spec = &context.loaded.spec;
    for (policy_index, policy) in spec.policies.iter().enumerate() {
        let policy_pointer = format!("/policies/{policy_index}");
        for (e, v, event, variant) in spec.variants() {
            let governed = variant.section.as_deref().is_some_and(|section| {
                policy
                    .sections
                    .iter()
                    .any(|prefix| section.starts_with(prefix.as_str()))
            });
            let Some(class_name) = variant.class.as_deref().filter(|_| governed) else {
                continue;
            };
            let Some(class) = policy.classes.get(class_name) else {
                continue;
            };
            let mut levels: Vec<&str> = std::iter::once(variant.severity.as_str())
                .chain(variant.severities.iter().map(String::as_str))
                .collect();
            levels.dedup();
            let audited = variant.audit.unwrap_or(false);
            let level_ok = levels == [class.level.as_str()];
            if level_ok && audited == class.audit {
                continue;
            }
            let written = format!(
                "{}{}",
                levels.join("/"),
                if audited { "+AUDIT" } else { "" }
            );
            let wanted = format!("{}{}", class.level, if class.audit { "+AUDIT" } else { "" });
            let mut finding = context.finding(
                Code::PolicyViolation,
                &variant_pointer(e, v),
                format!(
                    "{} is written {written}, but the {} policy logs its class ({class_name}) \
                     at {wanted}",
                    display(&event.id, &variant.name, event.variants.len()),
                    policy.id
                ),
            );
            finding.event = Some(event.id.clone());
            finding.variant = Some(variant.name.clone());
            finding.related.push(context.related(
                &format!("{policy_pointer}/classes/{class_name}"),
                format!("class {class_name} of policy {}", policy.id),
            ));
            findings.push(finding);
        }
    }
}
