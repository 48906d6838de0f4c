//! One attempt at an exchange: the request validated once into ready-made parts, sent with the
//! per-attempt deadline, and its answer sorted into a 2xx body or an error with what the retry
//! policy needs to know.

use std::time::{Duration, SystemTime};

use bytes::Bytes;
use reqwest::header::{
    ACCEPT, CONTENT_TYPE, HeaderMap, HeaderName, HeaderValue, RETRY_AFTER, USER_AGENT,
};
use reqwest::{Method, Url};
use tokio::time::Instant;

use super::Client;
use crate::envelope::{ResponseMeta, error_from_body};
use crate::error::Error;
use crate::request::RawRequest;
use crate::retry::{Failure, parse_retry_after};

/// Error bodies are read only this far: enough for any API envelope, and a misbehaving
/// proxy cannot make the client buffer an unbounded page just to report an error.
pub(super) const ERROR_BODY_LIMIT: usize = 64 * 1024;

const JSON: &str = "application/json";
const BINARY: &str = "application/vnd.tcpdump.pcap, application/octet-stream, */*;q=0.5";

impl Client {
    /// Validates the request once, before the first attempt, so that a bad request is
    /// reported without touching the network and retries only clone ready-made parts.
    pub(super) fn prepare(&self, req: &RawRequest, streaming: bool) -> Result<Prepared, Error> {
        let path = &req.path;
        if !path.starts_with('/') || path.contains(['?', '#']) {
            return Err(Error::invalid_request(
                "path must start with `/` and must not contain `?` or `#` (use RawRequest::query)",
            ));
        }
        let mut url = Url::parse(&format!("{}{path}", self.inner.base_url))
            .map_err(|e| Error::invalid_request(format!("invalid URL: {e}")))?;
        // The URL parser resolves dot-segments and encodes some characters. If it changed
        // anything, the request would go to a different resource than the caller named.
        if url.path().strip_prefix(self.inner.base_path.as_str()) != Some(path.as_str()) {
            return Err(Error::invalid_request(
                "path is not in normalised percent-encoded form (a `.`/`..` segment or an \
                 unencoded character); build it with PathBuilder",
            ));
        }
        if !req.query.is_empty() {
            let mut pairs = url.query_pairs_mut();
            for (name, value) in &req.query {
                pairs.append_pair(name, value);
            }
        }

        let mut headers = HeaderMap::with_capacity(4 + req.headers.len() + self.inner.auth.len());
        headers.insert(USER_AGENT, self.inner.user_agent.clone());
        let accept = if streaming { BINARY } else { JSON };
        headers.insert(ACCEPT, HeaderValue::from_static(accept));
        if req.body.is_some() {
            headers.insert(CONTENT_TYPE, HeaderValue::from_static(JSON));
        }
        for (name, value) in &req.headers {
            let name = HeaderName::from_bytes(name.as_bytes())
                .map_err(|_| Error::invalid_request(format!("invalid header name `{name}`")))?;
            // The value is not echoed: it may be something the caller considers private.
            let value = HeaderValue::from_str(value).map_err(|_| {
                Error::invalid_request(format!(
                    "value of header `{name}` is not a valid header value"
                ))
            })?;
            headers.insert(name, value);
        }
        // Last, so that extra headers can never replace the credentials.
        for (name, value) in &self.inner.auth {
            headers.insert(name.clone(), value.clone());
        }
        Ok(Prepared {
            method: req.method.clone(),
            url,
            headers,
            body: req.body.clone(),
        })
    }

    /// One attempt. On failure, also says how far the request got, for the retry policy.
    pub(super) async fn attempt(
        &self,
        p: &Prepared,
        timeout: Duration,
        streaming: bool,
    ) -> Result<(ResponseMeta, Body), (Error, Failure)> {
        let mut request = reqwest::Request::new(p.method.clone(), p.url.clone());
        *request.headers_mut() = p.headers.clone();
        if let Some(body) = &p.body {
            *request.body_mut() = Some(body.clone().into());
        }
        let deadline = Instant::now() + timeout;
        let mut response =
            match tokio::time::timeout_at(deadline, self.inner.http.execute(request)).await {
                Ok(Ok(response)) => response,
                Ok(Err(e)) if e.is_builder() => {
                    // Nothing was sent, and sending again would fail the same way.
                    let reason = format!(
                        "the HTTP client cannot send this request: {}",
                        e.without_url()
                    );
                    return Err((Error::invalid_request(reason), Failure::Final));
                }
                Ok(Err(e)) => {
                    // Only a connect error proves the request was never sent.
                    let failure = if e.is_connect() {
                        Failure::NotSent
                    } else {
                        Failure::MaybeProcessed
                    };
                    return Err((Error::transport(e), failure));
                }
                Err(_) => {
                    return Err((Error::Timeout { after: timeout }, Failure::MaybeProcessed));
                }
            };
        let status = response.status();
        let meta =
            ResponseMeta::from_response(status.as_u16(), std::mem::take(response.headers_mut()));
        if response.url() != &p.url {
            let host = response.url().host_str().map(str::to_owned);
            let error = Error::Redirected {
                status: status.as_u16(),
                host,
            };
            return Err((error, Failure::Final));
        }
        if status.is_success() {
            if streaming {
                return Ok((meta, Body::Streaming(response)));
            }
            let limit = self.inner.max_body_size;
            let too_large = || Error::BodyTooLarge {
                status: meta.status,
                limit,
                ray_id: meta.ray_id.clone(),
            };
            if response.content_length().is_some_and(|n| n > limit as u64) {
                return Err((too_large(), Failure::Final));
            }
            let read = read_body(response, Some(limit.saturating_add(1)));
            return match tokio::time::timeout_at(deadline, read).await {
                Ok(Ok(body)) if body.len() > limit => Err((too_large(), Failure::Final)),
                Ok(Ok(body)) => Ok((meta, Body::Buffered(body))),
                Ok(Err(e)) => Err((Error::transport(e), Failure::MaybeProcessed)),
                Err(_) => Err((Error::Timeout { after: timeout }, Failure::MaybeProcessed)),
            };
        }
        let retry_after = meta
            .headers
            .get(RETRY_AFTER)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| parse_retry_after(v, SystemTime::now()));
        // The status alone decides the error class; a body that cannot be read in time
        // just makes the error less detailed.
        let body = tokio::time::timeout_at(deadline, read_body(response, Some(ERROR_BODY_LIMIT)))
            .await
            .ok()
            .and_then(Result::ok)
            .unwrap_or_default();
        Err((
            error_from_body(&meta, &body),
            Failure::Status {
                status: status.as_u16(),
                retry_after,
            },
        ))
    }
}

/// A request validated by [`Client::prepare`], cheap to clone per attempt.
pub(super) struct Prepared {
    method: Method,
    url: Url,
    headers: HeaderMap,
    body: Option<Bytes>,
}

/// A 2xx response body, buffered (JSON) or not yet read (downloads).
pub(super) enum Body {
    Buffered(Bytes),
    Streaming(reqwest::Response),
}

impl Body {
    pub(super) async fn into_bytes(self) -> Result<Bytes, Error> {
        match self {
            Body::Buffered(bytes) => Ok(bytes),
            Body::Streaming(response) => response.bytes().await.map_err(Error::transport),
        }
    }
}

/// Reads a body, optionally only up to `limit` bytes.
pub(super) async fn read_body(
    mut response: reqwest::Response,
    limit: Option<usize>,
) -> Result<Bytes, reqwest::Error> {
    let Some(limit) = limit else {
        return response.bytes().await;
    };
    let mut buf = Vec::new();
    while let Some(chunk) = response.chunk().await? {
        let room = limit.saturating_sub(buf.len());
        buf.extend_from_slice(chunk.get(..room).unwrap_or(&chunk));
        if buf.len() >= limit {
            break;
        }
    }
    Ok(Bytes::from(buf))
}
