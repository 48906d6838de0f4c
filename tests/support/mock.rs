//! A mock Cloudflare API server built entirely from the IR.
//!
//! Nothing about Magic Transit is written here: routes, authentication schemes, parameters,
//! body schemas and answers all come from a [`codegen::ir::Ir`] (normally
//! `codegen::build_ir` on `<workspace>/spec`). It is a real HTTP/1.1 server on `127.0.0.1`
//! (random port, keep-alive, `Content-Length` or chunked request bodies), hand-written on
//! `tokio::net` like `support/server.rs` so that the raw request-target is visible.
//!
//! Included by a test file with `#[path = "../support/mock.rs"] mod mock;`.
//!
//! ```ignore
//! let mock = MockServer::start(Arc::new(ir)).await;       // 127.0.0.1, random port
//! let client = Client::builder(Credentials::api_token("t"))
//!     .base_url(mock.base_url())                          // http://127.0.0.1:PORT/client/v4
//!     .build()?;
//! // Script faults per operation (index into `ir.operations`); valid requests only.
//! mock.override_once(op, Scripted::error(429, 971, "slow down").header("retry-after", "0"));
//! mock.override_response(op, Scripted::success(json!({"id": "x", "new_field": 1})));
//! // ... call the client ...
//! let rec = mock.last_request().unwrap();  // also: requests(), count(), clear_requests()
//! assert_eq!(rec.operation, Some(op));     // which operation the router chose
//! assert_eq!(rec.path_param("pcap_id"), Some("a/b"));
//! assert_eq!(rec.rejection, None);         // or Some(Rejection { status, code, message, .. })
//! ```
//!
//! # What every request goes through, in this order
//!
//! 1. **Routing.** The request-target must start with the path of [`Ir::base_url`]
//!    (`/client/v4`); the rest is split on `/` and matched against every
//!    [`Operation::segments`]. Literal segments are compared after percent-decoding, a
//!    [`Segment::Param`] takes one whole (non-empty) segment, and a [`Segment::Compound`]
//!    (`{event_t}.{event_n}`) is split on its literal parts *before* its pieces are decoded.
//!    Among matching templates the most specific wins, segment by segment from the left
//!    (literal > compound > parameter), so `…/events/latest` never reaches
//!    `…/events/{event_t}.{event_n}`. No match: **404** ([`code::NO_ROUTE`]); the winning
//!    template has no operation for the method: **405** with `Allow` ([`code::METHOD`]).
//!    Bad percent-encoding or a malformed request: **400** ([`code::MALFORMED`]).
//! 2. **Authentication**, from [`Ir::auth`] and [`Operation::auth`]: one accepted scheme must
//!    have all its headers, non-empty, with the scheme's prefix where it has one
//!    (`Authorization: Bearer <token>`). Otherwise **401** ([`code::AUTH`]).
//! 3. **Path parameters** must parse as their declared type; an `integer` must be an exact
//!    decimal integer (`1.0`, `1e3` and `+1` are refused). **400** ([`code::PATH_PARAM`]).
//! 4. **Header parameters** (e.g. `x-magic-new-hc-target`) must parse as their type
//!    (`true`/`false` for booleans); required ones must be present. **400**
//!    ([`code::HEADER`]).
//! 5. **Query**: every key must be a declared query parameter of the operation (prose-only
//!    ones such as `validate_only` included) — **400** ([`code::UNKNOWN_QUERY`]); values must
//!    parse as the declared type (enums: one of the values, any string for `open` enums),
//!    a non-array parameter may appear once — **400** ([`code::QUERY_VALUE`]); required ones
//!    must be present — **400** ([`code::MISSING_QUERY`]).
//! 6. **Body**: an operation with a body needs a non-empty one ([`code::BODY_MISSING`]) with
//!    the declared content type ([`code::CONTENT_TYPE`]), valid JSON ([`code::BODY_JSON`])
//!    that passes [`codegen::ir::check_value`] against the body type
//!    ([`code::BODY_SCHEMA`]); an operation without a body must get none
//!    ([`code::BODY_UNEXPECTED`]). All **400**.
//! 7. **Answer**: a scripted response if the test set one (see
//!    [`MockServer::override_response`]); else [`Response::Envelope`]/[`Response::Json`]:
//!    200 with the documented `examples.response` (or a `null`-result envelope if there is
//!    none); [`Response::None`]: 200 with `{"success":true,"errors":[],"messages":[],
//!    "result":null}`; [`Response::Binary`]: 200, `application/vnd.tcpdump.pcap`,
//!    [`pcap_bytes`] sent as several `Transfer-Encoding: chunked` frames.
//!
//! Every rejection is a Cloudflare-style envelope
//! `{"success":false,"errors":[{"code":N,"message":"…"}],"messages":[],"result":null}`.
//! Every response carries a `cf-ray` header. Every request is recorded (see [`Recorded`])
//! before its response is written, so a test sees it as soon as its call returns.
#![allow(dead_code)] // each test file uses a different subset

use std::collections::{HashMap, VecDeque};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, OnceLock, PoisonError};

use codegen::ir::{
    Defs, Ir, Operation, Param, ParamLocation, Response, Segment, Ty, TypeBody, check_value,
};
use serde_json::{Value, json};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::{JoinHandle, JoinSet};

/// The `code` of each kind of rejection in the error envelope.
pub mod code {
    /// Unparseable HTTP, bad percent-encoding, a request-target that is not a path.
    pub const MALFORMED: i64 = 1001;
    /// A path parameter does not parse as its type.
    pub const PATH_PARAM: i64 = 1002;
    /// A header parameter is missing or does not parse as its type.
    pub const HEADER: i64 = 1003;
    /// A query key the operation does not declare.
    pub const UNKNOWN_QUERY: i64 = 1004;
    /// A query value that does not parse as its type, or a repeated key.
    pub const QUERY_VALUE: i64 = 1005;
    /// A required query parameter is absent.
    pub const MISSING_QUERY: i64 = 1006;
    /// The body's `Content-Type` is not the declared one.
    pub const CONTENT_TYPE: i64 = 1007;
    /// The body is not JSON.
    pub const BODY_JSON: i64 = 1008;
    /// The body is JSON but does not fit the operation's body type.
    pub const BODY_SCHEMA: i64 = 1009;
    /// The operation needs a body and got none.
    pub const BODY_MISSING: i64 = 1010;
    /// The operation takes no body and got one.
    pub const BODY_UNEXPECTED: i64 = 1011;
    /// No operation's template matches the path (404).
    pub const NO_ROUTE: i64 = 7000;
    /// The path matches, the method does not (405).
    pub const METHOD: i64 = 7001;
    /// No accepted authentication scheme is satisfied (401).
    pub const AUTH: i64 = 10000;
}

/// Request heads larger than this are refused.
const HEAD_LIMIT: usize = 64 * 1024;
/// Request bodies larger than this are refused.
const BODY_LIMIT: usize = 8 * 1024 * 1024;
/// Frame size of the binary (pcap) answer.
pub const PCAP_CHUNK: usize = 1024;
/// Content type of binary answers.
pub const PCAP_CONTENT_TYPE: &str = "application/vnd.tcpdump.pcap";

/// A request as the mock received it, and what it did with it.
#[derive(Debug, Clone)]
pub struct Recorded {
    /// `GET`, `POST`, ... as sent.
    pub method: String,
    /// The raw request-target, exactly as sent (`/client/v4/accounts/a%2Fb/...?x=1`).
    pub target: String,
    /// Index into [`Ir::operations`] of the operation the request was routed to (also set
    /// when a later check rejected it); `None` for 404/405 and malformed requests.
    pub operation: Option<usize>,
    /// Decoded path parameters of the matched template, in template order.
    pub path_params: Vec<(String, String)>,
    /// Header names lower-cased, values as sent (trimmed).
    pub headers: Vec<(String, String)>,
    /// The body, de-chunked.
    pub body: Vec<u8>,
    /// The status the mock answered.
    pub status: u16,
    /// Why the request was refused, if it was.
    pub rejection: Option<Rejection>,
}

impl Recorded {
    /// The first value of header `name` (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The target's path, without the query.
    pub fn path(&self) -> &str {
        self.target.split('?').next().unwrap_or("")
    }

    /// The decoded query pairs, in order (empty if the query does not decode).
    pub fn query_pairs(&self) -> Vec<(String, String)> {
        self.target
            .split_once('?')
            .and_then(|(_, q)| parse_query(q).ok())
            .unwrap_or_default()
    }

    /// The decoded value of path parameter `name`.
    pub fn path_param(&self, name: &str) -> Option<&str> {
        self.path_params
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    /// The body parsed as JSON, if it is JSON.
    pub fn json(&self) -> Option<Value> {
        serde_json::from_slice(&self.body).ok()
    }
}

/// Why the mock refused a request: the status and the single error of the envelope.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rejection {
    /// 400, 401, 404 or 405.
    pub status: u16,
    /// One of the [`code`] constants.
    pub code: i64,
    /// What was wrong, as sent in `errors[0].message`.
    pub message: String,
    /// Extra response headers (`Allow` on a 405).
    pub headers: Vec<(String, String)>,
}

impl Rejection {
    fn new(status: u16, code: i64, message: impl Into<String>) -> Self {
        Self {
            status,
            code,
            message: message.into(),
            headers: Vec::new(),
        }
    }

    fn bad(code: i64, message: impl Into<String>) -> Self {
        Self::new(400, code, message)
    }
}

/// A response a test scripts for one operation (sent with `Content-Length`; a `cf-ray`
/// header is added unless the script has one).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scripted {
    pub status: u16,
    /// Header names as given (sent verbatim).
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Scripted {
    /// `status` with a JSON body.
    pub fn json(status: u16, body: &Value) -> Self {
        Self {
            status,
            headers: vec![("content-type".into(), "application/json".into())],
            body: body.to_string().into_bytes(),
        }
    }

    /// 200 with a successful envelope around `result`.
    pub fn success(result: Value) -> Self {
        Self::json(
            200,
            &json!({"success": true, "errors": [], "messages": [], "result": result}),
        )
    }

    /// `status` with a Cloudflare error envelope carrying one error.
    pub fn error(status: u16, code: i64, message: &str) -> Self {
        Self::json(status, &error_envelope(code, message))
    }

    /// `status` with an empty body and no content type.
    pub fn empty(status: u16) -> Self {
        Self {
            status,
            headers: Vec::new(),
            body: Vec::new(),
        }
    }

    /// Adds a header.
    pub fn header(mut self, name: &str, value: &str) -> Self {
        self.headers.push((name.to_owned(), value.to_owned()));
        self
    }
}

/// The scripted responses of one operation.
#[derive(Default)]
struct Overrides {
    /// Consumed one per request, before `sticky`.
    once: VecDeque<Scripted>,
    sticky: Option<Scripted>,
}

struct State {
    ir: Arc<Ir>,
    /// Path of `ir.base_url`, without a trailing slash (`/client/v4`).
    base_path: String,
    log: Mutex<Vec<Recorded>>,
    overrides: Mutex<HashMap<usize, Overrides>>,
    counter: AtomicU64,
}

/// A running mock; stops accepting (and drops its open connections) when dropped.
pub struct MockServer {
    addr: SocketAddr,
    state: Arc<State>,
    task: JoinHandle<()>,
}

impl MockServer {
    /// Binds `127.0.0.1:0` and starts serving the operations of `ir`.
    ///
    /// Panics only if the loopback socket cannot be bound.
    pub async fn start(ir: Arc<Ir>) -> MockServer {
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind loopback");
        let addr = listener.local_addr().expect("local addr");
        let base_path = url_path(&ir.base_url);
        let state = Arc::new(State {
            ir,
            base_path,
            log: Mutex::new(Vec::new()),
            overrides: Mutex::new(HashMap::new()),
            counter: AtomicU64::new(0),
        });
        let task_state = state.clone();
        let task = tokio::spawn(async move {
            // Dropping the set (when this task is aborted) aborts every connection.
            let mut connections = JoinSet::new();
            loop {
                tokio::select! {
                    accepted = listener.accept() => match accepted {
                        Ok((stream, _)) => {
                            connections.spawn(serve_connection(stream, task_state.clone()));
                        }
                        Err(_) => return,
                    },
                    Some(_) = connections.join_next(), if !connections.is_empty() => {}
                }
            }
        });
        MockServer { addr, state, task }
    }

    /// `http://127.0.0.1:PORT/client/v4`: the IR's base path on the mock's address.
    pub fn base_url(&self) -> String {
        format!("http://{}{}", self.addr, self.state.base_path)
    }

    /// The socket address, for tests that speak raw HTTP.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The base path every route lives under (`/client/v4`; empty if the IR's base URL has
    /// no path).
    pub fn base_path(&self) -> &str {
        &self.state.base_path
    }

    /// Every request so far, in arrival order.
    pub fn requests(&self) -> Vec<Recorded> {
        lock(&self.state.log).clone()
    }

    /// The most recent request.
    pub fn last_request(&self) -> Option<Recorded> {
        lock(&self.state.log).last().cloned()
    }

    /// How many requests arrived so far.
    pub fn count(&self) -> usize {
        lock(&self.state.log).len()
    }

    /// Forgets the recorded requests.
    pub fn clear_requests(&self) {
        lock(&self.state.log).clear();
    }

    /// From now on, answer every *valid* request for operation `op` (an index into
    /// [`Ir::operations`]) with `response` instead of the documented one. Requests the
    /// mock rejects still get their rejection.
    pub fn override_response(&self, op: usize, response: Scripted) {
        lock(&self.state.overrides).entry(op).or_default().sticky = Some(response);
    }

    /// Answers the next valid request for `op` with `response` (one-shot; several calls
    /// queue up and are used before any [`override_response`](Self::override_response)).
    pub fn override_once(&self, op: usize, response: Scripted) {
        lock(&self.state.overrides)
            .entry(op)
            .or_default()
            .once
            .push_back(response);
    }

    /// Drops every scripted response: all operations answer as documented again.
    pub fn clear_overrides(&self) {
        lock(&self.state.overrides).clear();
    }
}

impl Drop for MockServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

/// The workspace spec's IR, parsed once per test binary. `'static` so that parameter names can
/// be given to `RawRequest::query`/`header`, which take `&'static str`.
pub fn spec_ir() -> &'static Arc<Ir> {
    static IR: OnceLock<Arc<Ir>> = OnceLock::new();
    IR.get_or_init(|| {
        let dir = PathBuf::from(
            std::env::var_os("CARGO_MANIFEST_DIR")
                .unwrap_or_else(|| env!("CARGO_MANIFEST_DIR").into()),
        )
        .join("../spec");
        match codegen::read_spec_dir(&dir).and_then(|(d, r)| codegen::build_ir(&d, r.as_ref())) {
            Ok((ir, _)) => Arc::new(ir),
            Err(e) => panic!("the spec must parse:\n{e}"),
        }
    })
}

/// The index of the operation `method path`, the path written without the
/// `/accounts/{account_id}` prefix every operation shares.
pub fn op_index(method: &str, path: &str) -> usize {
    let full = format!("/accounts/{{account_id}}{path}");
    spec_ir()
        .operations
        .iter()
        .position(|op| op.method.as_str() == method && op.path == full)
        .unwrap_or_else(|| panic!("no operation {method} {full} in the IR"))
}

/// The deterministic binary answer of [`Response::Binary`] operations: a little-endian
/// pcap file (global header, then 64 Ethernet-sized records of pseudo-random bytes),
/// about 6.5 KB.
pub fn pcap_bytes() -> Vec<u8> {
    let mut out = Vec::with_capacity(8 * 1024);
    out.extend_from_slice(&0xa1b2_c3d4u32.to_le_bytes()); // magic, microsecond timestamps
    out.extend_from_slice(&2u16.to_le_bytes()); // version major
    out.extend_from_slice(&4u16.to_le_bytes()); // version minor
    out.extend_from_slice(&0i32.to_le_bytes()); // thiszone
    out.extend_from_slice(&0u32.to_le_bytes()); // sigfigs
    out.extend_from_slice(&65_535u32.to_le_bytes()); // snaplen
    out.extend_from_slice(&1u32.to_le_bytes()); // LINKTYPE_ETHERNET
    let mut x = 0x2545_f491u32;
    for i in 0..64u32 {
        let len = 60 + (i % 5) * 8;
        for word in [1_700_000_000 + i, i * 1000, len, len] {
            out.extend_from_slice(&word.to_le_bytes());
        }
        for _ in 0..len {
            // xorshift32
            x ^= x << 13;
            x ^= x >> 17;
            x ^= x << 5;
            out.push(x.to_le_bytes()[0]);
        }
    }
    out
}

fn error_envelope(code: i64, message: &str) -> Value {
    json!({
        "success": false,
        "errors": [{"code": code, "message": message}],
        "messages": [],
        "result": null,
    })
}

fn null_envelope() -> Value {
    json!({"success": true, "errors": [], "messages": [], "result": null})
}

/// The path of an absolute URL, without a trailing slash (`https://h/client/v4/` →
/// `/client/v4`).
fn url_path(url: &str) -> String {
    let after_scheme = url.split_once("://").map_or(url, |(_, rest)| rest);
    let path = after_scheme.find('/').map_or("", |i| &after_scheme[i..]);
    let path = path.split(['?', '#']).next().unwrap_or("");
    path.trim_end_matches('/').to_owned()
}

// ---------------------------------------------------------------------------------------
// HTTP/1.1

/// A parsed request.
struct HttpRequest {
    method: String,
    target: String,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
    keep_alive: bool,
}

impl HttpRequest {
    fn header_values<'a>(&'a self, name: &str) -> impl Iterator<Item = &'a str> + use<'a> {
        let name = name.to_ascii_lowercase();
        self.headers
            .iter()
            .filter(move |(n, _)| *n == name)
            .map(|(_, v)| v.as_str())
    }

    fn header(&self, name: &str) -> Option<&str> {
        self.header_values(name).next()
    }
}

enum ReadError {
    /// The peer closed the connection (between or in the middle of requests).
    Closed,
    /// Not HTTP/1.x we can handle; answered with 400 and the connection is closed.
    Malformed(String),
}

struct Conn {
    stream: TcpStream,
    buf: Vec<u8>,
}

impl Conn {
    /// Reads more bytes into the buffer.
    async fn fill(&mut self) -> Result<(), ReadError> {
        let mut chunk = [0u8; 8192];
        match self.stream.read(&mut chunk).await {
            Ok(0) | Err(_) => Err(ReadError::Closed),
            Ok(n) => {
                self.buf
                    .extend_from_slice(chunk.get(..n).unwrap_or_default());
                Ok(())
            }
        }
    }

    /// Takes bytes up to `delimiter` (excluded; the delimiter is consumed).
    async fn take_until(&mut self, delimiter: &[u8], limit: usize) -> Result<Vec<u8>, ReadError> {
        let mut searched = 0;
        loop {
            if let Some(pos) = find(&self.buf[searched..], delimiter) {
                let end = searched + pos;
                let out = self.buf[..end].to_vec();
                self.buf.drain(..end + delimiter.len());
                return Ok(out);
            }
            if self.buf.len() > limit {
                return Err(ReadError::Malformed(format!(
                    "request head or chunk line longer than {limit} bytes"
                )));
            }
            searched = self.buf.len().saturating_sub(delimiter.len());
            self.fill().await?;
        }
    }

    async fn take(&mut self, n: usize) -> Result<Vec<u8>, ReadError> {
        while self.buf.len() < n {
            self.fill().await?;
        }
        Ok(self.buf.drain(..n).collect())
    }

    async fn read_request(&mut self) -> Result<HttpRequest, ReadError> {
        // Tolerate empty lines before a request (RFC 9112 §2.2).
        while self.buf.starts_with(b"\r\n") {
            self.buf.drain(..2);
        }
        let head = self.take_until(b"\r\n\r\n", HEAD_LIMIT).await?;
        let head = String::from_utf8(head)
            .map_err(|_| ReadError::Malformed("request head is not UTF-8".into()))?;
        let mut lines = head.split("\r\n");
        let request_line = lines.next().unwrap_or_default();
        let parts: Vec<&str> = request_line.split(' ').collect();
        let [method, target, version] = parts.as_slice() else {
            return Err(ReadError::Malformed(format!(
                "malformed request line `{}`",
                request_line.escape_debug()
            )));
        };
        if method.is_empty() || !method.bytes().all(|b| b.is_ascii_alphabetic()) {
            return Err(ReadError::Malformed("malformed method".into()));
        }
        let http10 = match *version {
            "HTTP/1.1" => false,
            "HTTP/1.0" => true,
            other => {
                return Err(ReadError::Malformed(format!(
                    "unsupported protocol `{}`",
                    other.escape_debug()
                )));
            }
        };
        let mut headers = Vec::new();
        for line in lines {
            let Some((name, value)) = line.split_once(':') else {
                return Err(ReadError::Malformed(format!(
                    "malformed header line `{}`",
                    line.escape_debug()
                )));
            };
            if name.is_empty() || name.bytes().any(|b| !b.is_ascii_graphic()) {
                return Err(ReadError::Malformed("malformed header name".into()));
            }
            headers.push((name.to_ascii_lowercase(), value.trim().to_owned()));
        }
        let mut request = HttpRequest {
            method: (*method).to_owned(),
            target: (*target).to_owned(),
            headers,
            body: Vec::new(),
            keep_alive: false,
        };
        let connection = request
            .header("connection")
            .unwrap_or("")
            .to_ascii_lowercase();
        request.keep_alive = if http10 {
            connection.contains("keep-alive")
        } else {
            !connection.contains("close")
        };

        let chunked = match request.header("transfer-encoding") {
            None => false,
            Some(te) if te.eq_ignore_ascii_case("chunked") => true,
            Some(te) => {
                return Err(ReadError::Malformed(format!(
                    "unsupported transfer-encoding `{}`",
                    te.escape_debug()
                )));
            }
        };
        let lengths: Vec<&str> = request.header_values("content-length").collect();
        let length = match (chunked, lengths.as_slice()) {
            (_, []) => None,
            (true, _) => {
                return Err(ReadError::Malformed(
                    "both content-length and transfer-encoding".into(),
                ));
            }
            (false, [first, rest @ ..]) => {
                if rest.iter().any(|l| l != first) {
                    return Err(ReadError::Malformed("conflicting content-length".into()));
                }
                let n = first
                    .parse::<usize>()
                    .ok()
                    .filter(|_| first.bytes().all(|b| b.is_ascii_digit()))
                    .ok_or_else(|| ReadError::Malformed("invalid content-length".into()))?;
                Some(n)
            }
        };
        if length.is_some_and(|n| n > BODY_LIMIT) {
            return Err(ReadError::Malformed(format!(
                "body larger than {BODY_LIMIT} bytes"
            )));
        }
        let expects_body = chunked || length.is_some_and(|n| n > 0);
        if expects_body
            && request
                .header("expect")
                .is_some_and(|e| e.eq_ignore_ascii_case("100-continue"))
        {
            let _ = self
                .stream
                .write_all(b"HTTP/1.1 100 Continue\r\n\r\n")
                .await;
        }
        request.body = if chunked {
            self.read_chunked().await?
        } else {
            self.take(length.unwrap_or(0)).await?
        };
        Ok(request)
    }

    async fn read_chunked(&mut self) -> Result<Vec<u8>, ReadError> {
        let mut body = Vec::new();
        loop {
            let line = self.take_until(b"\r\n", 1024).await?;
            let line = String::from_utf8(line)
                .map_err(|_| ReadError::Malformed("chunk size line is not UTF-8".into()))?;
            let size = line.split(';').next().unwrap_or("").trim();
            let size = usize::from_str_radix(size, 16)
                .map_err(|_| ReadError::Malformed("invalid chunk size".into()))?;
            if size == 0 {
                // Trailers, up to the empty line.
                loop {
                    if self.take_until(b"\r\n", HEAD_LIMIT).await?.is_empty() {
                        return Ok(body);
                    }
                }
            }
            if body.len().saturating_add(size) > BODY_LIMIT {
                return Err(ReadError::Malformed(format!(
                    "body larger than {BODY_LIMIT} bytes"
                )));
            }
            body.extend_from_slice(&self.take(size).await?);
            if self.take(2).await? != b"\r\n" {
                return Err(ReadError::Malformed("chunk not followed by CRLF".into()));
            }
        }
    }
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

enum ReplyBody {
    Full(Vec<u8>),
    Chunked(Vec<Vec<u8>>),
}

struct Reply {
    status: u16,
    headers: Vec<(String, String)>,
    body: ReplyBody,
}

impl Reply {
    fn json(status: u16, value: &Value) -> Reply {
        Reply {
            status,
            headers: vec![("content-type".into(), "application/json".into())],
            body: ReplyBody::Full(value.to_string().into_bytes()),
        }
    }

    fn rejection(r: &Rejection) -> Reply {
        let mut reply = Reply::json(r.status, &error_envelope(r.code, &r.message));
        reply.headers.extend(r.headers.iter().cloned());
        reply
    }

    fn has_header(&self, name: &str) -> bool {
        self.headers
            .iter()
            .any(|(n, _)| n.eq_ignore_ascii_case(name))
    }
}

async fn serve_connection(stream: TcpStream, state: Arc<State>) {
    let mut conn = Conn {
        stream,
        buf: Vec::new(),
    };
    loop {
        let (reply, keep_alive) = match conn.read_request().await {
            Ok(request) => {
                let keep_alive = request.keep_alive;
                (state.handle(request), keep_alive)
            }
            Err(ReadError::Closed) => return,
            Err(ReadError::Malformed(message)) => {
                let rejection = Rejection::bad(code::MALFORMED, message);
                let request = HttpRequest {
                    method: String::new(),
                    target: String::new(),
                    headers: Vec::new(),
                    body: Vec::new(),
                    keep_alive: false,
                };
                (
                    state.finish(request, None, Vec::new(), Err(rejection)),
                    false,
                )
            }
        };
        if !write_reply(&mut conn.stream, reply, keep_alive).await || !keep_alive {
            let _ = conn.stream.shutdown().await;
            return;
        }
    }
}

/// Returns whether the write succeeded.
async fn write_reply(stream: &mut TcpStream, reply: Reply, keep_alive: bool) -> bool {
    let mut head = format!("HTTP/1.1 {} {}\r\n", reply.status, reason(reply.status));
    for (name, value) in &reply.headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    if !keep_alive {
        head.push_str("connection: close\r\n");
    }
    match reply.body {
        ReplyBody::Full(body) => {
            head.push_str(&format!("content-length: {}\r\n\r\n", body.len()));
            let mut out = head.into_bytes();
            out.extend_from_slice(&body);
            stream.write_all(&out).await.is_ok()
        }
        ReplyBody::Chunked(chunks) => {
            head.push_str("transfer-encoding: chunked\r\n\r\n");
            if stream.write_all(head.as_bytes()).await.is_err() {
                return false;
            }
            for chunk in chunks.iter().filter(|c| !c.is_empty()) {
                let mut frame = format!("{:x}\r\n", chunk.len()).into_bytes();
                frame.extend_from_slice(chunk);
                frame.extend_from_slice(b"\r\n");
                if stream.write_all(&frame).await.is_err() || stream.flush().await.is_err() {
                    return false;
                }
            }
            stream.write_all(b"0\r\n\r\n").await.is_ok()
        }
    }
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        201 => "Created",
        204 => "No Content",
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        409 => "Conflict",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        _ => "Scripted",
    }
}

// ---------------------------------------------------------------------------------------
// The API

/// Decoded `(name, value)` pairs.
type Pairs = Vec<(String, String)>;

/// Where routing got.
struct Routed {
    op: usize,
    /// Decoded path parameters, in template order.
    params: Pairs,
}

impl State {
    /// Checks and answers one request, and records it.
    fn handle(&self, request: HttpRequest) -> Reply {
        let mut params = Vec::new();
        let mut op = None;
        let outcome = self.evaluate(&request, &mut op, &mut params);
        self.finish(request, op, params, outcome)
    }

    /// Builds the reply, records the exchange and stamps `cf-ray`.
    fn finish(
        &self,
        request: HttpRequest,
        op: Option<usize>,
        path_params: Vec<(String, String)>,
        outcome: Result<usize, Rejection>,
    ) -> Reply {
        let n = self.counter.fetch_add(1, Ordering::Relaxed);
        let (mut reply, rejection) = match outcome {
            Ok(op) => (self.answer(op), None),
            Err(rejection) => (Reply::rejection(&rejection), Some(rejection)),
        };
        if !reply.has_header("cf-ray") {
            reply.headers.push((
                "cf-ray".into(),
                format!("{:016x}-MCK", 0x6d6f_636b_0000_0000 | n),
            ));
        }
        lock(&self.log).push(Recorded {
            method: request.method,
            target: request.target,
            operation: op,
            path_params,
            headers: request.headers,
            body: request.body,
            status: reply.status,
            rejection,
        });
        reply
    }

    /// The answer to a valid request for operation `op`.
    fn answer(&self, op: usize) -> Reply {
        let scripted = {
            let mut overrides = lock(&self.overrides);
            overrides
                .get_mut(&op)
                .and_then(|o| o.once.pop_front().or_else(|| o.sticky.clone()))
        };
        if let Some(s) = scripted {
            return Reply {
                status: s.status,
                headers: s.headers,
                body: ReplyBody::Full(s.body),
            };
        }
        let Some(operation) = self.ir.operations.get(op) else {
            return Reply::json(200, &null_envelope());
        };
        match &operation.response {
            Response::Envelope { .. } | Response::Json { .. } => Reply::json(
                200,
                operation
                    .examples
                    .response
                    .as_ref()
                    .unwrap_or(&null_envelope()),
            ),
            Response::None => Reply::json(200, &null_envelope()),
            Response::Binary { .. } => Reply {
                status: 200,
                headers: vec![
                    ("content-type".into(), PCAP_CONTENT_TYPE.into()),
                    (
                        "content-disposition".into(),
                        "attachment; filename=\"capture.pcap\"".into(),
                    ),
                ],
                body: ReplyBody::Chunked(
                    pcap_bytes()
                        .chunks(PCAP_CHUNK)
                        .map(<[u8]>::to_vec)
                        .collect(),
                ),
            },
        }
    }

    /// Runs every check; on success returns the operation's index.
    fn evaluate(
        &self,
        request: &HttpRequest,
        matched: &mut Option<usize>,
        path_params: &mut Vec<(String, String)>,
    ) -> Result<usize, Rejection> {
        let target = request.target.as_str();
        if !target.starts_with('/') || !target.is_ascii() || target.contains('#') {
            return Err(Rejection::bad(
                code::MALFORMED,
                format!(
                    "request-target `{}` is not an origin-form path",
                    target.escape_debug()
                ),
            ));
        }
        let (path, query) = match target.split_once('?') {
            Some((p, q)) => (p, Some(q)),
            None => (target, None),
        };

        let routed = self.route(&request.method, path)?;
        *matched = Some(routed.op);
        *path_params = routed.params.clone();
        let op =
            self.ir.operations.get(routed.op).ok_or_else(|| {
                Rejection::new(404, code::NO_ROUTE, "operation index out of range")
            })?;
        let defs = self.ir.defs();

        self.check_auth(op, request)?;
        check_path_params(&defs, op, &routed.params)?;
        check_headers(&defs, op, request)?;
        check_query(&defs, op, query)?;
        check_body(&defs, op, request)?;
        Ok(routed.op)
    }

    fn route(&self, method: &str, path: &str) -> Result<Routed, Rejection> {
        let no_route = || {
            Rejection::new(
                404,
                code::NO_ROUTE,
                format!("No route for that URI: `{}`", path.escape_debug()),
            )
        };
        let rest = match path.strip_prefix(self.base_path.as_str()) {
            Some(rest) if rest.starts_with('/') => rest,
            _ => return Err(no_route()),
        };
        let raw: Vec<&str> = rest[1..].split('/').collect();
        for (i, segment) in raw.iter().enumerate() {
            if let Err(why) = percent_decode(segment, false) {
                return Err(Rejection::bad(
                    code::MALFORMED,
                    format!("path segment {} `{segment}`: {why}", i + 1),
                ));
            }
        }

        // Every operation whose template matches, with its specificity.
        let mut candidates: Vec<(Vec<u8>, Routed)> = Vec::new();
        for (op, operation) in self.ir.operations.iter().enumerate() {
            if let Some((score, params)) = match_template(&operation.segments, &raw) {
                candidates.push((score, Routed { op, params }));
            }
        }
        let Some(best) = candidates.iter().map(|(s, _)| s.clone()).max() else {
            return Err(no_route());
        };
        let mut winners: Vec<Routed> = candidates
            .into_iter()
            .filter(|(s, _)| *s == best)
            .map(|(_, r)| r)
            .collect();
        let method_of = |r: &Routed| self.ir.operations.get(r.op).map(|o| o.method.as_str());
        if let Some(at) = winners.iter().position(|r| method_of(r) == Some(method)) {
            return Ok(winners.swap_remove(at));
        }
        let mut allowed: Vec<&str> = winners.iter().filter_map(method_of).collect();
        allowed.sort_unstable();
        allowed.dedup();
        let template = winners
            .first()
            .and_then(|r| self.ir.operations.get(r.op))
            .map_or("", |o| o.path.as_str());
        let mut rejection = Rejection::new(
            405,
            code::METHOD,
            format!(
                "Method `{}` not allowed for `{template}` (allowed: {})",
                method.escape_debug(),
                allowed.join(", ")
            ),
        );
        rejection.headers.push(("allow".into(), allowed.join(", ")));
        Err(rejection)
    }

    fn check_auth(&self, op: &Operation, request: &HttpRequest) -> Result<(), Rejection> {
        if op.auth.is_empty() {
            return Ok(());
        }
        let mut problems = Vec::new();
        for name in &op.auth {
            let Some(scheme) = self.ir.auth.iter().find(|s| &s.name == name) else {
                problems.push(format!("{name}: scheme not described"));
                continue;
            };
            let mut missing = Vec::new();
            for h in &scheme.headers {
                let value = request.header(&h.name).unwrap_or("").trim();
                let credential = match &h.prefix {
                    None => Some(value),
                    Some(prefix) => value
                        .split_once(' ')
                        .filter(|(p, _)| p.eq_ignore_ascii_case(prefix))
                        .map(|(_, rest)| rest.trim()),
                };
                if credential.is_none_or(str::is_empty) {
                    missing.push(match &h.prefix {
                        Some(prefix) => format!("`{}: {prefix} <credential>`", h.name),
                        None => format!("`{}`", h.name),
                    });
                }
            }
            if missing.is_empty() {
                return Ok(());
            }
            problems.push(format!("{name} needs {}", missing.join(" and ")));
        }
        Err(Rejection::new(
            401,
            code::AUTH,
            format!("Authentication error: {}", problems.join("; ")),
        ))
    }
}

/// Matches the raw (still encoded) segments against a template. Returns the specificity
/// (per segment: 2 literal, 1 compound, 0 parameter) and the decoded parameters.
fn match_template(template: &[Segment], raw: &[&str]) -> Option<(Vec<u8>, Pairs)> {
    if template.len() != raw.len() {
        return None;
    }
    let mut score = Vec::with_capacity(raw.len());
    let mut params = Vec::new();
    for (segment, raw) in template.iter().zip(raw) {
        match segment {
            Segment::Literal { text } => {
                if percent_decode(raw, false).ok()? != *text {
                    return None;
                }
                score.push(2);
            }
            Segment::Param { name } => {
                let value = percent_decode(raw, false).ok()?;
                if value.is_empty() {
                    return None;
                }
                params.push((name.clone(), value));
                score.push(0);
            }
            Segment::Compound { parts } => {
                params.extend(split_compound(parts, raw)?);
                score.push(1);
            }
        }
    }
    Some((score, params))
}

/// Splits one raw segment along a compound template's literal parts. A parameter followed by a
/// literal ends at one of that literal's occurrences, tried from the last one back (a timestamp
/// `1700000000.25` followed by `.` and a sequence number keeps its own dot); the first split
/// that matches the whole template wins. Pieces are decoded after splitting and must be
/// non-empty.
fn split_compound(parts: &[Segment], raw: &str) -> Option<Pairs> {
    match parts.split_first() {
        None => raw.is_empty().then(Vec::new),
        Some((Segment::Literal { text }, rest)) => {
            split_compound(rest, raw.strip_prefix(text.as_str())?)
        }
        Some((Segment::Param { name }, rest)) => {
            let ends: Vec<usize> = match rest.first() {
                None => vec![raw.len()],
                Some(Segment::Literal { text }) => {
                    let mut ends: Vec<usize> =
                        raw.match_indices(text.as_str()).map(|(at, _)| at).collect();
                    ends.reverse();
                    ends
                }
                // Two adjacent parameters cannot be told apart.
                Some(_) => return None,
            };
            ends.into_iter().find_map(|end| {
                let value = percent_decode(raw.get(..end)?, false).ok()?;
                if value.is_empty() {
                    return None;
                }
                let mut out = vec![(name.clone(), value)];
                out.extend(split_compound(rest, raw.get(end..)?)?);
                Some(out)
            })
        }
        Some((Segment::Compound { .. }, _)) => None,
    }
}

fn check_path_params(
    defs: &Defs<'_>,
    op: &Operation,
    params: &[(String, String)],
) -> Result<(), Rejection> {
    for (name, value) in params {
        let Some(param) = find_param(op, ParamLocation::Path, name) else {
            continue; // a template parameter without a declaration: any text
        };
        check_scalar(defs, &param.field.ty, value).map_err(|expected| {
            Rejection::bad(
                code::PATH_PARAM,
                format!(
                    "path parameter `{name}` must be {expected}, found `{}`",
                    value.escape_debug()
                ),
            )
        })?;
    }
    Ok(())
}

fn check_headers(defs: &Defs<'_>, op: &Operation, request: &HttpRequest) -> Result<(), Rejection> {
    for param in op.params_in(ParamLocation::Header) {
        let name = &param.field.name;
        let mut present = false;
        for value in request.header_values(name) {
            present = true;
            check_scalar(defs, &param.field.ty, value).map_err(|expected| {
                Rejection::bad(
                    code::HEADER,
                    format!(
                        "header `{name}` must be {expected}, found `{}`",
                        value.escape_debug()
                    ),
                )
            })?;
        }
        if !present && param.field.required {
            return Err(Rejection::bad(
                code::HEADER,
                format!("required header `{name}` is missing"),
            ));
        }
    }
    Ok(())
}

fn check_query(defs: &Defs<'_>, op: &Operation, query: Option<&str>) -> Result<(), Rejection> {
    let pairs = match query {
        None => Vec::new(),
        Some(q) => parse_query(q)
            .map_err(|why| Rejection::bad(code::MALFORMED, format!("query string: {why}")))?,
    };
    let declared: Vec<&Param> = op.params_in(ParamLocation::Query).collect();
    let mut seen: HashMap<&str, usize> = HashMap::new();
    for (key, value) in &pairs {
        let Some(param) = declared.iter().find(|p| p.field.name == *key) else {
            let accepted = if declared.is_empty() {
                "accepts no query parameters".to_owned()
            } else {
                let names: Vec<&str> = declared.iter().map(|p| p.field.name.as_str()).collect();
                format!("accepts: {}", names.join(", "))
            };
            return Err(Rejection::bad(
                code::UNKNOWN_QUERY,
                format!(
                    "unknown query parameter `{}` ({} {} {accepted})",
                    key.escape_debug(),
                    op.method.as_str(),
                    op.path
                ),
            ));
        };
        let count = seen.entry(param.field.name.as_str()).or_insert(0);
        *count += 1;
        let item = match &param.field.ty {
            Ty::Array { items } => items.as_ref(),
            _ if *count > 1 => {
                return Err(Rejection::bad(
                    code::QUERY_VALUE,
                    format!("query parameter `{key}` is given more than once"),
                ));
            }
            other => other,
        };
        check_scalar(defs, item, value).map_err(|expected| {
            Rejection::bad(
                code::QUERY_VALUE,
                format!(
                    "query parameter `{key}` must be {expected}, found `{}`",
                    value.escape_debug()
                ),
            )
        })?;
    }
    for param in &declared {
        if param.field.required && !seen.contains_key(param.field.name.as_str()) {
            return Err(Rejection::bad(
                code::MISSING_QUERY,
                format!("required query parameter `{}` is missing", param.field.name),
            ));
        }
    }
    Ok(())
}

fn check_body(defs: &Defs<'_>, op: &Operation, request: &HttpRequest) -> Result<(), Rejection> {
    let Some(body) = &op.body else {
        if request.body.is_empty() {
            return Ok(());
        }
        return Err(Rejection::bad(
            code::BODY_UNEXPECTED,
            format!(
                "{} {} takes no request body, got {} bytes",
                op.method.as_str(),
                op.path,
                request.body.len()
            ),
        ));
    };
    if request.body.is_empty() {
        return Err(Rejection::bad(
            code::BODY_MISSING,
            format!(
                "{} {} requires a {} request body",
                op.method.as_str(),
                op.path,
                body.content_type
            ),
        ));
    }
    let content_type = request.header("content-type").unwrap_or("");
    let essence = content_type.split(';').next().unwrap_or("").trim();
    if !essence.eq_ignore_ascii_case(&body.content_type) {
        return Err(Rejection::bad(
            code::CONTENT_TYPE,
            format!(
                "Content-Type must be `{}`, found `{}`",
                body.content_type,
                content_type.escape_debug()
            ),
        ));
    }
    let value: Value = serde_json::from_slice(&request.body).map_err(|e| {
        Rejection::bad(
            code::BODY_JSON,
            format!("request body is not valid JSON: {e}"),
        )
    })?;
    check_value(defs, &body.ty, &value).map_err(|e| {
        Rejection::bad(
            code::BODY_SCHEMA,
            format!("request body does not match {}: {e}", describe(&body.ty)),
        )
    })
}

fn find_param<'a>(op: &'a Operation, location: ParamLocation, name: &str) -> Option<&'a Param> {
    op.params_in(location).find(|p| p.field.name == name)
}

fn describe(ty: &Ty) -> String {
    match ty {
        Ty::Ref { id } => format!("`{id}`"),
        other => format!("{other:?}").to_lowercase(),
    }
}

/// Checks a path, header or query value against a scalar type. The error says what was
/// expected.
fn check_scalar(defs: &Defs<'_>, ty: &Ty, text: &str) -> Result<(), String> {
    check_scalar_depth(defs, ty, text, 0)
}

fn check_scalar_depth(defs: &Defs<'_>, ty: &Ty, text: &str, depth: usize) -> Result<(), String> {
    if depth > 16 {
        return Err("a value of a type nested too deeply".into());
    }
    let ok = |cond: bool, expected: &str| {
        if cond {
            Ok(())
        } else {
            Err(expected.to_owned())
        }
    };
    match ty {
        Ty::String | Ty::Unknown => Ok(()),
        Ty::Integer => ok(is_integer(text), "an integer"),
        Ty::Number => ok(is_number(text), "a number"),
        Ty::Boolean => ok(matches!(text, "true" | "false"), "`true` or `false`"),
        Ty::True => ok(text == "true", "`true`"),
        Ty::Literal { value } => ok(text == value, &format!("`{value}`")),
        Ty::Map { .. } | Ty::Array { .. } => Err("a scalar (this type cannot be sent here)".into()),
        Ty::Ref { id } => {
            let Some(def) = defs.0.get(id.as_str()) else {
                return Err(format!("a value of the undefined type `{id}`"));
            };
            match &def.body {
                TypeBody::Enum { values, open } => ok(
                    *open || values.iter().any(|v| v == text),
                    &format!("one of {}", values.join(", ")),
                ),
                TypeBody::Alias { target } => check_scalar_depth(defs, target, text, depth + 1),
                TypeBody::Union { alternatives, .. } => {
                    let mut expected = Vec::new();
                    for alt in alternatives {
                        match check_scalar_depth(defs, &alt.ty, text, depth + 1) {
                            Ok(()) => return Ok(()),
                            Err(e) => expected.push(e),
                        }
                    }
                    Err(expected.join(" or "))
                }
                TypeBody::Object { .. } => Err("a scalar (objects cannot be sent here)".into()),
            }
        }
    }
}

/// An exact decimal integer that fits in 64 bits: `-?[0-9]+`.
fn is_integer(text: &str) -> bool {
    let digits = text.strip_prefix('-').unwrap_or(text);
    !digits.is_empty()
        && digits.bytes().all(|b| b.is_ascii_digit())
        && (text.parse::<i64>().is_ok() || text.parse::<u64>().is_ok())
}

/// A JSON-style number (no `inf`, `NaN`, hex or leading `+`).
fn is_number(text: &str) -> bool {
    !text.is_empty()
        && !text.starts_with('+')
        && text
            .bytes()
            .all(|b| b.is_ascii_digit() || matches!(b, b'-' | b'+' | b'.' | b'e' | b'E'))
        && text.parse::<f64>().is_ok_and(f64::is_finite)
}

/// Decodes `%XX` escapes (and `+` as a space in query strings); the result must be UTF-8.
fn percent_decode(raw: &str, plus_as_space: bool) -> Result<String, String> {
    let bytes = raw.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        match b {
            b'%' => {
                let escape = bytes.get(i + 1..i + 3).and_then(|h| match h {
                    [hi, lo] => Some((hex(*hi)? << 4) | hex(*lo)?),
                    _ => None,
                });
                let Some(decoded) = escape else {
                    return Err(format!(
                        "invalid percent-encoding in `{}`",
                        raw.escape_debug()
                    ));
                };
                out.push(decoded);
                i += 3;
            }
            b'+' if plus_as_space => {
                out.push(b' ');
                i += 1;
            }
            other => {
                out.push(other);
                i += 1;
            }
        }
    }
    String::from_utf8(out).map_err(|_| format!("`{}` does not decode to UTF-8", raw.escape_debug()))
}

fn hex(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        b'A'..=b'F' => Some(b - b'A' + 10),
        _ => None,
    }
}

/// Decodes an `application/x-www-form-urlencoded` query string into pairs (a key without
/// `=` has an empty value; empty pieces are skipped).
fn parse_query(query: &str) -> Result<Vec<(String, String)>, String> {
    query
        .split('&')
        .filter(|piece| !piece.is_empty())
        .map(|piece| {
            let (k, v) = piece.split_once('=').unwrap_or((piece, ""));
            Ok((percent_decode(k, true)?, percent_decode(v, true)?))
        })
        .collect()
}
