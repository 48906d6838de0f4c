//! Option types: one struct per distinct set of optional parameters, with the setters the calls
//! of those operations get (a parameter an operation does not document has no setter).

use super::*;

/// The option type for a set of optional parameters (shared by every operation with the same
/// set), with its setters on `Call`.
pub(super) fn option_type(
    cx: &Context<'_>,
    form_header: Option<&FormHeader>,
    params: &[&Param],
    ids: &BTreeMap<String, (String, String)>,
    options: &mut BTreeMap<String, TokenStream>,
) -> String {
    let header_of = |p: &Param| form_header.filter(|f| f.header == p.field.name);
    let setter = |p: &Param| -> String {
        header_of(p)
            .map(|f| f.method.clone())
            .unwrap_or_else(|| snake(&p.field.name))
    };
    let name = format!(
        "{}Options",
        params.iter().map(|p| camel(&setter(p))).collect::<String>()
    );
    if options.contains_key(&name) {
        return name;
    }
    let n = ident(&name);
    let mut fields = Vec::new();
    let mut applies = Vec::new();
    let mut setters = Vec::new();
    for p in params {
        let f = ident(&setter(p));
        let ty = param_ty(cx, ids, p);
        let wire = &p.field.name;
        let value = match id_for(ids, p) {
            Some(_) => quote!(value.as_str().to_string()),
            None => to_wire(&p.field.ty, quote!(value)),
        };
        fields.push(quote!(#f: Option<#ty>,));
        applies.push(match p.location {
            // A header the body already decided (a form header) is never overridden.
            ParamLocation::Header => quote! {
                if let Some(value) = &self.#f {
                    if !request.has_header(#wire) {
                        request = request.header(#wire, #value);
                    }
                }
            },
            _ => quote! {
                if let Some(value) = &self.#f {
                    request = request.query(#wire, #value);
                }
            },
        });
        let mut text = p.field.description.clone();
        if text.is_empty() {
            text = format!(
                "Sets the `{wire}` {}.",
                if p.location == ParamLocation::Header {
                    "header"
                } else {
                    "query parameter"
                }
            );
        }
        if let Some(fh) = header_of(p) {
            text = format!(
                "Sets `{}`: `true` asks for `{}` in its {} form.",
                fh.header, fh.union, fh.form
            );
        }
        let d = doc(&text);
        let arg = match (&p.field.ty, id_for(ids, p)) {
            (_, Some(_)) | (Ty::String | Ty::Number, _) | (Ty::Ref { .. }, _) => {
                quote!(value: impl Into<#ty>)
            }
            _ => quote!(value: #ty),
        };
        let into = match (&p.field.ty, id_for(ids, p)) {
            (_, Some(_)) | (Ty::String, _) | (Ty::Ref { .. }, _) => quote!(value.into()),
            _ => quote!(value),
        };
        setters.push(quote! {
            #d
            pub fn #f(mut self, #arg) -> Self {
                self.options_mut().#f = Some(#into);
                self
            }
        });
    }
    // Said where a user lands from a call's return type: the setters are the call's methods.
    let text = format!(
        " Optional parameters of the calls that carry these options ({}), set with the call's \
         own methods before it is awaited: {}.",
        params
            .iter()
            .map(|p| format!("`{}`", p.field.name))
            .collect::<Vec<_>>()
            .join(", "),
        params
            .iter()
            .map(|p| format!("`.{}(…)`", setter(p)))
            .collect::<Vec<_>>()
            .join(", ")
    );
    let options_doc = doc(&text);
    options.insert(
        name.clone(),
        quote! {
            #options_doc
            #[derive(Debug, Clone, Default)]
            pub struct #n {
                #(#fields)*
            }
            impl ::magic_api::CallOptions for #n {
                fn apply(&self, mut request: ::magic_api::RawRequest) -> ::magic_api::RawRequest {
                    #(#applies)*
                    request
                }
            }
            impl<R: ::magic_api::Receive> ::magic_api::Call<'_, R, #n> {
                #(#setters)*
            }
        },
    );
    name
}
