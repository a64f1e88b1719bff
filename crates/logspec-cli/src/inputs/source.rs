//! Input files opened lazily, decompressed by content, with a bound on how
//! many are open at once.
//!
//! A producer's runtime folder can hold thousands of files (Agent Hub
//! writes one `runs/<id>/record.json` per run), and merging inputs by
//! timestamp needs the next record of every one of them. So an input is
//! opened only when first read, closed at its end, and when the number of
//! open inputs reaches [`MAX_OPEN`] the least recently read one is closed
//! and later reopened where it stopped (seeked to, or for a compressed file
//! decompressed again up to that point). The file descriptors used stay
//! bounded whatever the number of inputs.
//!
//! Compression is recognised by the first bytes, not the file name:
//! rotated logs are `syslog.2.gz`, but a compressed file may be named
//! anything, and standard input has no name at all.

use crate::progress::Progress;
use std::cell::RefCell;
use std::collections::VecDeque;
use std::fs::File;
use std::io::{self, BufRead, Read, Seek, SeekFrom};
use std::path::PathBuf;
use std::rc::{Rc, Weak};

/// Inputs open at once before the least recently read one is closed.
pub const MAX_OPEN: usize = 64;

/// Bytes read ahead per open input.
const BUFFER_BYTES: usize = 16 * 1024;

const GZIP_MAGIC: [u8; 2] = [0x1f, 0x8b];
const ZSTD_MAGIC: [u8; 4] = [0x28, 0xb5, 0x2f, 0xfd];

/// How an input's bytes are stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Compression {
    None,
    Gzip,
    Zstd,
}

impl Compression {
    fn name(self) -> &'static str {
        match self {
            Compression::None => "plain",
            Compression::Gzip => "gzip",
            Compression::Zstd => "zstd",
        }
    }
}

/// Where an input's bytes come from.
#[derive(Debug, Clone)]
pub enum Origin {
    Stdin,
    File(PathBuf),
}

/// Reads `reader`'s first bytes to tell its compression, and returns it
/// decompressing, from its start.
pub fn decompressing<R: Read + 'static>(mut reader: R) -> io::Result<(Box<dyn Read>, Compression)> {
    let mut head = [0u8; 4];
    let mut got = 0;
    while got < head.len() {
        match reader.read(&mut head[got..]) {
            Ok(0) => break,
            Ok(n) => got += n,
            Err(error) if error.kind() == io::ErrorKind::Interrupted => {}
            Err(error) => return Err(error),
        }
    }
    let whole = io::Cursor::new(head[..got].to_vec()).chain(reader);
    let compression = if head[..got].starts_with(&GZIP_MAGIC) {
        Compression::Gzip
    } else if head[..got] == ZSTD_MAGIC {
        Compression::Zstd
    } else {
        Compression::None
    };
    let decoded: Box<dyn Read> = match compression {
        // Multi-member: `cat a.gz b.gz` and some rotators write several.
        Compression::Gzip => Box::new(flate2::read::MultiGzDecoder::new(whole)),
        Compression::Zstd => Box::new(zstd::stream::read::Decoder::new(whole)?),
        Compression::None => Box::new(whole),
    };
    Ok((decoded, compression))
}

/// A problem with an input's content found while reading it (a corrupt or
/// cut compressed stream): the input ends there, and the problem becomes a
/// finding.
#[derive(Debug, Clone)]
pub struct Damage {
    pub name: String,
    /// The line being read when the stream broke.
    pub line: u64,
    pub message: String,
}

/// The inputs of one run: which are open, in the order they were last read.
#[derive(Default)]
pub struct Pool {
    open: VecDeque<Weak<RefCell<Slot>>>,
    damage: Vec<Damage>,
    /// The progress line, told of every buffer filled.
    pub progress: Option<Progress>,
}

/// One input's reader, when open, and how far it was read.
struct Slot {
    origin: Origin,
    reader: Option<Box<dyn Read>>,
    compression: Option<Compression>,
    /// Decompressed bytes read so far.
    offset: u64,
}

impl Slot {
    fn close(&mut self) {
        self.reader = None;
    }

    fn reopen(&mut self) -> io::Result<()> {
        let Origin::File(path) = &self.origin else {
            return Err(io::Error::other("standard input cannot be reopened"));
        };
        let mut file = File::open(path)?;
        if self.compression == Some(Compression::None) {
            file.seek(SeekFrom::Start(self.offset))?;
            self.reader = Some(Box::new(file));
            return Ok(());
        }
        let (mut reader, compression) = decompressing(file)?;
        if self.compression.is_some_and(|known| known != compression) {
            return Err(io::Error::other("the file changed while it was read"));
        }
        self.compression = Some(compression);
        let skipped = io::copy(&mut (&mut reader).take(self.offset), &mut io::sink())?;
        if skipped < self.offset {
            return Err(io::Error::other("the file shrank while it was read"));
        }
        self.reader = Some(reader);
        Ok(())
    }
}

/// An input read through a [`Pool`]; implements [`BufRead`].
pub struct LazyInput {
    name: String,
    slot: Rc<RefCell<Slot>>,
    pool: Rc<RefCell<Pool>>,
    buffer: Vec<u8>,
    start: usize,
    end: usize,
    done: bool,
    /// Newlines consumed, to place damage on a line.
    lines: u64,
    /// Of those, the ones the progress line was told of.
    lines_told: u64,
}

impl Pool {
    pub fn new() -> Rc<RefCell<Pool>> {
        Rc::new(RefCell::new(Pool::default()))
    }

    /// An input named `name` in findings, read from `origin` when first read.
    pub fn input(this: &Rc<RefCell<Pool>>, name: String, origin: Origin) -> LazyInput {
        LazyInput {
            name,
            slot: Rc::new(RefCell::new(Slot {
                origin,
                reader: None,
                compression: None,
                offset: 0,
            })),
            pool: Rc::clone(this),
            buffer: Vec::new(),
            start: 0,
            end: 0,
            done: false,
            lines: 0,
            lines_told: 0,
        }
    }

    /// Content problems found so far, in the order found.
    pub fn take_damage(&mut self) -> Vec<Damage> {
        std::mem::take(&mut self.damage)
    }

    /// Marks `slot` the most recently read, closing the least recently
    /// read file when too many are open.
    fn touch(&mut self, slot: &Rc<RefCell<Slot>>) {
        let opening = slot.borrow().reader.is_none();
        self.open.retain(|open| {
            open.upgrade()
                .is_some_and(|open| !Rc::ptr_eq(&open, slot) && open.borrow().reader.is_some())
        });
        while opening && self.open.len() >= MAX_OPEN {
            // Standard input cannot be reopened: it stays open.
            let Some(oldest) = self.open.iter().position(|open| {
                open.upgrade()
                    .is_some_and(|open| matches!(open.borrow().origin, Origin::File(_)))
            }) else {
                break;
            };
            if let Some(oldest) = self.open.remove(oldest).and_then(|open| open.upgrade()) {
                oldest.borrow_mut().close();
            }
        }
        self.open.push_back(Rc::downgrade(slot));
    }
}

impl LazyInput {
    fn finish(&mut self) {
        self.done = true;
        self.slot.borrow_mut().close();
        self.buffer = Vec::new();
        self.start = 0;
        self.end = 0;
    }
}

impl Read for LazyInput {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        let available = self.fill_buf()?;
        let n = available.len().min(out.len());
        out[..n].copy_from_slice(&available[..n]);
        self.consume(n);
        Ok(n)
    }
}

impl BufRead for LazyInput {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        if self.start < self.end || self.done {
            return Ok(&self.buffer[self.start..self.end]);
        }
        self.pool.borrow_mut().touch(&self.slot);
        let read = {
            let mut slot = self.slot.borrow_mut();
            if slot.reader.is_none() {
                if slot.offset == 0 && slot.compression.is_none() {
                    let raw: Box<dyn Read> = match &slot.origin {
                        Origin::Stdin => Box::new(io::stdin()),
                        Origin::File(path) => Box::new(File::open(path)?),
                    };
                    let (reader, compression) = decompressing(raw)?;
                    slot.reader = Some(reader);
                    slot.compression = Some(compression);
                } else {
                    slot.reopen()?;
                }
            }
            if self.buffer.is_empty() {
                self.buffer = vec![0; BUFFER_BYTES];
            }
            let compression = slot.compression.unwrap_or(Compression::None);
            let reader = slot
                .reader
                .as_mut()
                .ok_or_else(|| io::Error::other("input not open"))?;
            loop {
                match reader.read(&mut self.buffer) {
                    Err(error) if error.kind() == io::ErrorKind::Interrupted => continue,
                    Err(error)
                        if compression != Compression::None
                            && matches!(
                                error.kind(),
                                io::ErrorKind::InvalidData
                                    | io::ErrorKind::InvalidInput
                                    | io::ErrorKind::UnexpectedEof
                                    | io::ErrorKind::Other
                            ) =>
                    {
                        break Err((compression, error));
                    }
                    Err(error) => return Err(error),
                    Ok(n) => {
                        slot.offset += n as u64;
                        break Ok(n);
                    }
                }
            }
        };
        // Every buffer before this one is consumed: the lines it held are
        // counted.
        if let Some(progress) = self.pool.borrow_mut().progress.as_mut() {
            let bytes = read.as_ref().map_or(0, |&n| n as u64);
            progress.advance(bytes, self.lines - self.lines_told);
            self.lines_told = self.lines;
        }
        match read {
            Ok(0) => self.finish(),
            Ok(n) => {
                self.start = 0;
                self.end = n;
            }
            Err((compression, error)) => {
                let line = self.lines + 1;
                self.pool.borrow_mut().damage.push(Damage {
                    name: self.name.clone(),
                    line,
                    message: format!(
                        "the {} data is damaged ({error}): the rest of the input is not read",
                        compression.name()
                    ),
                });
                self.finish();
            }
        }
        Ok(&self.buffer[self.start..self.end])
    }

    fn consume(&mut self, amount: usize) {
        let amount = amount.min(self.end - self.start);
        self.lines += memchr::memchr_iter(b'\n', &self.buffer[self.start..self.start + amount])
            .count() as u64;
        self.start += amount;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn gzip(bytes: &[u8]) -> Vec<u8> {
        let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        encoder.write_all(bytes).expect("in memory");
        encoder.finish().expect("in memory")
    }

    fn read_all(mut input: impl Read) -> Vec<u8> {
        let mut out = Vec::new();
        input.read_to_end(&mut out).expect("readable");
        out
    }

    #[test]
    fn compression_is_told_by_content() {
        let text = b"a=1\nb=2\n".repeat(1000);
        let zstd = zstd::encode_all(&text[..], 3).expect("in memory");
        for (bytes, expected) in [
            (gzip(&text), Compression::Gzip),
            (zstd, Compression::Zstd),
            (text.clone(), Compression::None),
        ] {
            let (reader, compression) = decompressing(io::Cursor::new(bytes)).expect("opens");
            assert_eq!(compression, expected);
            assert_eq!(read_all(reader), text);
        }
        // Shorter than any magic number: plain.
        let (reader, compression) = decompressing(io::Cursor::new(b"\x1f".to_vec())).expect("ok");
        assert_eq!(compression, Compression::None);
        assert_eq!(read_all(reader), b"\x1f");
    }

    #[test]
    fn concatenated_gzip_members_are_one_stream() {
        let mut bytes = gzip(b"first\n");
        bytes.extend(gzip(b"second\n"));
        let (reader, _) = decompressing(io::Cursor::new(bytes)).expect("opens");
        assert_eq!(read_all(reader), b"first\nsecond\n");
    }

    #[test]
    fn inputs_beyond_the_cap_are_closed_and_resumed() {
        let dir = tempfile::tempdir().expect("tempdir");
        let pool = Pool::new();
        let mut inputs = Vec::new();
        let mut expected = Vec::new();
        for index in 0..MAX_OPEN * 2 + 3 {
            let path = dir.path().join(format!("{index}.log"));
            let text: Vec<u8> = (0..3000)
                .flat_map(|line| format!("input {index} line {line}\n").into_bytes())
                .collect();
            let stored = if index % 2 == 0 {
                gzip(&text)
            } else {
                text.clone()
            };
            std::fs::write(&path, stored).expect("writable");
            inputs.push(Pool::input(&pool, format!("{index}"), Origin::File(path)).lines());
            expected.push(text);
        }
        let mut got = vec![Vec::new(); inputs.len()];
        // Round robin, a line at a time: every input is open at once.
        let mut live = true;
        while live {
            live = false;
            for (index, lines) in inputs.iter_mut().enumerate() {
                if let Some(line) = lines.next() {
                    got[index].extend(line.expect("readable").into_bytes());
                    got[index].push(b'\n');
                    live = true;
                }
            }
            let open = pool.borrow().open.len();
            assert!(open <= MAX_OPEN, "{open} open");
        }
        assert_eq!(got, expected);
    }

    #[test]
    fn a_cut_compressed_input_is_damage_not_failure() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("cut.gz");
        let whole = gzip(&b"x=1\n".repeat(5000));
        std::fs::write(&path, &whole[..whole.len() / 2]).expect("writable");
        let pool = Pool::new();
        let input = Pool::input(&pool, "cut.gz".to_owned(), Origin::File(path));
        let text = read_all(input);
        assert!(text.len() < 20000);
        let damage = pool.borrow_mut().take_damage();
        assert_eq!(damage.len(), 1, "{damage:?}");
        assert_eq!(
            damage[0].line,
            text.iter().filter(|&&b| b == b'\n').count() as u64 + 1
        );
        assert!(damage[0].message.contains("gzip"), "{}", damage[0].message);
    }
}
