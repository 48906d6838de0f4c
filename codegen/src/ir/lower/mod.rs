//! Lowers syntax trees into type definitions, then merges identical structures.
//!
//! Lowering is deliberately naive: every object, enum or union occurrence becomes a fresh
//! definition. [`Lowerer::canonicalize`] then gives every definition a structural number
//! (hash-consing, bottom-up) and keeps one definition per number:
//!
//! - a domain type wins over an anonymous shape with the same structure, so an operation's inline
//!   `result` becomes the domain type it equals;
//! - named union alternatives (`Init`, `AccountApp`) keep their name in the key, so two different
//!   shapes with one name stay apart and two identical ones merge;
//! - descriptions never take part in the key; constraints are merged into the survivor.
//!
//! Expansions printed under a named reference are lowered too, and their structure must equal the
//! definition's: that is how the reference's repeated expansions are checked.
//!
//! Most definitions are merged away (more than half come from repeated expansions), so lowering
//! works on a private arena: names and descriptions are borrowed from the trees, references are
//! definition indices, and owned [`TypeDef`]s are only built for the survivors.

use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasherDefault, Hasher};

use super::{Alternative, Constraint, Field, Origin, Ty, TypeBody, TypeDef};
use crate::parse::outline::RawConstraint;
use crate::parse::texpr::{Span, TExpr, VariantSpan};
use crate::parse::tree::{Node, Registry};

mod canonical;
use canonical::KeyHasher;

/// Where something is being lowered, for `used_at` and errors.
///
/// A chain of path steps living on the stack: the place is only spelled out when a definition or
/// an error records it, which most fields never do.
#[derive(Debug, Clone, Copy)]
pub struct Ctx<'c> {
    /// `Resource > Operation > Section` or `Resource > Domain Types > Heading`.
    section: &'c str,
    parent: Option<&'c Ctx<'c>>,
    step: Step<'c>,
}

/// One step of a field path.
#[derive(Debug, Clone, Copy)]
enum Step<'c> {
    /// The top of the section.
    Root,
    /// A field or named alternative: `.name`.
    Field(&'c str),
    /// The items of an array: `[]`.
    Items,
}

impl<'c> Ctx<'c> {
    /// The context at the top of a section.
    pub fn section(section: &'c str) -> Ctx<'c> {
        Ctx {
            section,
            parent: None,
            step: Step::Root,
        }
    }

    /// The context of a child field.
    pub fn child<'p>(&'p self, name: &'p str) -> Ctx<'p> {
        Ctx {
            section: self.section,
            parent: Some(self),
            step: Step::Field(name),
        }
    }

    fn items(&self) -> Ctx<'_> {
        Ctx {
            section: self.section,
            parent: Some(self),
            step: Step::Items,
        }
    }

    /// `section > path`, as stored in `used_at` (`section` alone at the top).
    pub fn place(&self) -> String {
        let mut out = String::with_capacity(self.section.len() + 64);
        out.push_str(self.section);
        out.push_str(" > ");
        let start = out.len();
        self.write_path(&mut out, start);
        if out.len() == start {
            out.truncate(start - " > ".len());
        }
        out
    }

    /// Appends the dotted path (`a.b[].c`); `start` is where the path begins in `out`.
    fn write_path(&self, out: &mut String, start: usize) {
        if let Some(parent) = self.parent {
            parent.write_path(out, start);
        }
        match self.step {
            Step::Root => {}
            Step::Field(name) => {
                if out.len() > start {
                    out.push('.');
                }
                out.push_str(name);
            }
            Step::Items => out.push_str("[]"),
        }
    }
}

/// A lowering failure located at a bullet.
#[derive(Debug, Clone)]
pub struct LowerError {
    /// Offset of the bullet.
    pub offset: usize,
    /// Where: `section > path`.
    pub place: String,
    /// Why.
    pub message: String,
}

impl LowerError {
    fn at(offset: usize, ctx: &Ctx<'_>, message: String) -> LowerError {
        LowerError {
            offset,
            place: ctx.place(),
            message,
        }
    }
}

/// A type as lowered: like [`Ty`], with references by definition index.
#[derive(Debug, Clone, PartialEq)]
pub enum LTy<'t> {
    /// `string`
    String,
    /// `number`
    Number,
    /// `boolean`
    Boolean,
    /// `unknown`
    Unknown,
    /// `true`
    True,
    /// A string literal.
    Literal(&'t str),
    /// `map[string]` (string values).
    Map,
    /// `array of`
    Array(Box<LTy<'t>>),
    /// A definition, by index.
    Ref(usize),
}

/// A field as lowered: [`Field`] with borrowed text.
#[derive(Debug, Clone)]
pub struct LField<'t> {
    /// Wire name.
    pub name: &'t str,
    /// Its type.
    pub ty: LTy<'t>,
    /// False when the documents say `optional`.
    pub required: bool,
    description: &'t str,
    constraints: Vec<&'t RawConstraint>,
}

/// A definition body as lowered: [`TypeBody`] with borrowed text and index references.
#[derive(Debug, Clone)]
enum LBody<'t> {
    Object(Vec<LField<'t>>),
    Enum(Vec<&'t str>),
    Alias(LTy<'t>),
    Union(Vec<(Option<&'t str>, LTy<'t>)>),
}

/// A definition in the arena.
#[derive(Debug)]
struct Def<'t> {
    /// Domain types' ids; every other definition gets its id in [`Lowerer::canonicalize`].
    id: Option<String>,
    name: Option<&'t str>,
    body: LBody<'t>,
    origin: Origin,
    description: &'t str,
    resource: Option<String>,
    used_at: Vec<String>,
}

/// An expansion printed under a named reference, to compare with the definition.
struct Pending {
    def: usize,
    expansion: usize,
    offset: usize,
    place: String,
}

/// Builds definitions from trees.
pub struct Lowerer<'t> {
    defs: Vec<Def<'t>>,
    /// Names a bare reference can resolve to, with the definition index.
    named: HashMap<&'t str, usize, BuildHasherDefault<KeyHasher>>,
    /// Domain names defined more than once: a bare reference to them is ambiguous.
    ambiguous: Vec<&'t str>,
    pending: Vec<Pending>,
    registry: &'t Registry<'t>,
}

/// The id a definition carries until [`Lowerer::canonicalize`] names it (operations only).
fn temp_id(index: usize) -> String {
    format!("#{index}")
}

impl<'t> Lowerer<'t> {
    /// A lowerer that resolves typedef names through `registry`.
    pub fn new(registry: &'t Registry<'t>) -> Self {
        Lowerer {
            defs: Vec::new(),
            named: HashMap::default(),
            ambiguous: Vec::new(),
            pending: Vec::new(),
            registry,
        }
    }

    /// Declares a domain type before any body is lowered, so references resolve in any order.
    pub fn declare_domain(
        &mut self,
        id: String,
        name: &'t str,
        resource: &str,
        description: &'t str,
    ) -> usize {
        let index = self.defs.len();
        self.defs.push(Def {
            id: Some(id),
            name: Some(name),
            body: LBody::Alias(LTy::Unknown),
            origin: Origin::Domain,
            description,
            resource: (!resource.is_empty()).then(|| resource.to_string()),
            used_at: Vec::new(),
        });
        if self.named.contains_key(name) || self.ambiguous.contains(&name) {
            self.named.remove(name);
            self.ambiguous.push(name);
        } else {
            self.named.insert(name, index);
        }
        index
    }

    /// Lowers the root bullet of a domain-type section into the declared definition.
    pub fn define_domain(
        &mut self,
        index: usize,
        root: &'t Node<'t>,
        ctx: &Ctx<'_>,
    ) -> Result<(), LowerError> {
        let body = match root.span {
            Span::NamedObj { .. } => LBody::Object(self.fields(&root.children, ctx)?),
            Span::TypeDef { expr, .. } => match expr {
                TExpr::Union { .. } | TExpr::Lit(_) => self.union_body(&root.children, ctx)?,
                other => LBody::Alias(self.ty(other, &root.children, ctx, root.bullet.offset)?),
            },
            _ => {
                return Err(LowerError::at(
                    root.bullet.offset,
                    ctx,
                    "a domain type must start with `Name { ... }` or `Name = ...`".into(),
                ));
            }
        };
        if let Some(def) = self.defs.get_mut(index) {
            def.body = body;
        }
        Ok(())
    }

    /// Lowers a list of field nodes.
    pub fn fields(
        &mut self,
        nodes: &'t [Node<'t>],
        ctx: &Ctx<'_>,
    ) -> Result<Vec<LField<'t>>, LowerError> {
        nodes.iter().map(|n| self.field(n, ctx)).collect()
    }

    /// Lowers one field node.
    pub fn field(&mut self, node: &'t Node<'t>, ctx: &Ctx<'_>) -> Result<LField<'t>, LowerError> {
        let Span::Field {
            name, optional, ty, ..
        } = node.span
        else {
            return Err(LowerError::at(
                node.bullet.offset,
                ctx,
                format!("expected a field, found `{}`", node.bullet.span),
            ));
        };
        let here = ctx.child(name);
        Ok(LField {
            name,
            ty: self.ty(ty, &node.children, &here, node.bullet.offset)?,
            required: !optional,
            description: &node.bullet.description,
            constraints: node.bullet.constraints.iter().collect(),
        })
    }

    /// Lowers a type expression whose expansion is `children`.
    fn ty(
        &mut self,
        expr: &'t TExpr,
        children: &'t [Node<'t>],
        ctx: &Ctx<'_>,
        offset: usize,
    ) -> Result<LTy<'t>, LowerError> {
        Ok(match expr {
            TExpr::String => LTy::String,
            TExpr::Number => LTy::Number,
            TExpr::Boolean => LTy::Boolean,
            TExpr::Unknown => LTy::Unknown,
            TExpr::True => LTy::True,
            TExpr::Map => LTy::Map,
            TExpr::Lit(value) => LTy::Literal(value),
            TExpr::Array(inner) => {
                LTy::Array(Box::new(self.ty(inner, children, &ctx.items(), offset)?))
            }
            TExpr::Object(_) => {
                let fields = self.fields(children, ctx)?;
                self.object(fields, ctx)
            }
            TExpr::Union { .. } => {
                let body = self.union_body(children, ctx)?;
                self.fresh(None, body, Origin::Anonymous, "", ctx)
            }
            TExpr::Named { name, .. } => self.named_ref(name, children, ctx, offset)?,
        })
    }

    /// A fresh anonymous object (an operation's body or a response without envelope).
    pub fn object(&mut self, fields: Vec<LField<'t>>, ctx: &Ctx<'_>) -> LTy<'t> {
        self.fresh(None, LBody::Object(fields), Origin::Anonymous, "", ctx)
    }

    fn fresh(
        &mut self,
        name: Option<&'t str>,
        body: LBody<'t>,
        origin: Origin,
        description: &'t str,
        ctx: &Ctx<'_>,
    ) -> LTy<'t> {
        let index = self.defs.len();
        self.defs.push(Def {
            id: None,
            name,
            body,
            origin,
            description,
            resource: None,
            used_at: vec![ctx.place()],
        });
        LTy::Ref(index)
    }

    /// A bare reference: to a known name (checking any expansion printed under it), or to a name
    /// only signatures know (`ResponseInfo`), defined by its first expansion.
    fn named_ref(
        &mut self,
        name: &'t str,
        children: &'t [Node<'t>],
        ctx: &Ctx<'_>,
        offset: usize,
    ) -> Result<LTy<'t>, LowerError> {
        if let Some(&index) = self.named.get(name) {
            let place = ctx.place();
            if !children.is_empty() {
                let object = self.registry.objects.contains_key(name);
                let expansion = self.expansion(name, children, ctx, offset, object)?;
                self.pending.push(Pending {
                    def: index,
                    expansion,
                    offset,
                    place: place.clone(),
                });
            }
            self.defs[index].used_at.push(place);
            return Ok(LTy::Ref(index));
        }
        if self.ambiguous.contains(&name) {
            return Err(LowerError::at(
                offset,
                ctx,
                format!("`{name}` names more than one domain type; a reference to it is ambiguous"),
            ));
        }
        let body = match self.registry.typedefs.get(name) {
            Some(TExpr::Union { .. } | TExpr::Lit(_)) => self.union_body(children, ctx)?,
            Some(other) => LBody::Alias(self.ty(other, &[], ctx, offset)?),
            None => LBody::Object(self.fields(children, ctx)?),
        };
        let ty = self.fresh(Some(name), body, Origin::Referenced, "", ctx);
        self.named.insert(name, self.defs.len() - 1);
        Ok(ty)
    }

    /// Lowers the children printed under a named reference, for comparison only. Returns the
    /// index of the definition it became.
    fn expansion(
        &mut self,
        name: &str,
        children: &'t [Node<'t>],
        ctx: &Ctx<'_>,
        offset: usize,
        object: bool,
    ) -> Result<usize, LowerError> {
        let is_union = matches!(
            self.registry.typedefs.get(name),
            Some(TExpr::Union { .. } | TExpr::Lit(_))
        );
        let body = if is_union {
            self.union_body(children, ctx)?
        } else if object {
            LBody::Object(self.fields(children, ctx)?)
        } else {
            return Err(LowerError::at(
                offset,
                ctx,
                format!("`{name}` is not an object or union but children are printed under it"),
            ));
        };
        self.fresh(None, body, Origin::Anonymous, "", ctx);
        Ok(self.defs.len() - 1)
    }

    /// Lowers variant bullets into an enum (all literals) or a union.
    fn union_body(
        &mut self,
        children: &'t [Node<'t>],
        ctx: &Ctx<'_>,
    ) -> Result<LBody<'t>, LowerError> {
        let mut alternatives = Vec::with_capacity(children.len());
        for child in children {
            let alt = match child.span {
                Span::Variant(VariantSpan::Lit(s)) => (None, LTy::Literal(s)),
                Span::Variant(VariantSpan::String) => (None, LTy::String),
                Span::Variant(VariantSpan::True) => (None, LTy::True),
                Span::NamedObj { name, .. } => {
                    let alt_ctx = ctx.child(name);
                    let ty = if self.named.contains_key(name) {
                        self.named_ref(name, &child.children, &alt_ctx, child.bullet.offset)?
                    } else {
                        let fields = self.fields(&child.children, &alt_ctx)?;
                        self.fresh(
                            Some(name),
                            LBody::Object(fields),
                            Origin::Variant,
                            &child.bullet.description,
                            &alt_ctx,
                        )
                    };
                    (Some(*name), ty)
                }
                _ => {
                    return Err(LowerError::at(
                        child.bullet.offset,
                        ctx,
                        format!("`{}` cannot be a union alternative", child.bullet.span),
                    ));
                }
            };
            alternatives.push(alt);
        }
        let literals: Option<Vec<&'t str>> = alternatives
            .iter()
            .map(|(_, ty)| match ty {
                LTy::Literal(value) => Some(*value),
                _ => None,
            })
            .collect();
        Ok(match literals {
            Some(values) => LBody::Enum(values),
            None => LBody::Union(alternatives),
        })
    }

    /// A field for an operation (parameters, envelope fields); references keep temporary ids
    /// until [`Canonical::rename`] replaces them.
    pub fn public_field(&self, field: &LField<'_>) -> Field {
        export_field(field, &|i| temp_id(i))
    }

    /// A type for an operation, with temporary ids like [`Lowerer::public_field`].
    pub fn public_ty(&self, ty: &LTy<'_>) -> Ty {
        export_ty(ty, &|i| temp_id(i))
    }
}

/// Converts a lowered type, naming definition `i` by `id(i)`.
fn export_ty(ty: &LTy<'_>, id: &impl Fn(usize) -> String) -> Ty {
    match ty {
        LTy::String => Ty::String,
        LTy::Number => Ty::Number,
        LTy::Boolean => Ty::Boolean,
        LTy::Unknown => Ty::Unknown,
        LTy::True => Ty::True,
        LTy::Literal(value) => Ty::Literal {
            value: value.to_string(),
        },
        LTy::Map => Ty::Map {
            values: Box::new(Ty::String),
        },
        LTy::Array(items) => Ty::Array {
            items: Box::new(export_ty(items, id)),
        },
        LTy::Ref(i) => Ty::Ref { id: id(*i) },
    }
}

fn export_field(field: &LField<'_>, id: &impl Fn(usize) -> String) -> Field {
    Field {
        name: field.name.to_string(),
        ty: export_ty(&field.ty, id),
        required: field.required,
        description: field.description.to_string(),
        constraints: field
            .constraints
            .iter()
            .map(|c| Constraint {
                keyword: c.keyword.to_string(),
                value: c.value.clone(),
            })
            .collect(),
        nullable: false,
        secret: false,
        reference_ty: None,
    }
}

fn export_body(body: &LBody<'_>, id: &impl Fn(usize) -> String) -> TypeBody {
    match body {
        LBody::Object(fields) => TypeBody::Object {
            fields: fields.iter().map(|f| export_field(f, id)).collect(),
        },
        // A value the reference lists twice is one value (the enum's variants are one per value).
        LBody::Enum(values) => TypeBody::Enum {
            values: values
                .iter()
                .enumerate()
                .filter(|(i, v)| !values[..*i].contains(v))
                .map(|(_, v)| v.to_string())
                .collect(),
            open: false,
        },
        LBody::Alias(target) => TypeBody::Alias {
            target: export_ty(target, id),
        },
        LBody::Union(alternatives) => TypeBody::Union {
            alternatives: alternatives
                .iter()
                .map(|(name, ty)| Alternative {
                    name: name.map(str::to_string),
                    ty: export_ty(ty, id),
                })
                .collect(),
            discrimination: super::Discrimination::Ordered,
        },
    }
}

/// Calls `f` on every definition id a type references.
pub fn rename_ty(ty: &mut Ty, f: &mut impl FnMut(&mut String)) {
    match ty {
        Ty::Ref { id } => f(id),
        Ty::Array { items } => rename_ty(items, f),
        Ty::Map { values } => rename_ty(values, f),
        _ => {}
    }
}

/// Calls `f` on every definition id a definition body references.
pub fn rename_body(body: &mut TypeBody, f: &mut impl FnMut(&mut String)) {
    match body {
        TypeBody::Object { fields } => fields.iter_mut().for_each(|x| {
            rename_ty(&mut x.ty, f);
            if let Some(reference) = &mut x.reference_ty {
                rename_ty(reference, f);
            }
        }),
        TypeBody::Alias { target } => rename_ty(target, f),
        TypeBody::Union { alternatives, .. } => alternatives
            .iter_mut()
            .for_each(|a| rename_ty(&mut a.ty, f)),
        TypeBody::Enum { .. } => {}
    }
}
