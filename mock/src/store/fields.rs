//! What the store writes into objects: the fields a body brings, the fields the path implies,
//! and the ones only the server sets (ids, timestamps).

use std::time::{SystemTime, UNIX_EPOCH};

use magic_api_model::Segment;
use serde_json::Value;

use super::{BodyForm, Key};
use magic_api_model::store::{Collection, complete};

/// The objects a body carries, as its declared form says (see [`BodyForm`]).
pub(super) fn body_items(form: BodyForm, body: Option<&Value>) -> Vec<Value> {
    let objects = |items: &[Value]| items.iter().filter(|v| v.is_object()).cloned().collect();
    match (form, body) {
        (_, None) => Vec::new(),
        (BodyForm::One, Some(v)) => vec![v.clone()],
        (BodyForm::List, Some(Value::Array(items))) => objects(items),
        (BodyForm::Field(field), Some(v)) => match v.get(&field) {
            Some(Value::Array(items)) => objects(items),
            _ => Vec::new(),
        },
        (BodyForm::Loose, Some(Value::Array(items))) => objects(items),
        (BodyForm::Loose, Some(Value::Object(map))) => match map.values().next() {
            Some(Value::Array(items)) if map.len() == 1 && items.iter().all(Value::is_object) => {
                items.clone()
            }
            _ => vec![Value::Object(map.clone())],
        },
        (_, Some(_)) => Vec::new(),
    }
}

/// A fresh secret of `len` letters and digits (a generated PSK), unpredictable across runs.
pub(super) fn fresh_secret(len: usize, n: u64) -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    let mut out = String::with_capacity(len);
    let mut round = 0u64;
    while out.len() < len {
        let hex = new_id(None, n.wrapping_mul(31).wrapping_add(round));
        for pair in hex.as_bytes().chunks(2) {
            let byte = std::str::from_utf8(pair)
                .ok()
                .and_then(|p| u8::from_str_radix(p, 16).ok())
                .unwrap_or(0);
            if out.len() < len {
                out.push(char::from(ALPHABET[usize::from(byte) % ALPHABET.len()]));
            }
        }
        round += 1;
    }
    out
}

/// Top-level fields of `patch` replace those of `object`.
pub(super) fn merge(object: &mut Value, patch: &Value) {
    if let (Some(target), Some(source)) = (object.as_object_mut(), patch.as_object()) {
        for (k, v) in source {
            target.insert(k.clone(), v.clone());
        }
    }
}

/// An update: the body's fields replace the object's, `modified_on` moves, and what the store
/// keeps (the id, the path fields, `created_on`) stays as it was.
pub(super) fn apply_update(object: &mut Value, patch: &Value, collection: &Collection) {
    let kept: Vec<(String, Value)> = std::iter::once(collection.id_field.as_str())
        .chain(collection.path_fields.iter().map(String::as_str))
        .chain(collection.stamps.iter().map(String::as_str))
        .filter_map(|k| Some((k.to_owned(), object.get(k)?.clone())))
        .collect();
    merge(object, patch);
    complete(object, &collection.completions);
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
pub(super) fn with_path_fields(mut object: Value, collection: &Collection, key: &Key) -> Value {
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

/// A new id in the documented id's format: a UUID where the example is one, else 32 hex
/// digits as Cloudflare's ids are.
pub(super) fn new_id(documented: Option<&str>, n: u64) -> String {
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

/// Now, as RFC 3339 UTC with whole seconds (`2026-12-03T05:30:00Z`), the form of the API's
/// `created_on` / `modified_on`.
///
/// Formatted by `humantime` rather than a calendar of our own: RFC 3339 is not an HTTP-date, so
/// the `httpdate` crate the client uses would need its output rearranged by hand, while
/// `humantime` (no dependencies, and only the mock compiles it) writes exactly this form. A clock
/// set before 1970 gives the epoch instead of a panic.
pub(super) fn timestamp() -> String {
    let now = SystemTime::now().max(UNIX_EPOCH);
    humantime::format_rfc3339_seconds(now).to_string()
}
