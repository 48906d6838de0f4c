//! The stateful mock beyond one collection's life: nested collections go with their parent,
//! `validate_only` persists nothing, bulk route updates change all or none, PCAPs move through
//! their states, a seeded mock starts with the documented objects and pages with
//! `result_info`, and refusals look like Cloudflare's.

use magic_api::reqwest::Method as HttpMethod;
use magic_api::{Client, RawRequest};
use magic_api_mock::{self as mock, MockServer};
use magic_api_model::Method;
use serde_json::{Value, json};

use crate::crud::{
    ACCOUNT, CHANGED, concrete, create, download, find_id, find_object, ir, op, send,
};

#[tokio::test]
async fn nested_objects_go_with_their_parent() {
    let mock = MockServer::start().await;
    let client = mock.client();
    let lans = "/accounts/{account_id}/magic/sites/{site_id}/lans";
    let (values, lan_id) = create(&client, lans).await;
    let site_id = values[0].1.clone();
    let lan_path = concrete(
        &format!("{lans}/{{lan_id}}"),
        &[
            ("site_id".into(), site_id.clone()),
            ("lan_id".into(), lan_id),
        ],
    );
    send(&client, Method::Get, &lan_path, None).await.unwrap();
    // An update keeps the LAN on its site (path fields come from the path, not the body).
    let mut rename = op(Method::Put, &format!("{lans}/{{lan_id}}"))
        .and_then(|o| o.examples.request.clone())
        .unwrap_or(json!({}));
    rename["name"] = json!("renamed");
    let updated = send(&client, Method::Put, &lan_path, Some(&rename))
        .await
        .unwrap();
    assert_eq!(updated["name"], json!("renamed"), "{updated}");
    assert_eq!(updated["site_id"], json!(site_id), "{updated}");
    let site_path = format!("/accounts/{ACCOUNT}/magic/sites/{site_id}");
    send(&client, Method::Delete, &site_path, None)
        .await
        .unwrap();
    for path in [lan_path, format!("{site_path}/lans")] {
        let err = send(&client, Method::Get, &path, None).await.unwrap_err();
        assert_eq!(err.status(), Some(404), "{path}");
    }
    // The 404s are answers to well-formed requests, not refusals of malformed ones.
    let requests = mock.requests();
    assert!(requests.iter().all(|r| r.well_formed()), "{requests:?}");
    assert_eq!(requests.iter().filter(|r| r.rejection.is_some()).count(), 2);
    // Another account's collection is apart.
    let other = "/accounts/another-account/magic/sites";
    assert_eq!(
        send(&client, Method::Get, other, None).await.unwrap(),
        json!([])
    );
}

#[tokio::test]
async fn validate_only_persists_nothing() {
    let mock = MockServer::start().await;
    let client = mock.client();
    let template = "/accounts/{account_id}/magic/gre_tunnels";
    let tunnels = concrete(template, &[]);
    let body = op(Method::Post, template)
        .and_then(|o| o.examples.request.clone())
        .expect("documented body");
    let request = RawRequest::new(HttpMethod::POST, tunnels.clone())
        .query("validate_only", "true")
        .json_body(&body)
        .unwrap();
    let answered = client.send_json::<Value>(request).await.unwrap().result;
    assert!(find_id(&answered, "id").is_some(), "{answered}");
    let listed = send(&client, Method::Get, &tunnels, None).await.unwrap();
    assert_eq!(listed["gre_tunnels"], json!([]), "{listed}");
}

#[tokio::test]
async fn routes_update_and_delete_in_bulk_and_unknown_ids_change_nothing() {
    let mock = MockServer::start().await;
    let client = mock.client();
    let routes = "/accounts/{account_id}/magic/routes";
    let (_, a) = create(&client, routes).await;
    let (_, b) = create(&client, routes).await;
    let path = concrete(routes, &[]);
    let update = json!({"routes": [
        {"id": a, "prefix": "192.0.2.0/24", "nexthop": "203.0.113.1", "priority": 7},
        {"id": b, "prefix": "192.0.2.0/24", "nexthop": "203.0.113.1", "priority": 8},
    ]});
    let modified = send(&client, Method::Put, &path, Some(&update))
        .await
        .unwrap();
    assert_eq!(
        modified["modified_routes"].as_array().map(Vec::len),
        Some(2),
        "{modified}"
    );
    let listed = send(&client, Method::Get, &path, None).await.unwrap();
    assert_eq!(
        find_object(&listed, "id", &a).unwrap()["priority"],
        json!(7)
    );

    let unknown = json!({"routes": [
        {"id": a, "prefix": "192.0.2.0/24", "nexthop": "203.0.113.1", "priority": 1},
        {"id": "not-there", "prefix": "192.0.2.0/24", "nexthop": "203.0.113.1", "priority": 1},
    ]});
    let err = send(&client, Method::Put, &path, Some(&unknown))
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(404));
    let listed = send(&client, Method::Get, &path, None).await.unwrap();
    assert_eq!(
        find_object(&listed, "id", &a).unwrap()["priority"],
        json!(7)
    );

    // An id listed twice is one route, changed once.
    let twice = json!({"routes": [
        {"id": a, "prefix": "192.0.2.0/24", "nexthop": "203.0.113.1", "priority": 9},
        {"id": a, "prefix": "192.0.2.0/24", "nexthop": "203.0.113.1", "priority": 9},
    ]});
    let modified = send(&client, Method::Put, &path, Some(&twice))
        .await
        .unwrap();
    assert_eq!(
        modified["modified_routes"].as_array().map(Vec::len),
        Some(1)
    );

    // The reference's bulk delete sends no body, so it names no routes and deletes none.
    let deleted = send(&client, Method::Delete, &path, None).await.unwrap();
    assert_eq!(deleted["deleted_routes"], json!([]), "{deleted}");
    let listed = send(&client, Method::Get, &path, None).await.unwrap();
    assert_eq!(
        listed["routes"].as_array().map(Vec::len),
        Some(2),
        "{listed}"
    );
}

#[tokio::test]
async fn pcaps_move_through_their_states_and_download() {
    let mock = MockServer::start().await;
    let client = mock.client();
    let pcaps = "/accounts/{account_id}/pcaps";
    let (_, id) = create(&client, pcaps).await;
    let path = format!("/accounts/{ACCOUNT}/pcaps/{id}");
    let mut seen = Vec::new();
    for _ in 0..4 {
        let pcap = send(&client, Method::Get, &path, None).await.unwrap();
        seen.push(pcap["status"].as_str().unwrap_or_default().to_owned());
    }
    assert_eq!(seen, ["running", "success", "success", "success"]);
    let bytes = download(&client, format!("{path}/download")).await.unwrap();
    assert_eq!(bytes, mock::pcap_bytes());
    let missing = format!("/accounts/{ACCOUNT}/pcaps/0123456789abcdef0123456789abcdef/download");
    let err = download(&client, missing).await.unwrap_err();
    assert_eq!(err.status(), Some(404));
}

#[tokio::test]
async fn seeded_mock_starts_with_the_documented_objects_and_pages() {
    let mock = MockServer::builder().seed_examples().start().await.unwrap();
    let client = mock.client();
    // Interconnects have no create: seeded objects are read and updated.
    let interconnects = format!("/accounts/{ACCOUNT}/magic/cf_interconnects");
    let listed = send(&client, Method::Get, &interconnects, None)
        .await
        .unwrap();
    let id = find_id(&listed, "id").expect("a seeded interconnect");
    let item = format!("{interconnects}/{id}");
    let update = op(
        Method::Put,
        "/accounts/{account_id}/magic/cf_interconnects/{cf_interconnect_id}",
    )
    .and_then(|o| o.examples.request.clone())
    .unwrap_or(json!({}));
    let mut update = update;
    update["description"] = json!(CHANGED);
    send(&client, Method::Put, &item, Some(&update))
        .await
        .unwrap();
    let read = send(&client, Method::Get, &item, None).await.unwrap();
    assert_eq!(
        read["interconnect"]["description"],
        json!(CHANGED),
        "{read}"
    );

    // Page-numbered lists page with result_info.
    let pcaps = "/accounts/{account_id}/pcaps";
    for _ in 0..2 {
        create(&client, pcaps).await;
    }
    let request = RawRequest::new(HttpMethod::GET, concrete(pcaps, &[]))
        .query("page", "2")
        .query("per_page", "1");
    let page = client.send_json::<Value>(request).await.unwrap();
    assert_eq!(page.result.as_array().map(Vec::len), Some(1));
    let info = page.result_info.expect("result_info");
    assert_eq!(
        (info.page, info.per_page, info.count),
        (Some(2), Some(1), Some(1))
    );
    let seeded = ir()
        .operations
        .iter()
        .find(|o| o.method == Method::Get && o.path == pcaps);
    let documented = seeded
        .and_then(|o| o.examples.response.as_ref())
        .and_then(|r| r["result"].as_array().map(Vec::len))
        .unwrap_or(0) as u64;
    assert_eq!(info.total_count, Some(documented + 2));
}

/// Refusals look like Cloudflare's: status, `errors[].code`, `message` and, for a body value,
/// `source.pointer`.
#[tokio::test]
async fn invalid_bodies_get_cloudflare_shaped_errors_with_a_pointer() {
    let mock = MockServer::start().await;
    let client = mock.client();
    let sites = concrete("/accounts/{account_id}/magic/sites", &[]);
    let cases = [
        (json!({"name": 5}), "/name"),
        (json!({"description": "no name"}), "/name"),
        (
            json!({"name": "s", "location": {"lat": 1}}),
            "/location/lat",
        ),
    ];
    for (body, pointer) in cases {
        let err = send(&client, Method::Post, &sites, Some(&body))
            .await
            .unwrap_err();
        assert_eq!(err.status(), Some(400), "{body}");
        let error = &err.api_errors()[0];
        assert_eq!(error.code, mock::code::BODY_SCHEMA, "{body}");
        let sent = error.source.as_ref().and_then(|s| s.pointer.as_deref());
        assert_eq!(sent, Some(pointer), "{body}: {}", error.message);
    }
    // Malformed JSON and a missing token.
    let raw = RawRequest::new(HttpMethod::POST, sites.clone()).json_bytes(b"{\"name\":".to_vec());
    let err = client.send_json::<Value>(raw).await.unwrap_err();
    assert_eq!(err.api_errors()[0].code, mock::code::BODY_JSON);
    let anonymous = Client::builder(magic_api::Credentials::api_token(" "))
        .base_url(mock.base_url())
        .build()
        .unwrap();
    let err = send(&anonymous, Method::Get, &sites, None)
        .await
        .unwrap_err();
    assert_eq!(
        (err.status(), err.api_errors()[0].code),
        (Some(401), mock::code::AUTH)
    );
    // An unknown enum value in a body (health-check rates are `low`, `mid`, `high`).
    let gre = "/accounts/{account_id}/magic/gre_tunnels";
    let mut body = op(Method::Post, gre)
        .and_then(|o| o.examples.request.clone())
        .unwrap();
    body["health_check"] = json!({"rate": "sometimes"});
    let err = send(&client, Method::Post, &concrete(gre, &[]), Some(&body))
        .await
        .unwrap_err();
    let error = &err.api_errors()[0];
    assert_eq!(
        (err.status(), error.code),
        (Some(400), mock::code::BODY_SCHEMA)
    );
    let pointer = error.source.as_ref().and_then(|s| s.pointer.as_deref());
    assert_eq!(pointer, Some("/health_check/rate"), "{}", error.message);
}
