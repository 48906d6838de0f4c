//! The driver that builds the IR from the parsed documents, stage by stage: the resource tree,
//! the domain types, the operations (lowered, merged with their pages), assembly, then the
//! passes in [`super::checks`] and the refinements.

use std::collections::HashMap;

use super::checks::{analyze_unions, check_examples, drop_unreachable, set_pagination};
use super::lower::{Ctx, LowerError, Lowerer};
use super::operations::{Draft, lower_operation, merge_page, rename_op};
use super::resources::{self, ResourceInput};
use super::{AuthHeader, AuthScheme, Ir, Operation, Stats};
use crate::parse::Document;
use crate::parse::curl::Curl;
use crate::parse::error::{Source, SpecError, SpecErrors};
use crate::parse::parsed::{self, Documents, OpTrees, TypeTree};
use crate::parse::texpr::Span;
use crate::parse::tree::Node;

/// Parses and checks all documents into one IR: the parse stage ([`crate::parse::parsed`]), then
/// resources, domain types, operations, assembly, and the passes over the result.
pub fn build(docs: &[Document], refinements: Option<&Document>) -> Result<(Ir, Stats), SpecErrors> {
    let documents = parsed::read_documents(docs)?;
    let (registry, bullets) = parsed::learn(&documents);
    let trees = parsed::trees(&documents, &registry)?;
    let mut stats = Stats {
        tree: trees.tree,
        bullets,
        ..Stats::default()
    };
    let plan = plan_resources(&documents)?;
    let mut lowerer = Lowerer::new(&registry);
    let types_per_section = lower_domain_types(&documents, &trees.types, &plan, &mut lowerer)?;
    let lowered = lower_operations(&documents, &trees.ops, lowerer)?;
    let (mut ir, op_sources) = assemble(lowered, plan, &types_per_section);
    super::roles::assign(&mut ir);
    drop_unreachable(&mut ir);
    analyze_unions(&mut ir);
    set_pagination(&mut ir);
    let mut errors = Vec::new();
    check_examples(&mut ir, &op_sources, &mut stats, &mut errors);
    if let Some(doc) = refinements {
        errors.extend(apply_refinements(&mut ir, doc));
    }
    if !errors.is_empty() {
        return Err(SpecErrors(errors));
    }
    // Last: the mock's model reads the refined types (tag enums, integers).
    ir.store = super::mock_model::model(&ir);
    Ok((ir, stats))
}

/// The resource tree and which `#` section each operation belongs to.
struct ResourcePlan {
    /// Per `#` section, in document order across outlines: its resource id (empty without
    /// operations).
    section_ids: Vec<String>,
    /// The tree's roots.
    roots: Vec<super::Resource>,
    /// Per reference operation, in order: the index of its `#` section.
    op_section: Vec<usize>,
}

/// Resource ids come from the operations' paths; an error names the section it is about.
fn plan_resources(documents: &Documents<'_>) -> Result<ResourcePlan, SpecErrors> {
    let mut errors = Vec::new();
    let mut inputs = Vec::new();
    let mut places = Vec::new();
    let mut op_section = Vec::new();
    for outline in &documents.outlines {
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
            places.push((outline.source, res.offset, res.title));
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
    match resources::tree(inputs) {
        Ok(tree) => Ok(ResourcePlan {
            section_ids: tree.ids,
            roots: tree.roots,
            op_section,
        }),
        Err((index, e)) => {
            let error = match places.get(index) {
                Some((source, offset, title)) => source.error(title, *offset, e),
                None => documents.outlines[0].source.error("", 0, e),
            };
            Err(SpecErrors(vec![error]))
        }
    }
}

/// Declares every domain type (ids are the names, qualified by resource where a name repeats),
/// then defines them; returns the ids defined under each `#` section.
fn lower_domain_types<'a>(
    documents: &Documents<'a>,
    type_trees: &'a [TypeTree<'a>],
    plan: &ResourcePlan,
    lowerer: &mut Lowerer<'a>,
) -> Result<Vec<Vec<String>>, SpecErrors> {
    let mut errors = Vec::new();
    let mut name_counts: HashMap<String, usize> = HashMap::new();
    for t in type_trees {
        let name = root_name(&t.roots)
            .map(str::to_string)
            .unwrap_or_else(|| t.heading.replace(' ', ""));
        *name_counts.entry(name).or_default() += 1;
    }
    let mut declared = Vec::new();
    let mut types_per_section: Vec<Vec<String>> = vec![Vec::new(); plan.section_ids.len()];
    let mut section_index = 0;
    let mut trees = type_trees.iter();
    for outline in &documents.outlines {
        for res in &outline.resources {
            let resource_id = plan
                .section_ids
                .get(section_index)
                .cloned()
                .unwrap_or_default();
            for _ in &res.types {
                let Some(t) = trees.next() else {
                    break;
                };
                let name = match domain_root(t) {
                    Ok(name) => name,
                    Err(e) => {
                        errors.push(e);
                        continue;
                    }
                };
                let id = if name_counts.get(name).copied().unwrap_or(0) > 1 {
                    let owner = if resource_id.is_empty() {
                        "root"
                    } else {
                        &resource_id
                    };
                    format!("{name}@{owner}")
                } else {
                    name.to_string()
                };
                let description = &t.roots[0].bullet.description;
                let index = lowerer.declare_domain(id.clone(), name, &resource_id, description);
                types_per_section[section_index].push(id);
                declared.push((index, t));
            }
            section_index += 1;
        }
    }
    for (index, t) in &declared {
        let ctx = Ctx::section(&t.section);
        if let Err(e) = lowerer.define_domain(*index, &t.roots[0], &ctx) {
            errors.push(lower_error(t.source, e));
        }
    }
    if errors.is_empty() {
        Ok(types_per_section)
    } else {
        Err(SpecErrors(errors))
    }
}

/// The name of a domain type section's one root bullet, which its heading must spell.
fn domain_root<'t>(t: &'t TypeTree<'_>) -> Result<&'t str, SpecError> {
    let fail = |message: String| t.source.error(&t.section, t.offset, message);
    let Some(name) = root_name(&t.roots) else {
        return Err(fail(
            "a domain type section needs exactly one `Name ...` root bullet".into(),
        ));
    };
    if t.roots.len() != 1 {
        return Err(fail(format!(
            "domain type has {} root bullets, expected 1",
            t.roots.len()
        )));
    }
    if name != t.heading.replace(' ', "") {
        return Err(fail(format!(
            "heading `{}` does not name the type `{name}`",
            t.heading
        )));
    }
    Ok(name)
}

/// Every operation lowered, shapes merged, the pages merged into the reference's operations.
struct Lowered<'a> {
    types: Vec<super::TypeDef>,
    shapes: Vec<super::TypeDef>,
    /// The reference's operations, in document order, with where each comes from.
    drafts: Vec<Draft>,
    /// Per operation tree: its document.
    sources: Vec<Source<'a>>,
    /// The auth schemes the pages declare.
    auth: Vec<AuthScheme>,
}

fn lower_operations<'a>(
    documents: &Documents<'a>,
    op_trees: &'a [OpTrees<'a>],
    mut lowerer: Lowerer<'a>,
) -> Result<Lowered<'a>, SpecErrors> {
    let mut errors = Vec::new();
    // The reference's operations first, then the pages'.
    let sources: Vec<Source<'a>> = op_trees.iter().map(|t| t.source).collect();
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
        let source = sources
            .first()
            .copied()
            .unwrap_or(documents.outlines[0].source);
        errors.push(lower_error(source, e));
    }
    for d in &mut drafts {
        rename_op(&mut d.op, &mut |id| canonical.rename_id(id));
    }
    let reference_count: usize = documents
        .outlines
        .iter()
        .flat_map(|o| o.resources.iter())
        .map(|r| r.operations.len())
        .sum();
    let page_drafts = drafts.split_off(reference_count.min(drafts.len()));
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
    Ok(Lowered {
        types: canonical.types,
        shapes: canonical.shapes,
        drafts,
        sources,
        auth: auth_schemes(documents),
    })
}

/// The auth schemes the pages declare, each once.
fn auth_schemes(documents: &Documents<'_>) -> Vec<AuthScheme> {
    let mut auth: Vec<AuthScheme> = Vec::new();
    for page in &documents.pages {
        for scheme in &page.op.schemes {
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
    auth
}

/// The IR from the lowered operations and types, each operation in its resource, with the
/// sources of its examples for the checks.
fn assemble<'a>(
    lowered: Lowered<'a>,
    plan: ResourcePlan,
    types_per_section: &[Vec<String>],
) -> (Ir, Vec<(Source<'a>, usize, Curl)>) {
    let mut operations: Vec<Operation> = Vec::with_capacity(lowered.drafts.len());
    let mut op_sources = Vec::with_capacity(lowered.drafts.len());
    for d in lowered.drafts {
        op_sources.push((lowered.sources[d.source_index], d.offset, d.curl));
        operations.push(d.op);
    }
    for (i, op) in operations.iter_mut().enumerate() {
        let section = plan
            .op_section
            .get(i)
            .and_then(|&s| plan.section_ids.get(s));
        op.resource = section.cloned().unwrap_or_default();
        op.auth = lowered.auth.iter().map(|a| a.name.clone()).collect();
    }
    let mut roots = plan.roots;
    fill_resource_types(&mut roots, &plan.section_ids, types_per_section);
    let ir = Ir {
        base_url: String::new(),
        operations,
        types: lowered.types,
        shapes: lowered.shapes,
        resources: roots,
        auth: lowered.auth,
        renames: Default::default(),
        kept_names: Default::default(),
        store: Default::default(),
    };
    (ir, op_sources)
}

/// Applies `spec/refinements.toml`; each problem is located at the entry it is about.
fn apply_refinements(ir: &mut Ir, doc: &Document) -> Vec<SpecError> {
    let refine_error = |message: String| {
        let offset = entry_offset(&doc.text, &message);
        SpecError {
            document: doc.name.clone(),
            section: String::new(),
            offset,
            excerpt: crate::parse::error::excerpt(&doc.text, offset),
            message,
        }
    };
    match super::Refinements::parse(&doc.text) {
        Ok(r) => super::refine::apply(ir, &r)
            .into_iter()
            .map(refine_error)
            .collect(),
        Err(e) => vec![refine_error(format!("cannot read the refinements: {e}"))],
    }
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
