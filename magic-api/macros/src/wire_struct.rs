//! `#[wire]` on a struct: reads its arguments and fields, appends `extra`, and puts together the
//! derives, the serde impls and (with `builder`) the builder.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use syn::{Fields, Generics};

use crate::attrs::WireArgs;
use crate::builder::builder_impl;
use crate::decode::deserialize_impl;
use crate::encode::serialize_impl;
use crate::field::{self, Presence};

/// The expansion of `#[wire(args)] input`.
pub(crate) fn expand(args: TokenStream, input: TokenStream) -> syn::Result<TokenStream> {
    let args = WireArgs::parse(args)?;
    let mut item = match syn::parse2::<syn::Item>(input)? {
        syn::Item::Struct(item) => item,
        syn::Item::Enum(item) => {
            return Err(syn::Error::new_spanned(
                item.enum_token,
                "`wire` goes on a struct; a string enum takes `#[wire_enum]`",
            ));
        }
        other => return Err(syn::Error::new_spanned(other, "`wire` goes on a struct")),
    };
    no_generics(&item.generics, "`wire` structs take no generic parameters")?;
    let Fields::Named(named) = &mut item.fields else {
        return Err(syn::Error::new_spanned(
            &item.ident,
            "`wire` needs a struct with named fields",
        ));
    };
    let fields = field::read_all(named, args.builder)?;
    // `extra`, unless a field has that name: then `extra_fields`, and so on.
    let mut extra_name = String::from("extra");
    while fields.iter().any(|f| f.ident == extra_name) {
        extra_name.push_str("_fields");
    }
    let extra = format_ident!("{}", extra_name);
    // A request type's map also carries what the caller adds; a type the API only sends holds
    // what the server sent.
    named.named.push(if args.builder {
        syn::parse_quote! {
            /// Fields the reference does not describe: sent as they are (the builder's `extra`
            /// adds one), and kept from a decoded value (unknown fields, `null`s of optional
            /// fields) so that re-encoding loses nothing.
            pub #extra: ::magic_api::runtime::wire::Object
        }
    } else {
        syn::parse_quote! {
            /// Fields the server sent that this version of the crate does not know, and `null`s it
            /// sent for optional fields, kept so that re-encoding loses nothing.
            pub #extra: ::magic_api::runtime::wire::Object
        }
    });
    let name = &item.ident;
    // `Default` only when asked: which types have it is the generator's decision (recorded in
    // the API snapshot), never a side effect of the fields, so that a new required field cannot
    // silently take the trait away.
    if let (Some(path), Some(required)) = (
        &args.default,
        fields.iter().find(|f| f.presence == Presence::Required),
    ) {
        return Err(syn::Error::new_spanned(
            path,
            format!(
                "`default` needs every field optional; `{}` is required",
                required.ident
            ),
        ));
    }
    let default = args.default.is_some().then(|| quote!(Default,));
    let builder = args
        .builder
        .then(|| builder_impl(&item.vis, name, &fields, &extra));
    let deserialize = deserialize_impl(name, &fields, &extra);
    let serialize = serialize_impl(name, &fields, &extra);
    Ok(quote! {
        #[derive(Debug, Clone, PartialEq, #default)]
        #item
        #builder
        #deserialize
        #serialize
        impl ::magic_api::runtime::wire::Extra for #name {
            fn extra_mut(&mut self) -> &mut ::magic_api::runtime::wire::Object {
                &mut self.#extra
            }
        }
    })
}

/// An error at the generics, if there are any: the impls the macros write name the type
/// without parameters.
pub(crate) fn no_generics(generics: &Generics, message: &str) -> syn::Result<()> {
    match &generics.where_clause {
        _ if !generics.params.is_empty() => Err(syn::Error::new_spanned(generics, message)),
        Some(clause) => Err(syn::Error::new_spanned(clause, message)),
        None => Ok(()),
    }
}
