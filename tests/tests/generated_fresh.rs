//! The committed generated files are exactly what `cargo xtask regenerate` would write today.
//!
//! Uses the same `ensure` function as `cargo xtask regenerate --check`, and prints its diff.

use std::path::PathBuf;

use codegen::emit::files::{Mode, Outcome, ensure};

#[test]
fn generated_files_are_fresh() {
    let root = PathBuf::from(
        std::env::var_os("CARGO_MANIFEST_DIR").unwrap_or_else(|| env!("CARGO_MANIFEST_DIR").into()),
    )
    .join("..");
    let output =
        codegen::generate(&root.join("spec")).unwrap_or_else(|e| panic!("generation failed: {e}"));
    let outcomes = ensure(&root, &output.files, Mode::Check).expect("generated files are readable");
    let stale: Vec<String> = outcomes
        .into_iter()
        .filter_map(|(path, outcome)| match outcome {
            Outcome::Stale(diff) => Some(format!("{path}:\n{diff}")),
            _ => None,
        })
        .collect();
    assert!(
        stale.is_empty(),
        "generated files are stale; run `cargo xtask regenerate`:\n{}",
        stale.join("\n")
    );
}

#[test]
fn generation_is_deterministic() {
    let spec = PathBuf::from(
        std::env::var_os("CARGO_MANIFEST_DIR").unwrap_or_else(|| env!("CARGO_MANIFEST_DIR").into()),
    )
    .join("../spec");
    let a = codegen::generate(&spec).unwrap();
    let b = codegen::generate(&spec).unwrap();
    assert_eq!(a.files, b.files);
}

#[test]
fn every_generated_file_carries_the_header() {
    let spec = PathBuf::from(
        std::env::var_os("CARGO_MANIFEST_DIR").unwrap_or_else(|| env!("CARGO_MANIFEST_DIR").into()),
    )
    .join("../spec");
    for f in codegen::generate(&spec).unwrap().files {
        assert!(f.contents.starts_with(codegen::emit::HEADER), "{}", f.path);
    }
}
