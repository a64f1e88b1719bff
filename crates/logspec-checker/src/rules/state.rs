//! What the engine keeps per open key, kept small: a rule holds up to
//! `--max-open-keys` keys, and on a busy stream every record may open one,
//! so each byte here is a hundred kilobytes per rule at the default cap.
//!
//! - A key's values are one string ([`KeyText`]: each part's length, then
//!   its text), one allocation where a list of strings took one per part
//!   and one for the list.
//! - A citation names its input by index into the engine's [`Files`], not
//!   by a shared pointer, so it is 16 bytes, and a key's first citation
//!   (most keys have one or two) is held inline (`smallvec`).
//! - Agreed values are allocated only once a record gives one, at their
//!   exact number; per-label memory only for rules that remember.

use super::condition::{self, Memory};
use super::fan_out::FanState;
use super::{RulePlan, StreamRecord};
use compact_str::CompactString;
use foldhash::fast::RandomState;
use smallvec::SmallVec;
use std::cmp::Ordering;
use std::collections::HashMap;
use std::sync::Arc;

/// A record a key keeps, to cite it in a later finding.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cited {
    pub line: u64,
    /// The input, by index into [`Files`].
    pub file: u32,
    /// The label the record played.
    pub label: u32,
}

impl Cited {
    /// The label as an index into the rule's labels.
    pub fn label(&self) -> usize {
        self.label as usize
    }
}

/// The first value a key's records gave for an agreed field, and where.
#[derive(Debug)]
pub struct Agreed {
    /// Index into the rule's agreed fields.
    pub field: usize,
    /// Inline up to 24 bytes: most agreed values (an exit code, a script
    /// name) need no allocation of their own.
    pub value: CompactString,
    pub cited: Cited,
}

/// One open key's lifecycle state and what later records are judged by.
#[derive(Debug)]
pub struct KeyState {
    /// The lifecycle state, by index (a lifecycle has the handful of
    /// states its spec names): see [`KeyState::state`].
    state: u32,
    /// A violation was reported: the lifecycle is known broken, so it is
    /// not reported again as unfinished.
    pub violated: bool,
    /// Records kept for citation, oldest first (up to the engine's cap).
    pub cited: SmallVec<[Cited; 1]>,
    /// First value seen per agreed field, and where.
    pub values: Box<[Agreed]>,
    /// Per label, what its latest record left for later conditions (empty
    /// when the rule's conditions read nothing of earlier records).
    /// Boxed: a key that remembers holds one per label, exactly.
    pub memory: Box<[Option<Memory>]>,
    /// The members a fan-out record listed for this key, and the answers.
    pub fan: Option<Box<FanState>>,
}

impl KeyState {
    pub fn new(state: usize) -> KeyState {
        KeyState {
            state: state as u32,
            violated: false,
            cited: SmallVec::new(),
            values: Box::default(),
            memory: Box::default(),
            fan: None,
        }
    }

    /// The lifecycle state, an index into the rule's states.
    pub fn state(&self) -> usize {
        self.state as usize
    }

    pub fn set_state(&mut self, state: usize) {
        self.state = state as u32;
    }

    /// Remembers what a record leaves for later conditions
    /// ([`remember`](super::condition::remember), which keeps a vector):
    /// whether a window's times were cut at the cap.
    pub fn remember(
        &mut self,
        rule: &RulePlan,
        label: usize,
        record: &StreamRecord,
        params: &[(String, cel::Value)],
    ) -> bool {
        // Built at its exact length, so boxing it again moves nothing.
        let mut memory = std::mem::take(&mut self.memory).into_vec();
        let cut = condition::remember(&mut memory, rule, label, record, params);
        self.memory = memory.into_boxed_slice();
        cut
    }

    /// Adds the first value of an agreed field, growing by exactly one:
    /// most keys hold one or two, and a hundred thousand keys would
    /// otherwise keep room for more.
    pub fn agree(&mut self, agreed: Agreed) {
        let mut values = std::mem::take(&mut self.values).into_vec();
        values.reserve_exact(1);
        values.push(agreed);
        self.values = values.into_boxed_slice();
    }

    /// Keeps only what a finished lifecycle can still be cited by: its
    /// first record.
    pub fn close(&mut self) {
        self.cited.truncate(1);
        self.cited.shrink_to_fit();
        self.values = Box::default();
        self.memory = Box::default();
    }
}

/// A correlation key's values in one string: each part as its length in
/// decimal, `:`, then its text (a netstring without the comma), so any
/// text, separators included, round-trips.
#[derive(Debug, Default)]
pub struct KeyText(String);

impl KeyText {
    /// The text of `parts`, reusing this buffer.
    pub fn encode<S: AsRef<str>>(&mut self, parts: &[S]) -> &str {
        use std::fmt::Write;
        self.0.clear();
        for part in parts {
            let part = part.as_ref();
            // Writing to a String cannot fail.
            let _ = write!(self.0, "{}:", part.len());
            self.0.push_str(part);
        }
        &self.0
    }
}

/// The parts of a key's text ([`KeyText`]), in order.
pub fn key_parts(text: &str) -> Vec<&str> {
    let mut parts = Vec::new();
    let mut rest = text;
    while let Some((length, tail)) = rest.split_once(':') {
        let Some(part) = length.parse().ok().and_then(|length: usize| {
            let part = tail.get(..length)?;
            rest = tail.get(length..)?;
            Some(part)
        }) else {
            break;
        };
        parts.push(part);
    }
    parts
}

/// Orders keys' texts as their lists of parts would be ordered.
pub fn compare_keys(a: &str, b: &str) -> Ordering {
    key_parts(a).cmp(&key_parts(b))
}

/// The inputs citations name, each once: a citation holds an index, and
/// the name is looked up only for a finding. As many as the inputs given.
#[derive(Debug, Default)]
pub struct Files {
    names: Vec<Arc<str>>,
    ids: HashMap<Arc<str>, u32, RandomState>,
}

impl Files {
    /// The index of `file`, added on first sight.
    pub fn id(&mut self, file: &Arc<str>) -> u32 {
        // Records come in runs from one input: check the latest first.
        if let Some(last) = self.names.last().filter(|last| Arc::ptr_eq(last, file)) {
            if let Some(&id) = self.ids.get(last) {
                return id;
            }
        }
        if let Some(&id) = self.ids.get(file) {
            return id;
        }
        // Inputs are files and streams given to one run: far fewer than 2^32.
        let id = self.names.len() as u32;
        self.names.push(Arc::clone(file));
        self.ids.insert(Arc::clone(file), id);
        id
    }

    /// The name of input `id`, an index [`Files::id`] gave.
    pub fn name(&self, id: u32) -> &Arc<str> {
        &self.names[id as usize]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_texts_round_trip_any_part() {
        let mut text = KeyText::default();
        for parts in [vec!["a1b2", "db-01"], vec!["", "4:x", ":", "ünï"], vec![]] {
            let encoded = text.encode(&parts).to_owned();
            assert_eq!(key_parts(&encoded), parts);
        }
        // Distinct part lists never share a text.
        let one = text.encode(&["ab", "c"]).to_owned();
        assert_ne!(one, text.encode(&["a", "bc"]));
    }

    #[test]
    fn keys_order_as_their_parts() {
        let mut text = KeyText::default();
        let a = text.encode(&["b", "a"]).to_owned();
        let b = text.encode(&["ab", "z"]).to_owned();
        // By parts "ab" < "b"; by text "1:b…" < "2:ab…".
        assert_eq!(compare_keys(&a, &b), Ordering::Greater);
        let short = text.encode(&["a"]).to_owned();
        let long = text.encode(&["a", ""]).to_owned();
        assert_eq!(compare_keys(&short, &long), Ordering::Less);
    }

    #[test]
    fn files_are_numbered_once() {
        let mut files = Files::default();
        let (a, b) = (Arc::from("a.log"), Arc::from("b.log"));
        assert_eq!(files.id(&a), 0);
        assert_eq!(files.id(&b), 1);
        assert_eq!(files.id(&Arc::from("a.log")), 0);
        assert_eq!(&**files.name(1), "b.log");
    }

    #[test]
    fn per_key_state_stays_small() {
        // What a key costs besides its text: checked so a new field is a
        // decision, not an accident.
        assert_eq!(std::mem::size_of::<Cited>(), 16);
        assert!(std::mem::size_of::<KeyState>() <= 72);
    }
}
