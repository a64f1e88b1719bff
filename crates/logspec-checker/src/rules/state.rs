//! What the engine keeps per open key, kept small: a rule holds up to
//! `--max-open-keys` keys, and on a busy stream every record may open one,
//! so each byte here is a hundred kilobytes per rule at the default cap.
//!
//! - A key's values are one string ([`KeyText`]: each part's length, then
//!   its text), one allocation where a list of strings took one per part
//!   and one for the list.
//! - A citation names its input by index into the engine's [`Files`], not
//!   by a shared pointer, so it is 16 bytes. A key's first citation is
//!   packed into its [`KeyState`] with the lifecycle state (16 bytes in
//!   all); a key citing more records (an open lifecycle several steps in)
//!   keeps its list in a map beside the slots ([`Columns`]), since on a
//!   long stream most keys are finished lifecycles that keep one.
//! - Agreed values are allocated only once a record gives one, at their
//!   exact number; they, per-label memory and fan-outs are kept in
//!   columns beside the rule's slots ([`Columns`]), only by rules whose
//!   spec can fill them.

use super::condition::{self, Memory};
use super::fan_out::FanState;
use super::{RulePlan, StreamRecord};
use compact_str::CompactString;
use foldhash::fast::RandomState;
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

/// States a lifecycle may have: the state's index takes 13 bits of
/// [`KeyState`]. The spec's schema allows no more, and the plan refuses
/// more, so the index always fits.
pub const MAX_STATES: usize = 1 << 13;

/// Participants a rule may have: a citation's label takes 16 bits of
/// [`KeyState`]. The spec's schema allows no more, and the plan refuses
/// more.
pub const MAX_LABELS: usize = 1 << 16;

const STATE_BITS: u32 = (MAX_STATES - 1) as u32;
/// A violation was reported for the key.
const VIOLATED: u32 = 1 << 13;
/// `line`, `file` and the label bits hold the key's first citation.
const FIRST: u32 = 1 << 14;
/// The key cites more than one record: [`Columns`] holds the whole list.
const MORE: u32 = 1 << 15;
const LABEL_SHIFT: u32 = 16;

/// One open key's lifecycle state, whether a violation was reported, and
/// its first citation, packed into 16 bytes: what every rule keeps per
/// key. What only some rules keep is in [`Columns`].
#[derive(Debug)]
pub struct KeyState {
    /// The first citation's line.
    line: u64,
    /// The first citation's input.
    file: u32,
    /// The state's index (bits 0–12), [`VIOLATED`], [`FIRST`], [`MORE`],
    /// and the first citation's label (bits 16–31).
    word: u32,
}

impl KeyState {
    pub fn new(state: usize) -> KeyState {
        let mut key = KeyState {
            line: 0,
            file: 0,
            word: 0,
        };
        key.set_state(state);
        key
    }

    /// The lifecycle state, an index into the rule's states.
    pub fn state(&self) -> usize {
        (self.word & STATE_BITS) as usize
    }

    /// Below [`MAX_STATES`], as the plan ensures.
    pub fn set_state(&mut self, state: usize) {
        debug_assert!(state < MAX_STATES);
        self.word = (self.word & !STATE_BITS) | (state as u32 & STATE_BITS);
    }

    /// A violation was reported: the lifecycle is known broken, so it is
    /// not reported again as unfinished.
    pub fn violated(&self) -> bool {
        self.word & VIOLATED != 0
    }

    pub fn set_violated(&mut self) {
        self.word |= VIOLATED;
    }

    fn first(&self) -> Option<Cited> {
        (self.word & FIRST != 0).then_some(Cited {
            line: self.line,
            file: self.file,
            label: self.word >> LABEL_SHIFT,
        })
    }

    /// The key cites more than one record: the list is kept beside it.
    fn has_more(&self) -> bool {
        self.word & MORE != 0
    }

    fn set_more(&mut self, more: bool) {
        self.word = if more {
            self.word | MORE
        } else {
            self.word & !MORE
        };
    }

    fn set_first(&mut self, cited: Cited) {
        debug_assert!((cited.label as usize) < MAX_LABELS);
        self.line = cited.line;
        self.file = cited.file;
        self.word = (self.word & (STATE_BITS | VIOLATED)) | FIRST | (cited.label << LABEL_SHIFT);
    }
}

/// The records a key cites, oldest first: a slice of [`Cited`] (its only
/// record, unpacked from the [`KeyState`], or the list kept beside it).
pub struct Citations<'k> {
    one: Option<Cited>,
    many: &'k [Cited],
}

impl Citations<'_> {
    fn of<'k>(state: &KeyState, index: u32, more: &'k MoreCited) -> Citations<'k> {
        if state.has_more() {
            Citations {
                one: None,
                many: more.get(&index).map_or(&[], Vec::as_slice),
            }
        } else {
            Citations {
                one: state.first(),
                many: &[],
            }
        }
    }
}

impl std::ops::Deref for Citations<'_> {
    type Target = [Cited];

    fn deref(&self) -> &[Cited] {
        match &self.one {
            Some(one) => std::slice::from_ref(one),
            None => self.many,
        }
    }
}

/// The citations of keys that cite more than one record, by slot.
type MoreCited = HashMap<u32, Vec<Cited>, RandomState>;

/// Which of the [`Columns`] a rule keeps: those its spec can fill.
#[derive(Debug, Clone, Copy, Default)]
pub struct Keeps {
    pub values: bool,
    pub memory: bool,
    pub fan: bool,
}

impl Keeps {
    pub fn of(rule: &RulePlan) -> Keeps {
        Keeps {
            values: !rule.agree.is_empty(),
            memory: rule.remembers.contains(&true),
            fan: rule.fan_out.is_some(),
        }
    }
}

/// What only some rules keep per key, each in a column parallel to the
/// rule's slots of open keys, and only for rules that can fill it: agreed
/// values (rules with `agree`), what conditions remember (rules whose
/// conditions read earlier records), a fan-out's members. Held in every
/// key they took 40 of its 72 bytes, whatever the rule.
#[derive(Debug, Default)]
pub struct Columns {
    keeps: Keeps,
    /// First value seen per agreed field, and where.
    values: Vec<Box<[Agreed]>>,
    /// What the key's records left for later conditions, one per label
    /// seen ([`Memory`]). Boxed at its exact length.
    memory: Vec<Box<[Memory]>>,
    /// The members a fan-out record listed for the key, and the answers.
    fan: Vec<Option<Box<FanState>>>,
    /// Every citation of the keys that cite more than one record.
    more: MoreCited,
}

impl Columns {
    pub fn new(keeps: Keeps) -> Columns {
        Columns {
            keeps,
            ..Columns::default()
        }
    }

    /// Adds an empty row at the end (a new slot).
    pub fn push(&mut self) {
        if self.keeps.values {
            self.values.push(Box::default());
        }
        if self.keeps.memory {
            self.memory.push(Box::default());
        }
        if self.keeps.fan {
            self.fan.push(None);
        }
    }

    /// Empties row `index` (a slot index, 32-bit: a slot given to another
    /// key).
    pub fn reset(&mut self, index: u32) {
        self.more.remove(&index);
        let index = index as usize;
        if let Some(values) = self.values.get_mut(index) {
            *values = Box::default();
        }
        if let Some(memory) = self.memory.get_mut(index) {
            *memory = Box::default();
        }
        if let Some(fan) = self.fan.get_mut(index) {
            *fan = None;
        }
    }

    pub fn clear(&mut self) {
        self.values.clear();
        self.memory.clear();
        self.fan.clear();
        self.more.clear();
    }

    /// Gives back what only later records could use, agreed values and
    /// what conditions remember, keeping what reporting an unfinished key
    /// reads (its citations and fan-out): for the end of the stream.
    pub fn forget_for_later(&mut self) {
        self.keeps.values = false;
        self.keeps.memory = false;
        self.values = Vec::new();
        self.memory = Vec::new();
    }

    /// Row `index` (a slot index, 32-bit), with the key's `state`.
    pub fn row<'k>(&'k mut self, index: u32, state: &'k mut KeyState) -> Key<'k> {
        let row = index as usize;
        Key {
            state,
            index,
            more: &mut self.more,
            values: self.values.get_mut(row),
            memory: self.memory.get_mut(row),
            fan: self.fan.get_mut(row),
        }
    }

    /// The records the key in row `index`, of state `state`, cites.
    pub fn cited<'k>(&'k self, index: u32, state: &KeyState) -> Citations<'k> {
        Citations::of(state, index, &self.more)
    }

    /// The fan-out of the key in row `index`, if it has one.
    pub fn fan(&self, index: usize) -> Option<&FanState> {
        self.fan.get(index).and_then(Option::as_deref)
    }
}

/// One open key as a step sees it: its state, and its row of the
/// rule's [`Columns`] (`None`: the rule keeps no such column).
#[derive(Debug)]
pub struct Key<'k> {
    pub state: &'k mut KeyState,
    /// The key's slot, for the citations kept beside it.
    index: u32,
    more: &'k mut MoreCited,
    pub values: Option<&'k mut Box<[Agreed]>>,
    pub memory: Option<&'k mut Box<[Memory]>>,
    pub fan: Option<&'k mut Option<Box<FanState>>>,
}

impl Key<'_> {
    /// The records the key cites, oldest first.
    pub fn cited(&self) -> Citations<'_> {
        Citations::of(self.state, self.index, self.more)
    }

    /// Whether the key cites no record yet: read from its state alone,
    /// without looking its list up (a key with a list cites two or more).
    pub fn cites_nothing(&self) -> bool {
        !self.state.has_more() && self.state.first().is_none()
    }

    /// Cites `here` after the key's other records, unless it cites `cap`
    /// already.
    pub fn cite(&mut self, here: Cited, cap: usize) {
        if self.state.has_more() {
            // The list exists while the flag is set (both are set and
            // cleared together); were it lost, the first citation, still
            // in the state, starts it again rather than the new one going
            // uncited.
            debug_assert!(self.more.contains_key(&self.index), "flag without list");
            let first = self.state.first();
            let list = self
                .more
                .entry(self.index)
                .or_insert_with(|| first.into_iter().collect());
            if list.len() < cap {
                // Exact growth: most lists stay short (doubling measured
                // 3% faster on the adversarial run for 11% more memory).
                list.reserve_exact(1);
                list.push(here);
            }
            return;
        }
        match self.state.first() {
            None if cap > 0 => self.state.set_first(here),
            Some(first) if cap > 1 => {
                self.more.insert(self.index, vec![first, here]);
                self.state.set_more(true);
            }
            _ => {}
        }
    }

    /// What conditions may read of the key's earlier records.
    pub fn memory(&self) -> &[Memory] {
        self.memory.as_deref().map_or(&[], |memory| &**memory)
    }

    /// The first value of agreed field `field`, if one was seen.
    pub fn agreed(&self, field: usize) -> Option<&Agreed> {
        let values = self.values.as_deref()?;
        values.iter().find(|agreed| agreed.field == field)
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
        let Some(kept) = self.memory.as_deref_mut() else {
            return false;
        };
        // Built at its exact length, so boxing it again moves nothing.
        let mut memory = std::mem::take(kept).into_vec();
        let cut = condition::remember(&mut memory, rule, label, record, params);
        *kept = memory.into_boxed_slice();
        cut
    }

    /// Adds the first value of an agreed field, growing by exactly one:
    /// most keys hold one or two, and a hundred thousand keys would
    /// otherwise keep room for more.
    pub fn agree(&mut self, agreed: Agreed) {
        let Some(kept) = self.values.as_deref_mut() else {
            return;
        };
        let mut values = std::mem::take(kept).into_vec();
        values.reserve_exact(1);
        values.push(agreed);
        *kept = values.into_boxed_slice();
    }

    /// Keeps only what a finished lifecycle can still be cited by: its
    /// first record.
    pub fn close(&mut self) {
        if self.state.has_more() {
            // The first citation is still the packed one.
            self.more.remove(&self.index);
            self.state.set_more(false);
        }
        if let Some(values) = self.values.as_deref_mut() {
            *values = Box::default();
        }
        if let Some(memory) = self.memory.as_deref_mut() {
            *memory = Box::default();
        }
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
        let mut length = itoa::Buffer::new();
        self.0.clear();
        for part in parts {
            let part = part.as_ref();
            self.0.push_str(length.format(part.len()));
            self.0.push(':');
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
        assert_eq!(std::mem::size_of::<KeyState>(), 16);
    }

    #[test]
    fn the_schema_allows_what_a_key_state_can_name_and_no_more() {
        let schema: serde_json::Value = serde_json::from_str(logspec_spec::SCHEMA)
            .unwrap_or_else(|error| panic!("the schema is not JSON: {error}"));
        let rule = &schema["$defs"]["rule"]["properties"];
        let states = &rule["lifecycle"]["properties"]["states"]["maxProperties"];
        let participants = &rule["participants"]["maxItems"];
        assert_eq!(states.as_u64(), Some(MAX_STATES as u64), "{rule:#}");
        assert_eq!(participants.as_u64(), Some(MAX_LABELS as u64));
    }
}
