//! Paging: how each list operation's result splits into items and the next page, as an
//! implementation of the runtime's `Paged` trait (one per result type).

use super::*;

/// `Paged` for a list operation's result, which gives its call `stream()` (a generic runtime
/// method, compiled only where a caller streams). One impl per result type; two list operations
/// that page one result type differently are an error.
pub(super) fn pagination(
    cx: &Context<'_>,
    op: &Operation,
    streams: &mut BTreeMap<String, TokenStream>,
) -> Result<(), String> {
    let Response::Envelope {
        result,
        pagination: Some(p),
        ..
    } = &op.response
    else {
        return Ok(());
    };
    let result_ty = cx.qualified_ty(result);
    let (item_ty, paging, split) = match p {
        Pagination::Cursor { items, cursor } => {
            let Some(fields) = crate::emit::names::ref_id(result)
                .and_then(|id| cx.defs.get(id))
                .and_then(|d| match &d.body {
                    TypeBody::Object { fields } => Some(fields),
                    _ => None,
                })
            else {
                return Ok(());
            };
            let wire: Vec<&str> = fields.iter().map(|f| f.name.as_str()).collect();
            let idents = crate::emit::names::field_names(&wire);
            let pick = |name: &str| {
                fields
                    .iter()
                    .position(|f| f.name == name)
                    .map(|i| (ident(&idents[i]), &fields[i]))
            };
            let (Some((items_f, items_field)), Some((cursor_f, cursor_field))) =
                (pick(items), pick(cursor))
            else {
                return Ok(());
            };
            let Ty::Array { items: item } = &items_field.ty else {
                return Ok(());
            };
            let items_expr = if items_field.required {
                quote!(page.#items_f)
            } else {
                quote!(page.#items_f.unwrap_or_default())
            };
            let cursor_expr = if cursor_field.required {
                quote!(Some(page.#cursor_f))
            } else {
                quote!(page.#cursor_f)
            };
            (
                cx.qualified_ty(item),
                quote!(::magic_api::runtime::Paging::Cursor(#cursor)),
                quote!((#items_expr, #cursor_expr)),
            )
        }
        Pagination::Pages { page } => {
            let Some(page) = page else {
                return Ok(());
            };
            let Ty::Array { items } = result else {
                return Ok(());
            };
            (
                cx.qualified_ty(items),
                quote!(::magic_api::runtime::Paging::Numbered(#page)),
                quote!((page, None)),
            )
        }
    };
    let key = result_ty.to_string();
    let item = quote! {
        ::magic_api::paged!(#result_ty => #item_ty, #paging, |page| #split);
    };
    match streams.get(&key) {
        Some(existing) if existing.to_string() != item.to_string() => Err(format!(
            "`{}` is paged in two different ways; `stream()` cannot serve both",
            key
        )),
        Some(_) => Ok(()),
        None => {
            streams.insert(key, item);
            Ok(())
        }
    }
}
