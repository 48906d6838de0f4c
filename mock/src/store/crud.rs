//! What the operations on one object (create, read, update, delete) and their bulk forms do
//! to a collection's objects.

use serde_json::Value;

use super::fields::{apply_update, body_items, merge, new_id, timestamp, with_path_fields};
use super::{Key, Request, Store, id_of, not_found};
use crate::record::Rejection;

impl Store {
    pub(super) fn create(
        &mut self,
        c: usize,
        request: &Request<'_>,
    ) -> Result<Vec<Value>, Rejection> {
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
    pub(super) fn read(&mut self, c: usize, request: &Request<'_>) -> Result<Value, Rejection> {
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

    pub(super) fn update(&mut self, c: usize, request: &Request<'_>) -> Result<Value, Rejection> {
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

    pub(super) fn delete(&mut self, c: usize, request: &Request<'_>) -> Result<Value, Rejection> {
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
    pub(super) fn bulk(
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
}
