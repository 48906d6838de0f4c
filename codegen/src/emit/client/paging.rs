//! Prints paging: how a list operation's result splits into items and the next page, as an
//! implementation of the runtime's `Paged` trait (one per result type), which gives its call
//! `stream()` (a generic runtime method, compiled only where a caller streams).

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
                quote!(page.#items)
            } else {
                quote!(page.#items.unwrap_or_default())
            };
            let cursor_expr = if *cursor_required {
                quote!(Some(page.#cursor_f))
            } else {
                quote!(page.#cursor_f)
            };
            (
                quote!(::magic_api::runtime::Paging::Cursor(#cursor)),
                quote!((#items_expr, #cursor_expr)),
            )
        }
        StreamSplit::Numbered(page) => (
            quote!(::magic_api::runtime::Paging::Numbered(#page)),
            quote!((page, None)),
        ),
    };
    quote! {
        ::magic_api::paged!(#result_ty => #item_ty, #paging, |page| #split);
    }
}
