//! What the stateful mock knows about the API's resources, derived from the IR's paths and
//! documented examples (never from a list written here):
//!
//! - A **collection** is a path `P` ending in a literal segment where either some operation
//!   lives at `P/{param}` or a `GET P` lists objects, *and* a documented answer of one of
//!   those operations carries an object with the collection's **id field**: the item
//!   parameter's own name where the object has such a field (`account_app_id`), else `id`.
//!   Telemetry snapshots (`…/snapshots/{snapshot_t}`) carry no id, so they stay documented
//!   answers.
//! - The collection's **documented object** is that example object: a new object starts from
//!   it, so every field the API always returns is present.
//! - Each operation's **role** is the IR's (`codegen::ir::Role`, which also names the client's
//!   methods), tied to the collection it addresses: at `P`, list, create, bulk update (`PUT` and
//!   `PATCH`) and delete all; at `P/{param}`, get, update (`PUT` and `PATCH`) and delete.
//!   Everything else (`…/download`, `…/psk_generate`, telemetry) answers its documented example.
//! - Every operation whose path runs through `P/{param}` **requires** that object: an unknown
//!   id, or a child of a deleted parent, is a 404.

use std::collections::BTreeSet;

use codegen::ir::{Ir, Method, Operation, Segment, Ty, TypeBody};
use serde_json::Value;

/// What an operation does to the data.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Role {
    /// `GET P`: every object, page by page where the list is paged.
    List(usize),
    /// `POST P`: one object (or several, when the body is a list).
    Create(usize),
    /// `PUT P` / `PATCH P`: the objects the body lists, each by its id.
    BulkUpdate(usize),
    /// `DELETE P`: the objects the body lists, each by its id.
    BulkDelete(usize),
    /// `GET P/{id}`.
    Get(usize),
    /// `PUT P/{id}` / `PATCH P/{id}`: the body's fields replace the object's.
    Update(usize),
    /// `DELETE P/{id}`: the object and everything under it.
    Delete(usize),
    /// Anything else: the documented answer, once the objects its path names exist.
    Other,
}

/// One collection of objects.
#[derive(Debug, Clone)]
pub(crate) struct Collection {
    /// The collection's path template (`/accounts/{account_id}/magic/sites/{site_id}/lans`).
    pub(crate) path: String,
    /// Its template's segments.
    pub(crate) segments: Vec<Segment>,
    /// The parameter naming one object (`lan_id`), when operations address single objects.
    pub(crate) item_param: Option<String>,
    /// The field holding an object's id.
    pub(crate) id_field: String,
    /// The documented object new objects start from.
    pub(crate) documented: Value,
    /// The fields of its objects named after a parameter of its path (`site_id`).
    pub(crate) path_fields: Vec<String>,
    /// `created_on` / `modified_on`, where its objects carry them: set on create, and
    /// `modified_on` again on every update.
    pub(crate) stamps: Vec<String>,
    /// The documented objects of its list, for `--seed-examples`.
    pub(crate) seed: Vec<Value>,
    /// The states an object moves through as it is read, when its `status` field is an enum
    /// with `pending`, `running` and `success` (a PCAP): created `pending`, then one step
    /// per read.
    pub(crate) lifecycle: Vec<String>,
}

/// A collection whose object an operation's path names, and the parameter naming it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Parent {
    /// Index into [`Model::collections`].
    pub(crate) collection: usize,
    /// The path parameter holding the object's id.
    pub(crate) param: String,
}

/// Everything the stateful mock derives from the IR.
#[derive(Debug)]
pub(crate) struct Model {
    /// Every collection, by path.
    pub(crate) collections: Vec<Collection>,
    /// Per operation (index into [`Ir::operations`]): its role.
    pub(crate) roles: Vec<Role>,
    /// Per operation: the objects its path names, outermost first.
    pub(crate) parents: Vec<Vec<Parent>>,
}

/// Where a documented answer holds the object(s) of a collection.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Slot {
    /// The `result` field holding them (`gre_tunnel`, `modified_routes`), or `None` when
    /// `result` itself is the object or the list.
    pub(crate) field: Option<String>,
    /// A list of objects rather than one.
    pub(crate) many: bool,
}

/// The documented `result` of an operation.
pub(crate) fn documented_result(op: &Operation) -> Option<&Value> {
    op.examples.response.as_ref()?.get("result")
}

/// Where `result` holds objects carrying `id_field`.
pub(crate) fn find_slot(result: &Value, id_field: &str) -> Option<Slot> {
    let has_id = |v: &Value| v.get(id_field).is_some();
    let first_has_id = |v: &Value| v.as_array().and_then(|a| a.first()).is_some_and(has_id);
    if has_id(result) {
        return Some(Slot {
            field: None,
            many: false,
        });
    }
    if first_has_id(result) {
        return Some(Slot {
            field: None,
            many: true,
        });
    }
    let object = result.as_object()?;
    // Fields in a fixed order, so the choice never depends on map order.
    let keys: BTreeSet<&String> = object.keys().collect();
    for key in keys {
        let value = &object[key];
        if has_id(value) || first_has_id(value) {
            return Some(Slot {
                field: Some(key.clone()),
                many: value.is_array(),
            });
        }
    }
    None
}

/// The objects `result` holds at `slot`.
fn objects_at(result: &Value, slot: &Slot) -> Vec<Value> {
    let at = match &slot.field {
        Some(field) => result.get(field),
        None => Some(result),
    };
    match at {
        Some(Value::Array(items)) => items.clone(),
        Some(v @ Value::Object(_)) => vec![v.clone()],
        _ => Vec::new(),
    }
}

impl Model {
    /// Derives collections, roles and parents from the IR.
    pub(crate) fn new(ir: &Ir) -> Model {
        // Candidate collection paths, sorted so the model never depends on operation order.
        let mut paths: BTreeSet<String> = BTreeSet::new();
        for op in &ir.operations {
            let n = op.segments.len();
            if matches!(op.segments.last(), Some(Segment::Param { .. }))
                && matches!(
                    op.segments.get(n.wrapping_sub(2)),
                    Some(Segment::Literal { .. })
                )
            {
                // The template up to its last segment: `…/sites/{site_id}` -> `…/sites`.
                if let Some((collection, _)) = op.path.rsplit_once('/') {
                    paths.insert(collection.to_owned());
                }
            }
            if op.method == Method::Get
                && matches!(op.segments.last(), Some(Segment::Literal { .. }))
            {
                paths.insert(op.path.clone());
            }
        }
        let collections: Vec<Collection> = paths
            .iter()
            .filter_map(|path| collection(ir, path))
            .collect();
        let roles = ir
            .operations
            .iter()
            .map(|op| role(&collections, op))
            .collect();
        let parents = ir
            .operations
            .iter()
            .map(|op| parents_of(&collections, op))
            .collect();
        Model {
            collections,
            roles,
            parents,
        }
    }
}

/// The collection at `path`, if the documented answers show objects with ids there.
fn collection(ir: &Ir, path: &str) -> Option<Collection> {
    let at_path: Vec<&Operation> = ir.operations.iter().filter(|o| o.path == path).collect();
    // The template's segments: an operation's at `P`, else the leading ones of an operation
    // below it.
    let depth = path.matches('/').count();
    let segments = at_path.first().map(|o| o.segments.clone()).or_else(|| {
        ir.operations
            .iter()
            .find(|o| o.path.starts_with(path) && o.path.as_bytes().get(path.len()) == Some(&b'/'))
            .and_then(|o| o.segments.get(..depth).map(<[Segment]>::to_vec))
    })?;
    let items: Vec<&Operation> = ir
        .operations
        .iter()
        .filter(|o| {
            o.segments.len() == segments.len() + 1
                && o.path.starts_with(path)
                && o.path.as_bytes().get(path.len()) == Some(&b'/')
                && matches!(o.segments.last(), Some(Segment::Param { .. }))
        })
        .collect();
    let item_param = items.iter().find_map(|o| match o.segments.last() {
        Some(Segment::Param { name }) => Some(name.clone()),
        _ => None,
    });
    // The documented object: a read's answer first, then a list's, then any other answer.
    let ordered: Vec<&Operation> = items
        .iter()
        .filter(|o| o.method == Method::Get)
        .chain(at_path.iter().filter(|o| o.method == Method::Get))
        .chain(items.iter().filter(|o| o.method != Method::Get))
        .chain(at_path.iter().filter(|o| o.method != Method::Get))
        .copied()
        .collect();
    let id_fields: Vec<String> = item_param
        .iter()
        .cloned()
        .chain(std::iter::once("id".to_owned()))
        .collect();
    for id_field in &id_fields {
        let documented = ordered.iter().find_map(|op| {
            let result = documented_result(op)?;
            let slot = find_slot(result, id_field)?;
            let object = objects_at(result, &slot).into_iter().next()?;
            // Fields named after the path's parameters (a LAN's `site_id`) are kept and
            // always filled from the request's path.
            let path_fields: Vec<String> = segments
                .iter()
                .filter_map(|s| match s {
                    Segment::Param { name } if object.get(name).is_some() => Some(name.clone()),
                    _ => None,
                })
                .collect();
            // The API's own timestamps, kept by the store where the documented object has them.
            let stamps: Vec<String> = ["created_on", "modified_on"]
                .into_iter()
                .filter(|f| object.get(*f).is_some())
                .map(str::to_owned)
                .collect();
            Some((
                keep_required(ir, op, &slot, object, id_field),
                path_fields,
                stamps,
            ))
        });
        let Some((documented, path_fields, stamps)) = documented else {
            continue;
        };
        let seed = at_path
            .iter()
            .filter(|o| o.method == Method::Get)
            .find_map(|op| {
                let result = documented_result(op)?;
                let slot = find_slot(result, id_field)?;
                Some(objects_at(result, &slot))
            })
            .unwrap_or_default();
        let lifecycle = ordered
            .iter()
            .find_map(|op| status_values(ir, op))
            .unwrap_or_default();
        return Some(Collection {
            path: path.to_owned(),
            segments,
            item_param,
            id_field: id_field.clone(),
            documented,
            path_fields,
            stamps,
            seed,
            lifecycle,
        });
    }
    None
}

/// The documented object with only the fields its type requires (and its id): a new object
/// has what every answer must carry, plus what its creator sent, and nothing the example
/// happened to show.
fn keep_required(ir: &Ir, op: &Operation, slot: &Slot, object: Value, id_field: &str) -> Value {
    let codegen::ir::Response::Envelope { result, .. } = &op.response else {
        return object;
    };
    let mut ty = result.clone();
    if let Some(field) = &slot.field {
        let found = object_fields(ir, &ty, &object, 0)
            .and_then(|fields| fields.into_iter().find(|f| &f.name == field));
        let Some(f) = found else {
            return object;
        };
        ty = f.ty;
    }
    if slot.many {
        let Ty::Array { items } = ty else {
            return object;
        };
        ty = *items;
    }
    let Some(fields) = object_fields(ir, &ty, &object, 0) else {
        return object;
    };
    let Value::Object(map) = object else {
        return object;
    };
    let kept = map
        .into_iter()
        .filter(|(k, _)| k == id_field || fields.iter().any(|f| f.required && &f.name == k))
        .collect();
    Value::Object(kept)
}

/// The fields of the object type `ty` describes; for a union, of the first alternative whose
/// required fields `value` all has.
fn object_fields(ir: &Ir, ty: &Ty, value: &Value, depth: usize) -> Option<Vec<codegen::ir::Field>> {
    if depth > 8 {
        return None;
    }
    let Ty::Ref { id } = ty else {
        return None;
    };
    match &ir.def(id)?.body {
        TypeBody::Object { fields } => Some(fields.clone()),
        TypeBody::Alias { target } => object_fields(ir, target, value, depth + 1),
        TypeBody::Union { alternatives, .. } => alternatives.iter().find_map(|a| {
            let fields = object_fields(ir, &a.ty, value, depth + 1)?;
            fields
                .iter()
                .all(|f| !f.required || value.get(&f.name).is_some())
                .then_some(fields)
        }),
        TypeBody::Enum { .. } => None,
    }
}

/// `pending`, `running`, `success`, when the operation's result has a `status` enum with all
/// three (directly or in every alternative of a union).
fn status_values(ir: &Ir, op: &Operation) -> Option<Vec<String>> {
    let codegen::ir::Response::Envelope { result, .. } = &op.response else {
        return None;
    };
    let wanted = ["pending", "running", "success"];
    let values = status_enum(ir, result, 0)?;
    wanted
        .iter()
        .all(|w| values.iter().any(|v| v == w))
        .then(|| wanted.iter().map(|w| (*w).to_owned()).collect())
}

fn status_enum(ir: &Ir, ty: &Ty, depth: usize) -> Option<Vec<String>> {
    if depth > 8 {
        return None;
    }
    let Ty::Ref { id } = ty else {
        return match ty {
            Ty::Array { items } => status_enum(ir, items, depth + 1),
            _ => None,
        };
    };
    match &ir.def(id)?.body {
        TypeBody::Object { fields } => {
            let status = fields.iter().find(|f| f.name == "status")?;
            match &status.ty {
                Ty::Ref { id } => match &ir.def(id)?.body {
                    TypeBody::Enum { values, .. } => Some(values.clone()),
                    _ => None,
                },
                _ => None,
            }
        }
        TypeBody::Union { alternatives, .. } => alternatives
            .iter()
            .find_map(|a| status_enum(ir, &a.ty, depth + 1)),
        TypeBody::Alias { target } => status_enum(ir, target, depth + 1),
        TypeBody::Enum { .. } => None,
    }
}

/// The mock's role for an operation: the IR's role (which the client's method names read too),
/// tied to the collection whose path the operation's path is, or is an item of.
fn role(collections: &[Collection], op: &Operation) -> Role {
    use codegen::ir::Role as R;
    for (i, c) in collections.iter().enumerate() {
        if op.role.on_collection() && op.path == c.path {
            return match op.role {
                R::List => Role::List(i),
                R::Create => Role::Create(i),
                R::BulkUpdate | R::BulkEdit => Role::BulkUpdate(i),
                _ => Role::BulkDelete(i),
            };
        }
        let is_item = c.item_param.as_ref().is_some_and(|param| {
            op.path.strip_prefix(c.path.as_str()) == Some(&format!("/{{{param}}}"))
        });
        if op.role.on_item() && is_item {
            return match op.role {
                R::Get => Role::Get(i),
                R::Update | R::Edit => Role::Update(i),
                R::Delete => Role::Delete(i),
                _ => Role::Other,
            };
        }
    }
    Role::Other
}

fn parents_of(collections: &[Collection], op: &Operation) -> Vec<Parent> {
    let mut out: Vec<Parent> = collections
        .iter()
        .enumerate()
        .filter_map(|(i, c)| {
            let param = c.item_param.as_ref()?;
            let prefix = format!("{}/{{{param}}}", c.path);
            let names = op.path == prefix
                || (op.path.starts_with(&prefix)
                    && op.path.as_bytes().get(prefix.len()) == Some(&b'/'));
            names.then(|| Parent {
                collection: i,
                param: param.clone(),
            })
        })
        .collect();
    out.sort_by_key(|p| collections[p.collection].segments.len());
    out
}
