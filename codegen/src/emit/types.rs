//! Prints the data types the plan holds: one item per planned type, in the plan's order.
//!
//! - Structs go through `#[wire]`, which derives, makes `Option` fields optional on the wire and
//!   keeps unknown fields; request types get `#[wire(builder)]`.
//! - String enums go through `#[wire_enum]`, which keeps unknown values in `Other`.
//! - Unions are the `unions` module's job.

use proc_macro2::TokenStream;
use quote::quote;

use super::spell::{Place, doc, ident, ty};
use super::unions::union;
use crate::plan::{EnumPlan, ItemPlan, Shape, StructPlan};

/// An item ready for formatting: a syntax tree built directly (structs, the bulk of the file),
/// or tokens that `syn` parses (the rest).
pub enum Rendered {
    /// Built without parsing (boxed: an item is large, tokens are small).
    Ast(Box<syn::Item>),
    /// To be parsed.
    Tokens(TokenStream),
}

/// Parsed `syn::Type`s by their token text: a file has ~150 distinct field types for ~800
/// fields, so each is parsed once.
#[derive(Default)]
pub struct TypeCache(std::collections::HashMap<String, syn::Type>);

impl TypeCache {
    fn get(&mut self, tokens: TokenStream) -> Result<syn::Type, String> {
        let key = tokens.to_string();
        if let Some(t) = self.0.get(&key) {
            return Ok(t.clone());
        }
        let ty: syn::Type =
            syn::parse2(tokens).map_err(|e| format!("generated type does not parse: {e}"))?;
        self.0.insert(key, ty.clone());
        Ok(ty)
    }
}

/// Renders planned items, in the given order.
pub fn render(items: &[ItemPlan]) -> Result<Vec<Rendered>, String> {
    let mut cache = TypeCache::default();
    items
        .iter()
        .map(|item| {
            let name = ident(&item.rust);
            let d = doc(&item.doc);
            let tokens = match &item.shape {
                Shape::Struct(plan) => {
                    return object(item, plan, &mut cache).map(|i| Rendered::Ast(Box::new(i)));
                }
                Shape::Enum(plan) => string_enum(item, plan),
                Shape::Union(plan) => union(item, plan),
                Shape::Alias(target) => {
                    let t = ty(target, Place::Types);
                    quote! { #d pub type #name = #t; }
                }
                Shape::ReferenceName(target) => {
                    let t = ident(target);
                    quote! { #d pub type #name = #t; }
                }
                Shape::KeptName(target) => {
                    let t = ident(target);
                    let note = format!("the reference renamed this type: use `{target}`");
                    quote! { #d #[deprecated(note = #note)] pub type #name = #t; }
                }
            };
            Ok(Rendered::Tokens(tokens))
        })
        .collect()
}

/// The module that lists the request types' builders (`types::builders`), so that the data
/// types' index lists data types: the macro hides each builder where it is defined, and this
/// module shows it (`#[doc(inline)]`), where `X::builder()` links to it. None without builders.
pub fn builders(names: &[String]) -> Option<Rendered> {
    if names.is_empty() {
        return None;
    }
    let doc = super::docs::inner_attr(
        "The builders of the request types, one per type: `X::builder()` starts one, a setter \
         per field sets it, and `build()` compiles once every required field is set (a type \
         parameter per required field tracks it: a marker while unset, the field's type once \
         set).",
    );
    let names = names.iter().map(|n| ident(n));
    Some(Rendered::Tokens(quote! {
        pub mod builders {
            #doc
            #[doc(inline)]
            pub use super::{#(#names),*};
        }
    }))
}

fn object(item: &ItemPlan, plan: &StructPlan, cache: &mut TypeCache) -> Result<syn::Item, String> {
    let mut named = syn::punctuated::Punctuated::new();
    for f in &plan.fields {
        let mut attrs: Vec<syn::Attribute> = super::docs::attribute(&f.doc).into_iter().collect();
        if f.ident != f.wire {
            let w = &f.wire;
            attrs.push(syn::parse_quote!(#[serde(rename = #w)]));
        }
        if let Some(value) = &f.preset {
            attrs.push(syn::parse_quote!(#[wire(preset = #value)]));
        }
        named.push(syn::Field {
            attrs,
            vis: syn::Visibility::Public(Default::default()),
            modifiers: Default::default(),
            ident: Some(ident(&f.ident)),
            colon_token: Some(Default::default()),
            ty: cache.get(ty(&f.ty, Place::Types))?,
            default: None,
        });
    }
    // The plan decided `Default` (`plan::types::derives_default`); the macro derives it on request.
    let wire_attr: syn::Attribute = match (plan.builder, plan.default) {
        (true, true) => syn::parse_quote!(#[::magic_api::wire(builder, default)]),
        (true, false) => syn::parse_quote!(#[::magic_api::wire(builder)]),
        (false, true) => syn::parse_quote!(#[::magic_api::wire(default)]),
        (false, false) => syn::parse_quote!(#[::magic_api::wire]),
    };
    let mut attrs: Vec<syn::Attribute> = super::docs::attribute(&item.doc).into_iter().collect();
    attrs.push(wire_attr);
    if plan.non_exhaustive {
        attrs.push(syn::parse_quote!(#[non_exhaustive]));
    }
    Ok(syn::Item::Struct(syn::ItemStruct {
        attrs,
        vis: syn::Visibility::Public(Default::default()),
        struct_token: Default::default(),
        ident: ident(&item.rust),
        generics: Default::default(),
        fields: syn::Fields::Named(syn::FieldsNamed {
            brace_token: Default::default(),
            named,
        }),
        semi_token: None,
    }))
}

fn string_enum(item: &ItemPlan, plan: &EnumPlan) -> TokenStream {
    let n = ident(&item.rust);
    let variants = plan.literals.iter().map(|l| ident(&l.ident));
    let values = plan.literals.iter().map(|l| &l.wire);
    let variant_docs = plan
        .literals
        .iter()
        .map(|l| doc(&format!("`\"{}\"`", l.wire)));
    let mut d = doc(&item.doc);
    if plan.open {
        d.extend(doc(
            "The reference types this value as any string; these are the values it names.",
        ));
    }
    quote! {
        #d
        #[::magic_api::wire_enum]
        pub enum #n {
            #( #variant_docs #[wire = #values] #variants, )*
        }
    }
}
