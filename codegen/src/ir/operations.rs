//! Operations: an operation section's trees become an [`Operation`] (parameters, body, response,
//! examples), a rendered page is merged into the reference's operation of the same method and
//! path, and an operation documented twice is refused.

use super::lower::{Ctx, LowerError, Lowerer, rename_ty};
use super::resources::{self};
use super::{Body, Examples, Field, Operation, Param, ParamLocation, Response, Role, Ty};
use crate::parse::curl::{Curl, parse_curl};
use crate::parse::outline::{OpSection, SectionKind};
use crate::parse::parsed::{OpTrees, op_path};

/// An operation lowered but not yet finished.
pub(super) struct Draft {
    pub(super) op: Operation,
    /// Its curl example, read once for both the examples and their checks.
    pub(super) curl: Curl,
    pub(super) source_index: usize,
    pub(super) offset: usize,
}

/// A query parameter the description offers in prose: `` `?name=true` ``.
pub(super) fn prose_flags(description: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = description;
    while let Some(at) = rest.find('?') {
        let after = &rest[at + 1..];
        let name: String = after
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect();
        let tail = &after[name.len()..];
        if !name.is_empty()
            && (tail.starts_with("=true") || tail.starts_with("=false"))
            && !out.contains(&name)
        {
            out.push(name);
        }
        rest = after;
    }
    out
}

pub(super) fn lower_operation<'t>(
    lowerer: &mut Lowerer<'t>,
    t: &'t OpTrees<'t>,
) -> Result<(Operation, Curl), LowerError> {
    let op = t.op;
    let base = op_path(&t.resource_title, &op.title);
    let section_of = |kind: SectionKind| format!("{base} > {}", kind.title());
    let segments = resources::segments(&op.path).map_err(|message| LowerError {
        offset: op.offset,
        place: section_of(SectionKind::Path),
        message,
    })?;
    let mut params = Vec::new();
    for (kind, location) in [
        (SectionKind::Path, ParamLocation::Path),
        (SectionKind::Header, ParamLocation::Header),
        (SectionKind::Query, ParamLocation::Query),
    ] {
        if let Some(nodes) = t.sections.get(&kind) {
            let section = section_of(kind);
            for field in lowerer.fields(nodes, &Ctx::section(&section))? {
                params.push(Param {
                    location,
                    field: lowerer.public_field(&field),
                    from_prose: false,
                });
            }
        }
    }
    let path_names: Vec<&str> = params
        .iter()
        .filter(|p| p.location == ParamLocation::Path)
        .map(|p| p.field.name.as_str())
        .collect();
    let placeholders = resources::placeholders(&segments);
    if path_names != placeholders.iter().map(String::as_str).collect::<Vec<_>>() {
        return Err(LowerError {
            offset: op.offset,
            place: section_of(SectionKind::Path),
            message: format!(
                "path parameters {path_names:?} differ from the template's placeholders {placeholders:?}"
            ),
        });
    }
    for name in prose_flags(&op.description) {
        if params.iter().any(|p| p.field.name == name) {
            continue;
        }
        params.push(Param {
            location: ParamLocation::Query,
            field: Field {
                name: name.clone(),
                ty: Ty::Boolean,
                required: false,
                description: format!("Offered in the operation's description as `?{name}=true`."),
                constraints: Vec::new(),
                nullable: false,
                secret: false,
                reference_ty: None,
            },
            from_prose: true,
        });
    }

    let body = lower_body(lowerer, t, &section_of)?;
    let response = lower_response(lowerer, t, &section_of)?;

    let (examples, curl) = read_examples(op, &base)?;
    let operation = Operation {
        method: op.method,
        path: op.path.to_string(),
        segments,
        title: op.title.to_string(),
        description: op.description.to_string(),
        resource: String::new(),
        // Decided once the resource tree is known (`roles::assign`).
        role: Role::Action { segment: None },
        section: t.resource_title.clone(),
        params,
        body,
        response,
        auth: Vec::new(),
        permissions: op.permissions.clone(),
        examples,
        form_header: None,
    };
    Ok((operation, curl))
}

/// The request body of an operation, if it documents one.
fn lower_body<'t>(
    lowerer: &mut Lowerer<'t>,
    t: &'t OpTrees<'t>,
    section_of: &dyn Fn(SectionKind) -> String,
) -> Result<Option<Body>, LowerError> {
    let op = t.op;
    let body_section = op.section(SectionKind::Body);
    Ok(match t.sections.get(&SectionKind::Body) {
        None => None,
        Some(nodes) => {
            let section = section_of(SectionKind::Body);
            let ctx = Ctx::section(&section);
            let ty = match nodes.as_slice() {
                [only] if only.field_name() == Some("body") => lowerer.field(only, &ctx)?.ty,
                _ => {
                    let fields = lowerer.fields(nodes, &ctx)?;
                    lowerer.object(fields, &ctx)
                }
            };
            Some(Body {
                ty: lowerer.public_ty(&ty),
                content_type: body_section
                    .and_then(|s| s.content_type.clone())
                    .unwrap_or_else(|| "application/json".to_string()),
            })
        }
    })
}

/// What an operation answers: the envelope, plain JSON, a download, or nothing.
fn lower_response<'t>(
    lowerer: &mut Lowerer<'t>,
    t: &'t OpTrees<'t>,
    section_of: &dyn Fn(SectionKind) -> String,
) -> Result<Response, LowerError> {
    let op = t.op;
    Ok(match t.sections.get(&SectionKind::Returns) {
        Some(nodes) => {
            let section = section_of(SectionKind::Returns);
            let ctx = Ctx::section(&section);
            let fields = lowerer.fields(nodes, &ctx)?;
            match fields.iter().position(|f| f.name == "result") {
                Some(i) => {
                    let mut fields = fields;
                    let result = fields.remove(i);
                    Response::Envelope {
                        result: lowerer.public_ty(&result.ty),
                        result_info: fields.iter().any(|f| f.name == "result_info"),
                        fields: fields.iter().map(|f| lowerer.public_field(f)).collect(),
                        pagination: None,
                    }
                }
                None => {
                    let ty = lowerer.object(fields, &ctx);
                    Response::Json {
                        ty: lowerer.public_ty(&ty),
                    }
                }
            }
        }
        None if op.description.to_ascii_lowercase().contains("binary") => Response::Binary {
            note: op.description.to_string(),
        },
        None => Response::None,
    })
}

/// Parses the curl command, its body and the JSON response example of an operation.
pub(super) fn read_examples(
    op: &OpSection<'_>,
    base: &str,
) -> Result<(Examples, Curl), LowerError> {
    let fail = |offset: usize, message: String| LowerError {
        offset,
        place: format!("{base} > Example"),
        message,
    };
    let Some(curl_block) = &op.curl else {
        return Err(fail(op.offset, "the operation has no curl example".into()));
    };
    let curl = parse_curl(&curl_block.text).map_err(|e| {
        fail(
            curl_block.offset,
            format!("cannot read the curl example: {e}"),
        )
    })?;
    let request = match &curl.data {
        Some(data) => Some(
            serde_json::from_str(data)
                .map_err(|e| fail(curl_block.offset, format!("curl body is not JSON: {e}")))?,
        ),
        None => None,
    };
    let response = match &op.response_example {
        Some(block) => Some(
            serde_json::from_str(&block.text)
                .map_err(|e| fail(block.offset, format!("response example is not JSON: {e}")))?,
        ),
        None => None,
    };
    let examples = Examples {
        curl: curl_block.text.to_string(),
        request,
        response,
    };
    Ok((examples, curl))
}

/// Calls `rename` on every definition id an operation references.
pub(super) fn rename_op(op: &mut Operation, rename: &mut impl FnMut(&mut String)) {
    for p in &mut op.params {
        rename_ty(&mut p.field.ty, rename);
        if let Some(reference) = &mut p.field.reference_ty {
            rename_ty(reference, rename);
        }
    }
    if let Some(b) = &mut op.body {
        rename_ty(&mut b.ty, rename);
    }
    match &mut op.response {
        Response::Envelope { result, fields, .. } => {
            rename_ty(result, rename);
            for f in fields {
                rename_ty(&mut f.ty, rename);
            }
        }
        Response::Json { ty } => rename_ty(ty, rename),
        Response::Binary { .. } | Response::None => {}
    }
}

/// Checks that a page agrees with the reference on an operation and adds what only it says.
pub(super) fn merge_page(target: &mut Operation, page: Operation) -> Result<(), String> {
    if target.title != page.title {
        return Err(format!(
            "title `{}` differs from the reference's `{}`",
            page.title, target.title
        ));
    }
    let declared: Vec<&Param> = target.params.iter().filter(|p| !p.from_prose).collect();
    let page_declared: Vec<&Param> = page.params.iter().filter(|p| !p.from_prose).collect();
    if declared.len() != page_declared.len() {
        return Err("the page lists different parameters".into());
    }
    for (a, b) in declared.iter().zip(&page_declared) {
        if a.field.name != b.field.name
            || a.field.ty != b.field.ty
            || a.field.required != b.field.required
        {
            return Err(format!(
                "parameter `{}` differs between the page and the reference",
                b.field.name
            ));
        }
    }
    let constraints: Vec<_> = page_declared
        .iter()
        .map(|p| p.field.constraints.clone())
        .collect();
    let declared = target.params.iter_mut().filter(|p| !p.from_prose);
    for (p, page_constraints) in declared.zip(constraints) {
        for c in page_constraints {
            if !p.field.constraints.contains(&c) {
                p.field.constraints.push(c);
            }
        }
    }
    match (&mut target.body, &page.body) {
        (Some(a), Some(b)) if a.ty == b.ty => a.content_type = b.content_type.clone(),
        (None, None) => {}
        _ => return Err("the request body differs between the page and the reference".into()),
    }
    let same_response = match (&target.response, &page.response) {
        (
            Response::Envelope {
                result: a,
                fields: fa,
                ..
            },
            Response::Envelope {
                result: b,
                fields: fb,
                ..
            },
        ) => {
            a == b
                && fa
                    .iter()
                    .map(|f| (&f.name, &f.ty, f.required))
                    .eq(fb.iter().map(|f| (&f.name, &f.ty, f.required)))
        }
        (a, b) => std::mem::discriminant(a) == std::mem::discriminant(b),
    };
    if !same_response {
        return Err("the response differs between the page and the reference".into());
    }
    for p in page.permissions {
        if !target.permissions.contains(&p) {
            target.permissions.push(p);
        }
    }
    Ok(())
}
