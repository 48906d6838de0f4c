//! Unions as Rust enums, decoded by the strategy the IR recorded (`spec/FORMAT.md` and the IR's
//! `Discrimination` say which): JSON kind (untagged, each kind one alternative), tag, identifying
//! required field, or best fit. Whatever the strategy, an object no rule recognises, or one the
//! chosen alternative cannot decode, is kept whole in `Unknown`: a union never fails a response.

use std::collections::BTreeSet;

use proc_macro2::{Ident, TokenStream};
use quote::quote;

use super::names::{camel, ref_id, words};
use super::types::{Context, describe, doc, ident, literal_idents};
use crate::ir::{Alternative, Discrimination, Origin, Ty, TypeBody, TypeDef};

/// Variant names for union alternatives: the alternatives' type names with the words they all
/// share at the front and at the back removed (`MagicAccountApp`/`MagicManagedApp` ->
/// `Account`/`Managed`), unless that would leave one empty.
pub(super) fn alternative_idents(cx: &Context<'_>, alternatives: &[Alternative]) -> Vec<Ident> {
    let full: Vec<String> = alternatives
        .iter()
        .map(|a| match (&a.ty, &a.name) {
            (Ty::Ref { id }, _) => cx.names.of(id).to_string(),
            (_, Some(n)) => camel(n),
            (ty, None) => kind_name(ty).to_string(),
        })
        .collect();
    let split: Vec<Vec<String>> = full.iter().map(|n| words(n)).collect();
    let common = |from_back: bool| {
        let mut n = 0;
        loop {
            let word = |w: &Vec<String>| {
                if from_back {
                    w.len().checked_sub(n + 1).and_then(|i| w.get(i)).cloned()
                } else {
                    w.get(n).cloned()
                }
            };
            let first = split.first().and_then(word);
            if first.is_none() || !split.iter().all(|w| word(w) == first) {
                return n;
            }
            n += 1;
        }
    };
    let (front, back) = (common(false), common(true));
    let trimmed: Vec<String> = split
        .iter()
        .map(|w| {
            w.iter()
                .skip(front)
                .take(w.len().saturating_sub(front + back))
                .cloned()
                .collect::<String>()
        })
        .collect();
    let usable = split.len() > 1
        && trimmed.iter().all(|t| !t.is_empty())
        && trimmed.iter().collect::<BTreeSet<_>>().len() == trimmed.len();
    let chosen = if usable { trimmed } else { full };
    chosen.iter().map(|n| ident(&camel(n))).collect()
}

pub(super) fn kind_name(ty: &Ty) -> &'static str {
    match ty {
        Ty::String | Ty::Literal { .. } => "String",
        Ty::Integer | Ty::Number => "Number",
        Ty::Boolean | Ty::True => "Boolean",
        Ty::Array { .. } => "Array",
        Ty::Map { .. } | Ty::Ref { .. } => "Object",
        Ty::Unknown => "Value",
    }
}

pub(super) fn union(
    cx: &Context<'_>,
    def: &TypeDef,
    alternatives: &[Alternative],
    how: &Discrimination,
) -> TokenStream {
    let mut out = union_enum(cx, def, alternatives, how);
    out.extend(from_alternatives(cx, def, alternatives, how));
    out.extend(shared_field_accessors(cx, def, alternatives, how));
    out
}

/// For a union of objects: a reader for each field every alternative has with the same Rust
/// type (`pcap.status()`, `pcap.id()`), `None` when the field is absent or the value is one this
/// version does not know.
fn shared_field_accessors(
    cx: &Context<'_>,
    def: &TypeDef,
    alternatives: &[Alternative],
    how: &Discrimination,
) -> TokenStream {
    if matches!(
        how,
        Discrimination::JsonKind { .. } | Discrimination::Ordered
    ) {
        return TokenStream::new();
    }
    // Per alternative: its definition id and fields (tag fields belong to the union).
    let mut objects = Vec::new();
    for a in alternatives {
        let Some(id) = ref_id(&a.ty).filter(|_| matches!(a.ty, Ty::Ref { .. })) else {
            return TokenStream::new();
        };
        let Some(TypeBody::Object { fields }) = cx.defs.get(id).map(|d| &d.body) else {
            return TokenStream::new();
        };
        let skip = cx.tag_field(id);
        // The struct's own field names: decided over all its fields, as the struct's are.
        let all: Vec<&str> = fields
            .iter()
            .filter(|f| Some(f.name.as_str()) != skip)
            .map(|f| f.name.as_str())
            .collect();
        let idents: std::collections::HashMap<&str, String> = all
            .iter()
            .copied()
            .zip(super::names::field_names(&all))
            .collect();
        let kept: Vec<_> = fields
            .iter()
            .filter(|f| Some(f.name.as_str()) != skip && !f.nullable)
            .collect();
        objects.push((id, kept, idents));
    }
    let Some((first_id, first_fields, first_idents)) = objects.first() else {
        return TokenStream::new();
    };
    let type_of = |def_id: &str, f: &crate::ir::Field| -> String {
        cx.id_of_field(def_id, &f.name).map_or_else(
            || cx.rust_ty(&f.ty).to_string(),
            |i| format!("crate :: {i}"),
        )
    };
    let name = cx.name(&def.id);
    let variants = alternative_idents(cx, alternatives);
    let mut methods = Vec::new();
    let mut seen = std::collections::BTreeSet::new();
    for f in first_fields {
        let ty_text = type_of(first_id, f);
        let everywhere = objects.iter().all(|(id, fields, _)| {
            fields
                .iter()
                .any(|g| g.name == f.name && type_of(id, g) == ty_text)
        });
        // The reader is named like the first alternative's field; `kind()` is the tag's, when
        // there is one, and a name already read is not read twice.
        let Some(rust) = first_idents.get(f.name.as_str()) else {
            continue;
        };
        let taken = rust == "kind" && matches!(how, Discrimination::Tag { .. });
        if !everywhere || taken || !seen.insert(rust.clone()) {
            continue;
        }
        let method = ident(rust);
        let Ok(ty) = syn::parse_str::<syn::Type>(&ty_text) else {
            continue;
        };
        let arms = objects
            .iter()
            .zip(&variants)
            .map(|((_, fields, idents), v)| {
                let required = fields.iter().any(|g| g.name == f.name && g.required);
                let field = ident(idents.get(f.name.as_str()).map_or("", String::as_str));
                if required {
                    quote!(Self::#v(value) => Some(&value.#field),)
                } else {
                    quote!(Self::#v(value) => value.#field.as_ref(),)
                }
            });
        let text = format!(" The `{}` of whichever alternative this is.", f.name);
        methods.push(quote! {
            #[doc = #text]
            pub fn #method(&self) -> Option<&#ty> {
                match self {
                    #(#arms)*
                    Self::Unknown(_) => None,
                }
            }
        });
    }
    if methods.is_empty() {
        return TokenStream::new();
    }
    quote! {
        impl #name {
            #(#methods)*
        }
    }
}

/// `From` each alternative's type (when no other alternative has the same type), so a value
/// becomes the union with `.into()`.
fn from_alternatives(
    cx: &Context<'_>,
    def: &TypeDef,
    alternatives: &[Alternative],
    how: &Discrimination,
) -> TokenStream {
    let name = cx.name(&def.id);
    let variants: Vec<Ident> = match how {
        Discrimination::JsonKind { kinds } => kinds.iter().map(|k| ident(&camel(k))).collect(),
        _ => alternative_idents(cx, alternatives),
    };
    // Two alternatives of one Rust type (an alias of `String` and `string`) would give two
    // conflicting impls: neither gets one.
    let rust: Vec<String> = alternatives
        .iter()
        .map(|a| cx.rust_ty(&a.ty).to_string())
        .collect();
    let mut pairs = Vec::new();
    for ((variant, a), text) in variants.iter().zip(alternatives).zip(&rust) {
        if rust.iter().filter(|other| *other == text).count() > 1 {
            continue;
        }
        let ty = cx.rust_ty(&a.ty);
        pairs.push(quote!(#variant(#ty)));
    }
    if pairs.is_empty() {
        return TokenStream::new();
    }
    quote! {
        ::magic_api::union_from!(#name { #(#pairs),* });
    }
}

/// The enum and its serde impls, by strategy.
fn union_enum(
    cx: &Context<'_>,
    def: &TypeDef,
    alternatives: &[Alternative],
    how: &Discrimination,
) -> TokenStream {
    let name = cx.name(&def.id);
    let d = doc(&describe(def, cx));
    let tys: Vec<TokenStream> = alternatives.iter().map(|a| cx.rust_ty(&a.ty)).collect();
    let alt_docs: Vec<TokenStream> = alternatives
        .iter()
        .map(
            |a| match (&a.ty, cx.defs.get(ref_id(&a.ty).unwrap_or(""))) {
                (_, Some(target)) if !target.description.is_empty() => {
                    format!(" {}", target.description)
                }
                (Ty::Ref { .. }, Some(target)) => format!(" {}", describe(target, cx)),
                (Ty::Ref { id }, None) => format!(" A [`{}`].", cx.names.of(id)),
                (ty, _) => format!(" The {} form.", kind_name(ty).to_ascii_lowercase()),
            },
        )
        .map(|text| doc(&text))
        .collect();
    match how {
        Discrimination::JsonKind { .. } | Discrimination::Ordered => {
            let variants: Vec<Ident> = match how {
                Discrimination::JsonKind { kinds } => {
                    kinds.iter().map(|k| ident(&camel(k))).collect()
                }
                _ => alternative_idents(cx, alternatives),
            };
            quote! {
                #d
                #[derive(Debug, Clone, PartialEq, ::serde::Serialize, ::serde::Deserialize)]
                #[serde(untagged)]
                #[non_exhaustive]
                pub enum #name {
                    #( #alt_docs #variants(#tys), )*
                    /// A value of a form this version of the crate does not know, kept as sent.
                    Other(::serde_json::Value),
                }
            }
        }
        Discrimination::Tag { field, values } => {
            let variants = alternative_idents(cx, alternatives);
            let kind_method = tag_kind_method(cx, field, values, &variants);
            quote! {
                #d
                #[derive(Debug, Clone, PartialEq)]
                #[non_exhaustive]
                pub enum #name {
                    #( #alt_docs #variants(#tys), )*
                    /// A kind this version of the crate does not know, or a known kind whose fields do
                    /// not decode as documented: kept whole (tag included), never an error.
                    Unknown(::magic_api::runtime::wire::Object),
                }
                impl<'de> ::serde::Deserialize<'de> for #name {
                    fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                        let object = ::magic_api::runtime::wire::object(deserializer)?;
                        let tag = object.get(#field).and_then(|v| v.as_str()).map(str::to_owned);
                        Ok(match tag.as_deref() {
                            #( Some(#values) => ::magic_api::runtime::wire::chosen_tagged(object, #field, Self::#variants, Self::Unknown), )*
                            _ => Self::Unknown(object),
                        })
                    }
                }
                impl ::serde::Serialize for #name {
                    fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                        match self {
                            #( Self::#variants(value) => ::magic_api::runtime::wire::serialize_tagged(serializer, #field, #values, value), )*
                            Self::Unknown(object) => ::serde::Serialize::serialize(object, serializer),
                        }
                    }
                }
                #kind_method
            }
        }
        Discrimination::RequiredField { fields } => {
            let variants = alternative_idents(cx, alternatives);
            let decide = quote! {
                #( if object.contains_key(#fields) {
                    return Ok(::magic_api::runtime::wire::chosen(object, Self::#variants, Self::Unknown));
                } )*
                Ok(Self::Unknown(object))
            };
            object_union(
                &name,
                &d,
                &alt_docs,
                &variants,
                &tys,
                "An object no alternative claims, or one the claiming alternative cannot decode: kept as sent, never an error.",
                decide,
            )
        }
        Discrimination::BestFit { .. } => {
            let variants = alternative_idents(cx, alternatives);
            let (required, declared): (Vec<Vec<String>>, Vec<Vec<String>>) = alternatives
                .iter()
                .map(|a| {
                    let fields = ref_id(&a.ty)
                        .and_then(|id| cx.defs.get(id))
                        .and_then(|d| match &d.body {
                            TypeBody::Object { fields } => Some(fields.as_slice()),
                            _ => None,
                        })
                        .unwrap_or(&[]);
                    (
                        fields
                            .iter()
                            .filter(|f| f.required)
                            .map(|f| f.name.clone())
                            .collect(),
                        fields.iter().map(|f| f.name.clone()).collect(),
                    )
                })
                .unzip();
            let indices: Vec<usize> = (0..alternatives.len()).collect();
            let decide = quote! {
                let fits: &[(&[&str], &[&str])] = &[ #( (&[#(#required),*], &[#(#declared),*]) ),* ];
                Ok(match ::magic_api::runtime::wire::best_fit(&object, fits) {
                    #( Some(#indices) => ::magic_api::runtime::wire::chosen(object, Self::#variants, Self::Unknown), )*
                    _ => Self::Unknown(object),
                })
            };
            object_union(
                &name,
                &d,
                &alt_docs,
                &variants,
                &tys,
                "An object no alternative fits, or one the best fit cannot decode: kept as sent, never an error.",
                decide,
            )
        }
    }
}

/// A union decided by looking at a buffered object (`decide` ends with `Ok(Self::…)`): encoded
/// as whichever alternative it holds, and an object no rule recognises is kept in `Unknown`.
pub(super) fn object_union(
    name: &Ident,
    type_doc: &TokenStream,
    alt_docs: &[TokenStream],
    variants: &[Ident],
    tys: &[TokenStream],
    unknown_doc: &str,
    decide: TokenStream,
) -> TokenStream {
    let unknown_doc = doc(unknown_doc);
    quote! {
        #type_doc
        #[derive(Debug, Clone, PartialEq, ::serde::Serialize)]
        #[serde(untagged)]
        #[non_exhaustive]
        pub enum #name {
            #( #alt_docs #variants(#tys), )*
            #unknown_doc
            Unknown(::magic_api::runtime::wire::Object),
        }
        impl<'de> ::serde::Deserialize<'de> for #name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let object = ::magic_api::runtime::wire::object(deserializer)?;
                #decide
            }
        }
    }
}

/// `kind()` on a tagged union whose tag values a refined enum names (`EventKind`).
pub(super) fn tag_kind_method(
    cx: &Context<'_>,
    field: &str,
    values: &[String],
    variants: &[Ident],
) -> TokenStream {
    let refined = cx.ir.shapes.iter().find(|d| {
        d.origin == Origin::Refined
            && matches!(&d.body, TypeBody::Enum { values: v, .. } if v == values)
    });
    let Some(kind) = refined else {
        return TokenStream::new();
    };
    let kind_name = cx.name(&kind.id);
    let kind_variants = literal_idents(values);
    let Some(first) = cx.defs.values().find(|d| matches!(&d.body, TypeBody::Union { discrimination: Discrimination::Tag { values: v, .. }, .. } if v == values)) else {
        return TokenStream::new();
    };
    let name = cx.name(&first.id);
    let text = format!(" The kind of this value: its `{field}`.");
    quote! {
        impl #name {
            #[doc = #text]
            pub fn kind(&self) -> #kind_name {
                match self {
                    #( Self::#variants(_) => #kind_name::#kind_variants, )*
                    Self::Unknown(object) => #kind_name::from(object.get(#field).and_then(|v| v.as_str()).unwrap_or_default()),
                }
            }
        }
    }
}
