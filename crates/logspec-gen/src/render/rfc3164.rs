//! BSD syslog: `[<PRI>]TIMESTAMP [HOSTNAME ]TAG[PID]: payload`.

use super::{header, pri};
use crate::record::Meta;
use crate::{Framing, RenderError};

pub(super) fn render(
    meta: &Meta,
    payload: &str,
    with_pri: bool,
    with_hostname: bool,
    iso_timestamp: bool,
) -> Result<String, RenderError> {
    let framing = Framing::Rfc3164 {
        pri: with_pri,
        hostname: with_hostname,
        iso_timestamp,
    };
    let mut line = String::with_capacity(payload.len() + 64);
    if with_pri {
        line.push_str(&format!("<{}>", pri(meta)));
    }
    line.push_str(&timestamp(meta, iso_timestamp));
    line.push(' ');
    if with_hostname {
        // A hostname ending in ':' would be read as the tag.
        line.push_str(header("hostname", &meta.hostname, framing, |host| {
            word(host) && !host.ends_with(':')
        })?);
        line.push(' ');
    }
    line.push_str(header("tag", &meta.tag, framing, |tag| {
        word(tag) && !tag.contains(['[', ']', ':'])
    })?);
    line.push_str(&format!("[{}]: ", meta.pid));
    line.push_str(payload);
    Ok(line)
}

pub(super) fn timestamp(meta: &Meta, iso: bool) -> String {
    if iso {
        meta.time.rfc3339_offset()
    } else {
        meta.time.bsd()
    }
}

/// A non-empty header word: no spaces or control characters.
fn word(text: &str) -> bool {
    !text.is_empty() && !text.chars().any(|c| c == ' ' || c.is_control())
}
