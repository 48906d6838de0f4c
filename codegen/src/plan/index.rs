//! The IR indexed for planning: definitions by id, which definitions callers build, which
//! object an alternative's tag field belongs to, and which fields hold typed ids. Computed once;
//! the plan's builders read it, the printers never do.

use std::collections::{BTreeSet, HashMap};

use super::RustTy;
use super::names::{
    IdTypes, Names, body_roots, id_fields, id_named, id_types, reachable_from, ref_id,
};
use crate::ir::{Defs, Discrimination, Ir, Param, Ty, TypeBody, TypeDef};

/// Everything the plan's builders look up in the IR.
pub struct Index<'a> {
    /// The IR.
    pub ir: &'a Ir,
    /// Decided names.
    pub names: &'a Names,
    /// Definitions by id.
    pub defs: Defs<'a>,
    /// The typed identifiers, by path parameter name.
    pub ids: IdTypes,
    /// Alternatives of tagged unions: definition id -> the tag field the union owns.
    tag_fields: HashMap<&'a str, &'a str>,
    /// Definitions reachable from a request body.
    requests: BTreeSet<&'a str>,
    /// `(definition id, field)` -> the typed id the field holds.
    id_fields: HashMap<(String, String), String>,
}

impl<'a> Index<'a> {
    /// Indexes the IR.
    pub fn new(ir: &'a Ir, names: &'a Names) -> Self {
        let defs = ir.defs();
        let mut tag_fields = HashMap::new();
        for def in defs.values() {
            if let TypeBody::Union {
                alternatives,
                discrimination: Discrimination::Tag { field, .. },
            } = &def.body
            {
                for a in alternatives {
                    if let Some(id) = ref_id(&a.ty) {
                        tag_fields.insert(id, field.as_str());
                    }
                }
            }
        }
        let requests = reachable_from(body_roots(ir), &defs);
        let ids = id_types(ir);
        let id_fields = id_fields(ir, &defs, &ids);
        Index {
            ir,
            names,
            defs,
            ids,
            tag_fields,
            requests,
            id_fields,
        }
    }

    /// A definition by id.
    pub fn def(&self, id: &str) -> Option<&'a TypeDef> {
        self.defs.get(id)
    }

    /// The tag field a tagged union's alternative leaves to the union, if `id` is one.
    pub fn tag_field(&self, id: &str) -> Option<&'a str> {
        self.tag_fields.get(id).copied()
    }

    /// The typed id a field of a definition holds (`SiteId` for a site's `id` or a `site_id`).
    pub fn id_of_field(&self, def: &str, field: &str) -> Option<&str> {
        self.id_fields
            .get(&(def.to_string(), field.to_string()))
            .map(String::as_str)
    }

    /// Whether a definition is reachable from a request body (callers construct it).
    pub fn is_request(&self, id: &str) -> bool {
        self.requests.contains(id)
    }

    /// The Rust name of a definition.
    pub fn name<'s>(&'s self, id: &'s str) -> &'s str {
        self.names.of(id)
    }

    /// The type a parameter is taken as: the identifier type of a string parameter named like
    /// an id parameter (`connectorid` is a `ConnectorId`), else its own.
    pub fn param_ty(&self, p: &Param) -> RustTy {
        match (&p.field.ty, id_named(&self.ids, &p.field.name)) {
            (Ty::String, Some(id)) => RustTy::Id(id.to_string()),
            _ => self.rust_ty(&p.field.ty),
        }
    }

    /// The Rust type of an IR type.
    pub fn rust_ty(&self, ty: &Ty) -> RustTy {
        match ty {
            Ty::String | Ty::Literal { .. } => RustTy::String,
            Ty::Integer => RustTy::I64,
            Ty::Number => RustTy::Number,
            Ty::Boolean | Ty::True => RustTy::Bool,
            Ty::Unknown => RustTy::Value,
            Ty::Map { values } => RustTy::Map(Box::new(self.rust_ty(values))),
            Ty::Array { items } => RustTy::Vec(Box::new(self.rust_ty(items))),
            Ty::Ref { id } => RustTy::Data(self.name(id).to_string()),
        }
    }
}
