//! Maps JSON pointers into a YAML document to line and column.
//!
//! Schema and model errors come back as paths into the data (`/events/3/id`);
//! people edit the YAML text. serde-saphyr reports locations only for its own
//! errors, so this walks saphyr-parser's event stream once and records where
//! every node starts.

use saphyr_parser::{Event, Parser};
use std::collections::HashMap;

/// A 1-based line and column in a spec file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default)]
pub struct Location {
    pub line: usize,
    pub column: usize,
}

/// Where each node of a YAML document starts, by JSON pointer.
#[derive(Debug, Default, Clone)]
pub struct Locations {
    nodes: HashMap<String, Location>,
    /// Paths of data the loader generated, and the path it came from.
    aliases: HashMap<String, String>,
}

enum Frame {
    /// `key` is the pending key and where it was written.
    Mapping {
        key: Option<(String, Location)>,
    },
    Sequence {
        next_index: usize,
    },
}

impl Locations {
    /// Indexes `text`. A text saphyr cannot scan yields the nodes before the
    /// error; the scan error itself is reported by the deserializer.
    pub fn index(text: &str) -> Locations {
        let mut nodes = HashMap::new();
        let mut path: Vec<String> = Vec::new();
        let mut frames: Vec<Frame> = Vec::new();
        for item in Parser::new_from_str(text) {
            let Ok((event, span)) = item else { break };
            let here = Location {
                line: span.start.line(),
                column: span.start.col() + 1,
            };
            match event {
                Event::Scalar(value, ..) => {
                    if let Some(Frame::Mapping { key }) = frames.last_mut() {
                        if key.is_none() {
                            *key = Some((value.into_owned(), here));
                            continue;
                        }
                    }
                    enter_node(&mut frames, &mut path);
                    nodes.insert(pointer(&path), here);
                    leave_node(&mut frames, &mut path);
                }
                Event::Alias(_) => {
                    enter_node(&mut frames, &mut path);
                    nodes.insert(pointer(&path), here);
                    leave_node(&mut frames, &mut path);
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
                    enter_node(&mut frames, &mut path);
                    nodes.insert(pointer(&path), at);
                    frames.push(match event {
                        Event::MappingStart(..) => Frame::Mapping { key: None },
                        _ => Frame::Sequence { next_index: 0 },
                    });
                }
                Event::MappingEnd | Event::SequenceEnd => {
                    frames.pop();
                    leave_node(&mut frames, &mut path);
                }
                _ => {}
            }
        }
        Locations {
            nodes,
            aliases: HashMap::new(),
        }
    }

    /// The location of the node at `pointer`, or of its nearest ancestor.
    /// Makes paths under `generated` (data the loader made from the
    /// author's) resolve to `source`, where the author wrote it.
    pub fn alias(&mut self, generated: String, source: String) {
        self.aliases.insert(generated, source);
    }

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

/// Pushes the path segment of the node about to start.
fn enter_node(frames: &mut [Frame], path: &mut Vec<String>) {
    match frames.last_mut() {
        Some(Frame::Mapping { key }) => {
            path.push(key.as_ref().map(|(key, _)| key.clone()).unwrap_or_default())
        }
        Some(Frame::Sequence { next_index }) => {
            path.push(next_index.to_string());
            *next_index += 1;
        }
        None => {}
    }
}

/// Pops the finished node's segment and readies its parent for the next key.
fn leave_node(frames: &mut [Frame], path: &mut Vec<String>) {
    match frames.last_mut() {
        Some(Frame::Mapping { key }) => {
            *key = None;
            path.pop();
        }
        Some(Frame::Sequence { .. }) => {
            path.pop();
        }
        None => {}
    }
}

/// An RFC 6901 pointer for `segments`.
pub fn pointer<S: AsRef<str>>(segments: &[S]) -> String {
    let mut out = String::new();
    for segment in segments {
        out.push('/');
        out.push_str(&segment.as_ref().replace('~', "~0").replace('/', "~1"));
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
    fn pointer_escapes_per_rfc_6901() {
        assert_eq!(pointer(&["a/b", "c~d"]), "/a~1b/c~0d");
    }
}
