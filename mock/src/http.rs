//! A small HTTP/1.1 server on `tokio::net`, written here so that the raw request-target is
//! visible (keep-alive, `Content-Length` or chunked request bodies, `Expect: 100-continue`) and
//! so that a fault can truncate a body or drop a connection mid-exchange.

use std::time::Duration;

use serde_json::Value;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

use crate::record::Rejection;

/// Request heads larger than this are refused.
const HEAD_LIMIT: usize = 64 * 1024;
/// Request bodies larger than this are refused.
const BODY_LIMIT: usize = 8 * 1024 * 1024;

/// A parsed request.
pub(crate) struct HttpRequest {
    pub(crate) method: String,
    pub(crate) target: String,
    pub(crate) headers: Vec<(String, String)>,
    pub(crate) body: Vec<u8>,
    pub(crate) keep_alive: bool,
    /// An HTTP/1.0 request: answered without chunked framing or `100 Continue`.
    pub(crate) http10: bool,
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

pub(crate) enum ReadError {
    /// The peer closed the connection (between or in the middle of requests).
    Closed,
    /// Not HTTP/1.x we can handle; answered with 400 and the connection is closed.
    Malformed(String),
}

pub(crate) struct Conn {
    pub(crate) stream: TcpStream,
    pub(crate) buf: Vec<u8>,
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

    pub(crate) async fn read_request(&mut self) -> Result<HttpRequest, ReadError> {
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
            http10,
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
            && !http10
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

/// How a reply's body is sent.
pub(crate) enum ReplyBody {
    /// With `Content-Length`.
    Full(Vec<u8>),
    /// As `Transfer-Encoding: chunked` frames.
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
}

impl Reply {
    pub(crate) fn json(status: u16, value: &Value) -> Reply {
        Reply {
            status,
            headers: vec![("content-type".into(), "application/json".into())],
            body: ReplyBody::Full(value.to_string().into_bytes()),
            delay: None,
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

/// Returns whether the connection may serve another request.
pub(crate) async fn write_reply(stream: &mut TcpStream, reply: Reply, keep_alive: bool) -> bool {
    let mut head = format!("HTTP/1.1 {} {}\r\n", reply.status, reason(reply.status));
    // The framing is the mock's own: a scripted `content-length`, `transfer-encoding` or
    // `connection` would contradict it.
    let framing = ["content-length", "transfer-encoding", "connection"];
    for (name, value) in &reply.headers {
        if !framing.iter().any(|f| name.eq_ignore_ascii_case(f)) {
            head.push_str(&format!("{name}: {value}\r\n"));
        }
    }
    if !keep_alive {
        head.push_str("connection: close\r\n");
    }
    match reply.body {
        ReplyBody::Dropped => false,
        ReplyBody::Truncated(body) => {
            head.push_str(&format!("content-length: {}\r\n\r\n", body.len()));
            let mut out = head.into_bytes();
            out.extend_from_slice(body.get(..body.len() / 2).unwrap_or_default());
            let _ = stream.write_all(&out).await;
            let _ = stream.flush().await;
            false
        }
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
