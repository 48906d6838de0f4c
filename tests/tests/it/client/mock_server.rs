//! The real client against the IR-driven mock server (the `magic-api-mock` crate, stateless): every operation
//! round-trips with its documented example, the mock refuses what the IR forbids, and
//! hostile identifiers stay one segment.
//!
//! Everything sent is derived from the IR: paths from `Operation::segments` with sample ids,
//! bodies from `examples.request` (or generated from the body type), query and header
//! parameters from `Operation::params`.

use crate::mock;

use std::net::SocketAddr;
use std::time::Duration;

use codegen::ir::{Defs, Operation, ParamLocation, Response, Segment, Ty, TypeBody, check_value};
use futures_util::StreamExt;
use magic_api::reqwest::Method;
use magic_api::{ApiResponse, Client, Credentials, Error, PathBuilder, RawRequest, RetryPolicy};
use mock::{MockServer, Rejection, Scripted, code};
use serde_json::{Value, json};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

// ---------------------------------------------------------------------------------------
// Setup

use mock::spec_ir as ir;

fn ops() -> &'static [Operation] {
    &ir().operations
}

fn defs() -> Defs<'static> {
    ir().defs()
}

async fn start() -> MockServer {
    MockServer::builder()
        .stateless()
        .start()
        .await
        .expect("mock on loopback")
}

fn client_with(mock: &MockServer, credentials: Credentials) -> Client {
    Client::builder(credentials)
        .base_url(mock.base_url())
        .retry_policy(RetryPolicy::none())
        .timeout(Duration::from_secs(5))
        .build()
        .expect("client")
}

fn client(mock: &MockServer) -> Client {
    client_with(mock, Credentials::api_token("t"))
}

fn method(op: &Operation) -> Method {
    Method::from_bytes(op.method.as_str().as_bytes()).expect("HTTP method")
}

// ---------------------------------------------------------------------------------------
// Requests from the IR

/// A sample value for a path, query or header parameter of type `ty`.
fn sample(ty: &Ty, name: &str) -> String {
    match ty {
        Ty::Integer => "1700000000".into(),
        Ty::Number => "1.5".into(),
        Ty::Boolean | Ty::True => "true".into(),
        Ty::Literal { value } => value.clone(),
        Ty::Ref { id } => match ir().def(id).map(|d| &d.body) {
            Some(TypeBody::Enum { values, .. }) if !values.is_empty() => values[0].clone(),
            Some(TypeBody::Alias { target }) => sample(target, name),
            Some(TypeBody::Union { alternatives, .. }) if !alternatives.is_empty() => {
                sample(&alternatives[0].ty, name)
            }
            _ => format!("s-{name}"),
        },
        _ => format!("s-{name}"),
    }
}

/// The declared type of parameter `name` of `op` at `location`.
fn param_ty<'a>(op: &'a Operation, location: ParamLocation, name: &str) -> &'a Ty {
    op.params_in(location)
        .find(|p| p.field.name == name)
        .map_or(&Ty::String, |p| &p.field.ty)
}

/// Whether `segment` is exactly one path parameter of `op` declared with type `ty`.
fn path_param_is(op: &Operation, segment: &Segment, ty: &Ty) -> bool {
    matches!(segment, Segment::Param { name } if param_ty(op, ParamLocation::Path, name) == ty)
}

/// The encoded path of `op` with `value(name, type)` for each path parameter, and the
/// parameters in template order.
fn path_with(
    op: &Operation,
    mut value: impl FnMut(&str, &Ty) -> String,
) -> (Result<String, Error>, Vec<(String, String)>) {
    let mut builder = PathBuilder::new();
    let mut params = Vec::new();
    for segment in &op.segments {
        builder = match segment {
            Segment::Literal { text } => builder.segment(text),
            Segment::Param { name } => {
                let v = value(name, param_ty(op, ParamLocation::Path, name));
                params.push((name.clone(), v.clone()));
                builder.param(v)
            }
            Segment::Compound { parts } => {
                let mut pieces = Vec::new();
                for part in parts {
                    match part {
                        Segment::Literal { text } => pieces.push(text.clone()),
                        Segment::Param { name } => {
                            let v = value(name, param_ty(op, ParamLocation::Path, name));
                            params.push((name.clone(), v.clone()));
                            pieces.push(v);
                        }
                        Segment::Compound { .. } => panic!("nested compound in {}", op.path),
                    }
                }
                let refs: Vec<&str> = pieces.iter().map(String::as_str).collect();
                builder.param_parts(&refs)
            }
        };
    }
    (builder.build(), params)
}

fn sample_path(op: &Operation) -> (String, Vec<(String, String)>) {
    let (path, params) = path_with(op, |name, ty| sample(ty, name));
    (path.expect("sample path builds"), params)
}

/// The smallest value of `ty`: required fields only, first enum value, first alternative.
fn minimal(ty: &Ty, depth: usize) -> Value {
    assert!(depth < 32, "type nests too deeply");
    match ty {
        Ty::String => json!("x"),
        Ty::Number => json!(1.5),
        Ty::Integer => json!(1),
        Ty::Boolean | Ty::True => json!(true),
        Ty::Unknown | Ty::Map { .. } => json!({}),
        Ty::Literal { value } => json!(value),
        Ty::Array { .. } => json!([]),
        Ty::Ref { id } => match &ir().def(id).expect("defined").body {
            TypeBody::Object { fields } => Value::Object(
                fields
                    .iter()
                    .filter(|f| f.required)
                    .map(|f| (f.name.clone(), minimal(&f.ty, depth + 1)))
                    .collect(),
            ),
            TypeBody::Enum { values, .. } => json!(values.first().cloned().unwrap_or_default()),
            TypeBody::Alias { target } => minimal(target, depth + 1),
            TypeBody::Union { alternatives, .. } => minimal(&alternatives[0].ty, depth + 1),
        },
    }
}

/// The documented request body of `op` (or a generated minimal one), if it takes a body.
fn sample_body(op: &Operation) -> Option<Value> {
    let body = op.body.as_ref()?;
    Some(
        op.examples
            .request
            .clone()
            .unwrap_or_else(|| minimal(&body.ty, 0)),
    )
}

struct Built {
    req: RawRequest,
    /// The encoded path, relative to the base URL.
    path: String,
    path_params: Vec<(String, String)>,
    query: Vec<(String, String)>,
    headers: Vec<(String, String)>,
    body: Option<Value>,
}

/// A valid request for `op`: required query parameters only, or every declared query and
/// header parameter when `all` is set.
fn build(op: &'static Operation, all: bool) -> Built {
    let (path, path_params) = sample_path(op);
    let mut req = RawRequest::new(method(op), path.clone());
    let mut query = Vec::new();
    let mut headers = Vec::new();
    for p in &op.params {
        if !(all || p.field.required) {
            continue;
        }
        let value = sample(&p.field.ty, &p.field.name);
        match p.location {
            ParamLocation::Path => continue,
            ParamLocation::Query => {
                req = req.query(p.field.name.as_str(), value.clone());
                query.push((p.field.name.clone(), value));
            }
            ParamLocation::Header => {
                req = req.header(p.field.name.as_str(), value.clone());
                headers.push((p.field.name.clone(), value));
            }
        }
    }
    let body = sample_body(op);
    if let Some(b) = &body {
        req = req.json_body(b).expect("serializable");
    }
    Built {
        req,
        path,
        path_params,
        query,
        headers,
        body,
    }
}

/// What the client returned, by response flavour.
#[derive(Debug)]
enum Answer {
    Json(ApiResponse<Value>),
    Empty,
    Download {
        content_type: Option<String>,
        bytes: Vec<u8>,
    },
}

async fn send(client: &Client, op: &Operation, req: RawRequest) -> Result<Answer, Error> {
    match &op.response {
        Response::Envelope { .. } | Response::Json { .. } => {
            client.send_json::<Value>(req).await.map(Answer::Json)
        }
        Response::None => client.send_empty(req).await.map(|()| Answer::Empty),
        Response::Binary { .. } => {
            let mut download = client.send_download(req).await?;
            let content_type = download.content_type().map(str::to_owned);
            let mut bytes = Vec::new();
            while let Some(chunk) = download.next().await {
                bytes.extend_from_slice(&chunk?);
            }
            Ok(Answer::Download {
                content_type,
                bytes,
            })
        }
    }
}

fn documented_result(op: &Operation) -> Value {
    op.examples
        .response
        .as_ref()
        .and_then(|r| r.get("result"))
        .cloned()
        .unwrap_or(Value::Null)
}

/// Checks the client's answer against what the mock documents for `op`.
fn assert_documented_answer(index: usize, op: &Operation, answer: &Answer) {
    let what = format!("#{index} {} {}", op.method.as_str(), op.path);
    match (&op.response, answer) {
        (Response::Envelope { .. } | Response::Json { .. }, Answer::Json(r)) => {
            assert_eq!(r.result, documented_result(op), "{what}");
            let documented_info = op
                .examples
                .response
                .as_ref()
                .is_some_and(|r| r.get("result_info").is_some());
            assert_eq!(r.result_info.is_some(), documented_info, "{what}");
        }
        (Response::None, Answer::Empty) => {}
        (
            Response::Binary { .. },
            Answer::Download {
                content_type,
                bytes,
            },
        ) => {
            assert_eq!(
                content_type.as_deref(),
                Some(mock::PCAP_CONTENT_TYPE),
                "{what}"
            );
            assert_eq!(*bytes, mock::pcap_bytes(), "{what}");
            assert!(
                bytes.len() > 3 * mock::PCAP_CHUNK,
                "{what}: multi-chunk body"
            );
        }
        (expected, got) => panic!("{what}: expected {expected:?}, got {got:?}"),
    }
}

/// Asserts that the last request reached `index` and was accepted.
fn assert_routed(mock: &MockServer, index: usize, built: &Built) {
    let op = &ops()[index];
    let what = format!("#{index} {} {}", op.method.as_str(), op.path);
    let rec = mock.last_request().expect("a request arrived");
    assert_eq!(rec.operation, Some(index), "{what} was routed elsewhere");
    assert_eq!(rec.rejection, None, "{what}");
    assert_eq!(rec.status, 200, "{what}");
    assert_eq!(rec.method, op.method.as_str(), "{what}");
    assert_eq!(
        rec.path(),
        format!("{}{}", mock.base_path(), built.path),
        "{what}"
    );
    assert_eq!(rec.path_params, built.path_params, "{what}");
    assert_eq!(rec.query_pairs(), built.query, "{what}");
    for (name, value) in &built.headers {
        assert_eq!(
            rec.header(name),
            Some(value.as_str()),
            "{what}: header {name}"
        );
    }
    assert_eq!(rec.json(), built.body, "{what}");
}

/// Sends `req` (whose answer must be a rejection) and checks that the client reports it as
/// [`Error::Api`] with the mock's status, code and message. Returns the mock's rejection.
async fn expect_rejection(
    mock: &MockServer,
    client: &Client,
    req: RawRequest,
    status: u16,
    code: i64,
) -> Rejection {
    let before = mock.count();
    let err = client
        .send_json::<Value>(req)
        .await
        .expect_err("the mock must refuse this request");
    assert_eq!(
        mock.count(),
        before + 1,
        "exactly one request reached the mock"
    );
    let rec = mock.last_request().expect("recorded");
    let rejection = rec
        .rejection
        .clone()
        .expect("the mock recorded a rejection");
    let Error::Api {
        status: got_status,
        errors,
        messages,
        ray_id,
    } = &err
    else {
        panic!("expected Error::Api, got {err:?}");
    };
    assert_eq!(*got_status, status, "{err}");
    assert_eq!(rejection.status, status);
    assert_eq!(rejection.code, code, "{}", rejection.message);
    assert_eq!(errors.len(), 1);
    assert_eq!(errors[0].code, code);
    assert_eq!(errors[0].message, rejection.message);
    assert!(messages.is_empty());
    assert!(ray_id.is_some(), "rejections carry cf-ray");
    rejection
}

/// Operations, as `&'static`, matching a predicate.
fn find_op(pred: impl Fn(&Operation) -> bool) -> (usize, &'static Operation) {
    ops()
        .iter()
        .enumerate()
        .find(|(_, op)| pred(op))
        .expect("the IR has an operation of this kind")
}

fn is_json(op: &Operation) -> bool {
    matches!(op.response, Response::Envelope { .. })
}

// ---------------------------------------------------------------------------------------
// Every operation

#[tokio::test]
async fn every_operation_round_trips_its_documented_example() {
    let mock = start().await;
    let client = client(&mock);
    let mut done = 0;
    for (index, op) in ops().iter().enumerate() {
        let built = build(op, false);
        let answer = send(&client, op, built.req.clone())
            .await
            .unwrap_or_else(|e| panic!("#{index} {} {}: {e}", op.method.as_str(), op.path));
        assert_routed(&mock, index, &built);
        assert_documented_answer(index, op, &answer);
        done += 1;
    }
    assert_eq!(done, 79);
    assert_eq!(mock.count(), 79);
    let routed: std::collections::BTreeSet<usize> =
        mock.requests().iter().filter_map(|r| r.operation).collect();
    assert_eq!(routed.len(), 79, "every operation was reached exactly once");
}

#[tokio::test]
async fn every_operation_accepts_all_its_declared_parameters() {
    let mock = start().await;
    let client = client(&mock);
    let mut with_query = 0;
    let mut with_header = 0;
    for (index, op) in ops().iter().enumerate() {
        let built = build(op, true);
        with_query += usize::from(!built.query.is_empty());
        with_header += usize::from(!built.headers.is_empty());
        let answer = send(&client, op, built.req.clone())
            .await
            .unwrap_or_else(|e| panic!("#{index} {} {}: {e}", op.method.as_str(), op.path));
        assert_routed(&mock, index, &built);
        assert_documented_answer(index, op, &answer);
    }
    assert_eq!(mock.count(), 79);
    assert!(
        with_query > 0 && with_header > 0,
        "{with_query} / {with_header}"
    );
}

#[tokio::test]
async fn bodies_with_only_the_required_fields_are_accepted() {
    let mock = start().await;
    let client = client(&mock);
    let mut sent = 0;
    for (index, op) in ops().iter().enumerate() {
        let Some(body) = &op.body else { continue };
        let value = minimal(&body.ty, 0);
        let built = build(op, false);
        let req = built.req.json_body(&value).unwrap();
        send(&client, op, req)
            .await
            .unwrap_or_else(|e| panic!("#{index} {}: {value}: {e}", op.path));
        let rec = mock.last_request().unwrap();
        assert_eq!((rec.operation, rec.rejection), (Some(index), None));
        sent += 1;
    }
    assert_eq!(sent, ops().iter().filter(|o| o.body.is_some()).count());
    assert!(sent > 0);
}

// ---------------------------------------------------------------------------------------
// Routing

/// Pairs `(literal, parametric)` of operations with the same method whose templates differ
/// only where one has a literal segment and the other a parameter.
fn literal_vs_param_pairs() -> Vec<(usize, usize, usize)> {
    let mut out = Vec::new();
    for (a, lit) in ops().iter().enumerate() {
        for (b, par) in ops().iter().enumerate() {
            if lit.method != par.method || lit.segments.len() != par.segments.len() {
                continue;
            }
            let diffs: Vec<usize> = (0..lit.segments.len())
                .filter(|&i| lit.segments[i] != par.segments[i])
                .collect();
            let [at] = diffs[..] else { continue };
            if matches!(lit.segments[at], Segment::Literal { .. })
                && !matches!(par.segments[at], Segment::Literal { .. })
            {
                out.push((a, b, at));
            }
        }
    }
    out
}

#[tokio::test]
async fn literal_segments_beat_parameters_and_compounds() {
    let pairs = literal_vs_param_pairs();
    // events/latest vs events/{event_t}.{event_n}, snapshots/latest vs snapshots/{t}, ...
    assert!(pairs.len() >= 2, "{pairs:?}");
    let mock = start().await;
    let client = client(&mock);
    for (lit, _, _) in &pairs {
        let built = build(&ops()[*lit], false);
        send(&client, &ops()[*lit], built.req.clone())
            .await
            .unwrap();
        assert_routed(&mock, *lit, &built);
    }
    // Each of those paths is also a valid instance of the parametric template (the literal's
    // text is a fine value for its parameter, or splits like its compound would want), and
    // the parametric operations are reached with their own sample values: it is specificity,
    // not luck, that decides.
    for (_, par, _) in &pairs {
        let built = build(&ops()[*par], false);
        send(&client, &ops()[*par], built.req.clone())
            .await
            .unwrap();
        assert_routed(&mock, *par, &built);
    }
}

#[tokio::test]
async fn numeric_path_parameters_are_checked_by_kind() {
    let mock = start().await;
    let client = client(&mock);
    // A whole-segment number parameter (snapshots/{snapshot_t}): any JSON number, as written.
    let (index, op) = find_op(|op| {
        op.segments
            .iter()
            .any(|s| path_param_is(op, s, &Ty::Number))
    });
    let number_param = op
        .segments
        .iter()
        .find_map(|s| match s {
            Segment::Param { name } if *param_ty(op, ParamLocation::Path, name) == Ty::Number => {
                Some(name.clone())
            }
            _ => None,
        })
        .unwrap();
    for bad in ["+1", "0x10", "12a", "1e", "inf", "NaN"] {
        let (path, _) = path_with(op, |name, ty| {
            if *name == number_param {
                bad.into()
            } else {
                sample(ty, name)
            }
        });
        let req = RawRequest::new(method(op), path.unwrap());
        let r = expect_rejection(&mock, &client, req, 400, code::PATH_PARAM).await;
        assert!(
            r.message.contains(&number_param) && r.message.contains(bad),
            "{}",
            r.message
        );
        assert_eq!(mock.last_request().unwrap().operation, Some(index));
    }
    for good in ["0", "-5", "1700000000", "1700000000.25", "1.7e9"] {
        let (path, params) = path_with(op, |name, ty| {
            if *name == number_param {
                good.into()
            } else {
                sample(ty, name)
            }
        });
        client
            .send_json::<Value>(RawRequest::new(method(op), path.unwrap()))
            .await
            .unwrap();
        assert_eq!(mock.last_request().unwrap().path_params, params);
    }

    // A compound segment ({event_t}.{event_n}): a number, a dot, an integer; the number keeps
    // its own dot.
    let (index, op) = find_op(|op| {
        op.segments
            .iter()
            .any(|s| matches!(s, Segment::Compound { .. }))
    });
    let compound_at = op
        .segments
        .iter()
        .position(|s| matches!(s, Segment::Compound { .. }))
        .unwrap();
    let with_compound = |raw: &str| {
        let mut b = PathBuilder::new();
        for (i, s) in op.segments.iter().enumerate() {
            b = match s {
                Segment::Literal { text } => b.segment(text),
                Segment::Param { name } => {
                    b.param(sample(param_ty(op, ParamLocation::Path, name), name))
                }
                Segment::Compound { .. } => {
                    assert_eq!(i, compound_at);
                    b.param(raw)
                }
            };
        }
        RawRequest::new(method(op), b.build().unwrap())
    };
    for (raw, want) in [
        ("1.0", ["1", "0"]),
        ("1700000000.25.3", ["1700000000.25", "3"]),
    ] {
        client.send_json::<Value>(with_compound(raw)).await.unwrap();
        let rec = mock.last_request().unwrap();
        assert_eq!(rec.operation, Some(index));
        let parts: Vec<&str> = rec.path_params[rec.path_params.len() - 2..]
            .iter()
            .map(|(_, v)| v.as_str())
            .collect();
        assert_eq!(parts, want);
    }
    let r = expect_rejection(&mock, &client, with_compound("1.x"), 400, code::PATH_PARAM).await;
    assert!(r.message.contains("`x`"), "{}", r.message);
    let r = expect_rejection(
        &mock,
        &client,
        with_compound("1.2.3.4"),
        400,
        code::PATH_PARAM,
    )
    .await;
    assert!(r.message.contains("1.2.3"), "{}", r.message);
    expect_rejection(&mock, &client, with_compound("1e3"), 404, code::NO_ROUTE).await;
    expect_rejection(&mock, &client, with_compound(".1"), 404, code::NO_ROUTE).await;
}

#[tokio::test]
async fn unknown_paths_and_methods() {
    let mock = start().await;
    let client = client(&mock);
    let r = expect_rejection(
        &mock,
        &client,
        RawRequest::new(Method::GET, "/no/such/thing"),
        404,
        code::NO_ROUTE,
    )
    .await;
    assert!(r.message.contains("/no/such/thing"), "{}", r.message);
    // One segment more than the longest template, one less than the shortest.
    let longest = ops().iter().max_by_key(|o| o.segments.len()).unwrap();
    let shortest = ops().iter().min_by_key(|o| o.segments.len()).unwrap();
    let (long, _) = sample_path(longest);
    let (short, _) = sample_path(shortest);
    for (op, path) in [
        (longest, format!("{long}/extra")),
        (shortest, short.rsplit_once('/').unwrap().0.to_owned()),
    ] {
        expect_rejection(
            &mock,
            &client,
            RawRequest::new(method(op), path),
            404,
            code::NO_ROUTE,
        )
        .await;
    }
    // A template with an operation, but not for this method.
    let methods = ["GET", "POST", "PUT", "PATCH", "DELETE"];
    let (_, op) = find_op(|op| {
        let on_path: Vec<&str> = ops()
            .iter()
            .filter(|o| o.path == op.path)
            .map(|o| o.method.as_str())
            .collect();
        methods.iter().any(|m| !on_path.contains(m))
    });
    let on_path: Vec<&str> = ops()
        .iter()
        .filter(|o| o.path == op.path)
        .map(|o| o.method.as_str())
        .collect();
    let other = methods.iter().find(|m| !on_path.contains(m)).unwrap();
    let (path, _) = sample_path(op);
    let req = RawRequest::new(Method::from_bytes(other.as_bytes()).unwrap(), path);
    let r = expect_rejection(&mock, &client, req, 405, code::METHOD).await;
    assert!(r.message.contains(&op.path), "{}", r.message);
    let allow = r.headers.iter().find(|(n, _)| n == "allow").unwrap();
    for m in &on_path {
        assert!(allow.1.contains(m), "{allow:?}");
    }
}

// ---------------------------------------------------------------------------------------
// Query, headers, body

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

/// JSON pointers (in `value`, of type `ty`) of every string whose type is a closed enum.
fn closed_enum_pointers(ty: &Ty, value: &Value, pointer: String, out: &mut Vec<String>) {
    let escape = |k: &str| k.replace('~', "~0").replace('/', "~1");
    match (ty, value) {
        // A literal is a closed enum of one value (the PCAP request's `type`).
        (Ty::Literal { .. }, Value::String(_)) => out.push(pointer),
        (Ty::Array { items }, Value::Array(list)) => {
            for (i, v) in list.iter().enumerate() {
                closed_enum_pointers(items, v, format!("{pointer}/{i}"), out);
            }
        }
        (Ty::Map { values }, Value::Object(map)) => {
            for (k, v) in map {
                closed_enum_pointers(values, v, format!("{pointer}/{}", escape(k)), out);
            }
        }
        (Ty::Ref { id }, _) => match &ir().def(id).expect("defined").body {
            TypeBody::Enum { open: false, .. } if value.is_string() => out.push(pointer),
            TypeBody::Alias { target } => closed_enum_pointers(target, value, pointer, out),
            TypeBody::Object { fields } => {
                for f in fields {
                    if let Some(v) = value.get(&f.name) {
                        closed_enum_pointers(
                            &f.ty,
                            v,
                            format!("{pointer}/{}", escape(&f.name)),
                            out,
                        );
                    }
                }
            }
            TypeBody::Union { alternatives, .. } => {
                if let Some(alt) = alternatives
                    .iter()
                    .find(|a| check_value(&defs(), &a.ty, value).is_ok())
                {
                    closed_enum_pointers(&alt.ty, value, pointer, out);
                }
            }
            TypeBody::Enum { .. } => {}
        },
        _ => {}
    }
}

#[tokio::test]
async fn bodies_that_violate_the_schema_are_rejected() {
    let mock = start().await;
    let client = client(&mock);
    let object_body = |op: &Operation| {
        op.body
            .as_ref()
            .is_some_and(|b| defs().object_fields(&b.ty).is_some())
            && op.examples.request.is_some()
    };

    // An unknown key.
    let (index, op) = find_op(|op| is_json(op) && object_body(op));
    let mut body = sample_body(op).unwrap();
    body["definitely_not_a_field"] = json!(1);
    let req = build(op, false).req.json_body(&body).unwrap();
    let r = expect_rejection(&mock, &client, req, 400, code::BODY_SCHEMA).await;
    assert!(
        r.message.contains("definitely_not_a_field") && r.message.contains("not declared"),
        "{}",
        r.message
    );
    assert_eq!(mock.last_request().unwrap().operation, Some(index));

    // A required field missing (from an example that has it).
    let (_, op) = find_op(|op| {
        is_json(op)
            && object_body(op)
            && defs()
                .object_fields(&op.body.as_ref().unwrap().ty)
                .unwrap()
                .iter()
                .any(|f| f.required && op.examples.request.as_ref().unwrap().get(&f.name).is_some())
    });
    let field = defs()
        .object_fields(&op.body.as_ref().unwrap().ty)
        .unwrap()
        .iter()
        .find(|f| f.required && op.examples.request.as_ref().unwrap().get(&f.name).is_some())
        .unwrap();
    let mut body = sample_body(op).unwrap();
    body.as_object_mut().unwrap().remove(&field.name);
    let req = build(op, false).req.json_body(&body).unwrap();
    let r = expect_rejection(&mock, &client, req, 400, code::BODY_SCHEMA).await;
    assert!(
        r.message.contains(&field.name) && r.message.contains("required"),
        "{}",
        r.message
    );

    // A value outside a closed enum, anywhere in any documented request body.
    let mut found = None;
    'ops: for op in ops().iter().filter(|o| is_json(o)) {
        let (Some(body), Some(example)) = (&op.body, &op.examples.request) else {
            continue;
        };
        let mut pointers = Vec::new();
        closed_enum_pointers(&body.ty, example, String::new(), &mut pointers);
        for p in pointers {
            let mut bad = example.clone();
            *bad.pointer_mut(&p).unwrap() = json!("not-a-documented-value");
            if check_value(&defs(), &body.ty, &bad).is_err() {
                found = Some((op, bad));
                break 'ops;
            }
        }
    }
    let (op, bad) = found.expect("some documented request body has a closed enum");
    let req = build(op, false).req.json_body(&bad).unwrap();
    let r = expect_rejection(&mock, &client, req, 400, code::BODY_SCHEMA).await;
    // An enum names its values; a literal (a one-value enum) names its value.
    assert!(
        (r.message.contains("not-a-documented-value") && r.message.contains("expected one of"))
            || r.message.contains("expected \"magic-transit\""),
        "{}",
        r.message
    );

    // Wrong JSON kind at the top.
    let req = build(op, false).req.json_body(&json!([1, 2])).unwrap();
    expect_rejection(&mock, &client, req, 400, code::BODY_SCHEMA).await;
}

#[tokio::test]
async fn missing_and_unexpected_bodies_are_rejected() {
    let mock = start().await;
    let client = client(&mock);
    let mut missing = 0;
    for op in ops().iter().filter(|o| is_json(o) && o.body.is_some()) {
        let mut req = RawRequest::new(method(op), sample_path(op).0);
        for q in op
            .params_in(ParamLocation::Query)
            .filter(|q| q.field.required)
        {
            req = req.query(q.field.name.as_str(), sample(&q.field.ty, &q.field.name));
        }
        let r = expect_rejection(&mock, &client, req, 400, code::BODY_MISSING).await;
        assert!(r.message.contains("requires"), "{}", r.message);
        missing += 1;
    }
    assert_eq!(
        missing,
        ops()
            .iter()
            .filter(|o| is_json(o) && o.body.is_some())
            .count()
    );

    let (_, op) = find_op(|op| is_json(op) && op.body.is_none());
    let req = build(op, false).req.json_body(&json!({})).unwrap();
    let r = expect_rejection(&mock, &client, req, 400, code::BODY_UNEXPECTED).await;
    assert!(r.message.contains("takes no request body"), "{}", r.message);
}

// ---------------------------------------------------------------------------------------
// Authentication

#[tokio::test]
async fn authentication_is_required() {
    let mock = start().await;
    let (index, op) = find_op(|op| is_json(op) && op.body.is_none() && !op.auth.is_empty());

    // Both schemes work.
    for credentials in [
        Credentials::api_token("token"),
        Credentials::api_key("user@example.com", "key"),
    ] {
        let built = build(op, false);
        client_with(&mock, credentials)
            .send_json::<Value>(built.req.clone())
            .await
            .unwrap();
        assert_routed(&mock, index, &built);
    }

    // Empty secrets are no credentials.
    for credentials in [
        Credentials::api_token(""),
        Credentials::api_key("", ""),
        Credentials::api_key("user@example.com", ""),
    ] {
        let client = client_with(&mock, credentials);
        let r = expect_rejection(&mock, &client, build(op, false).req, 401, code::AUTH).await;
        for scheme in &op.auth {
            assert!(r.message.contains(scheme.as_str()), "{}", r.message);
        }
    }

    // No credentials at all, and a scheme the IR does not describe (raw HTTP: the client
    // always authenticates).
    let path = format!("{}{}", mock.base_path(), sample_path(op).0);
    for auth in [
        "",
        "Authorization: Basic dXNlcjpwdw==\r\n",
        "Authorization: Bearer\r\n",
    ] {
        let reply = raw_http(
            mock.addr(),
            format!("GET {path} HTTP/1.1\r\nHost: x\r\n{auth}Connection: close\r\n\r\n").as_bytes(),
        )
        .await;
        assert_eq!(reply.status, 401, "{auth:?}");
        assert_rejection_envelope(&reply, code::AUTH);
    }
}

// ---------------------------------------------------------------------------------------
// Hostile identifiers

#[tokio::test]
async fn hostile_ids_stay_in_one_segment() {
    let mock = start().await;
    let client = client(&mock);
    // A GET whose last segment is a string parameter.
    let (index, op) = find_op(|op| {
        is_json(op)
            && op.method.as_str() == "GET"
            && op
                .params_in(ParamLocation::Query)
                .all(|p| !p.field.required)
            && op
                .segments
                .last()
                .is_some_and(|s| path_param_is(op, s, &Ty::String))
    });
    let Some(Segment::Param { name: last }) = op.segments.last() else {
        unreachable!()
    };
    let cases = [
        ("a/b", "a%2Fb"),
        ("a?b", "a%3Fb"),
        ("a#b", "a%23b"),
        ("%2e%2e", "%252e%252e"),
        ("../x", "..%2Fx"),
        ("a b", "a%20b"),
        ("ü", "%C3%BC"),
        ("...", "..."),
    ];
    for (id, encoded) in cases {
        let (path, params) = path_with(op, |name, ty| {
            if name == last {
                id.into()
            } else {
                sample(ty, name)
            }
        });
        let path = path.unwrap();
        assert!(path.ends_with(&format!("/{encoded}")), "{path}");
        client
            .send_json::<Value>(RawRequest::new(Method::GET, path.clone()))
            .await
            .unwrap_or_else(|e| panic!("{id:?}: {e}"));
        let rec = mock.last_request().unwrap();
        assert_eq!(rec.operation, Some(index), "{id:?}");
        assert_eq!(rec.path_param(last), Some(id), "{id:?}");
        assert_eq!(rec.path_params, params);
        assert_eq!(rec.path(), format!("{}{path}", mock.base_path()), "{id:?}");
        assert_eq!(rec.path().rsplit('/').next(), Some(encoded), "{id:?}");
    }

    // What can never be sent: nothing reaches the mock.
    let before = mock.count();
    for id in [".", ".."] {
        let (path, _) = path_with(op, |name, ty| {
            if name == last {
                id.into()
            } else {
                sample(ty, name)
            }
        });
        assert!(
            matches!(path, Err(Error::InvalidRequest { .. })),
            "{id:?}: {path:?}"
        );
    }
    let (good, _) = sample_path(op);
    let prefix = good.rsplit_once('/').unwrap().0;
    for raw in ["../x", "..", "%2e%2e", "%2E%2E/x", "a?b", "a#b"] {
        let err = client
            .send_json::<Value>(RawRequest::new(Method::GET, format!("{prefix}/{raw}")))
            .await
            .unwrap_err();
        assert!(
            matches!(err, Error::InvalidRequest { .. }),
            "{raw:?}: {err:?}"
        );
    }
    assert_eq!(
        mock.count(),
        before,
        "refused requests never reach the mock"
    );

    // Invalid percent-encoding from a non-conforming client.
    let reply = raw_http(
        mock.addr(),
        format!(
            "GET {}{prefix}/%zz HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer t\r\n\
             Connection: close\r\n\r\n",
            mock.base_path()
        )
        .as_bytes(),
    )
    .await;
    assert_eq!(reply.status, 400);
    assert_rejection_envelope(&reply, code::MALFORMED);
}

// ---------------------------------------------------------------------------------------
// Scripted faults

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

// ---------------------------------------------------------------------------------------
// Raw HTTP

struct RawReply {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl RawReply {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// Sends raw bytes (which should ask for `Connection: close`) and reads one response.
async fn raw_http(addr: SocketAddr, request: &[u8]) -> RawReply {
    let mut stream = tokio::net::TcpStream::connect(addr).await.unwrap();
    stream.write_all(request).await.unwrap();
    let mut buf = Vec::new();
    stream.read_to_end(&mut buf).await.unwrap();
    let end = buf
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("response head");
    let head = String::from_utf8(buf[..end].to_vec()).unwrap();
    let mut lines = head.split("\r\n");
    let status = lines
        .next()
        .unwrap()
        .split(' ')
        .nth(1)
        .unwrap()
        .parse()
        .unwrap();
    let headers = lines
        .map(|l| {
            let (n, v) = l.split_once(':').unwrap();
            (n.trim().to_ascii_lowercase(), v.trim().to_owned())
        })
        .collect();
    RawReply {
        status,
        headers,
        body: buf[end + 4..].to_vec(),
    }
}

fn assert_rejection_envelope(reply: &RawReply, code: i64) {
    assert_eq!(reply.header("content-type"), Some("application/json"));
    assert!(reply.header("cf-ray").is_some_and(|r| !r.is_empty()));
    let body: Value = serde_json::from_slice(&reply.body).unwrap();
    assert_eq!(body["success"], json!(false));
    assert_eq!(body["messages"], json!([]));
    assert_eq!(body["result"], Value::Null);
    let errors = body["errors"].as_array().unwrap();
    assert_eq!(errors.len(), 1);
    assert_eq!(errors[0]["code"], json!(code));
    assert!(errors[0]["code"].as_i64().unwrap() >= 1000);
    assert!(!errors[0]["message"].as_str().unwrap().is_empty());
}

#[tokio::test]
async fn raw_http_edge_cases() {
    let mock = start().await;
    let base = mock.base_path().to_owned();
    let (index, op) = find_op(|op| {
        is_json(op)
            && op
                .body
                .as_ref()
                .is_some_and(|b| b.content_type == "application/json")
            && op.examples.request.is_some()
            && op
                .params_in(ParamLocation::Query)
                .all(|p| !p.field.required)
    });
    let path = format!("{base}{}", sample_path(op).0);
    let body = op.examples.request.as_ref().unwrap().to_string();
    let m = op.method.as_str();
    let auth = "Authorization: Bearer t\r\n";

    // A chunked request body is de-chunked and accepted.
    let (a, b) = body.split_at(body.len() / 2);
    let chunked = format!(
        "{m} {path} HTTP/1.1\r\nHost: x\r\n{auth}\
         Content-Type: application/json; charset=utf-8\r\n\
         Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n\
         {:x}\r\n{a}\r\n{:x}\r\n{b}\r\n0\r\n\r\n",
        a.len(),
        b.len()
    );
    let reply = raw_http(mock.addr(), chunked.as_bytes()).await;
    assert_eq!(
        reply.status,
        200,
        "{}",
        String::from_utf8_lossy(&reply.body)
    );
    let rec = mock.last_request().unwrap();
    assert_eq!(
        (rec.operation, rec.body),
        (Some(index), body.clone().into_bytes())
    );

    // Wrong content type, broken JSON.
    for (content_type, payload, code) in [
        ("text/plain", body.as_str(), code::CONTENT_TYPE),
        ("application/json", "{\"unterminated\": ", code::BODY_JSON),
    ] {
        let req = format!(
            "{m} {path} HTTP/1.1\r\nHost: x\r\n{auth}Content-Type: {content_type}\r\n\
             Content-Length: {}\r\nConnection: close\r\n\r\n{payload}",
            payload.len()
        );
        let reply = raw_http(mock.addr(), req.as_bytes()).await;
        assert_eq!(reply.status, 400);
        assert_rejection_envelope(&reply, code);
    }

    // 405 carries Allow; outside the base path is 404; garbage is 400.
    let delete_less = ops()
        .iter()
        .find(|o| {
            !ops()
                .iter()
                .any(|p| p.path == o.path && p.method.as_str() == "DELETE")
        })
        .unwrap();
    let req = format!(
        "DELETE {base}{} HTTP/1.1\r\nHost: x\r\n{auth}Connection: close\r\n\r\n",
        sample_path(delete_less).0
    );
    let reply = raw_http(mock.addr(), req.as_bytes()).await;
    assert_eq!(reply.status, 405);
    assert!(
        reply
            .header("allow")
            .is_some_and(|a| a.contains(delete_less.method.as_str()))
    );
    assert_rejection_envelope(&reply, code::METHOD);

    let req = format!(
        "GET {} HTTP/1.1\r\nHost: x\r\n{auth}Connection: close\r\n\r\n",
        sample_path(delete_less).0
    );
    let reply = raw_http(mock.addr(), req.as_bytes()).await;
    assert_eq!(reply.status, 404, "routes live under {base}");
    assert_rejection_envelope(&reply, code::NO_ROUTE);

    for garbage in [
        &b"NOT HTTP\r\n\r\n"[..],
        b"GET / HTTP/2.0\r\n\r\n",
        b"GET * HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
        b"GET / HTTP/1.1\r\nContent-Length: x\r\n\r\n",
    ] {
        let reply = raw_http(mock.addr(), garbage).await;
        assert_eq!(reply.status, 400, "{}", String::from_utf8_lossy(garbage));
        assert_rejection_envelope(&reply, code::MALFORMED);
    }

    // Keep-alive: two requests on one connection, answered in order.
    let get = find_op(|o| {
        is_json(o)
            && o.method.as_str() == "GET"
            && o.params.iter().all(|p| p.location == ParamLocation::Path)
    })
    .1;
    let one = format!(
        "GET {base}{} HTTP/1.1\r\nHost: x\r\n{auth}\r\n",
        sample_path(get).0
    );
    let two = format!("GET {base}/nope HTTP/1.1\r\nHost: x\r\n{auth}Connection: close\r\n\r\n");
    let reply = raw_http(mock.addr(), format!("{one}{two}").as_bytes()).await;
    assert_eq!(reply.status, 200);
    let text = String::from_utf8_lossy(&reply.body);
    assert!(
        text.contains("HTTP/1.1 404 "),
        "second response follows the first: {text}"
    );
}
