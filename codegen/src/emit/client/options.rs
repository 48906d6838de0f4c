//! Prints an option set: a struct with one field per optional parameter, how it applies to a
//! request, and its setters on `Call` (a parameter an operation does not document has no setter).

use proc_macro2::TokenStream;
use quote::quote;

use super::super::spell::{Place, doc, ident, ty};
use crate::ir::ParamLocation;
use crate::plan::{OptionSetPlan, RustTy};

/// The string a query or header value is sent as.
fn to_wire(t: &RustTy) -> TokenStream {
    match t {
        RustTy::Id(_) | RustTy::Data(_) => quote!(value.as_str().to_string()),
        RustTy::String => quote!(value.clone()),
        _ => quote!(value.to_string()),
    }
}

/// The option set's items.
pub(super) fn option_set(set: &OptionSetPlan) -> TokenStream {
    let n = ident(&set.rust);
    let mut fields = Vec::new();
    let mut applies = Vec::new();
    let mut setters = Vec::new();
    for f in &set.fields {
        let name = ident(&f.setter);
        let t = ty(&f.ty, Place::Crate);
        let wire = &f.wire;
        let value = to_wire(&f.ty);
        fields.push(quote!(#name: Option<#t>,));
        applies.push(match f.location {
            // A header the body already decided (a form header) is never overridden.
            ParamLocation::Header => quote! {
                if let Some(value) = &self.#name {
                    if !request.has_header(#wire) {
                        request = request.header(#wire, #value);
                    }
                }
            },
            _ => quote! {
                if let Some(value) = &self.#name {
                    request = request.query(#wire, #value);
                }
            },
        });
        let d = doc(&f.doc);
        let (arg, into) = if f.into {
            (quote!(value: impl Into<#t>), quote!(value.into()))
        } else {
            (quote!(value: #t), quote!(value))
        };
        setters.push(quote! {
            #d
            pub fn #name(mut self, #arg) -> Self {
                self.options_mut().#name = Some(#into);
                self
            }
        });
    }
    let options_doc = doc(&set.doc);
    quote! {
        #options_doc
        #[derive(Debug, Clone, Default)]
        pub struct #n {
            #(#fields)*
        }
        impl ::magic_api::CallOptions for #n {
            fn apply(&self, mut request: ::magic_api::RawRequest) -> ::magic_api::RawRequest {
                #(#applies)*
                request
            }
        }
        impl<R: ::magic_api::Receive> ::magic_api::Call<'_, R, #n> {
            #(#setters)*
        }
    }
}
