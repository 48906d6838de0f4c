//! `cargo xtask <command>`: the project's automation, a thin driver over the `codegen` crate.
//!
//! - `cargo xtask ir [--json]`: parse `spec/` and print a summary, or the whole IR as JSON.
//! - `cargo xtask regenerate [--check]`: parse `spec/`, generate the `magic-api` crate's
//!   generated files and write them (or, with `--check`, fail with a diff if any is stale). It
//!   prints the API change report against the committed snapshot (`magic-api/api.json`) and,
//!   when writing, merges it into `CHANGELOG.md` under "Unreleased".
//! - `cargo xtask names`: the naming table: every generated type's reference name, Rust name
//!   and the rule that chose it; aliases; every operation's call path; collisions.
//! - `cargo xtask diff <old> [<new>]`: the same report between two specs, each a spec directory
//!   or a git revision (whose `spec/` is read with `git show`); `<new>` defaults to `spec/`.
//! - `cargo xtask build-times [--runs N] [--cold-runs N] [--against <rev>]`: build-time figures
//!   of the crate (see `build_times.rs`), optionally beside another revision's.
//!
//! The workspace is found at run time, never through a path compiled into this binary: cargo
//! reuses one binary across checkouts that share a target directory.

mod build_times;
mod downstream;

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use codegen::emit::files::{Mode, Outcome, ensure};
use codegen::emit::snapshot::Snapshot;
use codegen::report::{Report, diff, update_changelog};

/// The workspace root of the checkout this command runs in: the directory of the manifest cargo
/// ran (`CARGO_MANIFEST_DIR`, set by `cargo run`) if it is inside a workspace, else the nearest
/// directory above the current one whose `Cargo.toml` declares `[workspace]`.
fn workspace_root() -> Result<PathBuf, String> {
    let is_root = |dir: &Path| {
        std::fs::read_to_string(dir.join("Cargo.toml"))
            .is_ok_and(|text| text.lines().any(|l| l.trim() == "[workspace]"))
    };
    let starts = [
        std::env::var_os("CARGO_MANIFEST_DIR").map(PathBuf::from),
        std::env::current_dir().ok(),
    ];
    for start in starts.into_iter().flatten() {
        if let Some(root) = start.ancestors().find(|d| is_root(d)) {
            return Ok(root.to_path_buf());
        }
    }
    Err("no workspace found: run `cargo xtask` inside the magic-api checkout".to_string())
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let flags: Vec<&str> = args.iter().skip(1).map(String::as_str).collect();
    let result = workspace_root().and_then(|root| {
        match args.first().map(String::as_str) {
        Some("ir") => ir(&root, flags.contains(&"--json")),
        Some("regenerate") => regenerate(&root, flags.contains(&"--check")),
        Some("names") => names(&root),
        Some("downstream") => downstream::run(&root),
        Some("build-times") => {
            build_times::Options::parse(&flags).and_then(|o| build_times::run(&root, &o))
        }
        Some("diff") if !flags.is_empty() => {
            diff_command(&root, flags[0], flags.get(1).copied().unwrap_or("spec"))
        }
        _ => Err(
            "usage: cargo xtask <ir [--json] | regenerate [--check] | names | downstream | diff <old> [<new>] | \
             build-times [--runs N] [--cold-runs N] [--against <rev>]>\n  \
             <old>, <new>: a spec directory or a git revision"
                .to_string(),
        ),
    }
    });
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("{message}");
            ExitCode::FAILURE
        }
    }
}

fn names(root: &Path) -> Result<(), String> {
    let (docs, refinements) =
        codegen::read_spec_dir(&root.join("spec")).map_err(|e| e.to_string())?;
    let (ir, _) = codegen::build_ir(&docs, refinements.as_ref()).map_err(|e| e.to_string())?;
    print!("{}", codegen::emit::names_table(&ir)?);
    Ok(())
}

fn ir(root: &Path, json: bool) -> Result<(), String> {
    let (docs, refinements) =
        codegen::read_spec_dir(&root.join("spec")).map_err(|e| e.to_string())?;
    let (ir, stats) = codegen::build_ir(&docs, refinements.as_ref()).map_err(|e| e.to_string())?;
    if json {
        let text = serde_json::to_string_pretty(&ir).map_err(|e| e.to_string())?;
        println!("{text}");
    } else {
        print!("{}", codegen::ir::summary(&ir, &stats));
    }
    Ok(())
}

/// The whole pipeline on a spec directory: read, build the IR, generate.
fn generate_dir(dir: &Path) -> Result<codegen::emit::Output, String> {
    let (docs, refinements) = codegen::read_spec_dir(dir).map_err(|e| e.to_string())?;
    let (ir, _) = codegen::build_ir(&docs, refinements.as_ref()).map_err(|e| e.to_string())?;
    codegen::generate(&ir)
}

/// The crate's current version, from `magic-api/Cargo.toml`.
fn crate_version(root: &Path) -> String {
    std::fs::read_to_string(root.join("magic-api/Cargo.toml"))
        .ok()
        .and_then(|text| {
            text.lines()
                .find_map(|l| l.trim().strip_prefix("version = ").map(str::to_owned))
        })
        .map(|v| v.trim_matches('"').to_string())
        .unwrap_or_else(|| "0.0.0".to_string())
}

fn regenerate(root: &Path, check: bool) -> Result<(), String> {
    let start = Instant::now();
    let output = generate_dir(&root.join("spec"))?;
    let elapsed = start.elapsed();
    // The committed snapshot, read before anything is written over it.
    let committed = std::fs::read_to_string(root.join(codegen::emit::SNAPSHOT_PATH))
        .ok()
        .map(|text| Snapshot::from_json(&text))
        .transpose()?;
    let mode = if check { Mode::Check } else { Mode::Write };
    let outcomes = ensure(root, &output.files, mode)
        .map_err(|e| format!("cannot write generated files: {e}"))?;
    let lines: usize = output
        .files
        .iter()
        .map(|f| f.contents.lines().count())
        .sum();
    println!(
        "generated {} files, {lines} lines, {} public types in {:.1} ms",
        output.files.len(),
        output.public_types,
        elapsed.as_secs_f64() * 1e3
    );
    for c in &output.collisions {
        println!("  name collision resolved: {c}");
    }
    let mut stale = 0;
    for (path, outcome) in &outcomes {
        match outcome {
            Outcome::Fresh => {}
            Outcome::Written => println!("  wrote {path}"),
            Outcome::Removed => println!("  removed {path}"),
            Outcome::Stale(diff) => {
                stale += 1;
                println!("  STALE {path}\n{diff}");
            }
        }
    }
    match &committed {
        Some(old) => {
            let report = diff(old, &output.snapshot);
            print!("{}", report.render(&crate_version(root)));
            if !check && !report.is_empty() {
                write_changelog(root, &report)?;
            }
        }
        None => println!("no committed API snapshot yet: nothing to compare with"),
    }
    if stale > 0 {
        return Err(format!(
            "{stale} generated file(s) are stale: run `cargo xtask regenerate`"
        ));
    }
    Ok(())
}

fn write_changelog(root: &Path, report: &Report) -> Result<(), String> {
    let path = root.join("CHANGELOG.md");
    let existing = std::fs::read_to_string(&path).ok();
    let updated = update_changelog(existing.as_deref(), report);
    if existing.as_deref() != Some(updated.as_str()) {
        std::fs::write(&path, updated).map_err(|e| format!("cannot write CHANGELOG.md: {e}"))?;
        println!("  updated CHANGELOG.md (Unreleased)");
    }
    Ok(())
}

fn diff_command(root: &Path, old: &str, new: &str) -> Result<(), String> {
    let old = snapshot_of(root, old)?;
    let new = snapshot_of(root, new)?;
    print!("{}", diff(&old, &new).render(&crate_version(root)));
    Ok(())
}

/// The snapshot of a spec given as a directory (relative to the workspace or absolute) or as a
/// git revision of this repository.
fn snapshot_of(root: &Path, spec: &str) -> Result<Snapshot, String> {
    let dir = root.join(spec);
    if dir.is_dir() {
        return Ok(generate_dir(&dir)?.snapshot);
    }
    let checkout = spec_at_revision(root, spec)?;
    let result = generate_dir(&checkout).map(|o| o.snapshot);
    let _ = std::fs::remove_dir_all(&checkout);
    result
}

/// Writes `spec/` as of `revision` into a temporary directory.
fn spec_at_revision(root: &Path, revision: &str) -> Result<PathBuf, String> {
    let git = |args: &[&str]| -> Result<Vec<u8>, String> {
        let out = std::process::Command::new("git")
            .arg("-C")
            .arg(root)
            .args(args)
            .output()
            .map_err(|e| format!("cannot run git: {e}"))?;
        if out.status.success() {
            Ok(out.stdout)
        } else {
            Err(format!(
                "`{revision}` is neither a spec directory nor a git revision with a `spec/`: {}",
                String::from_utf8_lossy(&out.stderr).trim()
            ))
        }
    };
    let listing = git(&["ls-tree", "-r", "--name-only", revision, "--", "spec"])?;
    let files: Vec<String> = String::from_utf8_lossy(&listing)
        .lines()
        .map(str::to_owned)
        .collect();
    if files.is_empty() {
        return Err(format!("revision `{revision}` has no `spec/`"));
    }
    let dir = std::env::temp_dir().join(format!("magic-api-spec-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    for file in files {
        let Some(relative) = file.strip_prefix("spec/") else {
            continue;
        };
        let bytes = git(&["show", &format!("{revision}:{file}")])?;
        let path = dir.join(relative);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|e| e.to_string())?;
        }
        std::fs::write(&path, bytes).map_err(|e| e.to_string())?;
    }
    Ok(dir.join(""))
}
