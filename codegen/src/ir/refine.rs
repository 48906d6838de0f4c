//! Applies `spec/refinements.toml`: facts the documents cannot state, reviewed by hand.
//!
//! - A `number` stays a number (any JSON number, kept exactly) unless a reviewed `[integers]`
//!   entry names it, with its evidence; then it is an integer. An example with a fraction in such
//!   a field is an error: the evidence is wrong.
//! - A field whose prose contains a `[nullable]` phrase is marked nullable: `null` means
//!   something of its own there.
//! - A bulk update whose prose lets an item carry only what changes gets items whose fields are
//!   optional but the identifying one (`[[partial_items]]`).
//! - A tag enum names the tag values of the union tagged by a field, and types the listed string
//!   fields and parameters with it.
//!
//! An entry that matches nothing in the spec is an error, so the file cannot silently rot.

use std::collections::{BTreeMap, HashSet};

use serde::Deserialize;
use serde_json::Value;

use super::Defs;
use super::stale::stale;
use super::{Discrimination, Field, Ir, Origin, Response, Ty, TypeBody, TypeDef};

/// The refinements' own copy of a name (so the set of used entries borrows the file, not the IR).
fn key_of<'r>(refinements: &'r Refinements, name: &str) -> &'r str {
    refinements
        .integers
        .get_key_value(name)
        .map_or("", |(k, _)| k.as_str())
}

/// The parsed refinements file.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Refinements {
    /// Numbers that hold whole numbers only: field or parameter name -> the evidence.
    #[serde(default)]
    pub integers: BTreeMap<String, String>,
    /// When an explicit `null` means something of its own.
    #[serde(default)]
    pub nullable: NullablePhrases,
    /// Fields and parameters whose values are secrets: name -> the evidence.
    #[serde(default)]
    pub secrets: BTreeMap<String, String>,
    /// Named enums of a union's tag values.
    #[serde(default)]
    pub tag_enums: Vec<TagEnum>,
    /// Rust names for types whose reference names are machine-made: keys are reference names or
    /// `Type.field` for an unnamed shape. Checked by the emitter (an unused key is an error).
    #[serde(default)]
    pub names: BTreeMap<String, String>,
    /// The undeclared query parameters of page-numbered lists.
    #[serde(default)]
    pub pagination: Option<PageParams>,
    /// Headers that select the form of a union.
    #[serde(default)]
    pub form_headers: Vec<super::form_headers::FormHeaderEntry>,
    /// Bulk updates whose prose lets an item carry only the fields that change.
    #[serde(default)]
    pub partial_items: Vec<super::partial_items::PartialItemsEntry>,
    /// Unions whose alternatives the prose tells apart by one field's value.
    #[serde(default)]
    pub union_tags: Vec<UnionTag>,
    /// One concept under two reference names: reference name -> the name it is the same as.
    /// Both must be objects with the same fields (names, types, required); every use of the
    /// first then uses the second, and the first stays as an alias.
    #[serde(default)]
    pub same_concept: BTreeMap<String, String>,
    /// Names the crate gave types before the reference renamed them: old Rust name -> the
    /// type's Rust name now. Each is kept as a deprecated alias, so code that names it keeps
    /// compiling; the change report says which to add. Checked by the planner (an entry whose
    /// type is gone, or whose name is taken again, is an error).
    #[serde(default)]
    pub kept_names: BTreeMap<String, String>,
}

/// One `[[union_tags]]` entry: each named alternative's `tag` field holds exactly its value, so
/// the union is tagged by it (the variant sets the value, and a contradictory one cannot be
/// built), where the reference types the field with every value in every alternative.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UnionTag {
    /// The shared field (`type`).
    pub tag: String,
    /// Alternative (reference name) -> the tag value it alone takes.
    pub values: BTreeMap<String, String>,
    /// Why the prose says so.
    pub evidence: String,
}

/// The `[pagination]` table.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PageParams {
    /// The page-number parameter (1-based).
    pub page: String,
    /// The page-size parameter.
    pub per_page: String,
}

/// The `[nullable]` table.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NullablePhrases {
    /// Description phrases (case-insensitive) that give `null` a meaning.
    #[serde(default)]
    pub phrases: Vec<String>,
}

/// One `[[tag_enums]]` entry.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TagEnum {
    /// The tag field of the union (`k`).
    pub tag: String,
    /// The enum's name (`EventKind`).
    pub name: String,
    /// Its documentation.
    pub description: String,
    /// String fields and parameters typed by the enum.
    #[serde(default)]
    pub fields: Vec<String>,
}

impl Refinements {
    /// Parses the file's text.
    pub fn parse(text: &str) -> Result<Refinements, String> {
        toml::from_str(text).map_err(|e| e.to_string())
    }
}

/// Applies the refinements; returns the entries that matched nothing. What only the emitter can
/// check (`[names]`, whose keys name emitted types) is recorded in the IR for it.
pub fn apply(ir: &mut Ir, refinements: &Refinements) -> Vec<String> {
    ir.renames = refinements.names.clone();
    ir.kept_names = refinements.kept_names.clone();
    let mut problems = Vec::new();
    // Tag enums first: they turn some strings into references, before numbers are decided.
    apply_union_tags(ir, refinements, &mut problems);
    apply_same_concept(ir, refinements, &mut problems);
    apply_tag_enums(ir, refinements, &mut problems);
    apply_pagination(ir, refinements, &mut problems);
    super::form_headers::apply(ir, &refinements.form_headers, &mut problems);
    super::partial_items::apply(ir, &refinements.partial_items, &mut problems);
    apply_fields(ir, refinements, &mut problems);
    problems
}

/// `[same_concept]`: merges a type into another of the same fields.
fn apply_same_concept(ir: &mut Ir, refinements: &Refinements, problems: &mut Vec<String>) {
    for (from, into) in &refinements.same_concept {
        let place = format!("[same_concept] `{from}`");
        let find = |name: &str| {
            ir.types
                .iter()
                .chain(&ir.shapes)
                .find(|d| d.name.as_deref() == Some(name) && d.same_shape_as.is_none())
                .map(|d| (d.id.clone(), d.body.clone()))
        };
        let (Some((from_id, from_body)), Some((into_id, into_body))) = (find(from), find(into))
        else {
            problems.push(stale(
                &place,
                &format!("expected types named `{from}` and `{into}`"),
            ));
            continue;
        };
        let shape = |body: &TypeBody| match body {
            TypeBody::Object { fields } => {
                let mut out: Vec<(String, Ty, bool)> = fields
                    .iter()
                    .map(|f| (f.name.clone(), f.ty.clone(), f.required))
                    .collect();
                out.sort_by(|a, b| a.0.cmp(&b.0));
                Some(out)
            }
            _ => None,
        };
        match (shape(&from_body), shape(&into_body)) {
            (Some(a), Some(b)) if a == b => {}
            _ => {
                problems.push(stale(
                    &place,
                    &format!("expected `{from}` and `{into}` to be objects with the same fields"),
                ));
                continue;
            }
        }
        let mut redirect = |id: &mut String| {
            if *id == from_id {
                id.clone_from(&into_id);
            }
        };
        for def in ir.types.iter_mut().chain(ir.shapes.iter_mut()) {
            super::lower::rename_body(&mut def.body, &mut redirect);
            if def.same_shape_as.as_deref() == Some(from_id.as_str()) {
                def.same_shape_as = Some(into_id.clone());
            }
        }
        for op in &mut ir.operations {
            super::operations::rename_op(op, &mut redirect);
        }
        for def in ir.types.iter_mut().chain(ir.shapes.iter_mut()) {
            if def.id == from_id {
                def.same_shape_as = Some(into_id.clone());
            }
        }
    }
}

/// `[[union_tags]]`: narrows each alternative's tag field to its one value, then decides the
/// unions again (the tag strategy now applies to them).
fn apply_union_tags(ir: &mut Ir, refinements: &Refinements, problems: &mut Vec<String>) {
    if refinements.union_tags.is_empty() {
        return;
    }
    for entry in &refinements.union_tags {
        for (alternative, value) in &entry.values {
            let place = format!("[[union_tags]] `{}` > `{alternative}`", entry.tag);
            let allowed = {
                let defs = Defs::new(ir.types.iter().chain(&ir.shapes));
                let field = defs
                    .values()
                    .find(|d| d.name.as_deref() == Some(alternative.as_str()))
                    .and_then(|d| match &d.body {
                        TypeBody::Object { fields } => {
                            fields.iter().find(|f| f.name == entry.tag && f.required)
                        }
                        _ => None,
                    });
                match field.map(|f| &f.ty) {
                    None => None,
                    Some(Ty::String) => Some(true),
                    Some(Ty::Literal { value: v }) => Some(v == value),
                    Some(ty) => Some(matches!(
                        defs.body(ty),
                        Some(TypeBody::Enum { values, .. }) if values.contains(value)
                    )),
                }
            };
            match allowed {
                None => problems.push(stale(
                    &place,
                    &format!(
                        "expected an object type of that name with a required field `{}`",
                        entry.tag
                    ),
                )),
                Some(false) => problems.push(stale(
                    &place,
                    &format!("expected its field `{}` to allow `{value}`", entry.tag),
                )),
                Some(true) => {
                    for def in ir.types.iter_mut().chain(ir.shapes.iter_mut()) {
                        if def.name.as_deref() != Some(alternative.as_str()) {
                            continue;
                        }
                        if let TypeBody::Object { fields } = &mut def.body {
                            for f in fields.iter_mut().filter(|f| f.name == entry.tag) {
                                let literal = Ty::Literal {
                                    value: value.clone(),
                                };
                                // The reference allows every value in every alternative: a
                                // server still takes them (`Field::reference_ty`).
                                let reference = std::mem::replace(&mut f.ty, literal);
                                f.reference_ty.get_or_insert(reference);
                            }
                        }
                    }
                }
            }
        }
    }
    super::checks::analyze_unions(ir);
}

/// `[[tag_enums]]`: the tag values of the union tagged by a field become a named enum, which
/// also types the listed string fields and parameters.
fn apply_tag_enums(ir: &mut Ir, refinements: &Refinements, problems: &mut Vec<String>) {
    for tag_enum in &refinements.tag_enums {
        let values = {
            let tagged: Vec<&Vec<String>> = ir
                .types
                .iter()
                .chain(&ir.shapes)
                .filter_map(|d| match &d.body {
                    TypeBody::Union {
                        discrimination: Discrimination::Tag { field, values },
                        ..
                    } if *field == tag_enum.tag => Some(values),
                    _ => None,
                })
                .collect();
            match tagged.as_slice() {
                [one] => (*one).clone(),
                [] => {
                    problems.push(stale(
                        &format!("[[tag_enums]] `{}`", tag_enum.name),
                        &format!("expected a union tagged by the field `{}`", tag_enum.tag),
                    ));
                    continue;
                }
                _ => {
                    problems.push(format!(
                        "tag enum `{}`: several unions are tagged by `{}`",
                        tag_enum.name, tag_enum.tag
                    ));
                    continue;
                }
            }
        };
        if ir
            .types
            .iter()
            .chain(&ir.shapes)
            .any(|d| d.id == tag_enum.name)
        {
            problems.push(format!(
                "tag enum `{}`: the name is already taken",
                tag_enum.name
            ));
            continue;
        }
        let id = tag_enum.name.clone();
        let mut used_at = Vec::new();
        let retype = |f: &mut Field, place: String, used_at: &mut Vec<String>| {
            if tag_enum.fields.contains(&f.name) && f.ty == Ty::String {
                f.ty = Ty::Ref { id: id.clone() };
                used_at.push(place);
            }
        };
        for def in ir.types.iter_mut().chain(ir.shapes.iter_mut()) {
            if let TypeBody::Object { fields } = &mut def.body {
                for f in fields {
                    let place = format!("{} > {}", def.id, f.name);
                    retype(f, place, &mut used_at);
                }
            }
        }
        for op in &mut ir.operations {
            for p in &mut op.params {
                let place = format!("{} {} > {}", op.method.as_str(), op.path, p.field.name);
                retype(&mut p.field, place, &mut used_at);
            }
        }
        if used_at.is_empty() && !tag_enum.fields.is_empty() {
            problems.push(stale(
                &format!("[[tag_enums]] `{}`", tag_enum.name),
                &format!(
                    "expected string fields or parameters named {:?}",
                    tag_enum.fields
                ),
            ));
        }
        used_at.sort();
        ir.shapes.push(TypeDef {
            id: id.clone(),
            name: Some(tag_enum.name.clone()),
            body: TypeBody::Enum { values, open: true },
            origin: Origin::Refined,
            description: tag_enum.description.clone(),
            resource: None,
            same_shape_as: None,
            used_at,
        });
    }
}

/// `[pagination]`: page-numbered lists get their undeclared page parameters, and their
/// pagination records which one is the page number.
fn apply_pagination(ir: &mut Ir, refinements: &Refinements, problems: &mut Vec<String>) {
    if let Some(pages) = &refinements.pagination {
        let mut any = false;
        for op in &mut ir.operations {
            let paged = matches!(
                &op.response,
                Response::Envelope {
                    result_info: true,
                    ..
                }
            );
            if !paged {
                continue;
            }
            any = true;
            if let Response::Envelope {
                pagination: Some(super::Pagination::Pages { page }),
                ..
            } = &mut op.response
            {
                *page = Some(pages.page.clone());
            }
            for (name, what) in [
                (&pages.page, "The page to fetch, from 1."),
                (&pages.per_page, "How many results a page holds."),
            ] {
                if op.params.iter().any(|p| &p.field.name == name) {
                    continue;
                }
                op.params.push(super::Param {
                    location: super::ParamLocation::Query,
                    field: Field {
                        name: name.clone(),
                        ty: Ty::Integer,
                        required: false,
                        description: what.to_string(),
                        constraints: Vec::new(),
                        nullable: false,
                        secret: false,
                        reference_ty: None,
                    },
                    from_prose: true,
                });
            }
        }
        if !any {
            problems.push(stale(
                "[pagination]",
                "expected a list operation whose envelope declares `result_info`",
            ));
        }
    }
}

/// `[integers]` and `[nullable]`, field by field and parameter by parameter; entries that
/// matched nothing are problems.
fn apply_fields(ir: &mut Ir, refinements: &Refinements, problems: &mut Vec<String>) {
    let fractional = fractional_fields(ir);
    let mut used_integers: HashSet<&str> = HashSet::new();
    let mut used_phrases: HashSet<&str> = HashSet::new();
    let mut used_secrets: HashSet<&str> = HashSet::new();
    let mut refine_field = |f: &mut Field, owner: &str, problems: &mut Vec<String>| {
        if let Some((name, _evidence)) = refinements.secrets.get_key_value(&f.name) {
            if f.ty == Ty::String {
                f.secret = true;
                used_secrets.insert(name.as_str());
            }
        }
        if let Some(evidence) = refinements.integers.get(&f.name) {
            let reference = f.ty.clone();
            if refine_ty(&mut f.ty) {
                // The reference says `number`: a server takes any number there.
                if f.ty != reference {
                    f.reference_ty.get_or_insert(reference);
                }
                used_integers.insert(key_of(refinements, &f.name));
                if fractional.contains(&(owner.to_string(), f.name.clone())) {
                    problems.push(format!(
                        "integers: `{}` ({evidence}) has a fractional example in `{owner}`",
                        f.name
                    ));
                }
            }
        }
        let lower = f.description.to_ascii_lowercase();
        for phrase in &refinements.nullable.phrases {
            if lower.contains(&phrase.to_ascii_lowercase()) {
                f.nullable = !f.required;
                used_phrases.insert(phrase.as_str());
            }
        }
    };

    for def in ir.types.iter_mut().chain(ir.shapes.iter_mut()) {
        if let TypeBody::Object { fields } = &mut def.body {
            for f in fields {
                refine_field(f, &def.id, problems);
            }
        }
    }
    for op in &mut ir.operations {
        for p in &mut op.params {
            refine_field(&mut p.field, "", problems);
        }
        if let Response::Envelope { fields, .. } = &mut op.response {
            for f in fields {
                refine_field(f, "", problems);
            }
        }
    }
    for name in refinements.integers.keys() {
        if !used_integers.contains(name.as_str()) {
            problems.push(stale(
                &format!("[integers] `{name}`"),
                "expected a field or parameter of that name typed `number`",
            ));
        }
    }
    for name in refinements.secrets.keys() {
        if !used_secrets.contains(name.as_str()) {
            problems.push(stale(
                &format!("[secrets] `{name}`"),
                "expected a field or parameter of that name typed `string`",
            ));
        }
    }
    for phrase in &refinements.nullable.phrases {
        if !used_phrases.contains(phrase.as_str()) {
            problems.push(stale(
                &format!("[nullable] phrase `{phrase}`"),
                "expected an optional field whose description contains it",
            ));
        }
    }
}

/// Turns a `number` (or a list or map of them) into an integer; false when there is none.
fn refine_ty(ty: &mut Ty) -> bool {
    match ty {
        Ty::Number => {
            *ty = Ty::Integer;
            true
        }
        Ty::Integer => true,
        Ty::Array { items } => refine_ty(items),
        Ty::Map { values } => refine_ty(values),
        _ => false,
    }
}

/// `(definition id, field name)` of numbers that an example shows with a fractional value.
fn fractional_fields(ir: &Ir) -> HashSet<(String, String)> {
    let defs = Defs::new(ir.types.iter().chain(&ir.shapes));
    let mut out = HashSet::new();
    for op in &ir.operations {
        if let (Some(body), Some(v)) = (&op.body, &op.examples.request) {
            walk(&defs, &body.ty, v, &mut out);
        }
        if let (Response::Envelope { result, .. }, Some(Value::Object(env))) =
            (&op.response, &op.examples.response)
        {
            if let Some(v) = env.get("result") {
                walk(&defs, result, v, &mut out);
            }
        }
    }
    out
}

fn walk(defs: &Defs<'_>, ty: &Ty, value: &Value, out: &mut HashSet<(String, String)>) {
    match (ty, value) {
        (Ty::Array { items }, Value::Array(list)) => {
            list.iter().for_each(|v| walk(defs, items, v, out))
        }
        (Ty::Ref { id }, _) => match defs.get(id).map(|d| &d.body) {
            Some(TypeBody::Object { fields }) => {
                let Value::Object(map) = value else { return };
                for f in fields {
                    let Some(v) = map.get(&f.name) else { continue };
                    let inner = match &f.ty {
                        Ty::Array { items } => items.as_ref(),
                        other => other,
                    };
                    let values: Vec<&Value> = match v {
                        Value::Array(list) => list.iter().collect(),
                        other => vec![other],
                    };
                    if *inner == Ty::Number && values.iter().any(|x| x.is_f64()) {
                        out.insert((id.clone(), f.name.clone()));
                    }
                    walk(defs, &f.ty, v, out);
                }
            }
            Some(TypeBody::Union { alternatives, .. }) => alternatives
                .iter()
                .for_each(|a| walk(defs, &a.ty, value, out)),
            Some(TypeBody::Alias { target }) => walk(defs, target, value, out),
            _ => {}
        },
        _ => {}
    }
}
