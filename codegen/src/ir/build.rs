//! Builds the IR from all documents: outline, name registry, trees, lowering, merging the page
//! into the reference, resource tree, union analysis, pagination and example checks.

use std::collections::HashMap;

use super::checks::{analyze_unions, check_examples, drop_unreachable, set_pagination};
use super::lower::{Ctx, LowerError, Lowerer};
use super::operations::{
    Draft, OpTrees, check_unique_operations, lower_operation, merge_page, op_section_trees,
    rename_op,
};
use super::resources::{self, ResourceInput};
use super::{AuthHeader, AuthScheme, Ir, Operation};
use crate::spec::error::{Source, SpecError, SpecErrors};
use crate::spec::outline::{OpSection, Outline};
use crate::spec::texpr::Span;
use crate::spec::tree::{Node, Registry, TreeStats, build_section};
use crate::spec::{Document, DocumentKind};

/// Counts gathered while building, for the summary.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Stats {
    /// Signature counts checked and elisions resolved.
    pub tree: TreeStats,
    /// Bullets read.
    pub bullets: usize,
    /// Response examples validated.
    pub response_examples: usize,
    /// Request bodies validated.
    pub request_examples: usize,
}

/// Parses and checks all documents into one IR.
pub fn build(docs: &[Document], refinements: Option<&Document>) -> Result<(Ir, Stats), SpecErrors> {
    let mut errors = Vec::new();
    let mut outlines: Vec<Outline<'_>> = Vec::new();
    let mut pages: Vec<(Source<'_>, OpSection<'_>)> = Vec::new();
    for doc in docs {
        let source = Source {
            name: &doc.name,
            text: &doc.text,
        };
        let result = match doc.kind() {
            DocumentKind::Reference => crate::spec::lexer::tokenize(source)
                .and_then(|tokens| crate::spec::outline::reference_outline(source, &tokens))
                .map(|o| outlines.push(o)),
            DocumentKind::Page => {
                crate::spec::page::page_operation(source).map(|op| pages.push((source, op)))
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
    if !errors.is_empty() {
        return Err(SpecErrors(errors));
    }

    // Pass 1: every signature and definition, wherever it appears.
    let mut registry = Registry::default();
    let mut stats = Stats::default();
    let all_bullets = outlines
        .iter()
        .flat_map(|o| o.resources.iter())
        .flat_map(|r| {
            r.types.iter().flat_map(|t| t.bullets.iter()).chain(
                r.operations
                    .iter()
                    .flat_map(|op| op.sections.iter().flat_map(|s| s.bullets.iter())),
            )
        })
        .chain(
            pages
                .iter()
                .flat_map(|(_, op)| op.sections.iter().flat_map(|s| s.bullets.iter())),
        );
    for bullet in all_bullets {
        stats.bullets += 1;
        // The outline parsed every span already; parsing again here cost as much as the first time.
        if let Ok(span) = &bullet.parsed {
            registry.learn(span);
        }
    }

    // Pass 2: trees.
    let mut type_trees: Vec<(Source<'_>, String, String, usize, Vec<Node<'_>>, usize)> = Vec::new();
    let mut op_trees: Vec<OpTrees<'_>> = Vec::new();
    let tree_error = |source: Source<'_>, section: String, e: crate::spec::tree::TreeError| {
        let path = if e.path.is_empty() {
            section
        } else {
            format!("{section} > {}", e.path)
        };
        source.error(&path, e.offset, e.message)
    };
    for outline in &outlines {
        for (ri, res) in outline.resources.iter().enumerate() {
            for ts in &res.types {
                let section = format!("{} > Domain Types > {}", res.title, ts.heading);
                match build_section(&ts.bullets, &registry, &mut stats.tree) {
                    Ok(roots) => type_trees.push((
                        outline.source,
                        section,
                        ts.heading.to_string(),
                        ts.offset,
                        roots,
                        ri,
                    )),
                    Err(e) => errors.push(tree_error(outline.source, section, e)),
                }
            }
            for op in &res.operations {
                if let Some(t) = op_section_trees(
                    outline.source,
                    res.title,
                    op,
                    &registry,
                    &mut stats.tree,
                    &mut errors,
                ) {
                    op_trees.push(t);
                }
            }
        }
    }
    for (source, op) in &pages {
        if let Some(t) = op_section_trees(*source, "", op, &registry, &mut stats.tree, &mut errors)
        {
            op_trees.push(t);
        }
    }
    if !errors.is_empty() {
        return Err(SpecErrors(errors));
    }

    // Resource ids come from the operations' paths.
    let mut inputs = Vec::new();
    // Per input: where its `#` section is, for located errors.
    let mut input_places = Vec::new();
    // For each operation, in order: the index of its `#` section.
    let mut op_section: Vec<usize> = Vec::new();
    for outline in &outlines {
        for res in &outline.resources {
            let mut paths = Vec::new();
            let mut ops = Vec::new();
            for op in &res.operations {
                match resources::segments(&op.path) {
                    Ok(s) => paths.push(s),
                    Err(e) => errors.push(outline.source.error(
                        &format!("{} > {}", res.title, op.title),
                        op.offset,
                        e,
                    )),
                }
                ops.push(op_section.len());
                op_section.push(inputs.len());
            }
            input_places.push((outline.source, res.offset, res.title));
            inputs.push(ResourceInput {
                title: res.title.to_string(),
                op_paths: paths,
                operations: ops,
            });
        }
    }
    if !errors.is_empty() {
        return Err(SpecErrors(errors));
    }
    // Resource ids, per `#` section in document order across outlines.
    let mut lowerer = Lowerer::new(&registry);
    let tree = match resources::tree(inputs) {
        Ok(t) => t,
        Err((index, e)) => {
            let error = match input_places.get(index) {
                Some((source, offset, title)) => source.error(title, *offset, e),
                None => outlines[0].source.error("", 0, e),
            };
            return Err(SpecErrors(vec![error]));
        }
    };
    let section_ids = tree.ids;
    let mut resource_roots = tree.roots;

    let mut name_counts: HashMap<String, usize> = HashMap::new();
    for (_, _, heading, _, roots, _) in &type_trees {
        let name = root_name(roots)
            .map(str::to_string)
            .unwrap_or_else(|| heading.replace(' ', ""));
        *name_counts.entry(name).or_default() += 1;
    }
    let mut declared = Vec::new();
    let mut types_per_section: Vec<Vec<String>> = vec![Vec::new(); section_ids.len()];
    let mut global_res_ix = 0;
    let mut tt_iter = type_trees.iter();
    for outline in &outlines {
        for res in &outline.resources {
            let resource_id = section_ids.get(global_res_ix).cloned().unwrap_or_default();
            for _ in &res.types {
                let Some((source, section, heading, offset, roots, _)) = tt_iter.next() else {
                    break;
                };
                let Some(name) = root_name(roots) else {
                    errors.push(source.error(
                        section,
                        *offset,
                        "a domain type section needs exactly one `Name ...` root bullet",
                    ));
                    continue;
                };
                if roots.len() != 1 {
                    errors.push(source.error(
                        section,
                        *offset,
                        format!("domain type has {} root bullets, expected 1", roots.len()),
                    ));
                    continue;
                }
                if name != heading.replace(' ', "") {
                    errors.push(source.error(
                        section,
                        *offset,
                        format!("heading `{heading}` does not name the type `{name}`"),
                    ));
                    continue;
                }
                let id = if name_counts.get(name).copied().unwrap_or(0) > 1 {
                    format!(
                        "{name}@{}",
                        if resource_id.is_empty() {
                            "root"
                        } else {
                            &resource_id
                        }
                    )
                } else {
                    name.to_string()
                };
                let description = &roots[0].bullet.description;
                let index = lowerer.declare_domain(id.clone(), name, &resource_id, description);
                types_per_section[global_res_ix].push(id);
                declared.push((index, *source, section.clone(), &roots[0]));
            }
            global_res_ix += 1;
        }
    }
    for (index, source, section, root) in &declared {
        let ctx = Ctx::section(section);
        if let Err(e) = lowerer.define_domain(*index, root, &ctx) {
            errors.push(lower_error(*source, e));
        }
    }
    if !errors.is_empty() {
        return Err(SpecErrors(errors));
    }

    // Operations: the reference's first, then the pages'.
    let sources: Vec<Source<'_>> = op_trees.iter().map(|t| t.source).collect();
    let mut drafts = Vec::new();
    for (i, t) in op_trees.iter().enumerate() {
        match lower_operation(&mut lowerer, t) {
            Ok((op, curl)) => drafts.push(Draft {
                op,
                curl,
                source_index: i,
                offset: t.op.offset,
            }),
            Err(e) => errors.push(lower_error(t.source, e)),
        }
    }
    if !errors.is_empty() {
        return Err(SpecErrors(errors));
    }

    let mut canonical = lowerer.canonicalize();
    for e in std::mem::take(&mut canonical.mismatches) {
        let source = sources.first().copied().unwrap_or(outlines[0].source);
        errors.push(lower_error(source, e));
    }
    for d in &mut drafts {
        rename_op(&mut d.op, &mut |id| canonical.rename_id(id));
    }

    // Merge the pages into the reference's operations.
    let reference_count = outlines
        .iter()
        .map(|o| {
            o.resources
                .iter()
                .map(|r| r.operations.len())
                .sum::<usize>()
        })
        .sum::<usize>();
    let page_drafts = drafts.split_off(reference_count.min(drafts.len()));
    let mut auth: Vec<AuthScheme> = Vec::new();
    for (_, page_op) in &pages {
        for scheme in &page_op.schemes {
            if auth.iter().any(|a| a.name == scheme.name) {
                continue;
            }
            auth.push(AuthScheme {
                name: scheme.name.clone(),
                description: scheme.description.clone(),
                headers: scheme
                    .headers
                    .iter()
                    .map(|(name, value)| AuthHeader {
                        name: name.clone(),
                        prefix: value.split_once(' ').map(|(p, _)| p.to_string()),
                    })
                    .collect(),
            });
        }
    }
    for page in page_drafts {
        let source = sources[page.source_index];
        let Some(target) = drafts
            .iter_mut()
            .find(|d| d.op.method == page.op.method && d.op.path == page.op.path)
        else {
            errors.push(source.error(
                &page.op.title,
                page.offset,
                "the page describes an operation the reference lacks",
            ));
            continue;
        };
        if let Err(message) = merge_page(&mut target.op, page.op) {
            errors.push(source.error(&target.op.title, page.offset, message));
        }
    }
    if !errors.is_empty() {
        return Err(SpecErrors(errors));
    }

    // Assemble.
    let types = canonical.types;
    let shapes = canonical.shapes;
    let mut operations: Vec<Operation> = Vec::with_capacity(drafts.len());
    let mut op_sources = Vec::with_capacity(drafts.len());
    for d in drafts {
        op_sources.push((sources[d.source_index], d.offset, d.curl));
        operations.push(d.op);
    }
    for (i, op) in operations.iter_mut().enumerate() {
        let section = op_section.get(i).and_then(|&s| section_ids.get(s));
        op.resource = section.cloned().unwrap_or_default();
        op.auth = auth.iter().map(|a| a.name.clone()).collect();
    }
    fill_resource_types(&mut resource_roots, &section_ids, &types_per_section);

    let mut ir = Ir {
        base_url: String::new(),
        operations,
        types,
        shapes,
        resources: resource_roots,
        auth,
        renames: Default::default(),
    };
    drop_unreachable(&mut ir);
    analyze_unions(&mut ir);
    set_pagination(&mut ir);
    check_examples(&mut ir, &op_sources, &mut stats, &mut errors);
    if let Some(doc) = refinements {
        let refine_error = |message: String| {
            let offset = entry_offset(&doc.text, &message);
            SpecError {
                document: doc.name.clone(),
                section: String::new(),
                offset,
                excerpt: crate::spec::error::excerpt(&doc.text, offset),
                message,
            }
        };
        match super::Refinements::parse(&doc.text) {
            Ok(r) => errors.extend(
                super::refine::apply(&mut ir, &r)
                    .into_iter()
                    .map(refine_error),
            ),
            Err(e) => errors.push(refine_error(format!("cannot read the refinements: {e}"))),
        }
    }
    if !errors.is_empty() {
        return Err(SpecErrors(errors));
    }
    Ok((ir, stats))
}

/// Where the refinements entry a message is about starts: the line that defines the first
/// `quoted` name of the message (`mtu = …`, `"Type.field" = …`, `name = "…"`), else the start.
fn entry_offset(text: &str, message: &str) -> usize {
    let Some(name) = message.split('`').nth(1) else {
        return 0;
    };
    let mut at = 0;
    for line in text.split_inclusive('\n') {
        let trimmed = line.trim_start();
        let key = trimmed
            .split('=')
            .next()
            .unwrap_or("")
            .trim()
            .trim_matches('"');
        let value = trimmed
            .split_once('=')
            .map_or("", |(_, v)| v.trim().trim_matches('"'));
        if !trimmed.starts_with('#') && (key == name || value == name) {
            return at + (line.len() - trimmed.len());
        }
        at += line.len();
    }
    0
}

fn root_name<'n>(roots: &'n [Node<'_>]) -> Option<&'n str> {
    match roots.first()?.span {
        Span::NamedObj { name, .. } | Span::TypeDef { name, .. } => Some(name),
        _ => None,
    }
}

fn lower_error(source: Source<'_>, e: LowerError) -> SpecError {
    source.error(&e.place, e.offset, e.message)
}

fn fill_resource_types(
    roots: &mut [super::Resource],
    section_ids: &[String],
    types_per_section: &[Vec<String>],
) {
    for r in roots {
        for (i, id) in section_ids.iter().enumerate() {
            if *id == r.id {
                r.types.extend(types_per_section[i].iter().cloned());
            }
        }
        fill_resource_types(&mut r.children, section_ids, types_per_section);
    }
}
