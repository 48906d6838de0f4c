//! The comparison itself: operation by operation, parameter by parameter, type by type and
//! field by field, each difference pushed with its class.

use std::collections::{BTreeMap, BTreeSet};

use super::{Class, Collect};
use crate::emit::snapshot::{FieldEntry, OpEntry, ParamEntry, Snapshot, TypeEntry};

pub(super) fn operation(c: &mut Collect, key: &str, old: &OpEntry, new: &OpEntry) {
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
    if old.options != new.options {
        // `Call<R, O>` names its option type: code that names the call's type breaks.
        let show = |o: &Option<String>| o.clone().unwrap_or_else(|| "()".into());
        c.push(
            g,
            Class::Breaking,
            format!(
                "`{call}`: the call's option type is `{}` (was `{}`)",
                show(&new.options),
                show(&old.options)
            ),
        );
    }
    for setter in &old.setters {
        if !new.setters.contains(setter) {
            c.removed(g, format!("`{call}`: setter `.{setter}(…)` removed"));
        }
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

pub(super) const TYPES: &str = "Types";

pub(super) fn types(c: &mut Collect, old: &Snapshot, new: &Snapshot) {
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
    if old.builder != new.builder {
        let (class, now) = if new.builder {
            (Class::Additive, "now has a builder (`builder()`)")
        } else {
            (Class::Breaking, "no longer has a builder (`builder()`)")
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
