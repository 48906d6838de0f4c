//! Emits the client: typed identifiers, one handle per resource (nested as the paths nest), one
//! method per operation, and option types for the optional parameters operations document.
//!
//! - Required inputs (path parameters, required query parameters, the body) are method
//!   arguments, so none can be left out. Path parameters are typed identifiers
//!   (`&SiteId`, `&LanId`): passing one where another belongs does not compile.
//! - Optional inputs are setters on the returned [`Call`], generated only for the operations that
//!   document them.
//! - A header that selects a union's form (`spec/refinements.toml` `[[form_headers]]`) is set
//!   from the body when the operation has one, so header and body cannot disagree.
//! - A resource with a single operation and no children (`latest`, `download`) becomes a method
//!   on its parent named after it.

mod options;
mod paging;

use std::collections::BTreeMap;

use proc_macro2::{Ident, TokenStream};
use quote::quote;

use options::option_type;
use paging::pagination;

use super::names::{OpName, camel, snake};
use super::types::{Context, doc, ident};
use crate::ir::{
    FormHeader, Method, Operation, Pagination, Param, ParamLocation, Resource, Response, Ty,
    TypeBody,
};

/// The client file.
pub fn client_file(cx: &Context<'_>) -> Result<TokenStream, String> {
    let ids = crate::emit::names::id_types(cx.ir);
    let mut options = BTreeMap::new();
    let mut streams = BTreeMap::new();
    let mut modules = Vec::new();
    let mut accessors = Vec::new();
    for r in &cx.ir.resources {
        let (module, accessor) = resource(cx, r, &ids, &mut options, &mut streams, None)?;
        modules.push(module);
        accessors.push(accessor);
    }
    let id_items = ids.values().map(|(name, text)| {
        let n = ident(name);
        quote!(::magic_api::define_id!(#n, #text);)
    });
    let option_items = options.values();
    let stream_items = streams.values();
    Ok(quote! {
        #![doc = " The client: one handle per resource, one method per operation, typed identifiers."]
        #(#id_items)*
        #(#option_items)*
        #(#stream_items)*
        impl ::magic_api::Client {
            #(#accessors)*
        }
        #(#modules)*
    })
}

/// Path parameter names typed as identifiers -> (type name, doc).
/// The identifier type for a parameter: path parameters by name, and query parameters whose name
/// without underscores equals an identifier's (`connectorid` is a `ConnectorId`).
fn id_for<'i>(ids: &'i BTreeMap<String, (String, String)>, p: &Param) -> Option<&'i str> {
    if p.field.ty != Ty::String {
        return None;
    }
    crate::emit::names::id_named(ids, &p.field.name)
}

fn handle_name(r: &Resource) -> Ident {
    ident(&format!("{}Api", camel(&r.module)))
}

/// How each operation is called, in IR order: `sites().lans().list`, with the same folding of
/// single-operation leaves as the emitted client.
pub fn call_paths(cx: &Context<'_>) -> Vec<String> {
    fn walk(cx: &Context<'_>, r: &Resource, prefix: &str, out: &mut [String]) {
        for &i in &r.operations {
            if let (Some(slot), Some(name)) = (out.get_mut(i), cx.names.ops.get(i)) {
                *slot = format!("{prefix}.{}", name.method);
            }
        }
        for c in &r.children {
            if folds_into_parent(c) {
                if let Some(slot) = c.operations.first().and_then(|&i| out.get_mut(i)) {
                    *slot = format!("{prefix}.{}", snake(&c.module));
                }
            } else {
                walk(cx, c, &format!("{prefix}.{}()", snake(&c.module)), out);
            }
        }
    }
    let mut out = vec![String::new(); cx.ir.operations.len()];
    for r in &cx.ir.resources {
        walk(cx, r, &format!("{}()", snake(&r.module)), &mut out);
    }
    out
}

/// A leaf resource with one operation is folded into its parent as a method.
fn folds_into_parent(r: &Resource) -> bool {
    r.children.is_empty() && r.operations.len() == 1
}

type Module = (TokenStream, TokenStream);

/// What a resource module's operations name, so its `use` lines list exactly that.
#[derive(Default)]
struct Imports {
    /// Items of the crate root (identifiers, option types).
    root: std::collections::BTreeSet<String>,
    /// Data types.
    types: std::collections::BTreeSet<String>,
    /// Runtime items (`Call`, `Json`, ...).
    runtime: std::collections::BTreeSet<&'static str>,
}

impl Imports {
    fn ty(&mut self, cx: &Context<'_>, ty: &Ty) {
        if let Some(id) = super::names::ref_id(ty) {
            self.types.insert(cx.names.of(id).to_string());
        }
    }

    fn tokens(&self) -> TokenStream {
        let mut out = TokenStream::new();
        if !self.runtime.is_empty() {
            let r = self.runtime.iter().map(|n| ident(n));
            out.extend(quote!(use ::magic_api::{#(#r),*};));
            out.extend(quote!(
                use ::magic_api::reqwest::Method;
            ));
        }
        if !self.root.is_empty() {
            let r = self.root.iter().map(|n| ident(n));
            out.extend(quote!(use crate::{#(#r),*};));
        }
        if !self.types.is_empty() {
            let t = self.types.iter().map(|n| ident(n));
            out.extend(quote!(use crate::types::{#(#t),*};));
        }
        out
    }
}

fn resource(
    cx: &Context<'_>,
    r: &Resource,
    ids: &BTreeMap<String, (String, String)>,
    options: &mut BTreeMap<String, TokenStream>,
    streams: &mut BTreeMap<String, TokenStream>,
    parent: Option<&Resource>,
) -> Result<Module, String> {
    let module = ident(&snake(&r.module));
    let handle = handle_name(r);
    let mut methods = Vec::new();
    let mut imports = Imports::default();
    for &i in &r.operations {
        methods.push(operation(cx, i, None, ids, options, streams, &mut imports)?);
    }
    let mut children = Vec::new();
    for c in &r.children {
        if folds_into_parent(c) {
            let name = snake(&c.module);
            methods.push(operation(
                cx,
                c.operations[0],
                Some(&name),
                ids,
                options,
                streams,
                &mut imports,
            )?);
            continue;
        }
        let (child_module, accessor) = resource(cx, c, ids, options, streams, Some(r))?;
        children.push(child_module);
        methods.push(accessor);
    }
    let text = format!(" Operations on {} (`{}`).", r.title, r.path_prefix);
    let module_text = format!(" {}: `{}`.", r.title, r.path_prefix);
    let uses = imports.tokens();
    let module_doc = doc(&module_text);
    let handle_doc = doc(&text);
    let item = quote! {
        #module_doc
        pub mod #module {
            #uses
            #handle_doc
            #[derive(Debug, Clone, Copy)]
            pub struct #handle<'a> {
                pub(crate) client: &'a ::magic_api::Client,
            }
            impl<'a> #handle<'a> {
                #(#methods)*
            }
            #(#children)*
        }
    };
    let path = quote!(#module::#handle);
    let accessor_text = format!(" {} (`{}`).", r.title, r.path_prefix);
    let accessor_doc = doc(&accessor_text);
    let accessor = match parent {
        None => quote! {
            #accessor_doc
            pub fn #module(&self) -> #path<'_> {
                #path { client: self }
            }
        },
        Some(_) => quote! {
            #accessor_doc
            pub fn #module(&self) -> #path<'a> {
                #path { client: self.client }
            }
        },
    };
    Ok((item, accessor))
}

fn method_token(m: Method) -> TokenStream {
    match m {
        Method::Get => quote!(GET),
        Method::Post => quote!(POST),
        Method::Put => quote!(PUT),
        Method::Patch => quote!(PATCH),
        Method::Delete => quote!(DELETE),
    }
}

/// The string a query or header value is sent as.
fn to_wire(ty: &Ty, value: TokenStream) -> TokenStream {
    match ty {
        Ty::Ref { .. } => quote!(#value.as_str().to_string()),
        Ty::String | Ty::Literal { .. } => quote!(#value.clone()),
        _ => quote!(#value.to_string()),
    }
}

fn param_ty(cx: &Context<'_>, ids: &BTreeMap<String, (String, String)>, p: &Param) -> TokenStream {
    match id_for(ids, p) {
        Some(name) => {
            let n = ident(name);
            quote!(crate::#n)
        }
        None => cx.qualified_ty(&p.field.ty),
    }
}

#[allow(clippy::too_many_arguments)]
fn operation(
    cx: &Context<'_>,
    index: usize,
    rename: Option<&str>,
    ids: &BTreeMap<String, (String, String)>,
    options: &mut BTreeMap<String, TokenStream>,
    streams: &mut BTreeMap<String, TokenStream>,
    imports: &mut Imports,
) -> Result<TokenStream, String> {
    let op = &cx.ir.operations[index];
    let names: &OpName = &cx.names.ops[index];
    let method = ident(rename.unwrap_or(&names.method));
    let http = method_token(op.method);

    // Path: the documented template, filled in placeholder order.
    let mut args = Vec::new();
    let mut values = Vec::new();
    for name in crate::ir::resources_placeholders(&op.segments) {
        let p = find_param(op, &name)?;
        let a = ident(&snake(&name));
        if p.field.ty == Ty::Integer {
            args.push(quote!(#a: i64));
            values.push(quote!(#a.into()));
        } else if p.field.ty == Ty::Number {
            // Written exactly as given: an event's `t` goes back as the server wrote it.
            imports.runtime.insert("Number");
            args.push(quote!(#a: impl Into<Number>));
            values.push(quote!((&#a.into()).into()));
        } else {
            let ty = short_param_ty(cx, ids, p, imports);
            args.push(quote!(#a: &#ty));
            values.push(quote!(#a.into()));
        }
    }
    let template = &op.path;

    // Required query parameters are arguments; optional query and header parameters are options.
    let mut required_query = Vec::new();
    let mut optional: Vec<&Param> = Vec::new();
    let form_header = op.form_header.as_ref();
    let form_paths = match (&op.body, form_header) {
        (Some(body), Some(fh)) => union_paths(cx, &body.ty, &fh.union),
        _ => Vec::new(),
    };
    for p in &op.params {
        match p.location {
            ParamLocation::Path => {}
            ParamLocation::Query | ParamLocation::Header if p.field.required => {
                let a = ident(&snake(&p.field.name));
                let ty = short_param_ty(cx, ids, p, imports);
                let wire = &p.field.name;
                if p.field.ty == Ty::Number {
                    args.push(quote!(#a: impl Into<#ty>));
                    required_query.push(quote!(.query(#wire, #a.into())));
                } else {
                    args.push(quote!(#a: #ty));
                    required_query.push(quote!(.query(#wire, #a)));
                }
            }
            ParamLocation::Header
                if form_header.is_some_and(|f| f.header == p.field.name)
                    && !form_paths.is_empty() => {}
            _ => optional.push(p),
        }
    }

    // Body.
    let mut generics = TokenStream::new();
    let body = match &op.body {
        None => TokenStream::new(),
        // An action whose body the reference leaves untyped and whose every example sends `{}`
        // (`psk_generate`): there is nothing for the caller to say, so the method takes no body
        // and sends `{}`. Bulk updates (`PUT` on a collection, also documented with `{}`) keep
        // their body: the API needs the objects there.
        Some(_) if sends_fixed_empty_body(op) => {
            quote!(.empty_object_body())
        }
        Some(b) => {
            if b.ty == Ty::Unknown {
                generics = quote!(<B: ::serde::Serialize + ?Sized>);
                args.push(quote!(body: &B));
            } else {
                imports.ty(cx, &b.ty);
                let ty = cx.rust_ty(&b.ty);
                args.push(quote!(body: &#ty));
            }
            match (form_header, form_paths.is_empty()) {
                (Some(fh), false) => {
                    let header = &fh.header;
                    let paths = form_paths.iter().map(|p| quote!(&[#(#p),*]));
                    quote!(.body_with_form_header(body, #header, &[#(#paths),*]))
                }
                _ => quote!(.body(body)),
            }
        }
    };

    imports.runtime.insert("Call");
    let receive = match &op.response {
        Response::Envelope { result: t, .. } | Response::Json { ty: t } => {
            imports.ty(cx, t);
            imports.runtime.insert("Json");
            let t = super::types::call_result_ty(cx, op).unwrap_or_default();
            quote!(Json<#t>)
        }
        Response::None => {
            imports.runtime.insert("Empty");
            quote!(Empty)
        }
        Response::Binary { .. } => {
            imports.runtime.insert("Binary");
            quote!(Binary)
        }
    };
    let options_short = if optional.is_empty() {
        quote!(())
    } else {
        let name = option_type(cx, form_header, &optional, ids, options);
        imports.root.insert(name.clone());
        let n = ident(&name);
        quote!(#n)
    };
    pagination(cx, op, streams)?;

    let title_line = format!(" {}: `{} {}`.", op.title, op.method.as_str(), op.path);
    let mut d = doc(&title_line);
    if !op.description.is_empty() {
        d.extend(quote!(#[doc = ""]));
        d.extend(doc(&op.description));
    }
    let allow = (args.len() > 6).then(|| quote!(#[allow(clippy::too_many_arguments)]));
    // `#[inline]` on operations that send a body: their body's serialization (most of this
    // crate's machine code otherwise) is compiled in the crate that calls them, for the
    // operations it calls, instead of here for every one.
    let inline = (op.body.is_some() && !sends_fixed_empty_body(op)).then(|| quote!(#[inline]));
    Ok(quote! {
        #d
        #allow
        #inline
        pub fn #method #generics(&self, #(#args),*) -> Call<'a, #receive, #options_short> {
            Call::at(self.client, Method::#http, #template, &[#(#values),*])
                #(#required_query)*
                #body
        }
    })
}

/// A parameter's type as written inside a resource module (identifiers imported by name).
fn short_param_ty(
    cx: &Context<'_>,
    ids: &BTreeMap<String, (String, String)>,
    p: &Param,
    imports: &mut Imports,
) -> TokenStream {
    match id_for(ids, p) {
        Some(name) => {
            imports.root.insert(name.to_string());
            let n = ident(name);
            quote!(#n)
        }
        None => {
            imports.ty(cx, &p.field.ty);
            cx.rust_ty(&p.field.ty)
        }
    }
}

fn find_param<'o>(op: &'o Operation, name: &str) -> Result<&'o Param, String> {
    op.params
        .iter()
        .find(|p| p.location == ParamLocation::Path && p.field.name == name)
        .ok_or_else(|| {
            format!(
                "{} {}: no path parameter `{name}`",
                op.method.as_str(),
                op.path
            )
        })
}

/// Every field path from `ty` to a field whose type is the union named by `Type.field`.
fn union_paths(cx: &Context<'_>, ty: &Ty, union: &str) -> Vec<Vec<String>> {
    let Some((owner, field)) = union.split_once('.') else {
        return Vec::new();
    };
    let target = cx
        .ir
        .types
        .iter()
        .chain(&cx.ir.shapes)
        .find_map(|d| match &d.body {
            TypeBody::Object { fields } if d.name.as_deref() == Some(owner) => fields
                .iter()
                .find(|f| f.name == field)
                .map(|f| f.ty.clone()),
            _ => None,
        });
    let Some(target) = target else {
        return Vec::new();
    };
    let mut out = Vec::new();
    walk_paths(cx, ty, &target, &mut Vec::new(), &mut out, 0);
    out
}

fn walk_paths(
    cx: &Context<'_>,
    ty: &Ty,
    target: &Ty,
    path: &mut Vec<String>,
    out: &mut Vec<Vec<String>>,
    depth: usize,
) {
    if depth > 8 {
        return;
    }
    let ty = match ty {
        Ty::Array { items } => items.as_ref(),
        other => other,
    };
    if ty == target && !path.is_empty() {
        out.push(path.clone());
        return;
    }
    let Ty::Ref { id } = ty else { return };
    let Some(def) = cx.defs.get(id.as_str()) else {
        return;
    };
    match &def.body {
        TypeBody::Object { fields } => {
            for f in fields {
                path.push(f.name.clone());
                walk_paths(cx, &f.ty, target, path, out, depth + 1);
                path.pop();
            }
        }
        TypeBody::Union { alternatives, .. } => {
            for a in alternatives {
                walk_paths(cx, &a.ty, target, path, out, depth + 1);
            }
        }
        _ => {}
    }
}

/// Whether the call sends the fixed `{}` and takes no body argument: a `POST` whose untyped
/// body the reference documents only as `{}`.
pub(super) fn sends_fixed_empty_body(op: &Operation) -> bool {
    op.method == Method::Post
        && op.body.as_ref().is_some_and(|b| b.ty == Ty::Unknown)
        && op
            .examples
            .request
            .as_ref()
            .and_then(|v| v.as_object())
            .is_some_and(|m| m.is_empty())
}
