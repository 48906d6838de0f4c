//! The generated types against the spec's own examples: typed assertions on the hard cases, and
//! forward compatibility (unknown fields, enum values and event kinds decode, stay inspectable
//! and re-encode unchanged).

use crate::examples;

use magic_api::Number;
use magic_api::types::*;
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Value, json};

fn result_of(method: &str, path_suffix: &str) -> Value {
    let ir = examples::ir();
    let op = ir
        .operations
        .iter()
        .find(|o| o.method.as_str() == method && o.path.ends_with(path_suffix))
        .unwrap_or_else(|| panic!("{method} …{path_suffix}"));
    op.examples.response.as_ref().unwrap()["result"].clone()
}

fn decode<T: DeserializeOwned>(v: &Value) -> T {
    serde_json::from_value(v.clone()).unwrap_or_else(|e| panic!("decode: {e}\n{v}"))
}

fn round_trips<T: DeserializeOwned + Serialize>(v: &Value) -> T {
    let typed: T = decode(v);
    assert_eq!(
        &serde_json::to_value(&typed).unwrap(),
        v,
        "re-encoding changed the value"
    );
    typed
}

#[test]
fn get_event_decodes_to_the_init_kind() {
    let v = result_of("GET", "/events/{event_t}.{event_n}");
    let event: EventGetResponse = round_trips(&v);
    assert!(matches!(event.e, ConnectorEvent::Init(_)), "{:?}", event.e);
    assert_eq!(event.e.kind(), EventKind::Init);
    assert_eq!(event.n, v["n"].as_i64().unwrap());
}

#[test]
fn interconnect_target_is_the_object_form() {
    let v = result_of("GET", "/cf_interconnects/{cf_interconnect_id}");
    let got: CfInterconnectGetResponse = round_trips(&v);
    let target = got
        .interconnect
        .unwrap()
        .health_check
        .unwrap()
        .target
        .unwrap();
    let HealthCheckTarget::Object(object) = target else {
        panic!("expected the object form, got {target:?}")
    };
    assert_eq!(object.saved.as_deref(), Some("203.0.113.1"));
}

#[test]
fn string_target_is_the_string_form() {
    let target: HealthCheckTarget = round_trips(&json!("203.0.113.1"));
    assert_eq!(target, HealthCheckTarget::String("203.0.113.1".into()));
}

#[test]
fn pcaps_decode_by_best_fit_simple_and_full() {
    // Every PCAP example in the reference is a simple capture; a full one is built from it by
    // adding the fields only the full shape declares.
    let simple = result_of("POST", "/pcaps");
    let decoded: Pcap = round_trips(&simple);
    assert!(matches!(decoded, Pcap::Simple(_)), "{decoded:?}");
    let mut full = simple.clone();
    full["type"] = json!("full");
    full["byte_limit"] = json!(500000);
    full["colo_name"] = json!("ord02");
    full["destination_conf"] = json!("s3://pcaps-bucket?region=us-east-1");
    full["packets_captured"] = json!(10000);
    full["stop_requested"] = json!("2020-01-01T08:00:00Z");
    let full: Pcap = round_trips(&full);
    assert!(matches!(full, Pcap::Full(_)), "{full:?}");

    let request = json!({"system": "magic-transit", "time_limit": 300, "type": "simple", "packet_limit": 10000});
    let decoded: PcapCreateRequest = round_trips(&request);
    assert!(
        matches!(decoded, PcapCreateRequest::Simple(_)),
        "{decoded:?}"
    );
    let full_request = json!({"colo_name": "ord02", "destination_conf": "s3://b", "system": "magic-transit", "time_limit": 300, "type": "full", "byte_limit": 1000});
    let decoded: PcapCreateRequest = round_trips(&full_request);
    assert!(matches!(decoded, PcapCreateRequest::Full(_)), "{decoded:?}");
}

#[test]
fn apps_are_told_apart_by_their_id_field() {
    let list = result_of("GET", "/magic/apps");
    let apps: Vec<App> = round_trips(&list);
    assert!(matches!(apps[0], App::Account(_)), "{:?}", apps[0]);
    let managed: App = round_trips(&json!({"managed_app_id": "m", "name": "n"}));
    assert!(matches!(managed, App::Managed(_)));
    let configs: Vec<AppConfig> = round_trips(&result_of("GET", "/app_configs"));
    assert!(
        matches!(configs[0], AppConfig::Account(_)),
        "{:?}",
        configs[0]
    );
}

#[test]
fn numbers_keep_their_spelling_and_integers_accept_whole_spellings() {
    let snapshot = result_of("GET", "/snapshots/{snapshot_t}");
    let typed: SnapshotGetResponse = round_trips(&snapshot);
    let encoded = serde_json::to_string(&typed).unwrap();
    assert!(
        !encoded.contains(".0,"),
        "an integral number was re-encoded as a float"
    );
    // Decoded from text, as the client does: every spelling comes back as written.
    let mut text = serde_json::to_string(&snapshot).unwrap();
    for (field, spelling) in [
        ("cpu_pressure_10s", "12.5"),
        ("t", "1.7e9"),
        ("count_reclaim_failures", "3.0"),
    ] {
        let old = format!("\"{field}\":{}", snapshot[field]);
        assert!(text.contains(&old), "{old}");
        text = text.replace(&old, &format!("\"{field}\":{spelling}"));
    }
    let typed: SnapshotGetResponse = serde_json::from_str(&text).unwrap();
    assert_eq!(
        typed.cpu_pressure_10s.as_ref().map(Number::as_f64),
        Some(12.5)
    );
    assert_eq!(typed.t.to_string(), "1.7e9");
    assert_eq!(typed.t.as_i64(), Some(1_700_000_000));
    let back = serde_json::to_string(&typed).unwrap();
    assert!(
        back.contains("\"t\":1.7e9") && back.contains("\"cpu_pressure_10s\":12.5"),
        "{back}"
    );

    // An integer field (`mtu`, reviewed in spec/refinements.toml) takes `1476.0` and `1.476e3`
    // as 1476, and names itself when it gets a fraction.
    let tunnel = result_of("GET", "/gre_tunnels/{gre_tunnel_id}");
    for spelling in ["1476.0", "1.476e3"] {
        let text = serde_json::to_string(&tunnel)
            .unwrap()
            .replace("\"mtu\":0", &format!("\"mtu\":{spelling}"));
        let typed: GreTunnelGetResponse = serde_json::from_str(&text).unwrap();
        assert_eq!(typed.gre_tunnel.unwrap().mtu, Some(1476), "{spelling}");
    }
    let text = serde_json::to_string(&tunnel)
        .unwrap()
        .replace("\"mtu\":0", "\"mtu\":1476.5");
    let err = serde_json::from_str::<GreTunnelGetResponse>(&text)
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("1476.5") && err.contains("whole number"),
        "{err}"
    );
}

#[test]
fn unknown_fields_are_kept_and_re_encoded() {
    let mut v = result_of("GET", "/gre_tunnels/{gre_tunnel_id}");
    v["gre_tunnel"]["brand_new_field"] = json!({"nested": [1, 2, 3]});
    v["also_new"] = json!(true);
    let got: GreTunnelGetResponse = round_trips(&v);
    assert_eq!(got.extra["also_new"], json!(true));
    assert_eq!(
        got.gre_tunnel.unwrap().extra["brand_new_field"].to_value()["nested"][2],
        json!(3)
    );
}

#[test]
fn unknown_enum_values_are_kept() {
    let mut v = result_of("GET", "/gre_tunnels/{gre_tunnel_id}");
    v["gre_tunnel"]["health_check"]["rate"] = json!("hyper");
    let got: GreTunnelGetResponse = round_trips(&v);
    let rate = got.gre_tunnel.unwrap().health_check.unwrap().rate.unwrap();
    assert_eq!(rate, HealthCheckRate::Other("hyper".into()));
    assert_eq!(rate.as_str(), "hyper");
    assert_eq!(HealthCheckRate::from("mid"), HealthCheckRate::Mid);
}

#[test]
fn unknown_event_kinds_are_kept_whole() {
    let mut v = result_of("GET", "/events/{event_t}.{event_n}");
    v["e"] = json!({"k": "Teleport", "destination": "moon", "at": 3});
    let got: EventGetResponse = round_trips(&v);
    let ConnectorEvent::Unknown(object) = &got.e else {
        panic!("{:?}", got.e)
    };
    assert_eq!(object["destination"], json!("moon"));
    assert_eq!(got.e.kind(), EventKind::Other("Teleport".into()));
    let upgrade: ConnectorEvent = round_trips(&json!({"k": "StartUpgrade", "url": "https://x"}));
    let ConnectorEvent::StartUpgrade(start) = &upgrade else {
        panic!("{upgrade:?}")
    };
    assert_eq!(start.url, "https://x");
}

#[test]
fn list_items_and_the_k_filter_share_event_kind() {
    let items: EventListResponse = round_trips(&result_of("GET", "/telemetry/events"));
    let kind: &EventKind = &items.items[0].k;
    // The list example sends the placeholder "k": an open enum keeps it.
    assert_eq!(kind, &EventKind::Other("k".into()));
    assert_eq!(EventKind::from("StartUpgrade"), EventKind::StartUpgrade);
}

#[test]
fn builders_set_fields_by_name_and_take_plain_values() {
    let body = GreTunnelCreateRequest::builder()
        .name("tunnel")
        .cloudflare_gre_endpoint("203.0.113.1")
        .interface_address("10.0.0.0/31")
        .customer_gre_endpoint("203.0.113.2")
        .mtu(1476)
        .health_check(
            TunnelHealthCheck::builder()
                .rate(HealthCheckRate::Low)
                .build(),
        )
        .extra("future_field", json!(true))
        .build();
    assert_eq!(body.cloudflare_gre_endpoint, "203.0.113.1");
    assert_eq!(body.customer_gre_endpoint, "203.0.113.2");
    let sent = serde_json::to_value(&body).unwrap();
    assert_eq!(sent["name"], json!("tunnel"));
    assert_eq!(sent["mtu"], json!(1476));
    assert_eq!(sent["health_check"], json!({"rate": "low"}));
    assert!(
        sent.get("ttl").is_none(),
        "unset optional fields are not sent"
    );
    assert_eq!(sent["future_field"], json!(true));
    // A struct literal stays possible, with the builder for the rest.
    let literal = GreTunnelCreateRequest {
        ttl: Some(64),
        ..body.clone()
    };
    assert_eq!(serde_json::to_value(&literal).unwrap()["ttl"], json!(64));
}

#[test]
fn a_pcap_request_variant_writes_its_own_type() {
    use magic_api::types::{PcapCreateRequest, PcapFullRequest, PcapSimpleRequest};
    let simple: PcapCreateRequest = PcapSimpleRequest::builder()
        .packet_limit(10_000)
        .time_limit(300)
        .build()
        .into();
    let sent = serde_json::to_value(&simple).unwrap();
    assert_eq!(sent["type"], json!("simple"));
    assert_eq!(sent["packet_limit"], json!(10_000));
    // `system` has one possible value: the builder starts with it.
    assert_eq!(sent["system"], json!("magic-transit"));
    let full: PcapCreateRequest = PcapFullRequest::builder()
        .colo_name("ord02")
        .destination_conf("s3://pcaps-bucket?region=us-east-1")
        .time_limit(300)
        .build()
        .into();
    assert_eq!(serde_json::to_value(&full).unwrap()["type"], json!("full"));
    // Decoding reads the tag.
    let back: PcapCreateRequest = serde_json::from_value(sent).unwrap();
    assert!(matches!(back, PcapCreateRequest::Simple(_)));
}

#[test]
fn unions_are_built_from_their_alternatives() {
    let object: HealthCheckTarget = MagicHealthCheckTarget {
        saved: Some("203.0.113.50".into()),
        ..Default::default()
    }
    .into();
    assert!(matches!(object, HealthCheckTarget::Object(_)));
    let address: HealthCheckTarget = String::from("203.0.113.50").into();
    assert_eq!(
        serde_json::to_value(&address).unwrap(),
        json!("203.0.113.50")
    );
    let request: AppConfigCreateRequest = AccountAppConfigRequest::builder()
        .account_app_id("app-1")
        .build()
        .into();
    assert!(matches!(request, AppConfigCreateRequest::Account(_)));
}

#[test]
fn ids_read_from_responses_pass_to_the_next_call_as_they_are() {
    use magic_api::{AccountId, Client, Credentials};
    let site: Site = serde_json::from_value(json!({"id": "site-1", "name": "s"})).unwrap();
    let lan: Lan = serde_json::from_value(json!({"id": "lan-1", "site_id": "site-1"})).unwrap();
    assert_eq!(lan.site_id, site.id);
    let client = Client::builder(Credentials::api_token("t"))
        .base_url("http://127.0.0.1:9")
        .build()
        .unwrap();
    let account = AccountId::from("acc");
    let (Some(site_id), Some(lan_id)) = (site.id.as_ref(), lan.id.as_ref()) else {
        panic!("both decoded with ids");
    };
    let call = client.sites().lans().get(&account, site_id, lan_id);
    let request = call.request().expect("a valid request");
    assert!(
        request.path().ends_with("/sites/site-1/lans/lan-1"),
        "{}",
        request.path()
    );
    assert_eq!(*site_id, "site-1");
}

#[test]
fn a_pcap_reads_its_status_and_id_whatever_its_form() {
    let simple: Pcap = serde_json::from_value(json!({
        "id": "p1", "status": "success", "type": "simple", "system": "magic-transit",
        "time_limit": 300, "submitted": "2020-01-01T08:00:00Z"
    }))
    .unwrap();
    let full: Pcap = serde_json::from_value(json!({
        "id": "p2", "status": "pending", "type": "full", "colo_name": "ord02", "byte_limit": 1,
        "system": "magic-transit", "time_limit": 300
    }))
    .unwrap();
    assert!(matches!(simple, Pcap::Simple(_)), "{simple:?}");
    assert!(matches!(full, Pcap::Full(_)), "{full:?}");
    assert_eq!(simple.status(), Some(&PcapStatus::Success));
    assert_eq!(full.status(), Some(&PcapStatus::Pending));
    assert_eq!(full.id().map(magic_api::PcapId::as_str), Some("p2"));
    let unknown: Pcap = serde_json::from_value(json!({"zz": 1})).unwrap();
    assert_eq!(unknown.status(), None);
}

/// A secret the reference names (`[secrets]`) never reaches `Debug`, in a decoded answer or a
/// built request, while it is still decoded, sent and readable.
#[test]
fn secrets_never_print_but_stay_readable() {
    let result = result_of("POST", "/psk_generate");
    let answer: IpsecTunnelPskGenerateResponse = round_trips(&result);
    let psk = answer.psk.as_ref().expect("the example has a psk");
    let value = psk.expose().clone();
    assert!(!value.is_empty());
    assert!(!format!("{answer:?}").contains(&value), "{answer:?}");
    assert!(format!("{answer:?}").contains("Secret(<redacted>)"));

    let request = IpsecTunnelRequest::builder()
        .cloudflare_endpoint("203.0.113.1")
        .interface_address("192.0.2.0/31")
        .name("IPsec_1")
        .psk("my-pre-shared-key")
        .build();
    assert!(!format!("{request:?}").contains("my-pre-shared-key"));
    let sent = serde_json::to_value(&request).expect("encodes");
    assert_eq!(sent["psk"], "my-pre-shared-key");

    let mut documented = result_of("GET", "/connectors/{connector_id}");
    documented["license_key"] = json!("LK-123");
    let connector: Connector = decode(&documented);
    assert!(!format!("{connector:?}").contains("LK-123"));
    assert_eq!(
        connector.license_key.as_ref().map(|k| k.expose().as_str()),
        Some("LK-123")
    );
}

/// Ids print as the API spells them, padded and aligned like any string.
#[test]
fn ids_honour_width_and_alignment() {
    let site = magic_api::SiteId::from("abc");
    assert_eq!(format!("{site}"), "abc");
    assert_eq!(format!("[{site:<6}]"), "[abc   ]");
    assert_eq!(format!("[{site:>6}]"), "[   abc]");
    assert_eq!(format!("[{site:^7}]"), "[  abc  ]");
}

/// List setters take any iterable of items that convert: arrays and vectors of `&str`, or
/// owned strings from an iterator.
#[test]
fn list_setters_take_any_iterable() {
    let from_array = DhcpServer::builder()
        .dns_servers(["1.1.1.1", "8.8.8.8"])
        .build();
    let from_vec = DhcpServer::builder()
        .dns_servers(vec!["1.1.1.1", "8.8.8.8"])
        .build();
    let owned = ["1.1.1.1", "8.8.8.8"].map(String::from);
    let from_iter = DhcpServer::builder()
        .dns_servers(owned.iter().cloned())
        .build();
    let expected = Some(vec!["1.1.1.1".to_string(), "8.8.8.8".to_string()]);
    assert_eq!(from_array.dns_servers, expected);
    assert_eq!(from_vec.dns_servers, expected);
    assert_eq!(from_iter.dns_servers, expected);
}

/// A route read from the API updates in bulk with its own id: bulk items hold the id type,
/// and (`[[partial_items]]`: "Only fields for a route that need to be changed need be
/// provided") carry only what changes.
#[test]
fn a_bulk_item_takes_the_id_a_route_has_and_only_what_changes() {
    let route: Route = decode(&result_of("POST", "/magic/routes"));
    let item = RouteBulkUpdateItem::builder()
        .id(route.id.clone())
        .priority(100)
        .build();
    assert_eq!(item.id, route.id);
    assert_eq!(
        serde_json::to_value(&item).unwrap(),
        json!({"id": route.id.as_str(), "priority": 100})
    );
}

/// An app's id reads the same way for both forms, typed by its kind (`App::id()` gives an
/// `AppId`), and an app config says which app it configures the same way (`app_id()`).
#[test]
fn every_app_form_has_a_typed_id() {
    use magic_api::{AccountAppId, AppId, ManagedAppId};
    let account: App = decode(&json!({"account_app_id": "a1", "name": "mine"}));
    let managed: App = decode(&json!({"managed_app_id": "cloudflare", "name": "theirs"}));
    assert_eq!(account.id(), Some(AppId::Account(AccountAppId::from("a1"))));
    assert_eq!(
        managed.id(),
        Some(AppId::Managed(ManagedAppId::from("cloudflare")))
    );
    assert_eq!(format!("[{:<6}]", managed.id().unwrap()), "[cloudflare]");
    assert_eq!(
        account.id().map(|id| id.as_str().to_owned()).as_deref(),
        Some("a1")
    );
    let unknown: App = decode(&json!({"name": "neither"}));
    assert_eq!(unknown.id(), None);
    let config: AppConfig = decode(&json!({"id": "c1", "managed_app_id": "cloudflare"}));
    assert_eq!(
        config.app_id(),
        Some(AppId::Managed(ManagedAppId::from("cloudflare")))
    );
}
