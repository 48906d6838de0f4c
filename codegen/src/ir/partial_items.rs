//! `[[partial_items]]`: a bulk update whose prose says an item needs only the fields that change
//! ("Only fields for a route that need to be changed need be provided"). The reference still
//! marks the item's fields required, so a caller would have to re-send values read earlier and
//! could overwrite a concurrent change; the entry makes every field of the items of the body's
//! lists optional except the ones it keeps (the `id` that says which item changes).
//!
//! The mock reads the same IR, so it accepts the partial items the prose allows.

use serde::Deserialize;

use super::stale::stale;
use super::{Defs, Ir, Ty, TypeBody};

/// One `[[partial_items]]` entry as written.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PartialItemsEntry {
    /// The sentence of the operation's description that says so (matched case-insensitively).
    pub phrase: String,
    /// The item fields that stay as the reference has them (`id`).
    pub keep: Vec<String>,
}

/// Applies the entries; an entry whose phrase no operation with a list of objects in its body
/// uses, or whose kept field an item lacks, is a problem.
pub(super) fn apply(ir: &mut Ir, entries: &[PartialItemsEntry], problems: &mut Vec<String>) {
    for entry in entries {
        let place = format!("[[partial_items]] phrase `{}`", entry.phrase);
        let items = item_defs(ir, &entry.phrase);
        if items.is_empty() {
            problems.push(stale(
                &place,
                "expected an operation whose description contains it and whose body has a list \
                 of objects",
            ));
            continue;
        }
        for id in items {
            let Some(def) = ir.shapes.iter_mut().find(|d| d.id == id) else {
                problems.push(format!(
                    "{place}: the items `{id}` are a named type, used elsewhere too; only an \
                     unnamed item shape can be made partial"
                ));
                continue;
            };
            let TypeBody::Object { fields } = &mut def.body else {
                continue;
            };
            for kept in &entry.keep {
                if !fields.iter().any(|f| &f.name == kept) {
                    problems.push(stale(
                        &format!("{place}, kept field `{kept}`"),
                        &format!("expected the items `{id}` to have that field"),
                    ));
                }
            }
            for f in fields.iter_mut().filter(|f| !entry.keep.contains(&f.name)) {
                f.required = false;
            }
        }
    }
}

/// The ids of the object items of the body lists of every operation whose description
/// contains `phrase`.
fn item_defs(ir: &Ir, phrase: &str) -> Vec<String> {
    let defs = Defs::new(ir.types.iter().chain(&ir.shapes));
    let phrase = phrase.to_ascii_lowercase();
    let mut out = Vec::new();
    for op in &ir.operations {
        if !op.description.to_ascii_lowercase().contains(&phrase) {
            continue;
        }
        let Some(fields) = op.body.as_ref().and_then(|b| defs.object_fields(&b.ty)) else {
            continue;
        };
        for f in fields {
            if let Ty::Array { items } = &f.ty {
                if let (Ty::Ref { id }, Some(_)) = (items.as_ref(), defs.object_fields(items)) {
                    if !out.contains(id) {
                        out.push(id.clone());
                    }
                }
            }
        }
    }
    out
}
