//! Makes generated files exist with exactly the generated contents: one function used both by
//! `cargo xtask regenerate [--check]` and by the staleness test.

use std::path::Path;

use super::{GENERATED_DIR, GeneratedFile};

/// Write the files, or only compare them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Write files that differ, remove generated files that are no longer produced.
    Write,
    /// Change nothing; report differences.
    Check,
}

/// What happened to one file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// Already up to date.
    Fresh,
    /// Written (Write mode).
    Written,
    /// Removed because generation no longer produces it (Write mode).
    Removed,
    /// Differs (Check mode), with a readable diff.
    Stale(String),
}

/// Ensures every generated file under `root` matches `files`; returns one outcome per path.
pub fn ensure(
    root: &Path,
    files: &[GeneratedFile],
    mode: Mode,
) -> std::io::Result<Vec<(String, Outcome)>> {
    let mut out = Vec::new();
    for f in files {
        let path = root.join(&f.path);
        let current = std::fs::read_to_string(&path).ok();
        let outcome = match (current.as_deref(), mode) {
            (Some(c), _) if c == f.contents => Outcome::Fresh,
            (_, Mode::Write) => {
                if let Some(dir) = path.parent() {
                    std::fs::create_dir_all(dir)?;
                }
                std::fs::write(&path, &f.contents)?;
                Outcome::Written
            }
            (current, Mode::Check) => Outcome::Stale(diff(current.unwrap_or(""), &f.contents)),
        };
        out.push((f.path.clone(), outcome));
    }
    let dir = root.join(GENERATED_DIR);
    let mut existing = Vec::new();
    collect_rs(&dir, &mut existing)?;
    existing.sort();
    for path in existing {
        let rel = path
            .strip_prefix(root)
            .map(|p| {
                p.components()
                    .map(|c| c.as_os_str().to_string_lossy())
                    .collect::<Vec<_>>()
                    .join("/")
            })
            .unwrap_or_default();
        if files.iter().any(|f| f.path == rel) {
            continue;
        }
        let outcome = match mode {
            Mode::Write => {
                std::fs::remove_file(&path)?;
                Outcome::Removed
            }
            Mode::Check => Outcome::Stale("this file is no longer generated".into()),
        };
        out.push((rel, outcome));
    }
    Ok(out)
}

fn collect_rs(dir: &Path, out: &mut Vec<std::path::PathBuf>) -> std::io::Result<()> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Ok(());
    };
    for entry in entries {
        let path = entry?.path();
        if path.is_dir() {
            collect_rs(&path, out)?;
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
    Ok(())
}

/// A readable diff: the changed region between the common first and last lines, with three lines
/// of context, at most 60 lines of each side.
pub fn diff(old: &str, new: &str) -> String {
    let a: Vec<&str> = old.lines().collect();
    let b: Vec<&str> = new.lines().collect();
    let prefix = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let suffix = a[prefix..]
        .iter()
        .rev()
        .zip(b[prefix..].iter().rev())
        .take_while(|(x, y)| x == y)
        .count();
    let start = prefix.saturating_sub(3);
    let mut out = format!("@@ line {} @@\n", prefix + 1);
    for line in &a[start..prefix] {
        out.push_str(&format!("  {line}\n"));
    }
    let removed = &a[prefix..a.len() - suffix];
    let added = &b[prefix..b.len() - suffix];
    for line in removed.iter().take(60) {
        out.push_str(&format!("- {line}\n"));
    }
    if removed.len() > 60 {
        out.push_str(&format!("- … {} more removed lines\n", removed.len() - 60));
    }
    for line in added.iter().take(60) {
        out.push_str(&format!("+ {line}\n"));
    }
    if added.len() > 60 {
        out.push_str(&format!("+ … {} more added lines\n", added.len() - 60));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn diff_shows_the_changed_region() {
        let d = diff("a\nb\nc\nd\n", "a\nb\nX\nd\n");
        assert!(
            d.contains("- c") && d.contains("+ X") && d.contains("  b"),
            "{d}"
        );
    }
}
