//! What the mock serves: the IR (operations, request and response shapes, documented examples,
//! auth schemes, and the stateful model of collections, effects and parents), written as JSON
//! into the mock crate (`mock/src/generated/ir.json`) so the mock needs neither this generator
//! nor the documents at run time.
//!
//! Prose and provenance the mock never reads (descriptions, where shapes are used, curl
//! commands) are left out; the data types default them when reading. One value per line: a
//! change of the reference reads as a short diff.
//!
//! Fields a refinement narrowed for the client (an `[integers]` number, a `[[union_tags]]` tag)
//! carry the reference's own type here ([`Field::reference_ty`]): the mock stands in for the
//! server, which accepts what the reference allows, so a refinement must never make it
//! stricter than the reference.

use std::collections::HashSet;

use serde::Serialize;

use super::snapshot::{GENERATED_NOTE, escape_bidi};
use crate::ir::{Field, Ir, Response, Ty, TypeBody};

/// Where the mock's copy lives, relative to the workspace root.
pub const MOCK_MODEL_PATH: &str = "mock/src/generated/ir.json";

/// The file: the note first (JSON has no comments), then the IR's own keys.
#[derive(Serialize)]
struct MockFile<'a> {
    #[serde(rename = "@generated")]
    generated: &'a str,
    #[serde(flatten)]
    ir: &'a Ir,
}

/// The mock's copy of the IR.
pub fn mock_model(ir: &Ir) -> Result<String, String> {
    let mut ir = ir.clone();
    strip(&mut ir);
    let file = MockFile {
        generated: GENERATED_NOTE,
        ir: &ir,
    };
    let mut text = serde_json::to_string_pretty(&file)
        .map_err(|e| format!("the mock's IR does not serialize: {e}"))?;
    text.push('\n');
    Ok(escape_bidi(text))
}

/// Clears what the mock never reads, and gives narrowed fields back the reference's type.
/// Documented examples and the store's objects are the API's own data and stay whole.
fn strip(ir: &mut Ir) {
    let known: HashSet<String> = ir
        .types
        .iter()
        .chain(&ir.shapes)
        .map(|d| d.id.clone())
        .collect();
    let strip_field = |field: &mut Field| {
        field.description.clear();
        if let Some(reference) = field.reference_ty.take() {
            // Only a type whose definitions the copy holds (always so: the refinements narrow
            // to literals and integers, and leave the reference's types in place).
            if refs_known(&reference, &known) {
                field.ty = reference;
            }
        }
    };
    for def in ir.types.iter_mut().chain(ir.shapes.iter_mut()) {
        def.description.clear();
        def.used_at.clear();
        if let TypeBody::Object { fields } = &mut def.body {
            fields.iter_mut().for_each(strip_field);
        }
    }
    for op in &mut ir.operations {
        op.description.clear();
        op.examples.curl.clear();
        op.params.iter_mut().for_each(|p| strip_field(&mut p.field));
        match &mut op.response {
            Response::Envelope { fields, .. } => fields.iter_mut().for_each(strip_field),
            Response::Binary { note } => note.clear(),
            Response::Json { .. } | Response::None => {}
        }
    }
    for scheme in &mut ir.auth {
        scheme.description.clear();
    }
}

/// Whether every definition `ty` names is in `known`.
fn refs_known(ty: &Ty, known: &HashSet<String>) -> bool {
    match ty {
        Ty::Ref { id } => known.contains(id),
        Ty::Array { items } => refs_known(items, known),
        Ty::Map { values } => refs_known(values, known),
        _ => true,
    }
}
