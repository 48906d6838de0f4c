//! The entries of the envelope's `errors` and `messages` arrays, read leniently: whatever shape
//! Cloudflare gives them, nothing the API said is lost or fails a call.

use serde::de::Deserializer;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// One entry of the envelope's `errors` or `messages` array.
///
/// Fields Cloudflare adds in the future are kept in [`extra`](Self::extra) so that nothing
/// the API said is lost when an error is logged or re-serialized.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ApiMessage {
    /// Cloudflare's numeric error/message code (e.g. `1004`); `0` if the API sent none.
    #[serde(default, deserialize_with = "whole_number")]
    pub code: i64,
    /// Human-readable text.
    #[serde(default)]
    pub message: String,
    /// Link to documentation about this code, when Cloudflare provides one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub documentation_url: Option<String>,
    /// Which part of the request the message is about.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<ApiMessageSource>,
    /// Any other fields, preserved verbatim.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// Location in the request that an [`ApiMessage`] refers to.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ApiMessageSource {
    /// JSON pointer into the request body, e.g. `/interconnects/0/gre`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pointer: Option<String>,
    /// Any other fields, preserved verbatim.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl ApiMessage {
    /// A message with just a code and text (mainly for tests and hand-built errors).
    pub fn new(code: i64, message: impl Into<String>) -> Self {
        Self {
            code,
            message: message.into(),
            documentation_url: None,
            source: None,
            extra: Map::new(),
        }
    }
}

/// Accepts `null`, and plain strings as well as objects in `errors`/`messages`: some
/// endpoints have been seen sending `"messages": ["..."]`, and failing the whole call
/// because an informational field has an odd shape would be absurd.
pub(crate) fn lenient_messages<'de, D: Deserializer<'de>>(
    d: D,
) -> Result<Vec<ApiMessage>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Repr {
        Full(ApiMessage),
        Text(String),
    }
    let items: Option<Vec<Repr>> = Option::deserialize(d)?;
    Ok(items
        .unwrap_or_default()
        .into_iter()
        .map(|r| match r {
            Repr::Full(m) => m,
            Repr::Text(s) => ApiMessage::new(0, s),
        })
        .collect())
}

/// A message code written any way JSON writes a whole number (`1000`, `1000.0`).
fn whole_number<'de, D: Deserializer<'de>>(d: D) -> Result<i64, D::Error> {
    super::wire::Int::deserialize(d).map(|i| i.0)
}
