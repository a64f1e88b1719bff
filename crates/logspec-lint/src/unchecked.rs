//! Statements of the document that no check covers. A spec lists what logs
//! cannot show under `unchecked`; lint names each one with its section and
//! reason, so a passing check is never read as covering more than it does.

use crate::Context;
use logspec_checker::{Code, Finding};

pub(crate) fn check(context: &Context<'_>, findings: &mut Vec<Finding>) {
    for (index, unchecked) in context.loaded.spec.unchecked.iter().enumerate() {
        findings.push(context.finding(
            Code::UncheckedStatement,
            &format!("/unchecked/{index}"),
            format!(
                "not checked ({}): {} — {}",
                unchecked.section, unchecked.statement, unchecked.reason
            ),
        ));
    }
}
