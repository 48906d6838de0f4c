//! Types that kept their shape under a new name: the report says "renamed" once, and the
//! fields, variants, arguments and results that only changed by that name say nothing more.
//!
//! A removed type and an added one are the same type renamed when they come from the same
//! reference name (our naming rules renamed it), or when exactly one added type has exactly its
//! shape (the reference renamed it): the same kind, fields (Rust name, type, required-ness),
//! values, variants, traits and builder, types compared with the renames found so far applied.
//! Prose is not compared: a renamed definition often has new words.

use std::collections::BTreeMap;

use crate::emit::snapshot::{Snapshot, TypeEntry};

/// Old name -> new name.
#[derive(Debug, Default)]
pub(super) struct Renames {
    map: BTreeMap<String, String>,
}

impl Renames {
    /// The renames, old name first.
    pub(super) fn pairs(&self) -> impl Iterator<Item = (&str, &str)> {
        self.map.iter().map(|(o, n)| (o.as_str(), n.as_str()))
    }

    /// The new name of a renamed type.
    pub(super) fn new_name(&self, old: &str) -> Option<&str> {
        self.map.get(old).map(String::as_str)
    }

    /// Whether `new` is the name a renamed type now has.
    pub(super) fn is_new_name(&self, new: &str) -> bool {
        self.map.values().any(|n| n == new)
    }

    /// A type spelt in the old snapshot, with every renamed type by its new name (whole words
    /// only: renaming `Site` leaves `SiteId` alone).
    pub(super) fn apply(&self, text: &str) -> String {
        if self.map.is_empty() {
            return text.to_string();
        }
        let mut out = String::with_capacity(text.len());
        let mut word = String::new();
        let flush = |word: &mut String, out: &mut String| {
            out.push_str(self.map.get(word.as_str()).unwrap_or(word));
            word.clear();
        };
        for ch in text.chars() {
            if ch.is_alphanumeric() || ch == '_' {
                word.push(ch);
            } else {
                flush(&mut word, &mut out);
                out.push(ch);
            }
        }
        flush(&mut word, &mut out);
        out
    }

    /// Whether an old spelling and a new one name the same type, renames considered.
    pub(super) fn same(&self, old: &str, new: &str) -> bool {
        old == new || self.apply(old) == new
    }

    /// [`same`](Self::same) for lists, element by element.
    pub(super) fn same_list(&self, old: &[String], new: &[String]) -> bool {
        old.len() == new.len() && old.iter().zip(new).all(|(o, n)| self.same(o, n))
    }
}

/// The renames between two snapshots.
pub(super) fn find(old: &Snapshot, new: &Snapshot) -> Renames {
    let mut renames = Renames::default();
    // A type whose name only a deprecated alias still has is gone too: its successor is found
    // like any other's (the alias then tells the report that the old name is kept).
    let gone = |n: &str| new.types.get(n).is_none_or(|t| t.deprecated);
    let removed: Vec<(&String, &TypeEntry)> = old
        .types
        .iter()
        .filter(|(n, t)| gone(n) && !t.deprecated)
        .collect();
    let added: Vec<(&String, &TypeEntry)> = new
        .types
        .iter()
        .filter(|(n, _)| !old.types.contains_key(*n))
        .collect();
    for (name, t) in &removed {
        let same_reference = added
            .iter()
            .find(|(_, a)| a.reference.is_some() && a.reference == t.reference);
        if let Some((n, _)) = same_reference {
            renames.map.insert(name.to_string(), n.to_string());
        }
    }
    // Nested renames (a renamed type whose field is another renamed type) are found over
    // several rounds, each with the renames of the rounds before.
    loop {
        let mut found = Vec::new();
        for (name, t) in &removed {
            if renames.map.contains_key(name.as_str()) {
                continue;
            }
            let candidates: Vec<&String> = added
                .iter()
                .filter(|(n, _)| !renames.is_new_name(n))
                .filter(|(n, a)| same_shape(&renames.with(name, n), t, a))
                .map(|(n, _)| *n)
                .collect();
            if let [only] = candidates[..] {
                found.push((name.to_string(), only.clone()));
            }
        }
        // A new type two removed ones both fit is neither's successor.
        let taken: Vec<String> = found.iter().map(|(_, n)| n.clone()).collect();
        found.retain(|(_, n)| taken.iter().filter(|m| *m == n).count() == 1);
        if found.is_empty() {
            return renames;
        }
        renames.map.extend(found);
    }
}

impl Renames {
    /// These renames and one more, to compare a candidate pair whose types name themselves.
    fn with(&self, old: &str, new: &str) -> Renames {
        let mut map = self.map.clone();
        map.insert(old.to_string(), new.to_string());
        Renames { map }
    }
}

/// Whether two type entries have the same shape, renames considered; prose is not compared.
fn same_shape(renames: &Renames, old: &TypeEntry, new: &TypeEntry) -> bool {
    let same_opt = |o: &Option<String>, n: &Option<String>| match (o, n) {
        (Some(o), Some(n)) => renames.same(o, n),
        (None, None) => true,
        _ => false,
    };
    old.kind == new.kind
        && old.non_exhaustive == new.non_exhaustive
        && old.traits == new.traits
        && old.builder == new.builder
        && old.builder_required == new.builder_required
        && old.values == new.values
        && same_opt(&old.target, &new.target)
        && old.fields.len() == new.fields.len()
        && old.fields.iter().all(|(wire, o)| {
            new.fields.get(wire).is_some_and(|n| {
                o.rust == n.rust && o.required == n.required && renames.same(&o.ty, &n.ty)
            })
        })
        && old.variants.len() == new.variants.len()
        && old
            .variants
            .iter()
            .all(|(v, o)| new.variants.get(v).is_some_and(|n| renames.same(o, n)))
}
