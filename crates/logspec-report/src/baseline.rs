//! Baselines, for services with known drift: `--write-baseline` records
//! today's findings by a stable fingerprint, `--baseline` accepts findings
//! with a recorded fingerprint and fails only on new ones, and lists the
//! recorded fingerprints nothing matched any more, so the file shrinks as
//! the debt is paid.
//!
//! A fingerprint is what identifies a finding across runs and captures:
//! its code, event, variant, field, stream rule and the shape of its
//! correlation key (the key's part names, not their values). Line numbers,
//! timestamps, file names and values are left out: they change from run to
//! run. So a baseline entry accepts every finding of its kind (every
//! `parse-error`, say, as parse errors name no event), which is what known
//! debt means; a new kind of finding is never accepted.

use logspec_finding::Finding;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// What identifies a finding across runs.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Fingerprint {
    pub code: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub event: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub variant: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rule: Option<String>,
    /// The correlation key's part names (`REQID, host`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub key: Option<String>,
}

impl Fingerprint {
    pub fn of(finding: &Finding) -> Fingerprint {
        Fingerprint {
            code: finding.code.as_str().to_owned(),
            event: finding.event.clone(),
            variant: finding.variant.clone(),
            field: finding.field.clone(),
            rule: finding.rule.clone(),
            key: finding.key.as_deref().map(key_shape),
        }
    }
}

/// `REQID=a1b2, host=db-01` → `REQID, host`.
fn key_shape(key: &str) -> String {
    key.split(", ")
        .filter_map(|part| part.split_once('=').map(|(name, _)| name))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The baseline file: JSON, sorted, one entry per fingerprint with how many
/// findings it had when written (for people; matching ignores it).
#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct BaselineFile {
    /// Format version.
    logspec_baseline: u32,
    /// The spec's producer name: a baseline is for one spec.
    spec: String,
    findings: Vec<Entry>,
}

/// A fingerprint and its count, flat (serde cannot refuse unknown keys
/// through `flatten`).
#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Entry {
    code: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    event: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    variant: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    field: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    rule: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    key: Option<String>,
    count: u64,
}

impl Entry {
    fn new(fingerprint: &Fingerprint, count: u64) -> Entry {
        let Fingerprint {
            code,
            event,
            variant,
            field,
            rule,
            key,
        } = fingerprint.clone();
        Entry {
            code,
            event,
            variant,
            field,
            rule,
            key,
            count,
        }
    }

    fn fingerprint(self) -> Fingerprint {
        Fingerprint {
            code: self.code,
            event: self.event,
            variant: self.variant,
            field: self.field,
            rule: self.rule,
            key: self.key,
        }
    }
}

const VERSION: u32 = 1;

/// Why a baseline file cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum BaselineError {
    #[error("not a logspec baseline: {0}")]
    Format(#[from] serde_json::Error),
    #[error("baseline format version {0} is not supported (this logspec writes {VERSION})")]
    Version(u32),
    #[error("the baseline is for spec {found}, not {expected}")]
    Spec { found: String, expected: String },
}

/// Fingerprints counted as findings stream by.
#[derive(Debug, Default)]
pub struct Recorder {
    counts: BTreeMap<Fingerprint, u64>,
}

impl Recorder {
    pub fn add(&mut self, finding: &Finding) {
        *self.counts.entry(Fingerprint::of(finding)).or_default() += 1;
    }

    /// The baseline file's text.
    pub fn to_json(&self, spec: &str) -> String {
        let file = BaselineFile {
            logspec_baseline: VERSION,
            spec: spec.to_owned(),
            findings: self
                .counts
                .iter()
                .map(|(fingerprint, count)| Entry::new(fingerprint, *count))
                .collect(),
        };
        // Serialising plain strings and numbers cannot fail.
        let mut text = serde_json::to_string_pretty(&file).unwrap_or_default();
        text.push('\n');
        text
    }
}

/// A loaded baseline, marking which entries today's findings matched.
#[derive(Debug)]
pub struct Baseline {
    /// Each recorded fingerprint and whether a finding matched it.
    entries: BTreeMap<Fingerprint, bool>,
    pub matched: u64,
}

impl Baseline {
    /// Reads a baseline written for `spec`.
    pub fn parse(text: &str, spec: &str) -> Result<Baseline, BaselineError> {
        let file: BaselineFile = serde_json::from_str(text)?;
        if file.logspec_baseline != VERSION {
            return Err(BaselineError::Version(file.logspec_baseline));
        }
        if file.spec != spec {
            return Err(BaselineError::Spec {
                found: file.spec,
                expected: spec.to_owned(),
            });
        }
        Ok(Baseline {
            entries: file
                .findings
                .into_iter()
                .map(|entry| (entry.fingerprint(), false))
                .collect(),
            matched: 0,
        })
    }

    /// Whether the baseline accepts `finding` (and notes that it did).
    pub fn accepts(&mut self, finding: &Finding) -> bool {
        match self.entries.get_mut(&Fingerprint::of(finding)) {
            Some(matched) => {
                *matched = true;
                self.matched += 1;
                true
            }
            None => false,
        }
    }

    /// Recorded fingerprints no finding matched.
    pub fn stale(&self) -> Vec<Fingerprint> {
        self.entries
            .iter()
            .filter(|(_, matched)| !**matched)
            .map(|(fingerprint, _)| fingerprint.clone())
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use logspec_finding::Code;
    use std::sync::Arc;

    fn finding(line: u64, value: &str) -> Finding {
        let mut finding = Finding::new(
            Code::InvalidValue,
            &Arc::from("a.log"),
            line,
            format!("TARGET={value} has no port"),
        );
        finding.event = Some("run".to_owned());
        finding.variant = Some("success".to_owned());
        finding.field = Some("TARGET".to_owned());
        finding
    }

    #[test]
    fn fingerprints_ignore_lines_messages_and_key_values() {
        assert_eq!(
            Fingerprint::of(&finding(2, "db-01")),
            Fingerprint::of(&finding(90, "db-02"))
        );
        let mut keyed = finding(2, "x");
        keyed.key = Some("REQID=a1b2c3d4e5f60001, host=db-01".to_owned());
        assert_eq!(Fingerprint::of(&keyed).key.as_deref(), Some("REQID, host"));
        let mut other_field = finding(2, "x");
        other_field.field = Some("HOSTS".to_owned());
        assert_ne!(
            Fingerprint::of(&other_field),
            Fingerprint::of(&finding(2, "x"))
        );
    }

    #[test]
    fn written_baseline_accepts_its_findings_and_reports_stale_entries() {
        let mut recorder = Recorder::default();
        recorder.add(&finding(2, "a"));
        recorder.add(&finding(3, "b"));
        let mut field_order = Finding::new(Code::FieldOrder, &Arc::from("a.log"), 4, String::new());
        field_order.event = Some("lock-release".to_owned());
        recorder.add(&field_order);
        let text = recorder.to_json("ctrl-exec");
        let mut baseline = match Baseline::parse(&text, "ctrl-exec") {
            Ok(baseline) => baseline,
            Err(error) => panic!("{error}\n{text}"),
        };
        assert!(baseline.accepts(&finding(7, "c")));
        let mut new = finding(7, "c");
        new.code = Code::MissingField;
        assert!(!baseline.accepts(&new));
        assert_eq!(baseline.matched, 1);
        let stale = baseline.stale();
        assert_eq!(stale.len(), 1);
        assert_eq!(stale[0].code, "field-order");
    }

    #[test]
    fn a_baseline_for_another_spec_or_version_is_refused() {
        let text = Recorder::default().to_json("ctrl-exec");
        assert!(matches!(
            Baseline::parse(&text, "hexon"),
            Err(BaselineError::Spec { .. })
        ));
        let future = text.replace("\"logspec_baseline\": 1", "\"logspec_baseline\": 9");
        assert!(matches!(
            Baseline::parse(&future, "ctrl-exec"),
            Err(BaselineError::Version(9))
        ));
        assert!(matches!(
            Baseline::parse("{}", "ctrl-exec"),
            Err(BaselineError::Format(_))
        ));
    }
}
