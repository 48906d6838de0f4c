//! The whole parse stage over a set of documents: each document read (the reference into an
//! outline, a rendered page into one operation), every name and signature learned from wherever
//! it appears, and each section's bullets built into trees. The IR is built from what this
//! returns.
//!
//! Three steps, because each borrows what the one before returns: [`read_documents`], [`learn`]
//! (the registry of names), [`trees`].

use std::collections::{BTreeMap, HashMap};

use super::error::{Source, SpecError, SpecErrors};
use super::outline::{OpSection, Outline, SectionKind};
use super::tree::{Node, Registry, TreeStats, build_section};
use super::{Document, DocumentKind};

/// Every document, read.
pub struct Documents<'a> {
    /// The reference(s), as outlines.
    pub outlines: Vec<Outline<'a>>,
    /// The rendered pages, one operation each.
    pub pages: Vec<Page<'a>>,
}

/// A rendered operation page.
pub struct Page<'a> {
    /// The document it comes from.
    pub source: Source<'a>,
    /// Its one operation.
    pub op: OpSection<'a>,
}

/// A `Domain Types` section as trees.
pub struct TypeTree<'b> {
    /// The document.
    pub source: Source<'b>,
    /// Its section path (`Sites > Domain Types > Site`).
    pub section: String,
    /// Its `###` heading.
    pub heading: String,
    /// Where the section starts.
    pub offset: usize,
    /// The section's root bullets.
    pub roots: Vec<Node<'b>>,
}

/// An operation's sections as trees.
pub struct OpTrees<'b> {
    /// The operation as outlined.
    pub op: &'b OpSection<'b>,
    /// The document.
    pub source: Source<'b>,
    /// The `#` heading it sits under (empty for a page).
    pub resource_title: String,
    /// Each section's root bullets.
    pub sections: BTreeMap<SectionKind, Vec<Node<'b>>>,
}

/// Every section as trees.
pub struct Trees<'b> {
    /// Domain type sections, in document order.
    pub types: Vec<TypeTree<'b>>,
    /// Operations: the reference's in document order, then the pages'.
    pub ops: Vec<OpTrees<'b>>,
    /// Signature counts checked and elisions resolved.
    pub tree: TreeStats,
}

/// Reads every document: the reference into an outline, a page into its operation. An operation
/// documented twice is an error at the copy.
pub fn read_documents(docs: &[Document]) -> Result<Documents<'_>, SpecErrors> {
    let mut errors = Vec::new();
    let mut outlines = Vec::new();
    let mut pages = Vec::new();
    for doc in docs {
        let source = Source {
            name: &doc.name,
            text: &doc.text,
        };
        let result = match doc.kind() {
            DocumentKind::Reference => super::lexer::tokenize(source)
                .and_then(|tokens| super::outline::reference_outline(source, &tokens))
                .map(|o| outlines.push(o)),
            DocumentKind::Page => {
                super::page::page_operation(source).map(|op| pages.push(Page { source, op }))
            }
        };
        if let Err(e) = result {
            errors.push(e);
        }
    }
    if outlines.is_empty() && errors.is_empty() {
        errors.push(SpecError {
            document: String::from("spec/"),
            section: String::new(),
            offset: 0,
            excerpt: String::new(),
            message: "no reference document (a Markdown file starting with `# `) found".into(),
        });
    }
    check_unique_operations(&outlines, &mut errors);
    if errors.is_empty() {
        Ok(Documents { outlines, pages })
    } else {
        Err(SpecErrors(errors))
    }
}

/// Pass 1: every name and signature, wherever it appears; also returns the number of bullets.
pub fn learn<'b>(documents: &'b Documents<'b>) -> (Registry<'b>, usize) {
    let mut registry = Registry::default();
    let mut bullets = 0;
    let outlined = documents
        .outlines
        .iter()
        .flat_map(|o| o.resources.iter())
        .flat_map(|r| {
            r.types.iter().flat_map(|t| t.bullets.iter()).chain(
                r.operations
                    .iter()
                    .flat_map(|op| op.sections.iter().flat_map(|s| s.bullets.iter())),
            )
        });
    let paged = documents
        .pages
        .iter()
        .flat_map(|p| p.op.sections.iter().flat_map(|s| s.bullets.iter()));
    for bullet in outlined.chain(paged) {
        bullets += 1;
        // The outline parsed every span already; parsing again here cost as much as the first time.
        if let Ok(span) = &bullet.parsed {
            registry.learn(span);
        }
    }
    (registry, bullets)
}

/// Pass 2: every section's bullets as trees, counts checked and elisions resolved.
pub fn trees<'b>(
    documents: &'b Documents<'b>,
    registry: &'b Registry<'b>,
) -> Result<Trees<'b>, SpecErrors> {
    let mut errors = Vec::new();
    let mut tree = TreeStats::default();
    let mut types = Vec::new();
    let mut ops = Vec::new();
    for outline in &documents.outlines {
        for res in &outline.resources {
            for ts in &res.types {
                let section = format!("{} > Domain Types > {}", res.title, ts.heading);
                match build_section(&ts.bullets, registry, &mut tree) {
                    Ok(roots) => types.push(TypeTree {
                        source: outline.source,
                        section,
                        heading: ts.heading.to_string(),
                        offset: ts.offset,
                        roots,
                    }),
                    Err(e) => {
                        let path = if e.path.is_empty() {
                            section
                        } else {
                            format!("{section} > {}", e.path)
                        };
                        errors.push(outline.source.error(&path, e.offset, e.message));
                    }
                }
            }
            for op in &res.operations {
                let built = op_section_trees(
                    outline.source,
                    res.title,
                    op,
                    registry,
                    &mut tree,
                    &mut errors,
                );
                ops.extend(built);
            }
        }
    }
    for page in &documents.pages {
        let built = op_section_trees(page.source, "", &page.op, registry, &mut tree, &mut errors);
        ops.extend(built);
    }
    if errors.is_empty() {
        Ok(Trees { types, ops, tree })
    } else {
        Err(SpecErrors(errors))
    }
}

/// An operation's section path (`Sites > Create a new Site`; a page's has no resource).
pub fn op_path(resource_title: &str, title: &str) -> String {
    if resource_title.is_empty() {
        title.to_string()
    } else {
        format!("{resource_title} > {title}")
    }
}

fn op_section_trees<'b>(
    source: Source<'b>,
    resource_title: &str,
    op: &'b OpSection<'b>,
    registry: &'b Registry<'b>,
    stats: &mut TreeStats,
    errors: &mut Vec<SpecError>,
) -> Option<OpTrees<'b>> {
    let mut sections = BTreeMap::new();
    let mut ok = true;
    for s in &op.sections {
        match build_section(&s.bullets, registry, stats) {
            Ok(roots) => {
                sections.insert(s.kind, roots);
            }
            Err(e) => {
                ok = false;
                let mut path = op_path(resource_title, &op.title);
                path.push_str(" > ");
                path.push_str(s.kind.title());
                if !e.path.is_empty() {
                    path.push_str(" > ");
                    path.push_str(&e.path);
                }
                errors.push(source.error(&path, e.offset, e.message));
            }
        }
    }
    ok.then(|| OpTrees {
        op,
        source,
        resource_title: resource_title.to_string(),
        sections,
    })
}

/// Two operations with one method and path would be one endpoint documented twice (a copied
/// section): the second is an error at its own heading, whatever resource it sits under.
fn check_unique_operations(outlines: &[Outline<'_>], errors: &mut Vec<SpecError>) {
    let mut seen: HashMap<(super::outline::Method, &str), (&str, &str)> = HashMap::new();
    for outline in outlines {
        for res in &outline.resources {
            for op in &res.operations {
                let key = (op.method, op.path.as_ref());
                if let Some((first_res, first_op)) = seen.get(&key) {
                    errors.push(outline.source.error(
                        &format!("{} > {}", res.title, op.title),
                        op.offset,
                        format!(
                            "`{} {}` is documented twice (first under `{first_res} > {first_op}`)",
                            op.method.as_str(),
                            op.path
                        ),
                    ));
                } else {
                    seen.insert(key, (res.title, op.title.as_ref()));
                }
            }
        }
    }
}
