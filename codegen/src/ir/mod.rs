//! The intermediate representation: everything the documents say, resolved, checked and in a
//! deterministic order. Plain data, serializable, independent of both the input format and the
//! emitted Rust.
//!
//! - [`Ir::types`] holds the 71 domain types, in document order.
//! - [`Ir::shapes`] holds every other type definition a field reaches: named union alternatives
//!   (`MagicHealthCheckTarget`, the 16 event kinds), types named only by a page (`ResponseInfo`),
//!   inline enums and unions, and anonymous objects. Structurally identical shapes are stored once
//!   ([`TypeDef::used_at`] lists every place), and an anonymous shape identical to a domain type is
//!   that domain type.
//! - A [`Ty::Ref`] names a definition in either table by its unique [`TypeDef::id`].

mod build;
mod checks;
mod form_headers;
mod lower;
mod mock_model;
mod operations;
mod partial_items;
mod refine;
mod resources;
mod roles;
mod stale;
mod summary;
mod unions;
pub mod walk;

pub use build::build;
pub use checks::check_response;
pub use refine::Refinements;
pub use resources::placeholders as resources_placeholders;
pub use summary::{Stats, summary};

/// The IR's data types, defined in the `magic-api-model` crate so that the mock can read a
/// serialized IR without this generator.
pub use magic_api_model::*;
