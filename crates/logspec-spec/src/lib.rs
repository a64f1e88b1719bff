//! The spec model of logspec and the loader that builds it.
//!
//! A spec is a producer's logging reference made machine-readable: its wire
//! formats, severity vocabulary, field glossary, events with their variants,
//! and the document's summary tables as written. Everything downstream
//! (readers, checker, lint, reports) works from [`Spec`].
//!
//! Loading is strict because a spec is a contract: the YAML is parsed with
//! serde-saphyr, validated against the bundled JSON Schema
//! (`spec/logspec.schema.json`, the same file editors can use), turned into
//! the typed model, and then checked for references the schema cannot see.
//! Every problem is reported with the file, line and column it sits at,
//! which is why [`locate`] keeps a map from data paths to YAML positions.
//! The built-in specs ([`BUILTINS`]) go through the same parse and the
//! same expansion of catalogue sections once, when logspec is built; their
//! tests hold the result to the schema, and loading one reads the model
//! straight from it.

pub mod builtin;
pub mod condition;
mod entries;
pub mod load;
pub mod locate;
pub mod model;
pub mod overlay;
mod validate;
mod yaml;

pub use builtin::{builtin, Builtin, BUILTINS};
pub use load::{load_parsed, load_path, load_str, LoadError, LoadedSpec, SpecProblem, SCHEMA};
pub use locate::Location;
pub use model::*;
pub use overlay::{is_overlay, load_overlay_str, Overlay, OverlayParam};
pub use yaml::parse_yaml;
