//! Typed identifiers: one type per path parameter that names a resource (`site_id` → `SiteId`),
//! and the fields that hold such an id, so a value read from one call passes to the next
//! without conversion:
//!
//! - a field named like an id parameter (`site_id`, `lan_1.lan_id`, `connector_id`), or for a
//!   role such an id plays (`secondary_connector_id`);
//! - an object's own `id`, where the object is what an operation on `…/{x_id}` returns
//!   (directly, or as the one object field of its result: `{ gre_tunnel: GreTunnel }`).

use std::collections::{BTreeMap, HashMap};

use super::case::{article, camel, phrase, words};
use crate::ir::{
    Defs, Discrimination, Ir, Method, ParamLocation, Response, Role, Segment, Ty, TypeBody,
};

/// Id parameter name -> (Rust type name, documentation).
pub type IdTypes = BTreeMap<String, (String, String)>;

/// The identifier types: one per string path parameter, by name.
pub fn id_types(ir: &Ir) -> IdTypes {
    let mut out = BTreeMap::new();
    for op in &ir.operations {
        for p in op.params_in(ParamLocation::Path) {
            if p.field.ty == Ty::String {
                let name = camel(&p.field.name);
                let what = phrase(p.field.name.trim_end_matches("_id"));
                let text = format!(
                    " Identifies {} {what} (the `{}` path parameter).",
                    article(&what),
                    p.field.name
                );
                out.entry(p.field.name.clone()).or_insert((name, text));
            }
        }
    }
    // The field that tells a union's alternative apart, where it is an id (`account_app_id` vs
    // `managed_app_id`): a managed app has no path of its own, but its id is what app configs
    // name, so it gets a type too.
    let defs = Defs::new(ir.types.iter().chain(&ir.shapes));
    for def in ir.types.iter().chain(&ir.shapes) {
        let TypeBody::Union {
            alternatives,
            discrimination: Discrimination::RequiredField { fields },
        } = &def.body
        else {
            continue;
        };
        if shared_id_words(fields).is_none() {
            continue;
        }
        for (alternative, field) in alternatives.iter().zip(fields) {
            let is_string = defs
                .object_fields(&alternative.ty)
                .and_then(|fs| fs.iter().find(|f| &f.name == field))
                .is_some_and(|f| f.ty == Ty::String);
            if is_string && field.ends_with("_id") && !out.contains_key(field) {
                let what = phrase(field.trim_end_matches("_id"));
                let text = format!(" Identifies {} {what} (its `{field}`).", article(&what));
                out.insert(field.clone(), (camel(field), text));
            }
        }
    }
    out
}

/// The words the names of a union's identifying fields share at their end, lowercase, when they
/// name a kind of id (`account_app_id`, `managed_app_id` -> `app`, `id`): at least one word
/// before `id`, or the fields only share being ids (`account_id`, `managed_id`), which names no
/// role.
pub fn shared_id_words(fields: &[String]) -> Option<Vec<String>> {
    let split: Vec<Vec<String>> = fields
        .iter()
        .map(|f| words(f).iter().map(|w| w.to_ascii_lowercase()).collect())
        .collect();
    let first = split.first()?;
    let mut n = 0;
    while n < first.len()
        && split
            .iter()
            .all(|w| w.len() > n && w[w.len() - 1 - n] == first[first.len() - 1 - n])
    {
        n += 1;
    }
    let shared = first[first.len() - n..].to_vec();
    (shared.len() >= 2 && shared.last().is_some_and(|w| w == "id")).then_some(shared)
}

/// The id type of a string field or parameter named like an id parameter (`connectorid` is a
/// `ConnectorId` too).
pub fn id_named<'i>(ids: &'i IdTypes, name: &str) -> Option<&'i str> {
    let squashed = name.replace('_', "");
    ids.iter()
        .find(|(k, _)| k.replace('_', "") == squashed)
        .map(|(_, (n, _))| n.as_str())
}

/// The id type of a field named for a role an id plays: a qualifier, then an id parameter's
/// name (`secondary_connector_id` holds a `ConnectorId`). The longest parameter name wins.
fn id_qualified<'i>(ids: &'i IdTypes, name: &str) -> Option<&'i str> {
    ids.iter()
        .filter(|(k, _)| {
            name.strip_suffix(k.as_str())
                .is_some_and(|qualifier| qualifier.len() > 1 && qualifier.ends_with('_'))
        })
        .max_by_key(|(k, _)| k.len())
        .map(|(_, (n, _))| n.as_str())
}

/// `(definition id, field name)` -> id type, for every string field that holds an id.
pub fn id_fields(ir: &Ir, defs: &Defs<'_>, ids: &IdTypes) -> HashMap<(String, String), String> {
    let mut out = HashMap::new();
    for def in ir.types.iter().chain(&ir.shapes) {
        if let TypeBody::Object { fields } = &def.body {
            for f in fields.iter().filter(|f| f.ty == Ty::String) {
                if let Some(id) = id_named(ids, &f.name).or_else(|| id_qualified(ids, &f.name)) {
                    out.insert((def.id.clone(), f.name.clone()), id.to_string());
                }
            }
        }
    }
    // The objects of a collection whose items a path parameter names (`…/routes/{route_id}`):
    // the items its list returns, and the items a bulk update sends, hold that id as `id`.
    for (resource, param) in item_params(ir) {
        let Some((id_type, _)) = ids.get(&param) else {
            continue;
        };
        for op in ir.operations.iter().filter(|o| o.resource == resource) {
            let items: Vec<&str> = match (&op.role, &op.response, &op.body) {
                (
                    Role::List,
                    Response::Envelope {
                        result: Ty::Array { items },
                        ..
                    },
                    _,
                ) => objects_with_id(items, defs),
                (Role::BulkUpdate | Role::BulkEdit, _, Some(body)) => bulk_items(&body.ty, defs),
                _ => Vec::new(),
            };
            for owner in items {
                out.insert((owner.to_string(), "id".to_string()), id_type.clone());
            }
        }
    }
    // An object's own `id`: what a GET on `…/{x_id}` returns.
    for op in ir.operations.iter().filter(|o| o.method == Method::Get) {
        let Some(Segment::Param { name }) = op.segments.last() else {
            continue;
        };
        let Some((id_type, _)) = ids.get(name) else {
            continue;
        };
        let Response::Envelope { result, .. } = &op.response else {
            continue;
        };
        for owner in objects_with_id(result, defs) {
            out.insert((owner.to_string(), "id".to_string()), id_type.clone());
        }
    }
    out
}

/// Per resource whose operations address single items (`get`, `update`, `edit`, `delete`): the
/// path parameter naming an item.
fn item_params(ir: &Ir) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = Vec::new();
    for op in ir.operations.iter().filter(|o| o.role.on_item()) {
        if let Some(Segment::Param { name }) = op.segments.last() {
            if !out.iter().any(|(r, _)| *r == op.resource) {
                out.push((op.resource.clone(), name.clone()));
            }
        }
    }
    out
}

/// The objects a bulk body lists: the body's one array-of-objects field's items (`routes[]`),
/// each with a string `id`.
fn bulk_items<'a>(body: &'a Ty, defs: &Defs<'a>) -> Vec<&'a str> {
    let Some(fields) = defs.object_fields(body) else {
        return Vec::new();
    };
    let lists: Vec<&Ty> = fields
        .iter()
        .filter_map(|f| match &f.ty {
            Ty::Array { items } if matches!(items.as_ref(), Ty::Ref { .. }) => Some(items.as_ref()),
            _ => None,
        })
        .collect();
    match lists.as_slice() {
        [only] => objects_with_id(only, defs),
        _ => Vec::new(),
    }
}

/// The objects that have the `id`: [`object_with_id`] of the result, or of each alternative when
/// the result is a union (a PCAP is simple or full; both carry the PCAP's id).
fn objects_with_id<'a>(ty: &'a Ty, defs: &Defs<'a>) -> Vec<&'a str> {
    if let Ty::Ref { id } = ty {
        if let Some(TypeBody::Union { alternatives, .. }) = defs.get(id).map(|d| &d.body) {
            return alternatives
                .iter()
                .filter_map(|a| object_with_id(&a.ty, defs))
                .collect();
        }
    }
    object_with_id(ty, defs).into_iter().collect()
}

/// The object that has the `id`: the result itself, or the result's only object-typed field.
fn object_with_id<'a>(ty: &'a Ty, defs: &Defs<'a>) -> Option<&'a str> {
    let Ty::Ref { id } = ty else { return None };
    let TypeBody::Object { fields } = &defs.get(id)?.body else {
        return None;
    };
    if fields.iter().any(|f| f.name == "id" && f.ty == Ty::String) {
        return Some(id);
    }
    let objects: Vec<&Ty> = fields
        .iter()
        .map(|f| &f.ty)
        .filter(|t| matches!(t, Ty::Ref { .. }))
        .collect();
    match objects.as_slice() {
        [only] => {
            let Ty::Ref { id } = only else { return None };
            let TypeBody::Object { fields } = &defs.get(id)?.body else {
                return None;
            };
            fields
                .iter()
                .any(|f| f.name == "id" && f.ty == Ty::String)
                .then_some(id.as_str())
        }
        _ => None,
    }
}
