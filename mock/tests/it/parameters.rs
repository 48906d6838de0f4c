//! Query and header parameters: unknown keys, values that do not parse as their type, repeated
//! and missing required ones are refused; declared ones (prose-only included) are accepted.

use magic_api::RawRequest;
use magic_api_mock::code;
use magic_api_model::{ParamLocation, Ty, TypeBody};
use serde_json::Value;

use crate::support::{
    assert_routed, build, client, defs, expect_rejection, find_op, is_json, method, ops, sample,
    sample_body, sample_path, start,
};

#[tokio::test]
async fn unknown_query_parameters_are_rejected() {
    let mock = start().await;
    let client = client(&mock);
    let (_, plain) =
        find_op(|op| is_json(op) && op.params_in(ParamLocation::Query).next().is_none());
    let req = build(plain, false).req.query("bogus", "1");
    let r = expect_rejection(&mock, &client, req, 400, code::UNKNOWN_QUERY).await;
    assert!(
        r.message.contains("`bogus`") && r.message.contains("accepts no query"),
        "{}",
        r.message
    );

    // An operation with query parameters lists them; `page` is not among them.
    let (_, listed) =
        find_op(|op| is_json(op) && op.params_in(ParamLocation::Query).any(|p| p.field.required));
    let req = build(listed, false).req.query("page", "2");
    let r = expect_rejection(&mock, &client, req, 400, code::UNKNOWN_QUERY).await;
    for p in listed.params_in(ParamLocation::Query) {
        assert!(r.message.contains(&p.field.name), "{}", r.message);
    }

    // Prose-only parameters are declared too.
    let (index, prose) =
        find_op(|op| is_json(op) && op.params_in(ParamLocation::Query).any(|p| p.from_prose));
    let built = build(prose, true);
    for p in prose
        .params_in(ParamLocation::Query)
        .filter(|p| p.from_prose)
    {
        assert!(built.query.iter().any(|(k, _)| *k == p.field.name));
    }
    client.send_json::<Value>(built.req.clone()).await.unwrap();
    assert_routed(&mock, index, &built);
}

#[tokio::test]
async fn query_values_must_parse_as_their_type() {
    let mock = start().await;
    let client = client(&mock);
    let mut checked = 0;
    for (index, op) in ops().iter().enumerate().filter(|(_, o)| is_json(o)) {
        for p in op.params_in(ParamLocation::Query) {
            let name = p.field.name.as_str();
            let bad: &[&str] = match defs().body(&p.field.ty) {
                Some(TypeBody::Enum { open: false, .. }) => &["not-a-documented-value"],
                _ => match &p.field.ty {
                    Ty::Integer => &["abc", "1.5", "1e3", ""],
                    Ty::Boolean => &["yes", "True", "1", ""],
                    _ => &[],
                },
            };
            for value in bad {
                let mut req = RawRequest::new(method(op), sample_path(op).0).query(name, *value);
                for q in op.params_in(ParamLocation::Query) {
                    if q.field.required && q.field.name != name {
                        req = req.query(q.field.name.as_str(), sample(&q.field.ty, &q.field.name));
                    }
                }
                if let Some(b) = sample_body(op) {
                    req = req.json_body(&b).unwrap();
                }
                let r = expect_rejection(&mock, &client, req, 400, code::QUERY_VALUE).await;
                assert!(r.message.contains(name), "{}", r.message);
                assert_eq!(mock.last_request().unwrap().operation, Some(index));
                checked += 1;
            }
            // Open enums (EventKind: the documents type `k` as any string) take any string.
            if let Some(TypeBody::Enum { open: true, .. }) = defs().body(&p.field.ty) {
                let mut built = build(op, false);
                built.req = built.req.query(name, "SomeFutureKind");
                built.query.push((name.into(), "SomeFutureKind".into()));
                client.send_json::<Value>(built.req.clone()).await.unwrap();
                assert_routed(&mock, index, &built);
            }
        }
    }
    assert!(checked >= 8, "{checked}");

    // A non-array parameter given twice.
    let (_, op) =
        find_op(|op| is_json(op) && op.params_in(ParamLocation::Query).any(|p| p.field.required));
    let p = op
        .params_in(ParamLocation::Query)
        .find(|p| p.field.required)
        .unwrap();
    let req = build(op, false)
        .req
        .query(p.field.name.as_str(), sample(&p.field.ty, &p.field.name));
    let r = expect_rejection(&mock, &client, req, 400, code::QUERY_VALUE).await;
    assert!(r.message.contains("more than once"), "{}", r.message);
}

#[tokio::test]
async fn required_query_parameters_must_be_present() {
    let mock = start().await;
    let client = client(&mock);
    let mut checked = 0;
    for op in ops().iter().filter(|o| is_json(o)) {
        for missing in op
            .params_in(ParamLocation::Query)
            .filter(|p| p.field.required)
        {
            let mut req = RawRequest::new(method(op), sample_path(op).0);
            for q in op.params_in(ParamLocation::Query) {
                if q.field.required && q.field.name != missing.field.name {
                    req = req.query(q.field.name.as_str(), sample(&q.field.ty, &q.field.name));
                }
            }
            let r = expect_rejection(&mock, &client, req, 400, code::MISSING_QUERY).await;
            assert!(r.message.contains(&missing.field.name), "{}", r.message);
            checked += 1;
        }
    }
    assert!(checked >= 2);
}

#[tokio::test]
async fn header_parameters_must_parse_as_their_type() {
    let mock = start().await;
    let client = client(&mock);
    let (index, op) = find_op(|op| {
        is_json(op)
            && op.body.is_none()
            && op
                .params_in(ParamLocation::Header)
                .any(|p| p.field.ty == Ty::Boolean)
    });
    let p = op
        .params_in(ParamLocation::Header)
        .find(|p| p.field.ty == Ty::Boolean)
        .unwrap();
    let name = p.field.name.as_str();
    for bad in ["yes", "1", "TRUE"] {
        let req = build(op, false).req.header(name, bad);
        let r = expect_rejection(&mock, &client, req, 400, code::HEADER).await;
        assert!(
            r.message.contains(name) && r.message.contains(bad),
            "{}",
            r.message
        );
    }
    for good in ["true", "false"] {
        let mut built = build(op, false);
        built.req = built.req.header(name, good);
        built.headers.push((name.into(), good.into()));
        client.send_json::<Value>(built.req.clone()).await.unwrap();
        assert_routed(&mock, index, &built);
    }
}
