//! Serde helpers that generated types call: decoding unions the way the IR decided, and numbers
//! kept exactly as the server sent them.
//!
//! Unions whose alternatives are objects are decoded in two steps: the object is buffered
//! ([`Object`]), the IR's rule picks the alternative (a tag value, an identifying required field,
//! or the best fit), and only then is the alternative decoded. Nothing is tried and discarded,
//! and an object no rule recognises is kept whole instead of being an error.

use serde::de::DeserializeOwned;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::Value;

/// A JSON object as buffered for a union decision (also the type of every `extra` field).
pub type Object = serde_json::Map<String, Value>;

/// Buffers the object a union decides on.
pub fn object<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Object, D::Error> {
    Object::deserialize(deserializer)
}

/// Decodes the chosen alternative from the buffered object.
pub fn decode<T: DeserializeOwned, E: serde::de::Error>(object: Object) -> Result<T, E> {
    serde_json::from_value(Value::Object(object)).map_err(E::custom)
}

/// Removes a string tag field and returns its value; the rest of the object stays for the
/// variant. An absent or non-string tag leaves the object untouched.
pub fn take_tag(object: &mut Object, field: &str) -> Option<String> {
    match object.get(field) {
        Some(Value::String(_)) => match object.remove(field) {
            Some(Value::String(tag)) => Some(tag),
            _ => None,
        },
        _ => None,
    }
}

/// Serializes a tagged alternative: the tag field, then the alternative's own fields.
pub fn serialize_tagged<S: Serializer, T: Serialize>(
    serializer: S,
    field: &str,
    tag: &str,
    value: &T,
) -> Result<S::Ok, S::Error> {
    let mut object = match serde_json::to_value(value).map_err(serde::ser::Error::custom)? {
        Value::Object(object) => object,
        _ => {
            return Err(serde::ser::Error::custom(
                "a tagged alternative must be an object",
            ));
        }
    };
    object.insert(field.to_string(), Value::String(tag.to_string()));
    object.serialize(serializer)
}

/// The alternative an object fits best: every required field present, most of the object's
/// keys known; on a tie, the alternative declaring fewer fields (the tighter fit). `None` when no
/// alternative has all its required fields.
///
/// Each alternative is given as `(required fields, all declared fields)`.
pub fn best_fit(object: &Object, alternatives: &[(&[&str], &[&str])]) -> Option<usize> {
    let mut best: Option<(usize, usize, usize)> = None;
    for (index, (required, declared)) in alternatives.iter().enumerate() {
        if !required.iter().all(|f| object.contains_key(*f)) {
            continue;
        }
        let known = object
            .keys()
            .filter(|k| declared.contains(&k.as_str()))
            .count();
        let better = match best {
            None => true,
            Some((_, best_known, best_declared)) => {
                known > best_known || (known == best_known && declared.len() < best_declared)
            }
        };
        if better {
            best = Some((index, known, declared.len()));
        }
    }
    best.map(|(index, _, _)| index)
}

/// The error for a union value of a JSON kind no alternative accepts.
pub fn no_alternative<E: serde::de::Error>(union: &str) -> E {
    E::custom(format!("no alternative of `{union}` fits the value"))
}

/// A number the API documents as fractional, kept exactly as sent: an integral `0` stays `0`
/// when re-encoded (an `f64` would write `0.0`), so decoding and re-encoding never changes a
/// response.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Float(serde_json::Number);

impl Float {
    /// A float from an `f64`; `None` for NaN and infinities, which JSON cannot carry.
    pub fn new(value: f64) -> Option<Float> {
        serde_json::Number::from_f64(value).map(Float)
    }

    /// The value as an `f64`.
    pub fn get(&self) -> f64 {
        self.0.as_f64().unwrap_or(f64::NAN)
    }

    /// The number exactly as sent.
    pub fn as_number(&self) -> &serde_json::Number {
        &self.0
    }
}

impl From<i32> for Float {
    fn from(value: i32) -> Self {
        Float(value.into())
    }
}

impl std::fmt::Display for Float {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn obj(v: Value) -> Object {
        match v {
            Value::Object(o) => o,
            _ => Object::new(),
        }
    }

    #[test]
    fn best_fit_prefers_more_known_keys_then_fewer_fields() {
        let simple: (&[&str], &[&str]) = (&["a"], &["a", "b"]);
        let full: (&[&str], &[&str]) = (&["a"], &["a", "b", "c", "d"]);
        assert_eq!(
            best_fit(&obj(json!({"a": 1, "b": 2})), &[simple, full]),
            Some(0)
        );
        assert_eq!(
            best_fit(&obj(json!({"a": 1, "c": 2})), &[simple, full]),
            Some(1)
        );
        assert_eq!(best_fit(&obj(json!({"b": 1})), &[simple, full]), None);
    }

    #[test]
    fn tags_are_taken_only_when_strings() {
        let mut o = obj(json!({"k": "Init", "x": 1}));
        assert_eq!(take_tag(&mut o, "k").as_deref(), Some("Init"));
        assert!(!o.contains_key("k"));
        let mut o = obj(json!({"k": 3}));
        assert_eq!(take_tag(&mut o, "k"), None);
        assert!(o.contains_key("k"));
    }

    #[test]
    fn floats_keep_their_spelling() {
        let f: Float = serde_json::from_str("0").unwrap();
        assert_eq!(serde_json::to_string(&f).unwrap(), "0");
        let f: Float = serde_json::from_str("12.5").unwrap();
        assert_eq!(f.get(), 12.5);
        assert!(Float::new(f64::NAN).is_none());
    }
}
