//! The table that ties each operation to its generated Rust types, written into the tests crate
//! so every documented example can be decoded into exactly the type the client returns.

use proc_macro2::TokenStream;
use quote::quote;

use super::types::{Context, result_ty};

/// `tests/tests/examples.rs`: one entry per documented request body and response.
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
    quote! {
        #![doc = " Every documented example decodes into its operation's generated type and re-encodes to an equal JSON value (the case table is generated; the checks are in `support/examples.rs`)."]
        #![allow(unused_imports)]
        #[path = "../support/examples.rs"]
        mod examples;
        use examples::Case;
        use magic_api::types::*;
        /// One case per documented response and request body.
        pub fn cases() -> Vec<Case> {
            vec![#(#entries),*]
        }
        #[test]
        fn every_documented_example_round_trips() {
            examples::run(cases());
        }
    }
}
