//! The committed generated files are exactly what `cargo xtask regenerate` would write today.
//!
//! Uses the same `ensure` function as `cargo xtask regenerate --check`, and prints its diff.

use std::path::PathBuf;

use codegen::emit::files::{Mode, Outcome, ensure};

/// The whole pipeline on a spec directory: read, build the IR, generate.
fn generate_dir(dir: &std::path::Path) -> Result<codegen::emit::Output, String> {
    let (docs, refinements) = codegen::read_spec_dir(dir).map_err(|e| e.to_string())?;
    let (ir, _) = codegen::build_ir(&docs, refinements.as_ref()).map_err(|e| e.to_string())?;
    codegen::generate(&ir)
}

#[test]
fn generated_files_are_fresh() {
    let root = PathBuf::from(
        std::env::var_os("CARGO_MANIFEST_DIR").unwrap_or_else(|| env!("CARGO_MANIFEST_DIR").into()),
    )
    .join("..");
    let output =
        generate_dir(&root.join("spec")).unwrap_or_else(|e| panic!("generation failed: {e}"));
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
    let a = generate_dir(&spec).unwrap();
    let b = generate_dir(&spec).unwrap();
    assert_eq!(a.files, b.files);
}

#[test]
fn every_generated_file_carries_the_header() {
    let spec = PathBuf::from(
        std::env::var_os("CARGO_MANIFEST_DIR").unwrap_or_else(|| env!("CARGO_MANIFEST_DIR").into()),
    )
    .join("../spec");
    for f in generate_dir(&spec).unwrap().files {
        if f.path.ends_with(".json") {
            // JSON has no comments: the note is the first key.
            let note = format!(
                "{{\n  \"@generated\": \"{}\"",
                codegen::emit::snapshot::GENERATED_NOTE
            );
            assert!(f.contents.starts_with(&note), "{}", f.path);
        } else {
            assert!(f.contents.starts_with(codegen::emit::HEADER), "{}", f.path);
        }
    }
}

// ---------------------------------------------------------------------------------------
// The change report on the real spec (its classes are tested in `crate::report`)

use codegen::emit::snapshot::Snapshot;
use codegen::report::diff;

fn manifest_dir() -> PathBuf {
    PathBuf::from(
        std::env::var_os("CARGO_MANIFEST_DIR").unwrap_or_else(|| env!("CARGO_MANIFEST_DIR").into()),
    )
}

#[test]
fn the_spec_compared_with_itself_and_the_committed_snapshot_report_nothing() {
    let spec = manifest_dir().join("../spec");
    let now = generate_dir(&spec).expect("generates").snapshot;
    assert!(diff(&now, &now).is_empty());
    let committed = std::fs::read_to_string(manifest_dir().join("../magic-api/api.json"))
        .expect("the committed snapshot");
    let committed = Snapshot::from_json(&committed).expect("parses");
    let report = diff(&committed, &now);
    assert!(report.is_empty(), "{}", report.render("0.1.0"));
}

/// Two copies of the workspace sharing one target directory each regenerate their own files,
/// though cargo builds `xtask` once for both.
#[test]
#[ignore = "slow: builds xtask and runs `cargo xtask regenerate` in two copies of the workspace; CI runs it"]
fn regenerate_in_two_checkouts_sharing_a_target_dir_writes_only_its_own_files() {
    let root = manifest_dir()
        .join("..")
        .canonicalize()
        .expect("workspace root");
    let work = root.join("target/shared-target-test");
    let _ = std::fs::remove_dir_all(&work);
    let checkouts = [work.join("a"), work.join("b")];
    let stale_marker = "// stale: regenerate must rewrite this file\n";
    for dir in &checkouts {
        for part in [
            "Cargo.toml",
            "Cargo.lock",
            ".cargo",
            "spec",
            "codegen",
            "magic-api",
            "mock",
            "xtask",
            "tests",
        ] {
            copy(&root.join(part), &dir.join(part));
        }
        let generated = dir.join("magic-api/src/generated/mod.rs");
        let text = std::fs::read_to_string(&generated).expect("generated file");
        std::fs::write(&generated, format!("{text}{stale_marker}")).expect("made stale");
    }
    let is_stale = |dir: &std::path::Path| {
        std::fs::read_to_string(dir.join("magic-api/src/generated/mod.rs"))
            .expect("generated file")
            .contains(stale_marker)
    };
    let regenerate = |dir: &std::path::Path| {
        let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
        let out = std::process::Command::new(cargo)
            .args(["xtask", "regenerate"])
            .current_dir(dir)
            .env("CARGO_TARGET_DIR", work.join("target"))
            .env_remove("CARGO_MANIFEST_DIR")
            .output()
            .expect("cargo runs");
        assert!(
            out.status.success(),
            "regenerate failed in {}:\n{}",
            dir.display(),
            String::from_utf8_lossy(&out.stderr)
        );
    };
    regenerate(&checkouts[0]);
    assert!(
        !is_stale(&checkouts[0]),
        "the first checkout was regenerated"
    );
    assert!(
        is_stale(&checkouts[1]),
        "the second checkout was not touched"
    );
    regenerate(&checkouts[1]);
    assert!(
        !is_stale(&checkouts[1]),
        "the second checkout regenerated its own files"
    );
    let _ = std::fs::remove_dir_all(&work);
}

/// Copies a file or a directory tree (skipping `target`).
fn copy(from: &std::path::Path, to: &std::path::Path) {
    if from.is_dir() {
        std::fs::create_dir_all(to).expect("dir");
        for entry in std::fs::read_dir(from).expect("read dir").flatten() {
            if entry.file_name() != "target" {
                copy(&entry.path(), &to.join(entry.file_name()));
            }
        }
    } else {
        if let Some(parent) = to.parent() {
            std::fs::create_dir_all(parent).expect("dir");
        }
        std::fs::copy(from, to).expect("copy");
    }
}
