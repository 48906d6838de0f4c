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

use proc_macro::TokenStream;
use quote::{format_ident, quote};
use syn::{Fields, ItemStruct, Type, parse_macro_input};

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
