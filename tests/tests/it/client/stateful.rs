//! The stateful mock (`magic-api-mock`, default mode) through the client: one generated case
//! per collection the IR has, each driven by the reference's own documented request bodies:
//! create → the list contains it → get → update → get shows the change → delete → get is
//! 404. Nested collections go with their parent; `validate_only` persists nothing; PCAPs move
//! through their states; page-numbered lists page with `result_info`.

use codegen::ir::{Ir, Method, Operation, Ty, TypeBody};
use magic_api::reqwest::Method as HttpMethod;
use magic_api::{Client, Error, RawRequest, StreamExt};
use serde_json::{Value, json};

use crate::mock::{self, MockServer};

const ACCOUNT: &str = "acc-stateful-test";
const CHANGED: &str = "changed by the stateful test";

fn ir() -> &'static Ir {
    mock::spec_ir()
}

fn op(method: Method, path: &str) -> Option<&'static Operation> {
    ir().operations
        .iter()
        .find(|o| o.method == method && o.path == path)
}

/// The item parameter of a collection (`{lan_id}`), from the operations under it.
fn item_param(collection: &str) -> Option<String> {
    ir().operations.iter().find_map(|o| {
        let rest = o.path.strip_prefix(collection)?.strip_prefix("/{")?;
        let name = rest.strip_suffix('}')?;
        (!name.contains('/')).then(|| name.to_owned())
    })
}

/// The concrete path of a template, parameters taken from `values`.
fn concrete(template: &str, values: &[(String, String)]) -> String {
    let mut out = template.replace("{account_id}", ACCOUNT);
    for (name, value) in values {
        out = out.replace(&format!("{{{name}}}"), value);
    }
    out
}

fn http(method: Method) -> HttpMethod {
    HttpMethod::from_bytes(method.as_str().as_bytes()).expect("HTTP method")
}

async fn send(
    client: &Client,
    method: Method,
    path: &str,
    body: Option<&Value>,
) -> Result<Value, Error> {
    let mut request = RawRequest::new(http(method), path.to_owned());
    if let Some(body) = body {
        request = request.json_body(body)?;
    }
    client
        .send_json::<Value>(request)
        .await
        .map(|response| response.result)
}

async fn download(client: &Client, path: String) -> Result<Vec<u8>, Error> {
    let mut stream = client
        .send_download(RawRequest::new(HttpMethod::GET, path))
        .await?;
    let mut out = Vec::new();
    while let Some(chunk) = stream.next().await {
        out.extend_from_slice(&chunk?);
    }
    Ok(out)
}

/// The first object, depth first, whose `field` is a string; and that string.
fn find_id(value: &Value, field: &str) -> Option<String> {
    match value {
        Value::Object(map) => map
            .get(field)
            .and_then(Value::as_str)
            .map(str::to_owned)
            .or_else(|| map.values().find_map(|v| find_id(v, field))),
        Value::Array(items) => items.iter().find_map(|v| find_id(v, field)),
        _ => None,
    }
}

/// The object, anywhere in `value`, whose `field` is `id`.
fn find_object<'v>(value: &'v Value, field: &str, id: &str) -> Option<&'v Value> {
    match value {
        Value::Object(map) if map.get(field).and_then(Value::as_str) == Some(id) => Some(value),
        Value::Object(map) => map.values().find_map(|v| find_object(v, field, id)),
        Value::Array(items) => items.iter().find_map(|v| find_object(v, field, id)),
        _ => None,
    }
}

/// The id field of a collection's objects: the item parameter where the documented objects
/// carry it (`account_app_id`), else `id`.
fn id_field(collection: &str) -> String {
    let param = item_param(collection);
    let documented = op(Method::Get, collection)
        .and_then(|o| o.examples.response.as_ref())
        .map(|r| r.to_string())
        .unwrap_or_default();
    match param {
        Some(p) if documented.contains(&format!("\"{p}\"")) => p,
        _ => "id".to_owned(),
    }
}

/// The parent collection of a nested one and the parameter naming the parent object.
fn parent(collection: &str) -> Option<(&'static str, String)> {
    COLLECTIONS.iter().copied().find_map(|p| {
        let param = item_param(p)?;
        let prefix = format!("{p}/{{{param}}}/");
        (collection.starts_with(&prefix) && collection != p).then_some((p, param))
    })
}

/// A top-level field of `body` to change, and its new value: free text where there is some
/// (`description`, `name`), else a number (`priority`), else a boolean.
fn changeable(body: &Value) -> Option<(String, Value)> {
    let map = body.as_object()?;
    let text = ["description", "name"]
        .iter()
        .find(|k| map.get(**k).is_some_and(Value::is_string))
        .map(|k| ((*k).to_owned(), json!(CHANGED)));
    let number = || {
        map.iter()
            .find(|(_, v)| v.is_number())
            .map(|(k, v)| (k.clone(), json!(v.as_i64().unwrap_or(0) + 1)))
    };
    let flag = || {
        map.iter()
            .find(|(_, v)| v.is_boolean())
            .map(|(k, v)| (k.clone(), json!(!v.as_bool().unwrap_or(false))))
    };
    text.or_else(number).or_else(flag)
}

/// A plain-text field the operation's body type declares (for a documented body of `{}`).
fn text_field(op: &Operation) -> Option<String> {
    let Ty::Ref { id } = &op.body.as_ref()?.ty else {
        return None;
    };
    let TypeBody::Object { fields } = &ir().def(id)?.body else {
        return None;
    };
    fields
        .iter()
        .find(|f| f.ty == Ty::String)
        .map(|f| f.name.clone())
}

/// Creates one object in `collection` (its parents first) from the documented create body;
/// returns the path values naming it and its id.
async fn create(client: &Client, collection: &str) -> (Vec<(String, String)>, String) {
    let mut values = Vec::new();
    if let Some((parent_collection, param)) = parent(collection) {
        let (parent_values, parent_id) = Box::pin(create(client, parent_collection)).await;
        values = parent_values;
        values.push((param, parent_id));
    }
    let post = op(Method::Post, collection).expect("a create operation");
    let body = post.examples.request.clone().unwrap_or(json!({}));
    let result = send(
        client,
        Method::Post,
        &concrete(collection, &values),
        Some(&body),
    )
    .await
    .unwrap_or_else(|e| panic!("create in {collection}: {e}"));
    let id = find_id(&result, &id_field(collection))
        .unwrap_or_else(|| panic!("create in {collection} answered no id: {result}"));
    (values, id)
}

/// One collection's life: create (its parents first) → the list contains it → get → update
/// → get shows the change → delete → get is 404. A collection without a create
/// (interconnects) runs on a seeded mock from its first documented object.
async fn crud_case(collection: &str) {
    let has_create = op(Method::Post, collection).is_some();
    let mock = if has_create {
        MockServer::start().await
    } else {
        MockServer::builder().seed_examples().start().await.unwrap()
    };
    let client = mock.client();
    let field = id_field(collection);
    let (values, id) = if has_create {
        create(&client, collection).await
    } else {
        let listed = send(&client, Method::Get, &concrete(collection, &[]), None)
            .await
            .unwrap();
        (
            Vec::new(),
            find_id(&listed, &field).expect("a seeded object"),
        )
    };
    let list_path = concrete(collection, &values);
    let item = item_param(collection).expect("an item parameter");
    let mut item_values = values.clone();
    item_values.push((item.clone(), id.clone()));
    let item_template = format!("{collection}/{{{item}}}");
    let item_path = concrete(&item_template, &item_values);
    let has_get = op(Method::Get, &item_template).is_some();

    // The list contains it.
    let listed = send(&client, Method::Get, &list_path, None).await.unwrap();
    assert!(
        find_object(&listed, &field, &id).is_some(),
        "the list lacks {id}: {listed}"
    );
    // Get (where the API has one), else the list, shows it.
    let read = || async {
        let path = if has_get { &item_path } else { &list_path };
        let result = send(&client, Method::Get, path, None).await?;
        Ok::<Option<Value>, Error>(find_object(&result, &field, &id).cloned())
    };
    assert!(read().await.unwrap().is_some(), "get");

    // Update a field; the change shows.
    let update = op(Method::Put, &item_template).or_else(|| op(Method::Patch, &item_template));
    if let Some(update) = update {
        let mut body = update.examples.request.clone().unwrap_or(json!({}));
        let (key, value) = changeable(&body)
            .or_else(|| text_field(update).map(|k| (k, json!(CHANGED))))
            .expect("the update body has a field to change");
        body[&key] = value.clone();
        send(&client, update.method, &item_path, Some(&body))
            .await
            .unwrap_or_else(|e| panic!("update: {e}"));
        let after = read().await.unwrap().expect("still there");
        assert_eq!(after[&key], value, "the update shows: {after}");
    }

    // Delete; then it is gone (a 404 from get, or absent from the list).
    if op(Method::Delete, &item_template).is_some() {
        send(&client, Method::Delete, &item_path, None)
            .await
            .unwrap_or_else(|e| panic!("delete: {e}"));
        if has_get {
            let err = send(&client, Method::Get, &item_path, None)
                .await
                .unwrap_err();
            assert_eq!(err.status(), Some(404), "get after delete");
        } else {
            assert_eq!(read().await.unwrap(), None, "deleted");
        }
    }
}

/// One test per collection, and the list the mock must derive.
macro_rules! crud_cases {
    ($($name:ident => $path:literal,)*) => {
        /// The collections the mock derives from the IR. Listed here so that a change to the
        /// derivation fails a test instead of silently running fewer cases.
        const COLLECTIONS: &[&str] = &[$($path),*];
        $(
            #[tokio::test]
            async fn $name() {
                crud_case($path).await;
            }
        )*
    };
}

crud_cases! {
    apps_crud => "/accounts/{account_id}/magic/apps",
    cf_interconnects_crud => "/accounts/{account_id}/magic/cf_interconnects",
    connectors_crud => "/accounts/{account_id}/magic/connectors",
    gre_tunnels_crud => "/accounts/{account_id}/magic/gre_tunnels",
    ipsec_tunnels_crud => "/accounts/{account_id}/magic/ipsec_tunnels",
    routes_crud => "/accounts/{account_id}/magic/routes",
    sites_crud => "/accounts/{account_id}/magic/sites",
    site_acls_crud => "/accounts/{account_id}/magic/sites/{site_id}/acls",
    site_app_configs_crud => "/accounts/{account_id}/magic/sites/{site_id}/app_configs",
    site_lans_crud => "/accounts/{account_id}/magic/sites/{site_id}/lans",
    site_wans_crud => "/accounts/{account_id}/magic/sites/{site_id}/wans",
    pcaps_crud => "/accounts/{account_id}/pcaps",
    pcap_ownership_crud => "/accounts/{account_id}/pcaps/ownership",
}

#[tokio::test]
async fn the_mock_derives_exactly_these_collections() {
    let mock = MockServer::start().await;
    assert_eq!(mock.collections(), COLLECTIONS);
}

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

/// The stateful answers decode into the generated types: what a user's test sees.
#[tokio::test]
async fn typed_calls_round_trip_through_the_store() {
    use magic_api::AccountId;
    use magic_api::types::{
        GreTunnelCreateRequest, GreTunnelUpdateRequest, LanCreateRequest, PcapSimpleRequest,
        PcapStatus, SiteCreateRequest,
    };

    let mock = MockServer::start().await;
    let client = mock.client();
    let account = AccountId::from(ACCOUNT);
    let gre = client.gre_tunnels();
    let request = GreTunnelCreateRequest::builder()
        .name("gre-1")
        .cloudflare_gre_endpoint("203.0.113.1")
        .customer_gre_endpoint("203.0.113.2")
        .interface_address("192.0.2.0/31")
        .mtu(1476)
        .build();
    let created = gre.create(&account, &request).await.unwrap();
    assert_eq!((created.name.as_str(), created.mtu), ("gre-1", Some(1476)));
    // The store keeps the API's timestamps.
    assert!(created.created_on.is_some() && created.modified_on.is_some());
    let read = gre.get(&account, &created.id).await.unwrap();
    assert_eq!(read.gre_tunnel.map(|t| t.id), Some(created.id.clone()));
    let change = GreTunnelUpdateRequest::builder()
        .name("gre-1")
        .cloudflare_gre_endpoint("203.0.113.1")
        .customer_gre_endpoint("203.0.113.9")
        .interface_address("192.0.2.0/31")
        .build();
    let updated = gre.update(&account, &created.id, &change).await.unwrap();
    let modified = updated.modified_gre_tunnel.expect("the modified tunnel");
    assert_eq!(modified.customer_gre_endpoint, "203.0.113.9");
    let listed = gre
        .list(&account)
        .await
        .unwrap()
        .gre_tunnels
        .unwrap_or_default();
    assert_eq!(listed.len(), 1);
    gre.delete(&account, &created.id).await.unwrap();
    let err = gre.get(&account, &created.id).await.unwrap_err();
    assert_eq!(err.status(), Some(404));

    // A site and a LAN on it: the LAN's `site_id` is the site's.
    let site = SiteCreateRequest::builder().name("branch").build();
    let site = client.sites().create(&account, &site).await.unwrap();
    let site_id = site.id.expect("a site id");
    let lan = LanCreateRequest::builder()
        .physport(1)
        .name("lan-1")
        .build();
    let lans = client
        .sites()
        .lans()
        .create(&account, &site_id, &lan)
        .await
        .unwrap();
    assert_eq!(lans.len(), 1);
    assert_eq!(lans[0].site_id.as_ref(), Some(&site_id));
    assert!(
        lans[0].static_addressing.is_none(),
        "only what was sent, and what is required"
    );

    // A PCAP is polled until it succeeds.
    let pcap = PcapSimpleRequest::builder()
        .packet_limit(100)
        .time_limit(30)
        .build();
    let pcap = client.pcaps().create(&account, &pcap.into()).await.unwrap();
    let id = pcap.id().expect("a PCAP id").clone();
    let mut polls = 0;
    while client.pcaps().get(&account, &id).await.unwrap().status() != Some(&PcapStatus::Success) {
        polls += 1;
        assert!(polls < 5, "the PCAP never finished");
    }
    assert_eq!(polls, 1, "pending, then running, then success");
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

/// Telemetry pages by cursor, so a typed stream of a connector's events ends.
#[tokio::test]
async fn a_connectors_events_stream_to_their_end() {
    let mock = MockServer::start().await;
    let client = mock.client();
    let (_, id) = create(&client, "/accounts/{account_id}/magic/connectors").await;
    let account = magic_api::AccountId::from(ACCOUNT);
    let connector = magic_api::ConnectorId::from(id.as_str());
    let list = client
        .connectors()
        .events()
        .list(&account, &connector, 0, 1);
    let events: Vec<_> = list.limit(1).stream().collect().await;
    assert_eq!(events.len(), 1, "{events:?}");
    assert!(events[0].is_ok(), "{events:?}");
    let unknown = magic_api::ConnectorId::from("not-a-connector");
    let err = client
        .connectors()
        .events()
        .list(&account, &unknown, 0, 1)
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(404));
}
