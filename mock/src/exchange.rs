//! The request and the answer as the mock's layers pass them: read by the HTTP layer
//! (`http.rs`), checked (`check.rs`), answered by the server or the control endpoint, and
//! written back by the HTTP layer. Nothing here knows hyper.

use std::time::Duration;

use hyper::body::Bytes;
use serde_json::Value;

use crate::exact::Exact;
use crate::record::Rejection;

/// What one mock allows its connections.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Limits {
    /// How long a connection may wait for a complete request head, and a body may take.
    pub(crate) idle_timeout: Duration,
    /// The largest request body, in bytes.
    pub(crate) body_limit: usize,
}

/// A request as the mock reads it.
pub(crate) struct HttpRequest {
    pub(crate) method: String,
    /// The request-target exactly as sent.
    pub(crate) target: String,
    /// Names lower-cased, values trimmed (bytes that are not UTF-8 replaced).
    pub(crate) headers: Vec<(String, String)>,
    pub(crate) body: Bytes,
}

impl HttpRequest {
    pub(crate) fn header_values<'a>(
        &'a self,
        name: &str,
    ) -> impl Iterator<Item = &'a str> + use<'a> {
        let name = name.to_ascii_lowercase();
        self.headers
            .iter()
            .filter(move |(n, _)| *n == name)
            .map(|(_, v)| v.as_str())
    }

    pub(crate) fn header(&self, name: &str) -> Option<&str> {
        self.header_values(name).next()
    }
}

/// How a reply's body is sent.
pub(crate) enum ReplyBody {
    /// With `Content-Length`.
    Full(Vec<u8>),
    /// As `Transfer-Encoding: chunked` frames (whole, with its length, to an HTTP/1.0 peer).
    Chunked(Vec<Vec<u8>>),
    /// With the full `Content-Length` but only the first half of the bytes; then the
    /// connection closes.
    Truncated(Vec<u8>),
    /// Nothing at all: the connection closes.
    Dropped,
}

/// What the mock answers to one request.
pub(crate) struct Reply {
    pub(crate) status: u16,
    pub(crate) headers: Vec<(String, String)>,
    pub(crate) body: ReplyBody,
    /// How long to wait before answering.
    pub(crate) delay: Option<Duration>,
    /// Close the connection after this answer (a body left unread).
    pub(crate) close: bool,
}

impl Reply {
    pub(crate) fn json(status: u16, value: &Value) -> Reply {
        // Numbers the store holds exactly are written as they were sent.
        let body =
            serde_json::to_vec(&Exact(value)).unwrap_or_else(|_| value.to_string().into_bytes());
        Reply {
            status,
            headers: vec![("content-type".into(), "application/json".into())],
            body: ReplyBody::Full(body),
            delay: None,
            close: false,
        }
    }

    pub(crate) fn rejection(r: &Rejection) -> Reply {
        let mut reply = Reply::json(r.status, &r.envelope());
        reply.headers.extend(r.headers.iter().cloned());
        reply
    }

    pub(crate) fn has_header(&self, name: &str) -> bool {
        self.headers
            .iter()
            .any(|(n, _)| n.eq_ignore_ascii_case(name))
    }
}
