//! Rebuilds the nesting that the flattened bullet lists lost.
//!
//! Each bullet's type says how many children follow it (`spec/FORMAT.md` section 6): an object
//! signature `{ a, b, 3 more }` promises five field bullets, a union promises one variant bullet
//! per alternative, a literal type one optional variant bullet. Reading exactly that many children
//! recovers the tree and checks every signature count on the way.
//!
//! Named types may be referenced before they are defined, so a [`Registry`] of every signature in
//! every document is collected first (pass 1) and the trees are built after (pass 2).
//!
//! One irregularity is handled here: inside one section, a non-array property whose type was
//! already expanded earlier in that section is printed bare (an *elided expansion*). It is
//! recognised when the next bullet cannot be the type's first child, and resolved by copying the
//! earlier expansion, so every node below has its full subtree.

use std::collections::BTreeMap;
use std::rc::Rc;

use super::outline::Bullet;
use super::texpr::{Sig, Span, TExpr, VariantSpan};

/// Every named signature and type definition found in all documents (pass 1).
#[derive(Debug, Default, Clone)]
pub struct Registry<'a> {
    /// Object names and their distinct signatures (`AccountApp` has two).
    pub objects: BTreeMap<&'a str, Vec<Sig<'a>>>,
    /// `Name = expr` definitions.
    pub typedefs: BTreeMap<&'a str, TExpr<'a>>,
}

impl<'a> Registry<'a> {
    /// Records what one bullet span says about named types.
    pub fn learn(&mut self, span: &Span<'a>) {
        match span {
            Span::NamedObj { name, sig } => self.learn_object(name, sig),
            Span::TypeDef { name, expr } => {
                self.typedefs.entry(name).or_insert_with(|| expr.clone());
                self.learn_expr(expr);
            }
            Span::Field { ty, .. } => self.learn_expr(ty),
            Span::Variant(_) => {}
        }
    }

    fn learn_object(&mut self, name: &'a str, sig: &Sig<'a>) {
        let sigs = self.objects.entry(name).or_default();
        if !sigs.contains(sig) {
            sigs.push(sig.clone());
        }
    }

    fn learn_expr(&mut self, expr: &TExpr<'a>) {
        match expr {
            TExpr::Named {
                name,
                sig: Some(sig),
            } => self.learn_object(name, sig),
            TExpr::Array(inner) => self.learn_expr(inner),
            TExpr::Union { alts, .. } => alts.iter().for_each(|a| self.learn_expr(a)),
            _ => {}
        }
    }
}

/// A bullet with its children.
#[derive(Debug, Clone)]
pub struct Node<'b> {
    /// The bullet as written.
    pub bullet: &'b Bullet<'b>,
    /// Its parsed span.
    pub span: &'b Span<'b>,
    /// The children, in order (shared with the earlier expansion when elided).
    pub children: Rc<[Node<'b>]>,
    /// True when the document printed this reference bare and the children were copied.
    pub elided: bool,
}

impl Node<'_> {
    /// The wire name when this node is a field.
    pub fn field_name(&self) -> Option<&str> {
        match self.span {
            Span::Field { name, .. } => Some(name),
            _ => None,
        }
    }
}

/// A tree-building failure: the bullet where it happened, the field path, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TreeError {
    /// Offset of the offending bullet (or of the section end).
    pub offset: usize,
    /// Dotted field path inside the section (`health_check.target`).
    pub path: String,
    /// What went wrong.
    pub message: String,
}

/// Counts of what the builder checked, for the summary and the tests.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct TreeStats {
    /// Signature counts checked (objects and unions).
    pub counts_checked: usize,
    /// Elided expansions resolved.
    pub elisions: usize,
}

/// Identifies an expansion for the elision memory, without allocating.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum MemKey<'b> {
    Object(&'b Sig<'b>),
    Named(&'b str),
    NamedObj(&'b str, &'b Sig<'b>),
    Union(&'b [TExpr<'b>], usize),
}

/// What the children of a bullet must be.
enum Expect<'b> {
    Nothing,
    /// One optional variant bullet repeating a literal.
    Literal(&'b str),
    /// One optional `true` variant bullet.
    LiteralTrue,
    /// Field bullets per a signature. `key` identifies the type for elision memory.
    Fields {
        sig: &'b Sig<'b>,
        key: MemKey<'b>,
    },
    /// Variant bullets per a union.
    Variants {
        alts: &'b [TExpr<'b>],
        more: usize,
        key: MemKey<'b>,
    },
}

/// Builds the trees of one section's bullets.
pub fn build_section<'b>(
    bullets: &'b [Bullet<'b>],
    registry: &'b Registry<'b>,
    stats: &mut TreeStats,
) -> Result<Vec<Node<'b>>, TreeError> {
    let spans = bullets
        .iter()
        .map(|b| {
            b.parsed.as_ref().map_err(|e| TreeError {
                offset: b.offset + 3 + e.at,
                path: String::new(),
                message: format!("cannot read bullet `{}`: {}", b.span, e.message),
            })
        })
        .collect::<Result<Vec<&'b Span<'b>>, _>>()?;
    let mut reader = Reader {
        bullets,
        spans,
        pos: 0,
        registry,
        memory: BTreeMap::new(),
        stats,
        path: Vec::new(),
        leaf: Rc::from(Vec::new()),
    };
    let mut roots = Vec::new();
    while reader.pos < reader.bullets.len() {
        if matches!(reader.spans[reader.pos], Span::Variant(_)) {
            return Err(reader.error_here("a variant bullet with no union or literal above it"));
        }
        roots.push(reader.node()?);
    }
    Ok(roots)
}

struct Reader<'b, 's> {
    bullets: &'b [Bullet<'b>],
    spans: Vec<&'b Span<'b>>,
    pos: usize,
    registry: &'b Registry<'b>,
    /// Expansions seen so far in this section, for elided references.
    memory: BTreeMap<MemKey<'b>, Rc<[Node<'b>]>>,
    stats: &'s mut TreeStats,
    path: Vec<&'b str>,
    /// The children of every leaf: most nodes are leaves, and one shared empty list saves an
    /// allocation for each.
    leaf: Rc<[Node<'b>]>,
}

impl<'b> Reader<'b, '_> {
    fn error_at(&self, offset: usize, message: impl Into<String>) -> TreeError {
        TreeError {
            offset,
            path: self.path.join("."),
            message: message.into(),
        }
    }

    fn error_here(&self, message: impl Into<String>) -> TreeError {
        let offset = match self.bullets.get(self.pos) {
            Some(b) => b.offset,
            None => self.bullets.last().map(|b| b.offset).unwrap_or(0),
        };
        self.error_at(offset, message)
    }

    fn peek(&self) -> Option<&'b Span<'b>> {
        self.spans.get(self.pos).copied()
    }

    /// Reads the bullet at `pos` and its subtree.
    fn node(&mut self) -> Result<Node<'b>, TreeError> {
        let bullet = &self.bullets[self.pos];
        let span = self.spans[self.pos];
        self.pos += 1;
        let label = match span {
            Span::Field { name, .. } | Span::NamedObj { name, .. } | Span::TypeDef { name, .. } => {
                name
            }
            Span::Variant(_) => "variant",
        };
        self.path.push(label);
        let result = self.subtree(span, bullet.offset);
        self.path.pop();
        let (children, elided) = result?;
        Ok(Node {
            bullet,
            span,
            children,
            elided,
        })
    }

    fn subtree(
        &mut self,
        span: &'b Span,
        offset: usize,
    ) -> Result<(Rc<[Node<'b>]>, bool), TreeError> {
        let (expect, may_elide) = match span {
            Span::Field { ty, .. } => {
                (self.expect_for(ty, offset)?, !matches!(ty, TExpr::Array(_)))
            }
            Span::NamedObj { name, sig } => (
                Expect::Fields {
                    sig,
                    key: MemKey::NamedObj(name, sig),
                },
                false,
            ),
            Span::TypeDef { expr, .. } => (self.expect_for(expr, offset)?, false),
            Span::Variant(_) => (Expect::Nothing, false),
        };
        self.children(expect, may_elide)
    }

    fn expect_for(&self, ty: &'b TExpr, offset: usize) -> Result<Expect<'b>, TreeError> {
        Ok(match ty.item() {
            TExpr::String | TExpr::Number | TExpr::Boolean | TExpr::Unknown | TExpr::Map => {
                Expect::Nothing
            }
            TExpr::True => Expect::LiteralTrue,
            TExpr::Lit(s) => Expect::Literal(s),
            TExpr::Object(sig) => Expect::Fields {
                sig,
                key: MemKey::Object(sig),
            },
            TExpr::Union { alts, more } => Expect::Variants {
                alts,
                more: *more,
                key: MemKey::Union(alts, *more),
            },
            TExpr::Named {
                name,
                sig: Some(sig),
            } => Expect::Fields {
                sig,
                key: MemKey::Named(name),
            },
            TExpr::Named { name, sig: None } => self.expect_named(name, offset)?,
            TExpr::Array(_) => Expect::Nothing,
        })
    }

    fn expect_named(&self, name: &'b str, offset: usize) -> Result<Expect<'b>, TreeError> {
        if let Some(expr) = self.registry.typedefs.get(name) {
            return Ok(match expr {
                TExpr::Union { alts, more } => Expect::Variants {
                    alts,
                    more: *more,
                    key: MemKey::Named(name),
                },
                TExpr::Lit(s) => Expect::Literal(s),
                _ => Expect::Nothing,
            });
        }
        match self.registry.objects.get(name).map(Vec::as_slice) {
            Some([sig]) => Ok(Expect::Fields {
                sig,
                key: MemKey::Named(name),
            }),
            Some(sigs) if sigs.len() > 1 => Err(self.error_at(
                offset,
                format!(
                    "named type `{name}` is referenced but has {} different signatures",
                    sigs.len()
                ),
            )),
            _ => Err(self.error_at(
                offset,
                format!("undefined named type `{name}`: no document gives its signature"),
            )),
        }
    }

    /// Reads the children an `expect` promises. Returns them and whether they were elided.
    fn children(
        &mut self,
        expect: Expect<'b>,
        may_elide: bool,
    ) -> Result<(Rc<[Node<'b>]>, bool), TreeError> {
        match expect {
            Expect::Nothing => Ok((self.leaf.clone(), false)),
            Expect::Literal(lit) => {
                if matches!(self.peek(), Some(Span::Variant(VariantSpan::Lit(s))) if *s == lit) {
                    Ok((Rc::from([self.node()?]), false))
                } else {
                    Ok((self.leaf.clone(), false))
                }
            }
            Expect::LiteralTrue => {
                if matches!(self.peek(), Some(Span::Variant(VariantSpan::True))) {
                    Ok((Rc::from([self.node()?]), false))
                } else {
                    Ok((self.leaf.clone(), false))
                }
            }
            Expect::Fields { sig, key } => {
                let first = sig.names.first().copied().unwrap_or_default();
                let expanded =
                    matches!(self.peek(), Some(Span::Field { name, .. }) if *name == first);
                if !expanded {
                    return self.elided(key, may_elide, || format!("field `{first}` of {sig}"));
                }
                self.stats.counts_checked += 1;
                let mut kids: Vec<Node<'b>> = Vec::with_capacity(sig.len());
                for i in 0..sig.len() {
                    match self.peek() {
                        Some(Span::Field { name, .. }) => {
                            if let Some(listed) = sig.names.get(i) {
                                if name != listed {
                                    return Err(self.error_here(format!(
                                        "signature {sig} lists `{listed}` as field {} but the bullet is `{name}`",
                                        i + 1
                                    )));
                                }
                            }
                            if kids.iter().any(|k| k.field_name() == Some(name)) {
                                return Err(self
                                    .error_here(format!("field `{name}` appears twice in {sig}")));
                            }
                        }
                        _ => {
                            return Err(self.error_here(format!(
                                "signature {sig} promises {} fields but only {i} follow",
                                sig.len()
                            )));
                        }
                    }
                    kids.push(self.node()?);
                }
                let kids: Rc<[Node<'b>]> = Rc::from(kids);
                self.memory.insert(key, kids.clone());
                Ok((kids, false))
            }
            Expect::Variants { alts, more, key } => {
                let expanded = alts
                    .first()
                    .is_some_and(|a| self.peek().is_some_and(|s| variant_matches(a, s)));
                if !expanded {
                    let first = alts.first().map(|a| a.to_string()).unwrap_or_default();
                    return self.elided(key, may_elide, || format!("variant `{first}`"));
                }
                self.stats.counts_checked += 1;
                let total = alts.len() + more;
                let mut kids = Vec::with_capacity(total);
                for i in 0..total {
                    let ok = match (self.peek(), alts.get(i)) {
                        (Some(span), Some(alt)) => variant_matches(alt, span),
                        (Some(Span::Variant(_) | Span::NamedObj { .. }), None) => true,
                        _ => false,
                    };
                    if !ok {
                        let want = alts
                            .get(i)
                            .map(|a| format!("`{a}`"))
                            .unwrap_or_else(|| String::from("a variant"));
                        return Err(self.error_here(format!(
                            "union promises {total} alternatives; alternative {} should be {want}",
                            i + 1
                        )));
                    }
                    kids.push(self.node()?);
                }
                let kids: Rc<[Node<'b>]> = Rc::from(kids);
                self.memory.insert(key, kids.clone());
                Ok((kids, false))
            }
        }
    }

    fn elided(
        &mut self,
        key: MemKey<'b>,
        may_elide: bool,
        wanted: impl FnOnce() -> String,
    ) -> Result<(Rc<[Node<'b>]>, bool), TreeError> {
        if may_elide {
            if let Some(earlier) = self.memory.get(&key) {
                self.stats.elisions += 1;
                return Ok((earlier.clone(), true));
            }
        }
        let found = match self.bullets.get(self.pos) {
            Some(b) => format!("`{}`", b.span),
            None => "the end of the section".to_string(),
        };
        Err(self.error_here(format!(
            "expected {}, found {found}, and no earlier expansion in this section to elide",
            wanted()
        )))
    }
}

/// Whether a variant bullet's span can stand for a union alternative.
fn variant_matches(alt: &TExpr, span: &Span) -> bool {
    match (alt, span) {
        (TExpr::Lit(a), Span::Variant(VariantSpan::Lit(b))) => a == b,
        (TExpr::String, Span::Variant(VariantSpan::String)) => true,
        (TExpr::True, Span::Variant(VariantSpan::True)) => true,
        (TExpr::Object(a), Span::NamedObj { sig, .. }) => a == sig,
        (TExpr::Named { name: a, .. }, Span::NamedObj { name, .. }) => a == name,
        _ => false,
    }
}
