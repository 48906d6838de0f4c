//! `cargo xtask downstream`: the published crates as a user gets them. Packages the six
//! publishable crates (`cargo package`, verification included: each builds on its own from its
//! tarball), then builds a crate outside this workspace that depends on them by version, with
//! `[patch.crates-io]` pointing at the unpacked packages (in `target/package-verify/package`). Its two programs
//! are the README's client example and its mock example, copied from README.md; the mock
//! example is also run. Resolved without a lockfile, that crate builds against the newest
//! compatible versions of everything, with warnings denied.
//!
//! Then the other end of the claimed ranges: the packaged crates, as a workspace of their own in
//! `target/minimal-versions`, resolved with `-Z direct-minimal-versions` (through
//! `RUSTC_BOOTSTRAP=1`: the flag is unstable) so each direct dependency is the lowest version
//! its manifest allows, must build.

use std::path::Path;
use std::process::Command;

/// The publishable crates, in dependency order.
pub const PUBLISHED: [&str; 6] = [
    "magic-api-key-hash",
    "magic-api-model",
    "magic-api-runtime",
    "magic-api-macros",
    "magic-api",
    "magic-api-mock",
];

/// Runs the check.
pub fn run(root: &Path) -> Result<(), String> {
    let version = package_version(&root.join("magic-api/Cargo.toml"))?;
    let version = version.as_str();
    // A fresh start: Cargo would otherwise reuse an earlier run's packages of the same version.
    forget_extracted(version);
    // Verified in a target directory of its own: Cargo treats registry packages as immutable,
    // so artifacts built from an earlier run's packages of the same version would be reused.
    let verify_target = root.join("target/package-verify");
    let _ = std::fs::remove_dir_all(&verify_target);
    let mut package = Command::new(env!("CARGO"));
    package
        .current_dir(root)
        .arg("package")
        .arg("--target-dir")
        .arg(&verify_target);
    for name in PUBLISHED {
        package.args(["-p", name]);
    }
    status(&mut package, "cargo package")?;

    let readme =
        std::fs::read_to_string(root.join("README.md")).map_err(|e| format!("README.md: {e}"))?;
    let blocks = rust_blocks(&readme);
    let client = blocks
        .iter()
        .find(|b| b.contains("Client::from_env()"))
        .ok_or("README.md has no client example (a rust block calling Client::from_env())")?;
    let mock = blocks
        .iter()
        .find(|b| b.contains("MockServer::start()"))
        .ok_or("README.md has no mock example (a rust block calling MockServer::start())")?;

    let dir = root.join("target/downstream");
    let packages = verify_target.join("package");
    let patch: String = PUBLISHED
        .iter()
        .map(|name| {
            let path = packages.join(format!("{name}-{version}"));
            format!("{name} = {{ path = {:?} }}\n", path.display().to_string())
        })
        .collect();
    let manifest = format!(
        "[package]\nname = \"downstream\"\nversion = \"0.0.0\"\nedition = \"2024\"\npublish = false\n\n\
         # Not a member of the magic-api workspace.\n[workspace]\n\n\
         [dependencies]\nmagic-api = \"{version}\"\nmagic-api-mock = \"{version}\"\n\
         tokio = {{ version = \"1\", features = [\"rt\", \"macros\"] }}\nfutures-util = \"0.3\"\n\n\
         [patch.crates-io]\n{patch}"
    );
    write(&dir.join("Cargo.toml"), &manifest)?;
    write(&dir.join("src/bin/client.rs"), client)?;
    write(&dir.join("src/bin/mock.rs"), mock)?;
    write(
        &dir.join("src/lib.rs"),
        "//! The README's examples, as a user builds them.\n",
    )?;

    let cargo = |args: &[&str]| {
        let mut c = Command::new(env!("CARGO"));
        c.current_dir(&dir)
            .args(args)
            .env("CARGO_TARGET_DIR", dir.join("target"))
            .env("RUSTFLAGS", "-D warnings");
        c
    };
    status(&mut cargo(&["build", "--bins"]), "cargo build (downstream)")?;
    status(
        &mut cargo(&["run", "--bin", "mock"]),
        "the README's mock example",
    )?;
    println!("downstream: the packaged crates build outside the workspace; the mock example ran");
    minimal_versions(root, &packages, version)?;
    println!("downstream: the packaged crates build with the lowest versions they claim");
    Ok(())
}

/// Removes Cargo's extracted copies of this version of the published crates. `cargo package`
/// verifies a crate against its siblings through a temporary registry standing in for
/// crates.io, and Cargo extracts those sibling packages into its registry cache under their
/// name and version, where an earlier run's copy would be used instead of this run's. (The
/// version is not on crates.io; were it, this only costs a download.)
fn forget_extracted(version: &str) {
    let home = std::env::var_os("CARGO_HOME")
        .map(std::path::PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| Path::new(&h).join(".cargo")));
    let Some(home) = home else { return };
    for kind in ["src", "cache"] {
        let Ok(registries) = std::fs::read_dir(home.join("registry").join(kind)) else {
            continue;
        };
        for registry in registries.flatten() {
            for name in PUBLISHED {
                let dir = registry.path().join(format!("{name}-{version}"));
                let _ = std::fs::remove_dir_all(&dir);
                let _ =
                    std::fs::remove_file(registry.path().join(format!("{name}-{version}.crate")));
            }
        }
    }
}

/// Builds the packaged crates with every direct dependency at the lowest version allowed.
fn minimal_versions(root: &Path, packages: &Path, version: &str) -> Result<(), String> {
    let dir = root.join("target/minimal-versions");
    let mut members = Vec::new();
    let mut patch = String::new();
    for name in PUBLISHED {
        let unpacked = format!("{name}-{version}");
        copy_dir(&packages.join(&unpacked), &dir.join(&unpacked))?;
        members.push(format!("{unpacked:?}"));
        patch.push_str(&format!("{name} = {{ path = {unpacked:?} }}\n"));
    }
    let manifest = format!(
        "[workspace]\nresolver = \"3\"\nmembers = [{}]\n\n[patch.crates-io]\n{patch}",
        members.join(", ")
    );
    write(&dir.join("Cargo.toml"), &manifest)?;
    let _ = std::fs::remove_file(dir.join("Cargo.lock"));
    let cargo = |args: &[&str]| {
        let mut c = Command::new(env!("CARGO"));
        c.current_dir(&dir)
            .args(args)
            .env("CARGO_TARGET_DIR", dir.join("target"))
            .env("RUSTC_BOOTSTRAP", "1");
        c
    };
    status(
        &mut cargo(&["update", "-Z", "direct-minimal-versions"]),
        "cargo update -Z direct-minimal-versions",
    )?;
    // Every feature too: each crate must declare what its optional parts use.
    status(
        &mut cargo(&["build", "--workspace", "--all-features"]),
        "cargo build (minimal versions, all features)",
    )
}

/// Copies a directory tree (files and folders only; packaged crates hold nothing else).
fn copy_dir(from: &Path, to: &Path) -> Result<(), String> {
    let _ = std::fs::remove_dir_all(to);
    std::fs::create_dir_all(to).map_err(|e| format!("{}: {e}", to.display()))?;
    let entries = std::fs::read_dir(from).map_err(|e| format!("{}: {e}", from.display()))?;
    for entry in entries {
        let entry = entry.map_err(|e| format!("{}: {e}", from.display()))?;
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            copy_dir(&entry.path(), &target)?;
        } else {
            std::fs::copy(entry.path(), &target)
                .map_err(|e| format!("{}: {e}", entry.path().display()))?;
        }
    }
    Ok(())
}

/// The bodies of the ```` ```rust ```` blocks of a Markdown text, in order.
fn rust_blocks(markdown: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current: Option<String> = None;
    for line in markdown.lines() {
        match &mut current {
            None if line.starts_with("```rust") => current = Some(String::new()),
            Some(_) if line.starts_with("```") => out.extend(current.take()),
            Some(block) => {
                block.push_str(line);
                block.push('\n');
            }
            None => {}
        }
    }
    out
}

/// The `version` of a manifest's `[package]` (its first `version = "…"` line).
fn package_version(manifest: &Path) -> Result<String, String> {
    let text =
        std::fs::read_to_string(manifest).map_err(|e| format!("{}: {e}", manifest.display()))?;
    text.lines()
        .find_map(|l| l.strip_prefix("version = \"")?.strip_suffix('"'))
        .map(str::to_owned)
        .ok_or_else(|| format!("{}: no `version = \"…\"` line", manifest.display()))
}

fn write(path: &Path, text: &str) -> Result<(), String> {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(|e| format!("{}: {e}", parent.display()))?;
    }
    std::fs::write(path, text).map_err(|e| format!("{}: {e}", path.display()))
}

fn status(command: &mut Command, what: &str) -> Result<(), String> {
    let status = command
        .status()
        .map_err(|e| format!("{what} does not start: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("{what} failed ({status})"))
    }
}
