//! Parses the built-in specs (`spec/*.yaml`) at build time into JSON, which
//! loads several times faster than YAML: a built-in spec then costs its
//! schema check and model at start-up, not its YAML parse (about 40% of
//! starting with Hexon's 2,000 entries). The parse is the loader's own
//! (`src/yaml.rs`), and a test holds each JSON to its YAML. A built-in that
//! does not parse fails the build, naming the file and the place.

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
        let data =
            yaml::parse_yaml(&text).unwrap_or_else(|error| panic!("{}: {error}", path.display()));
        let json = serde_json::to_string(&data)
            .unwrap_or_else(|error| panic!("{}: {error}", path.display()));
        let name = path.with_extension("json");
        let name = name
            .file_name()
            .expect("a file read from the directory has a name");
        std::fs::write(Path::new(&out).join(name), json)
            .unwrap_or_else(|error| panic!("{}: {error}", path.display()));
    }
}
