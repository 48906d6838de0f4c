//! Objects a test puts into the store directly ([`MockServer::seed`](crate::MockServer::seed),
//! the control endpoint's `POST /__mock/objects`): for collections no request can fill (Cloudflare
//! creates the interconnects; managed apps are Cloudflare's), for a state that would take many
//! requests to reach, and for the items of telemetry lists.

use magic_api_model::{Ir, Pagination, Response, Segment};
use serde_json::Value;

use super::fields::with_path_fields;
use super::{Key, Store};
use crate::url::percent_decode;

impl Store {
    /// Adds `objects` to the collection or cursor-paged list at the concrete `path`
    /// (`/accounts/…/magic/apps`, without the base path), as given: no id is generated, since
    /// a seeded object may be one the API's own requests never make (a managed app carries
    /// `managed_app_id`, not the collection's `account_app_id`). Fields named after the path's
    /// parameters take its values. Returns the objects as stored.
    pub(crate) fn seed(
        &mut self,
        ir: &Ir,
        path: &str,
        objects: Vec<Value>,
    ) -> Result<Vec<Value>, String> {
        let segments: Vec<String> = path
            .trim_matches('/')
            .split('/')
            .map(|s| percent_decode(s, false))
            .collect::<Result<_, _>>()?;
        if let Some(at) = objects.iter().position(|o| !o.is_object()) {
            return Err(format!("object {at} is not a JSON object"));
        }
        let collection = self
            .model
            .collections
            .iter()
            .position(|c| matches(&c.segments, &segments));
        if let Some(c) = collection {
            let stored: Vec<Value> = match self.model.collections.get(c) {
                Some(collection) => objects
                    .into_iter()
                    .map(|o| with_path_fields(o, collection, &segments))
                    .collect(),
                None => objects,
            };
            self.objects_mut(c, segments).extend(stored.iter().cloned());
            return Ok(stored);
        }
        let list = ir.operations.iter().position(|op| {
            matches!(
                op.response,
                Response::Envelope {
                    pagination: Some(Pagination::Cursor { .. }),
                    ..
                }
            ) && matches(&op.segments, &segments)
        });
        match list {
            Some(op) => {
                self.items
                    .entry((op, segments))
                    .or_default()
                    .extend(objects.iter().cloned());
                Ok(objects)
            }
            None => Err(format!(
                "`{path}` is neither a collection nor a cursor-paged list of the API"
            )),
        }
    }
}

/// Whether a concrete path (decoded segments) is an instance of `template`.
fn matches(template: &[Segment], segments: &Key) -> bool {
    template.len() == segments.len()
        && template.iter().zip(segments).all(|(t, s)| match t {
            Segment::Literal { text } => text == s,
            Segment::Param { .. } => !s.is_empty(),
            Segment::Compound { .. } => false,
        })
}
