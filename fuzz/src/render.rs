//! A minimal renderer of log lines: key=value payloads and the four
//! envelopes, written the way real producers write them.
//!
//! It exists for the round-trip target and the seed corpora. It is kept
//! small on purpose: the full renderers (every documented event variant in
//! every wire format) belong to `logspec-gen`, which this branch does not
//! have. Each function renders one thing and assumes its inputs are
//! representable; `record` decides what is.

use logspec_reader::Priority;

/// A key=value payload: `KEY=value KEY="quoted value"`, one space apart.
pub fn payload<K: AsRef<str>, V: AsRef<str>>(pairs: &[(K, V)]) -> String {
    let mut out = String::new();
    for (index, (key, value)) in pairs.iter().enumerate() {
        if index > 0 {
            out.push(' ');
        }
        out.push_str(key.as_ref());
        out.push('=');
        let value = value.as_ref();
        if needs_quotes(value) {
            out.push('"');
            for c in value.chars() {
                if c == '"' || c == '\\' {
                    out.push('\\');
                }
                out.push(c);
            }
            out.push('"');
        } else {
            out.push_str(value);
        }
    }
    out
}

/// Whether `value` must be written quoted: it holds whitespace the parser
/// splits on (or a `\r` that would end up at the end of a line), or starts
/// with the quote that would open a quoted value.
pub fn needs_quotes(value: &str) -> bool {
    value.contains([' ', '\t', '\r']) || value.starts_with('"')
}

/// `<PRI>` for a priority.
pub fn pri(priority: Priority) -> String {
    format!(
        "<{}>",
        u16::from(priority.facility) * 8 + u16::from(priority.severity)
    )
}

/// RFC 3164: `[<PRI>]TIMESTAMP [HOSTNAME ]TAG[[PID]]: PAYLOAD`.
pub struct Rfc3164<'a> {
    pub priority: Option<Priority>,
    /// `Mar 13 12:00:01` or an RFC 3339 timestamp, as written.
    pub timestamp: &'a str,
    pub hostname: Option<&'a str>,
    pub tag: &'a str,
    pub pid: Option<&'a str>,
}

impl Rfc3164<'_> {
    pub fn line(&self, payload: &str) -> String {
        let mut out = self.priority.map(pri).unwrap_or_default();
        out.push_str(self.timestamp);
        out.push(' ');
        if let Some(hostname) = self.hostname {
            out.push_str(hostname);
            out.push(' ');
        }
        out.push_str(self.tag);
        if let Some(pid) = self.pid {
            out.push('[');
            out.push_str(pid);
            out.push(']');
        }
        out.push_str(": ");
        out.push_str(payload);
        out
    }
}

/// One RFC 5424 structured data element: `[ID name="value" ...]`.
pub struct SdElement {
    pub id: String,
    pub params: Vec<(String, String)>,
}

/// RFC 5424: `<PRI>1 TIMESTAMP HOSTNAME APP-NAME PROCID MSGID SD [BOM]MSG`,
/// `-` for every absent header field.
pub struct Rfc5424<'a> {
    pub priority: Priority,
    pub timestamp: Option<&'a str>,
    pub hostname: Option<&'a str>,
    pub app_name: Option<&'a str>,
    pub procid: Option<&'a str>,
    pub msgid: Option<&'a str>,
    pub structured_data: &'a [SdElement],
    pub bom: bool,
}

impl Rfc5424<'_> {
    pub fn line(&self, payload: &str) -> String {
        let mut out = pri(self.priority);
        out.push('1');
        for field in [
            self.timestamp,
            self.hostname,
            self.app_name,
            self.procid,
            self.msgid,
        ] {
            out.push(' ');
            out.push_str(field.unwrap_or("-"));
        }
        out.push(' ');
        if self.structured_data.is_empty() {
            out.push('-');
        }
        for element in self.structured_data {
            out.push('[');
            out.push_str(&element.id);
            for (name, value) in &element.params {
                out.push(' ');
                out.push_str(name);
                out.push_str("=\"");
                for c in value.chars() {
                    if matches!(c, '"' | '\\' | ']') {
                        out.push('\\');
                    }
                    out.push(c);
                }
                out.push('"');
            }
            out.push(']');
        }
        out.push(' ');
        if self.bom {
            out.push('\u{FEFF}');
        }
        out.push_str(payload);
        out
    }
}

/// A journal field's value as `journalctl -o json` writes it: a string, or
/// an array of byte values (what it writes for text that is not printable).
pub enum JournalValue<'a> {
    Text(&'a str),
    Bytes(&'a str),
}

/// One journal entry, its fields in the order given.
pub fn journald(fields: &[(&str, JournalValue<'_>)]) -> String {
    let mut out = String::from("{");
    for (index, (name, value)) in fields.iter().enumerate() {
        if index > 0 {
            out.push(',');
        }
        out.push_str(&json_string(name));
        out.push(':');
        match value {
            JournalValue::Text(text) => out.push_str(&json_string(text)),
            JournalValue::Bytes(text) => {
                let bytes: Vec<String> = text.bytes().map(|b| b.to_string()).collect();
                out.push('[');
                out.push_str(&bytes.join(","));
                out.push(']');
            }
        }
    }
    out.push('}');
    out
}

/// `text` as a JSON string.
pub fn json_string(text: &str) -> String {
    // Serializing a str cannot fail.
    serde_json::to_string(text).unwrap_or_default()
}

/// RFC 3339 timestamp from its parts (already in range).
pub fn rfc3339(
    date: (u16, u8, u8),
    time: (u8, u8, u8),
    fraction: Option<(usize, u32)>,
    offset: Option<(bool, u8, u8)>,
) -> String {
    let (year, month, day) = date;
    let (hour, minute, second) = time;
    let mut out = format!("{year:04}-{month:02}-{day:02}T{hour:02}:{minute:02}:{second:02}");
    if let Some((digits, value)) = fraction {
        let digits = digits.clamp(1, 9);
        let value = u64::from(value) % 10u64.pow(digits as u32);
        out.push_str(&format!(".{value:0digits$}"));
    }
    match offset {
        None => out.push('Z'),
        Some((ahead, hours, minutes)) => out.push_str(&format!(
            "{}{hours:02}:{minutes:02}",
            if ahead { '+' } else { '-' }
        )),
    }
    out
}

/// BSD timestamp, `Mar 13 12:00:01`; the day below 10 padded with a space
/// (as syslogd writes it), a zero, or nothing.
pub fn bsd_timestamp(month: usize, day: u8, padding: Padding, time: (u8, u8, u8)) -> String {
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let month = MONTHS[month % 12];
    let day = match padding {
        Padding::Space => format!("{day:>2}"),
        Padding::Zero => format!("{day:02}"),
        Padding::None => day.to_string(),
    };
    let (hour, minute, second) = time;
    format!("{month} {day} {hour:02}:{minute:02}:{second:02}")
}

#[derive(Debug, Clone, Copy, arbitrary::Arbitrary)]
pub enum Padding {
    Space,
    Zero,
    None,
}
