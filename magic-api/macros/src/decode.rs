//! `Deserialize` for a `#[wire]` struct, by hand instead of a derive with `#[serde(flatten)]`:
//! fields are read straight from the input (no intermediate buffer, so numbers keep their text
//! and errors their path), unknown fields and `null`s go to `extra`.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use syn::{Ident, Type};

use crate::field::{Decode, Presence, WireField};
use crate::types::generic_arg;

// How each kind of value is read, spelt out (the kinds are decided in `field.rs`).
impl Decode {
    /// An expression reading the next map value as `Option<T>` (`None` for `null`).
    fn next_optional(&self, ty: &Type) -> TokenStream {
        match self {
            Decode::Plain => {
                quote!(::magic_api::runtime::wire::next::<__A, Option<#ty>>(map)?)
            }
            Decode::Int => {
                quote!(
                    ::magic_api::runtime::wire::next::<__A, Option<::magic_api::runtime::wire::Int>>(map)?
                        .map(|v| v.0)
                )
            }
            Decode::IntList => {
                quote!(
                    ::magic_api::runtime::wire::next::<
                        __A,
                        Option<::magic_api::runtime::wire::IntList>,
                    >(map)?
                    .map(|v| v.0)
                )
            }
        }
    }

    /// An expression reading the next map value as `T`.
    fn next_required(&self, ty: &Type) -> TokenStream {
        match self {
            Decode::Plain => quote!(::magic_api::runtime::wire::next::<__A, #ty>(map)?),
            Decode::Int => quote!(
                ::magic_api::runtime::wire::next::<__A, ::magic_api::runtime::wire::Int>(map)?.0
            ),
            Decode::IntList => {
                quote!(
                    ::magic_api::runtime::wire::next::<__A, ::magic_api::runtime::wire::IntList>(
                        map
                    )?
                    .0
                )
            }
        }
    }
}

/// The `Deserialize` impl of the struct `name` with `fields` and the unknown-field map `extra`.
///
/// The values read so far live in a slots struct that one out-of-line function per key fills
/// through a reference: kept in memory, they are not loop-carried SSA values in one giant loop
/// (a struct of 170 fields would otherwise give the optimiser a quadratic number of phi inputs).
pub(crate) fn deserialize_impl(name: &Ident, fields: &[WireField], extra: &Ident) -> TokenStream {
    let vars: Vec<Ident> = (0..fields.len())
        .map(|i| format_ident!("__field{}", i))
        .collect();
    let slot_tys: Vec<&Type> = fields
        .iter()
        .map(|f| match f.presence {
            Presence::Required => &f.ty,
            Presence::Optional | Presence::Nullable => {
                generic_arg(&f.ty, "Option").unwrap_or(&f.ty)
            }
        })
        .collect();
    let dispatch = dispatch(fields, &vars, extra);
    let inits = fields.iter().zip(&vars).map(|(f, v)| {
        let ident = &f.ident;
        let wire = &f.wire;
        match f.presence {
            Presence::Required => quote! {
                #ident: match slots.#v {
                    Some(value) => value,
                    None => return Err(<__A::Error as ::serde::de::Error>::missing_field(#wire)),
                }
            },
            _ => quote!(#ident: slots.#v),
        }
    });
    let expecting = format!("an object `{name}`");
    quote! {
        impl<'de> ::serde::Deserialize<'de> for #name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                struct __WireSlots {
                    #(#vars: Option<#slot_tys>,)*
                    #extra: ::magic_api::runtime::wire::Object,
                }
                #[inline(never)]
                fn __wire_field<'de, __A: ::serde::de::MapAccess<'de>>(
                    slots: &mut __WireSlots,
                    key: ::magic_api::runtime::wire::Key<'de>,
                    map: &mut __A,
                ) -> Result<(), __A::Error> {
                    #dispatch
                    Ok(())
                }
                struct __WireFields;
                impl<'de> ::serde::de::Visitor<'de> for __WireFields {
                    type Value = #name;
                    fn expecting(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                        f.write_str(#expecting)
                    }
                    fn visit_map<__A: ::serde::de::MapAccess<'de>>(self, mut map: __A) -> Result<#name, __A::Error> {
                        let mut slots = __WireSlots {
                            #(#vars: None,)*
                            #extra: ::magic_api::runtime::wire::Object::new(),
                        };
                        while let Some(key) = map.next_key::<::magic_api::runtime::wire::Key<'de>>()? {
                            __wire_field(&mut slots, key, &mut map)?;
                        }
                        Ok(#name { #(#inits,)* #extra: slots.#extra })
                    }
                }
                deserializer.deserialize_map(__WireFields)
            }
        }
    }
}

/// What a key read from the input does: the `match` that stores the value in the field's slot
/// `vars[i]` (or in `extra`).
///
/// Field names are told apart by a hash of the key and one comparison, instead of comparing the
/// key with every name of its length (snapshots have 200 fields). The macro writes each name's
/// hash as a literal with `magic-api-key-hash`, the function the runtime hashes keys with, so
/// there is one definition of the hash; two names that happen to share a hash still decode
/// right, since each arm also compares the name.
fn dispatch(fields: &[WireField], vars: &[Ident], extra: &Ident) -> TokenStream {
    let wires: Vec<&str> = fields.iter().map(|f| f.wire.as_str()).collect();
    let reads = fields.iter().zip(vars).map(|(f, v)| read(f, v, extra));
    let hashes: Vec<u64> = wires
        .iter()
        .map(|w| magic_api_key_hash::key_hash(w.as_bytes()))
        .collect();
    quote! {
        let name = key.as_str();
        match ::magic_api::runtime::wire::key_hash(name.as_bytes()) {
            #( #hashes if name == #wires => { #reads } )*
            _ => ::magic_api::runtime::wire::unknown(map, key, &mut slots.#extra)?,
        }
    }
}

/// Statements reading the next map value into the field's slot `var`.
fn read(f: &WireField, var: &Ident, extra: &Ident) -> TokenStream {
    match f.presence {
        Presence::Required => {
            let next = f.decode.next_required(&f.value_ty);
            quote!(slots.#var = Some(#next);)
        }
        Presence::Optional => {
            let next = f.decode.next_optional(&f.value_ty);
            quote! {
                slots.#var = #next;
                ::magic_api::runtime::wire::note_null(&slots.#var, key, &mut slots.#extra);
            }
        }
        Presence::Nullable => {
            let next = f.decode.next_optional(&f.value_ty);
            quote! {
                slots.#var = Some(match #next {
                    Some(value) => ::magic_api::runtime::wire::Nullable::Value(value),
                    None => ::magic_api::runtime::wire::Nullable::Null,
                });
            }
        }
    }
}
