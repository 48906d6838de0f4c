//! The client's plan: typed identifiers, one handle per resource (nested as the paths nest), and
//! per operation its method, arguments, body, option set, what awaiting it gives and how it pages.
//!
//! - Required inputs (path parameters, required query parameters, the body) are arguments, so
//!   none can be left out; path parameters are typed identifiers where the reference names one.
//! - Optional inputs are setters of the operation's own option set, named for the call and
//!   present even when empty (see [`options`](super::options)).
//! - A header that selects a union's form (`[[form_headers]]`) is set from the body when the
//!   operation has one, so header and body cannot disagree.
//! - A resource with a single operation and no children (`latest`, `download`) becomes a method
//!   on its parent named after it.
//! - A DELETE's result is `Option`: the API may confirm a deletion with `"result": null`.

use std::collections::BTreeMap;

use super::names::{camel, snake};
use super::options::option_set;
use super::paging::stream;
use super::{Index, OptionSetPlan, RustTy, StreamPlan};
use crate::ir::{Method, Operation, Param, ParamLocation, Resource, Response, Ty};

/// A typed identifier.
#[derive(Debug, Clone)]
pub struct IdPlan {
    /// Its Rust name (`SiteId`).
    pub rust: String,
    /// Its documentation.
    pub doc: String,
}

/// A resource handle.
#[derive(Debug, Clone)]
pub struct HandlePlan {
    /// The module and accessor name (`lans`).
    pub module: String,
    /// The handle type (`LansApi`).
    pub handle: String,
    /// The reference's heading (`LANs`).
    pub title: String,
    /// The common path prefix (`/accounts/{account_id}/magic/sites/{site_id}/lans`).
    pub path_prefix: String,
    /// The operations that are its methods (a folded child's included), in order.
    pub ops: Vec<usize>,
    /// Child handles.
    pub children: Vec<HandlePlan>,
}

/// One operation.
#[derive(Debug, Clone)]
pub struct OpPlan {
    /// `METHOD /path`.
    pub key: String,
    /// The resource's heading, for grouping the change report.
    pub resource: String,
    /// How it is called: `sites().lans().list`.
    pub call: String,
    /// The method on its handle.
    pub method: String,
    /// The HTTP method.
    pub http: Method,
    /// The documented path template.
    pub template: String,
    /// The method's arguments, in order (path parameters, required query parameters).
    pub args: Vec<ArgPlan>,
    /// The body.
    pub body: BodyPlan,
    /// The name of its option set (every operation has one, empty or not).
    pub options: String,
    /// What awaiting the call gives.
    pub receive: ReceivePlan,
    /// Every parameter as the reference gives it, for the API snapshot.
    pub params: Vec<ParamPlan>,
    /// The reference's title.
    pub title: String,
    /// The reference's description, if any.
    pub description: String,
    /// Compiled where it is called (operations that send a body).
    pub inline: bool,
}

/// One argument of an operation's method.
#[derive(Debug, Clone)]
pub enum ArgPlan {
    /// A path parameter, filled into the template in placeholder order.
    Path {
        /// Its identifier.
        ident: String,
        /// Its type.
        ty: RustTy,
        /// How its value is passed.
        pass: PathValue,
    },
    /// A required query parameter.
    Query {
        /// Its identifier.
        ident: String,
        /// Its wire name.
        wire: String,
        /// Its type.
        ty: RustTy,
        /// Taken as `impl Into<T>` (numbers, written exactly as given).
        into: bool,
    },
}

impl ArgPlan {
    /// The argument as the method declares it (`site_id: &SiteId`), as the snapshot records it.
    pub fn declaration(&self) -> String {
        match self {
            ArgPlan::Path {
                ident,
                ty,
                pass: PathValue::Borrowed,
            } => format!("{ident}: &{ty}"),
            ArgPlan::Path {
                ident,
                ty,
                pass: PathValue::Number,
            }
            | ArgPlan::Query {
                ident,
                ty,
                into: true,
                ..
            } => format!("{ident}: impl Into<{ty}>"),
            ArgPlan::Path { ident, ty, .. } | ArgPlan::Query { ident, ty, .. } => {
                format!("{ident}: {ty}")
            }
        }
    }
}

/// How a path argument is taken.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PathValue {
    /// `i64`, by value.
    Integer,
    /// `impl Into<Number>`: written exactly as given.
    Number,
    /// By reference (`&SiteId`).
    Borrowed,
}

/// An operation's body.
#[derive(Debug, Clone, PartialEq)]
pub enum BodyPlan {
    /// No body.
    None,
    /// The call sends `{}` itself and takes no body argument: a `POST` whose untyped body the
    /// reference documents only as `{}` (`psk_generate`).
    FixedEmpty,
    /// A body argument: typed, or any `Serialize` value where the reference leaves it untyped.
    Sent {
        /// Its type; `None` for untyped.
        ty: Option<RustTy>,
        /// The form header set from it: the header and every field path to the union.
        form: Option<(String, Vec<Vec<String>>)>,
    },
}

/// What awaiting a call gives.
#[derive(Debug, Clone, PartialEq)]
pub enum ReceivePlan {
    /// A JSON result.
    Json {
        /// The result's type as documented.
        result: RustTy,
        /// What awaiting gives (`Option` of it for a DELETE).
        awaited: RustTy,
    },
    /// Nothing.
    Empty,
    /// A download.
    Binary,
}

impl ReceivePlan {
    /// What awaiting gives, as the snapshot records it.
    pub fn text(&self) -> String {
        match self {
            ReceivePlan::Json { awaited, .. } => awaited.text(),
            ReceivePlan::Empty => "()".into(),
            ReceivePlan::Binary => "Download".into(),
        }
    }
}

/// One parameter, as the reference gives it and as the call takes it.
#[derive(Debug, Clone)]
pub struct ParamPlan {
    /// Its wire name.
    pub wire: String,
    /// Where it goes.
    pub location: ParamLocation,
    /// Its type as the call takes it.
    pub ty: RustTy,
    /// Required: an argument; else a setter.
    pub required: bool,
    /// The reference's prose.
    pub prose: String,
}

/// The typed identifiers, in parameter-name order.
pub(super) fn ids(ix: &Index<'_>) -> Vec<IdPlan> {
    ix.ids
        .values()
        .map(|(rust, doc)| IdPlan {
            rust: rust.clone(),
            doc: doc.clone(),
        })
        .collect()
}

/// The operations, handles, option sets and streams.
pub(super) struct Built {
    pub ops: Vec<OpPlan>,
    pub handles: Vec<HandlePlan>,
    pub option_sets: Vec<OptionSetPlan>,
    pub streams: Vec<StreamPlan>,
}

/// Plans every operation and handle.
pub(super) fn operations(ix: &Index<'_>) -> Result<Built, String> {
    let titles = resource_titles(&ix.ir.resources);
    let mut calls = vec![(String::new(), String::new()); ix.ir.operations.len()];
    let handles: Vec<HandlePlan> = ix
        .ir
        .resources
        .iter()
        .map(|r| handle(ix, r, &format!("{}()", snake(&r.module)), &mut calls))
        .collect();
    let mut option_sets: BTreeMap<String, OptionSetPlan> = BTreeMap::new();
    // Names are the call's path in words; two calls could only spell the same name if a module
    // boundary moved between words (`a_b().c`, `a().b_c`), which must stop generation.
    let mut streams: Vec<StreamPlan> = Vec::new();
    let mut ops = Vec::with_capacity(calls.len());
    for (i, (op, (call, method))) in ix.ir.operations.iter().zip(calls).enumerate() {
        let plan = operation(ix, i, call, method, &titles, &mut option_sets)?;
        if let Some(stream) = stream(ix, op)? {
            match streams.iter().find(|s| s.result == stream.result) {
                Some(existing) if *existing != stream => {
                    return Err(format!(
                        "`{}` is paged in two different ways; `stream()` cannot serve both",
                        stream.result
                    ));
                }
                Some(_) => {}
                None => streams.push(stream),
            }
        }
        ops.push(plan);
    }
    streams.sort_by_key(|s| s.result.text());
    Ok(Built {
        ops,
        handles,
        option_sets: option_sets.into_values().collect(),
        streams,
    })
}

/// A leaf resource with one operation is folded into its parent as a method.
fn folds_into_parent(r: &Resource) -> bool {
    r.children.is_empty() && r.operations.len() == 1
}

/// A handle, recording each operation's call path and method name on the way.
fn handle(
    ix: &Index<'_>,
    r: &Resource,
    prefix: &str,
    calls: &mut [(String, String)],
) -> HandlePlan {
    let mut ops = Vec::new();
    let mut set = |i: usize, method: String, calls: &mut [(String, String)]| {
        if let Some(slot) = calls.get_mut(i) {
            *slot = (format!("{prefix}.{method}"), method);
        }
        ops.push(i);
    };
    for &i in &r.operations {
        let method = ix.names.ops.get(i).map(|n| n.method.clone());
        set(i, method.unwrap_or_default(), calls);
    }
    let mut children = Vec::new();
    for c in &r.children {
        if folds_into_parent(c) {
            if let Some(&i) = c.operations.first() {
                set(i, snake(&c.module), calls);
            }
        } else {
            let child_prefix = format!("{prefix}.{}()", snake(&c.module));
            children.push(handle(ix, c, &child_prefix, calls));
        }
    }
    HandlePlan {
        module: snake(&r.module),
        handle: format!("{}Api", camel(&r.module)),
        title: r.title.clone(),
        path_prefix: r.path_prefix.clone(),
        ops,
        children,
    }
}

/// Resource id -> heading, through the whole tree.
fn resource_titles(resources: &[Resource]) -> BTreeMap<&str, String> {
    let mut out = BTreeMap::new();
    for r in resources {
        out.insert(r.id.as_str(), r.title.clone());
        out.extend(resource_titles(&r.children));
    }
    out
}

fn operation(
    ix: &Index<'_>,
    index: usize,
    call: String,
    method: String,
    titles: &BTreeMap<&str, String>,
    option_sets: &mut BTreeMap<String, OptionSetPlan>,
) -> Result<OpPlan, String> {
    let op = &ix.ir.operations[index];
    let mut args = Vec::new();
    // Path: the documented template, filled in placeholder order.
    for name in crate::ir::resources_placeholders(&op.segments) {
        let p = find_param(op, &name)?;
        let pass = match p.field.ty {
            Ty::Integer => PathValue::Integer,
            Ty::Number => PathValue::Number,
            _ => PathValue::Borrowed,
        };
        args.push(ArgPlan::Path {
            ident: snake(&name),
            ty: ix.param_ty(p),
            pass,
        });
    }
    let body = body(ix, op);
    let form_set_by_body = matches!(&body, BodyPlan::Sent { form: Some(_), .. });
    let mut optional: Vec<&Param> = Vec::new();
    for p in &op.params {
        match p.location {
            ParamLocation::Path => {}
            ParamLocation::Query | ParamLocation::Header if p.field.required => {
                let ty = ix.param_ty(p);
                args.push(ArgPlan::Query {
                    ident: snake(&p.field.name),
                    wire: p.field.name.clone(),
                    into: ty == RustTy::Number,
                    ty,
                });
            }
            ParamLocation::Header
                if form_set_by_body
                    && op
                        .form_header
                        .as_ref()
                        .is_some_and(|f| f.header == p.field.name) => {}
            _ => optional.push(p),
        }
    }
    let set = option_set(ix, &call, op.form_header.as_ref(), &optional);
    let options = set.rust.clone();
    if option_sets.insert(options.clone(), set).is_some() {
        return Err(format!(
            "two operations' option types are both named `{options}` (the second is `{call}`)"
        ));
    }
    let receive = match &op.response {
        Response::Envelope { result, .. } | Response::Json { ty: result } => {
            let result = ix.rust_ty(result);
            let awaited = if op.method == Method::Delete {
                RustTy::Option(Box::new(result.clone()))
            } else {
                result.clone()
            };
            ReceivePlan::Json { result, awaited }
        }
        Response::None => ReceivePlan::Empty,
        Response::Binary { .. } => ReceivePlan::Binary,
    };
    let params = op
        .params
        .iter()
        .map(|p| ParamPlan {
            wire: p.field.name.clone(),
            location: p.location,
            ty: ix.param_ty(p),
            required: p.field.required,
            prose: p.field.description.clone(),
        })
        .collect();
    Ok(OpPlan {
        key: format!("{} {}", op.method.as_str(), op.path),
        resource: titles
            .get(op.resource.as_str())
            .cloned()
            .unwrap_or_default(),
        call,
        method,
        http: op.method,
        template: op.path.clone(),
        args,
        // `#[inline]` on operations that send a body: their body's serialization (most of this
        // crate's machine code otherwise) is compiled in the crate that calls them, for the
        // operations it calls, instead of here for every one.
        inline: matches!(body, BodyPlan::Sent { .. }),
        body,
        options,
        receive,
        params,
        title: op.title.clone(),
        description: op.description.clone(),
    })
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

fn body(ix: &Index<'_>, op: &Operation) -> BodyPlan {
    let Some(b) = &op.body else {
        return BodyPlan::None;
    };
    if op.sends_fixed_empty_body() {
        return BodyPlan::FixedEmpty;
    }
    let ty = (b.ty != Ty::Unknown).then(|| ix.rust_ty(&b.ty));
    let form = op
        .form_header
        .as_ref()
        .filter(|fh| !fh.paths.is_empty())
        .map(|fh| (fh.header.clone(), fh.paths.clone()));
    BodyPlan::Sent { ty, form }
}
