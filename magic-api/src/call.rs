//! The typed call every generated operation returns.
//!
//! A [`Call`] holds the request the operation built (path, required parameters, body) and is
//! sent by awaiting it. Before that, optional inputs can be set: [`Call::timeout`] for any call,
//! and setters the generated code adds for the optional parameters an operation documents (they
//! exist only on the calls of operations that accept them, so a parameter an operation does not
//! know cannot be set). Dropping the call, or the future, cancels it. Streaming a list across
//! its pages is in [`paging`](crate::paging).

use std::future::IntoFuture;
use std::marker::PhantomData;
use std::time::Duration;

use reqwest::Method;
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

use magic_api_runtime::{
    ApiResponse, BoxFuture, Client, Download, Error, PathValue, RawRequest, fill_path,
};

/// How a call's response is received.
pub trait Receive {
    /// What awaiting the call gives.
    type Output: Send;
    /// Sends the request and decodes the response.
    fn receive(client: &Client, request: RawRequest) -> BoxFuture<'_, Result<Self::Output, Error>>;
}

/// The JSON envelope's `result`, decoded as `T`.
#[derive(Debug)]
pub struct Json<T>(PhantomData<fn() -> T>);

impl<T: DeserializeOwned + Send + 'static> Receive for Json<T> {
    type Output = T;
    fn receive(client: &Client, request: RawRequest) -> BoxFuture<'_, Result<T, Error>> {
        Box::pin(async move {
            client
                .send_json::<T>(request)
                .await
                .map(ApiResponse::into_result)
        })
    }
}

/// No documented body: any success is `()`.
#[derive(Debug)]
pub struct Empty;

impl Receive for Empty {
    type Output = ();
    fn receive(client: &Client, request: RawRequest) -> BoxFuture<'_, Result<(), Error>> {
        Box::pin(client.send_empty(request))
    }
}

/// A binary file, streamed.
#[derive(Debug)]
pub struct Binary;

impl Receive for Binary {
    type Output = Download;
    fn receive(client: &Client, request: RawRequest) -> BoxFuture<'_, Result<Download, Error>> {
        Box::pin(client.send_download(request))
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
        let json = match serde_json::to_vec(body) {
            Ok(json) => json,
            Err(e) => {
                self.request = Err(invalid_request(format!(
                    "request body did not serialize: {e}"
                )));
                return self;
            }
        };
        // The form is read from a parsed copy; the body is sent as serialized, so numbers keep
        // their exact text.
        let form = serde_json::from_slice::<Value>(&json)
            .ok()
            .and_then(|value| paths.iter().find_map(|p| form_at(&value, p)));
        self.request = self
            .request
            .map(|r| r.json_bytes(json))
            .map(|r| match form {
                Some(object) => r.header(header, if object { "true" } else { "false" }),
                None => r,
            });
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

    /// Sends the call.
    pub async fn send(self) -> Result<R::Output, Error> {
        let request = self.options.apply(self.request?);
        R::receive(self.client, request).await
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

/// Whether the value at `path` (descending into every array element) is an object (`true`) or a
/// string (`false`).
fn form_at(value: &Value, path: &[&str]) -> Option<bool> {
    match (value, path.split_first()) {
        (Value::Array(items), _) => items.iter().find_map(|v| form_at(v, path)),
        (Value::Object(map), Some((first, rest))) => map.get(*first).and_then(|v| form_at(v, rest)),
        (Value::Object(_), None) => Some(true),
        (Value::String(_), None) => Some(false),
        _ => None,
    }
}

impl<'a, R, O> IntoFuture for Call<'a, R, O>
where
    R: Receive + 'a,
    O: CallOptions + 'a,
{
    type Output = Result<R::Output, Error>;
    type IntoFuture = BoxFuture<'a, Result<R::Output, Error>>;

    fn into_future(self) -> Self::IntoFuture {
        Box::pin(self.send())
    }
}

impl<'a, T, O> Call<'a, Json<T>, O>
where
    T: DeserializeOwned + Send + 'static,
    O: CallOptions,
{
    /// Sends the call and returns the whole response: the result with `result_info`, the API's
    /// `messages`, and the HTTP status and headers.
    pub async fn send_full(self) -> Result<ApiResponse<T>, Error> {
        let request = self.options.apply(self.request?);
        self.client.send_json::<T>(request).await
    }

    /// Sends the call and returns its `result` as raw JSON, whatever its shape (`null` when the
    /// envelope has none): the same request, retries and API errors as awaiting the call, for
    /// code that must keep working whatever the server sends.
    pub async fn send_value(self) -> Result<Value, Error> {
        let request = self.options.apply(self.request?);
        self.client
            .send_json::<Value>(request)
            .await
            .map(ApiResponse::into_result)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn form_is_found_through_arrays() {
        let body = json!({"tunnels": [{"health_check": {"target": {"saved": "x"}}}]});
        assert_eq!(
            form_at(&body, &["tunnels", "health_check", "target"]),
            Some(true)
        );
        let body = json!({"health_check": {"target": "1.2.3.4"}});
        assert_eq!(form_at(&body, &["health_check", "target"]), Some(false));
        assert_eq!(
            form_at(&json!({"name": "x"}), &["health_check", "target"]),
            None
        );
    }
}
