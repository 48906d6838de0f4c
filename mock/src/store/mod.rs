//! The stateful mock's data: the objects of every collection, keyed by the collection's
//! concrete path (so each account, and each site's LANs, are apart), and what each operation
//! does to them. What a collection is and which operation does what was decided by the
//! generator (`magic_api_model::store`, carried by the IR); what the operations do is in [`crud`] (single objects and bulk changes) and
//! [`lists`] (lists, a page at a time); what the store fills into objects in [`fields`]; how
//! its answers are laid out in [`envelope`].

mod crud;
mod envelope;
mod fields;
mod lists;

use std::collections::{HashMap, HashSet};

use magic_api_model::{Ir, Segment};
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

/// The data.
pub(crate) struct Store {
    model: Model,
    /// Objects per collection and concrete path, in creation order.
    objects: HashMap<(usize, Key), Vec<Value>>,
    /// Load each collection's documented list the first time it is touched.
    seed_examples: bool,
    /// Ids of the objects seeding created: only their children are seeded in turn.
    seeded: HashSet<String>,
    /// Feeds id generation.
    counter: u64,
}

impl Store {
    /// An empty store (or one that seeds itself with the documented examples).
    pub(crate) fn new(ir: &Ir, seed_examples: bool) -> Store {
        Store {
            model: ir.store.clone(),
            objects: HashMap::new(),
            seed_examples,
            seeded: HashSet::new(),
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
            Effect::Other => return self.other(operation, request),
            Effect::List(c) => return Ok(Answer::Json(self.list(operation, c, request))),
            Effect::Create(c) => self.create(c, request)?,
            Effect::Get(c) => vec![self.read(c, request)?],
            Effect::Update(c) => vec![self.update(c, request)?],
            Effect::Delete(c) => vec![self.delete(c, request)?],
            Effect::BulkUpdate(c) => self.bulk(c, request, false)?,
            Effect::BulkDelete(c) => self.bulk(c, request, true)?,
        };
        let collection = role_collection(role).and_then(|c| self.model.collections.get(c));
        Ok(Answer::Json(envelope(
            operation,
            place(operation, collection, result),
            None,
        )))
    }

    /// 404 unless every object the path names exists.
    fn check_parents(&mut self, op: usize, request: &Request<'_>) -> Result<(), Rejection> {
        let parents = self.model.parents.get(op).cloned().unwrap_or_default();
        for parent in parents {
            let Some(id) = request.param(&parent.param) else {
                continue;
            };
            let Some((c, key)) = self.key(parent.collection, request) else {
                continue;
            };
            let id_field = c.id_field.clone();
            let found = self
                .objects_mut(parent.collection, key)
                .iter()
                .any(|o| id_of(o, &id_field) == Some(id));
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
        let mut key = Vec::with_capacity(collection.segments.len());
        for segment in &collection.segments {
            match segment {
                Segment::Literal { text } => key.push(text.clone()),
                Segment::Param { name } => key.push(request.param(name)?.to_owned()),
                Segment::Compound { .. } => return None,
            }
        }
        Some((collection, key))
    }

    /// The objects at `key`, seeded on first touch when seeding is on and the parent object
    /// (if any) was seeded too.
    fn objects_mut(&mut self, c: usize, key: Key) -> &mut Vec<Value> {
        let seed = self.seed_examples && self.parent_was_seeded(c, &key);
        let collections = &self.model.collections;
        let seeded = &mut self.seeded;
        self.objects.entry((c, key.clone())).or_insert_with(|| {
            let Some(collection) = collections.get(c) else {
                return Vec::new();
            };
            if !seed {
                return Vec::new();
            }
            let objects: Vec<Value> = collection
                .seed
                .iter()
                .map(|o| with_path_fields(o.clone(), collection, &key))
                .collect();
            for o in &objects {
                if let Some(id) = id_of(o, &collection.id_field) {
                    seeded.insert(id.to_owned());
                }
            }
            objects
        })
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
                self.seeded.contains(value)
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

fn role_collection(role: Effect) -> Option<usize> {
    match role {
        Effect::List(c)
        | Effect::Create(c)
        | Effect::BulkUpdate(c)
        | Effect::BulkDelete(c)
        | Effect::Get(c)
        | Effect::Update(c)
        | Effect::Delete(c) => Some(c),
        Effect::Other => None,
    }
}

fn not_found(id: &str) -> Rejection {
    Rejection::not_found(format!("object `{id}` not found"))
}

fn id_of<'v>(object: &'v Value, field: &str) -> Option<&'v str> {
    object.get(field).and_then(Value::as_str)
}
