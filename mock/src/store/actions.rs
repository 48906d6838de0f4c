//! An action on one object (`…/ipsec_tunnels/{id}/psk_generate`): its answer is the documented
//! one made about that object, and what it reports is written into the object, so that a later
//! read shows the action's effect (a generated PSK's `psk_metadata`).

use magic_api_model::Operation;
use magic_api_model::store::documented_result;
use serde_json::Value;

use super::fields::{fresh_secret, timestamp};
use super::{Request, Store};
use crate::record::Rejection;

impl Store {
    /// The `result` of action `op` on the object of collection `c` the path names.
    pub(super) fn action(
        &mut self,
        op: usize,
        operation: &Operation,
        c: usize,
        request: &Request<'_>,
    ) -> Result<Value, Rejection> {
        let (id_field, _, id, key) = self.item(c, request)?;
        let mut object = self.find_object(c, &key, &id_field, &id)?;
        let mut result = documented_result(operation).cloned().unwrap_or(Value::Null);
        let secrets = self.secrets.get(op).cloned().unwrap_or_default();
        let now = timestamp();
        refresh_times(&mut result, &now);
        let Some(map) = result.as_object_mut() else {
            return Ok(result);
        };
        // About this object: fields named after the path's parameters take their values.
        for (name, value) in request.params {
            if map.contains_key(name) {
                map.insert(name.clone(), Value::String(value.clone()));
            }
        }
        for name in &secrets {
            if let Some(Value::String(documented)) = map.get(name) {
                self.counter += 1;
                let fresh = fresh_secret(documented.len().max(16), self.counter);
                map.insert(name.clone(), Value::String(fresh));
            }
        }
        // What the action reports becomes part of the object; secrets stay out of it (a read
        // never shows one), and so do the path's own fields.
        let written: Vec<(String, Value)> = map
            .iter()
            .filter(|(k, _)| {
                !secrets.contains(k)
                    && *k != &id_field
                    && !request.params.iter().any(|(name, _)| name == *k)
            })
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        if !written.is_empty() && !request.validate_only() {
            if let Some(fields) = object.as_object_mut() {
                fields.extend(written);
            }
            self.replace(c, key, &id_field, &id, &object);
        }
        Ok(result)
    }
}

/// Every string of `value` that reads as an RFC 3339 time becomes `now`: the action happens
/// now, not when the example was written.
fn refresh_times(value: &mut Value, now: &str) {
    match value {
        Value::String(s) if humantime::parse_rfc3339_weak(s).is_ok() && s.contains('T') => {
            *s = now.to_owned();
        }
        Value::Array(items) => items.iter_mut().for_each(|v| refresh_times(v, now)),
        Value::Object(map) => map.values_mut().for_each(|v| refresh_times(v, now)),
        _ => {}
    }
}
