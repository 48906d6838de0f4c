//! The committed API snapshot (`magic-api/api.json`, what the change report compares) says what
//! the committed code says: the generated `types.rs` and `client.rs` are parsed with `syn`, and
//! every type, field, value, variant and operation the snapshot records is looked up there with
//! the type the snapshot gives it.

use std::collections::BTreeMap;

use codegen::emit::snapshot::{OpEntry, Snapshot, TypeEntry};
use quote::ToTokens;
use syn::{Fields, GenericArgument, Item, ItemMod, PathArguments, ReturnType, Type};

fn read(relative: &str) -> String {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .join(relative);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn parse(relative: &str) -> syn::File {
    syn::parse_file(&read(relative)).unwrap_or_else(|e| panic!("{relative} does not parse: {e}"))
}

/// A type as the snapshot spells it: each path by its last segment (`::magic_api::types::Pcap`
/// is `Pcap`, `::serde_json::Value` is `Value`), generic arguments kept, references dropped.
fn spelled(ty: &Type) -> String {
    match ty {
        Type::Reference(r) => spelled(&r.elem),
        Type::Tuple(t) if t.elems.is_empty() => "()".into(),
        Type::Path(p) => {
            let Some(last) = p.path.segments.last() else {
                return String::new();
            };
            let mut out = last.ident.to_string();
            if let PathArguments::AngleBracketed(args) = &last.arguments {
                let inner: Vec<String> = args
                    .args
                    .iter()
                    .filter_map(|a| match a {
                        GenericArgument::Type(t) => Some(spelled(t)),
                        _ => None,
                    })
                    .collect();
                if !inner.is_empty() {
                    out.push_str(&format!("<{}>", inner.join(", ")));
                }
            }
            out
        }
        Type::ImplTrait(t) => {
            let bounds: Vec<String> = t
                .bounds
                .iter()
                .filter_map(|b| match b {
                    syn::TypeParamBound::Trait(tr) => {
                        Some(spelled(&Type::Path(syn::parse_quote!(#tr))))
                    }
                    _ => None,
                })
                .collect();
            format!("impl {}", bounds.join(" + "))
        }
        other => other.to_token_stream().to_string(),
    }
}

/// The generic arguments of a path type (`Call<'a, Json<X>, O>` -> `[Json<X>, O]`).
fn type_args(ty: &Type) -> Vec<Type> {
    let Type::Path(p) = ty else { return Vec::new() };
    let Some(last) = p.path.segments.last() else {
        return Vec::new();
    };
    let PathArguments::AngleBracketed(args) = &last.arguments else {
        return Vec::new();
    };
    args.args
        .iter()
        .filter_map(|a| match a {
            GenericArgument::Type(t) => Some(t.clone()),
            _ => None,
        })
        .collect()
}

fn items_by_name(file: &syn::File) -> BTreeMap<String, &Item> {
    let mut out = BTreeMap::new();
    for item in &file.items {
        let name = match item {
            Item::Struct(s) => s.ident.to_string(),
            Item::Enum(e) => e.ident.to_string(),
            Item::Type(t) => t.ident.to_string(),
            _ => continue,
        };
        out.insert(name, item);
    }
    out
}

fn wire_value(attrs: &[syn::Attribute]) -> Option<String> {
    attrs.iter().find_map(|a| match &a.meta {
        syn::Meta::NameValue(nv) if nv.path.is_ident("wire") => match &nv.value {
            syn::Expr::Lit(syn::ExprLit {
                lit: syn::Lit::Str(s),
                ..
            }) => Some(s.value()),
            _ => None,
        },
        _ => None,
    })
}

fn check_type(name: &str, entry: &TypeEntry, item: &Item, problems: &mut Vec<String>) {
    let mut problem = |text: String| problems.push(format!("{name}: {text}"));
    match (entry.kind.as_str(), item) {
        ("struct", Item::Struct(s)) => {
            let Fields::Named(fields) = &s.fields else {
                return problem("not a struct with named fields".into());
            };
            let by_ident: BTreeMap<String, &syn::Field> = fields
                .named
                .iter()
                .filter_map(|f| f.ident.as_ref().map(|i| (i.to_string(), f)))
                .collect();
            for (wire, f) in &entry.fields {
                let Some(field) = by_ident.get(&f.rust) else {
                    problem(format!("field `{}` ({wire}) is not in the code", f.rust));
                    continue;
                };
                let mut code = spelled(&field.ty);
                if !f.required {
                    match code
                        .strip_prefix("Option<")
                        .and_then(|c| c.strip_suffix('>'))
                    {
                        Some(inner) => code = inner.to_string(),
                        None => problem(format!("optional field `{}` is `{code}`", f.rust)),
                    }
                }
                if code != f.ty {
                    problem(format!(
                        "field `{}` is `{code}` in the code, `{}` in the snapshot",
                        f.rust, f.ty
                    ));
                }
            }
            // `#[wire]` derives `Default` only when asked (`#[wire(default)]`); the snapshot's
            // traits say whether it was.
            let wire_args = s
                .attrs
                .iter()
                .filter(|a| a.path().segments.last().is_some_and(|l| l.ident == "wire"))
                .map(|a| a.to_token_stream().to_string())
                .collect::<String>();
            let default = wire_args.contains("default");
            if default != entry.traits.iter().any(|t| t == "Default") {
                problem(format!(
                    "derives Default: {default} in the code, traits {:?} in the snapshot",
                    entry.traits
                ));
            }
            if wire_args.contains("builder") != entry.builder {
                problem(format!("builder is {} in the snapshot", entry.builder));
            }
            // The builder tracks the required fields without a preset.
            let tracked: Vec<String> = fields
                .named
                .iter()
                .filter(|f| !spelled(&f.ty).starts_with("Option<"))
                .filter(|f| !f.attrs.iter().any(|a| a.path().is_ident("wire")))
                .filter_map(|f| f.ident.as_ref().map(|i| i.to_string()))
                .collect();
            if entry.builder && tracked != entry.builder_required {
                problem(format!(
                    "the builder needs {tracked:?} in the code, {:?} in the snapshot",
                    entry.builder_required
                ));
            }
            let non_exhaustive = s.attrs.iter().any(|a| a.path().is_ident("non_exhaustive"));
            if non_exhaustive != entry.non_exhaustive {
                problem(format!("non_exhaustive is {non_exhaustive} in the code"));
            }
        }
        ("enum", Item::Enum(e)) => {
            let values: Vec<String> = e
                .variants
                .iter()
                .filter_map(|v| wire_value(&v.attrs))
                .collect();
            if values != entry.values {
                problem(format!(
                    "values {values:?} in the code, {:?} in the snapshot",
                    entry.values
                ));
            }
        }
        ("union", Item::Enum(e)) => {
            let variants: BTreeMap<String, String> = e
                .variants
                .iter()
                .filter(|v| v.ident != "Unknown" && v.ident != "Other")
                .map(|v| {
                    let ty = match &v.fields {
                        Fields::Unnamed(f) => f
                            .unnamed
                            .first()
                            .map(|f| spelled(&f.ty))
                            .unwrap_or_default(),
                        _ => String::new(),
                    };
                    (v.ident.to_string(), ty)
                })
                .collect();
            if variants != entry.variants {
                problem(format!(
                    "variants {variants:?} in the code, {:?} in the snapshot",
                    entry.variants
                ));
            }
        }
        ("alias", Item::Type(t)) => {
            let target = spelled(&t.ty);
            if Some(&target) != entry.target.as_ref() {
                problem(format!(
                    "is `{target}` in the code, {:?} in the snapshot",
                    entry.target
                ));
            }
        }
        (kind, _) => problem(format!("is a {kind} in the snapshot but not in the code")),
    }
}

/// The module of a handle path (`sites().lans()` -> the `sites::lans` module) and its handle's
/// methods.
fn handle_methods<'f>(client: &'f syn::File, modules: &[&str]) -> Option<Vec<&'f syn::ImplItemFn>> {
    let mut items: &[Item] = &client.items;
    for m in modules {
        let module: &ItemMod = items.iter().find_map(|i| match i {
            Item::Mod(md) if md.ident == m => Some(md),
            _ => None,
        })?;
        items = &module.content.as_ref()?.1;
    }
    let methods = items
        .iter()
        .filter_map(|i| match i {
            Item::Impl(imp) => Some(imp),
            _ => None,
        })
        .flat_map(|imp| imp.items.iter())
        .filter_map(|i| match i {
            syn::ImplItem::Fn(f) => Some(f),
            _ => None,
        })
        .collect();
    Some(methods)
}

fn check_op(client: &syn::File, key: &str, op: &OpEntry, problems: &mut Vec<String>) {
    let mut problem = |text: String| problems.push(format!("{key} ({}): {text}", op.call));
    let mut parts: Vec<&str> = op.call.split('.').collect();
    let Some(method) = parts.pop() else {
        return problem("no call path".into());
    };
    let modules: Vec<&str> = parts.iter().map(|p| p.trim_end_matches("()")).collect();
    let Some(methods) = handle_methods(client, &modules) else {
        return problem("its handle's module is not in the code".into());
    };
    let Some(f) = methods.iter().find(|f| f.sig.ident == method) else {
        return problem(format!("method `{method}` is not in the code"));
    };
    let ReturnType::Type(_, ret) = &f.sig.output else {
        return problem("returns nothing".into());
    };
    let args = type_args(ret);
    let (Some(receive), Some(options)) = (args.first(), args.get(1)) else {
        return problem(format!("returns `{}`, not a `Call`", spelled(ret)));
    };
    let result = match spelled(receive).as_str() {
        "Empty" => "()".to_string(),
        "Binary" => "Download".to_string(),
        _ => type_args(receive).first().map(spelled).unwrap_or_default(),
    };
    if result != op.result {
        problem(format!(
            "gives `{result}` in the code, `{}` in the snapshot",
            op.result
        ));
    }
    let options = spelled(options);
    if options != op.options {
        problem(format!(
            "options `{options}` in the code, `{}` in the snapshot",
            op.options
        ));
    }
    let returns = declared(ret);
    if returns != op.returns {
        problem(format!(
            "returns `{returns}` in the code, `{}` in the snapshot",
            op.returns
        ));
    }
    // Arguments: the required parameters, then the body, each as declared.
    let code_args: Vec<String> = f
        .sig
        .inputs
        .iter()
        .filter_map(|a| match a {
            syn::FnArg::Typed(t) => {
                Some(format!("{}: {}", t.pat.to_token_stream(), declared(&t.ty)))
            }
            _ => None,
        })
        // An untyped body is a generic `B: Serialize`.
        .map(|a| a.replace("body: &B", "body: &impl Serialize"))
        .collect();
    if code_args != op.args {
        problem(format!(
            "takes ({}), the snapshot says ({})",
            code_args.join(", "),
            op.args.join(", ")
        ));
    }
    let required = op.params.iter().filter(|(_, p)| p.required).count();
    let body = usize::from(op.args.iter().any(|a| a.starts_with("body: ")));
    if op.args.len() != required + body {
        problem(format!(
            "{} arguments for {required} required parameters",
            op.args.len()
        ));
    }
}

/// A type as declared, each path by its last segment (`&::magic_api::SiteId` is `&SiteId`,
/// `Call<'a, Json<X>, O>` keeps its lifetime).
fn declared(ty: &Type) -> String {
    match ty {
        Type::Reference(r) => format!("&{}", declared(&r.elem)),
        Type::Path(p) => {
            let Some(last) = p.path.segments.last() else {
                return String::new();
            };
            let mut out = last.ident.to_string();
            if let PathArguments::AngleBracketed(args) = &last.arguments {
                let inner: Vec<String> = args
                    .args
                    .iter()
                    .map(|a| match a {
                        GenericArgument::Type(t) => declared(t),
                        GenericArgument::Lifetime(l) => l.to_string(),
                        other => other.to_token_stream().to_string(),
                    })
                    .collect();
                out.push_str(&format!("<{}>", inner.join(", ")));
            }
            out
        }
        other => spelled(other),
    }
}

#[test]
fn the_api_snapshot_says_what_the_generated_code_says() {
    let snapshot = Snapshot::from_json(&read(codegen::emit::SNAPSHOT_PATH)).expect("api.json");
    let types = parse("magic-api/src/generated/types.rs");
    let client = parse("magic-api/src/generated/client.rs");
    let items = items_by_name(&types);
    let mut problems = Vec::new();
    for (name, entry) in &snapshot.types {
        match items.get(name) {
            Some(item) => check_type(name, entry, item, &mut problems),
            None => problems.push(format!("{name}: in the snapshot, not in types.rs")),
        }
    }
    for name in items.keys() {
        if !snapshot.types.contains_key(name) {
            problems.push(format!("{name}: in types.rs, not in the snapshot"));
        }
    }
    for (key, op) in &snapshot.operations {
        check_op(&client, key, op, &mut problems);
    }
    assert!(
        snapshot.operations.len() >= 79,
        "{} operations",
        snapshot.operations.len()
    );
    assert!(
        problems.is_empty(),
        "api.json disagrees with the code:\n{}",
        problems.join("\n")
    );
}
