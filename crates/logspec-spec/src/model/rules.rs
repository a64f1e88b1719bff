//! Stream rules: participants, correlation keys, lifecycles, windows and
//! parameters.

use indexmap::IndexMap;
use serde::de;
use serde::{Deserialize, Deserializer};

use super::Condition;

/// A stream rule: what must hold for the records that share a correlation
/// key. One mechanism, a lifecycle automaton per key, expresses ordering,
/// exclusivity, pairing and uniqueness; value agreement sits beside it.
#[derive(Debug, Clone, Deserialize)]
pub struct Rule {
    pub id: String,
    pub description: String,
    /// The document section the rule rests on.
    pub section: Option<String>,
    /// Names of the key's parts, in order, for messages (`[REQID, host]`).
    pub key: Vec<String>,
    pub participants: Vec<Participant>,
    /// The automaton; without one, every participant may appear any number
    /// of times in any order (a rule of conditions only).
    pub lifecycle: Option<Lifecycle>,
    /// Parameters the user sets (`--param NAME=VALUE`), for what the
    /// document leaves to configuration (a window's length). A rule with a
    /// parameter left unset is reported unchecked, not run.
    #[serde(default)]
    pub params: IndexMap<String, RuleParam>,
    /// Named time windows: conditions count a key's earlier records of a
    /// label within one (`within.WINDOW.LABEL`) and ask whether the input
    /// reaches back over one (`covered.WINDOW`).
    #[serde(default)]
    pub windows: IndexMap<String, Window>,
    /// Fields every record of one key must agree on when they carry them.
    #[serde(default)]
    pub agree: Vec<String>,
    /// Fields that must agree on their first N characters, for a record
    /// that writes a value cut short (an audit line's command).
    #[serde(default)]
    pub agree_truncated: IndexMap<String, usize>,
    /// Finding code for a record its key's state does not allow.
    #[serde(default)]
    pub violation: ViolationCode,
    /// Finding code for a key left in a non-accepting state.
    #[serde(default)]
    pub unfinished: UnfinishedCode,
    /// Key parts whose values must each have been seen on the side that
    /// would finish a key before an unfinished key is reported: a pairing
    /// across hosts is only judged for hosts whose logs were given.
    /// Written as one name (`scope: host`) or a list (`[host, SERIAL]`).
    #[serde(default, deserialize_with = "one_or_many")]
    pub scope: Vec<String>,
    /// Events that end every open lifecycle of this rule (a restart).
    #[serde(default)]
    pub reset_on: Vec<String>,
    /// A record that lists members (hosts) under this rule's key, and the
    /// records that answer for one member each.
    pub fan_out: Option<FanOut>,
}

/// `name` or `[name, …]`, as a list.
fn one_or_many<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Vec<String>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum OneOrMany {
        One(String),
        Many(Vec<String>),
    }
    Ok(match OneOrMany::deserialize(deserializer)? {
        OneOrMany::One(name) => vec![name],
        OneOrMany::Many(names) => names,
    })
}

/// Fan-out under one key: `list` names the members, each `member` record
/// answers for one; once per member, all of them, none outside the list.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FanOut {
    pub list: FanOutSide,
    pub member: FanOutSide,
}

/// A participant label and where its records name members.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FanOutSide {
    pub label: String,
    pub field: Option<String>,
    pub envelope: Option<EnvelopeValue>,
    /// `host`: members are hosts, compared as host names (a loopback
    /// address is the writing machine; `--host-alias` maps names), and an
    /// answer naming no listed host may stand for one under another name.
    pub part: Option<FieldPart>,
}

impl FanOutSide {
    /// The side as a key extractor (`each` element of a list).
    pub fn key_part(&self, each: bool) -> KeyPart {
        KeyPart {
            field: self.field.clone(),
            envelope: self.envelope,
            part: self.part,
            each,
            capture: None,
            split: None,
            default: None,
            from: None,
        }
    }
}

/// `match: ["*"]`: every event no other participant of the rule matches.
pub const WILDCARD: &str = "*";

/// Records that take part in a rule, how their key is derived, and the
/// label their transitions carry.
#[derive(Debug, Clone, Deserialize)]
pub struct Participant {
    pub label: String,
    /// `event` or `event/variant` references.
    #[serde(rename = "match")]
    pub matches: Vec<String>,
    /// One extractor per key part.
    pub key: Vec<KeyPart>,
    /// A condition (CEL) every record of this participant must meet; a
    /// record that does not raises `condition-violation`.
    pub require: Option<Condition>,
}

/// A rule parameter: what it stands for and the type of its value.
#[derive(Debug, Clone, Deserialize)]
pub struct RuleParam {
    #[serde(rename = "type")]
    pub kind: ParamType,
    pub description: String,
}

/// A time window of a rule: its length, written (`10m`) or a duration
/// parameter of the rule, widened or narrowed by `margin` (`2s`, `-1s`)
/// for timestamps that are whole seconds or written a moment late.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Window {
    pub length: Option<String>,
    pub param: Option<String>,
    pub margin: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ParamType {
    /// A duration (`90s`, `5m`, `1.5h`); conditions see seconds.
    Duration,
    Integer,
    Number,
    String,
}

/// Where one part of a correlation key comes from.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KeyPart {
    /// A payload field.
    pub field: Option<String>,
    /// An envelope value.
    pub envelope: Option<EnvelopeValue>,
    /// For a field: take only the host of a `host:port` value.
    #[serde(default)]
    pub part: Option<FieldPart>,
    /// For a list field: one key per element. Parts taking `each` of the
    /// same field are read from the same element.
    #[serde(default)]
    pub each: bool,
    /// Takes the first capture group of this regular expression (searched
    /// anywhere in the value, or in each element); a value it does not
    /// match has no key.
    pub capture: Option<Capture>,
    /// Takes one side of the value (or element) split at the last
    /// occurrence of a separator: the host or the script of `host:script`.
    pub split: Option<Split>,
    /// Used when the value is absent, instead of leaving the record out.
    pub default: Option<String>,
    /// Takes `field` not from this record but from the latest earlier
    /// record of another participant whose fields equal this record's (a
    /// join): the namespace a session's acceptance assigned, for the
    /// session's close that does not name it.
    pub from: Option<KeyFrom>,
}

/// Where a joined key part's value was remembered.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KeyFrom {
    /// The participant whose records leave the value.
    pub label: String,
    /// Field of that earlier record → field of this record: the earlier
    /// record joined is the latest whose fields equal this record's.
    pub on: IndexMap<String, String>,
}

/// A compiled regular expression with one capture group.
#[derive(Debug, Clone)]
pub struct Capture(pub regex::Regex);

impl<'de> Deserialize<'de> for Capture {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let source = String::deserialize(deserializer)?;
        let regex = regex::Regex::new(&source).map_err(de::Error::custom)?;
        if regex.captures_len() < 2 {
            return Err(de::Error::custom(format!(
                "`{source}` has no capture group: put the part to keep in (…)"
            )));
        }
        Ok(Capture(regex))
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum EnvelopeValue {
    /// Syslog hostname, journald `_HOSTNAME`, or the host given for the input.
    Host,
    /// Syslog tag or journald `SYSLOG_IDENTIFIER`.
    Tag,
    /// Syslog PROCID (`tag[pid]`) or journald `_PID`.
    Pid,
    /// The path of the input the record was read from.
    File,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum FieldPart {
    Host,
}

/// One side of a value split at the last occurrence of `at`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Split {
    pub at: String,
    pub side: Side,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Side {
    Left,
    Right,
}

impl Split {
    /// The side of `value` this split takes; `None` when `at` is not in it.
    pub fn take<'v>(&self, value: &'v str) -> Option<&'v str> {
        let (left, right) = value.rsplit_once(self.at.as_str())?;
        Some(match self.side {
            Side::Left => left,
            Side::Right => right,
        })
    }

    /// `value` with this split's side replaced by `side_value` (the other
    /// side kept, or `other` when `value` has no separator): how a
    /// generator writes a key part into a value.
    pub fn put(&self, value: Option<&str>, side_value: &str, other: &str) -> String {
        let (left, right) = value
            .and_then(|value| value.rsplit_once(self.at.as_str()))
            .unwrap_or((other, other));
        match self.side {
            Side::Left => format!("{side_value}{}{right}", self.at),
            Side::Right => format!("{left}{}{side_value}", self.at),
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
pub struct Lifecycle {
    pub start: String,
    /// States in the order they are drawn.
    pub states: IndexMap<String, State>,
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct State {
    #[serde(default)]
    pub accepting: bool,
    /// Transitions: participant label → next state.
    #[serde(default)]
    pub on: IndexMap<String, String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ViolationCode {
    #[default]
    SequenceViolation,
    ExclusiveViolation,
    DuplicateKey,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum UnfinishedCode {
    #[default]
    Incomplete,
    Unpaired,
}
