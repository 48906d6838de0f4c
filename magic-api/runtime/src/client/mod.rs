//! The client: what it holds, its public entry points (the three response flavours), and the
//! retry loop around single attempts. How it is configured is in [`config`], one attempt in
//! [`exchange`], the diagnostics each attempt emits in [`trace`].

mod config;
mod exchange;
mod trace;

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use reqwest::header::{HeaderName, HeaderValue};
use serde::de::DeserializeOwned;
use tokio::time::Instant;

use super::credentials::Credentials;
use super::download::{Download, is_textual};
use super::envelope::{ApiResponse, JsonReply, ResponseMeta, check_empty};
use super::error::{ConfigError, Error};
use super::request::RawRequest;
use super::retry::RetryPolicy;
use exchange::{Body, ERROR_BODY_LIMIT, read_body};
use trace::{trace_attempt, trace_retry};

pub use config::ClientBuilder;

use super::future::BoxFuture;

/// An authenticated Cloudflare API client.
///
/// Cloning is cheap (one `Arc`), and clones share the connection pool, so create one
/// client and clone it into tasks. All methods take `&self` and the type is
/// `Send + Sync`.
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

struct Inner {
    http: reqwest::Client,
    /// Normalised base URL without a trailing slash, e.g. `https://api.cloudflare.com/client/v4`.
    base_url: String,
    /// Path component of `base_url`, without a trailing slash (e.g. `/client/v4`).
    base_path: String,
    auth: Vec<(HeaderName, HeaderValue)>,
    scheme: &'static str,
    user_agent: HeaderValue,
    timeout: Duration,
    retry: RetryPolicy,
    max_body_size: usize,
}

impl Client {
    /// The production API root.
    pub const DEFAULT_BASE_URL: &'static str = "https://api.cloudflare.com/client/v4";

    /// Default per-attempt timeout: generous for slow list endpoints, short enough that a
    /// dead connection is noticed and retried (for safe methods).
    pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);

    /// Default limit of a successful JSON body: 64 MiB, about a thousand times the largest
    /// Magic Transit list seen, yet small enough that a runaway response cannot exhaust memory
    /// (decoding takes a few times the body's size). Downloads are streamed and not limited.
    pub const DEFAULT_MAX_BODY_SIZE: usize = 64 * 1024 * 1024;

    /// A client with default settings (see [`ClientBuilder`]).
    pub fn new(credentials: Credentials) -> Result<Self, Error> {
        Self::builder(credentials).build()
    }

    /// A client configured from the environment, the usual way to run tools and CI jobs.
    ///
    /// Reads `CLOUDFLARE_API_TOKEN`, or else `CLOUDFLARE_EMAIL` and `CLOUDFLARE_API_KEY`;
    /// `CLOUDFLARE_BASE_URL`, if set, overrides [`DEFAULT_BASE_URL`](Self::DEFAULT_BASE_URL).
    /// A missing variable yields [`ConfigError::MissingEnvVar`] naming it (never a value).
    pub fn from_env() -> Result<Self, Error> {
        let lookup = |name: &'static str| match std::env::var(name) {
            Ok(v) => Ok(Some(v)),
            Err(std::env::VarError::NotPresent) => Ok(None),
            Err(std::env::VarError::NotUnicode(_)) => Err(ConfigError::InvalidEnvVar(name)),
        };
        let mut builder = Self::builder(Credentials::from_lookup(lookup)?);
        if let Some(url) = lookup("CLOUDFLARE_BASE_URL")?.filter(|u| !u.is_empty()) {
            builder = builder.base_url(url);
        }
        builder.build()
    }

    /// Starts configuring a client.
    pub fn builder(credentials: Credentials) -> ClientBuilder {
        ClientBuilder::new(credentials)
    }

    /// The base URL requests are sent to (no trailing slash).
    pub fn base_url(&self) -> &str {
        &self.inner.base_url
    }

    /// Sends `req` and decodes the envelope's `result` as `T`.
    ///
    /// Succeeds only for a 2xx response whose envelope says `"success": true`; the
    /// `result` is decoded after that check, so an API error is reported as
    /// [`Error::Api`] even when its `result` does not fit `T`. An absent `result` decodes
    /// like `null`.
    pub async fn send_json<T: DeserializeOwned>(
        &self,
        req: RawRequest,
    ) -> Result<ApiResponse<T>, Error> {
        self.fetch_json(req).await?.decode()
    }

    /// Sends `req` and reads the envelope, leaving its `result` to [`JsonReply::decode`]: what
    /// [`send_json`](Self::send_json) does before decoding. Not generic and boxed, so the retry
    /// loop, reqwest's response future and the envelope's decoding are compiled once, in this
    /// crate, instead of in every crate that awaits a call (one allocation per call, next to an
    /// HTTP round trip).
    pub fn fetch_json(&self, req: RawRequest) -> BoxFuture<'_, Result<JsonReply, Error>> {
        Box::pin(async move {
            let (meta, body) = self.execute(&req, false).await?;
            JsonReply::new(meta, body.into_bytes().await?)
        })
    }

    /// Sends `req` for an operation without a documented response body.
    ///
    /// Any 2xx counts as success, except a JSON envelope saying `"success": false`.
    pub fn send_empty(&self, req: RawRequest) -> BoxFuture<'_, Result<(), Error>> {
        Box::pin(async move {
            let (meta, body) = self.execute(&req, false).await?;
            check_empty(&meta, &body.into_bytes().await?)
        })
    }

    /// Sends `req` for a binary download (e.g. a packet capture) and streams the body.
    ///
    /// A 2xx response whose content type is JSON, HTML or other text is not the file:
    /// a JSON error envelope becomes [`Error::Api`], anything else
    /// [`Error::UnexpectedContentType`]. The per-attempt timeout covers receiving the
    /// response headers and then applies to each chunk separately, so a large capture
    /// can take as long as it needs while a stalled transfer still fails.
    pub fn send_download(&self, req: RawRequest) -> BoxFuture<'_, Result<Download, Error>> {
        Box::pin(self.download(req))
    }

    async fn download(&self, req: RawRequest) -> Result<Download, Error> {
        let timeout = req.timeout.unwrap_or(self.inner.timeout);
        let (meta, body) = self.execute(&req, true).await?;
        let response = match body {
            Body::Streaming(response) => response,
            // Not produced in streaming mode; handled rather than asserted.
            Body::Buffered(_) => {
                return Err(Error::UnexpectedContentType {
                    status: meta.status,
                    content_type: meta.content_type,
                    ray_id: meta.ray_id,
                });
            }
        };
        if is_textual(meta.content_type.as_deref()) {
            let body = tokio::time::timeout(timeout, read_body(response, Some(ERROR_BODY_LIMIT)))
                .await
                .ok()
                .and_then(Result::ok)
                .unwrap_or_default();
            check_empty(&meta, &body)?;
            return Err(Error::UnexpectedContentType {
                status: meta.status,
                content_type: meta.content_type,
                ray_id: meta.ray_id,
            });
        }
        Ok(Download::new(meta, response, timeout))
    }

    /// The retry loop shared by all three flavours. Returns only 2xx responses.
    async fn execute(
        &self,
        req: &RawRequest,
        streaming: bool,
    ) -> Result<(ResponseMeta, Body), Error> {
        let prepared = self.prepare(req, streaming)?;
        let timeout = req.timeout.unwrap_or(self.inner.timeout);
        let started = Instant::now();
        let mut retries = 0;
        loop {
            let attempt_started = Instant::now();
            let outcome = self.attempt(&prepared, timeout, streaming).await;
            trace_attempt(req, retries, attempt_started.elapsed(), &outcome);
            let (error, failure) = match outcome {
                Ok(reply) => return Ok(reply),
                Err(failed) => failed,
            };
            match req.retry.as_ref().unwrap_or(&self.inner.retry).delay(
                &req.method,
                &failure,
                retries,
                started.elapsed(),
            ) {
                // Dropping the caller's future drops this sleep: cancellation is free.
                Some(wait) => {
                    trace_retry(req, retries, wait);
                    tokio::time::sleep(wait).await
                }
                None => return Err(error),
            }
            retries += 1;
        }
    }
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("base_url", &self.inner.base_url)
            .field(
                "credentials",
                &format_args!("{}(<redacted>)", self.inner.scheme),
            )
            .field("timeout", &self.inner.timeout)
            .field("retry", &self.inner.retry)
            .finish_non_exhaustive()
    }
}
