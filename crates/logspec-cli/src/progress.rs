//! The progress line on standard error while inputs are read (`read 36.34
//! MiB, 286,931 lines, 122,258 lines/s (5s)`), drawn by indicatif.
//!
//! Only for a person watching: never when standard error is not a
//! terminal (a CI log, a redirect), with `--no-progress`, while standard
//! input is read from a terminal, or for a run that ends within [`DELAY`].
//! It costs the check next to nothing: the
//! input reader ([`crate::inputs::source`]) reports bytes and lines once
//! per buffer it fills (16 KiB), from counts it keeps anyway, and the line
//! is redrawn at most [`REFRESH`] times a second. It is cleared before any
//! report is written, and when the run ends otherwise (an error).

use crate::options::ProgressOption;
use indicatif::{
    BinaryBytes, HumanCount, ProgressBar, ProgressDrawTarget, ProgressState, ProgressStyle,
};
use std::fmt;
use std::io::IsTerminal;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// How long a run goes before the line appears: a quick check shows none.
pub const DELAY: Duration = Duration::from_secs(1);
/// Redraws per second, at most.
pub const REFRESH: u8 = 4;

/// What has been read so far, and the line showing it once it is due.
pub struct Progress {
    started: Instant,
    /// When the counts are next passed to the line.
    next_update: Instant,
    bytes: u64,
    lines: u64,
    /// The bytes as the line shows them (its position counts lines).
    shown_bytes: Arc<AtomicU64>,
    bar: Option<ProgressBar>,
}

impl Progress {
    /// A progress line for a run reading `files`, if one may be shown at
    /// all. Not while someone types the input (`-` from a terminal): the
    /// line would write over what they type.
    pub fn on_stderr(option: &ProgressOption, files: &[String]) -> Option<Progress> {
        let typed = files.iter().any(|file| file == "-") && std::io::stdin().is_terminal();
        if option.no_progress || typed || !std::io::stderr().is_terminal() {
            return None;
        }
        let started = Instant::now();
        Some(Progress {
            started,
            next_update: started + DELAY,
            bytes: 0,
            lines: 0,
            shown_bytes: Arc::default(),
            bar: None,
        })
    }

    /// Counts `bytes` more read and `lines` more consumed.
    pub fn advance(&mut self, bytes: u64, lines: u64) {
        self.bytes += bytes;
        self.lines += lines;
        let now = Instant::now();
        if now < self.next_update {
            return;
        }
        self.next_update = now + Duration::from_secs(1) / u32::from(REFRESH);
        self.shown_bytes.store(self.bytes, Ordering::Relaxed);
        match &self.bar {
            Some(bar) => bar.set_position(self.lines),
            None => self.bar = Some(self.start_bar()),
        }
    }

    fn start_bar(&self) -> ProgressBar {
        let bytes = Arc::clone(&self.shown_bytes);
        let style = ProgressStyle::with_template(
            "{spinner} read {read}, {human_pos} lines, {rate} ({elapsed})",
        )
        .unwrap_or_else(|_| ProgressStyle::default_spinner())
        .with_key(
            "read",
            move |_: &ProgressState, out: &mut dyn fmt::Write| {
                let _ = write!(out, "{}", BinaryBytes(bytes.load(Ordering::Relaxed)));
            },
        )
        // The average over the whole run: indicatif's own estimate
        // would start from the jump to the position the line appears at.
        .with_key("rate", |state: &ProgressState, out: &mut dyn fmt::Write| {
            let seconds = state.elapsed().as_secs_f64().max(0.001);
            let rate = state.pos() as f64 / seconds;
            let _ = write!(out, "{} lines/s", HumanCount(rate as u64));
        });
        let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr_with_hz(REFRESH))
            .with_style(style)
            .with_position(self.lines)
            .with_elapsed(self.started.elapsed());
        bar.tick();
        bar
    }
}

impl Drop for Progress {
    /// The line is gone before anything else is written.
    fn drop(&mut self) {
        if let Some(bar) = self.bar.take() {
            bar.finish_and_clear();
        }
    }
}
