//! Checks a JSON value against an IR type: keys, JSON kinds, literal and enum values.
//!
//! Used on every documented example while the IR is built (an example that does not fit its
//! operation is a spec error), and by tests and the mock server afterwards.

use std::fmt::Write as _;

use serde_json::Value;

use crate::{Defs, Ty, TypeBody};

/// Why a value does not fit, and where (a JSON pointer).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValueError {
    /// JSON pointer to the offending value.
    pub pointer: String,
    /// What is wrong.
    pub message: String,
}

impl std::fmt::Display for ValueError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "at `{}`: {}", self.pointer, self.message)
    }
}

/// Checks `value` against `ty`. Objects must have no key the type does not declare (except maps)
/// and every required field.
pub fn check_value(defs: &Defs<'_>, ty: &Ty, value: &Value) -> Result<(), ValueError> {
    check(defs, ty, value, &mut String::new())
}

fn fail(pointer: &str, message: impl Into<String>) -> Result<(), ValueError> {
    Err(ValueError {
        pointer: pointer.to_string(),
        message: message.into(),
    })
}

/// Runs `f` with `/part` (escaped per RFC 6901) appended to the pointer, then removes it again.
/// Called for every key of every example, so it escapes in place rather than allocating.
fn with<T>(pointer: &mut String, part: &str, f: impl FnOnce(&mut String) -> T) -> T {
    let len = pointer.len();
    pointer.push('/');
    for c in part.chars() {
        match c {
            '~' => pointer.push_str("~0"),
            '/' => pointer.push_str("~1"),
            c => pointer.push(c),
        }
    }
    let out = f(pointer);
    pointer.truncate(len);
    out
}

fn check(defs: &Defs<'_>, ty: &Ty, value: &Value, pointer: &mut String) -> Result<(), ValueError> {
    match (ty, value) {
        (Ty::Unknown, _) => Ok(()),
        (Ty::String, Value::String(_))
        | (Ty::Number, Value::Number(_))
        | (Ty::Boolean, Value::Bool(_)) => Ok(()),
        (Ty::True, Value::Bool(true)) => Ok(()),
        (Ty::Integer, Value::Number(n)) if n.is_i64() || n.is_u64() => Ok(()),
        (Ty::Literal { value: lit }, Value::String(s)) if s == lit => Ok(()),
        (Ty::Map { values }, Value::Object(map)) => {
            for (k, v) in map {
                with(pointer, k, |p| check(defs, values, v, p))?;
            }
            Ok(())
        }
        (Ty::Array { items }, Value::Array(list)) => {
            let mut index = String::new();
            for (i, v) in list.iter().enumerate() {
                index.clear();
                let _ = write!(index, "{i}");
                with(pointer, &index, |p| check(defs, items, v, p))?;
            }
            Ok(())
        }
        (Ty::Ref { id }, _) => {
            let Some(def) = defs.get(id) else {
                return fail(pointer, format!("no definition `{id}`"));
            };
            check_body(defs, &def.body, value, pointer)
        }
        (expected, got) => fail(
            pointer,
            format!("expected {}, found {}", describe(expected), found(got)),
        ),
    }
}

fn check_body(
    defs: &Defs<'_>,
    body: &TypeBody,
    value: &Value,
    pointer: &mut String,
) -> Result<(), ValueError> {
    match body {
        TypeBody::Alias { target } => check(defs, target, value, pointer),
        TypeBody::Enum { values, open } => match value {
            Value::String(s) if *open || values.contains(s) => Ok(()),
            other => fail(
                pointer,
                format!("expected one of {values:?}, found {}", found(other)),
            ),
        },
        TypeBody::Object { fields } => {
            let Value::Object(map) = value else {
                return fail(
                    pointer,
                    format!("expected an object, found {}", found(value)),
                );
            };
            for key in map.keys() {
                if !fields.iter().any(|f| &f.name == key) {
                    return with(pointer, key, |p| fail(p, "key not declared by the type"));
                }
            }
            for f in fields {
                match map.get(&f.name) {
                    // `null` where the prose gives it a meaning (see `Field::nullable`).
                    Some(Value::Null) if f.nullable => {}
                    Some(v) => with(pointer, &f.name, |p| check(defs, &f.ty, v, p))?,
                    None if f.required => {
                        return with(pointer, &f.name, |p| fail(p, "required field missing"));
                    }
                    None => {}
                }
            }
            Ok(())
        }
        TypeBody::Union { alternatives, .. } => {
            let mut errors = Vec::with_capacity(alternatives.len());
            for alt in alternatives {
                match check(defs, &alt.ty, value, pointer) {
                    Ok(()) => return Ok(()),
                    Err(e) => errors.push((alternative_name(defs, alt), e)),
                }
            }
            if errors.is_empty() {
                return fail(pointer, "union without alternatives");
            }
            // Every alternative's reason: blaming the first one alone misleads whenever the
            // value was meant as another.
            let reasons: Vec<String> = errors
                .iter()
                .map(|(name, e)| format!("as {name}: {e}"))
                .collect();
            // The value at fault is the deepest one an alternative reached, when only one
            // reached that deep; otherwise the union itself.
            let deepest = errors.iter().map(|(_, e)| depth(&e.pointer)).max();
            let at_deepest: Vec<&ValueError> = errors
                .iter()
                .map(|(_, e)| e)
                .filter(|e| Some(depth(&e.pointer)) == deepest)
                .collect();
            let at = match at_deepest.as_slice() {
                [one] if one.pointer.len() > pointer.len() => one.pointer.clone(),
                _ => pointer.clone(),
            };
            Err(ValueError {
                pointer: at,
                message: format!(
                    "fits none of the union's {} alternatives ({})",
                    errors.len(),
                    reasons.join("; ")
                ),
            })
        }
    }
}

fn describe(ty: &Ty) -> String {
    match ty {
        Ty::Literal { value } => format!("\"{value}\""),
        Ty::True => "true".into(),
        Ty::Map { .. } => "an object".into(),
        Ty::Array { .. } => "an array".into(),
        other => format!("{other:?}").to_lowercase(),
    }
}

/// How a union alternative is named in a message: its variant name, its type's name, or its
/// JSON kind.
fn alternative_name(defs: &Defs<'_>, alt: &crate::Alternative) -> String {
    let type_name = match &alt.ty {
        Ty::Ref { id } => defs.get(id).and_then(|d| d.name.clone()),
        _ => None,
    };
    match alt.name.clone().or(type_name) {
        Some(name) => format!("`{name}`"),
        None => describe(&alt.ty),
    }
}

/// The number of reference tokens in a JSON pointer.
fn depth(pointer: &str) -> usize {
    pointer.matches('/').count()
}

/// The value a check found, for its message: scalars as JSON (long strings shortened),
/// objects and arrays by kind.
fn found(value: &Value) -> String {
    const LONG: usize = 64;
    match value {
        Value::String(s) if s.chars().count() > LONG => {
            let head: String = s.chars().take(LONG).collect();
            format!(
                "{}… (a string of {} characters)",
                Value::String(head),
                s.chars().count()
            )
        }
        Value::String(_) | Value::Number(_) | Value::Bool(_) | Value::Null => value.to_string(),
        Value::Array(_) | Value::Object(_) => kind_of(value).to_owned(),
    }
}

fn kind_of(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}
