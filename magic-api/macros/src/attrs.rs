//! Every attribute the macros read, parsed in one place: the macros' own arguments
//! (`#[wire(builder)]`, `#[wire_enum]`) and the attributes on fields (`#[serde(rename = "…")]`,
//! `#[wire(preset = "…")]`) and on enum variants (`#[wire = "…"]`).
//!
//! Anything else in those attributes is an error spanned at it, not ignored: a misspelt
//! attribute would otherwise change the wire format silently.

use proc_macro2::TokenStream;
use quote::ToTokens;
use syn::parse::Parser;
use syn::{Attribute, Expr, Lit, LitStr, Meta};

use crate::errors::Errors;

/// The arguments of `#[wire(…)]`.
pub(crate) struct WireArgs {
    /// `builder`: add `X::builder()`.
    pub(crate) builder: bool,
    /// `default`: derive `Default` (the generator decides which types do; every field must be
    /// optional).
    pub(crate) default: Option<syn::Path>,
}

impl WireArgs {
    pub(crate) fn parse(args: TokenStream) -> syn::Result<Self> {
        let mut parsed = WireArgs {
            builder: false,
            default: None,
        };
        syn::meta::parser(|meta| {
            if meta.path.is_ident("builder") {
                parsed.builder = true;
                Ok(())
            } else if meta.path.is_ident("default") {
                parsed.default = Some(meta.path.clone());
                Ok(())
            } else {
                let name = meta.path.to_token_stream().to_string().replace(' ', "");
                Err(syn::Error::new_spanned(
                    &meta.path,
                    format!(
                        "unknown `wire` argument `{name}`; expected nothing, `builder` or `default`"
                    ),
                ))
            }
        })
        .parse2(args)?;
        Ok(parsed)
    }
}

/// Checks that `#[wire_enum]` was given no arguments.
pub(crate) fn no_enum_args(args: TokenStream) -> syn::Result<()> {
    syn::meta::parser(|meta| {
        Err(syn::Error::new_spanned(
            &meta.path,
            "`wire_enum` takes no arguments",
        ))
    })
    .parse2(args)
}

/// What an attribute is attached to, which decides what it may say.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Site {
    /// A field of a `#[wire]` struct: `#[serde(rename = "…")]`, `#[wire(preset = "…")]`.
    Field,
    /// A variant of a `#[wire_enum]` enum: `#[wire = "…"]`.
    Variant,
}

/// What the macro's attributes on one field or variant say; each value keeps its literal, so
/// that later checks can point at it.
#[derive(Default)]
pub(crate) struct Attrs {
    /// `#[serde(rename = "…")]` on a field: its name on the wire.
    pub(crate) rename: Option<LitStr>,
    /// `#[wire(preset = "…")]` on a field: the one value it can take.
    pub(crate) preset: Option<LitStr>,
    /// `#[wire = "…"]` on a variant: its value on the wire.
    pub(crate) value: Option<LitStr>,
}

const FIELD_SERDE: &str = "`wire` fields take only `#[serde(rename = \"…\")]`";
const FIELD_WIRE: &str = "`wire` fields take only `#[wire(preset = \"…\")]`";
const VARIANT_WIRE: &str = "`wire_enum` variants take only `#[wire = \"…\"]`";

impl Attrs {
    /// Removes the macro's attributes from `attrs` (the others, such as docs, stay) and
    /// returns what they say; every malformed one is reported.
    pub(crate) fn take(attrs: &mut Vec<Attribute>, site: Site) -> syn::Result<Attrs> {
        let mut found = Attrs::default();
        let mut errors = Errors::default();
        attrs.retain(|attr| {
            let ours = attr.path().is_ident("wire")
                || (site == Site::Field && attr.path().is_ident("serde"));
            if ours {
                errors.keep(found.read(attr, site));
            }
            !ours
        });
        errors.finish()?;
        Ok(found)
    }

    /// Reads one of the macro's attributes into `self`.
    fn read(&mut self, attr: &Attribute, site: Site) -> syn::Result<()> {
        let serde = attr.path().is_ident("serde");
        match (site, &attr.meta) {
            (Site::Variant, Meta::NameValue(nv)) => {
                set(&mut self.value, string(&nv.value, VARIANT_WIRE)?, "wire")
            }
            (Site::Variant, _) => Err(syn::Error::new_spanned(attr, VARIANT_WIRE)),
            (Site::Field, Meta::List(_)) => attr.parse_nested_meta(|meta| {
                let (key, slot, message) = if serde {
                    ("rename", &mut self.rename, FIELD_SERDE)
                } else {
                    ("preset", &mut self.preset, FIELD_WIRE)
                };
                if !meta.path.is_ident(key) {
                    return Err(syn::Error::new_spanned(&meta.path, message));
                }
                let value: Expr = meta.value()?.parse()?;
                set(slot, string(&value, message)?, key)
            }),
            (Site::Field, _) => Err(syn::Error::new_spanned(
                attr,
                if serde { FIELD_SERDE } else { FIELD_WIRE },
            )),
        }
    }
}

/// The string literal `value`, or an error saying what was expected.
fn string(value: &Expr, message: &str) -> syn::Result<LitStr> {
    match value {
        Expr::Lit(lit) => match &lit.lit {
            Lit::Str(s) => Ok(s.clone()),
            _ => Err(syn::Error::new_spanned(value, message)),
        },
        _ => Err(syn::Error::new_spanned(value, message)),
    }
}

/// Stores `value` in `slot`, unless an earlier attribute already gave one.
fn set(slot: &mut Option<LitStr>, value: LitStr, key: &str) -> syn::Result<()> {
    if slot.is_some() {
        return Err(syn::Error::new_spanned(
            &value,
            format!("`{key}` is given twice"),
        ));
    }
    *slot = Some(value);
    Ok(())
}
