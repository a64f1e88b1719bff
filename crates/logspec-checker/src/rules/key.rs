//! Correlation keys from records: a field, the host of a `host:port`, each
//! element of a list, an envelope value, or a value joined from an earlier
//! record ([`Joined`]).

use super::hosts::HostNames;
use super::join::Joined;
use super::{RulePlan, StreamRecord};
use logspec_spec::{EnvelopeValue, FieldPart, KeyPart};

/// The keys a record steps `rule` under as participant `label`, host parts
/// in the form hosts are compared in, joined parts looked up in `joined`:
/// what the engine and the generator's model of it (`logspec-gen`) both
/// use.
pub fn label_keys(
    rule: &RulePlan,
    label: usize,
    record: &StreamRecord,
    hosts: &HostNames,
    joined: &Joined,
) -> Vec<Vec<String>> {
    let (parts, separators) = &rule.keys[label];
    let mut derived = keys_from(parts, separators, |index, part| {
        rule_raw_value(rule, label, index, part, record, joined)
    });
    for key in &mut derived {
        for (value, host) in key.iter_mut().zip(&rule.host_parts[label]) {
            if *host {
                hosts.canonicalize(value, record.host.as_deref());
            }
        }
    }
    derived
}

/// The values a record shows for `rule`'s scope part as participant
/// `label` (hosts compared as in [`label_keys`]).
pub fn scope_values(
    rule: &RulePlan,
    label: usize,
    scope: usize,
    record: &StreamRecord,
    hosts: &HostNames,
    joined: &Joined,
) -> Vec<String> {
    let (parts, separators) = &rule.keys[label];
    let (Some(part), Some(separator)) = (parts.get(scope), separators.get(scope)) else {
        return Vec::new();
    };
    let host = rule.host_parts[label].get(scope).copied().unwrap_or(false);
    let raw = rule_raw_value(rule, label, scope, part, record, joined);
    let mut values = values_of(part, separator, raw);
    if host {
        for value in &mut values {
            hosts.canonicalize(value, record.host.as_deref());
        }
    }
    values
}

/// Every key `parts` derive, each part's raw value (by index) from `raw`:
/// one normally, one per element when parts take `each` element of a list
/// (all such parts read the same element), none when a part is absent and
/// has no default.
fn keys_from<'r>(
    parts: &[KeyPart],
    separators: &[String],
    raw: impl Fn(usize, &KeyPart) -> Option<&'r str>,
) -> Vec<Vec<String>> {
    let mut fixed = Vec::with_capacity(parts.len());
    for (index, (part, separator)) in parts.iter().zip(separators).enumerate() {
        if part.each {
            fixed.push(None);
            continue;
        }
        match values_of(part, separator, raw(index, part)).pop() {
            Some(value) => fixed.push(Some(value)),
            None => return Vec::new(),
        }
    }
    let Some(listed) = parts.iter().position(|part| part.each) else {
        return vec![fixed.into_iter().flatten().collect()];
    };
    let elements: Vec<Option<&str>> = match raw(listed, &parts[listed]) {
        Some(raw) => raw
            .split(separators[listed].as_str())
            .filter(|element| !element.is_empty())
            .map(Some)
            .collect(),
        // An absent list: each part's default, if every one has one.
        None => vec![None],
    };
    let mut keys = Vec::with_capacity(elements.len());
    'elements: for element in elements {
        let mut key = Vec::with_capacity(parts.len());
        for (part, value) in parts.iter().zip(&fixed) {
            let value = match (value, element) {
                (Some(value), _) => Some(value.clone()),
                (None, Some(element)) => shaped(part, element),
                (None, None) => part.default.clone(),
            };
            match value {
                Some(value) => key.push(value),
                None => continue 'elements,
            }
        }
        keys.push(key);
    }
    keys
}

/// The values one key part takes on `record`: one, or one per element of
/// a list it takes `each` of; its default when the value is absent.
pub fn part_values(part: &KeyPart, separator: &str, record: &StreamRecord) -> Vec<String> {
    values_of(part, separator, raw_value(part, record))
}

/// The values one key part takes given the raw value it reads.
fn values_of(part: &KeyPart, separator: &str, raw: Option<&str>) -> Vec<String> {
    let Some(raw) = raw else {
        return part.default.iter().cloned().collect();
    };
    if part.each {
        raw.split(separator)
            .filter(|element| !element.is_empty())
            .filter_map(|element| shaped(part, element))
            .collect()
    } else {
        shaped(part, raw).into_iter().collect()
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
fn shaped(part: &KeyPart, value: &str) -> Option<String> {
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
    (!value.is_empty()).then(|| value.to_owned())
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
        keys_from(parts, separators, |_, part| raw_value(part, record))
    }

    fn record(values: &[(&str, &str)], host: Option<&str>) -> StreamRecord {
        StreamRecord {
            file: Arc::from("f"),
            line: 1,
            event: 0,
            variant: 0,
            host: host.map(str::to_owned),
            values: values
                .iter()
                .map(|(k, v)| (Arc::from(*k), (*v).to_owned()))
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
    fn host_of_handles_ipv6_and_plain_values() {
        assert_eq!(host_of("[::1]:7443"), "::1");
        assert_eq!(host_of("10.0.0.1:80"), "10.0.0.1");
        assert_eq!(host_of("db-01"), "db-01");
        assert_eq!(host_of("::1"), "::1");
    }
}
