//! How a [`Client`] is configured: the builder's settings, their checks, and the HTTP client
//! (with its TLS setup) built from them.

use std::sync::Arc;
use std::time::Duration;

use reqwest::Url;
use reqwest::header::HeaderValue;

use super::{Client, Inner};
use crate::credentials::Credentials;
use crate::error::{ConfigError, Error};
use crate::retry::RetryPolicy;

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

impl ClientBuilder {
    /// The defaults, for [`Client::builder`].
    pub(super) fn new(credentials: Credentials) -> Self {
        ClientBuilder {
            credentials,
            base_url: None,
            max_body_size: Client::DEFAULT_MAX_BODY_SIZE,
            timeout: Client::DEFAULT_TIMEOUT,
            retry: RetryPolicy::default(),
            user_agent: None,
            http: None,
        }
    }

    /// API root to send requests to, e.g. a mock server in tests (default
    /// [`Client::DEFAULT_BASE_URL`]). Must be `http` or `https`, without query, fragment
    /// or embedded credentials.
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = Some(url.into());
        self
    }

    /// Per-attempt timeout (default [`Client::DEFAULT_TIMEOUT`]); overridable per request
    /// with [`RawRequest::timeout`](crate::RawRequest::timeout).
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
    // rustls 0.23.48 deprecates the ring provider for lacking post-quantum key exchange, which
    // only its aws-lc-rs provider has, and that builds a large C library (with cmake) into
    // every user's program. ring is the choice documented for the `rustls` feature; a user who
    // wants post-quantum key exchange passes a client of their own to `http_client`. The
    // provider has no replacement in rustls' ring module, hence the allowance.
    #[allow(deprecated)]
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
