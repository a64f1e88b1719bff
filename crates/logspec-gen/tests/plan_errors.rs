//! A spec whose names do not resolve (changed in code, past the loader)
//! builds no generator: an error, never records made from a default.

use logspec_gen::{GenError, Generator};
use logspec_spec::load_str;

const SPEC: &str = r#"logspec: 1
producer: {name: demo, summary: Demo.}
document: {title: Demo}
wire: {envelopes: [rfc3164], payload: key-value, event_key: EVENT}
severity: {levels: [{name: INFO, syslog: 6}]}
fields:
  EVENT: {type: string, description: Event.}
  PORT: {type: integer, description: Port.}
events:
  - {id: start, section: s, variants: [{name: default, severity: INFO, fields: [PORT, EVENT]}]}
"#;

fn spec() -> logspec_spec::Spec {
    load_str(SPEC, "demo.yaml")
        .unwrap_or_else(|error| panic!("{error}"))
        .spec
}

#[test]
fn the_spec_as_written_generates() {
    assert!(Generator::new(&spec()).is_ok());
}

#[test]
fn an_unknown_severity_is_a_plan_error() {
    let mut spec = spec();
    spec.events[0].variants[0].severity = "LOUD".to_owned();
    match Generator::new(&spec) {
        Err(GenError::Plan(error)) => {
            assert_eq!(error.pointer, "/events/0/variants/0/severity");
            assert_eq!(
                error.to_string(),
                "severity `LOUD` is not one of the levels"
            );
        }
        Err(other) => panic!("another error: {other}"),
        Ok(_) => panic!("generated from a default severity"),
    }
}

#[test]
fn a_keyed_variant_without_its_key_is_an_error_not_a_guessed_position() {
    let mut spec = spec();
    spec.events[0].variants[0]
        .fields
        .retain(|field| field.name != "EVENT");
    match Generator::new(&spec) {
        Err(GenError::Field { field, reason }) => {
            assert_eq!(field, "EVENT");
            assert!(reason.contains("event key"), "{reason}");
        }
        Err(other) => panic!("another error: {other}"),
        Ok(_) => panic!("generated with the key at a guessed position"),
    }
}
