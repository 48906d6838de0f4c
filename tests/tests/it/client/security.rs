//! Security properties of the generated client: identifiers can never change the shape of the
//! path (each is percent-encoded into exactly one segment, `.`/`..` are refused before
//! anything is sent), and the credentials never appear in `Debug` or `Display` output.

use crate::mock;
use crate::server;
use crate::setup::{self, start};

use std::pin::pin;
use std::time::Duration;

use futures_util::StreamExt;
use magic_api::types::LanRequest;
use magic_api::{
    AccountAppId, AccountId, Client, ConnectorId, Credentials, Error, LanId, PcapId, SiteId,
};
use mock::Scripted;
use serde_json::json;

use mock::op_index;

/// Identifiers that would change the path if they were pasted into it, with their encoding.
const HOSTILE: &[(&str, &str)] = &[
    ("a/b", "a%2Fb"),
    ("a?b", "a%3Fb"),
    ("a#b", "a%23b"),
    ("%2e%2e", "%252e%252e"),
    ("../x", "..%2Fx"),
    ("a b", "a%20b"),
    ("ü", "%C3%BC"),
    ("...", "..."),
];

// ---------------------------------------------------------------------------------------
// Identifiers

#[tokio::test]
async fn hostile_ids_reach_the_server_as_one_segment_each() {
    let (mock, client) = start().await;
    let get = op_index("GET", "/magic/sites/{site_id}/lans/{lan_id}");
    let update = op_index("PUT", "/magic/sites/{site_id}/lans/{lan_id}");
    let download = op_index("GET", "/pcaps/{pcap_id}/download");
    for &(raw, encoded) in HOSTILE {
        let (a, s, l) = (AccountId::from(raw), SiteId::from(raw), LanId::from(raw));

        // The path is built (and visible) before anything is sent.
        let call = client.sites().lans().get(&a, &s, &l);
        let expected = format!("/accounts/{encoded}/magic/sites/{encoded}/lans/{encoded}");
        assert_eq!(call.request().expect("builds").path(), expected, "{raw:?}");

        let lan = call.await.unwrap_or_else(|e| panic!("{raw:?}: {e}"));
        assert!(lan.id.is_some(), "{raw:?}: the documented LAN came back");
        let rec = mock.last_request().expect("sent");
        assert_eq!(rec.operation, Some(get), "{raw:?}: {}", rec.target);
        assert_eq!(rec.rejection, None, "{raw:?}");
        assert_eq!(rec.path(), format!("{}{expected}", mock.base_path()));
        assert_eq!(
            rec.query_pairs(),
            [],
            "{raw:?}: nothing leaked into the query"
        );
        for name in ["account_id", "site_id", "lan_id"] {
            assert_eq!(rec.path_param(name), Some(raw), "{raw:?}: {name}");
        }

        // A write and a download too.
        let body = LanRequest::default();
        client
            .sites()
            .lans()
            .update(&a, &s, &l, &body)
            .await
            .unwrap_or_else(|e| panic!("{raw:?}: {e}"));
        let rec = mock.last_request().unwrap();
        assert_eq!(rec.operation, Some(update), "{raw:?}: {}", rec.target);
        assert_eq!(rec.path_param("lan_id"), Some(raw));

        let pcap = PcapId::from(raw);
        let mut file = client
            .pcaps()
            .download(&a, &pcap)
            .await
            .unwrap_or_else(|e| panic!("{raw:?}: {e}"));
        let mut bytes = Vec::new();
        while let Some(chunk) = file.next().await {
            bytes.extend_from_slice(&chunk.expect("chunk"));
        }
        assert_eq!(bytes, mock::pcap_bytes());
        let rec = mock.last_request().unwrap();
        assert_eq!(rec.operation, Some(download), "{raw:?}: {}", rec.target);
        assert_eq!(rec.path_param("pcap_id"), Some(raw));
    }
}

#[tokio::test]
async fn dot_and_empty_ids_are_refused_before_sending() {
    let (mock, client) = start().await;
    let ok = AccountId::from("acc");
    for bad in [".", "..", ""] {
        let refused = |e: &Error| matches!(e, Error::InvalidRequest { .. });

        let call = client.apps().delete(&ok, &AccountAppId::from(bad));
        assert!(call.request().is_err_and(refused), "{bad:?}");
        let err = call.await.unwrap_err();
        assert!(refused(&err), "{bad:?}: {err:?}");

        let err = client.apps().list(&AccountId::from(bad)).await.unwrap_err();
        assert!(refused(&err), "{bad:?}: {err:?}");

        let lan = LanId::from(bad);
        let err = client
            .sites()
            .lans()
            .get(&ok, &SiteId::from("site"), &lan)
            .await
            .unwrap_err();
        assert!(refused(&err), "{bad:?}: {err:?}");

        let err = client
            .pcaps()
            .download(&ok, &PcapId::from(bad))
            .await
            .unwrap_err();
        assert!(refused(&err), "{bad:?}: {err:?}");

        // A stream hands the error out once, then ends.
        let conn = ConnectorId::from(bad);
        let stream = client.connectors().events().list(&ok, &conn, 0, 1).stream();
        let mut stream = pin!(stream);
        let first = stream.next().await.expect("an item");
        assert!(first.is_err_and(|e| refused(&e)), "{bad:?}");
        assert!(stream.next().await.is_none());
    }
    assert_eq!(mock.count(), 0, "nothing was sent");

    // Dots inside a longer identifier are ordinary characters.
    client
        .apps()
        .delete(&ok, &AccountAppId::from(".x."))
        .await
        .expect("sent");
    assert_eq!(
        mock.last_request().unwrap().path_param("account_app_id"),
        Some(".x.")
    );
}

// ---------------------------------------------------------------------------------------
// Credentials

const TOKEN: &str = "tok-3f9a1c7e5b2d-SECRET";
const KEY: &str = "key-9d8c7b6a5f4e-SECRET";

fn assert_hidden(what: &str, shown: &str) {
    for secret in [TOKEN, KEY, "SECRET"] {
        assert!(!shown.contains(secret), "{what} shows a secret: {shown}");
    }
}

/// `Debug` and `Display` of an error and of every error in its source chain.
fn assert_error_hidden(what: &str, err: &Error) {
    assert_hidden(what, &format!("{err:?}"));
    assert_hidden(what, &format!("{err:#?}"));
    assert_hidden(what, &err.to_string());
    let mut source = std::error::Error::source(err);
    while let Some(e) = source {
        assert_hidden(what, &e.to_string());
        assert_hidden(what, &format!("{e:?}"));
        source = e.source();
    }
}

#[tokio::test]
async fn credentials_never_appear_in_debug_or_display() {
    let mock = setup::stateless_mock().await;
    let client = setup::client_with(mock.base_url(), Credentials::api_token(TOKEN));
    let a = AccountId::from("acc");
    let list = op_index("GET", "/magic/gre_tunnels");

    // The token is really sent, so it is there to leak.
    client.gre_tunnels().list(&a).await.expect("listed");
    let rec = mock.last_request().unwrap();
    assert_eq!(
        rec.header("authorization"),
        Some(&*format!("Bearer {TOKEN}"))
    );

    assert_hidden("client", &format!("{client:?}"));
    assert_hidden("client", &format!("{client:#?}"));
    assert_hidden(
        "credentials",
        &format!("{:?}", Credentials::api_token(TOKEN)),
    );
    assert_hidden(
        "credentials",
        &format!("{:?}", Credentials::api_key("me@example.com", KEY)),
    );
    let body = magic_api::types::GreTunnelCreateRequest::builder()
        .cloudflare_gre_endpoint("1")
        .customer_gre_endpoint("2")
        .interface_address("3")
        .name("n")
        .build();
    let call = client.gre_tunnels().create(&a, &body).validate_only(true);
    assert_hidden("call", &format!("{call:?}"));
    assert_hidden("request", &format!("{:?}", call.request()));
    assert_hidden(
        "list call",
        &format!("{:?}", client.gre_tunnels().list(&a).object_targets(true)),
    );
    let download = client
        .pcaps()
        .download(&a, &PcapId::from("p"))
        .await
        .expect("download");
    assert_hidden("download", &format!("{download:?}"));

    // Every kind of error a call can end in.
    let mut errors = Vec::new();
    mock.override_once(list, Scripted::error(403, 10_000, "Authentication error"));
    errors.push(client.gre_tunnels().list(&a).await.unwrap_err());
    mock.override_once(list, Scripted::json(200, &json!({"success": false, "errors": [{"code": 9109, "message": "Invalid access token"}]})));
    errors.push(client.gre_tunnels().list(&a).await.unwrap_err());
    mock.override_once(
        list,
        Scripted {
            status: 502,
            headers: vec![("content-type".into(), "text/html".into())],
            body: b"<html>Bad gateway</html>".to_vec(),
        },
    );
    errors.push(client.gre_tunnels().list(&a).await.unwrap_err());
    mock.override_once(
        list,
        Scripted::success(json!({"gre_tunnels": "not a list"})),
    );
    errors.push(client.gre_tunnels().list(&a).await.unwrap_err());
    let download_op = op_index("GET", "/pcaps/{pcap_id}/download");
    mock.override_once(download_op, Scripted::success(json!(null)));
    errors.push(
        client
            .pcaps()
            .download(&a, &PcapId::from("p"))
            .await
            .unwrap_err(),
    );
    errors.push(
        client
            .apps()
            .delete(&a, &AccountAppId::from(".."))
            .await
            .unwrap_err(),
    );

    let slow =
        server::Server::start(|_, _| server::Reply::ok("{}").delayed(Duration::from_secs(3))).await;
    let slow_client = setup::client_with(slow.url(), Credentials::api_token(TOKEN));
    errors.push(
        slow_client
            .gre_tunnels()
            .list(&a)
            .timeout(Duration::from_millis(50))
            .await
            .unwrap_err(),
    );

    // Nothing listens on a port just released.
    let closed = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap().port()
    };
    let unreachable = setup::client_with(
        format!("http://127.0.0.1:{closed}"),
        Credentials::api_key("me@example.com", KEY),
    );
    assert_hidden("client", &format!("{unreachable:?}"));
    errors.push(unreachable.gre_tunnels().list(&a).await.unwrap_err());

    // Configuration errors.
    errors.push(
        Client::builder(Credentials::api_token(format!("{TOKEN}\n")))
            .build()
            .unwrap_err(),
    );
    errors.push(
        Client::builder(Credentials::api_key("me@example.com", format!("{KEY}\r")))
            .build()
            .unwrap_err(),
    );
    errors.push(
        Client::builder(Credentials::api_token("t"))
            .base_url(format!("http://user:{TOKEN}@127.0.0.1/"))
            .build()
            .unwrap_err(),
    );

    let kinds: Vec<&str> = errors
        .iter()
        .map(|e| match e {
            Error::Api { .. } => "api",
            Error::UnexpectedBody { .. } | Error::Decode { .. } => "body",
            Error::UnexpectedContentType { .. } => "content-type",
            Error::Timeout { .. } => "timeout",
            Error::Transport(_) => "transport",
            Error::Config(_) => "config",
            Error::InvalidRequest { .. } => "invalid",
            _ => "other",
        })
        .collect();
    assert_eq!(
        kinds,
        [
            "api",
            "api",
            "body",
            "body",
            "content-type",
            "invalid",
            "timeout",
            "transport",
            "config",
            "config",
            "config"
        ]
    );
    for (kind, err) in kinds.iter().zip(&errors) {
        assert_error_hidden(kind, err);
    }
}
