//! One request's way through the mock, once the HTTP layer ([`crate::http`]) has read it:
//! checked against the IR ([`crate::check`]), answered by a script, the store or the documented
//! example, recorded, and stamped with `cf-ray`. Requests for the control endpoint
//! ([`crate::control`]) are answered before any of that and never recorded.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use magic_api_model::{Ir, Response};
use serde_json::{Value, json};

use crate::check::{Checked, Checker};
use crate::exchange::{HttpRequest, Limits, Reply, ReplyBody};
use crate::pcap::{PCAP_CHUNK, PCAP_CONTENT_TYPE, pcap_bytes};
use crate::record::{Log, RECORDED_BODY_LIMIT, Recorded, Rejection, body_digest};
use crate::script::{Fault, FaultScript, Overrides};
use crate::store::{self, Answer, Store};
use crate::{Operation, spec};

/// Everything a running mock shares between its connections.
pub(crate) struct State {
    pub(crate) ir: Arc<Ir>,
    /// Path of `ir.base_url`, without a trailing slash (`/client/v4`).
    pub(crate) base_path: String,
    pub(crate) log: Mutex<Log>,
    pub(crate) overrides: Mutex<HashMap<usize, Overrides>>,
    /// The data, when the mock is stateful.
    pub(crate) store: Option<Mutex<Store>>,
    pub(crate) counter: AtomicU64,
    /// Deadlines and sizes of the HTTP layer.
    pub(crate) limits: Limits,
    /// `ir` is the compiled-in spec, whose definitions are indexed once per process.
    pub(crate) shared_defs: bool,
}

/// Locks, recovering the data if another thread panicked while holding it (a test's panic must
/// not turn every later request into a second one).
pub(crate) fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

impl State {
    /// Checks and answers one request of the API, and records it.
    pub(crate) fn handle(&self, request: HttpRequest) -> Reply {
        let mut params = Vec::new();
        let mut op = None;
        // The compiled-in spec's index is built once per process; another IR's per request.
        let owned;
        let defs = if self.shared_defs {
            spec::spec_defs()
        } else {
            owned = self.ir.defs();
            &owned
        };
        let checker = Checker {
            ir: &self.ir,
            defs,
            base_path: &self.base_path,
        };
        let outcome = checker.evaluate(&request, &mut op, &mut params);
        let (reply, delay) = match outcome {
            Ok(checked) => self.answer(&checked, &params),
            Err(rejection) => (Err(rejection), None),
        };
        let mut reply = self.finish(request, op, params, reply);
        reply.delay = delay;
        reply
    }

    /// [`MockServer::seed`](crate::MockServer::seed).
    pub(crate) fn seed(&self, path: &str, objects: Vec<Value>) -> Result<Vec<Value>, String> {
        let Some(store) = &self.store else {
            return Err("a stateless mock keeps no objects".into());
        };
        let path = path.split(['?', '#']).next().unwrap_or("");
        let path = path.strip_prefix(self.base_path.as_str()).unwrap_or(path);
        lock(store).seed(&self.ir, path, objects)
    }

    /// [`MockServer::seed_json`](crate::MockServer::seed_json), on the document's bytes.
    pub(crate) fn seed_document(&self, bytes: &[u8]) -> Result<usize, String> {
        let plain: Value =
            serde_json::from_slice(bytes).map_err(|e| format!("the objects are not JSON: {e}"))?;
        let document = crate::exact::exact_body(bytes, plain);
        let entries = match document {
            Value::Array(entries) => entries,
            entry => vec![entry],
        };
        let mut stored = 0;
        for entry in entries {
            let path = entry
                .get("path")
                .and_then(Value::as_str)
                .ok_or("every entry needs `path`, a string")?;
            let objects = match entry.get("objects") {
                Some(Value::Array(objects)) => objects.clone(),
                _ => return Err(format!("`{path}`: expected `objects`, a list of objects")),
            };
            stored += self.seed(path, objects)?.len();
        }
        Ok(stored)
    }

    /// The operation a script names.
    pub(crate) fn resolve(&self, operation: &Operation) -> Result<usize, String> {
        match operation {
            Operation::Index(i) => {
                let count = self.ir.operations.len();
                if *i < count {
                    Ok(*i)
                } else {
                    Err(format!(
                        "operation index {i} out of range (the spec has {count})"
                    ))
                }
            }
            Operation::Template(text) => {
                let (method, path) = text.split_once(' ').unwrap_or(("", text.as_str()));
                spec::find_operation(&self.ir, method, path.trim())
                    .ok_or_else(|| format!("no operation `{text}` in the mock's spec"))
            }
        }
    }

    /// The next `times` valid requests for `op` meet `fault`.
    pub(crate) fn fail_next(&self, op: usize, times: usize, fault: Fault) {
        let mut overrides = lock(&self.overrides);
        let entry = overrides.entry(op).or_default();
        entry.once.extend(std::iter::repeat_n(fault, times));
    }

    /// Every valid request for `op` meets `fault` once the one-shot scripts are used up.
    pub(crate) fn always(&self, op: usize, fault: Fault) {
        lock(&self.overrides).entry(op).or_default().sticky = Some(fault);
    }

    /// Applies a parsed [`FaultScript`].
    pub(crate) fn script(&self, script: &FaultScript) -> Result<(), String> {
        let op = self.resolve(&Operation::Template(script.operation.clone()))?;
        match script.times {
            Some(n) => self.fail_next(op, n, script.fault.clone()),
            None => self.always(op, script.fault.clone()),
        }
        Ok(())
    }

    /// The answer to a request the HTTP layer could not read whole (a body too large or too
    /// slow), recorded like any other.
    pub(crate) fn refuse(&self, request: HttpRequest, rejection: Rejection) -> Reply {
        self.finish(request, None, Vec::new(), Err(rejection))
    }

    /// Records the exchange and stamps `cf-ray`.
    fn finish(
        &self,
        request: HttpRequest,
        op: Option<usize>,
        path_params: Vec<(String, String)>,
        outcome: Result<Reply, Rejection>,
    ) -> Reply {
        let n = self.counter.fetch_add(1, Ordering::Relaxed);
        let (mut reply, rejection) = match outcome {
            Ok(reply) => (reply, None),
            Err(rejection) => (Reply::rejection(&rejection), Some(rejection)),
        };
        if !reply.has_header("cf-ray") {
            reply.headers.push((
                "cf-ray".into(),
                format!("{:016x}-MCK", 0x6d6f_636b_0000_0000 | n),
            ));
        }
        let kept = request.body.len() <= RECORDED_BODY_LIMIT;
        lock(&self.log).push(Recorded {
            method: request.method,
            target: request.target,
            operation: op,
            path_params,
            headers: request.headers,
            body: if kept {
                request.body.to_vec()
            } else {
                Vec::new()
            },
            body_len: request.body.len(),
            body_digest: body_digest(&request.body),
            status: reply.status,
            rejection,
        });
        reply
    }

    /// The answer to a valid request: a script, else the store's, else the documented one; and
    /// how long to wait before sending it (a [`Fault::Delay`], kept for a refusal too).
    fn answer(
        &self,
        checked: &Checked,
        params: &[(String, String)],
    ) -> (Result<Reply, Rejection>, Option<Duration>) {
        let op = checked.op;
        let fault = lock(&self.overrides).get_mut(&op).and_then(Overrides::next);
        let scripted = |status: u16, headers: Vec<(String, String)>, body: ReplyBody| Reply {
            status,
            headers,
            body,
            delay: None,
            close: false,
        };
        match fault {
            Some(Fault::Respond(s)) => (
                Ok(scripted(s.status, s.headers, ReplyBody::Full(s.body))),
                None,
            ),
            // Nothing is sent; the log records status 0.
            Some(Fault::Drop) => (Ok(scripted(0, Vec::new(), ReplyBody::Dropped)), None),
            Some(Fault::Delay(d)) => (self.unscripted(checked, params), Some(d)),
            Some(Fault::Truncate) => {
                let truncated = self.unscripted(checked, params).map(|mut reply| {
                    reply.body = match reply.body {
                        ReplyBody::Full(body) | ReplyBody::Truncated(body) => {
                            ReplyBody::Truncated(body)
                        }
                        ReplyBody::Chunked(chunks) => ReplyBody::Truncated(chunks.concat()),
                        ReplyBody::Dropped => ReplyBody::Dropped,
                    };
                    reply
                });
                (truncated, None)
            }
            None => (self.unscripted(checked, params), None),
        }
    }

    /// The store's answer (stateful mode), or the documented one.
    fn unscripted(
        &self,
        checked: &Checked,
        params: &[(String, String)],
    ) -> Result<Reply, Rejection> {
        if let Some(store) = &self.store {
            let request = store::Request {
                params,
                query: &checked.query,
                body: checked.body.as_ref(),
            };
            let answer = lock(store).answer(&self.ir, checked.op, &request)?;
            if let Answer::Json(envelope) = answer {
                return Ok(Reply::json(200, &envelope));
            }
        }
        Ok(self.documented(checked.op))
    }

    /// The documented answer of operation `op`.
    fn documented(&self, op: usize) -> Reply {
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
                delay: None,
                close: false,
            },
        }
    }
}

/// A successful envelope with a `null` result.
fn null_envelope() -> Value {
    json!({"success": true, "errors": [], "messages": [], "result": null})
}

/// The path of an absolute URL, without a trailing slash (`https://h/client/v4/` →
/// `/client/v4`).
pub(crate) fn url_path(url: &str) -> String {
    let after_scheme = url.split_once("://").map_or(url, |(_, rest)| rest);
    let path = after_scheme.find('/').map_or("", |i| &after_scheme[i..]);
    let path = path.split(['?', '#']).next().unwrap_or("");
    path.trim_end_matches('/').to_owned()
}
