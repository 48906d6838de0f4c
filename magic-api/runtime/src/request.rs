//! The low-level request description shared by generated code and hand-written callers.

use std::time::Duration;

use bytes::Bytes;
use reqwest::Method;
use serde::Serialize;

use super::error::Error;

/// A request to send through [`Client`](super::Client), independent of any endpoint.
///
/// Generated operations build one of these; you can too, for endpoints that are not in the
/// reference, and still get authentication, retries, timeouts and envelope decoding:
///
/// ```no_run
/// # async fn demo(client: magic_api_runtime::Client) -> Result<(), magic_api_runtime::Error> {
/// use magic_api_runtime::{PathBuilder, RawRequest};
/// use reqwest::Method;
/// let path = PathBuilder::new().segment("accounts").param("acc").segment("new-thing").build()?;
/// let req = RawRequest::new(Method::POST, path)
///     .query("dry_run", "true")
///     .json_body(&serde_json::json!({ "name": "x" }))?;
/// let created = client.send_json::<serde_json::Value>(req).await?;
/// # Ok(()) }
/// ```
///
/// The body is held as [`Bytes`] so that retries resend it without re-serializing or
/// copying.
#[derive(Debug, Clone)]
pub struct RawRequest {
    pub(crate) method: Method,
    pub(crate) path: String,
    pub(crate) query: Vec<(&'static str, String)>,
    pub(crate) headers: Vec<(&'static str, String)>,
    pub(crate) body: Option<Bytes>,
    pub(crate) timeout: Option<Duration>,
    pub(crate) retry: Option<super::RetryPolicy>,
    /// The documented path template (`/accounts/{account_id}/magic/sites`), for diagnostics
    /// that must not show the ids in the path.
    pub(crate) template: Option<&'static str>,
}

impl RawRequest {
    /// A request for `path` relative to the client's base URL.
    ///
    /// `path` must already be percent-encoded and start with `/`; build it with
    /// [`PathBuilder`](super::PathBuilder) whenever it contains values. The client refuses
    /// (with [`Error::InvalidRequest`]) a path that contains `?` or `#`, or that the URL
    /// parser would rewrite, rather than send a request to a different resource.
    pub fn new(method: Method, path: impl Into<String>) -> Self {
        Self {
            method,
            path: path.into(),
            query: Vec::new(),
            headers: Vec::new(),
            body: None,
            timeout: None,
            retry: None,
            template: None,
        }
    }

    /// Appends a query parameter; the value is encoded by the client.
    pub fn query(mut self, name: &'static str, value: impl Into<String>) -> Self {
        self.query.push((name, value.into()));
        self
    }

    /// Sets a query parameter, replacing any earlier value of the same name (pagination uses it
    /// to move the cursor or page without duplicating the parameter).
    pub fn set_query(mut self, name: &'static str, value: impl Into<String>) -> Self {
        self.query.retain(|(n, _)| *n != name);
        self.query.push((name, value.into()));
        self
    }

    /// The query parameters set so far, in order.
    pub fn query_pairs(&self) -> &[(&'static str, String)] {
        &self.query
    }

    /// The extra headers set so far, in order (authentication is added by the client).
    pub fn headers(&self) -> &[(&'static str, String)] {
        &self.headers
    }

    /// Whether an extra header of this name is set (case-insensitive).
    pub fn has_header(&self, name: &str) -> bool {
        self.headers
            .iter()
            .any(|(n, _)| n.eq_ignore_ascii_case(name))
    }

    /// Sets an extra request header (validated when sending).
    ///
    /// Authentication headers are always set by the client and cannot be overridden here.
    pub fn header(mut self, name: &'static str, value: impl Into<String>) -> Self {
        self.headers.push((name, value.into()));
        self
    }

    /// Serializes `body` as the JSON request body (and sets `Content-Type`).
    pub fn json_body<B: Serialize + ?Sized>(mut self, body: &B) -> Result<Self, Error> {
        let bytes = serde_json::to_vec(body)
            .map_err(|e| Error::invalid_request(format!("request body did not serialize: {e}")))?;
        self.body = Some(Bytes::from(bytes));
        Ok(self)
    }

    /// Sets a body that is already JSON text (sent as it is, with the JSON content type).
    pub fn json_bytes(mut self, json: Vec<u8>) -> Self {
        self.body = Some(Bytes::from(json));
        self
    }

    /// Sets a body that is already JSON text and a boolean header that says which form a union
    /// in it takes: `true` when the value at any of `paths` (descending into every array) is an
    /// object, `false` when it is a string, unset when the body holds none, so the header can
    /// never disagree with the body. The form is read from the text, one level at a time (only the
    /// objects and arrays on the paths are parsed); the body is sent as given, so numbers keep
    /// their exact text. Here, not in the generated code's crate, so the
    /// parse is compiled once.
    pub fn json_bytes_with_form_header(
        self,
        json: Vec<u8>,
        header: &'static str,
        paths: &[&[&str]],
    ) -> Self {
        let form = std::str::from_utf8(&json)
            .ok()
            .and_then(|text| paths.iter().find_map(|p| form_at(text.trim_start(), p)));
        let request = self.json_bytes(json);
        match form {
            Some(object) => request.header(header, if object { "true" } else { "false" }),
            None => request,
        }
    }

    /// Overrides the client's per-attempt timeout for this request only.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// Names the documented path template the path was filled from (shown by `tracing` events
    /// instead of the path, whose ids may be private).
    pub fn template(mut self, template: &'static str) -> Self {
        self.template = Some(template);
        self
    }

    /// Overrides the client's retry policy for this request only.
    pub fn retry_policy(mut self, policy: super::RetryPolicy) -> Self {
        self.retry = Some(policy);
        self
    }

    /// The HTTP method.
    pub fn method(&self) -> &Method {
        &self.method
    }

    /// The (encoded) path.
    pub fn path(&self) -> &str {
        &self.path
    }

    /// The JSON body, if one was set.
    pub fn body(&self) -> Option<&[u8]> {
        self.body.as_deref()
    }
}

/// Whether the value whose JSON text is `text` holds, at `path` (descending into every array
/// element), an object (`true`) or a string (`false`).
fn form_at(text: &str, path: &[&str]) -> Option<bool> {
    use serde_json::value::RawValue;
    match (text.as_bytes().first()?, path.split_first()) {
        (b'[', _) => serde_json::from_str::<Vec<&RawValue>>(text)
            .ok()?
            .iter()
            .find_map(|item| form_at(item.get(), path)),
        (b'{', Some((first, rest))) => {
            let map: std::collections::BTreeMap<String, &RawValue> =
                serde_json::from_str(text).ok()?;
            form_at(map.get(*first)?.get(), rest)
        }
        (b'{', None) => Some(true),
        (b'"', None) => Some(false),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn form_is_found_through_arrays() {
        let body = r#"{"tunnels": [{"health_check": {"target": {"saved": "x"}}}]}"#;
        assert_eq!(
            form_at(body, &["tunnels", "health_check", "target"]),
            Some(true)
        );
        let body = r#"{"health_check": {"target": "1.2.3.4"}}"#;
        assert_eq!(form_at(body, &["health_check", "target"]), Some(false));
        assert_eq!(
            form_at(r#"{"name": "x"}"#, &["health_check", "target"]),
            None
        );
        // Escaped keys, a string with braces, and a first array element without the path.
        let body = r#"[{"name":"{"},{"health\u005fcheck":{"target":"x"}}]"#;
        assert_eq!(form_at(body, &["health_check", "target"]), Some(false));
    }

    #[test]
    fn the_header_follows_the_body() {
        let request = RawRequest::new(Method::POST, "/t").json_bytes_with_form_header(
            b"  {\"health_check\": {\"target\": {\"saved\": \"x\"}}}".to_vec(),
            "x-form",
            &[&["health_check", "target"]],
        );
        assert!(
            request
                .headers
                .iter()
                .any(|(n, v)| *n == "x-form" && v == "true")
        );
    }
}
