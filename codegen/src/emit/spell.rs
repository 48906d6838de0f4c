//! How the printers spell what the plan decided: identifiers, doc attributes and types.
//!
//! Path style, one rule: generated code names every item of the `magic-api` crate by its
//! `::magic_api::` path (ids and runtime items at the root, data types at `::magic_api::types::`),
//! and other crates with a leading `::` (`::serde`, `::serde_json`, `::std`). Inside the crate the
//! path resolves through `extern crate self as magic_api`; the same spelling lets the golden
//! fixtures compile the types outside it, and is what the proc macros' expansions use. Two
//! shorter forms, both plain: data types bare inside the `types` module, and the names a client
//! resource module imports (`use ::magic_api::{…}`) bare in that module.

use proc_macro2::{Ident, Span, TokenStream};
use quote::quote;

use crate::plan::RustTy;
use crate::plan::names::is_keyword;

/// A Rust identifier: raw if it is a keyword, and never a panic. The plan only produces
/// `[A-Za-z0-9_]` names, but a name is input-derived, so anything else is replaced by `_` (and a
/// leading digit gets an `x` in front) rather than trusted.
pub fn ident(name: &str) -> Ident {
    let clean = name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
        && name.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
        && name != "_";
    let name: std::borrow::Cow<'_, str> = if clean {
        name.into()
    } else {
        let mut fixed: String = name
            .chars()
            .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
            .collect();
        if !fixed.starts_with(|c: char| c.is_ascii_alphabetic()) {
            fixed.insert(0, 'x');
        }
        fixed.into()
    };
    match name.as_ref() {
        "self" | "Self" | "super" | "crate" => Ident::new(&format!("{name}_"), Span::call_site()),
        n if is_keyword(n) => Ident::new_raw(n, Span::call_site()),
        n => Ident::new(n, Span::call_site()),
    }
}

/// The `#[doc]` attribute for a text (none for empty text); see the `docs` module.
pub fn doc(text: &str) -> TokenStream {
    super::docs::attr(text)
}

/// Where a type is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Place {
    /// Inside `types`: data types bare.
    Types,
    /// Anywhere else, in the crate or outside it, by full path.
    Crate,
    /// In a module that imports every data type, id and `Number` it names (a resource module
    /// of the client; see [`names_used`]).
    Imported,
}

/// The crate-root items (ids, `Number`) and data types a type names, for a module's `use` lines.
pub fn names_used(
    t: &RustTy,
    root: &mut std::collections::BTreeSet<String>,
    types: &mut std::collections::BTreeSet<String>,
) {
    match t {
        RustTy::Number => {
            root.insert("Number".into());
        }
        RustTy::Id(n) => {
            root.insert(n.clone());
        }
        RustTy::Data(n) => {
            types.insert(n.clone());
        }
        RustTy::Map(v) | RustTy::Vec(v) | RustTy::Option(v) => names_used(v, root, types),
        RustTy::Secret(v) => {
            root.insert("Secret".into());
            names_used(v, root, types);
        }
        RustTy::Nullable(v) => {
            root.insert("Nullable".into());
            names_used(v, root, types);
        }
        RustTy::String | RustTy::I64 | RustTy::Bool | RustTy::Value => {}
    }
}

/// A planned type as tokens.
pub fn ty(t: &RustTy, place: Place) -> TokenStream {
    match t {
        RustTy::String => quote!(String),
        RustTy::I64 => quote!(i64),
        RustTy::Number => match place {
            Place::Imported => quote!(Number),
            Place::Types | Place::Crate => quote!(::magic_api::Number),
        },
        RustTy::Bool => quote!(bool),
        RustTy::Value => quote!(::serde_json::Value),
        RustTy::Map(v) => {
            let v = ty(v, place);
            quote!(::std::collections::BTreeMap<String, #v>)
        }
        RustTy::Vec(v) => {
            let v = ty(v, place);
            quote!(Vec<#v>)
        }
        RustTy::Data(name) => {
            let n = ident(name);
            match place {
                Place::Types | Place::Imported => quote!(#n),
                Place::Crate => quote!(::magic_api::types::#n),
            }
        }
        RustTy::Id(name) => {
            let n = ident(name);
            match place {
                Place::Imported => quote!(#n),
                Place::Types | Place::Crate => quote!(::magic_api::#n),
            }
        }
        RustTy::Option(v) => {
            let v = ty(v, place);
            quote!(Option<#v>)
        }
        RustTy::Secret(v) => {
            let v = ty(v, place);
            match place {
                Place::Imported => quote!(Secret<#v>),
                Place::Types | Place::Crate => quote!(::magic_api::Secret<#v>),
            }
        }
        RustTy::Nullable(v) => {
            let v = ty(v, place);
            match place {
                Place::Imported => quote!(Nullable<#v>),
                Place::Types | Place::Crate => quote!(::magic_api::Nullable<#v>),
            }
        }
    }
}
