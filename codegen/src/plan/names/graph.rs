//! The naming pass's view of the IR as a graph: where each definition is used (parent and
//! field), which definitions are reachable from operations and from request bodies, and an order
//! that names parents before their children.

use std::collections::{BTreeSet, HashMap};

use crate::ir::walk::{self, body_types, operation_types};
use crate::ir::{Defs, Ir, Response, Ty, TypeBody, TypeDef};

/// Where a definition is used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Parent {
    Def(String),
    Body(usize),
    Result { op: usize, list: bool },
    Param(usize),
}

#[derive(Debug, Clone)]
pub(super) struct Use {
    pub(super) parent: Parent,
    pub(super) field: String,
}

/// Every use of every definition, in IR order: fields of definitions first, then operations.
pub(super) fn collect_uses(ir: &Ir) -> HashMap<String, Vec<Use>> {
    let mut out: HashMap<String, Vec<Use>> = HashMap::new();
    let mut push = |ty: &Ty, parent: Parent, field: &str| {
        if let Some(id) = ref_id(ty) {
            out.entry(id.to_string()).or_default().push(Use {
                parent,
                field: field.to_string(),
            });
        }
    };
    for def in ir.types.iter().chain(&ir.shapes) {
        if def.same_shape_as.is_some() {
            continue;
        }
        match &def.body {
            TypeBody::Object { fields } => fields
                .iter()
                .for_each(|f| push(&f.ty, Parent::Def(def.id.clone()), &f.name)),
            TypeBody::Union { alternatives, .. } => alternatives.iter().for_each(|a| {
                push(
                    &a.ty,
                    Parent::Def(def.id.clone()),
                    a.name.as_deref().unwrap_or(""),
                )
            }),
            TypeBody::Alias { target: t } => push(t, Parent::Def(def.id.clone()), ""),
            TypeBody::Enum { .. } => {}
        }
    }
    for (i, op) in ir.operations.iter().enumerate() {
        if let Some(b) = &op.body {
            push(&b.ty, Parent::Body(i), "body");
        }
        if let Response::Envelope { result, .. } = &op.response {
            let list = matches!(result, Ty::Array { .. });
            push(result, Parent::Result { op: i, list }, "result");
        }
        for p in &op.params {
            push(&p.field.ty, Parent::Param(i), &p.field.name);
        }
    }
    out
}

/// Definitions the crate emits: reachable from operation bodies, results and parameters (the
/// envelope's own fields are the runtime's business), plus every domain type.
pub(super) fn reachable<'a>(ir: &'a Ir, defs: &Defs<'a>) -> BTreeSet<&'a str> {
    // Every domain type, and everything operations reach.
    let domain: Vec<&TypeDef> = ir
        .types
        .iter()
        .filter_map(|t| defs.get(t.same_shape_as.as_deref().unwrap_or(&t.id)))
        .collect();
    let mut roots: Vec<&Ty> = domain.iter().flat_map(|d| body_types(&d.body)).collect();
    roots.extend(
        ir.operations
            .iter()
            .flat_map(|op| operation_types(op, false)),
    );
    let mut seen = walk::reachable(roots, |id| defs.get(id));
    seen.extend(domain.iter().map(|d| d.id.as_str()));
    seen
}

/// Every definition reachable from `roots` (through fields, alternatives and aliases).
pub fn reachable_from<'a>(roots: Vec<&'a Ty>, defs: &Defs<'a>) -> BTreeSet<&'a str> {
    walk::reachable(roots, |id| defs.get(id))
}

/// The request bodies' types, the roots of everything a request sends.
pub fn body_roots(ir: &Ir) -> Vec<&Ty> {
    ir.operations
        .iter()
        .filter_map(|o| o.body.as_ref().map(|b| &b.ty))
        .collect()
}

/// Definitions only request bodies reach (never a result, parameter or domain type).
pub(super) fn request_only<'a>(ir: &'a Ir, defs: &Defs<'a>) -> BTreeSet<&'a str> {
    let walk = |roots: Vec<&'a Ty>| reachable_from(roots, defs);
    let bodies = walk(body_roots(ir));
    let mut others: Vec<&Ty> = Vec::new();
    for op in &ir.operations {
        if let Response::Envelope { result, .. } = &op.response {
            others.push(result);
        }
        others.extend(op.params.iter().map(|p| &p.field.ty));
    }
    let mut from_others = walk(others);
    for t in &ir.types {
        if let Some(def) = defs.get(t.same_shape_as.as_deref().unwrap_or(&t.id)) {
            if from_others.insert(def.id.as_str()) {
                from_others.extend(walk(body_types(&def.body)));
            }
        }
    }
    bodies.difference(&from_others).copied().collect()
}

/// Emitted definition ids, parents before children (depth-first from domain types, then from
/// operations in order), so a child's name can use its parent's.
pub(super) fn parent_first<'a>(
    ir: &'a Ir,
    defs: &Defs<'a>,
    emitted: &BTreeSet<&'a str>,
) -> Vec<&'a str> {
    let mut out = Vec::new();
    let mut seen = BTreeSet::new();
    fn visit<'a>(
        id: &'a str,
        defs: &Defs<'a>,
        emitted: &BTreeSet<&'a str>,
        seen: &mut BTreeSet<&'a str>,
        out: &mut Vec<&'a str>,
    ) {
        if !emitted.contains(id) || !seen.insert(id) {
            return;
        }
        out.push(id);
        let Some(def) = defs.get(id) else { return };
        let mut children = Vec::new();
        children.extend(body_types(&def.body));
        for ty in children {
            if let Some(child) = ref_id(ty) {
                visit(child, defs, emitted, seen, out);
            }
        }
    }
    for t in &ir.types {
        visit(
            t.same_shape_as.as_deref().unwrap_or(&t.id),
            defs,
            emitted,
            &mut seen,
            &mut out,
        );
    }
    for op in &ir.operations {
        let mut tys: Vec<&Ty> = Vec::new();
        if let Some(b) = &op.body {
            tys.push(&b.ty);
        }
        if let Response::Envelope { result, .. } = &op.response {
            tys.push(result);
        }
        tys.extend(op.params.iter().map(|p| &p.field.ty));
        for ty in tys {
            if let Some(id) = ref_id(ty) {
                visit(id, defs, emitted, &mut seen, &mut out);
            }
        }
    }
    out
}

/// The definition a type refers to, through arrays and maps.
pub fn ref_id(ty: &Ty) -> Option<&str> {
    match ty {
        Ty::Ref { id } => Some(id),
        Ty::Array { items } | Ty::Map { values: items } => ref_id(items),
        _ => None,
    }
}
