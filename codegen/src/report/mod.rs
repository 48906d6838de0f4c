//! The change report: what changed between two API snapshots ([`crate::emit::snapshot`]), each
//! change classified for the Rust crate by Rust's semver rules, the version bump they imply, and
//! the `CHANGELOG.md` entries they make.
//!
//! The classes follow Cargo's SemVer compatibility guide as it applies to generated code:
//! - a new operation, type, optional parameter (a setter on the operation's own option type),
//!   enum value or union variant of a `#[non_exhaustive]` enum, field of a `#[non_exhaustive]`
//!   struct, or trait implementation is **additive**;
//! - anything removed or renamed (a type kept its shape under a new name: said once, as a
//!   rename), a changed type, an argument list that changed (a new, removed or retyped required
//!   parameter or body: said once, as the signature, also when the operation's path moved), a
//!   parameter or field whose required-ness changed, a trait the type no longer implements, what
//!   a builder's `build()` needs, or a new field of an exhaustive struct (callers build it with
//!   a literal) is **breaking**;
//! - a change of prose only is **docs-only**.
//!
//! `tests/tests/it/report_compiles.rs` holds the classes to what the compiler says: for a set of
//! reference changes it builds downstream code against the crate before and after, and checks
//! that the report says breaking exactly when some of that code stops compiling.

mod changelog;
mod compare;
mod renames;

use std::collections::BTreeMap;
use std::fmt::Write as _;

pub use changelog::update_changelog;
use compare::{TYPES, operations, types};
use renames::Renames;

use crate::emit::snapshot::Snapshot;

/// How a change affects callers of the crate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Class {
    /// Code that compiled may not compile, or may behave differently.
    Breaking,
    /// New API; existing code keeps compiling.
    Additive,
    /// Documentation only.
    Docs,
}

impl Class {
    /// `breaking`, `additive`, `docs-only`.
    pub fn label(self) -> &'static str {
        match self {
            Class::Breaking => "breaking",
            Class::Additive => "additive",
            Class::Docs => "docs-only",
        }
    }
}

/// One change.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Change {
    /// The resource heading it belongs to, or `Types`.
    pub group: String,
    /// Its class.
    pub class: Class,
    /// What changed, for a maintainer and a changelog reader.
    pub text: String,
    /// True when something was removed (the changelog's `Removed` section).
    pub removal: bool,
}

/// Every change between two snapshots, sorted by group, class and text.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Report {
    /// The changes.
    pub changes: Vec<Change>,
}

/// The changes found so far, and the renamed types they are told with.
struct Collect {
    changes: Vec<Change>,
    renames: Renames,
}

impl Collect {
    fn push(&mut self, group: &str, class: Class, text: String) {
        self.changes.push(Change {
            group: group.to_string(),
            class,
            text,
            removal: false,
        });
    }

    fn removed(&mut self, group: &str, text: String) {
        self.changes.push(Change {
            group: group.to_string(),
            class: Class::Breaking,
            text,
            removal: true,
        });
    }
}

/// Compares two snapshots.
pub fn diff(old: &Snapshot, new: &Snapshot) -> Report {
    let mut c = Collect {
        changes: Vec::new(),
        renames: renames::find(old, new),
    };
    operations(&mut c, old, new);
    types(&mut c, old, new);
    let mut changes = c.changes;
    changes.sort();
    changes.dedup();
    Report { changes }
}

impl Report {
    /// Whether nothing changed.
    pub fn is_empty(&self) -> bool {
        self.changes.is_empty()
    }

    /// The most severe class present.
    pub fn worst(&self) -> Option<Class> {
        self.changes.iter().map(|c| c.class).min()
    }

    /// The version the changes call for, from `current` (`major.minor.patch`): below 1.0 a
    /// breaking change bumps the minor version and anything else the patch; from 1.0 on,
    /// breaking bumps the major, additive the minor, docs-only the patch.
    pub fn next_version(&self, current: &str) -> Option<String> {
        let parts: Vec<u64> = current
            .split('.')
            .map(|p| p.parse().ok())
            .collect::<Option<Vec<u64>>>()?;
        let [major, minor, patch] = parts[..] else {
            return None;
        };
        Some(match (self.worst()?, major) {
            (Class::Breaking, 0) => format!("0.{}.0", minor + 1),
            (_, 0) => format!("0.{minor}.{}", patch + 1),
            (Class::Breaking, _) => format!("{}.0.0", major + 1),
            (Class::Additive, _) => format!("{major}.{}.0", minor + 1),
            (Class::Docs, _) => format!("{major}.{minor}.{}", patch + 1),
        })
    }

    /// The report as printed: grouped by resource (then `Types`), each change with its class,
    /// then the counts and the implied version.
    pub fn render(&self, current_version: &str) -> String {
        if self.is_empty() {
            return "API change report: no change to the public API.\n".to_string();
        }
        let mut out = String::from("API change report:\n");
        let mut groups: BTreeMap<(bool, &str), Vec<&Change>> = BTreeMap::new();
        for c in &self.changes {
            groups
                .entry((c.group == TYPES, &c.group))
                .or_default()
                .push(c);
        }
        for ((_, group), changes) in groups {
            let _ = writeln!(out, "  {group}");
            for c in changes {
                let _ = writeln!(out, "    [{}] {}", c.class.label(), c.text);
            }
        }
        let count = |class| self.changes.iter().filter(|c| c.class == class).count();
        let _ = writeln!(
            out,
            "{} breaking, {} additive, {} docs-only.",
            count(Class::Breaking),
            count(Class::Additive),
            count(Class::Docs)
        );
        if let (Some(worst), Some(next)) = (self.worst(), self.next_version(current_version)) {
            let _ = writeln!(
                out,
                "Implied version: {current_version} -> {next} ({} change).",
                worst.label()
            );
        }
        out
    }

    /// The changelog lines, by Keep a Changelog section.
    pub fn changelog_entries(&self) -> BTreeMap<&'static str, Vec<String>> {
        let mut out: BTreeMap<&'static str, Vec<String>> = BTreeMap::new();
        for c in &self.changes {
            let where_ = if c.group == TYPES {
                String::new()
            } else {
                format!("{}: ", c.group)
            };
            let (section, line) = match (c.class, c.removal) {
                (Class::Breaking, true) => ("Removed", format!("**Breaking:** {where_}{}", c.text)),
                (Class::Breaking, false) => {
                    ("Changed", format!("**Breaking:** {where_}{}", c.text))
                }
                (Class::Additive, _) => ("Added", format!("{where_}{}", c.text)),
                (Class::Docs, _) => ("Changed", format!("Documentation: {where_}{}", c.text)),
            };
            out.entry(section).or_default().push(line);
        }
        out
    }
}

/// The order of Keep a Changelog's sections.
#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions() {
        let breaking = Report {
            changes: vec![Change {
                group: TYPES.into(),
                class: Class::Breaking,
                text: "x".into(),
                removal: false,
            }],
        };
        assert_eq!(breaking.next_version("0.1.3").as_deref(), Some("0.2.0"));
        assert_eq!(breaking.next_version("1.4.3").as_deref(), Some("2.0.0"));
        let mut additive = breaking.clone();
        additive.changes[0].class = Class::Additive;
        assert_eq!(additive.next_version("0.1.3").as_deref(), Some("0.1.4"));
        assert_eq!(additive.next_version("1.4.3").as_deref(), Some("1.5.0"));
        assert_eq!(Report::default().next_version("1.0.0"), None);
    }

    #[test]
    fn changelog_merges_into_unreleased_once() {
        let report = Report {
            changes: vec![Change {
                group: "Apps".into(),
                class: Class::Additive,
                text: "new operation `apps().x`".into(),
                removal: false,
            }],
        };
        let first = update_changelog(None, &report);
        assert!(
            first.contains("## [Unreleased]\n\n### Added\n\n- Apps: new operation `apps().x`\n")
        );
        let again = update_changelog(Some(&first), &report);
        assert_eq!(again, first);
        let released = format!("{first}\n## [0.1.0] - 2026-11-01\n\n### Added\n\n- Everything\n");
        let merged = update_changelog(Some(&released), &report);
        assert!(merged.contains("## [0.1.0] - 2026-11-01"), "{merged}");
        assert_eq!(merged.matches("new operation").count(), 1, "{merged}");
        // Hand-written text in Unreleased survives: notes, continuation lines, nested bullets.
        let written = "# Changelog\n\n## [Unreleased]\n\nA note first.\n\n### Changed\n\n- A change\n  that wraps.\n  - and a detail\n";
        let merged = update_changelog(Some(written), &report);
        for kept in [
            "A note first.",
            "  that wraps.",
            "  - and a detail",
            "- A change",
        ] {
            assert!(merged.contains(kept), "`{kept}` was dropped:\n{merged}");
        }
        assert!(
            merged.find("### Added").unwrap() < merged.find("### Changed").unwrap(),
            "{merged}"
        );
        assert_eq!(update_changelog(Some(&merged), &report), merged);
    }
}
