//! `X::builder()` and `XBuilder` for `#[wire(builder)]`: every required field is a type
//! parameter of the builder, a marker type named after the field while unset and the field's
//! type once set; `build()` requires each to be set (`Required<T>` is implemented only by `T`
//! itself, and its diagnostic names the marker, so the error says which field is missing).
//! Setters are generic over every state, so setting a field twice keeps the last value, as
//! struct update syntax would.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use syn::ext::IdentExt;
use syn::{Ident, Type, Visibility};

use crate::field::{Presence, WireField};
use crate::types::{generic_arg, mentions};

/// The builder of the struct `name` with `fields` and the unknown-field map `extra`.
pub(crate) fn builder_impl(
    vis: &Visibility,
    name: &Ident,
    fields: &[WireField],
    extra: &Ident,
) -> TokenStream {
    let plan = Plan::new(name, fields, extra);
    let Plan {
        builder,
        markers_mod,
        params,
        ..
    } = &plan;
    let markers: Vec<&Ident> = plan.tracked.iter().map(|f| &f.ident).collect();
    let marker_paths: Vec<TokenStream> = markers.iter().map(|m| quote!(#markers_mod::#m)).collect();
    let slots = fields.iter().map(|f| {
        let ident = &f.ident;
        match plan.param_of(f) {
            Some(p) => quote!(#ident: #p),
            None => {
                let ty = &f.ty;
                quote!(#ident: #ty)
            }
        }
    });
    let start = fields.iter().map(|f| {
        let ident = &f.ident;
        match plan.position(f) {
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
    let setters = fields.iter().map(|f| plan.setter(f));
    let finish = fields.iter().map(|f| {
        let ident = &f.ident;
        if plan.position(f).is_some() {
            quote!(#ident: ::magic_api::runtime::builder::Required::into_value(self.#ident))
        } else {
            quote!(#ident: self.#ident)
        }
    });
    let bounds = plan.tracked.iter().zip(params).map(|(f, p)| {
        let ty = &f.ty;
        quote!(#p: ::magic_api::runtime::builder::Required<#ty>)
    });
    let builder_doc =
        format!("The builder of [`{name}`], field by field: see [`{name}::builder`].");
    let params_doc = "Each type parameter tracks one required field: a marker while unset, the \
                      field's type once set.";
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
        // Hidden where it is defined, so the data types' index lists data types; the generated
        // code shows every builder in a module of its own (`types::builders`).
        #[doc = #builder_doc]
        #[doc = ""]
        #[doc = #params_doc]
        #[doc(hidden)]
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
                value: impl Into<::magic_api::runtime::wire::RawJson>,
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

/// The names a builder is made of, and which fields its type tracks.
struct Plan<'a> {
    fields: &'a [WireField],
    extra: &'a Ident,
    /// `XBuilder`.
    builder: Ident,
    /// `__x_fields`, the module of the unset-field markers.
    markers_mod: Ident,
    /// The required fields without a preset, one type parameter each.
    tracked: Vec<&'a WireField>,
    /// The type parameters, `F0, F1, …` (`__F0, …` if a field's type mentions such a name).
    params: Vec<Ident>,
}

impl<'a> Plan<'a> {
    fn new(name: &Ident, fields: &'a [WireField], extra: &'a Ident) -> Self {
        let tracked: Vec<&WireField> = fields
            .iter()
            .filter(|f| f.presence == Presence::Required && f.preset.is_none())
            .collect();
        let clashes = |word: &str| {
            word.strip_prefix('F')
                .is_some_and(|digits| digits.chars().all(|c| c.is_ascii_digit()))
        };
        let prefix = if fields.iter().any(|f| mentions(&f.ty, &clashes)) {
            "__F"
        } else {
            "F"
        };
        Plan {
            fields,
            extra,
            builder: format_ident!("{}Builder", name),
            markers_mod: format_ident!("__{}_fields", to_snake(&name.to_string())),
            params: (0..tracked.len())
                .map(|i| format_ident!("{}{}", prefix, i))
                .collect(),
            tracked,
        }
    }

    /// The position of `f` among the tracked fields, if it is one.
    fn position(&self, f: &WireField) -> Option<usize> {
        self.tracked.iter().position(|r| r.ident == f.ident)
    }

    /// The type parameter tracking `f`, if it is tracked.
    fn param_of(&self, f: &WireField) -> Option<&Ident> {
        self.position(f).map(|i| &self.params[i])
    }

    /// The setter of `f`: a tracked field's moves the builder to the state where it is set; the
    /// others set the value in place (an optional field's from a plain value).
    fn setter(&self, f: &WireField) -> TokenStream {
        let (ident, ty, builder, extra) = (&f.ident, &f.ty, &self.builder, self.extra);
        // The finishing method is `build`; a field of that name gets the setter `set_build`.
        let setter = if f.ident == "build" || f.ident == "builder" {
            format_ident!("set_{}", f.ident.unraw().to_string())
        } else {
            f.ident.clone()
        };
        let mut doc = format!("Sets `{}`", f.wire);
        doc.push_str(match (&f.presence, &f.preset) {
            (_, Some(_)) => " (preset to the one value the reference allows).",
            (Presence::Required, None) => " (required).",
            _ => ".",
        });
        let field_docs = &f.docs;
        let doc = quote!(#[doc = #doc] #[doc = ""] #(#field_docs)*);
        if let Some(i) = self.position(f) {
            let out = self
                .params
                .iter()
                .enumerate()
                .map(|(j, p)| if j == i { quote!(#ty) } else { quote!(#p) });
            let moves = self.fields.iter().filter(|g| g.ident != f.ident).map(|g| {
                let g = &g.ident;
                quote!(#g: self.#g)
            });
            let (arg, value) = setter_value(ty);
            return quote! {
                #doc
                pub fn #setter(self, value: #arg) -> #builder<#(#out),*> {
                    #builder { #ident: #value, #(#moves,)* #extra: self.#extra }
                }
            };
        }
        let (arg, value) = match f.presence {
            Presence::Required => setter_value(ty),
            Presence::Nullable => {
                let v = &f.value_ty;
                (
                    quote!(impl Into<::magic_api::runtime::wire::Nullable<#v>>),
                    quote!(Some(value.into())),
                )
            }
            Presence::Optional => {
                let (arg, value) = setter_value(&f.value_ty);
                (arg, quote!(Some(#value)))
            }
        };
        quote! {
            #doc
            pub fn #setter(mut self, value: #arg) -> Self {
                self.#ident = #value;
                self
            }
        }
    }
}

/// What a setter of a value of type `ty` takes, and how it makes the value: anything that
/// converts (`impl Into<T>`); for a list, any iterable of items that convert (the runtime's
/// `IntoList`), so `["a", "b"]`, `vec!["a"]` and an iterator of ids all set a `Vec<String>` or
/// `Vec<SiteId>`.
fn setter_value(ty: &Type) -> (TokenStream, TokenStream) {
    match generic_arg(ty, "Vec") {
        Some(item) => (
            quote!(impl ::magic_api::runtime::builder::IntoList<#item>),
            quote!(::magic_api::runtime::builder::IntoList::into_list(value)),
        ),
        None => (quote!(impl Into<#ty>), quote!(value.into())),
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
