//! An index of the IR's definitions by id, with the lookups every consumer needs (following
//! aliases, an object's fields, a type's JSON kind).

use std::collections::HashMap;

use crate::{Field, Ty, TypeBody, TypeDef};

/// Looks definitions up by id.
///
/// Built once per use site from [`Ir::defs`](crate::Ir::defs) (or from the lists while the IR is being built);
/// its map is private so that every lookup goes through a method that says what it finds.
pub struct Defs<'a>(HashMap<&'a str, &'a TypeDef>);

impl<'a> Defs<'a> {
    /// Indexes definitions by id.
    pub fn new(all: impl Iterator<Item = &'a TypeDef>) -> Self {
        Defs(all.map(|d| (d.id.as_str(), d)).collect())
    }

    /// The definition with this id.
    pub fn get(&self, id: &str) -> Option<&'a TypeDef> {
        self.0.get(id).copied()
    }

    /// Every definition, in no particular order.
    pub fn values(&self) -> impl Iterator<Item = &'a TypeDef> + '_ {
        self.0.values().copied()
    }

    /// The body behind a type, following aliases.
    pub fn body(&self, ty: &Ty) -> Option<&'a TypeBody> {
        match ty {
            Ty::Ref { id } => {
                let def = self.0.get(id.as_str())?;
                match &def.body {
                    TypeBody::Alias { target } => self.body(target),
                    body => Some(body),
                }
            }
            _ => None,
        }
    }

    /// The fields of an object type.
    pub fn object_fields(&self, ty: &Ty) -> Option<&'a [Field]> {
        match self.body(ty)? {
            TypeBody::Object { fields } => Some(fields),
            _ => None,
        }
    }

    /// `string`, `number`, `boolean`, `object`, `array`, or `None` when a value of `ty` could
    /// take more than one kind.
    pub fn json_kind(&self, ty: &Ty) -> Option<&'static str> {
        match ty {
            Ty::String | Ty::Literal { .. } => Some("string"),
            Ty::Number | Ty::Integer => Some("number"),
            Ty::Boolean | Ty::True => Some("boolean"),
            Ty::Map { .. } => Some("object"),
            Ty::Array { .. } => Some("array"),
            Ty::Unknown => None,
            Ty::Ref { id } => match &self.0.get(id.as_str())?.body {
                TypeBody::Object { .. } => Some("object"),
                TypeBody::Enum { .. } => Some("string"),
                TypeBody::Alias { target } => self.json_kind(target),
                TypeBody::Union { .. } => None,
            },
        }
    }
}
