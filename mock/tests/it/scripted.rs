//! Scripted answers (`override_once`, `override_response`) are served for valid requests only,
//! and the client sees them as the API's own.

use std::time::Duration;

use magic_api::{Client, Credentials, RetryPolicy};
use magic_api_mock::{Scripted, code};
use magic_api_model::ParamLocation;
use serde_json::{Value, json};

use crate::support::{build, client, documented_result, expect_rejection, find_op, is_json, start};

#[tokio::test]
async fn scripted_faults_are_served_for_valid_requests() {
    let mock = start().await;
    let (index, op) = find_op(|op| {
        is_json(op)
            && op.method.as_str() == "GET"
            && op.params.iter().all(|p| p.location == ParamLocation::Path)
    });
    let documented = documented_result(op);

    // 429 + Retry-After once: the client retries and gets the documented answer.
    mock.override_once(
        index,
        Scripted::error(
            429,
            971,
            "Please wait and consider throttling your request speed",
        )
        .header("retry-after", "0"),
    );
    let retrying = Client::builder(Credentials::api_token("t"))
        .base_url(mock.base_url())
        .retry_policy(
            RetryPolicy::default()
                .max_retries(2)
                .initial_backoff(Duration::from_millis(1)),
        )
        .build()
        .unwrap();
    let got = retrying
        .send_json::<Value>(build(op, false).req)
        .await
        .unwrap();
    assert_eq!(got.result, documented);
    let statuses: Vec<(Option<usize>, u16)> = mock
        .requests()
        .iter()
        .map(|r| (r.operation, r.status))
        .collect();
    assert_eq!(statuses, [(Some(index), 429), (Some(index), 200)]);

    // Unknown fields in the result reach the caller untouched.
    let mut extended = documented.clone();
    match &mut extended {
        Value::Object(map) => {
            map.insert("added_later".into(), json!({"nested": [1, 2]}));
        }
        Value::Array(items) => {
            for item in items.iter_mut().filter_map(Value::as_object_mut) {
                item.insert("added_later".into(), json!({"nested": [1, 2]}));
            }
        }
        _ => {}
    }
    assert_ne!(extended, documented);
    mock.override_response(
        index,
        Scripted::success(extended.clone()).header("cf-ray", "0123456789abcdef-AMS"),
    );
    let client = client(&mock);
    for _ in 0..2 {
        let got = client
            .send_json::<Value>(build(op, false).req)
            .await
            .unwrap();
        assert_eq!(got.result, extended, "sticky override");
    }

    // Requests the mock refuses are refused even while a script is set.
    let req = build(op, false).req.query("bogus", "1");
    expect_rejection(&mock, &client, req, 400, code::UNKNOWN_QUERY).await;

    // A 503 without Retry-After on a write is not retried.
    let (post_index, post) = find_op(|op| is_json(op) && op.method.as_str() == "POST");
    mock.override_response(
        post_index,
        Scripted::error(503, 1500, "upstream unavailable"),
    );
    mock.clear_requests();
    let err = Client::builder(Credentials::api_token("t"))
        .base_url(mock.base_url())
        .build()
        .unwrap()
        .send_json::<Value>(build(post, false).req)
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(503));
    assert_eq!(err.api_errors()[0].message, "upstream unavailable");
    assert_eq!(mock.count(), 1);

    mock.clear_overrides();
    let got = client
        .send_json::<Value>(build(op, false).req)
        .await
        .unwrap();
    assert_eq!(got.result, documented);
}

#[tokio::test]
async fn scripted_answers_name_their_operation_as_faults_do() {
    // `override_once` and `override_response` take an operation by its template, like
    // `fail_next` and `always`.
    let mock = start().await;
    let sites =
        magic_api::RawRequest::new(magic_api::reqwest::Method::GET, "/accounts/acc/magic/sites");
    mock.override_once("GET /magic/sites", Scripted::error(403, 10000, "forbidden"));
    let err = client(&mock)
        .send_json::<Value>(sites.clone())
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(403));
    mock.override_response(
        "GET /accounts/{account_id}/magic/sites",
        Scripted::error(404, 1000, "gone"),
    );
    for _ in 0..2 {
        let err = client(&mock)
            .send_json::<Value>(sites.clone())
            .await
            .unwrap_err();
        assert_eq!(err.status(), Some(404));
    }
}
