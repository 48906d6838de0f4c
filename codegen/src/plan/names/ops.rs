//! Operation names: each operation's method on its resource handle (`list`, `bulk_update`,
//! `psk_generate`) and the verb and noun its type names are built from.

use std::collections::{BTreeMap, HashMap};

use super::case::{camel, singular, snake};

use crate::ir::{Ir, Operation, Resource, Role};

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

/// Operation names from their roles (the IR's `Role`): the collection's `list`, `create`,
/// `bulk_update`, `bulk_edit`, `delete_all`, the item's `get`, `update`, `edit`, `delete`,
/// `create_item`, and actions named by their path (`psk_generate`, `stop`, `validate`).
pub fn op_names(ir: &Ir) -> Result<Vec<OpName>, String> {
    let mut resource_of: HashMap<usize, &Resource> = HashMap::new();
    fn walk<'a>(r: &'a Resource, out: &mut HashMap<usize, &'a Resource>) {
        for &op in &r.operations {
            out.insert(op, r);
        }
        r.children.iter().for_each(|c| walk(c, out));
    }
    ir.resources.iter().for_each(|r| walk(r, &mut resource_of));
    let mut out = Vec::with_capacity(ir.operations.len());
    let mut seen: BTreeMap<(String, String), usize> = BTreeMap::new();
    for (i, op) in ir.operations.iter().enumerate() {
        let Some(resource) = resource_of.get(&i) else {
            return Err(format!(
                "{} {} belongs to no resource",
                op.method.as_str(),
                op.path
            ));
        };
        let method = method_name(op);
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

/// The method an operation is called by on its handle: its role's name, or for an action the
/// snake-cased last literal segment (`psk_generate`), else `{method}_item`.
pub(super) fn method_name(op: &Operation) -> String {
    match &op.role {
        Role::List => "list".into(),
        Role::Create => "create".into(),
        Role::BulkUpdate => "bulk_update".into(),
        Role::BulkEdit => "bulk_edit".into(),
        Role::DeleteAll => "delete_all".into(),
        Role::Get => "get".into(),
        Role::CreateItem => "create_item".into(),
        Role::Update => "update".into(),
        Role::Edit => "edit".into(),
        Role::Delete => "delete".into(),
        Role::Action {
            segment: Some(text),
        } => snake(text),
        Role::Action { segment: None } => {
            format!("{}_item", op.method.as_str().to_ascii_lowercase())
        }
    }
}
