//! Retry behaviour of `magic_api::Client` against a real loopback HTTP server: which
//! failures are retried for which methods, `Retry-After` handling, and the time bounds.

use crate::server;
use crate::setup;

use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use magic_api::reqwest::Method;
use magic_api::{Client, Credentials, Error, RawRequest, RetryPolicy};
use serde_json::Value;
use server::{Reply, Server, http_date};

const MS: Duration = Duration::from_millis(1);

/// Short backoffs keep the suite fast while exercising the real retry loop.
fn fast_policy() -> RetryPolicy {
    RetryPolicy::default()
        .max_retries(3)
        .initial_backoff(5 * MS)
        .max_backoff(20 * MS)
        .max_elapsed(Duration::from_secs(10))
}

/// A client for `server` that retries with [`fast_policy`].
fn client(server: &Server) -> Client {
    setup::retrying_client(server.url(), fast_policy())
}

fn get() -> RawRequest {
    RawRequest::new(Method::GET, "/things")
}

fn post() -> RawRequest {
    RawRequest::new(Method::POST, "/things")
        .json_body(&serde_json::json!({"name": "x"}))
        .expect("body")
}

fn status_of(result: Result<magic_api::ApiResponse<Value>, Error>) -> Option<u16> {
    match result {
        Ok(_) => Some(200),
        Err(e) => e.status(),
    }
}

#[tokio::test]
async fn too_many_requests_waits_for_retry_after_seconds_then_succeeds() {
    let server = Server::start(|i, _| match i {
        0 => Reply::json(
            429,
            r#"{"success":false,"errors":[{"code":10000,"message":"rate limited"}]}"#,
        )
        .header("retry-after", "1"),
        _ => Reply::ok(r#"{"id":"abc"}"#),
    })
    .await;
    let started = Instant::now();
    let resp = client(&server)
        .send_json::<Value>(get())
        .await
        .expect("retried to success");
    assert_eq!(resp.result["id"], "abc");
    assert_eq!(server.count(), 2, "one retry observed by the server");
    // Functional check that Retry-After was honoured (a lower bound, not a performance bound).
    assert!(
        started.elapsed() >= Duration::from_millis(900),
        "{:?}",
        started.elapsed()
    );
}

#[tokio::test]
async fn retry_after_as_http_date_is_honoured() {
    let server = Server::start(|i, _| match i {
        0 => Reply::status(429).header(
            "retry-after",
            &http_date(SystemTime::now() + Duration::from_secs(1)),
        ),
        _ => Reply::ok("1"),
    })
    .await;
    let resp = client(&server)
        .send_json::<u32>(get())
        .await
        .expect("retried");
    assert_eq!(resp.result, 1);
    assert_eq!(server.count(), 2);
}

#[test]
fn http_date_helper_formats_a_known_instant() {
    assert_eq!(
        http_date(UNIX_EPOCH + Duration::from_secs(784_111_777)),
        "Sun, 06 Nov 1994 08:49:37 GMT"
    );
}

#[tokio::test]
async fn service_unavailable_then_success_on_get() {
    let server = Server::start(|i, _| match i {
        0 => Reply::status(503).with_body("text/html", "<html>down</html>"),
        _ => Reply::ok("true"),
    })
    .await;
    let resp = client(&server)
        .send_json::<bool>(get())
        .await
        .expect("retried");
    assert!(resp.result);
    assert_eq!(server.count(), 2);
}

#[tokio::test]
async fn post_503_without_retry_after_is_not_resent() {
    let server = Server::start(|_, _| {
        Reply::json(
            503,
            r#"{"success":false,"errors":[{"code":1,"message":"busy"}]}"#,
        )
    })
    .await;
    let err = client(&server)
        .send_json::<Value>(post())
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Api { status: 503, .. }), "{err:?}");
    assert_eq!(
        server.count(),
        1,
        "a POST that may have been processed must not be resent"
    );
}

#[tokio::test]
async fn post_503_with_retry_after_is_resent() {
    let server = Server::start(|i, _| match i {
        0 => Reply::status(503).header("retry-after", "0"),
        _ => Reply::ok(r#"{"id":"new"}"#),
    })
    .await;
    let resp = client(&server)
        .send_json::<Value>(post())
        .await
        .expect("resent");
    assert_eq!(resp.result["id"], "new");
    assert_eq!(server.count(), 2);
    let bodies: Vec<_> = server.requests().into_iter().map(|r| r.body).collect();
    assert_eq!(bodies[0], bodies[1], "the same body is resent");
}

#[tokio::test]
async fn post_429_is_resent() {
    let server = Server::start(|i, _| match i {
        0 => Reply::json(
            429,
            r#"{"success":false,"errors":[{"code":971,"message":"slow down"}]}"#,
        ),
        _ => Reply::ok(r#"{"id":"new"}"#),
    })
    .await;
    client(&server)
        .send_json::<Value>(post())
        .await
        .expect("resent");
    assert_eq!(server.count(), 2);
}

#[tokio::test]
async fn conflict_409_is_never_retried() {
    let server = Server::start(|_, _| {
        Reply::json(
            409,
            r#"{"success":false,"errors":[{"code":1002,"message":"already exists"}]}"#,
        )
    })
    .await;
    let c = client(&server);
    assert_eq!(status_of(c.send_json::<Value>(get()).await), Some(409));
    assert_eq!(status_of(c.send_json::<Value>(post()).await), Some(409));
    assert_eq!(server.count(), 2, "one request per call");
}

#[tokio::test]
async fn timeout_get_is_retried_but_post_is_not() {
    let server = Server::start(|i, r| {
        // The first request of each method stalls past the per-request timeout.
        let stall = (i == 0 && r.method == "GET") || r.method == "POST";
        if stall {
            Reply::ok("1").delayed(Duration::from_secs(3))
        } else {
            Reply::ok("1")
        }
    })
    .await;
    let c = client(&server);
    let resp = c
        .send_json::<u32>(get().timeout(200 * MS))
        .await
        .expect("second attempt answers");
    assert_eq!(resp.result, 1);
    assert_eq!(server.count(), 2);

    let err = c
        .send_json::<u32>(post().timeout(200 * MS))
        .await
        .unwrap_err();
    assert!(
        matches!(err, Error::Timeout { after } if after == 200 * MS),
        "{err:?}"
    );
    let posts = server
        .requests()
        .iter()
        .filter(|r| r.method == "POST")
        .count();
    assert_eq!(posts, 1, "a timed-out POST must not be resent");
}

#[tokio::test]
async fn dropped_connection_get_is_retried_but_post_is_not() {
    let server = Server::start(|i, r| {
        if r.method == "POST" || i == 0 {
            Reply::Close
        } else {
            Reply::ok(r#""fine""#)
        }
    })
    .await;
    let c = client(&server);
    let resp = c.send_json::<String>(get()).await.expect("retried");
    assert_eq!(resp.result, "fine");
    assert_eq!(server.count(), 2);

    let err = c.send_json::<Value>(post()).await.unwrap_err();
    assert!(matches!(err, Error::Transport(_)), "{err:?}");
    let posts = server
        .requests()
        .iter()
        .filter(|r| r.method == "POST")
        .count();
    assert_eq!(
        posts, 1,
        "a POST whose connection died after sending must not be resent"
    );
}

#[tokio::test]
async fn connect_failure_is_retried_even_for_post() {
    // Reserve a port, free it, and only start listening on it a little later: the first
    // attempt(s) fail to connect, which proves the request was never sent.
    let reserved = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let addr = reserved.local_addr().expect("addr");
    drop(reserved);
    let late = tokio::spawn(async move {
        tokio::time::sleep(30 * MS).await;
        let listener = tokio::net::TcpListener::bind(addr).await.expect("rebind");
        Server::serve(listener, |_, _| Reply::ok(r#"{"id":"new"}"#))
    });
    let c = Client::builder(Credentials::api_token("t"))
        .base_url(format!("http://{addr}"))
        .retry_policy(
            RetryPolicy::default()
                .max_retries(8)
                .initial_backoff(50 * MS)
                .max_backoff(200 * MS),
        )
        .build()
        .expect("client");
    let resp = c
        .send_json::<Value>(post())
        .await
        .expect("connect errors are retried");
    assert_eq!(resp.result["id"], "new");
    let server = late.await.expect("server task");
    assert_eq!(
        server.count(),
        1,
        "the POST reached the server exactly once"
    );
}

#[tokio::test]
async fn total_retry_time_is_bounded_by_max_elapsed() {
    let server = Server::start(|_, _| Reply::status(503).header("retry-after", "1")).await;
    let policy = fast_policy()
        .max_retries(50)
        .max_elapsed(Duration::from_millis(1500));
    let started = Instant::now();
    let err = setup::retrying_client(server.url(), policy)
        .send_json::<Value>(get())
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(503));
    // Attempt at t=0, wait 1 s, attempt at t≈1 s; another 1 s wait would exceed 1.5 s (50
    // retries were allowed: the count is the bound's doing).
    assert_eq!(server.count(), 2);
    assert!(started.elapsed() >= Duration::from_secs(1));
}

#[tokio::test]
async fn retry_after_beyond_the_cap_returns_the_error_at_once() {
    let server = Server::start(|_, _| Reply::status(429).header("retry-after", "3600")).await;
    let err = client(&server).send_json::<Value>(get()).await.unwrap_err();
    assert_eq!(err.status(), Some(429));
    assert_eq!(server.count(), 1);
}

#[tokio::test]
async fn exhausted_retries_return_the_last_error() {
    let server = Server::start(|i, _| {
        Reply::json(
            500,
            format!(r#"{{"success":false,"errors":[{{"code":{i},"message":"boom"}}]}}"#),
        )
    })
    .await;
    let err = setup::retrying_client(server.url(), fast_policy().max_retries(2))
        .send_json::<Value>(get())
        .await
        .unwrap_err();
    assert_eq!(server.count(), 3, "first attempt + 2 retries");
    assert_eq!(err.api_errors()[0].code, 2, "error of the last attempt");
}

#[tokio::test]
async fn retry_policy_none_sends_once() {
    let server = Server::start(|_, _| Reply::status(503)).await;
    let err = setup::retrying_client(server.url(), RetryPolicy::none())
        .send_json::<Value>(get())
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(503));
    assert_eq!(server.count(), 1);
}

/// `Retry-After` dates built to overflow date arithmetic: no panic (tests build with overflow
/// checks), and the header is ignored, so the ordinary backoff applies.
#[tokio::test]
async fn absurd_retry_after_dates_neither_panic_nor_skip_the_backoff() {
    for value in [
        "Sun, 06 Nov 9223372036854775807 08:49:37 GMT",
        "Sunday, 06-Nov-9223372036854775807 08:49:37 GMT",
        "Sun, 06 Nov 1994 -9223372036854775808:49:37 GMT",
        "Sun Nov  6 08:49:37 9223372036854775807",
    ] {
        let value = value.to_owned();
        let server = Server::start(move |i, _| match i {
            0 => Reply::status(503).header("retry-after", &value),
            _ => Reply::ok("[1]"),
        })
        .await;
        let got = client(&server)
            .send_json::<Vec<u32>>(RawRequest::new(Method::GET, "/x"))
            .await
            .expect("retried after the ordinary backoff");
        assert_eq!(got.result, [1]);
        assert_eq!(server.count(), 2);
    }
}

/// A request the HTTP client cannot build (a URI too long for HTTP) is an invalid request,
/// reported at once and never retried as if it might have been processed. Tokio's clock is
/// paused, so any backoff would advance it: the check is exact, not a race with the machine.
#[tokio::test(start_paused = true)]
async fn a_request_that_cannot_be_built_is_not_retried() {
    let server = Server::start(|_, _| Reply::ok("{}")).await;
    let id = "x".repeat(70_000);
    let path = magic_api::PathBuilder::new()
        .segment("sites")
        .param(&id)
        .build()
        .expect("encodable");
    let started = tokio::time::Instant::now();
    let err = setup::retrying_client(server.url(), RetryPolicy::default())
        .send_json::<Value>(RawRequest::new(Method::POST, path))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::InvalidRequest { .. }), "{err:?}");
    assert_eq!(server.count(), 0);
    assert_eq!(started.elapsed(), Duration::ZERO, "no backoff happened");
}

/// Per-call control through a generated call: extra header and query parameter, a retry policy
/// of its own, and the response's status and headers from `send_full`.
#[tokio::test]
async fn a_call_takes_its_own_headers_query_and_retry_policy() {
    use magic_api::AccountId;
    let server = Server::start(|i, _| match i {
        0 => Reply::status(503).header("retry-after", "0"),
        _ => Reply::ok("{\"gre_tunnels\":[]}").header("x-ratelimit-remaining", "99"),
    })
    .await;
    let client = setup::retrying_client(server.url(), fast_policy());
    let account = AccountId::from("acc");
    // With no retries for this call, the first 503 is the answer.
    let err = client
        .gre_tunnels()
        .list(&account)
        .retry_policy(RetryPolicy::none())
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(503));
    assert_eq!(server.count(), 1);
    let full = client
        .gre_tunnels()
        .list(&account)
        .header("x-request-tag", "nightly-sync")
        .query("debug", "1")
        .send_full()
        .await
        .expect("the second request succeeds");
    assert_eq!(full.status, 200);
    assert_eq!(
        full.headers
            .get("x-ratelimit-remaining")
            .and_then(|v| v.to_str().ok()),
        Some("99")
    );
    let sent = server.requests().last().cloned().expect("recorded");
    assert_eq!(sent.header("x-request-tag"), Some("nightly-sync"));
    assert_eq!(sent.query("debug"), Some("1"));
}
