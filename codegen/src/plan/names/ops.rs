//! Operation names: each operation's method on its resource handle (`list`, `bulk_update`,
//! `psk_generate`) and the verb and noun its type names are built from.

use std::collections::{BTreeMap, HashMap};

use super::case::{camel, singular, snake};

use crate::ir::{Ir, Operation, Resource, Segment};

/// The verbs the operation names use, longest first (stripped from `{Stem}{Verb}Response`).
pub(super) const VERBS: &[&str] = &[
    "BulkUpdate",
    "DeleteAll",
    "Create",
    "Update",
    "Delete",
    "List",
    "Edit",
    "Get",
    "Empty",
];

/// How an operation is called and what its types are named after.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpName {
    /// The method on the resource handle (`list`, `bulk_update`, `psk_generate`).
    pub method: String,
    /// `UpperCamel` verb for type names (`List`, `BulkUpdate`).
    pub verb: String,
    /// The resource's singular `UpperCamel` name (`GreTunnel`).
    pub noun: String,
}

/// Operation names from path shape: relative to the resource prefix, an empty rest is the
/// collection (`list`, `create`, `bulk_update`, `bulk_edit`, `delete_all`), a lone parameter is
/// the item (`get`, `update`, `edit`, `delete`, `create_item`), and a trailing literal names an
/// action (`psk_generate`, `stop`, `validate`, `download`).
pub fn op_names(ir: &Ir) -> Result<Vec<OpName>, String> {
    let mut prefix_of: HashMap<usize, (&Resource, usize)> = HashMap::new();
    fn walk<'a>(r: &'a Resource, out: &mut HashMap<usize, (&'a Resource, usize)>) {
        let depth = r.path_prefix.matches('/').count();
        for &op in &r.operations {
            out.insert(op, (r, depth));
        }
        r.children.iter().for_each(|c| walk(c, out));
    }
    ir.resources.iter().for_each(|r| walk(r, &mut prefix_of));
    let mut out = Vec::with_capacity(ir.operations.len());
    let mut seen: BTreeMap<(String, String), usize> = BTreeMap::new();
    for (i, op) in ir.operations.iter().enumerate() {
        let Some((resource, depth)) = prefix_of.get(&i) else {
            return Err(format!(
                "{} {} belongs to no resource",
                op.method.as_str(),
                op.path
            ));
        };
        let rest = op.segments.get(*depth..).unwrap_or(&[]);
        let method = method_name(op, rest);
        let key = (resource.id.clone(), method.clone());
        if let Some(other) = seen.insert(key, i) {
            return Err(format!(
                "`{}` and `{}` would both be `{}.{method}`",
                ir.operations[other].title, op.title, resource.id
            ));
        }
        out.push(OpName {
            verb: camel(&method),
            noun: camel(&singular(&resource.module)),
            method,
        });
    }
    Ok(out)
}

pub(super) fn method_name(op: &Operation, rest: &[Segment]) -> String {
    use crate::ir::Method::*;
    let is_param = |s: &Segment| !matches!(s, Segment::Literal { .. });
    match rest {
        [] => match op.method {
            Get => "list",
            Post => "create",
            Put => "bulk_update",
            Patch => "bulk_edit",
            Delete => "delete_all",
        }
        .to_string(),
        [p] if is_param(p) => match op.method {
            Get => "get",
            Post => "create_item",
            Put => "update",
            Patch => "edit",
            Delete => "delete",
        }
        .to_string(),
        _ => match rest.last() {
            Some(Segment::Literal { text }) => snake(text),
            _ => format!("{}_item", op.method.as_str().to_ascii_lowercase()),
        },
    }
}
