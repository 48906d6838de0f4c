//! Documentation text travels through the token pipeline as short placeholders and is put back,
//! wrapped to the line width, after formatting.
//!
//! Written as `#[doc = "…"]` tokens, every description would be escaped into a string literal,
//! parsed back by `syn` and unescaped by `prettyplease`, which together cost more than all the
//! rest of emission. `prettyplease` prints a one-line doc attribute as `/// ` plus its text, so a
//! line that is exactly `/// ` plus a placeholder can be replaced by the text afterwards, and
//! every doc line the emitter writes is a placeholder, so nothing else can be mistaken for one.
//! Putting the text back is also where it is wrapped ([`wrap`]): only there is the indentation
//! known that the width counts.

use std::cell::RefCell;

use proc_macro2::TokenStream;
use quote::quote;

mod wrap;

thread_local! {
    /// Texts of the file being built on this thread, by placeholder number.
    static TEXTS: RefCell<Vec<Text>> = const { RefCell::new(Vec::new()) };
}

/// One registered documentation text.
enum Text {
    /// Prose: paragraphs, each wrapped to the width, an empty doc line between two.
    Prose(Vec<String>),
    /// Lines kept exactly as they are (a code example), never wrapped.
    Verbatim(Vec<String>),
    /// Search aliases: put back as `#[doc(alias(…))]` attributes rather than doc lines, as
    /// many as fit on each line (formatted as tokens, each alias would take a line of its own).
    Aliases(Vec<String>),
}

impl Text {
    /// Its size in bytes, for reserving the output.
    fn len(&self) -> usize {
        match self {
            Text::Prose(lines) | Text::Verbatim(lines) | Text::Aliases(lines) => {
                lines.iter().map(|l| l.len() + 4).sum()
            }
        }
    }
}

const OPEN: &str = "@doc";
const CLOSE: &str = "@";

/// The widest a doc line may be, in columns, its indentation and `/// ` included (the width the
/// project's hand-written code keeps to).
const WIDTH: usize = 100;

/// The fewest columns of text a doc line is given, however deeply it is indented.
const MIN_TEXT: usize = 40;

/// Registers a text and returns its placeholder (`None` for empty text). A blank line (`\n\n`)
/// separates paragraphs; other control characters (newlines included) become spaces, since a
/// paragraph is wrapped as one line; Unicode bidirectional controls, which rustc refuses in
/// comments, are written out as `\u{…}`.
fn placeholder(text: &str) -> Option<String> {
    let paragraphs: Vec<String> = text
        .split("\n\n")
        .map(|p| doc_safe(p.trim()))
        .filter(|p| !p.trim().is_empty())
        .collect();
    if paragraphs.is_empty() {
        return None;
    }
    Some(register(Text::Prose(paragraphs)))
}

/// Stores a text for [`fill`] and gives its placeholder.
fn register(text: Text) -> String {
    let index = TEXTS.with(|t| {
        let mut t = t.borrow_mut();
        t.push(text);
        t.len() - 1
    });
    format!(" {OPEN}{index}{CLOSE}")
}

/// Text that can stand in a `///` line: see [`placeholder`].
fn doc_safe(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}' => {
                out.push_str(&format!("\\u{{{:X}}}", u32::from(c)));
            }
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// `#[doc(alias(…))]` attributes for search aliases, as few lines as the width allows once
/// formatted (none for no aliases). The aliases must be ones rustdoc accepts (no quotes).
pub fn aliases(aliases: &[String]) -> TokenStream {
    if aliases.is_empty() {
        return TokenStream::new();
    }
    let p = register(Text::Aliases(aliases.to_vec()));
    quote!(#[doc = #p])
}

/// `#[doc(alias(…))]` lines of at most `width` columns (an alias wider than that alone).
fn alias_lines(aliases: &[String], width: usize) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut current: Vec<String> = Vec::new();
    let line = |items: &[String]| format!("#[doc(alias({}))]", items.join(", "));
    for alias in aliases {
        let quoted = format!("{alias:?}");
        let mut with = current.clone();
        with.push(quoted.clone());
        if !current.is_empty() && line(&with).chars().count() > width {
            lines.push(line(&current));
            current = vec![quoted];
        } else {
            current = with;
        }
    }
    if !current.is_empty() {
        lines.push(line(&current));
    }
    lines
}

/// A `#[doc]` attribute for lines kept as they are, one doc line each (a code example); none
/// for no lines.
pub fn verbatim(lines: &[String]) -> TokenStream {
    if lines.is_empty() {
        return TokenStream::new();
    }
    let p = register(Text::Verbatim(
        lines.iter().map(|l| doc_safe(l.trim_end())).collect(),
    ));
    quote!(#[doc = #p])
}

/// A `#[doc]` attribute for one line of text (none for empty text), as tokens.
pub fn attr(text: &str) -> TokenStream {
    match placeholder(text) {
        Some(p) => quote!(#[doc = #p]),
        None => TokenStream::new(),
    }
}

/// An inner `#![doc]` attribute (the file's own documentation), as tokens: like [`attr`].
pub fn inner_attr(text: &str) -> TokenStream {
    match placeholder(text) {
        Some(p) => quote!(#![doc = #p]),
        None => TokenStream::new(),
    }
}

/// The same attribute as a syntax tree, for items built without parsing.
pub fn attribute(text: &str) -> Option<syn::Attribute> {
    let p = placeholder(text)?;
    Some(syn::Attribute {
        pound_token: Default::default(),
        style: syn::AttrStyle::Outer,
        bracket_token: Default::default(),
        meta: syn::Meta::NameValue(syn::MetaNameValue {
            path: syn::Path::from(proc_macro2::Ident::new(
                "doc",
                proc_macro2::Span::call_site(),
            )),
            eq_token: Default::default(),
            value: syn::Expr::Lit(syn::ExprLit {
                attrs: Vec::new(),
                lit: syn::Lit::Str(syn::LitStr::new(&p, proc_macro2::Span::call_site())),
            }),
        }),
    })
}

/// Replaces the placeholders in formatted text with their documentation, wrapped so that no line
/// is wider than [`WIDTH`] where the text allows it, and forgets the texts (the next file starts
/// numbering afresh).
pub fn fill(formatted: &str) -> String {
    let texts = TEXTS.with(|t| std::mem::take(&mut *t.borrow_mut()));
    let mut out = String::with_capacity(
        formatted.len() + texts.iter().map(Text::len).sum::<usize>() * 11 / 10,
    );
    for line in formatted.split_inclusive('\n') {
        let body = line.trim_end_matches('\n');
        let indent = body.len() - body.trim_start().len();
        let text = body[indent..]
            .strip_prefix("/// ")
            .or_else(|| body[indent..].strip_prefix("//! "))
            .and_then(|rest| rest.strip_prefix(OPEN))
            .and_then(|rest| rest.strip_suffix(CLOSE))
            .and_then(|n| n.parse::<usize>().ok())
            .and_then(|n| texts.get(n));
        let Some(text) = text else {
            out.push_str(line);
            continue;
        };
        if let Text::Aliases(aliases) = text {
            let width = WIDTH.saturating_sub(indent).max(MIN_TEXT);
            let lines = alias_lines(aliases, width);
            for (i, l) in lines.iter().enumerate() {
                if i > 0 {
                    out.push('\n');
                }
                out.push_str(&body[..indent]);
                out.push_str(l);
            }
            out.push_str(&line[body.len()..]);
            continue;
        }
        // The indentation is spaces, and `/// ` four columns.
        let width = WIDTH.saturating_sub(indent + 4).max(MIN_TEXT);
        let lead = &body[..indent + 3];
        let lines: Vec<String> = match text {
            Text::Verbatim(lines) => lines.clone(),
            Text::Aliases(_) => Vec::new(),
            Text::Prose(paragraphs) => {
                let mut lines = Vec::new();
                for (i, p) in paragraphs.iter().enumerate() {
                    if i > 0 {
                        lines.push(String::new());
                    }
                    let p = p.trim_end();
                    if wrap::unchanged(p, width) {
                        lines.push(p.to_string());
                    } else {
                        lines.extend(wrap::wrap(p, width));
                    }
                }
                lines
            }
        };
        for (i, l) in lines.iter().enumerate() {
            if i > 0 {
                out.push('\n');
            }
            out.push_str(lead);
            if !l.is_empty() {
                out.push(' ');
                out.push_str(l);
            }
        }
        out.push_str(&line[body.len()..]);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_come_back_as_text() {
        let tokens = {
            let a = attr("First line with \"quotes\" and \\ and `code`.");
            let b = attr("  ");
            let c = attr("Second");
            quote!(#a #b #c pub struct X;)
        };
        let file: syn::File = syn::parse2(tokens).unwrap();
        let text = fill(&prettyplease::unparse(&file));
        assert_eq!(
            text,
            "/// First line with \"quotes\" and \\ and `code`.\n/// Second\npub struct X;\n"
        );
    }

    #[test]
    fn long_texts_are_wrapped_to_the_width_counting_indentation() {
        // 47 columns: two and a space fill 99 of the file's 100 columns, but 103 in a field.
        let sentence = "Every sentence here is exactly as long as this.";
        let text = [sentence; 4].join(" ");
        let tokens = {
            let outer = inner_attr(&text);
            let field = attr(&text);
            quote!(#outer pub struct X { #field pub x: u8 })
        };
        let file: syn::File = syn::parse2(tokens).unwrap();
        let out = fill(&prettyplease::unparse(&file));
        let docs: Vec<&str> = out.lines().filter(|l| l.contains("//")).collect();
        // Two sentences fit on a line of the file's doc, but only one in the indented field's.
        assert_eq!(docs.len(), 2 + 4, "{out}");
        for line in &docs {
            assert!(line.chars().count() <= WIDTH, "{line}");
            assert!(line.ends_with("this."), "{line}");
        }
        assert_eq!(docs[0], format!("//! {sentence} {sentence}"));
        assert_eq!(docs[2], format!("    /// {sentence}"));
    }

    #[test]
    fn paragraphs_are_apart_and_verbatim_lines_stay_as_written() {
        let tokens = {
            let prose = attr("First paragraph.\n\nSecond one.");
            let code = verbatim(&[
                "```".into(),
                "let x = [1,  2];".into(),
                String::new(),
                "    y();".into(),
            ]);
            quote!(#prose #code pub struct X;)
        };
        let file: syn::File = syn::parse2(tokens).unwrap();
        let text = fill(&prettyplease::unparse(&file));
        assert_eq!(
            text,
            "/// First paragraph.\n///\n/// Second one.\n/// ```\n/// let x = [1,  2];\n///\n///     y();\npub struct X;\n"
        );
    }

    #[test]
    fn aliases_come_back_as_attributes_packed_to_the_width() {
        let words: Vec<String> = (0..12).map(|i| format!("alias number {i}")).collect();
        let tokens = {
            let a = aliases(&words);
            quote!(impl X { #a pub fn f() {} })
        };
        let file: syn::File = syn::parse2(tokens).unwrap();
        let text = fill(&prettyplease::unparse(&file));
        let lines: Vec<&str> = text.lines().filter(|l| l.contains("alias(")).collect();
        assert!(lines.len() > 1 && lines.len() < words.len(), "{text}");
        for l in &lines {
            assert!(
                l.starts_with("    #[doc(alias(\"") && l.ends_with("))]"),
                "{l}"
            );
            assert!(l.chars().count() <= WIDTH, "{l}");
        }
        let joined = lines.join(" ");
        assert!(words.iter().all(|w| joined.contains(&format!("\"{w}\""))));
    }

    #[test]
    fn bidi_and_control_characters_never_reach_a_comment() {
        assert_eq!(doc_safe("a\u{202E}b\u{2066}c"), "a\\u{202E}b\\u{2066}c");
        assert_eq!(doc_safe("a\rb\nc\u{0}d\u{1b}e"), "a b c d e");
    }
}
