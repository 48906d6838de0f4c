//! The store beyond create-read-update-delete: an action changes the object it names (a
//! generated PSK), telemetry lists are answered from seeded items and filtered by their
//! parameters, and any collection can be seeded, with objects no request can create (a managed
//! app, an interconnect).

use magic_api::Client;
use magic_api_mock::MockServer;
use magic_api_model::Method;
use serde_json::{Value, json};

use crate::crud::{ACCOUNT, concrete, create, find_object, op, send};

const TUNNELS: &str = "/accounts/{account_id}/magic/ipsec_tunnels";

#[tokio::test]
async fn an_action_answers_about_its_object_and_changes_it() {
    let mock = MockServer::start().await;
    let client = mock.client();
    let (_, id) = create(&client, TUNNELS).await;
    let action = format!("{TUNNELS}/{{ipsec_tunnel_id}}/psk_generate");
    let documented = op(Method::Post, &action)
        .and_then(|o| o.examples.response.clone())
        .expect("a documented answer")["result"]
        .clone();
    let path = concrete(&action, &[("ipsec_tunnel_id".into(), id.clone())]);

    let first = send(&client, Method::Post, &path, Some(&json!({})))
        .await
        .unwrap();
    assert_eq!(first["ipsec_tunnel_id"], json!(id), "about this tunnel");
    assert_ne!(first["psk"], documented["psk"], "a fresh PSK");
    assert!(
        first["psk"].as_str().is_some_and(|p| p.len() >= 16),
        "{first}"
    );
    assert_ne!(
        first["psk_metadata"], documented["psk_metadata"],
        "generated now"
    );
    let second = send(&client, Method::Post, &path, Some(&json!({})))
        .await
        .unwrap();
    assert_ne!(second["psk"], first["psk"], "every PSK is new");

    // The tunnel shows when its PSK was generated; the PSK itself is never shown again.
    let tunnel_path = concrete(
        &format!("{TUNNELS}/{{ipsec_tunnel_id}}"),
        &[("ipsec_tunnel_id".into(), id.clone())],
    );
    let tunnel = send(&client, Method::Get, &tunnel_path, None)
        .await
        .unwrap();
    let tunnel = find_object(&tunnel, "id", &id).expect("the tunnel").clone();
    assert_eq!(tunnel["psk_metadata"], second["psk_metadata"], "{tunnel}");
    assert_ne!(tunnel["psk"], second["psk"], "{tunnel}");

    // An action on a tunnel the mock does not hold is a 404 and changes nothing.
    let unknown = concrete(&action, &[("ipsec_tunnel_id".into(), "nope".into())]);
    let err = send(&client, Method::Post, &unknown, Some(&json!({})))
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(404));
}

async fn events(client: &Client, path: &str, query: &[(&'static str, &str)]) -> Value {
    let mut request = magic_api::RawRequest::new(magic_api::reqwest::Method::GET, path.to_owned());
    for (k, v) in query {
        request = request.query(k, *v);
    }
    client
        .send_json::<Value>(request)
        .await
        .unwrap_or_else(|e| panic!("{path} {query:?}: {e}"))
        .result
}

fn times(result: &Value) -> Vec<i64> {
    result["items"]
        .as_array()
        .map(|items| items.iter().filter_map(|i| i["t"].as_i64()).collect())
        .unwrap_or_default()
}

#[tokio::test]
async fn telemetry_lists_are_filtered_by_their_parameters() {
    let mock = MockServer::start().await;
    let client = mock.client();
    let (_, connector) = create(&client, "/accounts/{account_id}/magic/connectors").await;
    let path = format!("/accounts/{ACCOUNT}/magic/connectors/{connector}/telemetry/events");

    // Without seeded events, the documented one (recorded at t = 0) is outside the range.
    let none = events(&client, &path, &[("from", "100"), ("to", "400")]).await;
    assert_eq!(times(&none), Vec::<i64>::new(), "{none}");

    let seeded = [
        (100, "Init"),
        (200, "StartUpgrade"),
        (300, "Init"),
        (400, "Init"),
    ]
    .map(|(t, k)| json!({"a": t, "k": k, "n": 0, "t": t}));
    mock.seed(&path, seeded.to_vec()).expect("events seed");

    let ranged = events(&client, &path, &[("from", "150"), ("to", "300")]).await;
    assert_eq!(times(&ranged), [200, 300], "from and to bound t: {ranged}");
    let kind = events(
        &client,
        &path,
        &[("from", "0"), ("to", "1000"), ("k", "Init")],
    )
    .await;
    assert_eq!(times(&kind), [100, 300, 400], "k selects the kind: {kind}");

    // Paged by cursor within the filter.
    let first = events(
        &client,
        &path,
        &[("from", "0"), ("to", "1000"), ("k", "Init"), ("limit", "2")],
    )
    .await;
    assert_eq!(times(&first), [100, 300]);
    let cursor = first["cursor"].as_str().expect("a cursor").to_owned();
    let rest = events(
        &client,
        &path,
        &[
            ("from", "0"),
            ("to", "1000"),
            ("k", "Init"),
            ("limit", "2"),
            ("cursor", &cursor),
        ],
    )
    .await;
    assert_eq!(times(&rest), [400]);
    assert!(rest.get("cursor").is_none(), "the last page: {rest}");
}

#[tokio::test]
async fn any_collection_can_be_seeded() {
    let mock = MockServer::start().await;
    let client = mock.client();

    // A managed app: Cloudflare's, so no request creates one.
    let apps = concrete("/accounts/{account_id}/magic/apps", &[]);
    let managed = json!({"managed_app_id": "cf-zoom", "name": "Zoom", "type": "Video"});
    let stored = mock
        .seed(&format!("/client/v4{apps}"), vec![managed.clone()])
        .expect("apps seed");
    assert_eq!(stored, std::slice::from_ref(&managed), "stored as given");
    let listed = send(&client, Method::Get, &apps, None).await.unwrap();
    assert_eq!(listed, json!([managed]), "{listed}");

    // An interconnect (listed, read and updated, never created).
    let interconnects = "/accounts/{account_id}/magic/cf_interconnects";
    let interconnect = json!({"id": "ic-1", "name": "ic", "description": "seeded"});
    mock.seed(&concrete(interconnects, &[]), vec![interconnect])
        .expect("interconnects seed");
    let path = concrete(
        &format!("{interconnects}/{{cf_interconnect_id}}"),
        &[("cf_interconnect_id".into(), "ic-1".into())],
    );
    let got = send(&client, Method::Get, &path, None).await.unwrap();
    assert!(find_object(&got, "id", "ic-1").is_some(), "{got}");

    // Objects under another take the path's values for the fields named after it.
    let (_, site) = create(&client, "/accounts/{account_id}/magic/sites").await;
    let lans = format!("/accounts/{ACCOUNT}/magic/sites/{site}/lans");
    let stored = mock
        .seed(&lans, vec![json!({"id": "lan-1", "name": "seeded"})])
        .unwrap();
    assert_eq!(stored[0]["site_id"], json!(site), "{stored:?}");

    let err = mock.seed("/accounts/a/magic/nothing", vec![json!({})]);
    assert!(err.is_err_and(|e| e.contains("neither")));
    let err = mock.seed(&apps, vec![json!([1])]);
    assert!(err.is_err_and(|e| e.contains("not a JSON object")));
    let stateless = MockServer::builder().stateless().start().await.unwrap();
    assert!(stateless.seed(&apps, vec![json!({})]).is_err());
}

/// Numbers come back exactly as they were sent, however they are written: in the answer to a
/// create, in later reads, and in seeded telemetry.
#[tokio::test]
async fn numbers_are_kept_exactly_as_sent() {
    let mock = MockServer::start().await;
    let base = mock.base_path().to_owned();
    let routes = format!("{base}/accounts/{ACCOUNT}/magic/routes");
    let body = r#"{"nexthop": "203.0.113.1", "prefix": "192.0.2.0/24", "priority": 1.50e0, "weight": 18446744073709551617, "description": "n"}"#;
    let request = format!(
        "POST {routes} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer t\r\n\
         Content-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    let reply = crate::support::raw_http(mock.addr(), request.as_bytes()).await;
    assert_eq!(
        reply.status,
        200,
        "{}",
        String::from_utf8_lossy(&reply.body)
    );
    let created = String::from_utf8_lossy(&reply.body).into_owned();
    assert!(created.contains("\"priority\":1.50e0"), "{created}");
    assert!(
        created.contains("\"weight\":18446744073709551617"),
        "{created}"
    );

    let get = format!(
        "GET {routes} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer t\r\nConnection: close\r\n\r\n"
    );
    let listed = crate::support::raw_http(mock.addr(), get.as_bytes()).await;
    let listed = String::from_utf8_lossy(&listed.body).into_owned();
    assert!(listed.contains("\"priority\":1.50e0"), "{listed}");
    // The answer is JSON a client reads (the numbers' values as any JSON reader sees them).
    let value: Value = serde_json::from_str(&listed).unwrap();
    assert_eq!(
        value["result"]["routes"][0]["priority"],
        json!(1.5),
        "{value}"
    );

    // Seeded telemetry, filtered by value, answered as written.
    let client = mock.client();
    let (_, connector) = create(&client, "/accounts/{account_id}/magic/connectors").await;
    let events = format!("/accounts/{ACCOUNT}/magic/connectors/{connector}/telemetry/events");
    let document = format!(
        r#"{{"path": "{events}", "objects": [{{"a": 1, "k": "Init", "n": 0, "t": 1700000000.123456789}}]}}"#
    );
    assert_eq!(mock.seed_json(&document), Ok(1));
    let get = format!(
        "GET {base}{events}?from=1700000000.1&to=1700000000.2 HTTP/1.1\r\nHost: x\r\n\
         Authorization: Bearer t\r\nConnection: close\r\n\r\n"
    );
    let reply = crate::support::raw_http(mock.addr(), get.as_bytes()).await;
    let text = String::from_utf8_lossy(&reply.body).into_owned();
    assert!(text.contains("\"t\":1700000000.123456789"), "{text}");
}

#[tokio::test]
async fn a_nested_object_the_body_leaves_short_is_completed_in_the_answer() {
    use magic_api::types::{ConnectorCreateRequest, ConnectorDeviceRequest};
    // A request's `device` may omit `id`; every answer's `device` has it, so the typed client
    // reads what the mock answers to a create from the documented example.
    let mock = MockServer::start().await;
    let client = mock.client();
    let account = magic_api::AccountId::from(ACCOUNT);
    let device = ConnectorDeviceRequest::builder()
        .serial_number("SN-1")
        .build();
    let body = ConnectorCreateRequest::builder().device(device).build();
    let created = client
        .connectors()
        .create(&account, &body)
        .await
        .expect("the created connector decodes");
    let device = created.device.expect("the connector's device");
    assert_eq!(device.serial_number.as_deref(), Some("SN-1"));
    assert!(!device.id.is_empty());
    let empty = ConnectorCreateRequest::builder()
        .device(ConnectorDeviceRequest::builder().build())
        .build();
    assert!(client.connectors().create(&account, &empty).await.is_ok());
}
