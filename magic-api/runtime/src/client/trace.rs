//! The `tracing` events of the retry loop, compiled to nothing without the `tracing` feature.

use std::time::Duration;

use super::exchange::Body;
use crate::envelope::ResponseMeta;
use crate::error::Error;
use crate::request::RawRequest;
use crate::retry::Failure;

/// One `tracing` event per attempt (`magic_api` target): method, path template, attempt number,
/// status (0 without a response), the error's kind and duration. Never the path's ids, headers,
/// bodies or messages.
#[cfg(feature = "tracing")]
pub(super) fn trace_attempt(
    req: &RawRequest,
    retries: u32,
    took: Duration,
    outcome: &Result<(ResponseMeta, Body), (Error, Failure)>,
) {
    let path = req.template.unwrap_or("(raw request)");
    let millis = took.as_secs_f64() * 1e3;
    match outcome {
        Ok((meta, _)) => tracing::debug!(
            target: "magic_api",
            method = %req.method, path, attempt = retries + 1, status = meta.status, millis,
            "request answered"
        ),
        Err((error, _)) => tracing::debug!(
            target: "magic_api",
            method = %req.method, path, attempt = retries + 1,
            status = error.status().unwrap_or_default(), millis, error = error_kind(error),
            "request failed"
        ),
    }
}

/// What kind of failure an error is, for diagnostics that must not carry bodies or messages.
#[cfg(feature = "tracing")]
fn error_kind(error: &Error) -> &'static str {
    match error {
        Error::Api { .. } => "api",
        Error::UnexpectedBody { .. } => "unexpected body",
        Error::Decode { .. } => "decode",
        Error::BodyTooLarge { .. } => "body too large",
        Error::Redirected { .. } => "redirected",
        Error::UnexpectedContentType { .. } => "unexpected content type",
        Error::Timeout { .. } => "timeout",
        Error::Transport(_) => "transport",
        Error::InvalidRequest { .. } => "invalid request",
        _ => "other",
    }
}

#[cfg(not(feature = "tracing"))]
pub(super) fn trace_attempt(
    _: &RawRequest,
    _: u32,
    _: Duration,
    _: &Result<(ResponseMeta, Body), (Error, Failure)>,
) {
}

/// One `tracing` event per retry, with the wait before it.
#[cfg(feature = "tracing")]
pub(super) fn trace_retry(req: &RawRequest, retries: u32, wait: Duration) {
    tracing::info!(
        target: "magic_api",
        method = %req.method, path = req.template.unwrap_or("(raw request)"),
        attempt = retries + 2, wait_millis = wait.as_secs_f64() * 1e3,
        "retrying"
    );
}

#[cfg(not(feature = "tracing"))]
pub(super) fn trace_retry(_: &RawRequest, _: u32, _: Duration) {}
