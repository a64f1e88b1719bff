//! Why a shape file cannot be used as a baseline.

use crate::model::FORMAT_VERSION;

#[derive(Debug, thiserror::Error)]
pub enum ShapeError {
    #[error("not a logspec shape file: {0}")]
    Parse(#[from] serde_json::Error),
    #[error(
        "shape file format {found} is not supported (this logspec reads format {FORMAT_VERSION})"
    )]
    Version { found: u32 },
    #[error("the shapes were recorded with spec {recorded}, not {spec}")]
    SpecMismatch { recorded: String, spec: String },
}
