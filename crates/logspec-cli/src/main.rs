//! `logspec`: the command line over the library crates.
//!
//! Each subcommand is one module under `commands/`; this file only parses
//! arguments and turns outcomes into exit codes, which users' CI scripts
//! depend on: 0 no error finding, 1 at least one error finding, 2 the run
//! itself failed (usage, unreadable spec or input).

mod capture;
mod commands;
mod inputs;
mod live;
mod options;
mod progress;
mod spec_arg;
mod suggest;

use clap::{CommandFactory, Parser, Subcommand};
use std::process::ExitCode;

/// jemalloc, not the system allocator: the rule engine's many small,
/// short-lived allocations cost less there (see the workspace's Cargo.toml).
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

#[derive(Parser)]
#[command(
    name = "logspec",
    version,
    about = "Hold log streams to a producer's logging reference",
    long_about = "logspec checks log streams against a machine-readable spec of a \
                  producer's logging reference: events, fields, types, priorities \
                  and emitters. Built-in specs are named; any spec file can be given by path."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Check log files (or stdin, `-`) against a spec
    Check(commands::check::Args),
    /// Receive syslog over UDP or TCP and check it as it arrives
    Listen(commands::listen::Args),
    /// List the built-in specs
    Specs(commands::specs::Args),
    /// Validate a spec and report the contradictions of the document it encodes
    Lint(commands::lint::Args),
    /// Show an event's variants, fields and examples
    Explain(commands::explain::Args),
    /// Write sample streams generated from a spec, conforming or broken
    Gen(commands::gen::Args),
    /// Record the shape of a producer's logs, or compare logs with a recorded shape
    Shape(commands::shape::Args),
    /// Write shell completions for logspec to standard output
    Completions(commands::completions::CompletionsArgs),
    /// Write logspec's man page (roff) to standard output
    Man(commands::completions::ManArgs),
}

/// Why a run could not do its job (exit status 2).
#[derive(Debug, thiserror::Error)]
pub enum CliError {
    #[error(transparent)]
    Spec(#[from] logspec_spec::LoadError),
    #[error("{0}")]
    Usage(String),
    #[error("cannot read {path}: {source}")]
    Input {
        path: String,
        #[source]
        source: std::io::Error,
    },
    #[error("cannot write {path}: {source}")]
    Write {
        path: String,
        #[source]
        source: std::io::Error,
    },
    #[error("cannot write the report: {0}")]
    Output(#[source] std::io::Error),
    #[error(transparent)]
    Gen(#[from] logspec_gen::GenError),
    #[error(transparent)]
    Render(#[from] logspec_gen::RenderError),
}

/// Writes a command's whole output to standard output; a failed write (a
/// closed pipe, a full disk) is an error, never a panic as `print!` gives.
pub fn write_stdout(bytes: &[u8]) -> Result<(), CliError> {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    out.write_all(bytes)
        .and_then(|()| out.flush())
        .map_err(CliError::Output)
}

/// What a successful run concluded.
pub enum Verdict {
    Pass,
    Fail,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let outcome = match cli.command {
        Command::Check(args) => commands::check::run(args),
        Command::Listen(args) => commands::listen::run(args),
        Command::Completions(args) => commands::completions::completions(args, Cli::command()),
        Command::Man(args) => commands::completions::man(args, Cli::command()),
        Command::Specs(args) => commands::specs::run(args),
        Command::Lint(args) => commands::lint::run(args),
        Command::Explain(args) => commands::explain::run(args),
        Command::Gen(args) => commands::gen::run(args),
        Command::Shape(args) => commands::shape::run(args),
    };
    match outcome {
        Ok(Verdict::Pass) => ExitCode::SUCCESS,
        Ok(Verdict::Fail) => ExitCode::from(1),
        Err(CliError::Output(error)) if error.kind() == std::io::ErrorKind::BrokenPipe => {
            ExitCode::from(2)
        }
        Err(error) => {
            eprintln!("logspec: {error}");
            ExitCode::from(2)
        }
    }
}
