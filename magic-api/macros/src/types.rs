//! Looking inside field types. The macro sees tokens, not resolved types, so these go by the
//! last path segment's name (`Option`, `::std::option::Option` and a re-export all count).

use proc_macro2::{TokenStream, TokenTree};
use quote::ToTokens;
use syn::ext::IdentExt;
use syn::{GenericArgument, PathArguments, Type};

/// The single generic argument of a path type named `name` (`Option<T>` → `T`).
pub(crate) fn generic_arg<'a>(ty: &'a Type, name: &str) -> Option<&'a Type> {
    let Type::Path(p) = ty else {
        return None;
    };
    let last = p.path.segments.last()?;
    if p.qself.is_some() || last.ident != name {
        return None;
    }
    match &last.arguments {
        PathArguments::AngleBracketed(args) if args.args.len() == 1 => match args.args.first()? {
            GenericArgument::Type(inner) => Some(inner),
            _ => None,
        },
        _ => None,
    }
}

/// Whether `ty` is the bare path `name` (`i64`, not `Vec<i64>`).
pub(crate) fn is_named(ty: &Type, name: &str) -> bool {
    matches!(ty, Type::Path(p) if p.qself.is_none() && p.path.is_ident(name))
}

/// Whether any identifier anywhere in `ty` (generic arguments included) satisfies `test`.
pub(crate) fn mentions(ty: &Type, test: &dyn Fn(&str) -> bool) -> bool {
    fn walk(tokens: TokenStream, test: &dyn Fn(&str) -> bool) -> bool {
        tokens.into_iter().any(|token| match token {
            TokenTree::Ident(ident) => test(&ident.unraw().to_string()),
            TokenTree::Group(group) => walk(group.stream(), test),
            TokenTree::Punct(_) | TokenTree::Literal(_) => false,
        })
    }
    walk(ty.to_token_stream(), test)
}
