//! Operation roles: what each operation does to its resource, read from where its path sits
//! under the resource's prefix. Recorded on the IR once; the client's method names and the
//! mock's stateful behaviour both read it.
//!
//! Relative to the resource's prefix, an empty rest is the collection (`GET` lists, `POST`
//! creates, `PUT`/`PATCH` update in bulk, `DELETE` deletes all), a lone parameter is one item
//! (`GET` reads, `POST` creates at an id, `PUT` updates, `PATCH` edits, `DELETE` deletes), and
//! anything longer is an action named by its last literal segment (`psk_generate`, `download`).

use super::{Ir, Method, Operation, Resource, Role, Segment};

/// The role of an operation whose path continues with `rest` after its resource's prefix.
fn role_of(op: &Operation, rest: &[Segment]) -> Role {
    let is_param = |s: &Segment| !matches!(s, Segment::Literal { .. });
    match rest {
        [] => match op.method {
            Method::Get => Role::List,
            Method::Post => Role::Create,
            Method::Put => Role::BulkUpdate,
            Method::Patch => Role::BulkEdit,
            Method::Delete => Role::DeleteAll,
        },
        [p] if is_param(p) => match op.method {
            Method::Get => Role::Get,
            Method::Post => Role::CreateItem,
            Method::Put => Role::Update,
            Method::Patch => Role::Edit,
            Method::Delete => Role::Delete,
        },
        _ => Role::Action {
            segment: match rest.last() {
                Some(Segment::Literal { text }) => Some(text.clone()),
                _ => None,
            },
        },
    }
}

/// Records every operation's role, from the resource tree.
pub(super) fn assign(ir: &mut Ir) {
    fn walk(r: &Resource, out: &mut Vec<(usize, usize)>) {
        let depth = r.path_prefix.matches('/').count();
        out.extend(r.operations.iter().map(|&op| (op, depth)));
        r.children.iter().for_each(|c| walk(c, out));
    }
    let mut depths = Vec::new();
    ir.resources.iter().for_each(|r| walk(r, &mut depths));
    for (i, depth) in depths {
        if let Some(op) = ir.operations.get_mut(i) {
            let rest = op.segments.get(depth..).unwrap_or(&[]);
            op.role = role_of(op, rest);
        }
    }
}
