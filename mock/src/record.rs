//! What the mock tells a test: the requests it received (the newest, within a bound), what it
//! did with each, and why it refused one.

use std::collections::VecDeque;

use serde_json::{Value, json};

use crate::url::parse_query;

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
    /// The body is larger than the mock's limit (413).
    pub const BODY_TOO_LARGE: i64 = 1012;
    /// The body did not arrive within the mock's idle timeout (408).
    pub const BODY_TIMEOUT: i64 = 1013;
    /// No operation's template matches the path (404).
    pub const NO_ROUTE: i64 = 7000;
    /// The path matches, the method does not (405).
    pub const METHOD: i64 = 7001;
    /// The path names an object the mock does not hold (404): an unknown id, or a child of a
    /// deleted parent.
    pub const NOT_FOUND: i64 = 7003;
    /// No accepted authentication scheme is satisfied (401).
    pub const AUTH: i64 = 10000;
}

/// A request as the mock received it, and what it did with it.
///
/// Its `Debug` never prints a secret: credential headers (`authorization`, `x-auth-key`,
/// `x-auth-user-service-key`, `cookie`) show as `<redacted>` and the body as its length and
/// digest, since a body can carry a PSK or a licence key and test failures print records. The
/// fields themselves hold everything as sent.
#[derive(Clone)]
pub struct Recorded {
    /// `GET`, `POST`, ... as sent.
    pub method: String,
    /// The raw request-target, exactly as sent (`/client/v4/accounts/a%2Fb/...?x=1`).
    pub target: String,
    /// Index into the IR's `operations` of the operation the request was routed to (also set
    /// when a later check rejected it); `None` for 404/405 and malformed requests.
    pub operation: Option<usize>,
    /// Decoded path parameters of the matched template, in template order.
    pub path_params: Vec<(String, String)>,
    /// Header names lower-cased, values as sent (trimmed).
    pub headers: Vec<(String, String)>,
    /// The body, de-chunked, when it is at most [`RECORDED_BODY_LIMIT`] bytes; empty for a
    /// larger one, which is recorded by [`body_len`](Self::body_len) and
    /// [`body_digest`](Self::body_digest) only (so the log's memory stays bounded).
    pub body: Vec<u8>,
    /// The body's length in bytes.
    pub body_len: usize,
    /// [`body_digest`](crate::body_digest) of the whole body.
    pub body_digest: String,
    /// The status the mock answered (0 when a [`Fault::Drop`](crate::Fault::Drop) closed the
    /// connection instead).
    pub status: u16,
    /// Why the mock refused the request, if it did: a validation failure, or a 404 for an
    /// object it does not hold (see [`well_formed`](Self::well_formed)). Scripted faults are
    /// answers, not refusals: `None`.
    pub rejection: Option<Rejection>,
}

/// Headers whose values are credentials, never printed.
const CREDENTIAL_HEADERS: [&str; 4] = [
    "authorization",
    "x-auth-key",
    "x-auth-user-service-key",
    "cookie",
];

impl std::fmt::Debug for Recorded {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let headers: Vec<(&str, &str)> = self
            .headers
            .iter()
            .map(|(name, value)| {
                let shown = if CREDENTIAL_HEADERS
                    .iter()
                    .any(|c| name.eq_ignore_ascii_case(c))
                {
                    "<redacted>"
                } else {
                    value.as_str()
                };
                (name.as_str(), shown)
            })
            .collect();
        f.debug_struct("Recorded")
            .field("method", &self.method)
            .field("target", &self.target)
            .field("operation", &self.operation)
            .field("path_params", &self.path_params)
            .field("headers", &headers)
            .field(
                "body",
                &format_args!("<{} bytes, {}>", self.body_len, self.body_digest),
            )
            .field("status", &self.status)
            .field("rejection", &self.rejection)
            .finish()
    }
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

    /// Whether the request was one the API accepts in form: routed, authenticated, with
    /// parameters and body as the reference declares them. A 404 for an object the mock does
    /// not hold ([`code::NOT_FOUND`]) and a scripted fault still count as well formed; a
    /// refusal for any other reason does not.
    pub fn well_formed(&self) -> bool {
        self.rejection
            .as_ref()
            .is_none_or(|r| r.code == code::NOT_FOUND)
    }

    /// The body parsed as JSON, if it is JSON (and was small enough to be kept).
    pub fn json(&self) -> Option<Value> {
        serde_json::from_slice(&self.body).ok()
    }

    /// Whether [`body`](Self::body) holds the whole body (false for one larger than
    /// [`RECORDED_BODY_LIMIT`]).
    pub fn body_kept(&self) -> bool {
        self.body.len() == self.body_len
    }

    /// About how many bytes the record holds, for the log's budget.
    fn size(&self) -> usize {
        let headers: usize = self
            .headers
            .iter()
            .map(|(n, v)| n.len() + v.len() + 48)
            .sum();
        let params: usize = self
            .path_params
            .iter()
            .map(|(n, v)| n.len() + v.len() + 48)
            .sum();
        let rejection = self.rejection.as_ref().map_or(0, |r| {
            r.message.len() + r.pointer.as_ref().map_or(0, String::len) + 96
        });
        std::mem::size_of::<Recorded>()
            + self.method.len()
            + self.target.len()
            + self.body.len()
            + self.body_digest.len()
            + headers
            + params
            + rejection
    }
}

/// Bodies up to this many bytes are recorded whole; larger ones by length and digest.
pub const RECORDED_BODY_LIMIT: usize = 64 * 1024;

/// How many bytes of records the log holds at most (the oldest go first).
pub const LOG_BYTE_LIMIT: usize = 32 * 1024 * 1024;

/// How many requests the log keeps by default ([`MockBuilder::log_limit`](crate::MockBuilder::log_limit)).
pub const DEFAULT_LOG_LIMIT: usize = 10_000;

/// A short, stable digest of a body, as [`Recorded::body_digest`] holds it: `fnv1a64:` and 16
/// hex digits of the 64-bit FNV-1a hash. Enough to tell which body arrived; not a
/// cryptographic hash.
pub fn body_digest(bytes: &[u8]) -> String {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for b in bytes {
        hash ^= u64::from(*b);
        hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
    }
    format!("fnv1a64:{hash:016x}")
}

/// The request log: the newest records, at most `limit` of them and at most
/// [`LOG_BYTE_LIMIT`] bytes, and how many arrived since it was last cleared.
pub(crate) struct Log {
    records: VecDeque<Recorded>,
    bytes: usize,
    limit: usize,
    arrived: usize,
}

impl Log {
    pub(crate) fn new(limit: usize) -> Log {
        Log {
            records: VecDeque::new(),
            bytes: 0,
            limit,
            arrived: 0,
        }
    }

    /// Appends a record, forgetting the oldest ones beyond the bounds.
    pub(crate) fn push(&mut self, record: Recorded) {
        self.arrived += 1;
        if self.limit == 0 {
            return;
        }
        self.bytes += record.size();
        self.records.push_back(record);
        while self.records.len() > self.limit
            || (self.bytes > LOG_BYTE_LIMIT && self.records.len() > 1)
        {
            match self.records.pop_front() {
                Some(old) => self.bytes = self.bytes.saturating_sub(old.size()),
                None => break,
            }
        }
    }

    pub(crate) fn records(&self) -> impl Iterator<Item = &Recorded> {
        self.records.iter()
    }

    pub(crate) fn last(&self) -> Option<&Recorded> {
        self.records.back()
    }

    /// How many requests arrived since the last [`clear`](Self::clear), kept or not.
    pub(crate) fn arrived(&self) -> usize {
        self.arrived
    }

    pub(crate) fn clear(&mut self) {
        self.records.clear();
        self.bytes = 0;
        self.arrived = 0;
    }
}

/// Why the mock refused a request: the status and the single error of the envelope.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rejection {
    /// 400, 401, 404, 405, 408 or 413.
    pub status: u16,
    /// One of the [`code`] constants.
    pub code: i64,
    /// What was wrong, as sent in `errors[0].message`.
    pub message: String,
    /// The JSON pointer (RFC 6901) of the body value at fault, sent as
    /// `errors[0].source.pointer`, when the fault is in the body.
    pub pointer: Option<String>,
    /// Extra response headers (`Allow` on a 405).
    pub headers: Vec<(String, String)>,
}

impl Rejection {
    pub(crate) fn new(status: u16, code: i64, message: impl Into<String>) -> Self {
        Self {
            status,
            code,
            message: message.into(),
            pointer: None,
            headers: Vec::new(),
        }
    }

    pub(crate) fn bad(code: i64, message: impl Into<String>) -> Self {
        Self::new(400, code, message)
    }

    pub(crate) fn not_found(message: impl Into<String>) -> Self {
        Self::new(404, code::NOT_FOUND, message)
    }

    /// The error envelope Cloudflare answers with: `success: false` and one error.
    pub(crate) fn envelope(&self) -> Value {
        let mut error = json!({"code": self.code, "message": self.message});
        if let (Some(pointer), Some(object)) = (&self.pointer, error.as_object_mut()) {
            object.insert("source".into(), json!({ "pointer": pointer }));
        }
        json!({"success": false, "errors": [error], "messages": [], "result": null})
    }
}
