//! [`RawJson`]: a JSON value kept exactly as the server wrote it, for the data a type does not
//! declare (every struct's `extra`, a union's `Unknown`).
//!
//! `serde_json::Value` stores a number as `u64`, `i64` or `f64` unless a crate-wide feature
//! (`arbitrary_precision`) is enabled, so `123456789012345678901234567890` in a field the crate
//! does not know would come back as `1.2345678901234568e+29`. That feature cannot be turned on
//! from here without changing `serde_json` for the user's whole program, so unknown values are
//! kept as their source text instead (`serde_json`'s `RawValue`), which also costs less than
//! building a `Value` tree: one copy of the text per value.

use std::borrow::Cow;
use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::Value;
use serde_json::value::RawValue;

/// A JSON value kept as its exact text: decoding then re-encoding gives the same JSON, numbers
/// of any size and spelling included.
///
/// Read it with [`get`](Self::get) (the text), [`as_str`](Self::as_str) (a JSON string's
/// contents), [`to_value`](Self::to_value) (a `serde_json::Value`, with `serde_json`'s number
/// rules) or [`decode`](Self::decode) (any type). Build one from a `serde_json::Value` (`into()`)
/// or from JSON text ([`from_text`](Self::from_text)).
///
/// Two values are equal when their texts are, or else when they parse to equal
/// `serde_json::Value`s (so `{"a": 1}` equals `{"a":1}`).
#[derive(Clone)]
pub struct RawJson(Box<RawValue>);

impl RawJson {
    /// JSON `null`.
    pub fn null() -> RawJson {
        RawJson::from_checked("null")
    }

    /// The value for JSON text; an error if the text is not one JSON value.
    pub fn from_text(text: impl Into<String>) -> Result<RawJson, serde_json::Error> {
        RawValue::from_string(text.into()).map(RawJson)
    }

    /// Text this module wrote itself, so known to be valid.
    fn from_checked(text: &str) -> RawJson {
        match RawValue::from_string(text.to_owned()) {
            Ok(raw) => RawJson(raw),
            // Unreachable for the literals and `serde_json` output this is called with; a
            // `null` keeps the function total without a panic.
            Err(_) => RawJson::null(),
        }
    }

    /// The value's JSON text, exactly as received (or as written when built here).
    pub fn get(&self) -> &str {
        self.0.get()
    }

    /// The contents of a JSON string; `None` for any other kind of value.
    pub fn as_str(&self) -> Option<Cow<'_, str>> {
        let text = self.get();
        if !text.starts_with('"') {
            return None;
        }
        match serde_json::from_str::<&str>(text) {
            Ok(plain) => Some(Cow::Borrowed(plain)),
            // A string with escapes cannot be borrowed from the text.
            Err(_) => serde_json::from_str::<String>(text).ok().map(Cow::Owned),
        }
    }

    /// Whether the value is JSON `null`.
    pub fn is_null(&self) -> bool {
        self.get() == "null"
    }

    /// The value as a `serde_json::Value` (numbers as `serde_json` reads them: a whole number
    /// beyond `u64` becomes the nearest `f64`).
    pub fn to_value(&self) -> Value {
        serde_json::from_str(self.get()).unwrap_or(Value::Null)
    }

    /// Decodes the value as `T` from its exact text (so `magic_api::Number` keeps every digit).
    pub fn decode<'a, T: Deserialize<'a>>(&'a self) -> Result<T, serde_json::Error> {
        serde_json::from_str(self.get())
    }

    /// The value as a deserializer, for decoding a type from a buffered object.
    pub(crate) fn as_raw(&self) -> &RawValue {
        &self.0
    }
}

impl fmt::Debug for RawJson {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.get())
    }
}

impl fmt::Display for RawJson {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.get())
    }
}

impl PartialEq for RawJson {
    fn eq(&self, other: &RawJson) -> bool {
        self.get() == other.get() || self.to_value() == other.to_value()
    }
}

impl PartialEq<Value> for RawJson {
    fn eq(&self, other: &Value) -> bool {
        self.to_value() == *other
    }
}

impl From<Value> for RawJson {
    fn from(value: Value) -> RawJson {
        RawJson::from(&value)
    }
}

impl From<&Value> for RawJson {
    fn from(value: &Value) -> RawJson {
        RawJson::from_checked(&value.to_string())
    }
}

impl From<&str> for RawJson {
    /// A JSON string with these contents (not JSON text: use [`RawJson::from_text`] for that).
    fn from(value: &str) -> RawJson {
        RawJson::from(Value::from(value))
    }
}

impl Serialize for RawJson {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.0.serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for RawJson {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Box::<RawValue>::deserialize(deserializer).map(RawJson)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_of_any_size_round_trip() {
        let text = r#"{"big":123456789012345678901234567890,"e":1.476e3}"#;
        let raw: RawJson = serde_json::from_str(text).unwrap();
        assert_eq!(serde_json::to_string(&raw).unwrap(), text);
        let map: std::collections::BTreeMap<String, RawJson> = serde_json::from_str(text).unwrap();
        assert_eq!(map["big"].get(), "123456789012345678901234567890");
    }

    #[test]
    fn strings_read_with_and_without_escapes() {
        let plain: RawJson = serde_json::from_str(r#""simple""#).unwrap();
        assert_eq!(plain.as_str().as_deref(), Some("simple"));
        assert!(matches!(plain.as_str(), Some(Cow::Borrowed(_))));
        let escaped: RawJson = serde_json::from_str(r#""a\"b""#).unwrap();
        assert_eq!(escaped.as_str().as_deref(), Some("a\"b"));
        assert_eq!(RawJson::from_text("1").unwrap().as_str(), None);
    }

    #[test]
    fn equality_ignores_spacing_and_builds_from_values() {
        let spaced = RawJson::from_text(r#"{"a": [1, 2]}"#).unwrap();
        assert_eq!(spaced, RawJson::from(serde_json::json!({"a": [1, 2]})));
        assert_ne!(spaced, RawJson::null());
        assert!(RawJson::null().is_null());
        assert!(RawJson::from_text("{").is_err());
    }
}
