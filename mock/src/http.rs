//! The HTTP layer: hyper's HTTP/1 server does the protocol (parsing, keep-alive, pipelining,
//! chunked bodies, `Expect: 100-continue`, HTTP/1.0 peers) and the connection's deadlines; this
//! module turns its requests into the mock's [`HttpRequest`] (with the raw request-target, as
//! sent) and the mock's [`Reply`] into a response, scripted faults included: a truncated body
//! is the head with its full `Content-Length` and a body that fails halfway, a dropped
//! connection is a service error, either of which makes hyper close the connection.
//!
//! Bounds, so that no client can hold the mock or its memory:
//! - a request head must arrive within the idle timeout of the connection's last exchange
//!   (hyper's header-read timeout, which runs from the moment the connection waits for a
//!   head, so it also closes idle keep-alive connections and heads trickling in);
//! - a request body must arrive within the idle timeout too, and be at most the body limit
//!   (refused with 413 before it is read when its `Content-Length` says so);
//! - an answer must be taken within the idle timeout too: a write that makes no progress for
//!   that long (a peer that stopped reading, its buffers full) closes the connection;
//! - heads are at most [`HEAD_LIMIT`] bytes (hyper answers 431).

use std::collections::VecDeque;
use std::fmt;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

use http_body_util::{BodyExt, LengthLimitError, Limited};
use hyper::body::{Body, Bytes, Frame, Incoming, SizeHint};
use hyper::header::{CONNECTION, CONTENT_LENGTH, HeaderName, HeaderValue};
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Request, Response, StatusCode, Version};
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinSet;

use crate::control;
use crate::exchange::{HttpRequest, Limits, Reply, ReplyBody};
use crate::record::{Rejection, code};
use crate::server::State;
use crate::write_deadline::WriteDeadline;

/// Request heads larger than this are refused (431, by hyper).
pub(crate) const HEAD_LIMIT: usize = 64 * 1024;
/// Bodies at least this large are checked and answered on the blocking pool, so that parsing
/// one large body never holds a runtime thread other connections are waiting for.
const BLOCKING_BODY: usize = 256 * 1024;

/// Accepts connections until the task is aborted; dropping it aborts every connection.
pub(crate) async fn serve(listener: TcpListener, state: Arc<State>) {
    let mut connections = JoinSet::new();
    loop {
        tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => {
                    connections.spawn(connection(stream, state.clone()));
                }
                // Out of file handles, a connection reset before accept: wait, go on.
                Err(_) => tokio::time::sleep(Duration::from_millis(10)).await,
            },
            Some(_) = connections.join_next(), if !connections.is_empty() => {}
        }
    }
}

/// Serves one connection until the peer closes it, a deadline passes or a fault ends it.
async fn connection(stream: TcpStream, state: Arc<State>) {
    // Answers are written whole; waiting for more to coalesce only adds latency.
    let _ = stream.set_nodelay(true);
    let mut builder = http1::Builder::new();
    builder
        .timer(TokioTimer::new())
        .header_read_timeout(state.limits.idle_timeout)
        .keep_alive(true)
        .max_buf_size(HEAD_LIMIT);
    let stream = WriteDeadline::new(stream, state.limits.idle_timeout);
    let service = service_fn(move |request| exchange(request, state.clone()));
    // Errors are the peer's (a reset, a malformed head hyper has answered, answers it does not
    // take) or a fault's.
    let _ = builder
        .serve_connection(TokioIo::new(stream), service)
        .await;
}

/// One request and its answer.
async fn exchange(
    request: Request<Incoming>,
    state: Arc<State>,
) -> Result<Response<OutBody>, Dropped> {
    let (parts, body) = request.into_parts();
    let http10 = parts.version == Version::HTTP_10;
    let mut request = HttpRequest {
        method: parts.method.as_str().to_owned(),
        // Origin-form displays as the path and query as sent; other forms (`*`, absolute)
        // whole, for the router to refuse.
        target: parts.uri.to_string(),
        headers: parts
            .headers
            .iter()
            .map(|(name, value)| {
                let value = String::from_utf8_lossy(value.as_bytes());
                (name.as_str().to_owned(), value.trim().to_owned())
            })
            .collect(),
        body: Bytes::new(),
    };
    match read_body(body, state.limits).await {
        Ok(bytes) => request.body = bytes,
        Err(rejection) => {
            let mut reply = state.refuse(request, rejection);
            reply.close = true;
            return respond(reply, http10);
        }
    }
    // The control endpoint, outside the API's base path: never checked against the reference,
    // never recorded.
    if let Some(reply) = control::handle(&state, &request) {
        return respond(reply, http10);
    }
    let reply = if request.body.len() >= BLOCKING_BODY {
        let blocking = state.clone();
        match tokio::task::spawn_blocking(move || blocking.handle(request)).await {
            Ok(reply) => reply,
            // The handler panicked: nothing sensible to answer.
            Err(_) => return Err(Dropped),
        }
    } else {
        state.handle(request)
    };
    if let Some(delay) = reply.delay {
        tokio::time::sleep(delay).await;
    }
    respond(reply, http10)
}

/// The whole body, within the mock's limits.
async fn read_body(body: Incoming, limits: Limits) -> Result<Bytes, Rejection> {
    let too_large = |size: String| {
        Rejection::new(
            413,
            code::BODY_TOO_LARGE,
            format!(
                "the request body ({size}) is larger than the mock's limit of {} bytes",
                limits.body_limit
            ),
        )
    };
    // A declared length over the limit is refused before a byte of it is read.
    let declared = body.size_hint().lower();
    if declared > limits.body_limit as u64 {
        return Err(too_large(format!("{declared} bytes")));
    }
    let collected = tokio::time::timeout(
        limits.idle_timeout,
        Limited::new(body, limits.body_limit).collect(),
    )
    .await;
    match collected {
        Ok(Ok(collected)) => Ok(collected.to_bytes()),
        Ok(Err(e)) if e.downcast_ref::<LengthLimitError>().is_some() => {
            Err(too_large("chunked".into()))
        }
        Ok(Err(e)) => Err(Rejection::bad(
            code::MALFORMED,
            format!("the request body does not read: {e}"),
        )),
        Err(_) => Err(Rejection::new(
            408,
            code::BODY_TIMEOUT,
            format!(
                "the request body did not arrive within {} ms",
                limits.idle_timeout.as_millis()
            ),
        )),
    }
}

/// The response for `reply`; a dropped connection is an error, which makes hyper close it.
fn respond(reply: Reply, http10: bool) -> Result<Response<OutBody>, Dropped> {
    let status = StatusCode::from_u16(reply.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let mut response = Response::new(OutBody::empty());
    *response.status_mut() = status;
    let headers = response.headers_mut();
    // The framing is hyper's: a scripted `content-length`, `transfer-encoding` or
    // `connection` would contradict it. Names and values HTTP cannot carry are left out.
    let framing = ["content-length", "transfer-encoding", "connection"];
    for (name, value) in &reply.headers {
        if framing.iter().any(|f| name.eq_ignore_ascii_case(f)) {
            continue;
        }
        if let (Ok(name), Ok(value)) = (
            HeaderName::from_bytes(name.as_bytes()),
            HeaderValue::from_str(value),
        ) {
            headers.append(name, value);
        }
    }
    if reply.close {
        headers.insert(CONNECTION, HeaderValue::from_static("close"));
    }
    *response.body_mut() = match reply.body {
        ReplyBody::Dropped => return Err(Dropped),
        ReplyBody::Full(bytes) => OutBody::full(bytes),
        // HTTP/1.0 has no chunked framing: the whole body with its length.
        ReplyBody::Chunked(chunks) if http10 => OutBody::full(chunks.concat()),
        ReplyBody::Chunked(chunks) => OutBody::chunks(chunks),
        ReplyBody::Truncated(bytes) => {
            headers.insert(CONTENT_LENGTH, HeaderValue::from(bytes.len()));
            let half = bytes.len() / 2;
            OutBody::truncated(bytes.get(..half).unwrap_or_default().to_vec())
        }
    };
    Ok(response)
}

/// A connection closed on purpose ([`Fault::Drop`](crate::Fault::Drop)).
#[derive(Debug)]
pub(crate) struct Dropped;

impl fmt::Display for Dropped {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("connection dropped by a scripted fault")
    }
}

impl std::error::Error for Dropped {}

/// A response body: its frames, and whether it fails after them (a truncated answer).
pub(crate) struct OutBody {
    frames: VecDeque<Bytes>,
    /// The exact length, when the frames are the whole body and it is sent with one.
    exact: Option<u64>,
    fail_after: bool,
}

impl OutBody {
    fn empty() -> OutBody {
        OutBody::full(Vec::new())
    }

    fn full(bytes: Vec<u8>) -> OutBody {
        OutBody {
            exact: Some(bytes.len() as u64),
            frames: VecDeque::from([Bytes::from(bytes)]),
            fail_after: false,
        }
    }

    fn chunks(chunks: Vec<Vec<u8>>) -> OutBody {
        OutBody {
            frames: chunks
                .into_iter()
                .filter(|c| !c.is_empty())
                .map(Bytes::from)
                .collect(),
            exact: None,
            fail_after: false,
        }
    }

    fn truncated(bytes: Vec<u8>) -> OutBody {
        OutBody {
            frames: VecDeque::from([Bytes::from(bytes)]),
            exact: None,
            fail_after: true,
        }
    }
}

impl Body for OutBody {
    type Data = Bytes;
    type Error = Dropped;

    fn poll_frame(
        self: Pin<&mut Self>,
        _cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, Dropped>>> {
        let this = self.get_mut();
        if let Some(frame) = this.frames.pop_front() {
            return Poll::Ready(Some(Ok(Frame::data(frame))));
        }
        if std::mem::take(&mut this.fail_after) {
            return Poll::Ready(Some(Err(Dropped)));
        }
        Poll::Ready(None)
    }

    fn is_end_stream(&self) -> bool {
        self.frames.iter().all(Bytes::is_empty) && !self.fail_after
    }

    fn size_hint(&self) -> SizeHint {
        self.exact
            .map_or_else(SizeHint::default, SizeHint::with_exact)
    }
}
