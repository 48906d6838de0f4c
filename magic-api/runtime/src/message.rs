//! The entries of the envelope's `errors` and `messages` arrays, read leniently: whatever shape
//! Cloudflare gives them, nothing the API said is lost or fails a call.

use std::fmt;

use serde::de::{self, Deserializer, MapAccess, Visitor};
use serde::{Deserialize, Serialize};

use super::wire::{Int, Key, Object, unknown};

/// One entry of the envelope's `errors` or `messages` array.
///
/// Fields Cloudflare adds in the future are kept in [`extra`](Self::extra) so that nothing
/// the API said is lost when an error is logged or re-serialized.
///
/// Decoding is lenient, so that an odd message never fails a call: a bare string is a message
/// with that text and code `0`; an absent or `null` code or text reads as `0` or empty.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct ApiMessage {
    /// Cloudflare's numeric error/message code (e.g. `1004`); `0` if the API sent none.
    pub code: i64,
    /// Human-readable text.
    pub message: String,
    /// Link to documentation about this code, when Cloudflare provides one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub documentation_url: Option<String>,
    /// Which part of the request the message is about.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<ApiMessageSource>,
    /// Any other fields, each kept as its exact JSON text.
    #[serde(flatten)]
    pub extra: Object,
}

/// Location in the request that an [`ApiMessage`] refers to.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct ApiMessageSource {
    /// JSON pointer into the request body, e.g. `/interconnects/0/gre`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pointer: Option<String>,
    /// Any other fields, each kept as its exact JSON text.
    #[serde(flatten)]
    pub extra: Object,
}

impl ApiMessage {
    /// A message with just a code and text (mainly for tests and hand-built errors).
    pub fn new(code: i64, message: impl Into<String>) -> Self {
        Self {
            code,
            message: message.into(),
            documentation_url: None,
            source: None,
            extra: Object::new(),
        }
    }
}

/// Accepts `null` for the array, and plain strings as well as objects in it (see
/// [`ApiMessage`]): some endpoints have been seen sending `"messages": ["..."]`, and failing the
/// whole call because an informational field has an odd shape would be absurd.
pub(crate) fn lenient_messages<'de, D: Deserializer<'de>>(
    d: D,
) -> Result<Vec<ApiMessage>, D::Error> {
    Ok(Option::<Vec<ApiMessage>>::deserialize(d)?.unwrap_or_default())
}

// Both types are read field by field by hand rather than derived with `#[serde(flatten)]` and
// `#[serde(untagged)]`, which buffer every value in serde's private `Content` first: this reads
// each value once, and keeps that buffering code out of every program that makes a call.

impl<'de> Deserialize<'de> for ApiMessage {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(MessageVisitor)
    }
}

struct MessageVisitor;

impl<'de> Visitor<'de> for MessageVisitor {
    type Value = ApiMessage;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a message (an object, or its text)")
    }

    fn visit_str<E: de::Error>(self, text: &str) -> Result<ApiMessage, E> {
        Ok(ApiMessage::new(0, text))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<ApiMessage, A::Error> {
        let mut m = ApiMessage::new(0, String::new());
        while let Some(key) = map.next_key::<Key<'de>>()? {
            match key.as_str() {
                // Any spelling of a whole number (`1000`, `1000.0`).
                "code" => m.code = map.next_value::<Option<Int>>()?.map_or(0, |c| c.0),
                "message" => m.message = map.next_value::<Option<String>>()?.unwrap_or_default(),
                "documentation_url" => m.documentation_url = map.next_value()?,
                "source" => m.source = map.next_value()?,
                _ => unknown(&mut map, key, &mut m.extra)?,
            }
        }
        Ok(m)
    }
}

impl<'de> Deserialize<'de> for ApiMessageSource {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_map(SourceVisitor)
    }
}

struct SourceVisitor;

impl<'de> Visitor<'de> for SourceVisitor {
    type Value = ApiMessageSource;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a message's source (an object)")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<ApiMessageSource, A::Error> {
        let mut source = ApiMessageSource {
            pointer: None,
            extra: Object::new(),
        };
        while let Some(key) = map.next_key::<Key<'de>>()? {
            match key.as_str() {
                "pointer" => source.pointer = map.next_value()?,
                _ => unknown(&mut map, key, &mut source.extra)?,
            }
        }
        Ok(source)
    }
}
