//! Correlation keys from records: a field, the host of a `host:port`, each
//! element of a list, or an envelope value.

use super::hosts::HostNames;
use super::{RulePlan, StreamRecord};
use logspec_spec::{EnvelopeValue, FieldPart, KeyPart};

/// The keys a record steps `rule` under as participant `label`, host parts
/// in the form hosts are compared in: what the engine and the generator's
/// model of it (`logspec-gen`) both use.
pub fn label_keys(
    rule: &RulePlan,
    label: usize,
    record: &StreamRecord,
    hosts: &HostNames,
) -> Vec<Vec<String>> {
    let (parts, separators) = &rule.keys[label];
    let mut derived = keys(parts, separators, record);
    for key in &mut derived {
        for (value, host) in key.iter_mut().zip(&rule.host_parts[label]) {
            if *host {
                *value = hosts.canonical(value, record.host.as_deref());
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
) -> Vec<String> {
    let (parts, separators) = &rule.keys[label];
    let (Some(part), Some(separator)) = (parts.get(scope), separators.get(scope)) else {
        return Vec::new();
    };
    let host = rule.host_parts[label].get(scope).copied().unwrap_or(false);
    let mut values = part_values(part, separator, record);
    if host {
        for value in &mut values {
            *value = hosts.canonical(value, record.host.as_deref());
        }
    }
    values
}

/// Every key `parts` derive from `record`: one normally, one per element
/// when a part takes `each` element of a list, none when a part is absent
/// and has no default.
pub fn keys(parts: &[KeyPart], separators: &[String], record: &StreamRecord) -> Vec<Vec<String>> {
    let mut values = Vec::with_capacity(parts.len());
    for (part, separator) in parts.iter().zip(separators) {
        let part_values = part_values(part, separator, record);
        if part_values.is_empty() {
            return Vec::new();
        }
        values.push(part_values);
    }
    // Nearly every record gives each part one value: one key, built from
    // the values themselves.
    if values.iter().all(|values| values.len() == 1) {
        return vec![values.into_iter().flatten().collect()];
    }
    let mut keys: Vec<Vec<String>> = vec![Vec::with_capacity(parts.len())];
    for values in values {
        keys = keys
            .into_iter()
            .flat_map(|prefix| {
                values.iter().map(move |value| {
                    let mut key = prefix.clone();
                    key.push(value.clone());
                    key
                })
            })
            .collect();
    }
    keys
}

/// The values one key part takes on `record`.
pub fn part_values(part: &KeyPart, separator: &str, record: &StreamRecord) -> Vec<String> {
    let raw = match (&part.field, part.envelope) {
        (Some(field), _) => record.value(field),
        (None, Some(EnvelopeValue::Host)) => record.host.as_deref(),
        (None, Some(EnvelopeValue::Tag)) => record.tag.as_deref(),
        (None, Some(EnvelopeValue::Pid)) => record.pid.as_deref(),
        (None, Some(EnvelopeValue::File)) => Some(&*record.file),
        (None, None) => None,
    };
    let raw = match (&part.capture, raw) {
        (Some(capture), Some(raw)) => capture
            .0
            .captures(raw)
            .and_then(|groups| groups.get(1))
            .map(|group| group.as_str()),
        (None, raw) => raw,
        (_, None) => None,
    };
    let Some(raw) = raw.filter(|raw| !raw.is_empty()) else {
        return part.default.iter().cloned().collect();
    };
    let elements: Vec<&str> = if part.each {
        raw.split(separator)
            .filter(|element| !element.is_empty())
            .collect()
    } else {
        vec![raw]
    };
    elements
        .into_iter()
        .map(|element| match part.part {
            Some(FieldPart::Host) => host_of(element).to_owned(),
            None => element.to_owned(),
        })
        .collect()
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
    fn host_of_handles_ipv6_and_plain_values() {
        assert_eq!(host_of("[::1]:7443"), "::1");
        assert_eq!(host_of("10.0.0.1:80"), "10.0.0.1");
        assert_eq!(host_of("db-01"), "db-01");
        assert_eq!(host_of("::1"), "::1");
    }
}
