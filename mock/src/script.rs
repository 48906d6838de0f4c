//! Faults and answers a test scripts for one operation: a status with a body (429 with
//! `Retry-After`, 5xx, any envelope), a slow answer, a truncated body or a dropped connection.

use std::collections::VecDeque;
use std::time::Duration;

use serde_json::{Value, json};

use crate::record::Rejection;

/// A response a test scripts for one operation (sent with `Content-Length`; a `cf-ray`
/// header is added unless the script has one).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scripted {
    /// The status line's code.
    pub status: u16,
    /// Header names as given (sent verbatim).
    pub headers: Vec<(String, String)>,
    /// The body, sent as is.
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
        Self::json(status, &Rejection::new(status, code, message).envelope())
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

/// What the mock does instead of (or before) answering one valid request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fault {
    /// Answer with this response instead of the operation's own.
    Respond(Scripted),
    /// Wait this long, then answer as usual (for client timeouts).
    Delay(Duration),
    /// Send the usual head, with the full `Content-Length`, and half of the body; then close.
    Truncate,
    /// Close the connection without answering.
    Drop,
}

impl Fault {
    /// 429 with Cloudflare's rate-limit error and `Retry-After: <seconds>`.
    pub fn rate_limited(retry_after_seconds: u64) -> Fault {
        Fault::Respond(
            Scripted::error(
                429,
                971,
                "Please wait and consider throttling your request speed",
            )
            .header("retry-after", &retry_after_seconds.to_string()),
        )
    }

    /// `status` (a 5xx, typically) with an error envelope.
    pub fn server_error(status: u16) -> Fault {
        Fault::Respond(Scripted::error(status, 10001, "Internal server error"))
    }
}

impl From<Scripted> for Fault {
    fn from(scripted: Scripted) -> Fault {
        Fault::Respond(scripted)
    }
}

/// The scripts of one operation.
#[derive(Default)]
pub(crate) struct Overrides {
    /// Consumed one per request, before `sticky`.
    pub(crate) once: VecDeque<Fault>,
    /// Used for every request once `once` is empty.
    pub(crate) sticky: Option<Fault>,
}

impl Overrides {
    /// The script for the next request, if any.
    pub(crate) fn next(&mut self) -> Option<Fault> {
        self.once.pop_front().or_else(|| self.sticky.clone())
    }
}
