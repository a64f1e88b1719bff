//! `journalctl -o json`: one object per entry, the trusted fields journald
//! adds and the syslog ones the producer sent, every value a JSON string.

use crate::record::Meta;
use serde_json::{Map, Value};

pub(super) fn render(meta: &Meta, payload: &str) -> String {
    let realtime = meta.time.micros();
    let mut entry = Map::new();
    let mut put = |key: &str, value: String| {
        entry.insert(key.to_owned(), Value::String(value));
    };
    put("__CURSOR", format!("s=0;i={:x};t={realtime}", meta.pid));
    put("__REALTIME_TIMESTAMP", realtime);
    put("PRIORITY", meta.severity.to_string());
    put("SYSLOG_FACILITY", meta.facility.to_string());
    put("SYSLOG_IDENTIFIER", meta.tag.clone());
    put("_PID", meta.pid.to_string());
    put("_HOSTNAME", meta.hostname.clone());
    put("MESSAGE", payload.to_owned());
    Value::Object(entry).to_string()
}
