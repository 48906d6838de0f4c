//! Authentication is required (both schemes, no empty secrets, no unknown scheme) and hostile
//! identifiers stay in one path segment; what can never be sent never reaches the mock.

use magic_api::reqwest::Method;
use magic_api::{Credentials, Error, RawRequest};
use magic_api_mock::code;
use magic_api_model::{ParamLocation, Segment, Ty};
use serde_json::Value;

use crate::support::{
    assert_rejection_envelope, assert_routed, build, client, client_with, expect_rejection,
    find_op, is_json, path_param_is, path_with, raw_http, sample, sample_path, start,
};

#[tokio::test]
async fn authentication_is_required() {
    let mock = start().await;
    let (index, op) = find_op(|op| is_json(op) && op.body.is_none() && !op.auth.is_empty());

    // Both schemes work.
    for credentials in [
        Credentials::api_token("token"),
        Credentials::api_key("user@example.com", "key"),
    ] {
        let built = build(op, false);
        client_with(&mock, credentials)
            .send_json::<Value>(built.req.clone())
            .await
            .unwrap();
        assert_routed(&mock, index, &built);
    }

    // Empty secrets are no credentials.
    for credentials in [
        Credentials::api_token(""),
        Credentials::api_key("", ""),
        Credentials::api_key("user@example.com", ""),
    ] {
        let client = client_with(&mock, credentials);
        let r = expect_rejection(&mock, &client, build(op, false).req, 401, code::AUTH).await;
        for scheme in &op.auth {
            assert!(r.message.contains(scheme.as_str()), "{}", r.message);
        }
    }

    // No credentials at all, and a scheme the IR does not describe (raw HTTP: the client
    // always authenticates).
    let path = format!("{}{}", mock.base_path(), sample_path(op).0);
    for auth in [
        "",
        "Authorization: Basic dXNlcjpwdw==\r\n",
        "Authorization: Bearer\r\n",
    ] {
        let reply = raw_http(
            mock.addr(),
            format!("GET {path} HTTP/1.1\r\nHost: x\r\n{auth}Connection: close\r\n\r\n").as_bytes(),
        )
        .await;
        assert_eq!(reply.status, 401, "{auth:?}");
        assert_rejection_envelope(&reply, code::AUTH);
    }
}

// ---------------------------------------------------------------------------------------
// Hostile identifiers

#[tokio::test]
async fn hostile_ids_stay_in_one_segment() {
    let mock = start().await;
    let client = client(&mock);
    // A GET whose last segment is a string parameter.
    let (index, op) = find_op(|op| {
        is_json(op)
            && op.method.as_str() == "GET"
            && op
                .params_in(ParamLocation::Query)
                .all(|p| !p.field.required)
            && op
                .segments
                .last()
                .is_some_and(|s| path_param_is(op, s, &Ty::String))
    });
    let Some(Segment::Param { name: last }) = op.segments.last() else {
        unreachable!()
    };
    let cases = [
        ("a/b", "a%2Fb"),
        ("a?b", "a%3Fb"),
        ("a#b", "a%23b"),
        ("%2e%2e", "%252e%252e"),
        ("../x", "..%2Fx"),
        ("a b", "a%20b"),
        ("ü", "%C3%BC"),
        ("...", "..."),
    ];
    for (id, encoded) in cases {
        let (path, params) = path_with(op, |name, ty| {
            if name == last {
                id.into()
            } else {
                sample(ty, name)
            }
        });
        let path = path.unwrap();
        assert!(path.ends_with(&format!("/{encoded}")), "{path}");
        client
            .send_json::<Value>(RawRequest::new(Method::GET, path.clone()))
            .await
            .unwrap_or_else(|e| panic!("{id:?}: {e}"));
        let rec = mock.last_request().unwrap();
        assert_eq!(rec.operation, Some(index), "{id:?}");
        assert_eq!(rec.path_param(last), Some(id), "{id:?}");
        assert_eq!(rec.path_params, params);
        assert_eq!(rec.path(), format!("{}{path}", mock.base_path()), "{id:?}");
        assert_eq!(rec.path().rsplit('/').next(), Some(encoded), "{id:?}");
    }

    // What can never be sent: nothing reaches the mock.
    let before = mock.count();
    for id in [".", ".."] {
        let (path, _) = path_with(op, |name, ty| {
            if name == last {
                id.into()
            } else {
                sample(ty, name)
            }
        });
        assert!(
            matches!(path, Err(Error::InvalidRequest { .. })),
            "{id:?}: {path:?}"
        );
    }
    let (good, _) = sample_path(op);
    let prefix = good.rsplit_once('/').unwrap().0;
    for raw in ["../x", "..", "%2e%2e", "%2E%2E/x", "a?b", "a#b"] {
        let err = client
            .send_json::<Value>(RawRequest::new(Method::GET, format!("{prefix}/{raw}")))
            .await
            .unwrap_err();
        assert!(
            matches!(err, Error::InvalidRequest { .. }),
            "{raw:?}: {err:?}"
        );
    }
    assert_eq!(
        mock.count(),
        before,
        "refused requests never reach the mock"
    );

    // Invalid percent-encoding from a non-conforming client.
    let reply = raw_http(
        mock.addr(),
        format!(
            "GET {}{prefix}/%zz HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer t\r\n\
             Connection: close\r\n\r\n",
            mock.base_path()
        )
        .as_bytes(),
    )
    .await;
    assert_eq!(reply.status, 400);
    assert_rejection_envelope(&reply, code::MALFORMED);
}

// ---------------------------------------------------------------------------------------

/// What the mock records is printed by failing tests, so a record's `Debug` shows neither the
/// credentials nor the body (which can carry a PSK); the record itself keeps both.
#[tokio::test]
async fn records_never_print_secrets() {
    let mock = start().await;
    let (_, op) =
        find_op(|op| is_json(op) && op.body.is_some() && op.path.ends_with("/magic/ipsec_tunnels"));
    let mut built = build(op, false);
    built.req = built
        .req
        .json_body(&serde_json::json!({"name": "t", "psk": "s3cr3t-psk"}))
        .expect("a JSON body");
    let _ = client_with(
        &mock,
        Credentials::api_key("user@example.com", "k3y-s3cr3t"),
    )
    .send_json::<Value>(built.req)
    .await;
    let records = mock.requests();
    let printed = format!("{records:?} {records:#?}");
    assert!(!printed.contains("k3y-s3cr3t"), "{printed}");
    assert!(!printed.contains("s3cr3t-psk"), "{printed}");
    assert!(printed.contains("<redacted>"), "{printed}");
    let record = records.last().expect("the request was recorded");
    assert_eq!(record.header("x-auth-key"), Some("k3y-s3cr3t"));
    assert!(String::from_utf8_lossy(&record.body).contains("s3cr3t-psk"));
}
