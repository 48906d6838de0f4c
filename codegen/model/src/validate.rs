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
            format!("expected {}, found {}", describe(expected), kind_of(got)),
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
                format!("expected one of {values:?}, found {other}"),
            ),
        },
        TypeBody::Object { fields } => {
            let Value::Object(map) = value else {
                return fail(
                    pointer,
                    format!("expected an object, found {}", kind_of(value)),
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
            let mut first_error = None;
            for alt in alternatives {
                match check(defs, &alt.ty, value, pointer) {
                    Ok(()) => return Ok(()),
                    Err(e) => {
                        first_error.get_or_insert(e);
                    }
                }
            }
            match first_error {
                Some(e) => fail(
                    pointer,
                    format!("fits no alternative of the union (first: {e})"),
                ),
                None => fail(pointer, "union without alternatives"),
            }
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
