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

    /// An error status with a Cloudflare-shaped envelope: 429 is
    /// [`rate_limited(0)`](Self::rate_limited), a 5xx [`server_error`](Self::server_error),
    /// 401 and 403 an authentication error (code 10000), 404 an unknown object (7003), any
    /// other status an error with code `1000 + status`.
    pub fn status(status: u16) -> Fault {
        match status {
            429 => Fault::rate_limited(0),
            500..=599 => Fault::server_error(status),
            401 | 403 => Fault::Respond(Scripted::error(status, 10000, "Authentication error")),
            404 => Fault::Respond(Scripted::error(
                status,
                7003,
                "Could not route to the object: perhaps your object identifier is incorrect",
            )),
            _ => Fault::Respond(Scripted::error(
                status,
                1000 + i64::from(status),
                "Request failed",
            )),
        }
    }
}

/// One scripted fault as text, the way the binary's `--fail` and the control endpoint take it:
/// `METHOD /template=FAULT`, optionally followed by `xN`.
///
/// - The operation is written as for [`MockServer::fail_next`](crate::MockServer::fail_next)
///   (`POST /magic/sites`, the `/accounts/{account_id}` prefix optional).
/// - `FAULT` is an error status from 400 to 599 ([`Fault::status`]), `drop`
///   ([`Fault::Drop`]), `truncate` ([`Fault::Truncate`]) or `delay:<N>ms` / `delay:<N>s`
///   ([`Fault::Delay`]).
/// - `xN` applies it to the next `N` requests; without it, to every request.
///
/// `"POST /magic/sites=429x2"`: the next two site creations get a 429.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FaultScript {
    /// `METHOD /template`.
    pub operation: String,
    /// What the requests meet.
    pub fault: Fault,
    /// How many requests meet it; `None` for every one.
    pub times: Option<usize>,
}

impl std::str::FromStr for FaultScript {
    type Err = String;

    fn from_str(text: &str) -> Result<FaultScript, String> {
        let usage = || {
            format!(
                "`{}`: expected `METHOD /template=FAULT[xN]`, FAULT being a status from 400 to 599, \
                 `drop`, `truncate` or `delay:<N>ms`",
                text.escape_debug()
            )
        };
        let (operation, fault) = text.split_once('=').ok_or_else(usage)?;
        let operation = operation.trim();
        match operation.split_once(' ') {
            Some((method, path)) if !method.is_empty() && path.trim().starts_with('/') => {}
            _ => return Err(usage()),
        }
        let fault = fault.trim();
        let (fault, times) = match fault.rsplit_once('x') {
            Some((f, n)) if !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()) => {
                (f, Some(n.parse::<usize>().map_err(|_| usage())?))
            }
            _ => (fault, None),
        };
        let fault = match fault {
            "drop" => Fault::Drop,
            "truncate" => Fault::Truncate,
            _ => match fault.strip_prefix("delay:") {
                Some(delay) => Fault::Delay(parse_delay(delay).ok_or_else(usage)?),
                None => match fault.parse::<u16>() {
                    Ok(status @ 400..=599) => Fault::status(status),
                    _ => return Err(usage()),
                },
            },
        };
        Ok(FaultScript {
            operation: operation.to_owned(),
            fault,
            times,
        })
    }
}

/// `250ms` or `2s`.
fn parse_delay(text: &str) -> Option<Duration> {
    if let Some(ms) = text.strip_suffix("ms") {
        return ms.parse().ok().map(Duration::from_millis);
    }
    text.strip_suffix('s')?
        .parse()
        .ok()
        .map(Duration::from_secs)
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
