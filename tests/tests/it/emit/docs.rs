//! The generated documentation teaches: every operation method has an example (a `no_run`
//! doctest under `# Example`, which `cargo test --doc` compiles) and search aliases, no
//! description only repeats its title, a body an example sends is built with its builder, and
//! the option sets live in `magic_api::options`, not at the crate root.

use std::collections::BTreeSet;

use quote::ToTokens;
use syn::{ImplItem, Item, Meta};

fn read(relative: &str) -> String {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .join(relative);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn parse(relative: &str) -> syn::File {
    syn::parse_file(&read(relative)).unwrap_or_else(|e| panic!("{relative} does not parse: {e}"))
}

/// One operation method: its name, doc text (lines joined by `\n`), aliases and signature.
struct Method {
    name: String,
    doc: String,
    aliases: Vec<String>,
    signature: String,
}

/// The doc text and the aliases of some attributes.
fn docs(attrs: &[syn::Attribute]) -> (String, Vec<String>) {
    let mut lines = Vec::new();
    let mut aliases = Vec::new();
    for a in attrs.iter().filter(|a| a.path().is_ident("doc")) {
        match &a.meta {
            Meta::NameValue(nv) => {
                if let syn::Expr::Lit(syn::ExprLit {
                    lit: syn::Lit::Str(s),
                    ..
                }) = &nv.value
                {
                    lines.push(
                        s.value()
                            .strip_prefix(' ')
                            .map(str::to_string)
                            .unwrap_or_else(|| s.value()),
                    );
                }
            }
            Meta::List(list) => {
                let text = list.tokens.to_string();
                aliases.extend(text.split('"').skip(1).step_by(2).map(str::to_string));
            }
            Meta::Path(_) => {}
        }
    }
    (lines.join("\n"), aliases)
}

/// Every method of every handle (`impl …Api`) that documents an HTTP operation, through the
/// nested resource modules.
fn methods(items: &[Item], out: &mut Vec<Method>) {
    for item in items {
        match item {
            Item::Mod(m) => {
                if let Some((_, inner)) = &m.content {
                    methods(inner, out);
                }
            }
            Item::Impl(i) if i.self_ty.to_token_stream().to_string().contains("Api") => {
                for f in i.items.iter().filter_map(|it| match it {
                    ImplItem::Fn(f) => Some(f),
                    _ => None,
                }) {
                    let (doc, aliases) = docs(&f.attrs);
                    // The summary says `METHOD /path` (its lines joined as Markdown joins them).
                    let summary = doc
                        .split("\n\n")
                        .next()
                        .unwrap_or_default()
                        .replace('\n', " ");
                    let is_operation = ["GET", "POST", "PUT", "PATCH", "DELETE"]
                        .iter()
                        .any(|m| summary.contains(&format!("`{m} /")));
                    if is_operation {
                        out.push(Method {
                            name: f.sig.ident.to_string(),
                            doc,
                            aliases,
                            signature: f.sig.to_token_stream().to_string(),
                        });
                    }
                }
            }
            _ => {}
        }
    }
}

fn client_methods() -> Vec<Method> {
    let mut out = Vec::new();
    methods(&parse("magic-api/src/generated/client.rs").items, &mut out);
    out
}

fn operation_count() -> usize {
    let snapshot: serde_json::Value =
        serde_json::from_str(&read("magic-api/api.json")).expect("api.json is JSON");
    snapshot["operations"]
        .as_object()
        .map(|ops| ops.len())
        .expect("api.json lists operations")
}

#[test]
fn every_operation_method_has_an_example_and_search_aliases() {
    let methods = client_methods();
    assert_eq!(methods.len(), operation_count(), "one method per operation");
    for m in &methods {
        let example = m
            .doc
            .split_once("# Example\n")
            .map(|(_, rest)| rest)
            .unwrap_or_else(|| panic!("`{}` has no `# Example` section:\n{}", m.name, m.doc));
        assert!(example.contains("```no_run\n"), "{}: {example}", m.name);
        // Hidden, unless it takes values the reference gives no example for (then shown).
        assert!(
            example.contains("# async fn example(") || example.contains("\nasync fn example("),
            "{}: {example}",
            m.name
        );
        assert!(
            example.contains(&format!(".{}(", m.name)),
            "`{}`'s example calls it:\n{example}",
            m.name
        );
        assert!(!m.aliases.is_empty(), "`{}` has search aliases", m.name);
    }
}

#[test]
fn no_description_only_repeats_its_title() {
    let norm = |s: &str| s.trim().trim_end_matches('.').to_lowercase();
    for m in client_methods() {
        let mut paragraphs = m.doc.split("\n\n");
        let first = paragraphs.next().unwrap_or_default();
        let title = first.split(": `").next().unwrap_or(first);
        if let Some(second) = paragraphs.next() {
            assert_ne!(norm(second), norm(title), "`{}` repeats its title", m.name);
        }
    }
}

#[test]
fn an_example_builds_its_body_with_the_builder() {
    let types = read("magic-api/src/generated/types.rs");
    let builders: BTreeSet<&str> = [
        "#[::magic_api::wire(builder)]\npub struct ",
        "#[::magic_api::wire(builder, default)]\npub struct ",
    ]
    .iter()
    .flat_map(|attr| types.split(attr).skip(1))
    .filter_map(|rest| rest.split_whitespace().next())
    .collect();
    let mut checked = 0;
    for m in client_methods() {
        // `body : & GreTunnelCreateRequest` in the signature's tokens.
        let Some(body) = m
            .signature
            .split("body : & ")
            .nth(1)
            .and_then(|rest| rest.split([' ', ',', ')']).next())
        else {
            continue;
        };
        if builders.contains(body) {
            assert!(
                m.doc.contains(&format!("{body}::builder()")),
                "`{}` sends a `{body}` without building it:\n{}",
                m.name,
                m.doc
            );
            checked += 1;
        }
    }
    assert!(checked > 20, "only {checked} bodies checked");
}

#[test]
fn option_sets_live_in_their_module_not_at_the_root() {
    let file = parse("magic-api/src/generated/client.rs");
    // A struct, or a `define_options!(NameOptions, …)` that declares one.
    let named = |items: &[Item]| -> Vec<String> {
        items
            .iter()
            .filter_map(|i| match i {
                Item::Struct(s) => Some(s.ident.to_string()),
                Item::Macro(m)
                    if m.mac.path.is_ident("define_options")
                        || m.mac
                            .path
                            .segments
                            .last()
                            .is_some_and(|l| l.ident == "define_options") =>
                {
                    m.mac
                        .tokens
                        .clone()
                        .into_iter()
                        .next()
                        .map(|t| t.to_string())
                }
                _ => None,
            })
            .filter(|name| name.ends_with("Options"))
            .collect()
    };
    assert_eq!(
        named(&file.items),
        Vec::<String>::new(),
        "option sets at the root"
    );
    let options = file
        .items
        .iter()
        .find_map(|i| match i {
            Item::Mod(m) if m.ident == "options" => m.content.as_ref().map(|(_, c)| c),
            _ => None,
        })
        .expect("a `pub mod options`");
    // One per operation, named for its call, empty ones included.
    let sets = named(options);
    assert!(
        sets.len() >= 79,
        "the option sets are in `options`: {sets:?}"
    );
    for name in [
        "SitesListOptions",
        "ConnectorsListOptions",
        "SitesLansGetOptions",
    ] {
        assert!(sets.iter().any(|s| s == name), "no `{name}` in {sets:?}");
    }
}
