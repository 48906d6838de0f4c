//! `[[form_headers]]`: a boolean header that selects the form of a union in the body
//! (`x-magic-new-hc-target`), recorded on the operations that declare it, with every field path
//! from the operation's body to the union (`health_check.target`, through arrays), resolved once
//! here so the client sets the header from exactly these places.

use serde::Deserialize;

use super::stale::stale;
use super::{Defs, FormHeader, Ir, Ty, TypeBody};

/// One `[[form_headers]]` entry as written (the paths to the union are resolved when it is
/// applied, never written).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FormHeaderEntry {
    /// The header's name.
    pub header: String,
    /// `Type.field`: the field whose union the header speaks about.
    pub union: String,
    /// `object` or `string`: the form the header's `true` selects.
    pub form: String,
    /// The call setter's name for operations without a body.
    pub method: String,
}

/// `[[form_headers]]`: recorded on the operations that declare the header.
pub(super) fn apply(ir: &mut Ir, entries: &[FormHeaderEntry], problems: &mut Vec<String>) {
    for fh in entries {
        // The union's type: the type of the field `Type.field` names.
        let union_ty = fh.union.split_once('.').and_then(|(ty, field)| {
            ir.types
                .iter()
                .chain(&ir.shapes)
                .find_map(|d| match &d.body {
                    TypeBody::Object { fields } if d.name.as_deref() == Some(ty) => fields
                        .iter()
                        .find(|f| f.name == field)
                        .map(|f| f.ty.clone()),
                    _ => None,
                })
        });
        let union_known = union_ty.is_some();
        let paths: Vec<Vec<Vec<String>>> = {
            let defs = Defs::new(ir.types.iter().chain(&ir.shapes));
            ir.operations
                .iter()
                .map(|op| match (&op.body, &union_ty) {
                    (Some(body), Some(target)) => paths_to(&defs, &body.ty, target),
                    _ => Vec::new(),
                })
                .collect()
        };
        let mut declared = false;
        for (op, paths) in ir.operations.iter_mut().zip(paths) {
            if op.params.iter().any(|p| p.field.name == fh.header) {
                op.form_header = Some(FormHeader {
                    header: fh.header.clone(),
                    union: fh.union.clone(),
                    form: fh.form.clone(),
                    method: fh.method.clone(),
                    paths,
                });
                declared = true;
            }
        }
        if !declared {
            problems.push(stale(
                &format!("[[form_headers]] `{}`", fh.header),
                "expected an operation that declares this header",
            ));
        }
        if !union_known {
            problems.push(stale(
                &format!("[[form_headers]] union `{}`", fh.union),
                "expected `Type.field`, a field of a named type",
            ));
        }
        if fh.form != "object" && fh.form != "string" {
            problems.push(format!(
                "form_headers: form `{}` must be `object` or `string`",
                fh.form
            ));
        }
    }
}

/// Every field path from `from` to a value of type `target`. Each definition is entered at most
/// once per path, so recursive types end the walk instead of looping.
fn paths_to(defs: &Defs<'_>, from: &Ty, target: &Ty) -> Vec<Vec<String>> {
    let mut out = Vec::new();
    walk(
        defs,
        from,
        target,
        &mut Vec::new(),
        &mut Vec::new(),
        &mut out,
    );
    out
}

fn walk<'a>(
    defs: &Defs<'a>,
    ty: &'a Ty,
    target: &Ty,
    path: &mut Vec<String>,
    entered: &mut Vec<&'a str>,
    out: &mut Vec<Vec<String>>,
) {
    let ty = match ty {
        Ty::Array { items } => items.as_ref(),
        other => other,
    };
    if ty == target && !path.is_empty() {
        out.push(path.clone());
        return;
    }
    let Ty::Ref { id } = ty else { return };
    let Some(def) = defs.get(id) else { return };
    if entered.contains(&def.id.as_str()) {
        return;
    }
    entered.push(&def.id);
    match &def.body {
        TypeBody::Object { fields } => {
            for f in fields {
                path.push(f.name.clone());
                walk(defs, &f.ty, target, path, entered, out);
                path.pop();
            }
        }
        TypeBody::Union { alternatives, .. } => {
            for a in alternatives {
                walk(defs, &a.ty, target, path, entered, out);
            }
        }
        TypeBody::Alias { .. } | TypeBody::Enum { .. } => {}
    }
    entered.pop();
}
