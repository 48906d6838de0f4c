//! The eight everyday tasks of `tests/examples/tasks.rs` (the program a user would write), run
//! against the mock with e-mail + key credentials, a 409 on the IPsec create and a 429 on the
//! bulk route update scripted: the program must get through all of them.

use crate::mock;
use crate::setup;

use magic_api::{AccountId, Credentials, RetryPolicy};
use mock::{Scripted, op_index};

#[allow(dead_code)] // the program's `main` reads the environment; the test calls `run`
#[path = "../../../examples/tasks.rs"]
mod program;

#[tokio::test]
async fn the_eight_tasks_run_against_the_mock() {
    let mock = setup::stateless_mock().await;
    // The client's own retry rules: the program must get past the scripted 429 with them.
    let client = setup::client_for(
        mock.base_url(),
        Credentials::api_key("ops@example.com", "key-123"),
        RetryPolicy::default(),
    );
    let ipsec_create = op_index("POST", "/magic/ipsec_tunnels");
    let route_update = op_index("PUT", "/magic/routes");
    mock.override_once(
        ipsec_create,
        Scripted::error(409, 1002, "a tunnel of that name exists"),
    );
    mock.override_once(
        route_update,
        Scripted::error(429, 10000, "rate limited").header("retry-after", "0"),
    );
    let account = AccountId::from("023e105f4ecef8ad9ca31a8372d0c353");
    program::run(&client, &account).await.expect("every task");

    let requests = mock.requests();
    assert!(
        requests.iter().all(|r| r.rejection.is_none()),
        "{requests:?}"
    );
    assert!(requests.iter().all(|r| {
        r.header("x-auth-email") == Some("ops@example.com") && r.header("x-auth-key").is_some()
    }));
    let calls = |op: usize| requests.iter().filter(|r| r.operation == Some(op)).count();
    // The validation, which the scripted 409 answers (never retried; the program goes on).
    assert_eq!(calls(ipsec_create), 1);
    // The 429, then the retry that succeeds, sending only the id and the new priority.
    assert_eq!(calls(route_update), 2);
    let update = requests
        .iter()
        .find(|r| r.operation == Some(route_update))
        .expect("a bulk route update");
    let sent: serde_json::Value = serde_json::from_slice(&update.body).expect("a JSON body");
    assert_eq!(
        sent,
        serde_json::json!({"routes": [{"id": "023e105f4ecef8ad9ca31a8372d0c353", "priority": 200}]})
    );
    // The object health-check target went with its form header.
    let create = requests
        .iter()
        .find(|r| r.operation == Some(ipsec_create))
        .expect("an IPsec create");
    assert_eq!(create.header("x-magic-new-hc-target"), Some("true"));
    assert!(create.target.contains("validate_only=true"));
    // Two LANs and an ACL between them, on the created site.
    assert_eq!(calls(op_index("POST", "/magic/sites/{site_id}/lans")), 2);
    assert_eq!(calls(op_index("POST", "/magic/sites/{site_id}/acls")), 1);
    // Events filtered by kind over the last hour.
    let events = requests
        .iter()
        .find(|r| r.path().ends_with("/telemetry/events"))
        .expect("an events list");
    let query = events.query_pairs();
    assert!(
        query.contains(&("k".to_string(), "Init".to_string())),
        "{query:?}"
    );
    assert!(query.iter().any(|(k, _)| k == "from") && query.iter().any(|(k, _)| k == "to"));
    // The PCAP was downloaded.
    assert_eq!(calls(op_index("GET", "/pcaps/{pcap_id}/download")), 1);
}
