//! The stateful mock (default mode): one generated case per collection the IR has, each
//! driven by the reference's own documented request bodies: create → the list contains it →
//! get → update → get shows the change → delete → get is 404. Also the helpers the other
//! stateful tests (`store`) share: raw calls on concrete paths and creating an object with its
//! parents.

use magic_api::reqwest::Method as HttpMethod;
use magic_api::{Client, Error, RawRequest, StreamExt};
use magic_api_mock::{self as mock, MockServer};
use magic_api_model::{Ir, Method, Operation, Ty, TypeBody};
use serde_json::{Value, json};

pub const ACCOUNT: &str = "acc-stateful-test";
pub const CHANGED: &str = "changed by the stateful test";

pub fn ir() -> &'static Ir {
    mock::spec_ir()
}

pub fn op(method: Method, path: &str) -> Option<&'static Operation> {
    ir().operations
        .iter()
        .find(|o| o.method == method && o.path == path)
}

/// The item parameter of a collection (`{lan_id}`), from the operations under it.
pub fn item_param(collection: &str) -> Option<String> {
    ir().operations.iter().find_map(|o| {
        let rest = o.path.strip_prefix(collection)?.strip_prefix("/{")?;
        let name = rest.strip_suffix('}')?;
        (!name.contains('/')).then(|| name.to_owned())
    })
}

/// The concrete path of a template, parameters taken from `values`.
pub fn concrete(template: &str, values: &[(String, String)]) -> String {
    let mut out = template.replace("{account_id}", ACCOUNT);
    for (name, value) in values {
        out = out.replace(&format!("{{{name}}}"), value);
    }
    out
}

pub fn http(method: Method) -> HttpMethod {
    HttpMethod::from_bytes(method.as_str().as_bytes()).expect("HTTP method")
}

pub async fn send(
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

pub async fn download(client: &Client, path: String) -> Result<Vec<u8>, Error> {
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
pub fn find_id(value: &Value, field: &str) -> Option<String> {
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
pub fn find_object<'v>(value: &'v Value, field: &str, id: &str) -> Option<&'v Value> {
    match value {
        Value::Object(map) if map.get(field).and_then(Value::as_str) == Some(id) => Some(value),
        Value::Object(map) => map.values().find_map(|v| find_object(v, field, id)),
        Value::Array(items) => items.iter().find_map(|v| find_object(v, field, id)),
        _ => None,
    }
}

/// The id field of a collection's objects: the item parameter where the documented objects
/// carry it (`account_app_id`), else `id`.
pub fn id_field(collection: &str) -> String {
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
pub async fn create(client: &Client, collection: &str) -> (Vec<(String, String)>, String) {
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
