//! The API change report (`cargo xtask regenerate`, `codegen::report`): its classes on small
//! changes to a small reference ([`classes`]), and the same classes held to what the compiler
//! says of downstream code built against the crate before and after ([`compiles`], slow).

mod classes;
mod compiles;

use std::path::PathBuf;

use codegen::emit::Output;
use codegen::emit::snapshot::Snapshot;
use codegen::report::{Class, Report, diff};

/// This crate's directory (`tests/`).
pub(crate) fn manifest_dir() -> PathBuf {
    PathBuf::from(
        std::env::var_os("CARGO_MANIFEST_DIR").unwrap_or_else(|| env!("CARGO_MANIFEST_DIR").into()),
    )
}

/// The report tests' reference: two resources' worth of operations, one struct, one enum, one
/// tagged union (`tests/report/base.md`).
pub(crate) fn base() -> String {
    std::fs::read_to_string(manifest_dir().join("report/base.md")).expect("the report fixture")
}

/// `base()` changed by every `(from, to)` replacement (all occurrences), each of which must
/// match.
pub(crate) fn edited(edits: &[(&str, &str)]) -> String {
    let mut text = base();
    for (from, to) in edits {
        assert!(text.contains(from), "`{from}` is in the fixture");
        text = text.replace(from, to);
    }
    text
}

/// What the generator makes of a reference (with no refinements).
pub(crate) fn output_of(reference: &str) -> Output {
    output_with(reference, "")
}

/// What the generator makes of a reference with these refinements.
pub(crate) fn output_with(reference: &str, refinements: &str) -> Output {
    let docs = [codegen::Document {
        name: "magic-transit.md".into(),
        text: reference.to_string(),
    }];
    let refinements = codegen::Document {
        name: "refinements.toml".into(),
        text: refinements.to_string(),
    };
    let (ir, _) = codegen::build_ir(&docs, Some(&refinements))
        .unwrap_or_else(|e| panic!("the changed reference must stay valid:\n{e}"));
    codegen::generate(&ir).expect("generates")
}

pub(crate) fn snapshot_of(reference: &str) -> Snapshot {
    output_of(reference).snapshot
}

/// The report for `base()` changed by every `(from, to)` replacement.
pub(crate) fn report_for(edits: &[(&str, &str)]) -> Report {
    report_between(&[], edits)
}

/// The report from `base()` changed by `old` to `base()` changed by `new`.
pub(crate) fn report_between(old: &[(&str, &str)], new: &[(&str, &str)]) -> Report {
    diff(&snapshot_of(&edited(old)), &snapshot_of(&edited(new)))
}

/// Asserts the report holds exactly these `(class, text fragment)` entries.
pub(crate) fn assert_changes(report: &Report, expected: &[(Class, &str)]) {
    let shown = report.render("0.1.0");
    assert_eq!(report.changes.len(), expected.len(), "{shown}");
    for (class, fragment) in expected {
        assert!(
            report
                .changes
                .iter()
                .any(|c| c.class == *class && c.text.contains(fragment)),
            "no {class:?} change containing `{fragment}` in:\n{shown}"
        );
    }
}
