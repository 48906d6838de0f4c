//! The client: configuration, the retry loop, and the three response flavours.

use std::fmt;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use bytes::Bytes;
use reqwest::header::{
    ACCEPT, CONTENT_TYPE, HeaderMap, HeaderName, HeaderValue, RETRY_AFTER, USER_AGENT,
};
use reqwest::{Method, Url};
use serde::de::DeserializeOwned;
use tokio::time::Instant;

use super::credentials::Credentials;
use super::download::{Download, is_textual};
use super::envelope::{ApiResponse, ResponseMeta, check_empty, decode_json, error_from_body};
use super::error::{ConfigError, Error};
use super::request::RawRequest;
use super::retry::{Failure, RetryPolicy, parse_retry_after};

/// A boxed, `Send` future: what the runtime's request functions return, so that their state
/// machines are compiled once here rather than in every crate that awaits them.
pub type BoxFuture<'a, T> = std::pin::Pin<Box<dyn std::future::Future<Output = T> + Send + 'a>>;

/// Error bodies are read only this far: enough for any API envelope, and a misbehaving
/// proxy cannot make the client buffer an unbounded page just to report an error.
const ERROR_BODY_LIMIT: usize = 64 * 1024;

const JSON: &str = "application/json";
const BINARY: &str = "application/vnd.tcpdump.pcap, application/octet-stream, */*;q=0.5";

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

/// Configures a [`Client`]; obtained from [`Client::builder`].
#[derive(Debug)]
pub struct ClientBuilder {
    credentials: Credentials,
    base_url: Option<String>,
    max_body_size: usize,
    timeout: Duration,
    retry: RetryPolicy,
    user_agent: Option<String>,
    http: Option<reqwest::Client>,
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
        ClientBuilder {
            credentials,
            base_url: None,
            max_body_size: Client::DEFAULT_MAX_BODY_SIZE,
            timeout: Self::DEFAULT_TIMEOUT,
            retry: RetryPolicy::default(),
            user_agent: None,
            http: None,
        }
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
        let (meta, body) = self.fetch_bytes(req).await?;
        decode_json(meta, &body)
    }

    /// The request and its whole 2xx body. Boxed so that the retry loop and reqwest's
    /// response future are compiled once, in this crate, instead of in every crate that
    /// instantiates [`send_json`](Self::send_json) (one allocation per call, next to an HTTP
    /// round trip).
    fn fetch_bytes(&self, req: RawRequest) -> BoxFuture<'_, Result<(ResponseMeta, Bytes), Error>> {
        Box::pin(async move {
            let (meta, body) = self.execute(&req, false).await?;
            Ok((meta, body.into_bytes().await?))
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

    /// Validates the request once, before the first attempt, so that a bad request is
    /// reported without touching the network and retries only clone ready-made parts.
    fn prepare(&self, req: &RawRequest, streaming: bool) -> Result<Prepared, Error> {
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
    async fn attempt(
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

impl ClientBuilder {
    /// API root to send requests to, e.g. a mock server in tests (default
    /// [`Client::DEFAULT_BASE_URL`]). Must be `http` or `https`, without query, fragment
    /// or embedded credentials.
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = Some(url.into());
        self
    }

    /// Per-attempt timeout (default [`Client::DEFAULT_TIMEOUT`]); overridable per request
    /// with [`RawRequest::timeout`].
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// Retry behaviour (default [`RetryPolicy::default`]).
    pub fn retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// `User-Agent` header value (default `magic-api/<version>`).
    pub fn user_agent(mut self, user_agent: impl Into<String>) -> Self {
        self.user_agent = Some(user_agent.into());
        self
    }

    /// The largest successful JSON body accepted, in bytes (default
    /// [`Client::DEFAULT_MAX_BODY_SIZE`]); a larger one is [`Error::BodyTooLarge`].
    pub fn max_body_size(mut self, bytes: usize) -> Self {
        self.max_body_size = bytes;
        self
    }

    /// Uses an existing `reqwest` client (shared pool, proxy or TLS settings).
    ///
    /// Give it `reqwest::redirect::Policy::none()`. The client built by default follows no
    /// redirects at all, because `reqwest` strips only some sensitive headers on cross-host
    /// redirects and `X-Auth-Key` is not among them. If a client passed here follows a
    /// redirect anyway, the answer is refused with [`Error::Redirected`] rather than returned
    /// as the API's.
    pub fn http_client(mut self, client: reqwest::Client) -> Self {
        self.http = Some(client);
        self
    }

    /// Validates the configuration and creates the client.
    pub fn build(self) -> Result<Client, Error> {
        let raw = self.base_url.as_deref().unwrap_or(Client::DEFAULT_BASE_URL);
        let parsed = Url::parse(raw).map_err(|e| ConfigError::InvalidBaseUrl(e.to_string()))?;
        let problem = if !matches!(parsed.scheme(), "http" | "https") {
            Some("scheme must be http or https")
        } else if parsed.host_str().is_none() {
            Some("no host")
        } else if !parsed.username().is_empty() || parsed.password().is_some() {
            Some("must not embed credentials")
        } else if parsed.query().is_some() || parsed.fragment().is_some() {
            Some("must not have a query or fragment")
        } else {
            None
        };
        if let Some(why) = problem {
            return Err(ConfigError::InvalidBaseUrl(why.to_owned()).into());
        }
        let base_url = parsed.as_str().trim_end_matches('/').to_owned();
        let base_path = parsed.path().trim_end_matches('/').to_owned();

        let auth = self.credentials.headers()?;
        let user_agent = match self.user_agent {
            Some(ua) => HeaderValue::try_from(ua).map_err(|_| ConfigError::InvalidUserAgent)?,
            None => HeaderValue::from_static(concat!("magic-api/", env!("CARGO_PKG_VERSION"))),
        };
        let http = match self.http {
            Some(client) => client,
            None => with_tls(
                reqwest::Client::builder()
                    .redirect(reqwest::redirect::Policy::none())
                    // A connect failure surfaces as a connect error (retryable for every
                    // method) instead of an ambiguous overall timeout.
                    .connect_timeout(self.timeout.min(Duration::from_secs(10))),
            )?
            .build()
            .map_err(|e| ConfigError::HttpClient(e.without_url()))?,
        };
        Ok(Client {
            inner: Arc::new(Inner {
                http,
                base_url,
                base_path,
                auth,
                scheme: self.credentials.scheme(),
                user_agent,
                timeout: self.timeout,
                retry: self.retry,
                max_body_size: self.max_body_size,
            }),
        })
    }
}

/// The TLS configuration of the default client: rustls with the ring provider and the bundled
/// webpki roots, so nothing depends on the system's OpenSSL or certificate store.
#[cfg(feature = "rustls")]
fn with_tls(builder: reqwest::ClientBuilder) -> Result<reqwest::ClientBuilder, ConfigError> {
    let mut roots = rustls::RootCertStore::empty();
    roots.extend(webpki_roots::TLS_SERVER_ROOTS.iter().cloned());
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| ConfigError::Tls(e.to_string()))?
        .with_root_certificates(roots)
        .with_no_client_auth();
    Ok(builder.tls_backend_preconfigured(config))
}

/// Without TLS the default client speaks plain HTTP only (loopback mocks, proxies).
#[cfg(not(feature = "rustls"))]
fn with_tls(builder: reqwest::ClientBuilder) -> Result<reqwest::ClientBuilder, ConfigError> {
    Ok(builder)
}

/// One `tracing` event per attempt (`magic_api` target): method, path template, attempt number,
/// status (0 without a response), the error's kind and duration. Never the path's ids, headers,
/// bodies or messages.
#[cfg(feature = "tracing")]
fn trace_attempt(
    req: &RawRequest,
    retries: u32,
    took: Duration,
    outcome: &Result<(ResponseMeta, Body), (Error, Failure)>,
) {
    let path = req.template.unwrap_or("(raw request)");
    let millis = took.as_secs_f64() * 1e3;
    match outcome {
        Ok((meta, _)) => tracing::debug!(
            target: "magic_api",
            method = %req.method, path, attempt = retries + 1, status = meta.status, millis,
            "request answered"
        ),
        Err((error, _)) => tracing::debug!(
            target: "magic_api",
            method = %req.method, path, attempt = retries + 1,
            status = error.status().unwrap_or_default(), millis, error = error_kind(error),
            "request failed"
        ),
    }
}

/// What kind of failure an error is, for diagnostics that must not carry bodies or messages.
#[cfg(feature = "tracing")]
fn error_kind(error: &Error) -> &'static str {
    match error {
        Error::Api { .. } => "api",
        Error::UnexpectedBody { .. } => "unexpected body",
        Error::Decode { .. } => "decode",
        Error::BodyTooLarge { .. } => "body too large",
        Error::Redirected { .. } => "redirected",
        Error::UnexpectedContentType { .. } => "unexpected content type",
        Error::Timeout { .. } => "timeout",
        Error::Transport(_) => "transport",
        Error::InvalidRequest { .. } => "invalid request",
        _ => "other",
    }
}

#[cfg(not(feature = "tracing"))]
fn trace_attempt(
    _: &RawRequest,
    _: u32,
    _: Duration,
    _: &Result<(ResponseMeta, Body), (Error, Failure)>,
) {
}

/// One `tracing` event per retry, with the wait before it.
#[cfg(feature = "tracing")]
fn trace_retry(req: &RawRequest, retries: u32, wait: Duration) {
    tracing::info!(
        target: "magic_api",
        method = %req.method, path = req.template.unwrap_or("(raw request)"),
        attempt = retries + 2, wait_millis = wait.as_secs_f64() * 1e3,
        "retrying"
    );
}

#[cfg(not(feature = "tracing"))]
fn trace_retry(_: &RawRequest, _: u32, _: Duration) {}

/// A request validated by [`Client::prepare`], cheap to clone per attempt.
struct Prepared {
    method: Method,
    url: Url,
    headers: HeaderMap,
    body: Option<Bytes>,
}

/// A 2xx response body, buffered (JSON) or not yet read (downloads).
enum Body {
    Buffered(Bytes),
    Streaming(reqwest::Response),
}

impl Body {
    async fn into_bytes(self) -> Result<Bytes, Error> {
        match self {
            Body::Buffered(bytes) => Ok(bytes),
            Body::Streaming(response) => response.bytes().await.map_err(Error::transport),
        }
    }
}

/// Reads a body, optionally only up to `limit` bytes.
async fn read_body(
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
