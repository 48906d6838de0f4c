//! Prints unions as Rust enums, decoded by the strategy the plan recorded: JSON kind (untagged,
//! each kind one variant), tag, identifying required field, or best fit. Whatever the strategy,
//! an object no rule recognises, or one the chosen variant cannot decode, is kept whole in
//! `Unknown` (or `Other`, for untagged unions): a union never fails a response.

use proc_macro2::{Ident, TokenStream};
use quote::quote;

use super::spell::{Place, doc, ident, ty};
use crate::plan::{ItemPlan, KindPlan, UnionPlan, UnionStrategy};

/// The enum, its serde impls, `From` impls, readers and `kind()`.
pub(super) fn union(item: &ItemPlan, plan: &UnionPlan) -> TokenStream {
    let mut out = union_enum(item, plan);
    if let (Some(kind), UnionStrategy::Tag { field, .. }) = (&plan.kind, &plan.strategy) {
        out.extend(kind_method(item, plan, kind, field));
    }
    out.extend(from_variants(item, plan));
    out.extend(accessors(item, plan));
    out.extend(id_accessor(item, plan));
    out
}

/// The reader of the id every form holds under its own name (`app.id()`), returning the plan's
/// enum of the id kinds.
fn id_accessor(item: &ItemPlan, plan: &UnionPlan) -> TokenStream {
    let Some((accessor, _)) = plan.id_accessor.as_deref() else {
        return TokenStream::new();
    };
    let name = ident(&item.rust);
    let method = ident(&accessor.method);
    let choice = ident(&accessor.choice);
    let arms = accessor
        .arms
        .iter()
        .zip(variant_idents(plan))
        .map(|((field, required), v)| {
            let field = ident(field);
            if *required {
                quote!(Self::#v(value) => Some(::magic_api::#choice::#v(value.#field.clone())),)
            } else {
                quote!(Self::#v(value) => value.#field.clone().map(::magic_api::#choice::#v),)
            }
        });
    let text = doc(&format!(
        "The id of whichever form this is, as its own id type (`None` for a form this version \
         does not know): a [`{0}`](::magic_api::{0}).",
        accessor.choice
    ));
    quote! {
        impl #name {
            #text
            pub fn #method(&self) -> Option<::magic_api::#choice> {
                match self {
                    #(#arms)*
                    Self::Unknown(_) => None,
                }
            }
        }
    }
}

fn variant_idents(plan: &UnionPlan) -> Vec<Ident> {
    plan.variants.iter().map(|v| ident(&v.ident)).collect()
}

/// For a union of objects: a reader for each field every variant has with the same type
/// (`pcap.status()`, `pcap.id()`), `None` when the field is absent or the value is one this
/// version does not know.
fn accessors(item: &ItemPlan, plan: &UnionPlan) -> TokenStream {
    if plan.accessors.is_empty() {
        return TokenStream::new();
    }
    let name = ident(&item.rust);
    let variants = variant_idents(plan);
    let methods = plan.accessors.iter().map(|a| {
        let method = ident(&a.method);
        let t = ty(&a.ty, Place::Types);
        let arms = a.arms.iter().zip(&variants).map(|(arm, v)| {
            let field = ident(&arm.field);
            if arm.required {
                quote!(Self::#v(value) => Some(&value.#field),)
            } else {
                quote!(Self::#v(value) => value.#field.as_ref(),)
            }
        });
        let text = format!(" The `{}` of whichever alternative this is.", a.wire);
        quote! {
            #[doc = #text]
            pub fn #method(&self) -> Option<&#t> {
                match self {
                    #(#arms)*
                    Self::Unknown(_) => None,
                }
            }
        }
    });
    quote! {
        impl #name {
            #(#methods)*
        }
    }
}

/// `From` each variant's payload the plan gives one, so a value becomes the union with `.into()`.
fn from_variants(item: &ItemPlan, plan: &UnionPlan) -> TokenStream {
    let name = ident(&item.rust);
    let pairs: Vec<TokenStream> = plan
        .variants
        .iter()
        .filter(|v| v.from)
        .map(|v| {
            let variant = ident(&v.ident);
            let t = ty(&v.ty, Place::Types);
            quote!(#variant(#t))
        })
        .collect();
    if pairs.is_empty() {
        return TokenStream::new();
    }
    quote! {
        ::magic_api::union_from!(#name { #(#pairs),* });
    }
}

/// The enum and its serde impls, by strategy.
fn union_enum(item: &ItemPlan, plan: &UnionPlan) -> TokenStream {
    let name = ident(&item.rust);
    let d = doc(&item.doc);
    let variants = variant_idents(plan);
    let tys: Vec<TokenStream> = plan
        .variants
        .iter()
        .map(|v| ty(&v.ty, Place::Types))
        .collect();
    let alt_docs: Vec<TokenStream> = plan.variants.iter().map(|v| doc(&v.doc)).collect();
    let object_union = ObjectUnion {
        name: &name,
        type_doc: &d,
        alt_docs: &alt_docs,
        variants: &variants,
        tys: &tys,
    };
    match &plan.strategy {
        // The value is read once as its exact text, and the forms are tried in order from it
        // (for distinct JSON kinds, only the matching one can succeed); a value no form takes is
        // kept exactly. Serde's own untagged decoding would buffer it in its private `Content`
        // first, compiled into every program, and keep the unknown as a lossy `Value`.
        UnionStrategy::JsonKind | UnionStrategy::Ordered => quote! {
            #d
            #[derive(Debug, Clone, PartialEq, ::serde::Serialize)]
            #[serde(untagged)]
            #[non_exhaustive]
            pub enum #name {
                #( #alt_docs #variants(#tys), )*
                /// A value of a form this version of the crate does not know, kept as sent (its
                /// exact JSON text).
                Other(::magic_api::runtime::RawJson),
            }
            impl<'de> ::serde::Deserialize<'de> for #name {
                fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                    let raw = <::magic_api::runtime::RawJson as ::serde::Deserialize>::deserialize(deserializer)?;
                    #( if let Ok(form) = raw.decode() { return Ok(Self::#variants(form)); } )*
                    Ok(Self::Other(raw))
                }
            }
        },
        UnionStrategy::Tag { field, values } => quote! {
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
                    let tag = object.get(#field).and_then(|v| v.as_str()).map(::std::borrow::Cow::into_owned);
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
        },
        UnionStrategy::RequiredField { fields } => {
            let decide = quote! {
                #( if object.contains_key(#fields) {
                    return Ok(::magic_api::runtime::wire::chosen(object, Self::#variants, Self::Unknown));
                } )*
                Ok(Self::Unknown(object))
            };
            object_union.print(
                "An object no alternative claims, or one the claiming alternative cannot decode: kept as sent, never an error.",
                decide,
            )
        }
        UnionStrategy::BestFit { required, declared } => {
            let indices = 0..plan.variants.len();
            let decide = quote! {
                let fits: &[(&[&str], &[&str])] = &[ #( (&[#(#required),*], &[#(#declared),*]) ),* ];
                Ok(match ::magic_api::runtime::wire::best_fit(&object, fits) {
                    #( Some(#indices) => ::magic_api::runtime::wire::chosen(object, Self::#variants, Self::Unknown), )*
                    _ => Self::Unknown(object),
                })
            };
            object_union.print(
                "An object no alternative fits, or one the best fit cannot decode: kept as sent, never an error.",
                decide,
            )
        }
    }
}

/// The parts of a union decided by looking at a buffered object.
struct ObjectUnion<'a> {
    name: &'a Ident,
    type_doc: &'a TokenStream,
    alt_docs: &'a [TokenStream],
    variants: &'a [Ident],
    tys: &'a [TokenStream],
}

impl ObjectUnion<'_> {
    /// The enum (`decide` ends with `Ok(Self::…)`): encoded as whichever variant it holds, and an
    /// object no rule recognises is kept in `Unknown`.
    fn print(&self, unknown_doc: &str, decide: TokenStream) -> TokenStream {
        let ObjectUnion {
            name,
            type_doc,
            alt_docs,
            variants,
            tys,
        } = self;
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
}

/// `kind()` on a tagged union whose tag values a refined enum names (`EventKind`).
fn kind_method(item: &ItemPlan, plan: &UnionPlan, kind: &KindPlan, field: &str) -> TokenStream {
    let name = ident(&item.rust);
    let kind_name = ident(&kind.enum_rust);
    let variants = variant_idents(plan);
    let kind_variants = kind.literals.iter().map(|l| ident(l));
    let text = format!(" The kind of this value: its `{field}`.");
    quote! {
        impl #name {
            #[doc = #text]
            pub fn kind(&self) -> #kind_name {
                match self {
                    #( Self::#variants(_) => #kind_name::#kind_variants, )*
                    Self::Unknown(object) => #kind_name::from(object.get(#field).and_then(|v| v.as_str()).as_deref().unwrap_or_default()),
                }
            }
        }
    }
}
