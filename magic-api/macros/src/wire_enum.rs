//! `#[wire_enum]` on a string enum: each unit variant names its wire value; the expansion keeps
//! unknown values in `Other(String)`, marks the enum `#[non_exhaustive]`, and writes `as_str`,
//! the conversions from strings, `Display` and the serde impls.

use proc_macro2::TokenStream;
use quote::quote;
use syn::{Fields, ItemEnum};

use crate::attrs::{Attrs, Site, no_enum_args};
use crate::errors::Errors;
use crate::wire_struct::no_generics;

/// The expansion of `#[wire_enum] input`.
pub(crate) fn expand(args: TokenStream, input: TokenStream) -> syn::Result<TokenStream> {
    no_enum_args(args)?;
    let mut item: ItemEnum = match syn::parse2::<syn::Item>(input)? {
        syn::Item::Enum(item) => item,
        syn::Item::Struct(item) => {
            return Err(syn::Error::new_spanned(
                item.struct_token,
                "`wire_enum` goes on an enum of unit variants; a struct takes `#[wire]`",
            ));
        }
        other => {
            return Err(syn::Error::new_spanned(
                other,
                "`wire_enum` goes on an enum of unit variants",
            ));
        }
    };
    no_generics(
        &item.generics,
        "`wire_enum` enums take no generic parameters",
    )?;
    let mut errors = Errors::default();
    let mut idents = Vec::new();
    let mut values = Vec::new();
    for variant in item.variants.iter_mut() {
        let Some(attrs) = errors.keep(Attrs::take(&mut variant.attrs, Site::Variant)) else {
            continue;
        };
        if !matches!(variant.fields, Fields::Unit) {
            errors.push(syn::Error::new_spanned(
                &variant.fields,
                "`wire_enum` variants carry no data",
            ));
            continue;
        }
        match attrs.value {
            // Two variants of one value would both write it, and only the first would be read.
            Some(value) => match values
                .iter()
                .position(|v: &syn::LitStr| v.value() == value.value())
            {
                Some(first) => errors.push(syn::Error::new_spanned(
                    &value,
                    format!(
                        "variant `{}` has the wire value of `{}`: each value names one variant",
                        variant.ident, idents[first]
                    ),
                )),
                None => {
                    idents.push(variant.ident.clone());
                    values.push(value);
                }
            },
            None => errors.push(syn::Error::new_spanned(
                &variant.ident,
                format!("variant `{}` needs `#[wire = \"…\"]`", variant.ident),
            )),
        }
    }
    errors.finish()?;
    item.variants.push(syn::parse_quote! {
        /// A value this version of the crate does not know, kept as sent.
        Other(String)
    });
    let name = &item.ident;
    Ok(quote! {
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, ::serde::Deserialize)]
        #[serde(from = "String")]
        #[non_exhaustive]
        #item
        impl #name {
            /// The value as sent on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    #( Self::#idents => #values, )*
                    Self::Other(other) => other,
                }
            }
        }
        impl From<String> for #name {
            fn from(value: String) -> Self {
                match value.as_str() {
                    #( #values => Self::#idents, )*
                    _ => Self::Other(value),
                }
            }
        }
        impl From<&str> for #name {
            fn from(value: &str) -> Self {
                Self::from(value.to_string())
            }
        }
        impl ::serde::Serialize for #name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }
        /// The value as sent on the wire; width, fill and alignment apply.
        impl ::std::fmt::Display for #name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.pad(self.as_str())
            }
        }
    })
}
