//! `#[wire]`: what every generated data type of `magic-api` needs, written once instead of per
//! field.
//!
//! On a struct with named fields it
//! - derives `Debug, Clone, PartialEq, Serialize, Deserialize` (and `Default` when every field is
//!   an `Option`);
//! - makes every `Option` field optional on the wire: absent decodes as `None`, `None` is not
//!   sent (`#[serde(default, skip_serializing_if = "Option::is_none")]`);
//! - appends `extra`, a map that keeps the fields this version does not know, so re-encoding a
//!   decoded value gives back what the server sent;
//! - with `#[wire(new)]`, adds `new(required…)` taking every non-`Option` field in order, so a
//!   required field can never be left out of a request.
//!
//! Attributes written on fields (docs, `#[serde(rename = "type")]`) are kept.
//!
//! `#[wire_enum]` does the same for string enums: each unit variant names its wire value with
//! `#[wire = "low"]`; the macro appends `Other(String)` (unknown values are kept, not errors) and
//! writes `as_str`, `From<String>`, `From<&str>`, `Display` and the serde impls.

use proc_macro::TokenStream;
use quote::{format_ident, quote};
use syn::{Expr, Fields, ItemEnum, ItemStruct, Lit, Meta, Type, parse_macro_input};

/// See the crate documentation.
#[proc_macro_attribute]
pub fn wire_enum(args: TokenStream, input: TokenStream) -> TokenStream {
    if !args.is_empty() {
        return quote!(compile_error!("`wire_enum` takes no arguments");).into();
    }
    let mut item = parse_macro_input!(input as ItemEnum);
    let mut idents = Vec::new();
    let mut values = Vec::new();
    for variant in item.variants.iter_mut() {
        let mut value = None;
        variant.attrs.retain(|attr| {
            let Meta::NameValue(nv) = &attr.meta else {
                return true;
            };
            if !nv.path.is_ident("wire") {
                return true;
            }
            if let Expr::Lit(lit) = &nv.value {
                if let Lit::Str(s) = &lit.lit {
                    value = Some(s.value());
                }
            }
            false
        });
        let Some(value) = value else {
            let message = format!("variant `{}` needs `#[wire = \"…\"]`", variant.ident);
            return quote!(compile_error!(#message);).into();
        };
        if !matches!(variant.fields, Fields::Unit) {
            return quote!(compile_error!("`wire_enum` variants carry no data");).into();
        }
        idents.push(variant.ident.clone());
        values.push(value);
    }
    item.variants.push(syn::parse_quote! {
        /// A value this version of the crate does not know, kept as sent.
        Other(String)
    });
    let name = &item.ident;
    quote! {
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, ::serde::Deserialize)]
        #[serde(from = "String")]
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
        impl ::std::fmt::Display for #name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    }
    .into()
}

/// See the crate documentation.
#[proc_macro_attribute]
pub fn wire(args: TokenStream, input: TokenStream) -> TokenStream {
    let with_new = match args.to_string().trim() {
        "" => false,
        "new" => true,
        other => {
            let message = format!("unknown `wire` argument `{other}`; expected nothing or `new`");
            return quote!(compile_error!(#message);).into();
        }
    };
    let mut item = parse_macro_input!(input as ItemStruct);
    let Fields::Named(named) = &mut item.fields else {
        return quote!(compile_error!("`wire` needs a struct with named fields");).into();
    };
    let mut required = Vec::new();
    let mut optional = Vec::new();
    for field in named.named.iter_mut() {
        let Some(name) = field.ident.clone() else {
            continue;
        };
        if is_option(&field.ty) {
            field.attrs.push(
                syn::parse_quote!(#[serde(default, skip_serializing_if = "Option::is_none")]),
            );
            optional.push(name);
        } else {
            required.push((name, field.ty.clone()));
        }
    }
    let taken: Vec<String> = named
        .named
        .iter()
        .filter_map(|f| f.ident.as_ref().map(|i| i.to_string()))
        .collect();
    let mut extra_name = String::from("extra");
    while taken.contains(&extra_name) {
        extra_name.push_str("_fields");
    }
    let extra = format_ident!("{}", extra_name);
    named.named.push(syn::parse_quote! {
        /// Fields the server sent that this version of the crate does not know, kept so that
        /// re-encoding loses nothing.
        #[serde(flatten)]
        pub #extra: ::magic_api::runtime::wire::Object
    });
    let default = required.is_empty().then(|| quote!(Default,));
    let name = &item.ident;
    let constructor = (with_new && !required.is_empty()).then(|| {
        let params = required.iter().map(|(n, t)| quote!(#n: impl Into<#t>));
        let inits = required.iter().map(|(n, _)| quote!(#n: #n.into()));
        let allow = (required.len() > 7).then(|| quote!(#[allow(clippy::too_many_arguments)]));
        quote! {
            impl #name {
                /// A value with the required fields set and every optional field unset.
                #allow
                pub fn new(#(#params),*) -> Self {
                    Self {
                        #(#inits,)*
                        #(#optional: None,)*
                        #extra: ::magic_api::runtime::wire::Object::new(),
                    }
                }
            }
        }
    });
    quote! {
        #[derive(Debug, Clone, PartialEq, #default ::serde::Serialize, ::serde::Deserialize)]
        #item
        #constructor
    }
    .into()
}

/// Whether a field's type is `Option<…>` (as the emitter writes it).
fn is_option(ty: &Type) -> bool {
    matches!(ty, Type::Path(p) if p.qself.is_none() && p.path.segments.last().is_some_and(|s| s.ident == "Option"))
}
