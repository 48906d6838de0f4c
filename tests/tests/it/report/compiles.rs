//! The report's classes held to the compiler: for each change to the small reference
//! (`tests/report/base.md`), the crate is generated before and after into a scratch workspace
//! under `target/report-compiles/`, the same downstream snippets are checked against both, and
//! the report must say breaking exactly when some snippet that compiled before stops compiling.
//!
//! One scratch workspace holds every version of the crate met (a copy of `magic-api` with that
//! version's generated files, named `magic-api-vN`) and, beside each, one crate of snippets, a
//! module per snippet; one `cargo check --keep-going` builds them all, and which snippets fail is
//! read from the diagnostics (the module file each error points at). Files are rewritten only
//! when their text changes and the target directory is kept, so a second run checks only what
//! changed.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

use super::classes::*;
use super::{edited, manifest_dir, output_with};
use codegen::report::{Class, diff};

/// Downstream code written against the small reference's crate, a module each. A snippet that
/// does not compile against a case's old crate says nothing about that case (several use what
/// only some versions have, so that removing it is tested too).
const SNIPPETS: &[(&str, &str)] = &[
    (
        "calls_and_awaits",
        "pub async fn run(c: &Client, a: &AccountId, w: &WidgetId) -> Result<(), Error> {
            let _: Vec<Widget> = c.widgets().list(a).color(\"red\").await?;
            let body = WidgetCreateRequest::builder().name(\"w\").build();
            let _: Widget = c.widgets().create(a, &body).await?;
            let _: Vec<WidgetEventsResult> = c.widgets().events(a, w).await?;
            Ok(())
        }",
    ),
    (
        "names_the_calls_types",
        "pub fn list<'a>(c: &'a Client, a: &AccountId) -> Call<'a, Json<Vec<Widget>>, WidgetsListOptions> {
            c.widgets().list(a)
        }
        pub fn create<'a>(c: &'a Client, a: &AccountId, b: &WidgetCreateRequest)
            -> Call<'a, Json<Widget>, WidgetsCreateOptions> {
            c.widgets().create(a, b)
        }
        pub fn events<'a>(c: &'a Client, a: &AccountId, w: &WidgetId)
            -> Call<'a, Json<Vec<WidgetEventsResult>>, WidgetsEventsOptions> {
            c.widgets().events(a, w)
        }",
    ),
    (
        "builds_the_body",
        "pub fn body() -> WidgetCreateRequest {
            WidgetCreateRequest::builder().name(\"w\").size(WidgetSize::Small).build()
        }",
    ),
    (
        "body_literal",
        "pub fn body() -> WidgetCreateRequest {
            WidgetCreateRequest { name: \"w\".to_string(), size: None, extra: Default::default() }
        }",
    ),
    (
        "body_by_default",
        "pub fn body() -> WidgetCreateRequest {
            WidgetCreateRequest { size: Some(WidgetSize::Large), ..Default::default() }
        }",
    ),
    (
        "reads_a_widget",
        "pub fn read(w: &Widget) -> (&String, Option<&String>, Option<&WidgetSize>) {
            (&w.id, w.name.as_ref(), w.size.as_ref())
        }",
    ),
    (
        "reads_an_optional_id",
        "pub fn read(w: &Widget) -> Option<&String> { w.id.as_ref() }",
    ),
    (
        "received_types_by_default",
        "pub fn widget() -> Widget { let mut w = Widget::default(); w.name = None; w }",
    ),
    (
        "matches_a_size",
        "pub fn size(s: &WidgetSize) -> u8 {
            match s { WidgetSize::Small => 1, WidgetSize::Large => 2, _ => 0 }
        }",
    ),
    (
        "matches_huge",
        "pub fn huge(s: &WidgetSize) -> bool { matches!(s, WidgetSize::Huge) }",
    ),
    (
        "matches_an_event",
        "pub fn kind(e: &WidgetEventsResult) -> u8 {
            match &e.e { WidgetEventsE::Init(_) => 1, WidgetEventsE::Leave(_) => 2, _ => 0 }
        }",
    ),
    (
        "matches_reboot",
        "pub fn reboot(e: &WidgetEventsE) -> bool { matches!(e, WidgetEventsE::Reboot(_)) }",
    ),
    (
        "decodes_from_json",
        "pub fn decode() -> serde_json::Result<(Widget, Vec<WidgetEventsResult>)> {
            Ok((
                serde_json::from_value(serde_json::json!({ \"id\": \"w1\" }))?,
                serde_json::from_value(serde_json::json!([{ \"e\": { \"k\": \"Init\" }, \"n\": 1 }]))?,
            ))
        }",
    ),
    (
        "uses_traits",
        "fn data<T: Clone + std::fmt::Debug + PartialEq + serde::Serialize + serde::de::DeserializeOwned>() {}
        pub fn all() {
            data::<Widget>();
            data::<WidgetCreateRequest>();
            data::<WidgetSize>();
            data::<WidgetEventsE>();
            data::<WidgetEventsResult>();
        }",
    ),
    (
        "sets_a_limit",
        "pub fn list<'a>(c: &'a Client, a: &AccountId) -> Call<'a, Json<Vec<Widget>>, WidgetsListOptions> {
            c.widgets().list(a).limit(5_i64)
        }",
    ),
    (
        "events_in_a_zone",
        "pub fn events<'a>(c: &'a Client, a: &AccountId, w: &WidgetId)
            -> Call<'a, Json<Vec<WidgetEventsResult>>, WidgetsEventsOptions> {
            c.widgets().events(a, w, &Zone::from(\"z\"))
        }",
    ),
    (
        "lists_gizmos",
        "pub async fn run(c: &Client, a: &AccountId) -> Result<(), Error> {
            let _ = c.gizmos().list(a).await?;
            Ok(())
        }",
    ),
];

/// What every snippet module starts with.
const PRELUDE: &str =
    "#![allow(unused)]\nuse magic_api::options::*;\nuse magic_api::types::*;\nuse magic_api::*;\n";

type Edits = Vec<(&'static str, String)>;

/// One change: the reference before and after (each `base()` with edits), and the class the
/// change has for callers.
struct Case {
    name: &'static str,
    old: Edits,
    new: Edits,
    /// The refinements of the new version (the old one has none).
    new_refinements: &'static str,
    breaking: bool,
}

fn edits(list: &[(&'static str, &str)]) -> Edits {
    list.iter().map(|(f, t)| (*f, t.to_string())).collect()
}

/// The changes: the five, then one of each kind.
fn cases() -> Vec<Case> {
    let case = |name, old: &[(&'static str, &str)], new: &[(&'static str, &str)], breaking| Case {
        name,
        old: edits(old),
        new: edits(new),
        new_refinements: "",
        breaking,
    };
    let huge = [
        (
            "\"small\" or \"large\"`",
            "\"small\" or \"large\" or \"huge\"`",
        ),
        ("- `\"large\"`", "- `\"large\"` - `\"huge\"`"),
    ];
    let reboot = [
        ("`e: { k } or { k }`", "`e: { k } or { k } or { k }`"),
        (
            "Stopped - `\"Leave\"`",
            "Stopped - `\"Leave\"` - `Reboot { k }` - `k: \"Reboot\"` Rebooted - `\"Reboot\"`",
        ),
    ];
    let gizmos = [(" ## Domain Types", GIZMOS)];
    let widget_owner = [
        WIDGET_ALL_OPTIONAL,
        WIDGET_FIRST_REQUIRED[0],
        WIDGET_FIRST_REQUIRED[1],
    ];
    vec![
        case(
            "new optional query parameter",
            &[],
            &[NEW_QUERY_PARAMETER],
            false,
        ),
        case(
            "first optional parameter",
            &[],
            &[FIRST_OPTIONAL_PARAMETER],
            false,
        ),
        case(
            "first required field of a received type",
            &[WIDGET_ALL_OPTIONAL],
            &widget_owner,
            false,
        ),
        case(
            "new required path parameter",
            &[],
            &NEW_PATH_PARAMETER,
            true,
        ),
        case("type renamed", &[], &RENAMED_TYPE, true),
        Case {
            new_refinements: KEPT_NAMES,
            ..case("type renamed, old names kept", &[], &RENAMED_TYPE, false)
        },
        case("query parameter removed", &[NEW_QUERY_PARAMETER], &[], true),
        case("path parameter removed", &NEW_PATH_PARAMETER, &[], true),
        case(
            "optional field added to a response",
            &[],
            &NEW_RESPONSE_FIELD,
            false,
        ),
        case(
            "field removed from a response",
            &[],
            &REMOVED_RESPONSE_FIELD,
            true,
        ),
        case(
            "response field retyped",
            &[],
            &[RETYPED_RESPONSE_FIELD],
            true,
        ),
        case(
            "response field made required",
            &[],
            &[RESPONSE_FIELD_REQUIRED],
            true,
        ),
        case(
            "response field made optional",
            &[],
            &[WIDGET_ALL_OPTIONAL],
            true,
        ),
        case(
            "required field added to a request",
            &[],
            &NEW_REQUIRED_BODY_FIELD,
            true,
        ),
        case(
            "optional field added to a request",
            &[],
            &[NEW_OPTIONAL_BODY_FIELD],
            true,
        ),
        case(
            "request field made optional",
            &[],
            &[BODY_ALL_OPTIONAL],
            true,
        ),
        case(
            "request field made required",
            &[BODY_ALL_OPTIONAL],
            &[],
            true,
        ),
        case("enum value added", &[], &huge, false),
        case("enum value removed", &huge, &[], true),
        case("union form added", &[], &reboot, false),
        case("union form removed", &reboot, &[], true),
        case("operations added", &[], &gizmos, false),
        case("operations removed", &gizmos, &[], true),
        case("description changed", &[], &[DESCRIPTION_CHANGED], false),
    ]
}

/// The reference text of `base()` with these edits.
fn reference(list: &Edits) -> String {
    let refs: Vec<(&str, &str)> = list.iter().map(|(f, t)| (*f, t.as_str())).collect();
    edited(&refs)
}

#[test]
#[ignore = "slow: generates ~25 versions of a small crate and checks downstream code against each with cargo; CI runs it"]
fn the_report_says_breaking_exactly_when_downstream_code_stops_compiling() {
    let cases = cases();
    // Every distinct reference (with its refinements) is one version of the crate.
    let mut versions: Vec<(String, &str)> = Vec::new();
    let mut version_of =
        |text: (String, &'static str)| match versions.iter().position(|v| *v == text) {
            Some(i) => i,
            None => {
                versions.push(text);
                versions.len() - 1
            }
        };
    let pairs: Vec<(usize, usize)> = cases
        .iter()
        .map(|c| {
            let old = version_of((reference(&c.old), ""));
            (old, version_of((reference(&c.new), c.new_refinements)))
        })
        .collect();
    let outputs: Vec<codegen::emit::Output> = versions
        .iter()
        .map(|(text, refinements)| output_with(text, refinements))
        .collect();
    let scratch = Scratch::new();
    for (i, output) in outputs.iter().enumerate() {
        scratch.write_version(i, output);
    }
    scratch.remove_versions_from(outputs.len());
    let failing = scratch.check(outputs.len());

    let all: BTreeSet<&str> = SNIPPETS.iter().map(|(name, _)| *name).collect();
    let mut problems = Vec::new();
    let mut table = String::new();
    for (case, &(old, new)) in cases.iter().zip(&pairs) {
        let report = diff(&outputs[old].snapshot, &outputs[new].snapshot);
        let said_breaking = report.worst() == Some(Class::Breaking);
        let compiled_before: BTreeSet<&str> = all
            .iter()
            .copied()
            .filter(|s| !failing[old].contains(*s))
            .collect();
        let broken: Vec<&str> = compiled_before
            .iter()
            .copied()
            .filter(|s| failing[new].contains(*s))
            .collect();
        table.push_str(&format!(
            "{}: report {:?}, snippets broken {broken:?} (of {} that compiled before)\n",
            case.name,
            report.worst(),
            compiled_before.len()
        ));
        if said_breaking == broken.is_empty() || said_breaking != case.breaking {
            problems.push(format!(
                "{}: the report says {}, {} snippets stopped compiling {broken:?}, expected {}:\n{}",
                case.name,
                if said_breaking { "breaking" } else { "not breaking" },
                broken.len(),
                if case.breaking { "breaking" } else { "not breaking" },
                report.render("0.1.0")
            ));
        }
    }
    // Issue 21's first miss, by construction: no received type has `Default` in any version.
    for (i, fails) in failing.iter().enumerate() {
        if !fails.contains("received_types_by_default") {
            problems.push(format!("version {i}: a received type implements `Default`"));
        }
    }
    assert!(problems.is_empty(), "{table}\n{}", problems.join("\n\n"));
    println!("{table}");
}

/// The scratch workspace under `target/report-compiles/`.
struct Scratch {
    repo: PathBuf,
    root: PathBuf,
}

impl Scratch {
    fn new() -> Scratch {
        let repo = manifest_dir()
            .join("..")
            .canonicalize()
            .expect("the workspace root");
        let root = repo.join("target/report-compiles");
        // The workspace: the repository's root manifest (its shared package fields, dependency
        // versions and profiles) with these members, and its lock file, so that `--offline`
        // finds every dependency at the version the repository builds.
        let manifest = std::fs::read_to_string(repo.join("Cargo.toml")).expect("Cargo.toml");
        let manifest: String = manifest
            .lines()
            .filter(|l| !l.starts_with("exclude"))
            .map(|l| {
                if l.starts_with("members") {
                    "members = [\"v*/magic-api\", \"v*/snippets\"]".to_string()
                } else {
                    l.to_string()
                }
            })
            .map(|l| l + "\n")
            .collect();
        write_if_changed(&root.join("Cargo.toml"), &manifest);
        // Copied every run (cargo adds the members again), so a dependency the repository
        // gained is there too.
        std::fs::copy(repo.join("Cargo.lock"), root.join("Cargo.lock")).expect("lock file");
        Scratch { repo, root }
    }

    fn version_dir(&self, i: usize) -> PathBuf {
        self.root.join(format!("v{i}"))
    }

    /// Version `i`: a copy of `magic-api` with its generated files, and the snippets crate.
    fn write_version(&self, i: usize, output: &codegen::emit::Output) {
        let crate_dir = self.version_dir(i).join("magic-api");
        let source = self.repo.join("magic-api");
        for dir in ["src", "benches"] {
            copy_tree(&source.join(dir), &crate_dir.join(dir));
        }
        for file in ["README.md", "LICENSE-MIT", "LICENSE-APACHE"] {
            let text = std::fs::read_to_string(source.join(file)).unwrap_or_default();
            write_if_changed(&crate_dir.join(file), &text);
        }
        for f in &output.files {
            if let Some(rest) = f.path.strip_prefix("magic-api/src/generated/") {
                write_if_changed(&crate_dir.join("src/generated").join(rest), &f.contents);
            }
        }
        let manifest = std::fs::read_to_string(source.join("Cargo.toml")).expect("manifest");
        let runtime = source.join("runtime");
        let macros = source.join("macros");
        let manifest = manifest
            .replacen(
                "name = \"magic-api\"",
                &format!("name = \"magic-api-v{i}\""),
                1,
            )
            .replace(
                "path = \"runtime\"",
                &format!("path = {:?}", runtime.display().to_string()),
            )
            .replace(
                "path = \"macros\"",
                &format!("path = {:?}", macros.display().to_string()),
            );
        write_if_changed(&crate_dir.join("Cargo.toml"), &manifest);

        let snippets = self.version_dir(i).join("snippets");
        write_if_changed(
            &snippets.join("Cargo.toml"),
            &format!(
                "[package]\nname = \"snippets-v{i}\"\nversion = \"0.0.0\"\nedition.workspace = true\npublish = false\n\n\
                 [dependencies]\nmagic_api = {{ package = \"magic-api-v{i}\", path = \"../magic-api\", default-features = false }}\n\
                 serde.workspace = true\nserde_json.workspace = true\n"
            ),
        );
        let mut lib = String::from("//! Downstream code, a module per snippet.\n");
        for (name, code) in SNIPPETS {
            lib.push_str(&format!("mod {name};\n"));
            write_if_changed(
                &snippets.join(format!("src/{name}.rs")),
                &format!("{PRELUDE}\n{code}\n"),
            );
        }
        write_if_changed(&snippets.join("src/lib.rs"), &lib);
    }

    /// Removes the versions a previous run had beyond `count`.
    fn remove_versions_from(&self, count: usize) {
        let mut i = count;
        while self.version_dir(i).exists() {
            std::fs::remove_dir_all(self.version_dir(i)).expect("an old version removed");
            i += 1;
        }
    }

    /// Checks every snippets crate; per version, the snippets that do not compile.
    fn check(&self, count: usize) -> Vec<BTreeSet<String>> {
        let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
        let mut command = Command::new(cargo);
        command
            .args([
                "check",
                "--offline",
                "--keep-going",
                "--message-format=json",
            ])
            .current_dir(&self.root)
            .env("CARGO_TARGET_DIR", self.root.join("target"))
            .env_remove("CARGO_MANIFEST_DIR")
            .env_remove("RUSTFLAGS");
        for i in 0..count {
            command.args(["-p", &format!("snippets-v{i}")]);
        }
        let out = command.output().expect("cargo runs");
        let mut failing = vec![BTreeSet::new(); count];
        let mut crate_errors = Vec::new();
        for line in String::from_utf8_lossy(&out.stdout).lines() {
            let Ok(message) = serde_json::from_str::<serde_json::Value>(line) else {
                continue;
            };
            if message["reason"] != "compiler-message" || message["message"]["level"] != "error" {
                continue;
            }
            let src = message["target"]["src_path"].as_str().unwrap_or_default();
            let Some(version) = version_of_path(src) else {
                continue;
            };
            let rendered = message["message"]["rendered"].as_str().unwrap_or_default();
            if !src.contains("/snippets/") {
                crate_errors.push(format!("v{version}: {rendered}"));
                continue;
            }
            let spans = message["message"]["spans"]
                .as_array()
                .cloned()
                .unwrap_or_default();
            for span in spans.iter().filter(|s| s["is_primary"] == true) {
                let file = span["file_name"].as_str().unwrap_or_default();
                if let Some(stem) = Path::new(file).file_stem().and_then(|s| s.to_str()) {
                    if let Some(f) = failing.get_mut(version) {
                        f.insert(stem.to_string());
                    }
                }
            }
        }
        assert!(
            crate_errors.is_empty(),
            "a generated crate does not compile:\n{}",
            crate_errors.join("\n")
        );
        let failed_somewhere = failing.iter().any(|f| !f.is_empty());
        assert!(
            out.status.success() || failed_somewhere,
            "cargo check failed without a snippet's error:\n{}",
            String::from_utf8_lossy(&out.stderr)
        );
        failing
    }
}

/// The version a source path belongs to (`…/report-compiles/v3/snippets/src/lib.rs` is 3).
fn version_of_path(path: &str) -> Option<usize> {
    let (_, rest) = path.split_once("report-compiles/v")?;
    rest.split('/').next()?.parse().ok()
}

/// Writes `text` unless the file already holds it (cargo then sees nothing new).
fn write_if_changed(path: &Path, text: &str) {
    if std::fs::read_to_string(path).is_ok_and(|old| old == text) {
        return;
    }
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).expect("a scratch directory");
    }
    std::fs::write(path, text).expect("a scratch file");
}

/// Copies a directory's text files, each only if changed; not `generated/`, which each version
/// writes itself.
fn copy_tree(from: &Path, to: &Path) {
    for entry in std::fs::read_dir(from)
        .expect("a source directory")
        .flatten()
    {
        let path = entry.path();
        if entry.file_name() == "generated" {
            continue;
        }
        if path.is_dir() {
            copy_tree(&path, &to.join(entry.file_name()));
        } else {
            let text = std::fs::read_to_string(&path).expect("a source file");
            write_if_changed(&to.join(entry.file_name()), &text);
        }
    }
}

#[test]
fn paths_name_their_version() {
    assert_eq!(
        version_of_path("/w/target/report-compiles/v12/snippets/src/lib.rs"),
        Some(12)
    );
    assert_eq!(version_of_path("/w/magic-api/src/lib.rs"), None);
}

#[test]
/// Every case's references are valid and differ, and each class is represented.
fn the_cases_are_changes() {
    let cases = cases();
    assert!(cases.len() >= 22, "{} cases", cases.len());
    for c in &cases {
        assert_ne!(reference(&c.old), reference(&c.new), "{}", c.name);
    }
    assert!(cases.iter().any(|c| c.breaking) && cases.iter().any(|c| !c.breaking));
}
