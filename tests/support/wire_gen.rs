//! Responses built from the IR the way the reference allows them, as JSON text, for the wire
//! property test: optional fields present, absent or `null`; every number spelled as an integer,
//! an integral float, an exponent or (where the reference says `number` without a reviewed
//! integer entry) a fraction; unknown fields at every depth; unknown enum values; unknown union
//! alternatives; and known union tags or identifying fields with payloads that do not fit.
//!
//! Deterministic: a fixed seed and a small xorshift generator, no dependencies.
#![allow(dead_code)]

use std::collections::HashMap;
use std::fmt::Write;

use codegen::ir::{Discrimination, Field, Ir, Ty, TypeBody, TypeDef};
use serde_json::Value;

/// A xorshift64* generator: deterministic, fast, good enough to pick cases.
pub struct Rng(u64);

impl Rng {
    /// A generator from a seed (zero is replaced, xorshift cannot leave it).
    pub fn new(seed: u64) -> Rng {
        Rng(seed.max(1))
    }

    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// A number in `0..n`.
    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }

    /// True with probability `1/n`.
    pub fn one_in(&mut self, n: usize) -> bool {
        self.below(n) == 0
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}

/// Spellings of numbers where the reference says `number`.
const NUMBERS: &[&str] = &[
    "0",
    "-17",
    "1476",
    "1476.0",
    "1.476e3",
    "1.476E+3",
    "1700000000.25",
    "0.5",
    "-2.5e-3",
    "18446744073709551615",
    "1e22",
    "1700000000.123456789",
];

/// Spellings of whole numbers, for fields a reviewed entry says are integers.
const INTEGERS: &[&str] = &[
    "0",
    "-3",
    "1476",
    "1476.0",
    "1.476e3",
    "15E0",
    "9007199254740993",
];

const STRINGS: &[&str] = &[
    "a",
    "",
    "quote \" and \\ backslash",
    "é ☃",
    "203.0.113.1",
    "2026-12-01T00:00:00Z",
];

/// Builds JSON text for IR types.
pub struct Generator<'a> {
    defs: HashMap<&'a str, &'a TypeDef>,
    /// Counts of what was generated, to show the test covered each case.
    pub seen: HashMap<&'static str, usize>,
}

impl<'a> Generator<'a> {
    /// A generator over the IR's definitions.
    pub fn new(ir: &'a Ir) -> Generator<'a> {
        Generator {
            defs: ir
                .types
                .iter()
                .chain(&ir.shapes)
                .map(|d| (d.id.as_str(), d))
                .collect(),
            seen: HashMap::new(),
        }
    }

    fn count(&mut self, what: &'static str) {
        *self.seen.entry(what).or_default() += 1;
    }

    /// A value of `ty` as JSON text.
    pub fn value(&mut self, rng: &mut Rng, ty: &Ty, depth: usize, out: &mut String) {
        match ty {
            Ty::String => string(rng.pick(STRINGS), out),
            Ty::Literal { value } => string(value, out),
            Ty::Number => {
                self.count("number spelling");
                out.push_str(rng.pick(NUMBERS))
            }
            Ty::Integer => {
                self.count("integer spelling");
                out.push_str(rng.pick(INTEGERS))
            }
            Ty::Boolean => out.push_str(if rng.one_in(2) { "true" } else { "false" }),
            Ty::True => out.push_str("true"),
            Ty::Unknown => any(rng, 2, out),
            Ty::Map { values } => {
                out.push('{');
                for i in 0..rng.below(3) {
                    if i > 0 {
                        out.push(',');
                    }
                    string(&format!("key{i}"), out);
                    out.push(':');
                    self.value(rng, values, depth + 1, out);
                }
                out.push('}');
            }
            Ty::Array { items } => {
                out.push('[');
                let n = if depth > 6 { 0 } else { rng.below(4) };
                for i in 0..n {
                    if i > 0 {
                        out.push(',');
                    }
                    self.value(rng, items, depth + 1, out);
                }
                out.push(']');
            }
            Ty::Ref { id } => match self.defs.get(id.as_str()).copied() {
                Some(def) => self.def(rng, def, depth, out),
                None => out.push_str("null"),
            },
        }
    }

    fn def(&mut self, rng: &mut Rng, def: &'a TypeDef, depth: usize, out: &mut String) {
        match &def.body {
            TypeBody::Object { fields } => self.object(rng, fields, depth, None, out),
            TypeBody::Enum { values, .. } => {
                if values.is_empty() || rng.one_in(8) {
                    self.count("unknown enum value");
                    string("zz_value_from_the_future", out);
                } else {
                    string(&values[rng.below(values.len())], out);
                }
            }
            TypeBody::Alias { target } => self.value(rng, target, depth, out),
            TypeBody::Union {
                alternatives,
                discrimination,
            } => {
                if rng.one_in(6) {
                    self.unknown_alternative(rng, discrimination, out);
                    return;
                }
                let alternative = &alternatives[rng.below(alternatives.len())];
                let object = match &alternative.ty {
                    Ty::Ref { id } => match self.defs.get(id.as_str()).map(|d| &d.body) {
                        Some(TypeBody::Object { fields }) => Some(fields),
                        _ => None,
                    },
                    _ => None,
                };
                match object {
                    // A known alternative whose payload does not fit it.
                    Some(fields) if rng.one_in(5) => {
                        let keep = match discrimination {
                            Discrimination::Tag { field, .. } => Some(field.as_str()),
                            _ => None,
                        };
                        self.count("known tag, mismatching payload");
                        self.object(rng, fields, depth, Some(Break { keep }), out)
                    }
                    _ => self.value(rng, &alternative.ty, depth, out),
                }
            }
        }
    }

    /// A value no alternative of a union claims.
    fn unknown_alternative(&mut self, rng: &mut Rng, how: &Discrimination, out: &mut String) {
        self.count("unknown union alternative");
        match how {
            Discrimination::Tag { field, .. } => {
                out.push('{');
                string(field, out);
                out.push_str(":\"ZzKindFromTheFuture\",\"zz_detail\":");
                any(rng, 2, out);
                out.push('}');
            }
            Discrimination::JsonKind { kinds } => {
                // A JSON kind none of the alternatives has.
                let candidates: Vec<&str> = [
                    ("number", "42.5"),
                    ("boolean", "true"),
                    ("array", "[1]"),
                    ("string", "\"s\""),
                ]
                .into_iter()
                .filter(|(k, _)| !kinds.iter().any(|have| have == k))
                .map(|(_, v)| v)
                .collect();
                out.push_str(candidates.first().copied().unwrap_or("null"));
            }
            _ => {
                out.push_str("{\"zz_unclaimed\":");
                any(rng, 2, out);
                out.push('}');
            }
        }
    }

    /// An object: required fields present, optional ones present, absent or `null`, unknown
    /// fields sometimes. With `broken`, one field (not the tag) gets a value of the wrong kind or
    /// a required one is left out.
    fn object(
        &mut self,
        rng: &mut Rng,
        fields: &'a [Field],
        depth: usize,
        broken: Option<Break<'_>>,
        out: &mut String,
    ) {
        let breakable: Vec<usize> = fields
            .iter()
            .enumerate()
            .filter(|(_, f)| Some(f.name.as_str()) != broken.as_ref().and_then(|b| b.keep))
            .filter(|(_, f)| f.ty != Ty::Unknown)
            .map(|(i, _)| i)
            .collect();
        let broken_at = match (&broken, breakable.is_empty()) {
            (Some(_), false) => Some(breakable[rng.below(breakable.len())]),
            _ => None,
        };
        out.push('{');
        let mut first = true;
        let mut sep = |out: &mut String| {
            if !first {
                out.push(',');
            }
            first = false;
        };
        for (i, f) in fields.iter().enumerate() {
            if broken_at == Some(i) {
                if f.required && rng.one_in(2) {
                    continue; // a required field left out
                }
                sep(out);
                string(&f.name, out);
                out.push(':');
                out.push_str(wrong_kind(&f.ty, &self.defs));
                continue;
            }
            if !f.required {
                match rng.below(if depth > 6 { 1 } else { 3 }) {
                    0 => continue,
                    1 => {
                        self.count("explicit null");
                        sep(out);
                        string(&f.name, out);
                        out.push_str(":null");
                        continue;
                    }
                    _ => {}
                }
            }
            sep(out);
            string(&f.name, out);
            out.push(':');
            self.value(rng, &f.ty, depth + 1, out);
        }
        if rng.one_in(3) {
            self.count("unknown field");
            sep(out);
            string(&format!("zz_unknown_{depth}"), out);
            out.push(':');
            any(rng, 2, out);
        }
        out.push('}');
    }
}

/// How to break an alternative's payload: never its tag field.
struct Break<'k> {
    keep: Option<&'k str>,
}

/// A value of a JSON kind `ty` does not accept.
fn wrong_kind(ty: &Ty, defs: &HashMap<&str, &TypeDef>) -> &'static str {
    match ty {
        Ty::String | Ty::Literal { .. } => "12345",
        Ty::Number | Ty::Integer | Ty::Boolean | Ty::True | Ty::Map { .. } => "\"wrong\"",
        Ty::Array { .. } => "{\"not\":\"a list\"}",
        Ty::Unknown => "null",
        Ty::Ref { id } => match defs.get(id.as_str()).map(|d| &d.body) {
            Some(TypeBody::Enum { .. }) => "[]",
            Some(TypeBody::Alias { target }) => wrong_kind(target, defs),
            _ => "[\"not an object\"]",
        },
    }
}

/// Any JSON value, `depth` levels deep at most.
fn any(rng: &mut Rng, depth: usize, out: &mut String) {
    match rng.below(if depth == 0 { 4 } else { 6 }) {
        0 => out.push_str("null"),
        1 => out.push_str(rng.pick(NUMBERS)),
        2 => string(rng.pick(STRINGS), out),
        3 => out.push_str("false"),
        4 => {
            out.push('[');
            any(rng, depth - 1, out);
            out.push(']');
        }
        _ => {
            out.push_str("{\"nested\":");
            any(rng, depth - 1, out);
            out.push('}');
        }
    }
}

fn string(text: &str, out: &mut String) {
    let _ = write!(out, "{}", Value::String(text.to_owned()));
}

/// JSON equality with numbers compared by value: `1476`, `1476.0` and `1.476e3` are the same
/// number (an integer field writes back `1476`), as RFC 8259 readers treat them.
pub fn json_equal(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => {
            match (x.as_i64(), y.as_i64(), x.as_u64(), y.as_u64()) {
                (Some(x), Some(y), _, _) => x == y,
                (_, _, Some(x), Some(y)) => x == y,
                _ => x.as_f64() == y.as_f64(),
            }
        }
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(x, y)| json_equal(x, y))
        }
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len()
                && x.iter()
                    .all(|(k, v)| y.get(k).is_some_and(|w| json_equal(v, w)))
        }
        _ => a == b,
    }
}
