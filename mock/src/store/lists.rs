//! Lists answered a page at a time: the store's own collections by page number, and other
//! cursor-paged lists through their documented items.

use magic_api_model::{Operation, Pagination, Response};
use serde_json::{Value, json};

use super::envelope::{envelope, place};
use super::{Answer, Request, Store};
use crate::record::Rejection;
use magic_api_model::store::documented_result;

impl Store {
    pub(super) fn list(&mut self, op: &Operation, c: usize, request: &Request<'_>) -> Value {
        let Some((_, key)) = self.key(c, request) else {
            return envelope(op, Value::Null, None);
        };
        let all = self.objects_mut(c, key).clone();
        let total = all.len();
        let paged = matches!(
            &op.response,
            Response::Envelope {
                pagination: Some(Pagination::Pages { .. }),
                ..
            }
        );
        let (objects, info) = if paged {
            let per_page = request
                .query("per_page")
                .and_then(|v| v.parse::<usize>().ok())
                .filter(|n| *n > 0)
                .unwrap_or(25);
            let page = request
                .query("page")
                .and_then(|v| v.parse::<usize>().ok())
                .filter(|n| *n > 0)
                .unwrap_or(1);
            let start = (page - 1).saturating_mul(per_page).min(total);
            let end = start.saturating_add(per_page).min(total);
            let objects = all
                .get(start..end)
                .map(<[Value]>::to_vec)
                .unwrap_or_default();
            let info = json!({
                "page": page,
                "per_page": per_page,
                "count": objects.len(),
                "total_count": total,
                "total_pages": total.div_ceil(per_page),
            });
            (objects, Some(info))
        } else {
            (all, None)
        };
        envelope(op, place(op, self.model.collections.get(c), objects), info)
    }

    /// Other operations: the documented answer, except that cursor-paged lists page through
    /// their documented items.
    pub(super) fn other(&self, op: &Operation, request: &Request<'_>) -> Result<Answer, Rejection> {
        let Response::Envelope {
            pagination: Some(Pagination::Cursor { items, cursor }),
            ..
        } = &op.response
        else {
            return Ok(Answer::Documented);
        };
        let Some(mut result) = documented_result(op).cloned() else {
            return Ok(Answer::Documented);
        };
        let all = result
            .get(items)
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default();
        let start = request
            .query(cursor)
            .and_then(|c| c.parse::<usize>().ok())
            .unwrap_or(0)
            .min(all.len());
        let limit = request
            .query("limit")
            .and_then(|l| l.parse::<usize>().ok())
            .filter(|l| *l > 0)
            .unwrap_or(all.len().max(1));
        let end = start.saturating_add(limit).min(all.len());
        let page: Vec<Value> = all
            .get(start..end)
            .map(<[Value]>::to_vec)
            .unwrap_or_default();
        if let Some(map) = result.as_object_mut() {
            if map.contains_key("count") {
                map.insert("count".into(), json!(page.len()));
            }
            map.insert(items.clone(), Value::Array(page));
            if end < all.len() {
                map.insert(cursor.clone(), Value::String(end.to_string()));
            } else {
                map.remove(cursor);
            }
        }
        Ok(Answer::Json(envelope(op, result, None)))
    }
}
