//! A set of texts that only grows, kept compact: the values a scope's
//! witnesses showed (host names), up to tens of thousands per set
//! ([`super::witness`]), looked up once per key at the end of the stream.
//!
//! A `HashSet<String>` costs a 24-byte string and a malloc'ed copy (at least
//! 32 bytes) per value and 25 bytes per bucket; here the texts lie end to end
//! in one string and the table holds where each one is (8 bytes and a
//! control byte per bucket), so a short host name costs about a third. The
//! texts are compared in full, so membership is exact. Nothing is removed,
//! so the arena never holds dead text.

use foldhash::fast::RandomState;
use hashbrown::HashTable;
use std::hash::BuildHasher;

/// Texts end to end, and a table of where each lies.
#[derive(Debug, Default, Clone)]
pub struct TextSet {
    texts: String,
    /// Each text's offset and length in `texts`.
    table: HashTable<(u32, u32)>,
    hasher: RandomState,
}

impl TextSet {
    pub fn len(&self) -> usize {
        self.table.len()
    }

    pub fn is_empty(&self) -> bool {
        self.table.is_empty()
    }

    fn text(texts: &str, (offset, length): (u32, u32)) -> &str {
        // Offsets come from `insert`, on character boundaries it wrote.
        texts
            .get(offset as usize..offset as usize + length as usize)
            .unwrap_or_default()
    }

    pub fn contains(&self, value: &str) -> bool {
        let hash = self.hasher.hash_one(value);
        self.table
            .find(hash, |&at| Self::text(&self.texts, at) == value)
            .is_some()
    }

    /// Adds `value`; `false` when it was there already, or when the texts
    /// would outgrow the 4 GiB their offsets can address (the caller caps
    /// the number of values far below where that could happen).
    pub fn insert(&mut self, value: &str) -> bool {
        let hash = self.hasher.hash_one(value);
        let (texts, hasher) = (&self.texts, &self.hasher);
        let entry = self.table.entry(
            hash,
            |&at| Self::text(texts, at) == value,
            |&at| hasher.hash_one(Self::text(texts, at)),
        );
        let hashbrown::hash_table::Entry::Vacant(vacant) = entry else {
            return false;
        };
        let (Ok(offset), Ok(length)) =
            (u32::try_from(self.texts.len()), u32::try_from(value.len()))
        else {
            return false;
        };
        if offset.checked_add(length).is_none() {
            return false;
        }
        vacant.insert((offset, length));
        self.texts.push_str(value);
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn holds_each_text_once_and_exactly() {
        let mut set = TextSet::default();
        assert!(set.is_empty());
        assert!(set.insert("db-01"));
        assert!(set.insert("db-0"));
        assert!(set.insert(""));
        assert!(set.insert("ünï"));
        assert!(!set.insert("db-01"));
        assert_eq!(set.len(), 4);
        for value in ["db-01", "db-0", "", "ünï"] {
            assert!(set.contains(value), "{value}");
        }
        // Prefixes, suffixes and concatenations of members are not members.
        for value in ["db-", "b-01", "db-01db-0", "ün"] {
            assert!(!set.contains(value), "{value}");
        }
    }

    #[test]
    fn finds_every_text_after_the_table_grows() {
        let mut set = TextSet::default();
        for n in 0..5000 {
            assert!(set.insert(&format!("host-{n}")));
        }
        assert_eq!(set.len(), 5000);
        assert!((0..5000).all(|n| set.contains(&format!("host-{n}"))));
        assert!(!set.contains("host-5000"));
    }
}
