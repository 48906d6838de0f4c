//! Security properties of the runtime, checked on the wire: identifiers cannot change the
//! request path, secrets never show up in diagnostics, and credentials do not follow
//! redirects to another host.

use crate::server;
use crate::setup;

use std::time::Duration;

use magic_api::reqwest::Method;
use magic_api::{Client, Credentials, Error, PathBuilder, RawRequest, RetryPolicy};
use serde_json::Value;
use server::{Reply, Server};

const TOKEN: &str = "tok-SECRET-0123456789abcdef";
const KEY: &str = "key-SECRET-fedcba9876543210";

fn account_path(id: &str) -> Result<String, Error> {
    PathBuilder::new()
        .segment("accounts")
        .param(id)
        .segment("magic")
        .segment("sites")
        .build()
}

#[tokio::test]
async fn hostile_ids_reach_the_server_percent_encoded_in_one_segment() {
    let server = Server::start(|_, _| Reply::ok("{}")).await;
    let c = setup::client_with(server.url(), Credentials::api_token(TOKEN));
    let cases = [
        ("../x", "/accounts/..%2Fx/magic/sites"),
        ("a/b", "/accounts/a%2Fb/magic/sites"),
        ("a?b", "/accounts/a%3Fb/magic/sites"),
        ("a#b", "/accounts/a%23b/magic/sites"),
        ("%2e%2e", "/accounts/%252e%252e/magic/sites"),
        ("a b", "/accounts/a%20b/magic/sites"),
        ("...", "/accounts/.../magic/sites"),
    ];
    for (id, expected) in cases {
        let path = account_path(id).expect("encodable");
        c.send_json::<Value>(RawRequest::new(Method::GET, path))
            .await
            .expect("request");
        let target = server.requests().last().expect("recorded").target.clone();
        assert_eq!(target, expected, "id {id:?}");
    }
    assert_eq!(server.count(), cases.len());
}

#[tokio::test]
async fn dot_segment_ids_are_refused_without_any_request() {
    // `.`/`..` and every percent-encoding of them are resolved by URL parsers, so no
    // spelling of these ids can be sent safely; the client refuses them instead.
    let server = Server::start(|_, _| Reply::ok("{}")).await;
    for id in ["..", ".", ""] {
        let err = account_path(id).unwrap_err();
        assert!(
            matches!(err, Error::InvalidRequest { .. }),
            "{id:?}: {err:?}"
        );
    }
    // Even a hand-written raw path cannot smuggle one through.
    let c = setup::client_with(server.url(), Credentials::api_token(TOKEN));
    let err = c
        .send_json::<Value>(RawRequest::new(Method::GET, "/accounts/%2E%2E/magic/sites"))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::InvalidRequest { .. }), "{err:?}");
    assert_eq!(server.count(), 0);
}

#[tokio::test]
async fn integer_params_and_multi_part_segments_are_exact() {
    let server = Server::start(|_, _| Reply::ok("{}")).await;
    let c = setup::client_with(server.url(), Credentials::api_token(TOKEN));
    let (t, n) = (1_700_000_000_123_456_789u64, 42u64);
    let path = PathBuilder::new()
        .segment("events")
        .param_parts(&[&t.to_string(), ".", &n.to_string()])
        .build()
        .expect("path");
    c.send_json::<Value>(RawRequest::new(Method::GET, path))
        .await
        .expect("ok");
    assert_eq!(
        server.requests()[0].target,
        "/events/1700000000123456789.42"
    );
}

#[tokio::test]
async fn secrets_never_appear_in_debug_or_display() {
    let server = Server::start(|i, _| match i {
        0 => Reply::json(
            403,
            r#"{"success":false,"errors":[{"code":10000,"message":"Authentication error"}]}"#,
        ),
        1 => Reply::status(500).with_body("text/html", "<h1>oops</h1>"),
        _ => Reply::ok("1").delayed(Duration::from_secs(2)),
    })
    .await;
    let creds = [
        Credentials::api_token(TOKEN),
        Credentials::api_key("me@example.com", KEY),
    ];
    let mut rendered = Vec::new();
    for cred in creds {
        rendered.push(format!("{cred:?}"));
        let builder = Client::builder(cred.clone()).base_url(server.url());
        rendered.push(format!("{builder:?}"));
        let c = setup::client_with(server.url(), cred);
        rendered.push(format!("{c:?}"));
        assert!(format!("{c:?}").contains("<redacted>"));
    }
    let c = setup::client_with(server.url(), Credentials::api_token(TOKEN));
    let mut errors = vec![
        c.send_json::<Value>(RawRequest::new(Method::GET, "/a"))
            .await
            .unwrap_err(),
        c.send_json::<Value>(RawRequest::new(Method::GET, "/b"))
            .await
            .unwrap_err(),
        c.send_json::<Value>(
            RawRequest::new(Method::GET, "/c").timeout(Duration::from_millis(100)),
        )
        .await
        .unwrap_err(),
    ];
    // A transport error: nothing listens on the port any more.
    let url = server.url();
    drop(server);
    let gone = Client::builder(Credentials::api_token(TOKEN))
        .base_url(url)
        .retry_policy(RetryPolicy::none())
        .build()
        .expect("client");
    errors.push(
        gone.send_json::<Value>(RawRequest::new(Method::GET, "/d"))
            .await
            .unwrap_err(),
    );
    // A configuration error about the credentials themselves.
    errors.push(
        Client::builder(Credentials::api_token(format!("{TOKEN}\n")))
            .build()
            .unwrap_err(),
    );
    for e in &errors {
        rendered.push(format!("{e:?}"));
        rendered.push(e.to_string());
        let mut source = std::error::Error::source(e);
        while let Some(s) = source {
            rendered.push(format!("{s} {s:?}"));
            source = s.source();
        }
    }
    assert!(matches!(errors[3], Error::Transport(_)), "{:?}", errors[3]);
    for text in &rendered {
        assert!(!text.contains("SECRET"), "secret leaked: {text}");
    }
}

async fn redirect_check(credentials: Credentials) {
    let thief = Server::start(|_, _| Reply::ok("{}")).await;
    let location = format!("{}/stolen", thief.url());
    let origin = Server::start(move |_, _| {
        Reply::status(302)
            .header("location", &location)
            .with_body("text/html", "moved")
    })
    .await;
    let c = setup::client_with(origin.url(), credentials);
    let result = c
        .send_json::<Value>(RawRequest::new(Method::GET, "/x"))
        .await;
    for r in thief.requests() {
        for header in ["authorization", "x-auth-key", "x-auth-email"] {
            assert!(
                r.header(header).is_none(),
                "{header} delivered to another host: {r:?}"
            );
        }
    }
    assert_eq!(thief.count(), 0, "redirects are not followed at all");
    let err = result.unwrap_err();
    assert_eq!(err.status(), Some(302), "{err:?}");
}

#[tokio::test]
async fn redirect_to_another_port_does_not_carry_a_token() {
    redirect_check(Credentials::api_token(TOKEN)).await;
}

#[tokio::test]
async fn redirect_to_another_port_does_not_carry_an_api_key() {
    redirect_check(Credentials::api_key("me@example.com", KEY)).await;
}

#[tokio::test]
async fn token_is_still_sent_to_the_api_host() {
    // The redaction is for diagnostics only: the configured host gets the real value.
    let server = Server::start(|_, _| Reply::ok("{}")).await;
    let c = setup::client_with(server.url(), Credentials::api_token(TOKEN));
    c.send_json::<Value>(RawRequest::new(Method::GET, "/x"))
        .await
        .expect("ok");
    assert_eq!(
        server.requests()[0].header("authorization"),
        Some(format!("Bearer {TOKEN}").as_str()),
        "the real value is sent"
    );
}

/// With the caller's own `reqwest::Client` (default redirect policy: follow), a redirect to
/// another host is not returned as the API's answer.
#[tokio::test]
async fn a_followed_redirect_is_refused_with_a_users_http_client() {
    let thief = Server::start(|_, _| Reply::ok(r#"{"stolen":true}"#)).await;
    let location = format!("http://localhost:{}/stolen", thief.port());
    let origin = Server::start(move |_, _| {
        Reply::status(301)
            .header("location", &location)
            .with_body("text/html", "moved")
    })
    .await;
    // A caller's own reqwest brings a TLS provider; here, install one as such a caller would.
    // (ring's provider is deprecated from rustls 0.23.48 on: see the runtime's `with_tls`.)
    #[allow(deprecated)]
    let _ = rustls::crypto::ring::default_provider().install_default();
    let c = Client::builder(Credentials::api_key("ops@example.com", KEY))
        .base_url(origin.url())
        .retry_policy(RetryPolicy::none())
        .http_client(magic_api::reqwest::Client::new())
        .build()
        .expect("client");
    let err = c
        .send_json::<Value>(RawRequest::new(Method::GET, "/x"))
        .await
        .unwrap_err();
    match &err {
        Error::Redirected { status, host } => {
            assert_eq!(*status, 200);
            assert_eq!(host.as_deref(), Some("localhost"));
        }
        other => panic!("expected Error::Redirected, got {other:?}"),
    }
    assert!(err.to_string().contains("Policy::none"), "{err}");
    assert_eq!(
        thief.count(),
        1,
        "the user's client followed the redirect once"
    );
}
