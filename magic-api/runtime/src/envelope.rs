//! The `{success, errors, messages, result, result_info}` envelope every v4 endpoint uses.

use bytes::Bytes;
use std::fmt;

use serde::de::{DeserializeOwned, Deserializer, MapAccess, Visitor};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use serde_json::value::RawValue;

use super::raw_json::RawJson;
use super::wire::{Key, Object, unknown};

use super::error::{Error, excerpt};
use super::message::ApiMessage;

/// Pagination details of list endpoints (`result_info`).
///
/// Pagination metadata must never fail a page, so a figure that is not a whole non-negative
/// number (`"5"`, `-1`, `2.5`, `null`) reads as absent; `5.0` and `5e0` read as `5`.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[non_exhaustive]
pub struct ResultInfo {
    /// Number of items on this page.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub count: Option<u64>,
    /// This page's number (1-based).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub page: Option<u64>,
    /// Requested page size.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub per_page: Option<u64>,
    /// Total number of items across all pages.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub total_count: Option<u64>,
    /// Any other fields (e.g. `cursor`, `total_pages`), each kept as its exact JSON text.
    #[serde(flatten)]
    pub extra: Object,
}

// Read field by field by hand rather than derived with `#[serde(flatten)]`, which buffers every
// value in serde's private `Content` first (see `message.rs`).
impl<'de> Deserialize<'de> for ResultInfo {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_map(ResultInfoVisitor)
    }
}

struct ResultInfoVisitor;

impl<'de> Visitor<'de> for ResultInfoVisitor {
    type Value = ResultInfo;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("pagination details (an object)")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<ResultInfo, A::Error> {
        let mut info = ResultInfo::default();
        while let Some(key) = map.next_key::<Key<'de>>()? {
            let slot = match key.as_str() {
                "count" => &mut info.count,
                "page" => &mut info.page,
                "per_page" => &mut info.per_page,
                "total_count" => &mut info.total_count,
                _ => {
                    unknown(&mut map, key, &mut info.extra)?;
                    continue;
                }
            };
            *slot = count(&map.next_value::<RawJson>()?);
        }
        Ok(info)
    }
}

/// A pagination figure from its JSON text: a whole non-negative number however it is spelt
/// (read exactly by [`Number`](super::Number)), or absent.
fn count(value: &RawJson) -> Option<u64> {
    value.get().parse::<super::Number>().ok()?.as_u64()
}

/// A successful response: the decoded `result` plus the envelope's metadata and the HTTP
/// status and headers.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct ApiResponse<T> {
    /// The operation's `result`, decoded into its type.
    pub result: T,
    /// The HTTP status (a 2xx).
    pub status: u16,
    /// The response's headers (`cf-ray`, rate-limit headers, …).
    pub headers: reqwest::header::HeaderMap,
    /// Pagination details, for list endpoints.
    pub result_info: Option<ResultInfo>,
    /// Informational messages the API attached to the success.
    pub messages: Vec<ApiMessage>,
}

impl<T> ApiResponse<T> {
    /// Drops the metadata and returns the decoded `result`.
    pub fn into_result(self) -> T {
        self.result
    }
}

/// The envelope with `result` left undecoded, so that `success` and `errors` are checked
/// before the (operation-specific, possibly failing) decode of `result` is attempted.
#[derive(Deserialize)]
struct Envelope<'a> {
    success: Option<bool>,
    #[serde(default, deserialize_with = "super::message::lenient_messages")]
    errors: Vec<ApiMessage>,
    #[serde(default, deserialize_with = "super::message::lenient_messages")]
    messages: Vec<ApiMessage>,
    #[serde(borrow, default)]
    result: Option<&'a RawValue>,
    #[serde(default)]
    result_info: Option<ResultInfo>,
}

/// Response metadata kept for error reporting.
#[derive(Debug, Clone, Default)]
pub(crate) struct ResponseMeta {
    pub status: u16,
    pub content_type: Option<String>,
    pub ray_id: Option<String>,
    /// All headers, moved out of the response (no copy).
    pub headers: reqwest::header::HeaderMap,
}

impl ResponseMeta {
    pub(crate) fn from_response(status: u16, headers: reqwest::header::HeaderMap) -> Self {
        let text = |name: &str| {
            headers
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned)
        };
        let content_type = text("content-type");
        let ray_id = text("cf-ray");
        Self {
            status,
            content_type,
            ray_id,
            headers,
        }
    }

    pub(crate) fn unexpected_body(&self, body: &[u8], reason: impl Into<String>) -> Error {
        Error::UnexpectedBody {
            status: self.status,
            content_type: self.content_type.clone(),
            excerpt: excerpt(body),
            ray_id: self.ray_id.clone(),
            reason: reason.into(),
        }
    }

    fn api_error(&self, errors: Vec<ApiMessage>, messages: Vec<ApiMessage>) -> Error {
        Error::Api {
            status: self.status,
            errors,
            messages,
            ray_id: self.ray_id.clone(),
        }
    }

    fn is_success(&self) -> bool {
        (200..300).contains(&self.status)
    }
}

/// A successful JSON response whose envelope has been read and checked (`success: true`, a 2xx
/// status), with its `result` not yet decoded: what [`Client::fetch_json`](super::Client::fetch_json)
/// hands back, so that everything up to the result's type is compiled once, in this crate, and
/// only [`decode`](Self::decode) is instantiated for each result type.
#[derive(Debug)]
pub struct JsonReply {
    meta: ResponseMeta,
    body: Bytes,
    /// The `result` as sent (a slice of `body`), `null` when the envelope has none.
    result: Bytes,
    result_info: Option<ResultInfo>,
    messages: Vec<ApiMessage>,
}

impl JsonReply {
    /// Reads and checks the envelope of a complete response body.
    pub(crate) fn new(meta: ResponseMeta, body: Bytes) -> Result<JsonReply, Error> {
        let envelope: Envelope<'_> = match serde_json::from_slice(&body) {
            Ok(e) => e,
            Err(e) => return Err(not_an_envelope(&meta, &body, &e)),
        };
        let Some(success) = envelope.success else {
            return Err(
                meta.unexpected_body(&body, "JSON without the API envelope's `success` field")
            );
        };
        if !success || !meta.is_success() {
            return Err(meta.api_error(envelope.errors, envelope.messages));
        }
        // An absent `result` decodes like `null`, so operations typed `Option<_>`/`()` work.
        let result = match envelope.result {
            Some(raw) => body.slice_ref(raw.get().as_bytes()),
            None => Bytes::from_static(b"null"),
        };
        let (result_info, messages) = (envelope.result_info, envelope.messages);
        Ok(JsonReply {
            meta,
            body,
            result,
            result_info,
            messages,
        })
    }

    /// Decodes the `result` as `T`: the one part of a JSON call that depends on its type, read
    /// in a single pass straight from the body's bytes. A failure is [`Error::Decode`] with the
    /// path of the value that did not fit (found from the error's position, by code that knows
    /// no type).
    pub fn decode<T: DeserializeOwned>(self) -> Result<ApiResponse<T>, Error> {
        match T::deserialize(&mut serde_json::Deserializer::from_slice(&self.result)) {
            Ok(result) => Ok(self.into_response(result)),
            Err(e) => Err(self.decode_error(&e)),
        }
    }

    /// The `result` as raw JSON, whatever its shape (`null` when the envelope has none).
    pub fn value(self) -> Result<ApiResponse<Value>, Error> {
        self.decode()
    }

    /// The pagination details of the envelope, if it has them.
    pub fn result_info(&self) -> Option<&ResultInfo> {
        self.result_info.as_ref()
    }

    /// A hash of the `result` as sent, to recognise a page a server sends twice.
    pub fn fingerprint(&self) -> u64 {
        use std::hash::{Hash, Hasher};
        let mut hasher = std::collections::hash_map::DefaultHasher::new();
        self.result.hash(&mut hasher);
        hasher.finish()
    }

    fn into_response<T>(self, result: T) -> ApiResponse<T> {
        ApiResponse {
            result,
            status: self.meta.status,
            headers: self.meta.headers,
            result_info: self.result_info,
            messages: self.messages,
        }
    }

    /// The error for a `result` that does not decode: the path is where the decoder stopped.
    #[inline(never)]
    fn decode_error(self, e: &serde_json::Error) -> Error {
        let mut path = String::from("result");
        path.push_str(&super::locate::path_at(&self.result, e.line(), e.column()));
        let reason = if &self.result[..] == b"null" {
            format!("the result is null ({e})")
        } else {
            e.to_string()
        };
        Error::Decode {
            status: self.meta.status,
            path,
            reason,
            ray_id: self.meta.ray_id,
            body: self.body.into(),
        }
    }
}

/// Decodes a complete response body as `T` (the envelope, then the result).
#[cfg(test)]
pub(crate) fn decode_json<T: DeserializeOwned>(
    meta: ResponseMeta,
    body: &Bytes,
) -> Result<ApiResponse<T>, Error> {
    JsonReply::new(meta, body.clone())?.decode()
}

/// Checks a (2xx or not) body for [`Client::send_empty`](super::Client::send_empty):
/// anything goes for 2xx unless it is an envelope that says `success: false`.
pub(crate) fn check_empty(meta: &ResponseMeta, body: &[u8]) -> Result<(), Error> {
    if meta.is_success() {
        match serde_json::from_slice::<Envelope<'_>>(body) {
            Ok(Envelope {
                success: Some(false),
                errors,
                messages,
                ..
            }) => Err(meta.api_error(errors, messages)),
            _ => Ok(()),
        }
    } else {
        Err(error_from_body(meta, body))
    }
}

/// The error for a response whose status already says failure.
pub(crate) fn error_from_body(meta: &ResponseMeta, body: &[u8]) -> Error {
    match serde_json::from_slice::<Envelope<'_>>(body) {
        Ok(envelope) if envelope.success.is_some() || !envelope.errors.is_empty() => {
            meta.api_error(envelope.errors, envelope.messages)
        }
        Ok(_) => meta.unexpected_body(
            body,
            format!("HTTP {} response without the API envelope", meta.status),
        ),
        Err(e) => not_an_envelope(meta, body, &e),
    }
}

fn not_an_envelope(meta: &ResponseMeta, body: &[u8], e: &serde_json::Error) -> Error {
    let reason = if body.iter().all(u8::is_ascii_whitespace) {
        "empty body".to_owned()
    } else if e.is_eof() {
        format!("truncated JSON: {e}")
    } else if e.is_syntax() {
        format!("not JSON: {e}")
    } else {
        format!("JSON is not an API envelope: {e}")
    };
    let reason = if meta.is_success() {
        reason
    } else {
        format!("HTTP {} response, {reason}", meta.status)
    };
    meta.unexpected_body(body, reason)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn meta(status: u16) -> ResponseMeta {
        ResponseMeta {
            status,
            content_type: Some("application/json".into()),
            ray_id: Some("ray-1".into()),
            headers: Default::default(),
        }
    }

    #[test]
    fn success_decodes_result_and_info() {
        let body = br#"{"success":true,"errors":[],"messages":[{"code":1,"message":"hi"}],
            "result":[1,2],"result_info":{"page":1,"per_page":2,"count":2,"total_count":5,"cursor":"x"}}"#;
        let r: ApiResponse<Vec<u32>> = decode_json(meta(200), &Bytes::from_static(body)).unwrap();
        assert_eq!(r.result, vec![1, 2]);
        let info = r.result_info.unwrap();
        assert_eq!(info.total_count, Some(5));
        assert_eq!(info.extra["cursor"].as_str().as_deref(), Some("x"));
        assert_eq!(r.messages[0].message, "hi");
    }

    #[test]
    fn absent_errors_and_null_result_are_fine() {
        let r: ApiResponse<Option<u32>> = decode_json(
            meta(200),
            &Bytes::from_static(br#"{"success":true,"result":null}"#),
        )
        .unwrap();
        assert_eq!(r.result, None);
        let r: ApiResponse<()> = decode_json(
            meta(200),
            &Bytes::from_static(br#"{"success":true,"errors":null}"#),
        )
        .unwrap();
        assert_eq!(r.result, ());
    }

    #[test]
    fn success_false_with_200_is_api_error() {
        let body = br#"{"success":false,"errors":[{"code":7003,"message":"No route",
            "documentation_url":"https://developers.cloudflare.com/x","source":{"pointer":"/a"}}],
            "messages":["plain string"],"result":null}"#;
        match decode_json::<Value>(meta(200), &Bytes::from_static(body)).unwrap_err() {
            Error::Api {
                status,
                errors,
                messages,
                ray_id,
            } => {
                assert_eq!(status, 200);
                assert_eq!(errors[0].code, 7003);
                assert_eq!(
                    errors[0].source.as_ref().unwrap().pointer.as_deref(),
                    Some("/a")
                );
                assert_eq!(messages[0].message, "plain string");
                assert_eq!(ray_id.as_deref(), Some("ray-1"));
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn fast_path_never_hides_an_api_error() {
        // `result` fits T, but the envelope or the status says failure.
        let body = br#"{"success":false,"errors":[{"code":9,"message":"x"}],"result":[1]}"#;
        assert!(matches!(
            decode_json::<Vec<u32>>(meta(200), &Bytes::from_static(body)),
            Err(Error::Api { status: 200, .. })
        ));
        let body = br#"{"success":true,"errors":[],"result":[1]}"#;
        assert!(matches!(
            decode_json::<Vec<u32>>(meta(500), &Bytes::from_static(body)),
            Err(Error::Api { status: 500, .. })
        ));
    }

    #[test]
    fn wrong_result_type_is_a_decode_error_with_path_and_body() {
        let body = Bytes::from_static(br#"{"success":true,"result":[1,2,{"a":1}]}"#);
        match decode_json::<Vec<u32>>(meta(200), &body).unwrap_err() {
            Error::Decode {
                status,
                path,
                reason,
                ray_id,
                body: kept,
            } => {
                assert_eq!(status, 200);
                assert_eq!(path, "result[2]");
                assert!(reason.contains("invalid type"), "{reason}");
                assert_eq!(ray_id.as_deref(), Some("ray-1"));
                assert_eq!(kept.as_bytes(), &body[..]);
            }
            other => panic!("{other:?}"),
        }
        let body = Bytes::from_static(br#"{"success":true,"result":null}"#);
        match decode_json::<Vec<u32>>(meta(200), &body).unwrap_err() {
            Error::Decode { path, reason, .. } => {
                assert_eq!(path, "result");
                assert!(reason.starts_with("the result is null"), "{reason}");
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn odd_pagination_figures_and_messages_never_fail_a_page() {
        let body = br#"{"success":true,"messages":["plain text",{"code":null,"message":null,"id":123456789012345678901234567890}],
            "result":[],"result_info":{"page":"2","per_page":5.0,"count":-1,"total_count":1e1,"cursor":null}}"#;
        let r: ApiResponse<Vec<u32>> = decode_json(meta(200), &Bytes::from_static(body)).unwrap();
        let info = r.result_info.unwrap();
        let figures = (info.page, info.per_page, info.count, info.total_count);
        assert_eq!(figures, (None, Some(5), None, Some(10)));
        assert_eq!(info.extra["cursor"].get(), "null");
        assert_eq!(r.messages[0], ApiMessage::new(0, "plain text"));
        assert_eq!(
            (r.messages[1].code, r.messages[1].message.as_str()),
            (0, "")
        );
        let id = r.messages[1].extra["id"].get();
        assert_eq!(id, "123456789012345678901234567890");
    }

    #[test]
    fn message_round_trip_keeps_unknown_fields() {
        let json = r#"{"code":1000,"message":"m","documentation_url":"u","source":{"pointer":"/p","parameter":"q"},"meta":{"l10n_key":"k"}}"#;
        let m: ApiMessage = serde_json::from_str(json).unwrap();
        assert_eq!(m.extra["meta"].get(), r#"{"l10n_key":"k"}"#);
        assert_eq!(
            m.source.as_ref().unwrap().extra["parameter"].get(),
            r#""q""#
        );
        let back: Value = serde_json::to_value(&m).unwrap();
        assert_eq!(back, serde_json::from_str::<Value>(json).unwrap());
    }

    #[test]
    fn empty_check() {
        assert!(check_empty(&meta(204), b"").is_ok());
        assert!(check_empty(&meta(200), b"not json").is_ok());
        assert!(check_empty(&meta(200), br#"{"success":true,"result":null}"#).is_ok());
        assert!(matches!(
            check_empty(
                &meta(200),
                br#"{"success":false,"errors":[{"code":1,"message":"x"}]}"#
            ),
            Err(Error::Api { .. })
        ));
        assert!(matches!(
            check_empty(&meta(500), b"<html>"),
            Err(Error::UnexpectedBody { status: 500, .. })
        ));
    }
}
