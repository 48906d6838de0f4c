//! What the tests share: the mock and a client for it, requests built from the IR, and the
//! checks of what the mock recorded and answered.
//!
//! Everything sent is derived from the IR: paths from `Operation::segments` with sample ids,
//! bodies from `examples.request` (or generated from the body type), query and header
//! parameters from `Operation::params`.

use std::net::SocketAddr;
use std::time::Duration;

use magic_api::reqwest::Method;
use magic_api::{
    ApiResponse, Client, Credentials, Error, PathBuilder, RawRequest, RetryPolicy, StreamExt,
};
use magic_api_mock::{self as mock, MockServer, Rejection, spec_ir as ir};
use magic_api_model::{Defs, Operation, ParamLocation, Response, Segment, Ty, TypeBody};
use serde_json::{Value, json};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

pub fn ops() -> &'static [Operation] {
    &ir().operations
}

pub fn defs() -> Defs<'static> {
    ir().defs()
}

pub async fn start() -> MockServer {
    MockServer::builder()
        .stateless()
        .start()
        .await
        .expect("mock on loopback")
}

pub fn client_with(mock: &MockServer, credentials: Credentials) -> Client {
    Client::builder(credentials)
        .base_url(mock.base_url())
        .retry_policy(RetryPolicy::none())
        .timeout(Duration::from_secs(5))
        .build()
        .expect("client")
}

pub fn client(mock: &MockServer) -> Client {
    client_with(mock, Credentials::api_token("t"))
}

pub fn method(op: &Operation) -> Method {
    Method::from_bytes(op.method.as_str().as_bytes()).expect("HTTP method")
}

// ---------------------------------------------------------------------------------------
// Requests from the IR

/// A sample value for a path, query or header parameter of type `ty`.
pub fn sample(ty: &Ty, name: &str) -> String {
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
pub fn param_ty<'a>(op: &'a Operation, location: ParamLocation, name: &str) -> &'a Ty {
    op.params_in(location)
        .find(|p| p.field.name == name)
        .map_or(&Ty::String, |p| &p.field.ty)
}

/// Whether `segment` is exactly one path parameter of `op` declared with type `ty`.
pub fn path_param_is(op: &Operation, segment: &Segment, ty: &Ty) -> bool {
    matches!(segment, Segment::Param { name } if param_ty(op, ParamLocation::Path, name) == ty)
}

/// The encoded path of `op` with `value(name, type)` for each path parameter, and the
/// parameters in template order.
pub fn path_with(
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

pub fn sample_path(op: &Operation) -> (String, Vec<(String, String)>) {
    let (path, params) = path_with(op, |name, ty| sample(ty, name));
    (path.expect("sample path builds"), params)
}

/// The smallest value of `ty`: required fields only, first enum value, first alternative.
pub fn minimal(ty: &Ty, depth: usize) -> Value {
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
pub fn sample_body(op: &Operation) -> Option<Value> {
    let body = op.body.as_ref()?;
    Some(
        op.examples
            .request
            .clone()
            .unwrap_or_else(|| minimal(&body.ty, 0)),
    )
}

pub struct Built {
    pub req: RawRequest,
    /// The encoded path, relative to the base URL.
    pub path: String,
    pub path_params: Vec<(String, String)>,
    pub query: Vec<(String, String)>,
    pub headers: Vec<(String, String)>,
    pub body: Option<Value>,
}

/// A valid request for `op`: required query parameters only, or every declared query and
/// header parameter when `all` is set.
pub fn build(op: &'static Operation, all: bool) -> Built {
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
pub enum Answer {
    Json(ApiResponse<Value>),
    Empty,
    Download {
        content_type: Option<String>,
        bytes: Vec<u8>,
    },
}

pub async fn send(client: &Client, op: &Operation, req: RawRequest) -> Result<Answer, Error> {
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

pub fn documented_result(op: &Operation) -> Value {
    op.examples
        .response
        .as_ref()
        .and_then(|r| r.get("result"))
        .cloned()
        .unwrap_or(Value::Null)
}

/// Checks the client's answer against what the mock documents for `op`.
pub fn assert_documented_answer(index: usize, op: &Operation, answer: &Answer) {
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
pub fn assert_routed(mock: &MockServer, index: usize, built: &Built) {
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
pub async fn expect_rejection(
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
pub fn find_op(pred: impl Fn(&Operation) -> bool) -> (usize, &'static Operation) {
    ops()
        .iter()
        .enumerate()
        .find(|(_, op)| pred(op))
        .expect("the IR has an operation of this kind")
}

pub fn is_json(op: &Operation) -> bool {
    matches!(op.response, Response::Envelope { .. })
}

// ---------------------------------------------------------------------------------------
// Raw HTTP, for what the client never sends

pub struct RawReply {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl RawReply {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// Sends raw bytes (which should ask for `Connection: close`) and reads one response.
pub async fn raw_http(addr: SocketAddr, request: &[u8]) -> RawReply {
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

pub fn assert_rejection_envelope(reply: &RawReply, code: i64) {
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
