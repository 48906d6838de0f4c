//! The stateful mock's data: the objects of every collection, keyed by the collection's
//! concrete path (so each account, and each site's LANs, are apart), and what each operation
//! does to them. What a collection is and which operation does what is derived from the IR in
//! [`model`].

pub(crate) mod model;

use std::collections::{HashMap, HashSet};
use std::time::{SystemTime, UNIX_EPOCH};

use codegen::ir::{Ir, Operation, Pagination, Response, Segment};
use serde_json::{Map, Value, json};

use crate::record::Rejection;
use model::{Collection, Model, Role, Slot, documented_result, find_slot};

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
            model: Model::new(ir),
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
        let role = self.model.roles.get(op).copied().unwrap_or(Role::Other);
        let result = match role {
            Role::Other => return self.other(operation, request),
            Role::List(c) => return Ok(Answer::Json(self.list(operation, c, request))),
            Role::Create(c) => self.create(c, request)?,
            Role::Get(c) => vec![self.read(c, request)?],
            Role::Update(c) => vec![self.update(c, request)?],
            Role::Delete(c) => vec![self.delete(c, request)?],
            Role::BulkUpdate(c) => self.bulk(c, request, false)?,
            Role::BulkDelete(c) => self.bulk(c, request, true)?,
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

    fn list(&mut self, op: &Operation, c: usize, request: &Request<'_>) -> Value {
        let Some((_, key)) = self.key(c, request) else {
            return envelope(op, Value::Null, None);
        };
        let all = self.objects_mut(c, key).clone();
        let total = all.len();
        let paged = matches!(
            &op.response,
            Response::Envelope {
                pagination: Some(Pagination::Pages { .. }),
                ..
            }
        );
        let (objects, info) = if paged {
            let per_page = request
                .query("per_page")
                .and_then(|v| v.parse::<usize>().ok())
                .filter(|n| *n > 0)
                .unwrap_or(25);
            let page = request
                .query("page")
                .and_then(|v| v.parse::<usize>().ok())
                .filter(|n| *n > 0)
                .unwrap_or(1);
            let start = (page - 1).saturating_mul(per_page).min(total);
            let end = start.saturating_add(per_page).min(total);
            let objects = all
                .get(start..end)
                .map(<[Value]>::to_vec)
                .unwrap_or_default();
            let info = json!({
                "page": page,
                "per_page": per_page,
                "count": objects.len(),
                "total_count": total,
                "total_pages": total.div_ceil(per_page),
            });
            (objects, Some(info))
        } else {
            (all, None)
        };
        envelope(op, place(op, self.model.collections.get(c), objects), info)
    }

    fn create(&mut self, c: usize, request: &Request<'_>) -> Result<Vec<Value>, Rejection> {
        let Some((collection, key)) = self.key(c, request) else {
            return Ok(Vec::new());
        };
        let collection = collection.clone();
        let collection = &collection;
        let items = body_items(request.body);
        let mut created = Vec::with_capacity(items.len());
        let now = timestamp();
        for item in items {
            self.counter += 1;
            let mut object = collection.documented.clone();
            merge(&mut object, &item);
            let id = new_id(
                id_of(&collection.documented, &collection.id_field),
                self.counter,
            );
            if let Some(map) = object.as_object_mut() {
                map.insert(collection.id_field.clone(), Value::String(id));
                for field in &collection.stamps {
                    map.insert(field.clone(), Value::String(now.clone()));
                }
                if let Some(first) = collection.lifecycle.first() {
                    map.insert("status".into(), Value::String(first.clone()));
                }
            }
            created.push(with_path_fields(object, collection, &key));
        }
        if !request.validate_only() {
            self.objects_mut(c, key).extend(created.iter().cloned());
        }
        Ok(created)
    }

    /// The object the path names (its existence is checked already), moved one step along its
    /// lifecycle.
    fn read(&mut self, c: usize, request: &Request<'_>) -> Result<Value, Rejection> {
        let (id_field, lifecycle, id, key) = self.item(c, request)?;
        let objects = self.objects_mut(c, key);
        let object = objects
            .iter_mut()
            .find(|o| id_of(o, &id_field) == Some(id.as_str()))
            .ok_or_else(|| not_found(&id))?;
        if let Some(map) = object.as_object_mut() {
            let current = map.get("status").and_then(Value::as_str);
            let next = current
                .and_then(|s| lifecycle.iter().position(|l| l == s))
                .and_then(|at| lifecycle.get(at + 1));
            if let Some(next) = next {
                map.insert("status".into(), Value::String(next.clone()));
            }
        }
        Ok(object.clone())
    }

    fn update(&mut self, c: usize, request: &Request<'_>) -> Result<Value, Rejection> {
        let (id_field, _, id, key) = self.item(c, request)?;
        let validate_only = request.validate_only();
        let patch = request.body.cloned().unwrap_or(Value::Null);
        let Some(collection) = self.model.collections.get(c).cloned() else {
            return Err(not_found(&id));
        };
        let objects = self.objects_mut(c, key);
        let object = objects
            .iter_mut()
            .find(|o| id_of(o, &id_field) == Some(id.as_str()))
            .ok_or_else(|| not_found(&id))?;
        let mut updated = object.clone();
        apply_update(&mut updated, &patch, &collection);
        if !validate_only {
            *object = updated.clone();
        }
        Ok(updated)
    }

    fn delete(&mut self, c: usize, request: &Request<'_>) -> Result<Value, Rejection> {
        let (id_field, _, id, key) = self.item(c, request)?;
        if request.validate_only() {
            return self
                .objects_mut(c, key)
                .iter()
                .find(|o| id_of(o, &id_field) == Some(id.as_str()))
                .cloned()
                .ok_or_else(|| not_found(&id));
        }
        self.remove(c, key, &id_field, &id)
    }

    /// Removes one object and every collection under it.
    fn remove(&mut self, c: usize, key: Key, id_field: &str, id: &str) -> Result<Value, Rejection> {
        let objects = self.objects_mut(c, key.clone());
        let at = objects
            .iter()
            .position(|o| id_of(o, id_field) == Some(id))
            .ok_or_else(|| not_found(id))?;
        let removed = objects.remove(at);
        let mut prefix = key;
        prefix.push(id.to_owned());
        self.objects
            .retain(|(_, k), _| !(k.len() > prefix.len() && k.starts_with(&prefix)));
        Ok(removed)
    }

    /// Updates or deletes the objects the body lists, each named by its id field.
    fn bulk(
        &mut self,
        c: usize,
        request: &Request<'_>,
        delete: bool,
    ) -> Result<Vec<Value>, Rejection> {
        let Some((collection, key)) = self.key(c, request) else {
            return Ok(Vec::new());
        };
        let collection = collection.clone();
        let id_field = collection.id_field.clone();
        let items = body_items(request.body);
        // Every id must exist before anything changes.
        let existing = self.objects_mut(c, key.clone()).clone();
        let mut targets = Vec::with_capacity(items.len());
        for item in &items {
            let id = id_of(item, &id_field)
                .or_else(|| id_of(item, "id"))
                .ok_or_else(|| {
                    let mut r = Rejection::bad(
                        crate::record::code::BODY_SCHEMA,
                        format!("every listed object needs its `{id_field}`"),
                    );
                    r.pointer = Some(String::new());
                    r
                })?
                .to_owned();
            let current = existing
                .iter()
                .find(|o| id_of(o, &id_field) == Some(id.as_str()))
                .cloned()
                .ok_or_else(|| not_found(&id))?;
            // An id listed twice is one object: changed (or deleted) once.
            if !targets.iter().any(|(seen, _, _)| *seen == id) {
                targets.push((id, current, item));
            }
        }
        let validate_only = request.validate_only();
        let mut out = Vec::with_capacity(targets.len());
        for (id, mut current, item) in targets {
            if delete {
                if !validate_only {
                    self.remove(c, key.clone(), &id_field, &id)?;
                }
            } else {
                apply_update(&mut current, item, &collection);
                if !validate_only {
                    let objects = self.objects_mut(c, key.clone());
                    if let Some(o) = objects
                        .iter_mut()
                        .find(|o| id_of(o, &id_field) == Some(id.as_str()))
                    {
                        *o = current.clone();
                    }
                }
            }
            out.push(current);
        }
        Ok(out)
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

    /// Other operations: the documented answer, except that cursor-paged lists page through
    /// their documented items.
    fn other(&self, op: &Operation, request: &Request<'_>) -> Result<Answer, Rejection> {
        let Response::Envelope {
            pagination: Some(Pagination::Cursor { items, cursor }),
            ..
        } = &op.response
        else {
            return Ok(Answer::Documented);
        };
        let Some(mut result) = documented_result(op).cloned() else {
            return Ok(Answer::Documented);
        };
        let all = result
            .get(items)
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default();
        let start = request
            .query(cursor)
            .and_then(|c| c.parse::<usize>().ok())
            .unwrap_or(0)
            .min(all.len());
        let limit = request
            .query("limit")
            .and_then(|l| l.parse::<usize>().ok())
            .filter(|l| *l > 0)
            .unwrap_or(all.len().max(1));
        let end = start.saturating_add(limit).min(all.len());
        let page: Vec<Value> = all
            .get(start..end)
            .map(<[Value]>::to_vec)
            .unwrap_or_default();
        if let Some(map) = result.as_object_mut() {
            if map.contains_key("count") {
                map.insert("count".into(), json!(page.len()));
            }
            map.insert(items.clone(), Value::Array(page));
            if end < all.len() {
                map.insert(cursor.clone(), Value::String(end.to_string()));
            } else {
                map.remove(cursor);
            }
        }
        Ok(Answer::Json(envelope(op, result, None)))
    }
}

fn role_collection(role: Role) -> Option<usize> {
    match role {
        Role::List(c)
        | Role::Create(c)
        | Role::BulkUpdate(c)
        | Role::BulkDelete(c)
        | Role::Get(c)
        | Role::Update(c)
        | Role::Delete(c) => Some(c),
        Role::Other => None,
    }
}

fn not_found(id: &str) -> Rejection {
    Rejection::not_found(format!("object `{id}` not found"))
}

fn id_of<'v>(object: &'v Value, field: &str) -> Option<&'v str> {
    object.get(field).and_then(Value::as_str)
}

/// The objects a body carries: a JSON list, an object whose single field is a list of objects
/// (`{"routes": [...]}`), or one object.
fn body_items(body: Option<&Value>) -> Vec<Value> {
    match body {
        Some(Value::Array(items)) => items.clone(),
        Some(Value::Object(map)) if map.len() == 1 => match map.values().next() {
            Some(Value::Array(items)) if items.iter().all(Value::is_object) => items.clone(),
            _ => vec![Value::Object(map.clone())],
        },
        Some(v @ Value::Object(_)) => vec![v.clone()],
        _ => Vec::new(),
    }
}

/// Top-level fields of `patch` replace those of `object`.
fn merge(object: &mut Value, patch: &Value) {
    if let (Some(target), Some(source)) = (object.as_object_mut(), patch.as_object()) {
        for (k, v) in source {
            target.insert(k.clone(), v.clone());
        }
    }
}

/// An update: the body's fields replace the object's, `modified_on` moves, and what the store
/// keeps (the id, the path fields, `created_on`) stays as it was.
fn apply_update(object: &mut Value, patch: &Value, collection: &Collection) {
    let kept: Vec<(String, Value)> = std::iter::once(collection.id_field.as_str())
        .chain(collection.path_fields.iter().map(String::as_str))
        .chain(collection.stamps.iter().map(String::as_str))
        .filter_map(|k| Some((k.to_owned(), object.get(k)?.clone())))
        .collect();
    merge(object, patch);
    if let Some(map) = object.as_object_mut() {
        for (k, v) in kept {
            map.insert(k, v);
        }
        if collection.stamps.iter().any(|s| s == "modified_on") {
            map.insert("modified_on".into(), Value::String(timestamp()));
        }
    }
}

/// Fields named after the collection's path parameters (`site_id` on a LAN) take the
/// request's values.
fn with_path_fields(mut object: Value, collection: &Collection, key: &Key) -> Value {
    if let Some(map) = object.as_object_mut() {
        for (segment, value) in collection.segments.iter().zip(key) {
            if let Segment::Param { name } = segment {
                if collection.path_fields.contains(name) {
                    map.insert(name.clone(), Value::String(value.clone()));
                }
            }
        }
    }
    object
}

/// The answer's `result`: the objects placed where the documented answer holds them, next to
/// its other documented fields (`modified: true`).
fn place(op: &Operation, collection: Option<&Collection>, objects: Vec<Value>) -> Value {
    if matches!(op.response, Response::None | Response::Binary { .. }) {
        return Value::Null;
    }
    let documented = documented_result(op);
    let slot = collection.and_then(|c| documented.and_then(|d| find_slot(d, &c.id_field)));
    let slot = slot.unwrap_or(Slot {
        field: None,
        many: documented.is_some_and(Value::is_array),
    });
    let value = if slot.many {
        Value::Array(objects)
    } else {
        objects.into_iter().next().unwrap_or(Value::Null)
    };
    match slot.field {
        None => value,
        Some(field) => {
            let mut result = documented
                .cloned()
                .filter(Value::is_object)
                .unwrap_or_else(|| Value::Object(Map::new()));
            if let Some(map) = result.as_object_mut() {
                map.insert(field, value);
            }
            result
        }
    }
}

/// The documented envelope with `result` (and `result_info`) replaced.
fn envelope(op: &Operation, result: Value, info: Option<Value>) -> Value {
    let mut envelope = op
        .examples
        .response
        .clone()
        .filter(Value::is_object)
        .unwrap_or_else(|| json!({"success": true, "errors": [], "messages": []}));
    if let Some(map) = envelope.as_object_mut() {
        map.insert("result".into(), result);
        map.insert("success".into(), Value::Bool(true));
        map.insert("errors".into(), json!([]));
        map.insert("messages".into(), json!([]));
        match info {
            Some(info) => {
                map.insert("result_info".into(), info);
            }
            None => {
                map.remove("result_info");
            }
        }
    }
    envelope
}

/// A new id in the documented id's format: a UUID where the example is one, else 32 hex
/// digits as Cloudflare's ids are.
fn new_id(documented: Option<&str>, n: u64) -> String {
    // splitmix64 of the counter and the time: unique within a run, unpredictable across runs.
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos() as u64);
    let mut x = n.wrapping_mul(0x9e37_79b9_7f4a_7c15) ^ nanos;
    let mut next = || {
        x = x.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = x;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    };
    let hex = format!("{:016x}{:016x}", next(), next());
    let is_uuid =
        documented.is_some_and(|d| d.len() == 36 && d.bytes().filter(|b| *b == b'-').count() == 4);
    if is_uuid {
        format!(
            "{}-{}-{}-{}-{}",
            &hex[..8],
            &hex[8..12],
            &hex[12..16],
            &hex[16..20],
            &hex[20..32]
        )
    } else {
        hex
    }
}

/// Now, as RFC 3339 UTC with seconds (`2026-12-03T05:30:00Z`).
fn timestamp() -> String {
    let secs = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let days = (secs / 86_400) as i64;
    let rem = secs % 86_400;
    // Civil date from days since 1970-01-01 (Howard Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}
