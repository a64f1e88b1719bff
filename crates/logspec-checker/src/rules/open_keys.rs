//! One rule's open keys, in recency order, capped: the least recently
//! stepped key is evicted in O(1) to make room for a new one.
//!
//! Written here rather than taken from `hashlink` (whose `LinkedHashMap`
//! it replaced): that map allocates a node per key (128 bytes with
//! malloc's header, for a 16-byte key pointer, the state and two recency
//! pointers) and its table holds a pointer per bucket. Here the keys lie in
//! one vector of slots whose recency links are 32-bit indices, and the
//! table (`hashbrown::HashTable`) holds a 32-bit index per bucket; a key's
//! text is held in its slot up to 24 bytes (`compact_str`: a REQID's key
//! is 19), so most keys allocate nothing of their own, and an evicted
//! key's slot is reused by the key that evicts it. The key text is compared in full on
//! every lookup, so two keys never share a state.

use super::fan_out::FanState;
use super::state::{Citations, Columns, Keeps, Key, KeyState};
use compact_str::CompactString;
use foldhash::fast::RandomState;
use hashbrown::hash_table::Entry;
use hashbrown::HashTable;
use std::hash::BuildHasher;

/// No slot: the end of the recency list.
const NONE: u32 = u32::MAX;
/// The recency links of a slot given back by [`OpenKeys::evict_oldest`]
/// and not yet taken by another key: in neither the list nor the table.
const FREE: u32 = u32::MAX - 1;

#[derive(Debug)]
struct Slot {
    /// The key's [`KeyText`](super::state::KeyText).
    text: CompactString,
    state: KeyState,
    /// The slot stepped just before this one, or [`NONE`].
    older: u32,
    /// The slot stepped just after this one, or [`NONE`].
    newer: u32,
}

/// An open key as the end of the stream reads it.
pub struct OpenKey<'k> {
    pub text: &'k str,
    pub state: &'k KeyState,
    /// The records it cites, oldest first.
    pub cited: Citations<'k>,
    pub fan: Option<&'k FanState>,
}

/// What [`OpenKeys::step`] found or made for a key.
pub struct Stepped<'k> {
    pub key: Key<'k>,
    /// The key was not open: `state` is new.
    pub opened: bool,
    /// The text of the key evicted to make room, if one was.
    pub evicted: Option<CompactString>,
}

#[derive(Debug)]
pub struct OpenKeys {
    slots: Vec<Slot>,
    /// What only some rules keep per key, a row per slot.
    columns: Columns,
    /// Indices into `slots`, hashed by their text.
    table: HashTable<u32>,
    hasher: RandomState,
    /// Least recently stepped slot, or [`NONE`].
    oldest: u32,
    /// Most recently stepped slot, or [`NONE`].
    newest: u32,
    /// Slots given back by [`OpenKeys::evict_oldest`], for the next keys.
    free: Vec<u32>,
}

impl Default for OpenKeys {
    fn default() -> Self {
        OpenKeys::new(Keeps::default())
    }
}

impl OpenKeys {
    /// Open keys of a rule that keeps the columns `keeps` names.
    pub fn new(keeps: Keeps) -> OpenKeys {
        OpenKeys {
            slots: Vec::new(),
            columns: Columns::new(keeps),
            table: HashTable::new(),
            hasher: RandomState::default(),
            oldest: NONE,
            newest: NONE,
            free: Vec::new(),
        }
    }

    pub fn len(&self) -> usize {
        self.slots.len() - self.free.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The state of key `text`, made the most recently stepped; a new key
    /// starts in `start`, and when `cap` keys are open the least recently
    /// stepped one is evicted for it.
    pub fn step(&mut self, text: &str, cap: usize, start: usize) -> Stepped<'_> {
        let hash = self.hasher.hash_one(text);
        let slots = &self.slots;
        let found = self
            .table
            .find(hash, |&index| slots[index as usize].text == text)
            .copied();
        if let Some(index) = found {
            self.unlink(index);
            self.push_newest(index);
            let slot = &mut self.slots[index as usize];
            return Stepped {
                key: self.columns.row(index, &mut slot.state),
                opened: false,
                evicted: None,
            };
        }
        // Slot indices are 32-bit: a cap beyond 4 billion keys (hundreds of
        // gigabytes of state) is held at that, below the two markers.
        let cap = cap.clamp(1, FREE as usize);
        let (index, evicted) = if self.len() >= cap && self.oldest != NONE {
            let index = self.detach_oldest();
            let slot = &mut self.slots[index as usize];
            let evicted = std::mem::replace(&mut slot.text, CompactString::from(text));
            slot.state = KeyState::new(start);
            (index, Some(evicted))
        } else if let Some(index) = self.free.pop() {
            // Its row of the columns was emptied when it was given back.
            let slot = &mut self.slots[index as usize];
            slot.text = CompactString::from(text);
            slot.state = KeyState::new(start);
            (index, None)
        } else {
            // Below `cap`, so below `FREE`.
            let index = self.slots.len() as u32;
            self.slots.push(Slot {
                text: CompactString::from(text),
                state: KeyState::new(start),
                older: NONE,
                newer: NONE,
            });
            self.columns.push();
            (index, None)
        };
        let (slots, hasher) = (&self.slots, &self.hasher);
        if let Entry::Vacant(vacant) = self.table.entry(
            hash,
            |&other| other == index,
            |&other| hasher.hash_one(&*slots[other as usize].text),
        ) {
            vacant.insert(index);
        }
        self.push_newest(index);
        let slot = &mut self.slots[index as usize];
        Stepped {
            key: self.columns.row(index, &mut slot.state),
            opened: true,
            evicted,
        }
    }

    /// Drops the least recently stepped key to keep several rules' keys
    /// within a budget they share; its slot waits for the next new key.
    /// Returns the dropped key's text, or `None` when no key is open.
    pub fn evict_oldest(&mut self) -> Option<CompactString> {
        if self.oldest == NONE {
            return None;
        }
        let index = self.detach_oldest();
        let slot = &mut self.slots[index as usize];
        slot.older = FREE;
        slot.newer = FREE;
        self.free.push(index);
        Some(std::mem::take(&mut slot.text))
    }

    /// Takes the least recently stepped slot (there is one) out of the
    /// recency list and the table and empties its row of the columns.
    fn detach_oldest(&mut self) -> u32 {
        let index = self.oldest;
        self.unlink(index);
        let hash = self.hasher.hash_one(&*self.slots[index as usize].text);
        if let Ok(entry) = self.table.find_entry(hash, |&other| other == index) {
            entry.remove();
        }
        self.columns.reset(index);
        index
    }

    /// Every open key with its slot index, in slot order (no particular
    /// order of keys).
    pub fn iter(&self) -> impl Iterator<Item = (u32, OpenKey<'_>)> {
        // Slot indices stay below `FREE` (the cap), so they fit in 32 bits.
        (0..self.slots.len() as u32)
            .filter(|&index| self.slots[index as usize].older != FREE)
            .map(|index| (index, self.get(index)))
    }

    /// The key in slot `index` (an index [`OpenKeys::iter`] counts, below
    /// [`OpenKeys::len`]).
    pub fn get(&self, index: u32) -> OpenKey<'_> {
        let slot = &self.slots[index as usize];
        OpenKey {
            text: &slot.text,
            state: &slot.state,
            cited: self.columns.cited(index, &slot.state),
            fan: self.columns.fan(index as usize),
        }
    }

    /// Gives back every key's state that only later records could use
    /// ([`Columns::forget_for_later`]); the keys stay, to be reported.
    pub fn forget_for_later(&mut self) {
        self.columns.forget_for_later();
    }

    /// Forgets every key.
    pub fn clear(&mut self) {
        self.slots.clear();
        self.columns.clear();
        self.table.clear();
        self.oldest = NONE;
        self.newest = NONE;
        self.free.clear();
    }

    fn unlink(&mut self, index: u32) {
        let (older, newer) = {
            let slot = &self.slots[index as usize];
            (slot.older, slot.newer)
        };
        match older {
            NONE => self.oldest = newer,
            older => self.slots[older as usize].newer = newer,
        }
        match newer {
            NONE => self.newest = older,
            newer => self.slots[newer as usize].older = older,
        }
    }

    fn push_newest(&mut self, index: u32) {
        let newest = self.newest;
        {
            let slot = &mut self.slots[index as usize];
            slot.older = newest;
            slot.newer = NONE;
        }
        match newest {
            NONE => self.oldest = index,
            newest => self.slots[newest as usize].newer = index,
        }
        self.newest = index;
    }
}

#[cfg(test)]
mod tests {
    use super::super::state::{Agreed, Cited, MAX_STATES};
    use super::*;

    fn step(keys: &mut OpenKeys, text: &str, cap: usize) -> (bool, Option<String>) {
        let stepped = keys.step(text, cap, 0);
        let state = stepped.key.state.state();
        stepped.key.state.set_state(state + 1);
        (stepped.opened, stepped.evicted.map(|text| text.to_string()))
    }

    /// Keys "a", "b", "c" stepped in turn, then "a" again, so that "b" is
    /// the least recently stepped, "c" next.
    fn b_oldest(cap: usize) -> OpenKeys {
        let mut keys = OpenKeys::default();
        for text in ["a", "b", "c", "a"] {
            step(&mut keys, text, cap);
        }
        keys
    }

    /// The open keys' texts, sorted.
    fn texts(keys: &OpenKeys) -> Vec<&str> {
        let mut texts: Vec<&str> = keys.iter().map(|(_, key)| key.text).collect();
        texts.sort();
        texts
    }

    #[test]
    fn a_key_keeps_its_state_across_steps() {
        let mut keys = OpenKeys::default();
        assert_eq!(step(&mut keys, "a", 10), (true, None));
        assert_eq!(step(&mut keys, "b", 10), (true, None));
        assert_eq!(step(&mut keys, "a", 10), (false, None));
        assert_eq!(keys.len(), 2);
        let mut states: Vec<(&str, usize)> = keys
            .iter()
            .map(|(_, key)| (key.text, key.state.state()))
            .collect();
        states.sort();
        assert_eq!(states, [("a", 2), ("b", 1)]);
    }

    #[test]
    fn the_cap_evicts_the_least_recently_stepped() {
        let mut keys = b_oldest(3);
        assert_eq!(step(&mut keys, "d", 3), (true, Some("b".into())));
        assert_eq!(step(&mut keys, "e", 3), (true, Some("c".into())));
        assert_eq!(step(&mut keys, "f", 3), (true, Some("a".into())));
        assert_eq!(keys.len(), 3);
        // The evicted key starts afresh; the others are still found.
        assert_eq!(step(&mut keys, "b", 3), (true, Some("d".into())));
        assert_eq!(step(&mut keys, "f", 3), (false, None));
        assert_eq!(texts(&keys), ["b", "e", "f"]);
    }

    fn cited(line: u64, label: u32) -> Cited {
        Cited {
            line,
            file: 0,
            label,
        }
    }

    fn lines(keys: &OpenKeys, text: &str) -> Vec<(u64, u32)> {
        let key = keys.iter().find(|(_, key)| key.text == text);
        let Some(key) = key else {
            panic!("{text} is not open")
        };
        key.1.cited.iter().map(|c| (c.line, c.label)).collect()
    }

    #[test]
    fn citations_past_the_first_are_kept_beside_the_slot_and_go_with_it() {
        let mut keys = OpenKeys::default();
        let mut a = keys.step("a", 2, 0).key;
        assert!(a.cited().is_empty());
        for line in 1..=4 {
            a.cite(cited(line, line as u32 % 2), 3);
        }
        assert_eq!(lines(&keys, "a"), [(1, 1), (2, 0), (3, 1)]);
        let mut b = keys.step("b", 2, 0).key;
        b.cite(cited(7, 65_535), 3);
        b.state.set_violated();
        b.state.set_state(MAX_STATES - 1);
        assert_eq!(lines(&keys, "b"), [(7, 65_535)]);
        let b = keys.step("b", 2, 0).key;
        assert!(b.state.violated());
        assert_eq!(b.state.state(), MAX_STATES - 1);
        // Closing keeps the first citation only.
        let mut a = keys.step("a", 2, 0).key;
        a.close();
        assert_eq!(lines(&keys, "a"), [(1, 1)]);
        let mut a = keys.step("a", 2, 0).key;
        a.cite(cited(9, 0), 3);
        assert_eq!(lines(&keys, "a"), [(1, 1), (9, 0)]);
        // `c` takes the slot of `b`, the least recently stepped, and starts
        // with nothing cited; `a`'s list is its own still.
        let stepped = keys.step("c", 2, 0);
        assert_eq!(stepped.evicted.as_deref(), Some("b"));
        assert!(stepped.key.cited().is_empty());
        assert!(!stepped.key.state.violated());
        assert_eq!(lines(&keys, "a"), [(1, 1), (9, 0)]);
        // Evicting a key with a list drops the list with it.
        let mut c = keys.step("c", 2, 0).key;
        c.cite(cited(10, 2), 3);
        let stepped = keys.step("d", 2, 0);
        assert_eq!(stepped.evicted.as_deref(), Some("a"));
        let mut d = stepped.key;
        assert!(d.cited().is_empty());
        d.cite(cited(11, 3), 3);
        assert_eq!(lines(&keys, "d"), [(11, 3)]);
    }

    #[test]
    fn forgetting_for_later_keeps_what_a_report_reads() {
        let keeps = Keeps {
            values: true,
            memory: true,
            fan: false,
        };
        let mut keys = OpenKeys::new(keeps);
        let mut a = keys.step("a", 4, 1).key;
        a.cite(cited(3, 0), 4);
        a.cite(cited(5, 1), 4);
        a.agree(Agreed {
            field: 0,
            value: "backup".into(),
            cited: cited(3, 0),
        });
        assert!(a.agreed(0).is_some());
        assert!(a.memory.is_some());
        keys.forget_for_later();
        // The key, its state and every citation are still there to report.
        assert_eq!(lines(&keys, "a"), [(3, 0), (5, 1)]);
        let a = keys.step("a", 4, 1).key;
        assert_eq!(a.state.state(), 1);
        // What only a later record could use is gone.
        assert!(a.agreed(0).is_none());
        assert!(a.values.is_none() && a.memory.is_none());
        // A key opened after it keeps no such row either, and steps.
        let b = keys.step("b", 4, 2).key;
        assert!(b.values.is_none() && b.memory.is_none());
        assert_eq!(keys.len(), 2);
    }

    #[test]
    fn a_key_dropped_for_the_budget_gives_its_slot_to_the_next() {
        let mut keys = b_oldest(10);
        assert_eq!(keys.evict_oldest().as_deref(), Some("b"));
        assert_eq!(keys.len(), 2);
        assert_eq!(texts(&keys), ["a", "c"]);
        // "b" is forgotten: stepping it opens it afresh, in the freed slot.
        assert_eq!(step(&mut keys, "b", 10), (true, None));
        assert_eq!(keys.len(), 3);
        assert_eq!(keys.slots.len(), 3);
        let b = keys.step("b", 10, 0).key;
        assert_eq!(b.state.state(), 1);
        // The recency order goes on: "c", "a", "b".
        assert_eq!(keys.evict_oldest().as_deref(), Some("c"));
        assert_eq!(keys.evict_oldest().as_deref(), Some("a"));
        // A cap counts open keys, not slots.
        assert_eq!(step(&mut keys, "d", 2), (true, None));
        assert_eq!(step(&mut keys, "e", 2), (true, Some("b".into())));
        assert_eq!(keys.evict_oldest().as_deref(), Some("d"));
        assert_eq!(keys.evict_oldest().as_deref(), Some("e"));
        assert_eq!(keys.evict_oldest(), None);
        assert!(keys.is_empty());
        assert_eq!(keys.iter().count(), 0);
    }

    #[test]
    fn a_slot_stays_small() {
        // The text (24), the packed state (16), the recency links (8): a
        // rule holds up to `--max-open-keys` of them.
        assert_eq!(std::mem::size_of::<Slot>(), 48);
    }

    #[test]
    fn a_cap_of_one_keeps_the_latest_key() {
        let mut keys = OpenKeys::default();
        assert_eq!(step(&mut keys, "a", 1), (true, None));
        assert_eq!(step(&mut keys, "a", 1), (false, None));
        assert_eq!(step(&mut keys, "b", 0), (true, Some("a".into())));
        assert_eq!(keys.len(), 1);
    }

    #[test]
    fn many_keys_through_a_small_cap_stay_consistent() {
        let mut keys = OpenKeys::default();
        for n in 0..10_000u32 {
            // Every third step revisits a recent key.
            let text = if n % 3 == 0 {
                (n / 2).to_string()
            } else {
                n.to_string()
            };
            step(&mut keys, &text, 100);
            assert!(keys.len() <= 100);
        }
        // Each open key is found again without opening a new one.
        let texts: Vec<String> = keys.iter().map(|(_, key)| key.text.to_owned()).collect();
        for text in &texts {
            assert_eq!(step(&mut keys, text, 100), (false, None), "{text}");
        }
        keys.clear();
        assert!(keys.is_empty());
        assert_eq!(step(&mut keys, "x", 100), (true, None));
    }
}
