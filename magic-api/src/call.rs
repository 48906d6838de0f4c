//! The typed call every generated operation returns.
//!
//! A [`Call`] holds the request the operation built (path, required parameters, body) and is
//! sent by awaiting it. Before that, optional inputs can be set: [`Call::timeout`] for any call,
//! and setters the generated code adds for the optional parameters an operation documents (they
//! exist only on the calls of operations that accept them, so a parameter an operation does not
//! know cannot be set). Dropping the call, or the future, cancels it. Streaming a list across
//! its pages is in [`paging`](crate::paging).

use std::future::{Future, IntoFuture};
use std::marker::PhantomData;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use reqwest::Method;
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

use magic_api_runtime::{
    ApiResponse, BoxFuture, Client, Download, Error, JsonReply, PathValue, RawRequest, fill_path,
};

/// How a call's response is received: a request sent by a function that knows no result type
/// (compiled once, in this crate or the runtime), then [`finish`](Self::finish), the one step that
/// depends on the result's type. Awaiting a call compiles no more than that in the caller's crate.
pub trait Receive {
    /// What awaiting the call gives.
    type Output: Send;
    /// What the request gives before the result's type is applied.
    type Reply: Send;
    /// Sends the request (or reports the error that stops it).
    fn fetch(
        client: &Client,
        request: Result<RawRequest, Error>,
    ) -> BoxFuture<'_, Result<Self::Reply, Error>>;
    /// Turns the reply into the output.
    fn finish(reply: Self::Reply) -> Result<Self::Output, Error>;
}

/// The JSON envelope's `result`, decoded as `T`.
#[derive(Debug)]
pub struct Json<T>(PhantomData<fn() -> T>);

impl<T: DeserializeOwned + Send + 'static> Receive for Json<T> {
    type Output = T;
    type Reply = JsonReply;
    fn fetch(
        client: &Client,
        request: Result<RawRequest, Error>,
    ) -> BoxFuture<'_, Result<JsonReply, Error>> {
        fetch_json(client, request)
    }
    fn finish(reply: JsonReply) -> Result<T, Error> {
        reply.decode().map(ApiResponse::into_result)
    }
}

/// The whole response, its `result` decoded as `T` (what [`Call::send_full`] receives).
#[derive(Debug)]
pub struct Full<T>(PhantomData<fn() -> T>);

impl<T: DeserializeOwned + Send + 'static> Receive for Full<T> {
    type Output = ApiResponse<T>;
    type Reply = JsonReply;
    fn fetch(
        client: &Client,
        request: Result<RawRequest, Error>,
    ) -> BoxFuture<'_, Result<JsonReply, Error>> {
        fetch_json(client, request)
    }
    fn finish(reply: JsonReply) -> Result<ApiResponse<T>, Error> {
        reply.decode()
    }
}

/// The `result` as a `serde_json::Value`, whatever its shape (what [`Call::send_value`]
/// receives).
#[derive(Debug)]
pub struct JsonValue;

impl Receive for JsonValue {
    type Output = Value;
    type Reply = JsonReply;
    fn fetch(
        client: &Client,
        request: Result<RawRequest, Error>,
    ) -> BoxFuture<'_, Result<JsonReply, Error>> {
        fetch_json(client, request)
    }
    fn finish(reply: JsonReply) -> Result<Value, Error> {
        reply.value().map(ApiResponse::into_result)
    }
}

/// No documented body: any success is `()`.
#[derive(Debug)]
pub struct Empty;

impl Receive for Empty {
    type Output = ();
    type Reply = ();
    fn fetch(
        client: &Client,
        request: Result<RawRequest, Error>,
    ) -> BoxFuture<'_, Result<(), Error>> {
        match request {
            Ok(request) => client.send_empty(request),
            Err(e) => Box::pin(std::future::ready(Err(e))),
        }
    }
    fn finish(reply: ()) -> Result<(), Error> {
        Ok(reply)
    }
}

/// A binary file, streamed.
#[derive(Debug)]
pub struct Binary;

impl Receive for Binary {
    type Output = Download;
    type Reply = Download;
    fn fetch(
        client: &Client,
        request: Result<RawRequest, Error>,
    ) -> BoxFuture<'_, Result<Download, Error>> {
        match request {
            Ok(request) => client.send_download(request),
            Err(e) => Box::pin(std::future::ready(Err(e))),
        }
    }
    fn finish(reply: Download) -> Result<Download, Error> {
        Ok(reply)
    }
}

/// Sends a JSON call, or reports the error that stopped it being built.
pub(crate) fn fetch_json(
    client: &Client,
    request: Result<RawRequest, Error>,
) -> BoxFuture<'_, Result<JsonReply, Error>> {
    match request {
        Ok(request) => client.fetch_json(request),
        Err(e) => Box::pin(std::future::ready(Err(e))),
    }
}

/// What awaiting a [`Call`] gives: the boxed request, then [`Receive::finish`]. The only code a
/// call compiles in the crate that awaits it is this poll, the same small function for every
/// call with the same result.
#[must_use = "futures do nothing unless awaited"]
pub struct CallFuture<'a, R: Receive> {
    fetch: BoxFuture<'a, Result<R::Reply, Error>>,
    receive: PhantomData<fn() -> R>,
}

impl<R: Receive> Future for CallFuture<'_, R> {
    type Output = Result<R::Output, Error>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        self.fetch
            .as_mut()
            .poll(cx)
            .map(|reply| reply.and_then(R::finish))
    }
}

impl<R: Receive> std::fmt::Debug for CallFuture<'_, R> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CallFuture").finish_non_exhaustive()
    }
}

/// Optional parameters of an operation, applied to the request when it is sent.
pub trait CallOptions: Default + Send {
    /// Adds the parameters that are set.
    fn apply(&self, request: RawRequest) -> RawRequest;
}

impl CallOptions for () {
    fn apply(&self, request: RawRequest) -> RawRequest {
        request
    }
}

/// A request to one operation, sent by awaiting it.
#[must_use = "a call does nothing until it is awaited"]
pub struct Call<'a, R, O = ()> {
    pub(crate) client: &'a Client,
    pub(crate) request: Result<RawRequest, Error>,
    pub(crate) options: O,
    receive: PhantomData<fn() -> R>,
}

impl<R, O: std::fmt::Debug> std::fmt::Debug for Call<'_, R, O> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Call")
            .field("request", &self.request)
            .field("options", &self.options)
            .finish()
    }
}

impl<'a, R: Receive, O: CallOptions> Call<'a, R, O> {
    /// A call to `path` (an error from building the path is reported when the call is sent).
    // The generic constructors only wrap non-generic helpers: they are instantiated once per
    // operation, so whatever they contain is compiled ~80 times.
    #[doc(hidden)]
    pub fn new(client: &'a Client, method: Method, path: Result<String, Error>) -> Self {
        Self::from_request(client, request_for(method, path))
    }

    /// A call to a documented path template filled with `values` in placeholder order.
    #[doc(hidden)]
    pub fn at(
        client: &'a Client,
        method: Method,
        template: &'static str,
        values: &[PathValue<'_>],
    ) -> Self {
        Self::from_request(client, request_at(method, template, values))
    }

    fn from_request(client: &'a Client, request: Result<RawRequest, Error>) -> Self {
        Call {
            client,
            request,
            options: O::default(),
            receive: PhantomData,
        }
    }

    /// Adds a query parameter; for the operation's own parameters use their setters, this is for
    /// what the reference does not list.
    pub fn query(mut self, name: &'static str, value: impl ToString) -> Self {
        self.request = self.request.map(|r| r.query(name, value.to_string()));
        self
    }

    /// Sets the JSON body, serialized straight to text (numbers keep their exact spelling).
    #[doc(hidden)]
    pub fn body<B: Serialize + ?Sized>(mut self, body: &B) -> Self {
        self.request = with_body(self.request, serde_json::to_vec(body));
        self
    }

    /// Sends `{}` as the body (operations whose body carries nothing).
    #[doc(hidden)]
    pub fn empty_object_body(mut self) -> Self {
        self.request = self.request.map(|r| r.json_bytes(b"{}".to_vec()));
        self
    }

    /// Sets the JSON body and a boolean header that says which form a union in the body takes:
    /// `true` when the value at any of `paths` is an object, `false` when it is a string, unset
    /// when the body holds none. The header then can never disagree with the body.
    #[doc(hidden)]
    pub fn body_with_form_header<B: Serialize + ?Sized>(
        mut self,
        body: &B,
        header: &'static str,
        paths: &[&[&str]],
    ) -> Self {
        self.request = with_form_header(self.request, serde_json::to_vec(body), header, paths);
        self
    }

    /// The optional parameters, for the generated setters.
    #[doc(hidden)]
    pub fn options_mut(&mut self) -> &mut O {
        &mut self.options
    }

    /// Adds a request header the reference does not list (credentials cannot be replaced).
    pub fn header(mut self, name: &'static str, value: impl Into<String>) -> Self {
        self.request = self.request.map(|r| r.header(name, value));
        self
    }

    /// Overrides the client's retry policy for this call.
    pub fn retry_policy(mut self, policy: magic_api_runtime::RetryPolicy) -> Self {
        self.request = self.request.map(|r| r.retry_policy(policy));
        self
    }

    /// Overrides the client's per-attempt timeout for this call.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.request = self.request.map(|r| r.timeout(timeout));
        self
    }

    /// The request as it will be sent (path, query, headers, body), or the error that stops it.
    pub fn request(&self) -> Result<RawRequest, &Error> {
        self.request.as_ref().map(|r| self.options.apply(r.clone()))
    }

    /// Sends the call (what awaiting it does).
    pub fn send(self) -> CallFuture<'a, R> {
        self.send_as::<R>()
    }

    /// Sends the call, receiving its response as `S`.
    fn send_as<S: Receive>(self) -> CallFuture<'a, S> {
        let (client, request) = self.prepared();
        CallFuture {
            fetch: S::fetch(client, request),
            receive: PhantomData,
        }
    }

    /// The client and the request with the optional parameters applied.
    pub(crate) fn prepared(self) -> (&'a Client, Result<RawRequest, Error>) {
        let options = self.options;
        (self.client, self.request.map(|r| options.apply(r)))
    }
}

fn request_for(method: Method, path: Result<String, Error>) -> Result<RawRequest, Error> {
    path.map(|p| RawRequest::new(method, p))
}

fn request_at(
    method: Method,
    template: &'static str,
    values: &[PathValue<'_>],
) -> Result<RawRequest, Error> {
    request_for(method, fill_path(template, values)).map(|r| r.template(template))
}

/// The body and the header that says which form a union in it takes (see
/// [`Call::body_with_form_header`]); not generic, so only the body's serialization is compiled
/// for each body type, and the form is read by the runtime.
fn with_form_header(
    request: Result<RawRequest, Error>,
    body: Result<Vec<u8>, serde_json::Error>,
    header: &'static str,
    paths: &[&[&str]],
) -> Result<RawRequest, Error> {
    let json = body.map_err(|e| invalid_request(format!("request body did not serialize: {e}")))?;
    request.map(|r| r.json_bytes_with_form_header(json, header, paths))
}

fn with_body(
    request: Result<RawRequest, Error>,
    body: Result<Vec<u8>, serde_json::Error>,
) -> Result<RawRequest, Error> {
    let body = body.map_err(|e| invalid_request(format!("request body did not serialize: {e}")))?;
    request.map(|r| r.json_bytes(body))
}

/// The error for a request refused before anything was sent.
pub(crate) fn invalid_request(reason: impl Into<String>) -> Error {
    Error::InvalidRequest {
        reason: reason.into(),
    }
}

impl<'a, R, O> IntoFuture for Call<'a, R, O>
where
    R: Receive + 'a,
    O: CallOptions + 'a,
{
    type Output = Result<R::Output, Error>;
    type IntoFuture = CallFuture<'a, R>;

    fn into_future(self) -> Self::IntoFuture {
        self.send()
    }
}

impl<'a, T, O> Call<'a, Json<T>, O>
where
    T: DeserializeOwned + Send + 'static,
    O: CallOptions,
{
    /// Sends the call and returns the whole response: the result with `result_info`, the API's
    /// `messages`, and the HTTP status and headers.
    pub fn send_full(self) -> CallFuture<'a, Full<T>> {
        self.send_as()
    }

    /// Sends the call and returns its `result` as raw JSON, whatever its shape (`null` when the
    /// envelope has none): the same request, retries and API errors as awaiting the call, for
    /// code that must keep working whatever the server sends.
    pub fn send_value(self) -> CallFuture<'a, JsonValue> {
        self.send_as()
    }
}
