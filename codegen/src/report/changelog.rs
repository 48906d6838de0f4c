//! The `CHANGELOG.md` entries a report makes, merged into its `Unreleased` section.

use std::fmt::Write as _;

use super::Report;

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
