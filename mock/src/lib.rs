//! A Magic Transit API you can run on your laptop and in CI: a real HTTP server on
//! `127.0.0.1` that serves every operation of the reference `magic-api` is generated from.
//!
//! It is built from the same IR as the client (see [`spec`]): routes, authentication,
//! parameters, body schemas, documented answers and what a collection is all come from the
//! reference, so the mock changes with it whenever `cargo xtask regenerate` runs.
//!
//! ```no_run
//! # async fn demo() -> Result<(), magic_api::Error> {
//! use magic_api::AccountId;
//! use magic_api_mock::{Fault, MockServer};
//!
//! let mock = MockServer::start().await; // stateful, empty, on a free port
//! let client = mock.client(); // a `magic_api::Client` pointed at it
//! let account = AccountId::from("023e105f4ecef8ad9ca31a8372d0c353");
//! let sites = client.sites().list(&account).await?;
//! assert!(sites.is_empty());
//!
//! // The next call to `routes.update` answers 429 with `Retry-After: 0`.
//! mock.fail_next("PUT /magic/routes/{route_id}", 1, Fault::rate_limited(0));
//! assert_eq!(mock.requests().len(), 1);
//! # Ok(()) }
//! ```
//!
//! # Modes
//!
//! - **Stateful** (the default): for every collection the reference has (sites, their LANs,
//!   WANs, ACLs and app configs, tunnels, routes, connectors, apps, PCAPs, …), create, list,
//!   get, update and delete behave as the API does. Ids are generated in the API's format; an
//!   unknown id is a 404 with an error envelope; bulk updates and deletes change every listed
//!   object or none; `?validate_only=true` answers without persisting; deleting an object
//!   deletes what hangs under it (a site's LANs); PCAPs go `pending` → `running` → `success`
//!   as they are polled; an action on an object (`…/psk_generate`) answers about it and
//!   changes it (its `psk_metadata`); page-numbered lists page with `result_info`, telemetry
//!   lists by cursor, filtered by their parameters (`from`, `to`, `k`). Objects no request can
//!   create (a managed app) are put in with [`MockServer::seed`]. How this is read from the IR
//!   is written in `magic_api_model::store`. Only writes keep state: reading an account or
//!   object the mock does not hold costs nothing.
//! - **Seeded** ([`MockBuilder::seed_examples`]): stateful, and each collection starts with
//!   the objects of its documented list example.
//! - **Stateless** ([`MockBuilder::stateless`]): every valid request gets its operation's
//!   documented example, like a Prism mock.
//!
//! # What every request goes through, in this order
//!
//! 0. **HTTP**, by hyper's HTTP/1 server: keep-alive, pipelining, chunked bodies,
//!    `Expect: 100-continue`, HTTP/1.0 peers (answered without chunked framing). A connection
//!    must send a complete request head within the idle timeout of its last exchange
//!    ([`MockBuilder::idle_timeout`], default 30 s; this also closes idle keep-alive
//!    connections and heads trickling in), and the body too, and must take its answers
//!    without a stall that long (a write blocked for the idle timeout closes it); heads are at most 64 KiB (431),
//!    bodies at most [`MockBuilder::body_limit`] (8 MiB: 413, [`code::BODY_TOO_LARGE`]; a
//!    body that stops arriving: 408, [`code::BODY_TIMEOUT`]). What is not HTTP/1.x gets
//!    hyper's bare 400 and is not recorded. Requests under [`CONTROL_PATH`] go to the control
//!    endpoint instead (see below).
//! 1. **Routing.** The request-target must start with the base URL's path (`/client/v4`); the
//!    rest is matched against every operation's template, literal segments after
//!    percent-decoding, compound segments (`{event_t}.{event_n}`) split on their literal parts
//!    before decoding, where the pieces fit their types. The most specific template wins
//!    (literal > compound > parameter), so `…/events/latest` never reaches
//!    `…/events/{event_t}.{event_n}`. No match: 404 ([`code::NO_ROUTE`]); a template without
//!    the method: 405 with `Allow` ([`code::METHOD`]); a malformed target: 400
//!    ([`code::MALFORMED`]).
//! 2. **Authentication**: one accepted scheme must have all its headers, non-empty, with its
//!    prefix where it has one (`Authorization: Bearer <token>`). Else 401 ([`code::AUTH`]).
//! 3. **Path, header and query parameters** must parse as their types (a `number` is any JSON
//!    number, an `integer` an exact decimal integer; enums take their values, open enums any
//!    string); unknown query keys, repeated scalar keys and missing required ones are refused.
//!    400.
//! 4. **Body**: present when the operation takes one, with its content type, valid JSON that
//!    fits the body type (required fields, types, enum values, no unknown keys). 400, with
//!    `errors[0].source.pointer` naming the value at fault ([`code::BODY_SCHEMA`]) and a
//!    message naming the value found (for a union, why each alternative refused it).
//! 5. **Answer**: a [`Fault`] the test scripted, else the store's answer (stateful), else the
//!    documented one. Binary answers (PCAP downloads) are a small valid pcap file
//!    ([`pcap_bytes`]) sent chunked as `application/vnd.tcpdump.pcap`.
//!
//! The checks are the reference's, never stricter: where the client's refinements narrow a
//! type (an `[integers]` number, a `[[union_tags]]` tag), the mock checks what the reference
//! allows, as the server does. Numbers in bodies are kept exactly as sent (`1.50`,
//! `18446744073709551617`) and come back so in answers.
//!
//! Every refusal is a Cloudflare-style envelope
//! `{"success":false,"errors":[{"code":N,"message":"…"}],"messages":[],"result":null}`; every
//! answer carries a `cf-ray` header; every request is recorded ([`Recorded`]) before its answer
//! is written, so a test sees it as soon as its call returns. The log keeps the newest
//! [`MockBuilder::log_limit`] requests (10,000 by default, and never more than
//! [`LOG_BYTE_LIMIT`] bytes), and bodies over [`RECORDED_BODY_LIMIT`] bytes by length and
//! [`body_digest`] only, so a long run's memory stays bounded.
//!
//! # As a process
//!
//! The `magic-api-mock` binary serves the same on a multi-threaded runtime, with faults from
//! its command line (`--fail 'POST /magic/sites=429x2'`, see [`FaultScript`]) and a control
//! endpoint under [`CONTROL_PATH`] for what the library's methods do (the request log,
//! faults, seeded objects); the crate's README lists both.

mod check;
mod control;
mod exact;
mod exchange;
mod http;
mod pcap;
mod record;
mod script;
mod server;
pub mod spec;
mod store;
mod url;
mod write_deadline;

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::atomic::AtomicU64;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use magic_api_model::Ir;
use tokio::net::TcpListener;
use tokio::task::JoinHandle;

pub use control::CONTROL_PATH;
pub use pcap::{PCAP_CHUNK, PCAP_CONTENT_TYPE, pcap_bytes};
pub use record::{
    DEFAULT_LOG_LIMIT, LOG_BYTE_LIMIT, RECORDED_BODY_LIMIT, Recorded, Rejection, body_digest, code,
};
pub use script::{Fault, FaultScript, Scripted};
pub use spec::{op_index, spec_ir};

use exchange::Limits;
use record::Log;
use server::{State, lock, url_path};
use store::Store;

/// The token [`MockServer::client`] authenticates with (any non-empty token is accepted).
pub const MOCK_TOKEN: &str = "mock-token";

/// How a mock answers valid requests.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Objects are created, read, updated and deleted (the default).
    Stateful {
        /// Each collection starts with its documented list example.
        seed_examples: bool,
    },
    /// Every valid request gets its operation's documented example.
    Stateless,
}

/// How long a connection may wait for a request head, and a body may take, by default.
pub const DEFAULT_IDLE_TIMEOUT: Duration = Duration::from_secs(30);
/// The largest request body accepted by default, in bytes.
pub const DEFAULT_BODY_LIMIT: usize = 8 * 1024 * 1024;

/// Options for a mock; [`MockServer::builder`].
#[derive(Debug, Clone)]
pub struct MockBuilder {
    ir: Option<Arc<Ir>>,
    mode: Mode,
    port: u16,
    log_limit: usize,
    limits: Limits,
}

impl MockBuilder {
    /// Every valid request gets its operation's documented example.
    pub fn stateless(mut self) -> Self {
        self.mode = Mode::Stateless;
        self
    }

    /// Stateful, with each collection starting with its documented list example.
    pub fn seed_examples(mut self) -> Self {
        self.mode = Mode::Stateful {
            seed_examples: true,
        };
        self
    }

    /// The port to listen on (default 0: a free one).
    pub fn port(mut self, port: u16) -> Self {
        self.port = port;
        self
    }

    /// Serves another IR than the compiled-in spec (for tests of the mock itself).
    pub fn ir(mut self, ir: Arc<Ir>) -> Self {
        self.ir = Some(ir);
        self
    }

    /// How many requests the log keeps, the newest (default [`DEFAULT_LOG_LIMIT`]; 0 keeps
    /// none). It also never holds more than [`LOG_BYTE_LIMIT`] bytes of records, and keeps the
    /// bodies of at most [`RECORDED_BODY_LIMIT`] bytes whole (larger ones by length and
    /// digest), so a long run's memory stays bounded. [`MockServer::count`] still counts every
    /// request.
    pub fn log_limit(mut self, requests: usize) -> Self {
        self.log_limit = requests;
        self
    }

    /// How long a connection may wait for a complete request head (an idle keep-alive
    /// connection, a head trickling in) and a request body may take before the mock closes the
    /// connection (default [`DEFAULT_IDLE_TIMEOUT`]).
    pub fn idle_timeout(mut self, timeout: Duration) -> Self {
        self.limits.idle_timeout = timeout;
        self
    }

    /// The largest request body, in bytes (default [`DEFAULT_BODY_LIMIT`]); larger ones are
    /// refused with 413 ([`code::BODY_TOO_LARGE`]).
    pub fn body_limit(mut self, bytes: usize) -> Self {
        self.limits.body_limit = bytes;
        self
    }

    /// Binds `127.0.0.1:<port>` and starts serving on the current Tokio runtime.
    pub async fn start(self) -> std::io::Result<MockServer> {
        let ir = self.ir.unwrap_or_else(|| spec_ir().clone());
        let listener = TcpListener::bind(("127.0.0.1", self.port)).await?;
        let addr = listener.local_addr()?;
        let store = match self.mode {
            Mode::Stateful { seed_examples } => Some(Mutex::new(Store::new(&ir, seed_examples))),
            Mode::Stateless => None,
        };
        let state = Arc::new(State {
            shared_defs: Arc::ptr_eq(&ir, spec_ir()),
            base_path: url_path(&ir.base_url),
            ir,
            log: Mutex::new(Log::new(self.log_limit)),
            overrides: Mutex::new(HashMap::new()),
            store,
            counter: AtomicU64::new(0),
            limits: self.limits,
        });
        let task = tokio::spawn(http::serve(listener, state.clone()));
        Ok(MockServer {
            addr,
            state,
            task,
            mode: self.mode,
        })
    }
}

/// A running mock; stops accepting (and drops its open connections) when dropped.
pub struct MockServer {
    addr: SocketAddr,
    state: Arc<State>,
    task: JoinHandle<()>,
    mode: Mode,
}

impl MockServer {
    /// A stateful, empty mock of the compiled-in spec on a free loopback port.
    ///
    /// # Panics
    ///
    /// If no loopback port can be bound; [`MockBuilder::start`] returns that error instead.
    pub async fn start() -> MockServer {
        match MockServer::builder().start().await {
            Ok(mock) => mock,
            Err(e) => panic!("cannot bind a loopback port for the mock: {e}"),
        }
    }

    /// Options: stateless or seeded, a fixed port, another IR.
    pub fn builder() -> MockBuilder {
        MockBuilder {
            ir: None,
            mode: Mode::Stateful {
                seed_examples: false,
            },
            port: 0,
            log_limit: DEFAULT_LOG_LIMIT,
            limits: Limits {
                idle_timeout: DEFAULT_IDLE_TIMEOUT,
                body_limit: DEFAULT_BODY_LIMIT,
            },
        }
    }

    /// `http://127.0.0.1:PORT/client/v4`: the base URL a client (or
    /// `CLOUDFLARE_BASE_URL`) takes.
    pub fn base_url(&self) -> String {
        format!("http://{}{}", self.addr, self.state.base_path)
    }

    /// A client for this mock, authenticated with [`MOCK_TOKEN`].
    ///
    /// # Panics
    ///
    /// If the client cannot be built (its HTTP stack fails to initialise).
    pub fn client(&self) -> magic_api::Client {
        let built = magic_api::Client::builder(magic_api::Credentials::api_token(MOCK_TOKEN))
            .base_url(self.base_url())
            .build();
        match built {
            Ok(client) => client,
            Err(e) => panic!("cannot build a client for the mock: {e}"),
        }
    }

    /// The socket address, for tests that speak raw HTTP.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// How it answers.
    pub fn mode(&self) -> Mode {
        self.mode
    }

    /// The IR it serves.
    pub fn ir(&self) -> &Arc<Ir> {
        &self.state.ir
    }

    /// The base path every route lives under (`/client/v4`).
    pub fn base_path(&self) -> &str {
        &self.state.base_path
    }

    /// The path templates of the collections the store keeps (stateful mode; empty otherwise).
    pub fn collections(&self) -> Vec<String> {
        self.state.store.as_ref().map_or_else(Vec::new, |s| {
            lock(s)
                .collection_paths()
                .into_iter()
                .map(str::to_owned)
                .collect()
        })
    }

    /// Puts `objects` into the collection (or the cursor-paged list, such as telemetry events)
    /// at the concrete `path`, as given: `"/accounts/<id>/magic/apps"`, with or without the
    /// base path. No id is generated (a managed app carries `managed_app_id`, which no create
    /// request makes), fields named after the path's parameters take its values, and an
    /// object under another (a site's LAN) is reachable once that one exists. Returns the
    /// objects as stored; an error for a stateless mock or a path that is neither.
    ///
    /// Telemetry events are seeded under their list's path, each as the reference's
    /// `EventItem` has it (`t` in seconds since the Unix epoch); the list's `from`, `to` and `k`
    /// then filter them:
    ///
    /// ```no_run
    /// # async fn seeded(mock: &magic_api_mock::MockServer) -> Result<(), String> {
    /// use serde_json::json;
    ///
    /// let events = (0..3)
    ///     .map(|n| json!({"a": "init", "k": "Init", "n": n, "t": 1_700_000_000 + n}))
    ///     .collect();
    /// mock.seed(
    ///     "/accounts/acc/magic/connectors/conn-1/telemetry/events",
    ///     events,
    /// )?;
    /// # Ok(())
    /// # }
    /// ```
    pub fn seed(
        &self,
        path: &str,
        objects: Vec<serde_json::Value>,
    ) -> Result<Vec<serde_json::Value>, String> {
        self.state.seed(path, objects)
    }

    /// [`seed`](Self::seed) from JSON text: one `{"path": "…", "objects": [...]}` or a list of
    /// them (the binary's `--objects` file, the control endpoint's `POST /__mock/objects`).
    /// Numbers are kept exactly as written. Returns how many objects were stored; on an error,
    /// the entries before the faulty one are stored.
    pub fn seed_json(&self, text: &str) -> Result<usize, String> {
        self.state.seed_document(text.as_bytes())
    }

    /// The requests the log holds, in arrival order: every one since the last
    /// [`clear_requests`](Self::clear_requests), unless more arrived than
    /// [`MockBuilder::log_limit`] keeps (then the newest).
    pub fn requests(&self) -> Vec<Recorded> {
        lock(&self.state.log).records().cloned().collect()
    }

    /// The most recent request.
    pub fn last_request(&self) -> Option<Recorded> {
        lock(&self.state.log).last().cloned()
    }

    /// How many requests arrived since the last [`clear_requests`](Self::clear_requests),
    /// including any the log no longer holds.
    pub fn count(&self) -> usize {
        lock(&self.state.log).arrived()
    }

    /// Forgets the recorded requests, and restarts [`count`](Self::count).
    pub fn clear_requests(&self) {
        lock(&self.state.log).clear();
    }

    /// The next `times` valid requests for `operation` meet `fault` (after any scripted
    /// before them).
    ///
    /// `operation` is `"METHOD /template"` as the reference writes it, with or without the
    /// `/accounts/{account_id}` prefix (`"PUT /magic/routes/{route_id}"`), or an index into
    /// the IR's operations.
    ///
    /// # Panics
    ///
    /// If no operation matches: a misspelt template should fail the test that wrote it.
    pub fn fail_next(
        &self,
        operation: impl Into<Operation>,
        times: usize,
        fault: impl Into<Fault>,
    ) {
        let op = self.resolve(operation.into());
        self.state.fail_next(op, times, fault.into());
    }

    /// From now on, every valid request for `operation` meets `fault` (once the one-shot
    /// scripts are used up).
    ///
    /// # Panics
    ///
    /// As [`fail_next`](Self::fail_next).
    pub fn always(&self, operation: impl Into<Operation>, fault: impl Into<Fault>) {
        let op = self.resolve(operation.into());
        self.state.always(op, fault.into());
    }

    /// Answers the next valid request for `operation` (named as for
    /// [`fail_next`](Self::fail_next)) with `response` (one-shot; queued).
    ///
    /// # Panics
    ///
    /// As [`fail_next`](Self::fail_next).
    pub fn override_once(&self, operation: impl Into<Operation>, response: Scripted) {
        self.fail_next(operation, 1, Fault::Respond(response));
    }

    /// From now on, answers every valid request for `operation` (named as for
    /// [`fail_next`](Self::fail_next)) with `response`.
    ///
    /// # Panics
    ///
    /// As [`fail_next`](Self::fail_next).
    pub fn override_response(&self, operation: impl Into<Operation>, response: Scripted) {
        self.always(operation, response);
    }

    /// Drops every script: all operations answer as unscripted again.
    pub fn clear_overrides(&self) {
        lock(&self.state.overrides).clear();
    }

    /// Applies a fault written as text ([`FaultScript`]: `"POST /magic/sites=429x2"`), as the
    /// binary's `--fail` does; an error says what does not parse or which operation is unknown.
    pub fn script(&self, text: &str) -> Result<(), String> {
        let script: FaultScript = text.parse()?;
        self.state.script(&script)
    }

    fn resolve(&self, operation: Operation) -> usize {
        self.state
            .resolve(&operation)
            .unwrap_or_else(|e| panic!("{e}"))
    }
}

/// Names an operation for [`MockServer::fail_next`] and [`MockServer::always`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Operation {
    /// An index into the IR's operations.
    Index(usize),
    /// `"METHOD /template"`.
    Template(String),
}

impl From<usize> for Operation {
    fn from(i: usize) -> Operation {
        Operation::Index(i)
    }
}

impl From<&str> for Operation {
    fn from(text: &str) -> Operation {
        Operation::Template(text.to_owned())
    }
}

impl Drop for MockServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}
