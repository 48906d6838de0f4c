//! The generated client against the stateful mock (`magic-api-mock`, default mode): typed calls
//! round-trip through its store and typed streams end. The store's own behaviour (every
//! collection's life, nesting, bulk updates, seeding) is tested with the mock, in
//! `mock/tests/`.

use magic_api::reqwest::Method;
use magic_api::{AccountId, ConnectorId, RawRequest, StreamExt};
use serde_json::Value;

use crate::mock::{self, MockServer};

const ACCOUNT: &str = "acc-stateful-test";

/// The stateful answers decode into the generated types: what a user's test sees.
#[tokio::test]
async fn typed_calls_round_trip_through_the_store() {
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

/// Telemetry pages by cursor, so a typed stream of a connector's events ends.
/// A bulk route update that sends only the field that changes leaves the others as they were
/// (the reference: "Only fields for a route that need to be changed need be provided").
#[tokio::test]
async fn a_partial_bulk_update_changes_only_what_it_sends() {
    use magic_api::types::{RouteBulkUpdateItem, RouteBulkUpdateRequest, RouteRequest};

    let mock = MockServer::start().await;
    let client = mock.client();
    let account = AccountId::from(ACCOUNT);
    let routes = client.routes();
    let request = RouteRequest::builder()
        .nexthop("203.0.113.1")
        .prefix("192.0.2.0/24")
        .priority(100)
        .build();
    let route = routes.create(&account, &request).await.unwrap();
    let change = RouteBulkUpdateItem::builder()
        .id(route.id.clone())
        .priority(200)
        .build();
    let body = RouteBulkUpdateRequest::builder().routes([change]).build();
    let modified = routes.bulk_update(&account, &body).await.unwrap();
    assert_eq!(modified.modified_routes.map(|r| r.len()), Some(1));
    let listed = routes
        .list(&account)
        .await
        .unwrap()
        .routes
        .unwrap_or_default();
    let after = listed.iter().find(|r| r.id == route.id).expect("the route");
    assert_eq!(
        (
            after.priority,
            after.prefix.as_str(),
            after.nexthop.as_str()
        ),
        (200, "192.0.2.0/24", "203.0.113.1")
    );
}

#[tokio::test]
async fn a_connectors_events_stream_to_their_end() {
    let mock = MockServer::start().await;
    let client = mock.client();
    let account = AccountId::from(ACCOUNT);
    // Created raw: the store's answer to the documented body has `device: {}`, which the
    // typed `Connector` (its device needs an `id`) does not decode.
    let create = &mock::spec_ir().operations[mock::op_index("POST", "/magic/connectors")];
    let body = create.examples.request.clone().expect("a documented body");
    let request = RawRequest::new(
        Method::POST,
        format!("/accounts/{ACCOUNT}/magic/connectors"),
    )
    .json_body(&body)
    .unwrap();
    let created = client.send_json::<Value>(request).await.unwrap().result;
    let id = ConnectorId::from(created["id"].as_str().expect("the new connector's id"));
    let list = client.connectors().events().list(&account, &id, 0, 1);
    let events: Vec<_> = list.limit(1).stream().collect().await;
    assert_eq!(events.len(), 1, "{events:?}");
    assert!(events[0].is_ok(), "{events:?}");
    let unknown = ConnectorId::from("not-a-connector");
    let err = client
        .connectors()
        .events()
        .list(&account, &unknown, 0, 1)
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(404));
}
