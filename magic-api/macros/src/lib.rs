//! `#[wire]`: what every generated data type of `magic-api` needs, written once instead of per
//! field.
//!
//! On a struct with named fields it
//! - derives `Debug, Clone, PartialEq` (and `Default` when every field is an `Option`);
//! - writes `Deserialize` and `Serialize` by hand (no `#[serde(flatten)]`, so fields are read
//!   straight from the input: numbers keep their text, decode errors keep their path, and no
//!   intermediate buffer is built);
//! - makes every `Option` field optional on the wire: absent or `null` decodes as `None`, `None`
//!   is not sent; a `null` the server sent is remembered in `extra` and sent back;
//! - treats `Option<Nullable<T>>` as three states (absent, `null`, a value);
//! - reads `i64` and `Vec<i64>` fields leniently (`1476.0` and `1.476e3` are 1476; a fraction is
//!   an error);
//! - appends `extra`, a map that keeps the fields this version does not know, so re-encoding a
//!   decoded value gives back what the server sent;
//! - with `#[wire(builder)]` (request types), adds `X::builder()`, a typestate builder with one
//!   setter per field named after it: required fields are tracked in the builder's type, so
//!   `build()` exists only once every one is set (a missing one is a compile error naming it);
//!   optional setters take plain values (`.mtu(1476)`, not `Some(1476)`), and `.extra(key,
//!   value)` adds JSON the reference does not describe.
//!
//! Field docs are kept; `#[serde(rename = "type")]` gives a field's wire name.
//!
//! `#[wire_enum]` does the same for string enums: each unit variant names its wire value with
//! `#[wire = "low"]`; the macro appends `Other(String)` (unknown values are kept, not errors),
//! marks the enum `#[non_exhaustive]` (a value the API adds later becomes a variant without
//! breaking callers' matches) and writes `as_str`, `From<String>`, `From<&str>`, `Display` and
//! the serde impls.

use proc_macro::TokenStream;
use quote::{format_ident, quote};
use syn::ext::IdentExt;
use syn::{Expr, Fields, ItemEnum, ItemStruct, Lit, Meta, Type, parse_macro_input};

/// See the crate documentation.
#[proc_macro_attribute]
pub fn wire_enum(args: TokenStream, input: TokenStream) -> TokenStream {
    if !args.is_empty() {
        return quote!(compile_error!("`wire_enum` takes no arguments");).into();
    }
    let mut item = parse_macro_input!(input as ItemEnum);
    let mut idents = Vec::new();
    let mut values = Vec::new();
    for variant in item.variants.iter_mut() {
        let mut value = None;
        variant.attrs.retain(|attr| {
            let Meta::NameValue(nv) = &attr.meta else {
                return true;
            };
            if !nv.path.is_ident("wire") {
                return true;
            }
            if let Expr::Lit(lit) = &nv.value {
                if let Lit::Str(s) = &lit.lit {
                    value = Some(s.value());
                }
            }
            false
        });
        let Some(value) = value else {
            let message = format!("variant `{}` needs `#[wire = \"…\"]`", variant.ident);
            return quote!(compile_error!(#message);).into();
        };
        if !matches!(variant.fields, Fields::Unit) {
            return quote!(compile_error!("`wire_enum` variants carry no data");).into();
        }
        idents.push(variant.ident.clone());
        values.push(value);
    }
    item.variants.push(syn::parse_quote! {
        /// A value this version of the crate does not know, kept as sent.
        Other(String)
    });
    let name = &item.ident;
    quote! {
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, ::serde::Deserialize)]
        #[serde(from = "String")]
        #[non_exhaustive]
        #item
        impl #name {
            /// The value as sent on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    #( Self::#idents => #values, )*
                    Self::Other(other) => other,
                }
            }
        }
        impl From<String> for #name {
            fn from(value: String) -> Self {
                match value.as_str() {
                    #( #values => Self::#idents, )*
                    _ => Self::Other(value),
                }
            }
        }
        impl From<&str> for #name {
            fn from(value: &str) -> Self {
                Self::from(value.to_string())
            }
        }
        impl ::serde::Serialize for #name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }
        impl ::std::fmt::Display for #name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    }
    .into()
}

/// See the crate documentation.
#[proc_macro_attribute]
pub fn wire(args: TokenStream, input: TokenStream) -> TokenStream {
    let with_builder = match args.to_string().trim() {
        "" => false,
        "builder" => true,
        other => {
            let message =
                format!("unknown `wire` argument `{other}`; expected nothing or `builder`");
            return quote!(compile_error!(#message);).into();
        }
    };
    let mut item = parse_macro_input!(input as ItemStruct);
    let Fields::Named(named) = &mut item.fields else {
        return quote!(compile_error!("`wire` needs a struct with named fields");).into();
    };
    let mut fields = Vec::new();
    for field in named.named.iter_mut() {
        let Some(ident) = field.ident.clone() else {
            continue;
        };
        let wire = match take_rename(&mut field.attrs) {
            Ok(rename) => rename.unwrap_or_else(|| ident.unraw().to_string()),
            Err(message) => return quote!(compile_error!(#message);).into(),
        };
        let preset = match take_preset(&mut field.attrs) {
            Ok(preset) => preset,
            Err(message) => return quote!(compile_error!(#message);).into(),
        };
        let (presence, inner) = presence(&field.ty);
        let Some(decode) = decode_as(&inner) else {
            let message = format!("field `{ident}`: integers nest at most in one `Vec`");
            return quote!(compile_error!(#message);).into();
        };
        fields.push(WireField {
            ident,
            wire,
            presence,
            ty: field.ty.clone(),
            value_ty: inner,
            decode,
            preset,
            docs: field
                .attrs
                .iter()
                .filter(|a| a.path().is_ident("doc"))
                .cloned()
                .collect(),
        });
    }
    let taken: Vec<String> = fields.iter().map(|f| f.ident.to_string()).collect();
    let mut extra_name = String::from("extra");
    while taken.contains(&extra_name) {
        extra_name.push_str("_fields");
    }
    let extra = format_ident!("{}", extra_name);
    named.named.push(syn::parse_quote! {
        /// Fields the server sent that this version of the crate does not know, and `null`s it
        /// sent for optional fields, kept so that re-encoding loses nothing.
        pub #extra: ::magic_api::runtime::wire::Object
    });
    let name = &item.ident;
    let required: Vec<&WireField> = fields
        .iter()
        .filter(|f| f.presence == Presence::Required)
        .collect();
    let default = required.is_empty().then(|| quote!(Default,));
    let builder = with_builder.then(|| builder_impl(&item.vis, name, &fields, &extra));
    let deserialize = deserialize_impl(name, &fields, &extra);
    let serialize = serialize_impl(name, &fields, &extra);
    quote! {
        #[derive(Debug, Clone, PartialEq, #default)]
        #item
        #builder
        #deserialize
        #serialize
    }
    .into()
}

/// One field of a `#[wire]` struct, as the serde impls need it.
struct WireField {
    ident: syn::Ident,
    /// The name on the wire.
    wire: String,
    presence: Presence,
    /// The field's declared type.
    ty: Type,
    /// The value's type, inside any `Option`/`Nullable`.
    value_ty: Type,
    /// How the value is read.
    decode: Decode,
    /// `#[wire(preset = "…")]`: the one value a required field can take, set from the start by
    /// the builder (which then does not track the field).
    preset: Option<String>,
    /// The field's doc attributes, repeated on its builder setter.
    docs: Vec<syn::Attribute>,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Presence {
    /// `T`: must be present.
    Required,
    /// `Option<T>`: absent or `null` is `None` (a `null` is remembered in `extra`).
    Optional,
    /// `Option<Nullable<T>>`: absent, `null` and a value are three states.
    Nullable,
}

/// How a value is read: by its own `Deserialize`, or leniently as a whole number.
enum Decode {
    /// By the value type's own `Deserialize`.
    Plain,
    Int,
    IntList,
}

impl Decode {
    /// An expression reading the next map value as `Option<T>` (`None` for `null`).
    fn next_optional(&self, ty: &Type) -> proc_macro2::TokenStream {
        match self {
            Decode::Plain => quote!(map.next_value::<Option<#ty>>()?),
            Decode::Int => {
                quote!(
                    map.next_value::<Option<::magic_api::runtime::wire::Int>>()?
                        .map(|v| v.0)
                )
            }
            Decode::IntList => {
                quote!(
                    map.next_value::<Option<::magic_api::runtime::wire::IntList>>()?
                        .map(|v| v.0)
                )
            }
        }
    }

    /// An expression reading the next map value as `T`.
    fn next_required(&self, ty: &Type) -> proc_macro2::TokenStream {
        match self {
            Decode::Plain => quote!(::magic_api::runtime::wire::next::<__A, #ty>(&mut map)?),
            Decode::Int => quote!(
                ::magic_api::runtime::wire::next::<__A, ::magic_api::runtime::wire::Int>(&mut map)?
                    .0
            ),
            Decode::IntList => {
                quote!(
                    ::magic_api::runtime::wire::next::<__A, ::magic_api::runtime::wire::IntList>(
                        &mut map
                    )?
                    .0
                )
            }
        }
    }
}

/// Removes `#[serde(rename = "…")]` (the only serde attribute the generator writes) and returns
/// the wire name it gives.
fn take_rename(attrs: &mut Vec<syn::Attribute>) -> Result<Option<String>, String> {
    let mut rename = None;
    let mut problem = None;
    attrs.retain(|attr| {
        if !attr.path().is_ident("serde") {
            return true;
        }
        let parsed = attr.parse_nested_meta(|meta| {
            if meta.path.is_ident("rename") {
                let value: syn::LitStr = meta.value()?.parse()?;
                rename = Some(value.value());
                Ok(())
            } else {
                Err(meta.error("`wire` fields take only `#[serde(rename = \"…\")]`"))
            }
        });
        if let Err(e) = parsed {
            problem = Some(e.to_string());
        }
        false
    });
    match problem {
        Some(p) => Err(p),
        None => Ok(rename),
    }
}

/// Removes `#[wire(preset = "…")]` and returns the value it gives.
fn take_preset(attrs: &mut Vec<syn::Attribute>) -> Result<Option<String>, String> {
    let mut preset = None;
    let mut problem = None;
    attrs.retain(|attr| {
        if !attr.path().is_ident("wire") {
            return true;
        }
        let parsed = attr.parse_nested_meta(|meta| {
            if meta.path.is_ident("preset") {
                let value: syn::LitStr = meta.value()?.parse()?;
                preset = Some(value.value());
                Ok(())
            } else {
                Err(meta.error("`wire` fields take only `#[wire(preset = \"…\")]`"))
            }
        });
        if let Err(e) = parsed {
            problem = Some(e.to_string());
        }
        false
    });
    match problem {
        Some(p) => Err(p),
        None => Ok(preset),
    }
}

/// The single generic argument of a path type named `name` (`Option<T>` → `T`).
fn generic_arg<'a>(ty: &'a Type, name: &str) -> Option<&'a Type> {
    let Type::Path(p) = ty else {
        return None;
    };
    let last = p.path.segments.last()?;
    if p.qself.is_some() || last.ident != name {
        return None;
    }
    match &last.arguments {
        syn::PathArguments::AngleBracketed(args) if args.args.len() == 1 => {
            match args.args.first()? {
                syn::GenericArgument::Type(inner) => Some(inner),
                _ => None,
            }
        }
        _ => None,
    }
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

fn is_ident_type(ty: &Type, name: &str) -> bool {
    matches!(ty, Type::Path(p) if p.qself.is_none() && p.path.is_ident(name))
}

/// How a value type is read; `None` for integers nested deeper than one `Vec` (the emitter
/// never writes them, and reading them strictly would break the integer policy silently).
fn decode_as(ty: &Type) -> Option<Decode> {
    if is_ident_type(ty, "i64") {
        return Some(Decode::Int);
    }
    if let Some(item) = generic_arg(ty, "Vec") {
        if is_ident_type(item, "i64") {
            return Some(Decode::IntList);
        }
    }
    let text = quote!(#ty).to_string();
    if text
        .split(|c: char| !c.is_alphanumeric() && c != '_')
        .any(|w| w == "i64")
    {
        return None;
    }
    Some(Decode::Plain)
}

/// `Deserialize` by hand instead of a derive with `#[serde(flatten)]`: fields are read straight
/// from the input (no intermediate buffer, so numbers keep their text and errors their path),
/// unknown fields and `null`s go to `extra`.
fn deserialize_impl(
    name: &syn::Ident,
    fields: &[WireField],
    extra: &syn::Ident,
) -> proc_macro2::TokenStream {
    let vars: Vec<syn::Ident> = (0..fields.len())
        .map(|i| format_ident!("__field{}", i))
        .collect();
    let slots = fields.iter().zip(&vars).map(|(f, v)| {
        let ty = match f.presence {
            Presence::Required => {
                let t = &f.ty;
                quote!(#t)
            }
            Presence::Optional | Presence::Nullable => {
                let inner = &f.ty;
                let inner = generic_arg(inner, "Option").unwrap_or(inner);
                quote!(#inner)
            }
        };
        quote!(let mut #v: Option<#ty> = None;)
    });
    let arms = fields.iter().zip(&vars).map(|(f, v)| {
        let wire = &f.wire;
        let read = match f.presence {
            Presence::Required => {
                let next = f.decode.next_required(&f.value_ty);
                quote!(#v = Some(#next);)
            }
            Presence::Optional => {
                let next = f.decode.next_optional(&f.value_ty);
                quote! {
                    #v = #next;
                    ::magic_api::runtime::wire::note_null(&#v, key, &mut #extra);
                }
            }
            Presence::Nullable => {
                let next = f.decode.next_optional(&f.value_ty);
                quote! {
                    #v = Some(match #next {
                        Some(value) => ::magic_api::runtime::wire::Nullable::Value(value),
                        None => ::magic_api::runtime::wire::Nullable::Null,
                    });
                }
            }
        };
        (wire.clone(), read)
    });
    let (wires, reads): (Vec<String>, Vec<proc_macro2::TokenStream>) = arms.unzip();
    // Field names are told apart by a hash of the key and one comparison, instead of comparing
    // the key with every name of its length (snapshots have 200 fields); names that collide fall
    // back to plain string matching.
    let hashes: Vec<u64> = wires.iter().map(|w| key_hash(w.as_bytes())).collect();
    let distinct = hashes
        .iter()
        .collect::<std::collections::BTreeSet<_>>()
        .len()
        == hashes.len();
    let dispatch = if distinct {
        quote! {
            let name = key.as_str();
            match ::magic_api::runtime::wire::key_hash(name.as_bytes()) {
                #( #hashes if name == #wires => { #reads } )*
                _ => ::magic_api::runtime::wire::unknown(&mut map, key, &mut #extra)?,
            }
        }
    } else {
        quote! {
            match key.as_str() {
                #( #wires => { #reads } )*
                _ => ::magic_api::runtime::wire::unknown(&mut map, key, &mut #extra)?,
            }
        }
    };
    let inits = fields.iter().zip(&vars).map(|(f, v)| {
        let ident = &f.ident;
        let wire = &f.wire;
        match f.presence {
            Presence::Required => quote! {
                #ident: match #v {
                    Some(value) => value,
                    None => return Err(<__A::Error as ::serde::de::Error>::missing_field(#wire)),
                }
            },
            _ => quote!(#ident: #v),
        }
    });
    let expecting = format!("an object `{name}`");
    quote! {
        impl<'de> ::serde::Deserialize<'de> for #name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                struct __WireFields;
                impl<'de> ::serde::de::Visitor<'de> for __WireFields {
                    type Value = #name;
                    fn expecting(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                        f.write_str(#expecting)
                    }
                    fn visit_map<__A: ::serde::de::MapAccess<'de>>(self, mut map: __A) -> Result<#name, __A::Error> {
                        #(#slots)*
                        let mut #extra = ::magic_api::runtime::wire::Object::new();
                        while let Some(key) = map.next_key::<::magic_api::runtime::wire::Key<'de>>()? {
                            #dispatch
                        }
                        Ok(#name { #(#inits,)* #extra })
                    }
                }
                deserializer.deserialize_map(__WireFields)
            }
        }
    }
}

/// `Serialize` by hand: set fields in declaration order, then `extra` (a remembered `null` is
/// written only while its field is unset, so a field is never written twice).
fn serialize_impl(
    name: &syn::Ident,
    fields: &[WireField],
    extra: &syn::Ident,
) -> proc_macro2::TokenStream {
    let writes = fields.iter().map(|f| {
        let (ident, wire) = (&f.ident, &f.wire);
        match f.presence {
            Presence::Required => quote!(map.serialize_entry(#wire, &self.#ident)?;),
            _ => quote!(::magic_api::runtime::wire::entry(&mut map, #wire, &self.#ident)?;),
        }
    });
    // Per field: its name and whether it is written (so a remembered `null` in `extra` under
    // that name is not written a second time).
    let written = fields.iter().map(|f| {
        let (ident, wire) = (&f.ident, &f.wire);
        match f.presence {
            Presence::Required => quote!((#wire, true)),
            _ => quote!((#wire, self.#ident.is_some())),
        }
    });
    quote! {
        impl ::serde::Serialize for #name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                use ::serde::ser::SerializeMap;
                let mut map = serializer.serialize_map(None)?;
                #(#writes)*
                ::magic_api::runtime::wire::extra_entries(&mut map, &self.#extra, &[#(#written),*])?;
                map.end()
            }
        }
    }
}

/// The field-name hash the generated decoders match on; the same function as
/// `magic_api::runtime::wire::key_hash` (the two must agree, or every field reads as unknown,
/// which every round-trip test would show).
fn key_hash(bytes: &[u8]) -> u64 {
    let mut hash = (bytes.len() as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    for chunk in bytes.chunks(8) {
        let mut word = [0u8; 8];
        word[..chunk.len()].copy_from_slice(chunk);
        hash = (hash ^ u64::from_le_bytes(word))
            .wrapping_mul(0x0000_0100_0000_01B3)
            .rotate_left(29);
    }
    hash
}

/// `X::builder()` and `XBuilder`: every required field is a type parameter of the builder, a
/// marker type named after the field while unset and the field's type once set; `build()`
/// requires each to be set (`Required<T>` is implemented only by `T` itself, and its diagnostic
/// names the marker, so the error says which field is missing). Setters are generic over every
/// state, so setting a field twice keeps the last value, as struct update syntax would.
fn builder_impl(
    vis: &syn::Visibility,
    name: &syn::Ident,
    fields: &[WireField],
    extra: &syn::Ident,
) -> proc_macro2::TokenStream {
    let builder = format_ident!("{}Builder", name);
    let markers_mod = format_ident!("__{}_fields", to_snake(&name.to_string()));
    let required: Vec<&WireField> = fields
        .iter()
        .filter(|f| f.presence == Presence::Required && f.preset.is_none())
        .collect();
    // `F0, F1, …`, unless a field's type mentions such a name.
    let types_text: String = fields
        .iter()
        .map(|f| {
            let ty = &f.ty;
            quote!(#ty).to_string()
        })
        .collect::<Vec<_>>()
        .join(" ");
    let prefix = if types_text
        .split(|c: char| !c.is_alphanumeric() && c != '_')
        .any(|w| w.starts_with('F') && w[1..].chars().all(|c| c.is_ascii_digit()))
    {
        "__F"
    } else {
        "F"
    };
    let params: Vec<syn::Ident> = (0..required.len())
        .map(|i| format_ident!("{}{}", prefix, i))
        .collect();
    let markers: Vec<syn::Ident> = required.iter().map(|f| f.ident.clone()).collect();
    let marker_paths: Vec<proc_macro2::TokenStream> =
        markers.iter().map(|m| quote!(#markers_mod::#m)).collect();
    let slots = fields.iter().map(|f| {
        let ident = &f.ident;
        match required.iter().position(|r| r.ident == f.ident) {
            Some(i) => {
                let p = &params[i];
                quote!(#ident: #p)
            }
            None => {
                let ty = &f.ty;
                quote!(#ident: #ty)
            }
        }
    });
    let start = fields.iter().map(|f| {
        let ident = &f.ident;
        match required.iter().position(|r| r.ident == f.ident) {
            Some(i) => {
                let m = &marker_paths[i];
                quote!(#ident: #m)
            }
            None => match &f.preset {
                Some(value) => quote!(#ident: #value.into()),
                None => quote!(#ident: None),
            },
        }
    });
    // The finishing method is `build`; a field of that name gets the setter `set_build`.
    let setter_name = |f: &WireField| {
        if f.ident == "build" || f.ident == "builder" {
            format_ident!("set_{}", f.ident.unraw().to_string())
        } else {
            f.ident.clone()
        }
    };
    let setters = fields.iter().map(|f| {
        let ident = &f.ident;
        let setter = setter_name(f);
        let mut doc = format!("Sets `{}`", f.wire);
        doc.push_str(match (&f.presence, &f.preset) {
            (_, Some(_)) => " (preset to the one value the reference allows).",
            (Presence::Required, None) => " (required).",
            _ => ".",
        });
        let field_docs = &f.docs;
        let doc = quote!(#[doc = #doc] #[doc = ""] #(#field_docs)*);
        match required.iter().position(|r| r.ident == f.ident) {
            Some(i) => {
                let ty = &f.ty;
                let out = params
                    .iter()
                    .enumerate()
                    .map(|(j, p)| if j == i { quote!(#ty) } else { quote!(#p) });
                let moves = fields.iter().filter(|g| g.ident != f.ident).map(|g| {
                    let g = &g.ident;
                    quote!(#g: self.#g)
                });
                quote! {
                    #doc
                    pub fn #setter(self, value: impl Into<#ty>) -> #builder<#(#out),*> {
                        #builder { #ident: value.into(), #(#moves,)* #extra: self.#extra }
                    }
                }
            }
            None if f.presence == Presence::Required => {
                let ty = &f.ty;
                quote! {
                    #doc
                    pub fn #setter(mut self, value: impl Into<#ty>) -> Self {
                        self.#ident = value.into();
                        self
                    }
                }
            }
            None => {
                let value_ty = match f.presence {
                    Presence::Nullable => {
                        let v = &f.value_ty;
                        quote!(::magic_api::runtime::wire::Nullable<#v>)
                    }
                    _ => {
                        let v = &f.value_ty;
                        quote!(#v)
                    }
                };
                quote! {
                    #doc
                    pub fn #setter(mut self, value: impl Into<#value_ty>) -> Self {
                        self.#ident = Some(value.into());
                        self
                    }
                }
            }
        }
    });
    let finish = fields.iter().map(|f| {
        let ident = &f.ident;
        if f.presence == Presence::Required && f.preset.is_none() {
            quote!(#ident: ::magic_api::runtime::builder::Required::into_value(self.#ident))
        } else {
            quote!(#ident: self.#ident)
        }
    });
    let bounds = required.iter().zip(&params).map(|(f, p)| {
        let ty = &f.ty;
        quote!(#p: ::magic_api::runtime::builder::Required<#ty>)
    });
    let builder_doc = format!(
        "Builds a [`{name}`] by field name: see [`{name}::builder`]. Each type parameter tracks \
         one required field (a marker while unset, the field's type once set)."
    );
    let marker_docs = markers.iter().map(|m| {
        format!(
            "The required field `{}` of `{name}`, not set yet.",
            m.unraw()
        )
    });
    quote! {
        /// The markers of unset required fields in the builder's type.
        #[doc(hidden)]
        #[allow(non_camel_case_types)]
        #vis mod #markers_mod {
            #(
                #[doc = #marker_docs]
                #[derive(Debug, Clone, Copy)]
                pub struct #markers;
            )*
        }
        #[doc = #builder_doc]
        #[derive(Debug, Clone)]
        #[must_use = "a builder does nothing until `build()` is called"]
        #vis struct #builder<#(#params = #marker_paths),*> {
            #(#slots,)*
            #extra: ::magic_api::runtime::wire::Object,
        }
        impl #name {
            /// A builder with a setter per field: required fields must all be set before
            /// `build()` compiles; optional ones take plain values.
            pub fn builder() -> #builder {
                #builder { #(#start,)* #extra: ::magic_api::runtime::wire::Object::new() }
            }
        }
        impl<#(#params),*> #builder<#(#params),*> {
            #(#setters)*
            /// Adds a field the reference does not describe, sent as given.
            pub fn #extra(
                mut self,
                key: impl Into<String>,
                value: impl Into<::magic_api::runtime::wire::Value>,
            ) -> Self {
                self.#extra.insert(key.into(), value.into());
                self
            }
            /// The value. Compiles only once every required field is set.
            pub fn build(self) -> #name
            where
                #(#bounds,)*
            {
                #name { #(#finish,)* #extra: self.#extra }
            }
        }
    }
}

/// `GreTunnelCreateRequest` -> `gre_tunnel_create_request`.
fn to_snake(camel: &str) -> String {
    let mut out = String::new();
    for (i, c) in camel.chars().enumerate() {
        if c.is_ascii_uppercase() {
            if i > 0 {
                out.push('_');
            }
            out.push(c.to_ascii_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}
