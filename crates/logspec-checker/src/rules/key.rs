//! Correlation keys from records: a field, the host of a `host:port`, each
//! element of a list, an envelope value, or a value joined from an earlier
//! record ([`Joined`]).

use super::hosts::HostNames;
use super::join::Joined;
use super::{RulePlan, StreamRecord};
use logspec_spec::{EnvelopeValue, FieldPart, KeyPart};
use smallvec::SmallVec;
use std::borrow::Cow;

/// The keys one record derives for one label, written into strings reused
/// from record to record. The engine derives a key for every record a rule
/// concerns, and building each as a new list of new strings (several
/// allocations per key) was a sixth of its work: most values are slices
/// of the record's own, copied into a string that already has the room.
#[derive(Debug, Default)]
pub struct DerivedKeys {
    /// The keys' parts end to end, `width` per key; strings past
    /// `len * width` are kept for their room.
    parts: Vec<String>,
    width: usize,
    len: usize,
}

impl DerivedKeys {
    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Each key's parts, in order.
    pub fn iter(&self) -> impl Iterator<Item = &[String]> {
        let width = self.width;
        (0..self.len).map(move |index| &self.parts[index * width..(index + 1) * width])
    }

    fn start(&mut self, width: usize) {
        self.width = width;
        self.len = 0;
    }

    /// Appends a key of `width` parts.
    fn push<'v>(&mut self, values: impl Iterator<Item = Cow<'v, str>>) {
        let first = self.len * self.width;
        for (offset, value) in values.take(self.width).enumerate() {
            match self.parts.get_mut(first + offset) {
                Some(part) => {
                    part.clear();
                    part.push_str(&value);
                }
                None => self.parts.push(value.into_owned()),
            }
        }
        self.len += 1;
    }
}

/// The keys a record steps `rule` under as participant `label`, host parts
/// in the form hosts are compared in, joined parts looked up in `joined`,
/// written into `out` (emptied first): what the engine uses, and what
/// [`label_keys`] collects for the generator's model of it.
pub fn derive_keys(
    rule: &RulePlan,
    label: usize,
    record: &StreamRecord,
    hosts: &HostNames,
    joined: &Joined,
    out: &mut DerivedKeys,
) {
    let (parts, separators) = &rule.keys[label];
    derive_into(
        parts,
        separators,
        |index, part| rule_raw_value(rule, label, index, part, record, joined),
        |index, value| compared(rule, label, index, value, record, hosts),
        out,
    );
}

/// Part `index` of `label`'s key as keys compare it: a host part in the
/// form hosts are compared in, anything else as it is.
fn compared<'v>(
    rule: &RulePlan,
    label: usize,
    index: usize,
    value: &'v str,
    record: &StreamRecord,
    hosts: &HostNames,
) -> Cow<'v, str> {
    match rule.host_parts[label].get(index) {
        Some(true) => hosts.canonical(value, record.host.as_deref()),
        _ => Cow::Borrowed(value),
    }
}

/// The keys a record steps `rule` under as participant `label`, each as
/// its own list ([`derive_keys`] collected): for the generator's model of
/// the engine (`logspec-gen`).
pub fn label_keys(
    rule: &RulePlan,
    label: usize,
    record: &StreamRecord,
    hosts: &HostNames,
    joined: &Joined,
) -> Vec<Vec<String>> {
    let mut out = DerivedKeys::default();
    derive_keys(rule, label, record, hosts, joined, &mut out);
    out.iter().map(<[String]>::to_vec).collect()
}

/// Calls `each` with every value a record shows for `rule`'s scope part as
/// participant `label` (hosts compared as in [`derive_keys`]).
pub fn for_each_scope_value(
    rule: &RulePlan,
    label: usize,
    scope: usize,
    record: &StreamRecord,
    hosts: &HostNames,
    joined: &Joined,
    mut each: impl FnMut(&str),
) {
    let (parts, separators) = &rule.keys[label];
    let (Some(part), Some(separator)) = (parts.get(scope), separators.get(scope)) else {
        return;
    };
    let raw = rule_raw_value(rule, label, scope, part, record, joined);
    for_each_value(part, separator, raw, |value| {
        each(&compared(rule, label, scope, value, record, hosts));
    });
}

/// The values a record shows for `rule`'s scope part as participant
/// `label` ([`for_each_scope_value`] collected).
pub fn scope_values(
    rule: &RulePlan,
    label: usize,
    scope: usize,
    record: &StreamRecord,
    hosts: &HostNames,
    joined: &Joined,
) -> Vec<String> {
    let mut values = Vec::new();
    for_each_scope_value(rule, label, scope, record, hosts, joined, |value| {
        values.push(value.to_owned());
    });
    values
}

/// Writes into `out` every key `parts` derive, each part's raw value (by
/// index) from `raw`, each value as `compared` puts it: one key normally,
/// one per element when parts take `each` element of a list (all such
/// parts read the same element), none when a part is absent and has no
/// default.
fn derive_into<'r>(
    parts: &'r [KeyPart],
    separators: &[String],
    raw: impl Fn(usize, &'r KeyPart) -> Option<&'r str>,
    compared: impl Fn(usize, &'r str) -> Cow<'r, str>,
    out: &mut DerivedKeys,
) {
    out.start(0);
    let mut fixed: SmallVec<[Option<&'r str>; 4]> = SmallVec::new();
    for (index, part) in parts.iter().enumerate().take(separators.len()) {
        if part.each {
            fixed.push(None);
            continue;
        }
        let value = match raw(index, part) {
            Some(raw) => shaped(part, raw),
            None => part.default.as_deref(),
        };
        match value {
            Some(value) => fixed.push(Some(value)),
            None => return,
        }
    }
    out.start(fixed.len());
    let Some(listed) = parts.iter().position(|part| part.each) else {
        let values = fixed.iter().flatten().enumerate();
        out.push(values.map(|(index, value)| compared(index, value)));
        return;
    };
    let mut key = |element: Option<&'r str>| {
        let mut values: SmallVec<[&'r str; 4]> = SmallVec::new();
        for (part, value) in parts.iter().zip(&fixed) {
            let value = match (value, element) {
                (Some(value), _) => Some(*value),
                (None, Some(element)) => shaped(part, element),
                (None, None) => part.default.as_deref(),
            };
            match value {
                Some(value) => values.push(value),
                None => return,
            }
        }
        let values = values.into_iter().enumerate();
        out.push(values.map(|(index, value)| compared(index, value)));
    };
    match raw(listed, &parts[listed]) {
        Some(raw) => raw
            .split(separators[listed].as_str())
            .filter(|element| !element.is_empty())
            .for_each(|element| key(Some(element))),
        // An absent list: each part's default, if every one has one.
        None => key(None),
    }
}

/// The values one key part takes on `record`: one, or one per element of
/// a list it takes `each` of; its default when the value is absent.
pub fn part_values(part: &KeyPart, separator: &str, record: &StreamRecord) -> Vec<String> {
    let mut values = Vec::new();
    for_each_value(part, separator, raw_value(part, record), |value| {
        values.push(value.to_owned());
    });
    values
}

/// Calls `each` with the values one key part takes given the raw value it
/// reads.
fn for_each_value(part: &KeyPart, separator: &str, raw: Option<&str>, mut each: impl FnMut(&str)) {
    let Some(raw) = raw else {
        if let Some(default) = &part.default {
            each(default);
        }
        return;
    };
    if part.each {
        raw.split(separator)
            .filter(|element| !element.is_empty())
            .filter_map(|element| shaped(part, element))
            .for_each(each);
    } else if let Some(value) = shaped(part, raw) {
        each(value);
    }
}

/// The raw value part `index` of `label`'s key reads on `record`: from the
/// record, or from the join the part names.
fn rule_raw_value<'r>(
    rule: &RulePlan,
    label: usize,
    index: usize,
    part: &KeyPart,
    record: &'r StreamRecord,
    joined: &'r Joined,
) -> Option<&'r str> {
    let join = rule
        .key_joins
        .get(label)
        .and_then(|parts| parts.get(index))
        .copied()
        .flatten();
    match join {
        Some(join) => joined
            .lookup(&rule.joins, join, record)
            .filter(|raw| !raw.is_empty()),
        None => raw_value(part, record),
    }
}

/// The value a part reads, before it is split into elements or shaped;
/// `None` when absent or empty.
fn raw_value<'r>(part: &KeyPart, record: &'r StreamRecord) -> Option<&'r str> {
    let raw = match (&part.field, part.envelope) {
        (Some(field), _) => record.value(field),
        (None, Some(EnvelopeValue::Host)) => record.host.as_deref(),
        (None, Some(EnvelopeValue::Tag)) => record.tag.as_deref(),
        (None, Some(EnvelopeValue::Pid)) => record.pid.as_deref(),
        (None, Some(EnvelopeValue::File)) => Some(&*record.file),
        (None, None) => None,
    };
    raw.filter(|raw| !raw.is_empty())
}

/// A value (or list element) as the part keys it: its capture group,
/// then its side of a split, then its host; `None` when the capture or
/// the split does not find its part, or leaves nothing.
fn shaped<'v>(part: &KeyPart, value: &'v str) -> Option<&'v str> {
    let value = match &part.capture {
        Some(capture) => capture.0.captures(value)?.get(1)?.as_str(),
        None => value,
    };
    let value = match &part.split {
        Some(split) => split.take(value)?,
        None => value,
    };
    let value = match part.part {
        Some(FieldPart::Host) => host_of(value),
        None => value,
    };
    (!value.is_empty()).then_some(value)
}

/// The host of `host:port` or `[v6]:port`; the value itself otherwise.
pub fn host_of(value: &str) -> &str {
    if let Some(rest) = value.strip_prefix('[') {
        return rest.split_once(']').map_or(value, |(host, _)| host);
    }
    match value.rsplit_once(':') {
        Some((host, port)) if !host.contains(':') && port.bytes().all(|b| b.is_ascii_digit()) => {
            host
        }
        _ => value,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    /// The keys `parts` derive from `record`'s own values (no join).
    fn keys(parts: &[KeyPart], separators: &[String], record: &StreamRecord) -> Vec<Vec<String>> {
        let mut out = DerivedKeys::default();
        derive_into(
            parts,
            separators,
            |_, part| raw_value(part, record),
            |_, value| Cow::Borrowed(value),
            &mut out,
        );
        out.iter().map(<[String]>::to_vec).collect()
    }

    fn record(values: &[(&str, &str)], host: Option<&str>) -> StreamRecord {
        StreamRecord {
            file: Arc::from("f"),
            line: 1,
            event: 0,
            variant: 0,
            host: host.map(Into::into),
            values: values
                .iter()
                .map(|(k, v)| (Arc::from(*k), (*v).into()))
                .collect(),
            ..StreamRecord::default()
        }
    }

    fn part(json: &str) -> KeyPart {
        serde_json::from_str(json).unwrap_or_else(|error| panic!("{json}: {error}"))
    }

    #[test]
    fn field_host_each_envelope_and_default() {
        let r = record(
            &[
                ("REQID", "ab"),
                ("TARGET", "db-01:7443"),
                ("HOSTS", "db-01,db-02"),
            ],
            Some("ctl"),
        );
        let sep = vec![",".to_owned(); 2];
        let keys_of = |parts: &[&str]| {
            let parts: Vec<KeyPart> = parts.iter().map(|json| part(json)).collect();
            keys(&parts, &sep, &r)
        };
        assert_eq!(
            keys_of(&[
                r#"{"field":"REQID"}"#,
                r#"{"field":"TARGET","part":"host"}"#
            ]),
            vec![vec!["ab", "db-01"]]
        );
        assert_eq!(
            keys_of(&[r#"{"field":"REQID"}"#, r#"{"field":"HOSTS","each":true}"#]),
            vec![vec!["ab", "db-01"], vec!["ab", "db-02"]]
        );
        assert_eq!(keys_of(&[r#"{"envelope":"host"}"#]), vec![vec!["ctl"]]);
        assert!(keys_of(&[r#"{"field":"MISSING"}"#]).is_empty());
        assert_eq!(
            keys_of(&[r#"{"field":"MISSING","default":""}"#]),
            vec![vec![""]]
        );
    }

    #[test]
    fn parts_taking_each_of_one_list_read_the_same_element() {
        let r = record(
            &[("CONFLICTS", "db-01:backup,[::1]:restore,nocolon,db-02:")],
            Some("ctl"),
        );
        let sep = vec![",".to_owned(); 3];
        let parts: Vec<KeyPart> = [
            r#"{"envelope":"host"}"#,
            r#"{"field":"CONFLICTS","each":true,"split":{"at":":","side":"right"}}"#,
            r#"{"field":"CONFLICTS","each":true,"split":{"at":":","side":"left"},"part":"host"}"#,
        ]
        .iter()
        .map(|json| part(json))
        .collect();
        // Elements without the separator, or with an empty side, key nothing.
        assert_eq!(
            keys(&parts, &sep, &r),
            vec![
                vec!["ctl", "backup", "db-01"],
                vec!["ctl", "restore", "::1"]
            ]
        );
        // A capture applies to each element, not to the whole list.
        let captured = part(r#"{"field":"CONFLICTS","each":true,"capture":"^([a-z0-9-]+):"}"#);
        assert_eq!(part_values(&captured, ",", &r), vec!["db-01", "db-02"]);
        // An absent list: the defaults, when every part taking it has one.
        let absent = record(&[], Some("ctl"));
        assert!(keys(&parts, &sep, &absent).is_empty());
        let defaulted: Vec<KeyPart> = [
            r#"{"field":"CONFLICTS","each":true,"split":{"at":":","side":"right"},"default":"-"}"#,
            r#"{"field":"CONFLICTS","each":true,"default":"+"}"#,
        ]
        .iter()
        .map(|json| part(json))
        .collect();
        assert_eq!(keys(&defaulted, &sep, &absent), vec![vec!["-", "+"]]);
    }

    #[test]
    fn reused_key_buffers_hold_only_the_latest_keys() {
        let sep = vec![",".to_owned(); 2];
        let parts: Vec<KeyPart> = [r#"{"field":"REQID"}"#, r#"{"field":"HOSTS","each":true}"#]
            .iter()
            .map(|json| part(json))
            .collect();
        let mut out = DerivedKeys::default();
        let derive = |record: &StreamRecord, out: &mut DerivedKeys| {
            derive_into(
                &parts,
                &sep,
                |_, part| raw_value(part, record),
                |_, value| Cow::Borrowed(value),
                out,
            );
            out.iter().map(<[String]>::to_vec).collect::<Vec<_>>()
        };
        let three = record(&[("REQID", "long-request"), ("HOSTS", "a,bb,ccc")], None);
        assert_eq!(
            derive(&three, &mut out),
            vec![
                vec!["long-request", "a"],
                vec!["long-request", "bb"],
                vec!["long-request", "ccc"]
            ]
        );
        let one = record(&[("REQID", "r"), ("HOSTS", "d")], None);
        assert_eq!(derive(&one, &mut out), vec![vec!["r", "d"]]);
        assert_eq!(out.len(), 1);
        let none = record(&[("HOSTS", "d")], None);
        assert!(derive(&none, &mut out).is_empty());
        assert!(out.is_empty());
    }

    #[test]
    fn host_of_handles_ipv6_and_plain_values() {
        assert_eq!(host_of("[::1]:7443"), "::1");
        assert_eq!(host_of("10.0.0.1:80"), "10.0.0.1");
        assert_eq!(host_of("db-01"), "db-01");
        assert_eq!(host_of("::1"), "::1");
    }
}
