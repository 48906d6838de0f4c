//! The outline shared by both documents: resources, operations, their sections and bullets.
//!
//! The reference's tokens and the rendered page's lines are both turned into this shape, so the
//! tree builder and everything after it never care which document a bullet came from.

use std::borrow::Cow;

use super::error::{Source, SpecError};
use super::lexer::{Located, Token};
use super::texpr::{Span, SpanError, parse_span};
pub use magic_api_model::Method;

/// A constraint keyword glued to its value on the rendered page (`maxLength32`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawConstraint {
    /// `maxLength`, `minimum`, `format`, ...
    pub keyword: &'static str,
    /// `32`, `1000`, `date-time`, ...
    pub value: String,
}

/// One bullet (reference) or field line (page) with what follows it.
#[derive(Debug, Clone)]
pub struct Bullet<'a> {
    /// The span text (`mtu: optional number`).
    pub span: &'a str,
    /// The span, parsed once when the outline is built.
    pub parsed: Result<Span<'a>, SpanError>,
    /// The prose after it.
    pub description: Cow<'a, str>,
    /// Constraints printed under it (page only).
    pub constraints: Vec<RawConstraint>,
    /// Byte offset of the bullet in its document.
    pub offset: usize,
}

/// The five section kinds an operation can have besides its example.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum SectionKind {
    /// `### Path Parameters`
    Path,
    /// `### Header Parameters`
    Header,
    /// `### Query Parameters`
    Query,
    /// `### Body Parameters`
    Body,
    /// `### Returns`
    Returns,
}

impl SectionKind {
    /// Recognises a section heading, returning the kind and whatever was glued after the name.
    pub fn parse_prefix(title: &str) -> Option<(SectionKind, &str)> {
        for (name, kind) in [
            ("Path Parameters", SectionKind::Path),
            ("Header Parameters", SectionKind::Header),
            ("Query Parameters", SectionKind::Query),
            ("Body Parameters", SectionKind::Body),
            ("Returns", SectionKind::Returns),
        ] {
            if let Some(rest) = title.strip_prefix(name) {
                return Some((kind, rest));
            }
        }
        None
    }

    /// The heading text, for section paths in errors.
    pub fn title(self) -> &'static str {
        match self {
            SectionKind::Path => "Path Parameters",
            SectionKind::Header => "Header Parameters",
            SectionKind::Query => "Query Parameters",
            SectionKind::Body => "Body Parameters",
            SectionKind::Returns => "Returns",
        }
    }
}

/// A bullet-list section of an operation.
#[derive(Debug, Clone)]
pub struct Section<'a> {
    /// Which section.
    pub kind: SectionKind,
    /// Offset of its heading.
    pub offset: usize,
    /// The bullets in document order.
    pub bullets: Vec<Bullet<'a>>,
    /// A content type glued to the heading on the page (`Body ParametersJSON`).
    pub content_type: Option<String>,
}

/// A code block with its offset.
#[derive(Debug, Clone)]
pub struct Block<'a> {
    /// The block's text.
    pub text: Cow<'a, str>,
    /// Byte offset in the document.
    pub offset: usize,
}

/// An authentication scheme as the page describes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SchemeDecl {
    /// The scheme's title (`API Token`).
    pub name: String,
    /// The first paragraph describing it.
    pub description: String,
    /// The example headers (`Authorization: Bearer …`), name and value.
    pub headers: Vec<(String, String)>,
}

/// One operation section.
#[derive(Debug, Clone)]
pub struct OpSection<'a> {
    /// The heading's title (`Create a GRE tunnel`).
    pub title: Cow<'a, str>,
    /// The method.
    pub method: Method,
    /// The path template as written.
    pub path: Cow<'a, str>,
    /// The prose after the path.
    pub description: Cow<'a, str>,
    /// Offset of the heading.
    pub offset: usize,
    /// Path/Header/Query/Body/Returns sections in order.
    pub sections: Vec<Section<'a>>,
    /// The curl example, line continuations joined.
    pub curl: Option<Block<'a>>,
    /// The JSON response example.
    pub response_example: Option<Block<'a>>,
    /// Auth schemes the page lists (empty in the reference).
    pub schemes: Vec<SchemeDecl>,
    /// Accepted permissions the page lists (empty in the reference).
    pub permissions: Vec<String>,
}

impl OpSection<'_> {
    /// The section of the given kind, if present.
    pub fn section(&self, kind: SectionKind) -> Option<&Section<'_>> {
        self.sections.iter().find(|s| s.kind == kind)
    }
}

/// A `###` domain-type section.
#[derive(Debug, Clone)]
pub struct TypeSection<'a> {
    /// The heading (`GRE Tunnel List Response`).
    pub heading: &'a str,
    /// Offset of the heading.
    pub offset: usize,
    /// Its bullets.
    pub bullets: Vec<Bullet<'a>>,
}

/// An `#` resource with its operations and domain types.
#[derive(Debug, Clone)]
pub struct ResourceSection<'a> {
    /// The H1 title (`GRE Tunnels`).
    pub title: &'a str,
    /// Offset of the H1.
    pub offset: usize,
    /// Its operations in order.
    pub operations: Vec<OpSection<'a>>,
    /// Its domain types in order.
    pub types: Vec<TypeSection<'a>>,
}

/// A whole document's outline.
#[derive(Debug, Clone)]
pub struct Outline<'a> {
    /// The document.
    pub source: Source<'a>,
    /// Resources in document order (the first is the document's root H1).
    pub resources: Vec<ResourceSection<'a>>,
}

/// Where bullets currently go.
enum Cursor {
    Nowhere,
    DomainTypes,
    TypeSection,
    Op,
    OpSection,
    Example,
    Response,
}

/// Builds the outline of the Markdown reference from its tokens.
pub fn reference_outline<'a>(
    source: Source<'a>,
    tokens: &[Located<Token<'a>>],
) -> Result<Outline<'a>, SpecError> {
    let mut builder = ReferenceBuilder {
        source,
        resources: Vec::new(),
        cursor: Cursor::Nowhere,
    };
    for tok in tokens {
        let at = tok.offset;
        match &tok.token {
            Token::Heading { level: 1, text } => builder.resource(text, at),
            Token::Heading { level: 2, text } => builder.operation_or_types(text, at)?,
            Token::Heading { level: 3, text } => builder.subsection(text, at)?,
            Token::Heading { level: 4, text } => builder.response_heading(text, at)?,
            Token::Heading { .. } => return Err(builder.error(at, "heading level out of range")),
            Token::Bullet { span, description } => builder.bullet(span, description, at)?,
            Token::Fence { lang, body } => builder.fence(lang, body, at)?,
        }
    }
    Ok(Outline {
        source,
        resources: builder.resources,
    })
}

/// The reference's outline as its tokens are read: what has been built and where the next
/// bullet or block goes. One method per kind of token, so each rule reads on its own.
struct ReferenceBuilder<'a> {
    source: Source<'a>,
    resources: Vec<ResourceSection<'a>>,
    cursor: Cursor,
}

impl<'a> ReferenceBuilder<'a> {
    /// An error at `at` in the current section. Section paths are only spelled out for errors:
    /// building one per token is most of the outline's cost otherwise.
    fn error(&self, at: usize, message: impl Into<String>) -> SpecError {
        self.source
            .error(&section_path(&self.resources), at, message)
    }

    /// `# Title`: a new resource.
    fn resource(&mut self, title: &'a str, at: usize) {
        self.resources.push(ResourceSection {
            title,
            offset: at,
            operations: Vec::new(),
            types: Vec::new(),
        });
        self.cursor = Cursor::Nowhere;
    }

    /// `## Domain Types`, or `## Title **method** `path` description`: an operation.
    fn operation_or_types(&mut self, text: &'a str, at: usize) -> Result<(), SpecError> {
        let source = self.source;
        let Some(res) = self.resources.last_mut() else {
            return Err(source.error("", at, "`##` heading before any `#` resource"));
        };
        if text == "Domain Types" {
            self.cursor = Cursor::DomainTypes;
            return Ok(());
        }
        let op = parse_op_heading(text).ok_or_else(|| {
            source.error(
                res.title,
                at,
                "`##` heading is neither `Domain Types` nor `Title **method** `path` description`",
            )
        })?;
        res.operations.push(OpSection {
            title: Cow::Borrowed(op.0),
            method: op.1,
            path: Cow::Borrowed(op.2),
            description: Cow::Borrowed(op.3),
            offset: at,
            sections: Vec::new(),
            curl: None,
            response_example: None,
            schemes: Vec::new(),
            permissions: Vec::new(),
        });
        self.cursor = Cursor::Op;
        Ok(())
    }

    /// `###`: a domain type, an operation's `Example`, or one of its bullet-list sections.
    fn subsection(&mut self, text: &'a str, at: usize) -> Result<(), SpecError> {
        let source = self.source;
        match (&self.cursor, self.resources.last_mut()) {
            (Cursor::DomainTypes | Cursor::TypeSection, Some(res)) => {
                res.types.push(TypeSection {
                    heading: text,
                    offset: at,
                    bullets: Vec::new(),
                });
                self.cursor = Cursor::TypeSection;
            }
            (Cursor::Op | Cursor::OpSection | Cursor::Example | Cursor::Response, Some(res)) => {
                if text == "Example" && !res.operations.is_empty() {
                    self.cursor = Cursor::Example;
                } else {
                    open_section(source, res, text, at)?;
                    self.cursor = Cursor::OpSection;
                }
            }
            _ => {
                return Err(self.error(at, "`###` heading outside an operation or `Domain Types`"));
            }
        }
        Ok(())
    }

    /// `#### Response`, which only an operation's `Example` has.
    fn response_heading(&mut self, text: &str, at: usize) -> Result<(), SpecError> {
        match self.cursor {
            Cursor::Example if text == "Response" => {
                self.cursor = Cursor::Response;
                Ok(())
            }
            _ => Err(self.error(at, format!("unexpected `#### {text}`"))),
        }
    }

    /// A bullet, in a domain type or an operation's section.
    fn bullet(&mut self, span: &'a str, description: &'a str, at: usize) -> Result<(), SpecError> {
        let bullet = Bullet {
            span,
            parsed: parse_span(span),
            description: Cow::Borrowed(description),
            constraints: Vec::new(),
            offset: at,
        };
        let target = match (&self.cursor, self.resources.last_mut()) {
            (Cursor::TypeSection, Some(res)) => res.types.last_mut().map(|t| &mut t.bullets),
            (Cursor::OpSection, Some(res)) => res
                .operations
                .last_mut()
                .and_then(|o| o.sections.last_mut())
                .map(|s| &mut s.bullets),
            _ => None,
        };
        match target {
            Some(list) => {
                list.push(bullet);
                Ok(())
            }
            None => Err(self.error(at, "bullet outside a section")),
        }
    }

    /// A code block: the operation's curl example, then its JSON response.
    fn fence(&mut self, lang: &str, body: &'a str, at: usize) -> Result<(), SpecError> {
        let op = self
            .resources
            .last_mut()
            .and_then(|r| r.operations.last_mut());
        let block = Block {
            text: Cow::Borrowed(body),
            offset: at,
        };
        match (&self.cursor, op, lang) {
            (Cursor::Example, Some(op), "http") if op.curl.is_none() => op.curl = Some(block),
            (Cursor::Response, Some(op), "json") if op.response_example.is_none() => {
                op.response_example = Some(block)
            }
            _ => return Err(self.error(at, format!("unexpected ```{lang} block"))),
        }
        Ok(())
    }
}

/// Opens the bullet-list section a `###` heading names in the current operation. Checks come
/// before any mutation so the error path can still read the resource for its section path.
fn open_section<'a>(
    source: Source<'a>,
    res: &mut ResourceSection<'a>,
    text: &str,
    at: usize,
) -> Result<(), SpecError> {
    let Some(op) = res.operations.last() else {
        return Err(source.error(&here_op(res), at, "section outside an operation"));
    };
    let Some((kind, "")) = SectionKind::parse_prefix(text) else {
        return Err(source.error(
            &here_op(res),
            at,
            format!("unknown operation section `{text}`"),
        ));
    };
    if op.sections.iter().any(|s| s.kind == kind) {
        return Err(source.error(&here_op(res), at, format!("second `{text}` section")));
    }
    if let Some(op) = res.operations.last_mut() {
        op.sections.push(Section {
            kind,
            offset: at,
            bullets: Vec::new(),
            content_type: None,
        });
    }
    Ok(())
}

fn here_op(res: &ResourceSection<'_>) -> String {
    match res.operations.last() {
        Some(op) => format!("{} > {}", res.title, op.title),
        None => res.title.to_string(),
    }
}

fn section_path(resources: &[ResourceSection<'_>]) -> String {
    resources.last().map(here_op).unwrap_or_default()
}

/// Splits `Title **method** `path` description`.
fn parse_op_heading(text: &str) -> Option<(&str, Method, &str, &str)> {
    let mut search = 0;
    while let Some(rel) = text.get(search..)?.find(" **") {
        let start = search + rel;
        let after = &text[start + 3..];
        if let Some(end) = after.find("** `") {
            if let Some(method) = Method::parse(&after[..end]) {
                let path_and_rest = &after[end + 4..];
                let close = path_and_rest.find('`')?;
                let path = &path_and_rest[..close];
                let description = path_and_rest[close + 1..].trim();
                return Some((text[..start].trim(), method, path, description));
            }
        }
        search = start + 3;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn op_heading() {
        let h = "Update an App **put** `/accounts/{account_id}/magic/apps/{a}` Updates an App. Use `?validate_only=true` x";
        let (title, method, path, desc) = parse_op_heading(h).unwrap();
        assert_eq!(title, "Update an App");
        assert_eq!(method, Method::Put);
        assert_eq!(path, "/accounts/{account_id}/magic/apps/{a}");
        assert!(desc.ends_with("x"));
        assert!(parse_op_heading("Domain Types").is_none());
    }
}
