//! Prints the client the plan holds: typed identifiers, one handle per resource (nested as the
//! paths nest), one method per operation, the option sets and the paging impls.
//!
//! The method returns a [`Call`] that is sent by awaiting it; optional parameters are setters of
//! its option set. See [`crate::plan`] for what is decided where.

mod example;
mod options;
mod paging;

use std::collections::BTreeSet;

use proc_macro2::TokenStream;
use quote::quote;

use super::spell::{Place, doc, ident, names_used, ty};
use crate::ir::Method;
use crate::plan::docs::OpDocs;
use crate::plan::{ArgPlan, BodyPlan, HandlePlan, OpPlan, PathValue, Plan, ReceivePlan, RustTy};

/// The client file.
pub fn client_file(plan: &Plan<'_>) -> Result<TokenStream, String> {
    let mut modules = Vec::new();
    let mut accessors = Vec::new();
    for h in &plan.handles {
        let (module, accessor) = handle(plan, h, false);
        modules.push(module);
        accessors.push(accessor);
    }
    let id_items = plan.ids.iter().map(|id| {
        let n = ident(&id.rust);
        let text = &id.doc;
        quote!(::magic_api::define_id!(#n, #text);)
    });
    let choice_items = plan.id_choices.iter().map(|c| {
        let n = ident(&c.rust);
        let text = &c.doc;
        let variants = c.variants.iter().map(|(v, id)| {
            let v = ident(v);
            let id = ident(id);
            quote!(#v(#id))
        });
        quote!(::magic_api::define_id_choice!(#n, #text, #(#variants),*);)
    });
    let option_items = plan.option_sets.iter().map(options::option_set);
    let options_doc = super::docs::inner_attr(
        "The optional parameters of the operations, one type per operation, named for its call.\n\n\
         `sites().list` returns a `Call<'_, _, SitesListOptions>`; each parameter is a setter on \
         that call (`.validate_only(true)`), set before the call is awaited, and a call has \
         exactly the setters its operation documents. An operation without optional parameters \
         has its (empty) type too, so a parameter the API adds later is a new setter and never \
         changes the call's type.",
    );
    let stream_items = plan.streams.iter().map(paging::paged);
    Ok(quote! {
        #![doc = " The client: one handle per resource, one method per operation, typed identifiers."]
        #(#id_items)*
        #(#choice_items)*
        pub mod options {
            #options_doc
            #(#option_items)*
        }
        #(#stream_items)*
        impl ::magic_api::Client {
            #(#accessors)*
        }
        #(#modules)*
    })
}

/// What a resource module's operations name, so its `use` lines list exactly that.
#[derive(Default)]
struct Imports {
    /// Items of the crate root (identifiers, runtime items).
    root: BTreeSet<String>,
    /// Option sets (module `options`).
    options: BTreeSet<String>,
    /// Data types.
    types: BTreeSet<String>,
}

impl Imports {
    fn ty(&mut self, t: &RustTy) {
        names_used(t, &mut self.root, &mut self.types);
    }

    fn tokens(&self) -> TokenStream {
        let mut out = TokenStream::new();
        if !self.root.is_empty() {
            let r = self.root.iter().map(|n| ident(n));
            out.extend(quote!(use ::magic_api::{#(#r),*};));
            out.extend(quote!(
                use ::magic_api::reqwest::Method;
            ));
        }
        if !self.options.is_empty() {
            let o = self.options.iter().map(|n| ident(n));
            out.extend(quote!(use ::magic_api::options::{#(#o),*};));
        }
        if !self.types.is_empty() {
            let t = self.types.iter().map(|n| ident(n));
            out.extend(quote!(use ::magic_api::types::{#(#t),*};));
        }
        out
    }
}

/// A resource's module and its accessor on the parent (the client, or a parent handle).
fn handle(plan: &Plan<'_>, h: &HandlePlan, nested: bool) -> (TokenStream, TokenStream) {
    let module = ident(&h.module);
    let handle_ty = ident(&h.handle);
    let mut imports = Imports::default();
    let mut methods: Vec<TokenStream> = h
        .ops
        .iter()
        .filter_map(|&i| plan.ops.get(i).map(|op| (op, plan.docs.ops.get(i))))
        .map(|(op, docs)| operation(op, docs, &mut imports))
        .collect();
    let mut children = Vec::new();
    for c in &h.children {
        let (child_module, accessor) = handle(plan, c, true);
        children.push(child_module);
        methods.push(accessor);
    }
    let uses = imports.tokens();
    let hd = plan.docs.handles.get(&h.path_prefix);
    let label = hd.map_or(h.title.as_str(), |d| d.label.as_str());
    // An outer doc resolves links where the module is declared: through the module's name.
    let module_doc = doc(&format!(
        "{label}: [`{1}`]({0}::{1}), the handle `{2}` returns (`{3}`).",
        h.module,
        h.handle,
        hd.map_or("", |d| d.reached.as_str()),
        h.path_prefix
    ));
    let handle_doc = doc(&format!(
        "Operations on {label} (`{}`), one method each: reached as `{}`.",
        h.path_prefix,
        hd.map_or("", |d| d.reached.as_str())
    ));
    let handle_aliases = aliases(hd.map_or(&[][..], |d| &d.aliases));
    let item = quote! {
        #module_doc
        pub mod #module {
            #uses
            #handle_doc
            #handle_aliases
            #[derive(Debug, Clone, Copy)]
            pub struct #handle_ty<'a> {
                pub(crate) client: &'a ::magic_api::Client,
            }
            impl<'a> #handle_ty<'a> {
                #(#methods)*
            }
            #(#children)*
        }
    };
    let path = quote!(#module::#handle_ty);
    let accessor_doc = doc(&format!("{label} (`{}`).", h.path_prefix));
    let accessor = if nested {
        quote! {
            #accessor_doc
            pub fn #module(&self) -> #path<'a> {
                #path { client: self.client }
            }
        }
    } else {
        quote! {
            #accessor_doc
            pub fn #module(&self) -> #path<'_> {
                #path { client: self }
            }
        }
    };
    (item, accessor)
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

/// A method's required arguments: their declarations, the path values in placeholder order, and
/// the required query parameters.
struct Arguments {
    args: Vec<TokenStream>,
    values: Vec<TokenStream>,
    required_query: Vec<TokenStream>,
}

fn arguments(op: &OpPlan, imports: &mut Imports) -> Arguments {
    let mut args = Vec::new();
    let mut values = Vec::new();
    let mut required_query = Vec::new();
    for arg in &op.args {
        match arg {
            ArgPlan::Path {
                ident: a,
                ty: t,
                pass,
            } => {
                imports.ty(t);
                let a = ident(a);
                let t = ty(t, Place::Imported);
                match pass {
                    PathValue::Integer => {
                        args.push(quote!(#a: #t));
                        values.push(quote!(#a.into()));
                    }
                    // Written exactly as given: an event's `t` goes back as the server wrote it.
                    PathValue::Number => {
                        args.push(quote!(#a: impl Into<#t>));
                        values.push(quote!((&#a.into()).into()));
                    }
                    PathValue::Borrowed => {
                        args.push(quote!(#a: &#t));
                        values.push(quote!(#a.into()));
                    }
                }
            }
            ArgPlan::Query {
                ident: a,
                wire,
                ty: t,
                into,
            } => {
                imports.ty(t);
                let a = ident(a);
                let t = ty(t, Place::Imported);
                if *into {
                    args.push(quote!(#a: impl Into<#t>));
                    required_query.push(quote!(.query(#wire, #a.into())));
                } else {
                    args.push(quote!(#a: #t));
                    required_query.push(quote!(.query(#wire, #a)));
                }
            }
        }
    }
    Arguments {
        args,
        values,
        required_query,
    }
}

/// The `#[doc(alias)]` attributes for search aliases (none for none).
fn aliases(aliases: &[String]) -> TokenStream {
    super::docs::aliases(aliases)
}

/// An operation's documentation: the summary line, the description, the setters, the example;
/// and its search aliases.
fn op_docs(op: &OpPlan, docs: Option<&OpDocs>) -> TokenStream {
    let Some(docs) = docs else {
        return doc(&format!(
            "{}: `{} {}`.",
            op.title,
            op.http.as_str(),
            op.template
        ));
    };
    let mut prose = vec![docs.summary.clone()];
    prose.extend(docs.description.clone());
    prose.extend(docs.options.clone());
    prose.push("# Example".into());
    let mut code = vec![String::new()];
    code.extend(example::lines(&op.call, &docs.example));
    let mut out = doc(&prose.join("\n\n"));
    out.extend(super::docs::verbatim(&code));
    out.extend(aliases(&docs.aliases));
    out
}

fn operation(op: &OpPlan, docs: Option<&OpDocs>, imports: &mut Imports) -> TokenStream {
    let method = ident(&op.method);
    let http = method_token(op.http);
    let Arguments {
        mut args,
        values,
        required_query,
    } = arguments(op, imports);
    let mut generics = TokenStream::new();
    let body = match &op.body {
        BodyPlan::None => TokenStream::new(),
        BodyPlan::FixedEmpty => quote!(.empty_object_body()),
        BodyPlan::Sent { ty: body_ty, form } => {
            match body_ty {
                None => {
                    generics = quote!(<B: ::serde::Serialize + ?Sized>);
                    args.push(quote!(body: &B));
                }
                Some(t) => {
                    imports.ty(t);
                    let t = ty(t, Place::Imported);
                    args.push(quote!(body: &#t));
                }
            }
            match form {
                Some((header, paths)) => {
                    let paths = paths.iter().map(|p| quote!(&[#(#p),*]));
                    quote!(.body_with_form_header(body, #header, &[#(#paths),*]))
                }
                None => quote!(.body(body)),
            }
        }
    };
    imports.root.insert("Call".into());
    let receive = match &op.receive {
        ReceivePlan::Json { awaited, .. } => {
            imports.ty(awaited);
            imports.root.insert("Json".into());
            let t = ty(awaited, Place::Imported);
            quote!(Json<#t>)
        }
        ReceivePlan::Empty => {
            imports.root.insert("Empty".into());
            quote!(Empty)
        }
        ReceivePlan::Binary => {
            imports.root.insert("Binary".into());
            quote!(Binary)
        }
    };
    imports.options.insert(op.options.clone());
    let options = ident(&op.options);
    let d = op_docs(op, docs);
    let allow = (args.len() > 6).then(|| quote!(#[allow(clippy::too_many_arguments)]));
    let inline = op.inline.then(|| quote!(#[inline]));
    let template = &op.template;
    quote! {
        #d
        #allow
        #inline
        pub fn #method #generics(&self, #(#args),*) -> Call<'a, #receive, #options> {
            Call::at(self.client, Method::#http, #template, &[#(#values),*])
                #(#required_query)*
                #body
        }
    }
}
