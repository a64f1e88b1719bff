//! What `check` and `shape record|diff` read: files as given, directories
//! expanded to the files a record kind of the spec names by path, standard
//! input as `-`; each opened lazily and decompressed by content
//! ([`source`]).
//!
//! A directory (a producer's runtime folder) can hold files no kind names:
//! they are listed as skipped, never read (such a folder can hold secrets,
//! like a token file).

pub mod source;

use crate::CliError;
use logspec_checker::stream::Input;
use logspec_checker::{Code, Finding, FindingSink, Plan};
use source::{LazyInput, Origin, Pool};
use std::cell::RefCell;
use std::fs::File;
use std::path::Path;
use std::rc::Rc;
use std::sync::Arc;

/// The inputs of one run, and the pool they are read through.
pub struct Opened {
    pub pool: Rc<RefCell<Pool>>,
    pub inputs: Vec<Input<LazyInput>>,
}

/// Reports what went wrong inside inputs while they were read (a damaged
/// compressed stream), as parse errors on the line reached.
pub fn report_damage(pool: &RefCell<Pool>, sink: &mut dyn FindingSink) {
    for damage in pool.borrow_mut().take_damage() {
        sink.push(Finding::new(
            Code::ParseError,
            &Arc::from(damage.name.as_str()),
            damage.line,
            damage.message,
        ));
    }
}

/// The inputs to read: files as given, and in place of each directory the
/// files below it that a record kind names, in path order. Files a
/// directory holds that no kind names are reported as skipped.
pub fn expand(
    plan: &Plan,
    given: &[String],
    sink: &mut dyn FindingSink,
) -> Result<Vec<String>, CliError> {
    if given.iter().filter(|file| *file == "-").count() > 1 {
        return Err(CliError::Usage(
            "standard input (`-`) can be read only once".to_owned(),
        ));
    }
    let mut inputs = Vec::new();
    for path in given {
        if path == "-" || !Path::new(path).is_dir() {
            inputs.push(path.clone());
            continue;
        }
        let mut found = Vec::new();
        // Symbolic links are not followed: a runtime folder's links can
        // lead anywhere.
        for entry in walkdir::WalkDir::new(path).follow_links(false) {
            let entry = entry.map_err(|error| CliError::Input {
                path: error
                    .path()
                    .map_or_else(|| path.clone(), |at| at.display().to_string()),
                source: error.into(),
            })?;
            if entry.file_type().is_file() {
                found.push(entry.path().to_string_lossy().into_owned());
            }
        }
        found.sort();
        let before = inputs.len();
        for name in found {
            if plan.kind_for_path(&name).is_some() {
                inputs.push(name);
            } else {
                sink.push(Finding::new(
                    Code::FileSkipped,
                    &Arc::from(name.as_str()),
                    0,
                    format!(
                        "not read: none of the record kinds of {} names this file by path",
                        plan.producer
                    ),
                ));
            }
        }
        if inputs.len() == before {
            let patterns: Vec<String> = plan
                .kinds
                .iter()
                .flat_map(|kind| kind.path_patterns().map(str::to_owned))
                .collect();
            return Err(CliError::Usage(format!(
                "directory {path} holds no file that {} names by path ({})",
                plan.producer,
                if patterns.is_empty() {
                    "the spec names none: give the files".to_owned()
                } else {
                    patterns.join(", ")
                }
            )));
        }
    }
    Ok(inputs)
}

/// Opens inputs to be read lazily. Every file is opened (and closed again)
/// here, so an unreadable input fails the run before any report is
/// written, rather than after a partial one.
pub fn open(files: &[String], hosts: &[(String, String)]) -> Result<Opened, CliError> {
    let pool = Pool::new();
    let mut inputs = Vec::with_capacity(files.len());
    for path in files {
        let (name, origin) = if path == "-" {
            ("<stdin>".to_owned(), Origin::Stdin)
        } else {
            readable(path)?;
            (path.clone(), Origin::File(path.into()))
        };
        inputs.push(Input {
            reader: Pool::input(&pool, name.clone(), origin),
            name,
            host: hosts
                .iter()
                .find(|(file, _)| file == path)
                .map(|(_, host)| host.clone()),
        });
    }
    Ok(Opened { pool, inputs })
}

fn readable(path: &str) -> Result<(), CliError> {
    let failed = |source| CliError::Input {
        path: path.to_owned(),
        source,
    };
    let file = File::open(path).map_err(failed)?;
    if file.metadata().is_ok_and(|metadata| metadata.is_dir()) {
        return Err(failed(std::io::Error::other("is a directory")));
    }
    Ok(())
}
