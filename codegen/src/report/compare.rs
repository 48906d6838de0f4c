//! The comparison itself: operation by operation (its argument list, setters, option type and
//! result), type by type and field by field (and each type's traits and builder), each
//! difference pushed with its class, renamed types (see [`super::renames`]) taken into account.

use std::collections::BTreeSet;

use super::{Class, Collect};
use crate::emit::snapshot::{FieldEntry, OpEntry, Snapshot, TypeEntry};

/// Every operation: matched by `METHOD /path`, or by its call where the path changed (a new
/// path parameter moves the operation: the same method with another argument list).
pub(super) fn operations(c: &mut Collect, old: &Snapshot, new: &Snapshot) {
    let mut moved: BTreeSet<&str> = BTreeSet::new();
    for (key, op) in &new.operations {
        if let Some(before) = old.operations.get(key) {
            operation(c, key, before, op, None);
            continue;
        }
        let same_call = old
            .operations
            .iter()
            .find(|(k, o)| !new.operations.contains_key(*k) && o.call == op.call);
        match same_call {
            Some((old_key, before)) => {
                moved.insert(old_key.as_str());
                operation(c, key, before, op, Some(old_key));
            }
            None => c.push(
                &op.resource,
                Class::Additive,
                format!("new operation `{}` (`{key}`)", op.call),
            ),
        }
    }
    for (key, op) in &old.operations {
        if !new.operations.contains_key(key) && !moved.contains(key.as_str()) {
            c.removed(
                &op.resource,
                format!("operation `{}` (`{key}`) removed", op.call),
            );
        }
    }
}

/// Counts in words: `1 argument`, `3 arguments`.
fn arguments(n: usize) -> String {
    format!("{n} argument{}", if n == 1 { "" } else { "s" })
}

/// One operation; `moved_from` is its old `METHOD /path` when that changed.
fn operation(c: &mut Collect, key: &str, old: &OpEntry, new: &OpEntry, moved_from: Option<&str>) {
    let g = new.resource.as_str();
    let call = &new.call;
    if old.call != new.call {
        c.push(
            g,
            Class::Breaking,
            format!("`{key}` is now called `{}` (was `{}`)", new.call, old.call),
        );
    }
    let path = moved_from
        .map(|from| format!(" (it is now `{key}`, was `{from}`)"))
        .unwrap_or_default();
    // The argument list is the signature callers write: one line says how it changed.
    if !c.renames.same_list(&old.args, &new.args) {
        let (now, was) = (new.args.join(", "), old.args.join(", "));
        let text = if old.args.len() == new.args.len() {
            format!("`{call}` takes `({now})`, was `({was})`{path}")
        } else {
            format!(
                "`{call}` takes {}, was {}: `({now})`, was `({was})`{path}",
                arguments(new.args.len()),
                old.args.len()
            )
        };
        c.push(g, Class::Breaking, text);
    } else if moved_from.is_some() {
        // Same arguments, another request: code compiles and sends something else.
        c.push(
            g,
            Class::Breaking,
            format!("`{call}`: the request changed{path}"),
        );
    }
    parameters(c, g, call, old, new);
    if old.options != new.options && !old.options.is_empty() {
        // `Call<R, O>` names its option type: code that names the call's type breaks.
        c.push(
            g,
            Class::Breaking,
            format!(
                "`{call}`: the call's option type is `{}` (was `{}`)",
                new.options, old.options
            ),
        );
    }
    if !c.renames.same(&old.result, &new.result) {
        c.push(
            g,
            Class::Breaking,
            format!("`{call}`: returns `{}` (was `{}`)", new.result, old.result),
        );
    } else if old.options == new.options && !c.renames.same(&old.returns, &new.returns) {
        c.push(
            g,
            Class::Breaking,
            format!(
                "`{call}`: returns `{}` (was `{}`)",
                new.returns, old.returns
            ),
        );
    }
    if old.doc != new.doc {
        c.push(g, Class::Docs, format!("`{call}`: description changed"));
    }
}

/// The parameters: required ones are arguments (their changes are the argument list's line),
/// optional ones setters.
fn parameters(c: &mut Collect, g: &str, call: &str, old: &OpEntry, new: &OpEntry) {
    for (name, p) in &new.params {
        let Some(before) = old.params.get(name) else {
            if !p.required {
                c.push(
                    g,
                    Class::Additive,
                    format!(
                        "`{call}`: new optional {} parameter `{name}` (a new setter)",
                        p.location
                    ),
                );
            }
            continue;
        };
        match (before.required, p.required) {
            (false, true) => c.push(
                g,
                Class::Breaking,
                format!("`{call}`: parameter `{name}` is required (an argument), was optional"),
            ),
            (true, false) => c.push(
                g,
                Class::Breaking,
                format!("`{call}`: parameter `{name}` is optional (a setter), was required"),
            ),
            (false, false) if !c.renames.same(&before.ty, &p.ty) => c.push(
                g,
                Class::Breaking,
                format!(
                    "`{call}`: parameter `{name}` is `{}` (was `{}`)",
                    p.ty, before.ty
                ),
            ),
            _ => {}
        }
        if before.location != p.location {
            c.push(
                g,
                Class::Breaking,
                format!(
                    "`{call}`: parameter `{name}` is sent in the {} (was the {})",
                    p.location, before.location
                ),
            );
        }
        if before.doc != p.doc {
            c.push(
                g,
                Class::Docs,
                format!("`{call}`: description of parameter `{name}` changed"),
            );
        }
    }
    for (name, p) in &old.params {
        if !new.params.contains_key(name) && !p.required {
            c.removed(
                g,
                format!("`{call}`: optional parameter `{name}` removed (its setter with it)"),
            );
        }
    }
    // A setter renamed under the same parameter.
    for setter in &old.setters {
        let explained = old
            .params
            .iter()
            .any(|(n, p)| !p.required && new.params.get(n).is_none_or(|q| q.required));
        if !new.setters.contains(setter) && !explained {
            c.removed(g, format!("`{call}`: setter `.{setter}(…)` removed"));
        }
    }
}

pub(super) const TYPES: &str = "Types";

pub(super) fn types(c: &mut Collect, old: &Snapshot, new: &Snapshot) {
    let renames: Vec<(String, String)> = c
        .renames
        .pairs()
        .map(|(o, n)| (o.to_string(), n.to_string()))
        .collect();
    for (name, n) in &renames {
        if let (Some(t), Some(nt)) = (old.types.get(name), new.types.get(n)) {
            if new.types.get(name).is_some_and(|k| is_kept_name(k, n)) {
                // A deprecated alias keeps the old name: code that names it compiles, warned.
                c.push(
                    TYPES,
                    Class::Additive,
                    format!(
                        "type `{name}` renamed to `{n}` (the old name is kept as a deprecated \
                         alias)"
                    ),
                );
            } else {
                c.push(
                    TYPES,
                    Class::Breaking,
                    format!(
                        "type `{name}` renamed to `{n}` (the old name is not kept: \
                         `{name} = \"{n}\"` under `[kept_names]` in spec/refinements.toml \
                         keeps it)"
                    ),
                );
            }
            type_entry(c, n, t, nt);
        }
    }
    for name in old.types.keys() {
        if !new.types.contains_key(name) && c.renames.new_name(name).is_none() {
            c.removed(TYPES, format!("type `{name}` removed"));
        }
    }
    for (name, t) in &new.types {
        match old.types.get(name) {
            // Told with its rename above.
            Some(_) if c.renames.new_name(name).is_some() => {}
            Some(before) => type_entry(c, name, before, t),
            None if c.renames.is_new_name(name) => {}
            None => c.push(
                TYPES,
                Class::Additive,
                format!("new type `{name}` ({})", t.kind),
            ),
        }
    }
}

/// Whether a type entry is the deprecated alias `[kept_names]` keeps for a type now named `new`.
fn is_kept_name(entry: &TypeEntry, new: &str) -> bool {
    entry.deprecated && entry.target.as_deref() == Some(new)
}

/// A trait the type gained (additive) or lost (breaking), and its builder's needs.
fn traits_and_builder(c: &mut Collect, name: &str, old: &TypeEntry, new: &TypeEntry) {
    for t in &old.traits {
        if !new.traits.contains(t) {
            c.push(
                TYPES,
                Class::Breaking,
                format!("`{name}` no longer implements `{t}`"),
            );
        }
    }
    for t in &new.traits {
        if !old.traits.contains(t) {
            c.push(
                TYPES,
                Class::Additive,
                format!("`{name}` now implements `{t}`"),
            );
        }
    }
    // What the builder needs follows the fields; said on its own only where no field's line
    // says it (a preset given or taken away).
    let required = |t: &TypeEntry| -> BTreeSet<String> {
        t.fields
            .values()
            .filter(|f| f.required)
            .map(|f| f.rust.clone())
            .collect()
    };
    let fields_moved: BTreeSet<String> = required(old)
        .symmetric_difference(&required(new))
        .cloned()
        .collect();
    let builder_moved: BTreeSet<&String> = old
        .builder_required
        .iter()
        .filter(|f| !new.builder_required.contains(f))
        .chain(
            new.builder_required
                .iter()
                .filter(|f| !old.builder_required.contains(f)),
        )
        .collect();
    let explained = builder_moved.iter().all(|f| fields_moved.contains(*f));
    if old.builder && new.builder && !explained {
        // The builder's type has a parameter per required field, and `build()` needs each set.
        let show = |fields: &[String]| {
            if fields.is_empty() {
                "nothing".to_string()
            } else {
                fields
                    .iter()
                    .map(|f| format!("`.{f}(…)`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            }
        };
        c.push(
            TYPES,
            Class::Breaking,
            format!(
                "`{name}::builder()…build()` needs {} (was {})",
                show(&new.builder_required),
                show(&old.builder_required)
            ),
        );
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
    traits_and_builder(c, name, old, new);
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
            Some(before) if !c.renames.same(before, ty) => c.push(
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
    let same_target = match (&old.target, &new.target) {
        (Some(o), Some(n)) => c.renames.same(o, n),
        (o, n) => o == n,
    };
    if !same_target {
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
    if !c.renames.same(&old.ty, &new.ty) {
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
