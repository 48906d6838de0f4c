//! How the store's answers are laid out: the documented envelope, with the objects placed
//! where the documented `result` holds them.

use magic_api_model::{Operation, Response};
use serde_json::{Map, Value, json};

use magic_api_model::store::{Collection, Slot, documented_result, find_slot};

/// The answer's `result`: the objects placed where the documented answer holds them, next to
/// its other documented fields (`modified: true`).
pub(super) fn place(op: &Operation, collection: Option<&Collection>, objects: Vec<Value>) -> Value {
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
pub(super) fn envelope(op: &Operation, result: Value, info: Option<Value>) -> Value {
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
