//! What the mock serves: the IR (operations, request and response shapes, documented examples,
//! auth schemes, and the stateful model of collections, effects and parents), written as JSON
//! into the mock crate (`mock/src/generated/ir.json`) so the mock needs neither this generator
//! nor the documents at run time.
//!
//! Prose and provenance the mock never reads (descriptions, where shapes are used, curl
//! commands) are left out; the data types default them when reading. One value per line: a
//! change of the reference reads as a short diff.

use serde::Serialize;

use super::snapshot::{GENERATED_NOTE, escape_bidi};
use crate::ir::{Field, Ir, Response, TypeBody, TypeDef};

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

/// Clears what the mock never reads. Documented examples and the store's objects are the API's
/// own data and stay whole.
fn strip(ir: &mut Ir) {
    for def in ir.types.iter_mut().chain(ir.shapes.iter_mut()) {
        strip_def(def);
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

fn strip_def(def: &mut TypeDef) {
    def.description.clear();
    def.used_at.clear();
    if let TypeBody::Object { fields } = &mut def.body {
        fields.iter_mut().for_each(strip_field);
    }
}

fn strip_field(field: &mut Field) {
    field.description.clear();
}
