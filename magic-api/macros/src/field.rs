//! A `#[wire]` struct's fields as the impls need them: each field's wire name, whether it must be
//! present, how its value is read, and its builder preset.

use std::collections::BTreeMap;
use std::collections::btree_map::Entry;

use syn::ext::IdentExt;
use syn::{Attribute, Field, FieldsNamed, Ident, Type};

use crate::attrs::{Attrs, Site};
use crate::errors::Errors;
use crate::types::{generic_arg, is_named, mentions};

/// One field of a `#[wire]` struct.
pub(crate) struct WireField {
    pub(crate) ident: Ident,
    /// The name on the wire.
    pub(crate) wire: String,
    pub(crate) presence: Presence,
    /// The field's declared type.
    pub(crate) ty: Type,
    /// The value's type, inside any `Option`/`Nullable`.
    pub(crate) value_ty: Type,
    /// How the value is read.
    pub(crate) decode: Decode,
    /// `#[wire(preset = "…")]`: the one value a required field can take, set from the start by
    /// the builder (which then does not track the field).
    pub(crate) preset: Option<String>,
    /// The field's doc attributes, repeated on its builder setter.
    pub(crate) docs: Vec<Attribute>,
}

#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Presence {
    /// `T`: must be present.
    Required,
    /// `Option<T>`: absent or `null` is `None` (a `null` is remembered in `extra`).
    Optional,
    /// `Option<Nullable<T>>`: absent, `null` and a value are three states.
    Nullable,
}

impl WireField {
    /// Reads `field`, removing the attributes only the macro reads. `builder`: whether the
    /// struct gets a builder, which a preset needs.
    fn read(field: &mut Field, builder: bool) -> syn::Result<Self> {
        let Some(ident) = field.ident.clone() else {
            return Err(syn::Error::new_spanned(
                &*field,
                "`wire` needs a struct with named fields",
            ));
        };
        let attrs = Attrs::take(&mut field.attrs, Site::Field)?;
        let (presence, value_ty) = presence(&field.ty);
        let Some(decode) = Decode::of(&value_ty) else {
            return Err(syn::Error::new_spanned(
                &field.ty,
                format!("field `{ident}`: integers nest at most in one `Vec`"),
            ));
        };
        if let Some(preset) = &attrs.preset {
            if presence != Presence::Required {
                return Err(syn::Error::new_spanned(
                    preset,
                    "`preset` goes on a required field (an `Option` field starts unset)",
                ));
            }
            if !builder {
                return Err(syn::Error::new_spanned(
                    preset,
                    "`preset` is where a builder starts: the struct needs `#[wire(builder)]`",
                ));
            }
        }
        Ok(WireField {
            wire: match &attrs.rename {
                Some(rename) => rename.value(),
                None => ident.unraw().to_string(),
            },
            ident,
            presence,
            ty: field.ty.clone(),
            value_ty,
            decode,
            preset: attrs.preset.as_ref().map(syn::LitStr::value),
            docs: field
                .attrs
                .iter()
                .filter(|a| a.path().is_ident("doc"))
                .cloned()
                .collect(),
        })
    }
}

/// Reads every field of the struct (reporting every bad one, and every wire name two fields
/// share, since the second could never be decoded).
pub(crate) fn read_all(named: &mut FieldsNamed, builder: bool) -> syn::Result<Vec<WireField>> {
    let mut errors = Errors::default();
    let mut fields = Vec::new();
    for field in named.named.iter_mut() {
        fields.extend(errors.keep(WireField::read(field, builder)));
    }
    let mut owners: BTreeMap<&str, &Ident> = BTreeMap::new();
    for f in &fields {
        match owners.entry(&f.wire) {
            Entry::Vacant(slot) => {
                slot.insert(&f.ident);
            }
            Entry::Occupied(first) => errors.push(syn::Error::new_spanned(
                &f.ident,
                format!(
                    "field `{}` has the wire name `{}`, as field `{}` does",
                    f.ident,
                    f.wire,
                    first.get()
                ),
            )),
        }
    }
    errors.finish()?;
    Ok(fields)
}

/// Whether a field must be present, and the type of its value.
fn presence(ty: &Type) -> (Presence, Type) {
    match generic_arg(ty, "Option") {
        Some(inner) => match generic_arg(inner, "Nullable") {
            Some(value) => (Presence::Nullable, value.clone()),
            None => (Presence::Optional, inner.clone()),
        },
        None => (Presence::Required, ty.clone()),
    }
}

/// How a value is read: by its own `Deserialize`, or leniently as a whole number.
pub(crate) enum Decode {
    /// By the value type's own `Deserialize`.
    Plain,
    /// `i64`, through `wire::Int`.
    Int,
    /// `Vec<i64>`, through `wire::IntList`.
    IntList,
}

impl Decode {
    /// How a value of type `ty` is read; `None` for integers nested deeper than one `Vec` (the
    /// emitter never writes them, and reading them strictly would break the integer policy
    /// silently).
    pub(crate) fn of(ty: &Type) -> Option<Decode> {
        if is_named(ty, "i64") {
            return Some(Decode::Int);
        }
        if generic_arg(ty, "Vec").is_some_and(|item| is_named(item, "i64")) {
            return Some(Decode::IntList);
        }
        if mentions(ty, &|word| word == "i64") {
            return None;
        }
        Some(Decode::Plain)
    }
}
