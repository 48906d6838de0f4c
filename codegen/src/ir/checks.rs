//! Passes over the assembled IR: drop what nothing reaches, decide how each union is told apart,
//! recognise pagination, and check every documented example (curl command, request body,
//! response) against the operation it documents.

use std::collections::HashMap;

use super::Defs;
use super::check_value;
use super::lower::rename_body;
use super::operations::rename_op;
use super::summary::Stats;
use super::unions::discriminate;
use super::walk::{body_types, operation_types, reachable};
use super::{
    AuthScheme, Ir, Operation, Pagination, ParamLocation, Response, Segment, Ty, TypeBody, TypeDef,
};
use crate::parse::curl::Curl;
use crate::parse::error::{Source, SpecError};

/// Which shapes an operation or a domain type reaches, by index in `ir.shapes`.
pub(super) fn reachable_shapes(ir: &Ir) -> Vec<bool> {
    let by_id: HashMap<&str, usize> = ir
        .shapes
        .iter()
        .enumerate()
        .map(|(i, s)| (s.id.as_str(), i))
        .collect();
    let mut roots: Vec<&Ty> = ir.types.iter().flat_map(|t| body_types(&t.body)).collect();
    roots.extend(
        ir.operations
            .iter()
            .flat_map(|op| operation_types(op, true)),
    );
    let reached = reachable(roots, |id| by_id.get(id).map(|&i| &ir.shapes[i]));
    ir.shapes
        .iter()
        .map(|s| reached.contains(s.id.as_str()))
        .collect()
}

/// Removes shapes no operation or domain type reaches (leftovers of checked expansions).
pub(super) fn drop_unreachable(ir: &mut Ir) {
    let seen = reachable_shapes(ir);
    let mut i = 0;
    ir.shapes.retain(|_| {
        i += 1;
        seen[i - 1]
    });
    // Keep anonymous ids contiguous (`~1`, `~2`, ...) after pruning.
    let mut rename = HashMap::new();
    let mut k = 0;
    for s in &mut ir.shapes {
        if s.id.starts_with('~') {
            k += 1;
            let new = format!("~{k}");
            rename.insert(std::mem::replace(&mut s.id, new.clone()), new);
        }
    }
    let mut renumber = |id: &mut String| {
        if let Some(new) = rename.get(id) {
            id.clone_from(new);
        }
    };
    for def in ir.types.iter_mut().chain(ir.shapes.iter_mut()) {
        rename_body(&mut def.body, &mut renumber);
        if let Some(same) = &mut def.same_shape_as {
            renumber(same);
        }
    }
    for op in &mut ir.operations {
        rename_op(op, &mut renumber);
    }
}

pub(super) fn analyze_unions(ir: &mut Ir) {
    let decisions: Vec<(bool, usize, super::Discrimination)> = {
        let defs = Defs::new(ir.types.iter().chain(&ir.shapes));
        let mut out = Vec::new();
        for (table, list) in [(true, &ir.types), (false, &ir.shapes)] {
            for (i, def) in list.iter().enumerate() {
                if let TypeBody::Union { alternatives, .. } = &def.body {
                    out.push((table, i, discriminate(alternatives, &defs)));
                }
            }
        }
        out
    };
    for (is_type, i, d) in decisions {
        let def: &mut TypeDef = if is_type {
            &mut ir.types[i]
        } else {
            &mut ir.shapes[i]
        };
        if let TypeBody::Union { discrimination, .. } = &mut def.body {
            *discrimination = d;
        }
    }
}

pub(super) fn set_pagination(ir: &mut Ir) {
    let updates: Vec<(usize, Pagination)> = {
        let defs = Defs::new(ir.types.iter().chain(&ir.shapes));
        ir.operations
            .iter()
            .enumerate()
            .filter_map(|(i, op)| {
                let Response::Envelope {
                    result,
                    result_info,
                    ..
                } = &op.response
                else {
                    return None;
                };
                if let Some(fields) = defs.object_fields(result) {
                    let cursor = fields.iter().find(|f| {
                        f.ty == Ty::String
                            && op
                                .params_in(ParamLocation::Query)
                                .any(|p| p.field.name == f.name)
                    });
                    let items = fields.iter().find(|f| matches!(f.ty, Ty::Array { .. }));
                    if let (Some(c), Some(items)) = (cursor, items) {
                        return Some((
                            i,
                            Pagination::Cursor {
                                items: items.name.clone(),
                                cursor: c.name.clone(),
                            },
                        ));
                    }
                }
                (*result_info && matches!(result, Ty::Array { .. }))
                    .then_some((i, Pagination::Pages { page: None }))
            })
            .collect()
    };
    for (i, p) in updates {
        if let Response::Envelope { pagination, .. } = &mut ir.operations[i].response {
            *pagination = Some(p);
        }
    }
}

/// Checks every example against its operation, and the curl commands against the method, path
/// and auth schemes; records the base URL the curl commands share.
pub(super) fn check_examples(
    ir: &mut Ir,
    sources: &[(Source<'_>, usize, Curl)],
    stats: &mut Stats,
    errors: &mut Vec<SpecError>,
) {
    let defs = Defs::new(ir.types.iter().chain(&ir.shapes));
    let mut base_url: Option<String> = None;
    for (op, (source, offset, curl)) in ir.operations.iter().zip(sources) {
        // What is wrong with this operation's example; the section path is only spelled out
        // when something is.
        let mut problems = Vec::new();
        check_curl(op, curl, &ir.auth, &mut base_url, &mut problems);
        if let Some(value) = &op.examples.request {
            stats.request_examples += 1;
            let checked = match &op.body {
                Some(body) => check_value(&defs, &body.ty, value).map_err(|e| e.to_string()),
                None => Err("the operation documents no body".to_string()),
            };
            if let Err(e) = checked {
                problems.push(format!("request body example does not fit: {e}"));
            }
        }
        if let Some(value) = &op.examples.response {
            stats.response_examples += 1;
            if let Err(e) = check_response(&defs, &op.response, value) {
                problems.push(format!("response example does not fit: {e}"));
            }
        }
        if !problems.is_empty() {
            let here = format!("{} > {} > Example", op.section, op.title);
            errors.extend(
                problems
                    .into_iter()
                    .map(|m| source.error(&here, *offset, m)),
            );
        }
    }
    ir.base_url = base_url.unwrap_or_default();
}

/// Checks a curl example against its operation's method, path and the auth schemes; the first
/// base URL seen becomes the one every other example must use.
pub(super) fn check_curl(
    op: &Operation,
    curl: &Curl,
    auth: &[AuthScheme],
    base_url: &mut Option<String>,
    problems: &mut Vec<String>,
) {
    if curl.method != op.method.as_str() {
        problems.push(format!(
            "curl uses {} for a {} operation",
            curl.method,
            op.method.as_str()
        ));
    }
    let expected_tail = expected_url_path(&op.segments);
    match curl.url.strip_suffix(&expected_tail) {
        Some(base) => match base_url {
            Some(b) if b != base => {
                problems.push(format!("curl base URL `{base}` differs from `{b}`"))
            }
            Some(_) => {}
            None => *base_url = Some(base.to_string()),
        },
        None => problems.push(format!(
            "curl URL `{}` does not end with `{expected_tail}`",
            curl.url
        )),
    }
    let known = |name: &str| {
        auth.iter()
            .any(|a| a.headers.iter().any(|h| h.name.eq_ignore_ascii_case(name)))
    };
    if !auth.is_empty() && !curl.headers.iter().any(|(n, _)| known(n)) {
        problems.push("curl sends no header of a known auth scheme".into());
    }
    if curl.data.is_some() != op.examples.request.is_some() {
        problems.push("curl body could not be read".into());
    }
}

/// Checks a whole response example (the envelope) against a response.
pub fn check_response(
    defs: &Defs<'_>,
    response: &Response,
    value: &serde_json::Value,
) -> Result<(), super::ValueError> {
    let fail = |pointer: String, message: String| Err(super::ValueError { pointer, message });
    match response {
        Response::Envelope { result, fields, .. } => {
            let serde_json::Value::Object(map) = value else {
                return fail(String::new(), "expected the envelope object".into());
            };
            let declared = |key: &str| key == "result" || fields.iter().any(|f| f.name == key);
            if let Some(key) = map.keys().find(|k| !declared(k)) {
                return fail(format!("/{key}"), "key not declared by the type".into());
            }
            let result_field = ("result", result, true);
            let all = fields
                .iter()
                .map(|f| (f.name.as_str(), &f.ty, f.required))
                .chain(std::iter::once(result_field));
            for (name, ty, required) in all {
                match map.get(name) {
                    Some(v) => check_value(defs, ty, v).map_err(|mut e| {
                        e.pointer = format!("/{name}{}", e.pointer);
                        e
                    })?,
                    None if required => {
                        return fail(format!("/{name}"), "required field missing".into());
                    }
                    None => {}
                }
            }
            Ok(())
        }
        Response::Json { ty } => check_value(defs, ty, value),
        Response::Binary { .. } | Response::None => fail(
            String::new(),
            "the operation documents no JSON response".into(),
        ),
    }
}

pub(super) fn expected_url_path(segments: &[Segment]) -> String {
    fn one(s: &Segment) -> String {
        match s {
            Segment::Literal { text } => text.clone(),
            Segment::Param { name } => format!("${}", name.to_ascii_uppercase()),
            Segment::Compound { parts } => parts.iter().map(one).collect(),
        }
    }
    segments.iter().map(|s| format!("/{}", one(s))).collect()
}
