//! Option sets: one struct per distinct set of optional parameters, shared by the operations
//! with that set, with a setter per parameter on the call.

use super::names::{camel, snake};
use super::{Index, RustTy};
use crate::ir::{FormHeader, Param, ParamLocation, Ty};

/// A set of optional parameters with its setters.
#[derive(Debug, Clone, PartialEq)]
pub struct OptionSetPlan {
    /// Its Rust name (`ValidateOnlyOptions`).
    pub rust: String,
    /// Its documentation.
    pub doc: String,
    /// One per parameter.
    pub fields: Vec<OptionFieldPlan>,
}

impl OptionSetPlan {
    /// Takes another operation's words for the same parameters: a setter whose prose differs
    /// between the operations gets both, each once, in operation order.
    pub(super) fn merge_docs(&mut self, other: &OptionSetPlan) {
        for (mine, theirs) in self.fields.iter_mut().zip(&other.fields) {
            if !mine.doc.contains(&theirs.doc) {
                mine.doc = format!("{} {}", mine.doc, theirs.doc);
            }
        }
    }
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

/// The option set for some optional parameters, with its setters.
pub(super) fn option_set(
    ix: &Index<'_>,
    form_header: Option<&FormHeader>,
    params: &[&Param],
) -> OptionSetPlan {
    let header_of = |p: &Param| form_header.filter(|f| f.header == p.field.name);
    let setter = |p: &Param| -> String {
        header_of(p)
            .map(|f| f.method.clone())
            .unwrap_or_else(|| snake(&p.field.name))
    };
    let rust = format!(
        "{}Options",
        params.iter().map(|p| camel(&setter(p))).collect::<String>()
    );
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
    let doc = format!(
        "Optional parameters of the calls that carry these options ({}), set with the call's own \
         methods before it is awaited: {}.",
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
    );
    OptionSetPlan { rust, doc, fields }
}
