//! Client set-up shared by the client tests (against `magic-api-mock`) and the runtime tests
//! (against the scripted server in `server.rs`), so that every test builds its client the
//! same way and says only what differs: the credentials or the retry policy.
#![allow(dead_code)] // each test module uses a different subset

use std::time::Duration;

use magic_api::{Client, Credentials, RetryPolicy};
use magic_api_mock::MockServer;

/// The API token the test clients send (the mock and the scripted server take any).
pub const TOKEN: &str = "test-token";

/// A client for `base_url` authenticated with `credentials`, retried per `retry`.
///
/// The timeout is 5 s so that a server that never answers fails its test instead of stalling
/// the suite (the client's default is longer).
pub fn client_for(
    base_url: impl Into<String>,
    credentials: Credentials,
    retry: RetryPolicy,
) -> Client {
    Client::builder(credentials)
        .base_url(base_url.into())
        .retry_policy(retry)
        .timeout(Duration::from_secs(5))
        .build()
        .expect("a client for a loopback server")
}

/// [`client_for`] without retries: every call sends exactly one request, which is what tests
/// that count requests rely on.
pub fn client_with(base_url: impl Into<String>, credentials: Credentials) -> Client {
    client_for(base_url, credentials, RetryPolicy::none())
}

/// [`client_with`] [`TOKEN`].
pub fn client(base_url: impl Into<String>) -> Client {
    client_with(base_url, Credentials::api_token(TOKEN))
}

/// [`client_for`] with [`TOKEN`] and `retry`.
pub fn retrying_client(base_url: impl Into<String>, retry: RetryPolicy) -> Client {
    client_for(base_url, Credentials::api_token(TOKEN), retry)
}

/// A stateless mock (every valid request gets its documented answer) on a free loopback port.
pub async fn stateless_mock() -> MockServer {
    MockServer::builder()
        .stateless()
        .start()
        .await
        .expect("mock on loopback")
}

/// A stateless mock and a [`client`] for it.
pub async fn start() -> (MockServer, Client) {
    let mock = stateless_mock().await;
    let client = client(mock.base_url());
    (mock, client)
}
