//! Catalogue sections: a compact way to write specs for documents that list
//! hundreds of log entries by section, one line each (Hexon's reference
//! has two thousand), instead of one event block per event.
//!
//! ```yaml
//! sections:
//!   - section: "Reverse Proxy › Load Balancer › Pool Management"
//!     entries:
//!       - {event: loadbalancer, level: INFO, message: "backend added", fields: [pool_id, backend_id]}
//! ```
//!
//! The expansion happens on the JSON data, after schema validation and
//! before the typed model is built, so the rest of logspec sees ordinary
//! events and variants (one variant per entry, grouped by event name in
//! order of first appearance) and has one model to check, lint and
//! explain. Each generated event and variant remembers the entry it came
//! from ([`Origins`]), so errors found later still point at the line the
//! author wrote.

use serde_json::{json, Map, Value};
use std::collections::HashMap;

/// Generated data paths and the paths of the entries they came from.
pub type Origins = Vec<(String, String)>;

/// Replaces `sections` in `data` by the events it lists, appended to
/// `events`, and records `section_order`. Returns where each generated
/// event and variant came from.
pub fn expand(data: &mut Value) -> Origins {
    let mut origins = Origins::new();
    let Some(root) = data.as_object_mut() else {
        return origins;
    };
    let Some(Value::Array(sections)) = root.remove("sections") else {
        return origins;
    };
    let defaults = root
        .remove("entry_defaults")
        .and_then(|value| value.as_object().cloned())
        .unwrap_or_default();
    let mut events: Vec<Value> = match root.remove("events") {
        Some(Value::Array(events)) => events,
        _ => Vec::new(),
    };
    // Entries that name their event carry it in the kind's event key.
    let event_key = root
        .get("wire")
        .and_then(|wire| wire.get("event_key"))
        .and_then(Value::as_str)
        .map(str::to_owned);
    // Event ids to their index, so two thousand entries are grouped
    // without a search per entry.
    let mut by_id: HashMap<String, usize> = events
        .iter()
        .enumerate()
        .filter_map(|(index, event)| Some((event.get("id")?.as_str()?.to_owned(), index)))
        .collect();
    let mut order: Vec<Value> = Vec::new();
    for (section_index, section) in sections.iter().enumerate() {
        let title = section
            .get("section")
            .and_then(Value::as_str)
            .unwrap_or_default();
        order.push(Value::String(title.to_owned()));
        let record = section.get("record").cloned();
        let entries = section
            .get("entries")
            .and_then(Value::as_array)
            .map(Vec::as_slice)
            .unwrap_or_default();
        for (entry_index, entry) in entries.iter().enumerate() {
            let source = format!("/sections/{section_index}/entries/{entry_index}");
            let Some(entry) = entry.as_object() else {
                continue;
            };
            let messages = messages(entry);
            let named = entry.get("event").and_then(Value::as_str);
            let id = named.map_or_else(|| message_id(&messages), str::to_owned);
            let event_index = match by_id.get(&id) {
                Some(&index) => index,
                None => {
                    let mut event = json!({
                        "id": id,
                        "section": title,
                        "variants": [],
                    });
                    if named.is_none() {
                        event["by_message"] = Value::Bool(true);
                    }
                    if let Some(record) = &record {
                        event["record"] = record.clone();
                    }
                    events.push(event);
                    origins.push((format!("/events/{}", events.len() - 1), source.clone()));
                    by_id.insert(id.clone(), events.len() - 1);
                    events.len() - 1
                }
            };
            let variants = events[event_index]
                .get_mut("variants")
                .and_then(Value::as_array_mut);
            let Some(variants) = variants else { continue };
            let name = unique_name(variants, &slug(&message_id(&messages)));
            let mut variant = variant(entry, &defaults, title, &id, name, messages);
            if let (Some(key), Some(_), Some(Value::Array(fields))) =
                (&event_key, named, variant.get_mut("fields"))
            {
                if !fields.iter().any(|field| field.as_str() == Some(key)) {
                    fields.insert(0, Value::String(key.clone()));
                }
            }
            variants.push(variant);
            origins.push((
                format!("/events/{event_index}/variants/{}", variants.len() - 1),
                source,
            ));
        }
    }
    root.insert("events".to_owned(), Value::Array(events));
    root.insert("section_order".to_owned(), Value::Array(order));
    origins
}

/// The entry's messages in the variant's form: literal strings,
/// `{pattern}` and `{any: true}` for a message the document only describes.
fn messages(entry: &Map<String, Value>) -> Vec<Value> {
    if let Some(message) = entry.get("message") {
        return vec![message.clone()];
    }
    if let Some(list) = entry.get("messages").and_then(Value::as_array) {
        return list.clone();
    }
    if let Some(pattern) = entry.get("pattern") {
        return vec![json!({ "pattern": pattern })];
    }
    vec![json!({ "any": true })]
}

/// What names an entry whose event the document does not name: its first
/// message as written (or its pattern).
fn message_id(messages: &[Value]) -> String {
    match messages.first() {
        Some(Value::String(text)) => text.clone(),
        Some(Value::Object(map)) => map
            .get("pattern")
            .and_then(Value::as_str)
            .map_or_else(|| "described".to_owned(), str::to_owned),
        _ => "described".to_owned(),
    }
}

fn variant(
    entry: &Map<String, Value>,
    defaults: &Map<String, Value>,
    section: &str,
    event: &str,
    name: String,
    messages: Vec<Value>,
) -> Value {
    let levels: Vec<Value> = match (entry.get("level"), entry.get("levels")) {
        (Some(level), _) => vec![level.clone()],
        (None, Some(Value::Array(levels))) => levels.clone(),
        _ => Vec::new(),
    };
    let label = match messages.first() {
        Some(Value::String(text)) if text != event => format!("{event} \"{text}\""),
        _ => format!("{event} ({name})"),
    };
    let mut variant = defaults.clone();
    variant.insert("name".to_owned(), Value::String(name));
    variant.insert("label".to_owned(), Value::String(label));
    variant.insert("section".to_owned(), Value::String(section.to_owned()));
    if let Some((first, rest)) = levels.split_first() {
        variant.insert("severity".to_owned(), first.clone());
        if !rest.is_empty() {
            variant.insert("severities".to_owned(), Value::Array(rest.to_vec()));
        }
    }
    variant.insert("messages".to_owned(), Value::Array(messages));
    variant.insert(
        "audit".to_owned(),
        Value::Bool(entry.get("audit").and_then(Value::as_bool).unwrap_or(false)),
    );
    variant.insert(
        "fields".to_owned(),
        entry.get("fields").cloned().unwrap_or_else(|| json!([])),
    );
    for key in ["class", "description"] {
        if let Some(value) = entry.get(key) {
            variant.insert(key.to_owned(), value.clone());
        }
    }
    if let Some(note) = entry.get("note") {
        variant.insert("notes".to_owned(), json!([note]));
    }
    Value::Object(variant)
}

/// A variant name from a message: lowercase words joined by dashes.
fn slug(text: &str) -> String {
    let mut slug = String::new();
    for word in text
        .split(|c: char| !c.is_alphanumeric())
        .filter(|word| !word.is_empty())
    {
        if slug.len() >= 48 {
            break;
        }
        if !slug.is_empty() {
            slug.push('-');
        }
        slug.extend(word.chars().flat_map(char::to_lowercase));
    }
    if slug.is_empty() {
        slug.push_str("entry");
    }
    slug
}

/// `base`, or `base-2`, `base-3`… if a sibling already has that name.
fn unique_name(variants: &[Value], base: &str) -> String {
    let taken = |name: &str| {
        variants
            .iter()
            .any(|variant| variant.get("name").and_then(Value::as_str) == Some(name))
    };
    if !taken(base) {
        return base.to_owned();
    }
    (2..)
        .map(|n| format!("{base}-{n}"))
        .find(|name| !taken(name))
        .unwrap_or_else(|| base.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_become_events_with_one_variant_each() {
        let mut data = json!({
            "entry_defaults": {"additional_fields": true},
            "sections": [
                {"section": "A › B", "entries": [
                    {"event": "lb", "level": "INFO", "message": "pool created", "fields": ["pool_id"]},
                    {"event": "lb", "levels": ["DEBUG", "INFO"], "audit": true, "messages": ["x", {"pattern": "y \\d+"}]},
                ]},
                {"section": "A › C", "entries": [
                    {"event": "lb", "level": "WARN", "message": "pool created"},
                    {"level": "WARN", "message": "CRD definition ensure failed"},
                    {"event": "other", "level": "INFO", "described": true, "note": "n"},
                ]},
            ]
        });
        let origins = expand(&mut data);
        let events = data["events"].as_array().expect("events");
        assert_eq!(events.len(), 3);
        let lb = &events[0]["variants"];
        assert_eq!(lb[0]["name"], "pool-created");
        assert_eq!(lb[0]["label"], "lb \"pool created\"");
        assert_eq!(lb[0]["additional_fields"], true);
        assert_eq!(lb[0]["audit"], false);
        assert_eq!(lb[1]["severity"], "DEBUG");
        assert_eq!(lb[1]["severities"], json!(["INFO"]));
        assert_eq!(lb[1]["audit"], true);
        assert_eq!(lb[2]["name"], "pool-created-2");
        assert_eq!(lb[2]["section"], "A › C");
        assert_eq!(events[1]["id"], "CRD definition ensure failed");
        assert_eq!(events[1]["by_message"], true);
        assert_eq!(events[2]["variants"][0]["messages"], json!([{"any": true}]));
        assert_eq!(events[2]["variants"][0]["notes"], json!(["n"]));
        assert_eq!(data["section_order"], json!(["A › B", "A › C"]));
        assert!(origins.contains(&(
            "/events/0/variants/2".to_owned(),
            "/sections/1/entries/0".to_owned()
        )));
        assert!(data.get("sections").is_none());
    }

    #[test]
    fn slugs_are_short_and_plain() {
        assert_eq!(
            slug("Bind successful — (invalid) N/M"),
            "bind-successful-invalid-n-m"
        );
        assert_eq!(slug("—"), "entry");
    }
}
