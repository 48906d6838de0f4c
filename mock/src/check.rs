//! Routing and validation, all read from the IR: which operation a request is for, and whether
//! its authentication, path, headers, query and body are what the reference declares.

use std::collections::HashMap;

use magic_api_model::{
    Defs, Ir, Operation, Param, ParamLocation, Segment, Ty, TypeBody, check_value,
};
use serde_json::Value;

use crate::exchange::HttpRequest;
use crate::record::{Rejection, code};
use crate::url::{parse_query, percent_decode};

/// Decoded `(name, value)` pairs.
pub(crate) type Pairs = Vec<(String, String)>;

/// Where routing got.
struct Routed {
    op: usize,
    /// Decoded path parameters, in template order.
    params: Pairs,
}

/// A request that passed every check.
pub(crate) struct Checked {
    /// Index of its operation in [`Ir::operations`].
    pub(crate) op: usize,
    /// The decoded query pairs.
    pub(crate) query: Pairs,
    /// The body, parsed, when the operation takes one.
    pub(crate) body: Option<Value>,
}

/// Checks requests against one IR.
pub(crate) struct Checker<'a> {
    pub(crate) ir: &'a Ir,
    /// The IR's definitions by id.
    pub(crate) defs: &'a Defs<'a>,
    /// Path of the IR's base URL, without a trailing slash (`/client/v4`).
    pub(crate) base_path: &'a str,
}

impl Checker<'_> {
    /// Runs every check; on success returns the operation's index.
    pub(crate) fn evaluate(
        &self,
        request: &HttpRequest,
        matched: &mut Option<usize>,
        path_params: &mut Vec<(String, String)>,
    ) -> Result<Checked, Rejection> {
        let target = request.target.as_str();
        if !target.starts_with('/') || !target.is_ascii() || target.contains('#') {
            return Err(Rejection::bad(
                code::MALFORMED,
                format!(
                    "request-target `{}` is not an origin-form path",
                    target.escape_debug()
                ),
            ));
        }
        let (path, query) = match target.split_once('?') {
            Some((p, q)) => (p, Some(q)),
            None => (target, None),
        };

        let routed = self.route(&request.method, path)?;
        *matched = Some(routed.op);
        *path_params = routed.params.clone();
        let op =
            self.ir.operations.get(routed.op).ok_or_else(|| {
                Rejection::new(404, code::NO_ROUTE, "operation index out of range")
            })?;
        let defs = self.defs;

        self.check_auth(op, request)?;
        check_path_params(defs, op, &routed.params)?;
        check_headers(defs, op, request)?;
        check_query(defs, op, query)?;
        let body = check_body(defs, op, request)?;
        Ok(Checked {
            op: routed.op,
            query: match query {
                Some(q) => parse_query(q).unwrap_or_default(),
                None => Vec::new(),
            },
            body,
        })
    }

    fn route(&self, method: &str, path: &str) -> Result<Routed, Rejection> {
        let no_route = || {
            Rejection::new(
                404,
                code::NO_ROUTE,
                format!("No route for that URI: `{}`", path.escape_debug()),
            )
        };
        let rest = match path.strip_prefix(self.base_path) {
            Some(rest) if rest.starts_with('/') => rest,
            _ => return Err(no_route()),
        };
        // Each segment raw (a compound splits before decoding) and decoded, once.
        let mut raw: Vec<(&str, String)> = Vec::new();
        for (i, segment) in rest[1..].split('/').enumerate() {
            match percent_decode(segment, false) {
                Ok(decoded) => raw.push((segment, decoded)),
                Err(why) => {
                    return Err(Rejection::bad(
                        code::MALFORMED,
                        format!("path segment {} `{segment}`: {why}", i + 1),
                    ));
                }
            }
        }

        // Every operation whose template matches, with its specificity.
        let defs = self.defs;
        let mut candidates: Vec<(Vec<u8>, Routed)> = Vec::new();
        for (op, operation) in self.ir.operations.iter().enumerate() {
            let fits = |name: &str, value: &str| {
                find_param(operation, ParamLocation::Path, name)
                    .is_none_or(|p| check_scalar(defs, &p.field.ty, value).is_ok())
            };
            if let Some((score, params)) = match_template(&operation.segments, &raw, &fits) {
                candidates.push((score, Routed { op, params }));
            }
        }
        let Some(best) = candidates.iter().map(|(s, _)| s.clone()).max() else {
            return Err(no_route());
        };
        let mut winners: Vec<Routed> = candidates
            .into_iter()
            .filter(|(s, _)| *s == best)
            .map(|(_, r)| r)
            .collect();
        let method_of = |r: &Routed| self.ir.operations.get(r.op).map(|o| o.method.as_str());
        if let Some(at) = winners.iter().position(|r| method_of(r) == Some(method)) {
            return Ok(winners.swap_remove(at));
        }
        let mut allowed: Vec<&str> = winners.iter().filter_map(method_of).collect();
        allowed.sort_unstable();
        allowed.dedup();
        let template = winners
            .first()
            .and_then(|r| self.ir.operations.get(r.op))
            .map_or("", |o| o.path.as_str());
        let mut rejection = Rejection::new(
            405,
            code::METHOD,
            format!(
                "Method `{}` not allowed for `{template}` (allowed: {})",
                method.escape_debug(),
                allowed.join(", ")
            ),
        );
        rejection.headers.push(("allow".into(), allowed.join(", ")));
        Err(rejection)
    }

    fn check_auth(&self, op: &Operation, request: &HttpRequest) -> Result<(), Rejection> {
        if op.auth.is_empty() {
            return Ok(());
        }
        let mut problems = Vec::new();
        for name in &op.auth {
            let Some(scheme) = self.ir.auth.iter().find(|s| &s.name == name) else {
                problems.push(format!("{name}: scheme not described"));
                continue;
            };
            let mut missing = Vec::new();
            for h in &scheme.headers {
                let value = request.header(&h.name).unwrap_or("").trim();
                let credential = match &h.prefix {
                    None => Some(value),
                    Some(prefix) => value
                        .split_once(' ')
                        .filter(|(p, _)| p.eq_ignore_ascii_case(prefix))
                        .map(|(_, rest)| rest.trim()),
                };
                if credential.is_none_or(str::is_empty) {
                    missing.push(match &h.prefix {
                        Some(prefix) => format!("`{}: {prefix} <credential>`", h.name),
                        None => format!("`{}`", h.name),
                    });
                }
            }
            if missing.is_empty() {
                return Ok(());
            }
            problems.push(format!("{name} needs {}", missing.join(" and ")));
        }
        Err(Rejection::new(
            401,
            code::AUTH,
            format!("Authentication error: {}", problems.join("; ")),
        ))
    }
}

/// Whether a decoded value fits the type of the path parameter it would be.
type Fits<'f> = dyn Fn(&str, &str) -> bool + 'f;

/// Matches the raw (still encoded) segments against a template. Returns the specificity
/// (per segment: 2 literal, 1 compound, 0 parameter) and the decoded parameters. `fits` guides
/// how a compound segment is split (see [`split_compound`]).
fn match_template(
    template: &[Segment],
    segments: &[(&str, String)],
    fits: &Fits<'_>,
) -> Option<(Vec<u8>, Pairs)> {
    if template.len() != segments.len() {
        return None;
    }
    // Literals first: most templates fail on one, before anything is allocated.
    let literals_match = template
        .iter()
        .zip(segments)
        .all(|(t, (_, decoded))| match t {
            Segment::Literal { text } => text == decoded,
            _ => true,
        });
    if !literals_match {
        return None;
    }
    let mut score = Vec::with_capacity(segments.len());
    let mut params = Vec::new();
    for (segment, (raw, decoded)) in template.iter().zip(segments) {
        match segment {
            Segment::Literal { .. } => score.push(2),
            Segment::Param { name } => {
                if decoded.is_empty() {
                    return None;
                }
                params.push((name.clone(), decoded.clone()));
                score.push(0);
            }
            Segment::Compound { parts } => {
                // The first split whose pieces fit their types; else the first split at all,
                // whose misfit piece the parameter check then names.
                let typed = split_compound(parts, raw, fits);
                params.extend(typed.or_else(|| split_compound(parts, raw, &|_, _| true))?);
                score.push(1);
            }
        }
    }
    Some((score, params))
}

/// Splits one raw segment along a compound template's literal parts. A parameter followed by a
/// literal ends at one of that literal's occurrences, tried from the last one back (a timestamp
/// `1700000000.25` followed by `.` and a sequence number keeps its own dot); the first split
/// that matches the whole template, with every piece fitting its type, wins (`1.5.2.5` is
/// `1.5` and `2.5` when both are numbers). Pieces are decoded after splitting and must be
/// non-empty.
fn split_compound(parts: &[Segment], raw: &str, fits: &Fits<'_>) -> Option<Pairs> {
    match parts.split_first() {
        None => raw.is_empty().then(Vec::new),
        Some((Segment::Literal { text }, rest)) => {
            split_compound(rest, raw.strip_prefix(text.as_str())?, fits)
        }
        Some((Segment::Param { name }, rest)) => {
            let ends: Vec<usize> = match rest.first() {
                None => vec![raw.len()],
                Some(Segment::Literal { text }) => {
                    let mut ends: Vec<usize> =
                        raw.match_indices(text.as_str()).map(|(at, _)| at).collect();
                    ends.reverse();
                    ends
                }
                // Two adjacent parameters cannot be told apart.
                Some(_) => return None,
            };
            ends.into_iter().find_map(|end| {
                let value = percent_decode(raw.get(..end)?, false).ok()?;
                if value.is_empty() || !fits(name, &value) {
                    return None;
                }
                let mut out = vec![(name.clone(), value)];
                out.extend(split_compound(rest, raw.get(end..)?, fits)?);
                Some(out)
            })
        }
        Some((Segment::Compound { .. }, _)) => None,
    }
}

fn check_path_params(
    defs: &Defs<'_>,
    op: &Operation,
    params: &[(String, String)],
) -> Result<(), Rejection> {
    for (name, value) in params {
        let Some(param) = find_param(op, ParamLocation::Path, name) else {
            continue; // a template parameter without a declaration: any text
        };
        check_scalar(defs, &param.field.ty, value).map_err(|expected| {
            Rejection::bad(
                code::PATH_PARAM,
                format!(
                    "path parameter `{name}` must be {expected}, found `{}`",
                    value.escape_debug()
                ),
            )
        })?;
    }
    Ok(())
}

fn check_headers(defs: &Defs<'_>, op: &Operation, request: &HttpRequest) -> Result<(), Rejection> {
    for param in op.params_in(ParamLocation::Header) {
        let name = &param.field.name;
        let mut present = false;
        for value in request.header_values(name) {
            present = true;
            check_scalar(defs, &param.field.ty, value).map_err(|expected| {
                Rejection::bad(
                    code::HEADER,
                    format!(
                        "header `{name}` must be {expected}, found `{}`",
                        value.escape_debug()
                    ),
                )
            })?;
        }
        if !present && param.field.required {
            return Err(Rejection::bad(
                code::HEADER,
                format!("required header `{name}` is missing"),
            ));
        }
    }
    Ok(())
}

fn check_query(defs: &Defs<'_>, op: &Operation, query: Option<&str>) -> Result<(), Rejection> {
    let pairs = match query {
        None => Vec::new(),
        Some(q) => parse_query(q)
            .map_err(|why| Rejection::bad(code::MALFORMED, format!("query string: {why}")))?,
    };
    let declared: Vec<&Param> = op.params_in(ParamLocation::Query).collect();
    let mut seen: HashMap<&str, usize> = HashMap::new();
    for (key, value) in &pairs {
        let Some(param) = declared.iter().find(|p| p.field.name == *key) else {
            let accepted = if declared.is_empty() {
                "accepts no query parameters".to_owned()
            } else {
                let names: Vec<&str> = declared.iter().map(|p| p.field.name.as_str()).collect();
                format!("accepts: {}", names.join(", "))
            };
            return Err(Rejection::bad(
                code::UNKNOWN_QUERY,
                format!(
                    "unknown query parameter `{}` ({} {} {accepted})",
                    key.escape_debug(),
                    op.method.as_str(),
                    op.path
                ),
            ));
        };
        let count = seen.entry(param.field.name.as_str()).or_insert(0);
        *count += 1;
        let item = match &param.field.ty {
            Ty::Array { items } => items.as_ref(),
            _ if *count > 1 => {
                return Err(Rejection::bad(
                    code::QUERY_VALUE,
                    format!("query parameter `{key}` is given more than once"),
                ));
            }
            other => other,
        };
        check_scalar(defs, item, value).map_err(|expected| {
            Rejection::bad(
                code::QUERY_VALUE,
                format!(
                    "query parameter `{key}` must be {expected}, found `{}`",
                    value.escape_debug()
                ),
            )
        })?;
    }
    for param in &declared {
        if param.field.required && !seen.contains_key(param.field.name.as_str()) {
            return Err(Rejection::bad(
                code::MISSING_QUERY,
                format!("required query parameter `{}` is missing", param.field.name),
            ));
        }
    }
    Ok(())
}

fn check_body(
    defs: &Defs<'_>,
    op: &Operation,
    request: &HttpRequest,
) -> Result<Option<Value>, Rejection> {
    let Some(body) = &op.body else {
        if request.body.is_empty() {
            return Ok(None);
        }
        return Err(Rejection::bad(
            code::BODY_UNEXPECTED,
            format!(
                "{} {} takes no request body, got {} bytes",
                op.method.as_str(),
                op.path,
                request.body.len()
            ),
        ));
    };
    if request.body.is_empty() {
        return Err(Rejection::bad(
            code::BODY_MISSING,
            format!(
                "{} {} requires a {} request body",
                op.method.as_str(),
                op.path,
                body.content_type
            ),
        ));
    }
    let content_type = request.header("content-type").unwrap_or("");
    let essence = content_type.split(';').next().unwrap_or("").trim();
    if !essence.eq_ignore_ascii_case(&body.content_type) {
        return Err(Rejection::bad(
            code::CONTENT_TYPE,
            format!(
                "Content-Type must be `{}`, found `{}`",
                body.content_type,
                content_type.escape_debug()
            ),
        ));
    }
    let value: Value = serde_json::from_slice(&request.body).map_err(|e| {
        Rejection::bad(
            code::BODY_JSON,
            format!("request body is not valid JSON: {e}"),
        )
    })?;
    check_value(defs, &body.ty, &value).map_err(|e| {
        let mut rejection = Rejection::bad(
            code::BODY_SCHEMA,
            format!(
                "the body of {} {} does not fit {}: {e}",
                op.method.as_str(),
                op.path,
                describe(defs, &body.ty)
            ),
        );
        rejection.pointer = Some(e.pointer.clone());
        rejection
    })?;
    Ok(Some(crate::exact::exact_body(&request.body, value)))
}

fn find_param<'a>(op: &'a Operation, location: ParamLocation, name: &str) -> Option<&'a Param> {
    op.params_in(location).find(|p| p.field.name == name)
}

/// A type as the reference names it (`SiteCreateRequest`'s shape has no name: "its type").
fn describe(defs: &Defs<'_>, ty: &Ty) -> String {
    match ty {
        Ty::Ref { id } => match defs.get(id).and_then(|d| d.name.as_deref()) {
            Some(name) => format!("`{name}`"),
            None => "its type".to_owned(),
        },
        other => format!("{other:?}").to_lowercase(),
    }
}

/// Checks a path, header or query value against a scalar type. The error says what was
/// expected.
fn check_scalar(defs: &Defs<'_>, ty: &Ty, text: &str) -> Result<(), String> {
    check_scalar_depth(defs, ty, text, 0)
}

fn check_scalar_depth(defs: &Defs<'_>, ty: &Ty, text: &str, depth: usize) -> Result<(), String> {
    if depth > 16 {
        return Err("a value of a type nested too deeply".into());
    }
    let ok = |cond: bool, expected: &str| {
        if cond {
            Ok(())
        } else {
            Err(expected.to_owned())
        }
    };
    match ty {
        Ty::String | Ty::Unknown => Ok(()),
        Ty::Integer => ok(is_integer(text), "an integer"),
        Ty::Number => ok(is_number(text), "a number"),
        Ty::Boolean => ok(matches!(text, "true" | "false"), "`true` or `false`"),
        Ty::True => ok(text == "true", "`true`"),
        Ty::Literal { value } => ok(text == value, &format!("`{value}`")),
        Ty::Map { .. } | Ty::Array { .. } => Err("a scalar (this type cannot be sent here)".into()),
        Ty::Ref { id } => {
            let Some(def) = defs.get(id) else {
                return Err(format!("a value of the undefined type `{id}`"));
            };
            match &def.body {
                TypeBody::Enum { values, open } => ok(
                    *open || values.iter().any(|v| v == text),
                    &format!("one of {}", values.join(", ")),
                ),
                TypeBody::Alias { target } => check_scalar_depth(defs, target, text, depth + 1),
                TypeBody::Union { alternatives, .. } => {
                    let mut expected = Vec::new();
                    for alt in alternatives {
                        match check_scalar_depth(defs, &alt.ty, text, depth + 1) {
                            Ok(()) => return Ok(()),
                            Err(e) => expected.push(e),
                        }
                    }
                    Err(expected.join(" or "))
                }
                TypeBody::Object { .. } => Err("a scalar (objects cannot be sent here)".into()),
            }
        }
    }
}

/// An exact decimal integer that fits in 64 bits: `-?[0-9]+`.
fn is_integer(text: &str) -> bool {
    let digits = text.strip_prefix('-').unwrap_or(text);
    !digits.is_empty()
        && digits.bytes().all(|b| b.is_ascii_digit())
        && (text.parse::<i64>().is_ok() || text.parse::<u64>().is_ok())
}

/// A JSON-style number (no `inf`, `NaN`, hex or leading `+`).
fn is_number(text: &str) -> bool {
    !text.is_empty()
        && !text.starts_with('+')
        && text
            .bytes()
            .all(|b| b.is_ascii_digit() || matches!(b, b'-' | b'+' | b'.' | b'e' | b'E'))
        && text.parse::<f64>().is_ok_and(f64::is_finite)
}
