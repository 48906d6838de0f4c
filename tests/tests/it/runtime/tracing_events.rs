//! With the `tracing` feature, every attempt and retry is an event on the `magic_api` target with
//! the method, the path template (not the path: ids stay out of logs), the attempt and status,
//! and never a credential.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use magic_api::{AccountId, Credentials, RetryPolicy, SiteId};
use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id, Record};
use tracing::{Event, Metadata, Subscriber};

use crate::server::{Reply, Server};
use crate::setup;

/// Records every event's message and fields as text.
#[derive(Clone, Default)]
struct Recorder(Arc<Mutex<Vec<String>>>);

struct Fields(String);

impl Visit for Fields {
    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        self.0.push_str(&format!(" {}={:?}", field.name(), value));
    }
}

impl Subscriber for Recorder {
    fn enabled(&self, metadata: &Metadata<'_>) -> bool {
        metadata.target() == "magic_api"
    }
    fn new_span(&self, _: &Attributes<'_>) -> Id {
        Id::from_u64(1)
    }
    fn record(&self, _: &Id, _: &Record<'_>) {}
    fn record_follows_from(&self, _: &Id, _: &Id) {}
    fn event(&self, event: &Event<'_>) {
        let mut fields = Fields(String::new());
        event.record(&mut fields);
        if let Ok(mut log) = self.0.lock() {
            log.push(fields.0);
        }
    }
    fn enter(&self, _: &Id) {}
    fn exit(&self, _: &Id) {}
}

#[tokio::test]
async fn attempts_and_retries_are_traced_without_ids_or_secrets() {
    let recorder = Recorder::default();
    let _guard = tracing::subscriber::set_default(recorder.clone());
    // Another test thread may have registered the client's callsites while no subscriber was
    // listening, caching "never interested"; recompute now that this one is installed.
    tracing::callsite::rebuild_interest_cache();
    let server = Server::start(|i, _| match i {
        0 => Reply::status(503).header("retry-after", "0"),
        _ => Reply::ok(r#"{"id":"site-secret-id"}"#),
    })
    .await;
    let client = setup::client_for(
        server.url(),
        Credentials::api_token("tok-SECRET"),
        RetryPolicy::default().initial_backoff(Duration::from_millis(1)),
    );
    client
        .sites()
        .get(
            &AccountId::from("acc-private"),
            &SiteId::from("site-private"),
        )
        .await
        .expect("answered after one retry");
    let log = recorder.0.lock().map(|l| l.clone()).unwrap_or_default();
    let text = log.join("\n");
    assert_eq!(log.len(), 3, "two attempts and one retry:\n{text}");
    assert!(text.contains("retrying"), "{text}");
    assert!(
        text.contains("status=503") && text.contains("status=200"),
        "{text}"
    );
    assert!(
        text.contains("/accounts/{account_id}/magic/sites/{site_id}"),
        "{text}"
    );
    assert!(text.contains("attempt=2"), "{text}");
    for private in ["acc-private", "site-private", "tok-SECRET"] {
        assert!(
            !text.contains(private),
            "`{private}` reached the log:\n{text}"
        );
    }
}
