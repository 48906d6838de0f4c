//! Ids a union's forms hold under different names and types (`App`: an account app's
//! `account_app_id`, a managed app's `managed_app_id`): one reader for the role they share,
//! typed by an enum of the ids (`app.id()` gives an `AppId`, `AppId::Account(AccountAppId)` or
//! `AppId::Managed(ManagedAppId)`), so code that only needs "which app" does not match forms.
//!
//! The rule: a union told apart by one required field per form, where each such field holds a
//! typed id of its own kind. The reader is named for the words the fields' names end with
//! (`app_id`), less the union's own name (`App` reads `id()`, `AppConfig` reads `app_id()`); the
//! enum is named for those words (`AppId`) and shared by unions whose forms hold the same ids.

use std::collections::{BTreeMap, BTreeSet};

use super::fields::field_plans;
use super::names::{article, camel, ref_id, shared_id_words, words};
use super::{IdPlan, Index, ItemPlan, RustTy, Shape, UnionStrategy, VariantPlan};
use crate::ir::{Alternative, TypeBody};

/// A reader of the id every form holds under its own name.
#[derive(Debug, Clone)]
pub struct IdAccessorPlan {
    /// The method (`id`, `app_id`).
    pub method: String,
    /// The enum it returns (`AppId`).
    pub choice: String,
    /// Per variant: the field's identifier and whether it is required.
    pub arms: Vec<(String, bool)>,
}

/// An enum of the id kinds a union's forms hold.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IdChoicePlan {
    /// Its Rust name.
    pub rust: String,
    /// Its documentation.
    pub doc: String,
    /// Per form: the variant's identifier and the id type it holds.
    pub variants: Vec<(String, String)>,
}

/// The reader and its enum for a union, when the rule applies.
pub(super) fn id_accessor(
    ix: &Index<'_>,
    union_rust: &str,
    alternatives: &[Alternative],
    strategy: &UnionStrategy,
    variants: &[VariantPlan],
) -> Option<(IdAccessorPlan, IdChoicePlan)> {
    let UnionStrategy::RequiredField { fields } = strategy else {
        return None;
    };
    let mut arms = Vec::new();
    let mut kinds = Vec::new();
    for (alternative, wire) in alternatives.iter().zip(fields) {
        let def = ref_id(&alternative.ty).and_then(|id| ix.def(id))?;
        let TypeBody::Object { fields: declared } = &def.body else {
            return None;
        };
        let plans = field_plans(ix, def, declared);
        let field = plans.iter().find(|f| &f.wire == wire)?;
        let RustTy::Id(kind) = field.ty.inner() else {
            return None;
        };
        if kinds.contains(kind) {
            return None;
        }
        kinds.push(kind.clone());
        arms.push((field.ident.clone(), field.required));
    }
    let shared = shared_id_words(fields)?;
    let own: Vec<String> = words(union_rust)
        .iter()
        .map(|w| w.to_ascii_lowercase())
        .collect();
    let method_words = match shared.strip_prefix(own.as_slice()) {
        Some(rest) if !rest.is_empty() => rest.to_vec(),
        _ => shared.clone(),
    };
    let rust = camel(&shared.join("_"));
    let what = shared[..shared.len() - 1].join(" ");
    let doc = format!(
        " The id of {} {what}, whichever kind it is: each kind's own id type, so it passes \
         to the calls that take that kind.",
        article(&what)
    );
    let choice = IdChoicePlan {
        rust: rust.clone(),
        doc,
        variants: variants
            .iter()
            .map(|v| v.ident.clone())
            .zip(kinds)
            .collect(),
    };
    let accessor = IdAccessorPlan {
        method: method_words.join("_"),
        choice: rust,
        arms,
    };
    Some((accessor, choice))
}

/// The enums the unions' readers return, once each by name. A reader whose enum would take a
/// name already used (a type, an id, or another enum of other ids) is dropped, so a name is
/// never shared by two things.
pub(super) fn collect(items: &mut [ItemPlan], ids: &[IdPlan]) -> Vec<IdChoicePlan> {
    let taken: BTreeSet<String> = items
        .iter()
        .map(|i| i.rust.clone())
        .chain(ids.iter().map(|i| i.rust.clone()))
        .collect();
    let mut out: BTreeMap<String, IdChoicePlan> = BTreeMap::new();
    for item in items.iter_mut() {
        let Shape::Union(union) = &mut item.shape else {
            continue;
        };
        let Some((_, choice)) = union.id_accessor.as_deref() else {
            continue;
        };
        let fits = !taken.contains(&choice.rust)
            && out
                .get(&choice.rust)
                .is_none_or(|known| known.variants == choice.variants);
        if fits {
            out.entry(choice.rust.clone())
                .or_insert_with(|| choice.clone());
        } else {
            union.id_accessor = None;
        }
    }
    out.into_values().collect()
}
