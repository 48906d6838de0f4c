//! Every operation through the GENERATED client (not `RawRequest`) against the IR-driven mock
//! server (the `magic-api-mock` crate, stateless).
//!
//! For each of the 79 operations: the mock must route the request to that operation and accept
//! it, the body sent must equal the documented curl body (the typed body is decoded from that
//! example and handed to the generated method), and the typed result must re-encode to the
//! documented `result` (`()` for operations without a documented response, the mock's pcap
//! bytes for the download). Also: `validate_only`, the health-check form header, and lazy
//! pagination through `stream()`.

use crate::calls;
use crate::mock;
use crate::setup::start;

use std::cell::{Cell, RefCell};
use std::collections::BTreeSet;
use std::pin::pin;

use codegen::ir::{Operation, ParamLocation, Response};
use futures_util::StreamExt;
use magic_api::types::{
    EventKind, GreTunnelCreateRequest, GreTunnelUpdateRequest, HealthCheck, HealthCheckTarget,
    IpsecTunnelRequest, MagicHealthCheckTarget, Pcap, TunnelHealthCheck,
};
use magic_api::{
    AccountId, CfInterconnectId, ConnectorId, Error, GreTunnelId, IpsecTunnelId, OwnershipId,
    PcapId, RouteId,
};
use mock::{MockServer, Recorded, Scripted, pcap_bytes};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Value, json};

// ---------------------------------------------------------------------------------------
// Setup

use mock::spec_ir as ir;

/// The index of the operation `"METHOD /path"`, the path written without the
/// `/accounts/{account_id}` prefix every operation shares.
fn op_index(key: &str) -> usize {
    let (method, path) = key.split_once(' ').expect("`METHOD /path`");
    mock::op_index(method, path)
}

fn op(index: usize) -> &'static Operation {
    &ir().operations[index]
}

/// A documented example decoded into the type the generated method takes.
fn example_body<T: DeserializeOwned>(index: usize) -> T {
    let example = op(index)
        .examples
        .request
        .clone()
        .unwrap_or_else(|| panic!("{} has no request example", op(index).path));
    serde_json::from_value(example)
        .unwrap_or_else(|e| panic!("request example of {} does not decode: {e}", op(index).path))
}

/// The documented `result` (`null` when the operation documents no response).
fn documented_result(index: usize) -> Value {
    op(index)
        .examples
        .response
        .as_ref()
        .and_then(|r| r.get("result").cloned())
        .unwrap_or(Value::Null)
}

const ACCOUNT: &str = "023e105f4ecef8ad9ca31a8372d0c353";
const EVENT_T: i64 = 1_700_000_000;
const EVENT_N: i64 = 7;
const SNAPSHOT_T: i64 = 1_700_000_100;
const FROM: i64 = 1_699_990_000;
const TO: i64 = 1_700_010_000;

/// The value this file passes for each path and required query parameter, to check what the
/// mock decoded.
fn path_value(name: &str) -> String {
    match name {
        "account_id" => ACCOUNT.into(),
        "event_t" => EVENT_T.to_string(),
        "event_n" => EVENT_N.to_string(),
        "snapshot_t" => SNAPSHOT_T.to_string(),
        "from" => FROM.to_string(),
        "to" => TO.to_string(),
        other => format!("{}-id", other.trim_end_matches("_id")),
    }
}

fn id<T: From<String>>(name: &str) -> T {
    T::from(path_value(name))
}

/// Checks each call's request and answer and remembers which operations were covered.
struct Harness {
    mock: MockServer,
    seen: RefCell<BTreeSet<usize>>,
    requests: Cell<usize>,
}

impl Harness {
    /// The one request the last call sent (exactly one: retries are off), checked against the
    /// IR: routed to `index`, accepted, path parameters as passed, body as documented, only
    /// the required query parameters.
    fn sent(&self, index: usize) -> Recorded {
        let op = op(index);
        let what = format!("{} {}", op.method.as_str(), op.path);
        let count = self.mock.count();
        assert_eq!(
            count,
            self.requests.get() + 1,
            "{what}: one request per call"
        );
        self.requests.set(count);
        let rec = self.mock.last_request().expect("a request");
        assert_eq!(
            rec.operation,
            Some(index),
            "{what}: routed to {}",
            rec.target
        );
        assert_eq!(rec.rejection, None, "{what}");
        assert_eq!(rec.status, 200, "{what}");
        assert_eq!(rec.method, op.method.as_str(), "{what}");
        let expected: Vec<(String, String)> = op
            .params_in(ParamLocation::Path)
            .map(|p| (p.field.name.clone(), path_value(&p.field.name)))
            .collect();
        assert_eq!(rec.path_params, expected, "{what}");
        match (&op.body, &op.examples.request) {
            (Some(_), Some(example)) => {
                assert_eq!(rec.json().as_ref(), Some(example), "{what}: body")
            }
            (Some(_), None) => panic!("{what}: no request example to build the body from"),
            (None, _) => assert!(rec.body.is_empty(), "{what}: no body expected"),
        }
        let required: Vec<String> = op
            .params_in(ParamLocation::Query)
            .filter(|p| p.field.required)
            .map(|p| p.field.name.clone())
            .collect();
        let sent: Vec<(String, String)> = rec.query_pairs();
        let expected: Vec<(String, String)> = required
            .iter()
            .map(|name| (name.clone(), path_value(name)))
            .collect();
        assert_eq!(sent, expected, "{what}: query");
        assert_eq!(rec.header("x-magic-new-hc-target"), None, "{what}");
        self.seen.borrow_mut().insert(index);
        rec
    }

    /// `sent`, and the typed result re-encodes to the documented one.
    fn check<T: Serialize + std::fmt::Debug>(&self, index: usize, result: Result<T, Error>) {
        let op = op(index);
        let what = format!("{} {}", op.method.as_str(), op.path);
        let value = match result {
            Ok(v) => v,
            Err(e) => panic!("{what}: {e}"),
        };
        self.sent(index);
        match &op.response {
            Response::Envelope { .. } | Response::Json { .. } => {
                let encoded = serde_json::to_value(&value).expect("re-encodes");
                assert_eq!(encoded, documented_result(index), "{what}: result");
            }
            Response::None => {
                // `()` encodes as null: nothing was made up.
                assert_eq!(serde_json::to_value(&value).unwrap(), Value::Null, "{what}");
            }
            Response::Binary { .. } => panic!("{what}: downloads are checked by bytes"),
        }
    }
}

// ---------------------------------------------------------------------------------------
// Every operation

/// The generated driver asks for arguments by name and hands back each result.
impl calls::Calls for Harness {
    fn id<T: From<String>>(&self, param: &str) -> T {
        id(param)
    }

    fn number(&self, param: &str) -> i64 {
        path_value(param)
            .parse()
            .unwrap_or_else(|_| panic!("no number for `{param}`"))
    }

    fn body<T: DeserializeOwned>(&self, key: &str) -> T {
        example_body(op_index(key))
    }

    fn result<T: Serialize + std::fmt::Debug>(&self, key: &str, result: Result<T, Error>) {
        self.check(op_index(key), result);
    }

    async fn download(&self, key: &str, result: Result<magic_api::Download, Error>) {
        let o = op_index(key);
        let mut download = match result {
            Ok(d) => d,
            Err(e) => panic!("{key}: {e}"),
        };
        assert_eq!(download.content_type(), Some(mock::PCAP_CONTENT_TYPE));
        let mut bytes = Vec::new();
        while let Some(chunk) = download.next().await {
            bytes.extend_from_slice(&chunk.expect("chunk"));
        }
        assert_eq!(bytes, pcap_bytes());
        assert!(matches!(op(o).response, Response::Binary { .. }));
        self.sent(o);
    }
}

/// Every operation once, through the driver generated from the plan (`tests/generated/calls.rs`),
/// each checked by the harness: routed, accepted, its parameters and body as passed, its
/// result re-encoding to the documented one.
#[tokio::test]
async fn every_operation_through_the_generated_client() {
    let (mock, client) = start().await;
    let h = Harness {
        mock,
        seen: RefCell::new(BTreeSet::new()),
        requests: Cell::new(0),
    };
    calls::call_every_operation(&client, &h).await;

    // Every operation, each exactly once.
    let seen = h.seen.borrow();
    let all: BTreeSet<usize> = (0..ir().operations.len()).collect();
    let missing: Vec<String> = all
        .difference(&seen)
        .map(|&i| format!("{} {}", op(i).method.as_str(), op(i).path))
        .collect();
    assert!(missing.is_empty(), "not called: {missing:?}");
    assert_eq!(seen.len(), 79);
    assert_eq!(h.mock.count(), 79);
}

#[tokio::test]
async fn download_writes_the_capture_to_a_file() {
    let (mock, client) = start().await;
    let path =
        std::env::temp_dir().join(format!("magic-api-client-ops-{}.pcap", std::process::id()));
    let download = client
        .pcaps()
        .download(&AccountId::from(ACCOUNT), &PcapId::from("pcap-1"))
        .await
        .expect("download");
    let written = download.write_to_file(&path).await.expect("written");
    let bytes = std::fs::read(&path).expect("read back");
    let _ = std::fs::remove_file(&path);
    assert_eq!(written, pcap_bytes().len() as u64);
    assert_eq!(bytes, pcap_bytes());
    assert_eq!(
        mock.last_request().unwrap().operation,
        Some(op_index("GET /pcaps/{pcap_id}/download"))
    );
}

// ---------------------------------------------------------------------------------------
// validate_only

/// Every operation whose documentation offers `?validate_only=true` has the setter, and it
/// reaches the server as that query parameter. (Operations without it have no setter at all:
/// see `tests/ui/validate_only_not_offered.rs`.)
#[tokio::test]
async fn validate_only_reaches_the_server_on_every_operation_that_offers_it() {
    let (mock, client) = start().await;
    let c = &client;
    let a = &AccountId::from(ACCOUNT);
    let ci: CfInterconnectId = id("cf_interconnect_id");
    let gre: GreTunnelId = id("gre_tunnel_id");
    let ipsec: IpsecTunnelId = id("ipsec_tunnel_id");
    let route: RouteId = id("route_id");
    let mut called = BTreeSet::new();
    let mut check = |key: &str| {
        let index = op_index(key);
        let rec = mock.last_request().expect("a request");
        assert_eq!(rec.operation, Some(index), "{key}");
        assert_eq!(rec.rejection, None, "{key}");
        let validate: Vec<(String, String)> = rec
            .query_pairs()
            .into_iter()
            .filter(|(k, _)| k == "validate_only")
            .collect();
        assert_eq!(validate, [("validate_only".into(), "true".into())], "{key}");
        called.insert(index);
    };

    let k = "PUT /magic/cf_interconnects/{cf_interconnect_id}";
    let body = example_body(op_index(k));
    let r = c
        .cf_interconnects()
        .update(a, &ci, &body)
        .validate_only(true);
    r.await.expect(k);
    check(k);
    let k = "PUT /magic/cf_interconnects";
    let body: Value = example_body(op_index(k));
    let r = c
        .cf_interconnects()
        .bulk_update(a, &body)
        .validate_only(true);
    r.await.expect(k);
    check(k);

    let k = "POST /magic/gre_tunnels";
    let body = example_body(op_index(k));
    let r = c.gre_tunnels().create(a, &body).validate_only(true);
    r.await.expect(k);
    check(k);
    let k = "PUT /magic/gre_tunnels/{gre_tunnel_id}";
    let body = example_body(op_index(k));
    let r = c.gre_tunnels().update(a, &gre, &body).validate_only(true);
    r.await.expect(k);
    check(k);
    let k = "DELETE /magic/gre_tunnels/{gre_tunnel_id}";
    let r = c.gre_tunnels().delete(a, &gre).validate_only(true);
    r.await.expect(k);
    check(k);
    let k = "PUT /magic/gre_tunnels";
    let body: Value = example_body(op_index(k));
    let r = c.gre_tunnels().bulk_update(a, &body).validate_only(true);
    r.await.expect(k);
    check(k);

    let k = "POST /magic/ipsec_tunnels";
    let body = example_body(op_index(k));
    let r = c.ipsec_tunnels().create(a, &body).validate_only(true);
    r.await.expect(k);
    check(k);
    let k = "PUT /magic/ipsec_tunnels/{ipsec_tunnel_id}";
    let body = example_body(op_index(k));
    let r = c
        .ipsec_tunnels()
        .update(a, &ipsec, &body)
        .validate_only(true);
    r.await.expect(k);
    check(k);
    let k = "DELETE /magic/ipsec_tunnels/{ipsec_tunnel_id}";
    let r = c.ipsec_tunnels().delete(a, &ipsec).validate_only(true);
    r.await.expect(k);
    check(k);
    let k = "PUT /magic/ipsec_tunnels";
    let body: Value = example_body(op_index(k));
    let r = c.ipsec_tunnels().bulk_update(a, &body).validate_only(true);
    r.await.expect(k);
    check(k);
    let k = "POST /magic/ipsec_tunnels/{ipsec_tunnel_id}/psk_generate";
    let r = c
        .ipsec_tunnels()
        .psk_generate(a, &ipsec)
        .validate_only(true);
    r.await.expect(k);
    check(k);

    let k = "POST /magic/routes";
    let body = example_body(op_index(k));
    let r = c.routes().create(a, &body).validate_only(true);
    r.await.expect(k);
    check(k);
    let k = "PUT /magic/routes/{route_id}";
    let body = example_body(op_index(k));
    let r = c.routes().update(a, &route, &body).validate_only(true);
    r.await.expect(k);
    check(k);
    let k = "PUT /magic/routes";
    let body = example_body(op_index(k));
    let r = c.routes().bulk_update(a, &body).validate_only(true);
    r.await.expect(k);
    check(k);

    // Exactly the operations the IR says offer it.
    let offered: BTreeSet<usize> = ir()
        .operations
        .iter()
        .enumerate()
        .filter(|(_, op)| {
            op.params_in(ParamLocation::Query)
                .any(|p| p.field.name == "validate_only")
        })
        .map(|(i, _)| i)
        .collect();
    assert_eq!(called, offered);
    assert_eq!(offered.len(), 14);

    // `false` is sent as such; unset sends nothing (checked for every operation above).
    let k = "POST /magic/routes";
    let body = example_body(op_index(k));
    let call = c.routes().create(a, &body).validate_only(false);
    let built = call.request().expect("builds");
    assert_eq!(
        built.query_pairs(),
        [("validate_only", "false".to_string())]
    );
    call.await.expect(k);
    assert!(
        mock.last_request()
            .unwrap()
            .target
            .ends_with("?validate_only=false")
    );
}

// ---------------------------------------------------------------------------------------
// x-magic-new-hc-target

fn gre_create() -> GreTunnelCreateRequest {
    GreTunnelCreateRequest::builder()
        .cloudflare_gre_endpoint("203.0.113.1")
        .customer_gre_endpoint("203.0.113.2")
        .interface_address("192.0.2.0/31")
        .name("GRE_1")
        .description("Tunnel for ISP X")
        .mtu(1476)
        .build()
}

fn object_target() -> HealthCheckTarget {
    HealthCheckTarget::Object(MagicHealthCheckTarget {
        saved: Some("203.0.113.50".into()),
        ..MagicHealthCheckTarget::default()
    })
}

fn gre_health_check(target: Option<HealthCheckTarget>) -> TunnelHealthCheck {
    TunnelHealthCheck {
        enabled: Some(true),
        target,
        ..TunnelHealthCheck::default()
    }
}

#[tokio::test]
async fn health_check_form_header_follows_the_body() {
    let (mock, client) = start().await;
    let a = &AccountId::from(ACCOUNT);
    let create = op_index("POST /magic/gre_tunnels");
    let cases = [
        (Some(gre_health_check(Some(object_target()))), Some("true")),
        (
            Some(gre_health_check(Some(HealthCheckTarget::String(
                "203.0.113.50".into(),
            )))),
            Some("false"),
        ),
        (Some(gre_health_check(None)), None),
        (None, None),
    ];
    for (health_check, header) in cases {
        let body = GreTunnelCreateRequest {
            health_check: health_check.clone(),
            ..gre_create()
        };
        let tunnel = client
            .gre_tunnels()
            .create(a, &body)
            .await
            .expect("created");
        assert_eq!(tunnel.name, "GRE_1"); // the documented example answers
        let rec = mock.last_request().unwrap();
        assert_eq!(rec.operation, Some(create));
        assert_eq!(rec.rejection, None);
        assert_eq!(
            rec.header("x-magic-new-hc-target"),
            header,
            "{health_check:?}"
        );
        assert_eq!(rec.json(), Some(serde_json::to_value(&body).unwrap()));
        if let Some(target) = rec
            .json()
            .as_ref()
            .and_then(|b| b.pointer("/health_check/target"))
        {
            assert_eq!(target.is_object(), header == Some("true"));
        }
    }

    // The other operations whose body carries a health check do the same.
    let gre: GreTunnelId = id("gre_tunnel_id");
    let update = GreTunnelUpdateRequest::builder()
        .cloudflare_gre_endpoint("203.0.113.1")
        .customer_gre_endpoint("203.0.113.2")
        .interface_address("192.0.2.0/31")
        .name("GRE_1")
        .health_check(gre_health_check(Some(object_target())))
        .build();
    client
        .gre_tunnels()
        .update(a, &gre, &update)
        .await
        .expect("updated");
    assert_eq!(
        mock.last_request().unwrap().header("x-magic-new-hc-target"),
        Some("true")
    );

    let ipsec = IpsecTunnelRequest::builder()
        .cloudflare_endpoint("203.0.113.1")
        .interface_address("192.0.2.0/31")
        .name("IPsec_1")
        .health_check(gre_health_check(Some(HealthCheckTarget::String(
            "x".into(),
        ))))
        .build();
    client
        .ipsec_tunnels()
        .create(a, &ipsec)
        .await
        .expect("created");
    let rec = mock.last_request().unwrap();
    assert_eq!(rec.rejection, None);
    assert_eq!(rec.header("x-magic-new-hc-target"), Some("false"));

    let ci: CfInterconnectId = id("cf_interconnect_id");
    let body = magic_api::types::CfInterconnectUpdateRequest {
        health_check: Some(HealthCheck {
            target: Some(object_target()),
            ..HealthCheck::default()
        }),
        ..Default::default()
    };
    let call = client
        .cf_interconnects()
        .update(a, &ci, &body)
        .validate_only(true);
    call.await.expect("updated");
    let rec = mock.last_request().unwrap();
    assert_eq!(rec.rejection, None);
    assert_eq!(rec.header("x-magic-new-hc-target"), Some("true"));

    // Reads ask for a form explicitly.
    client
        .gre_tunnels()
        .list(a)
        .object_targets(true)
        .await
        .expect("listed");
    assert_eq!(
        mock.last_request().unwrap().header("x-magic-new-hc-target"),
        Some("true")
    );
    client
        .gre_tunnels()
        .get(a, &gre)
        .object_targets(false)
        .await
        .expect("got");
    assert_eq!(
        mock.last_request().unwrap().header("x-magic-new-hc-target"),
        Some("false")
    );
}

// ---------------------------------------------------------------------------------------
// Pagination

fn event(n: i64, k: &str) -> Value {
    json!({"a": EVENT_T + n, "k": k, "n": n, "t": EVENT_T + n})
}

#[tokio::test]
async fn events_stream_follows_the_cursor_on_demand() {
    let (mock, client) = start().await;
    let list = op_index("GET /magic/connectors/{connector_id}/telemetry/events");
    mock.override_once(
        list,
        Scripted::success(
            json!({"count": 2, "cursor": "c1", "items": [event(1, "Init"), event(2, "Init")]}),
        ),
    );
    mock.override_once(
        list,
        Scripted::success(
            json!({"count": 2, "cursor": "c2", "items": [event(3, "Init"), event(4, "Init")]}),
        ),
    );
    mock.override_once(
        list,
        Scripted::success(json!({"count": 1, "items": [event(5, "Init")]})),
    );
    let a = AccountId::from(ACCOUNT);
    let conn: ConnectorId = id("connector_id");
    let stream = client
        .connectors()
        .events()
        .list(&a, &conn, FROM, TO)
        .k(EventKind::Init)
        .limit(2)
        .stream();
    let mut stream = pin!(stream);
    assert_eq!(
        mock.count(),
        0,
        "nothing is fetched before the stream is read"
    );

    let mut seen = Vec::new();
    let mut fetched = Vec::new();
    while let Some(item) = stream.next().await {
        let item = item.expect("event");
        assert_eq!(item.k, EventKind::Init);
        seen.push(item.n);
        fetched.push(mock.count());
    }
    assert_eq!(seen, [1, 2, 3, 4, 5]);
    // Page 2 is fetched only when item 3 is wanted, page 3 only for item 5.
    assert_eq!(fetched, [1, 1, 2, 2, 3]);

    let requests = mock.requests();
    assert_eq!(requests.len(), 3);
    let query = |i: usize| requests[i].query_pairs();
    let base = |cursor: Option<&str>| {
        let mut q: Vec<(String, String)> = vec![
            ("from".into(), FROM.to_string()),
            ("to".into(), TO.to_string()),
            ("k".into(), "Init".into()),
            ("limit".into(), "2".into()),
        ];
        if let Some(c) = cursor {
            q.push(("cursor".into(), c.into()));
        }
        q
    };
    assert_eq!(query(0), base(None));
    assert_eq!(query(1), base(Some("c1")));
    assert_eq!(query(2), base(Some("c2")));
    for r in &requests {
        assert_eq!(r.operation, Some(list));
        assert_eq!(r.rejection, None);
    }
}

#[tokio::test]
async fn taking_a_few_events_fetches_one_page() {
    let (mock, client) = start().await;
    let list = op_index("GET /magic/connectors/{connector_id}/telemetry/events");
    mock.override_response(
        list,
        Scripted::success(json!({"count": 2, "cursor": "more", "items": [event(1, "Leave"), event(2, "Reconcile")]})),
    );
    let a = AccountId::from(ACCOUNT);
    let conn: ConnectorId = id("connector_id");
    let stream = client
        .connectors()
        .events()
        .list(&a, &conn, FROM, TO)
        .stream();
    let first: Vec<_> = stream.take(2).collect().await;
    assert_eq!(first.len(), 2);
    assert_eq!(first[0].as_ref().unwrap().k, EventKind::Leave);
    assert_eq!(first[1].as_ref().unwrap().k, EventKind::Reconcile);
    assert_eq!(mock.count(), 1);
}

fn pcap_page(page: u64, ids: &[&str]) -> Scripted {
    let items: Vec<Value> = ids
        .iter()
        .map(|id| json!({"id": id, "status": "success", "system": "magic-transit", "type": "simple"}))
        .collect();
    Scripted::json(
        200,
        &json!({
            "success": true, "errors": [], "messages": [], "result": items,
            "result_info": {"page": page, "per_page": 2, "count": ids.len(), "total_count": 5},
        }),
    )
}

#[tokio::test]
async fn pcaps_stream_fetches_numbered_pages_on_demand() {
    let (mock, client) = start().await;
    let list = op_index("GET /pcaps");
    mock.override_once(list, pcap_page(1, &["p1", "p2"]));
    mock.override_once(list, pcap_page(2, &["p3", "p4"]));
    mock.override_once(list, pcap_page(3, &["p5"]));
    let a = AccountId::from(ACCOUNT);
    let stream = client.pcaps().list(&a).per_page(2).stream();
    let mut stream = pin!(stream);
    let mut ids = Vec::new();
    let mut fetched = Vec::new();
    while let Some(item) = stream.next().await {
        match item.expect("pcap") {
            Pcap::Simple(p) => ids.push(p.id.map(|id| id.to_string()).unwrap_or_default()),
            other => panic!("expected the simple form, got {other:?}"),
        }
        fetched.push(mock.count());
    }
    assert_eq!(ids, ["p1", "p2", "p3", "p4", "p5"]);
    assert_eq!(fetched, [1, 1, 2, 2, 3]);
    let requests = mock.requests();
    let pages: Vec<Vec<(String, String)>> = requests.iter().map(Recorded::query_pairs).collect();
    let q = |page: &str| {
        vec![
            ("per_page".to_string(), "2".to_string()),
            ("page".to_string(), page.to_string()),
        ]
    };
    assert_eq!(pages, [q("1"), q("2"), q("3")]);
    assert!(
        requests
            .iter()
            .all(|r| r.operation == Some(list) && r.rejection.is_none())
    );
}

#[tokio::test]
async fn ownership_stream_stops_after_the_last_page() {
    let (mock, client) = start().await;
    let list = op_index("GET /pcaps/ownership");
    let page = |n: u64, ids: &[&str]| {
        let items: Vec<Value> = ids
            .iter()
            .map(|id| {
                json!({"id": id, "destination_conf": "s3://b", "filename": "f.txt", "status": "success", "submitted": "2020-01-01T08:00:00Z"})
            })
            .collect();
        Scripted::json(
            200,
            &json!({"success": true, "errors": [], "messages": [], "result": items,
                    "result_info": {"page": n, "per_page": 2, "total_count": 3}}),
        )
    };
    mock.override_once(list, page(1, &["o1", "o2"]));
    mock.override_once(list, page(2, &["o3"]));
    let a = AccountId::from(ACCOUNT);
    let all: Vec<_> = client.pcaps().ownership().list(&a).stream().collect().await;
    let ids: Vec<OwnershipId> = all.into_iter().map(|o| o.expect("ownership").id).collect();
    assert_eq!(ids, ["o1", "o2", "o3"].map(OwnershipId::from));
    assert_eq!(mock.count(), 2);
}
