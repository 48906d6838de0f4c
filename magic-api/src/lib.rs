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
//! Where things are:
//! - the resource modules ([`sites`], [`gre_tunnels`], …) hold the handles, each method
//!   documented with the reference's prose and an example;
//! - [`types`] holds the data types, and [`types::builders`] the builders of the request types;
//! - [`options`] holds each operation's set of optional parameters (one type per operation,
//!   named for its call), whose setters are methods of the [`Call`] the operation returns;
//! - every call goes through a small hand-written [`runtime`] (authentication, retries,
//!   timeouts, the response envelope, errors); its low-level [`RawRequest`] is public on
//!   purpose, the escape hatch for endpoints the reference does not (yet) describe, with the
//!   same authentication, retries and errors.
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
mod option_sets;
mod paging;
mod unions;

/// The hand-written runtime the generated code calls.
///
/// The `magic-api-runtime` crate (client, credentials, retries, errors, envelope, paths,
/// pagination, downloads, numbers, wire helpers) and the typed call every operation returns,
/// with the parts of it a program rarely names (how a call receives its answer, option sets as
/// a trait, paging).
pub mod runtime {
    pub use crate::call::{
        Binary, Call, CallFuture, CallOptions, Empty, Full, Json, JsonValue, Receive,
    };
    pub use crate::paging::{BoxStream, Paged, Paging};
    pub use magic_api_runtime::*;

    /// The `reqwest` this crate was built against, for [`RawRequest::new`]'s method and
    /// [`ClientBuilder::http_client`](crate::ClientBuilder::http_client) (also at the crate root
    /// as `magic_api::reqwest`).
    ///
    /// This crate enables reqwest's rustls support without a crypto provider (its own client is
    /// handed one, ring, preconfigured), so a `reqwest::Client` you build yourself needs a
    /// provider: `reqwest::Client::new()` and `reqwest::ClientBuilder::build()` panic unless one
    /// is installed for the process (for example `rustls::crypto::ring::default_provider()
    /// .install_default()`, with `rustls` and its `ring` feature in your dependencies) or your own
    /// reqwest features bring one (`rustls` for aws-lc-rs, or `native-tls`).
    pub use reqwest;
}

pub use generated::client::*;
pub use generated::types;

pub use client::{Client, ClientBuilder};
pub use runtime::{
    ApiMessage, ApiMessageSource, ApiResponse, Call, ConfigError, Credentials, Download, Error,
    Nullable, Number, RawRequest, ResultInfo, RetryPolicy, Secret,
};

// What generated code and the call's type name, but a program rarely does: reachable here as
// before, listed (and documented) under `runtime`.
#[doc(hidden)]
pub use runtime::{Binary, CallOptions, Empty, Json, PathBuilder, Receive};

/// `next()` and friends for the streams list calls return.
pub use futures_util::StreamExt;

/// The attributes behind every generated data type (derives, optional fields, unknown-field
/// preservation, builders); see the `magic-api-macros` crate. Generated code names them here.
#[doc(hidden)]
pub use magic_api_macros::{wire, wire_enum};

/// The `reqwest` this crate was built against; documented as [`runtime::reqwest`].
#[doc(hidden)]
pub use reqwest;
