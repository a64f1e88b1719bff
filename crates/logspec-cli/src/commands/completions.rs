//! `logspec completions SHELL` and `logspec man`: shell completions and a
//! man page generated from the CLI definition itself (clap_complete,
//! clap_mangen), so they cannot drift from the options.

use crate::{CliError, Verdict};
use std::io::{self, Write};

#[derive(clap::Args)]
pub struct CompletionsArgs {
    /// The shell to complete for
    #[arg(value_enum)]
    shell: clap_complete::Shell,
}

#[derive(clap::Args)]
pub struct ManArgs {}

pub fn completions(args: CompletionsArgs, mut command: clap::Command) -> Result<Verdict, CliError> {
    let mut out = io::BufWriter::new(io::stdout().lock());
    clap_complete::generate(args.shell, &mut command, "logspec", &mut out);
    out.flush().map_err(CliError::Output)?;
    Ok(Verdict::Pass)
}

pub fn man(_args: ManArgs, command: clap::Command) -> Result<Verdict, CliError> {
    let mut out = io::BufWriter::new(io::stdout().lock());
    clap_mangen::Man::new(command)
        .render(&mut out)
        .and_then(|()| out.flush())
        .map_err(CliError::Output)?;
    Ok(Verdict::Pass)
}
