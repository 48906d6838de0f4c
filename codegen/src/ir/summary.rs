//! The human summary printed by `cargo xtask ir`.

use std::collections::BTreeMap;
use std::fmt::Write;

use super::{Ir, Resource, TypeBody};
use crate::parse::tree::TreeStats;

/// Counts gathered while building, for the summary.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Stats {
    /// Signature counts checked and elisions resolved.
    pub tree: TreeStats,
    /// Bullets read.
    pub bullets: usize,
    /// Response examples validated.
    pub response_examples: usize,
    /// Request bodies validated.
    pub request_examples: usize,
}

/// Counts per resource, per type kind and per union strategy.
pub fn summary(ir: &Ir, stats: &Stats) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{} operations, {} domain types, {} other shapes, {} auth schemes, base URL {}",
        ir.operations.len(),
        ir.types.len(),
        ir.shapes.len(),
        ir.auth.len(),
        ir.base_url
    );
    let _ = writeln!(
        out,
        "{} bullets, {} signature counts checked, {} elided expansions resolved, {} response and {} request examples validated",
        stats.bullets,
        stats.tree.counts_checked,
        stats.tree.elisions,
        stats.response_examples,
        stats.request_examples
    );
    let _ = writeln!(out, "\nresources (operations / domain types):");
    fn walk(r: &Resource, depth: usize, out: &mut String) {
        let _ = writeln!(
            out,
            "  {:indent$}{:<28} {:>2} / {:<2} {}",
            "",
            r.id,
            r.operations.len(),
            r.types.len(),
            r.path_prefix,
            indent = depth * 2
        );
        for c in &r.children {
            walk(c, depth + 1, out);
        }
    }
    for r in &ir.resources {
        walk(r, 0, &mut out);
    }
    let mut kinds: BTreeMap<(&str, &str), usize> = BTreeMap::new();
    let mut strategies: BTreeMap<&str, Vec<String>> = BTreeMap::new();
    for (table, defs) in [("domain", &ir.types), ("shape", &ir.shapes)] {
        for d in defs.iter() {
            *kinds.entry((table, d.body.kind())).or_default() += 1;
            if let TypeBody::Union {
                alternatives,
                discrimination,
            } = &d.body
            {
                strategies
                    .entry(discrimination.strategy())
                    .or_default()
                    .push(format!(
                        "{} ({} alternatives)",
                        d.name.as_deref().unwrap_or(&d.id),
                        alternatives.len()
                    ));
            }
        }
    }
    let _ = writeln!(out, "\ntype kinds:");
    for ((table, kind), n) in kinds {
        let _ = writeln!(out, "  {table:<7} {kind:<7} {n}");
    }
    let _ = writeln!(out, "\nunion strategies:");
    for (strategy, unions) in strategies {
        let _ = writeln!(
            out,
            "  {strategy:<15} {}: {}",
            unions.len(),
            unions.join(", ")
        );
    }
    out
}
