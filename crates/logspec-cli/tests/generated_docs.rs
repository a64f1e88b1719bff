//! `logspec completions SHELL` and `logspec man [SUBCOMMAND]`: what they
//! write is generated from the CLI definition, so these tests check that
//! it is whole (every subcommand, the shared options), well formed where a
//! tool on this machine can tell (`bash -n`, `man -l`), and that a failed
//! write is an exit status, not a panic.

mod common;

use common::{logspec, run, stdout};
use std::process::{Command, Output};

const SUBCOMMANDS: [&str; 9] = [
    "check",
    "listen",
    "specs",
    "lint",
    "explain",
    "gen",
    "shape",
    "completions",
    "man",
];

fn output_of(command: &mut Command) -> Output {
    command
        .output()
        .unwrap_or_else(|error| panic!("{command:?}: {error}"))
}

fn generated(args: &[&str]) -> String {
    let output = run(logspec().args(args));
    assert!(
        output.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(output.stderr.is_empty(), "{args:?} wrote to stderr");
    stdout(&output)
}

/// Whether `program` can be run here (a tool the check needs may be
/// missing on a minimal machine; the content checks run regardless).
fn available(program: &str) -> bool {
    Command::new(program)
        .arg("--version")
        .output()
        .is_ok_and(|output| output.status.success())
}

#[test]
fn completions_name_every_subcommand_and_the_shared_options() {
    for shell in ["bash", "zsh", "fish", "elvish", "powershell"] {
        let script = generated(&["completions", shell]);
        for name in SUBCOMMANDS {
            assert!(script.contains(name), "{shell}: no {name}");
        }
        for option in ["report", "spec", "fail-on", "require-coverage", "follow"] {
            assert!(script.contains(option), "{shell}: no --{option}");
        }
        // The report formats are offered as values of --report.
        assert!(script.contains("logspec"), "{shell}: {script}");
    }
}

#[test]
fn bash_completion_is_valid_bash() {
    let script = generated(&["completions", "bash"]);
    assert!(script.contains("complete -F"), "{script}");
    if !available("bash") {
        eprintln!("bash not installed: syntax not checked");
        return;
    }
    let dir = common::tempdir();
    let path = dir.path().join("logspec.bash");
    common::write(&path, script.as_bytes());
    let checked = output_of(Command::new("bash").arg("-n").arg(&path));
    assert!(
        checked.status.success(),
        "bash -n: {}",
        String::from_utf8_lossy(&checked.stderr)
    );
    // Sourcing it registers the completion function.
    let sourced = output_of(
        Command::new("bash")
            .arg("-c")
            .arg("source \"$1\" && complete -p logspec")
            .arg("bash")
            .arg(&path),
    );
    assert!(
        String::from_utf8_lossy(&sourced.stdout).contains("logspec"),
        "{}",
        String::from_utf8_lossy(&sourced.stderr)
    );
}

#[test]
fn the_man_page_is_roff_naming_every_subcommand() {
    let page = generated(&["man"]);
    // Only requests (string definitions) may come before the title.
    let title = page
        .lines()
        .position(|line| line.starts_with(".TH "))
        .unwrap_or_else(|| panic!("no .TH: {page}"));
    assert!(page.lines().take(title).all(|line| line.starts_with('.')));
    assert!(page
        .lines()
        .nth(title)
        .is_some_and(|line| line.starts_with(".TH logspec 1")));
    for section in [".SH NAME", ".SH SYNOPSIS", ".SH SUBCOMMANDS"] {
        assert!(page.contains(section), "no {section}");
    }
    for name in SUBCOMMANDS {
        assert!(page.contains(&format!("logspec\\-{name}(1)")), "no {name}");
    }
}

#[test]
fn each_subcommand_has_its_page() {
    let page = generated(&["man", "check"]);
    assert!(page.contains(".TH logspec-check 1"), "{page}");
    for option in [
        "\\-\\-report",
        "\\-\\-fail\\-on",
        "\\-\\-require\\-coverage",
    ] {
        assert!(page.contains(option), "no {option}");
    }
    let unknown = run(logspec().args(["man", "chek"]));
    assert_eq!(unknown.status.code(), Some(2));
    let message = String::from_utf8_lossy(&unknown.stderr);
    assert!(message.contains("did you mean `check`?"), "{message}");
}

#[test]
fn the_man_page_renders() {
    if !available("man") {
        eprintln!("man not installed: rendering not checked");
        return;
    }
    let dir = common::tempdir();
    for (file, args) in [
        ("logspec.1", vec!["man"]),
        ("logspec-check.1", vec!["man", "check"]),
    ] {
        let path = dir.path().join(file);
        common::write(&path, generated(&args).as_bytes());
        let rendered = output_of(
            Command::new("man")
                .arg("-l")
                .arg(&path)
                .env("MANPAGER", "cat")
                .env("MANWIDTH", "80"),
        );
        let text = String::from_utf8_lossy(&rendered.stdout);
        assert!(
            rendered.status.success(),
            "{file}: {}",
            String::from_utf8_lossy(&rendered.stderr)
        );
        assert!(text.contains("SYNOPSIS"), "{file}: {text}");
        assert!(
            !text.contains(".TH"),
            "{file}: roff left unrendered: {text}"
        );
    }
}

#[test]
fn a_failed_write_is_an_error_not_a_panic() {
    // /dev/full refuses every write (ENOSPC): a disk that filled up.
    let Ok(full) = std::fs::OpenOptions::new().write(true).open("/dev/full") else {
        eprintln!("no /dev/full: a failing standard output cannot be arranged");
        return;
    };
    for args in [&["completions", "bash"][..], &["man"], &["man", "check"]] {
        let sink = full.try_clone().unwrap_or_else(|error| panic!("{error}"));
        let output = output_of(
            Command::new(env!("CARGO_BIN_EXE_logspec"))
                .args(args)
                .stdout(sink),
        );
        let message = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{args:?}: {message}");
        assert!(!message.contains("panicked"), "{args:?}: {message}");
        assert!(message.contains("cannot write"), "{args:?}: {message}");
    }
}
