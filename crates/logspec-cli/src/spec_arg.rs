//! `--spec NAME|PATH`: a built-in name first, then a file path.

use crate::CliError;
use logspec_spec::{builtin, load_path, LoadedSpec, BUILTINS};
use std::path::Path;

pub fn load(name_or_path: &str) -> Result<LoadedSpec, CliError> {
    if let Some(builtin) = builtin(name_or_path) {
        return Ok(builtin.load()?);
    }
    let path = Path::new(name_or_path);
    if path.exists() {
        return Ok(load_path(path)?);
    }
    let names: Vec<&str> = BUILTINS.iter().map(|builtin| builtin.name).collect();
    Err(CliError::Usage(format!(
        "no built-in spec or file named {name_or_path:?} (built-in: {})",
        names.join(", ")
    )))
}
