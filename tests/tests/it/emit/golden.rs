//! Golden construct fixtures: one tiny reference document per notation construct, and the types
//! file the emitter must produce for it.
//!
//! Each directory under `tests/fixtures/` holds `spec.md` (a valid one-line reference with domain
//! types only), optionally `refinements.toml`, and `expected.rs` (the emitted types file). A
//! change to the parser or emitter that alters any fixture's output fails here with a diff.
//!
//! To accept new output (or create `expected.rs` for a new fixture), run
//! `UPDATE_GOLDEN=1 cargo test -p magic-api-tests --test it golden`, then read the changed files.
//! `golden_compile.rs` compiles every `expected.rs` and exercises it against JSON.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use codegen::parse::Document;

/// The constructs that must always have a fixture (more may exist).
const REQUIRED: &[&str] = &[
    "array_of_union",
    "elided_expansion",
    "keyword_field",
    "literal_enum",
    "map",
    "n_more_object",
    "named_reference",
    "plain_object",
    "union_best_fit",
    "union_json_kind",
    "union_required_field",
    "union_tag",
];

fn fixtures_dir() -> PathBuf {
    PathBuf::from(
        std::env::var_os("CARGO_MANIFEST_DIR").unwrap_or_else(|| env!("CARGO_MANIFEST_DIR").into()),
    )
    .join("fixtures")
}

/// Every fixture directory's name, sorted.
fn fixtures() -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(fixtures_dir())
        .expect("tests/fixtures must exist")
        .map(|entry| entry.expect("readable fixtures directory"))
        .filter(|entry| entry.path().is_dir())
        .map(|entry| {
            entry
                .file_name()
                .into_string()
                .expect("fixture names are UTF-8")
        })
        .collect();
    names.sort();
    names
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
}

/// The types file the emitter produces for one fixture directory.
fn generate(dir: &Path) -> Result<String, String> {
    let doc = Document {
        name: "spec.md".into(),
        text: read(&dir.join("spec.md")),
    };
    let refinements_path = dir.join(codegen::REFINEMENTS);
    let refinements = refinements_path.exists().then(|| Document {
        name: codegen::REFINEMENTS.into(),
        text: read(&refinements_path),
    });
    let (ir, _) = codegen::build_ir(&[doc], refinements.as_ref()).map_err(|e| e.to_string())?;
    let (text, count) = codegen::emit::types_source(&ir)?;
    if count == 0 {
        return Err("the fixture emits no public type".into());
    }
    Ok(text)
}

#[test]
fn every_fixture_emits_its_expected_file() {
    let update = std::env::var_os("UPDATE_GOLDEN").is_some_and(|v| v == "1");
    let mut failures = Vec::new();
    for name in fixtures() {
        let dir = fixtures_dir().join(&name);
        let generated = match generate(&dir) {
            Ok(text) => text,
            Err(e) => {
                failures.push(format!("{name}: generation failed:\n{e}"));
                continue;
            }
        };
        let expected_path = dir.join("expected.rs");
        if update {
            let old = std::fs::read_to_string(&expected_path).unwrap_or_default();
            if old != generated {
                std::fs::write(&expected_path, &generated)
                    .unwrap_or_else(|e| panic!("cannot write {}: {e}", expected_path.display()));
                eprintln!("updated {}", expected_path.display());
            }
            continue;
        }
        let Ok(expected) = std::fs::read_to_string(&expected_path) else {
            failures.push(format!(
                "{name}: no expected.rs (create it with UPDATE_GOLDEN=1)"
            ));
            continue;
        };
        if expected != generated {
            failures.push(format!(
                "{name}: the emitted types differ from expected.rs (accept with UPDATE_GOLDEN=1)\n{}",
                codegen::emit::files::diff(&expected, &generated)
            ));
        }
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}

#[test]
fn every_required_construct_has_a_fixture() {
    let present: BTreeSet<String> = fixtures().into_iter().collect();
    let missing: Vec<&str> = REQUIRED
        .iter()
        .copied()
        .filter(|c| !present.contains(*c))
        .collect();
    assert!(
        missing.is_empty(),
        "constructs without a fixture: {missing:?}"
    );
}

#[test]
fn every_fixture_is_a_single_line_reference_with_domain_types() {
    for name in fixtures() {
        let dir = fixtures_dir().join(&name);
        for file in ["spec.md", "expected.rs"] {
            assert!(dir.join(file).is_file(), "{name}: missing {file}");
        }
        let text = read(&dir.join("spec.md"));
        let text = text.strip_suffix('\n').unwrap_or(&text);
        assert!(
            !text.contains('\n'),
            "{name}: spec.md must be one line, like the real reference"
        );
        assert!(
            text.starts_with("# Fixture ## Domain Types ### "),
            "{name}: spec.md must start with `# Fixture ## Domain Types ### `"
        );
    }
}

/// The module list `golden_compile.rs` compiles (`tests/fixtures/mod.rs`): one module per fixture
/// directory, generated from the directories, so a fixture cannot be left out of compilation.
fn fixture_modules() -> String {
    let mut out = String::from(
        "// @generated by the golden test (`UPDATE_GOLDEN=1 cargo test -p magic-api-tests --test it golden`), do not edit.\n\
         //! Every golden fixture's emitted types, one module each, compiled by `golden_compile.rs`.\n",
    );
    for name in fixtures() {
        out.push_str(&format!(
            "\n#[path = \"{name}/expected.rs\"]\npub mod {name};\n"
        ));
    }
    out
}

#[test]
fn the_compiled_fixture_list_is_fresh() {
    let path = fixtures_dir().join("mod.rs");
    let want = fixture_modules();
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::write(&path, &want).expect("write tests/fixtures/mod.rs");
        return;
    }
    let have = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        have == want,
        "tests/fixtures/mod.rs does not list exactly the fixture directories; \
         run `UPDATE_GOLDEN=1 cargo test -p magic-api-tests --test it golden`"
    );
}
