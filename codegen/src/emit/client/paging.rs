//! Prints paging: how a list operation's result splits into items and the next page, as an
//! implementation of the runtime's `Paged` trait (one per result type), which gives its call
//! `stream()` (paged by a pager compiled once; only decoding a page is compiled per list).

use proc_macro2::TokenStream;
use quote::quote;

use super::super::spell::{Place, ident, ty};
use crate::plan::{StreamPlan, StreamSplit};

/// The `Paged` impl of one result type.
pub(super) fn paged(stream: &StreamPlan) -> TokenStream {
    let result_ty = ty(&stream.result, Place::Crate);
    let item_ty = ty(&stream.item, Place::Crate);
    let (paging, split) = match &stream.split {
        StreamSplit::Cursor {
            cursor,
            items_field: (items, items_required),
            cursor_field: (cursor_f, cursor_required),
        } => {
            let items = ident(items);
            let cursor_f = ident(cursor_f);
            let items_expr = if *items_required {
                quote!(self.#items)
            } else {
                quote!(self.#items.unwrap_or_default())
            };
            let cursor_expr = if *cursor_required {
                quote!(Some(self.#cursor_f))
            } else {
                quote!(self.#cursor_f)
            };
            (
                quote!(::magic_api::runtime::Paging::Cursor(#cursor)),
                quote!((#items_expr, #cursor_expr)),
            )
        }
        StreamSplit::Numbered(page) => (
            quote!(::magic_api::runtime::Paging::Numbered(#page)),
            quote!((self, None)),
        ),
    };
    // Written out rather than through a macro: `prettyplease` formats an impl, but prints a
    // macro's arguments as loose tokens (`Vec < Pcap >`).
    quote! {
        impl ::magic_api::runtime::Paged for #result_ty {
            type Item = #item_ty;
            const PAGING: ::magic_api::runtime::Paging = #paging;
            fn split(self) -> (Vec<Self::Item>, Option<String>) {
                #split
            }
        }
    }
}
