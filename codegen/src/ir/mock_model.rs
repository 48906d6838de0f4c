//! The stateful mock's model, decided here once from the IR (the data types and what they mean
//! are in `magic_api_model::store`): collections, each operation's effect on them, and the
//! objects each operation's path names.

use std::collections::BTreeSet;

use serde_json::Value;

use super::{Ir, Method, Operation, Pagination, Response, Segment, Ty, TypeBody};
use magic_api_model::store::{
    Collection, Effect, Filter, Model, Parent, Slot, Test, documented_result, find_slot, objects_at,
};

/// Derives collections, effects and parents from the IR.
pub(super) fn model(ir: &Ir) -> Model {
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
        if op.method == Method::Get && matches!(op.segments.last(), Some(Segment::Literal { .. })) {
            paths.insert(op.path.clone());
        }
    }
    let collections: Vec<Collection> = paths
        .iter()
        .filter_map(|path| collection(ir, path))
        .collect();
    let effects = ir
        .operations
        .iter()
        .map(|op| effect(&collections, op))
        .collect();
    let parents = ir
        .operations
        .iter()
        .map(|op| parents_of(&collections, op))
        .collect();
    let filters = ir.operations.iter().map(|op| filters_of(ir, op)).collect();
    Model {
        collections,
        effects,
        parents,
        filters,
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
            let ty = object_type(ir, op, &slot, &object);
            let completions = ty
                .as_ref()
                .map(|ty| completions(ir, ty, &object))
                .unwrap_or_default();
            let kept = match &ty {
                Some(ty) => keep_required(ir, ty, object, id_field),
                None => object,
            };
            Some((kept, path_fields, stamps, completions))
        });
        let Some((documented, path_fields, stamps, completions)) = documented else {
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
            completions,
        });
    }
    None
}

/// The type of the documented object at `slot` of the operation's result.
fn object_type(ir: &Ir, op: &Operation, slot: &Slot, object: &Value) -> Option<Ty> {
    let Response::Envelope { result, .. } = &op.response else {
        return None;
    };
    let mut ty = result.clone();
    if let Some(field) = &slot.field {
        ty = object_fields(ir, &ty, object, 0)?
            .into_iter()
            .find(|f| &f.name == field)?
            .ty;
    }
    if slot.many {
        let Ty::Array { items } = ty else {
            return None;
        };
        ty = *items;
    }
    Some(ty)
}

/// The documented object with only the fields its type requires (and its id): a new object
/// has what every answer must carry, plus what its creator sent, and nothing the example
/// happened to show.
fn keep_required(ir: &Ir, ty: &Ty, object: Value, id_field: &str) -> Value {
    let Some(fields) = object_fields(ir, ty, &object, 0) else {
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

/// For each field of the documented `object` that holds an object, the documented values of the
/// fields that object's type requires (see [`Collection::completions`]).
fn completions(ir: &Ir, ty: &Ty, object: &Value) -> serde_json::Map<String, Value> {
    let mut out = serde_json::Map::new();
    let Some(fields) = object_fields(ir, ty, object, 0) else {
        return out;
    };
    for f in &fields {
        let Some(held @ Value::Object(_)) = object.get(&f.name) else {
            continue;
        };
        let Some(inner) = object_fields(ir, &f.ty, held, 0) else {
            continue;
        };
        let required: serde_json::Map<String, Value> = inner
            .iter()
            .filter(|g| g.required)
            .filter_map(|g| Some((g.name.clone(), held.get(&g.name)?.clone())))
            .collect();
        if !required.is_empty() {
            out.insert(f.name.clone(), Value::Object(required));
        }
    }
    out
}

/// The fields of the object type `ty` describes; for a union, of the first alternative whose
/// required fields `value` all has.
fn object_fields(ir: &Ir, ty: &Ty, value: &Value, depth: usize) -> Option<Vec<super::Field>> {
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
    let Response::Envelope { result, .. } = &op.response else {
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

/// What an operation does to the data: the IR's role (which the client's method names read too),
/// tied to the collection whose path the operation's path is, or is an item of.
fn effect(collections: &[Collection], op: &Operation) -> Effect {
    use super::Role as R;
    for (i, c) in collections.iter().enumerate() {
        if op.role.on_collection() && op.path == c.path {
            return match op.role {
                R::List => Effect::List(i),
                R::Create => Effect::Create(i),
                R::BulkUpdate | R::BulkEdit => Effect::BulkUpdate(i),
                _ => Effect::BulkDelete(i),
            };
        }
        let is_item = c.item_param.as_ref().is_some_and(|param| {
            op.path.strip_prefix(c.path.as_str()) == Some(&format!("/{{{param}}}"))
        });
        if op.role.on_item() && is_item {
            return match op.role {
                R::Get => Effect::Get(i),
                R::Update | R::Edit => Effect::Update(i),
                R::Delete => Effect::Delete(i),
                _ => Effect::Other,
            };
        }
        // `P/{param}/verb`, not a read: an action on the object.
        if let (
            R::Action {
                segment: Some(verb),
            },
            Some(param),
        ) = (&op.role, &c.item_param)
        {
            let on_object =
                op.path.strip_prefix(c.path.as_str()) == Some(&format!("/{{{param}}}/{verb}"));
            if on_object && op.method != Method::Get {
                return Effect::Action(i);
            }
        }
    }
    Effect::Other
}

/// The query parameters that select the items of a cursor-paged list (see
/// `magic_api_model::store`).
fn filters_of(ir: &Ir, op: &Operation) -> Vec<Filter> {
    let Response::Envelope {
        result,
        pagination: Some(Pagination::Cursor { items, cursor }),
        ..
    } = &op.response
    else {
        return Vec::new();
    };
    let defs = ir.defs();
    let item_fields = defs
        .object_fields(result)
        .and_then(|fields| fields.iter().find(|f| &f.name == items))
        .and_then(|f| match &f.ty {
            Ty::Array { items } => defs.object_fields(items),
            _ => None,
        })
        .unwrap_or_default();
    let is_number = |f: &super::Field| matches!(f.ty, Ty::Number | Ty::Integer);
    // The field an operation below the list addresses its items by: the first path parameter
    // after the list's path whose name ends in `_<field>` of a number field (`event_t`: `t`).
    let below = format!("{}/", op.path);
    let keyed = ir
        .operations
        .iter()
        .filter(|o| o.path.starts_with(&below))
        .flat_map(|o| o.segments.iter().skip(op.segments.len()))
        .flat_map(|s| match s {
            Segment::Param { name } => vec![name.clone()],
            Segment::Compound { parts } => parts
                .iter()
                .filter_map(|p| match p {
                    Segment::Param { name } => Some(name.clone()),
                    _ => None,
                })
                .collect(),
            Segment::Literal { .. } => Vec::new(),
        })
        .find_map(|name| {
            let (_, field) = name.rsplit_once('_')?;
            item_fields
                .iter()
                .find(|f| f.name == field && is_number(f))
                .map(|f| f.name.clone())
        });
    let mut out = Vec::new();
    for p in op.params_in(super::ParamLocation::Query) {
        let name = &p.field.name;
        if name == cursor {
            continue;
        }
        let test = if item_fields.iter().any(|f| &f.name == name) {
            Some((name.clone(), Test::Equal))
        } else {
            match (name.as_str(), &keyed) {
                ("from", Some(field)) => Some((field.clone(), Test::AtLeast)),
                ("to", Some(field)) => Some((field.clone(), Test::AtMost)),
                _ => None,
            }
        };
        if let Some((field, test)) = test {
            out.push(Filter {
                param: name.clone(),
                field,
                test,
            });
        }
    }
    out
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
