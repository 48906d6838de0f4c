//! Prints an operation's option set: one `define_options!` invocation (see
//! `magic-api/src/option_sets.rs`), which declares the struct, how it applies to a request and
//! its setters on `Call` (a parameter an operation does not document has no setter).

use proc_macro2::TokenStream;
use quote::quote;

use super::super::spell::{Place, ident, ty};
use crate::ir::ParamLocation;
use crate::plan::OptionSetPlan;

/// The option set's invocation.
pub(super) fn option_set(set: &OptionSetPlan) -> TokenStream {
    let n = ident(&set.rust);
    if set.fields.is_empty() {
        // One line: the macro says what an empty set is, with the call's name.
        let call = &set.call;
        return quote!(::magic_api::define_options!(#n, call #call););
    }
    // `define_options!` takes docs as literals, as `#[doc]` gives them: a leading space each.
    let options_doc = format!(" {}", set.doc);
    let fields = set.fields.iter().map(|f| {
        let name = ident(&f.setter);
        let t = ty(&f.ty, Place::Crate);
        let wire = &f.wire;
        let location = match f.location {
            ParamLocation::Header => quote!(header),
            _ => quote!(query),
        };
        let pass = if f.into { quote!(into) } else { quote!(plain) };
        let d = format!(" {}", f.doc);
        quote!(; #name: #t, #location #wire #pass #d)
    });
    quote! {
        ::magic_api::define_options!(#n, #options_doc #(#fields)*);
    }
}
