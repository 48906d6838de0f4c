//! What the operations on one object (create, read, update, delete) and their bulk forms do
//! to a collection's objects. Each finds what it addresses in the store's view first, so that
//! a request for an object the store does not hold changes nothing and keeps nothing.

use magic_api_model::store::complete;
use serde_json::Value;

use super::fields::{apply_update, body_items, merge, new_id, timestamp, with_path_fields};
use super::{BodyForm, Key, Request, Store, id_of, not_found};
use crate::record::Rejection;

impl Store {
    pub(super) fn create(
        &mut self,
        op: usize,
        c: usize,
        request: &Request<'_>,
    ) -> Result<Vec<Value>, Rejection> {
        let Some((collection, key)) = self.key(c, request) else {
            return Ok(Vec::new());
        };
        let collection = collection.clone();
        let collection = &collection;
        let items = body_items(self.form(op), request.body);
        let mut created = Vec::with_capacity(items.len());
        let now = timestamp();
        for item in items {
            self.counter += 1;
            let mut object = collection.documented.clone();
            merge(&mut object, &item);
            complete(&mut object, &collection.completions);
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
        if !request.validate_only() && !created.is_empty() {
            self.objects_mut(c, key).extend(created.iter().cloned());
        }
        Ok(created)
    }

    /// The object the path names, moved one step along its lifecycle.
    pub(super) fn read(&mut self, c: usize, request: &Request<'_>) -> Result<Value, Rejection> {
        let (id_field, lifecycle, id, key) = self.item(c, request)?;
        let mut object = self.find_object(c, &key, &id_field, &id)?;
        let next = object
            .get("status")
            .and_then(Value::as_str)
            .and_then(|s| lifecycle.iter().position(|l| l == s))
            .and_then(|at| lifecycle.get(at + 1));
        if let (Some(next), Some(map)) = (next, object.as_object_mut()) {
            map.insert("status".into(), Value::String(next.clone()));
            self.replace(c, key, &id_field, &id, &object);
        }
        Ok(object)
    }

    pub(super) fn update(&mut self, c: usize, request: &Request<'_>) -> Result<Value, Rejection> {
        let (id_field, _, id, key) = self.item(c, request)?;
        let Some(collection) = self.model.collections.get(c).cloned() else {
            return Err(not_found(&id));
        };
        let mut updated = self.find_object(c, &key, &id_field, &id)?;
        let patch = request.body.cloned().unwrap_or(Value::Null);
        apply_update(&mut updated, &patch, &collection);
        if !request.validate_only() {
            self.replace(c, key, &id_field, &id, &updated);
        }
        Ok(updated)
    }

    pub(super) fn delete(&mut self, c: usize, request: &Request<'_>) -> Result<Value, Rejection> {
        let (id_field, _, id, key) = self.item(c, request)?;
        let found = self.find_object(c, &key, &id_field, &id)?;
        if request.validate_only() {
            return Ok(found);
        }
        self.remove(c, key, &id_field, &id)
    }

    /// Puts `object` in place of the one with id `id` (which the caller found in the view).
    pub(super) fn replace(&mut self, c: usize, key: Key, id_field: &str, id: &str, object: &Value) {
        let objects = self.objects_mut(c, key);
        if let Some(o) = objects.iter_mut().find(|o| id_of(o, id_field) == Some(id)) {
            o.clone_from(object);
        }
    }

    /// Removes one object and every collection under it.
    fn remove(&mut self, c: usize, key: Key, id_field: &str, id: &str) -> Result<Value, Rejection> {
        let objects = self.objects_mut(c, key.clone());
        let at = objects
            .iter()
            .position(|o| id_of(o, id_field) == Some(id))
            .ok_or_else(|| not_found(id))?;
        let removed = objects.remove(at);
        self.forget_if_empty(c, &key);
        let mut prefix = key;
        prefix.push(id.to_owned());
        let under = |k: &Key| k.len() > prefix.len() && k.starts_with(&prefix);
        self.objects.retain(|(_, k), _| !under(k));
        self.items.retain(|(_, k), _| !under(k));
        Ok(removed)
    }

    /// Updates or deletes the objects the body lists, each named by its id field.
    pub(super) fn bulk(
        &mut self,
        op: usize,
        c: usize,
        request: &Request<'_>,
        delete: bool,
    ) -> Result<Vec<Value>, Rejection> {
        let Some((collection, key)) = self.key(c, request) else {
            return Ok(Vec::new());
        };
        let collection = collection.clone();
        let id_field = collection.id_field.clone();
        let form = self.form(op);
        let items = body_items(form.clone(), request.body);
        // Every id must exist before anything changes.
        let existing = self.view(c, &key).into_owned();
        let mut targets = Vec::with_capacity(items.len());
        for item in &items {
            let Some(id) = id_of(item, &id_field).or_else(|| id_of(item, "id")) else {
                // The reference asks for no id in a body it leaves untyped: such an object
                // names nothing to change.
                if form == BodyForm::Loose {
                    continue;
                }
                let mut r = Rejection::bad(
                    crate::record::code::BODY_SCHEMA,
                    format!("every listed object needs its `{id_field}`"),
                );
                r.pointer = Some(String::new());
                return Err(r);
            };
            let current = existing
                .iter()
                .find(|o| id_of(o, &id_field) == Some(id))
                .cloned()
                .ok_or_else(|| not_found(id))?;
            // An id listed twice is one object: changed (or deleted) once.
            if !targets.iter().any(|(seen, _, _)| seen == id) {
                targets.push((id.to_owned(), current, item));
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
                    self.replace(c, key.clone(), &id_field, &id, &current);
                }
            }
            out.push(current);
        }
        Ok(out)
    }

    fn form(&self, op: usize) -> BodyForm {
        self.forms.get(op).cloned().unwrap_or(BodyForm::One)
    }
}
