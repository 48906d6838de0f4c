//! Faults seen through generated calls: retries the server sanctions (429, 503 with
//! `Retry-After`), retries of safe methods only, errors that are never retried, per-call
//! timeouts, non-JSON error pages, `success: false` with a 2xx status, and responses from a
//! newer API (unknown fields, enum values and event kinds) that still decode.
//!
//! Backoffs are a few milliseconds so that the file runs in well under a second.

use crate::mock;
use crate::server;
use crate::setup;

use std::time::{Duration, Instant};

use magic_api::types::{
    ConnectorEvent, EventKind, GreTunnelCreateRequest, HealthCheckRate, HealthCheckTarget,
    TunnelHealthCheckDirection,
};
use magic_api::{AccountId, Client, ConnectorId, Error, GreTunnelId, RetryPolicy};
use mock::{MockServer, Scripted};
use serde_json::{Value, json};

const MS: Duration = Duration::from_millis(1);
const ACCOUNT: &str = "023e105f4ecef8ad9ca31a8372d0c353";
const RAY: &str = "8a1b2c3d4e5f6789-SJC";

use mock::spec_ir as ir;

use mock::op_index;

fn documented_result(index: usize) -> Value {
    ir().operations[index]
        .examples
        .response
        .as_ref()
        .and_then(|r| r.get("result").cloned())
        .unwrap_or(Value::Null)
}

/// Default retry rules (3 retries), millisecond backoffs.
fn fast_retries() -> RetryPolicy {
    RetryPolicy::default()
        .initial_backoff(5 * MS)
        .max_backoff(20 * MS)
        .max_retry_after(Duration::from_secs(2))
}

/// A stateless mock and a client for it that retries with millisecond backoffs.
async fn start() -> (MockServer, Client) {
    let mock = setup::stateless_mock().await;
    let client = setup::retrying_client(mock.base_url(), fast_retries());
    (mock, client)
}

fn account() -> AccountId {
    AccountId::from(ACCOUNT)
}

fn gre_body() -> GreTunnelCreateRequest {
    GreTunnelCreateRequest::builder()
        .cloudflare_gre_endpoint("203.0.113.1")
        .customer_gre_endpoint("203.0.113.2")
        .interface_address("192.0.2.0/31")
        .name("GRE_1")
        .build()
}

/// Every request the mock got was routed to `op` and accepted.
fn assert_all_routed(mock: &MockServer, op: usize, count: usize) {
    let requests = mock.requests();
    assert_eq!(requests.len(), count, "attempts");
    for r in &requests {
        assert_eq!(r.operation, Some(op));
        assert_eq!(r.rejection, None);
    }
}

#[tokio::test]
async fn rate_limited_write_is_retried_after_retry_after() {
    let (mock, client) = start().await;
    let create = op_index("POST", "/magic/gre_tunnels");
    mock.override_once(
        create,
        Scripted::error(429, 10_000, "Rate limited").header("retry-after", "0"),
    );
    let tunnel = client
        .gre_tunnels()
        .create(&account(), &gre_body())
        .await
        .expect("succeeds on the second attempt");
    assert_eq!(
        serde_json::to_value(&tunnel).unwrap(),
        documented_result(create)
    );
    assert_all_routed(&mock, create, 2);
    let requests = mock.requests();
    assert_eq!(
        requests[0].body, requests[1].body,
        "the same body is resent"
    );
}

#[tokio::test]
async fn service_unavailable_read_is_retried() {
    let (mock, client) = start().await;
    let list = op_index("GET", "/magic/gre_tunnels");
    mock.override_once(list, Scripted::error(503, 10_001, "Service unavailable"));
    let tunnels = client
        .gre_tunnels()
        .list(&account())
        .await
        .expect("retried");
    assert_eq!(
        serde_json::to_value(&tunnels).unwrap(),
        documented_result(list)
    );
    assert_all_routed(&mock, list, 2);
}

#[tokio::test]
async fn failing_read_gives_up_after_the_retry_budget() {
    let (mock, client) = start().await;
    let list = op_index("GET", "/magic/gre_tunnels");
    mock.override_response(list, Scripted::error(503, 10_001, "Service unavailable"));
    let err = client.gre_tunnels().list(&account()).await.unwrap_err();
    assert_eq!(err.status(), Some(503));
    assert_all_routed(&mock, list, 4); // 1 + max_retries (3)
}

#[tokio::test]
async fn write_answered_503_without_retry_after_is_sent_once() {
    let (mock, client) = start().await;
    let create = op_index("POST", "/magic/gre_tunnels");
    mock.override_response(create, Scripted::error(503, 10_001, "Service unavailable"));
    let err = client
        .gre_tunnels()
        .create(&account(), &gre_body())
        .await
        .unwrap_err();
    match &err {
        Error::Api { status, errors, .. } => {
            assert_eq!(*status, 503);
            assert_eq!(errors[0].code, 10_001);
        }
        other => panic!("expected Error::Api, got {other:?}"),
    }
    assert_all_routed(&mock, create, 1);

    // With Retry-After the server says it did not process it: then a write is resent.
    mock.clear_requests();
    mock.clear_overrides();
    mock.override_once(
        create,
        Scripted::error(503, 10_001, "Service unavailable").header("retry-after", "0"),
    );
    client
        .gre_tunnels()
        .create(&account(), &gre_body())
        .await
        .expect("resent");
    assert_all_routed(&mock, create, 2);
}

#[tokio::test]
async fn conflict_is_not_retried() {
    let (mock, client) = start().await;
    // A write and a (safe, otherwise retried) read.
    let create = op_index("POST", "/magic/gre_tunnels");
    mock.override_response(
        create,
        Scripted::error(409, 1002, "a tunnel with this name already exists"),
    );
    let err = client
        .gre_tunnels()
        .create(&account(), &gre_body())
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(409));
    assert_eq!(
        err.api_errors()[0].message,
        "a tunnel with this name already exists"
    );
    assert_all_routed(&mock, create, 1);

    mock.clear_requests();
    let get = op_index("GET", "/magic/gre_tunnels/{gre_tunnel_id}");
    mock.override_response(get, Scripted::error(409, 1002, "conflict"));
    let err = client
        .gre_tunnels()
        .get(&account(), &GreTunnelId::from("gre-1"))
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(409));
    assert_all_routed(&mock, get, 1);
}

#[tokio::test]
async fn retry_after_beyond_the_limit_is_returned_at_once() {
    let (mock, client) = start().await;
    let list = op_index("GET", "/magic/gre_tunnels");
    mock.override_response(
        list,
        Scripted::error(429, 10_000, "Rate limited").header("retry-after", "120"),
    );
    // A client that waited out the 120 s would trip this bound (a guard against a hang, not a
    // timing assertion).
    let err = tokio::time::timeout(
        Duration::from_secs(60),
        client.gre_tunnels().list(&account()),
    )
    .await
    .expect("returned without waiting out Retry-After: 120")
    .unwrap_err();
    assert_eq!(err.status(), Some(429));
    assert_all_routed(&mock, list, 1);
}

#[tokio::test]
async fn per_call_timeout_overrides_the_client_timeout() {
    // The mock answers at once, so a stalling server from `support/server.rs` is used.
    let slow = server::Server::start(|_, _| {
        server::Reply::ok(r#"{"gre_tunnels": []}"#).delayed(Duration::from_secs(3))
    })
    .await;
    // Client timeout 5 s; the call's own is 150 ms. Retries off to time one attempt.
    let client = setup::client(slow.url());
    let started = Instant::now();
    let err = client
        .gre_tunnels()
        .list(&account())
        .timeout(150 * MS)
        .await
        .unwrap_err();
    let elapsed = started.elapsed();
    // The call's own timeout fired, not the client's 5 s: the error says which.
    match err {
        Error::Timeout { after } => assert_eq!(after, 150 * MS),
        other => panic!("expected Error::Timeout, got {other:?}"),
    }
    assert!(elapsed >= 150 * MS, "{elapsed:?}");
    assert_eq!(slow.count(), 1);
    assert!(slow.requests()[0].path().ends_with("/magic/gre_tunnels"));

    // A timed-out write is not resent (it may have been processed), even with retries on.
    let client = setup::retrying_client(slow.url(), fast_retries());
    let err = client
        .gre_tunnels()
        .create(&account(), &gre_body())
        .timeout(100 * MS)
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Timeout { .. }), "{err:?}");
    assert_eq!(slow.count(), 2);
}

fn html_502() -> Scripted {
    Scripted {
        status: 502,
        headers: vec![
            ("content-type".into(), "text/html; charset=UTF-8".into()),
            ("cf-ray".into(), RAY.into()),
        ],
        body: b"<!DOCTYPE html>\n<html><head><title>502 Bad Gateway</title></head>\
                <body><center><h1>502 Bad Gateway</h1></center><hr><center>cloudflare</center>\
                </body></html>"
            .to_vec(),
    }
}

#[tokio::test]
async fn html_error_page_is_a_typed_error_with_status_and_excerpt() {
    let (mock, client) = start().await;
    let create = op_index("POST", "/magic/gre_tunnels");
    mock.override_response(create, html_502());
    let err = client
        .gre_tunnels()
        .create(&account(), &gre_body())
        .await
        .unwrap_err();
    match &err {
        Error::UnexpectedBody {
            status,
            content_type,
            excerpt,
            ray_id,
            ..
        } => {
            assert_eq!(*status, 502);
            assert_eq!(content_type.as_deref(), Some("text/html; charset=UTF-8"));
            assert!(excerpt.contains("<h1>502 Bad Gateway</h1>"), "{excerpt}");
            assert_eq!(ray_id.as_deref(), Some(RAY));
        }
        other => panic!("expected Error::UnexpectedBody, got {other:?}"),
    }
    let shown = err.to_string();
    assert!(shown.contains("HTTP 502"), "{shown}");
    assert!(shown.contains("502 Bad Gateway"), "{shown}");
    assert!(shown.contains(RAY), "{shown}");
    assert_eq!(err.status(), Some(502));
    assert_all_routed(&mock, create, 1);

    // A read is retried, then reports the same error.
    mock.clear_requests();
    let list = op_index("GET", "/magic/gre_tunnels");
    mock.override_response(list, html_502());
    let err = client.gre_tunnels().list(&account()).await.unwrap_err();
    assert!(
        matches!(err, Error::UnexpectedBody { status: 502, .. }),
        "{err:?}"
    );
    assert_all_routed(&mock, list, 4);
}

#[tokio::test]
async fn success_false_with_200_is_an_api_error() {
    let (mock, client) = start().await;
    let list = op_index("GET", "/magic/gre_tunnels");
    mock.override_response(
        list,
        Scripted::json(
            200,
            &json!({
                "success": false,
                "errors": [{"code": 1003, "message": "Invalid or missing account id"}],
                "messages": [],
                "result": null,
            }),
        )
        .header("cf-ray", RAY),
    );
    let err = client.gre_tunnels().list(&account()).await.unwrap_err();
    match &err {
        Error::Api {
            status,
            errors,
            ray_id,
            ..
        } => {
            assert_eq!(*status, 200);
            assert_eq!(errors.len(), 1);
            assert_eq!(errors[0].code, 1003);
            assert_eq!(errors[0].message, "Invalid or missing account id");
            assert_eq!(ray_id.as_deref(), Some(RAY));
        }
        other => panic!("expected Error::Api, got {other:?}"),
    }
    assert_eq!(err.ray_id(), Some(RAY));
    assert_eq!(
        err.to_string(),
        format!(
            "Cloudflare API error (HTTP 200): [1003] Invalid or missing account id (cf-ray {RAY})"
        )
    );
    assert_all_routed(&mock, list, 1);

    // The same for an operation without a documented response body.
    mock.clear_requests();
    let stop = op_index("PUT", "/pcaps/{pcap_id}/stop");
    mock.override_response(
        stop,
        Scripted::json(
            200,
            &json!({"success": false, "errors": [{"code": 7, "message": "not running"}]}),
        ),
    );
    let err = client
        .pcaps()
        .stop(&account(), &magic_api::PcapId::from("p-1"))
        .await
        .unwrap_err();
    assert_eq!(err.api_errors()[0].code, 7);
    assert_all_routed(&mock, stop, 1);
}

#[tokio::test]
async fn unknown_fields_and_enum_values_decode_and_are_inspectable() {
    let (mock, client) = start().await;
    let get = op_index("GET", "/magic/gre_tunnels/{gre_tunnel_id}");
    let result = json!({
        "gre_tunnel": {
            "id": "c4a7362d577a6c3019a474fd6f485821",
            "cloudflare_gre_endpoint": "203.0.113.1",
            "customer_gre_endpoint": "203.0.113.2",
            "interface_address": "192.0.2.0/31",
            "name": "GRE_1",
            "health_check": {
                "rate": "ultra",
                "direction": "sideways",
                "target": 42,
                "jitter_ms": 5,
            },
            "encapsulation": {"kind": "gre-v2"},
        },
        "api_generation": 7,
    });
    mock.override_response(get, Scripted::success(result.clone()));
    let got = client
        .gre_tunnels()
        .get(&account(), &GreTunnelId::from("gre-1"))
        .await
        .expect("a newer API still decodes");
    assert_eq!(
        got.extra.get("api_generation").map(|v| v.to_value()),
        Some(json!(7))
    );
    let tunnel = got.gre_tunnel.as_ref().expect("tunnel");
    assert_eq!(tunnel.name, "GRE_1");
    assert_eq!(
        tunnel.extra.get("encapsulation").map(|v| v.to_value()),
        Some(json!({"kind": "gre-v2"}))
    );
    let hc = tunnel.health_check.as_ref().expect("health check");
    assert_eq!(hc.rate, Some(HealthCheckRate::Other("ultra".into())));
    assert_eq!(hc.rate.as_ref().unwrap().as_str(), "ultra");
    assert_eq!(
        hc.direction,
        Some(TunnelHealthCheckDirection::Other("sideways".into()))
    );
    assert_eq!(hc.target, Some(HealthCheckTarget::Other(json!(42).into())));
    assert_eq!(
        hc.extra.get("jitter_ms").map(|v| v.to_value()),
        Some(json!(5))
    );
    // Nothing is lost on the way back.
    assert_eq!(serde_json::to_value(&got).unwrap(), result);

    // A new event kind, in a list and as a tagged event.
    let conn = ConnectorId::from("conn-1");
    let list = op_index("GET", "/magic/connectors/{connector_id}/telemetry/events");
    mock.override_response(
        list,
        Scripted::success(json!({"count": 2, "items": [
            {"a": 1, "k": "Teleport", "n": 1, "t": 1},
            {"a": 2, "k": "Init", "n": 2, "t": 2},
        ]})),
    );
    let events = client
        .connectors()
        .events()
        .list(&account(), &conn, 0, 10)
        .await
        .expect("listed");
    assert_eq!(events.items[0].k, EventKind::Other("Teleport".into()));
    assert_eq!(events.items[0].k.as_str(), "Teleport");
    assert_eq!(events.items[1].k, EventKind::Init);

    let one = op_index(
        "GET",
        "/magic/connectors/{connector_id}/telemetry/events/{event_t}.{event_n}",
    );
    let event = json!({"e": {"k": "Teleport", "destination": "mars"}, "n": 1, "t": 1});
    mock.override_response(one, Scripted::success(event.clone()));
    let got = client
        .connectors()
        .events()
        .get(&account(), &conn, 1, 1)
        .await
        .expect("decoded");
    match &got.e {
        ConnectorEvent::Unknown(object) => {
            assert_eq!(
                object.get("k").map(|v| v.to_value()),
                Some(json!("Teleport"))
            );
            assert_eq!(
                object.get("destination").map(|v| v.to_value()),
                Some(json!("mars"))
            );
        }
        other => panic!("expected the unknown-event fallback, got {other:?}"),
    }
    assert_eq!(serde_json::to_value(&got).unwrap(), event);
}

#[tokio::test]
async fn result_of_the_wrong_shape_is_a_decode_error_and_send_value_still_reads_it() {
    let (mock, client) = start().await;
    let get = op_index("GET", "/magic/gre_tunnels/{gre_tunnel_id}");
    // `gre_tunnel` must be an object.
    mock.override_response(get, Scripted::success(json!({"gre_tunnel": "nope"})));
    let err = client
        .gre_tunnels()
        .get(&account(), &GreTunnelId::from("gre-1"))
        .await
        .unwrap_err();
    match &err {
        Error::Decode {
            status,
            path,
            reason,
            ray_id,
            body,
        } => {
            assert_eq!(*status, 200);
            assert_eq!(path, "result.gre_tunnel");
            assert!(reason.contains("GreTunnel"), "{reason}");
            assert!(ray_id.is_some());
            let sent: Value = serde_json::from_slice(body).unwrap();
            assert_eq!(sent["result"], json!({"gre_tunnel": "nope"}));
        }
        other => panic!("expected Error::Decode, got {other:?}"),
    }
    assert!(err.to_string().contains("result.gre_tunnel"), "{err}");
    // The same call as raw JSON: same request, nothing lost.
    let raw = client
        .gre_tunnels()
        .get(&account(), &GreTunnelId::from("gre-1"))
        .send_value()
        .await
        .unwrap();
    assert_eq!(raw, json!({"gre_tunnel": "nope"}));
    assert_all_routed(&mock, get, 2);
}

/// What a program written against the crate sees when the API sends what its reference allows:
/// a fractional timestamp handed back as a path parameter exactly as written, a known event kind
/// with a payload that does not fit (kept, not an error), a deletion confirmed with `null`, and a
/// request that sends `null` on purpose.
#[tokio::test]
async fn numbers_nulls_and_odd_events_survive_a_realistic_flow() {
    use magic_api::types::{AccountAppConfigRequest, AppConfigCreateRequest};
    use magic_api::{AccountAppId, Nullable, SiteId, StreamExt};

    let (mock, client) = start().await;
    let conn = ConnectorId::from("conn-1");
    let list = op_index("GET", "/magic/connectors/{connector_id}/telemetry/events");
    mock.override_response(
        list,
        Scripted::success(json!({"count": 1, "items": [
            {"a": 1700000000.5, "k": "StartUpgrade", "n": 5.0, "t": 1700000000.25},
        ]})),
    );
    let mut events = client
        .connectors()
        .events()
        .list(&account(), &conn, 1_699_999_000, 1_700_000_100)
        .stream();
    let item = events.next().await.expect("one event").expect("decoded");
    assert_eq!(item.t.to_string(), "1700000000.25");
    assert_eq!(item.n, 5, "an integer field takes 5.0");
    assert_eq!(item.k, EventKind::StartUpgrade);

    // Hand the event's own `t` back: the path keeps it exactly.
    let one = op_index(
        "GET",
        "/magic/connectors/{connector_id}/telemetry/events/{event_t}.{event_n}",
    );
    // A StartUpgrade without its documented `url`.
    let odd = json!({"e": {"k": "StartUpgrade", "t": 1700000000.25}, "n": 5, "t": 1700000000.25});
    mock.override_response(one, Scripted::success(odd.clone()));
    let got = client
        .connectors()
        .events()
        .get(&account(), &conn, &item.t, item.n)
        .await
        .expect("a known kind with an odd payload still decodes");
    let sent = mock.last_request().expect("recorded");
    assert!(
        sent.path_params
            .iter()
            .any(|(n, v)| n == "event_t" && v == "1700000000.25"),
        "{:?}",
        sent.path_params
    );
    assert!(
        matches!(&got.e, ConnectorEvent::Unknown(o) if o["k"].as_str().as_deref() == Some("StartUpgrade"))
    );
    assert_eq!(got.e.kind(), EventKind::StartUpgrade);
    assert_eq!(serde_json::to_value(&got).unwrap(), odd);

    // A deletion the API confirms with `"result": null`.
    let delete = op_index("DELETE", "/magic/apps/{account_app_id}");
    mock.override_response(delete, Scripted::success(Value::Null));
    let deleted = client
        .apps()
        .delete(&account(), &AccountAppId::from("app-1"))
        .await
        .expect("a null result is a success");
    assert_eq!(deleted, None);

    // `breakout: null` means "keep the default": sent as an explicit null.
    let request = AppConfigCreateRequest::Account(
        AccountAppConfigRequest::builder()
            .account_app_id("ac60d3d0435248289d446cedd870bcf4")
            .breakout(Nullable::Null)
            .build(),
    );
    client
        .sites()
        .app_configs()
        .create(&account(), &SiteId::from("site-1"), &request)
        .await
        .expect("created");
    let body: Value = serde_json::from_slice(&mock.last_request().unwrap().body).unwrap();
    assert_eq!(body["breakout"], Value::Null);
    assert!(body.as_object().unwrap().contains_key("breakout"));
}

/// A page-numbered list whose server ignores `page` and does not report it: the repeated page is
/// recognised and not yielded again.
#[tokio::test]
async fn a_server_ignoring_page_yields_each_item_once() {
    use magic_api::StreamExt;
    let (mock, client) = start().await;
    let list = op_index("GET", "/pcaps");
    mock.override_response(
        list,
        one_pcap_page(list, json!({"per_page": 1, "count": 1, "total_count": 5})),
    );
    let items: Vec<_> = client.pcaps().list(&account()).stream().collect().await;
    assert_eq!(items.len(), 1, "{items:?}");
    assert!(items[0].is_ok());
    assert_eq!(
        mock.count(),
        2,
        "the second page was fetched, recognised and dropped"
    );
}

/// A cursor-paged list whose server ignores the cursor (the same page and cursor every time):
/// each item is yielded once.
#[tokio::test]
async fn a_server_ignoring_the_cursor_yields_each_item_once() {
    use magic_api::{ConnectorId, StreamExt};
    let (mock, client) = start().await;
    let list = op_index("GET", "/magic/connectors/{connector_id}/telemetry/events");
    mock.override_response(
        list,
        Scripted::success(json!({"count": 1, "cursor": "A", "items": [
            {"a": 1, "k": "Init", "n": 1, "t": 1}
        ]})),
    );
    let items: Vec<_> = client
        .connectors()
        .events()
        .list(&account(), &ConnectorId::from("conn-1"), 0, 10)
        .stream()
        .collect()
        .await;
    assert_eq!(items.len(), 1, "{items:?}");
    assert_eq!(
        mock.count(),
        2,
        "the second page was fetched, recognised and dropped"
    );
}

/// A page-numbered stream that starts at a later page stops at the last page.
#[tokio::test]
async fn a_stream_from_a_later_page_stops_at_the_last() {
    use magic_api::StreamExt;
    let (mock, client) = start().await;
    let list = op_index("GET", "/pcaps");
    mock.override_response(
        list,
        one_pcap_page(
            list,
            json!({"page": 3, "per_page": 1, "count": 1, "total_count": 3}),
        ),
    );
    let items: Vec<_> = client
        .pcaps()
        .list(&account())
        .page(3)
        .stream()
        .collect()
        .await;
    assert_eq!(items.len(), 1, "{items:?}");
    assert_eq!(
        mock.count(),
        1,
        "page 3 of 3 is the last: nothing more is fetched"
    );
}

/// The PCAP list answering one documented PCAP on every page, with this `result_info`.
fn one_pcap_page(list: usize, result_info: Value) -> Scripted {
    let mut page = documented_result(list);
    if let Some(items) = page.as_array_mut() {
        items.truncate(1);
    }
    let body = json!({
        "success": true, "errors": [], "messages": [], "result": page,
        "result_info": result_info
    });
    Scripted::json(200, &body)
}

// ---------------------------------------------------------------------------------------
// Fault scripts of the stateful mock, named by template, drive the retry rules.

#[tokio::test]
async fn scripted_429s_are_retried_until_the_create_lands_once() {
    let mock = MockServer::start().await;
    let client = setup::retrying_client(mock.base_url(), fast_retries());
    mock.fail_next("POST /magic/gre_tunnels", 2, mock::Fault::rate_limited(0));
    let tunnel = client
        .gre_tunnels()
        .create(&account(), &gre_body())
        .await
        .expect("lands on the third attempt");
    assert_eq!(mock.count(), 3);
    // The store holds exactly one tunnel: the refused attempts changed nothing.
    let listed = client.gre_tunnels().list(&account()).await.unwrap();
    let ids: Vec<GreTunnelId> = listed
        .gre_tunnels
        .unwrap_or_default()
        .into_iter()
        .map(|t| t.id)
        .collect();
    assert_eq!(ids, [tunnel.id]);
}

#[tokio::test]
async fn a_dropped_connection_is_retried_for_a_read_and_not_for_a_write() {
    let mock = MockServer::start().await;
    let client = setup::retrying_client(mock.base_url(), fast_retries());
    mock.fail_next("GET /magic/gre_tunnels", 1, mock::Fault::Drop);
    client
        .gre_tunnels()
        .list(&account())
        .await
        .expect("the read is sent again");
    let statuses: Vec<u16> = mock.requests().iter().map(|r| r.status).collect();
    assert_eq!(
        statuses,
        [0, 200],
        "a dropped connection is logged as status 0"
    );

    mock.clear_requests();
    mock.fail_next("POST /magic/gre_tunnels", 1, mock::Fault::Drop);
    let err = client
        .gre_tunnels()
        .create(&account(), &gre_body())
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Transport(_)), "{err:?}");
    assert_eq!(
        mock.count(),
        1,
        "a write that may have been processed is not resent"
    );
}

#[tokio::test]
async fn a_truncated_body_is_an_error_and_a_slow_one_a_timeout() {
    let mock = MockServer::start().await;
    let client = setup::client(mock.base_url());
    mock.fail_next("GET /magic/gre_tunnels", 1, mock::Fault::Truncate);
    let err = client.gre_tunnels().list(&account()).await.unwrap_err();
    assert!(
        matches!(err, Error::Transport(_) | Error::Decode { .. }),
        "{err:?}"
    );

    mock.fail_next(
        "GET /magic/gre_tunnels",
        1,
        mock::Fault::Delay(Duration::from_secs(2)),
    );
    let err = client
        .gre_tunnels()
        .list(&account())
        .timeout(100 * MS)
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Timeout { .. }), "{err:?}");
    // Unscripted again.
    client.gre_tunnels().list(&account()).await.unwrap();
}
