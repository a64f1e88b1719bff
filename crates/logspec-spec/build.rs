//! Parses the built-in specs (`spec/*.yaml`) at build time into JSON, which
//! loads several times faster than YAML: a built-in spec then costs only
//! reading its model and the checks across it at start-up. The parse is
//! the loader's own (`src/yaml.rs`), and so is the expansion of catalogue
//! sections into events (`src/entries.rs`, about a third of starting with
//! Hexon's 2,000 entries); the JSON is written expanded, with where each
//! generated event came from beside it (`NAME.origins.json`). Tests hold
//! each to its YAML and to the spec format's schema. A built-in that does
//! not parse fails the build, naming the file and the place.

#[path = "src/entries.rs"]
mod entries;
#[path = "src/yaml.rs"]
mod yaml;

use std::path::Path;

fn main() {
    let specs = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../spec");
    let out = std::env::var("OUT_DIR").expect("cargo sets OUT_DIR for build scripts");
    println!("cargo:rerun-if-changed={}", specs.display());
    let entries =
        std::fs::read_dir(&specs).unwrap_or_else(|error| panic!("{}: {error}", specs.display()));
    for entry in entries {
        let path = entry
            .unwrap_or_else(|error| panic!("{}: {error}", specs.display()))
            .path();
        if path.extension().and_then(|extension| extension.to_str()) != Some("yaml") {
            continue;
        }
        println!("cargo:rerun-if-changed={}", path.display());
        let text = std::fs::read_to_string(&path)
            .unwrap_or_else(|error| panic!("{}: {error}", path.display()));
        let mut data =
            yaml::parse_yaml(&text).unwrap_or_else(|error| panic!("{}: {error}", path.display()));
        let origins = entries::expand(&mut data);
        let stem = path
            .file_stem()
            .and_then(|stem| stem.to_str())
            .expect("a file read from the directory has a name");
        for (name, json) in [
            (format!("{stem}.json"), serde_json::to_string(&data)),
            (
                format!("{stem}.origins.json"),
                serde_json::to_string(&origins),
            ),
        ] {
            let json = json.unwrap_or_else(|error| panic!("{}: {error}", path.display()));
            std::fs::write(Path::new(&out).join(name), json)
                .unwrap_or_else(|error| panic!("{}: {error}", path.display()));
        }
    }
}
