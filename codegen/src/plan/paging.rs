//! Paging: how each list operation's result splits into items and the next page (a cursor field
//! echoed back as a query parameter, or numbered pages), which gives its call `stream()`.

use super::{Index, RustTy};
use crate::ir::{Operation, Pagination, Response, Ty};

/// How a paged result splits into items and the next page.
#[derive(Debug, Clone, PartialEq)]
pub struct StreamPlan {
    /// The result type.
    pub result: RustTy,
    /// The item type.
    pub item: RustTy,
    /// How it pages.
    pub split: StreamSplit,
}

/// The paging of a result.
#[derive(Debug, Clone, PartialEq)]
pub enum StreamSplit {
    /// A cursor field echoed back as the query parameter of that name.
    Cursor {
        /// The cursor field's wire name.
        cursor: String,
        /// The items field's identifier, and whether it is required.
        items_field: (String, bool),
        /// The cursor field's identifier, and whether it is required.
        cursor_field: (String, bool),
    },
    /// Numbered pages: the page parameter; the result is the array of items.
    Numbered(String),
}

/// How a list operation's result pages, if it does and can be streamed.
pub(super) fn stream(ix: &Index<'_>, op: &Operation) -> Result<Option<StreamPlan>, String> {
    let Response::Envelope {
        result,
        pagination: Some(p),
        ..
    } = &op.response
    else {
        return Ok(None);
    };
    Ok(match p {
        Pagination::Cursor { items, cursor } => {
            let Some(def) = super::names::ref_id(result).and_then(|id| ix.def(id)) else {
                return Ok(None);
            };
            let Some(fields) = ix.defs.object_fields(result) else {
                return Ok(None);
            };
            let planned = super::fields::field_plans(ix, def, fields);
            let pick = |name: &str| planned.iter().find(|f| f.wire == name);
            let (Some(items_f), Some(cursor_f)) = (pick(items), pick(cursor)) else {
                return Ok(None);
            };
            let Some(item) = fields
                .iter()
                .find(|f| f.name == *items)
                .and_then(|f| match &f.ty {
                    Ty::Array { items } => Some(ix.rust_ty(items)),
                    _ => None,
                })
            else {
                return Ok(None);
            };
            Some(StreamPlan {
                result: ix.rust_ty(result),
                item,
                split: StreamSplit::Cursor {
                    cursor: cursor.clone(),
                    items_field: (items_f.ident.clone(), items_f.required),
                    cursor_field: (cursor_f.ident.clone(), cursor_f.required),
                },
            })
        }
        Pagination::Pages { page: Some(page) } => match result {
            Ty::Array { items } => Some(StreamPlan {
                result: ix.rust_ty(result),
                item: ix.rust_ty(items),
                split: StreamSplit::Numbered(page.clone()),
            }),
            _ => None,
        },
        Pagination::Pages { page: None } => None,
    })
}
