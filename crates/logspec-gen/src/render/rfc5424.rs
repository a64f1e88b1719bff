//! IETF syslog: `<PRI>1 TIMESTAMP HOSTNAME APP-NAME PROCID MSGID SD MSG`,
//! with no MSGID and no structured data, as rsyslog forwards a local line.

use super::{header, pri};
use crate::record::Meta;
use crate::{Framing, RenderError};

pub(super) fn render(meta: &Meta, payload: &str) -> Result<String, RenderError> {
    let hostname = header("hostname", &meta.hostname, Framing::Rfc5424, |host| {
        printable_ascii(host, 255)
    })?;
    let app = header("tag", &meta.tag, Framing::Rfc5424, |tag| {
        printable_ascii(tag, 48)
    })?;
    Ok(format!(
        "<{}>1 {} {hostname} {app} {} - - {payload}",
        pri(meta),
        meta.time.rfc3339_utc(),
        meta.pid
    ))
}

/// RFC 5424 header fields: 1 to `max` printable US-ASCII characters, and
/// not the nil value `-`.
fn printable_ascii(text: &str, max: usize) -> bool {
    (1..=max).contains(&text.len()) && text != "-" && text.bytes().all(|b| (33..=126).contains(&b))
}
