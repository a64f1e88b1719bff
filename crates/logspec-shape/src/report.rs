//! The two renderings of a diff: lines for people, one JSON object for
//! programs. Both list the changes in the diff's order.

use crate::diff::{Change, Impact};
use serde::Serialize;
use std::io::{self, Write};

/// Changes by impact.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Summary {
    pub breaking: usize,
    pub additive: usize,
    pub compatible: usize,
}

impl Summary {
    pub fn of(changes: &[Change]) -> Summary {
        let mut summary = Summary::default();
        for change in changes {
            match change.impact {
                Impact::Breaking => summary.breaking += 1,
                Impact::Additive => summary.additive += 1,
                Impact::Compatible => summary.compatible += 1,
            }
        }
        summary
    }
}

/// One line per change, then the counts.
pub fn human(spec: &str, changes: &[Change], records: u64, out: &mut dyn Write) -> io::Result<()> {
    for change in changes {
        let impact = match change.impact {
            Impact::Breaking => "BREAKING  ",
            Impact::Additive => "additive  ",
            Impact::Compatible => "compatible",
        };
        writeln!(out, "{impact} {}: {}", change.label(), change.message)?;
    }
    let summary = Summary::of(changes);
    if changes.is_empty() {
        writeln!(
            out,
            "shape {spec}: no changes in {records} records against the recorded shapes"
        )
    } else {
        writeln!(
            out,
            "shape {spec}: {} breaking, {} additive, {} compatible changes in {records} records",
            summary.breaking, summary.additive, summary.compatible
        )
    }
}

#[derive(Serialize)]
struct JsonDiff<'a> {
    spec: &'a str,
    records: u64,
    summary: Summary,
    changes: &'a [Change],
}

/// One pretty-printed JSON object and a newline.
pub fn json(spec: &str, changes: &[Change], records: u64, out: &mut dyn Write) -> io::Result<()> {
    let report = JsonDiff {
        spec,
        records,
        summary: Summary::of(changes),
        changes,
    };
    serde_json::to_writer_pretty(&mut *out, &report)?;
    writeln!(out)
}
