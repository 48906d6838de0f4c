//! Where a form header's union sits inside a request body: every field path from the body's
//! type to a field of the union's type (`health_check.target`, `gre_tunnels[].health_check.target`
//! through arrays). Resolved once, when `[[form_headers]]` is applied, so the client sets the
//! header from exactly these places.

use super::{Defs, Ty, TypeBody};

/// Every field path from `from` to a value of type `target`. Each definition is entered at most
/// once per path, so recursive types end the walk instead of looping.
pub(super) fn paths_to(defs: &Defs<'_>, from: &Ty, target: &Ty) -> Vec<Vec<String>> {
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
