//! `check --follow FILE`: a file read as it grows, like `tail -F`. At its
//! end the reader waits for more; when the path is replaced (a rotation:
//! renamed away and created anew) it reads what was left in the old file,
//! then the new one from its start; when the file shrinks (truncated in
//! place, `copytruncate`) it starts again from the beginning. It ends at
//! SIGINT or SIGTERM. Line numbers count the stream as followed, across
//! rotations.

use std::fs::{File, Metadata};
use std::io::{self, BufRead, Read, Seek, SeekFrom};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

/// How often a followed file is looked at when it has no more to read.
const POLL: Duration = Duration::from_millis(100);

pub struct Follow {
    path: PathBuf,
    file: File,
    identity: Option<(u64, u64)>,
    /// Bytes read from the current file.
    offset: u64,
    stop: Arc<AtomicBool>,
    buffer: Vec<u8>,
    start: usize,
    end: usize,
}

fn identity(metadata: &Metadata) -> Option<(u64, u64)> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        Some((metadata.dev(), metadata.ino()))
    }
    #[cfg(not(unix))]
    {
        let _ = metadata;
        None
    }
}

impl Follow {
    pub fn open(path: PathBuf, stop: Arc<AtomicBool>) -> io::Result<Follow> {
        let file = File::open(&path)?;
        let metadata = file.metadata()?;
        if metadata.is_dir() {
            return Err(io::Error::other("is a directory"));
        }
        Ok(Follow {
            identity: identity(&metadata),
            path,
            file,
            offset: 0,
            stop,
            buffer: vec![0; 64 * 1024],
            start: 0,
            end: 0,
        })
    }

    fn read_some(&mut self) -> io::Result<usize> {
        loop {
            match self.file.read(&mut self.buffer) {
                Err(error) if error.kind() == io::ErrorKind::Interrupted => {}
                Err(error) => return Err(error),
                Ok(n) => {
                    self.offset += n as u64;
                    self.start = 0;
                    self.end = n;
                    return Ok(n);
                }
            }
        }
    }

    /// At the end of the current file: switches to a new file at the path,
    /// or rewinds a truncated one. Whether anything changed.
    fn reopen_if_moved(&mut self) -> io::Result<bool> {
        let Ok(metadata) = std::fs::metadata(&self.path) else {
            // Renamed away and not yet created anew: keep waiting.
            return Ok(false);
        };
        let current = identity(&metadata);
        if current.is_some() && current != self.identity {
            self.file = File::open(&self.path)?;
            self.identity = identity(&self.file.metadata()?);
            self.offset = 0;
            return Ok(true);
        }
        if metadata.len() < self.offset {
            self.file.seek(SeekFrom::Start(0))?;
            self.offset = 0;
            return Ok(true);
        }
        Ok(false)
    }
}

impl Read for Follow {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        let available = self.fill_buf()?;
        let n = available.len().min(out.len());
        out[..n].copy_from_slice(&available[..n]);
        self.consume(n);
        Ok(n)
    }
}

impl BufRead for Follow {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        while self.start >= self.end {
            if self.read_some()? > 0 {
                break;
            }
            if self.stop.load(Ordering::Relaxed) {
                break;
            }
            // The old file may have had a last write before the new one
            // was created: it was read to its end just above.
            if !self.reopen_if_moved()? {
                std::thread::sleep(POLL);
            }
        }
        Ok(&self.buffer[self.start..self.end])
    }

    fn consume(&mut self, amount: usize) {
        self.start = (self.start + amount).min(self.end);
    }
}
