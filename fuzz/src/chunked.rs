//! A `BufRead` that hands out its data in chunks of fuzzer-chosen sizes,
//! with I/O errors in between: how pipes, sockets and slow disks deliver a
//! log. Reading through it must give exactly what reading the whole slice
//! gives.
//!
//! Inputs of the targets that use it start with a small header, so seeds
//! are plain log text behind a few bytes (see [`Chunking::split`]).

use std::io::{self, BufRead, Read};

/// How to read an input: line limit and chunk plan.
#[derive(Debug, Clone, Copy)]
pub struct Chunking<'a> {
    /// `max_line_bytes` for the line reader.
    pub max_line_bytes: usize,
    /// Chunk sizes, used in turn; 0 is an I/O error instead of a chunk.
    pub plan: &'a [u8],
}

impl<'a> Chunking<'a> {
    /// Splits a fuzz input into its header and data: byte 0 is the line
    /// limit (0: the default of 1 MiB, otherwise that many bytes), byte 1
    /// the plan's length (mod 32), then the plan, then the data.
    pub fn split(input: &'a [u8]) -> (Chunking<'a>, &'a [u8]) {
        let limit = input.first().copied().unwrap_or(0);
        let max_line_bytes = match limit {
            0 => logspec_reader::DEFAULT_MAX_LINE_BYTES,
            n => usize::from(n),
        };
        let plan_len = usize::from(input.get(1).copied().unwrap_or(0) % 32);
        let rest = input.get(2..).unwrap_or_default();
        let (plan, data) = rest.split_at(plan_len.min(rest.len()));
        (
            Chunking {
                max_line_bytes,
                plan,
            },
            data,
        )
    }

    /// The header [`split`](Chunking::split) reads, for writing seeds.
    pub fn header(limit: u8, plan: &[u8]) -> Vec<u8> {
        let mut header = vec![limit, plan.len() as u8];
        header.extend_from_slice(plan);
        header
    }
}

/// Which error a plan's 0 stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Hiccup {
    /// `Interrupted`, which readers retry by themselves.
    Interrupted,
    /// A real error, passed to the caller, who may call again.
    Failed,
}

/// Reads `data` chunk by chunk following `plan`.
pub struct Chunked<'a> {
    data: &'a [u8],
    pos: usize,
    /// End of the chunk being handed out, if one is.
    chunk_end: Option<usize>,
    plan: &'a [u8],
    step: usize,
    hiccup: Hiccup,
    /// The last call failed: the next one delivers, so no plan loops forever.
    just_failed: bool,
}

impl<'a> Chunked<'a> {
    pub fn new(data: &'a [u8], plan: &'a [u8], hiccup: Hiccup) -> Self {
        Chunked {
            data,
            pos: 0,
            chunk_end: None,
            plan,
            step: 0,
            hiccup,
            just_failed: false,
        }
    }
}

impl Read for Chunked<'_> {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        let n = {
            let chunk = self.fill_buf()?;
            let n = chunk.len().min(out.len());
            out[..n].copy_from_slice(&chunk[..n]);
            n
        };
        self.consume(n);
        Ok(n)
    }
}

impl BufRead for Chunked<'_> {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        let end = match self.chunk_end {
            Some(end) => end,
            None => {
                let remaining = self.data.len() - self.pos;
                let entry = match self.plan {
                    [] => None,
                    plan => Some(plan[self.step % plan.len()]),
                };
                self.step += 1;
                let size = match entry {
                    None => remaining,
                    Some(0) if !self.just_failed && remaining > 0 => {
                        self.just_failed = true;
                        return Err(match self.hiccup {
                            Hiccup::Interrupted => io::Error::from(io::ErrorKind::Interrupted),
                            Hiccup::Failed => io::Error::other("hiccup"),
                        });
                    }
                    Some(0) => 1,
                    Some(size) => usize::from(size),
                };
                self.just_failed = false;
                let end = self.pos + size.min(remaining);
                self.chunk_end = Some(end);
                end
            }
        };
        Ok(&self.data[self.pos..end])
    }

    fn consume(&mut self, amount: usize) {
        if let Some(end) = self.chunk_end {
            self.pos = (self.pos + amount).min(end);
            if self.pos == end {
                self.chunk_end = None;
            }
        }
    }
}
