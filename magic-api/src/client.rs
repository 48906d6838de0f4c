//! The client users hold: the runtime's client (connection pool, credentials, retries), plus one
//! handle per resource, which the generated code adds (`client.gre_tunnels()`, `client.sites()`).
//!
//! A thin wrapper, because the handles are inherent methods and the runtime is another crate;
//! everything else is the runtime's, reached through `Deref` (`send_json`, `base_url`, …).

use std::fmt;
use std::ops::Deref;
use std::time::Duration;

use magic_api_runtime::{Credentials, Error, RetryPolicy};

/// An authenticated Cloudflare API client, with one handle per resource of the API.
///
/// Cloning is cheap (one `Arc`), and clones share the connection pool, so create one client and
/// clone it into tasks. The low-level [`RawRequest`](crate::RawRequest) API is reached through
/// `Deref` ([`runtime::Client`](magic_api_runtime::Client)).
#[derive(Clone)]
pub struct Client(magic_api_runtime::Client);

impl Client {
    /// The production API root.
    pub const DEFAULT_BASE_URL: &'static str = magic_api_runtime::Client::DEFAULT_BASE_URL;
    /// Default per-attempt timeout.
    pub const DEFAULT_TIMEOUT: Duration = magic_api_runtime::Client::DEFAULT_TIMEOUT;
    /// Default limit of a successful JSON body (64 MiB).
    pub const DEFAULT_MAX_BODY_SIZE: usize = magic_api_runtime::Client::DEFAULT_MAX_BODY_SIZE;

    /// A client with default settings (see [`ClientBuilder`]).
    pub fn new(credentials: Credentials) -> Result<Self, Error> {
        magic_api_runtime::Client::new(credentials).map(Client)
    }

    /// A client from the environment: `CLOUDFLARE_API_TOKEN` (or `CLOUDFLARE_EMAIL` and
    /// `CLOUDFLARE_API_KEY`), and `CLOUDFLARE_BASE_URL` if set.
    pub fn from_env() -> Result<Self, Error> {
        magic_api_runtime::Client::from_env().map(Client)
    }

    /// Starts configuring a client.
    pub fn builder(credentials: Credentials) -> ClientBuilder {
        ClientBuilder(magic_api_runtime::Client::builder(credentials))
    }
}

impl Deref for Client {
    type Target = magic_api_runtime::Client;
    fn deref(&self) -> &magic_api_runtime::Client {
        &self.0
    }
}

impl From<magic_api_runtime::Client> for Client {
    fn from(client: magic_api_runtime::Client) -> Self {
        Client(client)
    }
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

/// Configures a [`Client`]; obtained from [`Client::builder`]. See the runtime's
/// [`ClientBuilder`](magic_api_runtime::ClientBuilder) for what each setting does.
#[derive(Debug)]
pub struct ClientBuilder(magic_api_runtime::ClientBuilder);

impl ClientBuilder {
    /// API root to send requests to (default [`Client::DEFAULT_BASE_URL`]).
    pub fn base_url(self, url: impl Into<String>) -> Self {
        ClientBuilder(self.0.base_url(url))
    }

    /// Per-attempt timeout (default [`Client::DEFAULT_TIMEOUT`]).
    pub fn timeout(self, timeout: Duration) -> Self {
        ClientBuilder(self.0.timeout(timeout))
    }

    /// Retry behaviour (default [`RetryPolicy::default`]).
    pub fn retry_policy(self, policy: RetryPolicy) -> Self {
        ClientBuilder(self.0.retry_policy(policy))
    }

    /// `User-Agent` header value (default `magic-api/<version>`).
    pub fn user_agent(self, user_agent: impl Into<String>) -> Self {
        ClientBuilder(self.0.user_agent(user_agent))
    }

    /// The largest successful JSON body accepted (default [`Client::DEFAULT_MAX_BODY_SIZE`]).
    pub fn max_body_size(self, bytes: usize) -> Self {
        ClientBuilder(self.0.max_body_size(bytes))
    }

    /// Uses an existing `reqwest` client; give it `reqwest::redirect::Policy::none()` (an answer
    /// that arrives through a redirect is refused with [`Error::Redirected`]).
    pub fn http_client(self, client: reqwest::Client) -> Self {
        ClientBuilder(self.0.http_client(client))
    }

    /// Validates the configuration and creates the client.
    pub fn build(self) -> Result<Client, Error> {
        self.0.build().map(Client)
    }
}
