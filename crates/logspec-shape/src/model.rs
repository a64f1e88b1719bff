//! The shape file (`shapes.json`): per documented event and variant seen,
//! its fields, their order, presence and value classes.
//!
//! It lives in the user's repository and is compared in review, so it is
//! fully sorted (BTreeMap/BTreeSet everywhere) and holds nothing that
//! changes from run to run: no counts, times or paths. Recording the same
//! logs, in any file order, writes the same bytes.

use crate::error::ShapeError;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

/// The version of the shape file format [`Shapes::version`] carries.
pub const FORMAT_VERSION: u32 = 1;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Shapes {
    /// Shape file format version, [`FORMAT_VERSION`].
    #[serde(rename = "logspec_shape")]
    pub version: u32,
    /// The spec's producer name the records were classified with.
    pub spec: String,
    /// Event id → variant name → shape, for every variant seen.
    pub events: BTreeMap<String, BTreeMap<String, VariantShape>>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VariantShape {
    /// The fields in the order records carry them: each after every field
    /// seen before it. For people; comparisons use `preceded_by`.
    pub order: Vec<String>,
    pub fields: BTreeMap<String, FieldShape>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FieldShape {
    pub presence: Presence,
    /// Value classes seen (see [`classify`](crate::classify)).
    pub classes: BTreeSet<String>,
    /// Fields seen before this one in at least one record.
    pub preceded_by: BTreeSet<String>,
}

/// Whether a field was in every record of its variant.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Presence {
    Always,
    Sometimes,
}

impl Shapes {
    /// Shapes of nothing yet, recorded against `spec`.
    pub fn new(spec: &str) -> Shapes {
        Shapes {
            version: FORMAT_VERSION,
            spec: spec.to_owned(),
            events: BTreeMap::new(),
        }
    }

    /// The shape file's text: pretty JSON and a final newline.
    pub fn to_json(&self) -> String {
        // Maps with string keys and plain values always serialize.
        let mut text = serde_json::to_string_pretty(self).unwrap_or_default();
        text.push('\n');
        text
    }

    /// Reads a shape file recorded with the spec named `spec`.
    pub fn from_json(text: &str, spec: &str) -> Result<Shapes, ShapeError> {
        // The version is read first, so that a newer format is reported as
        // such rather than as whatever field it changed.
        #[derive(Deserialize)]
        struct Version {
            logspec_shape: u32,
        }
        let Version { logspec_shape } = serde_json::from_str(text)?;
        if logspec_shape != FORMAT_VERSION {
            return Err(ShapeError::Version {
                found: logspec_shape,
            });
        }
        let shapes: Shapes = serde_json::from_str(text)?;
        if shapes.spec != spec {
            return Err(ShapeError::SpecMismatch {
                recorded: shapes.spec,
                spec: spec.to_owned(),
            });
        }
        Ok(shapes)
    }
}

impl VariantShape {
    /// Whether `first` came before `second` in some record.
    pub fn seen_before(&self, first: &str, second: &str) -> bool {
        self.fields
            .get(second)
            .is_some_and(|field| field.preceded_by.contains(first))
    }
}
