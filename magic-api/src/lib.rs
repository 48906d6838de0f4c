//! Typed async client for the Cloudflare Magic Transit API.
//!
//! Start with a [`Client`]; each resource is a handle on it, nested the way the API's paths
//! nest (`client.sites().lans()`), with one method per operation. Identifiers are typed
//! ([`AccountId`], [`SiteId`], [`LanId`], …), so an id read from one response passes to the next
//! call as it is and cannot be passed where another resource's id belongs. Request bodies are
//! built with named setters; `build()` compiles only once every required field is set.
//!
//! ```no_run
//! # async fn quick_start() -> Result<(), magic_api::Error> {
//! use magic_api::types::{LanCreateRequest, LanStaticAddressing, SiteCreateRequest};
//! use magic_api::{AccountId, Client};
//!
//! // CLOUDFLARE_API_TOKEN, or CLOUDFLARE_EMAIL + CLOUDFLARE_API_KEY.
//! let client = Client::from_env()?;
//! let account = AccountId::from("023e105f4ecef8ad9ca31a8372d0c353");
//!
//! let site = SiteCreateRequest::builder().name("branch-1").build();
//! let site = client.sites().create(&account, &site).await?;
//! if let Some(site_id) = &site.id {
//!     let addressing = LanStaticAddressing::builder().address("192.0.2.1/24").build();
//!     let lan = LanCreateRequest::builder().physport(1).static_addressing(addressing).build();
//!     for lan in client.sites().lans().create(&account, site_id, &lan).await? {
//!         println!("LAN {:?} on site {site_id}", lan.id);
//!     }
//! }
//! // Optional parameters are setters on the call, before it is awaited.
//! let tunnels = client.gre_tunnels().list(&account).await?;
//! println!("{} GRE tunnels", tunnels.gre_tunnels.unwrap_or_default().len());
//! # Ok(())
//! # }
//! ```
//!
//! The data types are under [`types`]. Every call goes through a small hand-written
//! [`runtime`] (authentication, retries, timeouts, the response envelope, errors); its
//! low-level [`RawRequest`] is public on purpose, the escape hatch for endpoints the reference
//! does not (yet) describe, with the same authentication, retries and errors.
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
mod ids;
mod paging;
mod unions;

/// The hand-written runtime the generated code calls: the `magic-api-runtime` crate (client,
/// credentials, retries, errors, envelope, paths, pagination, downloads, numbers, wire helpers)
/// and the typed call every operation returns.
pub mod runtime {
    pub use crate::call::{
        Binary, Call, CallFuture, CallOptions, Empty, Full, Json, RawJson, Receive,
    };
    pub use crate::paging::{BoxStream, Paged, Paging};
    pub use magic_api_runtime::*;
}

pub use generated::client::*;
pub use generated::types;

pub use client::{Client, ClientBuilder};
pub use runtime::{
    ApiMessage, ApiMessageSource, ApiResponse, Binary, Call, CallOptions, ConfigError, Credentials,
    Download, Empty, Error, Json, Nullable, Number, PathBuilder, RawRequest, Receive, ResultInfo,
    RetryPolicy, Secret, cursor_stream, page_stream,
};

/// `next()` and friends for the streams list calls return.
pub use futures_util::StreamExt;

/// The attribute behind every generated data type (derives, optional fields, unknown-field
/// preservation, constructors); see the `magic-api-macros` crate.
pub use magic_api_macros::{wire, wire_enum};

/// Re-exported so callers of [`RawRequest::new`] and [`ClientBuilder::http_client`] use the
/// exact `reqwest` version this crate was built against.
///
/// This crate enables reqwest's rustls support without a crypto provider (its own client is
/// handed one, ring, preconfigured), so a `reqwest::Client` you build yourself needs a
/// provider: `reqwest::Client::new()` and `reqwest::ClientBuilder::build()` panic unless one
/// is installed for the process (for example `rustls::crypto::ring::default_provider()
/// .install_default()`, with `rustls` and its `ring` feature in your dependencies) or your own
/// reqwest features bring one (`rustls` for aws-lc-rs, or `native-tls`).
pub use reqwest;
