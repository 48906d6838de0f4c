//! The control endpoint: what the library's methods do, over HTTP, for a mock running as a
//! process. It lives under [`CONTROL_PATH`], outside the API's base path, takes no
//! credentials (the mock only listens on loopback), and its requests are neither checked nor
//! recorded.
//!
//! | Request | What it does |
//! |---|---|
//! | `GET /__mock/requests` | the request log as JSON: `count` (every request since the last clear) and `requests` (the kept ones: method, target, operation, path parameters, status, body length, digest and text when kept, rejection) |
//! | `DELETE /__mock/requests` | clears the log ([`MockServer::clear_requests`](crate::MockServer::clear_requests)) |
//! | `POST /__mock/faults` | scripts faults: the body is one [`FaultScript`] per line (`POST /magic/sites=429x2`); all or none are applied |
//! | `DELETE /__mock/faults` | drops every script ([`MockServer::clear_overrides`](crate::MockServer::clear_overrides)) |
//! | `POST /__mock/objects` | seeds objects: `{"path": "/accounts/…/magic/apps", "objects": [...]}` or a list of them ([`MockServer::seed_json`](crate::MockServer::seed_json)); answers `{"stored": n}` |
//!
//! Answers are plain JSON; a mistake is a 400 (404 for an unknown control path) with
//! `{"error": "…"}`.

use serde_json::{Map, Value, json};

use crate::exchange::{HttpRequest, Reply};
use crate::record::Recorded;
use crate::script::FaultScript;
use crate::server::{State, lock};

/// Where the control endpoint lives.
pub const CONTROL_PATH: &str = "/__mock";

/// The answer to a control request; `None` for every other request.
pub(crate) fn handle(state: &State, request: &HttpRequest) -> Option<Reply> {
    let path = request.target.split('?').next().unwrap_or("");
    let rest = path.strip_prefix(CONTROL_PATH)?;
    if !(rest.is_empty() || rest.starts_with('/')) {
        return None;
    }
    let answer = match (request.method.as_str(), rest) {
        ("GET", "/requests") => Ok(requests(state)),
        ("DELETE", "/requests") => {
            let mut log = lock(&state.log);
            let cleared = log.arrived();
            log.clear();
            Ok(json!({ "cleared": cleared }))
        }
        ("POST", "/faults") => faults(state, &request.body),
        ("DELETE", "/faults") => {
            lock(&state.overrides).clear();
            Ok(json!({ "cleared": true }))
        }
        ("POST", "/objects") => objects(state, &request.body),
        _ => {
            let endpoints = "GET|DELETE /__mock/requests, POST|DELETE /__mock/faults, \
                             POST /__mock/objects";
            return Some(error(
                404,
                &format!(
                    "no control endpoint `{} {path}` ({endpoints})",
                    request.method
                ),
            ));
        }
    };
    Some(match answer {
        Ok(value) => Reply::json(200, &value),
        Err(message) => error(400, &message),
    })
}

fn error(status: u16, message: &str) -> Reply {
    Reply::json(status, &json!({ "error": message }))
}

/// The log, newest last.
fn requests(state: &State) -> Value {
    let log = lock(&state.log);
    let requests: Vec<Value> = log.records().map(|r| record(state, r)).collect();
    json!({ "count": log.arrived(), "requests": requests })
}

fn record(state: &State, r: &Recorded) -> Value {
    let operation = r
        .operation
        .and_then(|i| state.ir.operations.get(i))
        .map(|op| format!("{} {}", op.method.as_str(), op.path));
    let params: Map<String, Value> = r
        .path_params
        .iter()
        .map(|(k, v)| (k.clone(), Value::String(v.clone())))
        .collect();
    let body = if r.body_kept() {
        std::str::from_utf8(&r.body).ok().map(str::to_owned)
    } else {
        None
    };
    let rejection = r.rejection.as_ref().map(
        |x| json!({"status": x.status, "code": x.code, "message": x.message, "pointer": x.pointer}),
    );
    json!({
        "method": r.method,
        "target": r.target,
        "operation": operation,
        "path_params": params,
        "status": r.status,
        "body_len": r.body_len,
        "body_digest": r.body_digest,
        "body": body,
        "rejection": rejection,
    })
}

/// One fault script per line; every line must parse and name an operation before any applies.
fn faults(state: &State, body: &[u8]) -> Result<Value, String> {
    let text = std::str::from_utf8(body).map_err(|_| "the body is not UTF-8".to_owned())?;
    let scripts: Vec<FaultScript> = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(str::parse)
        .collect::<Result<_, _>>()?;
    for script in &scripts {
        state.resolve(&crate::Operation::Template(script.operation.clone()))?;
    }
    for script in &scripts {
        state.script(script)?;
    }
    Ok(json!({ "scripted": scripts.len() }))
}

/// `{"path": …, "objects": [...]}`, or a list of them.
fn objects(state: &State, body: &[u8]) -> Result<Value, String> {
    let stored = state.seed_document(body)?;
    Ok(json!({ "stored": stored }))
}
