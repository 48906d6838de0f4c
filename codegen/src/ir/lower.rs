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

use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;
use std::rc::Rc;

use super::{Alternative, Constraint, Field, Origin, Ty, TypeBody, TypeDef};
use crate::spec::texpr::{Span, TExpr, VariantSpan};
use crate::spec::tree::{Node, Registry};

/// Where something is being lowered: for `used_at` and errors.
#[derive(Debug, Clone)]
pub struct Ctx {
    /// `Resource > Operation > Section` or `Resource > Domain Types > Heading` (shared: every
    /// field of a section carries it).
    pub section: Rc<str>,
    /// Dotted field path below the section.
    pub path: String,
}

impl Ctx {
    /// The context of a child field.
    pub fn child(&self, name: &str) -> Ctx {
        let path = if self.path.is_empty() {
            name.to_string()
        } else {
            format!("{}.{name}", self.path)
        };
        Ctx {
            section: self.section.clone(),
            path,
        }
    }

    fn items(&self) -> Ctx {
        Ctx {
            section: self.section.clone(),
            path: format!("{}[]", self.path),
        }
    }

    /// The context at the top of a section.
    pub fn section(section: String) -> Ctx {
        Ctx {
            section: Rc::from(section),
            path: String::new(),
        }
    }

    /// `section > path`, as stored in `used_at`.
    pub fn place(&self) -> String {
        if self.path.is_empty() {
            self.section.to_string()
        } else {
            format!("{} > {}", self.section, self.path)
        }
    }
}

/// A lowering failure located at a bullet.
#[derive(Debug, Clone)]
pub struct LowerError {
    /// Offset of the bullet.
    pub offset: usize,
    /// Where.
    pub ctx: Ctx,
    /// Why.
    pub message: String,
}

/// An expansion printed under a named reference, to compare with the definition.
struct Pending {
    def: usize,
    expansion: Ty,
    offset: usize,
    ctx: Ctx,
}

/// Builds definitions from trees.
pub struct Lowerer<'r> {
    /// Every definition so far; a definition's temporary id is `#index`, domain types keep theirs.
    pub defs: Vec<TypeDef>,
    /// Names a bare reference can resolve to, with the definition index.
    named: BTreeMap<String, usize>,
    /// Domain names defined more than once: a bare reference to them is ambiguous.
    ambiguous: Vec<String>,
    pending: Vec<Pending>,
    registry: &'r Registry,
}

fn temp_id(index: usize) -> String {
    format!("#{index}")
}

impl<'r> Lowerer<'r> {
    /// A lowerer that resolves typedef names through `registry`.
    pub fn new(registry: &'r Registry) -> Self {
        Lowerer {
            defs: Vec::new(),
            named: BTreeMap::new(),
            ambiguous: Vec::new(),
            pending: Vec::new(),
            registry,
        }
    }

    /// Declares a domain type before any body is lowered, so references resolve in any order.
    pub fn declare_domain(
        &mut self,
        id: String,
        name: &str,
        resource: &str,
        description: &str,
    ) -> usize {
        let index = self.defs.len();
        self.defs.push(TypeDef {
            id,
            name: Some(name.to_string()),
            body: TypeBody::Alias {
                target: Ty::Unknown,
            },
            origin: Origin::Domain,
            description: description.to_string(),
            resource: Some(resource.to_string()),
            same_shape_as: None,
            used_at: Vec::new(),
        });
        if self.named.contains_key(name) || self.ambiguous.iter().any(|a| a == name) {
            self.named.remove(name);
            self.ambiguous.push(name.to_string());
        } else {
            self.named.insert(name.to_string(), index);
        }
        index
    }

    /// Lowers the root bullet of a domain-type section into the declared definition.
    pub fn define_domain(
        &mut self,
        index: usize,
        root: &Node<'_>,
        ctx: &Ctx,
    ) -> Result<(), LowerError> {
        let body = match &root.span {
            Span::NamedObj { .. } => TypeBody::Object {
                fields: self.fields(&root.children, ctx)?,
            },
            Span::TypeDef { expr, .. } => match expr {
                TExpr::Union { .. } | TExpr::Lit(_) => self.union_body(&root.children, ctx)?,
                other => TypeBody::Alias {
                    target: self.ty(other, &root.children, ctx, root.bullet.offset)?,
                },
            },
            _ => {
                return Err(LowerError {
                    offset: root.bullet.offset,
                    ctx: ctx.clone(),
                    message: "a domain type must start with `Name { ... }` or `Name = ...`".into(),
                });
            }
        };
        if let Some(def) = self.defs.get_mut(index) {
            def.body = body;
        }
        Ok(())
    }

    /// Lowers a list of field nodes.
    pub fn fields(&mut self, nodes: &[Node<'_>], ctx: &Ctx) -> Result<Vec<Field>, LowerError> {
        nodes.iter().map(|n| self.field(n, ctx)).collect()
    }

    /// Lowers one field node.
    pub fn field(&mut self, node: &Node<'_>, ctx: &Ctx) -> Result<Field, LowerError> {
        let Span::Field {
            name, optional, ty, ..
        } = &node.span
        else {
            return Err(LowerError {
                offset: node.bullet.offset,
                ctx: ctx.clone(),
                message: format!("expected a field, found `{}`", node.bullet.span),
            });
        };
        let here = ctx.child(name);
        Ok(Field {
            name: name.clone(),
            ty: self.ty(ty, &node.children, &here, node.bullet.offset)?,
            required: !optional,
            description: node.bullet.description.to_string(),
            constraints: node
                .bullet
                .constraints
                .iter()
                .map(|c| Constraint {
                    keyword: c.keyword.to_string(),
                    value: c.value.clone(),
                })
                .collect(),
        })
    }

    /// Lowers a type expression whose expansion is `children`.
    pub fn ty(
        &mut self,
        expr: &TExpr,
        children: &[Node<'_>],
        ctx: &Ctx,
        offset: usize,
    ) -> Result<Ty, LowerError> {
        Ok(match expr {
            TExpr::String => Ty::String,
            TExpr::Number => Ty::Number,
            TExpr::Boolean => Ty::Boolean,
            TExpr::Unknown => Ty::Unknown,
            TExpr::True => Ty::True,
            TExpr::Map => Ty::Map {
                values: Box::new(Ty::String),
            },
            TExpr::Lit(value) => Ty::Literal {
                value: value.clone(),
            },
            TExpr::Array(inner) => Ty::Array {
                items: Box::new(self.ty(inner, children, &ctx.items(), offset)?),
            },
            TExpr::Object(_) => {
                let fields = self.fields(children, ctx)?;
                self.fresh(
                    None,
                    TypeBody::Object { fields },
                    Origin::Anonymous,
                    "",
                    ctx,
                )
            }
            TExpr::Union { .. } => {
                let body = self.union_body(children, ctx)?;
                self.fresh(None, body, Origin::Anonymous, "", ctx)
            }
            TExpr::Named { name, .. } => self.named_ref(name, children, ctx, offset)?,
        })
    }

    /// A fresh anonymous object (an operation's body or a response without envelope).
    pub fn object(&mut self, fields: Vec<Field>, ctx: &Ctx) -> Ty {
        self.fresh(
            None,
            TypeBody::Object { fields },
            Origin::Anonymous,
            "",
            ctx,
        )
    }

    fn fresh(
        &mut self,
        name: Option<&str>,
        body: TypeBody,
        origin: Origin,
        description: &str,
        ctx: &Ctx,
    ) -> Ty {
        let index = self.defs.len();
        self.defs.push(TypeDef {
            id: temp_id(index),
            name: name.map(str::to_string),
            body,
            origin,
            description: description.to_string(),
            resource: None,
            same_shape_as: None,
            used_at: vec![ctx.place()],
        });
        Ty::Ref { id: temp_id(index) }
    }

    /// A bare reference: to a known name (checking any expansion printed under it), or to a name
    /// only signatures know (`ResponseInfo`), defined by its first expansion.
    fn named_ref(
        &mut self,
        name: &str,
        children: &[Node<'_>],
        ctx: &Ctx,
        offset: usize,
    ) -> Result<Ty, LowerError> {
        if let Some(&index) = self.named.get(name) {
            let place = ctx.place();
            let def = &mut self.defs[index];
            def.used_at.push(place);
            let id = def.id.clone();
            if !children.is_empty() {
                let object = self.registry.objects.contains_key(name);
                let expansion = self.expansion(name, children, ctx, offset, object)?;
                self.pending.push(Pending {
                    def: index,
                    expansion,
                    offset,
                    ctx: ctx.clone(),
                });
            }
            return Ok(Ty::Ref { id });
        }
        if self.ambiguous.iter().any(|a| a == name) {
            return Err(LowerError {
                offset,
                ctx: ctx.clone(),
                message: format!(
                    "`{name}` names more than one domain type; a reference to it is ambiguous"
                ),
            });
        }
        let body = match self.registry.typedefs.get(name) {
            Some(TExpr::Union { .. } | TExpr::Lit(_)) => self.union_body(children, ctx)?,
            Some(other) => TypeBody::Alias {
                target: self.ty(&other.clone(), &[], ctx, offset)?,
            },
            None => TypeBody::Object {
                fields: self.fields(children, ctx)?,
            },
        };
        let ty = self.fresh(Some(name), body, Origin::Referenced, "", ctx);
        self.named.insert(name.to_string(), self.defs.len() - 1);
        Ok(ty)
    }

    /// Lowers the children printed under a named reference, for comparison only.
    fn expansion(
        &mut self,
        name: &str,
        children: &[Node<'_>],
        ctx: &Ctx,
        offset: usize,
        object: bool,
    ) -> Result<Ty, LowerError> {
        let is_union = matches!(
            self.registry.typedefs.get(name),
            Some(TExpr::Union { .. } | TExpr::Lit(_))
        );
        let body = if is_union {
            self.union_body(children, ctx)?
        } else if object {
            TypeBody::Object {
                fields: self.fields(children, ctx)?,
            }
        } else {
            return Err(LowerError {
                offset,
                ctx: ctx.clone(),
                message: format!(
                    "`{name}` is not an object or union but children are printed under it"
                ),
            });
        };
        Ok(self.fresh(None, body, Origin::Anonymous, "", ctx))
    }

    /// Lowers variant bullets into an enum (all literals) or a union.
    fn union_body(&mut self, children: &[Node<'_>], ctx: &Ctx) -> Result<TypeBody, LowerError> {
        let mut alternatives = Vec::with_capacity(children.len());
        for child in children {
            let alt = match &child.span {
                Span::Variant(VariantSpan::Lit(s)) => Alternative {
                    name: None,
                    ty: Ty::Literal { value: s.clone() },
                },
                Span::Variant(VariantSpan::String) => Alternative {
                    name: None,
                    ty: Ty::String,
                },
                Span::Variant(VariantSpan::True) => Alternative {
                    name: None,
                    ty: Ty::True,
                },
                Span::NamedObj { name, .. } => {
                    let alt_ctx = ctx.child(name);
                    let ty = if self.named.contains_key(name) {
                        self.named_ref(name, &child.children, &alt_ctx, child.bullet.offset)?
                    } else {
                        let fields = self.fields(&child.children, &alt_ctx)?;
                        let description = child.bullet.description.to_string();
                        self.fresh(
                            Some(name),
                            TypeBody::Object { fields },
                            Origin::Variant,
                            &description,
                            &alt_ctx,
                        )
                    };
                    Alternative {
                        name: Some(name.clone()),
                        ty,
                    }
                }
                _ => {
                    return Err(LowerError {
                        offset: child.bullet.offset,
                        ctx: ctx.clone(),
                        message: format!("`{}` cannot be a union alternative", child.bullet.span),
                    });
                }
            };
            alternatives.push(alt);
        }
        let literals: Option<Vec<String>> = alternatives
            .iter()
            .map(|a| match &a.ty {
                Ty::Literal { value } => Some(value.clone()),
                _ => None,
            })
            .collect();
        Ok(match literals {
            Some(values) => TypeBody::Enum {
                values,
                open: false,
            },
            None => TypeBody::Union {
                alternatives,
                discrimination: super::Discrimination::Ordered,
            },
        })
    }
}

/// The result of canonicalization.
pub struct Canonical {
    /// Domain types, in declaration order.
    pub types: Vec<TypeDef>,
    /// Surviving other definitions.
    pub shapes: Vec<TypeDef>,
    /// Maps every temporary or domain id to its surviving id.
    pub rename: HashMap<String, String>,
    /// Expansions that disagree with their definition.
    pub mismatches: Vec<LowerError>,
}

impl Lowerer<'_> {
    /// Merges structurally identical definitions and assigns final ids.
    pub fn canonicalize(self) -> Canonical {
        let n = self.defs.len();
        let index_of: HashMap<&str, usize> = self
            .defs
            .iter()
            .enumerate()
            .map(|(i, d)| (d.id.as_str(), i))
            .collect();
        let mut numbers = Numbering {
            defs: &self.defs,
            index_of: &index_of,
            full: vec![None; n],
            structural: vec![None; n],
            table: HashMap::new(),
            in_progress: vec![false; n],
        };
        for i in 0..n {
            numbers.full(i);
        }
        let full: Vec<usize> = numbers
            .full
            .iter()
            .map(|x| x.unwrap_or(usize::MAX))
            .collect();
        let structural: Vec<usize> = numbers
            .structural
            .iter()
            .map(|x| x.unwrap_or(usize::MAX))
            .collect();

        let mismatches: Vec<LowerError> = self
            .pending
            .iter()
            .filter_map(|p| {
                let Ty::Ref { id } = &p.expansion else {
                    return None;
                };
                let got = index_of.get(id.as_str()).map(|&i| structural[i]);
                (got != Some(structural[p.def])).then(|| LowerError {
                    offset: p.offset,
                    ctx: p.ctx.clone(),
                    message: format!(
                        "the expansion printed here differs from the definition of `{}`",
                        self.defs[p.def].name.clone().unwrap_or_default()
                    ),
                })
            })
            .collect();

        // The representative of each number: the first domain type, else the first definition.
        let mut rep_of_number: HashMap<usize, usize> = HashMap::new();
        for (i, def) in self.defs.iter().enumerate() {
            let entry = rep_of_number.entry(full[i]).or_insert(i);
            let current = &self.defs[*entry];
            if current.origin != Origin::Domain && def.origin == Origin::Domain {
                *entry = i;
            }
        }
        let rep: Vec<usize> = (0..n).map(|i| rep_of_number[&full[i]]).collect();

        // Final ids: domain ids stay; named shapes take their name when free; anonymous get `~k`.
        let mut final_id: Vec<String> = self.defs.iter().map(|d| d.id.clone()).collect();
        let mut taken: std::collections::HashSet<String> = self
            .defs
            .iter()
            .filter(|d| d.origin == Origin::Domain)
            .map(|d| d.id.clone())
            .collect();
        let mut anonymous = 0;
        for i in 0..n {
            let def = &self.defs[i];
            if def.origin == Origin::Domain || rep[i] != i {
                continue;
            }
            final_id[i] = match &def.name {
                Some(name) => {
                    let mut candidate = name.clone();
                    let mut k = 2;
                    while taken.contains(&candidate) {
                        candidate = format!("{name}~{k}");
                        k += 1;
                    }
                    candidate
                }
                None => {
                    anonymous += 1;
                    format!("~{anonymous}")
                }
            };
            taken.insert(final_id[i].clone());
        }
        let rename: HashMap<String, String> = (0..n)
            .map(|i| (self.defs[i].id.clone(), final_id[rep[i]].clone()))
            .collect();
        let mismatches: Vec<LowerError> = mismatches;

        drop(index_of);
        let mut merged: Vec<TypeDef> = self.defs;
        let index_of: HashMap<String, usize> = merged
            .iter()
            .enumerate()
            .map(|(i, d)| (d.id.clone(), i))
            .collect();
        // An expansion that matches its definition may still know more (the page's constraints).
        for p in &self.pending {
            if let Ty::Ref { id } = &p.expansion {
                if let Some(&j) = index_of.get(id) {
                    if has_constraints(&merged[j].body) {
                        let body = merged[j].body.clone();
                        merge_constraints(&mut merged[p.def].body, &body);
                    }
                }
            }
        }
        for i in 0..n {
            let r = rep[i];
            if r == i {
                continue;
            }
            let used = std::mem::take(&mut merged[i].used_at);
            let description = std::mem::take(&mut merged[i].description);
            let body = std::mem::replace(
                &mut merged[i].body,
                TypeBody::Enum {
                    values: Vec::new(),
                    open: false,
                },
            );
            let target = &mut merged[r];
            target.used_at.extend(used);
            merge_constraints(&mut target.body, &body);
            if target.description.is_empty() && !description.is_empty() {
                target.description = description;
            }
            merged[i].body = body;
        }
        let mut types = Vec::new();
        let mut shapes = Vec::new();
        for (i, mut def) in merged.into_iter().enumerate() {
            rename_body(&mut def.body, &rename);
            def.used_at.sort();
            def.used_at.dedup();
            if def.origin == Origin::Domain {
                if rep[i] != i {
                    def.same_shape_as = Some(final_id[rep[i]].clone());
                }
                types.push(def);
            } else if rep[i] == i {
                def.id = final_id[i].clone();
                shapes.push(def);
            }
        }
        Canonical {
            types,
            shapes,
            rename,
            mismatches,
        }
    }
}

/// Hash-consing state: numbers per definition, computed bottom-up.
struct Numbering<'a> {
    defs: &'a [TypeDef],
    index_of: &'a HashMap<&'a str, usize>,
    full: Vec<Option<usize>>,
    structural: Vec<Option<usize>>,
    table: HashMap<String, usize>,
    in_progress: Vec<bool>,
}

impl Numbering<'_> {
    fn intern(&mut self, key: String) -> usize {
        let next = self.table.len();
        *self.table.entry(key).or_insert(next)
    }

    /// The number including the definition's own name (for named alternatives and references).
    fn full(&mut self, i: usize) -> usize {
        if let Some(x) = self.full[i] {
            return x;
        }
        let structural = self.structural(i);
        let def = &self.defs[i];
        let key = match (&def.origin, &def.name) {
            (Origin::Variant | Origin::Referenced, Some(name)) => format!("N{name}:{structural}"),
            _ => format!("S{structural}"),
        };
        let x = self.intern(key);
        self.full[i] = Some(x);
        x
    }

    /// The number of the body alone.
    fn structural(&mut self, i: usize) -> usize {
        if let Some(x) = self.structural[i] {
            return x;
        }
        if self.in_progress[i] {
            // A definition that contains itself: identify it by id, which ends the recursion.
            return self.intern(format!("cycle:{}", self.defs[i].id));
        }
        self.in_progress[i] = true;
        let mut key = String::new();
        let body = &self.defs[i].body;
        match body {
            TypeBody::Object { fields } => {
                key.push_str("O{");
                for f in fields {
                    key.push_str(&f.name);
                    key.push(if f.required { '!' } else { '?' });
                    self.ty_key(&f.ty, &mut key);
                    key.push(',');
                }
                key.push('}');
            }
            TypeBody::Enum { values, .. } => {
                key.push_str("E[");
                for v in values {
                    let _ = write!(key, "{v:?},");
                }
                key.push(']');
            }
            TypeBody::Alias { target } => {
                key.push_str("A(");
                self.ty_key(target, &mut key);
                key.push(')');
            }
            TypeBody::Union { alternatives, .. } => {
                key.push_str("U[");
                for a in alternatives {
                    key.push_str(a.name.as_deref().unwrap_or(""));
                    key.push(':');
                    self.ty_key(&a.ty, &mut key);
                    key.push(',');
                }
                key.push(']');
            }
        }
        self.in_progress[i] = false;
        let x = self.intern(key);
        self.structural[i] = Some(x);
        x
    }

    fn ty_key(&mut self, ty: &Ty, out: &mut String) {
        match ty {
            Ty::String => out.push('s'),
            Ty::Number => out.push('n'),
            Ty::Integer => out.push('i'),
            Ty::Float => out.push('f'),
            Ty::Boolean => out.push('b'),
            Ty::Unknown => out.push('u'),
            Ty::True => out.push('t'),
            Ty::Literal { value } => {
                let _ = write!(out, "l{value:?}");
            }
            Ty::Map { values } => {
                out.push_str("m(");
                self.ty_key(values, out);
                out.push(')');
            }
            Ty::Array { items } => {
                out.push('[');
                self.ty_key(items, out);
                out.push(']');
            }
            Ty::Ref { id } => match self.index_of.get(id.as_str()) {
                Some(&j) => {
                    let x = self.full(j);
                    let _ = write!(out, "@{x}");
                }
                None => {
                    let _ = write!(out, "?{id}");
                }
            },
        }
    }
}

fn has_constraints(body: &TypeBody) -> bool {
    matches!(body, TypeBody::Object { fields } if fields.iter().any(|f| !f.constraints.is_empty()))
}

fn merge_constraints(target: &mut TypeBody, other: &TypeBody) {
    if let (TypeBody::Object { fields: a }, TypeBody::Object { fields: b }) = (target, other) {
        for (fa, fb) in a.iter_mut().zip(b) {
            for c in &fb.constraints {
                if !fa.constraints.contains(c) {
                    fa.constraints.push(c.clone());
                }
            }
            if fa.description.is_empty() && !fb.description.is_empty() {
                fa.description = fb.description.clone();
            }
        }
    }
}

/// Rewrites every reference in a type through `rename`.
pub fn rename_ty(ty: &mut Ty, rename: &HashMap<String, String>) {
    match ty {
        Ty::Ref { id } => {
            if let Some(new) = rename.get(id) {
                *id = new.clone();
            }
        }
        Ty::Array { items } => rename_ty(items, rename),
        Ty::Map { values } => rename_ty(values, rename),
        _ => {}
    }
}

/// Rewrites every reference in a definition body through `rename`.
pub fn rename_body(body: &mut TypeBody, rename: &HashMap<String, String>) {
    match body {
        TypeBody::Object { fields } => fields.iter_mut().for_each(|f| rename_ty(&mut f.ty, rename)),
        TypeBody::Alias { target } => rename_ty(target, rename),
        TypeBody::Union { alternatives, .. } => alternatives
            .iter_mut()
            .for_each(|a| rename_ty(&mut a.ty, rename)),
        TypeBody::Enum { .. } => {}
    }
}
