//! Maps JSON pointers into a YAML document to line and column.
//!
//! Schema and model errors come back as paths into the data (`/events/3/id`);
//! people edit the YAML text. serde-saphyr reports locations only for its own
//! errors, so this walks the event stream of granit-parser (the parser
//! serde-saphyr reads with: both see the same nodes) and records where nodes
//! start: every node (an overlay's problems), or only the nodes some
//! pointers need (a spec's problems, lint's findings), stopping once those
//! are found.

use granit_parser::{Event, Parser};
use std::borrow::Cow;
use std::collections::{HashMap, HashSet};
use std::fmt::Write;

/// A 1-based line and column in a spec file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default)]
pub struct Location {
    pub line: usize,
    pub column: usize,
}

/// Where nodes of a YAML document start, by JSON pointer.
#[derive(Debug, Default, Clone)]
pub struct Locations {
    nodes: HashMap<String, Location>,
    /// Paths of data the loader generated, and the path it came from.
    aliases: HashMap<String, String>,
}

enum Frame<'text> {
    /// `key` is the pending key and where it was written.
    Mapping {
        key: Option<(Cow<'text, str>, Location)>,
    },
    Sequence {
        next_index: usize,
    },
}

impl Locations {
    /// Indexes every node of `text`. A text saphyr cannot scan yields the
    /// nodes before the error; the scan error itself is reported by the
    /// deserializer.
    pub fn index(text: &str) -> Locations {
        Locations {
            nodes: scan(text, None),
            aliases: HashMap::new(),
        }
    }

    /// Indexes only the nodes [`Locations::find`] consults for `pointers`:
    /// each pointer's node and its ancestors, and through `aliases` (paths
    /// of generated data and the path each came from) the nodes the author
    /// wrote. `find` answers those pointers as it would over a full index.
    pub fn index_for<'p>(
        text: &str,
        pointers: impl IntoIterator<Item = &'p str>,
        aliases: &[(String, String)],
    ) -> Locations {
        let aliases: HashMap<String, String> = aliases.iter().cloned().collect();
        let mut wanted = HashSet::new();
        for pointer in pointers {
            consulted(pointer, &aliases, &mut wanted);
        }
        Locations {
            nodes: scan(text, Some(&wanted)),
            aliases,
        }
    }

    /// The location of the node at `pointer`, or of its nearest ancestor.
    pub fn find(&self, pointer: &str) -> Location {
        let mut current = pointer;
        loop {
            if let Some(location) = self.nodes.get(current) {
                return *location;
            }
            if let Some(source) = self.aliases.get(current) {
                return self.find(source);
            }
            match current.rfind('/') {
                Some(cut) => current = &current[..cut],
                None => return Location { line: 1, column: 1 },
            }
        }
    }
}

/// Adds to `wanted` every path [`Locations::find`] may look up for
/// `pointer`: the pointer, its ancestors, and those of alias sources.
fn consulted(pointer: &str, aliases: &HashMap<String, String>, wanted: &mut HashSet<String>) {
    let mut current = pointer;
    loop {
        if !wanted.insert(current.to_owned()) {
            // Seen before, and so everything it leads to.
            return;
        }
        if let Some(source) = aliases.get(current) {
            consulted(source, aliases, wanted);
        }
        match current.rfind('/') {
            Some(cut) => current = &current[..cut],
            None => return,
        }
    }
}

/// Where the nodes of `text` start: all of them, or those in `wanted`,
/// returning once each of those is found. The current node's pointer is
/// kept in one buffer, a segment pushed on entering a node and cut off on
/// leaving it.
fn scan(text: &str, wanted: Option<&HashSet<String>>) -> HashMap<String, Location> {
    let mut nodes = HashMap::new();
    let mut current = String::new();
    // The length of `current` before each open node's segment.
    let mut starts: Vec<usize> = Vec::new();
    let mut frames: Vec<Frame> = Vec::new();
    let record = |current: &str, at: Location, nodes: &mut HashMap<String, Location>| {
        if wanted.is_none_or(|wanted| wanted.contains(current)) {
            nodes.insert(current.to_owned(), at);
        }
        wanted.is_some_and(|wanted| nodes.len() == wanted.len())
    };
    for item in Parser::new_from_str(text) {
        let Ok((event, span)) = item else { break };
        let here = Location {
            line: span.start.line(),
            column: span.start.col() + 1,
        };
        let done = match event {
            Event::Scalar(value, ..) => {
                if let Some(Frame::Mapping { key }) = frames.last_mut() {
                    if key.is_none() {
                        *key = Some((value, here));
                        continue;
                    }
                }
                enter_node(&mut frames, &mut current, &mut starts);
                let done = record(&current, here, &mut nodes);
                leave_node(&mut frames, &mut current, &mut starts);
                done
            }
            Event::Alias(_) => {
                enter_node(&mut frames, &mut current, &mut starts);
                let done = record(&current, here, &mut nodes);
                leave_node(&mut frames, &mut current, &mut starts);
                done
            }
            Event::MappingStart(..) | Event::SequenceStart(..) => {
                // A block collection starts on the line after its key;
                // people look for the key.
                let at = match frames.last() {
                    Some(Frame::Mapping {
                        key: Some((_, key_at)),
                    }) => *key_at,
                    _ => here,
                };
                enter_node(&mut frames, &mut current, &mut starts);
                let done = record(&current, at, &mut nodes);
                frames.push(match event {
                    Event::MappingStart(..) => Frame::Mapping { key: None },
                    _ => Frame::Sequence { next_index: 0 },
                });
                done
            }
            Event::MappingEnd | Event::SequenceEnd => {
                frames.pop();
                leave_node(&mut frames, &mut current, &mut starts);
                false
            }
            _ => false,
        };
        if done {
            break;
        }
    }
    nodes
}

/// Appends the segment of the node about to start to `current`.
fn enter_node(frames: &mut [Frame], current: &mut String, starts: &mut Vec<usize>) {
    let Some(frame) = frames.last_mut() else {
        return;
    };
    starts.push(current.len());
    match frame {
        Frame::Mapping { key } => {
            push_segment(current, key.as_ref().map_or("", |(key, _)| key));
        }
        Frame::Sequence { next_index } => {
            // Writing to a String cannot fail.
            let _ = write!(current, "/{next_index}");
            *next_index += 1;
        }
    }
}

/// Cuts the finished node's segment off `current` and readies its parent
/// for the next key.
fn leave_node(frames: &mut [Frame], current: &mut String, starts: &mut Vec<usize>) {
    match frames.last_mut() {
        Some(Frame::Mapping { key }) => *key = None,
        Some(Frame::Sequence { .. }) => {}
        None => return,
    }
    if let Some(start) = starts.pop() {
        current.truncate(start);
    }
}

/// Appends `/segment` to `out`, escaped per RFC 6901.
fn push_segment(out: &mut String, segment: &str) {
    out.push('/');
    for c in segment.chars() {
        match c {
            '~' => out.push_str("~0"),
            '/' => out.push_str("~1"),
            c => out.push(c),
        }
    }
}

/// An RFC 6901 pointer for `segments`.
pub fn pointer<S: AsRef<str>>(segments: &[S]) -> String {
    let mut out = String::new();
    for segment in segments {
        push_segment(&mut out, segment.as_ref());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = "a: 1\nlist:\n  - x\n  - name: y\n    deep: [1, 2]\n\"we/ird\": z\n";

    #[test]
    fn finds_scalars_maps_and_sequences() {
        let locations = Locations::index(TEXT);
        assert_eq!(locations.find("/a"), Location { line: 1, column: 4 });
        assert_eq!(locations.find("/list"), Location { line: 2, column: 1 });
        assert_eq!(locations.find("/list/0"), Location { line: 3, column: 5 });
        assert_eq!(locations.find("/list/1"), Location { line: 4, column: 5 });
        assert_eq!(
            locations.find("/list/1/name"),
            Location {
                line: 4,
                column: 11
            }
        );
        assert_eq!(
            locations.find("/list/1/deep"),
            Location { line: 5, column: 5 }
        );
        assert_eq!(
            locations.find("/list/1/deep/1"),
            Location {
                line: 5,
                column: 15
            }
        );
        assert_eq!(
            locations.find("/we~1ird"),
            Location {
                line: 6,
                column: 11
            }
        );
    }

    #[test]
    fn missing_nodes_fall_back_to_their_parent() {
        let locations = Locations::index(TEXT);
        assert_eq!(
            locations.find("/list/1/absent"),
            Location { line: 4, column: 5 }
        );
        assert_eq!(locations.find("/nothing"), Location { line: 1, column: 1 });
    }

    #[test]
    fn broken_yaml_keeps_what_came_before() {
        let locations = Locations::index("a: 1\nb: [\n");
        assert_eq!(locations.find("/a"), Location { line: 1, column: 4 });
    }

    #[test]
    fn an_index_for_some_pointers_answers_them_as_the_full_index_does() {
        let full = Locations::index(TEXT);
        let pointers = [
            "",
            "/a",
            "/list",
            "/list/1/name",
            "/list/1/deep/1",
            "/list/1/absent/deeper",
            "/list/7",
            "/we~1ird",
            "/nothing",
        ];
        for pointer in pointers {
            let some = Locations::index_for(TEXT, [pointer], &[]);
            assert_eq!(some.find(pointer), full.find(pointer), "{pointer}");
        }
        let all = Locations::index_for(TEXT, pointers, &[]);
        for pointer in pointers {
            assert_eq!(all.find(pointer), full.find(pointer), "{pointer}");
        }
    }

    #[test]
    fn an_index_for_some_pointers_follows_aliases_to_the_written_node() {
        let aliases = [("/made/0".to_owned(), "/list/1/deep".to_owned())];
        let some = Locations::index_for(TEXT, ["/made/0/x"], &aliases);
        assert_eq!(some.find("/made/0/x"), Location { line: 5, column: 5 });
        assert_eq!(some.find("/made/0/x"), some.find("/list/1/deep"));
    }

    #[test]
    fn an_index_for_some_pointers_keeps_only_what_they_consult() {
        let some = Locations::index_for(TEXT, ["/list/0"], &[]);
        let mut kept: Vec<&str> = some.nodes.keys().map(String::as_str).collect();
        kept.sort_unstable();
        assert_eq!(kept, ["", "/list", "/list/0"]);
    }

    #[test]
    fn pointer_escapes_per_rfc_6901() {
        assert_eq!(pointer(&["a/b", "c~d"]), "/a~1b/c~0d");
    }
}
