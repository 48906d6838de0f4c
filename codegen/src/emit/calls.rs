//! Prints the tests crate's call driver (`tests/generated/calls.rs`): every operation called
//! once through the generated client, its arguments asked of a [`Calls`]-style implementation
//! the test provides (ids, numbers and documented bodies by name), its result handed back to
//! it. Derived from the plan, so a new, renamed or re-signed operation changes the driver with
//! the client, and the test that drives it never keeps a list of its own.

use proc_macro2::TokenStream;
use quote::quote;

use super::spell::{Place, ident, ty};
use crate::plan::{ArgPlan, BodyPlan, OpPlan, PathValue, Plan, ReceivePlan, RustTy};

/// The driver file.
pub fn calls_file(plan: &Plan<'_>) -> TokenStream {
    let calls = plan.ops.iter().map(call);
    // Asked for only where some operation takes a required boolean.
    let flag = plan
        .ops
        .iter()
        .flat_map(|op| &op.args)
        .any(|a| {
            matches!(
                a,
                ArgPlan::Query {
                    ty: RustTy::Bool,
                    ..
                }
            )
        })
        .then(|| {
            quote! {
                /// The value of a boolean parameter, by its wire name.
                fn flag(&self, param: &str) -> bool;
            }
        });
    quote! {
        #![doc = " Every operation called once through the generated client (see `codegen/src/emit/calls.rs`)."]
        /// What a test gives the calls and does with their results.
        pub trait Calls {
            /// The value of a string parameter (an id, a name), by its wire name.
            fn id<T: From<String>>(&self, param: &str) -> T;
            /// The value of a numeric parameter, by its wire name.
            fn number(&self, param: &str) -> i64;
            #flag
            /// The body an operation (`METHOD /path`) is called with.
            fn body<T: ::serde::de::DeserializeOwned>(&self, key: &str) -> T;
            /// What a JSON or empty call gave.
            fn result<T: ::serde::Serialize + ::std::fmt::Debug>(&self, key: &str, result: Result<T, ::magic_api::Error>);
            /// What a download gave.
            fn download(&self, key: &str, result: Result<::magic_api::Download, ::magic_api::Error>) -> impl ::std::future::Future<Output = ()>;
        }
        /// Calls every operation once, in the reference's order.
        pub async fn call_every_operation<C: Calls>(client: &::magic_api::Client, c: &C) {
            #(#calls)*
        }
    }
}

fn call(op: &OpPlan) -> TokenStream {
    let key = &op.key;
    let mut args: Vec<TokenStream> = op
        .args
        .iter()
        .map(|arg| match arg {
            ArgPlan::Path {
                ident: name, pass, ..
            } => {
                let wire = name.as_str();
                match pass {
                    PathValue::Integer | PathValue::Number => quote!(c.number(#wire)),
                    PathValue::Borrowed => quote!(&c.id(#wire)),
                }
            }
            ArgPlan::Query { wire, ty: t, .. } => match t {
                RustTy::I64 | RustTy::Number => quote!(c.number(#wire)),
                RustTy::Bool => quote!(c.flag(#wire)),
                _ => quote!(c.id(#wire)),
            },
        })
        .collect();
    match &op.body {
        BodyPlan::None | BodyPlan::FixedEmpty => {}
        BodyPlan::Sent { ty: Some(t), .. } => {
            let t = ty(t, Place::Crate);
            args.push(quote!(&c.body::<#t>(#key)));
        }
        BodyPlan::Sent { ty: None, .. } => args.push(quote!(&c.body::<::serde_json::Value>(#key))),
    }
    let path: Vec<TokenStream> = op
        .call
        .split('.')
        .map(|part| match part.strip_suffix("()") {
            Some(handle) => {
                let h = ident(handle);
                quote!(.#h())
            }
            None => {
                let m = ident(part);
                quote!(.#m(#(#args),*))
            }
        })
        .collect();
    match op.receive {
        ReceivePlan::Binary => quote! { c.download(#key, client #(#path)*.await).await; },
        ReceivePlan::Json { .. } | ReceivePlan::Empty => {
            quote! { c.result(#key, client #(#path)*.await); }
        }
    }
}
