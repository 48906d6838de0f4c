//! Emits the Rust data types: one item per emitted definition, sorted by name.
//!
//! - Objects become structs whose unknown fields land in `extra`, so re-encoding a decoded value
//!   gives back what the server sent. Literal tag fields of tagged alternatives are left to the
//!   union. Types reachable from a request body get `new(required…)`, so a required field can
//!   never be left out.
//! - String-literal sets become enums with an `Other(String)` variant that keeps unknown values.
//! - Unions are the `unions` module's job.
//! - Types callers only receive are `#[non_exhaustive]` (see README, "What is additive by
//!   construction").

use std::collections::{BTreeMap, BTreeSet, HashMap};

use proc_macro2::{Ident, Span, TokenStream};
use quote::quote;

use super::names::{Names, article, camel, field_names, phrase, ref_id};
use super::unions::union;
use crate::ir::{Discrimination, Field, Ir, Response, Ty, TypeBody, TypeDef};

/// Everything the type emitter needs to know about the IR, indexed once.
pub struct Context<'a> {
    /// The IR.
    pub ir: &'a Ir,
    /// Decided names.
    pub names: &'a Names,
    /// Definitions by id.
    pub defs: HashMap<&'a str, &'a TypeDef>,
    /// Alternatives of tagged unions: definition id -> the tag field to leave out.
    tag_fields: HashMap<&'a str, &'a str>,
    /// Definitions reachable from a request body.
    requests: BTreeSet<&'a str>,
    /// `(definition id, field)` -> the typed id the field holds.
    id_fields: HashMap<(String, String), String>,
}

impl<'a> Context<'a> {
    /// Indexes the IR for emission.
    pub fn new(ir: &'a Ir, names: &'a Names) -> Self {
        let defs: HashMap<&str, &TypeDef> = ir.defs().0;
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
        let requests = super::names::reachable_from(super::names::body_roots(ir), &defs);
        let ids = super::names::id_types(ir);
        let id_fields = super::names::id_fields(ir, &defs, &ids);
        Context {
            ir,
            names,
            defs,
            tag_fields,
            requests,
            id_fields,
        }
    }

    /// The tag field a tagged union's alternative leaves to the union, if `id` is one.
    pub(super) fn tag_field(&self, id: &str) -> Option<&'a str> {
        self.tag_fields.get(id).copied()
    }

    /// The typed id a field of a definition holds (`SiteId` for a site's `id` or a `site_id`).
    pub(super) fn id_of_field(&self, def: &str, field: &str) -> Option<&str> {
        self.id_fields
            .get(&(def.to_string(), field.to_string()))
            .map(String::as_str)
    }

    /// Whether a definition is reachable from a request body (callers construct it).
    pub(super) fn is_request(&self, id: &str) -> bool {
        self.requests.contains(id)
    }

    pub(super) fn name(&self, id: &str) -> Ident {
        ident(self.names.of(id))
    }

    /// The Rust type of an IR type, as written inside the types module.
    pub fn rust_ty(&self, ty: &Ty) -> TokenStream {
        self.rust_ty_at(ty, false)
    }

    /// The Rust type of an IR type, as written anywhere in the crate (`crate::types::Name`).
    pub fn qualified_ty(&self, ty: &Ty) -> TokenStream {
        self.rust_ty_at(ty, true)
    }

    fn rust_ty_at(&self, ty: &Ty, qualified: bool) -> TokenStream {
        match ty {
            Ty::String | Ty::Literal { .. } => quote!(String),
            Ty::Integer => quote!(i64),
            Ty::Number => quote!(::magic_api::Number),
            Ty::Boolean | Ty::True => quote!(bool),
            Ty::Unknown => quote!(::serde_json::Value),
            Ty::Map { values } => {
                let v = self.rust_ty_at(values, qualified);
                quote!(::std::collections::BTreeMap<String, #v>)
            }
            Ty::Array { items } => {
                let v = self.rust_ty_at(items, qualified);
                quote!(Vec<#v>)
            }
            Ty::Ref { id } => {
                let name = self.name(id);
                if qualified {
                    quote!(crate::types::#name)
                } else {
                    quote!(#name)
                }
            }
        }
    }
}

/// A Rust identifier: raw if it is a keyword, and never a panic. The emitter's naming only
/// produces `[A-Za-z0-9_]` names, but a name is input-derived, so anything else is replaced by `_`
/// (and a leading digit gets a `_` in front) rather than trusted.
pub fn ident(name: &str) -> Ident {
    let clean = name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
        && name.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
        && name != "_";
    let name: std::borrow::Cow<'_, str> = if clean {
        name.into()
    } else {
        let mut fixed: String = name
            .chars()
            .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
            .collect();
        if !fixed.starts_with(|c: char| c.is_ascii_alphabetic()) {
            fixed.insert(0, 'x');
        }
        fixed.into()
    };
    match name.as_ref() {
        "self" | "Self" | "super" | "crate" => Ident::new(&format!("{name}_"), Span::call_site()),
        n if super::names::is_keyword(n) => Ident::new_raw(n, Span::call_site()),
        n => Ident::new(n, Span::call_site()),
    }
}

/// The `#[doc]` attribute for a text (none for empty text); see the `docs` module.
pub fn doc(text: &str) -> TokenStream {
    super::docs::attr(text)
}

/// Every emitted type, sorted by Rust name, as items.
pub fn items(cx: &Context<'_>) -> Result<Vec<Rendered>, String> {
    let all = entries(cx);
    render(cx, &all)
}

/// One emitted item before rendering: a definition, or an alias for the reference's name.
#[derive(Debug, Clone, Copy)]
pub enum Entry<'a> {
    /// A definition and its Rust name.
    Def(&'a TypeDef, &'a str),
    /// An alias name and the definition it names.
    Alias(&'a str, &'a str),
}

/// Every item the types file holds, sorted by Rust name (the file's order).
pub fn entries<'a>(cx: &Context<'a>) -> Vec<(&'a str, Entry<'a>)> {
    let mut out: BTreeMap<&str, Entry<'a>> = BTreeMap::new();
    for (id, name) in &cx.names.types {
        if let Some(def) = cx.defs.get(id.as_str()) {
            out.insert(name, Entry::Def(def, name));
        }
    }
    for (alias, target) in &cx.names.aliases {
        out.insert(alias, Entry::Alias(alias, target));
    }
    out.into_iter().collect()
}

/// A rough size of an item in output lines, to split rendering evenly between threads.
pub fn weight(entry: &Entry<'_>) -> usize {
    match entry {
        Entry::Alias(..) => 2,
        Entry::Def(def, _) => match &def.body {
            TypeBody::Object { fields } => 4 + 2 * fields.len(),
            TypeBody::Enum { values, .. } => 40 + 4 * values.len(),
            TypeBody::Union { alternatives, .. } => 20 + 6 * alternatives.len(),
            TypeBody::Alias { .. } => 2,
        },
    }
}

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

/// Renders entries, in the given order.
pub fn render(cx: &Context<'_>, entries: &[(&str, Entry<'_>)]) -> Result<Vec<Rendered>, String> {
    let mut cache = TypeCache::default();
    entries
        .iter()
        .map(|(_, entry)| {
            let item = match *entry {
                Entry::Def(def, name) => match &def.body {
                    TypeBody::Object { fields } => {
                        return object(cx, def, fields, &mut cache)
                            .map(|item| Rendered::Ast(Box::new(item)));
                    }
                    TypeBody::Enum { values, open } => {
                        string_enum(def, name, values, *open, &cx.names.fallback_doc(&def.id))
                    }
                    TypeBody::Alias { target } => {
                        let ty = cx.rust_ty(target);
                        let d = doc(&describe(def, cx));
                        let n = ident(name);
                        quote! { #d pub type #n = #ty; }
                    }
                    TypeBody::Union {
                        alternatives,
                        discrimination,
                    } => union(cx, def, alternatives, discrimination),
                },
                Entry::Alias(alias, target) => {
                    let n = ident(alias);
                    let t = cx.name(target);
                    let d = doc(&format!(
                        "The reference's name for [`{}`].",
                        cx.names.of(target)
                    ));
                    quote! { #d pub type #n = #t; }
                }
            };
            Ok(Rendered::Tokens(item))
        })
        .collect()
}

pub(super) fn describe(def: &TypeDef, cx: &Context<'_>) -> String {
    if !def.description.is_empty() {
        return def.description.clone();
    }
    // A tagged alternative is described by its tag field (`k: "Init"` "Initialized process").
    if let (Some(tag), TypeBody::Object { fields }) =
        (cx.tag_fields.get(def.id.as_str()), &def.body)
    {
        if let Some(f) = fields
            .iter()
            .find(|f| f.name == *tag && !f.description.is_empty())
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
    cx.names.fallback_doc(&def.id)
}

fn object(
    cx: &Context<'_>,
    def: &TypeDef,
    fields: &[Field],
    cache: &mut TypeCache,
) -> Result<syn::Item, String> {
    let skip = cx.tag_fields.get(def.id.as_str()).copied();
    let kept: Vec<&Field> = fields
        .iter()
        .filter(|f| Some(f.name.as_str()) != skip)
        .collect();
    let wire: Vec<&str> = kept.iter().map(|f| f.name.as_str()).collect();
    let idents = field_names(&wire);
    let mut named = syn::punctuated::Punctuated::new();
    for (f, id) in kept.iter().zip(&idents) {
        let ty = match cx.id_of_field(&def.id, &f.name) {
            Some(typed) => {
                let typed = ident(typed);
                quote!(crate::#typed)
            }
            None => cx.rust_ty(&f.ty),
        };
        let ty = match (f.required, f.nullable) {
            (true, _) => ty,
            (false, true) => quote!(Option<::magic_api::Nullable<#ty>>),
            (false, false) => quote!(Option<#ty>),
        };
        let owner = cx.names.of(&def.id);
        let typed_id = cx.id_of_field(&def.id, &f.name);
        let mut attrs: Vec<syn::Attribute> =
            super::docs::attribute(&field_doc(cx, owner, f, typed_id))
                .into_iter()
                .collect();
        if *id != f.name {
            let w = &f.name;
            attrs.push(syn::parse_quote!(#[serde(rename = #w)]));
        }
        // A required field with one possible value starts out set in the request builder.
        if let (true, Ty::Literal { value }) = (f.required, &f.ty) {
            if cx.requests.contains(def.id.as_str()) {
                attrs.push(syn::parse_quote!(#[wire(preset = #value)]));
            }
        }
        named.push(syn::Field {
            attrs,
            vis: syn::Visibility::Public(Default::default()),
            modifiers: Default::default(),
            ident: Some(ident(id)),
            colon_token: Some(Default::default()),
            ty: cache.get(ty)?,
            default: None,
        });
    }
    // `#[wire]` derives, makes `Option` fields optional on the wire and keeps unknown fields;
    // request types also get a builder (`X::builder()`), named setters checked by the compiler.
    let wire_attr: syn::Attribute = if cx.requests.contains(def.id.as_str()) {
        syn::parse_quote!(#[::magic_api::wire(builder)])
    } else {
        syn::parse_quote!(#[::magic_api::wire])
    };
    let mut attrs: Vec<syn::Attribute> = super::docs::attribute(&describe(def, cx))
        .into_iter()
        .collect();
    attrs.push(wire_attr);
    // Types callers only receive can gain fields without breaking anyone (see README,
    // "Forward compatibility"); types callers build keep struct literals.
    if !cx.requests.contains(def.id.as_str()) {
        attrs.push(syn::parse_quote!(#[non_exhaustive]));
    }
    Ok(syn::Item::Struct(syn::ItemStruct {
        attrs,
        vis: syn::Visibility::Public(Default::default()),
        struct_token: Default::default(),
        ident: cx.name(&def.id),
        generics: Default::default(),
        fields: syn::Fields::Named(syn::FieldsNamed {
            brace_token: Default::default(),
            named,
        }),
        semi_token: None,
    }))
}

/// A field's documentation: the reference's prose; for a field it leaves undescribed, a sentence
/// built from its context (its name in words, the type it belongs to, and its own type where
/// that is named), never the bare name.
fn field_doc(cx: &Context<'_>, owner: &str, f: &Field, typed_id: Option<&str>) -> String {
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
            (None, Some(id)) => a(cx.names.of(id), ""),
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
pub(super) fn literal_idents(values: &[String]) -> Vec<Ident> {
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
            ident(&candidate)
        })
        .collect()
}

fn string_enum(
    def: &TypeDef,
    name: &str,
    values: &[String],
    open: bool,
    fallback: &str,
) -> TokenStream {
    let n = ident(name);
    let variants = literal_idents(values);
    let variant_docs: Vec<TokenStream> =
        values.iter().map(|v| doc(&format!("`\"{v}\"`"))).collect();
    let text = if def.description.is_empty() {
        fallback
    } else {
        &def.description
    };
    let mut d = doc(text);
    if open {
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

/// What awaiting an operation's call gives, for JSON results: the result type, or `Option` of
/// it for a DELETE (the API may confirm a deletion with `"result": null`).
pub fn call_result_ty(cx: &Context<'_>, op: &crate::ir::Operation) -> Option<TokenStream> {
    let ty = result_ty(cx, &op.response)?;
    Some(if op.method == crate::ir::Method::Delete {
        quote!(Option<#ty>)
    } else {
        ty
    })
}

/// The result type of an operation, for the client and the fixture tests.
pub fn result_ty(cx: &Context<'_>, response: &Response) -> Option<TokenStream> {
    match response {
        Response::Envelope { result, .. } => Some(cx.rust_ty(result)),
        Response::Json { ty } => Some(cx.rust_ty(ty)),
        _ => None,
    }
}
