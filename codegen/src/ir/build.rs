//! Builds the IR from all documents: outline, name registry, trees, lowering, merging the page
//! into the reference, resource tree, union analysis, pagination and example checks.

use std::collections::{BTreeMap, HashMap};

use super::lower::{Ctx, LowerError, Lowerer, rename_body, rename_ty};
use super::resources::{self, ResourceInput};
use super::unions::{Defs, discriminate};
use super::validate::check_value;
use super::{
    AuthHeader, AuthScheme, Body, Examples, Field, Ir, Operation, Pagination, Param, ParamLocation,
    Response, Segment, Ty, TypeBody, TypeDef,
};
use crate::spec::curl::{Curl, parse_curl};
use crate::spec::error::{Source, SpecError, SpecErrors};
use crate::spec::outline::{OpSection, Outline, SectionKind};
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

/// An operation's sections as trees.
struct OpTrees<'b> {
    op: &'b OpSection<'b>,
    source: Source<'b>,
    resource_title: String,
    sections: BTreeMap<SectionKind, Vec<Node<'b>>>,
}

/// An operation lowered but not yet finished.
struct Draft {
    op: Operation,
    /// Its curl example, read once for both the examples and their checks.
    curl: Curl,
    source_index: usize,
    offset: usize,
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

fn op_section_trees<'b>(
    source: Source<'b>,
    resource_title: &str,
    op: &'b OpSection<'b>,
    registry: &'b Registry,
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

fn op_path(resource_title: &str, title: &str) -> String {
    if resource_title.is_empty() {
        title.to_string()
    } else {
        format!("{resource_title} > {title}")
    }
}

/// A query parameter the description offers in prose: `` `?name=true` ``.
fn prose_flags(description: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = description;
    while let Some(at) = rest.find('?') {
        let after = &rest[at + 1..];
        let name: String = after
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect();
        let tail = &after[name.len()..];
        if !name.is_empty()
            && (tail.starts_with("=true") || tail.starts_with("=false"))
            && !out.contains(&name)
        {
            out.push(name);
        }
        rest = after;
    }
    out
}

fn lower_operation<'t>(
    lowerer: &mut Lowerer<'t>,
    t: &'t OpTrees<'t>,
) -> Result<(Operation, Curl), LowerError> {
    let op = t.op;
    let base = op_path(&t.resource_title, &op.title);
    let section_of = |kind: SectionKind| format!("{base} > {}", kind.title());
    let segments = resources::segments(&op.path).map_err(|message| LowerError {
        offset: op.offset,
        place: section_of(SectionKind::Path),
        message,
    })?;
    let mut params = Vec::new();
    for (kind, location) in [
        (SectionKind::Path, ParamLocation::Path),
        (SectionKind::Header, ParamLocation::Header),
        (SectionKind::Query, ParamLocation::Query),
    ] {
        if let Some(nodes) = t.sections.get(&kind) {
            let section = section_of(kind);
            for field in lowerer.fields(nodes, &Ctx::section(&section))? {
                params.push(Param {
                    location,
                    field: lowerer.public_field(&field),
                    from_prose: false,
                });
            }
        }
    }
    let path_names: Vec<&str> = params
        .iter()
        .filter(|p| p.location == ParamLocation::Path)
        .map(|p| p.field.name.as_str())
        .collect();
    let placeholders = resources::placeholders(&segments);
    if path_names != placeholders.iter().map(String::as_str).collect::<Vec<_>>() {
        return Err(LowerError {
            offset: op.offset,
            place: section_of(SectionKind::Path),
            message: format!(
                "path parameters {path_names:?} differ from the template's placeholders {placeholders:?}"
            ),
        });
    }
    for name in prose_flags(&op.description) {
        if params.iter().any(|p| p.field.name == name) {
            continue;
        }
        params.push(Param {
            location: ParamLocation::Query,
            field: Field {
                name: name.clone(),
                ty: Ty::Boolean,
                required: false,
                description: format!("Offered in the operation's description as `?{name}=true`."),
                constraints: Vec::new(),
                nullable: false,
            },
            from_prose: true,
        });
    }

    let body_section = op.section(SectionKind::Body);
    let body = match t.sections.get(&SectionKind::Body) {
        None => None,
        Some(nodes) => {
            let section = section_of(SectionKind::Body);
            let ctx = Ctx::section(&section);
            let ty = match nodes.as_slice() {
                [only] if only.field_name() == Some("body") => lowerer.field(only, &ctx)?.ty,
                _ => {
                    let fields = lowerer.fields(nodes, &ctx)?;
                    lowerer.object(fields, &ctx)
                }
            };
            Some(Body {
                ty: lowerer.public_ty(&ty),
                content_type: body_section
                    .and_then(|s| s.content_type.clone())
                    .unwrap_or_else(|| "application/json".to_string()),
            })
        }
    };

    let response = match t.sections.get(&SectionKind::Returns) {
        Some(nodes) => {
            let section = section_of(SectionKind::Returns);
            let ctx = Ctx::section(&section);
            let fields = lowerer.fields(nodes, &ctx)?;
            match fields.iter().position(|f| f.name == "result") {
                Some(i) => {
                    let mut fields = fields;
                    let result = fields.remove(i);
                    Response::Envelope {
                        result: lowerer.public_ty(&result.ty),
                        result_info: fields.iter().any(|f| f.name == "result_info"),
                        fields: fields.iter().map(|f| lowerer.public_field(f)).collect(),
                        pagination: None,
                    }
                }
                None => {
                    let ty = lowerer.object(fields, &ctx);
                    Response::Json {
                        ty: lowerer.public_ty(&ty),
                    }
                }
            }
        }
        None if op.description.to_ascii_lowercase().contains("binary") => Response::Binary {
            note: op.description.to_string(),
        },
        None => Response::None,
    };

    let (examples, curl) = read_examples(op, &base)?;
    let operation = Operation {
        method: op.method,
        path: op.path.to_string(),
        segments,
        title: op.title.to_string(),
        description: op.description.to_string(),
        resource: String::new(),
        section: t.resource_title.clone(),
        params,
        body,
        response,
        auth: Vec::new(),
        permissions: op.permissions.clone(),
        examples,
        form_header: None,
    };
    Ok((operation, curl))
}

/// Parses the curl command, its body and the JSON response example of an operation.
fn read_examples(op: &OpSection<'_>, base: &str) -> Result<(Examples, Curl), LowerError> {
    let fail = |offset: usize, message: String| LowerError {
        offset,
        place: format!("{base} > Example"),
        message,
    };
    let Some(curl_block) = &op.curl else {
        return Err(fail(op.offset, "the operation has no curl example".into()));
    };
    let curl = parse_curl(&curl_block.text).map_err(|e| {
        fail(
            curl_block.offset,
            format!("cannot read the curl example: {e}"),
        )
    })?;
    let request = match &curl.data {
        Some(data) => Some(
            serde_json::from_str(data)
                .map_err(|e| fail(curl_block.offset, format!("curl body is not JSON: {e}")))?,
        ),
        None => None,
    };
    let response = match &op.response_example {
        Some(block) => Some(
            serde_json::from_str(&block.text)
                .map_err(|e| fail(block.offset, format!("response example is not JSON: {e}")))?,
        ),
        None => None,
    };
    let examples = Examples {
        curl: curl_block.text.to_string(),
        request,
        response,
    };
    Ok((examples, curl))
}

/// Calls `rename` on every definition id an operation references.
fn rename_op(op: &mut Operation, rename: &mut impl FnMut(&mut String)) {
    for p in &mut op.params {
        rename_ty(&mut p.field.ty, rename);
    }
    if let Some(b) = &mut op.body {
        rename_ty(&mut b.ty, rename);
    }
    match &mut op.response {
        Response::Envelope { result, fields, .. } => {
            rename_ty(result, rename);
            for f in fields {
                rename_ty(&mut f.ty, rename);
            }
        }
        Response::Json { ty } => rename_ty(ty, rename),
        Response::Binary { .. } | Response::None => {}
    }
}

/// Checks that a page agrees with the reference on an operation and adds what only it says.
fn merge_page(target: &mut Operation, page: Operation) -> Result<(), String> {
    if target.title != page.title {
        return Err(format!(
            "title `{}` differs from the reference's `{}`",
            page.title, target.title
        ));
    }
    let declared: Vec<&Param> = target.params.iter().filter(|p| !p.from_prose).collect();
    let page_declared: Vec<&Param> = page.params.iter().filter(|p| !p.from_prose).collect();
    if declared.len() != page_declared.len() {
        return Err("the page lists different parameters".into());
    }
    for (a, b) in declared.iter().zip(&page_declared) {
        if a.field.name != b.field.name
            || a.field.ty != b.field.ty
            || a.field.required != b.field.required
        {
            return Err(format!(
                "parameter `{}` differs between the page and the reference",
                b.field.name
            ));
        }
    }
    let constraints: Vec<_> = page_declared
        .iter()
        .map(|p| p.field.constraints.clone())
        .collect();
    let declared = target.params.iter_mut().filter(|p| !p.from_prose);
    for (p, page_constraints) in declared.zip(constraints) {
        for c in page_constraints {
            if !p.field.constraints.contains(&c) {
                p.field.constraints.push(c);
            }
        }
    }
    match (&mut target.body, &page.body) {
        (Some(a), Some(b)) if a.ty == b.ty => a.content_type = b.content_type.clone(),
        (None, None) => {}
        _ => return Err("the request body differs between the page and the reference".into()),
    }
    let same_response = match (&target.response, &page.response) {
        (
            Response::Envelope {
                result: a,
                fields: fa,
                ..
            },
            Response::Envelope {
                result: b,
                fields: fb,
                ..
            },
        ) => {
            a == b
                && fa
                    .iter()
                    .map(|f| (&f.name, &f.ty, f.required))
                    .eq(fb.iter().map(|f| (&f.name, &f.ty, f.required)))
        }
        (a, b) => std::mem::discriminant(a) == std::mem::discriminant(b),
    };
    if !same_response {
        return Err("the response differs between the page and the reference".into());
    }
    for p in page.permissions {
        if !target.permissions.contains(&p) {
            target.permissions.push(p);
        }
    }
    Ok(())
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

/// Which shapes an operation or a domain type reaches, by index in `ir.shapes`.
fn reachable_shapes(ir: &Ir) -> Vec<bool> {
    fn push_body<'i>(body: &'i TypeBody, stack: &mut Vec<&'i Ty>) {
        match body {
            TypeBody::Object { fields } => stack.extend(fields.iter().map(|f| &f.ty)),
            TypeBody::Alias { target } => stack.push(target),
            TypeBody::Union { alternatives, .. } => {
                stack.extend(alternatives.iter().map(|a| &a.ty))
            }
            TypeBody::Enum { .. } => {}
        }
    }
    let by_id: HashMap<&str, usize> = ir
        .shapes
        .iter()
        .enumerate()
        .map(|(i, s)| (s.id.as_str(), i))
        .collect();
    let mut seen = vec![false; ir.shapes.len()];
    let mut stack: Vec<&Ty> = Vec::new();
    for t in &ir.types {
        push_body(&t.body, &mut stack);
    }
    for op in &ir.operations {
        stack.extend(op.params.iter().map(|p| &p.field.ty));
        if let Some(b) = &op.body {
            stack.push(&b.ty);
        }
        match &op.response {
            Response::Envelope { result, fields, .. } => {
                stack.push(result);
                stack.extend(fields.iter().map(|f| &f.ty));
            }
            Response::Json { ty } => stack.push(ty),
            _ => {}
        }
    }
    while let Some(ty) = stack.pop() {
        match ty {
            Ty::Ref { id } => {
                if let Some(&i) = by_id.get(id.as_str()) {
                    if !seen[i] {
                        seen[i] = true;
                        push_body(&ir.shapes[i].body, &mut stack);
                    }
                }
            }
            Ty::Array { items } => stack.push(items),
            Ty::Map { values } => stack.push(values),
            _ => {}
        }
    }
    seen
}

/// Removes shapes no operation or domain type reaches (leftovers of checked expansions).
fn drop_unreachable(ir: &mut Ir) {
    let seen = reachable_shapes(ir);
    let mut i = 0;
    ir.shapes.retain(|_| {
        i += 1;
        seen[i - 1]
    });
    // Keep anonymous ids contiguous (`~1`, `~2`, ...) after pruning.
    let mut rename = HashMap::new();
    let mut k = 0;
    for s in &mut ir.shapes {
        if s.id.starts_with('~') {
            k += 1;
            let new = format!("~{k}");
            rename.insert(std::mem::replace(&mut s.id, new.clone()), new);
        }
    }
    let mut renumber = |id: &mut String| {
        if let Some(new) = rename.get(id) {
            id.clone_from(new);
        }
    };
    for def in ir.types.iter_mut().chain(ir.shapes.iter_mut()) {
        rename_body(&mut def.body, &mut renumber);
        if let Some(same) = &mut def.same_shape_as {
            renumber(same);
        }
    }
    for op in &mut ir.operations {
        rename_op(op, &mut renumber);
    }
}

fn analyze_unions(ir: &mut Ir) {
    let decisions: Vec<(bool, usize, super::Discrimination)> = {
        let defs = Defs::new(ir.types.iter().chain(&ir.shapes));
        let mut out = Vec::new();
        for (table, list) in [(true, &ir.types), (false, &ir.shapes)] {
            for (i, def) in list.iter().enumerate() {
                if let TypeBody::Union { alternatives, .. } = &def.body {
                    out.push((table, i, discriminate(alternatives, &defs)));
                }
            }
        }
        out
    };
    for (is_type, i, d) in decisions {
        let def: &mut TypeDef = if is_type {
            &mut ir.types[i]
        } else {
            &mut ir.shapes[i]
        };
        if let TypeBody::Union { discrimination, .. } = &mut def.body {
            *discrimination = d;
        }
    }
}

fn set_pagination(ir: &mut Ir) {
    let updates: Vec<(usize, Pagination)> = {
        let defs = Defs::new(ir.types.iter().chain(&ir.shapes));
        ir.operations
            .iter()
            .enumerate()
            .filter_map(|(i, op)| {
                let Response::Envelope {
                    result,
                    result_info,
                    ..
                } = &op.response
                else {
                    return None;
                };
                if let Some(fields) = defs.object_fields(result) {
                    let cursor = fields.iter().find(|f| {
                        f.ty == Ty::String
                            && op
                                .params_in(ParamLocation::Query)
                                .any(|p| p.field.name == f.name)
                    });
                    let items = fields.iter().find(|f| matches!(f.ty, Ty::Array { .. }));
                    if let (Some(c), Some(items)) = (cursor, items) {
                        return Some((
                            i,
                            Pagination::Cursor {
                                items: items.name.clone(),
                                cursor: c.name.clone(),
                            },
                        ));
                    }
                }
                (*result_info && matches!(result, Ty::Array { .. }))
                    .then_some((i, Pagination::Pages { page: None }))
            })
            .collect()
    };
    for (i, p) in updates {
        if let Response::Envelope { pagination, .. } = &mut ir.operations[i].response {
            *pagination = Some(p);
        }
    }
}

/// Checks every example against its operation, and the curl commands against the method, path
/// and auth schemes; records the base URL the curl commands share.
fn check_examples(
    ir: &mut Ir,
    sources: &[(Source<'_>, usize, Curl)],
    stats: &mut Stats,
    errors: &mut Vec<SpecError>,
) {
    let defs = Defs::new(ir.types.iter().chain(&ir.shapes));
    let mut base_url: Option<String> = None;
    for (op, (source, offset, curl)) in ir.operations.iter().zip(sources) {
        // What is wrong with this operation's example; the section path is only spelled out
        // when something is.
        let mut problems = Vec::new();
        check_curl(op, curl, &ir.auth, &mut base_url, &mut problems);
        if let Some(value) = &op.examples.request {
            stats.request_examples += 1;
            let checked = match &op.body {
                Some(body) => check_value(&defs, &body.ty, value).map_err(|e| e.to_string()),
                None => Err("the operation documents no body".to_string()),
            };
            if let Err(e) = checked {
                problems.push(format!("request body example does not fit: {e}"));
            }
        }
        if let Some(value) = &op.examples.response {
            stats.response_examples += 1;
            if let Err(e) = check_response(&defs, &op.response, value) {
                problems.push(format!("response example does not fit: {e}"));
            }
        }
        if !problems.is_empty() {
            let here = format!("{} > {} > Example", op.section, op.title);
            errors.extend(
                problems
                    .into_iter()
                    .map(|m| source.error(&here, *offset, m)),
            );
        }
    }
    ir.base_url = base_url.unwrap_or_default();
}

/// Checks a curl example against its operation's method, path and the auth schemes; the first
/// base URL seen becomes the one every other example must use.
fn check_curl(
    op: &Operation,
    curl: &Curl,
    auth: &[AuthScheme],
    base_url: &mut Option<String>,
    problems: &mut Vec<String>,
) {
    if curl.method != op.method.as_str() {
        problems.push(format!(
            "curl uses {} for a {} operation",
            curl.method,
            op.method.as_str()
        ));
    }
    let expected_tail = expected_url_path(&op.segments);
    match curl.url.strip_suffix(&expected_tail) {
        Some(base) => match base_url {
            Some(b) if b != base => {
                problems.push(format!("curl base URL `{base}` differs from `{b}`"))
            }
            Some(_) => {}
            None => *base_url = Some(base.to_string()),
        },
        None => problems.push(format!(
            "curl URL `{}` does not end with `{expected_tail}`",
            curl.url
        )),
    }
    let known = |name: &str| {
        auth.iter()
            .any(|a| a.headers.iter().any(|h| h.name.eq_ignore_ascii_case(name)))
    };
    if !auth.is_empty() && !curl.headers.iter().any(|(n, _)| known(n)) {
        problems.push("curl sends no header of a known auth scheme".into());
    }
    if curl.data.is_some() != op.examples.request.is_some() {
        problems.push("curl body could not be read".into());
    }
}

/// Checks a whole response example (the envelope) against a response.
pub fn check_response(
    defs: &Defs<'_>,
    response: &Response,
    value: &serde_json::Value,
) -> Result<(), super::ValueError> {
    let fail = |pointer: String, message: String| Err(super::ValueError { pointer, message });
    match response {
        Response::Envelope { result, fields, .. } => {
            let serde_json::Value::Object(map) = value else {
                return fail(String::new(), "expected the envelope object".into());
            };
            let declared = |key: &str| key == "result" || fields.iter().any(|f| f.name == key);
            if let Some(key) = map.keys().find(|k| !declared(k)) {
                return fail(format!("/{key}"), "key not declared by the type".into());
            }
            let result_field = ("result", result, true);
            let all = fields
                .iter()
                .map(|f| (f.name.as_str(), &f.ty, f.required))
                .chain(std::iter::once(result_field));
            for (name, ty, required) in all {
                match map.get(name) {
                    Some(v) => check_value(defs, ty, v).map_err(|mut e| {
                        e.pointer = format!("/{name}{}", e.pointer);
                        e
                    })?,
                    None if required => {
                        return fail(format!("/{name}"), "required field missing".into());
                    }
                    None => {}
                }
            }
            Ok(())
        }
        Response::Json { ty } => check_value(defs, ty, value),
        Response::Binary { .. } | Response::None => fail(
            String::new(),
            "the operation documents no JSON response".into(),
        ),
    }
}

fn expected_url_path(segments: &[Segment]) -> String {
    fn one(s: &Segment) -> String {
        match s {
            Segment::Literal { text } => text.clone(),
            Segment::Param { name } => format!("${}", name.to_ascii_uppercase()),
            Segment::Compound { parts } => parts.iter().map(one).collect(),
        }
    }
    segments.iter().map(|s| format!("/{}", one(s))).collect()
}

/// Two operations with one method and path would be one endpoint documented twice (a copied
/// section): the second is an error at its own heading, whatever resource it sits under.
fn check_unique_operations(outlines: &[Outline<'_>], errors: &mut Vec<SpecError>) {
    let mut seen: HashMap<(super::Method, &str), (&str, &str)> = HashMap::new();
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
