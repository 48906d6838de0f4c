//! What only a raw HTTP client can send: chunked request bodies, wrong content types, broken
//! JSON, methods a path lacks, paths outside the base path, garbage, and keep-alive.

use magic_api_mock::{MockServer, code};
use magic_api_model::ParamLocation;

use crate::support::{
    assert_rejection_envelope, find_op, is_json, ops, raw_http, sample_path, start,
};

#[tokio::test]
async fn raw_http_edge_cases() {
    let mock = start().await;
    let base = mock.base_path().to_owned();
    let (index, op) = find_op(|op| {
        is_json(op)
            && op
                .body
                .as_ref()
                .is_some_and(|b| b.content_type == "application/json")
            && op.examples.request.is_some()
            && op
                .params_in(ParamLocation::Query)
                .all(|p| !p.field.required)
    });
    let path = format!("{base}{}", sample_path(op).0);
    let body = op.examples.request.as_ref().unwrap().to_string();
    let m = op.method.as_str();
    let auth = "Authorization: Bearer t\r\n";

    // A chunked request body is de-chunked and accepted.
    let (a, b) = body.split_at(body.len() / 2);
    let chunked = format!(
        "{m} {path} HTTP/1.1\r\nHost: x\r\n{auth}\
         Content-Type: application/json; charset=utf-8\r\n\
         Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n\
         {:x}\r\n{a}\r\n{:x}\r\n{b}\r\n0\r\n\r\n",
        a.len(),
        b.len()
    );
    let reply = raw_http(mock.addr(), chunked.as_bytes()).await;
    assert_eq!(
        reply.status,
        200,
        "{}",
        String::from_utf8_lossy(&reply.body)
    );
    let rec = mock.last_request().unwrap();
    assert_eq!(
        (rec.operation, rec.body),
        (Some(index), body.clone().into_bytes())
    );

    // Wrong content type, broken JSON.
    for (content_type, payload, code) in [
        ("text/plain", body.as_str(), code::CONTENT_TYPE),
        ("application/json", "{\"unterminated\": ", code::BODY_JSON),
    ] {
        let req = format!(
            "{m} {path} HTTP/1.1\r\nHost: x\r\n{auth}Content-Type: {content_type}\r\n\
             Content-Length: {}\r\nConnection: close\r\n\r\n{payload}",
            payload.len()
        );
        let reply = raw_http(mock.addr(), req.as_bytes()).await;
        assert_eq!(reply.status, 400);
        assert_rejection_envelope(&reply, code);
    }

    // 405 carries Allow; outside the base path is 404; garbage is 400.
    let delete_less = ops()
        .iter()
        .find(|o| {
            !ops()
                .iter()
                .any(|p| p.path == o.path && p.method.as_str() == "DELETE")
        })
        .unwrap();
    let req = format!(
        "DELETE {base}{} HTTP/1.1\r\nHost: x\r\n{auth}Connection: close\r\n\r\n",
        sample_path(delete_less).0
    );
    let reply = raw_http(mock.addr(), req.as_bytes()).await;
    assert_eq!(reply.status, 405);
    assert!(
        reply
            .header("allow")
            .is_some_and(|a| a.contains(delete_less.method.as_str()))
    );
    assert_rejection_envelope(&reply, code::METHOD);

    let req = format!(
        "GET {} HTTP/1.1\r\nHost: x\r\n{auth}Connection: close\r\n\r\n",
        sample_path(delete_less).0
    );
    let reply = raw_http(mock.addr(), req.as_bytes()).await;
    assert_eq!(reply.status, 404, "routes live under {base}");
    assert_rejection_envelope(&reply, code::NO_ROUTE);

    keep_alive_answers_in_order(&mock).await;
}

/// What is not HTTP/1.x, and targets that are not paths.
#[tokio::test]
async fn malformed_requests_are_refused() {
    let mock = start().await;
    // What is not HTTP/1.x is refused by the HTTP layer itself (a bare 400, and the connection
    // closes); HTTP with a target that is not a path is refused by the mock, in its envelope.
    for garbage in [
        &b"NOT HTTP\r\n\r\n"[..],
        b"GET / HTTP/2.0\r\n\r\n",
        b"GET / HTTP/1.1\r\nContent-Length: x\r\n\r\n",
    ] {
        let reply = raw_http(mock.addr(), garbage).await;
        assert_eq!(reply.status, 400, "{}", String::from_utf8_lossy(garbage));
    }
    let reply = raw_http(
        mock.addr(),
        b"GET * HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
    )
    .await;
    assert_eq!(reply.status, 400);
    assert_rejection_envelope(&reply, code::MALFORMED);
    assert_eq!(mock.last_request().unwrap().target, "*");
}

/// Keep-alive: two requests on one connection, answered in order.
async fn keep_alive_answers_in_order(mock: &MockServer) {
    let base = mock.base_path().to_owned();
    let auth = "Authorization: Bearer t\r\n";
    let get = find_op(|o| {
        is_json(o)
            && o.method.as_str() == "GET"
            && o.params.iter().all(|p| p.location == ParamLocation::Path)
    })
    .1;
    let one = format!(
        "GET {base}{} HTTP/1.1\r\nHost: x\r\n{auth}\r\n",
        sample_path(get).0
    );
    let two = format!("GET {base}/nope HTTP/1.1\r\nHost: x\r\n{auth}Connection: close\r\n\r\n");
    let reply = raw_http(mock.addr(), format!("{one}{two}").as_bytes()).await;
    assert_eq!(reply.status, 200);
    let text = String::from_utf8_lossy(&reply.body);
    assert!(
        text.contains("HTTP/1.1 404 "),
        "second response follows the first: {text}"
    );
}

/// An HTTP/1.0 peer cannot read chunked framing: the binary answer (chunked to HTTP/1.1
/// clients) comes whole, with its length; a 100-continue is answered for 1.1 clients.
#[tokio::test]
async fn http10_answers_carry_their_length() {
    let mock = start().await;
    let base = mock.base_path().to_owned();
    let (_, download) = find_op(|o| matches!(o.response, magic_api_model::Response::Binary { .. }));
    let path = format!("{base}{}", sample_path(download).0);
    let auth = "Authorization: Bearer t\r\n";
    for (version, chunked) in [("HTTP/1.0", false), ("HTTP/1.1", true)] {
        let request = format!("GET {path} {version}\r\nHost: x\r\n{auth}Connection: close\r\n\r\n");
        let reply = raw_http(mock.addr(), request.as_bytes()).await;
        assert_eq!(reply.status, 200, "{version}");
        assert_eq!(
            reply.header("transfer-encoding") == Some("chunked"),
            chunked,
            "{version}"
        );
        if !chunked {
            assert_eq!(
                reply.header("content-length"),
                Some(magic_api_mock::pcap_bytes().len().to_string().as_str())
            );
            assert_eq!(reply.body, magic_api_mock::pcap_bytes());
        }
    }
}
