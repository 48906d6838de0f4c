//! Option sets: one type per operation, named for its call (`sites().list` has
//! `SitesListOptions`) and present even when the operation has no optional parameter, with a
//! setter per parameter on the call.
//!
//! A set of its own, named for the call rather than for its parameters, is what makes a new
//! optional parameter additive: it adds a field and a setter, and the call's type
//! (`Call<'_, R, SitesListOptions>`) stays what it was. Sets shared by parameter list were
//! renamed by every new parameter (`ConnectoridOptions` became `ConnectoridHaModeOptions`), and
//! an operation's first optional parameter changed its call from `Call<'_, R, ()>`.

use super::names::{camel, snake};
use super::{Index, RustTy};
use crate::ir::{FormHeader, Param, ParamLocation, Ty};

/// A set of optional parameters with its setters.
#[derive(Debug, Clone, PartialEq)]
pub struct OptionSetPlan {
    /// Its Rust name (`SitesListOptions`).
    pub rust: String,
    /// The operation's call (`sites().list`).
    pub call: String,
    /// Its documentation (for a set without parameters, what `define_options!` says of every
    /// such set, with the call's name).
    pub doc: String,
    /// One per parameter.
    pub fields: Vec<OptionFieldPlan>,
}

/// The option type of the operation called `call` (`sites().lans().list` ->
/// `SitesLansListOptions`).
fn option_type_name(call: &str) -> String {
    let words: String = call
        .split('.')
        .map(|part| camel(part.trim_end_matches("()")))
        .collect();
    format!("{words}Options")
}

/// One optional parameter.
#[derive(Debug, Clone, PartialEq)]
pub struct OptionFieldPlan {
    /// The field and setter name.
    pub setter: String,
    /// The wire name.
    pub wire: String,
    /// Header (never overriding a header the body decided) or query.
    pub location: ParamLocation,
    /// The value's type.
    pub ty: RustTy,
    /// Whether the setter takes `impl Into<T>`.
    pub into: bool,
    /// The setter's documentation.
    pub doc: String,
}

/// The option set of the operation called `call`, with a setter per optional parameter.
pub(super) fn option_set(
    ix: &Index<'_>,
    call: &str,
    form_header: Option<&FormHeader>,
    params: &[&Param],
) -> OptionSetPlan {
    let header_of = |p: &Param| form_header.filter(|f| f.header == p.field.name);
    let setter = |p: &Param| -> String {
        header_of(p)
            .map(|f| f.method.clone())
            .unwrap_or_else(|| snake(&p.field.name))
    };
    let rust = option_type_name(call);
    let fields = params
        .iter()
        .map(|p| {
            let wire = &p.field.name;
            let ty = ix.param_ty(p);
            let doc = match header_of(p) {
                Some(fh) => format!(
                    "Sets `{}`: `true` asks for `{}` in its {} form.",
                    fh.header, fh.union, fh.form
                ),
                None if p.field.description.is_empty() => format!(
                    "Sets the `{wire}` {}.",
                    if p.location == ParamLocation::Header {
                        "header"
                    } else {
                        "query parameter"
                    }
                ),
                None => p.field.description.clone(),
            };
            OptionFieldPlan {
                setter: setter(p),
                wire: wire.clone(),
                location: p.location,
                into: matches!(
                    (&p.field.ty, &ty),
                    (_, RustTy::Id(_)) | (Ty::String | Ty::Number | Ty::Ref { .. }, _)
                ),
                ty,
                doc,
            }
        })
        .collect::<Vec<_>>();
    // Said where a user lands from a call's return type: the setters are the call's methods.
    let doc = if fields.is_empty() {
        format!(
            "The optional parameters of `{call}`: none yet. The call has a type of its own so \
             that one the API adds later is a new setter, not a change of the call's type."
        )
    } else {
        format!(
            "The optional parameters of `{call}` ({}), set with the call's own methods before \
             it is awaited: {}.",
            fields
                .iter()
                .map(|f| format!("`{}`", f.wire))
                .collect::<Vec<_>>()
                .join(", "),
            fields
                .iter()
                .map(|f| format!("`.{}(…)`", f.setter))
                .collect::<Vec<_>>()
                .join(", ")
        )
    };
    OptionSetPlan {
        rust,
        call: call.to_string(),
        doc,
        fields,
    }
}
