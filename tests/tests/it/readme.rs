//! Guards the README: its quick start stays the two documented commands (the second is what
//! `.ci/run` runs), and its "Using the client" example stays wired as a doctest
//! (`ReadmeDoctests` in `src/lib.rs`, compiled by `cargo test --doc`; doctests run only for
//! library targets, so it cannot live here).

use std::path::PathBuf;

fn read(relative: &str) -> String {
    let path = PathBuf::from(
        std::env::var_os("CARGO_MANIFEST_DIR").unwrap_or_else(|| env!("CARGO_MANIFEST_DIR").into()),
    )
    .join(relative);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The full test command: the slow tests are `#[ignore]`d so that a plain `cargo test` is fast,
/// and this runs them too.
const TEST_COMMAND: &str = "cargo test --workspace -- --include-ignored";

#[test]
fn quick_start_is_the_two_commands() {
    let readme = read("../README.md");
    let expected = format!(
        "```sh\n\
        # parse spec/ and regenerate the magic-api crate's generated code\n\
        cargo xtask regenerate\n\
        # everything: parser, IR, generated code, client and mock against loopback servers\n\
        {TEST_COMMAND}\n\
        ```"
    );
    assert!(readme.contains(&expected), "README quick start changed");
    // The README's first test command (up to a closing backtick) is the quick start's, and CI
    // runs exactly it.
    let first = readme
        .lines()
        .find_map(|l| l.find("cargo test").map(|at| &l[at..]))
        .and_then(|command| command.split('`').next())
        .map(str::trim_end)
        .expect("a test command in the README");
    assert_eq!(first, TEST_COMMAND);
    let ci = read("../.ci/run");
    assert!(
        ci.lines().any(|l| l.trim() == TEST_COMMAND),
        ".ci/run must run `{TEST_COMMAND}`"
    );
}

#[test]
fn client_example_is_compiled_as_a_doctest() {
    let readme = read("../README.md");
    let section = readme
        .split_once("\n## Using the client\n")
        .map(|(_, rest)| rest)
        .expect("README has a `## Using the client` section");
    let section = section.split("\n## ").next().unwrap_or(section);
    assert!(
        section.contains("```rust,no_run\n"),
        "the example is a Rust block"
    );
    for call in [
        ".gre_tunnels().list(",
        "::builder()",
        ".stream()",
        ".download(",
        ".write_to_file(",
    ] {
        assert!(section.contains(call), "the example shows `{call}`");
    }
    let lib = read("src/lib.rs");
    assert!(
        lib.contains("#[doc = include_str!(\"../../README.md\")]\n#[cfg(doctest)]"),
        "src/lib.rs must include the README as doctests"
    );
}
