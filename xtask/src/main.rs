//! `cargo xtask <command>`: the project's automation, a thin driver over the `codegen` crate.
//!
//! - `cargo xtask ir [--json]`: parse `spec/` and print a summary, or the whole IR as JSON.
//! - `cargo xtask regenerate [--check]`: parse `spec/`, generate the `magic-api` crate's
//!   generated files and write them (or, with `--check`, fail with a diff if any is stale).

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use codegen::emit::files::{Mode, Outcome, ensure};

fn workspace_root() -> PathBuf {
    let manifest = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    manifest.parent().map(PathBuf::from).unwrap_or(manifest)
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let flags: Vec<&str> = args.iter().skip(1).map(String::as_str).collect();
    let root = workspace_root();
    let result = match args.first().map(String::as_str) {
        Some("ir") => ir(&root, flags.contains(&"--json")),
        Some("regenerate") => regenerate(&root, flags.contains(&"--check")),
        _ => Err("usage: cargo xtask <ir [--json] | regenerate [--check]>".to_string()),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("{message}");
            ExitCode::FAILURE
        }
    }
}

fn ir(root: &Path, json: bool) -> Result<(), String> {
    let (ir, stats) = codegen::parse_dir(&root.join("spec")).map_err(|e| e.to_string())?;
    if json {
        let text = serde_json::to_string_pretty(&ir).map_err(|e| e.to_string())?;
        println!("{text}");
    } else {
        print!("{}", codegen::ir::summary(&ir, &stats));
    }
    Ok(())
}

fn regenerate(root: &Path, check: bool) -> Result<(), String> {
    let start = Instant::now();
    let output = codegen::generate(&root.join("spec"))?;
    let elapsed = start.elapsed();
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
    if stale > 0 {
        return Err(format!(
            "{stale} generated file(s) are stale: run `cargo xtask regenerate`"
        ));
    }
    Ok(())
}
