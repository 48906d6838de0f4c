//! The grammar of one bullet span: `mtu: optional number`, `Name { a, b, 3 more }`, `"low"`, ...
//!
//! Both documents write the same notation (the rendered page adds `object ` before braces and a
//! signature after named references), so one recursive-descent parser serves both. See
//! `spec/FORMAT.md` section 5 for the grammar this implements.
//!
//! Names and literals borrow from the span's text: every bullet of both documents is parsed, and
//! owning them cost one allocation per name.

use std::fmt;

/// The field-name list of an object signature: `{ a, b, c, 4 more }`.
///
/// Only the first names are listed; `more` counts the hidden ones, whose names are learned from
/// the child bullets that follow.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Sig<'a> {
    /// The names listed in the signature, in order.
    pub names: Vec<&'a str>,
    /// How many further fields the signature promises (`N more`).
    pub more: usize,
}

impl Sig<'_> {
    /// Number of fields the signature promises.
    pub fn len(&self) -> usize {
        self.names.len() + self.more
    }

    /// True when the signature promises no field at all (never seen, but representable).
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

impl fmt::Display for Sig<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("{ ")?;
        f.write_str(&self.names.join(", "))?;
        if self.more > 0 {
            write!(f, ", {} more", self.more)?;
        }
        f.write_str(" }")
    }
}

/// A type expression as written in a span, before any name is resolved.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum TExpr<'a> {
    /// `string`
    String,
    /// `number`
    Number,
    /// `boolean`
    Boolean,
    /// `unknown`: any JSON value.
    Unknown,
    /// The literal-true type `true`.
    True,
    /// `map[string]`: an object with free keys and string values.
    Map,
    /// A string literal type `"lit"`.
    Lit(&'a str),
    /// A reference to a named type, with the signature the rendered page prints after it.
    Named {
        /// The type's name as written (`HealthCheckRate`).
        name: &'a str,
        /// `ResponseInfo { code, ... }` on the rendered page; `None` in the reference.
        sig: Option<Sig<'a>>,
    },
    /// An anonymous object `{ a, b }`.
    Object(Sig<'a>),
    /// `array of X`.
    Array(Box<TExpr<'a>>),
    /// `A or B or N more`: alternatives in order, `more` hidden ones.
    Union {
        /// The listed alternatives.
        alts: Vec<TExpr<'a>>,
        /// How many further alternatives the union promises.
        more: usize,
    },
}

impl<'a> TExpr<'a> {
    /// The expression with any `array of` layers removed: what the child bullets describe.
    pub fn item(&self) -> &TExpr<'a> {
        match self {
            TExpr::Array(inner) => inner.item(),
            other => other,
        }
    }
}

impl fmt::Display for TExpr<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TExpr::String => f.write_str("string"),
            TExpr::Number => f.write_str("number"),
            TExpr::Boolean => f.write_str("boolean"),
            TExpr::Unknown => f.write_str("unknown"),
            TExpr::True => f.write_str("true"),
            TExpr::Map => f.write_str("map[string]"),
            TExpr::Lit(s) => write!(f, "\"{s}\""),
            TExpr::Named { name, .. } => f.write_str(name),
            TExpr::Object(sig) => sig.fmt(f),
            TExpr::Array(inner) => write!(f, "array of {inner}"),
            TExpr::Union { alts, more } => {
                for (i, alt) in alts.iter().enumerate() {
                    if i > 0 {
                        f.write_str(" or ")?;
                    }
                    alt.fmt(f)?;
                }
                if *more > 0 {
                    write!(f, " or {more} more")?;
                }
                Ok(())
            }
        }
    }
}

/// A variant bullet's value: one alternative of the union or literal type above it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum VariantSpan<'a> {
    /// `"lit"`
    Lit(&'a str),
    /// `string`
    String,
    /// `true`
    True,
}

/// What one bullet span says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Span<'a> {
    /// `name: [optional] texpr`, or `"x-header": texpr` (quoted).
    Field {
        /// Wire name of the field or parameter.
        name: &'a str,
        /// Whether the name was written in quotes (header parameters).
        quoted: bool,
        /// Whether `optional` prefixed the type.
        optional: bool,
        /// The field's type.
        ty: TExpr<'a>,
    },
    /// `Name = union` (a domain-type head that is not a plain object).
    TypeDef {
        /// The defined name.
        name: &'a str,
        /// What the name stands for.
        expr: TExpr<'a>,
    },
    /// `Name { sig }` (a domain-type head or a named union alternative).
    NamedObj {
        /// The object's name.
        name: &'a str,
        /// Its signature.
        sig: Sig<'a>,
    },
    /// A variant bullet: `"lit"`, `string` or `true`.
    Variant(VariantSpan<'a>),
}

/// Why a span could not be read, with the byte position inside the span.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SpanError {
    /// Byte offset inside the span where reading stopped.
    pub at: usize,
    /// What was expected there.
    pub message: String,
}

/// Parses one bullet span.
pub fn parse_span(span: &str) -> Result<Span<'_>, SpanError> {
    let mut p = Cursor {
        s: span,
        pos: 0,
        depth: 0,
    };
    let out = p.span()?;
    if p.pos != span.len() {
        return Err(p.error("end of span"));
    }
    Ok(out)
}

struct Cursor<'a> {
    s: &'a str,
    pos: usize,
    /// `array of` layers open at the cursor: bounded, so no input can exhaust the stack of this
    /// parser or of the passes that walk its output.
    depth: usize,
}

/// The deepest `array of` nesting accepted (the reference never nests `array of`).
pub const MAX_NESTING: usize = 32;

/// The longest name accepted (the reference's longest is under 60 characters); longer ones would
/// only make rustc and the reader suffer.
pub const MAX_NAME: usize = 200;

impl<'a> Cursor<'a> {
    fn rest(&self) -> &'a str {
        self.s.get(self.pos..).unwrap_or("")
    }

    fn error(&self, expected: &str) -> SpanError {
        SpanError {
            at: self.pos,
            message: format!("expected {expected}"),
        }
    }

    fn eat(&mut self, token: &str) -> bool {
        if self.rest().starts_with(token) {
            self.pos += token.len();
            true
        } else {
            false
        }
    }

    fn expect(&mut self, token: &str) -> Result<(), SpanError> {
        if self.eat(token) {
            Ok(())
        } else {
            Err(self.error(&format!("`{token}`")))
        }
    }

    /// Takes the longest prefix whose bytes satisfy `ok`.
    fn take_while(&mut self, ok: impl Fn(u8) -> bool) -> &'a str {
        let rest = self.rest();
        let n = rest.bytes().take_while(|&b| ok(b)).count();
        self.pos += n;
        &rest[..n]
    }

    fn ident(&mut self) -> Result<&'a str, SpanError> {
        let start = self.pos;
        let word = self.take_while(|b| b.is_ascii_alphanumeric() || b == b'_');
        if word.is_empty() {
            Err(self.error("a name"))
        } else if word.len() > MAX_NAME {
            self.pos = start;
            Err(self.error(&format!("a name of at most {MAX_NAME} characters")))
        } else {
            Ok(word)
        }
    }

    fn quoted(&mut self) -> Result<&'a str, SpanError> {
        self.expect("\"")?;
        let start = self.pos;
        let body = self.take_while(|b| b != b'"');
        if body.len() > MAX_NAME {
            self.pos = start;
            return Err(self.error(&format!("a literal of at most {MAX_NAME} bytes")));
        }
        self.expect("\"")?;
        Ok(body)
    }

    fn span(&mut self) -> Result<Span<'a>, SpanError> {
        let rest = self.rest();
        if rest.starts_with('"') {
            let lit = self.quoted()?;
            if self.eat(": ") {
                let (optional, ty) = self.field_type()?;
                return Ok(Span::Field {
                    name: lit,
                    quoted: true,
                    optional,
                    ty,
                });
            }
            return Ok(Span::Variant(VariantSpan::Lit(lit)));
        }
        if rest == "string" {
            self.pos = self.s.len();
            return Ok(Span::Variant(VariantSpan::String));
        }
        if rest == "true" {
            self.pos = self.s.len();
            return Ok(Span::Variant(VariantSpan::True));
        }
        let name = self.ident()?;
        if self.eat(": ") {
            let (optional, ty) = self.field_type()?;
            return Ok(Span::Field {
                name,
                quoted: false,
                optional,
                ty,
            });
        }
        if self.eat(" = ") {
            self.eat("object ");
            if self.rest().starts_with('{') {
                let start = self.pos;
                let sig = self.sig()?;
                if self.pos == self.s.len() {
                    return Ok(Span::NamedObj { name, sig });
                }
                self.pos = start;
            }
            let expr = self.union()?;
            return Ok(Span::TypeDef { name, expr });
        }
        if self.eat(" ") {
            self.eat("object ");
            let sig = self.sig()?;
            return Ok(Span::NamedObj { name, sig });
        }
        Err(self.error("`: `, ` = ` or a signature after the name"))
    }

    fn field_type(&mut self) -> Result<(bool, TExpr<'a>), SpanError> {
        let optional = self.eat("optional ");
        Ok((optional, self.union()?))
    }

    /// `atom (' or ' atom)* [' or ' N ' more']`; a single atom is returned as itself.
    fn union(&mut self) -> Result<TExpr<'a>, SpanError> {
        let first = self.atom()?;
        // Most types are a single atom: no list for them.
        if !self.rest().starts_with(" or ") {
            return Ok(first);
        }
        let mut alts = vec![first];
        let mut more = 0;
        while self.eat(" or ") {
            if let Some(n) = self.count_more() {
                more = n;
                break;
            }
            alts.push(self.atom()?);
        }
        if alts.len() == 1 && more == 0 {
            return Ok(alts.remove(0));
        }
        Ok(TExpr::Union { alts, more })
    }

    /// Reads `N more` if it is next; leaves the cursor alone otherwise.
    fn count_more(&mut self) -> Option<usize> {
        let start = self.pos;
        let digits = self.take_while(|b| b.is_ascii_digit());
        if !digits.is_empty() && self.eat(" more") {
            if let Ok(n) = digits.parse() {
                return Some(n);
            }
        }
        self.pos = start;
        None
    }

    fn atom(&mut self) -> Result<TExpr<'a>, SpanError> {
        if self.eat("array of ") {
            if self.depth >= MAX_NESTING {
                return Err(self.error(&format!(
                    "a type nested at most {MAX_NESTING} `array of` deep"
                )));
            }
            self.depth += 1;
            let inner = self.union();
            self.depth -= 1;
            return Ok(TExpr::Array(Box::new(inner?)));
        }
        let rest = self.rest();
        if rest.starts_with('"') {
            return Ok(TExpr::Lit(self.quoted()?));
        }
        if rest.starts_with('{') || rest.starts_with("object {") {
            self.eat("object ");
            return Ok(TExpr::Object(self.sig()?));
        }
        if self.eat("map[string]") {
            return Ok(TExpr::Map);
        }
        let start = self.pos;
        let word = self.ident()?;
        let keyword = match word {
            "string" => Some(TExpr::String),
            "number" => Some(TExpr::Number),
            "boolean" => Some(TExpr::Boolean),
            "unknown" => Some(TExpr::Unknown),
            "true" => Some(TExpr::True),
            _ => None,
        };
        if let Some(k) = keyword {
            return Ok(k);
        }
        if !word.starts_with(|c: char| c.is_ascii_uppercase()) {
            self.pos = start;
            return Err(self.error("a type"));
        }
        let sig = if self.rest().starts_with(" {") {
            self.eat(" ");
            Some(self.sig()?)
        } else {
            None
        };
        Ok(TExpr::Named { name: word, sig })
    }

    /// `{ a, b, N more }`
    fn sig(&mut self) -> Result<Sig<'a>, SpanError> {
        self.expect("{ ")?;
        let mut names = Vec::new();
        let mut more = 0;
        loop {
            if let Some(n) = self.count_more() {
                more = n;
            } else {
                names.push(self.ident()?);
            }
            if self.eat(" }") {
                break;
            }
            if more > 0 {
                return Err(self.error("` }` after `N more`"));
            }
            self.expect(", ")?;
        }
        Ok(Sig { names, more })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn field(span: &str) -> (bool, TExpr<'_>) {
        match parse_span(span) {
            Ok(Span::Field { optional, ty, .. }) => (optional, ty),
            other => panic!("not a field: {other:?}"),
        }
    }

    #[test]
    fn array_binds_looser_than_or() {
        let (opt, ty) = field("result: array of { a } or { b, 2 more }");
        assert!(!opt);
        let TExpr::Array(inner) = ty else {
            panic!("not an array")
        };
        assert!(matches!(*inner, TExpr::Union { ref alts, more: 0 } if alts.len() == 2));
    }

    #[test]
    fn union_with_more_and_literals() {
        let (opt, ty) = field(r#"status: optional "unknown" or "success" or "pending" or 5 more"#);
        assert!(opt);
        assert_eq!(
            ty.to_string(),
            r#""unknown" or "success" or "pending" or 5 more"#
        );
    }

    #[test]
    fn page_forms() {
        let (_, ty) =
            field("errors: array of ResponseInfo { code, message, documentation_url, source }");
        assert_eq!(
            ty,
            TExpr::Array(Box::new(TExpr::Named {
                name: "ResponseInfo",
                sig: Some(Sig {
                    names: vec!["code", "message", "documentation_url", "source"],
                    more: 0
                })
            }))
        );
        let (_, ty) = field("source: optional object { pointer }");
        assert!(matches!(ty, TExpr::Object(_)));
        assert!(matches!(
            parse_span("MagicHealthCheckTarget = object { effective, saved }"),
            Ok(Span::NamedObj { .. })
        ));
    }

    #[test]
    fn heads_and_variants() {
        assert!(matches!(
            parse_span("Subnet = string"),
            Ok(Span::TypeDef {
                expr: TExpr::String,
                ..
            })
        ));
        assert!(
            matches!(parse_span("PCAP { id, filter_v1, offset_time, 5 more }"), Ok(Span::NamedObj { sig, .. }) if sig.len() == 8)
        );
        assert_eq!(parse_span("true"), Ok(Span::Variant(VariantSpan::True)));
        assert!(matches!(
            parse_span(r#""x-magic-new-hc-target": optional boolean"#),
            Ok(Span::Field {
                quoted: true,
                optional: true,
                ..
            })
        ));
    }

    #[test]
    fn rejects_garbage_without_panicking() {
        for bad in [
            "",
            ":",
            "a: ",
            "a: {",
            "a: { b,",
            "a: optional",
            "Name {",
            "a: array of",
            "\"",
            "x = ",
        ] {
            assert!(parse_span(bad).is_err(), "{bad:?}");
        }
    }
}
