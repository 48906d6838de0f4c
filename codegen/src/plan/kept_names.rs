//! `[kept_names]`: a name the crate gave a type before the reference renamed it, kept as a
//! deprecated alias of the type, so that code naming it keeps compiling (a struct literal, a
//! pattern, `Old::builder()` and a variant path all work through a type alias) and the compiler
//! tells its users the new name. The change report suggests the entry when it finds a rename.

use std::collections::BTreeMap;

use super::types::{ItemPlan, Shape};

/// Adds an alias item per entry to `items` (sorted by Rust name, and kept so). An entry whose
/// type is not generated, or whose old name is a type again, is an error naming it.
pub(super) fn add(
    items: &mut Vec<ItemPlan>,
    kept: &BTreeMap<String, String>,
) -> Result<(), String> {
    for (old, new) in kept {
        let place = format!("spec/refinements.toml [kept_names] `{old}`");
        let target = items
            .binary_search_by(|i| i.rust.as_str().cmp(new))
            .ok()
            .and_then(|i| items.get(i))
            .filter(|i| matches!(i.shape, Shape::Struct(_) | Shape::Enum(_) | Shape::Union(_)));
        if target.is_none() {
            return Err(format!(
                "{place}: `{new}` is not a generated type (the reference may have renamed it \
                 again: point the entry at its new name, or delete it to drop the old name)"
            ));
        }
        if !is_type_name(old) {
            return Err(format!(
                "{place}: expected a Rust type name (`UpperCamelCase`)"
            ));
        }
        let at = match items.binary_search_by(|i| i.rust.as_str().cmp(old)) {
            Ok(_) => {
                return Err(format!(
                    "{place}: the name is a generated type again; delete the entry"
                ));
            }
            Err(at) => at,
        };
        let item = ItemPlan {
            rust: old.clone(),
            reference: None,
            doc: format!(
                "The name this crate gave [`{new}`] before the reference renamed it, kept so that \
                 code using it compiles."
            ),
            prose: None,
            weight: 3,
            shape: Shape::KeptName(new.clone()),
            traits: Vec::new(),
        };
        items.insert(at, item);
    }
    Ok(())
}

/// An identifier a generated type could have: an ASCII capital, then letters and digits.
fn is_type_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(|c| c.is_ascii_uppercase()) && chars.all(|c| c.is_ascii_alphanumeric())
}
