//! Prints the table that ties each operation to its generated Rust types, written into the tests
//! crate (`tests/generated/cases.rs`, included by the hand-written tests) so every documented
//! example can be decoded into exactly the type the client takes or returns.

use proc_macro2::TokenStream;
use quote::quote;

use super::spell::{Place, ty};
use crate::plan::{BodyPlan, Plan, ReceivePlan, RustTy};

/// One entry per documented request body and response.
pub fn examples_test(plan: &Plan<'_>) -> TokenStream {
    let mut entries = Vec::new();
    let mut results = Vec::new();
    for (op, ir_op) in plan.ops.iter().zip(&plan.ir.operations) {
        let method = op.http.as_str();
        let path = &op.template;
        if let ReceivePlan::Json { result, awaited } = &op.receive {
            if ir_op.examples.response.is_some() {
                let t = ty(result, Place::Crate);
                entries.push(quote!(Case::response::<#t>(#method, #path)));
            }
            // Every JSON result, documented example or not, for the generated wire properties.
            let t = ty(awaited, Place::Crate);
            results.push(quote!(Case::response::<#t>(#method, #path)));
        }
        let body = match &op.body {
            BodyPlan::None => None,
            BodyPlan::FixedEmpty | BodyPlan::Sent { ty: None, .. } => Some(RustTy::Value),
            BodyPlan::Sent { ty: Some(t), .. } => Some(t.clone()),
        };
        if let (Some(body), Some(_)) = (body, &ir_op.examples.request) {
            let t = ty(&body, Place::Crate);
            entries.push(quote!(Case::request::<#t>(#method, #path)));
        }
    }
    quote! {
        #![doc = " Which generated type each documented example, and each operation's result, must decode into."]
        use super::examples::Case;
        /// One case per documented response and request body.
        pub fn cases() -> Vec<Case> {
            Vec::from([#(#entries),*])
        }
        /// One case per operation with a JSON result: what awaiting its call decodes.
        pub fn results() -> Vec<Case> {
            Vec::from([#(#results),*])
        }
    }
}
