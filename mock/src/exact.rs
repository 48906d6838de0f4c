//! Numbers kept exactly as sent. `serde_json::Value` holds a number as an `i64`, `u64` or
//! `f64`, so `1.50`, `1e3`, `1700000000.123456789` or `18446744073709551616` would come back
//! from the store as `1.5`, `1000.0`, `1700000000.1234567` and `1.8446744073709552e19`.
//! (`serde_json`'s `arbitrary_precision` feature would keep them, but it changes every
//! `serde_json` number in the build, the client's inside a user's tests included, so the mock
//! does without it.)
//!
//! Instead, a body whose numbers would not come back as written is read a second time with
//! `serde_json`'s raw values, and each such number is held in the store as a one-key object
//! whose key is [`MARK`] (never a key of the API: it starts with a NUL) and whose value is the
//! number's text. Every answer is written through [`Exact`], which writes those as the raw
//! number again; [`as_f64`] reads either form. Bodies whose numbers all round-trip (nearly
//! all) are read once, as before.

use std::collections::BTreeMap;

use serde::ser::{Error as _, Serialize, SerializeMap, SerializeSeq, Serializer};
use serde_json::value::RawValue;
use serde_json::{Map, Value};

/// The key of a number held as text.
const MARK: &str = "\u{0}magic-api-mock:number";

/// Deeper bodies are read as `serde_json` reads them (it refuses more than 128 levels anyway).
const MAX_DEPTH: usize = 64;

/// `value` (the body as `serde_json` read it), or, when some number in `bytes` would not
/// come back as written, the body read again with those numbers held exactly.
pub(crate) fn exact_body(bytes: &[u8], value: Value) -> Value {
    if !has_inexact_number(bytes) {
        return value;
    }
    match std::str::from_utf8(bytes)
        .ok()
        .and_then(|text| read(text, 0).ok())
    {
        Some(exact) => exact,
        None => value,
    }
}

/// The value of a number, held either way.
pub(crate) fn as_f64(value: &Value) -> Option<f64> {
    match value {
        Value::Number(n) => n.as_f64(),
        Value::Object(map) => marked(map).and_then(|text| text.parse().ok()),
        _ => None,
    }
}

/// Writes a value with its exactly-held numbers as they were sent.
pub(crate) struct Exact<'a>(pub(crate) &'a Value);

impl Serialize for Exact<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self.0 {
            Value::Object(map) => {
                if let Some(text) = marked(map) {
                    let raw = RawValue::from_string(text.to_owned()).map_err(S::Error::custom)?;
                    return raw.serialize(serializer);
                }
                let mut out = serializer.serialize_map(Some(map.len()))?;
                for (k, v) in map {
                    out.serialize_entry(k, &Exact(v))?;
                }
                out.end()
            }
            Value::Array(items) => {
                let mut out = serializer.serialize_seq(Some(items.len()))?;
                for v in items {
                    out.serialize_element(&Exact(v))?;
                }
                out.end()
            }
            other => other.serialize(serializer),
        }
    }
}

/// The text of a number held exactly, if `map` is one.
fn marked(map: &Map<String, Value>) -> Option<&str> {
    if map.len() != 1 {
        return None;
    }
    match map.get(MARK) {
        Some(Value::String(text)) if is_number(text) => Some(text),
        _ => None,
    }
}

/// Whether `text` is one JSON number.
fn is_number(text: &str) -> bool {
    text.starts_with(|c: char| c == '-' || c.is_ascii_digit())
        && serde_json::from_str::<Value>(text).is_ok_and(|v| v.is_number())
}

/// Whether a number `serde_json` reads from `text` is written back as `text`.
fn round_trips(text: &str) -> bool {
    serde_json::from_str::<Value>(text)
        .and_then(|v| serde_json::to_string(&v))
        .is_ok_and(|written| written == text)
}

/// Whether any number token of a JSON text would not round-trip (a quick scan: outside
/// strings, a run of number characters is a number).
fn has_inexact_number(bytes: &[u8]) -> bool {
    let mut in_string = false;
    let mut escaped = false;
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        if in_string {
            match (escaped, b) {
                (true, _) => escaped = false,
                (false, b'\\') => escaped = true,
                (false, b'"') => in_string = false,
                _ => {}
            }
            i += 1;
            continue;
        }
        match b {
            b'"' => in_string = true,
            b'-' | b'0'..=b'9' => {
                let start = i;
                while bytes
                    .get(i)
                    .is_some_and(|c| matches!(c, b'-' | b'+' | b'.' | b'e' | b'E' | b'0'..=b'9'))
                {
                    i += 1;
                }
                let token = std::str::from_utf8(bytes.get(start..i).unwrap_or_default());
                if !token.is_ok_and(round_trips) {
                    return true;
                }
                continue;
            }
            _ => {}
        }
        i += 1;
    }
    false
}

/// Reads a JSON text, holding the numbers that would not round-trip as [`MARK`] objects.
fn read(text: &str, depth: usize) -> Result<Value, serde_json::Error> {
    let trimmed = text.trim();
    if depth > MAX_DEPTH {
        return serde_json::from_str(trimmed);
    }
    match trimmed.as_bytes().first() {
        Some(b'{') => {
            // Later duplicates win, and keys are ordered, as in `serde_json::Map`.
            let fields: BTreeMap<String, &RawValue> = serde_json::from_str(trimmed)?;
            let mut map = Map::new();
            for (k, v) in fields {
                map.insert(k, read(v.get(), depth + 1)?);
            }
            Ok(Value::Object(map))
        }
        Some(b'[') => {
            let items: Vec<&RawValue> = serde_json::from_str(trimmed)?;
            items
                .into_iter()
                .map(|v| read(v.get(), depth + 1))
                .collect::<Result<_, _>>()
                .map(Value::Array)
        }
        Some(b'-' | b'0'..=b'9') if !round_trips(trimmed) && is_number(trimmed) => {
            let mut map = Map::new();
            map.insert(MARK.to_owned(), Value::String(trimmed.to_owned()));
            Ok(Value::Object(map))
        }
        _ => serde_json::from_str(trimmed),
    }
}
