//! The stateful mock's data: the objects of every collection, keyed by the collection's
//! concrete path (so each account, and each site's LANs, are apart), and what each operation
//! does to them. What a collection is and which operation does what was decided by the
//! generator (`magic_api_model::store`, carried by the IR); what the operations do is in
//! [`crud`] (single objects and bulk changes), [`lists`] (lists, a page at a time, filtered)
//! and [`actions`] (an action on one object); what the store fills into objects in [`fields`];
//! how its answers are laid out in [`envelope`]; objects a test puts in directly in [`seed`].
//!
//! Only writes create state: a read of an account, site or object the store does not hold
//! answers from what it would hold (nothing, or the documented examples when seeding) and
//! keeps nothing, so reads of ever new accounts cost no memory.

mod actions;
mod crud;
mod envelope;
mod fields;
mod lists;
mod seed;

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};

use magic_api_model::{Defs, Ir, Response, Segment, Ty, TypeBody};
use serde_json::Value;

use crate::record::Rejection;
use envelope::{envelope, place};
use fields::with_path_fields;
use magic_api_model::store::{Collection, Effect, Model};

/// What the store answers: a JSON envelope, or "answer as documented".
pub(crate) enum Answer {
    /// This envelope, with status 200.
    Json(Value),
    /// The operation's documented answer (its parents exist).
    Documented,
}

/// The request facts the store needs.
pub(crate) struct Request<'a> {
    /// Decoded path parameters.
    pub(crate) params: &'a [(String, String)],
    /// Decoded query pairs.
    pub(crate) query: &'a [(String, String)],
    /// The parsed body.
    pub(crate) body: Option<&'a Value>,
}

impl Request<'_> {
    fn param(&self, name: &str) -> Option<&str> {
        self.params
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    fn query(&self, name: &str) -> Option<&str> {
        self.query
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    /// `?validate_only=true`: check and answer, persist nothing.
    fn validate_only(&self) -> bool {
        self.query("validate_only") == Some("true")
    }
}

/// A collection's concrete path: its template with the request's parameter values.
type Key = Vec<String>;

/// How an operation's body carries the objects it creates or changes, read from its declared
/// type (never from the value's shape: a LAN with one list field is still one LAN).
#[derive(Debug, Clone, PartialEq, Eq)]
enum BodyForm {
    /// The body is one object.
    One,
    /// The body is a list of objects.
    List,
    /// The body is an object whose one (required) field lists the objects (`{"routes": [...]}`).
    Field(String),
    /// The reference types the body `unknown`: a list, or an object whose one field is a list
    /// of objects, lists objects; any other object is one (and a bulk change skips objects
    /// without an id, since the reference asks for none).
    Loose,
}

/// The data.
pub(crate) struct Store {
    model: Model,
    /// Objects per collection and concrete path, in creation order.
    objects: HashMap<(usize, Key), Vec<Value>>,
    /// Items of cursor-paged lists a test put in, per list operation and concrete path.
    items: HashMap<(usize, Key), Vec<Value>>,
    /// Start each collection with its documented list.
    seed_examples: bool,
    /// The ids of the documented list objects (when seeding): only objects under one of them
    /// are seeded in turn.
    seed_ids: HashSet<String>,
    /// Per operation: how its body carries objects.
    forms: Vec<BodyForm>,
    /// Per operation: the secret fields of its result (an action's fresh values).
    secrets: Vec<Vec<String>>,
    /// Feeds id generation.
    counter: u64,
}

impl Store {
    /// An empty store (or one that seeds itself with the documented examples).
    pub(crate) fn new(ir: &Ir, seed_examples: bool) -> Store {
        let model = ir.store.clone();
        let seed_ids = if seed_examples {
            model
                .collections
                .iter()
                .flat_map(|c| c.seed.iter().filter_map(|o| id_of(o, &c.id_field)))
                .map(str::to_owned)
                .collect()
        } else {
            HashSet::new()
        };
        let defs = ir.defs();
        Store {
            forms: ir
                .operations
                .iter()
                .map(|op| body_form(&defs, op.body.as_ref().map(|b| &b.ty)))
                .collect(),
            secrets: ir
                .operations
                .iter()
                .map(|op| secret_fields(&defs, &op.response))
                .collect(),
            model,
            objects: HashMap::new(),
            items: HashMap::new(),
            seed_examples,
            seed_ids,
            counter: 0,
        }
    }

    /// The collections the store keeps, by path template.
    pub(crate) fn collection_paths(&self) -> Vec<&str> {
        self.model
            .collections
            .iter()
            .map(|c| c.path.as_str())
            .collect()
    }

    /// Carries out operation `op` on the data.
    pub(crate) fn answer(
        &mut self,
        ir: &Ir,
        op: usize,
        request: &Request<'_>,
    ) -> Result<Answer, Rejection> {
        let Some(operation) = ir.operations.get(op) else {
            return Ok(Answer::Documented);
        };
        self.check_parents(op, request)?;
        let role = self.model.effects.get(op).copied().unwrap_or(Effect::Other);
        let result = match role {
            Effect::Other => return self.other(op, operation, request),
            Effect::List(c) => return Ok(Answer::Json(self.list(operation, c, request))),
            Effect::Action(c) => {
                let result = self.action(op, operation, c, request)?;
                return Ok(Answer::Json(envelope(operation, result, None)));
            }
            Effect::Create(c) => self.create(op, c, request)?,
            Effect::Get(c) => vec![self.read(c, request)?],
            Effect::Update(c) => vec![self.update(c, request)?],
            Effect::Delete(c) => vec![self.delete(c, request)?],
            Effect::BulkUpdate(c) => self.bulk(op, c, request, false)?,
            Effect::BulkDelete(c) => self.bulk(op, c, request, true)?,
        };
        let collection = role_collection(role).and_then(|c| self.model.collections.get(c));
        Ok(Answer::Json(envelope(
            operation,
            place(operation, collection, result),
            None,
        )))
    }

    /// 404 unless every object the path names exists.
    fn check_parents(&self, op: usize, request: &Request<'_>) -> Result<(), Rejection> {
        let Some(parents) = self.model.parents.get(op) else {
            return Ok(());
        };
        for parent in parents {
            let Some(id) = request.param(&parent.param) else {
                continue;
            };
            let Some((c, key)) = self.key(parent.collection, request) else {
                continue;
            };
            let found = self
                .view(parent.collection, &key)
                .iter()
                .any(|o| id_of(o, &c.id_field) == Some(id));
            if !found {
                return Err(Rejection::not_found(format!(
                    "no object with {} `{id}` here",
                    parent.param
                )));
            }
        }
        Ok(())
    }

    /// The collection and its concrete path for this request.
    fn key(&self, c: usize, request: &Request<'_>) -> Option<(&Collection, Key)> {
        let collection = self.model.collections.get(c)?;
        Some((collection, concrete_key(&collection.segments, request)?))
    }

    /// The objects at `key` as they stand, for reading: the ones held, else the ones seeding
    /// would start it with, else none. Keeps nothing.
    /// A copy of the object with id `id` in the view of collection `c` at `key`, or the 404 for
    /// an id the mock does not hold.
    fn find_object(
        &self,
        c: usize,
        key: &Key,
        id_field: &str,
        id: &str,
    ) -> Result<Value, Rejection> {
        self.view(c, key)
            .iter()
            .find(|o| id_of(o, id_field) == Some(id))
            .cloned()
            .ok_or_else(|| not_found(id))
    }

    fn view(&self, c: usize, key: &Key) -> Cow<'_, [Value]> {
        match self.objects.get(&(c, key.clone())) {
            Some(objects) => Cow::Borrowed(objects.as_slice()),
            None => Cow::Owned(self.seeds(c, key)),
        }
    }

    /// The objects a collection starts with at `key`: its documented list when seeding is on
    /// and the object it hangs under (if any) was seeded too.
    fn seeds(&self, c: usize, key: &Key) -> Vec<Value> {
        let Some(collection) = self.model.collections.get(c) else {
            return Vec::new();
        };
        if !self.seed_examples || !self.parent_was_seeded(c, key) {
            return Vec::new();
        }
        collection
            .seed
            .iter()
            .map(|o| with_path_fields(o.clone(), collection, key))
            .collect()
    }

    /// The objects at `key`, for changing them (held from now on).
    fn objects_mut(&mut self, c: usize, key: Key) -> &mut Vec<Value> {
        if !self.objects.contains_key(&(c, key.clone())) {
            let seeds = self.seeds(c, &key);
            self.objects.insert((c, key.clone()), seeds);
        }
        self.objects.entry((c, key)).or_default()
    }

    /// Forgets a collection left empty, unless seeding would fill it again (then "empty" is
    /// what the test made of it, and is kept).
    fn forget_if_empty(&mut self, c: usize, key: &Key) {
        let entry = (c, key.clone());
        if self.objects.get(&entry).is_some_and(Vec::is_empty) && self.seeds(c, key).is_empty() {
            self.objects.remove(&entry);
        }
    }

    /// Whether the object a nested collection hangs under came from seeding (true for
    /// top-level collections).
    fn parent_was_seeded(&self, c: usize, key: &Key) -> bool {
        let Some(collection) = self.model.collections.get(c) else {
            return false;
        };
        // The last parameter before the collection's own literal tail names its parent.
        let last_param = collection
            .segments
            .iter()
            .zip(key)
            .filter(|(s, _)| matches!(s, Segment::Param { .. }))
            .map(|(s, v)| (s, v.as_str()))
            .next_back();
        match last_param {
            Some((Segment::Param { name }, value)) if name != "account_id" => {
                self.seed_ids.contains(value)
            }
            _ => true,
        }
    }

    /// The id field, lifecycle, requested id and concrete path of a single-object operation.
    fn item(
        &self,
        c: usize,
        request: &Request<'_>,
    ) -> Result<(String, Vec<String>, String, Key), Rejection> {
        let (collection, key) = self
            .key(c, request)
            .ok_or_else(|| Rejection::not_found("no such collection"))?;
        let param = collection.item_param.clone().unwrap_or_default();
        let id = request
            .param(&param)
            .ok_or_else(|| Rejection::not_found("no id in the path"))?
            .to_owned();
        Ok((
            collection.id_field.clone(),
            collection.lifecycle.clone(),
            id,
            key,
        ))
    }
}

/// A template's concrete path for this request (`None` for a compound segment).
fn concrete_key(segments: &[Segment], request: &Request<'_>) -> Option<Key> {
    segments
        .iter()
        .map(|segment| match segment {
            Segment::Literal { text } => Some(text.clone()),
            Segment::Param { name } => request.param(name).map(str::to_owned),
            Segment::Compound { .. } => None,
        })
        .collect()
}

fn role_collection(role: Effect) -> Option<usize> {
    match role {
        Effect::List(c)
        | Effect::Create(c)
        | Effect::BulkUpdate(c)
        | Effect::BulkDelete(c)
        | Effect::Get(c)
        | Effect::Update(c)
        | Effect::Delete(c)
        | Effect::Action(c) => Some(c),
        Effect::Other => None,
    }
}

/// How a body of type `ty` carries objects.
fn body_form(defs: &Defs<'_>, ty: Option<&Ty>) -> BodyForm {
    match ty {
        None => BodyForm::One,
        Some(Ty::Unknown) => BodyForm::Loose,
        Some(Ty::Array { .. }) => BodyForm::List,
        Some(ty) => match defs.body(ty) {
            Some(TypeBody::Object { fields }) => match fields.as_slice() {
                [only] if only.required && lists_objects(defs, &only.ty) => {
                    BodyForm::Field(only.name.clone())
                }
                _ => BodyForm::One,
            },
            _ => BodyForm::One,
        },
    }
}

/// Whether `ty` is a list of objects.
fn lists_objects(defs: &Defs<'_>, ty: &Ty) -> bool {
    match ty {
        Ty::Array { items } => matches!(defs.body(items), Some(TypeBody::Object { .. })),
        _ => false,
    }
}

/// The top-level fields of an operation's result that are secrets.
fn secret_fields(defs: &Defs<'_>, response: &Response) -> Vec<String> {
    let Response::Envelope { result, .. } = response else {
        return Vec::new();
    };
    defs.object_fields(result)
        .map(|fields| {
            fields
                .iter()
                .filter(|f| f.secret)
                .map(|f| f.name.clone())
                .collect()
        })
        .unwrap_or_default()
}

fn not_found(id: &str) -> Rejection {
    Rejection::not_found(format!("object `{id}` not found"))
}

fn id_of<'v>(object: &'v Value, field: &str) -> Option<&'v str> {
    object.get(field).and_then(Value::as_str)
}
