//! The data types' plan: per definition its Rust name, documentation and shape, decided once.
//!
//! - Objects become structs whose fields each know their wire name, identifier, Rust type
//!   (typed id, `Option`, `Nullable` included), documentation and builder preset. Literal tag
//!   fields of tagged alternatives are left to the union. Types reachable from a request body
//!   get a builder; types callers only receive are `#[non_exhaustive]` (see README, "What is
//!   additive by construction").
//! - String-literal sets become enums whose literals each have an identifier.
//! - Unions are the `unions` module's job.

use std::collections::BTreeMap;

use super::fields::{FieldPlan, describe, field_plans, literal_idents};
use super::{Index, RustTy, UnionPlan, unions};
use crate::ir::{Field, TypeBody, TypeDef};

/// One item of the data-types file.
#[derive(Debug, Clone)]
pub struct ItemPlan {
    /// Its Rust name.
    pub rust: String,
    /// The reference's name, when it has one.
    pub reference: Option<String>,
    /// Its documentation.
    pub doc: String,
    /// The reference's own prose for it (what the snapshot hashes), if it is a definition.
    pub prose: Option<String>,
    /// A rough size in output lines, to split rendering evenly between threads.
    pub weight: usize,
    /// What it is.
    pub shape: Shape,
    /// The traits the crate implements for it (derived or written by the macros), sorted;
    /// none for an alias, which is its target.
    pub traits: Vec<&'static str>,
}

/// What an item is.
#[derive(Debug, Clone)]
pub enum Shape {
    /// A struct.
    Struct(StructPlan),
    /// A string enum that keeps unknown values.
    Enum(EnumPlan),
    /// A union of forms.
    Union(UnionPlan),
    /// `pub type Name = T;`: a definition that is another type.
    Alias(RustTy),
    /// `pub type Name = Target;`: the reference's other name for a generated type.
    ReferenceName(String),
    /// `#[deprecated] pub type Old = Target;`: the name the crate gave a type before the
    /// reference renamed it (`[kept_names]`).
    KeptName(String),
}

/// A struct.
#[derive(Debug, Clone)]
pub struct StructPlan {
    /// Its fields, in the reference's order (tag fields a union owns left out).
    pub fields: Vec<FieldPlan>,
    /// Callers build it: it gets a builder and no `#[non_exhaustive]`.
    pub builder: bool,
    /// Fields can be added without breaking callers.
    pub non_exhaustive: bool,
    /// It implements `Default`: only a type callers build whose every field is optional (see
    /// [`derives_default`]).
    pub default: bool,
    /// The fields its builder's `build()` needs set (required, without a preset), in order.
    pub builder_required: Vec<String>,
}

/// Whether a struct derives `Default`: a type callers build (it has a builder) whose fields are
/// all optional. A type the API only sends never does, even when every field is optional: its
/// first required field would otherwise remove the trait, which breaks code that builds it with
/// `Default` and field assignment while the change itself is additive (a new field of a
/// `#[non_exhaustive]` struct). Such values are built from JSON (`serde_json::from_value`). A
/// type callers build loses `Default` only with a change that is breaking anyway (a new or newly
/// required field of an exhaustive struct), and the report says so.
pub fn derives_default(builder: bool, fields: &[FieldPlan]) -> bool {
    builder && fields.iter().all(|f| !f.required)
}

/// What every struct implements (the `#[wire]` macro's derives and serde impls).
const STRUCT_TRAITS: [&str; 5] = ["Clone", "Debug", "Deserialize", "PartialEq", "Serialize"];
/// What every string enum implements (`#[wire_enum]`).
const ENUM_TRAITS: [&str; 12] = [
    "Clone",
    "Debug",
    "Deserialize",
    "Display",
    "Eq",
    "From<&str>",
    "From<String>",
    "Hash",
    "Ord",
    "PartialEq",
    "PartialOrd",
    "Serialize",
];
/// What every union implements (derived, or written for tagged ones).
const UNION_TRAITS: [&str; 5] = ["Clone", "Debug", "Deserialize", "PartialEq", "Serialize"];

/// The traits of an item of this shape.
fn traits(shape: &Shape) -> Vec<&'static str> {
    let mut out = match shape {
        Shape::Struct(s) if s.default => {
            let mut t = STRUCT_TRAITS.to_vec();
            t.push("Default");
            t
        }
        Shape::Struct(_) => STRUCT_TRAITS.to_vec(),
        Shape::Enum(_) => ENUM_TRAITS.to_vec(),
        Shape::Union(_) => UNION_TRAITS.to_vec(),
        Shape::Alias(_) | Shape::ReferenceName(_) | Shape::KeptName(_) => Vec::new(),
    };
    out.sort_unstable();
    out
}

/// A string enum.
#[derive(Debug, Clone)]
pub struct EnumPlan {
    /// The named values.
    pub literals: Vec<LiteralPlan>,
    /// The reference types the value as any string; these are the values it names.
    pub open: bool,
}

/// One value of a string enum.
#[derive(Debug, Clone)]
pub struct LiteralPlan {
    /// Its wire spelling.
    pub wire: String,
    /// Its variant identifier.
    pub ident: String,
}

/// Every item the types file holds, sorted by Rust name.
pub(super) fn items(ix: &Index<'_>) -> Vec<ItemPlan> {
    let mut out: BTreeMap<String, ItemPlan> = BTreeMap::new();
    for (id, name) in &ix.names.types {
        if let Some(def) = ix.def(id) {
            out.insert(name.clone(), definition(ix, def, name));
        }
    }
    for (alias, target) in &ix.names.aliases {
        let target = ix.name(target).to_string();
        let item = ItemPlan {
            rust: alias.clone(),
            reference: Some(alias.clone()),
            doc: format!("The reference's name for [`{target}`]."),
            prose: None,
            weight: 2,
            shape: Shape::ReferenceName(target),
            traits: Vec::new(),
        };
        out.insert(alias.clone(), item);
    }
    out.into_values().collect()
}

fn definition(ix: &Index<'_>, def: &TypeDef, name: &str) -> ItemPlan {
    let (shape, weight) = match &def.body {
        TypeBody::Object { fields } => {
            (Shape::Struct(object(ix, def, fields)), 4 + 2 * fields.len())
        }
        TypeBody::Enum { values, open } => (
            Shape::Enum(EnumPlan {
                literals: literal_idents(values)
                    .into_iter()
                    .zip(values)
                    .map(|(ident, wire)| LiteralPlan {
                        wire: wire.clone(),
                        ident,
                    })
                    .collect(),
                open: *open,
            }),
            40 + 4 * values.len(),
        ),
        TypeBody::Union {
            alternatives,
            discrimination,
        } => (
            Shape::Union(unions::union(ix, name, alternatives, discrimination)),
            20 + 6 * alternatives.len(),
        ),
        TypeBody::Alias { target } => (Shape::Alias(ix.rust_ty(target)), 2),
    };
    ItemPlan {
        rust: name.to_string(),
        reference: def.name.clone(),
        doc: describe(ix, def),
        prose: Some(def.description.clone()),
        weight,
        traits: traits(&shape),
        shape,
    }
}

fn object(ix: &Index<'_>, def: &TypeDef, fields: &[Field]) -> StructPlan {
    let builder = ix.is_request(&def.id);
    let fields = field_plans(ix, def, fields);
    StructPlan {
        default: derives_default(builder, &fields),
        builder_required: if builder {
            fields
                .iter()
                .filter(|f| f.required && f.preset.is_none())
                .map(|f| f.ident.clone())
                .collect()
        } else {
            Vec::new()
        },
        fields,
        builder,
        // Types callers only receive can gain fields without breaking anyone (see README,
        // "What is additive by construction"); types callers build keep struct literals.
        non_exhaustive: !builder,
    }
}
