//! `#[wire]`: what every generated data type of `magic-api` needs, written once instead of per
//! field.
//!
//! On a struct with named fields it
//! - derives `Debug, Clone, PartialEq`, and `Default` with `#[wire(default)]`, which the
//!   generator writes on request types whose fields are all optional (it decides, and records
//!   it in the API snapshot; the macro rejects `default` when a field is required);
//! - writes `Deserialize` and `Serialize` by hand (no `#[serde(flatten)]`, so fields are read
//!   straight from the input: numbers keep their text, decode errors keep their path, and no
//!   intermediate buffer is built);
//! - makes every `Option` field optional on the wire: absent or `null` decodes as `None`, `None`
//!   is not sent; a `null` the server sent is remembered in `extra` and sent back;
//! - treats `Option<Nullable<T>>` as three states (absent, `null`, a value);
//! - reads `i64` and `Vec<i64>` fields leniently (`1476.0` and `1.476e3` are 1476; a fraction is
//!   an error);
//! - appends `extra`, a map that keeps the fields this version does not know, so re-encoding a
//!   decoded value gives back what the server sent;
//! - with `#[wire(builder)]` (request types), adds `X::builder()`, a typestate builder with one
//!   setter per field named after it: required fields are tracked in the builder's type, so
//!   `build()` exists only once every one is set (a missing one is a compile error naming it);
//!   optional setters take plain values (`.mtu(1476)`, not `Some(1476)`), and `.extra(key,
//!   value)` adds JSON the reference does not describe.
//!
//! Field docs are kept; `#[serde(rename = "type")]` gives a field's wire name, and
//! `#[wire(preset = "…")]` the one value a required field of a builder struct can take.
//!
//! `#[wire_enum]` does the same for string enums: each unit variant names its wire value with
//! `#[wire = "low"]`; the macro appends `Other(String)` (unknown values are kept, not errors),
//! marks the enum `#[non_exhaustive]` (a value the API adds later becomes a variant without
//! breaking callers' matches) and writes `as_str`, `From<String>`, `From<&str>`, `Display` and
//! the serde impls.
//!
//! Layout: this file holds only the entry points. `attrs` parses every attribute the macros
//! read (their arguments and the field and variant attributes), `field` turns a struct's fields
//! into what the impls need (with `types` for looking inside field types), and `wire_struct` /
//! `wire_enum` expand the two attributes, with `decode`, `encode` and `builder` writing the
//! `Deserialize`, `Serialize` and builder code of a struct. A mistake in the input is a
//! `syn::Error` spanned at the offending tokens (`errors` gathers several into one), which the
//! entry points turn into `compile_error!`.

mod attrs;
mod builder;
mod decode;
mod encode;
mod errors;
mod field;
mod types;
mod wire_enum;
mod wire_struct;

use proc_macro::TokenStream;

/// Completes a generated data type: `#[wire]` on a struct with named fields, or
/// `#[wire(builder)]` to add a typestate builder (`X::builder()`). Fields may carry
/// `#[serde(rename = "…")]` (the wire name) and `#[wire(preset = "…")]` (a required field's one
/// value, set from the start by the builder). See the crate documentation for what it writes.
#[proc_macro_attribute]
pub fn wire(args: TokenStream, input: TokenStream) -> TokenStream {
    wire_struct::expand(args.into(), input.into())
        .unwrap_or_else(syn::Error::into_compile_error)
        .into()
}

/// Completes a generated string enum: `#[wire_enum]` (no arguments) on an enum whose unit
/// variants each name their wire value with `#[wire = "…"]`. See the crate documentation for
/// what it writes.
#[proc_macro_attribute]
pub fn wire_enum(args: TokenStream, input: TokenStream) -> TokenStream {
    wire_enum::expand(args.into(), input.into())
        .unwrap_or_else(syn::Error::into_compile_error)
        .into()
}
