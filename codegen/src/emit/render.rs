//! Rendering: tokens become formatted text (`syn` parses, `prettyplease` prints, doc text is put
//! back). It is the expensive part of generation, so it is split evenly between two threads (the
//! machine this targets has two cores): the first renders the first part of the name-sorted data
//! types, the second the rest of them, the client, the module file and the test case table.
//! Token streams are not `Send`, so each thread builds its own from the shared, read-only
//! context; the formatted chunks are concatenated, which gives the same text as formatting the
//! file at once (the staleness test holds the committed files to that).

use proc_macro2::TokenStream;
use quote::quote;

use super::{HEADER, cases, client, docs, types};
use crate::plan::Plan;

/// The text of each generated Rust file.
pub struct Files {
    /// `types.rs`.
    pub types: String,
    /// `client.rs`.
    pub client: String,
    /// `mod.rs`.
    pub module: String,
    /// The tests crate's case table.
    pub cases: String,
}

/// The inner doc line of the types file.
fn types_doc() -> TokenStream {
    quote! {
        #![doc = " Data types of the Magic Transit API: every object, enum and union the reference describes, decoded without losing unknown fields or values."]
    }
}

/// Renders every generated Rust file on two threads.
pub fn files(plan: &Plan<'_>) -> Result<Files, String> {
    let entries = &plan.items;
    let weights: Vec<usize> = entries.iter().map(|e| e.weight).collect();
    let client_weight = CLIENT_LINES_PER_OPERATION * plan.ops.len();
    let half = (weights.iter().sum::<usize>() + client_weight) / 2;
    let mut split = 0;
    let mut acc = 0;
    while split < weights.len() && acc + weights[split] <= half {
        acc += weights[split];
        split += 1;
    }
    let (first, rest) = entries.split_at(split);
    let (second, head) = std::thread::scope(|scope| {
        let second = scope.spawn(|| -> Result<[String; 4], String> {
            let mod_file = quote! {
                #![doc = " Code generated from `spec/` by `cargo xtask regenerate`."]
                #[rustfmt::skip]
                pub mod client;
                #[rustfmt::skip]
                pub mod types;
            };
            let tail = types::render(rest)?;
            Ok([
                format_items(None, tail)?,
                format_file(client::client_file(plan)?)?,
                format_file(mod_file)?,
                format_file(cases::examples_test(plan))?,
            ])
        });
        let head = types::render(first).and_then(|items| {
            format_items(Some(types_doc()), items).map(|text| format!("{HEADER}{text}"))
        });
        let second = second
            .join()
            .unwrap_or_else(|_| Err("the emitter thread panicked".to_string()));
        (second, head)
    });
    let [types_tail, client, module, cases] = second?;
    Ok(Files {
        types: head? + &types_tail,
        client,
        module,
        cases,
    })
}

/// The data-types file alone, with its number of public types.
pub fn types_file(plan: &Plan<'_>) -> Result<(String, usize), String> {
    let items = types::render(&plan.items)?;
    let count = items.len();
    Ok((
        format!("{HEADER}{}", format_items(Some(types_doc()), items)?),
        count,
    ))
}

/// The client's rendering cost per operation, in the unit of `types::weight` (tuned with per-thread
/// instruction counts so the two threads finish together; it only moves the split point).
const CLIENT_LINES_PER_OPERATION: usize = 40;

/// Formats rendered items (without the header): runs of tokens are parsed, syntax trees are
/// taken as they are. `inner` holds the file's inner attributes, if this chunk starts the file.
fn format_items(inner: Option<TokenStream>, items: Vec<types::Rendered>) -> Result<String, String> {
    let parse = |tokens: TokenStream| -> Result<syn::File, String> {
        syn::parse2(tokens).map_err(|e| format!("generated code does not parse: {e}"))
    };
    let mut file = parse(inner.unwrap_or_default())?;
    let mut run = TokenStream::new();
    for item in items {
        match item {
            types::Rendered::Tokens(t) => run.extend(t),
            types::Rendered::Ast(ast) => {
                if !run.is_empty() {
                    file.items.extend(parse(std::mem::take(&mut run))?.items);
                }
                file.items.push(*ast);
            }
        }
    }
    if !run.is_empty() {
        file.items.extend(parse(run)?.items);
    }
    Ok(docs::fill(&prettyplease::unparse(&file)))
}

/// Formats tokens as a file with the generated-code header.
pub fn format_file(tokens: TokenStream) -> Result<String, String> {
    let file: syn::File =
        syn::parse2(tokens).map_err(|e| format!("generated code does not parse: {e}"))?;
    Ok(format!(
        "{HEADER}{}",
        docs::fill(&prettyplease::unparse(&file))
    ))
}
