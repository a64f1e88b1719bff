//! Key parts joined from earlier records: a value one participant's record
//! carried, looked up for a later record that does not carry it, by fields
//! both carry (the namespace an Uplink acceptance assigned, for the
//! session's close, which names only the session).
//!
//! Each join keeps a table from the joining fields' values to the latest
//! value seen with them, in recency order (`hashlink`; the engine keeps its
//! keys), capped like the keys (`--max-open-keys`): beyond the cap the
//! least recently written entry is dropped and counted, so a later record
//! that needed it is left out of the rule (`unkeyed`) and the drop is
//! reported, never silent. A rule's `reset_on` empties the tables.

use super::StreamRecord;
use foldhash::fast::RandomState;
use hashlink::LinkedHashMap;
use std::sync::Arc;

/// One join compiled: whose records leave the value, which field, and the
/// fields that must be equal (earlier record's, this record's).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JoinPlan {
    pub label: usize,
    pub field: Arc<str>,
    pub on: Vec<(Arc<str>, Arc<str>)>,
}

/// The values remembered for a rule's joins.
#[derive(Debug, Clone, Default)]
pub struct Joined {
    tables: Vec<LinkedHashMap<Box<[String]>, String, RandomState>>,
    /// Entries dropped at the cap, and the first record that dropped one.
    pub evicted: u64,
    pub first_eviction: Option<(Arc<str>, u64)>,
}

impl Joined {
    pub fn new(joins: &[JoinPlan]) -> Joined {
        Joined {
            tables: vec![LinkedHashMap::default(); joins.len()],
            ..Joined::default()
        }
    }

    /// The value join `join` remembered for `record`'s joining fields;
    /// `None` when the record lacks one of them or no earlier record left
    /// a value for them.
    pub fn lookup(&self, joins: &[JoinPlan], join: usize, record: &StreamRecord) -> Option<&str> {
        let (plan, table) = (joins.get(join)?, self.tables.get(join)?);
        let wanted = values(record, plan.on.iter().map(|(_, here)| here))?;
        table.get(wanted.as_slice()).map(String::as_str)
    }

    /// Remembers what `record`, playing `label`, leaves for the joins that
    /// read that label: the latest value wins. At most `cap` entries are
    /// kept per join.
    pub fn remember(
        &mut self,
        joins: &[JoinPlan],
        label: usize,
        record: &StreamRecord,
        cap: usize,
    ) {
        for (plan, table) in joins.iter().zip(&mut self.tables) {
            if plan.label != label {
                continue;
            }
            let Some(value) = record.value(&plan.field) else {
                continue;
            };
            let Some(by) = values(record, plan.on.iter().map(|(earlier, _)| earlier)) else {
                continue;
            };
            // Re-inserting moves the entry to the back: the latest is kept
            // longest.
            table.remove(by.as_slice());
            if table.len() >= cap.max(1) {
                table.pop_front();
                self.evicted += 1;
                self.first_eviction
                    .get_or_insert_with(|| (Arc::clone(&record.file), record.line));
            }
            table.insert(by.into_boxed_slice(), value.to_owned());
        }
    }

    /// Forgets every remembered value (a reset: a restart frees all).
    pub fn clear(&mut self) {
        for table in &mut self.tables {
            table.clear();
        }
    }

    /// Entries held across all joins.
    pub fn len(&self) -> usize {
        self.tables.iter().map(LinkedHashMap::len).sum()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// The values of `fields` on `record`, all of them or none.
fn values<'a>(
    record: &StreamRecord,
    fields: impl Iterator<Item = &'a Arc<str>>,
) -> Option<Vec<String>> {
    fields
        .map(|field| record.value(field).map(str::to_owned))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(line: u64, values: &[(&str, &str)]) -> StreamRecord {
        StreamRecord {
            file: Arc::from("f"),
            line,
            values: values
                .iter()
                .map(|(k, v)| (Arc::from(*k), (*v).into()))
                .collect(),
            ..StreamRecord::default()
        }
    }

    /// The namespace of the latest acceptance (label 0) of a session.
    fn joins() -> Vec<JoinPlan> {
        vec![JoinPlan {
            label: 0,
            field: Arc::from("namespace"),
            on: vec![(Arc::from("session_id"), Arc::from("session_id"))],
        }]
    }

    #[test]
    fn a_later_record_finds_the_value_its_fields_point_at() {
        let joins = joins();
        let mut joined = Joined::new(&joins);
        let accepted = record(1, &[("session_id", "s1"), ("namespace", "n1")]);
        let closed = record(2, &[("session_id", "s1")]);
        assert_eq!(joined.lookup(&joins, 0, &closed), None);
        joined.remember(&joins, 0, &accepted, 10);
        assert_eq!(joined.lookup(&joins, 0, &closed), Some("n1"));
        // Only records of the joined label leave values.
        let other = record(3, &[("session_id", "s1"), ("namespace", "n9")]);
        joined.remember(&joins, 1, &other, 10);
        assert_eq!(joined.lookup(&joins, 0, &closed), Some("n1"));
        // The latest wins; a record without the joining field finds none.
        joined.remember(&joins, 0, &other, 10);
        assert_eq!(joined.lookup(&joins, 0, &closed), Some("n9"));
        assert_eq!(joined.lookup(&joins, 0, &record(4, &[])), None);
        joined.clear();
        assert!(joined.is_empty());
        assert_eq!(joined.lookup(&joins, 0, &closed), None);
    }

    #[test]
    fn fields_of_different_names_join() {
        let joins = vec![JoinPlan {
            label: 0,
            field: Arc::from("namespace"),
            on: vec![(Arc::from("connection_id"), Arc::from("ssh_id"))],
        }];
        let mut joined = Joined::new(&joins);
        joined.remember(
            &joins,
            0,
            &record(1, &[("connection_id", "c1"), ("namespace", "n1")]),
            10,
        );
        assert_eq!(
            joined.lookup(&joins, 0, &record(2, &[("ssh_id", "c1")])),
            Some("n1")
        );
        assert_eq!(
            joined.lookup(&joins, 0, &record(2, &[("connection_id", "c1")])),
            None
        );
    }

    #[test]
    fn the_cap_drops_the_oldest_and_counts_it() {
        let joins = joins();
        let mut joined = Joined::new(&joins);
        for (line, session) in ["s1", "s2", "s3"].iter().enumerate() {
            let accepted = record(
                line as u64 + 1,
                &[("session_id", session), ("namespace", "n")],
            );
            joined.remember(&joins, 0, &accepted, 2);
        }
        assert_eq!(joined.len(), 2);
        assert_eq!(joined.evicted, 1);
        assert_eq!(joined.first_eviction, Some((Arc::from("f"), 3)));
        assert_eq!(
            joined.lookup(&joins, 0, &record(9, &[("session_id", "s1")])),
            None
        );
        assert_eq!(
            joined.lookup(&joins, 0, &record(9, &[("session_id", "s3")])),
            Some("n")
        );
    }
}
