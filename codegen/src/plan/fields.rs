//! Fields and prose shared by structs and unions: each object's fields as its struct holds
//! them (identifier, Rust type, typed id, doc, preset), a definition's documentation, and enum
//! literal identifiers. Decided here once, so a union's readers name a field exactly as the
//! struct does.

use std::collections::BTreeSet;

use super::names::{article, camel, field_names, phrase, ref_id};
use super::{Index, RustTy};
use crate::ir::{Field, Ty, TypeBody, TypeDef};

/// One struct field.
#[derive(Debug, Clone)]
pub struct FieldPlan {
    /// The wire name.
    pub wire: String,
    /// The Rust identifier (`kind` for `type`).
    pub ident: String,
    /// Its whole Rust type (`Option<…>` for an optional field).
    pub ty: RustTy,
    /// Whether the field must be present.
    pub required: bool,
    /// Whether `null` means something of its own (`Nullable`).
    pub nullable: bool,
    /// The typed id it holds, if any.
    pub typed_id: Option<String>,
    /// Its documentation.
    pub doc: String,
    /// The reference's own prose (what the snapshot hashes).
    pub prose: String,
    /// The one value a required literal field of a request type starts out with.
    pub preset: Option<String>,
}

/// A definition's documentation: its prose; for a tagged alternative without prose, its tag
/// field's; else a sentence from where it is used.
pub(super) fn describe(ix: &Index<'_>, def: &TypeDef) -> String {
    if !def.description.is_empty() {
        return def.description.clone();
    }
    // A tagged alternative is described by its tag field (`k: "Init"` "Initialized process").
    if let (Some(tag), TypeBody::Object { fields }) = (ix.tag_field(&def.id), &def.body) {
        if let Some(f) = fields
            .iter()
            .find(|f| f.name == tag && !f.description.is_empty())
        {
            // Name the form first: the tag field's prose may describe every form at once.
            return match &f.ty {
                Ty::Literal { value } => {
                    format!("The `{tag}: \"{value}\"` form. {}", f.description)
                }
                _ => f.description.clone(),
            };
        }
    }
    ix.names.fallback_doc(&def.id)
}

/// The fields of an object as its struct holds them: the tag field a union owns left out.
pub(super) fn kept_fields<'f>(ix: &Index<'_>, def_id: &str, fields: &'f [Field]) -> Vec<&'f Field> {
    let skip = ix.tag_field(def_id);
    fields
        .iter()
        .filter(|f| Some(f.name.as_str()) != skip)
        .collect()
}

/// The fields of an object, planned: identifiers decided over all kept fields at once.
pub(super) fn field_plans(ix: &Index<'_>, def: &TypeDef, fields: &[Field]) -> Vec<FieldPlan> {
    let kept = kept_fields(ix, &def.id, fields);
    let wire: Vec<&str> = kept.iter().map(|f| f.name.as_str()).collect();
    let idents = field_names(&wire);
    let owner = ix.name(&def.id);
    kept.iter()
        .zip(idents)
        .map(|(f, ident)| {
            let typed_id = ix.id_of_field(&def.id, &f.name).map(str::to_string);
            let inner = match &typed_id {
                Some(id) => RustTy::Id(id.clone()),
                None => ix.rust_ty(&f.ty),
            };
            let inner = if f.secret {
                RustTy::Secret(Box::new(inner))
            } else {
                inner
            };
            let ty = match (f.required, f.nullable) {
                (true, _) => inner,
                (false, true) => RustTy::Option(Box::new(RustTy::Nullable(Box::new(inner)))),
                (false, false) => RustTy::Option(Box::new(inner)),
            };
            // A required field with one possible value starts out set in the request builder.
            let preset = match (f.required, &f.ty) {
                (true, Ty::Literal { value }) if ix.is_request(&def.id) => Some(value.clone()),
                _ => None,
            };
            FieldPlan {
                wire: f.name.clone(),
                ident,
                ty,
                required: f.required,
                nullable: f.nullable,
                doc: field_doc(ix, owner, f, typed_id.as_deref()),
                typed_id,
                prose: f.description.clone(),
                preset,
            }
        })
        .collect()
}

/// A field's documentation: the reference's prose; for a field it leaves undescribed, a sentence
/// built from its context (its name in words, the type it belongs to, and its own type where
/// that is named), never the bare name.
fn field_doc(ix: &Index<'_>, owner: &str, f: &Field, typed_id: Option<&str>) -> String {
    let mut text = if f.description.is_empty() {
        let words = capitalized(&phrase(&f.name));
        let each = if matches!(f.ty, Ty::Array { .. }) {
            "each "
        } else {
            ""
        };
        let a = |name: &str, link: &str| format!(", {each}{} [`{name}`]{link}", article(name));
        let kind = match (typed_id, ref_id(&f.ty)) {
            // Id types live at the crate root, data types beside this one.
            (Some(id), _) => a(id, &format!("(crate::{id})")),
            (None, Some(id)) => a(ix.name(id), ""),
            (None, None) if matches!(f.ty, Ty::Boolean | Ty::True) => " (a flag)".to_owned(),
            (None, None) => String::new(),
        };
        format!("{words} of this [`{owner}`]{kind}.")
    } else {
        f.description.clone()
    };
    for c in &f.constraints {
        text.push_str(&format!(" Constraint: `{}` {}.", c.keyword, c.value));
    }
    if f.secret {
        text.push_str(
            " A secret: it prints as `Secret(<redacted>)` wherever the crate prints; \
             `.expose()` reads it.",
        );
    }
    text
}

/// `text` with its first letter in capitals ("CF speaker IP", "Tcp established").
fn capitalized(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// Variant identifiers for enum literals: `UpperCamel`, made unique and legal.
pub(super) fn literal_idents(values: &[String]) -> Vec<String> {
    let mut seen = BTreeSet::new();
    values
        .iter()
        .map(|v| {
            let mut base = camel(v);
            if base.is_empty() {
                base = "Empty".into();
            }
            if base.starts_with(|c: char| c.is_ascii_digit()) {
                base = format!("V{base}");
            }
            if base == "Other" {
                base = "OtherValue".into();
            }
            let mut candidate = base.clone();
            let mut n = 2;
            while !seen.insert(candidate.clone()) {
                candidate = format!("{base}{n}");
                n += 1;
            }
            candidate
        })
        .collect()
}
