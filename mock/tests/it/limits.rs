//! What keeps the mock bounded and tells a test why: the request log is capped and keeps large
//! bodies by length and digest; oversize and slow bodies are refused; a peer that stops reading
//! its answers is disconnected; refusals name the field
//! and the value found; faults can be written as text; the control endpoint works in library
//! mode too and is never recorded.

use std::time::Duration;

use magic_api::RawRequest;
use magic_api::reqwest::Method as HttpMethod;
use magic_api_mock::{Fault, FaultScript, MockServer, RECORDED_BODY_LIMIT, body_digest, code};
use serde_json::{Value, json};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

use crate::support::{expect_rejection, raw_http};

const SITES: &str = "/accounts/acc/magic/sites";

fn list_sites() -> RawRequest {
    RawRequest::new(HttpMethod::GET, SITES)
}

#[tokio::test]
async fn the_log_keeps_the_newest_requests_and_counts_all() {
    let mock = MockServer::builder().log_limit(3).start().await.unwrap();
    let client = mock.client();
    for page in 1..=5 {
        let request = list_sites().query("connectorid", page.to_string());
        client.send_json::<Value>(request).await.unwrap();
    }
    assert_eq!(mock.count(), 5);
    let kept: Vec<String> = mock
        .requests()
        .iter()
        .map(|r| r.query_pairs()[0].1.clone())
        .collect();
    assert_eq!(kept, ["3", "4", "5"]);
    mock.clear_requests();
    assert_eq!((mock.count(), mock.requests().len()), (0, 0));

    let silent = MockServer::builder().log_limit(0).start().await.unwrap();
    silent
        .client()
        .send_json::<Value>(list_sites())
        .await
        .unwrap();
    assert_eq!((silent.count(), silent.requests().len()), (1, 0));
}

#[tokio::test]
async fn large_bodies_are_recorded_by_length_and_digest() {
    let mock = MockServer::start().await;
    let client = mock.client();
    for size in [100, RECORDED_BODY_LIMIT + 1] {
        let body = json!({"name": "x".repeat(size)});
        let bytes = body.to_string().into_bytes();
        let request = RawRequest::new(HttpMethod::POST, SITES)
            .json_body(&body)
            .unwrap();
        client.send_json::<Value>(request).await.unwrap();
        let rec = mock.last_request().unwrap();
        assert_eq!(rec.body_len, bytes.len());
        assert_eq!(rec.body_digest, body_digest(&bytes));
        assert_eq!(rec.body_kept(), bytes.len() <= RECORDED_BODY_LIMIT);
        assert_eq!(rec.json().is_some(), rec.body_kept());
    }
    assert_ne!(body_digest(b"a"), body_digest(b"b"));
}

#[tokio::test]
async fn oversize_and_slow_bodies_are_refused() {
    let mock = MockServer::builder()
        .body_limit(1024)
        .idle_timeout(Duration::from_millis(300))
        .start()
        .await
        .unwrap();
    let client = mock.client();
    let big = json!({"name": "x".repeat(2048)});
    let request = RawRequest::new(HttpMethod::POST, SITES)
        .json_body(&big)
        .unwrap();
    let r = expect_rejection(&mock, &client, request, 413, code::BODY_TOO_LARGE).await;
    assert!(r.message.contains("1024"), "{}", r.message);

    // Chunked, so the size is only known as it arrives.
    let base = mock.base_path().to_owned();
    let chunk = "x".repeat(800);
    let chunked = format!(
        "POST {base}{SITES} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer t\r\n\
         Content-Type: application/json\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n\
         320\r\n{chunk}\r\n320\r\n{chunk}\r\n0\r\n\r\n"
    );
    let reply = raw_http(mock.addr(), chunked.as_bytes()).await;
    assert_eq!(reply.status, 413);

    // A body that stops arriving: 408 once the idle timeout passes (a bounded wait).
    let mut stream = tokio::net::TcpStream::connect(mock.addr()).await.unwrap();
    let head = format!(
        "POST {base}{SITES} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer t\r\n\
         Content-Type: application/json\r\nContent-Length: 100\r\n\r\n[1, 2, "
    );
    stream.write_all(head.as_bytes()).await.unwrap();
    let mut reply = Vec::new();
    tokio::time::timeout(Duration::from_secs(20), stream.read_to_end(&mut reply))
        .await
        .expect("the mock gives up on the body")
        .unwrap();
    let reply = String::from_utf8_lossy(&reply);
    assert!(reply.starts_with("HTTP/1.1 408"), "{reply}");
    let rec = mock.last_request().unwrap();
    assert_eq!(rec.rejection.map(|r| r.code), Some(code::BODY_TIMEOUT));
}

#[tokio::test]
async fn a_peer_that_stops_reading_its_answers_is_disconnected() {
    let mock = MockServer::builder()
        .idle_timeout(Duration::from_millis(300))
        .start()
        .await
        .unwrap();
    // Pipelined requests from a peer that never reads: the answers fill its small receive
    // buffer and the mock's send buffer, the mock's write stalls, and after the idle timeout it
    // closes the connection, which the peer's next (or blocked) write is told of.
    let socket = tokio::net::TcpSocket::new_v4().unwrap();
    socket.set_recv_buffer_size(4096).unwrap();
    let mut stream = socket.connect(mock.addr()).await.unwrap();
    let request = format!(
        "GET {}{SITES} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer t\r\n\r\n",
        mock.base_path()
    );
    let batch = request.repeat(256);
    let writer = async {
        loop {
            if let Err(e) = stream.write_all(batch.as_bytes()).await {
                return e;
            }
        }
    };
    // A bound on the wait only, so that a mock without the deadline fails instead of hanging.
    let error = tokio::time::timeout(Duration::from_secs(60), writer)
        .await
        .expect("the mock closes a connection whose answers are not read");
    assert!(
        matches!(
            error.kind(),
            std::io::ErrorKind::ConnectionReset | std::io::ErrorKind::BrokenPipe
        ),
        "{error}"
    );
    // The mock itself goes on answering.
    assert!(mock.client().send_json::<Value>(list_sites()).await.is_ok());
}

#[tokio::test]
async fn refusals_name_the_field_and_the_value_found() {
    let mock = MockServer::start().await;
    let client = mock.client();
    let pcap = |body: Value| {
        RawRequest::new(HttpMethod::POST, "/accounts/acc/pcaps")
            .json_body(&body)
            .unwrap()
    };
    // Neither form: each alternative says why, with the value it found.
    let bad =
        json!({"system": "magic-transit", "time_limit": 1, "packet_limit": 1, "type": "partial"});
    let r = expect_rejection(&mock, &client, pcap(bad), 400, code::BODY_SCHEMA).await;
    assert!(r.message.contains("\"partial\""), "{}", r.message);
    assert!(
        r.message.contains("Simple") && r.message.contains("Full"),
        "{}",
        r.message
    );
    // A value of the wrong kind: the field and the value.
    let bad = json!({"system": "magic-transit", "time_limit": "soon", "packet_limit": 1, "type": "simple"});
    let r = expect_rejection(&mock, &client, pcap(bad), 400, code::BODY_SCHEMA).await;
    assert!(
        r.message.contains("time_limit") && r.message.contains("\"soon\""),
        "{}",
        r.message
    );
}

#[tokio::test]
async fn faults_written_as_text() {
    let script: FaultScript = "POST /magic/sites=429x2".parse().unwrap();
    assert_eq!(
        (script.operation.as_str(), script.times),
        ("POST /magic/sites", Some(2))
    );
    assert_eq!(script.fault, Fault::rate_limited(0));
    for (text, fault) in [
        ("GET /magic/sites=drop", Fault::Drop),
        ("GET /magic/sites=truncate", Fault::Truncate),
        (
            "GET /magic/sites=delay:250ms",
            Fault::Delay(Duration::from_millis(250)),
        ),
        (
            "GET /magic/sites=delay:2s",
            Fault::Delay(Duration::from_secs(2)),
        ),
        ("GET /magic/sites=503", Fault::server_error(503)),
    ] {
        let script: FaultScript = text.parse().unwrap();
        assert_eq!((script.fault, script.times), (fault, None), "{text}");
    }
    for bad in [
        "GET /magic/sites",
        "GET /magic/sites=200",
        "/magic/sites=429",
        "GET /x=slow",
    ] {
        assert!(bad.parse::<FaultScript>().is_err(), "{bad}");
    }

    let mock = MockServer::start().await;
    assert!(mock.script("GET /magic/nowhere=500").is_err());
    mock.script("GET /magic/sites=403x1").unwrap();
    let client = mock.client();
    let err = client.send_json::<Value>(list_sites()).await.unwrap_err();
    assert_eq!(err.status(), Some(403));
    assert_eq!(err.api_errors()[0].code, 10000);
    client.send_json::<Value>(list_sites()).await.unwrap();
}

#[tokio::test]
async fn the_control_endpoint_is_not_recorded() {
    let mock = MockServer::start().await;
    mock.client()
        .send_json::<Value>(list_sites())
        .await
        .unwrap();
    let reply = raw_http(
        mock.addr(),
        b"GET /__mock/requests HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
    )
    .await;
    assert_eq!(reply.status, 200);
    let log: Value = serde_json::from_slice(&reply.body).unwrap();
    assert_eq!(log["count"], json!(1));
    assert_eq!(
        log["requests"][0]["operation"],
        json!("GET /accounts/{account_id}/magic/sites")
    );
    let reply = raw_http(
        mock.addr(),
        b"DELETE /__mock/requests HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
    )
    .await;
    assert_eq!(reply.status, 200);
    assert_eq!(
        mock.count(),
        0,
        "cleared, and the control requests were not recorded"
    );
}
