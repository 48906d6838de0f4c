//! Lists answered a page at a time: the store's own collections by page number, and other
//! cursor-paged lists (telemetry) through their items, the ones a test put in or else the
//! documented ones, selected by the list's filters (`from`, `to`, `k`).

use std::cmp::Ordering;

use magic_api_model::{Operation, Pagination, Response};
use serde_json::{Value, json};

use super::envelope::{envelope, place};
use super::{Answer, Request, Store, concrete_key};
use crate::record::Rejection;
use magic_api_model::store::{Filter, Test, documented_result};

impl Store {
    pub(super) fn list(&mut self, op: &Operation, c: usize, request: &Request<'_>) -> Value {
        let Some((_, key)) = self.key(c, request) else {
            return envelope(op, Value::Null, None);
        };
        let all = self.view(c, &key).into_owned();
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
    /// their items, filtered.
    pub(super) fn other(
        &self,
        index: usize,
        op: &Operation,
        request: &Request<'_>,
    ) -> Result<Answer, Rejection> {
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
        let put_in =
            concrete_key(&op.segments, request).and_then(|key| self.items.get(&(index, key)));
        let filters = self.model.filters.get(index).map_or(&[][..], Vec::as_slice);
        let all: Vec<Value> = match put_in {
            Some(items) => items.clone(),
            None => result
                .get(items)
                .and_then(Value::as_array)
                .cloned()
                .unwrap_or_default(),
        }
        .into_iter()
        .filter(|item| selected(item, filters, request))
        .collect();
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

/// Whether `item` passes every filter whose parameter the request gives.
fn selected(item: &Value, filters: &[Filter], request: &Request<'_>) -> bool {
    filters.iter().all(|f| {
        let Some(wanted) = request.query(&f.param) else {
            return true;
        };
        let Some(value) = item.get(&f.field) else {
            return false;
        };
        match f.test {
            Test::Equal => match value {
                Value::String(s) => s == wanted,
                Value::Bool(b) => wanted == if *b { "true" } else { "false" },
                _ => compare(value, wanted) == Some(Ordering::Equal),
            },
            Test::AtLeast => compare(value, wanted).is_some_and(Ordering::is_ge),
            Test::AtMost => compare(value, wanted).is_some_and(Ordering::is_le),
        }
    })
}

/// A number field (held either way, see [`crate::exact`]) against a query value, by value.
fn compare(value: &Value, wanted: &str) -> Option<Ordering> {
    let have = crate::exact::as_f64(value)?;
    let want = wanted.parse::<f64>().ok()?;
    have.partial_cmp(&want)
}
