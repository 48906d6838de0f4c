//! `Serialize` for a `#[wire]` struct, by hand: set fields in declaration order, then `extra` (a
//! remembered `null` is written only while its field is unset, so a field is never written
//! twice).

use proc_macro2::TokenStream;
use quote::quote;
use syn::Ident;

use crate::field::{Presence, WireField};

/// The `Serialize` impl of the struct `name` with `fields` and the unknown-field map `extra`.
pub(crate) fn serialize_impl(name: &Ident, fields: &[WireField], extra: &Ident) -> TokenStream {
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
