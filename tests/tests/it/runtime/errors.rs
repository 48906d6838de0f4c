//! Envelope decoding and error mapping of `magic_api::Client` against a loopback server,
//! plus what the client actually puts on the wire.

use crate::server;
use crate::setup;

use std::time::Duration;

use magic_api::reqwest::Method;
use magic_api::{ApiMessage, Client, Credentials, Error, RawRequest, RetryPolicy};
use serde::Deserialize;
use serde_json::{Value, json};
use server::{Reply, Server};

fn get(path: &str) -> RawRequest {
    RawRequest::new(Method::GET, path)
}

#[tokio::test]
async fn success_false_with_200_is_an_api_error_with_details_and_ray_id() {
    let server = Server::start(|_, _| {
        Reply::json(
            200,
            r#"{"success":false,
                "errors":[{"code":1004,"message":"DNS Validation Error",
                           "documentation_url":"https://developers.cloudflare.com/errors/1004",
                           "source":{"pointer":"/interconnects/0/gre"}}],
                "messages":[],"result":null}"#,
        )
        .header("cf-ray", "8f0e1d2c3b4a5968-AMS")
    })
    .await;
    let err = setup::client(server.url())
        .send_json::<Value>(get("/x"))
        .await
        .unwrap_err();
    let Error::Api {
        status,
        errors,
        messages,
        ray_id,
    } = &err
    else {
        panic!("expected Api error, got {err:?}");
    };
    assert_eq!(*status, 200);
    assert!(messages.is_empty());
    assert_eq!(ray_id.as_deref(), Some("8f0e1d2c3b4a5968-AMS"));
    let e = &errors[0];
    assert_eq!(e.code, 1004);
    assert_eq!(e.message, "DNS Validation Error");
    assert_eq!(
        e.documentation_url.as_deref(),
        Some("https://developers.cloudflare.com/errors/1004")
    );
    assert_eq!(
        e.source.as_ref().and_then(|s| s.pointer.as_deref()),
        Some("/interconnects/0/gre")
    );
    assert_eq!(err.ray_id(), Some("8f0e1d2c3b4a5968-AMS"));
    let shown = err.to_string();
    assert!(
        shown.contains("1004")
            && shown.contains("DNS Validation Error")
            && shown.contains("8f0e1d2c3b4a5968-AMS"),
        "{shown}"
    );
}

#[tokio::test]
async fn non_2xx_envelope_is_an_api_error() {
    let server = Server::start(|_, _| {
        Reply::json(404, r#"{"success":false,"errors":[{"code":7003,"message":"Could not route"}],"messages":[]}"#)
    })
    .await;
    let err = setup::client(server.url())
        .send_json::<Value>(get("/missing"))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Api { status: 404, .. }), "{err:?}");
    assert_eq!(err.api_errors()[0].code, 7003);
}

#[tokio::test]
async fn unknown_message_fields_round_trip_via_extra() {
    let message = r#"{"code":10001,"message":"deprecated field","documentation_url":"https://d","source":{"pointer":"/a","parameter":"b"},"meta":{"since":"2025-01-01"},"severity":"warn"}"#;
    let body = format!(
        r#"{{"success":true,"errors":[],"messages":[{message}],"result":{{}},"result_info":{{"page":1,"cursor":"c1"}}}}"#
    );
    let server = Server::start(move |_, _| Reply::json(200, body.clone())).await;
    let resp = setup::client(server.url())
        .send_json::<Value>(get("/x"))
        .await
        .expect("ok");
    let m: &ApiMessage = &resp.messages[0];
    assert_eq!(m.extra["severity"], json!("warn"));
    assert_eq!(m.extra["meta"].to_value()["since"], "2025-01-01");
    let reserialized = serde_json::to_value(m).expect("serialize");
    assert_eq!(
        reserialized,
        serde_json::from_str::<Value>(message).expect("json")
    );
    let info = resp.result_info.expect("result_info");
    assert_eq!(info.page, Some(1));
    assert_eq!(info.extra["cursor"], json!("c1"));
}

#[tokio::test]
async fn truncated_json_is_unexpected_body_with_excerpt() {
    let server =
        Server::start(|_, _| Reply::json(200, r#"{"success":true,"result":{"id":"abc","na"#)).await;
    let err = setup::client(server.url())
        .send_json::<Value>(get("/x"))
        .await
        .unwrap_err();
    let Error::UnexpectedBody {
        status,
        excerpt,
        reason,
        content_type,
        ..
    } = &err
    else {
        panic!("expected UnexpectedBody, got {err:?}");
    };
    assert_eq!(*status, 200);
    assert_eq!(content_type.as_deref(), Some("application/json"));
    assert!(
        excerpt.starts_with(r#"{"success":true,"result":{"id":"abc""#),
        "{excerpt}"
    );
    assert!(reason.contains("truncated"), "{reason}");
}

#[tokio::test]
async fn html_502_from_a_proxy_is_a_clear_unexpected_body() {
    let page = format!(
        "<!DOCTYPE html>\n<html><head><title>502 Bad Gateway</title></head><body>{}</body></html>",
        "<p>nginx</p>".repeat(200)
    );
    let server = Server::start(move |_, _| {
        Reply::status(502)
            .with_body("text/html; charset=utf-8", page.clone())
            .header("cf-ray", "ray-502")
    })
    .await;
    let err = setup::client(server.url())
        .send_json::<Value>(get("/x"))
        .await
        .unwrap_err();
    let Error::UnexpectedBody {
        status,
        content_type,
        excerpt,
        ray_id,
        reason,
    } = &err
    else {
        panic!("expected UnexpectedBody, got {err:?}");
    };
    assert_eq!(*status, 502);
    assert_eq!(content_type.as_deref(), Some("text/html; charset=utf-8"));
    assert!(excerpt.starts_with("<!DOCTYPE html>"), "{excerpt}");
    assert!(excerpt.chars().count() <= 201, "excerpt is bounded");
    assert_eq!(ray_id.as_deref(), Some("ray-502"));
    assert!(reason.contains("502"), "{reason}");
    assert_eq!(err.status(), Some(502));
    assert!(err.to_string().contains("502 Bad Gateway"), "{err}");
}

#[tokio::test]
async fn result_of_the_wrong_type_is_a_decode_error_keeping_the_exact_body() {
    #[derive(Debug, Deserialize)]
    struct Site {
        #[allow(dead_code)]
        id: String,
    }
    const BODY: &str = "{\"success\":true,  \"result\":[{\"id\":\"a\"},{\"id\":7}],\"errors\":[]}";
    let server = Server::start(|_, _| Reply::json(200, BODY)).await;
    let err = setup::client(server.url())
        .send_json::<Vec<Site>>(get("/sites"))
        .await
        .unwrap_err();
    assert_eq!(err.body(), Some(BODY.as_bytes()));
    assert_eq!(err.status(), Some(200));
    match err {
        Error::Decode {
            path,
            reason,
            status,
            body,
            ..
        } => {
            assert_eq!(status, 200);
            assert_eq!(path, "result[1].id");
            assert!(reason.contains("expected a string"), "{reason}");
            assert_eq!(&body[..], BODY.as_bytes());
        }
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn typed_result_and_absent_errors_decode() {
    #[derive(Debug, Deserialize, PartialEq)]
    struct Site {
        id: String,
        name: String,
    }
    let server = Server::start(|_, _| {
        Reply::json(
            200,
            r#"{"success":true,"result":[{"id":"a","name":"one","extra":1}]}"#,
        )
    })
    .await;
    let resp = setup::client(server.url())
        .send_json::<Vec<Site>>(get("/sites"))
        .await
        .expect("ok");
    assert_eq!(
        resp.into_result(),
        vec![Site {
            id: "a".into(),
            name: "one".into()
        }]
    );
}

#[tokio::test]
async fn send_empty_accepts_any_2xx_but_not_success_false() {
    let server = Server::start(|i, _| match i {
        0 => Reply::status(204),
        1 => Reply::ok("null"),
        2 => Reply::status(200).with_body("text/plain", "OK"),
        3 => Reply::json(
            200,
            r#"{"success":false,"errors":[{"code":5,"message":"nope"}]}"#,
        ),
        _ => Reply::json(
            400,
            r#"{"success":false,"errors":[{"code":6,"message":"bad"}]}"#,
        ),
    })
    .await;
    let c = setup::client(server.url());
    let del = || RawRequest::new(Method::DELETE, "/x");
    c.send_empty(del()).await.expect("204");
    c.send_empty(del()).await.expect("envelope");
    c.send_empty(del()).await.expect("plain text 200");
    let err = c.send_empty(del()).await.unwrap_err();
    assert!(matches!(err, Error::Api { status: 200, .. }), "{err:?}");
    let err = c.send_empty(del()).await.unwrap_err();
    assert!(matches!(err, Error::Api { status: 400, .. }), "{err:?}");
}

#[tokio::test]
async fn request_parts_reach_the_server() {
    let server = Server::start(|_, _| Reply::ok("{}")).await;
    let req = RawRequest::new(Method::PATCH, "/accounts/acc/magic/sites")
        .query("name", "a b&c=d")
        .query("page", "2")
        .header("x-custom", "yes")
        .json_body(&serde_json::json!({"site": {"name": "HQ"}}))
        .expect("body");
    setup::client(server.url())
        .send_json::<Value>(req)
        .await
        .expect("ok");
    let r = &server.requests()[0];
    assert_eq!(r.method, "PATCH");
    assert_eq!(r.path(), "/accounts/acc/magic/sites");
    assert_eq!(r.query("name"), Some("a+b%26c%3Dd"));
    assert_eq!(r.query("page"), Some("2"));
    assert_eq!(r.header("x-custom"), Some("yes"));
    assert_eq!(
        r.header("authorization"),
        Some(format!("Bearer {}", setup::TOKEN).as_str())
    );
    assert_eq!(r.header("content-type"), Some("application/json"));
    assert_eq!(r.header("accept"), Some("application/json"));
    assert!(
        r.header("user-agent")
            .is_some_and(|ua| ua.starts_with("magic-api/"))
    );
    let body: Value = serde_json::from_slice(&r.body).expect("json body");
    assert_eq!(body["site"]["name"], "HQ");
}

#[tokio::test]
async fn api_key_credentials_and_custom_user_agent_are_sent() {
    let server = Server::start(|_, _| Reply::ok("{}")).await;
    let c = Client::builder(Credentials::api_key("ops@example.com", "global-key"))
        .base_url(format!("{}/client/v4/", server.url()))
        .user_agent("my-tool/1.0")
        .build()
        .expect("client");
    c.send_json::<Value>(get("/user")).await.expect("ok");
    let r = &server.requests()[0];
    assert_eq!(
        r.target, "/client/v4/user",
        "base path kept, trailing slash dropped"
    );
    assert_eq!(r.header("x-auth-email"), Some("ops@example.com"));
    assert_eq!(r.header("x-auth-key"), Some("global-key"));
    assert_eq!(r.header("authorization"), None);
    assert_eq!(r.header("user-agent"), Some("my-tool/1.0"));
}

#[tokio::test]
async fn extra_headers_cannot_replace_credentials() {
    let server = Server::start(|_, _| Reply::ok("{}")).await;
    let req = get("/x").header("Authorization", "Bearer other");
    setup::client(server.url())
        .send_json::<Value>(req)
        .await
        .expect("ok");
    assert_eq!(
        server.requests()[0].header("authorization"),
        Some(format!("Bearer {}", setup::TOKEN).as_str())
    );
}

#[tokio::test]
async fn malformed_raw_requests_are_refused_before_sending() {
    let server = Server::start(|_, _| Reply::ok("{}")).await;
    let c = setup::client(server.url());
    for path in [
        "/a/../b",
        "/a/./b",
        "/a?b=1",
        "/a#b",
        "no-slash",
        "/a b",
        "/a/%2e%2e/b",
    ] {
        let err = c.send_json::<Value>(get(path)).await.unwrap_err();
        assert!(
            matches!(err, Error::InvalidRequest { .. }),
            "{path}: {err:?}"
        );
    }
    let err = c
        .send_json::<Value>(get("/x").header("x-bad", "line\nbreak"))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::InvalidRequest { .. }), "{err:?}");
    assert_eq!(server.count(), 0);
}

#[tokio::test]
async fn invalid_base_urls_are_config_errors() {
    for url in [
        "not a url",
        "ftp://example.com",
        "https://user:pw@example.com/v4",
        "https://e.com/v4?x=1",
    ] {
        let err = Client::builder(Credentials::api_token("t"))
            .base_url(url)
            .build()
            .unwrap_err();
        assert!(
            matches!(
                err,
                Error::Config(magic_api::ConfigError::InvalidBaseUrl(_))
            ),
            "{url}: {err:?}"
        );
        assert!(!err.to_string().contains("pw@"), "{err}");
    }
}

#[test]
fn client_and_request_futures_are_send_and_sync() {
    fn send_sync<T: Send + Sync>(_: &T) {}
    fn send<T: Send>(_: &T) {}
    let client = Client::new(Credentials::api_token("t")).expect("client");
    send_sync(&client);
    send(&client.send_json::<Value>(get("/x")));
    send(&client.send_empty(get("/x")));
    send(&client.send_download(get("/x")));
    assert_eq!(client.base_url(), Client::DEFAULT_BASE_URL);
}

/// A successful JSON body over the client's limit is refused, whether its length is announced
/// or not, and the limit is configurable.
#[tokio::test]
async fn bodies_over_the_limit_are_refused() {
    let big = format!(r#"{{"success":true,"result":"{}"}}"#, "a".repeat(5_000));
    let announced = big.clone();
    let chunked = big.clone();
    let server = Server::start(move |i, _| match i % 2 {
        0 => Reply::json(200, announced.clone()),
        _ => Reply::Chunked {
            status: 200,
            headers: vec![("content-type".into(), "application/json".into())],
            chunks: chunked
                .as_bytes()
                .chunks(1000)
                .map(<[u8]>::to_vec)
                .collect(),
            pause: Duration::from_millis(1),
        },
    })
    .await;
    let small = Client::builder(Credentials::api_token("t"))
        .base_url(server.url())
        .retry_policy(RetryPolicy::none())
        .max_body_size(4_096)
        .build()
        .expect("client");
    for _ in 0..2 {
        let err = small.send_json::<Value>(get("/big")).await.unwrap_err();
        assert!(
            matches!(
                err,
                Error::BodyTooLarge {
                    status: 200,
                    limit: 4_096,
                    ..
                }
            ),
            "{err:?}"
        );
    }
    assert_eq!(Client::DEFAULT_MAX_BODY_SIZE, 64 * 1024 * 1024);
    let roomy = setup::client(server.url());
    assert!(roomy.send_json::<Value>(get("/big")).await.is_ok());
}
