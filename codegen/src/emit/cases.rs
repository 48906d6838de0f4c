//! The table that ties each operation to its generated Rust types, written into the tests crate
//! (`tests/generated/cases.rs`, included by the hand-written `tests/tests/examples.rs`) so every
//! documented example can be decoded into exactly the type the client returns.

use proc_macro2::TokenStream;
use quote::quote;

use super::types::{Context, call_result_ty, result_ty};

/// One entry per documented request body and response.
pub fn examples_test(cx: &Context<'_>) -> TokenStream {
    let mut entries = Vec::new();
    for op in &cx.ir.operations {
        let method = op.method.as_str();
        let path = &op.path;
        if op.examples.response.is_some() {
            if let Some(ty) = result_ty(cx, &op.response) {
                entries.push(quote!(Case::response::<#ty>(#method, #path)));
            }
        }
        if let (Some(body), Some(_)) = (&op.body, &op.examples.request) {
            let ty = cx.rust_ty(&body.ty);
            entries.push(quote!(Case::request::<#ty>(#method, #path)));
        }
    }
    // Every JSON result, documented example or not, for the generated wire properties.
    let results = cx.ir.operations.iter().filter_map(|op| {
        let ty = call_result_ty(cx, op)?;
        let (method, path) = (op.method.as_str(), &op.path);
        Some(quote!(Case::response::<#ty>(#method, #path)))
    });
    quote! {
        #![doc = " Which generated type each documented example, and each operation's result, must decode into."]
        use super::examples::Case;
        use magic_api::types::*;
        /// One case per documented response and request body.
        pub fn cases() -> Vec<Case> {
            vec![#(#entries),*]
        }
        /// One case per operation with a JSON result: what awaiting its call decodes.
        pub fn results() -> Vec<Case> {
            vec![#(#results),*]
        }
    }
}
