//! Rendering: tokens become formatted text (`syn` parses, `prettyplease` prints, items are
//! spaced, doc text is put back). It is the expensive part of generation, so it is split evenly
//! between two threads (the machine this targets has two cores): the first renders the first
//! part of the name-sorted data types, the second the rest of them, the client, the module file
//! and the test case table. Token streams are not `Send`, so each thread builds its own from the
//! shared, read-only context; the formatted chunks are joined by the blank line that separates
//! any two items, which gives the same text as formatting the file at once (a test below holds
//! the two to that).
//!
//! `prettyplease` prints items back to back, where code written by hand leaves a blank line
//! between them. It prints no blank lines of its own, so before printing, a marker macro call is
//! put between every two items (of the file, of a module, of an `impl` or trait), where the
//! printer puts it on a line of its own; afterwards each marker line becomes an empty line. The
//! tree says exactly where items begin and end, which the printed text would say only to a
//! parser.

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
    docs::inner_attr(
        "Data types of the Magic Transit API: every object, enum and union the reference \
         describes, decoded without losing unknown fields or values.",
    )
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
            let tail = tail(plan, rest)?;
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
        types: join(head?, &types_tail),
        client,
        module,
        cases,
    })
}

/// The two parts of the types file as one: the head ends after an item (or after the file's
/// doc), the tail, unless empty, starts with one, and a blank line goes between the two.
fn join(head: String, tail: &str) -> String {
    if tail.is_empty() {
        head
    } else {
        head + "\n" + tail
    }
}

/// The items of the types file's last part: the rest of the data types, then the builders'
/// module.
fn tail(plan: &Plan<'_>, rest: &[crate::plan::ItemPlan]) -> Result<Vec<types::Rendered>, String> {
    let mut items = types::render(rest)?;
    items.extend(types::builders(&plan.docs.builders));
    Ok(items)
}

/// The data-types file alone, with its number of public types.
pub fn types_file(plan: &Plan<'_>) -> Result<(String, usize), String> {
    let count = plan.items.len();
    let items = tail(plan, &plan.items)?;
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
    Ok(print(file))
}

/// Formats tokens as a file with the generated-code header.
pub fn format_file(tokens: TokenStream) -> Result<String, String> {
    let file: syn::File =
        syn::parse2(tokens).map_err(|e| format!("generated code does not parse: {e}"))?;
    Ok(format!("{HEADER}{}", print(file)))
}

/// Prints a file: items spaced, doc text put back.
fn print(mut file: syn::File) -> String {
    let spacer = Spacer::new();
    let leading = !file.attrs.is_empty();
    spacer.space(&mut file.items, leading);
    docs::fill(&spacer.blank(&prettyplease::unparse(&file)))
}

/// The name of the marker macro that stands for a blank line between items. Nothing the emitter
/// writes calls a macro of that name, so no other line can be mistaken for a marker.
const SPACER: &str = "__codegen_blank_line";

/// Puts the blank-line markers between items, and turns them into blank lines once printed.
struct Spacer {
    mac: syn::Macro,
}

impl Spacer {
    fn new() -> Self {
        Spacer {
            mac: syn::Macro {
                path: syn::Path::from(proc_macro2::Ident::new(
                    SPACER,
                    proc_macro2::Span::call_site(),
                )),
                bang_token: Default::default(),
                delimiter: syn::MacroDelimiter::Paren(Default::default()),
                tokens: TokenStream::new(),
            },
        }
    }

    fn item(&self) -> syn::Item {
        syn::Item::Macro(syn::ItemMacro {
            attrs: Vec::new(),
            ident: None,
            mac: self.mac.clone(),
            semi_token: Some(Default::default()),
        })
    }

    /// Puts a marker between every two items, and at the start if `leading` (after a file's
    /// inner attributes), except between two `use` declarations, which read as one group; then
    /// does the same inside every module and `impl` or trait block among them.
    fn space(&self, items: &mut Vec<syn::Item>, leading: bool) {
        for item in items.iter_mut() {
            match item {
                syn::Item::Mod(m) => {
                    if let Some((_, inner)) = &mut m.content {
                        self.space(inner, false);
                    }
                }
                syn::Item::Impl(i) => {
                    let marker = || {
                        syn::ImplItem::Macro(syn::ImplItemMacro {
                            attrs: Vec::new(),
                            mac: self.mac.clone(),
                            semi_token: Some(Default::default()),
                        })
                    };
                    i.items = interleave(std::mem::take(&mut i.items), false, marker, |_, _| true);
                }
                syn::Item::Trait(t) => {
                    let marker = || {
                        syn::TraitItem::Macro(syn::TraitItemMacro {
                            attrs: Vec::new(),
                            mac: self.mac.clone(),
                            semi_token: Some(Default::default()),
                        })
                    };
                    t.items = interleave(std::mem::take(&mut t.items), false, marker, |_, _| true);
                }
                _ => {}
            }
        }
        let apart = |a: &syn::Item, b: &syn::Item| {
            !matches!((a, b), (syn::Item::Use(_), syn::Item::Use(_)))
        };
        *items = interleave(std::mem::take(items), leading, || self.item(), apart);
    }

    /// Printed text with every marker line made an empty line.
    fn blank(&self, printed: &str) -> String {
        let mut out = String::with_capacity(printed.len());
        for line in printed.split_inclusive('\n') {
            let code = line.trim();
            let marker = code.strip_prefix(SPACER).is_some_and(|rest| rest == "!();");
            if marker {
                out.push('\n');
            } else {
                out.push_str(line);
            }
        }
        out
    }
}

/// `items` with `marker()` between every two that are `apart`, and first if `leading` (and there
/// are any).
fn interleave<T>(
    items: Vec<T>,
    leading: bool,
    marker: impl Fn() -> T,
    apart: impl Fn(&T, &T) -> bool,
) -> Vec<T> {
    let mut out = Vec::with_capacity(items.len() * 2 + 1);
    for item in items {
        match out.last() {
            Some(last) if apart(last, &item) => out.push(marker()),
            None if leading => out.push(marker()),
            _ => {}
        }
        out.push(item);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn items_are_separated_by_blank_lines_and_uses_grouped() {
        let text = format_file(quote! {
            #![doc = " The file."]
            use a::b;
            use c::d;
            /// A.
            #[derive(Debug)]
            pub struct A;
            impl A {
                /// C.
                const C: u8 = 1;
                fn f() {
                    let x = 1;
                    let y = x;
                }
            }
            pub mod m {
                use x::y;
                pub fn g() {}
                pub trait T {
                    fn h();
                    fn i();
                }
            }
        })
        .unwrap();
        let expected = "//! The file.

use a::b;
use c::d;

/// A.
#[derive(Debug)]
pub struct A;

impl A {
    /// C.
    const C: u8 = 1;

    fn f() {
        let x = 1;
        let y = x;
    }
}

pub mod m {
    use x::y;

    pub fn g() {}

    pub trait T {
        fn h();

        fn i();
    }
}
";
        assert_eq!(text, format!("{HEADER}{expected}"));
    }

    #[test]
    fn the_types_file_in_two_parts_is_the_file_printed_at_once() {
        let spec = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec");
        let (documents, refinements) = crate::read_spec_dir(&spec).unwrap();
        let (ir, _) = crate::build_ir(&documents, refinements.as_ref()).unwrap();
        let plan = crate::plan::build(&ir).unwrap();
        let (whole, _) = types_file(&plan).unwrap();
        assert_eq!(files(&plan).unwrap().types, whole);
        // Wherever `files` splits the types (which depends on their weights), the parts join
        // into the same file.
        let entries = &plan.items;
        for split in [0, 1, entries.len() / 2, entries.len() - 1, entries.len()] {
            let (first, rest) = entries.split_at(split);
            let head = types::render(first).unwrap();
            let head = format!("{HEADER}{}", format_items(Some(types_doc()), head).unwrap());
            let tail = format_items(None, tail(&plan, rest).unwrap()).unwrap();
            assert!(join(head, &tail) == whole, "split at {split}");
        }
    }
}
