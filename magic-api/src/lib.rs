//! Typed async client for the Cloudflare Magic Transit API.
//!
//! The crate has two layers:
//!
//! * a small hand-written [`runtime`] (this is what you configure: [`Client`],
//!   [`Credentials`], [`RetryPolicy`], and the [`Error`] type every call returns), and
//! * typed operations generated from the published API reference, which call the runtime's
//!   low-level [`RawRequest`] API.
//!
//! The low-level API is public on purpose: it is the escape hatch for endpoints that are
//! not (yet) in the reference, and it gives them the same authentication, retry, timeout
//! and error handling as the generated operations.
//!
//! ```no_run
//! # async fn demo() -> Result<(), magic_api::Error> {
//! use magic_api::{Client, PathBuilder, RawRequest};
//! use reqwest::Method;
//!
//! let client = Client::from_env()?;
//! let path = PathBuilder::new()
//!     .segment("accounts")
//!     .param("023e105f4ecef8ad9ca31a8372d0c353")
//!     .segment("magic")
//!     .segment("sites")
//!     .build()?;
//! let sites = client
//!     .send_json::<serde_json::Value>(RawRequest::new(Method::GET, path))
//!     .await?;
//! println!("{}", sites.result);
//! # Ok(())
//! # }
//! ```
#![deny(missing_docs)]

// Generated code names everything by absolute `::magic_api::` paths, so the same emitted text
// compiles inside this crate and in the golden-fixture tests outside it.
extern crate self as magic_api;

// Generated files are formatted by the generator (prettyplease); rustfmt must not rewrite them, or
// the staleness check would fail.
#[rustfmt::skip]
mod generated;
mod call;
mod client;

/// The hand-written runtime the generated code calls: the `magic-api-runtime` crate (client,
/// credentials, retries, errors, envelope, paths, pagination, downloads, numbers, wire helpers)
/// and the typed call every operation returns.
pub mod runtime {
    pub use crate::call::{
        Binary, BoxFuture, BoxStream, Call, CallOptions, Empty, Json, Paged, Paging, Receive,
    };
    pub use magic_api_runtime::*;
}

pub use generated::client::*;
pub use generated::types;

pub use client::{Client, ClientBuilder};
pub use runtime::{
    ApiMessage, ApiMessageSource, ApiResponse, Binary, Call, CallOptions, ConfigError, Credentials,
    Download, Empty, Error, Json, Nullable, Number, PathBuilder, RawRequest, Receive, ResultInfo,
    RetryPolicy, cursor_stream, page_stream,
};

/// `next()` and friends for the streams list calls return.
pub use futures_util::StreamExt;

/// The attribute behind every generated data type (derives, optional fields, unknown-field
/// preservation, constructors); see the `magic-api-macros` crate.
pub use magic_api_macros::{wire, wire_enum};

/// Re-exported so callers of [`RawRequest::new`] and [`ClientBuilder::http_client`] use the
/// exact `reqwest` version this crate was built against.
pub use reqwest;
