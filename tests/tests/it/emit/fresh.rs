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
// The change report (`cargo xtask regenerate` / `cargo xtask diff`)

use codegen::emit::snapshot::Snapshot;
use codegen::report::{Class, Report, diff};

fn manifest_dir() -> PathBuf {
    PathBuf::from(
        std::env::var_os("CARGO_MANIFEST_DIR").unwrap_or_else(|| env!("CARGO_MANIFEST_DIR").into()),
    )
}

/// The report tests' reference: two resources' worth of operations, one struct, one enum, one
/// tagged union (`tests/report/base.md`).
fn base() -> String {
    std::fs::read_to_string(manifest_dir().join("report/base.md")).expect("the report fixture")
}

fn snapshot_of(reference: &str) -> Snapshot {
    let docs = [codegen::Document {
        name: "magic-transit.md".into(),
        text: reference.to_string(),
    }];
    let refinements = codegen::Document {
        name: "refinements.toml".into(),
        text: String::new(),
    };
    let (ir, _) = codegen::build_ir(&docs, Some(&refinements))
        .unwrap_or_else(|e| panic!("the changed reference must stay valid:\n{e}"));
    codegen::generate(&ir).expect("generates").snapshot
}

/// The report for `base()` changed by every `(from, to)` replacement (all occurrences).
fn report_for(edits: &[(&str, &str)]) -> Report {
    let before = base();
    let mut after = before.clone();
    for (from, to) in edits {
        assert!(after.contains(from), "`{from}` is in the fixture");
        after = after.replace(from, to);
    }
    diff(&snapshot_of(&before), &snapshot_of(&after))
}

/// Asserts the report holds exactly these `(class, text fragment)` entries.
fn assert_changes(report: &Report, expected: &[(Class, &str)]) {
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

const SIZE: &str =
    "- `size: optional \"small\" or \"large\"` How big it is. - `\"small\"` - `\"large\"`";

#[test]
fn report_new_optional_field_on_a_received_type_is_additive() {
    let r = report_for(&[
        (
            "Widget { id, name, size }",
            "Widget { id, name, size, color }",
        ),
        (
            SIZE,
            &format!("{SIZE} - `color: optional string` Its color."),
        ),
    ]);
    assert_changes(
        &r,
        &[(Class::Additive, "`Widget`: new optional field `color`")],
    );
    assert_eq!(r.next_version("0.1.0").as_deref(), Some("0.1.1"));
}

#[test]
fn report_new_required_body_field_is_breaking() {
    let r = report_for(&[
        (
            "How big to make it. - `\"small\"` - `\"large\"`",
            "How big to make it. - `\"small\"` - `\"large\"` - `weight: number` Its weight.",
        ),
        ("{ \"name\": \"w\" }", "{ \"name\": \"w\", \"weight\": 1 }"),
    ]);
    assert_changes(&r, &[(Class::Breaking, "new required field `weight`")]);
    assert_eq!(r.next_version("0.1.0").as_deref(), Some("0.2.0"));
    assert!(
        r.render("0.1.0")
            .contains("Implied version: 0.1.0 -> 0.2.0")
    );
}

#[test]
fn report_removed_field_is_breaking() {
    let r = report_for(&[
        ("Widget { id, name, size }", "Widget { id, size }"),
        (
            "- `name: optional string` The widget's name. - `size",
            "- `size",
        ),
    ]);
    assert_changes(&r, &[(Class::Breaking, "`Widget`: field `name` removed")]);
    assert!(r.changes[0].removal);
}

#[test]
fn report_field_type_change_is_breaking() {
    let r = report_for(&[(
        "`name: optional string` The widget's name. - `size",
        "`name: optional number` The widget's name. - `size",
    )]);
    assert_changes(
        &r,
        &[(Class::Breaking, "field `name` is `Number` (was `String`)")],
    );
}

#[test]
fn report_optional_becoming_required_and_back_is_breaking() {
    let r = report_for(&[(
        "`name: optional string` The widget's name. - `size",
        "`name: string` The widget's name. - `size",
    )]);
    assert_changes(
        &r,
        &[(Class::Breaking, "field `name` is required (was optional)")],
    );
    let r = report_for(&[(
        "- `id: string` Identifier - `name",
        "- `id: optional string` Identifier - `name",
    )]);
    assert_changes(
        &r,
        &[(Class::Breaking, "field `id` is optional (was required)")],
    );
}

#[test]
fn report_new_enum_value_is_additive() {
    let r = report_for(&[
        (
            "\"small\" or \"large\"`",
            "\"small\" or \"large\" or \"huge\"`",
        ),
        ("- `\"large\"`", "- `\"large\"` - `\"huge\"`"),
    ]);
    // The enum of `size` is shared by the body and the widget: one type, one change.
    assert_changes(&r, &[(Class::Additive, "new value `\"huge\"`")]);
}

#[test]
fn report_new_event_kind_is_additive() {
    let r = report_for(&[
        ("`e: { k } or { k }`", "`e: { k } or { k } or { k }`"),
        (
            "Stopped - `\"Leave\"`",
            "Stopped - `\"Leave\"` - `Reboot { k }` - `k: \"Reboot\"` Rebooted - `\"Reboot\"`",
        ),
    ]);
    let shown = r.render("0.1.0");
    assert!(
        r.changes
            .iter()
            .any(|c| c.class == Class::Additive && c.text.contains("new variant `Reboot(Reboot)`")),
        "{shown}"
    );
    assert_eq!(r.worst(), Some(Class::Additive), "{shown}");
}

const DELETE_WIDGET: &str = " ## Delete Widget **delete** `/accounts/{account_id}/widgets/{widget_id}` Deletes a widget. ### Path Parameters - `account_id: string` Identifier - `widget_id: string` Identifier ### Example ```http curl https://api.cloudflare.com/client/v4/accounts/$ACCOUNT_ID/widgets/$WIDGET_ID \\ -X DELETE \\ -H \"Authorization: Bearer $CLOUDFLARE_API_TOKEN\" ``` ## Domain Types";

#[test]
/// A new operation is additive; a first operation on `…/widgets/{widget_id}` also gives the
/// widgets an id type, so the listed widgets' `id` becomes a `WidgetId`, which the report calls
/// breaking (it is: code reading `id` as a `String` stops compiling).
fn report_new_and_removed_operations() {
    let r = report_for(&[(" ## Domain Types", DELETE_WIDGET)]);
    assert_changes(
        &r,
        &[
            (Class::Additive, "new operation `widgets().delete`"),
            (
                Class::Breaking,
                "`Widget`: field `id` is `WidgetId` (was `String`)",
            ),
        ],
    );
    // The reverse: the operation disappears.
    let with = base().replace(" ## Domain Types", DELETE_WIDGET);
    let r = diff(&snapshot_of(&with), &snapshot_of(&base()));
    assert_changes(
        &r,
        &[
            (
                Class::Breaking,
                "operation `widgets().delete` (`DELETE /accounts/{account_id}/widgets/{widget_id}`) removed",
            ),
            (
                Class::Breaking,
                "`Widget`: field `id` is `String` (was `WidgetId`)",
            ),
        ],
    );
    assert!(
        r.changes
            .iter()
            .any(|c| c.removal && c.text.contains("widgets().delete"))
    );
}

#[test]
/// A new optional parameter is a new setter (additive), but while option sets are named after
/// their parameters it also renames the call's option type (`Call<…, ColorOptions>` becomes
/// `Call<…, ColorLimitOptions>`), which breaks code that names the call's type: the report says
/// both, the rename as breaking.
fn report_new_query_parameter_is_a_new_setter_and_renames_the_option_type() {
    let r = report_for(&[(
        "`color: optional string` Only widgets of this color.",
        "`color: optional string` Only widgets of this color. - `limit: optional number` How many.",
    )]);
    assert_changes(
        &r,
        &[
            (
                Class::Additive,
                "`widgets().list`: new optional query parameter `limit`",
            ),
            (
                Class::Breaking,
                "`widgets().list`: the call's option type is `ColorLimitOptions` (was `ColorOptions`)",
            ),
        ],
    );
}

#[test]
fn report_new_resource_is_additive() {
    let gizmos = " # Gizmos ## List Gizmos **get** `/accounts/{account_id}/gizmos` Lists gizmos. ### Path Parameters - `account_id: string` Identifier ### Returns - `errors: array of { code, message }` - `code: number` - `message: string` - `messages: array of { code, message }` - `code: number` - `message: string` - `result: array of { id }` - `id: string` Identifier - `success: true` Whether the API call was successful - `true` ### Example ```http curl https://api.cloudflare.com/client/v4/accounts/$ACCOUNT_ID/gizmos \\ -H \"Authorization: Bearer $CLOUDFLARE_API_TOKEN\" ``` ## Domain Types";
    let r = report_for(&[(" ## Domain Types", gizmos)]);
    let shown = r.render("0.1.0");
    assert!(
        r.changes.iter().any(|c| c.group == "Gizmos"
            && c.class == Class::Additive
            && c.text.contains("gizmos().list")),
        "{shown}"
    );
    assert_eq!(r.worst(), Some(Class::Additive), "{shown}");
    assert!(
        shown.contains("\n  Gizmos\n"),
        "grouped by resource:\n{shown}"
    );
}

#[test]
fn report_description_only_change_is_docs_only() {
    let r = report_for(&[("The widget's name.", "The name the owner gave the widget.")]);
    let shown = r.render("0.1.0");
    assert!(!r.is_empty());
    assert!(r.changes.iter().all(|c| c.class == Class::Docs), "{shown}");
    assert_eq!(r.next_version("0.1.0").as_deref(), Some("0.1.1"));
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
