//! The control endpoint.

use crate::http::{HttpRequest, Reply};
use crate::server::State;

pub(crate) fn handle(_state: &State, _request: &HttpRequest) -> Option<Reply> {
    None
}
