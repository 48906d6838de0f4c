//! Serde helpers that generated types call: map keys read without copying, integers that accept
//! every spelling of a whole number, `null` kept where the reference gives it a meaning, and
//! unions decoded the way the IR decided.
//!
//! Unions whose alternatives are objects are decoded in two steps: the object is buffered
//! ([`Object`]), the IR's rule picks the alternative (a tag value, an identifying required field,
//! or the best fit), and only then is the alternative decoded. An object no rule recognises, or
//! one that the chosen alternative cannot decode, is kept whole in the union's `Unknown`
//! variant: a union never fails a response.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fmt;

use serde::de::value::BorrowedStrDeserializer;
use serde::de::{self, DeserializeOwned, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
pub use serde_json::Value;
use serde_json::value::RawValue;

pub use crate::raw_json::RawJson;

/// A JSON object as buffered for a union decision, and the type of every `extra` field: each
/// value kept as its exact text ([`RawJson`]), so unknown data round-trips digit for digit.
pub type Object = BTreeMap<String, RawJson>;

/// Buffers the object a union decides on.
pub fn object<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Object, D::Error> {
    Object::deserialize(deserializer)
}

/// A type that keeps the fields it does not declare (every `#[wire]` struct: its `extra`).
pub trait Extra {
    /// The kept fields.
    fn extra_mut(&mut self) -> &mut Object;
}

/// How many fields of one object may be set aside before it is kept whole instead (see
/// [`chosen`]); a bound so that an object of many bad fields costs a few decodes, not one per
/// field.
const MOST_SET_ASIDE: usize = 4;

/// Decodes the alternative a union's rule chose, from the buffered object's exact text.
///
/// One field that does not decode must not hide the rest: when an optional field fails (a
/// fraction in an integer field, a value of another kind), that field is set aside (kept in the
/// alternative's `extra`, so it is sent back exactly as it came) and
/// the alternative decodes without it, its other fields readable. When the object still does
/// not decode (a required field missing or wrong, or more than a few fields set aside), it is
/// kept whole by `keep` instead: the union's `Unknown` variant.
pub fn chosen<T: DeserializeOwned + Extra, U>(
    object: Object,
    wrap: impl FnOnce(T) -> U,
    keep: impl FnOnce(Object) -> U,
) -> U {
    match decode_setting_aside::<T>(&object) {
        Some(value) => wrap(value),
        None => keep(object),
    }
}

/// [`chosen`] for a tagged union: the alternative is decoded without its tag field (the union
/// writes it), and an object kept whole keeps its tag.
pub fn chosen_tagged<T: DeserializeOwned + Extra, U>(
    mut object: Object,
    field: &str,
    wrap: impl FnOnce(T) -> U,
    keep: impl FnOnce(Object) -> U,
) -> U {
    let tag = object.remove(field);
    match decode_setting_aside::<T>(&object) {
        Some(value) => wrap(value),
        None => {
            if let Some(tag) = tag {
                object.insert(field.to_owned(), tag);
            }
            keep(object)
        }
    }
}

/// Decodes `T` from `object`, setting aside the top-level fields whose values fail (see
/// [`chosen`]); `None` when it cannot be decoded that way.
fn decode_setting_aside<T: DeserializeOwned + Extra>(object: &Object) -> Option<T> {
    let mut aside: Vec<&str> = Vec::new();
    loop {
        let mut entries = Entries {
            entries: object
                .iter()
                .filter(|(key, _)| !aside.contains(&key.as_str()))
                .map(|(key, value)| (key.as_str(), value.as_raw())),
            value: None,
            failed: None,
        };
        match T::deserialize(&mut entries) {
            Ok(mut value) => {
                let kept = value.extra_mut();
                for key in aside {
                    if let Some(raw) = object.get(key) {
                        kept.insert(key.to_owned(), raw.clone());
                    }
                }
                return Some(value);
            }
            Err(_) => {
                // A failure outside any one value (a required field missing) sets nothing aside.
                let key = entries.failed?;
                if aside.contains(&key) || aside.len() == MOST_SET_ASIDE {
                    return None;
                }
                aside.push(key);
            }
        }
    }
}

/// An object's entries handed to a decoder as a map, remembering the key whose value failed.
///
/// Set-aside needs only that top-level key, so this small map access replaces a path-tracking
/// deserializer, which would be instantiated once more for every alternative.
struct Entries<'de, I> {
    entries: I,
    /// The entry whose key was just read and whose value is next.
    value: Option<(&'de str, &'de RawValue)>,
    /// The key of the value that did not decode.
    failed: Option<&'de str>,
}

impl<'de, I: Iterator<Item = (&'de str, &'de RawValue)>> de::MapAccess<'de> for Entries<'de, I> {
    type Error = serde_json::Error;

    fn next_key_seed<K: de::DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, Self::Error> {
        let Some((key, value)) = self.entries.next() else {
            return Ok(None);
        };
        self.value = Some((key, value));
        seed.deserialize(BorrowedStrDeserializer::new(key))
            .map(Some)
    }

    fn next_value_seed<V: de::DeserializeSeed<'de>>(
        &mut self,
        seed: V,
    ) -> Result<V::Value, Self::Error> {
        let (key, value) = self
            .value
            .take()
            .ok_or_else(|| de::Error::custom("a map value was asked for before its key"))?;
        seed.deserialize(value)
            .inspect_err(|_| self.failed = Some(key))
    }
}

impl<'de, I: Iterator<Item = (&'de str, &'de RawValue)>> Deserializer<'de>
    for &mut Entries<'de, I>
{
    type Error = serde_json::Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Self::Error> {
        visitor.visit_map(self)
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf
        option unit unit_struct newtype_struct seq tuple tuple_struct map struct enum
        identifier ignored_any
    }
}

/// Serializes a tagged alternative: the tag field, then the alternative's own fields. The
/// alternative is written as JSON text and read back as an [`Object`] of exact values, so its
/// numbers keep every digit.
pub fn serialize_tagged<S: Serializer, T: Serialize>(
    serializer: S,
    field: &str,
    tag: &str,
    value: &T,
) -> Result<S::Ok, S::Error> {
    let text = serde_json::to_string(value).map_err(serde::ser::Error::custom)?;
    let mut object: Object = serde_json::from_str(&text)
        .map_err(|_| serde::ser::Error::custom("a tagged alternative must be an object"))?;
    object.insert(field.to_string(), RawJson::from(tag));
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

/// A map key, borrowed from the input when it can be (the common case for `serde_json`), so that
/// matching a struct's field names allocates nothing.
#[derive(Debug)]
pub struct Key<'de>(Cow<'de, str>);

impl Key<'_> {
    /// The key.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The key as an owned string (for the `extra` map).
    pub fn into_string(self) -> String {
        self.0.into_owned()
    }
}

impl<'de> Deserialize<'de> for Key<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_str(KeyVisitor)
    }
}

struct KeyVisitor;

impl<'de> Visitor<'de> for KeyVisitor {
    type Value = Key<'de>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a field name")
    }

    fn visit_borrowed_str<E: de::Error>(self, key: &'de str) -> Result<Key<'de>, E> {
        Ok(Key(Cow::Borrowed(key)))
    }

    fn visit_str<E: de::Error>(self, key: &str) -> Result<Key<'de>, E> {
        Ok(Key(Cow::Owned(key.to_owned())))
    }

    fn visit_string<E: de::Error>(self, key: String) -> Result<Key<'de>, E> {
        Ok(Key(Cow::Owned(key)))
    }
}

/// Reads a map value as `T`. Out of line on purpose: a struct with 200 fields would otherwise
/// inline 200 copies of the value decoder into one function, which costs both compile time and
/// instruction-cache misses; this way each value type is compiled once per input format.
#[inline(never)]
pub fn next<'de, A: de::MapAccess<'de>, T: Deserialize<'de>>(map: &mut A) -> Result<T, A::Error> {
    map.next_value()
}

/// Remembers in `extra` that an optional field came as `null`, so that it is sent back as it
/// came unless the field is set meanwhile.
#[inline]
pub fn note_null<T>(value: &Option<T>, key: Key<'_>, extra: &mut Object) {
    if value.is_none() {
        extra.insert(key.into_string(), RawJson::null());
    }
}

/// Writes an optional field when it is set.
#[inline]
pub fn entry<M: serde::ser::SerializeMap, T: Serialize>(
    map: &mut M,
    name: &'static str,
    value: &Option<T>,
) -> Result<(), M::Error> {
    match value {
        Some(value) => map.serialize_entry(name, value),
        None => Ok(()),
    }
}

/// Writes `extra` after the declared fields, except entries under the name of a field that is
/// written (`fields`: each field's name and whether it was written).
pub fn extra_entries<M: serde::ser::SerializeMap>(
    map: &mut M,
    extra: &Object,
    fields: &[(&str, bool)],
) -> Result<(), M::Error> {
    for (key, value) in extra {
        let shadowed = fields.iter().any(|(name, written)| *written && name == key);
        if !shadowed {
            map.serialize_entry(key, value)?;
        }
    }
    Ok(())
}

/// Keeps the value of a field the type does not declare in `extra`.
#[inline]
pub fn unknown<'de, A: de::MapAccess<'de>>(
    map: &mut A,
    key: Key<'de>,
    extra: &mut Object,
) -> Result<(), A::Error> {
    let value = map.next_value::<RawJson>()?;
    extra.insert(key.into_string(), value);
    Ok(())
}

/// The hash generated decoders match field names on (see `magic-api-key-hash`).
pub use magic_api_key_hash::key_hash;

/// An integer field's value: a reviewed entry of `spec/refinements.toml` says the field holds
/// whole numbers, so any spelling of one is accepted (`1476`, `1476.0`, `1.476e3`), and a real
/// fraction is an error that names the field (through the decoder's path).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(transparent)]
pub struct Int(pub i64);

impl<'de> Deserialize<'de> for Int {
    // Read as a `Number` first: its text decides, so a whole number of any size or spelling is
    // exact (`9007199254740993.0` is not rounded through an `f64`).
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let number = super::Number::deserialize(deserializer)?;
        number.as_i64().map(Int).ok_or_else(|| {
            de::Error::invalid_value(
                de::Unexpected::Other(&number.to_string()),
                &"a whole number (this field is an integer)",
            )
        })
    }
}

/// A list of integers, each read like [`Int`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IntList(pub Vec<i64>);

impl<'de> Deserialize<'de> for IntList {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let items = Vec::<Int>::deserialize(deserializer)?;
        Ok(IntList(items.into_iter().map(|i| i.0).collect()))
    }
}

/// An optional field whose documentation gives `null` a meaning of its own (app configs'
/// `breakout`: "Null preserves default behavior"), so that absent, `null` and a value are three
/// different things. The field is `Option<Nullable<T>>`: `None` leaves it out of the request,
/// `Some(Nullable::Null)` sends `null`, `Some(value.into())` sends the value.
///
/// Other optional fields are plain `Option<T>`; a `null` the server sends for one of them is
/// remembered in the struct's `extra` map, so re-encoding still gives `null` back.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Nullable<T> {
    /// An explicit JSON `null`.
    Null,
    /// A value.
    Value(T),
}

impl<T> Nullable<T> {
    /// The value, if it is not `null`.
    pub fn value(&self) -> Option<&T> {
        match self {
            Nullable::Null => None,
            Nullable::Value(value) => Some(value),
        }
    }

    /// Whether this is an explicit `null`.
    pub fn is_null(&self) -> bool {
        matches!(self, Nullable::Null)
    }
}

impl<T> From<T> for Nullable<T> {
    fn from(value: T) -> Self {
        Nullable::Value(value)
    }
}

impl<T: Serialize> Serialize for Nullable<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Nullable::Null => serializer.serialize_none(),
            Nullable::Value(value) => value.serialize(serializer),
        }
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Nullable<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Ok(match Option::<T>::deserialize(deserializer)? {
            Some(value) => Nullable::Value(value),
            None => Nullable::Null,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn obj(v: Value) -> Object {
        serde_json::from_value(v).unwrap()
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
    fn integers_accept_whole_spellings_only() {
        for (text, want) in [
            ("1476", 1476),
            ("1476.0", 1476),
            ("1.476e3", 1476),
            ("-2", -2),
        ] {
            assert_eq!(
                serde_json::from_str::<Int>(text).unwrap(),
                Int(want),
                "{text}"
            );
        }
        let err = serde_json::from_str::<Int>("0.5").unwrap_err().to_string();
        assert!(err.contains("0.5") && err.contains("whole number"), "{err}");
        assert!(serde_json::from_str::<Int>("9223372036854775808").is_err());
        // Exact beyond 2^53, whatever the spelling.
        assert_eq!(
            serde_json::from_str::<Int>("9007199254740993.0").unwrap(),
            Int(9_007_199_254_740_993)
        );
        assert_eq!(
            serde_json::from_str::<IntList>("[1, 2.0, 3e0]").unwrap(),
            IntList(vec![1, 2, 3])
        );
    }

    #[derive(Debug, Deserialize)]
    struct Needs {
        url: String,
        #[serde(default)]
        port: Option<Int>,
        // Filled only by set-aside fields here; the generated types keep unknown ones too.
        #[serde(skip)]
        extra: Object,
    }

    impl Extra for Needs {
        fn extra_mut(&mut self) -> &mut Object {
            &mut self.extra
        }
    }

    #[test]
    fn a_chosen_alternative_that_does_not_decode_is_kept() {
        let kept = chosen_tagged::<Needs, _>(
            obj(json!({"k": "StartUpgrade", "t": 1})),
            "k",
            |_| None,
            Some,
        );
        assert_eq!(kept, Some(obj(json!({"k": "StartUpgrade", "t": 1}))));
        let decoded = chosen::<Needs, _>(obj(json!({"url": "u"})), |n| Some(n.url), |_| None);
        assert_eq!(decoded.as_deref(), Some("u"));
    }

    #[test]
    fn an_optional_field_that_fails_is_set_aside_and_the_rest_decodes() {
        let text = r#"{"url":"u","port":6.5}"#;
        let object: Object = serde_json::from_str(text).unwrap();
        let needs = chosen::<Needs, _>(object, Some, |_| None).unwrap();
        assert_eq!((needs.url.as_str(), needs.port), ("u", None));
        assert_eq!(needs.extra["port"].get(), "6.5");
        // A required field that fails cannot be set aside: the object is kept whole.
        let object: Object = serde_json::from_str(r#"{"url":5,"port":1}"#).unwrap();
        let kept = chosen::<Needs, _>(object, |_| None, Some).unwrap();
        assert_eq!(kept["url"].get(), "5");
    }

    #[test]
    fn nullable_is_three_states() {
        let n: Nullable<bool> = serde_json::from_str("null").unwrap();
        assert!(n.is_null());
        let v: Nullable<bool> = serde_json::from_str("true").unwrap();
        assert_eq!(v.value(), Some(&true));
        assert_eq!(
            serde_json::to_string(&Nullable::<bool>::Null).unwrap(),
            "null"
        );
    }
}
