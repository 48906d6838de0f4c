//! The change report: what changed between two API snapshots ([`crate::emit::snapshot`]), each
//! change classified for the Rust crate by Rust's semver rules, the version bump they imply, and
//! the `CHANGELOG.md` entries they make.
//!
//! The classes follow Cargo's SemVer compatibility guide as it applies to generated code:
//! - a new operation, type, optional parameter (a setter), enum value or union variant of a
//!   `#[non_exhaustive]` enum, or field of a `#[non_exhaustive]` struct is **additive**;
//! - anything removed or renamed, a changed type, a parameter or field whose required-ness
//!   changed, a new required parameter (a new argument), or a new field of an exhaustive struct
//!   (callers build it with a literal) is **breaking**;
//! - a change of prose only is **docs-only**.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

use crate::emit::snapshot::{FieldEntry, OpEntry, ParamEntry, Snapshot, TypeEntry};

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

struct Collect {
    changes: Vec<Change>,
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
    };
    for (key, op) in &new.operations {
        match old.operations.get(key) {
            None => c.push(
                &op.resource,
                Class::Additive,
                format!("new operation `{}` (`{key}`)", op.call),
            ),
            Some(before) => operation(&mut c, key, before, op),
        }
    }
    for (key, op) in &old.operations {
        if !new.operations.contains_key(key) {
            c.removed(
                &op.resource,
                format!("operation `{}` (`{key}`) removed", op.call),
            );
        }
    }
    types(&mut c, old, new);
    let mut changes = c.changes;
    changes.sort();
    changes.dedup();
    Report { changes }
}

fn operation(c: &mut Collect, key: &str, old: &OpEntry, new: &OpEntry) {
    let g = new.resource.as_str();
    let call = &new.call;
    if old.call != new.call {
        c.push(
            g,
            Class::Breaking,
            format!("`{key}` is now called `{}` (was `{}`)", new.call, old.call),
        );
    }
    for (name, p) in &new.params {
        match old.params.get(name) {
            None if p.required => c.push(
                g,
                Class::Breaking,
                format!(
                    "`{call}`: new required {} parameter `{name}` (a new argument)",
                    p.location
                ),
            ),
            None => c.push(
                g,
                Class::Additive,
                format!(
                    "`{call}`: new optional {} parameter `{name}` (a new setter)",
                    p.location
                ),
            ),
            Some(before) => parameter(c, g, call, name, before, p),
        }
    }
    for name in old.params.keys() {
        if !new.params.contains_key(name) {
            c.removed(g, format!("`{call}`: parameter `{name}` removed"));
        }
    }
    if old.body != new.body {
        let show = |b: &Option<String>| b.clone().unwrap_or_else(|| "none".into());
        c.push(
            g,
            Class::Breaking,
            format!(
                "`{call}`: request body is `{}` (was `{}`)",
                show(&new.body),
                show(&old.body)
            ),
        );
    }
    if old.result != new.result {
        c.push(
            g,
            Class::Breaking,
            format!("`{call}`: returns `{}` (was `{}`)", new.result, old.result),
        );
    }
    if old.doc != new.doc {
        c.push(g, Class::Docs, format!("`{call}`: description changed"));
    }
}

fn parameter(c: &mut Collect, g: &str, call: &str, name: &str, old: &ParamEntry, new: &ParamEntry) {
    if old.required != new.required {
        let (now, was) = if new.required {
            ("required (an argument)", "optional")
        } else {
            ("optional (a setter)", "required")
        };
        c.push(
            g,
            Class::Breaking,
            format!("`{call}`: parameter `{name}` is {now}, was {was}"),
        );
    }
    if old.ty != new.ty || old.location != new.location {
        c.push(
            g,
            Class::Breaking,
            format!(
                "`{call}`: parameter `{name}` is `{}` in {} (was `{}` in {})",
                new.ty, new.location, old.ty, old.location
            ),
        );
    }
    if old.doc != new.doc {
        c.push(
            g,
            Class::Docs,
            format!("`{call}`: description of parameter `{name}` changed"),
        );
    }
}

const TYPES: &str = "Types";

fn types(c: &mut Collect, old: &Snapshot, new: &Snapshot) {
    // A type that disappeared while one with the same reference name appeared was renamed.
    let mut renamed: BTreeMap<&str, &str> = BTreeMap::new();
    for (name, t) in &old.types {
        if new.types.contains_key(name) {
            continue;
        }
        let successor = new.types.iter().find(|(n, nt)| {
            !old.types.contains_key(*n) && nt.reference.is_some() && nt.reference == t.reference
        });
        match successor {
            Some((n, nt)) => {
                renamed.insert(n.as_str(), name.as_str());
                c.push(
                    TYPES,
                    Class::Breaking,
                    format!("type `{name}` renamed to `{n}`"),
                );
                type_entry(c, n, t, nt);
            }
            None => c.removed(TYPES, format!("type `{name}` removed")),
        }
    }
    for (name, t) in &new.types {
        match old.types.get(name) {
            Some(before) => type_entry(c, name, before, t),
            None if renamed.contains_key(name.as_str()) => {}
            None => c.push(
                TYPES,
                Class::Additive,
                format!("new type `{name}` ({})", t.kind),
            ),
        }
    }
}

fn type_entry(c: &mut Collect, name: &str, old: &TypeEntry, new: &TypeEntry) {
    if old.kind != new.kind {
        c.push(
            TYPES,
            Class::Breaking,
            format!("`{name}` is now a {} (was a {})", new.kind, old.kind),
        );
        return;
    }
    if old.non_exhaustive != new.non_exhaustive {
        let class = if new.non_exhaustive {
            Class::Breaking
        } else {
            Class::Additive
        };
        let now = if new.non_exhaustive {
            "is now `#[non_exhaustive]`"
        } else {
            "is no longer `#[non_exhaustive]`"
        };
        c.push(TYPES, class, format!("`{name}` {now}"));
    }
    for (wire, f) in &new.fields {
        match old.fields.get(wire) {
            None => {
                let (class, why) = if old.non_exhaustive {
                    (Class::Additive, "")
                } else {
                    (
                        Class::Breaking,
                        " (the struct is exhaustive: struct literals must name it)",
                    )
                };
                let which = if f.required { "required" } else { "optional" };
                c.push(
                    TYPES,
                    class,
                    format!("`{name}`: new {which} field `{}`{why}", f.rust),
                );
            }
            Some(before) => field(c, name, before, f),
        }
    }
    for (wire, f) in &old.fields {
        if !new.fields.contains_key(wire) {
            c.removed(TYPES, format!("`{name}`: field `{}` removed", f.rust));
        }
    }
    let old_values: BTreeSet<&String> = old.values.iter().collect();
    let new_values: BTreeSet<&String> = new.values.iter().collect();
    for v in new_values.difference(&old_values) {
        let class = if old.non_exhaustive {
            Class::Additive
        } else {
            Class::Breaking
        };
        c.push(TYPES, class, format!("`{name}`: new value `\"{v}\"`"));
    }
    for v in old_values.difference(&new_values) {
        c.removed(TYPES, format!("`{name}`: value `\"{v}\"` removed"));
    }
    for (variant, ty) in &new.variants {
        match old.variants.get(variant) {
            None => {
                let class = if old.non_exhaustive {
                    Class::Additive
                } else {
                    Class::Breaking
                };
                c.push(
                    TYPES,
                    class,
                    format!("`{name}`: new variant `{variant}({ty})`"),
                );
            }
            Some(before) if before != ty => c.push(
                TYPES,
                Class::Breaking,
                format!("`{name}::{variant}` holds `{ty}` (was `{before}`)"),
            ),
            Some(_) => {}
        }
    }
    for variant in old.variants.keys() {
        if !new.variants.contains_key(variant) {
            c.removed(TYPES, format!("`{name}`: variant `{variant}` removed"));
        }
    }
    if old.target != new.target {
        c.push(
            TYPES,
            Class::Breaking,
            format!(
                "`{name}` now names `{}` (was `{}`)",
                new.target.as_deref().unwrap_or("?"),
                old.target.as_deref().unwrap_or("?")
            ),
        );
    }
    if old.doc != new.doc {
        c.push(TYPES, Class::Docs, format!("`{name}`: description changed"));
    }
}

fn field(c: &mut Collect, name: &str, old: &FieldEntry, new: &FieldEntry) {
    if old.rust != new.rust {
        c.push(
            TYPES,
            Class::Breaking,
            format!("`{name}`: field `{}` renamed to `{}`", old.rust, new.rust),
        );
    }
    if old.required != new.required {
        let (now, was) = if new.required {
            ("required", "optional")
        } else {
            ("optional", "required")
        };
        c.push(
            TYPES,
            Class::Breaking,
            format!("`{name}`: field `{}` is {now} (was {was})", new.rust),
        );
    }
    if old.ty != new.ty {
        c.push(
            TYPES,
            Class::Breaking,
            format!(
                "`{name}`: field `{}` is `{}` (was `{}`)",
                new.rust, new.ty, old.ty
            ),
        );
    }
    if old.doc != new.doc {
        c.push(
            TYPES,
            Class::Docs,
            format!("`{name}`: description of field `{}` changed", new.rust),
        );
    }
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
const SECTIONS: [&str; 6] = [
    "Added",
    "Changed",
    "Deprecated",
    "Removed",
    "Fixed",
    "Security",
];

/// `CHANGELOG.md` with the report's entries merged into its `## [Unreleased]` section (created
/// if missing): each new entry is appended to its subsection; entries already there are not
/// repeated, and every line already written is kept as it is.
pub fn update_changelog(existing: Option<&str>, report: &Report) -> String {
    let text = existing.unwrap_or(
        "# Changelog\n\nAll notable changes to `magic-api` are documented here. The format is \
         based on [Keep a Changelog](https://keepachangelog.com/en/1.1.0/), and the crate follows \
         [Semantic Versioning](https://semver.org/).\n",
    );
    let (head, unreleased, tail) = split_unreleased(text);
    // The section as written: its lines before the first `###`, then each subsection's lines
    // verbatim (continuation lines, nested bullets and all).
    let mut preamble: Vec<&str> = Vec::new();
    let mut sections: Vec<(String, Vec<String>)> = Vec::new();
    for line in unreleased.lines() {
        if let Some(name) = line.strip_prefix("### ") {
            sections.push((name.trim().to_string(), Vec::new()));
        } else if let Some((_, lines)) = sections.last_mut() {
            lines.push(line.to_string());
        } else {
            preamble.push(line);
        }
    }
    for (section, entries) in report.changelog_entries() {
        let index = match sections.iter().position(|(name, _)| name == section) {
            Some(i) => i,
            None => {
                // A new subsection goes where Keep a Changelog's order puts it.
                let rank = |name: &str| SECTIONS.iter().position(|k| *k == name);
                let at = sections
                    .iter()
                    .position(|(name, _)| rank(name) > rank(section))
                    .unwrap_or(sections.len());
                sections.insert(at, (section.to_string(), Vec::new()));
                at
            }
        };
        let lines = &mut sections[index].1;
        while lines.last().is_some_and(|l| l.trim().is_empty()) {
            lines.pop();
        }
        if lines.is_empty() {
            lines.push(String::new());
        }
        for entry in entries {
            let bullet = format!("- {entry}");
            if !unreleased.lines().any(|l| l.trim_end() == bullet) && !lines.contains(&bullet) {
                lines.push(bullet);
            }
        }
    }
    let mut out = head.trim_end().to_string();
    out.push_str("\n\n## [Unreleased]\n");
    let preamble = preamble.join("\n");
    if !preamble.trim().is_empty() {
        out.push('\n');
        out.push_str(preamble.trim());
        out.push('\n');
    }
    for (section, lines) in &sections {
        let body = lines.join("\n");
        if body.trim().is_empty() {
            continue;
        }
        let _ = write!(out, "\n### {section}\n\n{}\n", body.trim_matches('\n'));
    }
    if !tail.trim().is_empty() {
        out.push('\n');
        out.push_str(tail.trim_start());
    }
    if !out.ends_with('\n') {
        out.push('\n');
    }
    out
}

/// The text before `## [Unreleased]`, that section's body, and everything from the next `## `.
fn split_unreleased(text: &str) -> (&str, &str, &str) {
    let Some(start) = text.find("## [Unreleased]") else {
        let first_release = text.find("\n## ").map_or(text.len(), |i| i + 1);
        return (&text[..first_release], "", &text[first_release..]);
    };
    let body_start = text[start..]
        .find('\n')
        .map_or(text.len(), |i| start + i + 1);
    let end = text[body_start..]
        .find("\n## ")
        .map_or(text.len(), |i| body_start + i + 1);
    (&text[..start], &text[body_start..end], &text[end..])
}

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
