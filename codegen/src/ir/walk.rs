//! The one walk over the IR's type graph that every pass uses: the types a definition's body or
//! an operation holds, and the definitions reachable from a set of types. Dropping unreachable
//! shapes, deciding which types are emitted, and telling request types from the rest all go
//! through [`reachable`], so they cannot disagree about what "reachable" means.

use std::collections::BTreeSet;

use super::{Operation, Response, Ty, TypeBody, TypeDef};

/// The types a definition's body holds directly: fields, alternatives, an alias's target.
pub fn body_types(body: &TypeBody) -> Vec<&Ty> {
    match body {
        TypeBody::Object { fields } => fields.iter().map(|f| &f.ty).collect(),
        TypeBody::Union { alternatives, .. } => alternatives.iter().map(|a| &a.ty).collect(),
        TypeBody::Alias { target } => vec![target],
        TypeBody::Enum { .. } => Vec::new(),
    }
}

/// The types an operation holds: its parameters, body and result, and with `envelope` the
/// envelope's other fields (`errors`, `messages`, …) too.
pub fn operation_types(op: &Operation, envelope: bool) -> Vec<&Ty> {
    let mut out: Vec<&Ty> = op.params.iter().map(|p| &p.field.ty).collect();
    if let Some(b) = &op.body {
        out.push(&b.ty);
    }
    match &op.response {
        Response::Envelope { result, fields, .. } => {
            out.push(result);
            if envelope {
                out.extend(fields.iter().map(|f| &f.ty));
            }
        }
        Response::Json { ty } if envelope => out.push(ty),
        _ => {}
    }
    out
}

/// The ids of every definition reachable from `roots`: through arrays and maps, and through the
/// body of each definition `lookup` finds (a definition it does not find is not entered).
pub fn reachable<'a>(
    roots: Vec<&'a Ty>,
    lookup: impl Fn(&str) -> Option<&'a TypeDef>,
) -> BTreeSet<&'a str> {
    let mut seen = BTreeSet::new();
    let mut stack = roots;
    while let Some(ty) = stack.pop() {
        match ty {
            Ty::Ref { id } => {
                if let Some(def) = lookup(id) {
                    if seen.insert(def.id.as_str()) {
                        stack.extend(body_types(&def.body));
                    }
                }
            }
            Ty::Array { items } | Ty::Map { values: items } => stack.push(items),
            _ => {}
        }
    }
    seen
}
