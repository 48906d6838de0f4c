//! The hand-written runtime of `magic-api`, shared by every generated operation. Users reach it as
//! `magic_api::runtime` (and its main types at `magic_api`'s root); it is a crate of its own so that
//! regenerating the client recompiles only the generated code.
//!
//! Generated code only ever builds a [`RawRequest`] (with the path assembled by
//! [`PathBuilder`] so that identifiers can never change the path) and hands it to one of
//! [`Client::fetch_json`] (then [`JsonReply::decode`]), [`Client::send_empty`] or
//! [`Client::send_download`]: none of them generic but the decode of the result itself, so a
//! program that awaits a call compiles only that. Everything
//! that must behave identically across the ~100 operations lives here: authentication,
//! retries, timeouts, decoding of the `{success, errors, messages, result}` envelope,
//! and error reporting that never leaks secrets.

#![deny(missing_docs)]

pub mod builder;
mod client;
mod credentials;
mod download;
mod envelope;
mod error;
mod future;
mod locate;
mod message;
mod number;
mod pagination;
mod path;
mod raw_json;
mod request;
mod retry;
mod secret;
pub mod wire;

pub use client::{Client, ClientBuilder};
pub use credentials::Credentials;
pub use download::Download;
pub use envelope::{ApiResponse, JsonReply, ResultInfo};
pub use error::{ConfigError, Error, ResponseBody};
pub use future::BoxFuture;
pub use message::{ApiMessage, ApiMessageSource};
pub use number::{Number, NumberError};
pub use pagination::{cursor_stream, has_more, page_stream};
pub use path::{PathBuilder, PathValue, fill_path};
pub use request::RawRequest;
pub use retry::RetryPolicy;
pub use secret::Secret;
pub use wire::{Nullable, RawJson};
