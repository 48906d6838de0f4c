//! The naming table (`cargo xtask names`): every generated type named by a written rule, in the
//! reference's terms, never an internal id; and the docs build clean.

use std::path::PathBuf;
use std::process::Command;

fn root() -> PathBuf {
    let manifest =
        std::env::var_os("CARGO_MANIFEST_DIR").unwrap_or_else(|| env!("CARGO_MANIFEST_DIR").into());
    PathBuf::from(manifest).join("..")
}

/// The table from the generator's own IR of `spec/` (the mock's copy leaves out the provenance
/// the table describes types by).
fn table() -> String {
    codegen::emit::names_table(&crate::examples::ir()).expect("names decided")
}

#[test]
fn every_type_has_a_rule_and_is_described_in_the_references_terms() {
    let table = table();
    let types = table
        .split("\n\n")
        .next()
        .expect("the types section")
        .lines()
        .skip(1)
        .collect::<Vec<_>>();
    assert!(types.len() > 100, "{} types", types.len());
    for row in &types {
        let parts: Vec<&str> = row.split(" -> ").collect();
        assert_eq!(parts.len(), 3, "reference -> Rust -> rule: {row}");
        assert!(
            parts[2].starts_with(['1', '2', '3', '4']),
            "a numbered rule: {row}"
        );
        assert!(!parts[0].contains('~'), "no internal id: {row}");
    }
    // One concept, one name: the resources' objects are named after them.
    for (reference, rust) in [
        ("the reference's `PCAPListResponse`", "Pcap"),
        ("the reference's `MagicAccountApp`", "AccountApp"),
        ("the reference's `GRETunnelCreateResponse`", "GreTunnel"),
        ("the reference's `AccountApp`", "AccountAppConfig"),
    ] {
        assert!(
            types
                .iter()
                .any(|r| r.starts_with(&format!("{reference} -> {rust} -> "))),
            "{reference} -> {rust}\n{table}"
        );
    }
    // The app that create returns is the app the list returns.
    assert!(
        table.contains("\nAppCreateResponse -> AccountApp\n"),
        "{table}"
    );
    // Collisions name types, never ids.
    let collisions = table.split("# Collisions\n").nth(1).unwrap_or("");
    assert!(!collisions.is_empty());
    assert!(!collisions.contains('~'), "{collisions}");
    // Every operation has its call.
    let ops = table
        .split("# Operations: METHOD path -> call -> rule\n")
        .nth(1)
        .expect("operations");
    let calls = ops
        .lines()
        .take_while(|l| !l.is_empty())
        .filter(|l| l.contains("() -> ") || l.contains("()."))
        .count();
    assert_eq!(calls, 79, "{ops}");
}

/// `cargo xtask names` prints the table, and `RUSTDOCFLAGS="-D warnings" cargo doc -p magic-api
/// -p magic-api-mock --no-deps` is clean (broken intra-doc links included). Both run in a target
/// directory of their own.
#[test]
#[ignore = "slow: builds xtask and the docs of magic-api and magic-api-mock; CI runs it"]
fn xtask_names_prints_the_table_and_the_docs_build_without_warnings() {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let target = root().join("target/doc-check");
    let run = |args: &[&str]| {
        let out = Command::new(&cargo)
            .args(args)
            .current_dir(root())
            .env("CARGO_TARGET_DIR", &target)
            .env("RUSTDOCFLAGS", "-D warnings")
            .env_remove("CARGO_MANIFEST_DIR")
            .output()
            .expect("cargo runs");
        assert!(
            out.status.success(),
            "cargo {args:?} failed:\n{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    assert_eq!(run(&["xtask", "names"]), table());
    run(&[
        "doc",
        "-p",
        "magic-api",
        "-p",
        "magic-api-mock",
        "--no-deps",
    ]);
}
