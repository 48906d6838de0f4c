//! The typed call every generated operation returns.
//!
//! A [`Call`] holds the request the operation built (path, required parameters, body) and is
//! sent by awaiting it. Before that, optional inputs can be set: [`Call::timeout`] for any call,
//! and setters the generated code adds for the optional parameters an operation documents (they
//! exist only on the calls of operations that accept them, so a parameter an operation does not
//! know cannot be set). Dropping the call, or the future, cancels it.

use std::future::{Future, IntoFuture};
use std::marker::PhantomData;
use std::pin::Pin;
use std::time::Duration;

use futures_core::Stream;
use reqwest::Method;
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

use magic_api_runtime::{
    ApiResponse, Client, Download, Error, PathValue, RawRequest, cursor_stream, fill_path,
    page_stream,
};

/// A boxed, sendable future borrowing the client.
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// A boxed, sendable stream borrowing the client (boxed so it is `Unpin`: read it with
/// [`StreamExt::next`](futures_util::StreamExt::next), re-exported as `magic_api::StreamExt`).
pub type BoxStream<'a, T> = Pin<Box<dyn Stream<Item = T> + Send + 'a>>;

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
    client: &'a Client,
    request: Result<RawRequest, Error>,
    options: O,
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
fn invalid_request(reason: impl Into<String>) -> Error {
    Error::InvalidRequest {
        reason: reason.into(),
    }
}

/// A list result that can be streamed across pages: generated code implements it for each list
/// operation's result, and [`Call::stream`] (generic, so compiled only where it is used) pages.
pub trait Paged: DeserializeOwned + Serialize + Send + 'static {
    /// One item of the list.
    type Item: Send + 'static;
    /// How further pages are asked for.
    const PAGING: Paging;
    /// The page's items and, for cursor paging, the next cursor.
    fn split(self) -> (Vec<Self::Item>, Option<String>);
}

/// How a list operation pages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Paging {
    /// A cursor from each page, sent back in this query parameter.
    Cursor(&'static str),
    /// Page numbers in this query parameter, until `result_info` says there is no more.
    Numbered(&'static str),
}

impl<'a, T: Paged, O: CallOptions + 'a> Call<'a, Json<T>, O> {
    /// Every item of the list, fetching further pages as the stream is read (and only then).
    /// Page numbering starts at the page set on the call, if any.
    pub fn stream(self) -> BoxStream<'a, Result<T::Item, Error>> {
        match T::PAGING {
            Paging::Cursor(cursor) => self.cursor_pages(cursor, T::split),
            Paging::Numbered(page) => self.numbered_pages(page, |t: T| t.split().0),
        }
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

    /// Pages by cursor: `split` takes a page's result apart into its items and the next cursor;
    /// each further page repeats the request with the cursor set.
    #[doc(hidden)]
    pub fn cursor_pages<I, F>(
        self,
        cursor: &'static str,
        split: F,
    ) -> BoxStream<'a, Result<I, Error>>
    where
        T: Serialize,
        I: Send + 'a,
        F: Fn(T) -> (Vec<I>, Option<String>) + Send + Sync + 'a,
    {
        let client = self.client;
        let mut first = Some(self.request.map(|r| self.options.apply(r)));
        let split = std::sync::Arc::new(split);
        // A server that ignores the cursor sends the same page again: recognised by its
        // fingerprint, it ends the stream instead of repeating its items.
        let last = std::sync::Arc::new(std::sync::Mutex::new(None::<u64>));
        Box::pin(cursor_stream(move |next: Option<String>| {
            let request = repeat(&mut first, |r| match &next {
                Some(c) => r.clone().set_query(cursor, c.clone()),
                None => r.clone(),
            });
            let split = split.clone();
            let last = last.clone();
            async move {
                let page = client.send_json::<T>(request?).await?;
                if repeats(&last, &page.result) {
                    return Ok((Vec::new(), None));
                }
                Ok(split(page.result))
            }
        }))
    }

    /// Pages by number: each page repeats the request with `page` set (from the page the caller
    /// chose, else 1) until the envelope's `result_info` says there is no more.
    #[doc(hidden)]
    pub fn numbered_pages<I, F>(
        self,
        page: &'static str,
        items: F,
    ) -> BoxStream<'a, Result<I, Error>>
    where
        T: Serialize,
        I: Send + 'a,
        F: Fn(T) -> Vec<I> + Send + Sync + 'a,
    {
        let client = self.client;
        let first = self.request.map(|r| self.options.apply(r));
        let start: u64 = first
            .as_ref()
            .ok()
            .and_then(|r| r.query_pairs().iter().find(|(n, _)| *n == page))
            .and_then(|(_, v)| v.parse().ok())
            .unwrap_or(1);
        let mut first = Some(first);
        let items = std::sync::Arc::new(items);
        // A server that ignores `page` and does not report it sends the same page again:
        // that page is recognised by its fingerprint and ends the stream instead of repeating.
        let last = std::sync::Arc::new(std::sync::Mutex::new(None::<u64>));
        Box::pin(page_stream(move |n: u32| {
            let number = start.saturating_add(u64::from(n)).saturating_sub(1);
            let request = repeat(&mut first, |r| {
                r.clone().set_query(page, number.to_string())
            });
            let items = items.clone();
            let last = last.clone();
            async move {
                let response = client.send_json::<T>(request?).await?;
                let repeated = repeats(&last, &response.result);
                // `page_stream` counts from 1; the server counts from the caller's first page,
                // so its page number and total are shifted to match.
                let skipped = start.saturating_sub(1);
                let info = response.result_info.map(|mut info| {
                    info.page = info.page.map(|p| p.saturating_sub(skipped));
                    if let (Some(total), Some(per_page)) = (info.total_count, info.per_page) {
                        info.total_count =
                            Some(total.saturating_sub(skipped.saturating_mul(per_page)));
                    }
                    info
                });
                if repeated {
                    return Ok((Vec::new(), info));
                }
                Ok((items(response.result), info))
            }
        }))
    }
}

/// Whether `page` is the same as the page before it (and remembers it for the next).
fn repeats<T: Serialize>(last: &std::sync::Mutex<Option<u64>>, page: &T) -> bool {
    let print = fingerprint(page);
    match last.lock() {
        Ok(mut last) => last.replace(print) == Some(print),
        Err(_) => false,
    }
}

/// A hash of a page's content, to recognise a page sent twice.
fn fingerprint<T: Serialize>(page: &T) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    match serde_json::to_vec(page) {
        Ok(bytes) => bytes.hash(&mut hasher),
        Err(_) => return 0,
    }
    hasher.finish()
}

/// The next page's request from the first one; an error building the first request is handed
/// out once (the stream stops after an error).
fn repeat(
    first: &mut Option<Result<RawRequest, Error>>,
    next: impl FnOnce(&RawRequest) -> RawRequest,
) -> Result<RawRequest, Error> {
    match first {
        Some(Ok(request)) => Ok(next(request)),
        Some(Err(_)) => match first.take() {
            Some(Err(e)) => Err(e),
            _ => Err(invalid_request("the request could not be built")),
        },
        None => Err(invalid_request("the request could not be built")),
    }
}

/// [`Paged`] for a paged result: its item type, how it pages, and how a page splits into its
/// items and the next cursor (one line of generated code per paged result).
#[doc(hidden)]
#[macro_export]
macro_rules! paged {
    ($ty:ty => $item:ty, $paging:expr, |$page:ident| $split:expr) => {
        impl $crate::runtime::Paged for $ty {
            type Item = $item;
            const PAGING: $crate::runtime::Paging = $paging;
            fn split(self) -> (Vec<$item>, Option<String>) {
                let $page = self;
                $split
            }
        }
    };
}

/// `From` each listed alternative's type for a union (one line of generated code per union).
#[doc(hidden)]
#[macro_export]
macro_rules! union_from {
    ($union:ident { $($variant:ident($ty:ty)),* $(,)? }) => {
        $(
            impl From<$ty> for $union {
                fn from(value: $ty) -> Self {
                    Self::$variant(value)
                }
            }
        )*
    };
}

/// Defines a typed identifier: a string newtype, so that a site id can never be passed where a
/// LAN id belongs.
#[doc(hidden)]
#[macro_export]
macro_rules! define_id {
    ($name:ident, $doc:literal) => {
        #[doc = $doc]
        #[derive(
            Clone, PartialEq, Eq, Hash, PartialOrd, Ord, ::serde::Serialize, ::serde::Deserialize,
        )]
        #[serde(transparent)]
        pub struct $name(String);

        impl $name {
            /// Wraps an identifier as the API spells it.
            pub fn new(id: impl Into<String>) -> Self {
                Self(id.into())
            }

            /// The identifier as the API spells it.
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl From<&str> for $name {
            fn from(id: &str) -> Self {
                Self(id.to_string())
            }
        }

        impl From<String> for $name {
            fn from(id: String) -> Self {
                Self(id)
            }
        }

        impl AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }

        impl ::std::ops::Deref for $name {
            type Target = str;
            fn deref(&self) -> &str {
                &self.0
            }
        }

        impl PartialEq<str> for $name {
            fn eq(&self, other: &str) -> bool {
                self.0 == other
            }
        }

        impl PartialEq<&str> for $name {
            fn eq(&self, other: &&str) -> bool {
                self.0 == *other
            }
        }

        impl<'a> From<&'a $name> for $name {
            fn from(id: &'a $name) -> Self {
                id.clone()
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl<'a> From<&'a $name> for $crate::runtime::PathValue<'a> {
            fn from(id: &'a $name) -> Self {
                $crate::runtime::PathValue::Str(&id.0)
            }
        }

        impl ::std::fmt::Debug for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                write!(f, "{}({:?})", stringify!($name), self.0)
            }
        }
    };
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
